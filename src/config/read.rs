//! Reading `book.toml`: a walk over the spanned TOML document that fills a
//! [`Config`] key by key and reports, at its line and column, every wrong
//! type, unknown key (with a suggestion) and bad value.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Config, TextDirection, escapes};
use crate::diagnostic::{Diagnostic, FileId, did_you_mean};
use crate::rules::{Rule, RuleSet, Severity};
use crate::vocab::Alphabet;

/// Keys of mdBook's `book.toml` that archbook accepts without using them:
/// every key of mdBook 0.5's configuration reference (and the older names
/// of some) that archbook has no use for. A table here is accepted with
/// whatever it holds.
const MDBOOK_ACCEPTED: &[&str] = &[
    "book.multilingual",
    "build.use-default-preprocessors",
    "output.html.preferred-dark-theme",
    "output.html.mathjax-support",
    "output.html.copy-fonts",
    "output.html.git-repository-icon",
    "output.html.live-reload-endpoint",
    "output.html.hash-files",
    "output.html.fold",
    "output.html.playground",
    // The name of `playground` before mdBook 0.4.
    "output.html.playpen",
    "output.html.theme",
    "output.html.sidebar-header-nav",
    "output.html.site-url",
    "output.html.definition-lists",
    "output.html.admonitions",
    "output.html.google-analytics",
];

/// Reads `book.toml` text. Problems go to `found`; the result always has usable
/// defaults, so checking can go on and report everything else too.
pub fn parse(text: &str, file: FileId, found: &mut Vec<Diagnostic>) -> Config {
    let mut cfg = Config::default();
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let help = if e.message().contains("duplicate key") {
                // A second `[archbook]` (or a key written twice): TOML allows
                // each once.
                match text.get(span.clone()) {
                    Some(name) if text.get(..span.start).is_some_and(|t| t.ends_with('[')) => {
                        format!(
                            "the table `[{name}]` appears twice; move these keys into the first one"
                        )
                    }
                    Some(name) => format!("`{name}` is set twice in its table; keep one"),
                    None => "each key may be set once per table".to_string(),
                }
            } else {
                "fix the TOML syntax; see https://toml.io for the format".to_string()
            };
            found.push(
                Diagnostic::new(
                    Rule::Config,
                    format!("book.toml is not valid TOML: {}", e.message()),
                )
                .at(file, span, "here")
                .help(help),
            );
            return cfg;
        }
    };
    let mut r = Reader { file, found };
    cfg.archbook = doc.get_ref().contains_key("archbook");
    if !cfg.archbook {
        // An mdBook book: mdBook does not check links, so what archbook
        // finds in them must not stop the build (`check` still lists it).
        for rule in [Rule::BrokenLink, Rule::BrokenAnchor] {
            cfg.rules.set(rule, Some(Severity::Warning));
        }
    }
    for (key, value) in doc.get_ref() {
        match key.get_ref().as_ref() {
            "book" => r.table(value, "book", |r, k, v| book_key(r, &mut cfg, k, v)),
            "build" => r.table(value, "build", |r, k, v| build_key(r, &mut cfg, k, v)),
            "output" => r.table(value, "output", |r, k, v| output_key(r, &mut cfg, k, v)),
            "archbook" => r.table(value, "archbook", |r, k, v| archbook_key(r, &mut cfg, k, v)),
            // Preprocessors are mdBook plugins: archbook does what `links`
            // and `index` do itself, and runs no others.
            "preprocessor" => r.preprocessors(value, &mut cfg.admonish),
            // mdBook's `[rust]` (the edition of its playground and tests).
            "rust" => r.table(value, "rust", |_, k, _| k == "edition"),
            other => r.unknown(key, other),
        }
    }
    cfg
}

