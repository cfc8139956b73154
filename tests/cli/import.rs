//! `archbook import`: RACI spreadsheets as teams export them (semicolons, a
//! byte-order mark, merged area cells, lower-case letters, stray spaces,
//! roles as rows), broken ones (nothing is written), existing files (kept),
//! and the round trip of a handbook's own `raci.csv`.

use std::path::Path;

use crate::util::{repo, run, stderr};

/// A new handbook folder holding `sheet` as `raci.csv`.
fn handbook(sheet: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("book.toml"),
        "[book]\ntitle = \"T\"\n\n[archbook]\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("raci.csv"), sheet).unwrap();
    tmp
}

fn pages(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir.join("src"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    out.sort();
    out
}

/// As a European spreadsheet program saves "CSV UTF-8": a byte-order mark,
/// semicolons, an area only on the first row of its group.
const EXPORTED: &str = "\u{feff}Area;Activity;Enterprise Architect;Project Manager ;Operations\r\n\
Design & Vision;Set architecture standards;A/R;c;i\r\n\
;Review solution designs ; a , r ;C;\r\n\
Delivery;Plan transitions;C;A/R;I\r\n\
;Run the platform;;I;a/r\r\n";

#[test]
fn an_exported_sheet_becomes_pages_that_check_clean() {
    let tmp = handbook(EXPORTED.as_bytes());
    let out = run(tmp.path(), &["import", "raci.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        pages(tmp.path()),
        [
            "src/activities/plan-transitions.md",
            "src/activities/review-solution-designs.md",
            "src/activities/run-the-platform.md",
            "src/activities/set-architecture-standards.md",
            "src/roles/enterprise-architect.md",
            "src/roles/operations.md",
            "src/roles/project-manager.md",
        ]
    );
    let review =
        std::fs::read_to_string(tmp.path().join("src/activities/review-solution-designs.md"))
            .unwrap();
    assert!(review.contains("area: \"Design & Vision\"\n"), "{review}");
    assert!(
        review.contains("  enterprise-architect: A/R\n  project-manager: C\n"),
        "{review}"
    );
    assert!(review.ends_with("# Review solution designs\n"), "{review}");
    let check = run(tmp.path(), &["check", "."]);
    assert!(
        stderr(&check).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn roles_as_rows_are_read_the_other_way_round() {
    let tmp = handbook(b"Role,Design,Operate\nArchitect,A/R,I\nOperations,C,A/R\n");
    let out = run(tmp.path(), &["import", "raci.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let operate = std::fs::read_to_string(tmp.path().join("src/activities/operate.md")).unwrap();
    assert!(
        operate.contains("  architect: I\n  operations: A/R\n"),
        "{operate}"
    );
}

#[test]
fn a_broken_sheet_is_located_and_nothing_is_written() {
    let tmp = handbook(b"Activity,Ops,Arch,OPS\nRun,A/R,Q,\n");
    let out = run(tmp.path(), &["import", "raci.csv"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error[import]: the role `OPS` is in the sheet twice"),
        "{text}"
    );
    assert!(text.contains("raci.csv:1:19"), "{text}");
    assert!(
        text.contains("error[import]: `Q` is not a RACI letter (row 2, column `Arch`)"),
        "{text}"
    );
    assert!(text.contains("raci.csv:2:9"), "{text}");
    assert!(text.contains("nothing was written"), "{text}");
    assert!(!tmp.path().join("src").exists());
}

#[test]
fn existing_pages_are_kept_as_they_are() {
    let tmp = handbook(EXPORTED.as_bytes());
    let ops = tmp.path().join("src/roles/operations.md");
    std::fs::create_dir_all(ops.parent().unwrap()).unwrap();
    std::fs::write(&ops, "---\nkind: role\n---\n# Ops, as we wrote it\n").unwrap();
    let out = run(tmp.path(), &["import", "raci.csv"]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("kept    ./src/roles/operations.md"), "{text}");
    assert!(
        text.contains("1 file already existed; left unchanged"),
        "{text}"
    );
    assert!(
        std::fs::read_to_string(&ops)
            .unwrap()
            .contains("as we wrote it")
    );
}

#[test]
fn a_handbooks_own_raci_csv_goes_round_unchanged() {
    let site = tempfile::tempdir().unwrap();
    let out = run(
        &repo(),
        &["build", ".", "-o", site.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let original = std::fs::read(site.path().join("raci.csv")).unwrap();
    let tmp = handbook(&original);
    let out = run(tmp.path(), &["import", "raci.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let again = tmp.path().join("site");
    let out = run(tmp.path(), &["build", ".", "-o", again.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(std::fs::read(again.join("raci.csv")).unwrap()).unwrap(),
        String::from_utf8(original).unwrap()
    );
}

#[test]
fn quoted_cells_empty_columns_and_latin_1_sheets() {
    // Quoted names with commas and line breaks, empty trailing columns and
    // an empty row, as spreadsheet programs write them.
    let tmp = handbook(
        b"Activity,\"Architect, lead\",Ops,,\r\n\"Design, build and run\",A/R,I,,\r\n,,,,\r\n\"Plan\r\nlong\",C,A/R,,\r\n",
    );
    let out = run(tmp.path(), &["import", "raci.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        pages(tmp.path()),
        [
            "src/activities/design-build-and-run.md",
            "src/activities/plan-long.md",
            "src/roles/architect-lead.md",
            "src/roles/ops.md",
        ]
    );
    // A sheet saved in a legacy encoding (here Windows-1252 `é`) is refused
    // with what to do.
    let tmp = handbook(b"Activity,R\xe9seau\nRun,A/R\n");
    let out = run(tmp.path(), &["import", "raci.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("save the sheet as \"CSV UTF-8\""),
        "{}",
        stderr(&out)
    );
}
