//! Markdown to HTML for one page: pulldown-cmark with build-time highlighting,
//! heading anchors, `.md` links rewritten to `.html`, and wide tables wrapped
//! so they scroll inside their own box.
//!
//! Heading ids come from the [`Page`] (computed when it was loaded), so the
//! anchors the link checker accepted are exactly the ones written. Besides the
//! HTML, rendering collects each section's plain text for the search index.
//! (Unknown fence languages were already reported by `content`; here they
//! are simply shown as plain text.) `admonish` draws `mdbook-admonish`
//! blocks, `footnotes` numbers and lists footnotes, `code` writes fenced
//! code (hidden lines left out), `sanitize` cleans HTML for
//! `sanitize-html`.

mod admonish;
mod code;
mod footnotes;
mod sanitize;

use admonish::*;
use code::*;
pub use code::{Hidelines, visible_lines};
use footnotes::*;
pub use sanitize::sanitize;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};

use crate::content::admonition;
use crate::content::page::{Page, ParseOptions, markdown_options};
use crate::highlight::{self, Highlighted, Language};
use crate::slug;

/// A rendered page body.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    /// The HTML (without the leading `# heading`, see `title_html`).
    pub html: String,
    /// The page's leading `# heading` as HTML (`<h1 id=…>…</h1>`), when the
    /// body starts with one; themes show it above the fact box.
    pub title_html: Option<String>,
    /// Plain text per section: the text before the first heading (anchor
    /// `""`), then one entry per heading.
    pub sections: Vec<Section>,
    /// Whether the Markdown carried raw HTML (or heading attributes), which
    /// [`sanitize`] cleans when `sanitize-html` is on.
    pub raw_html: bool,
}

/// The plain text of one section, for search.
#[derive(Debug, Default, Clone)]
pub struct Section {
    /// The heading's anchor (`""` for the top of the page).
    pub anchor: String,
    /// The heading's text.
    pub heading: String,
    /// The words of the section.
    pub text: String,
}

/// Renders `body` (the page's Markdown after the front matter) with the
/// options the page was read with; fenced code is highlighted when
/// `opts.highlight` is on, and its hidden lines are left out (see
/// [`visible_lines`]; `hidelines` is `[output.html.code.hidelines]`). Blocks
/// found in `highlighted` are not highlighted again.
///
/// PageEvents stream from the parser through one adapter straight into the HTML
/// writer: nothing but the leading `# heading` is held, so a page's memory is
/// its parse tree and its HTML, not also a copy of every event.
pub fn render(
    page: &Page,
    body: &str,
    opts: ParseOptions,
    hidelines: &Hidelines,
    highlighted: &Highlighted,
) -> Rendered {
    let mut html = String::with_capacity(body.len() * 3 / 2);
    let mut title_html = None;
    let mut sections = vec![Section::default()];
    let mut raw_html = false;
    let options = markdown_options(opts);
    // Ids of admonitions inside others are made unique against all these.
    let mut admonition_ids = slug::Unique::default();
    for id in page.admonitions.iter() {
        admonition_ids.make(id.clone());
    }
    let mut events = PageEvents {
        parser: Parser::new_ext(body, options),
        source: body,
        options,
        admonish: opts.admonish,
        admonition_index: 0,
        admonition_ids: &mut admonition_ids,
        term_index: 0,
        nested: 0,
        footnotes: Some(Footnotes::default()),
        elsewhere: Vec::new(),
        queued: None,
        page,
        highlight: opts.highlight,
        hidelines,
        highlighted,
        heading_index: 0,
        in_heading: false,
        sections: &mut sections,
        raw_html: &mut raw_html,
    };
    // A body that opens with a level-1 heading: hand that heading over
    // separately, so the theme can place it above the fact box.
    match events.next() {
        Some(
            first @ Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }),
        ) => {
            let mut heading = vec![first];
            for e in events.by_ref() {
                let end = matches!(e, Event::End(TagEnd::Heading(HeadingLevel::H1)));
                heading.push(e);
                if end {
                    break;
                }
            }
            let mut title = String::new();
            html::push_html(&mut title, heading.into_iter());
            title_html = Some(title);
            html::push_html(&mut html, events);
        }
        first => html::push_html(&mut html, first.into_iter().chain(events)),
    }
    if sections.first().is_some_and(|s| s.text.is_empty()) && sections.len() > 1 {
        sections.remove(0);
    }
    Rendered {
        html,
        title_html,
        sections,
        raw_html,
    }
}

