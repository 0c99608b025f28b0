#!/usr/bin/env python3
"""eval_parse.py - score CoNLL-U parses with the CoNLL 2018 shared task measures.

    eval_parse.py GOLD.conllu PRED.conllu [--json] [--slices]

Words are aligned by their characters, as the CoNLL 2018 evaluation does:
the non-space characters of the gold and predicted files must be the same
text; a word matches when it covers the same characters.  Within a gold
multiword token ("don't" = do + n't) the words are placed by their forms
when they spell the token, else matched in order by form.  Reported:
Tokens/Words/Sentences F1 (segmentation), UPOS, UAS, LAS (on universal
relations: "nsubj:pass" counts as "nsubj"), as F1 over aligned words (on
gold tokens these equal accuracy).  --slices adds the same per genre, the
prefix of each document's "# newdoc id" (answers, email, ...).
"""
import json
import sys


def read_conllu(path):
    """Sentences as dicts: words (form, upos, head, deprel), tokens, doc."""
    sents = []
    doc = ''
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        lines = []
        for raw in f:
            line = raw.rstrip('\n').rstrip('\r')
            if line.strip():
                lines.append(line)
                continue
            if lines:
                s, doc = parse_sent(lines, doc)
                sents.append(s)
                lines = []
        if lines:
            s, doc = parse_sent(lines, doc)
            sents.append(s)
    return sents


def parse_sent(lines, doc):
    words, tokens = [], []
    mwt_end = 0
    for line in lines:
        if line.startswith('#'):
            c = line[1:].strip()
            if c.startswith('newdoc'):
                v = c.split('=', 1)[1].strip() if '=' in c else ''
                doc = v.split('-', 1)[0] if v else ''
            continue
        cols = line.split('\t')
        if len(cols) != 10:
            raise ValueError('bad line: %r' % line)
        idx = cols[0]
        if '.' in idx:
            continue
        if '-' in idx:
            a, b = idx.split('-')
            tokens.append({'form': cols[1], 'first': len(words), 'n': int(b) - int(a) + 1})
            mwt_end = int(b)
            continue
        head = int(cols[6]) if cols[6] != '_' else 0
        words.append({'form': cols[1], 'upos': cols[3], 'head': head - 1,
                      'deprel': cols[7].split(':')[0]})
        if int(idx) > mwt_end:
            tokens.append({'form': cols[1], 'first': len(words) - 1, 'n': 1})
    return {'words': words, 'tokens': tokens, 'doc': doc}, doc


def char_spans(sents):
    """Give each word and token its character span in the space-free text."""
    pos = 0
    text = []
    for si, s in enumerate(sents):
        s['start'] = pos
        for t in s['tokens']:
            form = ''.join(t['form'].split())
            t['span'] = (pos, pos + len(form))
            ws = s['words'][t['first']:t['first'] + t['n']]
            joined = ''.join(''.join(w['form'].split()) for w in ws)
            if t['n'] == 1 or joined == form:
                p = pos
                for w in ws:
                    f = ''.join(w['form'].split())
                    w['span'] = (p, p + len(f))
                    w['mwt'] = None
                    p += len(f)
            else:
                for w in ws:
                    w['span'] = t['span']
                    w['mwt'] = t['span']
            text.append(form)
            pos += len(form)
        s['end'] = pos
    return ''.join(text)


def flatten(sents):
    out = []
    for si, s in enumerate(sents):
        base = len(out)
        for w in s['words']:
            w['gi'] = len(out)
            w['sent'] = si
            out.append(w)
        for w in s['words']:
            w['head_gi'] = -1 if w['head'] < 0 else base + w['head']
    return out


def align(gold, pred):
    """Map predicted word index -> gold word index for words of equal span."""
    by_span = {}
    mwt_words = {}
    for w in gold:
        if w.get('mwt'):
            mwt_words.setdefault(w['mwt'], []).append(w)
        else:
            by_span[w['span']] = w['gi']
    m = {}
    used = set()
    for w in pred:
        g = by_span.get(w['span'])
        if g is not None:
            m[w['gi']] = g
    # predicted words inside a gold multiword token: match in order by form
    for span, ws in mwt_words.items():
        cands = [p for p in pred if span[0] <= p['span'][0] and p['span'][1] <= span[1]]
        j = 0
        for gw in ws:
            while j < len(cands) and cands[j]['form'].lower() != gw['form'].lower():
                j += 1
            if j < len(cands) and gw['gi'] not in used:
                m[cands[j]['gi']] = gw['gi']
                used.add(gw['gi'])
                j += 1
    return m


