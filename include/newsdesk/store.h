/*
 * newsdesk/store.h - the document store: documents, their paragraphs and
 * related items, ingest runs and their errors, and full-text search.
 *
 * The store is one SQLite file by default (WAL journal, FTS5 index); this
 * header says nothing about SQL so that another backend (PostgreSQL for a
 * server deployment) can implement the same functions.  Nothing outside
 * src/store/ and the query layer (src/query/, newsdesk/query.h: every
 * question the CLI and the web ask) writes SQL.
 *
 * Threads: an nd_store handle is one connection and must be used by one
 * thread at a time.  Open one handle per thread; many readers and one
 * writer may work on the same file at once (readers see the last committed
 * transaction, writers wait for each other up to the busy timeout).
 *
 * Times are ISO 8601 UTC strings in the store: "2025-05-08" when only the
 * day is known, else "2025-05-08T10:30:00Z"; both sort chronologically as
 * text.  Absent values are NULL (strings) or 0 (ids).
 */
#ifndef NEWSDESK_STORE_H
#define NEWSDESK_STORE_H

#include "newsdesk/analyze.h"
#include "newsdesk/base.h"
#include "newsdesk/cluster.h"
#include "newsdesk/extract.h"
#include "newsdesk/keywords.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version this program writes (PRAGMA user_version).  Older
 * files are migrated forward on open; newer ones are refused (ND_ESCHEMA). */
#define ND_STORE_SCHEMA 13

/* A related item becomes a document of its own when its text has at
 * least this many bytes or several paragraphs: an embedded article, not
 * a teaser's one-line summary. */
#define ND_STORE_RELATED_MIN_TEXT ND_RELATED_MIN_TEXT

/* The default file name when neither --db nor $NEWSDESK_DB is given. */
#define ND_STORE_DEFAULT_PATH "newsdesk.db"

typedef struct nd_store nd_store;

enum {
    ND_STORE_CREATE = 1u << 0,   /* create the file when it does not exist */
    ND_STORE_READONLY = 1u << 1, /* never write the data: reading commands; works on read-only
                                    media; a file of an older newsdesk is migrated first when it
                                    can be written, else refused */
    ND_STORE_FAST = 1u << 2,     /* bulk writer: larger cache, fewer syncs (still crash-safe) */
    ND_STORE_NOMAP = 1u << 3     /* a reader that reads through its page cache, not a memory map:
                                    for a long-lived process that looks up a few pages of a large
                                    store (ingest's workers), whose mapped pages would count in
                                    its resident memory, and for the CLI's readers (a cold
                                    mapped page is read with the kernel's read-ahead around it) */
};

/* Open (and create, with ND_STORE_CREATE) the store at path, migrating an
 * older schema forward, one transaction per step.  Returns 0 and *out
 * (caller owns; close with nd_store_close()), or ND_ENOTFOUND (no such
 * file and no ND_STORE_CREATE), ND_ESCHEMA (the file is newer than this
 * program), ND_EBUSY (locked longer than the busy timeout), ND_EDB (not a
 * database, I/O error), with err naming the path and the reason. */
ND_EXPORT int nd_store_open(const char *path, unsigned flags, nd_store **out, nd_error *err);

/* Closes the connection; NULL is fine.  An open transaction is rolled back. */
ND_EXPORT void nd_store_close(nd_store *s);

/* The file's schema version (after migrations: ND_STORE_SCHEMA). */
ND_EXPORT int nd_store_schema_version(const nd_store *s);

/* fn is called when an open is about to migrate an existing store of an
 * older schema (from >= 1) to `to`, once per open, holding the lock: a
 * migration of a large store takes a while (49 s at 1,000,000 documents,
 * schema 9 to 11), and the CLI says so first.  NULL (the default):
 * nothing.  Set it before any store is opened. */
ND_EXPORT void nd_store_on_migrate(void (*fn)(const char *path, int from, int to));

/* How long a statement waits for another connection's lock, in
 * milliseconds (default 10000). */
ND_EXPORT void nd_store_set_busy_timeout(nd_store *s, int ms);

