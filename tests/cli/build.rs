//! `archbook build`: the generated site of the fixture and example handbooks,
//! read back as HTML: matrix cells, fact boxes, backlinks, links and anchors,
//! escaping, highlighting; `init` and the user guide. The helpers here read
//! a built site for the other test modules too.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::util::{append, copy_fixture, fixtures, repo, run, run_expecting, stderr, write_files};

/// Builds `dir` into a fresh temporary folder and returns (tempdir, site path).
pub fn build(dir: &Path) -> (tempfile::TempDir, PathBuf) {
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

pub fn page(site: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

pub fn text(doc: &Html, css: &str) -> String {
    doc.select(&sel(css))
        .next()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .unwrap_or_else(|| panic!("nothing matches {css}"))
}

pub fn main_html(doc: &Html) -> String {
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
    // The index, and beside it the stemmer the browser runs on queries.
    assert!(search.starts_with("window.archbookSearchIndex = {\"stem\":\"porter2\","));
    let stem = std::fs::read_to_string(site.join("search-stem.js")).unwrap();
    assert!(stem.contains("window.archbookStem = exports.stem;"));
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
        "dependencies.html",
        "health.html",
        "roles/operator.html",
        "components/database.html",
    ] {
        let html = main_html(&page(&site, view));
        insta::assert_snapshot!(format!("view__{}", view.replace('/', "_")), html);
    }
}

/// The RACI matrix shows a role's boundary: the cell of an activity the
/// role lists under `does_not` is marked; each cell names its role for the
/// phone's card layout, and a cell without letters says it is empty.
#[test]
fn raci_matrix_marks_does_not_cells() {
    let (_t, site) = build(&fixtures("good"));
    let raci = page(&site, "raci.html");
    let marked: Vec<(String, String)> = raci
        .select(&sel("td.does-not"))
        .map(|td| {
            let row = td.parent().and_then(scraper::ElementRef::wrap).unwrap();
            (
                row.attr("data-activity").unwrap().to_string(),
                td.attr("data-role").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(marked, [("operate".to_string(), "architect".to_string())]);
    assert_eq!(
        text(
            &raci,
            "tr[data-activity=operate] td[data-role=architect] .not-done"
        ),
        "✕ does not"
    );
    let cell = raci
        .select(&sel("tr[data-activity=buy] td[data-role=operator]"))
        .next()
        .unwrap();
    assert_eq!(cell.attr("data-label"), Some("Operator"));
    assert_eq!(cell.attr("class"), Some("empty"));
}

/// "Model health" lists what the coverage leaves open, with counts, from
/// the model of a handbook with gaps of every kind.
#[test]
fn model_health_lists_the_gaps_with_counts() {
    let tmp = copy_fixture(&fixtures("good"));
    write_files(
        &tmp.path().join("docs"),
        &[
            (
                "layers/edge.md",
                "---\nkind: layer\nlevel: 9\n---\n# Edge\n",
            ),
            (
                "roles/auditor.md",
                "---\nkind: role\nrelations: {manager: Reports to.}\n---\n# Auditor\n",
            ),
            (
                "activities/audit.md",
                "---\nkind: activity\nraci: {manager: A, auditor: C}\n---\n# Audit\n",
            ),
            (
                "decisions/0002-old.md",
                "---\nkind: decision\nstatus: proposed\ndate: 2020-01-01\n---\n# Old proposal\n",
            ),
            (
                "decisions/0003-new.md",
                "---\nkind: decision\nstatus: proposed\ndate: 2020-01-30\n---\n# New proposal\n",
            ),
        ],
    );
    append(
        &tmp.path().join("book.toml"),
        "\n[archbook.rules]\nraci-responsible = \"off\"\n",
    );
    let out_dir = tmp.path().join("out");
    let out = assert_cmd::Command::cargo_bin("archbook")
        .unwrap()
        .args([
            "build",
            tmp.path().to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
        ])
        // 2020-02-10: the first proposal waited 40 days, the second 11.
        .env("SOURCE_DATE_EPOCH", "1581292800")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = std::fs::read_to_string(out_dir.join("health.html")).unwrap();
    let doc = Html::parse_document(&html);
    let group = |id: &str| -> Vec<String> {
        doc.select(&sel(&format!("section[aria-labelledby={id}] li")))
            .map(|li| li.text().collect::<String>())
            .collect()
    };
    assert_eq!(group("no-responsible"), ["Audit"]);
    assert_eq!(group("idle-roles"), ["Auditor"]);
    assert_eq!(group("empty-layers"), ["Edge"]);
    assert_eq!(
        group("proposed-decisions"),
        ["Old proposal (proposed on 2020-01-01, 40 days ago)"]
    );
    assert!(group("no-accountable").is_empty());
    let counts: Vec<String> = doc
        .select(&sel(".health-summary .health-count"))
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(counts.len(), 7);
    assert_eq!(group("unowned-layers"), ["Edge"]);
    assert!(html.contains("5 gaps to look at."), "{html}");
    // Linked from every page's navigation.
    assert!(
        std::fs::read_to_string(out_dir.join("index.html"))
            .unwrap()
            .contains("health.html")
    );
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
fn mermaid_blocks_are_drawn_at_build_time() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    run_expecting(&repo(), &["build", ".", "-o", site.to_str().unwrap()], 0);
    let html =
        std::fs::read_to_string(site.join("components/disaster-recovery-site.html")).unwrap();
    let doc = Html::parse_document(&html);
    let svg = doc
        .select(&sel("figure.diagram.mermaid > svg"))
        .next()
        .expect("a drawn diagram");
    // Named and described for assistive technology, its labels as text.
    let labelled = svg.value().attr("aria-labelledby").unwrap();
    assert_eq!(
        text(&doc, &format!("title#{labelled}")),
        "Fail-over to the disaster-recovery site"
    );
    assert!(svg.value().attr("aria-describedby").is_some());
    let labels: String = svg.text().collect();
    assert!(
        labels.contains("Primary site lost") && labels.contains("Redirect users over the WAN"),
        "{labels}"
    );
    // No script is needed to see it, and none is left for mermaid.js.
    assert!(!html.contains("class=\"mermaid\">flowchart"));
    // The sequence of a request, on another page, has ids of its own.
    let rfp = std::fs::read_to_string(site.join("activities/draft-rfp-rfi.html")).unwrap();
    let id = |h: &str| {
        h.split("<svg id=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_string)
    };
    assert!(id(&rfp).is_some() && id(&rfp) != id(&html));
}

#[test]
fn a_mermaid_error_stops_the_build_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let args = ["build", "mermaid", "-o", site.to_str().unwrap()];
    let text = run_expecting(&fixtures("invalid"), &args, 1);
    assert!(text.contains("mermaid/src/index.md:9:46"), "{text}");
    assert!(!site.exists(), "nothing is written");
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
