//! The handbook as a value: what the build knows once every file is read
//! and the model resolved. The renderers take it (as mdBook's take a
//! `RenderContext`); the orchestrator (the `site` module) fills it, phase by
//! phase, and keeps the findings and timings beside it.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::content::page::Page;
use crate::content::summary;
use crate::diagnostic::Sources;
use crate::model::Model;

/// A handbook: its configuration, pages and resolved model.
#[derive(Default)]
pub struct Handbook {
    /// The folder holding `book.toml`, as the user named it.
    pub root: PathBuf,
    /// `book.toml`, with defaults.
    pub config: Config,
    /// Every file findings may quote; a page's text is read from here.
    pub sources: Sources,
    /// Every page, in source path order.
    pub pages: Vec<Page>,
    /// The page the not-found page shows (`404.md`, mdBook's `input-404`):
    /// not a page of its own, so not in the navigation, search or print.
    pub not_found: Option<Page>,
    /// Every non-Markdown file under the source folder.
    pub statics: BTreeSet<String>,
    /// The resolved model (filled when the site resolves).
    pub model: Model,
    /// For each page, the other pages its body links to.
    pub page_links: Vec<Vec<usize>>,
    /// `SUMMARY.md`, when the handbook has one: its file and text.
    pub summary: Option<(usize, Arc<str>)>,
    /// The parsed `SUMMARY.md` (filled when the site resolves).
    pub summary_items: Option<Vec<summary::Item>>,
    /// What changed since `changes-since` (filled when the site compares).
    pub changes: Option<Arc<crate::changes::Changes>>,
}
