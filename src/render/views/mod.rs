//! What the generated pages show, computed once from the resolved model: the
//! RACI and layer matrices, role boundaries, fact boxes, backlinks, the
//! decision log, the tags and the layer stack diagram.
//!
//! Everything here is plain serialisable data ("view types"): templates never
//! see the model itself. Reads the resolved [`Handbook`]; writes nothing.
//! The types are in `types`; the builder's parts by view: `facts`,
//! `matrices`, `boundaries`.

mod boundaries;
pub mod changes;
mod facts;
pub mod health;
mod matrices;
mod types;

pub use types::*;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::content::page::{KindData, Page, Ref};

use crate::model::handbook::Handbook;
use crate::render::nav::Nav;
use crate::vocab::{Kind, Letters};

/// Everything the generated pages need.
#[derive(Debug, Default)]
pub struct Views {
    /// A link for every page.
    pub refs: Vec<PageRef>,
    /// For each page, the pages that link to it or reference its id.
    pub backlinks: Vec<Vec<usize>>,
    /// For each page, its fact box.
    pub facts: Vec<Option<Facts>>,
    /// The RACI matrix.
    pub raci: RaciMatrix,
    /// The layer matrix.
    pub layers: LayerMatrix,
    /// One boundary table per role, in reading order.
    pub boundaries: Vec<Boundary>,
    /// Every relation between roles.
    pub interfaces: Vec<Relation>,
    /// Decisions by date.
    pub decisions: Vec<DecisionRow>,
    /// Index of model pages of each kind, in reading order.
    pub by_kind: HashMap<Kind, Vec<usize>>,
    /// The "What changed" page, with `changes-since`.
    pub changes: Option<changes::ChangesView>,
    /// With `changes-since`: what changed on each page, by page index.
    pub page_changes: HashMap<usize, changes::PageChange>,
    /// The "Model health" view.
    pub health: health::Health,
    /// Every tag with its pages, by name (`tags.html`).
    pub tags: Vec<Tag>,
}

impl Views {
    /// Computes every view from a resolved site and its navigation.
    pub fn build(book: &Handbook, nav: &Nav) -> Views {
        let pages = &book.pages;
        let refs: Vec<PageRef> = pages
            .iter()
            .map(|p| PageRef {
                id: p.id.clone(),
                title: p.title.clone(),
                url: (!p.draft).then(|| p.output.clone()),
                kind: p.kind,
                summary: p.summary.clone(),
            })
            .collect();
        // Reading order first, then drafts, so lists are stable and sensible.
        let mut order: Vec<usize> = nav.order.clone();
        let seen: BTreeSet<usize> = order.iter().copied().collect();
        order.extend((0..pages.len()).filter(|i| !seen.contains(i)));
        let mut by_kind: HashMap<Kind, Vec<usize>> = HashMap::new();
        for &i in &order {
            if let Some(k) = pages[i].kind {
                by_kind.entry(k).or_default().push(i);
            }
        }
        let mut v = Views {
            refs,
            by_kind,
            ..Views::default()
        };
        let b = Builder::new(book, pages, &v);
        // The views are independent of each other: built side by side.
        let ((backlinks, facts), ((raci, layers), (boundaries, decisions))) = rayon::join(
            || {
                rayon::join(
                    || b.backlinks(),
                    || {
                        (0..pages.len())
                            .into_par_iter()
                            .map(|i| b.facts(i))
                            .collect()
                    },
                )
            },
            || {
                rayon::join(
                    || rayon::join(|| b.raci(), || b.layer_matrix()),
                    || rayon::join(|| b.boundaries(), || b.decisions()),
                )
            },
        );
        let interfaces: Vec<Relation> = boundaries
            .iter()
            .flat_map(|bd| bd.relations.iter().cloned())
            .collect();
        let mut boundaries = boundaries;
        for bd in &mut boundaries {
            bd.related_by = interfaces
                .iter()
                .filter(|r| r.role.id == bd.role.id)
                .cloned()
                .collect();
        }
        v.backlinks = backlinks;
        v.facts = facts;
        v.raci = raci;
        v.layers = layers;
        v.boundaries = boundaries;
        v.interfaces = interfaces;
        v.decisions = decisions;
        v.health = health::build(book, &v, &order);
        v.tags = tags(pages, &order, &v.refs);
        if let Some(ch) = &book.changes {
            let since = book
                .config
                .changes_since
                .clone()
                .unwrap_or_else(|| ch.old.label.clone());
            changes::mark_cells(&mut v.raci, ch);
            v.page_changes = changes::page_notes(pages, ch, &since);
            v.changes = Some(changes::view(ch, &since));
        }
        v
    }

