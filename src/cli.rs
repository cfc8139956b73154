//! Command-line arguments (clap derive). Each `///` comment is the help text.
//! Only commands that exist are declared here; `cmd` runs them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// archbook: architecture handbooks from Markdown with a validated model.
#[derive(Debug, Parser)]
#[command(name = "archbook", version, about, long_about = None)]
pub struct Cli {
    /// Print nothing but findings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print the time each phase took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Print every finding (by default at most 50 of each rule are printed,
    /// and the rest counted).
    #[arg(long, global = true)]
    pub all_findings: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the handbook into a static site (nothing to do when the output
    /// folder holds the last build of the same files, untouched).
    Build(BuildArgs),
    /// Load, validate and link-check a handbook without writing anything.
    Check(CheckArgs),
    /// Start a new handbook: book.toml, one page of each kind, a GitHub Pages workflow.
    Init(InitArgs),
    /// Turn a RACI spreadsheet saved as CSV into activity and role pages.
    Import(ImportArgs),
    /// Build, serve on 127.0.0.1, rebuild on every change and reload the browser.
    Serve(ServeArgs),
    /// Rebuild the output folder on every change, without a server.
    Watch(WatchArgs),
    /// Compare the model of two versions of a handbook: RACI cells,
    /// accountables, boundaries, components, layers, decisions, pages.
    Diff(DiffArgs),
    /// Run the language server for editors, on standard input and output.
    Lsp,
    /// Print the JSON Schema of the front matter (of one kind, or of any
    /// page), for editors with a YAML extension.
    Schema(SchemaArgs),
    /// Print a completion script for a shell (e.g. `archbook completions bash
    /// > ~/.local/share/bash-completion/completions/archbook`).
    Completions(CompletionsArgs),
    /// Print the manual page (e.g. `archbook man > ~/.local/share/man/man1/archbook.1`).
    Man,
}

/// Arguments of `archbook serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The handbook folder (the one holding book.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Port to listen on [default: 3000, or the next free one of the ten
    /// after it]; 0 picks any free one.
    #[arg(short, long)]
    pub port: Option<u16>,
    /// Address to listen on. Anything but a loopback address makes the
    /// handbook reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the handbook in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Where to write the site [default: `build-dir` from book.toml, else DIR/book].
    #[arg(short, long, value_name = "OUT")]
    pub out: Option<PathBuf>,
}

/// Arguments of `archbook init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder for the new handbook (created if needed; existing files are kept).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where the handbook is published from: a GitHub Pages workflow, or a
    /// GitLab CI pipeline for GitLab Pages.
    #[arg(long, value_enum, default_value_t = CiChoice::Github)]
    pub ci: CiChoice,
}

/// `archbook init --ci`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CiChoice {
    /// `.github/workflows/pages.yml`.
    Github,
    /// `.gitlab-ci.yml`.
    Gitlab,
}

/// Arguments of `archbook import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The sheet, saved as CSV: activities as rows, roles as columns (or
    /// roles as rows when the first header cell is `Role`), letters in the
    /// cells, optionally an `Area` column.
    pub sheet: PathBuf,
    /// The handbook folder to add the pages to (existing files are kept).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// Arguments of `archbook diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older version: a git revision of the repository the handbook is
    /// in (`HEAD`, `main`, `v1.0`, `HEAD~3`), or a handbook folder.
    #[arg(default_value = "HEAD")]
    pub old: String,
    /// The newer version, as OLD [default: the handbook folder as it is now].
    pub new: Option<String>,
    /// The handbook folder (the one holding book.toml) whose revisions are
    /// compared.
    #[arg(short = 'C', long = "dir", default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// How to print the changes: for a terminal, as Markdown (a pull-request
    /// comment, `$GITHUB_STEP_SUMMARY`), or as JSON.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit with 1 when the versions differ and 0 when they are equal (as
    /// `git diff --exit-code`).
    #[arg(long)]
    pub exit_code: bool,
}

/// Output format of `archbook diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Grouped lines, coloured on a terminal.
    Text,
    /// Markdown.
    Markdown,
    /// One JSON document (schema in the guide's "Reviewing changes").
    Json,
}

/// Arguments of `archbook schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Only the keys of this kind (layer, component, role, activity,
    /// decision) [default: any page, each kind's keys when `kind` says so].
    pub kind: Option<String>,
}

/// Arguments of `archbook completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `archbook watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The handbook folder (the one holding book.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where to write the site [default: `build-dir` from book.toml, else DIR/book].
    #[arg(short, long, value_name = "OUT")]
    pub out: Option<PathBuf>,
}

/// Arguments of `archbook build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The handbook folder (the one holding book.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where to write the site [default: `build-dir` from book.toml, else DIR/book].
    #[arg(short, long, value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// `--deny warnings`: fail (exit 1, nothing written) on any warning, as
    /// CI should.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Option<Deny>,
    /// Compare with this git revision for the "What changed" page
    /// (overrides `changes-since` in book.toml).
    #[arg(long, value_name = "REV")]
    pub changes_since: Option<String>,
    /// Also print the whole handbook to `handbook.pdf` in the output folder,
    /// with a local Chromium, Chrome or Edge (`browser-binary-path` under
    /// [output.pdf] in book.toml, else the first found).
    #[arg(long)]
    pub pdf: bool,
}

/// What `--deny` turns into a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Every warning.
    Warnings,
}

/// Arguments of `archbook check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The handbook folder (the one holding book.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// `--deny warnings`: exit 1 on any warning too.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Option<Deny>,
    /// How to print findings: for people, or as JSON for editors and CI.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Compare with this git revision for the "What changed" page
    /// (overrides `changes-since` in book.toml).
    #[arg(long, value_name = "REV")]
    pub changes_since: Option<String>,
}

/// Output format of findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Located messages with the source line underlined.
    Human,
    /// One JSON document with every finding.
    Json,
}

/// Exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked (warnings allowed).
    Success = 0,
    /// The content has errors.
    Findings = 1,
    /// Usage or I/O trouble.
    Trouble = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}
