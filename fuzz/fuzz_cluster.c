/*
 * fuzz_cluster.c - the story engine on arbitrary bytes.
 *
 * The input is cut into documents at NUL bytes (first line: title, the rest:
 * text; the first byte picks a publication time or none) and clustered by an
 * engine with a tiny window, so that re-clustering, settling, eviction and
 * duplicates all happen; then its state is exported, imported and exported
 * again, which must give the same bytes.  The raw input is also offered to
 * nd_cluster_import() as a saved state, which must refuse it or load it
 * without harm.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/cluster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    p.recent = 16;
    p.sweep_every = 3;
    p.window_docs = 64;
    p.df_bits = 12;
    p.window_seconds = 86400;
    p.keep_seconds = 3 * 86400;
    nd_cluster *c = nd_cluster_new(&p, NULL);
    if (!c) return 0;
    const char *s = (const char *) data;
    size_t pos = 0;
    int64_t id = 1;
    while (pos < size) {
        const char *e = memchr(s + pos, 0, size - pos);
        size_t end = e ? (size_t) (e - s) : size;
        const char *doc = s + pos;
        size_t len = end - pos;
        const char *nl = memchr(doc, '\n', len);
        size_t tl = nl ? (size_t) (nl - doc) : 0;
        int64_t t = len && (doc[0] & 1) ? 1600000000 + (int64_t) (unsigned char) doc[0] * 40000
                                        : ND_TIME_NONE;
        nd_cluster_doc d = {id++, doc, tl, nl ? nl + 1 : doc, nl ? len - tl - 1 : len, t};
        nd_cluster_result r;
        int rc = nd_cluster_add(c, &d, &r);
        if (rc == 0 && r.story <= 0) abort();
        pos = end + 1;
    }
    nd_cluster_result r;
    nd_cluster_flush(c, &r);
    nd_buf a = ND_BUF_INIT, b = ND_BUF_INIT;
    if (nd_cluster_export(c, &a) == 0) {
        nd_cluster *c2 = nd_cluster_import(a.ptr, a.len, NULL);
        if (!c2) abort();
        if (nd_cluster_export(c2, &b) || a.len != b.len || memcmp(a.ptr, b.ptr, a.len)) abort();
        nd_cluster_free(c2);
    }
    nd_buf_free(&a);
    nd_buf_free(&b);
    nd_cluster_free(c);
    nd_cluster *x = nd_cluster_import(data, size, NULL);
    if (x) {
        nd_cluster_doc d = {1, "t", 1, "some text here", 14, ND_TIME_NONE};
        nd_cluster_add(x, &d, &r);
        nd_cluster_flush(x, &r);
        nd_cluster_free(x);
    }
    return 0;
}