/* A number that changes when another connection commits a change to the
 * store (SQLite's data_version): a reader caches an answer until it does.
 * -1 when it cannot be read. */
ND_EXPORT int64_t nd_store_data_version(nd_store *s);

/* A number that changes whenever any connection, of any process, commits
 * to the store at path: made from the sizes and modification times of the
 * file and its write-ahead log and the log's header (its salts change
 * when it restarts), so that threads with different connections can share
 * what they cache.  0 when the store cannot be looked at. */
ND_EXPORT uint64_t nd_store_file_version(const char *path);

/* Statements that run past ms milliseconds from now are interrupted (they
 * fail with ND_EDB, "interrupted"); ms <= 0 removes the limit.  A server
 * sets it before each request. */
ND_EXPORT void nd_store_set_time_limit(nd_store *s, int ms);

/* Makes the statement running on s, if any, stop soon (it fails with
 * ND_EDB, "interrupted").  The one call that is safe from another thread
 * while s is in use: a server stopping interrupts its background reads. */
ND_EXPORT void nd_store_interrupt(nd_store *s);

/* Reads what the pages and searches of the store read first - the
 * documents' full-text index and lengths, the documents' rows (not their
 * text) and the indexes by document of actors, quotations and events -
 * so that they are in the operating system's page cache and in this
 * connection's memory map: its first search then costs what later ones
 * cost (a read-only connection reads the file through its own map, and
 * each page is mapped on first touch).  About 0.2 s of CPU at 100,000
 * documents (1.6 GB) when the file is cached, more when it is read from
 * disk.  Returns 0, or ND_EDB / ND_EBUSY with err filled (past a time
 * limit, an I/O error, locked). */
ND_EXPORT int nd_store_warm(nd_store *s, nd_error *err);

/* ---- writing -------------------------------------------------------------- */

/* Transactions group writes; without one, each write commits by itself.
 * Return 0 or ND_EDB / ND_EBUSY with err filled. */
ND_EXPORT int nd_store_begin(nd_store *s, nd_error *err);
ND_EXPORT int nd_store_commit(nd_store *s, nd_error *err);
ND_EXPORT void nd_store_rollback(nd_store *s);
/* The caller has nothing to write for now, inside a transaction (an
 * ingest's writer waiting for pages): what the store keeps in memory for
 * the commit (the analyses' totals), when it is much, is written now, so
 * that the commit has less to do.  0, or a negative code after which the
 * transaction is to be rolled back. */
ND_EXPORT int nd_store_idle(nd_store *s, nd_error *err);

/* Checkpoints beside a writer (an ingest's): a thread with its own
 * connection copies the write-ahead log into the file while w keeps
 * committing, instead of w after the commit that passes the bound.  When
 * `pages` frames of the log (0: 32768, 128 MB) are past and the thread
 * has copied all w committed, nd_store_ckpt_due() says so; w's next
 * commit copies what is left if it is short, so that the log starts
 * again from its beginning.  Past 4 x `pages` frames, or once the thread
 * failed, w checkpoints after its commits itself, as without it.  Each
 * checkpoint syncs the log, then the file.  Only the thread that uses w
 * calls these (but nd_store_ckpt_flush); stop before closing w.  The
 * thread starts at its first pass (a short run has none) and opens its
 * connection itself: a failure to is its error (nd_store_ckpt_error).  Returns 0 (caller owns *out;
 * stop with nd_store_ckpt_stop()) or ND_ENOMEM with err filled. */
typedef struct nd_store_ckpt nd_store_ckpt;
typedef struct nd_store_ckpt_stats {
    uint64_t passes;       /* the thread's checkpoints */
    uint64_t tails;        /* w's checkpoints of a short tail (the log restarts after) */
    uint64_t fallbacks;    /* w's checkpoints past the hard bound or after a failure */
    double writer_seconds; /* w's time in its checkpoints */
    uint64_t restarts;     /* commits of w that found the log started again */
    int peak_frames;       /* the longest the log was after a commit of w */
    double thread_cpu;     /* the thread's CPU seconds (0: it never ran) */
} nd_store_ckpt_stats;
ND_EXPORT int nd_store_ckpt_start(nd_store *w, int pages, nd_store_ckpt **out, nd_error *err);
/* Nonzero: commit the open transaction now (the log can start again). */
ND_EXPORT int nd_store_ckpt_due(const nd_store_ckpt *c);
/* The thread copies all that w committed now, whatever the bounds (the
 * end of a run: the close then has less to copy), unless the log is
 * short (under 1/16 of the bound).  Any thread. */
