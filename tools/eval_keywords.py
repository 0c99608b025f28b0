#!/usr/bin/env python3
"""eval_keywords.py - the keywords of a store's first run against those the
same store gives once it counts its documents.

usage: tools/eval_keywords.py BUILD_DIR SHARED_DIR [--floor F]

A run scores keywords against the document frequencies of the store it
began with, so a first run into an empty store (a bulk import) counts
none; what it has instead is the word-rarity prior (docs/architecture.md,
"Keywords").  For the real news articles of ECB+ and GVC
(bench/cluster/*_dev.jsonl: id, title, text and published only), each
corpus is ingested into a fresh store and its keywords read; then
`newsdesk reanalyze --all` scores them again against the store's counts of
the whole corpus, and the two are compared: the share of the reference's
first K keywords (K = 3, 5, 10; case-folded) among the first run's first
K, averaged over the documents.  Printed per corpus, and on 5 fixed slices
of each (documents by a hash of their id): the mean and the worst slice.

Exits 1 when the first-10 figure of a corpus (the whole corpus) is below
--floor (default 0.82: issue 13, a first bulk run's keywords; without the
prior the figures were 0.793 and 0.678), 77 (skipped) with a message when
the bench data is absent.
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import zlib

CORPORA = ('ecbplus', 'gvc')
KS = (3, 5, 10)
N_SLICES = 5


def keywords(db):
    """ext_id -> the document's keywords, best first, lower case."""
    con = sqlite3.connect(db)
    out = {}
    rows = con.execute('SELECT d.ext_id, k.phrase FROM keywords k JOIN documents d ON d.id = k.doc_id '
                       'ORDER BY k.doc_id, k.idx')
    for ext, phrase in rows:
        out.setdefault(ext, []).append(phrase.lower())
    con.close()
    return out


def overlap(ref, got, k):
    a = set(ref[:k])
    return len(a & set(got[:k])) / len(a) if a else None


def run(cli, args):
    p = subprocess.run([cli] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode:
        sys.exit('eval_keywords: %s %s failed: %s' % (cli, ' '.join(args), p.stderr.decode()[-300:]))


def main():
    args = sys.argv[1:]
    floor = 0.82
    if '--floor' in args:
        i = args.index('--floor')
        floor = float(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    build, shared = args
    cli = os.path.join(build, 'newsdesk')
    bench = os.path.join(shared, 'bench', 'cluster')
    if not all(os.path.isfile(os.path.join(bench, c + '_dev.jsonl')) for c in CORPORA):
        print('eval_keywords: skipped: %s/{ecbplus,gvc}_dev.jsonl not found' % bench, file=sys.stderr)
        return 77
    print('keywords of a first run against the store\'s own counts (overlap of the first K)')
    print('%-8s %5s  %s' % ('corpus', 'docs', '  '.join('@%-2d all  mean worst' % k for k in KS)))
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        for c in CORPORA:
            src = os.path.join(tmp, c + '.jsonl')
            with open(os.path.join(bench, c + '_dev.jsonl'), encoding='utf-8') as f, \
                    open(src, 'w', encoding='utf-8') as o:
                for line in f:
                    if line.strip():
                        d = json.loads(line)
                        o.write(json.dumps({k: d[k] for k in ('id', 'title', 'text', 'published') if k in d}) + '\n')
            db = os.path.join(tmp, c + '.db')
            run(cli, ['ingest', '-q', '--db', db, src])
            first = keywords(db)
            run(cli, ['reanalyze', '-q', '--all', '--db', db])
            ref = keywords(db)
            cells = []
            whole10 = None
            for k in KS:
                by_slice = [[] for _ in range(N_SLICES)]
                for ext, r in ref.items():
                    v = overlap(r, first.get(ext, []), k)
                    if v is not None:
                        by_slice[zlib.crc32(ext.encode('utf-8')) % N_SLICES].append(v)
                every = [v for s in by_slice for v in s]
                means = [sum(s) / len(s) for s in by_slice if s]
                whole = sum(every) / len(every) if every else 0.0
                if k == 10:
                    whole10 = whole
                cells.append('%.3f %.3f %.3f' % (whole, sum(means) / len(means) if means else 0.0,
                                                  min(means) if means else 0.0))
            print('%-8s %5d  %s' % (c, len(ref), '  '.join(cells)))
            if whole10 is None or whole10 < floor:
                print('eval_keywords: %s: first 10 %.3f below the floor %.2f' % (c, whole10 or 0.0, floor))
                status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
