#!/usr/bin/env bash
# test_fuzz_sh.sh CLI SHARED TESTS - tools/fuzz.sh fails a target on any
# sanitizer report, not only on a crash (issue 12: UBSan reports used to
# pass).  Stand-in targets (shell scripts in a fake build folder) print
# what libFuzzer, ASan and UBSan print and exit as they do; the real
# targets need a clang fuzzing build (`make fuzz`).
set -u
tests=$3
fuzz=$(cd "$tests/.." && pwd)/tools/fuzz.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

# target NAME EXIT LINE...: a stand-in printing LINE... then exiting EXIT,
# in a build folder of its own (tmp/NAME/fuzz/NAME)
target() {
    local name=$1 st=$2
    shift 2
    mkdir -p "$tmp/$name/fuzz"
    {
        echo '#!/bin/sh'
        for l in "$@"; do printf 'echo %q\n' "$l"; done
        echo "exit $st"
    } >"$tmp/$name/fuzz/$name"
    chmod +x "$tmp/$name/fuzz/$name"
}

target fuzz_clean 0 "#1024 DONE   cov: 10 ft: 12 corp: 3/30b exec/s: 512" \
    "stat::number_of_executed_units: 1024"
target fuzz_ubsan 0 "src/base/buf.c:42:17: runtime error: applying zero offset to null pointer" \
    "#1024 DONE   cov: 10 ft: 12 corp: 3/30b exec/s: 512"
target fuzz_asan 1 "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1" \
    "SUMMARY: AddressSanitizer: heap-buffer-overflow buf.c:42"
target fuzz_leak 0 "==1==ERROR: LeakSanitizer: detected memory leaks" \
    "SUMMARY: AddressSanitizer: 64 byte(s) leaked in 1 allocation(s)."
target fuzz_crash 77 "==1== ERROR: libFuzzer: deadly signal"

# run DIR [TARGET...]: fuzz.sh on the build folder tmp/DIR for 1 s each
run() {
    local dir=$1
    shift
    bash "$fuzz" "$tmp/$dir" 1 "$@" >"$tmp/out" 2>&1
}

run fuzz_clean
check "a clean target passes" $?
grep -q "number_of_executed_units: 1024" "$tmp/out"
check "its exec count is printed" $?
for t in fuzz_ubsan fuzz_asan fuzz_leak fuzz_crash; do
    run "$t"
    st=$?
    [ $st != 0 ] && grep -q "FAILED" "$tmp/out"
    check "$t fails the run (exit status $st)" $?
done
run fuzz_ubsan
grep -q "src/base/buf.c:42:17: runtime error" "$tmp/out"
check "the report is shown" $?
cp "$tmp/fuzz_ubsan/fuzz/fuzz_ubsan" "$tmp/fuzz_clean/fuzz/"
run fuzz_clean
[ $? != 0 ]
check "one report among clean targets fails the run" $?
run fuzz_clean fuzz_missing
[ $? != 0 ]
check "a target named but not built fails the run" $?
exit $fail
