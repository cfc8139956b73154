//! Located findings ("diagnostics") and the source files they point into.
//!
//! Every phase (config, load, model, links) reports problems by pushing a
//! [`Diagnostic`] into one [`Diagnostics`] list instead of stopping at the first
//! one, so `archbook check` can show every finding of a run. A diagnostic names a
//! [`Rule`]; its final severity comes from the handbook's `[archbook.rules]`
//! table when it is pushed. Spans are byte ranges into a [`Sources`] entry, turned
//! into `line:col` only when printed (human, via codespan-reporting, or JSON).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{self as csfiles, Files};
use codespan_reporting::term;
use serde::Serialize;

use crate::rules::{Rule, RuleSet, Severity};

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// Every file a diagnostic may point into, with its text.
#[derive(Default)]
pub struct Sources {
    files: Vec<Source>,
}

/// One file: its name, its text, and where its lines start (found the first
/// time a finding in it is printed; most files never need them).
struct Source {
    name: String,
    text: Arc<str>,
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl Source {
    fn new(name: String, text: Arc<str>) -> Self {
        Source {
            name,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }
}

impl Sources {
    /// Registers a file under its display name (the path as the user would type it).
    pub fn add(&mut self, display: String, text: Arc<str>) -> FileId {
        self.files.push(Source::new(display, text));
        self.files.len() - 1
    }

    /// Replaces a file's text (after it was edited).
    pub fn replace(&mut self, id: FileId, text: Arc<str>) {
        if let Some(f) = self.files.get_mut(id) {
            *f = Source::new(std::mem::take(&mut f.name), text);
        }
    }

    /// The text of a file.
    pub fn text(&self, id: FileId) -> &str {
        self.files.get(id).map(|f| &*f.text).unwrap_or("")
    }

    /// The display name of a file.
    pub fn name(&self, id: FileId) -> &str {
        self.files.get(id).map(|f| f.name.as_str()).unwrap_or("")
    }

    /// Number of registered files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file is registered.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_start..offset].chars().count() + 1;
        (line, col)
    }
}

impl<'a> Files<'a> for Sources {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, csfiles::Error> {
        self.file(id).map(|f| f.name.as_str())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, csfiles::Error> {
        self.file(id).map(|f| &*f.text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, csfiles::Error> {
        let starts = self.file(id)?.line_starts();
        Ok(starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next| next - 1))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, csfiles::Error> {
        let f = self.file(id)?;
        let starts = f.line_starts();
        let start = *starts.get(line_index).ok_or(csfiles::Error::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })?;
        let end = starts.get(line_index + 1).copied().unwrap_or(f.text.len());
        Ok(start..end)
    }
}

impl Sources {
    fn file(&self, id: FileId) -> Result<&Source, csfiles::Error> {
        self.files.get(id).ok_or(csfiles::Error::FileMissing)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A place in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// Byte range within the file.
    pub span: Range<usize>,
}

impl Location {
    /// A location in `file` covering `span`.
    pub fn new(file: FileId, span: Range<usize>) -> Self {
        Location { file, span }
    }
}

/// One finding: what is wrong, where, and how to fix it.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The rule that found it; decides the severity.
    pub rule: Rule,
    /// Final severity (set by [`Diagnostics::push`] from the rule set).
    pub severity: Severity,
    /// One sentence saying what is wrong.
    pub message: String,
    /// Where it is, if anywhere; with the text shown under the underline.
    pub primary: Option<(Location, String)>,
    /// Other places that belong to the story (the first of two duplicate ids).
    pub secondary: Vec<(Location, String)>,
    /// How to fix it ("did you mean `compute`?").
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding of `rule` with a message and no location yet.
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
        }
    }

    /// Points the finding at `span` of `file`, with a short label.
    pub fn at(mut self, file: FileId, span: Range<usize>, label: impl Into<String>) -> Self {
        self.primary = Some((Location::new(file, span), label.into()));
        self
    }

    /// Adds a second place that explains the finding.
    pub fn also(mut self, file: FileId, span: Range<usize>, label: impl Into<String>) -> Self {
        self.secondary
            .push((Location::new(file, span), label.into()));
        self
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a help line only when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }
}

/// All findings of a run, with the severities the handbook configured.
#[derive(Debug, Default)]
pub struct Diagnostics {
    rules: RuleSet,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list that applies `rules` to what is pushed.
    pub fn new(rules: RuleSet) -> Self {
        Diagnostics {
            rules,
            items: Vec::new(),
        }
    }