ND_EXPORT void nd_store_ckpt_flush(nd_store_ckpt *c);
/* The thread's error, once: nonzero with err filled the first time it is
 * asked after the thread failed (it stops; w checkpoints itself). */
ND_EXPORT int nd_store_ckpt_error(nd_store_ckpt *c, nd_error *err);
/* Stops and joins the thread and closes its connection; w checkpoints
 * after its commits again.  *st (may be NULL): what it did.  Returns 0,
 * or the thread's error if nd_store_ckpt_error() did not give it yet.
 * NULL does nothing. */
ND_EXPORT int nd_store_ckpt_stop(nd_store_ckpt *c, nd_store_ckpt_stats *st, nd_error *err);

/* An ingest run: started by nd_store_run_begin() (committed at once, so a
 * run killed half-way stays visible as "running"), finished with its
 * counts by nd_store_run_finish(). */
typedef struct nd_store_run {
    int64_t id;
    const char *started;  /* ISO 8601 */
    const char *finished; /* NULL while running or when the run was killed */
    const char *status;   /* "running" (or killed), "done" (no errors), "errors",
                             "interrupted" (stopped early), "failed" (store failure) */
    const char *inputs;   /* JSON array of the inputs as given */
    uint64_t pages;       /* pages read */
    uint64_t added;       /* documents added from pages (new pages and new versions) */
    uint64_t related;     /* documents added from related items embedded in pages */
    uint64_t duplicates;  /* pages that added nothing (seen before) */
    uint64_t skipped;     /* records that are not pages (WARC requests, images, ...) */
    uint64_t errors;      /* inputs that failed */
} nd_store_run;

/* Starts a run; inputs_json is a JSON array (copied).  Returns 0 and *id. */
ND_EXPORT int nd_store_run_begin(nd_store *s, const char *inputs_json, int64_t *id, nd_error *err);
/* Records the counts and status of run r->id (r->started and r->inputs
 * are ignored); finished is set to now. */
ND_EXPORT int nd_store_run_finish(nd_store *s, const nd_store_run *r, nd_error *err);

/* What a page was read from: enough to find it again. */
typedef struct nd_store_origin {
    const char *source; /* the file ("-" for stdin) */
    int64_t offset;     /* WARC record byte offset, or -1 */
    int64_t line;       /* JSONL line number, or -1 */
    const char *ident;  /* what makes two pages "the same page" when it has
                           no URL or external id, e.g. the file's real path
                           (+ "@offset" / ":line"); NULL: none */
} nd_store_origin;

/* One extracted page to store.  Borrowed for the call. */
typedef struct nd_store_page {
    const nd_article *article; /* the extraction result */
    uint64_t raw_hash;     /* nd hash of the raw page (+ url, id, hints): see nd_store_has_raw() */
    const char *ext_id;    /* external id (JSONL "id"), or NULL */
    const char *url;       /* overrides article->url when not NULL */
    const char *title;     /* overrides article->title when not NULL (JSONL hint) */
    const char *published; /* overrides article->published when it parses (JSONL hint) */
    int64_t fetched;       /* fetch time or ND_TIME_NONE; resolves related ages */
    const char *language;  /* overrides article->language when not NULL */
    nd_store_origin origin;
    int64_t run_id; /* 0: none */
    /* The analysis of article->text (newsdesk/analyze.h), stored with the
     * document in the same transaction; NULL: not analysed (newsdesk
     * reanalyze can do it later).  related_analyses, when not NULL, has
     * article->n_related entries: the analysis of each related item's text
     * as stored (nd_slice_trim()'d), or NULL; used for the items that
     * become documents. */
    const nd_analysis *analysis;
    const nd_analysis *const *related_analyses;
    /* The keywords of article->text (newsdesk/keywords.h), stored with
     * the document; NULL: none computed (newsdesk reanalyze fills them).
     * related_keywords, when not NULL, has article->n_related entries, as
     * related_analyses. */
    const nd_keywords *keywords;
    const nd_keywords *const *related_keywords;
} nd_store_page;