/// The parser's events as archbook writes them: headings get the page's
/// anchors and a self-link, fenced code comes highlighted as one HTML event,
/// `.md` links point at `.html`, tables are wrapped, GitHub alerts get a
/// title. On the way it collects each section's text and whether the page
/// carries raw HTML.
struct PageEvents<'a, 'p> {
    parser: Parser<'a>,
    /// The text `parser` reads.
    source: &'a str,
    /// What `parser` was made with (admonition bodies are read the same way).
    options: pulldown_cmark::Options,
    /// `[preprocessor.admonish]`.
    admonish: &'p crate::content::admonition::Settings,
    /// How many of the page's own admonitions (`page.admonitions`) are
    /// written.
    admonition_index: usize,
    /// The ids admonitions have taken on the page.
    admonition_ids: &'p mut slug::Unique,
    /// How many of the page's definition list terms (`page.terms`) are
    /// written.
    term_index: usize,
    /// How many admonitions deep this body is (0: the page itself). Inside
    /// one, headings are not the page's sections and get no anchors.
    nested: usize,
    /// The page's footnotes (taken when they are written out, and lent to
    /// an admonition's body while it renders).
    footnotes: Option<Footnotes>,
    /// Footnotes this body cites that the page defines elsewhere: their
    /// placeholder definitions are not listed.
    elsewhere: Vec<String>,
    /// An event that follows the one just returned (some become two).
    queued: Option<Event<'a>>,
    page: &'p Page,
    highlight: bool,
    hidelines: &'p Hidelines,
    highlighted: &'p Highlighted,
    heading_index: usize,
    in_heading: bool,
    sections: &'p mut Vec<Section>,
    raw_html: &'p mut bool,
}

impl PageEvents<'_, '_> {}

impl<'a> Iterator for PageEvents<'a, '_> {
    type Item = Event<'a>;

    /// The page's events; footnote definitions are kept back and come last,
    /// as one numbered list.
    #[inline]
    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            match self.pull() {
                Some(Event::Start(Tag::FootnoteDefinition(label))) => self.define(label),
                Some(e) => return Some(e),
                // An admonition's notes are listed with the page's.
                None if self.nested > 0 => return None,
                None => return self.footnotes.take()?.html().map(|h| Event::Html(h.into())),
            }
        }
    }
}

