//! The front-matter schema: reads a page's keys into its typed fields —
//! the common ones (`title`, `id`, `weight`, ...) and those of its kind
//! (see [`crate::vocab::Kind::keys`]) — and reports every wrong type,
//! unknown key and bad RACI letter where it is written. `parse` calls
//! [`read`]; nothing else does.

use std::ops::Range;

use crate::content::frontmatter::{FrontMatter, Value, describe};
use crate::content::page::{KindData, Page, RaciEntry, Ref};
use crate::diagnostic::{Diagnostic, FileId, did_you_mean};
use crate::rules::Rule;
use crate::slug;
use crate::vocab::{Alphabet, Kind, Letters, letters_help};

/// Reads `fm` into `page`: its common keys, and the keys of its kind.
pub(super) fn read(
    fm: &FrontMatter,
    file: FileId,
    found: &mut Vec<Diagnostic>,
    page: &mut Page,
    alphabet: Alphabet,
) {
    let mut f = Fields { fm, file, found };
    f.read_common(page);
    if let Some(kind) = page.kind {
        if f.check_keys(kind) {
            // Entries meant for `raci:` (or `relations:`) sit beside it:
            // what the page declares is not known, and the RACI checks
            // would only echo this.
            page.broken = true;
            page.kind = None;
            return;
        }
        page.data = f.read_kind(kind, alphabet);
    }
}

/// Keys whose value is a mapping of entries: an entry not indented under
/// one becomes a key of the page.
const MAPPING_KEYS: &[&str] = &["raci", "relations", "extra"];

/// Keys every page may have.
pub(crate) const COMMON_KEYS: &[&str] = &[
    "title",
    "id",
    "kind",
    "summary",
    "tags",
    "weight",
    "draft",
    "extra",
    "template",
    "nav_order",
];

