//! Output confinement: no path a handbook can name (`book.toml` entries,
//! ids, links, `SUMMARY.md` entries, templates, symbolic links) makes
//! archbook write outside its output folder or publish a file from outside
//! the handbook.
//!
//! Each test puts the handbook in `<tmp>/hb` beside a folder `<tmp>/outside`
//! and compares every file outside `<tmp>/hb/book` before and after.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{append, copy_dir, fixtures, replace_in, run, run_within, stderr};

/// Every file under `root` except the output folder, with its contents.
fn files(root: &Path, output: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.path() != output)
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            (e.path().to_path_buf(), bytes)
        })
        .collect()
}

/// A copy of the `mdbook` fixture in `<tmp>/hb` and a file in `<tmp>/outside`.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let hb = tmp.path().join("hb");
    copy_dir(&fixtures("mdbook"), &hb);
    std::fs::create_dir_all(tmp.path().join("outside")).unwrap();
    std::fs::write(
        tmp.path().join("outside/secret.md"),
        "# Secret\nTOP-SECRET\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("outside.css"), "body{}").unwrap();
    (tmp, hb)
}

/// Adds numbered chapters to the fixture's SUMMARY.md (before its suffix
/// chapters).
fn add_chapters(hb: &Path, lines: &str) {
    let at = "- [Coming soon]()\n";
    replace_in(&hb.join("src/SUMMARY.md"), at, &format!("{at}{lines}"));
}

