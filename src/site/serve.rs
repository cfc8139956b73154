//! `serve` and `watch`: watch the handbook with notify, rebuild through a
//! [`Session`], and (for `serve`) serve the output folder over HTTP with axum,
//! telling open browser tabs to reload over a websocket.
//!
//! The server serves only files under the output folder: paths are decoded,
//! `.`/`..` segments and backslashes are refused, and the resolved file must
//! lie inside the (canonical) output folder, so neither `..` nor `%2e%2e` nor a
//! symbolic link leads out. HTML responses get a small script that listens for
//! reloads and shows build errors as an overlay.
//!
//! It is a server on a developer's machine, so it also guards against other
//! web sites the developer visits: requests must name a loopback host or the
//! bound address, and the live-reload websocket accepts only pages of the
//! same origin (both in `origin`); connections
//! whose headers do not arrive within [`HEADER_TIMEOUT`] are dropped and at
//! most [`MAX_CONNECTIONS`] are open at once, and files are streamed rather
//! than held in memory.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use notify::{EventKind, RecursiveMode, Watcher as _};
use tokio::sync::broadcast;

use crate::error::{Error, Result};
use crate::site::session::{Outcome, Session};

/// Binds `addr`; when its port is taken and `next_free` is set, the next
/// free one of the ten after it (saying so).
async fn listen(
    addr: SocketAddr,
    next_free: bool,
    log: &(dyn Fn(&str) + Sync),
) -> Result<tokio::net::TcpListener> {
    let tries = if next_free { 10 } else { 0 };
    let mut first_error = None;
    for step in 0..=tries {
        let Some(port) = addr.port().checked_add(step) else {
            break;
        };
        let at = SocketAddr::new(addr.ip(), port);
        match tokio::net::TcpListener::bind(at).await {
            Ok(listener) => {
                if step > 0 {
                    log(&format!("port {} is in use; using {port}", addr.port()));
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && step < tries => {
                first_error.get_or_insert(e);
            }
            Err(e) => {
                let in_use = e.kind() == std::io::ErrorKind::AddrInUse;
                let ports = if step > 0 {
                    format!("ports {} to {port}", addr.port())
                } else {
                    format!("port {port}")
                };
                let help = if in_use {
                    format!(
                        "other programs (another `archbook serve`?) use {ports}; pass a free one with `--port`, or `--port 0` for any"
                    )
                } else if e.kind() == std::io::ErrorKind::AddrNotAvailable {
                    format!(
                        "{} is not an address of this machine; leave out `--bind` to use 127.0.0.1",
                        addr.ip()
                    )
                } else {
                    "pass another port with `--port`".to_string()
                };
                return Err(Error::Listen {
                    addr,
                    source: first_error.unwrap_or(e),
                    help,
                });
            }
        }
    }
    Err(Error::Listen {
        addr,
        source: first_error.unwrap_or_else(|| std::io::Error::from(std::io::ErrorKind::AddrInUse)),
        help: "pass a free port with `--port`, or `--port 0` for any".to_string(),
    })
}

/// Where live-reload messages and the client script live.
pub const ENDPOINT: &str = "/__archbook";

/// The script injected into every served HTML page.
const CLIENT_JS: &str = r#"(function () {
  "use strict";
  // Findings of a failed rebuild: a panel along the foot of the page, over
  // the last good build, which stays readable above it. Dismissed, it stays
  // away until the findings change.
  var box = null, dismissed = null;
  function overlay(text) {
    if (text === dismissed) return;
    if (!box) {
      box = document.createElement("section");
      box.id = "archbook-error-overlay";
      box.setAttribute("role", "alert");
      box.setAttribute("aria-label", "Build errors");
      box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:45vh;z-index:99999;" +
        "overflow:auto;padding:0 1rem .75rem;background:#1d1f24;color:#f3f4f6;border:3px solid #e5484d;" +
        "border-radius:8px;font:13px/1.5 ui-monospace,monospace;box-shadow:0 8px 32px rgba(0,0,0,.4)";
      var head = document.createElement("div");
      head.style.cssText = "position:sticky;top:0;display:flex;gap:1rem;align-items:center;" +
        "justify-content:space-between;padding:.6rem 0 .4rem;background:#1d1f24";
      var title = document.createElement("strong");
      title.textContent = "archbook: the last change has errors; the page shows the last good build.";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.title = "Hide until the findings change (Esc)";
      close.style.cssText = "font:inherit;padding:.15rem .7rem;border-radius:4px;border:1px solid #9ca3af;" +
        "background:#2b2f36;color:#f3f4f6;cursor:pointer";
      close.addEventListener("click", dismiss);
      head.appendChild(title);
      head.appendChild(close);
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap;font:inherit";
      box.appendChild(head);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.setAttribute("data-findings", text);
    box.querySelector("pre").textContent = text;
  }
  function dismiss() { if (box) { dismissed = box.getAttribute("data-findings"); clear(); } }
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && box) dismiss(); });
  function clear() { if (box) { box.remove(); box = null; } }
  // The build this page was served from; a newer one on (re)connect means
  // a reload was missed while the page was loading.
  var me = document.currentScript && /[?&]build=(\d+)/.exec(document.currentScript.src);
  var built = me ? me[1] : null;
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__archbook/livereload");
    ws.onmessage = function (e) {
      var m = JSON.parse(e.data);
      if (m.type === "hello") { if (built !== null && String(m.build) !== built) location.reload(); }
      else if (m.type === "reload") location.reload();
      else if (m.type === "error") overlay(m.text);
      else if (m.type === "ok") { dismissed = null; clear(); }
    };
    ws.onclose = function () { setTimeout(connect, 1000); };
  }
  connect();
})();
"#;

