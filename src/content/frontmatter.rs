//! Front matter: splitting it off a page and parsing it as YAML.
//!
//! This is the only module that knows about `serde_yaml`. It hands the rest of
//! the crate a [`FrontMatter`]: the parsed mapping plus a *locator* that maps a
//! key path (`["raci", "tech-manager"]`) back to byte ranges in the page, so
//! every later finding about a value can point at the value's own line and
//! column. serde_yaml keeps no positions for values, so the locator reads the
//! block-style YAML a second time, line by line: cheap, and it only has to be
//! right about where things are, never about what they mean. When it cannot
//! tell, callers fall back to the enclosing key, then to the opening `---`.

use std::collections::HashMap;
use std::ops::Range;

pub use serde_yaml::{Mapping, Value};

/// A page split into its front matter and its Markdown body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text between the fences, and its byte offset in the page.
    pub yaml: Option<(&'a str, usize)>,
    /// The byte range of the opening `---` line (for whole-front-matter findings).
    pub fence: Range<usize>,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of the body in the page.
    pub body_offset: usize,
}

/// Why front matter could not be read.
#[derive(Debug, PartialEq, Eq)]
pub struct YamlError {
    /// What went wrong, in the user's terms.
    pub message: String,
    /// Where, as a byte range in the page.
    pub span: Range<usize>,
    /// How to fix it.
    pub help: String,
    /// A second place involved (the first of two duplicate keys).
    pub related: Option<Range<usize>>,
    /// For a duplicate key: the key path of the mapping holding it.
    pub parent: Vec<String>,
}

/// Splits `text` into front matter and body.
///
/// Front matter starts with a first line of exactly `---` (after an optional
/// byte-order mark) and ends at the next line that is `---` or `...`.
pub fn split(text: &str) -> Result<Split<'_>, YamlError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    let first = text[start..first_end].trim_end_matches(['\n', '\r']);
    if first.trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            fence: 0..0,
            body: &text[start..],
            body_offset: start,
        });
    }
    let fence = start..start + first.len();
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..end].trim_end_matches(['\n', '\r']).trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                yaml: Some((&text[first_end..pos], first_end)),
                fence,
                body: &text[end..],
                body_offset: end,
            });
        }
        pos = end;
    }
    Err(YamlError {
        message: "front matter is not terminated".into(),
        span: fence,
        help: "close the front matter with a line holding only `---` before the Markdown starts"
            .into(),
        related: None,
        parent: Vec::new(),
    })
}

/// Parsed front matter with the positions of its keys and values.
#[derive(Debug, Default)]
pub struct FrontMatter {
    /// The top-level mapping.
    pub map: Mapping,
    /// Byte range of the opening fence, the fallback location.
    pub fence: Range<usize>,
    keys: HashMap<String, Range<usize>>,
    values: HashMap<String, Range<usize>>,
}

/// Joins a key path into the locator's lookup key.
fn path_key<S: AsRef<str>>(path: &[S]) -> String {
    let mut k = String::new();
    for (i, p) in path.iter().enumerate() {
        if i > 0 {
            k.push('\u{1f}');
        }
        k.push_str(p.as_ref());
    }
    k
}

impl FrontMatter {
    /// Parses the YAML of a [`Split`]. `Ok(None)` when there is no front matter.
    pub fn parse(split: &Split<'_>) -> Result<Option<FrontMatter>, YamlError> {
        let Some((yaml, offset)) = split.yaml else {
            return Ok(None);
        };
        let located = locate(yaml, offset);
        if let (Some((first, second)), Some(path)) =
            (located.duplicates.first(), located.dup_paths.first())
        {
            let (key, parent) = path
                .split_last()
                .map_or(("?", &[][..]), |(k, p)| (k.as_str(), p));
            let within = if parent.is_empty() {
                String::new()
            } else {
                format!(" of `{}`", parent.join("."))
            };
            return Err(YamlError {
                message: format!("key `{key}` appears twice in the same mapping{within}"),
                span: second.clone(),
                help: "keep one of the two entries; YAML allows each key once per mapping".into(),
                related: Some(first.clone()),
                parent: parent.to_vec(),
            });
        }
        if let Some(e) = too_deep(yaml, offset) {
            return Err(e);
        }
        let value: Value = if yaml.trim().is_empty() {
            Value::Mapping(Mapping::new())
        } else {
            serde_yaml::from_str(yaml).map_err(|e| yaml_error(&e, yaml, offset, &split.fence))?
        };
        let map = match value {
            Value::Mapping(m) => m,
            Value::Null => Mapping::new(),
            other => {
                return Err(YamlError {
                    message: format!(
                        "front matter must be a mapping of keys to values, found {}",
                        describe(&other)
                    ),
                    span: offset..offset + yaml.trim_end().len(),
                    help: "write front matter as `key: value` lines, e.g. `title: Storage`".into(),
                    related: None,
                    parent: Vec::new(),
                });
            }
        };
        Ok(Some(FrontMatter {
            map,
            fence: split.fence.clone(),
            keys: located.keys,
            values: located.values,
        }))
    }

