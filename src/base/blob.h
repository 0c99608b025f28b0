/*
 * blob.h - the data files compiled into the library (tools/embed_data.cmake
 * writes nd__data_blobs[] from data/): the analysis dictionaries and the
 * story engine's word-rarity prior.
 */
#ifndef ND_BASE_BLOB_H
#define ND_BASE_BLOB_H

#include <stddef.h>

typedef struct nd__blob {
    const char *name; /* relative to data/: "actors/countries.txt" */
    const unsigned char *data;
    size_t len;
} nd__blob;
extern const nd__blob nd__data_blobs[];
extern const size_t nd__n_data_blobs;

/* A file compiled into the library by the assembler's .incbin: the bytes
 * as sym (64-byte aligned, for tables read in place) and their count as
 * sym##_len (a size_t), both hidden in the library.  For a file the build
 * names (CMake passes its path); see model_blob.c, prior_blob.c. */
#define ND__INCBIN(sym, file)                                                                      \
    __asm__(".section .rodata\n"                                                                   \
            ".balign 64\n"                                                                         \
            ".globl " #sym "\n"                                                                    \
            ".hidden " #sym "\n" #sym ":\n"                                                        \
            ".incbin \"" file "\"\n" #sym "_end:\n"                                                \
            ".balign 8\n"                                                                          \
            ".globl " #sym "_len\n"                                                                \
            ".hidden " #sym "_len\n" #sym "_len:\n"                                                \
            ".quad " #sym "_end - " #sym "\n"                                                      \
            ".previous\n")

#endif
