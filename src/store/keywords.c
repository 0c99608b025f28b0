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
 * last run that looked it up are a run's worth, and a run that stored
 * many documents counts its own for the words it saves (nd_store_df_save),
 * so that the next one does not.  A word of several tokens (a phrase to
 * the index: "covid-19") whose tokens are all common is counted in the
 * last documents and scaled when its count spans more of them
 * (df_phrase): its exact count cost what the store holds; the save keeps
 * that window's count, moved to its last document, for the next runs
 * (phrase_window, df_save_windows).  So is a word no saved count covers,
 * past its last DF_RECENT documents (df_recent). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/imap.h"
#include "base/pack.h"
#include "store/store_int.h"

static int step_done(nd_store *s, sqlite3_stmt *st, const char *what, nd_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : nd__store_fail(s, what, err);
}

int nd__store_put_keywords(nd_store *s, int64_t doc, const nd_keywords *k, nd_error *err)
{
    /* Kept statements: preparing the two per page was 54,000 instructions
     * of the writer's (callgrind, 300 pages). */
    int rc = 0;
    for (size_t i = 0; !rc && i < k->n; i++) {
        sqlite3_stmt *add = nd__store_stmt(s, ND_STMT_ADD_KEYWORD, err);
        if (!add) return err ? err->code : ND_EDB;
        sqlite3_bind_int64(add, 1, doc);
        sqlite3_bind_int64(add, 2, (sqlite3_int64) i);
        sqlite3_bind_text(add, 3, k->items[i].text, -1, SQLITE_STATIC);
        sqlite3_bind_int(add, 4, k->items[i].kind);
        sqlite3_bind_double(add, 5, k->items[i].score);
        rc = step_done(s, add, "cannot store keywords", err);
    }
    if (rc) return rc;
    sqlite3_stmt *mark = nd__store_stmt(s, ND_STMT_MARK_KEYWORDS, err);
    if (!mark) return err ? err->code : ND_EDB;
    sqlite3_bind_int64(mark, 1, doc);
    sqlite3_bind_int64(mark, 2, (sqlite3_int64) k->n);
    return step_done(s, mark, "cannot store keywords", err);
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

/* ---- a run's own documents, counted from their tokens --------------------------------- */

/* documents_fts's tokenizer (schema.c: "porter unicode61 remove_diacritics
 * 2"), from the connection's FTS5 API. */
typedef struct df_tok {
    fts5_tokenizer api;
    Fts5Tokenizer *t;
} df_tok;

static int tok_open(sqlite3 *db, df_tok *k)
{
    memset(k, 0, sizeof *k);
    fts5_api *api = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_pointer(st, 1, (void *) &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    void *ud = NULL;
    const char *args[] = {"unicode61", "remove_diacritics", "2"};
    if (!api || api->iVersion < 2 ||
        api->xFindTokenizer(api, "porter", &ud, &k->api) != SQLITE_OK ||
        k->api.xCreate(ud, args, 3, &k->t) != SQLITE_OK) {
        k->t = NULL;
        return -1;
    }
    return 0;
}

static void tok_close(df_tok *k)
{
    if (k->t) k->api.xDelete(k->t);
    k->t = NULL;
}

/* The documents of each token, for a few hundred documents: a table of
 * token hashes (nd__imap), each with a chain of the documents that hold
 * it.  A document is added once per token (its tokens come together: the
 * chain's head is the document being added). */
typedef struct tok_node {
    int64_t doc;
    uint32_t next; /* node + 1; 0 ends the chain */
} tok_node;

/* Where a document's tokens are in tok_acc's seq: from `start`, those of
 * its title (n[0]), then those of its text (n[1]). */
typedef struct tok_doc {
    size_t start;
    uint32_t n[2];
} tok_doc;

typedef struct tok_acc {
    nd__imap head; /* token hash -> its chain's first node + 1 */
    tok_node *node;
    uint32_t n_node, cap_node;
    int64_t doc; /* the document being added */
    int oom;
    /* Every token's hash in order, by document (at: document id -> its
     * tok_doc + 1), so that a phrase is found where the index finds it:
     * its tokens at consecutive positions of one column. */
    uint64_t *seq;
    size_t n_seq, cap_seq;
    nd__imap at;
    tok_doc *docs;
    size_t n_docs, cap_docs;
    int col;      /* the column being added: 0 title, 1 text */
    int keep_pos; /* keep seq (the save's: 8 bytes a token, ~8 MB for
                   * 1,024 documents; a run's lookups count a phrase
                   * with the index, rarely: after df_stale's estimate) */
    int no_pos;   /* a token at the position of another (never with this
                   * tokenizer): phrases are left to the index */
} tok_acc;

#define WORD_TOKENS 8 /* tokens of a word counted from the table, at most */

/* A word's tokens: how many, the hashes of the first WORD_TOKENS. */
typedef struct tok_word {
    int count;
    uint64_t h[WORD_TOKENS];
} tok_word;

static void tok_acc_clear(tok_acc *a)
{
    nd__imap_free(&a->head);
    memset(&a->head, 0, sizeof a->head);
    nd__imap_free(&a->at);
    memset(&a->at, 0, sizeof a->at);
    a->n_node = 0;
    a->n_seq = 0;
    a->n_docs = 0;
    a->no_pos = 0;
    a->oom = 0;
}

static void tok_acc_free(tok_acc *a)
{
    nd__imap_free(&a->head);
    nd__imap_free(&a->at);
    nd_free(a->node);
    nd_free(a->seq);
    nd_free(a->docs);
    memset(a, 0, sizeof *a);
}

/* A new document a->doc in a's positions: 0, or -1 (out of memory, or
 * no id). */
static int tok_pos_doc(tok_acc *a)
{
    if (a->n_docs == a->cap_docs) {
        size_t cap = a->cap_docs ? 2 * a->cap_docs : 256;
        tok_doc *v = nd_realloc(a->docs, cap * sizeof *v);
        if (!v) return a->oom = 1, -1;
        a->docs = v;
        a->cap_docs = cap;
    }
    a->docs[a->n_docs++] = (tok_doc){a->n_seq, {0, 0}};
    if (a->doc <= 0 || nd__imap_put(&a->at, (uint64_t) a->doc, (int64_t) a->n_docs))
        return a->oom = 1, -1;
    return 0;
}

/* The next token of a->doc's column a->col: 0, or -1 (out of memory). */
static int tok_pos_add(tok_acc *a, uint64_t h)
{
    if (a->n_seq == a->cap_seq) {
        size_t cap = a->cap_seq ? 2 * a->cap_seq : 65536;
        uint64_t *v = nd_realloc(a->seq, cap * sizeof *v);
        if (!v) return a->oom = 1, -1;
        a->seq = v;
        a->cap_seq = cap;
    }
    a->seq[a->n_seq++] = h;
    a->docs[a->n_docs - 1].n[a->col]++;
    return 0;
}

/* The next token of a->doc, of hash h: SQLITE_OK or SQLITE_NOMEM. */
static int tok_add(tok_acc *a, uint64_t h)
{
    if (a->keep_pos && tok_pos_add(a, h)) return SQLITE_NOMEM;
    if (a->n_node == a->cap_node) {
        uint32_t cap = a->cap_node ? 2 * a->cap_node : 16384;
        tok_node *v = nd_realloc(a->node, cap * sizeof *v);
        if (!v) {
            a->oom = 1;
            return SQLITE_NOMEM;
        }
        a->node = v;
        a->cap_node = cap;
    }
    /* (one probe of the table: a get and a put were two, ~30% of the
     * instructions of reading a document's kept tokens) */
    int64_t *head = nd__imap_ref(&a->head, h);
    if (!head) {
        a->oom = 1;
        return SQLITE_NOMEM;
    }
    if (*head && a->node[*head - 1].doc == a->doc) return SQLITE_OK;
    a->node[a->n_node] = (tok_node){a->doc, (uint32_t) *head};
    *head = (int64_t) ++a->n_node;
    return SQLITE_OK;
}

static int tok_doc_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    tok_acc *a = ctx;
    (void) start, (void) end;
    if (flags & FTS5_TOKEN_COLOCATED) a->no_pos = 1;
    return tok_add(a, nd_hash64(tok, (size_t) n) | 1);
}

/* The tokens of a document as doc_tokens keeps them (schema step 11):
 * the counts of its title's and its text's (4 bytes each), then each
 * token's hash (8 bytes), in order, little-endian (base/pack.h). */

/* Add a document's tokens from its doc_tokens blob (b, n bytes) to a:
 * 0, or -1 (not such a blob, out of memory). */
static int tok_blob(tok_acc *a, const unsigned char *b, size_t n)
{
    if (n < 8) return -1;
    uint64_t cols[2] = {nd__rd32(b), nd__rd32(b + 4)};
    if (n != 8 + 8 * (cols[0] + cols[1])) return -1;
    const unsigned char *p = b + 8;
    for (int c = 0; c < 2; c++) {
        a->col = c;
        for (uint64_t i = 0; i < cols[c]; i++, p += 8)
            if (tok_add(a, nd__rd64(p)) != SQLITE_OK) return -1;
    }
    return 0;
}

static int tok_word_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    tok_word *w = ctx;
    (void) flags, (void) start, (void) end;
    if (w->count < WORD_TOKENS) w->h[w->count] = nd_hash64(tok, (size_t) n) | 1;
    w->count++;
    return SQLITE_OK;
}

/* Where a word's tokens are in it: how many, the byte spans of the
 * first WORD_TOKENS. */
typedef struct tok_spans {
    int count;
    int start[WORD_TOKENS], end[WORD_TOKENS];
} tok_spans;

