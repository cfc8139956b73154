//! `archbook serve` end to end: start it on a free port, fetch pages over
//! HTTP, edit a page and see the change (and the reload message on the
//! websocket), break and fix a page, and try to escape the output folder; and
//! `archbook watch`, which does the same to the output folder without a server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{append, copy_dir, copy_fixture, fixtures, replace_in};

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `archbook ARGS` in `dir`; its stderr arrives line by line on the
/// receiver.
fn spawn(dir: &Path, args: &[&str]) -> (Server, std::sync::mpsc::Receiver<String>) {
    let child = Command::new(env!("CARGO_BIN_EXE_archbook"))
        .args(args)
        .current_dir(dir)
        .stderr(Stdio::piped())
        .spawn()
        .expect("archbook starts");
    // Owned by `Server` from here on, so it is killed and reaped on every path.
    let mut server = Server {
        child,
        addr: String::new(),
    };
    let stderr = server.child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (server, rx)
}

fn start(dir: &Path) -> Server {
    let (mut server, rx) = spawn(dir, &["serve", ".", "--port", "0"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200))
            && let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://"))
        {
            server.addr = url
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string();
            return server;
        }
    }
    panic!("serve did not start");
}

/// A plain HTTP/1.0 GET: (status, content type, body).
fn get(addr: &str, path: &str) -> (u16, String, String) {
    request(addr, path).unwrap()
}

/// [`get`], reporting failures instead of panicking.
fn request(addr: &str, path: &str) -> std::io::Result<(u16, String, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let ctype = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type: ")
                .map(str::to_string)
        })
        .unwrap_or_default();
    Ok((status, ctype, body.to_string()))
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

