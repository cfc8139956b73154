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

pub mod markdown;
pub mod nav;
pub mod search;
pub mod stack;
pub mod theme;
pub mod views;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
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
use crate::render::nav::{Crumb, Nav};
use crate::render::search::{Prepared, SearchIndex};
use crate::render::theme::Theme;
use crate::render::views::{Facts, PageRef, Views};
use crate::vocab::Kind;
use markdown::Rendered;

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

/// The generated views: output file, navigation title, template, kind listed.
const VIEWS: &[(&str, &str, &str, Option<Kind>)] = &[
    (
        "raci.html",
        "RACI matrix",
        "raci.html",
        Some(Kind::Activity),
    ),
    ("layers.html", "Layers", "layers.html", Some(Kind::Layer)),
    (
        "boundaries.html",
        "Role boundaries",
        "boundaries.html",
        Some(Kind::Role),
    ),
    ("roles.html", "Roles", "kind-index.html", Some(Kind::Role)),
    (
        "components.html",
        "Components",
        "kind-index.html",
        Some(Kind::Component),
    ),
    (
        "activities.html",
        "Activities",
        "kind-index.html",
        Some(Kind::Activity),
    ),
    (
        "decisions.html",
        "Decision log",
        "decisions.html",
        Some(Kind::Decision),
    ),
];

#[derive(Serialize)]
struct SiteCtx {
    title: String,
    description: Option<String>,
    language: String,
    /// `ltr` or `rtl`, for `<html dir>`.
    direction: &'static str,
    authors: Vec<String>,
    repository_url: Option<String>,
    search: bool,
    print: bool,
    additional_css: Vec<String>,
    additional_js: Vec<String>,
}

#[derive(Serialize, Clone)]
struct ViewLink {
    title: &'static str,
    url: &'static str,
    current: bool,
}

/// Keys every template gets.
struct Common<'a> {
    /// `None` when the template gets the shared value instead
    /// ([`RenderState::shared`]).
    site: Option<&'a SiteCtx>,
    root: String,
    sidebar: String,
    /// `None` when the template gets the shared value instead.
    views: Option<Vec<ViewLink>>,
    title: String,
    description: Option<String>,
    current_url: String,
    breadcrumbs: Vec<Crumb>,
    prev: Option<RefValue<'a>>,
    next: Option<RefValue<'a>>,
    edit_url: Option<String>,
    /// `None` when the template gets the shared value instead.
    alphabet: Option<&'static str>,
}

impl Common<'_> {
    /// The keys as template values, added to `ctx` one by one: quicker than
    /// converting a struct, which builds a map and then copies every key.
    fn add_to(&self, ctx: &mut tera::Context) {
        if let Some(site) = self.site {
            ctx.insert("site", site);
        }
        ctx.insert("root", &self.root);
        ctx.insert("sidebar", &self.sidebar);
        if let Some(views) = &self.views {
            ctx.insert("views", views);
        }
        ctx.insert("title", &self.title);
        ctx.insert("description", &self.description);
        ctx.insert("current_url", &crate::slug::href(&self.current_url));
        ctx.insert("breadcrumbs", &self.breadcrumbs);
        ctx.insert("prev", &self.prev);
        ctx.insert("next", &self.next);
        ctx.insert("edit_url", &self.edit_url);
        if let Some(alphabet) = self.alphabet {
            ctx.insert("alphabet", alphabet);
        }
    }
}

/// A page link as a template value, converted once per build however many
/// pages show it (as their previous or next page, or among their
/// backlinks): a converted value is shared, not copied.
#[derive(Clone, Copy)]
struct RefValue<'a> {
    page: &'a PageRef,
    value: &'a std::sync::OnceLock<tera::Value>,
}

impl Serialize for RefValue<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.value
            .get_or_init(|| tera::Value::from_serializable(self.page))
            .serialize(s)
    }
}

#[derive(Serialize)]
struct PageCtx<'a> {
    id: &'a str,
    title: &'a str,
    kind: Option<Kind>,
    summary: Option<&'a str>,
    tags: &'a [String],
    source: &'a str,
    #[serde(serialize_with = "crate::slug::serialize_href_str")]
    url: &'a str,
    content: &'a str,
    /// The body's leading `# heading`, when it has one (HTML).
    title_html: Option<&'a str>,
    toc: Vec<TocEntry<'a>>,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    text: &'a str,
    anchor: &'a str,
}

#[derive(Serialize)]
struct Chapter {
    title: String,
    anchor: String,
    depth: usize,
}

/// How many pages render side by side before their print chapters and
/// search words are taken in (while the next batch renders).
const BATCH: usize = 512;

/// How many bytes of code are highlighted ahead of the pages that hold
/// them: the markup is some ten to thirty times the code.
const HIGHLIGHT_AHEAD: usize = 2 << 20;

/// A batch of pages, with the window of pages whose code is highlighted
/// ahead when the batch is its window's first.
type Batch<'p> = (Option<&'p [usize]>, &'p [usize]);

/// `pages` in batches of `size`, grouped into windows: whole batches whose
/// code (`code` of a page, in bytes) adds up to `limit` or just past it, and
/// at least one batch, so the markup held stays bounded however much code a
/// handbook has.
fn batches(
    pages: &[usize],
    code: impl Fn(usize) -> usize,
    size: usize,
    limit: usize,
) -> Vec<Batch<'_>> {
    let mut out = Vec::new();
    let mut rest = pages;
    while !rest.is_empty() {
        let (mut end, mut bytes) = (0, 0);
        while end < rest.len() && (end == 0 || bytes < limit) {
            let stop = (end + size).min(rest.len());
            bytes += rest[end..stop].iter().map(|&i| code(i)).sum::<usize>();
            end = stop;
        }
        let (window, after) = rest.split_at(end);
        for (k, batch) in window.chunks(size).enumerate() {
            out.push(((k == 0).then_some(window), batch));
        }
        rest = after;
    }
    out
}

/// Renders the whole site into `dir`.
pub fn render(
    book: &Handbook,
    theme: &Theme,
    dir: &Path,
) -> std::result::Result<Report, RenderError> {
    render_keeping(book, theme, dir, false).map(|(report, _, _)| report)
}

