/*
 * newsdesk/read.h - inputs of any shape -> a stream of raw documents.
 *
 * A reader walks what the user gave (files, folders recursively, "-" for
 * stdin), sniffs each file's format (WARC / WARC.gz, JSON lines, a single
 * HTML or text page, maybe gzip-compressed) and yields one nd_doc per page
 * with its origin.  It streams: a crawl is never loaded whole; one record
 * at a time is, up to a limit.  A damaged record or line is reported as an
 * error naming the file and its byte offset or line number, and reading
 * goes on with the next one.
 */
#ifndef NEWSDESK_READ_H
#define NEWSDESK_READ_H

#include "newsdesk/base.h"
#include "newsdesk/decode.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nd_format {
    ND_FMT_UNKNOWN = 0,
    ND_FMT_PAGE, /* one HTML or text page per file (maybe .gz) */
    ND_FMT_WARC, /* WARC 1.0/1.1, plain or gzip (per record or whole file) */
    ND_FMT_JSONL /* one JSON object per line */
} nd_format;

/* One raw document.  All pointers are borrowed: valid until the next
 * nd_reader_next() or nd_reader_free().  Absent fields are NULL (or
 * ND_TIME_NONE for times). */
typedef struct nd_doc {
    const char *source; /* the file it came from ("-" for stdin) */
    nd_format format;
    uint64_t offset;       /* WARC: where the record starts: when it starts a gzip member
                              (one member per record, as crawlers write .warc.gz), the
                              offset of that member in the compressed file (what CDX
                              indexes give); otherwise (plain .warc, or a whole-file
                              gzip) its offset in the uncompressed stream.
                              JSONL: line number (1-based); page: 0 */
    const char *ext_id;    /* JSONL "id" (as a string), else NULL */
    const char *url;       /* WARC-Target-URI, JSONL "url" */
    int64_t fetched;       /* WARC-Date, JSONL "fetched", else ND_TIME_NONE */
    const char *charset;   /* from the HTTP Content-Type header, if any */
    nd_kind kind;          /* ND_KIND_HTML / ND_KIND_TEXT when known, else UNKNOWN */
    const char *title;     /* JSONL hints, may be NULL */
    const char *published; /* JSONL "published" as given */
    const char *data;      /* the page bytes (transfer/content encodings undone) */
    size_t len;
    const char *warning; /* NULL, or one line about a doubt the document is read
                            with ("PATH:LINE: duplicate key \"title\" (the last value
                            is used)"); the document is good */
} nd_doc;

typedef struct nd_reader_opts {
    size_t max_record;   /* largest WARC record or JSON line accepted, largest page
                            given whole (a longer page file is given as its first
                            max_record + 1 bytes: the extractor cuts it with a
                            warning, as `newsdesk extract` does); 0: ND_DECODE_MAX_BYTES */
    int follow_symlinks; /* when walking folders */
} nd_reader_opts;

/* Counts kept while reading (for the ingest summary). */
typedef struct nd_reader_stats {
    uint64_t files;         /* files opened */
    uint64_t docs;          /* documents yielded */
    uint64_t skipped;       /* records not pages (request, warcinfo, metadata, revisit,
                               non-HTML responses), counted, not errors */
    uint64_t errors;        /* errors reported */
    uint64_t bytes;         /* bytes read from the files (compressed size) */
    uint64_t total_bytes;   /* sum of the sizes of all files found, when known */
    uint64_t records;       /* WARC response and resource records met (pages or not) */
    uint64_t total_files;   /* inputs found by nd_reader_new() (files and "-") */
    uint64_t skipped_files; /* files in folders passed over for their name (README, .css,
                               images, .json: not pages); also counted in skipped */
    uint64_t links_skipped; /* symbolic links in folders not followed (follow_symlinks
                               off) or dangling, found by nd_reader_new()'s walk */
} nd_reader_stats;

typedef struct nd_reader nd_reader;

/* A reader over paths (files, folders, "-").  Caller owns; free with
 * nd_reader_free().  Folders are walked recursively in sorted order, hidden
 * entries skipped.  Returns NULL only when out of memory. */
ND_EXPORT nd_reader *nd_reader_new(const char *const *paths, size_t n_paths,
                                   const nd_reader_opts *opts);

/* The next document.  Returns 1 with *doc filled, 0 at the end, or a
 * negative code with err describing one failed input ("PATH: reason" or
 * "PATH@OFFSET: reason", "PATH:LINE: reason"); after an error, call again
 * to go on with the rest. */
ND_EXPORT int nd_reader_next(nd_reader *r, nd_doc *doc, nd_error *err);

ND_EXPORT const nd_reader_stats *nd_reader_get_stats(const nd_reader *r);
ND_EXPORT void nd_reader_free(nd_reader *r);

/* Sniff a file's format from its first bytes (after gunzip when gzip). */
ND_EXPORT nd_format nd_sniff_format(const char *head, size_t len);

/* The format the reader gives an input called name whose first bytes are
 * head (len of them; maybe gzip): the bytes first, then the name for a
 * .warc or .jsonl / .ndjson (maybe .gz) that does not start like one. */
ND_EXPORT nd_format nd_input_format(const char *name, const char *head, size_t len);

/* A reader over one in-memory input called name (its extension counts as
 * for a file given by name; "-" for what was read from stdin).  data is
 * borrowed and must outlive the reader.  Caller owns; free with
 * nd_reader_free(). */
ND_EXPORT nd_reader *nd_reader_new_mem(const char *name, const void *data, size_t len,
                                       const nd_reader_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
