#!/usr/bin/env python3
"""Time from an edit to its findings in `archbook lsp`.

Usage: bench/lsp_latency.py ARCHBOOK HANDBOOK PAGE OLD NEW

Starts `ARCHBOOK lsp` on the handbook folder HANDBOOK, opens PAGE (a path
from HANDBOOK), then eight times replaces the text OLD with NEW in the open
buffer (and back), timing each `didChange` until the server publishes the
page's diagnostics (RUNS times instead, when set), pausing PAUSE seconds
(default 0.1) between changes as a typist does. Prints the median, minimum
and maximum. Example:

    bench/lsp_latency.py target/release/archbook . content/components/kubernetes-platform.md "owner: " "owner: x"
"""
import json
import os
import pathlib
import subprocess
import sys
import time

binary, root, rel, old, new = sys.argv[1:6]
RUNS = int(os.environ.get("RUNS", "8"))
PAUSE = float(os.environ.get("PAUSE", "0.1"))
root = pathlib.Path(root).resolve()
if old not in (root / rel).read_text():
    sys.exit(f"`{old}` is not in {rel}: the edit would change nothing and no findings would come")
server = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def receive():
    headers = {}
    while True:
        line = server.stdout.readline().decode().strip()
        if not line:
            break
        key, value = line.split(": ", 1)
        headers[key] = value
    return json.loads(server.stdout.read(int(headers["Content-Length"])))


page = root / rel
uri = page.as_uri()
text = page.read_text()
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": root.as_uri(), "capabilities": {}}})
receive()
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
# A request is answered after the pending check: the server is warm after it.
send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}})
while receive().get("id") != 2:
    pass
times = []
for i in range(RUNS):
    changed = text.replace(old, new) if i % 2 == 0 else text
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": i + 2}, "contentChanges": [{"text": changed}]}})
    while True:
        message = receive()
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
            break
    times.append((time.perf_counter() - start) * 1000)
    # A typist's pause before the next change (the server frees the last
    # check's pages meanwhile); PAUSE=0 sends changes back to back.
    time.sleep(PAUSE)
send({"jsonrpc": "2.0", "id": 9, "method": "shutdown"})
receive()
send({"jsonrpc": "2.0", "method": "exit"})
server.wait(timeout=10)
times.sort()
print(f"change to diagnostics: median {times[len(times) // 2]:.0f} ms, min {times[0]:.0f} ms, max {times[-1]:.0f} ms")