/// Every page's code highlighted at once, when it all fits in one window
/// ([`HIGHLIGHT_AHEAD`]): it then needs no reading order, so it runs beside
/// the navigation and views (mostly serial work) rather than after them.
/// `None` when highlighting is off or the code takes several windows.
fn highlight_everything(book: &Handbook) -> Option<highlight::Highlighted> {
    let code: usize = book.pages.iter().map(code_bytes).sum();
    (book.config.highlight && code <= HIGHLIGHT_AHEAD)
        .then(|| highlight_pages(book, 0..book.pages.len()))
}

/// How much code a page has to highlight, in bytes.
fn code_bytes(page: &Page) -> usize {
    page.fences.iter().map(|f| f.code.len()).sum()
}

/// The code blocks of `pages` (indexes into the site's pages), highlighted
/// ahead of them (see [`highlight::Highlighted`]), with the lines mdBook
/// hides left out.
fn highlight_pages(book: &Handbook, pages: impl Iterator<Item = usize>) -> highlight::Highlighted {
    let config = &book.config;
    if !config.highlight {
        return highlight::Highlighted::default();
    }
    highlight::Highlighted::new(pages.flat_map(|i| &book.pages[i].fences).map(|f| {
        let code = markdown::visible_lines(&f.info, &f.code, &config.hidelines);
        (f.syntax, code)
    }))
}

/// Renders the whole site like [`render`], and returns the render state;
/// with `keep`, also each page's search words and print chapter (what an
/// incremental rebuild needs).
pub fn render_keeping(
    book: &Handbook,
    theme: &Theme,
    dir: &Path,
    keep: bool,
) -> std::result::Result<(Report, RenderState, Kept), RenderError> {
    let (state, ahead) = rayon::join(|| RenderState::new(book), || highlight_everything(book));
    let (report, kept) =
        Renderer::new(book, theme, dir, &state).run(keep.then(Kept::default), ahead)?;
    Ok((report, state, kept.unwrap_or_default()))
}

/// Per-page outputs kept between incremental rebuilds.
#[derive(Default)]
pub struct Kept {
    /// Search words by page.
    pub words: HashMap<usize, Prepared>,
    /// Print chapter by page.
    pub chapters: HashMap<usize, String>,
}

