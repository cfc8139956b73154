//! What changed in a handbook's model between two versions: RACI cells and
//! accountables, role boundaries and relations, components, layers,
//! decisions, pages and prose. `snapshot` reduces a resolved handbook to what
//! is compared, [`compare`] compares two snapshots into [`Changes`] (the
//! value `archbook diff` prints and the "What changed" page shows), and
//! `report` writes them for a terminal or as Markdown.
//!
//! Pure: reads snapshots, touches no file. Reading a version from git is
//! the `git` module's work; loading the versions compared, `site`'s.

pub mod report;
pub mod snapshot;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::diagnostic::JsonFinding;
use crate::vocab::Kind;
pub use snapshot::Snapshot;
use snapshot::{Item, Value};

/// The version of the JSON document `archbook diff --format json` prints.
/// Fields may be added; none is removed or changes meaning within a version.
pub const SCHEMA: u32 = 1;

/// Where a change is listed, in the order reports list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Activities whose accountable role changed.
    Accountable,
    /// RACI cells added, removed and changed.
    Raci,
    /// Roles: boundaries (`does_not`), relations, focus, mantra.
    Roles,
    /// Components: layer, owner, lifecycle, dependencies.
    Components,
    /// Layers: added, removed, re-parented.
    Layers,
    /// Activities: area, layers.
    Activities,
    /// Decisions: added, status, superseded.
    Decisions,
    /// Pages added, removed, moved and renamed.
    Pages,
    /// Pages whose text changed.
    Prose,
}

impl Section {
    /// The heading reports give it.
    pub fn title(self) -> &'static str {
        match self {
            Section::Accountable => "Accountable changed",
            Section::Raci => "RACI cells",
            Section::Roles => "Roles",
            Section::Components => "Components",
            Section::Layers => "Layers",
            Section::Activities => "Activities",
            Section::Decisions => "Decisions",
            Section::Pages => "Pages",
            Section::Prose => "Prose changed",
        }
    }

    fn of_kind(kind: Option<Kind>) -> Section {
        match kind {
            Some(Kind::Role) => Section::Roles,
            Some(Kind::Component) => Section::Components,
            Some(Kind::Layer) => Section::Layers,
            Some(Kind::Activity) => Section::Activities,
            Some(Kind::Decision) => Section::Decisions,
            None => Section::Pages,
        }
    }
}

/// What happened to the subject, or to its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum What {
    /// It is new.
    Added,
    /// It is gone.
    Removed,
    /// Its value changed.
    Changed,
    /// Its id or file changed; it is otherwise the same page.
    Renamed,
}

/// The page a change is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// Its id (a model item), or its file from the source folder (a page
    /// without a kind).
    pub id: String,
    /// Its kind (`null` for a page without one).
    pub kind: Option<Kind>,
    /// Its title (on the new side when it has one).
    pub title: String,
    /// Its page from the site root, on the new side when it has one
    /// (`null` for a draft or a page that is gone).
    pub url: Option<String>,
}

/// One change.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// Where it is listed.
    pub section: Section,
    /// What happened.
    pub change: What,
    /// The page it is about.
    pub subject: Subject,
    /// The field that changed (`owner`, `raci`, `does_not`, `source`);
    /// `null` when the subject itself was added, removed or its text changed.
    pub field: Option<&'static str>,
    /// For entries of a list or table, the id the entry names: the role of
    /// a RACI cell or relation, the activity in `does_not`, the component
    /// in `depends_on`.
    pub key: Option<String>,
    /// The value before (`null` when added). Ids for references; several
    /// ids are joined by `, `.
    pub old: Option<String>,
    /// The value after (`null` when removed).
    pub new: Option<String>,
}

/// One of the two versions compared.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Side {
    /// What the user named (`HEAD`, `v1.0`, a folder, `working tree`).
    pub label: String,
    /// The commit, for a git revision.
    pub commit: Option<String>,
    /// Its errors: what they break is reported here, not as changes.
    pub findings: Vec<JsonFinding>,
}

