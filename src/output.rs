//! Writing the site safely: refuse dangerous output folders, build into a
//! staging folder beside the output, and swap it in only when the whole build
//! succeeded, so a failed or interrupted build leaves the previous site as it
//! was (on Linux the swap is one atomic exchange, so a server reading the
//! site never finds it missing). The only module that deletes anything, and
//! only what it created or an earlier archbook build: every site it writes
//! holds a [`MARKER`] file, and an existing folder is replaced only when it
//! is empty or holds that file. Every file of a site is written through a
//! [`Writer`], which counts it once.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The file every site archbook writes holds, by which a later build knows
/// the folder is archbook's to replace. A folder without it that holds
/// anything is never touched.
pub const MARKER: &str = ".archbook-site";

const MARKER_TEXT: &str = "This folder was written by archbook (https://crates.io/crates/archbook).\n\
Each `archbook build` replaces the whole folder; do not keep other files here.\n\
Without this file, archbook refuses to replace a folder that is not empty.\n";

/// Whether `dir` holds the marker of an archbook build (a plain file, not a
/// link to one).
pub fn is_archbooks(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// A build in progress: files go into `dir`, which becomes `target` on commit.
#[derive(Debug)]
pub struct Staging {
    /// Where files are written now.
    pub dir: PathBuf,
    /// Where the site ends up.
    pub target: PathBuf,
}

/// Why a folder that is neither empty nor an earlier build is refused.
pub const NOT_ARCHBOOKS: &str = "it holds files and is not an earlier archbook build (it has no `.archbook-site` file), so building would delete them";

/// Checks `out` and creates a staging folder beside it, holding only the
/// [`MARKER`].
pub fn stage(root: &Path, src: &Path, out: &Path) -> Result<Staging> {
    let target = absolute(out);
    let root = absolute(root);
    let src = absolute(src);
    let refuse = |reason| {
        Err(Error::UnsafeOutput {
            path: out.to_path_buf(),
            reason,
        })
    };
    if target.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if let Some(home) = std::env::var_os("HOME")
        .map(PathBuf::from)
        .map(|h| absolute(&h))
        && (target == home || home.starts_with(&target))
    {
        return refuse("it is (or holds) the home folder");
    }
    if root.starts_with(&target) {
        return refuse("it is (or holds) the handbook's own folder");
    }
    if src.starts_with(&target) || target.starts_with(&src) {
        return refuse("it is, holds, or is inside the source folder");
    }
    if target.exists() {
        if !target.is_dir() {
            return refuse("it exists and is not a folder");
        }
        let empty = std::fs::read_dir(&target)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !is_archbooks(&target) {
            return refuse(NOT_ARCHBOOKS);
        }
    }
    let parent = target.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into());
    sweep(parent, &name);
    let dir = parent.join(format!(".{name}.archbook-tmp-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
    }
    // The staging folder is archbook's business: a failure names the
    // output folder the user chose.
    std::fs::create_dir(&dir).map_err(|e| Error::write(&target, e))?;
    std::fs::write(dir.join(MARKER), MARKER_TEXT).map_err(|e| Error::write(&target, e))?;
    Ok(Staging { dir, target })
}

impl Staging {
    /// Replaces the target with the finished build.
    pub fn commit(self) -> Result<PathBuf> {
        let old = self.dir.with_file_name(format!(
            ".{}.archbook-old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old && exchange(&self.dir, &self.target) {
            // The new site took the old one's place in one step; the old one
            // now sits in the staging folder's place.
            remove_tree(&self.dir);
            return Ok(self.target.clone());
        }
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| Error::write(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            // Put the previous site back before reporting.
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::write(&self.target, e));
        }
        if had_old {
            remove_tree(&old);
        }
        Ok(self.target.clone())
    }

    /// Throws the unfinished build away; the previous site stays.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Deletes a previous site, files and folders side by side on every core
/// (it is the last thing a build does, and a 10,000-page site is 10,000
/// files). Best effort: what cannot be removed is swept by a later build.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if let Ok(entries) = std::fs::read_dir(dir) {
        let entries: Vec<_> = entries.flatten().collect();
        entries.par_iter().for_each(|e| match e.file_type() {
            Ok(t) if t.is_dir() => remove_tree(&e.path()),
            _ => {
                let _ = std::fs::remove_file(e.path());
            }
        });
    }
    let _ = std::fs::remove_dir(dir);
}

