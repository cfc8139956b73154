//! mdBook's `links` preprocessor, which real mdBook books rely on:
//! `{{#include file}}` (with line ranges `:2`, `::10`, `2:`, `2:5` and
//! anchors `:name`), `{{#rustdoc_include file}}`, `{{#playground file}}`
//! (a fenced Rust block), `{{#title Text}}`, and the `\{{#...}}` escape.
//!
//! `load` expands a page's body before it is parsed. Findings keep pointing
//! into the file as written: [`Expanded::original`] maps an offset in the
//! expanded text back (text that came from an included file maps to its
//! directive).

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::confine::{Refusal, Scope};
use crate::rules::Rule;

/// The largest file `{{#include}}` reads: 16 MiB.
pub const MAX_INCLUDE: u64 = 16 << 20;

/// The most text a page's includes may add, all nesting levels together:
/// 64 MiB. A kilobyte that includes a file five times, ten levels deep,
/// would otherwise expand to gigabytes.
pub const MAX_EXPANDED: usize = 64 << 20;

/// A body with its directives expanded.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The expanded text.
    pub text: String,
    /// `{{#title}}`, if the page set one.
    pub title: Option<String>,
    /// Pieces of `text`: (range in `text`, range in the original, was included).
    pieces: Vec<(Range<usize>, Range<usize>, bool)>,
    /// Directives that could not be expanded: (range in the original,
    /// message, the rule it breaks).
    pub problems: Vec<(Range<usize>, String, Rule)>,
    /// Every file read, nested includes too (`serve` rebuilds the page when
    /// one changes).
    pub files: Vec<PathBuf>,
}

impl Expanded {
    /// The offset in the original text that `offset` (in the expanded text) came from.
    pub fn original(&self, offset: usize) -> usize {
        for (exp, orig, included) in &self.pieces {
            if exp.contains(&offset) || (offset == exp.end && !included) {
                return if *included {
                    orig.start
                } else {
                    orig.start + (offset - exp.start)
                };
            }
        }
        self.pieces.last().map_or(offset, |(_, orig, _)| orig.end)
    }
}

/// Expands the directives of `body`, a page in folder `dir`, reading only
/// what `scope` allows. `None` when the body has none (the common case:
/// nothing is copied).
pub fn expand(body: &str, dir: &Path, scope: &Scope) -> Option<Expanded> {
    let mut expander = Expander {
        scope,
        left: MAX_EXPANDED,
        read: HashMap::new(),
    };
    expander.expand_at(body, dir, 0)
}

/// A failed directive: the message and the rule it breaks.
type Problem = (String, Rule);

/// One page's expansion: where reads may go, how much text the includes
/// may still add, and the files read so far (a file included many times is
/// read once).
struct Expander<'s> {
    scope: &'s Scope,
    left: usize,
    read: HashMap<PathBuf, Arc<str>>,
}

