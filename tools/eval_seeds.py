#!/usr/bin/env python3
"""Check `newsdesk extract` on the seed pages against seeds/*.expected.json.

usage: eval_seeds.py NEWSDESK SHARED_DIR

Checks (issue 2's acceptance): title exact; body F1 >= 0.97 with the word
4-gram metric of bench/extract/score.py; no boilerplate example inside the
body; author list exact; credit exact; related: >= 10 of 11 teaser titles
(The Week), and for embedded articles each with its site, age and text
(F1 >= 0.95).  Prints a table; exits 1 on any failure, 77 when the seeds
are absent.
"""
import importlib.util
import json
import os
import subprocess
import sys


def load_scorer(shared):
    path = os.path.join(shared, 'bench', 'extract', 'score.py')
    spec = importlib.util.spec_from_file_location('nd_score', path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def f1(m, gold, pred):
    tp, fp, fn = m.tp_fp_fn(gold, pred)
    p, r = m.prec(tp, fp, fn), m.rec(tp, fp, fn)
    return 2 * p * r / (p + r) if p + r else 0.0


def main():
    cli, shared = sys.argv[1], sys.argv[2]
    seeds = os.path.join(shared, 'seeds')
    if not os.path.isdir(seeds):
        print(f'eval_seeds: {seeds} not found: skipping the seed checks')
        return 77
    m = load_scorer(shared)
    fails = 0
    rows = []
    for fn in sorted(os.listdir(seeds)):
        if not fn.endswith('.txt'):
            continue
        exp = json.load(open(os.path.join(seeds, fn[:-4] + '.expected.json'), encoding='utf8'))
        out = subprocess.run([cli, 'extract', os.path.join(seeds, fn)], stdout=subprocess.PIPE, check=True)
        got = json.loads(out.stdout)

        def check(name, ok, detail=''):
            nonlocal fails
            fails += not ok
            rows.append((fn[:28], name, 'ok' if ok else 'FAIL', detail))

        check('title', got['title'] == exp['title'], repr(got['title'])[:60])
        body_f1 = f1(m, '\n\n'.join(exp['paragraphs']), got['text'])
        check('body F1>=0.97', body_f1 >= 0.97, f'{body_f1:.3f}')
        leaked = [b for b in exp['boilerplate_examples'] if b in got['paragraphs']]
        check('no boilerplate', not leaked, '; '.join(leaked)[:60])
        check('author', got['author'] == exp['author'], repr(got['author']))
        check('credit', got['credit'] == exp['credit'], repr(got['credit']))
        check('site', got['site'] == exp['site'], repr(got['site']))
        er = exp['related']
        gt = [r.get('title') for r in got['related']]
        found = sum(1 for r in er if r['title'] in gt)
        if any('text' in r for r in er):
            ok = found == len(er)
            worst = 1.0
            for r in er:
                g = next((x for x in got['related'] if x.get('title') == r['title']), None)
                if not g:
                    worst = 0.0
                    continue
                worst = min(worst, f1(m, r['text'], g.get('text') or ''))
                ok = ok and g.get('site') == r['site'] and g.get('age') == r['age']
            check('related articles', ok and worst >= 0.95,
                  f'{found}/{len(er)} found, site+age {"ok" if ok else "wrong"}, min text F1 {worst:.3f}')
        else:
            check('related teasers', found >= len(er) - 1, f'{found}/{len(er)} titles')
    w = max(len(r[1]) for r in rows)
    print('seeds (../shared/seeds, issue 2 acceptance)')
    for r in rows:
        print(f'{r[0]:<30}{r[1]:<{w + 2}}{r[2]:<6}{r[3]}')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
