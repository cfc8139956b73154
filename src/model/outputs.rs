//! Output checks: no two sources may be written to the same file, a page may
//! not take the name of a file archbook generates, and no output file name
//! may be longer than file systems allow. Uses the renderer's output naming
//! (`slug::output_path`), so what passes here is what the build writes.

use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt as _};

use crate::content::page::Page;
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;

/// Pages and files archbook writes itself, which links may target.
pub const GENERATED: &[&str] = &[
    "raci.html",
    "raci.csv",
    "layers.html",
    "boundaries.html",
    "components.html",
    "roles.html",
    "activities.html",
    "decisions.html",
    "changes.html",
    "health.html",
    "print.html",
    "404.html",
    "model.json",
    "sitemap.xml",
];

/// Pages archbook writes only when the handbook has what they show (a
/// component page; a tag): a book without may have a page of that name.
pub const GENERATED_IF_USED: &[&str] = &["dependencies.html", "tags.html"];

/// Those of [`GENERATED_IF_USED`] this handbook gets.
pub fn generated_if_used(pages: &[Page]) -> Vec<&'static str> {
    let has = |name: &str| match name {
        "dependencies.html" => pages
            .iter()
            .any(|p| p.kind == Some(crate::vocab::Kind::Component)),
        "tags.html" => pages.iter().any(|p| !p.draft && !p.tags.is_empty()),
        _ => false,
    };
    GENERATED_IF_USED
        .iter()
        .copied()
        .filter(|n| has(n))
        .collect()
}

/// Reports two sources that would be written to the same output path: two
/// pages (`README.md` and `index.md`), a page and a static file, or a page and
/// a generated view.
pub fn check(pages: &[Page], statics: &BTreeSet<String>, found: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    let conditional = generated_if_used(pages);
    for p in pages {
        if let Some(long) = p.output.split('/').find(|part| part.len() > 255) {
            found.push(
                Diagnostic::new(
                    Rule::FileName,
                    format!(
                        "`{}` would be written as `{}…` ({} bytes), longer than the 255 bytes a file name may have",
                        p.source,
                        long.chars().take(40).collect::<String>(),
                        long.len()
                    ),
                )
                .at(p.file, 0..0, "this page")
                .help("shorten the file name"),
            );
        }
        if let Some(first) = seen.get(p.output.as_str()) {
            found.push(
                Diagnostic::new(
                    Rule::OutputCollision,
                    format!(
                        "`{}` and `{}` would both be written to `{}`",
                        first.source, p.source, p.output
                    ),
                )
                .at(p.file, 0..0, "this page")
                .also(first.file, 0..0, "and this one")
                .help("rename or remove one of the two pages"),
            );
            continue;
        }
        seen.insert(&p.output, p);
        let what =
            if GENERATED.contains(&p.output.as_str()) || conditional.contains(&p.output.as_str()) {
                Some("a page archbook generates")
            } else if statics.contains(&p.output) {
                Some("a static file of the same name")
            } else {
                None
            };
        if let Some(what) = what {
            found.push(
                Diagnostic::new(
                    Rule::OutputCollision,
                    format!(
                        "`{}` would be written to `{}`, which is {what}",
                        p.source, p.output
                    ),
                )
                .at(p.file, 0..0, "this page")
                .help("rename the page"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::test_pages as pages;

    #[test]
    fn output_collisions_name_both_sources() {
        let ps = pages(&[
            ("README.md", ""),
            ("index.md", ""),
            ("raci.md", ""),
            ("a.md", ""),
        ]);
        let mut found = Vec::new();
        check(&ps, &["a.html".to_string()].into(), &mut found);
        let msgs: Vec<_> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "`README.md` and `index.md` would both be written to `index.html`",
                "`raci.md` would be written to `raci.html`, which is a page archbook generates",
                "`a.md` would be written to `a.html`, which is a static file of the same name",
            ]
        );
    }
}
