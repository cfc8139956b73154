#!/usr/bin/env bash
# archbook against mdBook, Hugo and Zola on the same generated pages.
#
#   bench/compare.sh [PAGES...]          default: 1000 10000
#   RUNS=5 TIMEOUT=300 bench/compare.sh 1000
#   VARIED=1 bench/compare.sh 10000    the varied corpus (gen.py --varied)
#
# For each size: generates a handbook (bench/gen.py), writes the mdBook, Hugo
# and Zola projects for the same Markdown (bench/peers.py), then times full
# builds of archbook, Hugo, mdBook and Zola in alternation, RUNS times each, and prints the
# median wall time, CPU time (user + system), peak memory, output size, and
# the ratios archbook/peer. Also `archbook check` alone and the search index.
# Highlighting is measured separately: archbook and Hugo also build the same
# pages with build-time highlighting off (`[archbook] highlight = false`,
# Hugo's `markup.highlight.codeFences = false`), rows `*-nohl`.
# Zola builds with its defaults: no highlighting, no search index; it is
# timed when a `zola` binary is on PATH (it is in no package registry:
# install a release from getzola.org). The Zola project peers.py writes has
# not been built here: no Zola runs on this project's machines (Debian 12's
# glibc is older than the npm build of Zola needs).
# Installs the other peers if absent: `cargo install mdbook --locked`,
# Debian's hugo.
# Work goes to $BENCH_DIR (default target/bench); set it to a tmpfs mount
# (not /dev/shm: archbook never reads under /dev) to leave the disk out of
# the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
# archbook builds from scratch: no cache of highlighted code.
export ARCHBOOK_CACHE_DIR=
runs=${RUNS:-5}
timeout_s=${TIMEOUT:-240}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
work=$(cd "$work" && pwd)

[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null; }
command -v hugo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; }
command -v mdbook >/dev/null || cargo install mdbook --locked --quiet
zola=$(command -v zola || true)
[ -n "$zola" ] || echo "# no zola on PATH: Zola is not timed" >&2
cargo build --release --quiet
archbook=$PWD/target/release/archbook

echo "# $(date -u +%Y-%m-%d) · $(nproc) cores · $(uname -sr)"
echo "# $("$archbook" --version) · $(mdbook --version) · $(hugo version | cut -d' ' -f1-2)${zola:+ · $("$zola" --version)}"
echo "# median of $runs runs; wall and CPU seconds, peak RSS in MB, output in MB"
printf '%-7s %-15s %8s %8s %8s %9s\n' pages tool wall cpu rss_mb out_mb

# One timed run: prints "wall cpu rss_kb", or "timeout". The data the last
# run left for the kernel to write back is written first, untimed: on a disk
# it would otherwise be charged to whichever tool runs next.
measure() {
  local log="$work/time.log"
  sync
  local status=0
  /usr/bin/time -o "$log" -f '%e %U %S %M' timeout "$timeout_s" "$@" >/dev/null 2>"$work/stderr.log" || status=$?
  if [ "$status" = 0 ]; then
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$log"
  elif grep -q "status 124" "$log"; then
    echo timeout
  else
    # A build that fails is not a slow build: stop rather than report it.
    echo "# failed (exit $status): $*" >&2
    cat "$work/stderr.log" >&2
    exit 1
  fi
}

median() { sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }

