/* rank.c - the best k matches of an FTS5 query by bm25(), picked in C:
 * nd_top(fts, ptr, weights...), with SQL only walking the matches newest
 * first.
 *
 * bm25() reads each match's length from the %_docsize table (one
 * statement per row), and "ORDER BY bm25() LIMIT k" puts every match
 * through SQLite's sorter: ranking the 50,000 matches of a common word
 * cost 36 ms.  A match's score grows with its phrase frequencies and
 * falls with its length, so the frequencies alone bound it from above
 * (the score of a document of length 0).  nd_top keeps the k best exact
 * scores seen so far in a min-heap; a row whose bound is below the k-th
 * of them cannot be among the best k and its length is not read.  Every
 * other row gets exactly bm25()'s value: the same IDFs (from the same
 * counts), average length and arithmetic, in the same order (SQLite
 * 3.40's fts5_aux.c).  So the hits and scores are those of "ORDER BY
 * bm25(t, ...), rowid LIMIT k" over the same matches.
 *
 * The lengths it does read come from the in-memory document table when
 * it is fresh (docs.c), else from one cursor stepping through the
 * %_docsize rows beside the matches (a step where bm25()'s lookup walks
 * the B-tree from its root: 20,000 lookups were 12 of the 24 ms a common
 * word cost at 100,000 documents), seeking only across long gaps.  The
 * first length read is checked against FTS5's own (xColumnSize): a table
 * of lengths that does not match is an error, not a wrong score. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/query_int.h"

#define K1 1.2
#define B  0.75

typedef struct rank_data {
    int n_phrase;
    double avgdl;
    double *idf, *freq;
    /* The lengths, read in rowid order: the cursor's row (-1: none yet,
     * INT64_MAX: past the last), checked against FTS5's once. */
    sqlite3_stmt *sz;
    int64_t at;
    int checked;
    /* The connection's table of lengths when it is fresh (docs.c). */
    const nd_doc_table *docs;
    /* nd_top: the position lists read by phrase_sum() gave what
     * xPhraseNext gives (1), did not (-1), not yet compared (0). */
    int fast_ok;
} rank_data;

/* A seek costs about what this many steps do. */
#define SEEK_GAP 8

static void rank_data_free(void *v)
{
    rank_data *p = v;
    sqlite3_finalize(p->sz);
    sqlite3_free(p);
}

/* SQLite's varint (FTS5 writes the column sizes so): its length. */
static int varint(const unsigned char *b, int n, uint64_t *v)
{
    uint64_t x = 0;
    for (int i = 0; i < n && i < 9; i++) {
        if (i == 8) {
            *v = (x << 8) | b[i];
            return 9;
        }
        x = (x << 7) | (b[i] & 0x7f);
        if (!(b[i] & 0x80)) {
            *v = x;
            return i + 1;
        }
    }
    *v = x;
    return 0;
}

/* The token count of row id (all columns) from the %_docsize cursor,
 * stepped forward to it; SQLITE_CORRUPT_VTAB when it has no row. */
static int length_of(rank_data *p, int64_t id, int *tokens)
{
    int rc = SQLITE_ROW;
    if (p->at < 0 || p->at > id || id - p->at > SEEK_GAP) {
        sqlite3_reset(p->sz);
        sqlite3_bind_int64(p->sz, 1, id);
        p->at = -1;
    }
    while (p->at < id && p->at != INT64_MAX) {
        rc = sqlite3_step(p->sz);
        if (rc == SQLITE_ROW)
            p->at = sqlite3_column_int64(p->sz, 0);
        else if (rc == SQLITE_DONE)
            p->at = INT64_MAX;
        else
            return rc;
    }
    if (p->at != id) return SQLITE_CORRUPT_VTAB;
    const unsigned char *b = sqlite3_column_blob(p->sz, 1);
    int n = sqlite3_column_bytes(p->sz, 1), used;
    uint64_t sum = 0, v;
    for (int i = 0; i < n; i += used) {
        if (!(used = varint(b + i, n - i, &v))) return SQLITE_CORRUPT_VTAB;
        sum += v;
    }
    *tokens = (int) sum;
    return SQLITE_OK;
}

