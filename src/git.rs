//! A handbook as it was at a git revision. The tree of the revision's commit
//! under the handbook's folder is written into a new temporary folder, so the
//! loader reads it exactly as it reads any handbook (same confinement, same
//! limits). gix reads the repository: no `git` program is needed.
//!
//! Touches: the repository holding the handbook (read only) and one
//! temporary folder, deleted when the [`Checkout`] is dropped.
//!
//! Only regular files and folders are written. Symbolic links and submodules
//! are left out (a link could point anywhere once written), and so are names
//! no checkout would write (`..`, `.git`, names with `/` or NUL). A file
//! larger than the loader reads ([`crate::confine::MAX_FILE`]) is written
//! as an empty file of its size, so the loader reports it as it would the
//! real one without archbook copying it.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// A revision's copy of a handbook, in a temporary folder.
pub struct Checkout {
    /// The temporary folder: the copy of the repository's tree under the
    /// handbook's folder is at [`Checkout::root`].
    dir: tempfile::TempDir,
    /// The commit the revision named, in full hex.
    pub commit: String,
    /// The handbook's folder in the repository (empty at its top).
    pub inside: PathBuf,
}

impl Checkout {
    /// The handbook's folder in the copy (the one holding `book.toml`).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }
}

const HELP_REVISION: &str = "name a commit, branch or tag of the repository the handbook is in (`HEAD`, `main`, `v1.0`, `HEAD~3`); a shallow clone (CI's default) lacks older commits: fetch them (`fetch-depth: 0` in actions/checkout)";
const HELP_REPOSITORY: &str =
    "revisions are read from the git repository holding the handbook; to compare two folders, pass both";

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
        return Err(fail(rev, "the repository has no work tree", HELP_REPOSITORY));
    };
    let workdir = workdir.canonicalize().map_err(|source| Error::Read {
        path: workdir.to_path_buf(),
        source,
    })?;
    let inside = abs
        .strip_prefix(&workdir)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let commit = repo
        .rev_parse_single(rev)
        .map_err(|e| fail(rev, e, HELP_REVISION))?
        .object()
        .and_then(|o| Ok(o.peel_to_commit()?))
        .map_err(|e| fail(rev, e, HELP_REVISION))?
        .id;
    Ok((repo, inside, commit))
}

/// The commit `rev` names in the repository holding `handbook`, in full hex.
pub fn resolve(handbook: &Path, rev: &str) -> Result<String> {
    open(handbook, rev).map(|(_, _, commit)| commit.to_string())
}

/// Writes the handbook at `handbook` (a folder inside a git work tree) as it
/// was at `rev` into a new temporary folder.
pub fn checkout(handbook: &Path, rev: &str) -> Result<Checkout> {
    let (repo, inside, commit) = open(handbook, rev)?;
    let mut tree = repo
        .find_commit(commit)
        .and_then(|c| Ok(c.tree()?))
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
    let dir = tempfile::Builder::new()
        .prefix("archbook-rev-")
        .tempdir()
        .map_err(|e| Error::write(std::env::temp_dir(), e))?;
    let mut files = Vec::new();
    for entry in recorder.records {
        let Some(rel) = safe_path(&entry.filepath) else {
            continue;
        };
        let path = dir.path().join(rel);
        if entry.mode.is_tree() {
            std::fs::create_dir_all(&path).map_err(|e| Error::write(&path, e))?;
        } else if entry.mode.is_blob() {
            files.push((path, entry.oid));
        }
    }
    // Reading and inflating objects is most of the work: side by side, one
    // repository handle per thread.
    let sync = repo.into_sync();
    files
        .par_iter()
        .map_init(
            || sync.to_thread_local(),
            |repo, (path, oid)| write_blob(repo, *oid, path, rev),
        )
        .collect::<Result<Vec<()>>>()?;
    Ok(Checkout {
        dir,
        commit: commit.to_string(),
        inside,
    })
}

fn write_blob(repo: &gix::Repository, oid: gix::ObjectId, path: &Path, rev: &str) -> Result<()> {
    let size = repo
        .find_header(oid)
        .map_err(|e| fail(rev, e, HELP_REVISION))?
        .size();
    if size > crate::confine::MAX_FILE {
        let file = std::fs::File::create(path).map_err(|e| Error::write(path, e))?;
        return file.set_len(size).map_err(|e| Error::write(path, e));
    }
    let blob = repo
        .find_object(oid)
        .map_err(|e| fail(rev, e, HELP_REVISION))?;
    std::fs::write(path, &blob.data).map_err(|e| Error::write(path, e))
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
