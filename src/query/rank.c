/* rank.c - the best k matches of an FTS5 query by bm25(), picked in C:
 * nd_top(fts, ptr, weights...), with SQL only walking the matches newest
 * first.
 *
 * bm25() reads each match's length from the %_docsize table (one
 * statement per row), and "ORDER BY bm25() LIMIT k" puts every match
 * through SQLite's sorter: ranking the 50,000 matches of a common word
 * cost 36 ms.  A match's score grows with its phrase frequencies and
 * falls with its length, so the frequencies alone bound it from above
 * (the score of a document of length 0).  nd_top keeps each match's
 * frequencies as the walk passes it; once the walk is over, the k of the
 * highest bounds are scored, then the others in id order, each into a
 * min-heap of the k best exact scores so far; a row whose bound is below
 * the k-th of them cannot be among the best k and its length is not
 * read.  Every row scored gets exactly bm25()'s value: the same IDFs
 * (from the same counts), average length and arithmetic, in the same
 * order (SQLite 3.40's fts5_aux.c).  So the hits and scores are those of
 * "ORDER BY bm25(t, ...), rowid LIMIT k" over the same matches, whatever
 * the order the rows are scored in.
 *
 * The lengths it does read come from the in-memory document table when
 * it is fresh (docs.c), else from one cursor stepping forward through the
 * %_docsize rows (a step where bm25()'s lookup walks the B-tree from its
 * root: 20,000 lookups were 12 of the 24 ms a common word cost at 100,000
 * documents), seeking only across long gaps.  The first length read is
 * checked against FTS5's own (xColumnSize): a table of lengths that does
 * not match is an error, not a wrong score.
 *
 * On a cold store (nd__fetch_cold), the pages FTS5's walk of a query of
 * plain words will read and those of the lengths are asked of the system
 * ahead, many at once (nd__fetch_rows): it reads them one at a time, each
 * a wait for the disk, which serves many together. */
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
    /* The first length read was checked against FTS5's. */
    int checked;
    /* nd_top: the position lists read by phrase_sum() gave what
     * xPhraseNext gives (1), did not (-1), not yet compared (0). */
    int fast_ok;
} rank_data;

/* The matches walked, scored once the walk is over: each one's id and
 * phrase frequencies (n_phrase a row), its length once read (-1 before).
 * The lengths come from the connection's table of them when it is fresh
 * (docs.c), else from a cursor on %_docsize: its row (-1: none yet,
 * INT64_MAX: past the last). */
struct nd__top_walk {
    int n_phrase;
    double avgdl;
    double *idf;
    int64_t *ids;
    double *freq;
    int *len;
    size_t n, cap;
    sqlite3_stmt *sz;
    int64_t at;
    const nd_doc_table *docs;
    /* Each row's bound (its score at length 0).  The lengths file's pages
     * asked for while the walk goes on (not from the table in memory):
     * fetch, the rows asked for so far (sent), the k best scores the rows
     * would have at the average length so far (a min-heap of n_typical):
     * a guess at the k-th best score, the rows bound below it not asked. */
    double *bound;
    nd__fetch fetch;
    int fetching;
    size_t sent;
    double *typical;
    int n_typical, k;
    int64_t asked; /* the leaves asked for */
};

/* Rows asked for at a time while the walk goes on. */
#define FETCH_ROWS 1024

/* A seek costs about what this many steps do. */
#define SEEK_GAP 8

static void rank_data_free(void *v)
{
    sqlite3_free(v);
}

/* SQLite's varint (FTS5 writes the column sizes so): its length
 * (nd__varint, of n bytes that may be none or fewer). */
static int varint(const unsigned char *b, int n, uint64_t *v)
{
    return n > 0 ? (int) nd__varint(b, (size_t) n, v) : 0;
}

/* The token count of row id (all columns) from the %_docsize cursor,
 * stepped forward to it; SQLITE_CORRUPT_VTAB when it has no row. */
