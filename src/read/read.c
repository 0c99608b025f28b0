/* read.c - STUB until the readers land: plain files only. */
#include <stdio.h>
#include <string.h>

#include "newsdesk/read.h"

struct nd_reader {
    char **paths;
    size_t n, i;
    char *data;
    nd_reader_stats stats;
};

nd_reader *nd_reader_new(const char *const *paths, size_t n_paths, const nd_reader_opts *opts)
{
    (void) opts;
    nd_reader *r = nd_calloc(1, sizeof *r);
    if (!r) return NULL;
    r->paths = nd_calloc(n_paths + 1, sizeof(char *));
    for (size_t i = 0; r->paths && i < n_paths; i++)
        r->paths[i] = nd_strndup(paths[i], strlen(paths[i]));
    r->n = n_paths;
    return r;
}

int nd_reader_next(nd_reader *r, nd_doc *doc, nd_error *err)
{
    nd_free(r->data);
    r->data = NULL;
    if (r->i >= r->n) return 0;
    const char *p = r->paths[r->i++];
    FILE *f = fopen(p, "rb");
    if (!f) return nd_error_set(err, ND_EIO, 0, "%s: cannot open", p);
    nd_buf b = ND_BUF_INIT;
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) nd_buf_append(&b, tmp, k);
    fclose(f);
    memset(doc, 0, sizeof *doc);
    doc->source = p;
    doc->format = ND_FMT_PAGE;
    doc->fetched = INT64_MIN;
    doc->data = r->data = nd_buf_detach(&b, &doc->len);
    r->stats.docs++;
    return 1;
}

const nd_reader_stats *nd_reader_get_stats(const nd_reader *r)
{
    return &r->stats;
}

void nd_reader_free(nd_reader *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) nd_free(r->paths[i]);
    nd_free(r->paths);
    nd_free(r->data);
    nd_free(r);
}

nd_format nd_sniff_format(const char *head, size_t len)
{
    (void) head, (void) len;
    return ND_FMT_PAGE;
}