/// Swaps two folders in one atomic step where the system can (Linux's
/// `renameat2` with `RENAME_EXCHANGE`), so the published site never
/// disappears, not even for a moment, while a server reads it. `false` where
/// it cannot; the caller then renames in two steps.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Removes staging and old-site folders left beside the output by an
/// archbook process that no longer runs (killed mid-build). Where it cannot
/// tell whether a process runs (no `/proc`), it leaves them.
fn sweep(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.archbook-tmp-"),
        format!(".{name}.archbook-old-"),
    ];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !running(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

fn absolute(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // Resolve symbolic links where the path exists, so `a/../b` and links
    // compare equal; keep the rest as written.
    match abs.canonicalize() {
        Ok(c) => c,
        Err(_) => match (abs.parent(), abs.file_name()) {
            (Some(parent), Some(name)) => absolute_parent(parent).join(name),
            _ => abs,
        },
    }
}

fn absolute_parent(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// The one way bytes reach a site: every file of a build, rendered or
/// copied, goes through a writer, which counts each file and its bytes once.
/// A writer into the published site ([`Writer::live`], for `serve`'s
/// rebuilds) writes each file beside its place and renames it over, so a
/// reader never sees half a file.
#[derive(Debug)]
pub struct Writer {
    dir: PathBuf,
    live: bool,
    written: std::sync::Mutex<(usize, u64)>,
}

impl Writer {
    /// A writer into `dir`, a folder being built (a staging folder).
    pub fn new(dir: &Path) -> Writer {
        Writer {
            dir: dir.to_path_buf(),
            live: false,
            written: std::sync::Mutex::new((0, 0)),
        }
    }

    /// A writer into `dir`, a published site that readers may be reading.
    pub fn live(dir: &Path) -> Writer {
        Writer {
            live: true,
            ..Writer::new(dir)
        }
    }

    /// The folder written into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates the folders that files at `paths` (relative to the site) go
    /// into, parents first, so writers running side by side never race on
    /// one.
    pub fn folders<'p>(&self, paths: impl IntoIterator<Item = &'p str>) -> Result<()> {
        let mut folders: Vec<&str> = paths
            .into_iter()
            .filter_map(|rel| rel.rsplit_once('/').map(|(parent, _)| parent))
            .collect();
        folders.sort_unstable();
        folders.dedup();
        for f in folders {
            let f = self.dir.join(f);
            std::fs::create_dir_all(&f).map_err(|e| Error::write(&f, e))?;
        }
        Ok(())
    }

    /// Writes `bytes` as the file `rel`.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(rel);
        if self.live {
            let part = part_path(&path);
            std::fs::write(&part, bytes).map_err(|e| Error::write(&part, e))?;
            std::fs::rename(&part, &path).map_err(|e| Error::write(&path, e))?;
        } else {
            std::fs::write(&path, bytes).map_err(|e| Error::write(&path, e))?;
        }
        self.count(bytes.len() as u64);
        Ok(())
    }

    /// Copies the file `from` to `rel`; an unreadable `from` is a read error.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let to = self.dir.join(rel);
        let target = if self.live {
            part_path(&to)
        } else {
            to.clone()
        };
        let n = std::fs::copy(from, &target).map_err(|e| {
            if std::fs::metadata(from).is_err() {
                Error::Read {
                    path: from.to_path_buf(),
                    source: e,
                }
            } else {
                Error::write(&target, e)
            }
        })?;
        if self.live {
            std::fs::rename(&target, &to).map_err(|e| Error::write(&to, e))?;
        }
        self.count(n);
        Ok(())
    }

    /// A file `rel` written piece by piece ([`Stream::finish`] counts it).
    pub fn stream(&self, rel: &str) -> Result<Stream<'_>> {
        let path = self.dir.join(rel);
        let (writing, rename_to) = if self.live {
            (part_path(&path), Some(path))
        } else {
            (path, None)
        };
        let file = std::fs::File::create(&writing).map_err(|e| Error::write(&writing, e))?;
        Ok(Stream {
            out: std::io::BufWriter::with_capacity(1 << 16, file),
            path: writing,
            rename_to,
            bytes: 0,
            writer: self,
        })
    }

    /// Files and bytes written so far.
    pub fn totals(&self) -> (usize, u64) {
        *self.written.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn count(&self, bytes: u64) {
        let mut w = self.written.lock().unwrap_or_else(|e| e.into_inner());
        w.0 += 1;
        w.1 += bytes;
    }
}

/// A file being written piece by piece (see [`Writer::stream`]).
pub struct Stream<'w> {
    out: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    /// Where the finished file goes, when it is written beside its place.
    rename_to: Option<PathBuf>,
    bytes: u64,
    writer: &'w Writer,
}

impl Stream<'_> {
    /// Appends `s`.
    pub fn put(&mut self, s: &str) -> Result<()> {
        use std::io::Write;
        self.bytes += s.len() as u64;
        self.out
            .write_all(s.as_bytes())
            .map_err(|e| Error::write(&self.path, e))
    }

    /// Closes the file (and moves it into place), and counts it.
    pub fn finish(mut self) -> Result<()> {
        use std::io::Write;
        self.out.flush().map_err(|e| Error::write(&self.path, e))?;
        if let Some(to) = &self.rename_to {
            std::fs::rename(&self.path, to).map_err(|e| Error::write(to, e))?;
        }
        self.writer.count(self.bytes);
        Ok(())
    }
}

