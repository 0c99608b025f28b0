/* write.c - a page, its paragraphs and its related items into the store,
 * once: nd_store_prepare() computes every row (on any thread: the ingest
 * workers), nd_store_add_prepared() writes them with the story each
 * document gets (the writer); nd_store_add_page() does both. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "newsdesk/lang.h"
#include "store/store_int.h"

/* ---- times ------------------------------------------------------------------ */

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char) s[i])) return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

/* Strict ISO 8601, the form stores and feeds use most. */
static int parse_iso(const char *s, int64_t *ts, int *has_time)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    size_t n = strlen(s);
    if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return ND_EPARSE;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return ND_EPARSE;
    const char *p = s + 10;
    *has_time = 0;
    long off = 0;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (strlen(p) < 5 || digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi))
            return ND_EPARSE;
        p += 5;
        if (*p == ':') {
            if (digits(p + 1, 2, &se)) return ND_EPARSE;
            p += 3;
            if (*p == '.' || *p == ',')
                for (p++; isdigit((unsigned char) *p); p++) {
                }
        }
        if (h > 24 || mi > 59 || se > 60) return ND_EPARSE;
        *has_time = 1;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om = 0;
            int sign = *p == '-' ? -1 : 1;
            p++;
            if (digits(p, 2, &oh)) return ND_EPARSE;
            p += 2;
            if (*p == ':') p++;
            if (isdigit((unsigned char) *p)) {
                if (digits(p, 2, &om)) return ND_EPARSE;
                p += 2;
            }
            off = sign * (oh * 3600L + om * 60L);
        }
    }
    while (*p == ' ') p++;
    if (*p) return ND_EPARSE;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *ts = (int64_t) timegm(&tm) - off;
    return 0;
}

int nd__store_parse_time(const char *s, char out[32])
{
    int64_t ts;
    int has_time = 0;
    if (!s || !*s) return ND_EPARSE;
    if (nd_time_parse(s, strlen(s), &ts, &has_time) != 0 && parse_iso(s, &ts, &has_time) != 0)
        return ND_EPARSE;
    nd__store_time(ts, has_time, out);
    return 0;
}

/* Ages shown in minutes or hours give a time of day; days and more only a
 * day. */
static int age_has_time(const char *age)
{
    static const char *const units[] = {"sec", "min", "hour", "hr", "just now"};
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (nd_slice_ifind(nd_slice_c(age), units[i]) >= 0) return 1;
    return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

/* The URL's host, lowercase, without "www." and port; "" when none. */
static void url_host(const char *url, char *out, size_t cap)
{
    out[0] = 0;
    if (!url) return;
    const char *p = strstr(url, "://");
    if (!p) return;
    p += 3;
    const char *end = p + strcspn(p, "/?#");
    const char *at = memchr(p, '@', (size_t) (end - p));
    if (at) p = at + 1;
    const char *colon = memchr(p, ':', (size_t) (end - p));
    if (colon) end = colon;
    if (end - p > 4 && strncasecmp(p, "www.", 4) == 0) p += 4;
    size_t n = (size_t) (end - p);
    if (n >= cap) n = cap - 1;
    for (size_t i = 0; i < n; i++) out[i] = (char) tolower((unsigned char) p[i]);
    out[n] = 0;
}

/* First occurrence of needle in hay (memmem is not in C11 or POSIX). */
static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0) return hay;
    while (n >= m) {
        const char *p = memchr(hay, needle[0], n - m + 1);
        if (!p) return NULL;
        if (memcmp(p, needle, m) == 0) return p;
        n -= (size_t) (p + 1 - hay);
        hay = p + 1;
    }
    return NULL;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* ---- preparing: every row computed without the store ---------------------------- */

/* A related item of the page: its row, and the document made from it. */
typedef struct prel {
    const nd_related *r;
    char published[32];
    nd__pdoc *doc; /* NULL: too little text to be a document */
} prel;

struct nd_store_prepared {
    nd_arena *arena; /* strings and arrays */
    const nd_store_page *p;
    nd__pdoc page;
    prel *rel; /* p->article->n_related */
};

static char *dup_str(nd_arena *a, const char *s, size_t n)
{
    return a ? nd_arena_strndup(a, s, n) : NULL;
}