    /// The "referenced by" lists of every page, from the site's current page
    /// links and model references.
    pub fn backlinks(book: &Handbook, views: &Views) -> Vec<Vec<usize>> {
        Builder::new(book, &book.pages, views).backlinks()
    }

    /// Pages of a kind, in reading order.
    pub fn of(&self, kind: Kind) -> &[usize] {
        self.by_kind.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The boundary table of a role page.
    pub fn boundary_of(&self, id: &str) -> Option<&Boundary> {
        self.boundaries.iter().find(|b| b.role.id == id)
    }
}

/// The id of a tag's section on `tags.html`.
pub fn tag_anchor(name: &str) -> String {
    format!("tag-{}", crate::slug::anchor(name))
}

/// Every tag of the published pages, ordered by name without regard to
/// case, each with its pages in `order`.
fn tags(pages: &[Page], order: &[usize], refs: &[PageRef]) -> Vec<Tag> {
    let mut by_anchor: BTreeMap<String, Tag> = BTreeMap::new();
    for &i in order {
        if pages[i].draft {
            continue;
        }
        for name in &pages[i].tags {
            let anchor = tag_anchor(name);
            let tag = by_anchor.entry(anchor.clone()).or_insert_with(|| Tag {
                name: name.trim().to_string(),
                anchor,
                pages: Vec::new(),
            });
            if tag.pages.last().map(|r| &r.id) != Some(&pages[i].id) {
                tag.pages.push(refs[i].clone());
            }
        }
    }
    let mut tags: Vec<Tag> = by_anchor.into_values().collect();
    tags.sort_by_cached_key(|t| (t.name.to_lowercase(), t.name.clone()));
    tags
}

struct Builder<'a> {
    book: &'a Handbook,
    pages: &'a [Page],
    views: &'a Views,
    /// (target page, front-matter key, kind of the naming page) → pages whose key names the target,
    /// in reading order.
    inverse: HashMap<(usize, &'static str, Kind), Vec<usize>>,
    /// RACI cells per activity and per role, in reading order of the other side.
    by_activity: HashMap<usize, Vec<(usize, Letters)>>,
    by_role: HashMap<usize, Vec<(usize, Letters)>>,
}

impl<'a> Builder<'a> {
    fn new(book: &'a Handbook, pages: &'a [Page], views: &'a Views) -> Self {
        let mut b = Builder {
            book,
            pages,
            views,
            inverse: HashMap::new(),
            by_activity: HashMap::new(),
            by_role: HashMap::new(),
        };
        let mut inverse: HashMap<(usize, &'static str, Kind), Vec<usize>> = HashMap::new();
        for kind in Kind::ALL {
            for &from in views.of(kind) {
                for (key, r, target_kind) in pages[from].data.references() {
                    if let Some(t) = b.get(r, target_kind) {
                        let list = inverse.entry((t, key, kind)).or_default();
                        if list.last() != Some(&from) {
                            list.push(from);
                        }
                    }
                }
            }
        }
        let pos = position_map(&views.by_kind, pages.len());
        let mut by_activity: HashMap<usize, Vec<(usize, Letters)>> = HashMap::new();
        let mut by_role: HashMap<usize, Vec<(usize, Letters)>> = HashMap::new();
        for (&(a, r), asg) in &book.model.raci {
            by_activity.entry(a).or_default().push((r, asg.letters));
            by_role.entry(r).or_default().push((a, asg.letters));
        }
        for list in by_activity.values_mut().chain(by_role.values_mut()) {
            list.sort_by_key(|(i, _)| (pos[*i], *i));
        }
        b.inverse = inverse;
        b.by_activity = by_activity;
        b.by_role = by_role;
        b
    }

    /// Pages whose `key` names `target`.
    /// Pages of kind `from` whose `key` names `target`.
    fn named_by(&self, target: usize, key: &'static str, from: Kind) -> Vec<PageRef> {
        self.inverse
            .get(&(target, key, from))
            .map(|v| v.iter().map(|&i| self.views.refs[i].clone()).collect())
            .unwrap_or_default()
    }

    fn get(&self, r: &Ref, kind: Kind) -> Option<usize> {
        self.book.model.get(self.pages, &r.id, kind)
    }

    fn link(&self, r: &Ref, kind: Kind) -> Option<PageRef> {
        self.get(r, kind).map(|i| self.views.refs[i].clone())
    }

    fn links(&self, rs: &[Ref], kind: Kind) -> Vec<PageRef> {
        rs.iter().filter_map(|r| self.link(r, kind)).collect()
    }

    fn roles(&self) -> Vec<PageRef> {
        self.views
            .of(Kind::Role)
            .iter()
            .map(|&i| self.views.refs[i].clone())
            .collect()
    }

    fn letters(&self, activity: usize, role: usize) -> Letters {
        self.book
            .model
            .raci
            .get(&(activity, role))
            .map(|a| a.letters)
            .unwrap_or_default()
    }

    fn person(&self, r: &Ref) -> Person {
        match self.get(r, Kind::Role) {
            Some(i) => Person {
                name: self.pages[i].title.clone(),
                role: Some(self.views.refs[i].clone()),
            },
            None => Person {
                name: r.id.clone(),
                role: None,
            },
        }
    }

    fn backlinks(&self) -> Vec<Vec<usize>> {
        let mut back: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); self.pages.len()];
        for (from, targets) in self.book.page_links.iter().enumerate() {
            for &t in targets {
                back[t].insert(from);
            }
        }
        for (from, p) in self.pages.iter().enumerate() {
            for (_, r, kind) in p.data.references() {
                if let Some(t) = self.get(r, kind)
                    && t != from
                {
                    back[t].insert(from);
                }
            }
        }
        // Role-side and activity-side RACI reference each other too.
        for &(a, role) in self.book.model.raci.keys() {
            back[a].insert(role);
            back[role].insert(a);
        }
        // Plain pages first, then by kind, each in reading order.
        let pos = position_map(&self.views.by_kind, self.pages.len());
        let kind_rank = |i: usize| {
            self.pages[i].kind.map_or(0, |k| {
                1 + Kind::ALL.iter().position(|x| *x == k).unwrap_or(0)
            })
        };
        back.into_iter()
            .map(|set| {
                let mut v: Vec<usize> = set.into_iter().filter(|&i| !self.pages[i].draft).collect();
                v.sort_by_key(|&i| (kind_rank(i), pos[i], i));
                v
            })
            .collect()
    }
}

