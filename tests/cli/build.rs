//! `archbook build`: the generated site of the fixture and example handbooks,
//! read back as HTML: matrix cells, fact boxes, backlinks, links and anchors,
//! escaping, atomic output.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::util::{append, copy_fixture, fixtures, replace_in, repo, run, run_expecting, stderr};

/// Builds `dir` into a fresh temporary folder and returns (tempdir, site path).
fn build(dir: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = run(dir, &["build", ".", "-o", site.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "build failed:\n{}",
        stderr(&out)
    );
    (tmp, site)
}

fn page(site: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(doc: &Html, css: &str) -> String {
    doc.select(&sel(css))
        .next()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .unwrap_or_else(|| panic!("nothing matches {css}"))
}

fn main_html(doc: &Html) -> String {
    doc.select(&sel("main")).next().unwrap().inner_html()
}

#[test]
fn raci_matrix_cells_merge_both_sides() {
    let (_t, site) = build(&fixtures("good"));
    let raci = page(&site, "raci.html");
    let cell = |activity: &str, role: &str| {
        text(
            &raci,
            &format!("tr[data-activity=\"{activity}\"] td[data-role=\"{role}\"]"),
        )
    };
    assert_eq!(cell("design", "architect"), "A/R");
    assert_eq!(cell("design", "manager"), "I");
    // Written on the operator's page, merged into the activity's row.
    assert_eq!(cell("design", "operator"), "C");
    assert_eq!(cell("operate", "operator"), "A/R");
    assert_eq!(cell("buy", "manager"), "A");
    assert_eq!(cell("buy", "operator"), "");
    let heads: Vec<String> = raci
        .select(&sel("thead th[data-role]"))
        .map(|e| e.value().attr("data-role").unwrap().to_string())
        .collect();
    assert_eq!(heads, ["architect", "manager", "operator"]);
    let areas: Vec<String> = raci
        .select(&sel("tr.area-row th"))
        .map(|e| e.text().collect())
        .collect();
    // Areas appear in the reading order of their first activity (by title here).
    assert_eq!(areas, ["Sourcing", "Design & Vision", "Operations"]);
    let csv = std::fs::read_to_string(site.join("raci.csv")).unwrap();
    assert!(
        csv.starts_with("Area,Activity,Activity id,Architect,Manager,Operator\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("Design & Vision,Design the platform,design,A/R,I,C\r\n"),
        "{csv}"
    );
}

#[test]
fn layer_matrix_unites_letters_and_lists_components() {
    let (_t, site) = build(&fixtures("good"));
    let layers = page(&site, "layers.html");
    let cell = |layer: &str, role: &str| {
        text(
            &layers,
            &format!("tr[data-layer=\"{layer}\"] td[data-role=\"{role}\"]"),
        )
    };
    // platform: design (architect A/R, manager I, operator C) + operate (architect I, manager C, operator A/R)
    assert_eq!(cell("platform", "architect"), "A/R/I");
    assert_eq!(cell("platform", "manager"), "C/I");
    assert_eq!(cell("platform", "operator"), "A/R/C");
    assert_eq!(cell("storage", "operator"), "A/R");
    assert_eq!(
        text(&layers, "tr[data-layer=\"platform\"] td.components"),
        "App server, Database"
    );
    // Top level first: platform (level 2) above physical (level 1), storage inside physical.
    let order: Vec<&str> = layers
        .select(&sel("tr[data-layer]"))
        .map(|e| e.value().attr("data-layer").unwrap())
        .collect();
    assert_eq!(order, ["platform", "physical", "storage"]);
    let svg_links: Vec<&str> = layers
        .select(&sel("figure svg a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(svg_links.contains(&"components/san.html"), "{svg_links:?}");
    assert!(svg_links.contains(&"layers/storage.html"), "{svg_links:?}");
}

#[test]
fn fact_boxes_and_backlinks_link_the_model() {
    let (_t, site) = build(&fixtures("good"));
    let db = page(&site, "components/database.html");
    let facts: Vec<(String, String)> = db
        .select(&sel(".facts dd a"))
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("Platform", "../layers/platform.html"),
        ("Operator", "../roles/operator.html"),
        ("SAN", "../components/san.html"),
        ("App server", "../components/app-server.html"),
    ] {
        assert!(
            facts.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} not in {facts:?}"
        );
    }
    let san = page(&site, "components/san.html");
    let back: HashSet<String> = san
        .select(&sel(".backlinks a"))
        .map(|a| a.text().collect())
        .collect();
    for from in ["Database", "App server", "ADR 0001: Use a SAN"] {
        assert!(back.contains(from), "{from} not in {back:?}");
    }
    let role = page(&site, "roles/architect.html");
    assert_eq!(
        text(&role, ".boundary .does-not li"),
        "Operate the platform — done by Operator (A/R)"
    );
    let adr = page(&site, "decisions/0001-use-san.html");
    assert_eq!(text(&adr, ".facts .badge"), "accepted");
}

#[test]
fn navigation_breadcrumbs_and_prev_next() {
    let (_t, site) = build(&fixtures("good"));
    let db = page(&site, "components/database.html");
    assert_eq!(text(&db, ".sidebar a[aria-current=page]"), "Database");
    let crumbs: Vec<String> = db
        .select(&sel(".breadcrumbs li"))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(crumbs, ["Welcome", "Components", "Database"]);
    assert_eq!(text(&db, ".prev-next .prev .pn-title"), "App server");
    assert_eq!(text(&db, ".prev-next .next .pn-title"), "SAN");
    let home = page(&site, "index.html");
    assert!(home.select(&sel(".prev-next .prev")).next().is_none());
}

#[test]
fn site_files_are_all_there() {
    let (_t, site) = build(&fixtures("good"));
    for f in [
        "index.html",
        "404.html",
        "print.html",
        "raci.html",
        "raci.csv",
        "layers.html",
        "boundaries.html",
        "roles.html",
        "components.html",
        "activities.html",
        "decisions.html",
        "model.json",
        "search-index.js",
        ".nojekyll",
        "assets/style.css",
        "assets/archbook.js",
        "assets/highlight.css",
        "img/stack.png",
    ] {
        assert!(site.join(f).exists(), "{f} missing");
    }
    // site-url is a path, not a full URL: no sitemap.
    assert!(!site.join("sitemap.xml").exists());
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("model.json")).unwrap()).unwrap();
    let raci = model["raci"].as_array().unwrap();
    assert!(
        raci.iter()
            .any(|r| r["activity"] == "design" && r["role"] == "operator" && r["letters"] == "C")
    );
    let search = std::fs::read_to_string(site.join("search-index.js")).unwrap();
    assert!(search.starts_with("window.archbookSearchIndex = "));
    assert!(search.contains("\"Database\""), "{search}");
}

#[test]
fn views_of_the_fixture_render_as_expected() {
    let (_t, site) = build(&fixtures("good"));
    for view in [
        "raci.html",
        "layers.html",
        "boundaries.html",
        "decisions.html",
        "components.html",
        "roles/operator.html",
    ] {
        let html = main_html(&page(&site, view));
        insta::assert_snapshot!(format!("view__{}", view.replace('/', "_")), html);
    }
}

/// Every relative `href`/`src` of every page of the example handbook points
/// at a file that exists, and every `#anchor` at an element that exists.
#[test]
fn every_link_and_anchor_of_the_example_handbook_resolves() {
    let (_t, site) = build(&repo());
    let (pages, checked) = assert_links_resolve(&site);
    assert!(pages > 70, "only {pages} pages");
    assert!(checked > 2000, "only {checked} links checked");
}

/// Pages named with characters a URL cannot carry as they are (`#`, `?`,
/// `%`, spaces, accents) are linked percent-encoded everywhere archbook
/// writes a link: the sidebar, previous/next, the search index, the print
/// page's chapter anchors.
#[test]
fn pages_with_awkward_names_are_linked_correctly() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(tmp.path().join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    std::fs::write(
        src.join("index.md"),
        "# Home\n\n[a](<My Page.md>) [b](a%23b.md#ab) [c](100%25.md) [d](q%3Fx.md) [e](ünïcode.md)\n",
    )
    .unwrap();
    for name in ["My Page", "a#b", "100%", "q?x", "ünïcode"] {
        std::fs::write(src.join(format!("{name}.md")), format!("# {name}\n")).unwrap();
    }
    let (_t, site) = build(tmp.path());
    let (pages, checked) = assert_links_resolve(&site);
    assert!(
        pages >= 6 && checked > 100,
        "{pages} pages, {checked} links"
    );
    let home = page(&site, "index.html");
    let sidebar: Vec<&str> = home
        .select(&sel("#sidebar .toc a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        sidebar.contains(&"a%23b.html") && sidebar.contains(&"q%3Fx.html"),
        "{sidebar:?}"
    );
    let index = std::fs::read_to_string(site.join("search-index.js")).unwrap();
    assert!(
        index.contains("\"a%23b\"") && index.contains("\"100%25\""),
        "{index}"
    );
    let print = std::fs::read_to_string(site.join("print.html")).unwrap();
    assert!(
        print.contains("href=\"#chapter-a-b--ab\""),
        "links between chapters stay on the print page"
    );
}

/// Checks every relative `href`/`src` of every page under `site` (percent-
/// decoded, as a browser reads it) and every `#anchor`; returns how many
/// pages and links it checked.
fn assert_links_resolve(site: &Path) -> (usize, usize) {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(site).into_iter().flatten() {
        if entry.path().extension().is_some_and(|e| e == "html") {
            pages.push(entry.path().to_path_buf());
        }
    }
    let mut ids_of = |p: &Path| -> HashSet<String> {
        ids.entry(p.to_path_buf())
            .or_insert_with(|| {
                let doc = Html::parse_document(&std::fs::read_to_string(p).unwrap());
                doc.select(&sel("[id]"))
                    .map(|e| e.value().attr("id").unwrap().to_string())
                    .collect()
            })
            .clone()
    };
    let mut checked = 0;
    for p in &pages {
        if p.ends_with("404.html") {
            continue; // its links are absolute, for any depth
        }
        let doc = Html::parse_document(&std::fs::read_to_string(p).unwrap());
        for el in doc.select(&sel("[href], [src]")) {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if url.contains("://") || url.starts_with("mailto:") || url.starts_with("data:") {
                continue;
            }
            assert!(
                !url.contains(' ') && !url.contains('?'),
                "{}: `{url}` is not a URL",
                p.display()
            );
            let (path, frag) = url
                .split_once('#')
                .map_or((url, None), |(a, b)| (a, Some(b)));
            let target = if path.is_empty() {
                p.clone()
            } else {
                p.parent().unwrap().join(decode(path))
            };
            assert!(
                target.exists(),
                "{}: `{url}` points at nothing",
                p.display()
            );
            if let Some(frag) = frag.filter(|f| !f.is_empty()) {
                assert!(
                    ids_of(&target).contains(&decode(frag)),
                    "{}: `{url}`: no #{frag}",
                    p.display()
                );
            }
            checked += 1;
        }
    }
    (pages.len(), checked)
}

#[test]
fn the_example_handbook_builds_without_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        &repo(),
        &[
            "build",
            ".",
            "-o",
            tmp.path().join("site").to_str().unwrap(),
        ],
    );
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(", 0 warnings"), "{text}");
    assert!(!text.contains("warning["), "{text}");
}

