//! The model: ids resolved across pages, RACI merged from both sides, and the
//! validation rules that need the whole handbook at once.
//!
//! Input is the parsed [`Page`]s (from `load`); output is a [`Model`] (id index
//! and merged RACI) plus findings. Nothing here reads files or renders HTML.
//! Rules that need only one page live in `page`; link checks live in `links`.

pub mod handbook;
pub mod links;
pub mod redirect;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use crate::content::page::{KindData, Page, Ref};

use crate::diagnostic::{Diagnostic, FileId, Suggestions, did_you_mean};
use crate::rules::Rule;
use crate::vocab::{Kind, Letters};

/// Where something was written.
pub type Site = (FileId, Range<usize>);

/// One merged RACI cell.
#[derive(Clone, Debug)]
pub struct Assignment {
    /// The letters.
    pub letters: Letters,
    /// Where they were first written.
    pub at: Site,
}

/// The resolved model.
#[derive(Debug, Default)]
pub struct Model {
    /// Index into the page list of every model page, by id.
    pub ids: HashMap<String, usize>,
    /// Merged RACI: (activity page, role page) → letters.
    pub raci: BTreeMap<(usize, usize), Assignment>,
}

impl Model {
    /// The page a reference names, if it exists and has `kind`.
    pub fn get(&self, pages: &[Page], id: &str, kind: Kind) -> Option<usize> {
        self.ids
            .get(id)
            .copied()
            .filter(|&i| pages[i].kind == Some(kind))
    }
}

/// Resolves references and runs the whole-model rules.
pub fn resolve(pages: &[Page], found: &mut Vec<Diagnostic>) -> Model {
    let unreadable_ids = pages
        .iter()
        .filter(|p| p.broken)
        .map(|p| p.id.as_str())
        .collect();
    let mut r = Resolver {
        pages,
        model: Model::default(),
        found,
        unreadable_ids,
        ids_by_kind: Default::default(),
        budget: Suggestions::default(),
    };
    r.index_ids();
    r.check_references();
    r.merge_raci();
    r.check_raci();
    r.check_cycles();
    // Coverage is a property of the whole model; with part of it unreadable
    // the warnings would mostly be wrong.
    if r.unreadable_ids.is_empty() {
        r.check_coverage();
    }
    r.model
}

struct Resolver<'a> {
    pages: &'a [Page],
    model: Model,
    found: &'a mut Vec<Diagnostic>,
    /// Default ids of pages whose front matter could not be read.
    unreadable_ids: HashSet<&'a str>,
    /// Sorted ids per kind, made on first use (for suggestions).
    ids_by_kind: std::cell::RefCell<HashMap<Kind, std::rc::Rc<[&'a str]>>>,
    /// Bounds the work "did you mean" suggestions may take in all.
    budget: Suggestions,
}

impl<'a> Resolver<'a> {
    fn index_ids(&mut self) {
        for (i, p) in self.pages.iter().enumerate() {
            if p.kind.is_none() {
                continue;
            }
            if let Some(&first) = self.model.ids.get(&p.id) {
                let f = &self.pages[first];
                self.found.push(
                    Diagnostic::new(
                        Rule::DuplicateId,
                        format!("id `{}` is used by two pages", p.id),
                    )
                    .at(
                        p.file,
                        p.id_span.clone(),
                        format!("`{}` declares it again", p.source),
                    )
                    .also(
                        f.file,
                        f.id_span.clone(),
                        format!("first declared by `{}`", f.source),
                    )
                    .help("give one of them another `id:` (ids default to the file name)"),
                );
            } else {
                self.model.ids.insert(p.id.clone(), i);
            }
        }
    }

