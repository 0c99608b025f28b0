#!/usr/bin/env bash
# bench_ingest.sh - end-to-end `newsdesk ingest` speed and memory.
#   tools/bench_ingest.sh [BUILD_DIR] [SHARED_DIR]     (make bench calls it)
# Builds a corpus of ND_BENCH_PAGES (default 20,000) distinct pages from
# SHARED/bench/extract/html (stories of rewritten pages: tools/gen_corpus.py),
# mixed as HTML files, WARC.gz and JSONL, in a temporary folder; ingests its
# first 5k, 10k and all 20k pages into fresh stores, then the 20k again;
# prints a table and the share of near-duplicates.  Also one row per format
# (1,000 pages each) to show where the time goes.
# Acceptance (issue 3): >= 300 pages/s, peak RSS <= 500 MB and flat,
# re-ingest adds 0 documents in <= 20% of the first run's time.
set -euo pipefail
BUILD=${1:-build}
SHARED=${2:-../shared}
HERE=$(cd "$(dirname "$0")" && pwd)
CLI=$(cd "$BUILD" && pwd)/newsdesk
SRC=$SHARED/bench/extract/html
if [ ! -d "$SRC" ]; then
    echo "bench_ingest: skipped: $SRC is absent (the benchmark pages live in ../shared)"
    exit 0
