//! `archbook diff` and `changes-since` over a repository with a scripted
//! history: `tests/fixtures/history/v1` and `v2` committed (and tagged) in
//! turn into `docs/` of a new git repository, then a commit that breaks the
//! model, then an edit left uncommitted.

use std::path::Path;

use serde_json::Value;

use crate::util::*;

/// A repository whose `docs/` holds the handbook: a first commit without
/// it, tags `v1` and `v2`, then `HEAD` (v2 with an owner that does not
/// resolve).
fn history() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    git(repo, &["init", "-q"]);
    std::fs::write(
        repo.join("README.md"),
        "# A repository with a handbook in docs/\n",
    )
    .unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "start"]);
    for v in ["v1", "v2"] {
        let docs = repo.join("docs");
        if docs.exists() {
            std::fs::remove_dir_all(&docs).unwrap();
        }
        copy_dir(&fixtures("history").join(v), &docs);
        git(repo, &["add", "-A"]);
        git(repo, &["commit", "-q", "-m", v]);
        git(repo, &["tag", v]);
    }
    replace_in(
        &repo.join("docs/src/components/compute.md"),
        "owner: ops",
        "owner: opps",
    );
    git(repo, &["commit", "-q", "-am", "a typo"]);
    tmp
}

/// The text with abbreviated commit ids (`(6be6586cdf)`) replaced.
fn without_commits(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('(') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.len() >= 12
            && tail.as_bytes()[11] == b')'
            && tail[1..11].bytes().all(|b| b.is_ascii_hexdigit())
        {
            out.push_str("(COMMIT)");
            rest = &tail[12..];
        } else {
            out.push('(');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let out = run(dir, args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON on standard output")
}

/// The changes matching every `(key, value)` of `want`.
fn find<'a>(doc: &'a Value, want: &[(&str, &str)]) -> Vec<&'a Value> {
    doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            want.iter().all(|(k, v)| match k.split_once('.') {
                Some((a, b)) => c[a][b].as_str() == Some(v),
                None => c[*k].as_str() == Some(v),
            })
        })
        .collect()
}

fn one<'a>(doc: &'a Value, want: &[(&str, &str)]) -> &'a Value {
    let found = find(doc, want);
    assert_eq!(found.len(), 1, "{want:?} in {:#}", doc["changes"]);
    found[0]
}

