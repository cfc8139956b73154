//! A resolved handbook reduced to what a reviewer compares: every model
//! item's fields by id, every RACI cell, every page's body fingerprint, and
//! the findings that break the model. Two snapshots are compared by
//! [`super::compare`]; a snapshot holds no spans and no file ids, so it
//! outlives the handbook it was taken from.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use crate::content::page::{KindData, Page};
use crate::diagnostic::{Diagnostics, JsonFinding};
use crate::model::handbook::Handbook;
use crate::rules::Severity;
use crate::vocab::{Kind, Letters};

/// A field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// One text (or one id).
    One(String),
    /// A set of ids (`depends_on`, `does_not`).
    Set(BTreeSet<String>),
    /// Text by id (`relations`, the RACI row).
    Map(BTreeMap<String, String>),
}

/// One model item (a page with a `kind`).
#[derive(Clone, Debug)]
pub struct Item {
    /// Its kind.
    pub kind: Kind,
    /// Its title.
    pub title: String,
    /// Its file, from the source folder.
    pub source: String,
    /// Its page, from the site root (`None` for a draft).
    pub url: Option<String>,
    /// A fingerprint of its body.
    pub body: u64,
    /// Its fields by name, only those with a value.
    pub fields: BTreeMap<&'static str, Value>,
    /// Fields (`owner`) or entries (`raci.pm`) that name something that
    /// does not resolve on this side: a finding, not a change.
    pub unsound: BTreeSet<String>,
}

/// A page without a `kind`.
#[derive(Clone, Debug)]
pub struct Plain {
    /// Its title.
    pub title: String,
    /// Its page, from the site root (`None` for a draft).
    pub url: Option<String>,
    /// A fingerprint of its body.
    pub body: u64,
}

/// One side of a comparison.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// Model items by id.
    pub items: BTreeMap<String, Item>,
    /// Pages without a kind, by file (from the source folder).
    pub plain: BTreeMap<String, Plain>,
    /// Ids of pages whose front matter could not be read: whatever they
    /// held is unknown on this side.
    pub unreadable: BTreeSet<String>,
    /// The errors of this side.
    pub findings: Vec<JsonFinding>,
}

impl Snapshot {
    /// The snapshot of a resolved handbook and its findings.
    pub fn of(book: &Handbook, diagnostics: &Diagnostics) -> Snapshot {
        let mut snap = Snapshot {
            findings: diagnostics
                .to_json(&book.sources)
                .into_iter()
                .filter(|f| f.severity == Severity::Error)
                .collect(),
            ..Snapshot::default()
        };
        let pages = &book.pages;
        for p in pages {
            if p.broken || p.unknown_kind {
                snap.unreadable.insert(p.id.clone());
                continue;
            }
            let body = fingerprint(book, p);
            let url = (!p.draft).then(|| p.output.clone());
            let Some(kind) = p.kind else {
                snap.plain.insert(
                    p.source.clone(),
                    Plain {
                        title: p.title.clone(),
                        url,
                        body,
                    },
                );
                continue;
            };
            // A second page with the same id is an error on this side; the
            // first keeps the id, as in the model.
            if book
                .model
                .ids
                .get(&p.id)
                .is_none_or(|&i| !std::ptr::eq(&pages[i], p))
            {
                continue;
            }
            let mut item = Item {
                kind,
                title: p.title.clone(),
                source: p.source.clone(),
                url,
                body,
                fields: BTreeMap::new(),
                unsound: BTreeSet::new(),
            };
            item.read_fields(book, p);
            snap.items.insert(p.id.clone(), item);
        }
        // The merged RACI, on the activity's side; `accountable` follows.
        for (&(a, r), cell) in &book.model.raci {
            if let Some(item) = snap.items.get_mut(&pages[a].id) {
                let Value::Map(row) = item
                    .fields
                    .entry("raci")
                    .or_insert_with(|| Value::Map(BTreeMap::new()))
                else {
                    continue;
                };
                row.insert(pages[r].id.clone(), cell.letters.to_string());
                if cell.letters.contains(Letters::A) {
                    let Value::Set(who) = item
                        .fields
                        .entry("accountable")
                        .or_insert_with(|| Value::Set(BTreeSet::new()))
                    else {
                        continue;
                    };
                    who.insert(pages[r].id.clone());
                }
            }
        }
        // `superseded_by`: the other side of `supersedes`.
        let mut superseded: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (id, item) in &snap.items {
            if let Some(Value::Set(old)) = item.fields.get("supersedes") {
                for o in old {
                    superseded.entry(o.clone()).or_default().insert(id.clone());
                }
            }
        }
        for (id, by) in superseded {
            if let Some(item) = snap.items.get_mut(&id) {
                item.fields.insert("superseded_by", Value::Set(by));
            }
        }
        snap
    }

