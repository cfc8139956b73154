//! Up-to-date builds: a build of unchanged files into an untouched output
//! folder writes nothing and prints what the last one did; any change to
//! the inputs, the settings, the output or archbook builds again. And the
//! cache of highlighted code that builds share.

use std::path::Path;
use std::time::Duration;

use crate::util::{append, copy_fixture, fixtures, replace_in, run, stderr};

/// Past the window in which a change could hide from the fingerprint
/// (timestamps come from a coarse clock), so the next build is recorded.
fn settle() {
    std::thread::sleep(Duration::from_millis(150));
}

/// Builds `dir` into its `book` folder with `args` and returns standard error.
fn build(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["build", "."];
    all.extend_from_slice(args);
    let out = run(dir, &all);
    let text = stderr(&out);
    assert!(out.status.success(), "{text}");
    text
}

fn built(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("built: "))
}

fn up_to_date(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("up to date: "))
}

/// What identifies the file the build wrote: its inode and times.
fn stamp(path: &Path) -> (std::time::SystemTime, u64) {
    let meta = std::fs::metadata(path).unwrap();
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let ino = meta.len();
    (meta.modified().unwrap(), ino)
}

/// After `change`, the next build builds, and the one after is up to date.
fn builds_again_after(dir: &Path, what: &str, change: impl FnOnce(&Path), args: &[&str]) {
    change(dir);
    settle();
    let text = build(dir, args);
    assert!(built(&text), "{what}: not built again:\n{text}");
    let text = build(dir, args);
    assert!(up_to_date(&text), "{what}: not recorded:\n{text}");
}

#[test]
fn an_unchanged_handbook_is_not_built_again_and_its_findings_are_repeated() {
    let tmp = copy_fixture(&fixtures("warnings/absolute-link"));
    settle();
    let first = build(tmp.path(), &[]);
    assert!(built(&first), "{first}");
    assert!(
        first.contains("warning["),
        "the fixture has a warning: {first}"
    );
    let index = tmp.path().join("book/index.html");
    let before = stamp(&index);
    let again = build(tmp.path(), &[]);
    assert!(up_to_date(&again), "{again}");
    assert_eq!(stamp(&index), before, "nothing was written");
    // The same findings, then a line that says nothing was written.
    let findings = |t: &str| t[..t.find("built: ").or(t.find("up to date: ")).unwrap()].to_string();
    assert_eq!(findings(&first), findings(&again));
    assert!(
        again.contains("1 warning") && again.contains("nothing written"),
        "{again}"
    );
}

#[test]
fn warnings_about_book_toml_do_not_stop_the_record() {
    // The Rust Reference's book.toml has keys archbook does not know: its
    // builds were never recorded, and every rebuild took the full time.
    let tmp = copy_fixture(&fixtures("warnings/unknown-config-key"));
    settle();
    let first = build(tmp.path(), &[]);
    assert!(built(&first) && first.contains("warning["), "{first}");
    let again = build(tmp.path(), &[]);
    assert!(up_to_date(&again), "{again}");
}

#[test]
fn any_change_to_inputs_settings_or_output_builds_again() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    let dir = tmp.path();
    settle();
    assert!(built(&build(dir, &[])));
    assert!(up_to_date(&build(dir, &[])));
    builds_again_after(
        dir,
        "a page edited, same size",
        |d| replace_in(&d.join("src/chapter_1.md"), "Chapter", "ChapteR"),
        &[],
    );
    builds_again_after(
        dir,
        "a file added",
        |d| std::fs::write(d.join("src/notes.txt"), "n").unwrap(),
        &[],
    );
    builds_again_after(
        dir,
        "a setting",
        |d| {
            replace_in(
                &d.join("book.toml"),
                "mathjax-support = false",
                "mathjax-support = true",
            )
        },
        &[],
    );
    builds_again_after(
        dir,
        "a theme",
        |d| {
            std::fs::create_dir_all(d.join("themes/mine")).unwrap();
            std::fs::write(
                d.join("themes/mine/page.html"),
                "{% extends \"base.html\" %}",
            )
            .unwrap();
            append(&d.join("book.toml"), "\n[archbook]\ntheme = \"mine\"\n");
        },
        &[],
    );
    builds_again_after(
        dir,
        "a theme's file edited",
        |d| append(&d.join("themes/mine/page.html"), "\n"),
        &[],
    );
    builds_again_after(
        dir,
        "an output file edited",
        |d| append(&d.join("book/index.html"), "<!-- mine -->"),
        &[],
    );
    builds_again_after(
        dir,
        "an output file deleted",
        |d| std::fs::remove_file(d.join("book/print.html")).unwrap(),
        &[],
    );
    builds_again_after(dir, "another output folder", |_| {}, &["-o", "elsewhere"]);
    builds_again_after(dir, "warnings denied", |_| {}, &["--deny", "warnings"]);
    // The output was restored by the build after each change.
    assert!(dir.join("book/print.html").exists());
    let index = std::fs::read_to_string(dir.join("book/index.html")).unwrap();
    assert!(!index.contains("<!-- mine -->"));
}

