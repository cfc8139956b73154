//! The "What changed" view (`changes-since`): the changes as sections of
//! linked phrases, the RACI matrix's changed cells, and each changed page's
//! note. Reads the handbook's [`crate::changes::Changes`].

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::{RaciMatrix, Views};
use crate::changes::report::{self, Part, Tone};
use crate::changes::{Changes, Section, What};
use crate::content::page::Page;

/// The "What changed" page.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ChangesView {
    /// The revision compared with, as configured (`v1.0`).
    pub since: String,
    /// Its commit, abbreviated.
    pub commit: Option<String>,
    /// "3 changes".
    pub count: String,
    /// Sections with changes, in order.
    pub sections: Vec<ChangeSection>,
    /// Errors of the old version (what they break was not compared).
    pub findings: Vec<String>,
}

/// One section of the page.
#[derive(Clone, Debug, Serialize)]
pub struct ChangeSection {
    /// Its heading.
    pub title: &'static str,
    /// Its anchor.
    pub anchor: &'static str,
    /// Its changes.
    pub items: Vec<ChangeItem>,
}

/// One change as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ChangeItem {
    /// `added`, `removed`, `changed`, `renamed`.
    pub change: What,
    /// What it is about.
    pub subject: Linked,
    /// The phrase after the subject.
    pub parts: Vec<Linked>,
}

/// Text, linked when it names a page of the site.
#[derive(Clone, Debug, Serialize)]
pub struct Linked {
    /// The text.
    pub text: String,
    /// The page, from the site root.
    pub url: Option<String>,
    /// `old`, `new` or empty.
    pub tone: &'static str,
}

/// A page's "changed since" note.
#[derive(Clone, Debug, Serialize)]
pub struct PageChange {
    /// The revision compared with.
    pub since: String,
    /// What changed on it ("RACI", "owner", "text"), in order.
    pub what: Vec<String>,
}

fn anchor(s: Section) -> &'static str {
    match s {
        Section::Accountable => "accountable",
        Section::Raci => "raci",
        Section::Roles => "roles",
        Section::Components => "components",
        Section::Layers => "layers",
        Section::Activities => "activities",
        Section::Decisions => "decisions",
        Section::Pages => "pages",
        Section::Prose => "prose",
    }
}

fn tone(t: Tone) -> &'static str {
    match t {
        Tone::Plain => "",
        Tone::Old => "old",
        Tone::New => "new",
    }
}

/// The page's view of `changes`.
pub fn view(changes: &Changes, since: &str) -> ChangesView {
    let link = |id: &str| changes.names.get(id).and_then(|n| n.url.clone());
    let sections = changes
        .sections()
        .into_iter()
        .map(|s| ChangeSection {
            title: s.title(),
            anchor: anchor(s),
            items: changes
                .section(s)
                .map(|c| ChangeItem {
                    change: c.change,
                    subject: Linked {
                        text: c.subject.title.clone(),
                        url: c.subject.url.clone(),
                        tone: "",
                    },
                    parts: report::phrase(c)
                        .into_iter()
                        .flat_map(|p| match p {
                            Part::Text(t) => vec![Linked {
                                text: t.to_string(),
                                url: None,
                                tone: "",
                            }],
                            Part::Value {
                                text,
                                quoted,
                                tone: t,
                            } => vec![Linked {
                                text: if quoted {
                                    format!("“{text}”")
                                } else {
                                    text.to_string()
                                },
                                url: None,
                                tone: tone(t),
                            }],
                            Part::Ids { ids, .. } if ids.is_empty() => vec![Linked {
                                text: "nobody".into(),
                                url: None,
                                tone: "",
                            }],
                            Part::Ids { ids, tone: t } => {
                                let mut out = Vec::new();
                                for (n, id) in ids.iter().enumerate() {
                                    if n > 0 {
                                        out.push(Linked {
                                            text: ", ".into(),
                                            url: None,
                                            tone: "",
                                        });
                                    }
                                    out.push(Linked {
                                        text: changes.title(id).to_string(),
                                        url: link(id),
                                        tone: tone(t),
                                    });
                                }
                                out
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    ChangesView {
        since: since.to_string(),
        commit: changes
            .old
            .commit
            .as_ref()
            .map(|c| c[..c.len().min(10)].to_string()),
        count: report::count(changes),
        sections,
        findings: changes
            .old
            .findings
            .iter()
            .map(report::finding_line)
            .collect(),
    }
}

/// Marks the RACI matrix's cells that changed: `changed` holds the letters
/// they had (empty for a new cell).
pub fn mark_cells(matrix: &mut RaciMatrix, changes: &Changes) {
    let mut was: HashMap<(&str, &str), &str> = HashMap::new();
    for c in changes.section(Section::Raci) {
        if let Some(role) = &c.key {
            was.insert(
                (c.subject.id.as_str(), role.as_str()),
                c.old.as_deref().unwrap_or(""),
            );
        }
    }
    for area in &mut matrix.areas {
        for row in &mut area.rows {
            for cell in &mut row.cells {
                if let Some(old) = was.get(&(row.activity.id.as_str(), cell.role.as_str())) {
                    cell.changed = Some(old.to_string());
                }
            }
        }
    }
}

/// Each page's note: what changed on it, by page index.
pub fn page_notes(pages: &[Page], changes: &Changes, since: &str) -> HashMap<usize, PageChange> {
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        let key = if p.kind.is_some() { &p.id } else { &p.source };
        by_id.entry(key.as_str()).or_insert(i);
    }
    let mut what: HashMap<usize, BTreeSet<(usize, String)>> = HashMap::new();
    for (n, c) in changes.changes.iter().enumerate() {
        let label = match (c.section, c.field) {
            (Section::Prose, _) => "text".to_string(),
            (_, None) => format!("{:?}", c.change).to_lowercase(),
            (Section::Raci | Section::Accountable, _) => "RACI".to_string(),
            (_, Some(f)) => f.replace('_', " "),
        };
        let subject = by_id.get(c.subject.id.as_str()).copied();
        // A RACI cell or relation changes the role's page too.
        let other = match c.field {
            Some("raci" | "relations") => c.key.as_deref().and_then(|k| by_id.get(k).copied()),
            _ => None,
        };
        for i in subject.into_iter().chain(other) {
            let set = what.entry(i).or_default();
            if !set.iter().any(|(_, l)| *l == label) {
                set.insert((n, label.clone()));
            }
        }
    }
    what.into_iter()
        .map(|(i, set)| {
            (
                i,
                PageChange {
                    since: since.to_string(),
                    what: set.into_iter().map(|(_, l)| l).collect(),
                },
            )
        })
        .collect()
}

impl Views {
    /// The note of page `i`, if it changed.
    pub fn change_of(&self, i: usize) -> Option<&PageChange> {
        self.page_changes.get(&i)
    }
}
