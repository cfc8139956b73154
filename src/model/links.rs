//! Link checks: every relative link in a page body must reach a page, an
//! `#anchor` on it, a static file, or a generated view.
//!
//! Reads the parsed pages and the set of static files; pushes findings. Uses the
//! same output naming as the renderer (`slug::output_path`), so a link that
//! passes here resolves in the built site.

use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt as _, HashSet};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::content::page::Page;
use crate::diagnostic::{Diagnostic, Suggestions};
use crate::model::outputs::GENERATED;
use crate::rules::Rule;
use crate::slug::{join, percent_decode};

/// The rules [`check`] reports: the findings a change to any page's body
/// may add or remove anywhere.
pub const RULES: &[Rule] = &[Rule::BrokenLink, Rule::BrokenAnchor, Rule::AbsoluteLink];

/// Checks every link of every page. Returns, for each page, the other pages
/// its body links to (for "referenced by" lists). `redirects` only sharpen
/// the help of a link to an old address.
pub fn check(
    pages: &[Page],
    statics: &BTreeSet<String>,
    redirects: &[crate::config::redirect::Redirect],
    found: &mut Vec<Diagnostic>,
) -> Vec<Vec<usize>> {
    let checker = Checker {
        pages,
        statics,
        moved: redirects
            .iter()
            .filter(|r| r.fragment.is_none())
            .map(|r| (r.path.as_str(), r.to.as_str()))
            .collect(),
        by_source: pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.as_str(), i))
            .collect(),
        by_output: pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.output.as_str(), i))
            .collect(),
        conditional: crate::model::outputs::generated_if_used(pages),
        nearby: OnceLock::new(),
        anchors: pages.iter().map(|_| OnceLock::new()).collect(),
        suggestions: Suggestions::default(),
    };
    // Pages are checked side by side; findings keep the pages' order.
    let checked: Vec<(Vec<usize>, Vec<Diagnostic>)> = (0..pages.len())
        .into_par_iter()
        .map(|index| checker.page(index))
        .collect();
    checked
        .into_iter()
        .map(|(targets, mut page_found)| {
            found.append(&mut page_found);
            targets
        })
        .collect()
}

/// What checking links needs, shared by the pages checked side by side.
struct Checker<'a> {
    pages: &'a [Page],
    statics: &'a BTreeSet<String>,
    /// `[output.html.redirect]` entries: old address → where it went.
    moved: HashMap<&'a str, &'a str>,
    by_source: HashMap<&'a str, usize>,
    by_output: HashMap<&'a str, usize>,
    /// The pages archbook writes only for some handbooks that this one gets.
    conditional: Vec<&'static str>,
    /// Built on the first broken link: a clean handbook never needs it.
    nearby: OnceLock<Nearby<'a>>,
    /// Each page's anchors, built on first use, so a page with many headings
    /// and many links to them costs linear, not quadratic, time.
    anchors: Vec<OnceLock<HashSet<&'a str>>>,
    /// "Did you mean" for broken links and anchors, bounded in all.
    suggestions: Suggestions,
}

