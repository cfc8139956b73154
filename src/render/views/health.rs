//! The "Model health" view: what the model leaves unsaid, as lists a reader
//! or reviewer can act on (activities without a Responsible or Accountable
//! role, roles without activities, layers without components or an
//! accountable role, components without an owner, decisions left
//! `proposed`), each with its count. The same facts as the coverage rules,
//! from [`Coverage`]. Reads the resolved handbook.

use serde::Serialize;

use super::{PageRef, Views};
use crate::content::page::KindData;
use crate::model::coverage::Coverage;
use crate::model::handbook::Handbook;
use crate::vocab::{Kind, Letters};

/// The view.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Health {
    /// Every group, in order, empty ones included (a zero is news too).
    pub groups: Vec<Group>,
    /// How many items in all.
    pub total: usize,
    /// After how many days a `proposed` decision is listed.
    pub proposed_days: i64,
}

/// One kind of gap.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// Its heading.
    pub title: &'static str,
    /// Its anchor.
    pub anchor: &'static str,
    /// The rule that reports it on the terminal, if one does.
    pub rule: Option<&'static str>,
    /// What to do about it.
    pub fix: &'static str,
    /// The pages, in reading order.
    pub items: Vec<Item>,
}

/// A page in a group.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// The page.
    pub page: PageRef,
    /// A detail (`proposed on 2026-01-10, 327 days ago`).
    pub note: Option<String>,
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
fn days(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Today, in days since 1970-01-01: `SOURCE_DATE_EPOCH` when set (a
/// reproducible build), else the clock.
pub fn today() -> i64 {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    secs.div_euclid(86_400)
}

/// The view of a resolved handbook; `order` is reading order.
pub fn build(book: &Handbook, views: &Views, order: &[usize]) -> Health {
    let pages = &book.pages;
    let cov = Coverage::of(pages, &book.model);
    let mut letters = vec![Letters::default(); pages.len()];
    for ((a, _), cell) in &book.model.raci {
        letters[*a] = letters[*a].union(cell.letters);
    }
    let now = today();
    let limit = book.config.proposed_days;
    let mut roles = vec![Letters::default(); pages.len()];
    for ((_, r), cell) in &book.model.raci {
        roles[*r] = roles[*r].union(cell.letters);
    }
    let mut groups = vec![
        group(
            "Activities without a Responsible role",
            "no-responsible",
            Some("raci-responsible"),
            "give a role R (the accountable role may be A/R)",
        ),
        group(
            "Activities without an Accountable role",
            "no-accountable",
            Some("raci-accountable"),
            "give exactly one role A",
        ),
        group(
            "Roles responsible for nothing",
            "idle-roles",
            Some("role-without-responsibility"),
            "give the role R or A on the activities it does",
        ),
        group(
            "Layers without components",
            "empty-layers",
            Some("layer-without-component"),
            "add components whose layer is this one",
        ),
        group(
            "Layers no role is accountable for",
            "unowned-layers",
            Some("layer-without-accountable"),
            "list the layer under the layers of an activity that has an A",
        ),
        group(
            "Components without an owner",
            "unowned-components",
            None,
            "name the role that owns the component as its owner",
        ),
        group(
            "Decisions still proposed",
            "proposed-decisions",
            None,
            "decide, and set the status to accepted or rejected",
        ),
    ];
    for &i in order {
        let p = &pages[i];
        let r = &views.refs[i];
        if r.url.is_none() {
            continue;
        }
        let mut add = |g: usize, note: Option<String>| {
            groups[g].items.push(Item {
                page: r.clone(),
                note,
            })
        };
        match (&p.data, p.kind) {
            (KindData::Activity { .. }, _) => {
                if !letters[i].contains(Letters::R) {
                    add(0, None);
                }
                if !letters[i].contains(Letters::A) {
                    add(1, None);
                }
            }
            (KindData::Role { .. }, _)
                if !roles[i].contains(Letters::R) && !roles[i].contains(Letters::A) =>
            {
                add(2, None)
            }
            (KindData::Layer { .. }, _) => {
                if !cov.with_component.contains(&i) {
                    add(3, None);
                }
                if !cov.with_accountable.contains(&i) {
                    add(4, None);
                }
            }
            (KindData::Component { owner, .. }, _)
                if owner
                    .as_ref()
                    .and_then(|o| book.model.get(pages, &o.id, Kind::Role))
                    .is_none() =>
            {
                add(5, None)
            }
            (KindData::Decision { status, date, .. }, _)
                if status
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case("proposed")) =>
            {
                match date.as_deref().and_then(|d| days(d).map(|n| (d, n))) {
                    Some((d, n)) if now - n > limit => {
                        add(6, Some(format!("proposed on {d}, {} days ago", now - n)))
                    }
                    Some(_) => {}
                    None => add(6, Some("proposed, with no `date`".to_string())),
                }
            }
            _ => {}
        }
    }
    let total = groups.iter().map(|g| g.items.len()).sum();
    Health {
        groups,
        total,
        proposed_days: limit,
    }
}

fn group(
    title: &'static str,
    anchor: &'static str,
    rule: Option<&'static str>,
    fix: &'static str,
) -> Group {
    Group {
        title,
        anchor,
        rule,
        fix,
        items: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_1970() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2000-03-01"), Some(11_017));
        assert_eq!(days("2026-12-03"), Some(20_790));
        for bad in ["", "2026", "2026-13-01", "soon", "2026-1"] {
            assert_eq!(days(bad), None, "{bad}");
        }
    }
}
