/*
 * dup.c - exact and near duplicates: content hash, MinHash sketch, LSH.
 *
 * The sketch is one-permutation MinHash (Li, Owen & Zhang 2012) over word
 * 4-gram shingles: each shingle is hashed once, the top 7 bits pick one of
 * 128 slots and the slot keeps the smallest low 32 bits; empty slots borrow
 * from the next filled one (rotation densification, Shrivastava & Li
 * 2014).  The fraction of equal slots estimates the Jaccard similarity of
 * the shingle sets (standard error sqrt(J(1-J)/128), 0.035 at J = 0.8).
 *
 * The index keeps the sketches of the last `window` documents in two
 * generations of window/2 (the older one is dropped whole when the newer
 * is full, so nothing is deleted one by one).  Lookups go through an exact
 * table on the content hash and 32 LSH bands of 4 slots: a document with
 * Jaccard J is a candidate with probability 1 - (1 - J^4)^32 (0.9999 at
 * 0.7, 0.87 at 0.5, 0.003 at 0.1); candidates are then verified on all
 * 128 slots.  The slots are stored as their low 16 bits (b-bit MinHash:
 * a chance equality adds 1/65536 to the estimate).
 */
#include "cluster/cluster_int.h"

#include <string.h>

/* Texts with fewer shingles get no near-duplicate sketch (a few dozen words
 * cannot be told apart from a quotation shared by two stories). */
#define MIN_SHINGLES 50
#define MAX_CHAIN    64 /* candidates walked per band: bounds pathological cost */

uint64_t nd__dup_token_hash(const char *lower, size_t n)
{
    return nd_hash64(lower, n);
}

void nd__dup_begin(nd__dupacc *a)
{
    memset(a, 0, sizeof *a);
    a->content = 0xcbf29ce484222325ULL;
    for (int i = 0; i < ND_DUP_SLOTS; i++) a->mh[i] = UINT32_MAX;
}

void nd__dup_token(nd__dupacc *a, uint64_t th)
{
    a->content = (a->content ^ th) * 0x100000001b3ULL;
    a->n_words++;
    if (a->n_words >= 4) {
        uint64_t sh =
            nd__mix64(a->last[0] * 0x9e3779b97f4a7c15ULL + a->last[1] * 0xc2b2ae3d27d4eb4fULL +
                      a->last[2] * 0x165667b19e3779f9ULL + th);
        unsigned slot = (unsigned) (sh >> 57);
        uint32_t v = (uint32_t) sh;
        if (v < a->mh[slot]) a->mh[slot] = v;
        a->filled[slot] = 1;
        a->n_shingles++;
    }
    a->last[0] = a->last[1];
    a->last[1] = a->last[2];
    a->last[2] = th;
}

void nd__dup_end(nd__dupacc *a, const char *title, size_t title_len, nd_dup_sketch *out)
{
    uint64_t c = a->content;
    if (a->n_words < ND_DUP_MIN_WORDS && title && title_len)
        c ^= nd__mix64(nd_hash64(title, title_len));
    out->content_hash = nd__mix64(c ^ a->n_words);
    out->n_words = a->n_words;
    if (a->n_shingles < MIN_SHINGLES) {
        out->n_shingles = 0;
        memset(out->mh, 0, sizeof out->mh);
        return;
    }
    out->n_shingles = a->n_shingles;
    for (int i = 0; i < ND_DUP_SLOTS; i++) {
        if (a->filled[i]) {
            out->mh[i] = a->mh[i];
            continue;
        }
        int j = i, d = 0;
        while (!a->filled[j]) {
            j = (j + 1) % ND_DUP_SLOTS;
            d++;
        }
        out->mh[i] = a->mh[j] + (uint32_t) d * 0x9e3779b1u;
    }
}