/* Paragraphs given as strings: find each in the text, in order. */
static int paras_given(nd_arena *a, nd__pdoc *d, const char *const *paras, size_t n)
{
    d->paras = nd_arena_calloc(a, n ? 2 * n : 1, sizeof *d->paras);
    if (!d->paras) return ND_ENOMEM;
    size_t pos = 0, len = d->text_len;
    const char *text = d->text;
    for (size_t i = 0; i < n; i++) {
        size_t pl = strlen(paras[i]);
        if (pl == 0) continue;
        const char *at = NULL;
        if (pos + pl <= len && memcmp(text + pos, paras[i], pl) == 0)
            at = text + pos;
        else if (pos < len)
            at = find(text + pos, len - pos, paras[i], pl);
        if (!at) continue;
        size_t start = (size_t) (at - text);
        d->paras[2 * d->n_paras] = start;
        d->paras[2 * d->n_paras + 1] = start + pl;
        d->n_paras++;
        pos = start + pl;
    }
    return 0;
}

/* Paragraphs of a text joined by blank lines. */
static int paras_split(nd_arena *a, nd__pdoc *d)
{
    const char *text = d->text;
    size_t len = d->text_len, i = 0, n = 1;
    for (size_t k = 0; k + 1 < len; k++) n += text[k] == '\n' && text[k + 1] == '\n';
    d->paras = nd_arena_calloc(a, 2 * n, sizeof *d->paras);
    if (!d->paras) return ND_ENOMEM;
    while (i < len && d->n_paras < n) {
        while (i < len && (text[i] == '\n' || text[i] == '\r')) i++;
        if (i >= len) break;
        size_t start = i;
        const char *br = find(text + i, len - i, "\n\n", 2);
        size_t end = br ? (size_t) (br - text) : len;
        while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\r')) end--;
        if (end > start) {
            d->paras[2 * d->n_paras] = start;
            d->paras[2 * d->n_paras + 1] = end;
            d->n_paras++;
        }
        i = br ? (size_t) (br - text) + 2 : len;
    }
    return 0;
}

/* What the story engine and the story rows read of a document: computed
 * from the row as it will be stored, as a later run reads it back. */
static int prep_story(nd__pdoc *d, nd_cluster_fx *fx)
{
    d->published_ts = nd__store_time_value(d->published);
    nd__store_doc_info(&d->info, d->title, d->site, d->host, d->published, d->fetched);
    if (!fx) return 0;
    nd_cluster_doc cd = {0,       d->title,    d->title ? strlen(d->title) : 0,
                         d->text, d->text_len, d->published_ts};
    return nd_cluster_prepare(fx, &cd, &d->prep);
}

/* The page's identity: URL, else external id, else where it was read. */
static const char *page_ident(const nd_store_page *p, const char *url, nd_buf *b)
{
    if (url && *url) return url;
    if (p->ext_id && *p->ext_id)
        nd_buf_printf(b, "id:%s", p->ext_id);
    else if (p->origin.ident && *p->origin.ident)
        nd_buf_printf(b, "src:%s", p->origin.ident);
    else
        return NULL;
    return nd_buf_failed(b) ? NULL : b->ptr;
}

