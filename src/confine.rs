//! Read confinement: what archbook may read while it builds a handbook.
//!
//! A handbook may come from anyone (a pull request, a cloned repository), and
//! whatever archbook reads can end up in the published site. So every file it
//! reads on the handbook's behalf (pages, `SUMMARY.md`, static files,
//! `{{#include}}`d files, `additional-css`/`additional-js`, theme files) goes
//! through a [`Scope`]:
//!
//! - its real path (symbolic links resolved) lies inside the handbook's
//!   folder (the one holding `book.toml`) or inside a folder `book.toml`
//!   names in `[build] extra-watch-dirs` (mdBook books include code from
//!   `../examples`);
//! - no folder or file on its way from there is hidden: `.git/config` holds
//!   the token a CI checkout was made with, `.env` files hold secrets;
//! - it is a regular file: never a device (`/dev/zero`), a FIFO (which would
//!   block for ever), a socket or anything under `/proc`, `/sys` or `/dev`;
//! - it is read up to a size limit.
//!
//! A scope may instead answer from a [`Tree`] held in memory (a git
//! revision's files, read by the `git` module): then nothing under the tree's root
//! is read from the disk, and nothing outside it is read at all.
//!
//! Used by `load`, `include`, `theme`, `site` and `session`; reads only.

use std::fmt;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Folders never read from, whatever a handbook names: the kernel's views of
/// processes (`/proc/self/environ` holds CI secrets), devices and the system.
const SYSTEM: &[&str] = &["/proc", "/sys", "/dev"];

/// The largest file archbook reads for a handbook (a page, an included file,
/// a static file it inspects): 64 MiB.
pub const MAX_FILE: u64 = 64 << 20;

/// Where a handbook may read from.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Real (canonical) paths of the folders reads are confined to. Empty:
    /// nothing is confined (a `Scope::default()`, for tests of pieces).
    roots: Vec<PathBuf>,
    /// The files, when they are held in memory rather than on disk.
    tree: Option<Arc<Tree>>,
    /// Texts that stand in for files on disk (an editor's unsaved
    /// buffers), by real path: read instead of the file, after the same
    /// checks.
    overlay: Option<Arc<Overlay>>,
}

/// What [`Scope::read_located`] read.
#[derive(Debug)]
pub struct Located {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its real (canonical) path.
    pub real: PathBuf,
    /// The bytes are an unsaved text of the overlay, not the file's.
    pub unsaved: bool,
}

/// Unsaved texts by real (canonical) path.
pub type Overlay = std::collections::HashMap<PathBuf, Arc<str>>;

/// A handbook's files held in memory: a folder as it was at a git revision.
/// Paths are relative to [`Tree::root`], a path that stands for the folder
/// and is never looked up on disk. It holds no symbolic links.
#[derive(Debug, Default)]
pub struct Tree {
    /// The path the handbook's folder goes by.
    pub root: PathBuf,
    /// Every file, by path from the root.
    pub files: rustc_hash::FxHashMap<PathBuf, Blob>,
    /// The files' paths in the order a walk of the folder lists them
    /// (sorted by components).
    pub order: Vec<PathBuf>,
    /// Every folder, by path from the root.
    pub dirs: rustc_hash::FxHashSet<PathBuf>,
}

/// A file of a [`Tree`].
#[derive(Clone, Debug)]
pub enum Blob {
    /// Its bytes.
    Bytes(Arc<[u8]>),
    /// Only its size: larger than [`MAX_FILE`], never read.
    TooLarge(u64),
}

