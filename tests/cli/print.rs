//! The print page (`print.html`) as the whole handbook, read back from the
//! example handbook's build: fact boxes, the generated views as chapters,
//! the RACI matrix in groups of role columns, links that stay on the page.

use std::collections::HashSet;

use scraper::Html;

use crate::build::{build, page, sel};
use crate::util::{repo, run, stderr, write_files};

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

/// `pdftotext -raw` of `pdf`, its whitespace folded to single spaces; `None`
/// when poppler's `pdftotext` is not installed.
fn pdf_text(pdf: &std::path::Path) -> Option<String> {
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    let text = String::from_utf8(out.stdout).unwrap();
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether the PDF tests can run here: a browser and `pdftotext`. Where
/// `ARCHBOOK_REQUIRE_PDF` is set (CI), their absence fails the test.
fn pdf_tools() -> bool {
    let browser = archbook::pdf::find_browser(None);
    let poppler = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if browser.is_ok() && poppler {
        return true;
    }
    let why = format!(
        "browser: {:?}; pdftotext: {}",
        browser.map_err(|e| e.to_string()),
        if poppler { "found" } else { "not found" }
    );
    assert!(
        std::env::var_os("ARCHBOOK_REQUIRE_PDF").is_none(),
        "the PDF test needs Chromium and pdftotext: {why}"
    );
    eprintln!("skipped: the PDF test needs Chromium and pdftotext ({why})");
    false
}

#[test]
fn pdf_of_the_example_handbook_holds_the_model() {
    if !pdf_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = run(
        &repo(),
        &["build", ".", "-o", site.to_str().unwrap(), "--pdf"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("handbook.pdf"), "{said}");
    let pdf = site.join("handbook.pdf");
    let text = pdf_text(&pdf).unwrap();

    // The page count, as the build reported it and as the file has it.
    let pages: usize = said
        .split("handbook.pdf, ")
        .nth(1)
        .and_then(|s| s.split(" pages").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no page count in: {said}"));
    assert!((80..=200).contains(&pages), "{pages} pages");
    assert!(text.contains(&format!("{pages} / {pages}")), "page footers");

    // Every role's mantra, every RACI role column, every "does not".
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("model.json")).unwrap()).unwrap();
    let roles: Vec<&serde_json::Value> = model["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "role")
        .collect();
    assert_eq!(roles.len(), 9);
    for r in &roles {
        let mantra = r["facts"]["mantra"].as_str().unwrap();
        assert!(
            text.contains(mantra),
            "mantra missing from the PDF: {mantra}"
        );
    }
    let raci = page(&site, "raci.html");
    let heads = texts(&raci, ".matrix-wrap thead th[data-role]");
    assert_eq!(heads.len(), 9);
    for h in &heads {
        assert!(
            text.contains(h.as_str()),
            "RACI column missing from the PDF: {h}"
        );
    }
    let mut not_done: Vec<String> = Vec::new();
    for row in raci.select(&sel(".matrix-wrap tr[data-activity]")) {
        if row.select(&sel("td.does-not")).next().is_some() {
            let title = row.select(&sel("th")).next().unwrap();
            not_done.push(title.text().collect::<String>().trim().to_string());
        }
    }
    assert!(not_done.len() >= 5, "{not_done:?}");
    for a in &not_done {
        let a = a.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(&a), "does-not activity missing: {a}");
    }
    // Boundary tables: each "does not" as the role pages list it.
    assert!(text.contains("does not"), "no boundary in the PDF");

    // The contents carry the page on which each chapter starts.
    let intro = text.find("Introduction ").expect("contents");
    let after = &text[intro + "Introduction ".len()..];
    let first: usize = after
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no page number after Introduction: {}", &after[..40]));
    assert!(
        (2..10).contains(&first),
        "Introduction starts on page {first}"
    );
}

#[test]
fn pdf_without_a_browser_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "book.toml",
                "[book]\ntitle = \"T\"\n[output.pdf]\nbrowser-binary-path = \"/nowhere/chromium\"\n",
            ),
            ("src/SUMMARY.md", "# Summary\n\n- [Intro](intro.md)\n"),
            ("src/intro.md", "# Intro\n\nText.\n"),
        ],
    );
    let site = dir.path().join("site");
    let out = run(
        dir.path(),
        &["build", ".", "-o", site.to_str().unwrap(), "--pdf"],
    );
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("/nowhere/chromium"), "{said}");
    assert!(said.contains("browser-binary-path"), "{said}");
    // The site itself was built; only the PDF is missing.
    assert!(site.join("print.html").is_file());
    assert!(!site.join("handbook.pdf").exists());
}
