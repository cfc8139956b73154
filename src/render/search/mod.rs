//! The offline search index: one entry per page section, an inverted index
//! from words to sections, written as a script (`search-index.js`) so it loads
//! from `file://` as well as from a server. The theme loads it on first use.
//!
//! To stay small (under a third of the source text), it stores no body
//! text: only each section's URL, heading and page title, and for each word
//! the sections holding it, delta-encoded in base 36. Fed by `render`.
//!
//! Words are indexed by their stems, so "patches" finds "patch": for an
//! English handbook (`language` `en…`) with the Snowball English (Porter2)
//! stemmer, which the browser runs too (`porter2.js`, written beside the
//! index as `search-stem.js`); for other languages only a plural `s` is
//! taken off.
//!
//! `words` splits, filters and stems a text into a section's words; result
//! snippets come from excerpt files written beside the index
//! ([`SearchIndex::excerpt_files`]).

use std::fmt::Write;

use rayon::prelude::*;

use crate::content::page::Page;
use crate::render::markdown::Rendered;
use crate::slug;

mod words;
use words::*;

/// How words are cut to their stems, here and in the browser.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stemming {
    /// Snowball English (Porter2).
    #[default]
    English,
    /// A final plural `s` taken off (`servers` → `server`).
    Plural,
}

impl Stemming {
    /// The stemming for a handbook's `language`.
    pub fn for_language(language: &str) -> Stemming {
        let l = language.trim().to_ascii_lowercase();
        if l.is_empty() || l == "en" || l.starts_with("en-") || l.starts_with("en_") {
            Stemming::English
        } else {
            Stemming::Plural
        }
    }

    /// A lower-case word's stem.
    pub fn stem<'w>(self, word: &'w str) -> std::borrow::Cow<'w, str> {
        static ENGLISH: std::sync::LazyLock<rust_stemmers::Stemmer> =
            std::sync::LazyLock::new(|| {
                rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English)
            });
        match self {
            Stemming::English => ENGLISH.stem(word),
            Stemming::Plural => std::borrow::Cow::Borrowed(plural_stem(word)),
        }
    }
}

/// A page as the index lists it.
#[derive(Debug, Default, Clone, PartialEq)]
struct PageEntry {
    /// Its address without `.html`, as a link (`roles/ops`).
    url: String,
    title: String,
}

/// A page's documents and their words, ready to be added to the index.
#[derive(Debug, Default, Clone)]
pub struct Prepared {
    /// The page's entry in the index.
    page: PageEntry,
    /// One document per section.
    sections: Vec<Document>,
}

/// A section as the index keeps it.
#[derive(Debug, Default, Clone)]
struct Document {
    /// Its anchor as the index writes it (see [`short_anchor`]).
    anchor: String,
    /// Its heading; empty for the top of the page.
    heading: String,
    /// Its distinct words.
    words: Terms,
    /// The start of its text, for result snippets.
    excerpt: String,
}

impl Prepared {
    /// Adds a section of `heading` at `anchor` (both empty for the top of
    /// the page) holding the words `words` gathered since the last one.
    fn push(&mut self, words: &mut Words, anchor: &str, heading: &str, text: &str) {
        self.sections.push(Document {
            anchor: short_anchor(anchor, heading),
            heading: heading.to_string(),
            words: words.take(),
            excerpt: excerpt(text),
        });
    }
}

/// A section's anchor as the index writes it: `-` for the heading's own
/// slug, `-P` for `P-` and the slug (`-area` for `area-design--vision`
/// under "Design & Vision"), else the anchor itself.
fn short_anchor(anchor: &str, heading: &str) -> String {
    if !heading.is_ascii() || anchor.is_empty() {
        return anchor.to_string();
    }
    let slug = slug::anchor(heading);
    match anchor.strip_suffix(slug.as_str()) {
        Some("") => "-".to_string(),
        Some(prefix) if prefix.ends_with('-') && !prefix[..prefix.len() - 1].contains('-') => {
            format!("-{}", &prefix[..prefix.len() - 1])
        }
        _ => anchor.to_string(),
    }
}