/// Opens the live-reload websocket and returns a function reading one text message.
fn websocket(addr: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /__archbook/livereload HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    assert!(
        String::from_utf8_lossy(&head).starts_with("HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

fn read_message(s: &mut TcpStream) -> String {
    let mut h = [0u8; 2];
    s.read_exact(&mut h).unwrap();
    let mut len = (h[1] & 0x7f) as usize;
    if len == 126 {
        let mut l = [0u8; 2];
        s.read_exact(&mut l).unwrap();
        len = u16::from_be_bytes(l) as usize;
    } else if len == 127 {
        let mut l = [0u8; 8];
        s.read_exact(&mut l).unwrap();
        len = u64::from_be_bytes(l) as usize;
    }
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).unwrap();
    String::from_utf8(body).unwrap()
}

#[test]
fn serve_rebuilds_on_edit_reports_errors_and_recovers() {
    let tmp = copy_fixture(&fixtures("good"));
    let server = start(tmp.path());
    let a = &server.addr;

    let (status, ctype, body) = get(a, "/roles/operator.html");
    assert_eq!(status, 200);
    assert_eq!(ctype, "text/html; charset=utf-8");
    assert!(
        body.contains("/__archbook/client.js"),
        "reload script not injected"
    );
    assert_eq!(get(a, "/assets/style.css").1, "text/css; charset=utf-8");
    assert_eq!(get(a, "/roles").0, 308);

    // An edit: the page changes, and the browser is told to reload.
    let mut ws = websocket(a);
    let hello: serde_json::Value = serde_json::from_str(&read_message(&mut ws)).unwrap();
    assert_eq!(hello, serde_json::json!({"type": "hello", "build": 0}));
    let page = tmp.path().join("docs/roles/operator.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nA freshly written sentence.\n")).unwrap();
    assert_eq!(read_message(&mut ws), r#"{"type":"reload"}"#);
    wait_for("the edit to show", || {
        get(a, "/roles/operator.html")
            .2
            .contains("A freshly written sentence.")
    });

    // A broken edit: the last good page stays, the error is reported.
    std::fs::write(
        &page,
        "---\nkind: role\nlayers: [nowhere]\n---\n# Operator\n",
    )
    .unwrap();
    wait_for("the error", || {
        get(a, "/__archbook/status").2.contains("unknown layer")
    });
    let status = get(a, "/__archbook/status").2;
    assert!(status.contains("docs/roles/operator.md:3:10"), "{status}");
    assert!(
        get(a, "/roles/operator.html")
            .2
            .contains("A freshly written sentence.")
    );

    // The fix clears it.
    std::fs::write(&page, &text).unwrap();
    wait_for("the fix", || {
        get(a, "/__archbook/status").2.contains("\"ok\":true")
    });
    assert!(
        !get(a, "/roles/operator.html")
            .2
            .contains("A freshly written sentence.")
    );
}

#[test]
fn serve_keeps_requests_inside_the_output_folder() {
    let tmp = copy_fixture(&fixtures("good"));
    let server = start(tmp.path());
    let a = &server.addr;
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/roles/..%2F..%2Fbook.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..\\book.toml",
    ] {
        let (status, _, body) = get(a, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("[book]"), "{path} leaked book.toml");
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_serve_cleanly() {
    let tmp = copy_fixture(&fixtures("good"));
    let mut server = start(tmp.path());
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "serve exited with {status}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `/__archbook/status` as JSON.
fn status(addr: &str) -> serde_json::Value {
    serde_json::from_str(&get(addr, "/__archbook/status").2).unwrap()
}

/// Waits until the server has handled `n` changes in all.
fn wait_changes(addr: &str, n: u64) {
    wait_for(&format!("change {n}"), || {
        status(addr)["changes"].as_u64().unwrap() >= n
    });
}

#[test]
fn serve_answers_concurrent_requests_during_rebuilds_without_errors() {
    const THREADS: usize = 8;
    const PER_THREAD: usize = 250;
    let tmp = copy_fixture(&fixtures("good"));
    let server = start(tmp.path());
    let addr = server.addr.clone();
    let site = tmp.path().join("site");
    let mut paths: Vec<String> = walkdir::WalkDir::new(&site)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            format!(
                "/{}",
                e.path().strip_prefix(&site).unwrap().to_string_lossy()
            )
        })
        .filter(|p| !p.contains("/."))
        .collect();
    paths.sort();
    assert!(paths.len() > 20, "{paths:?}");

    // Edits during the load: body-only (incremental) and front matter (full).
    let page = tmp.path().join("docs/roles/operator.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let editing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let editor = {
        let page = page.clone();
        let original = original.clone();
        let editing = editing.clone();
        let addr = addr.clone();
        std::thread::spawn(move || {
            // Ten edits, and on (on a busy machine the watcher may lag)
            // until a rebuild has happened while the load runs; the last
            // edit is always a new title.
            let mut i = 0;
            while i < 10 || (i < 200 && status(&addr)["build"].as_u64() < Some(1)) || i % 2 == 1 {
                let text = if i % 2 == 0 {
                    format!("{original}\nEdit {i}.\n")
                } else {
                    original.replace("title: Operator", &format!("title: Operator {i}"))
                };
                std::fs::write(&page, text).unwrap();
                std::thread::sleep(Duration::from_millis(150));
                i += 1;
            }
            editing.store(false, std::sync::atomic::Ordering::SeqCst);
            i - 1
        })
    };
    let start = Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let addr = addr.clone();
            let paths = paths.clone();
            let editing = editing.clone();
            std::thread::spawn(move || {
                let mut errors = Vec::new();
                let mut latencies = Vec::with_capacity(PER_THREAD);
                // At least PER_THREAD requests, and on until the edits are done.
                let mut i = 0;
                while i < PER_THREAD || editing.load(std::sync::atomic::Ordering::SeqCst) {
                    i += 1;
                    let path = &paths[(t * 31 + i * 7) % paths.len()];
                    let t0 = Instant::now();
                    match request(&addr, path) {
                        Ok((200, _, _)) => {}
                        Ok((status, _, _)) => errors.push(format!("{path}: {status}")),
                        Err(e) => errors.push(format!("{path}: {e}")),
                    }
                    latencies.push(t0.elapsed());
                }
                (errors, latencies)
            })
        })
        .collect();
    let mut errors = Vec::new();
    let mut latencies = Vec::new();
    for w in workers {
        let (e, l) = w.join().unwrap();
        errors.extend(e);
        latencies.extend(l);
    }
    let took = start.elapsed();
    let last = editor.join().unwrap();
    latencies.sort();
    let n = latencies.len();
    eprintln!(
        "load: {n} requests from {THREADS} clients over {} files in {:.2} s ({:.0} req/s), \
         {} errors, latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        paths.len(),
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        errors.len(),
        latencies[n / 2].as_secs_f64() * 1e3,
        latencies[n * 99 / 100].as_secs_f64() * 1e3,
        latencies[n - 1].as_secs_f64() * 1e3,
    );
    assert!(
        errors.is_empty(),
        "{} errors: {:?}",
        errors.len(),
        &errors[..errors.len().min(10)]
    );
    assert!(n >= THREADS * PER_THREAD);
    let st = status(&addr);
    let builds = st["build"].as_u64().unwrap();
    eprintln!("load: {builds} rebuilds happened during the load: {st}");
    assert!(builds >= 1, "no rebuild happened during the load");
    // The last edit (a new title) is published once the rebuilds catch up.
    wait_for("the last edit", || {
        get(&addr, "/roles/operator.html")
            .2
            .contains(&format!("Operator {last}"))
    });
}

