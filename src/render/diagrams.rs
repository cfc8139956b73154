//! The model's diagrams as template values: what `draw` lays out, fed from
//! the views. A component page gets its neighbourhood, a role page (and its
//! part of the boundaries view) its relations both ways, a decision page its
//! supersedes chain, and `dependencies.html` every component by layer (an
//! overview by layer past [`DETAILED_UP_TO`] components). Each diagram comes
//! with the same facts as rows for a table, so nothing is only in a picture.
//! Reads the views; writes nothing.

use serde::Serialize;

use crate::render::draw::columns::Columns;
use crate::render::draw::layered::{Band, Layered};
use crate::render::draw::{Node, wrap};
use crate::render::views::{Boundary, Facts, PageRef, Views};

/// Past this many components the dependency view shows layers, not boxes.
pub const DETAILED_UP_TO: usize = 150;

/// A diagram of the model and the same facts as table rows.
#[derive(Debug, Default, Serialize)]
pub struct ModelDiagram {
    /// Its heading ("Dependencies", "Relations", "Supersedes chain").
    pub title: &'static str,
    /// The inline SVG.
    pub svg: String,
    /// What it shows, in a sentence (the figure's caption).
    pub caption: String,
    /// The facts it draws, one row per edge.
    pub rows: Vec<DiagramRow>,
}

/// One fact a diagram draws.
#[derive(Debug, Serialize)]
pub struct DiagramRow {
    /// How the page relates to the diagram's subject ("Depends on").
    pub relation: &'static str,
    /// The other page.
    pub page: PageRef,
    /// What the box says besides the title (layer and owner, the relation).
    pub detail: String,
}

/// The dependency view: its diagram and, by layer, the same facts as lists.
#[derive(Debug, Serialize)]
pub struct DependencyView {
    /// The diagram (its rows are empty: `layers` holds the facts).
    pub diagram: ModelDiagram,
    /// Whether every component is drawn (else layers with counts).
    pub detailed: bool,
    /// How many components there are.
    pub count: usize,
    /// Each layer, top of the stack first, and its components.
    pub layers: Vec<DependencyLayer>,
}

/// A layer of the dependency view.
#[derive(Debug, Serialize)]
pub struct DependencyLayer {
    /// The layer.
    pub layer: PageRef,
    /// How deep it is nested.
    pub depth: usize,
    /// Its components.
    pub components: Vec<DependencyRow>,
}

/// A component of the dependency view.
#[derive(Debug, Serialize)]
pub struct DependencyRow {
    /// The component.
    pub component: PageRef,
    /// Its owner.
    pub owner: Option<PageRef>,
    /// Its lifecycle.
    pub lifecycle: Option<String>,
    /// `lifecycle-new`, `lifecycle-old` or empty.
    pub lifecycle_class: &'static str,
    /// What it depends on.
    pub depends_on: Vec<PageRef>,
    /// What depends on it.
    pub dependants: Vec<PageRef>,
}

/// The lifecycle class of a component: `lifecycle-new` for stages before
/// current use, `lifecycle-old` for stages on the way out.
pub fn lifecycle_class(lifecycle: Option<&str>) -> &'static str {
    let Some(l) = lifecycle else { return "" };
    let l = l.trim().to_ascii_lowercase();
    const NEW: &[&str] = &[
        "emerging", "proposed", "planned", "pilot", "trial", "assess", "new", "plan",
    ];
    const OLD: &[&str] = &[
        "sunset",
        "sunsetting",
        "deprecated",
        "retiring",
        "retired",
        "legacy",
        "contain",
        "phase-out",
        "phasing-out",
        "end-of-life",
        "eol",
        "decommissioned",
        "hold",
    ];
    if NEW.contains(&l.as_str()) {
        "lifecycle-new"
    } else if OLD.contains(&l.as_str()) {
        "lifecycle-old"
    } else {
        ""
    }
}

