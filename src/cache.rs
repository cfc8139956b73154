//! The cache of highlighted code on disk, between one-off builds.
//!
//! Highlighting is most of a build's work, and most code blocks are the
//! same from one build to the next. `archbook build` loads the blocks the
//! last build of the same handbook highlighted, takes from them the blocks
//! whose syntax and code are unchanged, and writes back the blocks this
//! build showed (so the file holds one build's blocks, never more than
//! [`MAX_BYTES`]). A file holds its archbook's identity ([`identity`]): the
//! markup of another archbook, even the same version rebuilt, is never
//! used.
//!
//! The cache lives in the user's cache folder, not in the handbook: a
//! handbook from someone else cannot bring markup of its own into it. The
//! folder is `ARCHBOOK_CACHE_DIR` when set (empty: no cache), else
//! `$XDG_CACHE_HOME/archbook` or `~/.cache/archbook` (on macOS
//! `~/Library/Caches/archbook`, on Windows `%LOCALAPPDATA%\archbook`). A
//! handbook's file not written for [`UNUSED_DAYS`] is deleted by the next
//! build of any handbook.
//!
//! Used by the `build` command and `site::fresh`; reads and writes only its
//! folder.

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::highlight::{self, Cache};

/// The most bytes of code and markup a handbook's file holds.
pub const MAX_BYTES: usize = 64 << 20;

/// A handbook's file unused this long is deleted.
pub const UNUSED_DAYS: u64 = 30;

/// The start of every file: its format.
const MAGIC: &[u8] = b"archbook highlighted blocks 1\n";

/// What identifies this archbook: its version and its binary (size, times,
/// inode), so a rebuilt binary of the same version is another archbook.
pub fn identity() -> Option<u64> {
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    exe.len().hash(&mut h);
    exe.modified().ok().hash(&mut h);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (exe.ino(), exe.dev(), exe.ctime(), exe.ctime_nsec()).hash(&mut h);
    }
    Some(h.finish())
}

/// The cache folder (see the module's documentation), if there is one.
pub fn folder() -> Option<PathBuf> {
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = std::env::var_os("ARCHBOOK_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    if cfg!(windows) {
        return var("LOCALAPPDATA").map(|d| d.join("archbook"));
    }
    if cfg!(target_os = "macos") {
        return var("HOME").map(|h| h.join("Library/Caches/archbook"));
    }
    var("XDG_CACHE_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".cache")))
        .map(|d| d.join("archbook"))
}

/// One handbook's highlighted blocks on disk.
#[derive(Debug)]
pub struct Blocks {
    file: PathBuf,
    identity: u64,
}

impl Blocks {
    /// The file of the handbook in `root`, if there is a cache folder.
    pub fn of(root: &Path) -> Option<Blocks> {
        let root = root.canonicalize().ok()?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        root.hash(&mut h);
        Some(Blocks {
            file: folder()?.join(format!("blocks-{:016x}", h.finish())),
            identity: identity()?,
        })
    }

    /// A highlight cache holding the blocks of the last build, or none
    /// when there is no file, or it is another archbook's or damaged.
    pub fn load(&self) -> Cache {
        let cache = Cache::bounded(MAX_BYTES);
        let Ok(bytes) = std::fs::read(&self.file) else {
            return cache;
        };
        let Some(mut rest) = bytes.strip_prefix(MAGIC) else {
            return cache;
        };
        if take_u64(&mut rest) != Some(self.identity) {
            return cache;
        }
        while !rest.is_empty() {
            let (Some(name), Some(code), Some(html)) = (
                take_str(&mut rest),
                take_str(&mut rest),
                take_str(&mut rest),
            ) else {
                // Cut short: what was read is sound, the rest is dropped.
                break;
            };
            if let Some(syntax) = highlight::syntax_named(name) {
                cache.preload(syntax, code.to_string(), Arc::from(html));
            }
        }
        cache
    }

    /// Writes the blocks `cache` holds from this build, replacing the file
    /// in one step, and deletes handbooks' files unused for
    /// [`UNUSED_DAYS`]. Takes the cache, which it frees as it writes.
    pub fn save(&self, cache: Cache) -> std::io::Result<()> {
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = self
            .file
            .with_extension(format!("tmp-{}", std::process::id()));
        // Written as it goes: a copy of up to MAX_BYTES in memory would
        // come on top of the build's peak.
        let write = |file: std::fs::File| -> std::io::Result<()> {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            out.write_all(MAGIC)?;
            out.write_all(&self.identity.to_le_bytes())?;
            let mut size = MAGIC.len() + 8;
            for (name, code, html) in cache.into_entries() {
                if size + code.len() + html.len() > MAX_BYTES {
                    break;
                }
                for text in [name, code.as_str(), &html] {
                    out.write_all(&(text.len() as u64).to_le_bytes())?;
                    out.write_all(text.as_bytes())?;
                    size += 8 + text.len();
                }
            }
            // No fsync: a file cut short by a crash loads what is sound.
            out.flush()
        };
        let written = std::fs::File::create(&tmp)
            .and_then(write)
            .and_then(|()| std::fs::rename(&tmp, &self.file));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        prune(dir);
        written
    }
}

/// Deletes handbooks' files (and left-over temporary files) not written for
/// [`UNUSED_DAYS`].
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let old = std::time::Duration::from_secs(UNUSED_DAYS * 86_400);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let ours = name.to_str().is_some_and(|n| n.starts_with("blocks-"));
        let stale = entry
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > old);
        if ours && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn take_u64(rest: &mut &[u8]) -> Option<u64> {
    let (head, tail) = rest.split_first_chunk::<8>()?;
    *rest = tail;
    Some(u64::from_le_bytes(*head))
}

