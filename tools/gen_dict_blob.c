/*
 * gen_dict_blob.c - the default analysis dictionaries' compiled form, made
 * once at build time (CMake runs it; src/analyze/dict.c).
 *
 *   gen_dict_blob OUT
 *
 * Loads the dictionary texts compiled into the library (the .txt files of
 * data/cameo, actors and verbs) with the loader every process used to run, and
 * writes nd__dict_compile()'s form of them to OUT, which
 * src/analyze/dict_blob.c compiles into the library.  The form is this
 * build's memory layout, keyed by the texts: a process uses it only when
 * the texts it would read are those bytes.  Exit 0, else 1 with a message.
 */
#include <stdio.h>
#include <stdlib.h>

#include "analyze/analyze_int.h"

/* This program links the library's objects without the blobs the build
 * makes from them (it makes one): none, so nothing reads them. */
_Alignas(64) const unsigned char nd__dict_blob[64] = {0};
const size_t nd__dict_blob_len = 0;
_Alignas(64) const unsigned char nd__prior_map_blob[64] = {0};
const size_t nd__prior_map_blob_len = 0;

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_dict_blob OUT\n");
        return 1;
    }
    /* the texts compiled in, whatever NEWSDESK_DATA_DIR or data/ say */
    unsetenv("NEWSDESK_DATA_DIR");
    nd_error err = {0};
    nd_analyze_dict *d = nd__dict_load_embedded(&err);
    if (!d) {
        fprintf(stderr, "gen_dict_blob: %s\n", err.msg[0] ? err.msg : "cannot load");
        return 1;
    }
    void *form = NULL;
    size_t len = 0;
    if (nd__dict_compile(d, &form, &len)) {
        fprintf(stderr, "gen_dict_blob: out of memory\n");
        return 1;
    }
    FILE *o = fopen(argv[1], "wb");
    if (!o || fwrite(form, 1, len, o) != len || fclose(o)) {
        fprintf(stderr, "gen_dict_blob: cannot write %s\n", argv[1]);
        return 1;
    }
    nd_free(form);
    nd_analyze_dict_free(d);
    return 0;
}
