//! Entry points for the fuzz targets in `fuzz/` and for the regression test
//! that replays their corpus (`tests/fuzz_corpus.rs`).
//!
//! Each function takes arbitrary bytes, drives one part of the pipeline and
//! panics only when an invariant is broken: a finding located outside its
//! file or off a character boundary, or an output path that leaves the output
//! folder. Everything here is in memory except [`pipeline`], which writes a
//! small handbook into a scratch folder the caller owns and builds it there.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::content::page::Page;
use crate::content::{frontmatter, summary};
use crate::diagnostic::{Diagnostic, Diagnostics, Sources};
use crate::model::{self, links};
use crate::rules::RuleSet;
use crate::vocab::Alphabet;

/// Separates the files of a multi-file input.
const FILE_SEPARATOR: &str = "\n\u{0}\n";

/// The front-matter splitter and the YAML parser with its locator.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (_, found) = crate::content::parse(0, "fuzz.md", &text, Alphabet::Raci);
    assert_located(&found, &[&text]);
    if let Ok(split) = frontmatter::split(&text) {
        if let Some((y, offset)) = split.yaml {
            assert!(text.get(offset..offset + y.len()) == Some(y));
        }
        if let Ok(Some(fm)) = frontmatter::FrontMatter::parse(&split) {
            for key in fm.map.keys() {
                if let Some(k) = key.as_str() {
                    assert_span(&text, fm.key_span(&[k]));
                    assert_span(&text, fm.value_span(&[k, "x"]));
                }
            }
        }
    }
}

/// `SUMMARY.md` parsing against a few pages.
pub fn summary(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let pages: Vec<Page> = ["README.md", "a.md", "b/c.md", "b/README.md"]
        .iter()
        .enumerate()
        .map(|(i, p)| crate::content::parse(i + 1, p, "# T\n", Alphabet::Raci).0)
        .collect();
    let mut found = Vec::new();
    let items = summary::parse(&text, 0, &pages, &mut found);
    for item in &items {
        if let summary::Item::Chapter { page: Some(p), .. } = item {
            assert!(*p < pages.len());
        }
    }
    let texts: Vec<&str> = std::iter::once(&*text)
        .chain(std::iter::repeat_n("# T\n", pages.len()))
        .collect();
    assert_located(&found, &texts);
    let nav = crate::render::nav::Nav::new(&pages, Some(&items));
    for i in 0..pages.len() {
        let _ = nav.sidebar(Some(i));
        let _ = nav.breadcrumbs(&pages, i);
        let _ = nav.prev_next(i);
    }
}

/// Several pages (paths taken from the input, however hostile) through model
/// resolution, output-collision and link checks, and diagnostic printing.
pub fn links(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut sources = Sources::default();
    let mut pages = Vec::new();
    let mut found = Vec::new();
    let mut statics = BTreeSet::new();
    for (i, chunk) in text.split(FILE_SEPARATOR).take(16).enumerate() {
        let (name, body) = chunk.split_once('\n').unwrap_or(("", chunk));
        let name = name.trim();
        if let Some(s) = name.strip_prefix("static:") {
            statics.insert(s.to_string());
            continue;
        }
        let source = if name.ends_with(".md") {
            name.to_string()
        } else {
            format!("p{i}.md")
        };
        let file = sources.add(source.clone(), Arc::from(body));
        let (p, d) = crate::content::parse(file, &source, body, Alphabet::Raci);
        found.extend(d);
        pages.push(p);
    }
    let _model = model::resolve(&pages, &mut found);
    crate::model::outputs::check(&pages, &statics, &mut found);
    let _ = links::check(&pages, &statics, &[], &mut found);
    let texts: Vec<&str> = (0..sources.len()).map(|i| sources.text(i)).collect();
    assert_located(&found, &texts);
    for p in &pages {
        if p.source.split('/').all(|s| !s.is_empty() && s != "..") && !p.source.contains('\\') {
            assert_confined(&p.output);
        }
    }
    let mut all = Diagnostics::new(RuleSet::default());
    all.extend(found);
    all.sort(&sources);
    let _ = all.render_plain(&sources);
    let _ = all.to_json(&sources);
}