/// Re-renders `pages` into `dir` (an incremental rebuild), then, after
/// `then` ran (it sends the browser its reload), refreshes the search index
/// and `print.html` from `kept`.
pub fn rerender(
    book: &Handbook,
    theme: &Theme,
    dir: &Path,
    state: &RenderState,
    kept: &mut Kept,
    pages: &[usize],
    then: impl FnOnce(),
) -> std::result::Result<(), RenderError> {
    let mut r = Renderer::new(book, theme, dir, state);
    r.live = true;
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
    let mut index = SearchIndex::default();
    let mut print = r.print_start(&state.nav.order)?;
    for &i in &state.nav.order {
        if let Some(w) = kept.words.get(&i) {
            index.push_ref(w);
        }
        if let Some(c) = kept.chapters.get(&i) {
            print.chapter(&book.pages[i], c)?;
        }
    }
    print.finish()?;
    r.write("search-index.js", index.to_js().as_bytes())?;
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
    /// `site`, `views` (none current) and `alphabet` as template values, made
    /// once and shared by every page instead of being converted for each.
    shared: tera::Context,
    /// Redirect pages, the landing page when no page is `index.html`, and
    /// pages' `#fragment` redirects.
    redirects: redirect::Plan,
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
            .filter(|(_, _, _, kind)| kind.is_none_or(|k| !views.of(k).is_empty()))
            .map(|(url, title, _, _)| ViewLink {
                title,
                url,
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
            additional_css: cfg.additional_css.clone(),
            additional_js: cfg.additional_js.clone(),
        };
        let mut shared = tera::Context::new();
        shared.insert("site", &site_ctx);
        shared.insert("views", &view_links);
        shared.insert("alphabet", cfg.alphabet.letters());
        let first = nav.order.first().map(|&i| book.pages[i].output.as_str());
        let redirects = redirect::plan(&cfg.redirects, &book.pages, first, VIEWS[0].0);
        RenderState {
            nav,
            views,
            site_ctx,
            view_links,
            sidebars: Mutex::new(HashMap::new()),
            shared,
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
    dir: &'a Path,
    state: &'a RenderState,
    written: Mutex<(usize, u64)>,
    /// Writing into the published site (incremental rebuilds): each file is
    /// written beside its place and renamed over it, so a reader (the
    /// server, a browser) never sees a half-written page.
    live: bool,
    /// Each page link's template value ([`RefValue`]), made on first use.
    ref_values: Vec<std::sync::OnceLock<tera::Value>>,
}

/// A rendered page's search words and print chapter.
type PageOutputs = (Prepared, String);

/// (section, own section entry, block of the section's list) and the page's depth.
type SidebarKey = ((Option<usize>, Option<usize>, usize), usize);

/// A sidebar rendered through `nav.html`, shared by the pages that show it,
/// with where each of its links' `href="…"` ends, so marking the current
/// page's link takes a lookup rather than a search of the whole sidebar.
struct CachedSidebar {
    html: String,
    link_ends: rustc_hash::FxHashMap<String, usize>,
}

impl CachedSidebar {
    fn new(html: String) -> CachedSidebar {
        const HREF: &str = "href=\"";
        let mut link_ends = rustc_hash::FxHashMap::default();
        let mut from = 0;
        while let Some(at) = html[from..].find(HREF) {
            let start = from + at + HREF.len();
            let Some(len) = html[start..].find('"') else {
                break;
            };
            let end = start + len + 1;
            // The first link to a page is the one marked, as a search would find.
            link_ends
                .entry(html[start..end - 1].to_string())
                .or_insert(end);
            from = end;
        }
        CachedSidebar { html, link_ends }
    }
}

/// A page's sidebar: the shared rendering, and where `aria-current` goes.
struct Sidebar {
    cached: Arc<CachedSidebar>,
    current: Option<usize>,
}

impl Sidebar {
    const CURRENT: &str = " aria-current=\"page\"";

    /// The sidebar as pieces to concatenate.
    fn pieces(&self) -> [&str; 3] {
        let html = self.cached.html.as_str();
        match self.current {
            Some(at) => [&html[..at], Self::CURRENT, &html[at..]],
            None => [html, "", ""],
        }
    }

    fn to_html(&self) -> String {
        self.pieces().concat()
    }
}

impl<'a> Renderer<'a> {
    fn new(book: &'a Handbook, theme: &'a Theme, dir: &'a Path, state: &'a RenderState) -> Self {
        Renderer {
            book,
            theme,
            dir,
            state,
            written: Mutex::new((0, 0)),
            live: false,
            ref_values: state
                .views
                .refs
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    /// Page link `i` as a template value.
    fn ref_value(&self, i: usize) -> RefValue<'_> {
        RefValue {
            page: &self.state.views.refs[i],
            value: &self.ref_values[i],
        }
    }

    fn run(
        self,
        mut keep: Option<Kept>,
        ahead: Option<highlight::Highlighted>,
    ) -> std::result::Result<(Report, Option<Kept>), RenderError> {
        let start = std::time::Instant::now();
        let published: Vec<usize> = self.state.nav.order.clone();
        let unlisted = &self.state.nav.unlisted;
        // Create every folder first, so the parallel writers never race on it.
        let mut folders: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        folders.insert("assets");
        let pages = published
            .iter()
            .chain(unlisted)
            .map(|&i| &self.book.pages[i].output);
        for rel in pages.chain(&self.book.statics) {
            if let Some((parent, _)) = rel.rsplit_once('/') {
                folders.insert(parent);
            }
        }
        let mut folders: Vec<&str> = folders.into_iter().collect();
        folders.sort_unstable();
        for f in folders {
            let f = self.dir.join(f);
            std::fs::create_dir_all(&f).map_err(|e| Error::write(&f, e))?;
        }

        // Pages are rendered in parallel, a batch at a time in reading order;
        // each batch's chapters are appended to print.html and its words to
        // the search index while the next batch renders, so no core waits on
        // that serial work and memory stays flat however large the handbook.
        // Their code is highlighted ahead, a window of batches at a time, or
        // all of it beforehand when it fits in one window (`ahead`).
        // The print page's frame (its contents list every chapter) renders
        // beside the first batch.
        let anchors = self.print_anchors(&published);
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
        let pages = || -> std::result::Result<(u64, std::time::Instant), RenderError> {
            let mut print: Option<PrintWriter> = None;
            let mut index = SearchIndex::default();
            let mut pending: Option<(&[usize], Vec<PageOutputs>)> = None;
            // Every page's code, when it was highlighted beforehand.
            let whole = ahead.is_some();
            let mut highlighted = ahead.unwrap_or_default();
            for (window, batch) in self.batches(&published) {
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
                            None => self.print_start(&published)?,
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
                None => self.print_start(&published)?,
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
            let bytes = print.finish()?;
            if self.state.site_ctx.print {
                self.count(bytes);
            } else {
                let p = self.dir.join("print.html");
                std::fs::remove_file(&p).map_err(|e| Error::write(&p, e))?;
            }
            let pages_done = std::time::Instant::now();
            if !self.state.site_ctx.search {
                return Ok((0, pages_done));
            }
            let js = index.to_js();
            self.write("search-index.js", js.as_bytes())?;
            Ok((js.len() as u64, pages_done))
        };
        // The views, data files and assets do not depend on the pages: they
        // take one core at the start while the other begins on the pages,
        // rather than leaving a tail after them.
        let (pages, (views, data)) =
            rayon::join(pages, || rayon::join(|| self.views(), || self.data_files()));
        let (search, pages_done) = pages?;
        let mut report = Report {
            pages: published.len() + unlisted.len(),
            ..Report::default()
        };
        report.search_bytes = search;
        report.views = views?;
        data?;
        report.phases = vec![
            ("pages", pages_done - start),
            ("index", pages_done.elapsed()),
        ];
        let (files, bytes) = *self.written.lock().unwrap_or_else(|e| e.into_inner());
        report.files = files;
        report.bytes = bytes;
        Ok((report, keep))
    }

    /// Renders every view and the 404 page; returns how many pages that is.
    fn views(&self) -> std::result::Result<usize, RenderError> {
        // Side by side, but the first failing view in order is reported.
        let done: Vec<_> = VIEWS
            .par_iter()
            .map(|(url, title, template, kind)| self.view(url, title, template, *kind))
            .collect();
        done.into_iter()
            .collect::<std::result::Result<Vec<()>, RenderError>>()?;
        self.not_found()?;
        self.redirect_pages()?;
        Ok(VIEWS.len() + 2)
    }

    /// Writes the redirect pages (and the landing page of a handbook without
    /// an `index.html` page).
    fn redirect_pages(&self) -> std::result::Result<(), RenderError> {
        #[derive(Serialize)]
        struct Ctx<'a> {
            site: &'a SiteCtx,
            url: &'a str,
            script: String,
        }
        for r in &self.state.redirects.pages {
            // Always: `old.html#sec` lands on `new.html#sec` (a meta refresh
            // drops the fragment), as mdBook's redirect pages do.
            let script = redirect::fragment_script(&r.fragments, Some(&r.to));
            let ctx = Ctx {
                site: &self.state.site_ctx,
                url: &r.to,
                script,
            };
            let html = self.render_values("redirect.html", &ctx)?;
            if let Some((parent, _)) = r.path.rsplit_once('/') {
                let p = self.dir.join(parent);
                std::fs::create_dir_all(&p).map_err(|e| Error::write(&p, e))?;
            }
            self.write(&r.path, html.as_bytes())?;
        }
        Ok(())
    }

    /// Writes the data files (RACI CSV, model JSON, sitemap), the theme's
    /// assets, the highlighting stylesheet, extra CSS/JS and static files.
    fn data_files(&self) -> Result<()> {
        self.write("raci.csv", self.raci_csv().as_bytes())?;
        self.write("model.json", self.model_json().as_bytes())?;
        if let Some(map) = self.sitemap() {
            self.write("sitemap.xml", map.as_bytes())?;
        }
        self.write(".nojekyll", b"")?;
        // GitHub Pages' custom domain, as mdBook writes it.
        if let Some(domain) = self.book.config.cname.as_deref().map(str::trim)
            && !domain.is_empty()
        {
            self.write("CNAME", format!("{domain}\n").as_bytes())?;
        }
        for (name, bytes) in &self.theme.assets {
            if let Some(parent) = Path::new(name).parent() {
                let p = self.dir.join(parent);
                std::fs::create_dir_all(&p).map_err(|e| Error::write(&p, e))?;
            }
            self.write(name, bytes)?;
        }
        let css = if self.book.config.highlight {
            highlight::css()
        } else {
            // Themes link it either way.
            "/* Build-time highlighting is off ([archbook] highlight = false). */\n".to_string()
        };
        self.write("assets/highlight.css", css.as_bytes())?;
        for extra in self
            .state
            .site_ctx
            .additional_css
            .iter()
            .chain(&self.state.site_ctx.additional_js)
        {
            let from = self.book.root.join(extra);
            let to = self.dir.join(extra);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
            }
            std::fs::copy(&from, &to).map_err(|e| Error::Read {
                path: from.clone(),
                source: e,
            })?;
            self.count(0);
        }
        self.copy_statics()
    }

    /// Renders and writes one page; returns its search words and print chapter.
    fn page_outputs(
        &self,
        i: usize,
        anchors: &HashMap<String, String>,
        highlighted: &highlight::Highlighted,
    ) -> std::result::Result<(Prepared, String), RenderError> {
        let r = self.page(i, highlighted)?;
        let p = &self.book.pages[i];
        let words = Prepared::new(p, &r, &model_fields(p));
        // A chapter of the print page needs a heading: its own, or its
        // title's when the body has none (`## Functions` first).
        let h1 = match &r.title_html {
            Some(h1) => std::borrow::Cow::Borrowed(h1.as_str()),
            None if has_h1(p) => "".into(),
            None => format!("<h1>{}</h1>\n", escape_html(&p.title)).into(),
        };
        // Printed pages' anchors are in `anchors` already.
        let prefix = match anchors.get(&p.output) {
            Some(a) => std::borrow::Cow::Borrowed(a.as_str()),
            None => chapter_anchor(&p.output).into(),
        };
        Ok((
            words,
            print_html(&[&h1, &r.html], &p.output, &prefix, anchors),
        ))
    }

    /// The chapter anchor of every printed page, by output path.
    fn print_anchors(&self, published: &[usize]) -> HashMap<String, String> {
        published
            .iter()
            .map(|&i| {
                let o = &self.book.pages[i].output;
                (o.clone(), chapter_anchor(o))
            })
            .collect()
    }

    fn count(&self, bytes: u64) {
        let mut w = self.written.lock().unwrap_or_else(|e| e.into_inner());
        w.0 += 1;
        w.1 += bytes;
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(rel);
        if self.live {
            let part = part_path(&path);
            std::fs::write(&part, bytes).map_err(|e| Error::write(&part, e))?;
            std::fs::rename(&part, &path).map_err(|e| Error::write(&path, e))?;
        } else {
            std::fs::write(&path, bytes).map_err(|e| Error::write(&path, e))?;
        }
        let mut w = self.written.lock().unwrap_or_else(|e| e.into_inner());
        w.0 += 1;
        w.1 += bytes.len() as u64;
        Ok(())
    }

    fn copy_statics(&self) -> Result<()> {
        let src = self.book.root.join(&self.book.config.src);
        self.book.statics.par_iter().try_for_each(|rel| {
            let to = self.dir.join(rel);
            let n = std::fs::copy(src.join(rel), &to).map_err(|e| Error::write(&to, e))?;
            let mut w = self.written.lock().unwrap_or_else(|e| e.into_inner());
            w.0 += 1;
            w.1 += n;
            Ok(())
        })
    }

    /// The sidebar of a page: rendered once per section and depth through the
    /// theme's `nav.html`, then the current page's link is marked.
    fn sidebar(
        &self,
        output: &str,
        page: Option<usize>,
        root: &str,
    ) -> std::result::Result<Sidebar, RenderError> {
        let key = (
            self.state.nav.sidebar_key(page),
            output.matches('/').count(),
        );
        let cached = self
            .state
            .sidebars
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        let cached = match cached {
            Some(h) => h,
            None => {
                #[derive(Serialize)]
                struct NavCtx<'a> {
                    root: &'a str,
                    nav: Vec<crate::render::nav::SidebarItem<'a>>,
                    views: &'a [ViewLink],
                }
                let ctx = NavCtx {
                    root,
                    nav: self.state.nav.sidebar(page),
                    views: &self.state.view_links,
                };
                let h = Arc::new(CachedSidebar::new(self.render_values("nav.html", &ctx)?));
                self.state
                    .sidebars
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key, h.clone());
                h
            }
        };
        let mut href = String::new();
        pulldown_cmark_escape::escape_html(
            &mut href,
            &format!("{root}{}", crate::slug::href(output)),
        )
        .ok();
        let current = cached.link_ends.get(&href).copied();
        Ok(Sidebar { cached, current })
    }

    /// The keys every template gets, with the sidebar as a value.
    fn common(
        &self,
        output: &str,
        page: Option<usize>,
        title: String,
    ) -> std::result::Result<Common<'_>, RenderError> {
        let sidebar = self.sidebar(output, page, &root_of(output))?.to_html();
        Ok(self.common_with(output, page, title, sidebar, false))
    }

    /// The keys every template gets. With `shared`, the site-wide ones are
    /// left out: the template gets [`RenderState::shared`] instead.
    fn common_with(
        &self,
        output: &str,
        page: Option<usize>,
        title: String,
        sidebar: String,
        shared: bool,
    ) -> Common<'_> {
        let (prev, next) = page
            .map(|i| self.state.nav.prev_next(i))
            .unwrap_or((None, None));
        Common {
            site: (!shared).then_some(&self.state.site_ctx),
            sidebar,
            root: root_of(output),
            views: (!shared).then(|| {
                self.state
                    .view_links
                    .iter()
                    .map(|v| ViewLink {
                        current: v.url == output,
                        ..v.clone()
                    })
                    .collect()
            }),
            title,
            description: page.and_then(|i| self.book.pages[i].summary.clone()),
            current_url: output.to_string(),
            breadcrumbs: page
                .map(|i| self.state.nav.breadcrumbs(&self.book.pages, i))
                .unwrap_or_default(),
            prev: prev.map(|i| self.ref_value(i)),
            next: next.map(|i| self.ref_value(i)),
            edit_url: page.and_then(|i| self.edit_url(&self.book.pages[i])),
            alphabet: (!shared).then(|| self.book.config.alphabet.letters()),
        }
    }

    /// The page's "edit" link; none for a missing chapter (no file to edit).
    fn edit_url(&self, p: &Page) -> Option<String> {
        if p.missing {
            return None;
        }
        let template = self.book.config.edit_url_template.as_deref()?;
        let src = self.book.config.src.to_string_lossy().replace('\\', "/");
        let path = if src.is_empty() || src == "." {
            p.source.clone()
        } else {
            format!("{src}/{}", p.source)
        };
        Some(template.replace("{path}", &path))
    }

    /// `pages` in the batches they render in (see [`batches`]).
    fn batches<'p>(&self, pages: &'p [usize]) -> Vec<Batch<'p>> {
        batches(
            pages,
            |i| code_bytes(&self.book.pages[i]),
            BATCH,
            HIGHLIGHT_AHEAD,
        )
    }

    /// The code blocks of `pages`, highlighted ahead of them (see
    /// [`highlight::Highlighted`]), with the lines mdBook hides left out.
    fn highlight_ahead(&self, pages: &[usize]) -> highlight::Highlighted {
        highlight_pages(self.book, pages.iter().copied())
    }

    /// A page's Markdown body as HTML, read with the handbook's options and
    /// cleaned when `sanitize-html` asks for it.
    fn body(&self, p: &Page, highlighted: &highlight::Highlighted) -> Rendered {
        let text = p
            .expanded
            .as_deref()
            .unwrap_or_else(|| self.book.sources.text(p.file));
        let body = text.get(p.body_offset..).unwrap_or("");
        let config = &self.book.config;
        let mut rendered = markdown::render(
            p,
            body,
            config.parse_options(),
            &config.hidelines,
            highlighted,
        );
        if self.book.config.sanitize_html && rendered.raw_html {
            rendered.html = markdown::sanitize(&rendered.html);
            rendered.title_html = rendered.title_html.as_deref().map(markdown::sanitize);
        }
        // A page whose body does not open with its `# heading` is given one
        // from its title, unless its body has one further down (after an
        // `<a id>` or a note: it would show twice) or it is a chapter of an
        // mdBook book, which mdBook shows as written.
        if rendered.title_html.is_none() && !has_h1(p) && config.archbook {
            rendered.title_html = Some(format!("<h1>{}</h1>\n", escape_html(&p.title)));
        }
        rendered
    }

    fn page(
        &self,
        i: usize,
        highlighted: &highlight::Highlighted,
    ) -> std::result::Result<Rendered, RenderError> {
        let p = &self.book.pages[i];
        let rendered = self.body(p, highlighted);
        let referenced_by: Vec<RefValue> = self.state.views.backlinks[i]
            .iter()
            .map(|&j| self.ref_value(j))
            .filter(|r| r.page.url.is_some())
            .collect();
        // The two big strings go in as markers and are spliced into the
        // output: converting them into template values copied ~20 KB a page.
        let sidebar = self.sidebar(&p.output, Some(i), &root_of(&p.output))?;
        let common = self.common_with(
            &p.output,
            Some(i),
            p.title.clone(),
            SIDEBAR_MARK.to_string(),
            // No view link is current on a page (a page written where a view
            // goes is an `output-collision` error): the shared values fit it.
            true,
        );
        let mut page = PageCtx {
            id: &p.id,
            title: &p.title,
            kind: p.kind,
            summary: p.summary.as_deref(),
            tags: &p.tags,
            source: &p.source,
            url: &p.output,
            content: CONTENT_MARK,
            title_html: rendered.title_html.as_deref(),
            toc: p
                .headings
                .iter()
                .map(|h| TocEntry {
                    level: h.level,
                    text: &h.text,
                    anchor: &h.anchor,
                })
                .collect(),
        };
        let boundary = if p.kind == Some(Kind::Role) {
            self.state.views.boundary_of(&p.id)
        } else {
            None
        };
        let mut ctx = self.state.shared.clone();
        common.add_to(&mut ctx);
        ctx.insert("page", &page);
        ctx.insert("facts", &self.state.views.facts[i]);
        ctx.insert("boundary", &boundary);
        ctx.insert("referenced_by", &referenced_by);
        let html = self.render_template("page.html", &ctx)?;
        let mut html = match splice(
            &html,
            &[
                (SIDEBAR_MARK, &sidebar.pieces()),
                (CONTENT_MARK, &[&rendered.html]),
            ],
        ) {
            Some(spliced) => spliced,
            // A theme that filters or repeats them gets the real values.
            None => {
                ctx.insert("sidebar", &sidebar.to_html());
                page.content = &rendered.html;
                ctx.insert("page", &page);
                self.render_template("page.html", &ctx)?
            }
        };
        if let Some(fragments) = self.state.redirects.fragments.get(&p.output) {
            redirect::add_script(&mut html, &redirect::fragment_script(fragments, None));
        }
        self.write(&p.output, html.as_bytes())?;
        Ok(rendered)
    }

    /// Renders `template` with the common keys and one or two more (key,
    /// value), serialized straight into template values (no intermediate
    /// JSON copy of the views, the biggest values a template gets).
    fn render_with<A: Serialize, B: Serialize>(
        &self,
        template: &str,
        common: &Common<'_>,
        first: (&'static str, A),
        second: Option<(&'static str, B)>,
    ) -> std::result::Result<String, RenderError> {
        let mut ctx = tera::Context::new();
        common.add_to(&mut ctx);
        ctx.insert(first.0, &first.1);
        if let Some((key, value)) = second {
            ctx.insert(key, &value);
        }
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

    fn view(
        &self,
        url: &str,
        title: &str,
        template: &str,
        kind: Option<Kind>,
    ) -> std::result::Result<(), RenderError> {
        let common = self.common(url, None, title.to_string())?;
        let items: Vec<&PageRef> = kind
            .map(|k| {
                self.state
                    .views
                    .of(k)
                    .iter()
                    .map(|&i| &self.state.views.refs[i])
                    .filter(|r| r.url.is_some())
                    .collect()
            })
            .unwrap_or_default();
        let views = &self.state.views;
        let html = match template {
            "raci.html" => self.render_with(template, &common, ("raci", &views.raci), NO_MORE)?,
            "layers.html" => {
                let svg = stack::layer_stack(&views.layers).unwrap_or_default();
                self.render_with(
                    template,
                    &common,
                    ("layers", &views.layers),
                    Some(("svg", svg)),
                )?
            }
            "boundaries.html" => self.render_with(
                template,
                &common,
                ("boundaries", &views.boundaries),
                Some(("interfaces", &views.interfaces)),
            )?,
            "decisions.html" => {
                self.render_with(template, &common, ("decisions", &views.decisions), NO_MORE)?
            }
            _ => self.render_with(template, &common, ("items", &items), Some(("kind", kind)))?,
        };
        self.write(url, html.as_bytes())?;
        Ok(())
    }

    fn not_found(&self) -> std::result::Result<(), RenderError> {
        let mut common = self.common_with(
            "404.html",
            None,
            "Page not found".into(),
            String::new(),
            false,
        );
        // A 404 page is served at any depth: its links must be absolute.
        let mut root = self
            .book
            .config
            .site_url
            .clone()
            .unwrap_or_else(|| "/".into());
        if !root.ends_with('/') {
            root.push('/');
        }
        common.sidebar = self.sidebar("404.html", None, &root)?.to_html();
        common.root = root;
        // The text of `404.md` (mdBook's `input-404`) when the handbook has
        // one; the theme's own words otherwise.
        let content = match &self.book.not_found {
            Some(p) => {
                common.title = p.title.clone();
                let r = self.body(p, &highlight::Highlighted::default());
                let mut html = r.title_html.unwrap_or_default();
                html.push_str(&r.html);
                html
            }
            None => String::new(),
        };
        let html = self.render_with("404.html", &common, ("content", content), NO_MORE)?;
        self.write("404.html", html.as_bytes())?;
        Ok(())
    }

    /// Starts `print.html`: the theme renders the frame (title page,
    /// contents) with `chapters` (title, anchor, depth) and puts
    /// `{{ chapters_marker | safe }}` where the chapters go; the chapters are
    /// then appended as the pages are rendered.
    fn print_start(&self, published: &[usize]) -> std::result::Result<PrintWriter, RenderError> {
        const MARKER: &str = "<!--archbook:print-chapters-->";
        let depth_of: HashMap<usize, usize> = self
            .state
            .nav
            .entries
            .iter()
            .filter_map(|e| e.page.map(|p| (p, e.depth)))
            .collect();
        let chapters: Vec<Chapter> = published
            .iter()
            .map(|&i| {
                let p = &self.book.pages[i];
                Chapter {
                    title: p.title.clone(),
                    depth: depth_of.get(&i).copied().unwrap_or(0),
                    anchor: chapter_anchor(&p.output),
                }
            })
            .collect();
        let common = self.common("print.html", None, self.state.site_ctx.title.to_string())?;
        let frame = self.render_with(
            "print.html",
            &common,
            ("chapters", &chapters),
            Some(("chapters_marker", MARKER)),
        )?;
        let (head, tail) = frame.split_once(MARKER).unwrap_or((&frame, ""));
        let path = self.dir.join("print.html");
        let (writing, rename_to) = if self.live {
            (part_path(&path), Some(path))
        } else {
            (path, None)
        };
        let file = std::fs::File::create(&writing).map_err(|e| Error::write(&writing, e))?;
        let mut w = PrintWriter {
            out: std::io::BufWriter::with_capacity(1 << 16, file),
            path: writing,
            rename_to,
            tail: tail.to_string(),
            bytes: 0,
        };
        w.put(head)?;
        Ok(w)
    }

    fn raci_csv(&self) -> String {
        let m = &self.state.views.raci;
        let mut out = String::new();
        let mut header = vec![
            "Area".to_string(),
            "Activity".to_string(),
            "Activity id".to_string(),
        ];
        header.extend(m.roles.iter().map(|r| r.title.clone()));
        push_csv_row(&mut out, &header);
        for area in &m.areas {
            for row in &area.rows {
                let mut fields = vec![
                    area.name.clone(),
                    row.activity.title.clone(),
                    row.activity.id.clone(),
                ];
                fields.extend(row.cells.iter().map(|c| c.letters.clone()));
                push_csv_row(&mut out, &fields);
            }
        }
        out
    }

    /// `model.json`: every published model page with its facts and
    /// references, and every RACI cell. Serialized straight from the model
    /// (4 MB at 10,000 pages: no intermediate JSON tree).
    fn model_json(&self) -> String {
        #[derive(Serialize)]
        struct Item<'a> {
            id: &'a str,
            kind: Option<Kind>,
            title: &'a str,
            #[serde(serialize_with = "crate::slug::serialize_href_str")]
            url: &'a str,
            source: &'a str,
            summary: Option<&'a str>,
            references: Vec<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            facts: Option<&'a Facts>,
            #[serde(skip_serializing_if = "Option::is_none")]
            relations: Option<std::collections::BTreeMap<&'a str, &'a str>>,
        }
        #[derive(Serialize)]
        struct Cell<'a> {
            activity: &'a str,
            role: &'a str,
            letters: String,
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            title: &'a str,
            generator: &'static str,
            raci_letters: &'static str,
            items: Vec<Item<'a>>,
            raci: Vec<Cell<'a>>,
        }
        let pages = &self.book.pages;
        let items = self
            .state
            .nav
            .order
            .iter()
            .filter(|&&i| pages[i].kind.is_some())
            .map(|&i| {
                let p = &pages[i];
                let mut refs: BTreeSet<(&str, &str)> = BTreeSet::new();
                for (_, r, kind) in p.data.references() {
                    if self.book.model.get(pages, &r.id, kind).is_some() {
                        refs.insert((r.id.as_str(), kind.name()));
                    }
                }
                Item {
                    id: &p.id,
                    kind: p.kind,
                    title: &p.title,
                    url: &p.output,
                    source: &p.source,
                    summary: p.summary.as_deref(),
                    references: refs.iter().map(|(id, _)| *id).collect(),
                    facts: self.state.views.facts[i].as_ref(),
                    relations: match &p.data {
                        KindData::Role { relations, .. } => Some(
                            relations
                                .iter()
                                .map(|(r, t)| (r.id.as_str(), t.as_str()))
                                .collect(),
                        ),
                        _ => None,
                    },
                }
            })
            .collect();
        let raci = self
            .book
            .model
            .raci
            .iter()
            .filter(|((a, r), _)| !pages[*a].draft && !pages[*r].draft)
            .map(|((a, r), asg)| Cell {
                activity: &pages[*a].id,
                role: &pages[*r].id,
                letters: asg.letters.to_string(),
            })
            .collect();
        let doc = Doc {
            title: &self.state.site_ctx.title,
            generator: concat!("archbook ", env!("CARGO_PKG_VERSION")),
            raci_letters: self.book.config.alphabet.letters(),
            items,
            raci,
        };
        serde_json::to_string(&doc).unwrap_or_default() + "\n"
    }

    fn sitemap(&self) -> Option<String> {
        let base = self.book.config.site_url.as_deref()?;
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return None;
        }
        let base = base.trim_end_matches('/');
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let urls = self
            .state
            .nav
            .order
            .iter()
            .map(|&i| self.book.pages[i].output.as_str())
            .chain(VIEWS.iter().map(|v| v.0));
        for u in urls {
            let mut loc = String::new();
            pulldown_cmark_escape::escape_html(
                &mut loc,
                &format!("{base}/{}", crate::slug::href(u)),
            )
            .ok();
            out.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
        }
        out.push_str("</urlset>\n");
        Some(out)
    }
}

