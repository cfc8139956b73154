//! `SUMMARY.md` in mdBook's grammar: when a handbook has one, it sets the
//! table of contents and the reading order.
//!
//! ```markdown
//! # Summary
//!
//! [Introduction](README.md)          prefix chapter
//!
//! # Part one                         part title
//!
//! - [Chapter](chapter.md)            numbered chapter
//!     - [Section](chapter/section.md)  nested
//! - [Coming soon]()                  draft: shown greyed, no page
//!
//! ---                                separator
//!
//! [Appendix](appendix.md)            suffix chapter
//! ```
//!
//! Parsed with pulldown-cmark into [`Item`]s; problems are located findings.
//! `nav` turns the items into the sidebar; pages the summary does not list
//! are still built, with a warning.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::content::page::Page;
use crate::diagnostic::{Diagnostic, FileId, did_you_mean};
use crate::rules::Rule;

/// The pages `items` list as chapters (indexes into the pages they were
/// parsed with).
pub fn listed(items: &[Item]) -> std::collections::HashSet<usize> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Chapter { page, .. } => *page,
            _ => None,
        })
        .collect()
}

/// One line of the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A chapter: a page (or a draft without one) at a nesting depth.
    Chapter {
        /// Its title as written in the summary.
        title: String,
        /// The page, or `None` for a draft chapter.
        page: Option<usize>,
        /// 0 for top-level chapters.
        depth: usize,
        /// A numbered chapter (a list item), not a prefix or suffix chapter.
        numbered: bool,
    },
    /// A part title (`# Part`).
    Part(String),
    /// A separator line (`---`).
    Separator,
}

/// Parses `text` (the summary file `file`) against the loaded pages.
pub fn parse(text: &str, file: FileId, pages: &[Page], found: &mut Vec<Diagnostic>) -> Vec<Item> {
    let by_source: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source.as_str(), i))
        .collect();
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut seen_title = false;
    let mut in_heading: Option<String> = None;
    let mut link: Option<(String, String, Range<usize>)> = None; // (dest, text, span)
    let mut numbered_seen = false;
    let mut suffix_seen = false;
    let mut list_depth = 0usize;
    // Whether the list item being read has had its link.
    let mut item_linked = false;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => in_heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                let title = in_heading.take().unwrap_or_default();
                if seen_title {
                    items.push(Item::Part(title.trim().to_string()));
                } else {
                    seen_title = true;
                }
            }
            // Other headings (`## Rust 2018` in the Edition Guide) are
            // skipped, as mdBook skips them: only `#` titles parts.
            Event::Start(Tag::Item) => item_linked = false,
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                if list_depth == 1 {
                    if suffix_seen {
                        found.push(
                            Diagnostic::new(Rule::Summary, "numbered chapters after suffix chapters")
                                .at(file, range.start..range.start + 1, "this list")
                                .help("suffix chapters (plain links) go after every numbered chapter, at the end"),
                        );
                    }
                    numbered_seen = true;
                }
                depth = list_depth - 1;
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                depth = list_depth.saturating_sub(1);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                item_linked = true;
                link = Some((dest_url.to_string(), String::new(), range));
            }
            Event::End(TagEnd::Link) => {
                let Some((dest, title, span)) = link.take() else {
                    continue;
                };
                if list_depth == 0 && numbered_seen {
                    suffix_seen = true;
                }
                let d = if list_depth == 0 { 0 } else { depth };
                if dest.trim().is_empty() {
                    items.push(Item::Chapter {
                        title,
                        page: None,
                        depth: d,
                        numbered: list_depth > 0,
                    });
                    continue;
                }
                let path = chapter_path(&dest);
                match by_source.get(path.as_str()) {
                    Some(&i) => items.push(Item::Chapter {
                        title,
                        page: Some(i),
                        depth: d,
                        numbered: list_depth > 0,
                    }),
                    None => {
                        let hint = did_you_mean(&path, pages.iter().map(|p| p.source.as_str()))
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| {
                                format!(
                                    "create `{path}`, or write `[{title}]()` for a draft chapter"
                                )
                            });
                        found.push(
                            Diagnostic::new(
                                Rule::Summary,
                                format!("SUMMARY.md links to `{path}`, which does not exist"),
                            )
                            .at(file, span, "no such page")
                            .help(hint),
                        );
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title, _)) = link.as_mut() {
                    title.push_str(&t);
                } else if let Some(h) = in_heading.as_mut() {
                    h.push_str(&t);
                } else if list_depth > 0 && !item_linked && !t.trim().is_empty() {
                    // Text after an item's link (`- [A](a.md) (draft)`) is
                    // ignored, as mdBook ignores it; an item without one is
                    // not a chapter.
                    found.push(
                        Diagnostic::new(Rule::Summary, "a list item in SUMMARY.md must be a link")
                            .at(file, range, "plain text")
                            .help("write `- [Title](path.md)`, or `- [Title]()` for a draft"),
                    );
                }
            }
            Event::Rule => items.push(Item::Separator),
            _ => {}
        }
    }
    items
}

/// The source path a summary link names: without `#fragment` and `./`,
/// percent-decoded.
fn chapter_path(dest: &str) -> String {
    let path = dest
        .split('#')
        .next()
        .unwrap_or("")
        .trim_start_matches("./");
    crate::slug::percent_decode(path)
}

/// A chapter the summary links to that has no page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingChapter {
    /// Its source path, as a page's (`chapter_1.md`).
    pub path: String,
    /// Its title in the summary.
    pub title: String,
    /// The link in the summary.
    pub span: Range<usize>,
}

