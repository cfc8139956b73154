//! `archbook check`: every phase but writing; prints findings and a summary.

use std::time::Instant;

use archbook::Site;

use super::{Exit, Output, count, print_findings, print_timings};
use crate::cli::{CheckArgs, Format};

pub fn run(args: &CheckArgs, out: Output) -> anyhow::Result<Exit> {
    let start = Instant::now();
    let site = Site::check_with(&args.dir, args.changes_since.as_deref())?;
    print_findings(&site, args.format, out)?;
    let ds = &site.diagnostics;
    let deny = args.deny.is_some() || site.handbook.config.deny_warnings;
    if args.format == Format::Human {
        print_timings(&site, out);
        if !out.quiet || ds.errors() > 0 || (deny && ds.warnings() > 0) {
            eprintln!(
                "{}: {} pages, {}, {} ({:.0} ms)",
                if ds.errors() > 0 || (deny && ds.warnings() > 0) {
                    "failed"
                } else {
                    "checked"
                },
                site.handbook.pages.len(),
                count(ds.errors(), "error"),
                count(ds.warnings(), "warning"),
                start.elapsed().as_secs_f64() * 1e3
            );
        }
    }
    let exit = if ds.errors() > 0 || (deny && ds.warnings() > 0) {
        Exit::Findings
    } else {
        Exit::Success
    };
    // As in `build`: the process ends next, the system takes the memory back.
    std::mem::forget(site);
    Ok(exit)
}
