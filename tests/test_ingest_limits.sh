#!/usr/bin/env bash
# test_ingest_limits.sh CLI SHARED TESTS - ingest at its limits:
#  1. one rule for a page over the size limit (--max-bytes, 64 MiB by
#     default) at both front doors: `extract` and `ingest` cut it at the
#     limit (extract says so in the article's warnings) and keep the
#     article; neither refuses it;
#  2. a store whose disk fills up in the middle of an ingest: one error
#     line naming the store, the summary line of what was done all the
#     same (counting only what the store keeps), exit status 1, and the
#     store still reads.  The full disk is a file-size limit (ulimit -f,
#     SIGXFSZ ignored: writes fail with EFBIG as on a full disk, without
#     root or a small file system).
set -u
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }

# ---- 1. a page over the size limit
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
grep -qE ": 1 stored, .* 1 duplicates? skipped, .* 0 errors$" "$tmp/i.out"
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

# ---- 2. the disk fills up
# pages enough to pass the limit: prose made here, 40 pages of 30 KB
for i in $(seq 1 40); do
    {
        echo "<html><head><title>Harbour report $i</title></head><body><article>"
        for p in $(seq 1 60); do
            echo "<p>The harbour council met on Monday $i to discuss paragraph $p of the budget, and officials said the port would reopen after the strike ended in week $p.</p>"
        done
        echo "</article></body></html>"
    } >"$tmp/page$i.html"
done
( ulimit -f 1200; trap '' XFSZ; exec "$cli" ingest --batch 5 --db "$tmp/full.db" "$tmp"/page*.html ) \
    >"$tmp/out" 2>"$tmp/err" </dev/null
st=$?
cat "$tmp/out" "$tmp/err" | sed 's/^/# /'
[ $st = 1 ]
check "exit status 1" $?
grep -q "^newsdesk: $tmp/full.db: " "$tmp/err"
check "one error line naming the store" $?
grep -qE "^[0-9,]+ pages? in .*stored.*\(stopped by the error above\)$" "$tmp/out"
check "the summary line is printed all the same" $?
"$cli" stats --db "$tmp/full.db" >"$tmp/stats" 2>&1
check "the store still opens" $?
stored=$(sed -nE 's/.*: ([0-9,]+) stored, ([0-9,]+) new versions.*/\1 \2/p' "$tmp/out" | tr -d ,)
kept=$(awk '$1 == "documents" { print $2 }' "$tmp/stats")
echo "# summary: stored + new versions = ${stored:-?}; the store keeps ${kept:-?} documents"
[ -n "$stored" ] && [ "$(( ${stored% *} + ${stored#* } ))" = "$kept" ]
check "the summary counts what the store keeps" $?
exit $fail