    /// Byte range of the key at `path`, or of its nearest located ancestor.
    pub fn key_span<S: AsRef<str>>(&self, path: &[S]) -> Range<usize> {
        for n in (1..=path.len()).rev() {
            if let Some(r) = self.keys.get(&path_key(&path[..n])) {
                return r.clone();
            }
        }
        self.fence.clone()
    }

    /// Byte range of the value at `path`, else of its key, else of an ancestor.
    pub fn value_span<S: AsRef<str>>(&self, path: &[S]) -> Range<usize> {
        if let Some(r) = self.values.get(&path_key(path)) {
            return r.clone();
        }
        self.key_span(path)
    }
}

/// How deep `[`/`{` may nest in front matter.
pub const MAX_FLOW_DEPTH: usize = 64;
/// How many `[`/`{` front matter may hold in all.
pub const MAX_FLOW_OPENINGS: usize = 10_000;

/// Refuses flow collections nested deeper than [`MAX_FLOW_DEPTH`] (or more
/// than [`MAX_FLOW_OPENINGS`] of them) before the YAML parser sees them: its
/// scanner takes time quadratic in the nesting depth (100,000 `[` took 40 s),
/// and no handbook needs more than a few levels.
fn too_deep(yaml: &str, offset: usize) -> Option<YamlError> {
    let mut depth = 0usize;
    let mut openings = 0usize;
    let mut quote: Option<u8> = None;
    let mut prev = b' ';
    let bytes = yaml.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match (quote, c) {
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), c) if c == q => {
                // '' inside single quotes is an escaped quote.
                if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    quote = None;
                }
            }
            (Some(_), _) => {}
            (None, b'"' | b'\'')
                if matches!(prev, b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':') =>
            {
                quote = Some(c)
            }
            (None, b'#') if matches!(prev, b' ' | b'\t' | b'\n') => {
                while i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                    i += 1;
                }
            }
            (None, b'[' | b'{') => {
                depth += 1;
                openings += 1;
                let what = if depth > MAX_FLOW_DEPTH {
                    Some(format!(
                        "lists and mappings nest more than {MAX_FLOW_DEPTH} levels deep"
                    ))
                } else if openings > MAX_FLOW_OPENINGS {
                    Some(format!(
                        "front matter holds more than {MAX_FLOW_OPENINGS} `[` and `{{` collections"
                    ))
                } else {
                    None
                };
                if let Some(what) = what {
                    return Some(YamlError {
                        message: format!("front matter is too complex: {what}"),
                        span: offset + i..offset + i + 1,
                        help: "flatten the front matter; archbook's keys need at most a list of mappings".into(),
                        related: None,
                        parent: Vec::new(),
                    });
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = bytes[i];
        i += 1;
    }
    None
}

