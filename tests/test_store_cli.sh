#!/usr/bin/env bash
# test_store_cli.sh - newsdesk ingest/search/show/stats/errors/export on
# fixture pages written by gen_store_fixtures.py.
#   bash test_store_cli.sh CLI SHARED_DIR TESTS_DIR
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$3
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
T=$(mktemp -d /tmp/nd_store_cli.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
fail=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fail=1; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
json_lines() { python3 -c 'import json,sys
n=0
for l in sys.stdin:
    json.loads(l); n+=1
print(n)'; }

python3 "$TESTS/gen_store_fixtures.py" "$T/in" --pages 40 --jsonl 20 --seed 3 --bad || exit 1
export NEWSDESK_DB="$T/n.db"

# ---- first ingest, then the same again ---------------------------------------
"$CLI" ingest "$T/in/pages" "$T/in/feed.jsonl" >"$T/out1" 2>"$T/err1"
rc=$?
check "first ingest exits 0" '[ $rc = 0 ]'
check "nothing on stderr when not a terminal" '[ ! -s "$T/err1" ]'
check "one summary line" '[ "$(wc -l <"$T/out1")" = 1 ] && grep -q "^60 pages .*: 60 stored, 0 new versions" "$T/out1"'
n1=$("$CLI" export --format jsonl | json_lines)
check "60 documents exported" '[ "$n1" = 60 ]'

"$CLI" ingest "$T/in/pages" "$T/in/feed.jsonl" >"$T/out2" 2>"$T/err2"
rc=$?
check "re-ingest exits 0" '[ $rc = 0 ]'
check "re-ingest adds nothing" 'grep -q ": 0 stored, 0 new versions, 0 related, 60 duplicates skipped" "$T/out2"'
n2=$("$CLI" export | json_lines)
check "still 60 documents" '[ "$n2" = 60 ]'
# The same pages under another folder name are the same pages.
cp -r "$T/in/pages" "$T/copy"
"$CLI" ingest "$T/copy" >"$T/out3"
check "a copied folder adds nothing" 'grep -q ": 0 stored" "$T/out3"'

# A folder of symbolic links: not followed unless -L, and the reason given.
mkdir -p "$T/links"
ln -s "$T/in/pages/p00001.html" "$T/links/a.html"
ln -s "$T/nowhere.html" "$T/links/b.html"
"$CLI" ingest --db "$T/links.db" "$T/links" >"$T/out_l1" 2>"$T/err_l1"
rc=$?
check "a folder of links: exit 1" '[ $rc = 1 ]'
check "a folder of links: the summary counts them" 'grep -q "; 2 symbolic links in folders not followed (-L follows them)$" "$T/out_l1"'
check "a folder of links: says why no pages were found" 'grep -qx "newsdesk: $T/links: no pages found (2 symbolic links not followed: -L follows them)" "$T/err_l1"'
"$CLI" ingest -L --db "$T/links.db" "$T/links" >"$T/out_l2" 2>"$T/err_l2"
rc=$?
check "a folder of links with -L: the page is stored, exit 0" '[ $rc = 0 ] && grep -q ": 1 stored," "$T/out_l2"'
check "a folder of links with -L: the dangling one is counted" 'grep -q "; 1 symbolic link in folders leading nowhere$" "$T/out_l2"'

# ---- --cpu: the run's CPU by thread, before the summary ----------------------
# Each thread's own clock: the parts are positive where the thread worked,
# and together at most what the process took (bash's `time`: user + sys).
TIMEFORMAT='%U %S'
{ time "$CLI" ingest --cpu --db "$T/cpu.db" "$T/in/pages" "$T/in/feed.jsonl" >"$T/out_cpu" 2>/dev/null; } 2>"$T/time_cpu"
unset TIMEFORMAT
check "--cpu: one CPU line, then the summary" '[ "$(wc -l <"$T/out_cpu")" = 2 ] && grep -q "^60 pages .*: 60 stored" <(tail -n 1 "$T/out_cpu")'
check "--cpu: workers and writer took CPU, the parts add up to the total, within what the process took" 'python3 - "$T/out_cpu" "$T/time_cpu" <<'"'"'EOF'"'"'
import re, sys
line = open(sys.argv[1]).readline()
m = re.match(r"CPU: ([\d.]+) s \(([\d.]+) ms a page\): workers ([\d.]+) s, writer ([\d.]+) s, "
             r"readers ([\d.]+) s, checkpoints ([\d.]+) s, the rest ([\d.]+) s$", line)
assert m, line
total, per_page, *parts = map(float, m.groups())
user, sys_ = map(float, open(sys.argv[2]).read().split())
assert parts[0] > 0 and parts[1] > 0, line
# (each figure is rounded to its last digit: 0.0005 s, 0.005 ms a page)
assert abs(sum(parts) - total) <= 6 * 0.0005 + 1e-9, line
assert abs(per_page - 1000 * total / 60) <= 0.005 + 1000 * 0.0005 / 60 + 1e-9, line
assert total <= user + sys_ + 0.01, (line, user, sys_)
EOF'

# ---- a changed page becomes a new version -----------------------------------
sed -i 's/The reference code is tok7x4\./The reference code is tok7x4. Correction: the mayor resigned./' "$T/in/pages/p00007.html"
"$CLI" ingest "$T/in/pages" >"$T/out4"
check "changed file -> 1 new version" 'grep -q ": 0 stored, 1 new version," "$T/out4"'
python3 - "$T/in/feed.jsonl" >"$T/feed2.jsonl" <<'EOF'
import json, sys
for i, l in enumerate(open(sys.argv[1])):
    r = json.loads(l)
    if i == 0:
        r["html"] = r["html"].replace("</article>", "<p>Late update: the harbour master confirmed that the ferry would be delayed by a week.</p></article>")
    print(json.dumps(r))
EOF
"$CLI" ingest "$T/feed2.jsonl" >"$T/out5"
check "changed JSONL page at the same URL -> 1 new version" 'grep -q ": 0 stored, 1 new version, 0 related, 19 duplicates" "$T/out5"'
"$CLI" show --json feed-40 >"$T/show.json"
check "show by external id gives the latest version" 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"id\"]==\"feed-40\" and d[\"version\"]==2 and d[\"versions\"]==2 and \"Late update\" in d[\"text\"]" "$T/show.json"'
check "search shows the latest version only" '[ "$("$CLI" search --json tok40x0 | json_lines)" = 1 ]'
check "--all-versions shows both" '[ "$("$CLI" search --json --all-versions tok40x0 | json_lines)" = 2 ]'

# ---- search -------------------------------------------------------------------
"$CLI" search --json tok12x3 >"$T/s1"
check "search --json: one hit, all keys" 'python3 -c "
import json,sys
L=[json.loads(l) for l in open(sys.argv[1])]
assert len(L)==1, L
h=L[0]
for k in (\"id\",\"doc_id\",\"title\",\"source\",\"url\",\"site\",\"published\",\"score\",\"snippet\"): assert k in h, k
assert h[\"title\"].startswith(\"Page 12:\"), h
assert \"[tok12x3]\" in h[\"snippet\"], h
assert h[\"source\"].endswith(\"p00012.html\"), h
" "$T/s1"'
"$CLI" search '"reference code is tok5x1"' >"$T/s2"
check "phrase search, table with header, [..] markers when not a tty" 'head -1 "$T/s2" | grep -q "^ *ID  DATE  SITE" && grep -q "\[reference code is tok5x1\]" "$T/s2"'
check "OR / NOT / prefix" '[ "$("$CLI" search --json "tok5x1 OR tok6x1" | json_lines)" = 2 ] && [ "$("$CLI" search --json "tok5x1 NOT tok5x2" | json_lines)" = 0 ] && [ "$("$CLI" search --json "tok5x*" | json_lines)" = 1 ]'
check "--limit" '[ "$("$CLI" search --json --limit 3 reference | json_lines)" = 3 ]'
check "--since keeps later pages only" '[ "$("$CLI" search --json --limit 100 --since 2025-05-15 reference | json_lines)" = 6 ]'
check "--site by host" '[ "$("$CLI" search --json --limit 100 --site news.example reference | json_lines)" = 20 ]'
check "--site by name" '[ "$("$CLI" search --json --limit 100 --site "valley courier" reference | python3 -c "
import json,sys
L=[json.loads(l) for l in sys.stdin]
assert L and all(h[\"site\"]==\"Valley Courier\" for h in L)
print(len(L))")" -gt 0 ]'
"$CLI" search --json "Page 12" | head -1 >"$T/s3"
check "a title match ranks first" 'python3 -c "import json,sys; assert json.load(open(sys.argv[1]))[\"title\"].startswith(\"Page 12:\")" "$T/s3"'
check "no match: exit 0, no output" '[ -z "$("$CLI" search nosuchwordanywhere)" ]'

"$CLI" search '"unclosed phrase' >"$T/q.out" 2>"$T/q.err"
rc=$?
check "bad FTS query: exit 2" '[ $rc = 2 ]'
check "bad FTS query: one line on stderr" '[ "$(wc -l <"$T/q.err")" = 1 ] && grep -q "^newsdesk: search: bad search query" "$T/q.err" && [ ! -s "$T/q.out" ]'
"$CLI" search 'AND OR' 2>/dev/null
check "another bad query: exit 2" '[ $? = 2 ]'

# ---- show and export -----------------------------------------------------------
check "show ID --json is valid JSON" '"$CLI" show --json 1 | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"doc_id\"]==1 and d[\"paragraphs\"]"'
check "show ID for people" '"$CLI" show 1 | grep -q "^title  *Page "'
"$CLI" show 99999 >/dev/null 2>"$T/show.err"
check "show of a missing id: exit 1, one line" '[ $? = 1 ] && [ "$(wc -l <"$T/show.err")" = 1 ]'
"$CLI" export --format jsonl >"$T/export.jsonl"
check "export: every line valid, ids as designed" 'python3 - "$T/export.jsonl" <<EOF
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
assert len(L) == 62, len(L)
keys = ("id", "doc_id", "ext_id", "url", "site", "title", "author", "published", "fetched",
        "language", "text", "paragraphs", "source", "offset", "line", "version", "parent",
        "content_hash", "raw_hash", "run", "related")
for d in L:
    for k in keys: assert k in d, k
    if d["ext_id"]: assert d["id"] == d["ext_id"]
    else: assert d["id"] == d["doc_id"]
feed = [d for d in L if d["ext_id"]]
assert len(feed) == 21 and all(d["line"] for d in feed), feed[0]
assert sorted(set(d["id"] for d in feed)) == sorted("feed-%d" % n for n in range(40, 60))
assert all(d["published"].startswith("2025-05-") for d in feed)
EOF'
check "export refuses other formats (exit 2)" '"$CLI" export --format csv 2>/dev/null; [ $? = 2 ]'
check "stats" '"$CLI" stats | grep -q "^documents  *62$"'
check "stats --json" '"$CLI" stats --json | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"documents\"]==62 and d[\"versions\"]==2 and d[\"schema\"]>=2"'

# ---- errors ----------------------------------------------------------------------
"$CLI" ingest "$T/in/bad/empty.html" "$T/in/bad/blob.html" "$T/in/bad/broken.jsonl" "$T/nonexistent.html" >"$T/out6" 2>"$T/err6"
rc=$?
check "bad inputs: exit 1" '[ $rc = 1 ]'
check "bad inputs: the good lines went in" 'grep -q ": 2 stored" "$T/out6"'
check "bad inputs: one stderr line each, naming the input" '[ "$(wc -l <"$T/err6")" = 4 ] && grep -q "^newsdesk: .*empty.html: " "$T/err6" && grep -q "^newsdesk: .*blob.html: " "$T/err6" && grep -q "^newsdesk: .*broken.jsonl:2: " "$T/err6" && grep -q "^newsdesk: .*nonexistent.html: " "$T/err6"'
"$CLI" errors --json >"$T/errors.jsonl"
check "errors recorded for the latest run" 'python3 - "$T/errors.jsonl" <<EOF
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
assert len(L) == 4, L
src = {d["source"].rsplit("/", 1)[-1]: d for d in L}
assert set(src) == {"empty.html", "blob.html", "broken.jsonl", "nonexistent.html"}, src
assert src["broken.jsonl"]["line"] == 2, src["broken.jsonl"]
assert all(d["message"] and d["code"] for d in L)
assert all(not d["message"].startswith("/") for d in L)
EOF'
check "errors for people" '"$CLI" errors | grep -q "broken.jsonl:2 "'
check "errors --run 1 is empty" '[ -z "$("$CLI" errors --json --run 1)" ]'

# ---- the database ------------------------------------------------------------------
cp "$NEWSDESK_DB" "$T/newer.db"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=99'); c.commit()" "$T/newer.db"
"$CLI" search --db "$T/newer.db" tok1x1 >/dev/null 2>"$T/newer.err"
rc=$?
check "a newer database is refused" '[ $rc = 1 ] && grep -q "newer than this program" "$T/newer.err"'
"$CLI" ingest --db "$T/newer.db" "$T/in/pages/p00001.html" >/dev/null 2>&1
check "ingest into a newer database is refused" '[ $? = 1 ]'
# A store of the schema before (steps 13 and 11 taken away) is migrated by the first command
# that opens it, which says so first, once.
cp "$NEWSDESK_DB" "$T/older.db"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript('DROP TABLE actor_names; CREATE TABLE actor_words (word TEXT NOT NULL, actor_id INTEGER NOT NULL, PRIMARY KEY (word, actor_id)) WITHOUT ROWID; DROP TABLE doc_tokens; DROP TABLE phrase_window; PRAGMA user_version=10;')" "$T/older.db"
"$CLI" search --db "$T/older.db" tok1x1 >"$T/older.out" 2>"$T/older.err"
check "an older database: says it upgrades, then answers" '[ $? = 0 ] && grep -q "older.db: upgrading the store from schema 10 to " "$T/older.err" && grep -q tok1x1 "$T/older.out"'
"$CLI" search --db "$T/older.db" tok1x1 >/dev/null 2>"$T/older2.err"
check "an upgraded database: nothing more said" '[ $? = 0 ] && [ ! -s "$T/older2.err" ]'
"$CLI" search --db "$T/none.db" x >/dev/null 2>"$T/none.err"
check "no database: exit 1, says so" '[ $? = 1 ] && grep -q "no database" "$T/none.err" && [ ! -e "$T/none.db" ]'
mkdir "$T/cwd"
(cd "$T/cwd" && unset NEWSDESK_DB && "$CLI" ingest "$T/in/pages/p00001.html" >/dev/null && [ -f newsdesk.db ] &&
    "$CLI" search --db newsdesk.db tok1x1 | grep -q tok1x1)
check "default ./newsdesk.db, --db on search" '[ $? = 0 ]'
check "usage errors exit 2" '"$CLI" ingest 2>/dev/null; a=$?; "$CLI" ingest -j 0 x 2>/dev/null; b=$?; "$CLI" search 2>/dev/null; c=$?; "$CLI" show 2>/dev/null; d=$?; [ $a$b$c$d = 2222 ]'

# ---- search while an ingest runs ---------------------------------------------------
python3 "$TESTS/gen_store_fixtures.py" "$T/big" --pages 2000 --seed 11 --size 6000 --start 2000
export NEWSDESK_DB="$T/busy.db"
"$CLI" ingest "$T/in/pages/p00001.html" >/dev/null
# Readers against a writer's transactions: the analysis is not what is
# tested here (it is in test_analysis_cli.sh), and under ASan it made this
# ingest ten times longer than the store's own work.
"$CLI" ingest --no-analysis --batch 50 "$T/big/pages" >"$T/busy.out" 2>&1 &
pid=$!
searches=0
failed=0
seen_more=0
while kill -0 $pid 2>/dev/null; do
    if n=$("$CLI" search --json --limit 5000 reference 2>>"$T/busy.err" | json_lines); then
        searches=$((searches + 1))
        [ "$n" -gt 1 ] && seen_more=1
    else
        failed=$((failed + 1))
    fi
done
wait $pid
rc=$?
check "ingest during searches exits 0" '[ $rc = 0 ]'
check "searches during the ingest all succeeded ($searches ran)" '[ $failed = 0 ] && [ $searches -ge 3 ]'
check "searches saw documents arrive" '[ $seen_more = 1 ]'
check "all pages stored" '[ "$("$CLI" stats --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"pages\"])")" = 2001 ]'

exit $fail
