//! Replays the fuzzers' inputs as regression tests: every file of
//! `fuzz/corpus/<target>/` (the minimised corpus the fuzzers built) and of
//! `fuzz/regressions/<target>/` (inputs that once crashed or hung archbook)
//! goes through the same entry point as the fuzz target, `archbook::fuzzing`,
//! which panics when an invariant breaks. Runs without a nightly toolchain.

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files: Vec<PathBuf> = ["corpus", "regressions"]
        .iter()
        .flat_map(|kind| {
            std::fs::read_dir(root.join(kind).join(target))
                .into_iter()
                .flatten()
        })
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: impl Fn(&[u8])) {
    let files = inputs(target);
    assert!(
        !files.is_empty(),
        "no inputs for the `{target}` fuzz target"
    );
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&data)));
        assert!(result.is_ok(), "{} breaks an invariant", file.display());
    }
}

#[test]
fn front_matter_corpus() {
    replay("front_matter", archbook::fuzzing::front_matter);
}

#[test]
fn summary_corpus() {
    replay("summary", archbook::fuzzing::summary);
}

#[test]
fn links_corpus() {
    replay("links", archbook::fuzzing::links);
}

#[test]
fn pipeline_corpus() {
    let scratch = tempfile::tempdir().unwrap();
    replay("pipeline", |data| {
        archbook::fuzzing::pipeline(data, &scratch.path().join("book"))
    });
}
