//! Times highlighters over the fenced code of real books (`extract.py`),
//! one thread, twice: the first pass includes compiling each grammar's
//! regexes (syntect compiles them lazily) or queries (tree-sitter), the
//! second is warm. Prints time per language, how many blocks each gave up
//! on, and how much of the code's non-blank text it marks up (a proxy for
//! fidelity: text outside any token is shown plain).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

struct Block {
    lang: String,
    code: String,
}

/// Per language: time, bytes, blocks given up on, marked and markable bytes.
#[derive(Default, Clone)]
struct Tally {
    time: Duration,
    bytes: usize,
    blocks: usize,
    gave_up: usize,
    marked: usize,
    text: usize,
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: highlighters blocks.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let blocks: Vec<Block> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|b| Block {
            lang: b["lang"].as_str().unwrap().to_string(),
            code: b["code"].as_str().unwrap().to_string(),
        })
        .collect();
    #[cfg(any(feature = "onig", feature = "fancy"))]
    syntect_run::run(&blocks);
    #[cfg(feature = "tree-sitter")]
    ts::run(&blocks);
}

/// The language family a fence names, for the languages tree-sitter is
/// measured on (`None`: not in the comparison).
fn family(lang: &str) -> Option<&'static str> {
    Some(match lang {
        "rust" | "rs" => "rust",
        "sh" | "bash" | "shell" => "bash",
        "toml" => "toml",
        "javascript" | "js" => "javascript",
        "c" => "c",
        "json" => "json",
        "python" | "py" => "python",
        "html" => "html",
        _ => return None,
    })
}

fn report(engine: &str, pass: &str, tallies: &BTreeMap<String, Tally>) {
    let row = |lang: &str, t: &Tally| {
        println!(
            "{engine:<12} {pass:<5} {lang:<11} {:>5} blocks {:>8} B {:>8.1} ms {:>6.1} MB/s  gave up {:>2}  marked {:>5.1} %",
            t.blocks,
            t.bytes,
            t.time.as_secs_f64() * 1e3,
            t.bytes as f64 / t.time.as_secs_f64() / 1e6,
            t.gave_up,
            100.0 * t.marked as f64 / t.text.max(1) as f64
        )
    };
    let mut all = Tally::default();
    for (lang, t) in tallies {
        row(lang, t);
        all.time += t.time;
        all.bytes += t.bytes;
        all.blocks += t.blocks;
        all.gave_up += t.gave_up;
        all.marked += t.marked;
        all.text += t.text;
    }
    if tallies.len() > 1 {
        row("ALL", &all);
    }
}

#[cfg(any(feature = "onig", feature = "fancy"))]
mod syntect_run {
    use super::*;
    use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};

    const ENGINE: &str = if cfg!(feature = "onig") {
        "syntect-onig"
    } else {
        "syntect-fancy"
    };

    pub fn run(blocks: &[Block]) {
        let start = Instant::now();
        let set: SyntaxSet = syntect::dumps::from_uncompressed_data(include_bytes!(concat!(
            env!("OUT_DIR"),
            "/syntaxes.bin"
        )))
        .unwrap();
        println!(
            "{ENGINE} load {:.1} ms",
            start.elapsed().as_secs_f64() * 1e3
        );
        for pass in ["cold", "warm"] {
            let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
            let mut other = Tally::default();
            for b in blocks {
                // A language of the comparison by its name there (`shell`
                // and `sh` fences are Bash for both), others by the fence.
                let token = family(&b.lang).unwrap_or(&b.lang);
                let Some(syntax) = set.find_syntax_by_token(token) else {
                    continue;
                };
                // Timed: the parse alone, as archbook runs it line by line.
                let t0 = Instant::now();
                let mut state = ParseState::new(syntax);
                let mut lines = Vec::new();
                let mut gave_up = false;
                for line in syntect::util::LinesWithEndings::from(&b.code) {
                    match state.parse_line(line, &set) {
                        Ok(ops) => lines.push((line, ops)),
                        Err(_) => {
                            gave_up = true;
                            break;
                        }
                    }
                }
                let time = t0.elapsed();
                // Not timed: how much of the text is inside a scope that is
                // more than the language's own and its `meta.` regions.
                let mut stack = ScopeStack::new();
                let (mut marked, mut text) = (0, 0);
                for (line, ops) in lines {
                    let mut count = |stack: &ScopeStack, from: usize, upto: usize| {
                        let n = line[from..upto]
                            .bytes()
                            .filter(|c| !c.is_ascii_whitespace())
                            .count();
                        text += n;
                        if stack
                            .as_slice()
                            .iter()
                            .skip(1)
                            .any(|s| !s.build_string().starts_with("meta."))
                        {
                            marked += n;
                        }
                    };
                    let mut at = 0;
                    for (i, op) in ops {
                        count(&stack, at, i);
                        at = i;
                        stack.apply(&op).ok();
                    }
                    count(&stack, at, line.len());
                }
                let tally = match family(&b.lang) {
                    Some(f) => tallies.entry(f.to_string()).or_default(),
                    None => &mut other,
                };
                tally.time += time;
                tally.bytes += b.code.len();
                tally.blocks += 1;
                tally.gave_up += gave_up as usize;
                tally.marked += marked;
                tally.text += text;
            }
            report(ENGINE, pass, &tallies);
            let mut o = BTreeMap::new();
            o.insert("(others)".to_string(), other);
            report(ENGINE, pass, &o);
        }
    }
}

