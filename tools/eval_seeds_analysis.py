#!/usr/bin/env python3
"""eval_seeds_analysis.py - quotations and events of the seed pages against
the team's own complete reading of them (tests/data/seeds_analysis.json).

usage: tools/eval_seeds_analysis.py CLI SHARED [--enforce] [-v]

Runs `newsdesk extract` on ../shared/seeds/*.txt; every document (the
article and each embedded article, named by the start of its title) is
scored on its own.

Quotations: an attributed prediction (not scare, with a speaker or a
source) is correct when its content (with a partial quotation's reported
clause) overlaps a reading's content (each reading taken once; of the
readings it overlaps, one with its speaker first, then one not optional,
then the largest overlap) and its speaker is the reading's speaker, one of
its aliases or the same surname.  Precision over the predictions, recall over
the readings not marked optional.

Events: a prediction (source and target cut to 3 characters, the 2-digit
CAMEO root) is correct when the reading of its document has that triple
not yet taken; a second event for a triple already taken counts as a
wrong one (an event counted twice).  Precision over the predictions.

Floors (issue 9): quotations P >= 0.90 and R >= 0.85, events P >= 0.80;
with --enforce a figure below them exits 1.  Exits 77 when the seeds are
absent.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
READING = os.path.join(HERE, '..', 'tests', 'data', 'seeds_analysis.json')
FLOORS = {'quote_p': 0.90, 'quote_r': 0.85, 'event_p': 0.80}
TITLES = set('mr mrs ms dr president prime minister the a an of'.split())


def norm(name):
    words = re.findall(r"[\w']+", (name or '').lower().replace("'s ", ' '))
    return ' '.join(w for w in words if w not in TITLES)


def same_speaker(pred, gold):
    p = norm(pred)
    if not p:
        return False
    names = [gold['speaker']] + gold.get('aliases', [])
    for n in names:
        g = norm(n)
        if p == g:
            return True
        # the same person by surname ("Putin" for "Vladimir Putin")
        if gold.get('type') and ' ' in g and p.split()[-1] == g.split()[-1] and \
                len(p.split()) <= 2:
            return True
    return False


def char_spans(text, spans):
    """UTF-8 byte spans -> character spans of text."""
    b = text.encode('utf-8')
    out = []
    for s, e in spans:
        out.append((len(b[:s].decode('utf-8', 'replace')), len(b[:e].decode('utf-8', 'replace'))))
    return out


def locate(text, needle, where):
    i = text.find(needle)
    if i < 0:
        raise SystemExit('eval_seeds_analysis: %s: not in the text: %r' % (where, needle))
    return (i, i + len(needle))


def overlap(a, b):
    return min(a[1], b[1]) - max(a[0], b[0])


def documents(cli, path):
    out = subprocess.run([cli, 'extract', path], stdout=subprocess.PIPE, check=True).stdout
    art = json.loads(out)
    docs = {'': art}
    for r in art.get('related', []):
        if r.get('text') and 'events' in r:
            docs[r['title'] or ''] = r
    return docs


def find_doc(docs, prefix):
    if prefix == '':
        return docs['']
    for title, d in docs.items():
        if title and title.startswith(prefix):
            return d
    return None


def score_doc(doc, reading, where, verbose):
    text = doc.get('text') or ''
    res = {'qp': 0, 'qok': 0, 'qg': 0, 'qfound': 0, 'ep': 0, 'eok': 0}
    golds = []
    for g in reading['quotes']:
        golds.append((g, locate(text, g['content'], where)))
    taken = set()
    for q in doc.get('quotes', []):
        if q.get('scare') or not (q.get('speaker') or q.get('source')):
            continue
        res['qp'] += 1
        # a partial quotation's reported clause is what it reports
        spans = char_spans(text, (q.get('content') or []) + ([q['clause']] if q.get('clause') else []))
        # of the readings it overlaps: one with its speaker first, then one
        # not optional, then the largest overlap
        best, bkey = None, None
        for k, (g, rng) in enumerate(golds):
            if k in taken:
                continue
            o = max((overlap(s, rng) for s in spans), default=0)
            if o <= 0:
                continue
            key = (same_speaker(q.get('speaker') or '', g), not g.get('optional'), o)
            if bkey is None or key > bkey:
                best, bkey = k, key
        ok = best is not None and same_speaker(q.get('speaker') or '', golds[best][0])
        if ok:
            taken.add(best)
            res['qok'] += 1
            if not golds[best][0].get('optional'):
                res['qfound'] += 1
        if verbose and not ok:
            why = 'no reading' if best is None else 'speaker %r, reading %r' % (
                q.get('speaker'), golds[best][0]['speaker'])
            print('  wrong quote (%s): %s' % (why, (q.get('text') or '')[:90]))
    res['qg'] = sum(1 for g, _ in golds if not g.get('optional'))
    if verbose:
        for k, (g, _) in enumerate(golds):
            if k not in taken and not g.get('optional'):
                print('  missed quote (%s): %s' % (g['speaker'], g['content'][:90]))
    ev = reading['events']
    for g in ev:
        locate(text, g['evidence'], where)
    used = set()
    for e in doc.get('events', []):
        res['ep'] += 1
        key = ((e.get('source') or '')[:3], (e.get('target') or '')[:3], (e.get('code') or '')[:2])
        hit = None
        for k, g in enumerate(ev):
            if k not in used and (g['source'], g['target'], g['root']) == key:
                hit = k
                break
        if hit is not None:
            used.add(hit)
            res['eok'] += 1
        elif verbose:
            s = e.get('sentence') or [0, 0]
            sent = text.encode('utf-8')[s[0]:s[1]].decode('utf-8', 'replace')
            print('  wrong event %s %s %s: %s' % (key[0], key[1], e.get('code'), sent[:90]))
    return res


def ratio(a, b):
    return a / b if b else 1.0


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('-')]
    enforce = '--enforce' in sys.argv
    verbose = '-v' in sys.argv
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cli, shared = args[0], args[1]
    seeds = os.path.join(shared, 'seeds')
    if not os.path.isdir(seeds):
        print('eval_seeds_analysis: skipped: %s not found' % seeds, file=sys.stderr)
        return 77
    reading = json.load(open(READING, encoding='utf-8'))
    pages = {}
    tot = {'qp': 0, 'qok': 0, 'qg': 0, 'qfound': 0, 'ep': 0, 'eok': 0}
    print('\nSeeds: quotations and events against tests/data/seeds_analysis.json')
    print('%-48s %5s %6s %6s %6s %6s' % ('document', 'quot', 'qP', 'qR', 'events', 'eP'))
    for r in reading['docs']:
        page = r['page']
        if page not in pages:
            pages[page] = documents(cli, os.path.join(seeds, page))
        doc = find_doc(pages[page], r['doc'])
        where = '%s %s' % (page, r['doc'] or '(article)')
        if doc is None:
            print('%-48s not found' % where[:48])
            tot['qg'] += sum(1 for g in r['quotes'] if not g.get('optional'))
            continue
        if verbose:
            print(where)
        s = score_doc(doc, r, where, verbose)
        for k in tot:
            tot[k] += s[k]
        print('%-48s %5d %6.2f %6.2f %6d %6.2f' % (where[:48], s['qp'], ratio(s['qok'], s['qp']),
                                                 ratio(s['qfound'], s['qg']), s['ep'],
                                                 ratio(s['eok'], s['ep'])))
    qp, qr, ep = ratio(tot['qok'], tot['qp']), ratio(tot['qfound'], tot['qg']), \
        ratio(tot['eok'], tot['ep'])
    print('%-48s %5d %6.2f %6.2f %6d %6.2f   floors qP>=%.2f qR>=%.2f eP>=%.2f' % (
        'all', tot['qp'], qp, qr, tot['ep'], ep, FLOORS['quote_p'], FLOORS['quote_r'],
        FLOORS['event_p']))
    below = qp < FLOORS['quote_p'] or qr < FLOORS['quote_r'] or ep < FLOORS['event_p']
    if below:
        print('seeds analysis: below the floors' + ('' if enforce else ' (not yet enforced)'))
    return 1 if below and enforce else 0


if __name__ == '__main__':
    sys.exit(main())
