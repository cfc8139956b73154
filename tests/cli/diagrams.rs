//! The model's diagrams in the built site, read back as HTML: a component's
//! neighbourhood, a role's relations, a decision's supersedes chain, the
//! dependency view (detailed and, past 150 components, by layer), lifecycle
//! marks in the layer stack; every box linked, every diagram named and
//! described, and its facts in a table beside it.

use scraper::{ElementRef, Html};

use crate::build::{build, page, sel};
use crate::util::{copy_fixture, fixtures, write_files};

/// The model diagram of a page's main part (the `n`th).
fn diagram(doc: &Html, n: usize) -> ElementRef<'_> {
    doc.select(&sel("main svg.model-diagram"))
        .nth(n)
        .unwrap_or_else(|| panic!("no model diagram #{n}"))
}

/// Every link target of an SVG's boxes, in order.
fn box_links(svg: ElementRef<'_>) -> Vec<String> {
    svg.select(&sel("a"))
        .filter(|a| a.select(&sel("rect.diagram-box")).next().is_some())
        .map(|a| a.attr("href").unwrap().to_string())
        .collect()
}

fn texts(svg: ElementRef<'_>, css: &str) -> Vec<String> {
    svg.select(&sel(css))
        .map(|e| e.text().collect::<String>())
        .collect()
}

/// The good fixture with a decision chain, a sunset component and more.
fn handbook() -> tempfile::TempDir {
    let tmp = copy_fixture(&fixtures("good"));
    write_files(
        &tmp.path().join("docs"),
        &[
            (
                "decisions/0002-replace-san.md",
                "---\nkind: decision\nid: adr-0002\ntitle: \"ADR 0002: Replace the SAN\"\nstatus: accepted\ndate: 2025-06-01\nsupersedes: [adr-0001]\n---\n# ADR 0002\n",
            ),
            (
                "decisions/0003-cloud.md",
                "---\nkind: decision\nid: adr-0003\ntitle: \"ADR 0003: Cloud storage\"\nstatus: proposed\ndate: 2025-09-01\nsupersedes: [adr-0002]\n---\n# ADR 0003\n",
            ),
            (
                "components/tape.md",
                "---\nkind: component\ntitle: Tape library\nlayer: storage\nowner: operator\nlifecycle: sunset\n---\n# Tape library\n",
            ),
        ],
    );
    tmp
}

#[test]
fn a_component_page_draws_its_neighbourhood_with_layer_and_owner() {
    let tmp = handbook();
    let (_t, site) = build(tmp.path());
    let doc = page(&site, "components/database.html");
    let svg = diagram(&doc, 0);
    assert_eq!(
        texts(svg, "svg > title"),
        ["Dependencies of Database"],
        "named"
    );
    let desc = texts(svg, "svg > desc").concat();
    assert!(
        desc.contains("Depends on: SAN (Storage · Operator · current)"),
        "{desc}"
    );
    // Used by the app server (left), itself (centre), the SAN (right).
    assert_eq!(
        box_links(svg),
        [
            "../components/app-server.html",
            "../components/database.html",
            "../components/san.html"
        ]
    );
    let subs = texts(svg, "text.diagram-sub");
    assert!(subs.contains(&"Storage · Operator".to_string()), "{subs:?}");
    assert!(
        subs.contains(&"Platform · Operator".to_string()),
        "{subs:?}"
    );
    assert_eq!(svg.select(&sel("path.diagram-edge")).count(), 2);
    // The same facts as a table.
    let rows: Vec<String> = doc
        .select(&sel("main .diagram-facts tbody tr"))
        .map(|r| r.text().collect::<String>())
        .collect();
    assert_eq!(
        rows,
        [
            "Used byApp serverPlatform · Operator",
            "Depends onSANStorage · Operator · current"
        ]
    );
    // A component with no neighbours gets no diagram.
    assert!(
        page(&site, "components/tape.html")
            .select(&sel("svg.model-diagram"))
            .next()
            .is_none()
    );
}

