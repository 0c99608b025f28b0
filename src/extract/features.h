/* features.h - text features of blocks (private). */
#ifndef ND_EXTRACT_FEATURES_H
#define ND_EXTRACT_FEATURES_H

#include <stddef.h>

#include "newsdesk/base.h"

typedef struct nd_text_features {
    int words, stops, caps, nums, commas, sent_ends, pipes;
    int has_stoplist; /* the language has a stop list, so stops mean something */
    int ends_sentence;
} nd_text_features;

/* Count words, stop words (of lang; NULL = English), capitalised words,
 * numbers, commas and sentence ends of a block's text. */
void nd__text_features(const char *s, size_t n, const char *lang, nd_text_features *f);

/* Prose quality in [-1, 1]: 1 reads like article prose, -1 like furniture. */
float nd__prose_quality(const nd_text_features *f, size_t len, size_t link_len);

/* 1 when the text contains a furniture phrase ("read more", "sign up",
 * "©"...), 2 when it contains one that marks furniture at any length;
 * strong_only looks for the second kind only. */
int nd__has_phrase(const char *s, size_t n, int strong_only);

/* 1 when stop-word density means something for lang (it has a list). */
int nd__lang_has_stoplist(const char *lang);

/* 1 when the text is mostly a date or time ("Monday, 22 January 2018 at
 * 0:13", "Updated 5:34 AM ET Nov 20, 2019"). */
int nd__is_dateline(nd_slice s);

/* 1 when the text ends like a sentence. */
int nd__ends_sentence(const char *s, size_t n);

#endif
