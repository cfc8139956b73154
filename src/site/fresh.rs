//! Up-to-date builds: `archbook build` does nothing when the output folder
//! holds what a clean earlier build wrote from exactly the files there are
//! now, with the same settings and the same archbook, untouched since.
//!
//! Everything a build may read lies inside the handbook's folder and the
//! folders `extra-watch-dirs` names, and never under a hidden entry (the
//! `confine` module refuses anything else), so those folders' listings,
//! with each entry's size, times and inode, stand for the inputs; the
//! output folder is left out of them. A build that wrote the site writes
//! [`RECORD`] into its output folder: a fingerprint of the
//! inputs taken before anything was read, and one of the output's files
//! taken after they were written, with the findings it printed. The next
//! build takes the inputs' fingerprint again; when both match, it prints
//! those findings again and has nothing else to do.
//!
//! What it will not trust: a file changed within a clock tick of the
//! fingerprint (the change could leave its time as it was; the build is
//! then not recorded), a handbook compared with a git revision
//! (`changes-since` reads `.git`), a listing it cannot finish, or more than
//! [`MAX_ENTRIES`] entries. Change times and inodes, which neither `git`
//! nor `tar` can set, make a record copied in with a site useless.
//!
//! Used by the `build` command; reads `book.toml` and file metadata, and
//! writes only [`RECORD`].

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::config;
use crate::diagnostic::Sources;

/// The file in the output folder that records what the build was made from.
pub const RECORD: &str = ".archbook-build";

/// The most entries fingerprinted; a handbook folder holding more (a
/// `target` folder of compiled code, say) is always built.
pub const MAX_ENTRIES: usize = 200_000;

/// The first line of [`RECORD`]: its format.
const HEADER: &str = "archbook build record 1";

/// The inputs of one `archbook build`, fingerprinted before it reads them.
#[derive(Debug)]
pub struct Fresh {
    /// The output folder.
    target: PathBuf,
    /// The fingerprint of the inputs and settings.
    inputs: u64,
    /// Some input changed so recently that a later change might not show.
    racy: bool,
}

/// A build about to start: its output folder, and when it started.
#[derive(Clone, Debug)]
pub struct Plan {
    root: PathBuf,
    target: PathBuf,
    extra: Vec<String>,
    /// Taken before the build reads anything: a change after it is one the
    /// fingerprint may have missed.
    started: SystemTime,
}

impl Plan {
    /// The build of the handbook in `root` into `out` (default: its
    /// `build-dir`). `None` when the build must not be skipped whatever it
    /// finds: no readable `book.toml`, or a comparison with a git revision.
    pub fn new(root: &Path, out: Option<&Path>) -> Option<Plan> {
        let started = SystemTime::now();
        let toml = root.join("book.toml");
        // A regular file of a sane size only: a FIFO would block the read.
        let meta = std::fs::metadata(&toml).ok()?;
        if !meta.is_file() || meta.len() > crate::confine::MAX_FILE {
            return None;
        }
        let text = std::fs::read_to_string(toml).ok()?;
        let mut sources = Sources::default();
        let id = sources.add("book.toml".into(), std::sync::Arc::from(text.as_str()));
        // Its findings are the build's to print (and a record's to repeat).
        let config = config::parse(&text, id, &mut Vec::new());
        if config.changes_since.is_some() {
            return None;
        }
        let target = match out {
            Some(o) => o.to_path_buf(),
            None => root.join(&config.build_dir),
        };
        Some(Plan {
            root: root.to_path_buf(),
            target,
            extra: config.extra_watch_dirs,
            started,
        })
    }

    /// The output folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Whether an earlier build left a record in the output folder. Without
    /// one, the build need not wait for the fingerprint: it is taken beside
    /// the build, and a change made meanwhile is newer than
    /// [`Plan::new`]'s start, so the build is not recorded.
    pub fn has_record(&self) -> bool {
        self.target.join(RECORD).is_file()
    }