#[test]
fn front_matter_text_is_escaped_everywhere() {
    let tmp = copy_fixture(&fixtures("good"));
    let evil = "<script>alert(\"x\")</script> & 'q'";
    std::fs::write(
        tmp.path().join("docs/components/evil.md"),
        format!("---\nkind: component\ntitle: \"{}\"\nsummary: \"=cmd|' /C calc'!A0\"\nlayer: storage\nowner: operator\n---\nBody.\n", evil.replace('"', "\\\"")),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("docs/activities/evil-act.md"),
        format!(
            "---\nkind: activity\ntitle: \"{}\"\narea: \"@SUM(1)\"\nraci: {{manager: A/R}}\n---\n",
            evil.replace('"', "\\\"")
        ),
    )
    .unwrap();
    let (_t, site) = build(tmp.path());
    for f in [
        "components/evil.html",
        "components.html",
        "layers.html",
        "raci.html",
        "print.html",
        "components/san.html",
    ] {
        let html = std::fs::read_to_string(site.join(f)).unwrap();
        assert!(
            !html.contains("<script>alert"),
            "{f} lets a <script> through"
        );
    }
    let page = std::fs::read_to_string(site.join("components/evil.html")).unwrap();
    assert!(page.contains("&lt;script&gt;alert("), "title not escaped");
    let csv = std::fs::read_to_string(site.join("raci.csv")).unwrap();
    assert!(csv.contains("'@SUM(1)"), "{csv}");
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("model.json")).unwrap()).unwrap();
    assert!(
        model["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["title"] == evil)
    );
}

