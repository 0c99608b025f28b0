/* doc.c - one document of a reader (a page file, a WARC record, a JSON
 * line) into an article: the step `newsdesk ingest` and `newsdesk extract`
 * share, so that both front doors read a crawl the same way. */
#include <stdio.h>
#include <string.h>

#include "newsdesk/extract.h"
#include "newsdesk/ingest.h"

static char *arena_dup(nd_arena *a, const char *s)
{
    return s ? nd_arena_strndup(a, s, strlen(s)) : NULL;
}

/* A JSON line's "text" is the article by the feed's word: when the
 * extractor finds no article in it (a few short lines), the text as given
 * becomes the article rather than being lost.  Paragraphs are the
 * non-empty lines, joined by blank lines as the extractor joins them.
 * Returns 0 and *out, or ND_ENOTEXT when there is no text at all. */
static int given_text(const nd_doc *d, const char *source, nd_article **out)
{
    nd_slice t = nd_slice_trim((nd_slice){d->data, d->len});
    if (t.len == 0) return ND_ENOTEXT;
    nd_article *a = nd_calloc(1, sizeof *a);
    if (!a) return ND_ENOMEM;
    a->arena = nd_arena_new(t.len * 4 + 1024);
    a->published_ts = ND_TIME_NONE;
    /* Each line break may become two ("a\nb" is "a\n\nb"). */
    char *text = a->arena ? nd_arena_alloc(a->arena, t.len * 2 + 1) : NULL;
    const char **paras = a->arena ? nd_arena_calloc(a->arena, t.len / 2 + 2, sizeof(char *)) : NULL;
    if (!text || !paras) {
        nd_article_free(a);
        return ND_ENOMEM;
    }
    size_t n = 0, np = 0;
    const char *p = t.ptr, *end = t.ptr + t.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t) (end - p));
        nd_slice line = nd_slice_trim((nd_slice){p, (size_t) ((nl ? nl : end) - p)});
        if (line.len) {
            if (n) {
                memcpy(text + n, "\n\n", 2);
                n += 2;
            }
            paras[np++] = nd_arena_strndup(a->arena, line.ptr, line.len);
            memcpy(text + n, line.ptr, line.len);
            n += line.len;
        }
        p = nl ? nl + 1 : end;
    }
    text[n] = 0;
    a->text = text;
    a->text_len = n;
    a->paragraphs = paras;
    a->n_paragraphs = np;
    a->source = arena_dup(a->arena, source);
    a->url = arena_dup(a->arena, d->url);
    a->title = arena_dup(a->arena, d->title);
    for (size_t i = 0; i < np; i++)
        if (!paras[i]) {
            nd_article_free(a);
            return ND_ENOMEM;
        }
    if ((source && !a->source) || (d->url && !a->url) || (d->title && !a->title)) {
        nd_article_free(a);
        return ND_ENOMEM;
    }
    *out = a;
    return 0;
}

void nd_doc_extract_opts(const nd_doc *d, nd_extract_opts *o)
{
    if (!o->source) o->source = d->source;
    if (d->url) o->url = d->url;
    if (d->fetched != ND_TIME_NONE) o->fetched = d->fetched;
    if (d->charset) o->charset_hint = d->charset;
    if (d->kind != ND_KIND_UNKNOWN) o->kind = d->kind;
}

int nd_extract_doc(const nd_doc *d, const nd_extract_opts *base, nd_article **out, nd_error *err)
{
    *out = NULL;
    nd_extract_opts o;
    if (base)
        o = *base;
    else
        nd_extract_opts_init(&o);
    nd_doc_extract_opts(d, &o);
    int rc = nd_extract(d->data, d->len, &o, out, err);
    if (rc == ND_ENOTEXT && d->format == ND_FMT_JSONL && d->kind == ND_KIND_TEXT) {
        nd_article *a = NULL;
        int grc = given_text(d, o.source, &a);
        if (grc != ND_ENOTEXT) {
            nd_article_free(*out);
            *out = a;
            if (grc == 0 && err) memset(err, 0, sizeof *err);
            if (grc) nd_error_set(err, grc, (size_t) -1, "out of memory");
            rc = grc;
        }
    }
    return rc;
}

void nd_doc_where(const nd_doc *d, char *out, size_t cap)
{
    if (d->format == ND_FMT_WARC)
        snprintf(out, cap, "%s@%llu", d->source, (unsigned long long) d->offset);
    else if (d->format == ND_FMT_JSONL)
        snprintf(out, cap, "%s:%llu", d->source, (unsigned long long) d->offset);
    else
        snprintf(out, cap, "%s", d->source);
}
