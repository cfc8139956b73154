//! The sidebar: rendered once per section and depth through `nav.html`,
//! shared by the pages that show it, with the current page's link marked;
//! and the splicing of a page's sidebar and body into its template's
//! output, where the template holds markers for them.

use super::*;

/// What a rendered sidebar depends on: the page's place in the navigation
/// and its depth.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct SidebarKey {
    pub(super) nav: crate::render::nav::SidebarKey,
    /// How deep the page sits (its links are relative to it).
    pub(super) depth: usize,
}

/// A sidebar rendered through `nav.html`, shared by the pages that show it,
/// with where each of its links' `href="…"` ends, so marking the current
/// page's link takes a lookup rather than a search of the whole sidebar.
pub(super) struct CachedSidebar {
    pub(super) html: String,
    pub(super) link_ends: rustc_hash::FxHashMap<String, usize>,
}

impl CachedSidebar {
    pub(super) fn new(html: String) -> CachedSidebar {
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
pub(super) struct Sidebar {
    pub(super) cached: Arc<CachedSidebar>,
    pub(super) current: Option<usize>,
}

impl Sidebar {
    pub(super) const CURRENT: &str = " aria-current=\"page\"";

    /// The sidebar as pieces to concatenate.
    pub(super) fn pieces(&self) -> [&str; 3] {
        let html = self.cached.html.as_str();
        match self.current {
            Some(at) => [&html[..at], Self::CURRENT, &html[at..]],
            None => [html, "", ""],
        }
    }

    pub(super) fn to_html(&self) -> String {
        self.pieces().concat()
    }
}

/// Stand-ins for a page's sidebar and content while its template renders.
pub(super) const SIDEBAR_MARK: &str = "\u{2}archbook:sidebar\u{3}";
pub(super) const CONTENT_MARK: &str = "\u{2}archbook:content\u{3}";

/// Replaces each marker, which must occur exactly once in `html`, with the
/// concatenation of its pieces; `None` when one does not. Markers start with
/// U+0002, which HTML never holds, so one byte search finds them all.
pub(super) fn splice(html: &str, parts: &[(&str, &[&str])]) -> Option<String> {
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

/// What `nav.html` gets.
#[derive(Serialize)]
struct NavCtx<'a> {
    root: &'a str,
    nav: Vec<crate::render::nav::SidebarItem<'a>>,
    views: &'a [ViewLink],
}

/// The file the whole table of contents goes into, when pages hold only
/// their branch of it ([`crate::render::nav::Nav::full_tree`]).
pub const TOC_JS: &str = "toc.js";

impl Renderer<'_> {
    /// Writes [`TOC_JS`], when the handbook needs one: the whole sidebar
    /// rendered once through `nav.html` with links from the site's root, as
    /// a string for the theme's script to put in place of a page's branch.
    pub(super) fn write_toc(&self) -> std::result::Result<(), RenderError> {
        let Some(nav) = self.state.nav.full_tree() else {
            return Ok(());
        };
        let ctx = NavCtx {
            root: "",
            nav,
            views: &self.state.view_links,
        };
        let html = self.render_values("nav.html", &ctx)?;
        let js = format!(
            "window.archbookToc = {};\n",
            serde_json::Value::String(html)
        );
        Ok(self.write(TOC_JS, js.as_bytes())?)
    }

    /// The sidebar of a page: rendered once per section and depth through the
    /// theme's `nav.html`, then the current page's link is marked.
    pub(super) fn sidebar(
        &self,
        output: &str,
        page: Option<usize>,
        root: &str,
    ) -> std::result::Result<Sidebar, RenderError> {
        let key = SidebarKey {
            nav: self.state.nav.sidebar_key(page),
            depth: output.matches('/').count(),
        };
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
}
