#!/usr/bin/env bash
# fuzz.sh BUILD_DIR SECONDS - run every libFuzzer target for SECONDS each.
# Seeds: fuzz/seeds/<target>/ when present plus the project's own fixtures
# (tests/spec, tests/data); the corpus grows in build dir, never in the repo.
set -euo pipefail
build=${1:-build-fuzz}
secs=${2:-30}
top=$(cd "$(dirname "$0")/.." && pwd)
fail=0
for bin in "$build"/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    corpus="$build/fuzz-corpus/$name"
    mkdir -p "$corpus"
    seeds=()
    [ -d "$top/fuzz/seeds/$name" ] && seeds+=("$top/fuzz/seeds/$name")
    case "$name" in
    fuzz_html|fuzz_text|fuzz_decode) seeds+=("$top/tests/spec") ;;
    esac
    echo "== $name (${secs}s)"
    if ! "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
            -print_final_stats=1 -artifact_prefix="$build/" "$corpus" "${seeds[@]}" >"$build/$name.log" 2>&1; then
        echo "   FAILED: see $build/$name.log"
        tail -40 "$build/$name.log"
        fail=1
    else
        grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$build/$name.log" | tail -2 | sed 's/^/   /'
    fi
done
exit $fail
