#!/usr/bin/env python3
"""Score `newsdesk extract` on ../shared/bench/extract-multi (499 pages of
trafilatura's multilingual evaluation set) with the set's own score.py
(trafilatura's metric), in slices by language, page type and half, and
score the metadata (title, date, author) against its `meta` gold.

usage: eval_extract_multi.py NEWSDESK SHARED_DIR [--out DIR] [--half all|dev|held]
         [--part all|text|meta] [--floor-html F] [--floor-type F]
         [--floor-date F] [--floor-author F] [--text] [--per-page] [--show-meta N]

Slices (fixed rules of this script, not of newsdesk; documented so that the
figures can be reproduced):
  language   the language of the gold segments and gold title, by stop-word
             counts (de, en, es, fr, pl, it, pt), else the page's declared
             language (html lang, og:locale), else other.
  page type  from the page's URL and markup, first rule that holds:
             forum: DiscussionForumPosting/QAPage markup, a path segment
               forum(s)/foren/viewtopic/showthread/thread(s)/topic/discussion,
               a forum.* host, or user reviews (trustpilot /reviews/);
             recipe/product: Recipe markup, Product markup outside a review,
               a path segment recipe(s)/rezept(e)/receita(s)/receta(s)/przepis/
               product(s)/produkt(e), or a shop.* host;
             other: home pages, about/imprint/privacy/legal/contact/terms
               segments, wikis, lexicons, docs;
             blog: blog/wordpress/blogspot/hypotheses in the host, a blog
               segment, BlogPosting markup, or a WordPress generator without
               NewsArticle markup;
             news: the rest.
  half       dev / held: the held-back half is every page whose sha1(id) starts
             with 8-f.  Tune on dev; look at held only to confirm.

Metadata measures (pages whose gold has the field, non-empty):
  title      exact: equal after normalisation (NFKC, case folded, quotes and
             dashes unified, white space collapsed, trailing punctuation
             dropped); token F1: mean over pages of the F1 of the word tokens.
  date       accuracy: the YYYY-MM-DD of `published` (as printed, i.e. in the
             page's own time zone) equals the gold date; a missing date is wrong.
  author     names: gold split at ';', ',', ' and '/' und '/' & '/' et '/' y ',
             a leading By/Von/Par/Por dropped; a predicted name is right when
             it equals a gold name after normalisation; micro P/R/F1 over the
             pages with a gold author.  Also token F1 (micro over word tokens).

Exits 1 when a floor is not met (--floor-html, --floor-date, --floor-author, a
page with prose and no text), 3 when only a page type is below --floor-type (a
target tools/eval.sh prints without failing), 77 when the data is absent.
"""
import argparse
import collections
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata

TYPES = ['news', 'blog', 'forum', 'recipe/product', 'other']

STOP = {
    'de': 'der die das und ist nicht mit sich auf für den dem ein eine auch wird sind von zu im '
          'werden nach bei oder wie über noch aus hat dass wir ich es sie'.split(),
    'en': 'the and is are was were of to in that for with this on it by be have has from as at '
          'not you your they will which'.split(),
    'es': 'el la los las de que y en un una por con para es del al se no su como más pero '
          'sus le ya o fue este ha'.split(),
    'fr': 'le la les de des et est un une du que qui dans pour pas sur au avec ce il elle '
          'sont par plus ont été'.split(),
    'pl': 'i w nie na się z do to że jest o jak po od za przez ale czy jego tak dla być '
          'ich już'.split(),
    'it': 'il la di che e è un una per non del della con sono gli le da al nel anche '
          'si più'.split(),
    'pt': 'o a os as de que e do da em um uma para com não no na por mais dos das se '
          'foi ao'.split(),
}


def load_score(bench):
    spec = importlib.util.spec_from_file_location('nd_multi_score', os.path.join(bench, 'score.py'))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def detect_lang(text, html_lang):
    words = re.findall(r'\w+', text.lower())
    best, best_n = None, 0
    for lang, sw in STOP.items():
        s = set(sw)
        n = sum(1 for w in words if w in s)
        if n > best_n:
            best, best_n = lang, n
    if best and best_n >= 2:
        return best
    if html_lang and html_lang[:2].lower() in STOP:
        return html_lang[:2].lower()
    return 'other'