    /// Resolves `r`, which must name a page of `kind`; reports it otherwise.
    fn expect(&mut self, file: FileId, r: &Ref, kind: Kind, key: &str) -> Option<usize> {
        match self.model.ids.get(&r.id) {
            Some(&i) if self.pages[i].kind == Some(kind) => Some(i),
            Some(&i) => {
                let actual = self.pages[i].kind.map_or("a page", Kind::with_article);
                let hint = self.suggest(&r.id, kind);
                self.found.push(
                    Diagnostic::new(
                        Rule::WrongKindReference,
                        format!(
                            "`{}` is {actual}, but `{key}` must name {}",
                            r.id,
                            kind.with_article()
                        ),
                    )
                    .at(file, r.span.clone(), format!("not {}", kind.with_article()))
                    .help(hint),
                );
                None
            }
            // The page that probably declares it could not be read; its own
            // finding says why, and this one would only echo it.
            None if self.unreadable_ids.contains(r.id.as_str()) => None,
            None => {
                let hint = self.suggest(&r.id, kind);
                self.found.push(
                    Diagnostic::new(
                        Rule::UnknownReference,
                        format!("unknown {} `{}`", kind.name(), r.id),
                    )
                    .at(
                        file,
                        r.span.clone(),
                        format!("no {} has this id", kind.name()),
                    )
                    .help(hint),
                );
                None
            }
        }
    }

    fn ids_of(&self, kind: Kind) -> std::rc::Rc<[&'a str]> {
        let pages: &'a [Page] = self.pages;
        self.ids_by_kind
            .borrow_mut()
            .entry(kind)
            .or_insert_with(|| {
                // The id index maps each id to the page that declares it.
                let mut ids: Vec<&'a str> = self
                    .model
                    .ids
                    .values()
                    .map(|&i| &pages[i])
                    .filter(|p| p.kind == Some(kind))
                    .map(|p| p.id.as_str())
                    .collect();
                ids.sort_unstable();
                ids.into()
            })
            .clone()
    }

