/* search.c - full-text search of the documents (FTS5, BM25). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query_int.h"

/* A query FTS5 rejects (syntax, an unknown column filter, ...) is the
 * user's: ND_EPARSE.  Anything else is the database's. */
static int search_fail(nd_store *s, nd_error *err)
{
    if (sqlite3_errcode(s->db) == SQLITE_ERROR) {
        const char *m = sqlite3_errmsg(s->db);
        if (strncmp(m, "fts5: ", 6) == 0) m += 6;
        return nd_error_set(err, ND_EPARSE, (size_t) -1, "bad search query: %s", m);
    }
    return nd__store_fail(s, "cannot search", err);
}

typedef struct ranked {
    int64_t id;
    double r;
} ranked;

typedef struct filters {
    char since[32], until[32];
    nd__sel who;
    int has_who;
} filters;

static void hit_where(nd_buf *sql, const nd_query_opts *q, const filters *f);
static void hit_bind(sqlite3_stmt *st, const nd_query_opts *q, const filters *f);

/* Phase 1 when the best few do not pass the filters: the ids and scores
 * of the best hits, filters applied, among the matches of id from or
 * more (0: all), every match ranked by bm25(). */
static int rank_hits(nd_store *s, const nd_query_opts *q, const filters *f, int64_t from, int want,
                     ranked *out, int *n, nd_error *err)
{
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "WITH m AS (SELECT rowid AS id, bm25(documents_fts, 4.0, 1.0) AS r"
                      " FROM documents_fts WHERE documents_fts MATCH ?1");
    if (from > 0) nd_buf_puts(&sql, " AND rowid >= ?9");
    nd_buf_puts(&sql, ") SELECT m.id, m.r FROM m JOIN documents d ON d.id = m.id WHERE 1");
    hit_where(&sql, q, f);
    nd_buf_puts(&sql, " ORDER BY m.r, m.id LIMIT ?5");
    sqlite3_stmt *st;
    int rc = nd__prepare(s, &sql, &st, "cannot search", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    hit_bind(st, q, f);
    sqlite3_bind_int(st, 5, want);
    if (from > 0) sqlite3_bind_int64(st, 9, from);
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < want) {
        out[*n].id = sqlite3_column_int64(st, 0);
        out[*n].r = sqlite3_column_double(st, 1);
        ++*n;
    }
    int ret = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : search_fail(s, err);
    sqlite3_finalize(st);
    return ret;
}

/* The filters of a search on documents d, after " WHERE 1" (parameters
 * ?1 query, ?3 since, ?4 site, ?6 until, ?7 language, ?8 story). */
static void hit_where(nd_buf *sql, const nd_query_opts *q, const filters *f)
{
    if (f->since[0]) nd_buf_puts(sql, " AND coalesce(d.published, d.fetched) >= ?3");
    if (f->until[0]) nd_buf_puts(sql, " AND coalesce(d.published, d.fetched) < ?6");
    if (q->site)
        nd_buf_puts(sql, " AND (d.site = ?4 COLLATE NOCASE OR d.host = lower(?4)"
                         " OR d.host LIKE '%.' || lower(?4))");
    if (q->language) nd_buf_puts(sql, " AND d.language = ?7");
    if (q->story) nd_buf_puts(sql, " AND d.story_id = ?8");
    if (f->has_who) {
        nd_buf_puts(sql, " AND d.id IN (SELECT doc_id FROM doc_actors WHERE actor_id ");
        nd__sel_in(sql, &f->who);
        nd_buf_puts(sql, ")");
    }
    if (!q->all_versions) nd_buf_puts(sql, " AND" ND__LATEST_DOC);
}

static void hit_bind(sqlite3_stmt *st, const nd_query_opts *q, const filters *f)
{
    sqlite3_bind_text(st, 1, q->text, -1, SQLITE_STATIC);
    if (f->since[0]) sqlite3_bind_text(st, 3, f->since, -1, SQLITE_STATIC);
    if (q->site) sqlite3_bind_text(st, 4, q->site, -1, SQLITE_STATIC);
    if (f->until[0]) sqlite3_bind_text(st, 6, f->until, -1, SQLITE_STATIC);
    if (q->language) sqlite3_bind_text(st, 7, q->language, -1, SQLITE_STATIC);
    if (q->story) sqlite3_bind_int64(st, 8, q->story);
}

/* FTS5 marks the matches with these; they become byte ranges.  A text
 * holding them itself gets a stray mark, never a wrong byte. */