/// The node of a page, with its page's link.
fn node(r: &PageRef, lines: Vec<String>, class: &str) -> Node {
    Node {
        title: r.title.clone(),
        url: r.url.clone(),
        lines,
        class: class.to_string(),
    }
}

impl Views {
    /// A component box: title, then "layer · owner", then its lifecycle.
    fn component_node(&self, r: &PageRef, by_id: &dyn Fn(&str) -> Option<usize>) -> (Node, String) {
        let facts = by_id(&r.id).and_then(|i| self.facts[i].as_ref());
        let Some(Facts::Component {
            layer,
            owner,
            lifecycle,
            ..
        }) = facts
        else {
            return (node(r, vec![], ""), String::new());
        };
        let mut detail = format!(
            "{} · {}",
            layer.as_ref().map_or("no layer", |l| l.title.as_str()),
            owner.as_ref().map_or("no owner", |o| o.title.as_str())
        );
        let mut lines = vec![detail.clone()];
        if let Some(l) = lifecycle {
            lines.push(l.clone());
            detail.push_str(" · ");
            detail.push_str(l);
        }
        (
            node(r, lines, lifecycle_class(lifecycle.as_deref())),
            detail,
        )
    }

    /// Page `i`'s neighbourhood, when it is a component with any.
    pub fn neighbourhood(
        &self,
        i: usize,
        by_id: &dyn Fn(&str) -> Option<usize>,
        root: &str,
    ) -> Option<ModelDiagram> {
        let Some(Facts::Component {
            depends_on,
            dependants,
            ..
        }) = &self.facts[i]
        else {
            return None;
        };
        if depends_on.is_empty() && dependants.is_empty() {
            return None;
        }
        let me = &self.refs[i];
        let (mut centre, _) = self.component_node(me, by_id);
        centre.class = format!("diagram-self {}", centre.class);
        let mut rows = Vec::new();
        let mut side = |list: &[PageRef], relation| -> Vec<Node> {
            list.iter()
                .map(|r| {
                    let (n, detail) = self.component_node(r, by_id);
                    rows.push(DiagramRow {
                        relation,
                        page: r.clone(),
                        detail,
                    });
                    n
                })
                .collect()
        };
        let left = side(dependants, "Used by");
        let right = side(depends_on, "Depends on");
        let d = Columns::star(("Used by", left), centre, ("Depends on", right));
        let caption = format!(
            "{}: what it depends on and what depends on it, one step each way. An arrow points from a component to one it depends on.",
            me.title
        );
        Some(ModelDiagram {
            title: "Dependencies",
            svg: d.draw(
                root,
                &format!("Dependencies of {}", me.title),
                &describe(&rows, &me.title),
            )?,
            caption,
            rows,
        })
    }

    /// A role's relations, both ways: roles that describe it on the left,
    /// roles it describes on the right.
    pub fn relations_diagram(&self, boundary: &Boundary, root: &str) -> Option<ModelDiagram> {
        if boundary.relations.is_empty() && boundary.related_by.is_empty() {
            return None;
        }
        let me = &boundary.role;
        let mut rows = Vec::new();
        let left: Vec<Node> = boundary
            .related_by
            .iter()
            .map(|r| {
                rows.push(DiagramRow {
                    relation: "Says of it",
                    page: r.from.clone(),
                    detail: r.text.clone(),
                });
                node(&r.from, vec![r.text.clone()], "")
            })
            .collect();
        let right: Vec<Node> = boundary
            .relations
            .iter()
            .map(|r| {
                rows.push(DiagramRow {
                    relation: "It says of them",
                    page: r.role.clone(),
                    detail: r.text.clone(),
                });
                node(&r.role, vec![r.text.clone()], "")
            })
            .collect();
        let mut centre = node(me, vec![], "diagram-self");
        if let Some(m) = &boundary.focus {
            centre.lines = vec![m.clone()];
        }
        let d = Columns::star(
            ("How they relate to it", left),
            centre,
            ("How it relates to them", right),
        );
        Some(ModelDiagram {
            title: "Relations",
            svg: d.draw(
                root,
                &format!("Relations of {}", me.title),
                &describe(&rows, &me.title),
            )?,
            caption: format!(
                "{}: its relations to other roles, as each role's page describes them. Each box says how its arrow's start relates to its end.",
                me.title
            ),
            rows,
        })
    }

