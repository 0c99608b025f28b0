/*
 * newsdesk/keywords.h - the distinctive phrases of a text (its
 * "hashtags"): named entities first, then multi-word names and phrases,
 * then single words, each scored by TF-IDF against document frequencies
 * the caller supplies (the store's: nd_store_df in newsdesk/store.h).
 *
 * Stateless: one call reads one text and returns its keywords in one
 * arena ("Caller owns; free with nd_keywords_free()").  Ingest computes
 * them in its extraction workers and stores them with the page; the query
 * layer reads them back per document and per story.
 */
#ifndef NEWSDESK_KEYWORDS_H
#define NEWSDESK_KEYWORDS_H

#include "newsdesk/analyze.h"
#include "newsdesk/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most keywords one text gets. */
#define ND_KEYWORDS_MAX 12

/* What a keyword is, best first. */
enum nd_keyword_kind {
    ND_KW_ENTITY = 1, /* a person, organisation or group the analysis found ("Xi Jinping") */
    ND_KW_NAME = 2,   /* a run of capitalised words ("Friends of Steel", "Port Halden") */
    ND_KW_PHRASE = 3, /* a repeated phrase of two or three words ("container traffic") */
    ND_KW_WORD = 4    /* one word ("automation") */
};

/* The name of a kind: "entity", "name", "phrase", "word" (static). */
ND_EXPORT const char *nd_keyword_kind_name(int kind);

typedef struct nd_keyword {
    const char *text; /* as it reads: names in their case, phrases and words in lower case */
    double score;     /* TF-IDF with the kind's weight; larger is more distinctive */
    uint32_t count;   /* occurrences in the text (and title) */
    int kind;         /* enum nd_keyword_kind */
} nd_keyword;

typedef struct nd_keywords {
    nd_keyword *items; /* best first */
    size_t n;
    nd_arena *arena; /* owns the items and their text */
} nd_keywords;

/* Document frequency of a lower-case word (UTF-8, len bytes): in how many
 * of the n_docs documents it occurs, or a negative value when unknown
 * (the word then counts as rare). */
typedef int64_t (*nd_df_fn)(void *ctx, const char *word, size_t len);

typedef struct nd_keywords_opts {
    const char *title;           /* the headline (its words count twice), or NULL */
    const char *language;        /* ISO 639-1 for the stop words; NULL: English */
    const nd_analysis *analysis; /* actors of the text (entities), or NULL */
    nd_df_fn df;                 /* NULL: every word is equally rare (plain term frequency) */
    void *df_ctx;
    uint64_t n_docs; /* documents the frequencies count */
    size_t max;      /* keywords wanted; 0: 10; at most ND_KEYWORDS_MAX */
    /* Documents the word-rarity prior counts as (how common a word is in
     * general usage, from wordfreq: data/wordfreq/README.md), added to
     * df's: n_docs + prior_docs documents, of which a word's share by the
     * prior holds it as well as its df.  So that a store that counts few
     * documents, or none (a first run), still tells "still" and "police"
     * from a name; its own counts outweigh the prior as they grow.
     * nd_keywords_opts_init() sets ND_KEYWORDS_PRIOR_DOCS; 0: none. */
    double prior_docs;
} nd_keywords_opts;

#define ND_KEYWORDS_PRIOR_DOCS 1000.0

ND_EXPORT void nd_keywords_opts_init(nd_keywords_opts *o);

/* The keywords of text (len bytes of UTF-8; at most the first 64 KiB are
 * read).  Returns 0 and *out (caller owns; free with nd_keywords_free()),
 * possibly with no items, or ND_ENOMEM. */
ND_EXPORT int nd_keywords_extract(const char *text, size_t len, const nd_keywords_opts *o,
                                  nd_keywords **out, nd_error *err);
ND_EXPORT void nd_keywords_free(nd_keywords *k);

#ifdef __cplusplus
}
#endif
#endif
