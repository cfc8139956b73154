"""`archbook lsp` driven by a real LSP client (pytest-lsp, on pygls) over stdio.

Each test gets a fresh copy of tests/fixtures/history/v2 and a server
started on it. Run by `.ci/run` (`pip install -r tests/lsp/requirements.txt`,
then `pytest tests/lsp`), against the debug binary unless ARCHBOOK is set.
"""
import asyncio
import os
import pathlib
import shutil
import sys
import time

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = pathlib.Path(__file__).resolve().parents[2]
ARCHBOOK = os.environ.get("ARCHBOOK", str(REPO / "target" / "debug" / "archbook"))
FIXTURE = REPO / "tests" / "fixtures" / "history" / "v2"


@pytest.fixture(scope="module")
def handbook(tmp_path_factory):
    root = tmp_path_factory.mktemp("handbook") / "hb"
    shutil.copytree(FIXTURE, root)
    return root.resolve()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[ARCHBOOK, "lsp"]))
async def client(lsp_client: LanguageClient, handbook):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=handbook.as_uri(),
        )
    )
    yield
    await lsp_client.shutdown_session()


def uri(handbook, rel):
    return (handbook / "src" / rel).as_uri()


async def open_doc(client, handbook, rel, text=None):
    path = handbook / "src" / rel
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(),
                language_id="markdown",
                version=1,
                text=text if text is not None else path.read_text(),
            )
        )
    )


async def change(client, handbook, rel, text, version=2):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=uri(handbook, rel), version=version
            ),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_for(client, target, want, timeout=10.0):
    """Waits until the diagnostics published for `target` satisfy `want`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = client.diagnostics.get(target)
        if found is not None and want(found):
            return found
        try:
            await asyncio.wait_for(
                client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 0.5
            )
        except asyncio.TimeoutError:
            pass
    raise AssertionError(f"no matching diagnostics for {target}: {client.diagnostics.get(target)}; have {list(client.diagnostics)}")


async def rename_operator_unsaved(client, handbook):
    """Opens roles/ops.md and gives it the id `operator` in the buffer only,
    which breaks the pages naming `ops`; returns the page's text."""
    rel = "roles/ops.md"
    text = (handbook / "src" / rel).read_text()
    await open_doc(client, handbook, rel)
    await change(client, handbook, rel, text.replace("kind: role", "kind: role\nid: operator"))
    return text


async def completion_labels(client, handbook, rel, line, character):
    """The labels the server completes at a position of page `rel`."""
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(handbook, rel)),
            position=types.Position(line=line, character=character),
        )
    )
    items = result.items if hasattr(result, "items") else result
    return [i.label for i in items]


@pytest.mark.asyncio
async def test_a_typo_is_reported_as_typed_with_its_fix(client: LanguageClient, handbook):
    rel = "components/storage.md"
    text = (handbook / "src" / rel).read_text()
    await open_doc(client, handbook, rel)
    started = time.monotonic()
    await change(client, handbook, rel, text.replace("owner: architect", "owner: architcet"))
    found = await diagnostics_for(
        client, uri(handbook, rel), lambda ds: any(d.code == "unknown-reference" for d in ds)
    )
    latency = time.monotonic() - started
    print(f"change to diagnostics: {latency * 1000:.0f} ms", file=sys.stderr)
    d = next(d for d in found if d.code == "unknown-reference")
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.range.start.line == 4 and d.range.start.character == 7
    assert "did you mean `architect`" in d.message
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(handbook, rel)),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    assert [a.title for a in actions] == ["Change to `architect`"]
    edit = actions[0].edit.changes[uri(handbook, rel)][0]
    assert edit.new_text == "architect" and edit.range == d.range
    # Fixed in the buffer: the finding goes.
    await change(client, handbook, rel, text, version=3)
    await diagnostics_for(client, uri(handbook, rel), lambda ds: not ds)


