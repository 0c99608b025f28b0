/* imap.c - the u64 -> i64 open-addressing map (base/imap.h). */
#include "base/imap.h"

#include <string.h>

int nd__imap_grow(nd__imap *m, uint32_t cap)
{
    uint64_t *keys = nd_calloc(cap, sizeof *keys);
    int64_t *vals = nd_malloc((size_t) cap * sizeof *vals);
    if (!keys || !vals) {
        nd_free(keys);
        nd_free(vals);
        return ND_ENOMEM;
    }
    for (uint32_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        uint32_t j = nd__map_slot(m->keys[i], cap);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    nd_free(m->keys);
    nd_free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int nd__imap_get(const nd__imap *m, uint64_t k, int64_t *v)
{
    if (!m->cap) return 0;
    uint32_t j = nd__map_slot(k, m->cap);
    while (m->keys[j]) {
        if (m->keys[j] == k) {
            if (v) *v = m->vals[j];
            return 1;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

int nd__imap_put(nd__imap *m, uint64_t k, int64_t v)
{
    if ((uint64_t) (m->n + 1) * 4 > (uint64_t) m->cap * 3) {
        if (nd__imap_grow(m, m->cap ? m->cap * 2 : 16)) return ND_ENOMEM;
    }
    uint32_t j = nd__map_slot(k, m->cap);
    while (m->keys[j]) {
        if (m->keys[j] == k) {
            m->vals[j] = v;
            return 0;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = k;
    m->vals[j] = v;
    m->n++;
    return 0;
}

int64_t *nd__imap_ref(nd__imap *m, uint64_t k)
{
    if ((uint64_t) (m->n + 1) * 4 > (uint64_t) m->cap * 3) {
        if (nd__imap_grow(m, m->cap ? m->cap * 2 : 16)) return NULL;
    }
    uint32_t j = nd__map_slot(k, m->cap);
    while (m->keys[j]) {
        if (m->keys[j] == k) return &m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = k;
    m->vals[j] = 0;
    m->n++;
    return &m->vals[j];
}

void nd__imap_del(nd__imap *m, uint64_t k)
{
    if (!m->cap) return;
    uint32_t mask = m->cap - 1, j = nd__map_slot(k, m->cap);
    while (m->keys[j] && m->keys[j] != k) j = (j + 1) & mask;
    if (!m->keys[j]) return;
    uint32_t i = j;
    for (;;) {
        m->keys[i] = 0;
        uint32_t nx = i;
        for (;;) {
            nx = (nx + 1) & mask;
            if (!m->keys[nx]) {
                m->n--;
                return;
            }
            uint32_t home = nd__map_slot(m->keys[nx], m->cap);
            if (i <= nx ? (home <= i || home > nx) : (home <= i && home > nx)) break;
        }
        m->keys[i] = m->keys[nx];
        m->vals[i] = m->vals[nx];
        i = nx;
    }
}

void nd__imap_free(nd__imap *m)
{
    nd_free(m->keys);
    nd_free(m->vals);
    memset(m, 0, sizeof *m);
}

size_t nd__imap_bytes(const nd__imap *m)
{
    return (size_t) m->cap * (sizeof(uint64_t) + sizeof(int64_t));
}
