//! `book.toml`: mdBook-compatible settings plus archbook's own `[archbook]` table.
//!
//! Parsed with `toml`'s spanned document API so a wrong value or an unknown key
//! is reported at its line and column. Unknown keys never stop a build: mdBook
//! books carry many keys archbook does not use, and they get at most a warning.
//! Produces a [`Config`] and pushes findings into the caller's list; touches
//! nothing else. `read` walks the document, `admonish` reads the
//! mdbook-admonish settings, `redirect` one redirect entry, `pdf` the
//! mdbook-pdf settings of `build --pdf`.

pub mod admonish;
mod pdf;
mod read;
pub mod redirect;

use std::ops::Range;
use std::path::PathBuf;

use crate::diagnostic::FileId;
use crate::rules::RuleSet;
pub use crate::vocab::Alphabet;
pub use read::parse;

/// The whole of `book.toml`, with defaults filled in.
#[derive(Clone, Debug)]
pub struct Config {
    /// `[book] title`.
    pub title: Option<String>,
    /// `[book] authors`.
    pub authors: Vec<String>,
    /// `[book] description`.
    pub description: Option<String>,
    /// `[book] language` (default `en`).
    pub language: String,
    /// `[book] text-direction`: `rtl` or `ltr`; when not set, right to left
    /// for languages written that way (Arabic, Hebrew, Persian, Urdu, ...).
    pub text_direction: Option<TextDirection>,
    /// `[book] src`, relative to the root (default `src`).
    pub src: PathBuf,
    /// `[build] build-dir`, relative to the root (default `book`).
    pub build_dir: PathBuf,
    /// Where `build-dir` is written in `book.toml` (file and span), for a
    /// finding when archbook refuses that folder.
    pub build_dir_at: Option<(FileId, Range<usize>)>,
    /// `[archbook] deny-warnings`: `check` and `build` fail on any warning,
    /// as with `--deny warnings`.
    pub deny_warnings: bool,
    /// `[archbook] areas`: the RACI matrix's areas in this order, before
    /// any it does not list; each with where it is written.
    pub areas: Vec<(String, FileId, Range<usize>)>,
    /// `[archbook] proposed-days` (default 30): after how many days a
    /// decision still `proposed` is listed on the "Model health" page.
    pub proposed_days: i64,
    /// `[archbook] changes-since`: the git revision the "What changed" page
    /// compares with.
    pub changes_since: Option<String>,
    /// Where `changes-since` is written, for a finding when it cannot be read.
    pub changes_since_at: Option<(FileId, Range<usize>)>,
    /// `[output.html] site-url`.
    pub site_url: Option<String>,
    /// `[output.html] git-repository-url`.
    pub git_repository_url: Option<String>,
    /// `[output.html] edit-url-template`.
    pub edit_url_template: Option<String>,
    /// `[output.html] default-theme`.
    pub default_theme: Option<String>,
    /// `[output.html.print] enable` (default true): write `print.html`.
    pub print: bool,
    /// `[output.pdf]`: the browser and paper of `build --pdf` (the keys of
    /// the mdbook-pdf plugin).
    pub pdf: crate::pdf::PdfSettings,
    /// `[output.html.search] enable` (default true): write the search index.
    pub search: bool,
    /// `[output.html] additional-css`: stylesheets (paths from the root) added to every page.
    pub additional_css: Vec<String>,
    /// `[output.html] additional-js`: scripts (paths from the root) added to every page.
    pub additional_js: Vec<String>,
    /// Where each `additional-css`/`additional-js` path is written in
    /// `book.toml`, for a finding when the file is missing.
    pub asset_spans: std::collections::HashMap<String, Range<usize>>,
    /// `[archbook] theme`: a theme name under `themes/`, or `default`.
    pub theme: String,
    /// `[archbook] raci`: `RACI` or `RASCI`.
    pub alphabet: Alphabet,
    /// `[archbook.rules]`: severities per rule.
    pub rules: RuleSet,
    /// Whether `book.toml` has an `[archbook]` table. Without one the book
    /// is an mdBook book: it must build as mdBook builds it, so link and
    /// anchor findings mdBook would not stop on are warnings, and files
    /// `SUMMARY.md` does not list are not pages.
    pub archbook: bool,
    /// `[archbook] sanitize-html` (default false): clean raw HTML written in
    /// Markdown with ammonia, for handbooks with untrusted contributors.
    pub sanitize_html: bool,
    /// `[output.html] smart-punctuation` (or mdBook's older `curly-quotes`):
    /// curly quotes, dashes and ellipses. On unless set off, as in mdBook
    /// 0.5 (headings' ids depend on it: `a -- b` becomes `a--b`).
    pub smart_punctuation: bool,
    /// `[output.html] input-404` (default `404.md`): the page, under the
    /// source folder, whose text the not-found page shows.
    pub input_404: String,
    /// `[build] extra-watch-dirs`: folders (from the root) whose changes
    /// make `serve` and `watch` rebuild, such as code listings pulled in with
    /// `{{#include}}` from outside the handbook.
    pub extra_watch_dirs: Vec<String>,
    /// `[build] create-missing` (default on, as in mdBook): a chapter
    /// `SUMMARY.md` links to that has no file is built as an empty page, with
    /// a warning; off, it is an error. archbook never writes the file.
    pub create_missing: bool,
    /// `[output.html] no-section-label`: numbered `SUMMARY.md` chapters are
    /// shown without their numbers (`2.1.`).
    pub no_section_label: bool,
    /// `[output.html] cname`: the custom domain GitHub Pages serves the site
    /// on, written to a `CNAME` file.
    pub cname: Option<String>,
    /// `[output.html.code.hidelines]`: per fence language, the prefix that
    /// marks a line of a code block as hidden (Rust's `# ` needs no entry).
    pub hidelines: std::collections::BTreeMap<String, String>,
    /// `[output.html.redirect]`: old paths and where they went.
    pub redirects: Vec<crate::config::redirect::Redirect>,
    /// `[archbook] highlight` (default true): highlight fenced code at build
    /// time. When false, code is written escaped, with its `language-…`
    /// class for a client-side highlighter, and syntect is never loaded.
    pub highlight: bool,
    /// `[archbook] model-diagrams` (default true): draw the model's
    /// diagrams (neighbourhoods, relations, supersedes chains, the
    /// dependency view's picture). When false, pages keep their fact boxes
    /// and lists; Mermaid blocks are drawn either way.
    pub model_diagrams: bool,
    /// `[preprocessor.admonish]`: how `admonish` blocks are drawn.
    pub admonish: admonish::Settings,
}

