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
    /// Its text as the box shows it (wrap it once, then lay out and draw
    /// with that).
    pub fn text(&self) -> BoxText {
        let mut title = wrap(&self.title, TITLE_CHARS, 2);
        if title.is_empty() {
            title.push(String::new());
        }
        let mut sub = Vec::new();
        for l in &self.lines {
            let room = 4usize.saturating_sub(sub.len());
            if room == 0 {
                break;
            }
            sub.extend(wrap(l, SUB_CHARS, room.min(3)));
        }
        BoxText { title, sub }
    }
}

/// A box's text, wrapped: its title in at most two lines, and at most four
/// smaller lines under it.
#[derive(Clone, Debug)]
pub struct BoxText {
    title: Vec<String>,
    sub: Vec<String>,
}

impl BoxText {
    /// The height of a box holding it.
    pub fn height(&self) -> u32 {
        2 * BOX_PAD + TITLE_LINE * self.title.len() as u32 + SUB_LINE * self.sub.len() as u32
    }
}

/// Words of `text` in lines of at most `width` characters, at most `max`
/// lines; a cut text ends in `…`.
pub fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    // Most text fits one line as it is (no more bytes than the width, so no
    // more characters, and words apart by single spaces).
    let plain = |c: char| !c.is_whitespace() || c == ' ';
    if !text.is_empty()
        && text.len() <= width
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text.chars().all(plain)
    {
        return vec![text.to_string()];
    }
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

/// Appends a linked box at (`x`, `y`) to `out`, showing `text` (the
/// node's [`Node::text`]).
pub fn draw_node(out: &mut String, node: &Node, text: &BoxText, x: u32, y: u32, root: &str) {
    let close = match &node.url {
        Some(url) => {
            out.push_str("<a href=\"");
            escape(out, root);
            escape(out, url);
            out.push_str("\">");
            "</a>"
        }
        None => {
            out.push_str("<g>");
            "</g>"
        }
    };
    // The tooltip: its whole title and lines.
    out.push_str("<title>");
    escape(out, &node.title);
    for l in &node.lines {
        out.push_str(" — ");
        escape(out, l);
    }
    out.push_str("</title><rect class=\"diagram-box");
    if !node.class.is_empty() {
        out.push(' ');
        out.push_str(&node.class);
    }
    out.push_str("\" x=\"");
    push_u32(out, x);
    out.push_str("\" y=\"");
    push_u32(out, y);
    out.push_str("\" width=\"");
    push_u32(out, BOX_W);
    out.push_str("\" height=\"");
    push_u32(out, text.height());
    out.push_str("\" rx=\"5\"/>");
    let mut line = |class: &str, y: u32, words: &str| {
        out.push_str("<text class=\"");
        out.push_str(class);
        out.push_str("\" x=\"");
        push_u32(out, x + 10);
        out.push_str("\" y=\"");
        push_u32(out, y);
        out.push_str("\">");
        escape(out, words);
        out.push_str("</text>");
    };
    for (k, words) in text.title.iter().enumerate() {
        line(
            "diagram-title",
            y + BOX_PAD + 13 + TITLE_LINE * k as u32,
            words,
        );
    }
    let below = y + BOX_PAD + TITLE_LINE * text.title.len() as u32;
    for (k, words) in text.sub.iter().enumerate() {
        line("diagram-sub", below + 11 + SUB_LINE * k as u32, words);
    }
    out.push_str(close);
}

/// Appends `n` in decimal (boxes write several numbers each; `write!`
/// costs more than the digits).
fn push_u32(out: &mut String, mut n: u32) {
    let mut buf = [0u8; 10];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or_default());
}

/// Appends `s` escaped for SVG text and attributes.
fn escape(out: &mut String, s: &str) {
    pulldown_cmark_escape::escape_html(&mut *out, s).ok();
}