#[test]
fn every_kind_of_change_is_reported_in_json() {
    let tmp = history();
    let doc = json(
        tmp.path(),
        &["diff", "v1", "v2", "-C", "docs", "--format", "json"],
    );
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["old"]["label"], "v1");
    assert_eq!(doc["old"]["commit"].as_str().unwrap().len(), 40);
    // Accountables first, then RACI cells (the role renamed pm ->
    // project-manager is followed, not reported as a new role).
    let c = one(
        &doc,
        &[("section", "accountable"), ("subject.id", "transitions")],
    );
    assert_eq!(
        (c["old"].as_str(), c["new"].as_str()),
        (Some("project-manager"), Some("architect"))
    );
    assert_eq!(doc["changes"][0]["section"], "accountable");
    let c = one(
        &doc,
        &[
            ("section", "raci"),
            ("subject.id", "transitions"),
            ("key", "project-manager"),
        ],
    );
    assert_eq!(
        (c["old"].as_str(), c["new"].as_str()),
        (Some("A"), Some("C"))
    );
    one(
        &doc,
        &[
            ("section", "raci"),
            ("subject.id", "handle-tickets"),
            ("key", "ops"),
            ("change", "added"),
        ],
    );
    // Roles: boundaries, relations, focus, mantra.
    one(
        &doc,
        &[
            ("field", "does_not"),
            ("key", "handle-tickets"),
            ("change", "added"),
        ],
    );
    let c = one(&doc, &[("field", "relations"), ("key", "project-manager")]);
    assert_eq!(c["new"], "Reports to the project manager.");
    one(
        &doc,
        &[("field", "relations"), ("key", "ops"), ("change", "added")],
    );
    one(&doc, &[("field", "focus"), ("change", "changed")]);
    one(&doc, &[("field", "mantra"), ("change", "removed")]);
    // Components: added, removed, layer, owner, lifecycle, depends_on.
    one(
        &doc,
        &[
            ("section", "components"),
            ("subject.id", "compute"),
            ("change", "added"),
        ],
    );
    one(
        &doc,
        &[
            ("section", "components"),
            ("subject.id", "network"),
            ("change", "removed"),
        ],
    );
    let c = one(&doc, &[("subject.id", "storage"), ("field", "layer")]);
    assert_eq!(
        (c["old"].as_str(), c["new"].as_str()),
        (Some("infra"), Some("platform"))
    );
    one(&doc, &[("subject.id", "storage"), ("field", "owner")]);
    one(&doc, &[("subject.id", "storage"), ("field", "lifecycle")]);
    one(
        &doc,
        &[
            ("subject.id", "storage"),
            ("field", "depends_on"),
            ("key", "compute"),
            ("change", "added"),
        ],
    );
    one(
        &doc,
        &[
            ("subject.id", "storage"),
            ("field", "depends_on"),
            ("key", "network"),
            ("change", "removed"),
        ],
    );
    // Layers: added, removed, re-parented.
    one(
        &doc,
        &[
            ("section", "layers"),
            ("subject.id", "edge"),
            ("change", "added"),
        ],
    );
    one(
        &doc,
        &[
            ("section", "layers"),
            ("subject.id", "legacy"),
            ("change", "removed"),
        ],
    );
    one(
        &doc,
        &[
            ("subject.id", "cloud"),
            ("field", "parent"),
            ("old", "platform"),
            ("new", "infra"),
        ],
    );
    // Decisions: added, status, superseded by.
    one(
        &doc,
        &[
            ("section", "decisions"),
            ("subject.id", "adr-2"),
            ("change", "added"),
        ],
    );
    one(
        &doc,
        &[
            ("subject.id", "adr-1"),
            ("field", "status"),
            ("old", "proposed"),
            ("new", "superseded"),
        ],
    );
    one(
        &doc,
        &[
            ("subject.id", "adr-1"),
            ("field", "superseded_by"),
            ("key", "adr-2"),
        ],
    );
    // Pages: renamed by id, moved, added, removed; prose apart.
    one(
        &doc,
        &[("field", "id"), ("old", "pm"), ("new", "project-manager")],
    );
    one(
        &doc,
        &[
            ("subject.id", "design"),
            ("field", "source"),
            ("new", "work/design.md"),
        ],
    );
    one(
        &doc,
        &[
            ("field", "source"),
            ("old", "guide/old-name.md"),
            ("new", "guide/new-name.md"),
        ],
    );
    one(
        &doc,
        &[
            ("section", "pages"),
            ("subject.id", "faq.md"),
            ("change", "added"),
        ],
    );
    one(
        &doc,
        &[
            ("section", "pages"),
            ("subject.id", "notes.md"),
            ("change", "removed"),
        ],
    );
    one(&doc, &[("section", "prose"), ("subject.id", "index.md")]);
    assert!(
        find(
            &doc,
            &[("section", "prose"), ("subject.id", "project-manager")]
        )
        .is_empty()
    );
    // Titles of every id named, for showing them.
    assert_eq!(doc["names"]["ops"]["title"], "Operator");
    assert_eq!(doc["names"]["network"]["url"], Value::Null);
}

#[test]
fn text_and_markdown_reports() {
    let tmp = history();
    let out = run(tmp.path(), &["diff", "v1", "v2", "-C", "docs"]);
    assert_eq!(out.status.code(), Some(0));
    let text = without_commits(&stdout(&out));
    assert!(!text.contains('\u{1b}'), "no colour into a pipe");
    insta::assert_snapshot!("diff__text", text);
    let out = run(
        tmp.path(),
        &["diff", "v1", "v2", "-C", "docs", "--format", "markdown"],
    );
    let md = without_commits(&stdout(&out));
    // A bare `-` or `>` first would start a nested list or a quote.
    for line in md.lines().filter(|l| l.starts_with("- ")) {
        assert!(line.starts_with("- `"), "{line}");
    }
    insta::assert_snapshot!("diff__markdown", md);
}

