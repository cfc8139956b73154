//! Comparing versions of a handbook: a version is a folder or a git
//! revision ([`Version`]); each is loaded and resolved as `check` does and
//! reduced to a [`Snapshot`], and two snapshots give the [`Changes`] that
//! `archbook diff` prints and that `changes-since` puts in the site.
//!
//! Touches: the handbook's folders and its git repository (read only; a
//! revision is read into memory, see `crate::git`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::changes::{self, Changes, Side, Snapshot};
use crate::confine::Scope;
use crate::content::load::{Parsed, Reuse};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::rules::Rule;

use super::Site;

/// One version of a handbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Version {
    /// A handbook folder as it is on disk (the working tree).
    Folder(PathBuf),
    /// The handbook folder `dir` as it was at a git revision.
    Revision {
        /// The handbook's folder in the work tree.
        dir: PathBuf,
        /// The revision (`HEAD`, `v1.0`, `main~2`, a commit).
        rev: String,
    },
}

impl Version {
    /// What reports call it.
    pub fn label(&self) -> String {
        match self {
            Version::Folder(p) if p == Path::new(".") => "the working tree".to_string(),
            Version::Folder(p) => p.display().to_string(),
            Version::Revision { rev, .. } => rev.clone(),
        }
    }
}

/// A version ready to load: a folder, or a revision's files in memory.
enum Files<'a> {
    Folder(&'a Path),
    Revision(&'a str, crate::git::Revision),
}

impl Version {
    /// Reads a revision's files (sharing `objects` with other reads).
    fn files(&self, objects: &crate::git::Objects) -> Result<Files<'_>> {
        Ok(match self {
            Version::Folder(dir) => Files::Folder(dir),
            Version::Revision { dir, rev } => {
                Files::Revision(rev, crate::git::read(dir, rev, objects)?)
            }
        })
    }
}

/// Loads `version`, resolves it and takes its snapshot.
pub fn snapshot(version: &Version) -> Result<(Side, Snapshot)> {
    let (side, snap, _) = snapshot_of(version.files(&Default::default())?, Reuse::default())?;
    Ok((side, snap))
}

fn snapshot_of(files: Files<'_>, reuse: Reuse<'_>) -> Result<(Side, Snapshot, Option<Parsed>)> {
    let (site, side, parsed) = match files {
        Files::Folder(dir) => {
            let (mut site, parsed) =
                Site::load_with(dir, &super::display_root(dir), Scope::default(), reuse)?;
            site.resolve();
            let side = Side {
                label: Version::Folder(dir.to_path_buf()).label(),
                ..Side::default()
            };
            (site, side, parsed)
        }
        Files::Revision(rev, read) => {
            let shown = if read.inside.as_os_str().is_empty() {
                PathBuf::from(format!("{rev}:."))
            } else {
                PathBuf::from(format!("{rev}:{}", read.inside.display()))
            };
            let root = read.tree.root.clone();
            let (mut site, parsed) =
                Site::load_with(&root, &shown, Scope::of_tree(read.tree), reuse)
                    .map_err(|e| in_revision(e, rev, &shown))?;
            site.resolve();
            let side = Side {
                label: rev.to_string(),
                commit: Some(read.commit),
                ..Side::default()
            };
            (site, side, parsed)
        }
    };
    let snap = Snapshot::of(&site.handbook, &site.diagnostics);
    Ok((side, snap, parsed))
}

/// A load error of a revision, naming the revision rather than the path
/// its files go by in memory.
fn in_revision(e: crate::Error, rev: &str, shown: &Path) -> crate::Error {
    let why = match e {
        crate::Error::NoHandbook(_) | crate::Error::NotAFolder(_) => {
            format!(
                "`{}` held no book.toml and no `src` folder then",
                shown.display()
            )
        }
        crate::Error::MissingSource(src) => format!(
            "its source folder `{}` did not exist then",
            src.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ),
        other => return other,
    };
    crate::Error::Revision {
        rev: rev.to_string(),
        why,
        help: "compare with a revision that has the handbook (`git log -- book.toml` lists the commits that changed it)",
    }
}

