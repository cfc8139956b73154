//! Writes the syntaxes archbook highlights with into the build's output
//! folder, for `src/highlight` to load at run time.
//!
//! The grammars are two-face's (syntect's defaults plus bat's collection:
//! TOML, Terraform, Dockerfile, PowerShell, ...). two-face hands them out as
//! a `SyntaxSet` of crates.io's syntect, while archbook parses with its own
//! patched copy (`vendor/syntect`, published as `archbook-syntect`), whose
//! types are distinct. Both are syntect 5.3.0, whose dump format is the
//! same, so the set is dumped here with one and loaded with the other.

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let syntaxes = two_face::syntax::extra_newlines();
    upstream_syntect::dumps::dump_to_uncompressed_file(&syntaxes, out.join("syntaxes.bin"))
        .expect("the syntax dump can be written to OUT_DIR");
}
