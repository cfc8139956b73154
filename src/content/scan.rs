//! The body scan: one pass of the Markdown parser over a page's body that
//! collects what the model and the checks need without rendering: headings
//! with their anchors, the ids of raw HTML, admonitions and definition
//! terms, links (with where they are written), the first `# heading`, and
//! the fenced code to highlight. `parse` runs it; `render` reads the result.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use crate::content::page::{Diagram, Fence, Heading, Link, ParseOptions, markdown_options};
use crate::highlight::{self, Language};
use crate::slug;

/// What a body scan finds.
pub(super) struct BodyScan {
    pub(super) headings: Vec<Heading>,
    pub(super) html_anchors: Vec<String>,
    pub(super) admonitions: Vec<String>,
    pub(super) terms: Vec<String>,
    pub(super) links: Vec<Link>,
    /// The text of the first `# heading`.
    pub(super) h1: Option<String>,
    /// Fence languages without a syntax, and where they are written.
    pub(super) unknown_fences: Vec<(String, Range<usize>)>,
    /// Fenced code in languages that have one.
    pub(super) fences: Vec<Fence>,
    /// The labels of footnote definitions.
    pub(super) footnote_labels: Vec<String>,
    /// The ```` ```mermaid ```` blocks.
    pub(super) diagrams: Vec<Diagram>,
}

