//! What the generated pages show, computed once from the resolved model: the
//! RACI and layer matrices, role boundaries, fact boxes, backlinks, the
//! decision log and the layer stack diagram.
//!
//! Everything here is plain serialisable data ("view types"): templates never
//! see the model itself. Reads the [`Site`] after `resolve`; writes nothing.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::page::{KindData, Page, Ref};

use crate::model::handbook::Handbook;
use crate::render::nav::Nav;
use crate::vocab::{Kind, Letters};

/// A link to a page as templates use it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PageRef {
    /// The page id.
    pub id: String,
    /// The page title.
    pub title: String,
    /// Output path from the site root; `None` for drafts (not published).
    /// Given to templates (and `model.json`) as a link, percent-encoded.
    #[serde(serialize_with = "crate::slug::serialize_href")]
    pub url: Option<String>,
    /// The model kind, if any.
    pub kind: Option<Kind>,
    /// One-line summary.
    pub summary: Option<String>,
}

/// A role's letters in one cell.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    /// The role id (for `data-role`).
    pub role: String,
    /// The letters (`A/R`), empty when none.
    pub letters: String,
    /// Layer matrix: the role lists this layer under `layers`.
    pub declared: bool,
}

/// One RACI row.
#[derive(Clone, Debug, Serialize)]
pub struct RaciRow {
    /// The activity.
    pub activity: PageRef,
    /// One cell per role column.
    pub cells: Vec<Cell>,
}

/// Activities of one area.
#[derive(Clone, Debug, Serialize)]
pub struct Area {
    /// The area name (`Design & Vision`).
    pub name: String,
    /// Its activities.
    pub rows: Vec<RaciRow>,
}

/// The RACI matrix.
#[derive(Clone, Debug, Serialize, Default)]
pub struct RaciMatrix {
    /// Column headers.
    pub roles: Vec<PageRef>,
    /// Row groups.
    pub areas: Vec<Area>,
}

/// One layer row.
#[derive(Clone, Debug, Serialize)]
pub struct LayerRow {
    /// The layer.
    pub layer: PageRef,
    /// Nesting depth (0 for top-level layers).
    pub depth: usize,
    /// Stacking level.
    pub level: Option<i64>,
    /// One cell per role column.
    pub cells: Vec<Cell>,
    /// Components on this layer.
    pub components: Vec<PageRef>,
}

/// The layer matrix.
#[derive(Clone, Debug, Serialize, Default)]
pub struct LayerMatrix {
    /// Column headers.
    pub roles: Vec<PageRef>,
    /// Rows, top layer first, children after their parent.
    pub rows: Vec<LayerRow>,
}

/// A role and the letters it holds.
#[derive(Clone, Debug, Serialize)]
pub struct Holder {
    /// The role (or activity, depending on the list).
    #[serde(flatten)]
    pub page: PageRef,
    /// Its letters.
    pub letters: String,
}

/// How one role relates to another.
#[derive(Clone, Debug, Serialize)]
pub struct Relation {
    /// The role this one relates to.
    pub role: PageRef,
    /// The role described by the relation (for the interface table).
    pub from: PageRef,
    /// The text.
    pub text: String,
}

/// Something a role does not do, and who does it.
#[derive(Clone, Debug, Serialize)]
pub struct NotDone {
    /// The activity.
    pub activity: PageRef,
    /// Roles that are `A` or `R` on it, accountable first.
    pub instead: Vec<Holder>,
}

/// A role-boundary table.
#[derive(Clone, Debug, Serialize)]
pub struct Boundary {
    /// The role.
    pub role: PageRef,
    /// Its focus.
    pub focus: Option<String>,
    /// Its mantra.
    pub mantra: Option<String>,
    /// Its relations to other roles.
    pub relations: Vec<Relation>,
    /// Activities where it is `R` or `A`.
    pub does: Vec<Holder>,
    /// Its `does_not` list.
    pub does_not: Vec<NotDone>,
}

/// A person on a decision: a role, or a name shown as text.
#[derive(Clone, Debug, Serialize)]
pub struct Person {
    /// The name as written, or the role's title.
    pub name: String,
    /// The role, when the entry is a role id.
    pub role: Option<PageRef>,
}

