//! The author loop behind `serve` and `watch`: a built handbook kept in
//! memory, and rebuilds of only what a change touches.
//!
//! [`kind_of_change`] sorts a changed path into a [`ChangeKind`]. An edit to the
//! Markdown body of one page (its front matter and title unchanged) re-renders
//! that page and the pages whose "referenced by" lists it changes, then
//! refreshes the search index and `print.html` after the browser was told to
//! reload. Everything else (front matter, new or deleted pages, templates,
//! `book.toml`) runs a full build. A change that introduces an error leaves
//! the last good site in place and reports the findings instead.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::frontmatter;
use crate::content::load;
use crate::error::{Error, Result};
use crate::render;
use crate::site::{Built, Site};

/// What kind of file changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// A Markdown page under the source folder.
    Content,
    /// Another file under the source folder (an image, a download).
    Static,
    /// A file of the handbook's theme.
    Theme,
    /// `book.toml`.
    Config,
    /// Nothing archbook reads: the output folder, hidden and editor files.
    Ignored,
}

/// Sorts a changed path. Pure, so it can be tested without a file system.
pub fn kind_of_change(root: &Path, src: &Path, out: &Path, path: &Path) -> ChangeKind {
    let Ok(rel) = path.strip_prefix(root) else {
        return ChangeKind::Ignored;
    };
    if path.starts_with(out) {
        return ChangeKind::Ignored;
    }
    let hidden = rel.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        s.starts_with('.') || s.starts_with('#')
    });
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let editor_temp = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with(".#");
    if hidden || editor_temp {
        return ChangeKind::Ignored;
    }
    if rel == Path::new("book.toml") {
        return ChangeKind::Config;
    }
    if rel.starts_with("themes") {
        return ChangeKind::Theme;
    }
    if path.starts_with(src) {
        return if name.ends_with(".md") {
            ChangeKind::Content
        } else {
            ChangeKind::Static
        };
    }
    ChangeKind::Ignored
}

/// What a rebuild did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The site was rebuilt; `pages` pages were rendered.
    Rebuilt {
        /// Pages rendered.
        pages: usize,
        /// True for a full build.
        full: bool,
        /// Warnings of the handbook now.
        warnings: usize,
        /// How long it took.
        took: Duration,
    },
    /// The change has errors: the last good site stays; this is the report.
    Failed(String),
    /// Nothing archbook reads changed.
    Nothing,
}

/// A handbook being served or watched.
pub struct Session {
    /// The handbook folder as the user named it (findings show paths from it).
    given: PathBuf,
    /// The same, canonical (what watch events are compared with).
    root: PathBuf,
    out: PathBuf,
    site: Site,
    built: Option<Built>,
    /// Page index by source file path.
    by_path: HashMap<PathBuf, usize>,
    /// Files pages pulled in with `{{#include}}`, anywhere: a change to one
    /// rebuilds the site (a file outside the source folder is otherwise
    /// ignored, and one inside it is only copied).
    included: HashSet<PathBuf>,
    /// `[build] extra-watch-dirs` that exist, canonical: a change inside
    /// one rebuilds the site.
    extra_dirs: Vec<PathBuf>,
    /// The last change failed: the next one rebuilds everything.
    dirty: bool,
    /// Highlighted code blocks kept between rebuilds.
    highlights: crate::highlight::Cache,
}

impl Session {
    /// Builds the handbook at `root` into `out` (default: its `build-dir`).
    /// Content errors do not stop a session: they are the first outcome.
    pub fn start(root: &Path, out: Option<&Path>) -> Result<(Session, Outcome)> {
        let site = Site::check(root)?;
        let out = out
            .map(Path::to_path_buf)
            .unwrap_or_else(|| site.default_output());
        // Watch events arrive with absolute paths: keep every path the
        // session compares in that form.
        let given = root.to_path_buf();
        let root = root.canonicalize().map_err(|source| Error::Read {
            path: root.to_path_buf(),
            source,
        })?;
        let mut s = Session {
            given,
            root,
            out: absolute(&out),
            site,
            built: None,
            by_path: HashMap::new(),
            included: HashSet::new(),
            extra_dirs: Vec::new(),
            dirty: false,
            highlights: crate::highlight::Cache::default(),
        };
        let outcome = s.full_with(None)?;
        Ok((s, outcome))
    }

    /// A path as watch events name it: absolute, under the canonical root
    /// when it is inside the handbook.
    fn watched_form(&self, path: &Path) -> PathBuf {
        let abs = absolute(path);
        match abs.strip_prefix(absolute(&self.given)) {
            Ok(rest) => self.root.join(rest),
            Err(_) => abs,
        }
    }

