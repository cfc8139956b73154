#!/usr/bin/env python3
"""Save -> rebuilt -> reload-message latency of `archbook serve`.

Usage: bench/serve.py [PAGES...]        default: 1000 10000
       RUNS=10 bench/serve.py 10000

Generates a handbook (bench/gen.py), starts `archbook serve` on a free port,
listens on its live-reload websocket, then edits one line of a page body RUNS
times and measures, for each edit, the time from writing the file to the
"reload" message arriving. Prints the median and the worst run, and archbook's
own "rebuilt ... in N ms" figure.
"""
import base64
import os
import re
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("RUNS", "10"))
WORK = os.environ.get("BENCH_DIR", os.path.join(ROOT, "target", "bench"))


def websocket(addr):
    host, port = addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(
        f"GET /__archbook/livereload HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        head += s.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return s


def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def message(s):
    h = read_exact(s, 2)
    n = h[1] & 0x7F
    if n == 126:
        n = int.from_bytes(read_exact(s, 2), "big")
    elif n == 127:
        n = int.from_bytes(read_exact(s, 8), "big")
    return read_exact(s, n).decode()


def run(pages):
    book = os.path.join(WORK, f"handbook-{pages}")
    if not os.path.exists(os.path.join(book, "book.toml")):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), str(pages), book], check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, "target", "release", "archbook")
    out = os.path.join(WORK, f"serve-out-{pages}")
    proc = subprocess.Popen([binary, "serve", book, "--port", "0", "-o", out], stderr=subprocess.PIPE, text=True)
    try:
        addr = None
        for line in proc.stderr:
            m = re.search(r"http://([0-9.:]+)/", line)
            if m:
                addr = m.group(1)
                break
        ws = websocket(addr)
        page = os.path.join(book, "src", "guide", "p", "000", "page-1.md")
        original = open(page).read()
        times = []
        for n in range(RUNS):
            t0 = time.perf_counter()
            with open(page, "w") as f:
                f.write(original + f"\nEdit number {n}.\n")
            while True:
                msg = message(ws)
                if '"reload"' in msg:
                    break
            times.append((time.perf_counter() - t0) * 1000)
            time.sleep(1.0)  # let the follow-ups (search index, print page) finish
        with open(page, "w") as f:
            f.write(original)
        print(f"{pages:>6} pages: save -> reload message median {statistics.median(times):.1f} ms, "
              f"worst {max(times):.1f} ms over {RUNS} edits")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    os.makedirs(WORK, exist_ok=True)
    for n in [int(a) for a in sys.argv[1:]] or [1000, 10000]:
        run(n)
