/* pack.c - little-endian fixed-width fields for the binary states the
 * library saves (the story engine's, the store's story aggregates). */
#include "base/pack.h"

#include <string.h>

void nd__put_u32(nd_buf *b, uint32_t v)
{
    unsigned char s[4];
    for (int i = 0; i < 4; i++) s[i] = (unsigned char) (v >> (8 * i));
    nd_buf_append(b, s, 4);
}

void nd__put_u64(nd_buf *b, uint64_t v)
{
    unsigned char s[8];
    for (int i = 0; i < 8; i++) s[i] = (unsigned char) (v >> (8 * i));
    nd_buf_append(b, s, 8);
}

void nd__put_f64(nd_buf *b, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    nd__put_u64(b, u);
}
