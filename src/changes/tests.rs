//! Comparisons of small handbooks held in memory (the loader's in-memory
//! path, as `archbook diff` uses it for revisions).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;
use crate::confine::{Blob, Tree};
use crate::site::Site;

const BOOK: &str = "[archbook]\n[archbook.rules]\nlayer-without-component = \"off\"\nlayer-without-accountable = \"off\"\norphan-component = \"off\"\n";

/// A handbook of `pages` (path under `src/`, text), in memory.
fn tree(pages: &[(&str, &str)]) -> Arc<Tree> {
    let mut t = Tree {
        root: PathBuf::from("/in-memory"),
        ..Tree::default()
    };
    let mut add = |path: &str, text: &str| {
        let rel = PathBuf::from(path);
        for dir in rel.ancestors().skip(1) {
            if !dir.as_os_str().is_empty() {
                t.dirs.insert(dir.to_path_buf());
            }
        }
        t.order.push(rel.clone());
        t.files.insert(rel, Blob::Bytes(Arc::from(text.as_bytes())));
    };
    add("book.toml", BOOK);
    for (path, text) in pages {
        add(&format!("src/{path}"), text);
    }
    t.order.sort();
    Arc::new(t)
}

fn snapshot(pages: &[(&str, &str)]) -> Snapshot {
    let mut site = Site::load_tree(tree(pages), Path::new("mem")).unwrap();
    site.resolve();
    Snapshot::of(&site.handbook, &site.diagnostics)
}

fn diff(old: &[(&str, &str)], new: &[(&str, &str)]) -> Changes {
    compare(
        Side::default(),
        &snapshot(old),
        Side::default(),
        &snapshot(new),
    )
}

/// Each change as `section subject field key: old -> new`.
fn lines(c: &Changes) -> Vec<String> {
    c.changes
        .iter()
        .map(|c| {
            format!(
                "{:?} {:?} {} {} {}: {} -> {}",
                c.section,
                c.change,
                c.subject.id,
                c.field.unwrap_or("-"),
                c.key.as_deref().unwrap_or("-"),
                c.old.as_deref().unwrap_or("-"),
                c.new.as_deref().unwrap_or("-"),
            )
        })
        .collect()
}

const OPS: (&str, &str) = (
    "ops.md",
    "---\nkind: role\ntitle: Operator\n---\n# Operator\n",
);
const ARCH: (&str, &str) = (
    "architect.md",
    "---\nkind: role\ntitle: Architect\n---\n# Architect\n",
);
const INFRA: (&str, &str) = ("infra.md", "---\nkind: layer\nlevel: 1\n---\n# Infra\n");

#[test]
fn an_owner_that_does_not_resolve_is_a_finding_not_a_change() {
    let old = [
        OPS,
        INFRA,
        (
            "db.md",
            "---\nkind: component\nlayer: infra\nowner: ops\n---\n# DB\n",
        ),
    ];
    let new = [
        OPS,
        INFRA,
        (
            "db.md",
            "---\nkind: component\nlayer: infra\nowner: opps\n---\n# DB\n",
        ),
    ];
    let c = diff(&old, &new);
    assert_eq!(lines(&c), Vec::<String>::new());
    assert_eq!(c.new.findings.len(), 1);
    assert_eq!(c.new.findings[0].rule, "unknown-reference");
    assert_eq!(c.new.findings[0].file.as_deref(), Some("mem/src/db.md"));
    assert!(c.old.findings.is_empty());
}

#[test]
fn a_raci_key_that_does_not_resolve_hides_only_its_cell() {
    let act = |raci: &str| format!("---\nkind: activity\nraci:\n{raci}---\n# Run\n");
    let old = act("  ops: C\n  architect: A/R\n");
    let new = act("  ops: R\n  archtect: A\n");
    let c = diff(
        &[OPS, ARCH, ("run.md", &old)],
        &[OPS, ARCH, ("run.md", &new)],
    );
    // The accountable is unknown on the new side (its key is a finding).
    assert_eq!(lines(&c), ["Raci Changed run raci ops: C -> R"]);
}

