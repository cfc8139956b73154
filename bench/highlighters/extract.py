import json, os, re, sys, collections
blocks = []
fence = re.compile(r'^(\s*)(```+|~~~+)\s*([A-Za-z0-9_+-]*)')
for root in sys.argv[1:]:
    for dp, dn, fn in os.walk(root):
        dn[:] = [d for d in dn if not d.startswith('.') and d not in ('target', 'node_modules')]
        for f in fn:
            if not f.endswith('.md'):
                continue
            lines = open(os.path.join(dp, f), encoding='utf-8', errors='replace').read().split('\n')
            i = 0
            while i < len(lines):
                m = fence.match(lines[i])
                if m:
                    mark, lang = m.group(2), m.group(3).lower()
                    body = []
                    i += 1
                    while i < len(lines) and not lines[i].strip().startswith(mark):
                        body.append(lines[i]); i += 1
                    if lang:
                        blocks.append({'lang': lang, 'code': '\n'.join(body) + '\n'})
                i += 1
json.dump(blocks, sys.stdout)
c = collections.Counter(b['lang'] for b in blocks)
n = collections.Counter()
for b in blocks: n[b['lang']] += len(b['code'])
print(len(blocks), 'blocks', sum(n.values()), 'bytes', file=sys.stderr)
for l, k in c.most_common(25): print(l, k, n[l], file=sys.stderr)
