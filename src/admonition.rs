//! Admonitions written for the mdBook plugin `mdbook-admonish`, a fenced
//! block whose info string starts with `admonish`:
//!
//! ````markdown
//! ```admonish warning title="Data loss"
//! Back up **first**.
//! ```
//! ````
//!
//! archbook renders them itself (the plugin does not run), as the same
//! callouts as GitHub's `> [!WARNING]` alerts. This module reads the info
//! string and readies the body for a parser of its own ([`body_text`]);
//! `markdown` renders the body and `page` finds its links. Touches nothing
//! else.

/// What an `admonish` info string asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admonition {
    /// The callout's colour class: `note`, `tip`, `important`, `warning` or
    /// `caution` (the five of GitHub's alerts, which the theme styles).
    pub class: &'static str,
    /// The title: as given, else the directive's name (`Warning`); `None`
    /// for `title=""`, which hides it.
    pub title: Option<String>,
    /// `collapsible=true`: shown folded, the title opens it.
    pub collapsible: bool,
}

/// An admonition's body as its own parser reads it, and the footnotes it
/// cites that the page defines. The body is parsed apart from the page, so
/// it is followed by what it uses from the page: the page's link reference
/// definitions (`[label]: url`, copied from `page`, the text the page's
/// parser read) whose label the body mentions, and a placeholder definition
/// (`[^label]: -`) for each note it cites that the page defines (`notes`)
/// and it does not, so the citation is one; whoever renders the body leaves
/// those placeholders out.
pub fn body_text<'b>(
    body: &'b str,
    page: &str,
    references: &pulldown_cmark::RefDefs<'_>,
    notes: &[String],
) -> (std::borrow::Cow<'b, str>, Vec<String>) {
    // Labels match whatever their case; most pages define none.
    let mut lower: Option<String> = None;
    let mut extra = String::new();
    for (label, def) in references.iter() {
        let lower = lower.get_or_insert_with(|| body.to_lowercase());
        if lower.contains(&label.to_lowercase())
            && let Some(text) = page.get(def.span.clone())
        {
            extra.push_str("\n\n");
            extra.push_str(text.trim_end());
        }
    }
    let cited: Vec<String> = notes
        .iter()
        .filter(|l| body.contains(&format!("[^{l}]")) && !body.contains(&format!("[^{l}]:")))
        .cloned()
        .collect();
    for label in &cited {
        extra.push_str(&format!("\n\n[^{label}]: -"));
    }
    let text = if extra.is_empty() {
        body.into()
    } else {
        format!("{body}\n{extra}\n").into()
    };
    (text, cited)
}

/// The directives of `mdbook-admonish` and their aliases, by callout class.
const CLASSES: &[(&str, &[&str])] = &[
    (
        "note",
        &[
            "note", "abstract", "summary", "tldr", "info", "todo", "question", "help", "faq",
            "example", "quote", "cite",
        ],
    ),
    ("tip", &["tip", "hint", "success", "check", "done"]),
    ("important", &["important"]),
    ("warning", &["warning", "caution", "attention"]),
    (
        "caution",
        &["failure", "fail", "missing", "danger", "error", "bug"],
    ),
];

/// Reads a fence's info string; `None` unless it is an `admonish` block.
pub fn parse(info: &str) -> Option<Admonition> {
    let rest = info.trim().strip_prefix("admonish")?;
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let mut directive = "note".to_string();
    let mut title = None;
    let mut collapsible = false;
    for (key, value) in words(rest) {
        match (key.as_str(), value) {
            ("title", Some(v)) => title = Some(v),
            ("collapsible", Some(v)) => collapsible = v == "true",
            (word, None) if !word.is_empty() => directive = word.to_ascii_lowercase(),
            _ => {}
        }
    }
    let class = CLASSES
        .iter()
        .find(|(_, names)| names.contains(&directive.as_str()))
        .map_or("note", |(class, _)| class);
    let title = match title {
        Some(t) if t.is_empty() => None,
        Some(t) => Some(t),
        None => Some(capitalised(&directive)),
    };
    Some(Admonition {
        class,
        title,
        collapsible,
    })
}

/// The words of an info string: `key=value` pairs (a value may be quoted and
/// hold spaces) and bare words, as `(word, None)`.
fn words(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return out;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        if chars.next_if_eq(&'=').is_none() {
            out.push((key, None));
            continue;
        }
        let mut value = String::new();
        if let Some(quote) = chars.next_if(|c| *c == '"' || *c == '\'') {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    c if c == quote => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                value.push(c);
            }
        }
        out.push((key, Some(value)));
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_get_what_they_use_of_the_page() {
        let page = "Text.\n\n[Guide]: guide.md\n\n[other]: other.md\n\n[^n]: A note.\n";
        let parser =
            pulldown_cmark::Parser::new_ext(page, pulldown_cmark::Options::ENABLE_FOOTNOTES);
        let refs = parser.reference_definitions();
        let notes = ["n".to_string(), "m".to_string()];
        // A body that uses nothing of the page is read as it is, uncopied.
        let (plain, cited) = body_text("Just text.\n", page, refs, &notes);
        assert!(matches!(plain, std::borrow::Cow::Borrowed(_)));
        assert!(cited.is_empty());
        // The definitions it mentions (whatever their case) and the notes it
        // cites but does not define come after it.
        let body = "See [the guide][guide], note[^n] and own[^m].\n\n[^m]: Own.\n";
        let (text, cited) = body_text(body, page, refs, &notes);
        assert_eq!(text, format!("{body}\n\n\n[Guide]: guide.md\n\n[^n]: -\n"));
        assert_eq!(cited, ["n"]);
    }

    #[test]
    fn info_strings_of_mdbook_admonish() {
        assert_eq!(
            parse("admonish"),
            Some(Admonition {
                class: "note",
                title: Some("Note".into()),
                collapsible: false
            })
        );
        let a = parse(r#"admonish danger title="Data \"loss\" ahead" collapsible=true"#).unwrap();
        assert_eq!(
            (a.class, a.title.as_deref(), a.collapsible),
            ("caution", Some("Data \"loss\" ahead"), true)
        );
        let a = parse("admonish Success title=''").unwrap();
        assert_eq!((a.class, a.title), ("tip", None));
        // An unknown directive is a note with that name.
        assert_eq!(
            parse("admonish custom").unwrap().title.as_deref(),
            Some("Custom")
        );
        assert_eq!(parse("admonishment"), None);
        assert_eq!(parse("rust"), None);
    }
}