/// Which way text runs (`[book] text-direction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextDirection {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

impl TextDirection {
    /// The value of HTML's `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            TextDirection::Ltr => "ltr",
            TextDirection::Rtl => "rtl",
        }
    }
}

impl Config {
    /// The text direction: as set, else from the language (`ar`, `he`,
    /// `fa-IR`, ... run right to left), as mdBook decides it.
    pub fn direction(&self) -> TextDirection {
        // mdBook's list, and Sorani Kurdish, Dhivehi and Sindhi.
        const RTL: &[&str] = &[
            "ae", "ar", "ara", "arc", "ave", "ckb", "dv", "egy", "fa", "fas", "he", "heb", "ku",
            "kur", "nqo", "pal", "per", "phn", "ps", "pus", "sam", "sd", "syc", "syr", "ur", "urd",
            "yi", "yid",
        ];
        self.text_direction.unwrap_or_else(|| {
            let primary = self
                .language
                .split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if RTL.contains(&primary.as_str()) {
                TextDirection::Rtl
            } else {
                TextDirection::Ltr
            }
        })
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: None,
            authors: Vec::new(),
            description: None,
            language: "en".into(),
            text_direction: None,
            src: "src".into(),
            build_dir: "book".into(),
            build_dir_at: None,
            deny_warnings: false,
            proposed_days: 30,
            changes_since: None,
            changes_since_at: None,
            site_url: None,
            git_repository_url: None,
            edit_url_template: None,
            default_theme: None,
            print: true,
            pdf: crate::pdf::PdfSettings::default(),
            search: true,
            additional_css: Vec::new(),
            additional_js: Vec::new(),
            asset_spans: Default::default(),
            areas: Vec::new(),
            theme: "default".into(),
            alphabet: Alphabet::Raci,
            rules: RuleSet::default(),
            archbook: false,
            sanitize_html: false,
            redirects: Vec::new(),
            cname: None,
            hidelines: Default::default(),
            no_section_label: false,
            extra_watch_dirs: Vec::new(),
            create_missing: true,
            input_404: "404.md".into(),
            smart_punctuation: true,
            highlight: true,
            model_diagrams: true,
            admonish: Default::default(),
        }
    }
}

/// Why `path` cannot name a file inside the handbook folder, if it cannot:
/// empty, absolute (`/x`, `\\x`, `C:x`), or climbing out with `..` (either
/// slash counts, as Windows would read it).
pub fn escapes(path: &str) -> Option<&'static str> {
    if path.trim().is_empty() {
        return Some("is empty");
    }
    if path.starts_with(['/', '\\']) || path.as_bytes().get(1) == Some(&b':') {
        return Some("is an absolute path");
    }
    if path.split(['/', '\\']).any(|seg| seg == "..") {
        return Some("climbs out of the handbook folder with `..`");
    }
    None
}
