//! `archbook check` over fixture handbooks: exit codes, located messages,
//! JSON findings, and the example handbook staying clean.

use crate::util::{cases, copy_fixture, fixtures, repo, run, stderr};

/// The rule a fixture folder exercises: its name without a `-variant` suffix.
fn rule_of(case: &str) -> &str {
    for suffix in [
        "-none",
        "-two",
        "-unterminated",
        "-capital",
        "-not-indented",
        "-too-deep",
    ] {
        if let Some(rule) = case.strip_suffix(suffix) {
            return rule;
        }
    }
    case
}

/// One test per fixture folder, so a failing case does not hide the others;
/// and a test that every folder has its test.
macro_rules! fixture_tests {
    ($check:ident, $folder:literal, $all:ident: $($name:ident => $case:literal,)*) => {
        $(
            #[test]
            fn $name() {
                $check($case);
            }
        )*

        #[test]
        fn $all() {
            assert_eq!(cases(&fixtures($folder)), [$($case),*]);
        }
    };
}

/// An invalid fixture: exit 1, the finding its folder names, located under
/// the folder, with a help line; the whole output as a snapshot.
fn invalid(case: &str) {
    let dir = fixtures("invalid");
    let out = run(&dir, &["check", case]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{case} should exit 1:\n{text}");
    let header = format!("error[{}]", rule_of(case));
    assert!(text.contains(&header), "{case}: no `{header}` in\n{text}");
    // Located: the finding names file:line:col under the fixture's folder.
    assert!(
        text.contains(&format!("┌─ {case}/")),
        "{case}: no location in\n{text}"
    );
    assert!(text.contains("= help: "), "{case}: no help line in\n{text}");
    assert!(!text.contains("panicked"), "{case} panicked:\n{text}");
    insta::assert_snapshot!(format!("invalid__{case}"), text);
}

fixture_tests! {
    invalid, "invalid", every_invalid_fixture_has_a_test:
    broken_anchor => "broken-anchor",
    broken_link => "broken-link",
    config => "config",
    dependency_cycle => "dependency-cycle",
    does_not_conflict => "does-not-conflict",
    duplicate_id => "duplicate-id",
    duplicate_key => "duplicate-key",
    front_matter => "front-matter",
    front_matter_not_indented => "front-matter-not-indented",
    front_matter_too_deep => "front-matter-too-deep",
    front_matter_unterminated => "front-matter-unterminated",
    include => "include",
    invalid_id => "invalid-id",
    invalid_utf8 => "invalid-utf8",
    mermaid => "mermaid",
    missing_key => "missing-key",
    misspelt_key => "misspelt-key",
    output_collision => "output-collision",
    parent_cycle => "parent-cycle",
    raci_accountable_none => "raci-accountable-none",
    raci_accountable_two => "raci-accountable-two",
    raci_conflict => "raci-conflict",
    raci_duplicate_role => "raci-duplicate-role",
    raci_letter => "raci-letter",
    raci_responsible => "raci-responsible",
    summary => "summary",
    unknown_kind => "unknown-kind",
    unknown_kind_capital => "unknown-kind-capital",
    unknown_reference => "unknown-reference",
    wrong_kind_reference => "wrong-kind-reference",
    wrong_type => "wrong-type",
}

/// A warning fixture: exit 0, no error, the warning its folder names; the
/// whole output as a snapshot.
fn warning(case: &str) {
    let dir = fixtures("warnings");
    let out = run(&dir, &["check", case]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{case} should exit 0:\n{text}");
    assert!(
        !text.contains("error["),
        "{case}: unexpected error in\n{text}"
    );
    match case {
        // Configured severities: the missing R is only a warning, the
        // orphan role is not reported at all.
        "rules-configured" => {
            assert!(text.contains("warning[raci-responsible]"), "{text}");
            assert!(!text.contains("orphan-role"), "{text}");
        }
        // S is a valid letter under RASCI.
        "rasci" => assert!(text.contains("0 errors, 0 warnings"), "{text}"),
        rule => assert!(text.contains(&format!("warning[{rule}]")), "{case}: {text}"),
    }
    insta::assert_snapshot!(format!("warnings__{case}"), text);
}

fixture_tests! {
    warning, "warnings", every_warning_fixture_has_a_test:
    absolute_link => "absolute-link",
    decision_person => "decision-person",
    decision_status => "decision-status",
    layer_without_accountable => "layer-without-accountable",
    layer_without_component => "layer-without-component",
    mermaid_unsupported => "mermaid-unsupported",
    orphan_component => "orphan-component",
    orphan_role => "orphan-role",
    rasci => "rasci",
    role_without_responsibility => "role-without-responsibility",
    rules_configured => "rules-configured",
    unknown_config_key => "unknown-config-key",
    unknown_key => "unknown-key",
}

#[test]
fn the_good_fixture_is_clean() {
    let out = run(&fixtures(""), &["check", "good"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "checked: 15 pages, 0 errors, 0 warnings (TIME)\n"
    );
}

#[test]
fn the_example_handbook_is_clean() {
    let out = run(&repo(), &["check", "."]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 errors, 0 warnings"), "{text}");
}

#[test]
fn the_user_guide_is_clean() {
    let out = run(&repo(), &["check", "guide"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 errors, 0 warnings"), "{text}");
}

#[test]
fn quiet_prints_nothing_when_clean() {
    let out = run(&fixtures(""), &["check", "good", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty() && out.stdout.is_empty());
}

#[test]
fn json_findings_carry_file_line_column_rule_and_help() {
    let out = run(
        &fixtures("invalid"),
        &["check", "unknown-reference", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["errors"], 1);
    // The layer has lost its only component, which is worth a warning too.
    assert_eq!(doc["warnings"], 1);
    let f = &doc["findings"][0];
    assert_eq!(f["file"], "unknown-reference/src/components/vm.md");
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], 8);
    assert_eq!(f["severity"], "error");
    assert_eq!(f["rule"], "unknown-reference");
    assert_eq!(f["message"], "unknown layer `compte`");
    assert_eq!(f["help"], "did you mean `compute`?");
}

#[test]
fn every_finding_of_a_run_is_reported() {
    // A handbook with several independent problems reports all of them.
    let tmp = copy_fixture(&fixtures("good"));
    let docs = tmp.path().join("docs");
    std::fs::write(
        docs.join("a.md"),
        "---\nkind: component\nlayer: nope\n---\n[x](missing.md)\n",
    )
    .unwrap();
    std::fs::write(docs.join("b.md"), "---\nkind: widget\n---\n").unwrap();
    std::fs::write(docs.join("c.md"), "---\nid: ../c\n---\n").unwrap();
    let out = run(tmp.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // Coverage warnings (`orphan-component`) wait until every page's kind
    // is known: a page of unknown kind may be what they miss.
    for expected in [
        "unknown-reference",
        "broken-link",
        "unknown-kind",
        "invalid-id",
    ] {
        assert!(
            rules.contains(&expected),
            "{expected} missing from {rules:?}"
        );
    }
}

#[test]
fn usage_and_io_problems_exit_2() {
    let out = run(&fixtures(""), &["check", "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`no-such-folder` is not a folder"));

    let empty = tempfile::tempdir().unwrap();
    let out = run(empty.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no handbook in `.`"),
        "{}",
        stderr(&out)
    );

    let out = run(empty.path(), &["check", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_lists_every_command_and_nothing_else() {
    let out = run(&repo(), &["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let commands: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        [
            "build",
            "check",
            "init",
            "import",
            "serve",
            "watch",
            "diff",
            "lsp",
            "schema",
            "completions",
            "man",
            "help"
        ],
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_skipped() {
    let tmp = copy_fixture(&fixtures("good"));
    std::os::unix::fs::symlink("..", tmp.path().join("docs/layers/loop")).unwrap();
    let out = run(tmp.path(), &["check"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("warning[symlink-loop]"), "{text}");
    assert!(text.contains("15 pages"), "{text}");
}

#[test]
fn empty_and_very_large_files_check_normally() {
    let tmp = copy_fixture(&fixtures("good"));
    let docs = tmp.path().join("docs");
    std::fs::write(docs.join("empty.md"), "").unwrap();
    let big: String = (0..60_000)
        .map(|i| format!("## Section {i}\n\nSome text with a [link](#section-{i}).\n\n"))
        .collect();
    std::fs::write(docs.join("big.md"), big).unwrap();
    let out = run(tmp.path(), &["check"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("17 pages, 0 errors, 0 warnings"), "{text}");
}

#[test]
fn the_output_folder_and_hidden_files_are_not_read() {
    let tmp = copy_fixture(&fixtures("good"));
    let docs = tmp.path().join("docs");
    // Broken pages where archbook must not look.
    std::fs::create_dir_all(docs.join(".git")).unwrap();
    std::fs::write(docs.join(".git/x.md"), "---\nkind: nope\n---\n").unwrap();
    std::fs::write(docs.join(".hidden.md"), "---\nkind: nope\n---\n").unwrap();
    let out = run(tmp.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn completions_and_the_manual_page_cover_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&repo(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for command in ["build", "check", "import", "serve"] {
            assert!(script.contains(command), "{shell}: {command} missing");
        }
    }
    // The bash script is valid bash.
    let out = run(&repo(), &["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("archbook.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(syntax.success());
    let man = run(&repo(), &["man"]);
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        page.starts_with(".ie") && page.contains(".TH archbook 1"),
        "{page}"
    );
    assert!(page.contains("archbook\\-import"), "{page}");
}
