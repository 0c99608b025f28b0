#!/usr/bin/env bash
# bench.sh BUILD SHARED - speed tables: extraction (single thread), then
# ingest, clustering, analysis and the server when their benchmarks exist.  The parts
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
echo
echo "== parse: tag + lemma + parse, one thread, EWT dev gold words (target >= 20,000 sentences/s)"
ewt="$shared/data/ud-english-ewt/dev.conllu.xz"
if [ -f "$ewt" ]; then
    tmp=$(mktemp)
    xz -dc "$ewt" >"$tmp"
    "$build/bench/bench_parse" --seconds "$((secs / 2 + 1))" --text "$tmp"
    rm -f "$tmp"
else
    echo "bench: $ewt not found: skipping the parser"
fi
echo
echo "== pathological pages: extraction + analysis of each, one process each (target <= 2 s CPU, <= 1 GiB)"
if [ -x "$build/tests/test_patho" ]; then
    ND_PATHO_STRICT=1 "$build/tests/test_patho" 2>&1 | grep -v '^ok ' || echo "bench: a pathological page is over its bound (above)"
else
    echo "bench: $build/tests/test_patho not built: skipping pathological pages"
fi
for part in bench_ingest bench_cluster bench_analyze bench_serve; do
    if [ -x "$here/$part.sh" ] || [ -f "$here/$part.sh" ]; then
        echo
        echo "== ${part#bench_}"
        bash "$here/$part.sh" "$build" "$shared"
    fi
done