impl Checker<'_> {
    /// The links of page `index`: the pages they reach and the findings.
    fn page(&self, index: usize) -> (Vec<usize>, Vec<Diagnostic>) {
        let (pages, statics) = (self.pages, self.statics);
        let page = &pages[index];
        let mut outgoing = Vec::new();
        let mut found = Vec::new();
        for link in page.links.iter() {
            let Some(target) = local_path(&link.url) else {
                continue;
            };
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (&*target, None),
            };
            if path.starts_with('/') {
                found.push(
                    Diagnostic::new(Rule::AbsoluteLink, format!("link `{}` starts with `/`", link.url))
                        .at(page.file, link.span.clone(), "root-relative link")
                        .help("root-relative links break when the handbook is opened from a file or a sub-path; write the path relative to this page"),
                );
                continue;
            }
            let path = percent_decode(path);
            let dir = page.source.rfind('/').map_or("", |i| &page.source[..i]);
            let target_page = if path.is_empty() {
                Some(index)
            } else {
                // A link that climbs out of the source folder points at
                // another site on the same host (`../std/vec/struct.Vec.html`
                // from a book published beside the standard library's
                // documentation): kept as written and not checked, as mdBook
                // does.
                let Some(joined) = join(dir, &path) else {
                    continue;
                };
                match find_target(&joined, self) {
                    Target::Page(i) => Some(i),
                    Target::File => None,
                    Target::Missing => {
                        // Compare with the files beside the target and the
                        // files of the same name elsewhere (not with every
                        // file: that made many broken links quadratic).
                        let candidates: Vec<String> = self
                            .nearby
                            .get_or_init(|| Nearby::new(pages, statics))
                            .similar(&joined)
                            .map(|s| relative(dir, s))
                            .collect();
                        let moved = self
                            .moved
                            .get(joined.as_str())
                            .or_else(|| self.moved.get(crate::slug::output_path(&joined).as_str()));
                        let hint = match moved {
                            Some(to) => format!(
                                "that is an old address, redirected to `{to}` (book.toml); link to the page itself"
                            ),
                            None => self
                                .suggestions
                                .closest(
                                    &path,
                                    candidates.len(),
                                    candidates.iter().map(String::as_str),
                                )
                                .map(|s| format!("did you mean `{s}`?"))
                                .unwrap_or_else(|| {
                                    "check the file name, or create the page".into()
                                }),
                        };
                        found.push(
                            Diagnostic::new(
                                Rule::BrokenLink,
                                format!("link target `{path}` does not exist"),
                            )
                            .at(
                                page.file,
                                link.span.clone(),
                                format!("no page or file `{joined}`"),
                            )
                            .help(hint),
                        );
                        continue;
                    }
                }
            };
            if let Some(i) = target_page.filter(|&i| i != index) {
                outgoing.push(i);
            }
            if let (Some(i), Some(anchor)) = (target_page, anchor) {
                let target = &pages[i];
                let anchor = percent_decode(anchor);
                let known = self.anchors[i].get_or_init(|| target.anchors().collect());
                if !anchor.is_empty() && !known.contains(anchor.as_str()) {
                    let hint = self
                        .suggestions
                        .closest(&anchor, known.len(), target.anchors())
                        .map(|s| format!("did you mean `#{s}`?"))
                        .unwrap_or_else(|| {
                            if target.headings.is_empty() {
                                format!("`{}` has no headings", target.source)
                            } else {
                                let list: Vec<_> = target
                                    .headings
                                    .iter()
                                    .take(6)
                                    .map(|h| format!("#{}", h.anchor))
                                    .collect();
                                format!("headings of `{}`: {}", target.source, list.join(", "))
                            }
                        });
                    found.push(
                        Diagnostic::new(
                            Rule::BrokenAnchor,
                            format!("`{}` has no heading `#{anchor}`", target.source),
                        )
                        .at(page.file, link.span.clone(), "anchor not found")
                        .help(hint),
                    );
                }
            }
        }
        outgoing.sort_unstable();
        outgoing.dedup();
        (outgoing, found)
    }
}

enum Target {
    Page(usize),
    File,
    Missing,
}

fn find_target(path: &str, checker: &Checker<'_>) -> Target {
    let (by_source, by_output, statics) = (&checker.by_source, &checker.by_output, checker.statics);
    let dir_index = |d: &str| {
        let prefix = if d.is_empty() {
            String::new()
        } else {
            format!("{d}/")
        };
        by_output
            .get(format!("{prefix}index.html").as_str())
            .copied()
    };
    if let Some(&i) = by_source.get(path).or_else(|| by_output.get(path)) {
        return Target::Page(i);
    }
    if path.is_empty() || path.ends_with('/') {
        return dir_index(path.trim_end_matches('/')).map_or(Target::Missing, Target::Page);
    }
    if statics.contains(path) || GENERATED.contains(&path) || checker.conditional.contains(&path) {
        return Target::File;
    }
    // A folder named without a trailing slash.
    if let Some(i) = dir_index(path) {
        return Target::Page(i);
    }
    Target::Missing
}

