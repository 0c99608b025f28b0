/* pack.c - little-endian fixed-width fields for the binary states the
 * library saves (the story engine's, the store's story aggregates). */
#include "base/pack.h"

#include <string.h>

/* Most fields go into room the buffer has: written there without a call
 * (a save or an export writes hundreds of thousands of them; through
 * nd_buf_append each cost about 70 instructions). */
static void put_le(nd_buf *b, uint64_t v, size_t n)
{
    unsigned char s[8];
    for (size_t i = 0; i < n; i++) s[i] = (unsigned char) (v >> (8 * i));
    if (!b->failed && b->len + n < b->cap) {
        memcpy(b->ptr + b->len, s, n);
        b->len += n;
        b->ptr[b->len] = 0;
        return;
    }
    nd_buf_append(b, s, n);
}

void nd__put_u32(nd_buf *b, uint32_t v)
{
    put_le(b, v, 4);
}

void nd__put_u64(nd_buf *b, uint64_t v)
{
    put_le(b, v, 8);
}

void nd__put_f64(nd_buf *b, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    nd__put_u64(b, u);
}