impl Tree {
    /// `path` (which may hold `..`) as a path from the root, if it is under it.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let rest = path.strip_prefix(&self.root).ok()?;
        let mut out = PathBuf::new();
        for c in rest.components() {
            match c {
                Component::Normal(n) => out.push(n),
                Component::CurDir => {}
                Component::ParentDir => {
                    if !out.pop() {
                        return None;
                    }
                }
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        Some(out)
    }
}

/// Why a read was refused.
#[derive(Debug)]
pub enum Refusal {
    /// The file's real path lies outside the handbook and its named folders.
    Outside {
        /// Where the path really leads (links resolved).
        target: PathBuf,
    },
    /// The real path passes through a hidden folder or names a hidden file
    /// (`.git/config`, `.env`).
    Hidden {
        /// Where the path really leads.
        target: PathBuf,
    },
    /// The real path lies in `/proc`, `/sys` or `/dev`.
    System {
        /// Where the path really leads.
        target: PathBuf,
    },
    /// Not a regular file: a folder, device, FIFO or socket.
    NotAFile {
        /// What it is.
        kind: &'static str,
    },
    /// Larger than the limit.
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The file cannot be read at all.
    Io(std::io::Error),
}

impl Refusal {
    /// True for refusals of the confinement itself (a path leading outside,
    /// or into the system's folders, or a special file): always errors.
    pub fn is_confinement(&self) -> bool {
        !matches!(self, Refusal::Io(_) | Refusal::TooLarge { .. })
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            Refusal::Outside { .. } => {
                "archbook reads only inside the handbook's folder (the one holding book.toml) and the folders named in `extra-watch-dirs` under [build] in book.toml; add the folder there if the handbook should read from it"
            }
            Refusal::System { .. } => {
                "files under /proc, /sys and /dev are never read; copy what the page should show into the handbook"
            }
            Refusal::Hidden { .. } => {
                "hidden files and folders (such as .git, which holds a CI checkout's token, or .env) are never read; copy what the page should show into a file that is not hidden"
            }
            Refusal::NotAFile { .. } => {
                "only regular files are read; devices, FIFOs and sockets never are"
            }
            Refusal::TooLarge { .. } => "split the file, or include a line range of it",
            Refusal::Io(_) => "check that the file exists and is readable",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Outside { target } => write!(
                f,
                "it leads to `{}`, outside the handbook's folder",
                target.display()
            ),
            Refusal::System { target } => {
                write!(f, "it leads to `{}`, a system file", target.display())
            }
            Refusal::Hidden { target } => write!(
                f,
                "it leads to `{}`, a hidden file or a file in a hidden folder",
                target.display()
            ),
            Refusal::NotAFile { kind } => write!(f, "it is {kind}, not a regular file"),
            Refusal::TooLarge { limit } => {
                write!(f, "it is larger than {} MiB", limit >> 20)
            }
            Refusal::Io(e) => write!(f, "{e}"),
        }
    }
}

