//! Renaming a model id across the handbook as one workspace edit: every
//! front-matter reference to it, and its declaration. An id written as
//! `id:` is rewritten there; an id that comes from the file name renames
//! the file, and the Markdown links to the file follow.

use std::collections::BTreeMap;
use std::path::PathBuf;

use lsp_types::{
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    RenameFile, RenameParams, ResourceOp, TextDocumentEdit, TextEdit, WorkspaceEdit,
};

use super::features::{at, model_page, src, text_of, word};
use super::{Server, text};

/// The edit renaming the id under the cursor to `new_name`.
pub(super) fn rename(server: &Server, p: RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let pos = p.text_document_position;
    let (_, t, offset) =
        at(server, &pos.text_document.uri, pos.position).ok_or("no such document")?;
    let Some(id) = word(&t, offset) else {
        return Ok(None);
    };
    let Some(page) = model_page(server, id) else {
        return Err(format!("`{id}` is not the id of a page of the model"));
    };
    let new = p.new_name.trim();
    if new.is_empty() || crate::slug::slugify(new) != new {
        return Err(format!(
            "`{new}` is not a safe id: use lower-case letters, digits, `-` and `_`"
        ));
    }
    if model_page(server, new).is_some() {
        return Err(format!("a page already has the id `{new}`"));
    }
    let book = &server
        .site
        .as_ref()
        .ok_or("the handbook is not checked yet")?
        .handbook;
    let src = src(server).ok_or("the handbook is not checked yet")?;
    let mut edits: BTreeMap<PathBuf, Vec<TextEdit>> = BTreeMap::new();
    let mut edit = |path: PathBuf, span: &std::ops::Range<usize>, with: String| {
        let t = text_of(server, &path).unwrap_or_default();
        edits
            .entry(path)
            .or_default()
            .push(TextEdit::new(text::range(&t, span), with));
    };
    for q in &book.pages {
        for (_, r, _) in q.data.references() {
            if r.id == id {
                edit(src.join(&q.source), &r.span, new.to_string());
            }
        }
    }
    let file = src.join(&page.source);
    let own = text_of(server, &file).unwrap_or_default();
    let written = own.get(page.id_span.clone()) == Some(id);
    let mut rename_op = None;
    if written {
        edit(file.clone(), &page.id_span, new.to_string());
    } else {
        // The id is the file's name: the file is renamed, and so are the
        // links to it (`](../roles/pm.md#focus)`).
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if crate::slug::slugify(stem) != id {
            // `README.md` or `index.md`, named after its folder: write the
            // id out instead.
            let after_fence = own.find('\n').map_or(0, |i| i + 1);
            edit(
                file.clone(),
                &(after_fence..after_fence),
                format!("id: {new}\n"),
            );
        } else {
            let old_name = format!("{stem}.md");
            let new_name = format!("{new}.md");
            for q in &book.pages {
                let dir = q.source.rsplit_once('/').map_or("", |(d, _)| d);
                for link in q.links.iter() {
                    let target = link.url.split('#').next().unwrap_or("");
                    let resolved = crate::slug::join(dir, &crate::slug::percent_decode(target));
                    if resolved.as_deref() != Some(page.source.as_str()) {
                        continue;
                    }
                    let path = src.join(&q.source);
                    let t = text_of(server, &path).unwrap_or_default();
                    let Some(written) = t.get(link.span.clone()) else {
                        continue;
                    };
                    if let Some(i) = written.rfind(&old_name) {
                        let at = link.span.start + i;
                        edit(path, &(at..at + old_name.len()), new_name.clone());
                    }
                }
            }
            rename_op = Some((file.clone(), file.with_file_name(&new_name)));
        }
    }
    let mut ops: Vec<DocumentChangeOperation> = Vec::new();
    for (path, edits) in edits {
        let uri = text::uri(&path).ok_or("a path that is not a file address")?;
        ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        }));
    }
    if let Some((from, to)) = rename_op {
        ops.push(DocumentChangeOperation::Op(ResourceOp::Rename(
            RenameFile {
                old_uri: text::uri(&from).ok_or("a path that is not a file address")?,
                new_uri: text::uri(&to).ok_or("a path that is not a file address")?,
                options: None,
                annotation_id: None,
            },
        )));
    }
    Ok(Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(ops)),
        ..WorkspaceEdit::default()
    }))
}
