#!/usr/bin/env bash
# fuzz.sh BUILD_DIR SECONDS [TARGET...] - run the libFuzzer targets (all, or
# the ones named: fuzz_html ...) for SECONDS each.
# Seeds: fuzz/seeds/<target>/ when present plus the project's own fixtures
# (tests/spec, tests/data); the corpus grows in build dir, never in the repo.
# A target fails on a crash, a timeout, a leak or any sanitizer report:
# UBSan stops at its first report (halt_on_error=1) and the log is checked
# for reports all the same.
set -euo pipefail
build=${1:-build-fuzz}
secs=${2:-30}
shift 2 || shift $#
top=$(cd "$(dirname "$0")/.." && pwd)
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
fail=0
bins=()
if [ $# -gt 0 ]; then
    for t in "$@"; do bins+=("$build/fuzz/$t"); done
else
    bins=("$build"/fuzz/fuzz_*)
fi
for bin in "${bins[@]}"; do
    [ -x "$bin" ] || { [ $# -gt 0 ] && { echo "fuzz.sh: no target $bin" >&2; fail=1; }; continue; }
    name=$(basename "$bin")
    corpus="$build/fuzz-corpus/$name"
    mkdir -p "$corpus"
    seeds=()
    [ -d "$top/fuzz/seeds/$name" ] && seeds+=("$top/fuzz/seeds/$name")
    case "$name" in
    fuzz_html|fuzz_text|fuzz_decode) seeds+=("$top/tests/spec") ;;
    fuzz_doc) seeds+=("$top/fuzz/seeds/fuzz_warc" "$top/fuzz/seeds/fuzz_jsonl") ;;
    esac
    echo "== $name (${secs}s)"
    st=0
    "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$build/$name-" "$corpus" "${seeds[@]}" \
        >"$build/$name.log" 2>&1 || st=$?
    if [ $st != 0 ] || grep -qE "runtime error:|ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|^SUMMARY: " "$build/$name.log"; then
        echo "   FAILED (exit status $st): see $build/$name.log"
        grep -nE -m5 "runtime error:|ERROR: |^SUMMARY: |Test unit written" "$build/$name.log" | sed 's/^/   /'
        tail -40 "$build/$name.log"
        fail=1
    else
        grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$build/$name.log" | tail -2 | sed 's/^/   /'
    fi
done
exit $fail
