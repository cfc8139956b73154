#!/usr/bin/env python3
"""Generate a deterministic synthetic archbook handbook of N pages.

Usage: bench/gen.py N OUT_DIR [--varied]

About 5 KB per plain page: headings, lists, a table, links (with anchors) to
other pages, and one fenced code block in one of several languages. Model pages
(layers, roles, components with dependencies, activities with RACI, decisions)
make up about a third of the pages. The result passes `archbook check` with no
findings, so the benchmark times the clean path a real handbook takes.

`--varied` makes the plain pages less regular, as real handbooks are: 512
sections three levels deep, 0 to 4 code blocks a page (5 to 40 lines each)
in twelve languages, and one page in ten five times as long.
"""
import os
import random
import shutil
import sys

# Code blocks differ from page to page ({n}), so no tool can skip highlighting
# by recognising a block it has seen before.
LANGS = [
    ("rust", 'fn main() {{\n    let xs: Vec<u32> = (0..{n}).collect();\n    println!("{{}}", xs.iter().sum::<u32>());\n}}\n'),
    ("python", "def total_{n}(xs):\n    return sum(x * x for x in xs)\n\nprint(total_{n}(range({n})))\n"),
    ("yaml", "server:\n  replicas: {n}\n  image: registry.local/app:1.2.{n}\n  ports: [80, 443]\n"),
    ("bash", 'for host in web{n} web2 web3; do\n  ssh "$host" uptime\ndone\n'),
    ("json", '{{"name": "storage-{n}", "tier": 1, "replicated": true}}\n'),
    ("sql", "SELECT layer, count(*) FROM components WHERE id > {n} GROUP BY layer ORDER BY 2 DESC;\n"),
]
# More languages, for `--varied`.
MORE_LANGS = [
    ("go", 'func handler{n}(w http.ResponseWriter, r *http.Request) {{\n\tfmt.Fprintf(w, "ok %d", {n})\n}}\n'),
    ("java", "public class Service{n} {{\n    public int size() {{ return {n}; }}\n}}\n"),
    ("typescript", "export function route{n}(req: Request): Response {{\n  return new Response(`${{{n}}}`);\n}}\n"),
    ("dockerfile", "FROM debian:12\nRUN apt-get update && apt-get install -y nginx\nEXPOSE {n}\n"),
    ("toml", '[server]\nport = {n}\nworkers = 4\nname = "svc-{n}"\n'),
    ("c", "int sum_{n}(const int *xs, int len) {{\n    int s = 0;\n    for (int i = 0; i < len; i++) s += xs[i];\n    return s;\n}}\n"),
]
WORDS = ("infrastructure platform storage network capacity design resilience cloud "
         "service latency failover cluster standard operations security backup tier "
         "transition supplier coherence availability monitoring recovery").split()


