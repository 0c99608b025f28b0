/* stats.c - what the store holds, its latest runs, and the errors of a
 * run.
 *
 * Every count is read from store_counts, which triggers keep (schema step
 * 5: documents, pages, versions, related documents and links,
 * paragraphs, raw pages, errors, analysed documents, text bytes, and the
 * documents per site, host and language), so `stats` costs the same at
 * any size. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "query/query_int.h"

static int counts(nd_store *s, nd_stats_page *r, nd_error *err)
{
    static const struct {
        const char *name;
        size_t off;
    } f[] = {
        {"documents", offsetof(nd_stats_page, documents)},
        {"pages", offsetof(nd_stats_page, pages)},
        {"versions", offsetof(nd_stats_page, versions)},
        {"related_docs", offsetof(nd_stats_page, related_docs)},
        {"related_links", offsetof(nd_stats_page, related_links)},
        {"paragraphs", offsetof(nd_stats_page, paragraphs)},
        {"raw_pages", offsetof(nd_stats_page, raw_pages)},
        {"errors", offsetof(nd_stats_page, errors)},
        {"analysed", offsetof(nd_stats_page, analysed)},
        {"text_bytes", offsetof(nd_stats_page, text_bytes)},
    };
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT field, n FROM store_counts WHERE value = ''", -1, &st,
                           NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot count", err);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *) sqlite3_column_text(st, 0);
        int64_t n = sqlite3_column_int64(st, 1);
        for (size_t i = 0; name && i < sizeof f / sizeof *f; i++)
            if (!strcmp(name, f[i].name))
                *(uint64_t *) ((char *) r + f[i].off) = n > 0 ? (uint64_t) n : 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot count", err);
    int64_t runs = 0;
    rc = nd__query_int(s, "SELECT count(*) FROM ingest_runs", 0, &runs, err);
    r->runs = (uint64_t) runs;
    return rc;
}

static int top(nd_store *s, nd_arena *ar, const char *field, const nd_count **out, size_t *n,
               nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT value, n FROM store_counts WHERE field = ?1 AND n > 0"
                           " ORDER BY n DESC, value LIMIT 10",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot count", err);
    sqlite3_bind_text(st, 1, field, -1, SQLITE_STATIC);
    nd__vec v = {NULL, 0, 0, sizeof(nd_count)};
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_count *c = nd__vec_push(ar, &v);
        if (!c) {
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        c->value = nd__col_dup(ar, st, 0);
        if (!c->value) c->value = "";
        c->n = (uint64_t) sqlite3_column_int64(st, 1);
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW) ret = nd__store_fail(s, "cannot count", err);
    sqlite3_finalize(st);
    *out = v.items;
    *n = v.n;
    return ret;
}

static int runs(nd_store *s, nd_arena *ar, nd_stats_page *r, nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, started, finished, status, inputs, pages, added, related,"
                           " duplicates, skipped, errors FROM ingest_runs ORDER BY id DESC LIMIT 5",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list runs", err);
    nd__vec v = {NULL, 0, 0, sizeof(nd_store_run)};
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_run *x = nd__vec_push(ar, &v);
        if (!x) {
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        x->id = sqlite3_column_int64(st, 0);
        x->started = nd__col_dup(ar, st, 1);
        x->finished = nd__col_dup(ar, st, 2);
        x->status = nd__col_dup(ar, st, 3);
        x->inputs = nd__col_dup(ar, st, 4);
        x->pages = (uint64_t) sqlite3_column_int64(st, 5);
        x->added = (uint64_t) sqlite3_column_int64(st, 6);
        x->related = (uint64_t) sqlite3_column_int64(st, 7);
        x->duplicates = (uint64_t) sqlite3_column_int64(st, 8);
        x->skipped = (uint64_t) sqlite3_column_int64(st, 9);
        x->errors = (uint64_t) sqlite3_column_int64(st, 10);
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = nd__store_fail(s, "cannot list runs", err);
    sqlite3_finalize(st);
    r->runs_latest = v.items;
    r->n_runs = v.n;
    return ret;
}

int nd_query_stats(nd_store *s, nd_stats_page **out, nd_error *err)
{
    *out = NULL;
    nd_stats_page *r = nd__result_new(sizeof *r, 0, err);
    if (!r) return ND_ENOMEM;
    nd_arena *ar = r->r.arena;
    r->schema = nd_store_schema_version(s);
    int rc = counts(s, r, err);
    if (!rc) {
        /* The first and last of the published index (one min() or max()
         * a query reads an index's end; both together scan it). */
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT (SELECT min(published) FROM documents),"
                               " (SELECT max(published) FROM documents)",
                               -1, &st, NULL) != SQLITE_OK)
            rc = nd__store_fail(s, "cannot count", err);
        else {
            if (sqlite3_step(st) == SQLITE_ROW) {
                r->first_published = nd__col_dup(ar, st, 0);
                r->last_published = nd__col_dup(ar, st, 1);
            }
            sqlite3_finalize(st);
        }
    }
    if (!rc) rc = top(s, ar, "site", &r->sites, &r->n_sites, err);
    if (!rc) rc = top(s, ar, "host", &r->hosts, &r->n_hosts, err);
    if (!rc) rc = top(s, ar, "language", &r->languages, &r->n_languages, err);
    if (!rc) rc = runs(s, ar, r, err);
    if (rc) {
        nd_result_free(r);
        return rc;
    }
    struct stat sb;
    if (stat(s->path, &sb) == 0) r->file_bytes += (uint64_t) sb.st_size;
    nd_buf wal = ND_BUF_INIT;
    nd_buf_printf(&wal, "%s-wal", s->path);
    if (!nd_buf_failed(&wal) && stat(wal.ptr, &sb) == 0) r->file_bytes += (uint64_t) sb.st_size;
    nd_buf_free(&wal);
    *out = r;
    return 0;
}

