//! Output confinement: no path a handbook can name (`book.toml` entries,
//! ids, links, `SUMMARY.md` entries, templates, symbolic links) makes
//! archbook write outside its output folder or publish a file from outside
//! the handbook.
//!
//! Each test puts the handbook in `<tmp>/hb` beside a folder `<tmp>/outside`
//! and compares every file outside `<tmp>/hb/book` before and after.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{append, copy_dir, fixtures, replace_in, run, stderr};

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
    assert!(text.contains("error[broken-link]"), "{text}");
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
fn symbolic_links_are_read_but_never_written_through() {
    let (tmp, hb) = setup();
    // A linked folder and a linked page, both pointing outside the handbook.
    std::os::unix::fs::symlink(tmp.path().join("outside"), hb.join("src/linked")).unwrap();
    std::os::unix::fs::symlink(
        tmp.path().join("outside/secret.md"),
        hb.join("src/alias.md"),
    )
    .unwrap();
    add_chapters(&hb, "- [Linked](linked/secret.md)\n- [Alias](alias.md)\n");
    build_confined(tmp.path(), &hb, 0);
    assert!(hb.join("book/linked/secret.html").is_file());
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
