/*
 * newsdesk/ingest.h - inputs of any shape into the store, in parallel.
 *
 * The pipeline: reader threads (one per input at a time, at most N) read
 * (newsdesk/read.h) and queue raw pages; N worker threads hash each page,
 * skip those the store has seen, and extract the rest (newsdesk/extract.h);
 * one writer thread stores the articles (newsdesk/store.h) in batched
 * transactions.  Pages of different inputs interleave.  Queues are bounded
 * (by pages and by bytes), so memory does not grow with the corpus.  A
 * page that fails is an error of that input, reported and recorded, and
 * the ingest goes on.
 */
#ifndef NEWSDESK_INGEST_H
#define NEWSDESK_INGEST_H

#include <signal.h>

#include "newsdesk/analyze.h"
#include "newsdesk/base.h"
#include "newsdesk/extract.h"
#include "newsdesk/read.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Counts so far (in progress callbacks) or at the end. */
typedef struct nd_ingest_stats {
    int64_t run_id;         /* the run in the store's ingest_runs */
    uint64_t inputs;        /* files opened */
    uint64_t total_inputs;  /* files found in the inputs (folders walked) */
    uint64_t pages;         /* pages read */
    uint64_t added;         /* documents added: new pages */
    uint64_t versions;      /* documents added: new versions of stored pages */
    uint64_t related;       /* documents added from embedded related articles */
    uint64_t duplicates;    /* pages that added nothing (stored before) */
    uint64_t skipped;       /* records that are not pages (counted, not errors) */
    uint64_t skipped_files; /* ... of them files passed over for their name (README, .css) */
    uint64_t errors;        /* inputs that failed */
    uint64_t bytes;         /* input bytes read so far */
    uint64_t total_bytes;   /* size of all inputs when known, else 0 */
    double seconds;         /* since the start */
    uint64_t links_skipped; /* symbolic links in folders not followed (reader.follow_symlinks
                               off) or dangling */
    /* At the end: the run paid for a rewrite of the full-text indexes
     * (nd_store_optimize_due; 1 done, -1 failed: a warning), its seconds
     * (not in `seconds`). */
    int optimized;
    double optimize_seconds;
    /* At the end: where the run's CPU went, in seconds of each thread's
     * own clock - the extraction and analysis workers together, the
     * writer, the input readers, the checkpoint thread (0: none ran),
     * and the calling thread's part (the store opened and the analysis
     * dictionaries loaded, progress, the frequencies' presave and save,
     * the rewrite, the close and its last checkpoint). */
    double cpu_workers, cpu_writer, cpu_readers, cpu_checkpoints, cpu_caller;
} nd_ingest_stats;

/* One failed input. Borrowed for the callback. */
typedef struct nd_ingest_error {
    const char *source;  /* file, or NULL when the reader did not say */
    int64_t offset;      /* WARC record offset or -1 */
    int64_t line;        /* JSONL line or -1 */
    int code;            /* ND_E*, or 0 for a warning (the page is stored all the same) */
    const char *message; /* the whole line: "SOURCE[@OFFSET|:LINE]: reason" */
} nd_ingest_error;

