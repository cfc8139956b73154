//! The highlighted blocks a long session (`serve`, `watch`) keeps between
//! its builds, which the on-disk cache of one-off builds (`crate::cache`)
//! also fills and reads. Used by `highlight` and `render`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{SYNTAXES, Syntax, syntax_key};

/// Highlighted blocks kept between the builds of a long session (`serve`,
/// `watch`), which re-render the same code blocks on every full rebuild.
/// It holds the blocks of the last full build and those highlighted since,
/// and forgets a block that a full build no longer shows; past
/// [`Cache::LIMIT`] bytes it starts afresh. One-off builds have none.
#[derive(Default)]
pub struct Cache {
    maps: Mutex<CacheMaps>,
}

#[derive(Default)]
struct CacheMaps {
    /// Blocks of the build being made (or of incremental rebuilds since the
    /// last full build), by syntax and code.
    current: HashMap<usize, HashMap<String, Arc<str>>>,
    /// Blocks of the last full build not asked for since.
    last: HashMap<usize, HashMap<String, Arc<str>>>,
    /// Bytes of code and markup in `current`.
    bytes: usize,
    /// For a one-off build's cache ([`Cache::bounded`]): at most this many
    /// bytes, after which blocks are no longer added.
    bound: Option<usize>,
}

impl Cache {
    /// The most bytes of code and markup kept.
    pub const LIMIT: usize = 256 << 20;

    /// A cache for one build that keeps the first `bytes` of blocks it is
    /// given and no more, so a large handbook's markup is not all held
    /// until the build ends.
    pub fn bounded(bytes: usize) -> Cache {
        let cache = Cache::default();
        cache.maps.lock().unwrap_or_else(|e| e.into_inner()).bound = Some(bytes);
        cache
    }

    pub(super) fn get(&self, syntax: usize, code: &str) -> Option<Arc<str>> {
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = maps.current.get(&syntax).and_then(|m| m.get(code)) {
            return Some(hit.clone());
        }
        let hit = maps.last.get_mut(&syntax)?.remove(code)?;
        maps.put(syntax, code, hit.clone());
        Some(hit)
    }

    pub(super) fn put(&self, syntax: usize, code: &str, html: Arc<str>) {
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        maps.put(syntax, code, html);
    }

    /// The blocks of the build being made (and of rebuilds since the last
    /// full one), by syntax name and sorted, for the cache on disk. Takes
    /// the cache: the last build's blocks are freed first and the code is
    /// moved, not copied, so writing the file adds little to the build's
    /// peak memory.
    pub fn into_entries(self) -> Vec<(&'static str, String, Arc<str>)> {
        let mut maps = self.maps.into_inner().unwrap_or_else(|e| e.into_inner());
        drop(std::mem::take(&mut maps.last));
        let names: HashMap<usize, &'static str> = SYNTAXES
            .syntaxes()
            .iter()
            .map(|s| (std::ptr::from_ref(s) as usize, s.name.as_str()))
            .collect();
        let mut out: Vec<_> = maps
            .current
            .into_iter()
            .filter_map(|(k, blocks)| Some((*names.get(&k)?, blocks)))
            .flat_map(|(name, blocks)| {
                blocks
                    .into_iter()
                    .map(move |(code, html)| (name, code, html))
            })
            .collect();
        out.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        out
    }

    /// Adds a block highlighted by an earlier process, as one the last full
    /// build showed.
    pub fn preload(&self, syntax: Syntax, code: String, html: Arc<str>) {
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        maps.last
            .entry(syntax_key(syntax))
            .or_default()
            .insert(code, html);
    }

    /// How many blocks this build showed, and how many of the last full
    /// build's are left, for tests.
    #[cfg(test)]
    pub(super) fn counts(&self) -> (usize, usize) {
        let maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        let n = |m: &HashMap<usize, HashMap<String, Arc<str>>>| {
            m.values().map(HashMap::len).sum::<usize>()
        };
        (n(&maps.current), n(&maps.last))
    }

    /// A full build is done: blocks it did not show are forgotten.
    pub fn full_build_done(&self) {
        let mut maps = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        maps.last = std::mem::take(&mut maps.current);
        maps.bytes = 0;
    }
}

impl CacheMaps {
    fn put(&mut self, syntax: usize, code: &str, html: Arc<str>) {
        if let Some(bound) = self.bound
            && self.bytes + code.len() + html.len() > bound
        {
            return;
        }
        self.bytes += code.len() + html.len();
        if self.bytes > Cache::LIMIT {
            self.current.clear();
            self.last.clear();
            self.bytes = code.len() + html.len();
        }
        self.current
            .entry(syntax)
            .or_default()
            .insert(code.to_string(), html);
    }
}