#[test]
fn raw_html_passes_by_default_and_sanitize_html_cleans_it() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    let evil = "# Chapter 2 {onclick=alert(0)}\n\n<script>alert(1)</script>\n\n\
        <img src=\"x.png\" onerror=\"alert(2)\"> <a href=\"javascript:alert(3)\">j</a>\n\n\
        <details><summary>More</summary>kept</details>\n\n- [x] done\n\n| a |\n|:-:|\n| 1 |\n";
    std::fs::write(tmp.path().join("src/chapter_2.md"), evil).unwrap();
    let (_t, site) = build(tmp.path());
    let page = std::fs::read_to_string(site.join("chapter_2.html")).unwrap();
    assert!(
        page.contains("<script>alert(1)</script>"),
        "raw HTML passes through by default, as in mdBook"
    );

    append(
        &tmp.path().join("book.toml"),
        "\n[archbook]\nsanitize-html = true\n",
    );
    let (_t, site) = build(tmp.path());
    for f in ["chapter_2.html", "print.html"] {
        let html = std::fs::read_to_string(site.join(f)).unwrap();
        for bad in ["alert(1)", "onerror", "javascript:alert", "onclick"] {
            assert!(!html.contains(bad), "{f} keeps {bad}");
        }
        let doc = Html::parse_document(&html);
        for (kept, what) in [
            ("details summary", "harmless HTML"),
            ("input[type=checkbox][checked]", "the task list"),
            ("td[style=\"text-align: center\"]", "table alignment"),
            ("h1[id]", "heading anchors"),
        ] {
            assert!(doc.select(&sel(kept)).count() >= 1, "{f}: {what} removed");
        }
    }
    // The theme's own scripts are untouched: only page content is cleaned.
    let page = std::fs::read_to_string(site.join("chapter_2.html")).unwrap();
    assert!(page.contains("archbook.js"));
}

