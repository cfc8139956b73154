//! Real mdBook books build unchanged: `tests/fixtures/mdbook-real` holds, in
//! a few pages, what the official books do that archbook once stopped on
//! (the issue's items, each a minimal reproduction), and each test checks
//! one behaviour in the built site.

use std::path::{Path, PathBuf};

use scraper::Html;

use crate::build::{build, page, sel, text};
use crate::util::{append, copy_fixture, fixtures, replace_in, run, run_expecting, stderr};

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
        widgets.contains("class=\"language-no_run\"><span class=\"hl-meta hl-function\"><span class=\"hl-meta hl-function\"><span class=\"hl-storage hl-type hl-function\">fn</span>"),
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

#[test]
fn a_plain_mdbook_book_builds_unchanged_in_summary_order() {
    let (_t, site) = build(&fixtures("mdbook"));
    let ch2 = page(&site, "chapter_2.html");
    let order: Vec<String> = ch2
        .select(&sel("#sidebar li"))
        .map(|e| e.text().collect::<String>())
        .collect();
    assert_eq!(
        order,
        [
            "Introduction",
            "Getting started",
            "1. Chapter 1",
            "1.1. Section 1.1",
            "2. Chapter 2",
            "3. Coming soon",
            // The `---` line, drawn as a rule.
            "",
            "Appendix"
        ]
    );
    // Numbers as mdBook shows them: numbered chapters only, hidden from
    // screen readers (the title says it all).
    assert_eq!(
        ch2.select(&sel("#sidebar li strong[aria-hidden=\"true\"]"))
            .count(),
        4
    );
    // The draft chapter has no link and is marked as such.
    assert_eq!(ch2.select(&sel("#sidebar li.draft a")).count(), 0);
    assert_eq!(ch2.select(&sel("#sidebar li.draft")).count(), 1);
    assert_eq!(text(&ch2, ".prev-next .prev .pn-title"), "Section 1.1");
    assert_eq!(text(&ch2, ".prev-next .next .pn-title"), "Appendix");
    let home = page(&site, "index.html");
    let links: Vec<&str> = home
        .select(&sel(".content a:not(.anchor)"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(links, ["chapter_1.html", "chapter_1/section.html#details"]);
    let crumbs: Vec<String> = page(&site, "chapter_1/section.html")
        .select(&sel(".breadcrumbs li"))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(crumbs, ["Introduction", "Chapter 1", "Section 1.1"]);
    // mdBook's {{#include}} with an anchor, and its escape.
    let ch1 = std::fs::read_to_string(site.join("chapter_1.html")).unwrap();
    assert!(
        ch1.contains("hello from an included file"),
        "include not expanded"
    );
    assert!(
        !ch1.contains("ANCHOR") && !ch1.contains("helper"),
        "anchor not honoured"
    );
    assert!(
        ch1.contains("{{#include not-expanded.md}}"),
        "escape not honoured"
    );
    // {{#playground}} is a highlighted Rust block; hidden lines are left out.
    let ch2_html = std::fs::read_to_string(site.join("chapter_2.html")).unwrap();
    let listing = ch2.select(&sel("pre code.language-rust")).next().unwrap();
    let listing: String = listing.text().collect();
    assert!(listing.contains("// ANCHOR: main") && listing.contains("fn helper() {}"));
    assert!(
        !ch2_html.contains("{{#playground"),
        "playground not expanded"
    );
    assert!(ch2_html.contains("visible-line") && ch2_html.contains("visible-python"));
    assert!(!ch2_html.contains("HashMap;") && !ch2_html.contains("import"));
    let code: String = ch2
        .select(&sel("pre code"))
        .flat_map(|c| c.text())
        .collect();
    assert!(
        code.contains("\n# a line that starts with one hash"),
        "{code}"
    );
    assert!(!code.contains("## a line"), "{code}");
    // mdbook-admonish blocks are callouts, their links rewritten.
    let callout = ch2
        .select(&sel(".markdown-alert-warning"))
        .next()
        .expect("the admonition is a callout");
    assert_eq!(
        text(
            &Html::parse_fragment(&callout.html()),
            ".markdown-alert-title"
        ),
        // With the `#` of the link to the block.
        "Before you upgrade#"
    );
    assert!(callout.html().contains("href=\"chapter_1.html\""));
    let print = std::fs::read_to_string(site.join("print.html")).unwrap();
    let intro = print.find("chapter-index").unwrap();
    let appendix = print.find("chapter-appendix").unwrap();
    assert!(intro < appendix);
}

/// In an mdBook book, Markdown files SUMMARY.md does not list are not pages
/// (mdBook ignores them: include-only fragments, old drafts); in an
/// archbook handbook they are built, with a warning.
#[test]
fn pages_missing_from_summary() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    std::fs::write(
        tmp.path().join("src/extra.md"),
        "# Extra\n[gone](nowhere.md)\n",
    )
    .unwrap();
    // An include-only fragment with a directive of its own.
    std::fs::write(
        tmp.path().join("src/fragment.md"),
        "{{#include nowhere.rs}}\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("src/chapter_2.md"),
        "# Chapter 2\n\n{{#include fragment.md}}\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("src/nowhere.rs"), "fn nowhere() {}\n").unwrap();
    let site = tmp.path().join("out");
    let out = run(tmp.path(), &["build", ".", "-o", site.to_str().unwrap()]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("extra.md"), "{text}");
    assert!(!text.contains("fragment.md"), "{text}");
    assert!(!site.join("extra.html").exists());
    assert!(!site.join("fragment.html").exists());
    let search = std::fs::read_to_string(site.join("search-index.js")).unwrap();
    assert!(!search.contains("Extra"), "unlisted pages are not searched");
    let ch2 = std::fs::read_to_string(site.join("chapter_2.html")).unwrap();
    assert!(ch2.contains("fn nowhere()"), "fragments are still included");

    append(&tmp.path().join("book.toml"), "\n[archbook]\n");
    std::fs::remove_file(tmp.path().join("src/fragment.md")).unwrap();
    std::fs::write(tmp.path().join("src/chapter_2.md"), "# Chapter 2\n").unwrap();
    std::fs::write(tmp.path().join("src/extra.md"), "# Extra\n").unwrap();
    let out = run(tmp.path(), &["build", ".", "-o", site.to_str().unwrap()]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("warning[not-in-summary]: `extra.md` is not listed in SUMMARY.md"),
        "{text}"
    );
    assert!(site.join("extra.html").exists());
}

#[test]
fn chapters_without_files_are_built_as_mdbook_creates_them() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    replace_in(
        &tmp.path().join("src/SUMMARY.md"),
        "- [Coming soon]()",
        "- [Written later](later.md)",
    );
    let edit = "edit-url-template = \"https://git.example.org/book/edit/{path}\"\n";
    replace_in(
        &tmp.path().join("book.toml"),
        "[output.html]\n",
        &format!("[output.html]\n{edit}"),
    );
    let site = tmp.path().join("out");
    let err = run_expecting(tmp.path(), &["build", ".", "-o", site.to_str().unwrap()], 0);
    assert!(
        err.contains(
            "warning[missing-chapter]: SUMMARY.md links to `later.md`, which does not exist"
        ),
        "{err}"
    );
    assert!(err.contains("src/SUMMARY.md:10:3"), "{err}");
    // A page holding its title, in the navigation where the summary puts it;
    // nothing is written into the source folder.
    let later = page(&site, "later.html");
    assert_eq!(text(&later, "h1"), "Written later#");
    assert_eq!(text(&later, ".prev-next .prev .pn-title"), "Chapter 2");
    assert!(!tmp.path().join("src/later.md").exists());
    // No file, so no "edit" link; a page with a file has one.
    assert!(!text(&later, ".footer").contains("Edit this page"));
    assert!(text(&page(&site, "chapter_2.html"), ".footer").contains("Edit this page"));
    // With mdBook's `create-missing = false` it is an error, as in mdBook.
    append(
        &tmp.path().join("book.toml"),
        "\n[build]\ncreate-missing = false\n",
    );
    let err = run_expecting(tmp.path(), &["check", "."], 1);
    assert!(
        err.contains("error[summary]: SUMMARY.md links to `later.md`, which does not exist"),
        "{err}"
    );
}

#[test]
fn mdbook_html_settings_are_honoured() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    std::fs::create_dir_all(tmp.path().join("theme")).unwrap();
    std::fs::write(
        tmp.path().join("theme/custom.css"),
        "body { letter-spacing: 0.01em; }",
    )
    .unwrap();
    std::fs::write(tmp.path().join("extra.js"), "console.log('extra');").unwrap();
    replace_in(
        &tmp.path().join("book.toml"),
        "[output.html]\n",
        "[output.html]\ncname = \"docs.example.org\"\nno-section-label = true\nadditional-css = [\"theme/custom.css\"]\nadditional-js = [\"extra.js\"]\n\n[output.html.print]\nenable = false\n\n[output.html.search]\nenable = false\n\n[output.html.fold]\nenable = true\n",
    );
    let (_t, site) = build(tmp.path());
    assert_eq!(
        std::fs::read_to_string(site.join("CNAME")).unwrap(),
        "docs.example.org\n"
    );
    assert!(!site.join("print.html").exists());
    assert!(!site.join("search-index.js").exists());
    assert!(site.join("theme/custom.css").exists() && site.join("extra.js").exists());
    let ch = page(&site, "chapter_1/section.html");
    assert_eq!(ch.select(&sel("#search-input")).count(), 0);
    // no-section-label: chapters without their `1.1.` numbers.
    assert_eq!(ch.select(&sel("#sidebar li strong")).count(), 0);
    assert!(
        ch.select(&sel("#sidebar li"))
            .any(|li| li.text().collect::<String>() == "Section 1.1")
    );
    assert_eq!(ch.select(&sel("a[href$=\"print.html\"]")).count(), 0);
    assert_eq!(
        ch.select(&sel("link[href=\"../theme/custom.css\"]"))
            .count(),
        1
    );
    assert_eq!(ch.select(&sel("script[src=\"../extra.js\"]")).count(), 1);
}

