#!/usr/bin/env bash
# test_crash.sh - SIGKILL an ingest at random moments, at least 20 times,
# running it again after each kill: every time the database passes
# PRAGMA integrity_check (and the FTS index its own check), every stored
# document has a story and the story rows match their documents, and at
# the end every page is stored exactly once.  Then the same inputs twice:
# one run never killed, and runs killed at random moments at least 10
# times until one completes: the two stores export the same documents in
# the same stories (ids, duplicates, story rows).
#   bash test_crash.sh CLI SHARED_DIR TESTS_DIR   (ND_CRASH_SEED=N to replay)
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$3
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
T=$(mktemp -d /tmp/nd_crash.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
SEED=${ND_CRASH_SEED:-$$}
RANDOM=$SEED
echo "# seed $SEED (ND_CRASH_SEED=$SEED to replay)"
DB="$T/crash.db"

check_db() {
    python3 - "$DB" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
r = c.execute("PRAGMA integrity_check").fetchall()
if r != [("ok",)]:
    sys.exit("integrity_check: %r" % r[:5])
# Killed before the first migration step committed: no table yet (the
# next run creates them).
if not c.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone():
    sys.exit(0)
# A kill between two migration steps leaves an older schema, which the
# next run migrates: check the full-text indexes that exist.
for fts in ("documents_fts", "quotes_fts", "actor_names"):
    if not c.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (fts,)).fetchone():
        continue
    try:
        c.execute("INSERT INTO %s(%s) VALUES('integrity-check')" % (fts, fts))
    except sqlite3.DatabaseError as e:
        sys.exit("%s integrity-check: %s" % (fts, e))
# A kill before the schema, or before the stories step, was made: nothing
# stored yet, or no stories to check (the next run makes them).
cols = [r[1] for r in c.execute("PRAGMA table_info(documents)")]
if not cols:
    sys.exit(0)
twice = c.execute("SELECT ident, count(*) FROM documents GROUP BY ident HAVING count(*) > 1").fetchall()
if twice:
    sys.exit("stored twice: %r" % twice[:5])
# Every actor's words in actor_names (schema step 13, written at each
# commit), once: the actors a killed transaction added are in neither.
if c.execute("SELECT 1 FROM sqlite_master WHERE name = 'actor_names'").fetchone():
    import re
    want = set()
    for i, n in c.execute("SELECT id, name FROM actors"):
        for w in re.findall(rb"[A-Za-z0-9]+", n.encode()):
            want.add((w[:127].lower().decode(), i))
    c.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, actor_names, instance)")
    have = c.execute("SELECT term, doc FROM temp.v").fetchall()
    if set(have) != want or len(have) != len(set(have)):
        sys.exit("actor_names: %d words, want %d" % (len(have), len(want)))
# Stories: every committed document has one, every story row matches its documents.
if "story_id" not in cols:
    sys.exit(0)
lost = c.execute("SELECT count(*) FROM documents WHERE story_id IS NULL").fetchone()[0]
if lost:
    sys.exit("%d documents without a story" % lost)
bad = c.execute("SELECT count(*) FROM stories t WHERE n_docs !="
                " (SELECT count(*) FROM documents d WHERE d.story_id = t.id)").fetchone()[0]
orphans = c.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS"
                    " (SELECT 1 FROM stories t WHERE t.id = d.story_id)").fetchone()[0]
if bad or orphans:
    sys.exit("stories out of step: %d rows with wrong counts, %d documents in no story row" % (bad, orphans))
EOF
}

pages=0
add_pages() { # add_pages N: N more pages, as HTML files and JSON lines
    python3 "$TESTS/gen_store_fixtures.py" "$T/in" --pages "$1" --start "$pages" --seed 5 --size 5000 || exit 1
    pages=$((pages + $1))
    # A JSONL file of its own per batch: 50 more pages.
    python3 "$TESTS/gen_store_fixtures.py" "$T/tmp" --pages 0 --jsonl 50 --start "$pages" --seed 5 --size 5000 || exit 1
    mv "$T/tmp/feed.jsonl" "$T/in/feed-$pages.jsonl"
    pages=$((pages + 50))
}
add_pages 700

kills=0
runs=0
fail=0
while [ $kills -lt 20 ] && [ $runs -lt 120 ]; do
    runs=$((runs + 1))
    "$CLI" ingest --db "$DB" -j 2 --batch 20 "$T/in" >"$T/run.out" 2>"$T/run.err" &
    pid=$!
    # 5 to 400 ms: from before the database exists to the middle of a batch.
    ms=$((5 + RANDOM % 396))
    sleep "$(printf '0.%03d' "$ms")"
    if kill -9 $pid 2>/dev/null; then
        wait $pid 2>/dev/null
        rc=$?
        if [ $rc = 137 ]; then
            kills=$((kills + 1))
        fi
    else
        wait $pid
        rc=$?
        if [ $rc != 0 ]; then
            echo "not ok - run $runs ended with $rc"; cat "$T/run.err"; fail=1
        fi
        # It finished before the kill: give the next runs more to do.
        add_pages 250
    fi
    if [ -e "$DB" ]; then
        if ! msg=$(check_db 2>&1); then
            echo "not ok - after kill $kills at ${ms} ms: $msg"
            fail=1
            break
        fi
    fi