static int length_of(struct nd__top_walk *p, int64_t id, int *tokens)
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
static int rank_data_of(const Fts5ExtensionApi *api, Fts5Context *fts, nd__top *t, rank_data **out)
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
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
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

/* bm25()'s sum for a row of D tokens with these phrase frequencies
 * (D = 0: the row's upper bound). */
static double score_of(const struct nd__top_walk *w, const double *freq, double D)
{
    double score = 0.0;
    for (int i = 0; i < w->n_phrase; i++)
        score += w->idf[i] * ((freq[i] * (K1 + 1.0)) / (freq[i] + K1 * (1 - B + B * D / w->avgdl)));
    return score;
}

/* The row's length in tokens: from the document table when it knows the
 * row, else from the %_docsize cursor.  SQLite's code. */
static int row_length(struct nd__top_walk *w, int64_t id, int *tokens)
{
    if (w->docs && nd__docs_length(w->docs, id, tokens)) return SQLITE_OK;
    return length_of(w, id, tokens);
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
    if (col < 0 || col >= n_col) return -1.0; /* a damaged list */
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

/* Ask for the lengths of rows, ids[0..n) in the walk's order (newest
 * first): the file's order is the other way. */
static void fetch_ids(struct nd__top_walk *w, int64_t *ids, size_t n)
{
    for (size_t j = 0; j < n / 2; j++) {
        int64_t x = ids[j];
        ids[j] = ids[n - 1 - j];
        ids[n - 1 - j] = x;
    }
    w->asked += nd__fetch_rows(&w->fetch, ids, n);
}

/* The walk's last row (frequencies freq) into the guess at the k-th best
 * score; every FETCH_ROWS rows, the lengths of those bound at or above
 * the guess asked for, while the walk reads on. */
static void walk_fetch(struct nd__top_walk *w, const double *freq)
{
    double x = score_of(w, freq, w->avgdl);
    double *h = w->typical;
    if (w->n_typical < w->k) {
        int c = w->n_typical++;
        h[c] = x;
        while (c > 0 && h[c] < h[(c - 1) / 2]) {
            double y = h[c];
            h[c] = h[(c - 1) / 2];
            h[(c - 1) / 2] = y;
            c = (c - 1) / 2;
        }
    } else if (x > h[0]) {
        h[0] = x;
        for (int c = 0;;) {
            int l = 2 * c + 1, m = c;
            if (l < w->n_typical && h[l] < h[m]) m = l;
            if (l + 1 < w->n_typical && h[l + 1] < h[m]) m = l + 1;
            if (m == c) break;
            double y = h[c];
            h[c] = h[m];
            h[m] = y;
            c = m;
        }
    }
    if (w->n - w->sent < FETCH_ROWS) return;
    int64_t ids[FETCH_ROWS];
    size_t m = 0;
    double guess = w->n_typical == w->k ? h[0] : 0.0;
    for (size_t i = w->sent; i < w->n; i++)
        if (w->bound[i] >= guess) ids[m++] = w->ids[i];
    w->sent = w->n;
    fetch_ids(w, ids, m);
}

/* Row id's frequencies (p's) kept in the walk; the first row's length
 * read and checked against FTS5's own (xColumnSize), so that lengths from
 * the wrong place are an error (SQLITE_MISMATCH), not a wrong score.  The
 * rows whose length was read are counted in *lengths. */
static int walk_add(const Fts5ExtensionApi *api, Fts5Context *fts, struct nd__top_walk *w,
                    rank_data *p, int64_t id, int64_t *lengths)
{
    if (!w->idf) {
        w->idf = sqlite3_malloc64((size_t) p->n_phrase * sizeof *w->idf + 1);
        if (!w->idf) return SQLITE_NOMEM;
        if (w->fetching && !(w->typical = sqlite3_malloc64((size_t) w->k * sizeof *w->typical)))
            w->fetching = 0;
        memcpy(w->idf, p->idf, (size_t) p->n_phrase * sizeof *w->idf);
        w->n_phrase = p->n_phrase;
        w->avgdl = p->avgdl;
    }
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 1024;
        int64_t *ids = sqlite3_realloc64(w->ids, cap * sizeof *ids);
        if (ids) w->ids = ids;
        double *freq =
            ids ? sqlite3_realloc64(w->freq, cap * (size_t) w->n_phrase * sizeof *freq + 1) : NULL;
        if (freq) w->freq = freq;
        int *len = freq ? sqlite3_realloc64(w->len, cap * sizeof *len) : NULL;
        if (len) w->len = len;
        double *bound = len ? sqlite3_realloc64(w->bound, cap * sizeof *bound) : NULL;
        if (!bound) return SQLITE_NOMEM;
        w->bound = bound;
        w->cap = cap;
    }
    size_t i = w->n++;
    w->ids[i] = id;
    memcpy(w->freq + i * (size_t) w->n_phrase, p->freq, (size_t) w->n_phrase * sizeof *w->freq);
    w->len[i] = -1;
    w->bound[i] = score_of(w, p->freq, 0.0);
    if (w->fetching) walk_fetch(w, p->freq);
    if (p->checked) return SQLITE_OK;
    int tokens = 0, fts5s = 0;
    int rc = row_length(w, id, &tokens);
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &fts5s);
    if (rc == SQLITE_OK && fts5s != tokens) rc = SQLITE_MISMATCH;
    if (rc != SQLITE_OK) return rc;
    p->checked = 1;
    w->len[i] = tokens;
    ++*lengths;
    return SQLITE_OK;
}