def f1(correct, ng, np_):
    p = correct / np_ if np_ else 0.0
    r = correct / ng if ng else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold_s, pred_s, keep=None):
    """Scores over the gold sentences whose index is in keep (None = all)."""
    gold = [w for w in flatten_cache(gold_s) if keep is None or w['sent'] in keep]
    goldset = set(w['gi'] for w in gold)
    pred_all = flatten_cache(pred_s)
    m = align_cache(gold_s, pred_s)
    gw = flatten_cache(gold_s)
    if keep is None:
        pred = pred_all
    else:
        # a predicted word belongs to the slice of the gold sentence where it starts
        pred = [w for w in pred_all if gold_sent_of(gold_s, w['span'][0]) in keep]
    words = upos = uas = las = 0
    for w in pred:
        g = m.get(w['gi'])
        if g is None or g not in goldset:
            continue
        words += 1
        gg = gw[g]
        upos += w['upos'] == gg['upos']
        ph = w['head_gi']
        ph_g = m.get(ph) if ph >= 0 else -1
        if (ph < 0 and gg['head_gi'] < 0) or (ph >= 0 and ph_g is not None and ph_g == gg['head_gi']):
            uas += 1
            las += w['deprel'] == gg['deprel']
    ng, np_ = len(gold), len(pred)
    # sentences: same span
    gs = set((s['start'], s['end']) for i, s in enumerate(gold_s) if keep is None or i in keep)
    ps = set((s['start'], s['end']) for s in pred_s if keep is None or gold_sent_of(gold_s, s['start']) in keep)
    # tokens: same span
    gt = set(t['span'] for i, s in enumerate(gold_s) if keep is None or i in keep for t in s['tokens'])
    pt = set(t['span'] for s in pred_s if keep is None or gold_sent_of(gold_s, s['start']) in keep for t in s['tokens'])
    return {
        'gold_words': ng, 'pred_words': np_,
        'Tokens': 100 * f1(len(gt & pt), len(gt), len(pt)),
        'Sentences': 100 * f1(len(gs & ps), len(gs), len(ps)),
        'Words': 100 * f1(words, ng, np_),
        'UPOS': 100 * f1(upos, ng, np_),
        'UAS': 100 * f1(uas, ng, np_),
        'LAS': 100 * f1(las, ng, np_),
    }


_cache = {}


def flatten_cache(s):
    k = ('flat', id(s))
    if k not in _cache:
        _cache[k] = flatten(s)
    return _cache[k]


def align_cache(g, p):
    k = ('align', id(g), id(p))
    if k not in _cache:
        _cache[k] = align(flatten_cache(g), flatten_cache(p))
    return _cache[k]


_starts = {}


def gold_sent_of(gold_s, pos):
    k = id(gold_s)
    if k not in _starts:
        _starts[k] = [s['start'] for s in gold_s]
    import bisect
    st = _starts[k]
    i = bisect.bisect_right(st, pos) - 1
    return max(i, 0)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    gold_s = read_conllu(args[0])
    pred_s = read_conllu(args[1])
    gt = char_spans(gold_s)
    pt = char_spans(pred_s)
    if gt != pt:
        i = next((k for k in range(min(len(gt), len(pt))) if gt[k] != pt[k]), min(len(gt), len(pt)))
        print('eval_parse: the texts differ at character %d: gold %r, predicted %r'
              % (i, gt[i:i + 20], pt[i:i + 20]), file=sys.stderr)
        sys.exit(1)
    res = {'all': score(gold_s, pred_s)}
    if '--slices' in sys.argv:
        genres = sorted(set(s['doc'] for s in gold_s))
        for g in genres:
            keep = set(i for i, s in enumerate(gold_s) if s['doc'] == g)
            res[g] = score(gold_s, pred_s, keep)
    if '--json' in sys.argv:
        print(json.dumps(res))
        return
    print('%-12s %7s %7s %7s %7s %7s %7s %7s' % ('slice', 'words', 'Tokens', 'Sents', 'Words',
                                                 'UPOS', 'UAS', 'LAS'))
    for k, r in res.items():
        print('%-12s %7d %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f' % (
            k, r['gold_words'], r['Tokens'], r['Sentences'], r['Words'], r['UPOS'], r['UAS'], r['LAS']))


if __name__ == '__main__':
    main()