static int tok_span_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    tok_spans *w = ctx;
    (void) flags, (void) tok, (void) n;
    if (w->count < WORD_TOKENS) {
        w->start[w->count] = start;
        w->end[w->count] = end;
    }
    w->count++;
    return SQLITE_OK;
}

/* Add one row of tok_docs' statement st (id, title, text, toks) to a:
 * 0, or -1 (out of memory, or not a blob of tokens). */
static int tok_row(sqlite3_stmt *st, df_tok *k, tok_acc *a)
{
    a->doc = sqlite3_column_int64(st, 0);
    if (a->keep_pos && tok_pos_doc(a)) return -1;
    if (sqlite3_column_type(st, 3) == SQLITE_BLOB) {
        if (tok_blob(a, sqlite3_column_blob(st, 3), (size_t) sqlite3_column_bytes(st, 3))) {
            a->oom = 1; /* (or not a blob of tokens: the caller counts otherwise) */
            return -1;
        }
        return 0;
    }
    for (int col = 1; col <= 2 && !a->oom; col++) {
        const char *t = (const char *) sqlite3_column_text(st, col);
        int n = sqlite3_column_bytes(st, col);
        a->col = col - 1;
        if (t && n) k->api.xTokenize(k->t, a, FTS5_TOKENIZE_DOCUMENT, t, n, tok_doc_cb);
    }
    return a->oom ? -1 : 0;
}

/* The tokens of the documents a writer stored (nd__store_keep_tokens):
 * each document's doc_tokens blob, cut by a worker from the title and
 * text it gave the writer, kept in the order stored. */
typedef struct nd__run_toks {
    nd_buf data; /* the blobs, one after the other */
    struct run_tok {
        int64_t id;
        size_t off, len;
    } * e;
    size_t n, cap;
    size_t committed; /* the entries of committed documents */
} run_toks;

/* Documents kept at most: a save cuts at most DF_CATCH_UP of the run's
 * documents (its last ones; 2 x 1,024 x ~5.5 KB). */
#define RUN_TOKS_MAX 2048

/* Keep document id's blob (b, n bytes, copied) in t, when it holds fewer
 * than most. */
static void toks_put(run_toks *t, int64_t id, const unsigned char *b, size_t n, size_t most)
{
    if (t->n >= most) return;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 256;
        struct run_tok *v = nd_realloc(t->e, cap * sizeof *v);
        if (!v) return;
        t->e = v;
        t->cap = cap;
    }
    size_t off = t->data.len;
    nd_buf_append(&t->data, (const char *) b, n);
    if (nd_buf_failed(&t->data)) return;
    t->e[t->n++] = (struct run_tok){id, off, n};
}

static void toks_free(run_toks *t)
{
    if (!t) return;
    nd_buf_free(&t->data);
    nd_free(t->e);
    nd_free(t);
}

void nd__store_keep_tokens(nd_store *s, int64_t id, const unsigned char *b, size_t n)
{
    if (!s->toks && !(s->toks = nd_calloc(1, sizeof *s->toks))) return;
    toks_put(s->toks, id, b, n, RUN_TOKS_MAX);
}

size_t nd__store_tokens_mark(const nd_store *s)
{
    return s->toks ? s->toks->n : 0;
}

void nd__store_tokens_back(nd_store *s, size_t mark)
{
    run_toks *t = s->toks;
    if (!t || mark >= t->n) return;
    t->n = mark;
    nd_buf_truncate(&t->data, mark ? t->e[mark - 1].off + t->e[mark - 1].len : 0);
    if (t->committed > mark) t->committed = mark;
}

void nd__store_tokens_committed(nd_store *s)
{
    if (s->toks) s->toks->committed = s->toks->n;
}

void nd__store_tokens_rolled_back(nd_store *s)
{
    if (s->toks) nd__store_tokens_back(s, s->toks->committed);
}

void nd__store_tokens_free(nd_store *s)
{
    toks_free(s->toks);
    s->toks = NULL;
}

/* The documents of ids (?1, ?2] in id order as tok_row() takes them: id,
 * then title and text when doc_tokens has no row of them, else its blob
 * (a store without doc_tokens: title and text).  0, or -1. */
static int tok_rows_prepare(sqlite3 *db, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db,
                           "SELECT d.id, CASE WHEN t.toks IS NULL THEN d.title END,"
                           " CASE WHEN t.toks IS NULL THEN d.text END, t.toks"
                           " FROM documents d LEFT JOIN doc_tokens t ON t.doc_id = d.id"
                           " WHERE d.id > ?1 AND d.id <= ?2 ORDER BY d.id",
                           -1, st, NULL) == SQLITE_OK)
        return 0;
    return sqlite3_prepare_v2(db,
                              "SELECT id, title, text, NULL FROM documents"
                              " WHERE id > ?1 AND id <= ?2",
                              -1, st, NULL) == SQLITE_OK
               ? 0
               : -1;
}

/* Add the tokens of the documents after `from` up to `upto` (title and
 * text, as the index has them) to a: those the writer kept as it stored
 * them (kept: may be NULL; nothing read), those doc_tokens keeps (a save
 * wrote them: ~0.03 of the instructions of cutting the text), the others
 * cut from their text (their title and text are not read otherwise).  0,
 * or -1 (out of memory, a database error). */
static int tok_docs(sqlite3 *db, df_tok *k, int64_t from, int64_t upto, tok_acc *a,
                    const run_toks *kept)
{
    /* the kept documents of the range: id -> entry + 1 (a later entry of
     * an id, stored again after a rollback, replaces the earlier) */
    nd__imap in = {0};
    for (size_t i = 0; kept && i < kept->n; i++)
        if (kept->e[i].id > from && kept->e[i].id <= upto &&
            nd__imap_put(&in, (uint64_t) kept->e[i].id, (int64_t) i + 1)) {
            nd__imap_free(&in);
            return a->oom = 1, -1;
        }
    sqlite3_stmt *st = NULL, *ids = NULL;
    if (tok_rows_prepare(db, &st)) {
        nd__imap_free(&in);
        return -1;
    }
    int sr;
    if (!in.n) {
        sqlite3_bind_int64(st, 1, from);
        sqlite3_bind_int64(st, 2, upto);
        while (!a->oom && (sr = sqlite3_step(st)) == SQLITE_ROW)
            if (tok_row(st, k, a)) break;
        sqlite3_finalize(st);
        return a->oom || sr != SQLITE_DONE ? -1 : 0;
    }
    /* The documents of the range in id order: a kept one from its entry,
     * another as above (its row alone). */
    if (sqlite3_prepare_v2(db, "SELECT id FROM documents WHERE id > ?1 AND id <= ?2 ORDER BY id",
                           -1, &ids, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        nd__imap_free(&in);
        return -1;
    }
    sqlite3_bind_int64(ids, 1, from);
    sqlite3_bind_int64(ids, 2, upto);
    int rr = SQLITE_DONE;
    while (!a->oom && (sr = sqlite3_step(ids)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(ids, 0), at = 0;
        if (nd__imap_get(&in, (uint64_t) id, &at)) {
            const struct run_tok *e = &kept->e[at - 1];
            a->doc = id;
            if ((a->keep_pos && tok_pos_doc(a)) ||
                tok_blob(a, (const unsigned char *) kept->data.ptr + e->off, e->len)) {
                a->oom = 1;
                break;
            }
            continue;
        }
        sqlite3_bind_int64(st, 1, id - 1);
        sqlite3_bind_int64(st, 2, id);
        while ((rr = sqlite3_step(st)) == SQLITE_ROW)
            if (tok_row(st, k, a)) break;
        sqlite3_reset(st);
        if (a->oom || (rr != SQLITE_DONE && rr != SQLITE_ROW)) break;
    }
    sqlite3_finalize(ids);
    sqlite3_finalize(st);
    nd__imap_free(&in);
    return a->oom || sr != SQLITE_DONE ? -1 : 0;
}

/* ---- the tokens of a document as it is stored --------------------------------------- */

struct nd_store_tokenizer {
    df_tok tk;
};

nd_store_tokenizer *nd_store_tokenizer_new(nd_store *s)
{
    nd_store_tokenizer *t = s ? nd_calloc(1, sizeof *t) : NULL;
    if (t && tok_open(s->db, &t->tk)) {
        nd_free(t);
        t = NULL;
    }
    return t;
}

void nd_store_tokenizer_free(nd_store_tokenizer *t)
{
    if (!t) return;
    tok_close(&t->tk);
    nd_free(t);
}

typedef struct cut_ctx {
    nd_buf *b;
    uint32_t n[2];
    int col, colocated;
} cut_ctx;

static int cut_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    cut_ctx *c = ctx;
    (void) start, (void) end;
    if (flags & FTS5_TOKEN_COLOCATED) c->colocated = 1;
    nd__put_u64(c->b, nd_hash64(tok, (size_t) n) | 1);
    c->n[c->col]++;
    return SQLITE_OK;
}

/* A document's title (title_len bytes) and text cut by k into a
 * doc_tokens blob in b: 0, or -1 (out of memory; a token at another's
 * position, which the blob cannot hold). */
static int tok_cut(df_tok *k, const char *title, size_t title_len, const char *text,
                   size_t text_len, nd_buf *b)
{
    cut_ctx c = {b, {0, 0}, 0, 0};
    nd_buf_clear(b);
    nd__put_u32(b, 0);
    nd__put_u32(b, 0);
    if (title && title_len)
        k->api.xTokenize(k->t, &c, FTS5_TOKENIZE_DOCUMENT, title, (int) title_len, cut_cb);
    c.col = 1;
    if (text && text_len)
        k->api.xTokenize(k->t, &c, FTS5_TOKENIZE_DOCUMENT, text, (int) text_len, cut_cb);
    if (nd_buf_failed(b) || c.colocated || b->len < 8) return -1;
    unsigned char *p = (unsigned char *) b->ptr;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 4; j++) p[4 * i + j] = (unsigned char) (c.n[i] >> (8 * j));
    return 0;
}