#[test]
fn exit_code_says_whether_the_versions_differ() {
    let tmp = history();
    let differ = run(
        tmp.path(),
        &["diff", "v1", "v2", "-C", "docs", "--exit-code"],
    );
    assert_eq!(differ.status.code(), Some(1));
    let same = run(
        tmp.path(),
        &["diff", "v2", "v2", "-C", "docs", "--exit-code"],
    );
    assert_eq!(same.status.code(), Some(0));
    assert!(stdout(&same).contains("no changes"), "{}", stdout(&same));
    // Without --exit-code a difference is no failure.
    assert_eq!(
        run(tmp.path(), &["diff", "v1", "v2", "-C", "docs"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn head_against_the_working_tree_by_default() {
    let tmp = history();
    let docs = tmp.path().join("docs");
    let clean = run(&docs, &["diff", "--exit-code"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    replace_in(
        &docs.join("src/activities/handle-tickets.md"),
        "ops: A/R",
        "ops: A/R\n  architect: I",
    );
    let doc = json(&docs, &["diff", "--format", "json"]);
    assert_eq!(doc["old"]["label"], "HEAD");
    assert_eq!(doc["new"]["label"], "the working tree");
    one(
        &doc,
        &[
            ("section", "raci"),
            ("subject.id", "handle-tickets"),
            ("key", "architect"),
            ("new", "I"),
        ],
    );
    assert_eq!(
        doc["changes"].as_array().unwrap().len(),
        1,
        "{:#}",
        doc["changes"]
    );
}

#[test]
fn findings_on_either_side_are_reported_not_compared() {
    let tmp = history();
    let doc = json(
        tmp.path(),
        &["diff", "v2", "HEAD", "-C", "docs", "--format", "json"],
    );
    let findings = doc["new"]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "unknown-reference");
    assert_eq!(findings[0]["file"], "HEAD:docs/src/components/compute.md");
    assert_eq!(findings[0]["line"], 5);
    // The owner that does not resolve is the finding, not "owner removed".
    assert!(
        doc["changes"].as_array().unwrap().is_empty(),
        "{:#}",
        doc["changes"]
    );
    let text = stdout(&run(tmp.path(), &["diff", "v2", "HEAD", "-C", "docs"]));
    assert!(text.contains("Errors in the new version (HEAD)"), "{text}");
    assert!(
        text.contains("HEAD:docs/src/components/compute.md:5:8: error[unknown-reference]"),
        "{text}"
    );
}

#[test]
fn two_folders_compare_without_git() {
    let doc = json(
        &fixtures("history"),
        &["diff", "v1", "v2", "--format", "json"],
    );
    assert_eq!(doc["old"]["commit"], Value::Null);
    one(
        &doc,
        &[("section", "accountable"), ("subject.id", "transitions")],
    );
}

#[test]
fn a_revision_that_cannot_be_read_is_a_clear_error() {
    let tmp = history();
    let text = run_expecting(tmp.path(), &["diff", "v9", "-C", "docs"], 2);
    assert!(text.contains("cannot read the handbook at `v9`"), "{text}");
    assert!(
        text.contains("help: name a commit, branch or tag"),
        "{text}"
    );
    // Outside any repository.
    let plain = copy_fixture(&fixtures("history/v1"));
    let text = run_expecting(plain.path(), &["diff"], 2);
    assert!(
        text.contains("cannot read the handbook at `HEAD`"),
        "{text}"
    );
    assert!(text.contains("to compare two folders, pass both"), "{text}");
    // A revision from before the handbook existed.
    let text = run_expecting(tmp.path(), &["diff", "v1~1", "-C", "docs"], 2);
    assert!(
        text.contains("the folder `docs` did not exist then"),
        "{text}"
    );
}

#[test]
fn changes_since_adds_what_changed_to_the_site() {
    let tmp = history();
    git(tmp.path(), &["checkout", "-q", "v2"]);
    let out_dir = tmp.path().join("site");
    let args = [
        "build",
        "docs",
        "--changes-since",
        "v1",
        "-o",
        out_dir.to_str().unwrap(),
    ];
    let text = run_expecting(tmp.path(), &args, 0);
    assert!(text.contains("built"), "{text}");
    let page = std::fs::read_to_string(out_dir.join("changes.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let headings: Vec<String> = doc
        .select(&sel("article h2"))
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(
        headings,
        [
            "Accountable changed",
            "RACI cells",
            "Roles",
            "Components",
            "Layers",
            "Activities",
            "Decisions",
            "Pages",
            "Prose changed"
        ]
    );
    let accountable: String = doc
        .select(&sel("#changes-accountable + ul li"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(
        accountable,
        "changed: Guide transitions: Project Manager → Architect"
    );
    // Ids link to their pages; a removed component has none.
    assert!(
        page.contains(r#"<a href="roles/architect.html">Architect</a>"#),
        "{page}"
    );
    assert!(page.contains("<strong>Network</strong>: removed"), "{page}");
    // The matrix marks changed cells with what they were.
    let raci = std::fs::read_to_string(out_dir.join("raci.html")).unwrap();
    let doc = scraper::Html::parse_document(&raci);
    let marked: Vec<String> = doc
        .select(&sel("tr[data-activity=transitions] td.changed"))
        .map(|td| td.text().collect())
        .collect();
    assert_eq!(marked, ["A/Rwas C", "Iwas R", "Cwas A"]);
    assert!(raci.contains("Changed since"), "legend");
    // Changed pages say so; unchanged ones do not.
    let storage = std::fs::read_to_string(out_dir.join("components/storage.html")).unwrap();
    assert!(
        storage.contains("Changed since <code>v1</code>: layer, owner, lifecycle, depends on."),
        "{storage}"
    );
    let ops = std::fs::read_to_string(out_dir.join("roles/ops.html")).unwrap();
    assert!(
        ops.contains("Changed since <code>v1</code>: RACI"),
        "a cell in its column changed"
    );
    let platform = std::fs::read_to_string(out_dir.join("layers/platform.html")).unwrap();
    assert!(!platform.contains("changed-since"));
    // Navigation and sitemap-worthy: the view is linked from every page.
    assert!(storage.contains(r#"href="../changes.html""#));
    // Without the setting, no page and no marks.
    let plain = tmp.path().join("plain");
    run_expecting(
        tmp.path(),
        &["build", "docs", "-o", plain.to_str().unwrap()],
        0,
    );
    assert!(!plain.join("changes.html").exists());
    assert!(
        !std::fs::read_to_string(plain.join("raci.html"))
            .unwrap()
            .contains("changed")
    );
}

#[test]
fn changes_since_in_book_toml_is_checked_where_it_is_written() {
    let tmp = history();
    git(tmp.path(), &["checkout", "-q", "v2"]);
    let toml = tmp.path().join("docs/book.toml");
    replace_in(
        &toml,
        "raci = \"RACI\"",
        "raci = \"RACI\"\nchanges-since = \"v1\"",
    );
    let out_dir = tmp.path().join("site");
    run_expecting(
        tmp.path(),
        &["build", "docs", "-o", out_dir.to_str().unwrap()],
        0,
    );
    assert!(out_dir.join("changes.html").exists());
    replace_in(&toml, "changes-since = \"v1\"", "changes-since = \"v0\"");
    let text = run_expecting(tmp.path(), &["check", "docs"], 1);
    assert!(
        text.contains("error[config]: cannot compare with `v0`"),
        "{text}"
    );
    assert!(text.contains("docs/book.toml:6:17"), "{text}");
}

#[test]
fn an_unchanged_page_keeps_its_findings_on_each_side() {
    // The newer version takes the unchanged page from the older one rather
    // than parsing it again: its findings must name the newer file.
    let tmp = tempfile::tempdir().unwrap();
    for side in ["a", "b"] {
        copy_dir(&fixtures("history/v1"), &tmp.path().join(side));
        std::fs::write(
            tmp.path().join(side).join("src/broken.md"),
            "---\nkind: component\nowner: nobody-here\n---\n# Broken\n",
        )
        .unwrap();
    }
    replace_in(
        &tmp.path().join("b/src/roles/ops.md"),
        "Runs what is built.",
        "Runs it.",
    );
    let doc = json(tmp.path(), &["diff", "a", "b", "--format", "json"]);
    for (side, dir) in [("old", "a"), ("new", "b")] {
        let files: Vec<&str> = doc[side]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["file"].as_str())
            .collect();
        assert!(!files.is_empty(), "{side}");
        assert!(
            files.iter().all(|f| *f == format!("{dir}/src/broken.md")),
            "{side}: {files:?}"
        );
    }
    assert_eq!(
        doc["changes"].as_array().unwrap().len(),
        1,
        "{:#}",
        doc["changes"]
    );
    one(&doc, &[("subject.id", "ops"), ("field", "focus")]);
}
