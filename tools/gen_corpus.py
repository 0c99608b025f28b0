#!/usr/bin/env python3
"""Build a benchmark corpus of distinct news pages for `newsdesk ingest`.

    gen_corpus.py OUT_DIR --pages N [--src DIR] [--unit 1000] [--seed 1]
                  [--first-unit K] [--units M] [--gzip] [--jobs J]

Pages are made from the HTML pages in --src (default
../shared/bench/extract/html next to this repository), or, when that is
absent, from a few built-in page templates with made-up text.  OUT_DIR gets
N pages in units of --unit pages, the formats taking turns unit by unit:

    OUT/u000-html/        one HTML file per page (.html.gz with --gzip)
    OUT/u001.warc.gz      WARC 1.1: a warcinfo record, then one response
                          record per page, one gzip member per record
    OUT/u002.jsonl        one {"id", "url", "fetched", "html"} per line
                          (.jsonl.gz with --gzip)
    ...

Every page is different text, not a copy with a token in it:

  - pages belong to stories (1 to 50 pages, log-uniform; 48 stories run at
    once, so a story's pages spread over about half a day of a stream of
    1,000 pages a day); a story takes the paragraphs of one source page
    and a few of a second one, and rewrites half of their word types
    (four in five capitalised ones: names) with other words of the
    sources, and its numbers, consistently over all its pages;
  - each page keeps 55-80% of the story's paragraphs, shuffled, starts with
    a lead sentence of its own, rewrites some more words in three
    paragraphs and in its title, and is published at its own time (every
    ISO date of the page is moved to it) under its own URL.

So pages of one story share words, names and paragraphs as reports of one
event do, and few pairs are near-duplicates (word 4-gram Jaccard >= 0.7):
measure it with `newsdesk ingest` (documents with dup_of; docs/cluster.md).

Deterministic: page n depends only on --seed and n, so units can be made
separately (--first-unit/--units; the bench makes a 1,000,000-page corpus
100,000 pages at a time) and in parallel (--jobs), and the first k units of
a corpus are the k*unit-page corpus.  Memory is one unit's worth of state,
whatever N.  Nothing of the source pages is written anywhere but OUT_DIR.
"""
import argparse
import bisect
import datetime
import hashlib
import json
import math
import os
import random
import re
import sys
import zlib

HOSTS = ["news-%02d.example" % i for i in range(40)]
SLOTS = 48          # stories running at once
MAX_STORY = 50      # pages of the largest story
COMMON = 400        # the most frequent word types are never rewritten
PER_DAY = 1000      # pages a day in the stream
T0 = datetime.datetime(2022, 1, 3, tzinfo=datetime.timezone.utc)