impl Expander<'_> {
    fn expand_at(&mut self, body: &str, dir: &Path, depth: usize) -> Option<Expanded> {
        if !body.contains("{{#") {
            return None;
        }
        let mut out = Expanded::default();
        let mut pos = 0;
        while let Some(rel) = body[pos..].find("{{#") {
            let start = pos + rel;
            let Some(close) = body[start..].find("}}") else {
                break;
            };
            let end = start + close + 2;
            let escaped = start > 0 && body.as_bytes()[start - 1] == b'\\';
            let keep_to = if escaped { start - 1 } else { start };
            push(&mut out, &body[pos..keep_to], pos..keep_to, false);
            let directive = &body[start + 3..end - 2];
            // `{{#include}}` naming nothing inside a code span is prose
            // about the directive (mdBook's own guide writes it so): left
            // as written, as mdBook leaves it.
            let about =
                directive.split_whitespace().nth(1).is_none() && in_code_span(&body[..start]);
            if escaped || about {
                push(&mut out, &body[start..end], start..end, false);
            } else {
                let (name, arg) = directive
                    .trim()
                    .split_once(char::is_whitespace)
                    .unwrap_or((directive.trim(), ""));
                let expanded = match name {
                    "include" | "rustdoc_include" => Some(self.include(arg.trim(), dir, depth)),
                    // `playpen` is its name before mdBook 0.4.
                    "playground" | "playpen" => Some(
                        self.playground(arg.trim(), dir)
                            .map(|(text, file)| (text, vec![file])),
                    ),
                    _ => None,
                };
                match (name, expanded) {
                    (_, Some(Ok((text, files)))) => {
                        for file in files {
                            if !out.files.contains(&file) {
                                out.files.push(file);
                            }
                        }
                        push(&mut out, &text, start..end, true);
                    }
                    (_, Some(Err((msg, rule)))) => {
                        out.problems.push((start..end, msg, rule));
                        push(&mut out, &body[start..end], start..end, false);
                    }
                    ("title", None) => {
                        out.title = Some(arg.trim().to_string());
                        push(&mut out, "", start..end, true);
                    }
                    // Directives of other preprocessors stay as written.
                    (_, None) => push(&mut out, &body[start..end], start..end, false),
                }
            }
            pos = end;
        }
        push(&mut out, &body[pos..], pos..body.len(), false);
        Some(out)
    }

    /// Reads a file a directive names, once per page, within the scope.
    fn read(&mut self, path: &Path, file: &str) -> Result<Arc<str>, Problem> {
        if let Some(text) = self.read.get(path) {
            return Ok(text.clone());
        }
        let text: Arc<str> = match self.scope.read_text(path, MAX_INCLUDE) {
            Ok(text) => Arc::from(text),
            Err(e @ Refusal::TooLarge { .. }) => {
                return Err((format!("cannot include `{file}`: {e}"), Rule::Limit));
            }
            Err(Refusal::Io(e)) => {
                return Err((format!("cannot include `{file}`: {e}"), Rule::Include));
            }
            Err(e) => {
                return Err((
                    format!("`{file}` is not included: {e}; {}", e.help()),
                    Rule::ReadOutside,
                ));
            }
        };
        self.read.insert(path.to_path_buf(), text.clone());
        Ok(text)
    }

    /// Takes `n` bytes from what the page's includes may still add.
    fn spend(&mut self, n: usize) -> Result<(), Problem> {
        match self.left.checked_sub(n) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => {
                self.left = 0;
                Err(over_limit())
            }
        }
    }

    /// The text `{{#include arg}}` stands for, and the files it was read from.
    /// Nested includes are expanded too.
    fn include(
        &mut self,
        arg: &str,
        dir: &Path,
        depth: usize,
    ) -> Result<(String, Vec<PathBuf>), Problem> {
        if depth > 10 {
            return Err((
                "includes nest more than 10 deep (does a file include itself?)".into(),
                Rule::Include,
            ));
        }
        // Once the page is over its limit, every further directive fails at
        // once (a fan-out must not go on reading).
        if self.left == 0 {
            return Err(over_limit());
        }
        let (file, selector) = match arg.split_once(':') {
            Some((f, s)) => (f, Some(s)),
            None => (arg, None),
        };
        if file.trim().is_empty() {
            return Err((
                "`{{#include}}` names no file: write `{{#include path/to/file}}`".into(),
                Rule::Include,
            ));
        }
        let path = dir.join(file);
        let text = self.read(&path, file)?;
        let lines: Vec<&str> = text.lines().collect();
        let picked: Vec<&str> = match selector {
            None => lines
                .iter()
                .copied()
                .filter(|l| !is_anchor_line(l))
                .collect(),
            Some(sel) => match sel.split_once(':') {
                // `a:b`, `a:`, `:b`: a line range (1-based, inclusive).
                Some((a, b)) => {
                    let from = if a.is_empty() {
                        1
                    } else {
                        a.parse::<usize>()
                            .map_err(|_| (format!("`{sel}` is not a line range"), Rule::Include))?
                    };
                    let to = if b.is_empty() {
                        lines.len()
                    } else {
                        b.parse::<usize>()
                            .map_err(|_| (format!("`{sel}` is not a line range"), Rule::Include))?
                    };
                    lines
                        .iter()
                        .copied()
                        .skip(from.saturating_sub(1))
                        .take(to.saturating_sub(from.saturating_sub(1)))
                        .collect()
                }
                None => match sel.parse::<usize>() {
                    Ok(n) => lines
                        .get(n.saturating_sub(1))
                        .copied()
                        .into_iter()
                        .collect(),
                    Err(_) => anchor(&lines, sel).ok_or_else(|| {
                        (
                            format!(
                                "`{file}` has no anchor `{sel}` (ANCHOR: {sel} … ANCHOR_END: {sel})"
                            ),
                            Rule::Include,
                        )
                    })?,
                },
            },
        };
        // A whole file comes in as it is; a selection as its lines, joined.
        let mut joined = picked.join("\n");
        if selector.is_none() && text.ends_with('\n') {
            joined.push('\n');
        }
        self.spend(joined.len())?;
        // Included files may include others, relative to themselves.
        match self.expand_at(&joined, path.parent().unwrap_or(dir), depth + 1) {
            Some(mut inner) if !inner.problems.is_empty() => {
                let (_, msg, rule) = inner.problems.swap_remove(0);
                Err((msg, rule))
            }
            Some(mut inner) => {
                inner.files.insert(0, path);
                Ok((inner.text, inner.files))
            }
            None => Ok((joined, vec![path])),
        }
    }

    /// The fenced Rust block `{{#playground file attrs}}` stands for, as mdBook
    /// writes it: the attributes (`editable`, `ignore`) join the fence's info
    /// string. archbook runs no playground; the code is shown highlighted.
    fn playground(&mut self, arg: &str, dir: &Path) -> Result<(String, PathBuf), Problem> {
        let mut words = arg.split_whitespace();
        let Some(file) = words.next() else {
            return Err((
                "`{{#playground}}` names no file: write `{{#playground path/to/file.rs}}`".into(),
                Rule::Include,
            ));
        };
        let attrs: Vec<&str> = words.collect();
        let path = dir.join(file);
        if self.left == 0 {
            return Err(over_limit());
        }
        let mut code = self.read(&path, file)?.to_string();
        self.spend(code.len())?;
        if !code.ends_with('\n') {
            code.push('\n');
        }
        let info = if attrs.is_empty() {
            "rust".to_string()
        } else {
            format!("rust,{}", attrs.join(","))
        };
        Ok((format!("```{info}\n{code}```\n"), path))
    }
}

