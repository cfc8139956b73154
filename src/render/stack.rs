//! The layer stack diagram at the head of `layers.html`, drawn at build time
//! as inline SVG: one band per top-level layer (top of the stack first), its
//! sub-layers as inner bands, and each component as a linked box, marked by
//! its lifecycle (`lifecycle-new`, `lifecycle-old`: outline and a tag, with a
//! legend beside the figure). Colours come from the theme's CSS classes, so
//! the diagram follows dark mode.

use std::fmt::Write;

use serde::Serialize;

use crate::render::diagrams::lifecycle_class;
use crate::render::draw::shorten;
use crate::render::escape_html;
use crate::render::views::{LayerMatrix, PageRef};

/// A component's lifecycle, from its page.
pub type LifecycleOf<'a> = &'a dyn Fn(&PageRef) -> Option<String>;

/// An entry of the stack's legend: a lifecycle that is marked.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LegendEntry {
    /// The lifecycle as written (`sunset`).
    pub name: String,
    /// Its mark's class.
    pub class: &'static str,
    /// How many components have it.
    pub count: usize,
}

const WIDTH: u32 = 960;
const PAD: u32 = 10;
const TITLE_H: u32 = 24;
const BOX_W: u32 = 170;
const BOX_H: u32 = 30;
const GAP: u32 = 8;
const INSET: u32 = 18;

/// Draws the stack and its legend; `None` when there are no layers.
pub fn layer_stack(
    matrix: &LayerMatrix,
    lifecycle: LifecycleOf<'_>,
) -> Option<(String, Vec<LegendEntry>)> {
    if matrix.rows.is_empty() {
        return None;
    }
    // Children of each row: the following rows one level deeper, up to the
    // next row at the same depth or above (rows come depth first).
    let rows = &matrix.rows;
    let children: Vec<Vec<usize>> = (0..rows.len())
        .map(|i| {
            rows.iter()
                .enumerate()
                .skip(i + 1)
                .take_while(|(_, r)| r.depth > rows[i].depth)
                .filter(|(_, r)| r.depth == rows[i].depth + 1)
                .map(|(k, _)| k)
                .collect()
        })
        .collect();
    let mut heights = vec![0; rows.len()];
    for i in (0..rows.len()).rev() {
        let width = band_width(rows[i].depth);
        let lines = rows[i].components.len().div_ceil(per_line(width)) as u32;
        let kids: u32 = children[i].iter().map(|&k| heights[k] + GAP).sum();
        heights[i] = TITLE_H + lines * (BOX_H + GAP) + kids + PAD;
    }
    let mut body = String::new();
    let mut y = 0;
    let mut legend: Vec<LegendEntry> = Vec::new();
    let mut stage = |c: &PageRef| -> Option<(String, &'static str)> {
        let l = lifecycle(c)?;
        let class = lifecycle_class(Some(&l));
        if class.is_empty() {
            return None;
        }
        match legend.iter_mut().find(|e| e.name == l) {
            Some(e) => e.count += 1,
            None => legend.push(LegendEntry {
                name: l.clone(),
                class,
                count: 1,
            }),
        }
        Some((l, class))
    };
    for i in (0..rows.len()).filter(|&i| rows[i].depth == 0) {
        draw(&mut body, matrix, &children, &heights, i, y, &mut stage);
        y += heights[i] + 2 * GAP;
    }
    Some((
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {}\" role=\"group\" aria-label=\"Layer stack\">\
             <title>Layer stack</title><desc>{}</desc>{body}</svg>",
            y.saturating_sub(2 * GAP) + 2,
            escape_html(&describe(matrix))
        ),
        legend,
    ))
}

/// The stack in words: each layer, top first, with its components.
fn describe(m: &LayerMatrix) -> String {
    let mut out = String::from("The layers from the top of the stack down");
    for row in &m.rows {
        out.push_str(if row.depth == 0 {
            ". "
        } else {
            "; within it, "
        });
        out.push_str(&row.layer.title);
        if !row.components.is_empty() {
            out.push_str(": ");
            let names: Vec<&str> = row.components.iter().map(|c| c.title.as_str()).collect();
            out.push_str(&names.join(", "));
        }
    }
    out.push('.');
    out
}

fn band_width(depth: usize) -> u32 {
    WIDTH
        .saturating_sub(2 * INSET * depth as u32)
        .max(BOX_W + 2 * PAD)
}