/// A short description of a YAML value's type, for messages.
pub fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn yaml_error(e: &serde_yaml::Error, yaml: &str, offset: usize, fence: &Range<usize>) -> YamlError {
    let mut message = e.to_string();
    // serde_yaml appends " at line L column C"; we show the location ourselves.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let span = match e.location() {
        Some(loc) => {
            let mut i = loc.index().min(yaml.len());
            while !yaml.is_char_boundary(i) {
                i -= 1;
            }
            let end = yaml[i..].find('\n').map_or(yaml.len(), |n| i + n);
            offset + i..offset + end
        }
        None => fence.clone(),
    };
    // An unclosed `[` or `{` is only noticed lines later; point at it.
    if message.contains("did not find expected ',' or")
        && let Some(open) = unclosed_bracket(
            yaml.get(..e.location().map_or(0, |l| l.index()))
                .unwrap_or(yaml),
        )
    {
        return YamlError {
            message: format!(
                "invalid YAML in front matter: `{}` is never closed",
                &yaml[open..open + 1]
            ),
            span: offset + open..offset + open + 1,
            help: format!(
                "close the list with `{}` on the same line, or write one `- item` per line",
                if &yaml[open..open + 1] == "[" {
                    "]"
                } else {
                    "}"
                }
            ),
            related: None,
            parent: Vec::new(),
        };
    }
    // An entry indented deeper than the one above it reads as part of that
    // entry's value: say so, not "quote the value".
    if message.contains("mapping values are not allowed")
        && let Some(at) = e.location().map(|l| {
            let mut i = l.index().min(yaml.len());
            while !yaml.is_char_boundary(i) {
                i -= 1;
            }
            i
        })
        && let Some((line, above)) = deeper_than_above(yaml, at)
    {
        let start = yaml[..at].rfind('\n').map_or(0, |n| n + 1);
        let key_end = start + line.len() - line.trim_start().len();
        let key = line.trim().split(':').next().unwrap_or("");
        return YamlError {
            message: format!(
                "invalid YAML in front matter: `{key}` is indented deeper than the entry above it"
            ),
            span: offset + key_end..offset + key_end + key.len(),
            help: format!(
                "entries of one mapping line up: indent `{key}:` by {} spaces, as the line above",
                above
            ),
            related: None,
            parent: Vec::new(),
        };
    }
    let help = if message.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted, e.g. `title: \"Storage: the basics\"`"
    } else if message.contains("found character that cannot start any token") {
        "quote values that start with `@`, `` ` `` or `%`, and indent with spaces, not tabs"
    } else if message.contains("tab character") {
        "indent with spaces: YAML does not allow tabs in indentation"
    } else if message.contains("did not find expected") {
        "check the indentation and that every `[` and `{` is closed"
    } else {
        "front matter must be valid YAML between two `---` lines"
    };
    YamlError {
        message: format!("invalid YAML in front matter: {message}"),
        span,
        help: help.into(),
        related: None,
        parent: Vec::new(),
    }
}

/// The line holding byte `at`, when it is a `key: value` entry indented
/// deeper than the entry line above it (which has a value of its own); with
/// the indentation of that line.
fn deeper_than_above(yaml: &str, at: usize) -> Option<(&str, usize)> {
    let start = yaml[..at].rfind('\n').map_or(0, |n| n + 1);
    let end = yaml[at..].find('\n').map_or(yaml.len(), |n| at + n);
    let line = &yaml[start..end];
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let above = yaml[..start.saturating_sub(1)]
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let (key, value) = above.trim().split_once(": ")?;
    let is_entry = !key.is_empty() && !key.starts_with('-') && !value.trim().is_empty();
    (is_entry && indent(line) > indent(above) && line.trim().contains(": "))
        .then_some((line, indent(above)))
}