#[test]
fn a_burst_of_a_thousand_file_events_is_coalesced() {
    let tmp = copy_fixture(&fixtures("good"));
    let server = start(tmp.path());
    let a = server.addr.clone();
    let docs = tmp.path().join("docs/burst");
    std::fs::create_dir_all(&docs).unwrap();
    // 500 new pages and 500 rewrites of one page, as fast as the disk takes them.
    let page = tmp.path().join("docs/glossary.md");
    let original = std::fs::read_to_string(&page).unwrap();
    for i in 0..500 {
        std::fs::write(docs.join(format!("p{i}.md")), format!("# Burst {i}\n")).unwrap();
        std::fs::write(&page, format!("{original}\nRevision {i}.\n")).unwrap();
    }
    // Settled: the number of handled changes stops moving.
    let mut last = u64::MAX;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let now = status(&a)["changes"].as_u64().unwrap();
        if now == last && now > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "rebuilds never settle");
        last = now;
        std::thread::sleep(Duration::from_millis(1500));
    }
    let s = status(&a);
    eprintln!("burst: 1000 writes handled in {} rebuilds", s["changes"]);
    assert_eq!(s["ok"], true, "{s}");
    assert!(
        s["changes"].as_u64().unwrap() <= 30,
        "1000 events took {} rebuilds",
        s["changes"]
    );
    assert_eq!(get(&a, "/burst/p499.html").0, 200);
    assert!(get(&a, "/glossary.html").2.contains("Revision 499."));
    // Nothing keeps rebuilding on its own.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(status(&a)["changes"], s["changes"]);
}

#[cfg(target_os = "linux")]
#[test]
fn memory_is_stable_across_a_hundred_rebuilds() {
    fn rss_kb(pid: u32) -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        s.lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .unwrap()
    }
    let tmp = copy_fixture(&fixtures("good"));
    let server = start(tmp.path());
    let a = server.addr.clone();
    let pid = server.child.id();
    let page = tmp.path().join("docs/roles/operator.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let mut samples = Vec::new();
    for i in 1..=100u64 {
        // Alternate a body edit (incremental) and a front-matter edit (full).
        let text = if i % 2 == 0 {
            format!("{original}\nEdit {i}.\n")
        } else {
            original.replacen("---\n", &format!("---\ntags: [t{i}]\n"), 1)
        };
        std::fs::write(&page, text).unwrap();
        wait_changes(&a, i);
        if i == 10 || i % 25 == 0 {
            samples.push((i, rss_kb(pid)));
        }
    }
    assert_eq!(status(&a)["ok"], true);
    eprintln!("memory: VmRSS after rebuilds (n, kB): {samples:?}");
    let warm = samples[0].1;
    let last = samples.last().unwrap().1;
    assert!(
        last <= warm + warm / 4 + 8 * 1024,
        "memory grew from {warm} kB to {last} kB over 90 rebuilds: {samples:?}"
    );
}

#[test]
fn watch_rebuilds_the_output_folder_and_keeps_the_last_good_build_on_errors() {
    let tmp = copy_fixture(&fixtures("good"));
    let (_watch, rx) = spawn(tmp.path(), &["watch", "."]);
    let mut lines = Vec::new();
    let wait_line = |what: &str, lines: &mut Vec<String>| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
                let hit = line.contains(what);
                lines.push(line);
                if hit {
                    return;
                }
            }
        }
        panic!("no line with {what:?} in {lines:#?}");
    };
    wait_line("built", &mut lines);
    let out = tmp.path().join("site/roles/operator.html");
    let page = tmp.path().join("docs/roles/operator.md");
    let text = std::fs::read_to_string(&page).unwrap();

    std::fs::write(&page, format!("{text}\nWritten while watching.\n")).unwrap();
    wait_for("the edit to be written", || {
        std::fs::read_to_string(&out).is_ok_and(|h| h.contains("Written while watching."))
    });

    // A broken edit: reported, and the folder keeps the last good build
    // (watch has no server, so it does not say "serving").
    std::fs::write(
        &page,
        "---\nkind: role\nlayers: [nowhere]\n---\n# Operator\n",
    )
    .unwrap();
    wait_line("the output folder keeps the last good build", &mut lines);
    assert!(
        lines.iter().any(|l| l.contains("unknown layer")),
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|l| l.contains("serving")), "{lines:#?}");
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("Written while watching.")
    );

    std::fs::write(&page, &text).unwrap();
    wait_for("the fix to be written", || {
        std::fs::read_to_string(&out).is_ok_and(|h| !h.contains("Written while watching."))
    });
}

