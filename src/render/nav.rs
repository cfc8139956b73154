//! Navigation: the reading order of the handbook, the sidebar, breadcrumbs
//! and previous/next links.
//!
//! Without a `SUMMARY.md`, the folder tree is the table of contents: a folder
//! is a section (titled by its `index.md`/`README.md`, else by its name), and
//! within a folder pages and sections sort by `weight` (or Jekyll's
//! `nav_order`; pages without one come last), then by the number their file
//! name starts with (`0007-use-x.md`, as ADRs are named), then title. A
//! section sorts by its index page's weight, else by the smallest weight
//! inside it. A folder holding only layer pages with a `level` reads as the
//! layer matrix does: top of the stack first, sub-layers after their layer
//! (then by weight). Drafts are left out.
//!
//! The sidebar of a large handbook shows the whole tree only up to
//! [`FULL_TREE_LIMIT`] entries; beyond that each page gets the top level plus
//! the branch it sits on, and every list in it is cut to the block of
//! [`WINDOW`] entries around the open one, with "… n more" markers for the
//! rest. Its size is then bounded by the depth of the tree, not the number of
//! pages, so output grows linearly with the page count.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::content::page::Page;
use crate::content::summary::Item;

/// Up to this many entries, every page's sidebar holds the whole tree.
pub const INLINE_LIMIT: usize = 60;

/// Above [`INLINE_LIMIT`] entries, a page's sidebar holds only its branch:
/// the top level, and each open section's entries. Up to this many, the
/// whole tree is also written once, to `toc.js`, which the theme's script
/// puts in its place ([`Nav::full_tree`]); above it, the branch stays.
pub const FULL_TREE_LIMIT: usize = 300;

/// In a branch, each list shows the block of this many entries that holds
/// the open one.
pub const WINDOW: usize = 25;

/// One line of the table of contents.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// What it says.
    pub title: String,
    /// Output path relative to the site root; `None` for a section without an index page.
    pub url: Option<String>,
    /// 0 for the top level.
    pub depth: usize,
    /// The page it stands for, if any.
    #[serde(skip)]
    pub page: Option<usize>,
    /// The enclosing section's entry.
    #[serde(skip)]
    pub parent: Option<usize>,
    /// True for sections (folders, and part titles of a `SUMMARY.md`).
    pub section: bool,
    /// A draft chapter of a `SUMMARY.md` (`[Title]()`): shown without a link.
    pub draft: bool,
    /// A `---` line of a `SUMMARY.md`: drawn as a rule, as mdBook does.
    pub separator: bool,
    /// A numbered chapter's number in a `SUMMARY.md` (`2.1.`), as mdBook
    /// shows it.
    pub number: Option<String>,
}

/// The handbook's table of contents.
#[derive(Debug, Default)]
pub struct Nav {
    /// Every entry, depth first.
    pub entries: Vec<Entry>,
    /// Published pages in reading order.
    pub order: Vec<usize>,
    /// For each page, its entry (if published).
    entry_of: Vec<Option<usize>>,
    /// For each page, its position in `order`.
    position: Vec<Option<usize>>,
    /// Published pages a `SUMMARY.md` does not list: built, but not in `order`.
    pub unlisted: Vec<usize>,
    /// The top-level entries, in order.
    roots: Vec<usize>,
    /// For each entry, the entries directly inside it, in order.
    children: Vec<Vec<usize>>,
    /// For each entry, its position in its parent's list.
    rank: Vec<usize>,
    /// For each entry, the kind all the pages directly in it share (made
    /// on first use, for breadcrumbs).
    section_kinds: std::sync::OnceLock<Vec<Option<crate::vocab::Kind>>>,
}