/* nd_top(fts, ptr, weights...): the row's bm25() score into the nd__top
 * ptr points to (a pointer bound as "nd__top"); returns NULL. */
static void top_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                   sqlite3_value **argv)
{
    nd__top *t = argc > 0 ? sqlite3_value_pointer(argv[0], "nd__top") : NULL;
    if (!t || t->k < 1 || !t->walk) {
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
    int rc = rank_data_of(api, fts, t, &p);
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
            p->freq[i] += ic < 8 && ic < n_col ? w[ic]
                          : argc - 1 > ic && ic < n_col
                              ? sqlite3_value_double(argv[ic + 1])
                              : 1.0; /* a column past the table's: damaged */
        if (fast >= 0.0 && p->fast_ok == 0) p->fast_ok = fast == p->freq[i] ? 1 : -1;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    if (rc == SQLITE_OK) rc = walk_add(api, fts, t->walk, p, id, &t->lengths);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_MISMATCH)
            sqlite3_result_error(ctx, "nd_top: the lengths read are not the table's", -1);
        else
            sqlite3_result_error_code(ctx, rc);
    }
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

/* ---- the index's pages asked for ahead ---------------------------------------------- */

/* The tokens of a query (at most 8, each under 64 bytes). */
typedef struct query_tokens {
    char tok[8][64];
    int n;
} query_tokens;

static int token_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    (void) flags, (void) start, (void) end;
    query_tokens *q = ctx;
    if (n <= 0 || n >= 64) return SQLITE_OK;
    for (int i = 0; i < q->n; i++)
        if (!strncmp(q->tok[i], tok, (size_t) n) && !q->tok[i][n]) return SQLITE_OK;
    if (q->n == 8) return SQLITE_DONE;
    memcpy(q->tok[q->n], tok, (size_t) n);
    q->tok[q->n++][n] = 0;
    return SQLITE_OK;
}

/* FTS5's rowid of a page of its %_data table. */
#define FTS5_ROWID(seg, dlidx, height, pgno)                                                       \
    (((int64_t) (seg) << 37) + ((int64_t) (dlidx) << 36) + ((int64_t) (height) << 31) +            \
     (int64_t) (pgno))