#[test]
fn serve_rebuilds_a_page_when_a_file_it_includes_changes() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    // One listing inside the source folder (a static file), one outside it.
    std::fs::create_dir_all(tmp.path().join("examples")).unwrap();
    std::fs::write(tmp.path().join("examples/outside.txt"), "outside, first\n").unwrap();
    append(
        &tmp.path().join("src/chapter_2.md"),
        "\n```text\n{{#include ../examples/outside.txt}}\n```\n",
    );
    let server = start(tmp.path());
    let a = &server.addr;
    assert!(
        get(a, "/chapter_1.html")
            .2
            .contains("hello from an included file")
    );
    replace_in(
        &tmp.path().join("src/listings/hello.rs"),
        "hello from an included file",
        "hello, edited",
    );
    wait_for("the edited listing", || {
        get(a, "/chapter_1.html").2.contains("hello, edited")
    });
    assert!(get(a, "/chapter_2.html").2.contains("outside, first"));
    std::fs::write(tmp.path().join("examples/outside.txt"), "outside, second\n").unwrap();
    wait_for("the edited file outside the source folder", || {
        get(a, "/chapter_2.html").2.contains("outside, second")
    });
}

#[test]
fn serve_watches_extra_watch_dirs_outside_the_handbook() {
    // A book in `docs/` that includes a listing from `examples/` beside it.
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("docs");
    copy_dir(&fixtures("mdbook"), &book);
    std::fs::create_dir_all(tmp.path().join("examples")).unwrap();
    std::fs::write(tmp.path().join("examples/listing.txt"), "listing, first\n").unwrap();
    append(
        &book.join("book.toml"),
        "\n[build]\nextra-watch-dirs = [\"../examples\"]\n",
    );
    append(
        &book.join("src/chapter_2.md"),
        "\n```text\n{{#include ../../examples/listing.txt}}\n```\n",
    );
    let server = start(&book);
    let a = &server.addr;
    assert!(get(a, "/chapter_2.html").2.contains("listing, first"));
    std::fs::write(tmp.path().join("examples/listing.txt"), "listing, second\n").unwrap();
    wait_for("the edited listing outside the handbook", || {
        get(a, "/chapter_2.html").2.contains("listing, second")
    });
}

#[test]
fn a_port_in_use_is_explained_and_the_default_one_moves_on() {
    let tmp = copy_fixture(&fixtures("good"));
    // A port someone holds: asked for by number, serve says so and stops.
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    let (mut server, rx) = spawn(tmp.path(), &["serve", ".", "--port", &port, "-o", "out"]);
    let status = server.child.wait().unwrap();
    let text: Vec<String> = rx.iter().collect();
    let text = text.join("\n");
    assert_eq!(status.code(), Some(2), "{text}");
    assert!(
        text.contains(&format!("error: cannot listen on 127.0.0.1:{port}: ")),
        "{text}"
    );
    // It failed before building: no output folder was written or replaced.
    assert!(!tmp.path().join("out").exists(), "{text}");
    assert!(
        text.contains(&format!("use port {port}; pass a free one with `--port`")),
        "{text}"
    );
    assert_eq!(
        text.matches("os error").count(),
        1,
        "the reason once: {text}"
    );
    // The default port, taken (by this test, or by anything else): the next
    // free one serves.
    let _default = std::net::TcpListener::bind("127.0.0.1:3000");
    let (_server, rx) = spawn(tmp.path(), &["serve", ".", "-o", "out"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut said = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            let done = line.starts_with("serving the handbook at");
            said.push(line);
            if done {
                break;
            }
        }
    }
    let said = said.join("\n");
    assert!(said.contains("port 3000 is in use; using 30"), "{said}");
    assert!(
        said.contains("serving the handbook at http://127.0.0.1:30"),
        "{said}"
    );
    assert!(!said.contains("127.0.0.1:3000/"), "{said}");
}

