//! The answers of `archbook lsp`: hover, go to definition, find
//! references, completion, document symbols and quick fixes, from the last
//! check of the handbook and the open documents' texts.

use std::path::{Path, PathBuf};

use lsp_types::{
    CodeAction, CodeActionOrCommand, CodeActionParams, CompletionItem, CompletionItemKind,
    CompletionParams, DocumentSymbol, DocumentSymbolParams, GotoDefinitionParams, Hover,
    HoverContents, HoverParams, Location, MarkupContent, MarkupKind, Position, Range,
    ReferenceParams, SymbolKind, TextEdit, WorkspaceEdit,
};
use serde_json::Value;

use super::{Server, text};
use crate::content::page::{KindData, Page};
use crate::vocab::Kind;

type Answer = Result<Value, String>;

/// The answer to request `method`.
pub(super) fn answer(server: &Server, method: &str, params: Value) -> Answer {
    use lsp_types::request::*;
    fn parse<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }
    let value = match method {
        HoverRequest::METHOD => serde_json::to_value(hover(server, parse(params)?)),
        GotoDefinition::METHOD => serde_json::to_value(definition(server, parse(params)?)),
        References::METHOD => serde_json::to_value(references(server, parse(params)?)),
        Completion::METHOD => serde_json::to_value(completion(server, parse(params)?)),
        DocumentSymbolRequest::METHOD => serde_json::to_value(symbols(server, parse(params)?)),
        CodeActionRequest::METHOD => serde_json::to_value(actions(server, parse(params)?)),
        Rename::METHOD => serde_json::to_value(super::rename::rename(server, parse(params)?)?),
        WorkspaceSymbolRequest::METHOD => {
            serde_json::to_value(workspace_symbols(server, parse(params)?))
        }
        _ => return Err(format!("archbook lsp does not answer `{method}`")),
    };
    value.map_err(|e| e.to_string())
}

/// A document's text: the open buffer, else the file.
pub(super) fn text_of(server: &Server, path: &Path) -> Option<String> {
    server
        .docs
        .get(path)
        .map(|t| t.to_string())
        .or_else(|| std::fs::read_to_string(path).ok())
}

/// The canonical path and text of a document, and the byte offset of `pos`.
pub(super) fn at(
    server: &Server,
    uri: &lsp_types::Uri,
    pos: Position,
) -> Option<(PathBuf, String, usize)> {
    let path = text::path(uri)?.canonicalize().ok()?;
    let t = text_of(server, &path)?;
    let offset = text::offset(&t, pos);
    Some((path, t, offset))
}

/// The id-like word (`a-z`, digits, `-`, `_`) around `offset`.
pub(super) fn word(t: &str, offset: usize) -> Option<&str> {
    let is = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let start = t[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = t[offset..]
        .char_indices()
        .find(|(_, c)| !is(*c))
        .map_or(t.len(), |(i, _)| offset + i);
    (end > start).then(|| &t[start..end])
}

/// The source folder, canonical.
pub(super) fn src(server: &Server) -> Option<PathBuf> {
    let site = server.site.as_ref()?;
    let root = server.root.as_ref()?;
    Some(root.join(&site.handbook.config.src))
}

/// The page `path` is, if any.
fn page_at<'s>(server: &'s Server, path: &Path) -> Option<(usize, &'s Page)> {
    let rel = path.strip_prefix(src(server)?).ok()?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    let pages = &server.site.as_ref()?.handbook.pages;
    pages.iter().enumerate().find(|(_, p)| p.source == rel)
}

/// A page's file and the range of `span` in it.
fn location(server: &Server, page: &Page, span: &std::ops::Range<usize>) -> Option<Location> {
    let path = src(server)?.join(&page.source);
    let t = text_of(server, &path).unwrap_or_default();
    Some(Location::new(text::uri(&path)?, text::range(&t, span)))
}

/// The model page an id names.
pub(super) fn model_page<'s>(server: &'s Server, id: &str) -> Option<&'s Page> {
    let book = &server.site.as_ref()?.handbook;
    book.model.ids.get(id).map(|&i| &book.pages[i])
}

