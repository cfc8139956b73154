//! Rendering: every page, view and data file of the book, written into a
//! staging folder (see `output`).
//!
//! Pages are rendered and written in parallel (rayon), each through the
//! theme's `page.html` with a context of view types (the context keys are
//! documented in the user guide). Generated views (`raci.html`, `layers.html`,
//! `boundaries.html`, kind indexes, the decision log), `404.html`,
//! redirect pages (see `redirect`), `raci.csv`, `model.json`, `sitemap.xml`,
//! `.nojekyll`, `CNAME`, the theme's assets and the handbook's static files
//! do not depend on the pages and are written beside them; `print.html` and
//! the search index are finished after them.
//!
//! Pages go in batches in reading order; a batch's print chapters and search
//! words are added while the next batch renders. Their fenced code is
//! highlighted before them, a window of batches at a time, one language after
//! another (see `highlight::Highlighted`). A page's sidebar and body
//! enter its template as markers that are spliced into the output. Full
//! builds write into the staging folder; `serve`'s incremental rebuilds
//! (`rerender`) write each file beside its place and rename it over, so a
//! reader never sees half a page. With `sanitize-html`, pages holding raw
//! HTML are cleaned (see `markdown::sanitize`).
//!
//! This file runs the renderer; by job: `page` (a content page),
//! `generated` (views, 404, redirects), `print`, `data` (CSV, JSON,
//! sitemap), `context` (template values), `sidebar`, `schedule` (batches and
//! highlighting ahead); and the pieces they use: `markdown`, `nav`, `views`
//! (the view types and their builder), `search`, `stack` (the layer stack
//! SVG), `theme`.

mod context;
mod data;
pub mod diagrams;
pub mod draw;
mod generated;
pub mod markdown;
pub mod nav;
mod page;
mod print;
mod schedule;
pub mod search;
mod sidebar;
pub use sidebar::TOC_JS;
pub mod stack;
pub mod theme;
pub mod views;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex};

use memchr::memmem::Finder;
use rayon::prelude::*;
use serde::Serialize;

use crate::content::page::{KindData, Page};

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::highlight;
use crate::model::handbook::Handbook;
use crate::model::redirect;
use crate::output;
use crate::render::nav::{Crumb, Nav};
use crate::render::search::{Prepared, SearchIndex};
use crate::render::theme::Theme;
use crate::render::views::{Facts, PageRef, Views};
use crate::vocab::Kind;
use context::*;
use data::*;
use generated::*;
use markdown::Rendered;
use page::*;
use print::*;
use schedule::*;
use sidebar::*;

/// What a build wrote.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Content pages.
    pub pages: usize,
    /// Generated pages (views, print, 404).
    pub views: usize,
    /// Files written in all.
    pub files: usize,
    /// Bytes written in all.
    pub bytes: u64,
    /// Bytes of the search index.
    pub search_bytes: u64,
    /// Time spent on the pages, and on everything after them.
    pub phases: Vec<(&'static str, std::time::Duration)>,
}

/// Renders the whole site into `dir`.
pub fn render(
    book: &Handbook,
    theme: &Theme,
    dir: &Path,
) -> std::result::Result<Report, RenderError> {
    render_keeping(book, theme, dir, None, false).map(|(report, _, _)| report)
}

/// Renders the whole site like [`render`], highlighting through `cache`
/// when given, and returns the render state; with `keep` (a long session),
/// also each page's search words and print chapter (what an incremental
/// rebuild needs).
pub fn render_keeping(
    book: &Handbook,
    theme: &Theme,
    dir: &Path,
    cache: Option<&highlight::Cache>,
    keep: bool,
) -> std::result::Result<(Report, RenderState, Kept), RenderError> {
    let (state, ahead) = rayon::join(
        || RenderState::new(book),
        || highlight_everything(book, cache),
    );
    let mut r = Renderer::new(book, theme, dir, &state);
    r.cache = cache;
    let (report, kept) = r.run(keep.then(Kept::default), ahead)?;
    Ok((report, state, kept.unwrap_or_default()))
}