/// A model item's title and page, for showing an id.
#[derive(Clone, Debug, Serialize)]
pub struct Name {
    /// The title.
    pub title: String,
    /// The page (`null` for a draft or a page only the old side has).
    pub url: Option<String>,
}

/// Everything that changed between two versions.
#[derive(Clone, Debug, Serialize)]
pub struct Changes {
    /// [`SCHEMA`].
    pub schema: u32,
    /// The older version.
    pub old: Side,
    /// The newer version.
    pub new: Side,
    /// Every change, in report order (section, subject title, field).
    pub changes: Vec<Change>,
    /// The title and page of every id the changes name (the new side's
    /// when both have it).
    pub names: BTreeMap<String, Name>,
}

impl Changes {
    /// True when the models (and pages) are equal.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How an id is shown: its title, or the id itself.
    pub fn title<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, |n| n.title.as_str())
    }

    /// The changes of one section, in order.
    pub fn section(&self, s: Section) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.section == s)
    }

    /// The sections that have changes, in order.
    pub fn sections(&self) -> Vec<Section> {
        let mut out: Vec<Section> = self.changes.iter().map(|c| c.section).collect();
        out.dedup();
        out
    }
}

/// The order fields are listed in within a subject.
const FIELD_ORDER: &[&str] = &[
    "id",
    "source",
    "title",
    "summary",
    "accountable",
    "raci",
    "parent",
    "level",
    "layer",
    "owner",
    "lifecycle",
    "depends_on",
    "focus",
    "mantra",
    "layers",
    "does_not",
    "relations",
    "area",
    "status",
    "date",
    "supersedes",
    "superseded_by",
    "decision-makers",
    "consulted",
    "informed",
];

/// Fields whose values (or entries) are ids: renamed along with the pages.
const ID_FIELDS: &[&str] = &[
    "parent",
    "layer",
    "owner",
    "depends_on",
    "layers",
    "does_not",
    "relations",
    "accountable",
    "raci",
    "supersedes",
    "superseded_by",
    "decision-makers",
    "consulted",
    "informed",
];