    /// The folder the site is written to.
    pub fn output(&self) -> &Path {
        &self.out
    }

    /// The handbook's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folders to watch: the root, and `extra-watch-dirs` outside it.
    pub fn watched(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.root.clone()];
        dirs.extend(
            self.extra_dirs
                .iter()
                .filter(|d| !d.starts_with(&self.root))
                .cloned(),
        );
        dirs
    }

    /// The source folder.
    pub fn source_dir(&self) -> PathBuf {
        self.root.join(&self.site.handbook.config.src)
    }

    /// The current findings, rendered for a terminal without colour.
    pub fn report(&self) -> String {
        self.site
            .diagnostics
            .render_plain(&self.site.handbook.sources)
    }

    /// Rebuilds after `paths` changed. `reloaded` runs as soon as the pages a
    /// browser shows are written (before slower follow-ups such as the search
    /// index), so a live-reload message can go out at once.
    ///
    /// Never fails: whatever stops a rebuild (a `book.toml` that does not
    /// parse or was emptied by an editor's save, a source folder that is
    /// gone, an output folder that cannot be written) is a
    /// [`Outcome::Failed`] report, and the next change rebuilds everything.
    pub fn changed(&mut self, paths: &[PathBuf], reloaded: impl FnOnce()) -> Outcome {
        match self.try_changed(paths, reloaded) {
            Ok(outcome) => outcome,
            Err(e) => {
                self.dirty = true;
                Outcome::Failed(format!(
                    "error: {}\n",
                    crate::diagnostic::printable(&e.to_string())
                ))
            }
        }
    }

    fn try_changed(&mut self, paths: &[PathBuf], reloaded: impl FnOnce()) -> Result<Outcome> {
        let src = self.source_dir();
        let paths: Vec<PathBuf> = paths.iter().map(|p| absolute(p)).collect();
        // The output folder (or a folder holding it) was deleted: write it
        // anew, even if nothing else changed.
        let output_gone = !self.out.is_dir() && paths.iter().any(|p| self.out.starts_with(p));
        if output_gone
            || paths.iter().any(|p| {
                self.included.contains(p) || self.extra_dirs.iter().any(|d| p.starts_with(d))
            })
        {
            return self.full_after_change(Instant::now(), reloaded);
        }
        let kinds: Vec<(ChangeKind, &PathBuf)> = paths
            .iter()
            .map(|p| (kind_of_change(&self.root, &src, &self.out, p), p))
            .filter(|(k, _)| *k != ChangeKind::Ignored)
            .collect();
        if kinds.is_empty() {
            return Ok(Outcome::Nothing);
        }
        let start = Instant::now();
        let mut reloaded = Some(reloaded);
        let mut reload = || {
            if let Some(f) = reloaded.take() {
                f();
            }
        };
        if !self.dirty && self.built.is_some() {
            // One edited page: try the fast path.
            if let [(ChangeKind::Content, path)] = kinds.as_slice() {
                if let Some(outcome) = self.body_edit(path, start, &mut reload)? {
                    return Ok(outcome);
                }
                return self.full_after_change(start, reload);
            }
            // Edited static files: copy them.
            if kinds.iter().all(|(k, p)| {
                *k == ChangeKind::Static && self.site.scope.check(p).is_ok() && self.known_static(p)
            }) {
                let out = crate::output::Writer::live(&self.out);
                for (_, p) in &kinds {
                    let rel = p.strip_prefix(&src).unwrap_or(p);
                    out.copy(p, &rel.to_string_lossy())?;
                }
                reload();
                return Ok(Outcome::Rebuilt {
                    pages: 0,
                    full: false,
                    warnings: self.site.diagnostics.warnings(),
                    took: start.elapsed(),
                });
            }
        }
        self.full_after_change(start, reload)
    }

    /// A full rebuild after a change; browsers reload when it succeeded.
    fn full_after_change(&mut self, start: Instant, reload: impl FnOnce()) -> Result<Outcome> {
        let outcome = self.full_with(Some(start))?;
        if matches!(outcome, Outcome::Rebuilt { .. }) {
            reload();
        }
        Ok(outcome)
    }

    fn known_static(&self, p: &Path) -> bool {
        let src = self.source_dir();
        p.strip_prefix(&src)
            .map(|r| {
                self.site
                    .handbook
                    .statics
                    .contains(&r.to_string_lossy().replace('\\', "/"))
            })
            .unwrap_or(false)
    }

    /// A full check and build; the last good site stays when it fails.
    fn full_with(&mut self, start: Option<Instant>) -> Result<Outcome> {
        let start = start.unwrap_or_else(Instant::now);
        let mut site = Site::check(&self.given)?;
        if site.diagnostics.errors() > 0 {
            self.site = site;
            self.dirty = true;
            return Ok(Outcome::Failed(self.report()));
        }
        let built = site.build_keeping(&self.out, &self.highlights);
        self.highlights.full_build_done();
        match built {
            Ok(built) => {
                let pages = built.report.pages;
                let src = self.source_dir();
                self.by_path = site
                    .handbook
                    .pages
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (src.join(&p.source), i))
                    .collect();
                self.included = site
                    .handbook
                    .pages
                    .iter()
                    .flat_map(|p| &p.includes)
                    .map(|f| self.watched_form(f))
                    .collect();
                self.extra_dirs = site
                    .handbook
                    .config
                    .extra_watch_dirs
                    .iter()
                    .filter_map(|d| std::fs::canonicalize(self.root.join(d)).ok())
                    .filter(|d| d.is_dir())
                    .collect();
                self.site = site;
                self.built = Some(built);
                self.dirty = false;
                Ok(Outcome::Rebuilt {
                    pages,
                    full: true,
                    warnings: self.site.diagnostics.warnings(),
                    took: start.elapsed(),
                })
            }
            Err(Error::Findings) => {
                self.site = site;
                self.dirty = true;
                Ok(Outcome::Failed(self.report()))
            }
            Err(e) => Err(e),
        }
    }

    /// The fast path for an edit to one page's body. `None` when the edit is
    /// more than that (front matter or title changed, a new page).
    fn body_edit(
        &mut self,
        path: &Path,
        start: Instant,
        reloaded: impl FnOnce(),
    ) -> Result<Option<Outcome>> {
        let Some(&i) = self.by_path.get(path) else {
            return Ok(None);
        };
        // "What changed" follows every page: compared anew on a full rebuild.
        if self.site.handbook.changes.is_some() {
            return Ok(None);
        }
        // Anything but a plain edit (a page that became a link leading
        // out, say) takes the full rebuild, which reports it.
        let Some(text) = self
            .site
            .scope
            .read(path, crate::confine::MAX_FILE)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
        else {
            return Ok(None);
        };
        let old = &self.site.handbook.pages[i];
        if old.missing {
            // The file of a missing chapter was written: its warning goes.
            return Ok(None);
        }
        let old_text = self.site.handbook.sources.text(old.file);
        let (Ok(a), Ok(b)) = (frontmatter::split(old_text), frontmatter::split(&text)) else {
            return Ok(None);
        };
        if a.yaml.map(|y| y.0) != b.yaml.map(|y| y.0) {
            return Ok(None);
        }
        // The same parse as loading does, `{{#include}}` expansion included.
        let (new_page, found) = load::parse_with_includes(
            old.file,
            path,
            &old.source,
            &text,
            &self.site.scope,
            crate::content::page::ParseOptions::of(&self.site.handbook.config),
        );
        if new_page.title != old.title {
            return Ok(None);
        }
        let watched: Vec<PathBuf> = new_page
            .includes
            .iter()
            .map(|f| self.watched_form(f))
            .collect();
        self.included.extend(watched);
        let delta = self
            .site
            .replace_page(i, new_page, Arc::from(text.as_str()), found);
        if self.site.diagnostics.errors() > 0 {
            self.dirty = true;
            return Ok(Some(Outcome::Failed(self.report())));
        }
        let affected = delta.affected();
        let built = self.built.as_mut().ok_or(Error::Findings)?;
        built.state.refresh_backlinks(&self.site.handbook);
        let mut reloaded = Some(reloaded);
        let published = render::Published {
            dir: &self.out,
            theme: &built.theme,
            state: &built.state,
            kept: &mut built.kept,
            cache: &self.highlights,
        };
        let result = render::rerender(&self.site.handbook, published, &affected, || {
            if let Some(f) = reloaded.take() {
                f();
            }
        });
        if let Err(e) = result {
            let finding = e.into_finding(&built.theme, &mut self.site.handbook.sources)?;
            self.site.diagnostics.push(finding);
            self.dirty = true;
            return Ok(Some(Outcome::Failed(self.report())));
        }
        Ok(Some(Outcome::Rebuilt {
            pages: affected.len(),
            full: false,
            warnings: self.site.diagnostics.warnings(),
            took: start.elapsed(),
        }))
    }
}

