//! Helpers: run the binary in a folder and capture what a user would see.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<sub>`.
pub fn fixtures(sub: &str) -> PathBuf {
    repo().join("tests/fixtures").join(sub)
}

/// The cache folder the tests' builds use (`ARCHBOOK_CACHE_DIR`), inside
/// the build folder rather than the user's.
pub fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("archbook-cache")
}

/// Runs `archbook <args>` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("archbook")
        .expect("binary built")
        .env("ARCHBOOK_CACHE_DIR", cache_dir())
        .current_dir(dir)
        .args(args)
        .output()
        .expect("archbook runs")
}

/// Runs `archbook <args>` in `dir`, killing it after `secs` seconds (a test
/// of something that once hung fails instead of hanging too).
pub fn run_within(dir: &Path, args: &[&str], secs: u64) -> Output {
    Command::cargo_bin("archbook")
        .expect("binary built")
        .env("ARCHBOOK_CACHE_DIR", cache_dir())
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(secs))
        .output()
        .expect("archbook runs")
}

/// Standard error as text, with the run time replaced so snapshots are stable.
pub fn stderr(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    normalise_time(&text)
}

/// Replaces `(12 ms)` with `(TIME)`.
pub fn normalise_time(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match (line.rfind(" ("), line.trim_end().ends_with(" ms)")) {
            (Some(i), true) => {
                out.push_str(&line[..i]);
                out.push_str(" (TIME)");
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// Appends `text` to the file at `path`.
pub fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

/// Writes each `(path, text)` under `dir`, making the folders on the way.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Replaces `from` (which must be there) with `to` in the file at `path`.
pub fn replace_in(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "`{from}` is not in {}", path.display());
    std::fs::write(path, s.replace(from, to)).unwrap();
}

/// Runs `archbook <args>` in `dir`, checks it exits with `code`, and returns
/// what it printed on standard error.
pub fn run_expecting(dir: &Path, args: &[&str], code: i32) -> String {
    let out = run(dir, args);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{text}");
    text
}

/// Every sub-folder of `dir`, sorted.
pub fn cases(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Copies a fixture into a fresh temporary folder.
pub fn copy_fixture(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(from, tmp.path());
    tmp
}

/// Copies a folder tree into `to` (created if missing).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs git in `dir` with a fixed identity and clock, so commits (and their
/// ids) are the same on every run.
pub fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
