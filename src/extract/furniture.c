/* furniture.c - blocks that recur across the pages of a batch.
 *
 * When several pages of a site are extracted together, the lines they share
 * (menus, newsletter prompts, author bios, footers) are furniture whatever
 * they look like on one page.  A first pass counts, for every block text,
 * the number of pages it occurs on; extraction then marks blocks seen on at
 * least one other page.  Two guards keep the same article syndicated on two
 * pages from being thrown away as furniture: long blocks (prose paragraphs)
 * only count when they recur on at least three pages, and a page whose
 * prose would be mostly furniture ignores the marks (nd__furniture_mark).
 *
 * The table holds 64-bit hashes of block texts and their page counts: a few
 * bytes per distinct block, never the pages themselves.
 */
#include <string.h>

#include "extract/extract_int.h"

struct nd_furniture {
    uint64_t *keys; /* 0 = empty slot */
    uint32_t *counts;
    size_t cap, used;
    size_t pages;
};

/* Blocks longer than this are prose-sized: they must recur on three pages. */
#define LONG_BLOCK 200
/* Blocks at least this long are sentences: they decide whether the page
 * is a copy of another (see nd__furniture_mark). */
#define SENTENCE 60

nd_furniture *nd_furniture_new(void)
{
    nd_furniture *f = nd_calloc(1, sizeof *f);
    if (!f) return NULL;
    f->cap = 4096;
    f->keys = nd_calloc(f->cap, sizeof *f->keys);
    f->counts = nd_calloc(f->cap, sizeof *f->counts);
    if (!f->keys || !f->counts) {
        nd_furniture_free(f);
        return NULL;
    }
    return f;
}

void nd_furniture_free(nd_furniture *f)
{
    if (!f) return;
    nd_free(f->keys);
    nd_free(f->counts);
    nd_free(f);
}

static uint64_t block_key(const nd_page *pg, const nd_block *b)
{
    uint64_t h = nd_hash64(pg->text.ptr + b->off, b->len);
    return h ? h : 1;
}

static size_t slot(const uint64_t *keys, size_t cap, uint64_t k)
{
    size_t i = (size_t) k & (cap - 1);
    while (keys[i] && keys[i] != k) i = (i + 1) & (cap - 1);
    return i;
}

static int grow(nd_furniture *f)
{
    size_t cap = f->cap * 2;
    uint64_t *keys = nd_calloc(cap, sizeof *keys);
    uint32_t *counts = nd_calloc(cap, sizeof *counts);
    if (!keys || !counts) {
        nd_free(keys);
        nd_free(counts);
        return ND_ENOMEM;
    }
    for (size_t i = 0; i < f->cap; i++)
        if (f->keys[i]) {
            size_t j = slot(keys, cap, f->keys[i]);
            keys[j] = f->keys[i];
            counts[j] = f->counts[i];
        }
    nd_free(f->keys);
    nd_free(f->counts);
    f->keys = keys;
    f->counts = counts;
    f->cap = cap;
    return 0;
}

int nd_furniture_add(nd_furniture *f, const void *data, size_t len, const nd_extract_opts *opts)
{
    nd_extract_opts o;
    if (opts)
        o = *opts;
    else
        nd_extract_opts_init(&o);
    o.furniture = NULL;
    nd_decoded dec;
    nd_page pg;
    int rc = nd__load_page(data, len, &o, &dec, &pg, NULL);
    if (rc) return rc;
    /* Each distinct block text counts once per page: a set for the page. */
    size_t pcap = 64;
    while (pcap < 2 * pg.n_blocks) pcap *= 2;
    uint64_t *seen = nd_calloc(pcap, sizeof *seen);
    if (!seen) rc = ND_ENOMEM;
    for (size_t i = 0; !rc && i < pg.n_blocks; i++) {
        const nd_block *b = &pg.blocks[i];
        if (b->len < 3) continue;
        uint64_t k = block_key(&pg, b);
        size_t s = slot(seen, pcap, k);
        if (seen[s]) continue;
        seen[s] = k;
        if ((f->used + 1) * 2 > f->cap && grow(f)) {
            rc = ND_ENOMEM;
            break;
        }
        size_t j = slot(f->keys, f->cap, k);
        if (!f->keys[j]) {
            f->keys[j] = k;
            f->used++;
        }
        if (f->counts[j] < UINT32_MAX) f->counts[j]++;
    }
    nd_free(seen);
    if (!rc) f->pages++;
    nd__page_free(&pg);
    nd_decoded_free(&dec);
    return rc;
}

void nd__furniture_mark(const nd_furniture *f, nd_page *pg)
{
    if (!f || f->pages < 2) return;
    size_t total = 0, shared = 0;
    for (size_t i = 0; i < pg->n_blocks; i++) {
        nd_block *b = &pg->blocks[i];
        if (b->len < 3) continue;
        uint64_t k = block_key(pg, b);
        size_t j = slot(f->keys, f->cap, k);
        uint32_t c = f->keys[j] ? f->counts[j] : 0;
        /* The page itself was counted in the first pass. */
        uint32_t need = b->len > LONG_BLOCK ? 3 : 2;
        if (b->len >= SENTENCE) total += b->len;
        if (c >= need) {
            b->flags |= ND_BLK_FURNITURE;
            if (b->len >= SENTENCE) shared += b->len;
        }
    }
    /* Most of the page's prose recurs elsewhere: this is the same article
     * on several pages (syndication, versions), not furniture. */
    if (total && shared * 2 > total)
        for (size_t i = 0; i < pg->n_blocks; i++)
            pg->blocks[i].flags &= (uint16_t) ~ND_BLK_FURNITURE;
}
