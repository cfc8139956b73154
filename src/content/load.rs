//! Loading: walk the source folder, read every file, parse the Markdown pages.
//!
//! Walks with walkdir (following symbolic links, which walkdir checks for
//! loops, as long as they lead inside the handbook: see `confine`), skips
//! hidden entries and the output folder, reads and parses pages
//! in parallel with rayon, and registers every page's text in [`Sources`] so
//! findings can quote it. Files that are not Markdown are remembered as static
//! files (link targets, copied by the renderer). With highlighting on, the
//! syntax set starts loading on a spare core while the folder is walked.
//! A load may take pages from an earlier one ([`Reuse`]): those whose text
//! is unchanged are not parsed again, and when the caller vouches that the
//! disk is unchanged (the language server's watcher), neither the walk nor
//! the files are read again. Touches the file system read-only.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::confine::{self, Refusal, Scope};
use crate::content::include;
use crate::content::page::Page;
use crate::content::page::ParseOptions;
use crate::diagnostic::{Diagnostic, Sources};
use crate::rules::Rule;

/// Pages an earlier load parsed, by file (from the source folder), with
/// their text and findings: a later load under the same options does not
/// parse a file whose text is the same again (`archbook diff` loads two
/// versions that share most files).
#[derive(Debug, Default)]
pub struct Parsed {
    /// The options they were parsed with.
    options: String,
    /// Each page read, by file (from the source folder).
    pages: rustc_hash::FxHashMap<String, Arc<Read>>,
    /// The source folder and the files its walk listed, when the walk met
    /// nothing to report (no refused link, no name that is not UTF-8, no
    /// unreadable folder): a load told that the disk is unchanged
    /// ([`Reuse::disk_unchanged`]) takes them instead of walking again.
    listing: Option<(PathBuf, Listing)>,
}

/// The files a walk listed: each path, and the path from the source
/// folder with `/`.
type Listing = Arc<Vec<(PathBuf, String)>>;

/// A page as a load read and parsed it.
#[derive(Clone, Debug)]
struct Read {
    text: Arc<str>,
    page: Option<Page>,
    diags: Vec<Diagnostic>,
    /// Where the file really is, when it could be read.
    real: Option<PathBuf>,
    /// Where the files it includes really are (empty paths for those
    /// that cannot be resolved).
    included: Vec<PathBuf>,
    /// The text was an editor's unsaved one (the scope's overlay).
    unsaved: bool,
}

/// Whether a load takes pages from an earlier one, and keeps its own.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reuse<'a> {
    /// Pages of an earlier load to take when their text is the same.
    pub earlier: Option<&'a Parsed>,
    /// Keep this load's pages for a later one ([`Loaded::parsed`]).
    pub keep: bool,
    /// A folder (real path) under which the caller vouches that no file
    /// changed on disk since `earlier` was loaded (a file watcher on it saw
    /// nothing): the source folder is not walked again, and a page whose
    /// file and included files lie under it is taken from `earlier`
    /// without reading them, unless the overlay's text for it differs.
    /// The language server's keystroke path.
    pub disk_unchanged: Option<&'a Path>,
}

/// What the source folder holds.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every Markdown page, in path order.
    pub pages: Vec<Page>,
    /// Every other file, relative to the source folder, with `/`.
    pub statics: BTreeSet<String>,
    /// `SUMMARY.md`, when the source folder has one: its file and text.
    pub summary: Option<(usize, Arc<str>)>,
    /// The pages parsed, when [`Reuse::keep`] asked for them.
    pub parsed: Option<Parsed>,
}

/// The folders a load walks.
#[derive(Clone, Copy, Debug)]
pub struct Folders<'a> {
    /// The source folder.
    pub src: &'a Path,
    /// The source folder as findings name it.
    pub shown: &'a Path,
    /// The output folder, never read.
    pub skip: &'a Path,
}

