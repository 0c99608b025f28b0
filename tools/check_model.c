/*
 * check_model.c - the full check of the parser model the build compiles
 * into the library (CMake runs it on data/parse/en_ewt.ndpm).
 *
 *   check_model MODEL STAMP
 *
 * Loads MODEL with nd_parser_load(): header, checksum of every byte,
 * sections, tables and strings, as for a model given at run time.  The
 * compiled-in copy is part of the executable, so a process checks only its
 * structure (src/parse/model.c) and not the checksum over its 25 MB, which
 * was 14% of the instructions of one page into a store.  On success writes
 * STAMP (CMake's record that this file was checked) and exits 0; else
 * prints why and exits 1, which stops the build.
 */
#include <stdio.h>

#include "newsdesk/parse.h"

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
    FILE *o = fopen(argv[2], "w");
    if (!o || fprintf(o, "%s: checked\n", argv[1]) < 0 || fclose(o)) {
        fprintf(stderr, "check_model: cannot write %s\n", argv[2]);
        return 1;
    }
    return 0;
}