/* Pages of documents_fts_data asked for at most. */
#define TERM_PAGES 1024
/* A term's pages in a segment asked for whole up to this many, else its
 * first and last few. */
#define TERM_RUN 64

/* Segments read at most. */
#define MAX_SEGS 64

/* documents_fts's segments (their ids into segs, at most MAX_SEGS) from
 * its structure record (FTS5's %_data row 10: a cookie, then varints -
 * the levels, the segments, a write counter, and each level's merge
 * count and segments, each its id, first and last page, and five more
 * in the format's second version): how many, or -1 when the record
 * cannot be read so. */
static int index_segments(nd_store *s, int64_t *segs)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT block FROM documents_fts_data WHERE id = 10", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    int n = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(st, 0);
        int len = sqlite3_column_bytes(st, 0), i = 4, u;
        int v2 = len >= 8 && !memcmp(b + 4, "\xff\x00\x00\x01", 4);
        if (v2) i += 4;
        uint64_t levels = 0, total = 0, x;
        if (b && len > i && (u = varint(b + i, len - i, &levels)) && (i += u) < len &&
            (u = varint(b + i, len - i, &total)) && (i += u) < len &&
            (u = varint(b + i, len - i, &x)) && total <= MAX_SEGS && levels <= 64) {
            i += u;
            n = 0;
            for (uint64_t l = 0; n >= 0 && l < levels; l++) {
                uint64_t segs_here = 0;
                if (!(u = varint(b + i, len - i, &x)) ||
                    !(i += u, u = varint(b + i, len - i, &segs_here))) {
                    n = -1;
                    break;
                }
                i += u;
                for (uint64_t g = 0; g < segs_here; g++) {
                    uint64_t id;
                    if (n == MAX_SEGS || i >= len || !(u = varint(b + i, len - i, &id))) {
                        n = -1;
                        break;
                    }
                    i += u;
                    segs[n++] = (int64_t) id;
                    for (int f = 0; f < (v2 ? 7 : 2); f++) {
                        if (i >= len || !(u = varint(b + i, len - i, &x))) {
                            n = -1;
                            break;
                        }
                        i += u;
                    }
                    if (n < 0) break;
                }
            }
            if (n >= 0 && (uint64_t) n != total) n = -1;
        }
    }
    sqlite3_finalize(st);
    return n;
}

/* The pages of documents_fts's index that the walk of a query of plain
 * words (no operator, prefix or column filter) reads, asked for at once
 * before it starts: FTS5 reads them one at a time, each segment's in
 * turn - where the word starts (its %_idx entry says which page), its
 * doclist index, then its doclist from the last page back - the B-tree
 * pages of %_data above each.  Each segment's pages of the word: all of
 * them up to TERM_RUN, else the first and the last ones (the walk of the
 * newest matches reads a long doclist from its end, and stops where the
 * newest are done).  A hint: nothing is asked for a query it cannot read
 * so, and the pages asked for are what the file holds. */
