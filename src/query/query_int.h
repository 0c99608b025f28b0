/* query_int.h - what the questions of src/query/ share (private).
 *
 * The query layer reads the store's SQLite connection directly
 * (store/store_int.h): SQL lives in src/store/ and src/query/ only. */
#ifndef ND_QUERY_INT_H
#define ND_QUERY_INT_H

#include <sqlite3.h>
#include <stdatomic.h>

#include "newsdesk/query.h"
#include "store/store_int.h"

/* A new result of `size` bytes (zeroed; its first member an nd_result)
 * in a new arena.  NULL with err set when out of memory. */
void *nd__result_new(size_t size, size_t arena_hint, nd_error *err);

/* Free fn(p) with the result (p may be NULL: nothing to do).  Returns 0
 * or ND_ENOMEM (then fn(p) has been called already). */
int nd__result_own(nd_result *r, void (*fn)(void *), void *p);

/* Copy a column's text into the arena; NULL stays NULL. */
const char *nd__col_dup(nd_arena *ar, sqlite3_stmt *st, int i);
const char *nd__str_dup(nd_arena *ar, const char *s);
/* Columns i and i + 1 as a span; {0,0} when NULL or not one. */
void nd__col_span(sqlite3_stmt *st, int i, nd_span *sp);

/* A growable array in an arena (old blocks are left to the arena). */
typedef struct nd__vec {
    void *items;
    size_t n, cap, size;
} nd__vec;
/* A zeroed new last element, or NULL when out of memory. */
void *nd__vec_push(nd_arena *ar, nd__vec *v);

/* Rows above which an actor is "very frequent": its quotations or events
 * are read in the order shown and filtered rather than gathered and
 * sorted; its co-occurring actors are counted walking the newest
 * documents (default 20000; tests lower it to see both plans). */
extern int nd__query_many;

/* Matches a search ranks at most: its newest ones (default
 * ND_QUERY_SEARCH_DOCS; tests lower it). */
extern int nd__query_search_docs;

/* Matches a search's facets count at most: its newest ones (default
 * ND_QUERY_FACET_DOCS; tests lower it). */
extern int nd__query_facet_docs;

/* Full-text matches from which quotations --about a text are found
 * walking the newest quotations rather than sorting the matches (tests
 * lower it). */
extern int nd__query_about_many;
#define ND_QUERY_ABOUT_MANY nd__query_about_many

/* Actors a name may mean whose quotations are listed actor by actor
 * (each one's first page on its speaker index, merged) rather than all
 * sorted (quotes.c; 16; tests set 0 to compare). */
extern int nd__quotes_split;
/* Actors a name may mean whose timeline is summed from their days
 * (actors.c; 16; tests set 0 to compare with the per-document count). */
extern int nd__timeline_split;

/* Options with nothing set (for a NULL opts). */
extern const nd_query_opts nd__query_none;

/* qsort's order of int64_t values, ascending. */
int nd__i64_order(const void *x, const void *y);
/* SQLite's varint at p (at most avail bytes) into *v: its length, 0 when
 * it is cut (the file format's, and FTS5's records'). */
size_t nd__varint(const unsigned char *p, size_t avail, uint64_t *v);
/* The page size: limit, else def; at most ND_QUERY_MAX_LIMIT. */
int nd__query_limit(const nd_query_opts *o, int def);

/* ND_EINVAL "what: cannot filter by NAME" for the first filter set in o
 * that the question does not read (allowed: a set of ND__F_* bits). */
enum {
    ND__F_SINCE = 1 << 0,
    ND__F_UNTIL = 1 << 1,
    ND__F_SITE = 1 << 2,
    ND__F_LANGUAGE = 1 << 3,
    ND__F_ACTOR = 1 << 4,
    ND__F_ACTOR_B = 1 << 5,
    ND__F_STORY = 1 << 6,
    ND__F_TEXT = 1 << 7,
    ND__F_CURSOR = 1 << 8,
    ND__F_DOC = 1 << 9
};
int nd__query_check(const nd_query_opts *o, unsigned allowed, const char *what, nd_error *err);

