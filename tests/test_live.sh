#!/usr/bin/env bash
# test_live.sh - a live input that goes quiet ends a run for the stories
# and the keywords while the run goes on (ingest --idle-ms): a crawler's
# pipe, held open, gets its pages re-examined as the end of a run would,
# its word counts saved and the pages after scored against the store as
# it is then, and the store matches runs that ended there.
#   bash test_live.sh CLI SHARED_DIR TESTS_DIR
# The pages are tools/gen_corpus.py's, from SHARED/bench/extract/html when
# present (pages whose stories the re-examination changes), else its
# built-in pages.
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$2
TOOLS=$(cd "$3/../tools" && pwd)
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
T=$(mktemp -d /tmp/nd_live.XXXXXX)
LIVE_PID=
cleanup() {
    exec 3>&- 2>/dev/null
    [ -n "$LIVE_PID" ] && kill "$LIVE_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
python3 "$TOOLS/gen_corpus.py" "$T/in" --pages 600 --unit 200 --seed 5 \
    --src "$SHARED/bench/extract/html" --jobs 1 >/dev/null 2>&1 || { echo "not ok - corpus"; exit 1; }
PAGES=$T/in/u002.jsonl # 200 pages of JSON lines
head -n 150 "$PAGES" >"$T/first.jsonl"
tail -n 50 "$PAGES" >"$T/second.jsonl"

fail=0
n=0
ok() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

# The documents, their keywords, the stories and the saved word counts,
# without what depends on how the pages came (the run, when added, the
# source's name and place in it).
digest() {
    "$CLI" export --db "$1" | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    for k in ("run", "added", "source", "line", "offset"):
        d.pop(k, None)
    print(json.dumps(d, sort_keys=True))' >"$2"
    python3 - "$1" >>"$2" <<'EOF'
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for row in c.execute("SELECT id, headline, rep_doc, first_seen, last_seen, n_docs, n_dups,"
                     " n_sites FROM stories ORDER BY id"):
    print("story", row)
for row in c.execute("SELECT doc_id, idx, phrase, kind, round(score, 6) FROM keywords"
                     " ORDER BY doc_id, idx"):
    print("keyword", row)
for row in c.execute("SELECT word, df, upto FROM word_df ORDER BY word"):
    print("word_df", row)
EOF
}

# "DOCS UNFLUSHED UPTO": the documents stored, those given to the story
# engine since its last re-examination as the saved state records them
# (- when none is saved yet), and the last document the saved word
# counts cover (- when none).
state() {
    python3 - "$1" <<'EOF'
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
try:
    docs = c.execute("SELECT count(*) FROM documents").fetchone()[0]
    row = c.execute("SELECT unflushed FROM cluster_saved").fetchone()
    upto = c.execute("SELECT max(upto) FROM word_df").fetchone()[0]
    print(docs, row[0] if row else "-", "-" if upto is None else upto)
except sqlite3.Error:
    print("0 - -")
EOF
}

# Start a live ingest reading a pipe that fd 3 holds open.
live_start() {
    rm -f "$T/fifo"
    mkfifo "$T/fifo"
    "$CLI" ingest -q --db "$1" "${@:2}" - <"$T/fifo" >"$T/live.out" 2>&1 &
    LIVE_PID=$!
    exec 3>"$T/fifo"
}

live_end() {
    exec 3>&-
    wait "$LIVE_PID"
    local rc=$?
    LIVE_PID=
    return $rc
}

# Wait (at most 120 s) until the store's state matches the pattern $2.
wait_state() {
    local i
    for ((i = 0; i < 600; i++)); do
        # shellcheck disable=SC2053
        [[ "$(state "$1")" == $2 ]] && return 0
        kill -0 "$LIVE_PID" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# A bad --idle-ms: a usage error of one line naming it, nothing read.
for bad in abc -5 1e3 ""; do
    "$CLI" ingest -q --db "$T/bad.db" --idle-ms "$bad" "$PAGES" >"$T/bad.out" 2>&1
    rc=$?
    ok "$([ $rc = 2 ] && [ "$(grep -c -- "--idle-ms" "$T/bad.out")" = 1 ] && [ ! -e "$T/bad.db" ] &&
        echo 0 || echo 1)" "--idle-ms '$bad': exit $rc, $(head -1 "$T/bad.out")"
done

"$CLI" ingest -q --db "$T/clean.db" "$PAGES" >/dev/null 2>&1 || { echo "not ok - clean run"; exit 1; }
digest "$T/clean.db" "$T/clean.txt"
ok "$([ "$(state "$T/clean.db")" = "200 0 200" ] && echo 0 || echo 1)" \
    "a run of 200 pages ends with them re-examined and counted ($(state "$T/clean.db"))"

# 1. The pipe stays open: after a second of quiet the 200 pages are
# re-examined and their words' counts saved, and the store is the clean
# run's.
live_start "$T/live.db" --idle-ms 1000
cat "$PAGES" >&3
wait_state "$T/live.db" "200 0 200"
ok $? "a quiet pipe, still open: 200 pages re-examined and counted ($(state "$T/live.db"))"
kill -0 "$LIVE_PID" 2>/dev/null
ok $? "the run goes on"
digest "$T/live.db" "$T/live.txt"
cmp -s "$T/live.txt" "$T/clean.txt"
ok $? "the documents, keywords, stories and word counts of a run that ended there"
live_end
ok $? "the run ends well when the pipe closes: $(cat "$T/live.out")"
digest "$T/live.db" "$T/live.txt"
cmp -s "$T/live.txt" "$T/clean.txt"
ok $? "... and its end changes nothing"

# 2. --idle-ms 0: no re-examination until the end of the run.
live_start "$T/never.db" --idle-ms 0
cat "$PAGES" >&3
wait_state "$T/never.db" "200 *"
ok $? "--idle-ms 0: the pages are stored ($(state "$T/never.db"))"
sleep 2
read -r docs unflushed upto <<<"$(state "$T/never.db")"
ok "$([ "$docs" = 200 ] && [ "$unflushed" != 0 ] && [ "$upto" = - ] && echo 0 || echo 1)" \
    "--idle-ms 0: not re-examined nor counted while the pipe is open ($(state "$T/never.db"))"
live_end
ok $? "--idle-ms 0: the run ends well"
ok "$([ "$(state "$T/never.db")" = "200 0 200" ] && echo 0 || echo 1)" \
    "--idle-ms 0: re-examined and counted at the end ($(state "$T/never.db"))"

# 3. Two bursts with a pause between them: the store of two runs, one
# for each burst (the second, 50 pages, too few for a re-examination, but
# its keywords are scored against the first's 150 documents, and the
# saved counts are those two runs leave).
"$CLI" ingest -q --db "$T/two.db" "$T/first.jsonl" >/dev/null 2>&1 &&
    "$CLI" ingest -q --db "$T/two.db" "$T/second.jsonl" >/dev/null 2>&1 || { echo "not ok - two runs"; exit 1; }
digest "$T/two.db" "$T/two.txt"
live_start "$T/bursts.db" --idle-ms 1000
cat "$T/first.jsonl" >&3
wait_state "$T/bursts.db" "150 0 150"
ok $? "the first burst re-examined and counted ($(state "$T/bursts.db"))"
cat "$T/second.jsonl" >&3
wait_state "$T/bursts.db" "200 0 200"
ok $? "the second burst stored and counted ($(state "$T/bursts.db"))"
live_end
ok $? "the run ends well"
digest "$T/bursts.db" "$T/bursts.txt"
cmp -s "$T/bursts.txt" "$T/two.txt"
ok $? "two bursts give the documents, keywords, stories and word counts of two runs"
if cmp -s "$T/two.txt" "$T/clean.txt"; then
    echo "# (these pages: two runs give the stories of one)"
else
    echo "# (these pages: two runs give other stories than one)"
fi
echo "1..$n"
exit $fail
