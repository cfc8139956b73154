//! An `mdbook-admonish` block drawn as a callout: its id, classes and
//! Markdown title, and its body rendered by a parser of its own that
//! shares the page's footnotes, link definitions and sections.

use super::*;

/// `text`, one line of inline Markdown, as HTML (without the paragraph
/// around it, links to `.md` pages pointing at `.html`), and whether it
/// holds raw HTML.
pub(super) fn inline_html(text: &str, options: pulldown_cmark::Options) -> (String, bool) {
    let mut raw = false;
    let events = Parser::new_ext(text, options)
        .filter(|e| {
            raw |= matches!(e, Event::Html(_) | Event::InlineHtml(_));
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        })
        .map(|e| match e {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if link_type != pulldown_cmark::LinkType::Email => Event::Start(Tag::Link {
                link_type,
                dest_url: rewrite_link(dest_url),
                title,
                id,
            }),
            e => e,
        });
    let mut html = String::with_capacity(text.len() + 16);
    html::push_html(&mut html, events);
    (html.trim_end().to_string(), raw)
}

/// How deep admonitions are rendered inside one another.
pub(super) const MAX_ADMONITION_DEPTH: usize = 16;

impl PageEvents<'_, '_> {
    /// An `mdbook-admonish` block as a callout: its body is Markdown, read
    /// with the page's options (links rewritten, code highlighted, text
    /// searchable with the section it sits in).
    pub(super) fn admonition(&mut self, a: &admonition::Admonition, body: &str) -> String {
        // The page scan made the ids of the page's own blocks (links to them
        // are checked against those); blocks inside others get theirs here.
        let id = if self.nested == 0 {
            self.admonition_index += 1;
            self.page
                .admonitions
                .get(self.admonition_index - 1)
                .cloned()
        } else {
            None
        };
        let id = id.unwrap_or_else(|| match a.anchor_base(self.admonish) {
            Ok(id) => id,
            Err(base) => self.admonition_ids.make(base),
        });
        let id = crate::render::escape_html(&id);
        let mut html = String::with_capacity(body.len() * 2);
        let tag = if a.collapsible { "details" } else { "div" };
        html.push_str(&format!(
            "<{tag} id=\"{id}\" class=\"markdown-alert markdown-alert-{} admonish-{}",
            a.class,
            crate::render::escape_html(&a.directive)
        ));
        for class in &a.classes {
            html.push(' ');
            html.push_str(&crate::render::escape_html(class));
        }
        html.push('"');
        if let Some(colour) = a.color.as_deref().filter(|c| admonition::is_colour(c)) {
            html.push_str(&format!(" style=\"--alert: {colour}\""));
        }
        let title = a.title.as_deref().or(a.collapsible.then_some(a.class));
        // A `<details>` is named by its `<summary>` and takes no role.
        if !a.collapsible {
            html.push_str(" role=\"note\"");
            if title.is_some() {
                html.push_str(&format!(" aria-labelledby=\"{id}-title\""));
            }
        }
        html.push_str(">\n");
        let title_tag = if a.collapsible { "summary" } else { "p" };
        if let Some(title) = title {
            // The title is Markdown, as the plugin reads it.
            let (title, raw) = inline_html(title, self.options);
            *self.raw_html |= raw;
            // A link to the block, as headings have; not inside a
            // `<summary>`, which is a control already.
            let link = if a.collapsible {
                String::new()
            } else {
                format!("<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this note\">#</a>")
            };
            html.push_str(&format!(
                "<{title_tag} class=\"markdown-alert-title\" id=\"{id}-title\">{title}{link}</{title_tag}>\n"
            ));
        }
        // The body is read by a parser of its own: it gets the page's link
        // definitions and footnotes it uses (see `admonition::body_text`).
        let (text, elsewhere) = admonition::body_text(
            body,
            self.source,
            self.parser.reference_definitions(),
            &self.page.footnote_labels,
        );
        let mut inner = PageEvents {
            parser: Parser::new_ext(&text, self.options),
            source: &text,
            options: self.options,
            admonish: self.admonish,
            admonition_index: 0,
            admonition_ids: &mut *self.admonition_ids,
            term_index: 0,
            nested: self.nested + 1,
            // One numbering and one list for the whole page.
            footnotes: self.footnotes.take(),
            elsewhere,
            queued: None,
            page: self.page,
            highlight: self.highlight,
            hidelines: self.hidelines,
            highlighted: self.highlighted,
            heading_index: 0,
            in_heading: false,
            sections: &mut *self.sections,
            raw_html: &mut *self.raw_html,
        };
        html::push_html(&mut html, &mut inner);
        let notes = inner.footnotes.take();
        drop(inner);
        self.footnotes = notes;
        html.push_str(&format!("</{tag}>\n"));
        html
    }
}
