//! Located findings ("diagnostics") and the source files they point into.
//!
//! Every phase (config, load, model, links) reports problems by pushing a
//! [`Diagnostic`] into one [`Diagnostics`] list instead of stopping at the first
//! one, so `archbook check` can show every finding of a run. A diagnostic names a
//! [`Rule`]; its final severity comes from the handbook's `[archbook.rules]`
//! table when it is pushed. Spans are byte ranges into a [`Sources`] entry, turned
//! into `line:col` only when printed (human, via codespan-reporting, or JSON).

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

    /// Sorts findings by file, then position, so output is stable whatever
    /// order the parallel phases finished in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.primary
                    .as_ref()
                    .map(|(l, _)| (l.file, l.span.start))
                    .unwrap_or((usize::MAX, 0))
            };
            key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
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

    /// Renders every finding to a colour-capable writer (a terminal).
    pub fn render_to(
        &self,
        sources: &Sources,
        w: &mut dyn codespan_reporting::term::WriteStyle,
    ) -> std::io::Result<()> {
        let config = term::Config::default();
        for d in &self.items {
            let cs = to_codespan(d, sources);
            if term::emit_to_write_style(w, &config, sources, &cs).is_err() {
                writeln!(w, "{}: {}", d.severity, d.message)?;
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
#[derive(Debug, Serialize)]
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
