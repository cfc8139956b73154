//! One module per subcommand, each a thin `run` over the library.

mod check;

use crate::cli::{Cli, Command, Exit};

/// Output options shared by every command.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    /// `-q`.
    pub quiet: bool,
    /// `-v`.
    pub verbose: bool,
}

/// Runs the chosen command.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let out = Output {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Check(args) => check::run(&args, out),
    }
}
