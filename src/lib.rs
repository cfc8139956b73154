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
//! [`config`] (`book.toml`), [`content`] (each file on its own: front
//! matter, body, includes, `SUMMARY.md`), [`model`] (the handbook as a
//! whole: the resolved model, link, output and redirect checks, and the
//! [`model::handbook::Handbook`] value the renderers take), [`render`] (HTML
//! pages, views, print page, search index, data files, theme) and [`site`]
//! (the orchestration, and the `serve` session). Leaves serve them all:
//! [`vocab`] (the model's kinds and RACI letters), [`diagnostic`] and
//! [`rules`] (findings), [`error`] (what stops a run), [`confine`] (what
//! may be read), [`output`] (what may be replaced), [`highlight`] (code),
//! [`slug`] (ids and addresses). [`init`] scaffolds a new handbook,
//! [`import`] turns a RACI spreadsheet into pages, [`pdf`] prints the
//! built site to a PDF. [`changes`] compares two
//! versions of a model, [`git`] reads a version from a repository, [`lsp`]
//! is the language server for editors, [`schema`] the JSON Schema of the
//! front matter. With the
//! `fuzzing` feature, `fuzzing` holds the fuzz targets' entry points.

#![warn(missing_docs)]

pub mod cache;
pub mod changes;
pub mod config;
pub mod confine;
pub mod content;
pub mod diagnostic;
pub mod diagram;
pub mod error;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod git;
pub mod highlight;
pub mod import;
pub mod init;
pub mod lsp;
pub mod model;
pub mod output;
pub mod pdf;
pub mod render;
pub mod rules;
pub mod schema;
pub mod site;
pub mod slug;
pub mod vocab;

pub use error::{Error, Result};
pub use site::Site;
