//! Fuzz target: see `archbook::fuzzing::pipeline`. The scratch handbook lives
//! in one temporary folder (under `$TMPDIR`; a tmpfs is fastest) per process.
#![no_main]

use std::sync::LazyLock;

static SCRATCH: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("temporary folder"));

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    archbook::fuzzing::pipeline(data, &SCRATCH.path().join("book"))
});
