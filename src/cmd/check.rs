//! `archbook check`: every phase but writing; prints findings and a summary.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use anyhow::Context;
use archbook::Site;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use super::Output;
use crate::cli::{CheckArgs, Exit, Format};

pub fn run(args: &CheckArgs, out: Output) -> anyhow::Result<Exit> {
    let start = Instant::now();
    let site = Site::check(&args.dir)?;
    let ds = &site.diagnostics;
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "findings": ds.to_json(&site.sources),
                "errors": ds.errors(),
                "warnings": ds.warnings(),
                "pages": site.pages.len(),
            });
            let mut stdout = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut stdout, &doc).map_err(std::io::Error::from)?;
            writeln!(stdout)?;
        }
        Format::Human => {
            let choice = if std::io::stderr().is_terminal() {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            };
            let mut err = StandardStream::stderr(choice);
            ds.render_to(&site.sources, &mut err)
                .context("cannot print findings")?;
            if out.verbose {
                for (phase, t) in &site.timings {
                    eprintln!("  {phase:<8} {:>8.1} ms", t.as_secs_f64() * 1e3);
                }
            }
            if !out.quiet || ds.errors() > 0 {
                eprintln!(
                    "{}: {} pages, {} {}, {} {} ({:.0} ms)",
                    if ds.errors() > 0 { "failed" } else { "checked" },
                    site.pages.len(),
                    ds.errors(),
                    plural(ds.errors(), "error"),
                    ds.warnings(),
                    plural(ds.warnings(), "warning"),
                    start.elapsed().as_secs_f64() * 1e3
                );
            }
        }
    }
    Ok(if ds.errors() > 0 {
        Exit::Findings
    } else {
        Exit::Success
    })
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
