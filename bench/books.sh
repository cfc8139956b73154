#!/usr/bin/env bash
# archbook against mdBook on real mdBook books (content we did not write).
#
#   bench/books.sh BOOK...               each BOOK a folder holding book.toml
#   RUNS=7 BENCH_DIR=/mnt/bench bench/books.sh ~/src/rust-book ~/src/nomicon
#
# Fetch the books first, e.g. `git clone --depth 1` of rust-lang/book,
# rust-lang/nomicon, rust-lang/reference, rust-lang/rust-by-example,
# rust-lang/async-book, rust-lang/edition-guide, rust-embedded/book,
# rust-cli/book, rustwasm/book, rust-lang/cargo (its doc/book) and
# rust-lang/mdBook (its guide). For each book, RUNS times, in alternation:
# a cold build (no earlier output) and a rebuild of the unchanged book into
# that output, by archbook and by mdBook; and archbook's build after a
# one-line edit of a page (of a copy), with its cache of highlighted code.
# Prints the median wall times in milliseconds, the ratios archbook/mdBook,
# and the cold builds' peak memory. A book
# mdBook cannot build (a preprocessor it needs is not installed) is timed
# for archbook alone. Output goes to $BENCH_DIR (default target/bench-books);
# point it at a tmpfs mount (not /dev/shm: archbook never reads under /dev)
# to leave the disk out of the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
# Cold builds and rebuilds keep no cache of highlighted code; the edit
# column's builds use one of their own, in the work folder.
export ARCHBOOK_CACHE_DIR=
runs=${RUNS:-5}
work=${BENCH_DIR:-target/bench-books}
mkdir -p "$work"
work=$(cd "$work" && pwd)
[ $# -gt 0 ] || { sed -n '2,19p' "$0"; exit 2; }

[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null; }
command -v mdbook >/dev/null || cargo install mdbook --locked --quiet
cargo build --release --quiet
archbook=$PWD/target/release/archbook

echo "# $(date -u +%Y-%m-%d) · $(nproc) cores · $(uname -sr) · output in $work"
echo "# $("$archbook" --version) · $(mdbook --version) · median of $runs runs"
printf '%-28s %6s %9s %9s %9s %9s %9s %9s %9s %9s %7s\n' book pages ab_ms md_ms ratio ab_re_ms md_re_ms ratio_re ab_edit_ms ab_rss_mb md_rss_mb

# One timed run: prints "wall_s cpu_s rss_kb", or "failed". The wall time
# comes from the shell's microsecond clock (time's own has 10 ms steps, and
# an up-to-date rebuild takes a few milliseconds).
measure() {
  local log="$work/time.log" t0 t1
  # What the last run left to write back is written first, untimed.
  sync
  t0=$EPOCHREALTIME
  if /usr/bin/time -o "$log" -f '%U %S %M' "$@" >/dev/null 2>&1; then
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" '{ printf "%.4f %.2f %s\n", b - a, $1 + $2, $3 }' "$log"
  else
    echo failed
  fi
}

median() { sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }
ms() { awk '{ printf "%.0f", $1 * 1000 }'; }

for book in "$@"; do
  full=$(cd "$book" && pwd)
  name=$(basename "$full")
  # `doc/book`, `guide`: name the repository too.
  case $name in book | guide | doc | docs | src) name=$(basename "$(dirname "$full")")/$name ;; esac
  for f in ab md ab_re md_re ab_ed; do : >"$work/$f.samples"; done
  # The edit column changes a page: of a copy, never of the book itself.
  rm -rf "$work/copy" "$work/cache" "$work/out-edit" && cp -r "$full" "$work/copy"
  page=$(find "$work/copy" -name '*.md' ! -name SUMMARY.md | sort | sed -n 1p)  # reads it all: head would end sort with SIGPIPE
  for _ in $(seq "$runs"); do
    # Cold: no earlier output. Then a rebuild of the unchanged book into it.
    rm -rf "$work/out-archbook" "$work/out-mdbook"
    measure "$archbook" build "$book" -o "$work/out-archbook" -q >>"$work/ab.samples"
    measure "$archbook" build "$book" -o "$work/out-archbook" -q >>"$work/ab_re.samples"
    # A one-line edit: the site is built again, its code taken from the cache.
    echo "Edited." >>"$page"
    measure env ARCHBOOK_CACHE_DIR="$work/cache" "$archbook" build "$work/copy" -o "$work/out-edit" -q >>"$work/ab_ed.samples"
    if ! grep -q failed "$work/md.samples"; then
      measure mdbook build "$book" -d "$work/out-mdbook" >>"$work/md.samples"
      measure mdbook build "$book" -d "$work/out-mdbook" >>"$work/md_re.samples"
    fi
  done
  if grep -q failed "$work/ab.samples"; then
    printf '%-28s %6s %9s\n' "$name" - failed
    continue
  fi
  pages=$(find "$work/out-archbook" -name '*.html' | wc -l)
  ab=$(cut -d' ' -f1 "$work/ab.samples" | median | ms)
  ab_re=$(cut -d' ' -f1 "$work/ab_re.samples" | median | ms)
  # The edit builds a copy, which lacks what the book reads from beside
  # its folder: a failed build is no time.
  if grep -q failed "$work/ab_ed.samples"; then ab_ed=-; else
    ab_ed=$(cut -d' ' -f1 "$work/ab_ed.samples" | median | ms)
  fi
  ab_rss=$(cut -d' ' -f3 "$work/ab.samples" | median | awk '{ printf "%.0f", $1 / 1024 }')
  if grep -q failed "$work/md.samples"; then
    printf '%-28s %6s %9s %9s %9s %9s %9s %9s %9s %9s %7s\n' "$name" "$pages" "$ab" failed - "$ab_re" - - "$ab_ed" "$ab_rss" -
  else
    md=$(cut -d' ' -f1 "$work/md.samples" | median | ms)
    md_re=$(cut -d' ' -f1 "$work/md_re.samples" | median | ms)
    md_rss=$(cut -d' ' -f3 "$work/md.samples" | median | awk '{ printf "%.0f", $1 / 1024 }')
    ratio=$(awk -v a="$ab" -v m="$md" 'BEGIN { printf "%.3f×", a / m }')
    ratio_re=$(awk -v a="$ab_re" -v m="$md_re" 'BEGIN { printf "%.3f×", a / m }')
    printf '%-28s %6s %9s %9s %9s %9s %9s %9s %9s %9s %7s\n' "$name" "$pages" "$ab" "$md" "$ratio" "$ab_re" "$md_re" "$ratio_re" "$ab_ed" "$ab_rss" "$md_rss"
  fi
done