#[test]
fn a_role_renamed_with_its_references_is_one_rename() {
    let pm = "---\nkind: role\ntitle: PM\n---\n# PM\n\nRuns projects.\n";
    let act = |who: &str| format!("---\nkind: activity\nraci:\n  {who}: A/R\n---\n# Plan\n");
    let c = diff(
        &[("pm.md", pm), ("plan.md", &act("pm"))],
        &[
            ("project-manager.md", pm),
            ("plan.md", &act("project-manager")),
        ],
    );
    assert_eq!(
        lines(&c),
        [
            "Pages Renamed project-manager id -: pm -> project-manager",
            "Pages Renamed project-manager source -: pm.md -> project-manager.md",
        ]
    );
}

#[test]
fn a_page_whose_front_matter_cannot_be_read_is_not_reported_gone() {
    let c = diff(
        &[OPS, ARCH],
        &[
            OPS,
            (
                "architect.md",
                "---\nkind: role\ntitle: [Architect\n---\n# Architect\n",
            ),
        ],
    );
    assert_eq!(lines(&c), Vec::<String>::new());
    assert!(!c.new.findings.is_empty());
}

#[test]
fn a_page_that_changes_kind_is_removed_and_added() {
    let c = diff(
        &[("edge.md", "---\nkind: layer\nlevel: 2\n---\n# Edge\n")],
        &[("edge.md", "---\nkind: role\n---\n# Edge\n")],
    );
    assert_eq!(
        lines(&c),
        [
            "Roles Added edge - -: - -> -",
            "Layers Removed edge - -: - -> -",
        ]
    );
    assert_eq!(c.changes[1].subject.url, None, "gone from the site");
}

#[test]
fn accountables_and_new_activities_come_first() {
    let act = |raci: &str| format!("---\nkind: activity\nraci:\n{raci}---\n# Act\n");
    let c = diff(
        &[OPS, ARCH, ("a.md", &act("  ops: A/R\n"))],
        &[
            OPS,
            ARCH,
            ("a.md", &act("  architect: A/R\n")),
            ("b.md", &act("  ops: A/R\n")),
        ],
    );
    assert_eq!(
        lines(&c),
        [
            "Accountable Changed a accountable -: ops -> architect",
            "Accountable Added b accountable -: - -> ops",
            "Raci Added a raci architect: - -> A/R",
            "Raci Removed a raci ops: A/R -> -",
            "Raci Added b raci ops: - -> A/R",
            "Activities Added b - -: - -> -",
        ]
    );
}

#[test]
fn a_handbook_in_memory_loads_as_it_does_from_disk() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history/v2");
    let mut t = Tree {
        root: PathBuf::from("/in-memory"),
        ..Tree::default()
    };
    for e in walkdir::WalkDir::new(&dir).min_depth(1) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&dir).unwrap().to_path_buf();
        if e.file_type().is_dir() {
            t.dirs.insert(rel);
        } else {
            t.order.push(rel.clone());
            let bytes = std::fs::read(e.path()).unwrap();
            t.files.insert(rel, Blob::Bytes(Arc::from(bytes)));
        }
    }
    t.order.sort();
    let mut mem = Site::load_tree(Arc::new(t), Path::new("mem")).unwrap();
    mem.resolve();
    let disk = Site::check(&dir).unwrap();
    assert_eq!(mem.handbook.pages.len(), disk.handbook.pages.len());
    assert_eq!(
        mem.diagnostics.iter().count(),
        disk.diagnostics.iter().count()
    );
    let c = compare(
        Side::default(),
        &Snapshot::of(&disk.handbook, &disk.diagnostics),
        Side::default(),
        &Snapshot::of(&mem.handbook, &mem.diagnostics),
    );
    assert_eq!(lines(&c), Vec::<String>::new());
}
