/* query.c - reading the store: documents, search, stats, runs, errors. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store_int.h"

/* The columns of GET_DOC, in order (also used by nd_store_each). */
#define DOC_COLUMNS                                                                                \
    "id, ext_id, ident, version, url, host, site, title, authors, published, fetched,"             \
    " language, credit, text, content_hash, raw_hash, source, source_offset, source_line,"         \
    " parent_id, run_id, added,"                                                                   \
    " (SELECT count(*) FROM documents v WHERE v.ident = documents.ident), story_id, dup_of"

static const char *col_str(nd_arena *ar, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t) return NULL;
    return nd_arena_strndup(ar, (const char *) t, (size_t) sqlite3_column_bytes(st, i));
}

static int64_t col_opt(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

static int parse_authors(nd_store_doc *d, const char *json)
{
    if (!json) return 0;
    json_error_t je;
    json_t *arr = json_loads(json, 0, &je);
    if (!arr) return 0;
    if (json_is_array(arr) && json_array_size(arr) > 0) {
        size_t n = json_array_size(arr);
        d->authors = nd_arena_calloc(d->arena, n, sizeof(char *));
        for (size_t i = 0; d->authors && i < n; i++) {
            const char *v = json_string_value(json_array_get(arr, i));
            if (v) d->authors[d->n_authors++] = nd_arena_strndup(d->arena, v, strlen(v));
        }
    }
    json_decref(arr);
    return 0;
}

/* Fill d (with a fresh arena) from a row of DOC_COLUMNS, then its
 * paragraphs and related items. */
static int load_doc(nd_store *s, sqlite3_stmt *st, nd_store_doc *d, nd_error *err)
{
    memset(d, 0, sizeof *d);
    size_t tl = (size_t) sqlite3_column_bytes(st, 13);
    d->arena = nd_arena_new(tl + 4096);
    if (!d->arena) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    nd_arena *ar = d->arena;
    d->id = sqlite3_column_int64(st, 0);
    d->ext_id = col_str(ar, st, 1);
    d->ident = col_str(ar, st, 2);
    d->version = sqlite3_column_int(st, 3);
    d->url = col_str(ar, st, 4);
    d->host = col_str(ar, st, 5);
    d->site = col_str(ar, st, 6);
    d->title = col_str(ar, st, 7);
    parse_authors(d, (const char *) sqlite3_column_text(st, 8));
    d->published = col_str(ar, st, 9);
    d->fetched = col_str(ar, st, 10);
    d->language = col_str(ar, st, 11);
    d->credit = col_str(ar, st, 12);
    d->text = col_str(ar, st, 13);
    if (!d->text) d->text = "";
    d->text_len = tl;
    d->content_hash = (uint64_t) sqlite3_column_int64(st, 14);
    d->raw_hash = (uint64_t) sqlite3_column_int64(st, 15);
    d->origin.source = col_str(ar, st, 16);
    d->origin.offset = col_opt(st, 17);
    d->origin.line = col_opt(st, 18);
    d->origin.ident = d->ident;
    d->parent_id = sqlite3_column_int64(st, 19);
    d->run_id = sqlite3_column_int64(st, 20);
    d->added = col_str(ar, st, 21);
    d->n_versions = sqlite3_column_int(st, 22);
    if (d->n_versions < 1) d->n_versions = 1;
    d->story_id = sqlite3_column_int64(st, 23);
    d->dup_of = sqlite3_column_int64(st, 24);

    sqlite3_stmt *q = nd__store_stmt(s, ND_STMT_GET_PARAS, err);
    if (!q) return ND_EDB;
    sqlite3_bind_int64(q, 1, d->id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t a = sqlite3_column_int64(q, 0), b = sqlite3_column_int64(q, 1);
        if (a < 0 || b < a || (size_t) b > d->text_len) continue;
        if (d->n_paragraphs == cap) {
            size_t nc = cap ? cap * 2 : 16;
            nd_slice *p = nd_arena_alloc(ar, nc * sizeof *p);
            if (!p) break;
            if (cap) memcpy(p, d->paragraphs, cap * sizeof *p);
            d->paragraphs = p;
            cap = nc;
        }
        d->paragraphs[d->n_paragraphs++] = (nd_slice){d->text + a, (size_t) (b - a)};
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return nd__store_fail(s, "cannot read paragraphs", err);

    q = nd__store_stmt(s, ND_STMT_GET_RELATED, err);
    if (!q) return ND_EDB;
    sqlite3_bind_int64(q, 1, d->id);
    cap = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (d->n_related == cap) {
            size_t nc = cap ? cap * 2 : 8;
            nd_store_related *p = nd_arena_alloc(ar, nc * sizeof *p);
            if (!p) break;
            if (cap) memcpy(p, d->related, cap * sizeof *p);
            d->related = p;
            cap = nc;
        }
        nd_store_related *r = &d->related[d->n_related++];
        r->title = col_str(ar, q, 0);
        r->site = col_str(ar, q, 1);
        r->url = col_str(ar, q, 2);
        r->age = col_str(ar, q, 3);
        r->published = col_str(ar, q, 4);
        r->doc_id = sqlite3_column_int64(q, 5);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return nd__store_fail(s, "cannot read related items", err);
    return 0;
}

void nd_store_doc_free(nd_store_doc *d)
{
    if (!d) return;
    nd_arena_free(d->arena);
    nd_free(d);
}

int nd_store_get_id(nd_store *s, int64_t id, nd_store_doc **out, nd_error *err)
{
    *out = NULL;
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_GET_DOC, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no document %lld", (long long) id);
    }
    if (rc != SQLITE_ROW) {
        rc = nd__store_fail(s, "cannot read a document", err);
        sqlite3_reset(st);
        return rc;
    }
    nd_store_doc *d = nd_calloc(1, sizeof *d);
    if (!d) {
        sqlite3_reset(st);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    rc = load_doc(s, st, d, err);
    sqlite3_reset(st);
    if (rc) {
        nd_store_doc_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

int nd_store_get(nd_store *s, const char *id, nd_store_doc **out, nd_error *err)
{
    *out = NULL;
    if (!id || !*id) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no document id");
    int numeric = 1;
    for (const char *p = id; *p; p++)
        if (!isdigit((unsigned char) *p)) numeric = 0;
    if (numeric && strlen(id) < 19) {
        int rc = nd_store_get_id(s, strtoll(id, NULL, 10), out, err);
        if (rc != ND_ENOTFOUND) return rc;
    }
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_GET_EXT, err);
    if (!st) return ND_EDB;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int64_t doc = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return nd__store_fail(s, "cannot find a document", err);
    if (!doc) return nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no document with id '%s'", id);
    return nd_store_get_id(s, doc, out, err);
}

int nd_store_each(nd_store *s, int (*fn)(void *ctx, const nd_store_doc *d), void *ctx,
                  nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT " DOC_COLUMNS " FROM documents ORDER BY id", -1, &st,
                           NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list documents", err);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_doc d;
        ret = load_doc(s, st, &d, err);
        if (!ret) ret = fn(ctx, &d);
        nd_arena_free(d.arena);
        if (ret) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot list documents", err);
    sqlite3_finalize(st);
    return ret;
}

/* ---- search ------------------------------------------------------------------- */

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

/* Phase 1: the ids and scores of the best hits, filters applied.  With
 * top > 0 only the top best matches by rank are looked at before the
 * filters (cheap: no row is read for the others); the caller retries
 * without that bound when too few survive. */
static int rank_hits(nd_store *s, const nd_store_query *q, const char *since, int want, int top,
                     ranked *out, int *n, nd_error *err)
{
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "WITH m AS (SELECT rowid AS id, bm25(documents_fts, 4.0, 1.0) AS r"
                      " FROM documents_fts WHERE documents_fts MATCH ?1");
    if (top > 0) nd_buf_puts(&sql, " ORDER BY r LIMIT ?2");
    nd_buf_puts(&sql, ") SELECT m.id, m.r FROM m JOIN documents d ON d.id = m.id WHERE 1");
    if (since) nd_buf_puts(&sql, " AND coalesce(d.published, d.fetched) >= ?3");
    if (q->site)
        nd_buf_puts(&sql, " AND (d.site = ?4 COLLATE NOCASE OR d.host = lower(?4)"
                          " OR d.host LIKE '%.' || lower(?4))");
    if (!q->all_versions)
        nd_buf_puts(&sql, " AND NOT EXISTS (SELECT 1 FROM documents v"
                          " WHERE v.ident = d.ident AND v.version > d.version)");
    nd_buf_puts(&sql, " ORDER BY m.r, m.id LIMIT ?5");
    if (nd_buf_failed(&sql)) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql.ptr, (int) sql.len, &st, NULL);
    nd_buf_free(&sql);
    if (rc != SQLITE_OK) return nd__store_fail(s, "cannot search", err);
    sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
    if (top > 0) sqlite3_bind_int(st, 2, top);
    if (since) sqlite3_bind_text(st, 3, since, -1, SQLITE_STATIC);
    if (q->site) sqlite3_bind_text(st, 4, q->site, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, want);
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

int nd_store_search(nd_store *s, const nd_store_query *q,
                    int (*fn)(void *ctx, const nd_store_hit *h), void *ctx, nd_error *err)
{
    if (!q || !q->match || nd_slice_trim(nd_slice_c(q->match)).len == 0)
        return nd_error_set(err, ND_EPARSE, (size_t) -1, "empty search query");
    char since[32] = "";
    if (q->since) {
        if (nd__store_parse_time(q->since, since) != 0)
            return nd_error_set(err, ND_EPARSE, (size_t) -1, "cannot read the date '%s'", q->since);
        /* A day bound ("2025-05-08") matches day-only and timed values of
         * that day, as both sort after it. */
        if (strlen(since) == 20 && strcmp(since + 10, "T00:00:00Z") == 0) since[10] = 0;
    }
    int limit = q->limit > 0 ? q->limit : 20;
    int offset = q->offset > 0 ? q->offset : 0;
    if (limit > 100000) limit = 100000;
    if (offset > 1000000) offset = 1000000;
    int want = limit + offset, n = 0;
    ranked *hits = nd_malloc((size_t) want * sizeof *hits);
    if (!hits) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    /* Ranking on the index alone and filtering the best few is enough
     * unless the filters remove many: then rank everything. */
    int top = want * 4 + 64;
    int rc = rank_hits(s, q, q->since ? since : NULL, want, top, hits, &n, err);
    if (!rc && n < want) rc = rank_hits(s, q, q->since ? since : NULL, want, 0, hits, &n, err);
    if (rc) {
        nd_free(hits);
        return rc;
    }

    /* Phase 2: rows and snippets for the hits shown. */
    sqlite3_stmt *st;
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT d.id, d.ext_id, d.title, d.url, d.site, d.source, d.published,"
                            " d.language, snippet(documents_fts, 1, ?2, ?3, '…', ?4)"
                            " FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid"
                            " WHERE documents_fts MATCH ?1 AND documents_fts.rowid = ?5",
                            -1, &st, NULL);
    if (rc != SQLITE_OK) {
        nd_free(hits);
        return nd__store_fail(s, "cannot search", err);
    }
    sqlite3_bind_text(st, 1, q->match, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, q->hl_open ? q->hl_open : "[", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, q->hl_close ? q->hl_close : "]", -1, SQLITE_STATIC);
    int tokens = q->snippet_tokens > 0 ? q->snippet_tokens : 16;
    sqlite3_bind_int(st, 4, tokens > 64 ? 64 : tokens);
    int ret = 0;
    for (int i = offset; i < n && !ret; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 5, hits[i].id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) continue; /* deleted meanwhile */
        if (rc != SQLITE_ROW) {
            ret = search_fail(s, err);
            break;
        }
        nd_store_hit h;
        h.id = sqlite3_column_int64(st, 0);
        h.ext_id = (const char *) sqlite3_column_text(st, 1);
        h.title = (const char *) sqlite3_column_text(st, 2);
        h.url = (const char *) sqlite3_column_text(st, 3);
        h.site = (const char *) sqlite3_column_text(st, 4);
        h.source = (const char *) sqlite3_column_text(st, 5);
        h.published = (const char *) sqlite3_column_text(st, 6);
        h.language = (const char *) sqlite3_column_text(st, 7);
        h.score = -hits[i].r;
        h.snippet = (const char *) sqlite3_column_text(st, 8);
        ret = fn(ctx, &h);
    }
    sqlite3_finalize(st);
    nd_free(hits);
    return ret;
}

