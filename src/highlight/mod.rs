//! Build-time syntax highlighting with syntect.
//!
//! The syntax set (syntect's defaults plus bat's extra syntaxes from
//! `two-face`: TOML, Terraform, Dockerfile, PowerShell, ...), which `build.rs`
//! dumps for archbook's patched syntect, is loaded once per process, on first use, and shared by every rendering thread. Code is turned
//! into `<span class="hl-…">` markup, so light and dark colours are plain CSS
//! ([`css`]) and switching theme needs no re-render. Each thread remembers the
//! lines it parsed, so a line met again in the same parse state is not parsed
//! again. Used by `markdown`, and by `render`, which highlights a window of
//! pages' code ahead of them ([`Highlighted`]). `cache` keeps blocks
//! between a long session's builds ([`Cache`]).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use syntect::html::{ClassStyle, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

mod cache;
pub use cache::Cache;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(|| {
    limit_backtracking();
    syntect::dumps::from_uncompressed_data(include_bytes!(concat!(
        env!("OUT_DIR"),
        "/syntaxes.bin"
    )))
    .expect("build.rs wrote the dump with this syntect version")
});

/// How many times oniguruma may backtrack in one match or search before it
/// gives up on it (its default is ten million). A grammar's pattern that
/// backtracks that much on a line is pathological: the JavaScript grammar
/// took 0.1 s over one 165-byte block of a real book (an object with a run
/// of spaces before a comment). Past the limit the pattern counts as not
/// matching there, so the line is coloured a little differently, at once.
const RETRY_LIMIT: u32 = 100_000;

fn limit_backtracking() {
    // SAFETY: these set two process-wide counters of the C library and are
    // called before any regex is compiled or run (the syntax set is loaded
    // first, here); they touch no memory of ours.
    unsafe {
        onig_sys::onig_set_retry_limit_in_match(RETRY_LIMIT.into());
        onig_sys::onig_set_retry_limit_in_search(RETRY_LIMIT.into());
    }
}

/// The prefix of every highlighting class (`hl-keyword`).
const PREFIX: &str = "hl-";
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: PREFIX };

/// Fence languages that mean "no highlighting" and are never warned about:
/// plain text, and diagram sources a script of the reader's (or the theme's)
/// may turn into pictures.
const PLAIN: &[&str] = &[
    "",
    "text",
    "txt",
    "plain",
    "plaintext",
    "output",
    "console-output",
    "none",
    "mermaid",
    "plantuml",
    "puml",
    // Words mdBook books and rustdoc use for text that is not code (or
    // that no highlighter of theirs colours either).
    "notrust",
    "terminal",
    "tree",
    "json5",
    "hbs",
    "handlebars",
];

/// A language archbook highlights: one syntax of its syntax set. Pages and
/// renderers hold this handle, never syntect's types.
#[derive(Clone, Copy)]
pub struct Syntax(&'static SyntaxReference);

impl Syntax {
    /// The syntax's name (`Rust`, `YAML`).
    pub fn name(self) -> &'static str {
        &self.0.name
    }
}

impl std::fmt::Debug for Syntax {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The result of looking up a fence language.
#[derive(Clone, Copy)]
pub enum Language {
    /// Highlight with this syntax.
    Known(Syntax),
    /// Deliberately plain (`text`, no language).
    Plain,
    /// A language archbook has no syntax for.
    Unknown,
}

/// The language word of a fence's info string: `rust` of `rust,ignore`,
/// `yaml title="x"` or `sh {linenos}`.
pub fn fence_token(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
}

/// Finds the syntax for a fence's info string (`rust`, `yaml title="x"`, `sh,ignore`).
pub fn language(info: &str) -> Language {
    let token = fence_token(info);
    // syntect looks a token up by a linear search of every syntax's file
    // extensions and names; a handbook uses a handful of languages, so each
    // thread remembers its answers.
    thread_local! {
        static SEEN: std::cell::RefCell<HashMap<String, Language>> = Default::default();
    }
    if let Some(known) = SEEN.with(|seen| seen.borrow().get(token).copied()) {
        return known;
    }
    let found = lookup(token);
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        // Bounded, however many distinct info strings a handbook has.
        if seen.len() < 256 {
            seen.insert(token.to_string(), found);
        }
    });
    found
}

