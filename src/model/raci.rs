//! RACI merged from both sides (an activity's `raci` and a role's) into
//! one assignment per cell, and the RACI rules checked on it: the two
//! sides agree, one role is listed once per activity, each activity has
//! one accountable and a responsible, no role holds what its `does_not`
//! excludes, and every role holds something. Also the areas `book.toml`
//! orders the matrix by, checked against the activities' areas.

use super::*;

/// Reports each area `[archbook] areas` lists that no activity has.
pub fn check_areas(
    pages: &[Page],
    listed: &[(String, FileId, std::ops::Range<usize>)],
    found: &mut Vec<Diagnostic>,
) {
    let used: std::collections::BTreeSet<&str> = pages
        .iter()
        .filter_map(|p| match &p.data {
            KindData::Activity {
                area: Some(area), ..
            } => Some(area.as_str()),
            _ => None,
        })
        .collect();
    for (name, file, span) in listed {
        if used.contains(name.as_str()) {
            continue;
        }
        let help = match did_you_mean(name, used.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => {
                "list areas as the activities write them under `area:`, or remove this one".into()
            }
        };
        found.push(
            Diagnostic::new(
                Rule::UnknownArea,
                format!("no activity has the area `{name}`"),
            )
            .at(*file, span.clone(), "listed under `areas` in [archbook]")
            .help(help),
        );
    }
}

impl Resolver<'_> {
    pub(super) fn merge_raci(&mut self) {
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
                    Location {
                        file: p.file,
                        span: e.letters_span.clone(),
                    },
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
                let at = Location {
                    file: p.file,
                    span: e.letters_span.clone(),
                };
                match self.model.raci.get(&(a, role)) {
                    Some(prev) if prev.at.file == p.file => {
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
                            .at(at.file, at.span, "role side")
                            .also(prev.at.file, prev.at.span, "activity side")
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

    pub(super) fn add(
        &mut self,
        a: usize,
        role: usize,
        letters: Letters,
        at: Location,
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

    pub(super) fn duplicate_role(
        &mut self,
        at: &Location,
        prev: Location,
        role: &str,
        activity: &str,
    ) {
        self.found.push(
            Diagnostic::new(
                Rule::RaciDuplicateRole,
                format!("role `{role}` appears twice on the RACI row of `{activity}`"),
            )
            .at(at.file, at.span.clone(), "again here")
            .also(prev.file, prev.span, "first here")
            .help("give each role one entry per activity; combine letters like `A/R`"),
        );
    }

    pub(super) fn check_raci(&mut self) {
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
                    .at(second.at.file, second.at.span.clone(), "second `A`")
                    .also(first.at.file, first.at.span.clone(), "first `A`")
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
                            .also(asg.at.file, asg.at.span.clone(), "assigned here")
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
}
