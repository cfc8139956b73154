//! Mermaid drawn at build time: a ```` ```mermaid ```` block becomes an
//! inline SVG (text stays text: searchable, selectable, printed), with
//! merman, a pure-Rust Mermaid implementation. No script reaches the
//! reader, and the site works from `file://`.
//!
//! Each distinct block is drawn once per process (a cache keyed by its
//! source): `check` validates blocks by drawing them, and the renderer then
//! takes the drawing from the cache. A block that is not valid Mermaid is a
//! finding located at the line merman names; a diagram type archbook does
//! not draw is left as `<pre class="mermaid">` for mermaid.js. Touches
//! nothing outside memory.

use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostic::{Diagnostic, FileId};
use crate::rules::Rule;

/// Why a block is not drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotDrawn {
    /// Not valid Mermaid: what is wrong, and where in the block (bytes).
    Invalid {
        /// What merman says.
        message: String,
        /// Where, when merman says.
        span: Option<Range<usize>>,
    },
    /// A diagram type archbook does not draw (its first word).
    Unsupported(String),
}

/// Mermaid diagram types drawn elsewhere (by mermaid.js) that archbook
/// leaves alone: their blocks are not errors.
const OTHER_TYPES: &[&str] = &[
    "architecture-beta",
    "architecture",
    "block-beta",
    "block",
    "packet-beta",
    "packet",
    "quadrantChart",
    "radar-beta",
    "requirementDiagram",
    "sankey-beta",
    "sankey",
    "treemap",
    "treemap-beta",
    "xychart-beta",
    "xychart",
    "kanban",
    "zenuml",
    "venn-beta",
    "ishikawa",
    "wardley-beta",
];

/// The diagram types archbook draws (their first words).
const DRAWN_TYPES: &[&str] = &[
    "flowchart",
    "graph",
    "sequenceDiagram",
    "classDiagram",
    "classDiagram-v2",
    "stateDiagram",
    "stateDiagram-v2",
    "erDiagram",
    "C4Context",
    "C4Container",
    "C4Component",
    "C4Dynamic",
    "C4Deployment",
    "gantt",
    "pie",
    "mindmap",
    "journey",
    "gitGraph",
    "timeline",
];

type Drawn = Result<Arc<str>, NotDrawn>;

/// The most drawings kept at once.
const MAX_CACHED: usize = 4096;

fn cache() -> &'static Mutex<rustc_hash::FxHashMap<Arc<str>, Drawn>> {
    static CACHE: OnceLock<Mutex<rustc_hash::FxHashMap<Arc<str>, Drawn>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The SVG of a Mermaid block, or why it is not drawn. Drawn once per
/// distinct source; the SVG's ids start with `mermaid-` and a digest of the
/// source, so two different diagrams on one page never share an id.
pub fn draw(code: &str) -> Drawn {
    if let Some(done) = cache().lock().unwrap_or_else(|e| e.into_inner()).get(code) {
        return done.clone();
    }
    let drawn = draw_uncached(code);
    let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    // A language server draws a block again at each keystroke: the cache
    // is bounded.
    if cache.len() >= MAX_CACHED {
        cache.clear();
    }
    cache.insert(Arc::from(code), drawn.clone());
    drawn
}