    /// Replaces the rule set (after `book.toml` is read); already pushed
    /// findings are re-graded.
    pub fn set_rules(&mut self, rules: RuleSet) {
        self.rules = rules;
        let items = std::mem::take(&mut self.items);
        for d in items {
            self.push(d);
        }
    }

    /// Adds a finding; a rule set to `off` drops it.
    pub fn push(&mut self, mut d: Diagnostic) {
        if let Some(severity) = self.rules.severity(d.rule) {
            d.severity = severity;
            self.items.push(d);
        }
    }

    /// Keeps only the findings for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    /// Adds many findings.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        for d in ds {
            self.push(d);
        }
    }

    /// The findings in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == s).count()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts findings, errors first, then by file (as its name sorts: a
    /// finding in `SUMMARY.md` takes its place among the pages') and
    /// position, so output is stable whatever order the parallel phases
    /// finished in.
    pub fn sort(&mut self, sources: &Sources) {
        // Errors first (the cause of a failed run is never below a screen of
        // warnings), then by file as named and place in it.
        self.items.sort_by_cached_key(|d| {
            let (name, at) = match &d.primary {
                Some((l, _)) => (Some(sources.name(l.file).to_string()), l.span.start),
                None => (None, 0),
            };
            (
                d.severity != Severity::Error,
                name.is_none(),
                name,
                at,
                d.message.clone(),
            )
        });
    }

    /// Renders every finding as a compiler would, without colour.
    pub fn render_plain(&self, sources: &Sources) -> String {
        let mut out = String::new();
        let config = term::Config::default();
        for d in &self.items {
            let cs = to_codespan(d, sources);
            // A span outside its file cannot happen for spans we computed, but
            // printing must never fail: fall back to the bare message.
            if term::emit_to_string(&mut out, &config, sources, &cs).is_err() {
                out.push_str(&format!("{}: {}\n", d.severity, d.message));
            }
        }
        out
    }

    /// Renders the findings to a colour-capable writer (a terminal): with
    /// `per_rule`, at most that many of each rule, and a line counting the
    /// rest (as rustc does). Control characters a handbook's text may carry
    /// (an ESC in a YAML value, a `%1b` in a link) are written as `\x1b`,
    /// never sent to the terminal as they are.
    pub fn render_to(
        &self,
        sources: &Sources,
        w: &mut dyn codespan_reporting::term::WriteStyle,
        per_rule: Option<usize>,
    ) -> std::io::Result<()> {
        use std::io::Write as _;
        let config = term::Config::default();
        let mut w = Clean(w);
        let mut shown: HashMap<Rule, usize> = HashMap::new();
        for d in &self.items {
            let n = shown.entry(d.rule).or_default();
            *n += 1;
            if per_rule.is_some_and(|most| *n > most) {
                continue;
            }
            let cs = to_codespan(d, sources);
            if term::emit_to_write_style(&mut w, &config, sources, &cs).is_err() {
                writeln!(w, "{}: {}", d.severity, d.message)?;
            }
        }
        if let Some(most) = per_rule {
            let mut hidden: Vec<(Rule, usize)> = shown
                .into_iter()
                .filter(|&(_, n)| n > most)
                .map(|(rule, n)| (rule, n - most))
                .collect();
            hidden.sort();
            for (rule, n) in hidden {
                writeln!(
                    w,
                    "... and {n} more `{rule}` finding{} (`--all-findings` prints every one; `check --format json` lists them all)\n",
                    if n == 1 { "" } else { "s" }
                )?;
            }
        }
        Ok(())
    }

    /// The findings as JSON records for editors and CI.
    pub fn to_json(&self, sources: &Sources) -> Vec<JsonFinding> {
        self.items
            .iter()
            .map(|d| {
                let (file, line, column) = match &d.primary {
                    Some((loc, _)) => {
                        let (l, c) = sources.line_col(loc.file, loc.span.start);
                        (Some(sources.name(loc.file).to_string()), Some(l), Some(c))
                    }
                    None => (None, None, None),
                };
                JsonFinding {
                    file,
                    line,
                    column,
                    severity: d.severity,
                    rule: d.rule.name(),
                    message: d.message.clone(),
                    help: d.help.clone(),
                }
            })
            .collect()
    }
}

