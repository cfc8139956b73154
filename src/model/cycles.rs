//! Cycles in the model's graphs: `depends_on` between components and
//! `parent` between layers.

use super::*;

pub(super) fn cycle_text(pages: &[Page], members: &[usize]) -> String {
    let mut names: Vec<&str> = members.iter().map(|&i| pages[i].id.as_str()).collect();
    if let Some(first) = names.first().copied() {
        names.push(first);
    }
    names.join(" → ")
}

impl Resolver<'_> {
    pub(super) fn check_cycles(&mut self) {
        let pages = self.pages;
        // Component dependencies: depth-first search with an explicit stack,
        // so a long chain cannot overflow the call stack.
        let mut edges: HashMap<usize, Vec<(usize, Range<usize>)>> = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            let KindData::Component { depends_on, .. } = &p.data else {
                continue;
            };
            for r in depends_on {
                if let Some(j) = self.model.get(pages, &r.id, Kind::Component) {
                    edges.entry(i).or_default().push((j, r.span.clone()));
                }
            }
        }
        let mut state = vec![0u8; pages.len()]; // 0 new, 1 on stack, 2 done
        let mut reported: HashSet<Vec<usize>> = HashSet::new();
        let mut starts: Vec<usize> = edges.keys().copied().collect();
        starts.sort_unstable();
        for start in starts {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                let out = edges.get(&node).map(Vec::as_slice).unwrap_or(&[]);
                if let Some((to, span)) = out.get(*next) {
                    *next += 1;
                    match state[*to] {
                        0 => {
                            state[*to] = 1;
                            stack.push((*to, 0));
                        }
                        1 => {
                            let from = stack.iter().position(|(n, _)| n == to).unwrap_or(0);
                            let members: Vec<usize> =
                                stack[from..].iter().map(|(n, _)| *n).collect();
                            let mut key = members.clone();
                            key.sort_unstable();
                            if reported.insert(key) {
                                let chain = cycle_text(pages, &members);
                                let p = &pages[node];
                                self.found.push(
                                    Diagnostic::new(Rule::DependencyCycle, format!("dependency cycle: {chain}"))
                                        .at(p.file, span.clone(), "closes the cycle")
                                        .help("a component cannot depend on itself, directly or through others; remove one `depends_on` entry of the cycle"),
                                );
                            }
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }

        // Layer parents: each layer has at most one, so follow the chain.
        let parent_of = |i: usize| -> Option<(usize, Range<usize>)> {
            let KindData::Layer {
                parent: Some(r), ..
            } = &pages[i].data
            else {
                return None;
            };
            self.model
                .get(pages, &r.id, Kind::Layer)
                .map(|j| (j, r.span.clone()))
        };
        let mut done = vec![false; pages.len()];
        for start in 0..pages.len() {
            if done[start] || pages[start].kind != Some(Kind::Layer) {
                continue;
            }
            let mut path = vec![start];
            let mut on_path: HashSet<usize> = HashSet::from_iter([start]);
            let mut cur = start;
            while let Some((next, span)) = parent_of(cur) {
                if done[next] {
                    break;
                }
                if on_path.contains(&next) {
                    let from = path.iter().position(|&n| n == next).unwrap_or(0);
                    let chain = cycle_text(pages, &path[from..]);
                    let p = &pages[cur];
                    self.found.push(
                        Diagnostic::new(Rule::ParentCycle, format!("layer parent cycle: {chain}"))
                            .at(p.file, span, "closes the cycle")
                            .help(
                                "a layer cannot be its own ancestor; remove or change one `parent`",
                            ),
                    );
                    break;
                }
                path.push(next);
                on_path.insert(next);
                cur = next;
            }
            for n in path {
                done[n] = true;
            }
        }
    }
}