/// A coordinate with one decimal, as `{:.1}` writes it (half-way values
/// to even), without the formatting machinery of floats: most of a
/// diagram's drawing time went there.
pub struct Tenths(pub f32);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Ten times an f32 is exact in an f64, so rounding it rounds the
        // value itself.
        let t = (f64::from(self.0) * 10.0).round_ties_even();
        if !t.is_finite() || t.abs() >= 1e15 {
            return write!(f, "{:.1}", self.0);
        }
        let t = t as i64;
        let sign = if t < 0 || (t == 0 && self.0.is_sign_negative()) {
            "-"
        } else {
            ""
        };
        // The digits right to left into a buffer, then one write: a nested
        // `write!` cost more than the number.
        let mut t = t.unsigned_abs();
        let mut buf = [0u8; 20];
        let mut at = buf.len() - 2;
        buf[at] = b'.';
        buf[at + 1] = b'0' + (t % 10) as u8;
        t /= 10;
        loop {
            at -= 1;
            buf[at] = b'0' + (t % 10) as u8;
            t /= 10;
            if t == 0 {
                break;
            }
        }
        f.write_str(sign)?;
        // Only ASCII digits and a dot were written.
        f.write_str(std::str::from_utf8(&buf[at..]).unwrap_or_default())
    }
}

/// An arrowhead (a small filled triangle, no marker ids) whose tip is at
/// (`x`, `y`), pointing right (`dx` = 1), left (-1), down (`dy` = 1) or up.
pub fn arrowhead(out: &mut String, x: f32, y: f32, dx: f32, dy: f32, class: &str) {
    let (l, w) = (9.0, 4.5);
    let (bx, by) = (x - dx * l, y - dy * l);
    let (px, py) = (-dy * w, dx * w);
    write!(
        out,
        "<path class=\"{class}\" d=\"M{} {}L{} {}L{} {}Z\"/>",
        Tenths(x),
        Tenths(y),
        Tenths(bx + px),
        Tenths(by + py),
        Tenths(bx - px),
        Tenths(by - py)
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
        draw_node(&mut out, &n, &n.text(), 0, 0, "../");
        assert!(
            out.starts_with("<a href=\"../components/web.html\">"),
            "{out}"
        );
        assert!(out.contains("Web &lt;tier&gt;"));
        assert!(out.contains("Ops &amp; Co"));
        assert!(out.contains("class=\"diagram-box lifecycle-sunset\""));
        assert_eq!(n.text().height(), 2 * BOX_PAD + TITLE_LINE + SUB_LINE);
    }

    proptest::proptest! {
        #[test]
        fn text_that_fits_is_one_line_as_the_words_would_make_it(
            text in "[ a\\té]{0,30}", width in 1usize..30, max in 1usize..4
        ) {
            let words: Vec<&str> = text.split_whitespace().collect();
            let wrapped = wrap(&text, width, max);
            if text.chars().count() <= width && !words.is_empty() {
                proptest::prop_assert_eq!(wrapped, vec![words.join(" ")]);
            }
        }
    }

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        for n in [0, 7, 10, 99, 100, 4_294_967_295, 123_456] {
            let mut out = String::new();
            push_u32(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn tenths_are_written_as_the_float_formatting_writes_them() {
        let mut values: Vec<f32> = vec![0.0, -0.0, 0.25, 0.35, -0.05, -0.04, 1e9, -1e9, 1e20];
        // Every half and twentieth a layout makes, and values of any bits.
        values.extend((-4000..4000).map(|i| i as f32 / 20.0));
        let mut bits: u32 = 0x1234_5678;
        for _ in 0..20_000 {
            bits ^= bits << 13;
            bits ^= bits >> 17;
            bits ^= bits << 5;
            let v = f32::from_bits(bits);
            if v.is_finite() && v.abs() < 1e7 {
                values.push(v);
            }
        }
        for v in values {
            assert_eq!(Tenths(v).to_string(), format!("{v:.1}"), "{v:e}");
        }
    }
}
