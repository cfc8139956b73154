//! What readers find their way by: the home page's way into the model;
//! tag pages (`tags.html`, each page's tags
//! linked to it, `tags` in `model.json`).

use crate::build::{build, page, sel};
use crate::util::write_files;

/// A small mdBook-shaped book; `pages` are (file under src/, text).
fn book(pages: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (file, _) in pages {
        summary.push_str(&format!("- [{file}]({file})\n"));
    }
    let mut files = vec![
        ("book.toml", "[book]\ntitle = \"Tagged\"\n".to_string()),
        ("src/SUMMARY.md", summary),
    ];
    files.extend(pages.iter().map(|(f, t)| (*f, t.to_string())));
    let files: Vec<(String, String)> = files
        .into_iter()
        .map(|(f, t)| {
            let f = if f.starts_with("src/") || f == "book.toml" {
                f.to_string()
            } else {
                format!("src/{f}")
            };
            (f, t)
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(f, t)| (f.as_str(), t.as_str()))
        .collect();
    write_files(dir.path(), &refs);
    dir
}

#[test]
fn tags_become_a_page_and_link_from_each_page() {
    let dir = book(&[
        (
            "a.md",
            "---\ntitle: Alpha\ntags: [Cloud, security]\n---\n# Alpha\n",
        ),
        (
            "b.md",
            "---\ntitle: Beta\ntags: [cloud, cloud]\nsummary: The second.\n---\n# Beta\n",
        ),
        (
            "c.md",
            "---\ntitle: Gamma\ndraft: true\ntags: [secret]\n---\n# Gamma\n",
        ),
        ("d.md", "# Delta\n\nNo tags.\n"),
    ]);
    let (_t, site) = build(dir.path());
    let tags = page(&site, "tags.html");
    let sections: Vec<(String, Vec<String>)> = tags
        .select(&sel("section.tag-section"))
        .map(|s| {
            let h = s.select(&sel("h2")).next().unwrap();
            let links = s
                .select(&sel("li > a"))
                .map(|a| a.value().attr("href").unwrap().to_string())
                .collect();
            (h.value().id().unwrap().to_string(), links)
        })
        .collect();
    // "Cloud" and "cloud" are one tag, named as first written; a page
    // tagged twice is listed once; a draft's tag is not published.
    assert_eq!(
        sections,
        [
            (
                "tag-cloud".to_string(),
                vec!["a.html".to_string(), "b.html".to_string()]
            ),
            ("tag-security".to_string(), vec!["a.html".to_string()]),
        ]
    );
    assert_eq!(
        tags.select(&sel("h2#tag-cloud"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "Cloud"
    );
    // Each page links its tags to their sections.
    let alpha = page(&site, "a.html");
    let hrefs: Vec<&str> = alpha
        .select(&sel(".page-tags a"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(hrefs, ["tags.html#tag-cloud", "tags.html#tag-security"]);
    assert!(
        page(&site, "d.html")
            .select(&sel(".page-tags"))
            .next()
            .is_none()
    );
    // The sidebar lists the view.
    assert!(
        alpha
            .select(&sel("nav a[href='tags.html']"))
            .next()
            .is_some()
    );
    // model.json names every tag with its pages.
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("model.json")).unwrap()).unwrap();
    let names: Vec<&str> = model["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Cloud", "security"]);
    assert_eq!(model["tags"][0]["pages"][1]["id"], "b");
}

#[test]
fn a_book_without_tags_keeps_its_own_tags_page() {
    let dir = book(&[
        ("intro.md", "# Intro\n\nSee [the tags](tags.md).\n"),
        ("tags.md", "# Tags\n\nOur own page about HTML tags.\n"),
    ]);
    let (_t, site) = build(dir.path());
    let own = std::fs::read_to_string(site.join("tags.html")).unwrap();
    assert!(own.contains("Our own page about HTML tags."));
    // Once a page has tags, a page of that name collides with the view.
    let dir = book(&[
        ("intro.md", "---\ntags: [x]\n---\n# Intro\n"),
        ("tags.md", "# Tags\n"),
    ]);
    let out = crate::util::run(dir.path(), &["check", "."]);
    let said = crate::util::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("a page archbook generates"), "{said}");
    // Without tags and without a page of that name, nothing is written
    // there: a link to it is broken (a warning in an mdBook-shaped book,
    // as every broken link is).
    let dir = book(&[("intro.md", "# Intro\n\nSee [the tags](tags.html).\n")]);
    let out = crate::util::run(dir.path(), &["check", "."]);
    let said = crate::util::stderr(&out);
    assert!(
        said.contains("warning[broken-link]: link target `tags.html` does not exist"),
        "{said}"
    );
    assert!(said.contains("src/intro.md:3:5"), "{said}");
}

#[test]
fn the_home_page_leads_into_the_model() {
    let (_t, site) = build(&crate::util::repo());
    let home = page(&site, "index.html");
    let views: Vec<(String, String)> = home
        .select(&sel(".home-views li"))
        .map(|li| {
            let a = li.select(&sel("a")).next().unwrap();
            let detail = li.select(&sel("span")).next().unwrap();
            (
                a.value().attr("href").unwrap().to_string(),
                detail.text().collect(),
            )
        })
        .collect();
    let detail = |url: &str| {
        views
            .iter()
            .find(|(u, _)| u == url)
            .map(|(_, d)| d.as_str())
            .unwrap_or_else(|| panic!("{url} not on the home page: {views:?}"))
    };
    // Counted from the model the site publishes.
    let raci = page(&site, "raci.html");
    let activities = raci.select(&sel(".matrix-wrap tr[data-activity]")).count();
    let roles = raci
        .select(&sel(".matrix-wrap thead th[data-role]"))
        .count();
    assert_eq!(
        detail("raci.html"),
        format!("{activities} activities × {roles} roles")
    );
    assert_eq!(detail("decisions.html"), "4 decisions");
    assert_eq!(detail("tags.html"), "4 tags");
    for url in [
        "layers.html",
        "dependencies.html",
        "boundaries.html",
        "health.html",
    ] {
        assert!(!detail(url).is_empty());
    }
    // Where a newcomer starts: the first page after the home page.
    let start = home.select(&sel(".start-here a")).next().unwrap();
    assert_eq!(
        start.value().attr("href"),
        Some("roles/infrastructure-architect.html")
    );
    // Only the home page has it.
    let role = page(&site, "roles/infrastructure-architect.html");
    assert!(role.select(&sel(".home-views")).next().is_none());

    // An mdBook book without a model keeps its home page as written.
    let dir = book(&[("README.md", "# Welcome\n"), ("a.md", "# A\n")]);
    let (_t, site) = build(dir.path());
    let home = page(&site, "index.html");
    assert!(home.select(&sel(".home-views")).next().is_none());
    assert!(home.select(&sel("h1")).next().is_some());
}

#[test]
fn breadcrumb_sections_link_to_their_index_pages() {
    let (_t, site) = build(&crate::util::repo());
    for (page_file, index) in [
        ("roles/technical-manager.html", "../roles.html"),
        ("components/web-tier.html", "../components.html"),
        ("activities/monitor-slas.html", "../activities.html"),
        (
            "decisions/0001-kubernetes-as-container-platform.html",
            "../decisions.html",
        ),
    ] {
        let doc = page(&site, page_file);
        let links: Vec<&str> = doc
            .select(&sel("nav.breadcrumbs a"))
            .map(|a| a.value().attr("href").unwrap())
            .collect();
        assert!(links.contains(&index), "{page_file}: {links:?}");
    }
    // A folder of plain pages without a page of its own stays text.
    let dir = book(&[
        ("README.md", "# Home\n"),
        ("notes/a.md", "# A\n"),
        ("notes/b.md", "# B\n"),
    ]);
    std::fs::write(
        dir.path().join("src/SUMMARY.md"),
        "# Summary\n\n[Home](README.md)\n\n- [Notes]()\n  - [A](notes/a.md)\n  - [B](notes/b.md)\n",
    )
    .unwrap();
    let (_t, site) = build(dir.path());
    let doc = page(&site, "notes/a.html");
    let crumbs: Vec<String> = doc
        .select(&sel("nav.breadcrumbs li"))
        .map(|li| li.inner_html().trim().to_string())
        .collect();
    assert_eq!(crumbs[1], "Notes", "{crumbs:?}");
}

/// The example handbook's `book.toml` and `content/` in a temporary folder.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = crate::util::repo();
    std::fs::copy(repo.join("book.toml"), dir.path().join("book.toml")).unwrap();
    crate::util::copy_dir(&repo.join("content"), &dir.path().join("content"));
    dir
}

