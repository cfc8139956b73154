//! One module per subcommand, each a thin `run` over the library, plus the
//! printing of findings they share.

mod build;
mod check;
mod diff;
mod serve;

use std::io::{IsTerminal, Write};

use anyhow::Context;
use archbook::Site;
use codespan_reporting::term::termcolor::{Ansi, ColorChoice, NoColor, StandardStream};

use crate::cli::{Cli, Command, Format};

pub use crate::cli::Exit;

/// Output options shared by every command.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    /// `-q`.
    pub quiet: bool,
    /// `-v`.
    pub verbose: bool,
    /// `--all-findings`.
    pub all_findings: bool,
}

/// How many findings of one rule are printed unless `--all-findings` is
/// given: enough to see the pattern, and a count of the rest (200,000
/// findings took 74 s to print).
pub const FINDINGS_PER_RULE: usize = 50;

/// Runs the chosen command.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let out = Output {
        quiet: cli.quiet,
        verbose: cli.verbose,
        all_findings: cli.all_findings,
    };
    match cli.command {
        Command::Check(args) => check::run(&args, out),
        Command::Build(args) => build::run(&args, out),
        Command::Init(args) => {
            let ci = match args.ci {
                crate::cli::CiChoice::Github => archbook::init::Ci::Github,
                crate::cli::CiChoice::Gitlab => archbook::init::Ci::Gitlab,
            };
            for (path, new) in archbook::init::init(&args.dir, ci)? {
                if !out.quiet || !new {
                    eprintln!(
                        "{} {}",
                        if new { "created" } else { "kept   " },
                        path.display()
                    );
                }
            }
            if !out.quiet {
                eprintln!(
                    "next: `archbook serve {}` to write with live reload, `archbook build {}` to publish",
                    args.dir.display(),
                    args.dir.display()
                );
            }
            Ok(Exit::Success)
        }
        Command::Import(args) => import(&args, out),
        Command::Diff(args) => diff::run(&args, out),
        Command::Schema(args) => {
            let kind = match args.kind.as_deref() {
                None => None,
                Some(name) => Some(archbook::vocab::Kind::from_name(name).ok_or_else(|| {
                    anyhow::anyhow!(
                        "`{name}` is not a kind\n  help: name one of layer, component, role, activity, decision"
                    )
                })?),
            };
            let schema = archbook::schema::front_matter(kind);
            let mut stdout = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut stdout, &schema).map_err(std::io::Error::from)?;
            writeln!(stdout)?;
            Ok(Exit::Success)
        }
        Command::Lsp => {
            archbook::lsp::stdio().map_err(|e| anyhow::anyhow!("language server: {e}"))?;
            Ok(Exit::Success)
        }
        Command::Completions(args) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(args.shell, &mut cmd, "archbook", &mut std::io::stdout());
            Ok(Exit::Success)
        }
        Command::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command())
                .render(&mut std::io::stdout())
                .context("cannot print the manual page")?;
            Ok(Exit::Success)
        }
        Command::Serve(args) => serve::serve(&args, out),
        Command::Watch(args) => serve::watch(&args, out),
    }
}

/// `archbook import`: the pages, or the findings that stopped it.
fn import(args: &crate::cli::ImportArgs, out: Output) -> anyhow::Result<Exit> {
    let done = archbook::import::import(&args.dir, &args.sheet)?;
    let choice = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let per_rule = (!out.all_findings).then_some(FINDINGS_PER_RULE);
    done.diagnostics
        .render_to(&done.sources, &mut StandardStream::stderr(choice), per_rule)
        .context("cannot print findings")?;
    if done.diagnostics.errors() > 0 {
        eprintln!(
            "failed: {}; nothing was written",
            count(done.diagnostics.errors(), "error")
        );
        return Ok(Exit::Findings);
    }
    for (path, new) in &done.files {
        if !out.quiet || !new {
            let what = if *new { "created" } else { "kept   " };
            eprintln!("{what} {}", path.display());
        }
    }
    if !out.quiet {
        let kept = done.files.iter().filter(|(_, new)| !new).count();
        if kept > 0 {
            eprintln!("{} already existed; left unchanged", count(kept, "file"));
        }
        eprintln!("next: `archbook check {}`", args.dir.display());
    }
    Ok(Exit::Success)
}

/// Prints every finding: to standard error for people, or as one JSON
/// document on standard output.
pub fn print_findings(site: &Site, format: Format, out: Output) -> anyhow::Result<()> {
    let ds = &site.diagnostics;
    match format {
        Format::Json => {
            let doc = serde_json::json!({
                "findings": ds.to_json(&site.handbook.sources),
                "errors": ds.errors(),
                "warnings": ds.warnings(),
                "pages": site.handbook.pages.len(),
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
            let per_rule = (!out.all_findings).then_some(FINDINGS_PER_RULE);
            ds.render_to(
                &site.handbook.sources,
                &mut StandardStream::stderr(choice),
                per_rule,
            )
            .context("cannot print findings")?;
        }
    }
    Ok(())
}

/// The findings as [`print_findings`] shows people them, as bytes to keep
/// (`build`'s record): in ANSI colour when standard error is a terminal
/// that shows colour ([`colours`]).
pub fn findings_text(site: &Site, out: Output) -> anyhow::Result<Vec<u8>> {
    let per_rule = (!out.all_findings).then_some(FINDINGS_PER_RULE);
    let sources = &site.handbook.sources;
    let ds = &site.diagnostics;
    Ok(if colours() {
        let mut text = Ansi::new(Vec::new());
        ds.render_to(sources, &mut text, per_rule)
            .context("cannot print findings")?;
        text.into_inner()
    } else {
        let mut text = NoColor::new(Vec::new());
        ds.render_to(sources, &mut text, per_rule)
            .context("cannot print findings")?;
        text.into_inner()
    })
}

/// Whether findings on standard error are coloured with ANSI codes: it is a
/// terminal, and neither `NO_COLOR` nor `TERM=dumb` asks for none (as
/// termcolor decides; on Windows, whose console termcolor colours by its
/// own calls, kept findings are plain).
pub fn colours() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none()
        && std::env::var_os("TERM").is_some_and(|t| t != "dumb")
}

/// Prints phase timings for `-v`.
pub fn print_timings(site: &Site, out: Output) {
    if out.verbose {
        for (phase, t) in &site.timings {
            eprintln!("  {phase:<8} {:>8.1} ms", t.as_secs_f64() * 1e3);
        }
    }
}

/// "1 error" / "2 errors".
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