    /// The closest of `candidates`, while the suggestion budget lasts.
    fn closest(&self, wanted: &str, candidates: &[&'a str]) -> Option<&'a str> {
        self.budget
            .closest(wanted, candidates.len(), candidates.iter().copied())
    }

    fn suggest(&self, id: &str, kind: Kind) -> String {
        let ids = self.ids_of(kind);
        if let Some(s) = self.closest(id, &ids) {
            return format!("did you mean `{s}`?");
        }
        match ids.len() {
            0 => format!("no page declares `kind: {}` yet", kind.name()),
            n if n <= 8 => format!("known {}s: {}", kind.name(), ids.join(", ")),
            n => format!(
                "known {}s include {} (and {} more)",
                kind.name(),
                ids[..8].join(", "),
                n - 8
            ),
        }
    }

    fn check_references(&mut self) {
        const PEOPLE: [&str; 3] = ["decision-makers", "consulted", "informed"];
        for p in self.pages {
            for (key, r, kind) in p.data.references() {
                if PEOPLE.contains(&key) {
                    self.person(p.file, r, key);
                } else {
                    self.expect(p.file, r, kind, key);
                }
            }
            if let KindData::Decision {
                status: Some(s), ..
            } = &p.data
            {
                self.status(p, s);
            }
        }
    }

    /// A decision person: a role id links to the role; anything else is a name.
    fn person(&mut self, file: FileId, r: &Ref, key: &str) {
        if self.model.get(self.pages, &r.id, Kind::Role).is_some() {
            return;
        }
        let roles = self.ids_of(Kind::Role);
        let hint = match self.closest(&r.id, &roles) {
            Some(s) => format!("did you mean the role `{s}`?"),
            None => "use a role id to link the role; a name is shown as plain text".into(),
        };
        self.found.push(
            Diagnostic::new(
                Rule::DecisionPerson,
                format!("`{}` in `{key}` is not a role id", r.id),
            )
            .at(file, r.span.clone(), "shown as plain text")
            .help(hint),
        );
    }

    fn status(&mut self, p: &Page, status: &str) {
        const KNOWN: [&str; 5] = [
            "proposed",
            "accepted",
            "rejected",
            "deprecated",
            "superseded",
        ];
        let s = status.trim().to_ascii_lowercase();
        if KNOWN
            .iter()
            .any(|k| s == *k || (*k == "superseded" && s.starts_with("superseded by")))
        {
            return;
        }
        let hint = did_you_mean(&s, KNOWN)
            .map(|k| format!("did you mean `{k}`?"))
            .unwrap_or_else(|| format!("MADR statuses are {}", KNOWN.join(", ")));
        self.found.push(
            Diagnostic::new(
                Rule::DecisionStatus,
                format!("unknown decision status `{status}`"),
            )
            .at(p.file, p.kind_span.clone(), "in this decision")
            .help(hint),
        );
    }

    fn merge_raci(&mut self) {
        let pages = self.pages;
        // Activity side first: it is where most handbooks write RACI.
        for (a, p) in pages.iter().enumerate() {
            let KindData::Activity { raci, .. } = &p.data else {
                continue;
            };
            for e in raci {
                let Some(role) = self.model.get(pages, &e.target.id, Kind::Role) else {
                    continue;
                };
                self.add(
                    a,
                    role,
                    e.letters,
                    (p.file, e.letters_span.clone()),
                    &e.target.id,
                    &p.id,
                );
            }
        }
        for (role, p) in pages.iter().enumerate() {
            let KindData::Role { raci, .. } = &p.data else {
                continue;
            };
            for e in raci {
                let Some(a) = self.model.get(pages, &e.target.id, Kind::Activity) else {
                    continue;
                };
                let at = (p.file, e.letters_span.clone());
                match self.model.raci.get(&(a, role)) {
                    Some(prev) if prev.at.0 == p.file => {
                        self.duplicate_role(&at, prev.at.clone(), &p.id, &pages[a].id);
                    }
                    Some(prev) if prev.letters != e.letters => {
                        let prev = prev.clone();
                        self.found.push(
                            Diagnostic::new(
                                Rule::RaciConflict,
                                format!(
                                    "role `{}` is `{}` on `{}` here, but the activity says `{}`",
                                    p.id, e.letters, pages[a].id, prev.letters
                                ),
                            )
                            .at(at.0, at.1, "role side")
                            .also(prev.at.0, prev.at.1, "activity side")
                            .help(
                                "write the assignment on one side only, or make both sides agree",
                            ),
                        );
                    }
                    Some(_) => {}
                    None => {
                        self.model.raci.insert(
                            (a, role),
                            Assignment {
                                letters: e.letters,
                                at,
                            },
                        );
                    }
                }
            }
        }
    }

    fn add(
        &mut self,
        a: usize,
        role: usize,
        letters: Letters,
        at: Site,
        role_id: &str,
        act_id: &str,
    ) {
        if let Some(prev) = self.model.raci.get(&(a, role)) {
            let prev = prev.at.clone();
            self.duplicate_role(&at, prev, role_id, act_id);
        } else {
            self.model
                .raci
                .insert((a, role), Assignment { letters, at });
        }
    }

    fn duplicate_role(&mut self, at: &Site, prev: Site, role: &str, activity: &str) {
        self.found.push(
            Diagnostic::new(
                Rule::RaciDuplicateRole,
                format!("role `{role}` appears twice on the RACI row of `{activity}`"),
            )
            .at(at.0, at.1.clone(), "again here")
            .also(prev.0, prev.1, "first here")
            .help("give each role one entry per activity; combine letters like `A/R`"),
        );
    }

    fn check_raci(&mut self) {
        let pages = self.pages;
        let mut rows: HashMap<usize, Vec<(usize, &Assignment)>> = HashMap::new();
        for ((a, role), asg) in &self.model.raci {
            rows.entry(*a).or_default().push((*role, asg));
        }
        let mut found = Vec::new();
        for (a, p) in pages.iter().enumerate() {
            if p.kind != Some(Kind::Activity) {
                continue;
            }
            let row = rows.get(&a).map(Vec::as_slice).unwrap_or(&[]);
            // Letters given to a role id that does not resolve: that is
            // reported as an unknown reference, and the letters count here,
            // so a typo in a role id is one finding, not three.
            let misspelled = match &p.data {
                KindData::Activity { raci, .. } => raci
                    .iter()
                    .filter(|e| self.model.get(pages, &e.target.id, Kind::Role).is_none())
                    .fold(Letters::default(), |all, e| all.union(e.letters)),
                _ => Letters::default(),
            };
            let accountable: Vec<_> = row
                .iter()
                .filter(|(_, x)| x.letters.contains(Letters::A))
                .collect();
            match accountable.as_slice() {
                [] if misspelled.contains(Letters::A) => {}
                [] => found.push(
                    Diagnostic::new(Rule::RaciAccountable, format!("activity `{}` has no accountable role", p.id))
                        .at(p.file, p.kind_span.clone(), "this activity")
                        .help("give exactly one role `A` in `raci:`, e.g. `raci: {infrastructure-architect: A}`"),
                ),
                [_] => {}
                [(r1, first), (r2, second), ..] => found.push(
                    Diagnostic::new(
                        Rule::RaciAccountable,
                        format!(
                            "activity `{}` has more than one accountable role (`{}` and `{}`)",
                            p.id, pages[*r1].id, pages[*r2].id
                        ),
                    )
                    .at(second.at.0, second.at.1.clone(), "second `A`")
                    .also(first.at.0, first.at.1.clone(), "first `A`")
                    .help("exactly one role is accountable; make the others `R` or `C`"),
                ),
            }
            if !row.iter().any(|(_, x)| x.letters.contains(Letters::R))
                && !misspelled.contains(Letters::R)
            {
                found.push(
                    Diagnostic::new(
                        Rule::RaciResponsible,
                        format!("nobody is responsible for activity `{}`", p.id),
                    )
                    .at(p.file, p.kind_span.clone(), "this activity")
                    .help("give at least one role `R` (the accountable role may be `A/R`)"),
                );
            }
        }
        // does_not must not contradict the RACI.
        for (role, p) in pages.iter().enumerate() {
            let KindData::Role { does_not, .. } = &p.data else {
                continue;
            };
            for r in does_not {
                let Some(a) = self.model.get(pages, &r.id, Kind::Activity) else {
                    continue;
                };
                if let Some(asg) = self.model.raci.get(&(a, role))
                    && (asg.letters.contains(Letters::R) || asg.letters.contains(Letters::A))
                {
                    found.push(
                            Diagnostic::new(
                                Rule::DoesNotConflict,
                                format!("role `{}` does not do `{}`, but is `{}` on it", p.id, r.id, asg.letters),
                            )
                            .at(p.file, r.span.clone(), "listed under does_not")
                            .also(asg.at.0, asg.at.1.clone(), "assigned here")
                            .help("remove the activity from `does_not`, or give the role only `C` or `I` on it"),
                        );
                }
            }
        }
        // Every role should carry some work.
        let busy: HashSet<usize> = self
            .model
            .raci
            .iter()
            .filter(|(_, x)| x.letters.contains(Letters::R) || x.letters.contains(Letters::A))
            .map(|((_, role), _)| *role)
            .collect();
        for (i, p) in pages.iter().enumerate() {
            if p.kind == Some(Kind::Role) && !busy.contains(&i) && self.unreadable_ids.is_empty() {
                found.push(
                    Diagnostic::new(
                        Rule::RoleWithoutResponsibility,
                        format!(
                            "role `{}` is not responsible or accountable for any activity",
                            p.id
                        ),
                    )
                    .at(p.file, p.kind_span.clone(), "this role")
                    .help("give the role `R` or `A` on the activities it does, or remove the role"),
                );
            }
        }
        self.found.extend(found);
    }

    fn check_cycles(&mut self) {
        let pages = self.pages;
        // Component dependencies: depth-first search with an explicit stack,
        // so a long chain cannot overflow the call stack.
        let mut edges: HashMap<usize, Vec<(usize, Range<usize>)>> = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            let KindData::Component { depends_on, .. } = &p.data else {
                continue;
            };
            for r in depends_on {
                if let Some(j) = self.model.get(pages, &r.id, Kind::Component) {
                    edges.entry(i).or_default().push((j, r.span.clone()));
                }
            }
        }
        let mut state = vec![0u8; pages.len()]; // 0 new, 1 on stack, 2 done
        let mut reported: HashSet<Vec<usize>> = HashSet::new();
        let mut starts: Vec<usize> = edges.keys().copied().collect();
        starts.sort_unstable();
        for start in starts {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                let out = edges.get(&node).map(Vec::as_slice).unwrap_or(&[]);
                if let Some((to, span)) = out.get(*next) {
                    *next += 1;
                    match state[*to] {
                        0 => {
                            state[*to] = 1;
                            stack.push((*to, 0));
                        }
                        1 => {
                            let from = stack.iter().position(|(n, _)| n == to).unwrap_or(0);
                            let members: Vec<usize> =
                                stack[from..].iter().map(|(n, _)| *n).collect();
                            let mut key = members.clone();
                            key.sort_unstable();
                            if reported.insert(key) {
                                let chain = cycle_text(pages, &members);
                                let p = &pages[node];
                                self.found.push(
                                    Diagnostic::new(Rule::DependencyCycle, format!("dependency cycle: {chain}"))
                                        .at(p.file, span.clone(), "closes the cycle")
                                        .help("a component cannot depend on itself, directly or through others; remove one `depends_on` entry of the cycle"),
                                );
                            }
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }

        // Layer parents: each layer has at most one, so follow the chain.
        let parent_of = |i: usize| -> Option<(usize, Range<usize>)> {
            let KindData::Layer {
                parent: Some(r), ..
            } = &pages[i].data
            else {
                return None;
            };
            self.model
                .get(pages, &r.id, Kind::Layer)
                .map(|j| (j, r.span.clone()))
        };
        let mut done = vec![false; pages.len()];
        for start in 0..pages.len() {
            if done[start] || pages[start].kind != Some(Kind::Layer) {
                continue;
            }
            let mut path = vec![start];
            let mut on_path: HashSet<usize> = HashSet::from([start]);
            let mut cur = start;
            while let Some((next, span)) = parent_of(cur) {
                if done[next] {
                    break;
                }
                if on_path.contains(&next) {
                    let from = path.iter().position(|&n| n == next).unwrap_or(0);
                    let chain = cycle_text(pages, &path[from..]);
                    let p = &pages[cur];
                    self.found.push(
                        Diagnostic::new(Rule::ParentCycle, format!("layer parent cycle: {chain}"))
                            .at(p.file, span, "closes the cycle")
                            .help(
                                "a layer cannot be its own ancestor; remove or change one `parent`",
                            ),
                    );
                    break;
                }
                path.push(next);
                on_path.insert(next);
                cur = next;
            }
            for n in path {
                done[n] = true;
            }
        }
    }

    fn check_coverage(&mut self) {
        let pages = self.pages;
        let layer_parent = |i: usize| match &pages[i].data {
            KindData::Layer {
                parent: Some(r), ..
            } => self.model.get(pages, &r.id, Kind::Layer),
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
                        .and_then(|r| self.model.get(pages, &r.id, Kind::Layer))
                    {
                        mark_up(&mut with_component, l);
                    }
                    for r in depends_on {
                        if let Some(j) = self.model.get(pages, &r.id, Kind::Component) {
                            dependants.insert(j);
                        }
                    }
                    if let Some(o) = owner
                        .as_ref()
                        .and_then(|r| self.model.get(pages, &r.id, Kind::Role))
                    {
                        linked_roles.insert(o);
                    }
                }
                KindData::Role { relations, .. } => {
                    for (r, _) in relations {
                        if let Some(j) = self.model.get(pages, &r.id, Kind::Role) {
                            linked_roles.insert(j);
                        }
                    }
                }
                _ => {}
            }
        }
        for ((a, _), asg) in &self.model.raci {
            if !asg.letters.contains(Letters::A) {
                continue;
            }
            if let KindData::Activity { layers, .. } = &pages[*a].data {
                for r in layers {
                    if let Some(l) = self.model.get(pages, &r.id, Kind::Layer) {
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
        let roles_in_raci: HashSet<usize> = self.model.raci.keys().map(|(_, r)| *r).collect();
        let mut found = Vec::new();
        for (i, p) in pages.iter().enumerate() {
            match &p.data {
                KindData::Layer { .. } => {
                    if !with_component.contains(&i) {
                        found.push(
                            Diagnostic::new(
                                Rule::LayerWithoutComponent,
                                format!("no component sits on layer `{}`", p.id),
                            )
                            .at(p.file, p.kind_span.clone(), "this layer")
                            .help(format!("add a component page with `layer: {}`", p.id)),
                        );
                    }
                    if !with_accountable.contains(&i) {
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
                } if owner.is_none() && depends_on.is_empty() && !dependants.contains(&i) => {
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
                } if !roles_in_raci.contains(&i)
                    && layers.is_empty()
                    && relations.is_empty()
                    && !linked_roles.contains(&i) =>
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
        self.found.extend(found);
    }
}

fn cycle_text(pages: &[Page], members: &[usize]) -> String {
    let mut names: Vec<&str> = members.iter().map(|&i| pages[i].id.as_str()).collect();
    if let Some(first) = names.first().copied() {
        names.push(first);
    }
    names.join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Alphabet;

    fn run(files: &[(&str, &str)]) -> (Model, Vec<Rule>, Vec<Diagnostic>) {
        let pages: Vec<Page> = files
            .iter()
            .enumerate()
            .map(|(i, (path, text))| crate::content::parse(i, path, text, Alphabet::Raci).0)
            .collect();
        let mut found = Vec::new();
        let model = resolve(&pages, &mut found);
        let rules = found.iter().map(|d| d.rule).collect();
        (model, rules, found)
    }

    const BASE: &[(&str, &str)] = &[
        ("l/compute.md", "---\nkind: layer\nlevel: 2\n---\n"),
        (
            "c/vm.md",
            "---\nkind: component\nlayer: compute\nowner: ops\n---\n",
        ),
        ("r/arch.md", "---\nkind: role\nraci: {design: A}\n---\n"),
        ("r/ops.md", "---\nkind: role\n---\n"),
        (
            "a/design.md",
            "---\nkind: activity\nlayers: [compute]\nraci: {ops: R}\n---\n",
        ),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        BASE.iter().chain(extra).copied().collect()
    }

    #[test]
    fn a_consistent_model_has_no_findings_and_merges_both_sides() {
        let (model, rules, _) = run(BASE);
        assert!(rules.is_empty(), "{rules:?}");
        assert_eq!(model.raci.len(), 2);
        let letters: Vec<String> = model.raci.values().map(|a| a.letters.to_string()).collect();
        assert!(letters.contains(&"A".to_string()) && letters.contains(&"R".to_string()));
    }

    #[test]
    fn unknown_and_wrong_kind_references() {
        let (_, rules, found) = run(&with(&[(
            "c/db.md",
            "---\nkind: component\nlayer: compte\ndepends_on: [design]\nowner: ops\n---\n",
        )]));
        assert_eq!(rules, [Rule::UnknownReference, Rule::WrongKindReference]);
        assert_eq!(found[0].help.as_deref(), Some("did you mean `compute`?"));
        assert_eq!(
            found[1].message,
            "`design` is an activity, but `depends_on` must name a component"
        );
    }

    #[test]
    fn duplicate_ids_name_both_files() {
        let (_, rules, found) = run(&with(&[(
            "other/vm.md",
            "---\nkind: component\nlayer: compute\nowner: ops\n---\n",
        )]));
        assert_eq!(rules, [Rule::DuplicateId]);
        assert_eq!(found[0].secondary.len(), 1);
        assert!(found[0].secondary[0].1.contains("c/vm.md"));
    }

    #[test]
    fn raci_needs_one_a_and_an_r() {
        let (_, rules, _) = run(&with(&[(
            "a/none.md",
            "---\nkind: activity\nraci: {ops: C}\n---\n",
        )]));
        assert_eq!(rules, [Rule::RaciAccountable, Rule::RaciResponsible]);
        let (_, rules, found) = run(&with(&[(
            "a/two.md",
            "---\nkind: activity\nraci: {ops: A/R, arch: A}\n---\n",
        )]));
        assert_eq!(rules, [Rule::RaciAccountable]);
        assert!(found[0].message.contains("more than one"));
        // A misspelled role holding the A/R is one finding, not three.
        let (_, rules, found) = run(&with(&[(
            "a/typo.md",
            "---\nkind: activity\nraci: {opps: A/R, arch: C}\n---\n",
        )]));
        assert_eq!(rules, [Rule::UnknownReference]);
        assert!(found[0].help.as_deref().unwrap().contains("`ops`"));
    }

    #[test]
    fn role_side_conflicts_with_activity_side() {
        let (_, rules, _) = run(&[
            ("r/arch.md", "---\nkind: role\nraci: {design: C}\n---\n"),
            ("r/ops.md", "---\nkind: role\n---\n"),
            (
                "a/design.md",
                "---\nkind: activity\nraci: {ops: A/R, arch: A}\n---\n",
            ),
        ]);
        assert!(rules.contains(&Rule::RaciConflict), "{rules:?}");
    }

    #[test]
    fn does_not_contradicting_raci() {
        let (_, rules, found) = run(&[
            ("r/arch.md", "---\nkind: role\ndoes_not: [design]\n---\n"),
            ("r/ops.md", "---\nkind: role\nraci: {design: R}\n---\n"),
            ("a/design.md", "---\nkind: activity\nraci: {arch: A}\n---\n"),
        ]);
        assert_eq!(rules, [Rule::DoesNotConflict]);
        assert!(found[0].message.contains("is `A`"));
    }

    #[test]
    fn dependency_cycles_are_spelled_out_once() {
        let (_, rules, found) = run(&[
            (
                "a.md",
                "---\nkind: component\nlayer: l\nowner: r\ndepends_on: [b]\n---\n",
            ),
            (
                "b.md",
                "---\nkind: component\nlayer: l\ndepends_on: [c]\n---\n",
            ),
            (
                "c.md",
                "---\nkind: component\nlayer: l\ndepends_on: [a]\n---\n",
            ),
            (
                "self.md",
                "---\nkind: component\nlayer: l\ndepends_on: [self]\n---\n",
            ),
            ("l.md", "---\nkind: layer\n---\n"),
            ("r.md", "---\nkind: role\nraci: {x: A/R}\n---\n"),
            ("x.md", "---\nkind: activity\nlayers: [l]\n---\n"),
        ]);
        assert_eq!(rules, [Rule::DependencyCycle, Rule::DependencyCycle]);
        assert_eq!(found[0].message, "dependency cycle: a → b → c → a");
        assert_eq!(found[1].message, "dependency cycle: self → self");
    }

    #[test]
    fn parent_cycles() {
        let (_, rules, found) = run(&[
            ("a.md", "---\nkind: layer\nparent: b\n---\n"),
            ("b.md", "---\nkind: layer\nparent: a\n---\n"),
        ]);
        assert!(rules.contains(&Rule::ParentCycle));
        let d = found.iter().find(|d| d.rule == Rule::ParentCycle).unwrap();
        assert_eq!(d.message, "layer parent cycle: a → b → a");
    }

    #[test]
    fn coverage_lints() {
        let (_, rules, _) = run(&with(&[
            ("l/empty.md", "---\nkind: layer\n---\n"),
            ("c/lonely.md", "---\nkind: component\nlayer: compute\n---\n"),
            ("r/idle.md", "---\nkind: role\n---\n"),
        ]));
        assert_eq!(
            rules,
            [
                Rule::RoleWithoutResponsibility,
                Rule::LayerWithoutComponent,
                Rule::LayerWithoutAccountable,
                Rule::OrphanComponent,
                Rule::OrphanRole
            ]
        );
    }

    #[test]
    fn coverage_flows_up_and_down_the_layer_tree() {
        let (_, rules, _) = run(&[
            ("top.md", "---\nkind: layer\n---\n"),
            ("child.md", "---\nkind: layer\nparent: top\n---\n"),
            (
                "c.md",
                "---\nkind: component\nlayer: child\nowner: r\n---\n",
            ),
            ("r.md", "---\nkind: role\n---\n"),
            (
                "x.md",
                "---\nkind: activity\nlayers: [top]\nraci: {r: A/R}\n---\n",
            ),
        ]);
        // `top` has a component through `child`; `child` has an accountable
        // role through `top`.
        assert!(rules.is_empty(), "{rules:?}");
    }

    #[test]
    fn an_unreadable_page_does_not_cascade() {
        let (_, rules, _) = run(&[
            ("l/compute.md", "---\nkind: layer\nlevel: [oops\n---\n"),
            ("c/vm.md", "---\nkind: component\nlayer: compute\n---\n"),
            ("c/db.md", "---\nkind: component\nlayer: computr\n---\n"),
        ]);
        // Only the typo is reported; `compute` is the unreadable page's id.
        assert_eq!(rules, [Rule::UnknownReference]);
    }

    #[test]
    fn decision_people_and_status() {
        let (_, rules, found) = run(&with(&[(
            "d/0001.md",
            "---\nkind: decision\nstatus: acepted\ndecision-makers: [arch, Jane Doe]\nsupersedes: [nope]\n---\n",
        )]));
        assert_eq!(
            rules,
            [
                Rule::DecisionPerson,
                Rule::UnknownReference,
                Rule::DecisionStatus
            ]
        );
        assert_eq!(found[2].help.as_deref(), Some("did you mean `accepted`?"));
    }
}
