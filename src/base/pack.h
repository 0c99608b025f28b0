/*
 * pack.h - little-endian fixed-width fields for the binary states the
 * library saves (the story engine's items, the store's story aggregates).
 * The readers return 0, or ND_EFORMAT when fewer bytes than the field's
 * remain (then *p is unchanged and *v is 0; nd__get_u32_pairs leaves a
 * and b as they were).
 */
#ifndef ND_BASE_PACK_H
#define ND_BASE_PACK_H

#include <stdint.h>
#include <string.h>

#include "newsdesk/base.h"

void nd__put_u32(nd_buf *b, uint32_t v);
void nd__put_u64(nd_buf *b, uint64_t v);
void nd__put_f64(nd_buf *b, double v);

/* The readers are inline: loading a story engine's state reads millions
 * of fields (a call each was 15% of a one-page ingest's instructions). */
static inline uint32_t nd__rd32(const unsigned char *s)
{
    return (uint32_t) s[0] | (uint32_t) s[1] << 8 | (uint32_t) s[2] << 16 | (uint32_t) s[3] << 24;
}

static inline uint64_t nd__rd64(const unsigned char *s)
{
    return (uint64_t) nd__rd32(s) | (uint64_t) nd__rd32(s + 4) << 32;
}

static inline int nd__get_u32(const unsigned char **p, const unsigned char *end, uint32_t *v)
{
    if (end - *p < 4) return *v = 0, ND_EFORMAT;
    *v = nd__rd32(*p);
    *p += 4;
    return 0;
}

/* n fields of 4 bytes into v[0..n), with one bounds check for all of
 * them. */
static inline int nd__get_u32_n(const unsigned char **p, const unsigned char *end, uint32_t *v,
                                uint32_t n)
{
    if ((size_t) (end - *p) / 4 < n) return ND_EFORMAT;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* the fields as they lie: a copy (the blocks of statistics, 1 M
     * counters at 200,000 documents, were 10 M instructions field by field) */
    if (n) memcpy(v, *p, (size_t) n * 4);
    *p += (size_t) n * 4;
#else
    const unsigned char *s = *p;
    for (uint32_t i = 0; i < n; i++, s += 4) v[i] = nd__rd32(s);
    *p = s;
#endif
    return 0;
}

/* n fields of 4 bytes alternately into a[0..n) and b[0..n), with one
 * bounds check for all of them (a field each was most of the instructions
 * of loading an inverted index's blocks). */
static inline int nd__get_u32_pairs(const unsigned char **p, const unsigned char *end, uint32_t *a,
                                    uint32_t *b, uint32_t n)
{
    if ((size_t) (end - *p) / 8 < n) return ND_EFORMAT;
    const unsigned char *s = *p;
    for (uint32_t i = 0; i < n; i++, s += 8) {
        a[i] = nd__rd32(s);
        b[i] = nd__rd32(s + 4);
    }
    *p = s;
    return 0;
}

static inline int nd__get_u64(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    if (end - *p < 8) return *v = 0, ND_EFORMAT;
    const unsigned char *s = *p;
    /* spelled out, so that compilers make it one load (a loop over the
     * bytes stayed a loop: 50 instructions a field) */
    *v = (uint64_t) s[0] | (uint64_t) s[1] << 8 | (uint64_t) s[2] << 16 | (uint64_t) s[3] << 24 |
         (uint64_t) s[4] << 32 | (uint64_t) s[5] << 40 | (uint64_t) s[6] << 48 |
         (uint64_t) s[7] << 56;
    *p += 8;
    return 0;
}

static inline int nd__get_f64(const unsigned char **p, const unsigned char *end, double *v)
{
    uint64_t u;
    if (nd__get_u64(p, end, &u)) return *v = 0, ND_EFORMAT;
    memcpy(v, &u, sizeof *v);
    return 0;
}

#endif
