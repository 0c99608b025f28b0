/* routes.c - the pages and the JSON API of `newsdesk serve`: each route
 * reads its parameters, asks the query layer, and renders the result as
 * HTML (newsdesk/render.h) or as JSON in the CLI's shapes.  Bad input is a
 * 400 with a message, an unknown route or id a 404; a 500 only when the
 * store itself fails. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

#define HTML "text/html; charset=utf-8"
#define JSON "application/json"

/* ---- answers ------------------------------------------------------------------------------ */

static void fail(web_req *r, int status, const char *msg)
{
    nd_buf_clear(&r->out);
    r->status = status;
    if (r->api) {
        nd_json j;
        nd_json_init(&j, &r->out, 0);
        nd_json_obj_begin(&j);
        nd_json_key(&j, "error");
        nd_json_obj_begin(&j);
        nd_json_key(&j, "status");
        nd_json_int(&j, status);
        nd_json_key(&j, "message");
        nd_json_str(&j, msg);
        nd_json_obj_end(&j);
        nd_json_obj_end(&j);
        nd_buf_putc(&r->out, '\n');
        r->ctype = JSON;
    } else {
        nd_render_html_error(&r->out, status, msg);
        r->ctype = HTML;
    }
}

/* A query's failure as an answer: the user's mistake is 400, a name or id
 * that means nothing 404, a busy or slow store 503, the rest 500. */
static void query_fail(web_req *r, int rc, const nd_error *e)
{
    const char *msg = e->msg[0] ? e->msg : nd_strerror(rc);
    int status = rc == ND_EINVAL || rc == ND_EPARSE ? 400
                 : rc == ND_ENOTFOUND               ? 404
                 : rc == ND_EBUSY                   ? 503
                                                    : 500;
    if (rc == ND_EDB && strstr(msg, "interrupted")) {
        status = 503;
        msg = "the question took too long to answer";
    }
    if (status == 500) fprintf(stderr, "newsdesk: serve: %s: %s\n", r->path, msg);
    fail(r, status, msg);
}

static void json_begin(web_req *r, nd_json *j)
{
    r->ctype = JSON;
    nd_json_init(j, &r->out, 0);
}

static void json_next(nd_json *j, const char *next)
{
    nd_json_key(j, "next");
    nd_json_str(j, next);
}

/* ---- parameters ---------------------------------------------------------------------------- */

#define MAX_PARAM 1024

const char *web_param(web_req *r, const char *name, int *bad)
{
    const char *v = r->arg ? r->arg(r->arg_ctx, name) : NULL;
    if (!v) return NULL;
    size_t n = strlen(v);
    const char *why = n > MAX_PARAM ? "is too long" : NULL;
    for (size_t i = 0; i < n && !why;) {
        uint32_t cp = 0;
        size_t k = nd_utf8_decode(v + i, n - i, &cp);
        if (!k)
            why = "is not valid UTF-8";
        else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || nd_bidi_control(cp))
            why = "holds control characters";
        i += k ? k : 1;
    }
    if (!why) return *v ? v : NULL;
    *bad = 1;

    char msg[160];
    snprintf(msg, sizeof msg, "the parameter '%s' %s", name, why);
    fail(r, 400, msg);
    return NULL;
}

#define PARAM(var, name)                                                                           \
    const char *var = web_param(r, name, &bad);                                                    \
    if (bad) return

/* A whole number in [min, max] or 400. */
static int number(web_req *r, const char *s, long long min, long long max, long long *out,
                  const char *what)
{
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v < min || v > max || strlen(s) > 18) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s must be a whole number from %lld to %lld", what, min, max);
        fail(r, 400, msg);
        return -1;
    }
    *out = v;
    return 0;
}

/* limit=N (1..max); 0 when absent. */
static int limit_of(web_req *r, int max, int *out)
{
    int bad = 0;
    const char *v = web_param(r, "limit", &bad);
    *out = 0;
    if (bad) return -1;
    if (!v) return 0;
    long long n;
    if (number(r, v, 1, max, &n, "limit")) return -1;
    *out = (int) n;
    return 0;
}