/// A sidebar line as a template sees it.
#[derive(Clone, Debug, Serialize)]
pub struct SidebarItem<'a> {
    /// What it says.
    pub title: &'a str,
    /// Output path relative to the site root, if it links anywhere (a
    /// percent-encoded link for templates).
    #[serde(serialize_with = "crate::slug::serialize_href")]
    pub url: Option<&'a str>,
    /// 0 for the top level.
    pub depth: usize,
    /// A section (folder or part title).
    pub section: bool,
    /// A draft chapter, shown without a link.
    pub draft: bool,
    /// A `---` line of a `SUMMARY.md`, drawn as a rule.
    pub separator: bool,
    /// A numbered chapter's number (`2.1.`).
    pub number: Option<&'a str>,
    /// This section holds the page being shown.
    pub open: bool,
    /// Not an entry but a marker for this many entries left out of a long
    /// list (`url` is then the list's section page, if it has one).
    pub more: usize,
    /// For a marker: the left-out entries come before the shown ones.
    pub earlier: bool,
}

impl<'a> SidebarItem<'a> {
    fn of(e: &'a Entry, open: bool) -> Self {
        SidebarItem {
            title: &e.title,
            url: e.url.as_deref(),
            depth: e.depth,
            section: e.section,
            draft: e.draft,
            separator: e.separator,
            number: e.number.as_deref(),
            open,
            more: 0,
            earlier: false,
        }
    }
}

/// A link with a title.
#[derive(Clone, Debug, Serialize)]
pub struct Crumb {
    /// Text.
    pub title: String,
    /// Output path relative to the site root, if it links anywhere (a
    /// percent-encoded link for templates).
    #[serde(serialize_with = "crate::slug::serialize_href")]
    pub url: Option<String>,
    /// For a section without a page of its own: the kind all its pages
    /// share, whose index page can stand in for it.
    #[serde(skip)]
    pub kind: Option<crate::vocab::Kind>,
}

#[derive(Default)]
struct Folder {
    index: Option<usize>,
    pages: Vec<usize>,
    folders: BTreeMap<String, Folder>,
}

