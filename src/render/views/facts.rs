//! A page's fact box: what the model says about the page (a component's
//! layer, owner and dependencies, a role's focus and RACI, ...).

use super::*;

impl Builder<'_> {
    pub(super) fn facts(&self, i: usize) -> Option<Facts> {
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
}
