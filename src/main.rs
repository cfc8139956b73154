//! The `archbook` command: parses arguments and hands over to the library.
//! Exit codes: 0 success, 1 content errors, 2 usage or I/O errors.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code.into(),
        Err(e) => {
            eprintln!("error: {e:#}");
            cli::Exit::Trouble.into()
        }
    }
}