#[test]
fn highlight_false_writes_plain_code_for_a_client_side_highlighter() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    let page = "# Chapter 2\n\n```rust\nlet x = \"<b>\";\n```\n\n```nosuchlang\nplain\n```\n";
    std::fs::write(tmp.path().join("src/chapter_2.md"), page).unwrap();
    // An archbook handbook: a language without a syntax is a finding (an
    // mdBook book shows it plain, as mdBook does).
    append(&tmp.path().join("book.toml"), "\n[archbook]\n");

    // By default code is highlighted, and a language without a syntax is a finding.
    let out = run(tmp.path(), &["check"]);
    assert!(
        stderr(&out).contains("unknown-language"),
        "{}",
        stderr(&out)
    );
    let (_t, site) = build(tmp.path());
    let html = std::fs::read_to_string(site.join("chapter_2.html")).unwrap();
    assert!(html.contains("class=\"hl-"), "highlighted by default");

    // Into the `[archbook]` table added above.
    append(&tmp.path().join("book.toml"), "highlight = false\n");
    let out = run(tmp.path(), &["check"]);
    assert!(out.status.success());
    assert!(
        !stderr(&out).contains("unknown-language"),
        "nothing is highlighted, so no language is missing: {}",
        stderr(&out)
    );
    let (_t, site) = build(tmp.path());
    for f in ["chapter_2.html", "print.html"] {
        let html = std::fs::read_to_string(site.join(f)).unwrap();
        assert!(!html.contains("class=\"hl-"), "{f} is highlighted");
        let doc = Html::parse_document(&html);
        assert!(
            doc.select(&sel("pre.code code.language-rust"))
                .any(|c| c.text().collect::<String>() == "let x = \"<b>\";\n"),
            "{f}: no plain, escaped rust block"
        );
        assert_eq!(
            doc.select(&sel("pre.code code.language-nosuchlang"))
                .count(),
            1
        );
    }
    let css = std::fs::read_to_string(site.join("assets/highlight.css")).unwrap();
    assert!(!css.contains(".hl-"), "no highlighting rules: {css}");
}

