//! Limits: very large pages, very deep folders and pathological Markdown and
//! YAML build (or fail with a located finding) without a crash or a hang.

use std::path::Path;

use crate::util::{run, run_within, stderr};

fn handbook(pages: &[(&str, String)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("book.toml"), "[book]\ntitle = \"Limits\"\n").unwrap();
    for (rel, text) in pages {
        let path = tmp.path().join("src").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    tmp
}

fn build(dir: &Path) -> String {
    let out = run(dir, &["build"]);
    let text = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        &text[..text.len().min(4000)]
    );
    text
}

#[test]
fn a_ten_megabyte_page_builds() {
    let mut page = String::from("# Big\n\n");
    let mut n = 0;
    while page.len() < 10 << 20 {
        page.push_str(&format!(
            "## Section {n}\n\nText with *emphasis*, `code`, a [link](#section-{n}) and more words \
             to fill the line, as a long design document would have.\n\n\
             | a | b |\n|---|---|\n| {n} | x |\n\n- one\n- two\n\n"
        ));
        if n % 50 == 0 {
            page.push_str("```rust\nfn main() { println!(\"hello\"); }\n```\n\n");
        }
        n += 1;
    }
    let tmp = handbook(&[("README.md", page)]);
    build(tmp.path());
    let html = std::fs::read_to_string(tmp.path().join("book/index.html")).unwrap();
    assert!(html.len() > 10 << 20);
    assert!(html.contains(&format!("id=\"section-{}\"", n - 1)));
}

#[test]
fn deeply_nested_folders_build() {
    let deep: String = (0..150).map(|i| format!("d{i}/")).collect();
    let up = "../".repeat(150);
    let tmp = handbook(&[
        ("README.md", format!("# Top\n\n[Leaf]({deep}leaf.md)\n")),
        (
            &format!("{deep}leaf.md"),
            format!("# Leaf\n\n[Top]({up}README.md)\n"),
        ),
    ]);
    build(tmp.path());
    let leaf = tmp.path().join("book").join(&deep).join("leaf.html");
    let html = std::fs::read_to_string(leaf).unwrap();
    assert!(html.contains(&format!("href=\"{up}index.html\"")));
}