void nd_dup_sketch_text(const char *title, size_t title_len, const char *text, size_t text_len,
                        nd_dup_sketch *out)
{
    nd__dupacc acc;
    nd__dup_begin(&acc);
    if (!text) text_len = 0;
    if (!title) title_len = 0;
    if (text_len > ND__CL_MAX_TEXT) text_len = ND__CL_MAX_TEXT;
    nd_token tok[512];
    size_t pos = 0;
    while (pos < text_len) {
        size_t used = 0;
        size_t n = nd_tokenize(text + pos, text_len - pos, tok, 512, &used);
        for (size_t i = 0; i < n; i++) {
            if (tok[i].type != ND_TOK_WORD && tok[i].type != ND_TOK_NUM) continue;
            char low[400];
            size_t ln = nd_token_lower(text + pos, &tok[i], 1, low, sizeof low);
            if (ln > 96) ln = 96;
            nd__dup_token(&acc, nd__dup_token_hash(low, ln));
        }
        if (!used) break;
        pos += used;
    }
    nd__dup_end(&acc, title, title_len, out);
}

double nd_dup_jaccard(const nd_dup_sketch *a, const nd_dup_sketch *b)
{
    if (!a->n_shingles || !b->n_shingles) return 0.0;
    int eq = 0;
    for (int i = 0; i < ND_DUP_SLOTS; i++) eq += a->mh[i] == b->mh[i];
    return (double) eq / ND_DUP_SLOTS;
}

/* ---- the index ---------------------------------------------------------------- */

typedef struct dgen {
    uint64_t gen;    /* generation number (handles name it) */
    uint32_t n, cap; /* documents */
    int64_t *ids, *tags;
    uint64_t *seqs, *chash;
    uint16_t *mh;    /* cap x ND_DUP_SLOTS, low 16 bits */
    uint8_t *has;    /* has a near-duplicate sketch */
    uint32_t *bkey;  /* cap x ND_DUP_BANDS: band keys */
    uint32_t *bnext; /* cap x ND_DUP_BANDS: next document + 1 in the bucket */
    uint32_t *bhead; /* ND_DUP_BANDS x hcap: first document + 1 */
    uint32_t *xtab;  /* hcap: exact table, document + 1 */
    uint32_t hcap;
} dgen;

struct nd_dup_index {
    size_t window;
    uint32_t gen_docs; /* documents per generation */
    uint64_t seq, next_gen;
    dgen g[2]; /* g[0] newer, g[1] older */
};

static void gen_free(dgen *g)
{
    nd_free(g->ids);
    nd_free(g->tags);
    nd_free(g->seqs);
    nd_free(g->chash);
    nd_free(g->mh);
    nd_free(g->has);
    nd_free(g->bkey);
    nd_free(g->bnext);
    nd_free(g->bhead);
    nd_free(g->xtab);
    memset(g, 0, sizeof *g);
}

static size_t gen_bytes(const dgen *g)
{
    size_t per = 2 * sizeof(int64_t) + 2 * sizeof(uint64_t) + ND_DUP_SLOTS * sizeof(uint16_t) + 1 +
                 2 * ND_DUP_BANDS * sizeof(uint32_t);
    return (size_t) g->cap * per + (size_t) g->hcap * (ND_DUP_BANDS + 1) * sizeof(uint32_t);
}

static uint32_t band_key(const uint32_t *mh, int b)
{
    const uint32_t *r = mh + b * ND_DUP_ROWS;
    uint64_t h = (uint64_t) b * 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < ND_DUP_ROWS; i++) h = nd__mix64(h ^ r[i]);
    return (uint32_t) (h >> 32) | 1u;
}

static uint32_t hslot(uint64_t k, uint32_t hcap)
{
    return (uint32_t) nd__mix64(k) & (hcap - 1);
}

