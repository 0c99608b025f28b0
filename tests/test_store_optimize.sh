#!/usr/bin/env bash
# test_store_optimize.sh - newsdesk optimize and ingest's rewrite policy:
# the command leaves one segment per full-text index and the same search
# results (ranks and scores); a large run into a store rewrites the
# indexes, a small one and --no-optimize do not; a SIGKILL during
# optimize leaves a store that opens and passes PRAGMA integrity_check and
# each index's own 'integrity-check'.
#   bash test_store_optimize.sh CLI SHARED_DIR TESTS_DIR   (ND_OPT_SEED=N to replay)
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$3
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
T=$(mktemp -d /tmp/nd_optimize.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
SEED=${ND_OPT_SEED:-$$}
RANDOM=$SEED
echo "# seed $SEED (ND_OPT_SEED=$SEED to replay)"
fail=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fail=1; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# segments DB: "documents_fts quotes_fts actor_names" segment counts
segments() {
    python3 - "$1" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(" ".join(str(c.execute("SELECT count(DISTINCT segid) FROM %s_idx" % t).fetchone()[0])
               for t in ("documents_fts", "quotes_fts", "actor_names")))
EOF
}
# check_db DB: exits non-zero with a message when the store is damaged
check_db() {
    python3 - "$1" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
r = c.execute("PRAGMA integrity_check").fetchall()
if r != [("ok",)]:
    sys.exit("integrity_check: %r" % r[:5])
for fts in ("documents_fts", "quotes_fts", "actor_names"):
    try:
        c.execute("INSERT INTO %s(%s) VALUES('integrity-check')" % (fts, fts))
    except sqlite3.DatabaseError as e:
        sys.exit("%s integrity-check: %s" % (fts, e))
EOF
}
QUERIES=("council" "mayor bridge" "\"the harbour master\"" "tok5x2" "harb*" "title: rain"
         "festival OR ferry" "school NOT repairs")
searches() { # searches DB OUT: every query's JSON lines, all results
    : >"$2"
    for q in "${QUERIES[@]}"; do
        echo "## $q" >>"$2"
        "$CLI" search --db "$1" --json -n 2000 "$q" >>"$2" 2>&1
    done
}

python3 "$TESTS/gen_store_fixtures.py" "$T/in" --pages 1100 --seed 7 --size 1500 >/dev/null || exit 1
python3 "$TESTS/gen_store_fixtures.py" "$T/small" --pages 0 --jsonl 60 --start 1100 --seed 7 \
    --size 1500 >/dev/null || exit 1

# ---- a large run with --no-optimize: the segments of its commits ------------
"$CLI" ingest -q -j 2 --batch 20 --no-optimize --db "$T/a.db" "$T/in/pages" >"$T/out_a" 2>"$T/err_a"
rc=$?
check "a large run with --no-optimize exits 0" '[ $rc = 0 ] && grep -q ": 1,100 stored," "$T/out_a"'
check "--no-optimize: no rewrite in the summary" '! grep -q "rewritten" "$T/out_a"'
seg_a=$(segments "$T/a.db")
echo "# segments after the --no-optimize run: $seg_a"
check "--no-optimize: several segments left" '[ "${seg_a%% *}" -gt 1 ]'
cp "$T/a.db" "$T/kill.db"
searches "$T/a.db" "$T/search_before"
check "the searches find pages" '[ "$(grep -c "\"doc_id\"" "$T/search_before")" -gt 500 ]'

# ---- newsdesk optimize -------------------------------------------------------
"$CLI" optimize --db "$T/a.db" >"$T/out_o" 2>"$T/err_o"
rc=$?
cat "$T/out_o"
check "optimize exits 0, nothing on stderr" '[ $rc = 0 ] && [ ! -s "$T/err_o" ]'
check "optimize: one summary line" '[ "$(wc -l <"$T/out_o")" = 1 ] && grep -Eq "^full-text indexes rewritten in [0-9]+\.[0-9]{2} s \(1,100 documents\): documents_fts [0-9]+ -> 1 segments?, quotes_fts [0-9]+ -> [01] segments?, actor_names [0-9]+ -> 1 segments?$" "$T/out_o"'
check "optimize: the summary's segments before are the store's" 'grep -q "documents_fts ${seg_a%% *} -> 1 " "$T/out_o"'
seg=$(segments "$T/a.db")
check "optimize: one segment per index ($seg)" '[ "$seg" = "1 1 1" ] || [ "$seg" = "1 0 1" ]'
check "optimize: the store passes its checks" 'check_db "$T/a.db"'
searches "$T/a.db" "$T/search_after"
check "optimize: the same search results, ranked and scored the same" 'cmp -s "$T/search_before" "$T/search_after"'
"$CLI" optimize --db "$T/a.db" >"$T/out_o2"
check "optimize again: one segment to one" 'grep -q "documents_fts 1 -> 1 segment," "$T/out_o2"'
"$CLI" optimize --db "$T/none.db" >"$T/out_n" 2>"$T/err_n"
rc=$?
check "optimize: no store: exit 1, one line" '[ $rc = 1 ] && [ "$(wc -l <"$T/err_n")" = 1 ] && [ ! -e "$T/none.db" ]'
echo "not a database" >"$T/bad.db"
"$CLI" optimize --db "$T/bad.db" >"$T/out_b" 2>"$T/err_b"
rc=$?
check "optimize: not a store: exit 1, one line" '[ $rc = 1 ] && [ "$(wc -l <"$T/err_b")" = 1 ] && grep -q "not a newsdesk database" "$T/err_b"'
"$CLI" optimize --db "$T/a.db" extra >/dev/null 2>"$T/err_u"
check "optimize: an argument is a usage error" '[ $? = 2 ]'

# ---- ingest's policy ---------------------------------------------------------
"$CLI" ingest -q -j 2 --batch 20 --db "$T/b.db" "$T/in/pages" >"$T/out_b1" 2>"$T/err_b1"
rc=$?
cat "$T/out_b1"
check "a large run into a new store rewrites the indexes" '[ $rc = 0 ] && grep -Eq "; full-text indexes rewritten in [0-9]+\.[0-9]{2} s$" "$T/out_b1"'
seg=$(segments "$T/b.db")
check "after the large run: one segment per index ($seg)" '[ "$seg" = "1 1 1" ] || [ "$seg" = "1 0 1" ]'
check "after the large run: the store passes its checks" 'check_db "$T/b.db"'
searches "$T/b.db" "$T/search_b"
check "after the large run: the same search results as optimize's" 'cmp -s "$T/search_before" "$T/search_b"'
"$CLI" ingest -q -j 2 --db "$T/b.db" "$T/small/feed.jsonl" >"$T/out_b2" 2>"$T/err_b2"
rc=$?
cat "$T/out_b2"
check "a small run does not rewrite" '[ $rc = 0 ] && grep -q ": 60 stored," "$T/out_b2" && ! grep -q "rewritten" "$T/out_b2"'
seg=$(segments "$T/b.db")
check "after the small run: its own segment ($seg)" '[ "${seg%% *}" -gt 1 ]'

# ---- SIGKILL during optimize -------------------------------------------------
# A fresh copy of the unoptimized store each time, killed at moments spread
# over the optimize's time (from the process's start to its close's
# checkpoint); then it opens, passes its checks, and holds either the old
# segments (killed before the commit) or one per index (after it).
t0=$(date +%s%N)
cp "$T/kill.db" "$T/k.db"
"$CLI" optimize --db "$T/k.db" >/dev/null
ms=$((($(date +%s%N) - t0) / 1000000))
[ $ms -ge 10 ] || ms=10
echo "# optimize of the copy: $ms ms"
kills=0 before=0 after=0
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    rm -f "$T/k.db" "$T/k.db-wal" "$T/k.db-shm"
    cp "$T/kill.db" "$T/k.db"
    "$CLI" optimize --db "$T/k.db" >/dev/null 2>&1 &
    pid=$!
    d=$(((i - 1) * ms / 12 + RANDOM % (ms / 12 + 1) + 1))
    sleep "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))"
    if kill -9 $pid 2>/dev/null; then
        wait $pid 2>/dev/null
        [ $? = 137 ] && kills=$((kills + 1))
    else
        wait $pid
    fi
    if ! msg=$(check_db "$T/k.db" 2>&1); then
        bad "after a kill at $d ms: $msg"
        continue
    fi
    seg=$(segments "$T/k.db")
    if [ "$seg" = "$seg_a" ]; then
        before=$((before + 1))
    elif [ "$seg" = "1 1 1" ] || [ "$seg" = "1 0 1" ]; then
        after=$((after + 1))
    else
        bad "after a kill at $d ms: segments $seg, neither $seg_a nor one each"
    fi
    if ! "$CLI" stats --db "$T/k.db" >/dev/null 2>"$T/err_k"; then
        bad "after a kill at $d ms: stats fails: $(cat "$T/err_k")"
    fi
done
echo "# $kills of 12 optimizes killed: $before stores as before, $after rewritten"
check "killed during optimize at least 4 times" '[ $kills -ge 4 ]'
"$CLI" optimize --db "$T/k.db" >"$T/out_k" 2>&1
check "after the kills: optimize completes" 'grep -q "documents_fts [0-9]* -> 1 segment" "$T/out_k"'
check "after the kills: the same search results" 'searches "$T/k.db" "$T/search_k"; cmp -s "$T/search_before" "$T/search_k"'

exit $fail
