//! A handbook as it was at a git revision. The tree of the revision's commit
//! under the handbook's folder is read into memory (a
//! [`crate::confine::Tree`]), and the loader reads it through the same
//! confinement and limits as a folder on disk, without writing a file.
//! gix reads the repository: no `git` program is needed.
//!
//! Touches: the repository holding the handbook (read only).
//!
//! Only regular files and folders are kept. Symbolic links and submodules
//! are left out (a link could lead anywhere), and so are names no checkout
//! would write (`..`, `.git`, names with `/`, `\\` or NUL). A file larger
//! than the loader reads ([`crate::confine::MAX_FILE`]) keeps only its size,
//! so the loader reports it as it would the real one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::confine::{Blob, Tree};
use crate::error::{Error, Result};

/// Files already read, by object id: the revisions of one comparison share
/// most of their files, and each is read and inflated once.
pub type Objects = std::sync::Mutex<rustc_hash::FxHashMap<gix::ObjectId, Blob>>;

/// A revision of a handbook, in memory.
pub struct Revision {
    /// Its files.
    pub tree: Arc<Tree>,
    /// The commit the revision named, in full hex.
    pub commit: String,
    /// The handbook's folder in the repository (empty at its top).
    pub inside: PathBuf,
}

const HELP_REVISION: &str = "name a commit, branch or tag of the repository the handbook is in (`HEAD`, `main`, `v1.0`, `HEAD~3`); a shallow clone (CI's default) lacks older commits: fetch them (`fetch-depth: 0` in actions/checkout)";
const HELP_REPOSITORY: &str = "revisions are read from the git repository holding the handbook; to compare two folders, pass both";

fn fail(rev: &str, why: impl std::fmt::Display, help: &'static str) -> Error {
    Error::Revision {
        rev: rev.to_string(),
        why: why.to_string(),
        help,
    }
}

/// The repository holding `handbook`, the handbook's folder in it, and the
/// commit `rev` names.
fn open(handbook: &Path, rev: &str) -> Result<(gix::Repository, PathBuf, gix::ObjectId)> {
    let abs = handbook.canonicalize().map_err(|source| Error::Read {
        path: handbook.to_path_buf(),
        source,
    })?;
    let repo = gix::discover(&abs).map_err(|e| fail(rev, e, HELP_REPOSITORY))?;
    let Some(workdir) = repo.workdir() else {
        return Err(fail(
            rev,
            "the repository has no work tree",
            HELP_REPOSITORY,
        ));
    };
    let workdir = workdir.canonicalize().map_err(|source| Error::Read {
        path: workdir.to_path_buf(),
        source,
    })?;
    let inside = abs
        .strip_prefix(&workdir)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let object = repo
        .rev_parse_single(rev)
        .map_err(|e| {
            fail(
                rev,
                format!("no commit of the repository goes by that name ({e})"),
                HELP_REVISION,
            )
        })?
        .object()
        .map_err(|e| fail(rev, e, HELP_REVISION))?;
    let commit = object
        .peel_to_commit()
        .map_err(|e| fail(rev, e, HELP_REVISION))?
        .id;
    Ok((repo, inside, commit))
}

/// The commit `rev` names in the repository holding `handbook`, in full hex.
pub fn resolve(handbook: &Path, rev: &str) -> Result<String> {
    open(handbook, rev).map(|(_, _, commit)| commit.to_string())
}