/// The whole pipeline: the input becomes a handbook of up to eight files
/// under `scratch` (which is emptied first), which is checked and, when it
/// has no errors, built into `scratch/book`. Every file written must stay
/// inside that folder.
pub fn pipeline(data: &[u8], scratch: &Path) {
    const NAMES: [&str; 8] = [
        "README.md",
        "SUMMARY.md",
        "a.md",
        "layers/compute.md",
        "roles/architect.md",
        "b/c/index.md",
        "book.toml",
        "img.png",
    ];
    let _ = std::fs::remove_dir_all(scratch);
    let src = scratch.join("src");
    std::fs::create_dir_all(&src).expect("scratch folder");
    let text = String::from_utf8_lossy(data);
    let mut wrote_toml = false;
    for (i, chunk) in text.split(FILE_SEPARATOR).take(NAMES.len()).enumerate() {
        let name = NAMES[i];
        let path = if name == "book.toml" {
            wrote_toml = true;
            scratch.join(name)
        } else {
            src.join(name)
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("scratch folder");
        }
        std::fs::write(&path, chunk).expect("scratch file");
    }
    if !wrote_toml {
        std::fs::write(scratch.join("book.toml"), "[book]\ntitle = \"Fuzz\"\n").expect("toml");
    }
    let Ok(mut site) = crate::Site::check(scratch) else {
        return;
    };
    let texts: Vec<&str> = (0..site.handbook.sources.len())
        .map(|i| site.handbook.sources.text(i))
        .collect();
    let found: Vec<Diagnostic> = site.diagnostics.iter().cloned().collect();
    assert_located(&found, &texts);
    let _ = site.diagnostics.render_plain(&site.handbook.sources);
    if site.diagnostics.errors() > 0 {
        return;
    }
    let out = scratch.join("book");
    if site.build(&out).is_ok() {
        for entry in walkdir::WalkDir::new(scratch) {
            let entry = entry.expect("walk scratch");
            let rel = entry.path().strip_prefix(scratch).expect("inside scratch");
            let first = rel.components().next();
            assert!(
                first.is_none()
                    || rel.starts_with("src")
                    || rel.starts_with("book")
                    || rel == Path::new("book.toml"),
                "wrote {} outside the output folder",
                rel.display()
            );
        }
    }
}

/// Panics unless every finding's locations lie inside their file, on
/// character boundaries.
fn assert_located(found: &[Diagnostic], texts: &[&str]) {
    for d in found {
        for (loc, _) in d.primary.iter().chain(&d.secondary) {
            let text = texts.get(loc.file).unwrap_or_else(|| {
                panic!(
                    "finding `{}` names file {} of {}",
                    d.message,
                    loc.file,
                    texts.len()
                )
            });
            assert_span(text, loc.span.clone());
        }
    }
}

fn assert_span(text: &str, span: std::ops::Range<usize>) {
    assert!(
        span.start <= span.end && text.get(span.clone()).is_some(),
        "span {span:?} is not inside a text of {} bytes on character boundaries",
        text.len()
    );
}

/// Panics when `output` (an output path relative to the output folder)
/// could leave it.
fn assert_confined(output: &str) {
    let p = Path::new(output);
    assert!(
        !p.is_absolute()
            && p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_))),
        "output path `{output}` leaves the output folder"
    );
}

#[cfg(test)]
mod tests {
    //! The same invariants under proptest, with inputs shaped like the real
    //! thing (the fuzzers find the odd bytes; these find odd structure).

    use proptest::prelude::*;

    fn summary_line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("# Summary".to_string()),
            Just("---".to_string()),
            Just(String::new()),
            "# [A-Za-z ]{0,12}".prop_map(|s| s),
            (
                "( {0,8})",
                "[-*]?",
                "[A-Za-z <>&]{0,10}",
                "(README|a|b/c|b/README|missing|../x|/abs|)(\\.md)?(#[a-z]{0,4})?"
            )
                .prop_map(|(indent, bullet, title, target)| format!(
                    "{indent}{bullet} [{title}]({target})"
                )),
            "\\PC{0,20}".prop_map(|s| s),
        ]
    }

    fn page() -> impl Strategy<Value = String> {
        let name = "(README|index|a|b/c|b/README|\\.\\./x|a\\\\b|/abs|layers/x)\\.md";
        let kind = "(layer|component|role|activity|decision|x)";
        let key = "(layer|raci|depends_on|relations|layers|parent|supersedes|owner|id)";
        let value = "(\\[a, b\\]|\\{a: R, b: A/R\\}|x|\\.\\./y|README|~|\\[\\{a: 1\\}\\])";
        let link =
            "(a\\.md|b/c\\.md#x|\\.\\./\\.\\./etc|#top|raci\\.html|img\\.png|%2e%2e/a\\.md|)";
        (name, kind, key, value, link, "[A-Za-z #]{0,10}").prop_map(|(n, k, key, v, l, h)| {
            format!("{n}\n---\nkind: {k}\n{key}: {v}\n---\n# {h}\n\n[t]({l})\n")
        })
    }

    proptest! {
        #[test]
        fn summaries_keep_their_invariants(lines in proptest::collection::vec(summary_line(), 0..20)) {
            super::summary(lines.join("\n").as_bytes());
        }

        #[test]
        fn handbooks_keep_their_invariants(pages in proptest::collection::vec(page(), 1..8)) {
            super::links(pages.join(super::FILE_SEPARATOR).as_bytes());
        }
    }
}