/// Per-page outputs kept between incremental rebuilds.
#[derive(Default)]
pub struct Kept {
    /// Search words by page.
    pub words: HashMap<usize, Prepared>,
    /// Print chapter by page.
    pub chapters: HashMap<usize, String>,
    /// The views' print chapters, from the last full build.
    views: ViewChapters,
}

/// A published site that a long session rebuilds page by page.
pub struct Published<'a> {
    /// The folder it is published in.
    pub dir: &'a Path,
    /// The theme it was rendered with.
    pub theme: &'a Theme,
    /// Navigation and views of its last full build.
    pub state: &'a RenderState,
    /// Every page's search words and print chapter.
    pub kept: &'a mut Kept,
    /// The session's highlighted code.
    pub cache: &'a highlight::Cache,
}

/// Re-renders `pages` into the published site (an incremental rebuild),
/// then, after `then` ran (it sends the browser its reload), refreshes the
/// search index and `print.html` from what it keeps.
pub fn rerender(
    book: &Handbook,
    site: Published<'_>,
    pages: &[usize],
    then: impl FnOnce(),
) -> std::result::Result<(), RenderError> {
    let Published {
        dir,
        theme,
        state,
        kept,
        cache,
    } = site;
    let mut r = Renderer::new(book, theme, dir, state);
    r.out = output::Writer::live(dir);
    r.cache = Some(cache);
    let anchors = r.print_anchors(&state.nav.order);
    let highlighted = r.highlight_ahead(pages);
    let done: Vec<(usize, Prepared, String)> = pages
        .par_iter()
        .map(|&i| {
            let (words, chapter) = r.page_outputs(i, &anchors, &highlighted)?;
            Ok((i, words, chapter))
        })
        .collect::<std::result::Result<_, RenderError>>()?;
    then();
    for (i, words, chapter) in done {
        kept.words.insert(i, words);
        kept.chapters.insert(i, chapter);
    }
    let mut index = SearchIndex::new(state.stemming);
    let mut print = r.print_start(&state.nav.order)?;
    for &i in &state.nav.order {
        if let Some(w) = kept.words.get(&i) {
            index.push_ref(w);
        }
        if let Some(c) = kept.chapters.get(&i) {
            print.chapter(&book.pages[i], c)?;
        }
    }
    print.views(&kept.views)?;
    print.finish()?;
    if state.site_ctx.search {
        r.write_search(&mut index)?;
    }
    Ok(())
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// A template failed; the finding names it.
    Template(tera::Error),
    /// Writing failed.
    Io(Error),
}

impl From<Error> for RenderError {
    fn from(e: Error) -> Self {
        RenderError::Io(e)
    }
}

/// What rendering needs beyond the site itself: navigation, view data and
/// the sidebar cache. Built once per full build; `serve` keeps it between
/// incremental rebuilds.
pub struct RenderState {
    nav: Nav,
    views: Views,
    site_ctx: SiteCtx,
    view_links: Vec<ViewLink>,
    /// Rendered sidebars by (section, own section entry, block, depth).
    sidebars: Mutex<HashMap<SidebarKey, Arc<CachedSidebar>>>,
    /// Redirect pages, the landing page when no page is `index.html`, and
    /// pages' `#fragment` redirects.
    redirects: redirect::Plan,
    /// How the search index stems words, from `language`.
    stemming: search::Stemming,
}