static void fetch_terms(nd_store *s, const nd__top *t, const char *match, int64_t *asked)
{
    if (strcmp(t->table, "documents_fts")) return;
    for (const char *c = match; *c; c++)
        if (strchr("*:()^+{}", *c)) return;
    static const char *const ops[] = {"OR", "AND", "NOT", "NEAR"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        const char *at = strstr(match, ops[i]);
        if (at) return;
    }
    fts5_api *api = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return;
    sqlite3_bind_pointer(st, 1, (void *) &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    void *ud = NULL;
    fts5_tokenizer tk;
    Fts5Tokenizer *tok = NULL;
    const char *args[] = {"unicode61", "remove_diacritics", "2"};
    query_tokens q = {.n = 0};
    if (!api || api->xFindTokenizer(api, "porter", &ud, &tk) != SQLITE_OK ||
        tk.xCreate(ud, args, 3, &tok) != SQLITE_OK)
        return;
    tk.xTokenize(tok, &q, FTS5_TOKENIZE_QUERY, match, (int) strlen(match), token_cb);
    tk.xDelete(tok);
    if (!q.n) return;
    sqlite3_stmt *seg = NULL, *first = NULL, *next = NULL;
    int64_t *rows = nd_malloc(TERM_PAGES * sizeof *rows);
    size_t n = 0;
    if (!rows ||
        sqlite3_prepare_v2(s->db,
                           "SELECT segid FROM documents_fts_idx WHERE segid > ?1"
                           " ORDER BY segid LIMIT 1",
                           -1, &seg, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT pgno FROM documents_fts_idx WHERE segid = ?1 AND term <= ?2"
                           " ORDER BY term DESC LIMIT 1",
                           -1, &first, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT pgno FROM documents_fts_idx WHERE segid = ?1 AND term > ?2"
                           " ORDER BY term LIMIT 1",
                           -1, &next, NULL) != SQLITE_OK)
        goto done;
    /* The segments, from the index's structure record (else one lookup
     * each in %_idx); their entries of the words asked for at once. */
    int64_t segs[MAX_SEGS];
    int n_seg = index_segments(s, segs);
    if (n_seg < 0) {
        n_seg = 0;
        for (int64_t id = -1; n_seg < MAX_SEGS;) {
            sqlite3_reset(seg);
            sqlite3_bind_int64(seg, 1, id);
            if (sqlite3_step(seg) != SQLITE_ROW) break;
            segs[n_seg++] = id = sqlite3_column_int64(seg, 0);
        }
    } else {
        char keys[8][65];
        nd__fetch_key *fk = nd_malloc((size_t) n_seg * (size_t) q.n * sizeof *fk);
        size_t nk = 0;
        for (int i = 0; i < q.n; i++) {
            keys[i][0] = '0';
            memcpy(keys[i] + 1, q.tok[i], strlen(q.tok[i]) + 1);
        }
        for (int g = 0; fk && g < n_seg; g++)
            for (int i = 0; i < q.n; i++)
                fk[nk++] = (nd__fetch_key){1, segs[g], keys[i], strlen(keys[i])};
        if (fk) qsort(fk, nk, sizeof *fk, nd__fetch_key_order);
        nd__fetch f = {.fd = -1};
        if (fk && nd__fetch_open(s, "documents_fts_idx", &f) == 0)
            *asked += nd__fetch_keys(&f, fk, nk);
        nd__fetch_close(&f);
        nd_free(fk);
    }
    for (int g = 0; g < n_seg; g++) {
        int64_t id = segs[g];
        for (int i = 0; i < q.n; i++) {
            char key[65];
            key[0] = '0'; /* the main index's terms (not a prefix index's) */
            size_t kl = strlen(q.tok[i]);
            memcpy(key + 1, q.tok[i], kl);
            int64_t a = -1, b = -1;
            sqlite3_reset(first);
            sqlite3_bind_int64(first, 1, id);
            sqlite3_bind_blob(first, 2, key, (int) kl + 1, SQLITE_STATIC);
            if (sqlite3_step(first) == SQLITE_ROW) a = sqlite3_column_int64(first, 0) >> 1;
            sqlite3_reset(next);
            sqlite3_bind_int64(next, 1, id);
            sqlite3_bind_blob(next, 2, key, (int) kl + 1, SQLITE_STATIC);
            if (sqlite3_step(next) == SQLITE_ROW) b = (sqlite3_column_int64(next, 0) >> 1) - 1;
            if (a < 1) continue;
            if (b < a) b = a + 3;
            for (int h = 0; h < 2 && n < TERM_PAGES; h++) rows[n++] = FTS5_ROWID(id, 1, h, a);
            for (int64_t p = a; p <= b && n < TERM_PAGES; p++)
                if (b - a < TERM_RUN || p < a + 2 || p > b - 4) rows[n++] = FTS5_ROWID(id, 0, 0, p);
        }
    }
    if (n) {
        qsort(rows, n, sizeof *rows, nd__i64_order);
        nd__fetch f;
        if (nd__fetch_open(s, "documents_fts_data", &f) == 0) *asked += nd__fetch_rows(&f, rows, n);
        nd__fetch_close(&f);
    }
done:
    sqlite3_finalize(seg);
    sqlite3_finalize(first);
    sqlite3_finalize(next);
    nd_free(rows);
}

/* The rows of w at idx[0..n) (in the walk's order) scored: their
 * lengths asked for ahead (on a cold store), then, oldest first, each
 * row whose bound is not below the k-th best so far read and scored into
 * t's best.  0 or SQLite's code. */
static int score_rows(nd__top *t, struct nd__top_walk *w, const uint32_t *idx, size_t n)
{
    const double *bound = w->bound;
    if (w->fetching && n) {
        int64_t *ids = nd_malloc(n * sizeof *ids);
        size_t m = 0;
        for (size_t j = 0; ids && j < n; j++)
            if (w->len[idx[j]] < 0) ids[m++] = w->ids[idx[j]];
        if (ids) fetch_ids(w, ids, m);
        nd_free(ids);
    }
    /* Oldest first: the cursor on the lengths steps forward from one to
     * the next (a seek is 8 steps' work), and the order does not change
     * the best k. */
    for (size_t j = n; j-- > 0;) {
        uint32_t i = idx[j];
        if (t->n == t->k && bound[i] < t->hits[0].score) continue;
        int tokens = w->len[i];
        if (tokens < 0) {
            int rc = row_length(w, w->ids[i], &tokens);
            if (rc != SQLITE_OK) return rc;
            w->len[i] = tokens;
            t->lengths++;
        }
        top_add(t, (nd__top_hit){w->ids[i],
                                 score_of(w, w->freq + (size_t) i * w->n_phrase, (double) tokens)});
    }
    return SQLITE_OK;
}

/* The walk's rows scored into t's best k.  A row's frequencies bound its
 * score (its score at length 0): the k rows of the highest bounds are
 * scored first, so the k-th best is high from the start, then the rows
 * whose bound is not below it - each group's lengths asked for at once,
 * where one at a time in the walk they were one wait each on a cold
 * store.  The best k and their scores do not depend on the order: every
 * row that can be among them is scored. */
static int score_walk(nd__top *t, struct nd__top_walk *w)
{
    size_t n = w->n;
    if (!n) return SQLITE_OK;
    const double *bound = w->bound;
    uint32_t *idx = nd_malloc(n * sizeof *idx);
    unsigned char *first = nd_calloc(n, 1);
    int rc = idx && first ? SQLITE_OK : SQLITE_NOMEM;
    /* The k highest bounds: a min-heap of their rows. */
    size_t k = (size_t) t->k, h = 0;
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        if (h < k) {
            size_t c = h++;
            idx[c] = (uint32_t) i;
            while (c > 0 && bound[idx[c]] < bound[idx[(c - 1) / 2]]) {
                uint32_t x = idx[c];
                idx[c] = idx[(c - 1) / 2];
                idx[(c - 1) / 2] = x;
                c = (c - 1) / 2;
            }
        } else if (bound[i] > bound[idx[0]]) {
            idx[0] = (uint32_t) i;
            for (size_t c = 0;;) {
                size_t l = 2 * c + 1, m = c;
                if (l < h && bound[idx[l]] < bound[idx[m]]) m = l;
                if (l + 1 < h && bound[idx[l + 1]] < bound[idx[m]]) m = l + 1;
                if (m == c) break;
                uint32_t x = idx[c];
                idx[c] = idx[m];
                idx[m] = x;
                c = m;
            }
        }
    }
    if (rc == SQLITE_OK) {
        for (size_t j = 0; j < h; j++) first[idx[j]] = 1;
        /* In the walk's order, as the rest. */
        h = 0;
        for (size_t i = 0; i < n; i++)
            if (first[i]) idx[h++] = (uint32_t) i;
        rc = score_rows(t, w, idx, h);
    }
    if (rc == SQLITE_OK && h < n) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!first[i] && !(t->n == t->k && bound[i] < t->hits[0].score))
                idx[m++] = (uint32_t) i;
        rc = score_rows(t, w, idx, m);
    }
    nd_free(first);
    nd_free(idx);
    return rc;
}

