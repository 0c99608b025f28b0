/*
 * pack.h - little-endian fixed-width fields for the binary states the
 * library saves (the story engine's items, the store's story aggregates).
 * The readers return 0, or ND_EFORMAT when fewer bytes than the field's
 * remain (then *p is unchanged and *v is 0).
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
static inline int nd__get_u32(const unsigned char **p, const unsigned char *end, uint32_t *v)
{
    if (end - *p < 4) return *v = 0, ND_EFORMAT;
    const unsigned char *s = *p;
    *v = (uint32_t) s[0] | (uint32_t) s[1] << 8 | (uint32_t) s[2] << 16 | (uint32_t) s[3] << 24;
    *p += 4;
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