/* The id after a route's prefix ("/stories/" 12): digits only, else 404. */
static int path_id(web_req *r, const char *rest, int64_t *id, const char *what)
{
    long long v = 0;
    size_t n = strlen(rest);
    int ok = n > 0 && n <= 18;
    for (size_t i = 0; ok && i < n; i++) ok = rest[i] >= '0' && rest[i] <= '9';
    if (ok) v = strtoll(rest, NULL, 10);
    if (!ok || v <= 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "no %s '%.60s' (ids are numbers)", what, rest);
        fail(r, 404, msg);
        return -1;
    }
    *id = v;
    return 0;
}

/* Free a handler's results (any may be NULL). */
static void free_results(void *const *all, size_t n)
{
    for (size_t i = 0; i < n; i++) nd_result_free(all[i]);
}
#define FREE_RESULTS(...)                                                                          \
    do {                                                                                           \
        void *const all_[] = {__VA_ARGS__};                                                        \
        free_results(all_, sizeof all_ / sizeof *all_);                                            \
    } while (0)

/* Query-string parameters into string fields of the options. */
typedef struct param_field {
    const char *name;
    size_t off; /* offsetof(nd_query_opts, the field) */
} param_field;
#define PF(name, field)                                                                            \
    {                                                                                              \
        name, offsetof(nd_query_opts, field)                                                       \
    }

/* 0, or -1 with the 400 made. */
static int read_params(web_req *r, nd_query_opts *q, const param_field *f, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++)
        *(const char **) (void *) ((char *) q + f[i].off) = web_param(r, f[i].name, &bad);
    return bad ? -1 : 0;
}
#define READ_PARAMS(q, ...)                                                                        \
    do {                                                                                           \
        static const param_field f_[] = {__VA_ARGS__};                                             \
        if (read_params(r, (q), f_, sizeof f_ / sizeof *f_)) return;                               \
    } while (0)

/* How a page answers once its questions are asked: their failure
 * (ANSWERED), the API's object begun in j (AS_JSON: the handler writes its
 * keys and ends it), or HTML (AS_HTML). */
enum { ANSWERED, AS_JSON, AS_HTML };
static int answer_as(web_req *r, int rc, const nd_error *e, nd_json *j)
{
    if (rc) {
        query_fail(r, rc, e);
        return ANSWERED;
    }
    if (!r->api) {
        r->ctype = HTML;
        return AS_HTML;
    }
    json_begin(r, j);
    nd_json_obj_begin(j);
    return AS_JSON;
}

/* ---- pages ---------------------------------------------------------------------------------- */

static void front(web_req *r, int digest)
{
    int bad = 0;
    PARAM(date, "date");
    PARAM(since, "since");
    PARAM(format, "format");
    /* /digest?format=md|html: the briefing for e-mail, its links absolute
     * to this site (newsdesk digest --base-url). */
    if (format && (!digest || r->api || (strcmp(format, "md") && strcmp(format, "html")))) {
        fail(r, 400, "format is md or html, on /digest only");
        return;
    }
    nd_query_opts q = {0};
    q.since = date ? date : since;
    if (date && strlen(date) != 10) {
        fail(r, 400, "date must be a day: 2025-05-08");
        return;
    }
    if (limit_of(r, 100, &q.limit)) return;
    nd_briefing *b = NULL;
    nd_error e = {0};
    /* The front page shows each story's key quote and top events too. */
    int rc = nd_query_briefing(r->s, &q, 1, &b, &e);
    if (rc) {
        query_fail(r, rc, &e);
        return;
    }
    if (r->api) {
        nd_json j;
        json_begin(r, &j);
        nd_render_json_briefing(&j, b);
    } else if (format && !strcmp(format, "md")) {
        r->ctype = "text/markdown; charset=utf-8";
        nd_render_md_digest(&r->out, b, r->base);
    } else if (digest) {
        r->ctype = HTML;
        nd_render_html_digest(&r->out, b, format != NULL, format ? r->base : NULL);
    } else {
        nd_query_opts m = {0};
        m.limit = 20;
        nd_story_list *more = NULL;
        if (nd_query_stories(r->s, &m, &more, &e)) more = NULL;
        r->ctype = HTML;
        nd_render_html_front(&r->out, b, more);
        nd_result_free(more);
    }
    nd_result_free(b);
}

