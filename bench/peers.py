#!/usr/bin/env python3
"""Write what mdBook and Hugo need to build the Markdown of a generated handbook.

Usage: bench/peers.py HANDBOOK_DIR

Creates HANDBOOK_DIR/mdbook (book.toml + SUMMARY.md over a copy of src) and
HANDBOOK_DIR/hugo (config, minimal templates, content = the same pages). The
page bodies and their front matter are byte-for-byte the same for all tools.
"""
import os
import shutil
import sys

root = sys.argv[1]
src = os.path.join(root, "src")
pages = []
for dirpath, _, files in os.walk(src):
    for f in sorted(files):
        if f.endswith(".md"):
            pages.append(os.path.relpath(os.path.join(dirpath, f), src))
pages.sort()

# mdBook: SUMMARY.md lists every page (mdBook renders the YAML front matter as text).
mb = os.path.join(root, "mdbook")
shutil.rmtree(mb, ignore_errors=True)
shutil.copytree(src, os.path.join(mb, "src"))
with open(os.path.join(mb, "book.toml"), "w") as f:
    f.write('[book]\ntitle = "Synthetic handbook"\nsrc = "src"\n\n[output.html]\n\n[output.html.search]\nenable = true\n')
with open(os.path.join(mb, "src", "SUMMARY.md"), "w") as f:
    f.write("# Summary\n\n[Synthetic handbook](index.md)\n\n")
    for p in pages:
        if p != "index.md":
            f.write(f"- [{p[:-3]}]({p})\n")

# Hugo: the same pages as content, minimal templates; highlighting through
# Hugo's own build-time highlighter (chroma), as archbook highlights with syntect.
hg = os.path.join(root, "hugo")
shutil.rmtree(hg, ignore_errors=True)
shutil.copytree(src, os.path.join(hg, "content"))
os.rename(os.path.join(hg, "content", "index.md"), os.path.join(hg, "content", "_index.md"))
with open(os.path.join(hg, "hugo.toml"), "w") as f:
    f.write(
        'baseURL = "/"\ntitle = "Synthetic handbook"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
        'relativeURLs = true\n[markup.highlight]\ncodeFences = true\nnoClasses = false\n'
    )
lay = os.path.join(hg, "layouts", "_default")
os.makedirs(lay)
with open(os.path.join(lay, "baseof.html"), "w") as f:
    f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
            '<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n')
with open(os.path.join(lay, "single.html"), "w") as f:
    f.write('{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n')
with open(os.path.join(lay, "list.html"), "w") as f:
    f.write('{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')
print(f"{root}: mdbook/ and hugo/ written for {len(pages)} pages")