/// How long a connection may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How many connections may be open at once; more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 128;

/// What the server shares with its handlers.
struct App {
    out: PathBuf,
    /// The address the server listens on (for the `Host` check).
    addr: SocketAddr,
    tx: broadcast::Sender<String>,
    /// Counts successful rebuilds; pages carry the number they were served with.
    build: std::sync::atomic::AtomicU64,
    /// Counts handled changes: rebuilds, incremental or full, and failed ones.
    changes: std::sync::atomic::AtomicU64,
    /// The findings of the last failed change, while it is not fixed.
    error: Mutex<Option<String>>,
}

/// Options of `archbook serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The handbook folder.
    pub root: PathBuf,
    /// The output folder (default: the handbook's `build-dir`).
    pub out: Option<PathBuf>,
    /// Address to listen on.
    pub addr: SocketAddr,
    /// When the port is taken, try the next few (as for the default port,
    /// which another server may hold), else fail.
    pub next_free: bool,
}

/// Builds, serves and rebuilds until Ctrl-C. `log` receives one line per
/// event for the terminal; `ready` gets the address actually bound.
///
/// The address is bound before anything is built: a port that is taken
/// fails the command with the output folder untouched.
pub fn serve(
    opts: ServeOptions,
    log: impl Fn(&str) + Send + Sync + 'static,
    ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Read {
            path: opts.root.clone(),
            source: e,
        })?;
    let listener = runtime.block_on(listen(opts.addr, opts.next_free, &log))?;
    let addr = listener.local_addr().map_err(|e| Error::Read {
        path: opts.addr.to_string().into(),
        source: e,
    })?;
    raise_open_files_limit();
    let (session, first) = Session::start(&opts.root, opts.out.as_deref())?;
    let events = watch_events(&session.watched())?;
    let log = Arc::new(log);
    report(&*log, &first, &session, KEPT_SERVING);
    let (tx, _) = broadcast::channel(64);
    let app = Arc::new(App {
        out: session.output().to_path_buf(),
        addr,
        tx,
        build: std::sync::atomic::AtomicU64::new(0),
        changes: std::sync::atomic::AtomicU64::new(0),
        error: Mutex::new(match &first {
            Outcome::Failed(r) => Some(r.clone()),
            _ => None,
        }),
    });
    runtime.block_on(async move {
        // Listen for Ctrl-C before announcing the address, so a signal sent as
        // soon as the server is up still stops it cleanly.
        let stop = shutdown_signal().map_err(|e| Error::Read {
            path: opts.root.clone(),
            source: e,
        })?;
        ready(addr);
        let watcher_app = app.clone();
        let watcher_log = log.clone();
        std::thread::spawn(move || {
            watch_loop(
                session,
                events,
                |outcome, session| {
                    report(&*watcher_log, outcome, session, KEPT_SERVING);
                    watcher_app
                        .changes
                        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let msg = match outcome {
                        Outcome::Failed(text) => {
                            *watcher_app.error.lock().unwrap_or_else(|e| e.into_inner()) =
                                Some(text.clone());
                            serde_json::json!({ "type": "error", "text": text }).to_string()
                        }
                        _ => {
                            *watcher_app.error.lock().unwrap_or_else(|e| e.into_inner()) = None;
                            serde_json::json!({ "type": "ok" }).to_string()
                        }
                    };
                    let _ = watcher_app.tx.send(msg);
                },
                || {
                    watcher_app
                        .build
                        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let _ = watcher_app
                        .tx
                        .send(serde_json::json!({ "type": "reload" }).to_string());
                },
            );
            watcher_log("error: the file watcher stopped; restart `archbook serve`");
        });
        let router = Router::new()
            .route("/__archbook/livereload", get(livereload))
            .route("/__archbook/client.js", get(client_js))
            .route("/__archbook/status", get(status))
            .fallback(get(file))
            .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
            .with_state(app);
        run_server(listener, router, stop)
            .await
            .map_err(|e| Error::Read {
                path: addr.to_string().into(),
                source: e,
            })
    })
}