static int prep_page(nd_store_prepared *pp, nd_cluster_fx *fx)
{
    const nd_store_page *p = pp->p;
    const nd_article *a = p->article;
    nd_arena *ar = pp->arena;
    nd__pdoc *d = &pp->page;
    nd_buf b = ND_BUF_INIT;
    d->ext_id = p->ext_id;
    d->url = p->url ? p->url : a->url;
    d->title = p->title ? p->title : a->title;
    const char *ident = page_ident(p, d->url, &b);
    d->ident = ident ? dup_str(ar, ident, strlen(ident)) : NULL;
    nd_buf_free(&b);
    if (ident && !d->ident) return ND_ENOMEM;
    d->text = a->text ? a->text : "";
    d->text_len = a->text ? a->text_len : 0;
    d->content_hash = nd_hash64(d->text, d->text_len);
    char published[32] = "", fetched[32] = "", host[256];
    if (!(p->published && nd__store_parse_time(p->published, published) == 0)) {
        published[0] = 0;
        if (a->published_ts != ND_TIME_NONE) {
            int has_time = a->published ? strlen(a->published) > 10 : a->published_ts % 86400 != 0;
            nd__store_time(a->published_ts, has_time, published);
        } else if (a->published) {
            nd__store_parse_time(a->published, published);
        }
    }
    if (p->fetched != ND_TIME_NONE) nd__store_time(p->fetched, 1, fetched);
    url_host(d->url, host, sizeof host);
    d->published = dup_str(ar, published, strlen(published));
    d->fetched = dup_str(ar, fetched, strlen(fetched));
    d->host = dup_str(ar, host, strlen(host));
    nd_json j;
    nd_json_init(&j, &b, 0);
    nd_json_arr_begin(&j);
    for (size_t i = 0; i < a->n_authors; i++) nd_json_str(&j, a->authors[i]);
    nd_json_arr_end(&j);
    d->authors_json = nd_buf_failed(&b) ? NULL : dup_str(ar, b.ptr, b.len);
    nd_buf_free(&b);
    if (!d->published || !d->fetched || !d->host || !d->authors_json) return ND_ENOMEM;
    d->site = a->site;
    /* The extractor identified the language (NULL: unclear); only the
     * embedded related articles, which it does not, are run through
     * nd_lang_detect(). */
    d->language = p->language ? p->language : a->language;
    d->credit = a->credit;
    d->raw_hash = p->raw_hash;
    d->origin = &p->origin;
    d->run_id = p->run_id;
    d->analysis = p->analysis;
    d->keywords = p->keywords;
    int rc = paras_given(ar, d, (const char *const *) a->paragraphs, a->n_paragraphs);
    return rc ? rc : prep_story(d, fx);
}

/* The document made from an embedded related article (when it has the
 * text to be one): a document of its own, never a version of the page at
 * its URL (that page, if crawled, has its own furniture). */
static int prep_related(nd_store_prepared *pp, size_t idx, nd_cluster_fx *fx)
{
    const nd_store_page *p = pp->p;
    const nd_related *r = &p->article->related[idx];
    prel *x = &pp->rel[idx];
    nd_arena *ar = pp->arena;
    x->r = r;
    if (r->published && nd__store_parse_time(r->published, x->published) != 0) x->published[0] = 0;
    if (!x->published[0] && r->age && p->fetched != ND_TIME_NONE) {
        int64_t ts;
        if (nd_time_parse_age(r->age, strlen(r->age), p->fetched, &ts) == 0)
            nd__store_time(ts, age_has_time(r->age), x->published);
    }
    nd_slice text = nd_slice_trim(nd_slice_c(r->text));
    if (text.len == 0 || (text.len < ND_STORE_RELATED_MIN_TEXT && nd_slice_ifind(text, "\n\n") < 0))
        return 0;
    nd__pdoc *d = nd_arena_calloc(ar, 1, sizeof *d);
    if (!d) return ND_ENOMEM;
    nd_buf b = ND_BUF_INIT;
    if (r->url && *r->url)
        nd_buf_printf(&b, "rel:%s", r->url);
    else if (r->title && *r->title)
        nd_buf_printf(&b, "rel:%s|%s", r->site ? r->site : "", r->title);
    else if (pp->page.ident)
        nd_buf_printf(&b, "rel:%s#%zu", pp->page.ident, idx);
    if (nd_buf_failed(&b)) return ND_ENOMEM;
    d->ident = b.len ? dup_str(ar, b.ptr, b.len) : NULL;
    nd_buf_free(&b);
    char host[256];
    url_host(r->url, host, sizeof host);
    d->url = r->url;
    d->host = dup_str(ar, host, strlen(host));
    d->site = r->site;
    d->title = r->title;
    d->published = x->published;
    d->fetched = pp->page.fetched;
    d->language = nd_lang_detect(text.ptr, text.len);
    d->text = text.ptr;
    d->text_len = text.len;
    d->content_hash = nd_hash64(text.ptr, text.len);
    d->authors_json = "[]";
    d->origin = &p->origin;
    d->run_id = p->run_id;
    d->analysis = p->related_analyses ? p->related_analyses[idx] : NULL;
    d->keywords = p->related_keywords ? p->related_keywords[idx] : NULL;
    if (!d->host || paras_split(ar, d)) return ND_ENOMEM;
    x->doc = d;
    return prep_story(d, fx);
}