/* Date bounds as stored values compare: since as given (a day stays a
 * day, which sorts before every time of that day); until as an exclusive
 * upper bound (a day becomes the next day).  out needs 32 bytes; "" when
 * the bound is NULL.  ND_EPARSE for a date that cannot be read. */
int nd__since_bound(const char *since, char out[32], nd_error *err);
int nd__until_bound(const char *until, char out[32], nd_error *err);

/* Cursors: "<tag>~field~field...".  nd__cursor_make() returns the cursor
 * in the arena (fields NULL print as empty); nd__cursor_split() cuts
 * one into at most max fields (in buf, 256 bytes) and checks the tag;
 * returns the number of fields or ND_EINVAL with err set. */
const char *nd__cursor_make(nd_arena *ar, char tag, int n, const char *const *fields);
int nd__cursor_split(const char *cursor, char tag, char buf[256], const char **fields, int max,
                     nd_error *err);
/* A field as a whole number; ND_EINVAL when it is not one. */
int nd__cursor_int(const char *field, int64_t *out, nd_error *err);

/* Story id's row into out (strings in ar); ND_ENOTFOUND when none. */
int nd__story_get(nd_store *s, nd_arena *ar, int64_t id, nd_story_row *out, nd_error *err);
/* A story's articles per outlet (site, else host, else ""), duplicates
 * included, most first (then the first added): one grouped count read
 * from the documents_story_outlet index (schema step 7) without touching
 * a row.  The array and strings in ar. */
int nd__story_outlet_counts(nd_store *s, int64_t story, nd_arena *ar, nd_count **out, size_t *n,
                            nd_error *err);

/* ---- who a name means (who.c) ---- */
typedef struct nd__sel {
    char prefix[24]; /* a code prefix, or "" */
    int64_t *ids;    /* else these actors */
    size_t n;
} nd__sel;

/* Resolve name; country_as_code: a country's name means its code.
 * 0, ND_ENOTFOUND, ND_EINVAL or ND_EDB. */
int nd__sel_resolve(nd_store *s, const char *name, int country_as_code, nd__sel *out,
                    nd_error *err);
void nd__sel_free(nd__sel *x);
/* "IN (...)" for an actor id column. */
void nd__sel_in(nd_buf *b, const nd__sel *x);
/* A condition on an event's side: its code (prefix) or its actor id. */
void nd__sel_side(nd_buf *b, const nd__sel *x, const char *code_col, const char *id_col);
/* The events x takes part in (latest versions), each once however many
 * documents report it, and their reports; *over = nd__query_many when
 * there are more reports than that (no counts made).  cold: the store's
 * pages are not cached (the events' rows are asked for ahead). */
int nd__sel_events(nd_store *s, const nd__sel *x, int cold, uint64_t *events, uint64_t *reports,
                   uint64_t *over, nd_error *err);
/* The upper bound of a code prefix: the prefix with its last byte raised. */
void nd__prefix_hi(const char *p, char *hi, size_t cap);
/* Actors of a code prefix above which it is "large": its totals are not
 * summed actor by actor and its actor list is read in rank order
 * (default 2000; tests lower it). */
extern int nd__sel_large;
/* Rank order entries an actor page walks at most for a large prefix's
 * first actors: nd__actor_walk, or nd__actor_walk_per for each actor of
 * the prefix when more (actors.c; tests lower them). */
extern int nd__actor_walk;
extern int nd__actor_walk_per;
/* Document ids the walk for a frequent actor's co-occurring actors reads
 * a statement (actors.c; 4096; tests lower it). */
extern int nd__peer_walk_ids;
/* Whether an actor of more than nd__query_many / 2 documents (and more
 * than one actor id) has its co-occurring actors counted walking the
 * newest documents: -1 when the walk reads fewer rows than its actors'
 * own keys would (an estimate), else 0 or 1 (tests set it). */
