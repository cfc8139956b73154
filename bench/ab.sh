#!/usr/bin/env bash
# Two archbook binaries on the same handbook, in alternation: is a change
# slower? Back-to-back runs of one binary drift with the machine (page
# cache, frequency, other work); alternating shares that drift fairly.
#
#   bench/ab.sh OLD_BINARY NEW_BINARY [HANDBOOK [NEW_HANDBOOK]]
#   RUNS=15 bench/ab.sh /tmp/archbook-before target/release/archbook
#
# With NEW_HANDBOOK, NEW_BINARY builds that one instead (one binary, two
# settings: e.g. a copy of the handbook with `model-diagrams = false`).
#
# HANDBOOK defaults to a generated 10,000-page one (bench/gen.py) under
# $BENCH_DIR (default target/bench; a tmpfs mount such as /mnt/bench leaves
# the disk out; not /dev/shm, which archbook never reads from). Prints each
# binary's median, minimum and maximum wall time of a full
# build, and the ratio of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
# Both build from scratch: no cache of highlighted code.
export ARCHBOOK_CACHE_DIR=
[ $# -ge 2 ] || { sed -n 2,15p "$0"; exit 2; }
old=$(realpath "$1"); new=$(realpath "$2")
runs=${RUNS:-15}
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"
book=${3:-$dir/ab-10000}
if [ $# -lt 3 ] && [ ! -f "$book/book.toml" ]; then
  python3 bench/gen.py 10000 "$book" >/dev/null
fi
book_new=${4:-$book}
times_old=(); times_new=()
for _ in $(seq "$runs"); do
  for which in old new; do
    bin=$old; hb=$book
    [ $which = new ] && { bin=$new; hb=$book_new; }
    # A full build each time: no up-to-date record.
    rm -f "$dir/ab-out-$which/.archbook-build"
    # What the last run left to write back is written first, untimed.
    sync
    start=$(date +%s%N)
    "$bin" build "$hb" -o "$dir/ab-out-$which" -q
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ $which = old ]; then times_old+=("$ms"); else times_new+=("$ms"); fi
  done
done
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%d %d %d", a[int((NR+1)/2)], a[1], a[NR]}'; }
read -r mo lo ho <<<"$(stats "${times_old[@]}")"
read -r mn ln hn <<<"$(stats "${times_new[@]}")"
printf 'old  median %5d ms  (%d–%d)  %s\n' "$mo" "$lo" "$ho" "$old"
printf 'new  median %5d ms  (%d–%d)  %s\n' "$mn" "$ln" "$hn" "$new"
awk -v a="$mo" -v b="$mn" -v r="$runs" 'BEGIN {printf "new/old %.2f (medians of %d alternated runs)\n", b / a, r}'
