/* hash.c - a stable 64-bit hash for content addressing and sketches. */
#include "newsdesk/base.h"
#include "base/mix.h"

#include <string.h>

uint64_t nd_hash64(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0x100000001b3ULL);
    size_t i = 0;
    /* Eight bytes a step, read as a little-endian word so that the value
     * is the same on every machine: one load (and a byte swap on a
     * big-endian host), not eight byte loads, which GCC does not merge
     * when they are written as a loop. */
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap64(w);
#endif
        h = (h ^ nd__mix64(w)) * 0x100000001b3ULL;
        h = (h << 27) | (h >> 37);
    }
    uint64_t w = 0;
    for (size_t k = n; k > i; k--) w = (w << 8) | s[k - 1];
    h ^= nd__mix64(w ^ (n - i));
    return nd__mix64(h);
}