/* A listing's answer: the query on q, then {"key": [rows], "next"} or
 * the HTML page. */
#define LIST_ANSWER(type, query, key, json_row, html_page)                                         \
    do {                                                                                           \
        type *l = NULL;                                                                            \
        nd_error e = {0};                                                                          \
        nd_json j;                                                                                 \
        int as = answer_as(r, query(r->s, &q, &l, &e), &e, &j);                                    \
        if (as == AS_JSON) {                                                                       \
            ND_RENDER_JSON_LIST(&j, key, l->items, l->n, json_row);                                \
            json_next(&j, l->r.next);                                                              \
            nd_json_obj_end(&j);                                                                   \
        } else if (as == AS_HTML) {                                                                \
            html_page(&r->out, l);                                                                 \
        }                                                                                          \
        nd_result_free(l);                                                                         \
    } while (0)

static void stories(web_req *r)
{
    nd_query_opts q = {0};
    READ_PARAMS(&q, PF("cursor", cursor), PF("since", since), PF("until", until));
    if (limit_of(r, 1000, &q.limit)) return;
    if (!q.limit) q.limit = 50;
    LIST_ANSWER(nd_story_list, nd_query_stories, "stories", nd_render_json_story,
                nd_render_html_stories);
}

static void story(web_req *r, const char *rest)
{
    int64_t id;
    if (path_id(r, rest, &id, "story")) return;
    nd_html_story v = {0};
    nd_error e = {0};
    nd_story_page *p = NULL;
    nd_query_opts sq = {0};
    if (limit_of(r, 10000, &sq.limit)) return;
    int rc = nd_query_story(r->s, id, &sq, &p, &e);
    if (rc) {
        query_fail(r, rc, &e);
        return;
    }
    v.story = p;
    nd_story_summary *sum = NULL;
    nd_keyword_list *kw = NULL;
    nd_actor_list *ac = NULL;
    nd_quote_list *qu = NULL;
    nd_event_list *ev = NULL;
    nd_query_opts q = {0};
    q.story = id;
    q.limit = 3;
    rc = nd_query_story_summary(r->s, id, NULL, &sum, &e);
    q.limit = 10;
    if (!rc) rc = nd_query_keywords(r->s, 0, &q, &kw, &e);
    q.limit = 12;
    if (!rc) rc = nd_query_actors(r->s, &q, &ac, &e);
    q.limit = 30;
    if (!rc) rc = nd_query_quotes(r->s, &q, &qu, &e);
    q.with_sentence = 1;
    if (!rc) rc = nd_query_events(r->s, &q, &ev, &e);
    nd_json j;
    int as = answer_as(r, rc, &e, &j);
    if (as == AS_JSON) {
        nd_json_key(&j, "story");
        nd_render_json_story_page(&j, p);
        nd_json_key(&j, "summary");
        nd_render_json_summary(&j, sum);
        nd_json_key(&j, "keywords");
        nd_render_json_keywords(&j, kw->items, kw->n);
        ND_RENDER_JSON_LIST(&j, "actors", ac->items, ac->n, nd_render_json_actor);
        ND_RENDER_JSON_LIST(&j, "quotes", qu->items, qu->n, nd_render_json_quote);
        ND_RENDER_JSON_LIST(&j, "events", ev->items, ev->n, nd_render_json_event);
        nd_json_obj_end(&j);
    } else if (as == AS_HTML) {
        v.summary = sum;
        v.keywords = kw;
        v.actors = ac;
        v.quotes = qu;
        v.events = ev;
        nd_render_html_story(&r->out, &v);
    }
    FREE_RESULTS(p, sum, kw, ac, qu, ev);
}

