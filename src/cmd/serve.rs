//! `archbook serve` and `archbook watch`: thin wrappers over `archbook::site::serve`.

use std::net::SocketAddr;

use archbook::site::serve::{self, ServeOptions};

use super::{Exit, Output};
use crate::cli::{ServeArgs, WatchArgs};

pub fn serve(args: &ServeArgs, out: Output) -> anyhow::Result<Exit> {
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: the handbook is reachable from other machines; \
             use the default 127.0.0.1 to keep it on this one",
            args.bind
        );
    }
    let open = args.open;
    let quiet = out.quiet;
    serve::serve(
        ServeOptions {
            root: args.dir.clone(),
            out: args.out.clone(),
            addr: SocketAddr::new(args.bind, args.port.unwrap_or(3000)),
            next_free: args.port.is_none(),
        },
        move |line| {
            if !quiet || line.contains("error") {
                eprintln!("{}", archbook::diagnostic::printable(line));
            }
        },
        move |addr| {
            let url = format!("http://{addr}/");
            eprintln!("serving the handbook at {url} (Ctrl-C to stop)");
            if open {
                open_browser(&url);
            }
        },
    )?;
    Ok(Exit::Success)
}

pub fn watch(args: &WatchArgs, out: Output) -> anyhow::Result<Exit> {
    let quiet = out.quiet;
    eprintln!("watching {} (Ctrl-C to stop)", args.dir.display());
    serve::watch(&args.dir, args.out.as_deref(), move |line| {
        if !quiet || line.contains("error") {
            eprintln!("{}", archbook::diagnostic::printable(line));
        }
    })?;
    Ok(Exit::Success)
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(url).spawn() {
        eprintln!("warning: could not open a browser ({program}: {e}); open {url} yourself");
    }
}
