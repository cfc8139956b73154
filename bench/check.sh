#!/usr/bin/env bash
# Times `archbook check` on generated handbooks: median wall time, CPU time and
# peak memory over several runs.
#
#   bench/check.sh [PAGES...]      default: 1000 10000
#   RUNS=10 bench/check.sh 10000
#
# Needs python3 (the generator) and GNU time (/usr/bin/time, Debian's `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

cargo build --release --quiet
bin=target/release/archbook
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"

printf '%-8s %10s %10s %10s %s\n' pages wall_s cpu_s rss_mb "(median of $runs runs, $(nproc) cores)"
for n in "${sizes[@]}"; do
  dir="$work/handbook-$n"
  [ -d "$dir" ] || python3 bench/gen.py "$n" "$dir" >/dev/null
  "$bin" check -q "$dir" # warm the file cache; also fails the script on findings
  samples=()
  for _ in $(seq "$runs"); do
    samples+=("$(/usr/bin/time -f '%e %U %S %M' "$bin" check -q "$dir" 2>&1 >/dev/null | tail -n 1)")
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk -v n="$n" -v runs="$runs" '
    { wall[NR] = $1; cpu[NR] = $2 + $3; rss[NR] = $4 }
    END {
      m = int((runs + 1) / 2)
      printf "%-8s %10.3f %10.3f %10.1f\n", n, wall[m], cpu[m], rss[m] / 1024
    }'
done