impl<'a> PageEvents<'a, '_> {
    /// Renders a footnote definition (its events up to its end) for the
    /// list at the end of the page.
    fn define(&mut self, label: CowStr<'a>) {
        let mut events = Vec::new();
        while let Some(e) = self.pull() {
            if matches!(e, Event::End(TagEnd::FootnoteDefinition)) {
                break;
            }
            events.push(e);
        }
        if self.elsewhere.iter().any(|l| *l == *label) {
            return;
        }
        let mut body = String::new();
        html::push_html(&mut body, events.into_iter());
        if let Some(notes) = self.footnotes.as_mut() {
            notes.number(&label);
            notes.bodies.insert(label.into_string(), body);
        }
    }

    /// The next event, as archbook writes it.
    #[inline]
    fn pull(&mut self) -> Option<Event<'a>> {
        if let Some(e) = self.queued.take() {
            return Some(e);
        }
        let event = self.parser.next()?;
        Some(match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) if self.nested == 0 => self.heading_start(level, classes, attrs),
            Event::Start(Tag::DefinitionListTitle) if self.nested == 0 => {
                self.term_index += 1;
                match self.page.terms.get(self.term_index - 1) {
                    Some(id) => Event::Html(
                        format!("<dt id=\"{}\">", crate::render::escape_html(id)).into(),
                    ),
                    None => Event::Start(Tag::DefinitionListTitle),
                }
            }
            Event::End(TagEnd::Heading(level)) if self.nested == 0 => self.heading_end(level),
            Event::Start(Tag::CodeBlock(kind)) => self.code_block(kind),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // An e-mail autolink (`<a@b.md>`) is not a path to rewrite.
                let dest_url = if link_type == pulldown_cmark::LinkType::Email {
                    dest_url
                } else {
                    rewrite_link(dest_url)
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: rewrite_link(dest_url),
                title,
                id,
            }),
            // `<a href="b.md#x">` goes to the page `b.md` becomes, as in
            // mdBook 0.5.
            Event::Html(html) => {
                *self.raw_html = true;
                match rewrite_hrefs(&html) {
                    Some(rewritten) => Event::Html(rewritten.into()),
                    None => Event::Html(html),
                }
            }
            Event::InlineHtml(html) => {
                *self.raw_html = true;
                match rewrite_hrefs(&html) {
                    Some(rewritten) => Event::InlineHtml(rewritten.into()),
                    None => Event::InlineHtml(html),
                }
            }
            // GitHub's alerts (`> [!NOTE]`), marked up the way GitHub does,
            // with a title the theme styles.
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(kind);
                let open = format!(
                    "<div class=\"markdown-alert markdown-alert-{class}\">\n<p class=\"markdown-alert-title\">{title}</p>\n"
                );
                Event::Html(open.into())
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html("</div>\n".into()),
            Event::Start(Tag::Table(align)) => {
                self.queued = Some(Event::Start(Tag::Table(align)));
                Event::Html("<div class=\"table-wrap\">".into())
            }
            Event::End(TagEnd::Table) => {
                self.queued = Some(Event::Html("</div>".into()));
                Event::End(TagEnd::Table)
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                self.take_words(t);
                event
            }
            Event::FootnoteReference(label) => match self.footnotes.as_mut() {
                Some(notes) => Event::Html(notes.reference(&label).into()),
                None => Event::FootnoteReference(label),
            },
            other => other,
        })
    }

    /// A heading of the page: its anchor from the page scan, and a new
    /// section for search.
    fn heading_start(
        &mut self,
        level: HeadingLevel,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    ) -> Event<'a> {
        let anchor = self
            .page
            .headings
            .get(self.heading_index)
            .map(|h| h.anchor.clone())
            .unwrap_or_default();
        self.heading_index += 1;
        self.in_heading = true;
        *self.raw_html |= !attrs.is_empty() || !classes.is_empty();
        self.sections.push(Section {
            anchor: anchor.clone(),
            ..Section::default()
        });
        Event::Start(Tag::Heading {
            level,
            id: Some(anchor.into()),
            classes,
            attrs,
        })
    }

    /// The end of a heading, after its self-link.
    fn heading_end(&mut self, level: HeadingLevel) -> Event<'a> {
        self.in_heading = false;
        let end = Event::End(TagEnd::Heading(level));
        match self.sections.last() {
            Some(s) => {
                let link = format!(
                    "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>",
                    s.anchor
                );
                self.queued = Some(end);
                Event::Html(link.into())
            }
            None => end,
        }
    }

    /// A code block, read to its end: an admonition, or code (highlighted
    /// when it was highlighted ahead), as one HTML event.
    fn code_block(&mut self, kind: CodeBlockKind<'a>) -> Event<'a> {
        let info = match kind {
            CodeBlockKind::Fenced(info) => info,
            CodeBlockKind::Indented => CowStr::Borrowed(""),
        };
        // The block's text comes as one or more events up to its end.
        let mut text = String::new();
        for e in self.parser.by_ref() {
            match e {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        match admonition::parse(&info, self.admonish) {
            // Each level renders its body with a parser of its own:
            // deeper ones stay code, so no input runs out the stack.
            Some(a) if self.nested < MAX_ADMONITION_DEPTH => {
                Event::Html(self.admonition(&a, &text).into())
            }
            _ => {
                let text = visible_lines(&info, &text, self.hidelines);
                let highlighted = self.highlight.then_some(self.highlighted);
                Event::Html(code_block(&info, &text, highlighted).into())
            }
        }
    }

    /// Text of the page, added to its current section's words (or heading).
    fn take_words(&mut self, t: &str) {
        if let Some(s) = self.sections.last_mut() {
            let target = if self.in_heading {
                &mut s.heading
            } else {
                &mut s.text
            };
            if !target.is_empty() && !target.ends_with(' ') {
                target.push(' ');
            }
            target.push_str(t);
        }
    }
}

/// The class and title of a GitHub alert.
fn alert(kind: pulldown_cmark::BlockQuoteKind) -> (&'static str, &'static str) {
    use pulldown_cmark::BlockQuoteKind as K;
    match kind {
        K::Note => ("note", "Note"),
        K::Tip => ("tip", "Tip"),
        K::Important => ("important", "Important"),
        K::Warning => ("warning", "Warning"),
        K::Caution => ("caution", "Caution"),
    }
}

/// Rewrites a relative link to a `.md` page into its `.html` name.
pub fn rewrite_link(url: CowStr<'_>) -> CowStr<'_> {
    let s = url.as_ref();
    if s.starts_with('#') || s.starts_with('/') || s.contains("://") || s.starts_with("mailto:") {
        return url;
    }
    let (path, rest) = match s.find(['#', '?']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let Some(stem_path) = path.strip_suffix(".md") else {
        return url;
    };
    let (dir, stem) = match stem_path.rfind('/') {
        Some(i) => (&stem_path[..=i], &stem_path[i + 1..]),
        None => ("", stem_path),
    };
    let file = if stem.eq_ignore_ascii_case("readme") || stem == "index" {
        "index"
    } else {
        stem
    };
    format!("{dir}{file}.html{rest}").into()
}

/// `html` with each relative `href="….md#…"` written as the `.html` page
/// it becomes, as mdBook 0.5 does. `None` when nothing changes.
pub fn rewrite_hrefs(html: &str) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    for a in crate::content::rawhtml::attrs(html) {
        if a.name != "href" {
            continue;
        }
        let rewritten = rewrite_link(a.value.into());
        if *rewritten != *a.value {
            out.push_str(&html[copied..a.span.start]);
            out.push_str(&rewritten);
            copied = a.span.end;
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&html[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md_hrefs_become_html() {
        assert_eq!(
            rewrite_hrefs("<a href=\"b.md#x\">b</a> <a href='https://x.org/a.md'>").as_deref(),
            Some("<a href=\"b.html#x\">b</a> <a href='https://x.org/a.md'>")
        );
        assert_eq!(rewrite_hrefs("<a href=\"b.html\">"), None);
        assert_eq!(
            rewrite_hrefs("<a href=README.md>").as_deref(),
            Some("<a href=index.html>")
        );
    }

    use crate::vocab::Alphabet;

    fn render_text(text: &str) -> Rendered {
        let (p, _) = crate::content::parse(0, "a/b.md", text, Alphabet::Raci);
        let split = crate::content::frontmatter::split(text).unwrap();
        render(
            &p,
            split.body,
            Alphabet::Raci.into(),
            &Hidelines::new(),
            &Highlighted::default(),
        )
    }

    #[test]
    fn definition_terms_get_ids_numbered_with_the_headings() {
        // As in mdBook 0.5: `Term one` takes `term-one`, so the heading of
        // the same words after it is `term-one-1`.
        let r = render_text("Term `one`\n: Its meaning.\n\n## Term one\n");
        insta::assert_snapshot!(r.html, @r##"
        <dl>
        <dt id="term-one">Term <code>one</code></dt>
        <dd>Its meaning.</dd>
        </dl>
        <h2 id="term-one-1">Term one<a class="anchor" href="#term-one-1" aria-label="Link to this section">#</a></h2>
        "##);
    }

    #[test]
    fn sanitizing_strips_active_content_and_keeps_archbook_markup() {
        let r = render_text(
            "# T {onclick=alert(1)}\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> \
             <a href=\"javascript:alert(3)\">j</a> <iframe src=\"https://x\"></iframe>\n\n\
             - [x] done\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n\n\
             Cited[^1].\n\n[^1]: Source.\n\n```admonish tip collapsible=true\nHint.\n```\n",
        );
        assert!(r.raw_html);
        let html = sanitize(&r.html);
        let title = sanitize(r.title_html.as_deref().unwrap());
        for bad in ["<script", "onerror", "javascript:", "<iframe", "onclick"] {
            assert!(
                !html.contains(bad) && !title.contains(bad),
                "{bad} in {html}{title}"
            );
        }
        for kept in [
            "type=\"checkbox\" checked=\"\"",
            "style=\"text-align: center\"",
            "<pre class=\"code\">",
            "class=\"table-wrap\"",
            "<section class=\"footnotes\" aria-label=\"Footnotes\">",
            "<li id=\"fn-1\">",
            "<a href=\"#fnref-1\" class=\"footnote-backref\" aria-label=\"Back to the text\"",
            "<details id=\"admonition-tip\" class=\"markdown-alert markdown-alert-tip admonish-tip\">",
            "<summary class=\"markdown-alert-title\" id=\"admonition-tip-title\">Tip</summary>",
        ] {
            assert!(html.contains(kept), "{kept} missing from {html}");
        }
        assert!(title.contains("id=\"t\""), "{title}");
        assert!(!render_text("# Plain\n\ntext *em*\n").raw_html);
    }

    #[test]
    fn github_alerts_get_a_title_and_plain_quotes_stay_quotes() {
        let r = render_text(
            "> [!WARNING]\n> Back up first.\n\n> [!NOTE]\n> > [!TIP]\n> > Nested.\n\n> [!UNKNOWN]\n> Quoted.\n",
        );
        insta::assert_snapshot!(r.html, @r#"
        <div class="markdown-alert markdown-alert-warning">
        <p class="markdown-alert-title">Warning</p>
        <p>Back up first.</p>
        </div>
        <div class="markdown-alert markdown-alert-note">
        <p class="markdown-alert-title">Note</p>
        <div class="markdown-alert markdown-alert-tip">
        <p class="markdown-alert-title">Tip</p>
        <p>Nested.</p>
        </div>
        </div>
        <blockquote>
        <p>[!UNKNOWN]
        Quoted.</p>
        </blockquote>
        "#);
        // The alert's text is searchable; its title is not a word of the page.
        assert!(r.sections[0].text.contains("Back up first."));
        assert!(!r.sections[0].text.contains("Warning"));
    }

    #[test]
    fn smart_punctuation_is_used_by_both_passes() {
        let text = "## Don't -- \"stop\"...\n\nIt's [here](#dont--stop).\n";
        let opts = ParseOptions {
            smart_punctuation: true,
            ..Alphabet::Raci.into()
        };
        let (p, found) = crate::content::parse(0, "a.md", text, opts);
        assert!(found.is_empty(), "{found:?}");
        let r = render(&p, text, opts, &Hidelines::new(), &Highlighted::default());
        assert!(r.html.contains("Don’t – “stop”…"), "{}", r.html);
        assert!(r.html.contains("It’s"), "{}", r.html);
        // The anchor the link checker knows is the one written.
        assert!(
            r.html.contains(&format!("id=\"{}\"", p.headings[0].anchor)),
            "{}",
            r.html
        );
        // Off by default: straight quotes stay.
        assert!(render_text(text).html.contains("It's"));
    }

    #[test]
    fn links_to_pages_become_html() {
        for (from, to) in [
            ("x.md", "x.html"),
            ("../README.md#top", "../index.html#top"),
            ("dir/index.md?q", "dir/index.html?q"),
            ("https://x.org/a.md", "https://x.org/a.md"),
            ("img.png", "img.png"),
            ("#sec", "#sec"),
        ] {
            assert_eq!(rewrite_link(from.into()).as_ref(), to);
        }
    }

    #[test]
    fn headings_get_the_page_anchors_and_a_self_link() {
        let r = render_text("# Title\n\n## Design & Vision\n\ntext\n");
        // The leading `# Title` is handed over on its own.
        assert_eq!(
            r.title_html.as_deref(),
            Some(
                "<h1 id=\"title\">Title<a class=\"anchor\" href=\"#title\" aria-label=\"Link to this section\">#</a></h1>\n"
            )
        );
        insta::assert_snapshot!(r.html, @r###"
        <h2 id="design--vision">Design &amp; Vision<a class="anchor" href="#design--vision" aria-label="Link to this section">#</a></h2>
        <p>text</p>
        "###);
        assert_eq!(r.sections[1].heading, "Design & Vision");
        assert_eq!(r.sections[1].text, "text");
    }

    #[test]
    fn code_is_highlighted_and_unknown_languages_are_plain() {
        let r = render_text("```rust\nfn main() {}\n```\n\n```klingon\n<qapla'>\n```\n");
        assert!(
            r.html
                .contains("<pre class=\"code\"><code class=\"language-rust\"><span class=\"hl-"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<code class=\"language-klingon\">&lt;qapla'&gt;\n</code>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn mermaid_is_drawn_and_other_diagram_sources_left_for_a_script() {
        let text = "```mermaid\ngraph TD; A-->B;\n```\n\n```plantuml\nA -> B\n```\n\n```mermaid\nsankey-beta\n\na,b,1\n```\n";
        let (p, found) = crate::content::parse(0, "a.md", text, Alphabet::Raci);
        assert!(found.is_empty(), "no unknown-language warning: {found:?}");
        let r = render(
            &p,
            text,
            Alphabet::Raci.into(),
            &Hidelines::new(),
            &Highlighted::default(),
        );
        assert!(
            r.html.starts_with("<figure class=\"diagram mermaid\"><svg"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<pre class=\"mermaid\">sankey-beta\n\na,b,1\n</pre>\n"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<code class=\"language-plantuml\">A -&gt; B"),
            "{}",
            r.html
        );
    }

    #[test]
    fn tables_scroll_in_their_own_box() {
        let r = render_text("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            r.html.starts_with("<div class=\"table-wrap\"><table>"),
            "{}",
            r.html
        );
        assert!(
            r.html.trim_end().ends_with("</table>\n</div>")
                || r.html.trim_end().ends_with("</table></div>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn hidden_lines_are_left_out_as_mdbook_hides_them() {
        let none = Hidelines::new();
        let rust = "# fn main() {\n#\nlet x = 5;\n    ## not hidden\n#[derive(Debug)]\n#!inner\n#\tkept\n  # }\n";
        assert_eq!(
            visible_lines("rust,ignore", rust, &none),
            "let x = 5;\n    # not hidden\n#[derive(Debug)]\n#!inner\n#\tkept\n"
        );
        // Only Rust has a rule of its own; other languages keep `#` lines.
        let bash = "# a comment\necho hi\n";
        assert_eq!(visible_lines("bash", bash, &none), bash);
        let python = "~import os\nprint(1)\n  ~x = 1\n";
        let config = Hidelines::from([("python".to_string(), "~".to_string())]);
        assert_eq!(visible_lines("python", python, &config), "print(1)\n");
        // The info string's own prefix comes first; Rust keeps its rule.
        assert_eq!(
            visible_lines("python hidelines=!!", "!!x\n~y\n", &config),
            "~y\n"
        );
        assert_eq!(
            visible_lines("rust hidelines=~", "~a\n# b\n", &none),
            "~a\n"
        );
        // Borrowed when nothing is hidden.
        assert!(matches!(
            visible_lines("rust", "fn f() {}\n", &none),
            std::borrow::Cow::Borrowed(_)
        ));
        let (p, _) = crate::content::parse(
            0,
            "a.md",
            "```rust\n# use std::fmt;\nfn f() {}\n```\n",
            Alphabet::Raci,
        );
        let r = render(
            &p,
            "```rust\n# use std::fmt;\nfn f() {}\n```\n",
            Alphabet::Raci.into(),
            &none,
            &Highlighted::default(),
        );
        assert!(!r.html.contains("fmt"), "{}", r.html);
        assert!(r.html.contains(">fn</span>"), "{}", r.html);
    }

    #[test]
    fn code_found_by_the_first_pass_is_taken_as_highlighted_ahead() {
        // Every shape of fence the page scan collects must be the same
        // block, to the byte, when the page renders: else it is highlighted
        // a second time.
        let text = "# T\r\n\r\n```rust\r\n# use x;\r\nfn f() {}\r\n```\r\n\r\n\
            - item\n\n  ```yaml\n  a: 1\n    b: 2\n  ```\n\n> ```bash\n> ls\n> ```\n\n\
            ~~~python title=\"x\"\nx = 1\n~~~\n\n```sh hidelines=!\n!hidden\necho\n```\n";
        let (p, _) = crate::content::parse(0, "a.md", text, Alphabet::Raci);
        assert_eq!(p.fences.len(), 5);
        let none = Hidelines::new();
        let ahead = Highlighted::with_markup(p.fences.iter().map(|f| {
            let code = visible_lines(&f.info, &f.code, &none).into_owned();
            (f.syntax, code, "<b>ahead</b>".to_string())
        }));
        let r = render(&p, text, Alphabet::Raci.into(), &none, &ahead);
        assert_eq!(r.html.matches("<b>ahead</b>").count(), 5, "{}", r.html);
    }

    #[test]
    fn mdbook_admonish_blocks_are_callouts() {
        let text = "## Before\n\n```admonish warning title=\"Data *loss*\"\nBack up [first](a.md).\n\n## Inside\n```\n\n\
                    ````admonish tip collapsible=true\n```text\nplain <code>\n```\n````\n";
        let r = render_text(text);
        insta::assert_snapshot!(r.html, @r##"
        <h2 id="before">Before<a class="anchor" href="#before" aria-label="Link to this section">#</a></h2>
        <div id="admonition-data-loss" class="markdown-alert markdown-alert-warning admonish-warning" role="note" aria-labelledby="admonition-data-loss-title">
        <p class="markdown-alert-title" id="admonition-data-loss-title">Data <em>loss</em><a class="anchor" href="#admonition-data-loss" aria-label="Link to this note">#</a></p>
        <p>Back up <a href="a.html">first</a>.</p>
        <h2>Inside</h2>
        </div>
        <details id="admonition-tip" class="markdown-alert markdown-alert-tip admonish-tip">
        <summary class="markdown-alert-title" id="admonition-tip-title">Tip</summary>
        <pre class="code"><code class="language-text">plain &lt;code&gt;
        </code></pre>
        </details>
        "##);
        // The callout's words are searchable with its section; its heading
        // is not a section of the page.
        assert_eq!(r.sections.len(), 1);
        assert!(
            r.sections[0].text.contains("Back up first"),
            "{:?}",
            r.sections
        );
    }

    #[test]
    fn footnotes_are_numbered_and_listed_at_the_end_with_links_back() {
        let r = render_text(
            "Claim[^src] and again[^src], then[^2].\n\n[^2]: Second *note*.\n\n[^src]: The source.\n\nAfter.\n\n[^unused]: Never cited.\n",
        );
        insta::assert_snapshot!(r.html, @r##"
        <p>Claim<sup class="footnote-reference" id="fnref-src"><a href="#fn-src">1</a></sup> and again<sup class="footnote-reference" id="fnref-src-2"><a href="#fn-src">1</a></sup>, then<sup class="footnote-reference" id="fnref-2"><a href="#fn-2">2</a></sup>.</p>
        <p>After.</p>
        <section class="footnotes" aria-label="Footnotes">
        <ol>
        <li id="fn-src">
        <p>The source. <a href="#fnref-src" class="footnote-backref" aria-label="Back to the text">↩</a> <a href="#fnref-src-2" class="footnote-backref" aria-label="Back to the text">↩<sup>2</sup></a></p>
        </li>
        <li id="fn-2">
        <p>Second <em>note</em>. <a href="#fnref-2" class="footnote-backref" aria-label="Back to the text">↩</a></p>
        </li>
        <li id="fn-unused">
        <p>Never cited.</p>
        </li>
        </ol>
        </section>
        "##);
        assert!(
            render_text("No notes.\n")
                .html
                .trim_end()
                .ends_with("<p>No notes.</p>")
        );
    }

    #[test]
    fn admonitions_share_the_pages_footnotes() {
        // As with mdbook-admonish, whose bodies are part of the page: one
        // numbering, one list at the end, and the page's notes citable.
        let r = render_text(
            "Before[^a].\n\n```admonish note\nInside[^a] and own[^b].\n\n[^b]: Defined inside.\n```\n\n\
             After[^c].\n\n[^a]: Defined on the page.\n\n[^c]: Third.\n",
        );
        insta::assert_snapshot!(r.html, @r##"
        <p>Before<sup class="footnote-reference" id="fnref-a"><a href="#fn-a">1</a></sup>.</p>
        <div id="admonition-note" class="markdown-alert markdown-alert-note admonish-note" role="note" aria-labelledby="admonition-note-title">
        <p class="markdown-alert-title" id="admonition-note-title">Note<a class="anchor" href="#admonition-note" aria-label="Link to this note">#</a></p>
        <p>Inside<sup class="footnote-reference" id="fnref-a-2"><a href="#fn-a">1</a></sup> and own<sup class="footnote-reference" id="fnref-b"><a href="#fn-b">2</a></sup>.</p>
        </div>
        <p>After<sup class="footnote-reference" id="fnref-c"><a href="#fn-c">3</a></sup>.</p>
        <section class="footnotes" aria-label="Footnotes">
        <ol>
        <li id="fn-a">
        <p>Defined on the page. <a href="#fnref-a" class="footnote-backref" aria-label="Back to the text">↩</a> <a href="#fnref-a-2" class="footnote-backref" aria-label="Back to the text">↩<sup>2</sup></a></p>
        </li>
        <li id="fn-b">
        <p>Defined inside. <a href="#fnref-b" class="footnote-backref" aria-label="Back to the text">↩</a></p>
        </li>
        <li id="fn-c">
        <p>Third. <a href="#fnref-c" class="footnote-backref" aria-label="Back to the text">↩</a></p>
        </li>
        </ol>
        </section>
        "##);
    }

    #[test]
    fn admonitions_use_the_pages_link_definitions() {
        let r = render_text(
            "```admonish tip\nRead [the guide][G], [ours] and [x][nowhere].\n\n[ours]: ours.md\n```\n\n\
             [g]: guide.md#start \"The <guide>\"\n",
        );
        insta::assert_snapshot!(r.html, @r##"
        <div id="admonition-tip" class="markdown-alert markdown-alert-tip admonish-tip" role="note" aria-labelledby="admonition-tip-title">
        <p class="markdown-alert-title" id="admonition-tip-title">Tip<a class="anchor" href="#admonition-tip" aria-label="Link to this note">#</a></p>
        <p>Read <a href="guide.html#start" title="The &lt;guide&gt;">the guide</a>, <a href="ours.html">ours</a> and [x][nowhere].</p>
        </div>
        "##);
    }

    proptest::proptest! {
        /// Any mix of the constructs archbook rewrites renders without a
        /// panic, and what it opens it closes.
        #[test]
        fn rewritten_constructs_stay_balanced(lines in proptest::collection::vec(proptest::sample::select(vec![
            "# Title", "## Part [^a]", "Text[^a] and[^b] [link](x.md#y)", "[^a]: Note *one*",
            "[^b]: Note two[^a]", "    indented note", "> [!WARNING]", "> Quoted", "> > [!TIP]",
            "```admonish warning title=\"T\"", "```admonish tip collapsible=true", "```rust",
            "# hidden", "## shown", "```", "````", "| a | b |", "|---|---|", "| 1 | 2 |",
            "- item", "  - nested [^a]", "", "```mermaid", "graph TD; A-->B;", "Term", ": Definition",
        ]), 0..40)) {
            let text = lines.join("\n");
            let r = render_text(&text);
            let html = format!("{}{}", r.title_html.unwrap_or_default(), r.html);
            for tag in ["div", "details", "section", "table", "pre", "ol", "ul", "blockquote"] {
                let opened = html.matches(&format!("<{tag}>")).count()
                    + html.matches(&format!("<{tag} ")).count();
                let closed = html.matches(&format!("</{tag}>")).count();
                proptest::prop_assert_eq!(opened, closed, "<{}> in {:?} gave {}", tag, text, html);
            }
        }
    }

    #[test]
    fn admonitions_nest_only_so_deep() {
        // A thousand admonitions inside one another (each fence one
        // backtick shorter) ran out the stack.
        let n = 1000;
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!("{}admonish note\n", "`".repeat(n + 3 - i)));
        }
        text.push_str("deep\n");
        for i in (0..n).rev() {
            text.push_str(&format!("{}\n", "`".repeat(n + 3 - i)));
        }
        let r = render_text(&text);
        assert_eq!(
            r.html.matches(" class=\"markdown-alert ").count(),
            MAX_ADMONITION_DEPTH
        );
        assert!(r.html.contains("language-admonish"));
    }

    #[test]
    fn only_a_leading_level_one_heading_is_handed_over() {
        let r = render_text("# Top *one*\n\nText.\n\n# Second\n");
        let title = r.title_html.as_deref().unwrap_or_default();
        assert!(
            title.starts_with("<h1 id=\"top-one\">Top <em>one</em>"),
            "{title}"
        );
        assert!(title.trim_end().ends_with("</h1>"), "{title}");
        assert!(r.html.starts_with("<p>Text.</p>"), "{}", r.html);
        assert!(r.html.contains("<h1 id=\"second\">Second"), "{}", r.html);
        for body in ["Text.\n\n# Later\n", "```\ncode\n```\n# After\n"] {
            let r = render_text(body);
            assert_eq!(r.title_html, None, "{body}");
            assert!(r.html.contains("<h1 id="), "{}", r.html);
        }
        let empty = render_text("");
        assert_eq!((empty.html.as_str(), empty.title_html), ("", None));
    }

    #[test]
    fn raw_html_passes_through_and_text_is_escaped() {
        let r = render_text("<div class=\"note\">hi</div>\n\na <script> b\n");
        assert!(r.html.contains("<div class=\"note\">hi</div>"));
        // Inline raw HTML is passed through as mdBook does; sanitising is opt-in.
        assert!(r.html.contains("<p>a <script> b</p>"), "{}", r.html);
    }
}