static void article(web_req *r, const char *rest)
{
    int64_t id;
    if (path_id(r, rest, &id, "article")) return;
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long) id);
    nd_article_page *p = NULL;
    nd_error e = {0};
    /* nd_query_article would take a number it does not find as an
     * external id: the web's ids are numbers only. */
    int rc = nd_query_article(r->s, num, &p, &e);
    if (!rc && p->doc->id != id) {
        nd_result_free(p);
        p = NULL;
        rc = nd_error_set(&e, ND_ENOTFOUND, (size_t) -1, "no article %lld", (long long) id);
    }
    nd_json j;
    int as = answer_as(r, rc, &e, &j);
    if (as == AS_JSON) {
        nd_json_key(&j, "article");
        nd_render_json_document(&j, p->doc);
        nd_json_key(&j, "story");
        if (p->story)
            nd_render_json_story(&j, p->story);
        else
            nd_json_null(&j);
        nd_json_key(&j, "copies");
        nd_json_arr_begin(&j);
        for (size_t i = 0; i < p->n_copies; i++) {
            const nd_story_article *c = &p->copies[i];
            nd_json_obj_begin(&j);
            nd_render_json_doc_id(&j, c->ext_id, c->id);
            nd_json_key(&j, "title");
            nd_json_str(&j, c->title);
            nd_json_key(&j, "outlet");
            nd_json_str(&j, c->outlet);
            nd_json_key(&j, "url");
            nd_json_str(&j, c->url);
            nd_json_key(&j, "original");
            nd_json_bool(&j, c->dup_of == 0);
            nd_json_obj_end(&j);
        }
        nd_json_arr_end(&j);
        nd_json_key(&j, "keywords");
        nd_render_json_keywords(&j, p->keywords, p->n_keywords);
        nd_json_obj_end(&j);
    } else if (as == AS_HTML) {
        nd_render_html_article(&r->out, p);
    }
    nd_result_free(p);
}

static void actors(web_req *r)
{
    nd_query_opts q = {0};
    READ_PARAMS(&q, PF("cursor", cursor));
    if (limit_of(r, 1000, &q.limit)) return;
    if (!q.limit) q.limit = 50;
    LIST_ANSWER(nd_actor_list, nd_query_actors, "actors", nd_render_json_actor,
                nd_render_html_actors);
}

static void actor(web_req *r, const char *rest)
{
    int bad = 0;
    PARAM(by, "by");
    if (!*rest || strlen(rest) > 200) {
        fail(r, 404, "no such actor");
        return;
    }
    /* A number is the actor's id; anything else a name or a code. */
    char name[232];
    int numeric = 1;
    for (const char *p = rest; *p && numeric; p++) numeric = *p >= '0' && *p <= '9';
    snprintf(name, sizeof name, numeric ? "#%s" : "%s", rest);
    for (size_t i = 0; name[i]; i++)
        if ((unsigned char) name[i] < 0x20) {
            fail(r, 400, "an actor's name has no control characters");
            return;
        }
    nd_query_opts q = {0};
    q.period = by;
    q.limit = 10;
    nd_actor_page *p = NULL;
    nd_error e = {0};
    int rc = nd_query_actor(r->s, name, &q, &p, &e);
    if (rc) {
        query_fail(r, rc, &e);
        return;
    }
    /* Its events (either side) and the quotations that name it. */
    nd_query_opts eq = {0};
    eq.actor = name;
    eq.exact_actor = 1;
    eq.limit = 40;
    eq.with_sentence = 1;
    nd_event_list *ev = NULL;
    nd_quote_list *about = NULL;
    rc = nd_query_events(r->s, &eq, &ev, &e);
    if (!rc && p->n_actors) {
        nd_buf phrase = ND_BUF_INIT;
        nd_buf_putc(&phrase, '"');
        for (const char *c = p->actors[0].name; *c; c++) {
            if (*c == '"') nd_buf_putc(&phrase, '"');
            nd_buf_putc(&phrase, *c);
        }
        nd_buf_putc(&phrase, '"');
        nd_query_opts aq = {0};
        aq.text = phrase.ptr;
        aq.limit = 10;
        /* A name the full-text syntax refuses leaves the list empty. */
        if (nd_query_quotes(r->s, &aq, &about, &e)) about = NULL;
        nd_buf_free(&phrase);
    }
    nd_json j;
    int as = answer_as(r, rc, &e, &j);
    if (as == AS_JSON) {
        nd_json_key(&j, "actor");
        nd_render_json_actor_page(&j, p);
        ND_RENDER_JSON_LIST(&j, "events", ev->items, ev->n, nd_render_json_event);
        ND_RENDER_JSON_LIST(&j, "quotes_about", (about ? about->items : NULL),
                            (about ? about->n : 0), nd_render_json_quote);
        nd_json_obj_end(&j);
    } else if (as == AS_HTML) {
        nd_html_actor v = {p, ev, about};
        nd_render_html_actor(&r->out, &v);
    }
    FREE_RESULTS(p, ev, about);
}