/// Collects headings (with unique anchors), links, the first `# heading`, and
/// (when highlighting) code fences: those to highlight, and those in
/// languages that cannot be highlighted.
pub(super) fn scan_body(body: &str, offset: usize, opts: ParseOptions) -> BodyScan {
    let highlight = opts.highlight;
    let mut unknown_fences = Vec::new();
    let mut fences = Vec::new();
    let mut footnote_labels = Vec::new();
    // The fence being read, when its language has a syntax.
    let mut fence: Option<Fence> = None;
    let mut diagrams = Vec::new();
    // The Mermaid block being read.
    let mut diagram: Option<Diagram> = None;
    let mut headings = Vec::new();
    let mut html_anchors = Vec::new();
    let mut admonitions = Vec::new();
    let mut terms = Vec::new();
    let mut admonition_ids = slug::Unique::default();
    let mut links = Vec::new();
    let mut h1 = None;
    let mut taken = slug::Unique::default();
    let mut current: Option<(u8, Option<String>, String)> = None;
    // An `admonish` block's Markdown, and where each piece of it sits in `body`.
    let mut admonition: Option<(String, Vec<(usize, usize)>)> = None;
    let mut events = Parser::new_ext(body, markdown_options(opts)).into_offset_iter();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Text(t) if admonition.is_some() => {
                if let Some((text, pieces)) = admonition.as_mut() {
                    pieces.push((text.len(), range.start));
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) if admonition.is_some() => {
                if let Some((text, pieces)) = admonition.take() {
                    // With the page's link definitions the body uses (what
                    // follows the body itself maps nowhere, and holds no links).
                    let (text, _) = crate::content::admonition::body_text(
                        &text,
                        body,
                        events.reference_definitions(),
                        &[],
                    );
                    admonition_links(&text, &pieces, offset, opts, &mut links);
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if crate::content::admonition::is_block(&info) =>
            {
                if let Some(a) = crate::content::admonition::parse(&info, opts.admonish) {
                    admonitions.push(match a.anchor_base(opts.admonish) {
                        Ok(id) => id,
                        Err(base) => admonition_ids.make(base),
                    });
                    // Links in the title (Markdown, too) are found at the
                    // fence's first line.
                    if let Some(title) = a.title.as_deref().filter(|t| t.contains('[')) {
                        let start = offset + range.start;
                        let end = body[range.start..]
                            .find('\n')
                            .map_or(offset + range.end, |i| start + i);
                        for (event, _) in
                            Parser::new_ext(title, markdown_options(opts)).into_offset_iter()
                        {
                            if let Event::Start(Tag::Link {
                                link_type,
                                dest_url,
                                ..
                            }) = event
                                && link_type != LinkType::Email
                            {
                                links.push(Link {
                                    url: dest_url.to_string(),
                                    span: start..end,
                                });
                            }
                        }
                    }
                }
                admonition = Some((String::new(), Vec::new()));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if highlight::fence_token(&info) == "mermaid" =>
            {
                // The code starts on the line after the fence.
                let next_line = body[range.start..]
                    .find('\n')
                    .map_or(range.end, |i| range.start + i + 1);
                diagram = Some(Diagram {
                    code: String::new(),
                    at: offset + next_line.min(range.end),
                });
            }
            Event::Text(t) if diagram.is_some() => {
                if let Some(d) = diagram.as_mut() {
                    d.code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) if diagram.is_some() => diagrams.extend(diagram.take()),
            Event::Text(t) if fence.is_some() => {
                if let Some(f) = fence.as_mut() {
                    f.code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => fences.extend(fence.take()),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                footnote_labels.push(label.into_string());
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((
                    heading_level(level),
                    id.map(|s| s.to_string()),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, text)) = current.take() {
                    let text = text.trim().to_string();
                    if level == 1 && h1.is_none() && !text.is_empty() {
                        h1 = Some(text.clone());
                    }
                    // As mdBook 0.5: an id written on the heading
                    // (`{#custom}`) is kept as it is and takes no part in
                    // numbering the others.
                    let anchor = match id {
                        Some(id) => id,
                        None => taken.make(slug::anchor(&text)),
                    };
                    headings.push(Heading {
                        level,
                        text,
                        anchor,
                    });
                }
            }
            // A term (level 0 here) takes an id as a heading does.
            Event::Start(Tag::DefinitionListTitle) => current = Some((0, None, String::new())),
            Event::End(TagEnd::DefinitionListTitle) => {
                if let Some((_, _, text)) = current.take() {
                    terms.push(taken.make(slug::anchor(&text)));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if highlight => {
                match highlight::language(&info) {
                    Language::Unknown => {
                        let lang = highlight::fence_token(&info);
                        let start = offset + range.start;
                        let line_end = body[range.start..]
                            .find('\n')
                            .map_or(offset + range.end, |i| start + i);
                        unknown_fences.push((lang.to_string(), start..line_end));
                    }
                    Language::Known(syntax) => {
                        fence = Some(Fence {
                            syntax,
                            info: info.to_string(),
                            code: String::new(),
                            at: offset + range.start,
                        })
                    }
                    Language::Plain => {}
                }
            }
            // `<someone@example.org>` is an e-mail address, not a path.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {}
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                links.push(Link {
                    url: dest_url.to_string(),
                    span: offset + range.start..offset + range.end,
                });
            }
            // `<a id="old-name"></a>` is a link target; `<a href="b.md#x">`
            // a link, checked like a Markdown one.
            Event::Html(html) | Event::InlineHtml(html) => {
                for attr in crate::content::rawhtml::attrs(&html) {
                    match attr.name.as_str() {
                        "id" | "name" if !attr.value.is_empty() => {
                            html_anchors.push(attr.value.to_string())
                        }
                        "href" => links.push(Link {
                            url: attr.value.to_string(),
                            span: offset + range.start..offset + range.end,
                        }),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    BodyScan {
        headings,
        html_anchors,
        admonitions,
        terms,
        links,
        h1,
        unknown_fences,
        fences,
        footnote_labels,
        diagrams,
    }
}

/// The links of an admonition's Markdown `text`, located in the page:
/// `pieces` says where each part of `text` starts in the body.
fn admonition_links(
    text: &str,
    pieces: &[(usize, usize)],
    offset: usize,
    opts: ParseOptions,
    links: &mut Vec<Link>,
) {
    let at = |i: usize| {
        let k = pieces
            .partition_point(|(start, _)| *start <= i)
            .saturating_sub(1);
        pieces
            .get(k)
            .map_or(0, |(start, in_body)| in_body + (i - start))
            + offset
    };
    for (event, range) in Parser::new_ext(text, markdown_options(opts)).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {}
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => links.push(Link {
                url: dest_url.to_string(),
                span: at(range.start)..at(range.end.saturating_sub(1)) + 1,
            }),
            _ => {}
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
