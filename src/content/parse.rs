//! Reading one Markdown file into a [`Page`]: split off the front matter,
//! read its keys (`fields`), scan the body (`scan`), and settle the title
//! and id. Parsing is per file and needs nothing from other files, so
//! `load` runs it in parallel; a page is produced even when its front
//! matter is broken, so its links and body are still checked.

use crate::content::frontmatter::{self, FrontMatter};
use crate::content::page::{KindData, Page, ParseOptions};
use crate::content::{fields, scan};
use crate::diagnostic::{Diagnostic, FileId};
use crate::highlight;
use crate::rules::Rule;
use crate::slug;

/// Parses one file. `source` is its path relative to the source folder.
pub fn parse<'o>(
    file: FileId,
    source: &str,
    text: &str,
    opts: impl Into<ParseOptions<'o>>,
) -> (Page, Vec<Diagnostic>) {
    let opts: ParseOptions<'o> = opts.into();
    let alphabet = opts.alphabet;
    let mut found = Vec::new();
    let mut broken = false;
    let (fm, body, body_offset) = match frontmatter::split(text) {
        Ok(split) => {
            let fm = match FrontMatter::parse(&split) {
                Ok(fm) => fm,
                Err(e) => {
                    let rule = match (&e.related, e.parent.as_slice()) {
                        (Some(_), [key]) if key == "raci" => Rule::RaciDuplicateRole,
                        (Some(_), _) => Rule::DuplicateKey,
                        (None, _) => Rule::FrontMatter,
                    };
                    let mut d = Diagnostic::new(rule, e.message)
                        .at(file, e.span, "here")
                        .help(e.help);
                    if let Some(r) = e.related {
                        d = d.also(file, r, "first written here");
                    }
                    found.push(d);
                    broken = true;
                    None
                }
            };
            (fm, split.body, split.body_offset)
        }
        Err(e) => {
            found.push(
                Diagnostic::new(Rule::FrontMatter, e.message)
                    .at(file, e.span, "opened here")
                    .help(e.help),
            );
            broken = true;
            (None, "", text.len())
        }
    };

    let scan = scan::scan_body(body, body_offset, opts);
    for (lang, span) in scan.unknown_fences {
        let near = highlight::suggest(&lang);
        if opts.mdbook && near.is_none() {
            // `grammar`, `abnf`: names of the book's own, shown plain.
            continue;
        }
        let help = match near {
            Some(near) => format!("did you mean `{near}`? (or `text` for no highlighting)"),
            None => "use a language such as rust, python, yaml, toml, bash, json, sql or hcl; or `text` for none".to_string(),
        };
        found.push(
            Diagnostic::new(
                Rule::UnknownLanguage,
                format!("no syntax highlighting for language `{lang}`"),
            )
            .at(file, span, "shown as plain text")
            .help(help),
        );
    }
    let stem = default_stem(source);
    let mut page = Page {
        file,
        source: source.to_string(),
        output: slug::output_path(source),
        title: String::new(),
        titled: false,
        id: slug::slugify(stem),
        id_span: 0..0,
        kind: None,
        kind_span: 0..0,
        summary: None,
        tags: Vec::new(),
        weight: None,
        draft: false,
        broken,
        unknown_kind: false,
        data: KindData::Plain,
        body_offset,
        headings: scan.headings.into(),
        html_anchors: scan.html_anchors.into(),
        admonitions: scan.admonitions.into(),
        terms: scan.terms.into(),
        links: scan.links.into(),
        expanded: None,
        includes: Vec::new(),
        missing: false,
        fences: scan.fences.into(),
        footnote_labels: scan.footnote_labels.into(),
        diagrams: scan.diagrams.into(),
    };
    if let Some(fm) = &fm {
        page.id_span = fm.fence.clone();
        fields::read(fm, file, &mut found, &mut page, alphabet);
    }
    page.titled = !page.title.is_empty() || scan.h1.is_some();
    if page.title.is_empty() {
        page.title = scan.h1.unwrap_or_else(|| stem.to_string());
    }
    (page, found)
}

/// The stem an id defaults to: the file stem, or the folder name for
/// `README.md` / `index.md`.
fn default_stem(source: &str) -> &str {
    let mut parts = source.rsplit('/');
    let file = parts.next().unwrap_or(source);
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if stem.eq_ignore_ascii_case("readme") || stem == "index" {
        parts.next().unwrap_or("index")
    } else {
        stem
    }
}