/// The syntax of this name (`Rust`), as [`Syntax::name`] gives it.
pub fn syntax_named(name: &str) -> Option<Syntax> {
    SYNTAXES.find_syntax_by_name(name).map(Syntax)
}

/// Loads the syntax set now rather than at the first fenced block. Loading
/// takes several milliseconds, during which every core that meets a fence
/// waits; `load` starts it on a spare core while it lists the files.
pub fn prepare() {
    LazyLock::force(&SYNTAXES);
}

/// Fence words archbook maps to another syntax's name.
const ALIASES: &[(&str, &str)] = &[
    ("console", "bash"),
    ("shell", "bash"),
    ("sh", "bash"),
    ("zsh", "bash"),
    ("hcl", "terraform"),
    ("tf", "terraform"),
    ("ps", "powershell"),
    ("ps1", "powershell"),
    ("pwsh", "powershell"),
    ("js", "javascript"),
    ("mjs", "javascript"),
    ("ts", "typescript"),
    ("yml", "yaml"),
    ("docker", "dockerfile"),
    // rustdoc's attributes alone on a fence: the block is Rust.
    ("ignore", "rust"),
    ("no_run", "rust"),
    ("should_panic", "rust"),
    ("compile_fail", "rust"),
    ("test_harness", "rust"),
    ("allow_fail", "rust"),
    ("edition2015", "rust"),
    ("edition2018", "rust"),
    ("edition2021", "rust"),
    ("edition2024", "rust"),
];

fn lookup(token: &str) -> Language {
    if PLAIN.contains(&token.to_ascii_lowercase().as_str()) {
        return Language::Plain;
    }
    let set: &'static SyntaxSet = &SYNTAXES;
    let alias = ALIASES
        .iter()
        .find(|(from, _)| *from == token)
        .map_or(token, |(_, to)| to);
    match set
        .find_syntax_by_token(alias)
        .or_else(|| set.find_syntax_by_token(&alias.to_ascii_lowercase()))
    {
        Some(s) => Language::Known(Syntax(s)),
        None => Language::Unknown,
    }
}

/// The fence word closest to a language archbook cannot highlight (`rustt`
/// → `rust`): a syntax's name or file extension, or an alias. For findings
/// only, so it may take its time.
pub fn suggest(token: &str) -> Option<String> {
    let wanted = token.to_ascii_lowercase();
    let mut words: Vec<String> = SYNTAXES
        .syntaxes()
        .iter()
        .flat_map(|s| {
            std::iter::once(s.name.to_ascii_lowercase())
                .chain(s.file_extensions.iter().map(|e| e.to_ascii_lowercase()))
        })
        // Names such as "Bourne Again Shell (bash)" are not fence words.
        .filter(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-#_".contains(c))
        })
        .collect();
    words.extend(ALIASES.iter().map(|(from, _)| from.to_string()));
    // Fence words are short and there are a thousand of them, so only a
    // slip of a key or two counts (a typo, a swap), not a resemblance.
    let allowed = if wanted.len() <= 6 { 1 } else { 2 };
    words
        .into_iter()
        .map(|w| (strsim::damerau_levenshtein(&wanted, &w), w))
        .filter(|(d, w)| *d <= allowed && w.len() > 1)
        // On a tie, a word with the same first letter: typos are rarely there.
        .min_by_key(|(d, w)| (*d, w.as_bytes().first() != wanted.as_bytes().first()))
        .map(|(_, w)| w)
}

/// Highlights `code` as `<span>` markup (without the surrounding `<pre><code>`).
pub fn highlight(code: &str, syntax: Syntax) -> String {
    highlight_uncached(code, syntax.0)
}

fn highlight_uncached(code: &str, syntax: &'static SyntaxReference) -> String {
    highlight_within(code, syntax, block_budget(code))
}

/// A block syntect cannot parse, or that takes more than `budget` steps, is
/// shown plain (and listed for [`take_gave_up`]) rather than failing or
/// stalling the build.
fn highlight_within(code: &str, syntax: &'static SyntaxReference, budget: usize) -> String {
    spans(code, syntax, budget).unwrap_or_else(|(line, reason)| {
        gave_up(GaveUp {
            syntax: syntax.name.clone(),
            code: code.to_string(),
            line,
            reason,
        });
        escape(code)
    })
}