#[cfg(feature = "tree-sitter")]
mod ts {
    use super::*;
    use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

    const NAMES: &[&str] = &[
        "attribute",
        "boolean",
        "character",
        "comment",
        "constant",
        "constant.builtin",
        "constructor",
        "embedded",
        "escape",
        "function",
        "function.builtin",
        "function.macro",
        "function.method",
        "keyword",
        "label",
        "module",
        "number",
        "operator",
        "property",
        "punctuation",
        "punctuation.bracket",
        "punctuation.delimiter",
        "punctuation.special",
        "string",
        "string.special",
        "tag",
        "type",
        "type.builtin",
        "variable",
        "variable.builtin",
        "variable.parameter",
    ];

    fn config(family: &str) -> HighlightConfiguration {
        use tree_sitter_highlight::HighlightConfiguration as C;
        let mut c = match family {
            "rust" => C::new(
                tree_sitter_rust::LANGUAGE.into(),
                "rust",
                tree_sitter_rust::HIGHLIGHTS_QUERY,
                tree_sitter_rust::INJECTIONS_QUERY,
                "",
            ),
            "bash" => C::new(
                tree_sitter_bash::LANGUAGE.into(),
                "bash",
                tree_sitter_bash::HIGHLIGHT_QUERY,
                "",
                "",
            ),
            "toml" => C::new(
                tree_sitter_toml_ng::LANGUAGE.into(),
                "toml",
                tree_sitter_toml_ng::HIGHLIGHTS_QUERY,
                "",
                "",
            ),
            "javascript" => C::new(
                tree_sitter_javascript::LANGUAGE.into(),
                "javascript",
                tree_sitter_javascript::HIGHLIGHT_QUERY,
                tree_sitter_javascript::INJECTIONS_QUERY,
                tree_sitter_javascript::LOCALS_QUERY,
            ),
            "c" => C::new(
                tree_sitter_c::LANGUAGE.into(),
                "c",
                tree_sitter_c::HIGHLIGHT_QUERY,
                "",
                "",
            ),
            "json" => C::new(
                tree_sitter_json::LANGUAGE.into(),
                "json",
                tree_sitter_json::HIGHLIGHTS_QUERY,
                "",
                "",
            ),
            "python" => C::new(
                tree_sitter_python::LANGUAGE.into(),
                "python",
                tree_sitter_python::HIGHLIGHTS_QUERY,
                "",
                "",
            ),
            "html" => C::new(
                tree_sitter_html::LANGUAGE.into(),
                "html",
                tree_sitter_html::HIGHLIGHTS_QUERY,
                tree_sitter_html::INJECTIONS_QUERY,
                "",
            ),
            _ => unreachable!(),
        }
        .unwrap();
        c.configure(NAMES);
        c
    }

    pub fn run(blocks: &[Block]) {
        let mut configs: BTreeMap<&str, HighlightConfiguration> = BTreeMap::new();
        let mut highlighter = Highlighter::new();
        for pass in ["cold", "warm"] {
            let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
            for b in blocks {
                let Some(f) = family(&b.lang) else { continue };
                let t0 = Instant::now();
                let config = configs.entry(f).or_insert_with(|| config(f));
                let (mut marked, mut text, mut depth, mut gave_up) = (0, 0, 0usize, false);
                match highlighter.highlight(config, b.code.as_bytes(), None, None, |_| None) {
                    Ok(events) => {
                        for e in events {
                            match e {
                                Ok(HighlightEvent::HighlightStart(_)) => depth += 1,
                                Ok(HighlightEvent::HighlightEnd) => depth -= 1,
                                Ok(HighlightEvent::Source { start, end }) => {
                                    let n = b.code.as_bytes()[start..end]
                                        .iter()
                                        .filter(|c| !c.is_ascii_whitespace())
                                        .count();
                                    text += n;
                                    if depth > 0 {
                                        marked += n;
                                    }
                                }
                                Err(_) => {
                                    gave_up = true;
                                    break;
                                }
                            }
                        }
                    }
                    Err(_) => gave_up = true,
                }
                let tally = tallies.entry(f.to_string()).or_default();
                tally.time += t0.elapsed();
                tally.bytes += b.code.len();
                tally.blocks += 1;
                tally.gave_up += gave_up as usize;
                tally.marked += marked;
                tally.text += text;
            }
            report("tree-sitter", pass, &tallies);
        }
    }
}
