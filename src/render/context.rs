//! Template contexts: the values every template gets (`site`, `root`, `sidebar`,
//! `views`, breadcrumbs, previous and next page, ...) and a page's own
//! (`page`, its table of contents), as the user guide documents them.

use super::*;

#[derive(Serialize)]
pub(super) struct SiteCtx {
    pub(super) title: String,
    pub(super) description: Option<String>,
    pub(super) language: String,
    /// `ltr` or `rtl`, for `<html dir>`.
    pub(super) direction: &'static str,
    pub(super) authors: Vec<String>,
    pub(super) repository_url: Option<String>,
    pub(super) search: bool,
    pub(super) print: bool,
    /// Pages hold only their branch of the sidebar; `toc.js` holds all of it.
    pub(super) toc: bool,
    pub(super) additional_css: Vec<String>,
    pub(super) additional_js: Vec<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct ViewLink {
    pub(super) title: &'static str,
    pub(super) url: &'static str,
    pub(super) current: bool,
}

/// Keys every template gets.
pub(super) struct Common<'a> {
    pub(super) site: &'a SiteCtx,
    pub(super) root: String,
    pub(super) sidebar: String,
    pub(super) views: Vec<ViewLink>,
    pub(super) title: String,
    pub(super) description: Option<String>,
    pub(super) current_url: String,
    pub(super) breadcrumbs: Vec<Crumb>,
    pub(super) prev: Option<RefValue<'a>>,
    pub(super) next: Option<RefValue<'a>>,
    pub(super) edit_url: Option<String>,
    pub(super) alphabet: &'static str,
}

impl Common<'_> {
    /// The keys as template values, added to `ctx` one by one: quicker than
    /// converting a struct, which builds a map and then copies every key.
    pub(super) fn add_to(&self, ctx: &mut tera::Context) {
        ctx.insert("site", self.site);
        ctx.insert("root", &self.root);
        ctx.insert("sidebar", &self.sidebar);
        ctx.insert("views", &self.views);
        ctx.insert("title", &self.title);
        ctx.insert("description", &self.description);
        ctx.insert("current_url", &crate::slug::href(&self.current_url));
        ctx.insert("breadcrumbs", &self.breadcrumbs);
        ctx.insert("prev", &self.prev);
        ctx.insert("next", &self.next);
        ctx.insert("edit_url", &self.edit_url);
        ctx.insert("alphabet", self.alphabet);
    }
}

/// A page link as a template value, converted once per build however many
/// pages show it (as their previous or next page, or among their
/// backlinks): a converted value is shared, not copied.
#[derive(Clone, Copy)]
pub(super) struct RefValue<'a> {
    pub(super) page: &'a PageRef,
    pub(super) value: &'a std::sync::OnceLock<tera::Value>,
}

impl Serialize for RefValue<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.value
            .get_or_init(|| tera::Value::from_serializable(self.page))
            .serialize(s)
    }
}

#[derive(Serialize)]
pub(super) struct PageCtx<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) kind: Option<Kind>,
    pub(super) summary: Option<&'a str>,
    pub(super) tags: &'a [String],
    /// Each tag with its section's id on `tags.html`.
    pub(super) tag_links: Vec<TagLink<'a>>,
    pub(super) source: &'a str,
    #[serde(serialize_with = "crate::slug::serialize_href_str")]
    pub(super) url: &'a str,
    pub(super) content: &'a str,
    /// The body's leading `# heading`, when it has one (HTML).
    pub(super) title_html: Option<&'a str>,
    pub(super) toc: Vec<TocEntry<'a>>,
}

/// A page's tag, linked to its section of `tags.html`.
#[derive(Serialize)]
pub(super) struct TagLink<'a> {
    pub(super) name: &'a str,
    pub(super) anchor: String,
}

#[derive(Serialize)]
pub(super) struct TocEntry<'a> {
    pub(super) level: u8,
    pub(super) text: &'a str,
    pub(super) anchor: &'a str,
}

/// A chapter of the print page, as its template gets it.
#[derive(Serialize)]
pub(super) struct Chapter {
    pub(super) title: String,
    /// Its section's id, which is also the name of its CSS `@page`.
    pub(super) anchor: String,
    /// Its depth in the navigation (0 for a top-level page or a view).
    pub(super) depth: usize,
    /// The title as a CSS string (`"…"`), for a running header.
    pub(super) css_title: String,
    /// A matrix wide enough to print across the page (landscape).
    pub(super) wide: bool,
}

impl Chapter {
    pub(super) fn new(title: &str, anchor: String, depth: usize, wide: bool) -> Chapter {
        Chapter {
            css_title: css_string(title),
            title: title.to_string(),
            anchor,
            depth,
            wide,
        }
    }
}

/// `s` as a quoted CSS string that is safe inside `<style>`: quotes,
/// backslashes, line breaks and `<` escaped as code points.
pub(super) fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Renderer<'_> {
    /// Page link `i` as a template value.
    pub(super) fn ref_value(&self, i: usize) -> RefValue<'_> {
        RefValue {
            page: &self.state.views.refs[i],
            value: &self.ref_values[i],
        }
    }

    /// The keys every template gets, with the sidebar as a value.
    pub(super) fn common(
        &self,
        output: &str,
        page: Option<usize>,
        title: String,
    ) -> std::result::Result<Common<'_>, RenderError> {
        let sidebar = self.sidebar(output, page, &root_of(output))?.to_html();
        Ok(self.common_with(output, page, title, sidebar))
    }

    /// The keys every template gets, with `sidebar` as given.
    pub(super) fn common_with(
        &self,
        output: &str,
        page: Option<usize>,
        title: String,
        sidebar: String,
    ) -> Common<'_> {
        let (prev, next) = page
            .map(|i| self.state.nav.prev_next(i))
            .unwrap_or((None, None));
        Common {
            site: &self.state.site_ctx,
            sidebar,
            root: root_of(output),
            views: self
                .state
                .view_links
                .iter()
                .map(|v| ViewLink {
                    current: v.url == output,
                    ..v.clone()
                })
                .collect(),
            title,
            description: page.and_then(|i| self.book.pages[i].summary.clone()),
            current_url: output.to_string(),
            breadcrumbs: page
                .map(|i| {
                    let mut crumbs = self.state.nav.breadcrumbs(&self.book.pages, i);
                    // A section without a page links to its kind's index.
                    for c in &mut crumbs {
                        if let (None, Some(k)) = (&c.url, c.kind) {
                            c.url = index_view(k, &self.state.views).map(String::from);
                        }
                    }
                    crumbs
                })
                .unwrap_or_default(),
            prev: prev.map(|i| self.ref_value(i)),
            next: next.map(|i| self.ref_value(i)),
            edit_url: page.and_then(|i| self.edit_url(&self.book.pages[i])),
            alphabet: self.book.config.alphabet.letters(),
        }
    }

    /// The page's "edit" link; none for a missing chapter (no file to edit).
    pub(super) fn edit_url(&self, p: &Page) -> Option<String> {
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
}
