/* imap.c - the u64 -> i64 open-addressing map (base/imap.h), and the
 * rehash and removal the story engine's u64 -> float map shares with it. */
#include "base/imap.h"
#include "base/alloc.h"

#include <string.h>

int nd__map_rehash(uint64_t **keys, void **vals, size_t vsize, uint32_t cap, uint32_t ncap)
{
    /* every entry goes in again: the new keys are touched all over */
    uint64_t *nk = nd__zalloc_dense(ncap, sizeof *nk);
    unsigned char *nv = nd_malloc((size_t) ncap * vsize);
    if (!nk || !nv) {
        nd_free(nk);
        nd_free(nv);
        return ND_ENOMEM;
    }
    const unsigned char *ov = *vals;
    for (uint32_t i = 0; i < cap; i++) {
        if (!(*keys)[i]) continue;
        uint32_t j = nd__map_find(nk, ncap, (*keys)[i]);
        nk[j] = (*keys)[i];
        memcpy(nv + (size_t) j * vsize, ov + (size_t) i * vsize, vsize);
    }
    nd_free(*keys);
    nd_free(*vals);
    *keys = nk;
    *vals = nv;
    return 0;
}

void nd__map_unslot(uint64_t *keys, void *vals, size_t vsize, uint32_t cap, uint32_t j)
{
    unsigned char *v = vals;
    uint32_t mask = cap - 1, i = j;
    for (;;) {
        keys[i] = 0;
        uint32_t nx = i;
        for (;;) {
            nx = (nx + 1) & mask;
            if (!keys[nx]) return;
            uint32_t home = nd__map_slot(keys[nx], cap);
            /* Can the entry at nx move to i?  Only when i lies cyclically
             * between its home slot and nx. */
            if (i <= nx ? (home <= i || home > nx) : (home <= i && home > nx)) break;
        }
        keys[i] = keys[nx];
        memcpy(v + (size_t) i * vsize, v + (size_t) nx * vsize, vsize);
        i = nx;
    }
}

int nd__imap_grow(nd__imap *m, uint32_t cap)
{
    void *vals = m->vals;
    if (nd__map_rehash(&m->keys, &vals, sizeof *m->vals, m->cap, cap)) return ND_ENOMEM;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int nd__imap_get(const nd__imap *m, uint64_t k, int64_t *v)
{
    if (!m->cap) return 0;
    uint32_t j = nd__map_find(m->keys, m->cap, k);
    if (!m->keys[j]) return 0;
    if (v) *v = m->vals[j];
    return 1;
}

int nd__imap_put(nd__imap *m, uint64_t k, int64_t v)
{
    int64_t *r = nd__imap_ref(m, k);
    if (!r) return ND_ENOMEM;
    *r = v;
    return 0;
}

int64_t *nd__imap_ref(nd__imap *m, uint64_t k)
{
    if ((uint64_t) (m->n + 1) * 4 > (uint64_t) m->cap * 3) {
        if (nd__imap_grow(m, m->cap ? m->cap * 2 : 16)) return NULL;
    }
    uint32_t j = nd__map_find(m->keys, m->cap, k);
    if (!m->keys[j]) {
        m->keys[j] = k;
        m->vals[j] = 0;
        m->n++;
    }
    return &m->vals[j];
}

void nd__imap_del(nd__imap *m, uint64_t k)
{
    if (!m->cap) return;
    uint32_t j = nd__map_find(m->keys, m->cap, k);
    if (!m->keys[j]) return;
    nd__map_unslot(m->keys, m->vals, sizeof *m->vals, m->cap, j);
    m->n--;
}

void nd__imap_free(nd__imap *m)
{
    nd_free(m->keys);
    nd_free(m->vals);
    memset(m, 0, sizeof *m);
}

int nd__imap_copy(nd__imap *dst, const nd__imap *src)
{
    memset(dst, 0, sizeof *dst);
    if (!src->cap) return 0;
    dst->keys = nd_malloc((size_t) src->cap * sizeof *dst->keys);
    dst->vals = nd_malloc((size_t) src->cap * sizeof *dst->vals);
    if (!dst->keys || !dst->vals) {
        nd__imap_free(dst);
        return ND_ENOMEM;
    }
    memcpy(dst->keys, src->keys, (size_t) src->cap * sizeof *dst->keys);
    memcpy(dst->vals, src->vals, (size_t) src->cap * sizeof *dst->vals);
    dst->cap = src->cap;
    dst->n = src->n;
    return 0;
}

size_t nd__imap_bytes(const nd__imap *m)
{
    return (size_t) m->cap * (sizeof(uint64_t) + sizeof(int64_t));
}