/// A decision in the log.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionRow {
    /// The decision.
    pub decision: PageRef,
    /// Its status (lower-case first word, for the badge class).
    pub status: Option<String>,
    /// Status class: `proposed`, `accepted`, `rejected`, `deprecated`, `superseded`.
    pub status_class: String,
    /// Its date.
    pub date: Option<String>,
    /// Who decided.
    pub decision_makers: Vec<Person>,
}

/// The fact box of a model page.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Facts {
    /// A layer's facts.
    Layer {
        /// Stacking level.
        level: Option<i64>,
        /// Enclosing layer.
        parent: Option<PageRef>,
        /// Layers inside it.
        children: Vec<PageRef>,
        /// Components on it.
        components: Vec<PageRef>,
        /// Roles with letters on activities touching it.
        roles: Vec<Holder>,
        /// Activities touching it.
        activities: Vec<PageRef>,
    },
    /// A component's facts.
    Component {
        /// Its layer.
        layer: Option<PageRef>,
        /// Its owner.
        owner: Option<PageRef>,
        /// What it depends on.
        depends_on: Vec<PageRef>,
        /// What depends on it.
        dependants: Vec<PageRef>,
        /// Lifecycle stage.
        lifecycle: Option<String>,
    },
    /// A role's facts.
    Role {
        /// Mantra.
        mantra: Option<String>,
        /// Focus.
        focus: Option<String>,
        /// Layers it works on.
        layers: Vec<PageRef>,
        /// Its RACI letters per activity.
        activities: Vec<Holder>,
        /// Components it owns.
        owns: Vec<PageRef>,
    },
    /// An activity's facts.
    Activity {
        /// Its area.
        area: Option<String>,
        /// Layers it touches.
        layers: Vec<PageRef>,
        /// Its RACI row.
        raci: Vec<Holder>,
        /// Roles that list it under `does_not`.
        not_by: Vec<PageRef>,
    },
    /// A decision's facts.
    Decision {
        /// Status.
        status: Option<String>,
        /// Status class for the badge.
        status_class: String,
        /// Date.
        date: Option<String>,
        /// Who decided.
        decision_makers: Vec<Person>,
        /// Who was consulted.
        consulted: Vec<Person>,
        /// Who was informed.
        informed: Vec<Person>,
        /// Decisions it replaces.
        supersedes: Vec<PageRef>,
        /// Decisions that replace it.
        superseded_by: Vec<PageRef>,
    },
}

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
        let interfaces = boundaries
            .iter()
            .flat_map(|bd| bd.relations.iter().cloned())
            .collect();
        v.backlinks = backlinks;
        v.facts = facts;
        v.raci = raci;
        v.layers = layers;
        v.boundaries = boundaries;
        v.interfaces = interfaces;
        v.decisions = decisions;
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

    fn facts(&self, i: usize) -> Option<Facts> {
        let p = &self.pages[i];
        Some(match &p.data {
            KindData::Plain => return None,
            KindData::Layer { level, parent } => {
                let children = self.named_by(i, "parent", Kind::Layer);
                let components = self.components_on(i);
                let activities: Vec<usize> = self
                    .inverse
                    .get(&(i, "layers", Kind::Activity))
                    .cloned()
                    .unwrap_or_default();
                let mut held: HashMap<usize, Letters> = HashMap::new();
                for &a in &activities {
                    for &(r, l) in self.by_activity.get(&a).map(Vec::as_slice).unwrap_or(&[]) {
                        let e = held.entry(r).or_default();
                        *e = e.union(l);
                    }
                }
                let roles = self
                    .views
                    .of(Kind::Role)
                    .iter()
                    .filter_map(|r| {
                        held.get(r).map(|l| Holder {
                            page: self.views.refs[*r].clone(),
                            letters: l.to_string(),
                        })
                    })
                    .collect();
                Facts::Layer {
                    level: *level,
                    parent: parent.as_ref().and_then(|r| self.link(r, Kind::Layer)),
                    children,
                    components,
                    roles,
                    activities: activities
                        .iter()
                        .map(|&a| self.views.refs[a].clone())
                        .collect(),
                }
            }
            KindData::Component {
                layer,
                owner,
                depends_on,
                lifecycle,
            } => {
                let dependants = self.named_by(i, "depends_on", Kind::Component);
                Facts::Component {
                    layer: layer.as_ref().and_then(|r| self.link(r, Kind::Layer)),
                    owner: owner.as_ref().and_then(|r| self.link(r, Kind::Role)),
                    depends_on: self.links(depends_on, Kind::Component),
                    dependants,
                    lifecycle: lifecycle.clone(),
                }
            }
            KindData::Role {
                mantra,
                focus,
                layers,
                ..
            } => Facts::Role {
                mantra: mantra.clone(),
                focus: focus.clone(),
                layers: self.links(layers, Kind::Layer),
                activities: self
                    .by_role
                    .get(&i)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .map(|&(a, l)| Holder {
                        page: self.views.refs[a].clone(),
                        letters: l.to_string(),
                    })
                    .collect(),
                owns: self.named_by(i, "owner", Kind::Component),
            },
            KindData::Activity { area, layers, .. } => Facts::Activity {
                area: area.clone(),
                layers: self.links(layers, Kind::Layer),
                raci: self.row(i),
                not_by: self.named_by(i, "does_not", Kind::Role),
            },
            KindData::Decision {
                status,
                date,
                decision_makers,
                consulted,
                informed,
                supersedes,
            } => Facts::Decision {
                status: status.clone(),
                status_class: status_class(status.as_deref()),
                date: date.clone(),
                decision_makers: decision_makers.iter().map(|r| self.person(r)).collect(),
                consulted: consulted.iter().map(|r| self.person(r)).collect(),
                informed: informed.iter().map(|r| self.person(r)).collect(),
                supersedes: self.links(supersedes, Kind::Decision),
                superseded_by: self.named_by(i, "supersedes", Kind::Decision),
            },
        })
    }

    /// An activity's RACI row: roles with letters, accountable first.
    fn row(&self, a: usize) -> Vec<Holder> {
        let mut row: Vec<(u8, Holder)> = self
            .by_activity
            .get(&a)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&(r, l)| {
                (
                    rank(l),
                    Holder {
                        page: self.views.refs[r].clone(),
                        letters: l.to_string(),
                    },
                )
            })
            .collect();
        row.sort_by_key(|(rank, _)| *rank);
        row.into_iter().map(|(_, h)| h).collect()
    }

    fn activity_layers(&self, a: usize) -> Vec<usize> {
        match &self.pages[a].data {
            KindData::Activity { layers, .. } => layers
                .iter()
                .filter_map(|r| self.get(r, Kind::Layer))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn components_on(&self, layer: usize) -> Vec<PageRef> {
        self.named_by(layer, "layer", Kind::Component)
    }

    fn raci(&self) -> RaciMatrix {
        let roles = self.views.of(Kind::Role);
        let mut areas: Vec<Area> = Vec::new();
        for &a in self.views.of(Kind::Activity) {
            let name = match &self.pages[a].data {
                KindData::Activity {
                    area: Some(area), ..
                } => area.clone(),
                _ => "Other activities".to_string(),
            };
            let row = RaciRow {
                activity: self.views.refs[a].clone(),
                cells: roles
                    .iter()
                    .map(|&r| Cell {
                        role: self.pages[r].id.clone(),
                        letters: self.letters(a, r).to_string(),
                        declared: false,
                    })
                    .collect(),
            };
            match areas.iter_mut().find(|x| x.name == name) {
                Some(area) => area.rows.push(row),
                None => areas.push(Area {
                    name,
                    rows: vec![row],
                }),
            }
        }
        RaciMatrix {
            roles: self.roles(),
            areas,
        }
    }

    fn layer_matrix(&self) -> LayerMatrix {
        let layers = self.views.of(Kind::Layer);
        let parent_of = |i: usize| match &self.pages[i].data {
            KindData::Layer {
                parent: Some(r), ..
            } => self.get(r, Kind::Layer),
            _ => None,
        };
        let level_of = |i: usize| match &self.pages[i].data {
            KindData::Layer { level, .. } => *level,
            _ => None,
        };
        // Letters per (layer, role) from the activities touching each layer.
        let mut letters: HashMap<(usize, usize), Letters> = HashMap::new();
        for &a in self.views.of(Kind::Activity) {
            for l in self.activity_layers(a) {
                for &r in self.views.of(Kind::Role) {
                    let x = self.letters(a, r);
                    if !x.is_empty() {
                        let e = letters.entry((l, r)).or_default();
                        *e = e.union(x);
                    }
                }
            }
        }
        let declared: BTreeSet<(usize, usize)> = self
            .views
            .of(Kind::Role)
            .iter()
            .flat_map(|&r| match &self.pages[r].data {
                KindData::Role { layers, .. } => layers
                    .iter()
                    .filter_map(|x| self.get(x, Kind::Layer))
                    .map(|l| (l, r))
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let mut rows = Vec::new();
        // Top-level layers, highest level first; children follow their parent.
        let sorted = |mut v: Vec<usize>| {
            v.sort_by_key(|&i| std::cmp::Reverse(level_of(i).unwrap_or(i64::MIN)));
            v
        };
        let tops = sorted(
            layers
                .iter()
                .copied()
                .filter(|&i| parent_of(i).is_none())
                .collect(),
        );
        let mut stack: Vec<(usize, usize)> = tops.into_iter().rev().map(|i| (i, 0)).collect();
        let mut visited = BTreeSet::new();
        while let Some((l, depth)) = stack.pop() {
            if !visited.insert(l) {
                continue;
            }
            rows.push(LayerRow {
                layer: self.views.refs[l].clone(),
                depth,
                level: level_of(l),
                cells: self
                    .views
                    .of(Kind::Role)
                    .iter()
                    .map(|&r| Cell {
                        role: self.pages[r].id.clone(),
                        letters: letters
                            .get(&(l, r))
                            .map(|x| x.to_string())
                            .unwrap_or_default(),
                        declared: declared.contains(&(l, r)),
                    })
                    .collect(),
                components: self.components_on(l),
            });
            let children = sorted(
                layers
                    .iter()
                    .copied()
                    .filter(|&c| parent_of(c) == Some(l))
                    .collect(),
            );
            for c in children.into_iter().rev() {
                stack.push((c, depth + 1));
            }
        }
        LayerMatrix {
            roles: self.roles(),
            rows,
        }
    }

    fn boundaries(&self) -> Vec<Boundary> {
        self.views
            .of(Kind::Role)
            .iter()
            .filter_map(|&r| {
                let KindData::Role {
                    mantra,
                    focus,
                    relations,
                    does_not,
                    ..
                } = &self.pages[r].data
                else {
                    return None;
                };
                let me = self.views.refs[r].clone();
                Some(Boundary {
                    role: me.clone(),
                    focus: focus.clone(),
                    mantra: mantra.clone(),
                    relations: relations
                        .iter()
                        .filter_map(|(x, text)| {
                            self.link(x, Kind::Role).map(|role| Relation {
                                role,
                                from: me.clone(),
                                text: text.clone(),
                            })
                        })
                        .collect(),
                    does: self
                        .views
                        .of(Kind::Activity)
                        .iter()
                        .filter_map(|&a| {
                            let l = self.letters(a, r);
                            (l.contains(Letters::R) || l.contains(Letters::A)).then(|| Holder {
                                page: self.views.refs[a].clone(),
                                letters: l.to_string(),
                            })
                        })
                        .collect(),
                    does_not: does_not
                        .iter()
                        .filter_map(|x| self.get(x, Kind::Activity))
                        .map(|a| NotDone {
                            activity: self.views.refs[a].clone(),
                            instead: self
                                .row(a)
                                .into_iter()
                                .filter(|h| h.letters.contains('A') || h.letters.contains('R'))
                                .collect(),
                        })
                        .collect(),
                })
            })
            .collect()
    }

    fn decisions(&self) -> Vec<DecisionRow> {
        let mut rows: Vec<DecisionRow> = self
            .views
            .of(Kind::Decision)
            .iter()
            .filter_map(|&d| {
                let KindData::Decision {
                    status,
                    date,
                    decision_makers,
                    ..
                } = &self.pages[d].data
                else {
                    return None;
                };
                Some(DecisionRow {
                    decision: self.views.refs[d].clone(),
                    status: status.clone(),
                    status_class: status_class(status.as_deref()),
                    date: date.clone(),
                    decision_makers: decision_makers.iter().map(|r| self.person(r)).collect(),
                })
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.date.is_none(), &a.date, &a.decision.id).cmp(&(
                b.date.is_none(),
                &b.date,
                &b.decision.id,
            ))
        });
        rows
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

/// Sort rank of a RACI cell: A first, then R, then the rest.
fn rank(l: Letters) -> u8 {
    if l.contains(Letters::A) {
        0
    } else if l.contains(Letters::R) {
        1
    } else if l.contains(Letters::S) {
        2
    } else if l.contains(Letters::C) {
        3
    } else {
        4
    }
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