/// One key of `[book]`; `false` when it is not one archbook reads.
fn book_key(r: &mut Reader<'_>, cfg: &mut Config, k: &str, v: &Spanned<DeValue<'_>>) -> bool {
    match k {
        "title" => {
            cfg.title = r.string(v, "book.title");
            true
        }
        "description" => {
            cfg.description = r.string(v, "book.description");
            true
        }
        "language" => r.set_string(v, "book.language", &mut cfg.language),
        "text-direction" => {
            match r.string(v, "book.text-direction").as_deref() {
                Some("ltr") => cfg.text_direction = Some(TextDirection::Ltr),
                Some("rtl") => cfg.text_direction = Some(TextDirection::Rtl),
                Some(other) => r.found.push(
                    Diagnostic::new(
                        Rule::Config,
                        format!("unknown text direction `{other}`"),
                    )
                    .at(r.file, v.span(), "expected \"ltr\" or \"rtl\"")
                    .help("set `text-direction = \"rtl\"` for right-to-left text, or leave it out to follow `language`"),
                ),
                None => {}
            }
            true
        }
        "src" => r.set_string(v, "book.src", &mut cfg.src),
        "authors" => {
            cfg.authors = r.strings(v, "book.authors");
            true
        }
        _ => false,
    }
}

/// One key of `[build]`; `false` when it is not one archbook reads.
fn build_key(r: &mut Reader<'_>, cfg: &mut Config, k: &str, v: &Spanned<DeValue<'_>>) -> bool {
    match k {
        "build-dir" => {
            cfg.build_dir_at = Some((r.file, v.span()));
            r.set_string(v, "build.build-dir", &mut cfg.build_dir)
        }
        "extra-watch-dirs" => {
            cfg.extra_watch_dirs = r.strings(v, "build.extra-watch-dirs");
            true
        }
        "create-missing" => r.set_bool(v, "build.create-missing", &mut cfg.create_missing),
        _ => false,
    }
}

/// One key of `[output]` (mdBook's `[output.html]` and its tables); `false` when it is not one archbook reads.
fn output_key(r: &mut Reader<'_>, cfg: &mut Config, k: &str, v: &Spanned<DeValue<'_>>) -> bool {
    match k {
        "html" => {
            r.table(v, "output.html", |r, k, v| {
                match k {
                    "additional-css" => {
                        cfg.additional_css = r.asset_paths(
                            v,
                            "output.html.additional-css",
                            &mut cfg.asset_spans,
                        );
                        return true;
                    }
                    "additional-js" => {
                        cfg.additional_js = r.asset_paths(
                            v,
                            "output.html.additional-js",
                            &mut cfg.asset_spans,
                        );
                        return true;
                    }
                    "redirect" => {
                        cfg.redirects = r.redirects(v);
                        return true;
                    }
                    "code" => {
                        r.table(v, "output.html.code", |r, k, v| {
                            if k != "hidelines" {
                                return false;
                            }
                            r.table(v, "output.html.code.hidelines", |r, lang, v| {
                                    let name = format!("output.html.code.hidelines.{lang}");
                                    if let Some(prefix) = r.string(v, &name) {
                                        if prefix.is_empty() {
                                            r.found.push(
                                                Diagnostic::new(
                                                    Rule::Config,
                                                    format!("`{name}` is empty"),
                                                )
                                                .at(r.file, v.span(), "would hide every line")
                                                .help(format!("give the prefix that marks a hidden line, such as `{lang} = \"~\"`")),
                                            );
                                        } else {
                                            cfg.hidelines.insert(lang.to_string(), prefix);
                                        }
                                    }
                                    true
                                });
                            true
                        });
                        return true;
                    }
                    "input-404" => return r.set_string(v, "output.html.input-404", &mut cfg.input_404),
                    "print" | "search" => {
                        let name = format!("output.html.{k}");
                        let mut enable = true;
                        r.table(v, &name, |r, k, v| {
                            if k == "enable"
                                && let Some(b) = r.boolean(v, &format!("{name}.enable"))
                            {
                                enable = b;
                            }
                            // mdBook's other print and search settings do not apply.
                            true
                        });
                        if k == "print" {
                            cfg.print = enable;
                        } else {
                            cfg.search = enable;
                        }
                        return true;
                    }
                    _ => {}
                }
                let switch = match k {
                    "no-section-label" => Some(&mut cfg.no_section_label),
                    "smart-punctuation" | "curly-quotes" => {
                        Some(&mut cfg.smart_punctuation)
                    }
                    _ => None,
                };
                if let Some(switch) = switch {
                    return r.set_bool(v, &format!("output.html.{k}"), switch);
                }
                let slot = match k {
                    "site-url" => &mut cfg.site_url,
                    "git-repository-url" => &mut cfg.git_repository_url,
                    "edit-url-template" => &mut cfg.edit_url_template,
                    "default-theme" => &mut cfg.default_theme,
                    "cname" => &mut cfg.cname,
                    _ => return false,
                };
                *slot = r.string(v, &format!("output.html.{k}"));
                true
            });
            true
        }
        "pdf" => {
            r.table(v, "output.pdf", |r, k, v| {
                super::pdf::key(r, &mut cfg.pdf, k, v)
            });
            true
        }
        // Other renderers (linkcheck, epub, ...) are mdBook plugins we do not run.
        _ => true,
    }
}