/* What nd_store_add_page() did. */
typedef enum nd_store_outcome {
    ND_STORE_ADDED = 1, /* a new document */
    ND_STORE_VERSION,   /* a new version of a page already stored (same URL/id, other text) */
    ND_STORE_SEEN,      /* these raw bytes were stored before: nothing added */
    ND_STORE_SAME       /* same page and same title and text as a stored version: nothing added */
} nd_store_outcome;

typedef struct nd_store_added {
    nd_store_outcome outcome;
    int64_t doc_id;       /* the document the page is (new or existing) */
    int version;          /* its version number (1 for a first version) */
    size_t related_added; /* documents added from the page's embedded related articles */
} nd_store_added;

/* 1 when a page with this raw hash was stored before (so it need not be
 * extracted again), 0 when not, or a negative code. */
ND_EXPORT int nd_store_has_raw(nd_store *s, uint64_t raw_hash, nd_error *err);

/* Store one page: unless its raw hash was seen, or a document with the
 * same identity (URL, else external id, else origin ident) has the same
 * title and text, it becomes a document (version n+1 when the identity is
 * known with other content) with its paragraphs and related items; related
 * items carrying text become documents of their own (parent_id = the
 * page; see ND_STORE_RELATED_MIN_TEXT), their publication time resolved
 * from their age against the fetch time.  Returns 0 and fills *res (may be NULL), or a negative
 * code. */
ND_EXPORT int nd_store_add_page(nd_store *s, const nd_store_page *p, nd_store_added *res,
                                nd_error *err);

/* A page with every row computed (documents, paragraphs, related items,
 * what the stories need), so that the thread holding the write lock only
 * writes.  nd_store_prepare() needs no store and may run on any thread;
 * fx (may be NULL; one per thread) reads each document for the story
 * engine there too.  p and everything it points to are borrowed until
 * nd_store_prepared_free().  Returns 0 and *out (caller owns; free with
 * nd_store_prepared_free()), or a negative code. */
typedef struct nd_store_prepared nd_store_prepared;
typedef struct nd_store_clusterer nd_store_clusterer;
ND_EXPORT int nd_store_prepare(const nd_store_page *p, nd_cluster_fx *fx, nd_store_prepared **out,
                               nd_error *err);
ND_EXPORT void nd_store_prepared_free(nd_store_prepared *pp);

/* The full-text index's tokenizer, on a connection s (a worker's read
 * one; NULL: it cannot be had), for nd_store_prepare_tokens(); one per
 * thread.  Free with nd_store_tokenizer_free() before s is closed. */
typedef struct nd_store_tokenizer nd_store_tokenizer;
ND_EXPORT nd_store_tokenizer *nd_store_tokenizer_new(nd_store *s);
ND_EXPORT void nd_store_tokenizer_free(nd_store_tokenizer *t);
/* Cut each document of a prepared page into the tokens the full-text
 * index will hold of it: the writer that stores it keeps them for
 * nd_store_df_save, which then neither reads nor cuts the document again
 * (the same counts either way).  Returns 0, or a negative code (the
 * documents not cut are read back by the save, as before). */
ND_EXPORT int nd_store_prepare_tokens(nd_store_tokenizer *t, nd_store_prepared *pp);

/* nd_store_add_page() of a prepared page; with a clusterer c (may be NULL:
 * the documents stay without a story), each new document gets its story
 * as it is written (see nd_store_cluster_pending()). */
ND_EXPORT int nd_store_add_prepared(nd_store *s, nd_store_clusterer *c, const nd_store_prepared *pp,
                                    nd_store_added *res, nd_error *err);

/* One failed input of a run. */
typedef struct nd_store_error {
    int64_t id;
    int64_t run_id;
    const char *at;      /* ISO 8601 time recorded */
    const char *source;  /* the file, or NULL when unknown */
    int64_t offset;      /* WARC byte offset or -1 */
    int64_t line;        /* JSONL line or -1 */
    const char *code;    /* "ND_ENOTEXT", ... */
    const char *message; /* one line */
} nd_store_error;