    /// Fingerprints the inputs, with `settings` (the options that shape the
    /// output). `None` when a listing fails or is too long.
    pub fn fingerprint(&self, settings: &[&str]) -> Option<Fresh> {
        let (root, target, started) = (&self.root, &self.target, self.started);
        let skip = resolved(target);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        HEADER.hash(&mut h);
        // A rebuilt archbook of the same version is another archbook.
        crate::cache::identity()?.hash(&mut h);
        settings.hash(&mut h);
        skip.hash(&mut h);
        // The health view counts days from today.
        crate::render::views::health::today().hash(&mut h);
        let mut newest = SystemTime::UNIX_EPOCH;
        let mut coarse = true;
        let mut entries = 0usize;
        // The entries' prints are added up, so the listing's order (the
        // folder's own, unsorted) does not matter.
        let mut listing = 0u64;
        let mut roots = vec![root.to_path_buf()];
        roots.extend(self.extra.iter().map(|d| root.join(d)));
        for dir in roots {
            let Ok(dir) = dir.canonicalize() else {
                // A folder named but absent: the build reads nothing there.
                "absent".hash(&mut h);
                continue;
            };
            dir.hash(&mut h);
            // Links are not followed (walkdir opens every folder on the
            // way to check for loops, which took longer than the listing):
            // a linked file counts by its target, and a linked folder
            // leaves the build unrecorded.
            let walk = walkdir::WalkDir::new(&dir)
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !(hidden(e.file_name()) || e.path() == skip));
            for entry in walk {
                let entry = entry.ok()?;
                entries += 1;
                if entries > MAX_ENTRIES {
                    return None;
                }
                let meta = if entry.path_is_symlink() {
                    let meta = std::fs::metadata(entry.path()).ok()?;
                    if meta.is_dir() {
                        return None;
                    }
                    meta
                } else {
                    entry.metadata().ok()?
                };
                let stat = Stat::of(&meta);
                listing = listing.wrapping_add(entry_print(&dir, entry.path(), &stat));
                coarse &= stat.coarse();
                newest = newest.max(stat.newest());
            }
        }
        (entries, listing).hash(&mut h);
        // Timestamps are taken from a coarse clock: a change right after
        // the listing may leave a time as it was if the time is that recent.
        let tick = if coarse {
            Duration::from_secs(2)
        } else {
            Duration::from_millis(100)
        };
        Some(Fresh {
            target: target.clone(),
            inputs: h.finish(),
            racy: newest + tick >= started,
        })
    }
}

impl Fresh {
    /// The output folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// What the last build into the output folder reported, when it was
    /// made from these inputs and the folder is as it left it.
    pub fn current(&self) -> Option<Recorded> {
        let text = std::fs::read(self.target.join(RECORD)).ok()?;
        let mut lines = text.splitn(5, |&b| b == b'\n');
        let mut line = || std::str::from_utf8(lines.next()?).ok().map(str::to_owned);
        if line()? != HEADER || line()? != format!("{:016x}", self.inputs) {
            return None;
        }
        let output = line()?;
        let mut counts = line()?
            .split(' ')
            .map(|n| n.parse::<usize>().ok())
            .collect::<Option<Vec<_>>>()?
            .into_iter();
        let (pages, views, warnings) = (counts.next()?, counts.next()?, counts.next()?);
        let findings = lines.next().unwrap_or_default().to_vec();
        let now = format!("{:016x}", output_print(&self.target)?);
        (output == now).then_some(Recorded {
            pages,
            views,
            warnings,
            findings,
        })
    }