int nd__store_cut(nd_store_tokenizer *t, const char *title, const char *text, size_t text_len,
                  nd_buf *b)
{
    /* As the index and tok_docs read the row: the title as bound (NULL
     * when empty: no token), the text's bytes. */
    return tok_cut(&t->tk, title, title ? strlen(title) : 0, text, text_len, b);
}

/* The first node + 1 of the documents of the token of hash h in a (0: none). */
static uint32_t tok_chain(const tok_acc *a, uint64_t h)
{
    int64_t head = 0;
    nd__imap_get(&a->head, h, &head);
    return (uint32_t) head;
}

/* Whether doc's tokens in a hold w's at consecutive positions of one
 * column, as the index finds a phrase (1 or 0), or -1 (not known). */
static int tok_phrase_in(const tok_acc *a, int64_t doc, const tok_word *w)
{
    int64_t at = 0;
    if (!a->keep_pos || a->no_pos || !nd__imap_get(&a->at, (uint64_t) doc, &at)) return -1;
    const tok_doc *d = &a->docs[at - 1];
    const uint64_t *col = a->seq + d->start, h0 = w->h[0];
    /* (the first token looked for alone: the rest compared where it is,
     * 9 -> ~4 instructions a position, most of a save's window moves) */
    for (int c = 0; c < 2; col += d->n[c], c++) {
        if (d->n[c] < (uint32_t) w->count) continue;
        uint32_t end = d->n[c] - (uint32_t) w->count + 1;
        for (uint32_t i = 0; i < end; i++) {
            if (col[i] != h0) continue;
            int t = 1;
            while (t < w->count && col[i + t] == w->h[t]) t++;
            if (t == w->count) return 1;
        }
    }
    return 0;
}

static int tok_has(const tok_acc *a, uint32_t chain, int64_t doc)
{
    for (uint32_t i = chain; i; i = a->node[i - 1].next)
        if (a->node[i - 1].doc == doc) return 1;
    return 0;
}

/* The documents after `from` in a (tok_docs) that hold word (its tokens
 * w), or -1 when the index must count them: a word of one token holds
 * the documents of its token; a word of several is a phrase, and holds
 * none of the documents that lack one of its tokens - when every
 * document has one missing the count is 0; else, with `phrases`, the
 * documents that have its tokens at consecutive positions of one column
 * are counted as the index would count them, and without, the index
 * counts it (the hyphenated names and numbers of a page, "a30-580", are
 * phrases, and each such count cost the index 0.3-5 ms over the last 300
 * documents of a 210,000-document store; at 1,000,000 documents 0.4 ms
 * of set-up, a lookup in each of the index's 12 segments for each
 * token, whatever it counted). */
static int64_t tok_count(const tok_acc *a, const tok_word *w, int64_t from, int phrases)
{
    if (w->count < 1 || w->count > WORD_TOKENS) return -1;
    /* The chains of its distinct tokens, shortest first: a document holds
     * them all when each of the others' chains has it.  Walked for each
     * document of the first, the others' chains cost their product - two
     * common tokens of a save's 1,000 documents, a million steps a phrase
     * - so past a small product each chain is walked once, its documents
     * marked in a map (doc -> the chains found so far). */
    uint32_t chain[WORD_TOKENS], len[WORD_TOKENS], nodes[WORD_TOKENS];
    uint64_t all = 0; /* the nodes of the chains */
    int k = 0;
    for (int t = 0; t < w->count; t++) {
        int seen = 0;
        for (int u = 0; u < t && !seen; u++) seen = w->h[u] == w->h[t];
        if (seen) continue;
        uint32_t c = tok_chain(a, w->h[t]), n = 0, m = 0;
        for (uint32_t i = c; i; i = a->node[i - 1].next, m++) n += a->node[i - 1].doc > from;
        if (!n || w->count == 1) return n;
        all += m;
        int at = k++;
        while (at > 0 && len[at - 1] > n) {
            chain[at] = chain[at - 1];
            len[at] = len[at - 1];
            nodes[at] = nodes[at - 1];
            at--;
        }
        chain[at] = c;
        len[at] = n;
        nodes[at] = m;
    }
    /* a step of a walk ~4 instructions, a map's entry ~150 */
    int map = k > 1 && 4 * (uint64_t) len[0] * (all - nodes[0]) > 150 * all;
    nd__imap in_all = {0}; /* documents of the shortest chain -> chains holding them */
    for (int j = 0; j < k && map; j++)
        for (uint32_t i = chain[j]; i; i = a->node[i - 1].next) {
            int64_t doc = a->node[i - 1].doc, v = 0;
            if (doc <= from || (j && !(nd__imap_get(&in_all, (uint64_t) doc, &v) && v == j)))
                continue;
            if (nd__imap_put(&in_all, (uint64_t) doc, j + 1)) {
                nd__imap_free(&in_all);
                return -1;
            }
        }
    int64_t n = 0, in = 0;
    for (uint32_t i = chain[0]; i; i = a->node[i - 1].next) {
        int64_t doc = a->node[i - 1].doc, v = 0;
        if (doc <= from) continue;
        if (map && !(nd__imap_get(&in_all, (uint64_t) doc, &v) && v == k)) continue;
        int has = 1;
        for (int j = 1; j < k && !map && has; j++) has = tok_has(a, chain[j], doc);
        if (!has) continue;
        n++;
        if (phrases && in >= 0) {
            int p = tok_phrase_in(a, doc, w);
            in = p < 0 ? -1 : in + p;
        }
    }
    nd__imap_free(&in_all);
    if (n == 0) return 0;
    return phrases ? in : -1;
}

/* ---- document frequencies ---------------------------------------------------------- */

#define DF_SLOTS 65536 /* a power of two */

/* nd_store_df_save counts the documents stored after a word's count from
 * their tokens when they are fewer than this, else with the index
 * (nd__store_df_catch_up changes it). */
#define DF_CATCH_UP 1024
/* ... and past that many, only the words the index would find at least
 * this many documents of among them, at their rate so far. */
#define DF_CATCH_UP_MIN 1024
/* A word of several tokens (a phrase to the index) counted over more
 * documents than this ... */
#define DF_PHRASE_WINDOW 16384
/* ... is counted in full only when the saved counts of its tokens show
 * that one of them is in at most this many of those documents; else it
 * is counted in the last DF_PHRASE_WINDOW documents and scaled
 * (df_phrase; nd__store_df_phrase changes both). */
#define DF_PHRASE_EXACT 8192
/* A word no saved count covers (none in word_df: a first bulk run into
 * an empty store saves none) is counted from the last document back,
 * and only its last this many documents when it has more: their span
 * gives its rate, scaled to the store, and the estimate is saved as its
 * count (df_recent; nd__store_df_recent changes it). */
#define DF_RECENT 1024
/* A saved count of at least DF_STALE_MIN documents that covers at least
 * half the store's documents is scaled to the store at its own rate, not
 * counted further (df_stale). */
#define DF_STALE_MIN 64
/* The page cache of a read connection that counts frequencies, KB. */
#define DF_CACHE_KB 16384
/* Counts kept across the cache's emptying, at most (df_keep). */
#define DF_KEPT_MAX (1u << 19) /* ~45 MB of entries, table and words */
/* A phrase's saved window count is moved by the saves of this many runs
 * after the last that looked it up (df_save_windows). */
#define DF_WINDOW_RUNS 4
/* The workers' token table is extended by at most this many documents
 * at once, plus DF_TOK_QUERY for each word the index counted instead
 * (df_tok_count): an index count of a word in a few hundred documents
 * costs about what cutting 2-10 of them into tokens does (0.2-0.4 ms at
 * 100,000 documents, ~1.1 ms in a one-page run's cold page cache at
 * 1,000,000, against 0.11 ms a document).  Counted by the index, the
 * words cost at most 1 + 10/8 times what reading the documents at once
 * would have. */
#define DF_TOK_BUDGET 32
#define DF_TOK_QUERY  8
/* A document whose tokens doc_tokens keeps costs the table this part of
 * one cut from its text: its row read, ~70,000 instructions against
 * ~450,000 (100 pages into an 11,000-document store after 1,000: 1,000
 * rows read in 71 M).  Weighted as cut, the kept documents of the runs
 * before were read only after ~120 index counts of a few hundred
 * thousand instructions each (33 M there, and then the rows anyway). */
#define DF_TOK_KEPT 4

/* A word the cache counted: its count, and for nd_store_df_save its word
 * and the last document id its count covers. */
typedef struct df_ent {
    uint64_t hash;
    int64_t df;
    int64_t upto;  /* the count covers the documents of id <= upto */
    int64_t saved; /* word_df's upto for the word when looked up (-1: none) */
    size_t word;   /* offset of the word in words */
    int scaled;    /* df is an estimate (df_stale, df_phrase): never saved */
    int64_t win;   /* df_phrase's count in the window it scaled (-1: none),
                    * of the documents (upto - span, upto] */
    int64_t span;
} df_ent;

/* The remembered frequencies, shared by the nd_store_df of several
 * threads (the ingest workers): each word is looked up once per run, not
 * once per worker, and the common words are the costly lookups. */