def para(rng, n=60):
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def examples(rng, langs, i):
    """0 to 4 code blocks of 5 to 40 lines, each block's code its own."""
    out = []
    for k in range(rng.randrange(5)):
        lang, code = langs[rng.randrange(len(langs))]
        lines = []
        while len(lines) < rng.randrange(5, 41):
            lines.extend(code.format(n=i * 10 + k + len(lines)).splitlines())
        out.append(f"## Example {k}\n\n```{lang}\n" + "\n".join(lines) + "\n```\n")
    return "\n".join(out)


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    varied = "--varied" in sys.argv[3:]
    rng = random.Random(42)
    if os.path.exists(out):
        shutil.rmtree(out)
    src = os.path.join(out, "src")
    write(out, "book.toml", '[book]\ntitle = "Synthetic handbook"\nsrc = "src"\n')

    n_layers = 10
    n_roles = 20
    n_components = max(n_layers, n // 5)
    n_activities = max(n_roles, n // 10)
    n_decisions = max(1, n // 100)
    n_plain = max(1, n - n_layers - n_roles - n_components - n_activities - n_decisions)

    layers = [f"layer-{i}" for i in range(n_layers)]
    roles = [f"role-{i}" for i in range(n_roles)]
    comps = [f"component-{i}" for i in range(n_components)]
    acts = [f"activity-{i}" for i in range(n_activities)]

    def folder(kind, i):
        return f"{kind}/{i // 100:03d}"

    pages = []  # (rel path, anchor) for plain-page links
    for i, lid in enumerate(layers):
        parent = f"parent: layer-{i - 5}\n" if i >= 5 else ""
        write(src, f"layers/{lid}.md",
              f"---\nkind: layer\ntitle: Layer {i}\nlevel: {i % 5 + 1}\n{parent}---\n# Layer {i}\n\n{para(rng)}\n")
    for i, rid in enumerate(roles):
        others = {roles[(i + 1) % n_roles]: "works with", roles[(i + 2) % n_roles]: "hands over to"}
        rel = "".join(f"  {k}: {v}\n" for k, v in others.items())
        write(src, f"roles/{rid}.md",
              f"---\nkind: role\ntitle: Role {i}\nmantra: \"{para(rng, 5)}\"\nfocus: {para(rng, 12)}\n"
              f"layers: [{layers[i % n_layers]}]\nrelations:\n{rel}---\n# Role {i}\n\n{para(rng)}\n")
    for i, cid in enumerate(comps):
        deps = sorted({comps[rng.randrange(i)] for _ in range(2)}) if i > 0 else []
        dep = f"depends_on: [{', '.join(deps)}]\n" if deps else ""
        rel = f"components/{folder('c', i)}/{cid}.md"
        write(src, rel,
              f"---\nkind: component\ntitle: Component {i}\nlayer: {layers[i % n_layers]}\n"
              f"owner: {roles[i % n_roles]}\n{dep}lifecycle: current\n---\n# Component {i}\n\n## Sizing\n\n{para(rng)}\n")
        pages.append((rel, "sizing"))
    for i, aid in enumerate(acts):
        a = roles[i % n_roles]
        r = roles[(i + 1) % n_roles]
        c = roles[(i + 3) % n_roles]
        write(src, f"activities/{folder('a', i)}/{aid}.md",
              f"---\nkind: activity\ntitle: Activity {i}\narea: Area {i % 7}\n"
              f"layers: [{layers[i % n_layers]}, {layers[(i + 4) % n_layers]}]\n"
              f"raci:\n  {a}: A\n  {r}: R\n  {c}: C\n---\n# Activity {i}\n\n{para(rng)}\n")
    for i in range(n_decisions):
        write(src, f"decisions/{i:05d}.md",
              f"---\nkind: decision\ntitle: Decision {i}\nstatus: accepted\ndate: 2025-01-{i % 28 + 1:02d}\n"
              f"decision-makers: [{roles[i % n_roles]}]\nconsulted: [{roles[(i + 1) % n_roles]}]\n---\n"
              f"# Decision {i}\n\n{para(rng)}\n")
    langs = LANGS + MORE_LANGS
    for i in range(n_plain):
        rel = f"guide/{folder('p', i)}/page-{i}.md"
        if varied:
            rel = f"guide/s{i % 8}/t{i // 8 % 8}/u{i // 64 % 8}/page-{i}.md"
        lang, code = LANGS[i % len(LANGS)]
        code = code.format(n=i)
        links = []
        for _ in range(3):
            target, anchor = rng.choice(pages) if pages else (rel, "overview")
            depth = rel.count("/")
            links.append(f"[{os.path.basename(target)}]({'../' * depth}{target}#{anchor})")
        body = [
            f"# Page {i}\n",
            f"## Overview\n\n{para(rng)} {para(rng)}\n",
            "## Details\n\n" + "".join(f"- {para(rng, 12)}\n" for _ in range(6)),
            "## Table\n\n| Item | Value | Note |\n|---|---|---|\n"
            + "".join(f"| {rng.choice(WORDS)} | {rng.randrange(1000)} | {para(rng, 6)} |\n" for _ in range(8)),
            examples(rng, langs, i) if varied else f"## Example\n\n```{lang}\n{code}```\n",
            f"## See also\n\n{', '.join(links)}, and [the overview](#overview).\n\n{para(rng)} {para(rng)} {para(rng)}\n",
        ]
        if varied and i % 10 == 0:
            body += [f"## Part {k}\n\n{para(rng, 120)}\n\n{para(rng, 120)}\n" for k in range(12)]
        write(src, rel, "\n".join(body))
        pages.append((rel, "overview"))
    write(src, "index.md", "# Synthetic handbook\n\nGenerated for benchmarks.\n")
    print(f"{out}: {n_plain + n_layers + n_roles + n_components + n_activities + n_decisions + 1} pages")


if __name__ == "__main__":
    main()
