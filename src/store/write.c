/* write.c - nd_store_add_page(): a page, its paragraphs and its related
 * items into the store, once. */
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

/* One document row to insert. */
typedef struct doc_row {
    const char *ext_id, *ident, *url, *site, *title, *authors_json;
    const char *published, *fetched, *language, *credit;
    const char *text;
    size_t text_len;
    uint64_t raw_hash; /* 0: none */
    const nd_store_origin *origin;
    int64_t parent_id, run_id;
} doc_row;

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

static int insert_doc(nd_store *s, const doc_row *r, int version, int64_t *id, nd_error *err)
{
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_ADD_DOC, err);
    if (!st) return ND_EDB;
    char host[256], now[32];
    url_host(r->url, host, sizeof host);
    nd__store_now(now);
    bind_text(st, 1, r->ext_id);
    bind_text(st, 2, r->ident);
    sqlite3_bind_int(st, 3, version);
    bind_text(st, 4, r->url);
    bind_text(st, 5, host);
    bind_text(st, 6, r->site);
    bind_text(st, 7, r->title);
    sqlite3_bind_text(st, 8, r->authors_json ? r->authors_json : "[]", -1, SQLITE_STATIC);
    bind_text(st, 9, r->published);
    bind_text(st, 10, r->fetched);
    bind_text(st, 11, r->language);
    bind_text(st, 12, r->credit);
    sqlite3_bind_text(st, 13, r->text ? r->text : "", (int) r->text_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 14, (sqlite3_int64) nd_hash64(r->text, r->text_len));
    if (r->raw_hash) sqlite3_bind_int64(st, 15, (sqlite3_int64) r->raw_hash);
    if (r->origin) {
        bind_text(st, 16, r->origin->source);
        if (r->origin->offset >= 0) sqlite3_bind_int64(st, 17, r->origin->offset);
        if (r->origin->line >= 0) sqlite3_bind_int64(st, 18, r->origin->line);
    }
    if (r->parent_id) sqlite3_bind_int64(st, 19, r->parent_id);
    if (r->run_id) sqlite3_bind_int64(st, 20, r->run_id);
    sqlite3_bind_text(st, 21, now, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot store a document", err);
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int insert_para(nd_store *s, int64_t doc, int idx, size_t start, size_t end, nd_error *err)
{
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_ADD_PARA, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_int(st, 2, idx);
    sqlite3_bind_int64(st, 3, (sqlite3_int64) start);
    sqlite3_bind_int64(st, 4, (sqlite3_int64) end);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot store a paragraph", err);
    return 0;
}

/* Paragraphs given as strings: find each in the text, in order. */
static int insert_paras(nd_store *s, int64_t doc, const char *text, size_t len,
                        const char *const *paras, size_t n, nd_error *err)
{
    size_t pos = 0;
    int idx = 0;
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
        int rc = insert_para(s, doc, idx++, start, start + pl, err);
        if (rc) return rc;
        pos = start + pl;
    }
    return 0;
}

