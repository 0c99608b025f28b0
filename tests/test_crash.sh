#!/usr/bin/env bash
# test_crash.sh - SIGKILL an ingest at random moments, at least 20 times,
# running it again after each kill: every time the database passes
# PRAGMA integrity_check (and the FTS index its own check), every stored
# document has a story and the story rows match their documents, and at
# the end every page is stored exactly once.
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
for fts in ("documents_fts", "quotes_fts"):
    if not c.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (fts,)).fetchone():
        continue
    try:
        c.execute("INSERT INTO %s(%s) VALUES('integrity-check')" % (fts, fts))
    except sqlite3.DatabaseError as e:
        sys.exit("%s integrity-check: %s" % (fts, e))
twice = c.execute("SELECT ident, count(*) FROM documents GROUP BY ident HAVING count(*) > 1").fetchall()
if twice:
    sys.exit("stored twice: %r" % twice[:5])
# Stories (schema step 3 on): every committed document has one, every
# story row matches its documents.  A kill before step 3 committed leaves
# no story_id yet (seen under ASan on a loaded machine).
if c.execute("PRAGMA user_version").fetchone()[0] < 3:
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
exit $fail