/// Walks the source folder and parses its pages; `scope` is where reads
/// may lead.
pub fn load(
    folders: Folders<'_>,
    scope: &Scope,
    opts: ParseOptions,
    reuse: Reuse<'_>,
    sources: &mut Sources,
    found: &mut Vec<Diagnostic>,
) -> Loaded {
    let Folders {
        src,
        shown: display_prefix,
        skip,
    } = folders;
    let options = format!("{opts:?}");
    let earlier = reuse.earlier.filter(|e| e.options == options);
    let mut md: Vec<(&Path, &str)> = Vec::new();
    let mut summary_path: Option<PathBuf> = None;
    let mut statics = BTreeSet::new();
    if opts.highlight {
        // Ready by the time the pages are parsed (listing them is serial).
        rayon::spawn(crate::highlight::prepare);
    }
    // Symbolic links that lead outside the handbook: found while walking,
    // reported once the walk is done.
    let mut refused: Vec<(PathBuf, Refusal)> = Vec::new();
    // Names that are not UTF-8: no link or address can name them reliably.
    let mut not_utf8: Vec<PathBuf> = Vec::new();
    let mut listed: Vec<PathBuf> = Vec::new();
    let walk_errors = found.len();
    // A folder reached through a symbolic link may lie outside the folder a
    // watcher watches: such a listing is never taken again unread.
    let mut followed_link = false;
    let listing = earlier
        .filter(|_| reuse.disk_unchanged.is_some_and(|w| src.starts_with(w)))
        .and_then(|e| e.listing.as_ref())
        .filter(|(from, _)| from == src)
        .map(|(_, files)| files.clone());
    if listing.is_some() {
        // Listed by the earlier load's walk.
    } else if let Some(tree) = scope.tree() {
        list_tree(tree, src, skip, &mut listed, &mut not_utf8);
    } else {
        let walker = WalkDir::new(src)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && (is_hidden(e.file_name()) || e.path() == skip) {
                    return false;
                }
                if e.depth() > 0 && e.file_name().to_str().is_none() {
                    not_utf8.push(e.path().to_path_buf());
                    return false;
                }
                if e.path_is_symlink() {
                    followed_link = true;
                }
                if e.path_is_symlink() || e.depth() == 0 {
                    let checked = if e.file_type().is_dir() {
                        scope.check_dir(e.path())
                    } else {
                        scope.check(e.path()).map(drop)
                    };
                    if let Err(why) = checked
                        && why.is_confinement()
                    {
                        refused.push((e.path().to_path_buf(), why));
                        return false;
                    }
                }
                true
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    found.push(walk_error(&e, display_prefix, src));
                    continue;
                }
            };
            if entry.file_type().is_file() {
                listed.push(entry.into_path());
            }
        }
    }
    let clean_walk =
        not_utf8.is_empty() && refused.is_empty() && found.len() == walk_errors && !followed_link;
    let listed: Listing = match listing {
        Some(files) => files,
        None => Arc::new(
            listed
                .into_iter()
                .filter_map(|path| {
                    let rel = rel_string(path.strip_prefix(src).ok()?);
                    Some((path, rel))
                })
                .collect(),
        ),
    };
    let listing = (reuse.keep && clean_walk && scope.tree().is_none())
        .then(|| (src.to_path_buf(), listed.clone()));
    for (path, rel) in listed.iter() {
        if rel == "SUMMARY.md" {
            summary_path = Some(path.clone());
        } else if rel.ends_with(".md") {
            md.push((path, rel));
        } else {
            statics.insert(rel.clone());
        }
    }

    // Files that are not read have no text to quote: each is registered
    // empty, so its finding is located at the file itself.
    let mut unread = |path: &Path| {
        let rel = path.strip_prefix(src).map(rel_string).unwrap_or_default();
        let shown = display_prefix.join(&rel).to_string_lossy().into_owned();
        (sources.add(shown.clone(), Arc::from("")), shown)
    };
    for path in not_utf8 {
        let (file, shown) = unread(&path);
        found.push(
            Diagnostic::new(
                Rule::FileName,
                format!("`{shown}` is not published: its name is not valid UTF-8"),
            )
            .at(file, 0..0, "this file")
            .help("rename it with a UTF-8 name (the invalid bytes show as �)"),
        );
    }
    for (path, why) in refused {
        let (file, shown) = unread(&path);
        found.push(
            Diagnostic::new(Rule::ReadOutside, format!("`{shown}` is not read: {why}"))
                .at(file, 0..0, "a symbolic link")
                .help(why.help()),
        );
    }

    let base = sources.len();
    // Unsaved texts by real path, looked up once a page (the overlay's
    // paths hash slowly, component by component).
    let unsaved: rustc_hash::FxHashMap<&[u8], &str> = scope
        .overlay()
        .into_iter()
        .flat_map(|o| o.iter())
        .map(|(p, t)| (p.as_os_str().as_encoded_bytes(), &**t))
        .collect();
    let disk_unchanged = reuse.disk_unchanged.map(|w| (w, &unsaved));
    // Each page is read (or taken from the earlier load) and copied for
    // this load side by side.
    let parsed: Vec<_> = md
        .par_iter()
        .enumerate()
        .map(|(i, (path, rel))| {
            let earlier = earlier.and_then(|e| e.pages.get(*rel));
            let read = read_and_parse(base + i, path, rel, scope, opts, earlier, disk_unchanged);
            let own = (read.page.clone(), read.diags.clone());
            let display = display_prefix.join(rel).to_string_lossy().into_owned();
            (read, own, display)
        })
        .collect();

    let mut pages = Vec::with_capacity(parsed.len());
    let mut kept = reuse.keep.then(|| Parsed {
        options,
        pages: Default::default(),
        listing,
    });
    for ((_, rel), (read, (page, diags), display)) in md.into_iter().zip(parsed) {
        sources.add(display, read.text.clone());
        if let Some(kept) = kept.as_mut()
            && read.page.is_some()
        {
            kept.pages.insert(rel.to_string(), read);
        }
        found.extend(diags);
        if let Some(p) = page {
            pages.push(p);
        }
    }
    let summary = summary_path.and_then(|path| match scope.read_text(&path, confine::MAX_FILE) {
        Ok(text) => {
            let text: Arc<str> = Arc::from(text);
            let display = display_prefix
                .join("SUMMARY.md")
                .to_string_lossy()
                .into_owned();
            Some((sources.add(display, text.clone()), text))
        }
        Err(e) => {
            found.push(Diagnostic::new(
                Rule::Unreadable,
                format!("cannot read SUMMARY.md: {e}"),
            ));
            None
        }
    });
    Loaded {
        pages,
        statics,
        summary,
        parsed: kept,
    }
}