#define MARK_OPEN  "\x02"
#define MARK_CLOSE "\x03"

static int split_marks(nd_arena *ar, const char *raw, nd_hit *h)
{
    size_t n = strlen(raw), k = 0, nm = 0;
    for (size_t i = 0; i < n; i++) nm += raw[i] == MARK_OPEN[0];
    char *out = nd_arena_alloc(ar, n + 1);
    nd_span *marks = nd_arena_alloc(ar, (nm ? nm : 1) * sizeof *marks);
    if (!out || !marks) return ND_ENOMEM;
    size_t m = 0;
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == MARK_OPEN[0] && !open && m < nm) {
            marks[m].start = marks[m].end = (uint32_t) k;
            open = 1;
        } else if (raw[i] == MARK_CLOSE[0] && open) {
            marks[m++].end = (uint32_t) k;
            open = 0;
        } else if (raw[i] != MARK_OPEN[0] && raw[i] != MARK_CLOSE[0]) {
            out[k++] = raw[i];
        }
    }
    if (open) marks[m++].end = (uint32_t) k;
    out[k] = 0;
    h->snippet = out;
    h->marks = marks;
    h->n_marks = m;
    return 0;
}

/* What a search and its facets start with: the query checked, the date
 * bounds and the actor read. */
static int search_begin(nd_store *s, const nd_query_opts *q, filters *f, nd_error *err)
{
    memset(f, 0, sizeof *f);
    if (!q || !q->text || nd_slice_trim(nd_slice_c(q->text)).len == 0)
        return nd_error_set(err, ND_EPARSE, (size_t) -1, "empty search query");
    int rc = nd__since_bound(q->since, f->since, err);
    if (!rc) rc = nd__until_bound(q->until, f->until, err);
    if (!rc && q->actor) {
        rc = nd__sel_resolve(s, q->actor, !q->exact_actor, &f->who, err);
        f->has_who = rc == 0;
    }
    return rc;
}

/* The options of a search checked and its filters read. */
static int search_open(nd_store *s, const nd_query_opts *q, filters *f, nd_error *err)
{
    int rc = nd__query_check(q,
                             ND__F_SINCE | ND__F_UNTIL | ND__F_SITE | ND__F_LANGUAGE | ND__F_STORY |
                                 ND__F_ACTOR | ND__F_TEXT | ND__F_CURSOR,
                             "search", err);
    return rc ? rc : search_begin(s, q, f, err);
}

/* The best matches (tp's, best first) that pass the filters, at most
 * want, into out.  Without filters but the latest version, the table in
 * memory says which are; else one look at each row. */
