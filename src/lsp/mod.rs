//! `archbook lsp`: a language server on standard input and output, with the
//! loader and rules of `archbook check`. Open documents are checked as they
//! are typed (their unsaved text stands in for the file, see
//! `crate::confine::Overlay`) together with the rest of the handbook, so a
//! change to a role updates the findings of the activities naming it.
//!
//! The server publishes every finding with its related locations, offers
//! the did-you-mean as a quick fix, and answers hover, go to definition,
//! find references, completion of ids and keys, document and workspace
//! symbols (`features`) and renames an id across the handbook (`rename`).
//! Changes that arrive together are checked once: the check runs when no
//! message is waiting.
//!
//! A file watcher (notify) tells the server when files change on disk (a
//! save, a `git checkout`, a page added): then the next check walks and
//! reads the handbook again. While the disk stays as it was, a check after
//! a keystroke reads nothing from disk and parses only the edited page
//! (`Reuse::disk_unchanged`). Touches: the handbook's files (read).

mod features;
mod rename;
pub mod text;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::Notification as _;
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, HoverProviderCapability, InitializeParams, Location, NumberOrString, OneOf,
    PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri,
};

use crate::rules::Severity;
use crate::site::Site;

/// What can end the server early.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// A did-you-mean: where to write what.
#[derive(Clone, Debug)]
struct Fix {
    range: Range,
    text: String,
    message: String,
}

/// The server's state.
#[derive(Default)]
struct Server {
    /// The handbook folder (the one holding `book.toml`), canonical.
    root: Option<PathBuf>,
    /// Open documents' texts, by canonical path.
    docs: crate::confine::Overlay,
    /// The last check.
    site: Option<Site>,
    /// Its pages, taken by the next check where their text is unchanged.
    parsed: Option<crate::content::load::Parsed>,
    /// Documents with findings published, so that fixed ones are cleared
    /// (URIs as text: `Uri` caches its parts inside, a poor map key).
    published: HashSet<String>,
    /// Quick fixes of the last check, by document URI.
    fixes: HashMap<String, Vec<Fix>>,
    /// A change is waiting to be checked.
    dirty: bool,
    /// Events from the disk, while the handbook's folder is watched.
    watch: Option<Watch>,
    /// No file changed on disk since the last check read them.
    disk_fresh: bool,
}

/// A file watcher on the handbook's folder.
struct Watch {
    /// The folder watched (the handbook's root).
    root: PathBuf,
    /// Kept alive for its events.
    _watcher: notify::RecommendedWatcher,
    events: crossbeam_channel::Receiver<notify::Result<notify::Event>>,
}

/// Runs the server on standard input and output until the client shuts it
/// down.
pub fn stdio() -> Result<(), Error> {
    let (conn, io) = Connection::stdio();
    run(&conn)?;
    // The writer thread ends when the last sender is gone.
    drop(conn);
    io.join()?;
    Ok(())
}

