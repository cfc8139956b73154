//! One `[output.html.redirect]` entry of `book.toml`, read and checked on
//! its own (a key that cannot name a file inside the site is refused here);
//! `model::redirect` checks the entries against the pages and plans the
//! redirect pages.

use std::ops::Range;

use crate::diagnostic::FileId;

/// One `[output.html.redirect]` entry, as written in `book.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Redirect {
    /// The old path from the site root, without the leading `/`
    /// (`old/page.html`).
    pub path: String,
    /// The `#fragment` of the old address, when the entry has one.
    pub fragment: Option<String>,
    /// Where it goes now: a URL, or a path relative to the old page.
    pub to: String,
    /// `book.toml`, and where the entry's key is written in it.
    pub at: (FileId, Range<usize>),
}

impl Redirect {
    /// Reads one entry (`"/old.html#part" = "new.html#part"`); `Err` says
    /// why the key cannot be a path inside the site.
    pub fn parse(
        key: &str,
        to: &str,
        at: (FileId, Range<usize>),
    ) -> Result<Redirect, &'static str> {
        let (path, fragment) = match key.split_once('#') {
            Some((p, f)) => (p, Some(f.to_string())),
            None => (key, None),
        };
        // `./old.html` is the old address from the root too, as mdBook
        // takes it (19 entries of the Rustonomicon are written so).
        let path = path.trim_start_matches('/');
        let path = path
            .split('/')
            .filter(|seg| *seg != ".")
            .collect::<Vec<_>>()
            .join("/");
        let path = path.as_str();
        if path.is_empty() || path.ends_with('/') {
            return Err("does not name a file (write `/old/index.html`, not `/old/`)");
        }
        if let Some(why) = super::escapes(path) {
            return Err(why);
        }
        if path.split('/').any(str::is_empty) {
            return Err("has an empty part");
        }
        if to.trim().is_empty() {
            return Err("has an empty target");
        }
        if to
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("javascript:")
        {
            return Err("has a `javascript:` target, which would run as a script");
        }
        Ok(Redirect {
            path: path.to_string(),
            fragment,
            to: to.to_string(),
            at,
        })
    }
}
