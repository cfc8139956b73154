//! Themes: Tera 2 templates and static assets.
//!
//! The default theme (`themes/default/` in the repository) is compiled into the
//! binary. A handbook overrides any file of it by putting a file of the same
//! name under `themes/<name>/` (chosen with `[archbook] theme = "<name>"`),
//! and may add templates and assets of its own. Template errors become
//! findings that name the template file, line and column.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Sources};
use crate::rules::Rule;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $name)))),*]
    };
}

/// The default theme's templates, by name.
pub const TEMPLATES: &[(&str, &str)] = embedded!(
    "base.html",
    "nav.html",
    "page.html",
    "facts.html",
    "home.html",
    "boundary.html",
    "diagram.html",
    "letters-legend.html",
    "dependencies.html",
    "raci.html",
    "changes.html",
    "health.html",
    "layers.html",
    "boundaries.html",
    "kind-index.html",
    "tags.html",
    "decisions.html",
    "print.html",
    "404.html",
    "redirect.html",
);

/// The default theme's assets, written under `assets/`.
pub const ASSETS: &[(&str, &str)] = embedded!("assets/style.css", "assets/archbook.js");

/// A loaded theme.
pub struct Theme {
    /// The compiled templates.
    pub tera: tera::Tera,
    /// Assets to write, by path relative to the output folder.
    pub assets: Vec<(String, Cow<'static, [u8]>)>,
    /// Every template: (name, text, path shown in findings).
    pub templates: Vec<(String, String, String)>,
}

impl Theme {
    /// Loads the default theme with the handbook's overrides from `themes/<name>/`.
    pub fn load(
        root: &Path,
        name: &str,
        sources: &mut Sources,
        found: &mut Vec<Diagnostic>,
    ) -> Option<Theme> {
        let dir = root.join("themes").join(name);
        if name != "default" && !dir.is_dir() {
            found.push(
                Diagnostic::new(Rule::Config, format!("theme `{name}` not found: there is no folder `themes/{name}`"))
                    .help(format!("create `themes/{name}/` with the templates to override, or set `theme = \"default\"`")),
            );
            return None;
        }
        let mut templates: Vec<(String, String, String)> = TEMPLATES
            .iter()
            .map(|(n, t)| {
                (
                    n.to_string(),
                    t.to_string(),
                    format!("<built-in theme>/{n}"),
                )
            })
            .collect();
        let mut assets: Vec<(String, Cow<'static, [u8]>)> = ASSETS
            .iter()
            .map(|(n, t)| (n.to_string(), Cow::Borrowed(t.as_bytes())))
            .collect();
        if dir.is_dir() {
            // A theme's files are the handbook's: confined to its folder.
            let (scope, _) = crate::confine::Scope::new(root, &[]);
            for entry in walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(rel) = entry.path().strip_prefix(&dir) else {
                    continue;
                };
                let rel = rel.to_string_lossy().replace('\\', "/");
                let shown = root.join("themes").join(name).join(&rel);
                let shown = shown
                    .strip_prefix(".")
                    .unwrap_or(&shown)
                    .display()
                    .to_string();
                let bytes = match scope.read(entry.path(), crate::confine::MAX_FILE) {
                    Ok(b) => b,
                    Err(e) => {
                        let rule = if e.is_confinement() {
                            Rule::ReadOutside
                        } else {
                            Rule::Unreadable
                        };
                        found.push(
                            Diagnostic::new(rule, format!("cannot read `{shown}`: {e}"))
                                .help(e.help()),
                        );
                        continue;
                    }
                };
                if rel.starts_with("assets/") {
                    match assets.iter_mut().find(|(n, _)| *n == rel) {
                        Some(slot) => slot.1 = Cow::Owned(bytes),
                        None => assets.push((rel, Cow::Owned(bytes))),
                    }
                } else if rel.ends_with(".html") {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    match templates.iter_mut().find(|(n, _, _)| *n == rel) {
                        Some(slot) => {
                            slot.1 = text;
                            slot.2 = shown;
                        }
                        None => templates.push((rel, text, shown)),
                    }
                }
            }
        }
        let mut tera = tera::Tera::new();
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str())))
        {
            found.push(template_error(&e, &templates, sources));
            return None;
        }
        Some(Theme {
            tera,
            assets,
            templates,
        })
    }
}

