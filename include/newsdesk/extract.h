/*
 * newsdesk/extract.h - one page (HTML or flattened text) -> one article.
 *
 * The page is decoded (newsdesk/decode.h), turned into an ordered list of
 * blocks by the HTML or the text front, and the blocks are classified:
 * title, byline, dateline, body, boilerplate, teaser list, embedded related
 * article.  The result is an nd_article: title, body paragraphs, authors,
 * published time, site, wire credit, language and related items.
 */
#ifndef NEWSDESK_EXTRACT_H
#define NEWSDESK_EXTRACT_H

#include <time.h>

#include "newsdesk/base.h"
#include "newsdesk/decode.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "No time given" for nd_extract_opts.fetched. */
#define ND_TIME_NONE INT64_MIN

/* A related item: a teaser (title, maybe url/summary) or a whole embedded
 * article from another outlet (title, site, age, text).  Absent fields are
 * NULL. */
typedef struct nd_related {
    const char *title;
    const char *site;
    const char *url;
    const char *published; /* ISO 8601, resolved from age when fetched is known */
    const char *age;       /* as shown: "2 hours ago" */
    const char *text;      /* summary or full text, paragraphs joined by "\n\n" */
} nd_related;

/* A reader comment under the article (never part of its text).  Absent
 * fields are NULL. */
typedef struct nd_comment {
    const char *author;
    const char *published; /* ISO 8601 as shown (with the page's offset when known) */
    const char *text;      /* paragraphs joined by "\n\n" */
} nd_comment;

/* The article.  Every string and array lives in the article's arena:
 * borrowed, valid until nd_article_free(). */
typedef struct nd_article {
    const char *source; /* input path or "-" */
    const char *url;
    const char *title;  /* the headline, without site name or kicker */
    const char *kicker; /* the label over the headline ("Analysis", "Klimaschutz"), or NULL */
    const char **authors;
    size_t n_authors;
    const char *published; /* ISO 8601, in the page's own zone when it gives one, or NULL */
    int64_t published_ts;  /* seconds since the epoch, or ND_TIME_NONE */
    const char *modified;  /* last update, ISO 8601 as published, or NULL */
    const char *site;
    const char *credit;   /* wire agency credited, e.g. "Reuters" */
    const char *language; /* ISO 639-1, or NULL when unknown */
    const char *text;     /* paragraphs joined by "\n\n" */
    size_t text_len;
    const char **paragraphs;
    size_t n_paragraphs;
    nd_related *related;
    size_t n_related;
    nd_comment *comments; /* reader comments, kept out of text */
    size_t n_comments;
    const char **warnings;
    size_t n_warnings;
    const char *charset; /* the source encoding */
    int is_html;
    nd_arena *arena; /* owns everything above */
} nd_article;

/* Furniture seen across the pages of one batch (lines or blocks that recur
 * on several pages of a site).  Built with nd_furniture_add() over all
 * pages first, then passed to nd_extract() for each.  Optional. */
typedef struct nd_furniture nd_furniture;

typedef struct nd_extract_opts {
    const char *source;            /* name for messages and the "source" field; copied */
    const char *url;               /* the page's URL when known; copied */
    int64_t fetched;               /* fetch time (epoch seconds) or ND_TIME_NONE */
    const char *charset_hint;      /* e.g. from HTTP headers */
    nd_kind kind;                  /* ND_KIND_UNKNOWN: sniff */
    size_t max_bytes;              /* 0: ND_DECODE_MAX_BYTES */
    const nd_furniture *furniture; /* may be NULL */
    int keep_empty; /* with ND_ENOTEXT, still give the article (metadata, no text) in *out */
} nd_extract_opts;

/* Initialise an options struct with the defaults. */
ND_EXPORT void nd_extract_opts_init(nd_extract_opts *o);

/* Extract the article from one page of len bytes (any encoding, maybe
 * gzip).  On success returns 0 and *out (caller owns; free with
 * nd_article_free()).  When the page has no article text it returns
 * ND_ENOTEXT (and, with opts->keep_empty, the article with what metadata
 * was found and no paragraphs in *out, which the caller then frees), and
 * other negative codes for undecodable input, with err filled when not
 * NULL.  Thread-safe: pages may be extracted in parallel. */
ND_EXPORT int nd_extract(const void *data, size_t len, const nd_extract_opts *opts,
                         nd_article **out, nd_error *err);

/* Frees the article and everything in it; NULL is fine. */
ND_EXPORT void nd_article_free(nd_article *a);

/* Serialise as JSON (one object; pretty with one-space indent, or compact
 * for JSON Lines).  Appends to out. */
ND_EXPORT void nd_article_to_json(const nd_article *a, nd_buf *out, int pretty);

/* As nd_article_to_json(), and extra (when not NULL) is called with the
 * writer just before the object closes, to add keys of its own (newsdesk
 * extract adds the analysis's "actors", "quotes" and "events"). */