fn take_str<'a>(rest: &mut &'a [u8]) -> Option<&'a str> {
    let len = usize::try_from(take_u64(rest)?).ok()?;
    if len > rest.len() {
        return None;
    }
    let (text, tail) = rest.split_at(len);
    *rest = tail;
    std::str::from_utf8(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::{Highlighted, Language, language};

    fn rust() -> highlight::Syntax {
        match language("rust") {
            Language::Known(s) => s,
            _ => unreachable!(),
        }
    }

    fn blocks(dir: &Path) -> Blocks {
        Blocks {
            file: dir.join("blocks-test"),
            identity: 7,
        }
    }

    #[test]
    fn blocks_come_back_from_disk_and_only_to_the_same_archbook() {
        let dir = tempfile::tempdir().unwrap();
        let store = blocks(dir.path());
        let cache = store.load();
        let code = "fn main() {}\n";
        let fresh = Highlighted::new([(rust(), code.into())], Some(&cache));
        store.save(cache).unwrap();
        // Another process: the block comes from the file. Marked markup
        // tells it from a block highlighted again.
        let loaded = store.load();
        let again = Highlighted::new([(rust(), code.into())], Some(&loaded));
        assert_eq!(again.get(rust(), code), fresh.get(rust(), code));
        drop(again);
        let entries = loaded.into_entries();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].0, "Rust");
        // Another archbook's file is not read.
        let other = Blocks {
            identity: 8,
            ..blocks(dir.path())
        };
        assert!(other.load().into_entries().is_empty());
        let reloaded = store.load();
        reloaded.preload(rust(), code.into(), Arc::from("<b>mine</b>"));
        let from_file = Highlighted::new([(rust(), code.into())], Some(&reloaded));
        assert_eq!(from_file.get(rust(), code), Some("<b>mine</b>"));
    }

    #[test]
    fn a_damaged_file_loads_what_is_sound() {
        let dir = tempfile::tempdir().unwrap();
        let store = blocks(dir.path());
        let cache = Cache::default();
        Highlighted::new(
            [
                (rust(), "fn a() {}\n".into()),
                (rust(), "fn b() {}\n".into()),
            ],
            Some(&cache),
        );
        store.save(cache).unwrap();
        let mut bytes = std::fs::read(&store.file).unwrap();
        bytes.truncate(bytes.len() - 3);
        std::fs::write(&store.file, &bytes).unwrap();
        let loaded = store.load();
        let got = Highlighted::new([(rust(), "fn a() {}\n".into())], Some(&loaded));
        assert!(got.get(rust(), "fn a() {}\n").is_some());
        std::fs::write(&store.file, b"garbage").unwrap();
        assert!(store.load().into_entries().is_empty());
    }

    #[test]
    fn a_one_off_builds_cache_stops_at_its_bound() {
        let code = "fn a() {}\n";
        let one = Cache::default();
        Highlighted::new([(rust(), code.into())], Some(&one));
        let size = code.len() + one.into_entries()[0].2.len();
        let bounded = Cache::bounded(size + 5);
        Highlighted::new(
            [(rust(), code.into()), (rust(), "fn b() {}\n".into())],
            Some(&bounded),
        );
        assert_eq!(bounded.into_entries().len(), 1);
    }

    #[test]
    fn the_folder_follows_the_environment() {
        // Read only: the test does not change the process's environment.
        match std::env::var_os("ARCHBOOK_CACHE_DIR") {
            Some(d) if d.is_empty() => assert_eq!(folder(), None),
            Some(d) => assert_eq!(folder(), Some(PathBuf::from(d))),
            None => assert!(folder().is_none_or(|f| f.ends_with("archbook"))),
        }
    }
}