/// Accepts connections until `stop`, each served by hyper with a deadline
/// for its request headers (a client that trickles them, or never sends
/// them, must not hold a connection for ever) and at most
/// [`MAX_CONNECTIONS`] open at once.
async fn run_server(
    listener: tokio::net::TcpListener,
    router: Router,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    tokio::pin!(stop);
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            break;
        };
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(_) => {
                    // Out of file descriptors, say: wait a little, go on.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    // Open connections (live-reload sockets) get a moment to close.
    let _ = tokio::time::timeout(Duration::from_secs(1), graceful.shutdown()).await;
    Ok(())
}

/// Raises the soft limit of open files to the hard limit: each browser tab
/// holds connections, and the default 1,024 (256 on macOS) runs out first.
fn raise_open_files_limit() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let mut limit = getrlimit(Resource::Nofile);
        if limit.current < limit.maximum {
            limit.current = limit.maximum;
            let _ = setrlimit(Resource::Nofile, limit);
        }
    }
}

/// Refuses requests for other hosts, and websocket requests from pages of
/// other origins (see `origin`), before any handler runs.
async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let livereload = req.uri().path() == "/__archbook/livereload";
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    match crate::site::origin::refusal(host, req.headers(), livereload, app.addr) {
        Some(refused) => refused.into_response(),
        None => next.run(req).await,
    }
}

/// A future that completes on Ctrl-C (or SIGTERM); the handlers are in
/// place when this returns.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// A future that completes on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Rebuilds into the output folder on every change, without a server.
pub fn watch(root: &Path, out: Option<&Path>, log: impl Fn(&str)) -> Result<()> {
    let (session, first) = Session::start(root, out)?;
    let events = watch_events(&session.watched())?;
    report(&log, &first, &session, KEPT_WRITTEN);
    watch_loop(
        session,
        events,
        |outcome, session| report(&log, outcome, session, KEPT_WRITTEN),
        || {},
    );
    Err(Error::Read {
        path: root.to_path_buf(),
        source: std::io::Error::other("the file watcher stopped"),
    })
}

/// A registered watcher and the channel its events arrive on.
type Events = (
    notify::RecommendedWatcher,
    mpsc::Receiver<notify::Result<notify::Event>>,
);

/// Starts watching `dirs` (the root first). Done before the first page is
/// announced, so no edit made after that can be missed.
fn watch_events(dirs: &[PathBuf]) -> Result<Events> {
    let root = dirs.first().map(PathBuf::as_path).unwrap_or(Path::new("."));
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |ev| {
        let _ = tx.send(ev);
    })
    .map_err(|e| watch_error(root, e))?;
    for dir in dirs {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| watch_error(dir, e))?;
    }
    Ok((watcher, rx))
}