fn draw_uncached(code: &str) -> Drawn {
    use merman::{
        OperationControl, RenderError, RenderOutput, RenderRequest, Renderer, SvgRequest,
    };
    let id = format!("mermaid-{:016x}", digest(code));
    let request = SvgRequest {
        options: merman::svg::SvgRenderOptions {
            diagram_id: Some(merman::svg::sanitize_svg_id(&id)),
            ..Default::default()
        },
        ..Default::default()
    };
    let first_word = code
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("%%") && *l != "---")
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("");
    // A bug of the renderer on one block must not stop the build.
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Renderer::new().render(RenderRequest::svg(code, OperationControl::new(), request))
    }));
    match rendered {
        Ok(Ok(RenderOutput::Svg(Some(svg)))) => Ok(Arc::from(valid_html(svg.svg()))),
        Ok(Ok(_)) | Ok(Err(RenderError::NoDiagram)) => Err(NotDrawn::Invalid {
            message: "no Mermaid diagram type at the start of the block".to_string(),
            span: None,
        }),
        Ok(Err(RenderError::Parse(d))) => {
            let details = d.terminal_diagnostic_details();
            let unknown_type =
                details.code.contains("detect") || details.code.contains("unsupported");
            if unknown_type && OTHER_TYPES.contains(&first_word) {
                return Err(NotDrawn::Unsupported(first_word.to_string()));
            }
            if unknown_type {
                let meant = crate::diagnostic::did_you_mean(
                    first_word,
                    DRAWN_TYPES.iter().chain(OTHER_TYPES).copied(),
                );
                let start = code.find(first_word).unwrap_or(0);
                return Err(NotDrawn::Invalid {
                    message: match meant {
                        Some(m) => format!(
                            "`{first_word}` is not a Mermaid diagram type; did you mean `{m}`?"
                        ),
                        None => format!("`{first_word}` is not a Mermaid diagram type"),
                    },
                    span: Some(start..start + first_word.len()),
                });
            }
            // "Diagram parse error (flowchart-v2): Unterminated …"
            let message = d.terminal_safe_message();
            let message = match message.split_once("): ") {
                Some((head, rest)) if head.starts_with("Diagram parse error") => rest.to_string(),
                _ => message,
            };
            Err(NotDrawn::Invalid {
                message,
                span: details
                    .span
                    .map(|s| s.start.min(code.len())..s.end.min(code.len())),
            })
        }
        Ok(Err(e)) => Err(NotDrawn::Invalid {
            message: e.to_string(),
            span: None,
        }),
        Err(_) => Err(NotDrawn::Invalid {
            message: "the Mermaid renderer failed on this block".to_string(),
            span: None,
        }),
    }
}

/// Attributes merman writes that HTML does not allow on an inline SVG's
/// elements (the Nu HTML Checker reports them): left out.
const NOT_ALLOWED: &[(&str, &str)] = &[
    ("rect", "name"),
    ("line", "name"),
    ("g", "name"),
    ("g", "title"),
    ("circle", "width"),
    ("circle", "height"),
    ("circle", "overflow"),
    ("path", "viewBox"),
    ("path", "x1"),
    ("path", "x2"),
    ("path", "y1"),
    ("path", "y2"),
];

