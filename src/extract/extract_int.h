/* extract_int.h - internals shared by the extractor's files (private). */
#ifndef ND_EXTRACT_INT_H
#define ND_EXTRACT_INT_H

#include <stdio.h>

#include "extract/page.h"
#include "newsdesk/extract.h"

/* article.c */
int nd__article_new(nd_article **out);
const char *nd__astr(nd_article *a, const char *s, size_t n);
void *nd__grow(nd_arena *ar, void *arr, size_t n, size_t *cap, size_t item);
int nd__article_add_str(nd_article *a, const char ***arr, size_t *n, size_t *cap, const char *s,
                        size_t len);
void nd__article_warn(nd_article *a, size_t *cap, const char *fmt, ...) ND_PRINTF(3, 4);

/* What the classifier decided, handed to the article builder. */
typedef struct nd_extract_ctx {
    nd_page *pg;
    nd_article *a;
    const nd_extract_opts *opts;
    size_t cap_par, cap_auth, cap_rel, cap_warn;
    const char *lang;                /* language used for stop words (ISO 639-1) or NULL */
    uint32_t container;              /* HTML: the node chosen as the article container */
    size_t region_start, region_end; /* text: the lines chosen as the article */
    int fallback;                    /* no container held a body: best prose blocks kept */
    int thread;                      /* HTML: the page is a thread, its posts the content */
    const char *org_author;          /* a desk or organisation declared as the author
                                        (authors.c), or NULL; arena */
} nd_extract_ctx;

/* extract.c: decode and run the right front; with opts->furniture, mark
 * the blocks that recur on other pages.  On failure nothing needs
 * freeing; on success free with nd__page_free() and nd_decoded_free(). */
int nd__load_page(const void *data, size_t len, const nd_extract_opts *o, nd_decoded *dec,
                  nd_page *pg, nd_error *err);

/* furniture.c: set ND_BLK_FURNITURE on blocks seen on other pages. */
void nd__furniture_mark(const nd_furniture *f, nd_page *pg);

/* classify_html.c / classify_text.c: label the page's blocks. */
int nd__classify_html(nd_extract_ctx *x);
int nd__classify_text(nd_extract_ctx *x);

#endif