/* Record an error (e->id and e->at are ignored).  Copied. */
ND_EXPORT int nd_store_add_error(nd_store *s, const nd_store_error *e, nd_error *err);

/* ---- reading -------------------------------------------------------------- */

/* A related item shown on a page. */
typedef struct nd_store_related {
    const char *title, *site, *url, *age;
    const char *published; /* ISO 8601 or NULL */
    int64_t doc_id;        /* the document made from its text, or 0 */
} nd_store_related;

/* A stored document.  Every pointer is borrowed: valid until
 * nd_store_doc_free() (for nd_store_get()) or until the callback returns
 * (for nd_store_each()). */
typedef struct nd_store_doc {
    int64_t id;
    const char *ext_id;
    const char *url;
    const char *host; /* the URL's host without "www." */
    const char *site;
    const char *title;
    const char **authors;
    size_t n_authors;
    const char *published; /* ISO 8601 or NULL */
    const char *fetched;
    const char *added; /* when it was stored */
    const char *language;
    const char *credit;
    const char *text; /* paragraphs joined by "\n\n" */
    size_t text_len;
    nd_slice *paragraphs; /* slices of text */
    size_t n_paragraphs;
    uint64_t content_hash; /* hash of the text */
    uint64_t raw_hash;     /* hash of the raw page it came from; 0 for related items */
    const char *ident;     /* identity shared by the versions of one page */
    int version;           /* 1, 2, ... */
    int n_versions;        /* versions stored for this identity */
    nd_store_origin origin;
    int64_t parent_id; /* the page this related article was embedded in, or 0 */
    int64_t run_id;
    int64_t story_id; /* its story, or 0 while not clustered */
    int64_t dup_of;   /* the earlier document it duplicates, or 0 */
    nd_store_related *related;
    size_t n_related;
    /* Actors, quotes and events: NULL until nd_store_load_analysis(), and
     * after it when the document was never analysed. */
    const nd_analysis *analysis;
    nd_arena *arena; /* owns everything above */
} nd_store_doc;

/* The document with this numeric id, or with this external id: "123"
 * tries the numeric id first, then the external id; anything else is an
 * external id.  Returns 0 and *out (caller owns; free with
 * nd_store_doc_free()) or ND_ENOTFOUND. */
ND_EXPORT int nd_store_get(nd_store *s, const char *id, nd_store_doc **out, nd_error *err);
ND_EXPORT int nd_store_get_id(nd_store *s, int64_t id, nd_store_doc **out, nd_error *err);
ND_EXPORT void nd_store_doc_free(nd_store_doc *d);

/* Calls fn for every document in id order; the doc is borrowed for the
 * call.  fn returns 0 to go on, anything else to stop (that value is
 * returned).  Memory stays flat however many documents there are. */
ND_EXPORT int nd_store_each(nd_store *s, int (*fn)(void *ctx, const nd_store_doc *d), void *ctx,
                            nd_error *err);

/* ---- stories (src/store/stories.c) ----------------------------------------- */

/* Every document belongs to a story once it is clustered: the story
 * engine (newsdesk/cluster.h) decides, the store keeps its answers
 * (documents' story and dup_of, one row per story kept up to date change by
 * change), the engine's state (in pieces: only what changed is written)
 * and the log of what the engine was given since that state was saved, so
 * that a killed run's successor goes on exactly where the last commit
 * left.  One clusterer per store at a time: it is the writer's (two at once
 * stay consistent: each replays the other's log before writing its own). */