impl Folder {
    fn min_weight(&self, pages: &[Page]) -> Option<i64> {
        let own = self.index.and_then(|i| pages[i].weight);
        if own.is_some() {
            return own;
        }
        let direct = self.pages.iter().filter_map(|&i| pages[i].weight).min();
        let nested = self
            .folders
            .values()
            .filter_map(|f| f.min_weight(pages))
            .min();
        match (direct, nested) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

impl Nav {
    /// Builds the table of contents from the pages' paths and weights.
    pub fn build(pages: &[Page]) -> Nav {
        let mut root = Folder::default();
        for (i, p) in pages.iter().enumerate() {
            if p.draft {
                continue;
            }
            let mut parts: Vec<&str> = p.source.split('/').collect();
            let file = parts.pop().unwrap_or("");
            let mut folder = &mut root;
            for part in parts {
                folder = folder.folders.entry(part.to_string()).or_default();
            }
            let stem = file.strip_suffix(".md").unwrap_or(file);
            if (stem.eq_ignore_ascii_case("readme") || stem == "index") && folder.index.is_none() {
                folder.index = Some(i);
            } else {
                folder.pages.push(i);
            }
        }
        let mut nav = Nav {
            entry_of: vec![None; pages.len()],
            position: vec![None; pages.len()],
            ..Nav::default()
        };
        // The handbook's front page comes first and sits outside the tree.
        if let Some(i) = root.index {
            nav.push_page(pages, i, 0, None);
        }
        nav.walk(pages, &root, 0, None);
        for (pos, &page) in nav.order.iter().enumerate() {
            nav.position[page] = Some(pos);
        }
        nav.link();
        nav
    }

    /// Fills the lists of children from the entries' parents.
    fn link(&mut self) {
        self.children = vec![Vec::new(); self.entries.len()];
        self.rank = vec![0; self.entries.len()];
        self.roots.clear();
        for (i, e) in self.entries.iter().enumerate() {
            let list = match e.parent {
                Some(p) => &mut self.children[p],
                None => &mut self.roots,
            };
            self.rank[i] = list.len();
            list.push(i);
        }
    }

    /// The table of contents: from `SUMMARY.md` when the handbook has one,
    /// else from the folder tree.
    pub fn new(pages: &[Page], summary: Option<&[Item]>) -> Nav {
        let Some(items) = summary else {
            return Nav::build(pages);
        };
        let mut nav = Nav {
            entry_of: vec![None; pages.len()],
            position: vec![None; pages.len()],
            ..Nav::default()
        };
        // The last entry seen at each depth, to find a chapter's parent.
        let mut last_at: Vec<usize> = Vec::new();
        let mut counters: Vec<u32> = Vec::new();
        for item in items {
            match item {
                Item::Part(title) => {
                    nav.entries.push(Entry {
                        title: title.clone(),
                        url: None,
                        depth: 0,
                        page: None,
                        parent: None,
                        section: true,
                        draft: false,
                        separator: false,
                        number: None,
                    });
                    last_at.clear();
                }
                Item::Separator => {
                    nav.entries.push(Entry {
                        title: String::new(),
                        url: None,
                        depth: 0,
                        page: None,
                        parent: None,
                        section: false,
                        draft: false,
                        separator: true,
                        number: None,
                    });
                }
                Item::Chapter {
                    title,
                    page,
                    depth,
                    numbered,
                } => {
                    last_at.truncate(*depth);
                    // Numbers run on across part titles, as in mdBook.
                    let number = numbered.then(|| {
                        counters.truncate(depth + 1);
                        counters.resize(depth + 1, 0);
                        counters[*depth] += 1;
                        counters.iter().map(|n| format!("{n}.")).collect::<String>()
                    });
                    let parent = depth.checked_sub(1).and_then(|d| last_at.get(d).copied());
                    let listed = page.filter(|&i| nav.entry_of[i].is_none() && !pages[i].draft);
                    nav.entries.push(Entry {
                        title: title.clone(),
                        url: listed.map(|i| pages[i].output.clone()),
                        depth: *depth,
                        page: listed,
                        parent,
                        section: false,
                        draft: page.is_none(),
                        separator: false,
                        number,
                    });
                    let me = nav.entries.len() - 1;
                    if let Some(i) = listed {
                        nav.order.push(i);
                        nav.entry_of[i] = Some(me);
                    }
                    last_at.push(me);
                }
            }
        }
        nav.unlisted = (0..pages.len())
            .filter(|&i| nav.entry_of[i].is_none() && !pages[i].draft)
            .collect();
        for (pos, &page) in nav.order.iter().enumerate() {
            nav.position[page] = Some(pos);
        }
        nav.link();
        nav
    }

    fn push_page(
        &mut self,
        pages: &[Page],
        i: usize,
        depth: usize,
        parent: Option<usize>,
    ) -> usize {
        let p = &pages[i];
        self.entries.push(Entry {
            title: p.title.clone(),
            url: Some(p.output.clone()),
            depth,
            page: Some(i),
            parent,
            section: false,
            draft: false,
            separator: false,
            number: None,
        });
        self.order.push(i);
        self.entry_of[i] = Some(self.entries.len() - 1);
        self.entries.len() - 1
    }

    fn walk(&mut self, pages: &[Page], folder: &Folder, depth: usize, parent: Option<usize>) {
        enum Item<'a> {
            Page(usize),
            Folder(&'a str, &'a Folder),
        }
        let mut items: Vec<(Option<i64>, Option<u64>, String, Item)> = Vec::new();
        for &i in &folder.pages {
            let file = pages[i].source.rsplit('/').next().unwrap_or_default();
            items.push((
                pages[i].weight,
                file_number(file),
                pages[i].title.to_lowercase(),
                Item::Page(i),
            ));
        }
        for (name, f) in &folder.folders {
            let title = f
                .index
                .map(|i| pages[i].title.clone())
                .unwrap_or_else(|| humanize(name));
            items.push((
                f.min_weight(pages),
                file_number(name),
                title.to_lowercase(),
                Item::Folder(name, f),
            ));
        }
        // A folder of layers (each with a `level`) reads as the layer matrix
        // does: top of the stack first, each layer's sub-layers after it.
        let stack = layer_stack_keys(pages, &folder.pages, !folder.folders.is_empty());
        // By weight, then by the number a file name starts with (as ADRs'
        // `0007-…`), then by title; what has neither comes after what has.
        items.sort_by(|a, b| {
            if let (Some(stack), Item::Page(x), Item::Page(y)) = (&stack, &a.3, &b.3) {
                let order = stack[x].cmp(&stack[y]);
                if order.is_ne() {
                    return order;
                }
            }
            (a.0.is_none(), a.0, a.1.is_none(), a.1, &a.2).cmp(&(
                b.0.is_none(),
                b.0,
                b.1.is_none(),
                b.1,
                &b.2,
            ))
        });
        for (_, _, _, item) in items {
            match item {
                Item::Page(i) => {
                    self.push_page(pages, i, depth, parent);
                }
                Item::Folder(name, f) => {
                    let entry = Entry {
                        title: f
                            .index
                            .map(|i| pages[i].title.clone())
                            .unwrap_or_else(|| humanize(name)),
                        url: f.index.map(|i| pages[i].output.clone()),
                        depth,
                        page: f.index,
                        parent,
                        section: true,
                        draft: false,
                        separator: false,
                        number: None,
                    };
                    self.entries.push(entry);
                    let me = self.entries.len() - 1;
                    if let Some(i) = f.index {
                        self.order.push(i);
                        self.entry_of[i] = Some(me);
                    }
                    self.walk(pages, f, depth + 1, Some(me));
                }
            }
        }
    }

    /// The entries of `page`'s sections, outermost first (not the page itself).
    fn ancestors(&self, page: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = self
            .entry_of
            .get(page)
            .copied()
            .flatten()
            .and_then(|e| self.entries[e].parent);
        while let Some(e) = cur {
            out.push(e);
            cur = self.entries[e].parent;
        }
        out.reverse();
        out
    }

    /// The sidebar for `page` (`None` for a generated page).
    pub fn sidebar(&self, page: Option<usize>) -> Vec<SidebarItem<'_>> {
        let current = page.and_then(|p| self.entry_of.get(p).copied().flatten());
        let open: Vec<usize> = page.map(|p| self.ancestors(p)).unwrap_or_default();
        if self.entries.len() <= INLINE_LIMIT {
            return self
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| SidebarItem::of(e, open.contains(&i)))
                .collect();
        }
        // The branch to unfold: the open sections, then the page itself (its
        // children show when it is a section).
        let mut path = open.clone();
        path.extend(current);
        let mut out = Vec::new();
        self.window(&self.roots, None, &path, &open, &mut out);
        out
    }

    /// The whole tree, no section open, for `toc.js`: when pages' sidebars
    /// hold only their branch and the tree is small enough for every page to
    /// show it once the theme's script has put it in place.
    pub fn full_tree(&self) -> Option<Vec<SidebarItem<'_>>> {
        (INLINE_LIMIT < self.entries.len() && self.entries.len() <= FULL_TREE_LIMIT).then(|| {
            self.entries
                .iter()
                .map(|e| SidebarItem::of(e, false))
                .collect()
        })
    }

    /// Adds the block of `list` that holds the next entry of `path` (or its
    /// first block), with markers for what is left out, and unfolds that entry.
    fn window<'a>(
        &'a self,
        list: &[usize],
        section: Option<usize>,
        path: &[usize],
        open: &[usize],
        out: &mut Vec<SidebarItem<'a>>,
    ) {
        let Some(&first) = list.first() else {
            return;
        };
        let depth = self.entries[first].depth;
        let focus = path.first().filter(|f| list.get(self.rank[**f]) == Some(f));
        let block = focus.map_or(0, |&f| self.rank[f] / WINDOW);
        let shown = block * WINDOW..((block + 1) * WINDOW).min(list.len());
        let marker = |more, earlier| SidebarItem {
            title: "",
            url: section.and_then(|s| self.entries[s].url.as_deref()),
            depth,
            section: false,
            draft: false,
            separator: false,
            number: None,
            open: false,
            more,
            earlier,
        };
        if shown.start > 0 {
            out.push(marker(shown.start, true));
        }
        for &i in &list[shown.clone()] {
            out.push(SidebarItem::of(&self.entries[i], open.contains(&i)));
            if focus == Some(&i) {
                self.window(&self.children[i], Some(i), &path[1..], open, out);
            }
        }
        if shown.end < list.len() {
            out.push(marker(list.len() - shown.end, false));
        }
    }

    /// Pages with the same key get the same sidebar (up to which link is
    /// current): the section holding the page, the page's own entry when it
    /// is a section (its children show in a large handbook's sidebar), and
    /// the block of its section's list it falls in.
    pub fn sidebar_key(&self, page: Option<usize>) -> SidebarKey {
        let Some(entry) = page.and_then(|p| self.entry_of.get(p).copied().flatten()) else {
            return SidebarKey::default();
        };
        let e = &self.entries[entry];
        // Lists are cut into blocks only where the whole tree is not shown.
        let block = if self.entries.len() <= INLINE_LIMIT {
            0
        } else {
            self.rank[entry] / WINDOW
        };
        SidebarKey {
            section: e.parent,
            own_entry: e.section.then_some(entry),
            block,
        }
    }

    /// Home, then each section holding `page`.
    pub fn breadcrumbs(&self, pages: &[Page], page: usize) -> Vec<Crumb> {
        let mut crumbs = Vec::new();
        if let Some(&home) = self.order.first()
            && home != page
            && pages[home].output == "index.html"
        {
            crumbs.push(Crumb {
                title: pages[home].title.clone(),
                url: Some(pages[home].output.clone()),
                kind: None,
            });
        }
        for e in self.ancestors(page) {
            let entry = &self.entries[e];
            crumbs.push(Crumb {
                title: entry.title.clone(),
                url: entry.url.clone(),
                kind: if entry.url.is_none() {
                    self.section_kinds
                        .get_or_init(|| {
                            (0..self.entries.len())
                                .map(|e| self.section_kind(pages, e))
                                .collect()
                        })
                        .get(e)
                        .copied()
                        .flatten()
                } else {
                    None
                },
            });
        }
        crumbs
    }

    /// The kind every page directly in section `entry` has, if they share
    /// one (stops at the first that differs).
    fn section_kind(&self, pages: &[Page], entry: usize) -> Option<crate::vocab::Kind> {
        let mut kinds = self
            .children
            .get(entry)?
            .iter()
            .filter_map(|&c| self.entries[c].page)
            .map(|i| pages[i].kind);
        let first = kinds.next()??;
        kinds.all(|k| k == Some(first)).then_some(first)
    }

    /// The pages before and after `page` in reading order.
    pub fn prev_next(&self, page: usize) -> (Option<usize>, Option<usize>) {
        match self.position.get(page).copied().flatten() {
            Some(pos) => (
                pos.checked_sub(1).map(|p| self.order[p]),
                self.order.get(pos + 1).copied(),
            ),
            None => (None, None),
        }
    }
}

