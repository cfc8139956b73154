//! Diagrams in columns: boxes stacked in each column, edges from one column
//! to the next. A component's neighbourhood (what depends on it | it | what
//! it depends on), a role's relations (roles that describe it | it | roles
//! it describes) and a decision's supersedes chain (oldest column first) are
//! drawn this way. Boxes never overlap (each column is a stack) and an edge
//! between neighbouring columns runs in the gap between them; an edge that
//! skips a column runs in a lane above every box.

use std::fmt::Write;

use super::{BOX_W, BoxText, Node, Tenths, arrowhead, draw_node, svg};
use crate::render::escape_html;

/// Room between two columns, where the edges run.
const GAP_X: u32 = 80;
/// Room between two boxes of a column.
const GAP_Y: u32 = 12;
/// Margin around the drawing.
const MARGIN: u32 = 6;
/// Height of the column headings.
const HEAD: u32 = 22;
/// Height of one lane above the boxes.
const LANE: u32 = 12;

/// A diagram in columns.
#[derive(Debug, Default)]
pub struct Columns {
    /// Each column's heading (may be empty) and boxes, top first.
    pub columns: Vec<(String, Vec<Node>)>,
    /// Edges: (column, box) → (column, box), drawn with an arrow at the end.
    pub edges: Vec<((usize, usize), (usize, usize))>,
}

impl Columns {
    /// A box in the middle, an arrow to it from each box of the left
    /// column and from it to each box of the right one.
    pub fn star(left: (&str, Vec<Node>), centre: Node, right: (&str, Vec<Node>)) -> Columns {
        Columns {
            edges: (0..left.1.len())
                .map(|k| ((0, k), (1, 0)))
                .chain((0..right.1.len()).map(|k| ((1, 0), (2, k))))
                .collect(),
            columns: vec![
                (left.0.to_string(), left.1),
                (String::new(), vec![centre]),
                (right.0.to_string(), right.1),
            ],
        }
    }

