#!/usr/bin/env bash
# test_ingest_full.sh CLI SHARED TESTS - a store whose disk fills up in the
# middle of an ingest: one error line naming the store, the summary line
# of what was done all the same, exit status 1, and the store still reads.
# The full disk is a file-size limit (ulimit -f, SIGXFSZ ignored: writes
# fail with EFBIG as on a full disk, without root or a small file system).
set -u
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

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