/// Escapes text for HTML (and XML) attributes and content.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

/// `print.html` being written, chapter by chapter.
struct PrintWriter {
    out: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    /// Where the finished file goes, when it is written beside its place.
    rename_to: Option<PathBuf>,
    tail: String,
    bytes: u64,
}

impl PrintWriter {
    fn put(&mut self, s: &str) -> Result<()> {
        self.bytes += s.len() as u64;
        self.out
            .write_all(s.as_bytes())
            .map_err(|e| Error::write(&self.path, e))
    }

    fn chapter(&mut self, page: &Page, body: &str) -> Result<()> {
        let mut section = String::from("<section class=\"print-chapter\" id=\"");
        section.push_str(&chapter_anchor(&page.output));
        section.push_str("\" aria-label=\"");
        pulldown_cmark_escape::escape_html(&mut section, &page.title).ok();
        section.push_str("\">\n");
        self.put(&section)?;
        self.put(body)?;
        self.put("</section>\n")
    }

    fn finish(mut self) -> Result<u64> {
        let tail = std::mem::take(&mut self.tail);
        self.put(&tail)?;
        self.out.flush().map_err(|e| Error::write(&self.path, e))?;
        if let Some(to) = &self.rename_to {
            std::fs::rename(&self.path, to).map_err(|e| Error::write(to, e))?;
        }
        Ok(self.bytes)
    }
}

