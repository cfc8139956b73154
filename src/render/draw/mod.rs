//! The model's diagrams, drawn at build time as inline SVG from the views
//! (never from the Markdown): a component's neighbourhood, a role's
//! relations, a decision's supersedes chain (`columns`), and the whole
//! handbook's dependencies grouped by layer (`layered`).
//!
//! Every diagram is a linked box per model page, laid out so that boxes never
//! overlap and edges run between boxes, never through them. Colours are the
//! theme's CSS classes (`diagram-*`), so dark mode and print follow the
//! stylesheet. Each SVG carries a title and a description and no `id`
//! (several diagrams share a page); the page shows the same facts as a table
//! or list beside it. Pure functions over strings: touches nothing outside
//! memory.

pub mod columns;
pub mod layered;

use std::fmt::Write;

use crate::render::escape_html;

/// Width of a box.
pub const BOX_W: u32 = 200;
/// Height of a box's title line.
const TITLE_LINE: u32 = 18;
/// Height of each further line.
const SUB_LINE: u32 = 15;
/// Padding inside a box, above and below its text.
const BOX_PAD: u32 = 8;
/// About how many characters of a 13 px title fit a line of a box.
const TITLE_CHARS: usize = 22;
/// About how many characters of an 11.5 px line fit a line of a box.
const SUB_CHARS: usize = 28;

/// One box of a diagram: a model page.
#[derive(Clone, Debug, Default)]
pub struct Node {
    /// Its title (shortened in the box; whole in its tooltip).
    pub title: String,
    /// Its page, from the site root (no link for drafts).
    pub url: Option<String>,
    /// Smaller lines under the title (wrapped, at most a few lines).
    pub lines: Vec<String>,
    /// Extra CSS classes (`diagram-self`, `lifecycle-sunset`).
    pub class: String,
}

impl Node {
    /// The box's height for its text.
    pub fn height(&self) -> u32 {
        2 * BOX_PAD
            + TITLE_LINE * self.title_lines().len() as u32
            + SUB_LINE * self.wrapped().len() as u32
    }

    /// Its title in at most two lines.
    fn title_lines(&self) -> Vec<String> {
        let mut lines = wrap(&self.title, TITLE_CHARS, 2);
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }

    /// Its sub-lines wrapped to the box: at most four lines in all.
    fn wrapped(&self) -> Vec<String> {
        let mut out = Vec::new();
        for l in &self.lines {
            let room = 4usize.saturating_sub(out.len());
            if room == 0 {
                break;
            }
            out.extend(wrap(l, SUB_CHARS, room.min(3)));
        }
        out
    }
}

/// Words of `text` in lines of at most `width` characters, at most `max`
/// lines; a cut text ends in `…`.
pub fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut cut = false;
    for word in text.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            if lines.len() + 1 == max {
                cut = true;
                break;
            }
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    for l in &mut lines {
        if l.chars().count() > width {
            *l = shorten(l, width);
        }
    }
    if cut && let Some(last) = lines.last_mut() {
        if last.chars().count() + 1 > width {
            *last = shorten(last, width);
        } else {
            last.push('…');
        }
    }
    lines
}

/// `s` cut to `max` characters, ending in `…` when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Appends a linked box at (`x`, `y`) to `out`.
pub fn draw_node(out: &mut String, node: &Node, x: u32, y: u32, root: &str) {
    let h = node.height();
    let class = if node.class.is_empty() {
        "diagram-box".to_string()
    } else {
        format!("diagram-box {}", node.class)
    };
    let mut inner = String::new();
    write!(
        inner,
        "<title>{}</title><rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{h}\" rx=\"5\"/>",
        escape_html(&tooltip(node)),
    )
    .ok();
    let title = node.title_lines();
    for (k, line) in title.iter().enumerate() {
        write!(
            inner,
            "<text class=\"diagram-title\" x=\"{}\" y=\"{}\">{}</text>",
            x + 10,
            y + BOX_PAD + 13 + TITLE_LINE * k as u32,
            escape_html(line),
        )
        .ok();
    }
    let below = y + BOX_PAD + TITLE_LINE * title.len() as u32;
    for (k, line) in node.wrapped().iter().enumerate() {
        write!(
            inner,
            "<text class=\"diagram-sub\" x=\"{}\" y=\"{}\">{}</text>",
            x + 10,
            below + 11 + SUB_LINE * k as u32,
            escape_html(line)
        )
        .ok();
    }
    match &node.url {
        Some(url) => write!(
            out,
            "<a href=\"{}{}\">{inner}</a>",
            escape_html(root),
            escape_html(url)
        ),
        None => write!(out, "<g>{inner}</g>"),
    }
    .ok();
}

/// A box's tooltip: its whole title and lines.
fn tooltip(node: &Node) -> String {
    let mut t = node.title.clone();
    for l in &node.lines {
        t.push_str(" — ");
        t.push_str(l);
    }
    t
}

/// An arrowhead (a small filled triangle, no marker ids) whose tip is at
/// (`x`, `y`), pointing right (`dx` = 1), left (-1), down (`dy` = 1) or up.
pub fn arrowhead(out: &mut String, x: f32, y: f32, dx: f32, dy: f32, class: &str) {
    let (l, w) = (9.0, 4.5);
    let (bx, by) = (x - dx * l, y - dy * l);
    let (px, py) = (-dy * w, dx * w);
    write!(
        out,
        "<path class=\"{class}\" d=\"M{x:.1} {y:.1}L{:.1} {:.1}L{:.1} {:.1}Z\"/>",
        bx + px,
        by + py,
        bx - px,
        by - py
    )
    .ok();
}

/// The finished SVG: `width` × `height`, its title and description first,
/// named for assistive technology by `title` (links inside stay reachable).
pub fn svg(body: &str, width: u32, height: u32, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"model-diagram\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"{}\">\
         <title>{}</title><desc>{}</desc>{body}</svg>",
        escape_html(title),
        escape_html(title),
        escape_html(desc)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_and_marks_a_cut() {
        assert_eq!(wrap("a b c", 10, 3), ["a b c"]);
        assert_eq!(
            wrap(
                "Turns the architect's connectivity requirements into designs",
                20,
                2
            ),
            ["Turns the", "architect's…"]
        );
        assert_eq!(wrap("", 10, 2), Vec::<String>::new());
        assert_eq!(wrap("Averyveryverylongword", 8, 2), ["Averyve…"]);
    }

    #[test]
    fn a_box_links_its_page_and_escapes_its_text() {
        let mut out = String::new();
        let n = Node {
            title: "Web <tier>".into(),
            url: Some("components/web.html".into()),
            lines: vec!["Platform · Ops & Co".into()],
            class: "lifecycle-sunset".into(),
        };
        draw_node(&mut out, &n, 0, 0, "../");
        assert!(
            out.starts_with("<a href=\"../components/web.html\">"),
            "{out}"
        );
        assert!(out.contains("Web &lt;tier&gt;"));
        assert!(out.contains("Ops &amp; Co"));
        assert!(out.contains("class=\"diagram-box lifecycle-sunset\""));
        assert_eq!(n.height(), 2 * BOX_PAD + TITLE_LINE + SUB_LINE);
    }
}
