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

# A JSON-lines feed and a WARC file hold many pages: one article per
# record, named PATH:LINE / PATH@OFFSET, with the record's URL and the
# feed's title and date, as ingest reads them.
cat >"$tmp/feed.jsonl" <<'JSONL'
{"id": "a1", "url": "https://feed.example/a1", "title": "Council approves the river bridge", "published": "2025-04-01", "text": "The city council approved the new river bridge on Tuesday after two years of debate.\n\nThe mayor said the work would start in the summer and end before the next election."}
{"id": "a2", "url": "https://feed.example/a2", "title": "Short note", "text": "Ferries run late."}
{"id": "a3", "url": "https://feed.example/a3", "title": "Bad line"
{"id": "a4", "url": "https://feed.example/a4", "title": "Library reopens", "html": "<html><head><title>Library reopens | Town News</title></head><body><article><h1>Library reopens</h1><p>The central library reopened on Monday after a roof repair that took eight months and cost more than planned.</p><p>Readers queued at the door before it opened, the librarian said.</p></article></body></html>"}
JSONL
"$cli" extract "$tmp/feed.jsonl" >"$tmp/feed.out" 2>"$tmp/feed.err"
[ $? = 1 ]
check "a feed with a bad line: exit 1" $?
python3 - "$tmp/feed.out" "$tmp/feed.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
src = sys.argv[2]
assert [r["source"] for r in rows] == [src + ":1", src + ":2", src + ":4"], [r["source"] for r in rows]
assert [r["url"] for r in rows] == ["https://feed.example/a1", "https://feed.example/a2", "https://feed.example/a4"]
assert rows[0]["title"] == "Council approves the river bridge" and rows[0]["published"] == "2025-04-01"
assert rows[0]["text"].startswith("The city council approved") and "\n\nThe mayor said" in rows[0]["text"]
assert rows[1]["text"] == "Ferries run late.", rows[1]["text"]   # the feed's text as given
assert "roof repair" in rows[2]["text"] and "<p>" not in rows[2]["text"]
assert any(q["speaker"] == "mayor" for q in rows[0]["quotes"]), rows[0]["quotes"]
PY
check "a JSON-lines feed: one article per line, with its URL, title, date and analysis" $?
[ "$(wc -l <"$tmp/feed.err")" = 1 ] && grep -q "^newsdesk: $tmp/feed.jsonl:3: " "$tmp/feed.err"
check "the bad line is one error naming PATH:LINE" $?
"$cli" extract - <"$tmp/feed.jsonl" 2>/dev/null | python3 -c '
import json, sys
assert [json.loads(l)["source"] for l in sys.stdin] == ["-:1", "-:2", "-:4"]'
check "a feed on stdin" $?
"$cli" extract --format text "$tmp/feed.jsonl" 2>/dev/null | grep -c "^==> $tmp/feed.jsonl:[124] <==$" | grep -qx 3
check "text: one header per record" $?

python3 - "$spec/news_jsonld.html" "$spec/german_lang.html" "$tmp" <<'PY'
import gzip, sys
def rec(kind, uri, body):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    head = ("WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\n"
            "WARC-Date: 2025-05-02T08:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            "Content-Length: %d\r\n\r\n" % (kind, uri, len(http))).encode()
    return head + http + b"\r\n\r\n"
pages = [open(p, "rb").read() for p in sys.argv[1:3]]
recs = [rec("request", "https://w.example/0", b""), rec("response", "https://w.example/1", pages[0]),
        rec("response", "https://w.example/2", pages[1])]
open(sys.argv[3] + "/crawl.warc", "wb").write(b"".join(recs))
open(sys.argv[3] + "/crawl.warc.gz", "wb").write(b"".join(gzip.compress(r) for r in recs))
PY
for w in crawl.warc crawl.warc.gz; do
    "$cli" extract --no-analysis "$tmp/$w" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert [r["url"] for r in rows] == ["https://w.example/1", "https://w.example/2"], rows
assert all("@" in r["source"] for r in rows)
assert "floating solar farm" in rows[0]["text"] and rows[1]["language"] == "de"'
    check "a WARC file ($w): one article per response record" $?
done
"$cli" extract --explain "$tmp/crawl.warc.gz" | grep -c "^==> $tmp/crawl.warc.gz@[0-9]* <==$" | grep -qx 2
check "--explain on a WARC file: each record's blocks" $?

# A folder is read as ingest reads it: pages, feeds and WARC files inside,
# subfolders too, names in byte order, a README skipped; a bad file (empty,
# corrupt gzip) is one error line naming it and the rest is still printed.
mkdir -p "$tmp/crawl/b-sub"
cp "$spec/news_jsonld.html" "$tmp/crawl/a-page.html"
cp "$spec/german_lang.html" "$tmp/crawl/b-sub/page.html"
: >"$tmp/crawl/c-empty.html"
printf '\037\213\010garbage' >"$tmp/crawl/c-bad.html.gz"
head -2 "$tmp/feed.jsonl" >"$tmp/crawl/d-feed.jsonl"
printf '# notes\nnot a page\n' >"$tmp/crawl/README.md"
"$cli" extract --no-analysis "$tmp/crawl" >"$tmp/crawl.out" 2>"$tmp/crawl.err"
st=$?
python3 - "$tmp/crawl.out" "$tmp/crawl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
d = sys.argv[2]
want = [d + "/a-page.html", d + "/b-sub/page.html", d + "/d-feed.jsonl:1", d + "/d-feed.jsonl:2"]
assert [r["source"] for r in rows] == want, [r["source"] for r in rows]
assert rows[0]["title"].startswith("Harbour city"), rows[0]["title"]
PY
check "a folder: every page and feed record in it, in name order, README skipped" $?
[ $st = 1 ] && [ "$(wc -l <"$tmp/crawl.err")" = 2 ] && grep -q "c-empty.html: empty file" "$tmp/crawl.err" &&
    grep -q "c-bad.html.gz: " "$tmp/crawl.err"
check "a folder: a bad file is one error line naming it, exit 1, the rest printed" $?
[ "$("$cli" extract --format text "$tmp/crawl" 2>/dev/null | grep -c '^==> ')" = 4 ]
check "a folder in text: one header per page" $?

# A folder of symbolic links: not followed unless -L, and the reason given.
mkdir -p "$tmp/links"
ln -s "$spec/news_jsonld.html" "$tmp/links/a.html"
"$cli" extract --no-analysis "$tmp/links" >"$tmp/links.out" 2>"$tmp/links.err"
st=$?
[ $st = 1 ] && [ ! -s "$tmp/links.out" ] &&
    grep -qx "newsdesk: $tmp/links: no pages found (1 symbolic link not followed: -L follows them)" "$tmp/links.err"
check "a folder of links: no pages, exit 1, says the links were not followed" $?
"$cli" extract --no-analysis -L "$tmp/links" 2>/dev/null | grep -q '"title": *"Harbour city'
check "a folder of links with -L: the linked page is read" $?
mkdir -p "$tmp/empty"
"$cli" extract "$tmp/empty" 2>"$tmp/empty.err"
[ $? = 1 ] && grep -qx "newsdesk: $tmp/empty: no pages found" "$tmp/empty.err"
check "an empty folder: no pages found, exit 1" $?

"$cli" extract --format jsonl "$spec"/*.html "$spec"/*.txt 2>/dev/null | head -1 >/dev/null
check "a closed pipe is not an error" $?
exit $fail
