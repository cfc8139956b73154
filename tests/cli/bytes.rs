//! The bytes a build writes: the same inputs give the same site whatever the
//! number of threads, the state of the cache of highlighted code or the
//! output folder, and the sites of the example handbook and of an mdBook
//! book (whose code is highlighted) are pinned file by file (a
//! change meant to be only faster that alters a byte fails here; a change of
//! design updates the snapshot, which names the files it touched).

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{fixtures, repo, stderr};

/// A fixed day, so the health view's ages do not move with the calendar.
const EPOCH: &str = "1790000000";

/// Builds `book` into `out` with `threads` worker threads and `cache` as the
/// cache folder ("" for none).
fn build(book: &Path, out: &Path, threads: &str, cache: &Path) {
    let out = assert_cmd::Command::cargo_bin("archbook")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("RAYON_NUM_THREADS", threads)
        .env("ARCHBOOK_CACHE_DIR", cache)
        .current_dir(book)
        .args(["build", ".", "-q", "-o"])
        .arg(out)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// FNV-1a, 64 bits: a fingerprint of a file that is the same on every
/// platform and Rust release (unlike `DefaultHasher`).
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Every file of a built site but the build's record, by path: its size and
/// fingerprint.
fn site(out: &Path) -> BTreeMap<String, (usize, u64)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(e.path()).unwrap();
            (rel, (bytes.len(), fingerprint(&bytes)))
        })
        .filter(|(rel, _)| rel != ".archbook-build")
        .collect()
}

/// The files whose bytes differ between two sites, or that only one has.
fn differences(
    a: &BTreeMap<String, (usize, u64)>,
    b: &BTreeMap<String, (usize, u64)>,
) -> Vec<String> {
    let mut names: Vec<String> = a.keys().chain(b.keys()).cloned().collect();
    names.sort();
    names.dedup();
    names.retain(|n| a.get(n) != b.get(n));
    names
}

fn same_site_every_way(book: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let (cache, none) = (tmp.path().join("cache"), Path::new(""));
    let one = tmp.path().join("one-thread");
    build(book, &one, "1", none);
    let one = site(&one);
    assert!(one.len() > 20, "{} files", one.len());
    for (name, threads, cache) in [
        // Two threads share the pages out in another order; the cache is
        // filled as they go.
        ("two-threads-cold-cache", "2", cache.as_path()),
        // The code now comes from the cache, not the highlighter.
        ("three-threads-warm-cache", "3", cache.as_path()),
    ] {
        let out = tmp.path().join(name);
        build(book, &out, threads, cache);
        let other = site(&out);
        assert_eq!(
            differences(&one, &other),
            Vec::<String>::new(),
            "{name} differs from a one-thread build without cache"
        );
    }
}

#[test]
fn the_example_handbook_is_the_same_whatever_the_threads_or_cache() {
    same_site_every_way(&repo());
}

#[test]
fn an_mdbook_book_is_the_same_whatever_the_threads_or_cache() {
    same_site_every_way(&fixtures("mdbook-real"));
}

/// Each file of `book`'s site: fingerprint, size and path, a line each.
fn listing(book: &Path) -> String {
    let tmp = tempfile::tempdir().unwrap();
    build(book, tmp.path(), "2", Path::new(""));
    site(tmp.path())
        .iter()
        .map(|(name, (len, hash))| format!("{hash:016x} {len:>8} {name}\n"))
        .collect()
}

#[test]
fn the_example_handbooks_site_is_as_reviewed() {
    insta::assert_snapshot!(listing(&repo()));
}

/// The example has no highlighted code; this book has Rust, TOML, console
/// sessions and hidden lines.
#[test]
fn an_mdbook_books_site_is_as_reviewed() {
    insta::assert_snapshot!(listing(&fixtures("mdbook-real")));
}