impl RenderState {
    /// Computes navigation and every view from a resolved book.
    pub fn new(book: &Handbook) -> RenderState {
        let mut nav = Nav::new(&book.pages, book.summary_items.as_deref());
        if book.config.no_section_label {
            for e in &mut nav.entries {
                e.number = None;
            }
        }
        let views = Views::build(book, &nav);
        let cfg = &book.config;
        let view_links = VIEWS
            .iter()
            .filter(|v| v.listed(&views))
            .map(|v| ViewLink {
                title: v.title,
                url: v.url,
                current: false,
            })
            .collect();
        let site_ctx = SiteCtx {
            title: cfg.title.clone().unwrap_or_else(|| "Handbook".into()),
            description: cfg.description.clone(),
            language: cfg.language.clone(),
            direction: cfg.direction().as_str(),
            authors: cfg.authors.clone(),
            repository_url: cfg.git_repository_url.clone(),
            search: cfg.search,
            print: cfg.print,
            toc: nav.full_tree().is_some(),
            additional_css: cfg.additional_css.clone(),
            additional_js: cfg.additional_js.clone(),
        };
        let first = nav.order.first().map(|&i| book.pages[i].output.as_str());
        let redirects = redirect::plan(&cfg.redirects, &book.pages, first, VIEWS[0].url);
        RenderState {
            stemming: search::Stemming::for_language(&cfg.language),
            nav,
            views,
            site_ctx,
            view_links,
            sidebars: Mutex::new(HashMap::new()),
            redirects,
        }
    }

    /// Recomputes the "referenced by" lists after page links changed.
    pub fn refresh_backlinks(&mut self, book: &Handbook) {
        self.views.backlinks = Views::backlinks(book, &self.views);
    }
}

struct Renderer<'a> {
    book: &'a Handbook,
    theme: &'a Theme,
    state: &'a RenderState,
    /// Where every file goes (into the published site, for incremental
    /// rebuilds: see [`output::Writer::live`]).
    out: output::Writer,
    /// A long session's highlight cache.
    cache: Option<&'a highlight::Cache>,
    /// Each page link's template value ([`RefValue`]), made on first use.
    ref_values: Vec<std::sync::OnceLock<tera::Value>>,
}

