/*
 * prior.c - the story engine's word-rarity prior: how common a word is in
 * the languages newsdesk reads (wordfreq 3.2, data/wordfreq/prior.bin,
 * written by tools/gen_wordfreq.sh), so that a fresh or small store tells
 * common words from rare ones before its own counts can.
 *
 * The table lists lowercased words with a quantised log-frequency.  It is
 * compiled into the library and read once per process into a map from
 * feature id to q: a word's name id (features.c, kind entity) takes the
 * word's own frequency; its stem's word and title ids take the summed
 * frequency of the words with that stem, stemmed here by the same Snowball
 * stemmer the features use, so the two cannot disagree.  Engines share the
 * map; nothing writes to it after nd__prior_get() built it.
 *
 * Building the map stems 50,000 words: 155 million instructions, a quarter
 * of what one page into a store of 20,000 cost.  So the build does it once
 * (tools/gen_prior_map.c, with this file and the same stemmer) and compiles
 * the map itself into the library (prior_blob.c); nd__prior_get() then only
 * checks its header.  A build without it parses prior.bin as before.
 */
#include "cluster/cluster_int.h"
#include "cluster/prior.h"

#include <libstemmer.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "base/blob.h"

#define PRIOR_NAME "wordfreq/prior.bin"
#define HEAD       24

uint64_t nd__prior_checksum(const void *data, size_t n)
{
    const unsigned char *s = data;
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 */
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint8_t quantise(double f)
{
    double q = f > 0 ? floor(-20.0 * log10(f) + 0.5) : 255;
    return (uint8_t) (q < 0 ? 0 : q > 255 ? 255 : q);
}

/* Slot of k in a map of capacity cap (a power of two). */
static uint32_t find(const uint64_t *keys, uint32_t cap, uint64_t k)
{
    uint32_t j = (uint32_t) nd__mix64(k) & (cap - 1);
    while (keys[j] && keys[j] != k) j = (j + 1) & (cap - 1);
    return j;
}

/* The map being built: nd__prior's arrays, writable. */
typedef struct pmap {
    uint64_t *keys;
    uint8_t *q;
    uint32_t cap, n;
} pmap;

static void put(pmap *p, uint64_t k, uint8_t q)
{
    uint32_t j = find(p->keys, p->cap, k);
    if (p->keys[j] && p->q[j] <= q) return; /* one id twice: the commoner wins */
    if (!p->keys[j]) p->n++;
    p->keys[j] = k;
    p->q[j] = q;
}

void nd__prior_free(nd__prior *p)
{
    nd_free((void *) p->keys);
    nd_free((void *) p->q);
    memset(p, 0, sizeof *p);
}

int nd__prior_parse(const void *data, size_t len, nd__prior *p, nd_error *err)
{
    const unsigned char *b = data;
    memset(p, 0, sizeof *p);
    if (!b || len < HEAD || memcmp(b, "NDWF", 4))
        return nd_error_set(err, ND_EFORMAT, 0, "word-rarity prior: not an NDWF table");
    uint32_t version = get_u32(b + 4), n = get_u32(b + 8), bytes = get_u32(b + 12);
    uint64_t sum = get_u32(b + 16) | (uint64_t) get_u32(b + 20) << 32;
    if (version != ND__PRIOR_VERSION)
        return nd_error_set(err, ND_EFORMAT, 4, "word-rarity prior: format %u, want %d", version,
                            ND__PRIOR_VERSION);
    if (bytes != len - HEAD || n > bytes / 3)
        return nd_error_set(err, ND_EFORMAT, 8, "word-rarity prior: sizes do not match the table");
    if (nd__prior_checksum(b + HEAD, bytes) != sum)
        return nd_error_set(err, ND_EFORMAT, 16, "word-rarity prior: checksum mismatch");
    struct sb_stemmer *st = sb_stemmer_new("english", NULL);
    /* stems: word id -> title id and summed frequency, before they go in */
    uint32_t scap = 1024;
    while ((uint64_t) scap * 3 < (uint64_t) n * 4 + 4) scap *= 2;
    uint64_t *skeys = nd_calloc(scap, sizeof *skeys), *stitle = nd_calloc(scap, sizeof *stitle);
    double *sfreq = nd_calloc(scap, sizeof *sfreq);
    uint32_t cap = 1024;
    while ((uint64_t) cap * 3 < (uint64_t) n * 3 * 4 + 4) cap *= 2;
    pmap m = {nd_calloc(cap, sizeof *m.keys), nd_calloc(cap, 1), cap, 0};
    int rc = 0;
    if (!st || !skeys || !stitle || !sfreq || !m.keys || !m.q) {
        rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "word-rarity prior: out of memory");
        goto done;
    }
    double freq[256]; /* 10^(-q/20) */
    for (int q = 0; q < 256; q++) freq[q] = pow(10.0, -q / 20.0);
    const unsigned char *s = b + HEAD, *e = b + len;
    char word[256];
    size_t wl = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (e - s < 3 || s[0] > wl || s[1] == 0 || (size_t) (e - s) < 3u + s[1] ||
            (size_t) s[0] + s[1] >= sizeof word) {
            rc = nd_error_set(err, ND_EFORMAT, (size_t) (s - b), "word-rarity prior: bad entry %u",
                              i);
            goto done;
        }
        wl = (size_t) s[0] + s[1];
        memcpy(word + s[0], s + 2, s[1]);
        uint8_t q = s[2 + s[1]];
        s += 3 + s[1];
        put(&m, nd__feat_hash(ND__F_ENTITY, word, wl), q);
        const sb_symbol *stem = sb_stemmer_stem(st, (const sb_symbol *) word, (int) wl);
        int sl = sb_stemmer_length(st);
        const char *w = stem && sl > 0 ? (const char *) stem : word;
        size_t n_w = stem && sl > 0 ? (size_t) sl : wl;
        uint64_t k = nd__feat_hash(ND__F_WORD, w, n_w);
        uint32_t j = find(skeys, scap, k);
        if (!skeys[j]) {
            skeys[j] = k;
            stitle[j] = nd__feat_hash(ND__F_TITLE, w, n_w);
        }
        sfreq[j] += freq[q];
    }
    if (s != e) {
        rc = nd_error_set(err, ND_EFORMAT, (size_t) (s - b), "word-rarity prior: trailing bytes");
        goto done;
    }
    for (uint32_t j = 0; j < scap; j++) {
        if (!skeys[j]) continue;
        uint8_t q = quantise(sfreq[j]);
        put(&m, skeys[j], q);
        put(&m, stitle[j], q);
    }
