//! `archbook build`: check, then render and write the site atomically.

use std::io::Write;
use std::time::Instant;

use archbook::cache::Blocks;
use archbook::site::fresh::{Fresh, Plan, Recorded};
use archbook::{Error, Site};

use super::{Exit, Output, colours, count, findings_text, print_findings, print_timings};
use crate::cli::{BuildArgs, Format};

pub fn run(args: &BuildArgs, out: Output) -> anyhow::Result<Exit> {
    let start = Instant::now();
    // A build of the same files into an untouched folder is not repeated
    // (`site::fresh`); a PDF or a git comparison always builds. These
    // settings shape the output or what is printed.
    let settings = [
        if args.deny.is_some() { "deny" } else { "" },
        if out.all_findings { "all" } else { "" },
        if colours() { "colour" } else { "" },
    ];
    let plan = (!args.pdf && args.changes_since.is_none())
        .then(|| Plan::new(&args.dir, args.out.as_deref()))
        .flatten();
    let (mut fresh, mut pending) = (None, None);
    match plan {
        Some(plan) if plan.has_record() => {
            fresh = plan.fingerprint(&settings);
            if let Some(last) = fresh.as_ref().and_then(Fresh::current) {
                std::io::stderr().write_all(&last.findings)?;
                if !out.quiet {
                    eprintln!(
                        "up to date: {} holds the build of these files ({} pages and {} views, {}), untouched since; nothing written ({:.0} ms)",
                        plan.target().display(),
                        last.pages,
                        last.views,
                        count(last.warnings, "warning"),
                        start.elapsed().as_secs_f64() * 1e3
                    );
                }
                return Ok(Exit::Success);
            }
        }
        // Nothing to compare with: the fingerprint is taken beside the build.
        Some(plan) => pending = Some(std::thread::spawn(move || plan.fingerprint(&settings))),
        None => {}
    }
    let mut site = Site::check_with(&args.dir, args.changes_since.as_deref())?;
    let target = args.out.clone().unwrap_or_else(|| site.default_output());
    let deny = args.deny.is_some() || site.handbook.config.deny_warnings;
    let denied = |site: &Site| deny && site.diagnostics.warnings() > 0;
    let result = if denied(&site) {
        // Denied warnings stop the build before anything is written.
        Err(Error::Findings)
    } else {
        // Code highlighted by the last build of this handbook (`cache`).
        // Without a cache folder no cache: it would hold all the build's
        // markup in memory for nothing.
        match Blocks::of(&args.dir) {
            Some(blocks) => {
                let cache = blocks.load();
                let built = site.build_cached(&target, &cache);
                if built.is_ok() {
                    // A cache that cannot be written costs the next build
                    // time only.
                    let _ = blocks.save(cache);
                }
                built
            }
            None => site.build(&target),
        }
    };
    print_findings(&site, Format::Human, out)?;
    print_timings(&site, out);
    let ds = &site.diagnostics;
    let exit = match result {
        // Warnings found while rendering (a theme's, code given up on).
        Ok(_) if denied(&site) => {
            eprintln!(
                "failed: {} (warnings denied); the site was written",
                count(ds.warnings(), "warning")
            );
            Ok(Exit::Findings)
        }
        Ok(report) => {
            if let Some(handle) = pending.take() {
                fresh = handle.join().ok().flatten();
            }
            if let Some(fresh) = fresh {
                // A record that cannot be written costs the next build its
                // shortcut, nothing more.
                let _ = fresh.record(&Recorded {
                    pages: report.pages,
                    views: report.views,
                    warnings: ds.warnings(),
                    findings: findings_text(&site, out)?,
                });
            }
            if !out.quiet {
                eprintln!(
                    "built: {} pages and {} views into {}, {} ({:.0} ms)",
                    report.pages,
                    report.views,
                    target.display(),
                    count(ds.warnings(), "warning"),
                    start.elapsed().as_secs_f64() * 1e3
                );
            }
            if out.verbose {
                for (phase, t) in &report.phases {
                    eprintln!("    {phase:<6} {:>8.1} ms", t.as_secs_f64() * 1e3);
                }
                eprintln!(
                    "  {} files, {:.1} MB; search index {:.1} KB",
                    report.files,
                    report.bytes as f64 / 1e6,
                    report.search_bytes as f64 / 1e3
                );
            }
            if args.pdf {
                let t = Instant::now();
                let pdf = archbook::pdf::write_pdf(&target, &site.handbook.config.pdf)?;
                if !out.quiet {
                    eprintln!(
                        "pdf: {}, {} pages, {:.1} MB ({:.1} s)",
                        pdf.path.display(),
                        pdf.pages,
                        pdf.bytes as f64 / 1e6,
                        t.elapsed().as_secs_f64()
                    );
                }
            }
            Ok(Exit::Success)
        }
        Err(Error::Findings) => {
            eprintln!(
                "failed: {}, {}{}; nothing was written",
                count(ds.errors(), "error"),
                count(ds.warnings(), "warning"),
                if ds.errors() == 0 {
                    " (warnings denied)"
                } else {
                    ""
                }
            );
            Ok(Exit::Findings)
        }
        Err(e) => Err(e.into()),
    };
    // The process ends next: the system takes the handbook's memory back at
    // once, faster than freeing it piece by piece (4% of a 1,000-page build).
    std::mem::forget(site);
    exit
}