/// Reads and parses one page, or takes it from `earlier` (the same file's
/// page in an earlier load) when its text is the same; with
/// `disk_unchanged` (the folder vouched for, and the overlay's texts by
/// real path), the files on disk under that folder are not read again for
/// that.
fn read_and_parse(
    file: usize,
    path: &Path,
    rel: &str,
    scope: &Scope,
    opts: ParseOptions,
    earlier: Option<&Arc<Read>>,
    disk_unchanged: Option<(&Path, &rustc_hash::FxHashMap<&[u8], &str>)>,
) -> Arc<Read> {
    let earlier = earlier.filter(|e| e.page.is_some());
    if let Some((watched, unsaved)) = disk_unchanged
        && let Some(e) = earlier
        && let Some(real) = &e.real
        && real.starts_with(watched)
        && e.included.iter().all(|f| f.starts_with(watched))
    {
        let same = match unsaved.get(real.as_os_str().as_encoded_bytes()) {
            Some(text) => **text == *e.text,
            None => !e.unsaved,
        };
        if same {
            return e.moved_to(file);
        }
    }
    let (bytes, real, unsaved) = match scope.read_located(path, confine::MAX_FILE) {
        Ok(r) => (r.bytes, r.real, r.unsaved),
        Err(e) => {
            let rule = match e {
                Refusal::TooLarge { .. } => Rule::Limit,
                Refusal::Io(_) => Rule::Unreadable,
                _ => Rule::ReadOutside,
            };
            let d = Diagnostic::new(rule, format!("cannot read this file: {e}"))
                .at(file, 0..0, "not read")
                .help(e.help());
            return Arc::new(Read {
                text: Arc::from(""),
                page: None,
                diags: vec![d],
                real: None,
                included: Vec::new(),
                unsaved: false,
            });
        }
    };
    // The same text as an earlier load's (and nothing included, which
    // could have changed unseen): its page and findings.
    if let Some(e) = earlier.filter(|e| e.included.is_empty())
        && e.text.as_bytes() == bytes.as_slice()
    {
        if e.real.as_ref() == Some(&real) && e.unsaved == unsaved {
            return e.moved_to(file);
        }
        let mut read = Read::clone(&e.moved_to(file));
        read.real = Some(real);
        read.unsaved = unsaved;
        return Arc::new(read);
    }
    let (text, page, diags) = match String::from_utf8(bytes) {
        Ok(text) => {
            let (page, diags) = parse_with_includes(file, path, rel, &text, scope, opts);
            (Arc::from(text), page, diags)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let (page, mut diags) = crate::content::parse(file, rel, &text, opts);
            diags.insert(
                0,
                Diagnostic::new(Rule::InvalidUtf8, "this file is not valid UTF-8")
                    .at(file, at..at + 1, "first invalid byte")
                    .help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")"),
            );
            (Arc::from(text), page, diags)
        }
    };
    // Where the included files really are: a later load trusts them
    // unchanged only under a watched folder.
    let included = page
        .includes
        .iter()
        .map(|f| f.canonicalize().unwrap_or_default())
        .collect();
    Arc::new(Read {
        text,
        page: Some(page),
        diags,
        real: Some(real),
        included,
        unsaved,
    })
}

impl Read {
    /// This page and its findings as file `file` of a new load (shared
    /// when the file keeps its number).
    fn moved_to(self: &Arc<Read>, file: usize) -> Arc<Read> {
        if self.page.as_ref().is_none_or(|p| p.file == file) {
            return self.clone();
        }
        let mut read = Read::clone(self);
        if let Some(page) = read.page.as_mut() {
            let from = std::mem::replace(&mut page.file, file);
            for d in &mut read.diags {
                let locations = d
                    .primary
                    .iter_mut()
                    .map(|(l, _)| l)
                    .chain(d.secondary.iter_mut().map(|(l, _)| l));
                for l in locations.filter(|l| l.file == from) {
                    l.file = file;
                }
            }
        }
        Arc::new(read)
    }
}