/// Stand-ins for a page's sidebar and content while its template renders.
const SIDEBAR_MARK: &str = "\u{2}archbook:sidebar\u{3}";
const CONTENT_MARK: &str = "\u{2}archbook:content\u{3}";

/// Replaces each marker, which must occur exactly once in `html`, with the
/// concatenation of its pieces; `None` when one does not. Markers start with
/// U+0002, which HTML never holds, so one byte search finds them all.
fn splice(html: &str, parts: &[(&str, &[&str])]) -> Option<String> {
    let mut at: Vec<(usize, &str, &[&str])> = Vec::with_capacity(parts.len());
    for i in memchr::memchr_iter(0x02, html.as_bytes()) {
        let &(mark, pieces) = parts.iter().find(|(m, _)| html[i..].starts_with(m))?;
        at.push((i, mark, pieces));
    }
    if at.len() != parts.len() || parts.iter().any(|(m, _)| !at.iter().any(|a| a.1 == *m)) {
        return None;
    }
    let added: usize = parts.iter().flat_map(|p| p.1).map(|t| t.len()).sum();
    let mut out = String::with_capacity(html.len() + added);
    let mut pos = 0;
    for (i, mark, pieces) in at {
        out.push_str(&html[pos..i]);
        for piece in pieces {
            out.push_str(piece);
        }
        pos = i + mark.len();
    }
    out.push_str(&html[pos..]);
    Some(out)
}