/// Parses `(path, text)` pairs as pages numbered in order (for tests).
#[cfg(test)]
pub(crate) fn test_pages(files: &[(&str, &str)]) -> Vec<Page> {
    files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| parse(i, path, text, crate::vocab::Alphabet::Raci).0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{Alphabet, Letters};

    fn page(text: &str) -> (Page, Vec<Diagnostic>) {
        parse(0, "layers/compute.md", text, Alphabet::Raci)
    }

    #[test]
    fn plain_page_takes_title_from_first_heading() {
        let (p, found) = page("Intro\n\n# The Title\n\n## Design & Vision\n\n## Design & Vision\n");
        assert!(found.is_empty());
        assert_eq!(p.title, "The Title");
        assert_eq!(p.id, "compute");
        assert_eq!(p.kind, None);
        let anchors: Vec<_> = p.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["the-title", "design--vision", "design--vision-1"]);
    }

    #[test]
    fn title_falls_back_to_file_stem() {
        let (p, _) = page("no heading here\n");
        assert_eq!(p.title, "compute");
    }

    #[test]
    fn readme_ids_come_from_the_folder() {
        let (p, _) = parse(0, "roles/README.md", "", Alphabet::Raci);
        assert_eq!(p.id, "roles");
        assert_eq!(p.output, "roles/index.html");
    }

    #[test]
    fn links_are_located_in_the_file() {
        let text = "---\ntitle: X\n---\nSee [storage](storage.md#tiers).\n";
        let (p, _) = page(text);
        assert_eq!(p.links.len(), 1);
        assert_eq!(p.links[0].url, "storage.md#tiers");
        assert_eq!(
            &text[p.links[0].span.clone()],
            "[storage](storage.md#tiers)"
        );
    }

    #[test]
    fn component_fields_are_read_with_spans() {
        let text = "---\nkind: component\nlayer: compute\ndepends_on: [network, storage]\nowner: tech\n---\n";
        let (p, found) = page(text);
        assert!(found.is_empty(), "{found:?}");
        let KindData::Component {
            layer,
            depends_on,
            owner,
            ..
        } = p.data
        else {
            panic!()
        };
        assert_eq!(&text[layer.unwrap().span], "compute");
        assert_eq!(&text[depends_on[1].span.clone()], "storage");
        assert_eq!(owner.unwrap().id, "tech");
    }

    #[test]
    fn wrong_types_unknown_keys_and_kinds_are_reported() {
        let (_, found) = page("---\nkind: layer\nlevel: high\ndepend_on: [x]\n---\n");
        let rules: Vec<_> = found.iter().map(|d| d.rule).collect();
        assert_eq!(rules, [Rule::UnknownKey, Rule::WrongType]);
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .contains("layer pages know level, parent")
        );
        let (_, found) = page("---\nkind: componnet\n---\n");
        assert_eq!(found[0].rule, Rule::UnknownKind);
        assert_eq!(found[0].help.as_deref(), Some("did you mean `component`?"));
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        // A slip for a known key is an error: what it holds would be lost.
        for (slip, meant) in [
            ("depend_on", "depends_on"),
            ("depends-on", "depends_on"),
            ("Owner", "owner"),
            ("owners", "owner"),
            ("lifecylce", "lifecycle"),
        ] {
            let (_, found) = page(&format!(
                "---\nkind: component\nlayer: x\n{slip}: [y]\n---\n"
            ));
            assert_eq!(found[0].rule, Rule::MisspeltKey, "{slip}");
            assert_eq!(
                found[0].help.as_deref(),
                Some(&*format!(
                    "did you mean `{meant}`? (keys of your own go under `extra:` or start with `x-`)"
                )),
            );
        }
        // Keys of one's own, even near a known one, stay warnings.
        for own in ["link", "cost", "team", "owned_since"] {
            let (_, found) = page(&format!("---\nkind: component\nlayer: x\n{own}: 1\n---\n"));
            assert_eq!(found[0].rule, Rule::UnknownKey, "{own}");
        }
        let (_, found) = page("---\nkind: component\nlayer: x\nx-cost: 3\nextra: {a: 1}\n---\n");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unsafe_ids_are_rejected() {
        let (p, found) = page("---\nid: ../x\n---\n");
        assert_eq!(found[0].rule, Rule::InvalidId);
        assert_eq!(p.id, "compute");
    }

    #[test]
    fn raci_letters_parse_and_reject() {
        assert_eq!(
            Letters::parse("A/R", Alphabet::Raci),
            Ok(Letters::A.union(Letters::R))
        );
        assert_eq!(
            Letters::parse("ar", Alphabet::Raci).unwrap().to_string(),
            "A/R"
        );
        assert_eq!(Letters::parse("S", Alphabet::Raci), Err('S'));
        assert_eq!(Letters::parse("S", Alphabet::Rasci), Ok(Letters::S));
        assert_eq!(Letters::parse("X", Alphabet::Rasci), Err('X'));
        assert_eq!(Letters::parse("", Alphabet::Raci), Err(' '));
        let (_, found) = page("---\nkind: activity\nraci: {a: Q}\n---\n");
        assert_eq!(found[0].rule, Rule::RaciLetter);
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_without_panic(text in "\\PC{0,300}") {
            let (page, found) = parse(0, "x.md", &text, Alphabet::Rasci);
            for d in found {
                if let Some((loc, _)) = d.primary {
                    proptest::prop_assert!(loc.span.end <= text.len());
                }
            }
            for l in page.links.iter() {
                proptest::prop_assert!(text.get(l.span.clone()).is_some());
            }
        }

        #[test]
        fn model_like_front_matter_never_panics(
            kind in "(layer|component|role|activity|decision|x)",
            key in "(layer|raci|depends_on|relations|level|date|does_not|parent)",
            value in "(\\[a, b\\]|\\{a: R\\}|3|true|~|\"x\"|\\[\\{a: 1\\}\\]|-1)",
        ) {
            let text = format!("---\nkind: {kind}\n{key}: {value}\n---\n# T\n");
            let _ = parse(0, "x.md", &text, Alphabet::Raci);
        }
    }

    /// Each link of `p`: its URL and the text of `text` it was found at.
    fn located_links<'p, 't>(p: &'p Page, text: &'t str) -> Vec<(&'p str, &'t str)> {
        p.links
            .iter()
            .map(|l| (l.url.as_str(), &text[l.span.clone()]))
            .collect()
    }

    #[test]
    fn links_in_admonitions_are_found_where_they_are_written() {
        let text = "# T\n\n```admonish note\nSee [a](a.md).\n\n## Not a section\n```\n\n\
                    - item\n\n  ```admonish tip title=\"x\"\n  Also ![i](img/i.png) and <x@y.org>.\n  ```\n";
        let (p, found) = page(text);
        assert!(found.is_empty(), "{found:?}");
        let links = located_links(&p, text);
        assert_eq!(
            links,
            [("a.md", "[a](a.md)"), ("img/i.png", "![i](img/i.png)")]
        );
        assert_eq!(p.headings.len(), 1, "{:?}", p.headings);
    }

    #[test]
    fn admonitions_use_the_pages_link_definitions() {
        let text = "# T\n\n```admonish note\nSee [the guide][g] and [own][o].\n\n[o]: own.md\n```\n\n\
                    [g]: guide.md#start \"The guide\"\n";
        let (p, _) = page(text);
        let links = located_links(&p, text);
        assert_eq!(
            links,
            [("guide.md#start", "[the guide][g]"), ("own.md", "[own][o]")]
        );
    }

    #[test]
    fn unknown_fence_languages_are_located_warnings() {
        let text = "# T\n\n```klingon\nqapla'\n```\n\n```rust\nfn main() {}\n```\n";
        let (_, found) = page(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, Rule::UnknownLanguage);
        let (loc, _) = found[0].primary.clone().unwrap();
        assert_eq!(&text[loc.span], "```klingon");
        assert!(found[0].help.iter().any(|h| h.contains("such as rust")));
        // A near miss names the language meant.
        let (_, found) = page("# T\n\n```pyhton\nx = 1\n```\n");
        assert!(
            found[0]
                .help
                .iter()
                .any(|h| h.contains("did you mean `python`?"))
        );
    }

    #[test]
    fn fences_to_highlight_are_collected() {
        let text = "# T\n\n```rust,ignore\n# use x;\nfn f() {}\n```\n\n```text\nplain\n```\n\n\
            ```klingon\nqapla'\n```\n\n- item\n\n  ```yaml\n  a: 1\n  b: 2\n  ```\n\n\
            ```admonish note\nSee:\n```\n\n    indented\n";
        let (p, _) = page(text);
        let got: Vec<(&str, &str)> = p
            .fences
            .iter()
            .map(|f| (f.info.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("rust,ignore", "# use x;\nfn f() {}\n"),
                ("yaml", "a: 1\nb: 2\n")
            ]
        );
        // Without highlighting there is nothing to collect.
        let opts = ParseOptions {
            highlight: false,
            ..ParseOptions::from(Alphabet::Raci)
        };
        assert!(parse(0, "a.md", text, opts).0.fences.is_empty());
    }

    #[test]
    fn email_autolinks_are_not_paths() {
        let (p, found) = page("# T\n\nWrite to <someone@example.org> or see [x](x.md).\n");
        assert!(found.is_empty(), "{found:?}");
        let urls: Vec<&str> = p.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["x.md"]);
    }

    #[test]
    fn dates_are_checked() {
        assert!(crate::content::fields::is_iso_date("2024-05-17"));
        assert!(!crate::content::fields::is_iso_date("2024-13-01"));
        assert!(!crate::content::fields::is_iso_date("17.05.2024"));
    }

    #[test]
    fn broken_front_matter_still_yields_a_page() {
        let (p, found) = page("---\ntitle: [oops\n---\n# Body\n[x](y.md)\n");
        assert_eq!(found[0].rule, Rule::FrontMatter);
        assert_eq!(p.title, "Body");
        assert_eq!(p.links.len(), 1);
    }
}
