//! Admonitions written for the mdBook plugin `mdbook-admonish`, a fenced
//! block whose info string starts with `admonish`:
//!
//! ````markdown
//! ```admonish warning title="Data *loss*", id="backup", class="wide"
//! Back up **first**.
//! ```
//! ````
//!
//! archbook renders them itself (the plugin does not run), as the same
//! callouts as GitHub's `> [!WARNING]` alerts, with the plugin's ids
//! (`admonition-data-loss`, so links to them keep working) and classes
//! (`admonish-warning`, so a book's own styles still apply). This module
//! reads the info string in each of the plugin's three syntaxes, the
//! `[preprocessor.admonish]` settings of `book.toml` (read by `config`), and
//! readies the body for a parser of its own ([`body_text`]); `markdown`
//! renders the block and `scan` finds its links and anchor. Touches nothing
//! else.

pub use crate::config::admonish::{Custom, DEFAULT, Settings, is_colour};

/// What an `admonish` info string asks for, with the book's settings
/// applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admonition {
    /// The directive it resolves to: the first name of a built-in one
    /// (`warning` for `caution`) or a custom one's name. The block gets the
    /// class `admonish-<directive>`, as the plugin gives it.
    pub directive: String,
    /// The callout's colour class: `note`, `tip`, `important`, `warning` or
    /// `caution` (the five of GitHub's alerts, which the theme styles).
    pub class: &'static str,
    /// The title, as Markdown: as given, else the book's default, else the
    /// directive's (`Warning`); `None` for `title=""`, which hides it.
    pub title: Option<String>,
    /// `collapsible=true`: shown folded, the title opens it.
    pub collapsible: bool,
    /// `id="…"`: the block's id as written (else one is made from the
    /// title, see [`Admonition::anchor_base`]).
    pub id: Option<String>,
    /// `class="a b"` (or the plugin's first syntax, `note.a.b`): classes
    /// added to the block.
    pub classes: Vec<String>,
    /// A custom directive's colour (`#24ab38`), when it has one.
    pub color: Option<String>,
}

impl Admonition {
    /// The block's id when it gives one (`Ok`), else the id to make unique
    /// on the page (`Err`): the prefix (`admonition-`) and the title as
    /// mdBook makes an id of it (tags left out; `default` for no title).
    pub fn anchor_base(&self, settings: &Settings) -> Result<String, String> {
        if let Some(id) = &self.id {
            return Ok(id.clone());
        }
        let words = match self.title.as_deref() {
            Some(t) if !t.trim().is_empty() => crate::slug::anchor(&without_tags(t)),
            _ => "default".to_string(),
        };
        let prefix = settings.id_prefix.as_deref().unwrap_or("admonition-");
        Err(format!("{prefix}{words}"))
    }
}

/// `text` without its HTML tags, as mdBook reads a title for its id.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
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

/// The built-in directives of `mdbook-admonish`: each one's names (the
/// first is the directive) and the callout class it is drawn with.
const BUILTIN: &[(&[&str], &str)] = &[
    (&["note"], "note"),
    (&["abstract", "summary", "tldr"], "note"),
    (&["info", "todo"], "note"),
    (&["tip", "hint"], "tip"),
    // One of the plugin's `tip` names, drawn as GitHub's IMPORTANT.
    (&["important"], "important"),
    (&["success", "check", "done"], "tip"),
    (&["question", "help", "faq"], "note"),
    (&["warning", "caution", "attention"], "warning"),
    (&["failure", "fail", "missing"], "caution"),
    (&["danger", "error"], "caution"),
    (&["bug"], "caution"),
    (&["example"], "note"),
    (&["quote", "cite"], "note"),
];

