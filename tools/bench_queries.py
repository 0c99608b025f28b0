#!/usr/bin/env python3
"""Time the reading commands of `newsdesk` on a store.

    bench_queries.py CLI DB [--runs 5] [--actor USA] [--person "Donald Trump"]
                     [--other CHN] [--word said] [--cold]

Each command runs --runs times on DB (output thrown away); printed per
command: the median wall time and the median CPU time (user + sys of the
process) in milliseconds, as a Markdown table.  --cold: before each run
the store's file (and its -wal) is dropped from the system's page cache
(posix_fadvise DONTNEED: no root needed), so each run reads the pages
it needs from the disk, as the first query on a store not read lately
does; the table then also gives the slowest cold run.  Wall time on a shared
machine follows the load; CPU time is the figure to compare.  The store
is only read (a store of an older newsdesk is migrated by the first
command: run one before timing).
"""
import argparse
import os
import resource
import statistics
import subprocess
import time

ap = argparse.ArgumentParser()
ap.add_argument("cli")
ap.add_argument("db")
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--actor", default="USA", help="a frequent actor (a code prefix)")
ap.add_argument("--person", default="Donald Trump", help="an actor by name")
ap.add_argument("--other", default="CHN", help="the other side of relations")
ap.add_argument("--word", default="said", help="a common word for search")
ap.add_argument("--cold", action="store_true",
                help="drop the store from the page cache before each run")
a = ap.parse_args()


def drop(db):
    for f in (db, db + "-wal"):
        if os.path.exists(f):
            fd = os.open(f, os.O_RDONLY)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            os.close(fd)


queries = [
    ["actor", a.actor], ["actor", a.person], ["actors"], ["stats"], ["events"],
    ["events", "--actor", a.actor], ["quotes"], ["quotes", "--by", a.actor],
    ["quotes", "--by", a.person], ["relations", a.actor, a.other], ["stories"],
    ["story", "1"], ["show", "1"], ["search", a.word], ["errors"],
]
if a.cold:
    print("| query | cold wall ms | slowest cold ms | CPU ms |")
    print("|---|---:|---:|---:|")
else:
    print("| query | wall ms | CPU ms |")
    print("|---|---:|---:|")
for q in queries:
    walls, cpus = [], []
    for _ in range(a.runs):
        if a.cold:
            drop(a.db)
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([a.cli] + q + ["--db", a.db], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        t1 = time.perf_counter()
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append((t1 - t0) * 1000)
        cpus.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
    name = " ".join('"%s"' % w if " " in w else w for w in q)
    if a.cold:
        print("| `%s` | %.0f | %.0f | %.0f |" % (name, statistics.median(walls), max(walls),
                                                statistics.median(cpus)), flush=True)
    else:
        print("| `%s` | %.0f | %.0f |" % (name, statistics.median(walls),
                                          statistics.median(cpus)), flush=True)