/// Runs `archbook build` in `hb`, asserts the exit code and that nothing
/// outside `hb/book` changed; returns standard error.
fn build_confined(tmp: &Path, hb: &Path, code: i32) -> String {
    let out_dir = hb.join("book");
    let before = files(tmp, &out_dir);
    let out = run(hb, &["build"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{text}");
    let after = files(tmp, &out_dir);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "files appeared or vanished outside the output folder"
    );
    assert!(before == after, "a file outside the output folder changed");
    text
}

#[test]
fn asset_paths_that_leave_the_handbook_are_refused() {
    let (tmp, hb) = setup();
    // The fixture's book.toml ends with its `[output.html]` table.
    append(
        &hb.join("book.toml"),
        "additional-css = [\"../outside.css\", \"/etc/hostname\", \"..\\\\outside.css\", \"C:\\\\x.css\", \"theme/missing.css\"]\n",
    );
    let text = build_confined(tmp.path(), &hb, 1);
    for (bad, why) in [
        ("../outside.css", "climbs out of the handbook folder"),
        ("/etc/hostname", "is an absolute path"),
        ("..\\outside.css", "climbs out of the handbook folder"),
        ("C:\\x.css", "is an absolute path"),
    ] {
        assert!(
            text.contains(&format!("entry `{bad}` {why}")),
            "{bad}: {text}"
        );
    }
    assert!(
        text.contains("`theme/missing.css` does not exist"),
        "{text}"
    );
    assert!(text.contains("book.toml:"), "findings are located: {text}");
    assert!(!hb.join("book").exists());
}

#[test]
fn hostile_ids_links_and_summary_entries_stay_inside() {
    let (tmp, hb) = setup();
    std::fs::write(
        hb.join("src/evil.md"),
        "---\nkind: role\nid: ../../escape\n---\n# Evil\n[a](../../outside/secret.md) [b](/etc/passwd) [c](..\\..\\outside\\secret.md) [d](%2e%2e/%2e%2e/outside/secret.md)\n",
    )
    .unwrap();
    add_chapters(
        &hb,
        "- [Out](../outside/secret.md)\n- [Abs](/etc/passwd)\n- [Evil](evil.md)\n",
    );
    let text = build_confined(tmp.path(), &hb, 1);
    assert!(text.contains("error[invalid-id]"), "{text}");
    // An mdBook book (no [archbook] table): broken links warn, as mdBook
    // does not check them.
    assert!(text.contains("warning[broken-link]"), "{text}");
    assert!(text.contains("error[summary]"), "{text}");
    assert!(!hb.join("book").exists());

    // Without the id (always an error) and with the other errors demoted to
    // warnings, the site builds, still confined.
    let evil = std::fs::read_to_string(hb.join("src/evil.md")).unwrap();
    std::fs::write(
        hb.join("src/evil.md"),
        evil.replace("id: ../../escape\n", ""),
    )
    .unwrap();
    append(
        &hb.join("book.toml"),
        "\n[archbook.rules]\nbroken-link = \"warning\"\nsummary = \"warning\"\n",
    );
    let text = build_confined(tmp.path(), &hb, 0);
    assert!(hb.join("book/evil.html").is_file(), "{text}");
    for e in walkdir::WalkDir::new(hb.join("book")).into_iter().flatten() {
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("TOP-SECRET"),
                "{} publishes a file from outside the handbook",
                e.path().display()
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_inside_are_read_and_never_written_through() {
    let (tmp, hb) = setup();
    // A linked folder and a linked page, both pointing inside the handbook.
    std::fs::create_dir_all(hb.join("shared")).unwrap();
    std::fs::write(hb.join("shared/note.md"), "# Note\n").unwrap();
    std::os::unix::fs::symlink(hb.join("shared"), hb.join("src/linked")).unwrap();
    std::os::unix::fs::symlink(hb.join("src/chapter_2.md"), hb.join("src/alias.md")).unwrap();
    add_chapters(&hb, "- [Linked](linked/note.md)\n- [Alias](alias.md)\n");
    build_confined(tmp.path(), &hb, 0);
    assert!(hb.join("book/linked/note.html").is_file());
    assert!(hb.join("book/alias.html").is_file());
    // The output holds copies, not links back out.
    for e in walkdir::WalkDir::new(hb.join("book")).into_iter().flatten() {
        assert!(!e.path_is_symlink(), "{} is a link", e.path().display());
    }

    // An output folder that is a link to a folder of other files is refused
    // (it holds no earlier build): that folder is left alone.
    std::fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
    std::fs::write(tmp.path().join("elsewhere/keep.txt"), "keep").unwrap();
    std::fs::remove_dir_all(hb.join("book")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("elsewhere"), hb.join("book")).unwrap();
    let out = run(&hb, &["build"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("refusing to write"), "{text}");
    assert_eq!(
        std::fs::read_dir(tmp.path().join("elsewhere"))
            .unwrap()
            .count(),
        1,
        "{text}"
    );
}

/// Builds `hb` expecting failure within a minute, checks that nothing was
/// written and that no file of the output holds `secret`; returns standard
/// error.
fn refused(hb: &Path) -> String {
    let out = run_within(hb, &["build"], 60);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(!hb.join("book").exists(), "{text}");
    text
}

/// Every way a handbook used to publish a file from outside its folder
/// (with exit 0) is now a located `read-outside` error.
#[cfg(unix)]
#[test]
fn reads_outside_the_handbook_are_located_errors() {
    let (tmp, hb) = setup();
    let secret = tmp.path().join("outside/secret.md");
    let climb = "../".repeat(12);
    let page = format!(
        "# Leaks\n\n{{{{#include /etc/passwd}}}}\n\n{{{{#include {climb}etc/passwd}}}}\n\n\
         {{{{#include /proc/self/environ}}}}\n\n{{{{#include /dev/zero}}}}\n\n\
         {{{{#include ../../outside/secret.md}}}}\n\n{{{{#playground /etc/hostname}}}}\n\n\
         {{{{#include ../.git/config}}}}\n"
    );
    // What a CI checkout leaves: the token in `.git/config`.
    std::fs::create_dir_all(hb.join(".git")).unwrap();
    std::fs::write(
        hb.join(".git/config"),
        "extraheader = AUTHORIZATION: basic dG9rZW4=\n",
    )
    .unwrap();
    std::fs::write(hb.join("src/leaks.md"), &page).unwrap();
    add_chapters(&hb, "- [Leaks](leaks.md)\n");
    let text = refused(&hb);
    for (directive, leads) in [
        ("{{#include /etc/passwd}}", "/etc/passwd"),
        ("{{#include /proc/self/environ}}", "a system file"),
        ("{{#include /dev/zero}}", "a system file"),
        (
            "{{#include ../../outside/secret.md}}",
            "outside the handbook",
        ),
        ("{{#playground /etc/hostname}}", "/etc/hostname"),
        ("{{#include ../.git/config}}", "a hidden file"),
    ] {
        let line = page.lines().position(|l| l == directive).unwrap() + 1;
        let at = format!("src/leaks.md:{line}:1");
        assert!(
            text.contains(&at),
            "{directive} is not located at {at}: {text}"
        );
        assert!(text.contains(leads), "{directive}: {text}");
    }
    assert_eq!(text.matches("error[read-outside]").count(), 7, "{text}");

    // Links in the source folder: a page, a static file, a folder.
    std::fs::remove_file(hb.join("src/leaks.md")).unwrap();
    let link = |to: &Path, at: &str| std::os::unix::fs::symlink(to, hb.join(at)).unwrap();
    link(Path::new("/etc/passwd"), "src/passwd.md");
    link(Path::new("/proc/self/environ"), "src/environ.txt");
    link(&tmp.path().join("outside"), "src/outside");
    link(&secret, "src/secret.md");
    let text = refused(&hb);
    for at in ["passwd.md", "environ.txt", "outside", "secret.md"] {
        assert!(
            text.contains(&format!("`src/{at}` is not read")),
            "{at}: {text}"
        );
        assert!(
            text.contains(&format!("src/{at}:1:1")),
            "{at} is located: {text}"
        );
    }
    assert_eq!(text.matches("error[read-outside]").count(), 4, "{text}");
    for at in ["passwd.md", "environ.txt", "outside", "secret.md"] {
        std::fs::remove_file(hb.join("src").join(at)).unwrap();
    }

    // A stylesheet that is a link to a file outside.
    link(Path::new("/etc/passwd"), "theme.css");
    append(&hb.join("book.toml"), "additional-css = [\"theme.css\"]\n");
    let text = refused(&hb);
    assert!(text.contains("error[read-outside]"), "{text}");
    assert!(text.contains("`theme.css` is not read"), "{text}");
    assert!(text.contains("book.toml:"), "{text}");
}

/// A FIFO never blocks the build: as a page it is skipped, included or
/// linked it is refused.
#[cfg(unix)]
#[test]
fn fifos_are_never_read() {
    let (_tmp, hb) = setup();
    let made = std::process::Command::new("mkfifo")
        .arg(hb.join("pipe.txt"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    std::fs::write(
        hb.join("src/pipe.md"),
        "# Pipe\n\n{{#include ../pipe.txt}}\n",
    )
    .unwrap();
    add_chapters(&hb, "- [Pipe](pipe.md)\n");
    let text = refused(&hb);
    assert!(text.contains("a FIFO"), "{text}");
    assert!(text.contains("src/pipe.md:3:1"), "{text}");
}

/// mdBook books include code from a sibling folder: naming it in
/// `extra-watch-dirs` lets the handbook read it, and only it.
#[test]
fn a_sibling_folder_named_in_book_toml_can_be_included() {
    let (tmp, hb) = setup();
    std::fs::create_dir_all(tmp.path().join("examples")).unwrap();
    std::fs::write(tmp.path().join("examples/hello.rs"), "fn hello() {}\n").unwrap();
    std::fs::write(
        hb.join("src/code.md"),
        "# Code\n\n```rust\n{{#include ../../examples/hello.rs}}\n```\n",
    )
    .unwrap();
    add_chapters(&hb, "- [Code](code.md)\n");
    let text = refused(&hb);
    assert!(
        text.contains("extra-watch-dirs"),
        "the help names the key: {text}"
    );
    let toml = std::fs::read_to_string(hb.join("book.toml")).unwrap();
    std::fs::write(
        hb.join("book.toml"),
        format!("[build]\nextra-watch-dirs = [\"../examples\"]\n\n{toml}"),
    )
    .unwrap();
    build_confined(tmp.path(), &hb, 0);
    let html = std::fs::read_to_string(hb.join("book/code.html")).unwrap();
    assert!(html.contains("hello"), "{html}");
}

/// 1 KB of input: each file includes the next five times, ten levels deep.
/// It ran 136 s, reached 2.5 GB and aborted.
#[test]
fn an_include_fan_out_stops_at_the_limit() {
    let (_tmp, hb) = setup();
    for level in 0..11 {
        let next = format!("{}", level + 1);
        let text = if level == 10 {
            "x".repeat(80)
        } else {
            format!("{{{{#include f{next}.md}}}}\n").repeat(5)
        };
        std::fs::write(hb.join(format!("src/f{level}.md")), text).unwrap();
    }
    std::fs::write(hb.join("src/bomb.md"), "# Bomb\n\n{{#include f0.md}}\n").unwrap();
    add_chapters(&hb, "- [Bomb](bomb.md)\n");
    // `refused` allows a minute (a debug build on a busy machine takes a
    // few seconds; the bomb took 136 s in a release build).
    let text = refused(&hb);
    assert!(text.contains("error[limit]"), "{text}");
    assert!(text.contains("src/bomb.md:3:1"), "{text}");
}

#[test]
fn templates_cannot_include_files_from_outside() {
    let (tmp, hb) = setup();
    std::fs::write(tmp.path().join("outside/secret.html"), "TOP-SECRET").unwrap();
    std::fs::create_dir_all(hb.join("themes/sneaky")).unwrap();
    std::fs::write(
        hb.join("themes/sneaky/page.html"),
        "{% include \"../../outside/secret.html\" %}",
    )
    .unwrap();
    append(&hb.join("book.toml"), "\n[archbook]\ntheme = \"sneaky\"\n");
    let text = build_confined(tmp.path(), &hb, 1);
    assert!(text.contains("error[template]"), "{text}");
    assert!(text.contains("themes/sneaky/page.html:1:"), "{text}");
    assert!(!hb.join("book").exists());

    // A theme name that climbs out of `themes/` is not a folder to read.
    replace_in(
        &hb.join("book.toml"),
        "theme = \"sneaky\"",
        "theme = \"../../outside\"",
    );
    let text = build_confined(tmp.path(), &hb, 1);
    assert!(text.contains("theme"), "{text}");
}

/// `archbook build hb -o /var/www` deleted `photos.txt` and `sub/data.db`
/// that lived there beside an `index.html`; so did a cloned handbook's
/// `build-dir = "/srv/www"`. Only folders an earlier build wrote (they hold
/// `.archbook-site`) are replaced.
#[test]
fn folders_archbook_did_not_write_are_never_replaced() {
    let (tmp, hb) = setup();
    let www = tmp.path().join("www");
    std::fs::create_dir_all(www.join("sub")).unwrap();
    std::fs::write(www.join("index.html"), "<h1>Intranet</h1>").unwrap();
    std::fs::write(www.join("photos.txt"), "precious").unwrap();
    std::fs::write(www.join("sub/data.db"), "precious").unwrap();
    let before = files(&www, Path::new("-"));

    let out = run(&hb, &["build", "-o", www.to_str().unwrap()]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("refusing to write the site into"), "{text}");
    assert!(
        text.contains(".archbook-site"),
        "says how to proceed: {text}"
    );

    append(
        &hb.join("book.toml"),
        &format!("\n[build]\nbuild-dir = {:?}\n", www.to_str().unwrap()),
    );
    let out = run(&hb, &["build"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[unsafe-output]"), "{text}");
    assert!(
        text.contains("book.toml:11:13"),
        "located at build-dir: {text}"
    );
    assert_eq!(
        before,
        files(&www, Path::new("-")),
        "the folder is untouched"
    );
    let strays: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("archbook-"))
        .collect();
    assert!(strays.is_empty(), "{strays:?}");

    // An empty folder is fine, and once archbook wrote it, it is replaced
    // by the next build.
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    for _ in 0..2 {
        let out = run(&hb, &["build", "-o", site.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(site.join(".archbook-site").is_file());
        assert!(site.join("index.html").is_file());
    }
}
