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

#include "base/alloc.h"

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
    uint32_t *blist; /* ND_DUP_BANDS x nb: a band's documents by bucket, then in order */
    uint32_t *boff;  /* ND_DUP_BANDS x nbk: where each bucket's documents end in blist */
    uint32_t nb;     /* documents with band keys among the first `built` */
    uint32_t nbk;    /* buckets a band: slot >> bshift */
    uint8_t bshift;
    uint32_t built; /* documents in blist (the later ones are scanned) */
    uint32_t *xtab; /* hcap: exact table, document + 1 */
    uint32_t hcap;
    uint8_t indexed; /* blist and xtab are built (else lookups scan) */
    uint32_t scans;  /* lookups answered by scanning since the load */
    uint8_t *lazy;   /* per chunk of DUP_CHUNK documents: sketches not loaded yet */
} dgen;

/* What the last nd__dup_index_save() wrote of a generation. */
typedef struct dsaved {
    uint64_t gen;       /* 0: nothing */
    uint32_t n;         /* entries written */
    uint32_t n_tags;    /* tag chunks written */
    uint64_t *tag_hash; /* per tag chunk */
} dsaved;

#define DUP_CHUNK 128 /* documents an item holds (state in pieces) */

/* A loaded generation answers its first DUP_SCANS lookups by scanning its
 * band keys, and builds its tables at the next: one page into a large
 * store makes one or two lookups, and building the tables (when they were
 * 8 MB of bucket heads at 25,000 documents, each page of them written)
 * cost more than a scan (32 keys a document, in order). */
#define DUP_SCANS 4

/* Documents added after a generation's band lists were built, scanned at
 * each lookup until there are this many: then the lists are built again
 * (a rebuild costs about 32 x (hcap + n) steps, a scan 32 a document). */
#define DUP_TAIL 512

struct nd_dup_index {
    nd__fetch fetch; /* sketches loaded on demand (nd_cluster_load) */
    int failed;      /* a chunk of sketches could not be loaded */
    size_t window;
    uint32_t gen_docs; /* documents per generation */
    uint64_t seq, next_gen;
    dgen g[2];    /* g[0] newer, g[1] older */
    dsaved sv[2]; /* nd__dup_index_save() */
};

static int lazy_chunk(nd_dup_index *x, int gi, uint32_t chunk);

static void gen_free(dgen *g)
{
    nd_free(g->ids);
    nd_free(g->tags);
    nd_free(g->seqs);
    nd_free(g->chash);
    nd_free(g->mh);
    nd_free(g->has);
    nd_free(g->bkey);
    nd_free(g->blist);
    nd_free(g->boff);
    nd_free(g->xtab);
    nd_free(g->lazy);
    memset(g, 0, sizeof *g);
}