/* Paragraphs of a text joined by blank lines. */
static int insert_paras_split(nd_store *s, int64_t doc, const char *text, size_t len, nd_error *err)
{
    size_t i = 0;
    int idx = 0;
    while (i < len) {
        while (i < len && (text[i] == '\n' || text[i] == '\r')) i++;
        if (i >= len) break;
        size_t start = i;
        const char *br = find(text + i, len - i, "\n\n", 2);
        size_t end = br ? (size_t) (br - text) : len;
        while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\r')) end--;
        if (end > start) {
            int rc = insert_para(s, doc, idx++, start, end, err);
            if (rc) return rc;
        }
        i = br ? (size_t) (br - text) + 2 : len;
    }
    return 0;
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

/* The document made from an embedded related article: new, or one stored
 * before with the same identity and text.  *child = 0 when it has none. */
static int add_related_doc(nd_store *s, const nd_related *r, size_t idx, int64_t parent,
                           const char *parent_ident, const char *published, const nd_store_page *p,
                           nd_buf *scratch, int64_t *child, size_t *added, nd_error *err)
{
    *child = 0;
    nd_slice text = nd_slice_trim(nd_slice_c(r->text));
    if (text.len == 0 || (text.len < ND_STORE_RELATED_MIN_TEXT && nd_slice_ifind(text, "\n\n") < 0))
        return 0;
    /* The embedded copy is a document of its own, never a version of the
     * page at its URL (that page, if crawled, has its own furniture). */
    nd_buf_clear(scratch);
    if (r->url && *r->url)
        nd_buf_printf(scratch, "rel:%s", r->url);
    else if (r->title && *r->title)
        nd_buf_printf(scratch, "rel:%s|%s", r->site ? r->site : "", r->title);
    else if (parent_ident)
        nd_buf_printf(scratch, "rel:%s#%zu", parent_ident, idx);
    if (nd_buf_failed(scratch)) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    const char *ident = scratch->len ? scratch->ptr : NULL;
    uint64_t hash = nd_hash64(text.ptr, text.len);
    int version;
    int rc = find_same(s, ident, hash, r->title, child, &version, err);
    if (rc) return rc < 0 ? rc : 0;
    rc = next_version(s, ident, &version, err);
    if (rc) return rc;
    char fetched[32] = "";
    if (p->fetched != ND_TIME_NONE) nd__store_time(p->fetched, 1, fetched);
    doc_row row = {0};
    row.ident = ident;
    row.url = r->url;
    row.site = r->site;
    row.title = r->title;
    row.published = published;
    row.fetched = fetched;
    row.language = nd_lang_detect(text.ptr, text.len);
    row.text = text.ptr;
    row.text_len = text.len;
    row.origin = &p->origin;
    row.parent_id = parent;
    row.run_id = p->run_id;
    rc = insert_doc(s, &row, version, child, err);
    if (!rc) rc = insert_paras_split(s, *child, text.ptr, text.len, err);
    if (!rc && p->related_analyses && p->related_analyses[idx])
        rc = nd__store_put_analysis(s, *child, p->related_analyses[idx], err);
    if (!rc && p->related_keywords && p->related_keywords[idx])
        rc = nd__store_put_keywords(s, *child, p->related_keywords[idx], err);
    if (!rc) ++*added;
    return rc;
}

static int add_related(nd_store *s, const nd_store_page *p, int64_t parent,
                       const char *parent_ident, nd_store_added *res, nd_error *err)
{
    const nd_article *a = p->article;
    nd_buf scratch = ND_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < a->n_related && !rc; i++) {
        const nd_related *r = &a->related[i];
        char published[32] = "";
        if (r->published && nd__store_parse_time(r->published, published) != 0) published[0] = 0;
        if (!published[0] && r->age && p->fetched != ND_TIME_NONE) {
            int64_t ts;
            if (nd_time_parse_age(r->age, strlen(r->age), p->fetched, &ts) == 0)
                nd__store_time(ts, age_has_time(r->age), published);
        }
        int64_t child = 0;
        rc = add_related_doc(s, r, i, parent, parent_ident, published, p, &scratch, &child,
                             &res->related_added, err);
        if (rc) break;
        sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_ADD_RELATED, err);
        if (!st) {
            rc = ND_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, parent);
        sqlite3_bind_int(st, 2, (int) i);
        bind_text(st, 3, r->title);
        bind_text(st, 4, r->site);
        bind_text(st, 5, r->url);
        bind_text(st, 6, r->age);
        bind_text(st, 7, published);
        if (child) sqlite3_bind_int64(st, 8, child);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = nd__store_fail(s, "cannot store a related item", err);
        sqlite3_reset(st);
    }
    nd_buf_free(&scratch);
    return rc;
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

