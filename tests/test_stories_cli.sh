#!/usr/bin/env bash
# test_stories_cli.sh - stories through the CLI: ingest clusters, `stories`,
# `story`, `recluster`, export's story and dup_of, resuming across runs,
# the same stories whatever the thread count; and the seeds (skipped
# without ../shared/seeds).
#   bash test_stories_cli.sh CLI SHARED_DIR TESTS_DIR
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$2
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
T=$(mktemp -d /tmp/nd_stories.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
fail=0
n=0
check() { # check NAME COMMAND...
    n=$((n + 1))
    if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fail=1; fi
}

# ---- fixtures: five made-up events, several outlets each ----------------------------
# Part 1: stories A-D (A with an exact copy and a wire copy); part 2: two
# later articles of A and a new story E.
python3 - "$T" <<'EOF'
import json, random, sys
out = sys.argv[1]
S = {
 "A": ("2024-03-0%dT%02d:00:00Z", [
   "The River Sarn burst its banks in Kellford early on Sunday, flooding more than 400 homes in the old town.",
   "Mayor Ilse Brandt said 1,200 residents had been evacuated to the Kellford sports hall and two schools overnight.",
   "Firefighters used boats to reach families trapped on upper floors along Mill Lane and Sarn Quay.",
   "The Valdoria environment agency said the Sarn rose 2.4 metres in six hours after three days of rain.",
   "Brandt asked the regional government for emergency funds and said the clean-up would take weeks.",
   "Kellford's hospital moved 35 patients from its ground floor as water reached the car park.",
   "Residents of Kellford said the flood defences finished in 2019 had been overtopped within an hour.",
   "Forecasters warned that the Sarn could rise again when more rain reaches the hills above Kellford.",
 ], ["Kellford floods as River Sarn bursts its banks", "Sarn flood forces 1,200 from homes in Kellford",
     "Kellford mayor Brandt seeks emergency flood funds", "Boats rescue families as Sarn floods Kellford",
     "Kellford counts the cost of Sarn flood", "Water recedes in Kellford as Sarn flood clean-up begins"]),
 "B": ("2024-03-0%dT%02d:30:00Z", [
   "Bus and tram drivers in Porto Vell began a 48-hour strike on Tuesday over pay and night shifts.",
   "The Transport Workers Union said 3,000 of its members had walked out and 90 per cent of routes were cancelled.",
   "Transport minister Carlos Mendes called the stoppage irresponsible and offered talks on Thursday.",
   "Commuters queued for taxis at Porto Vell central station and traffic on the coast road stood still.",
   "The union wants a 9 per cent rise and an end to split shifts for tram crews.",
   "Mendes said the city could not afford more than 4 per cent this year.",
   "Schools in the north of Porto Vell told pupils to stay at home until the strike ends on Thursday.",
   "Union leader Rita Sousa told a rally outside city hall that drivers had not had a rise since 2021.",
 ], ["Porto Vell transport strike halts buses and trams", "Transport Workers Union walks out in Porto Vell",
     "Minister Mendes offers talks as Porto Vell strike bites"]),
 "C": ("2024-03-0%dT%02d:15:00Z", [
   "Halvex Systems has agreed to buy the chip designer Quorra Labs for 4.2 billion dollars in cash.",
   "Halvex chief executive Dana Whitfield said the deal would give the company its own low-power processor designs.",
   "Quorra Labs shareholders will receive 38 dollars a share, a premium of 27 per cent on Friday's close.",
   "The acquisition still needs approval from competition regulators and is expected to close in the autumn.",
   "Quorra, founded in Lundholm in 2011, employs 900 engineers and licenses its designs to phone makers.",
   "Analysts said Halvex was paying a high price but gaining scarce engineering talent.",
   "Whitfield said Quorra's founders would stay on to run a new processor division based in Lundholm.",
   "Halvex shares fell 3 per cent in early trading after the takeover was announced on Monday.",
 ], ["Halvex to buy Quorra Labs for $4.2 billion", "Halvex Systems agrees Quorra Labs takeover",
     "Whitfield bets on chips with Quorra deal"]),
 "D": ("2024-03-0%dT%02d:45:00Z", [
   "Riverton United won the Northern Cup on Saturday, beating Calder Athletic 3-1 in the final at Grange Park.",
   "Striker Tomas Ek scored twice in the first half before Calder pulled a goal back through Jamie Roe.",
   "Riverton captain Luis Okafor sealed the win with a header from a corner in the 88th minute.",
   "It is Riverton's first Northern Cup since 1998 and manager Petra Lind's first trophy with the club.",
   "Calder Athletic manager Sam Dowd said his side had given away two soft goals.",
   "About 41,000 fans watched the final at Grange Park.",
   "Ek, who joined Riverton from a Swedish club last summer, has now scored 19 goals this season.",
   "Thousands of Riverton supporters celebrated in the town square until late on Saturday night.",
 ], ["Riverton United beat Calder to win Northern Cup", "Ek double as Riverton lift Northern Cup",
     "Calder Athletic lose Northern Cup final to Riverton"]),
 "E": ("2024-03-0%dT%02d:10:00Z", [
   "Astronomers at the Mount Orrel observatory have found a comet that will be visible to the naked eye in May.",
   "The comet, named Orrel-Vance after its two discoverers, is now beyond the orbit of Jupiter.",
   "Dr Mira Vance said the comet's tail could stretch across a tenth of the sky at its brightest.",
   "Amateur astronomers are asked to report sightings to the observatory from April.",
   "Orrel-Vance takes about 6,000 years to orbit the Sun, the observatory said.",
   "The last comet this bright was seen from the northern hemisphere in 1997.",
 ], ["Mount Orrel astronomers find bright comet", "Comet Orrel-Vance to light up May skies"]),
}
rng = random.Random(5)
outlets = ["Daily Ledger", "Morning Star Post", "Valley Courier", "The Northern Wire", "Coast Times", "Evening Gazette"]
def article(story, k, day, hour, sentences=None):
    fmt, sents, titles = S[story]
    if sentences is None:
        sents = sents[:]
        rng.shuffle(sents)
        sentences = sents[:4]
    site = outlets[(k + ord(story)) % len(outlets)]
    host = site.lower().replace(" ", "") + ".example"
    body = "".join("<p>%s</p>" % s for s in sentences)
    title = titles[k % len(titles)]
    html = ("<html><head><title>%s | %s</title><meta property='og:site_name' content='%s'></head>"
            "<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>%s</h1>%s</article>"
            "<footer>Copyright %s</footer></body></html>") % (title, site, site, title, body, site)
    return {"id": "%s%d" % (story, k), "url": "https://%s/%s-%d" % (host, story.lower(), k),
            "published": fmt % (day, hour), "html": html}, sentences
part1, part2 = [], []
texts = {}
for story, n, day in (("A", 4, 3), ("B", 3, 5), ("C", 3, 4), ("D", 3, 9)):
    for k in range(n):
        a, sents = article(story, k, day, 8 + 2 * k)
        texts[a["id"]] = (sents, a)
        part1.append(a)
# An exact copy of A0 on another site, and a wire copy of A1 with a light edit.
a0 = dict(texts["A0"][1]); a0["id"] = "A0-copy"; a0["url"] = "https://syndicator.example/kellford-flood"
a0["html"] = a0["html"].replace("Daily Ledger", "Syndicator").replace(
    texts["A0"][1]["html"].split("|")[1].split("<")[0].strip(), "Syndicator")
rng.shuffle(part1)
part1.append(a0)
s1 = list(texts["A1"][0]); s1[-1] = s1[-1].replace(".", ", officials said.")
a1, _ = article("A", 1, 3, 23, s1)
a1["id"] = "A1-wire"; a1["url"] = "https://wire.example/sarn"; a1["html"] = a1["html"].replace("<footer>", "<p>Reporting by the Wire desk.</p><footer>")
part1.append(a1)
for story, ks, day in (("A", (4, 5), 6), ("E", (0, 1), 7)):
    for k in ks:
        part2.append(article(story, k, day, 9 + k)[0])
with open(out + "/part1.jsonl", "w") as f:
    for a in part1: f.write(json.dumps(a) + "\n")
with open(out + "/part2.jsonl", "w") as f:
    for a in part2: f.write(json.dumps(a) + "\n")
EOF
[ -s "$T/part1.jsonl" ] || { echo "not ok - fixtures"; exit 1; }

DB="$T/s.db"
"$CLI" ingest --db "$DB" "$T/part1.jsonl" >"$T/ingest1.out" 2>"$T/ingest1.err"
check "ingest exits 0" '[ $? = 0 ] && [ ! -s "$T/ingest1.err" ]'

# groups DB: one line per story, the external ids in it, sorted.
groups() {
    "$CLI" export --db "$1" | python3 -c '
import json, sys
g = {}
for l in sys.stdin:
    d = json.loads(l)
    g.setdefault(d["story"], []).append(d["id"])
print("\n".join(sorted(" ".join(sorted(v)) for v in g.values())))'
}
groups "$DB" >"$T/groups1"
cat >"$T/want1" <<'EOF'
A0 A0-copy A1 A1-wire A2 A3
B0 B1 B2
C0 C1 C2
D0 D1 D2
EOF
check "each event one story, no two events together" 'diff "$T/want1" "$T/groups1"'

check "export: story and dup_of on every document, the copies marked" '"$CLI" export --db "$DB" | python3 -c "
import json, sys
docs = {}
for l in sys.stdin:
    d = json.loads(l)
    assert \"story\" in d and \"dup_of\" in d, d.keys()
    assert isinstance(d[\"story\"], int)
    docs[d[\"id\"]] = d
assert docs[\"A0-copy\"][\"dup_of\"] == docs[\"A0\"][\"doc_id\"], docs[\"A0-copy\"][\"dup_of\"]
assert docs[\"A1-wire\"][\"dup_of\"] == docs[\"A1\"][\"doc_id\"], docs[\"A1-wire\"][\"dup_of\"]
assert sum(1 for d in docs.values() if d[\"dup_of\"]) == 2
"'

"$CLI" stories --db "$DB" --json >"$T/stories.json"
check "stories --json: valid lines, all keys, most recent first" 'python3 -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 4, len(rows)
for r in rows:
    assert set(r) == {\"id\", \"headline\", \"articles\", \"duplicates\", \"outlets\", \"first_seen\", \"last_seen\", \"doc_id\"}, r
last = [r[\"last_seen\"] for r in rows]
assert last == sorted(last, reverse=True), last
a = [r for r in rows if r[\"articles\"] == 6][0]
assert a[\"duplicates\"] == 2 and a[\"outlets\"] >= 4 and \"Kellford\" in a[\"headline\"], a
assert a[\"first_seen\"].startswith(\"2024-03-03\")
" "$T/stories.json"'

"$CLI" stories --db "$DB" >"$T/stories.txt"
check "stories: a table with a header and one row per story" '[ "$(wc -l <"$T/stories.txt")" = 5 ] && head -1 "$T/stories.txt" | grep -q "STORY.*FIRST SEEN.*LAST SEEN.*ARTICLES.*OUTLETS.*HEADLINE"'
check "stories --limit 2" '[ "$("$CLI" stories --db "$DB" --json --limit 2 | wc -l)" = 2 ]'
check "stories --since keeps the stories seen since" '[ "$("$CLI" stories --db "$DB" --json --since 2024-03-05 | wc -l)" = 2 ]'
check "stories: bad --since is a usage error" '"$CLI" stories --db "$DB" --since yesterdayish 2>/dev/null; [ $? = 2 ]'

A=$(python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["articles"] == 6][0]["id"])' "$T/stories.json")
"$CLI" story --db "$DB" "$A" >"$T/story.txt"
check "story ID: headline, counts, outlets" 'grep -q "^articles   6 (2 duplicates) from" "$T/story.txt" && grep -q "OUTLET.*DATE.*ID.*TITLE" "$T/story.txt"'
check "story ID: duplicates folded under their original" 'python3 -c "
import sys
rows = [l.rstrip() for l in open(sys.argv[1])]
rows = rows[rows.index(next(r for r in rows if r.startswith(\"OUTLET\"))) + 1:]
dups = [i for i, r in enumerate(rows) if \"= \" in r]
assert len(dups) == 2, rows
for i in dups:
    assert i > 0 and \"= \" not in rows[i - 1] or i > 1, rows
" "$T/story.txt"'
check "story ID --json: valid, documents with their duplicates" '"$CLI" story --db "$DB" --json "$A" | python3 -c "
import json, sys
s = json.load(sys.stdin)
assert s[\"articles\"] == 6 and len(s[\"documents\"]) == 4, s
d = {x[\"id\"]: x for x in s[\"documents\"]}
assert [c[\"id\"] for c in d[\"A0\"][\"duplicates\"]] == [\"A0-copy\"]
assert [c[\"id\"] for c in d[\"A1\"][\"duplicates\"]] == [\"A1-wire\"]
"'
check "story: missing id exits 1, bad id 2" '"$CLI" story --db "$DB" 99999 2>/dev/null; a=$?; "$CLI" story --db "$DB" abc 2>/dev/null; b=$?; [ $a$b = 12 ]'
A0=$("$CLI" export --db "$DB" | python3 -c 'import json,sys; print([d["doc_id"] for d in map(json.loads, sys.stdin) if d["id"] == "A0"][0])')
check "show: the story line" '"$CLI" show --db "$DB" "$A0" | grep -q "^story      $A: Kellford"'
check "show --json: story and dup_of" '"$CLI" show --db "$DB" --json A0-copy | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"story\"] == $A and d[\"dup_of\"] == $A0"'

# ---- recluster -------------------------------------------------------------------------
snap() { "$CLI" export --db "$1" | python3 -c 'import json,sys; [print(d["doc_id"], d["id"], d["story"], d["dup_of"]) for d in map(json.loads, sys.stdin)]'; "$CLI" stories --db "$1" --json --limit 1000; }
"$CLI" recluster --db "$DB" >"$T/rc1.out" 2>&1
check "recluster exits 0 with a summary" '[ $? = 0 ] && grep -q "^15 documents in .* s: 4 stories, 2 duplicates" "$T/rc1.out"'
snap "$DB" >"$T/rc1"
"$CLI" recluster --db "$DB" >/dev/null 2>&1
snap "$DB" >"$T/rc2"
check "recluster twice: the same stories and ids" 'cmp -s "$T/rc1" "$T/rc2"'
check "recluster keeps the events apart" 'groups "$DB" | diff -q "$T/want1" - >/dev/null'

# ---- the same input, other thread counts --------------------------------------------------
for j in 1 4; do
    "$CLI" ingest --db "$T/j$j.db" -j $j --batch 3 "$T/part1.jsonl" >/dev/null 2>&1
    "$CLI" export --db "$T/j$j.db" | python3 -c 'import json,sys; [print(d["doc_id"], d["id"], d["story"], d["dup_of"]) for d in map(json.loads, sys.stdin)]' >"$T/j$j"
done
check "the same ids and stories with 1 and 4 threads" 'cmp -s "$T/j1" "$T/j4"'

# ---- a second run goes on where the first stopped ----------------------------------------
"$CLI" ingest --db "$T/j1.db" "$T/part2.jsonl" >/dev/null 2>&1
check "second run exits 0" '[ $? = 0 ]'
groups "$T/j1.db" >"$T/groups2"
check "later articles join the story of the first run; a new event starts one" 'grep -qx "A0 A0-copy A1 A1-wire A2 A3 A4 A5" "$T/groups2" && grep -qx "E0 E1" "$T/groups2" && [ "$(wc -l <"$T/groups2")" = 5 ]'
check "the state was saved" 'python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert c.execute(\"SELECT count(*) FROM cluster_items\").fetchone()[0] > 0
assert c.execute(\"SELECT count(*) FROM cluster_saved\").fetchone()[0] == 1
assert c.execute(\"SELECT count(*) FROM cluster_log\").fetchone()[0] == 0
assert c.execute(\"SELECT count(*) FROM documents WHERE story_id IS NULL\").fetchone()[0] == 0
" "$T/j1.db"'
# The state lost: the engine is restored from the store.
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM cluster_saved'); c.commit()" "$T/j4.db"
"$CLI" ingest --db "$T/j4.db" "$T/part2.jsonl" >/dev/null 2>&1
check "without the saved state the engine is restored from the store" 'groups "$T/j4.db" | diff -q "$T/groups2" - >/dev/null'

# ---- the seeds -------------------------------------------------------------------------------
if [ -d "$SHARED/seeds" ]; then
    "$CLI" ingest --db "$T/seeds.db" "$SHARED/seeds" >/dev/null 2>&1
    "$CLI" stories --db "$T/seeds.db" >"$T/seeds.txt"
    cat "$T/seeds.txt" | sed 's/^/# /'
    check "seeds: 2022 and 2025 Xi-Putin articles in different stories, the three Alaska articles in one of their own" 'python3 -c "
import json, subprocess, sys
cli, db = sys.argv[1], sys.argv[2]
docs = [json.loads(l) for l in subprocess.check_output([cli, \"export\", \"--db\", db]).decode().splitlines()]
pages = [d for d in docs if not d[\"parent\"]]
embedded = [d for d in docs if d[\"parent\"]]
assert len(pages) == 2 and len(embedded) == 3, (len(pages), len(embedded))
assert pages[0][\"story\"] != pages[1][\"story\"]
alaska = {d[\"story\"] for d in embedded}
assert len(alaska) == 1, alaska
assert not alaska & {p[\"story\"] for p in pages}
assert all(\"Putin\" in d[\"title\"] for d in docs)
" "$CLI" "$T/seeds.db"'
else
    echo "# skip: $SHARED/seeds is absent"
fi

exit $fail