/// Turns a Tera error into a finding located in the template's source.
pub fn template_error(
    e: &tera::Error,
    templates: &[(String, String, String)],
    sources: &mut Sources,
) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let Some(report) = report else {
        // Tera gathers some errors (unknown includes, macros, blocks) into one
        // pre-printed message that names templates by their short names:
        // show the file each came from instead.
        let mut message = e.to_string();
        for (name, _, shown) in templates {
            message = message.replace(&format!("--> {name}:"), &format!("--> {shown}:"));
        }
        return Diagnostic::new(Rule::Template, format!("template error: {message}"))
            .help("check the theme's templates: `{% extends %}` and `{% include %}` must name existing templates");
    };
    let name = report.filename();
    let (shown, text) = templates
        .iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, t, s)| (s.clone(), t.clone()))
        .unwrap_or_else(|| (name.to_string(), String::new()));
    let id = sources.add(shown, Arc::from(text.as_str()));
    let span = report.span().range.clone();
    let span = if span.end <= text.len() { span } else { 0..0 };
    let message = report.message();
    let help = misspelled_field(message)
        .map(|near| format!("did you mean `{near}`?"))
        .unwrap_or_else(|| {
            "fix the template; the default theme's templates are a working example of every variable".into()
        });
    Diagnostic::new(Rule::Template, format!("template `{name}`: {message}"))
        .at(id, span, "here")
        .help(help)
}

/// For Tera's "Field `titel` is not defined. Available fields: title, …"
/// (or "Variable `pag` … Available variables: page, …"): the available name
/// nearest to the one written.
fn misspelled_field(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("Field `")
        .or_else(|| message.strip_prefix("Variable `"))?;
    let (wanted, rest) = rest.split_once('`')?;
    let (_, fields) = rest
        .split_once("Available fields: ")
        .or_else(|| rest.split_once("Available variables: "))?;
    crate::diagnostic::did_you_mean(wanted, fields.trim_end_matches('.').split(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_compiles() {
        let mut sources = Sources::default();
        let mut found = Vec::new();
        let theme = Theme::load(Path::new("."), "default", &mut sources, &mut found);
        assert!(found.is_empty(), "{found:?}");
        let theme = theme.unwrap();
        assert!(theme.assets.iter().any(|(n, _)| n == "assets/style.css"));
    }

    #[test]
    fn overrides_replace_templates_and_errors_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("themes/mine");
        std::fs::create_dir_all(t.join("assets")).unwrap();
        std::fs::write(t.join("assets/style.css"), "body{}").unwrap();
        std::fs::write(t.join("page.html"), "{% extends \"base.html\" %}\n{% block content %}{{ page.title }{% endblock content %}\n").unwrap();
        let mut sources = Sources::default();
        let mut found = Vec::new();
        assert!(Theme::load(dir.path(), "mine", &mut sources, &mut found).is_none());
        assert_eq!(found[0].rule, Rule::Template);
        let (loc, _) = found[0].primary.clone().unwrap();
        assert!(
            sources.name(loc.file).ends_with("themes/mine/page.html"),
            "{}",
            sources.name(loc.file)
        );
        assert_eq!(sources.line_col(loc.file, loc.span.start).0, 2);
    }

    #[test]
    fn a_misspelled_field_names_the_one_meant() {
        let m = "Field `titel` is not defined. Available fields: content, id, title, toc";
        assert_eq!(misspelled_field(m), Some("title"));
        assert_eq!(
            misspelled_field("Field `zzz` is not defined. Available fields: id, url"),
            None
        );
        assert_eq!(misspelled_field("Invalid type for the value"), None);
        let m = "Variable `pag` is not defined. Available variables: next, page, prev";
        assert_eq!(misspelled_field(m), Some("page"));
    }

    #[test]
    fn a_missing_theme_folder_is_a_finding() {
        let dir = tempfile::tempdir().unwrap();
        let mut found = Vec::new();
        assert!(Theme::load(dir.path(), "nope", &mut Sources::default(), &mut found).is_none());
        assert!(found[0].message.contains("theme `nope` not found"));
    }
}
