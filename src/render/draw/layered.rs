//! The dependency view: every component in a band of its layer, the bands in
//! stack order (top of the stack first), an edge from each component to each
//! one it depends on. A layered (Sugiyama) layout with the layers fixed by
//! the architecture instead of guessed from the edges:
//!
//! 1. rows: each band's components in rows, a component above those of its
//!    own band it depends on, at most [`PER_ROW`] boxes a row;
//! 2. an edge that spans rows gets a point in every row between, which
//!    takes a slot of that row like a (narrow) box, so edges pass between
//!    boxes and never through them;
//! 3. the slots of each row are ordered by the mean position of their
//!    neighbours (barycentre sweeps down and up) to cut crossings;
//! 4. x positions pull each slot towards its neighbours and keep the order
//!    and the room between slots;
//! 5. edges are drawn as curves between rows and straight through them.
//!
//! Band titles sit in a gutter left of every slot, so no edge crosses them.
//! A dependency that points up the stack (a lower layer depending on a
//! higher one) is drawn dashed (`diagram-edge-up`). Cost is linear in the
//! slots; callers draw an overview by layer beyond a few hundred boxes.

use std::fmt::Write;

use super::{BOX_W, BoxText, Node, Tenths, arrowhead, draw_node, svg, wrap};
use crate::render::escape_html;

/// The most boxes in one row of a band.
pub const PER_ROW: usize = 5;
/// Width of the band titles' gutter.
const GUTTER: u32 = 150;
/// Room between two boxes of a row.
const SEP_BOX: f32 = 24.0;
/// Room beside an edge passing through a row.
const SEP_EDGE: f32 = 12.0;
/// Room between two rows of a band (edges run there).
const ROW_GAP: u32 = 40;
/// Room above a band's first row and below its last.
const BAND_PAD: u32 = 12;
/// Room between bands.
const BAND_GAP: u32 = 8;
const MARGIN: u32 = 6;
/// How much a slot keeps to its packed place against its neighbours' pull.
const GRAVITY: f32 = 0.25;

/// A band: one layer and its boxes.
#[derive(Debug, Default)]
pub struct Band {
    /// The layer's title.
    pub title: String,
    /// The layer's page.
    pub url: Option<String>,
    /// How deep it is nested (sub-layers are indented).
    pub depth: usize,
    /// Its boxes.
    pub nodes: Vec<Node>,
}

/// A diagram of bands.
#[derive(Debug, Default)]
pub struct Layered {
    /// The bands, top of the stack first.
    pub bands: Vec<Band>,
    /// Edges: (band, box) depends on (band, box).
    pub edges: Vec<((usize, usize), (usize, usize))>,
}

/// A slot of a row: a box or a point of an edge passing through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Slot {
    Box(usize),
    Pass(usize),
}

struct Laid {
    /// Rows of slots, in order.
    rows: Vec<Vec<Slot>>,
    /// Which band each row belongs to.
    row_band: Vec<usize>,
    /// For each box (global index), its row.
    row_of: Vec<usize>,
    /// Each drawn edge's slots, from the upper end to the lower.
    chains: Vec<Chain>,
}

struct Chain {
    /// The slots from top to bottom: a box, passes, a box.
    slots: Vec<Slot>,
    /// Whether the dependency is the upper end (an edge pointing up).
    up: bool,
}

impl Layered {
    /// The SVG, links relative to `root`; `None` without boxes.
    pub fn draw(&self, root: &str, title: &str, desc: &str) -> Option<String> {
        let nodes: Vec<(usize, &Node)> = self
            .bands
            .iter()
            .enumerate()
            .flat_map(|(b, band)| band.nodes.iter().map(move |n| (b, n)))
            .collect();
        if self.bands.is_empty() {
            return None;
        }
        let first: Vec<usize> = self
            .bands
            .iter()
            .scan(0, |acc, b| {
                let at = *acc;
                *acc += b.nodes.len();
                Some(at)
            })
            .collect();
        let edges: Vec<(usize, usize)> = self
            .edges
            .iter()
            .filter(|((ba, ia), (bb, ib))| {
                *ba < self.bands.len()
                    && *bb < self.bands.len()
                    && *ia < self.bands[*ba].nodes.len()
                    && *ib < self.bands[*bb].nodes.len()
            })
            .map(|&((ba, ia), (bb, ib))| (first[ba] + ia, first[bb] + ib))
            .filter(|(a, b)| a != b)
            .collect();
        let mut laid = rows(&self.bands, &nodes, &edges);
        order(&mut laid);
        let x = positions(&laid);
        Some(self.paint(&laid, &nodes, &x, root, title, desc))
    }