typedef struct df_cache {
    pthread_mutex_t mu;
    int refs;
    uint64_t docs;
    int64_t last;          /* the last document counted: the snapshot of docs */
    int64_t catch_up;      /* DF_CATCH_UP */
    int64_t catch_up_min;  /* DF_CATCH_UP_MIN */
    int64_t phrase_window; /* DF_PHRASE_WINDOW */
    int64_t phrase_exact;  /* DF_PHRASE_EXACT */
    int64_t recent;        /* DF_RECENT */
    tok_acc toks;          /* the tokens of the documents (toks_from, last] */
    int64_t toks_from;
    int64_t tok_budget; /* documents toks may be extended by at once (df_tok_count) */
    int64_t kept_from;  /* the documents from it to last all have doc_tokens rows */
    /* The tokens of the documents that leave the phrases' windows at the
     * save, read beforehand (nd_store_df_presave), of the window
     * (gone_last - gone_span, gone_last]; NULL: none. */
    run_toks *gone;
    int64_t gone_last, gone_span;
    size_t used;
    size_t max_used; /* emptied when this full: 3/4 of DF_SLOTS */
    nd_buf words;    /* the entries' words, each NUL-terminated */
    /* The exact counts of the words the cache let go of when it filled
     * (df_reset), for the run's later lookups of them and its save: the
     * next lookup counts only the documents since (kept_at: word hash
     * -> entry + 1). */
    nd__imap kept_at;
    struct df_kept {
        int64_t df, upto, saved;
        size_t word; /* offset in kept_words */
    } * kept;
    size_t n_kept, cap_kept;
    nd_buf kept_words;
    /* The words counted, used of them, in the order they were (a save
     * walks them), and a table of them by hash (slot: entry + 1, 0 empty).
     * The entries lie one after the other, so that a run touches the
     * pages of the words it counted: kept in the 65,536 slots themselves
     * (64 bytes each), the 4 MB were written all over by a run's few
     * thousand words, a page fault for nearly every one of their 1,024
     * pages (a zeroed page on a first read, a copy on the first write). */
    df_ent *ent;
    size_t cap_ent;
    uint32_t slot[DF_SLOTS];
} df_cache;

struct nd_store_df {
    nd_store *s;
    sqlite3_stmt *saved, *count, *recent;
    sqlite3_stmt *window; /* DF_WINDOW_SQL (NULL: a store without phrase_window) */
    sqlite3_stmt *any;    /* DF_ANY_SQL, prepared when first needed */
    sqlite3_stmt *first;  /* DF_FIRST_SQL, prepared when first needed */
    df_cache *c;
    df_tok tk;    /* the index's tokenizer, on s */
    int tk_state; /* 0: not opened yet, 1: open, -1: not available */
};

/* Keep the count of entry e for the lookups after the cache is emptied
 * (c->mu held): a failure to keep it only costs a count. */
static void df_keep(df_cache *c, const df_ent *e)
{
    if (e->df < 0 || e->scaled || e->upto < 0) return;
    if (c->n_kept >= DF_KEPT_MAX) return;
    int64_t at = 0;
    if (nd__imap_get(&c->kept_at, e->hash, &at)) {
        /* counted again since it was kept: the later count */
        c->kept[at - 1].df = e->df;
        c->kept[at - 1].upto = e->upto;
        return;
    }
    if (c->n_kept == c->cap_kept) {
        size_t cap = c->cap_kept ? 2 * c->cap_kept : 4096;
        struct df_kept *v = nd_realloc(c->kept, cap * sizeof *v);
        if (!v) return;
        c->kept = v;
        c->cap_kept = cap;
    }
    const char *w = c->words.ptr + e->word;
    size_t off = c->kept_words.len;
    nd_buf_append(&c->kept_words, w, strlen(w) + 1);
    if (nd_buf_failed(&c->kept_words) ||
        nd__imap_put(&c->kept_at, e->hash, (int64_t) c->n_kept + 1))
        return;
    c->kept[c->n_kept++] = (struct df_kept){e->df, e->upto, e->saved, off};
}

/* Empty the cache and read the snapshot it counts in, through df's
 * connection (c->mu held): the documents and the last one the index
 * holds (documents are indexed at each commit, in id order). */