/// How much of a section's text is kept for its result snippet (bytes,
/// cut at a character's end): the snippet shows the first match in it.
const EXCERPT_BYTES: usize = 1000;

/// How large a file of excerpts grows before the next begins (bytes).
const EXCERPT_FILE_BYTES: usize = 64 * 1024;

/// The start of `text`, at most [`EXCERPT_BYTES`], with runs of ASCII spaces
/// made one and spaces before punctuation (left where inline markup ended)
/// taken out.
fn excerpt(text: &str) -> String {
    let mut end = text.len().min(EXCERPT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end);
    for word in text[..end].split_ascii_whitespace() {
        let punctuation = word
            .bytes()
            .all(|b| matches!(b, b',' | b'.' | b';' | b':' | b'!' | b'?' | b')'));
        if !out.is_empty() && !punctuation {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A section's distinct index words: those of up to 16 bytes packed into
/// numbers (see [`pack`]), which is nearly all of them, and the longer ones.
#[derive(Debug, Default, Clone)]
struct Terms {
    short: Vec<u128>,
    long: Vec<String>,
}

impl Prepared {
    /// Splits a rendered page into documents (one per section), each with
    /// its distinct index words.
    pub fn new(page: &Page, rendered: &Rendered, fields: &[&str], stemming: Stemming) -> Prepared {
        thread_local! {
            // Kept from page to page: its sets are already grown, and the
            // stems it has worked out are kept.
            static WORDS: std::cell::RefCell<Words> = Default::default();
        }
        WORDS.with(|words| {
            let mut words = words.borrow_mut();
            words.set_stemming(stemming);
            Prepared::with(page, rendered, fields, &mut words)
        })
    }

    fn with(page: &Page, rendered: &Rendered, fields: &[&str], words: &mut Words) -> Prepared {
        // A link (`a#b` → `a%23b`): the theme puts it into an `href`.
        let url =
            slug::href(page.output.strip_suffix(".html").unwrap_or(&page.output)).into_owned();
        let mut prepared = Prepared {
            page: PageEntry {
                url,
                title: page.title.clone(),
            },
            sections: Vec::with_capacity(rendered.sections.len()),
        };
        for (n, s) in rendered.sections.iter().enumerate() {
            words.add(&s.heading);
            words.add(&s.text);
            if n > 0 {
                prepared.push(words, &s.anchor, &s.heading, &s.text);
                continue;
            }
            words.add(&page.title);
            for f in fields {
                words.add(f);
            }
            // A page that opens with its fact box: its summary stands in
            // for the text of its top.
            let text = match s.text.trim() {
                "" => fields.first().copied().unwrap_or_default(),
                _ => &s.text,
            };
            if s.anchor.is_empty() || s.heading == page.title {
                prepared.push(words, "", "", text);
            } else {
                prepared.push(words, &s.anchor, &s.heading, text);
            }
        }
        prepared
    }

    /// A generated page's documents: (anchor, heading, text) per section,
    /// found as a page's are (an empty anchor and heading: its top).
    pub fn view(
        url: &str,
        title: &str,
        sections: &[(String, String, String)],
        stemming: Stemming,
    ) -> Prepared {
        let mut words = Words::default();
        words.set_stemming(stemming);
        let mut prepared = Prepared {
            page: PageEntry {
                url: url.strip_suffix(".html").unwrap_or(url).to_string(),
                title: title.to_string(),
            },
            sections: Vec::with_capacity(sections.len()),
        };
        for (n, (anchor, heading, text)) in sections.iter().enumerate() {
            words.add(heading);
            words.add(text);
            if n == 0 {
                words.add(title);
            }
            prepared.push(&mut words, anchor, heading, text);
        }
        prepared
    }
}

/// The index being built.
#[derive(Debug, Default)]
pub struct SearchIndex {
    pages: Vec<PageEntry>,
    docs: Vec<(u32, String, String)>,
    /// Each document's excerpt, for snippets (written apart from the index).
    excerpts: Vec<String>,
    /// Each word's documents: words of up to 16 bytes by [`pack`]ed number.
    terms: rustc_hash::FxHashMap<u128, Vec<u32>>,
    long_terms: rustc_hash::FxHashMap<String, Vec<u32>>,
    /// How its words were stemmed (the browser must stem queries alike).
    stemming: Stemming,
}

/// The Porter2 stemmer for the browser, written as `search-stem.js` beside
/// the index of an English handbook.
pub const PORTER2_JS: &str = include_str!("porter2.js");

impl SearchIndex {
    /// An empty index whose pages are stemmed with `stemming`.
    pub fn new(stemming: Stemming) -> SearchIndex {
        SearchIndex {
            stemming,
            ..SearchIndex::default()
        }
    }

    /// Adds a page: one document per section. `fields` are model texts
    /// (summary, mantra, focus, area) searched with the page's top section.
    pub fn add(&mut self, page: &Page, rendered: &Rendered, fields: &[&str]) {
        self.push_ref(&Prepared::new(page, rendered, fields, self.stemming));
    }

    /// Adds a page prepared by [`Prepared::new`], keeping it for later use.
    pub fn push_ref(&mut self, prepared: &Prepared) {
        let page = self.pages.len() as u32;
        self.pages.push(prepared.page.clone());
        for Document {
            anchor,
            heading,
            words,
            excerpt,
        } in &prepared.sections
        {
            let id = self.docs.len() as u32;
            self.docs.push((page, anchor.clone(), heading.clone()));
            self.excerpts.push(excerpt.clone());
            for &w in &words.short {
                self.terms.entry(w).or_default().push(id);
            }
            for w in &words.long {
                match self.long_terms.get_mut(w) {
                    Some(ids) => ids.push(id),
                    None => {
                        self.long_terms.insert(w.clone(), vec![id]);
                    }
                }
            }
        }
    }

    /// The index as a script defining `window.archbookSearchIndex`:
    /// `pages` ([characters shared with the previous page's URL, the rest of
    /// the URL without `.html`, title]), `docs` ([page, anchor,
    /// heading]; an empty heading is the top of the page, an anchor `-` is the
    /// heading's own slug and `-P` is `P-` and that slug) and `terms`: `;`-separated entries
    /// `<shared><suffix>:<ids>`, where `<shared>` (one base-36 digit) is how
    /// many leading letters the word shares with the previous one, and ids are
    /// base-36 gaps between document numbers; `text` (when there is more
    /// than one excerpt file) lists the first document of each after the
    /// first (see
    /// [`SearchIndex::excerpt_files`]).
    pub fn to_js(&self) -> String {
        // The three parts are independent: built side by side.
        let (terms, (pages, docs)) = rayon::join(
            || self.terms_js(),
            || {
                rayon::join(
                    || self.pages_js(),
                    || serde_json::to_string(&self.docs).unwrap_or_else(|_| "[]".into()),
                )
            },
        );
        // `terms` holds only letters, digits and `;:,` (words are runs of
        // letters and digits), none of which JSON escapes: it is quoted as it is.
        let mut js = String::with_capacity(terms.len() + pages.len() + docs.len() + 64);
        let stem = match self.stemming {
            Stemming::English => "porter2",
            Stemming::Plural => "plural",
        };
        js.push_str("window.archbookSearchIndex = {\"stem\":\"");
        js.push_str(stem);
        js.push_str("\",\"pages\":");
        js.push_str(&pages);
        js.push_str(",\"docs\":");
        js.push_str(&docs);
        let starts: Vec<u32> = self
            .excerpt_runs()
            .iter()
            .skip(1)
            .map(|r| r.start as u32)
            .collect();
        if !starts.is_empty() {
            js.push_str(",\"text\":");
            js.push_str(&serde_json::to_string(&starts).unwrap_or_else(|_| "[]".into()));
        }
        js.push_str(",\"terms\":\"");
        js.push_str(&terms);
        js.push_str("\"};\n");
        js
    }

    /// The documents of each excerpt file: runs of documents whose
    /// excerpts reach [`EXCERPT_FILE_BYTES`] (the last may be smaller).
    fn excerpt_runs(&self) -> Vec<std::ops::Range<usize>> {
        let mut runs = Vec::new();
        let (mut start, mut bytes) = (0, 0);
        for (i, e) in self.excerpts.iter().enumerate() {
            bytes += e.len() + 3;
            if bytes >= EXCERPT_FILE_BYTES {
                runs.push(start..i + 1);
                (start, bytes) = (i + 1, 0);
            }
        }
        if start < self.excerpts.len() || runs.is_empty() {
            runs.push(start..self.excerpts.len());
        }
        runs
    }

    /// The excerpt files, `search-text-N.js` for N from 0: each calls
    /// `window.archbookSearchText(N, [excerpt, ...])`, the excerpts of its
    /// run of documents in order. The theme loads only those of the
    /// results it shows, for their snippets; the index itself holds no text.
    pub fn excerpt_files(&self) -> Vec<(String, String)> {
        self.excerpt_runs()
            .into_par_iter()
            .enumerate()
            .map(|(n, run)| {
                let texts =
                    serde_json::to_string(&self.excerpts[run]).unwrap_or_else(|_| "[]".into());
                (
                    format!("search-text-{n}.js"),
                    format!(
                        "window.archbookSearchText && window.archbookSearchText({n}, {texts});\n"
                    ),
                )
            })
            .collect()
    }

    /// The `terms` string (before JSON quoting): see [`SearchIndex::to_js`].
    fn terms_js(&self) -> String {
        let short: Vec<(String, &[u32])> = self
            .terms
            .iter()
            .map(|(&w, ids)| (unpack(w), ids.as_slice()))
            .collect();
        let mut sorted: Vec<(&str, &[u32])> = short
            .iter()
            .map(|(w, ids)| (w.as_str(), *ids))
            .chain(
                self.long_terms
                    .iter()
                    .map(|(w, ids)| (w.as_str(), ids.as_slice())),
            )
            .collect();
        sorted.sort_unstable_by_key(|(w, _)| *w);
        // An entry depends only on its own word and ids and on the word
        // before it, so runs of entries are encoded side by side.
        let chunk = (sorted.len() / 16).max(64);
        let parts: Vec<String> = sorted
            .par_chunks(chunk)
            .enumerate()
            .map(|(c, entries)| {
                let mut prev = if c == 0 { "" } else { sorted[c * chunk - 1].0 };
                let mut out = String::new();
                for &(word, ids) in entries {
                    if !out.is_empty() {
                        out.push(';');
                    }
                    let (shared, rest) = front_coded(prev, word, 35);
                    // Most gaps take one digit: room for the whole entry at once.
                    out.reserve(word.len() + 4 + 2 * ids.len());
                    write_base36(&mut out, shared as u32);
                    out.push_str(rest);
                    out.push(':');
                    let mut last = 0;
                    for (i, &id) in ids.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        write_base36(&mut out, id - last);
                        last = id;
                    }
                    prev = word;
                }
                out
            })
            .collect();
        parts.join(";")
    }

    /// The `pages` array as JSON: page URLs front-coded, [shared with the
    /// previous URL, rest, title].
    fn pages_js(&self) -> String {
        let mut prev_url: &str = "";
        let pages: Vec<(usize, &str, &str)> = self
            .pages
            .iter()
            .map(|PageEntry { url, title }| {
                let (shared, rest) = front_coded(prev_url, url, usize::MAX);
                prev_url = url;
                (shared, rest, title.as_str())
            })
            .collect();
        serde_json::to_string(&pages).unwrap_or_else(|_| "[]".into())
    }
}

/// Front coding: how many leading characters `word` shares with `prev` (at
/// most `max`), and the rest of `word` after them.
fn front_coded<'w>(prev: &str, word: &'w str, max: usize) -> (usize, &'w str) {
    let shared = prev
        .chars()
        .zip(word.chars())
        .take_while(|(a, b)| a == b)
        .count()
        .min(max);
    let cut = word
        .char_indices()
        .nth(shared)
        .map_or(word.len(), |(i, _)| i);
    (shared, &word[cut..])
}

fn write_base36(out: &mut String, mut n: u32) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n < 36 {
        // Most gaps between document numbers: one digit.
        out.push(DIGITS[n as usize] as char);
        return;
    }
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

    #[test]
    fn tokens_split_like_the_theme() {
        for text in [
            "",
            "a",
            "Hello, wörld! x2 ña_b  -- 𝔘nicode ends",
            "  lead and trail  ",
            "ü",
            "a\u{300}b",
        ] {
            let want: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(
                tokens(text).map(|(w, _)| w).collect::<Vec<_>>(),
                want,
                "{text:?}"
            );
            for (w, plain) in tokens(text) {
                assert_eq!(
                    plain,
                    w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                    "{w:?}"
                );
            }
        }
    }
    proptest::proptest! {
        #[test]
        fn tokens_split_like_the_theme_on_any_text(text in "(?s).{0,64}") {
            let want: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let got: Vec<&str> = tokens(&text).map(|(w, _)| w).collect();
            proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn plain_runs_are_measured_exactly(text in "[a-z0-9`{/:@\\[ A-Z\u{80}-\u{ff}é\n]{0,80}") {
            // Every byte that borders the two ranges, in runs long enough
            // to be read eight bytes at a time.
            let bytes = text.as_bytes();
            for start in 0..bytes.len() {
                let want = bytes[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                    .count();
                proptest::prop_assert_eq!(plain_run(&bytes[start..]), want);
            }
        }
    }

    use crate::render::markdown;
    use crate::vocab::Alphabet;

    #[test]
    fn sections_words_and_fields_are_indexed() {
        let text = "---\nkind: role\nmantra: Today everything works\n---\n# Ops\n\nRuns servers.\n\n## Incident handling\n\nThe night shift.\n";
        let (p, _) = crate::content::parse(0, "roles/ops.md", text, Alphabet::Raci);
        let r = markdown::render(
            &p,
            &text[p.body_offset..],
            Alphabet::Raci.into(),
            &Default::default(),
            &Default::default(),
        );
        let mut idx = SearchIndex::default();
        idx.add(&p, &r, &["Today everything works"]);
        assert_eq!(
            idx.pages[0],
            PageEntry {
                url: "roles/ops".into(),
                title: "Ops".into()
            }
        );
        assert_eq!(idx.docs[0], (0, String::new(), String::new()));
        assert_eq!(
            idx.docs[1],
            (0, "-".to_string(), "Incident handling".into())
        );
        // Words by their Porter2 stems: "servers" and "server" are one.
        assert_eq!(idx.ids("server"), Some(&vec![0]));
        assert_eq!(idx.ids("servers"), None);
        assert_eq!(idx.ids("everyth"), Some(&vec![0]));
        assert_eq!(idx.ids("night"), Some(&vec![1]));
        assert_eq!(idx.ids("the"), None);
        let js = idx.to_js();
        assert!(
            js.starts_with("window.archbookSearchIndex = {\"stem\":\"porter2\",\"pages\":[[0,\"roles/ops\",\"Ops\"]],\"docs\":[[0,\"\",\"\"],"),
            "{js}"
        );
        // Front-coded: "incid" shares nothing with "handl"; "night" after "incid".
        assert!(js.contains("0handl:1;0incid:1;"), "{js}");
        // Another language: plurals only, and no stemmer in the script.
        let mut other = SearchIndex::new(Stemming::Plural);
        other.add(&p, &r, &["Today everything works"]);
        assert_eq!(other.ids("everything"), Some(&vec![0]));
        assert!(
            other
                .to_js()
                .starts_with("window.archbookSearchIndex = {\"stem\":\"plural\",")
        );
    }

    /// The index's stems are the browser's: `tests/fixtures/stems.tsv` holds
    /// every word of the example handbook, the guide and the Rust book with
    /// its stem from the theme's `porter2.js` (the browser test checks that
    /// file against the script).
    #[test]
    fn english_stems_are_the_browsers() {
        let pairs = include_str!("../../../tests/fixtures/stems.tsv");
        let mut differ = Vec::new();
        for line in pairs.lines() {
            let (word, stem) = line.split_once('\t').unwrap();
            let ours = Stemming::English.stem(word);
            if ours != stem {
                differ.push(format!("{word}: {ours} here, {stem} in the browser"));
            }
        }
        assert!(
            differ.is_empty(),
            "{} differ:\n{}",
            differ.len(),
            differ.join("\n")
        );
        assert!(pairs.lines().count() > 5000);
        assert_eq!(Stemming::for_language("en-GB"), Stemming::English);
        assert_eq!(Stemming::for_language("de"), Stemming::Plural);
    }

    #[test]
    fn stop_words_are_sorted_and_short() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| w.len() <= STOP_MAX));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        for word in [
            "", "a", "th", "thee", "there's", "abouts", "yours", "x\u{0}",
        ] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn terms_decode_to_every_word_and_its_documents() {
        // Enough words for the terms to be encoded in several runs side by
        // side, with shared prefixes across the runs' seams.
        let mut idx = SearchIndex::new(Stemming::Plural);
        let mut want: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for n in 0..1000u32 {
            // Words of up to 16 bytes and longer ones are kept apart until
            // the terms are written: both, with prefixes shared across.
            let long = if n % 5 == 0 {
                "-and-some-more-letters"
            } else {
                ""
            };
            let word = format!("w{:03}{}{long}", n % 400, if n % 7 == 0 { "ü" } else { "" });
            let ids = want.entry(word.clone()).or_default();
            ids.push(n * 3);
            ids.push(n * 3 + 40);
        }
        for (w, ids) in &want {
            if w.len() <= 16 {
                idx.terms.insert(pack(w), ids.clone());
            } else {
                idx.long_terms.insert(w.clone(), ids.clone());
            }
        }
        let js = idx.to_js();
        let json = js
            .strip_prefix("window.archbookSearchIndex = ")
            .and_then(|j| j.strip_suffix(";\n"))
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let terms = value["terms"].as_str().unwrap();
        let mut got: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        let mut prev = String::new();
        for entry in terms.split(';') {
            let (head, ids) = entry.split_once(':').unwrap();
            let shared = u32::from_str_radix(&head[..1], 36).unwrap() as usize;
            let word: String = prev.chars().take(shared).chain(head[1..].chars()).collect();
            let mut last = 0;
            let ids = ids
                .split(',')
                .map(|g| {
                    last += u32::from_str_radix(g, 36).unwrap();
                    last
                })
                .collect();
            got.insert(word.clone(), ids);
            prev = word;
        }
        assert_eq!(got, want);
    }

    impl SearchIndex {
        /// The documents holding `word`.
        fn ids(&self, word: &str) -> Option<&Vec<u32>> {
            if word.len() <= 16 {
                self.terms.get(&pack(word))
            } else {
                self.long_terms.get(word)
            }
        }
    }

    #[test]
    fn words_pack_into_numbers_and_back() {
        let words = [
            "",
            "a",
            "ab",
            "b",
            "zz9",
            "émigré",
            "0123456789abcdef",
            "aé",
        ];
        for w in words {
            assert_eq!(unpack(pack(w)), w);
        }
        let mut packed: Vec<u128> = words.iter().map(|w| pack(w)).collect();
        packed.sort_unstable();
        packed.dedup();
        assert_eq!(packed.len(), words.len());
    }

    #[test]
    fn words_read_from_the_text_pack_as_words_alone_do() {
        // Words followed by 16 bytes of text are packed from the text, the
        // last ones from a copy: both must give the word's own number.
        let text = "storage backup0 servers x9 failover-cluster 0123456789abcdef tail";
        let mut words = Words::default();
        words.set_stemming(Stemming::Plural);
        words.add(text);
        // Both as sorted packed numbers.
        let check = |words: &mut Words, want: [&str; 8]| {
            let mut got = words.take().short;
            got.sort_unstable();
            let mut want: Vec<u128> = want.iter().map(|w| pack(w)).collect();
            want.sort_unstable();
            assert_eq!(got, want);
        };
        check(
            &mut words,
            [
                "storage",
                "backup0",
                "server",
                "x9",
                "failover",
                "cluster",
                "0123456789abcdef",
                "tail",
            ],
        );
        // In English, each word's Porter2 stem, packed from the text or not.
        words.set_stemming(Stemming::English);
        words.add(text);
        check(
            &mut words,
            [
                "storag",
                "backup0",
                "server",
                "x9",
                "failov",
                "cluster",
                "0123456789abcdef",
                "tail",
            ],
        );
    }

    #[test]
    fn long_and_capitalised_words_are_indexed_too() {
        let mut words = Words::default();
        words.set_stemming(Stemming::Plural);
        words.add("Électricité supercalifragilisticexpialidocious THE Servers ab x");
        let terms = words.take();
        let mut short: Vec<String> = terms.short.into_iter().map(unpack).collect();
        short.sort();
        assert_eq!(short, ["ab", "server", "électricité"]);
        assert_eq!(terms.long, ["supercalifragilisticexpialidocious"]);
        assert!(words.short.is_empty() && words.long.is_empty());
    }

    #[test]
    fn excerpts_are_tidy_bounded_and_filed_in_runs() {
        assert_eq!(
            excerpt("  An  Architect  does ,  what\nit says ."),
            "An Architect does, what it says."
        );
        let long = "é".repeat(EXCERPT_BYTES);
        let cut = excerpt(&long);
        assert!(cut.len() <= EXCERPT_BYTES && cut.chars().all(|c| c == 'é'));
        // Anchors the theme can rebuild from the heading are written short.
        assert_eq!(short_anchor("design--vision", "Design & Vision"), "-");
        assert_eq!(
            short_anchor("area-design--vision", "Design & Vision"),
            "-area"
        );
        assert_eq!(
            short_anchor("boundary-it-manager", "IT Manager / SDM"),
            "boundary-it-manager"
        );
        assert_eq!(short_anchor("a-b-storage", "Storage"), "a-b-storage");
        assert_eq!(short_anchor("", ""), "");
        // Files of excerpts: each run reaches the size before the next starts,
        // and together they hold every document once, in order.
        let mut index = SearchIndex::new(Stemming::Plural);
        index.excerpts = (0..200)
            .map(|i| format!("{i} {}", "x".repeat(1000)))
            .collect();
        let runs = index.excerpt_runs();
        assert!(runs.len() > 2);
        assert_eq!(runs[0].start, 0);
        assert_eq!(runs.last().unwrap().end, 200);
        assert!(runs.windows(2).all(|w| w[0].end == w[1].start));
        let files = index.excerpt_files();
        assert_eq!(files.len(), runs.len());
        assert_eq!(files[1].0, "search-text-1.js");
        let second = &files[1].1;
        assert!(
            second.starts_with("window.archbookSearchText && window.archbookSearchText(1, [\"")
        );
        assert!(second.contains(&format!("\"{} x", runs[1].start)));
        let js = index.to_js();
        let starts: Vec<String> = runs[1..].iter().map(|r| r.start.to_string()).collect();
        assert!(
            js.contains(&format!("\"text\":[{}]", starts.join(","))),
            "{js}"
        );
        // One file: no `text` key.
        assert!(
            !SearchIndex::new(Stemming::Plural)
                .to_js()
                .contains("\"text\"")
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