impl Scope {
    /// Reads confined to `root` and the folders `extra` (relative to `root`,
    /// as `extra-watch-dirs` names them). Returns the folders refused as
    /// roots, with why: the file system's root, the home folder or one
    /// holding it, and system folders are never a place to read a handbook
    /// from. Folders that do not exist are left out.
    pub fn new(root: &Path, extra: &[String]) -> (Scope, Vec<(String, &'static str)>) {
        let mut roots = Vec::new();
        let mut refused = Vec::new();
        if let Ok(real) = root.canonicalize() {
            roots.push(real);
        }
        let home = std::env::var_os("HOME").and_then(|h| PathBuf::from(h).canonicalize().ok());
        for dir in extra {
            let Ok(real) = root.join(dir).canonicalize() else {
                continue;
            };
            let why = if real.parent().is_none() {
                Some("it is the root of the file system")
            } else if home.as_ref().is_some_and(|h| h.starts_with(&real)) {
                Some("it is (or holds) the home folder")
            } else if is_system(&real) {
                Some("it is a system folder")
            } else {
                None
            };
            match why {
                Some(why) => refused.push((dir.clone(), why)),
                None => roots.push(real),
            }
        }
        (
            Scope {
                roots,
                tree: None,
                overlay: None,
            },
            refused,
        )
    }

    /// Reads answered from `tree`, confined to it.
    pub fn of_tree(tree: Arc<Tree>) -> Scope {
        Scope {
            roots: vec![tree.root.clone()],
            tree: Some(tree),
            overlay: None,
        }
    }

    /// The same scope, reading `overlay`'s texts instead of their files.
    pub fn with_overlay(mut self, overlay: Option<Arc<Overlay>>) -> Scope {
        self.overlay = overlay;
        self
    }

    /// The overlay, if any.
    pub fn overlay(&self) -> Option<&Arc<Overlay>> {
        self.overlay.as_ref()
    }

    /// The in-memory files, if reads are answered from memory.
    pub fn tree(&self) -> Option<&Arc<Tree>> {
        self.tree.as_ref()
    }

    /// Whether `path` is a folder (in the tree, when there is one).
    pub fn is_dir(&self, path: &Path) -> bool {
        match &self.tree {
            Some(t) => t
                .relative(path)
                .is_some_and(|r| r.as_os_str().is_empty() || t.dirs.contains(&r)),
            None => path.is_dir(),
        }
    }

    /// Whether `path` exists at all (in the tree, when there is one).
    pub fn exists(&self, path: &Path) -> bool {
        match &self.tree {
            Some(t) => t
                .relative(path)
                .is_some_and(|r| t.files.contains_key(&r) || t.dirs.contains(&r)),
            None => path.symlink_metadata().is_ok(),
        }
    }

    /// The checks of [`Scope::check`] for a path of the in-memory tree.
    fn check_tree(&self, t: &Tree, path: &Path, dir: bool) -> Result<PathBuf, Refusal> {
        let Some(rel) = t.relative(path) else {
            return Err(Refusal::Outside {
                target: path.to_path_buf(),
            });
        };
        let real = t.root.join(&rel);
        self.inside(&real)?;
        let is_dir = rel.as_os_str().is_empty() || t.dirs.contains(&rel);
        match (dir, is_dir, t.files.contains_key(&rel)) {
            (true, true, _) | (false, _, true) => Ok(real),
            (false, true, _) => Err(Refusal::NotAFile { kind: "a folder" }),
            _ => Err(Refusal::Io(std::io::ErrorKind::NotFound.into())),
        }
    }

    /// Checks that `path` may be read: its real path lies inside the scope
    /// and it is a regular file. Returns the real path.
    pub fn check(&self, path: &Path) -> Result<PathBuf, Refusal> {
        if let Some(t) = &self.tree {
            return self.check_tree(t, path, false);
        }
        let real = path.canonicalize().map_err(Refusal::Io)?;
        if is_system(&real) {
            return Err(Refusal::System { target: real });
        }
        self.inside(&real)?;
        let meta = std::fs::metadata(&real).map_err(Refusal::Io)?;
        if !meta.is_file() {
            return Err(Refusal::NotAFile {
                kind: kind_of(&meta.file_type()),
            });
        }
        Ok(real)
    }

    /// Whether a folder reached through a symbolic link may be entered.
    pub fn check_dir(&self, path: &Path) -> Result<(), Refusal> {
        if let Some(t) = &self.tree {
            return self.check_tree(t, path, true).map(drop);
        }
        let real = path.canonicalize().map_err(Refusal::Io)?;
        if is_system(&real) {
            return Err(Refusal::System { target: real });
        }
        self.inside(&real)
    }

    /// Whether a real path lies inside a root, through no hidden entry.
    fn inside(&self, real: &Path) -> Result<(), Refusal> {
        let rest = if self.roots.is_empty() {
            Some(real)
        } else {
            self.roots
                .iter()
                .filter_map(|r| real.strip_prefix(r).ok())
                .min_by_key(|rest| rest.components().count())
        };
        let Some(rest) = rest else {
            return Err(Refusal::Outside {
                target: real.to_path_buf(),
            });
        };
        let hidden = rest.components().any(|c| {
            c.as_os_str()
                .to_str()
                .is_some_and(|s| s.starts_with('.') && s.len() > 1)
        });
        if hidden && !self.roots.is_empty() {
            return Err(Refusal::Hidden {
                target: real.to_path_buf(),
            });
        }
        Ok(())
    }

    /// Reads `path` after [`Scope::check`], at most `limit` bytes. The file
    /// is opened without blocking (a FIFO swapped in after the check cannot
    /// stall the build) and checked again once open.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
        self.read_located(path, limit).map(|r| r.bytes)
    }

    /// [`Scope::read`], telling also where the file really is and whether
    /// its text came from the overlay.
    pub fn read_located(&self, path: &Path, limit: u64) -> Result<Located, Refusal> {
        let real = self.check(path)?;
        if let Some(text) = self.overlay.as_ref().and_then(|o| o.get(&real)) {
            return match text.len() as u64 <= limit {
                true => Ok(Located {
                    bytes: text.as_bytes().to_vec(),
                    real,
                    unsaved: true,
                }),
                false => Err(Refusal::TooLarge { limit }),
            };
        }
        let bytes = self.read_real(&real, limit)?;
        Ok(Located {
            bytes,
            real,
            unsaved: false,
        })
    }

