#!/usr/bin/env bash
# test_cli_explain.sh - the CLI explains itself and is safe to read (issue
# 12): terminal escapes from pages are shown, not obeyed; usage errors in
# one line with a pointer to --help; one wording for one problem; it says
# when nothing happened; counts read right; reading commands work on
# read-only media; a store in a missing folder names the folder.
#   bash test_cli_explain.sh CLI SHARED_DIR TESTS_DIR
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d /tmp/nd_explain.XXXXXX)
trap '[ -n "${KEEP:-}" ] || { chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"; }' EXIT
fail=0
n=0
check() { # check NAME COMMAND...
    n=$((n + 1))
    if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi
}
# raw FILE: 0 when FILE holds an ESC, BEL or C1 CSI/OSC byte, or a bidi override.
raw() { LC_ALL=C grep -qP '\x1b|\x07|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]' "$1"; }

# ---- terminal escape injection (issue 12, defect 1) -------------------------------
cd "$T"
printf '{"id":"e","title":"\\u001b[2J\\u001b]52;c;aGVsbG8=\\u0007X\\u202eevil","text":"The harbour council met on Monday to discuss the budget, officials said in a statement. \\"We \\u009b31mneed\\u001b[0m a new quay,\\" said the mayor."}\n' >e.jsonl
"$CLI" ingest --db e.db e.jsonl >/dev/null 2>&1
: >"$(printf 'bad\033]52;c;aGk=\007.html')"
"$CLI" ingest --db e.db "$(printf 'bad\033]52;c;aGk=\007.html')" >/dev/null 2>"ingest_err.txt"
"$CLI" search --db e.db council >search.txt 2>&1
check "search: the title's escapes are shown, not sent" '! raw search.txt && grep -qF "\x1b[2J\x1b]52;c;aGVsbG8=\x07X\u202eevil" search.txt'
"$CLI" stories --db e.db >stories.txt 2>&1
check "stories: no raw escape" '! raw stories.txt && grep -qF "\x1b[2J" stories.txt'
"$CLI" show --db e.db e >show.txt 2>&1
check "show: no raw escape" '! raw show.txt && grep -qF "title      \x1b[2J\x1b]52;c;aGVsbG8=\x07X" show.txt'
"$CLI" errors --db e.db >errors.txt 2>&1
check "errors: a file name with escapes is shown, not sent" '! raw errors.txt && grep -qF "bad\x1b]52;c;aGk=\x07.html" errors.txt'
check "ingest: the error line on stderr is safe too" '! raw ingest_err.txt && grep -qF "bad\x1b]52" ingest_err.txt'
"$CLI" quotes --db e.db --all >quotes.txt 2>&1
check "quotes: no raw escape" '! raw quotes.txt'
"$CLI" search --db e.db --json council >search.json
check "search --json: escaped as JSON (\\u001b), still the same title" '! raw search.json && python3 -c "
import json, sys
h = json.loads(open(sys.argv[1]).readline())
assert h[\"title\"] == \"\x1b[2J\x1b]52;c;aGVsbG8=\x07X\u202eevil\", h[\"title\"]
" search.json'
"$CLI" export --db e.db >export.json
check "export: no raw escape" '! raw export.json'

# ---- usage errors in one line -------------------------------------------------------
"$CLI" extract --fromat json x.html >/dev/null 2>usage1.txt
rc=$?
check "unknown option: did you mean, then one line pointing at --help (exit 2)" '[ $rc = 2 ] && [ "$(cat usage1.txt)" = "newsdesk: extract: unknown option '"'"'--fromat'"'"' (did you mean --format?)
Try '"'"'newsdesk extract --help'"'"'." ]'
"$CLI" quotes --db e.db --by Olena Brandt >/dev/null 2>usage2.txt
rc=$?
check "a name with spaces given unquoted: says to quote it" '[ $rc = 2 ] && head -1 usage2.txt | grep -qx "newsdesk: quotes: unexpected argument '"'"'Brandt'"'"' (quote a name with spaces)" && [ "$(wc -l <usage2.txt)" = 2 ]'
"$CLI" search >/dev/null 2>usage3.txt
check "a missing argument: one line and the pointer, not the whole help" '[ "$(wc -l <usage3.txt)" = 2 ] && grep -q "^newsdesk: search: missing QUERY" usage3.txt && ! grep -q "^usage:" usage3.txt'
"$CLI" serach council >/dev/null 2>usage4.txt
check "an unknown command: did you mean" '[ "$(wc -l <usage4.txt)" = 2 ] && grep -qx "newsdesk: unknown command '"'"'serach'"'"' (did you mean search?)" usage4.txt'
"$CLI" stories --db e.db --limit >/dev/null 2>usage5.txt
check "an option without its value says so" 'grep -qx "newsdesk: stories: option '"'"'--limit'"'"' needs a value" usage5.txt'

# ---- one problem, one wording ---------------------------------------------------------
: >empty.html
"$CLI" extract missing.html empty.html >/dev/null 2>words1.txt
"$CLI" ingest --db w.db missing.html empty.html >/dev/null 2>words2.txt
check "a missing file: 'no such file' from extract and from ingest" 'grep -qx "newsdesk: missing.html: no such file" words1.txt && grep -qx "newsdesk: missing.html: no such file" words2.txt'
check "an empty file: 'empty file' from extract and from ingest" 'grep -qx "newsdesk: empty.html: empty file" words1.txt && grep -qx "newsdesk: empty.html: empty file" words2.txt'
"$CLI" ingest --db w.db https://example.com/news/1 >/dev/null 2>words3.txt
"$CLI" extract https://example.com/news/1 >/dev/null 2>words4.txt
check "a URL given as a file: newsdesk reads files and does not fetch pages" 'grep -q "https://example.com/news/1: no such file: newsdesk reads files, folders, WARC and JSON lines and does not fetch pages" words3.txt && grep -q "does not fetch pages" words4.txt'
printf '{"id":"k1","title":"A","title":"Harbour report","text":"The harbour council met on Monday to discuss the budget, officials said in a statement."}\n' >dupkey.jsonl
"$CLI" ingest --db k.db dupkey.jsonl >dupkey.out 2>dupkey.err
rc=$?
check "a repeated JSON key: ingest warns that the last value is used and stores the page" '[ $rc = 0 ] && grep -qx "newsdesk: dupkey.jsonl:1: duplicate key \"title\" (the last value is used)" dupkey.err && grep -q "1 stored" dupkey.out && "$CLI" export --db k.db 2>/dev/null | grep -q "\"title\":\"Harbour report\""'

# ---- when nothing happened -----------------------------------------------------------------
mkdir -p nopages && printf '# notes\n' >nopages/README.md && printf '{}' >nopages/meta.json
"$CLI" ingest --db n.db nopages >nothing1.txt 2>nothing1.err
rc=$?
check "ingest of a folder with no pages: says so, exit 1" '[ $rc = 1 ] && grep -q "no pages found" nothing1.err'
check "files passed over for their names: their count and why, in the summary" 'grep -q "2 files not read (README, .json, .css, images...: not pages by their names)" nothing1.txt'
"$CLI" search --db e.db nosuchwordanywhere >nothing2.txt 2>nothing2.err
rc=$?
check "search with no match: 'no matches', exit 0, nothing on stdout" '[ $rc = 0 ] && [ ! -s nothing2.txt ] && grep -qx "no matches" nothing2.err'

# ---- counts ------------------------------------------------------------------------------------
python3 -c "
import json
for i in range(1001):
    print(json.dumps({'id': 'c%d' % i, 'title': 'Item %d' % i, 'text': 'The harbour board met for the %dth time on Monday and approved the budget for the new quay.' % i}))
" >many.jsonl
"$CLI" ingest --db c.db --no-analysis many.jsonl >counts1.txt 2>/dev/null
check "one number format in a line (1,001 pages ... 1,001 stored)" 'grep -q "^1,001 pages in .*: 1,001 stored, 0 new versions" counts1.txt'
printf '<html><head><title>One slow page</title></head><body><article><p>The harbour council met on Monday to discuss the budget for the new quay, officials said in a statement.</p><p>It will meet again next week.</p></article></body></html>' >slow.html
(sleep 2.5; cat slow.html) | "$CLI" ingest --db c.db - >counts2.txt 2>/dev/null
check "one slow page: a rate, not (0 pages/s)" '! grep -q "(0 pages/s" counts2.txt && grep -q "^1 page in .*(0\.[0-9]* pages/s" counts2.txt'
"$CLI" ingest --db one.db slow.html >/dev/null 2>&1
"$CLI" recluster --db one.db >counts5.txt 2>&1
check "plurals: 1 document, 1 story" 'grep -q "^1 document in .* s: 1 story, 0 duplicates, 0 moves, 0 merges$" counts5.txt'
"$CLI" stats --db c.db >counts3.txt
check "stats: the text size in units, not 'text MB 0'" '! grep -q "text MB *0$" counts3.txt && grep -q "^text  *[0-9.]* kB$" counts3.txt'
"$CLI" show --db e.db e >counts4.txt
check "show: a story of one article reads '1 article'" '! grep -q "1 articles" counts4.txt && grep -q "(1 article, 0 outlets)" counts4.txt'

# ---- a store in a missing folder, read-only media -----------------------------------
"$CLI" search --db "$T/no/such/dir/x.db" council >/dev/null 2>ro1.txt
rc=$?
check "a store in a missing folder names the folder (reading)" '[ $rc = 1 ] && grep -q "$T/no/such/dir: no such folder" ro1.txt'
"$CLI" ingest --db "$T/no/such/dir/x.db" e.jsonl >/dev/null 2>ro2.txt
check "... and writing" 'grep -q "$T/no/such/dir: no such folder" ro2.txt'
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
elif [ "$(id -u)" != 0 ]; then
    as_nobody() { "$@"; }
else
    as_nobody() { return 77; }
fi
mkdir -p ro && cp e.db ro/ && "$CLI" ingest --db ro/e.db many.jsonl >/dev/null 2>&1
chmod 755 "$T"
chmod 555 ro && chmod 444 ro/e.db
as_nobody true
if [ $? != 77 ]; then
    as_nobody "$CLI" search --db "$T/ro/e.db" council >ro3.txt 2>ro3.err
    rc=$?
    check "a store on read-only media: search works" '[ $rc = 0 ] && grep -q "harbour .council" ro3.txt'
    as_nobody "$CLI" stats --db "$T/ro/e.db" >ro4.txt 2>&1
    check "... stats, stories, show and export too" '[ $? = 0 ] && as_nobody "$CLI" stories --db "$T/ro/e.db" >/dev/null && as_nobody "$CLI" show --db "$T/ro/e.db" e >/dev/null && [ "$(as_nobody "$CLI" export --db "$T/ro/e.db" | wc -l)" -gt 1000 ]'
else
    echo "# skip: read-only media checks need setpriv (as root) or a non-root user"
fi
chmod 755 ro

exit $fail
