/* optimize.c - the full-text indexes rewritten whole (`newsdesk optimize`,
 * and ingest's policy after a bulk run).  docs/architecture.md, "The
 * full-text index rewritten whole". */
#include <stdio.h>
#include <string.h>

#include "newsdesk/newsdesk.h"
#include "store/store_int.h"

/* The store's FTS5 tables, in the order the summary names them. */
static const char *const fts_names[ND_STORE_FTS_INDEXES] = {"documents_fts", "quotes_fts",
                                                            "actor_names"};

/* The store_counts row that holds the documents at the last rewrite. */
#define OPTIMIZED_FIELD "fts_optimized"

static int int_of(nd_store *s, const char *sql, const char *arg, int64_t *out, nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot read the full-text indexes", err);
    if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return nd__store_fail(s, "cannot read the full-text indexes", err);
    return 0;
}

/* The segments of an FTS5 index: each has its rows in the %_idx table
 * (one per leaf page that starts a term, at least one), keyed by segid. */
static int segments(nd_store *s, const char *name, int *out, nd_error *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(DISTINCT segid) FROM \"%s_idx\"", name);
    int64_t n = 0;
    int rc = int_of(s, sql, NULL, &n, err);
    *out = (int) n;
    return rc;
}

static int documents(nd_store *s, int64_t *out, nd_error *err)
{
    return int_of(s, "SELECT coalesce(max(n), 0) FROM store_counts WHERE field = 'documents'", NULL,
                  out, err);
}

int nd_store_optimize(nd_store *s, nd_store_optimize_stats *st, nd_error *err)
{
    nd_store_optimize_stats local;
    if (!st) st = &local;
    memset(st, 0, sizeof *st);
    double t0 = nd__store_mono();
    int rc = nd_store_begin(s, err);
    if (rc) return rc;
    /* (a store nd_store_open opened for writing is at the current schema:
     * it has the three) */
    for (int i = 0; i < ND_STORE_FTS_INDEXES; i++) {
        int k = st->indexes++;
        st->names[k] = fts_names[i];
        rc = segments(s, fts_names[i], &st->before[k], err);
        if (rc) goto fail;
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO \"%s\"(\"%s\") VALUES ('optimize')", fts_names[i],
                 fts_names[i]);
        rc = nd__store_exec(s, sql, err);
        if (!rc) rc = segments(s, fts_names[i], &st->after[k], err);
        if (rc) goto fail;
    }
    rc = documents(s, &st->documents, err);
    if (rc) goto fail;
    char sql[160];
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO store_counts(field, value, n) VALUES ('" OPTIMIZED_FIELD
             "', '', %lld)",
             (long long) st->documents);
    rc = nd__store_exec(s, sql, err);
    /* Not `PRAGMA optimize`: it would ANALYZE the tables this connection
     * read (here the indexes' segment tables and store_counts; in an
     * ingest's writer most of the store), and the store keeps no
     * sqlite_stat1: its queries' plans are chosen without statistics, and
     * statistics could change them. */
    if (!rc) rc = nd_store_commit(s, err);
    if (rc) goto fail;
    st->seconds = nd__store_mono() - t0;
    return 0;
fail:
    nd_store_rollback(s);
    return rc;
}

int nd_store_optimize_due(nd_store *s, uint64_t added, int *due, nd_error *err)
{
    *due = 0;
    if (added < ND_STORE_OPTIMIZE_MIN_ADDED) return 0;
    int64_t docs = 0, last = 0;
    int rc = documents(s, &docs, err);
    if (!rc)
        rc = int_of(s,
                    "SELECT coalesce(max(n), 0) FROM store_counts WHERE field = ?1 AND value = ''",
                    OPTIMIZED_FIELD, &last, err);
    if (rc) return rc;
    *due = (int64_t) added * 16 >= docs && docs >= 2 * last;
    return 0;
}
