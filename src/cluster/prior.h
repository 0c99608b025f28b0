/* prior.h - the word-rarity prior (data/wordfreq/prior.bin, prior.c) as
 * other modules than the story engine ask it: how many news articles hold
 * a word, before a store's own counts can tell. */
#ifndef ND_CLUSTER_PRIOR_H
#define ND_CLUSTER_PRIOR_H

#include <stddef.h>

/* Words of the article the prior's shares assume: a word of frequency f
 * is in such an article with chance 1 - exp(-ND__PRIOR_ARTICLE f). */
#define ND__PRIOR_ARTICLE 500.0

/* The share of articles that hold a word of quantised log-frequency q
 * (frequency 10^(-q/20)); 0 for q < 0 or q > 255 (a word not listed). */
double nd__prior_share_q(int q);

/* The share of articles that hold lower-case word w (n bytes, UTF-8),
 * by its own frequency; 0 when the prior does not list it or is missing.
 * Thread-safe. */
double nd__prior_word_share(const char *w, size_t n);

#endif