    /// Reads a checked real path from the tree or the disk.
    fn read_real(&self, real: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
        if let Some(t) = &self.tree {
            let rel = real.strip_prefix(&t.root).unwrap_or(real);
            return match t.files.get(rel) {
                Some(Blob::Bytes(b)) if b.len() as u64 <= limit => Ok(b.to_vec()),
                Some(_) => Err(Refusal::TooLarge { limit }),
                None => Err(Refusal::Io(std::io::ErrorKind::NotFound.into())),
            };
        }
        let file = open_nonblocking(real).map_err(Refusal::Io)?;
        let meta = file.metadata().map_err(Refusal::Io)?;
        if !meta.is_file() {
            return Err(Refusal::NotAFile {
                kind: kind_of(&meta.file_type()),
            });
        }
        if meta.len() > limit {
            return Err(Refusal::TooLarge { limit });
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(Refusal::Io)?;
        if bytes.len() as u64 > limit {
            return Err(Refusal::TooLarge { limit });
        }
        Ok(bytes)
    }

    /// [`Scope::read`] as UTF-8 text (invalid bytes replaced).
    pub fn read_text(&self, path: &Path, limit: u64) -> Result<String, Refusal> {
        let bytes = self.read(path, limit)?;
        Ok(String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }
}

fn is_system(real: &Path) -> bool {
    SYSTEM.iter().any(|s| real.starts_with(s))
}

fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

#[cfg(target_os = "linux")]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
}

#[cfg(not(target_os = "linux"))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn handbook() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hb");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(tmp.path().join("examples")).unwrap();
        std::fs::write(root.join("src/a.md"), "# A\n").unwrap();
        std::fs::write(tmp.path().join("examples/x.rs"), "fn x() {}\n").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "TOP-SECRET").unwrap();
        (tmp, root)
    }

    #[test]
    fn reads_stay_inside_the_handbook_and_named_folders() {
        let (tmp, root) = handbook();
        let (scope, refused) = Scope::new(&root, &[]);
        assert!(refused.is_empty());
        assert!(scope.read(&root.join("src/a.md"), MAX_FILE).is_ok());
        let outside = root.join("src/../../secret.txt");
        assert!(matches!(
            scope.read(&outside, MAX_FILE),
            Err(Refusal::Outside { .. })
        ));
        assert!(matches!(
            scope.read(&root.join("../examples/x.rs"), MAX_FILE),
            Err(Refusal::Outside { .. })
        ));
        // A link inside leading out is judged by where it leads.
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("src/s.md")).unwrap();
        assert!(matches!(
            scope.read(&root.join("src/s.md"), MAX_FILE),
            Err(Refusal::Outside { .. })
        ));
        // Hidden files and folders are not, inside or out: `.git/config`
        // holds a CI checkout's token.
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(
            root.join(".git/config"),
            "extraheader = AUTHORIZATION: basic x",
        )
        .unwrap();
        std::fs::write(root.join(".env"), "TOKEN=x").unwrap();
        for hidden in ["src/../.git/config", ".env"] {
            assert!(
                matches!(
                    scope.read(&root.join(hidden), MAX_FILE),
                    Err(Refusal::Hidden { .. })
                ),
                "{hidden}"
            );
        }
        // Named in extra-watch-dirs, the sibling folder is readable.
        let (scope, _) = Scope::new(&root, &["../examples".to_string()]);
        assert!(scope.read(&root.join("../examples/x.rs"), MAX_FILE).is_ok());
        assert!(scope.read(&outside, MAX_FILE).is_err());
    }

    #[test]
    fn system_files_devices_and_fifos_are_never_read() {
        let (tmp, root) = handbook();
        let (scope, refused) = Scope::new(&root, &["/".into(), "/proc".into()]);
        assert_eq!(refused.len(), 2, "{refused:?}");
        for system in ["/proc/self/environ", "/dev/zero", "/etc/passwd"] {
            assert!(scope.read(Path::new(system), MAX_FILE).is_err(), "{system}");
        }
        assert!(matches!(
            scope.read(Path::new("/dev/zero"), MAX_FILE),
            Err(Refusal::System { .. })
        ));
        let fifo = root.join("src/pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                scope.read(&fifo, MAX_FILE),
                Err(Refusal::NotAFile { kind: "a FIFO" })
            ));
        }
        let big = tmp.path().join("hb/src/big.md");
        std::fs::write(&big, "x".repeat(100)).unwrap();
        assert!(matches!(
            scope.read(&big, 99),
            Err(Refusal::TooLarge { limit: 99 })
        ));
        assert_eq!(scope.read(&big, 100).unwrap().len(), 100);
    }
}