/// How many matching steps (scope operations and lines) highlighting a
/// block may take. A line of a well-made grammar yields a few operations a
/// byte at most; syntect (patched, see `vendor/syntect/PATCH.md`) also
/// bounds the steps within one line, so a grammar that loops on some line
/// costs at most about this much before the block is shown plain.
fn block_budget(code: &str) -> usize {
    4096 + 64 * code.len()
}

/// A code block highlighting gave up on: it is shown as plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GaveUp {
    /// The syntax's name (`JavaScript`).
    pub syntax: String,
    /// The block's code.
    pub code: String,
    /// The line it gave up on, counted from 0 within the block.
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// Blocks highlighting gave up on since the last [`take_gave_up`]; bounded,
/// as a handbook may repeat a block many times.
static GAVE_UP: Mutex<Vec<GaveUp>> = Mutex::new(Vec::new());
const GAVE_UP_KEPT: usize = 1000;

fn gave_up(block: GaveUp) {
    let mut list = GAVE_UP.lock().unwrap_or_else(|e| e.into_inner());
    if list.len() < GAVE_UP_KEPT && !list.contains(&block) {
        list.push(block);
    }
}

/// The blocks highlighting gave up on since the last call (the renderer
/// turns them into `highlight` warnings located at the block).
pub fn take_gave_up() -> Vec<GaveUp> {
    std::mem::take(&mut *GAVE_UP.lock().unwrap_or_else(|e| e.into_inner()))
}

/// `code` as nested `<span class="hl-…">` markup: the HTML of syntect's
/// `ClassedHTMLGenerator` with the `hl-` prefix, byte for byte, written into
/// one string. syntect's generator builds a string per line, formats text
/// through `fmt`, and spells each scope's classes out under a global lock at
/// every push; here each thread spells a scope once. On a line syntect
/// cannot parse, or once the block took more than `budget` steps, the line
/// (from 0) and why.
fn spans(
    code: &str,
    syntax: &'static SyntaxReference,
    budget: usize,
) -> Result<String, (usize, String)> {
    use syntect::parsing::{BasicScopeStackOp, ParseState, Scope, ScopeStack};
    thread_local! {
        /// A scope's class attribute value (`hl-source hl-rust`).
        static CLASSES: std::cell::RefCell<rustc_hash::FxHashMap<Scope, Option<Box<str>>>> =
            Default::default();
    }
    let mut state = State::new(ParseState::new(syntax));
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 4);
    // Whether each open scope was written as a span.
    let mut written: Vec<bool> = Vec::new();
    let mut steps = 0;
    CLASSES.with(|classes| {
        let mut classes = classes.borrow_mut();
        for (n, line) in LinesWithEndings::from(code).enumerate() {
            let ops = parse_line(syntax, &mut state, line).map_err(|e| (n, e))?;
            steps += 1 + ops.len();
            if steps > budget {
                return Err((
                    n,
                    format!("the block took more than {budget} highlighting steps"),
                ));
            }
            let mut at = 0;
            // Where the last opened span starts, and whether nothing has been
            // written into it since: syntect drops such a span when it closes.
            let mut empty = false;
            let mut span_start = 0;
            for (i, op) in &ops {
                let i = *i;
                if i > at {
                    empty = false;
                    escape_text(&mut html, &line[at..i]);
                    at = i;
                }
                stack
                    .apply_with_hook(op, |basic, _| match basic {
                        BasicScopeStackOp::Push(scope) => {
                            span_start = html.len();
                            empty = true;
                            let class = classes.entry(scope).or_insert_with(|| class_of(scope));
                            if let Some(class) = class {
                                html.push_str("<span class=\"");
                                html.push_str(class);
                                html.push_str("\">");
                            }
                            written.push(class.is_some());
                        }
                        BasicScopeStackOp::Pop => {
                            if empty {
                                html.truncate(span_start);
                            } else if written.last() == Some(&true) {
                                html.push_str("</span>");
                            }
                            empty = false;
                            written.pop();
                        }
                    })
                    .map_err(|e| (n, e.to_string()))?;
            }
            escape_text(&mut html, &line[at..]);
        }
        Ok(())
    })?;
    for _ in written.iter().filter(|w| **w) {
        html.push_str("</span>");
    }
    Ok(html)
}

/// A scope operation and where in its line it applies.
type Op = (usize, syntect::parsing::ScopeStackOp);

