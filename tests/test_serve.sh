#!/usr/bin/env bash
# test_serve.sh - `newsdesk serve` over HTTP: every page and API call on a
# store of hostile pages (script in titles, attribute breakers in outlet
# names, javascript: links, terminal escapes, bidi overrides) answers and
# is inert; the API's shapes are the CLI's --json; bad requests are 4xx
# with a message, never a 500; an ingest beside the server keeps working;
# `newsdesk digest` in its three formats.
#   bash test_serve.sh CLI SHARED_DIR TESTS_DIR
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$3
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
. "$(dirname "$0")/serve_lib.sh" nd_serve

DB=$T/n.db
"$CLI" ingest --db "$DB" "$TESTS/data/serve/hostile.jsonl" 2>"$T/ingest.err"
check "fixture store ingested" '[ -s "$DB" ]'

serve_start "$DB" 2 50
check "serve prints its address on 127.0.0.1" '[[ "$URL" == http://127.0.0.1:* ]]'
# Its readers read through their page caches: the store is not mapped
# (a cold mapped page is read with the device's read-ahead around it).
check "serve does not map the store" '[ -n "$PID" ] && ! grep -q " $DB$" "/proc/$PID/maps"'
# libmicrohttpd (and GnuTLS with it) is loaded by the server when it
# starts, not by every command: the binary does not need it.
check "serve loads libmicrohttpd" '[ -n "$PID" ] && grep -q "/libmicrohttpd\.so" "/proc/$PID/maps"'
check "other commands do not load libmicrohttpd" \
    '! LD_TRACE_LOADED_OBJECTS=1 "$CLI" 2>&1 | grep -qE "libmicrohttpd|libgnutls"'
# It listens first and prepares after (the search table, the indexes
# read into the page cache: a minute at 1,000,000 documents), saying so
# on a second line once done.
for _ in $(seq 100); do grep -q '^newsdesk serve ready: ' "$T/serve.out" && break; sleep 0.1; done
check "serve: the address first, then a line once prepared" \
    '[ "$(sed -n 1p "$T/serve.out")" = "newsdesk serve: $URL" ] &&
     sed -n 2p "$T/serve.out" | grep -qx "newsdesk serve ready: search table after [0-9.]* s, indexes read after [0-9.]* s"'

check "serve without a store: exit 1, one line" \
    '"$CLI" serve --db "$T/none.db" --listen 127.0.0.1:0 >/dev/null 2>"$T/e1"; [ $? = 1 ] && [ "$(wc -l <"$T/e1")" = 1 ]'
check "serve --listen without a port: exit 2" \
    '"$CLI" serve --db "$DB" --listen localhost >/dev/null 2>&1; [ $? = 2 ]'

# Every page and call; python does the HTTP and the checks, one line per failure.
python3 - "$URL" "$CLI" "$DB" "$T" "$TESTS" <<'PY' >"$T/py.out" 2>&1
import json, re, subprocess, sys, urllib.request, urllib.error, http.client
url, cli, db, tmp, tests = sys.argv[1:]
host, port = re.match(r"http://([^:]+):(\d+)/", url).groups()
bad = []
def get(path, method="GET", headers=None, body=None):
    c = http.client.HTTPConnection(host, int(port), timeout=20)
    c.putrequest(method, path, skip_accept_encoding=True)
    for k, v in (headers or {}).items(): c.putheader(k, v)
    if body is not None: c.putheader("Content-Length", str(len(body)))
    c.endheaders()
    if body is not None: c.send(body)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
def cli_json(*args, lines=False):
    out = subprocess.run([cli, *args, "--db", db, "--json"], capture_output=True, check=True).stdout
    return [json.loads(l) for l in out.splitlines()] if lines else json.loads(out)