int nd_store_prepare(const nd_store_page *p, nd_cluster_fx *fx, nd_store_prepared **out,
                     nd_error *err)
{
    *out = NULL;
    if (!p || !p->article) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no article");
    nd_store_prepared *pp = nd_calloc(1, sizeof *pp);
    if (!pp) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    pp->p = p;
    pp->arena = nd_arena_new(4096);
    size_t n = p->article->n_related;
    pp->rel = pp->arena ? nd_arena_calloc(pp->arena, n ? n : 1, sizeof *pp->rel) : NULL;
    int rc = pp->rel ? prep_page(pp, fx) : ND_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) rc = prep_related(pp, i, fx);
    if (rc) {
        nd_store_prepared_free(pp);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    *out = pp;
    return 0;
}

void nd_store_prepared_free(nd_store_prepared *pp)
{
    if (!pp) return;
    nd_cluster_prep_free(pp->page.prep);
    size_t n = pp->rel ? pp->p->article->n_related : 0;
    for (size_t i = 0; i < n; i++)
        if (pp->rel[i].doc) nd_cluster_prep_free(pp->rel[i].doc->prep);
    nd_arena_free(pp->arena);
    nd_free(pp);
}

/* A prepared document's tokens (d->toks) in the page's arena. */
static int cut_doc(nd_store_tokenizer *t, nd_arena *ar, nd__pdoc *d, nd_buf *b)
{
    if (nd__store_cut(t, d->title, d->text, d->text_len, b)) return ND_ENOMEM;
    unsigned char *v = nd_arena_alloc(ar, b->len);
    if (!v) return ND_ENOMEM;
    memcpy(v, b->ptr, b->len);
    d->toks = v;
    d->toks_len = b->len;
    return 0;
}

int nd_store_prepare_tokens(nd_store_tokenizer *t, nd_store_prepared *pp)
{
    if (!t || !pp) return ND_EINVAL;
    nd_buf b = ND_BUF_INIT;
    int rc = cut_doc(t, pp->arena, &pp->page, &b);
    size_t n = pp->p->article->n_related;
    for (size_t i = 0; i < n && !rc; i++)
        if (pp->rel[i].doc) rc = cut_doc(t, pp->arena, pp->rel[i].doc, &b);
    nd_buf_free(&b);
    return rc;
}

/* ---- writing ---------------------------------------------------------------------- */

/* An existing document with the same identity, title and text: 1 and its
 * id/version, 0 when none, or a negative code. */
static int find_same(nd_store *s, const char *ident, uint64_t hash, const char *title, int64_t *id,
                     int *version, nd_error *err)
{
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_FIND_SAME, err);
    if (!st) return ND_EDB;
    bind_text(st, 1, ident);
    sqlite3_bind_int64(st, 2, (sqlite3_int64) hash);
    bind_text(st, 3, title);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *version = sqlite3_column_int(st, 1);
        sqlite3_reset(st);
        return 1;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return 0;
    return nd__store_fail(s, "cannot look up a document", err);
}

static int next_version(nd_store *s, const char *ident, int *version, nd_error *err)
{
    *version = 1;
    if (!ident) return 0;
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_MAX_VERSION, err);
    if (!st) return ND_EDB;
    sqlite3_bind_text(st, 1, ident, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        *version = sqlite3_column_int(st, 0) + 1;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return nd__store_fail(s, "cannot look up versions", err);
    return 0;
}

/* The id the next document gets (the write lock is ours: nobody else can
 * take it), so that its story is known before its row is written. */
static int next_id(nd_store *s, int64_t *id, nd_error *err)
{
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_MAX_ID, err);
    if (!st) return ND_EDB;
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) + 1 : 1;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return nd__store_fail(s, "cannot number a document", err);
    return 0;
}

/* Insert document d (its paragraphs, analysis and keywords too), with its story
 * when c is given. */