/// Parses a page, expanding mdBook's `{{#include}}` directives of its body
/// first; findings are mapped back to the file as written.
pub(crate) fn parse_with_includes(
    file: usize,
    path: &Path,
    rel: &str,
    text: &str,
    scope: &Scope,
    opts: ParseOptions,
) -> (Page, Vec<Diagnostic>) {
    let body_offset = crate::content::frontmatter::split(text)
        .map(|s| s.body_offset)
        .unwrap_or(text.len());
    let dir = path.parent().unwrap_or(Path::new("."));
    let Some(expanded) = include::expand(&text[body_offset..], dir, scope) else {
        return crate::content::parse(file, rel, text, opts);
    };
    let full = format!("{}{}", &text[..body_offset], expanded.text);
    let (mut page, mut diags) = crate::content::parse(file, rel, &full, opts);
    let back = |o: usize| {
        if o < body_offset {
            o
        } else {
            body_offset + expanded.original(o - body_offset)
        }
    };
    page.links = page
        .links
        .iter()
        .map(|link| crate::content::page::Link {
            span: back(link.span.start)..back(link.span.end).max(back(link.span.start)),
            ..link.clone()
        })
        .collect();
    page.fences = page
        .fences
        .iter()
        .map(|fence| crate::content::page::Fence {
            at: back(fence.at),
            ..fence.clone()
        })
        .collect();
    for d in &mut diags {
        if let Some((loc, _)) = d.primary.as_mut() {
            loc.span = back(loc.span.start)..back(loc.span.end).max(back(loc.span.start));
        }
    }
    for (span, msg, rule) in &expanded.problems {
        let span = body_offset + span.start..body_offset + span.end;
        let d = Diagnostic::new(*rule, msg.clone()).at(file, span, "this directive");
        diags.push(match rule {
            Rule::Include => d.help("paths are relative to the page's folder; ranges are `:from:to` in lines, anchors `:name` (ANCHOR: name … ANCHOR_END: name)"),
            Rule::Limit => d.help(format!("an included file may hold {} MiB, and a page's includes may add {} MiB in all", include::MAX_INCLUDE >> 20, include::MAX_EXPANDED >> 20)),
            _ => d,
        });
    }
    if let Some(title) = expanded.title {
        page.title = title;
        page.titled = true;
    }
    page.expanded = Some(Arc::from(full));
    page.includes = expanded.files;
    (page, diags)
}

fn walk_error(e: &walkdir::Error, display_prefix: &Path, src: &Path) -> Diagnostic {
    let shown = |p: &Path| {
        p.strip_prefix(src)
            .map(|r| display_prefix.join(r))
            .unwrap_or_else(|_| p.to_path_buf())
            .display()
            .to_string()
    };
    let path = e.path().map(shown).unwrap_or_default();
    if let Some(ancestor) = e.loop_ancestor() {
        Diagnostic::new(
            Rule::SymlinkLoop,
            format!(
                "symbolic link loop: `{path}` leads back to `{}`; skipped",
                shown(ancestor)
            ),
        )
        .help("remove the link, or point it at a folder outside its own ancestors")
    } else {
        Diagnostic::new(
            Rule::Unreadable,
            format!("cannot read `{path}`: {e}; skipped"),
        )
        .help("check that the path exists and is readable")
    }
}

/// The files of an in-memory tree under `src`, as the walk would list them:
/// hidden entries, the output folder and names that are not UTF-8 left out
/// (the last noted in `not_utf8`).
fn list_tree(
    tree: &confine::Tree,
    src: &Path,
    skip: &Path,
    listed: &mut Vec<PathBuf>,
    not_utf8: &mut Vec<PathBuf>,
) {
    let Ok(src_rel) = src.strip_prefix(&tree.root) else {
        return;
    };
    let skip_rel = skip.strip_prefix(&tree.root).ok();
    for rel in &tree.order {
        let Ok(inside) = rel.strip_prefix(src_rel) else {
            continue;
        };
        if skip_rel.is_some_and(|s| rel.starts_with(s)) {
            continue;
        }
        let mut path = src.to_path_buf();
        let mut keep = true;
        for name in inside.iter() {
            path.push(name);
            if is_hidden(name) {
                keep = false;
                break;
            }
            if name.to_str().is_none() {
                if !not_utf8.contains(&path) {
                    not_utf8.push(path.clone());
                }
                keep = false;
                break;
            }
        }
        if keep {
            listed.push(path);
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn rel_string(rel: &Path) -> String {
    let mut s = String::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            s.push('/');
        }
        s.push_str(&c.as_os_str().to_string_lossy());
    }
    s
}