/* Rebuild the bucket heads and the exact table for hcap slots. */
static int gen_rehash(dgen *g, uint32_t hcap)
{
    uint32_t *bhead = nd_calloc((size_t) hcap * ND_DUP_BANDS, sizeof *bhead);
    uint32_t *xtab = nd_calloc(hcap, sizeof *xtab);
    if (!bhead || !xtab) {
        nd_free(bhead);
        nd_free(xtab);
        return ND_ENOMEM;
    }
    nd_free(g->bhead);
    nd_free(g->xtab);
    g->bhead = bhead;
    g->xtab = xtab;
    g->hcap = hcap;
    for (uint32_t d = 0; d < g->n; d++) {
        uint32_t j = hslot(g->chash[d], hcap);
        while (xtab[j] && g->chash[xtab[j] - 1] != g->chash[d]) j = (j + 1) & (hcap - 1);
        if (!xtab[j]) xtab[j] = d + 1;
        if (!g->has[d]) continue;
        for (int b = 0; b < ND_DUP_BANDS; b++) {
            uint32_t *head =
                &bhead[(size_t) b * hcap + (g->bkey[(size_t) d * ND_DUP_BANDS + b] & (hcap - 1))];
            g->bnext[(size_t) d * ND_DUP_BANDS + b] = *head;
            *head = d + 1;
        }
    }
    return 0;
}

#define GROW(ptr, n)                                                                               \
    do {                                                                                           \
        void *p_ = nd_realloc((ptr), (size_t) (n) * sizeof *(ptr));                                \
        if (!p_) return ND_ENOMEM;                                                                 \
        (ptr) = p_;                                                                                \
    } while (0)

static int gen_grow(dgen *g, uint32_t cap)
{
    GROW(g->ids, cap);
    GROW(g->tags, cap);
    GROW(g->seqs, cap);
    GROW(g->chash, cap);
    GROW(g->mh, (size_t) cap * ND_DUP_SLOTS);
    GROW(g->has, cap);
    GROW(g->bkey, (size_t) cap * ND_DUP_BANDS);
    GROW(g->bnext, (size_t) cap * ND_DUP_BANDS);
    g->cap = cap;
    uint32_t hcap = 16;
    while (hcap < cap * 2) hcap *= 2;
    if (hcap != g->hcap) return gen_rehash(g, hcap);
    return 0;
}

nd_dup_index *nd_dup_index_new(size_t window)
{
    nd_dup_index *x = nd_calloc(1, sizeof *x);
    if (!x) return NULL;
    if (window < 32) window = 32;
    if (window > (size_t) 1 << 30) window = (size_t) 1 << 30;
    x->window = window;
    x->gen_docs = (uint32_t) (window / 2);
    x->g[0].gen = 1;
    x->next_gen = 2;
    return x;
}

void nd_dup_index_free(nd_dup_index *x)
{
    if (!x) return;
    gen_free(&x->g[0]);
    gen_free(&x->g[1]);
    nd_free(x);
}

size_t nd__dup_index_bytes(const nd_dup_index *x)
{
    return x ? sizeof *x + gen_bytes(&x->g[0]) + gen_bytes(&x->g[1]) : 0;
}

static int exact_find(const dgen *g, uint64_t ch)
{
    if (!g->hcap) return -1;
    uint32_t j = hslot(ch, g->hcap);
    while (g->xtab[j]) {
        if (g->chash[g->xtab[j] - 1] == ch) return (int) (g->xtab[j] - 1);
        j = (j + 1) & (g->hcap - 1);
    }
    return -1;
}

