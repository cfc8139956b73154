#!/usr/bin/env bash
# How archbook scales: builds and checks of generated handbooks of growing
# size, with time, memory and output per page, to show linear growth.
#
#   bench/scaling.sh [PAGES...]        default: 1000 10000 50000 100000
#   RUNS=3 BENCH_DIR=/mnt/bench bench/scaling.sh 1000 10000
#
# VARIED=1 uses the varied corpus (gen.py --varied).
# For each size: generates the handbook once (bench/gen.py), then times RUNS
# full builds and RUNS checks, printing the median wall time, CPU time, peak
# RSS, output bytes, and each per 1,000 pages. Work goes to $BENCH_DIR
# (default target/bench); a tmpfs leaves the disk out of the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
# archbook builds from scratch: no cache of highlighted code.
export ARCHBOOK_CACHE_DIR=
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 50000 100000)
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
work=$(cd "$work" && pwd)
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet
archbook=$PWD/target/release/archbook

echo "# $(date -u +%Y-%m-%d) · $(nproc) cores · $(uname -sr) · $("$archbook" --version)"
echo "# median of $runs runs; per_1k = the figure divided by pages/1000"
printf '%-7s %-6s %8s %8s %8s %9s %10s %10s %10s\n' \
  pages what wall cpu rss_mb out_mb wall_per_1k rss_per_1k out_per_1k

median() { sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }

for n in "${sizes[@]}"; do
  dir="$work/handbook-$n${VARIED:+-varied}"
  [ -f "$dir/book.toml" ] || python3 bench/gen.py "$n" "$dir" ${VARIED:+--varied} >/dev/null
  out="$work/scaling-out-$n"
  for what in build check; do
    : > "$work/samples"
    for _ in $(seq "$runs"); do
      if [ "$what" = build ]; then
        args=(build "$dir" -o "$out")
        # A full build each time: no up-to-date record.
        rm -f "$out/.archbook-build"
      else
        args=(check "$dir")
      fi
      # What the last run left to write back is written first, untimed.
      sync
      /usr/bin/time -o "$work/time.log" -f '%e %U %S %M' "$archbook" "${args[@]}" >/dev/null 2>&1
      awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/time.log" >> "$work/samples"
    done
    wall=$(awk '{ print $1 }' "$work/samples" | median)
    cpu=$(awk '{ print $2 }' "$work/samples" | median)
    rss=$(awk '{ print $3 }' "$work/samples" | median)
    if [ "$what" = build ]; then
      bytes=$(du -sb "$out" | cut -f1)
    else
      bytes=0
    fi
    awk -v n="$n" -v w="$what" -v wall="$wall" -v cpu="$cpu" -v rss="$rss" -v b="$bytes" 'BEGIN {
      k = n / 1000
      printf "%-7d %-6s %8.2f %8.2f %8.0f %9.0f %10.3f %10.1f %10.2f\n",
        n, w, wall, cpu, rss / 1024, b / 1048576, wall / k, rss / 1024 / k, b / 1048576 / k
    }'
  done
  rm -rf "$out"
done