fn per_line(width: u32) -> usize {
    ((width - 2 * PAD + GAP) / (BOX_W + GAP)).max(1) as usize
}

fn draw(
    out: &mut String,
    m: &LayerMatrix,
    children: &[Vec<usize>],
    heights: &[u32],
    i: usize,
    y: u32,
    stage: &mut dyn FnMut(&PageRef) -> Option<(String, &'static str)>,
) {
    let row = &m.rows[i];
    let x = INSET * row.depth as u32;
    let width = band_width(row.depth);
    let class = if row.depth == 0 {
        "layer-box"
    } else {
        "sublayer-box"
    };
    write!(
        out,
        "<a href=\"{}\"><rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{}\" rx=\"6\"/>\
         <text class=\"layer-title\" x=\"{}\" y=\"{}\">{}</text></a>",
        url(&row.layer),
        heights[i],
        x + PAD,
        y + 17,
        escape_html(&row.layer.title)
    )
    .ok();
    let n = per_line(width);
    for (k, c) in row.components.iter().enumerate() {
        let bx = x + PAD + (k % n) as u32 * (BOX_W + GAP);
        let by = y + TITLE_H + (k / n) as u32 * (BOX_H + GAP);
        let marked = stage(c);
        let (class, tip, tag, room) = match &marked {
            Some((l, class)) => (
                format!("component-box {class}"),
                format!("{} ({l})", c.title),
                format!(
                    "<text class=\"lifecycle-tag\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                    bx + BOX_W - 6,
                    by + 19,
                    escape_html(&shorten(l, 9))
                ),
                14,
            ),
            None => (
                "component-box".to_string(),
                c.title.clone(),
                String::new(),
                22,
            ),
        };
        write!(
            out,
            "<a href=\"{}\"><title>{}</title><rect class=\"{class}\" x=\"{bx}\" y=\"{by}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"4\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>{tag}</a>",
            url(c),
            escape_html(&tip),
            bx + 8,
            by + 19,
            escape_html(&shorten(&c.title, room))
        )
        .ok();
    }
    let lines = row.components.len().div_ceil(n) as u32;
    let mut cy = y + TITLE_H + lines * (BOX_H + GAP);
    for &k in &children[i] {
        draw(out, m, children, heights, k, cy, stage);
        cy += heights[k] + GAP;
    }
}

fn url(p: &PageRef) -> String {
    escape_html(p.url.as_deref().unwrap_or("#"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::views::{LayerRow, PageRef};

    fn r(id: &str, title: &str) -> PageRef {
        PageRef {
            id: id.into(),
            title: title.into(),
            url: Some(format!("{id}.html")),
            kind: None,
            summary: None,
        }
    }

    #[test]
    fn draws_linked_bands_and_boxes_with_escaped_text() {
        let m = LayerMatrix {
            roles: vec![],
            rows: vec![
                LayerRow {
                    layer: r("cloud", "Cloud"),
                    depth: 0,
                    level: Some(3),
                    cells: vec![],
                    components: vec![r("lz", "Landing <zone>")],
                },
                LayerRow {
                    layer: r("phys", "Physical"),
                    depth: 0,
                    level: Some(1),
                    cells: vec![],
                    components: vec![],
                },
                LayerRow {
                    layer: r("hw", "Hardware"),
                    depth: 1,
                    level: Some(1),
                    cells: vec![],
                    components: vec![],
                },
            ],
        };
        let sunset = |c: &PageRef| (c.id == "lz").then(|| "sunset".to_string());
        let (svg, legend) = layer_stack(&m, &sunset).unwrap();
        assert!(svg.contains("<a href=\"cloud.html\">"));
        assert!(
            svg.contains("<title>Layer stack</title><desc>The layers from the top of the stack down. Cloud: Landing &lt;zone&gt;. Physical; within it, Hardware.</desc>"),
            "{svg}"
        );
        assert!(svg.contains("Landing &lt;zone&gt; (sunset)"), "{svg}");
        assert!(svg.contains("class=\"component-box lifecycle-old\""));
        assert!(svg.contains(">sunset</text>"));
        assert!(svg.contains("x=\"18\""), "sub-layer is inset: {svg}");
        assert_eq!(
            legend,
            [LegendEntry {
                name: "sunset".into(),
                class: "lifecycle-old",
                count: 1
            }]
        );
        assert!(layer_stack(&LayerMatrix::default(), &|_| None).is_none());
    }
}
