#!/usr/bin/env bash
# test_browser.sh - `newsdesk serve` in a real browser (tests/e2e/browser.mjs):
# Debian's Chromium driven by playwright-core, axe-core for accessibility,
# on the seeds (../shared/seeds, when present) and samples/.  Screenshots
# of each page at desktop and phone width go to BUILD/screens/.  Skipped
# with a message (exit 77) when node, /usr/bin/chromium or the npm
# packages are not to be had (npm offline).
#   bash test_browser.sh CLI SHARED_DIR TESTS_DIR
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$2
TESTS=$(cd "$3" && pwd)
BUILD=$(dirname "$CLI")
skip() { echo "skip: $*"; exit 77; }
command -v node >/dev/null || skip "node is missing (the browser tests need Node.js and npm)"
[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium is missing (apt-get install chromium)"
E2E=$BUILD/e2e
mkdir -p "$E2E" "$BUILD/screens"
if [ ! -f "$E2E/node_modules/playwright-core/package.json" ] || [ ! -f "$E2E/node_modules/axe-core/axe.min.js" ]; then
    command -v npm >/dev/null || skip "npm is missing"
    (cd "$E2E" && timeout 300 npm install --no-audit --no-fund --silent --prefix "$E2E" \
        playwright-core@1.65.2 axe-core@4.14.1 >"$E2E/npm.log" 2>&1) ||
        skip "npm could not install playwright-core and axe-core (offline?): $(tail -1 "$E2E/npm.log")"
fi
T=$(mktemp -d /tmp/nd_browser.XXXXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$T"' EXIT
seeds=0
inputs=("$TESTS/../samples")
if [ -d "$SHARED/seeds" ]; then
    inputs+=("$SHARED/seeds")
    seeds=1
fi
"$CLI" ingest --db "$T/n.db" "${inputs[@]}" >/dev/null 2>"$T/ingest.err" || { cat "$T/ingest.err"; exit 1; }
"$CLI" serve --db "$T/n.db" --listen 127.0.0.1:0 >"$T/serve.out" 2>&1 &
PID=$!
for _ in $(seq 50); do grep -q '^newsdesk serve: http' "$T/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/^newsdesk serve: //p' "$T/serve.out")
[ -n "$URL" ] || { echo "not ok - the server did not start: $(cat "$T/serve.out")"; exit 1; }
cd "$E2E" && ND_E2E_MODULES="$E2E/node_modules" timeout 300 node "$TESTS/e2e/browser.mjs" "${URL%/}" "$BUILD/screens" \
    "$E2E/node_modules/axe-core/axe.min.js" "$seeds"
