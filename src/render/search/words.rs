//! The index's words: a text split into runs of letters and digits (as the
//! theme's `archbook.js` splits a query), lower-cased, stop words dropped,
//! stemmed, and kept as distinct words per section, short ones packed into
//! numbers. Used by the index builder beside it; touches nothing else.

use super::{Stemming, Terms};

/// Words too common to be worth indexing (kept sorted for reading; looked up
/// as packed numbers by [`is_stop_word`]).
pub(super) const STOP_WORDS: &[&str] = &[
    "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but",
    "by", "can", "do", "does", "each", "for", "from", "had", "has", "have", "he", "her", "his",
    "how", "if", "in", "into", "is", "it", "its", "may", "more", "must", "no", "not", "of", "on",
    "one", "only", "or", "other", "our", "she", "should", "so", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "under", "up",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with",
    "would", "you", "your",
];

/// The longest stop word: longer words skip the stop-word search.
pub(super) const STOP_MAX: usize = 6;
// Stop words are looked up as one `u64` each.
const _: () = assert!(STOP_MAX <= 8);

/// The distinct index words of a text: lower-case runs of two or more letters
/// or digits, without stop words. Must split like the theme's `tokens()` in
/// `archbook.js`.
#[derive(Default)]
pub(super) struct Words {
    /// Each stem of up to 16 bytes seen in the section, by [`pack`]ed
    /// number (found and compared without going back to its bytes).
    pub(super) short: rustc_hash::FxHashSet<u128>,
    /// Longer stems (never stop words).
    pub(super) long: rustc_hash::FxHashSet<String>,
    lower: String,
    /// The stem of each plain word of up to 16 bytes met so far, both
    /// packed (0 for a stop word): a word is stemmed once per thread.
    stems: rustc_hash::FxHashMap<u128, u128>,
    stemming: Stemming,
}

/// A word of at most 16 bytes as a number: its bytes, little-endian and
/// padded with zeros. Words hold no NUL byte, so [`unpack`] finds where a
/// word ends. (Little-endian: a word's first bytes, which tell words apart,
/// land in the low bits that the hash mixes into all of its own.)
pub(super) fn pack(word: &str) -> u128 {
    // Byte by byte: copying a slice of any length into a buffer is a call
    // to `memcpy`, which costs more than the word's few bytes.
    word.bytes()
        .take(16)
        .enumerate()
        .fold(0u128, |v, (i, b)| v | u128::from(b) << (8 * i))
}

/// The low `n` bytes of a number (`n` at most 16): what [`pack`] keeps of
/// 16 bytes read from where a word of `n` bytes starts.
pub(super) fn low_bytes(n: usize) -> u128 {
    u128::MAX
        .checked_shr(8 * (16 - n.min(16)) as u32)
        .unwrap_or(0)
}

/// The word [`pack`] made `packed` from.
pub(super) fn unpack(packed: u128) -> String {
    let bytes = packed.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

impl Words {
    pub(super) fn set_stemming(&mut self, stemming: Stemming) {
        if self.stemming != stemming {
            self.stems.clear();
            self.stemming = stemming;
        }
    }

    pub(super) fn add(&mut self, text: &str) {
        for (w, plain) in tokens(text) {
            if w.len() < 2 || w.len() > 40 {
                continue;
            }
            // Most words are plain lower-case ASCII: taken as they stand,
            // packed straight from the text when 16 bytes follow them, and
            // stemmed once.
            if plain && w.len() <= 16 {
                let at = w.as_ptr() as usize - text.as_ptr() as usize;
                let raw = match text.as_bytes()[at..].first_chunk::<16>() {
                    Some(&window) => u128::from_le_bytes(window) & low_bytes(w.len()),
                    None => pack(w),
                };
                let stem = match self.stems.get(&raw) {
                    Some(&stem) => stem,
                    None => {
                        let stem = if is_stop_word(w) {
                            0
                        } else {
                            pack(&self.stemming.stem(w))
                        };
                        self.stems.insert(raw, stem);
                        stem
                    }
                };
                if stem != 0 {
                    self.short.insert(stem);
                }
                continue;
            }
            if !w.is_ascii() && w.chars().nth(1).is_none() {
                continue;
            }
            let mut lower = std::mem::take(&mut self.lower);
            lower.clear();
            if w.is_ascii() {
                lower.push_str(w);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(w.chars().flat_map(char::to_lowercase));
            }
            if !is_stop_word(&lower) {
                let stem = self.stemming.stem(&lower);
                self.insert(&stem);
            }
            self.lower = lower;
        }
    }

    pub(super) fn insert(&mut self, word: &str) {
        if word.len() <= 16 {
            self.short.insert(pack(word));
        } else if !self.long.contains(word) {
            self.long.insert(word.to_string());
        }
    }

    /// The indexed words; the sets are left empty for the next section.
    pub(super) fn take(&mut self) -> Terms {
        Terms {
            short: self.short.drain().collect(),
            long: self.long.drain().collect(),
        }
    }
}

pub(super) fn is_stop_word(word: &str) -> bool {
    // Stop words are short: each fits in one number, so the lookup compares
    // numbers, not strings (words hold no NUL bytes, so padding is unambiguous).
    fn packed(word: &str) -> u64 {
        let mut bytes = [0u8; 8];
        bytes[..word.len()].copy_from_slice(word.as_bytes());
        u64::from_le_bytes(bytes)
    }
    static KEYS: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
        let mut keys: Vec<u64> = STOP_WORDS.iter().map(|w| packed(w)).collect();
        keys.sort_unstable();
        keys
    });
    word.len() <= STOP_MAX && KEYS.binary_search(&packed(word)).is_ok()
}