#[test]
fn a_theme_may_repeat_or_filter_the_page_content() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    std::fs::create_dir_all(tmp.path().join("themes/twice")).unwrap();
    std::fs::write(
        tmp.path().join("themes/twice/page.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.content | safe }}<hr>{{ page.content | safe }}\
         <p id=\"len\">{{ page.content | length }}</p>{% endblock content %}",
    )
    .unwrap();
    append(
        &tmp.path().join("book.toml"),
        "\n[archbook]\ntheme = \"twice\"\n",
    );
    let (_t, site) = build(tmp.path());
    let html = std::fs::read_to_string(site.join("chapter_1.html")).unwrap();
    assert!(!html.contains("archbook:content") && !html.contains("archbook:sidebar"));
    let doc = Html::parse_document(&html);
    assert_eq!(
        doc.select(&sel("h1#chapter-1")).count(),
        0,
        "the title heading is separate"
    );
    let len: usize = text(&doc, "#len").parse().unwrap();
    assert!(
        len > 20,
        "length of the real content, not of a marker: {len}"
    );
    assert_eq!(html.matches("<hr>").count(), 1);
    assert_eq!(doc.select(&sel("nav#sidebar")).count(), 1);
}

/// A template that lists which of `keys` its context holds.
fn key_lister(keys: &[&str]) -> String {
    let checks: String = keys
        .iter()
        .map(|k| format!("{{% if {k} is defined %}}{k} {{% endif %}}"))
        .collect();
    format!("<p id=\"keys\">{checks}</p>")
}