for n in "${sizes[@]}"; do
  dir="$work/handbook-$n${VARIED:+-varied}"
  [ -f "$dir/book.toml" ] || python3 bench/gen.py "$n" "$dir" ${VARIED:+--varied} >/dev/null
  [ -f "$dir/zola/config.toml" ] || python3 bench/peers.py "$dir" >/dev/null
  # The same pages, highlighting off, for the like-for-like rows: a copy,
  # since archbook reads no pages outside the handbook's folder.
  [ -d "$dir/nohl/src" ] || { mkdir -p "$dir/nohl" && cp -r "$dir/src" "$dir/nohl/src"; }
  printf '[book]\ntitle = "Synthetic handbook"\n\n[archbook]\nhighlight = false\n' >"$dir/nohl/book.toml"
  declare -A wall cpu rss outmb
  tools=(archbook hugo mdbook ${zola:+zola} archbook-nohl hugo-nohl)
  for t in "${tools[@]}"; do : >"$work/$t-$n.samples"; done
  for _ in $(seq "$runs"); do
    for t in "${tools[@]}"; do
      case $t in
        archbook) cmd=("$archbook" build "$dir" -o "$work/out-archbook-$n" -q) ;;
        hugo) cmd=(hugo --quiet -s "$dir/hugo" -d "$work/out-hugo-$n" --cacheDir "$work/hugo-cache") ;;
        mdbook) cmd=(mdbook build "$dir/mdbook" -d "$work/out-mdbook-$n") ;;
        zola) cmd=("$zola" --root "$dir/zola" build --force -o "$work/out-zola-$n") ;;
        archbook-nohl) cmd=("$archbook" build "$dir/nohl" -o "$work/out-$t-$n" -q) ;;
        hugo-nohl) cmd=(env HUGO_MARKUP_HIGHLIGHT_CODEFENCES=false hugo --quiet -s "$dir/hugo" -d "$work/out-$t-$n" --cacheDir "$work/hugo-cache") ;;
      esac
      # mdBook is quadratic in the page count: once it times out, stop trying.
      if grep -q timeout "$work/$t-$n.samples" 2>/dev/null; then continue; fi
      # A full build each time: no up-to-date record, no highlight cache.
      rm -f "$work/out-archbook-$n/.archbook-build" "$work/out-$t-$n/.archbook-build"
      measure "${cmd[@]}" >>"$work/$t-$n.samples"
    done
  done
  for t in "${tools[@]}"; do
    if grep -q timeout "$work/$t-$n.samples"; then
      wall[$t]=timeout; cpu[$t]=-; rss[$t]=-; outmb[$t]=-
    else
      wall[$t]=$(cut -d' ' -f1 "$work/$t-$n.samples" | median)
      cpu[$t]=$(cut -d' ' -f2 "$work/$t-$n.samples" | median)
      rss[$t]=$(cut -d' ' -f3 "$work/$t-$n.samples" | median | awk '{ printf "%.0f", $1 / 1024 }')
      outmb[$t]=$(du -sm "$work/out-$t-$n" | cut -f1)
    fi
    printf '%-7s %-15s %8s %8s %8s %9s\n' "$n" "$t" "${wall[$t]}" "${cpu[$t]}" "${rss[$t]}" "${outmb[$t]}"
  done
  check=$(for _ in $(seq "$runs"); do measure "$archbook" check -q "$dir"; done | cut -d' ' -f1 | median)
  printf '%-7s %-15s %8s\n' "$n" "archbook check" "$check"
  src=$(find "$dir/src" -name '*.md' -print0 | du -cb --files0-from=- | tail -n 1 | cut -f1)
  idx=$(stat -c %s "$work/out-archbook-$n/search-index.js")
  awk -v s="$src" -v i="$idx" -v n="$n" 'BEGIN { printf "%-7s search index %.1f KB = %.1f%% of %.1f MB source\n", n, i / 1024, 100 * i / s, s / 1048576 }'
  for pair in archbook:hugo archbook:mdbook ${zola:+archbook:zola} archbook-nohl:hugo-nohl; do
    ours=${pair%%:*} peer=${pair##*:}
    if [ "${wall[$peer]}" != timeout ] && [ "${wall[$ours]}" != timeout ]; then
      awk -v a="${wall[$ours]}" -v p="${wall[$peer]}" -v ra="${rss[$ours]}" -v rp="${rss[$peer]}" -v n="$n" -v o="$ours" -v t="$peer" \
        'BEGIN { printf "%-7s %s/%s time %.3f×  memory %.3f×\n", n, o, t, a / p, ra / rp }'
    else
      echo "$n $ours/$peer: did not finish within ${timeout_s} s"
    fi
  done
  # What build-time highlighting costs each tool, in seconds of wall time.
  for t in archbook hugo; do
    if [ "${wall[$t]}" != timeout ] && [ "${wall[$t-nohl]}" != timeout ]; then
      awk -v w="${wall[$t]}" -v p="${wall[$t-nohl]}" -v n="$n" -v t="$t" \
        'BEGIN { printf "%-7s %s highlighting: %.2f s of %.2f s (%.0f%%)\n", n, t, w - p, w, 100 * (w - p) / w }'
    fi
  done
  unset wall cpu rss outmb
done
