/* keywords.c - documents' keywords in the store (schema step 7) and the
 * document frequencies they are scored against.
 *
 * Frequencies come from the full-text index itself (a MATCH of the word,
 * counted on its doclist: no row is read), so they need no writer work
 * while pages are stored.  They count the documents the store held when
 * the cache was made (or last emptied), as the document count does: the
 * pages an ingest stores do not change the frequencies its later pages
 * see, whatever the threads' timing.  Each lookup is remembered in a
 * cache shared by an ingest's workers, which holds the frequent words an
 * ingest asks for again and again, and the ingest keeps what it counted
 * in word_df (schema step 9) for the next runs: a word's count there
 * covers the documents up to an id, and only the later ones are counted
 * from the index.  A common word's list of documents grows with the
 * store (14,600 documents for "said" at 20,000); the documents since the
 * last run that looked it up are a run's worth. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static int step_done(nd_store *s, sqlite3_stmt *st, const char *what, nd_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : nd__store_fail(s, what, err);
}

int nd__store_put_keywords(nd_store *s, int64_t doc, const nd_keywords *k, nd_error *err)
{
    sqlite3_stmt *add = NULL, *mark = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR REPLACE INTO keywords(doc_id, idx, phrase, kind, score)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &add, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO keyword_docs(doc_id, n) VALUES (?1, ?2)",
                           -1, &mark, NULL) != SQLITE_OK)
        rc = nd__store_fail(s, "cannot store keywords", err);
    for (size_t i = 0; !rc && i < k->n; i++) {
        sqlite3_bind_int64(add, 1, doc);
        sqlite3_bind_int64(add, 2, (sqlite3_int64) i);
        sqlite3_bind_text(add, 3, k->items[i].text, -1, SQLITE_STATIC);
        sqlite3_bind_int(add, 4, k->items[i].kind);
        sqlite3_bind_double(add, 5, k->items[i].score);
        rc = step_done(s, add, "cannot store keywords", err);
    }
    if (!rc) {
        sqlite3_bind_int64(mark, 1, doc);
        sqlite3_bind_int64(mark, 2, (sqlite3_int64) k->n);
        rc = step_done(s, mark, "cannot store keywords", err);
    }
    sqlite3_finalize(add);
    sqlite3_finalize(mark);
    return rc;
}

int nd_store_set_keywords(nd_store *s, int64_t doc_id, const nd_keywords *k, nd_error *err)
{
    if (!k) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no keywords");
    if (s->flags & ND_STORE_READONLY)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: opened read-only", s->path);
    int own = !s->in_tx;
    int rc = nd__store_exec(s, own ? "BEGIN IMMEDIATE" : "SAVEPOINT keywords", err);
    if (rc) return rc;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM documents WHERE id = ?1", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = nd__store_fail(s, "cannot find a document", err);
    } else {
        sqlite3_bind_int64(st, 1, doc_id);
        int r = sqlite3_step(st);
        if (r == SQLITE_DONE)
            rc = nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no document %lld",
                              (long long) doc_id);
        else if (r != SQLITE_ROW)
            rc = nd__store_fail(s, "cannot find a document", err);
        sqlite3_finalize(st);
    }
    if (!rc) {
        char sql[128];
        snprintf(sql, sizeof sql, "DELETE FROM keywords WHERE doc_id = %lld", (long long) doc_id);
        rc = nd__store_exec(s, sql, err);
    }
    if (!rc) rc = nd__store_put_keywords(s, doc_id, k, err);
    if (rc) {
        sqlite3_exec(s->db, own ? "ROLLBACK" : "ROLLBACK TO keywords", NULL, NULL, NULL);
        if (!own) sqlite3_exec(s->db, "RELEASE keywords", NULL, NULL, NULL);
        return rc;
    }
    return nd__store_exec(s, own ? "COMMIT" : "RELEASE keywords", err);
}

int nd_store_keywords_todo(nd_store *s, int64_t after, int all, int64_t *ids, size_t cap, size_t *n,
                           nd_error *err)
{
    return nd__store_todo(s, "keyword_docs", after, all, ids, cap, n, err);
}

/* ---- document frequencies ---------------------------------------------------------- */

#define DF_SLOTS 65536 /* a power of two */

/* The remembered frequencies, shared by the nd_store_df of several
 * threads (the ingest workers): each word is looked up once per run, not
 * once per worker, and the common words are the costly lookups.  Each
 * slot also keeps its word (in words) and the last document id its count
 * covers, for nd_store_df_save. */
typedef struct df_cache {
    pthread_mutex_t mu;
    int refs;
    uint64_t docs;
    int64_t last; /* the last document counted: the snapshot of docs */
    size_t used;
    nd_buf words; /* the slots' words, each NUL-terminated */
    struct {
        uint64_t hash; /* 0: empty */
        int64_t df;
        int64_t upto;  /* the count covers the documents of id <= upto */
        int64_t saved; /* word_df's upto for the word when looked up (-1: none) */
        size_t word;   /* offset of the word in words */
    } slot[DF_SLOTS];
} df_cache;