    /// The title and page of an id, if this side has it.
    pub fn name(&self, id: &str) -> Option<(&str, Option<&str>)> {
        self.items
            .get(id)
            .map(|i| (i.title.as_str(), i.url.as_deref()))
    }
}

impl Item {
    fn read_fields(&mut self, book: &Handbook, p: &Page) {
        let pages = &book.pages;
        let model = &book.model;
        let one = |f: &mut BTreeMap<&'static str, Value>, k: &'static str, v: &Option<String>| {
            if let Some(v) = v.as_ref().map(|v| v.trim()).filter(|v| !v.is_empty()) {
                f.insert(k, Value::One(v.to_string()));
            }
        };
        let fields = &mut self.fields;
        one(fields, "summary", &p.summary);
        match &p.data {
            KindData::Plain => {}
            KindData::Layer { level, .. } => one(fields, "level", &level.map(|l| l.to_string())),
            KindData::Component { lifecycle, .. } => one(fields, "lifecycle", lifecycle),
            KindData::Role {
                mantra,
                focus,
                relations,
                raci,
                ..
            } => {
                one(fields, "mantra", mantra);
                one(fields, "focus", focus);
                // The cells of an activity this side cannot name are unknown.
                if raci
                    .iter()
                    .any(|e| model.get(pages, &e.target.id, Kind::Activity).is_none())
                {
                    self.unsound.insert("raci".to_string());
                }
                let mut map = BTreeMap::new();
                for (r, text) in relations {
                    if model.get(pages, &r.id, Kind::Role).is_some() {
                        map.insert(r.id.clone(), text.trim().to_string());
                    } else {
                        self.unsound.insert(format!("relations.{}", r.id));
                        self.unsound.insert("relations.*".to_string());
                    }
                }
                if !map.is_empty() {
                    fields.insert("relations", Value::Map(map));
                }
            }
            KindData::Activity { area, raci, .. } => {
                one(fields, "area", area);
                for e in raci {
                    if model.get(pages, &e.target.id, Kind::Role).is_none() {
                        self.unsound.insert(format!("raci.{}", e.target.id));
                        self.unsound.insert("raci.*".to_string());
                    }
                }
            }
            KindData::Decision { status, date, .. } => {
                one(fields, "status", &status.as_ref().map(|s| s.to_lowercase()));
                one(fields, "date", date);
            }
        }
        // Every reference: single ones as one id, lists as sets. People on
        // decisions may be names, kept as written.
        const SINGLE: [&str; 3] = ["parent", "layer", "owner"];
        const PEOPLE: [&str; 3] = ["decision-makers", "consulted", "informed"];
        let mut sets: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        for (key, r, kind) in p.data.references() {
            if key == "relations" || key == "raci" {
                continue;
            }
            if !PEOPLE.contains(&key) && model.get(pages, &r.id, kind).is_none() {
                self.unsound.insert(key.to_string());
                continue;
            }
            if SINGLE.contains(&key) {
                fields.insert(key, Value::One(r.id.clone()));
            } else {
                sets.entry(key).or_default().insert(r.id.clone());
            }
        }
        for (k, v) in sets {
            fields.insert(k, Value::Set(v));
        }
    }
}

/// A fingerprint of a page's body (after the front matter, includes
/// expanded): equal bodies give equal fingerprints.
fn fingerprint(book: &Handbook, p: &Page) -> u64 {
    let text: &str = match &p.expanded {
        Some(t) => t,
        None => book.sources.text(p.file),
    };
    let body = text.get(p.body_offset..).unwrap_or(text);
    let mut h = rustc_hash::FxHasher::default();
    body.hash(&mut h);
    h.finish()
}