typedef struct nd_ingest_opts {
    int threads;       /* extraction workers; 0: the number of cores */
    int64_t fetched;   /* fetch time for pages that do not carry one, or ND_TIME_NONE */
    size_t batch_docs; /* documents per transaction; 0: 200 */
    int batch_ms;      /* longest a transaction stays open; 0: 2000 */
    /* A live input gone quiet (every page read so far stored and
     * committed, and nothing new for idle_ms) ends a run for the stories
     * while the run goes on: the recent documents re-examined as at a
     * run's end (nd_store_cluster_pause).  0: 5000; negative: never. */
    int idle_ms;
    size_t queue_bytes; /* raw bytes waiting for extraction at most; 0: 64 MiB */
    nd_reader_opts reader;
    /* Called for each failed input, from any thread but never two at once. */
    void (*on_error)(void *ctx, const nd_ingest_error *e);
    /* Called from the calling thread about every progress_ms (0: 250)
     * while the inputs are read. */
    void (*on_progress)(void *ctx, const nd_ingest_stats *st);
    int progress_ms;
    void *ctx;
    /* When not NULL and set nonzero (e.g. by a signal handler), reading
     * stops; what was read is stored and the run finishes normally. */
    volatile sig_atomic_t *stop;
    /* The workers analyse each article and each embedded article that
     * becomes a document (newsdesk/analyze.h: actors, quotations, events)
     * and the writer stores the analysis with it, unless no_analysis.
     * dict: the dictionaries (NULL: nd_analyze_dict_default()), shared
     * read-only by the workers. */
    int no_analysis;
    const nd_analyze_dict *dict;
    /* A run that added many documents rewrites the store's full-text
     * indexes whole at its end when nd_store_optimize_due() says so
     * (newsdesk/store.h), unless no_optimize or the run was stopped. */
    int no_optimize;
} nd_ingest_opts;

ND_EXPORT void nd_ingest_opts_init(nd_ingest_opts *o);

/* Ingest the inputs (files, folders, "-") into the store at db_path
 * (created when missing).  Returns 0 when the run completed, whatever
 * the inputs' errors (see st->errors), or a negative code when it could
 * not go on (the store could not be opened or written), with err filled.
 * st (may be NULL) gets the final counts. */
ND_EXPORT int nd_ingest(const char *db_path, const char *const *inputs, size_t n_inputs,
                        const nd_ingest_opts *opts, nd_ingest_stats *st, nd_error *err);

/* Analyse the documents of the store at db_path that have no stored
 * analysis (stored before schema 4, or by an ingest with no_analysis), or
 * without keywords (schema 7: those are then found, scored against the
 * store),
 * with all every document (after a dictionary change), on `threads`
 * threads (0: the number of cores), in batched transactions.  Returns 0
 * with *done (may be NULL) the number analysed, or a negative code with
 * err filled. */
typedef struct nd_reanalyze_opts {
    int threads;
    int all;
    const nd_analyze_dict *dict; /* NULL: nd_analyze_dict_default() */
    /* Called after each batch from the calling thread. */
    void (*on_progress)(void *ctx, uint64_t done, uint64_t total);
    void *ctx;
    volatile sig_atomic_t *stop; /* set nonzero: stop after the current batch */
} nd_reanalyze_opts;

ND_EXPORT void nd_reanalyze_opts_init(nd_reanalyze_opts *o);
ND_EXPORT int nd_reanalyze(const char *db_path, const nd_reanalyze_opts *opts, uint64_t *done,
                           nd_error *err);

/* The raw hash the store keys seen pages by: the page bytes with its URL,
 * external id and hints, so that the same page under another id is not
 * taken for a copy. */
ND_EXPORT uint64_t nd_ingest_raw_hash(const nd_doc *doc);

/* The document's say over o's: its file as source when o names none, its
 * URL, fetch time, charset and kind when it has them. */
ND_EXPORT void nd_doc_extract_opts(const nd_doc *d, nd_extract_opts *o);

/* One document of a reader (a page, a WARC record, a JSON line) into an
 * article, as ingest reads it: the record's URL, fetch time, charset and
 * kind over base's (base may be NULL: defaults; base->source NULL: the
 * document's file).  A JSON line whose "text" holds no article by the
 * extractor's reading becomes the article as given (its non-empty lines
 * the paragraphs).  The feed's title and published hints are not applied
 * to the article (the store keeps them beside it).  Returns nd_extract()'s
 * codes; with base->keep_empty *out may hold an article on ND_ENOTEXT. */
ND_EXPORT int nd_extract_doc(const nd_doc *d, const nd_extract_opts *base, nd_article **out,
                             nd_error *err);

/* Where a document is, as errors name it: "PATH@OFFSET" for a WARC record,
 * "PATH:LINE" for a JSON line, "PATH" for a page. */
ND_EXPORT void nd_doc_where(const nd_doc *d, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