fn push(out: &mut Expanded, text: &str, orig: Range<usize>, included: bool) {
    let start = out.text.len();
    out.text.push_str(text);
    out.pieces.push((start..out.text.len(), orig, included));
}

fn over_limit() -> Problem {
    (
        format!(
            "the page's includes expand to more than {} MiB (does a file include another many times over?); not expanded",
            MAX_EXPANDED >> 20
        ),
        Rule::Limit,
    )
}

/// Whether text ending with `before` is inside a code span: an odd number
/// of backticks since the start of its line (a span does not cross a
/// paragraph, and rarely a line).
fn in_code_span(before: &str) -> bool {
    let line = before.rsplit('\n').next().unwrap_or(before);
    line.bytes().filter(|&b| b == b'`').count() % 2 == 1
}

fn is_anchor_line(line: &str) -> bool {
    line.contains("ANCHOR:") || line.contains("ANCHOR_END:")
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name` (or the end of
/// the file, as in mdBook, when there is no `ANCHOR_END`), without other
/// anchor lines.
fn anchor<'a>(lines: &[&'a str], name: &str) -> Option<Vec<&'a str>> {
    let start = lines
        .iter()
        .position(|l| anchor_name(l, "ANCHOR:") == Some(name))?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| anchor_name(l, "ANCHOR_END:") == Some(name))
        .map_or(lines.len(), |e| e + start + 1);
    Some(
        lines[start + 1..end]
            .iter()
            .copied()
            .filter(|l| !is_anchor_line(l))
            .collect(),
    )
}

fn anchor_name<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let i = line.find(marker)?;
    line[i + marker.len()..].split_whitespace().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("code.rs"),
            "// ANCHOR: main\nfn main() {\n    run();\n}\n// ANCHOR_END: main\nfn run() {}\n",
        )
        .unwrap();
        std::fs::write(
            tmp.path().join("nested.md"),
            "Nested: {{#include code.rs:6}}",
        )
        .unwrap();
        tmp
    }

    #[test]
    fn includes_ranges_anchors_titles_and_escapes() {
        let d = dir();
        let body = "A\n{{#include code.rs:2:3}}\nB {{#include code.rs:main}}C \\{{#include x}} {{#title New title}}{{#include nested.md}}";
        let e = expand(body, d.path(), &Scope::default()).unwrap();
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert_eq!(
            e.text,
            "A\nfn main() {\n    run();\nB fn main() {\n    run();\n}C {{#include x}} Nested: fn run() {}"
        );
        assert_eq!(e.title.as_deref(), Some("New title"));
        // Offsets map back: "B" is where it was written; included text maps to its directive.
        let b = e.text.find("\nB").unwrap() + 1;
        assert_eq!(e.original(b), body.find("\nB").unwrap() + 1);
        assert_eq!(
            e.original(e.text.find("run();").unwrap()),
            body.find("{{#include code.rs:2:3}}").unwrap()
        );
        assert_eq!(e.original(e.text.len()), body.len());
        let whole = expand("{{#include code.rs}}", d.path(), &Scope::default()).unwrap();
        assert_eq!(whole.text, "fn main() {\n    run();\n}\nfn run() {}\n");
        assert_eq!(
            expand("{{#include code.rs::1}}", d.path(), &Scope::default())
                .unwrap()
                .text,
            "// ANCHOR: main"
        );
    }

    #[test]
    fn playground_files_become_rust_blocks() {
        let d = dir();
        std::fs::write(d.path().join("short.rs"), "fn f() {}").unwrap();
        let e = expand(
            "{{#playground short.rs}}\n{{#playpen code.rs editable ignore}}",
            d.path(),
            &Scope::default(),
        )
        .unwrap();
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert_eq!(
            e.text,
            "```rust\nfn f() {}\n```\n\n```rust,editable,ignore\n// ANCHOR: main\nfn main() {\n    run();\n}\n// ANCHOR_END: main\nfn run() {}\n```\n"
        );
        assert_eq!(e.files.len(), 2);
        let bad = expand(
            "{{#playground}} {{#playground nope.rs}}",
            d.path(),
            &Scope::default(),
        )
        .unwrap();
        assert!(
            bad.problems[0].1.contains("names no file"),
            "{:?}",
            bad.problems
        );
        assert!(bad.problems[1].1.starts_with("cannot include `nope.rs`"));
    }

    #[test]
    fn self_inclusion_stops() {
        let d = dir();
        std::fs::write(d.path().join("loop.md"), "{{#include loop.md}}").unwrap();
        let e = expand("{{#include loop.md}}", d.path(), &Scope::default()).unwrap();
        assert!(
            e.problems[0].1.contains("nest more than 10 deep"),
            "{:?}",
            e.problems
        );
    }

    #[test]
    fn missing_files_and_anchors_are_problems() {
        let d = dir();
        let e = expand(
            "x {{#include nope.rs}} {{#include code.rs:zzz}}",
            d.path(),
            &Scope::default(),
        )
        .unwrap();
        assert_eq!(e.problems.len(), 2);
        assert!(e.problems[0].1.starts_with("cannot include `nope.rs`"));
        assert!(e.problems[1].1.contains("no anchor `zzz`"));
        assert_eq!(expand("no directives", d.path(), &Scope::default()), None);
        let empty = expand(
            "{{#include}} and {{#include :2}}",
            d.path(),
            &Scope::default(),
        )
        .unwrap();
        assert_eq!(empty.problems.len(), 2);
        assert!(
            empty.problems[0].1.contains("names no file"),
            "{:?}",
            empty.problems
        );
    }

    /// mdBook's guide writes `{{#include}}`d in prose; an `ANCHOR:` without
    /// its `ANCHOR_END:` runs to the end of the file.
    #[test]
    fn what_mdbook_leaves_or_reads_to_the_end() {
        let d = dir();
        std::fs::write(d.path().join("open.rs"), "a\n// ANCHOR: rest\nb\nc\n").unwrap();
        let body = "lines that may have been `{{#include}}`d; {{#include open.rs:rest}}";
        let e = expand(body, d.path(), &Scope::default()).unwrap();
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert_eq!(e.text, "lines that may have been `{{#include}}`d; b\nc");
        // Outside a code span, naming no file is still a mistake.
        let e = expand("{{#include}}", d.path(), &Scope::default()).unwrap();
        assert_eq!(e.problems.len(), 1);
    }
}
