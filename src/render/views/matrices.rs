//! The RACI matrix (activities by roles, grouped by area) and the layer
//! matrix (layers by activities and components).

use super::*;

/// Sort rank of a RACI cell: A first, then R, then the rest.
pub(super) fn rank(l: Letters) -> u8 {
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

impl Builder<'_> {
    /// An activity's RACI row: roles with letters, accountable first.
    pub(super) fn row(&self, a: usize) -> Vec<Holder> {
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

    pub(super) fn activity_layers(&self, a: usize) -> Vec<usize> {
        match &self.pages[a].data {
            KindData::Activity { layers, .. } => layers
                .iter()
                .filter_map(|r| self.get(r, Kind::Layer))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(super) fn components_on(&self, layer: usize) -> Vec<PageRef> {
        self.named_by(layer, "layer", Kind::Component)
    }

    pub(super) fn raci(&self) -> RaciMatrix {
        let roles = self.views.of(Kind::Role);
        let mut areas: Vec<Area> = Vec::new();
        for &a in self.views.of(Kind::Activity) {
            let name = match &self.pages[a].data {
                KindData::Activity {
                    area: Some(area), ..
                } => area.clone(),
                _ => "Other activities".to_string(),
            };
            let not_by = self.inverse.get(&(a, "does_not", Kind::Role));
            let row = RaciRow {
                activity: self.views.refs[a].clone(),
                cells: roles
                    .iter()
                    .map(|&r| Cell {
                        role: self.pages[r].id.clone(),
                        letters: self.letters(a, r).to_string(),
                        declared: false,
                        changed: None,
                        does_not: not_by.is_some_and(|v| v.contains(&r)),
                    })
                    .collect(),
            };
            match areas.iter_mut().find(|x| x.name == name) {
                Some(area) => area.rows.push(row),
                None => areas.push(Area {
                    name,
                    anchor: String::new(),
                    rows: vec![row],
                }),
            }
        }
        // Areas `book.toml` lists first, in its order; the rest as first met.
        let listed = &self.book.config.areas;
        areas.sort_by_key(|a| {
            listed
                .iter()
                .position(|(name, ..)| *name == a.name)
                .unwrap_or(listed.len())
        });
        let mut ids = crate::slug::Unique::default();
        for a in &mut areas {
            a.anchor = ids.make(format!("area-{}", crate::slug::anchor(&a.name)));
        }
        RaciMatrix {
            roles: self.roles(),
            areas,
        }
    }

    pub(super) fn layer_matrix(&self) -> LayerMatrix {
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
                        changed: None,
                        does_not: false,
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
}