def inert(path, body):
    t = body.decode("utf-8")
    if t.count("<script") != 1: bad.append(f"{path}: {t.count('<script')} <script> elements")
    for needle in ("<img", "<b>", 'href="javascript', "\x1b", "\u202e", "\x07", "onerror=alert(1)>"):
        if needle in t: bad.append(f"{path}: holds {needle!r}")
    if re.search(r'<[a-z]+[^>]*\son[a-z]+=', t): bad.append(f"{path}: an on* attribute")

pages = ["/", "/stories", "/stories/1", "/stories/2", "/articles/1", "/articles/2", "/articles/3",
         "/actors", "/actors/1", "/actors/Putin", "/actors/RUS?by=day", "/relations?a=RUS&b=CHN",
         "/relations?a=RUS&b=CHN&by=week", "/search?q=moscow", "/search?q=%22friends+of+steel%22",
         "/search?q=putin&site=Wire", "/digest", "/digest?date=2025-05-08", "/?date=2025-05-07"]
for p in pages:
    st, h, b = get(p)
    if st != 200: bad.append(f"{p}: status {st}"); continue
    if not h.get("content-type", "").startswith("text/html"): bad.append(f"{p}: {h.get('content-type')}")
    csp = h.get("content-security-policy", "")
    if "default-src 'none'" not in csp or "script-src 'self'" not in csp: bad.append(f"{p}: CSP {csp!r}")
    if h.get("x-content-type-options") != "nosniff": bad.append(f"{p}: no nosniff")
    inert(p, b)
# Every page shows its quotes and events.
for p in ["/stories/1", "/articles/1", "/actors/Putin"]:
    t = get(p)[2].decode()
    if 'class="quote"' not in t: bad.append(f"{p}: no quotation shown")
    if "<table class=\"events\"" not in t and 'class="evlist"' not in t: bad.append(f"{p}: no events shown")
# Timelines as SVG drawn on the server: a story's articles per day, an
# actor's articles per period, the relations chart.
for p in ["/stories/1", "/actors/Putin"]:
    if '<svg class="chart"' not in get(p)[2].decode(): bad.append(f"{p}: no SVG timeline")
# The front page: per story its key quote and top events; search: each
# hit's quotations and events; relations: what each says of the other.
front = get("/")[2].decode()
if "Key quote</h3><blockquote class=\"quote\">" not in front: bad.append("/: no key quote")
if "Top events</h3><ul class=\"evlist\">" not in front or not re.search(r'<code>\d{2,4}</code> [A-Z]', front):
    bad.append("/: no top event with its CAMEO code and label")
if not re.search(r'class="gs (coop|conf|neutral)">[+-]\d', front): bad.append("/: no Goldstein score")
rel = get("/relations?a=RUS&b=CHN")[2].decode()
pq = rel[rel.find('id="pair-quotes"'):rel.find('id="pair-events"')]
if 'id="pair-quotes"' not in rel or 'class="quote"' not in pq: bad.append("relations: no quotations between the two")
if "<svg" not in rel or 'class="gpos"' not in rel and 'class="gneg"' not in rel: bad.append("relations: no SVG chart")
if "friends of steel" not in get("/search?q=%22friends+of+steel%22")[2].decode().lower(): bad.append("search: no 'friends of steel' hit")
srch = get("/search?q=moscow")[2].decode()
if 'class="side facets"' not in srch or "<h3>Outlet</h3>" not in srch: bad.append("search: no facets")
if 'class="hit-quotes"' not in srch or 'class="hit-events"' not in srch: bad.append("search: no quotes or events under the hits")

# The API: JSON, the CLI's shapes.
api = {"/api/v1/": None, "/api/v1/stories": None, "/api/v1/stories/1": None, "/api/v1/articles/1": None,
       "/api/v1/actors": None, "/api/v1/actors/1": None, "/api/v1/relations?a=RUS&b=CHN": None,
       "/api/v1/search?q=moscow": None, "/api/v1/digest": None, "/api/v1/digest?date=2025-05-08": None}
