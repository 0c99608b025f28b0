#!/usr/bin/env bash
# demo.sh NEWSDESK - the main job on the pages the project ships: ingest
# samples/ into the embedded store (./newsdesk.db unless NEWSDESK_DB says
# otherwise), then show what came out.  Run again: nothing is added twice.
set -euo pipefail
cli=${1:-build/newsdesk}
top=$(cd "$(dirname "$0")/.." && pwd)
run() { echo; echo "\$ newsdesk $*"; "$cli" "$@"; }
run ingest "$top/samples"
run stats
run search '"Port Halden"' --limit 5
run extract --format markdown "$top/samples/port-strike-day2.txt"
run stories
run quotes --by "Olena Brandt"
run actors --limit 8
run relations JPN KOR
run digest --limit 2
db=${NEWSDESK_DB:-./newsdesk.db}
echo
echo "The same store in a browser (read-only; Ctrl-C stops it):"
echo "  $cli serve --db $db        # then open http://127.0.0.1:8080/"
