/*
 * fuzz_warc.c - the WARC reader on arbitrary bytes: as given (plain, or
 * gzip when the bytes start with its magic), and gzip-compressed in two
 * members split at a point the input chooses, so that the member tracking
 * and resynchronisation see structured content too.  Every document's
 * bytes and strings are touched so that the sanitizers check their bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "newsdesk/read.h"
#include "read/read_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void touch(const char *s)
{
    if (s) sink += strlen(s);
}

static void run(const char *name, const void *p, size_t n, size_t max)
{
    nd_reader_opts o = {.max_record = max};
    nd_reader *r = nd_reader_new_mem(name, p, n, &o);
    if (!r) return;
    nd_doc d;
    nd_error e;
    int rc, guard = 0;
    while ((rc = nd_reader_next(r, &d, &e)) != 0) {
        if (++guard > 1000000) abort(); /* the reader must end */
        if (rc < 0) {
            touch(e.msg);
            continue;
        }
        size_t h = 0;
        for (size_t i = 0; i < d.len; i++) h += (unsigned char) d.data[i];
        sink += h;
        touch(d.source);
        touch(d.url);
        touch(d.charset);
        touch(d.ext_id);
        if (d.len > max) abort(); /* never more than the limit */
    }
    nd_reader_free(r);
}

static size_t gz_append(unsigned char *out, size_t cap, const uint8_t *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    z.next_in = (Bytef *) p;
    z.avail_in = (uInt) n;
    z.next_out = out;
    z.avail_out = (uInt) cap;
    deflate(&z, Z_FINISH);
    size_t k = cap - z.avail_out;
    deflateEnd(&z);
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run("fuzz.warc", data, size, 1 << 20);
    if (size > (1 << 20)) return 0;
    /* The same bytes as a .warc.gz of two members. */
    size_t split = size ? data[0] * size / 256 : 0;
    size_t cap = 2 * size + 256;
    unsigned char *gz = malloc(cap);
    if (!gz) return 0;
    size_t n = gz_append(gz, cap, data, split);
    n += gz_append(gz + n, cap - n, data + split, size - split);
    run("fuzz.warc.gz", gz, n, 4096);
    free(gz);
    return 0;
}