fn hover(server: &Server, p: HoverParams) -> Option<Hover> {
    let pos = p.text_document_position_params;
    let (_, t, offset) = at(server, &pos.text_document.uri, pos.position)?;
    let id = word(&t, offset)?;
    let page = model_page(server, id)?;
    let book = &server.site.as_ref()?.handbook;
    let mut md = format!(
        "**{}** ({})",
        page.title,
        page.kind.map_or("page", Kind::name)
    );
    if let Some(s) = &page.summary {
        md.push_str(&format!("\n\n{s}"));
    }
    match &page.data {
        KindData::Role { focus, mantra, .. } => {
            if let Some(f) = focus {
                md.push_str(&format!("\n\nFocus: {f}"));
            }
            if let Some(m) = mantra {
                md.push_str(&format!("\n\nMantra: _{m}_"));
            }
        }
        KindData::Activity { .. } => {
            let i = book.model.ids[id];
            let row: Vec<String> = book
                .model
                .raci
                .iter()
                .filter(|((a, _), _)| *a == i)
                .map(|((_, r), cell)| format!("{} {}", book.pages[*r].title, cell.letters))
                .collect();
            if !row.is_empty() {
                md.push_str(&format!("\n\nRACI: {}", row.join(", ")));
            }
        }
        _ => {}
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: None,
    })
}