static void relations(web_req *r)
{
    nd_query_opts q = {0};
    READ_PARAMS(&q, PF("a", actor), PF("b", actor_b), PF("by", period), PF("cursor", cursor),
                PF("since", since), PF("until", until));
    if (!q.actor || !q.actor_b) {
        fail(r, 400, "relations need two actors: ?a=RUS&b=CHN (codes, names or #ids)");
        return;
    }
    if (limit_of(r, 500, &q.limit)) return;
    nd_relations_page *p = NULL;
    nd_quote_list *qs = NULL;
    nd_error e = {0};
    int rc = nd_query_relations(r->s, &q, &p, &e);
    /* What each says naming the other (on the first page). */
    nd_query_opts pq = {0};
    pq.actor = q.actor;
    pq.actor_b = q.actor_b;
    pq.since = q.since;
    pq.until = q.until;
    pq.limit = 10;
    if (!rc && !q.cursor) rc = nd_query_quotes(r->s, &pq, &qs, &e);
    nd_json j;
    int as = answer_as(r, rc, &e, &j);
    if (as == AS_JSON) {
        nd_json_key(&j, "relations");
        nd_render_json_relations(&j, p);
        json_next(&j, p->r.next);
        ND_RENDER_JSON_LIST(&j, "quotes", (qs ? qs->items : NULL), (qs ? qs->n : 0),
                            nd_render_json_quote);
        nd_json_obj_end(&j);
    } else if (as == AS_HTML) {
        nd_render_html_relations(&r->out, p, qs);
    }
    FREE_RESULTS(p, qs);
}

#define HIT_ITEMS 2 /* quotations and events shown under each hit */

/* Each hit's first quotations and events: two small reads on the
 * quotes(doc_id) and events(doc_id) indexes per hit.  The arrays are
 * parallel to h->items; free with free_hit_items(). */
static int hit_items(web_req *r, const nd_hit_list *h, nd_quote_list ***qs, nd_event_list ***evs,
                     nd_error *e)
{
    size_t n = h->n ? h->n : 1;
    *qs = calloc(n, sizeof **qs);
    *evs = calloc(n, sizeof **evs);
    if (!*qs || !*evs) return nd_error_set(e, ND_ENOMEM, (size_t) -1, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < h->n && !rc; i++) {
        nd_query_opts d = {0};
        d.doc = h->items[i].id;
        d.limit = HIT_ITEMS;
        rc = nd_query_quotes(r->s, &d, &(*qs)[i], e);
        if (!rc) rc = nd_query_events(r->s, &d, &(*evs)[i], e);
    }
    return rc;
}

static void free_hit_items(size_t n, nd_quote_list **qs, nd_event_list **evs)
{
    for (size_t i = 0; i < n; i++) {
        if (qs) nd_result_free(qs[i]);
        if (evs) nd_result_free(evs[i]);
    }
    free(qs);
    free(evs);
}