for p in api:
    st, h, b = get(p)
    if st != 200 or h.get("content-type") != "application/json": bad.append(f"{p}: {st} {h.get('content-type')}"); continue
    try: api[p] = json.loads(b)
    except ValueError as e: bad.append(f"{p}: not JSON: {e}")
if api["/api/v1/stories"] and api["/api/v1/stories"]["stories"] != cli_json("stories", lines=True):
    bad.append("/api/v1/stories differs from `stories --json`")
if api["/api/v1/stories/1"] and api["/api/v1/stories/1"]["story"] != cli_json("story", "1"):
    bad.append("/api/v1/stories/1 .story differs from `story 1 --json`")
if api["/api/v1/relations?a=RUS&b=CHN"] and api["/api/v1/relations?a=RUS&b=CHN"]["relations"] != cli_json("relations", "RUS", "CHN"):
    bad.append("/api/v1/relations differs from `relations RUS CHN --json`")
if api["/api/v1/articles/1"] and api["/api/v1/articles/1"]["article"] != cli_json("show", "1"):
    bad.append("/api/v1/articles/1 .article differs from `show 1 --json`")
st, _, b = get("/api/v1/actors/Putin")
if st != 200 or json.loads(b)["actor"] != cli_json("actor", "Putin"):
    bad.append("/api/v1/actors/Putin .actor differs from `actor Putin --json`")
if api["/api/v1/digest"] and api["/api/v1/digest"] != cli_json("digest"):
    bad.append("/api/v1/digest differs from `digest --json`")
if api["/api/v1/search?q=moscow"] and not api["/api/v1/search?q=moscow"]["hits"]: bad.append("api search: no hits")
sq = api["/api/v1/search?q=moscow"] or {}
hit_docs = set(h["doc_id"] for h in sq.get("hits", []))
if not sq.get("quotes") or not sq.get("events"): bad.append("api search: no quotes or events of the hits")
elif any(x["doc_id"] not in hit_docs for x in sq["quotes"] + sq["events"]): bad.append("api search: a quote or event of no hit")
rq = (api["/api/v1/relations?a=RUS&b=CHN"] or {}).get("quotes")
if not rq: bad.append("api relations: no quotes between the two")
# The briefing for e-mail: links absolute to the server.
md = get("/digest?format=md&date=2025-05-08")
if md[0] != 200 or not md[1].get("content-type", "").startswith("text/markdown") or ("](" + url + "stories/") not in md[2].decode():
    bad.append(f"/digest?format=md: {md[0]}, links not absolute to {url}")
eh = get("/digest?format=html")[2].decode()
if 'href="/' in eh or ('href="' + url) not in eh: bad.append("/digest?format=html: links not absolute")
if get("/digest?format=pdf")[0] != 400: bad.append("/digest?format=pdf: not a 400")
a1 = api["/api/v1/articles/1"]
if a1 and a1["article"]["title"] != "<script>alert(1)</script> Putin meets Xi in Moscow": bad.append("api article: title not as stored")

# Paging: limit and cursor walk the stories once each.
st, _, b = get("/api/v1/stories?limit=1")
page1 = json.loads(b)
if st != 200 or len(page1["stories"]) != 1 or not page1["next"]: bad.append(f"stories?limit=1: {b[:200]!r}")
else:
    page2 = json.loads(get("/api/v1/stories?limit=1&cursor=" + urllib.parse.quote(page1["next"]))[2])
    if not page2["stories"] or page2["stories"][0]["id"] == page1["stories"][0]["id"]: bad.append("cursor did not advance")