/// The byte index of the last `[` or `{` in `text` that no bracket closes.
fn unclosed_bracket(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => open.push(i),
            (None, ']' | '}') => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// What the line scanner learned about where keys and values are.
#[derive(Default)]
struct Located {
    keys: HashMap<String, Range<usize>>,
    values: HashMap<String, Range<usize>>,
    duplicates: Vec<(Range<usize>, Range<usize>)>,
    dup_paths: Vec<Vec<String>>,
}

struct Frame {
    indent: usize,
    path: Vec<String>,
    next_index: usize,
    item_map: bool,
}

impl Located {
    fn key(&mut self, path: &[String], span: Range<usize>) {
        let k = path_key(path);
        if let Some(first) = self.keys.get(&k) {
            self.duplicates.push((first.clone(), span));
            self.dup_paths.push(path.to_vec());
        } else {
            self.keys.insert(k, span);
        }
    }

    fn value(&mut self, path: &[String], span: Range<usize>) {
        self.values.insert(path_key(path), span);
    }
}

/// Scans block-style YAML line by line and records where each key and value is.
fn locate(yaml: &str, offset: usize) -> Located {
    let mut out = Located::default();
    let mut stack: Vec<Frame> = vec![Frame {
        indent: 0,
        path: Vec::new(),
        next_index: 0,
        item_map: false,
    }];
    // Lines indented deeper than this belong to a multi-line scalar.
    let mut skip_deeper_than: Option<usize> = None;
    let mut pos = 0;
    for raw in yaml.split_inclusive('\n') {
        let line_start = pos;
        pos += raw.len();
        let line = strip_comment(raw.trim_end_matches(['\n', '\r']));
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if let Some(k) = skip_deeper_than
            && indent > k
        {
            continue;
        }
        let abs = offset + line_start + indent;
        skip_deeper_than = scan_line(&mut out, &mut stack, trimmed, indent, abs);
    }
    out
}

/// Handles one non-blank line; returns the indent past which following lines
/// are the continuation of a scalar.
fn scan_line(
    out: &mut Located,
    stack: &mut Vec<Frame>,
    content: &str,
    indent: usize,
    abs: usize,
) -> Option<usize> {
    if content == "-" || content.starts_with("- ") {
        while stack.len() > 1 {
            let top = &stack[stack.len() - 1];
            if top.indent > indent || (top.indent == indent && top.item_map) {
                stack.pop();
            } else {
                break;
            }
        }
        let parent = stack.last_mut()?;
        let index = parent.next_index;
        parent.next_index += 1;
        let mut path = parent.path.clone();
        path.push(index.to_string());
        let rest = content[1..].trim_start_matches(' ');
        let rest_indent = indent + (content.len() - rest.len());
        if rest.is_empty() {
            stack.push(Frame {
                indent: rest_indent.max(indent + 1),
                path,
                next_index: 0,
                item_map: true,
            });
            return None;
        }
        if key_of(rest).is_some() {
            stack.push(Frame {
                indent: rest_indent,
                path,
                next_index: 0,
                item_map: true,
            });
            return scan_line(out, stack, rest, rest_indent, abs + (rest_indent - indent));
        }
        let start = abs + (rest_indent - indent);
        out.value(&path, start..start + rest.len());
        return Some(indent);
    }
    let (key, colon) = key_of(content)?;
    while stack.len() > 1 && stack[stack.len() - 1].indent >= indent {
        // A key at the indent of an item map's first key is a sibling inside it.
        let top = &stack[stack.len() - 1];
        if top.item_map && top.indent == indent {
            break;
        }
        stack.pop();
    }
    let mut path = stack.last()?.path.clone();
    path.push(key.to_string());
    out.key(&path, abs..abs + colon);
    let after = &content[colon + 1..];
    let value = after.trim_start_matches(' ');
    let vstart = abs + colon + 1 + (after.len() - value.len());
    if value.is_empty() {
        stack.push(Frame {
            indent,
            path,
            next_index: 0,
            item_map: false,
        });
        return None;
    }
    out.value(&path, vstart..vstart + value.len());
    if value.starts_with('[') || value.starts_with('{') {
        scan_flow(out, &path, value, vstart);
    }
    Some(indent)
}

/// Records the items of a one-line flow list `[a, b]` or map `{a: R, b: C}`.
fn scan_flow(out: &mut Located, path: &[String], value: &str, vstart: usize) {
    let is_map = value.starts_with('{');
    let inner_end = value.rfind([']', '}']).unwrap_or(value.len());
    if inner_end == 0 {
        return;
    }
    let inner = &value[1..inner_end];
    let mut index = 0;
    let mut item_start = 0;
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    let mut items = Vec::new();
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                items.push(item_start..i);
                item_start = i + 1;
            }
            _ => {}
        }
    }
    items.push(item_start..inner.len());
    for r in items {
        let raw = &inner[r.clone()];
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        let lead = raw.len() - raw.trim_start().len();
        let start = vstart + 1 + r.start + lead;
        let mut p = path.to_vec();
        if is_map {
            if let Some((k, colon)) = key_of(t) {
                p.push(k.to_string());
                out.key(&p, start..start + colon);
                let v = t[colon + 1..].trim_start();
                let vs = start + (t.len() - v.len());
                out.value(&p, vs..vs + v.len());
            }
        } else {
            p.push(index.to_string());
            out.value(&p, start..start + t.len());
            index += 1;
        }
    }
}

