/* mix.h - the 64-bit finaliser every hash in newsdesk ends with (private). */
#ifndef ND_BASE_MIX_H
#define ND_BASE_MIX_H

#include <stdint.h>

/* The finaliser of MurmurHash3 (public domain constants): every input bit
 * affects every output bit. */
static inline uint64_t nd__mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

#endif