    /// The supersedes chain page `i` is part of, oldest first.
    pub fn supersedes_chain(
        &self,
        i: usize,
        by_id: &dyn Fn(&str) -> Option<usize>,
        root: &str,
    ) -> Option<ModelDiagram> {
        let links = |j: usize| -> (Vec<usize>, Vec<usize>) {
            match &self.facts[j] {
                Some(Facts::Decision {
                    supersedes,
                    superseded_by,
                    ..
                }) => (
                    supersedes.iter().filter_map(|r| by_id(&r.id)).collect(),
                    superseded_by.iter().filter_map(|r| by_id(&r.id)).collect(),
                ),
                _ => (vec![], vec![]),
            }
        };
        // Every decision connected to this one, at most 60 of them.
        let mut seen = vec![i];
        let mut k = 0;
        while k < seen.len() && seen.len() < 60 {
            let (older, newer) = links(seen[k]);
            for j in older.into_iter().chain(newer) {
                if !seen.contains(&j) {
                    seen.push(j);
                }
            }
            k += 1;
        }
        if seen.len() < 2 {
            return None;
        }
        // Column: the longest run of older decisions before it.
        let mut col = vec![0usize; seen.len()];
        for _ in 0..seen.len() {
            for (a, &d) in seen.iter().enumerate() {
                for o in links(d).0 {
                    if let Some(b) = seen.iter().position(|&x| x == o)
                        && col[a] < col[b] + 1
                        && col[b] < seen.len()
                    {
                        col[a] = col[b] + 1;
                    }
                }
            }
        }
        let n_cols = col.iter().max().map_or(1, |m| m + 1);
        let mut columns: Vec<(String, Vec<Node>)> = vec![(String::new(), vec![]); n_cols];
        let mut place = vec![(0, 0); seen.len()];
        let mut rows = Vec::new();
        for (a, &d) in seen.iter().enumerate() {
            let r = &self.refs[d];
            let status = match &self.facts[d] {
                Some(Facts::Decision { status, date, .. }) => [status.clone(), date.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                _ => String::new(),
            };
            let class = if d == i { "diagram-self" } else { "" };
            place[a] = (col[a], columns[col[a]].1.len());
            columns[col[a]].1.push(node(r, vec![status.clone()], class));
            if d != i {
                let relation = if col[a] < col[0] {
                    "Older"
                } else if col[a] > col[0] {
                    "Newer"
                } else {
                    "Alongside"
                };
                rows.push(DiagramRow {
                    relation,
                    page: r.clone(),
                    detail: status,
                });
            }
        }
        let mut edges = Vec::new();
        for (a, &d) in seen.iter().enumerate() {
            for o in links(d).0 {
                if let Some(b) = seen.iter().position(|&x| x == o) {
                    // From the older decision to the one that replaced it.
                    edges.push((place[b], place[a]));
                }
            }
        }
        let me = &self.refs[i];
        Some(ModelDiagram {
            title: "Supersedes chain",
            svg: Columns { columns, edges }.draw(
                root,
                &format!("Supersedes chain of {}", me.title),
                &describe(&rows, &me.title),
            )?,
            caption: "The decisions this one replaces and those that replace it, oldest on the left. An arrow points from a decision to the one that superseded it.".into(),
            rows,
        })
    }

    /// Every component by layer, in stack order (an overview by layer past
    /// [`DETAILED_UP_TO`] components); `None` without layers.
    pub fn dependency_view(&self, by_id: &dyn Fn(&str) -> Option<usize>) -> Option<DependencyView> {
        let rows = &self.layers.rows;
        if rows.is_empty() {
            return None;
        }
        let count: usize = rows.iter().map(|r| r.components.len()).sum();
        let mut at = std::collections::HashMap::new();
        let mut bands = Vec::new();
        let detailed = count <= DETAILED_UP_TO;
        for (b, row) in rows.iter().enumerate() {
            let nodes = if detailed {
                row.components
                    .iter()
                    .enumerate()
                    .map(|(k, c)| {
                        at.insert(c.id.as_str(), (b, k));
                        // The band names the layer: the box names the owner.
                        match by_id(&c.id).and_then(|i| self.facts[i].as_ref()) {
                            Some(Facts::Component {
                                owner, lifecycle, ..
                            }) => node(
                                c,
                                owner
                                    .iter()
                                    .map(|o| o.title.clone())
                                    .chain(lifecycle.clone())
                                    .collect(),
                                lifecycle_class(lifecycle.as_deref()),
                            ),
                            _ => node(c, vec![], ""),
                        }
                    })
                    .collect()
            } else {
                for c in &row.components {
                    at.insert(c.id.as_str(), (b, 0));
                }
                if row.components.is_empty() {
                    vec![]
                } else {
                    vec![Node {
                        title: format!("{} components", row.components.len()),
                        url: row.layer.url.clone(),
                        lines: wrap(
                            &row.components
                                .iter()
                                .take(6)
                                .map(|c| c.title.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            30,
                            2,
                        ),
                        class: String::new(),
                    }]
                }
            };
            bands.push(Band {
                title: row.layer.title.clone(),
                url: row.layer.url.clone(),
                depth: row.depth,
                nodes,
            });
        }
        let mut edges = Vec::new();
        let mut layers = Vec::new();
        for row in rows {
            let mut components = Vec::new();
            for c in &row.components {
                let Some(Facts::Component {
                    owner,
                    lifecycle,
                    depends_on,
                    dependants,
                    ..
                }) = by_id(&c.id).and_then(|i| self.facts[i].as_ref())
                else {
                    continue;
                };
                for d in depends_on {
                    if let (Some(&a), Some(&b)) = (at.get(c.id.as_str()), at.get(d.id.as_str()))
                        && !edges.contains(&(a, b))
                    {
                        edges.push((a, b));
                    }
                }
                components.push(DependencyRow {
                    component: c.clone(),
                    owner: owner.clone(),
                    lifecycle: lifecycle.clone(),
                    lifecycle_class: lifecycle_class(lifecycle.as_deref()),
                    depends_on: depends_on.clone(),
                    dependants: dependants.clone(),
                });
            }
            layers.push(DependencyLayer {
                layer: row.layer.clone(),
                depth: row.depth,
                components,
            });
        }
        let caption = if detailed {
            format!(
                "All {count} components, each in the band of its layer, the top of the stack first. An arrow points from a component to one it depends on; a dashed arrow points up the stack."
            )
        } else {
            format!(
                "{count} components are too many to draw one by one: each layer shows how many it has, and an arrow points from a layer to one whose components its components depend on. The lists below name them all."
            )
        };
        let svg = Layered { bands, edges }.draw(
            "",
            "Dependencies by layer",
            &format!(
                "{count} components on {} layers and what they depend on.",
                rows.len()
            ),
        )?;
        Some(DependencyView {
            diagram: ModelDiagram {
                title: "Dependencies by layer",
                svg,
                caption,
                rows: vec![],
            },
            detailed,
            count,
            layers,
        })
    }
}

/// A diagram's description: its subject and every fact, in words.
fn describe(rows: &[DiagramRow], subject: &str) -> String {
    let mut out = format!("{subject}.");
    for r in rows {
        out.push_str(&format!(" {}: {}", r.relation, r.page.title));
        if !r.detail.is_empty() {
            out.push_str(&format!(" ({})", r.detail));
        }
        out.push('.');
    }
    out
}