/// What parsing a line gives.
type Ops = Vec<Op>;

/// A parse state shared by the lines parsed before that start or end in it.
type State = std::rc::Rc<syntect::parsing::ParseState>;

/// A thread's lines parsed before.
#[derive(Default)]
struct Lines {
    /// How many lines `lines` holds.
    kept: usize,
    /// By a hash of syntax and line.
    lines: rustc_hash::FxHashMap<u64, Vec<Parsed>>,
}

/// A line parsed before: the state it was parsed from, what it gave, and the
/// state after it.
struct Parsed {
    syntax: usize,
    line: Box<str>,
    before: State,
    ops: Box<[Op]>,
    after: State,
}

/// How many parsed lines each thread keeps before it starts afresh (about a
/// kilobyte and a half each, with their states: at most 12 MB a thread), and
/// the longest line it keeps.
const LINES_KEPT: usize = 1 << 13;
const LONGEST_KEPT: usize = 256;

/// Parses one line of code in `syntax` from `state`, and moves `state` past it.
///
/// Parsing is a function of the state before a line and of the line alone,
/// and code repeats lines (`}`, `fi`, `end`, blank lines, `metadata:`, an
/// indented `return nil`): in the fenced code of the Markdown files of 313
/// crates, 48 % of the lines repeat an earlier line of the same language. A
/// line met again in the same state is not parsed again (the regex searches
/// of syntect's grammars are the bulk of highlighting): its operations and
/// the state after it are those of the first time. A state holding captured
/// text (a heredoc's delimiter) never equals another, so such lines are
/// always parsed.
fn parse_line(
    syntax: &'static SyntaxReference,
    state: &mut State,
    line: &str,
) -> Result<Ops, String> {
    use std::hash::BuildHasher;
    thread_local! {
        static LINES: std::cell::RefCell<Lines> = Default::default();
    }
    let key = syntax_key(Syntax(syntax));
    let hash = rustc_hash::FxBuildHasher.hash_one((key, line));
    LINES.with(|lines| {
        let Lines { kept, lines } = &mut *lines.borrow_mut();
        if let Some(seen) = lines.get(&hash).and_then(|seen| {
            seen.iter().find(|p| {
                p.syntax == key
                    && *p.line == *line
                    && (std::rc::Rc::ptr_eq(&p.before, state) || p.before == *state)
            })
        }) {
            *state = seen.after.clone();
            return Ok(seen.ops.to_vec());
        }
        let mut after = (**state).clone();
        let ops = after
            .parse_line(line, &SYNTAXES)
            .map_err(|e| e.to_string())?;
        // Most lines leave the state as it was: they share it.
        let after = if after == **state {
            state.clone()
        } else {
            State::new(after)
        };
        if line.len() <= LONGEST_KEPT {
            if *kept == LINES_KEPT {
                lines.clear();
                *kept = 0;
            }
            *kept += 1;
            lines
                .entry(hash)
                .or_insert_with(|| Vec::with_capacity(1))
                .push(Parsed {
                    syntax: key,
                    line: line.into(),
                    before: std::mem::replace(state, after.clone()),
                    ops: ops.as_slice().into(),
                    after,
                });
        } else {
            *state = after;
        }
        Ok(ops)
    })
}

/// The two themes `assets/highlight.css` is made of.
const THEMES: [&str; 2] = ["InspiredGitHub", "base16-ocean.dark"];

/// The scopes the stylesheet's rules name, each as its set of atoms
/// (`.hl-entity.hl-name.hl-function` is `entity`, `name`, `function`),
/// in a rule's target or in its ancestors alike.
static STYLED: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let mut compounds: Vec<Vec<String>> = THEMES
        .iter()
        .filter_map(|name| themes.themes.get(*name))
        .flat_map(|theme| &theme.scopes)
        .flat_map(|item| &item.scope.selectors)
        .flat_map(|selector| selector.path.as_slice())
        .map(|scope| {
            let mut atoms: Vec<String> = scope
                .build_string()
                .split('.')
                .map(str::to_string)
                .collect();
            atoms.sort();
            atoms
        })
        .collect();
    compounds.sort();
    compounds.dedup();
    compounds
});

