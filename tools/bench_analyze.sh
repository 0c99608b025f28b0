#!/usr/bin/env bash
# bench_analyze.sh BUILD SHARED - analysis throughput on one core.
#
# Runs BUILD/bench/bench_analyze on its built-in text and, when present, on
# SHARED/bench/quotes/gold/polnear_train.jsonl (news articles) and
# SHARED/bench/events/gold/gsr_news.jsonl (single sentences), each for
# ND_BENCH_SECONDS/4 seconds (default 5), pinned to one CPU when taskset
# exists.  Exits 1 when the article corpus (or, without SHARED, the
# built-in text) runs below the floor of 10,000 sentences/s (issue 5).
set -uo pipefail
build=${1:-build}
shared=${2:-../shared}
secs=$(( ${ND_BENCH_SECONDS:-20} / 4 ))
[ "$secs" -ge 1 ] || secs=1
prog="$build/bench/bench_analyze"
[ -x "$prog" ] || prog="$build/bench_analyze"
if [ ! -x "$prog" ]; then
    echo "bench_analyze: $prog not built (cmake --build $build)" >&2
    exit 2
fi
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
floor=10000
files=()
pol="$shared/bench/quotes/gold/polnear_train.jsonl"
gsr="$shared/bench/events/gold/gsr_news.jsonl"
[ -f "$pol" ] && files+=("$pol")
[ -f "$gsr" ] && files+=("$gsr")
[ ${#files[@]} -eq 0 ] && echo "bench_analyze: $shared/bench not found: built-in text only"
out=$("${pin[@]}" "$prog" --seconds "$secs" "${files[@]}")
echo "$out"
if [ ${#files[@]} -eq 0 ]; then
    "${pin[@]}" "$prog" --seconds "$secs"
    rate=$("${pin[@]}" "$prog" --seconds 1 | awk 'NR==2 {print $6}')
else
    rate=$(echo "$out" | awk 'NR==2 {print $6}')
    echo
    "${pin[@]}" "$prog" --seconds "$secs"
fi
echo "floor: $floor sentences/s on one core (first corpus: ${rate%.*})"
if [ "${rate%.*}" -lt "$floor" ]; then
    echo "bench_analyze: BELOW FLOOR" >&2
    exit 1
fi
