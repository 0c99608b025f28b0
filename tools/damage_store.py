#!/usr/bin/env python3
"""Run every newsdesk command on damaged copies of a store.

    damage_store.py CLI STORE [--rounds 20] [--first 0] [--seed 1] [--pages DIR]
                    [--timeout 60]

A store's file is input too.  Each round copies STORE (checkpointed
first, so the copy is the whole store), damages some of its pages - a
half to 1/512 of them, chosen from the seed: random bytes under a B-tree
page's type, bytes of the header and the cell pointers, bytes anywhere,
a cell count past the page - and runs the reading commands on the copy,
then `ingest` of DIR's pages (when given), `recluster` and `reanalyze`.
Each command must end with its output or a one-line error: a signal, a
timeout or a sanitizer report (with an ASan/UBSan build of CLI) is a
failure, and the copy is kept as damaged-SEED-ROUND.db in the current
folder.  Exit status: 0 when no command failed, 1 otherwise.

STORE is only read.  Session 16 ran it on a 300-document store (450
rounds in all, release and ASan + UBSan builds); what it found is in
docs/architecture.md ("A damaged store").
"""
import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("cli")
ap.add_argument("store")
ap.add_argument("--rounds", type=int, default=20)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--first", type=int, default=0, help="the first round (to replay one)")
ap.add_argument("--pages", help="a folder of pages for the ingest step")
ap.add_argument("--timeout", type=float, default=60.0)
a = ap.parse_args()
cli = os.path.abspath(a.cli)

work = tempfile.mkdtemp(prefix="nd_damage.")
base_path = os.path.join(work, "base.db")
src = sqlite3.connect("file:%s?mode=ro" % os.path.abspath(a.store), uri=True)
dst = sqlite3.connect(base_path)
src.backup(dst)  # the whole store, its log included, into one file
dst.close()
c = sqlite3.connect("file:%s?mode=ro" % base_path, uri=True)
page = c.execute("PRAGMA page_size").fetchone()[0]
one = lambda sql, d: (c.execute(sql).fetchone() or (d,))[0]
story = one("SELECT id FROM stories ORDER BY n_docs DESC LIMIT 1", 1)
doc = one("SELECT id FROM documents LIMIT 1", 1)
actor = one("SELECT code FROM actors WHERE code GLOB '[A-Z][A-Z][A-Z]*' LIMIT 1", "USA")
name = one("SELECT name FROM actors WHERE name GLOB '[A-Za-z]*' LIMIT 1", "Donald Trump")
c.close()
base = open(base_path, "rb").read()
pages = len(base) // page

cmds = [["search", "said"], ["search", "the", "--json"], ["search", "said", "--since", "2020-01-01"],
        ["stories"], ["story", str(story)], ["actor", actor], ["actor", name], ["actors"], ["stats"],
        ["events"], ["quotes"], ["quotes", "--by", actor], ["relations", "USA", "CHN"],
        ["show", str(doc)], ["export"], ["errors"], ["digest"]]
if a.pages:
    cmds.append(["ingest", "-q", os.path.abspath(a.pages)])
cmds += [["recluster"], ["reanalyze"]]

failed = 0
db = os.path.join(work, "d.db")
for r in range(a.first, a.first + a.rounds):
    rnd = random.Random(a.seed * 100000 + r)
    b = bytearray(base)
    every = rnd.choice([2, 8, 32, 128, 512])
    for p in range(2, pages + 1):  # page 1 holds the header and the schema's root
        if rnd.randrange(every):
            continue
        o = (p - 1) * page
        mode = rnd.randrange(4)
        if mode == 0:
            b[o:o + page] = bytes(rnd.randrange(256) for _ in range(page))
            b[o] = rnd.choice([2, 5, 10, 13])
        elif mode == 1:
            for _ in range(24):
                b[o + rnd.randrange(64)] = rnd.randrange(256)
        elif mode == 2:
            for _ in range(16):
                b[o + rnd.randrange(page)] = rnd.randrange(256)
        else:
            b[o + 3] = 0xFF
            b[o + 4] = rnd.randrange(256)
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.unlink(f)
    with open(db, "wb") as f:
        f.write(b)
    kept = None
    for cmd in cmds:
        try:
            p = subprocess.run([cli, cmd[0], "--db", db] + cmd[1:], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=a.timeout)
            rc, err = p.returncode, p.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired:
            rc, err = "timeout", ""
        bad = rc == "timeout" or rc < 0 or rc >= 128 or "Sanitizer" in err or "runtime error" in err
        lines = [l for l in err.splitlines() if l.strip()]
        if not bad and rc != 0 and len(lines) != 1:
            bad = True  # a failure is one line on stderr
        if bad:
            failed += 1
            if not kept:
                kept = "damaged-%d-%d.db" % (a.seed, r)
                with open(kept, "wb") as f:
                    f.write(b)
            print("FAIL round %d: %s: %s %s (copy: %s)" % (r, " ".join(cmd), rc,
                  " / ".join(lines[-3:])[:300], kept), flush=True)
print("%d rounds, %d commands each: %d failed" % (a.rounds, len(cmds), failed))
shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failed else 0)
