//! Real mdBook books build unchanged: `tests/fixtures/mdbook-real` holds, in
//! a few pages, what the official books do that archbook once stopped on
//! (the items, each a minimal reproduction), and each test checks
//! one behaviour in the built site.

use std::path::{Path, PathBuf};

use crate::util::{copy_fixture, fixtures, run};

/// Builds the fixture into a fresh folder: exit 0 and no finding at all.
fn built() -> (tempfile::TempDir, PathBuf) {
    let tmp = copy_fixture(&fixtures("mdbook-real"));
    let site = tmp.path().join("site");
    let out = run(tmp.path(), &["build", ".", "-o", site.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(", 0 warnings"), "no false findings: {text}");
    (tmp, site)
}

fn read(site: &Path, page: &str) -> String {
    std::fs::read_to_string(site.join(page)).unwrap()
}

/// Items 1 and 13: `<a id="sizing-rules">` before a heading is a link
/// target; `<a href="guide/api.md#functions">` goes to the `.html` page.
#[test]
fn raw_html_anchors_and_links() {
    let (_t, site) = built();
    let index = read(&site, "index.html");
    assert!(
        index.contains("href=\"guide/widgets.html#sizing-rules\""),
        "{index}"
    );
    assert!(
        index.contains("<a href=\"guide/api.html#functions\">"),
        "{index}"
    );
}

/// Items 2 and 5: a link out of the book is kept as written, on the page
/// and on the print page.
#[test]
fn links_out_of_the_book_are_kept() {
    let (_t, site) = built();
    for page in ["index.html", "print.html"] {
        assert!(
            read(&site, page).contains("href=\"../std/vec/struct.Vec.html#method.push\""),
            "{page}"
        );
    }
}

/// Item 3: `./widgets.html` is read from the root, and every redirect page
/// carries the script that keeps `#fragment`.
#[test]
fn redirects_keep_the_fragment() {
    let (_t, site) = built();
    for page in ["widgets.html", "old-api.html"] {
        let html = read(&site, page);
        assert!(html.contains("u.hash=location.hash"), "{page}: {html}");
    }
    let widgets = read(&site, "guide/widgets.html");
    assert!(
        widgets.contains("\"#sizing-rules\":\"guide/widgets.html#sizes\""),
        "{widgets}"
    );
}

/// Item 4: a chapter opening with `## Functions` takes its SUMMARY.md title
/// and gets no `<h1>` made from its file name; a note and an `<a id>`
/// before `# Widgets` do not make the heading appear twice.
#[test]
fn page_titles_follow_the_summary() {
    let (_t, site) = built();
    let api = read(&site, "guide/api.html");
    assert!(
        api.contains("<title>API reference · The Widget Book</title>"),
        "{api}"
    );
    assert!(!api.contains("<h1"), "{api}");
    assert!(!api.contains(">api<"), "{api}");
    let widgets = read(&site, "guide/widgets.html");
    assert_eq!(widgets.matches("<h1").count(), 1, "{widgets}");
    assert!(read(&site, "print.html").contains("<h1>API reference</h1>"));
}

/// Items 6 and 11: rustdoc's fence attributes are Rust, a book's own fence
/// words are plain without a finding; `{{#include}}` in a code span stays,
/// an `ANCHOR:` without its end runs to the end of the file.
#[test]
fn fences_and_includes() {
    let (_t, site) = built();
    let widgets = read(&site, "guide/widgets.html");
    assert!(
        widgets.contains("class=\"language-no_run\"><span class=\"hl-source hl-rust\""),
        "{widgets}"
    );
    assert!(
        widgets.contains("class=\"language-grammar\">Widget"),
        "{widgets}"
    );
    assert!(widgets.contains("<code>{{#include}}</code>d"), "{widgets}");
    let api = read(&site, "guide/api.html");
    assert!(
        api.contains("pub fn new() -&gt; Widget {\n    Widget\n}"),
        "{api}"
    );
}

/// Items 7, 8 and 10: mdBook's keys are accepted (the build has no
/// finding), heading ids follow mdBook 0.5 with smart punctuation on, and
/// the `---` separator is drawn.
#[test]
fn ids_separators_and_keys() {
    let (_t, site) = built();
    let closures = read(&site, "guide/closures.html");
    assert!(
        closures.contains("id=\"coroutine-closures--a-deep-dive\""),
        "{closures}"
    );
    assert!(
        closures.contains("Coroutine-closures – a deep dive"),
        "{closures}"
    );
    assert!(read(&site, "index.html").contains("<li class=\"spacer\" aria-hidden=\"true\"></li>"));
}

/// Item 9: `fragment.md` is only included; it is no page and not searched.
#[test]
fn unlisted_files_are_not_pages() {
    let (_t, site) = built();
    assert!(!site.join("fragment.html").exists());
    assert!(!read(&site, "search-index.js").contains("fragment"));
    assert!(read(&site, "contributing.html").contains("Pull requests are welcome"));
}

/// Item 12: mdbook-admonish blocks in all three of its syntaxes get its ids
/// (links to them are checked), Markdown titles, `id=`/`class=`, and the
/// book's `[preprocessor.admonish]` settings: a custom directive with its
/// aliases, title and colour, a built-in folded by default.
#[test]
fn admonish_blocks_follow_the_plugin() {
    let (tmp, site) = built();
    let html = read(&site, "guide/callouts.html");
    for expected in [
        // First syntax, Markdown and HTML in the title, the id made from it.
        "<div id=\"admonition-_referencing_-and-dereferencing\" class=\"markdown-alert markdown-alert-tip admonish-tip\"",
        "><em>Referencing</em> and <i>dereferencing</i><a class=\"anchor\"",
        // Third syntax: `id=`, `class=`, a link in the title.
        "<div id=\"widget-note\" class=\"markdown-alert markdown-alert-note admonish-info wide\"",
        "Widgets in <a href=\"api.html\">the API</a>",
        // A custom directive named by an alias.
        "<div id=\"admonition-costs-money\" class=\"markdown-alert markdown-alert-note admonish-expensive\" style=\"--alert: #24ab38\"",
        // `caution` is the built-in `warning`, which the book folds.
        "<details id=\"admonition-caution\" class=\"markdown-alert markdown-alert-warning admonish-warning\">",
        // Repeated titles are numbered as the plugin numbers them.
        "<div id=\"admonition-note-1\"",
        "<a href=\"#admonition-costs-money\">the costs</a>",
    ] {
        assert!(html.contains(expected), "{expected} missing from {html}");
    }
    // A link to an admonition that is not there is found, with a hint.
    let page = tmp.path().join("src/guide/callouts.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("#admonition-costs-money", "#admonition-cost-money"),
    )
    .unwrap();
    let out = run(tmp.path(), &["check", "."]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning[broken-anchor]") && err.contains("admonition-costs-money"),
        "{err}"
    );
}

/// Item 14: a MADR log without `SUMMARY.md` builds: the `README.md` beside
/// `index.md` is left out with one warning (not an output collision), and
/// pages follow Jekyll's `nav_order`, then the numbers of ADR file names.
#[test]
fn a_madr_log_without_summary_builds() {
    let tmp = copy_fixture(&fixtures("madr"));
    let site = tmp.path().join("site");
    let out = run(tmp.path(), &["build", ".", "-o", site.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning[").count(), 1, "{err}");
    assert!(
        err.contains("warning[readme-beside-index]: `README.md` is not published: `index.md` is the page of its folder"),
        "{err}"
    );
    let index = read(&site, "index.html");
    assert!(
        index.contains("The <a href=\"decisions/index.html\">decisions</a>"),
        "{index}"
    );
    assert!(!index.contains("bundle exec"), "{index}");
    // The reading order, as the sidebar lists it.
    let order: Vec<&str> = [
        "decisions/0000-use-madr.html",
        "decisions/0002-queue.html",
        "decisions/0010-retire-polling.html",
        "decisions/adr-template.html",
    ]
    .into_iter()
    .collect();
    let positions: Vec<usize> = order
        .iter()
        .map(|href| index.find(&format!("href=\"{href}\"")).expect(href))
        .collect();
    assert!(positions.is_sorted(), "{order:?} at {positions:?}");
    assert!(index.find("href=\"decisions/index.html\"").unwrap() < positions[0]);
    // Told once, and quiet when switched off.
    std::fs::write(
        tmp.path().join("book.toml"),
        "[book]\nsrc = \"docs\"\n\n[archbook.rules]\nreadme-beside-index = \"off\"\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["check", "."]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
}