/// Reads a fence's info string with the book's `settings`; `None` unless
/// it is an `admonish` block. All three of the plugin's syntaxes are read:
/// `warning.extra "Title"`, `warning title="T" id="x"`, and
/// `warning title="T", id="x"` (also with `type="warning"`).
pub fn parse(info: &str, settings: &Settings) -> Option<Admonition> {
    if !is_block(info) {
        return None;
    }
    let rest = info.trim().strip_prefix("admonish")?;
    let mut name = None;
    let mut title = None;
    let mut collapsible = None;
    let mut id = None;
    let mut classes = Vec::new();
    for word in words(rest) {
        match word {
            Word::Pair(key, value) => match key.as_str() {
                "title" => title = Some(value),
                "type" => name = Some(value.to_ascii_lowercase()),
                "collapsible" => collapsible = Some(value == "true"),
                "id" => id = Some(value).filter(|v| !v.is_empty()),
                "class" => classes.extend(value.split_whitespace().map(str::to_string)),
                _ => {}
            },
            Word::Quoted(text) => title = Some(text),
            Word::Bare(word) if name.is_none() => {
                // The first syntax: `note.extra.classes`.
                let mut parts = word.split('.');
                name = parts.next().map(str::to_ascii_lowercase);
                classes.extend(parts.filter(|c| !c.is_empty()).map(str::to_string));
            }
            Word::Bare(_) => {}
        }
    }
    let name = name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "note".into());
    let custom = settings.custom.iter().find(|c| {
        c.name.eq_ignore_ascii_case(&name)
            || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(&name))
    });
    let (directive, class, own_title, color, own_collapsible) = match custom {
        Some(c) => (
            c.name.clone(),
            "note",
            c.title.clone().unwrap_or_else(|| capitalised(&name)),
            c.color.clone(),
            c.collapsible,
        ),
        None => {
            // An unknown directive is a note, as the plugin draws it.
            let (names, class, title) = match BUILTIN
                .iter()
                .find(|(names, _)| names.contains(&name.as_str()))
            {
                Some((names, class)) => (*names, *class, builtin_title(&name)),
                None => (BUILTIN[0].0, "note", "Note".to_string()),
            };
            let first = if names == ["important"] {
                "tip"
            } else {
                names[0]
            };
            let collapsible = settings
                .builtin
                .iter()
                .find(|(n, _)| n == first)
                .map(|(_, c)| *c);
            (first.to_string(), class, title, None, collapsible)
        }
    };
    let title = match title.or_else(|| settings.title.clone()) {
        Some(t) if t.trim().is_empty() => None,
        Some(t) => Some(t),
        None => Some(own_title),
    };
    Some(Admonition {
        directive,
        class,
        title,
        collapsible: collapsible
            .or(own_collapsible)
            .unwrap_or(settings.collapsible),
        id,
        classes,
        color,
    })
}

/// Whether a fence's info string opens an `admonish` block.
pub fn is_block(info: &str) -> bool {
    info.trim()
        .strip_prefix("admonish")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

/// The plugin's title for a built-in directive named `name`.
fn builtin_title(name: &str) -> String {
    match name {
        "tldr" => "TL;DR".into(),
        "faq" => "FAQ".into(),
        _ => capitalised(name),
    }
}

/// One word of an info string.
#[derive(Debug, PartialEq)]
enum Word {
    /// `key=value` (the value may be quoted and hold spaces).
    Pair(String, String),
    /// A quoted string on its own: the first syntax's title.
    Quoted(String),
    Bare(String),
}

/// The words of an info string. Spaces and commas part them; a quoted
/// value is read as TOML reads a string: `"…"` with backslash escapes,
/// `'…'` as written.
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let apart = |c: &char| c.is_whitespace() || *c == ',';
    loop {
        while chars.next_if(apart).is_some() {}
        let Some(&first) = chars.peek() else {
            return out;
        };
        if first == '"' || first == '\'' {
            out.push(Word::Quoted(quoted(&mut chars)));
            continue;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !apart(c) && *c != '=') {
            key.push(c);
        }
        // `key = value` is TOML too.
        while chars.next_if(|c| *c == ' ').is_some() {}
        if chars.next_if_eq(&'=').is_none() {
            out.push(Word::Bare(key));
            continue;
        }
        while chars.next_if(|c| *c == ' ').is_some() {}
        let value = match chars.peek() {
            Some('"' | '\'') => quoted(&mut chars),
            _ => {
                let mut value = String::new();
                while let Some(c) = chars.next_if(|c| !apart(c)) {
                    value.push(c);
                }
                value
            }
        };
        out.push(Word::Pair(key, value));
    }
}

