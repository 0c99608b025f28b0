/* maps.c - the two small open-addressing hash maps of the story engine. */
#include "cluster/cluster_int.h"

#include <math.h>
#include <string.h>

/* ---- u64 -> float ---------------------------------------------------------- */

static int fmap_grow(nd__fmap *m, uint32_t cap)
{
    void *vals = m->vals;
    if (nd__map_rehash(&m->keys, &vals, sizeof *m->vals, m->cap, cap)) return ND_ENOMEM;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int nd__fmap_reserve(nd__fmap *m, uint32_t n)
{
    uint32_t cap = m->cap ? m->cap : 16;
    while ((uint64_t) n * 4 > (uint64_t) cap * 3) cap *= 2;
    return cap == m->cap ? 0 : fmap_grow(m, cap);
}

float nd__fmap_get(const nd__fmap *m, uint64_t k)
{
    if (!m->cap) return 0.0f;
    uint32_t j = nd__map_find(m->keys, m->cap, k);
    return m->keys[j] ? m->vals[j] : 0.0f;
}

int nd__fmap_add(nd__fmap *m, uint64_t k, float d, float *nv)
{
    if (nd__fmap_reserve(m, m->n + 1)) return ND_ENOMEM;
    uint32_t j = nd__map_find(m->keys, m->cap, k);
    if (m->keys[j]) {
        m->vals[j] += d;
    } else {
        m->keys[j] = k;
        m->vals[j] = d;
        m->n++;
    }
    if (nv) *nv = m->vals[j];
    return 0;
}

void nd__fmap_del(nd__fmap *m, uint64_t k)
{
    if (!m->cap) return;
    uint32_t j = nd__map_find(m->keys, m->cap, k);
    if (!m->keys[j]) return;
    nd__map_unslot(m->keys, m->vals, sizeof *m->vals, m->cap, j);
    m->n--;
}

void nd__fmap_free(nd__fmap *m)
{
    nd_free(m->keys);
    nd_free(m->vals);
    memset(m, 0, sizeof *m);
}

size_t nd__fmap_bytes(const nd__fmap *m)
{
    return (size_t) m->cap * (sizeof(uint64_t) + sizeof(float));
}

void nd__fmap_export(nd_buf *b, const nd__fmap *m)
{
    nd__put_u32(b, m->cap);
    nd__put_u32(b, m->n);
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        uint32_t w;
        memcpy(&w, &m->vals[i], sizeof w);
        nd__put_u32(b, i);
        nd__put_u64(b, m->keys[i]);
        nd__put_u32(b, w);
    }
}

int nd__fmap_import(const unsigned char **p, const unsigned char *end, nd__fmap *m)
{
    uint32_t cap, n, slot, w;
    int64_t prev = -1;
    if (nd__layout_head(p, end, 16, 12, &cap, &n)) return ND_EFORMAT;
    if (!cap) return 0;
    if (fmap_grow(m, cap)) return ND_ENOMEM;
    for (uint32_t k = 0; k < n; k++) {
        uint64_t h;
        float f;
        if (nd__layout_slot(p, end, cap, &prev, &slot) || nd__get_u64(p, end, &h) || !h ||
            nd__get_u32(p, end, &w))
            return ND_EFORMAT;
        memcpy(&f, &w, sizeof f);
        if (!isfinite(f)) return ND_EFORMAT;
        m->keys[slot] = h;
        m->vals[slot] = f;
    }
    m->n = n;
    return nd__layout_check(m->keys, m->cap);
}

/* ---- u64 -> i64 ------------------------------------------------------------ */

void nd__imap_export(nd_buf *b, const nd__imap *m)
{
    nd__put_u32(b, m->cap);
    nd__put_u32(b, m->n);
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        nd__put_u32(b, i);
        nd__put_u64(b, m->keys[i]);
        nd__put_u64(b, (uint64_t) m->vals[i]);
    }
}

int nd__imap_import(const unsigned char **p, const unsigned char *end, nd__imap *m)
{
    uint32_t cap, n, slot;
    int64_t prev = -1;
    if (nd__layout_head(p, end, 16, 16, &cap, &n)) return ND_EFORMAT;
    if (!cap) return 0;
    if (nd__imap_grow(m, cap)) return ND_ENOMEM;
    for (uint32_t k = 0; k < n; k++) {
        uint64_t h, v;
        if (nd__layout_slot(p, end, cap, &prev, &slot) || nd__get_u64(p, end, &h) || !h ||
            nd__get_u64(p, end, &v))
            return ND_EFORMAT;
        m->keys[slot] = h;
        m->vals[slot] = (int64_t) v;
    }
    m->n = n;
    return nd__layout_check(m->keys, m->cap);
}