/// Where a file is written before it is renamed over `path`.
fn part_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".archbook-part");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_counted_once_whichever_way_it_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let from = tmp.path().join("from.txt");
        std::fs::write(&from, "12345").unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir(&site).unwrap();
        for w in [Writer::new(&site), Writer::live(&site)] {
            w.folders(["a/b/c.html", "a/d.html", "top.html"]).unwrap();
            w.write("a/b/c.html", b"abc").unwrap();
            w.copy(&from, "a/d.txt").unwrap();
            let mut s = w.stream("print.html").unwrap();
            s.put("12").unwrap();
            s.put("34").unwrap();
            s.finish().unwrap();
            assert_eq!(w.totals(), (3, 3 + 5 + 4));
            assert_eq!(
                std::fs::read_to_string(site.join("print.html")).unwrap(),
                "1234"
            );
            // Nothing is left beside the files.
            let left: Vec<_> = walkdir::WalkDir::new(&site)
                .into_iter()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().contains("part"))
                .collect();
            assert!(left.is_empty(), "{left:?}");
        }
        let missing = Writer::new(&site).copy(&tmp.path().join("nope"), "x");
        assert!(matches!(missing, Err(Error::Read { .. })));
    }

    /// A temporary folder holding a handbook folder `hb` with its `src`.
    fn handbook() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hb");
        let src = root.join("src");
        std::fs::create_dir_all(&src).unwrap();
        (tmp, root, src)
    }

    #[test]
    fn dangerous_targets_are_refused() {
        let (tmp, root, src) = handbook();
        for bad in [
            Path::new("/"),
            root.as_path(),
            src.as_path(),
            tmp.path(),
            &src.join("out"),
        ] {
            let e = stage(&root, &src, bad).unwrap_err();
            assert!(matches!(e, Error::UnsafeOutput { .. }), "{bad:?}: {e}");
        }
        let docs = tmp.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("thesis.txt"), "precious").unwrap();
        assert!(stage(&root, &src, &docs).is_err());
        assert!(docs.join("thesis.txt").exists());
    }

    #[cfg(unix)]
    /// `archbook build hb -o /var/www` used to replace any folder holding an
    /// `index.html`, with whatever else lived there.
    #[test]
    fn only_folders_archbook_wrote_are_replaced() {
        let (tmp, root, src) = handbook();
        let www = tmp.path().join("www");
        std::fs::create_dir_all(www.join("sub")).unwrap();
        std::fs::write(www.join("index.html"), "<h1>Our intranet</h1>").unwrap();
        std::fs::write(www.join("photos.txt"), "precious").unwrap();
        std::fs::write(www.join("sub/data.db"), "precious").unwrap();
        let e = stage(&root, &src, &www).unwrap_err();
        assert!(e.to_string().contains(".archbook-site"), "{e}");
        // A marker that is a link (to a file anywhere) proves nothing.
        std::os::unix::fs::symlink(www.join("photos.txt"), www.join(MARKER)).unwrap();
        assert!(stage(&root, &src, &www).is_err());
        std::fs::remove_file(www.join(MARKER)).unwrap();
        assert!(www.join("photos.txt").exists() && www.join("sub/data.db").exists());
        assert!(
            std::fs::read_dir(tmp.path())
                .unwrap()
                .flatten()
                .all(|e| !e.file_name().to_string_lossy().contains("archbook-tmp")),
            "no staging folder is left"
        );

        // A site archbook wrote carries the marker, and is replaced next time.
        let out = tmp.path().join("site");
        let s = stage(&root, &src, &out).unwrap();
        std::fs::write(s.dir.join("index.html"), "one").unwrap();
        s.commit().unwrap();
        assert!(is_archbooks(&out));
        let s = stage(&root, &src, &out).unwrap();
        std::fs::write(s.dir.join("index.html"), "two").unwrap();
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(is_archbooks(&out));
    }

    #[test]
    fn commit_swaps_and_abort_keeps_the_old_site() {
        let (_tmp, root, src) = handbook();
        let out = root.join("book");
        let s = stage(&root, &src, &out).unwrap();
        std::fs::write(s.dir.join("index.html"), "one").unwrap();
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );

        let s = stage(&root, &src, &out).unwrap();
        std::fs::write(s.dir.join("index.html"), "two").unwrap();
        s.abort();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );

        let s = stage(&root, &src, &out).unwrap();
        std::fs::write(s.dir.join("index.html"), "three").unwrap();
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "three"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn folders_of_dead_builds_are_swept() {
        let (_tmp, root, src) = handbook();
        // No process has pid 4294967295; this test's own pid is alive.
        let dead = root.join(".book.archbook-tmp-4294967295");
        let alive = root.join(format!(".book.archbook-old-{}", std::process::id()));
        let other = root.join(".other.archbook-tmp-4294967295");
        for d in [&dead, &alive, &other] {
            std::fs::create_dir_all(d.join("x")).unwrap();
        }
        let s = stage(&root, &src, &root.join("book")).unwrap();
        assert!(!dead.exists(), "a dead build's staging folder stays");
        assert!(alive.exists() && other.exists());
        s.abort();
    }
}