/// `../` once for each folder of a site-relative path.
fn root_of(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

/// The name a file is written under before it is renamed into place.
fn part_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".archbook-part");
    path.with_file_name(name)
}

/// The "no second key" of [`Renderer::render_with`].
const NO_MORE: Option<(&str, ())> = None;

/// Texts of model fields that search should find on the page's top section.
fn model_fields(p: &Page) -> Vec<&str> {
    let mut out: Vec<&str> = p.summary.iter().map(String::as_str).collect();
    match &p.data {
        KindData::Role { mantra, focus, .. } => {
            out.extend(mantra.iter().chain(focus).map(String::as_str))
        }
        KindData::Activity { area, .. } => out.extend(area.iter().map(String::as_str)),
        KindData::Component { lifecycle, .. } => out.extend(lifecycle.iter().map(String::as_str)),
        KindData::Decision { status, .. } => out.extend(status.iter().map(String::as_str)),
        _ => {}
    }
    out.extend(p.tags.iter().map(String::as_str));
    out
}

/// The anchor of a page's chapter on the print page (`roles/ops.html` →
/// `roles-ops`): anything but letters, digits, `-` and `_` becomes `-`, so it
/// is a valid id and link fragment whatever the file is called (`a#b.html`).
fn chapter_anchor(output: &str) -> String {
    let stem = output.strip_suffix(".html").unwrap_or(output);
    let mut s = String::with_capacity("chapter-".len() + stem.len());
    s.push_str("chapter-");
    crate::slug::push_id_safe(&mut s, stem);
    s
}

