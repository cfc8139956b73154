//! One content page: its body rendered from Markdown (highlighted code
//! taken from what was done ahead), placed in the theme's `page.html` with
//! its sidebar, and its search words and print chapter taken on the way.

use super::*;
use crate::render::diagrams::ModelDiagram;

/// A rendered page's search words and print chapter.
pub(super) type PageOutputs = (Prepared, String);

/// Whether a page's body has a `# heading` anywhere.
pub(super) fn has_h1(page: &Page) -> bool {
    page.headings.iter().any(|h| h.level == 1)
}

impl Renderer<'_> {
    /// Renders and writes one page; returns its search words and print chapter.
    pub(super) fn page_outputs(
        &self,
        i: usize,
        anchors: &HashMap<String, String>,
        highlighted: &highlight::Highlighted,
    ) -> std::result::Result<(Prepared, String), RenderError> {
        let (r, chapter) = self.page(i, highlighted, anchors)?;
        let p = &self.book.pages[i];
        let words = Prepared::new(p, &r, &model_fields(p), self.state.stemming);
        Ok((words, chapter))
    }

    /// A page's chapter of the print page: its article as the page shows it
    /// (title, fact box, text, diagrams, boundary, backlinks), ids and links
    /// made to work inside the print page. `parts` are the page's HTML
    /// pieces (the template's output around the content); a theme without
    /// an `<article>` gets the page's title and text.
    fn print_chapter(
        &self,
        p: &Page,
        r: &Rendered,
        parts: &[&str],
        anchors: &HashMap<String, String>,
    ) -> String {
        if !self.state.site_ctx.print {
            return String::new();
        }
        // Printed pages' anchors are in `anchors` already.
        let prefix = match anchors.get(&p.output) {
            Some(a) => std::borrow::Cow::Borrowed(a.as_str()),
            None => chapter_anchor(&p.output).into(),
        };
        // A chapter needs a heading: its own, or its title's when the body
        // has none (`## Functions` first).
        let h1 = match &r.title_html {
            Some(_) => String::new(),
            None if has_h1(p) => String::new(),
            None => format!("<h1>{}</h1>\n", escape_html(&p.title)),
        };
        match article(parts) {
            Some(article) => {
                let mut all = vec![h1.as_str()];
                all.extend(article);
                print_html(&all, &p.output, &prefix, anchors)
            }
            None => {
                let title = r.title_html.as_deref().unwrap_or(&h1);
                print_html(&[title, &r.html], &p.output, &prefix, anchors)
            }
        }
    }

    /// A page's Markdown body as HTML, read with the handbook's options and
    /// cleaned when `sanitize-html` asks for it.
    pub(super) fn body(&self, p: &Page, highlighted: &highlight::Highlighted) -> Rendered {
        let text = p
            .expanded
            .as_deref()
            .unwrap_or_else(|| self.book.sources.text(p.file));
        let body = text.get(p.body_offset..).unwrap_or("");
        let config = &self.book.config;
        let mut rendered = markdown::render(
            p,
            body,
            crate::content::page::ParseOptions::of(config),
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

    /// Renders and writes page `i`; returns its body and print chapter.
    pub(super) fn page(
        &self,
        i: usize,
        highlighted: &highlight::Highlighted,
        anchors: &HashMap<String, String>,
    ) -> std::result::Result<(Rendered, String), RenderError> {
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
        );
        let mut page = PageCtx {
            id: &p.id,
            title: &p.title,
            kind: p.kind,
            summary: p.summary.as_deref(),
            tags: &p.tags,
            tag_links: p
                .tags
                .iter()
                .map(|t| TagLink {
                    name: t,
                    anchor: super::views::tag_anchor(t),
                })
                .collect(),
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
        let root = root_of(&p.output);
        let by_id = |id: &str| self.book.model.ids.get(id).copied();
        let views = &self.state.views;
        let draw = self.book.config.model_diagrams;
        let diagram = match p.kind {
            Some(Kind::Component) if draw => views.neighbourhood(i, &by_id, &root),
            Some(Kind::Decision) if draw => views.supersedes_chain(i, &by_id, &root),
            _ => None,
        };
        let diagrams: HashMap<&str, ModelDiagram> = boundary
            .filter(|_| draw)
            .and_then(|b| Some((b.role.id.as_str(), views.relations_diagram(b, &root)?)))
            .into_iter()
            .collect();
        let mut ctx = tera::Context::new();
        common.add_to(&mut ctx);
        ctx.insert("page", &page);
        ctx.insert("diagram", &diagram);
        ctx.insert("diagrams", &diagrams);
        ctx.insert("facts", &self.state.views.facts[i]);
        ctx.insert("boundary", &boundary);
        ctx.insert("referenced_by", &referenced_by);
        ctx.insert("changed", &self.state.views.change_of(i));
        // The home page: the views, counted, as a way into the model.
        if p.output == "index.html" {
            ctx.insert("home", &super::generated::home_views(views));
        }
        let html = self.render_template("page.html", &ctx)?;
        let (mut html, chapter) = match splice(
            &html,
            &[
                (SIDEBAR_MARK, &sidebar.pieces()),
                (CONTENT_MARK, &[&rendered.html]),
            ],
        ) {
            Some(spliced) => {
                let chapter = match html.split_once(CONTENT_MARK) {
                    Some((before, after)) => {
                        self.print_chapter(p, &rendered, &[before, &rendered.html, after], anchors)
                    }
                    None => self.print_chapter(p, &rendered, &[&spliced], anchors),
                };
                (spliced, chapter)
            }
            // A theme that filters or repeats them gets the real values.
            None => {
                ctx.insert("sidebar", &sidebar.to_html());
                page.content = &rendered.html;
                ctx.insert("page", &page);
                let html = self.render_template("page.html", &ctx)?;
                let chapter = self.print_chapter(p, &rendered, &[&html], anchors);
                (html, chapter)
            }
        };
        if let Some(fragments) = self.state.redirects.fragments.get(&p.output) {
            redirect::add_script(&mut html, &redirect::fragment_script(fragments, None));
        }
        self.write(&p.output, html.as_bytes())?;
        Ok((rendered, chapter))
    }
}

/// The pieces of `parts` (one HTML text cut in pieces) from the first
/// `<article` to the end of the last `</article>`; `None` when it has none.
pub(super) fn article<'a>(parts: &[&'a str]) -> Option<Vec<&'a str>> {
    const OPEN: &str = "<article";
    const CLOSE: &str = "</article>";
    let first = parts.iter().position(|p| p.contains(OPEN))?;
    let last = parts.iter().rposition(|p| p.contains(CLOSE))?;
    if last < first {
        return None;
    }
    let mut out: Vec<&str> = parts[first..=last].to_vec();
    let start = out[0].find(OPEN)?;
    let n = out.len();
    let end = out[n - 1].rfind(CLOSE)? + CLOSE.len();
    if n == 1 {
        return (start < end).then(|| vec![&parts[first][start..end]]);
    }
    out[0] = &parts[first][start..];
    out[n - 1] = &parts[last][..end];
    Some(out)
}