    /// The SVG, links relative to `root`; `None` when no column has a box.
    pub fn draw(&self, root: &str, title: &str, desc: &str) -> Option<String> {
        let cols: Vec<&(String, Vec<Node>)> = self.columns.iter().collect();
        if cols.iter().all(|(_, nodes)| nodes.is_empty()) {
            return None;
        }
        // Each box's text, wrapped once.
        let texts: Vec<Vec<BoxText>> = cols
            .iter()
            .map(|(_, nodes)| nodes.iter().map(Node::text).collect())
            .collect();
        let heights: Vec<u32> = texts
            .iter()
            .map(|texts| {
                let sum: u32 = texts.iter().map(BoxText::height).sum();
                sum + GAP_Y * texts.len().saturating_sub(1) as u32
            })
            .collect();
        let tallest = heights.iter().copied().max().unwrap_or(0);
        let skips: Vec<usize> = (0..self.edges.len())
            .filter(|&k| {
                let ((a, _), (b, _)) = self.edges[k];
                a.abs_diff(b) != 1
            })
            .collect();
        let has_heads = cols.iter().any(|(h, _)| !h.is_empty());
        let top = MARGIN + if has_heads { HEAD } else { 0 } + LANE * skips.len() as u32;
        // Where each box is: columns centred on the tallest one.
        let mut at: Vec<Vec<(u32, u32, u32)>> = Vec::new();
        for c in 0..cols.len() {
            let x = MARGIN + c as u32 * (BOX_W + GAP_X);
            let mut y = top + (tallest - heights[c]) / 2;
            let mut col = Vec::new();
            for text in &texts[c] {
                let h = text.height();
                col.push((x, y, h));
                y += h + GAP_Y;
            }
            at.push(col);
        }
        let width = 2 * MARGIN + cols.len() as u32 * BOX_W + GAP_X * (cols.len() as u32 - 1);
        let height = top + tallest + MARGIN;
        // About what a box and its edge take, so the text grows once or not at all.
        let boxes: usize = texts.iter().map(Vec::len).sum();
        let mut body = String::with_capacity(700 * boxes);
        for (c, (head, _)) in cols.iter().enumerate() {
            if !head.is_empty() {
                write!(
                    body,
                    "<text class=\"diagram-head\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    MARGIN + c as u32 * (BOX_W + GAP_X) + BOX_W / 2,
                    MARGIN + 14,
                    escape_html(head)
                )
                .ok();
            }
        }
        let mut lane = 0;
        for &((ca, ia), (cb, ib)) in &self.edges {
            let (Some(&(xa, ya, ha)), Some(&(xb, yb, hb))) = (
                at.get(ca).and_then(|c| c.get(ia)),
                at.get(cb).and_then(|c| c.get(ib)),
            ) else {
                continue;
            };
            if ca.abs_diff(cb) == 1 {
                // From the facing side of one box to the facing side of the
                // other, as an S-curve in the gap.
                let right = cb > ca;
                let (x1, x2) = if right {
                    (xa + BOX_W, xb)
                } else {
                    (xa, xb + BOX_W)
                };
                let (y1, y2) = ((ya + ha / 2) as f32, (yb + hb / 2) as f32);
                let mid = (x1 + x2) as f32 / 2.0;
                let tip = x2 as f32 + if right { -1.0 } else { 1.0 };
                write!(
                    body,
                    "<path class=\"diagram-edge\" d=\"M{x1} {}C{} {} {} {} {} {}\"/>",
                    Tenths(y1),
                    Tenths(mid),
                    Tenths(y1),
                    Tenths(mid),
                    Tenths(y2),
                    Tenths(tip),
                    Tenths(y2)
                )
                .ok();
                arrowhead(
                    &mut body,
                    tip,
                    y2,
                    if right { 1.0 } else { -1.0 },
                    0.0,
                    "diagram-arrow",
                );
            } else {
                // Up into a lane of its own above every box, across, down.
                let ly = MARGIN + if has_heads { HEAD } else { 0 } + LANE * lane as u32 + LANE / 2;
                lane += 1;
                let (x1, x2) = (xa + BOX_W / 2 + 12, xb + BOX_W / 2 - 12);
                write!(
                    body,
                    "<path class=\"diagram-edge\" d=\"M{x1} {ya}V{ly}H{x2}V{}\"/>",
                    yb - 1
                )
                .ok();
                arrowhead(
                    &mut body,
                    x2 as f32,
                    yb as f32 - 1.0,
                    0.0,
                    1.0,
                    "diagram-arrow",
                );
            }
        }
        for (c, (_, nodes)) in cols.iter().enumerate() {
            for (k, n) in nodes.iter().enumerate() {
                let (x, y, _) = at[c][k];
                draw_node(&mut body, n, &texts[c][k], x, y, root);
            }
        }
        Some(svg(&body, width, height, title, desc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(t: &str) -> Node {
        Node {
            title: t.into(),
            url: Some(format!("{t}.html")),
            lines: vec!["Layer · Owner".into()],
            class: String::new(),
        }
    }

    /// The rectangles of an SVG: (x, y, width, height).
    fn rects(svg: &str) -> Vec<(u32, u32, u32, u32)> {
        svg.split("<rect ")
            .skip(1)
            .map(|r| {
                let num = |k: &str| -> u32 {
                    let s = &r[r.find(&format!(" {k}=\"")).unwrap() + k.len() + 3..];
                    s[..s.find('"').unwrap()].parse().unwrap()
                };
                (num("x"), num("y"), num("width"), num("height"))
            })
            .collect()
    }

    #[test]
    fn boxes_of_a_neighbourhood_never_overlap_and_all_are_linked() {
        let d = Columns {
            columns: vec![
                (
                    "Used by".into(),
                    (0..7).map(|i| n(&format!("u{i}"))).collect(),
                ),
                (String::new(), vec![n("me")]),
                (
                    "Depends on".into(),
                    (0..3).map(|i| n(&format!("d{i}"))).collect(),
                ),
            ],
            edges: (0..7)
                .map(|i| ((0, i), (1, 0)))
                .chain((0..3).map(|i| ((1, 0), (2, i))))
                .collect(),
        };
        let svg = d.draw("../", "Neighbourhood", "What it uses").unwrap();
        let r = rects(&svg);
        assert_eq!(r.len(), 11);
        for (i, a) in r.iter().enumerate() {
            for b in &r[i + 1..] {
                let apart =
                    a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
        assert_eq!(svg.matches("<a href=\"../").count(), 11);
        assert_eq!(svg.matches("class=\"diagram-edge\"").count(), 10);
        assert!(svg.contains("<title>Neighbourhood</title><desc>What it uses</desc>"));
        assert!(
            !svg.contains(" id="),
            "no ids: several diagrams share a page"
        );
    }

    #[test]
    fn an_edge_that_skips_a_column_runs_above_the_boxes() {
        let d = Columns {
            columns: vec![
                (String::new(), vec![n("a")]),
                (String::new(), vec![n("b")]),
                (String::new(), vec![n("c")]),
            ],
            edges: vec![((0, 0), (1, 0)), ((1, 0), (2, 0)), ((0, 0), (2, 0))],
        };
        let svg = d.draw("", "Chain", "").unwrap();
        let top_of_boxes = rects(&svg).iter().map(|r| r.1).min().unwrap();
        let lane = svg
            .split("V")
            .nth(1)
            .and_then(|s| s.split('H').next())
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap();
        assert!(
            lane < top_of_boxes,
            "lane {lane} above {top_of_boxes}: {svg}"
        );
        assert!(Columns::default().draw("", "", "").is_none());
    }
}
