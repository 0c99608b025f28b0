/*
 * fuzz_doc.c - a crawl or feed on arbitrary bytes, read record by record
 * and each record made an article as `newsdesk extract` and `newsdesk
 * ingest` make it (nd_extract_doc: the record's URL, fetch time, charset
 * and kind applied; a feed's text kept when the extractor finds no
 * article).  The last byte chooses the name the bytes come under (a WARC
 * file, a JSON-lines feed, or a name that says nothing: the sniffer
 * decides), so that the seeds of fuzz_warc and fuzz_jsonl reach the
 * extractor through each path.  Every string of every article is touched
 * so that the sanitizers check its bounds, and the article JSON is
 * written.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/extract.h"
#include "newsdesk/ingest.h"
#include "newsdesk/read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void touch(const char *s)
{
    if (s) sink += strlen(s);
}

static void touch_article(const nd_article *a)
{
    touch(a->source);
    touch(a->url);
    touch(a->title);
    touch(a->kicker);
    touch(a->published);
    touch(a->modified);
    touch(a->site);
    touch(a->credit);
    touch(a->language);
    touch(a->charset);
    for (size_t i = 0; i < a->n_authors; i++) touch(a->authors[i]);
    for (size_t i = 0; i < a->n_paragraphs; i++) touch(a->paragraphs[i]);
    for (size_t i = 0; i < a->n_warnings; i++) touch(a->warnings[i]);
    for (size_t i = 0; i < a->n_related; i++) {
        touch(a->related[i].title);
        touch(a->related[i].text);
        touch(a->related[i].url);
    }
    for (size_t i = 0; i < a->n_comments; i++) touch(a->comments[i].text);
    if (a->text && strlen(a->text) != a->text_len) abort(); /* text_len is the text's */
    nd_buf b = {0};
    nd_article_to_json(a, &b, 0);
    sink += b.len;
    nd_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *names[] = {"fuzz.warc", "fuzz.jsonl", "fuzz"};
    const char *name = names[size ? data[size - 1] % 3 : 0];
    nd_reader_opts ro = {.max_record = 1 << 18};
    nd_reader *r = nd_reader_new_mem(name, data, size, &ro);
    if (!r) return 0;
    nd_extract_opts base;
    nd_extract_opts_init(&base);
    base.keep_empty = 1;
    nd_doc d;
    nd_error e;
    int rc, guard = 0;
    while ((rc = nd_reader_next(r, &d, &e)) != 0) {
        if (++guard > 100000) abort(); /* the reader must end */
        if (rc < 0) {
            touch(e.msg);
            continue;
        }
        char where[512];
        nd_doc_where(&d, where, sizeof where);
        touch(where);
        nd_article *a = NULL;
        rc = nd_extract_doc(&d, &base, &a, &e);
        if (rc < 0) touch(e.msg);
        if (a) touch_article(a);
        nd_article_free(a);
    }
    nd_reader_free(r);
    return 0;
}