    /// Records that the output folder now holds what a build from these
    /// inputs wrote, and what it reported. Does nothing when an input
    /// changed too recently to be sure of (the next build then builds).
    pub fn record(&self, report: &Recorded) -> std::io::Result<()> {
        let path = self.target.join(RECORD);
        if self.racy {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let Some(output) = output_print(&self.target) else {
            return Ok(());
        };
        let mut text = format!(
            "{HEADER}\n{:016x}\n{output:016x}\n{} {} {}\n",
            self.inputs, report.pages, report.views, report.warnings
        )
        .into_bytes();
        text.extend_from_slice(&report.findings);
        std::fs::write(path, text)
    }
}

/// What a recorded build reported.
#[derive(Debug, Default, PartialEq)]
pub struct Recorded {
    /// Pages written.
    pub pages: usize,
    /// Views written.
    pub views: usize,
    /// Warnings found (a build with errors writes nothing).
    pub warnings: usize,
    /// The findings as they were printed.
    pub findings: Vec<u8>,
}

/// The fingerprint of every entry of an output folder but [`RECORD`].
fn output_print(target: &Path) -> Option<u64> {
    let mut listing = 0u64;
    let mut entries = 0usize;
    for entry in walkdir::WalkDir::new(target) {
        let entry = entry.ok()?;
        // The folder's own times change as the record is written.
        if entry.depth() == 0 || (entry.depth() == 1 && entry.file_name() == RECORD) {
            continue;
        }
        entries += 1;
        if entries > MAX_ENTRIES {
            return None;
        }
        let stat = Stat::of(&entry.metadata().ok()?);
        listing = listing.wrapping_add(entry_print(target, entry.path(), &stat));
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (entries, listing).hash(&mut h);
    Some(h.finish())
}

/// One entry's print: its path below `dir` and what [`Stat`] holds.
fn entry_print(dir: &Path, path: &Path, stat: &Stat) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    let bytes = path.as_os_str().as_encoded_bytes();
    let below = dir.as_os_str().as_encoded_bytes().len();
    bytes.get(below..).unwrap_or(bytes).hash(&mut h);
    stat.hash(&mut h);
    h.finish()
}

/// What changes when a file or folder does.
#[derive(Hash)]
struct Stat {
    dir: bool,
    len: u64,
    modified: Option<SystemTime>,
    /// Unix: inode and device numbers, change time, permissions.
    #[cfg(unix)]
    unix: (u64, u64, i64, i64, u32),
}

impl Stat {
    /// A file's size, times and inode; of a folder, only that it is one:
    /// its times change as entries come and go, hidden ones included, and
    /// the listing has the entries that count.
    fn of(meta: &std::fs::Metadata) -> Stat {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        if meta.is_dir() {
            return Stat {
                dir: true,
                len: 0,
                modified: None,
                #[cfg(unix)]
                unix: (0, 0, 0, 0, 0),
            };
        }
        Stat {
            dir: false,
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            unix: (
                meta.ino(),
                meta.dev(),
                meta.ctime(),
                meta.ctime_nsec(),
                meta.mode(),
            ),
        }
    }

    /// The later of its modification and change times.
    fn newest(&self) -> SystemTime {
        let modified = self.modified.unwrap_or(SystemTime::UNIX_EPOCH);
        #[cfg(unix)]
        {
            let (_, _, secs, nanos, _) = self.unix;
            let changed = SystemTime::UNIX_EPOCH
                + Duration::new(secs.max(0) as u64, nanos.clamp(0, 999_999_999) as u32);
            modified.max(changed)
        }
        #[cfg(not(unix))]
        modified
    }

    /// Whether its times are whole seconds (a file system that keeps no
    /// finer times, or a file whose time was set so).
    fn coarse(&self) -> bool {
        self.dir
            || self
                .modified
                .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
                .is_none_or(|d| d.subsec_nanos() == 0)
    }
}

fn hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|s| s.starts_with('.') && s.len() > 1)
}

