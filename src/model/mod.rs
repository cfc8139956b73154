//! The model: ids resolved across pages, RACI merged from both sides, and the
//! validation rules that need the whole handbook at once.
//!
//! Input is the parsed [`Page`]s (from `content`); output is a [`Model`] (id
//! index and merged RACI) plus findings. Nothing here reads files or renders
//! HTML. This file resolves ids and references; `raci` merges and checks the
//! RACI, `cycles` and `coverage` check the graphs and what the model leaves
//! unsaid. Beside the model: `links` checks links, `outputs` output names,
//! `redirect` the redirect entries, and `handbook` is the value the
//! renderers take. Rules that need only one page live in `content`.

pub mod coverage;
mod cycles;
pub mod handbook;
pub mod links;
pub mod outputs;
mod raci;
pub use raci::check_areas;
pub mod redirect;

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt as _, HashSet, HashSetExt as _};
use std::ops::Range;

use crate::content::page::{KindData, Page, Ref};

use crate::diagnostic::Location;
use crate::diagnostic::{Diagnostic, FileId, Suggestions, did_you_mean};
use crate::rules::Rule;
use crate::vocab::{Kind, Letters};

/// One merged RACI cell.
#[derive(Clone, Debug)]
pub struct Assignment {
    /// The letters.
    pub letters: Letters,
    /// Where they were first written.
    pub at: Location,
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
        .filter(|p| p.broken || p.unknown_kind)
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