static void df_reset(nd_store_df *df, int clear)
{
    df_cache *c = df->c;
    if (clear)
        for (size_t i = 0; i < c->used; i++) df_keep(c, &c->ent[i]);
    /* A new cache comes zeroed (nd__zalloc_dense in nd_store_df_share). */
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
    /* the documents whose tokens are kept: the last ones, when their rows
     * run without a gap to the snapshot's last (as a save leaves them) */
    c->kept_from = c->last + 1;
    if (sqlite3_prepare_v2(df->s->db,
                           "SELECT min(doc_id), max(doc_id), count(*) FROM doc_tokens"
                           " WHERE doc_id <= ?1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, c->last);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 1) == c->last &&
            sqlite3_column_int64(st, 2) == c->last - sqlite3_column_int64(st, 0) + 1)
            c->kept_from = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    tok_acc_clear(&c->toks);
    c->toks_from = c->last;
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
/* A phrase's count in the window df_phrase counts, as a run's save left
 * it (schema step 11): the documents of id in (?2 - ?3, ?2] that hold it. */
static const char DF_WINDOW_SQL[] =
    "SELECT n FROM phrase_window WHERE word = ?1 AND upto = ?2 AND span = ?3";
/* Whether one of the documents of id in (?2, ?3] holds every token of
 * the query ?1 ("a" AND "b": anywhere, in any column). */
static const char DF_ANY_SQL[] = "SELECT 1 FROM documents_fts WHERE documents_fts MATCH ?1"
                                 " AND rowid > ?2 AND rowid <= ?3 LIMIT 1";
/* The same documents from the last back, at most ?4 of them (the index
 * walks the word's documents in descending order and stops at the
 * ?4th); df_rows counts them, keeps the earliest and stops at the first
 * of id ?2 or less (the bound in SQL was checked by the statement on
 * every row: ~125 instructions a row). */
static const char DF_RECENT_SQL[] = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?1"
                                    " AND rowid <= ?3 ORDER BY rowid DESC LIMIT ?4";
/* The same documents from the first on, at most ?4 of them (df_rows). */
static const char DF_FIRST_SQL[] = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?1"
                                   " AND rowid > ?2 AND rowid <= ?3 LIMIT ?4";

int nd_store_df_share(nd_store *s, nd_store_df *with, nd_store_df **out, nd_error *err)
{
    *out = NULL;
    nd_store_df *df = nd_calloc(1, sizeof *df);
    /* (its slots are probed by a run's every word: base/alloc.h) */
    df_cache *c = with ? with->c : nd__zalloc_dense(1, sizeof *c);
    if (!df || !c) {
        nd_free(df);
        if (!with) nd_free(c);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    df->s = s;
    if (sqlite3_prepare_v2(s->db, DF_SAVED_SQL, -1, &df->saved, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, DF_COUNT_SQL, -1, &df->count, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, DF_RECENT_SQL, -1, &df->recent, NULL) != SQLITE_OK) {
        int rc = nd__store_fail(s, "cannot read word frequencies", err);
        sqlite3_finalize(df->saved);
        sqlite3_finalize(df->count);
        sqlite3_finalize(df->recent);
        nd_free(df);
        if (!with) nd_free(c);
        return rc;
    }
    /* (a store of schema 9, opened read-only where it could not be
     * migrated, has no window counts: its phrases are counted) */
    if (sqlite3_prepare_v2(s->db, DF_WINDOW_SQL, -1, &df->window, NULL) != SQLITE_OK)
        df->window = NULL;
    /* A reader of its own (an ingest's worker) keeps DF_CACHE_KB of pages,
     * not SQLite's 2 MB: a count of a phrase of common tokens ("go-to",
     * "it'll") walks the doclist index of each of them from its start in
     * every segment of the full-text index - pages that most of a run's
     * phrases read again - and at 1,000,000 documents the workers re-read
     * them through pread (100 pages into that store: 53,000-56,000 reads
     * with 2 MB, 38,700 with 16 MB, strace -f -c).  Pages are allocated
     * as they are read. */
    if (s->flags & ND_STORE_READONLY) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", DF_CACHE_KB);
        nd__store_exec(s, sql, NULL);
    }
    df->c = c;
    if (with) {
        pthread_mutex_lock(&c->mu);
        c->refs++;
        pthread_mutex_unlock(&c->mu);
    } else {
        pthread_mutex_init(&c->mu, NULL);
        c->refs = 1;
        c->catch_up = DF_CATCH_UP;
        c->catch_up_min = DF_CATCH_UP_MIN;
        c->phrase_window = DF_PHRASE_WINDOW;
        c->phrase_exact = DF_PHRASE_EXACT;
        c->recent = DF_RECENT;
        c->tok_budget = DF_TOK_BUDGET;
        c->max_used = DF_SLOTS / 4 * 3;
        df_reset(df, 0);
    }
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
    sqlite3_finalize(df->recent);
    sqlite3_finalize(df->window);
    sqlite3_finalize(df->any);
    sqlite3_finalize(df->first);
    df_cache *c = df->c;
    pthread_mutex_lock(&c->mu);
    int last = --c->refs == 0;
    pthread_mutex_unlock(&c->mu);
    if (last) {
        pthread_mutex_destroy(&c->mu);
        nd_buf_free(&c->words);
        nd_free(c->ent);
        tok_acc_free(&c->toks);
        nd__imap_free(&c->kept_at);
        nd_free(c->kept);
        nd_buf_free(&c->kept_words);
        toks_free(c->gone);
        nd_free(c);
    }
    tok_close(&df->tk);
    nd_free(df);
}

uint64_t nd_store_df_docs(const nd_store_df *df)
{
    if (!df) return 0;
    /* the cache's: another thread may have started it again since this
     * one last looked (nd_store_df_restart) */
    pthread_mutex_lock(&df->c->mu);
    uint64_t docs = df->c->docs;
    pthread_mutex_unlock(&df->c->mu);
    return docs;
}

void nd_store_df_restart(nd_store_df *df)
{
    if (!df) return;
    df_cache *c = df->c;
    pthread_mutex_lock(&c->mu);
    memset(c->slot, 0, sizeof c->slot);
    df_reset(df, 0);
    c->n_kept = 0;
    nd__imap_free(&c->kept_at);
    nd_buf_clear(&c->kept_words);
    toks_free(c->gone);
    c->gone = NULL;
    c->tok_budget = DF_TOK_BUDGET;
    pthread_mutex_unlock(&c->mu);
    /* the documents a save counts from the writer's tokens are the new
     * run's */
    nd__store_tokens_free(df->s);
}

/* Bind word (n bytes, at most 200) to st's first parameter as one FTS5
 * phrase: "..." with inner quotes doubled, in q (420 bytes, borrowed by
 * st until its reset).  Returns 0, or -1 when word is too long. */
static int df_bind_word(sqlite3_stmt *st, char *q, const char *word, size_t n)
{
    size_t m = 0;
    if (n > 200) return -1;
    q[m++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (word[i] == '"') q[m++] = '"';
        q[m++] = word[i];
    }
    q[m++] = '"';
    sqlite3_bind_text(st, 1, q, (int) m, SQLITE_STATIC);
    return 0;
}

/* The documents after `from` up to `upto` that hold word (n bytes), by
 * st (DF_COUNT_SQL), or -1. */
static int64_t df_count(sqlite3_stmt *st, const char *word, size_t n, int64_t from, int64_t upto)
{
    char q[420];
    if (df_bind_word(st, q, word, n)) return -1;
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, upto);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return v;
}

/* Whether a document after `from` up to `last` holds every token of
 * word (1 or 0; -1: not known), by the index: what tok_count tells of a
 * word of several tokens without the documents' tokens. */
static int df_any_all(nd_store_df *df, const char *word, size_t len, int64_t from, int64_t last)
{
    if (!df->any && sqlite3_prepare_v2(df->s->db, DF_ANY_SQL, -1, &df->any, NULL) != SQLITE_OK) {
        df->any = NULL;
        return -1;
    }
    tok_spans sp = {0};
    df->tk.api.xTokenize(df->tk.t, &sp, FTS5_TOKENIZE_QUERY, word, (int) len, tok_span_cb);
    if (sp.count < 1 || sp.count > WORD_TOKENS) return -1;
    char q[512]; /* 200 bytes of tokens, their quotes doubled, and 7 " AND " */
    size_t m = 0;
    for (int t = 0; t < sp.count; t++) {
        if (t) m += (size_t) snprintf(q + m, sizeof q - m, " AND ");
        q[m++] = '"';
        for (int i = sp.start[t]; i < sp.end[t]; i++) {
            if (word[i] == '"') q[m++] = '"';
            q[m++] = word[i];
        }
        q[m++] = '"';
    }
    sqlite3_bind_text(df->any, 1, q, (int) m, SQLITE_STATIC);
    sqlite3_bind_int64(df->any, 2, from);
    sqlite3_bind_int64(df->any, 3, last);
    int rc = sqlite3_step(df->any);
    sqlite3_reset(df->any);
    sqlite3_clear_bindings(df->any);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The documents after `from` up to `last` (the cache's snapshot) that
 * hold word, from the tokens of those documents, or -1 (a word of
 * several tokens, no tokenizer, a failure: the index counts it).  The
 * cache keeps the tokens of the documents since the earliest count it
 * was asked to bring up to `last`, read when first needed: after runs of
 * a few pages, the saved counts lag by a run or a few, and a full-text
 * query for each of them cost about 70 us whatever it counted (a lookup
 * in every segment of the index), 2.2 of the 7.1 G instructions of 100
 * pages into a 20,000-document store.  But a table read back to a word's
 * count that lags by hundreds of documents costs what those hold (0.11
 * ms a document at 1,000,000), which a run of one page, asking for a few
 * dozen such words, paid whole: 22-36 ms for its first, each of the
 * store's last 1,023 documents cut into tokens again by every run.  So a
 * word whose count would extend the table by more than the budget is
 * counted by the index (the same count; of a word of several tokens,
 * whether a document holds them all, which is all tok_count tells of
 * one without positions: df_any_all), and each such count
 * raises the budget by what it cost: a run that asks for many words
 * reads the documents once, as before, after index counts that cost
 * about as much; one that asks for few never reads them (a ski-rental
 * bound: a small multiple of the cheaper of the two). */
static int64_t df_tok_count(nd_store_df *df, const char *word, size_t len, int64_t from,
                            int64_t last)
{
    if (!df->tk_state) df->tk_state = tok_open(df->s->db, &df->tk) == 0 ? 1 : -1;
    if (df->tk_state < 0) return -1;
    tok_word one = {0};
    df->tk.api.xTokenize(df->tk.t, &one, FTS5_TOKENIZE_QUERY, word, (int) len, tok_word_cb);
    if (one.count < 1 || one.count > WORD_TOKENS) return -1;
    df_cache *c = df->c;
    int64_t v = -1;
    int ask = 0;
    pthread_mutex_lock(&c->mu);
    /* what extending the table costs: the documents cut, and those whose
     * rows are read at DF_TOK_KEPT a document */
    int64_t kept = c->toks_from - (from + 1 > c->kept_from ? from + 1 : c->kept_from) + 1;
    if (kept < 0) kept = 0;
    int64_t cost = c->toks_from - from - kept + (kept + DF_TOK_KEPT - 1) / DF_TOK_KEPT;
    if (c->last == last && c->toks_from > from && cost > c->tok_budget) {
        ask = 1;
        c->tok_budget += DF_TOK_QUERY;
    } else if (c->last == last) { /* not emptied meanwhile */
        if (c->toks_from > from) {
            if (tok_docs(df->s->db, &df->tk, from, c->toks_from, &c->toks, NULL) == 0) {
                c->toks_from = from;
            } else {
                tok_acc_clear(&c->toks);
                c->toks_from = c->last;
            }
        }
        if (c->toks_from <= from) v = tok_count(&c->toks, &one, from, 0);
    }
    pthread_mutex_unlock(&c->mu);
    if (!ask) return v;
    if (one.count == 1) return df_count(df->count, word, len, from, last);
    /* several tokens: 0 when no document has them all, else the index
     * counts the phrase (tok_count's answers) */
    return df_any_all(df, word, len, from, last) == 0 ? 0 : -1;
}

/* word's row of word_df whose count covers no document after last:
 * SQLITE_ROW with its count and upto, SQLITE_DONE (none), or an error
 * (st: DF_SAVED_SQL). */
static int df_saved_row(sqlite3_stmt *st, const char *word, size_t len, int64_t last,
                        int64_t *count, int64_t *upto)
{
    sqlite3_bind_text(st, 1, word, (int) len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, last);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *count = sqlite3_column_int64(st, 0);
        *upto = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* The documents after `from` up to `last` that hold word when it is a
 * phrase to the index (several tokens: "covid-19", "12-year-old") that
 * would cost the index more than a bounded count, or -1 (count it in
 * full).  The index finds a phrase by walking the documents of all its
 * tokens together, so a phrase of common tokens costs what they have
 * in common, whatever the phrase's own count: counted over a whole
 * store of 100,000 documents, 2.3 ms on average ("on-the-go" 34 ms),
 * and growing with the store.  A phrase whose tokens' saved counts
 * (word_df, read as the run began: the same for every thread) bound one
 * of them to at most `phrase_exact` of those documents is counted in
 * full, at a cost that bound keeps; any other is counted in the last
 * `phrase_window` documents and scaled to the whole span (*scaled set):
 * its rate in the recent news, to the precision of a sample of
 * `phrase_window` documents (a scaled count is not saved). */
static int64_t df_phrase(nd_store_df *df, const char *word, size_t len, int64_t from, int64_t last,
                         int *scaled, int64_t *win, int64_t *span)
{
    df_cache *c = df->c;
    pthread_mutex_lock(&c->mu);
    int64_t window = c->phrase_window, exact = c->phrase_exact;
    pthread_mutex_unlock(&c->mu);
    if (last - from <= window) return -1;
    if (!df->tk_state) df->tk_state = tok_open(df->s->db, &df->tk) == 0 ? 1 : -1;
    if (df->tk_state < 0) return -1;
    tok_spans sp = {0};
    df->tk.api.xTokenize(df->tk.t, &sp, FTS5_TOKENIZE_QUERY, word, (int) len, tok_span_cb);
    if (sp.count < 2) return -1;
    /* The fewest documents after `from` one of its tokens can be in: at
     * most its saved count, and every document after that count's. */
    int64_t fewest = -1;
    for (int t = 0; t < sp.count && t < WORD_TOKENS; t++) {
        int64_t count = 0, upto = 0;
        if (df_saved_row(df->saved, word + sp.start[t], (size_t) (sp.end[t] - sp.start[t]), last,
                         &count, &upto) == SQLITE_ROW) {
            int64_t n = count + last - upto;
            if (fewest < 0 || n < fewest) fewest = n;
        }
    }
    if (fewest >= 0 && fewest <= exact) return -1;
    /* The window's count as the last run's save moved it, else the
     * index's: the same count (an index count of a phrase of common
     * tokens is its set-up in every segment of the index, 1-1.5 ms at
     * 1,000,000 documents, and a run's phrases recur: 177 of the 315 of
     * 100 pages had been counted by the 100 before). */
    int64_t n = -1;
    if (df->window) {
        sqlite3_bind_text(df->window, 1, word, (int) len, SQLITE_STATIC);
        sqlite3_bind_int64(df->window, 2, last);
        sqlite3_bind_int64(df->window, 3, window);
        if (sqlite3_step(df->window) == SQLITE_ROW) n = sqlite3_column_int64(df->window, 0);
        sqlite3_reset(df->window);
        sqlite3_clear_bindings(df->window);
    }
    if (n < 0) n = df_count(df->count, word, len, last - window, last);
    if (n < 0) return -1;
    *scaled = 1;
    *win = n;
    *span = window;
    return (n * (last - from) + window / 2) / window;
}

/* The rows of st (DF_RECENT_SQL, DF_FIRST_SQL: its word bound) for the
 * documents after `from` up to `last`, at most `most`: how many, the
 * last one's rowid in *end (0: none), or -1 on a failure; st is reset.
 * A row of id `from` or less ends them: DF_RECENT_SQL's rows descend,
 * and those after `from` all come before it, the first `most` of them
 * within its LIMIT.
 * Stepped here, not counted by an aggregate over a sub-select: the
 * sub-select's co-routine and count(*), min(rowid) cost ~590
 * instructions a row more than a bare count(*) (the sqlite3 shell under
 * callgrind, a word in 726 documents: 1.16 M against 0.73 M), more
 * than a step of the statement costs here.  100 pages into the
 * 100,000-document store: nd_store_df_get 837 -> 819 M instructions, 781
 * M with DF_RECENT_SQL's lower bound checked here; the rest is the
 * index's own walk of the documents of the words' tokens (a phrase's
 * common tokens: ~3.6 M a count). */
static int64_t df_rows(sqlite3_stmt *st, int64_t from, int64_t last, int64_t most, int64_t *end)
{
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, last);
    sqlite3_bind_int64(st, 4, most);
    int64_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id <= from) {
            rc = SQLITE_DONE;
            break;
        }
        *end = id;
        n++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

/* The documents after `from` up to `last` that hold word when no saved
 * count covers any of them, or -1 (count them all), by st
 * (DF_RECENT_SQL).  Counted over the whole store, a common word cost
 * what the store holds: its list of documents is walked to the end
 * ("said" is in 73% of them: 4.4 ms at 100,000 documents; 660 us a word
 * on average), and a first bulk run into an empty store saved no count,
 * so every word of the runs after it was counted so.  Here the index
 * walks the word's documents from the last back and stops at the
 * `most`th: a word in fewer is counted exactly; a word in more has its
 * rate over the span of its last `most` documents scaled to the whole
 * span - its rate in the recent news, sampled to about 1/sqrt(most) (3%
 * at 1,024), but the recent rate is not the store's: 100 pages into the
 * 100,000-document store, 2,433 estimates were a median 4.9% off their
 * exact counts, 14.6% at the 90th percentile.  Its cost is `most`
 * documents of its list at most, whatever the store, plus the index's
 * set-up (1.4-1.7 M instructions a query at 100,000 documents and 16
 * segments; in the sqlite3 shell ~0.35 M the set-up, ~0.8 K each
 * document walked back).  Unlike a
 * phrase's window count, the estimate is saved (and caught up) as the
 * word's count: never saved, it was estimated again by every later run,
 * and 100 pages after a run of 1,000 into the 100,000-document store
 * took 2.8 s of CPU against 1.8 s with the exact counts of the code
 * before.  What that costs is in the counts of common words, and their
 * idf (ln 1.05 = 0.05 at the median).  Fewer documents cost less and
 * change more keywords: 2,000 pages into the 100,000-document store,
 * keyword rows no longer among their document's 144 of 20,000 at 1,024,
 * 379 at 512, 599 at 256 (~340, 240 and 190 us of CPU a query). */
static int64_t df_recent_count(sqlite3_stmt *st, const char *word, size_t len, int64_t from,
                               int64_t last, int64_t most)
{
    if (most <= 0 || last - from <= most) return -1;
    char q[420];
    if (df_bind_word(st, q, word, len)) return -1;
    int64_t first = 0;
    int64_t n = df_rows(st, from, last, most, &first);
    sqlite3_clear_bindings(st);
    if (n < most || first <= from) return n; /* all of them: exact */
    /* n documents in (first - 1, last]: at that rate over (from, last] */
    int64_t span = last - first + 1;
    return (n * (last - from) + span / 2) / span;
}

/* The documents after `from` up to `last` that hold a word whose saved
 * count `base` covers the documents up to `from`, at its rate so far,
 * without a query, or -1 (count them): when the count covers at least
 * half the store's documents and is of at least DF_STALE_MIN (a rate
 * measured to about 1/sqrt(DF_STALE_MIN)).  Counted, a lagging word cost a full-text
 * query whatever it counted - the set-up of a lookup in each segment of
 * the index, ~1.3 M instructions at 1,000,000 documents and 12 segments -
 * and the store of ten bulk runs of 100,000 pages keeps 153,166 counts of
 * which 10,021 are up to date, so 1 page into it made dozens of them.
 * The estimate is a scaled count (*scaled): never saved, so the saved
 * count is counted further, and brought up to date at a save, once the
 * store has doubled since - the error of a rate that moved is bounded by
 * that half. */
static int64_t df_stale(int64_t base, int64_t from, int64_t last, int *scaled)
{
    if (from <= 0 || base < DF_STALE_MIN || last - from > from) return -1;
    *scaled = 1;
    return (base * (last - from) + from / 2) / from;
}

/* df_recent_count on df's connection, at the cache's `recent`.  A word
 * of several tokens (a phrase to the index: "new-found", "it'll") is
 * first counted in ascending order, the index's cheaper direction, up to
 * `recent` documents: when it is in fewer - most of them are - that is
 * df_recent_count's answer, the same exact count; else df_recent_count
 * estimates it as before (a walk of `recent` documents more).  The index
 * finds a phrase by walking the documents of all its tokens together,
 * and backwards (ORDER BY rowid DESC) each segment's doclist of a common
 * token is read from its end a page at a time: 100 pages into the
 * 100,000-document store after 1,000, 176 such counts took 112 of the
 * 164 ms of the first-seen words (thread CPU clocks); in the sqlite3
 * library from Python, 87 -> 63 ms for the 122 of them in fewer than
 * 1,024 documents.  600 pages into an 11,000-document store
 * (callgrind): 270 such counts 401 -> 290 M instructions. */
static int64_t df_recent(nd_store_df *df, const char *word, size_t len, int64_t from, int64_t last)
{
    df_cache *c = df->c;
    pthread_mutex_lock(&c->mu);
    int64_t most = c->recent;
    pthread_mutex_unlock(&c->mu);
    if (most > 0 && last - from > most) {
        if (!df->tk_state) df->tk_state = tok_open(df->s->db, &df->tk) == 0 ? 1 : -1;
        tok_word one = {0};
        if (df->tk_state > 0)
            df->tk.api.xTokenize(df->tk.t, &one, FTS5_TOKENIZE_QUERY, word, (int) len, tok_word_cb);
        if (one.count > 1 && !df->first &&
            sqlite3_prepare_v2(df->s->db, DF_FIRST_SQL, -1, &df->first, NULL) != SQLITE_OK)
            df->first = NULL;
        char q[420];
        int64_t n = -1;
        if (one.count > 1 && df->first && !df_bind_word(df->first, q, word, len)) {
            int64_t end = 0;
            n = df_rows(df->first, from, last, most, &end);
            sqlite3_clear_bindings(df->first);
        }
        if (n >= 0 && n < most) return n;
    }
    return df_recent_count(df->recent, word, len, from, last, most);
}

/* The slot of h in c: its own, or the empty one it would take (c->mu held). */
static size_t df_slot(const df_cache *c, uint64_t h)
{
    size_t k = h & (DF_SLOTS - 1);
    while (c->slot[k] && c->ent[c->slot[k] - 1].hash != h) k = (k + 1) & (DF_SLOTS - 1);
    return k;
}

/* The entry of h in c, or NULL (c->mu held). */
static const df_ent *df_find(const df_cache *c, uint64_t h)
{
    size_t k = df_slot(c, h);
    return c->slot[k] ? &c->ent[c->slot[k] - 1] : NULL;
}

int64_t nd_store_df_get(void *ctx, const char *word, size_t len)
{
    nd_store_df *df = ctx;
    if (!df || !len || len > 200) return -1;
    df_cache *c = df->c;
    uint64_t h = nd_hash64(word, len) | 1;
    pthread_mutex_lock(&c->mu);
    const df_ent *e = df_find(c, h);
    int64_t v = e ? e->df : 0;
    int hit = e != NULL;
    int64_t last = c->last, catch_up = c->catch_up;
    int64_t saved = -1;
    int64_t base = 0, from = 0, at = 0;
    int kept = !hit && nd__imap_get(&c->kept_at, h, &at);
    if (kept) {
        base = c->kept[at - 1].df;
        from = c->kept[at - 1].upto;
        saved = c->kept[at - 1].saved;
    }
    pthread_mutex_unlock(&c->mu);
    if (hit) return v;
    v = -1;
    int scaled = 0;
    int64_t win = -1, span = 0;
    int rc = SQLITE_DONE;
    if (!kept) {
        rc = df_saved_row(df->saved, word, len, last, &base, &from);
        if (rc == SQLITE_ROW) saved = from;
    }
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        v = base;
        if (from < last) {
            int64_t more = -1;
            if (last - from < catch_up) more = df_tok_count(df, word, len, from, last);
            if (more < 0) more = df_stale(base, from, last, &scaled);
            if (more < 0) more = df_phrase(df, word, len, from, last, &scaled, &win, &span);
            /* no count of any document (none saved, or kept of a cache
             * whose snapshot was an empty store), or a saved count that
             * lags by more than the recent documents: the documents
             * after it counted back from the last, as a first lookup's.
             * Counted in full, a word's catch-up cost what the store had
             * gained since its count: into the 1,000,000-document store
             * of bench-scale (ten bulk runs, each saving only the words
             * it looked up), 1 page made 73 of them, 2.6 M instructions
             * each, 193 M of the run's 436 M. */
            if (more < 0) more = df_recent(df, word, len, from, last);
            if (more < 0) more = df_count(df->count, word, len, from, last);
            v = more >= 0 ? base + more : -1;
        }
    }
    pthread_mutex_lock(&c->mu);
    if (c->used >= c->max_used) df_reset(df, 1);
    size_t k = df_slot(c, h); /* another thread may have filled it meanwhile */
    if (c->used == c->cap_ent && c->used < DF_SLOTS) {
        size_t cap = c->cap_ent ? 2 * c->cap_ent : 1024;
        df_ent *grown = nd_realloc(c->ent, cap * sizeof *grown);
        if (grown) c->ent = grown, c->cap_ent = cap;
    }
    /* (not when emptied meanwhile, nor when no entry could be had) */
    if (!c->slot[k] && c->last == last && c->used < c->cap_ent) {
        size_t off = c->words.len;
        nd_buf_append(&c->words, word, len);
        nd_buf_putc(&c->words, '\0');
        c->ent[c->used] =
            (df_ent){h, v, nd_buf_failed(&c->words) ? -1 : last, saved, off, scaled, win, span};
        c->slot[k] = (uint32_t) ++c->used;
    }
    pthread_mutex_unlock(&c->mu);
    return v;
}

/* A word's count to bring up to date and write to word_df: the word,
 * its count, the last document the count covers, word_df's when it was
 * looked up (-1: none). */
typedef struct df_row {
    const char *word;
    int64_t df, upto, saved;
} df_row;

/* Rows by their words, as SQLite's BINARY collation orders them. */
static int by_word(const void *a, const void *b)
{
    return strcmp(((const df_row *) a)->word, ((const df_row *) b)->word);
}

void nd__store_df_catch_up(nd_store_df *df, int64_t docs, int64_t postings)
{
    pthread_mutex_lock(&df->c->mu);
    df->c->catch_up = docs;
    df->c->catch_up_min = postings;
    pthread_mutex_unlock(&df->c->mu);
}

void nd__store_df_limit(nd_store_df *df, size_t words)
{
    pthread_mutex_lock(&df->c->mu);
    df->c->max_used = words;
    pthread_mutex_unlock(&df->c->mu);
}

void nd__store_df_recent(nd_store_df *df, int64_t most)
{
    pthread_mutex_lock(&df->c->mu);
    df->c->recent = most;
    pthread_mutex_unlock(&df->c->mu);
}

void nd__store_df_phrase(nd_store_df *df, int64_t window, int64_t exact)
{
    pthread_mutex_lock(&df->c->mu);
    df->c->phrase_window = window;
    df->c->phrase_exact = exact;
    pthread_mutex_unlock(&df->c->mu);
}

/* The slots whose counts are df_phrase's window counts of the cache's
 * snapshot, at its window (c->mu held): how many, each put in row (when
 * not NULL: the word, the count in df, its window's size in saved). */
static size_t df_windows(const df_cache *c, df_row *row)
{
    size_t n = 0;
    for (size_t i = 0; i < c->used; i++) {
        const df_ent *e = &c->ent[i];
        if (e->scaled && e->win >= 0 && e->upto == c->last && e->span == c->phrase_window) {
            if (row) row[n] = (df_row){c->words.ptr + e->word, e->win, c->last, e->span};
            n++;
        }
    }
    return n;
}

/* Write the phrases' window counts of the cache's snapshot to
 * phrase_window, moved to the documents (now - span, now]: those after
 * the snapshot (in acc, from the tokens of the documents after it) enter
 * the window and as many leave it, read here - a run's worth of
 * documents - as the index finds the phrase (tok_count).  The counts are
 * the run's own (df_windows) and the rows of the runs before that were
 * moved to the snapshot, each for DF_WINDOW_RUNS runs after its last
 * lookup (a run of one page between two of a hundred keeps the first's
 * phrases for the second); the other rows are deleted, so that the table
 * holds those few runs' phrases.  The next run's lookups read the count
 * there instead of asking the index (df_phrase).  A count not known so
 * is not written; nor is any when the store has no phrase_window (the
 * next run counts them) (c->mu held). */
static void df_save_windows(nd_store *s, df_cache *c, int64_t now, df_tok *tk, const tok_acc *acc)
{
    sqlite3_stmt *st = NULL, *old = NULL;
    int64_t span = c->phrase_window, last = c->last;
    size_t n = df_windows(c, NULL), cap = n + 64;
    df_row *row = nd_malloc(cap * sizeof *row);
    nd_buf words = ND_BUF_INIT;
    if (!row ||
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO phrase_window(word, n, upto, span, runs)"
                           " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(word) DO UPDATE SET"
                           " n = excluded.n, upto = excluded.upto, span = excluded.span,"
                           " runs = excluded.runs WHERE excluded.upto > upto",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT word, n, runs FROM phrase_window"
                           " WHERE upto = ?1 AND span = ?2 AND runs > 0",
                           -1, &old, NULL) != SQLITE_OK) {
        nd_free(row);
        sqlite3_finalize(st);
        return;
    }
    /* df: the count; saved: the runs left (the run's own, all of them) */
    n = df_windows(c, row);
    for (size_t i = 0; i < n; i++) row[i].saved = DF_WINDOW_RUNS;
    /* the rows of the runs before, not looked up by this one (their words
     * copied: offsets in words until all are read) */
    sqlite3_bind_int64(old, 1, last);
    sqlite3_bind_int64(old, 2, span);
    while (sqlite3_step(old) == SQLITE_ROW) {
        const char *w = (const char *) sqlite3_column_text(old, 0);
        size_t len = (size_t) sqlite3_column_bytes(old, 0);
        const df_ent *e = df_find(c, nd_hash64(w, len) | 1);
        if (e && e->win >= 0) continue; /* counted by this run */
        if (n == cap) {
            df_row *v = nd_realloc(row, 2 * cap * sizeof *v);
            if (!v) break;
            row = v;
            cap *= 2;
        }
        row[n++] = (df_row){(const char *) (uintptr_t) words.len, sqlite3_column_int64(old, 1), -1,
                            sqlite3_column_int64(old, 2) - 1};
        nd_buf_append(&words, w, len);
        nd_buf_putc(&words, '\0');
    }
    sqlite3_finalize(old);
    for (size_t i = 0; i < n && !nd_buf_failed(&words); i++)
        if (row[i].upto < 0) row[i].word = words.ptr + (uintptr_t) row[i].word;
    if (nd_buf_failed(&words)) n = df_windows(c, row); /* the run's own only */
    tok_acc gone = {.keep_pos = 1};
    const run_toks *pre = c->gone && c->gone_last == last && c->gone_span == span ? c->gone : NULL;
    int moved = last == now || tok_docs(s->db, tk, last - span, now - span, &gone, pre) == 0;
    size_t m = 0;
    for (size_t i = 0; moved && i < n; i++) {
        int64_t v = row[i].df;
        if (last < now) {
            tok_word one = {0};
            const char *w = row[i].word;
            tk->api.xTokenize(tk->t, &one, FTS5_TOKENIZE_QUERY, w, (int) strlen(w), tok_word_cb);
            int64_t in = tok_count(acc, &one, last, 1),
                    out = tok_count(&gone, &one, last - span, 1);
            if (in < 0 || out < 0 || v + in - out < 0) continue;
            v += in - out;
        }
        row[m++] = (df_row){row[i].word, v, now, row[i].saved};
    }
    tok_acc_free(&gone);
    if (m) qsort(row, m, sizeof *row, by_word);
    int rc = 0;
    for (size_t i = 0; !rc && i < m; i++) {
        sqlite3_bind_text(st, 1, row[i].word, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, row[i].df);
        sqlite3_bind_int64(st, 3, row[i].upto);
        sqlite3_bind_int64(st, 4, span);
        sqlite3_bind_int64(st, 5, row[i].saved);
        rc = step_done(s, st, "cannot save phrases' window counts", NULL);
    }
    sqlite3_finalize(st);
    nd_buf_free(&words);
    nd_free(row);
    /* what was not moved no longer counts the window */
    sqlite3_stmt *del = NULL;
    if (!rc && sqlite3_prepare_v2(s->db, "DELETE FROM phrase_window WHERE upto < ?1", -1, &del,
                                  NULL) == SQLITE_OK) {
        sqlite3_bind_int64(del, 1, now);
        step_done(s, del, "cannot save phrases' window counts", NULL);
    }
    sqlite3_finalize(del);
}

/* Keep the tokens of the documents in acc (positions kept) of id in
 * (from, now] in doc_tokens, for the runs after this one (tok_docs), and
 * drop those of id <= `drop`: the workers and the save read back to a
 * count DF_CATCH_UP documents behind at most.  Nothing is lost but time
 * when a row cannot be written (or the store has no doc_tokens). */
static void df_save_tokens(nd_store *s, const tok_acc *acc, int64_t from, int64_t now, int64_t drop)
{
    sqlite3_stmt *put = NULL, *del = NULL;
    if (acc->no_pos || acc->oom ||
        sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO doc_tokens(doc_id, toks) VALUES (?1, ?2)",
                           -1, &put, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "DELETE FROM doc_tokens WHERE doc_id <= ?1", -1, &del, NULL) !=
            SQLITE_OK) {
        sqlite3_finalize(put);
        return;
    }
    nd_buf b = ND_BUF_INIT;
    int rc = 0;
    for (int64_t doc = from + 1; !rc && doc <= now; doc++) {
        int64_t at = 0;
        if (!nd__imap_get(&acc->at, (uint64_t) doc, &at)) continue;
        const tok_doc *d = &acc->docs[at - 1];
        size_t n = (size_t) d->n[0] + d->n[1];
        nd_buf_clear(&b);
        nd__put_u32(&b, d->n[0]);
        nd__put_u32(&b, d->n[1]);
        for (size_t i = 0; i < n; i++) nd__put_u64(&b, acc->seq[d->start + i]);
        if (nd_buf_failed(&b)) break;
        sqlite3_bind_int64(put, 1, doc);
        sqlite3_bind_blob(put, 2, b.ptr, (int) b.len, SQLITE_STATIC);
        rc = step_done(s, put, "cannot keep documents' tokens", NULL);
    }
    nd_buf_free(&b);
    sqlite3_finalize(put);
    sqlite3_bind_int64(del, 1, drop);
    step_done(s, del, "cannot keep documents' tokens", NULL);
    sqlite3_finalize(del);
}

