/*
 * imap.h - a u64 -> i64 map, open addressing with linear probing; key 0
 * marks an empty slot, so 0 is never a key.  Its layout (capacity a power
 * of two, slot nd__mix64(key) & (cap - 1), at most 3/4 full) is part of
 * the story engine's saved state (src/cluster/maps.c writes it as it is).
 * The caller owns the map; zero-initialise it, free with nd__imap_free().
 */
#ifndef ND_BASE_IMAP_H
#define ND_BASE_IMAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/mix.h"
#include "newsdesk/base.h"

typedef struct nd__imap {
    uint64_t *keys;
    int64_t *vals;
    uint32_t cap, n;
} nd__imap;

/* The home slot of key k in a table of cap slots (the engine's other map,
 * nd__fmap, uses it too). */
static inline uint32_t nd__map_slot(uint64_t k, uint32_t cap)
{
    return (uint32_t) (nd__mix64(k) & (cap - 1));
}

/* The slot of k in keys[0..cap): its own, or the empty one it would
 * take. */
static inline uint32_t nd__map_find(const uint64_t *keys, uint32_t cap, uint64_t k)
{
    uint32_t j = nd__map_slot(k, cap);
    while (keys[j] && keys[j] != k) j = (j + 1) & (cap - 1);
    return j;
}

/* What both maps share, for values of vsize bytes: the entries of keys
 * and vals (cap slots) laid into new arrays of ncap slots (ND_ENOMEM
 * leaves them as they were), and the removal of slot j's entry by
 * backward shift (no tombstones: an entry after it in its probe chain
 * moves back when its home slot allows). */
int nd__map_rehash(uint64_t **keys, void **vals, size_t vsize, uint32_t cap, uint32_t ncap);
void nd__map_unslot(uint64_t *keys, void *vals, size_t vsize, uint32_t cap, uint32_t j);

/* 1 and *v (v may be NULL) when k is there, else 0. */
int nd__imap_get(const nd__imap *m, uint64_t k, int64_t *v);
/* Set k to v: 0 or ND_ENOMEM. */
int nd__imap_put(nd__imap *m, uint64_t k, int64_t v);
/* k's value, k put there with 0 when it was not: one probe where a get
 * and a put take two.  Valid until the map's next insertion; NULL when
 * out of memory. */
int64_t *nd__imap_ref(nd__imap *m, uint64_t k);
void nd__imap_del(nd__imap *m, uint64_t k);
void nd__imap_free(nd__imap *m);
/* *dst made a copy of src, slot for slot (dst's old contents are not
 * freed): 0 or ND_ENOMEM (dst then empty). */
int nd__imap_copy(nd__imap *dst, const nd__imap *src);
size_t nd__imap_bytes(const nd__imap *m);
/* Rehash into cap slots (a power of two that holds the entries): 0 or
 * ND_ENOMEM. */
int nd__imap_grow(nd__imap *m, uint32_t cap);

#endif