@pytest.mark.asyncio
async def test_a_change_to_one_page_updates_findings_on_another(client: LanguageClient, handbook):
    # Renaming the operator's id (unsaved) breaks the activities naming it.
    rel = "roles/ops.md"
    text = await rename_operator_unsaved(client, handbook)
    found = await diagnostics_for(
        client,
        uri(handbook, "activities/handle-tickets.md"),
        lambda ds: any(d.code == "unknown-reference" for d in ds),
    )
    assert any("unknown role `ops`" in d.message for d in found)
    await change(client, handbook, rel, text, version=3)
    await diagnostics_for(client, uri(handbook, "activities/handle-tickets.md"), lambda ds: not ds)


@pytest.mark.asyncio
async def test_hover_definition_and_references(client: LanguageClient, handbook):
    rel = "components/storage.md"
    await open_doc(client, handbook, rel)
    at_owner = types.Position(line=4, character=9)  # owner: arc|hitect
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri(handbook, rel)), position=at_owner)
    )
    assert "**Architect** (role)" in hover.contents.value
    assert "Focus: Designs the infrastructure and guides transitions." in hover.contents.value
    where = await client.text_document_definition_async(
        types.DefinitionParams(text_document=types.TextDocumentIdentifier(uri=uri(handbook, rel)), position=at_owner)
    )
    assert where.uri == uri(handbook, "roles/architect.md")
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri(handbook, rel)),
            position=at_owner,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    files = sorted({pathlib.Path(r.uri).name for r in refs})
    assert files == ["adr-1.md", "adr-2.md", "approve-budget.md", "design.md", "project-manager.md", "storage.md", "transitions.md"], files
    # The RACI row of an activity in its hover.
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(handbook, "roles/architect.md")),
            position=types.Position(line=7, character=24),  # does_not: [approve-budget, handle-tickets]
        )
    )
    assert hover.contents.value.startswith("**Approve the budget** (activity)"), hover.contents.value
    assert "RACI: Architect I, Project Manager A/R" in hover.contents.value


@pytest.mark.asyncio
async def test_completion_offers_ids_keys_and_letters(client: LanguageClient, handbook):
    rel = "components/new.md"
    path = handbook / "src" / rel
    path.write_text("---\nkind: component\nlayer: \n---\n# New\n")
    await open_doc(client, handbook, rel)

    async def labels(line, character):
        return await completion_labels(client, handbook, rel, line, character)

    assert await labels(2, 7) == ["cloud", "edge", "infra", "platform"]
    await change(client, handbook, rel, "---\nkind: component\nlayer: infra\n\n---\n# New\n")
    keys = await labels(3, 0)
    assert "depends_on" in keys and "owner" in keys and "mantra" not in keys
    await change(client, handbook, rel, "---\nkind: activity\nraci:\n  ops: \n---\n# New\n", version=3)
    assert await labels(3, 7) == ["A/R", "R", "A", "C", "I"]
    assert await labels(3, 2) == ["architect", "ops", "project-manager"]


@pytest.mark.asyncio
async def test_document_symbols_are_the_headings(client: LanguageClient, handbook):
    rel = "index.md"
    await open_doc(client, handbook, rel, "# Title\n\n## Part one\n\n```md\n# not a heading\n```\n\n### Deeper\n")
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri(handbook, rel)))
    )
    assert [(s.name, s.range.start.line) for s in symbols] == [("Title", 0), ("Part one", 2), ("Deeper", 8)]


