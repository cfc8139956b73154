//! Binary-level tests: run the `archbook` executable on fixture handbooks.
//!
//! - `check`: every fixture under `tests/fixtures/` (good, invalid, warnings),
//!   exit codes, JSON output, and the repository's own handbook.
//! - `build`, `templates`, `publishing`, `serve`, `confine`, `limits`,
//!   `names`, `mdbook`, `print`: see `tests/README.md` for what each covers.
//! - `util`: running the binary and normalising its output for snapshots.

mod build;
mod bytes;
mod check;
mod confine;
mod diagrams;
mod diff;
mod fresh;
mod import;
mod limits;
mod mdbook;
mod names;
mod print;
mod publishing;
mod readers;
mod serve;
mod templates;
mod util;