/// Compares two versions. `old` and `new` say what they are.
pub fn compare(old_side: Side, old: &Snapshot, new_side: Side, new: &Snapshot) -> Changes {
    let mut out = Vec::new();
    let unreadable: BTreeSet<&str> = old
        .unreadable
        .iter()
        .chain(&new.unreadable)
        .map(String::as_str)
        .collect();
    let renamed = renames(old, new, &unreadable);
    let old_items: BTreeMap<String, Item> = old
        .items
        .iter()
        .map(|(id, item)| {
            (
                renamed_id(&renamed, id).to_string(),
                rename_refs(item, &renamed),
            )
        })
        .collect();
    let subject = |id: &str, item: &Item| Subject {
        id: id.to_string(),
        kind: Some(item.kind),
        title: item.title.clone(),
        url: item.url.clone(),
    };
    for (from, to) in &renamed {
        let item = &new.items[to];
        out.push(Change {
            section: Section::Pages,
            change: What::Renamed,
            subject: subject(to, item),
            field: Some("id"),
            key: None,
            old: Some(from.clone()),
            new: Some(to.clone()),
        });
    }
    let ids: BTreeSet<&String> = old_items.keys().chain(new.items.keys()).collect();
    for id in ids {
        if unreadable.contains(id.as_str()) {
            continue;
        }
        match (old_items.get(id), new.items.get(id)) {
            (Some(o), Some(n)) => {
                let s = subject(id, n);
                if o.kind != n.kind {
                    let gone = Subject {
                        url: None,
                        ..subject(id, o)
                    };
                    out.push(whole(What::Removed, gone));
                    out.push(whole(What::Added, s));
                    continue;
                }
                let unsound = |f: &str| o.unsound.contains(f) || n.unsound.contains(f);
                let mut fields = Fields {
                    out: &mut out,
                    subject: &s,
                };
                if o.source != n.source {
                    fields.push(
                        Section::Pages,
                        What::Renamed,
                        "source",
                        None,
                        Some(&o.source),
                        Some(&n.source),
                    );
                }
                if o.title != n.title {
                    fields.push(
                        Section::Pages,
                        What::Changed,
                        "title",
                        None,
                        Some(&o.title),
                        Some(&n.title),
                    );
                }
                let names: BTreeSet<&'static str> =
                    o.fields.keys().chain(n.fields.keys()).copied().collect();
                // A role whose own RACI names an unknown activity: its
                // cells are unknown on that side.
                let role_unsound = |role: &str| {
                    [&old_items, &new.items]
                        .iter()
                        .any(|side| side.get(role).is_some_and(|r| r.unsound.contains("raci")))
                };
                for field in names {
                    if unsound(field) {
                        continue;
                    }
                    // A key that does not resolve may be one the other side
                    // has, misspelt: what only seems added or removed is
                    // left out.
                    let wild = |side: &Item| side.unsound.contains(&format!("{field}.*"));
                    if field == "accountable" {
                        let holders = |v: Option<&Value>| match v {
                            Some(Value::Set(s)) => s.iter().any(|r| role_unsound(r)),
                            _ => false,
                        };
                        if o.unsound.contains("raci.*")
                            || n.unsound.contains("raci.*")
                            || holders(o.fields.get(field))
                            || holders(n.fields.get(field))
                        {
                            continue;
                        }
                    }
                    fields.value(
                        field,
                        o.fields.get(field),
                        n.fields.get(field),
                        |key, what| {
                            unsound(&format!("{field}.{key}"))
                                || (field == "raci" && role_unsound(key))
                                || (what == What::Removed && wild(n))
                                || (what == What::Added && wild(o))
                        },
                    );
                }
                if o.body != n.body {
                    out.push(Change {
                        section: Section::Prose,
                        ..whole(What::Changed, s)
                    });
                }
            }
            (Some(o), None) => {
                // Gone: it has no page on the new side.
                let s = Subject {
                    url: None,
                    ..subject(id, o)
                };
                out.push(whole(What::Removed, s.clone()));
                responsibilities(&mut out, &s, o, true);
            }
            (None, Some(n)) => {
                let s = subject(id, n);
                out.push(whole(What::Added, s.clone()));
                responsibilities(&mut out, &s, n, false);
            }
            (None, None) => {}
        }
    }
    plain_pages(&mut out, old, new);
    let order: HashMap<&str, usize> = FIELD_ORDER
        .iter()
        .enumerate()
        .map(|(i, f)| (*f, i))
        .collect();
    out.sort_by_cached_key(|c| {
        (
            c.section,
            c.subject.title.to_lowercase(),
            c.subject.id.clone(),
            c.field.map(|f| order.get(f).copied().unwrap_or(usize::MAX)),
            c.key.clone(),
            c.change,
        )
    });
    let mut names = BTreeMap::new();
    for (id, item) in old.items.iter().chain(&new.items) {
        names.insert(
            id.clone(),
            Name {
                title: item.title.clone(),
                url: new.items.get(id).and_then(|n| n.url.clone()),
            },
        );
    }
    Changes {
        schema: SCHEMA,
        old: Side {
            findings: old.findings.clone(),
            ..old_side
        },
        new: Side {
            findings: new.findings.clone(),
            ..new_side
        },
        changes: out,
        names,
    }
}

/// A change to the subject as a whole.
fn whole(change: What, subject: Subject) -> Change {
    Change {
        section: Section::of_kind(subject.kind),
        change,
        subject,
        field: None,
        key: None,
        old: None,
        new: None,
    }
}

/// An added or removed activity's RACI cells and accountable: who holds
/// what is the point of the comparison, even for a new activity.
fn responsibilities(out: &mut Vec<Change>, s: &Subject, item: &Item, removed: bool) {
    let mut fields = Fields { out, subject: s };
    for field in ["accountable", "raci"] {
        let v = item.fields.get(field);
        let (o, n) = if removed { (v, None) } else { (None, v) };
        fields.value(field, o, n, |_, _| false);
    }
}

