#!/usr/bin/env bash
# test_resume.sh - kill an ingest at random moments with SIGKILL, resume it
# each time, and compare the end with a clean run of the same inputs: the
# same documents, the same stories and duplicates (`newsdesk export`), the
# same story rows (`stories`: headline, first and last seen, counts).  The
# README promises "the same inputs always give the same stories".
#   bash test_resume.sh CLI SHARED_DIR TESTS_DIR
# The corpus is tools/gen_corpus.py's, from SHARED/bench/extract/html when
# present (else its built-in pages).  In CI: ND_RESUME_PAGES (2,000) pages,
# ND_RESUME_TRIALS (1) trial of ND_RESUME_KILLS (10) kills (two trials of 6
# took 323 s under ASan at load 10 and passed the 600 s limit at load 17).
# ND_RESUME_LONG=1: 20,000 pages, 3 trials of 10 kills (run it yourself).
# ND_RESUME_SEED=N replays the kill times.
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$2
TOOLS=$(cd "$3/../tools" && pwd)
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
if [ -n "${ND_RESUME_LONG:-}" ]; then
    PAGES=${ND_RESUME_PAGES:-20000}; TRIALS=${ND_RESUME_TRIALS:-3}; KILLS=${ND_RESUME_KILLS:-10}
else
    PAGES=${ND_RESUME_PAGES:-2000}; TRIALS=${ND_RESUME_TRIALS:-1}; KILLS=${ND_RESUME_KILLS:-10}
fi
T=$(mktemp -d /tmp/nd_resume.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
SEED=${ND_RESUME_SEED:-$$}
RANDOM=$SEED
echo "# seed $SEED (ND_RESUME_SEED=$SEED to replay), $PAGES pages, $TRIALS trials of $KILLS kills"
python3 "$TOOLS/gen_corpus.py" "$T/in" --pages "$PAGES" --unit $(((PAGES + 5) / 6)) --seed 3 \
    --src "$SHARED/bench/extract/html" --gzip --jobs 2 2>/dev/null || { echo "not ok - corpus"; exit 1; }

fail=0
# What must not depend on how the run was cut: the export without the run
# and the time each document was added, and the story rows without the
# time they were written.
digest() {
    "$CLI" export --db "$1" | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    d.pop("run", None); d.pop("added", None)
    print(json.dumps(d, sort_keys=True))' >"$2"
    python3 - "$1" >>"$2" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for row in c.execute("SELECT id, headline, rep_doc, first_seen, last_seen, n_docs, n_dups,"
                     " n_sites FROM stories ORDER BY id"):
    print("story", row)
EOF
}

start=$(date +%s.%N)
"$CLI" ingest --db "$T/clean.db" -j 2 "$T/in" >"$T/clean.out" 2>&1 || { echo "not ok - clean run"; cat "$T/clean.out"; exit 1; }
secs=$(python3 -c "import sys; print(max(0.5, float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
digest "$T/clean.db" "$T/clean.txt"
echo "# clean run: $(tail -1 "$T/clean.out")"
echo "# $(grep -c '^story' "$T/clean.txt") stories"

# A trial's kills are spread over the part of its run still to do (the
# clean run's time scaled by the documents not yet stored), so a run
# resumed on a quieter machine than the clean run's is still cut; a trial
# that ends with fewer kills than asked is followed by another (at most
# two more than ND_RESUME_TRIALS), and all of them are compared.
done_docs() {
    python3 -c 'import sqlite3, sys
try:
    print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM documents").fetchone()[0])
except Exception:
    print(0)' "$1"
}
total=0
trial=0
while [ $trial -lt "$TRIALS" ] || { [ $total -lt "$KILLS" ] && [ $trial -lt $((TRIALS + 2)) ]; }; do
    trial=$((trial + 1))
    db="$T/killed$trial.db"
    kills=0
    runs=0
    while [ $kills -lt "$KILLS" ] && [ $runs -lt $((KILLS * 4)) ]; do
        runs=$((runs + 1))
        "$CLI" ingest --db "$db" -j 2 "$T/in" >"$T/run.out" 2>&1 &
        pid=$!
        # Anywhere in the part of the run still to do: its kills spread
        # over the whole ingest, first page to final save.
        ms=$(python3 -c "import sys; s, r, k, d, n = sys.argv[1:6]; left = max(0.05, 1 - int(d) / int(n)); print(int(float(s) * left * 1000 * (0.05 + 1.2 * int(r) / 32768) / int(k)))" \
            "$secs" "$RANDOM" "$((KILLS - kills))" "$(done_docs "$db")" "$PAGES")
        sleep "$(python3 -c "print($ms / 1000)")"
        if kill -9 $pid 2>/dev/null; then
            wait $pid 2>/dev/null
            [ $? = 137 ] && kills=$((kills + 1))
        else
            wait $pid
            rc=$?
            [ $rc = 0 ] || { echo "not ok - trial $trial: run $runs ended with $rc"; cat "$T/run.out"; fail=1; }
            break
        fi
    done
    "$CLI" ingest --db "$db" -j 2 "$T/in" >"$T/last.out" 2>&1 || { echo "not ok - trial $trial: the last run"; cat "$T/last.out"; fail=1; }
    total=$((total + kills))
    digest "$db" "$T/killed$trial.txt"
    if cmp -s "$T/clean.txt" "$T/killed$trial.txt"; then
        echo "ok - trial $trial: killed $kills times, resumed: the same documents, stories and story rows as the clean run"
    else
        echo "not ok - trial $trial: killed $kills times, resumed: differs from the clean run"
        diff "$T/clean.txt" "$T/killed$trial.txt" | head -5 | cut -c1-300 | sed 's/^/# /'
        python3 - "$T/clean.db" "$db" <<'EOF' | sed 's/^/# /'
import sqlite3, sys
a, b = (sqlite3.connect(p) for p in sys.argv[1:3])
sa = dict(a.execute("SELECT id, story_id FROM documents"))
sb = dict(b.execute("SELECT id, story_id FROM documents"))
print("stories %d vs %d; documents grouped differently: %d" % (
    a.execute("SELECT count(*) FROM stories").fetchone()[0],
    b.execute("SELECT count(*) FROM stories").fetchone()[0],
    sum(1 for k in sa if sb.get(k) != sa[k])))
EOF
        fail=1
    fi
done
if [ "$total" -ge 10 ]; then
    echo "ok - $total kills in all"
else
    echo "not ok - only $total kills (want 10)"
    fail=1
fi
exit $fail
