#!/usr/bin/env bash
# test_demo.sh CLI SHARED TESTS - the transcript `make demo` prints can be
# pasted back: each "$ newsdesk ..." line it shows, typed into a shell in a
# fresh folder, prints what the transcript shows (tests/readme.py compares,
# with its masking of times and rates; the start time of the ingest run in
# `stats` is masked too).
set -u
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") tests=$3
top=$(cd "$tests/.." && pwd)
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/demo"
{
    echo '```console'
    (cd "$tmp/demo" && env -u NEWSDESK_DB bash "$top/tools/demo.sh" "$cli" 2>&1) >"$tmp/out"
    # the closing lines say how to open the store in a browser (issue 11);
    # they follow the last command's output and are checked apart
    sed -n '/^The same store in a browser/,$p' "$tmp/out" >"$tmp/trailer"
    sed '/^The same store in a browser/,$d' "$tmp/out" |
        sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' |
        sed -E 's/^( +[0-9]+  )[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z(  )/\1...\2/'
    echo '```'
} >"$tmp/transcript.md"
if grep -q ' serve --db .*http://127.0.0.1:8080/' "$tmp/trailer"; then
    echo "ok - the demo ends by saying how to open the store in a browser"
else
    echo "not ok - the demo does not say how to start newsdesk serve"
    exit 1
fi
grep -c '^\$ newsdesk' "$tmp/transcript.md" | sed 's/^/# demo commands: /'
python3 "$tests/readme.py" "$cli" "$tmp/transcript.md" --samples "$top/samples"