static int count_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *user)
{
    (void) api, (void) fts;
    ++*(sqlite3_int64 *) user;
    return SQLITE_OK;
}

/* bm25()'s IDF of a phrase in n of docs documents. */
static double idf_of(int64_t docs, int64_t n)
{
    double idf = log(((double) docs - (double) n + 0.5) / ((double) n + 0.5));
    return idf <= 0.0 ? 1e-6 : idf;
}

/* The per-query data, made on the first row (as bm25() makes its own).
 * A query of one phrase (t given) gets no IDF here: its scores are
 * ranked without it (the same order: it multiplies every score) and
 * nd__rank_top applies it to the best once it knows the matches
 * (t->deferred, t->docs). */
static int rank_data_of(const Fts5ExtensionApi *api, Fts5Context *fts, nd_store *s,
                        const char *table, nd__top *t, rank_data **out)
{
    rank_data *p = api->xGetAuxdata(fts, 0);
    if (p) {
        *out = p;
        return SQLITE_OK;
    }
    int n_phrase = api->xPhraseCount(fts);
    size_t bytes = sizeof *p + (size_t) n_phrase * 2 * sizeof(double);
    p = sqlite3_malloc64(bytes);
    if (!p) return SQLITE_NOMEM;
    memset(p, 0, bytes);
    p->n_phrase = n_phrase;
    p->idf = (double *) &p[1];
    p->freq = p->idf + n_phrase;
    p->at = -1;
    if (!strcmp(table, "documents_fts")) p->docs = nd__docs_fresh(s);
    if (p->docs) atomic_fetch_add_explicit(&nd__docs_used, 1, memory_order_relaxed);
    sqlite3 *db = s->db;
    char *sql =
        sqlite3_mprintf("SELECT id, sz FROM \"%w_docsize\" WHERE id >= ?1 ORDER BY id", table);
    int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &p->sz, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    sqlite3_int64 rows = 0, tokens = 0;
    if (rc == SQLITE_OK) rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc == SQLITE_OK) p->avgdl = (double) tokens / (double) rows;
    if (rc == SQLITE_OK && t && n_phrase == 1) {
        t->deferred = 1;
        t->docs = rows;
        p->idf[0] = 1.0;
        n_phrase = 0; /* no count below */
    }
    for (int i = 0; rc == SQLITE_OK && i < n_phrase; i++) {
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, i, &hits, count_cb);
        if (rc == SQLITE_OK) p->idf[i] = idf_of(rows, hits);
    }
    if (rc == SQLITE_OK)
        rc = api->xSetAuxdata(fts, p, rank_data_free); /* freed on error too */
    else
        rank_data_free(p);
    *out = rc == SQLITE_OK ? p : NULL;
    return rc;
}

/* bm25()'s sum for a row of D tokens (D = 0: the row's upper bound). */
static double score_of(const rank_data *p, double D)
{
    double score = 0.0;
    for (int i = 0; i < p->n_phrase; i++)
        score += p->idf[i] *
                 ((p->freq[i] * (K1 + 1.0)) / (p->freq[i] + K1 * (1 - B + B * D / p->avgdl)));
    return score;
}

/* The row's length in tokens: from the document table when it knows the
 * row, else from the %_docsize cursor; the first length read is checked
 * against FTS5's own, so that lengths from the wrong place are an error,
 * not a wrong score.  Returns 1, or 0 with the error set on ctx. */
static int row_length(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                      rank_data *p, int64_t id, int *tokens)
{
    int rc = SQLITE_OK;
    if (!p->docs || !nd__docs_length(p->docs, id, tokens)) rc = length_of(p, id, tokens);
    if (rc == SQLITE_OK && !p->checked) {
        int fts5s = 0;
        rc = api->xColumnSize(fts, -1, &fts5s);
        if (rc == SQLITE_OK && fts5s != *tokens) {
            sqlite3_result_error(ctx, "nd_top: the lengths read are not the table's", -1);
            return 0;
        }
        p->checked = 1;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return 0;
    }
    return 1;
}