/// Compares two versions.
pub fn diff(old: &Version, new: &Version) -> Result<Changes> {
    // Revisions are read first, one after the other, so that the files
    // they share are read once. The newer version then takes the pages
    // whose text is unchanged from the older one instead of parsing them.
    let objects = crate::git::Objects::default();
    let (old_files, new_files) = (old.files(&objects)?, new.files(&objects)?);
    let keep = Reuse {
        earlier: None,
        keep: true,
        disk_unchanged: None,
    };
    let (old_side, old_snap, parsed) = snapshot_of(old_files, keep)?;
    let take = Reuse {
        earlier: parsed.as_ref(),
        keep: false,
        disk_unchanged: None,
    };
    let (new_side, new_snap, _) = snapshot_of(new_files, take)?;
    Ok(changes::compare(old_side, &old_snap, new_side, &new_snap))
}

/// Snapshots of revisions already read, by handbook folder and commit: a
/// `serve` session rebuilds often, and the revision does not change.
type Cached = Arc<(Side, Snapshot)>;
static REVISIONS: Mutex<Option<HashMap<(PathBuf, String), Cached>>> = Mutex::new(None);

fn revision_snapshot(dir: &Path, rev: &str) -> Result<Cached> {
    let commit = crate::git::resolve(dir, rev)?;
    let key = (
        dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()),
        commit,
    );
    if let Some(hit) = REVISIONS
        .lock()
        .ok()
        .and_then(|m| m.as_ref().and_then(|m| m.get(&key).cloned()))
    {
        return Ok(hit);
    }
    let taken = Arc::new(snapshot(&Version::Revision {
        dir: dir.to_path_buf(),
        rev: rev.to_string(),
    })?);
    if let Ok(mut m) = REVISIONS.lock() {
        // One handbook, one revision at a time is what a session needs.
        let m = m.get_or_insert_with(HashMap::new);
        if m.len() >= 4 {
            m.clear();
        }
        m.insert(key, taken.clone());
    }
    Ok(taken)
}

impl Site {
    /// With `changes-since` set (in `book.toml` or by `--changes-since`),
    /// compares the resolved handbook with that revision and keeps the
    /// changes for the "What changed" page. A revision that cannot be read
    /// is a finding at the setting.
    pub fn compare_since(&mut self) {
        let Some(rev) = self.handbook.config.changes_since.clone() else {
            return;
        };
        let start = std::time::Instant::now();
        match revision_snapshot(&self.handbook.root, &rev) {
            Ok(old) => {
                let new = Snapshot::of(&self.handbook, &self.diagnostics);
                let (old_side, old_snap) = &*old;
                let changes = changes::compare(
                    old_side.clone(),
                    old_snap,
                    Side {
                        label: "this version".to_string(),
                        ..Side::default()
                    },
                    &new,
                );
                self.handbook.changes = Some(Arc::new(changes));
            }
            Err(e) => {
                let (why, help) = match &e {
                    crate::Error::Revision { why, help, .. } => (why.clone(), *help),
                    other => (
                        other.to_string(),
                        "set `changes-since` under [archbook] to a tag or commit the repository has (`git tag` lists them), or remove it",
                    ),
                };
                let mut d = Diagnostic::new(
                    Rule::Config,
                    format!(
                        "cannot compare with `{}`: {}",
                        crate::diagnostic::printable(&rev),
                        crate::diagnostic::printable(&why)
                    ),
                );
                if let Some((file, span)) = self.handbook.config.changes_since_at.clone() {
                    d = d.at(file, span, "this revision");
                }
                self.diagnostics.push(d.help(help));
                self.diagnostics.sort(&self.handbook.sources);
            }
        }
        self.timings.push(("compare", start.elapsed()));
    }
}