/// Reads typed values out of front matter, reporting type errors where they are.
struct Fields<'a> {
    fm: &'a FrontMatter,
    file: FileId,
    found: &'a mut Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.fm.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong_type(&mut self, path: &[&str], want: &str, got: &Value, example: &str) {
        let key = path.join(".");
        self.found.push(
            Diagnostic::new(Rule::WrongType, format!("`{key}` must be {want}"))
                .at(
                    self.file,
                    self.fm.value_span(path),
                    format!("found {}", describe(got)),
                )
                .help(format!("write it as {example}")),
        );
    }

    /// Text; numbers and booleans are taken as their text.
    fn text(&mut self, key: &str) -> Option<String> {
        let v = self.get(key)?;
        match scalar_text(v) {
            Some(s) => Some(s),
            None => {
                let v = v.clone();
                self.wrong_type(&[key], "text", &v, &format!("`{key}: some text`"));
                None
            }
        }
    }

    fn int(&mut self, key: &str) -> Option<i64> {
        let v = self.get(key)?;
        match v.as_i64() {
            Some(i) => Some(i),
            None => {
                let v = v.clone();
                self.wrong_type(&[key], "a whole number", &v, &format!("`{key}: 3`"));
                None
            }
        }
    }

    fn boolean(&mut self, key: &str) -> bool {
        let Some(v) = self.get(key) else { return false };
        match v.as_bool() {
            Some(b) => b,
            None => {
                let v = v.clone();
                self.wrong_type(&[key], "true or false", &v, &format!("`{key}: true`"));
                false
            }
        }
    }

    fn texts(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        match v {
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match scalar_text(item) {
                        Some(s) => out.push(s),
                        None => {
                            let item = item.clone();
                            let idx = i.to_string();
                            self.wrong_type(
                                &[key, &idx],
                                "text",
                                &item,
                                "a plain word or quoted text",
                            );
                        }
                    }
                }
                out
            }
            other => match scalar_text(other) {
                Some(s) => vec![s],
                None => {
                    let v = other.clone();
                    self.wrong_type(&[key], "a list", &v, &format!("`{key}: [a, b]`"));
                    Vec::new()
                }
            },
        }
    }

    /// One id.
    fn reference(&mut self, key: &str) -> Option<Ref> {
        let v = self.get(key)?;
        match v {
            Value::String(s) => Some(Ref {
                id: s.trim().to_string(),
                span: self.fm.value_span(&[key]),
            }),
            other => {
                let v = other.clone();
                self.wrong_type(&[key], "an id", &v, &format!("`{key}: some-id`"));
                None
            }
        }
    }

    /// A list of ids (a single id is taken as a list of one).
    fn references(&mut self, key: &str) -> Vec<Ref> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        match v {
            Value::String(s) => vec![Ref {
                id: s.trim().to_string(),
                span: self.fm.value_span(&[key]),
            }],
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let idx = i.to_string();
                    match item {
                        Value::String(s) => out.push(Ref {
                            id: s.trim().to_string(),
                            span: self.fm.value_span(&[key, &idx]),
                        }),
                        other => {
                            let other = other.clone();
                            self.wrong_type(
                                &[key, &idx],
                                "an id",
                                &other,
                                "a plain word such as `storage`",
                            );
                        }
                    }
                }
                out
            }
            other => {
                let v = other.clone();
                self.wrong_type(&[key], "a list of ids", &v, &format!("`{key}: [a, b]`"));
                Vec::new()
            }
        }
    }

    /// A mapping of ids to text.
    fn id_map(&mut self, key: &str, example: &str) -> Vec<(Ref, String, Range<usize>)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let Value::Mapping(m) = v else {
            let v = v.clone();
            self.wrong_type(&[key], "a mapping of ids", &v, example);
            return Vec::new();
        };
        let m = m.clone();
        let mut out = Vec::new();
        for (k, val) in &m {
            let Some(id) = scalar_text(k) else {
                let k = k.clone();
                self.wrong_type(&[key], "a mapping with ids as keys", &k, example);
                continue;
            };
            let id = id.trim().to_string();
            match scalar_text(val) {
                Some(text) => {
                    let r = Ref {
                        span: self.fm.key_span(&[key, &id]),
                        id: id.clone(),
                    };
                    out.push((r, text, self.fm.value_span(&[key, &id])));
                }
                None => self.wrong_type(&[key, &id], "text", val, example),
            }
        }
        out
    }

    fn raci(&mut self, alphabet: Alphabet) -> Vec<RaciEntry> {
        let example = "`raci: {some-id: A/R}`";
        let mut out = Vec::new();
        for (target, text, letters_span) in self.id_map("raci", example) {
            match Letters::parse(&text, alphabet) {
                Ok(letters) => out.push(RaciEntry {
                    target,
                    letters,
                    letters_span,
                }),
                Err(bad) => {
                    let what = if bad == ' ' {
                        "no letter".to_string()
                    } else {
                        format!("`{bad}`")
                    };
                    self.found.push(
                        Diagnostic::new(
                            Rule::RaciLetter,
                            format!("{what} is not a {} letter", alphabet.letters()),
                        )
                        .at(self.file, letters_span, "in this assignment")
                        .help(letters_help(alphabet)),
                    );
                }
            }
        }
        out
    }

    fn read_common(&mut self, page: &mut Page) {
        if let Some(t) = self.text("title") {
            page.title = t;
        }
        if let Some(id) = self.text("id") {
            let span = self.fm.value_span(&["id"]);
            if slug::is_safe_id(&id) {
                page.id = id;
                page.id_span = span;
            } else {
                let fixed = slug::slugify(&id);
                self.found.push(
                    Diagnostic::new(Rule::InvalidId, format!("`{id}` is not a safe id"))
                        .at(self.file, span, "ids become file names and URLs")
                        .help(if fixed.is_empty() {
                            "use lower-case letters, digits, `-` and `_`".to_string()
                        } else {
                            format!("use lower-case letters, digits, `-` and `_`, e.g. `{fixed}`")
                        }),
                );
            }
        }
        if let Some(k) = self.text("kind") {
            match Kind::from_name(&k) {
                Some(kind) => {
                    page.kind = Some(kind);
                    page.kind_span = self.fm.value_span(&["kind"]);
                }
                None => {
                    let hint = did_you_mean(&k, Kind::ALL.iter().map(|k| k.name()))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| {
                            "use one of layer, component, role, activity, decision, or leave `kind` out for a plain page"
                                .into()
                        });
                    self.found.push(
                        Diagnostic::new(Rule::UnknownKind, format!("unknown kind `{k}`"))
                            .at(self.file, self.fm.value_span(&["kind"]), "not a model kind")
                            .help(hint),
                    );
                    // What the page meant to declare is unknown: references
                    // to its id would only echo this finding.
                    page.unknown_kind = true;
                }
            }
        }
        page.summary = self.text("summary");
        page.tags = self.texts("tags");
        // Jekyll's `nav_order` (MADR and just-the-docs sites) is a weight.
        page.weight = self.int("weight").or_else(|| self.int("nav_order"));
        page.draft = self.boolean("draft");
        if let Some(extra) = self.get("extra")
            && !extra.is_mapping()
        {
            let v = extra.clone();
            self.wrong_type(&["extra"], "a mapping", &v, "`extra: {key: value}`");
        }
    }

    /// Reports keys the kind does not define; true when entries of a
    /// mapping key were written beside it instead of under it.
    fn check_keys(&mut self, kind: Kind) -> bool {
        let allowed: Vec<&str> = COMMON_KEYS.iter().chain(kind.keys()).copied().collect();
        // The mapping key with nothing under it that the keys after it
        // (until a known key) were probably meant for.
        let mut empty_parent: Option<&str> = None;
        let mut stray = false;
        for (k, v) in self.fm.map.iter() {
            let Some(k) = k.as_str() else { continue };
            if allowed.contains(&k) || k.starts_with("x-") {
                empty_parent = (MAPPING_KEYS.contains(&k) && v.is_null()).then_some(k);
                continue;
            }
            if let Some(parent) = empty_parent {
                stray = true;
                self.found.push(
                    Diagnostic::new(
                        Rule::FrontMatter,
                        format!("`{k}` is not under `{parent}:`: it is read as a key of the page"),
                    )
                    .at(self.file, self.fm.key_span(&[k]), format!("not indented under `{parent}:`"))
                    .help(format!(
                        "indent the entries of `{parent}:` under it, e.g. `{parent}:` then `  {k}: ...` on the next line"
                    )),
                );
                continue;
            }
            // A near miss of a known key (`does-not`, `depend_on`, `owners`)
            // loses what it holds without a trace: an error, not a warning.
            if let Some(meant) = misspelt_key(k, &allowed) {
                self.found.push(
                    Diagnostic::new(
                        Rule::MisspeltKey,
                        format!("`{k}` is not a key of a {}: `{meant}` is", kind.name()),
                    )
                    .at(self.file, self.fm.key_span(&[k]), "read as nothing")
                    .help(format!(
                        "did you mean `{meant}`? (keys of your own go under `extra:` or start with `x-`)"
                    )),
                );
                continue;
            }
            let hint = did_you_mean(k, allowed.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "{} pages know {}; put your own data under `extra:` or in a key starting with `x-`",
                        kind.name(),
                        kind.keys().join(", ")
                    )
                });
            self.found.push(
                Diagnostic::new(
                    Rule::UnknownKey,
                    format!("unknown key `{k}` on {}", kind.with_article()),
                )
                .at(self.file, self.fm.key_span(&[k]), "not a key of this kind")
                .help(hint),
            );
        }
        stray
    }

    fn read_kind(&mut self, kind: Kind, alphabet: Alphabet) -> KindData {
        match kind {
            Kind::Layer => KindData::Layer {
                level: self.int("level"),
                parent: self.reference("parent"),
            },
            Kind::Component => {
                let layer = self.reference("layer");
                if layer.is_none() && self.get("layer").is_none() {
                    self.found.push(
                        Diagnostic::new(Rule::MissingKey, "a component needs a `layer`")
                            .at(self.file, self.fm.fence.clone(), "front matter starts here")
                            .help(
                                "add `layer: <layer id>` naming the layer this component sits on",
                            ),
                    );
                }
                KindData::Component {
                    layer,
                    owner: self.reference("owner"),
                    depends_on: self.references("depends_on"),
                    lifecycle: self.text("lifecycle"),
                }
            }
            Kind::Role => KindData::Role {
                mantra: self.text("mantra"),
                focus: self.text("focus"),
                relations: self
                    .id_map(
                        "relations",
                        "`relations: {other-role: how they work together}`",
                    )
                    .into_iter()
                    .map(|(r, t, _)| (r, t))
                    .collect(),
                layers: self.references("layers"),
                does_not: self.references("does_not"),
                raci: self.raci(alphabet),
            },
            Kind::Activity => KindData::Activity {
                area: self.text("area"),
                layers: self.references("layers"),
                raci: self.raci(alphabet),
            },
            Kind::Decision => {
                let date = self.text("date");
                if let Some(d) = &date
                    && !is_iso_date(d)
                {
                    self.found.push(
                        Diagnostic::new(Rule::WrongType, format!("`{d}` is not a date"))
                            .at(
                                self.file,
                                self.fm.value_span(&["date"]),
                                "expected YYYY-MM-DD",
                            )
                            .help("write the date as `date: 2024-05-17`"),
                    );
                }
                let mut makers = self.references("decision-makers");
                makers.extend(self.references("deciders"));
                KindData::Decision {
                    status: self.text("status"),
                    date,
                    decision_makers: makers,
                    consulted: self.references("consulted"),
                    informed: self.references("informed"),
                    supersedes: self.references("supersedes"),
                }
            }
        }
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

/// The known key `key` is a slip for: the same but for case or `-`/`_`
/// (`does-not`), one edit away (`owners`, `depend_on`), or two away in a
/// key of six letters or more (`relatoins`).
fn misspelt_key<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| s.to_lowercase().replace(['-', ' '], "_");
    let key_n = norm(key);
    known
        .iter()
        .copied()
        .find(|k| norm(k) == key_n)
        .or_else(|| {
            known
                .iter()
                .copied()
                .map(|k| (strsim::levenshtein(&key_n, &norm(k)), k))
                .filter(|&(d, k)| d == 1 && k.len() >= 3 || d == 2 && k.len() >= 6)
                .min_by_key(|&(d, _)| d)
                .map(|(_, k)| k)
        })
}
