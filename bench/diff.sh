#!/usr/bin/env bash
# Times `archbook diff` against `archbook check` on a generated handbook kept
# in a git repository with two revisions (the second changes 60 pages'
# RACI letters and headings): two revisions, and HEAD against the working
# tree. The issue's bar: a diff takes no longer than two checks.
#
#   bench/diff.sh [PAGES]          default: 10000
#   BENCH_DIR=/mnt/bench/x bench/diff.sh   (tmpfs; default target/bench, the disk)
#
# Needs python3, git and hyperfine (Debian's `hyperfine`).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 2; }
cargo build --release --quiet
bin=$PWD/target/release/archbook
dir=${BENCH_DIR:-target/bench}/history-$n
if [ ! -d "$dir/.git" ]; then
  rm -rf "$dir"
  python3 bench/gen.py "$n" "$dir" >/dev/null
  git -C "$dir" init -q
  git -C "$dir" add -A
  git -C "$dir" -c user.name=bench -c user.email=bench@example.com commit -qm one
  python3 - "$dir" <<'PY'
import os, random, re, sys
random.seed(1)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(sys.argv[1], "src")) for f in fs if f.endswith(".md"))
for p in random.sample(files, 60):
    s = open(p).read()
    s = s.replace("\n## ", "\n## Revised ", 1)
    s = re.sub(r"(\n  [a-z0-9-]+: )C\n", r"\1I\n", s, count=1)
    open(p, "w").write(s)
PY
  git -C "$dir" -c user.name=bench -c user.email=bench@example.com commit -qam two
fi
cd "$dir"
hyperfine -N -i -w 2 -r 10 "$bin check -q ." "$bin diff HEAD~1 HEAD" "$bin diff"