fn position_map(by_kind: &HashMap<Kind, Vec<usize>>, n: usize) -> Vec<usize> {
    let mut pos = vec![usize::MAX; n];
    for list in by_kind.values() {
        for (k, &i) in list.iter().enumerate() {
            pos[i] = k;
        }
    }
    pos
}

/// The badge class of a MADR status.
pub fn status_class(status: Option<&str>) -> String {
    let s = status.unwrap_or("").trim().to_ascii_lowercase();
    for k in [
        "proposed",
        "accepted",
        "rejected",
        "deprecated",
        "superseded",
    ] {
        if s.starts_with(k) {
            return k.to_string();
        }
    }
    "unknown".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::test_pages;

    /// The views of a small handbook, built from a handbook value alone.
    fn views(files: &[(&str, &str)]) -> Views {
        let pages = test_pages(files);
        let model = crate::model::resolve(&pages, &mut Vec::new());
        let book = Handbook {
            pages,
            model,
            ..Handbook::default()
        };
        let nav = Nav::new(&book.pages, None);
        Views::build(&book, &nav)
    }

    const BOOK: &[(&str, &str)] = &[
        (
            "layers/net.md",
            "---\nkind: layer\nlevel: 1\n---\n# Network\n",
        ),
        (
            "components/lb.md",
            "---\nkind: component\nlayer: net\nowner: ops\n---\n# Load balancer\n",
        ),
        (
            "roles/arch.md",
            "---\nkind: role\nmantra: Think first\ndoes_not: [run]\nrelations:\n  ops: hands designs over\n---\n# Architect\n",
        ),
        (
            "roles/ops.md",
            "---\nkind: role\nraci:\n  run: A/R\n---\n# Operations\n",
        ),
        (
            "activities/run.md",
            "---\nkind: activity\narea: Operations\nlayers: [net]\nraci:\n  arch: C\n---\n# Run the network\n",
        ),
        (
            "activities/design.md",
            "---\nkind: activity\narea: Design\nraci:\n  arch: A/R\n  ops: I\n---\n# Design\n",
        ),
    ];

    #[test]
    fn the_raci_matrix_merges_both_sides_by_area() {
        let v = views(BOOK);
        let roles: Vec<&str> = v.raci.roles.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(roles, ["arch", "ops"]);
        let rows: Vec<(&str, &str, Vec<&str>)> = v
            .raci
            .areas
            .iter()
            .flat_map(|a| {
                a.rows.iter().map(move |r| {
                    let cells = r.cells.iter().map(|c| c.letters.as_str()).collect();
                    (a.name.as_str(), r.activity.id.as_str(), cells)
                })
            })
            .collect();
        // `run`'s A/R comes from the role's side, its C from the activity's.
        assert_eq!(
            rows,
            [
                ("Design", "design", vec!["A/R", "I"]),
                ("Operations", "run", vec!["C", "A/R"]),
            ]
        );
    }

    #[test]
    fn boundaries_say_who_does_what_a_role_does_not() {
        let v = views(BOOK);
        let arch = v.boundary_of("arch").unwrap();
        assert_eq!(arch.mantra.as_deref(), Some("Think first"));
        let does: Vec<&str> = arch.does.iter().map(|h| h.page.id.as_str()).collect();
        assert_eq!(does, ["design"]);
        let not = &arch.does_not[0];
        assert_eq!(not.activity.id, "run");
        let instead: Vec<(&str, &str)> = not
            .instead
            .iter()
            .map(|h| (h.page.id.as_str(), h.letters.as_str()))
            .collect();
        assert_eq!(instead, [("ops", "A/R")]);
        let relations: Vec<(&str, &str, &str)> = v
            .interfaces
            .iter()
            .map(|r| (r.from.id.as_str(), r.role.id.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(relations, [("arch", "ops", "hands designs over")]);
    }

    #[test]
    fn the_layer_matrix_lists_components_and_letters_per_layer() {
        let v = views(BOOK);
        let row = &v.layers.rows[0];
        assert_eq!(row.layer.id, "net");
        let components: Vec<&str> = row.components.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(components, ["lb"]);
        let cells: Vec<&str> = row.cells.iter().map(|c| c.letters.as_str()).collect();
        // The activity on this layer: arch is C, ops A/R.
        assert_eq!(cells, ["C", "A/R"]);
        // The component's page links back to its layer and owner.
        let lb = v.refs.iter().position(|r| r.id == "lb").unwrap();
        let net = v.refs.iter().position(|r| r.id == "net").unwrap();
        assert!(v.backlinks[net].contains(&lb), "{:?}", v.backlinks);
    }
}
