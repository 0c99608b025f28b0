/* rank.c - FTS5's bm25() for the best k matches only: nd_bm25(documents_fts,
 * k, weights...).
 *
 * bm25() reads each match's length from the %_docsize table (one
 * statement per row): ranking the 50,000 matches of a common word cost
 * 36 ms, most of it there.  A match's score grows with its phrase
 * frequencies and falls with its length, so the frequencies alone bound
 * it from above (the score of a document of length 0).  nd_bm25 keeps the
 * k best exact scores seen so far; a row whose bound is below the k-th
 * of them cannot be among the best k, and gets ND_RANK_PRUNED (sorting
 * after every score) without its length being read.  Every other row gets
 * exactly bm25()'s value: the same IDFs (from the same counts), average
 * length and arithmetic, in the same order (SQLite 3.40's fts5_aux.c).
 * So "ORDER BY nd_bm25(t, k, ...) LIMIT k" returns the rows and scores
 * "ORDER BY bm25(t, ...) LIMIT k" returns.  Rows come in rowid order: the
 * bound can only prune after k rows have been scored. */
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
    /* The best k scores so far: a min-heap (heap[0] the k-th best). */
    double *heap;
    int k, n;
} rank_data;

static int count_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *user)
{
    (void) api, (void) fts;
    ++*(sqlite3_int64 *) user;
    return SQLITE_OK;
}

/* The per-query data, made on the first row (as bm25() makes its own). */
static int rank_data_of(const Fts5ExtensionApi *api, Fts5Context *fts, int k, rank_data **out)
{
    rank_data *p = api->xGetAuxdata(fts, 0);
    if (p) {
        *out = p;
        return SQLITE_OK;
    }
    int n_phrase = api->xPhraseCount(fts);
    size_t bytes = sizeof *p + ((size_t) n_phrase * 2 + (size_t) k) * sizeof(double);
    p = sqlite3_malloc64(bytes);
    if (!p) return SQLITE_NOMEM;
    memset(p, 0, bytes);
    p->n_phrase = n_phrase;
    p->idf = (double *) &p[1];
    p->freq = p->idf + n_phrase;
    p->heap = p->freq + n_phrase;
    p->k = k;
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc == SQLITE_OK) p->avgdl = (double) tokens / (double) rows;
    for (int i = 0; rc == SQLITE_OK && i < n_phrase; i++) {
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, i, &hits, count_cb);
        if (rc == SQLITE_OK) {
            double idf = log((rows - hits + 0.5) / (hits + 0.5));
            if (idf <= 0.0) idf = 1e-6;
            p->idf[i] = idf;
        }
    }
    if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, p, sqlite3_free);
    else sqlite3_free(p);
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

static void heap_down(double *h, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, m = i;
        if (l < n && h[l] < h[m]) m = l;
        if (l + 1 < n && h[l + 1] < h[m]) m = l + 1;
        if (m == i) return;
        double t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void heap_add(rank_data *p, double score)
{
    if (p->n < p->k) {
        /* Sift up. */
        int i = p->n++;
        p->heap[i] = score;
        while (i > 0 && p->heap[(i - 1) / 2] > p->heap[i]) {
            double t = p->heap[i];
            p->heap[i] = p->heap[(i - 1) / 2];
            p->heap[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
    } else if (score > p->heap[0]) {
        p->heap[0] = score;
        heap_down(p->heap, p->n, 0);
    }
}

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                    sqlite3_value **argv)
{
    int k = argc > 0 ? sqlite3_value_int(argv[0]) : 0;
    if (k < 1 || k > 1000000) {
        sqlite3_result_error(ctx, "nd_bm25: k must be 1 to 1000000", -1);
        return;
    }
    rank_data *p;
    int rc = rank_data_of(api, fts, k, &p);
    int inst = 0;
    if (rc == SQLITE_OK) {
        memset(p->freq, 0, sizeof(double) * (size_t) p->n_phrase);
        rc = api->xInstCount(fts, &inst);
    }
    for (int i = 0; rc == SQLITE_OK && i < inst; i++) {
        int ip, ic, io;
        rc = api->xInst(fts, i, &ip, &ic, &io);
        if (rc == SQLITE_OK) p->freq[ip] += argc - 1 > ic ? sqlite3_value_double(argv[ic + 1]) : 1.0;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    /* Rounding is monotonic: the bound computed so is >= the exact score
     * computed so. */
    if (p->n == p->k && score_of(p, 0.0) < p->heap[0]) {
        sqlite3_result_double(ctx, ND_RANK_PRUNED);
        return;
    }
    int tokens = 0;
    rc = api->xColumnSize(fts, -1, &tokens);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double score = score_of(p, (double) tokens);
    heap_add(p, score);
    sqlite3_result_double(ctx, -1.0 * score);
}

int nd__rank_register(nd_store *s, nd_error *err)
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
        api->xCreateFunction(api, "nd_bm25", NULL, rank_fn, NULL) != SQLITE_OK)
        return nd_error_set(err, ND_EDB, (size_t) -1, "cannot rank: no FTS5 API");
    s->rank_ready = 1;
    return 0;
}