#[test]
fn pathological_input_is_a_finding_not_a_hang() {
    let block: String = (1..3000)
        .map(|i| format!("{}k:\n", "  ".repeat(i)))
        .collect();
    let tmp = handbook(&[
        (
            "flow.md",
            format!(
                "---\nextra: {}{}\n---\n# A\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
        ),
        (
            "block.md",
            format!("---\ntitle: y\nextra:\n{block}---\n# B\n"),
        ),
        (
            "markdown.md",
            format!(
                "# C\n\n{} deep\n\n{}list\n\n{}x{}\n\n{}x{}\n",
                ">".repeat(100_000),
                "- ".repeat(20_000),
                "*".repeat(50_000),
                "*".repeat(50_000),
                "[".repeat(50_000),
                "]".repeat(50_000)
            ),
        ),
        ("README.md", "# Top\n".to_string()),
    ]);
    let out = run(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = findings.to_string();
    assert!(text.contains("nest more than 64 levels"), "{text}");
    assert!(text.contains("recursion limit exceeded"), "{text}");
    assert!(
        !text.contains("markdown.md"),
        "deep Markdown is fine: {text}"
    );
    // Located at the offending bracket, not just the file.
    assert!(
        findings["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == "src/flow.md" && f["column"] == 72),
        "{text}"
    );
}

/// Found in the Cargo book: syntect spun forever on this block (two
/// JavaScript grammar rules `set` each other without consuming text), and
/// `check` passed while `build` never ended.
#[test]
fn a_looping_grammar_does_not_hang_the_build() {
    let block = "```javascript\n{\n    \"doctest\": true\n    /* x */\n}\n```\n";
    let tmp = handbook(&[("README.md", format!("# Top\n\n{block}\nx /*\n"))]);
    let out = run_within(tmp.path(), &["build"], 60);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let html = std::fs::read_to_string(tmp.path().join("book/index.html")).unwrap();
    assert!(html.contains("hl-comment"), "the block is highlighted");
}

/// Found in the Rust and WebAssembly book: the JavaScript grammar took
/// 0.1 s (release build) to highlight this 165-byte block, backtracking in
/// oniguruma over the run of spaces before the comment; 200 such blocks
/// took 13.5 s (a test build), 0.3 s once backtracking is bounded. The
/// blocks are highlighted as before.
#[test]
fn a_grammar_that_backtracks_without_end_is_bounded() {
    // Blocks whose slow line differs, so each is parsed (identical blocks
    // and lines are highlighted once).
    let block = |i: usize| {
        format!(
            "```js\n{{\n  \"dependencies-{i}\": {{                     // Add this three lines block!\n    \"wasm-game-of-life\": \"file:../pkg\"\n  }},\n  \"devDependencies\": {{\n    //...\n  }}\n}}\n```\n"
        )
    };
    let body: String = (0..200)
        .map(|i| format!("## Part {i}\n\n{}\n", block(i)))
        .collect();
    let tmp = handbook(&[("README.md", format!("# Top\n\n{body}"))]);
    let out = run_within(tmp.path(), &["build"], 5);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let html = std::fs::read_to_string(tmp.path().join("book/index.html")).unwrap();
    assert!(html.contains("hl-comment"), "the block is highlighted");
}

/// 20,000 headings of the same text took 38 s (each id counted its
/// suffixes from 1 again), 10,000 broken anchors against 10,000 headings
/// 36 s (every pair compared for "did you mean"), and 10,000 findings
/// printed in full.
#[test]
fn repeats_stay_linear_and_findings_are_capped() {
    let same: String = "# Same\n\n".to_string() + &"## Same heading\n\n".repeat(20_000);
    let many: String = (0..10_000).fold("# Many\n\n".to_string(), |mut s, i| {
        s.push_str(&format!("## Heading number {i}\n\n"));
        s
    });
    let links: String = (0..10_000).fold("# Links\n\n".to_string(), |mut s, i| {
        s.push_str(&format!("[x](many.md#missing-anchor-{i})\n\n"));
        s
    });
    let tmp = handbook(&[
        ("README.md", "# Top\n".into()),
        ("same.md", same),
        ("many.md", many),
        ("links.md", links),
    ]);
    // An archbook handbook, where broken anchors are errors.
    crate::util::append(&tmp.path().join("book.toml"), "\n[archbook]\n");
    let out = run_within(tmp.path(), &["check"], 60);
    let text = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        &text[..text.len().min(2000)]
    );
    assert_eq!(text.matches("error[broken-anchor]").count(), 50);
    assert!(
        text.contains("... and 9950 more `broken-anchor` findings"),
        "{}",
        &text[text.len().saturating_sub(2000)..]
    );
    assert!(
        text.contains("failed: 4 pages, 10000 errors"),
        "{}",
        &text[text.len().saturating_sub(500)..]
    );
    let out = run_within(tmp.path(), &["check", "--all-findings"], 60);
    assert_eq!(stderr(&out).matches("error[broken-anchor]").count(), 10_000);
}

/// A RACI matrix of 3,000 roles × 3,000 activities took 4.9 GB; past
/// 250,000 cells it is a located `limit` error.
#[test]
fn an_oversized_raci_matrix_is_a_located_error() {
    let mut pages = vec![("README.md", "# Top\n".to_string())];
    let names: Vec<(String, String)> = (0..600)
        .map(|i| {
            (
                format!("roles/r{i}.md"),
                format!("---\nkind: role\n---\n# Role {i}\n"),
            )
        })
        .chain((0..500).map(|i| {
            (
                format!("activities/a{i}.md"),
                format!(
                    "---\nkind: activity\nraci:\n  r0: A\n  r{}: R\n---\n# Activity {i}\n",
                    i % 599 + 1
                ),
            )
        }))
        .collect();
    pages.extend(names.iter().map(|(p, t)| (p.as_str(), t.clone())));
    let tmp = handbook(&pages);
    let out = run_within(tmp.path(), &["check"], 60);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "error[limit]: the RACI matrix would have 600 roles × 500 activities = 300000 cells"
        ),
        "{text}"
    );
    // At the first role past what fits (files are taken in path order).
    let at = text.find("limit]").unwrap();
    assert!(text[at..].contains("┌─ src/roles/r"), "{text}");
    assert!(text[at..].contains(".md:2:7"), "{text}");
}