extern int nd__peer_walk;
/* How many actors x means, counted up to nd__sel_large + 1. */
int nd__sel_count(nd_store *s, const nd__sel *x, int64_t *n, nd_error *err);
/* The sum of actor_stats.column (documents or quotes) over the actors of
 * x, which only chooses a plan: for a large prefix of whole levels
 * (nd__sel_large), whose sum reads one row per actor (12,357 for USA at
 * 200,000 documents), the prefix's documents from code_days instead
 * (each document once, one row per day). */
int nd__sel_total(nd_store *s, const nd__sel *x, const char *column, int64_t *n, nd_error *err);

/* ---- periods (periods.c) ---- */
enum { ND__BY_DAY, ND__BY_WEEK, ND__BY_MONTH, ND__BY_YEAR };
int nd__parse_period(const char *by, int *out, const char **name, nd_error *err);
/* The period a date ("YYYY-MM-DD...") falls in; "undated" when none. */
void nd__period_of(const char *date, int by, char out[32]);

/* Periods summed in date order (rows come sorted: periods do too).  */
typedef struct nd__agg {
    nd_arena *ar;
    int by;
    nd__vec out; /* of nd_period */
    nd_period *cur;
    double gsum;
    int failed;
} nd__agg;
void nd__agg_init(nd__agg *g, nd_arena *ar, int by);
/* The period of date, opened when it differs from the current one. */
nd_period *nd__agg_at(nd__agg *g, const char *date);
/* Close the last period (means of Goldstein scores). */
void nd__agg_end(nd__agg *g);

/* ---- SQL helpers ---- */
/* Prepare sql (ND_ENOMEM when the buffer failed). */
int nd__prepare(nd_store *s, nd_buf *sql, sqlite3_stmt **st, const char *what, nd_error *err);
/* As nd__prepare, a statement the connection keeps for the next time the
 * same SQL is asked (the hits' quotations and events: 20 of each per
 * search page, 1.5 of its 10 ms of CPU in preparing them).  Give it back
 * with nd__release() (reset, bindings cleared), never sqlite3_finalize. */
int nd__prepare_kept(nd_store *s, nd_buf *sql, sqlite3_stmt **st, const char *what, nd_error *err);
/* Back to the connection's keeping (finalized when not kept). */
void nd__release(nd_store *s, sqlite3_stmt *st);
/* The first column of the first row of sql as an integer (0 when none). */
int nd__query_int(nd_store *s, const char *sql, int64_t arg, int64_t *out, nd_error *err);

/* Only the latest version of each page (documents d). */
#define ND__LATEST_DOC                                                                             \
    " NOT EXISTS (SELECT 1 FROM documents v WHERE v.ident = d.ident AND v.version > d.version)"

struct nd__imap;

/* Quotations as nd_query_quotes() finds them, appended to v (of
 * nd_quote_row, in ar); *next gets the cursor when more follow.  in:
 * the ids of the actors q->actor means when the caller has them (a set;
 * borrowed), else NULL. */
int nd__query_quotes(nd_store *s, const nd_query_opts *q, const struct nd__imap *in, nd_arena *ar,
                     nd__vec *v, const char **next, nd_error *err);

/* Keywords of document doc (doc > 0) or of story `story`, best first, at
 * most limit, into ar. */
int nd__query_keywords(nd_store *s, int64_t doc, int64_t story, int limit, nd_arena *ar,
                       const nd_keyword_row **items, size_t *n, nd_error *err);

/* The actors named in documents docs[0..n), but the ids in skip (a set;
 * may be NULL), counted from doc_actors: the first limit by documents
 * (then mentions when by_mentions), then name, appended to v (of
 * nd_actor_row: documents and mentions are the counts; strings in ar). */
struct nd__imap;
int nd__doc_actors_top(nd_store *s, const int64_t *docs, size_t n, const struct nd__imap *skip,
                       int by_mentions, int limit, nd_arena *ar, nd__vec *v, nd_error *err);

