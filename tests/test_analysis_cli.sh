#!/usr/bin/env bash
# test_analysis_cli.sh - the analysis through the CLI: extract's arrays and
# --no-analysis, ingest storing it, quotes --by/--about/--since, actors,
# actor, relations periods, events (GDELT columns), export and show keys,
# reanalyze after an ingest without analysis.  Fixtures: tests/data/analysis.
#   bash test_analysis_cli.sh CLI SHARED_DIR TESTS_DIR
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$3
D=$TESTS/data/analysis
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
T=$(mktemp -d /tmp/nd_analysis_cli.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
fail=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fail=1; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
# py 'CODE' FILE...: run a Python check on files; exit status is the result.
py() { local code=$1; shift; python3 -c "import json, sys
$code" "$@"; }

# ---- extract ------------------------------------------------------------------
"$CLI" extract "$D/page.html" >"$T/x.json"
check "extract exits 0" '[ $? = 0 ]'
check "extract has actors, quotes, events with offsets into text" 'py "
d = json.load(open(sys.argv[1]))
t = d[\"text\"].encode()
assert list(d)[-3:] == [\"actors\", \"quotes\", \"events\"], list(d)
assert any(a[\"name\"] == \"Xi Jinping\" for a in d[\"actors\"])
q = [q for q in d[\"quotes\"] if q[\"speaker\"] == \"Xi Jinping\" and q[\"type\"] == \"direct\"]
assert q and all(t[s:e].decode().strip(chr(34)).startswith(q[0][\"text\"][:10]) for s, e in q[0][\"content\"])
assert d[\"events\"] and all(0 <= e[\"sentence\"][0] < e[\"sentence\"][1] <= len(t) for e in d[\"events\"])
assert all(e[\"date\"] == \"2024-05-16\" for e in d[\"events\"])
for a in d[\"actors\"]:
    for s, e in a[\"mentions\"]:
        assert 0 <= s < e <= len(t)
" "$T/x.json"'
"$CLI" extract --no-analysis "$D/page.html" >"$T/xn.json"
check "--no-analysis: no arrays, the rest the same" 'py "
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert \"actors\" not in b and \"quotes\" not in b and \"events\" not in b
for k in (\"actors\", \"quotes\", \"events\"): del a[k]
assert a == b
" "$T/x.json" "$T/xn.json"'
"$CLI" extract -f jsonl "$D/page.html" "$D/page.html" >"$T/x2.jsonl"
check "extract jsonl: analysis on every line" 'py "
ls = [json.loads(l) for l in open(sys.argv[1])]
assert len(ls) == 2 and all(l[\"events\"] for l in ls)
" "$T/x2.jsonl"'
"$CLI" extract -f text "$D/page.html" >"$T/x.txt"
check "extract text: no analysis" '! grep -q "\"actors\"" "$T/x.txt"'

# ---- ingest and the query commands ---------------------------------------------
export NEWSDESK_DB="$T/a.db"
"$CLI" ingest "$D/feed.jsonl" "$D/page.html" >"$T/ingest.out" 2>"$T/ingest.err"
check "ingest exits 0, quietly" '[ $? = 0 ] && [ ! -s "$T/ingest.err" ]'

"$CLI" quotes --by "Xi Jinping" --json >"$T/q.jsonl" 2>"$T/q.err"
check "quotes --by: Xi's quotations from three documents, nothing on stderr" 'py "
qs = [json.loads(l) for l in open(sys.argv[1])]
assert qs and all(q[\"speaker\"] == \"Xi Jinping\" for q in qs), qs
ids = {q[\"id\"] for q in qs}
assert {\"wire-1\", \"wire-2\"} <= ids and len(ids) == 3, ids
dates = [q[\"date\"] for q in qs]
assert dates == sorted(dates, reverse=True), dates
" "$T/q.jsonl" && [ ! -s "$T/q.err" ]'
check "quotes --by a surname, a code and a country give the same" '
[ "$("$CLI" quotes --by xi --json | wc -l)" = "$(wc -l <"$T/q.jsonl")" ] &&
[ "$("$CLI" quotes --by CHNGOV --json | wc -l)" = "$(wc -l <"$T/q.jsonl")" ] &&
[ "$("$CLI" quotes --by China --json | wc -l)" -ge "$(wc -l <"$T/q.jsonl")" ]'
"$CLI" quotes --about sanctions --json >"$T/qa.jsonl"
check "quotes --about: the EU's warning" 'py "
qs = [json.loads(l) for l in open(sys.argv[1])]
assert len(qs) == 1 and qs[0][\"speaker\"] == \"Ursula von der Leyen\" and qs[0][\"id\"] == \"wire-3\", qs
" "$T/qa.jsonl"'
check "quotes --about with --by: nothing when they do not meet" '[ -z "$("$CLI" quotes --about sanctions --by Putin --json)" ]'
check "quotes --since: Putin spoke in March and May" '[ "$("$CLI" quotes --by Putin --since 2024-06-01 --json | wc -l)" = 0 ] && [ "$("$CLI" quotes --by Putin --since 2024-04-01 --json | wc -l)" -lt "$("$CLI" quotes --by Putin --json | wc -l)" ] && [ "$("$CLI" quotes --by Putin --since 2024-04-01 --json | wc -l)" -ge 1 ]'
"$CLI" quotes --by "Nobody Here" >"$T/qn.out" 2>"$T/qn.err"
check "quotes --by an unknown actor: exit 1, one line" '[ $? = 1 ] && [ "$(wc -l <"$T/qn.err")" = 1 ] && grep -q "Nobody Here" "$T/qn.err"'
"$CLI" quotes --about '"unterminated' >/dev/null 2>"$T/qb.err"
check "quotes --about with bad syntax: exit 2" '[ $? = 2 ] && [ "$(wc -l <"$T/qb.err")" = 1 ]'
"$CLI" quotes >"$T/q.txt"
check "quotes table: header and rows" 'head -1 "$T/q.txt" | grep -q "^DATE *SPEAKER *TYPE *QUOTE *DOCUMENT" && [ "$(wc -l <"$T/q.txt")" -gt 4 ]'

"$CLI" relations RUS CHN --json >"$T/r.json"
check "relations RUS CHN by month: March and April 2024, cooperative" 'py "
r = json.load(open(sys.argv[1]))
ps = {p[\"period\"]: p for p in r[\"periods\"]}
assert list(ps) == [\"2024-03\", \"2024-04\", \"2024-05\"], list(ps)
for p in ps.values():
    assert p[\"events\"] == sum(p[k] for k in (\"verbal_cooperation\", \"material_cooperation\", \"verbal_conflict\", \"material_conflict\"))
    assert p[\"verbal_conflict\"] + p[\"material_conflict\"] == 0 and p[\"goldstein\"] > 0
assert len(r[\"events\"]) == sum(p[\"events\"] for p in ps.values())
assert all(e[\"sentence\"] and e[\"quad\"] in (1, 2) for e in r[\"events\"])
assert {e[\"id\"] for e in r[\"events\"]} >= {\"wire-1\", \"wire-2\"}
dates = [e[\"date\"] for e in r[\"events\"]]
assert dates == sorted(dates, reverse=True)
" "$T/r.json"'
check "relations --by year / week" 'py "
y = json.load(open(sys.argv[1])); w = json.load(open(sys.argv[2]))
assert [p[\"period\"] for p in y[\"periods\"]] == [\"2024\"]
assert [p[\"period\"] for p in w[\"periods\"]][:2] == [\"2024-W11\", \"2024-W16\"], w[\"periods\"]
" <("$CLI" relations RUS CHN --by year --json) <("$CLI" relations RUS CHN --by week --json)'
check "relations by country names = by codes" 'py "
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
assert a[\"periods\"] == b[\"periods\"]
" "$T/r.json" <("$CLI" relations Russia China --json)'
check "relations between two people" '[ "$("$CLI" relations Putin "Xi Jinping" --json | py "print(len(json.load(sys.stdin)[\"events\"]))")" -ge 2 ]'
check "relations --limit keeps the counts" 'py "
r = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
assert len(s[\"events\"]) == 1 and s[\"periods\"] == r[\"periods\"]
" "$T/r.json" <("$CLI" relations RUS CHN --limit 1 --json)'
"$CLI" relations RUS CHN >"$T/r.txt"
check "relations table: summary, periods, events with sentences" 'head -1 "$T/r.txt" | grep -q "^RUS - CHN: [0-9]* events" && grep -q "^2024-03 " "$T/r.txt" && grep -q "Putin" "$T/r.txt"'
"$CLI" relations RUS Atlantis >/dev/null 2>&1
check "relations with an unknown actor: exit 1" '[ $? = 1 ]'
"$CLI" relations RUS CHN --by fortnight >/dev/null 2>&1
check "relations --by fortnight: exit 2" '[ $? = 2 ]'

"$CLI" events --format gdelt >"$T/g.tsv"
check "events --format gdelt: 61 tab-separated columns on every line" 'py "
ls = open(sys.argv[1]).read().splitlines()
assert len(ls) >= 10
urls = {\"https://wire.example/2024/03/summit\", \"https://wire.example/2024/04/visit\", \"https://wire.example/2024/04/sanctions\", \"\"}
for l in ls:
    f = l.split(chr(9))
    assert len(f) == 61, len(f)
    assert f[0].isdigit() and f[26] and f[28] == f[26][:2] and f[27] == f[26][:3]
    assert f[29] in \"1234\" and -10 <= float(f[30]) <= 10
    assert len(f[1]) == 8 and f[2] == f[1][:6] and f[3] == f[1][:4] and f[4].startswith(f[3] + \".\")
    assert len(f[59]) == 14 and f[59].isdigit()
    assert f[60] in urls, f[60]
rus = [l.split(chr(9)) for l in ls if l.split(chr(9))[5] == \"RUSGOV\"]
assert rus and rus[0][7] == \"RUS\" and rus[0][12] == \"GOV\" and rus[0][6] == \"Vladimir Putin\"
" "$T/g.tsv"'
check "events --format gdelt --header: the 61 names" '"$CLI" events -f gdelt --header | head -1 | py "
f = sys.stdin.read().rstrip(chr(10)).split(chr(9))
assert len(f) == 61 and f[0] == \"GlobalEventID\" and f[26] == \"EventCode\" and f[-2:] == [\"DATEADDED\", \"SOURCEURL\"]
"'
check "events --since" '[ "$("$CLI" events -f gdelt --since 2024-04-01 | wc -l)" -lt "$(wc -l <"$T/g.tsv")" ] && [ "$("$CLI" events -f gdelt --since 2024-04-01 | wc -l)" -gt 0 ]'
check "events --format jsonl" '"$CLI" events -f jsonl --actor "European Union" | py "
es = [json.loads(l) for l in sys.stdin]
assert es and all(e[\"id\"] == \"wire-3\" for e in es)
"'

"$CLI" actors --json >"$T/act.jsonl"
check "actors: Xi Jinping in three documents" 'py "
a = {x[\"name\"]: x for x in map(json.loads, open(sys.argv[1]))}
assert a[\"Xi Jinping\"][\"documents\"] == 3 and a[\"Xi Jinping\"][\"code\"] == \"CHNGOV\", a.get(\"Xi Jinping\")
" "$T/act.jsonl"'
"$CLI" actor Xi --json >"$T/xi.json"
check "actor Xi: who, timeline, quotes, peers" 'py "
d = json.load(open(sys.argv[1]))
assert [a[\"name\"] for a in d[\"actors\"]] == [\"Xi Jinping\"]
assert [p[\"period\"] for p in d[\"timeline\"]] == [\"2024-03\", \"2024-04\", \"2024-05\"]
assert len(d[\"quotes\"]) >= 3 and any(p[\"name\"] == \"Vladimir Putin\" for p in d[\"peers\"])
" "$T/xi.json"'
check "actor table" '"$CLI" actor "Vladimir Putin" | grep -q "^Mentions by month"'

"$CLI" export >"$T/e.jsonl"
check "export: actors, quotes and events on every line" 'py "
for l in open(sys.argv[1]):
    d = json.loads(l)
    assert list(d)[-3:] == [\"actors\", \"quotes\", \"events\"], list(d)
    assert all(isinstance(d[k], list) for k in (\"actors\", \"quotes\", \"events\"))
" "$T/e.jsonl"'
check "export = extract for the page (same analysis)" 'py "
x = json.load(open(sys.argv[1]))
e = [json.loads(l) for l in open(sys.argv[2])]
d = [d for d in e if d[\"title\"] == x[\"title\"]][0]
assert d[\"text\"] == x[\"text\"]
for k in (\"actors\", \"quotes\", \"events\"): assert d[k] == x[k], k
" "$T/x.json" "$T/e.jsonl"'
check "show --json has the analysis; show lists actors" '"$CLI" show --json wire-1 | py "
d = json.load(sys.stdin); assert d[\"events\"] and d[\"quotes\"]
" && "$CLI" show wire-1 | grep -q "^actors .*Vladimir Putin"'

# ---- no analysis at ingest, then reanalyze ---------------------------------------
export NEWSDESK_DB="$T/b.db"
"$CLI" ingest --no-analysis "$D/feed.jsonl" "$D/page.html" >/dev/null
check "ingest --no-analysis: export has null arrays" '"$CLI" export | py "
assert all(json.loads(l)[\"actors\"] is None for l in sys.stdin)
"'
"$CLI" quotes >/dev/null 2>"$T/warn.err"
check "query commands say documents are not analysed" 'grep -q "4 of 4 documents have not been analysed" "$T/warn.err"'
check "reanalyze analyses them, once" '[ "$("$CLI" reanalyze)" = "4 documents analysed" ] && [ "$("$CLI" reanalyze)" = "0 documents analysed" ] && [ "$("$CLI" reanalyze --all -j 1)" = "4 documents analysed" ]'
"$CLI" export >"$T/e2.jsonl"
check "reanalyzed = analysed at ingest" 'py "
a = {d[\"title\"]: d for d in map(json.loads, open(sys.argv[1]))}
b = {d[\"title\"]: d for d in map(json.loads, open(sys.argv[2]))}
assert a.keys() == b.keys(), (a.keys(), b.keys())
for k in a:
    for f in (\"actors\", \"quotes\", \"events\"): assert a[k][f] == b[k][f], (k, f)
" "$T/e.jsonl" "$T/e2.jsonl"'
"$CLI" reanalyze --db "$T/none.db" >/dev/null 2>"$T/none.err"
check "reanalyze without a store: exit 1, one line" '[ $? = 1 ] && [ "$(wc -l <"$T/none.err")" = 1 ]'

# An unknown name first taken for a person's becomes an organisation's when
# a later document shows it is one.
printf '%s\n' '{"id":"o1","title":"Talks","text":"Halden Terminals said it had offered to delay the plan by two years, and the union rejected the offer on Tuesday."}' \
    '{"id":"o2","title":"Strike","text":"Port operator Halden Terminals said no one would be dismissed and that it remained open to talks with the union."}' >"$T/org.jsonl"
"$CLI" ingest --db "$T/org.db" "$T/org.jsonl" >/dev/null 2>&1
"$CLI" actors --db "$T/org.db" --json >"$T/org.out"
check "a name shown to be an organisation's is an org" 'py "
a = [json.loads(l) for l in open(sys.argv[1])]
h = [x for x in a if x[\"name\"] == \"Halden Terminals\"]
assert len(h) == 1 and h[0][\"kind\"] == \"org\" and h[0][\"documents\"] == 2, h
" "$T/org.out"'

exit $fail