int nd__dup_index_find(const nd_dup_index *x, const nd_dup_sketch *sk, double min_jaccard,
                       int64_t *id, double *jaccard, int64_t *tag)
{
    /* Exact: the older generation holds the earlier documents. */
    for (int gi = 1; gi >= 0; gi--) {
        const dgen *g = &x->g[gi];
        int d = exact_find(g, sk->content_hash);
        if (d >= 0) {
            if (id) *id = g->ids[d];
            if (tag) *tag = g->tags[d];
            if (jaccard) *jaccard = 1.0;
            return ND_DUP_EXACT;
        }
    }
    if (!sk->n_shingles) return ND_DUP_NONE;
    uint16_t q[ND_DUP_SLOTS];
    for (int i = 0; i < ND_DUP_SLOTS; i++) q[i] = (uint16_t) sk->mh[i];
    int need = (int) (min_jaccard * ND_DUP_SLOTS + 0.999999);
    if (need < 1) need = 1;
    int best = -1, best_g = -1, best_eq = 0;
    for (int gi = 0; gi < 2; gi++) {
        const dgen *g = &x->g[gi];
        if (!g->n) continue;
        for (int b = 0; b < ND_DUP_BANDS; b++) {
            uint32_t key = band_key(sk->mh, b);
            uint32_t e = g->bhead[(size_t) b * g->hcap + (key & (g->hcap - 1))];
            for (int steps = 0; e && steps < MAX_CHAIN; steps++) {
                uint32_t d = e - 1;
                e = g->bnext[(size_t) d * ND_DUP_BANDS + b];
                if (g->bkey[(size_t) d * ND_DUP_BANDS + b] != key) continue;
                const uint16_t *m = g->mh + (size_t) d * ND_DUP_SLOTS;
                int eq = 0;
                for (int i = 0; i < ND_DUP_SLOTS; i++) eq += m[i] == q[i];
                if (eq < need) continue;
                if (eq > best_eq || (eq == best_eq && g->seqs[d] < x->g[best_g].seqs[best])) {
                    best_eq = eq;
                    best = (int) d;
                    best_g = gi;
                }
            }
        }
    }
    if (best < 0) return ND_DUP_NONE;
    if (id) *id = x->g[best_g].ids[best];
    if (tag) *tag = x->g[best_g].tags[best];
    if (jaccard) *jaccard = (double) best_eq / ND_DUP_SLOTS;
    return ND_DUP_NEAR;
}

int nd_dup_index_find(const nd_dup_index *x, const nd_dup_sketch *sk, double min_jaccard,
                      int64_t *id, double *jaccard)
{
    return nd__dup_index_find(x, sk, min_jaccard, id, jaccard, NULL);
}

int nd__dup_index_add(nd_dup_index *x, int64_t id, const nd_dup_sketch *sk, int64_t tag,
                      uint64_t *handle)
{
    dgen *g = &x->g[0];
    if (g->n >= x->gen_docs) {
        /* The newer generation is full: drop the older, start a new one. */
        gen_free(&x->g[1]);
        x->g[1] = x->g[0];
        memset(&x->g[0], 0, sizeof x->g[0]);
        x->g[0].gen = x->next_gen++;
    }
    if (g->n == g->cap) {
        uint32_t cap = g->cap ? g->cap * 2 : 64;
        if (cap > x->gen_docs) cap = x->gen_docs;
        if (gen_grow(g, cap)) return ND_ENOMEM;
    }
    uint32_t d = g->n;
    g->ids[d] = id;
    g->tags[d] = tag;
    g->seqs[d] = x->seq++;
    g->chash[d] = sk->content_hash;
    g->has[d] = sk->n_shingles > 0;
    for (int i = 0; i < ND_DUP_SLOTS; i++)
        g->mh[(size_t) d * ND_DUP_SLOTS + i] = (uint16_t) sk->mh[i];
    g->n++;
    /* exact table: the first document with a hash stays */
    uint32_t j = hslot(sk->content_hash, g->hcap);
    while (g->xtab[j] && g->chash[g->xtab[j] - 1] != sk->content_hash) j = (j + 1) & (g->hcap - 1);
    if (!g->xtab[j]) g->xtab[j] = d + 1;
    if (g->has[d]) {
        for (int b = 0; b < ND_DUP_BANDS; b++) {
            uint32_t key = band_key(sk->mh, b);
            g->bkey[(size_t) d * ND_DUP_BANDS + b] = key;
            uint32_t *head = &g->bhead[(size_t) b * g->hcap + (key & (g->hcap - 1))];
            g->bnext[(size_t) d * ND_DUP_BANDS + b] = *head;
            *head = d + 1;
        }
    }
    if (handle) *handle = (g->gen << 32) | d;
    return 0;
}