/* ---- the documents' columns in memory (docs.c) ---- */
/* s's table when the file is still at its version, else NULL. */
const nd_doc_table *nd__docs_fresh(nd_store *s);
/* Questions answered from a table so far (a ranking or a facet count;
 * tests read it). */
extern atomic_int nd__docs_used;
/* Document id's length in tokens: 1 and *tokens, or 0 when the table
 * does not know it. */
int nd__docs_length(const nd_doc_table *t, int64_t id, int *tokens);
/* -1: the table does not know document id; else 1 when it counts (the
 * latest version of its page, or any with latest_only 0), 0 when not. */
int nd__docs_counted(const nd_doc_table *t, int64_t id, int latest_only);
/* The counts by site, day and language of docs (ids the table knows),
 * appended to out[0..2] (of nd_count, strings in ar).  0 or ND_ENOMEM. */
int nd__docs_facets(const nd_doc_table *t, const int64_t *docs, size_t n, nd_arena *ar,
                    nd__vec out[3]);
/* The largest actor id of the table. */
uint32_t nd__docs_max_actor(const nd_doc_table *t);
/* The actor ids of document id (one the table knows). */
size_t nd__docs_actors(const nd_doc_table *t, int64_t id, const uint32_t **actors);
/* As nd__doc_actors_top(s, docs, n, NULL, 0, limit, ...), the documents'
 * actors read from t (docs: ids t knows); the mentions are not counted. */
int nd__doc_actors_top_mem(nd_store *s, const nd_doc_table *t, const int64_t *docs, size_t n,
                           int limit, nd_arena *ar, nd__vec *v, nd_error *err);

/* ---- ranking (rank.c) ---- */
/* The best k matches by bm25(fts, 4.0, 1.0) among the newest max_rows,
 * found in C: SQL only walks the matches, newest first (nd_top(fts, ptr,
 * weights) on each), where "ORDER BY bm25(...) LIMIT k" puts every
 * match through SQLite's sorter.  The same rows and scores as
 * "ORDER BY bm25(...), rowid LIMIT k" over those matches, but for a
 * query of one phrase matching more than max_rows: its IDF is that of
 * the window ranked (max_rows matches among the ids from the first of
 * them to the table's last), not of the whole table (the same rows; the
 * scores scaled by the ratio of the two). */
typedef struct nd__top_hit {
    int64_t id;
    double score; /* bm25()'s value negated: higher is better */
} nd__top_hit;
typedef struct nd__top {
    const char *table; /* in: the FTS5 table (its %_docsize is read) */
    int k, max_rows;   /* in: how many best, among how many newest */
    nd__top_hit *hits; /* in: room for k; out: the best, best first */
    int n;
    int64_t rows, last;        /* out: the matches ranked, the smallest id of them */
    int64_t lengths;           /* out: the rows whose length was read (not pruned) */
    int more;                  /* out: 1 when more than max_rows match */
    int deferred;              /* out: one phrase, its IDF applied after the walk */
    int64_t docs;              /* out: the table's rows (when deferred) */
    int64_t ahead;             /* out: the pages asked for ahead (nd__fetch_rows) */
    int cold;                  /* out: 1 when taken as cold (pages asked for ahead) */
    struct nd__top_walk *walk; /* the matches walked (rank.c's) */
} nd__top;
/* Fill t from the matches of FTS query match: 0, ND_EPARSE-worthy
 * ND_EDB (the connection's error says which) or ND_ENOMEM. */
int nd__rank_top(nd_store *s, const char *match, nd__top *t, nd_error *err);
/* nd__rank_top asks for the pages of the walk and the lengths ahead on a
 * cold store only (nd__fetch_cold of the lengths). */

/* The name of a CAMEO event code, or "". */
const char *nd__event_name(const char *code);

/* The reader threads of relations and the actor page are for a cold
 * store: warm, their reads are the same rows' CPU again. */
