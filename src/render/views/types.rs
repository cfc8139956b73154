//! The view types: plain serialisable data the templates read (a page
//! link, a RACI cell, a matrix row, a boundary, a fact box, ...). Their
//! fields are the template keys the user guide documents.

use serde::Serialize;

use crate::vocab::Kind;

/// A link to a page as templates use it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PageRef {
    /// The page id.
    pub id: String,
    /// The page title.
    pub title: String,
    /// Output path from the site root; `None` for drafts (not published).
    /// Given to templates (and `model.json`) as a link, percent-encoded.
    #[serde(serialize_with = "crate::slug::serialize_href")]
    pub url: Option<String>,
    /// The model kind, if any.
    pub kind: Option<Kind>,
    /// One-line summary.
    pub summary: Option<String>,
}

/// A role's letters in one cell.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    /// The role id (for `data-role`).
    pub role: String,
    /// The letters (`A/R`), empty when none.
    pub letters: String,
    /// Layer matrix: the role lists this layer under `layers`.
    pub declared: bool,
    /// RACI matrix with `changes-since`: the letters the cell had then
    /// (empty for a new cell), when it changed.
    pub changed: Option<String>,
    /// RACI matrix: the role lists the activity under `does_not`.
    pub does_not: bool,
}

/// One RACI row.
#[derive(Clone, Debug, Serialize)]
pub struct RaciRow {
    /// The activity.
    pub activity: PageRef,
    /// One cell per role column.
    pub cells: Vec<Cell>,
}

/// Activities of one area.
#[derive(Clone, Debug, Serialize)]
pub struct Area {
    /// The area name (`Design & Vision`).
    pub name: String,
    /// Its row's id in the matrix (`area-design--vision`).
    pub anchor: String,
    /// Its activities.
    pub rows: Vec<RaciRow>,
}

/// The RACI matrix.
#[derive(Clone, Debug, Serialize, Default)]
pub struct RaciMatrix {
    /// Column headers.
    pub roles: Vec<PageRef>,
    /// Row groups.
    pub areas: Vec<Area>,
}

/// One layer row.
#[derive(Clone, Debug, Serialize)]
pub struct LayerRow {
    /// The layer.
    pub layer: PageRef,
    /// Nesting depth (0 for top-level layers).
    pub depth: usize,
    /// Stacking level.
    pub level: Option<i64>,
    /// One cell per role column.
    pub cells: Vec<Cell>,
    /// Components on this layer.
    pub components: Vec<PageRef>,
}

/// The layer matrix.
#[derive(Clone, Debug, Serialize, Default)]
pub struct LayerMatrix {
    /// Column headers.
    pub roles: Vec<PageRef>,
    /// Rows, top layer first, children after their parent.
    pub rows: Vec<LayerRow>,
}

/// A role and the letters it holds.
#[derive(Clone, Debug, Serialize)]
pub struct Holder {
    /// The role (or activity, depending on the list).
    #[serde(flatten)]
    pub page: PageRef,
    /// Its letters.
    pub letters: String,
}

/// How one role relates to another.
#[derive(Clone, Debug, Serialize)]
pub struct Relation {
    /// The role this one relates to.
    pub role: PageRef,
    /// The role described by the relation (for the interface table).
    pub from: PageRef,
    /// The text.
    pub text: String,
}

/// Something a role does not do, and who does it.
#[derive(Clone, Debug, Serialize)]
pub struct NotDone {
    /// The activity.
    pub activity: PageRef,
    /// Roles that are `A` or `R` on it, accountable first.
    pub instead: Vec<Holder>,
}

/// A role-boundary table.
#[derive(Clone, Debug, Serialize)]
pub struct Boundary {
    /// The role.
    pub role: PageRef,
    /// Its focus.
    pub focus: Option<String>,
    /// Its mantra.
    pub mantra: Option<String>,
    /// Its relations to other roles.
    pub relations: Vec<Relation>,
    /// Activities where it is `R` or `A`.
    pub does: Vec<Holder>,
    /// Its `does_not` list.
    pub does_not: Vec<NotDone>,
    /// Other roles' relations to this one (their `relations` naming it).
    pub related_by: Vec<Relation>,
}

/// A person on a decision: a role, or a name shown as text.
#[derive(Clone, Debug, Serialize)]
pub struct Person {
    /// The name as written, or the role's title.
    pub name: String,
    /// The role, when the entry is a role id.
    pub role: Option<PageRef>,
}

/// A decision in the log.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionRow {
    /// The decision.
    pub decision: PageRef,
    /// Its status (lower-case first word, for the badge class).
    pub status: Option<String>,
    /// Status class: `proposed`, `accepted`, `rejected`, `deprecated`, `superseded`.
    pub status_class: String,
    /// Its date.
    pub date: Option<String>,
    /// Who decided.
    pub decision_makers: Vec<Person>,
}

/// The fact box of a model page.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Facts {
    /// A layer's facts.
    Layer {
        /// Stacking level.
        level: Option<i64>,
        /// Enclosing layer.
        parent: Option<PageRef>,
        /// Layers inside it.
        children: Vec<PageRef>,
        /// Components on it.
        components: Vec<PageRef>,
        /// Roles with letters on activities touching it.
        roles: Vec<Holder>,
        /// Activities touching it.
        activities: Vec<PageRef>,
    },
    /// A component's facts.
    Component {
        /// Its layer.
        layer: Option<PageRef>,
        /// Its owner.
        owner: Option<PageRef>,
        /// What it depends on.
        depends_on: Vec<PageRef>,
        /// What depends on it.
        dependants: Vec<PageRef>,
        /// Lifecycle stage.
        lifecycle: Option<String>,
    },
    /// A role's facts.
    Role {
        /// Mantra.
        mantra: Option<String>,
        /// Focus.
        focus: Option<String>,
        /// Layers it works on.
        layers: Vec<PageRef>,
        /// Its RACI letters per activity.
        activities: Vec<Holder>,
        /// Components it owns.
        owns: Vec<PageRef>,
    },
    /// An activity's facts.
    Activity {
        /// Its area.
        area: Option<String>,
        /// Layers it touches.
        layers: Vec<PageRef>,
        /// Its RACI row.
        raci: Vec<Holder>,
        /// Roles that list it under `does_not`.
        not_by: Vec<PageRef>,
    },
    /// A decision's facts.
    Decision {
        /// Status.
        status: Option<String>,
        /// Status class for the badge.
        status_class: String,
        /// Date.
        date: Option<String>,
        /// Who decided.
        decision_makers: Vec<Person>,
        /// Who was consulted.
        consulted: Vec<Person>,
        /// Who was informed.
        informed: Vec<Person>,
        /// Decisions it replaces.
        supersedes: Vec<PageRef>,
        /// Decisions that replace it.
        superseded_by: Vec<PageRef>,
    },
}

/// A tag (`tags` in front matter) and the published pages that carry it:
/// one section of `tags.html`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Tag {
    /// The tag as first written; spellings that differ only in case or
    /// punctuation are one tag.
    pub name: String,
    /// Its section's id on `tags.html` (`tag-` and the heading anchor).
    pub anchor: String,
    /// Its pages, in reading order.
    pub pages: Vec<PageRef>,
}