def page_type(item, html):
    url = (item.get('url') or item['key'] or '').lower()
    url = re.sub(r'^https?://web\.archive\.org/web/\d+/', '', url)
    m = re.match(r'^[a-z]*://([^/?#]+)([^?#]*)', url)
    host, path = (m.group(1), m.group(2) or '/') if m else ('', '')
    labels = re.split(r'[.-]', host)
    segs = [re.sub(r'\.(html?|php|aspx?)$', '', x) for x in path.split('/') if x]
    head = html[:400000]
    ld = set(re.findall(r'"@type"\s*:\s*\[?\s*"([A-Za-z]+)"', head))
    # Product as the page's subject, not as the item a review is about.
    product = 'Product' in ld and 'Review' not in ld and 'NewsArticle' not in ld
    gen = re.search(r'<meta[^>]+name=["\']generator["\'][^>]*content=["\']([^"\']+)', head, re.I)
    gen = gen.group(1).lower() if gen else ''
    if (ld & {'DiscussionForumPosting', 'QAPage'} or
            set(segs) & {'forum', 'forums', 'foren', 'viewtopic', 'showthread', 'thread', 'threads',
                         'topic', 'discussion'} or
            any(l.startswith(('forum', 'foren')) for l in labels[:1]) or
            (host.endswith('trustpilot.com') and 'reviews' in segs)):
        return 'forum'
    if ('Recipe' in ld or product or
            set(segs) & {'recipe', 'recipes', 'rezept', 'rezepte', 'receita', 'receitas', 'receta',
                         'recetas', 'przepis', 'product', 'products', 'produkt', 'produkte',
                         'produkt_kategorien'} or labels[0] == 'shop'):
        return 'recipe/product'
    if (not segs or segs[-1] in ('index', 'start') and len(segs) == 1 or
            set(segs) & {'about', 'about-us', 'ueber-uns', 'impressum', 'datenschutz', 'privacy',
                         'privacy-policy', 'legal', 'kontakt', 'contact', 'agb', 'terms', 'wiki',
                         'docs', 'submissions', 'unserverein'} or
            any('lexikon' in x for x in segs) or 'wiki' in labels or 'lexikon' in labels):
        return 'other'
    if ('blog' in host or 'wordpress' in host or 'blogspot' in host or 'hypotheses' in host or
            'blog' in segs or 'BlogPosting' in ld or
            ('wordpress' in gen and 'NewsArticle' not in ld)):
        return 'blog'
    return 'news'


def half_of(pid):
    return 'held' if hashlib.sha1(pid.encode()).hexdigest()[0] in '89abcdef' else 'dev'


# ---- metadata normalisation ------------------------------------------------

_QUOTES = str.maketrans({'\u201c': '"', '\u201d': '"', '\u201e': '"', '\u00ab': '"', '\u00bb': '"',
                         '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u2039': "'", '\u203a': "'",
                         '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u00a0': ' '})


def norm_text(s):
    s = unicodedata.normalize('NFKC', s or '').translate(_QUOTES).casefold()
    s = re.sub(r'\s+', ' ', s).strip()
    return s.rstrip(' .:;,!')


def tokens(s):
    return re.findall(r'\w+', norm_text(s))


def tok_f1(a, b):
    ta, tb = collections.Counter(tokens(a)), collections.Counter(tokens(b))
    if not ta and not tb:
        return 1.0
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


_SPLIT = re.compile(r'\s*(?:;|,|\s&\s|\s+(?:and|und|et|y|e|i)\s+)\s*', re.I)
_BY = re.compile(r'^(?:by|von|par|por|di|door|av)\s+', re.I)


def names(s):
    out = []
    for part in _SPLIT.split(s or ''):
        part = _BY.sub('', part.strip())
        n = norm_text(part)
        if n:
            out.append(n)
    return out


