//! archbook: a static site generator for architecture handbooks.
//!
//! Architects write Markdown pages whose YAML front matter describes a model
//! (layers, components, roles, activities, decisions). archbook loads them,
//! resolves and validates the model, and reports every problem the way a
//! compiler does. The phases are visible on [`Site`]:
//!
//! ```no_run
//! let site = archbook::Site::check(std::path::Path::new("."))?;
//! println!("{} pages, {} errors", site.pages.len(), site.diagnostics.errors());
//! # Ok::<(), archbook::Error>(())
//! ```
//!
//! Modules, in pipeline order: [`config`] (book.toml), [`confine`] (what
//! may be read), [`load`] (walk and read), [`yaml`] (front matter), [`page`]
//! (one file, with [`rawhtml`] for its raw HTML), [`model`] (resolve and
//! validate), [`links`] (link and output checks), [`redirect`] (redirect and
//! landing pages), [`site`] (the orchestrator);
//! [`diagnostic`] and [`rules`] carry findings throughout.

#![warn(missing_docs)]

pub mod admonition;
pub mod config;
pub mod confine;
pub mod diagnostic;
pub mod error;
pub mod fuzzing;
pub mod highlight;
pub mod include;
pub mod init;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod nav;
pub mod origin;
pub mod output;
pub mod page;
pub mod rawhtml;
pub mod redirect;
pub mod render;
pub mod rules;
pub mod search;
pub mod serve;
pub mod session;
pub mod site;
pub mod slug;
pub mod summary;
pub mod svg;
pub mod theme;
pub mod views;
pub mod yaml;

pub use error::{Error, Result};
pub use site::Site;