impl<'a> Renderer<'a> {
    fn new(book: &'a Handbook, theme: &'a Theme, dir: &Path, state: &'a RenderState) -> Self {
        Renderer {
            book,
            theme,
            state,
            out: output::Writer::new(dir),
            cache: None,
            ref_values: state
                .views
                .refs
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    /// Renders and writes everything: the pages (with the search index and
    /// print page they feed) on one side, the views, data files and assets
    /// on the other.
    fn run(
        self,
        mut keep: Option<Kept>,
        ahead: Option<highlight::Highlighted>,
    ) -> std::result::Result<(Report, Option<Kept>), RenderError> {
        let start = std::time::Instant::now();
        let published: Vec<usize> = self.state.nav.order.clone();
        let unlisted = &self.state.nav.unlisted;
        self.create_folders(&published)?;
        // The views, data files and assets do not depend on the pages: they
        // take one core at the start while the other begins on the pages,
        // rather than leaving a tail after them.
        let (pages, (views, data)) = rayon::join(
            || self.pages(&published, &mut keep, ahead),
            || rayon::join(|| self.views(), || self.data_files()),
        );
        let (search, pages_done, mut print) = pages?;
        let (views, view_chapters) = views?;
        print.views(&view_chapters)?;
        print.finish()?;
        if let Some(k) = keep.as_mut() {
            k.views = view_chapters;
        }
        let mut report = Report {
            pages: published.len() + unlisted.len(),
            ..Report::default()
        };
        report.search_bytes = search;
        report.views = views;
        data?;
        self.write_toc()?;
        report.phases = vec![
            ("pages", pages_done - start),
            ("index", pages_done.elapsed()),
        ];
        let (files, bytes) = self.out.totals();
        report.files = files;
        report.bytes = bytes;
        Ok((report, keep))
    }

    /// Creates every folder first, so the parallel writers never race on it.
    fn create_folders(&self, published: &[usize]) -> Result<()> {
        let pages = published
            .iter()
            .chain(&self.state.nav.unlisted)
            .map(|&i| self.book.pages[i].output.as_str());
        let statics = self.book.statics.iter().map(String::as_str);
        self.out.folders(pages.chain(statics).chain(["assets/"]))
    }

    /// Renders the pages, the print page's chapters of them and the search
    /// index; returns the index's size, when the pages were done and the
    /// print page (for the views' chapters and its end).
    ///
    /// Pages are rendered in parallel, a batch at a time in reading order;
    /// each batch's chapters are appended to print.html and its words to
    /// the search index while the next batch renders, so no core waits on
    /// that serial work and memory stays flat however large the handbook.
    /// Their code is highlighted ahead, a window of batches at a time, or
    /// all of it beforehand when it fits in one window (`ahead`). The print
    /// page's frame (its contents list every chapter) renders beside the
    /// first batch.
    fn pages(
        &self,
        published: &[usize],
        keep: &mut Option<Kept>,
        ahead: Option<highlight::Highlighted>,
    ) -> std::result::Result<(u64, std::time::Instant, PrintWriter<'_>), RenderError> {
        let unlisted = &self.state.nav.unlisted;
        let anchors = self.print_anchors(published);
        let mut consume = |print: &mut PrintWriter,
                           index: &mut SearchIndex,
                           batch: &[usize],
                           done: Vec<PageOutputs>|
         -> Result<()> {
            for (&i, (words, chapter)) in batch.iter().zip(done) {
                index.push_ref(&words);
                print.chapter(&self.book.pages[i], &chapter)?;
                if let Some(k) = keep.as_mut() {
                    k.words.insert(i, words);
                    k.chapters.insert(i, chapter);
                }
            }
            Ok(())
        };
        let mut print: Option<PrintWriter> = None;
        let mut index = SearchIndex::new(self.state.stemming);
        let mut pending: Option<(&[usize], Vec<PageOutputs>)> = None;
        // Every page's code, when it was highlighted beforehand.
        let whole = ahead.is_some();
        let mut highlighted = ahead.unwrap_or_default();
        for Batch {
            window,
            pages: batch,
        } in self.batches(published)
        {
            if let Some(window) = window
                && !whole
            {
                highlighted = self.highlight_ahead(window);
            }
            let highlighted = &highlighted;
            let previous = pending.take();
            let (done, consumed) = rayon::join(
                || {
                    batch
                        .par_iter()
                        .map(|&i| self.page_outputs(i, &anchors, highlighted))
                        .collect::<std::result::Result<Vec<_>, RenderError>>()
                },
                || -> std::result::Result<PrintWriter, RenderError> {
                    let mut w = match print.take() {
                        Some(w) => w,
                        None => self.print_start(published)?,
                    };
                    if let Some((b, d)) = previous {
                        consume(&mut w, &mut index, b, d)?;
                    }
                    Ok(w)
                },
            );
            print = Some(consumed?);
            pending = Some((batch, done?));
        }
        let mut print = match print {
            Some(w) => w,
            None => self.print_start(published)?,
        };
        if let Some((b, d)) = pending {
            consume(&mut print, &mut index, b, d)?;
        }
        // Pages SUMMARY.md leaves out are built and searchable, but not printed.
        if !whole {
            highlighted = self.highlight_ahead(unlisted);
        }
        let extra: Vec<Prepared> = unlisted
            .par_iter()
            .map(|&i| {
                self.page_outputs(i, &anchors, &highlighted)
                    .map(|(words, _)| words)
            })
            .collect::<std::result::Result<_, RenderError>>()?;
        for words in &extra {
            index.push_ref(words);
        }
        let pages_done = std::time::Instant::now();
        if !self.state.site_ctx.search {
            return Ok((0, pages_done, print));
        }
        let bytes = self.write_search(&mut index)?;
        Ok((bytes, pages_done, print))
    }

    /// Adds the generated views' documents to `index` and writes it: the
    /// index, its excerpt files and (English) the stemmer. Returns the
    /// index's size.
    fn write_search(&self, index: &mut SearchIndex) -> Result<u64> {
        for view in self.view_documents() {
            index.push_ref(&view);
        }
        let js = index.to_js();
        self.write("search-index.js", js.as_bytes())?;
        for (name, text) in index.excerpt_files() {
            self.write(&name, text.as_bytes())?;
        }
        if self.state.stemming == search::Stemming::English {
            self.write("search-stem.js", search::PORTER2_JS.as_bytes())?;
        }
        Ok(js.len() as u64)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.out.write(rel, bytes)
    }

    fn copy_statics(&self) -> Result<()> {
        let src = self.book.root.join(&self.book.config.src);
        self.book
            .statics
            .par_iter()
            .try_for_each(|rel| self.out.copy(&src.join(rel), rel))
    }

    /// Renders `template` with the common keys and those `fill` adds,
    /// serialized straight into template values (no intermediate JSON copy
    /// of the views, the biggest values a template gets).
    fn render_with(
        &self,
        template: &str,
        common: &Common<'_>,
        fill: impl FnOnce(&mut tera::Context),
    ) -> std::result::Result<String, RenderError> {
        let mut ctx = tera::Context::new();
        common.add_to(&mut ctx);
        fill(&mut ctx);
        self.render_template(template, &ctx)
    }

    /// Renders `template` with a context made of `values` (a struct whose
    /// fields are the keys).
    fn render_values<T: Serialize>(
        &self,
        template: &str,
        values: &T,
    ) -> std::result::Result<String, RenderError> {
        let ctx = tera::Context::from_serialize(values).map_err(RenderError::Template)?;
        self.render_template(template, &ctx)
    }

    fn render_template(
        &self,
        template: &str,
        ctx: &tera::Context,
    ) -> std::result::Result<String, RenderError> {
        self.theme
            .tera
            .render(template, ctx)
            .map_err(RenderError::Template)
    }
}

/// Escapes text for HTML (and XML) attributes and content.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

/// `../` once for each folder of a site-relative path.
fn root_of(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

impl RenderError {
    /// Turns a template failure into a finding located in the template; an
    /// I/O failure stays an error.
    pub fn into_finding(
        self,
        theme: &Theme,
        sources: &mut crate::diagnostic::Sources,
    ) -> std::result::Result<Diagnostic, Error> {
        match self {
            RenderError::Template(t) => Ok(crate::render::theme::template_error(
                &t,
                &theme.templates,
                sources,
            )),
            RenderError::Io(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `dir`, by path relative to it.
    fn files(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn code_highlighted_beforehand_renders_as_code_highlighted_by_window() {
        // The mdBook fixture has code in several languages, hidden lines and
        // pages left out of SUMMARY.md.
        let mut book = crate::Site::check(Path::new("tests/fixtures/mdbook"))
            .unwrap()
            .handbook;
        let theme = crate::render::theme::Theme::load(
            Path::new("."),
            "default",
            &mut book.sources,
            &mut Vec::new(),
        )
        .unwrap();
        let state = RenderState::new(&book);
        let ahead = highlight_everything(&book, None);
        assert!(ahead.is_some());
        let (by_window, beforehand) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        Renderer::new(&book, &theme, by_window.path(), &state)
            .run(None, None)
            .unwrap();
        Renderer::new(&book, &theme, beforehand.path(), &state)
            .run(None, ahead)
            .unwrap();
        let (a, b) = (files(by_window.path()), files(beforehand.path()));
        assert!(a.keys().any(|f| f.extension().is_some_and(|e| e == "html")));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            assert!(bytes == &b[path], "{} differs", path.display());
        }
    }

    #[test]
    fn batches_group_into_windows_by_code() {
        // Pages 10..20 in reading order; page i holds i bytes of code.
        let pages: Vec<usize> = (10..20).collect();
        let got = batches(&pages, |i| i, 3, 40);
        let flat: Vec<usize> = got.iter().flat_map(|b| b.pages.iter().copied()).collect();
        assert_eq!(flat, pages, "every page once, in order");
        let shape: Vec<(Option<usize>, usize)> = got
            .iter()
            .map(|b| (b.window.map(<[usize]>::len), b.pages.len()))
            .collect();
        // 10+11+12 = 33 < 40, so a second batch joins: 33+13+14+15 = 75.
        // Then 16+17+18 = 51 is past the limit alone; 19 is the last.
        assert_eq!(shape, [(Some(6), 3), (None, 3), (Some(3), 3), (Some(1), 1)]);
        assert_eq!(got[0].window, Some(&pages[..6]));
        // Without code, one window holds every batch; none, no batches.
        let got = batches(&pages, |_| 0, 4, 40);
        assert_eq!(got.iter().filter(|b| b.window.is_some()).count(), 1);
        assert_eq!(got.len(), 3);
        assert!(batches(&[], |_| 0, 4, 40).is_empty());
    }

    #[test]
    fn splicing_needs_each_marker_exactly_once() {
        let parts: [(&str, &[&str]); 2] = [
            (SIDEBAR_MARK, &["<nav>", " x", "</nav>"]),
            (CONTENT_MARK, &["<p>x</p>"]),
        ];
        let html = format!("<body>{CONTENT_MARK}<aside>{SIDEBAR_MARK}</aside></body>");
        assert_eq!(
            splice(&html, &parts).unwrap(),
            "<body><p>x</p><aside><nav> x</nav></aside></body>"
        );
        // A stray U+0002 that starts no marker leaves the page to the slow path.
        assert!(splice(&format!("\u{2}{html}"), &parts).is_none());
        assert!(
            splice(
                &format!("{CONTENT_MARK}{SIDEBAR_MARK}{CONTENT_MARK}"),
                &parts
            )
            .is_none()
        );
        assert!(splice(&format!("{SIDEBAR_MARK} only"), &parts).is_none());
    }

    #[test]
    fn every_view_is_a_generated_output() {
        // A page written where a view goes is an `output-collision` error.
        for View { url, .. } in VIEWS {
            assert!(
                crate::model::outputs::GENERATED.contains(url)
                    || crate::model::outputs::GENERATED_IF_USED.contains(url),
                "{url}"
            );
        }
    }

    #[test]
    fn sidebar_marks_the_first_link_to_the_page() {
        let cached = Arc::new(CachedSidebar::new(
            r#"<a href="a.html">A</a><a href="b.html">B</a><a href="a.html">A again</a>"#.into(),
        ));
        let current = cached.link_ends.get("a.html").copied();
        let marked = Sidebar { cached, current }.to_html();
        assert_eq!(
            marked,
            r#"<a href="a.html" aria-current="page">A</a><a href="b.html">B</a><a href="a.html">A again</a>"#
        );
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let mut out = String::new();
        push_csv_row(
            &mut out,
            &[
                "a,b".into(),
                "say \"hi\"".into(),
                "=1+1".into(),
                "-x".into(),
                "plain".into(),
                "\t=cmd".into(),
                "\r=cmd".into(),
            ],
        );
        assert_eq!(
            out,
            "\"a,b\",\"say \"\"hi\"\"\",'=1+1,'-x,plain,'\t=cmd,\"'\r=cmd\"\r\n"
        );
    }

    #[test]
    fn print_rewrites_ids_and_links() {
        let anchors: HashMap<String, String> = [
            (
                "roles/ops.html".to_string(),
                chapter_anchor("roles/ops.html"),
            ),
            ("index.html".to_string(), chapter_anchor("index.html")),
        ]
        .into();
        let html = "<h2 id=\"a\">A</h2><a href=\"#a\">x</a><a href=\"../index.html#top\">h</a><img src=\"../img/x.png\"><a href=\"https://x.org\">e</a><a href=\"ops.html\">self</a>";
        let out = print_html(&[html], "roles/ops.html", "chapter-roles-ops", &anchors);
        assert_eq!(
            out,
            "<h2 id=\"chapter-roles-ops--a\">A</h2><a href=\"#chapter-roles-ops--a\">x</a><a href=\"#chapter-index--top\">h</a><img src=\"img/x.png\"><a href=\"https://x.org\">e</a><a href=\"#chapter-roles-ops\">self</a>"
        );
    }
}
