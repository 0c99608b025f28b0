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
             Gold dates malformed beyond doubt are read the one way they can
             be: an impossible month with a possible day ("2022-29-11" ->
             2022-11-29), mixed separators ("2022-01.26" -> 2022-01-26); a
             gold date that cannot be read is left out, and the count is
             printed.  The table gives both: "as written" (the gold string's
             first 10 characters, every page) and "gold read" (the floor's).
  author     names: gold split at ';', ',', ' and '/' und '/' & '/' et '/' y ',
             a leading By/Von/Par/Por dropped; a predicted name is right when
             it equals a gold name after normalisation; micro P/R/F1 over the
             pages with a gold author.  Also token F1 (micro over word tokens).
             Two readings are printed, never one silently:
               people only   newsdesk's `author` (people) against the gold as
                             it is (the floor's measure);
               with credit   the gold often names a wire agency or desk as
                             the author ("dpa/lno", "AFP/The Local", "JIJI");
                             newsdesk gives an agency as `credit`, so when
                             `author` is empty the credit is scored as the
                             author, and the gold is also split at "/" (a
                             list separator there: "E. BARRENECHE / J. I. DA
                             SILVA").
  causes     every date and author miss is put in one class, by fixed tests
             (first that holds), so that the held-back half is read only in
             aggregate: date: gold malformed (unreadable; a gold read its one
             possible way is classified as that date); gold is our
             `modified` day (the update); time zone (gold is the UTC day of
             our time, given in the page's own zone); gold swaps our day and
             month ("3. Mai" on the page, gold 2021-03-05); gold
             date nowhere in the page's HTML or URL in ISO, numeric and
             month-name forms, split in: only as a Unix time of that UTC day
             (a cache stamp, a script's field), on the page without its year
             ("12.04. |"), one field (year, month or day) from ours (a
             slip?), or not at all; on the page only inside scripts or
             comments; only inside the addresses of links and images (an
             image's /2016/05/22/ path); none found though the page has it;
             another date of the page chosen.  author: gold names
             only organisations, desks, agencies or the site (word list and
             the site's name); a gold name nowhere in the page's HTML;
             nothing found though the page has it; wrong or partial names.

--misses prints every date and author miss of both halves (page, gold,
ours, cause); --target-date prints a date target without enforcing it.

Exits 1 when a floor is not met (--floor-html, --floor-type for every page
type, --floor-date, --floor-author, a page with prose and no text), 77 when
the data is absent, 3 when the floors hold and a --target-date is not reached.
"""
import argparse
import collections
import datetime
import hashlib
import html as html_lib
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


def gold_date(s):
    """The gold date as YYYY-MM-DD and how it was read: 'ok', 'read' (malformed
    beyond doubt, one reading only) or 'unreadable' (None)."""
    s = (s or '').strip()

    def valid(y, mo, d):
        try:
            datetime.date(y, mo, d)
            return True
        except ValueError:
            return False
    m = re.match(r'^(\d{4})-(\d{2})-(\d{2})(?!\d)', s)
    if m and valid(*map(int, m.groups())):
        return m.group(0), 'ok'
    m = re.match(r'^(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)', s)
    if not m:
        return None, 'unreadable'
    y, a, b = map(int, m.groups())
    if valid(y, a, b):  # mixed or odd separators: "2022-01.26"
        return f'{y:04d}-{a:02d}-{b:02d}', 'read'
    if a > 12 and b <= 12 and valid(y, b, a):  # an impossible month: "2022-29-11"
        return f'{y:04d}-{b:02d}-{a:02d}', 'read'
    return None, 'unreadable'


def names_slash(s):
    return [n for part in re.split(r'\s*/\s*', s or '') for n in names(part)]


ORG_WORDS = re.compile(
    r'\b(redaktion\w*|team|staff|online|news|newsroom|desk|editorial|editors?|gmbh|ag|se|e\.\s?v|'
    r'verband|verein|stiftung|foundation|bund|ministerium|amt|agentur|agency|agencies|presse|'
    r'press|pressestelle|media|magazin\w*|zeitung|tv|fernsehen|radio|blog|inc|ltd|llc|report|'
    r'dpa|afp|ap|apa|reuters|kna|epd|sid|jiji|kathpress|sda|lno)\b|\.(com|de|at|ch|pl|org)\b',
    re.I)


def letters(s):
    return re.sub(r'[^\w]|_', '', (s or '').casefold())


def page_text(bench, pid):
    with open(os.path.join(bench, 'html', pid + '.html'), 'rb') as f:
        raw = f.read().decode('utf8', 'replace')
    return html_lib.unescape(raw).casefold()


MONTHS = {
    1: 'january januar janvier enero gennaio jan jän janeiro stycznia',
    2: 'february februar février febrero febbraio feb fevereiro lutego',
    3: 'march märz mars marzo mar março marca',
    4: 'april avril abril aprile apr kwietnia',
    5: 'may mai mayo maggio maio maja',
    6: 'june juni juin junio giugno jun junho czerwca',
    7: 'july juli juillet julio luglio jul julho lipca',
    8: 'august août agosto aug sierpnia',
    9: 'september septembre septiembre settembre sep sept setembro września',
    10: 'october oktober octobre octubre ottobre oct okt outubro października',
    11: 'november novembre noviembre nov novembro listopada',
    12: 'december dezember décembre diciembre dicembre dec dez dezembro grudnia',
}


def date_on_page(text, url, iso):
    """Is the date written anywhere in the page (text or attributes) or URL?"""
    y, mo, d = iso[:4], int(iso[5:7]), int(iso[8:10])
    hay = text + ' ' + (url or '').casefold()
    pats = [rf'{y}-{mo:02d}-{d:02d}', rf'{y}/{mo:02d}/{d:02d}', rf'{y}{mo:02d}{d:02d}',
            rf'\b0?{d}\.\s?0?{mo}\.\s?({y}|{y[2:]}\b)', rf'\b0?{d}/0?{mo}/{y}',
            rf'\b0?{mo}/0?{d}/{y}', rf'\b0?{d}-0?{mo}-{y}']
    for name in MONTHS[mo].split():
        pats.append(rf'\b0?{d}(\.|er|st|nd|rd|th)?\s+(de\s+)?{name}\.?,?\s+(de\s+)?{y}')
        pats.append(rf'\b{name}\.?\s+0?{d}(st|nd|rd|th)?,?\s+{y}')
    return any(re.search(p, hay) for p in pats)


def unix_day_on_page(text, iso):
    """Is the gold day written as a Unix time (10 or 13 digits) of that UTC day?"""
    day = datetime.datetime.fromisoformat(iso).replace(tzinfo=datetime.timezone.utc).timestamp()
    for m in re.finditer(r'(?<![\d.])(1\d{9})(\d{3})?(?![\d.])', text):
        if day <= int(m.group(1)) < day + 86400:
            return True
    return False


def without_year_on_page(text, iso):
    """Is the gold day and month on the page with no year ("12.04. |", "12 April")?"""
    mo, d = int(iso[5:7]), int(iso[8:10])
    pats = [rf'\b0?{d}\.0?{mo}\.(?!\s?\d)']
    for name in MONTHS[mo].split():
        pats.append(rf'\b0?{d}(\.|er|st|nd|rd|th)?\s+(de\s+)?{name}\b(?!\.?,?\s+(de\s+)?\d)')
    return any(re.search(p, text) for p in pats)


def one_field_apart(a, b):
    """Two YYYY-MM-DD dates that differ in exactly one of year, month, day."""
    return sum(x != y for x, y in zip(a.split('-'), b.split('-'))) == 1


def date_cause(it, d, text):
    g, how = gold_date(it['meta']['date'])
    pub = d.get('published') or ''
    if how == 'unreadable':
        return 'gold malformed'
    # a malformed gold read its one possible way is classified as that date
    if (d.get('modified') or '')[:10] == g:
        return 'gold is the update date'
    if pub and 'T' in pub and not pub.endswith('Z') and not pub.endswith('+00:00'):
        ts = datetime.datetime.fromisoformat(pub)
        if ts.astimezone(datetime.timezone.utc).date().isoformat() == g:
            return 'time zone (gold the UTC day)'
    p = pub[:10]
    if len(p) == 10 and p[5:7] == g[8:10] and p[8:10] == g[5:7]:
        return 'gold swaps day and month'
    if not date_on_page(text, it.get('url'), g):
        if unix_day_on_page(text, g):
            return 'gold only as a Unix time'
        if without_year_on_page(text, g):
            return 'gold on the page without its year'
        if len(p) == 10 and one_field_apart(p, g):
            return 'gold not on the page, one field from ours'
        return 'gold date not on the page'
    # where the page has it: only in scripts or comments, or only inside
    # the addresses of links and images (an image's /2016/05/22/ path)
    bare = re.sub(r'<script\b.*?</script>|<!--.*?-->', ' ', text, flags=re.S)
    if not date_on_page(bare, it.get('url'), g):
        return 'gold only in a script or comment'
    bare = re.sub(r'(?:href|src|srcset|data-[\w-]+)\s*=\s*("[^"]*"|\'[^\']*\')|https?://\S+', ' ',
                  bare)
    if not date_on_page(bare, it.get('url'), g):
        return 'gold only in a link or image address'
    if not pub:
        return 'none found (page has it)'
    return 'another date of the page'


def author_cause(it, d, text):
    gold = names(it['meta']['author'])
    site = letters(d.get('site'))
    host = re.sub(r'^www\.', '', re.sub(r'^[a-z]+://([^/]+).*$', r'\1', (it.get('url') or '').lower()))
    host = letters(host.split('.')[0]) if host else ''
    if all(ORG_WORDS.search(n) or (site and letters(n) == site) or (host and letters(n) == host)
           for n in gold):
        return 'gold names an organisation/site'
    if any(n not in text for n in gold):
        return 'gold name not on the page'
    if not d.get('author'):
        return 'none found (page has it)'
    return 'wrong or partial names'


def meta_scores(items, preds, bench=None):
    t_exact = t_f1 = t_n = 0
    d_ok = d_n = d_raw_ok = d_raw_n = d_unread = d_read = 0
    a = {'people': [0, 0, 0], 'credit': [0, 0, 0]}
    at_tp = at_fp = at_fn = 0
    misses = {'title': [], 'date': [], 'author': []}
    causes = {'date': collections.Counter(), 'author': collections.Counter()}
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
            pd = (d.get('published') or '')[:10]
            d_raw_n += 1
            d_raw_ok += pd == g['date'][:10]
            gd, how = gold_date(g['date'])
            d_unread += how == 'unreadable'
            d_read += how == 'read'
            if gd:
                d_n += 1
                d_ok += pd == gd
            if pd != gd:
                misses['date'].append((it['id'], g['date'], d.get('published')))
                if bench:
                    causes['date'][date_cause(it, d, page_text(bench, it['id']))] += 1
        if g.get('author') and g['author'].strip():
            pred = [norm_text(x) for x in d.get('author') or []]
            for key, gold, pr in (('people', names(g['author']), pred),
                                  ('credit', names_slash(g['author']),
                                   pred or ([norm_text(d['credit'])] if d.get('credit') else []))):
                tp = sum(1 for x in pr if x in gold)
                a[key][0] += tp
                a[key][1] += len(pr) - tp
                a[key][2] += len([x for x in gold if x not in pr])
            gold = names(g['author'])
            tp = sum(1 for x in pred if x in gold)
            gt = collections.Counter(tokens(' '.join(gold)))
            ptk = collections.Counter(tokens(' '.join(pred)))
            c = sum((gt & ptk).values())
            at_tp += c
            at_fp += sum(ptk.values()) - c
            at_fn += sum(gt.values()) - c
            if tp != len(pred) or tp < len(gold):
                misses['author'].append((it['id'], g['author'], d.get('author')))
                if bench:
                    causes['author'][author_cause(it, d, page_text(bench, it['id']))] += 1
    return {
        'title_n': t_n, 'title_exact': t_exact / t_n if t_n else 0.0,
        'title_f1': t_f1 / t_n if t_n else 0.0,
        'date_n': d_n, 'date_acc': d_ok / d_n if d_n else 0.0,
        'date_raw_n': d_raw_n, 'date_raw_acc': d_raw_ok / d_raw_n if d_raw_n else 0.0,
        'date_read': d_read, 'date_unread': d_unread,
        'author_n': sum(1 for it in items if (it['meta'].get('author') or '').strip()),
        'author_prf': prf(*a['people']), 'author_credit_prf': prf(*a['credit']),
        'author_tok': prf(at_tp, at_fp, at_fn),
        'misses': misses, 'causes': causes,
    }


def print_meta(items, preds, info, bench, a):
    """The metadata table, all pages and each half, with the miss causes.
    Returns the names of the floors not met (on all pages)."""
    halves = [('all', items)]
    if a.half == 'all':
        halves += [(h, [it for it in items if info[it['id']]['half'] == h]) for h in ('dev', 'held')]
    else:
        halves = [(a.half, items)]
    ms = {h: meta_scores(sub, preds, bench) for h, sub in halves}
    cols = [h for h, _ in halves]
    print('\nmetadata (bench/extract-multi gold `meta`; pages with the field; floors on '
          f'{cols[0]})')
    print(f"{'field':<8}{'measure':<34}" + ''.join(f'{h + " n":>9}{h:>7}' for h in cols) +
          f"{'floor':>7}")

    def row(field, label, key, n_key, floor=None, fmt=lambda v: v):
        vals = ''.join(f"{ms[h][n_key]:>9}{fmt(ms[h][key]):>7.3f}" for h in cols)
        fl = f'{floor:>7.2f}' if floor is not None else ''
        below = floor is not None and fmt(ms[cols[0]][key]) < floor
        print(f'{field:<8}{label:<34}{vals}{fl}' + ('  BELOW FLOOR' if below else ''))
        return not below
    row('title', 'exact after normalisation', 'title_exact', 'title_n')
    row('title', 'token F1 (mean of pages)', 'title_f1', 'title_n')
    row('date', 'accuracy, gold as written', 'date_raw_acc', 'date_raw_n')
    date_ok = row('date', 'accuracy, gold read', 'date_acc', 'date_n', a.floor_date)
    date_target = a.target_date is None or ms[cols[0]]['date_acc'] >= a.target_date
    if a.target_date is not None:
        print(f"{'':<8}(target, printed and not enforced: {a.target_date:.2f}" +
              ('' if date_target else ', not reached') + ')')
    m0 = ms[cols[0]]
    print(f"{'':<8}(gold read: {m0['date_read']} malformed dates read their one possible way, "
          f"{m0['date_unread']} unreadable left out)")
    row('author', 'people only: P', 'author_prf', 'author_n', None, lambda v: v[0])
    row('author', 'people only: R', 'author_prf', 'author_n', None, lambda v: v[1])
    auth_ok = row('author', 'people only: F1', 'author_prf', 'author_n', a.floor_author,
                  lambda v: v[2])
    row('author', 'with credit, gold split at /: F1', 'author_credit_prf', 'author_n', None,
        lambda v: v[2])
    row('author', 'token F1 (people only)', 'author_tok', 'author_n', None, lambda v: v[2])
    for field in ('date', 'author'):
        print(f'\n{field} misses by cause' + ''.join(f'{h:>7}' for h in cols))
        keys = sorted(set().union(*(ms[h]['causes'][field] for h in cols)),
                      key=lambda k: -ms[cols[0]]['causes'][field][k])
        for k in keys:
            print(f'  {k:<40}' + ''.join(f"{ms[h]['causes'][field][k]:>7}" for h in cols))
        print(f"  {'total':<40}" + ''.join(f"{sum(ms[h]['causes'][field].values()):>7}"
                                            for h in cols))
    if a.misses:
        print('\nevery date and author miss (page, half, lang, gold, ours, cause):')
        for it in items:
            if it['id'] not in {m[0] for f in ('date', 'author') for m in ms[cols[0]]['misses'][f]}:
                continue
            d = preds.get(it['id']) or {}
            text = page_text(bench, it['id'])
            pre = f"  {it['id'][:24]:<24} {info[it['id']]['half']:<4} {info[it['id']]['lang']:<5}"
            if it['id'] in {m[0] for m in ms[cols[0]]['misses']['date']}:
                print(f"{pre} date   gold={it['meta']['date']!r} ours={d.get('published')!r} "
                      f"modified={d.get('modified')!r} [{date_cause(it, d, text)}]")
            if it['id'] in {m[0] for m in ms[cols[0]]['misses']['author']}:
                print(f"{pre} author gold={it['meta']['author']!r} ours={d.get('author')!r} "
                      f"credit={d.get('credit')!r} site={d.get('site')!r} "
                      f"[{author_cause(it, d, text)}]")
    if a.show_meta:
        for field, lst in ms[cols[0]]['misses'].items():
            lst = [m for m in lst if info[m[0]]['half'] == 'dev']
            print(f'\n{field} misses, dev half only ({len(lst)}):')
            for pid, g, p in lst[:a.show_meta]:
                print(f'  {pid[:8]} {info[pid]["lang"]:<3} gold={g!r} got={p!r}')
    a.targets_missed = [] if date_target else ['date target']
    return ([] if date_ok else ['date']) + ([] if auth_ok else ['author'])


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
    ap.add_argument('--misses', action='store_true',
                    help='print every date and author miss of both halves, with its cause')
    ap.add_argument('--target-date', type=float, default=None,
                    help='date accuracy target: printed, exit 3 (not 1) when only it is missed')
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
    bad = []  # floors not met
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
                print(f'  page type {t}: F1 {f:.3f} below {a.floor_type:.2f}  BELOW FLOOR')
                bad.append(f'type {t}')
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
        return finish(out, bad)
    # Metadata: each page with its URL.
    bad += print_meta(items, run_cli_each(a.cli, items, bench), info, bench, a)
    print('\nmetadata (bench/extract, Zyte set): its gold has no title, date or author '
          '(articleBody and url only): nothing to score')
    rc = finish(out, bad)
    if rc == 0 and getattr(a, 'targets_missed', None):
        print('target not reached: ' + ', '.join(a.targets_missed))
        return 3
    return rc


def finish(out, bad):
    """The last lines and the exit status (see the module's docstring)."""
    print(f'predictions in {out}')
    if bad:
        print('below floor: ' + ', '.join(bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