int nd__rank_top(nd_store *s, const char *match, nd__top *t, nd_error *err)
{
    t->n = 0;
    t->rows = t->last = t->lengths = 0;
    t->more = 0;
    t->deferred = 0;
    t->docs = 0;
    t->ahead = 0;
    t->cold = 0;
    int rc = rank_register(s, err);
    if (rc) return rc;
    struct nd__top_walk w = {.at = -1, .k = t->k, .fetch = {.fd = -1}};
    if (!strcmp(t->table, "documents_fts")) w.docs = nd__docs_fresh(s);
    if (w.docs) atomic_fetch_add_explicit(&nd__docs_used, 1, memory_order_relaxed);
    char *lengths = w.docs ? NULL : sqlite3_mprintf("%s_docsize", t->table);
    w.fetching = lengths && t->k <= 4096 && nd__fetch_open(s, lengths, &w.fetch) == 0 &&
                 nd__fetch_cold(&w.fetch);
    t->cold = w.fetching;
    sqlite3_free(lengths);
    char *len_sql =
        sqlite3_mprintf("SELECT id, sz FROM \"%w_docsize\" WHERE id >= ?1 ORDER BY id", t->table);
    rc = len_sql ? sqlite3_prepare_v2(s->db, len_sql, -1, &w.sz, NULL) : SQLITE_NOMEM;
    sqlite3_free(len_sql);
    sqlite3_stmt *st = NULL;
    int ret = 0;
    /* Every way out below frees what the walk holds (a store whose pages
     * are damaged fails in any of these steps). */
    if (rc != SQLITE_OK) {
        ret = nd__store_fail(s, "cannot search", err);
        goto done;
    }
    t->walk = &w;
    if (w.fetching) fetch_terms(s, t, match, &w.asked);
    char *sql = sqlite3_mprintf("SELECT count(x) FROM (SELECT nd_top(\"%w\", ?2, 4.0, 1.0) AS x"
                                " FROM \"%w\" WHERE \"%w\" MATCH ?1 ORDER BY rowid DESC LIMIT ?3)",
                                t->table, t->table, t->table);
    if (!sql) {
        ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        goto done;
    }
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        ret = nd__store_fail(s, "cannot search", err);
        goto done;
    }
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_pointer(st, 2, t, "nd__top", NULL);
    sqlite3_bind_int64(st, 3, (sqlite3_int64) t->max_rows + 1);
    rc = sqlite3_step(st);
    ret = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : nd__store_fail(s, "cannot search", err);
    /* Scored while the walk's statement holds its read transaction: the
     * lengths are of the same snapshot, and each is not a transaction of
     * its own (its locks). */
    if (!ret && (rc = score_walk(t, &w)) != SQLITE_OK)
        ret = rc == SQLITE_NOMEM ? nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory")
                                 : nd__store_fail(s, "cannot search", err);
done:
    sqlite3_finalize(st);
    t->walk = NULL;
    sqlite3_finalize(w.sz);
    sqlite3_free(w.idf);
    sqlite3_free(w.ids);
    sqlite3_free(w.freq);
    sqlite3_free(w.len);
    sqlite3_free(w.bound);
    sqlite3_free(w.typical);
    nd__fetch_close(&w.fetch);
    t->ahead = w.asked;
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
