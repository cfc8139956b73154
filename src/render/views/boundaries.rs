//! Role boundaries (what each role does, and what it explicitly does not)
//! and the decision log.

use super::*;

impl Builder<'_> {
    pub(super) fn boundaries(&self) -> Vec<Boundary> {
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
                    related_by: Vec::new(),
                })
            })
            .collect()
    }

    pub(super) fn decisions(&self) -> Vec<DecisionRow> {
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