ND_EXPORT void nd_article_to_json_ex(const nd_article *a, nd_buf *out, int pretty,
                                     void (*extra)(void *ctx, nd_json *j), void *ctx);

/* Keys a caller adds to the JSON of an article: article() is called just
 * before the article object closes, related() just before the object of
 * related item i closes (newsdesk extract adds the analysis of each
 * embedded article there).  Either may be NULL. */
typedef struct nd_article_json_hooks {
    void (*article)(void *ctx, nd_json *j);
    void (*related)(void *ctx, size_t i, nd_json *j);
    void *ctx;
} nd_article_json_hooks;

/* As nd_article_to_json(), with the caller's keys (hooks may be NULL). */
ND_EXPORT void nd_article_to_json_hooks(const nd_article *a, nd_buf *out, int pretty,
                                        const nd_article_json_hooks *hooks);

/* The shortest text of a related item that makes it an article of its own
 * (a document in the store, analysed), unless it has several paragraphs. */
#define ND_RELATED_MIN_TEXT 200

/* 1 when the related item is an embedded article with a text of its own
 * (ND_RELATED_MIN_TEXT bytes after trimming, or several paragraphs): the
 * store keeps it as a document and it is analysed; 0 for a teaser. */
ND_EXPORT int nd_related_is_article(const nd_related *r);

/* Markdown and plain-text renderings of the article.  Append to out. */
ND_EXPORT void nd_article_to_markdown(const nd_article *a, nd_buf *out);
ND_EXPORT void nd_article_to_text(const nd_article *a, nd_buf *out);

/* A table of the page's blocks with their features and labels, for
 * people tuning or debugging extraction (`newsdesk extract --explain`).
 * Appends to out; returns 0 or a negative code. */
ND_EXPORT int nd_extract_explain(const void *data, size_t len, const nd_extract_opts *opts,
                                 nd_buf *out);

/* Cross-page furniture.  Caller owns; free with nd_furniture_free(). */
ND_EXPORT nd_furniture *nd_furniture_new(void);
ND_EXPORT void nd_furniture_free(nd_furniture *f);
/* Feed one page (raw bytes, as for nd_extract) to the furniture counts. */
ND_EXPORT int nd_furniture_add(nd_furniture *f, const void *data, size_t len,
                               const nd_extract_opts *opts);

/* Time helpers used by extraction and the CLI. */
/* Parse an absolute date/time in the forms news pages use (ISO 8601, RFC
 * 2822, "June 13, 2013 4:59 PM EDT", "13 June 2013", "2013/06/13", ...).
 * Returns 0 and epoch seconds in *ts (UTC), with *has_time set when a time
 * of day was given; ND_EPARSE otherwise. */
ND_EXPORT int nd_time_parse(const char *s, size_t n, int64_t *ts, int *has_time);
/* Find the first date expression inside a longer line ("By Jane Doe |
 * November 20, 2019 | 5:34 AM").  Returns 0 with *ts and *has_time as for
 * nd_time_parse() and the expression's byte span [*start, *end) in s;
 * ND_EPARSE when the line holds no complete date. */
ND_EXPORT int nd_time_find(const char *s, size_t n, int64_t *ts, int *has_time, size_t *start,
                           size_t *end);
/* Parse a relative age ("2 hours ago", "yesterday", "3 days ago") against
 * now; returns 0 and *ts, or ND_EPARSE. */
ND_EXPORT int nd_time_parse_age(const char *s, size_t n, int64_t now, int64_t *ts);
/* Format as ISO 8601 UTC ("2025-05-08T10:30:00Z", or "2025-05-08" when
 * date_only).  out needs 32 bytes. */
ND_EXPORT void nd_time_format(int64_t ts, int date_only, char out[32]);

/* 1..12 when the word s (n bytes) names a month, 13 when it names a day
 * of the week, in one of the languages nd_time_parse() reads; else 0. */
ND_EXPORT int nd_time_name(const char *s, size_t n);

/* "No zone given" for the offsets below. */
#define ND_ZONE_NONE INT32_MIN
/* As nd_time_parse() and nd_time_find(), and *offset (when not NULL) gets
 * the zone the text gives, in seconds east of UTC ("+02:00" -> 7200,
 * "EDT" -> -14400), or ND_ZONE_NONE when it gives none. */
ND_EXPORT int nd_time_parse_zone(const char *s, size_t n, int64_t *ts, int *has_time, int *offset);
ND_EXPORT int nd_time_find_zone(const char *s, size_t n, int64_t *ts, int *has_time, int *offset,
                                size_t *start, size_t *end);
/* As nd_time_format(), as the wall clock of the zone offset seconds east
 * of UTC, with that offset ("2025-05-08T12:30:00+02:00"); UTC with "Z"
 * when offset is ND_ZONE_NONE.  out needs 32 bytes. */
ND_EXPORT void nd_time_format_zone(int64_t ts, int date_only, int offset, char out[32]);

#ifdef __cplusplus
}
#endif
#endif