/// A layer page's place in its folder's stack: its top-most layer's level
/// (higher first), that layer's weight and page, the depth below it.
type StackKey = (Reverse<i64>, Option<i64>, usize, usize);

/// For a folder holding only layer pages, each with a `level` (and no
/// sub-folders): each page's place in the stack, top first — the level of
/// its top-most enclosing layer in the folder (higher first), that layer's
/// weight, and the page's depth below it, so sub-layers follow their layer.
/// `None` for any other folder, which sorts by weight.
fn layer_stack_keys(
    pages: &[Page],
    folder: &[usize],
    has_folders: bool,
) -> Option<HashMap<usize, StackKey>> {
    use crate::content::page::KindData;
    if folder.is_empty() || has_folders {
        return None;
    }
    let layer = |i: usize| match &pages[i].data {
        KindData::Layer {
            level: Some(level),
            parent,
        } => Some((*level, parent.as_ref().map(|r| r.id.as_str()))),
        _ => None,
    };
    if !folder.iter().all(|&i| layer(i).is_some()) {
        return None;
    }
    let by_id: HashMap<&str, usize> = folder.iter().map(|&i| (pages[i].id.as_str(), i)).collect();
    let mut keys = HashMap::new();
    for &i in folder {
        // Up to the top-most enclosing layer of this folder (a cycle is the
        // model's error to report; the walk stops at the folder's size).
        let (mut top, mut depth) = (i, 0);
        while let Some(&up) = layer(top).and_then(|(_, p)| p).and_then(|id| by_id.get(id)) {
            if depth >= folder.len() {
                break;
            }
            top = up;
            depth += 1;
        }
        let level = layer(top).map_or(i64::MIN, |(l, _)| l);
        keys.insert(i, (Reverse(level), pages[top].weight, top, depth));
    }
    Some(keys)
}