#[test]
fn areas_follow_book_toml_and_layers_read_top_down() {
    let dir = example_copy();
    crate::util::append(
        &dir.path().join("book.toml"),
        "areas = [\"Technical Leadership\", \"Design & Visoin\"]\n",
    );
    // A slip in an area's name: a located warning with the near miss.
    let out = crate::util::run(dir.path(), &["check", "."]);
    let said = crate::util::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("warning[unknown-area]: no activity has the area `Design & Visoin`"),
        "{said}"
    );
    assert!(said.contains("book.toml:18:34"), "{said}");
    assert!(said.contains("did you mean `Design & Vision`?"), "{said}");

    let (_t, site) = build(dir.path());
    let raci = page(&site, "raci.html");
    let areas: Vec<String> = raci
        .select(&sel(".matrix-wrap tr.area-row th"))
        .map(|th| th.text().collect::<String>().trim().to_string())
        .collect();
    // The listed one first; the others as the activities first name them.
    assert_eq!(areas[0], "Technical Leadership", "{areas:?}");
    assert_eq!(areas[1], "Design & Vision", "{areas:?}");
    assert_eq!(areas.len(), 5, "{areas:?}");

    // The sidebar lists layers as the layer matrix does: top of the stack
    // first, each layer's sub-layers after it.
    let layers = page(&site, "layers.html");
    let matrix: Vec<String> = layers
        .select(&sel("tr[data-layer]"))
        .map(|tr| format!("layers/{}.html", tr.value().attr("data-layer").unwrap()))
        .collect();
    // The whole table of contents, as toc.js gives it to every page.
    let toc = std::fs::read_to_string(site.join("toc.js")).unwrap();
    let json = toc
        .trim()
        .strip_prefix("window.archbookToc = ")
        .and_then(|t| t.strip_suffix(';'))
        .unwrap();
    let whole: String = serde_json::from_str(json).unwrap();
    let sidebar: Vec<String> = scraper::Html::parse_fragment(&whole)
        .select(&sel("a[href^='layers/']"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(sidebar, matrix);
    assert_eq!(matrix[0], "layers/cloud.html");
}