/* ---- stats, runs, errors ---------------------------------------------------------- */

static int count(nd_store *s, const char *sql, uint64_t *out, nd_error *err)
{
    sqlite3_stmt *st;
    *out = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot count", err);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = (uint64_t) sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return nd__store_fail(s, "cannot count", err);
    return 0;
}

int nd_store_get_stats(nd_store *s, nd_store_stats *st, nd_error *err)
{
    memset(st, 0, sizeof *st);
    st->schema = s->schema;
    int rc = count(s, "SELECT count(*) FROM documents", &st->documents, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM documents WHERE parent_id IS NULL AND version = 1",
                   &st->pages, err);
    if (!rc) rc = count(s, "SELECT count(*) FROM documents WHERE version > 1", &st->versions, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM documents WHERE parent_id IS NOT NULL",
                   &st->related_docs, err);
    if (!rc) rc = count(s, "SELECT count(*) FROM related", &st->related_links, err);
    if (!rc) rc = count(s, "SELECT count(*) FROM paragraphs", &st->paragraphs, err);
    if (!rc) rc = count(s, "SELECT count(*) FROM raw_pages", &st->raw_pages, err);
    if (!rc) rc = count(s, "SELECT count(*) FROM ingest_runs", &st->runs, err);
    if (!rc) rc = count(s, "SELECT count(*) FROM ingest_errors", &st->errors, err);
    if (!rc)
        rc = count(s, "SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM documents",
                   &st->text_bytes, err);
    if (rc) return rc;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "SELECT min(published), max(published) FROM documents", -1, &q,
                           NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) {
            const unsigned char *a = sqlite3_column_text(q, 0), *b = sqlite3_column_text(q, 1);
            snprintf(st->first_published, sizeof st->first_published, "%s",
                     a ? (const char *) a : "");
            snprintf(st->last_published, sizeof st->last_published, "%s",
                     b ? (const char *) b : "");
        }
        sqlite3_finalize(q);
    }
    struct stat sb;
    if (stat(s->path, &sb) == 0) st->file_bytes += (uint64_t) sb.st_size;
    nd_buf wal = ND_BUF_INIT;
    nd_buf_printf(&wal, "%s-wal", s->path);
    if (!nd_buf_failed(&wal) && stat(wal.ptr, &sb) == 0) st->file_bytes += (uint64_t) sb.st_size;
    nd_buf_free(&wal);
    return 0;
}

