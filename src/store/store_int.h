/* store_int.h - internals of the SQLite store (private to src/store/). */
#ifndef ND_STORE_INT_H
#define ND_STORE_INT_H

#include <sqlite3.h>
#include <time.h>

#include "newsdesk/store.h"

/* The prepared statements the store keeps for the life of a connection:
 * X(name, sql).  Prepared on first use. */
#define ND_STORE_STMTS(X)                                                                          \
    X(HAS_RAW, "SELECT doc_id FROM raw_pages WHERE raw_hash = ?1")                                 \
    X(ADD_RAW, "INSERT OR IGNORE INTO raw_pages(raw_hash, doc_id, run_id) VALUES (?1, ?2, ?3)")    \
    X(FIND_SAME, "SELECT id, version FROM documents WHERE ident IS ?1 AND content_hash = ?2"       \
                 " AND title IS ?3 ORDER BY version LIMIT 1")                                      \
    X(MAX_VERSION, "SELECT max(version) FROM documents WHERE ident = ?1")                          \
    X(ADD_DOC, "INSERT INTO documents(ext_id, ident, version, url, host, site, title, authors,"    \
               " published, fetched, language, credit, text, content_hash, raw_hash, source,"      \
               " source_offset, source_line, parent_id, run_id, added)"                            \
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"   \
               " ?17, ?18, ?19, ?20, ?21)")                                                        \
    X(ADD_DOC_AS,                                                                                  \
      "INSERT INTO documents(id, ext_id, ident, version, url, host, site, title, authors,"         \
      " published, fetched, language, credit, text, content_hash, raw_hash, source,"               \
      " source_offset, source_line, parent_id, run_id, added, story_id, dup_of)"                   \
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"  \
      " ?19, ?20, ?21, ?22, ?23, ?24)")                                                            \
    X(MAX_ID, "SELECT max(id) FROM documents")                                                     \
    X(INDEX_DOCS, "INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text"           \
                  " FROM documents WHERE id > (SELECT last FROM docs_indexed) ORDER BY id")        \
    X(INDEXED_DOCS, "UPDATE docs_indexed SET last = (SELECT coalesce(max(id), 0) FROM documents)") \
    X(ADD_PARA, "INSERT INTO paragraphs(doc_id, idx, start_off, end_off) VALUES (?1, ?2, ?3, ?4)") \
    X(ADD_RELATED, "INSERT INTO related(doc_id, idx, title, site, url, age, published, child_id)"  \
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")                                     \
    X(ADD_ERROR, "INSERT INTO ingest_errors(run_id, at, source, source_offset, source_line, code," \
                 " message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")                                  \
    X(GET_DOC, "SELECT id, ext_id, ident, version, url, host, site, title, authors, published,"    \
               " fetched, language, credit, text, content_hash, raw_hash, source, source_offset,"  \
               " source_line, parent_id, run_id, added,"                                           \
               " (SELECT count(*) FROM documents v WHERE v.ident = documents.ident),"              \
               " story_id, dup_of FROM documents WHERE id = ?1")                                   \
    X(GET_EXT,                                                                                     \
      "SELECT id FROM documents WHERE ext_id = ?1 ORDER BY version DESC, id DESC LIMIT 1")         \
    X(GET_PARAS, "SELECT start_off, end_off FROM paragraphs WHERE doc_id = ?1 ORDER BY idx")       \
    X(ADD_KEYWORD, "INSERT OR REPLACE INTO keywords(doc_id, idx, phrase, kind, score)"             \
                   " VALUES (?1, ?2, ?3, ?4, ?5)")                                                 \
    X(MARK_KEYWORDS, "INSERT OR REPLACE INTO keyword_docs(doc_id, n) VALUES (?1, ?2)")             \
    X(GET_RELATED,                                                                                 \
      "SELECT title, site, url, age, published, child_id FROM related WHERE doc_id = ?1"           \
      " ORDER BY idx")

enum nd_store_stmt {
#define ND__STMT_ENUM(name, sql) ND_STMT_##name,
    ND_STORE_STMTS(ND__STMT_ENUM)
#undef ND__STMT_ENUM
        ND_STMT_COUNT_
};

/* Seconds on the monotonic clock (differences time the store's work). */
static inline double nd__store_mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

/* A bulk writer's (ND_STORE_FAST) automatic checkpoint: every 32768
 * frames of the log (docs/architecture.md, "Commits and checkpoints");
 * ckpt.c's soft bound by default. */
#define ND__FAST_AUTOCHECKPOINT 32768

struct nd_store {
    sqlite3 *db;
    char *path;
    unsigned flags;
    int schema;
    int in_tx;
    sqlite3_stmt *stmt[ND_STMT_COUNT_];
    struct nd__store_an *an;       /* analysis.c: its statements and actor ids; NULL until used */
    nd_store_clusterer *clusterer; /* stories.c: the open clusterer, told of rollbacks */
    int64_t deadline_ms;           /* nd_store_set_time_limit(): monotonic ms */
    int rank_ready;                /* query/rank.c: nd_top registered */
    int member_ready;              /* query/quotes.c: nd_member registered */
    struct nd_doc_table *docs;     /* query/docs.c: borrowed; NULL: none */
    struct nd__run_toks *toks;     /* keywords.c: the tokens of the documents stored, for
                                    * nd_store_df_save; NULL: none */
    /* query/result.c: statements the query layer keeps by their SQL
     * (nd__prepare_kept); the least recently used is dropped. */
    struct nd__kept {
        char *sql;
        size_t len;
        sqlite3_stmt *st;
        int busy;
        uint64_t used;
    } kept[16];
    uint64_t kept_tick;
};

/* A statement ready to bind (reset, bindings cleared), or NULL with err set. */
sqlite3_stmt *nd__store_stmt(nd_store *s, enum nd_store_stmt which, nd_error *err);

/* Fill err from the connection's last error; returns ND_EDB, ND_EBUSY or
 * ND_EPARSE (FTS query syntax) as fits.  what names the operation. */
int nd__store_fail(nd_store *s, const char *what, nd_error *err);
/* A walk of the documents in id order read an id at or below `after`, the
 * one before it (a damaged table): ND_EDB, and err says so. */
int nd__store_ids_back(nd_store *s, int64_t after, nd_error *err);

/* Run SQL without results (several statements allowed). */
int nd__store_exec(nd_store *s, const char *sql, nd_error *err);

/* Now as an ISO 8601 UTC string; out needs 32 bytes. */
void nd__store_now(char out[32]);

/* Times in the store: ISO 8601 "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ". */
void nd__store_time(int64_t ts, int has_time, char out[32]);

/* Parse a time as stored: nd_time_parse() first, then strict ISO 8601
 * ("YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS[.frac]][Z|+HH:MM|+HHMM]").
 * Returns 0 and the normalised string in out (32 bytes), or ND_EPARSE. */
int nd__store_parse_time(const char *s, char out[32]);

/* schema.c: the migration steps.  Migrates db from its user_version to
 * target (at most ND_STORE_SCHEMA), one transaction per step. */
int nd__store_migrate(sqlite3 *db, int target, const char *path, nd_error *err);

/* analysis.c: store a's rows for document doc (inside the caller's
 * transaction); free the connection's analysis state; forget cached actor
 * ids after a rollback (they may name rows that are gone). */
int nd__store_put_analysis(nd_store *s, int64_t doc, const nd_analysis *a, nd_error *err);
void nd__store_analysis_close(nd_store *s);
/* keywords.c: store k's rows for document doc (inside the caller's
 * transaction). */
int nd__store_put_keywords(nd_store *s, int64_t doc, const nd_keywords *k, nd_error *err);
/* nd_store_df_save brings a word's count up to the store's last
 * document from the tokens of the documents since when they are fewer
 * than `docs` (default 1024), else with the full-text index when it
 * would find `postings` (default 1024) or more at the word's rate. */
void nd__store_df_catch_up(nd_store_df *df, int64_t docs, int64_t postings);
/* A phrase counted over more than `window` documents is counted in the
 * last `window` and scaled, unless its tokens' saved counts bound one of
 * them to `exact` documents or fewer (defaults 16,384 and 8,192). */
void nd__store_df_phrase(nd_store_df *df, int64_t window, int64_t exact);
/* A word no saved count covers, or whose saved count lags by more than
 * `most` documents, is counted from the last document back,
 * and past `most` documents (default 1,024; 0: never) its rate over their
 * span is scaled to the store (and saved as its count). */
void nd__store_df_recent(nd_store_df *df, int64_t most);
/* The cache is emptied when it holds this many words (default 49,152);
 * it keeps their counts for its later lookups and nd_store_df_save. */
void nd__store_df_limit(nd_store_df *df, size_t words);
void nd__store_analysis_rolled_back(nd_store *s);
/* The totals (actor_stats, actor_days, code_days) a transaction's
 * analyses add are summed in memory: a savepoint that stores analyses
 * marks its start (nd__store_analysis_mark; nd__store_analysis_rolled_back
 * after a rollback to it takes its additions back), and the sums are
 * written before the transaction commits (nd__store_analysis_flush: 0 or
 * a negative code). */
void nd__store_analysis_mark(nd_store *s);
int nd__store_analysis_flush(nd_store *s, nd_error *err);
/* The same when the sums are many (nd_store_idle). */
int nd__store_analysis_idle(nd_store *s, nd_error *err);
/* Index the quotations (quotes_fts) and the new actors' names
 * (actor_names) this connection added in the open transaction; called
 * just before COMMIT, outside any savepoint.  0 or a negative code. */
int nd__store_index_analysis(nd_store *s, nd_error *err);

/* ---- documents on their way in (write.c) and their stories (stories.c) ---- */

/* Words of a title that count for the headline (stories.c). */
#define ND__TITLE_WORDS 32

/* What the story rows read of a document. */
typedef struct nd__docinfo {
    uint64_t site;     /* hash of the site, else the host, ASCII lowercase; 0: none */
    const char *time;  /* published, else fetched, as stored; NULL: none */
    const char *title; /* as stored, or NULL */
    uint32_t n_words;
    uint64_t words[ND__TITLE_WORDS]; /* the title's words (nd__store_doc_info) */
} nd__docinfo;

/* A document row ready to insert (nd_store_prepare).  Strings are
 * borrowed from the page or live in the prepared page's arena. */
typedef struct nd__pdoc {
    const char *ext_id, *ident, *url, *host, *site, *title, *authors_json;
    const char *published, *fetched, *language, *credit; /* "" for none */
    const char *text;
    size_t text_len;
    uint64_t content_hash, raw_hash;
    const nd_store_origin *origin;
    int64_t run_id;
    size_t *paras; /* n_paras pairs of byte offsets */
    size_t n_paras;
    const nd_analysis *analysis;
    const nd_keywords *keywords;
    /* For its story: the engine's reading of it (NULL: the clusterer reads
     * it itself), its time as the engine sees it, what the story row needs. */
    nd_cluster_prep *prep;
    int64_t published_ts;
    nd__docinfo info;
    /* Its tokens as doc_tokens keeps them, cut by nd_store_prepare_tokens()
     * (NULL: not cut), kept by the writer for nd_store_df_save. */
    const unsigned char *toks;
    size_t toks_len;
} nd__pdoc;

/* keywords.c: the tokens of the documents a writer stores, so that
 * nd_store_df_save does not read and cut them again.  Keep document id's
 * (its doc_tokens blob b, n bytes: copied); the entries so far (a mark);
 * forget those after a mark (a page rolled back); the entries are of
 * committed documents; forget those after the last commit (a rolled back
 * transaction); free them (the store's close). */
void nd__store_keep_tokens(nd_store *s, int64_t id, const unsigned char *b, size_t n);
size_t nd__store_tokens_mark(const nd_store *s);
void nd__store_tokens_back(nd_store *s, size_t mark);
void nd__store_tokens_committed(nd_store *s);
void nd__store_tokens_rolled_back(nd_store *s);
void nd__store_tokens_free(nd_store *s);
/* A document's title and text cut as the index cuts them, as a
 * doc_tokens blob in b: 0, or -1 (out of memory; a token at another's
 * position, which doc_tokens cannot hold). */
int nd__store_cut(nd_store_tokenizer *t, const char *title, const char *text, size_t text_len,
                  nd_buf *b);

/* A stored time ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ") as epoch seconds,
 * or ND_TIME_NONE (NULL, "" or anything else). */
int64_t nd__store_time_value(const char *s);

/* Fill *out for a document with these stored fields (stories.c). */
void nd__store_doc_info(nd__docinfo *out, const char *title, const char *site, const char *host,
                        const char *published, const char *fetched);

/* Cluster document d, about to be inserted as id: *story and *dup_of get
 * what its row records (0: unclustered / no duplicate); the engine's
 * changes to earlier documents are applied.  Inside the page's savepoint. */
int nd__store_cluster_new(nd_store_clusterer *c, int64_t id, const nd__pdoc *d, int64_t *story,
                          int64_t *dup_of, nd_error *err);

/* The smallest id a new document may take: one above the largest the
 * engine holds (a refused page's, rolled back, is never given again: the
 * engine cannot forget it), 0 without an engine. */
int64_t nd__store_cluster_id_floor(const nd_store_clusterer *c);

/* A page's savepoint: what the clusterer changes in memory between begin
 * and end is undone with the rows when the page fails (ok 0). */
void nd__store_cluster_begin_page(nd_store_clusterer *c);
void nd__store_cluster_end_page(nd_store_clusterer *c, int ok);

/* The transaction was rolled back: what the clusterer holds in memory may
 * name rows that are gone. */
void nd__store_cluster_rolled_back(nd_store_clusterer *c);

/* The transaction is about to commit: the clusterer ends the reading it
 * left open (an item read on demand stays stepped until the next one: an
 * open statement keeps the connection's first snapshot, and no checkpoint
 * can pass it - the WAL grew by a GB per 10,000 pages). */
void nd__store_cluster_committing(nd_store_clusterer *c);

/* write.c: what a transaction that stored pages writes just before its
 * COMMIT, outside any savepoint: the analyses' summed totals, then the
 * documents, quotations and new actors' names into their full-text
 * indexes.  0 or a negative code (the transaction is to be rolled back). */
int nd__store_before_commit(nd_store *s, nd_error *err);

/* For tests: create or migrate a file up to schema version `version` only,
 * with no other setup.  Returns 0 or a negative code. */
int nd__store_create_at(const char *path, int version, nd_error *err);

/* The ids of documents after `after` (at most cap, in id order) that have
 * no row in done_table (every one with all): what a re-analysis or a
 * keyword pass has left to do. */
int nd__store_todo(nd_store *s, const char *done_table, int64_t after, int all, int64_t *ids,
                   size_t cap, size_t *n, nd_error *err);

#endif