/// Every page and static file by folder and by file name, for suggestions.
struct Nearby<'a> {
    by_dir: HashMap<&'a str, Vec<&'a str>>,
    by_name: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Nearby<'a> {
    fn new(pages: &'a [Page], statics: &'a BTreeSet<String>) -> Self {
        let mut n = Nearby {
            by_dir: HashMap::new(),
            by_name: HashMap::new(),
        };
        for path in pages
            .iter()
            .map(|p| p.source.as_str())
            .chain(statics.iter().map(String::as_str))
        {
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            n.by_dir.entry(dir).or_default().push(path);
            n.by_name.entry(name).or_default().push(path);
        }
        n
    }

    /// The files in `target`'s folder and those named like it.
    fn similar(&self, target: &str) -> impl Iterator<Item = &'a str> + '_ {
        let (dir, name) = target.rsplit_once('/').unwrap_or(("", target));
        let name = name.trim_end_matches('/');
        self.by_dir
            .get(dir)
            .into_iter()
            .chain(self.by_name.get(name))
            .flatten()
            .copied()
    }
}

/// The path and anchor of a link to check (`path#anchor`, without any
/// `?query`), or `None` for external links.
fn local_path(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    let url = url.trim();
    if url.is_empty() || url.starts_with("//") {
        return None;
    }
    // A scheme (`https:`, `mailto:`, `data:`) before any `/`, `?` or `#`.
    if let Some(colon) = url.find(':') {
        let scheme = &url[..colon];
        if !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            return None;
        }
    }
    // Query strings do not change which file or heading is meant.
    let hash = url.find('#').unwrap_or(url.len());
    Some(match url[..hash].find('?') {
        None => url.into(),
        Some(q) => format!("{}{}", &url[..q], &url[hash..]).into(),
    })
}

/// Writes `target` (relative to the source root) relative to `dir`.
pub(crate) fn relative(dir: &str, target: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::content::test_pages as pages;

    fn findings(files: &[(&str, &str)], statics: &[&str]) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let statics = statics.iter().map(|s| s.to_string()).collect();
        check(&pages(files), &statics, &[], &mut found);
        found
    }

    #[test]
    fn good_links_pass() {
        let found = findings(
            &[
                (
                    "README.md",
                    "[a](layers/compute.md) [b](layers/compute.html#sizing) [c](img/x.png) [d](raci.html) [e](https://x.org) [f](#top) [g](layers/)\n# Top\n",
                ),
                (
                    "layers/compute.md",
                    "## Sizing\n[up](../README.md) [self](#sizing) [mail](mailto:a@b) [h](../index.html)\n",
                ),
                ("layers/index.md", "x"),
            ],
            &["img/x.png"],
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn broken_links_and_anchors_are_found_with_suggestions() {
        let found = findings(
            &[
                (
                    "README.md",
                    "[a](layers/compte.md) [b](layers/compute.md#sizng) [c](../outside.md) [d](/abs.md)\n",
                ),
                ("layers/compute.md", "## Sizing\n"),
            ],
            &[],
        );
        let rules: Vec<_> = found.iter().map(|d| d.rule).collect();
        assert_eq!(
            rules,
            [
                Rule::BrokenLink,
                Rule::BrokenAnchor,
                // `../outside.md` leaves the book: kept, not checked.
                Rule::AbsoluteLink
            ]
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `layers/compute.md`?")
        );
        assert_eq!(found[1].help.as_deref(), Some("did you mean `#sizing`?"));
    }

    #[test]
    fn anchors_after_a_query_are_checked() {
        let found = findings(
            &[
                ("README.md", "[ok](a.md?v=2#sizing) [bad](a.md?v=2#nope)\n"),
                ("a.md", "## Sizing\n"),
            ],
            &[],
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, Rule::BrokenAnchor);
    }

    #[test]
    fn helpers() {
        assert_eq!(relative("a/b", "a/c.md"), "../c.md");
        assert_eq!(relative("", "a/c.md"), "a/c.md");
        assert_eq!(relative("roles", "components/db.md"), "../components/db.md");
        assert_eq!(relative("a/b", "c.md"), "../../c.md");
        assert_eq!(local_path("https://x"), None);
        assert_eq!(local_path("a.md?x=1#y").as_deref(), Some("a.md#y"));
        assert_eq!(local_path("a.md?x=1").as_deref(), Some("a.md"));
        assert_eq!(local_path("a.md#y?z").as_deref(), Some("a.md#y?z"));
    }
}