/* Whether the last leaf of the table or index named (the file's pages
 * down its right-most pointers, read with pread: the walk of the newest
 * entries reads them first anyway) is in the system's page cache
 * (mincore, before it is read): 1, 0 when it is not, -1 when it cannot
 * be told.  The root
 * alone says little: an index made with the schema has its root among
 * the first pages, which the system reads ahead of the schema's. */
int nd__leaf_cached(nd_store *s, const char *index);

/* Pages of a table's B-tree asked of the system ahead of their reads
 * (posix_fadvise WILLNEED, many at once: the disk serves them together,
 * where SQLite reads one page at a time and waits for each): the file
 * open read-only, the table's root page.  A hint only: the file's pages
 * are read as they are (the WAL's newer ones not looked at), and nothing
 * read changes an answer. */
typedef struct nd__fetch {
    int fd;
    int64_t root, size, last; /* the root page, the page size, the file's pages */
    unsigned char *page;      /* a page read */
} nd__fetch;
/* Open a on s's file for the table or index named: 0, or -1 when
 * it cannot be (a in-memory store, no such table): a then asks nothing.
 * Close it with nd__fetch_close() either way. */
int nd__fetch_open(nd_store *s, const char *table, nd__fetch *a);
void nd__fetch_close(nd__fetch *a);
/* The leaves that hold the rowids ids[0..n) (ascending) asked for, the
 * interior pages above them read level by level (each level asked for at
 * once); nothing asked when the middle one of three or more leaves is in
 * the page cache already (a warm store).  The leaves asked for (at most
 * 4,096). */
int nd__fetch_rows(nd__fetch *a, const int64_t *ids, size_t n);
/* The same for an index (a opened on it, or a WITHOUT ROWID table) whose
 * keys begin with a text or blob (memcmp, then the length: BINARY), or
 * with an integer then a text or blob (has_num), or with an integer
 * (has_num, text NULL: every key that begins with it): the leaves that
 * hold the keys beginning with keys[0..n) (sorted so). */
typedef struct nd__fetch_key {
    int has_num;
    int64_t num;
    const char *text;
    size_t len;
} nd__fetch_key;
int nd__fetch_keys(nd__fetch *a, const nd__fetch_key *keys, size_t n);
/* The order nd__fetch_keys wants its keys in (a qsort comparator of
 * nd__fetch_key): the integer, then the text as BINARY orders it. */
int nd__fetch_key_order(const void *x, const void *y);
/* Whether the table's last leaf or the leaf 50,000 rows before its last
 * row, or a page above them, is not in the page cache (asked before each
 * is read: RWF_NOWAIT): 1, or 0 (cached, or it cannot be told).  A walk
 * of the newest rows reads them. */
int nd__fetch_cold(nd__fetch *a);
/* For the tests: called with each page nd__fetch_rows reads or asks for;
 * nd__fetch_always set, a store is taken as cold (nd__fetch_cold 1, the
 * leaves asked for even when cached). */
extern void (*nd__fetch_seen)(int64_t page);
extern int nd__fetch_always;

/* The connection of a reader thread (relations, the actor page): on the
 * file at path, read-only, checkpointing nothing when closed, its
 * statements interrupted once *stop is set.  NULL when it cannot open. */
sqlite3 *nd__ahead_open(const char *path, atomic_int *stop);

/* relations' reader thread (events.c), for the tests: mode 1 starts it
 * on a warm store too, 2 also lets each of its jobs run to its end; what
 * its last run read: index entries walked, event rows read, pages. */
extern int nd__relations_ahead_mode;
extern int64_t nd__relations_ahead[3];

/* The actor page's reader of the peers' walk (actors.c), for the tests:
 * mode 1 starts it on a warm store too, 2 also lets it run to its end;
 * the documents mentioning x its last run walked. */
extern int nd__peers_ahead_mode;
extern int64_t nd__peers_ahead_docs;

#endif