P_RE = re.compile(rb"<p(?:\s[^>]*)?>(.*?)</p\s*>", re.S | re.I)
TAG_RE = re.compile(rb"<[^>]*>")
SCRIPT_RE = re.compile(rb"<script[^>]*>.*?</script\s*>", re.S | re.I)
TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.S | re.I)
H1_RE = re.compile(rb"<h1(?:\s[^>]*)?>(.*?)</h1\s*>", re.S | re.I)
META_RE = re.compile(rb"<meta\s[^>]*>", re.I)
ATTR_RE = re.compile(rb"""(property|name|content)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
HEADLINE_RE = re.compile(rb'"(?:headline|name|description|alternativeHeadline)"\s*:\s*"((?:[^"\\]|\\.)*)"')
CANON_RE = re.compile(rb"""<link\s[^>]*rel\s*=\s*["']?canonical[^>]*>""", re.I)
HREF_RE = re.compile(rb"""href\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
ISO_RE = re.compile(rb"(?<![0-9])(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]"
                    rb"(?:[T ][0-2][0-9]:[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?"
                    rb"(?:Z|[+-][0-2][0-9]:?[0-5][0-9])?)?(?![0-9])")
# Markup, entities and escapes pass through; words and numbers are rewritten.
TOKEN_RE = re.compile(rb"<[^>]*>|&#?[A-Za-z0-9]+;|\\u[0-9A-Fa-f]{4}|\\.|[A-Za-z]+|[0-9]+")
TOKEN_SPLIT = re.compile(rb"(" + TOKEN_RE.pattern + rb")")
WORD_RE = re.compile(rb"[A-Za-z]+")
META_TEXT = (b"og:title", b"twitter:title", b"description", b"og:description",
             b"twitter:description")


def h64(*parts):
    """A hash of the parts that is the same in every run and process: each
    part as bytes (str() of a number) followed by a NUL, hashed together."""
    data = b"\0".join(p if isinstance(p, bytes) else str(p).encode() for p in parts) + b"\0"
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


# ---- the built-in pages (when there are no source pages) -------------------------

FB_SUBJ = ["The council", "A spokesman for the port", "Local farmers", "The minister",
           "Residents of the valley", "Police officers", "The museum director", "Railway workers",
           "The harbour master", "Hospital staff", "The mayor", "Teachers at the school",
           "The energy regulator", "Union leaders", "The central bank", "Fishermen"]
FB_VERB = ["said on Tuesday that", "announced that", "warned that", "confirmed that",
           "told reporters that", "wrote in a statement that", "denied that", "argued that",
           "estimated that", "insisted that"]
FB_OBJ = ["the bridge would reopen next month", "the budget for the hospital had been cut",
          "heavy rain had flooded the river banks", "the festival would draw thousands of visitors",
          "the court would hear the case in spring", "the market had fallen for a third day",
          "a new ferry line would start in June", "the old lighthouse had been sold",
          "the school would close for repairs", "prices of grain had risen sharply",
          "the strike would go on until Friday", "the factory would hire 300 workers",
          "the election would be held in October", "the pipeline had leaked for weeks",
          "the airport would add 12 flights a day", "the dam held after the storm"]
FB_NAMES = ["Halden", "Marrow", "Kestrel", "Olena Brandt", "Tomas Vire", "Ardent Lines",
            "Port Selwyn", "Greyford", "Linnea Osk", "Caspar Dunmore", "Ravensholm", "Ellery"]


def fallback_pages():
    """Eight page templates with made-up text: furniture, an article of
    paragraphs, JSON-LD and meta data, like the pages of a news site."""
    rng = random.Random(4242)
    out = []
    for n in range(8):
        paras = []
        for _ in range(rng.randrange(8, 16)):
            s = " ".join("%s %s." % (rng.choice(FB_SUBJ), rng.choice(FB_VERB) + " " + rng.choice(FB_OBJ))
                         for _ in range(rng.randrange(2, 5)))
            s += " %s was named by %d people." % (rng.choice(FB_NAMES), rng.randrange(2, 900))
            paras.append(s)
        title = "%s: %s" % (rng.choice(FB_NAMES), rng.choice(FB_OBJ).capitalize())
        site = "The %s Courier" % rng.choice(FB_NAMES).split()[0]
        url = "https://site%d.example/news/%d.html" % (n, n)
        menu = "".join('<li><a href="/s%d">Section %d</a></li>' % (i, i) for i in range(30))
        teasers = "".join('<li><a href="/t%d">%s</a></li>' % (i, rng.choice(FB_OBJ)) for i in range(12))
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                         "headline": title, "datePublished": "2019-11-12T08:30:00Z"})
        html = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s | %s</title>"
                "<meta property=\"og:title\" content=\"%s\"><meta property=\"og:site_name\" content=\"%s\">"
                "<meta property=\"article:published_time\" content=\"2019-11-12T08:30:00Z\">"
                "<link rel=\"canonical\" href=\"%s\"><script type=\"application/ld+json\">%s</script>"
                "</head><body><header><nav><ul>%s</ul></nav></header><main><article><h1>%s</h1>"
                "<p class=\"byline\">By %s</p>%s</article><aside><h2>Most read</h2><ul>%s</ul></aside>"
                "</main><footer><p>Copyright 2019 %s. All rights reserved.</p></footer></body></html>"
                % (title, site, title, site, url, ld, menu, title, rng.choice(FB_NAMES),
                   "".join("<p>%s</p>" % p for p in paras), teasers, site))
        out.append(html.encode())
    return out


# ---- source pages as templates -------------------------------------------------------

class Template:
    """A source page cut into literal bytes and regions to rewrite:
    ('para', k) the inner HTML of its k-th prose paragraph, ('text', b)
    a title or description to rewrite word by word, ('url', b) its
    canonical URL, ('date', b) an ISO date."""

    def __init__(self, html):
        self.html = html
        regions = []  # (start, end, kind)
        # The article: the run of prose paragraphs (12+ words, not inside a
        # script) with the most text, where each starts within 4 KB of the
        # last one's end.  Paragraphs elsewhere (teasers, asides) stay.
        scripts = [(m.start(), m.end()) for m in SCRIPT_RE.finditer(html)]
        script_starts = [a for a, _ in scripts]  # in order, not overlapping
        runs, run, last_end = [], [], -1
        for m in P_RE.finditer(html):
            inner = m.group(1)
            if len(TAG_RE.sub(b"", inner).split()) < 12 or b"\\/" in inner:
                continue
            k = bisect.bisect_right(script_starts, m.start()) - 1
            if k >= 0 and m.start() < scripts[k][1]:
                continue
            if run and m.start() - last_end > 4096:
                runs.append(run)
                run = []
            run.append(m)
            last_end = m.end()
        if run:
            runs.append(run)
        best = max(runs, key=lambda r: sum(len(m.group(1)) for m in r)) if runs else []
        self.paras = [m.group(1) for m in best]
        for m in best:
            regions.append((m.start(1), m.end(1), "para"))
        for rx in (TITLE_RE, H1_RE, HEADLINE_RE):
            for m in rx.finditer(html):
                regions.append((m.start(1), m.end(1), "text"))
        for m in META_RE.finditer(html):
            attrs = {k.lower(): v for k, v in ATTR_RE.findall(m.group(0))}
            key = (attrs.get(b"property") or attrs.get(b"name") or b"").strip(b"\"'").lower()
            val = attrs.get(b"content")
            if key in META_TEXT and val and len(val) > 2:
                at = m.group(0).find(val)
                s = m.start() + at + (1 if val[:1] in b"\"'" else 0)
                e = m.start() + at + len(val) - (1 if val[:1] in b"\"'" else 0)
                regions.append((s, e, "text"))
        self.url = None
        m = CANON_RE.search(html)
        if m:
            hm = HREF_RE.search(m.group(0))
            if hm:
                self.url = hm.group(1).strip(b"\"'")
        if self.url and len(self.url) > 8:
            at = html.find(self.url)
            while at >= 0:
                regions.append((at, at + len(self.url), "url"))
                at = html.find(self.url, at + 1)
        for m in ISO_RE.finditer(html):
            regions.append((m.start(), m.end(), "date"))
        # Non-overlapping, in page order: the first of overlapping ones wins.
        regions.sort(key=lambda r: (r[0], -r[1]))
        self.pieces = []  # bytes, or (kind, original bytes, paragraph slot)
        pos = 0
        slot = 0
        para_at = {}
        for s, e, kind in regions:
            if s < pos:
                continue
            self.pieces.append(html[pos:s])
            if kind == "para":
                para_at[s] = slot
                self.pieces.append((kind, html[s:e], slot))
                slot += 1
            else:
                self.pieces.append((kind, html[s:e], -1))
            pos = e
        self.pieces.append(html[pos:])
        self.slots = slot
        self.words = {}
        for p in self.paras:
            for w in WORD_RE.findall(TAG_RE.sub(b" ", p)):
                w = w.lower()
                self.words[w] = self.words.get(w, 0) + 1


def load_templates(src):
    pages = []
    if src and os.path.isdir(src):
        for f in sorted(os.listdir(src)):
            if f.startswith("."):
                continue
            with open(os.path.join(src, f), "rb") as fh:
                pages.append(fh.read())
    builtin = not pages
    if builtin:
        pages = fallback_pages()
    ts = []
    for html in pages:
        t = Template(html)
        # Pages whose article is not in <p> elements cannot be varied here.
        if len(t.paras) >= 4 and sum(len(p) for p in t.paras) >= 800:
            ts.append(t)
    if not ts:
        raise SystemExit("gen_corpus: no usable pages in %s" % src)
    return ts, builtin


# ---- stories ------------------------------------------------------------------------------

def story_size(seed, slot, j):
    u = (h64("size", seed, slot, j) % 1000003) / 1000003.0
    return int(math.exp(u * math.log(MAX_STORY + 1)))  # log-uniform 1..MAX_STORY


class Stories:
    """Page n runs in slot n % SLOTS at step n // SLOTS; each slot runs
    its stories one after another.  Steps only go forward."""

    def __init__(self, seed):
        self.seed = seed
        self.j = [0] * SLOTS      # story number in the slot
        self.end = [story_size(seed, s, 0) for s in range(SLOTS)]  # its last step + 1
        self.begin = [0] * SLOTS

    def at(self, n):
        s, t = n % SLOTS, n // SLOTS
        while t >= self.end[s]:
            self.j[s] += 1
            self.begin[s] = self.end[s]
            self.end[s] += story_size(self.seed, s, self.j[s])
        return self.j[s] * SLOTS + s, t - self.begin[s], self.end[s] - self.begin[s]


class Story:
    def __init__(self, sid, seed, ts, vocab, caps, common):
        self.common = common
        self.sid = sid
        self.rng = random.Random(h64("story", seed, sid))
        self.primary = ts[self.rng.randrange(len(ts))]
        self.secondary = ts[self.rng.randrange(len(ts))]
        self.key = b"%d:%d" % (seed, sid)
        self.vocab, self.caps = vocab, caps
        self.map = {}
        self.num_a = self.rng.randrange(3, 97, 2)
        self.num_b = self.rng.randrange(1, 1000)
        self.year = self.rng.randrange(-6, 4)
        self.names = [self.caps[self.rng.randrange(len(self.caps))] for _ in range(4)]
        self.mapped = {}  # paragraph -> rewritten with the story's map
        self.tokens = {}  # token -> rewritten (Story.token)

    def word(self, w):
        r = self.map.get(w)
        if r is None:
            low = w.lower()
            cap = w[:1].isupper()
            x = h64(self.key, low)
            # half the word types, four in five names
            if low not in self.common and len(w) > 3 and (x % 100) < (80 if cap else 50):
                pool = self.caps if cap else self.vocab
                r = pool[(x >> 8) % len(pool)]
                if w.isupper() and len(w) > 1:
                    r = r.upper()
                elif cap:
                    r = r[:1].upper() + r[1:]
            else:
                r = w
            self.map[w] = r
        return r

    def number(self, d):
        n = int(d)
        if len(d) == 4 and 1900 <= n <= 2099:
            return b"%d" % (n + self.year)
        v = (n * self.num_a + self.num_b) % (10 ** len(d))
        s = b"%d" % v
        if d[:1] != b"0":
            s = s.lstrip(b"0") or b"1"
        return s

    def token(self, t):
        """One token of TOKEN_RE rewritten: markup, entities and escapes
        as they are, numbers and words by the story's maps."""
        c = t[:1]
        if c in b"<&\\":
            r = t
        elif c.isdigit():
            r = self.number(t)
        else:
            r = self.word(t)
        self.tokens[t] = r
        return r

    def rewrite(self, text, extra=None):
        """Words and numbers of HTML text rewritten; extra: the page's own
        additional rewrites (of words only)."""
        # TOKEN_SPLIT puts the tokens at the odd places, as TOKEN_RE.sub
        # would find them; each is looked up in the story's table.
        parts = TOKEN_SPLIT.split(text)
        tokens = self.tokens
        memo = extra.memo if extra is not None else None  # what extra gave before
        for i in range(1, len(parts), 2):
            t = parts[i]
            r = tokens.get(t)
            if r is None:
                r = self.token(t)
            if extra is not None and t[:1].isalpha():
                x = memo.get(r)
                r = extra(r) if x is None else x
            parts[i] = r
        return b"".join(parts)

    def para(self, p):
        r = self.mapped.get(p)
        if r is None:
            r = self.mapped[p] = self.rewrite(p)
        return r


LEAD_VERBS = [b"said on %s that", b"told reporters on %s that", b"confirmed on %s that",
              b"warned on %s that", b"announced on %s that", b"wrote on %s that"]
WEEKDAYS = [b"Monday", b"Tuesday", b"Wednesday", b"Thursday", b"Friday", b"Saturday", b"Sunday"]


def make_page(n, seed, stories, cache, ts, vocab, caps, common):
    sid, step, size = stories.at(n)
    st = cache.get(sid)
    if st is None:
        st = cache[sid] = Story(sid, seed, ts, vocab, caps, common)
        if len(cache) > 4 * SLOTS:
            for k in list(cache)[:SLOTS]:
                del cache[k]
    rng = random.Random(h64("page", seed, n))
    when = T0 + datetime.timedelta(seconds=n * 86400 // PER_DAY + rng.randrange(-7200, 7200))
    fetched = when + datetime.timedelta(seconds=rng.randrange(60, 10800))
    host = HOSTS[h64("host", seed, n) % len(HOSTS)]
    url = "https://%s/%s/story-%d.html" % (host, when.strftime("%Y/%m/%d"), n)
    # The page's own rewrites: some more word types, the same everywhere on it.
    pkey = b"%d:p%d" % (seed, n)
    pmap = {}

    def extra(w):
        r = pmap.get(w)
        if r is None:
            r = w
            if len(w) > 3 and w.lower() not in common:
                x = h64(pkey, w)
                if x % 100 < 12:
                    pool = caps if w[:1].isupper() else vocab
                    r = pool[(x >> 8) % len(pool)]
                    if w[:1].isupper():
                        r = r[:1].upper() + r[1:]
            pmap[w] = r
        return r

    extra.memo = pmap

    # Paragraphs: a shuffled 55-80% of the story's, some of a second page,
    # a lead of the page's own first.
    src = st.primary.paras
    keep = max(3, int(round(len(src) * rng.uniform(0.55, 0.80))))
    chosen = sorted(rng.sample(range(len(src)), min(keep, len(src))))
    for _ in range(max(1, len(chosen) // 3)):  # shuffle locally and move some
        i = rng.randrange(len(chosen))
        j = min(len(chosen) - 1, max(0, i + rng.randrange(-3, 4)))
        chosen[i], chosen[j] = chosen[j], chosen[i]
    paras = [st.para(src[i]) for i in chosen]
    sec = st.secondary.paras
    for _ in range(rng.randrange(1, 4)):
        paras.insert(rng.randrange(1, len(paras) + 1), st.para(sec[rng.randrange(len(sec))]))
    for i in rng.sample(range(len(paras)), min(3, len(paras))):
        paras[i] = st.rewrite(paras[i], extra)
    who = st.names[rng.randrange(len(st.names))]
    lead = b"%s, %s %d - %s %s %s %d %s %s %s." % (
        caps[rng.randrange(len(caps))], when.strftime("%B").encode(), when.day, who,
        LEAD_VERBS[rng.randrange(len(LEAD_VERBS))] % WEEKDAYS[when.weekday()],
        rng.choice([b"about", b"nearly", b"more than", b"fewer than"]), rng.randrange(2, 5000),
        vocab[rng.randrange(len(vocab))], rng.choice([b"had", b"would", b"could", b"might"]),
        b" ".join(vocab[rng.randrange(len(vocab))] for _ in range(rng.randrange(4, 9))))
    paras.insert(0, lead)
    # Fill the template's paragraph slots; the rest go into the last one.
    t = st.primary
    per_slot = [[] for _ in range(t.slots)]
    for i, p in enumerate(paras):
        per_slot[min(i, t.slots - 1)].append(p)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = []
    for piece in t.pieces:
        if isinstance(piece, bytes):
            out.append(piece)
            continue
        kind, orig, slot = piece
        if kind == "para":
            out.append(b"</p><p>".join(per_slot[slot]))
        elif kind == "text":
            out.append(st.rewrite(orig, extra))
        elif kind == "url":
            out.append(url.encode())
        else:  # date: as long as it was
            out.append(stamp[:10] if len(orig) <= 10 else stamp)
    return b"".join(out), url, fetched.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- output ---------------------------------------------------------------------------------

def charset_of(html):
    m = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", html[:4096], re.I)
    return m.group(1).decode("ascii", "replace") if m else "utf-8"


def warc_record(headers, body):
    head = "WARC/1.1\r\n" + "".join("%s: %s\r\n" % kv for kv in headers)
    head += "Content-Length: %d\r\n\r\n" % len(body)
    raw = head.encode("utf-8") + body + b"\r\n\r\n"
    co = zlib.compressobj(1, zlib.DEFLATED, 31)  # one gzip member per record
    return co.compress(raw) + co.flush()


def gz(data):
    co = zlib.compressobj(1, zlib.DEFLATED, 31)
    return co.compress(data) + co.flush()


def record_id(seed, n):
    x = h64("rec", seed, n)
    return "<urn:uuid:%08x-%04x-4%03x-8%03x-%012x>" % (
        x & 0xffffffff, (x >> 32) & 0xffff, (x >> 48) & 0xfff, n & 0xfff, n)


_LOADED = {}


def sources(src):
    """Templates and word pools, once per process."""
    if src not in _LOADED:
        ts, _ = load_templates(src)
        freq = {}
        for t in ts:
            for w, k in t.words.items():
                freq[w] = freq.get(w, 0) + k
        # The most frequent words (function words, "said") stay as they
        # are, so that the text still reads as English to the analysis.
        # (At most a quarter of the word types: the built-in pages have
        # fewer types than COMMON, and the rest must give names.)
        common = set(sorted(freq, key=lambda w: (-freq[w], w))[:min(COMMON, len(freq) // 4)])
        vocab = sorted(w for w in freq if w not in common and len(w) > 3 and w.isalpha())
        caps = [w.capitalize() for w in vocab]
        _LOADED[src] = (ts, vocab, caps, common)
    return _LOADED[src]


def make_unit(args):
    out, unit, first, count, seed, src, use_gz = args
    ts, vocab, caps, common = sources(src)
    stories = Stories(seed)
    cache = {}
    kind = ("html", "warc", "jsonl")[unit % 3]
    z = ".gz" if use_gz else ""
    f = None
    if kind == "html":
        d = os.path.join(out, "u%03d-html" % unit)
        os.makedirs(d, exist_ok=True)
    elif kind == "warc":
        f = open(os.path.join(out, "u%03d.warc.gz" % unit), "wb")
        info = b"software: newsdesk tools/gen_corpus.py\r\nformat: WARC File Format 1.1\r\n"
        f.write(warc_record([("WARC-Type", "warcinfo"), ("WARC-Record-ID", record_id(seed, -1 - unit)),
                             ("WARC-Date", T0.strftime("%Y-%m-%dT%H:%M:%SZ")),
                             ("Content-Type", "application/warc-fields")], info))
    else:
        f = open(os.path.join(out, "u%03d.jsonl%s" % (unit, z)), "wb")
    jl = []
    for n in range(first, first + count):
        html, url, stamp = make_page(n, seed, stories, cache, ts, vocab, caps, common)
        if kind == "html":
            name = os.path.join(d, "story-%07d.html%s" % (n, z))
            with open(name, "wb") as fh:
                fh.write(gz(html) if use_gz else html)
        elif kind == "warc":
            http = ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=%s\r\n"
                    "Content-Length: %d\r\n\r\n" % (charset_of(html), len(html))).encode("ascii")
            f.write(warc_record([("WARC-Type", "response"), ("WARC-Record-ID", record_id(seed, n)),
                                 ("WARC-Date", stamp), ("WARC-Target-URI", url),
                                 ("Content-Type", "application/http; msgtype=response")],
                                http + html))
        else:
            try:
                text = html.decode(charset_of(html), "replace")
            except LookupError:
                text = html.decode("utf-8", "replace")
            jl.append((json.dumps({"id": "bench-%d" % n, "url": url, "fetched": stamp,
                                   "html": text}) + "\n").encode())
            if len(jl) >= 64 or n == first + count - 1:
                data = b"".join(jl)
                f.write(gz(data) if use_gz else data)
                jl = []
    if f:
        f.close()
    return count


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, required=True, help="pages in the whole corpus")
    ap.add_argument("--src", default=os.path.join(here, "..", "..", "shared", "bench", "extract", "html"))
    ap.add_argument("--unit", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first-unit", type=int, default=0, help="make units from this one on")
    ap.add_argument("--units", type=int, default=0, help="make this many units (0: all)")
    ap.add_argument("--gzip", action="store_true", help="gzip page files and JSON lines too")
    ap.add_argument("--jobs", type=int, default=1)
    a = ap.parse_args()
    # The pages are read and cut into templates by each process that makes
    # units (sources); here only whether there are any.
    builtin = not (a.src and os.path.isdir(a.src) and
                   any(not f.startswith(".") for f in os.listdir(a.src)))
    if builtin:
        print("gen_corpus: %s is absent: built-in pages" % a.src, file=sys.stderr)
    os.makedirs(a.out, exist_ok=True)
    n_units = (a.pages + a.unit - 1) // a.unit
    last = n_units if not a.units else min(n_units, a.first_unit + a.units)
    work = [(a.out, u, u * a.unit, min(a.unit, a.pages - u * a.unit), a.seed, a.src, a.gzip)
            for u in range(a.first_unit, last)]
    if a.jobs > 1 and len(work) > 1:
        import multiprocessing
        with multiprocessing.Pool(a.jobs) as pool:
            for _ in pool.imap_unordered(make_unit, work):
                pass
    else:
        for w in work:
            make_unit(w)


if __name__ == "__main__":
    main()