static int insert_doc(nd_store *s, nd_store_clusterer *c, nd__pdoc *d, int version, int64_t parent,
                      int64_t *id, nd_error *err)
{
    int rc = next_id(s, id, err);
    /* not an id the story engine already holds (a refused page's) */
    int64_t lowest = nd__store_cluster_id_floor(c);
    if (!rc && *id < lowest) *id = lowest;
    int64_t story = 0, dup = 0;
    if (!rc && c) rc = nd__store_cluster_new(c, *id, d, &story, &dup, err);
    if (rc) return rc;
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_ADD_DOC_AS, err);
    if (!st) return ND_EDB;
    char now[32];
    nd__store_now(now);
    sqlite3_bind_int64(st, 1, *id);
    bind_text(st, 2, d->ext_id);
    bind_text(st, 3, d->ident);
    sqlite3_bind_int(st, 4, version);
    bind_text(st, 5, d->url);
    bind_text(st, 6, d->host);
    bind_text(st, 7, d->site);
    bind_text(st, 8, d->title);
    sqlite3_bind_text(st, 9, d->authors_json ? d->authors_json : "[]", -1, SQLITE_STATIC);
    bind_text(st, 10, d->published);
    bind_text(st, 11, d->fetched);
    bind_text(st, 12, d->language);
    bind_text(st, 13, d->credit);
    sqlite3_bind_text(st, 14, d->text ? d->text : "", (int) d->text_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 15, (sqlite3_int64) d->content_hash);
    if (d->raw_hash) sqlite3_bind_int64(st, 16, (sqlite3_int64) d->raw_hash);
    if (d->origin) {
        bind_text(st, 17, d->origin->source);
        if (d->origin->offset >= 0) sqlite3_bind_int64(st, 18, d->origin->offset);
        if (d->origin->line >= 0) sqlite3_bind_int64(st, 19, d->origin->line);
    }
    if (parent) sqlite3_bind_int64(st, 20, parent);
    if (d->run_id) sqlite3_bind_int64(st, 21, d->run_id);
    sqlite3_bind_text(st, 22, now, -1, SQLITE_TRANSIENT);
    if (story) sqlite3_bind_int64(st, 23, story);
    if (dup) sqlite3_bind_int64(st, 24, dup);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot store a document", err);
    for (size_t i = 0; i < d->n_paras; i++) {
        if (!(st = nd__store_stmt(s, ND_STMT_ADD_PARA, err))) return ND_EDB;
        sqlite3_bind_int64(st, 1, *id);
        sqlite3_bind_int(st, 2, (int) i);
        sqlite3_bind_int64(st, 3, (sqlite3_int64) d->paras[2 * i]);
        sqlite3_bind_int64(st, 4, (sqlite3_int64) d->paras[2 * i + 1]);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot store a paragraph", err);
    }
    rc = d->analysis ? nd__store_put_analysis(s, *id, d->analysis, err) : 0;
    if (!rc && d->keywords) rc = nd__store_put_keywords(s, *id, d->keywords, err);
    /* (forgotten again when the page or the transaction is rolled back) */
    if (!rc && d->toks) nd__store_keep_tokens(s, *id, d->toks, d->toks_len);
    return rc;
}

static int add_raw(nd_store *s, uint64_t raw, int64_t doc, int64_t run, nd_error *err)
{
    if (!raw) return 0;
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_ADD_RAW, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64) raw);
    if (doc) sqlite3_bind_int64(st, 2, doc);
    if (run) sqlite3_bind_int64(st, 3, run);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot record a page", err);
    return 0;
}

static int add_related(nd_store *s, nd_store_clusterer *c, const nd_store_prepared *pp,
                       int64_t parent, nd_store_added *res, nd_error *err)
{
    size_t n = pp->p->article->n_related;
    for (size_t i = 0; i < n; i++) {
        const prel *x = &pp->rel[i];
        int64_t child = 0;
        if (x->doc) {
            int version;
            int rc = find_same(s, x->doc->ident, x->doc->content_hash, x->doc->title, &child,
                               &version, err);
            if (rc < 0) return rc;
            if (rc == 0) {
                if ((rc = next_version(s, x->doc->ident, &version, err)) ||
                    (rc = insert_doc(s, c, x->doc, version, parent, &child, err)))
                    return rc;
                res->related_added++;
            }
        }
        sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_ADD_RELATED, err);
        if (!st) return ND_EDB;
        sqlite3_bind_int64(st, 1, parent);
        sqlite3_bind_int(st, 2, (int) i);
        bind_text(st, 3, x->r->title);
        bind_text(st, 4, x->r->site);
        bind_text(st, 5, x->r->url);
        bind_text(st, 6, x->r->age);
        bind_text(st, 7, x->published);
        if (child) sqlite3_bind_int64(st, 8, child);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot store a related item", err);
    }
    return 0;
}

