#!/usr/bin/env python3
"""Write fixture news pages for the store tests (not a test itself).

    gen_store_fixtures.py OUT [--pages N] [--jsonl M] [--seed S] [--bad]
                             [--size BYTES] [--start K]

OUT/pages/pNNNNN.html   N HTML pages, each with a title, a byline, site
                        furniture and five paragraphs of made-up news text;
                        paragraph i of page n carries the token tok<n>x<i>,
                        so a search for it finds exactly that page.
OUT/feed.jsonl          M JSON lines {"id", "url", "html", "published"}
                        (pages N+K ... N+K+M-1, ids "feed-<n>").
With --bad: OUT/bad/empty.html (empty), OUT/bad/blob.html (binary),
OUT/bad/broken.jsonl (a good line, a malformed line, a good line).
--size pads each page with more paragraphs to about BYTES bytes.
The text is generated here from a small grammar: no third-party text.
"""
import argparse
import json
import os
import random

SUBJ = ["The council", "A spokesman for the port", "Local farmers", "The minister",
        "Residents of the village", "Police officers", "The new museum", "Railway workers",
        "The harbour master", "Hospital staff", "The mayor", "Teachers at the school"]
VERB = ["said on Tuesday that", "announced that", "warned that", "confirmed that",
        "told reporters that", "wrote in a statement that", "denied that"]
OBJ = ["the bridge would reopen next month", "the budget for the hospital had been cut",
       "heavy rain had flooded the river banks", "the festival would draw thousands of tourists",
       "the court would hear the case in spring", "the market had fallen for a third day",
       "a new ferry line would start in June", "the old lighthouse had been sold",
       "the school would close for repairs", "prices of grain had risen sharply"]
SITES = ["Harbour Herald", "Valley Courier", "Coast Gazette"]


def sentence(rng):
    return f"{rng.choice(SUBJ)} {rng.choice(VERB)} {rng.choice(OBJ)}."


def page(n, rng, size, variant=0):
    title = f"Page {n}: {rng.choice(OBJ).capitalize()}"
    site = SITES[n % len(SITES)]
    paras = []
    for i in range(5):
        text = " ".join(sentence(rng) for _ in range(3))
        paras.append(f"{text} The reference code is tok{n}x{i}.")
    if variant:
        paras[-1] += f" Update {variant}: the story was changed."
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    extra = []
    while size and len(body) + sum(map(len, extra)) < size:
        extra.append("<p>" + " ".join(sentence(rng) for _ in range(4)) + "</p>")
    return title, site, f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1><p class="byline">By Ann Example</p>
{body}
{"".join(extra)}
</article>
<footer><p>Copyright {site}. All rights reserved.</p></footer></body></html>
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--jsonl", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--size", type=int, default=0)
    ap.add_argument("--bad", action="store_true")
    a = ap.parse_args()
    os.makedirs(os.path.join(a.out, "pages"), exist_ok=True)
    for n in range(a.start, a.start + a.pages):
        rng = random.Random(a.seed * 1000003 + n)
        _, _, html = page(n, rng, a.size)
        with open(os.path.join(a.out, "pages", f"p{n:05d}.html"), "w", encoding="utf-8") as f:
            f.write(html)
    if a.jsonl:
        with open(os.path.join(a.out, "feed.jsonl"), "w", encoding="utf-8") as f:
            base = a.start + a.pages
            for k in range(a.jsonl):
                n = base + k
                rng = random.Random(a.seed * 1000003 + n)
                _, _, html = page(n, rng, a.size)
                rec = {"id": f"feed-{n}", "url": f"https://news.example/{n}",
                       "published": f"2025-05-{1 + k % 28:02d}", "html": html}
                f.write(json.dumps(rec) + "\n")
    if a.bad:
        bad = os.path.join(a.out, "bad")
        os.makedirs(bad, exist_ok=True)
        open(os.path.join(bad, "empty.html"), "w").close()
        with open(os.path.join(bad, "blob.html"), "wb") as f:
            f.write(bytes(random.Random(5).randrange(256) for _ in range(4096)))
        with open(os.path.join(bad, "broken.jsonl"), "w", encoding="utf-8") as f:
            rng = random.Random(99)
            _, _, html = page(90001, rng, 0)
            f.write(json.dumps({"id": "ok-1", "url": "https://b.example/1", "html": html}) + "\n")
            f.write('{"id": "broken", "html": "<p>never closed\n')
            _, _, html = page(90002, rng, 0)
            f.write(json.dumps({"id": "ok-2", "url": "https://b.example/2", "html": html}) + "\n")


if __name__ == "__main__":
    main()