/// One key of `[archbook]`; `false` when it is not one archbook reads.
fn archbook_key(r: &mut Reader<'_>, cfg: &mut Config, k: &str, v: &Spanned<DeValue<'_>>) -> bool {
    match k {
        "theme" => {
            if let Some(s) = r.string(v, "archbook.theme") {
                if s.is_empty() || s == ".." || s == "." || s.contains(['/', '\\']) {
                    r.found.push(
                        Diagnostic::new(
                            Rule::Config,
                            format!("theme `{s}` is not a theme name"),
                        )
                        .at(r.file, v.span(), "a path, not a name")
                        .help("name a folder directly under `themes/` (e.g. `theme = \"corporate\"` for `themes/corporate/`), or `default`"),
                    );
                } else {
                    cfg.theme = s;
                }
            }
            true
        }
        "sanitize-html" => r.set_bool(v, "archbook.sanitize-html", &mut cfg.sanitize_html),
        "highlight" => r.set_bool(v, "archbook.highlight", &mut cfg.highlight),
        "model-diagrams" => r.set_bool(v, "archbook.model-diagrams", &mut cfg.model_diagrams),
        "areas" => {
            let file = r.file;
            cfg.areas = r
                .string_items(v, "archbook.areas")
                .into_iter()
                .map(|(name, span)| (name, file, span))
                .collect();
            true
        }
        "proposed-days" => {
            let days = v
                .get_ref()
                .as_integer()
                .and_then(|n| i64::from_str_radix(n.as_str(), n.radix()).ok());
            match days {
                Some(n) if n >= 0 => cfg.proposed_days = n,
                _ => r.type_error(
                    v,
                    "archbook.proposed-days",
                    "a whole number of days (0 or more)",
                    v.get_ref().type_str(),
                ),
            }
            true
        }
        "deny-warnings" => r.set_bool(v, "archbook.deny-warnings", &mut cfg.deny_warnings),
        "changes-since" => {
            cfg.changes_since_at = Some((r.file, v.span()));
            cfg.changes_since = r
                .string(v, "archbook.changes-since")
                .filter(|s| !s.trim().is_empty());
            true
        }
        "raci" => {
            match r.string(v, "archbook.raci").as_deref() {
                Some("RACI") => cfg.alphabet = Alphabet::Raci,
                Some("RASCI") => cfg.alphabet = Alphabet::Rasci,
                Some(other) => r.found.push(
                    Diagnostic::new(Rule::Config, format!("unknown RACI letter set `{other}`"))
                        .at(r.file, v.span(), "expected \"RACI\" or \"RASCI\"")
                        .help("set `raci = \"RACI\"` or `raci = \"RASCI\"` (adds S, Supportive)"),
                ),
                None => {}
            }
            true
        }
        "rules" => {
            r.table(v, "archbook.rules", |r, k, v| {
                r.rule(&mut cfg.rules, k, v);
                true
            });
            true
        }
        _ => false,
    }
}

