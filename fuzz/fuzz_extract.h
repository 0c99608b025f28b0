/* fuzz_extract.h - the body shared by fuzz_html.c and fuzz_text.c:
 * nd_extract() on arbitrary bytes read as one kind of page, then the
 * article serialised as JSON and Markdown.
 *
 * Checks the promises of the extractor on success: paragraphs are
 * non-empty, the JSON is one object; on failure, a message says why, and
 * only a page without text (keep_empty) comes back with an article;
 * every comment has text.
 */
#ifndef ND_FUZZ_EXTRACT_H
#define ND_FUZZ_EXTRACT_H

#include <stdint.h>
#include <string.h>

#include "newsdesk/newsdesk.h"

static int fuzz_extract(const uint8_t *data, size_t size, nd_kind kind)
{
    nd_extract_opts o;
    nd_extract_opts_init(&o);
    o.kind = kind;
    o.fetched = 1700000000;
    o.keep_empty = 1; /* a page without text still gives its metadata */
    nd_article *a = NULL;
    nd_error err;
    int rc = nd_extract(data, size, &o, &a, &err);
    if (rc == 0) {
        if (!a->n_paragraphs || !a->text) __builtin_trap();
        for (size_t i = 0; i < a->n_paragraphs; i++)
            if (!a->paragraphs[i][0]) __builtin_trap();
    } else if (!err.msg[0]) {
        __builtin_trap(); /* every failure says why */
    } else if (a && (rc != ND_ENOTEXT || a->n_paragraphs)) {
        __builtin_trap(); /* only a page without text comes back with an article */
    }
    if (a) {
        for (size_t i = 0; i < a->n_comments; i++)
            if (!a->comments[i].text || !a->comments[i].text[0]) __builtin_trap();
        nd_buf b = ND_BUF_INIT;
        nd_article_to_json(a, &b, 0);
        if (!b.len || b.ptr[0] != '{' || b.ptr[b.len - 1] != '}') __builtin_trap();
        nd_article_to_markdown(a, &b);
        nd_buf_free(&b);
    }
    nd_article_free(a);
    return 0;
}

#endif
