#!/usr/bin/env bash
# test_cli_extract.sh CLI SHARED TESTS - `newsdesk extract` as a user runs it:
# formats, stdin, gzip, several inputs, exit statuses, error lines.
set -u
cli=$1 tests=$3
spec=$tests/spec
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND-STATUS-OK
    if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}

"$cli" extract "$spec/news_jsonld.html" >"$tmp/one.json"
check "one input exits 0" $?
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["title"].startswith("Harbour city")' "$tmp/one.json"
check "one input is one pretty JSON object" $?

"$cli" extract "$spec/news_jsonld.html" "$spec/german_lang.html" >"$tmp/two.jsonl"
check "two inputs exit 0" $?
[ "$(wc -l <"$tmp/two.jsonl")" = 2 ]
check "two inputs give two JSON lines" $?

"$cli" extract - <"$spec/latin1.html" | grep -q '"language": "fr"'
check "stdin (windows-1252 page)" $?

gzip -c "$spec/news_jsonld.html" >"$tmp/page.html.gz"
"$cli" extract "$tmp/page.html.gz" | grep -q 'floating solar farm'
check "gzip file" $?

"$cli" extract --format markdown "$spec/text_related.txt" | head -1 | grep -q '^# Mountain rail line'
check "markdown" $?
"$cli" extract --format text "$spec/text_related.txt" | grep -q '^Trains returned'
check "text" $?

printf '' >"$tmp/empty.html"
head -c 4096 /dev/urandom >"$tmp/random.bin"
"$cli" extract "$spec/news_jsonld.html" "$tmp/empty.html" "$tmp/random.bin" "$tmp/missing.html" \
    >"$tmp/mixed.jsonl" 2>"$tmp/err.txt"
st=$?
[ $st = 1 ]
check "some inputs failed: exit 1" $?
[ "$(wc -l <"$tmp/mixed.jsonl")" = 1 ]
check "the good input is still printed" $?
[ "$(wc -l <"$tmp/err.txt")" = 3 ] && grep -q "^newsdesk: $tmp/empty.html: empty file$" "$tmp/err.txt" &&
    grep -q "^newsdesk: $tmp/missing.html: no such file$" "$tmp/err.txt" &&
    grep -q "^newsdesk: $tmp/random.bin: binary data" "$tmp/err.txt"
check "one error line per failed input, naming it" $?

"$cli" extract --format nope "$spec/news_jsonld.html" 2>/dev/null
[ $? = 2 ]
check "unknown format: exit 2" $?
"$cli" extract 2>/dev/null
[ $? = 2 ]
check "no input: exit 2" $?
"$cli" extract --url x "$spec/news_jsonld.html" "$spec/latin1.html" 2>/dev/null
[ $? = 2 ]
check "--url with several inputs: exit 2" $?
"$cli" extract --fetched yesterday-ish "$spec/news_jsonld.html" 2>/dev/null
[ $? = 2 ]
check "bad --fetched: exit 2" $?

"$cli" extract --fetched 2025-06-02T12:00:00Z "$spec/text_related.txt" | grep -q '"published": "2025-06-02T09:00:00Z"'
check "--fetched resolves '3 hours ago'" $?
"$cli" extract --url https://coastal.example/news/a "$spec/news_jsonld.html" | grep -q '"url": "https://coastal.example/news/ferry-electric"'
check "--url makes related links absolute" $?
"$cli" extract --explain "$spec/news_jsonld.html" | grep -q 'BODY'
check "--explain lists labelled blocks" $?

"$cli" extract --format jsonl "$spec"/*.html "$spec"/*.txt 2>/dev/null | head -1 >/dev/null
check "a closed pipe is not an error" $?
exit $fail