/// One finding as printed by `--format json`.
#[derive(Clone, Debug, Serialize)]
pub struct JsonFinding {
    /// Display path of the file, if the finding has one.
    pub file: Option<String>,
    /// One-based line.
    pub line: Option<usize>,
    /// One-based column, in characters.
    pub column: Option<usize>,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The rule name, as used in `[archbook.rules]`.
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// Lines longer than this are not quoted under a finding (a minified or
/// generated file would flood the terminal); the finding names the place.
const MAX_QUOTED_LINE: usize = 1000;

fn to_codespan(d: &Diagnostic, sources: &Sources) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    let mut label = |loc: &Location, msg: &str, primary: bool| {
        if line_len(sources, loc) > MAX_QUOTED_LINE {
            let (line, col) = sources.line_col(loc.file, loc.span.start);
            notes.push(format!(
                "at {}:{line}:{col}: {msg} (the line is too long to show)",
                sources.name(loc.file)
            ));
        } else if primary {
            labels.push(cs::Label::primary(loc.file, loc.span.clone()).with_message(msg));
        } else {
            labels.push(cs::Label::secondary(loc.file, loc.span.clone()).with_message(msg));
        }
    };
    if let Some((loc, msg)) = &d.primary {
        label(loc, msg, true);
    }
    for (loc, msg) in &d.secondary {
        label(loc, msg, false);
    }
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.rule.name())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// The length of the line holding the start of `loc`, without its line
/// break (0 for a file that is not registered).
fn line_len(sources: &Sources, loc: &Location) -> usize {
    Files::line_index(sources, loc.file, loc.span.start)
        .and_then(|line| Files::line_range(sources, loc.file, line))
        .map_or(0, |range| {
            sources.text(loc.file)[range]
                .trim_end_matches(['\n', '\r'])
                .len()
        })
}

/// A writer that passes styles through and writes control characters of
/// the text as visible escapes (`\x1b`): a handbook's text must not move
/// the cursor, recolour or retitle the terminal of whoever builds it.
struct Clean<'w>(&'w mut dyn codespan_reporting::term::WriteStyle);

impl std::io::Write for Clean<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        write_printable(buf, &mut self.0)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

impl codespan_reporting::term::WriteStyle for Clean<'_> {
    fn set_header(&mut self, severity: cs::Severity) -> std::io::Result<()> {
        self.0.set_header(severity)
    }
    fn set_header_message(&mut self) -> std::io::Result<()> {
        self.0.set_header_message()
    }
    fn set_line_number(&mut self) -> std::io::Result<()> {
        self.0.set_line_number()
    }
    fn set_note_bullet(&mut self) -> std::io::Result<()> {
        self.0.set_note_bullet()
    }
    fn set_source_border(&mut self) -> std::io::Result<()> {
        self.0.set_source_border()
    }
    fn set_label(&mut self, severity: cs::Severity, style: cs::LabelStyle) -> std::io::Result<()> {
        self.0.set_label(severity, style)
    }
    fn reset(&mut self) -> std::io::Result<()> {
        self.0.reset()
    }
}

/// Writes `buf` with its control characters as visible escapes: C0 controls
/// but tab and newline, DEL, and the C1 controls (U+0080 to U+009F, two
/// bytes in UTF-8, which some terminals also obey).
fn write_printable(buf: &[u8], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut at = 0;
    let mut i = 0;
    while i < buf.len() {
        let b = buf[i];
        let len = match b {
            b'\t' | b'\n' => 0,
            0..0x20 | 0x7f => 1,
            0xc2 if buf.get(i + 1).is_some_and(|n| (0x80..0xa0).contains(n)) => 2,
            _ => 0,
        };
        if len == 0 {
            i += 1;
            continue;
        }
        w.write_all(&buf[at..i])?;
        let code = if len == 2 { buf[i + 1] } else { b };
        write!(w, "\\x{code:02x}")?;
        i += len;
        at = i;
    }
    w.write_all(&buf[at..])
}

/// `text` safe to print on a terminal: control characters written as
/// visible escapes (`\x1b`), as [`Diagnostics::render_to`] writes them.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let clean = |b: &u8| matches!(b, b'\t' | b'\n' | 0x20..=0x7e | 0x80..);
    if text.bytes().all(|b| clean(&b)) && !text.contains(|c| ('\u{80}'..'\u{a0}').contains(&c)) {
        return text.into();
    }
    let mut out = Vec::with_capacity(text.len() + 8);
    // Writing into a Vec cannot fail.
    let _ = write_printable(text.as_bytes(), &mut out);
    String::from_utf8_lossy(&out).into_owned().into()
}

/// How many comparisons "did you mean" may make in one check, shared by the
/// threads that make them: plenty for every suggestion a person reads, and
/// bounded when a handbook has thousands of unknown ids or anchors against
/// thousands of candidates (each comparison costs about a third of a
/// microsecond; later findings then go without a suggestion).
#[derive(Debug)]
pub struct Suggestions {
    left: std::sync::atomic::AtomicUsize,
}