    fn paint(
        &self,
        laid: &Laid,
        nodes: &[(usize, &Node)],
        x: &[Vec<f32>],
        root: &str,
        title: &str,
        desc: &str,
    ) -> String {
        let left = MARGIN + GUTTER;
        let right = x
            .iter()
            .zip(&laid.rows)
            .filter_map(|(xs, row)| {
                let i = row.len().checked_sub(1)?;
                Some(xs[i] + width_of(row[i]) / 2.0)
            })
            .fold(BOX_W as f32, f32::max);
        let width = left + right.ceil() as u32 + MARGIN;
        // Each box's text, wrapped once.
        let texts: Vec<BoxText> = nodes.iter().map(|(_, n)| n.text()).collect();
        // Row tops, bands around their rows.
        let mut top = vec![0u32; laid.rows.len()];
        let mut height = vec![0u32; laid.rows.len()];
        let mut band_span: Vec<(u32, u32)> = vec![(0, 0); self.bands.len()];
        let mut y = MARGIN;
        let mut last_band = None;
        for (r, row) in laid.rows.iter().enumerate() {
            let b = laid.row_band[r];
            if last_band != Some(b) {
                if let Some(lb) = last_band {
                    band_span[lb].1 = y + BAND_PAD;
                    y += BAND_PAD + BAND_GAP;
                }
                band_span[b].0 = y;
                y += BAND_PAD;
                last_band = Some(b);
            } else {
                y += ROW_GAP;
            }
            top[r] = y;
            height[r] = row
                .iter()
                .filter_map(|s| match s {
                    Slot::Box(g) => Some(texts[*g].height()),
                    Slot::Pass(_) => None,
                })
                .max()
                .unwrap_or(20);
            y += height[r];
        }
        if let Some(lb) = last_band {
            band_span[lb].1 = y + BAND_PAD;
            y += BAND_PAD;
        }
        let total_h = y + MARGIN;
        // About what a box and its edge take, so the text grows rarely.
        let mut body = String::with_capacity(700 * texts.len());
        for (b, band) in self.bands.iter().enumerate() {
            let (y0, y1) = band_span[b];
            if y1 <= y0 {
                continue;
            }
            let class = if band.depth == 0 {
                "diagram-band"
            } else {
                "diagram-band diagram-subband"
            };
            let inset = 10 * band.depth.min(4) as u32;
            let mut title = String::new();
            for (k, line) in wrap(&band.title, 17, 3).iter().enumerate() {
                write!(
                    title,
                    "<text class=\"diagram-band-title\" x=\"{}\" y=\"{}\">{}</text>",
                    MARGIN + inset + 8,
                    y0 + 20 + 16 * k as u32,
                    escape_html(line)
                )
                .ok();
            }
            let rect = format!(
                "<rect class=\"{class}\" x=\"{}\" y=\"{y0}\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
                MARGIN + inset,
                width - 2 * MARGIN - inset,
                y1 - y0
            );
            match &band.url {
                Some(u) => write!(
                    body,
                    "{rect}<a href=\"{}{}\">{title}</a>",
                    escape_html(root),
                    escape_html(u)
                ),
                None => write!(body, "{rect}{title}"),
            }
            .ok();
        }
        // Where each slot is, by row and place.
        let place = |r: usize, s: Slot| -> Option<f32> {
            let i = laid.rows[r].iter().position(|&t| t == s)?;
            Some(left as f32 + x[r][i])
        };
        // Spread the ends of edges over a box's side, in the order of where
        // they go, so they do not all meet in one point.
        let mut ports: std::collections::HashMap<(usize, bool), Vec<(f32, usize)>> =
            Default::default();
        for (c, chain) in laid.chains.iter().enumerate() {
            let n = chain.slots.len();
            let (Slot::Box(a), Slot::Box(b)) = (chain.slots[0], chain.slots[n - 1]) else {
                continue;
            };
            let ra = laid.row_of[a];
            let rb = laid.row_of[b];
            let next = place(ra + 1, chain.slots[1]).unwrap_or(0.0);
            let prev = place(rb - 1, chain.slots[n - 2]).unwrap_or(0.0);
            ports.entry((a, true)).or_default().push((next, c));
            ports.entry((b, false)).or_default().push((prev, c));
        }
        let mut port_of: std::collections::HashMap<(usize, bool), f32> = Default::default();
        for ((_, bottom), mut list) in ports {
            list.sort_by(|p, q| p.0.total_cmp(&q.0));
            let k = list.len() as f32;
            let span = (BOX_W as f32 * 0.6).min(14.0 * (k - 1.0));
            for (j, (_, c)) in list.iter().enumerate() {
                let off = if k > 1.0 {
                    -span / 2.0 + span * j as f32 / (k - 1.0)
                } else {
                    0.0
                };
                port_of.insert((*c, bottom), off);
            }
        }
        for (c, chain) in laid.chains.iter().enumerate() {
            let Slot::Box(upper) = chain.slots[0] else {
                continue;
            };
            // x, where the edge enters the row, where it leaves it.
            let mut points: Vec<(f32, f32, f32)> = Vec::new();
            for (k, &s) in chain.slots.iter().enumerate() {
                let r = laid.row_of[upper] + k;
                let Some(px) = place(r, s) else { continue };
                let (yt, yb) = (top[r] as f32, (top[r] + height[r]) as f32);
                points.push(match s {
                    Slot::Box(g) if k == 0 => {
                        let yb = yt + texts[g].height() as f32;
                        (px + port_of.get(&(c, true)).copied().unwrap_or(0.0), yb, yb)
                    }
                    Slot::Box(_) => (
                        px + port_of.get(&(c, false)).copied().unwrap_or(0.0),
                        yt,
                        yt,
                    ),
                    Slot::Pass(_) => (px, yt, yb),
                });
            }
            if points.len() < 2 {
                continue;
            }
            let mut d = format!("M{} {}", Tenths(points[0].0), Tenths(points[0].2));
            for w in points.windows(2) {
                let (x1, _, y1) = w[0];
                let (x2, y2, y2out) = w[1];
                let mid = (y1 + y2) / 2.0;
                write!(
                    d,
                    "C{} {} {} {} {} {}",
                    Tenths(x1),
                    Tenths(mid),
                    Tenths(x2),
                    Tenths(mid),
                    Tenths(x2),
                    Tenths(y2)
                )
                .ok();
                if y2out > y2 {
                    write!(d, "V{}", Tenths(y2out)).ok();
                }
            }
            let class = if chain.up {
                "diagram-edge diagram-edge-up"
            } else {
                "diagram-edge"
            };
            write!(body, "<path class=\"{class}\" d=\"{d}\"/>").ok();
            if chain.up {
                let (x0, _, y0) = points[0];
                arrowhead(&mut body, x0, y0 + 1.0, 0.0, -1.0, "diagram-arrow");
            } else {
                let (xn, yn, _) = points[points.len() - 1];
                arrowhead(&mut body, xn, yn - 1.0, 0.0, 1.0, "diagram-arrow");
            }
        }
        for (r, row) in laid.rows.iter().enumerate() {
            for (i, s) in row.iter().enumerate() {
                if let Slot::Box(g) = s {
                    let bx = left as f32 + x[r][i] - BOX_W as f32 / 2.0;
                    draw_node(
                        &mut body,
                        nodes[*g].1,
                        &texts[*g],
                        bx.round() as u32,
                        top[r],
                        root,
                    );
                }
            }
        }
        svg(&body, width, total_h, title, desc)
    }
}