# Hostile requests: 4xx with a message, never a 500; JSON errors under /api.
hostile = [("/articles/999", 404), ("/articles/abc", 404), ("/articles/1%2F..", 404), ("/stories/-1", 404),
           ("/stories/99999999999999999999", 404), ("/nope", 404), ("/../../etc/passwd", 404),
           ("/static/../web.h", 404), ("/static/%2e%2e/web.h", 404), ("/stories?limit=0", 400),
           ("/stories?limit=abc", 400), ("/stories?limit=99999", 400), ("/search?q=%22", 400),
           ("/search?q=%ff%fe", 400), ("/search?q=a%1bb", 400), ("/search?q=" + "a" * 2000, 400),
           ("/relations?a=RUS", 400), ("/relations?a=RUS&b=CHN&by=fortnight", 400),
           ("/stories?cursor=zzz", 400), ("/digest?date=yesterday", 400), ("/actors/Nobody%20Here", 404),
           ("/api/v1/stories/abc", 404), ("/api/v1/search?q=%22", 400), ("/api/v1/search", 400),
           ("/api/v1/relations?a=%3Cscript%3E&b=CHN", 404), ("/api/v1/stories?limit=0", 400),
           ("/search?q=%3Cscript%3Ealert(1)%3C/script%3E", 400), ("/search?q=%22%3Cscript%3Ealert%22", 200), ("/actors/%3Cimg%20src=x%3E", 404)]
for p, want in hostile:
    st, h, b = get(p)
    if st != want: bad.append(f"{p[:60]}: status {st}, expected {want}")
    if p.startswith("/api/"):
        try:
            e = json.loads(b)
            if st >= 400 and not (e["error"]["status"] == st and e["error"]["message"]): bad.append(f"{p}: error body {b[:100]!r}")
        except (ValueError, KeyError, TypeError): bad.append(f"{p}: not a JSON error: {b[:100]!r}")
    elif h.get("content-type", "").startswith("text/html"):
        inert(p, b)
st, h, _ = get("/stories", method="POST", body=b"x=1")
if st != 405 or "GET" not in h.get("allow", ""): bad.append(f"POST: {st} {h.get('allow')}")
st, _, _ = get("/stories", method="DELETE")
if st != 405: bad.append(f"DELETE: {st}")
st, _, _ = get("/", headers={f"X-H{i}": "v" for i in range(100)})
if st != 431: bad.append(f"100 headers: {st}")
st, _, _ = get("/", headers={"X-Big": "v" * 40000})
if st < 400 or st >= 500 and st != 503:
    if st != 500: bad.append(f"40 kB header: {st}")
st, h, _ = get("/static/app.css")
if st != 200 or not h.get("content-type", "").startswith("text/css"): bad.append(f"app.css: {st}")

# An ingest beside the server: it writes, the server reads the new story.
before = len(json.loads(get("/api/v1/stories")[2])["stories"])
# The briefing is kept by each worker until the store changes: asked on
# every worker before the ingest, it must still see the new day after.
for _ in range(6):
    if json.loads(get("/api/v1/digest?date=2025-03-05")[2])["stories"]: bad.append("digest of 2025-03-05 before its ingest")
# So are searches and actors' pages, by every parameter: each query its
# own answer, renewed after the ingest.
for _ in range(6):
    if json.loads(get("/api/v1/search?q=Carlsen")[2])["hits"]: bad.append("search Carlsen before its ingest")
    page_before = get("/search?q=Carlsen")[2]
    one, two = (json.loads(get("/api/v1/search?q=the&limit=%d" % n)[2])["hits"] for n in (1, 2))
    if len(one) != 1 or len(two) != 2: bad.append(f"search ?limit=1 and 2 (cached): {len(one)} and {len(two)} hits")
r = subprocess.run([cli, "ingest", "--db", db, tests + "/../samples/briefs.jsonl"], capture_output=True)
if r.returncode != 0: bad.append("ingest beside serve failed: " + r.stderr.decode()[:200])
after = len(json.loads(get("/api/v1/stories")[2])["stories"])
if after <= before: bad.append(f"stories after an ingest beside the server: {before} -> {after}")
for _ in range(6):
    if not json.loads(get("/api/v1/digest?date=2025-03-05")[2])["stories"]: bad.append("cached digest not renewed after an ingest"); break
