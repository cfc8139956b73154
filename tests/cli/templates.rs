//! Themes and templates: what a template may do with the page, and the keys
//! every template gets (those the theme guide lists).

use scraper::Html;

use crate::build::{build, sel, text};
use crate::util::{append, copy_fixture, fixtures, replace_in};

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
