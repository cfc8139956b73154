//! Fenced code as HTML: the lines mdBook hides left out, highlighted
//! (or escaped, with its `language-…` class, when highlighting is off).

use super::*;

/// Per fence language, the prefix that marks a hidden line
/// (`[output.html.code.hidelines]`).
pub type Hidelines = std::collections::BTreeMap<String, String>;

/// A code block without the lines mdBook hides: in Rust, a line that is `#`
/// or starts with `# ` (after any indentation; `##` stands for a literal
/// `#`), the setup lines of doc-test style examples; in other languages, a
/// line starting with the prefix given by `hidelines=<prefix>` in the info
/// string, else by `[output.html.code.hidelines]`. (mdBook keeps them behind
/// a button for its playground; archbook runs no code, so they are left out.)
pub fn visible_lines<'c>(
    info: &str,
    code: &'c str,
    hidelines: &Hidelines,
) -> std::borrow::Cow<'c, str> {
    let lang = highlight::fence_token(info);
    let rust = lang == "rust";
    let prefix = if rust {
        None
    } else {
        info.split(|c: char| c.is_whitespace() || c == ',')
            .find_map(|w| w.strip_prefix("hidelines="))
            .or_else(|| hidelines.get(lang).map(String::as_str))
            .filter(|p| !p.is_empty())
    };
    if !rust && prefix.is_none() {
        return code.into();
    }
    let mut out = String::with_capacity(code.len());
    let mut changed = false;
    for line in code.split_inclusive('\n') {
        let text = line.trim_start();
        let indent = &line[..line.len() - text.len()];
        if let Some(prefix) = prefix {
            if text.starts_with(prefix) {
                changed = true;
            } else {
                out.push_str(line);
            }
            continue;
        }
        match text.strip_prefix('#') {
            // `##x` is a line `#x`.
            Some(rest) if rest.starts_with('#') => {
                out.push_str(indent);
                out.push_str(rest);
                changed = true;
            }
            Some(rest) if rest.is_empty() || rest.starts_with([' ', '\n', '\r']) => {
                changed = true;
            }
            _ => out.push_str(line),
        }
    }
    if changed { out.into() } else { code.into() }
}

/// A code block's HTML; with `highlighted`, highlighted (taken from there
/// when it was highlighted ahead).
pub(super) fn code_block(info: &str, code: &str, highlighted: Option<&Highlighted>) -> String {
    let lang = highlight::fence_token(info);
    if lang == "mermaid" {
        return match crate::diagram::draw(code) {
            Ok(svg) => format!("<figure class=\"diagram mermaid\">{svg}</figure>\n"),
            // Where mermaid.js looks for diagrams (as on GitHub and with
            // mdbook-mermaid); without it, the source shows as it is.
            Err(_) => format!("<pre class=\"mermaid\">{}</pre>\n", highlight::escape(code)),
        };
    }
    let language = match highlighted {
        Some(_) => highlight::language(info),
        None => Language::Plain,
    };
    let body: std::borrow::Cow<str> = match language {
        Language::Known(syntax) => match highlighted.and_then(|h| h.get(syntax, code)) {
            Some(html) => html.into(),
            None => highlight::highlight(code, syntax).into(),
        },
        Language::Plain | Language::Unknown => highlight::escape(code).into(),
    };
    let class_attr = if lang.is_empty() {
        String::new()
    } else {
        let mut c = String::from(" class=\"language-");
        pulldown_cmark_escape::escape_html(&mut c, lang).ok();
        c.push('"');
        c
    };
    format!("<pre class=\"code\"><code{class_attr}>{body}</code></pre>\n")
}