done:
    nd_free(skeys);
    nd_free(stitle);
    nd_free(sfreq);
    if (st) sb_stemmer_delete(st);
    *p = (nd__prior){m.keys, m.q, m.cap, m.n};
    if (rc) nd__prior_free(p);
    return rc;
}

/* ---- the map as bytes ------------------------------------------------------ */

static uint64_t source_sum(const void *source, size_t len)
{
    const unsigned char *b = source;
    return b && len >= HEAD ? get_u32(b + 16) | (uint64_t) get_u32(b + 20) << 32 : 0;
}

void nd__prior_map_write(nd_buf *b, const nd__prior *p, const void *source, size_t source_len)
{
    unsigned char head[ND__PRIOR_MAP_HEAD] = {'N', 'D', 'P', 'M'};
    uint32_t v[3] = {ND__PRIOR_MAP_VERSION, p->cap, p->n};
    uint64_t sum = source_sum(source, source_len);
    memcpy(head + 4, v, sizeof v);
    memcpy(head + 16, &sum, sizeof sum);
    nd_buf_append(b, head, sizeof head);
    nd_buf_append(b, p->keys, (size_t) p->cap * sizeof *p->keys);
    nd_buf_append(b, p->q, p->cap);
}

int nd__prior_map_view(const void *map, size_t len, const void *source, size_t source_len,
                       nd__prior *p, nd_error *err)
{
    const unsigned char *b = map;
    memset(p, 0, sizeof *p);
    uint32_t v[3];
    uint64_t sum;
    if (!b || len < ND__PRIOR_MAP_HEAD || memcmp(b, "NDPM", 4) || (uintptr_t) b % 64)
        return nd_error_set(err, ND_EFORMAT, 0, "word-rarity map: not an NDPM map");
    memcpy(v, b + 4, sizeof v);
    memcpy(&sum, b + 16, sizeof sum);
    if (v[0] != ND__PRIOR_MAP_VERSION)
        return nd_error_set(err, ND_EFORMAT, 4, "word-rarity map: format %u, want %d", v[0],
                            ND__PRIOR_MAP_VERSION);
    if (!v[1] || (v[1] & (v[1] - 1)) || v[2] >= v[1] ||
        len != ND__PRIOR_MAP_HEAD + (size_t) v[1] * (sizeof(uint64_t) + 1))
        return nd_error_set(err, ND_EFORMAT, 8, "word-rarity map: sizes do not match the map");
    if (sum != source_sum(source, source_len))
        return nd_error_set(err, ND_EFORMAT, 16, "word-rarity map: made from another table");
    p->keys = (const uint64_t *) (const void *) (b + ND__PRIOR_MAP_HEAD);
    p->q = b + ND__PRIOR_MAP_HEAD + (size_t) v[1] * sizeof(uint64_t);
    p->cap = v[1];
    p->n = v[2];
    return 0;
}

static nd__prior g_prior;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* The map the build made (prior_blob.c; len 0 in tools/gen_prior_map.c,
 * which makes it). */
extern const unsigned char nd__prior_map_blob[];
extern const size_t nd__prior_map_blob_len;

static void load_embedded(void)
{
    for (size_t i = 0; i < nd__n_data_blobs; i++)
        if (!strcmp(nd__data_blobs[i].name, PRIOR_NAME)) {
            const nd__blob *src = &nd__data_blobs[i];
            if (nd__prior_map_blob_len &&
                !nd__prior_map_view(nd__prior_map_blob, nd__prior_map_blob_len, src->data, src->len,
                                    &g_prior, NULL))
                return;
            /* a damaged table leaves the engine on its own counts */
            nd__prior_parse(src->data, src->len, &g_prior, NULL);
            return;
        }
}

const nd__prior *nd__prior_get(void)
{
    pthread_once(&g_once, load_embedded);
    return g_prior.cap ? &g_prior : NULL;
}

double nd__prior_share_q(int q)
{
    if (q < 0 || q > 255) return 0.0;
    return -expm1(-ND__PRIOR_ARTICLE * pow(10.0, -q / 20.0));
}

double nd__prior_word_share(const char *w, size_t n)
{
    const nd__prior *p = nd__prior_get();
    return p && n ? nd__prior_share_q(nd__prior_q(p, nd__feat_hash(ND__F_ENTITY, w, n))) : 0.0;
}