pub(super) struct Reader<'f> {
    pub(super) file: FileId,
    pub(super) found: &'f mut Vec<Diagnostic>,
}

impl Reader<'_> {
    /// Walks a table, calling `each` for every key; keys it does not claim are
    /// warned about unless mdBook defines them.
    fn table(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        prefix: &str,
        mut each: impl FnMut(&mut Self, &str, &Spanned<DeValue<'_>>) -> bool,
    ) {
        let DeValue::Table(t) = value.get_ref() else {
            self.found.push(
                Diagnostic::new(Rule::Config, format!("`{prefix}` must be a table"))
                    .at(
                        self.file,
                        value.span(),
                        format!("found {}", value.get_ref().type_str()),
                    )
                    .help(format!("write it as a `[{prefix}]` section")),
            );
            return;
        };
        for (k, v) in t {
            let name = k.get_ref().as_ref();
            if !each(self, name, v) {
                let full = format!("{prefix}.{name}");
                if !MDBOOK_ACCEPTED.contains(&full.as_str()) {
                    self.unknown(k, &full);
                }
            }
        }
    }

    fn unknown(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, full: &str) {
        let known = [
            "book.title",
            "book.authors",
            "book.description",
            "book.language",
            "book.src",
            "book.text-direction",
            "build.build-dir",
            "build.extra-watch-dirs",
            "build.create-missing",
            "output.html.site-url",
            "output.html.git-repository-url",
            "output.html.edit-url-template",
            "output.html.default-theme",
            "output.html.cname",
            "output.html.input-404",
            "output.html.no-section-label",
            "output.pdf.browser-binary-path",
            "output.pdf.paper-width",
            "output.pdf.paper-height",
            "archbook.theme",
            "archbook.raci",
            "archbook.sanitize-html",
            "archbook.highlight",
            "archbook.model-diagrams",
            "archbook.areas",
            "archbook.proposed-days",
            "archbook.deny-warnings",
            "archbook.changes-since",
            "archbook.rules",
        ];
        // Compared by the key's own name (`titel` with `title`), not the whole
        // path: keys of one table share a prefix, which makes any two look
        // alike. A key of the same table first, then one put in the wrong table.
        let (table, leaf) = full.rsplit_once('.').unwrap_or(("", full));
        let leaf_of = |k: &'static str| k.rsplit_once('.').map_or(k, |(_, l)| l);
        let near = |same_table: bool| {
            let candidates = known
                .iter()
                .filter(|k| k.rsplit_once('.').map(|(t, _)| t == table) == Some(same_table));
            did_you_mean(leaf, candidates.clone().map(|k| leaf_of(k)))
                .and_then(|l| candidates.clone().find(|k| leaf_of(k) == l))
        };
        let hint = near(true)
            .or_else(|| near(false))
            .map(|k| format!("did you mean `{k}`?"))
            .unwrap_or_else(|| {
                "archbook ignores this key; remove it to silence this warning".into()
            });
        self.found.push(
            Diagnostic::new(
                Rule::UnknownConfigKey,
                format!("unknown key `{full}` in book.toml"),
            )
            .at(self.file, key.span(), "not used by archbook")
            .help(hint),
        );
    }

    /// `[output.html.redirect]`: `"/old.html" = "new.html"` entries.
    fn redirects(&mut self, v: &Spanned<DeValue<'_>>) -> Vec<crate::config::redirect::Redirect> {
        let DeValue::Table(t) = v.get_ref() else {
            self.type_error(v, "output.html.redirect", "a table", v.get_ref().type_str());
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in t {
            let key = k.get_ref().as_ref();
            let Some(to) = self.string(v, &format!("output.html.redirect.\"{key}\"")) else {
                continue;
            };
            match crate::config::redirect::Redirect::parse(key, &to, (self.file, k.span())) {
                Ok(entry) => out.push(entry),
                Err(why) => self.found.push(
                    Diagnostic::new(Rule::Redirect, format!("redirect from `{key}` {why}"))
                        .at(self.file, k.span(), "this entry")
                        .help("write the old address from the site root, e.g. `\"/old/page.html\" = \"../new.html\"`"),
                ),
            }
        }
        out
    }

    /// `[preprocessor.NAME]` tables: each but `links`, `index` and
    /// `admonish` (whose settings go to `admonish`) is a plugin that is not
    /// run.
    fn preprocessors(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        admonish: &mut super::admonish::Settings,
    ) {
        let DeValue::Table(t) = v.get_ref() else {
            return;
        };
        for (k, v) in t {
            let name = k.get_ref().as_ref();
            if name == "admonish" {
                *admonish = self.admonish(v);
            }
            if matches!(name, "links" | "index" | "admonish") {
                continue;
            }
            self.found.push(
                Diagnostic::new(
                    Rule::PreprocessorNotRun,
                    format!("the mdBook preprocessor `{name}` is not run"),
                )
                .at(self.file, k.span(), "not run by archbook")
                .help("the book builds without it; remove the table, or set `preprocessor-not-run = \"off\"` under [archbook.rules]"),
            );
        }
    }

    /// Sets `slot` from the string `v` (a wrong type is reported and
    /// leaves it as it was); `true`, as a claimed key.
    fn set_string<T: From<String>>(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        name: &str,
        slot: &mut T,
    ) -> bool {
        if let Some(s) = self.string(v, name) {
            *slot = s.into();
        }
        true
    }

    /// Sets `slot` from the boolean `v`, as [`Reader::set_string`] does.
    pub(super) fn set_bool(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        name: &str,
        slot: &mut bool,
    ) -> bool {
        if let Some(b) = self.boolean(v, name) {
            *slot = b;
        }
        true
    }

    pub(super) fn string(&mut self, v: &Spanned<DeValue<'_>>, name: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.type_error(v, name, "a string", other.type_str());
                None
            }
        }
    }

    pub(super) fn boolean(&mut self, v: &Spanned<DeValue<'_>>, name: &str) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.type_error(v, name, "true or false", other.type_str());
                None
            }
        }
    }

    pub(super) fn strings(&mut self, v: &Spanned<DeValue<'_>>, name: &str) -> Vec<String> {
        self.string_items(v, name)
            .into_iter()
            .map(|(s, _)| s)
            .collect()
    }

    /// A string or a list of strings, each with where it is written.
    pub(super) fn string_items(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        name: &str,
    ) -> Vec<(String, Range<usize>)> {
        let items: Vec<&Spanned<DeValue<'_>>> = match v.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            DeValue::String(_) => vec![v],
            other => {
                self.type_error(v, name, "a list of strings", other.type_str());
                return Vec::new();
            }
        };
        items
            .into_iter()
            .filter_map(|i| self.string(i, name).map(|s| (s, i.span())))
            .collect()
    }

    /// A list of files copied into the output: each must be a relative path
    /// that stays inside the handbook folder (so its copy stays inside the
    /// output folder).
    fn asset_paths(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        name: &str,
        spans: &mut std::collections::HashMap<String, Range<usize>>,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for (path, span) in self.string_items(v, name) {
            if let Some(why) = escapes(&path) {
                self.found.push(
                    Diagnostic::new(
                        Rule::Config,
                        format!("`{name}` entry `{path}` {why}"),
                    )
                    .at(self.file, span, "not inside the handbook folder")
                    .help("give a path relative to book.toml that stays inside the handbook, e.g. `theme/custom.css`; the file is copied to the same place in the output"),
                );
                continue;
            }
            spans.insert(path.clone(), span);
            out.push(path);
        }
        out
    }

    pub(super) fn type_error(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        name: &str,
        want: &str,
        found: &str,
    ) {
        self.found.push(
            Diagnostic::new(Rule::Config, format!("`{name}` must be {want}"))
                .at(self.file, v.span(), format!("found {found}"))
                .help(format!(
                    "write `{name}` as {want}, e.g. `{} = {}`",
                    name.rsplit('.').next().unwrap_or(name),
                    match want {
                        "true or false" => "true",
                        "a list of strings" => "[\"...\"]",
                        "a table" => "{ ... }",
                        "a whole number of days (0 or more)" => "30",
                        super::pdf::INCHES => "8.27",
                        _ => "\"...\"",
                    }
                )),
        );
    }

    fn rule(&mut self, rules: &mut RuleSet, name: &str, v: &Spanned<DeValue<'_>>) {
        let Some(rule) = Rule::from_name(name) else {
            let hint = did_you_mean(name, Rule::ALL.iter().map(|r| r.name()))
                .map(|k| format!("did you mean `{k}`?"))
                .unwrap_or_else(|| "see the user guide for the list of rules".into());
            self.found.push(
                Diagnostic::new(
                    Rule::UnknownConfigKey,
                    format!("unknown rule `{name}` in [archbook.rules]"),
                )
                .at(self.file, v.span(), "no rule of this name")
                .help(hint),
            );
            return;
        };
        let level = match self.string(v, &format!("archbook.rules.{name}")).as_deref() {
            Some("error") => Some(Severity::Error),
            Some("warning" | "warn") => Some(Severity::Warning),
            Some("off" | "allow") => None,
            Some(other) => {
                self.found.push(
                    Diagnostic::new(
                        Rule::Config,
                        format!("unknown severity `{other}` for rule `{name}`"),
                    )
                    .at(
                        self.file,
                        v.span(),
                        "expected \"error\", \"warning\" or \"off\"",
                    )
                    .help(format!("write `{name} = \"warning\"`")),
                );
                return;
            }
            None => return,
        };
        if rule.is_fixed() {
            self.found.push(
                Diagnostic::new(Rule::Config, format!("rule `{name}` cannot be changed"))
                    .at(self.file, v.span(), "always an error")
                    .help("the model cannot be built around this problem; fix the content instead"),
            );
            return;
        }
        rules.set(rule, level);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse_ok(text: &str) -> (Config, Vec<Diagnostic>) {
        let mut found = Vec::new();
        let cfg = parse(text, 0, &mut found);
        (cfg, found)
    }

    #[test]
    fn mdbook_book_toml_is_accepted() {
        let (cfg, found) = parse_ok(
            "[book]\ntitle = \"T\"\nauthors = [\"A\"]\nsrc = \"src\"\nmultilingual = false\n\
             [output.html]\nsite-url = \"/x/\"\nmathjax-support = true\n[output.linkcheck]\n\
             [preprocessor.links]\n[preprocessor.toc]\ncommand = \"mdbook-toc\"\n\
             [preprocessor.admonish]\ncommand = \"mdbook-admonish\"\n\
             [output.html.redirect]\n\"/old.html\" = \"new.html\"\n\
             [rust]\nedition = \"2021\"\n[output.html.playpen]\neditable = true\n",
        );
        // Everything is accepted; only the plugin archbook does not run is named.
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, Rule::PreprocessorNotRun);
        assert!(found[0].message.contains("`toc`"));
        assert_eq!(cfg.title.as_deref(), Some("T"));
        assert_eq!(cfg.site_url.as_deref(), Some("/x/"));
        assert_eq!(cfg.src, PathBuf::from("src"));
        assert_eq!(cfg.redirects.len(), 1);
        assert_eq!(cfg.redirects[0].path, "old.html");
        assert!(cfg.smart_punctuation, "on unless set off, as in mdBook 0.5");
        assert!(!cfg.archbook, "an mdBook book");
        let (cfg, _) = parse_ok("[output.html]\nsmart-punctuation = false\n");
        assert!(!cfg.smart_punctuation);
        let (cfg, _) = parse_ok("[output.html]\ncname = \"docs.example.org\"\n");
        assert_eq!(cfg.cname.as_deref(), Some("docs.example.org"));
        let (cfg, found) = parse_ok("[output.html]\nsmart-punctuation = true\n");
        assert!(found.is_empty() && cfg.smart_punctuation);
        let (cfg, _) = parse_ok("[output.html]\ncurly-quotes = true\n");
        assert!(cfg.smart_punctuation);
        let (cfg, found) = parse_ok("[output.html]\nno-section-label = true\n");
        assert!(found.is_empty() && cfg.no_section_label);
        let (cfg, found) = parse_ok("[build]\nextra-watch-dirs = [\"../examples\"]\n");
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(cfg.extra_watch_dirs, ["../examples"]);
        // Text direction: as set, else from the language.
        assert_eq!(cfg.direction(), TextDirection::Ltr);
        for (toml, want) in [
            ("[book]\nlanguage = \"he\"\n", TextDirection::Rtl),
            ("[book]\nlanguage = \"ar-SA\"\n", TextDirection::Rtl),
            ("[book]\nlanguage = \"fa_IR\"\n", TextDirection::Rtl),
            ("[book]\nlanguage = \"de\"\n", TextDirection::Ltr),
            (
                "[book]\nlanguage = \"he\"\ntext-direction = \"ltr\"\n",
                TextDirection::Ltr,
            ),
            ("[book]\ntext-direction = \"rtl\"\n", TextDirection::Rtl),
        ] {
            let (cfg, found) = parse_ok(toml);
            assert!(found.is_empty(), "{found:?}");
            assert_eq!(cfg.direction(), want, "{toml}");
        }
        let (_, found) = parse_ok("[book]\ntext-direction = \"up\"\n");
        assert!(found[0].message.contains("unknown text direction `up`"));
        let (_, found) =
            parse_ok("[output.html.redirect]\n\"/../x.html\" = \"y.html\"\n\"/a.html\" = 3\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].rule, Rule::Redirect);
        assert_eq!(found[1].rule, Rule::Config);
    }

    #[test]
    fn mdbook_html_switches_are_honoured() {
        let (cfg, found) = parse_ok(
            "[output.html]\nadditional-css = [\"theme/custom.css\"]\nadditional-js = [\"x.js\"]\n\
             [output.html.print]\nenable = false\n[output.html.search]\nenable = false\nlimit-results = 20\n",
        );
        assert!(found.is_empty(), "{found:?}");
        assert!(!cfg.print && !cfg.search);
        assert_eq!(cfg.additional_css, ["theme/custom.css"]);
        assert_eq!(cfg.additional_js, ["x.js"]);
        let (cfg, found) = parse_ok(
            "[output.html.code.hidelines]\npython = \"~\"\nsh = \"\"\n[output.html.code]\nfold = 1\n",
        );
        assert_eq!(cfg.hidelines.get("python").map(String::as_str), Some("~"));
        assert_eq!(cfg.hidelines.len(), 1, "an empty prefix is refused");
        assert_eq!(found.len(), 2, "{found:?}");
        let said = |text: &str| found.iter().any(|d| d.message.contains(text));
        assert!(
            said("`output.html.code.hidelines.sh` is empty"),
            "{found:?}"
        );
        assert!(said("unknown key `output.html.code.fold`"), "{found:?}");
    }

    #[test]
    fn archbook_table_sets_alphabet_and_rules() {
        let (cfg, found) = parse_ok(
            "[archbook]\nraci = \"RASCI\"\nhighlight = false\n[archbook.rules]\norphan-role = \"off\"\nbroken-link = \"warning\"\n",
        );
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(cfg.alphabet, Alphabet::Rasci);
        assert!(!cfg.highlight);
        assert!(!cfg.highlight);
        assert!(Config::default().highlight, "highlighting is on by default");
        let (_, found) = parse_ok("[archbook]\nhighlite = false\n");
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `archbook.highlight`?")
        );
        assert_eq!(cfg.rules.severity(Rule::OrphanRole), None);
        assert_eq!(
            cfg.rules.severity(Rule::BrokenLink),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn unknown_keys_and_rules_warn_with_suggestions() {
        let text = "[book]\ntitel = \"x\"\n[archbook.rules]\nbroken-links = \"off\"\n";
        let (_, mut found) = parse_ok(text);
        found.sort_by_key(|d| d.primary.as_ref().map(|p| p.0.span.start));
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].help.as_deref(), Some("did you mean `book.title`?"));
        assert_eq!(
            found[1].help.as_deref(),
            Some("did you mean `broken-link`?")
        );
        let (loc, _) = found[0].primary.clone().unwrap();
        assert_eq!(&text[loc.span], "titel");
        // Keys are compared by name: a shared table is no resemblance, and a
        // key in the wrong table points to the right one.
        let (_, found) = parse_ok("[output.html]\nfoo = 1\n[archbook]\nalphabet = \"RASCI\"\n");
        assert_eq!(
            found[0].help.as_deref(),
            Some("archbook ignores this key; remove it to silence this warning")
        );
        assert_eq!(found[1].help, found[0].help);
        let (_, found) = parse_ok("[book]\nsite-url = \"https://x\"\n");
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `output.html.site-url`?")
        );
    }

    #[test]
    fn mdbook_pdf_settings_choose_browser_and_paper() {
        // mdbook-pdf's own keys: the ones that matter are read, the rest
        // (archbook's theme decides margins and backgrounds) pass quietly.
        let (cfg, found) = parse_ok(
            "[output.pdf]\nbrowser-binary-path = \"/opt/chrome/chrome\"\npaper-width = 8.5\n\
             paper-height = 11\nmargin-top = 0.5\nprint-background = true\n",
        );
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(cfg.pdf.browser, Some(PathBuf::from("/opt/chrome/chrome")));
        assert_eq!(cfg.pdf.paper, (8.5, 11.0));
        let (cfg, _) = parse_ok("[output.pdf]\n");
        assert_eq!(cfg.pdf, crate::pdf::PdfSettings::default());
        // A length that is not one, and a misspelt key.
        let (cfg, found) =
            parse_ok("[output.pdf]\npaper-width = \"A4\"\npaper-height = -3\npaper-widht = 8\n");
        assert_eq!(cfg.pdf.paper, crate::pdf::A4);
        assert_eq!(found.len(), 3, "{found:?}");
        let help = |key: &str| {
            let d = found.iter().find(|d| d.message.contains(key));
            d.and_then(|d| d.help.clone())
                .unwrap_or_else(|| panic!("{key}: {found:?}"))
        };
        assert!(help("`output.pdf.paper-width` must be").ends_with("e.g. `paper-width = 8.27`"));
        assert!(help("`output.pdf.paper-height` must be").contains("8.5 for Letter"));
        assert_eq!(
            help("paper-widht"),
            "did you mean `output.pdf.paper-width`?"
        );
    }

    #[test]
    fn wrong_types_and_bad_toml_are_located_errors() {
        let (_, found) = parse_ok("[book]\ntitle = 3\n");
        assert_eq!(found[0].rule, Rule::Config);
        assert!(found[0].message.contains("must be a string"));
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .ends_with("e.g. `title = \"...\"`")
        );
        let (_, found) = parse_ok("[archbook]\nhighlight = \"yes\"\n");
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .ends_with("e.g. `highlight = true`")
        );
        let (cfg, found) = parse_ok("[book\ntitle = 1");
        assert_eq!(found[0].rule, Rule::Config);
        assert_eq!(cfg.src, PathBuf::from("src"));
        let (_, found) = parse_ok("[archbook]\nraci = \"RACI\"\n[archbook]\nhighlight = false\n");
        assert_eq!(
            found[0].help.as_deref(),
            Some("the table `[archbook]` appears twice; move these keys into the first one")
        );
        let (_, found) = parse_ok("[book]\ntitle = \"a\"\ntitle = \"b\"\n");
        assert_eq!(
            found[0].help.as_deref(),
            Some("`title` is set twice in its table; keep one")
        );
    }

    #[test]
    fn fixed_rules_cannot_be_configured() {
        let (_, found) = parse_ok("[archbook.rules]\nfront-matter = \"off\"\n");
        assert!(found[0].message.contains("cannot be changed"));
    }
}