/// Runs the server on `conn`.
pub fn run(conn: &Connection) -> Result<(), Error> {
    let caps = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([":", " ", "[", ",", "(", "#"].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    };
    let init = conn.initialize(serde_json::to_value(caps)?)?;
    let params: InitializeParams = serde_json::from_value(init)?;
    let mut server = Server::default();
    #[allow(deprecated)]
    let folders = params
        .workspace_folders
        .iter()
        .flatten()
        .map(|f| f.uri.clone())
        .chain(params.root_uri.clone());
    for uri in folders {
        if let Some(root) = text::path(&uri).and_then(|p| handbook_of(&p)) {
            server.root = Some(root);
            break;
        }
    }
    server.dirty = server.root.is_some();
    loop {
        server.take_disk_events();
        if server.dirty && conn.receiver.is_empty() {
            server.check(conn)?;
        }
        let never = crossbeam_channel::never();
        let disk = server.watch.as_ref().map_or(&never, |w| &w.events);
        let msg = crossbeam_channel::select! {
            recv(conn.receiver) -> msg => msg,
            recv(disk) -> event => {
                server.disk_event(event.ok());
                continue;
            }
        };
        let Ok(msg) = msg else { break };
        match msg {
            Message::Request(req) => {
                if conn.handle_shutdown(&req)? {
                    break;
                }
                // Answers come from the text as it is now.
                if server.dirty {
                    server.check(conn)?;
                }
                let resp = server.request(req);
                conn.sender.send(Message::Response(resp))?;
            }
            Message::Notification(n) => server.notify(n),
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// The handbook folder holding `path`: the nearest folder with a
/// `book.toml`, from `path` up.
fn handbook_of(path: &Path) -> Option<PathBuf> {
    let path = path.canonicalize().ok()?;
    path.ancestors()
        .find(|d| d.join("book.toml").is_file())
        .map(Path::to_path_buf)
}

impl Server {
    /// Watches the handbook's folder, when it is not watched yet; a watcher
    /// that cannot start (too many watches) leaves every check reading the
    /// disk.
    fn watch(&mut self, root: &Path) {
        if self.watch.as_ref().is_some_and(|w| w.root == root) {
            return;
        }
        use notify::Watcher as _;
        self.watch = None;
        // Another folder: what the last check read says nothing of it.
        self.disk_fresh = false;
        let (tx, events) = crossbeam_channel::unbounded();
        let started = notify::recommended_watcher(move |ev| {
            let _ = tx.send(ev);
        })
        .and_then(|mut w| {
            w.watch(root, notify::RecursiveMode::Recursive)?;
            Ok(w)
        });
        match started {
            Ok(watcher) => {
                self.watch = Some(Watch {
                    root: root.to_path_buf(),
                    _watcher: watcher,
                    events,
                })
            }
            Err(e) => eprintln!("archbook lsp: cannot watch {}: {e}", root.display()),
        }
    }

    /// Takes the disk events waiting, without blocking.
    fn take_disk_events(&mut self) {
        let waiting: Vec<_> = match &self.watch {
            Some(w) => w.events.try_iter().collect(),
            None => return,
        };
        for event in waiting {
            self.disk_event(Some(event));
        }
    }

    /// A file changed on disk (or the watcher failed: `None`, or an
    /// error): the next check reads the handbook again. Hidden files
    /// (`.git`) and the output folder are never read, so their changes are
    /// not changes of the handbook; nor are changed timestamps.
    fn disk_event(&mut self, event: Option<notify::Result<notify::Event>>) {
        use notify::EventKind;
        use notify::event::ModifyKind;
        let relevant = match event {
            Some(Ok(ev)) => {
                !matches!(
                    ev.kind,
                    EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
                ) && ev.paths.iter().any(|p| self.is_read(p))
            }
            Some(Err(_)) | None => {
                self.watch = None;
                true
            }
        };
        if relevant {
            self.disk_fresh = false;
            self.dirty = true;
        }
    }

    /// Whether a load may read `path`: under the root, through no hidden
    /// entry, not in the output folder.
    fn is_read(&self, path: &Path) -> bool {
        let Some(root) = &self.root else { return false };
        let Ok(rest) = path.strip_prefix(root) else {
            return false;
        };
        if rest
            .iter()
            .any(|c| c.to_str().is_some_and(|s| s.starts_with('.')))
        {
            return false;
        }
        let out = self
            .site
            .as_ref()
            .map(|s| s.handbook.config.build_dir.as_path());
        !out.is_some_and(|o| rest.starts_with(o))
    }

    fn notify(&mut self, n: Notification) {
        use lsp_types::notification::{
            DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
        };
        let path_of = |uri: &Uri| text::path(uri).and_then(|p| p.canonicalize().ok());
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                if let Some(path) = path_of(&p.text_document.uri) {
                    // The handbook is the one the opened page belongs to
                    // (a workspace may hold several, or sit above one).
                    if let Some(root) = handbook_of(&path) {
                        self.root = Some(root);
                    }
                    self.docs.insert(path, Arc::from(p.text_document.text));
                    self.dirty = true;
                }
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                // Full sync: the last change holds the whole text.
                if let (Some(path), Some(change)) = (
                    path_of(&p.text_document.uri),
                    p.content_changes.into_iter().last(),
                ) {
                    self.docs.insert(path, Arc::from(change.text));
                    self.dirty = true;
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                    && let Some(path) = path_of(&p.text_document.uri)
                {
                    // The file on disk counts again.
                    self.docs.remove(&path);
                    self.dirty = true;
                }
            }
            DidSaveTextDocument::METHOD => self.dirty = true,
            _ => {}
        }
    }

    /// Checks the handbook with the open documents' texts and publishes
    /// every finding.
    fn check(&mut self, conn: &Connection) -> Result<(), Error> {
        self.dirty = false;
        let Some(root) = self.root.clone() else {
            return Ok(());
        };
        // Watching starts before the disk is read, so no change after the
        // read is missed.
        self.watch(&root);
        let disk_unchanged = std::mem::replace(&mut self.disk_fresh, self.watch.is_some());
        // The open texts are shared, not copied, with the check.
        let overlay = Arc::new(self.docs.clone());
        let earlier = self.parsed.take();
        let checked = Site::check_overlay(
            &root,
            overlay,
            earlier.as_ref(),
            disk_unchanged.then_some(root.as_path()),
        );
        let site = match checked {
            Ok((site, parsed)) => {
                self.parsed = parsed;
                site
            }
            // No handbook (yet): nothing to say until it is one. Editors
            // show a server's standard error in its log.
            Err(e) => {
                eprintln!(
                    "archbook lsp: {}",
                    crate::diagnostic::printable(&e.to_string())
                );
                return Ok(());
            }
        };
        let mut by_uri: HashMap<String, (Uri, Vec<Diagnostic>)> = HashMap::new();
        let mut fixes: HashMap<String, Vec<Fix>> = HashMap::new();
        let sources = &site.handbook.sources;
        let book_toml = root.join("book.toml");
        for d in site.diagnostics.iter() {
            let located = |loc: &crate::diagnostic::Location| {
                let name = sources.name(loc.file);
                let uri = text::uri(Path::new(name))?;
                Some((uri, text::range(sources.text(loc.file), &loc.span)))
            };
            let (uri, range) = match d.primary.as_ref().and_then(|(l, _)| located(l)) {
                Some(at) => at,
                None => match text::uri(&book_toml) {
                    Some(u) => (u, Range::default()),
                    None => continue,
                },
            };
            let related: Vec<DiagnosticRelatedInformation> = d
                .secondary
                .iter()
                .filter_map(|(l, label)| {
                    let (uri, range) = located(l)?;
                    Some(DiagnosticRelatedInformation {
                        location: Location::new(uri, range),
                        message: label.clone(),
                    })
                })
                .collect();
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            if let Some(meant) = d.help.as_deref().and_then(suggestion) {
                fixes
                    .entry(uri.as_str().to_string())
                    .or_default()
                    .push(Fix {
                        range,
                        text: meant.to_string(),
                        message: format!("Change to `{meant}`"),
                    });
            }
            let entry = by_uri
                .entry(uri.as_str().to_string())
                .or_insert_with(|| (uri.clone(), Vec::new()));
            entry.1.push(Diagnostic {
                range,
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(d.rule.name().to_string())),
                source: Some("archbook".to_string()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                ..Diagnostic::default()
            });
        }
        // Documents that had findings and have none now are cleared.
        for key in self.published.drain() {
            if let Ok(uri) = key.parse::<Uri>() {
                by_uri.entry(key).or_insert((uri, Vec::new()));
            }
        }
        for (key, (uri, diagnostics)) in by_uri {
            if !diagnostics.is_empty() {
                self.published.insert(key);
            }
            let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
            conn.sender.send(Message::Notification(Notification::new(
                lsp_types::notification::PublishDiagnostics::METHOD.to_string(),
                params,
            )))?;
        }
        self.fixes = fixes;
        // The last check's site and pages are freed on a thread of their
        // own: on a large handbook that takes as long as a keystroke's
        // check.
        let old = (self.site.replace(site), earlier);
        std::thread::spawn(move || drop(old));
        Ok(())
    }

    fn request(&mut self, req: Request) -> Response {
        let result = features::answer(self, &req.method, req.params);
        match result {
            Ok(value) => Response::new_ok(req.id, value),
            Err(message) => {
                Response::new_err(req.id, lsp_server::ErrorCode::InvalidParams as i32, message)
            }
        }
    }
}

/// The id a did-you-mean help suggests (`did you mean `does_not`?`).
fn suggestion(help: &str) -> Option<&str> {
    let rest = help.split("did you mean `").nth(1)?;
    let end = rest.find('`')?;
    Some(&rest[..end]).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_read_from_the_help() {
        assert_eq!(suggestion("did you mean `containers`?"), Some("containers"));
        assert_eq!(
            suggestion("did you mean the role `ops`?"),
            None,
            "only a plain replacement is a fix"
        );
        assert_eq!(suggestion("use a role id"), None);
    }
}
