#!/usr/bin/env python3
"""Build a benchmark corpus for `newsdesk ingest` from a folder of pages.

    gen_corpus.py SRC_DIR OUT_DIR --pages N [--unit 1000] [--seed 1]

SRC_DIR holds HTML pages (../shared/bench/extract/html).  OUT_DIR gets N
pages in units of --unit pages, the formats taking turns unit by unit:

    OUT/u000-html/      one HTML file per page
    OUT/u001.warc.gz    WARC 1.1: a warcinfo record, then one response
                        record per page (HTTP headers + body), one gzip
                        member per record as crawlers write them
    OUT/u002.jsonl      one {"id", "url", "fetched", "html"} per line
    ...

Page n is source page n % len(SRC) with its own URL and a small edit (a
reference token written into one paragraph), so that every page's text
differs.  Units are numbered, so the first k units of a 20,000-page
corpus are a k*unit-page corpus: `ls OUT | head -5` is the 5k corpus.
Nothing of the source pages is written anywhere but OUT_DIR.
"""
import argparse
import datetime
import json
import os
import random
import re
import uuid
import zlib

HOSTS = ["news-%02d.example" % i for i in range(40)]
P_END = re.compile(rb"</p\s*>", re.I)


def edit(html, n, rng):
    """Write a reference token into one paragraph (or before </body>)."""
    ends = [m.start() for m in P_END.finditer(html)]
    token = b" (ref nd%dz%d)" % (n, rng.randrange(1000000))
    if ends:
        at = ends[rng.randrange(len(ends))]
        return html[:at] + token + html[at:]
    i = html.lower().rfind(b"</body")
    if i < 0:
        return html + b"<p>" + token + b"</p>"
    return html[:i] + b"<p>" + token + b"</p>" + html[i:]


def charset_of(html):
    m = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", html[:4096], re.I)
    return m.group(1).decode("ascii", "replace") if m else "utf-8"


def warc_record(headers, body):
    head = "WARC/1.1\r\n" + "".join("%s: %s\r\n" % kv for kv in headers)
    head += "Content-Length: %d\r\n\r\n" % len(body)
    raw = head.encode("utf-8") + body + b"\r\n\r\n"
    # One gzip member per record.
    co = zlib.compressobj(1, zlib.DEFLATED, 31)
    return co.compress(raw) + co.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--unit", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    srcs = sorted(f for f in os.listdir(a.src) if not f.startswith("."))
    pages = []
    for f in srcs:
        with open(os.path.join(a.src, f), "rb") as fh:
            pages.append(fh.read())
    if not pages:
        raise SystemExit("gen_corpus: no pages in %s" % a.src)
    os.makedirs(a.out, exist_ok=True)
    t0 = datetime.datetime(2025, 5, 1, tzinfo=datetime.timezone.utc)
    n = 0
    unit = 0
    while n < a.pages:
        count = min(a.unit, a.pages - n)
        kind = ("html", "warc", "jsonl")[unit % 3]
        rng = random.Random(a.seed * 7919 + unit)
        if kind == "html":
            d = os.path.join(a.out, "u%03d-html" % unit)
            os.makedirs(d, exist_ok=True)
        elif kind == "warc":
            f = open(os.path.join(a.out, "u%03d.warc.gz" % unit), "wb")
            info = b"software: newsdesk tools/gen_corpus.py\r\nformat: WARC File Format 1.1\r\n"
            f.write(warc_record([("WARC-Type", "warcinfo"),
                                 ("WARC-Record-ID", "<urn:uuid:%s>" % uuid.UUID(int=rng.getrandbits(128))),
                                 ("WARC-Date", t0.strftime("%Y-%m-%dT%H:%M:%SZ")),
                                 ("Content-Type", "application/warc-fields")], info))
        else:
            f = open(os.path.join(a.out, "u%03d.jsonl" % unit), "w", encoding="utf-8")
        for k in range(count):
            i = n + k
            src = pages[i % len(pages)]
            html = edit(src, i, rng)
            host = HOSTS[i % len(HOSTS)]
            when = t0 + datetime.timedelta(minutes=i * 3)
            url = "https://%s/%s/story-%d.html" % (host, when.strftime("%Y/%m/%d"), i)
            stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            if kind == "html":
                with open(os.path.join(d, "story-%06d.html" % i), "wb") as fh:
                    fh.write(html)
            elif kind == "warc":
                http = ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=%s\r\n"
                        "Content-Length: %d\r\n\r\n" % (charset_of(html), len(html))).encode("ascii")
                f.write(warc_record([("WARC-Type", "response"),
                                     ("WARC-Record-ID", "<urn:uuid:%s>" % uuid.UUID(int=rng.getrandbits(128))),
                                     ("WARC-Date", stamp),
                                     ("WARC-Target-URI", url),
                                     ("Content-Type", "application/http; msgtype=response")],
                                    http + html))
            else:
                try:
                    text = html.decode(charset_of(html), "replace")
                except LookupError:
                    text = html.decode("utf-8", "replace")
                f.write(json.dumps({"id": "bench-%d" % i, "url": url, "fetched": stamp,
                                    "html": text}) + "\n")
        if kind != "html":
            f.close()
        n += count
        unit += 1


if __name__ == "__main__":
    main()