#[test]
fn role_pages_and_the_boundaries_view_draw_relations_both_ways() {
    let (_t, site) = build(&fixtures("good"));
    for (file, root) in [
        ("roles/operator.html", "../roles/"),
        ("boundaries.html", "roles/"),
    ] {
        let doc = page(&site, file);
        let svg = doc
            .select(&sel("main svg.model-diagram"))
            .find(|s| texts(*s, "svg > title") == ["Relations of Operator"])
            .unwrap_or_else(|| panic!("{file}: no relations of the operator"));
        assert_eq!(
            box_links(svg),
            [
                format!("{root}architect.html"),
                format!("{root}operator.html"),
                format!("{root}architect.html")
            ],
            "{file}"
        );
        let subs = texts(svg, "text.diagram-sub").join(" ");
        // What the architect says of the operator, and the other way.
        assert!(subs.contains("Designs what the operator"), "{subs}");
        assert!(subs.contains("Runs what the architect"), "{subs}");
        let described = doc
            .select(&sel(
                "main section.boundary[aria-labelledby=\"boundary-operator\"] tr",
            ))
            .map(|r| r.text().collect::<String>())
            .find(|t| t.starts_with("Described by"))
            .unwrap_or_else(|| panic!("{file}: no 'Described by' row"));
        assert!(
            described.contains("Architect: Designs what the operator runs."),
            "{described}"
        );
    }
}

#[test]
fn a_decision_page_draws_its_whole_supersedes_chain_oldest_first() {
    let tmp = handbook();
    let (_t, site) = build(tmp.path());
    for file in [
        "decisions/0001-use-san.html",
        "decisions/0002-replace-san.html",
        "decisions/0003-cloud.html",
    ] {
        let doc = page(&site, file);
        let svg = diagram(&doc, 0);
        // Boxes in column order: oldest on the left.
        let mut boxes: Vec<(f32, String)> = svg
            .select(&sel("a"))
            .map(|a| {
                let x = a
                    .select(&sel("rect"))
                    .next()
                    .unwrap()
                    .attr("x")
                    .unwrap()
                    .parse()
                    .unwrap();
                (x, a.attr("href").unwrap().to_string())
            })
            .collect();
        boxes.sort_by(|a, b| a.0.total_cmp(&b.0));
        let order: Vec<&str> = boxes.iter().map(|b| b.1.as_str()).collect();
        assert_eq!(
            order,
            [
                "../decisions/0001-use-san.html",
                "../decisions/0002-replace-san.html",
                "../decisions/0003-cloud.html"
            ],
            "{file}"
        );
        assert_eq!(svg.select(&sel("path.diagram-edge")).count(), 2);
        assert_eq!(svg.select(&sel("rect.diagram-self")).count(), 1);
        assert!(texts(svg, "text.diagram-sub").contains(&"proposed · 2025-09-01".to_string()));
    }
}

#[test]
fn the_dependency_view_draws_every_component_in_its_layer_band() {
    let tmp = handbook();
    let (_t, site) = build(tmp.path());
    let doc = page(&site, "dependencies.html");
    let svg = diagram(&doc, 0);
    // Bands top of the stack first, each linked to its layer.
    assert_eq!(
        texts(svg, "text.diagram-band-title"),
        ["Platform", "Physical", "Storage"]
    );
    let mut links = box_links(svg);
    links.sort();
    assert_eq!(
        links,
        [
            "components/app-server.html",
            "components/database.html",
            "components/san.html",
            "components/tape.html"
        ]
    );
    assert!(
        svg.select(&sel("rect.lifecycle-old")).count() == 1,
        "the sunset tape library is marked"
    );
    // App server → Database, App server → SAN, Database → SAN.
    assert_eq!(svg.select(&sel("path.diagram-edge")).count(), 3);
    let table = doc
        .select(&sel("main .dependency-table"))
        .map(|t| t.text().collect::<String>())
        .collect::<String>();
    assert!(table.contains("DatabaseOperatorSANApp server"), "{table}");
    // Linked from the layer matrix and the components index.
    for from in ["layers.html", "components.html"] {
        assert!(
            page(&site, from)
                .select(&sel("main a[href=\"dependencies.html\"]"))
                .next()
                .is_some(),
            "{from} links the dependency view"
        );
    }
}

