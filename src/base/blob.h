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

#endif
