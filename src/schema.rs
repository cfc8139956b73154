//! A JSON Schema (draft-07, as yaml-language-server reads it) of the front
//! matter, for editors that have a YAML extension but not `archbook lsp`:
//! the keys every page may have, and those of each kind, with their types
//! and what they mean. `archbook schema` prints it. Pure: builds a value.

use serde_json::{Value, json};

use crate::vocab::Kind;

/// An id as references write it.
fn id() -> Value {
    json!({"type": "string", "pattern": "^[a-z0-9_-]+$"})
}

/// A list of ids, or one.
fn ids(what: &str) -> Value {
    json!({
        "description": what,
        "oneOf": [{"type": "array", "items": id()}, id()],
    })
}

/// Ids of `what` to text.
fn id_map(what: &str, values: Value) -> Value {
    json!({
        "type": "object",
        "description": what,
        "propertyNames": id(),
        "additionalProperties": values,
    })
}

fn text(what: &str) -> Value {
    json!({"type": "string", "description": what})
}

/// RACI letters (`A/R`), in either case.
fn letters() -> Value {
    json!({"type": "string", "pattern": "^[RASCIrasci](/[RASCIrasci])*$"})
}

/// The keys of a kind, with their schemas.
fn kind_keys(kind: Kind) -> Vec<(&'static str, Value)> {
    match kind {
        Kind::Layer => vec![
            (
                "level",
                json!({"type": "integer", "description": "Stacking order, 1 at the bottom."}),
            ),
            (
                "parent",
                json!({"description": "The layer this one sits inside.", "allOf": [id()]}),
            ),
        ],
        Kind::Component => vec![
            (
                "layer",
                json!({"description": "The layer it sits on.", "allOf": [id()]}),
            ),
            (
                "owner",
                json!({"description": "The role that owns it.", "allOf": [id()]}),
            ),
            ("depends_on", ids("Components it depends on.")),
            (
                "lifecycle",
                text("Where it is in its life: emerging, current, sunset, ..."),
            ),
        ],
        Kind::Role => vec![
            ("mantra", text("The role's motto.")),
            ("focus", text("What the role concentrates on.")),
            (
                "relations",
                id_map(
                    "How this role relates to other roles, by role id.",
                    json!({"type": "string"}),
                ),
            ),
            ("layers", ids("Layers the role works on.")),
            (
                "does_not",
                ids("Activities the role explicitly does not do."),
            ),
            ("raci", id_map("Letters by activity id.", letters())),
        ],
        Kind::Activity => vec![
            (
                "area",
                text("The group of the RACI matrix it is listed under."),
            ),
            ("layers", ids("Layers the activity touches.")),
            (
                "raci",
                id_map(
                    "Letters by role id: R, A, C, I (S with RASCI), combined like A/R.",
                    letters(),
                ),
            ),
        ],
        Kind::Decision => vec![
            (
                "status",
                json!({
                    "type": "string",
                    "description": "proposed, accepted, rejected, deprecated, superseded (or `superseded by ...`).",
                    "pattern": "^([Pp]roposed|[Aa]ccepted|[Rr]ejected|[Dd]eprecated|[Ss]uperseded.*)$",
                }),
            ),
            (
                "date",
                json!({"type": "string", "description": "YYYY-MM-DD", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}"}),
            ),
            (
                "decision-makers",
                json!({"description": "Role ids or names.", "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}),
            ),
            (
                "deciders",
                json!({"description": "MADR 2's `decision-makers`.", "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}),
            ),
            (
                "consulted",
                json!({"description": "Role ids or names.", "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}),
            ),
            (
                "informed",
                json!({"description": "Role ids or names.", "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}),
            ),
            ("supersedes", ids("Decisions this one replaces.")),
        ],
    }
}

/// The keys every page may have.
fn common_keys() -> Vec<(&'static str, Value)> {
    vec![
        (
            "title",
            text("The page title (default: its first `#` heading)."),
        ),
        (
            "id",
            json!({"description": "What other pages use to refer to this one (default: the file name).", "allOf": [id()]}),
        ),
        ("summary", text("One line about the page.")),
        (
            "tags",
            json!({"type": "array", "items": {"type": "string"}}),
        ),
        (
            "weight",
            json!({"type": "integer", "description": "Lower comes first in the navigation."}),
        ),
        (
            "nav_order",
            json!({"type": "integer", "description": "Jekyll's weight, read as `weight`."}),
        ),
        (
            "draft",
            json!({"type": "boolean", "description": "Checked but not published."}),
        ),
        (
            "extra",
            json!({"type": "object", "description": "Your own data, free of checks."}),
        ),
        (
            "template",
            text("The theme template that draws the page (default `page.html`)."),
        ),
    ]
}

fn object(keys: Vec<(&'static str, Value)>) -> serde_json::Map<String, Value> {
    keys.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The schema of the front matter of a page of `kind`, or of any page.
pub fn front_matter(kind: Option<Kind>) -> Value {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    let mut props = object(common_keys());
    props.insert(
        "kind".into(),
        json!({"enum": kinds, "description": "The model kind; leave it out for a plain page."}),
    );
    let x_keys = json!({"^x-": {}});
    let title = "archbook front matter";
    match kind {
        Some(k) => {
            props.extend(object(kind_keys(k)));
            let required: Vec<&str> = match k {
                Kind::Component => vec!["kind", "layer"],
                _ => vec!["kind"],
            };
            json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "title": format!("{title}: {}", k.name()),
                "type": "object",
                "properties": props,
                "patternProperties": x_keys,
                "required": required,
                "additionalProperties": false,
            })
        }
        None => {
            // Each kind's keys apply when `kind` says so.
            let branches: Vec<Value> = Kind::ALL
                .iter()
                .map(|&k| {
                    let mut allowed = object(common_keys());
                    allowed.insert("kind".into(), json!({}));
                    allowed.extend(object(kind_keys(k)));
                    json!({
                        "if": {"properties": {"kind": {"const": k.name()}}, "required": ["kind"]},
                        "then": {
                            "properties": allowed,
                            "patternProperties": x_keys,
                            "additionalProperties": false,
                        },
                    })
                })
                .collect();
            json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "title": title,
                "type": "object",
                "properties": props,
                "allOf": branches,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_the_loader_knows_is_in_the_schema() {
        for kind in Kind::ALL {
            let schema = front_matter(Some(kind));
            let props = schema["properties"].as_object().unwrap();
            for key in kind.keys() {
                assert!(props.contains_key(*key), "{} lacks {key}", kind.name());
            }
            assert_eq!(schema["additionalProperties"], false);
            for key in crate::content::fields::COMMON_KEYS {
                assert!(props.contains_key(*key), "common key {key}");
            }
        }
        let any = front_matter(None);
        assert_eq!(any["allOf"].as_array().unwrap().len(), Kind::ALL.len());
    }
}