static int add_page(nd_store *s, nd_store_clusterer *c, const nd_store_prepared *pp,
                    nd_store_added *res, nd_error *err)
{
    nd__pdoc *d = (nd__pdoc *) &pp->page;
    if (d->raw_hash) {
        sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_HAS_RAW, err);
        if (!st) return ND_EDB;
        sqlite3_bind_int64(st, 1, (sqlite3_int64) d->raw_hash);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            res->outcome = ND_STORE_SEEN;
            res->doc_id = sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
            return 0;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot look up a page", err);
    }
    int64_t id;
    int version;
    int rc = find_same(s, d->ident, d->content_hash, d->title, &id, &version, err);
    if (rc < 0) return rc;
    if (rc == 1) {
        res->outcome = ND_STORE_SAME;
        res->doc_id = id;
        res->version = version;
        return add_raw(s, d->raw_hash, id, d->run_id, err);
    }
    if ((rc = next_version(s, d->ident, &version, err)) ||
        (rc = insert_doc(s, c, d, version, 0, &id, err)) ||
        (rc = add_raw(s, d->raw_hash, id, d->run_id, err)) ||
        (rc = add_related(s, c, pp, id, res, err)))
        return rc;
    res->outcome = version > 1 ? ND_STORE_VERSION : ND_STORE_ADDED;
    res->doc_id = id;
    res->version = version;
    return 0;
}

int nd_store_add_prepared(nd_store *s, nd_store_clusterer *c, const nd_store_prepared *pp,
                          nd_store_added *res, nd_error *err)
{
    nd_store_added local;
    if (!res) res = &local;
    memset(res, 0, sizeof *res);
    if (!pp) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no page");
    if (s->flags & ND_STORE_READONLY)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: opened read-only", s->path);
    /* A page is all or nothing: inside the caller's transaction a
     * savepoint undoes a half-stored page; alone, its own transaction. */
    int own = !s->in_tx;
    int rc = nd__store_exec(s, own ? "BEGIN IMMEDIATE" : "SAVEPOINT page", err);
    if (rc) return rc;
    nd__store_analysis_mark(s);
    size_t toks = nd__store_tokens_mark(s);
    if (c) nd__store_cluster_begin_page(c);
    rc = add_page(s, c, pp, res, err);
    if (rc) {
        nd__store_tokens_back(s, toks);
        if (own) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        } else {
            sqlite3_exec(s->db, "ROLLBACK TO page", NULL, NULL, NULL);
            sqlite3_exec(s->db, "RELEASE page", NULL, NULL, NULL);
        }
        nd__store_analysis_rolled_back(s);
        if (c) nd__store_cluster_end_page(c, 0);
        memset(res, 0, sizeof *res);
        return rc;
    }
    if (c) nd__store_cluster_end_page(c, 1);
    if (own && ((rc = c ? nd_store_cluster_sync(c, err) : 0) != 0 ||
                (rc = nd__store_before_commit(s, err)) != 0)) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        nd__store_tokens_back(s, toks);
        nd__store_analysis_rolled_back(s);
        if (c) nd__store_cluster_rolled_back(c);
        return rc;
    }
    rc = nd__store_exec(s, own ? "COMMIT" : "RELEASE page", err);
    if (own && !rc) nd__store_tokens_committed(s);
    return rc;
}

/* Index the documents added in the open transaction in documents_fts.
 * 0 or a negative code. */
static int index_docs(nd_store *s, nd_error *err)
{
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_INDEX_DOCS, err);
    if (!st) return ND_EDB;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot index documents", err);
    if (!sqlite3_changes(s->db)) return 0;
    if (!(st = nd__store_stmt(s, ND_STMT_INDEXED_DOCS, err))) return ND_EDB;
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot index documents", err);
    return 0;
}

int nd__store_before_commit(nd_store *s, nd_error *err)
{
    int rc = nd__store_analysis_flush(s, err);
    if (!rc) rc = index_docs(s, err);
    if (!rc) rc = nd__store_index_analysis(s, err);
    return rc;
}

int nd_store_add_page(nd_store *s, const nd_store_page *p, nd_store_added *res, nd_error *err)
{
    nd_store_prepared *pp;
    if (res) memset(res, 0, sizeof *res);
    int rc = nd_store_prepare(p, NULL, &pp, err);
    if (rc) return rc;
    rc = nd_store_add_prepared(s, NULL, pp, res, err);
    nd_store_prepared_free(pp);
    return rc;
}