/// Waits for changes and rebuilds, for as long as the watcher runs. A
/// change that breaks the handbook (or its output folder) is an outcome
/// like any other: the loop goes on, and the next change that fixes it
/// rebuilds. `done` runs after each rebuild; `reloaded` as soon as a
/// rebuild's pages are written.
fn watch_loop(
    mut session: Session,
    events: Events,
    mut done: impl FnMut(&Outcome, &Session),
    mut reloaded: impl FnMut(),
) {
    let (_watcher, rx) = events;
    while let Some(paths) = next_batch(&rx) {
        let outcome = session.changed(&paths, &mut reloaded);
        if outcome != Outcome::Nothing {
            done(&outcome, &session);
        }
    }
}

/// Blocks for the next change, then gathers what follows within a short
/// quiet period (editors save in bursts), capped so a flood of events cannot
/// delay a rebuild forever.
fn next_batch(rx: &mpsc::Receiver<notify::Result<notify::Event>>) -> Option<Vec<PathBuf>> {
    const QUIET: Duration = Duration::from_millis(15);
    const MAX_WAIT: Duration = Duration::from_millis(500);
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut add = |ev: notify::Result<notify::Event>, paths: &mut Vec<PathBuf>| {
        if let Ok(ev) = ev
            && matches!(
                ev.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
            )
        {
            for p in ev.paths {
                if seen.insert(p.clone()) {
                    paths.push(p);
                }
            }
        }
    };
    loop {
        let ev = rx.recv().ok()?;
        add(ev, &mut paths);
        if !paths.is_empty() {
            break;
        }
    }
    let start = Instant::now();
    while start.elapsed() < MAX_WAIT {
        match rx.recv_timeout(QUIET) {
            Ok(ev) => add(ev, &mut paths),
            Err(mpsc::RecvTimeoutError::Timeout) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    Some(paths)
}

fn watch_error(root: &Path, e: notify::Error) -> Error {
    Error::Read {
        path: root.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// What a failed rebuild leaves readers with, as `serve` and `watch` say it.
const KEPT_SERVING: &str = "the change has errors: still serving the last good build";
const KEPT_WRITTEN: &str = "the change has errors: the output folder keeps the last good build";

fn report(log: &dyn Fn(&str), outcome: &Outcome, session: &Session, kept: &str) {
    match outcome {
        Outcome::Rebuilt {
            pages,
            full,
            warnings,
            took,
        } => {
            if *warnings > 0 {
                log(session.report().trim_end());
            }
            log(&format!(
                "{} {} {} in {:.0} ms{}",
                if *full { "built" } else { "rebuilt" },
                pages,
                if *pages == 1 { "page" } else { "pages" },
                took.as_secs_f64() * 1e3,
                if *warnings > 0 {
                    format!(", {warnings} warnings")
                } else {
                    String::new()
                }
            ));
        }
        Outcome::Failed(text) => {
            log(text.trim_end());
            log(kept);
        }
        Outcome::Nothing => {}
    }
}

async fn livereload(ws: WebSocketUpgrade, State(app): State<Arc<App>>) -> Response {
    ws.on_upgrade(move |socket| client(socket, app))
}

async fn client(mut socket: WebSocket, app: Arc<App>) {
    let mut rx = app.tx.subscribe();
    let build = app.build.load(std::sync::atomic::Ordering::SeqCst);
    let hello = serde_json::json!({ "type": "hello", "build": build }).to_string();
    if socket.send(Message::Text(hello.into())).await.is_err() {
        return;
    }
    let current = app.error.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(text) = current {
        let msg = serde_json::json!({ "type": "error", "text": text }).to_string();
        if socket.send(Message::Text(msg.into())).await.is_err() {
            return;
        }
    }
    while let Ok(msg) = rx.recv().await {
        if socket.send(Message::Text(msg.into())).await.is_err() {
            break;
        }
    }
}

async fn client_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        CLIENT_JS,
    )
}

async fn status(State(app): State<Arc<App>>) -> impl IntoResponse {
    let error = app.error.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let body = serde_json::json!({
        "ok": error.is_none(),
        "error": error,
        "build": app.build.load(std::sync::atomic::Ordering::SeqCst),
        "changes": app.changes.load(std::sync::atomic::Ordering::SeqCst),
    })
    .to_string();
    ([(header::CONTENT_TYPE, "application/json")], body)
}

async fn file(State(app): State<Arc<App>>, req: Request) -> Response {
    let path = req.uri().path();
    let build = app.build.load(std::sync::atomic::Ordering::SeqCst);
    match lookup(&app.out, path) {
        Lookup::File(file) => send(&file, StatusCode::OK, build).await,
        // One leading slash: `//roles` would send the browser to the host
        // `roles` (an open redirect).
        Lookup::Folder => {
            Redirect::permanent(&format!("/{}/", path.trim_start_matches(['/', '\\'])))
                .into_response()
        }
        Lookup::NotFound => send(&app.out.join("404.html"), StatusCode::NOT_FOUND, build).await,
    }
}

enum Lookup {
    File(PathBuf),
    Folder,
    NotFound,
}

/// Maps a request path to a file under `root`, refusing anything that could
/// lead outside it.
fn lookup(root: &Path, url_path: &str) -> Lookup {
    let Ok(decoded) = percent_encoding::percent_decode_str(url_path).decode_utf8() else {
        return Lookup::NotFound;
    };
    let mut full = root.to_path_buf();
    for seg in decoded.split('/').filter(|s| !s.is_empty()) {
        if seg == ".."
            || seg == "."
            || seg.contains(['\\', '\0'])
            || (seg.len() >= 2 && seg.as_bytes()[1] == b':')
        {
            return Lookup::NotFound;
        }
        full.push(seg);
    }
    if full.is_dir() {
        if !url_path.ends_with('/') {
            return Lookup::Folder;
        }
        full.push("index.html");
    }
    // Symbolic links must not lead out either.
    match (full.canonicalize(), root.canonicalize()) {
        (Ok(f), Ok(r)) if f.starts_with(&r) && f.is_file() => Lookup::File(f),
        _ => Lookup::NotFound,
    }
}

/// Streams a file (a 33 MB print page read by fifty slow clients took
/// 2.4 GB when each response was held whole). HTML gets the live-reload
/// script after its last byte: browsers run a script that follows
/// `</html>` as if it stood at the end of the body.
async fn send(path: &Path, status: StatusCode, build: u64) -> Response {
    let Ok(file) = tokio::fs::File::open(path).await else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let stream = tokio_util::io::ReaderStream::with_capacity(file, 64 << 10);
    let body = if is_html {
        use futures_util::StreamExt as _;
        let tag = bytes_of(format!("\n{}", script_tag(build)));
        Body::from_stream(stream.chain(futures_util::stream::once(async move { Ok(tag) })))
    } else {
        Body::from_stream(stream)
    };
    let content_type = if mime.type_() == mime_guess::mime::TEXT
        || mime.essence_str() == "application/javascript"
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut resp = (status, body).into_response();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// The live-reload script tag for pages of build `build`.
fn script_tag(build: u64) -> String {
    format!("<script src=\"/__archbook/client.js?build={build}\"></script>\n")
}

fn bytes_of(text: String) -> axum::body::Bytes {
    axum::body::Bytes::from(text.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        std::fs::create_dir_all(out.join("roles")).unwrap();
        std::fs::write(out.join("index.html"), "x").unwrap();
        std::fs::write(out.join("roles/ops.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), out.join("link.txt")).unwrap();
        assert!(matches!(lookup(&out, "/"), Lookup::File(_)));
        assert!(matches!(lookup(&out, "/roles/ops.html"), Lookup::File(_)));
        assert!(matches!(lookup(&out, "/roles"), Lookup::Folder));
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/roles/..%2f..%2fsecret.txt",
            "/roles/%2E%2E/%2E%2E/secret.txt",
            "/link.txt",
            "/a\\..\\secret.txt",
            "/%00",
        ] {
            assert!(matches!(lookup(&out, bad), Lookup::NotFound), "{bad}");
        }
    }
}
