#!/usr/bin/env bash
# test_serve_load.sh - `newsdesk serve` under load (issue 11): 1,000
# connections held at once by wrk on the pages and API calls of a small
# store, then a burst of new connections: no socket error, no answer
# other than 2xx/3xx, the server still up and answering the same bodies
# afterwards, and its threads and descriptors back where they started.
# Latency is not checked here (a test is not a benchmark): `make bench`
# prints it on a store of 100,000 articles (tools/bench_serve.sh).
#   bash test_serve_load.sh CLI SHARED_DIR TESTS_DIR
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$3
command -v wrk >/dev/null || { echo "skip: wrk is missing (tools/deps.sh --test installs it)"; exit 77; }
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
# 1,000 client sockets here and 1,000 in the server, plus the store's files
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 2100 ] ||
    { echo "skip: the open-file limit ($(ulimit -n)) is too low for 1,000 connections"; exit 77; }
. "$(dirname "$0")/serve_lib.sh" nd_load

DB=$T/load.db
"$CLI" ingest --db "$DB" "$TESTS/data/serve/hostile.jsonl" "$TESTS/data/serve/midquote.jsonl" \
    >/dev/null 2>"$T/ingest.err"
check "fixture store ingested" '[ -s "$DB" ]'
serve_start "$DB" 4 100
URL=${URL%/}
check "serve started" '[[ "$URL" == http://127.0.0.1:* ]]'
[[ "$URL" == http://127.0.0.1:* ]] || { cat "$T/serve.err"; exit 1; }

fds() { ls "/proc/$PID/fd" 2>/dev/null | wc -l; }
threads() { awk '/^Threads:/ {print $2}' "/proc/$PID/status" 2>/dev/null; }
get() { python3 -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=30).read())' "$1"; }
get "$URL/api/v1/stories" >"$T/before.json" 2>/dev/null
check "the API answers before the load" '[ -s "$T/before.json" ]'
# every worker opens its store connections on its first requests: warm
# them all up before counting descriptors
for p in / /api/v1/stories "/search?q=harbour" /articles/1 /api/v1/digest; do
    wrk -t2 -c16 -d1s "$URL$p" >/dev/null 2>&1
done
fd0=$(fds)
th0=$(threads)

# load NAME PATH CONNECTIONS SECONDS: wrk's own counts must show no error
load() {
    wrk -t2 -c"$3" -d"$4"s --timeout 20s "$URL$2" >"$T/wrk.out" 2>&1
    local st=$?
    local req errs non2xx
    req=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$T/wrk.out")
    errs=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$T/wrk.out")
    non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$T/wrk.out")
    echo "# $1: ${req:-?} requests, socket errors [${errs:-none}], non-2xx ${non2xx:-0}"
    [ $st = 0 ] && [ -n "$req" ] && [ "$req" -gt 0 ] && [ -z "$errs" ] && [ -z "$non2xx" ]
}
# the most descriptors the server holds while the first load runs
# (sampled until the load ends)
load "api stories" /api/v1/stories 1000 10 >"$T/load1" &
LOADER=$!
peak=0
while kill -0 $LOADER 2>/dev/null; do
    c=$(fds)
    [ "$c" -gt "$peak" ] && peak=$c
    sleep 0.2
done
wait $LOADER
st=$?
cat "$T/load1"
echo "$peak" >"$T/peak"
check "1,000 connections on /api/v1/stories: no error" '[ $st = 0 ]'
# Printed, not checked: the optimised server holds all 1,000 (about 1,130
# descriptors), but the ASan build serves ~100 at a time and leaves the rest
# in the kernel's accept queue until they are served (107 at the most in
# CI's sanitized run): a finding to look into, not yet a bound.
echo "# the server held $(cat "$T/peak") descriptors at the most while 1,000 connections were open"
check "1,000 connections on the front page: no error" 'load "front page" / 1000 3'
check "1,000 connections on a search: no error" 'load search "/search?q=harbour" 1000 3'
check "1,000 connections on an article: no error" 'load article /articles/1 1000 3'
# many short connections: each wrk thread's connections closed and opened again
check "200 connections, new ones while others close: no error" \
    'wrk -t2 -c200 -d3s --timeout 20s -H "Connection: close" "$URL/api/v1/digest" >"$T/wrk2.out" 2>&1 &&
     ! grep -q "Socket errors\|Non-2xx" "$T/wrk2.out"'

check "the server is still running" 'kill -0 $PID'
get "$URL/api/v1/stories" >"$T/after.json" 2>/dev/null
check "the same answer after the load" 'cmp -s "$T/before.json" "$T/after.json"'
sleep 1
check "descriptors back where they were ($fd0 before, $(fds) after)" '[ "$(fds)" -le $((fd0 + 4)) ]'
check "threads back where they were ($th0 before, $(threads) after)" '[ "$(threads)" = "$th0" ]'
check "nothing on the server's standard error" '[ ! -s "$T/serve.err" ]'
[ -s "$T/serve.err" ] && head -5 "$T/serve.err" | sed 's/^/# /'
exit $fail
