#!/usr/bin/env bash
# Wide (capsule) strokes at full extent: `planatlas render --stroke-width 2` of one layer, drawing time only
# (`--timings`), two binaries alternating (e.g. before and after a change), medians of N runs.
# Usage: run_stroke_bench.sh BIN_A BIN_B LAYER_FILE [RUNS=3] [SIZE=2048x2048]
set -euo pipefail
a=$1 b=$2 data=$3 runs=${4:-3} size=${5:-2048x2048}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A times
for ((i = 0; i < runs; i++)); do
  for bin in "$a" "$b"; do
    t=$("$bin" render "$data" --out "$out/x.png" --size "$size" --stroke-width 2 --timings 2>&1 |
        awk '/render: draw/ {print $4}')
    times[$bin]+="$t "
  done
done
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ma=$(echo "${times[$a]}" | median); mb=$(echo "${times[$b]}" | median)
echo "A $a: draw ${times[$a]}-> median $ma s"
echo "B $b: draw ${times[$b]}-> median $mb s"
awk -v a="$ma" -v b="$mb" 'BEGIN {printf "B/A = %.2f\n", b / a}'
