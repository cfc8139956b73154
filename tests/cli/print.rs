//! The print page (`print.html`) as the whole handbook, read back from the
//! example handbook's build: fact boxes, the generated views as chapters,
//! the RACI matrix in groups of role columns, links that stay on the page.

use std::collections::HashSet;

use scraper::Html;

use crate::build::{build, page, sel};
use crate::util::repo;

fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn print_page_carries_the_whole_model() {
    let (_t, site) = build(&repo());
    let print = page(&site, "print.html");
    let text = print.root_element().text().collect::<String>();

    // Every role's mantra, from the model the site publishes.
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("model.json")).unwrap()).unwrap();
    let mantras: Vec<&str> = model["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "role")
        .map(|i| i["facts"]["mantra"].as_str().unwrap())
        .collect();
    assert_eq!(mantras.len(), 9);
    for m in &mantras {
        assert!(text.contains(m), "mantra missing from print.html: {m}");
    }

    // The generated views are chapters; the wide ones print landscape.
    let ids: HashSet<String> = print
        .select(&sel("[id]"))
        .map(|e| e.value().id().unwrap().to_string())
        .collect();
    for view in ["raci", "layers", "dependencies", "boundaries", "decisions"] {
        assert!(
            ids.contains(&format!("chapter-{view}")),
            "no {view} chapter"
        );
    }
    assert_eq!(
        texts(&print, "section.print-wide").len(),
        2,
        "RACI and layers print across the page"
    );
    let style = texts(&print, "head style").join("\n");
    assert!(style.contains("@page chapter-raci { size: landscape;"));
    assert!(style.contains("@page chapter-roles-infrastructure-architect { @top-left { content: \"Infrastructure Architect\"; } }"));

    // The RACI matrix: every role column in some group of at most eight,
    // the activity column in each, and the same boundary cells as the site's.
    let raci = page(&site, "raci.html");
    let roles = texts(&raci, ".matrix-wrap thead th[data-role]");
    let groups: Vec<_> = print
        .select(&sel("#chapter-raci .print-groups table"))
        .collect();
    assert_eq!(groups.len(), 2);
    let mut grouped = Vec::new();
    for g in &groups {
        let heads: Vec<String> = g
            .select(&sel("thead th"))
            .map(|e| e.text().collect::<String>())
            .collect();
        assert_eq!(heads[0], "Activity");
        assert!(heads.len() - 1 <= 8);
        grouped.extend(heads.into_iter().skip(1));
    }
    assert_eq!(grouped, roles);
    let boundary = |doc: &Html, css: &str| doc.select(&sel(css)).count();
    let not_done = boundary(&raci, ".matrix-wrap td.does-not");
    assert!(not_done >= 9, "the example draws nine boundary cells");
    assert_eq!(
        boundary(&print, "#chapter-raci .print-groups td.does-not"),
        not_done
    );

    // Links inside the page land on an element of it; the contents list
    // every chapter with a slot for its page number.
    for a in print.select(&sel("a[href^='#']")) {
        let target = &a.value().attr("href").unwrap()[1..];
        assert!(ids.contains(target), "#{target} is not on the print page");
    }
    let chapters = print.select(&sel("section.print-chapter")).count();
    let slots: Vec<_> = print
        .select(&sel(".print-toc .toc-page"))
        .map(|e| e.value().attr("data-chapter").unwrap().to_string())
        .collect();
    assert_eq!(slots.len(), chapters);
    assert!(slots.iter().all(|s| ids.contains(s)));
}