done
echo "# $runs runs, $kills killed mid-run, $pages pages"
if [ $kills -ge 20 ]; then echo "ok - killed at least 20 times"; else echo "not ok - only $kills kills"; fail=1; fi
[ $fail = 0 ] && echo "ok - integrity_check after every kill"

# Finish the job, then count.
"$CLI" ingest --db "$DB" "$T/in" >"$T/last.out" 2>"$T/last.err"
rc=$?
if [ $rc = 0 ]; then echo "ok - the last run completes"; else echo "not ok - last run: $rc"; cat "$T/last.err"; fail=1; fi
if python3 - "$DB" "$pages" <<'EOF'
import re, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
want = int(sys.argv[2])
assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
titles = [t for (t,) in c.execute("SELECT title FROM documents")]
nums = sorted(int(re.match(r"Page (\d+):", t).group(1)) for t in titles)
assert nums == list(range(want)), "missing %s, twice %s" % (
    sorted(set(range(want)) - set(nums))[:10],
    sorted(n for n in set(nums) if nums.count(n) > 1)[:10])
# Every page findable exactly once through the index.
for n in range(0, want, 97):
    k = c.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?", ("tok%dx2" % n,)).fetchone()[0]
    assert k == 1, (n, k)
killed = c.execute("SELECT count(*) FROM ingest_runs WHERE status = 'running'").fetchone()[0]
assert c.execute("SELECT count(*) FROM documents WHERE story_id IS NULL").fetchone()[0] == 0
stories = c.execute("SELECT count(*) FROM stories").fetchone()[0]
assert stories > 0 and c.execute("SELECT sum(n_docs) FROM stories").fetchone()[0] == want
print("# %d pages stored once each, in %d stories; %d runs left as killed" % (want, stories, killed))
EOF
then echo "ok - every page stored exactly once"; else echo "not ok - pages lost or stored twice"; fail=1; fi

# Kill and resume against a clean run: the same inputs, the same stories.
python3 "$TESTS/gen_store_fixtures.py" "$T/same" --pages 600 --jsonl 50 --seed 7 --size 3000 || exit 1
t0=$(date +%s%N)
"$CLI" ingest --db "$T/clean.db" -j 2 --batch 10 "$T/same" >/dev/null 2>"$T/clean.err" ||
    { echo "not ok - the clean run failed"; cat "$T/clean.err"; exit 1; }
wall=$((($(date +%s%N) - t0) / 1000000))
# Each run is killed once it has committed a batch, at a random moment
# within a fifteenth of the clean run's time after that: ten kills in
# the middle of the work, then a run that completes.
DB="$T/killed.db"
if python3 - "$CLI" "$DB" "$T/same" "$wall" "$SEED" <<'EOF'
import os, random, signal, sqlite3, subprocess, sys, time
cli, db, inputs, wall, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
def stored():
    if not os.path.exists(db):
        return 0
    try:
        c = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=5)
        try:
            return c.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            c.close()
    except sqlite3.Error:
        return 0  # no table yet
cmd = [cli, "ingest", "--db", db, "-j", "2", "--batch", "10", inputs]
kills, counts = 0, []
while kills < 10 and len(counts) < 40:
    before = stored()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while p.poll() is None and stored() <= before:
        time.sleep(0.02)
    time.sleep(rng.uniform(0, wall / 15000))
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
    rc = p.wait()
    counts.append(stored())
    if rc == -signal.SIGKILL:
        kills += 1
    else:
        break
print("# clean run %d ms; documents after each kill: %s" % (wall, " ".join(map(str, counts))))
if kills < 10:
    sys.exit("only %d kills before a run completed" % kills)
EOF
then echo "ok - killed 10 times in the middle of the work"; else echo "not ok - fewer than 10 kills"; fail=1; fi
"$CLI" ingest --db "$DB" -j 2 --batch 10 "$T/same" >/dev/null 2>"$T/run.err" ||
    { echo "not ok - the run after the kills failed"; cat "$T/run.err"; fail=1; }
if python3 - "$CLI" "$T/clean.db" "$DB" <<'EOF'
import json, sqlite3, subprocess, sys
def dump(db):
    out = subprocess.run([sys.argv[1], "export", "--db", db], capture_output=True, text=True,
                         check=True).stdout
    docs = []
    for line in out.splitlines():
        d = json.loads(line)
        del d["run"], d["added"]  # which run stored it, and when
        docs.append(d)
    rows = sqlite3.connect(db).execute("SELECT id, headline, rep_doc, first_seen, last_seen, n_docs,"
                                       " n_dups, n_sites FROM stories ORDER BY id").fetchall()
    return docs, rows
(a, sa), (b, sb) = dump(sys.argv[2]), dump(sys.argv[3])
moved = [(x["doc_id"], x["story"], y["story"]) for x, y in zip(a, b) if x != y]
print("# %d documents, %d stories; %d documents differ, %d story rows differ" % (
    len(a), len(sa), len(moved) + abs(len(a) - len(b)), len(set(sa) ^ set(sb))))
if len(a) != len(b) or moved or sa != sb:
    sys.exit("first differences (doc, clean story, killed story): %r" % moved[:5])
EOF
then echo "ok - after the kills the same documents in the same stories as a clean run"; else echo "not ok - the stories differ from a clean run's"; fail=1; fi
exit $fail