static int keep_hits(nd_store *s, const nd_query_opts *q, const filters *f, const nd__top *tp,
                     int want, ranked *out, int *n, nd_error *err)
{
    const nd_doc_table *t = nd__docs_fresh(s);
    int plain =
        !f->since[0] && !f->until[0] && !q->site && !q->language && !q->story && !f->has_who;
    sqlite3_stmt *st = NULL;
    int rc = 0;
    *n = 0;
    for (int i = 0; i < tp->n && *n < want && !rc; i++) {
        int64_t id = tp->hits[i].id;
        int keep = plain && t ? nd__docs_counted(t, id, !q->all_versions) : -1;
        if (keep < 0) {
            if (!st) {
                nd_buf sql = ND_BUF_INIT;
                nd_buf_puts(&sql, "SELECT 1 FROM documents d WHERE d.id = ?10");
                hit_where(&sql, q, f);
                if ((rc = nd__prepare(s, &sql, &st, "cannot search", err))) {
                    nd_buf_free(&sql);
                    break;
                }
                nd_buf_free(&sql);
                hit_bind(st, q, f);
            }
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 10, id);
            int r = sqlite3_step(st);
            if (r != SQLITE_ROW && r != SQLITE_DONE) rc = search_fail(s, err);
            keep = r == SQLITE_ROW;
        }
        if (keep) {
            out[*n].id = id;
            out[(*n)++].r = -1.0 * tp->hits[i].score;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int text_order(const void *x, const void *y)
{
    const nd_slice *a = x, *b = y;
    size_t m = a->len < b->len ? a->len : b->len;
    int d = memcmp(a->ptr, b->ptr, m);
    return d ? d : (a->len > b->len) - (a->len < b->len);
}

/* The rows of the best want hits asked for at once (nd__fetch_rows) on
 * a cold store, and when each is checked for the latest version of its
 * page (latest) their entries of documents_ident too: their filters and
 * then their columns and snippets read them one after the other, each a
 * wait. */
static void ahead_hits(nd_store *s, const nd__top *tp, int want, int latest)
{
    int64_t ids[256];
    size_t m = 0;
    for (int i = 0; i < tp->n && i < want && m < sizeof ids / sizeof *ids; i++)
        ids[m++] = tp->hits[i].id;
    if (!m) return;
    qsort(ids, m, sizeof *ids, nd__i64_order);
    nd__fetch f;
    if (nd__fetch_open(s, "documents", &f) == 0) nd__fetch_rows(&f, ids, m);
    nd__fetch_close(&f);
    if (!latest || nd__docs_fresh(s)) return;
    /* The rows' identities (their pages asked for above, read together). */
    nd_slice keys[256];
    nd__fetch_key fk[256];
    size_t k = 0;
    nd_arena *ar = nd_arena_new(4096);
    sqlite3_stmt *st = NULL;
    if (ar && sqlite3_prepare_v2(s->db, "SELECT ident FROM documents WHERE id = ?1", -1, &st,
                                 NULL) == SQLITE_OK)
        for (size_t i = 0; i < m; i++) {
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, ids[i]);
            if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) != SQLITE_TEXT)
                continue;
            size_t n = (size_t) sqlite3_column_bytes(st, 0);
            char *c = nd_arena_alloc(ar, n + 1);
            if (!c) break;
            memcpy(c, sqlite3_column_text(st, 0), n);
            keys[k++] = (nd_slice){c, n};
        }
    sqlite3_finalize(st);
    qsort(keys, k, sizeof *keys, text_order);
    for (size_t i = 0; i < k; i++) fk[i] = (nd__fetch_key){0, 0, keys[i].ptr, keys[i].len};
    if (k && nd__fetch_open(s, "documents_ident", &f) == 0) nd__fetch_keys(&f, fk, k);
    nd__fetch_close(&f);
    nd_arena_free(ar);
}

int nd_query_search(nd_store *s, const nd_query_opts *q, nd_hit_list **out, nd_error *err)
{
    *out = NULL;
    filters f;
    int rc = search_open(s, q, &f, err);
    if (rc) return rc;
    int64_t offset = 0;
    if (q->cursor) {
        char buf[256];
        const char *fields[1];
        rc = nd__cursor_split(q->cursor, 'h', buf, fields, 1, err);
        if (rc >= 0) rc = nd__cursor_int(fields[0], &offset, err);
        if (offset > 1000000) rc = nd_error_set(err, ND_EINVAL, (size_t) -1, "bad cursor");
        if (rc < 0) {
            nd__sel_free(&f.who);
            return rc;
        }
    }
    int limit = nd__query_limit(q, 20);
    /* One more than asked tells whether a next page exists. */
    int want = limit + (int) offset + 1, n = 0;
    ranked *hits = nd_malloc((size_t) want * sizeof *hits);
    nd_hit_list *res = nd__result_new(sizeof *res, 0, err);
    if (!hits || !res) {
        nd_free(hits);
        nd_result_free(res);
        nd__sel_free(&f.who);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    /* Ranking on the index alone and filtering the best few is enough
     * unless the filters remove many: then rank everything. */
    int top = want * 4 + 64;
    int64_t from = 0;
    nd__top tp = {.table = "documents_fts", .k = top, .max_rows = nd__query_search_docs};
    tp.hits = nd_malloc((size_t) top * sizeof *tp.hits);
    rc = tp.hits ? nd__rank_top(s, q->text, &tp, err)
                 : nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (rc == ND_EDB || rc == ND_EPARSE) rc = search_fail(s, err);
    /* The matches ranked are those of id from or more. */
    if (!rc && tp.more) from = tp.last;
    if (!rc && tp.cold) ahead_hits(s, &tp, want, !q->all_versions);
    if (!rc) rc = keep_hits(s, q, &f, &tp, want, hits, &n, err);
    nd_free(tp.hits);
    if (!rc && n < want) rc = rank_hits(s, q, &f, from, want, hits, &n, err);
    nd__sel_free(&f.who);
    if (rc) {
        nd_free(hits);
        nd_result_free(res);
        return rc;
    }
    nd_arena *ar = res->r.arena;
    if (n == want) {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long) offset + limit);
        const char *fields[] = {num};
        res->r.next = nd__cursor_make(ar, 'h', 1, fields);
        n--;
    }

    /* Phase 2: rows and snippets for the hits shown. */
    sqlite3_stmt *st;
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT d.id, d.ext_id, d.title, d.url, d.site, d.host, d.source,"
                            " d.published, d.language,"
                            " snippet(documents_fts, 1, '" MARK_OPEN "', '" MARK_CLOSE "', '…', ?2)"
                            " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
                            " WHERE documents_fts MATCH ?1 AND documents_fts.rowid = ?3",
                            -1, &st, NULL);
    if (rc != SQLITE_OK) {
        nd_free(hits);
        nd_result_free(res);
        return nd__store_fail(s, "cannot search", err);
    }
    sqlite3_bind_text(st, 1, q->text, -1, SQLITE_STATIC);
    int tokens = q->snippet_words > 0 ? q->snippet_words : 24;
    sqlite3_bind_int(st, 2, tokens > 64 ? 64 : tokens);
    nd__vec v = {NULL, 0, 0, sizeof(nd_hit)};
    int ret = 0;
    for (int i = (int) offset; i < n && !ret; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 3, hits[i].id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) continue; /* deleted meanwhile */
        if (rc != SQLITE_ROW) {
            ret = search_fail(s, err);
            break;
        }
        nd_hit *h = nd__vec_push(ar, &v);
        if (!h) {
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        h->id = sqlite3_column_int64(st, 0);
        h->ext_id = nd__col_dup(ar, st, 1);
        h->title = nd__col_dup(ar, st, 2);
        h->url = nd__col_dup(ar, st, 3);
        h->site = nd__col_dup(ar, st, 4);
        h->host = nd__col_dup(ar, st, 5);
        h->source = nd__col_dup(ar, st, 6);
        h->published = nd__col_dup(ar, st, 7);
        h->language = nd__col_dup(ar, st, 8);
        h->score = -hits[i].r;
        const char *snip = (const char *) sqlite3_column_text(st, 9);
        if (split_marks(ar, snip ? snip : "", h))
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    sqlite3_finalize(st);
    nd_free(hits);
    if (ret) {
        nd_result_free(res);
        return ret;
    }
    res->items = v.items;
    res->n = v.n;
    res->sampled = from > 0;
    *out = res;
    return 0;
}