/* How a clusterer's engine started and what it did. */
typedef struct nd_store_cluster_stats {
    int start;              /* ND_STORE_CLUSTER_FRESH, _IMPORTED, _RESTORED or _REPLAYED */
    uint64_t restored;      /* documents fed back from the store (_RESTORED, _REPLAYED) */
    uint64_t docs;          /* documents clustered */
    uint64_t dups;          /* ... of them duplicates (dup_of set) */
    uint64_t new_stories;   /* stories started */
    uint64_t moves, merges; /* earlier assignments changed by the engine */
    uint64_t failed;        /* documents the engine refused (left unclustered) */
    uint64_t stories;       /* stories in the store (after finish; counted when read) */
    size_t state_bytes;     /* bytes of the saved state written (all saves of this clusterer) */
    uint64_t replayed;      /* logged operations given to the engine again at open */
    size_t loaded_bytes;    /* bytes of saved state read (at open, and on demand) */
    uint64_t fetched;       /* items of it read on demand */
    uint64_t rebuilt;       /* story aggregates read again from their documents */
    int flushed;            /* finish re-examined the recent window */
} nd_store_cluster_stats;

enum {
    ND_STORE_CLUSTER_FRESH = 0,
    ND_STORE_CLUSTER_IMPORTED = 1,
    ND_STORE_CLUSTER_RESTORED = 2,
    ND_STORE_CLUSTER_REPLAYED = 3
};

/* The clusterer of a writable store.  The engine is the one the last run
 * saved (_IMPORTED), given again what the log holds since - a killed run's
 * documents, in the order it was given them - so that it ends as an
 * unkilled run would be (_REPLAYED), when it was made with the same
 * parameters; otherwise a new engine with p (NULL: the defaults) fed back
 * the store's last window_docs clustered documents with their recorded
 * stories (nd_cluster_restore, _RESTORED; _FRESH when there are none),
 * saved at once.  Outside a transaction.  Returns 0 and *out (caller owns;
 * free with nd_store_clusterer_free()), or a negative code with err
 * filled. */
ND_EXPORT int nd_store_clusterer_open(nd_store *s, const nd_cluster_params *p,
                                      nd_store_clusterer **out, nd_error *err);
ND_EXPORT void nd_store_clusterer_free(nd_store_clusterer *c);

/* The engine parameters of c (for nd_cluster_fx_new(): documents prepared
 * with other parameters are read again by the clusterer). */
ND_EXPORT const nd_cluster_params *nd_store_clusterer_params(const nd_store_clusterer *c);

/* Cluster every document that has no story yet (stored without a
 * clusterer, or before stories existed), in id order: each gets its story
 * and dup_of, and the moves and merges the engine reports are applied to
 * earlier documents.  Call inside a transaction; *n (may be NULL) gets the
 * number clustered.  Returns 0 or a negative code (the documents not
 * reached stay unclustered). */
ND_EXPORT int nd_store_cluster_pending(nd_store_clusterer *c, size_t *n, nd_error *err);

/* Write the rows of the stories changed since the last call (headline,
 * counts, first and last seen; a story left empty is deleted), from their
 * aggregates, which change with each document (never by reading a story's
 * documents); and every ND_STORE_CLUSTER_SAVE_EVERY documents the engine's
 * state.  Call before each commit, so that a committed store is always
 * consistent. */
#define ND_STORE_CLUSTER_SAVE_EVERY 20000
ND_EXPORT int nd_store_cluster_sync(nd_store_clusterer *c, nd_error *err);

/* End of a run: re-examine the recent documents (nd_cluster_flush) when
 * the documents given since the last re-examination are at least an
 * eighth of the recent window (the whole window costs tens of
 * milliseconds: a run of a few pages into a large store leaves it to a
 * later one), apply the changes, sync, and save what changed of the
 * engine's state.  Call inside a transaction. */
ND_EXPORT int nd_store_cluster_finish(nd_store_clusterer *c, nd_error *err);

/* The input paused (a live stream gone quiet) and the run goes on: what
 * nd_store_cluster_finish() does for the stories, without ending - the
 * recent documents re-examined under the same rule, the changes applied,
 * the story rows synced and what changed of the engine's state saved.
 * Nothing is done (nor written) when the rule does not call for a
 * re-examination; *done (may be NULL) says whether it did.  Call inside a
 * transaction.  nd_store_cluster_pause_due() says, without writing,
 * whether the rule calls for one now (another writer's documents aside). */
ND_EXPORT int nd_store_cluster_pause(nd_store_clusterer *c, int *done, nd_error *err);
ND_EXPORT int nd_store_cluster_pause_due(const nd_store_clusterer *c);

