#!/usr/bin/env python3
"""Write what mdBook, Hugo and Zola need to build the Markdown of a generated handbook.

Usage: bench/peers.py HANDBOOK_DIR

Creates HANDBOOK_DIR/mdbook (book.toml + SUMMARY.md over a copy of src),
HANDBOOK_DIR/hugo (config, minimal templates, content = the same pages) and
HANDBOOK_DIR/zola (config, minimal templates, a section per folder). The page
bodies are byte-for-byte the same for all tools; mdBook and Hugo get the
front matter as it is, Zola (which refuses keys it does not know) the title.
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
# Zola: TOML front matter with the title only, a section (_index.md) per
# folder, minimal templates; no highlighting and no search index (its
# defaults), so it does less than archbook.
zl = os.path.join(root, "zola")
shutil.rmtree(zl, ignore_errors=True)
os.makedirs(os.path.join(zl, "templates"))
with open(os.path.join(zl, "config.toml"), "w") as f:
    f.write('base_url = "/"\ntitle = "Synthetic handbook"\ncompile_sass = false\nbuild_search_index = false\n')
base = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ %s.title }}</title></head>'
        '<body><main><h1>{{ %s.title }}</h1>{{ %s.content | safe }}%s</main></body></html>\n')
listing = '<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>'
for name, var, extra in (("page.html", "page", ""), ("section.html", "section", listing), ("index.html", "section", listing)):
    with open(os.path.join(zl, "templates", name), "w") as f:
        f.write(base % (var, var, var, extra))


def toml_title(text, fallback):
    """The page's title (front matter `title:` or its first heading), and its body."""
    body, title = text, None
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            for line in text[4:end].splitlines():
                if line.startswith("title:"):
                    title = line[6:].strip().strip('"\'')
            body = text[end + 5:]
    if title is None:
        for line in body.splitlines():
            if line.startswith("# "):
                title = line[2:].strip()
                break
    title = (title or fallback).replace("\\", "\\\\").replace('"', '\\"')
    return title, body


for p in pages:
    with open(os.path.join(src, p), encoding="utf-8") as f:
        title, body = toml_title(f.read(), p[:-3])
    rel = "_index.md" if p == "index.md" else p
    dest = os.path.join(zl, "content", rel)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w", encoding="utf-8") as f:
        f.write(f'+++\ntitle = "{title}"\n+++\n{body}')
for dirpath, dirs, files in os.walk(os.path.join(zl, "content")):
    if "_index.md" not in files:
        with open(os.path.join(dirpath, "_index.md"), "w") as f:
            f.write(f'+++\ntitle = "{os.path.basename(dirpath)}"\n+++\n')
print(f"{root}: mdbook/, hugo/ and zola/ written for {len(pages)} pages")