int nd_store_df_presave(nd_store *rd, nd_store_df *df, int64_t docs)
{
    if (!rd || !df || docs <= 0) return 0;
    df_cache *c = df->c;
    pthread_mutex_lock(&c->mu);
    int64_t last = c->last, span = c->phrase_window, catch_up = c->catch_up;
    pthread_mutex_unlock(&c->mu);
    /* a save moves the windows only after fewer documents than this */
    if (docs >= catch_up) return 0;
    /* the documents of the cache's snapshot only: stored before the run,
     * never changed by it */
    int64_t from = last - span, upto = last - span + docs < last ? last - span + docs : last;
    if (upto <= from || upto <= 0) return 0;
    df_tok tk;
    run_toks *t = nd_calloc(1, sizeof *t);
    if (!t || tok_open(rd->db, &tk)) {
        nd_free(t);
        return ND_ENOMEM;
    }
    sqlite3_stmt *st;
    if (tok_rows_prepare(rd->db, &st)) {
        tok_close(&tk);
        toks_free(t);
        return ND_EDB;
    }
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, upto);
    nd_buf b = ND_BUF_INIT;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 3) == SQLITE_BLOB) {
            /* (as it is: the save reads it as it would read the row's) */
            toks_put(t, id, sqlite3_column_blob(st, 3), (size_t) sqlite3_column_bytes(st, 3),
                     SIZE_MAX);
            continue;
        }
        const char *title = (const char *) sqlite3_column_text(st, 1);
        size_t title_len = (size_t) sqlite3_column_bytes(st, 1);
        const char *text = (const char *) sqlite3_column_text(st, 2);
        size_t text_len = (size_t) sqlite3_column_bytes(st, 2);
        /* (a document that cannot be cut so is left to the save) */
        if (tok_cut(&tk, title, title_len, text, text_len, &b) == 0)
            toks_put(t, id, (const unsigned char *) b.ptr, b.len, SIZE_MAX);
    }
    sqlite3_finalize(st);
    nd_buf_free(&b);
    tok_close(&tk);
    pthread_mutex_lock(&c->mu);
    toks_free(c->gone);
    c->gone = t;
    c->gone_last = last;
    c->gone_span = span;
    pthread_mutex_unlock(&c->mu);
    return 0;
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
    sqlite3_stmt *st = NULL, *count = NULL, *recent = NULL, *now_st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO word_df(word, df, upto) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT(word) DO UPDATE SET df = excluded.df, upto = excluded.upto"
                           " WHERE excluded.upto > upto",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, DF_COUNT_SQL, -1, &count, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, DF_RECENT_SQL, -1, &recent, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT last FROM docs_indexed", -1, &now_st, NULL) != SQLITE_OK)
        rc = nd__store_fail(s, "cannot save word frequencies", err);
    /* The last document the index holds now (the writer's lock is held:
     * no other can be added meanwhile). */
    int64_t now = 0;
    if (!rc && sqlite3_step(now_st) == SQLITE_ROW) now = sqlite3_column_int64(now_st, 0);
    sqlite3_finalize(now_st);
    pthread_mutex_lock(&c->mu);
    /* The slots' counts and those kept when the cache was emptied (a
     * word in both: the slot's, the later one). */
    size_t n_row = 0, m = 0;
    df_row *row = rc ? NULL : nd_malloc((c->used + c->n_kept + 1) * sizeof *row);
    if (!rc && !row) rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    /* (the entries, in the order taken: the rows are sorted by word below) */
    for (size_t i = 0; !rc && i < c->used; i++) {
        const df_ent *e = &c->ent[i];
        if (e->df >= 0 && !e->scaled && e->upto >= 0)
            row[n_row++] = (df_row){c->words.ptr + e->word, e->df, e->upto, e->saved};
    }
    for (size_t i = 0; !rc && i < c->n_kept; i++) {
        const char *w = c->kept_words.ptr + c->kept[i].word;
        const df_ent *e = df_find(c, nd_hash64(w, strlen(w)) | 1);
        if (e && e->df >= 0 && !e->scaled && e->upto >= 0)
            continue; /* the entry's row, a later count */
        row[n_row++] = (df_row){w, c->kept[i].df, c->kept[i].upto, c->kept[i].saved};
    }
    /* Only what this run counted further than the table had it, in the
     * table's order: the rows go in along the B-tree, not all over it. */
    df_row *order = row;
    /* Every count is brought up to now before it is saved: the slots
     * count the store as it was when the cache was last emptied, and the
     * next run would count all the documents since for each word it asks
     * for - after a bulk run of 100,000, 35 ms for "said" at 200,000
     * documents; after a run of a few pages, a full-text query of about
     * 70 us (a lookup in each of the index's segments) for each word.
     * The documents of a run of fewer than catch_up are read once and
     * cut into tokens by the index's own tokenizer (the run's own taken
     * from the tokens the writer kept as it stored them, s->toks: not
     * read again), and a word that is
     * one token counts the documents that hold it (a word of several
     * tokens is a phrase: the index counts it); past that many, the
     * index counts each word's documents (from the last back, at most
     * `recent` of them, scaled past that: df_recent_count) - those it
     * would find DF_CATCH_UP_MIN or more of, at the word's rate so far: a rarer
     * word's count later costs about what it would here, and a bulk run
     * of 10,000 pages ended with 23,000 words in its cache, at ~0.5 ms
     * of CPU each over 5,000 documents.  The slots keep their counts
     * (the run's snapshot); the table gets the new ones. */
    int64_t lo = now;
    for (size_t i = 0; i < n_row; i++)
        if (row[i].upto < lo && now - row[i].upto < c->catch_up) lo = row[i].upto;
    /* the documents since the cache's snapshot enter the phrases' windows
     * (the run's and those of the runs before: df_save_windows) */
    size_t n_win = rc ? 0 : df_windows(c, NULL);
    if ((n_win || n_row) && c->last < lo && now - c->last < c->catch_up) lo = c->last;
    df_tok tk = {0};
    tok_acc acc = {.keep_pos = 1};
    int by_tokens = !rc && lo < now && tok_open(s->db, &tk) == 0 &&
                    tok_docs(s->db, &tk, lo, now, &acc, s->toks) == 0;
    for (size_t i = 0; !rc && i < n_row; i++) {
        int64_t v = row[i].df, upto = row[i].upto, more = -1;
        const char *w = row[i].word;
        if (upto < now && by_tokens && now - upto < c->catch_up) {
            tok_word one = {0};
            tk.api.xTokenize(tk.t, &one, FTS5_TOKENIZE_QUERY, w, (int) strlen(w), tok_word_cb);
            more = tok_count(&acc, &one, upto, 1);
        }
        int worth =
            now - upto < c->catch_up || (upto > 0 && (double) v * (double) (now - upto) >=
                                                         (double) c->catch_up_min * (double) upto);
        if (upto < now && more < 0 && worth) {
            more = df_recent_count(recent, w, strlen(w), upto, now, c->recent);
            if (more < 0) more = df_count(count, w, strlen(w), upto, now);
        }
        /* A count of an empty store's snapshot (a run into an empty
         * store) has no rate to go by: counted back from now as a first
         * lookup would be (df_recent_count), so that the runs after a
         * bulk run into an empty store find their words saved - its
         * cost, a few hundred microseconds a word, is the bulk run's
         * once and not every later run's. */
        if (upto == 0 && v == 0 && more < 0)
            more = df_recent_count(recent, w, strlen(w), 0, now, c->recent);
        if (upto < now && more >= 0) {
            v += more;
            upto = now;
        }
        if (upto > 0 && upto > row[i].saved) order[m++] = (df_row){w, v, upto, row[i].saved};
    }
    if (!rc && (n_win || n_row) && (c->last == now || (by_tokens && lo <= c->last)))
        df_save_windows(s, c, now, &tk, &acc);
    if (!rc && by_tokens)
        df_save_tokens(s, &acc, lo > now - c->catch_up ? lo : now - c->catch_up, now,
                       now - c->catch_up);
    tok_acc_free(&acc);
    tok_close(&tk);
    if (m) qsort(order, m, sizeof *order, by_word);
    for (size_t i = 0; !rc && i < m; i++) {
        sqlite3_bind_text(st, 1, order[i].word, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, order[i].df);
        sqlite3_bind_int64(st, 3, order[i].upto);
        rc = step_done(s, st, "cannot save word frequencies", err);
    }
    pthread_mutex_unlock(&c->mu);
    nd_free(row);
    sqlite3_finalize(st);
    sqlite3_finalize(count);
    sqlite3_finalize(recent);
    if (rc) {
        sqlite3_exec(s->db, own ? "ROLLBACK" : "ROLLBACK TO word_df", NULL, NULL, NULL);
        if (!own) sqlite3_exec(s->db, "RELEASE word_df", NULL, NULL, NULL);
        return rc;
    }
    return nd__store_exec(s, own ? "COMMIT" : "RELEASE word_df", err);
}