/* How many threads the re-examination of nd_store_cluster_finish() may
 * compute on, the caller's included (nd_cluster_set_threads(); 1, the
 * default: none started).  The same stories whatever n. */
ND_EXPORT void nd_store_clusterer_set_threads(nd_store_clusterer *c, int n);

ND_EXPORT void nd_store_cluster_get_stats(const nd_store_clusterer *c, nd_store_cluster_stats *st);

/* Rebuild every story from scratch with a new engine (parameters p, NULL:
 * the defaults), feeding the documents in a canonical order: published
 * time (undated documents first), then id.  The same store and
 * parameters always give the same stories and story ids.  One
 * transaction: a kill leaves the old stories.  st (may be NULL) gets the
 * counts. */
ND_EXPORT int nd_store_recluster(nd_store *s, const nd_cluster_params *p,
                                 nd_store_cluster_stats *st, nd_error *err);

/* ---- maintenance: the full-text indexes rewritten whole ------------------- */

/* The store's full-text indexes (documents_fts, quotes_fts, actor_names):
 * each run's commit adds a segment to each, merged a few at a time, so a
 * store loaded in bulk holds a dozen or more, and every lookup (a search,
 * the keywords' window counts) pays a set-up in each.  Rewritten whole
 * they are one segment each (FTS5's 'optimize'): the same rows, the same
 * answers, fewer pages to look up.  docs/architecture.md, "The full-text
 * index rewritten whole". */
#define ND_STORE_FTS_INDEXES 3
typedef struct nd_store_optimize_stats {
    int indexes;                             /* the indexes the store has (names[0..indexes-1]) */
    const char *names[ND_STORE_FTS_INDEXES]; /* static strings */
    int before[ND_STORE_FTS_INDEXES];        /* segments of each before */
    int after[ND_STORE_FTS_INDEXES];         /* ... and after */
    int64_t documents;                       /* the store's documents */
    double seconds;                          /* wall time */
} nd_store_optimize_stats;

/* Rewrite every full-text index of the store whole and note the store's
 * documents as those of the last rewrite (nd_store_optimize_due).  One
 * transaction: a kill leaves the store as it was.  It writes about the
 * size of the indexes into the WAL, copied into the file at the next
 * checkpoint (5 s at 100,000 documents, about two minutes at 1,000,000),
 * and holds the write lock throughout.  Call outside a transaction.
 * Returns 0 with st (may be NULL) filled, or ND_EDB / ND_EBUSY /
 * ND_EINVAL with err filled. */
ND_EXPORT int nd_store_optimize(nd_store *s, nd_store_optimize_stats *st, nd_error *err);

/* Whether a run that added `added` documents, now committed, is to pay
 * for a rewrite (ingest's policy): it added at least
 * ND_STORE_OPTIMIZE_MIN_ADDED documents and a sixteenth of the store's,
 * and the store holds at least twice the documents it held at the last
 * rewrite (none: any number).  A bulk load of equal runs rewrites at 2, 4,
 * 8... times its first run; a small run into a large store never.  0
 * with *due set, or ND_EDB with err filled. */
#define ND_STORE_OPTIMIZE_MIN_ADDED 1000
ND_EXPORT int nd_store_optimize_due(nd_store *s, uint64_t added, int *due, nd_error *err);

/* Reading stories: newsdesk/query.h (nd_query_stories, nd_query_story). */

/* ---- analysis: actors, quotations, events (schema 4) ----------------------- */

/* Store a (offsets into the document's text) as the analysis of document
 * doc_id, replacing any stored before; an empty analysis records the
 * document as analysed with nothing found.  Returns 0, ND_ENOTFOUND (no
 * such document) or ND_EDB. */
ND_EXPORT int nd_store_set_analysis(nd_store *s, int64_t doc_id, const nd_analysis *a,
                                    nd_error *err);

/* Load d's stored analysis into d->analysis (in d's arena: borrowed, valid
 * until the document is freed), as nd_analyze() gave it: actors with their
 * mentions, quotes, events (sentences are not stored: n_sentences is 0).
 * d->analysis stays NULL when the document was never analysed.  Returns 0
 * or a negative code. */
