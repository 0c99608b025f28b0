/*
 * newsdesk/cluster.h - duplicates, near-duplicates and online story
 * clustering.
 *
 * Two parts, usable on their own:
 *
 *   nd_dup_*      content hashes and MinHash sketches of article text, and a
 *                 bounded LSH index that finds an earlier exact or near
 *                 duplicate (the same wire copy with other furniture and
 *                 light edits) in sub-linear time.
 *   nd_cluster_*  the story engine: each document added joins the best
 *                 active story or starts a new one.  It keeps bounded state
 *                 (the active window), re-examines its recent decisions so
 *                 that arrival order matters little, and reports every
 *                 change the caller must persist (doc -> story, dup_of).
 *
 * The engine knows nothing about storage: the store feeds it documents and
 * writes back what it answers.  See docs/cluster.md for the features, the
 * thresholds and the measurements behind them, and for how a store wires it
 * in (ingest, restart, recluster).
 *
 * Threading: an engine is single-threaded (it owns a Snowball stemmer,
 * which is not thread-safe); use one engine per thread.  Engines share
 * nothing, so several may run in parallel.
 */
#ifndef NEWSDESK_CLUSTER_H
#define NEWSDESK_CLUSTER_H

#include "newsdesk/base.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ND_TIME_NONE
#define ND_TIME_NONE INT64_MIN /* "no time given" (same as newsdesk/extract.h) */
#endif

/* ---- near-duplicates --------------------------------------------------- */

/* Slots of a MinHash sketch (one-permutation hashing with densification)
 * and the LSH banding used to look sketches up: ND_DUP_BANDS bands of
 * ND_DUP_ROWS slots. */
#define ND_DUP_SLOTS 128
#define ND_DUP_ROWS  4
#define ND_DUP_BANDS (ND_DUP_SLOTS / ND_DUP_ROWS)

/* The fingerprint of one article body. */
typedef struct nd_dup_sketch {
    uint64_t content_hash;     /* hash of the normalised word stream */
    uint32_t n_words;          /* words and numbers in the body */
    uint32_t n_shingles;       /* word 4-gram shingles; 0: no sketch */
    uint32_t mh[ND_DUP_SLOTS]; /* MinHash slots (valid when n_shingles) */
} nd_dup_sketch;

/* Sketch a text (title may be NULL).  The content hash and the shingles
 * come from the words and numbers of text, lowercased, punctuation and
 * layout ignored; when text has fewer than ND_DUP_MIN_WORDS words the title
 * is hashed in too, so that short items are only exact duplicates of the
 * same short item.  Never fails; garbage gives a sketch of garbage. */
#define ND_DUP_MIN_WORDS 12
ND_EXPORT void nd_dup_sketch_text(const char *title, size_t title_len, const char *text,
                                  size_t text_len, nd_dup_sketch *out);

/* Estimated Jaccard similarity of the two shingle sets (0..1); 0 when
 * either has no sketch. */
ND_EXPORT double nd_dup_jaccard(const nd_dup_sketch *a, const nd_dup_sketch *b);

/* An index of the sketches of the last `window` documents (older ones are
 * forgotten in halves: memory stays bounded).  Caller owns; free with
 * nd_dup_index_free().  NULL on allocation failure. */
typedef struct nd_dup_index nd_dup_index;
ND_EXPORT nd_dup_index *nd_dup_index_new(size_t window);
ND_EXPORT void nd_dup_index_free(nd_dup_index *x);

enum { ND_DUP_NONE = 0, ND_DUP_EXACT = 1, ND_DUP_NEAR = 2 };

/* Find the earliest indexed document that sk duplicates: same content hash
 * (ND_DUP_EXACT), or estimated Jaccard >= min_jaccard (ND_DUP_NEAR, the
 * best match; ties go to the earliest).  Returns the kind and sets *id and
 * *jaccard (1.0 for exact); ND_DUP_NONE when there is none. */
ND_EXPORT int nd_dup_index_find(const nd_dup_index *x, const nd_dup_sketch *sk, double min_jaccard,
                                int64_t *id, double *jaccard);

/* Index a document's sketch under id.  0 or ND_ENOMEM. */
ND_EXPORT int nd_dup_index_add(nd_dup_index *x, int64_t id, const nd_dup_sketch *sk);

/* ---- the story engine ---------------------------------------------------- */

typedef struct nd_cluster nd_cluster;

/* Tunables.  Initialise with nd_cluster_params_default() and change what
 * you need; docs/cluster.md gives the measurements behind the defaults. */
