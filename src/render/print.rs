//! `print.html`: every page as a chapter of one document, its ids and
//! links rewritten so they stay unique and point inside it, written as the
//! pages render.

use super::*;

/// `print.html` being written, chapter by chapter; with
/// `[output.html.print] enable = false`, a writer of nothing.
pub(super) struct PrintWriter<'w> {
    /// The file, or `None` when there is no print page to write.
    pub(super) out: Option<output::Stream<'w>>,
    /// The end of the page, written by [`PrintWriter::finish`].
    pub(super) tail: String,
}

impl PrintWriter<'_> {
    pub(super) fn chapter(&mut self, page: &Page, body: &str) -> Result<()> {
        let Some(out) = self.out.as_mut() else {
            return Ok(());
        };
        let mut section = String::from("<section class=\"print-chapter\" id=\"");
        section.push_str(&chapter_anchor(&page.output));
        section.push_str("\" aria-label=\"");
        pulldown_cmark_escape::escape_html(&mut section, &page.title).ok();
        section.push_str("\">\n");
        out.put(&section)?;
        out.put(body)?;
        out.put("</section>\n")
    }

    /// Appends the views' chapters (after the pages').
    pub(super) fn views(&mut self, views: &ViewChapters) -> Result<()> {
        let Some(out) = self.out.as_mut() else {
            return Ok(());
        };
        for (view, chapter) in views {
            let mut section = String::from("<section class=\"print-chapter print-view");
            if view.wide {
                section.push_str(" print-wide");
            }
            section.push_str("\" id=\"");
            section.push_str(&chapter_anchor(view.url));
            section.push_str("\" aria-label=\"");
            pulldown_cmark_escape::escape_html(&mut section, view.title).ok();
            section.push_str("\">\n");
            out.put(&section)?;
            out.put(chapter)?;
            out.put("</section>\n")?;
        }
        Ok(())
    }

    /// Writes the end of the page and closes the file.
    pub(super) fn finish(self) -> Result<()> {
        let Some(mut out) = self.out else {
            return Ok(());
        };
        out.put(&self.tail)?;
        out.finish()
    }
}

/// The anchor of a page's chapter on the print page (`roles/ops.html` →
/// `roles-ops`): anything but letters, digits, `-` and `_` becomes `-`, so it
/// is a valid id and link fragment whatever the file is called (`a#b.html`).
pub(super) fn chapter_anchor(output: &str) -> String {
    let stem = output.strip_suffix(".html").unwrap_or(output);
    let mut s = String::with_capacity("chapter-".len() + stem.len());
    s.push_str("chapter-");
    crate::slug::push_id_safe(&mut s, stem);
    s
}

/// Adapts a page's HTML for the print page: ids get the chapter's prefix,
/// and relative links are re-rooted (links to printed pages become in-page
/// anchors).
pub(super) fn print_html(
    parts: &[&str],
    output: &str,
    prefix: &str,
    anchors: &HashMap<String, String>,
) -> String {
    // archbook's highlighted code blocks hold only `class` attributes: copy
    // them as they are instead of scanning their many `class="…"`.
    pub(super) const CODE: &str = "<pre class=\"code\">";
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
pub(super) fn print_attrs(
    html: &str,
    dir: &str,
    prefix: &str,
    anchors: &HashMap<String, String>,
    out: &mut String,
) {
    let (mut copied, mut from) = (0, 0);
    let bytes = html.as_bytes();
    // One pass over every `name="value"`; only id, href and src change.
    // (memchr for `=` then a look at the next byte: attributes come close
    // together, in diagrams above all, and a two-byte searcher's setup cost
    // more than the hop.)
    while let Some(rel) = memchr::memchr(b'=', &bytes[from..]) {
        let eq = from + rel;
        if bytes.get(eq + 1) != Some(&b'"') {
            from = eq + 1;
            continue;
        }
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
pub(super) fn print_attr(
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
    let joined = crate::slug::join_from_root(dir, path);
    // Links to pages whose names need escaping (`a%23b.html`) are written
    // percent-encoded; the chapters are known by their file names.
    let chapter = anchors.get(joined.as_str()).or_else(|| {
        joined
            .contains('%')
            .then(|| anchors.get(crate::slug::percent_decode(&joined).as_str()))
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

impl Renderer<'_> {
    /// The chapter anchor of every printed page, by output path.
    /// The chapter anchor of every printed page and listed view, by file.
    pub(super) fn print_anchors(&self, published: &[usize]) -> HashMap<String, String> {
        published
            .iter()
            .map(|&i| self.book.pages[i].output.as_str())
            .chain(self.printed_views().map(|v| v.url))
            .map(|o| (o.to_string(), chapter_anchor(o)))
            .collect()
    }

    /// The views the print page carries as chapters, after the pages: those
    /// the navigation lists.
    pub(super) fn printed_views(&self) -> impl Iterator<Item = &'static View> + '_ {
        VIEWS
            .iter()
            .filter(|v| v.written(&self.state.views) && v.listed(&self.state.views))
    }

    /// Starts `print.html`: the theme renders the frame (title page,
    /// contents) with `chapters` (title, anchor, depth) and puts
    /// `{{ chapters_marker | safe }}` where the chapters go; the chapters are
    /// then appended as the pages are rendered.
    pub(super) fn print_start(
        &self,
        published: &[usize],
    ) -> std::result::Result<PrintWriter<'_>, RenderError> {
        const MARKER: &str = "<!--archbook:print-chapters-->";
        if !self.state.site_ctx.print {
            return Ok(PrintWriter {
                out: None,
                tail: String::new(),
            });
        }
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
                Chapter::new(
                    &p.title,
                    chapter_anchor(&p.output),
                    depth_of.get(&i).copied().unwrap_or(0),
                    false,
                )
            })
            .chain(
                self.printed_views()
                    .map(|v| Chapter::new(v.title, chapter_anchor(v.url), 0, v.wide)),
            )
            .collect();
        let common = self.common("print.html", None, self.state.site_ctx.title.to_string())?;
        let frame = self.render_with("print.html", &common, |ctx| {
            ctx.insert("chapters", &chapters);
            ctx.insert("chapters_marker", MARKER);
        })?;
        let (head, tail) = frame.split_once(MARKER).unwrap_or((&frame, ""));
        let mut out = self.out.stream("print.html")?;
        out.put(head)?;
        Ok(PrintWriter {
            out: Some(out),
            tail: tail.to_string(),
        })
    }
}