/* ---- facets ------------------------------------------------------------------------- */

/* One more of value in c (of nd_count). */
static void tally(nd_arena *ar, nd__vec *c, const char *value)
{
    if (!value) value = "";
    nd_count *v = c->items;
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(v[i].value, value)) {
            v[i].n++;
            return;
        }
    nd_count *x = nd__vec_push(ar, c);
    if (x) {
        x->value = nd__str_dup(ar, value);
        x->n = 1;
    }
}

static int by_count(const void *x, const void *y)
{
    const nd_count *a = x, *b = y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return strcmp(a->value, b->value);
}

static void facet_end(nd_facet *f, nd__vec *c)
{
    nd_count *v = c->items;
    if (c->n) qsort(v, c->n, sizeof *v, by_count);
    f->values = v;
    f->n = c->n < 8 ? c->n : 8;
}

/* The newest matches (at most ND_QUERY_FACET_DOCS of those that count,
 * as the SQL below finds them: the newest ND_QUERY_FACET_DOCS + 1 matches
 * and then the latest versions among them) when t knows every one: 1
 * and ids[0..*n), *sampled; 0 when t does not know one (the store moved
 * on: the SQL answers); or an error. */
static int facet_ids_mem(nd_store *s, const nd_doc_table *t, const nd_query_opts *q, int64_t *ids,
                         uint64_t *n, int *sampled, nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?1"
                           " ORDER BY rowid DESC LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return search_fail(s, err);
    sqlite3_bind_text(st, 1, q->text, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, nd__query_facet_docs + 1);
    int r, known = 1;
    *n = 0;
    *sampled = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        int c = nd__docs_counted(t, id, !q->all_versions);
        if (c < 0) {
            known = 0;
            break;
        }
        if (!c) continue;
        if (*n == (uint64_t) nd__query_facet_docs) {
            *sampled = 1;
            break;
        }
        ids[(*n)++] = id;
    }
    int ret = r == SQLITE_DONE || r == SQLITE_ROW ? known : search_fail(s, err);
    sqlite3_finalize(st);
    return ret;
}