/* a ranks after b: a lower score, or the same and a larger id (the order
 * of "ORDER BY -score, rowid"). */
static int worse(const nd__top_hit *a, const nd__top_hit *b)
{
    return a->score < b->score || (a->score == b->score && a->id > b->id);
}

static void top_down(nd__top_hit *h, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, m = i;
        if (l < n && worse(&h[l], &h[m])) m = l;
        if (l + 1 < n && worse(&h[l + 1], &h[m])) m = l + 1;
        if (m == i) return;
        nd__top_hit t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void top_add(nd__top *t, nd__top_hit x)
{
    nd__top_hit *h = t->hits;
    if (t->n < t->k) {
        int i = t->n++;
        h[i] = x;
        while (i > 0 && worse(&h[i], &h[(i - 1) / 2])) {
            nd__top_hit y = h[i];
            h[i] = h[(i - 1) / 2];
            h[(i - 1) / 2] = y;
            i = (i - 1) / 2;
        }
    } else if (worse(&h[0], &x)) {
        h[0] = x;
        top_down(h, t->n, 0);
    }
}

/* The weights added up of a phrase's instances: the first (in column
 * col, from xPhraseFirst) and those of the rest of its position list,
 * a..b; -1 when the list cannot be read. */
static double phrase_sum(const unsigned char *a, const unsigned char *b, int col, int n_col,
                         const double *w)
{
    double f = w[col];
    while (a < b) {
        uint64_t v;
        int u = varint(a, (int) (b - a), &v);
        if (!u) return -1.0;
        a += u;
        if (v == 1) {
            if (!(u = varint(a, (int) (b - a), &v)) || v >= (uint64_t) n_col) return -1.0;
            a += u;
            col = (int) v;
            if (!(u = varint(a, (int) (b - a), &v))) return -1.0;
            a += u;
        }
        f += w[col];
    }
    return f;
}

/* nd_top(fts, ptr, weights...): the row's bm25() score into the nd__top
 * ptr points to (a pointer bound as "nd__top"); returns NULL. */
static void top_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                   sqlite3_value **argv)
{
    nd__top *t = argc > 0 ? sqlite3_value_pointer(argv[0], "nd__top") : NULL;
    if (!t || t->k < 1) {
        sqlite3_result_error(ctx, "nd_top: (table, nd__top pointer, weights...)", -1);
        return;
    }
    sqlite3_result_null(ctx);
    int64_t id = api->xRowid(fts);
    if (t->rows == t->max_rows) {
        t->more = 1; /* the row past the newest max_rows: not ranked */
        return;
    }
    t->rows++;
    t->last = id;
    rank_data *p;
    int rc = rank_data_of(api, fts, api->xUserData(fts), t->table, t, &p);
    /* Each phrase's instances from its own position list: the list
     * xInst() merges for all phrases (building an array per row, a third
     * of the time for a common word), added up in the same order, so the
     * same sums. */
    double w[8];
    int n_col = api->xColumnCount(fts);
    for (int c = 0; c < n_col && c < 8; c++)
        w[c] = argc - 1 > c ? sqlite3_value_double(argv[c + 1]) : 1.0;
    for (int i = 0; rc == SQLITE_OK && i < p->n_phrase; i++) {
        Fts5PhraseIter it;
        int ic = -1, io = 0;
        p->freq[i] = 0.0;
        rc = api->xPhraseFirst(fts, i, &it, &ic, &io);
        /* The rest of the list read here (SQLite's varints: 1 then a
         * column starts a column, every other value is an instance), one
         * loop without a call per instance; checked against xPhraseNext
         * on the first row, and not used if they differ. */
        double fast = -1.0;
        if (rc == SQLITE_OK && ic >= 0 && n_col <= 8 && p->fast_ok >= 0)
            fast = phrase_sum(it.a, it.b, ic, n_col, w);
        if (fast >= 0.0 && p->fast_ok > 0) {
            p->freq[i] = fast;
            continue;
        }
        for (; rc == SQLITE_OK && ic >= 0; api->xPhraseNext(fts, &it, &ic, &io))
            p->freq[i] += ic < 8 ? w[ic] : argc - 1 > ic ? sqlite3_value_double(argv[ic + 1]) : 1.0;
        if (fast >= 0.0 && p->fast_ok == 0) p->fast_ok = fast == p->freq[i] ? 1 : -1;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    /* A row whose bound is below the k-th best cannot be among them. */
    if (t->n == t->k && score_of(p, 0.0) < t->hits[0].score) return;
    int tokens = 0;
    if (!row_length(api, fts, ctx, p, id, &tokens)) return;
    t->lengths++;
    top_add(t, (nd__top_hit){id, score_of(p, (double) tokens)});
}

/* Register nd_top on s's connection (once): 0 or ND_EDB. */
static int rank_register(nd_store *s, nd_error *err)
{
    if (s->rank_ready) return 0;
    fts5_api *api = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot rank", err);
    sqlite3_bind_pointer(st, 1, (void *) &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2 ||
        api->xCreateFunction(api, "nd_top", s, top_fn, NULL) != SQLITE_OK)
        return nd_error_set(err, ND_EDB, (size_t) -1, "cannot rank: no FTS5 API");
    s->rank_ready = 1;
    return 0;
}

static int best_first(const void *x, const void *y)
{
    const nd__top_hit *a = x, *b = y;
    return worse(a, b) - worse(b, a);
}

/* The IDF of a one-phrase query whose best t holds without it: over the
 * store when every match was ranked (its matches are the phrase's
 * documents: bm25()'s own), else over the ranked window - the matches
 * ranked among the ids from the first of them to the table's last (one
 * seek: a count of the rows there read 1,200 pages of %_docsize for a
 * word whose newest 50,000 matches span 400,000 documents; the ids are
 * the rows where none was deleted) - into *idf.  Counted over the store,
 * a common word's documents were all read for it: "said" at 1,000,000
 * documents, 724,346 of them, 1,644 of the 2,114 pages a cold `search
 * said` read, and the one cost of the search that grew with the store. */
static int deferred_idf(nd_store *s, const nd__top *t, double *idf, nd_error *err)
{
    if (!t->more) {
        *idf = idf_of(t->docs, t->rows);
        return 0;
    }
    char *sql = sqlite3_mprintf("SELECT max(id) FROM \"%w_docsize\"", t->table);
    if (!sql) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    int64_t last = 0;
    int rc = nd__query_int(s, sql, 0, &last, err);
    sqlite3_free(sql);
    if (!rc) *idf = idf_of(last - t->last + 1, t->rows);
    return rc;
}

int nd__rank_top(nd_store *s, const char *match, nd__top *t, nd_error *err)
{
    t->n = 0;
    t->rows = t->last = t->lengths = 0;
    t->more = 0;
    t->deferred = 0;
    t->docs = 0;
    int rc = rank_register(s, err);
    if (rc) return rc;
    sqlite3_stmt *st;
    char *sql = sqlite3_mprintf("SELECT count(x) FROM (SELECT nd_top(\"%w\", ?2, 4.0, 1.0) AS x"
                                " FROM \"%w\" WHERE \"%w\" MATCH ?1 ORDER BY rowid DESC LIMIT ?3)",
                                t->table, t->table, t->table);
    if (!sql) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return nd__store_fail(s, "cannot search", err);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_pointer(st, 2, t, "nd__top", NULL);
    sqlite3_bind_int64(st, 3, (sqlite3_int64) t->max_rows + 1);
    rc = sqlite3_step(st);
    int ret = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : nd__store_fail(s, "cannot search", err);
    sqlite3_finalize(st);
    if (!ret && t->deferred && t->n) {
        /* bm25()'s sum of one phrase is 0.0 + idf * (the rest): the same
         * double as idf times the score ranked. */
        double idf = 0;
        ret = deferred_idf(s, t, &idf, err);
        for (int i = 0; !ret && i < t->n; i++) t->hits[i].score = idf * t->hits[i].score;
    }
    if (!ret && t->n > 1) qsort(t->hits, (size_t) t->n, sizeof *t->hits, best_first);
    return ret;
}
