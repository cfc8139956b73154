//! Errors that stop archbook before it can report on content: a missing
//! handbook, an unreadable folder. Problems *in* the content are not errors
//! but findings (see `diagnostic`), so one run can report all of them.

use std::path::PathBuf;

/// An error that ends the run with exit code 2.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The handbook folder does not exist or is not a folder.
    #[error("`{0}` is not a folder; pass the folder that holds book.toml")]
    NotAFolder(PathBuf),
    /// Neither `book.toml` nor the default source folder exists.
    #[error(
        "no handbook in `{0}`: there is no book.toml and no `src` folder\n  help: run `archbook init {0}` to start one, or pass the folder that holds book.toml"
    )]
    NoHandbook(PathBuf),
    /// The configured source folder is missing.
    #[error(
        "the source folder `{0}` does not exist\n  help: create it, or set `src` under [book] in book.toml"
    )]
    MissingSource(PathBuf),
    /// The source folder leads outside the handbook's folder.
    #[error(
        "the source folder `{path}` is not read: {reason}\n  help: keep the pages inside the handbook's folder, or name the folder they live in under `extra-watch-dirs` in [build] in book.toml"
    )]
    OutsideSource {
        /// The folder.
        path: PathBuf,
        /// Where it leads.
        reason: String,
    },
    /// The output folder is one archbook must never write into.
    #[error(
        "refusing to write the site into `{path}`: {reason}\n  help: {}",
        UNSAFE_OUTPUT_HELP
    )]
    UnsafeOutput {
        /// The folder.
        path: PathBuf,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A file or folder could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The content or the theme has errors (already reported as findings).
    #[error("the handbook has errors; nothing was written")]
    Findings,
    /// The server could not listen on its address.
    #[error("cannot listen on {addr}: {source}\n  help: {help}")]
    Listen {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
        /// What to do about it.
        help: String,
    },
    /// A file or folder could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The PDF could not be printed (no browser, the browser failed).
    #[error("cannot write the PDF: {why}\n  help: {help}")]
    Pdf {
        /// Why.
        why: String,
        /// What to do about it.
        help: &'static str,
    },
    /// A git revision of the handbook could not be read.
    #[error("cannot read the handbook at `{rev}`: {why}\n  help: {help}")]
    Revision {
        /// The revision as given.
        rev: String,
        /// Why.
        why: String,
        /// What to do about it.
        help: &'static str,
    },
}

impl Error {
    /// An error writing `path`.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Write {
            path: path.into(),
            source,
        }
    }
}

/// How to proceed when archbook refuses an output folder.
pub const UNSAFE_OUTPUT_HELP: &str = "build into a new or empty folder (`-o <folder>`, or `build-dir` under [build] in book.toml); archbook replaces a folder that is not empty only when an earlier build wrote it (it holds `.archbook-site`; a site built by archbook 0.1 has none: delete it once)";

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
