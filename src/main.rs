//! The `archbook` command: parses arguments and hands over to the library.
//! Exit codes: 0 success, 1 content errors, 2 usage or I/O errors.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

// Rendering allocates many small strings on every thread; mimalloc measured
// noticeably faster than the system allocator for a full build.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code.into(),
        // A closed pipe (`archbook check --format json | head`) is not a failure.
        Err(e) if is_broken_pipe(&e) => cli::Exit::Success.into(),
        Err(e) => {
            eprintln!("error: {}", message(&e));
            cli::Exit::Trouble.into()
        }
    }
}

/// The error and its causes, each cause once: archbook's messages already
/// quote the system's reason (`cannot write x: Permission denied`).
fn message(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