/// Reads the handbook at `handbook` (a folder inside a git work tree) as it
/// was at `rev`.
pub fn read(handbook: &Path, rev: &str, objects: &Objects) -> Result<Revision> {
    let (repo, inside, commit) = open(handbook, rev)?;
    let mut tree = repo
        .find_commit(commit)
        .map_err(|e| fail(rev, e, HELP_REVISION))?
        .tree()
        .map_err(|e| fail(rev, e, HELP_REVISION))?;
    if !inside.as_os_str().is_empty() {
        let entry = tree
            .lookup_entry_by_path(&inside)
            .map_err(|e| fail(rev, e, HELP_REVISION))?;
        let Some(entry) = entry.filter(|e| e.mode().is_tree()) else {
            return Err(fail(
                rev,
                format!("the folder `{}` did not exist then", inside.display()),
                "compare with a revision that has the handbook, or pass two folders",
            ));
        };
        tree = entry
            .object()
            .map_err(|e| fail(rev, e, HELP_REVISION))?
            .into_tree();
    }
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut recorder)
        .map_err(|e| fail(rev, e, HELP_REVISION))?;
    drop(tree);
    let mut tree = Tree {
        root: PathBuf::from(format!("/archbook-revision-{commit}")),
        ..Tree::default()
    };
    let mut files = Vec::new();
    for entry in recorder.records {
        let Some(rel) = safe_path(&entry.filepath) else {
            continue;
        };
        if entry.mode.is_tree() {
            tree.dirs.insert(rel);
        } else if entry.mode.is_blob() {
            files.push((rel, entry.oid));
        }
    }
    // Reading and inflating objects is most of the work: those not read
    // yet side by side, one repository handle per thread.
    let known: Vec<Option<Blob>> = {
        let objects = objects.lock().unwrap_or_else(|e| e.into_inner());
        files
            .iter()
            .map(|(_, oid)| objects.get(oid).cloned())
            .collect()
    };
    let sync = repo.into_sync();
    let blobs = files
        .par_iter()
        .zip(known)
        .map_init(
            || None,
            |repo, ((_, oid), known)| match known {
                Some(blob) => Ok(blob),
                None => read_blob(
                    repo.get_or_insert_with(|| sync.to_thread_local()),
                    *oid,
                    rev,
                ),
            },
        )
        .collect::<Result<Vec<Blob>>>()?;
    {
        let mut objects = objects.lock().unwrap_or_else(|e| e.into_inner());
        for ((_, oid), blob) in files.iter().zip(&blobs) {
            objects.entry(*oid).or_insert_with(|| blob.clone());
        }
    }
    tree.order = files.iter().map(|(rel, _)| rel.clone()).collect();
    tree.order.sort_unstable();
    tree.files = files.into_iter().map(|(rel, _)| rel).zip(blobs).collect();
    Ok(Revision {
        tree: Arc::new(tree),
        commit: commit.to_string(),
        inside,
    })
}

fn read_blob(repo: &gix::Repository, oid: gix::ObjectId, rev: &str) -> Result<Blob> {
    let size = repo
        .find_header(oid)
        .map_err(|e| fail(rev, e, HELP_REVISION))?
        .size();
    if size > crate::confine::MAX_FILE {
        return Ok(Blob::TooLarge(size));
    }
    let blob = repo
        .find_object(oid)
        .map_err(|e| fail(rev, e, HELP_REVISION))?;
    Ok(Blob::Bytes(Arc::from(blob.detach().data)))
}

/// A tree path made only of names a checkout writes, as a relative path.
fn safe_path(path: &[u8]) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for name in path.split(|&b| b == b'/') {
        if name.is_empty()
            || name == b"."
            || name == b".."
            || name.eq_ignore_ascii_case(b".git")
            || name.contains(&0)
            || name.contains(&b'\\')
        {
            return None;
        }
        #[cfg(unix)]
        out.push(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name));
        #[cfg(not(unix))]
        out.push(std::str::from_utf8(name).ok()?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_no_checkout_writes_are_left_out() {
        assert_eq!(safe_path(b"src/a.md"), Some(PathBuf::from("src/a.md")));
        for bad in [
            &b"../x"[..],
            b"src/../../x",
            b".git/config",
            b"src/.GIT/hooks",
            b"a\\..\\b",
            b"a\0b",
            b"",
            b"a//b",
        ] {
            assert_eq!(safe_path(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
