//! Content: what the handbook's files say, read one file at a time.
//!
//! [`load`] walks the source folder (within what [`crate::confine`] allows)
//! and hands each Markdown file to [`parse`], which splits off its
//! [`frontmatter`], reads the keys of its kind (`fields`, the front-matter
//! schema) and scans its body for headings, links and code (`scan`);
//! [`include`](mod@include) expands mdBook's `{{#include}}` first,
//! [`admonition`] reads `mdbook-admonish` blocks, [`rawhtml`] the raw
//! HTML's ids and links, and [`summary`] reads `SUMMARY.md`. What it hands
//! on: a [`page::Page`] per file, with its findings. Nothing here looks at a second
//! page: cross-page checks belong to the `model` phase.

pub mod admonition;
pub(crate) mod fields;
pub mod frontmatter;
pub mod include;
pub mod load;
pub mod page;
mod parse;
pub mod rawhtml;
mod scan;
pub mod summary;

pub use parse::parse;
#[cfg(test)]
pub(crate) use parse::test_pages;