fi
[ -x "$CLI" ] || { echo "bench_ingest: $CLI is not built" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench_ingest: skipped: python3 is missing"; exit 0; }
PAGES=${ND_BENCH_PAGES:-20000}
UNIT=1000
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nd_bench_ingest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

echo "bench_ingest: generating $PAGES pages in $TMP ..."
python3 "$HERE/gen_corpus.py" "$TMP/corpus" --src "$SRC" --pages "$PAGES" --unit $UNIT --jobs 2

# run NAME DB INPUT... : ingest, print one table row; remembers the time.
run() {
    local name=$1 db=$2
    shift 2
    python3 - "$CLI" "$db" "$name" "$@" <<'EOF'
import os, re, resource, subprocess, sys, time
cli, db, name, inputs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
size = 0
for p in inputs:
    if os.path.isdir(p):
        for d, _, fs in os.walk(p):
            size += sum(os.path.getsize(os.path.join(d, f)) for f in fs)
    else:
        size += os.path.getsize(p)
t = time.monotonic()
r = subprocess.run([cli, "ingest", "--db", db] + inputs, stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, text=True)
dt = time.monotonic() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = ru.ru_maxrss / 1024
cpu = ru.ru_utime + ru.ru_stime
summary = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
# Numbers carry thousands separators; "1 new version", "2 new versions".
m = re.match(r"([\d,]+) pages? .*: ([\d,]+) stored, ([\d,]+) new versions?, ([\d,]+) related, "
             r"([\d,]+) duplicates? skipped, ([\d,]+) records? skipped, ([\d,]+) errors?", summary)
if not m:
    sys.exit("bench_ingest: %s: unexpected output: %r %r" % (name, summary, r.stderr[-500:]))
num = lambda i: int(m.group(i).replace(",", ""))
pages = num(1)
added = num(2) + num(3) + num(4)
print("%-14s %7d %7d %6s %8.1f %8.0f %7.1f %9.0f %7.1f" % (
    name, pages, added, num(7), dt, pages / dt, size / 1e6 / dt, rss, cpu), flush=True)
with open(db + ".time", "a") as f:
    f.write("%f %d\n" % (dt, added))
EOF
}

units() { ls -d "$TMP"/corpus/u* | head -n "$1"; }

echo
echo "newsdesk ingest: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU s (user + system of the ingest) shows the cost when other jobs share
# the cores and the wall-clock figures suffer.
printf '%-14s %7s %7s %6s %8s %8s %7s %9s %7s\n' corpus pages added errors seconds pages/s MB/s "RSS MB" "CPU s"
sizes=""
for n in 5000 10000 20000; do [ "$n" -le "$PAGES" ] && sizes="$sizes $n"; done
[ -n "$sizes" ] || sizes=$PAGES
for n in $sizes; do
    # shellcheck disable=SC2046
    run "$((n / 1000))k" "$TMP/s$n.db" $(units $(((n + UNIT - 1) / UNIT)))
    last=$n
done
# shellcheck disable=SC2046
run "$((last / 1000))k again" "$TMP/s$last.db" $(units $(((last + UNIT - 1) / UNIT)))
python3 - "$TMP/s$last.db.time" <<'EOF'
import sys
runs = [l.split() for l in open(sys.argv[1])]
(t1, _), (t2, added) = runs[0], runs[-1]
pct = 100 * float(t2) / float(t1)
print("re-ingest: %s documents added (want 0), %.1f s = %.0f%% of the first run's %.1f s (want <= 20%%)"
      % (added, float(t2), pct, float(t1)))
EOF
python3 - "$TMP/s$last.db" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n, d = c.execute("SELECT count(*), count(dup_of) FROM documents").fetchone()
print("corpus: %d of %d documents are near-duplicates of an earlier one (dup_of): %.1f%% (want < 10%%)"
      % (d, n, 100.0 * d / max(n, 1)))
EOF
echo
echo "per format (1,000 pages each; second run = re-ingest):"
for u in u000-html u001.warc.gz u002.jsonl; do
    [ -e "$TMP/corpus/$u" ] || continue
    run "${u#u00?[.-]}" "$TMP/f-$u.db" "$TMP/corpus/$u"
    run "${u#u00?[.-]} again" "$TMP/f-$u.db" "$TMP/corpus/$u"
done

# Where a page's CPU goes (issue 13: >= 560 pages/s on 2 cores, analysis
# included, is 3.6 ms of CPU a page at most): the same pages (the first
# three units: HTML files, WARC and JSON lines) into fresh stores with
# and without the analysis (`ingest --no-analysis`: no actors, quotations,
# events nor keywords; newsdesk reanalyze does them later), the CPU split
# by thread (`ingest --cpu`), and the pages a second the cores could give
# at that CPU a page.
echo
echo "where a page's CPU goes (the first three units, $(nproc) cores):"
printf '%-12s %6s %8s %9s %8s %8s %8s %11s\n' run pages "CPU ms" "workers" writer readers other "pages/s max"
# shellcheck disable=SC2046
for mode in full no-analysis; do
    flags=()
    [ "$mode" = no-analysis ] && flags=(--no-analysis)
    python3 - "$CLI" "$TMP/cpu-$mode.db" "$mode" "$(nproc)" "${flags[@]}" -- $(units 3) <<'EOF'
import re, subprocess, sys
cli, db, mode, cores = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rest = sys.argv[5:]
cut = rest.index("--")
flags, inputs = rest[:cut], rest[cut + 1:]
r = subprocess.run([cli, "ingest", "--cpu", "--db", db] + flags + inputs, stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, text=True)
lines = r.stdout.strip().splitlines()
m = re.match(r"([\d,]+) pages? ", lines[-1] if lines else "")
c = re.match(r"CPU: ([\d.]+) s .*: workers ([\d.]+) s, writer ([\d.]+) s, readers ([\d.]+) s, "
             r"checkpoints ([\d.]+) s, the rest ([\d.]+) s", lines[-2] if len(lines) > 1 else "")
if not m or not c:
    sys.exit("bench_ingest: %s: unexpected output: %r %r" % (mode, lines[-2:], r.stderr[-500:]))
pages = int(m.group(1).replace(",", ""))
total, work, write, read, ckpt, other = (1000 * float(x) / pages for x in c.groups())
print("%-12s %6d %8.2f %9.2f %8.2f %8.2f %8.2f %11.0f" % (
    mode, pages, total, work, write, read, ckpt + other, cores * 1000 / total))
EOF
done