/// Adapts a page's HTML for the print page: ids get the chapter's prefix,
/// and relative links are re-rooted (links to printed pages become in-page
/// anchors).
fn print_html(
    parts: &[&str],
    output: &str,
    prefix: &str,
    anchors: &HashMap<String, String>,
) -> String {
    // archbook's highlighted code blocks hold only `class` attributes: copy
    // them as they are instead of scanning their many `class="…"`.
    const CODE: &str = "<pre class=\"code\">";
    // Searchers built once: building one costs as much as a page's search.
    static CODE_START: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(CODE));
    static CODE_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("</pre>"));
    let dir = output.rfind('/').map_or("", |i| &output[..=i]);
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = String::with_capacity(len + len / 16);
    for &html in parts {
        let mut rest = html;
        while let Some(at) = CODE_START.find(rest.as_bytes()) {
            let body = at + CODE.len();
            let end = CODE_END
                .find(&rest.as_bytes()[body..])
                .map_or(rest.len(), |e| body + e);
            print_attrs(&rest[..body], dir, prefix, anchors, &mut out);
            out.push_str(&rest[body..end]);
            rest = &rest[end..];
        }
        print_attrs(rest, dir, prefix, anchors, &mut out);
    }
    out
}

/// Appends `html` with its `id`, `href` and `src` values rewritten for the
/// print page.
fn print_attrs(
    html: &str,
    dir: &str,
    prefix: &str,
    anchors: &HashMap<String, String>,
    out: &mut String,
) {
    let (mut copied, mut from) = (0, 0);
    // One pass over every `name="value"`; only id, href and src change.
    static ATTR: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("=\""));
    while let Some(rel) = ATTR.find(&html.as_bytes()[from..]) {
        let eq = from + rel;
        let start = eq + 2;
        let Some(len) = memchr::memchr(b'"', &html.as_bytes()[start..]) else {
            break;
        };
        let end = start + len;
        let before = &html[..eq];
        let attr = ["id", "href", "src"].into_iter().find(|a| {
            before
                .strip_suffix(a)
                .is_some_and(|b| b.ends_with([' ', '\n', '\t']))
        });
        if let Some(attr) = attr {
            out.push_str(&html[copied..start]);
            print_attr(out, attr, &html[start..end], dir, prefix, anchors);
            copied = end;
        }
        from = end;
    }
    out.push_str(&html[copied..]);
}

