#!/usr/bin/env bash
# demo.sh NEWSDESK - the main job on the pages the project ships: ingest
# samples/ into the embedded store (./newsdesk.db unless NEWSDESK_DB says
# otherwise), then show what came out.  Run again: nothing is added twice.
set -euo pipefail
cli=${1:-build/newsdesk}
top=$(cd "$(dirname "$0")/.." && pwd)
# Each command is printed as it would be typed: arguments with spaces or
# quotes are quoted, so that a line pasted back runs the same command.
shown() {
    local a out=""
    for a in "$@"; do
        if [[ "$a" =~ ^[A-Za-z0-9_./:=,+-]+$ ]]; then out+=" $a"
        elif [[ "$a" != *\'* ]]; then out+=" '$a'"
        else out+=" \"${a//[\"\\\$\`]/\\&}\""
        fi
    done
    echo "\$ newsdesk$out"
}
run() { echo; shown "$@"; "$cli" "$@"; }
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