static void search(web_req *r)
{
    nd_query_opts q = {0};
    READ_PARAMS(&q, PF("q", text), PF("site", site), PF("language", language), PF("actor", actor),
                PF("since", since), PF("until", until), PF("cursor", cursor));
    if (limit_of(r, 100, &q.limit)) return;
    nd_hit_list *h = NULL;
    nd_facet_list *f = NULL;
    nd_quote_list **hq = NULL;
    nd_event_list **he = NULL;
    nd_error e = {0};
    int rc = 0;
    if (q.text) {
        rc = nd_query_search(r->s, &q, &h, &e);
        if (!rc && !q.cursor) rc = nd_query_search_facets(r->s, &q, &f, &e);
        if (!rc) rc = hit_items(r, h, &hq, &he, &e);
    } else if (r->api) {
        rc = nd_error_set(&e, ND_EPARSE, (size_t) -1, "search needs q: ?q=words");
    }
    if (r->api) {
        nd_json j;
        if (answer_as(r, rc, &e, &j) == AS_JSON) {
            ND_RENDER_JSON_LIST(&j, "hits", h->items, h->n, nd_render_json_hit);
            json_next(&j, h->r.next);
            nd_json_key(&j, "facets");
            if (f)
                nd_render_json_facets(&j, f);
            else
                nd_json_null(&j);
            /* The hits' quotations and events (each names its doc_id). */
            nd_json_key(&j, "quotes");
            nd_json_arr_begin(&j);
            for (size_t i = 0; i < h->n; i++)
                for (size_t k = 0; k < hq[i]->n; k++) nd_render_json_quote(&j, &hq[i]->items[k]);
            nd_json_arr_end(&j);
            nd_json_key(&j, "events");
            nd_json_arr_begin(&j);
            for (size_t i = 0; i < h->n; i++)
                for (size_t k = 0; k < he[i]->n; k++) nd_render_json_event(&j, &he[i]->items[k]);
            nd_json_arr_end(&j);
            nd_json_obj_end(&j);
        }
    } else {
        /* The page shows a bad query's message (and answers 400). */
        nd_html_search v = {&q,
                            rc ? NULL : h,
                            rc ? NULL : f,
                            rc ? e.msg : NULL,
                            (const nd_quote_list *const *) hq,
                            (const nd_event_list *const *) he};
        if (rc && rc != ND_EPARSE && rc != ND_EINVAL && rc != ND_ENOTFOUND) {
            query_fail(r, rc, &e);
        } else {
            r->status = rc == ND_ENOTFOUND ? 404 : rc ? 400 : 200;
            r->ctype = HTML;
            nd_render_html_search(&r->out, &v);
        }
    }
    free_hit_items(h ? h->n : 0, hq, he);
    FREE_RESULTS(h, f);
}

static void api_index(web_req *r)
{
    r->ctype = JSON;
    nd_buf_puts(&r->out,
                "{\"version\":1,\"endpoints\":[\"/api/v1/stories\",\"/api/v1/stories/{id}\","
                "\"/api/v1/articles/{id}\",\"/api/v1/actors\",\"/api/v1/actors/{id}\","
                "\"/api/v1/relations?a=&b=\",\"/api/v1/search?q=\",\"/api/v1/digest?date=\"],"
                "\"docs\":\"docs/api.md\"}\n");
}

static void asset(web_req *r, const char *name)
{
    for (const web_asset *a = web_assets; a->name; a++) {
        if (strcmp(a->name, name)) continue;
        const char *dot = strrchr(name, '.');
        r->ctype = dot && !strcmp(dot, ".css")   ? "text/css; charset=utf-8"
                   : dot && !strcmp(dot, ".js")  ? "text/javascript; charset=utf-8"
                   : dot && !strcmp(dot, ".svg") ? "image/svg+xml"
                                                 : "application/octet-stream";
        nd_buf_append(&r->out, a->data, a->len);
        return;
    }
    fail(r, 404, "no such file");
}

/* rest of path after prefix, or NULL. */
static const char *under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) ? NULL : path + n;
}

void web_route(web_req *r)
{
    const char *p = r->path, *rest;
    if ((rest = under(p, "/api/v1")) && (!*rest || *rest == '/')) {
        r->api = 1;
        p = *rest ? rest : "/";
        if (!strcmp(p, "/")) {
            api_index(r);
            return;
        }
    }
    if (!strcmp(p, "/") && !r->api)
        front(r, 0);
    else if (!strcmp(p, "/digest"))
        front(r, 1);
    else if (!strcmp(p, "/stories") || !strcmp(p, "/stories/"))
        stories(r);
    else if ((rest = under(p, "/stories/")))
        story(r, rest);
    else if ((rest = under(p, "/articles/")))
        article(r, rest);
    else if (!strcmp(p, "/actors") || !strcmp(p, "/actors/"))
        actors(r);
    else if ((rest = under(p, "/actors/")))
        actor(r, rest);
    else if (!strcmp(p, "/relations"))
        relations(r);
    else if (!strcmp(p, "/search"))
        search(r);
    else if (!r->api && (rest = under(p, "/static/")))
        asset(r, rest);
    else if (!r->api && !strcmp(p, "/favicon.ico"))
        asset(r, "favicon.svg");
    else
        fail(r, 404, "no such page");
}
