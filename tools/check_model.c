/*
 * check_model.c - the full check of the parser model the build compiles
 * into the library (CMake runs it on data/parse/en_ewt.ndpm).
 *
 *   check_model MODEL STAMP
 *
 * Loads MODEL with nd_parser_load(): header, checksum of every byte,
 * sections, tables and strings, as for a model given at run time.  Then
 * the same full check over the copy compiled in (this program links the
 * library's objects, model_blob.c's among them: the bytes every process
 * parses with), which must also be MODEL byte for byte.  The compiled-in
 * copy is part of the executable, so a process checks only what points its
 * tables into it (src/parse/model.c), not the checksum over its 25 MB (14%
 * of the instructions of one page into a store) nor every slot of its
 * weight tables (16.4 M instructions).  On success writes STAMP (CMake's
 * record that this file was checked) and exits 0; else prints why and
 * exits 1, which stops the build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/parse.h"

/* The model compiled into the library (src/parse/model_blob.c). */
extern const unsigned char nd__parse_model_blob[];
extern const size_t nd__parse_model_blob_len;

/* 0 if the compiled-in copy is the file at path and passes the full check. */
static int check_compiled_in(const char *path)
{
    size_t n = nd__parse_model_blob_len;
    FILE *f = fopen(path, "rb");
    unsigned char *b = n ? malloc(n + 1) : NULL;
    size_t got = f && b ? fread(b, 1, n + 1, f) : 0;
    int same = got == n && b && !memcmp(b, nd__parse_model_blob, n);
    free(b);
    if (f) fclose(f);
    if (!same) {
        fprintf(stderr, "check_model: the model compiled in is not %s\n", path);
        return 1;
    }
    nd_error err = {0};
    nd_parser *pm = nd_parser_load_mem(nd__parse_model_blob, n, &err);
    if (!pm) {
        fprintf(stderr, "check_model: the model compiled in: %s\n", err.msg);
        return 1;
    }
    nd_parser_free(pm);
    return 0;
}

/* This program links the library's objects without prior_blob.c. */
_Alignas(64) const unsigned char nd__prior_map_blob[64] = {0};
const size_t nd__prior_map_blob_len = 0;
_Alignas(64) const unsigned char nd__dict_blob[64] = {0};
const size_t nd__dict_blob_len = 0;

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: check_model MODEL STAMP\n");
        return 1;
    }
    nd_error err = {0};
    nd_parser *pm = nd_parser_load(argv[1], &err);
    if (!pm) {
        fprintf(stderr, "check_model: %s\n", err.msg);
        return 1;
    }
    nd_parser_free(pm);
    if (check_compiled_in(argv[1])) return 1;
    FILE *o = fopen(argv[2], "w");
    if (!o || fprintf(o, "%s: checked\n", argv[1]) < 0 || fclose(o)) {
        fprintf(stderr, "check_model: cannot write %s\n", argv[2]);
        return 1;
    }
    return 0;
}