typedef struct nd_cluster_params {
    /* Story assignment: average-link clustering of the recent documents on
     * two similarities (docs/cluster.md): the cosine of TF-IDF vectors
     * (first order) and the overlap of nearest-neighbour profiles (second
     * order, "shared neighbours").  A document or group joins another when
     * both averages reach their thresholds. */
    double join;         /* average first-order similarity (0..1) ... */
    double background;   /* ... plus this times the background similarity of the
                            window (the mean cosine of unrelated pairs: high when
                            the corpus is tiny or about one subject only) */
    double shared;       /* average second-order similarity (0..1) */
    double join_old;     /* average first-order similarity to the settled part of a
                            story (its documents that left the recent window) */
    double clash;        /* negative evidence: the similarity of two documents is
                            multiplied by this for each attribute of their event
                            (the place, an earthquake's magnitude, the day named
                            in the lead) they report differently (1: off) */
    uint32_t neighbours; /* nearest recent documents kept per document (1..32) */
    uint32_t profile;    /* the nearest `profile` of them form its neighbour profile */
    /* Time.  Story and document times are publication times when given. */
    int64_t window_seconds; /* documents published further apart than this are not
                               linked, and a story is dormant for documents published
                               this long after its last (or before its first) one */
    double revive;          /* ... unless their similarity reaches this (0: never) */
    double burst;           /* reports of one event come out together: a document's
                               neighbours published at most burst_seconds from it
                               rank as if this many times more similar (the order
                               of its neighbours only; 1: off) */
    int64_t burst_seconds;  /* (both dated) */
    int64_t keep_seconds;   /* dormant stories stay in memory (revivable) this long
                               after their last document, measured against the low
                               watermark of recent publication times */
    uint32_t window_docs;   /* stories not touched by the last window_docs documents
                               leave memory (the active window; undated documents
                               only have this one); also the duplicate window */
    /* Re-examination (arrival-order robustness). */
    uint32_t recent;      /* the recent window: documents whose story may still
                             change (>= 16) */
    uint32_t sweep_every; /* re-cluster the recent window every N additions */
    /* Near-duplicates. */
    double dup_jaccard; /* estimated Jaccard for a near-duplicate (0: exact only) */
    /* Statistics and features. */
    unsigned df_bits;      /* log2 of the document-frequency table size (10..28) */
    double prior_docs;     /* weight of the word-rarity prior (wordfreq), in documents:
                              idf = ln((N + prior_docs + 1) / (df + prior_docs x p + 1)) + 1
                              where p is the chance that an article has the word; it
                              fades as the engine sees documents (0: statistics of the
                              documents alone) */
    uint32_t df_half_life; /* DF counts halve each time this many documents pass */
    uint32_t max_features; /* strongest features kept per document vector */
    uint32_t max_centroid; /* strongest features kept per story centroid */
    uint32_t candidates;   /* documents / stories scored exactly per lookup */
    /* Feature weights by kind (multiplied into TF-IDF); 0 drops a kind. */
    double w_word, w_title, w_entity, w_phrase, w_number, w_year, w_date;
    double lead_boost;   /* occurrences in the title and the lead weigh up to
                            1 + lead_boost ... */
    uint32_t lead_words; /* ... falling to 1 over the first lead_words words */
} nd_cluster_params;

/* Fill p with the defaults. */
ND_EXPORT void nd_cluster_params_default(nd_cluster_params *p);

/* One document.  All pointers are borrowed for the duration of the call. */
typedef struct nd_cluster_doc {
    int64_t id;        /* the caller's document id (e.g. the store's rowid); unique, != 0 */
    const char *title; /* UTF-8, may be NULL */
    size_t title_len;
    const char *text; /* UTF-8 body, may be NULL */
    size_t text_len;
    int64_t published; /* epoch seconds, or ND_TIME_NONE */
} nd_cluster_doc;

/* A change to an earlier assignment that the caller must persist.
 * MOVE: document `doc` moved from story `from` to story `to` (duplicates
 *       that follow their original get their own MOVE).
 * MERGE: every document still recorded under story `from` now belongs to
 *        story `to` (`doc` is 0); story `from` no longer exists.  Emitted
 *        when the recent documents of a story with settled documents all
 *        went to another story that fits its settled part. */
enum { ND_CLUSTER_MOVE = 1, ND_CLUSTER_MERGE = 2 };
typedef struct nd_cluster_change {
    int kind;
    int64_t doc;
    int64_t from;
    int64_t to;
} nd_cluster_change;

/* What nd_cluster_add() decided.  `changes` is borrowed: valid until the
 * next call on the engine.  Record the document under `story`, then apply
 * the changes in order; they never name the document just added.  Story
 * ids are the engine's (1, 2, ...), stable: a story keeps its id while it
 * lives, ids are never reused, and the saved state carries them. */