fn definition(server: &Server, p: GotoDefinitionParams) -> Option<Location> {
    let pos = p.text_document_position_params;
    let (path, t, offset) = at(server, &pos.text_document.uri, pos.position)?;
    // A Markdown link's target: `[text](../roles/ops.md#focus)`.
    let line_start = t[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = t[offset..].find('\n').map_or(t.len(), |i| offset + i);
    let line = &t[line_start..line_end];
    let col = offset - line_start;
    if let Some(open) = line[..col].rfind("](")
        && let Some(close) = line[open..].find(')').map(|c| open + c)
        && close >= col
    {
        let target = &line[open + 2..close];
        let file = target.split('#').next().unwrap_or("");
        if !file.is_empty() && !file.contains("://") {
            let dest = path.parent()?.join(crate::slug::percent_decode(file));
            let dest = dest.canonicalize().ok()?;
            return Some(Location::new(text::uri(&dest)?, Range::default()));
        }
    }
    let page = model_page(server, word(&t, offset)?)?;
    location(server, page, &page.id_span)
}

fn references(server: &Server, p: ReferenceParams) -> Option<Vec<Location>> {
    let pos = p.text_document_position;
    let (path, t, offset) = at(server, &pos.text_document.uri, pos.position)?;
    // On a page's own id (or anywhere on a page without one under the
    // cursor): the references to that page.
    let id = match word(&t, offset).filter(|w| model_page(server, w).is_some()) {
        Some(w) => w.to_string(),
        None => page_at(server, &path)?.1.id.clone(),
    };
    let book = &server.site.as_ref()?.handbook;
    let mut out = Vec::new();
    for page in &book.pages {
        for (_, r, _) in page.data.references() {
            if r.id == id
                && let Some(l) = location(server, page, &r.span)
            {
                out.push(l);
            }
        }
    }
    if p.context.include_declaration
        && let Some(page) = model_page(server, &id)
        && let Some(l) = location(server, page, &page.id_span)
    {
        out.insert(0, l);
    }
    Some(out)
}

/// Which ids a front-matter key names.
fn kind_named_by(key: &str, page_kind: Option<Kind>) -> Option<Kind> {
    Some(match key {
        "layer" | "parent" | "layers" => Kind::Layer,
        "owner" | "relations" | "decision-makers" | "deciders" | "consulted" | "informed" => {
            Kind::Role
        }
        "depends_on" => Kind::Component,
        "does_not" => Kind::Activity,
        "supersedes" => Kind::Decision,
        "raci" => match page_kind? {
            Kind::Role => Kind::Activity,
            _ => Kind::Role,
        },
        _ => return None,
    })
}

fn completion(server: &Server, p: CompletionParams) -> Option<Vec<CompletionItem>> {
    let pos = p.text_document_position;
    let (path, t, offset) = at(server, &pos.text_document.uri, pos.position)?;
    let fm_end = front_matter_end(&t).unwrap_or(0);
    if offset > fm_end {
        return link_completion(server, &path, &t, offset);
    }
    let line_start = t[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &t[line_start..offset];
    let indented =
        line.starts_with(' ') || line.starts_with('\t') || line.trim_start().starts_with('-');
    let page_kind = front_matter_kind(&t[..fm_end]);
    // The key this line belongs to: its own, or the last one at column 0.
    let own_key = line.trim_start().split_once(':').map(|(k, _)| k.trim());
    let parent = t[..line_start]
        .lines()
        .rev()
        .find(|l| !l.starts_with(' ') && !l.starts_with('-') && l.contains(':'))
        .and_then(|l| l.split_once(':'))
        .map(|(k, _)| k.trim());
    let book = &server.site.as_ref()?.handbook;
    let ids = |kind: Kind| -> Vec<CompletionItem> {
        let mut pages: Vec<&Page> = book.pages.iter().filter(|p| p.kind == Some(kind)).collect();
        pages.sort_by(|a, b| a.id.cmp(&b.id));
        pages
            .into_iter()
            .filter(|p| page_at(server, &path).is_none_or(|(_, me)| me.id != p.id))
            .map(|p| CompletionItem {
                label: p.id.clone(),
                kind: Some(CompletionItemKind::REFERENCE),
                detail: Some(p.title.clone()),
                ..CompletionItem::default()
            })
            .collect()
    };
    if !indented {
        return Some(match own_key {
            // `layer: |`: ids of what the key names.
            Some(key) => kind_named_by(key, page_kind).map(ids).unwrap_or_default(),
            // A new key: the keys of the page's kind.
            None => {
                let kind_keys = page_kind.map_or(&[][..], Kind::keys);
                [
                    "title", "id", "kind", "summary", "tags", "weight", "draft", "extra",
                ]
                .iter()
                .chain(kind_keys)
                .map(|k| CompletionItem {
                    label: k.to_string(),
                    kind: Some(CompletionItemKind::PROPERTY),
                    ..CompletionItem::default()
                })
                .collect()
            }
        });
    }
    // An entry under `raci:` with its letters begun: the letters.
    if parent == Some("raci") && own_key.is_some() {
        let letters = if book.config.alphabet.letters() == "RASCI" {
            &["A/R", "R", "A", "S", "C", "I"][..]
        } else {
            &["A/R", "R", "A", "C", "I"][..]
        };
        return Some(
            letters
                .iter()
                .map(|l| CompletionItem {
                    label: l.to_string(),
                    kind: Some(CompletionItemKind::VALUE),
                    ..CompletionItem::default()
                })
                .collect(),
        );
    }
    Some(
        parent
            .and_then(|k| kind_named_by(k, page_kind))
            .map(ids)
            .unwrap_or_default(),
    )
}

/// In a Markdown link's target: the handbook's pages (as paths from this
/// page) after `](`, the anchors of the page named after `#`.
fn link_completion(
    server: &Server,
    path: &Path,
    t: &str,
    offset: usize,
) -> Option<Vec<CompletionItem>> {
    let line_start = t[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &t[line_start..offset];
    let open = before.rfind("](")?;
    let typed = &before[open + 2..];
    if typed.contains([')', ' ']) {
        return Some(Vec::new());
    }
    let (_, me) = page_at(server, path)?;
    let dir = me.source.rsplit_once('/').map_or("", |(d, _)| d);
    let book = &server.site.as_ref()?.handbook;
    let item = |label: String, detail: &str, kind| CompletionItem {
        label,
        kind: Some(kind),
        detail: Some(detail.to_string()),
        ..CompletionItem::default()
    };
    if let Some((file, _)) = typed.split_once('#') {
        // Anchors of the page the link names (this page for `](#`).
        let target = if file.is_empty() {
            Some(me)
        } else {
            let source = crate::slug::join(dir, &crate::slug::percent_decode(file))?;
            book.pages.iter().find(|p| p.source == source)
        }?;
        let titles = target
            .headings
            .iter()
            .map(|h| (h.anchor.as_str(), h.text.as_str()));
        let others = target
            .anchors()
            .skip(target.headings.len())
            .map(|a| (a, ""));
        return Some(
            titles
                .chain(others)
                .map(|(a, text)| item(a.to_string(), text, CompletionItemKind::REFERENCE))
                .collect(),
        );
    }
    let mut out: Vec<CompletionItem> = book
        .pages
        .iter()
        .filter(|p| p.source != me.source)
        .map(|p| {
            let rel = crate::model::links::relative(dir, &p.source);
            item(rel, &p.title, CompletionItemKind::FILE)
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    Some(out)
}

/// The byte offset where the front matter ends (its closing `---`), if the
/// text opens with one; the end of the text while it is not closed yet.
fn front_matter_end(t: &str) -> Option<usize> {
    match crate::content::frontmatter::split(t) {
        Ok(split) => split.yaml.map(|(yaml, at)| at + yaml.len()),
        // Not terminated (yet, as it is typed): all of it.
        Err(_) => Some(t.len()),
    }
}

fn front_matter_kind(fm: &str) -> Option<Kind> {
    fm.lines()
        .find_map(|l| l.strip_prefix("kind:"))
        .and_then(|k| Kind::from_name(k.trim()))
}

/// Every model id whose id or title holds the query.
#[allow(deprecated)]
fn workspace_symbols(
    server: &Server,
    p: lsp_types::WorkspaceSymbolParams,
) -> Option<Vec<lsp_types::SymbolInformation>> {
    let book = &server.site.as_ref()?.handbook;
    let query = p.query.to_lowercase();
    let mut out = Vec::new();
    for page in book.pages.iter().filter(|p| p.kind.is_some()) {
        if !page.id.contains(&query) && !page.title.to_lowercase().contains(&query) {
            continue;
        }
        let kind = match page.kind {
            Some(Kind::Layer) => SymbolKind::NAMESPACE,
            Some(Kind::Component) => SymbolKind::CLASS,
            Some(Kind::Role) => SymbolKind::INTERFACE,
            Some(Kind::Activity) => SymbolKind::FUNCTION,
            _ => SymbolKind::KEY,
        };
        if let Some(location) = location(server, page, &page.id_span) {
            out.push(lsp_types::SymbolInformation {
                name: page.id.clone(),
                kind,
                tags: None,
                deprecated: None,
                location,
                container_name: Some(page.title.clone()),
            });
        }
    }
    Some(out)
}

#[allow(deprecated)]
fn symbols(server: &Server, p: DocumentSymbolParams) -> Option<Vec<DocumentSymbol>> {
    let path = text::path(&p.text_document.uri)?.canonicalize().ok()?;
    let t = text_of(server, &path)?;
    let body = front_matter_end(&t).unwrap_or(0);
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut at = 0;
    for line in t.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if start < body {
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let mark = &trimmed[..3];
            fence = match fence {
                Some(m) if m == mark => None,
                None => Some(mark),
                other => other,
            };
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let level = trimmed.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&level) && trimmed[level..].starts_with(' ') {
            let name = trimmed[level..]
                .trim()
                .trim_end_matches('#')
                .trim()
                .to_string();
            let range = text::range(&t, &(start..start + line.trim_end().len()));
            out.push(DocumentSymbol {
                name,
                detail: Some(format!("h{level}")),
                kind: SymbolKind::STRING,
                tags: None,
                deprecated: None,
                range,
                selection_range: range,
                children: None,
            });
        }
    }
    Some(out)
}

// `WorkspaceEdit` keys its changes by `Uri`, which clippy takes for a
// mutable key (it caches its parts); it is never changed here.
#[allow(clippy::mutable_key_type)]
fn actions(server: &Server, p: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    let fixes = server.fixes.get(p.text_document.uri.as_str())?;
    let overlaps = |r: &Range| r.start <= p.range.end && p.range.start <= r.end;
    Some(
        fixes
            .iter()
            .filter(|f| overlaps(&f.range))
            .map(|f| {
                let edit = TextEdit::new(f.range, f.text.clone());
                let changes = [(p.text_document.uri.clone(), vec![edit])]
                    .into_iter()
                    .collect();
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: f.message.clone(),
                    kind: Some(lsp_types::CodeActionKind::QUICKFIX),
                    edit: Some(WorkspaceEdit::new(changes)),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_ids_around_the_cursor() {
        let t = "owner: infra-ops\n";
        assert_eq!(word(t, 9), Some("infra-ops"));
        assert_eq!(word(t, t.len() - 1), Some("infra-ops"));
        assert_eq!(word(t, 5), Some("owner"));
        assert_eq!(word(": ", 1), None);
    }

    #[test]
    fn front_matter_ends_at_its_closing_fence() {
        let t = "---\nkind: role\n---\n# R\n";
        assert_eq!(front_matter_end(t), Some(15));
        assert_eq!(front_matter_kind(&t[..15]), Some(Kind::Role));
        assert_eq!(front_matter_end("# no front matter\n"), None);
        assert_eq!(front_matter_end("---\nkind: ro"), Some(12), "being typed");
    }
}