/// Appends the print version of one attribute value: ids and in-page
/// anchors get the chapter's prefix, links to printed pages become anchors
/// in the print page, other relative links are made relative to its root.
fn print_attr(
    out: &mut String,
    attr: &str,
    value: &str,
    dir: &str,
    prefix: &str,
    anchors: &HashMap<String, String>,
) {
    let prefixed = |out: &mut String, chapter: &str, anchor: &str| {
        out.push_str(chapter);
        out.push_str("--");
        out.push_str(anchor);
    };
    if attr == "id" {
        return prefixed(out, prefix, value);
    }
    if let Some(anchor) = value.strip_prefix('#') {
        out.push('#');
        return prefixed(out, prefix, anchor);
    }
    if value.contains("://")
        || value.starts_with('/')
        || value.starts_with("mailto:")
        || value.starts_with("data:")
    {
        return out.push_str(value);
    }
    let (path, frag) = match value.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (value, None),
    };
    // A link out of the book (`../std/x.html`) keeps its way up from the
    // print page, which sits at the site root.
    let joined = crate::model::links::join_from_root(dir, path);
    // Links to pages whose names need escaping (`a%23b.html`) are written
    // percent-encoded; the chapters are known by their file names.
    let chapter = anchors.get(joined.as_str()).or_else(|| {
        joined
            .contains('%')
            .then(|| anchors.get(crate::model::links::percent_decode(&joined).as_str()))
            .flatten()
    });
    if let Some(chapter) = chapter {
        out.push('#');
        return match frag {
            Some(f) => prefixed(out, chapter, f),
            None => out.push_str(chapter),
        };
    }
    out.push_str(&joined);
    if let Some(f) = frag {
        out.push('#');
        out.push_str(f);
    }
}

/// Whether a page's body has a `# heading` anywhere.
fn has_h1(page: &Page) -> bool {
    page.headings.iter().any(|h| h.level == 1)
}

/// Appends one CSV row (RFC 4180). Fields that a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@`, TAB or CR first, as OWASP lists them) are
/// prefixed with `'`.
fn push_csv_row(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{f}")
        } else {
            f.clone()
        };
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
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
    fn files(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
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
        let ahead = highlight_everything(&book);
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
        let flat: Vec<usize> = got.iter().flat_map(|(_, b)| b.iter().copied()).collect();
        assert_eq!(flat, pages, "every page once, in order");
        let shape: Vec<(Option<usize>, usize)> = got
            .iter()
            .map(|(w, b)| (w.map(<[usize]>::len), b.len()))
            .collect();
        // 10+11+12 = 33 < 40, so a second batch joins: 33+13+14+15 = 75.
        // Then 16+17+18 = 51 is past the limit alone; 19 is the last.
        assert_eq!(shape, [(Some(6), 3), (None, 3), (Some(3), 3), (Some(1), 1)]);
        assert_eq!(got[0].0, Some(&pages[..6]));
        // Without code, one window holds every batch; none, no batches.
        let got = batches(&pages, |_| 0, 4, 40);
        assert_eq!(got.iter().filter(|(w, _)| w.is_some()).count(), 1);
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
        // Pages may then take the shared `views` value (none current): a
        // page written where a view goes is an `output-collision` error.
        for (url, ..) in VIEWS {
            assert!(crate::model::links::GENERATED.contains(url), "{url}");
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
