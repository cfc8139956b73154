//! Attributes of the raw HTML written in Markdown, as mdBook books use it:
//! `<a id="old-name"></a>` before a heading keeps an old link target alive,
//! and `<a href="other.md#part">` links like Markdown does.
//!
//! A tolerant scan of tags, not an HTML parser: it reads `name=value`
//! attributes (quoted with `"` or `'`, or bare) of every start tag in a
//! fragment. Used by `page` (anchors and links to check) and `markdown`
//! (`.md` hrefs rewritten to `.html`); depends on nothing of archbook's.

use std::ops::Range;

/// One attribute value: the attribute's name (lower-cased), the value, and
/// where the value sits in the fragment.
#[derive(Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    /// `id`, `href`, ...
    pub name: String,
    /// The value as written (entities are not decoded).
    pub value: &'a str,
    /// Byte range of the value in the fragment.
    pub span: Range<usize>,
}

/// Every attribute of every start tag in `html`.
pub fn attrs(html: &str) -> Vec<Attr<'_>> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]) {
        i += lt + 1;
        // A start tag: `<` then a letter. Comments, end tags, `<!DOCTYPE`
        // and a lone `<` are passed over.
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            if html[i..].starts_with("!--") {
                i = html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            }
            continue;
        }
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"/>".contains(&bytes[i]) {
            i += 1;
        }
        // Attributes up to `>`.
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' || bytes[i] == b'<' {
                break;
            }
            let name_start = i;
            while i < bytes.len() && !b" \t\r\n=>/<".contains(&bytes[i]) {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if bytes.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (start, end) = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = memchr::memchr(q, &bytes[start..]).map_or(bytes.len(), |e| start + e);
                    i = (end + 1).min(bytes.len());
                    (start, end)
                }
                Some(_) => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    (start, i)
                }
                None => break,
            };
            if !name.is_empty() {
                out.push(Attr {
                    name,
                    value: &html[start..end],
                    span: start..end,
                });
            }
        }
    }
    out
}

/// The link targets a fragment defines: its `id`s, and the `name`s of its
/// `<a>` elements (mdBook's books use both).
pub fn anchors(html: &str) -> impl Iterator<Item = &str> {
    attrs(html)
        .into_iter()
        .filter(|a| a.name == "id" || a.name == "name")
        .map(|a| a.value)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_anchors() {
        let html = "<a id=\"old-name\"></a><span name='x' class=y ID=Upper></span><!-- <a id=\"no\"> --><a name=\"\">";
        assert_eq!(
            anchors(html).collect::<Vec<_>>(),
            ["old-name", "x", "Upper"]
        );
        assert_eq!(anchors("a < b and 2<3 </a>").count(), 0);
        assert_eq!(
            anchors("<a id=\"unclosed").collect::<Vec<_>>(),
            ["unclosed"]
        );
    }
}