fn width_of(s: Slot) -> f32 {
    match s {
        Slot::Box(_) => BOX_W as f32,
        Slot::Pass(_) => 0.0,
    }
}

/// Step 1 and 2: rows of each band, and the chain of slots of each edge.
fn rows(bands: &[Band], nodes: &[(usize, &Node)], edges: &[(usize, usize)]) -> Laid {
    // Within a band, a box sits a level below the boxes of its band that
    // depend on it (longest path; bounded, so a cycle cannot loop).
    let mut level = vec![0usize; nodes.len()];
    for _ in 0..nodes.len().min(64) {
        let mut changed = false;
        for &(a, b) in edges {
            if nodes[a].0 == nodes[b].0 && level[b] < level[a] + 1 && level[a] < 64 {
                level[b] = level[a] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut rows: Vec<Vec<Slot>> = Vec::new();
    let mut row_band = Vec::new();
    let mut row_of = vec![0; nodes.len()];
    let mut g = 0;
    for (b, band) in bands.iter().enumerate() {
        let ids: Vec<usize> = (g..g + band.nodes.len()).collect();
        g += band.nodes.len();
        let deepest = ids.iter().map(|&i| level[i]).max().unwrap_or(0);
        if ids.is_empty() {
            // An empty layer still shows as a band.
            rows.push(Vec::new());
            row_band.push(b);
            continue;
        }
        for l in 0..=deepest {
            let at_level: Vec<usize> = ids.iter().copied().filter(|&i| level[i] == l).collect();
            for chunk in at_level.chunks(PER_ROW) {
                for &i in chunk {
                    row_of[i] = rows.len();
                }
                rows.push(chunk.iter().map(|&i| Slot::Box(i)).collect());
                row_band.push(b);
            }
        }
    }
    let mut chains = Vec::new();
    let mut passes = 0;
    for &(a, b) in edges {
        let (ra, rb) = (row_of[a], row_of[b]);
        if ra == rb {
            continue;
        }
        let (upper, lower, up) = if ra < rb { (a, b, false) } else { (b, a, true) };
        let (ru, rl) = (row_of[upper], row_of[lower]);
        let mut slots = vec![Slot::Box(upper)];
        for row in &mut rows[ru + 1..rl] {
            let s = Slot::Pass(passes);
            passes += 1;
            row.push(s);
            slots.push(s);
        }
        slots.push(Slot::Box(lower));
        chains.push(Chain { slots, up });
    }
    Laid {
        rows,
        row_band,
        row_of,
        chains,
    }
}

/// Step 3: order each row by its slots' neighbours (barycentres).
fn order(laid: &mut Laid) {
    let n_rows = laid.rows.len();
    // Neighbours of each slot in the row above and the row below.
    let mut above: std::collections::HashMap<(usize, Slot), Vec<Slot>> = Default::default();
    let mut below: std::collections::HashMap<(usize, Slot), Vec<Slot>> = Default::default();
    for chain in &laid.chains {
        let r0 = match chain.slots[0] {
            Slot::Box(g) => laid.row_of[g],
            Slot::Pass(_) => continue,
        };
        for (k, w) in chain.slots.windows(2).enumerate() {
            below.entry((r0 + k, w[0])).or_default().push(w[1]);
            above.entry((r0 + k + 1, w[1])).or_default().push(w[0]);
        }
    }
    for sweep in 0..8 {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down {
            (1..n_rows).collect()
        } else {
            (0..n_rows.saturating_sub(1)).rev().collect()
        };
        for r in range {
            let other = if down { r - 1 } else { r + 1 };
            let pos: std::collections::HashMap<Slot, usize> = laid.rows[other]
                .iter()
                .enumerate()
                .map(|(i, &s)| (s, i))
                .collect();
            let scale = laid.rows[r].len().max(1) as f32 / laid.rows[other].len().max(1) as f32;
            let links = if down { &above } else { &below };
            let mut keyed: Vec<(f32, usize, Slot)> = laid.rows[r]
                .iter()
                .enumerate()
                .map(|(i, &s)| {
                    let ns = links.get(&(r, s));
                    let key = match ns {
                        Some(ns) if !ns.is_empty() => {
                            let sum: f32 = ns
                                .iter()
                                .filter_map(|t| pos.get(t))
                                .map(|&p| p as f32 * scale)
                                .sum();
                            sum / ns.len() as f32
                        }
                        _ => i as f32,
                    };
                    (key, i, s)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            laid.rows[r] = keyed.into_iter().map(|(_, _, s)| s).collect();
        }
    }
}

/// Step 4: the centre of every slot, by row, from the gutter.
fn positions(laid: &Laid) -> Vec<Vec<f32>> {
    let sep = |a: Slot, b: Slot| -> f32 {
        let gap = match (a, b) {
            (Slot::Box(_), Slot::Box(_)) => SEP_BOX,
            _ => SEP_EDGE,
        };
        (width_of(a) + width_of(b)) / 2.0 + gap
    };
    let mut x: Vec<Vec<f32>> = laid
        .rows
        .iter()
        .map(|row| {
            let mut at = width_of(*row.first().unwrap_or(&Slot::Pass(0))) / 2.0;
            row.iter()
                .enumerate()
                .map(|(i, &s)| {
                    if i > 0 {
                        at += sep(row[i - 1], s);
                    }
                    at
                })
                .collect()
        })
        .collect();
    // Neighbours by (row, index).
    let index: Vec<std::collections::HashMap<Slot, usize>> = laid
        .rows
        .iter()
        .map(|row| row.iter().enumerate().map(|(i, &s)| (s, i)).collect())
        .collect();
    let mut near: Vec<Vec<Vec<(usize, usize)>>> = laid
        .rows
        .iter()
        .map(|row| vec![Vec::new(); row.len()])
        .collect();
    for chain in &laid.chains {
        let r0 = match chain.slots[0] {
            Slot::Box(g) => laid.row_of[g],
            Slot::Pass(_) => continue,
        };
        for (k, w) in chain.slots.windows(2).enumerate() {
            let (ra, rb) = (r0 + k, r0 + k + 1);
            let (Some(&ia), Some(&ib)) = (index[ra].get(&w[0]), index[rb].get(&w[1])) else {
                continue;
            };
            near[ra][ia].push((rb, ib));
            near[rb][ib].push((ra, ia));
        }
    }
    // Each row packed and centred on a common axis: where a slot goes when
    // its neighbours do not pull it, and a weight against drifting apart.
    let packed: Vec<Vec<f32>> = x
        .iter()
        .map(|xs| {
            let mid = (xs.first().unwrap_or(&0.0) + xs.last().unwrap_or(&0.0)) / 2.0;
            xs.iter().map(|v| v - mid).collect()
        })
        .collect();
    x.clone_from(&packed);
    for _ in 0..16 {
        for r in 0..laid.rows.len() {
            let row = &laid.rows[r];
            if row.is_empty() {
                continue;
            }
            let want: Vec<f32> = (0..row.len())
                .map(|i| {
                    let ns = &near[r][i];
                    if ns.is_empty() {
                        packed[r][i]
                    } else {
                        let pull =
                            ns.iter().map(|&(rr, ii)| x[rr][ii]).sum::<f32>() / ns.len() as f32;
                        GRAVITY * packed[r][i] + (1.0 - GRAVITY) * pull
                    }
                })
                .collect();
            // As close to the wish as the order and the room allow, from
            // the left and from the right, then the mean of both.
            let n = row.len();
            let mut l = want.clone();
            for i in 1..n {
                l[i] = l[i].max(l[i - 1] + sep(row[i - 1], row[i]));
            }
            let mut rr = want;
            for i in (0..n - 1).rev() {
                rr[i] = rr[i].min(rr[i + 1] - sep(row[i], row[i + 1]));
            }
            for i in 0..n {
                x[r][i] = (l[i] + rr[i]) / 2.0;
            }
        }
    }
    // Everything right of the gutter.
    let min = x
        .iter()
        .zip(&laid.rows)
        .filter_map(|(xs, row)| Some(xs.first()? - width_of(*row.first()?) / 2.0))
        .fold(f32::INFINITY, f32::min);
    if min.is_finite() {
        for xs in &mut x {
            for v in xs {
                *v -= min;
            }
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(t: &str) -> Node {
        Node {
            title: t.into(),
            url: Some(format!("{t}.html")),
            lines: vec!["Owner".into()],
            class: String::new(),
        }
    }

    /// A random-looking but fixed handbook: `c` components on `l` layers.
    pub(crate) fn handbook(c: usize, l: usize) -> Layered {
        let mut bands: Vec<Band> = (0..l)
            .map(|i| Band {
                title: format!("Layer {i}"),
                url: Some(format!("l{i}.html")),
                depth: i % 2,
                nodes: vec![],
            })
            .collect();
        let mut at = Vec::new();
        for i in 0..c {
            let b = i * l / c;
            at.push((b, bands[b].nodes.len()));
            bands[b].nodes.push(n(&format!("c{i}")));
        }
        let mut seed = 7u64;
        let mut edges = Vec::new();
        for i in 0..c {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for k in 0..(seed >> 33) % 4 {
                let j = ((seed >> (8 + k * 7)) as usize) % c;
                if j != i {
                    edges.push((at[i], at[j]));
                }
            }
        }
        Layered { bands, edges }
    }

    fn numbers(s: &str, key: &str) -> Vec<f32> {
        s.split(&format!(" {key}=\""))
            .skip(1)
            .map(|t| t[..t.find('"').unwrap()].parse().unwrap())
            .collect()
    }

    /// (x, y, w, h) of every component box.
    fn boxes(svg: &str) -> Vec<(f32, f32, f32, f32)> {
        svg.split("<rect class=\"diagram-box")
            .skip(1)
            .map(|r| {
                let r = format!(" {r}");
                (
                    numbers(&r, "x")[0],
                    numbers(&r, "y")[0],
                    numbers(&r, "width")[0],
                    numbers(&r, "height")[0],
                )
            })
            .collect()
    }

    #[test]
    fn fifty_components_on_ten_layers_never_overlap_and_edges_miss_boxes() {
        let d = handbook(50, 10);
        let svg = d.draw("", "Dependencies", "All of them").unwrap();
        let b = boxes(&svg);
        assert_eq!(b.len(), 50);
        for (i, p) in b.iter().enumerate() {
            assert!(
                p.0 >= (MARGIN + GUTTER) as f32 - 0.5,
                "box in the gutter: {p:?}"
            );
            for q in &b[i + 1..] {
                let apart =
                    p.0 + p.2 <= q.0 || q.0 + q.2 <= p.0 || p.1 + p.3 <= q.1 || q.1 + q.3 <= p.1;
                assert!(apart, "{p:?} overlaps {q:?}");
            }
        }
        // Every straight part of an edge (through a row) misses every box.
        for path in svg.split("class=\"diagram-edge").skip(1) {
            let d = &path[path.find("d=\"").unwrap() + 3..];
            let d = &d[..d.find('"').unwrap()];
            let mut last_x = None;
            for part in d.split(['C', 'M']).filter(|s| !s.is_empty()) {
                let nums: Vec<f32> = part
                    .split(['V', ' '])
                    .filter_map(|t| t.parse().ok())
                    .collect();
                if part.contains('V') {
                    let x = nums[nums.len() - 3];
                    let (y0, y1) = (nums[nums.len() - 2], nums[nums.len() - 1]);
                    for q in &b {
                        let crosses = x > q.0 && x < q.0 + q.2 && y0 < q.1 + q.3 && y1 > q.1;
                        assert!(!crosses, "edge at x={x} {y0}..{y1} crosses {q:?}");
                    }
                }
                last_x = nums.first().copied().or(last_x);
            }
        }
        assert_eq!(
            svg.matches("<a href=").count(),
            60,
            "50 boxes and 10 bands linked"
        );
        assert!(!svg.contains(" id="));
    }

    #[test]
    fn a_band_sits_below_the_band_above_it_and_upward_edges_are_marked() {
        let mut d = handbook(6, 3);
        d.edges = vec![((0, 0), (2, 0)), ((2, 1), (0, 1))];
        let svg = d.draw("", "t", "d").unwrap();
        let ys: Vec<f32> = svg
            .split("<rect class=\"diagram-band")
            .skip(1)
            .map(|r| numbers(&format!(" {r}"), "y")[0])
            .collect();
        assert!(ys.windows(2).all(|w| w[0] < w[1]), "bands top down: {ys:?}");
        assert_eq!(svg.matches("diagram-edge diagram-edge-up").count(), 1);
    }

    #[test]
    fn five_hundred_components_lay_out_quickly() {
        let d = handbook(500, 10);
        let t = std::time::Instant::now();
        let svg = d.draw("", "t", "d").unwrap();
        assert_eq!(boxes(&svg).len(), 500);
        // Not a benchmark: a guard against a quadratic blow-up.
        assert!(t.elapsed().as_secs() < 20);
    }
}