/// The number a file or folder name starts with (`0007-use-x.md`: 7),
/// when one does and a separator or the end follows it.
fn file_number(name: &str) -> Option<u64> {
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &name[digits..];
    if digits == 0 || !(rest.is_empty() || rest.starts_with(['-', '_', '.', ' '])) {
        return None;
    }
    name[..digits].parse().ok()
}

/// `web-servers` → `Web servers`.
pub fn humanize(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a page's sidebar depends on ([`Nav::sidebar_key`]): pages with the
/// same key share one rendering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SidebarKey {
    /// The section (entry) holding the page.
    pub section: Option<usize>,
    /// The page's own entry, when it is a section.
    pub own_entry: Option<usize>,
    /// The block of its section's list the page falls in.
    pub block: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::content::test_pages as pages;

    const BOOK: &[(&str, &str)] = &[
        ("index.md", "# Home\n"),
        ("glossary.md", "---\nweight: 90\n---\n# Glossary\n"),
        ("roles/ops.md", "# Ops\n"),
        ("roles/arch.md", "---\nweight: 10\n---\n# Arch\n"),
        ("layers/README.md", "---\nweight: 20\n---\n# The layers\n"),
        ("layers/net.md", "# Net\n"),
        ("notes/draft.md", "---\ndraft: true\n---\n# Draft\n"),
    ];

    #[test]
    fn order_follows_weights_then_titles() {
        let ps = pages(BOOK);
        let nav = Nav::build(&ps);
        let titles: Vec<&str> = nav.entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Home",
                "Roles",
                "Arch",
                "Ops",
                "The layers",
                "Net",
                "Glossary"
            ]
        );
        let order: Vec<&str> = nav.order.iter().map(|&i| ps[i].title.as_str()).collect();
        assert_eq!(
            order,
            ["Home", "Arch", "Ops", "The layers", "Net", "Glossary"]
        );
    }

    #[test]
    fn adr_numbers_and_nav_order_set_the_order() {
        // A MADR log: numbered files, titles in another order, Jekyll's
        // `nav_order` on the index; `weight` still comes first.
        let ps = pages(&[
            ("index.md", "---\nnav_order: 1\n---\n# About\n"),
            ("notes.md", "# Notes\n"),
            (
                "decisions/index.md",
                "---\nnav_order: 100\n---\n# Decisions\n",
            ),
            ("decisions/0010-b.md", "# Alpha\n"),
            ("decisions/0002-c.md", "# Beta\n"),
            ("decisions/0000-a.md", "# Gamma\n"),
            ("decisions/adr-template.md", "# ADR template\n"),
            (
                "decisions/0011-d.md",
                "---\nweight: 1\n---\n# First by weight\n",
            ),
        ]);
        let nav = Nav::build(&ps);
        let order: Vec<&str> = nav.order.iter().map(|&i| ps[i].title.as_str()).collect();
        assert_eq!(
            order,
            [
                "About",
                "Decisions",
                "First by weight",
                "Gamma",
                "Beta",
                "Alpha",
                "ADR template",
                "Notes"
            ]
        );
        assert_eq!(file_number("0007-use-x.md"), Some(7));
        assert_eq!(file_number("2024.md"), Some(2024));
        assert_eq!(file_number("3d-models.md"), None);
        assert_eq!(file_number("notes.md"), None);
    }

    #[test]
    fn breadcrumbs_and_prev_next() {
        let ps = pages(BOOK);
        let nav = Nav::build(&ps);
        let net = ps.iter().position(|p| p.title == "Net").unwrap();
        let crumbs: Vec<_> = nav
            .breadcrumbs(&ps, net)
            .into_iter()
            .map(|c| (c.title, c.url))
            .collect();
        assert_eq!(
            crumbs,
            [
                ("Home".to_string(), Some("index.html".to_string())),
                (
                    "The layers".to_string(),
                    Some("layers/index.html".to_string())
                )
            ]
        );
        let (prev, next) = nav.prev_next(net);
        assert_eq!(ps[prev.unwrap()].title, "The layers");
        assert_eq!(ps[next.unwrap()].title, "Glossary");
        let draft = ps.iter().position(|p| p.draft).unwrap();
        assert_eq!(nav.prev_next(draft), (None, None));
    }

    /// `n` pages `P0`… in the folder `big/`, then `extra` files.
    fn big_folder(n: usize, extra: &[(&str, &str)]) -> Vec<Page> {
        let files: Vec<(String, String)> = (0..n)
            .map(|i| (format!("big/p{i:03}.md"), format!("# P{i}\n")))
            .collect();
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .chain(extra.iter().copied())
            .collect();
        pages(&refs)
    }

    #[test]
    fn a_whole_tree_sidebar_is_one_per_section() {
        // 50 pages in one folder: the whole tree shows, uncut, so every page
        // of the folder shares one sidebar, and there is no `toc.js`.
        let ps = big_folder(50, &[]);
        let nav = Nav::build(&ps);
        assert!(nav.entries.len() <= INLINE_LIMIT);
        let first = ps.iter().position(|p| p.title == "P0").unwrap();
        let last = ps.iter().position(|p| p.title == "P49").unwrap();
        assert_eq!(nav.sidebar_key(Some(first)), nav.sidebar_key(Some(last)));
        assert_eq!(nav.sidebar(Some(first)).len(), nav.entries.len());
        assert!(nav.full_tree().is_none());
    }

    #[test]
    fn a_middling_tree_is_a_branch_in_the_page_and_whole_in_toc_js() {
        let ps = big_folder(120, &[("other/x.md", "# X\n"), ("index.md", "# Home\n")]);
        let nav = Nav::build(&ps);
        assert!(INLINE_LIMIT < nav.entries.len() && nav.entries.len() <= FULL_TREE_LIMIT);
        let x = ps.iter().position(|p| p.title == "X").unwrap();
        let titles: Vec<&str> = nav.sidebar(Some(x)).iter().map(|s| s.title).collect();
        assert_eq!(titles, ["Home", "Big", "Other", "X"]);
        let whole = nav.full_tree().unwrap();
        assert_eq!(whole.len(), nav.entries.len());
        assert!(whole.iter().all(|s| !s.open && s.more == 0));
    }

    #[test]
    fn large_sidebars_show_only_the_current_branch() {
        let ps = big_folder(400, &[("other/x.md", "# X\n"), ("index.md", "# Home\n")]);
        let nav = Nav::build(&ps);
        let x = ps.iter().position(|p| p.title == "X").unwrap();
        let side = nav.sidebar(Some(x));
        let titles: Vec<&str> = side.iter().map(|s| s.title).collect();
        assert_eq!(titles, ["Home", "Big", "Other", "X"]);
        assert!(side[2].open && !side[3].open);
        assert_eq!(
            nav.sidebar_key(Some(x)),
            SidebarKey {
                section: Some(side_entry(&nav, "Other")),
                own_entry: None,
                block: 0
            }
        );
        // A page deep in a long list sees its block of WINDOW entries, with
        // markers for the entries before and after it.
        let big = &nav.children[side_entry(&nav, "Big")];
        let at = 4 * WINDOW + WINDOW / 2;
        let mid = nav.entries[big[at]].page.unwrap();
        let side = nav.sidebar(Some(mid));
        let shown: Vec<(&str, usize, bool)> =
            side.iter().map(|s| (s.title, s.more, s.earlier)).collect();
        assert_eq!(shown.len(), 2 + 1 + WINDOW + 1 + 1, "{shown:?}");
        assert_eq!(shown[2], ("", 4 * WINDOW, true));
        assert_eq!(shown[3].0, nav.entries[big[4 * WINDOW]].title);
        assert_eq!(shown[3 + WINDOW], ("", 400 - 5 * WINDOW, false));
        assert_eq!(shown.last().unwrap().0, "Other");
        assert!(side.iter().any(|s| s.title == ps[mid].title));
        // Every page of the same block shares the sidebar.
        let same = nav.entries[big[5 * WINDOW - 1]].page.unwrap();
        assert_eq!(nav.sidebar_key(Some(mid)), nav.sidebar_key(Some(same)));
        let next = nav.entries[big[5 * WINDOW]].page.unwrap();
        assert_ne!(nav.sidebar_key(Some(mid)), nav.sidebar_key(Some(next)));
        assert!(nav.full_tree().is_none(), "too long for toc.js");
    }

    fn side_entry(nav: &Nav, title: &str) -> usize {
        nav.entries.iter().position(|e| e.title == title).unwrap()
    }

    #[test]
    fn a_summary_sets_order_nesting_parts_and_drafts() {
        let ps = pages(&[
            ("README.md", "# Home\n"),
            ("a.md", "# A\n"),
            ("a/b.md", "# B\n"),
            ("loose.md", "# Loose\n"),
        ]);
        let items = vec![
            Item::Chapter {
                title: "Intro".into(),
                page: Some(0),
                depth: 0,
                numbered: false,
            },
            Item::Part("Part one".into()),
            Item::Chapter {
                title: "Chapter A".into(),
                page: Some(1),
                depth: 0,
                numbered: true,
            },
            Item::Chapter {
                title: "B".into(),
                page: Some(2),
                depth: 1,
                numbered: true,
            },
            Item::Chapter {
                title: "Soon".into(),
                page: None,
                depth: 0,
                numbered: true,
            },
        ];
        let nav = Nav::new(&ps, Some(&items));
        let titles: Vec<(&str, usize, bool, Option<&str>)> = nav
            .entries
            .iter()
            .map(|e| (e.title.as_str(), e.depth, e.draft, e.number.as_deref()))
            .collect();
        assert_eq!(
            titles,
            [
                ("Intro", 0, false, None),
                ("Part one", 0, false, None),
                ("Chapter A", 0, false, Some("1.")),
                ("B", 1, false, Some("1.1.")),
                ("Soon", 0, true, Some("2."))
            ]
        );
        assert_eq!(nav.order, [0, 1, 2]);
        assert_eq!(nav.unlisted, [3]);
        assert_eq!(nav.prev_next(2), (Some(1), None));
        let crumbs: Vec<String> = nav
            .breadcrumbs(&ps, 2)
            .into_iter()
            .map(|c| c.title)
            .collect();
        assert_eq!(crumbs, ["Home", "Chapter A"]);
    }

    #[test]
    fn humanize_names() {
        assert_eq!(humanize("web-servers"), "Web servers");
        assert_eq!(humanize("adr_log"), "Adr log");
    }
}