/// A quoted string, from its opening quote to its closing one.
fn quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let quote = chars.next().unwrap_or('"');
    let mut value = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => match chars.next() {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some(c) => value.push(c),
                None => {}
            },
            c if c == quote => break,
            c => value.push(c),
        }
    }
    value
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
        let plain = |info| parse(info, &DEFAULT);
        assert_eq!(
            plain("admonish"),
            Some(Admonition {
                directive: "note".into(),
                class: "note",
                title: Some("Note".into()),
                collapsible: false,
                id: None,
                classes: Vec::new(),
                color: None,
            })
        );
        let a = plain(r#"admonish danger title="Data \"loss\" ahead" collapsible=true"#).unwrap();
        assert_eq!(
            (
                a.directive.as_str(),
                a.class,
                a.title.as_deref(),
                a.collapsible
            ),
            ("danger", "caution", Some("Data \"loss\" ahead"), true)
        );
        let a = plain("admonish Success title=''").unwrap();
        assert_eq!((a.class, a.title), ("tip", None));
        // An unknown directive is drawn as a note, as the plugin draws it.
        let a = plain("admonish custom").unwrap();
        assert_eq!(
            (a.directive.as_str(), a.title.as_deref()),
            ("note", Some("Note"))
        );
        assert_eq!(plain("admonishment"), None);
        assert_eq!(plain("rust"), None);
        assert_eq!(
            plain("admonish tldr").unwrap().title.as_deref(),
            Some("TL;DR")
        );
    }

    #[test]
    fn the_plugins_three_syntaxes() {
        let plain = |info| parse(info, &DEFAULT).unwrap();
        // First: `directive.class.class "JSON title"`.
        let a = plain(r#"admonish tip.wide.dark "_Referencing_ and <i>more</i>""#);
        assert_eq!(a.directive, "tip");
        assert_eq!(a.classes, ["wide", "dark"]);
        assert_eq!(a.title.as_deref(), Some("_Referencing_ and <i>more</i>"));
        // Second: space-separated pairs.
        let a = plain(r#"admonish title="Custom Title" type="question" id="my-id""#);
        assert_eq!(
            (a.directive.as_str(), a.id.as_deref()),
            ("question", Some("my-id"))
        );
        // Third: TOML inline-table pairs.
        let a = plain(r#"admonish warning title = "T, with comma", class="a b", collapsible=true"#);
        assert_eq!(a.title.as_deref(), Some("T, with comma"));
        assert_eq!((a.classes.len(), a.collapsible), (2, true));
    }

    #[test]
    fn book_settings_and_custom_directives() {
        let settings = Settings {
            title: None,
            collapsible: false,
            id_prefix: Some("callout-".into()),
            builtin: vec![("warning".into(), true)],
            custom: vec![Custom {
                name: "expensive".into(),
                aliases: vec!["money".into()],
                title: Some("Costs money".into()),
                collapsible: None,
                color: Some("#24ab38".into()),
            }],
        };
        let a = parse("admonish money", &settings).unwrap();
        assert_eq!(a.directive, "expensive");
        assert_eq!(a.title.as_deref(), Some("Costs money"));
        assert_eq!(a.color.as_deref(), Some("#24ab38"));
        assert_eq!(a.anchor_base(&settings), Err("callout-costs-money".into()));
        // `caution` is the built-in `warning`, folded by the book's setting.
        assert!(parse("admonish caution", &settings).unwrap().collapsible);
        let a = parse(r#"admonish id="mine""#, &settings).unwrap();
        assert_eq!(a.anchor_base(&settings), Ok("mine".into()));
        let a = parse(r#"admonish title="Data <b>loss</b>!""#, &DEFAULT).unwrap();
        assert_eq!(a.anchor_base(&DEFAULT), Err("admonition-data-loss".into()));
        let a = parse(r#"admonish title="""#, &DEFAULT).unwrap();
        assert_eq!(a.anchor_base(&DEFAULT), Err("admonition-default".into()));
    }
}