@pytest.mark.asyncio
async def test_rename_an_id_renames_its_file_references_and_links(client: LanguageClient, handbook):
    (handbook / "src" / "guide" / "see-ops.md").write_text(
        "# Who runs it\n\nAsk [the operator](../roles/ops.md#operator).\n"
    )
    rel = "components/compute.md"
    await open_doc(client, handbook, rel)
    # Waits for the check that reads the new page.
    await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri(handbook, rel)))
    )
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=uri(handbook, rel)),
            position=types.Position(line=4, character=8),  # owner: o|ps
            new_name="operations",
        )
    )
    edits = {}
    renames = []
    for change in edit.document_changes:
        if isinstance(change, types.RenameFile):
            renames.append((pathlib.Path(change.old_uri).name, pathlib.Path(change.new_uri).name))
        else:
            name = pathlib.Path(change.text_document.uri).name
            edits[name] = sorted(e.new_text for e in change.edits)
    assert renames == [("ops.md", "operations.md")]
    assert edits["compute.md"] == ["operations"]
    assert edits["handle-tickets.md"] == ["operations"]
    assert edits["transitions.md"] == ["operations"]
    assert edits["architect.md"] == ["operations"]
    assert edits["see-ops.md"] == ["operations.md"]
    # A name that is not an id is refused.
    with pytest.raises(Exception):
        await client.text_document_rename_async(
            types.RenameParams(
                text_document=types.TextDocumentIdentifier(uri=uri(handbook, rel)),
                position=types.Position(line=4, character=8),
                new_name="Operations Team",
            )
        )


@pytest.mark.asyncio
async def test_workspace_symbols_are_the_model_ids(client: LanguageClient, handbook):
    await open_doc(client, handbook, "index.md")
    symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="storage"))
    assert sorted(s.name for s in symbols) == ["adr-1", "adr-2", "storage"]
    roles = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="manager"))
    assert [(s.name, s.container_name) for s in roles] == [("project-manager", "Project Manager")]


@pytest.mark.asyncio
async def test_completion_of_link_targets_and_anchors(client: LanguageClient, handbook):
    rel = "guide/new-name.md"
    text = "# Working with us\n\nSee [the operator](../roles/ops.md#\n"
    await open_doc(client, handbook, rel, text)

    async def labels(line, character):
        return await completion_labels(client, handbook, rel, line, character)

    assert await labels(2, len("See [the operator](../roles/ops.md#")) == ["operator"]
    pages = await labels(2, len("See [the operator]("))
    assert "../roles/ops.md" in pages and "../index.md" in pages and "new-name.md" not in pages
    await change(client, handbook, rel, "# Working with us\n\n## Asking\n\n[up](#\n")
    assert await labels(4, len("[up](#")) == ["working-with-us", "asking"]


@pytest.mark.asyncio
async def test_changes_on_disk_are_seen_without_the_editor(client: LanguageClient, handbook):
    # The server watches the folder: a page edited, added or restored by
    # another program (a `git checkout`, a script) is checked again without
    # any message from the editor, while an open page keeps its buffer.
    open_rel = "roles/ops.md"
    await rename_operator_unsaved(client, handbook)
    tickets = uri(handbook, "activities/handle-tickets.md")
    await diagnostics_for(client, tickets, lambda ds: any("unknown role `ops`" in d.message for d in ds))

    compute = handbook / "src" / "components" / "compute.md"
    before = compute.read_text()
    compute.write_text(before.replace("layer: platform", "layer: platfrom"))
    found = await diagnostics_for(
        client, compute.as_uri(), lambda ds: any("did you mean `platform`" in d.message for d in ds)
    )
    assert found[0].range.start.line == 3
    added = handbook / "src" / "components" / "cache.md"
    added.write_text("---\nkind: component\nlayer: edge\nowner: nobody\n---\n# Cache\n")
    await diagnostics_for(client, added.as_uri(), lambda ds: any("nobody" in d.message for d in ds))
    # The open page's unsaved text still counts, not the file on disk.
    assert any("unknown role `ops`" in d.message for d in client.diagnostics[tickets])

    added.unlink()
    compute.write_text(before)
    # (Its owner is still the renamed `ops`.)
    await diagnostics_for(client, compute.as_uri(), lambda ds: [d.code for d in ds] == ["unknown-reference"])
    await diagnostics_for(client, added.as_uri(), lambda ds: not ds)
    # Closed without saving: the file on disk counts again.
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(handbook, open_rel)))
    )
    await diagnostics_for(client, tickets, lambda ds: not ds)
    await diagnostics_for(client, compute.as_uri(), lambda ds: not ds)