#[test]
fn mdbook_redirects_and_a_landing_page_are_written() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    // A book that starts at chapter_1.md, as `mdbook init` makes them.
    std::fs::remove_file(tmp.path().join("src/README.md")).unwrap();
    let summary = std::fs::read_to_string(tmp.path().join("src/SUMMARY.md")).unwrap();
    let summary: String = summary
        .lines()
        .filter(|l| !l.contains("README.md"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(tmp.path().join("src/SUMMARY.md"), summary).unwrap();
    replace_in(
        &tmp.path().join("src/chapter_1.md"),
        "(README.md)",
        "(chapter_2.md)",
    );
    append(
        &tmp.path().join("book.toml"),
        "\n[output.html.redirect]\n\"/old/intro.html\" = \"../chapter_1.html\"\n\
         \"/old/intro.html#setup\" = \"../chapter_2.html#top\"\n\
         \"/chapter_2.html#gone\" = \"appendix.html\"\n\
         [preprocessor.toc]\ncommand = \"mdbook-toc\"\n",
    );
    let site = tmp.path().join("out");
    let out = run(tmp.path(), &["build", ".", "-o", site.to_str().unwrap()]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("warning[preprocessor-not-run]: the mdBook preprocessor `toc` is not run"),
        "{text}"
    );
    // The site root leads to the first chapter; a second build into the
    // same folder is not refused (it is recognised as an earlier build).
    let home = page(&site, "index.html");
    let refresh = home
        .select(&sel("meta[http-equiv=\"refresh\"]"))
        .next()
        .and_then(|m| m.value().attr("content"))
        .unwrap();
    assert_eq!(refresh, "0; url=chapter_1.html");
    let again = run(tmp.path(), &["build", ".", "-o", site.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    // The old address is a redirect page, with its fragment map.
    let old = std::fs::read_to_string(site.join("old/intro.html")).unwrap();
    assert!(old.contains("url=../chapter_1.html"), "{old}");
    assert!(
        old.contains(r##""#setup":"../chapter_2.html#top""##),
        "{old}"
    );
    // A fragment of a page that exists is sent on by a script in that page.
    let ch2 = std::fs::read_to_string(site.join("chapter_2.html")).unwrap();
    assert!(
        ch2.contains(r##"{"#gone":"appendix.html"}"##),
        "fragment map missing"
    );
    assert!(
        !std::fs::read_to_string(site.join("chapter_1.html"))
            .unwrap()
            .contains("location.replace")
    );
}

#[test]
fn a_redirect_away_from_an_existing_page_is_a_located_error() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    append(
        &tmp.path().join("book.toml"),
        "\n[output.html.redirect]\n\"/chapter_1.html\" = \"chapter_2.html\"\n",
    );
    let out = run(tmp.path(), &["check", "."]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "error[redirect]: redirect from `chapter_1.html`, which is the page `chapter_1.md`"
        ),
        "{text}"
    );
    assert!(text.contains("book.toml:11:1"), "{text}");

    // A link to an old address says where it went.
    let tmp = copy_fixture(&fixtures("mdbook"));
    append(
        &tmp.path().join("book.toml"),
        "\n[output.html.redirect]\n\"/overview.html\" = \"chapter_2.html\"\n",
    );
    append(
        &tmp.path().join("src/chapter_1.md"),
        "\nSee the [overview](overview.md).\n",
    );
    let text = stderr(&run(tmp.path(), &["check", "."]));
    assert!(
        text.contains("help: that is an old address, redirected to `chapter_2.html` (book.toml); link to the page itself"),
        "{text}"
    );
}

#[test]
fn an_mdbook_404_md_is_the_not_found_page() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    std::fs::write(
        tmp.path().join("src/404.md"),
        "# Document not found (404)\n\nThis address is not in the book. Try the search.\n",
    )
    .unwrap();
    let site = tmp.path().join("out");
    let out = run(tmp.path(), &["build", ".", "-o", site.to_str().unwrap()]);
    let log = stderr(&out);
    // Not a page of its own: no collision with the generated 404.html, and
    // no "not in SUMMARY.md" warning.
    assert_eq!(out.status.code(), Some(0), "{log}");
    assert!(!log.contains("404.md"), "{log}");
    let nf = page(&site, "404.html");
    assert!(text(&nf, "main h1").starts_with("Document not found (404)"));
    assert!(nf.html().contains("This address is not in the book."));
    assert_eq!(
        nf.select(&sel("title"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "Document not found (404) · A plain mdBook book"
    );
    for other in ["search-index.js", "print.html", "chapter_1.html"] {
        let t = std::fs::read_to_string(site.join(other)).unwrap();
        assert!(!t.contains("not in the book"), "{other} shows the 404 text");
    }
}