int nd_query_errors(nd_store *s, int64_t run, const nd_query_opts *o, nd_error_list **out,
                    nd_error *err)
{
    *out = NULL;
    int rc = nd__query_check(o, ND__F_CURSOR, "errors", err);
    if (rc) return rc;
    int64_t after = 0;
    if (o && o->cursor) {
        char buf[256];
        const char *f[1];
        rc = nd__cursor_split(o->cursor, 'r', buf, f, 1, err);
        if (rc < 0 || (rc = nd__cursor_int(f[0], &after, err)) < 0) return rc;
    }
    const char *sql =
        run == -1 ? "SELECT id, run_id, at, source, source_offset, source_line, code, message"
                    " FROM ingest_errors WHERE id > ?2 ORDER BY id LIMIT ?3"
        : run == 0
            ? "SELECT id, run_id, at, source, source_offset, source_line, code, message"
              " FROM ingest_errors WHERE run_id = (SELECT max(id) FROM ingest_runs) AND id > ?2"
              " ORDER BY id LIMIT ?3"
            : "SELECT id, run_id, at, source, source_offset, source_line, code, message"
              " FROM ingest_errors WHERE run_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list errors", err);
    int limit = nd__query_limit(o, 1000);
    if (run > 0) sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, after);
    sqlite3_bind_int(st, 3, limit + 1);
    nd_error_list *res = nd__result_new(sizeof *res, 0, err);
    if (!res) {
        sqlite3_finalize(st);
        return ND_ENOMEM;
    }
    nd_arena *ar = res->r.arena;
    nd__vec v = {NULL, 0, 0, sizeof(nd_store_error)};
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((int) v.n == limit) {
            char num[32];
            snprintf(num, sizeof num, "%lld",
                     (long long) ((const nd_store_error *) v.items)[v.n - 1].id);
            const char *f[] = {num};
            res->r.next = nd__cursor_make(ar, 'r', 1, f);
            break;
        }
        nd_store_error *e = nd__vec_push(ar, &v);
        if (!e) {
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        e->id = sqlite3_column_int64(st, 0);
        e->run_id = sqlite3_column_int64(st, 1);
        e->at = nd__col_dup(ar, st, 2);
        e->source = nd__col_dup(ar, st, 3);
        e->offset = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 4);
        e->line = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 5);
        e->code = nd__col_dup(ar, st, 6);
        e->message = nd__col_dup(ar, st, 7);
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = nd__store_fail(s, "cannot list errors", err);
    sqlite3_finalize(st);
    if (ret) {
        nd_result_free(res);
        return ret;
    }
    res->items = v.items;
    res->n = v.n;
    *out = res;
    return 0;
}
