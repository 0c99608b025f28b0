#!/bin/bash
# test_gen_verbs.sh - tools/gen_petrarch_verbs.py: a PETRARCH-format verb
# dictionary written for this test converts to the expected compact file,
# the same bytes every time; bad lines are named FILE:LINE and make --strict
# fail; the shipped data/verbs/petrarch.txt is the converter's output of the
# PETRARCH2 dictionary in ../shared (when present).
# usage: test_gen_verbs.sh CLI SHARED_DIR TESTS_DIR
set -u
shared=$(cd "$2" 2>/dev/null && pwd || echo "$2")
tests=$3
root=$(cd "$tests/.." && pwd)
gen="$root/tools/gen_petrarch_verbs.py"
command -v python3 >/dev/null || { echo "skipped: no python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }

cd "$tests/data/verbs" || exit 1
python3 "$gen" fixture.petrarch.txt >"$tmp/a" 2>"$tmp/a.err"
check "fixture converts" "[ \$? -eq 0 ]"
python3 "$gen" fixture.petrarch.txt >"$tmp/b" 2>/dev/null
check "fixture output as expected" "cmp -s '$tmp/a' fixture.expected.txt"
check "same input, same bytes" "cmp -s '$tmp/a' '$tmp/b'"
python3 "$gen" --strict bad.petrarch.txt >"$tmp/c" 2>"$tmp/c.err"
check "--strict fails on bad lines" "[ \$? -eq 1 ]"
check "undefined synset named by file:line" "grep -q 'bad.petrarch.txt:6: undefined synset' '$tmp/c.err'"
check "unclosed phrase named" "grep -q 'bad.petrarch.txt:7: unclosed phrase' '$tmp/c.err'"
check "bad code named" "grep -q 'bad.petrarch.txt:8: bad code' '$tmp/c.err'"
check "pattern without verb named" "grep -q 'bad.petrarch.txt:9:' '$tmp/c.err'"
check "good lines of a bad file kept" "grep -q '^v tinker 070$' '$tmp/c'"

src="$shared/bench/events/dictionaries/CAMEO.2.0.txt"
if [ -f "$src" ]; then
    python3 "$gen" "$src" >"$tmp/d" 2>/dev/null
    check "data/verbs/petrarch.txt is the converter's output" "cmp -s '$tmp/d' '$root/data/verbs/petrarch.txt'"
else
    echo "note: $src absent; shipped file not compared"
fi
[ $fail -eq 0 ] && echo "ok"
exit $fail
