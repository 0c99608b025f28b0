#!/usr/bin/env bash
# bench.sh BUILD SHARED - speed tables: extraction (single thread), then
# ingest, clustering and analysis when their benchmarks exist.  The parts
# that need SHARED/bench skip with a message when it is absent.
set -uo pipefail
build=${1:-build}
shared=${2:-../shared}
here=$(cd "$(dirname "$0")" && pwd)
secs=${ND_BENCH_SECONDS:-20}
pages="$shared/bench/extract/html"
echo "== extract: one thread, the benchmark pages repeated for >= ${secs} s (target >= 400 pages/s)"
if [ -d "$pages" ]; then
    "$build/bench/bench_extract" --seconds "$secs" --stage extract "$pages"/*.html
    "$build/bench/bench_extract" --seconds "$((secs / 4 + 1))" --stage parse "$pages"/*.html
    "$build/bench/bench_extract" --seconds "$((secs / 4 + 1))" --stage decode "$pages"/*.html
    "$build/bench/bench_extract" --seconds "$((secs / 4 + 1))" --stage extract "$shared"/bench/extract/text/*.txt
else
    echo "bench: $pages not found: skipping extraction throughput"
fi
for part in bench_ingest bench_cluster bench_analyze; do
    if [ -x "$here/$part.sh" ] || [ -f "$here/$part.sh" ]; then
        echo
        echo "== ${part#bench_}"
        bash "$here/$part.sh" "$build" "$shared"
    fi
done
