/*
 * gen_prior_map.c - build the story engine's word-rarity prior map once, at
 * build time (CMake runs it; src/cluster/prior.c).
 *
 *   gen_prior_map PRIOR.bin OUT
 *
 * Reads PRIOR.bin (data/wordfreq/prior.bin) with nd__prior_parse(), the
 * loader every process used to run, so the words are stemmed by the same
 * Snowball stemmer and hashed by the same code as the features, and writes
 * the map it builds (nd__prior_map_write(): its exact slots) to OUT, which
 * src/cluster/prior_blob.c compiles into the library.  The same table gives
 * the same bytes.  Exit 0, else 1 with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_int.h"

/* This program links the library's objects without prior_blob.c (it makes
 * what that file compiles in): no map, so nothing reads one. */
_Alignas(64) const unsigned char nd__prior_map_blob[64] = {0};
const size_t nd__prior_map_blob_len = 0;
_Alignas(64) const unsigned char nd__dict_blob[64] = {0};
const size_t nd__dict_blob_len = 0;

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *b = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            unsigned char *g = realloc(b, cap);
            if (!g) break;
            b = g;
        }
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    int bad = ferror(f) || !feof(f);
    fclose(f);
    if (bad) {
        free(b);
        return NULL;
    }
    *len = n;
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_prior_map PRIOR.bin OUT\n");
        return 1;
    }
    size_t len = 0;
    unsigned char *src = read_file(argv[1], &len);
    if (!src) {
        fprintf(stderr, "gen_prior_map: cannot read %s\n", argv[1]);
        return 1;
    }
    nd__prior p;
    nd_error err = {0};
    if (nd__prior_parse(src, len, &p, &err)) {
        fprintf(stderr, "gen_prior_map: %s: %s\n", argv[1], err.msg);
        free(src);
        return 1;
    }
    nd_buf b = ND_BUF_INIT;
    nd__prior_map_write(&b, &p, src, len);
    nd__prior_free(&p);
    free(src);
    int rc = 0;
    FILE *o = nd_buf_failed(&b) ? NULL : fopen(argv[2], "wb");
    if (!o || fwrite(b.ptr, 1, b.len, o) != b.len || fclose(o)) {
        fprintf(stderr, "gen_prior_map: cannot write %s\n", argv[2]);
        rc = 1;
    }
    nd_buf_free(&b);
    return rc;
}