def run_cli(cli, paths, extra=()):
    t0 = time.monotonic()
    p = subprocess.run([cli, 'extract', '--format', 'jsonl', '--no-furniture', '--no-analysis',
                        *extra] + paths, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    dt = time.monotonic() - t0
    out = {}
    for line in p.stdout.decode('utf8').splitlines():
        d = json.loads(line)
        out[os.path.basename(d['source']).rsplit('.', 1)[0]] = d
    errs = [l for l in p.stderr.decode('utf8', 'replace').splitlines() if l.strip()]
    return out, errs, dt


def run_cli_each(cli, items, bench):
    """One process per page, with its URL (--url takes one input): the
    metadata run, where the URL is a source of dates."""
    out = {}
    for it in items:
        path = os.path.join(bench, 'html', it['id'] + '.html')
        url = it.get('url')
        args = [cli, 'extract', '--format', 'jsonl', '--no-analysis']
        if url and re.match(r'^https?://', url):
            args += ['--url', url]
        p = subprocess.run(args + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for line in p.stdout.decode('utf8').splitlines():
            out[it['id']] = json.loads(line)
    return out


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0
    return p, r, f


def slice_table(title, rows, key, order=None):
    """rows: list of (item, tp, fp, fn, tn); prints P/R/F1 per slice, then the
    mean and the worst slice.  Returns {slice: f1}."""
    acc = collections.OrderedDict()
    for k in order or []:
        acc[k] = [0, 0, 0, 0, 0]
    for r in rows:
        k = key(r[0])
        a = acc.setdefault(k, [0, 0, 0, 0, 0])
        a[0] += 1
        for i in range(4):
            a[i + 1] += r[i + 1]
    print(f'{title:<16}{"pages":>6}{"P":>8}{"R":>8}{"F1":>8}')
    f1s = {}
    for k, a in acc.items():
        if not a[0]:
            continue
        p, r, f = prf(a[1], a[2], a[3])
        f1s[k] = f
        print(f'{k:<16}{a[0]:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}')
    if f1s:
        worst = min(f1s, key=f1s.get)
        print(f'{"mean of slices":<16}{"":>6}{"":>8}{"":>8}{sum(f1s.values()) / len(f1s):>8.3f}')
        print(f'{"worst: " + worst:<16}{"":>6}{"":>8}{"":>8}{f1s[worst]:>8.3f}')
    return f1s


def meta_scores(items, preds):
    t_exact = t_f1 = t_n = 0
    d_ok = d_n = 0
    a_tp = a_fp = a_fn = 0
    at_tp = at_fp = at_fn = 0
    misses = {'title': [], 'date': [], 'author': []}
    for it in items:
        g = it['meta']
        d = preds.get(it['id']) or {}
        if g.get('title'):
            t_n += 1
            pt = d.get('title') or ''
            ok = norm_text(pt) == norm_text(g['title'])
            t_exact += ok
            t_f1 += tok_f1(pt, g['title'])
            if not ok:
                misses['title'].append((it['id'], g['title'], pt))
        if g.get('date'):
            d_n += 1
            pd = (d.get('published') or '')[:10]
            ok = pd == g['date'][:10]
            d_ok += ok
            if not ok:
                misses['date'].append((it['id'], g['date'], d.get('published')))
        if g.get('author') and g['author'].strip():
            gold = names(g['author'])
            pred = [norm_text(a) for a in d.get('author') or []]
            tp = sum(1 for a in pred if a in gold)
            a_tp += tp
            a_fp += len(pred) - tp
            a_fn += len([x for x in gold if x not in pred])
            gt = collections.Counter(tokens(' '.join(gold)))
            ptk = collections.Counter(tokens(' '.join(pred)))
            c = sum((gt & ptk).values())
            at_tp += c
            at_fp += sum(ptk.values()) - c
            at_fn += sum(gt.values()) - c
            if tp != len(pred) or tp < len(gold):
                misses['author'].append((it['id'], g['author'], d.get('author')))
    return {
        'title_n': t_n, 'title_exact': t_exact / t_n if t_n else 0.0,
        'title_f1': t_f1 / t_n if t_n else 0.0,
        'date_n': d_n, 'date_acc': d_ok / d_n if d_n else 0.0,
        'author_n': sum(1 for it in items if (it['meta'].get('author') or '').strip()),
        'author_prf': prf(a_tp, a_fp, a_fn), 'author_tok': prf(at_tp, at_fp, at_fn),
        'misses': misses,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('cli')
    ap.add_argument('shared')
    ap.add_argument('--out')
    ap.add_argument('--half', default='all', choices=['all', 'dev', 'held'])
    ap.add_argument('--floor-html', type=float, default=0.0)
    ap.add_argument('--floor-type', type=float, default=0.0)
    ap.add_argument('--floor-date', type=float, default=0.0)
    ap.add_argument('--floor-author', type=float, default=0.0)
    ap.add_argument('--text', action='store_true', help='also score the flattened-text inputs')
    ap.add_argument('--per-page', action='store_true', help='print the worst pages')
    ap.add_argument('--show-meta', type=int, default=0, help='print N metadata misses per field')
    ap.add_argument('--part', default='all', choices=['all', 'text', 'meta'],
                    help='score the extraction (text), the metadata (meta) or both')
    a = ap.parse_args()
    bench = os.path.join(a.shared, 'bench', 'extract-multi')
    if not os.path.isfile(os.path.join(bench, 'score.py')):
        print(f'eval_extract_multi: {bench} not found: skipping')
        return 77
    sc = load_score(bench)
    items = [json.loads(l) for l in open(os.path.join(bench, 'gold.jsonl'), encoding='utf8')
             if l.strip()]
    if a.half != 'all':
        items = [it for it in items if half_of(it['id']) == a.half]
    out = a.out or tempfile.mkdtemp(prefix='nd-eval-multi-')
    info = {}
    for it in items:
        with open(os.path.join(bench, 'html', it['id'] + '.html'), 'rb') as f:
            raw = f.read().decode('utf8', 'replace')
        lang = (re.search(r'<html[^>]*\slang=["\']?([A-Za-z-]+)', raw[:5000], re.I) or
                re.search(r'<meta[^>]+(?:og:locale|content-language)[^>]+content=["\']([A-Za-z-]+)',
                          raw[:20000], re.I))
        info[it['id']] = {
            'type': page_type(it, raw),
            'lang': detect_lang(' '.join(it['with'] + it['without']) + ' ' +
                                (it['meta'].get('title') or ''), lang.group(1) if lang else ''),
            'half': half_of(it['id']),
        }
    bad, soft = [], []  # enforced floors; targets only printed (--floor-type)
    modes = [] if a.part == 'meta' else ['html', 'text'] if a.text else ['html']
    results = {}
    for mode in modes:
        ext = '.html' if mode == 'html' else '.txt'
        paths = [os.path.join(bench, mode, it['id'] + ext) for it in items]
        preds, errs, dt = run_cli(a.cli, paths)
        pdir = os.path.join(out, mode)
        os.makedirs(pdir, exist_ok=True)
        rows = []
        for it in items:
            text = (preds.get(it['id']) or {}).get('text') or ''
            with open(os.path.join(pdir, it['id'] + '.txt'), 'w', encoding='utf8') as f:
                f.write(text)
            rows.append((it, *sc.count_page(it, text)))
        # The overall figure from the set's own scorer, over the same files.
        gold_sub = os.path.join(out, 'gold.jsonl')
        with open(gold_sub, 'w', encoding='utf8') as f:
            for it in items:
                f.write(json.dumps(it, ensure_ascii=False) + '\n')
        s = subprocess.run([sys.executable, os.path.join(bench, 'score.py'), gold_sub, pdir,
                            '--json'], stdout=subprocess.PIPE, check=True)
        m = json.loads(s.stdout)
        results[mode] = (rows, preds, errs, m)
        print(f'extraction (bench/extract-multi, {mode}, {len(items)} pages, half={a.half}; '
              f'trafilatura metric: with/without segments, micro P/R/F1)')
        print(f"{'input':<8}{'pages':>6}{'P':>8}{'R':>8}{'F1':>8}{'floor':>8}{'pages/s':>10}"
              f"{'empty':>7}")
        floor = a.floor_html if mode == 'html' else 0.0
        ok = m['f1'] >= floor
        print(f"{mode:<8}{m['pages']:>6}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}"
              f"{floor:>8.3f}{len(items) / dt if dt else 0:>10.0f}{m['empty'] + m['missing']:>7}"
              + ('' if ok else '  BELOW FLOOR'))
        if not ok:
            bad.append(f'{mode} F1')
        if mode != 'html':
            continue
        print()
        tf = slice_table('page type', rows, lambda it: info[it['id']]['type'], TYPES)
        for t, f in tf.items():
            if f < a.floor_type:
                print(f'  page type {t}: F1 {f:.3f} below {a.floor_type:.2f}  BELOW TARGET')
                soft.append(f'type {t}')
        print()
        slice_table('language', rows, lambda it: info[it['id']]['lang'],
                    ['de', 'en', 'es', 'fr', 'pl', 'it', 'pt', 'other'])
        if a.half == 'all':
            print()
            slice_table('half', rows, lambda it: info[it['id']]['half'], ['dev', 'held'])
        # No page with prose may come back empty.
        empty = [it['id'] for it in items
                 if it['with'] and not ((preds.get(it['id']) or {}).get('text') or '').strip()]
        print(f'\npages with gold prose and no text: {len(empty)}' +
              ('' if not empty else '  FAILED: ' + ' '.join(empty[:8])))
        if empty:
            bad.append('empty pages')
        for e in errs[:5]:
            print('   ', e)
        if a.per_page:
            print('\nworst pages (F1, type, lang, id):')
            scored = []
            for r in rows:
                p, rc, f = prf(r[1], r[2], r[3])
                scored.append((f, r[2], r[3], info[r[0]['id']]['type'], info[r[0]['id']]['lang'],
                               r[0]['id']))
            for f, fp, fn, t, l, i in sorted(scored)[:40]:
                print(f'  {f:.2f} fp={fp} fn={fn} {t:<15}{l:<6}{i}')
    if a.part == 'text':
        return finish(out, bad, soft)
    # Metadata: each page with its URL.
    ms = meta_scores(items, run_cli_each(a.cli, items, bench))
    print('\nmetadata (bench/extract-multi gold `meta`; pages with the field)')
    print(f"{'field':<10}{'pages':>6}  {'measure':<30}{'value':>7}{'floor':>7}")
    print(f"{'title':<10}{ms['title_n']:>6}  {'exact after normalisation':<30}"
          f"{ms['title_exact']:>7.3f}{'':>7}")
    print(f"{'title':<10}{ms['title_n']:>6}  {'token F1 (mean of pages)':<30}{ms['title_f1']:>7.3f}"
          f"{'':>7}")
    date_ok = ms['date_acc'] >= a.floor_date
    print(f"{'date':<10}{ms['date_n']:>6}  {'accuracy (day)':<30}{ms['date_acc']:>7.3f}"
          f"{a.floor_date:>7.2f}" + ('' if date_ok else '  BELOW FLOOR'))
    ap_, ar_, af_ = ms['author_prf']
    auth_ok = af_ >= a.floor_author
    print(f"{'author':<10}{ms['author_n']:>6}  {'names P/R':<30}{ap_:>7.3f}{'':>7}  R {ar_:.3f}")
    print(f"{'author':<10}{ms['author_n']:>6}  {'names F1':<30}{af_:>7.3f}{a.floor_author:>7.2f}"
          + ('' if auth_ok else '  BELOW FLOOR'))
    tp_, tr_, tf_ = ms['author_tok']
    print(f"{'author':<10}{ms['author_n']:>6}  {'token F1':<30}{tf_:>7.3f}{'':>7}")
    if not date_ok:
        bad.append('date')
    if not auth_ok:
        bad.append('author')
    if a.show_meta:
        for field, lst in ms['misses'].items():
            print(f'\n{field} misses ({len(lst)}):')
            for pid, g, p in lst[:a.show_meta]:
                print(f'  {pid[:8]} {info[pid]["lang"]:<3} gold={g!r} got={p!r}')
    print('\nmetadata (bench/extract, Zyte set): its gold has no title, date or author '
          '(articleBody and url only): nothing to score')
    return finish(out, bad, soft)


def finish(out, bad, soft):
    """The last lines and the exit status (see the module's docstring)."""
    print(f'predictions in {out}')
    if bad:
        print('below floor: ' + ', '.join(bad))
    if soft:
        print('below target (printed, not enforced): ' + ', '.join(soft))
    return 1 if bad else 3 if soft else 0


if __name__ == '__main__':
    sys.exit(main())