static size_t gen_bytes(const dgen *g)
{
    size_t per = 2 * sizeof(int64_t) + 2 * sizeof(uint64_t) + ND_DUP_SLOTS * sizeof(uint16_t) + 1 +
                 ND_DUP_BANDS * sizeof(uint32_t);
    return (size_t) g->cap * per +
           (g->indexed
                ? ((size_t) g->hcap + ((size_t) g->nb + g->nbk) * ND_DUP_BANDS) * sizeof(uint32_t)
                : 0);
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

/* Build the band lists of the generation's documents for hcap slots: band
 * b's list holds the documents with band keys by bucket, a bucket the
 * slots (bkey & (hcap - 1)) with the same high bits, about 8 documents,
 * and in order within a bucket (a counting sort of all bands at once, a
 * document's 32 keys read together).  A lookup walks its slot's bucket
 * newest first and counts the documents in its slot: the bucket chains
 * the lists replace (ND_DUP_BANDS x hcap heads, 8 MB at 25,000 documents,
 * each page of them first touched at the build, and a next document a
 * band, 3.2 MB), the same documents in the same order in 3.6 MB. */
static int build_lists(dgen *g, uint32_t hcap)
{
    uint32_t nb = 0, nbk = 1, mask = hcap - 1;
    uint8_t shift = 0;
    for (uint32_t d = 0; d < g->n; d++) nb += g->has[d];
    while (nbk < hcap && nbk * 8 < nb) nbk *= 2;
    while ((hcap >> shift) > nbk) shift++;
    uint32_t *blist = NULL, *boff = NULL;
    if (nb && (!(blist = nd_malloc((size_t) nb * ND_DUP_BANDS * sizeof *blist)) ||
               !(boff = nd_calloc((size_t) nbk * ND_DUP_BANDS, sizeof *boff)))) {
        nd_free(blist);
        return ND_ENOMEM;
    }
    for (uint32_t d = 0; d < g->n && nb; d++) {
        if (!g->has[d]) continue;
        const uint32_t *k = g->bkey + (size_t) d * ND_DUP_BANDS;
        for (int b = 0; b < ND_DUP_BANDS; b++) boff[(size_t) b * nbk + ((k[b] & mask) >> shift)]++;
    }
    /* where each bucket starts, then (as its documents are placed) ends */
    for (size_t i = 0, sum = 0; i < (size_t) nbk * ND_DUP_BANDS && nb; i++) {
        if (i % nbk == 0) sum = 0;
        uint32_t c = boff[i];
        boff[i] = (uint32_t) sum;
        sum += c;
    }
    for (uint32_t d = 0; d < g->n && nb; d++) {
        if (!g->has[d]) continue;
        const uint32_t *k = g->bkey + (size_t) d * ND_DUP_BANDS;
        for (int b = 0; b < ND_DUP_BANDS; b++)
            blist[(size_t) b * nb + boff[(size_t) b * nbk + ((k[b] & mask) >> shift)]++] = d;
    }
    nd_free(g->blist);
    nd_free(g->boff);
    g->blist = blist;
    g->boff = boff;
    g->nb = nb;
    g->nbk = nbk;
    g->bshift = shift;
    g->built = g->n;
    return 0;
}

/* Document d in the exact table (linear probing): the first document with
 * a content hash stays. */
static void xtab_put(dgen *g, uint32_t d)
{
    uint32_t j = hslot(g->chash[d], g->hcap);
    while (g->xtab[j] && g->chash[g->xtab[j] - 1] != g->chash[d]) j = (j + 1) & (g->hcap - 1);
    if (!g->xtab[j]) g->xtab[j] = d + 1;
}

/* Rebuild the band lists and the exact table for hcap slots. */
static int gen_rehash(dgen *g, uint32_t hcap)
{
    uint32_t *xtab = nd__zalloc_dense(hcap, sizeof *xtab);
    if (!xtab) return ND_ENOMEM;
    if (build_lists(g, hcap)) {
        nd_free(xtab);
        return ND_ENOMEM;
    }
    nd_free(g->xtab);
    g->xtab = xtab;
    g->hcap = hcap;
    g->indexed = 1;
    for (uint32_t d = 0; d < g->n; d++) xtab_put(g, d);
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
    if (g->lazy) {
        uint32_t chunks = (cap + DUP_CHUNK - 1) / DUP_CHUNK;
        uint32_t had = (g->cap + DUP_CHUNK - 1) / DUP_CHUNK;
        GROW(g->lazy, chunks);
        if (chunks > had) memset(g->lazy + had, 0, chunks - had);
    }
    uint32_t hcap = 16;
    while (hcap < cap * 2) hcap *= 2;
    /* The capacity grows only with its tables (a failed rehash leaves
     * the index as it was, with larger arrays).  Tables not built yet are
     * built for the capacity they will have: the slots, and so the
     * documents of a bucket, are the same either way. */
    if (hcap != g->hcap && g->indexed && gen_rehash(g, hcap)) return ND_ENOMEM;
    g->hcap = hcap;
    g->cap = cap;
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
    x->g[0].indexed = 1;
    x->next_gen = 2;
    return x;
}

void nd_dup_index_free(nd_dup_index *x)
{
    if (!x) return;
    gen_free(&x->g[0]);
    gen_free(&x->g[1]);
    nd_free(x->sv[0].tag_hash);
    nd_free(x->sv[1].tag_hash);
    nd_free(x);
}

size_t nd__dup_index_bytes(const nd_dup_index *x)
{
    return x ? sizeof *x + gen_bytes(&x->g[0]) + gen_bytes(&x->g[1]) : 0;
}

static int exact_find(const dgen *g, uint64_t ch)
{
    if (!g->indexed) {
        /* the table keeps the first document with a hash */
        for (uint32_t d = 0; d < g->n; d++)
            if (g->chash[d] == ch) return (int) d;
        return -1;
    }
    if (!g->hcap) return -1;
    uint32_t j = hslot(ch, g->hcap);
    while (g->xtab[j]) {
        if (g->chash[g->xtab[j] - 1] == ch) return (int) (g->xtab[j] - 1);
        j = (j + 1) & (g->hcap - 1);
    }
    return -1;
}

/* The best candidate so far: most equal slots, then the earliest. */
typedef struct dbest {
    int d, gi, eq;
} dbest;

static void consider(nd_dup_index *x, int gi, uint32_t d, const uint16_t *q, int need, dbest *best)
{
    const dgen *g = &x->g[gi];
    if (g->lazy && g->lazy[d / DUP_CHUNK] && lazy_chunk(x, gi, d / DUP_CHUNK))
        return; /* unreadable: not a candidate */
    const uint16_t *m = g->mh + (size_t) d * ND_DUP_SLOTS;
    int eq = 0;
    for (int i = 0; i < ND_DUP_SLOTS; i++) eq += m[i] == q[i];
    if (eq < need) return;
    if (eq > best->eq || (eq == best->eq && g->seqs[d] < x->g[best->gi].seqs[best->d])) {
        best->eq = eq;
        best->d = (int) d;
        best->gi = gi;
    }
}

/* The candidates of generation gi's documents from `from` on (all of them
 * without its tables, those added since its lists with them): the
 * documents each band's bucket holds, newest first and at most MAX_CHAIN
 * of them with the `steps` already walked, found by reading every
 * document's band keys once.  The same candidates
 * as the chains give, and the choice among them does not depend on the
 * order they come in. */
static void scan_bands(nd_dup_index *x, int gi, uint32_t from, const uint32_t *keys,
                       const uint16_t *q, int need, int *steps, dbest *best)
{
    const dgen *g = &x->g[gi];
    uint32_t mask = g->hcap - 1, slot[ND_DUP_BANDS];
    int open = 0;
    for (int b = 0; b < ND_DUP_BANDS; b++) {
        slot[b] = keys[b] & mask;
        open += steps[b] < MAX_CHAIN;
    }
    for (uint32_t d = g->n; d-- > from && open;) {
        if (!g->has[d]) continue;
        const uint32_t *k = g->bkey + (size_t) d * ND_DUP_BANDS;
        /* Most documents have no band in a slot of the query's: tell them
         * in one pass without a branch a band (the compiler's vectors),
         * and walk the bands of the others (a first lookup after a load
         * scans a whole generation: 9 M instructions at 1,000,000
         * documents, on the writer's path of a one-page run). */
        uint32_t any = 0;
        for (int b = 0; b < ND_DUP_BANDS; b++) any |= (k[b] & mask) == slot[b];
        if (!any) continue;
        for (int b = 0; b < ND_DUP_BANDS; b++) {
            if ((k[b] & mask) != slot[b] || steps[b] >= MAX_CHAIN) continue;
            if (++steps[b] == MAX_CHAIN) open--;
            if (k[b] == keys[b]) consider(x, gi, d, q, need, best);
        }
    }
}

/* The documents of band b's list in the slot of `key`, newest first, after
 * the `steps` documents the scan of the later ones walked in that slot. */
static void walk_band(nd_dup_index *x, int gi, int b, uint32_t key, const uint16_t *q, int need,
                      int steps, dbest *best)
{
    const dgen *g = &x->g[gi];
    const uint32_t *l = g->blist + (size_t) b * g->nb, *k = g->bkey + b,
                   *off = g->boff + (size_t) b * g->nbk;
    uint32_t mask = g->hcap - 1, slot = key & mask, c = slot >> g->bshift;
    uint32_t from = c ? off[c - 1] : 0;
    for (uint32_t i = off[c]; i-- > from && steps < MAX_CHAIN;) {
        uint32_t kd = k[(size_t) l[i] * ND_DUP_BANDS];
        if ((kd & mask) != slot) continue; /* another slot of the bucket */
        steps++;
        if (kd == key) consider(x, gi, l[i], q, need, best);
    }
}

int nd__dup_index_find(const nd_dup_index *cx, const nd_dup_sketch *sk, double min_jaccard,
                       int64_t *id, double *jaccard, int64_t *tag)
{
    /* Loading sketches on demand and building tables change no answer. */
    nd_dup_index *x = (nd_dup_index *) cx;
    for (int gi = 0; gi < 2; gi++) {
        dgen *g = &x->g[gi];
        if (!g->indexed && g->n && ++g->scans > DUP_SCANS) gen_rehash(g, g->hcap);
    }
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
    uint32_t keys[ND_DUP_BANDS];
    for (int b = 0; b < ND_DUP_BANDS; b++) keys[b] = band_key(sk->mh, b);
    dbest best = {-1, 0, 0};
    for (int gi = 0; gi < 2; gi++) {
        const dgen *g = &x->g[gi];
        if (!g->n) continue;
        /* Each band's bucket: its documents newest first, at most
         * MAX_CHAIN of them; those after the lists by a scan. */
        int steps[ND_DUP_BANDS] = {0};
        scan_bands(x, gi, g->indexed ? g->built : 0, keys, q, need, steps, &best);
        for (int b = 0; g->indexed && g->nb && b < ND_DUP_BANDS; b++)
            if (steps[b] < MAX_CHAIN) walk_band(x, gi, b, keys[b], q, need, steps[b], &best);
    }
    if (best.d < 0) return ND_DUP_NONE;
    if (id) *id = x->g[best.gi].ids[best.d];
    if (tag) *tag = x->g[best.gi].tags[best.d];
    if (jaccard) *jaccard = (double) best.eq / ND_DUP_SLOTS;
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
        x->g[0].indexed = 1;
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
    if (g->has[d])
        for (int b = 0; b < ND_DUP_BANDS; b++)
            g->bkey[(size_t) d * ND_DUP_BANDS + b] = band_key(sk->mh, b);
    if (g->indexed) {
        xtab_put(g, d);
        /* The band lists: again when the scanned tail is long (when they
         * cannot be built, it is scanned for longer). */
        if (g->n - g->built >= DUP_TAIL) build_lists(g, g->hcap);
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

/* ---- state in pieces ------------------------------------------------------------- */

/* Items (cluster_int.h): ND__IT_DUPH the header; ND__IT_DUPE entries and
 * ND__IT_DUPT their tags, DUP_CHUNK documents an item, keyed by the
 * generation number and the chunk.  A generation's entries never change
 * once written (only the last chunk grows), its tags do (moves, merges),
 * and a generation dropped whole takes its items with it. */
static uint64_t chunk_key(uint64_t gen, uint32_t chunk)
{
    return (gen << 24) | chunk;
}

static uint64_t tags_hash(const dgen *g, uint32_t chunk)
{
    uint32_t from = chunk * DUP_CHUNK, to = from + DUP_CHUNK < g->n ? from + DUP_CHUNK : g->n;
    return nd_hash64(g->tags + from, (size_t) (to - from) * sizeof *g->tags) ^ to;
}

static void put_entries(nd_buf *b, const dgen *g, uint32_t chunk)
{
    uint32_t from = chunk * DUP_CHUNK, to = from + DUP_CHUNK < g->n ? from + DUP_CHUNK : g->n;
    nd__put_u32(b, to - from);
    for (uint32_t d = from; d < to; d++) {
        nd__put_u64(b, (uint64_t) g->ids[d]);
        nd__put_u64(b, g->seqs[d]);
        nd__put_u64(b, g->chash[d]);
        nd__put_u32(b, g->has[d]);
        if (!g->has[d]) continue;
        for (int k = 0; k < ND_DUP_BANDS; k++)
            nd__put_u32(b, g->bkey[(size_t) d * ND_DUP_BANDS + k]);
    }
}

/* The sketches of a chunk: an item of their own, loaded on demand (most
 * lookups verify none). */
static void put_sketches(nd_buf *b, const dgen *g, uint32_t chunk)
{
    uint32_t from = chunk * DUP_CHUNK, to = from + DUP_CHUNK < g->n ? from + DUP_CHUNK : g->n;
    nd__put_u32(b, to - from);
    for (uint32_t d = from; d < to; d++) {
        if (!g->has[d]) continue;
        const uint16_t *m = g->mh + (size_t) d * ND_DUP_SLOTS;
        for (int i = 0; i < ND_DUP_SLOTS; i += 2)
            nd__put_u32(b, (uint32_t) m[i] | (uint32_t) m[i + 1] << 16);
    }
}

static int get_sketches(dgen *g, uint32_t chunk, const unsigned char *p, const unsigned char *e)
{
    uint32_t from = chunk * DUP_CHUNK, count;
    if (nd__get_u32(&p, e, &count) || count > DUP_CHUNK || from + count > g->n) return ND_EFORMAT;
    for (uint32_t d = from; d < from + count; d++) {
        uint16_t *m = g->mh + (size_t) d * ND_DUP_SLOTS;
        if (!g->has[d]) {
            memset(m, 0, ND_DUP_SLOTS * sizeof *m);
            continue;
        }
        /* a sketch: one bounds check (a check a word was 19.8 M of the
         * writer's 721 M instructions, 100 pages into 100,000 documents) */
        if ((size_t) (e - p) < ND_DUP_SLOTS * 2) return ND_EFORMAT;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        memcpy(m, p, ND_DUP_SLOTS * sizeof *m); /* the slots as they lie */
#else
        for (int i = 0; i < ND_DUP_SLOTS; i += 2) {
            uint32_t w = nd__rd32(p + 2 * i);
            m[i] = (uint16_t) w;
            m[i + 1] = (uint16_t) (w >> 16);
        }
#endif
        p += ND_DUP_SLOTS * 2;
    }
    if (p != e) return ND_EFORMAT;
    g->lazy[chunk] = 0;
    return 0;
}

/* Load chunk `chunk` of generation gi: 0, or nonzero when the fetch fails
 * (its sketches stay zero: no candidate; it is not asked again). */
static int lazy_chunk(nd_dup_index *x, int gi, uint32_t chunk)
{
    dgen *g = &x->g[gi];
    const void *data;
    size_t len;
    if (x->fetch.fn &&
        x->fetch.fn(x->fetch.ctx, ND__IT_DUPM, (g->gen << 24) | chunk, &data, &len) == 1 &&
        get_sketches(g, chunk, data, (const unsigned char *) data + len) == 0)
        return 0;
    g->lazy[chunk] = 0;
    uint32_t from = chunk * DUP_CHUNK, to = from + DUP_CHUNK < g->n ? from + DUP_CHUNK : g->n;
    memset(g->mh + (size_t) from * ND_DUP_SLOTS, 0,
           (size_t) (to - from) * ND_DUP_SLOTS * sizeof *g->mh);
    x->failed = 1;
    return ND_EFORMAT;
}

int nd__dup_index_load_all(nd_dup_index *x)
{
    for (int gi = 0; gi < 2; gi++) {
        dgen *g = &x->g[gi];
        for (uint32_t i = 0; g->lazy && i < (g->n + DUP_CHUNK - 1) / DUP_CHUNK; i++)
            if (g->lazy[i]) lazy_chunk(x, gi, i);
    }
    return x->failed ? ND_ENOMEM : 0;
}

static void put_tags(nd_buf *b, const dgen *g, uint32_t chunk)
{
    uint32_t from = chunk * DUP_CHUNK, to = from + DUP_CHUNK < g->n ? from + DUP_CHUNK : g->n;
    nd__put_u32(b, to - from);
    for (uint32_t d = from; d < to; d++) nd__put_u64(b, (uint64_t) g->tags[d]);
}

static int emit(nd__sink *k, nd_buf *b, uint32_t kind, uint64_t key)
{
    if (nd_buf_failed(b)) return ND_ENOMEM;
    k->bytes += b->len;
    int rc = k->s->put(k->s->ctx, kind, key, b->ptr, b->len);
    nd_buf_clear(b);
    return rc;
}

static void saved_forget(dsaved *v)
{
    nd_free(v->tag_hash);
    memset(v, 0, sizeof *v);
}

/* Drop what a generation no longer kept wrote. */
static int saved_delete(nd__sink *k, dsaved *v)
{
    int rc = 0;
    uint32_t chunks = (v->n + DUP_CHUNK - 1) / DUP_CHUNK;
    for (uint32_t i = 0; i < chunks && !rc; i++) {
        rc = k->s->del(k->s->ctx, ND__IT_DUPE, chunk_key(v->gen, i));
        if (!rc) rc = k->s->del(k->s->ctx, ND__IT_DUPT, chunk_key(v->gen, i));
        if (!rc) rc = k->s->del(k->s->ctx, ND__IT_DUPM, chunk_key(v->gen, i));
    }
    saved_forget(v);
    return rc;
}

int nd__dup_index_save(nd_dup_index *x, int all, nd__sink *k)
{
    nd_buf b = ND_BUF_INIT;
    int rc = 0;
    if (all) {
        saved_forget(&x->sv[0]);
        saved_forget(&x->sv[1]);
    }
    /* Generations saved before that are gone now. */
    for (int i = 0; i < 2 && !rc; i++) {
        dsaved *v = &x->sv[i];
        if (v->gen && v->gen != x->g[0].gen && v->gen != x->g[1].gen) rc = saved_delete(k, v);
    }
    nd__put_u64(&b, x->window);
    nd__put_u64(&b, x->seq);
    nd__put_u64(&b, x->next_gen);
    for (int gi = 0; gi < 2; gi++) {
        nd__put_u64(&b, x->g[gi].gen);
        nd__put_u32(&b, x->g[gi].n);
        nd__put_u32(&b, x->g[gi].cap);
    }
    if (!rc) rc = emit(k, &b, ND__IT_DUPH, 0);
    for (int gi = 0; gi < 2 && !rc; gi++) {
        const dgen *g = &x->g[gi];
        if (!g->gen || !g->n) continue;
        dsaved *v = x->sv[0].gen == g->gen ? &x->sv[0] : x->sv[1].gen == g->gen ? &x->sv[1] : NULL;
        if (!v) {
            v = !x->sv[0].gen ? &x->sv[0] : &x->sv[1];
            saved_forget(v);
            v->gen = g->gen;
        }
        uint32_t chunks = (g->n + DUP_CHUNK - 1) / DUP_CHUNK;
        if (chunks > v->n_tags) {
            uint64_t *h = nd_realloc(v->tag_hash, (size_t) chunks * sizeof *h);
            if (!h) {
                rc = ND_ENOMEM;
                break;
            }
            for (uint32_t i = v->n_tags; i < chunks; i++) h[i] = 0;
            v->tag_hash = h;
            v->n_tags = chunks;
        }
        /* Entries: the chunks from the one the last save ended in. */
        for (uint32_t i = v->n / DUP_CHUNK; i < chunks && !rc && v->n < g->n; i++) {
            put_entries(&b, g, i);
            rc = emit(k, &b, ND__IT_DUPE, chunk_key(g->gen, i));
            if (!rc && g->lazy && g->lazy[i]) rc = lazy_chunk(x, gi, i) ? ND_ENOMEM : 0;
            if (rc) break;
            put_sketches(&b, g, i);
            rc = emit(k, &b, ND__IT_DUPM, chunk_key(g->gen, i));
        }
        if (!rc) v->n = g->n;
        for (uint32_t i = 0; i < chunks && !rc; i++) {
            uint64_t h = tags_hash(g, i);
            if (h == v->tag_hash[i] && h) continue;
            put_tags(&b, g, i);
            rc = emit(k, &b, ND__IT_DUPT, chunk_key(g->gen, i));
            v->tag_hash[i] = h;
        }
    }
    nd_buf_free(&b);
    return rc;
}

int nd__dup_index_load_head(nd_dup_index **out, const unsigned char *p, const unsigned char *e,
                            const nd__fetch *fetch)
{
    uint64_t window, seq, next_gen;
    *out = NULL;
    if (nd__get_u64(&p, e, &window) || nd__get_u64(&p, e, &seq) || nd__get_u64(&p, e, &next_gen) ||
        window < 32 || window > (uint64_t) 1 << 30)
        return ND_EFORMAT;
    nd_dup_index *x = nd_dup_index_new((size_t) window);
    if (!x) return ND_ENOMEM;
    x->seq = seq;
    x->next_gen = next_gen;
    for (int gi = 0; gi < 2; gi++) {
        dgen *g = &x->g[gi];
        uint64_t gen;
        uint32_t n, cap;
        if (nd__get_u64(&p, e, &gen) || nd__get_u32(&p, e, &n) || nd__get_u32(&p, e, &cap) ||
            n > cap || cap > x->gen_docs || gen >= next_gen || (gen >> 40)) {
            nd_dup_index_free(x);
            return ND_EFORMAT;
        }
        g->gen = gen;
        g->indexed = 0;
        /* The same capacity as saved, so the same hash layout. */
        if (cap && gen_grow(g, cap)) {
            nd_dup_index_free(x);
            return ND_ENOMEM;
        }
        /* Which chunks' sketches are still to load. */
        if (cap && !(g->lazy = nd_calloc((cap + DUP_CHUNK - 1) / DUP_CHUNK, 1))) {
            nd_dup_index_free(x);
            return ND_ENOMEM;
        }
        /* n entries to come: counted in sv until they have. */
        x->sv[gi].gen = gen;
        x->sv[gi].n = n;
    }
    if (p != e || (x->g[0].gen && x->g[0].gen == x->g[1].gen)) {
        nd_dup_index_free(x);
        return ND_EFORMAT;
    }
    if (fetch) x->fetch = *fetch;
    *out = x;
    return 0;
}

static dgen *gen_of(nd_dup_index *x, uint64_t key, uint32_t *chunk, int *gi)
{
    uint64_t gen = key >> 24;
    *chunk = (uint32_t) (key & 0xffffff);
    for (int i = 0; i < 2; i++)
        if (gen && x->g[i].gen == gen) {
            *gi = i;
            return &x->g[i];
        }
    return NULL;
}

int nd__dup_index_load_item(nd_dup_index *x, uint32_t kind, uint64_t key, const unsigned char *p,
                            const unsigned char *e)
{
    uint32_t chunk, count;
    int gi;
    dgen *g = gen_of(x, key, &chunk, &gi);
    if (g && kind == ND__IT_DUPM) /* sketches (when all items are read at once) */
        return chunk * DUP_CHUNK < g->n && g->lazy[chunk] ? get_sketches(g, chunk, p, e)
                                                          : ND_EFORMAT;
    if (!g || nd__get_u32(&p, e, &count)) return ND_EFORMAT;
    uint32_t from = chunk * DUP_CHUNK;
    if (count == 0 || count > DUP_CHUNK || from + count > x->sv[gi].n) return ND_EFORMAT;
    if (kind == ND__IT_DUPT) {
        /* Tags come after the entries (a higher kind). */
        if (from + count > g->n || (size_t) (e - p) / 8 < count) return ND_EFORMAT;
        for (uint32_t d = from; d < from + count; d++, p += 8) g->tags[d] = (int64_t) nd__rd64(p);
        x->sv[gi].n_tags++; /* counted here, checked at the end */
        return p == e ? 0 : ND_EFORMAT;
    }

    /* Entries: chunks in order, each one once. */
    if (from != g->n) return ND_EFORMAT;
    for (uint32_t d = from; d < from + count; d++) {
        /* id, seq, content hash, whether it has band keys: one bounds check */
        if (e - p < 28) return ND_EFORMAT;
        uint32_t has = nd__rd32(p + 24);
        if (has > 1) return ND_EFORMAT;
        g->ids[d] = (int64_t) nd__rd64(p);
        g->tags[d] = 0;
        g->seqs[d] = nd__rd64(p + 8);
        g->chash[d] = nd__rd64(p + 16);
        p += 28;
        g->has[d] = (uint8_t) has;
        /* (its sketch is written when its chunk is loaded, before a read) */
        uint32_t *bk = g->bkey + (size_t) d * ND_DUP_BANDS;
        if (!has)
            memset(bk, 0, ND_DUP_BANDS * sizeof *bk);
        else if (nd__get_u32_n(&p, e, bk, ND_DUP_BANDS))
            return ND_EFORMAT;
        g->n = d + 1;
    }
    g->lazy[chunk] = 1; /* its sketches: later */
    return p == e ? 0 : ND_EFORMAT;
}

int nd__dup_index_load_end(nd_dup_index *x)
{
    for (int gi = 0; gi < 2; gi++) {
        dgen *g = &x->g[gi];
        dsaved *v = &x->sv[gi];
        if (g->n != v->n || v->n_tags != (g->n + DUP_CHUNK - 1) / DUP_CHUNK) return ND_EFORMAT;
        /* Without loading on demand, every chunk's sketches were read. */
        for (uint32_t i = 0; !x->fetch.fn && g->lazy && i < (g->n + DUP_CHUNK - 1) / DUP_CHUNK; i++)
            if (g->lazy[i]) return ND_EFORMAT;
        /* (its tables: at its first lookups, DUP_SCANS) */
        /* What was loaded is what is saved. */
        uint32_t chunks = (g->n + DUP_CHUNK - 1) / DUP_CHUNK;
        v->gen = g->n ? g->gen : 0;
        v->n_tags = 0;
        if (!chunks) continue;
        v->tag_hash = nd_malloc((size_t) chunks * sizeof *v->tag_hash);
        if (!v->tag_hash) return ND_ENOMEM;
        v->n_tags = chunks;
        for (uint32_t i = 0; i < chunks; i++) v->tag_hash[i] = tags_hash(g, i);
    }
    return 0;
}

void nd__dup_index_save_forget(nd_dup_index *x)
{
    saved_forget(&x->sv[0]);
    saved_forget(&x->sv[1]);
}
