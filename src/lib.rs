//! archbook: a static site generator for architecture handbooks.
//!
//! Architects write Markdown pages whose YAML front matter describes a model
//! (layers, components, roles, activities, decisions). archbook loads them,
//! resolves and validates the model, and reports every problem the way a
//! compiler does. The phases are visible on [`Site`]:
//!
//! ```no_run
//! let site = archbook::Site::check(std::path::Path::new("."))?;
//! println!("{} pages, {} errors", site.handbook.pages.len(), site.diagnostics.errors());
//! # Ok::<(), archbook::Error>(())
//! ```
//!
//! The pipeline's phases are folders, in the order a build runs them:
//! [`config`] (`book.toml`), [`content`] (each file: front matter, body,
//! includes, `SUMMARY.md`), [`model`] (the handbook as a whole: the resolved
//! model, link checks, redirects), [`render`] (HTML, views, search, theme)
//! and [`site`] (the orchestration, and the `serve` session). Small leaves
//! serve them all: [`diagnostic`] and [`rules`] carry findings, [`confine`]
//! says what may be read, [`output`] what may be replaced, [`highlight`]
//! colours code, [`slug`] makes ids and addresses.

#![warn(missing_docs)]

pub mod config;
pub mod confine;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod fuzzing;
pub mod highlight;
pub mod init;
pub mod model;
pub mod output;
pub mod render;
pub mod rules;
pub mod site;
pub mod slug;
pub mod vocab;

pub use error::{Error, Result};
pub use site::Site;