struct nd_store_df {
    nd_store *s;
    sqlite3_stmt *saved, *count;
    df_cache *c;
    uint64_t docs; /* c->docs when this one last looked */
};

/* Empty the cache and read the snapshot it counts in, through df's
 * connection (c->mu held): the documents and the last one the index
 * holds (documents are indexed at each commit, in id order). */
static void df_reset(nd_store_df *df, int clear)
{
    df_cache *c = df->c;
    /* A new cache is zeroed by calloc: its 2.6 MB are not touched. */
    if (clear) memset(c->slot, 0, sizeof c->slot);
    c->used = 0;
    c->docs = 0;
    c->last = 0;
    nd_buf_clear(&c->words);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(df->s->db,
                           "SELECT (SELECT n FROM store_counts"
                           " WHERE field = 'documents' AND value = ''),"
                           " (SELECT last FROM docs_indexed)",
                           -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            c->docs = (uint64_t) sqlite3_column_int64(st, 0);
            c->last = sqlite3_column_int64(st, 1);
        }
        sqlite3_finalize(st);
    }
}

/* A word's saved count, when it covers no document after the cache's
 * last one; then the documents after it (or all) up to that last one
 * that hold the word.  Two statements, two snapshots, and the same
 * answer: a saved count is true of the documents up to its id, and the
 * documents up to the cache's last one are those of its snapshot (ids
 * only grow; a deleted document or a changed text empties word_df).  One
 * statement joining them cost 13 us more a word than a count alone. */
static const char DF_SAVED_SQL[] = "SELECT df, upto FROM word_df WHERE word = ?1 AND upto <= ?2";
static const char DF_COUNT_SQL[] = "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?1"
                                   " AND rowid > ?2 AND rowid <= ?3";

int nd_store_df_share(nd_store *s, nd_store_df *with, nd_store_df **out, nd_error *err)
{
    *out = NULL;
    nd_store_df *df = nd_calloc(1, sizeof *df);
    df_cache *c = with ? with->c : nd_calloc(1, sizeof *c);
    if (!df || !c) {
        nd_free(df);
        if (!with) nd_free(c);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    df->s = s;
    if (sqlite3_prepare_v2(s->db, DF_SAVED_SQL, -1, &df->saved, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, DF_COUNT_SQL, -1, &df->count, NULL) != SQLITE_OK) {
        int rc = nd__store_fail(s, "cannot read word frequencies", err);
        sqlite3_finalize(df->saved);
        nd_free(df);
        if (!with) nd_free(c);
        return rc;
    }
    df->c = c;
    if (with) {
        pthread_mutex_lock(&c->mu);
        c->refs++;
        pthread_mutex_unlock(&c->mu);
    } else {
        pthread_mutex_init(&c->mu, NULL);
        c->refs = 1;
        df_reset(df, 0);
    }
    df->docs = c->docs;
    *out = df;
    return 0;
}

int nd_store_df_new(nd_store *s, nd_store_df **out, nd_error *err)
{
    return nd_store_df_share(s, NULL, out, err);
}

void nd_store_df_free(nd_store_df *df)
{
    if (!df) return;
    sqlite3_finalize(df->saved);
    sqlite3_finalize(df->count);
    df_cache *c = df->c;
    pthread_mutex_lock(&c->mu);
    int last = --c->refs == 0;
    pthread_mutex_unlock(&c->mu);
    if (last) {
        pthread_mutex_destroy(&c->mu);
        nd_buf_free(&c->words);
        nd_free(c);
    }
    nd_free(df);
}

uint64_t nd_store_df_docs(const nd_store_df *df)
{
    return df ? df->docs : 0;
}

/* The slot of h in c: its own, or the empty one it would take (c->mu held). */
static size_t df_slot(const df_cache *c, uint64_t h)
{
    size_t k = h & (DF_SLOTS - 1);
    while (c->slot[k].hash && c->slot[k].hash != h) k = (k + 1) & (DF_SLOTS - 1);
    return k;
}

int64_t nd_store_df_get(void *ctx, const char *word, size_t len)
{
    nd_store_df *df = ctx;
    if (!df || !len || len > 200) return -1;
    df_cache *c = df->c;
    uint64_t h = nd_hash64(word, len) | 1;
    pthread_mutex_lock(&c->mu);
    size_t k = df_slot(c, h);
    int64_t v = c->slot[k].df;
    int hit = c->slot[k].hash == h;
    df->docs = c->docs;
    int64_t last = c->last;
    pthread_mutex_unlock(&c->mu);
    if (hit) return v;
    /* The word as one FTS5 phrase: "..." with inner quotes doubled. */
    char q[420];
    size_t n = 0;
    q[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (word[i] == '"') q[n++] = '"';
        q[n++] = word[i];
    }
    q[n++] = '"';
    v = -1;
    int64_t saved = -1;
    int64_t base = 0, from = 0;
    sqlite3_bind_text(df->saved, 1, word, (int) len, SQLITE_STATIC);
    sqlite3_bind_int64(df->saved, 2, last);
    int rc = sqlite3_step(df->saved);
    if (rc == SQLITE_ROW) {
        base = sqlite3_column_int64(df->saved, 0);
        saved = from = sqlite3_column_int64(df->saved, 1);
    }
    sqlite3_reset(df->saved);
    sqlite3_clear_bindings(df->saved);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        v = base;
        if (from < last) {
            sqlite3_bind_text(df->count, 1, q, (int) n, SQLITE_STATIC);
            sqlite3_bind_int64(df->count, 2, from);
            sqlite3_bind_int64(df->count, 3, last);
            v = sqlite3_step(df->count) == SQLITE_ROW ? base + sqlite3_column_int64(df->count, 0)
                                                      : -1;
            sqlite3_reset(df->count);
            sqlite3_clear_bindings(df->count);
        }
    }
    pthread_mutex_lock(&c->mu);
    if (c->used * 4 >= DF_SLOTS * 3) df_reset(df, 1);
    k = df_slot(c, h); /* another thread may have filled it meanwhile */
    if (!c->slot[k].hash && c->last == last) { /* not when emptied meanwhile */
        size_t off = c->words.len;
        nd_buf_append(&c->words, word, len);
        nd_buf_putc(&c->words, '\0');
        c->slot[k].hash = h;
        c->slot[k].df = v;
        c->slot[k].upto = nd_buf_failed(&c->words) ? -1 : last;
        c->slot[k].saved = saved;
        c->slot[k].word = off;
        c->used++;
    }
    pthread_mutex_unlock(&c->mu);
    return v;
}

