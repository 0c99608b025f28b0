#!/usr/bin/env bash
# test_analysis_seeds.sh CLI SHARED TESTS - issue 5's acceptance on the seed
# pages: after `newsdesk ingest ../shared/seeds` into a fresh store,
# `newsdesk relations RUS CHN` lists the 2022 virtual meeting and the 2025
# Moscow visit and joint statement with cooperative codes, and
# `newsdesk quotes --by "Xi Jinping"` lists his quotations from both pages.
# Skipped when ../shared is absent.
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$2
if [ ! -d "$SHARED/seeds" ]; then
    echo "skip: $SHARED/seeds not found"
    exit 77
fi
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
T=$(mktemp -d /tmp/nd_analysis_seeds.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export NEWSDESK_DB="$T/seeds.db"
fail=0
"$CLI" ingest "$SHARED/seeds" >"$T/ingest.out" || { echo "not ok - ingest"; exit 1; }
"$CLI" relations RUS CHN --json >"$T/r.json" || { echo "not ok - relations"; exit 1; }
"$CLI" quotes --by "Xi Jinping" --json >"$T/q.jsonl" || { echo "not ok - quotes"; exit 1; }
"$CLI" extract "$SHARED/seeds/daily8-friends-of-steel-2025.txt" >"$T/x.json" ||
    { echo "not ok - extract"; exit 1; }

# `extract` analyses the embedded articles too (issue 9): each related item
# with a text of its own carries actors, quotes and events whose offsets
# point into that item's text; teasers carry none.
python3 - "$T/x.json" <<'EOF' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
failed = 0
def check(name, cond):
    global failed
    print(("ok - " if cond else "not ok - ") + name)
    failed += not cond
emb = [r for r in d["related"] if r.get("text") and len(r["text"]) >= 200]
check("extract: %d embedded articles" % len(emb), len(emb) == 3)
for r in emb:
    t = r["text"].encode("utf-8")
    check("embedded %r analysed" % r["title"][:40], all(k in r for k in ("actors", "quotes", "events")))
    spans = [m for a in r.get("actors", []) for m in a["mentions"]]
    spans += [e["sentence"] for e in r.get("events", [])]
    check("embedded %r offsets inside its text" % r["title"][:40],
          all(0 <= s < e <= len(t) for s, e in spans))
check("embedded articles have events", sum(len(r.get("events", [])) for r in emb) > 0)
teasers = [r for r in d["related"] if not r.get("text")]
check("%d teasers carry no analysis" % len(teasers), not any("events" in r for r in teasers))
sys.exit(1 if failed else 0)
EOF

python3 - "$T/r.json" "$T/q.jsonl" "$SHARED/seeds" <<'EOF' || fail=1
import glob, json, os, re, sys

r = json.load(open(sys.argv[1]))
quotes = [json.loads(l) for l in open(sys.argv[2])]
seeds = sys.argv[3]
failed = 0

def check(name, cond):
    global failed
    print(("ok - " if cond else "not ok - ") + name)
    failed += not cond

events = r["events"]
def find(title_word, words, codes):
    return [e for e in events
            if title_word in (e["title"] or "") and e["code"][:3] in codes
            and all(w in e["sentence"] for w in words)]

def coop(es):
    return bool(es) and all(e["quad"] in (1, 2) and e["goldstein"] > 0 for e in es)

check("relations RUS CHN: %d events" % len(events), events)
meeting = find("reaffirm", ["met virtually"], {"040", "041", "042", "043", "044", "045", "046"})
check("the 2022 virtual meeting (The Week): %s" % sorted({e["code"] for e in meeting}), coop(meeting))
visit = find("Friends of steel", ["Moscow"], {"042", "043"})
check("the 2025 Moscow visit: %s" % sorted({e["code"] for e in visit}), coop(visit))
statement = find("Friends of steel", ["joint statement"], {"030", "031", "032", "033", "034", "035", "036", "037", "038", "039", "050", "051", "057", "060", "061", "062"})
check("the 2025 joint statement: %s" % sorted({e["code"] for e in statement}), coop(statement))
check("periods count every event", sum(p["events"] for p in r["periods"]) == len(events))

def norm(s):
    s = re.sub("[\u2018\u2019\u201c\u201d'\".,]", "", s)
    return " ".join(s.lower().split())

check("quotes --by Xi Jinping: all his", quotes and all(q["speaker"] == "Xi Jinping" for q in quotes))
docs = {q["title"] for q in quotes}
check("quotes --by Xi Jinping: from both pages (%d quotations)" % len(quotes), len(docs) == 2)
got = [norm(q["text"]) for q in quotes]
for f in sorted(glob.glob(os.path.join(seeds, "*.expected.json"))):
    for q in json.load(open(f)).get("quotes", []):
        if q.get("optional") or q["speaker"] != "Xi Jinping":
            continue
        want = norm(q["text"])
        check("Xi said: %s" % q["text"][:60], any(want in g or g in want and len(g) > 20 for g in got))
sys.exit(1 if failed else 0)
EOF
exit $fail
