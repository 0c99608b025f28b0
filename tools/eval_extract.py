#!/usr/bin/env python3
"""Score `newsdesk extract` on ../shared/bench/extract (HTML pages and their
flattened-text dumps) with the benchmark's own score.py.

usage: eval_extract.py NEWSDESK SHARED_DIR [--out DIR] [--mode html|text|both]
                       [--floor-html F] [--floor-text F] [--per-doc]

Runs the CLI once per mode over all pages (one process, --no-furniture, so
each page is read on its own), writes <id>.txt predictions, scores them and
prints a table.  Exits 1 when a figure is below its floor, 77 when the
benchmark data is absent.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def run_mode(cli, bench, mode, out, per_doc):
    src = os.path.join(bench, mode)
    files = sorted(f for f in os.listdir(src) if f.endswith('.html' if mode == 'html' else '.txt'))
    paths = [os.path.join(src, f) for f in files]
    os.makedirs(out, exist_ok=True)
    t0 = time.monotonic()
    p = subprocess.run([cli, 'extract', '--format', 'jsonl', '--no-furniture'] + paths,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    dt = time.monotonic() - t0
    got = 0
    for line in p.stdout.decode('utf8').splitlines():
        d = json.loads(line)
        i = os.path.basename(d['source']).rsplit('.', 1)[0]
        with open(os.path.join(out, i + '.txt'), 'w', encoding='utf8') as f:
            f.write(d.get('text') or '')
        got += 1
    errs = [l for l in p.stderr.decode('utf8', 'replace').splitlines() if l.strip()]
    args = [sys.executable, os.path.join(bench, 'score.py'), out, '--json']
    if per_doc:
        args += ['--per-doc', os.path.join(out, 'per-doc.tsv')]
    s = subprocess.run(args, stdout=subprocess.PIPE, check=True)
    m = json.loads(s.stdout)
    m['pages_s'] = len(paths) / dt if dt > 0 else 0.0
    m['errors'] = errs
    m['pages'] = len(paths)
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('cli')
    ap.add_argument('shared')
    ap.add_argument('--out')
    ap.add_argument('--mode', default='both')
    ap.add_argument('--floor-html', type=float, default=0.0)
    ap.add_argument('--floor-text', type=float, default=0.0)
    ap.add_argument('--per-doc', action='store_true')
    a = ap.parse_args()
    bench = os.path.join(a.shared, 'bench', 'extract')
    if not os.path.isfile(os.path.join(bench, 'score.py')):
        print(f'eval_extract: {bench} not found: skipping extraction scores')
        return 77
    out = a.out or tempfile.mkdtemp(prefix='nd-eval-')
    modes = ['html', 'text'] if a.mode == 'both' else [a.mode]
    floors = {'html': a.floor_html, 'text': a.floor_text}
    print('extraction (bench/extract, word 4-gram P/R/F1, one process, start-up included)')
    print(f"{'input':<8}{'pages':>6}{'P':>8}{'R':>8}{'F1':>8}{'floor':>8}{'pages/s':>10}{'failed':>8}")
    bad = 0
    for mode in modes:
        m = run_mode(a.cli, bench, mode, os.path.join(out, mode), a.per_doc)
        ok = m['f1'] >= floors[mode]
        bad += not ok
        print(f"{mode:<8}{m['pages']:>6}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}"
              f"{floors[mode]:>8.3f}{m['pages_s']:>10.0f}{len(m['errors']):>8}" + ('' if ok else '  BELOW FLOOR'))
        for e in m['errors'][:5]:
            print('   ', e)
    print(f'predictions in {out}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
