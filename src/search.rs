//! The offline search index: one entry per page section, an inverted index
//! from words to sections, written as a script (`search-index.js`) so it loads
//! from `file://` as well as from a server. The theme loads it on first use.
//!
//! To stay small (well under a third of the source text), it stores no body
//! text: only each section's URL, heading and page title, and for each word
//! the sections holding it, delta-encoded in base 36. Fed by `render`.

use std::collections::HashMap;
use std::fmt::Write;

use crate::markdown::Rendered;
use crate::page::Page;

/// Words too common to be worth indexing.
const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "so", "that", "the", "this", "to", "was", "were", "will",
    "with",
];

/// A page's documents and their words, ready to be added to the index.
#[derive(Debug, Default)]
pub struct Prepared(Vec<([String; 3], Vec<String>)>);

impl Prepared {
    /// Splits a rendered page into documents and sorted, unique words.
    pub fn new(page: &Page, rendered: &Rendered, fields: &[&str]) -> Prepared {
        let mut out = Vec::with_capacity(rendered.sections.len());
        for (n, s) in rendered.sections.iter().enumerate() {
            let doc = if n == 0 && (s.anchor.is_empty() || s.heading == page.title) {
                [page.output.clone(), page.title.clone(), String::new()]
            } else {
                [
                    format!("{}#{}", page.output, s.anchor),
                    s.heading.clone(),
                    page.title.clone(),
                ]
            };
            let mut words = Words::default();
            words.add(&s.heading);
            words.add(&s.text);
            if n == 0 {
                words.add(&page.title);
                for f in fields {
                    words.add(f);
                }
            }
            out.push((doc, words.0.into_iter().collect()));
        }
        Prepared(out)
    }
}

/// The index being built.
#[derive(Debug, Default)]
pub struct SearchIndex {
    docs: Vec<[String; 3]>,
    terms: HashMap<String, Vec<u32>>,
}

impl SearchIndex {
    /// Adds a page: one document per section. `fields` are model texts
    /// (summary, mantra, focus, area) searched with the page's top section.
    pub fn add(&mut self, page: &Page, rendered: &Rendered, fields: &[&str]) {
        self.push(Prepared::new(page, rendered, fields));
    }

    /// Adds a page prepared (possibly on another thread) by [`Prepared::new`].
    pub fn push(&mut self, prepared: Prepared) {
        for (doc, words) in prepared.0 {
            let id = self.docs.len() as u32;
            self.docs.push(doc);
            for w in words {
                match self.terms.get_mut(&w) {
                    Some(ids) => ids.push(id),
                    None => {
                        self.terms.insert(w, vec![id]);
                    }
                }
            }
        }
    }

    /// The index as a script defining `window.archbookSearchIndex`.
    pub fn to_js(&self) -> String {
        let mut sorted: Vec<(&String, &Vec<u32>)> = self.terms.iter().collect();
        sorted.sort_unstable_by_key(|(w, _)| *w);
        let mut terms = String::new();
        for (word, ids) in sorted {
            if !terms.is_empty() {
                terms.push(';');
            }
            terms.push_str(word);
            terms.push(':');
            let mut last = 0;
            for (i, &id) in ids.iter().enumerate() {
                if i > 0 {
                    terms.push(',');
                }
                write_base36(&mut terms, id - last);
                last = id;
            }
        }
        let docs = serde_json::to_string(&self.docs).unwrap_or_else(|_| "[]".into());
        let terms = serde_json::to_string(&terms).unwrap_or_else(|_| "\"\"".into());
        format!("window.archbookSearchIndex = {{\"docs\":{docs},\"terms\":{terms}}};\n")
    }
}

/// The distinct index words of a text: lower-case runs of two or more letters
/// or digits, without stop words. Must split like the theme's `tokens()` in
/// `archbook.js`.
#[derive(Default)]
struct Words(std::collections::HashSet<String>);

impl Words {
    fn add(&mut self, text: &str) {
        let mut lower = String::new();
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            if w.len() < 2 || w.len() > 40 || w.chars().nth(1).is_none() {
                continue;
            }
            // Most words are already lower-case: avoid allocating for those.
            let word: &str = if w.chars().any(char::is_uppercase) {
                lower.clear();
                lower.extend(w.chars().flat_map(char::to_lowercase));
                &lower
            } else {
                w
            };
            if !STOP_WORDS.contains(&word) && !self.0.contains(word) {
                self.0.insert(word.to_string());
            }
        }
    }
}

fn write_base36(out: &mut String, mut n: u32) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 8];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.write_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"))
        .ok();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Alphabet;
    use crate::markdown;
    use crate::page;

    #[test]
    fn sections_words_and_fields_are_indexed() {
        let text = "---\nkind: role\nmantra: Today everything works\n---\n# Ops\n\nRuns servers.\n\n## Incident handling\n\nThe night shift.\n";
        let (p, _) = page::parse(0, "roles/ops.md", text, Alphabet::Raci);
        let r = markdown::render(&p, &text[p.body_offset..]);
        let mut idx = SearchIndex::default();
        idx.add(&p, &r, &["Today everything works"]);
        assert_eq!(
            idx.docs[0],
            ["roles/ops.html".to_string(), "Ops".into(), String::new()]
        );
        assert_eq!(
            idx.docs[1],
            [
                "roles/ops.html#incident-handling".to_string(),
                "Incident handling".into(),
                "Ops".into()
            ]
        );
        assert_eq!(idx.terms["servers"], vec![0]);
        assert_eq!(idx.terms["everything"], vec![0]);
        assert_eq!(idx.terms["night"], vec![1]);
        assert!(!idx.terms.contains_key("the"));
        let js = idx.to_js();
        assert!(
            js.starts_with("window.archbookSearchIndex = {\"docs\":[["),
            "{js}"
        );
    }

    #[test]
    fn base36_deltas() {
        let mut s = String::new();
        write_base36(&mut s, 0);
        s.push(',');
        write_base36(&mut s, 35);
        s.push(',');
        write_base36(&mut s, 36 * 36);
        assert_eq!(s, "0,z,100");
    }
}