/// The class attribute value of a scope: those of its atoms, `hl-`-prefixed,
/// that a rule of the stylesheet names, or `None` when no rule can match
/// it (no rule's scope is a part of it: `meta.block.rust`,
/// `punctuation.section.group.begin.rust` in the default themes). A span
/// whose classes no rule reads changes nothing on the page, and was a
/// third of the markup of real books' code.
fn class_of(scope: syntect::parsing::Scope) -> Option<Box<str>> {
    let name = scope.build_string();
    let atoms: Vec<&str> = name.split('.').collect();
    let styled = &*STYLED;
    let matched: Vec<&Vec<String>> = styled
        .iter()
        .filter(|c| c.iter().all(|a| atoms.contains(&a.as_str())))
        .collect();
    if matched.is_empty() {
        return None;
    }
    let mut classes = String::with_capacity(name.len() + 8);
    for atom in atoms
        .iter()
        .filter(|a| styled.iter().any(|c| c.iter().any(|s| s == *a)))
    {
        if !classes.is_empty() {
            classes.push(' ');
        }
        classes.push_str(PREFIX);
        classes.push_str(atom);
    }
    Some(classes.into_boxed_str())
}

/// Appends `text` HTML-escaped as syntect escapes it: quotes too, with the
/// same entities as `pulldown_cmark_escape::escape_html`.
fn escape_text(out: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html(out, text).ok();
}

/// Code blocks highlighted ahead of the pages that show them, by syntax and
/// code.
///
/// Highlighting is the largest single part of a build, and it takes about
/// half the CPU time as a batch of its own, one language after another, that
/// it takes block by block in the middle of rendering each page: syntect's
/// parser and onig's matcher then stay warm in the core's caches and branch
/// predictors. A block written on several pages is highlighted once.
#[derive(Default)]
pub struct Highlighted {
    /// By syntax (its address in the one syntax set), then code.
    blocks: HashMap<usize, HashMap<String, String>>,
}

impl Highlighted {
    /// Highlights `blocks` (syntax and code), grouped by syntax, on every
    /// core; blocks found in `cache` are taken from it, and the others are
    /// added to it.
    pub fn new<'c>(
        blocks: impl IntoIterator<Item = (Syntax, std::borrow::Cow<'c, str>)>,
        cache: Option<&Cache>,
    ) -> Highlighted {
        use rayon::prelude::*;
        let mut blocks: Vec<_> = blocks
            .into_iter()
            .map(|(s, c)| (syntax_key(s), s, c))
            .collect();
        blocks.sort_unstable_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
        blocks.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);
        // Each core takes a run of neighbours: a language at a time.
        let html: Vec<String> = blocks
            .par_iter()
            .with_min_len(8)
            .map(|(key, syntax, code)| match cache {
                None => highlight(code, *syntax),
                Some(cache) => match cache.get(*key, code) {
                    Some(hit) => hit.to_string(),
                    None => {
                        let html = highlight(code, *syntax);
                        // A block highlighting gave up on is not kept: the
                        // next build must report it again.
                        if html != escape(code) || code.trim().is_empty() {
                            cache.put(*key, code, Arc::from(html.as_str()));
                        }
                        html
                    }
                },
            })
            .collect();
        let mut by_syntax: HashMap<usize, HashMap<String, String>> = HashMap::new();
        for ((k, _, code), html) in blocks.into_iter().zip(html) {
            by_syntax
                .entry(k)
                .or_default()
                .insert(code.into_owned(), html);
        }
        Highlighted { blocks: by_syntax }
    }

    /// Blocks with the given markup, for tests that must tell markup taken
    /// from here from markup made on the spot.
    #[cfg(test)]
    pub(crate) fn with_markup(
        blocks: impl IntoIterator<Item = (Syntax, String, String)>,
    ) -> Highlighted {
        let mut ahead = Highlighted::default();
        for (syntax, code, html) in blocks {
            ahead
                .blocks
                .entry(syntax_key(syntax))
                .or_default()
                .insert(code, html);
        }
        ahead
    }

    /// The markup of `code` in `syntax`, if it was highlighted ahead.
    pub fn get(&self, syntax: Syntax, code: &str) -> Option<&str> {
        self.blocks
            .get(&syntax_key(syntax))?
            .get(code)
            .map(String::as_str)
    }
}

/// A syntax's key in [`Highlighted`]: its address in the one syntax set.
fn syntax_key(syntax: Syntax) -> usize {
    std::ptr::from_ref(syntax.0) as usize
}

