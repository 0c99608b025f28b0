#!/usr/bin/env bash
# test_front_doors.sh CLI SHARED TESTS - one rule for a page over the size
# limit (--max-bytes, 64 MiB by default) at both front doors: `extract`
# and `ingest` cut it at the limit (extract says so in the article's
# warnings) and keep the article; neither refuses it.
set -u
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }

{
    echo "<html><head><title>Harbour report</title></head><body><article>"
    for p in $(seq 1 200); do
        echo "<p>The harbour council met on Monday to discuss part $p of the budget, and officials said the port would reopen after the strike.</p>"
    done
    echo "</article></body></html>"
} >"$tmp/big.html"
gzip -c "$tmp/big.html" >"$tmp/big2.html.gz"
max=8000 # bytes; the page has about 27,000

"$cli" extract --max-bytes $max "$tmp/big.html" >"$tmp/x.json" 2>"$tmp/x.err"
check "extract: exit status 0" $?
grep -q "input cut at the size limit of $max bytes" "$tmp/x.json"
check "extract: the article says it was cut" $?

"$cli" ingest --max-bytes $max --db "$tmp/s.db" "$tmp/big.html" "$tmp/big2.html.gz" >"$tmp/i.out" 2>"$tmp/i.err"
st=$?
sed 's/^/# /' "$tmp/i.out" "$tmp/i.err"
[ $st = 0 ]
check "ingest: exit status 0" $?
grep -qE ": 1 stored, .* 1 duplicates skipped, .* 0 errors$" "$tmp/i.out"
check "ingest: the page is stored, not refused (its gzip copy the same page)" $?
"$cli" export --db "$tmp/s.db" >"$tmp/e.jsonl"
python3 - "$tmp/x.json" "$tmp/e.jsonl" <<'PY'
import json, sys
x = json.load(open(sys.argv[1]))
e = [json.loads(l) for l in open(sys.argv[2])]
assert len(e) == 1, len(e)
assert e[0]["text"] == x["text"], "stored text differs from extract's"
assert "part 1 of" in x["text"] and "part 200 of" not in x["text"]
PY
check "ingest stores the text extract gives (the same cut)" $?
exit $fail