int nd_query_search_facets(nd_store *s, const nd_query_opts *q, nd_facet_list **out, nd_error *err)
{
    *out = NULL;
    filters f;
    int rc = search_open(s, q, &f, err);
    if (rc) return rc;
    nd_facet_list *res = nd__result_new(sizeof *res, 0, err);
    nd_facet *fs = res ? nd_arena_calloc(res->r.arena, 4, sizeof *fs) : NULL;
    int64_t *ids = nd_malloc((size_t) nd__query_facet_docs * sizeof *ids);
    if (!fs || !ids) {
        nd_free(ids);
        nd_result_free(res);
        nd__sel_free(&f.who);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    nd_arena *ar = res->r.arena;
    nd__vec c[3] = {{NULL, 0, 0, sizeof(nd_count)},
                    {NULL, 0, 0, sizeof(nd_count)},
                    {NULL, 0, 0, sizeof(nd_count)}};
    uint64_t n = 0;
    int ret = 0;
    /* Without filters but the latest versions, the documents' columns in
     * memory answer when they are fresh and know every match: the same
     * counts as the SQL's (test_doc_table). */
    const nd_doc_table *t = nd__docs_fresh(s);
    int mem = 0;
    if (t && !f.since[0] && !f.until[0] && !q->site && !q->language && !q->story && !f.has_who) {
        mem = facet_ids_mem(s, t, q, ids, &n, &res->sampled, err);
        if (mem > 0 && nd__docs_facets(t, ids, (size_t) n, ar, c))
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        if (mem > 0) atomic_fetch_add_explicit(&nd__docs_used, 1, memory_order_relaxed);
        if (mem < 0) ret = mem;
    }
    if (!ret && mem <= 0) {
        nd_buf sql = ND_BUF_INIT;
        /* The newest matches, in rowid order on the index (no ranking). */
        nd_buf_puts(&sql, "WITH m AS (SELECT rowid AS id FROM documents_fts"
                          " WHERE documents_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2)"
                          " SELECT d.id, coalesce(nullif(d.site, ''), d.host),"
                          " substr(coalesce(d.published, d.fetched), 1, 10), d.language"
                          " FROM m JOIN documents d ON d.id = m.id WHERE 1");
        hit_where(&sql, q, &f);
        sqlite3_stmt *st;
        ret = nd__prepare(s, &sql, &st, "cannot search", err);
        nd_buf_free(&sql);
        if (!ret) {
            hit_bind(st, q, &f);
            sqlite3_bind_int(st, 2, nd__query_facet_docs + 1);
            int r;
            n = 0;
            res->sampled = 0;
            while ((r = sqlite3_step(st)) == SQLITE_ROW) {
                if (n == (uint64_t) nd__query_facet_docs) {
                    res->sampled = 1;
                    break;
                }
                ids[n++] = sqlite3_column_int64(st, 0);
                for (int k = 0; k < 3; k++)
                    tally(ar, &c[k], (const char *) sqlite3_column_text(st, k + 1));
            }
            ret = r == SQLITE_DONE || r == SQLITE_ROW ? 0 : search_fail(s, err);
            sqlite3_finalize(st);
        }
    }
    nd__sel_free(&f.who);
    static const char *const names[] = {"site", "day", "language", "actor"};
    for (int k = 0; k < 4; k++) fs[k].field = names[k];
    for (int k = 0; k < 3; k++) facet_end(&fs[k], &c[k]);
    /* The actors of the matches, counted on the (doc_id, actor_id) index
     * or from memory. */
    nd__vec ac = {NULL, 0, 0, sizeof(nd_count)};
    nd__vec top = {NULL, 0, 0, sizeof(nd_actor_row)};
    if (!ret && n)
        ret = mem > 0 ? nd__doc_actors_top_mem(s, t, ids, (size_t) n, 8, ar, &top, err)
                      : nd__doc_actors_top(s, ids, (size_t) n, NULL, 0, 8, ar, &top, err);
    for (size_t i = 0; !ret && i < top.n; i++) {
        const nd_actor_row *a = &((const nd_actor_row *) top.items)[i];
        nd_count *x = nd__vec_push(ar, &ac);
        if (!x) {
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        x->value = a->name;
        x->n = a->documents;
    }
    fs[3].values = ac.items;
    fs[3].n = ac.n;
    nd_free(ids);
    if (ret) {
        nd_result_free(res);
        return ret;
    }
    res->matches = n;
    res->items = fs;
    res->n = 4;
    *out = res;
    return 0;
}
