/* state.c - the layouts of the engine's hash tables in its saved state
 * (the fields themselves: base/pack.h). */
#include "cluster/cluster_int.h"

#include <string.h>

/* A table's layout is saved as its capacity, its entry count and then each
 * occupied slot in ascending order, so that an imported table iterates in
 * the same order as the one exported: the engine sums and prunes centroids
 * in slot order, and a restored engine must decide exactly as the original
 * would have.  Tables never hold more than 3/4 of their slots, and never
 * more than 16 slots an entry past their smallest size, which bounds what a
 * corrupt state can make us allocate by its own length. */
int nd__layout_head(const unsigned char **p, const unsigned char *end, uint32_t min_cap,
                    size_t entry_bytes, uint32_t *cap, uint32_t *n)
{
    if (nd__get_u32(p, end, cap) || nd__get_u32(p, end, n)) return ND_EFORMAT;
    if (*cap == 0) return *n == 0 ? 0 : ND_EFORMAT;
    if ((*cap & (*cap - 1)) || *cap < min_cap || (uint64_t) *n * 4 > (uint64_t) *cap * 3)
        return ND_EFORMAT;
    if (*cap > min_cap && (uint64_t) *cap > (uint64_t) *n * 16) return ND_EFORMAT;
    if ((size_t) (end - *p) / (4 + entry_bytes) < *n) return ND_EFORMAT;
    return 0;
}

/* Linear probing's invariant: every slot from a key's home to where it
 * sits is occupied by other keys.  Without it a lookup could miss a key or
 * find it twice. */
int nd__layout_check(const uint64_t *keys, uint32_t cap)
{
    uint32_t mask = cap - 1;
    for (uint32_t i = 0; i < cap; i++) {
        if (!keys[i]) continue;
        for (uint32_t j = (uint32_t) nd__mix64(keys[i]) & mask; j != i; j = (j + 1) & mask)
            if (!keys[j] || keys[j] == keys[i]) return ND_EFORMAT;
    }
    return 0;
}