int nd_store_top(nd_store *s, const char *field, int limit,
                 int (*fn)(void *ctx, const char *value, uint64_t n), void *ctx, nd_error *err)
{
    const char *sql;
    if (!strcmp(field, "site"))
        sql = "SELECT coalesce(site, ''), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1 "
              "LIMIT ?1";
    else if (!strcmp(field, "host"))
        sql = "SELECT coalesce(host, ''), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1 "
              "LIMIT ?1";
    else if (!strcmp(field, "language"))
        sql = "SELECT coalesce(language, ''), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"
              " LIMIT ?1";
    else
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "no field '%s' to count", field);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot count", err);
    sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ret = fn(ctx, (const char *) sqlite3_column_text(st, 0),
                 (uint64_t) sqlite3_column_int64(st, 1));
        if (ret) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot count", err);
    sqlite3_finalize(st);
    return ret;
}

int nd_store_runs(nd_store *s, int limit, int (*fn)(void *ctx, const nd_store_run *r), void *ctx,
                  nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(
            s->db,
            "SELECT id, started, finished, status, inputs, pages, added, related,"
            " duplicates, skipped, errors FROM ingest_runs ORDER BY id DESC LIMIT ?1",
            -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list runs", err);
    sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_run r;
        r.id = sqlite3_column_int64(st, 0);
        r.started = (const char *) sqlite3_column_text(st, 1);
        r.finished = (const char *) sqlite3_column_text(st, 2);
        r.status = (const char *) sqlite3_column_text(st, 3);
        r.inputs = (const char *) sqlite3_column_text(st, 4);
        r.pages = (uint64_t) sqlite3_column_int64(st, 5);
        r.added = (uint64_t) sqlite3_column_int64(st, 6);
        r.related = (uint64_t) sqlite3_column_int64(st, 7);
        r.duplicates = (uint64_t) sqlite3_column_int64(st, 8);
        r.skipped = (uint64_t) sqlite3_column_int64(st, 9);
        r.errors = (uint64_t) sqlite3_column_int64(st, 10);
        ret = fn(ctx, &r);
        if (ret) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot list runs", err);
    sqlite3_finalize(st);
    return ret;
}

int nd_store_errors(nd_store *s, int64_t run_id, int (*fn)(void *ctx, const nd_store_error *e),
                    void *ctx, nd_error *err)
{
    const char *sql =
        run_id == -1 ? "SELECT id, run_id, at, source, source_offset, source_line, code, message"
                       " FROM ingest_errors ORDER BY id"
        : run_id == 0
            ? "SELECT id, run_id, at, source, source_offset, source_line, code, message"
              " FROM ingest_errors WHERE run_id = (SELECT max(id) FROM ingest_runs) ORDER BY id"
            : "SELECT id, run_id, at, source, source_offset, source_line, code, message"
              " FROM ingest_errors WHERE run_id = ?1 ORDER BY id";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list errors", err);
    if (run_id > 0) sqlite3_bind_int64(st, 1, run_id);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_error e;
        e.id = sqlite3_column_int64(st, 0);
        e.run_id = sqlite3_column_int64(st, 1);
        e.at = (const char *) sqlite3_column_text(st, 2);
        e.source = (const char *) sqlite3_column_text(st, 3);
        e.offset = col_opt(st, 4);
        e.line = col_opt(st, 5);
        e.code = (const char *) sqlite3_column_text(st, 6);
        e.message = (const char *) sqlite3_column_text(st, 7);
        ret = fn(ctx, &e);
        if (ret) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot list errors", err);
    sqlite3_finalize(st);
    return ret;
}