#[test]
fn the_layer_stack_marks_lifecycles_with_a_legend() {
    let tmp = handbook();
    let (_t, site) = build(tmp.path());
    let doc = page(&site, "layers.html");
    let stack = doc.select(&sel("main .stack-diagram svg")).next().unwrap();
    let marked: Vec<String> = stack
        .select(&sel("rect.lifecycle-old"))
        .map(|r| r.attr("class").unwrap().to_string())
        .collect();
    assert_eq!(marked, ["component-box lifecycle-old"]);
    assert!(texts(stack, "title").contains(&"Tape library (sunset)".to_string()));
    let legend: Vec<String> = doc
        .select(&sel("main ul.legend[aria-label=\"Lifecycle marks\"] li"))
        .map(|l| l.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(legend, ["sunset (1)"]);
}

#[test]
fn past_150_components_the_dependency_view_shows_layers_with_counts() {
    let tmp = copy_fixture(&fixtures("good"));
    let files: Vec<(String, String)> = (0..160)
        .map(|i| {
            let layer = if i % 2 == 0 { "platform" } else { "storage" };
            let dep = if i % 2 == 0 {
                format!("depends_on: [gen-{}]\n", i + 1)
            } else {
                String::new()
            };
            (
                format!("components/gen-{i}.md"),
                format!("---\nkind: component\nid: gen-{i}\ntitle: Generated {i}\nlayer: {layer}\nowner: operator\n{dep}---\n# Generated {i}\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(&tmp.path().join("docs"), &refs);
    let (_t, site) = build(tmp.path());
    let doc = page(&site, "dependencies.html");
    let svg = diagram(&doc, 0);
    let titles = texts(svg, "text.diagram-title");
    assert_eq!(titles, ["82 components", "81 components"], "{titles:?}");
    // One edge per pair of layers, however many components depend.
    assert_eq!(svg.select(&sel("path.diagram-edge")).count(), 1);
    // Every component is still listed.
    assert_eq!(
        doc.select(&sel("main .dependency-table tbody tr")).count(),
        163
    );
}

#[test]
fn a_book_without_components_keeps_its_own_dependencies_page() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            ("book.toml", "[book]\ntitle = \"Deps\"\n"),
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [Dependencies](dependencies.md)\n",
            ),
            ("src/dependencies.md", "# Dependencies\n\nOur crates.\n"),
        ],
    );
    let (_t, site) = build(tmp.path());
    let doc = page(&site, "dependencies.html");
    assert!(
        doc.root_element()
            .text()
            .collect::<String>()
            .contains("Our crates."),
        "the book's page, not the view"
    );
}

#[test]
fn model_diagrams_off_leaves_the_drawings_out_and_the_facts_in() {
    let tmp = handbook();
    crate::util::append(&tmp.path().join("book.toml"), "model-diagrams = false\n");
    let (_t, site) = build(tmp.path());
    for rel in [
        "components/database.html",
        "decisions/0002-replace-san.html",
        "dependencies.html",
        "boundaries.html",
        "print.html",
    ] {
        let doc = page(&site, rel);
        assert_eq!(
            doc.select(&sel("svg.model-diagram")).count(),
            0,
            "{rel} has a model diagram"
        );
        assert_eq!(doc.select(&sel(".diagram-facts")).count(), 0, "{rel}");
    }
    // The facts stay: the fact box, the dependency view's lists by layer.
    let db = page(&site, "components/database.html");
    assert!(db.select(&sel("main .facts")).next().is_some());
    let deps = page(&site, "dependencies.html");
    let listed: Vec<String> = deps
        .select(&sel(".dependency-table th[scope=row] a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(listed.iter().any(|t| t == "Tape library"), "{listed:?}");
    // The layer stack is not a model diagram of these: it stays.
    let layers = page(&site, "layers.html");
    assert!(layers.select(&sel("main svg")).next().is_some());
}