#[test]
fn another_archbook_builds_again() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    settle();
    assert!(built(&build(tmp.path(), &[])));
    assert!(up_to_date(&build(tmp.path(), &[])));
    // The same version, another binary (as a rebuilt or upgraded one is).
    let exe = tempfile::tempdir().unwrap();
    let copy = exe.path().join("archbook");
    std::fs::copy(assert_cmd::cargo::cargo_bin("archbook"), &copy).unwrap();
    let out = std::process::Command::new(&copy)
        .current_dir(tmp.path())
        .args(["build", "."])
        .output()
        .unwrap();
    assert!(built(&stderr(&out)), "{}", stderr(&out));
}

#[test]
fn the_date_the_health_view_counts_from_builds_again() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    settle();
    let at = |day: &str| {
        let out = assert_cmd::Command::cargo_bin("archbook")
            .unwrap()
            .current_dir(tmp.path())
            .env("SOURCE_DATE_EPOCH", day)
            .args(["build", "."])
            .output()
            .unwrap();
        stderr(&out)
    };
    assert!(built(&at("1767225600")));
    assert!(up_to_date(&at("1767225600")));
    // Later the same day: the same site.
    assert!(up_to_date(&at("1767229200")));
    assert!(built(&at("1767312000")), "the next day");
}

#[test]
#[cfg(unix)]
fn a_record_copied_in_with_a_site_is_not_trusted() {
    // Someone ships a handbook with a built site and its record, times and
    // all (`cp -a`, `tar`): the copy's files are new inodes, changed now.
    let tmp = copy_fixture(&fixtures("mdbook"));
    settle();
    assert!(built(&build(tmp.path(), &[])));
    assert!(up_to_date(&build(tmp.path(), &[])));
    let copy = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", tmp.path().display()))
        .arg(copy.path())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(copy.path().join("book/.archbook-build").exists());
    settle();
    assert!(built(&build(copy.path(), &[])));
}

#[test]
fn a_failed_build_is_not_recorded() {
    let tmp = copy_fixture(&fixtures("warnings/absolute-link"));
    settle();
    let out = run(tmp.path(), &["build", ".", "--deny", "warnings"]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(tmp.path(), &["build", ".", "--deny", "warnings"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!up_to_date(&stderr(&out)));
}

/// The one file in a cache folder of the test's own (a shared one gains
/// files from the builds of tests running beside it).
fn cache_file(cache: &Path) -> std::path::PathBuf {
    let mut files: Vec<_> = std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.pop().unwrap()
}

/// `archbook build .` in `dir` by the binary `exe`, with `cache` as its
/// cache folder.
fn build_cached(exe: &Path, dir: &Path, cache: &Path) {
    let out = std::process::Command::new(exe)
        .env("ARCHBOOK_CACHE_DIR", cache)
        .current_dir(dir)
        .args(["build", "."])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn highlighted_code_comes_from_the_last_build_of_the_same_archbook() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    let dir = tmp.path();
    let cache = tempfile::tempdir().unwrap();
    let archbook = assert_cmd::cargo::cargo_bin("archbook");
    std::fs::write(
        dir.join("src/chapter_2.md"),
        "# Chapter 2\n\n```rust\nfn cached() -> u32 { 42 }\n```\n",
    )
    .unwrap();
    build_cached(&archbook, dir, cache.path());
    let file = cache_file(cache.path());
    // Mark the markup in the cache, keeping every length: a build that
    // shows the mark took the block from the cache.
    let mut bytes = std::fs::read(&file).unwrap();
    assert!(
        bytes.windows(11).any(|w| w == b"fn cached()"),
        "the block is cached"
    );
    for i in 0..bytes.len().saturating_sub(2) {
        if &bytes[i..i + 3] == b"hl-" {
            bytes[i..i + 2].copy_from_slice(b"HL");
        }
    }
    std::fs::write(&file, bytes).unwrap();
    // Another page changes: the site is built again, the block not
    // highlighted again.
    append(&dir.join("src/chapter_1.md"), "\nMore.\n");
    build_cached(&archbook, dir, cache.path());
    let page = std::fs::read_to_string(dir.join("book/chapter_2.html")).unwrap();
    assert!(page.contains("HL-"), "{page}");
    // Another archbook does not take this one's markup.
    let exe = tempfile::tempdir().unwrap();
    let copy = exe.path().join("archbook");
    std::fs::copy(&archbook, &copy).unwrap();
    build_cached(&copy, dir, cache.path());
    let page = std::fs::read_to_string(dir.join("book/chapter_2.html")).unwrap();
    assert!(!page.contains("HL-") && page.contains("hl-"), "{page}");
}

#[test]
#[cfg(unix)]
fn the_cache_is_in_the_users_cache_folder_unless_turned_off() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    let home = tempfile::tempdir().unwrap();
    let build_with = |cache_dir: Option<&str>| {
        let mut cmd = assert_cmd::Command::cargo_bin("archbook").unwrap();
        cmd.env("HOME", home.path())
            .env_remove("XDG_CACHE_HOME")
            .env_remove("ARCHBOOK_CACHE_DIR")
            .current_dir(tmp.path())
            .args(["build", "."]);
        if let Some(d) = cache_dir {
            cmd.env("ARCHBOOK_CACHE_DIR", d);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    // Empty: no cache at all.
    build_with(Some(""));
    assert!(!home.path().join(".cache").exists());
    // Unset: ~/.cache/archbook, one file for the handbook.
    build_with(None);
    let files = std::fs::read_dir(home.path().join(".cache/archbook"))
        .unwrap()
        .count();
    assert_eq!(files, 1);
}