impl Default for Suggestions {
    fn default() -> Self {
        Suggestions::new(2_000_000)
    }
}

impl Suggestions {
    /// A budget of `comparisons`.
    pub fn new(comparisons: usize) -> Self {
        Suggestions {
            left: std::sync::atomic::AtomicUsize::new(comparisons),
        }
    }

    /// [`did_you_mean`] over `count` candidates, while the budget lasts.
    pub fn closest<'a>(
        &self,
        wanted: &str,
        count: usize,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<&'a str> {
        use std::sync::atomic::Ordering;
        let took = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(count)
            });
        took.ok()?;
        did_you_mean(wanted, candidates)
    }
}

/// Suggests the candidate closest to `wanted`, if any is close enough to be a
/// likely typo ("did you mean").
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(wanted, c);
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_printed_as_escapes() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(printable("a\u{1b}[31mred\u{7}"), "a\\x1b[31mred\\x07");
        assert_eq!(printable("csi\u{9b}2J é"), "csi\\x9b2J é");
        let mut sources = Sources::default();
        let id = sources.add("p.md".into(), Arc::from("[x](\u{1b}]0;pwned\u{7})\n"));
        let mut ds = Diagnostics::new(RuleSet::default());
        for _ in 0..3 {
            ds.push(
                Diagnostic::new(
                    Rule::BrokenLink,
                    "link `\u{1b}]0;pwned\u{7}` does not exist",
                )
                .at(id, 4..14, "here \u{1b}[2J"),
            );
        }
        let mut out = codespan_reporting::term::termcolor::Buffer::ansi();
        ds.render_to(&sources, &mut out, Some(2)).unwrap();
        let text = String::from_utf8(out.into_inner()).unwrap();
        // Colours are escapes archbook chose; the handbook's text has none.
        let raw: Vec<_> = text
            .match_indices('\u{1b}')
            .map(|(i, _)| &text[i..i + 3])
            .collect();
        assert!(raw.iter().all(|e| e.starts_with("\u{1b}[")), "{raw:?}");
        assert!(!text.contains('\u{7}'), "{text}");
        assert!(text.contains("\\x1b]0;pwned\\x07"), "{text}");
        assert!(!text.contains("\u{1b}[2J"), "{text}");
        assert_eq!(text.matches("error[broken-link]").count(), 2, "{text}");
        assert!(
            text.contains("... and 1 more `broken-link` finding "),
            "{text}"
        );
    }

    #[test]
    fn overlong_lines_are_named_not_quoted() {
        let mut sources = Sources::default();
        let long = format!("title: {}\n", "x".repeat(5000));
        let id = sources.add("page.md".into(), Arc::from(format!("---\n{long}---\n")));
        let mut ds = Diagnostics::new(RuleSet::default());
        ds.push(
            Diagnostic::new(Rule::FrontMatter, "too long")
                .at(id, 4 + 100..4 + 101, "here")
                .help("shorten it"),
        );
        let text = ds.render_plain(&sources);
        assert!(text.len() < 500, "{text}");
        assert!(
            text.contains("at page.md:2:101: here (the line is too long to show)"),
            "{text}"
        );
        assert!(text.contains("help: shorten it"));
    }

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let mut s = Sources::default();
        let id = s.add("a.md".into(), "ab\nçd: x\n".into());
        assert_eq!(s.line_col(id, 0), (1, 1));
        assert_eq!(s.line_col(id, 3), (2, 1));
        // 'ç' is two bytes; "d" starts at byte 5 but is column 2.
        assert_eq!(s.line_col(id, 5), (2, 2));
        // Past the end clamps instead of panicking.
        assert_eq!(s.line_col(id, 999), (3, 1));
    }

    #[test]
    fn suggestions_pick_the_nearest_and_refuse_far_ones() {
        let ids = ["compute", "storage", "network"];
        assert_eq!(did_you_mean("compte", ids), Some("compute"));
        assert_eq!(did_you_mean("netwrk", ids), Some("network"));
        assert_eq!(did_you_mean("zzz", ids), None);
    }

    #[test]
    fn rules_switched_off_drop_findings() {
        let mut rules = RuleSet::default();
        rules.set(Rule::OrphanComponent, None);
        let mut ds = Diagnostics::new(rules);
        ds.push(Diagnostic::new(Rule::OrphanComponent, "x"));
        ds.push(Diagnostic::new(Rule::BrokenLink, "y"));
        assert_eq!(ds.errors(), 1);
        assert_eq!(ds.warnings(), 0);
    }
}