#[test]
fn templates_get_every_key_the_theme_guide_lists() {
    // guide/src/themes.md, "Context": what every template gets, and what
    // pages and views get besides. A theme of its own may use any of them.
    const COMMON: &[&str] = &[
        "site",
        "root",
        "sidebar",
        "views",
        "title",
        "description",
        "current_url",
        "breadcrumbs",
        "prev",
        "next",
        "edit_url",
        "alphabet",
    ];
    let tmp = copy_fixture(&fixtures("good"));
    let theme = tmp.path().join("themes/keys");
    std::fs::create_dir_all(&theme).unwrap();
    let page_keys = [COMMON, &["page", "facts", "boundary", "referenced_by"]].concat();
    let raci_keys = [COMMON, &["raci"]].concat();
    std::fs::write(theme.join("page.html"), key_lister(&page_keys)).unwrap();
    std::fs::write(theme.join("raci.html"), key_lister(&raci_keys)).unwrap();
    replace_in(
        &tmp.path().join("book.toml"),
        "raci = \"RACI\"",
        "raci = \"RACI\"\ntheme = \"keys\"",
    );
    let (_t, site) = build(tmp.path());
    for (file, keys) in [
        ("roles/architect.html", &page_keys),
        ("raci.html", &raci_keys),
    ] {
        let html = std::fs::read_to_string(site.join(file)).unwrap();
        let doc = Html::parse_document(&html);
        let got: Vec<String> = text(&doc, "#keys")
            .split_whitespace()
            .map(String::from)
            .collect();
        assert_eq!(got, *keys, "{file}");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site() {
    let tmp = copy_fixture(&fixtures("good"));
    let site = tmp.path().join("site");
    let ok = run(tmp.path(), &["build"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let before = std::fs::read_to_string(site.join("index.html")).unwrap();
    // A template error is only found while rendering, after the checks passed.
    std::fs::create_dir_all(tmp.path().join("themes/broken")).unwrap();
    std::fs::write(tmp.path().join("themes/broken/page.html"), "{% extends \"base.html\" %}{% block content %}{{ page.nope.deeper }}{% endblock content %}").unwrap();
    replace_in(
        &tmp.path().join("book.toml"),
        "raci = \"RACI\"",
        "raci = \"RACI\"\ntheme = \"broken\"",
    );
    let bad = run(tmp.path(), &["build"]);
    let text = stderr(&bad);
    assert_eq!(bad.status.code(), Some(1), "{text}");
    assert!(text.contains("error[template]"), "{text}");
    assert!(text.contains("themes/broken/page.html:1:"), "{text}");
    assert_eq!(
        std::fs::read_to_string(site.join("index.html")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("archbook-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn a_build_killed_midway_leaves_the_previous_site() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    let site = tmp.path().join("book");
    let ok = run(tmp.path(), &["build"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let before = snapshot(&site);

    // A handbook large enough that the build is still writing when killed.
    let big = tmp.path().join("src/big");
    std::fs::create_dir_all(&big).unwrap();
    let body = "Some text with a [link](../README.md) and `code`.\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n".repeat(20);
    for i in 0..1500 {
        std::fs::write(
            big.join(format!("p{i}.md")),
            format!("# Page {i}\n\n{body}"),
        )
        .unwrap();
    }
    append(
        &tmp.path().join("book.toml"),
        "\n[archbook.rules]\nnot-in-summary = \"off\"\n",
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("archbook"))
        .current_dir(tmp.path())
        .arg("build")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = tmp
        .path()
        .join(format!(".book.archbook-tmp-{}", child.id()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    // Kill it once the staging folder holds pages: in the middle of writing.
    while walkdir::WalkDir::new(&staging)
        .into_iter()
        .flatten()
        .count()
        < 50
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the build never started writing"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build finished before it could be killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staging.exists(), "killed mid-build");
    assert!(snapshot(&site) == before, "the published site changed");

    // The next build succeeds and clears what the killed one left.
    let ok = run(tmp.path(), &["build"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(
        !staging.exists(),
        "the killed build's staging folder is swept"
    );
    assert!(site.join("big/p1499.html").is_file());
}

/// Every file of a folder with its contents.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn content_errors_write_nothing() {
    let tmp = copy_fixture(&fixtures("invalid/unknown-reference"));
    let out = run(tmp.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nothing was written"));
    assert!(!tmp.path().join("book").exists());
}

#[test]
fn dangerous_output_folders_are_refused() {
    let tmp = copy_fixture(&fixtures("good"));
    for bad in [".", "docs", "docs/out", "/"] {
        let out = run(tmp.path(), &["build", ".", "-o", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("refusing to write"),
            "{bad}: {}",
            stderr(&out)
        );
    }
    assert!(tmp.path().join("docs/README.md").exists());
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
fn init_then_check_then_build() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["init", "x"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(tmp.path().join("x/.github/workflows/pages.yml").exists());
    let check = run(tmp.path(), &["check", "x"]);
    assert!(
        stderr(&check).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&check)
    );
    let build = run(tmp.path(), &["build", "x"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(tmp.path().join("x/book/raci.html").exists());
    // A second init keeps everything as it is.
    std::fs::write(tmp.path().join("x/src/index.md"), "# Mine\n").unwrap();
    let again = run(tmp.path(), &["init", "x"]);
    assert!(stderr(&again).contains("kept"), "{}", stderr(&again));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("x/src/index.md")).unwrap(),
        "# Mine\n"
    );
}

#[test]
fn the_user_guide_builds_without_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        &repo().join("guide"),
        &["build", ".", "-o", tmp.path().join("g").to_str().unwrap()],
    );
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(", 0 warnings"), "{text}");
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
