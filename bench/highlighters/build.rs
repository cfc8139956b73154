//! two-face's grammars for the chosen regex engine, dumped for the patched
//! syntect (as archbook's own build.rs does).
fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    let set = two_face::syntax::extra_newlines();
    upstream_syntect::dumps::dump_to_uncompressed_file(&set, out.join("syntaxes.bin")).unwrap();
}