/* qsort has no context argument: the cache whose slots this thread sorts. */
static _Thread_local const df_cache *sort_c;

/* Slot numbers by their words, as SQLite's BINARY collation orders them. */
static int by_word(const void *a, const void *b)
{
    const df_cache *c = sort_c;
    return strcmp(c->words.ptr + c->slot[*(const uint32_t *) a].word,
                  c->words.ptr + c->slot[*(const uint32_t *) b].word);
}

int nd_store_df_save(nd_store *s, nd_store_df *df, nd_error *err)
{
    if (!df) return 0;
    if (s->flags & ND_STORE_READONLY)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: opened read-only", s->path);
    df_cache *c = df->c;
    int own = !s->in_tx;
    int rc = nd__store_exec(s, own ? "BEGIN IMMEDIATE" : "SAVEPOINT word_df", err);
    if (rc) return rc;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO word_df(word, df, upto) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT(word) DO UPDATE SET df = excluded.df, upto = excluded.upto"
                           " WHERE excluded.upto > upto",
                           -1, &st, NULL) != SQLITE_OK)
        rc = nd__store_fail(s, "cannot save word frequencies", err);
    pthread_mutex_lock(&c->mu);
    /* Only what this run counted further than the table had it, in the
     * table's order: the rows go in along the B-tree, not all over it. */
    uint32_t *order = rc ? NULL : nd_malloc((c->used ? c->used : 1) * sizeof *order);
    size_t m = 0;
    if (!rc && !order) rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    for (size_t k = 0; !rc && k < DF_SLOTS && m < c->used; k++)
        if (c->slot[k].hash && c->slot[k].df >= 0 && c->slot[k].upto > 0 &&
            c->slot[k].upto > c->slot[k].saved)
            order[m++] = (uint32_t) k;
    sort_c = c;
    if (m) qsort(order, m, sizeof *order, by_word);
    for (size_t i = 0; !rc && i < m; i++) {
        size_t k = order[i];
        sqlite3_bind_text(st, 1, c->words.ptr + c->slot[k].word, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, c->slot[k].df);
        sqlite3_bind_int64(st, 3, c->slot[k].upto);
        rc = step_done(s, st, "cannot save word frequencies", err);
    }
    pthread_mutex_unlock(&c->mu);
    nd_free(order);
    sqlite3_finalize(st);
    if (rc) {
        sqlite3_exec(s->db, own ? "ROLLBACK" : "ROLLBACK TO word_df", NULL, NULL, NULL);
        if (!own) sqlite3_exec(s->db, "RELEASE word_df", NULL, NULL, NULL);
        return rc;
    }
    return nd__store_exec(s, own ? "COMMIT" : "RELEASE word_df", err);
}