typedef struct nd_cluster_result {
    int64_t story;     /* the story the document belongs to now (id > 0) */
    int new_story;     /* 1 when the document started it */
    int dup;           /* ND_DUP_NONE, ND_DUP_EXACT or ND_DUP_NEAR */
    int64_t dup_of;    /* the earlier original it duplicates, or 0 */
    double similarity; /* average cosine to the story's recent (or settled)
                          documents, or the estimated Jaccard for a
                          near-duplicate; 0 for a new story */
    const nd_cluster_change *changes;
    size_t n_changes;
} nd_cluster_result;

/* A new engine (copies the parameters; NULL means the defaults).  Caller
 * owns; free with nd_cluster_free().  NULL on allocation failure or when
 * the Snowball stemmer is unavailable (err says which). */
ND_EXPORT nd_cluster *nd_cluster_new(const nd_cluster_params *p, nd_error *err);
ND_EXPORT void nd_cluster_free(nd_cluster *c);

/* Add one document.  An exact or near duplicate of an original still in
 * the duplicate window joins its original's story (dup_of set) and follows
 * it from then on.  Any other document gets a story now - the best one its
 * nearest recent neighbours belong to, or a settled story, or a new one -
 * and may be moved later: every sweep_every additions (first thing in the
 * call, so out->changes never names the new document) the recent window
 * is clustered again from scratch.  Returns 0, ND_EINVAL (doc NULL, id 0,
 * or an id still in the recent window) or ND_ENOMEM (the engine stays
 * usable; the document may be missing from it). */
ND_EXPORT int nd_cluster_add(nd_cluster *c, const nd_cluster_doc *doc, nd_cluster_result *out);

/* ---- features computed apart from the engine ------------------------------- */

/* Most of the cost of nd_cluster_add() is reading the document (tokens,
 * stems, features, the duplicate sketch), which needs no engine state: an
 * nd_cluster_fx does it on any thread (one per thread: it owns a Snowball
 * stemmer), and nd_cluster_add_prepared() then decides exactly as
 * nd_cluster_add() would with the same document. */
typedef struct nd_cluster_fx nd_cluster_fx;
typedef struct nd_cluster_prep nd_cluster_prep;

/* A feature reader for engines with parameters p (NULL: the defaults).
 * Caller owns; free with nd_cluster_fx_free().  NULL with err set when out
 * of memory or the stemmer is unavailable. */
ND_EXPORT nd_cluster_fx *nd_cluster_fx_new(const nd_cluster_params *p, nd_error *err);
ND_EXPORT void nd_cluster_fx_free(nd_cluster_fx *fx);

/* Read doc (title, text, published; id is not used) into *out.  Caller
 * owns *out; free with nd_cluster_prep_free().  0 or ND_ENOMEM. */
ND_EXPORT int nd_cluster_prepare(nd_cluster_fx *fx, const nd_cluster_doc *doc,
                                 nd_cluster_prep **out);
ND_EXPORT void nd_cluster_prep_free(nd_cluster_prep *p);

/* nd_cluster_add() of the document doc->id published at doc->published
 * whose features prep holds (borrowed; doc's title and text are not read).
 * ND_EINVAL also when prep was made with other parameters than c's. */
ND_EXPORT int nd_cluster_add_prepared(nd_cluster *c, const nd_cluster_doc *doc,
                                      const nd_cluster_prep *prep, nd_cluster_result *out);

/* Cluster the recent window again now, after recomputing every recent
 * vector with today's statistics and every neighbour list in canonical
 * order (publication time, then id): when the window holds all the
 * documents, the result no longer depends on the order they came in.
 * Call at the end of an ingest batch and of a recluster.  out->story and
 * the dup fields are 0; the changes are as for nd_cluster_add().  Returns
 * 0 or ND_ENOMEM. */
ND_EXPORT int nd_cluster_flush(nd_cluster *c, nd_cluster_result *out);

/* How many threads nd_cluster_flush() may compute on, the caller's
 * included (1, the default: none started).  Its recomputation of the
 * recent window (each vector, each document's candidate neighbours and
 * their similarities) is shared among them; the result is the same bytes
 * whatever n.  Not saved with the state. */
ND_EXPORT void nd_cluster_set_threads(nd_cluster *c, int n);

/* Rebuild state after a restart without the exported state: feed back the
 * most recent documents (oldest first; at least `recent` of them, ideally
 * the last window_docs) with the story and dup_of the store recorded
 * (dup_of 0 for an original).  Each updates the statistics, the indexes
 * and its story, exactly as the store has it; documents that pass out of
 * the recent window settle into their story's centroid.  Restored recent
 * documents take part in later re-clustering like any other, so a later
 * add or flush may move them (reported as changes).  Returns 0, ND_EINVAL
 * (story <= 0, or as for nd_cluster_add) or ND_ENOMEM. */
ND_EXPORT int nd_cluster_restore(nd_cluster *c, const nd_cluster_doc *doc, int64_t story,
                                 int64_t dup_of);

