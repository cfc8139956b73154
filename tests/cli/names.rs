//! Names a handbook chooses (of files, in links, in front matter) that
//! could replace what archbook writes, fail a build that `check` passed, or
//! reach the terminal of whoever builds the handbook.

use crate::util::{copy_fixture, fixtures, run_expecting};

/// A static file named like an output archbook generates used to replace it
/// silently (it is copied last).
#[test]
fn static_files_named_like_generated_outputs_are_errors() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("assets")).unwrap();
    for name in [
        "model.json",
        "search-index.js",
        "search-text-0.js",
        "raci.csv",
        "assets/archbook.js",
    ] {
        std::fs::write(src.join(name), "forged").unwrap();
    }
    // mdBook books keep a CNAME in `src`; without `cname` in book.toml
    // archbook writes none, so it is an ordinary static file.
    std::fs::write(src.join("CNAME"), "docs.example.org\n").unwrap();
    let text = run_expecting(tmp.path(), &["check"], 1);
    for name in [
        "model.json",
        "search-index.js",
        "search-text-0.js",
        "raci.csv",
        "assets/archbook.js",
    ] {
        assert!(
            text.contains(&format!(
                "the static file `{name}` would replace the `{name}` archbook writes"
            )),
            "{name}: {text}"
        );
        assert!(
            text.contains(&format!("src/{name}:1:1")),
            "{name} is located: {text}"
        );
    }
    assert_eq!(text.matches("error[output-collision]").count(), 5, "{text}");
}

/// `check` passed these and `build` then failed with an error naming its
/// staging folder.
#[cfg(target_os = "linux")]
#[test]
fn unpublishable_file_names_are_findings_of_check() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = copy_fixture(&fixtures("mdbook"));
    // An archbook handbook builds pages SUMMARY.md does not list.
    crate::util::append(&tmp.path().join("book.toml"), "\n[archbook]\n");
    let src = tmp.path().join("src");
    let long = format!("{}.md", "x".repeat(252));
    std::fs::write(src.join(&long), "# Long\n").unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(src.join(odd), "x").unwrap();
    for cmd in ["check", "build"] {
        let text = run_expecting(tmp.path(), &[cmd], 1);
        assert!(
            text.contains("error[file-name]: `src/caf\u{fffd}.txt`"),
            "{text}"
        );
        assert!(text.contains("longer than the 255 bytes"), "{text}");
        assert!(text.contains(&format!("src/{long}:1:1")), "{text}");
        assert!(!text.contains("archbook-tmp"), "{text}");
    }
}

/// An ESC or BEL in front matter or a `%1b` in a link could retitle,
/// recolour or clear the terminal when findings were printed.
#[test]
fn control_characters_never_reach_the_terminal() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    let page = tmp.path().join("src/chapter_2.md");
    std::fs::write(
        &page,
        "---\ntitle: \"Evil \\e]0;owned\\a \\e[2J\"\nkind: rolle\n---\n# Two\n\n[x](%1b]0;owned%07.md)\n",
    )
    .unwrap();
    let out = crate::util::run(tmp.path(), &["check"]);
    let bytes = out.stderr;
    assert!(
        !bytes.iter().any(|&b| b == 0x1b || b == 0x07),
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("\\x1b]0;owned\\x07"), "{text}");
}
