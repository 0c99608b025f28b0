/* fuzz_store.h - a small in-memory store for the fuzz targets that ask
 * questions of one (fuzz_query, fuzz_router): pages analysed and stored,
 * then clustered into stories. */
#ifndef ND_FUZZ_STORE_H
#define ND_FUZZ_STORE_H

#include <stdlib.h>
#include <string.h>

#include "newsdesk/newsdesk.h"

/* One page of the fuzz store; hash tells pages apart.  date: the day
 * the analysis reads relative dates against (NULL: none). */
typedef struct fuzz_page {
    const char *title, *site, *text, *url, *published, *date, *author;
    uint64_t hash;
} fuzz_page;

static inline void fuzz_store_add(nd_store *s, const fuzz_page *fp)
{
    nd_article a;
    memset(&a, 0, sizeof a);
    const char *paras[1] = {fp->text};
    const char *authors[1] = {fp->author};
    a.title = fp->title;
    a.text = fp->text;
    a.text_len = strlen(a.text);
    a.paragraphs = paras;
    a.n_paragraphs = 1;
    a.site = fp->site;
    a.language = "en";
    a.published_ts = ND_TIME_NONE;
    if (fp->author) a.authors = authors, a.n_authors = 1;
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.date = fp->date;
    nd_analysis *an = NULL;
    nd_analyze(a.text, a.text_len, &o, &an, NULL);
    nd_store_page p;
    memset(&p, 0, sizeof p);
    p.article = &a;
    p.url = fp->url;
    p.published = fp->published;
    p.raw_hash = fp->hash;
    p.fetched = ND_TIME_NONE;
    p.origin.offset = p.origin.line = -1;
    p.analysis = an;
    nd_store_add_page(s, &p, NULL, NULL);
    nd_analysis_free(an);
}

/* A new in-memory store of n pages, clustered; aborts when it cannot be
 * made (the target is useless without it). */
static inline nd_store *fuzz_store_make(const fuzz_page *pages, size_t n)
{
    nd_store *s = NULL;
    if (nd_store_open(":memory:", ND_STORE_CREATE, &s, NULL)) abort();
    for (size_t i = 0; i < n; i++) fuzz_store_add(s, &pages[i]);
    nd_store_clusterer *c = NULL;
    if (nd_store_clusterer_open(s, NULL, &c, NULL) == 0) {
        nd_store_begin(s, NULL);
        nd_store_cluster_pending(c, NULL, NULL);
        nd_store_cluster_finish(c, NULL);
        nd_store_commit(s, NULL);
        nd_store_clusterer_free(c);
    }
    return s;
}

#endif