for _ in range(6):
    if not json.loads(get("/api/v1/search?q=Carlsen")[2])["hits"]: bad.append("cached search not renewed after an ingest"); break
    if get("/search?q=Carlsen")[2] == page_before: bad.append("cached search page not renewed after an ingest"); break
for b_ in bad: print(b_)
sys.exit(1 if bad else 0)
PY
rc=$?
check "pages, API, hostile content and requests (see below)" '[ $rc = 0 ]'
sed 's/^/# /' "$T/py.out"
check "no 500 logged" '! grep -q "serve: " "$T/serve.err"'

kill "$PID" && wait "$PID"
check "serve exits 0 on SIGTERM" '[ $? = 0 ]'
PID=

# Every worker's connection is opened before the address is
# printed: with the store moved away after that, every worker still
# answers from the connection it was given (one opened on first use
# would fail: 503).
cp "$DB" "$T/moved.db"
serve_start "$T/moved.db" 3 50 serve2
mv "$T/moved.db" "$T/gone.db"; mv "$T/moved.db-wal" "$T/gone.db-wal" 2>/dev/null; mv "$T/moved.db-shm" "$T/gone.db-shm" 2>/dev/null
codes=$(for i in $(seq 24); do python3 -c "import sys, urllib.request
try: print(urllib.request.urlopen(sys.argv[1] + 'search?q=moscow&n=$i', timeout=20).status)
except Exception as e: print(getattr(e, 'code', e))" "$URL"; done | sort | uniq -c | tr -s ' \n' ' ')
check "workers answer from connections opened before the address is printed ($codes)" '[ "$codes" = " 24 200 " ]'
kill "$PID" && wait "$PID"
PID=

"$CLI" digest --db "$DB" --date 2025-05-08 >"$T/d.md"
check "digest: Markdown, hostile text escaped" 'grep -q "^# " "$T/d.md" && ! grep -q "<script" "$T/d.md" && ! grep -q $'"'"'\x1b'"'"' "$T/d.md"'
"$CLI" digest --db "$DB" --format html >"$T/d.html"
check "digest --format html: one self-contained page, no script" \
    'grep -q "<style>" "$T/d.html" && ! grep -q "<script" "$T/d.html" && ! grep -q "<img" "$T/d.html"'
check "digest --json is JSON" '"$CLI" digest --db "$DB" --json | python3 -c "import json,sys; json.load(sys.stdin)"'
check "digest --format pdf: exit 2" '"$CLI" digest --db "$DB" --format pdf 2>/dev/null; [ $? = 2 ]'
check "digest --date tomorrow: exit 2" '"$CLI" digest --db "$DB" --date tomorrow 2>/dev/null; [ $? = 2 ]'
check "digest --base-url: links absolute (md, html)" \
    '"$CLI" digest --db "$DB" --base-url https://news.example/ | grep -q "](https://news.example/stories/[0-9]*)" &&
     "$CLI" digest --db "$DB" --base-url https://news.example --format html >"$T/b.html" &&
     grep -q "href=\"https://news.example/stories/" "$T/b.html" && ! grep -q "href=\"/" "$T/b.html"'
check "digest --base-url javascript:x: exit 2" '"$CLI" digest --db "$DB" --base-url "javascript:alert(1)" 2>/dev/null; [ $? = 2 ]'

# A story whose outlets share a quotation of several sentences: no summary
# sentence starts or ends inside a quotation.
"$CLI" ingest --db "$T/mq.db" "$TESTS/data/serve/midquote.jsonl" >/dev/null 2>&1
check "summary: no sentence cut inside a quotation" \
    '"$CLI" digest --db "$T/mq.db" --json | python3 -c "
import json, sys
d = json.load(sys.stdin)
ss = [x[\"text\"] for s in d[\"stories\"] for x in s[\"summary\"]]
cut = [t for t in ss if sum(t.count(c) for c in \"\\\"\u201c\u201d\") % 2]
print(\"# summary:\", ss, \"cut:\", cut)
sys.exit(1 if cut or not ss else 0)"'
exit $fail
