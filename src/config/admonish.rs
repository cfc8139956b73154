//! `[preprocessor.admonish]`: the settings of the `mdbook-admonish` plugin
//! that archbook honours when it draws `admonish` blocks (defaults, built-in
//! and custom directives), read into [`Settings`].

use toml::Spanned;
use toml::de::DeValue;

use crate::diagnostic::Diagnostic;
use crate::rules::Rule;

/// `[preprocessor.admonish]` of an mdBook `book.toml`: what the plugin's
/// `default`, `directive.builtin` and `directive.custom` tables (and its
/// older `custom = [..]` list) set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// `default.title`: the title of blocks that give none.
    pub title: Option<String>,
    /// `default.collapsible`.
    pub collapsible: bool,
    /// `default.css_id_prefix` (`admonition-` when unset).
    pub id_prefix: Option<String>,
    /// `directive.builtin.<name>.collapsible`, by a built-in's first name.
    pub builtin: Vec<(String, bool)>,
    /// `directive.custom.<name>`: directives the book adds.
    pub custom: Vec<Custom>,
}

/// A directive a book adds (`[preprocessor.admonish.directive.custom.NAME]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Custom {
    /// The directive (`expensive`); blocks get the class `admonish-<name>`.
    pub name: String,
    /// Other names that mean it (`aliases = ["money"]`).
    pub aliases: Vec<String>,
    /// Its title when a block gives none (else its name, capitalised).
    pub title: Option<String>,
    /// Whether its blocks are shown folded, unless they say.
    pub collapsible: Option<bool>,
    /// `color = "#24ab38"`: the colour of its bar and title.
    pub color: Option<String>,
}

/// Settings for books that have no `[preprocessor.admonish]` table.
pub static DEFAULT: Settings = Settings {
    title: None,
    collapsible: false,
    id_prefix: None,
    builtin: Vec::new(),
    custom: Vec::new(),
};

/// Whether `text` is a colour a `style` attribute can carry as it is: a
/// hex colour (`#24ab38`) or a colour name (`teal`).
pub fn is_colour(text: &str) -> bool {
    match text.strip_prefix('#') {
        Some(hex) => {
            matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit())
        }
        None => {
            !text.is_empty() && text.len() <= 32 && text.chars().all(|c| c.is_ascii_alphabetic())
        }
    }
}

/// The keys and values of a table (none for any other value).
pub(super) fn entries<'v, 'a>(
    v: &'v Spanned<DeValue<'a>>,
) -> Vec<(&'v str, &'v Spanned<DeValue<'a>>)> {
    match v.get_ref() {
        DeValue::Table(t) => t.iter().map(|(k, v)| (k.get_ref().as_ref(), v)).collect(),
        _ => Vec::new(),
    }
}

impl super::read::Reader<'_> {
    /// mdbook-admonish's settings: `default`, `directive.builtin`,
    /// `directive.custom` and the older `builtin` table and `custom` list.
    /// Keys the plugin has for itself (`command`, `on_failure`, ...) are
    /// left alone; a wrong type is a finding.
    pub(super) fn admonish(&mut self, v: &Spanned<DeValue<'_>>) -> Settings {
        let mut out = Settings::default();
        let at = "preprocessor.admonish";
        for (key, value) in entries(v) {
            match key {
                "default" => {
                    for (key, value) in entries(value) {
                        let name = format!("{at}.default.{key}");
                        match key {
                            "title" => out.title = self.string(value, &name),
                            "collapsible" => {
                                self.set_bool(value, &name, &mut out.collapsible);
                            }
                            "css_id_prefix" | "css-id-prefix" => {
                                out.id_prefix = self.string(value, &name)
                            }
                            _ => {}
                        }
                    }
                }
                "directive" => {
                    for (kind, value) in entries(value) {
                        for (name, value) in entries(value) {
                            self.directive(kind, name.to_string(), value, &mut out);
                        }
                    }
                }
                "builtin" => {
                    for (name, value) in entries(value) {
                        self.directive("builtin", name.to_string(), value, &mut out);
                    }
                }
                // The plugin's first form: `custom = [{ directive = "x", ... }]`.
                "custom" => {
                    if let DeValue::Array(items) = value.get_ref() {
                        for item in items {
                            let name = entries(item)
                                .into_iter()
                                .find(|(k, _)| *k == "directive")
                                .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string));
                            if let Some(name) = name {
                                self.directive("custom", name, item, &mut out);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// One `directive.builtin.NAME` or `directive.custom.NAME` table.
    pub(super) fn directive(
        &mut self,
        kind: &str,
        name: String,
        v: &Spanned<DeValue<'_>>,
        out: &mut Settings,
    ) {
        let DeValue::Table(t) = v.get_ref() else {
            return;
        };
        let at = format!("preprocessor.admonish.directive.{kind}.{name}");
        let mut custom = Custom {
            name: name.to_ascii_lowercase(),
            ..Default::default()
        };
        for (k, v) in t {
            let key = format!("{at}.{}", k.get_ref());
            match k.get_ref().as_ref() {
                "collapsible" => custom.collapsible = self.boolean(v, &key),
                "title" => custom.title = self.string(v, &key),
                "aliases" => {
                    custom.aliases = self
                        .strings(v, &key)
                        .iter()
                        .map(|a| a.to_ascii_lowercase())
                        .collect()
                }
                "color" => {
                    custom.color = self.string(v, &key).filter(|c| {
                        let ok = is_colour(c);
                        if !ok {
                            self.found.push(
                                Diagnostic::new(
                                    Rule::Config,
                                    format!("`{key}` is not a colour: `{c}`"),
                                )
                                .at(self.file, v.span(), "not a colour")
                                .help("write a hex colour such as `\"#24ab38\"`"),
                            );
                        }
                        ok
                    })
                }
                _ => {}
            }
        }
        match kind {
            "builtin" => {
                if let Some(c) = custom.collapsible {
                    out.builtin.push((custom.name, c));
                }
            }
            "custom" => out.custom.push(custom),
            _ => {}
        }
    }
}