/// If `content` starts with `key:` returns the unquoted key and the colon's index.
fn key_of(content: &str) -> Option<(&str, usize)> {
    let bytes = content.as_bytes();
    if let Some(q @ (b'"' | b'\'')) = bytes.first().copied() {
        let close = content[1..].find(q as char)? + 1;
        let rest = &content[close + 1..];
        let colon_rel = rest.find(':')?;
        if !rest[..colon_rel].trim().is_empty() {
            return None;
        }
        let colon = close + 1 + colon_rel;
        if !ends_key(bytes, colon) {
            return None;
        }
        return Some((&content[1..close], colon));
    }
    if matches!(
        bytes.first(),
        Some(b'[' | b'{' | b'|' | b'>' | b'&' | b'*' | b'!' | b'-')
    ) {
        return None;
    }
    let mut i = 0;
    while let Some(rel) = content[i..].find(':') {
        let colon = i + rel;
        if ends_key(bytes, colon) {
            let key = content[..colon].trim_end();
            return (!key.is_empty()).then_some((key, colon));
        }
        i = colon + 1;
    }
    None
}

fn ends_key(bytes: &[u8], colon: usize) -> bool {
    matches!(bytes.get(colon + 1), None | Some(b' ' | b'\t'))
}

/// Drops a trailing ` # comment` that is not inside quotes.
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if prev == ' ' || prev == ':' || prev == '[' || prev == ',' => {
                quote = Some(c)
            }
            (None, '#') if prev == ' ' || prev == '\t' || i == 0 => return line[..i].trim_end(),
            _ => {}
        }
        prev = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_refused_quickly_and_normal_nesting_passes() {
        let deep = format!(
            "---\nextra: {}{}\n---\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let start = std::time::Instant::now();
        let e = FrontMatter::parse(&split(&deep).unwrap()).unwrap_err();
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        assert!(
            e.message.contains("nest more than 64 levels"),
            "{}",
            e.message
        );
        assert_eq!(e.span.start, 4 + "extra: ".len() + MAX_FLOW_DEPTH);

        let many = format!("---\nextra: [{}]\n---\n", "[], ".repeat(MAX_FLOW_OPENINGS));
        let e = FrontMatter::parse(&split(&many).unwrap()).unwrap_err();
        assert!(e.message.contains("more than 10000"), "{}", e.message);

        let fine = "---\ntitle: \"[[[[ not nesting ]]\"\nnote: 'it''s [ fine'\nraci: {a: R, b: [x, {y: [z]}]} # [[[\n---\n";
        assert!(FrontMatter::parse(&split(fine).unwrap()).unwrap().is_some());
    }

    fn fm(text: &str) -> FrontMatter {
        let s = split(text).unwrap();
        FrontMatter::parse(&s).unwrap().unwrap()
    }

    fn at(text: &str, r: Range<usize>) -> &str {
        &text[r]
    }

    #[test]
    fn split_without_front_matter_keeps_everything_as_body() {
        let s = split("# Title\n\ntext\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# Title\n\ntext\n");
    }

    #[test]
    fn split_finds_both_fences_with_crlf_and_bom() {
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nbody";
        let s = split(text).unwrap();
        assert_eq!(s.yaml.map(|y| y.0), Some("title: A\r\n"));
        assert_eq!(s.body, "body");
        assert_eq!(&text[s.body_offset..], "body");
    }

    #[test]
    fn unterminated_front_matter_points_at_the_opening_fence() {
        let e = split("---\ntitle: A\nno end\n").unwrap_err();
        assert_eq!(e.span, 0..3);
        assert!(e.message.contains("not terminated"));
    }

    #[test]
    fn empty_front_matter_is_an_empty_mapping() {
        let f = fm("---\n---\nbody");
        assert!(f.map.is_empty());
    }

    #[test]
    fn yaml_errors_point_into_the_page() {
        let text = "---\ntitle: A\nlayer: [a, b\nsummary: x\n---\n";
        let s = split(text).unwrap();
        let e = FrontMatter::parse(&s).unwrap_err();
        assert_eq!(
            e.message,
            "invalid YAML in front matter: `[` is never closed"
        );
        assert_eq!(e.span.start, text.find('[').unwrap());
        let text = "---\ntitle: \"A\nlayer: x\n---\n";
        let e = FrontMatter::parse(&split(text).unwrap()).unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert!(e.span.start >= 4, "{:?}", e.span);
        let text = "---\ntitle: A\n\tlayer: x\n---\n";
        let e = FrontMatter::parse(&split(text).unwrap()).unwrap_err();
        assert!(e.help.contains("indent with spaces"), "{}", e.help);
    }

    #[test]
    fn scalar_front_matter_is_rejected() {
        let s = split("---\njust text\n---\n").unwrap();
        let e = FrontMatter::parse(&s).unwrap_err();
        assert!(e.message.contains("mapping"));
    }

    #[test]
    fn duplicate_keys_name_both_places() {
        let text = "---\nraci:\n  a: R\n  a: A\n---\n";
        let s = split(text).unwrap();
        let e = FrontMatter::parse(&s).unwrap_err();
        assert_eq!(at(text, e.span.clone()), "a");
        assert_eq!(e.related.map(|r| r.start), Some(text.find("a: R").unwrap()));
    }

    #[test]
    fn locator_finds_nested_keys_values_and_list_items() {
        let text = "---\n\
            title: Storage # comment\n\
            raci:\n  \
              tech-manager: R\n  \
              \"infra-architect\": A/R\n\
            depends_on:\n  \
              - network\n  \
              - compute\n\
            layers: [physical, platform]\n\
            relations: {a: one, b: two}\n\
            focus: >\n  \
              long: text\n  \
              more\n\
            list:\n\
            - x\n\
            - name: y\n  \
              other: z\n\
            ---\n";
        let f = fm(text);
        assert_eq!(at(text, f.value_span(&["title"])), "Storage");
        assert_eq!(
            at(text, f.key_span(&["raci", "tech-manager"])),
            "tech-manager"
        );
        assert_eq!(at(text, f.value_span(&["raci", "tech-manager"])), "R");
        assert_eq!(at(text, f.value_span(&["raci", "infra-architect"])), "A/R");
        assert_eq!(at(text, f.value_span(&["depends_on", "1"])), "compute");
        assert_eq!(at(text, f.value_span(&["layers", "1"])), "platform");
        assert_eq!(at(text, f.key_span(&["relations", "b"])), "b");
        assert_eq!(at(text, f.value_span(&["relations", "b"])), "two");
        // Lines of a folded scalar are not mistaken for keys.
        assert_eq!(at(text, f.key_span(&["focus", "long"])), "focus");
        assert_eq!(at(text, f.value_span(&["list", "0"])), "x");
        assert_eq!(at(text, f.key_span(&["list", "1", "name"])), "name");
        assert_eq!(at(text, f.key_span(&["list", "1", "other"])), "other");
        // Unknown paths fall back to the nearest ancestor, then the fence.
        assert_eq!(at(text, f.value_span(&["raci", "nobody"])), "raci");
        assert_eq!(at(text, f.key_span(&["nothing"])), "---");
    }

    proptest::proptest! {
        #[test]
        fn splitting_and_parsing_never_panic(text in "(---\n)?([a-z_ :\\[\\]{},#\"'|>-]|\n|  |é){0,200}(\n---\n)?") {
            if let Ok(s) = split(&text)
                && let Ok(Some(fm)) = FrontMatter::parse(&s) {
                    for k in fm.map.keys().filter_map(|k| k.as_str()) {
                        let r = fm.value_span(&[k]);
                        proptest::prop_assert!(text.get(r).is_some());
                    }
                }
        }
    }

    #[test]
    fn locator_never_panics_on_odd_lines() {
        for text in [
            "---\n: x\n---\n",
            "---\n- - - a\n---\n",
            "---\n\"unterminated: x\n---\n",
            "---\nkey: [a, {b: [c\n---\n",
            "---\n   - \n  x:\n ]\n---\n",
        ] {
            let s = split(text).unwrap();
            let _ = FrontMatter::parse(&s);
        }
    }
}

#[cfg(test)]
mod indentation_tests {
    use super::*;

    #[test]
    fn an_entry_indented_too_deep_is_named_whatever_the_text_before_it() {
        for (before, key) in [("", "lead"), ("  ops: Ünïcödé – “quoted” 😀\n", "lëäd😀")]
        {
            let text = format!(
                "---\nkind: role\nrelations:\n{before}  pm: Wörks with.\n    {key}: Reports to.\n---\n"
            );
            let e = FrontMatter::parse(&split(&text).unwrap()).unwrap_err();
            assert!(
                e.message.contains(&format!(
                    "`{key}` is indented deeper than the entry above it"
                )),
                "{}",
                e.message
            );
            assert_eq!(&text[e.span.clone()], key);
        }
    }
}