/// An absolute path without `.` and `..` components (the file need not exist).
fn absolute(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_classified() {
        let root = Path::new("/hb");
        let src = Path::new("/hb/content");
        let out = Path::new("/hb/book");
        let c = |p: &str| kind_of_change(root, src, out, Path::new(p));
        assert_eq!(c("/hb/content/roles/ops.md"), ChangeKind::Content);
        assert_eq!(c("/hb/content/img/x.png"), ChangeKind::Static);
        assert_eq!(c("/hb/themes/mine/page.html"), ChangeKind::Theme);
        assert_eq!(c("/hb/book.toml"), ChangeKind::Config);
        for ignored in [
            "/hb/book/index.html",
            "/hb/content/.ops.md.swp",
            "/hb/content/ops.md~",
            "/hb/content/4913",
            "/hb/content/.git/HEAD",
            "/hb/content/#ops.md#",
            "/hb/target/debug/x",
            "/elsewhere/x.md",
        ] {
            assert_eq!(c(ignored), ChangeKind::Ignored, "{ignored}");
        }
    }

    fn handbook() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        std::fs::create_dir_all(&src).unwrap();
        // An archbook handbook: broken links are errors.
        std::fs::write(
            tmp.path().join("book.toml"),
            "[book]\ntitle = \"T\"\n\n[archbook]\n",
        )
        .unwrap();
        std::fs::write(src.join("index.md"), "# Home\n\nSee [a](a.md).\n").unwrap();
        std::fs::write(src.join("a.md"), "# A\n\nFirst text.\n").unwrap();
        std::fs::write(src.join("b.md"), "# B\n\nNo links yet.\n").unwrap();
        tmp
    }

    #[test]
    fn a_body_edit_renders_the_page_and_the_pages_it_now_links() {
        let tmp = handbook();
        let (mut s, first) = Session::start(tmp.path(), None).unwrap();
        assert!(
            matches!(first, Outcome::Rebuilt { full: true, .. }),
            "{first:?}"
        );
        let b = tmp.path().join("src/b.md");
        std::fs::write(&b, "# B\n\nNow linking [a](a.md).\n").unwrap();
        let mut told = false;
        let o = s.changed(std::slice::from_ref(&b), || told = true);
        assert!(told);
        // b itself, and a, whose "referenced by" list gained b.
        assert!(
            matches!(
                o,
                Outcome::Rebuilt {
                    pages: 2,
                    full: false,
                    ..
                }
            ),
            "{o:?}"
        );
        let a_html = std::fs::read_to_string(s.output().join("a.html")).unwrap();
        assert!(a_html.contains("href=\"b.html\""), "backlink missing");
        let b_html = std::fs::read_to_string(s.output().join("b.html")).unwrap();
        assert!(b_html.contains("Now linking"));
    }

    #[test]
    fn a_body_edit_keeps_mdbook_includes_expanded() {
        let tmp = handbook();
        std::fs::write(tmp.path().join("src/snippet.txt"), "Included words.\n").unwrap();
        let a = tmp.path().join("src/a.md");
        std::fs::write(&a, "# A\n\n{{#include snippet.txt}}\n").unwrap();
        let (mut s, _) = Session::start(tmp.path(), None).unwrap();
        std::fs::write(&a, "# A\n\nEdited.\n\n{{#include snippet.txt}}\n").unwrap();
        let o = s.changed(std::slice::from_ref(&a), || {});
        assert!(matches!(o, Outcome::Rebuilt { full: false, .. }), "{o:?}");
        let html = std::fs::read_to_string(s.output().join("a.html")).unwrap();
        assert!(
            html.contains("Edited.") && html.contains("Included words."),
            "{html}"
        );
    }

    #[test]
    fn a_broken_edit_keeps_the_last_site_and_a_fix_restores() {
        let tmp = handbook();
        let (mut s, _) = Session::start(tmp.path(), None).unwrap();
        let a = tmp.path().join("src/a.md");
        std::fs::write(&a, "# A\n\nBroken [link](nowhere.md).\n").unwrap();
        let o = s.changed(std::slice::from_ref(&a), || {});
        let Outcome::Failed(report) = o else {
            panic!("{o:?}")
        };
        assert!(report.contains("error[broken-link]"), "{report}");
        assert!(report.contains("a.md:3:"), "{report}");
        let html = std::fs::read_to_string(s.output().join("a.html")).unwrap();
        assert!(html.contains("First text."), "the last good page must stay");
        std::fs::write(&a, "# A\n\nFixed text.\n").unwrap();
        let o = s.changed(std::slice::from_ref(&a), || {});
        assert!(matches!(o, Outcome::Rebuilt { .. }), "{o:?}");
        assert!(
            std::fs::read_to_string(s.output().join("a.html"))
                .unwrap()
                .contains("Fixed text.")
        );
    }

    #[test]
    fn front_matter_and_new_pages_rebuild_everything() {
        let tmp = handbook();
        let (mut s, _) = Session::start(tmp.path(), None).unwrap();
        let a = tmp.path().join("src/a.md");
        std::fs::write(&a, "---\ntitle: Renamed\n---\n# A\n").unwrap();
        let o = s.changed(std::slice::from_ref(&a), || {});
        assert!(matches!(o, Outcome::Rebuilt { full: true, .. }), "{o:?}");
        let home = std::fs::read_to_string(s.output().join("index.html")).unwrap();
        assert!(
            home.contains("Renamed"),
            "navigation must show the new title"
        );
        let c = tmp.path().join("src/c.md");
        std::fs::write(&c, "# C\n").unwrap();
        let o = s.changed(std::slice::from_ref(&c), || {});
        assert!(matches!(o, Outcome::Rebuilt { full: true, .. }), "{o:?}");
        assert!(s.output().join("c.html").exists());
        let ignored = s.changed(&[tmp.path().join("src/.c.md.swp")], || {});
        assert_eq!(ignored, Outcome::Nothing);
    }

    #[test]
    fn creating_a_missing_chapter_replaces_its_title_page() {
        let tmp = handbook();
        std::fs::write(
            tmp.path().join("src/SUMMARY.md"),
            "# Summary\n\n[Home](index.md)\n\n- [A](a.md)\n- [B](b.md)\n- [Later](later.md)\n",
        )
        .unwrap();
        let (mut s, first) = Session::start(tmp.path(), None).unwrap();
        assert!(
            matches!(first, Outcome::Rebuilt { warnings: 1, .. }),
            "{first:?}"
        );
        let later = tmp.path().join("src/later.md");
        std::fs::write(&later, "# Later\n\nWritten at last.\n").unwrap();
        let o = s.changed(std::slice::from_ref(&later), || {});
        assert!(matches!(o, Outcome::Rebuilt { warnings: 0, .. }), "{o:?}");
        let html = std::fs::read_to_string(s.output().join("later.html")).unwrap();
        assert!(html.contains("Written at last."), "{html}");
    }

    /// `serve` used to log "watching stopped" and never rebuild again after
    /// any of these; each is now a failed outcome, and fixing it rebuilds.
    #[test]
    fn a_session_survives_what_breaks_a_rebuild() {
        let tmp = handbook();
        let toml = tmp.path().join("book.toml");
        let (mut s, _) = Session::start(tmp.path(), None).unwrap();
        let good = std::fs::read_to_string(&toml).unwrap();
        let breakages: [(&str, &dyn Fn()); 4] = [
            ("not TOML", &|| std::fs::write(&toml, "[book\n").unwrap()),
            // An editor's in-place save truncates first.
            ("emptied", &|| std::fs::write(&toml, "").unwrap()),
            ("a missing source folder", &|| {
                std::fs::write(&toml, "[book]\nsrc = \"nowhere\"\n").unwrap()
            }),
            ("the output folder deleted", &|| {
                std::fs::remove_dir_all(tmp.path().join("book")).unwrap()
            }),
        ];
        for (what, breakage) in breakages {
            breakage();
            let o = s.changed(std::slice::from_ref(&toml), || {});
            if what == "the output folder deleted" {
                // Written anew at once.
                assert!(
                    matches!(o, Outcome::Rebuilt { full: true, .. }),
                    "{what}: {o:?}"
                );
                assert!(tmp.path().join("book/index.html").is_file(), "{what}");
                continue;
            }
            // An empty book.toml is a handbook with defaults, which this
            // one builds with.
            assert!(
                matches!(o, Outcome::Failed(_)) || what == "emptied",
                "{what}: {o:?}"
            );
            std::fs::write(&toml, &good).unwrap();
            let o = s.changed(std::slice::from_ref(&toml), || {});
            assert!(
                matches!(o, Outcome::Rebuilt { full: true, .. }),
                "{what}: {o:?}"
            );
        }
        // Deleted while nothing else changes: the deletion itself rebuilds.
        std::fs::remove_dir_all(tmp.path().join("book")).unwrap();
        let o = s.changed(&[tmp.path().join("book")], || {});
        assert!(matches!(o, Outcome::Rebuilt { .. }), "{o:?}");
        assert!(tmp.path().join("book/a.html").is_file());
    }
}