/// Writes the changes of one subject's fields.
struct Fields<'a> {
    out: &'a mut Vec<Change>,
    subject: &'a Subject,
}

impl Fields<'_> {
    fn push(
        &mut self,
        section: Section,
        change: What,
        field: &'static str,
        key: Option<&str>,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        self.out.push(Change {
            section,
            change,
            subject: self.subject.clone(),
            field: Some(field),
            key: key.map(str::to_string),
            old: old.map(str::to_string),
            new: new.map(str::to_string),
        });
    }

    /// One field's change; `skip(key, what)` says which entries' changes
    /// are unknown.
    fn value(
        &mut self,
        field: &'static str,
        old: Option<&Value>,
        new: Option<&Value>,
        skip: impl Fn(&str, What) -> bool,
    ) {
        let section = match field {
            "accountable" => Section::Accountable,
            "raci" => Section::Raci,
            _ => Section::of_kind(self.subject.kind),
        };
        let empty_set = BTreeSet::new();
        let empty_map = BTreeMap::new();
        match (old, new) {
            (None, None) => {}
            // Who is accountable reads as one value: "Project Manager → Architect".
            (o, n) if field == "accountable" => {
                let join = |v: Option<&Value>| match v {
                    Some(Value::Set(s)) if !s.is_empty() => {
                        Some(s.iter().map(String::as_str).collect::<Vec<_>>().join(", "))
                    }
                    _ => None,
                };
                let (o, n) = (join(o), join(n));
                if o != n {
                    let what = match (&o, &n) {
                        (None, _) => What::Added,
                        (_, None) => What::Removed,
                        _ => What::Changed,
                    };
                    self.push(section, what, field, None, o.as_deref(), n.as_deref());
                }
            }
            (Some(Value::One(o)), Some(Value::One(n))) => {
                if o != n {
                    self.push(section, What::Changed, field, None, Some(o), Some(n));
                }
            }
            (Some(Value::One(o)), None) => {
                self.push(section, What::Removed, field, None, Some(o), None)
            }
            (None, Some(Value::One(n))) => {
                self.push(section, What::Added, field, None, None, Some(n))
            }
            (o, n) if matches!(o, Some(Value::Set(_))) || matches!(n, Some(Value::Set(_))) => {
                fn set<'v>(
                    v: Option<&'v Value>,
                    empty: &'v BTreeSet<String>,
                ) -> &'v BTreeSet<String> {
                    match v {
                        Some(Value::Set(s)) => s,
                        _ => empty,
                    }
                }
                let (o, n) = (set(o, &empty_set), set(n, &empty_set));
                for k in o.difference(n).filter(|k| !skip(k, What::Removed)) {
                    self.push(section, What::Removed, field, Some(k), None, None);
                }
                for k in n.difference(o).filter(|k| !skip(k, What::Added)) {
                    self.push(section, What::Added, field, Some(k), None, None);
                }
            }
            (o, n) => {
                type Row = BTreeMap<String, String>;
                fn map<'v>(v: Option<&'v Value>, empty: &'v Row) -> &'v Row {
                    match v {
                        Some(Value::Map(m)) => m,
                        _ => empty,
                    }
                }
                let (o, n) = (map(o, &empty_map), map(n, &empty_map));
                let keys: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
                for k in keys {
                    let what = match (o.get(k), n.get(k)) {
                        (Some(_), None) => What::Removed,
                        (None, Some(_)) => What::Added,
                        _ => What::Changed,
                    };
                    if skip(k, what) {
                        continue;
                    }
                    match (o.get(k), n.get(k)) {
                        (Some(a), Some(b)) if a != b => {
                            self.push(section, What::Changed, field, Some(k), Some(a), Some(b))
                        }
                        (Some(a), None) => {
                            self.push(section, What::Removed, field, Some(k), Some(a), None)
                        }
                        (None, Some(b)) => {
                            self.push(section, What::Added, field, Some(k), None, Some(b))
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

/// Model items that changed id: gone from `old`, new in `new`, of the same
/// kind and with the same body, and the only such pair.
fn renames(old: &Snapshot, new: &Snapshot, unreadable: &BTreeSet<&str>) -> Vec<(String, String)> {
    let gone = old
        .items
        .iter()
        .filter(|(id, _)| !new.items.contains_key(*id) && !unreadable.contains(id.as_str()));
    let mut born: HashMap<(Kind, u64), Vec<&String>> = HashMap::new();
    for (id, item) in &new.items {
        if !old.items.contains_key(id) && !unreadable.contains(id.as_str()) {
            born.entry((item.kind, item.body)).or_default().push(id);
        }
    }
    let mut gone_by: HashMap<(Kind, u64), Vec<&String>> = HashMap::new();
    for (id, item) in gone {
        gone_by.entry((item.kind, item.body)).or_default().push(id);
    }
    let mut out = Vec::new();
    for (key, from) in gone_by {
        if let (Some(to), [from]) = (born.get(&key), from.as_slice())
            && let [to] = to.as_slice()
        {
            out.push(((*from).clone(), (*to).clone()));
        }
    }
    out.sort();
    out
}

fn renamed_id<'a>(renamed: &'a [(String, String)], id: &'a str) -> &'a str {
    renamed
        .iter()
        .find(|(from, _)| from == id)
        .map_or(id, |(_, to)| to.as_str())
}

/// The item with the ids it names renamed.
fn rename_refs(item: &Item, renamed: &[(String, String)]) -> Item {
    if renamed.is_empty() {
        return item.clone();
    }
    let mut item = item.clone();
    for (field, value) in item.fields.iter_mut() {
        if !ID_FIELDS.contains(field) {
            continue;
        }
        *value = match std::mem::replace(value, Value::One(String::new())) {
            Value::One(id) => Value::One(renamed_id(renamed, &id).to_string()),
            Value::Set(ids) => Value::Set(
                ids.iter()
                    .map(|id| renamed_id(renamed, id).to_string())
                    .collect(),
            ),
            Value::Map(m) => Value::Map(
                m.into_iter()
                    .map(|(k, v)| (renamed_id(renamed, &k).to_string(), v))
                    .collect(),
            ),
        };
    }
    item
}

/// Pages without a kind: added, removed, moved (same text, new file), text changed.
fn plain_pages(out: &mut Vec<Change>, old: &Snapshot, new: &Snapshot) {
    let subject = |source: &str, p: &snapshot::Plain| Subject {
        id: source.to_string(),
        kind: None,
        title: p.title.clone(),
        url: p.url.clone(),
    };
    let mut born: HashMap<u64, Vec<&String>> = HashMap::new();
    for (source, p) in &new.plain {
        if !old.plain.contains_key(source) {
            born.entry(p.body).or_default().push(source);
        }
    }
    let mut moved_to: BTreeSet<&String> = BTreeSet::new();
    for (source, o) in &old.plain {
        match new.plain.get(source) {
            Some(n) => {
                let s = subject(source, n);
                if o.title != n.title {
                    out.push(Change {
                        field: Some("title"),
                        old: Some(o.title.clone()),
                        new: Some(n.title.clone()),
                        ..whole(What::Changed, s.clone())
                    });
                }
                if o.body != n.body {
                    out.push(Change {
                        section: Section::Prose,
                        ..whole(What::Changed, s)
                    });
                }
            }
            None => match born.get(&o.body).map(Vec::as_slice) {
                Some([to]) if !moved_to.contains(to) => {
                    moved_to.insert(to);
                    out.push(Change {
                        field: Some("source"),
                        old: Some(source.clone()),
                        new: Some((*to).clone()),
                        ..whole(What::Renamed, subject(to, &new.plain[*to]))
                    });
                }
                _ => {
                    let gone = Subject {
                        url: None,
                        ..subject(source, o)
                    };
                    out.push(whole(What::Removed, gone))
                }
            },
        }
    }
    for (source, n) in &new.plain {
        if !old.plain.contains_key(source) && !moved_to.contains(source) {
            out.push(whole(What::Added, subject(source, n)));
        }
    }
}

#[cfg(test)]
mod tests;