static int add_page(nd_store *s, const nd_store_page *p, nd_store_added *res, nd_buf *ib,
                    nd_buf *jb, nd_error *err)
{
    const nd_article *a = p->article;
    if (p->raw_hash) {
        sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_HAS_RAW, err);
        if (!st) return ND_EDB;
        sqlite3_bind_int64(st, 1, (sqlite3_int64) p->raw_hash);
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
    const char *url = p->url ? p->url : a->url;
    const char *title = p->title ? p->title : a->title;
    const char *ident = page_ident(p, url, ib);
    const char *text = a->text ? a->text : "";
    size_t text_len = a->text ? a->text_len : 0;
    uint64_t hash = nd_hash64(text, text_len);

    int64_t id;
    int version;
    int rc = find_same(s, ident, hash, title, &id, &version, err);
    if (rc < 0) return rc;
    if (rc == 1) {
        res->outcome = ND_STORE_SAME;
        res->doc_id = id;
        res->version = version;
        return add_raw(s, p->raw_hash, id, p->run_id, err);
    }
    rc = next_version(s, ident, &version, err);
    if (rc) return rc;

    char published[32] = "", fetched[32] = "";
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

    nd_json j;
    nd_buf_clear(jb);
    nd_json_init(&j, jb, 0);
    nd_json_arr_begin(&j);
    for (size_t i = 0; i < a->n_authors; i++) nd_json_str(&j, a->authors[i]);
    nd_json_arr_end(&j);
    if (nd_buf_failed(jb) || nd_buf_failed(ib))
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");

    doc_row row = {0};
    row.ext_id = p->ext_id;
    row.ident = ident;
    row.url = url;
    row.site = a->site;
    row.title = title;
    row.authors_json = jb->ptr;
    row.published = published;
    row.fetched = fetched;
    /* The extractor identified the language (NULL: unclear); only the
     * embedded related articles below, which it does not, are run
     * through nd_lang_detect() here. */
    row.language = p->language ? p->language : a->language;
    row.credit = a->credit;
    row.text = text;
    row.text_len = text_len;
    row.raw_hash = p->raw_hash;
    row.origin = &p->origin;
    row.run_id = p->run_id;
    rc = insert_doc(s, &row, version, &id, err);
    if (!rc)
        rc = insert_paras(s, id, text, text_len, (const char *const *) a->paragraphs,
                          a->n_paragraphs, err);
    if (!rc && p->analysis) rc = nd__store_put_analysis(s, id, p->analysis, err);
    if (!rc && p->keywords) rc = nd__store_put_keywords(s, id, p->keywords, err);
    if (!rc) rc = add_raw(s, p->raw_hash, id, p->run_id, err);
    if (!rc) rc = add_related(s, p, id, ident, res, err);
    if (rc) return rc;
    res->outcome = version > 1 ? ND_STORE_VERSION : ND_STORE_ADDED;
    res->doc_id = id;
    res->version = version;
    return 0;
}

int nd_store_add_page(nd_store *s, const nd_store_page *p, nd_store_added *res, nd_error *err)
{
    nd_store_added local;
    if (!res) res = &local;
    memset(res, 0, sizeof *res);
    if (!p || !p->article) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no article");
    if (s->flags & ND_STORE_READONLY)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: opened read-only", s->path);
    /* A page is all or nothing: inside the caller's transaction a
     * savepoint undoes a half-stored page; alone, its own transaction. */
    int own = !s->in_tx;
    int rc = nd__store_exec(s, own ? "BEGIN IMMEDIATE" : "SAVEPOINT page", err);
    if (rc) return rc;
    nd_buf ib = ND_BUF_INIT, jb = ND_BUF_INIT;
    rc = add_page(s, p, res, &ib, &jb, err);
    nd_buf_free(&ib);
    nd_buf_free(&jb);
    if (rc) {
        if (own) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        } else {
            sqlite3_exec(s->db, "ROLLBACK TO page", NULL, NULL, NULL);
            sqlite3_exec(s->db, "RELEASE page", NULL, NULL, NULL);
        }
        nd__store_analysis_rolled_back(s);
        memset(res, 0, sizeof *res);
        return rc;
    }
    if (own && (rc = nd__store_index_quotes(s, err)) != 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        nd__store_analysis_rolled_back(s);
        return rc;
    }
    return nd__store_exec(s, own ? "COMMIT" : "RELEASE page", err);
}