/// HTML-escapes text for a `<pre>` block.
pub fn escape(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 8);
    pulldown_cmark_escape::escape_html_body_text(&mut out, code).ok();
    out
}

/// The stylesheet for highlighted code: a light theme, and a dark theme that
/// applies under `[data-theme="dark"]` (set by the theme's toggle or the
/// system preference).
pub fn css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let [light, dark] = THEMES.map(|name| {
        themes
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
    });
    let mut out = String::from(
        "/* Generated by archbook from syntect's InspiredGitHub and base16-ocean.dark themes. */\n",
    );
    out.push_str(&light.unwrap_or_default());
    if let Some(dark) = dark {
        // Scope every rule of the dark theme under the dark-mode attribute.
        for rule in dark.split_inclusive('}') {
            let rule = rule.trim_start();
            if rule.is_empty() || rule.starts_with("/*") && !rule.contains('{') {
                continue;
            }
            if let Some((selectors, body)) = rule.split_once('{') {
                let scoped: Vec<String> = selectors
                    .split(',')
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty() && !s.starts_with("/*"))
                    .map(|s| format!("[data-theme=\"dark\"] {s}"))
                    .collect();
                if !scoped.is_empty() {
                    out.push_str(&scoped.join(", "));
                    out.push_str(" {");
                    out.push_str(body);
                    out.push('\n');
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_resolve_with_aliases() {
        for lang in [
            "rust",
            "python",
            "yaml",
            "yml",
            "toml",
            "sh",
            "bash",
            "json",
            "sql",
            "hcl",
            "dockerfile",
            "powershell",
        ] {
            assert!(matches!(language(lang), Language::Known(_)), "{lang}");
        }
        assert!(matches!(language(""), Language::Plain));
        assert!(matches!(language("text"), Language::Plain));
        assert!(matches!(language("rust,ignore"), Language::Known(_)));
        assert!(matches!(language("nosuchlang"), Language::Unknown));
    }

    #[test]
    fn misspelled_languages_get_a_suggestion() {
        assert_eq!(suggest("rustt").as_deref(), Some("rust"));
        assert_eq!(suggest("pyhton").as_deref(), Some("python"));
        assert_eq!(suggest("Terrafrom").as_deref(), Some("terraform"));
        assert_eq!(suggest("ymll").as_deref(), Some("yml"));
        assert_eq!(suggest("klingon"), None);
    }

    #[test]
    fn highlighting_escapes_and_marks_up() {
        let Language::Known(rust) = language("rust") else {
            panic!()
        };
        let html = highlight("let x = \"<b>\";\n", rust);
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("<b>"));
    }

    #[test]
    fn markup_is_syntects_classed_html_byte_for_byte() {
        // Quotes, angle brackets and ampersands to escape; strings and
        // comments left open across lines; blank lines, CRLF and a last
        // line without a newline; code in another language than declared.
        let samples = [
            "fn main() {\n    let s = \"<a href='x'>&amp;</a>\";\n}\n",
            "/* open comment\n still <open> \"\n*/ x = 'a' & \"b\"\r\n\r\n\tend",
            "key: \"value with 'quotes'\" # comment <b>\n- [a, {b: &anchor c}]\n",
            "if [ \"$x\" -lt 3 ]; then echo \"<$y>\" >&2; fi\n'''unterminated\n",
            "SELECT \"a\" FROM t WHERE b = 'it''s' AND c <> 1; -- done\n<?php echo \"x\"; ?>",
            "",
            "\n\n",
        ];
        for syntax in SYNTAXES.syntaxes() {
            for code in samples {
                assert_eq!(
                    spans(code, syntax, usize::MAX).ok(),
                    syntects(code, syntax),
                    "{} on {code:?}",
                    syntax.name
                );
            }
        }
    }

    /// syntect's own HTML for `code`, parsed line by line from a fresh state,
    /// without the spans and classes no rule of the stylesheet reads.
    fn syntects(code: &str, syntax: &SyntaxReference) -> Option<String> {
        let mut generator =
            syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, STYLE);
        LinesWithEndings::from(code)
            .try_for_each(|line| generator.parse_html_for_line_which_includes_newline(line))
            .ok()?;
        Some(unstyled_out(&generator.finalize()))
    }

    /// `html` without the spans whose classes match no compound of
    /// [`STYLED`], and without the classes no compound names.
    fn unstyled_out(html: &str) -> String {
        let mut out = String::new();
        let mut kept = Vec::new();
        let mut rest = html;
        while let Some(at) = rest.find('<') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            let end = rest.find('>').unwrap() + 1;
            let tag = &rest[..end];
            if tag == "</span>" {
                if kept.pop().unwrap() {
                    out.push_str(tag);
                }
            } else {
                let classes = tag
                    .strip_prefix("<span class=\"")
                    .and_then(|t| t.strip_suffix("\">"))
                    .unwrap();
                let atoms: Vec<&str> = classes
                    .split(' ')
                    .map(|c| c.strip_prefix(PREFIX).unwrap())
                    .collect();
                let read = |a: &&&str| STYLED.iter().any(|c| c.iter().any(|s| s == **a));
                let styled = STYLED
                    .iter()
                    .any(|c| c.iter().all(|s| atoms.contains(&s.as_str())));
                if styled {
                    let keep: Vec<String> = atoms
                        .iter()
                        .filter(read)
                        .map(|a| format!("{PREFIX}{a}"))
                        .collect();
                    out.push_str(&format!("<span class=\"{}\">", keep.join(" ")));
                }
                kept.push(styled);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn only_styled_scopes_are_marked_up() {
        let Language::Known(rust) = language("rust") else {
            panic!()
        };
        let html = highlight("fn main() { let x = 1; }\n", rust);
        // `fn` is storage.type.function.rust: styled as `.hl-storage.hl-type`.
        assert!(
            html.contains("<span class=\"hl-storage hl-type hl-function\">fn</span>"),
            "{html}"
        );
        // No rule reads `rust` or `source` (source.rust is not marked up),
        // and none matches the parenthesis'
        // punctuation.section.parameters.begin.rust (`begin` is read only
        // with punctuation.definition.string).
        assert!(!html.contains("hl-rust"), "{html}");
        assert!(!html.contains("hl-source"), "{html}");
        assert!(!html.contains("hl-begin"), "{html}");
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
    }

    #[test]
    fn lines_met_again_in_another_state_are_parsed_again() {
        // The same line at the top level, in a comment, in a string, and in
        // heredocs that end at different words (a state with captured text).
        let samples = [
            ("rust", "x\n/*\nx\n*/\nx\nlet s = \"\nx\n\";\nx\n"),
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n"),
            (
                "bash",
                "cat <<EOF\necho hi\nEOF\ncat <<END\nEOF\necho hi\nEND\necho hi\ncat <<EOF\nEND\nEOF\n",
            ),
            ("yaml", "a: |\n  b: 1\nb: 1\nc: >\n  b: 1\n"),
            ("sql", "x\n/* x\nx\n*/ x\nx\n"),
        ];
        for (name, code) in samples {
            let Language::Known(syntax) = language(name) else {
                panic!("{name}")
            };
            // Twice: the second time, every line has been met before.
            for _ in 0..2 {
                assert_eq!(
                    spans(code, syntax.0, usize::MAX).ok(),
                    syntects(code, syntax.0),
                    "{name}: {code:?}"
                );
            }
        }
    }

    /// Lines that open and close comments, strings, heredocs and blocks in
    /// several languages.
    const PICKS: &[&str] = &[
        "x = 1\n",
        "}\n",
        "{\n",
        "/*\n",
        "*/\n",
        "\"\n",
        "'''\n",
        "\"\"\"\n",
        "# c\n",
        "-- c\n",
        "\n",
        "  - a: 'b'\n",
        "cat <<EOF\n",
        "EOF\n",
        "fi\n",
        "if x then\n",
        "end\n",
        "<<END\n",
        "END\n",
        "a: |\n",
        "fn f() {\n",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn highlighting_lines_met_before_is_syntects(
            picks in proptest::collection::vec(0..PICKS.len(), 0..24),
            lang in 0..4usize,
        ) {
            // In any order, so that each line is met in many states.
            let name = ["rust", "python", "bash", "yaml"][lang];
            let Language::Known(syntax) = language(name) else {
                panic!("{name}")
            };
            let code: String = picks.iter().map(|&i| PICKS[i]).collect();
            proptest::prop_assert_eq!(spans(&code, syntax.0, usize::MAX).ok(), syntects(&code, syntax.0), "{}", name);
        }
    }

    /// Found in the Cargo book: bat's JavaScript grammar has two lookahead
    /// rules that `set` each other at the `/` of a comment after an object
    /// member, and syntect 5.3.0 spun on it forever (vendor/syntect/PATCH.md).
    #[test]
    fn grammar_loops_end() {
        for (lang, code) in [
            ("javascript", "{\n    \"doctest\": true\n    /* x */\n}\n"),
            ("js", "x /*\n"),
            ("typescript", "{\n    \"a\": 1\n    /* x */\n}\n"),
        ] {
            let Language::Known(syntax) = language(lang) else {
                panic!("{lang}")
            };
            let (done, wait) = std::sync::mpsc::channel();
            let code = code.to_string();
            std::thread::spawn(move || done.send(spans(&code, syntax.0, usize::MAX)));
            let html = wait
                .recv_timeout(std::time::Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("{lang}: still highlighting after 20 s"))
                .unwrap();
            assert!(html.contains("hl-comment"), "{lang}: {html}");
        }
    }

    #[test]
    fn a_block_over_its_budget_is_plain_and_reported() {
        let Language::Known(rust) = language("rust") else {
            panic!()
        };
        let code = "fn main() {\n    let x = 1;\n}\n";
        let (line, reason) = spans(code, rust.0, 12).unwrap_err();
        assert!(line < 3, "{line}: {reason}");
        assert!(reason.contains("more than 12"), "{reason}");
        // Shown plain, escaped, and listed once for a warning.
        let code = "fn main() {\n    let s = \"<b>\";\n}\n";
        for _ in 0..2 {
            assert_eq!(highlight_within(code, rust.0, 12), escape(code));
        }
        let listed: Vec<_> = take_gave_up()
            .into_iter()
            .filter(|g| g.code == code)
            .collect();
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0].syntax, "Rust");
        // Within its real budget the block is highlighted.
        assert!(spans(code, rust.0, block_budget(code)).is_ok());
    }

    #[test]
    fn a_sessions_cache_keeps_what_the_last_full_build_showed() {
        let Language::Known(yaml) = language("yaml") else {
            panic!()
        };
        let cache = Cache::default();
        let block = |code: &'static str| [(yaml, std::borrow::Cow::Borrowed(code))];
        let count = |cache: &Cache| cache.counts();
        let first = Highlighted::new(block("a: 1\n"), Some(&cache));
        Highlighted::new(block("b: 2\n"), Some(&cache));
        assert_eq!(count(&cache), (2, 0));
        cache.full_build_done();
        // The next build shows `a` only: it is taken from the cache, and
        // `b`, which no build shows any more, goes at the one after.
        let again = Highlighted::new(block("a: 1\n"), Some(&cache));
        assert_eq!(again.get(yaml, "a: 1\n"), first.get(yaml, "a: 1\n"));
        assert_eq!(count(&cache), (1, 1));
        cache.full_build_done();
        assert_eq!(count(&cache), (0, 1));
    }

    #[test]
    fn highlighted_ahead_is_what_highlighting_gives() {
        let (Language::Known(rust), Language::Known(yaml)) = (language("rust"), language("yaml"))
        else {
            panic!()
        };
        let blocks = [
            (yaml, "a: 1\n"),
            (rust, "fn f() {}\n"),
            (yaml, "b: [2, 3]\n"),
            (rust, "fn f() {}\n"),
            (rust, "a: 1\n"),
        ];
        let ahead = Highlighted::new(blocks.iter().map(|&(s, c)| (s, c.into())), None);
        for (syntax, code) in blocks {
            assert_eq!(
                ahead.get(syntax, code),
                Some(highlight(code, syntax).as_str())
            );
        }
        // By syntax and code: YAML's `a: 1` is not Rust's.
        assert_ne!(ahead.get(rust, "a: 1\n"), ahead.get(yaml, "a: 1\n"));
        assert_eq!(ahead.get(rust, "fn g() {}\n"), None);
        assert_eq!(
            ahead.blocks.values().map(HashMap::len).sum::<usize>(),
            4,
            "one per distinct block"
        );
    }

    #[test]
    fn css_has_both_themes() {
        let css = css();
        assert!(css.contains(".hl-"));
        assert!(css.contains("[data-theme=\"dark\"] .hl-"));
    }
}
