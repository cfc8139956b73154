//! Coverage: what the model leaves unsaid — a layer no component sits on,
//! or no role is accountable for through an activity; a component with no
//! owner that nothing references; a role with no RACI letter, no layer and
//! no reference from another page. The findings are the `coverage` rules';
//! [`Coverage`] itself is what the "Model health" view shows.

use super::*;

/// What the model's pages cover, by page index.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Layers a component sits on (or on a layer inside them).
    pub with_component: HashSet<usize>,
    /// Layers an activity with an `A` lists (or a layer around them).
    pub with_accountable: HashSet<usize>,
    /// Components another one depends on.
    pub dependants: HashSet<usize>,
    /// Roles that own a component or that a role relates to.
    pub linked_roles: HashSet<usize>,
    /// Roles holding a RACI letter.
    pub roles_in_raci: HashSet<usize>,
}

impl Resolver<'_> {
    pub(super) fn check_coverage(&mut self) {
        let coverage = Coverage::of(self.pages, &self.model);
        let found = self.coverage_findings(&coverage);
        self.found.extend(found);
    }
}

impl Coverage {
    /// What the pages of a resolved model cover.
    pub fn of(pages: &[Page], model: &Model) -> Coverage {
        let layer_parent = |i: usize| match &pages[i].data {
            KindData::Layer {
                parent: Some(r), ..
            } => model.get(pages, &r.id, Kind::Layer),
            _ => None,
        };
        // Marks a layer and its ancestors (a parent layer aggregates its children).
        let mark_up = |set: &mut HashSet<usize>, mut i: usize| {
            for _ in 0..pages.len() {
                if !set.insert(i) {
                    break;
                }
                match layer_parent(i) {
                    Some(p) => i = p,
                    None => break,
                }
            }
        };
        let mut with_component = HashSet::new();
        let mut with_accountable = HashSet::new();
        let mut dependants: HashSet<usize> = HashSet::new();
        let mut linked_roles: HashSet<usize> = HashSet::new();
        for p in pages {
            match &p.data {
                KindData::Component {
                    layer,
                    depends_on,
                    owner,
                    ..
                } => {
                    if let Some(l) = layer
                        .as_ref()
                        .and_then(|r| model.get(pages, &r.id, Kind::Layer))
                    {
                        mark_up(&mut with_component, l);
                    }
                    for r in depends_on {
                        if let Some(j) = model.get(pages, &r.id, Kind::Component) {
                            dependants.insert(j);
                        }
                    }
                    if let Some(o) = owner
                        .as_ref()
                        .and_then(|r| model.get(pages, &r.id, Kind::Role))
                    {
                        linked_roles.insert(o);
                    }
                }
                KindData::Role { relations, .. } => {
                    for (r, _) in relations {
                        if let Some(j) = model.get(pages, &r.id, Kind::Role) {
                            linked_roles.insert(j);
                        }
                    }
                }
                _ => {}
            }
        }
        for ((a, _), asg) in &model.raci {
            if !asg.letters.contains(Letters::A) {
                continue;
            }
            if let KindData::Activity { layers, .. } = &pages[*a].data {
                for r in layers {
                    if let Some(l) = model.get(pages, &r.id, Kind::Layer) {
                        mark_up(&mut with_accountable, l);
                    }
                }
            }
        }
        // An activity on a parent layer also touches the layers inside it.
        for i in 0..pages.len() {
            let mut up = layer_parent(i);
            for _ in 0..pages.len() {
                let Some(p) = up else { break };
                if with_accountable.contains(&p) {
                    with_accountable.insert(i);
                    break;
                }
                up = layer_parent(p);
            }
        }
        Coverage {
            with_component,
            with_accountable,
            dependants,
            linked_roles,
            roles_in_raci: model.raci.keys().map(|(_, r)| *r).collect(),
        }
    }
}

impl Resolver<'_> {
    /// A finding for each layer, component and role the model leaves
    /// uncovered.
    fn coverage_findings(&self, c: &Coverage) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for (i, p) in self.pages.iter().enumerate() {
            match &p.data {
                KindData::Layer { .. } => {
                    if !c.with_component.contains(&i) {
                        found.push(
                            Diagnostic::new(
                                Rule::LayerWithoutComponent,
                                format!("no component sits on layer `{}`", p.id),
                            )
                            .at(p.file, p.kind_span.clone(), "this layer")
                            .help(format!("add a component page with `layer: {}`", p.id)),
                        );
                    }
                    if !c.with_accountable.contains(&i) {
                        found.push(
                            Diagnostic::new(
                                Rule::LayerWithoutAccountable,
                                format!(
                                    "no role is accountable for any activity on layer `{}`",
                                    p.id
                                ),
                            )
                            .at(p.file, p.kind_span.clone(), "this layer")
                            .help(format!(
                                "list `{}` under `layers:` of an activity that has an `A`",
                                p.id
                            )),
                        );
                    }
                }
                KindData::Component {
                    owner, depends_on, ..
                } if owner.is_none() && depends_on.is_empty() && !c.dependants.contains(&i) => {
                    found.push(
                        Diagnostic::new(
                            Rule::OrphanComponent,
                            format!(
                                "component `{}` has no owner and no dependencies either way",
                                p.id
                            ),
                        )
                        .at(p.file, p.kind_span.clone(), "this component")
                        .help("give it an `owner:` role, or connect it with `depends_on`"),
                    );
                }
                KindData::Role {
                    layers, relations, ..
                } if !c.roles_in_raci.contains(&i)
                    && layers.is_empty()
                    && relations.is_empty()
                    && !c.linked_roles.contains(&i) =>
                {
                    found.push(
                            Diagnostic::new(
                                Rule::OrphanRole,
                                format!("role `{}` has no RACI letter, no layer and no relation to another role", p.id),
                            )
                            .at(p.file, p.kind_span.clone(), "this role")
                            .help("connect the role through `raci`, `layers` or `relations`, or remove it"),
                        );
                }
                _ => {}
            }
        }
        found
    }
}