/// What a byte is to the tokenizer.
#[derive(Clone, Copy, PartialEq)]
enum Class {
    /// ASCII that is not a letter or digit: ends a word.
    Gap,
    /// `a`–`z` or `0`–`9`.
    Plain,
    /// `A`–`Z`.
    Capital,
    /// Part of a multi-byte character.
    Wide,
}

const CLASSES: [Class; 256] = {
    let mut t = [Class::Gap; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            Class::Wide
        } else if c.is_ascii_lowercase() || c.is_ascii_digit() {
            Class::Plain
        } else if c.is_ascii_uppercase() {
            Class::Capital
        } else {
            Class::Gap
        };
        b += 1;
    }
    t
};

/// The runs of letters and digits of `text`, as `text.split(|c|
/// !c.is_alphanumeric())` yields them (without the empty ones), but looking
/// at ASCII bytes through a table, a class test at a time (a `match` on the
/// class compiled to a jump per byte). Each run comes with whether it is plain:
/// ASCII without capitals, so usable as an index word as it stands.
pub(super) fn tokens(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    // The common bytes, gaps and lower-case letters, take tight loops.
    let class = |i: usize| bytes.get(i).map(|&b| CLASSES[b as usize]);
    std::iter::from_fn(move || {
        // Skip to the start of a word.
        loop {
            while class(i) == Some(Class::Gap) {
                i += 1;
            }
            if class(i)? != Class::Wide {
                break;
            }
            // `i` is on a character boundary: only whole characters are stepped over.
            let c = text[i..].chars().next().unwrap_or(' ');
            if c.is_alphanumeric() {
                break;
            }
            i += c.len_utf8();
        }
        let start = i;
        let mut plain = true;
        loop {
            i += plain_run(&bytes[i..]);
            match class(i) {
                None | Some(Class::Gap) => break,
                Some(Class::Capital) => {
                    plain = false;
                    i += 1;
                }
                _ => {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    if !c.is_alphanumeric() {
                        break;
                    }
                    plain = false;
                    i += c.len_utf8();
                }
            }
        }
        Some((&text[start..i], plain))
    })
}

/// How many bytes `bytes` starts with that are `a`–`z` or `0`–`9`: eight
/// bytes at a time while eight remain (most words end within the first
/// eight), then one at a time.
pub(super) fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte's high bit, set where `lo <= byte <= hi`, for bytes below
    // 0x80 (their low seven bits are added to without carrying over).
    let within = |low7: u64, lo: u8, hi: u8| {
        low7.wrapping_add(ONES * u64::from(0x80 - lo))
            & !low7.wrapping_add(ONES * u64::from(0x7f - hi))
    };
    let mut n = 0;
    while let Some(chunk) = bytes[n..].first_chunk::<8>() {
        let x = u64::from_le_bytes(*chunk);
        let low7 = x & !HIGH;
        let plain = (within(low7, b'a', b'z') | within(low7, b'0', b'9')) & !x & HIGH;
        if plain != HIGH {
            // The first byte that is not: the lowest clear high bit.
            return n + ((!plain & HIGH).trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    while bytes
        .get(n)
        .is_some_and(|&b| CLASSES[b as usize] == Class::Plain)
    {
        n += 1;
    }
    n
}

/// A light plural stemmer (`servers` → `server`), so a word and its plural
/// share one index entry: for handbooks not in English. Must match the
/// plural rule in the theme's `archbook.js`.
pub(super) fn plural_stem(word: &str) -> &str {
    if word.len() > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        &word[..word.len() - 1]
    } else {
        word
    }
}