/// Sends `head` (a request without its final blank line) and returns the
/// status line and headers of the answer.
fn raw(addr: &str, head: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "{head}\r\n").unwrap();
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") && s.read(&mut byte).unwrap_or(0) == 1 {
        answer.push(byte[0]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// What another web site open in the developer's browser could do to
/// `serve`: reach it under its own name (DNS rebinding), read build errors
/// over the websocket, hold connections with headers that never end, or
/// bounce readers elsewhere through `//host`.
#[test]
fn serve_answers_only_its_own_pages() {
    let tmp = copy_fixture(&fixtures("good"));
    let server = start(tmp.path());
    let a = &server.addr;
    let port = a.rsplit(':').next().unwrap();

    let evil = raw(a, "GET /index.html HTTP/1.1\r\nHost: evil.example\r\n");
    assert!(evil.starts_with("HTTP/1.1 421"), "{evil}");
    for host in [a.to_string(), format!("localhost:{port}")] {
        let ok = raw(
            a,
            &format!("GET /index.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"),
        );
        assert!(ok.starts_with("HTTP/1.1 200"), "{host}: {ok}");
    }

    let upgrade = |origin: &str| {
        raw(
            a,
            &format!(
                "GET /__archbook/livereload HTTP/1.1\r\nHost: {a}\r\nOrigin: {origin}\r\n\
                 Upgrade: websocket\r\nConnection: Upgrade\r\n\
                 Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            ),
        )
    };
    assert!(upgrade("https://evil.example").starts_with("HTTP/1.1 403"));
    assert!(upgrade(&format!("http://{a}")).starts_with("HTTP/1.1 101"));

    let folder = raw(
        a,
        &format!("GET //roles HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n"),
    );
    assert!(
        folder
            .to_ascii_lowercase()
            .contains("location: /roles/\r\n"),
        "{folder}"
    );

    // Headers that never end: the connection is dropped, and others are
    // served meanwhile.
    let mut slow = TcpStream::connect(a).unwrap();
    write!(slow, "GET / HTTP/1.1\r\nHost: {a}\r\nX-Slow: ").unwrap();
    let started = Instant::now();
    assert_eq!(get(a, "/index.html").0, 200);
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(25),
        "a connection without complete headers stayed open {took:?}"
    );
}

/// `serve` logged "watching stopped" and never rebuilt again after each of
/// these, while its status still said ok.
#[test]
fn serve_recovers_from_a_broken_book_toml_and_a_deleted_output_folder() {
    let tmp = copy_fixture(&fixtures("good"));
    let server = start(tmp.path());
    let a = &server.addr;
    let toml = tmp.path().join("book.toml");
    let good = std::fs::read_to_string(&toml).unwrap();
    let mut changes = status(a)["changes"].as_u64().unwrap();
    for broken in [
        "[book\n".to_string(),
        good.replace("src = \"docs\"", "src = \"gone\""),
    ] {
        std::fs::write(&toml, &broken).unwrap();
        changes += 1;
        wait_changes(a, changes);
        let now = status(a);
        assert_eq!(now["ok"], false, "{broken}: {now}");
        std::fs::write(&toml, &good).unwrap();
        wait_for("the fix", || status(a)["ok"] == true);
        changes = status(a)["changes"].as_u64().unwrap();
    }
    // The fixture's build-dir.
    std::fs::remove_dir_all(tmp.path().join("site")).unwrap();
    wait_for("the output folder to be written anew", || {
        tmp.path().join("site/index.html").is_file()
    });
    assert_eq!(get(a, "/index.html").0, 200);
}

/// Fifty slow readers of a 33 MB print page took 2.4 GB when each response
/// was read whole into memory; files are streamed now.
#[cfg(target_os = "linux")]
#[test]
fn slow_readers_of_a_large_page_do_not_hold_it_in_memory() {
    let tmp = copy_fixture(&fixtures("good"));
    let line = "<p>A long print page, paragraph after paragraph.</p>\n";
    std::fs::write(
        tmp.path().join("docs/big.html"),
        format!(
            "<html><body>{}</body></html>",
            line.repeat((24 << 20) / line.len())
        ),
    )
    .unwrap();
    let server = start(tmp.path());
    let a = &server.addr;
    let rss = || {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap()
            * 1024
    };
    let before = rss();
    let readers: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = TcpStream::connect(a).unwrap();
            write!(s, "GET /big.html HTTP/1.1\r\nHost: {a}\r\n\r\n").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    let grew = rss().saturating_sub(before);
    drop(readers);
    assert!(
        grew < 200 << 20,
        "40 readers of a 24 MB page took {} MB",
        grew >> 20
    );
    // And a reader that reads gets the whole page, with the reload script.
    let (status, _, body) = get(a, "/big.html");
    assert_eq!(status, 200);
    assert!(body.len() > 24 << 20);
    assert!(
        body.trim_end().ends_with("</script>"),
        "{}",
        &body[body.len() - 200..]
    );
}