/// The chapters `text` links to that none of `pages` is, once each: the
/// pages mdBook's `create-missing` would write. Only `.md` paths inside the
/// source folder count, and not a likely typo (a path close to a page the
/// summary does not list, `vms.md` for an unlisted `vm.md`); the rest stay
/// `summary` errors.
pub fn missing_chapters(text: &str, pages: &[Page]) -> Vec<MissingChapter> {
    let mut links: Vec<MissingChapter> = Vec::new();
    let mut link: Option<(String, String, Range<usize>)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.to_string(), String::new(), range));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title, _)) = link.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some((dest, title, span)) = link.take() {
                    let path = chapter_path(&dest);
                    links.push(MissingChapter { path, title, span });
                }
            }
            _ => {}
        }
    }
    let listed: std::collections::HashSet<&str> = links.iter().map(|l| l.path.as_str()).collect();
    let known: std::collections::HashSet<&str> = pages.iter().map(|p| p.source.as_str()).collect();
    let unlisted = || {
        pages
            .iter()
            .map(|p| p.source.as_str())
            .filter(|s| !listed.contains(s))
    };
    let mut missing: Vec<MissingChapter> = Vec::new();
    for l in &links {
        if l.path.ends_with(".md")
            && l.path != "SUMMARY.md"
            && crate::config::escapes(&l.path).is_none()
            && !known.contains(l.path.as_str())
            && !missing.iter().any(|m| m.path == l.path)
            && did_you_mean(&l.path, unlisted()).is_none()
        {
            missing.push(l.clone());
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Alphabet;

    fn pages(paths: &[&str]) -> Vec<Page> {
        paths
            .iter()
            .enumerate()
            .map(|(i, p)| crate::content::parse(i + 1, p, "# T\n", Alphabet::Raci).0)
            .collect()
    }

    #[test]
    fn every_construct_of_mdbook_summaries() {
        let ps = pages(&["README.md", "a.md", "a/b.md", "appendix.md"]);
        let text = "# Summary\n\n[Intro](README.md)\n\n# Part one\n\n- [A](a.md)\n    - [B](a/b.md)\n- [Soon]()\n\n---\n\n[Appendix](appendix.md)\n";
        let mut found = Vec::new();
        let items = parse(text, 0, &ps, &mut found);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(
            items,
            [
                Item::Chapter {
                    title: "Intro".into(),
                    page: Some(0),
                    depth: 0,
                    numbered: false
                },
                Item::Part("Part one".into()),
                Item::Chapter {
                    title: "A".into(),
                    page: Some(1),
                    depth: 0,
                    numbered: true
                },
                Item::Chapter {
                    title: "B".into(),
                    page: Some(2),
                    depth: 1,
                    numbered: true
                },
                Item::Chapter {
                    title: "Soon".into(),
                    page: None,
                    depth: 0,
                    numbered: true
                },
                Item::Separator,
                Item::Chapter {
                    title: "Appendix".into(),
                    page: Some(3),
                    depth: 0,
                    numbered: false
                },
            ]
        );
    }

    /// What mdBook passes over: text after an item's link, and headings
    /// other than `#` (the Edition Guide titles its groups `## Rust 2018`).
    #[test]
    fn what_mdbook_ignores_is_ignored() {
        let ps = pages(&["a.md", "b.md"]);
        let text = "# Summary\n\n## Group\n\n- [A](a.md) (draft)\n  - [B](b.md) — *soon*\n";
        let mut found = Vec::new();
        let items = parse(text, 0, &ps, &mut found);
        assert!(found.is_empty(), "{found:?}");
        let pages: Vec<_> = items
            .iter()
            .filter_map(|i| match i {
                Item::Chapter { page, title, .. } => Some((title.as_str(), *page)),
                _ => None,
            })
            .collect();
        assert_eq!(pages, [("A", Some(0)), ("B", Some(1))]);
    }

    #[test]
    fn malformed_summaries_are_located() {
        let ps = pages(&["a.md"]);
        let text = "# Summary\n\n- [A](a.md)\n- [Missing](nope.md)\n- plain text\n\n[Suffix](a.md)\n\n- [Late](a.md)\n";
        let mut found = Vec::new();
        parse(text, 0, &ps, &mut found);
        let msgs: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "SUMMARY.md links to `nope.md`, which does not exist",
                "a list item in SUMMARY.md must be a link",
                "numbered chapters after suffix chapters",
            ]
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("create `nope.md`, or write `[Missing]()` for a draft chapter")
        );
        assert!(
            found
                .iter()
                .all(|d| d.rule == Rule::Summary && d.primary.is_some())
        );
    }

    #[test]
    fn missing_chapters_are_the_md_pages_mdbook_would_create() {
        let ps = pages(&["a.md"]);
        let text = "# Summary\n\n- [A](a.md)\n- [Later](./later.md#top)\n  - [Deep](b/c%20d.md)\n\
                    - [Again](later.md)\n- [Draft]()\n- [Up](../x.md)\n- [Html](x.html)\n[S](SUMMARY.md)\n";
        let missing = missing_chapters(text, &ps);
        let got: Vec<(&str, &str)> = missing
            .iter()
            .map(|m| (m.path.as_str(), m.title.as_str()))
            .collect();
        assert_eq!(got, [("later.md", "Later"), ("b/c d.md", "Deep")]);
        assert_eq!(&text[missing[0].span.clone()], "[Later](./later.md#top)");
        // A slip of the keys for a page the summary leaves out is a typo.
        let ps = pages(&["a.md", "b.md", "vm.md"]);
        let text = "- [B](b.md)\n- [VMs](vms.md)\n- [Bs](bs.md)\n";
        let missing = missing_chapters(text, &ps);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert_eq!(
            missing[0].path, "bs.md",
            "b.md is listed: bs.md is a chapter of its own"
        );
    }
}