int nd_dup_index_add(nd_dup_index *x, int64_t id, const nd_dup_sketch *sk)
{
    return nd__dup_index_add(x, id, sk, 0, NULL);
}

void nd__dup_index_set_tag(nd_dup_index *x, uint64_t handle, int64_t tag)
{
    for (int gi = 0; gi < 2; gi++) {
        dgen *g = &x->g[gi];
        if (g->gen == handle >> 32 && (uint32_t) handle < g->n) g->tags[(uint32_t) handle] = tag;
    }
}

/* ---- state ---------------------------------------------------------------------- */

int nd__dup_index_export(const nd_dup_index *x, nd_buf *out)
{
    nd__put_u64(out, x->window);
    nd__put_u64(out, x->seq);
    nd__put_u64(out, x->next_gen);
    for (int gi = 0; gi < 2; gi++) {
        const dgen *g = &x->g[gi];
        nd__put_u64(out, g->gen);
        nd__put_u32(out, g->n);
        for (uint32_t d = 0; d < g->n; d++) {
            nd__put_u64(out, (uint64_t) g->ids[d]);
            nd__put_u64(out, (uint64_t) g->tags[d]);
            nd__put_u64(out, g->seqs[d]);
            nd__put_u64(out, g->chash[d]);
            nd__put_u32(out, g->has[d]);
            if (g->has[d]) {
                const uint16_t *m = g->mh + (size_t) d * ND_DUP_SLOTS;
                for (int i = 0; i < ND_DUP_SLOTS; i += 2)
                    nd__put_u32(out, (uint32_t) m[i] | (uint32_t) m[i + 1] << 16);
                for (int b = 0; b < ND_DUP_BANDS; b++)
                    nd__put_u32(out, g->bkey[(size_t) d * ND_DUP_BANDS + b]);
            }
        }
    }
    return nd_buf_failed(out) ? ND_ENOMEM : 0;
}

nd_dup_index *nd__dup_index_import(const unsigned char **p, const unsigned char *end)
{
    uint64_t window, seq, next_gen;
    if (nd__get_u64(p, end, &window) || nd__get_u64(p, end, &seq) || nd__get_u64(p, end, &next_gen))
        return NULL;
    nd_dup_index *x = nd_dup_index_new((size_t) window);
    if (!x) return NULL;
    x->seq = seq;
    x->next_gen = next_gen;
    for (int gi = 0; gi < 2; gi++) {
        dgen *g = &x->g[gi];
        uint64_t gen;
        uint32_t n;
        if (nd__get_u64(p, end, &gen) || nd__get_u32(p, end, &n) || n > x->gen_docs) goto bad;
        g->gen = gen;
        if (n && gen_grow(g, n)) goto bad;
        for (uint32_t d = 0; d < n; d++) {
            uint64_t v[4];
            uint32_t has;
            for (int k = 0; k < 4; k++)
                if (nd__get_u64(p, end, &v[k])) goto bad;
            if (nd__get_u32(p, end, &has)) goto bad;
            g->ids[d] = (int64_t) v[0];
            g->tags[d] = (int64_t) v[1];
            g->seqs[d] = v[2];
            g->chash[d] = v[3];
            g->has[d] = has != 0;
            uint16_t *m = g->mh + (size_t) d * ND_DUP_SLOTS;
            memset(m, 0, ND_DUP_SLOTS * sizeof *m);
            if (has) {
                for (int i = 0; i < ND_DUP_SLOTS; i += 2) {
                    uint32_t w;
                    if (nd__get_u32(p, end, &w)) goto bad;
                    m[i] = (uint16_t) w;
                    m[i + 1] = (uint16_t) (w >> 16);
                }
                for (int b = 0; b < ND_DUP_BANDS; b++)
                    if (nd__get_u32(p, end, &g->bkey[(size_t) d * ND_DUP_BANDS + b])) goto bad;
            }
            g->n = d + 1;
        }
        if (n && gen_rehash(g, g->hcap)) goto bad;
    }
    return x;
bad:
    nd_dup_index_free(x);
    return NULL;
}