/* New stories get ids >= next (call after nd_cluster_restore() with the
 * store's largest story id + 1, so that ids are never reused). */
ND_EXPORT void nd_cluster_reserve_ids(nd_cluster *c, int64_t next);

/* Serialise the whole engine state (parameters, statistics, active
 * stories, recent documents, indexes, duplicate window) into out
 * (appended; a versioned little-endian binary format, about 10-20 KB per
 * recent document plus the stories and the duplicate window).  An engine
 * imported from it behaves exactly like this one.  Returns 0 or
 * ND_ENOMEM. */
ND_EXPORT int nd_cluster_export(const nd_cluster *c, nd_buf *out);

/* ---- the state in pieces -------------------------------------------------- */

/* The same state as nd_cluster_export(), cut into items (kind, key) ->
 * bytes that change separately: the counters and clock (a few KB), one item
 * per story, per recent document, per block of the statistics, of the
 * inverted indexes and of the duplicate window.  A store keeps the state
 * current by writing only the items that changed since its last save, and
 * builds the engine back from all of them: an engine loaded from the items
 * decides exactly as the saved one. */
typedef struct nd_cluster_sink {
    void *ctx;
    /* Store item (kind, key), replacing what was under it (data is borrowed
     * for the call).  A nonzero return stops the save and is returned. */
    int (*put)(void *ctx, uint32_t kind, uint64_t key, const void *data, size_t len);
    /* Item (kind, key) is gone. */
    int (*del)(void *ctx, uint32_t kind, uint64_t key);
} nd_cluster_sink;

/* Hand sink the items that changed since c was loaded or last saved, and
 * the keys of those that are gone; with all, every item (for a sink that
 * holds none).  *bytes (may be NULL) gets the bytes handed over.  Returns
 * 0, ND_ENOMEM or the sink's code; after a failure, or when what the sink
 * stored is lost (a transaction rolled back), save with all. */
ND_EXPORT int nd_cluster_save(nd_cluster *c, int all, const nd_cluster_sink *sink, size_t *bytes);

/* An engine built from the items of the saves (for each kind and key the
 * last one put and not deleted), which next hands over in ascending order
 * of kind, then key: it returns 1 and an item (borrowed until the next
 * call), 0 at the end, or a negative code, which is returned.
 *
 * Items of kind ND_CLUSTER_LAZY_KIND or more (story centroids, the recent
 * documents' raw features, the duplicate window's sketches, the blocks of
 * the inverted indexes: most of the bytes, few of them needed by a small
 * ingest) may be left out of next's stream when fetch is given: the engine
 * then asks fetch for each when it first needs it (1... as next, but for
 * that one kind and key; 0 when it is missing), as long as it lives, and
 * the items must not change while it does except by its own saves.  With
 * fetch, it may also ask for a recent document's item of the stream again
 * (its vector is read when first needed).  A fetch that fails makes the engine
 * report ND_ENOMEM.  Caller owns the engine; free with nd_cluster_free().
 * NULL with err set (ND_EFORMAT: items missing, corrupt or of another
 * format; ND_ENOMEM). */
#define ND_CLUSTER_LAZY_KIND 16

/* Read every item an engine from nd_cluster_load() has not read yet (before
 * its items are replaced whole).  0, or ND_ENOMEM when one cannot be read. */
ND_EXPORT int nd_cluster_load_all(nd_cluster *c);
ND_EXPORT nd_cluster *nd_cluster_load(int (*next)(void *ctx, uint32_t *kind, uint64_t *key,
                                                  const void **data, size_t *len),
                                      int (*fetch)(void *ctx, uint32_t kind, uint64_t key,
                                                   const void **data, size_t *len),
                                      void *ctx, nd_error *err);

/* An engine restored from nd_cluster_export() output.  Caller owns; free
 * with nd_cluster_free().  NULL with err set (ND_EFORMAT for a bad or
 * foreign blob, ND_ENOMEM). */
ND_EXPORT nd_cluster *nd_cluster_import(const void *data, size_t len, nd_error *err);

/* Counters and sizes. */
typedef struct nd_cluster_stats {
    uint64_t docs; /* documents added (incl. duplicates and restored) */
    uint64_t dups_exact, dups_near;
    uint64_t stories_created;
    uint64_t stories_active; /* in memory now */
    uint64_t moves, merges;  /* changes made by re-clustering */
    uint64_t reclusters;     /* re-clusterings of the recent window */
    uint64_t recent;         /* documents in the recent window */
    size_t bytes;            /* heap bytes held by the engine */
} nd_cluster_stats;
ND_EXPORT void nd_cluster_get_stats(const nd_cluster *c, nd_cluster_stats *s);

#ifdef __cplusplus
}
#endif
#endif