/// The SVG as valid HTML: attributes HTML does not allow on its elements
/// left out, and a label's paragraphs (`<p>` inside a `<span>`, which HTML
/// does not allow) written as block spans. The `<style>` element and text
/// are kept as they are.
fn valid_html(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[..=gt];
        rest = &rest[gt + 1..];
        // `name` is `/p` for a closing tag.
        let from = if tag.starts_with("</") { 2 } else { 1 };
        let name_end = tag[from..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(tag.len() - 1, |i| i + from);
        let name = &tag[1..name_end];
        match name {
            "p" => {
                out.push_str("<span style=\"display: block;\">");
                continue;
            }
            "/p" => {
                out.push_str("</span>");
                continue;
            }
            "style" => {
                // CSS, up to the end of the element, as it is.
                out.push_str(tag);
                let end = rest.find("</style>").unwrap_or(rest.len());
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            _ => {}
        }
        if !NOT_ALLOWED.iter().any(|(el, _)| *el == name) {
            out.push_str(tag);
            continue;
        }
        // Attributes are written `key="value"`.
        out.push_str(&tag[..name_end]);
        let mut attrs = &tag[name_end..];
        while let Some(eq) = attrs.find("=\"") {
            let key_start = attrs[..eq].rfind(char::is_whitespace).map_or(0, |i| i + 1);
            let Some(close) = attrs[eq + 2..].find('"') else {
                break;
            };
            let end = eq + 2 + close + 1;
            let key = &attrs[key_start..eq];
            if !NOT_ALLOWED.contains(&(name, key)) {
                out.push(' ');
                out.push_str(&attrs[key_start..end]);
            }
            attrs = &attrs[end..];
        }
        out.push_str(attrs.trim_start());
    }
    out.push_str(rest);
    out
}

/// A stable digest of a block's source (FNV-1a), for its SVG ids.
fn digest(code: &str) -> u64 {
    code.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The finding for a block of `file` whose first line starts at byte `at`
/// of `text` (the file), when it is not drawn.
pub fn finding(file: FileId, text: &str, at: usize, code: &str, why: &NotDrawn) -> Diagnostic {
    match why {
        NotDrawn::Invalid { message, span } => {
            // The block's line and column, then the same place in the file
            // (whose lines may carry a list's indentation or a quote's `>`).
            let offset = span.as_ref().map_or(0, |s| s.start);
            let line = code[..offset.min(code.len())].matches('\n').count();
            let col = offset - code[..offset.min(code.len())].rfind('\n').map_or(0, |i| i + 1);
            let mut start = at.min(text.len());
            for _ in 0..line {
                start = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
            }
            let line_text = &text[start..];
            let line_len = line_text.find('\n').unwrap_or(line_text.len());
            let prefix = line_len.saturating_sub(code.lines().nth(line).map_or(0, str::len));
            let mut from = (start + prefix + col).min(start + line_len);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let width = span.as_ref().map_or(0, |s| s.len().max(1));
            let to = (from + width).min(start + line_len).max(from);
            Diagnostic::new(Rule::Mermaid, format!("this Mermaid diagram cannot be drawn: {message}"))
                .at(file, from..to, "here")
                .help("fix the diagram's syntax (https://mermaid.js.org/intro/syntax-reference.html), or write the fence as ```text to show it as text")
        }
        NotDrawn::Unsupported(kind) => Diagnostic::new(
            Rule::MermaidUnsupported,
            format!("archbook does not draw `{kind}` diagrams: the block is left for mermaid.js"),
        )
        .at(file, at..at + kind.len().min(text.len().saturating_sub(at)), "this diagram")
        .help("add mermaid.js to the theme (`additional-js`) to draw it in the browser, or use a flowchart, sequence, class, state, ER, C4, Gantt, pie, mindmap, journey, git graph or timeline diagram"),
    }
}

/// The findings of every Mermaid block of `pages`, drawing each (in
/// parallel) so that the build finds them drawn.
pub fn check(
    pages: &[crate::content::page::Page],
    sources: &crate::diagnostic::Sources,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    pages
        .par_iter()
        .flat_map_iter(|p| {
            p.diagrams.iter().filter_map(move |d| {
                let why = draw(&d.code).err()?;
                Some(finding(p.file, sources.text(p.file), d.at, &d.code, &why))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_blocks_are_drawn_with_their_own_ids() {
        let svg = draw("flowchart LR\n  A[Start] --> B[Done]\n").unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
        assert!(
            svg.contains(">Start<") && svg.contains(">Done<"),
            "text stays text"
        );
        let id = format!(
            "mermaid-{:016x}",
            digest("flowchart LR\n  A[Start] --> B[Done]\n")
        );
        assert!(svg.contains(&format!("id=\"{id}\"")));
        let other = draw("sequenceDiagram\n  Alice->>Bob: Hi\n").unwrap();
        assert!(!other.contains(&format!("id=\"{id}\"")));
    }

    #[test]
    fn drawings_are_valid_html() {
        let svg = "<svg><style>#a>p{margin:0}</style><g name=\"x\" id=\"g\"><rect x=\"1\" name=\"Bob\" y=\"2\"/><circle r=\"3\" width=\"6\"></circle><span class=\"nodeLabel\"><p>A &lt; B</p></span></g></svg>";
        assert_eq!(
            valid_html(svg),
            "<svg><style>#a>p{margin:0}</style><g id=\"g\"><rect x=\"1\" y=\"2\"/><circle r=\"3\"></circle><span class=\"nodeLabel\"><span style=\"display: block;\">A &lt; B</span></span></g></svg>"
        );
        let drawn = draw("sequenceDiagram\n  Alice->>Bob: Hi\n").unwrap();
        assert!(!drawn.contains(" name=\""), "{drawn}");
    }

    #[test]
    fn invalid_blocks_are_located() {
        let code = "flowchart TD\n  A[Start] --> B{Ok?\n  B --> C\n";
        let why = draw(code).unwrap_err();
        let NotDrawn::Invalid { message, .. } = &why else {
            panic!("{why:?}")
        };
        assert!(message.contains("Unterminated node label"), "{message}");
        // In a page: the fence on line 3, the block from line 4.
        let text = format!("# A\n\n```mermaid\n{code}```\n");
        let at = text.find("flowchart").unwrap();
        let d = finding(0, &text, at, code, &why);
        assert_eq!(d.rule, Rule::Mermaid);
        let (loc, _) = d.primary.unwrap();
        assert!(
            loc.span.start >= at && loc.span.start < text.len(),
            "{:?}",
            loc.span
        );
    }

    #[test]
    fn other_diagram_types_are_left_for_mermaid_js() {
        assert_eq!(
            draw("sankey-beta\n\na,b,10\n").unwrap_err(),
            NotDrawn::Unsupported("sankey-beta".to_string())
        );
        let NotDrawn::Invalid { message, .. } = draw("flowchar TD\n  A --> B\n").unwrap_err()
        else {
            panic!()
        };
        assert!(
            message.contains("`flowchar` is not a Mermaid diagram type; did you mean `flowchart`?"),
            "{message}"
        );
    }
}
