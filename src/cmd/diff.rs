//! `archbook diff`: compares two versions of a handbook and prints the
//! changes as text, Markdown or JSON.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use archbook::changes::report;
use archbook::site::since::{self, Version};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use super::{Exit, Output};
use crate::cli::{DiffArgs, DiffFormat};

/// A version as given: an existing folder is a folder, anything else a
/// revision of the repository holding `dir`.
fn version(arg: &str, dir: &Path) -> Version {
    if Path::new(arg).is_dir() {
        Version::Folder(arg.into())
    } else {
        Version::Revision {
            dir: dir.to_path_buf(),
            rev: arg.to_string(),
        }
    }
}

pub fn run(args: &DiffArgs, _out: Output) -> anyhow::Result<Exit> {
    let old = version(&args.old, &args.dir);
    let new = match &args.new {
        Some(arg) => version(arg, &args.dir),
        None => Version::Folder(args.dir.clone()),
    };
    let changes = since::diff(&old, &new)?;
    let mut stdout = std::io::stdout().lock();
    match args.format {
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, &changes).map_err(std::io::Error::from)?;
            writeln!(stdout)?;
        }
        DiffFormat::Markdown => stdout.write_all(report::markdown(&changes).as_bytes())?,
        DiffFormat::Text => {
            drop(stdout);
            let choice = if std::io::stdout().is_terminal() {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            };
            report::text(&changes, &mut StandardStream::stdout(choice))
                .context("cannot print the changes")?;
        }
    }
    Ok(if args.exit_code && !changes.is_empty() {
        Exit::Findings
    } else {
        Exit::Success
    })
}