ND_EXPORT int nd_store_load_analysis(nd_store *s, nd_store_doc *d, nd_error *err);

/* Ids of documents to analyse, in id order after `after`, at most cap of
 * them into ids (*n set): those without a stored analysis, or with all
 * every document. */
ND_EXPORT int nd_store_analysis_todo(nd_store *s, int64_t after, int all, int64_t *ids, size_t cap,
                                     size_t *n, nd_error *err);

/* Documents in all, and with a stored analysis. */
ND_EXPORT int nd_store_analysis_count(nd_store *s, uint64_t *documents, uint64_t *analysed,
                                      nd_error *err);

/* ---- keywords (schema 7, src/store/keywords.c) ------------------------------ */

/* Store k as document doc_id's keywords, replacing any stored before (an
 * empty k records that it has none).  Returns 0, ND_ENOTFOUND or ND_EDB. */
ND_EXPORT int nd_store_set_keywords(nd_store *s, int64_t doc_id, const nd_keywords *k,
                                    nd_error *err);

/* Ids of documents without stored keywords (all: every document), in id
 * order after `after`, at most cap into ids (*n set). */
ND_EXPORT int nd_store_keywords_todo(nd_store *s, int64_t after, int all, int64_t *ids, size_t cap,
                                     size_t *n, nd_error *err);

/* Document frequencies of words as the store's full-text index counts
 * them, for nd_keywords_opts.df: one lookup per word, remembered (a
 * bounded cache, emptied when full).  They count the documents stored
 * when the cache was made or last emptied (those nd_store_df_docs
 * counts), not those stored since.  Reads through s, which must outlive
 * it and be used by the same thread.  Caller owns; free with
 * nd_store_df_free(). */
typedef struct nd_store_df nd_store_df;
ND_EXPORT int nd_store_df_new(nd_store *s, nd_store_df **out, nd_error *err);
/* As nd_store_df_new, remembering into with's cache (NULL: a new one),
 * so that threads with their own connections look each word up once; the
 * cache lives until the last nd_store_df using it is freed. */
ND_EXPORT int nd_store_df_share(nd_store *s, nd_store_df *with, nd_store_df **out, nd_error *err);
ND_EXPORT void nd_store_df_free(nd_store_df *df);
/* The nd_df_fn: ctx is the nd_store_df. */
ND_EXPORT int64_t nd_store_df_get(void *ctx, const char *word, size_t len);
/* The documents the frequencies count (read when the cache was last
 * emptied). */
ND_EXPORT uint64_t nd_store_df_docs(const nd_store_df *df);
/* Keep what df's cache counted in the store (writer s; in its open
 * transaction, else in one of its own), so that the next lookups of
 * those words count only the documents added since: a lookup reads the
 * word's saved count and adds that of the later documents.  The counts
 * are the same with or without it.  Returns 0 or a negative code. */
ND_EXPORT int nd_store_df_save(nd_store *s, nd_store_df *df, nd_error *err);
/* Start df's cache again as nd_store_df_new would make it now (its
 * settings kept): the lookups after it count the documents stored
 * since, and a later nd_store_df_save keeps only what they counted.
 * For a run that goes on after nd_store_df_save (a live input gone
 * quiet: the rest of it is scored as a run of its own would be).  The
 * documents' tokens kept for the save by df's store, the writer, are
 * dropped.  The caller keeps the threads sharing the cache from looking
 * words up meanwhile, so that each document is scored against one
 * snapshot. */
ND_EXPORT void nd_store_df_restart(nd_store_df *df);
/* Before nd_store_df_save (beside the writer's last pages and commit,
 * on a read connection rd of the thread's own): read and cut the
 * documents the save's phrase windows will lose to the run's `docs`
 * documents (an estimate: the save reads what it lacks and ignores the
 * rest).  The save's counts are the same with or without it.  Returns 0
 * or a negative code. */
ND_EXPORT int nd_store_df_presave(nd_store *rd, nd_store_df *df, int64_t docs);

#ifdef __cplusplus
}
#endif
#endif