/// `path` with its existing part's links resolved, for comparing with
/// the entries of a listing.
fn resolved(path: &Path) -> PathBuf {
    match path.canonicalize() {
        Ok(p) => p,
        Err(_) => match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
                resolved(parent).join(name)
            }
            _ => std::env::current_dir()
                .map(|d| d.join(path))
                .unwrap_or_else(|_| path.to_path_buf()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handbook() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/a.md"), "# A\n").unwrap();
        dir
    }

    /// [`Plan::new`] and [`Plan::fingerprint`] in one.
    fn fresh_of(root: &Path, out: Option<&Path>, settings: &[&str]) -> Option<Fresh> {
        Plan::new(root, out)?.fingerprint(settings)
    }

    fn print(dir: &Path) -> u64 {
        fresh_of(dir, None, &[]).unwrap().inputs
    }

    #[test]
    fn the_fingerprint_follows_the_inputs_and_not_the_output() {
        let dir = handbook();
        let first = print(dir.path());
        assert_eq!(first, print(dir.path()));
        // The output folder and hidden entries are not inputs.
        std::fs::create_dir_all(dir.path().join("book/x")).unwrap();
        std::fs::write(dir.path().join("book/x/y.html"), "y").unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/HEAD"), "ref").unwrap();
        assert_eq!(first, print(dir.path()));
        // A new file anywhere else is.
        std::fs::write(dir.path().join("notes.txt"), "n").unwrap();
        let second = print(dir.path());
        assert_ne!(first, second);
        // So is an edit of the same size.
        std::fs::write(dir.path().join("src/a.md"), "# B\n").unwrap();
        assert_ne!(second, print(dir.path()));
        // And the settings.
        assert_ne!(
            fresh_of(dir.path(), None, &["x"]).unwrap().inputs,
            print(dir.path())
        );
    }

    #[test]
    fn a_comparison_with_git_or_an_unreadable_book_toml_is_never_skipped() {
        let dir = handbook();
        std::fs::write(
            dir.path().join("book.toml"),
            "[archbook]\nchanges-since = \"v1\"\n",
        )
        .unwrap();
        assert!(fresh_of(dir.path(), None, &[]).is_none());
        std::fs::remove_file(dir.path().join("book.toml")).unwrap();
        assert!(fresh_of(dir.path(), None, &[]).is_none());
    }

    #[test]
    fn a_record_holds_until_the_output_changes() {
        let dir = handbook();
        let out = dir.path().join("book");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("index.html"), "<p>hi</p>").unwrap();
        std::thread::sleep(Duration::from_millis(150));
        let fresh = fresh_of(dir.path(), None, &[]).unwrap();
        assert!(!fresh.racy);
        assert_eq!(fresh.current(), None, "nothing recorded yet");
        let report = Recorded {
            pages: 1,
            views: 2,
            warnings: 1,
            findings: b"warning: x\n\nwith blank lines\n".to_vec(),
        };
        fresh.record(&report).unwrap();
        assert_eq!(fresh.current(), Some(report));
        std::fs::write(out.join("index.html"), "<p>ho</p>").unwrap();
        assert_eq!(fresh.current(), None, "an edited output file");
        fresh.record(&Recorded::default()).unwrap();
        assert!(fresh.current().is_some());
        std::fs::write(out.join("extra.html"), "").unwrap();
        assert_eq!(fresh.current(), None, "a file added to the output");
    }

    #[test]
    #[cfg(unix)]
    fn a_book_toml_that_is_no_file_is_not_read() {
        let dir = handbook();
        std::fs::remove_file(dir.path().join("book.toml")).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join("book.toml"))
            .status()
            .unwrap();
        assert!(status.success());
        // Returns at once rather than waiting for a writer.
        assert!(fresh_of(dir.path(), None, &[]).is_none());
    }

    #[test]
    fn a_change_just_now_is_not_recorded() {
        let dir = handbook();
        let out = dir.path().join("book");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join(RECORD), "stale").unwrap();
        let fresh = fresh_of(dir.path(), None, &[]).unwrap();
        assert!(fresh.racy);
        fresh.record(&Recorded::default()).unwrap();
        assert!(!out.join(RECORD).exists());
        assert_eq!(fresh.current(), None);
    }
}
