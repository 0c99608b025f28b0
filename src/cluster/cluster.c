/*
 * cluster.c - the online story engine (see newsdesk/cluster.h and
 * docs/cluster.md).
 *
 * Two tiers:
 *   - the recent window: the last `recent` documents, each with its raw
 *     features, its unit TF-IDF vector and its nearest recent neighbours.
 *     Every sweep_every additions (and at nd_cluster_flush) the window is
 *     clustered again from scratch: average-link agglomeration on a sparse
 *     graph, where two groups merge when both their average cosine and
 *     their average shared-neighbour similarity reach the thresholds.  A
 *     new document gets a provisional story in between;
 *   - the settled part of each story: documents that left the window are
 *     folded into a centroid (sum of their unit vectors, pruned to
 *     max_centroid features) that new documents can still join.
 * Everything else is bounded state: a hashed document-frequency table
 * halved every df_half_life documents, inverted indexes from strong
 * features to recent documents and to stories (two generations each), the
 * duplicate index (dup.c) and the active stories (evicted after
 * window_docs documents without news, or keep_seconds behind the low
 * watermark of publication times).
 */
#include "cluster/cluster_int.h"
#include "cluster/prior.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define NN_MAX      32   /* neighbours kept per recent document (upper bound) */
#define SPOST_P     8    /* stories kept per feature in the story index */
#define DPOST_P     16   /* recent documents kept per feature in the document index */
#define POST_T      16   /* features of a document posted / looked up */
#define STORY_CAND  8    /* settled stories scored per document */
#define WM_SPAN     1024 /* the watermark is the minimum time of this many recent documents */
#define NONE32      UINT32_MAX
#define STATE_MAGIC 0x32534c434e44ULL /* "NDCLS2" */
/* 4: the word-rarity prior, the event attributes among the raw features;
 * 5: burst and burst_seconds among the parameters */
#define STATE_VERSION 5u

/* ---- types ------------------------------------------------------------------------ */

typedef struct story {
    int64_t id;
    nd__fmap c;         /* settled part: sum of the unit vectors of its originals */
    double norm2;       /* |c|^2 */
    uint32_t n_settled; /* originals in the settled part */
    uint32_t n_recent;  /* originals in the recent window */
    uint32_t ring_refs; /* recent documents in it, duplicates included */
    uint32_t n_docs;    /* all members ever, duplicates included */
    uint32_t slot;
    int64_t st_first, st_last; /* settled part's time span (ND_TIME_NONE: none) */
    int64_t t_first, t_last;   /* every member's */
    uint64_t seq_last;
    /* saved state loaded on demand: the centroid is not read yet (it has
     * lazy_n entries in a table of lazy_cap slots) */
    int lazy;
    uint32_t lazy_n, lazy_cap;
    /* scratch */
    uint64_t mark;
    float acc;
    double sum1, sum2;
    int claimed;
    int64_t moved_to; /* where its recent documents went in this clustering */
} story;

/* Slots of an inverted index per saved item: loaded when a probe reaches
 * it, a block writes P x 8 bytes a slot (4 KB of a and of b for the
 * document index), so that a lookup touches a few pages, not 17 as with
 * the 512 slots of the older items (ND__IT_PGEN, read at once). */
#define PG_BLOCK     64u
#define PG_OLD_BLOCK 512u

typedef struct pgen { /* one generation of an inverted index: feature -> P (a, b) */
    uint64_t *keys;
    uint32_t *a, *b;
    uint32_t cap, n, P;
    uint64_t docs;
    uint8_t *dirty; /* per block of PG_BLOCK slots: changed since the last save or load */
    /* saved state loaded on demand: per block, its item is not read yet
     * (n_lazy of them); NULL when every block is */
    uint8_t *lazy;
    uint32_t n_lazy;
    /* The slots changed since the last save or load (chg, n_chg; chm: a
     * bit a slot), saved as a delta item (ND__IT_PGD) where that is
     * smaller than their blocks, or whole: every slot may have moved
     * (track: the story index's generations only). */
    int track, whole;
    uint32_t *chg, n_chg, cap_chg;
    uint8_t *chm;
    /* the delta items of a load, for the blocks read later: n_pd entries
     * of pg_entry() bytes, by block from the load's end (those of block
     * i from pd_at[i] to pd_at[i + 1]), else in the items' order */
    unsigned char *pd;
    uint32_t n_pd, *pd_at;
} pgen;

/* A slot as the items hold it: u32 slot, u64 key, P times u32 a, u32 b. */
static size_t pg_entry(const pgen *g)
{
    return 12 + 8 * (size_t) g->P;
}

typedef struct nbr {
    uint64_t seq; /* identifies the neighbour (its slot may be reused) */
    uint32_t slot;
    float s1;
} nbr;

typedef struct rdoc {
    uint64_t seq; /* 0: empty slot */
    int64_t id, story, dup_of;
    int64_t time;
    nd__feat *raw; /* raw features, sorted by hash */
    uint32_t n_raw;
    nd__feat *vec; /* unit vector, sorted by hash (NULL for duplicates) */
    uint32_t n_vec;
    /* saved state loaded on demand: vec (n_vec features) is not read yet
     * (an original: HAS_VEC; VEC_IN_RING: in its ND__IT_RING item, as
     * older saves hold it, VEC_IN_ITEM: in its ND__IT_VEC item, VEC_IN_RAW:
     * in its ND__IT_VECR item, as places in raw); vfp stands for vec in
     * the fingerprint; vat: where the items hold vec (VEC_IN_ITEM or
     * VEC_IN_RAW; 0: nowhere yet, or in an older save's ND__IT_RING item,
     * which the next save replaces) */
    int vec_lazy;
    uint64_t vfp;
    int vat;
    nbr nb[NN_MAX]; /* nearest recent documents, most similar first */
    uint32_t n_nb;
    uint64_t dup_handle;
    int indexed;
    uint32_t node; /* scratch: node number in the clustering */
    /* the event attributes of raw (ND__A_*), read on first use */
    int attrs_read;
    uint8_t n_place, n_mag, toll;
    uint64_t place[ND__A_MAX];
    uint32_t mag[ND__A_MAX];
} rdoc;

/* clustering scratch: adjacency entry */
typedef struct adj {
    uint32_t to;
    double s1, s2; /* sums over the member pairs */
} adj;

typedef struct alist {
    adj *e;
    uint32_t n, cap;
} alist;

typedef struct hent {
    float score;
    uint32_t a, b, va, vb;
} hent;

struct nd_cluster {
    nd_cluster_params p;
    nd__fx fx;
    /* statistics */
    uint32_t *df;
    uint32_t df_mask;
    int df_written; /* df may hold a nonzero counter (0: all zero, never scanned) */
    double df_n;
    uint64_t df_since;
    const nd__prior *prior; /* borrowed: the process-wide table, or NULL */
    float prior_df[257];    /* prior_docs x p for each q (256: not listed) */
    /* stories */
    story **slots;
    uint32_t *stamps;
    uint32_t n_slots, cap_slots;
    uint32_t *free_slots;
    uint32_t n_free;
    nd__imap by_id;
    nd__imap fwd[2]; /* merged id -> survivor id, two generations */
    uint64_t fwd_docs;
    int64_t next_id;
    uint32_t evict_cursor;
    /* inverted indexes: [0] newer generation */
    pgen sp[2]; /* feature -> (story slot, stamp) */
    pgen dp[2]; /* feature -> (ring slot, low 32 bits of seq) */
    /* the recent window */
    rdoc *ring;
    uint32_t ring_cap, ring_n, ring_next;
    float *dacc; /* per ring slot: candidate scratch */
    uint64_t *dmark;
    uint32_t *dcand;
    uint64_t since_sweep;
    uint64_t refresh_at; /* recompute the window's vectors when docs reach this */
    double bg;           /* background similarity of the window (last clustering) */
    double join_eff;     /* join + background x bg */
    /* duplicates */
    nd_dup_index *dups;
    /* clock */
    uint64_t seq;
    uint64_t mark;
    int64_t wm_t[WM_SPAN];
    uint64_t wm_i[WM_SPAN];
    uint32_t wm_head, wm_n;
    uint64_t wm_count;
    /* scratch */
    nd__feat *vbuf;
    uint32_t vbuf_cap;
    float *wtmp;
    uint32_t wtmp_cap;
    story **cand;
    uint32_t cand_cap;
    nd_cluster_change *changes;
    size_t n_changes, cap_changes;
    int oom;
    nd_cluster_stats st;
    uint64_t params_hash;   /* nd__cluster_params_hash(&p) */
    struct nd__persist *ps; /* what the last nd_cluster_save() wrote, or NULL */
    nd__fetch fetch;        /* items loaded on demand (nd_cluster_load) */
    int threads;            /* threads a flush may compute on (nd_cluster_set_threads) */
    uint32_t pg_full;       /* bit gi: the items loaded may hold index gi's blocks as
                               ND__IT_PGENL items (saved before ND__IT_PGENC) */
};

static void persist_free(struct nd__persist *ps);
static void lazy_story(nd_cluster *c, story *s);
static void pg_lazy_block(nd_cluster *c, pgen *g, uint32_t blk);
static void pg_load_gen(nd_cluster *c, pgen *g);
static void df_keep(nd_cluster *c, uint32_t at);
static void df_keep_all(nd_cluster *c);
static void lazy_window(nd_cluster *c, int raw);
static void lazy_vec(nd_cluster *c, rdoc *d);
static uint64_t vec_fp(const nd__feat *v, uint32_t n);

/* A recent document is an original (it has a vector, read or not). */
#define HAS_VEC(d)  ((d)->vec != NULL || (d)->vec_lazy)
#define VEC_IN_RING 1
#define VEC_IN_ITEM 2
#define VEC_IN_RAW  3

void nd_cluster_params_default(nd_cluster_params *p)
{
    memset(p, 0, sizeof *p);
    p->join = 0.14;
    p->background = 0.5;
    p->shared = 0.05;
    p->join_old = 0.20;
    p->neighbours = 24;
    p->profile = 3;
    p->window_seconds = 30 * 86400;
    p->revive = 0.40;
    p->burst = 1.2;
    p->burst_seconds = 2 * 86400;
    p->keep_seconds = 90 * 86400;
    p->window_docs = 50000;
    p->recent = 1024;
    p->sweep_every = 256;
    p->dup_jaccard = 0.70;
    p->df_bits = 20;
    p->prior_docs = 1000;
    p->clash = 0.65;
    p->df_half_life = 100000;
    p->max_features = 256;
    p->max_centroid = 256;
    p->candidates = 32;
    p->w_word = 1.0;
    p->w_title = 1.0;
    p->w_entity = 1.5;
    p->w_phrase = 1.5;
    p->w_number = 1.0;
    p->w_year = 1.5;
    p->w_date = 1.5;
    p->lead_boost = 2.0;
    p->lead_words = 100;
}

static void sanitize(nd_cluster_params *p)
{
    if (p->df_bits < 10) p->df_bits = 10;
    if (p->df_bits > 28) p->df_bits = 28;
    if (p->window_docs < 64) p->window_docs = 64;
    if (p->recent < 16) p->recent = 16;
    if (p->recent > 1u << 20) p->recent = 1u << 20;
    if (p->recent > p->window_docs) p->recent = p->window_docs;
    if (!p->sweep_every) p->sweep_every = 1;
    if (p->neighbours < 1) p->neighbours = 1;
    if (p->neighbours > NN_MAX) p->neighbours = NN_MAX;
    if (p->profile > p->neighbours) p->profile = p->neighbours;
    if (p->max_features < 8) p->max_features = 8;
    if (p->max_features > 1u << 16) p->max_features = 1u << 16;
    if (p->max_centroid < 16) p->max_centroid = 16;
    if (p->max_centroid > 1u << 20) p->max_centroid = 1u << 20;
    if (p->candidates < 1) p->candidates = 1;
    if (p->candidates > 4096) p->candidates = 4096;
    if (p->df_half_life < 100) p->df_half_life = 100;
    if (p->window_seconds < 0) p->window_seconds = 0;
    if (p->burst_seconds < 0) p->burst_seconds = 0;
    if (!(p->burst > 0)) p->burst = 1;
    if (p->burst > 4) p->burst = 4;
    if (p->keep_seconds < p->window_seconds) p->keep_seconds = p->window_seconds;
    if (p->lead_words > 1u << 20) p->lead_words = 1u << 20;
    if (!(p->background >= 0)) p->background = 0;
    if (!(p->prior_docs >= 0)) p->prior_docs = 0;
    if (!(p->clash >= 0)) p->clash = 0;
    if (p->clash > 1) p->clash = 1;
    if (p->prior_docs > 1e9) p->prior_docs = 1e9;
}

/* ---- small helpers ------------------------------------------------------------------ */

static void push_change(nd_cluster *c, int kind, int64_t doc, int64_t from, int64_t to)
{
    if (c->n_changes == c->cap_changes) {
        size_t cap = c->cap_changes ? c->cap_changes * 2 : 16;
        nd_cluster_change *n = nd_realloc(c->changes, cap * sizeof *n);
        if (!n) {
            c->oom = 1;
            return;
        }
        c->changes = n;
        c->cap_changes = cap;
    }
    c->changes[c->n_changes++] = (nd_cluster_change){kind, doc, from, to};
}

static int ensure_f(nd__feat **a, uint32_t *cap, uint32_t n)
{
    if (n <= *cap) return 0;
    uint32_t nc = *cap ? *cap : 64;
    while (nc < n) nc *= 2;
    nd__feat *p = nd_realloc(*a, (size_t) nc * sizeof *p);
    if (!p) return ND_ENOMEM;
    *a = p;
    *cap = nc;
    return 0;
}

static int ensure_wv(float **a, uint32_t *cap, uint32_t n)
{
    if (n <= *cap) return 0;
    uint32_t nc = *cap ? *cap : 64;
    while (nc < n) nc *= 2;
    float *p = nd_realloc(*a, (size_t) nc * sizeof *p);
    if (!p) return ND_ENOMEM;
    *a = p;
    *cap = nc;
    return 0;
}

static int ensure_w(nd_cluster *c, uint32_t n)
{
    return ensure_wv(&c->wtmp, &c->wtmp_cap, n);
}

static nd__feat *feat_dup(const nd__feat *f, uint32_t n)
{
    nd__feat *p = nd_malloc((size_t) (n ? n : 1) * sizeof *p);
    if (p && n) memcpy(p, f, (size_t) n * sizeof *p);
    return p;
}

/* The k-th largest of a[0..n) (1 <= k <= n); reorders a.  Quickselect
 * with a three-way partition, so runs of equal weights cost nothing. */
static float kth_largest(float *a, uint32_t n, uint32_t k)
{
    long lo = 0, hi = (long) n - 1, want = (long) k - 1;
    while (lo < hi) {
        float piv = a[lo + (hi - lo) / 2];
        long lt = lo, i = lo, gt = hi;
        while (i <= gt) {
            float x = a[i];
            if (x > piv) {
                a[i++] = a[lt];
                a[lt++] = x;
            } else if (x < piv) {
                a[i] = a[gt];
                a[gt--] = x;
            } else {
                i++;
            }
        }
        if (want < lt)
            hi = lt - 1;
        else if (want > gt)
            lo = gt + 1;
        else
            return piv;
    }
    return a[want];
}

/* The indexes of the top t entries of v by weight (ties: lower hash). */
static uint32_t top_feats(const nd__feat *v, uint32_t n, uint32_t t, uint32_t *idx)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (k == t && v[i].w <= v[idx[k - 1]].w) continue;
        uint32_t j = k < t ? k++ : k - 1;
        while (j > 0 && v[idx[j - 1]].w < v[i].w) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    return k;
}

/* Dot product of two hash-sorted vectors. */
static double fdot(const nd__feat *a, uint32_t na, const nd__feat *b, uint32_t nb)
{
    double s = 0;
    uint32_t i = 0, j = 0;
    /* branch-free advance: the hashes are random, so branches mispredict */
    while (i < na && j < nb) {
        uint64_t x = a[i].h, y = b[j].h;
        float p = a[i].w * b[j].w;
        s += x == y ? (double) p : 0.0;
        i += x <= y;
        j += y <= x;
    }
    return s;
}

/* |a - b| without overflow, whatever the times. */
static uint64_t tdist(int64_t a, int64_t b)
{
    return a > b ? (uint64_t) a - (uint64_t) b : (uint64_t) b - (uint64_t) a;
}

static uint64_t span_gap(int64_t first, int64_t last, int64_t t)
{
    if (t == ND_TIME_NONE || first == ND_TIME_NONE) return 0;
    if (t > last) return tdist(t, last);
    if (t < first) return tdist(first, t);
    return 0;
}

static void span_add(int64_t *first, int64_t *last, int64_t t)
{
    if (t == ND_TIME_NONE) return;
    if (*first == ND_TIME_NONE) {
        *first = *last = t;
        return;
    }
    if (t < *first) *first = t;
    if (t > *last) *last = t;
}

/* Documents too far apart in time are not linked unless very similar. */
static int time_ok(const nd_cluster *c, int64_t a, int64_t b, double s1)
{
    if (a == ND_TIME_NONE || b == ND_TIME_NONE) return 1;
    return tdist(a, b) <= (uint64_t) c->p.window_seconds || (c->p.revive > 0 && s1 >= c->p.revive);
}

/* ---- statistics ------------------------------------------------------------------------- */

static void df_add(nd_cluster *c, const nd__feat *f, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (f[i].w < 0) continue; /* an attribute, not a word */
        uint32_t at = (uint32_t) (f[i].h & c->df_mask);
        if (c->ps) df_keep(c, at); /* what the save compares with */
        if (c->df[at] < UINT32_MAX) c->df[at]++;
        c->df_written = 1;
    }
    c->df_n += 1.0;
    if (++c->df_since >= c->p.df_half_life * 2ull) {
        /* Halve: the counts then describe the recent documents most. */
        if (c->ps) df_keep_all(c);
        for (uint32_t i = 0; i <= c->df_mask; i++) c->df[i] >>= 1;
        c->df_n /= 2.0;
        c->df_since = c->p.df_half_life;
    }
}

/* A store's own share r of documents with a word counts as r^1.5 against
 * the prior: a word must be common in the store before the engine believes
 * the store over general usage.  A few documents that share a rare word
 * are what a story looks like, not a sign that the word is common; a name
 * in nearly every document of a small store is. */
static inline double idf(const nd_cluster *c, const nd__feat *f)
{
    double d = c->df[f->h & c->df_mask], n = c->df_n;
    if (c->prior) {
        /* The prior counts as prior_docs documents of which a share p had
         * the word (none for a word it does not list); the engine's own
         * counts outweigh it as they grow, and its own share stands when
         * it is the larger. */
        int q = f->pq ? f->pq - 2 : nd__prior_q(c->prior, f->h);
        double m = c->p.prior_docs, r = d / (n + 1.0), own = r * sqrt(r) * (n + m);
        d += c->prior_df[q < 0 ? 256 : q];
        if (own > d) d = own;
        n += m;
    }
    return log((n + 1.0) / (d + 1.0)) + 1.0;
}

/* The prior's document counts by quantised log-frequency (prior.h: an
 * article of ND__PRIOR_ARTICLE words). */
static void prior_init(nd_cluster *c)
{
    c->prior = c->p.prior_docs > 0 ? nd__prior_get() : NULL;
    for (int q = 0; q < 256; q++) c->prior_df[q] = (float) (c->p.prior_docs * nd__prior_share_q(q));
    c->prior_df[256] = 0.0f;
}

/* Scratch of one thread that vectorizes: the vector and the weights. */
typedef struct vscratch {
    nd__feat *vbuf;
    uint32_t vbuf_cap;
    float *wtmp;
    uint32_t wtmp_cap;
} vscratch;

/* The unit TF-IDF vector of raw features into x->vbuf (sorted by hash,
 * the strongest max_features kept).  Returns its length or -1.  Reads c
 * only: threads with scratch of their own may run it at once. */
static long vectorize_in(const nd_cluster *c, vscratch *x, const nd__feat *raw, uint32_t n)
{
    if (ensure_f(&x->vbuf, &x->vbuf_cap, n + 1) || ensure_wv(&x->wtmp, &x->wtmp_cap, 2 * n + 2))
        return -1;
    nd__feat *vbuf = x->vbuf;
    float *w = x->wtmp, *cp = x->wtmp + n + 1;
    for (uint32_t i = 0; i < n; i++) w[i] = raw[i].w * (float) idf(c, &raw[i]);
    float thr = -1.0f;
    uint32_t at_thr = 0; /* how many equal to thr may still be kept */
    if (n > c->p.max_features) {
        memcpy(cp, w, (size_t) n * sizeof *cp);
        thr = kth_largest(cp, n, c->p.max_features);
        uint32_t above = 0;
        for (uint32_t i = 0; i < n; i++) above += w[i] > thr;
        at_thr = c->p.max_features - above;
    }
    uint32_t k = 0;
    double norm = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        if (w[i] <= 0.0f) continue;
        if (thr >= 0.0f) {
            if (w[i] < thr) continue;
            if (w[i] == thr) {
                if (!at_thr) continue;
                at_thr--;
            }
        }
        vbuf[k].h = raw[i].h;
        vbuf[k].w = w[i];
        vbuf[k].pq = 0;
        norm += (double) w[i] * w[i];
        k++;
    }
    if (norm > 0) {
        float inv = (float) (1.0 / sqrt(norm));
        for (uint32_t i = 0; i < k; i++) vbuf[i].w *= inv;
    }
    return (long) k;
}

/* vectorize_in() into c->vbuf, with the engine's scratch. */
static long vectorize(nd_cluster *c, const nd__feat *raw, uint32_t n)
{
    vscratch x = {c->vbuf, c->vbuf_cap, c->wtmp, c->wtmp_cap};
    long k = vectorize_in(c, &x, raw, n);
    c->vbuf = x.vbuf;
    c->vbuf_cap = x.vbuf_cap;
    c->wtmp = x.wtmp;
    c->wtmp_cap = x.wtmp_cap;
    return k;
}

/* ---- inverted indexes ----------------------------------------------------------------------- */

static void pgen_free(pgen *g)
{
    nd_free(g->keys);
    nd_free(g->a);
    nd_free(g->b);
    nd_free(g->dirty);
    nd_free(g->lazy);
    nd_free(g->chg);
    nd_free(g->chm);
    nd_free(g->pd);
    nd_free(g->pd_at);
    uint32_t P = g->P;
    int track = g->track;
    memset(g, 0, sizeof *g);
    g->P = P;
    g->track = track;
    g->whole = 1;
}

/* To cap slots (a power of two above the current capacity), every key
 * moved to its new home. */
static int pgen_resize(pgen *g, uint32_t cap)
{
    uint32_t P = g->P;
    uint64_t *keys = nd_calloc(cap, sizeof *keys);
    uint32_t *a = nd_malloc((size_t) cap * P * sizeof *a);
    uint32_t *b = nd_malloc((size_t) cap * P * sizeof *b);
    /* every slot moves: every block is to be saved */
    uint8_t *dirty = nd_malloc(cap / PG_BLOCK);
    if (!keys || !a || !b || !dirty) {
        nd_free(keys);
        nd_free(a);
        nd_free(b);
        nd_free(dirty);
        return ND_ENOMEM;
    }
    memset(dirty, 1, cap / PG_BLOCK);
    for (uint32_t i = 0; i < g->cap; i++) {
        if (!g->keys[i]) continue;
        uint32_t j = (uint32_t) nd__mix64(g->keys[i]) & (cap - 1);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = g->keys[i];
        memcpy(a + (size_t) j * P, g->a + (size_t) i * P, P * sizeof *a);
        memcpy(b + (size_t) j * P, g->b + (size_t) i * P, P * sizeof *b);
    }
    nd_free(g->keys);
    nd_free(g->a);
    nd_free(g->b);
    nd_free(g->dirty);
    nd_free(g->lazy); /* (every block was read first: pg_load_gen) */
    g->keys = keys;
    g->a = a;
    g->b = b;
    g->dirty = dirty;
    g->lazy = NULL;
    g->n_lazy = 0;
    g->cap = cap;
    nd_free(g->chg);
    nd_free(g->chm);
    nd_free(g->pd);
    nd_free(g->pd_at);
    g->chg = NULL;
    g->chm = NULL;
    g->pd = NULL;
    g->pd_at = NULL;
    g->n_chg = g->cap_chg = g->n_pd = 0;
    g->whole = 1;
    return 0;
}

static int pgen_grow(pgen *g)
{
    return pgen_resize(g, g->cap ? g->cap * 2 : 1024);
}

/* Slot j's block, read from its item first when a load left it for later. */
static inline void pg_need(nd_cluster *c, pgen *g, uint32_t j)
{
    if (g->n_lazy && g->lazy[j / PG_BLOCK]) pg_lazy_block(c, g, j / PG_BLOCK);
}

/* The slot of feature h, or -1.  A probe reads the blocks it passes
 * through (those of a loaded state are read when first probed). */
static int64_t pgen_find(nd_cluster *c, pgen *g, uint64_t h)
{
    if (!g->cap) return -1;
    uint32_t j = (uint32_t) nd__mix64(h) & (g->cap - 1);
    pg_need(c, g, j);
    while (g->keys[j]) {
        if (g->keys[j] == h) return j;
        j = (j + 1) & (g->cap - 1);
        if (!(j % PG_BLOCK)) pg_need(c, g, j);
    }
    return -1;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *) x, b = *(const uint32_t *) y;
    return (a > b) - (a < b);
}

/* Slot j changed since the last save (a failure: the blocks are saved). */
static void pg_changed(pgen *g, uint32_t j)
{
    if (!g->chm && !(g->chm = nd_calloc(g->cap / 8, 1))) {
        g->whole = 1;
        return;
    }
    if (g->chm[j >> 3] & (1u << (j & 7))) return;
    if (g->n_chg == g->cap_chg) {
        uint32_t cap = g->cap_chg ? g->cap_chg * 2 : 256;
        uint32_t *v = nd_realloc(g->chg, (size_t) cap * sizeof *v);
        if (!v) {
            g->whole = 1;
            return;
        }
        g->chg = v;
        g->cap_chg = cap;
    }
    g->chm[j >> 3] |= (uint8_t) (1u << (j & 7));
    g->chg[g->n_chg++] = j;
}

/* Put (a + 1, b) at the front of feature h's list (a entry 0 = empty). */
static int pgen_post(nd_cluster *c, pgen *g, uint64_t h, uint32_t a, uint32_t b)
{
    uint32_t P = g->P;
    if ((uint64_t) (g->n + 1) * 4 > (uint64_t) g->cap * 3) {
        pg_load_gen(c, g); /* every key moves */
        if (pgen_grow(g)) return ND_ENOMEM;
    }
    uint32_t j = (uint32_t) nd__mix64(h) & (g->cap - 1);
    pg_need(c, g, j);
    while (g->keys[j] && g->keys[j] != h) {
        j = (j + 1) & (g->cap - 1);
        if (!(j % PG_BLOCK)) pg_need(c, g, j);
    }
    uint32_t *la = g->a + (size_t) j * P, *lb = g->b + (size_t) j * P;
    g->dirty[j / PG_BLOCK] = 1;
    if (g->track && !g->whole) pg_changed(g, j);
    if (!g->keys[j]) {
        g->keys[j] = h;
        g->n++;
        memset(la, 0, P * sizeof *la);
        memset(lb, 0, P * sizeof *lb); /* saved with the state: no stale bytes */
    }
    uint32_t k = 0;
    while (k < P - 1 && la[k] && !(la[k] == a + 1 && lb[k] == b)) k++;
    memmove(la + 1, la, k * sizeof *la);
    memmove(lb + 1, lb, k * sizeof *lb);
    la[0] = a + 1;
    lb[0] = b;
    return 0;
}

/* Count one document against a pair of generations; rotate when the newer
 * has seen `span` documents. */
static void pgen_tick(nd_cluster *c, pgen g[2], uint64_t span)
{
    if (++g[0].docs < span) return;
    /* its blocks are saved under the other generation's keys: read them all */
    pg_load_gen(c, &g[0]);
    pgen_free(&g[1]);
    g[1] = g[0];
    /* its blocks are saved under the older generation's keys now */
    if (g[1].cap) memset(g[1].dirty, 1, g[1].cap / PG_BLOCK);
    g[1].whole = 1;
    uint32_t P = g[0].P;
    int track = g[0].track;
    memset(&g[0], 0, sizeof g[0]);
    g[0].P = P;
    g[0].track = track;
    g[0].whole = 1;
}

/* ---- stories ------------------------------------------------------------------------------------
 */

static story *story_by_slot(const nd_cluster *c, uint32_t slot, uint32_t stamp)
{
    if (slot >= c->n_slots || c->stamps[slot] != stamp) return NULL;
    return c->slots[slot];
}

static int64_t resolve_id(const nd_cluster *c, int64_t id)
{
    for (int hops = 0; hops < 64; hops++) {
        int64_t to;
        if (nd__imap_get(&c->fwd[0], (uint64_t) id, &to) ||
            nd__imap_get(&c->fwd[1], (uint64_t) id, &to))
            id = to;
        else
            break;
    }
    return id;
}

static story *story_get(const nd_cluster *c, int64_t id)
{
    int64_t slot;
    if (!nd__imap_get(&c->by_id, (uint64_t) id, &slot)) return NULL;
    return c->slots[slot];
}

static story *story_new(nd_cluster *c, int64_t id)
{
    uint32_t slot;
    if (c->n_free) {
        slot = c->free_slots[--c->n_free];
    } else {
        if (c->n_slots == c->cap_slots) {
            uint32_t cap = c->cap_slots ? c->cap_slots * 2 : 256;
            story **s = nd_realloc(c->slots, (size_t) cap * sizeof *s);
            if (!s) return NULL;
            c->slots = s;
            uint32_t *st = nd_realloc(c->stamps, (size_t) cap * sizeof *st);
            if (!st) return NULL;
            c->stamps = st;
            uint32_t *fr = nd_realloc(c->free_slots, (size_t) cap * sizeof *fr);
            if (!fr) return NULL;
            c->free_slots = fr;
            c->cap_slots = cap;
        }
        slot = c->n_slots++;
        c->stamps[slot] = 0;
        c->slots[slot] = NULL;
    }
    story *s = nd_calloc(1, sizeof *s);
    if (!s || nd__imap_put(&c->by_id, (uint64_t) id, slot)) {
        nd_free(s);
        c->free_slots[c->n_free++] = slot;
        return NULL;
    }
    s->id = id;
    s->slot = slot;
    s->st_first = s->st_last = s->t_first = s->t_last = ND_TIME_NONE;
    s->seq_last = c->seq;
    c->slots[slot] = s;
    c->stamps[slot]++;
    if (id >= c->next_id) c->next_id = id + 1;
    c->st.stories_active++;
    return s;
}

static void story_drop(nd_cluster *c, story *s)
{
    nd__imap_del(&c->by_id, (uint64_t) s->id);
    c->slots[s->slot] = NULL;
    c->stamps[s->slot]++; /* postings naming the slot are now stale */
    c->free_slots[c->n_free++] = s->slot;
    nd__fmap_free(&s->c);
    nd_free(s);
    c->st.stories_active--;
}

static void recompute_norm(story *s)
{
    double n2 = 0;
    for (uint32_t i = 0; i < s->c.cap; i++)
        if (s->c.keys[i]) n2 += (double) s->c.vals[i] * s->c.vals[i];
    s->norm2 = n2;
}

/* Keep the strongest max_centroid features when the centroid has twice as
 * many. */
static void centroid_prune(nd_cluster *c, story *s)
{
    uint32_t cap = c->p.max_centroid;
    if (s->c.n <= cap * 2) return;
    if (ensure_w(c, s->c.n)) return; /* keep it unpruned: still correct */
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->c.cap; i++)
        if (s->c.keys[i]) c->wtmp[k++] = s->c.vals[i];
    float thr = kth_largest(c->wtmp, k, cap);
    nd__fmap m = {0};
    if (nd__fmap_reserve(&m, cap + cap / 2)) return;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < s->c.cap && kept < cap; i++)
        if (s->c.keys[i] && s->c.vals[i] >= thr) {
            nd__fmap_add(&m, s->c.keys[i], s->c.vals[i], NULL);
            kept++;
        }
    nd__fmap_free(&s->c);
    s->c = m;
    recompute_norm(s);
}

static double centroid_dot(const story *s, const nd__feat *v, uint32_t n)
{
    if (!s->c.n) return 0.0;
    double dot = 0;
    for (uint32_t i = 0; i < n; i++) dot += (double) v[i].w * nd__fmap_get(&s->c, v[i].h);
    return dot;
}

/* Post a vector's strongest features for story s. */
static void story_post(nd_cluster *c, story *s, const nd__feat *v, uint32_t n)
{
    uint32_t idx[POST_T];
    uint32_t k = top_feats(v, n, POST_T, idx);
    for (uint32_t i = 0; i < k; i++)
        if (pgen_post(c, &c->sp[0], v[idx[i]].h, s->slot, c->stamps[s->slot])) c->oom = 1;
}

/* Settled stories that could take vector v, into c->cand; returns how many. */
static uint32_t story_candidates(nd_cluster *c, const nd__feat *v, uint32_t n)
{
    uint32_t idx[POST_T], k = 0;
    uint32_t t = top_feats(v, n, POST_T, idx);
    uint32_t need = t * 2 * SPOST_P;
    if (need > c->cand_cap) {
        story **cs = nd_realloc(c->cand, need * sizeof *cs);
        if (!cs) return 0;
        c->cand = cs;
        c->cand_cap = need;
    }
    c->mark++;
    for (uint32_t i = 0; i < t; i++) {
        for (int gi = 0; gi < 2; gi++) {
            pgen *g = &c->sp[gi];
            int64_t j = pgen_find(c, g, v[idx[i]].h);
            if (j < 0) continue;
            const uint32_t *la = g->a + (size_t) j * g->P, *lb = g->b + (size_t) j * g->P;
            for (uint32_t e = 0; e < g->P && la[e]; e++) {
                story *s = story_by_slot(c, la[e] - 1, lb[e]);
                if (!s || !s->n_settled) continue;
                if (s->mark != c->mark) {
                    s->mark = c->mark;
                    s->acc = 0;
                    c->cand[k++] = s;
                }
                s->acc += v[idx[i]].w;
            }
        }
    }
    /* keep the best STORY_CAND by evidence (ties: lower id) */
    for (uint32_t i = 1; i < k; i++) {
        story *x = c->cand[i];
        uint32_t j = i;
        while (j > 0 && (c->cand[j - 1]->acc < x->acc ||
                         (c->cand[j - 1]->acc == x->acc && c->cand[j - 1]->id > x->id))) {
            c->cand[j] = c->cand[j - 1];
            j--;
        }
        c->cand[j] = x;
    }
    if (k > STORY_CAND) k = STORY_CAND;
    for (uint32_t i = 0; i < k; i++) lazy_story(c, c->cand[i]);
    return k;
}

/* ---- the recent window ---------------------------------------------------------------------- */

static uint32_t ring_slot(const nd_cluster *c, uint32_t i) /* i-th oldest */
{
    return c->ring_n < c->ring_cap ? i : (c->ring_next + i) % c->ring_cap;
}

static rdoc *ring_find(nd_cluster *c, int64_t id)
{
    for (uint32_t i = 0; i < c->ring_n; i++) {
        rdoc *d = &c->ring[ring_slot(c, i)];
        if (d->id == id) return d;
    }
    return NULL;
}

static int nbr_valid(const nd_cluster *c, const nbr *n)
{
    return c->ring[n->slot].seq == n->seq;
}

/* What orders a document's neighbours: their similarity, times `burst`
 * for one published at most burst_seconds from it (both dated).  Reports
 * of one event come out together, so among look-alike documents the ones
 * of the same days are the likelier reports of the same event: they come
 * first, and make up the document's neighbour profile.  The order only:
 * the similarity that the thresholds read stays the cosine, so a stream
 * in which every document is recent (a day's news) is clustered as
 * without it. */
static float nbr_rank(const nd_cluster *c, const rdoc *d, uint32_t slot, float s1)
{
    int64_t t = c->ring[slot].time;
    if (c->p.burst != 1 && d->time != ND_TIME_NONE && t != ND_TIME_NONE &&
        tdist(d->time, t) <= (uint64_t) c->p.burst_seconds)
        return s1 * (float) c->p.burst;
    return s1;
}

/* Whether neighbour x (rank rx) comes before the document seq of rank r. */
static int nbr_before(float rx, const nbr *x, float r, uint64_t seq)
{
    return rx > r || (rx == r && x->seq < seq);
}

/* Insert (or update) neighbour (slot, seq, s1) into d's list. */
static void nbr_insert(nd_cluster *c, rdoc *d, uint32_t slot, uint64_t seq, float s1)
{
    uint32_t k = 0;
    /* drop stale entries and an older entry for the same document */
    for (uint32_t i = 0; i < d->n_nb; i++)
        if (nbr_valid(c, &d->nb[i]) && d->nb[i].seq != seq) d->nb[k++] = d->nb[i];
    d->n_nb = k;
    uint32_t cap = c->p.neighbours;
    float r = nbr_rank(c, d, slot, s1);
    if (k == cap &&
        nbr_before(nbr_rank(c, d, d->nb[k - 1].slot, d->nb[k - 1].s1), &d->nb[k - 1], r, seq))
        return;
    uint32_t j = k < cap ? k++ : k - 1;
    while (j > 0 &&
           !nbr_before(nbr_rank(c, d, d->nb[j - 1].slot, d->nb[j - 1].s1), &d->nb[j - 1], r, seq)) {
        d->nb[j] = d->nb[j - 1];
        j--;
    }
    d->nb[j] = (nbr){seq, slot, s1};
    d->n_nb = k;
}

static void doc_post(nd_cluster *c, uint32_t slot)
{
    const rdoc *d = &c->ring[slot];
    uint32_t idx[POST_T];
    uint32_t k = top_feats(d->vec, d->n_vec, POST_T, idx);
    for (uint32_t i = 0; i < k; i++)
        if (pgen_post(c, &c->dp[0], d->vec[idx[i]].h, slot, (uint32_t) d->seq)) c->oom = 1;
}

/* Candidate scratch of one thread: per ring slot, the evidence and the
 * mark of the last search that met it; the candidates found. */
typedef struct cscratch {
    float *dacc;
    uint64_t *dmark;
    uint32_t *dcand;
    uint64_t mark;
} cscratch;

/* Recent documents that could be near slot `self`, into x->dcand;
 * returns how many (at most `candidates`).  Writes x only, so threads
 * with scratch of their own may search at once while the document index
 * has no block left to read (pg_need). */
static uint32_t doc_candidates_in(nd_cluster *c, cscratch *x, uint32_t self)
{
    const rdoc *d = &c->ring[self];
    uint32_t idx[POST_T], k = 0;
    uint32_t t = top_feats(d->vec, d->n_vec, POST_T, idx);
    float *dacc = x->dacc;
    uint64_t *dmark = x->dmark, mark = ++x->mark;
    uint32_t *dcand = x->dcand;
    for (uint32_t i = 0; i < t; i++) {
        for (int gi = 0; gi < 2; gi++) {
            pgen *g = &c->dp[gi];
            int64_t j = pgen_find(c, g, d->vec[idx[i]].h);
            if (j < 0) continue;
            const uint32_t *la = g->a + (size_t) j * g->P, *lb = g->b + (size_t) j * g->P;
            for (uint32_t e = 0; e < g->P && la[e]; e++) {
                uint32_t s = la[e] - 1;
                if (s == self || s >= c->ring_cap || (uint32_t) c->ring[s].seq != lb[e] ||
                    !HAS_VEC(&c->ring[s]))
                    continue;
                if (dmark[s] != mark) {
                    dmark[s] = mark;
                    dacc[s] = 0;
                    dcand[k++] = s;
                }
                dacc[s] += d->vec[idx[i]].w;
            }
        }
    }
    uint32_t want = c->p.candidates;
    if (k > want) {
        /* the `want` with the most evidence (ties: older) */
        for (uint32_t i = 1; i < k; i++) {
            uint32_t y = dcand[i], j = i;
            while (j > 0 &&
                   (dacc[dcand[j - 1]] < dacc[y] || (dacc[dcand[j - 1]] == dacc[y] &&
                                                     c->ring[dcand[j - 1]].seq > c->ring[y].seq))) {
                dcand[j] = dcand[j - 1];
                j--;
            }
            dcand[j] = y;
        }
        k = want;
    }
    return k;
}

/* doc_candidates_in() with the engine's scratch, into c->dcand. */
static uint32_t doc_candidates(nd_cluster *c, uint32_t self)
{
    cscratch x = {c->dacc, c->dmark, c->dcand, c->mark};
    uint32_t k = doc_candidates_in(c, &x, self);
    c->mark = x.mark;
    return k;
}

/* ---- negative evidence ------------------------------------------------------ */

static void lazy_raw(nd_cluster *c, rdoc *d);

/* Whether the sorted features f hold id h. */
static int has_feat(const nd__feat *f, uint32_t n, uint64_t h)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && f[lo].h == h;
}

static void read_attrs(rdoc *d)
{
    d->attrs_read = 1;
    for (uint32_t i = 0; i < d->n_raw; i++) {
        const nd__feat *f = &d->raw[i];
        if (f->w == ND__A_PLACE && d->n_place < ND__A_MAX)
            d->place[d->n_place++] = f->h ^ ND__A_SALT_PLACE;
        else if (f->w == ND__A_MAG && d->n_mag < ND__A_MAX)
            d->mag[d->n_mag++] = (uint32_t) (f->h - ND__A_SALT_MAG);
        else if (f->w == ND__A_TOLL)
            d->toll = (uint8_t) (f->h - ND__A_SALT_TOLL);
    }
}

/* How many of their event's attributes two documents report differently:
 * the places of their leads, each absent from the other document; the
 * magnitudes, 0.5 or more apart; deaths in one, injuries and no death in
 * the other.  Reports of one event agree on where it happened and how bad
 * it was (agencies' magnitudes differ by 0.1-0.3); look-alike events of
 * one kind often differ in one of them. */
static int clashes(nd_cluster *c, rdoc *a, rdoc *b)
{
    lazy_raw(c, a);
    lazy_raw(c, b);
    if (!a->attrs_read) read_attrs(a);
    if (!b->attrs_read) read_attrs(b);
    int n = 0;
    if (a->n_place && b->n_place) {
        int met = 0;
        for (uint32_t i = 0; i < a->n_place && !met; i++)
            met = has_feat(b->raw, b->n_raw, a->place[i]);
        for (uint32_t i = 0; i < b->n_place && !met; i++)
            met = has_feat(a->raw, a->n_raw, b->place[i]);
        n += !met;
    }
    if (a->n_mag && b->n_mag) {
        uint32_t gap = UINT32_MAX;
        for (uint32_t i = 0; i < a->n_mag; i++)
            for (uint32_t j = 0; j < b->n_mag; j++) {
                uint32_t g = a->mag[i] > b->mag[j] ? a->mag[i] - b->mag[j] : b->mag[j] - a->mag[i];
                if (g < gap) gap = g;
            }
        n += gap >= 5;
    }
    n += a->toll && b->toll && a->toll != b->toll;
    return n;
}

/* The similarity of two recent documents: the cosine of their vectors,
 * times `clash` for each attribute of their event they report
 * differently. */
static float pair_sim(nd_cluster *c, rdoc *a, rdoc *b)
{
    lazy_vec(c, a);
    lazy_vec(c, b);
    float s1 = (float) fdot(a->vec, a->n_vec, b->vec, b->n_vec);
    if (s1 > 0 && c->p.clash < 1)
        for (int k = clashes(c, a, b); k > 0; k--) s1 *= (float) c->p.clash;
    return s1;
}

/* Find the neighbours of the document at `slot` among the recent ones and
 * offer it as a neighbour to them. */
static void link_doc(nd_cluster *c, uint32_t slot)
{
    rdoc *d = &c->ring[slot];
    uint32_t k = doc_candidates(c, slot);
    for (uint32_t i = 0; i < k; i++) {
        uint32_t s = c->dcand[i];
        rdoc *o = &c->ring[s];
        float s1 = pair_sim(c, d, o);
        if (s1 <= 0 || !time_ok(c, d->time, o->time, s1)) continue;
        nbr_insert(c, d, s, o->seq, s1);
        nbr_insert(c, o, slot, d->seq, s1);
    }
}

/* The neighbour profile of a recent document: itself and its `profile`
 * nearest valid neighbours, unit length.  Returns the entry count. */
static uint32_t profile_of(const nd_cluster *c, const rdoc *d, uint64_t *key, float *w)
{
    uint32_t k = 0;
    double n2 = 1.0;
    key[k] = d->seq;
    w[k++] = 1.0f;
    for (uint32_t i = 0; i < d->n_nb && k <= c->p.profile; i++) {
        if (!nbr_valid(c, &d->nb[i])) continue;
        key[k] = d->nb[i].seq;
        w[k++] = d->nb[i].s1;
        n2 += (double) d->nb[i].s1 * d->nb[i].s1;
    }
    float inv = (float) (1.0 / sqrt(n2));
    for (uint32_t i = 0; i < k; i++) w[i] *= inv;
    return k;
}

static double profile_dot(const uint64_t *ka, const float *wa, uint32_t na, const uint64_t *kb,
                          const float *wb, uint32_t nb)
{
    double s = 0;
    for (uint32_t i = 0; i < na; i++)
        for (uint32_t j = 0; j < nb; j++)
            if (ka[i] == kb[j]) s += (double) wa[i] * wb[j];
    return s;
}

/* A recent document leaves the window: it settles into its story. */
static void settle(nd_cluster *c, rdoc *d)
{
    story *s = story_get(c, d->story);
    if (s) lazy_story(c, s);
    if (s) {
        if (s->ring_refs) s->ring_refs--;
        lazy_vec(c, d);
        if (d->vec) {
            if (s->n_recent) s->n_recent--;
            if (!nd__fmap_reserve(&s->c, s->c.n + d->n_vec)) {
                double n2 = s->norm2;
                for (uint32_t i = 0; i < d->n_vec; i++) {
                    float nv;
                    nd__fmap_add(&s->c, d->vec[i].h, d->vec[i].w, &nv);
                    float old = nv - d->vec[i].w;
                    n2 += (double) nv * nv - (double) old * old;
                }
                s->norm2 = n2;
                s->n_settled++;
                span_add(&s->st_first, &s->st_last, d->time);
                story_post(c, s, d->vec, d->n_vec);
                centroid_prune(c, s);
            } else {
                c->oom = 1;
            }
        }
    }
    nd_free(d->raw);
    nd_free(d->vec);
    memset(d, 0, sizeof *d);
}

/* Take the next ring slot (settling its old document). */
static uint32_t ring_take(nd_cluster *c)
{
    uint32_t slot = c->ring_next;
    if (c->ring_n == c->ring_cap)
        settle(c, &c->ring[slot]);
    else
        c->ring_n++;
    c->ring_next = (c->ring_next + 1) % c->ring_cap;
    return slot;
}

/* ---- re-clustering the recent window
 * -------------------------------------------------------------- */

typedef struct rcs { /* the clustering's scratch, freed at the end */
    uint32_t m;      /* nodes */
    uint32_t *slot;  /* node -> ring slot */
    uint64_t *pkey;  /* node x (profile + 1): profile keys */
    float *pw;
    uint32_t *pn;
    alist *adj;
    uint32_t *size, *ver, *parent;
    hent *heap;
    size_t n_heap, cap_heap;
    uint32_t *pos; /* merge scratch: cluster -> index in the list + 1 */
} rcs;

static void rc_free(rcs *r)
{
    nd_free(r->slot);
    nd_free(r->pkey);
    nd_free(r->pw);
    nd_free(r->pn);
    if (r->adj)
        for (uint32_t i = 0; i < r->m; i++) nd_free(r->adj[i].e);
    nd_free(r->adj);
    nd_free(r->size);
    nd_free(r->ver);
    nd_free(r->parent);
    nd_free(r->heap);
    nd_free(r->pos);
}

static int adj_add(alist *l, uint32_t to, double s1, double s2)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        adj *e = nd_realloc(l->e, cap * sizeof *e);
        if (!e) return ND_ENOMEM;
        l->e = e;
        l->cap = cap;
    }
    l->e[l->n++] = (adj){to, s1, s2};
    return 0;
}

static adj *adj_find(alist *l, uint32_t to)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->e[i].to == to) return &l->e[i];
    return NULL;
}

static int hent_less(const hent *x, const hent *y) /* x before y */
{
    if (x->score != y->score) return x->score > y->score;
    if (x->a != y->a) return x->a < y->a;
    return x->b < y->b;
}

static int heap_push(rcs *r, hent h)
{
    if (r->n_heap == r->cap_heap) {
        size_t cap = r->cap_heap ? r->cap_heap * 2 : 1024;
        hent *n = nd_realloc(r->heap, cap * sizeof *n);
        if (!n) return ND_ENOMEM;
        r->heap = n;
        r->cap_heap = cap;
    }
    size_t i = r->n_heap++;
    while (i && hent_less(&h, &r->heap[(i - 1) / 2])) {
        r->heap[i] = r->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    r->heap[i] = h;
    return 0;
}

static hent heap_pop(rcs *r)
{
    hent top = r->heap[0], last = r->heap[--r->n_heap];
    size_t i = 0;
    for (;;) {
        size_t ch = 2 * i + 1;
        if (ch >= r->n_heap) break;
        if (ch + 1 < r->n_heap && hent_less(&r->heap[ch + 1], &r->heap[ch])) ch++;
        if (!hent_less(&r->heap[ch], &last)) break;
        r->heap[i] = r->heap[ch];
        i = ch;
    }
    if (r->n_heap) r->heap[i] = last;
    return top;
}

/* Offer the merge of clusters a and b (adjacent through e) to the heap. */
static int offer(const nd_cluster *c, rcs *r, uint32_t a, const adj *e)
{
    uint32_t b = e->to;
    double z = (double) r->size[a] * r->size[b];
    double a1 = e->s1 / z, a2 = e->s2 / z;
    if (a1 < c->join_eff || a2 < c->p.shared) return 0;
    uint32_t x = a < b ? a : b, y = a < b ? b : a;
    return heap_push(r, (hent){(float) a2, x, y, r->ver[x], r->ver[y]});
}

static uint32_t rc_root(rcs *r, uint32_t x)
{
    while (r->parent[x] != x) {
        r->parent[x] = r->parent[r->parent[x]];
        x = r->parent[x];
    }
    return x;
}

/* Merge cluster b into cluster a. */
static int rc_merge(const nd_cluster *c, rcs *r, uint32_t a, uint32_t b)
{
    alist *la = &r->adj[a], *lb = &r->adj[b];
    for (uint32_t i = 0; i < la->n; i++) r->pos[la->e[i].to] = i + 1;
    for (uint32_t i = 0; i < lb->n; i++) {
        adj eb = lb->e[i];
        if (eb.to == a) continue;
        alist *lc = &r->adj[eb.to];
        adj *cb = adj_find(lc, b);
        if (r->pos[eb.to]) {
            adj *ea = &la->e[r->pos[eb.to] - 1];
            ea->s1 += eb.s1;
            ea->s2 += eb.s2;
            adj *ca = adj_find(lc, a);
            if (ca) {
                ca->s1 += eb.s1;
                ca->s2 += eb.s2;
            }
            if (cb) *cb = lc->e[--lc->n]; /* remove c's entry for b */
        } else {
            if (adj_add(la, eb.to, eb.s1, eb.s2)) return ND_ENOMEM;
            r->pos[eb.to] = la->n;
            if (cb) cb->to = a;
        }
    }
    for (uint32_t i = 0; i < la->n; i++) r->pos[la->e[i].to] = 0;
    adj *ab = adj_find(la, b);
    if (ab) *ab = la->e[--la->n];
    nd_free(lb->e);
    memset(lb, 0, sizeof *lb);
    r->parent[b] = a;
    r->size[a] += r->size[b];
    r->ver[a]++;
    r->ver[b]++;
    for (uint32_t i = 0; i < la->n; i++)
        if (offer(c, r, a, &la->e[i])) return ND_ENOMEM;
    return 0;
}

/* Canonical order of the recent originals: publication time, then id. */
static const nd_cluster *g_sort_c; /* set only during the qsort below */
static int node_cmp(const void *x, const void *y)
{
    const rdoc *a = &g_sort_c->ring[*(const uint32_t *) x];
    const rdoc *b = &g_sort_c->ring[*(const uint32_t *) y];
    int64_t ta = a->time == ND_TIME_NONE ? INT64_MIN : a->time;
    int64_t tb = b->time == ND_TIME_NONE ? INT64_MIN : b->time;
    if (ta != tb) return ta < tb ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* The window's recomputation on threads (refresh_window): each document's
 * vector, then each document's candidate neighbours, then the similarity
 * of each pair of documents that one of them found, depend on no other's
 * being done and only read the engine; threads take them in chunks and
 * write what they found at its place (the document's in canonical order,
 * the pair's in the order first found), and the caller then links the
 * documents in canonical order as link_doc() did.  So the vectors and
 * neighbour lists are those of one thread, bit for bit: the same
 * operations on the same operands, in the same order for each.  A pair
 * found from both its documents is compared once: pair_sim() is
 * symmetric to the bit (fdot() meets the matching features in hash order
 * whichever comes first and a float product commutes; each attribute's
 * clash is tested both ways). */
#define RF_CHUNK 8

typedef struct rf_job {
    nd_cluster *c;
    const uint32_t *order;
    uint32_t m;        /* documents */
    uint32_t n;        /* items of the phase */
    int phase;         /* 0: vectors; 1: candidates; 2: similarities */
    atomic_uint next;  /* the next item to take */
    atomic_int failed; /* out of memory */
    uint32_t *cand;    /* phase 1: document i's at cand[i * candidates] */
    uint32_t *n_cand;  /* phase 1: how many */
    uint32_t *pair;    /* phase 2: pair p is ring slots pair[2p], pair[2p + 1] */
    float *sim;        /* phase 2: its similarity */
} rf_job;

static void rf_vector(rf_job *j, vscratch *x, uint32_t i)
{
    nd_cluster *c = j->c;
    rdoc *d = &c->ring[j->order[i]];
    long n = vectorize_in(c, x, d->raw, d->n_raw);
    nd__feat *v = n >= 0 ? feat_dup(x->vbuf, (uint32_t) n) : NULL;
    if (!v) {
        atomic_store(&j->failed, 1);
        return;
    }
    nd_free(d->vec);
    d->vec = v;
    d->n_vec = (uint32_t) n;
    d->vfp = vec_fp(v, (uint32_t) n);
    d->n_nb = 0;
}

static void rf_cands(rf_job *j, cscratch *x, uint32_t i)
{
    nd_cluster *c = j->c;
    uint32_t k = doc_candidates_in(c, x, j->order[i]);
    memcpy(j->cand + (size_t) i * c->p.candidates, x->dcand, (size_t) k * sizeof *x->dcand);
    j->n_cand[i] = k;
}

static void rf_sim(rf_job *j, uint32_t p)
{
    nd_cluster *c = j->c;
    j->sim[p] = pair_sim(c, &c->ring[j->pair[2 * p]], &c->ring[j->pair[2 * p + 1]]);
}

static void *rf_main(void *arg)
{
    rf_job *j = arg;
    nd_cluster *c = j->c;
    vscratch vx = {0};
    cscratch cx = {0};
    if (j->phase == 1) {
        cx.dacc = nd_malloc((size_t) c->ring_cap * sizeof *cx.dacc);
        cx.dmark = nd_calloc(c->ring_cap, sizeof *cx.dmark);
        cx.dcand = nd_malloc((size_t) c->ring_cap * sizeof *cx.dcand);
        if (!cx.dacc || !cx.dmark || !cx.dcand) atomic_store(&j->failed, 1);
    }
    while (!atomic_load(&j->failed)) {
        uint32_t i = atomic_fetch_add(&j->next, RF_CHUNK);
        if (i >= j->n) break;
        uint32_t e = j->n - i < RF_CHUNK ? j->n : i + RF_CHUNK;
        for (; i < e; i++) {
            if (j->phase == 0)
                rf_vector(j, &vx, i);
            else if (j->phase == 1)
                rf_cands(j, &cx, i);
            else
                rf_sim(j, i);
        }
    }
    nd_free(vx.vbuf);
    nd_free(vx.wtmp);
    nd_free(cx.dacc);
    nd_free(cx.dmark);
    nd_free(cx.dcand);
    return NULL;
}

/* Phase `phase` of j over its n items, on the caller and up to
 * c->threads - 1 more threads (fewer for a few items, or when they
 * cannot start).  Returns 0 or ND_ENOMEM. */
static int rf_run(rf_job *j, int phase, uint32_t n_items)
{
    enum { RF_MAX = 15 };
    pthread_t tid[RF_MAX];
    int n = 0, want = j->c->threads - 1;
    if (want > RF_MAX) want = RF_MAX;
    while (want > 0 && n_items < (uint32_t) (want + 1) * 4 * RF_CHUNK) want--; /* 4 chunks each */
    j->phase = phase;
    j->n = n_items;
    atomic_store(&j->next, 0);
    for (; n < want; n++)
        if (pthread_create(&tid[n], NULL, rf_main, j) != 0) break;
    rf_main(j);
    for (int i = 0; i < n; i++) pthread_join(tid[i], NULL);
    return atomic_load(&j->failed) ? ND_ENOMEM : 0;
}

/* Number the pairs the candidates name, each once (in the order first
 * named): pidx[i * candidates + q] for document i's q-th candidate.
 * Returns how many, or -1 when out of memory. */
static long rf_pairs(rf_job *j, uint32_t *pidx)
{
    nd_cluster *c = j->c;
    size_t total = 0, K = c->p.candidates;
    for (uint32_t i = 0; i < j->m; i++) total += j->n_cand[i];
    uint32_t cap = 64;
    while (cap < total * 2) cap *= 2;
    /* pair key -> its number + 1 (no pair is a slot with itself, so no
     * key is 0) */
    nd__imap num = {0};
    j->pair = nd_malloc((total + 1) * 2 * sizeof *j->pair);
    j->sim = nd_malloc((total + 1) * sizeof *j->sim);
    if (!j->pair || !j->sim || nd__imap_grow(&num, cap)) {
        nd__imap_free(&num);
        return -1;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < j->m; i++) {
        uint32_t a = j->order[i];
        for (uint32_t q = 0; q < j->n_cand[i]; q++) {
            uint32_t b = j->cand[i * K + q];
            uint64_t key = a < b ? (uint64_t) a << 32 | b : (uint64_t) b << 32 | a;
            int64_t *v = nd__imap_ref(&num, key);
            if (!v) {
                nd__imap_free(&num);
                return -1;
            }
            if (!*v) {
                *v = (int64_t) n + 1;
                j->pair[2 * n] = a;
                j->pair[2 * n + 1] = b;
                n++;
            }
            pidx[i * K + q] = (uint32_t) (*v - 1);
        }
    }
    nd__imap_free(&num);
    return (long) n;
}

/* Recompute vectors with today's statistics, rebuild the document index
 * in canonical order and every neighbour list. */
static void refresh_window(nd_cluster *c, const uint32_t *order, uint32_t m)
{
    rf_job j;
    memset(&j, 0, sizeof j);
    j.c = c;
    j.order = order;
    j.m = m;
    atomic_init(&j.next, 0);
    atomic_init(&j.failed, 0);
    if (rf_run(&j, 0, m)) {
        c->oom = 1;
        return;
    }
    pgen_free(&c->dp[0]);
    pgen_free(&c->dp[1]);
    for (uint32_t i = 0; i < m; i++) doc_post(c, order[i]);
    /* What the similarities read and the threads must not write: the
     * documents' raw features (lazy_window read them) and their event
     * attributes, read now as a first comparison would. */
    for (uint32_t i = 0; i < m; i++) {
        rdoc *d = &c->ring[order[i]];
        lazy_raw(c, d);
        if (!d->raw) { /* (out of memory: a thread would fetch it) */
            c->oom = 1;
            return;
        }
        if (!d->attrs_read) read_attrs(d);
    }
    size_t K = c->p.candidates;
    j.cand = nd_malloc(((size_t) m * K + 1) * sizeof *j.cand);
    j.n_cand = nd_malloc(((size_t) m + 1) * sizeof *j.n_cand);
    uint32_t *pidx = nd_malloc(((size_t) m * K + 1) * sizeof *pidx);
    long n_pairs = -1;
    if (j.cand && j.n_cand && pidx && !rf_run(&j, 1, m)) n_pairs = rf_pairs(&j, pidx);
    if (n_pairs < 0 || rf_run(&j, 2, (uint32_t) n_pairs)) {
        c->oom = 1;
    } else {
        /* the links in canonical order, as link_doc() makes them */
        for (uint32_t i = 0; i < m; i++) {
            uint32_t slot = order[i];
            rdoc *d = &c->ring[slot];
            for (uint32_t q = 0; q < j.n_cand[i]; q++) {
                uint32_t s = j.cand[i * K + q];
                rdoc *o = &c->ring[s];
                float s1 = j.sim[pidx[i * K + q]];
                if (s1 <= 0 || !time_ok(c, d->time, o->time, s1)) continue;
                nbr_insert(c, d, s, o->seq, s1);
                nbr_insert(c, o, slot, d->seq, s1);
            }
        }
    }
    nd_free(j.cand);
    nd_free(j.n_cand);
    nd_free(j.pair);
    nd_free(j.sim);
    nd_free(pidx);
}

/* The story ids in a cluster, with their votes. */
typedef struct vote {
    int64_t id;
    uint32_t n;
} vote;

static int vote_cmp(const void *x, const void *y)
{
    const vote *a = x, *b = y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Average similarity of story t's recent documents to s's settled part. */
static double settled_fit(nd_cluster *c, const story *s, const story *t)
{
    double dot = 0;
    uint32_t n = 0;
    for (uint32_t q = 0; q < c->ring_n; q++) {
        const rdoc *d = &c->ring[ring_slot(c, q)];
        if (d->story != t->id || !d->vec) continue;
        dot += centroid_dot(s, d->vec, d->n_vec);
        n++;
    }
    return n && s->n_settled ? dot / ((double) n * s->n_settled) : 0.0;
}

/* Story b (its recent documents gone) joins story a: settled parts add up,
 * b's id forwards to a, and the store hears MERGE b -> a. */
static void merge_settled(nd_cluster *c, story *a, story *b)
{
    lazy_story(c, a);
    lazy_story(c, b);
    if (nd__fmap_reserve(&a->c, a->c.n + b->c.n) ||
        nd__imap_put(&c->fwd[0], (uint64_t) b->id, a->id)) {
        c->oom = 1;
        return;
    }
    for (uint32_t i = 0; i < b->c.cap; i++)
        if (b->c.keys[i]) nd__fmap_add(&a->c, b->c.keys[i], b->c.vals[i], NULL);
    recompute_norm(a);
    a->n_settled += b->n_settled;
    a->n_docs += b->n_docs;
    if (b->st_first != ND_TIME_NONE) {
        span_add(&a->st_first, &a->st_last, b->st_first);
        span_add(&a->st_first, &a->st_last, b->st_last);
    }
    if (b->t_first != ND_TIME_NONE) {
        span_add(&a->t_first, &a->t_last, b->t_first);
        span_add(&a->t_first, &a->t_last, b->t_last);
    }
    if (b->seq_last > a->seq_last) a->seq_last = b->seq_last;
    push_change(c, ND_CLUSTER_MERGE, 0, b->id, a->id);
    c->st.merges++;
    /* the merged centroid's strongest features point at the survivor */
    nd__feat *tmp = nd_malloc((size_t) (a->c.n ? a->c.n : 1) * sizeof *tmp);
    if (tmp) {
        uint32_t k = 0;
        for (uint32_t i = 0; i < a->c.cap; i++)
            if (a->c.keys[i]) tmp[k++] = (nd__feat){a->c.keys[i], a->c.vals[i], 0};
        story_post(c, a, tmp, k);
        nd_free(tmp);
    }
    centroid_prune(c, a);
    story_drop(c, b);
}

/* Cluster the recent window again and move documents whose story changed.
 * refresh: recompute vectors and neighbours first (flush). */
static int recluster(nd_cluster *c, int refresh)
{
    rcs r;
    memset(&r, 0, sizeof r);
    int rc_ = ND_ENOMEM;
    uint32_t P1 = c->p.profile + 1;
    c->since_sweep = 0;
    c->st.reclusters++;
    lazy_window(c, refresh);
    /* nodes: the recent originals in canonical order */
    r.slot = nd_malloc((c->ring_n + 1) * sizeof *r.slot);
    if (!r.slot) goto done;
    for (uint32_t i = 0; i < c->ring_n; i++) {
        uint32_t s = ring_slot(c, i);
        if (c->ring[s].vec) r.slot[r.m++] = s;
    }
    g_sort_c = c;
    qsort(r.slot, r.m, sizeof *r.slot, node_cmp);
    g_sort_c = NULL;
    if (refresh) refresh_window(c, r.slot, r.m);
    for (uint32_t i = 0; i < c->ring_cap; i++) c->ring[i].node = NONE32;
    for (uint32_t i = 0; i < r.m; i++) c->ring[r.slot[i]].node = i;
    /* The background: mean cosine of documents half the window apart in
     * canonical order - mostly unrelated pairs.  In a corpus of a few
     * documents, or of one subject, it is high and so is the bar. */
    if (r.m >= 2) {
        double sum = 0;
        uint32_t pairs = r.m < 1024 ? r.m : 1024, step = r.m / pairs;
        for (uint32_t k = 0; k < pairs; k++) {
            uint32_t i = k * step, j = (i + r.m / 2) % r.m;
            const rdoc *a = &c->ring[r.slot[i]], *b = &c->ring[r.slot[j]];
            sum += fdot(a->vec, a->n_vec, b->vec, b->n_vec);
        }
        c->bg = sum / pairs;
    }
    c->join_eff = c->p.join + c->p.background * c->bg;
    uint32_t m = r.m;
    r.pkey = nd_malloc((size_t) (m + 1) * P1 * sizeof *r.pkey);
    r.pw = nd_malloc((size_t) (m + 1) * P1 * sizeof *r.pw);
    r.pn = nd_malloc((m + 1) * sizeof *r.pn);
    r.adj = nd_calloc(m + 1, sizeof *r.adj);
    r.size = nd_malloc((m + 1) * sizeof *r.size);
    r.ver = nd_calloc(m + 1, sizeof *r.ver);
    r.parent = nd_malloc((m + 1) * sizeof *r.parent);
    r.pos = nd_calloc(m + 1, sizeof *r.pos);
    if (!r.pkey || !r.pw || !r.pn || !r.adj || !r.size || !r.ver || !r.parent || !r.pos) goto done;
    for (uint32_t i = 0; i < m; i++) {
        r.pn[i] =
            profile_of(c, &c->ring[r.slot[i]], r.pkey + (size_t) i * P1, r.pw + (size_t) i * P1);
        r.size[i] = 1;
        r.parent[i] = i;
    }
    /* edges: neighbours, and documents whose profiles share an entry */
    {
        nd__imap pairs = {0};
        /* who has node x in their profile: x's own row and the rows naming x */
        uint32_t *cnt = nd_calloc(m + 1, sizeof *cnt), *start = NULL, *list = NULL;
        if (!cnt) {
            nd__imap_free(&pairs);
            goto done;
        }
        for (uint32_t a = 0; a < m; a++)
            for (uint32_t k = 0; k < r.pn[a]; k++) {
                const rdoc *x = NULL;
                uint64_t key = r.pkey[(size_t) a * P1 + k];
                /* profile keys are seqs; map back to nodes through the ring */
                if (k == 0)
                    x = &c->ring[r.slot[a]];
                else
                    for (uint32_t q = 0; q < c->ring[r.slot[a]].n_nb; q++)
                        if (c->ring[r.slot[a]].nb[q].seq == key) {
                            x = &c->ring[c->ring[r.slot[a]].nb[q].slot];
                            break;
                        }
                if (x && x->node != NONE32) cnt[x->node]++;
            }
        start = nd_malloc((m + 2) * sizeof *start);
        uint32_t total = 0;
        if (start) {
            for (uint32_t x = 0; x < m; x++) {
                start[x] = total;
                total += cnt[x];
                cnt[x] = 0;
            }
            start[m] = total;
            list = nd_malloc((total + 1) * sizeof *list);
        }
        if (!start || !list) {
            nd_free(cnt);
            nd_free(start);
            nd_free(list);
            nd__imap_free(&pairs);
            goto done;
        }
        for (uint32_t a = 0; a < m; a++) {
            const rdoc *da = &c->ring[r.slot[a]];
            for (uint32_t k = 0; k < r.pn[a]; k++) {
                uint32_t xn = NONE32;
                uint64_t key = r.pkey[(size_t) a * P1 + k];
                if (k == 0)
                    xn = a;
                else
                    for (uint32_t q = 0; q < da->n_nb; q++)
                        if (da->nb[q].seq == key) {
                            xn = c->ring[da->nb[q].slot].node;
                            break;
                        }
                if (xn != NONE32) list[start[xn] + cnt[xn]++] = a;
            }
        }
        int fail = 0;
        /* pair key: (lo + 1) << 32 | (hi + 1); value: s1 (bits) */
#define PAIR(lo, hi) ((((uint64_t) (lo) + 1) << 32) | ((uint64_t) (hi) + 1))
        for (uint32_t a = 0; a < m && !fail; a++) {
            const rdoc *da = &c->ring[r.slot[a]];
            for (uint32_t q = 0; q < da->n_nb; q++) {
                if (!nbr_valid(c, &da->nb[q])) continue;
                uint32_t b = c->ring[da->nb[q].slot].node;
                if (b == NONE32 || b == a) continue;
                uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
                int64_t v;
                if (nd__imap_get(&pairs, PAIR(lo, hi), &v)) continue;
                if (nd__imap_put(&pairs, PAIR(lo, hi), (int64_t) (1e9 * da->nb[q].s1))) fail = 1;
            }
        }
        for (uint32_t x = 0; x < m && !fail; x++)
            for (uint32_t i = start[x]; i < start[x] + cnt[x] && !fail; i++)
                for (uint32_t j = i + 1; j < start[x] + cnt[x]; j++) {
                    uint32_t a = list[i], b = list[j];
                    if (a == b) continue;
                    uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
                    if (nd__imap_get(&pairs, PAIR(lo, hi), NULL)) continue;
                    const rdoc *da = &c->ring[r.slot[lo]], *db = &c->ring[r.slot[hi]];
                    if (!time_ok(c, da->time, db->time, 0)) continue;
                    if (nd__imap_put(&pairs, PAIR(lo, hi), 0)) {
                        fail = 1;
                        break;
                    }
                }
        nd_free(cnt);
        nd_free(start);
        nd_free(list);
        for (uint32_t i = 0; i < pairs.cap && !fail; i++) {
            if (!pairs.keys[i]) continue;
            uint32_t lo = (uint32_t) (pairs.keys[i] >> 32) - 1;
            uint32_t hi = (uint32_t) pairs.keys[i] - 1;
            double s1 = pairs.vals[i] / 1e9;
            double s2 = profile_dot(r.pkey + (size_t) lo * P1, r.pw + (size_t) lo * P1, r.pn[lo],
                                    r.pkey + (size_t) hi * P1, r.pw + (size_t) hi * P1, r.pn[hi]);
            if (s2 <= 0 && s1 <= 0) continue;
            if (adj_add(&r.adj[lo], hi, s1, s2) || adj_add(&r.adj[hi], lo, s1, s2)) fail = 1;
        }
#undef PAIR
        nd__imap_free(&pairs);
        if (fail) goto done;
    }
    /* average link, best merge first */
    for (uint32_t a = 0; a < m; a++)
        for (uint32_t i = 0; i < r.adj[a].n; i++)
            if (r.adj[a].e[i].to > a && offer(c, &r, a, &r.adj[a].e[i])) goto done;
    while (r.n_heap) {
        hent h = heap_pop(&r);
        if (r.parent[h.a] != h.a || r.parent[h.b] != h.b || r.ver[h.a] != h.va ||
            r.ver[h.b] != h.vb)
            continue;
        /* merge the one with the shorter list into the other */
        uint32_t a = h.a, b = h.b;
        if (r.adj[b].n > r.adj[a].n) {
            uint32_t t = a;
            a = b;
            b = t;
        }
        if (rc_merge(c, &r, a, b)) goto done;
    }
    /* story ids: each cluster keeps the id most of its documents had, when
     * that is not taken by a bigger cluster; a settled story may take more
     * than one cluster when they fit its settled part */
    {
        uint32_t *members = nd_malloc((m + 1) * sizeof *members);
        uint32_t *cstart = nd_calloc(m + 2, sizeof *cstart);
        uint32_t *roots = nd_malloc((m + 1) * sizeof *roots);
        vote *votes = nd_malloc((m + 1) * sizeof *votes);
        int64_t *newid = nd_malloc((m + 1) * sizeof *newid);
        if (!members || !cstart || !roots || !votes || !newid) {
            nd_free(members);
            nd_free(cstart);
            nd_free(roots);
            nd_free(votes);
            nd_free(newid);
            goto done;
        }
        uint32_t nr = 0;
        for (uint32_t i = 0; i < m; i++) {
            uint32_t rt = rc_root(&r, i);
            if (rt == i) roots[nr++] = i;
            cstart[rt + 1]++;
        }
        for (uint32_t i = 0; i < m; i++) cstart[i + 1] += cstart[i];
        {
            uint32_t *fill = r.pos; /* zeroed scratch of m + 1 */
            for (uint32_t i = 0; i < m; i++) {
                uint32_t rt = rc_root(&r, i);
                members[cstart[rt] + fill[rt]++] = i;
            }
            for (uint32_t i = 0; i < m; i++) fill[i] = 0;
        }
        /* biggest clusters choose first (ties: the earliest document) */
        for (uint32_t i = 1; i < nr; i++) {
            uint32_t x = roots[i], j = i;
            while (j > 0 && (r.size[roots[j - 1]] < r.size[x] ||
                             (r.size[roots[j - 1]] == r.size[x] && roots[j - 1] > x))) {
                roots[j] = roots[j - 1];
                j--;
            }
            roots[j] = x;
        }
        for (uint32_t i = 0; i < c->n_slots; i++)
            if (c->slots[i]) {
                c->slots[i]->claimed = 0;
                c->slots[i]->moved_to = 0;
            }
        for (uint32_t ri = 0; ri < nr; ri++) {
            uint32_t rt = roots[ri];
            uint32_t n = cstart[rt + 1] - cstart[rt], nv = 0;
            for (uint32_t k = 0; k < n; k++) {
                int64_t sid = c->ring[r.slot[members[cstart[rt] + k]]].story;
                uint32_t q = 0;
                while (q < nv && votes[q].id != sid) q++;
                if (q == nv) votes[nv++] = (vote){sid, 0};
                votes[q].n++;
            }
            qsort(votes, nv, sizeof *votes, vote_cmp);
            int64_t chosen = 0;
            for (uint32_t q = 0; q < nv && !chosen; q++) {
                story *s = story_get(c, votes[q].id);
                if (!s) continue;
                if (!s->claimed) {
                    chosen = s->id;
                    break;
                }
                if (!s->n_settled) continue;
                /* taken: join it too when the cluster fits the settled part */
                double dot = 0;
                for (uint32_t k = 0; k < n; k++) {
                    const rdoc *d = &c->ring[r.slot[members[cstart[rt] + k]]];
                    dot += centroid_dot(s, d->vec, d->n_vec);
                }
                if (dot / ((double) n * s->n_settled) >= c->p.join_old) chosen = s->id;
            }
            if (!chosen) {
                story *s = story_new(c, c->next_id);
                if (!s) {
                    nd_free(members);
                    nd_free(cstart);
                    nd_free(roots);
                    nd_free(votes);
                    nd_free(newid);
                    goto done;
                }
                c->st.stories_created++;
                chosen = s->id;
            }
            story_get(c, chosen)->claimed = 1;
            for (uint32_t k = 0; k < n; k++) newid[members[cstart[rt] + k]] = chosen;
        }
        /* apply: originals, then the duplicates that follow them */
        for (uint32_t i = 0; i < m; i++) {
            rdoc *d = &c->ring[r.slot[i]];
            if (d->story == newid[i]) continue;
            int64_t old = d->story;
            story *so = story_get(c, old), *sn = story_get(c, newid[i]);
            push_change(c, ND_CLUSTER_MOVE, d->id, old, newid[i]);
            c->st.moves++;
            d->story = newid[i];
            if (so && !so->moved_to) so->moved_to = newid[i];
            if (d->indexed) nd__dup_index_set_tag(c->dups, d->dup_handle, newid[i]);
            if (so) {
                so->n_recent--;
                so->ring_refs--;
                so->n_docs--;
            }
            sn->n_recent++;
            sn->ring_refs++;
            sn->n_docs++;
            span_add(&sn->t_first, &sn->t_last, d->time);
            if (d->seq > sn->seq_last) sn->seq_last = d->seq;
            for (uint32_t q = 0; q < c->ring_n; q++) {
                rdoc *x = &c->ring[ring_slot(c, q)];
                if (x->vec || x->dup_of != d->id || x->story != old) continue;
                push_change(c, ND_CLUSTER_MOVE, x->id, old, newid[i]);
                x->story = newid[i];
                if (so) {
                    so->ring_refs--;
                    so->n_docs--;
                }
                sn->ring_refs++;
                sn->n_docs++;
            }
        }
        /* a settled story whose recent documents all went to another story
         * that fits its settled part merges into it; stories left empty
         * disappear */
        for (uint32_t i = 0; i < c->n_slots; i++) {
            story *s = c->slots[i];
            if (!s || s->ring_refs) continue;
            if (s->n_settled && s->moved_to) {
                story *t = story_get(c, s->moved_to);
                if (t && t != s && settled_fit(c, s, t) >= c->p.join_old) merge_settled(c, t, s);
            } else if (!s->n_settled) {
                story_drop(c, s);
            }
        }
        nd_free(members);
        nd_free(cstart);
        nd_free(roots);
        nd_free(votes);
        nd_free(newid);
    }
    rc_ = 0;
done:
    rc_free(&r);
    if (rc_) c->oom = 1;
    return rc_;
}

/* ---- provisional assignment
 * ----------------------------------------------------------------------- */

/* The story a new recent document (at slot) joins now: the best by average
 * shared-neighbour similarity among its neighbours' stories that pass both
 * thresholds, else the best settled story by average similarity, else
 * none (0). */
static int64_t provisional(nd_cluster *c, uint32_t slot, double *sim)
{
    rdoc *d = &c->ring[slot];
    uint64_t ka[NN_MAX + 1], kb[NN_MAX + 1];
    float wa[NN_MAX + 1], wb[NN_MAX + 1];
    uint32_t na = profile_of(c, d, ka, wa);
    c->mark++;
    uint64_t mark = c->mark;
    story *list[NN_MAX];
    uint32_t nl = 0;
    for (uint32_t i = 0; i < d->n_nb; i++) {
        if (!nbr_valid(c, &d->nb[i])) continue;
        const rdoc *o = &c->ring[d->nb[i].slot];
        story *s = story_get(c, o->story);
        if (!s || !s->n_recent) continue;
        if (s->mark != mark) {
            s->mark = mark;
            s->sum1 = s->sum2 = 0;
            list[nl++] = s;
        }
        uint32_t nbn = profile_of(c, o, kb, wb);
        s->sum1 += d->nb[i].s1;
        s->sum2 += profile_dot(ka, wa, na, kb, wb, nbn);
    }
    story *best = NULL;
    double bs = -1;
    for (uint32_t i = 0; i < nl; i++) {
        story *s = list[i];
        double a1 = s->sum1 / s->n_recent, a2 = s->sum2 / s->n_recent;
        if (a1 < c->join_eff || a2 < c->p.shared) continue;
        if (a2 > bs || (a2 == bs && s->id < best->id)) {
            bs = a2;
            best = s;
        }
    }
    if (best) {
        *sim = best->sum1 / best->n_recent;
        return best->id;
    }
    /* settled parts */
    uint32_t k = story_candidates(c, d->vec, d->n_vec);
    for (uint32_t i = 0; i < k; i++) {
        story *s = c->cand[i];
        double a1 = centroid_dot(s, d->vec, d->n_vec) / s->n_settled;
        if (a1 < c->p.join_old) continue;
        if (span_gap(s->st_first, s->st_last, d->time) > (uint64_t) c->p.window_seconds &&
            (c->p.revive <= 0 || a1 < c->p.revive))
            continue;
        if (a1 > bs || (a1 == bs && s->id < best->id)) {
            bs = a1;
            best = s;
        }
    }
    *sim = best ? bs : 0;
    return best ? best->id : 0;
}

/* ---- eviction and the clock
 * ------------------------------------------------------------------------ */

static void watermark_push(nd_cluster *c, int64_t t)
{
    if (t == ND_TIME_NONE) return;
    uint64_t i = c->wm_count++;
    while (c->wm_n && c->wm_t[(c->wm_head + c->wm_n - 1) % WM_SPAN] >= t) c->wm_n--;
    if (c->wm_n && c->wm_i[c->wm_head] + WM_SPAN <= i) {
        c->wm_head = (c->wm_head + 1) % WM_SPAN;
        c->wm_n--;
    }
    uint32_t at = (c->wm_head + c->wm_n) % WM_SPAN;
    c->wm_t[at] = t;
    c->wm_i[at] = i;
    c->wm_n++;
}

static int64_t watermark(const nd_cluster *c)
{
    return c->wm_n ? c->wm_t[c->wm_head] : ND_TIME_NONE;
}

static void evict_some(nd_cluster *c, int budget)
{
    int64_t wm = watermark(c);
    for (int k = 0; k < budget && c->n_slots; k++) {
        if (c->evict_cursor >= c->n_slots) c->evict_cursor = 0;
        story *s = c->slots[c->evict_cursor++];
        if (!s || s->ring_refs) continue;
        int old = c->seq - s->seq_last > c->p.window_docs;
        if (!old && wm != ND_TIME_NONE && s->t_last != ND_TIME_NONE && s->t_last < wm &&
            tdist(wm, s->t_last) > (uint64_t) c->p.keep_seconds)
            old = 1;
        if (old) story_drop(c, s);
    }
}

static void tick(nd_cluster *c)
{
    c->st.docs++;
    pgen_tick(c, c->sp, c->p.window_docs);
    pgen_tick(c, c->dp, c->ring_cap);
    if (++c->fwd_docs >= c->p.window_docs) {
        nd__imap_free(&c->fwd[1]);
        c->fwd[1] = c->fwd[0];
        memset(&c->fwd[0], 0, sizeof c->fwd[0]);
        c->fwd_docs = 0;
    }
    evict_some(c, 4);
}

/* ---- public
 * ---------------------------------------------------------------------------------------- */

nd_cluster *nd_cluster_new(const nd_cluster_params *p, nd_error *err)
{
    nd_cluster *c = nd_calloc(1, sizeof *c);
    if (!c) {
        nd_error_set(err, ND_ENOMEM, (size_t) -1, "cluster: out of memory");
        return NULL;
    }
    if (p)
        c->p = *p;
    else
        nd_cluster_params_default(&c->p);
    sanitize(&c->p);
    c->params_hash = nd__cluster_params_hash(&c->p);
    if (nd__fx_init(&c->fx, &c->p)) {
        nd_error_set(err, ND_ENOMEM, (size_t) -1,
                     "cluster: cannot create the Snowball 'english' stemmer");
        nd_free(c);
        return NULL;
    }
    c->df_mask = (1u << c->p.df_bits) - 1;
    prior_init(c);
    c->df = nd_calloc((size_t) c->df_mask + 1, sizeof *c->df);
    c->ring_cap = c->p.recent;
    c->ring = nd_calloc(c->ring_cap, sizeof *c->ring);
    c->dacc = nd_calloc(c->ring_cap, sizeof *c->dacc);
    c->dmark = nd_calloc(c->ring_cap, sizeof *c->dmark);
    c->dcand = nd_calloc(c->ring_cap, sizeof *c->dcand);
    c->dups = nd_dup_index_new(c->p.window_docs);
    c->join_eff = c->p.join;
    c->sp[0].P = c->sp[1].P = SPOST_P;
    c->sp[0].track = c->sp[1].track = 1;
    c->dp[0].P = c->dp[1].P = DPOST_P;
    c->next_id = 1;
    if (!c->df || !c->ring || !c->dacc || !c->dmark || !c->dcand || !c->dups) {
        nd_cluster_free(c);
        nd_error_set(err, ND_ENOMEM, (size_t) -1, "cluster: out of memory");
        return NULL;
    }
    return c;
}

void nd_cluster_free(nd_cluster *c)
{
    if (!c) return;
    nd__fx_free(&c->fx);
    nd_free(c->df);
    for (uint32_t i = 0; i < c->n_slots; i++)
        if (c->slots[i]) {
            nd__fmap_free(&c->slots[i]->c);
            nd_free(c->slots[i]);
        }
    nd_free(c->slots);
    nd_free(c->stamps);
    nd_free(c->free_slots);
    nd__imap_free(&c->by_id);
    nd__imap_free(&c->fwd[0]);
    nd__imap_free(&c->fwd[1]);
    for (int g = 0; g < 2; g++) {
        pgen_free(&c->sp[g]);
        pgen_free(&c->dp[g]);
    }
    if (c->ring)
        for (uint32_t i = 0; i < c->ring_cap; i++) {
            nd_free(c->ring[i].raw);
            nd_free(c->ring[i].vec);
        }
    nd_free(c->ring);
    nd_free(c->dacc);
    nd_free(c->dmark);
    nd_free(c->dcand);
    nd_dup_index_free(c->dups);
    nd_free(c->vbuf);
    nd_free(c->wtmp);
    nd_free(c->cand);
    nd_free(c->changes);
    persist_free(c->ps);
    nd_free(c);
}

void nd_cluster_reserve_ids(nd_cluster *c, int64_t next)
{
    if (next > c->next_id) c->next_id = next;
}

static void result_init(nd_cluster *c, nd_cluster_result *out)
{
    c->n_changes = 0;
    c->oom = 0;
    memset(out, 0, sizeof *out);
}

static void result_finish(nd_cluster *c, nd_cluster_result *out)
{
    if (out->story) out->story = resolve_id(c, out->story);
    out->changes = c->changes;
    out->n_changes = c->n_changes;
}

/* Features and sketch of a document (computed here, or copied from pre:
 * nd_cluster_add_prepared); *raw is the caller's. */
static int prepare(nd_cluster *c, const nd_cluster_doc *doc, const nd__prep *pre, nd__feat **raw,
                   uint32_t *n_raw, nd_dup_sketch *sk)
{
    if (!doc || doc->id == 0) return ND_EINVAL;
    if (ring_find(c, doc->id)) return ND_EINVAL;
    if (pre) {
        *n_raw = pre->n_raw;
        *sk = pre->sk;
        *raw = feat_dup(pre->raw, pre->n_raw);
        return *raw ? 0 : ND_ENOMEM;
    }
    nd__feat *f;
    if (nd__fx_doc(&c->fx, doc->title, doc->title_len, doc->text, doc->text_len, doc->published, &f,
                   n_raw, sk))
        return ND_ENOMEM;
    *raw = feat_dup(f, *n_raw);
    return *raw ? 0 : ND_ENOMEM;
}

/* Put a document in the window as a member of story sid (created when
 * missing).  Takes ownership of raw and vec (vec NULL: a duplicate). */
static int place(nd_cluster *c, const nd_cluster_doc *doc, nd__feat *raw, uint32_t n_raw,
                 nd__feat *vec, uint32_t n_vec, int64_t sid, int64_t dup_of, uint32_t *slot_out)
{
    uint32_t slot = ring_take(c);
    rdoc *d = &c->ring[slot];
    d->seq = c->seq;
    d->id = doc->id;
    d->dup_of = dup_of;
    d->time = doc->published;
    d->raw = raw;
    d->n_raw = n_raw;
    d->vec = vec;
    d->n_vec = n_vec;
    d->vfp = vec_fp(vec, n_vec);
    d->story = sid;
    *slot_out = slot;
    return 0;
}

static story *join(nd_cluster *c, rdoc *d, int64_t sid)
{
    story *s = sid ? story_get(c, sid) : NULL;
    if (!s) {
        s = story_new(c, sid ? sid : c->next_id);
        if (!s) return NULL;
        if (!sid) c->st.stories_created++;
    }
    d->story = s->id;
    s->ring_refs++;
    s->n_docs++;
    if (d->vec) s->n_recent++;
    span_add(&s->t_first, &s->t_last, d->time);
    s->seq_last = c->seq;
    return s;
}

/* The common body of add and restore.  force_story 0: decide. */
static int add_doc(nd_cluster *c, const nd_cluster_doc *doc, const nd__prep *pre,
                   int64_t force_story, int64_t force_dup, nd_cluster_result *out)
{
    nd__feat *raw;
    uint32_t n_raw;
    nd_dup_sketch sk;
    int rc = prepare(c, doc, pre, &raw, &n_raw, &sk);
    if (rc) return rc;
    c->seq++;
    watermark_push(c, doc->published);

    int64_t orig = 0, tag = 0;
    double jac = 0;
    int kind = ND_DUP_NONE;
    if (force_story) {
        if (force_dup) {
            kind = ND_DUP_EXACT;
            orig = force_dup;
        }
    } else if (sk.n_words) {
        /* documents without words are never duplicates (of each other) */
        kind = nd__dup_index_find(c->dups, &sk, c->p.dup_jaccard > 0 ? c->p.dup_jaccard : 2.0,
                                  &orig, &jac, &tag);
        if (orig == doc->id) kind = ND_DUP_NONE;
    }
    uint32_t slot;
    if (kind != ND_DUP_NONE) {
        int64_t sid = force_story;
        if (!sid) {
            rdoc *o = ring_find(c, orig);
            sid = o ? o->story : resolve_id(c, tag);
        }
        place(c, doc, raw, n_raw, NULL, 0, sid, orig, &slot);
        if (!join(c, &c->ring[slot], sid)) {
            settle(c, &c->ring[slot]);
            c->ring[slot].seq = 0;
            return ND_ENOMEM;
        }
        if (out) {
            out->story = c->ring[slot].story;
            out->dup = kind;
            out->dup_of = orig;
            out->similarity = jac;
        }
        if (!force_story) {
            if (kind == ND_DUP_EXACT)
                c->st.dups_exact++;
            else
                c->st.dups_near++;
        }
        tick(c);
        return 0;
    }
    df_add(c, raw, n_raw);
    long n = vectorize(c, raw, n_raw);
    nd__feat *v = n >= 0 ? feat_dup(c->vbuf, (uint32_t) n) : NULL;
    if (!v) {
        nd_free(raw);
        return ND_ENOMEM;
    }
    place(c, doc, raw, n_raw, v, (uint32_t) n, 0, 0, &slot);
    rdoc *d = &c->ring[slot];
    link_doc(c, slot);
    doc_post(c, slot);
    double sim = 0;
    int64_t sid = force_story ? force_story : provisional(c, slot, &sim);
    story *s = join(c, d, sid);
    if (!s) {
        settle(c, d);
        return ND_ENOMEM;
    }
    if (nd__dup_index_add(c->dups, d->id, &sk, s->id, &d->dup_handle) == 0) d->indexed = 1;
    if (out) {
        out->story = s->id;
        out->new_story = sid == 0;
        out->similarity = sim;
    }
    c->since_sweep++;
    tick(c);
    return 0;
}

/* nd_cluster_add() and nd_cluster_add_prepared(). */
static int add(nd_cluster *c, const nd_cluster_doc *doc, const nd__prep *pre,
               nd_cluster_result *out)
{
    nd_cluster_result dummy;
    if (!out) out = &dummy;
    result_init(c, out);
    if (!doc || doc->id == 0) return ND_EINVAL;
    if (pre && pre->params != c->params_hash) return ND_EINVAL;
    /* Re-examination runs before the document, so that the changes never
     * name it. */
    if (c->since_sweep >= c->p.sweep_every) {
        /* with today's statistics each time the stream has grown by half:
         * often while they are young, rarely once they are settled */
        int refresh = c->st.docs >= c->refresh_at;
        if (refresh) c->refresh_at = c->st.docs + c->st.docs / 2 + 1;
        recluster(c, refresh);
    }
    int rc = add_doc(c, doc, pre, 0, 0, out);
    result_finish(c, out);
    if (!rc && c->oom) rc = ND_ENOMEM;
    return rc;
}

int nd_cluster_add(nd_cluster *c, const nd_cluster_doc *doc, nd_cluster_result *out)
{
    return add(c, doc, NULL, out);
}

int nd_cluster_add_prepared(nd_cluster *c, const nd_cluster_doc *doc, const nd_cluster_prep *prep,
                            nd_cluster_result *out)
{
    if (!prep) return ND_EINVAL;
    return add(c, doc, &prep->p, out);
}

void nd_cluster_set_threads(nd_cluster *c, int n)
{
    c->threads = n > 1 ? n : 1;
}

int nd_cluster_flush(nd_cluster *c, nd_cluster_result *out)
{
    nd_cluster_result dummy;
    if (!out) out = &dummy;
    result_init(c, out);
    recluster(c, 1);
    result_finish(c, out);
    return c->oom ? ND_ENOMEM : 0;
}

int nd_cluster_restore(nd_cluster *c, const nd_cluster_doc *doc, int64_t story_id, int64_t dup_of)
{
    if (story_id <= 0) return ND_EINVAL;
    c->n_changes = 0;
    c->oom = 0;
    if (story_id >= c->next_id) c->next_id = story_id + 1;
    int rc = add_doc(c, doc, NULL, story_id, dup_of, NULL);
    return rc ? rc : c->oom ? ND_ENOMEM : 0;
}

int64_t nd__cluster_nearest(nd_cluster *c, int64_t id)
{
    rdoc *d = ring_find(c, id);
    if (!d) return 0;
    for (uint32_t i = 0; i < d->n_nb; i++)
        if (nbr_valid(c, &d->nb[i])) return c->ring[d->nb[i].slot].id;
    return 0;
}

void nd_cluster_get_stats(const nd_cluster *c, nd_cluster_stats *s)
{
    *s = c->st;
    s->recent = c->ring_n;
    size_t b = sizeof *c + ((size_t) c->df_mask + 1) * sizeof *c->df + nd__fx_bytes(&c->fx);
    b += (size_t) c->cap_slots * (sizeof(story *) + 2 * sizeof(uint32_t));
    for (uint32_t i = 0; i < c->n_slots; i++)
        if (c->slots[i]) b += sizeof(story) + nd__fmap_bytes(&c->slots[i]->c);
    b += nd__imap_bytes(&c->by_id) + nd__imap_bytes(&c->fwd[0]) + nd__imap_bytes(&c->fwd[1]);
    for (int g = 0; g < 2; g++) {
        b += (size_t) c->sp[g].cap * (sizeof(uint64_t) + 2 * c->sp[g].P * sizeof(uint32_t));
        b += (size_t) c->dp[g].cap * (sizeof(uint64_t) + 2 * c->dp[g].P * sizeof(uint32_t));
    }
    b +=
        (size_t) c->ring_cap * (sizeof(rdoc) + sizeof(float) + sizeof(uint64_t) + sizeof(uint32_t));
    for (uint32_t i = 0; i < c->ring_cap; i++)
        b += (size_t) (c->ring[i].n_raw + c->ring[i].n_vec) * sizeof(nd__feat);
    b += nd__dup_index_bytes(c->dups);
    b += (size_t) c->vbuf_cap * sizeof(nd__feat) + c->wtmp_cap * sizeof(float) +
         c->cand_cap * sizeof(story *) + c->cap_changes * sizeof(nd_cluster_change);
    s->bytes = b;
}

/* ---- saved state
 * ------------------------------------------------------------------------------------ */

/* Little-endian, versioned; floats as their IEEE bits.  Every count is
 * checked against the bytes left and every index against its array on
 * import, so a corrupt or truncated state gives ND_EFORMAT, never a crash. */

static void put_f32(nd_buf *b, float f)
{
    uint32_t w;
    memcpy(&w, &f, sizeof w);
    nd__put_u32(b, w);
}

static int get_f32(const unsigned char **p, const unsigned char *e, float *f)
{
    uint32_t w;
    if (nd__get_u32(p, e, &w)) return ND_EFORMAT;
    memcpy(f, &w, sizeof w);
    return isfinite(*f) ? 0 : ND_EFORMAT;
}

static int get_i64(const unsigned char **p, const unsigned char *e, int64_t *v)
{
    uint64_t u;
    if (nd__get_u64(p, e, &u)) return ND_EFORMAT;
    *v = (int64_t) u;
    return 0;
}

static void put_params(nd_buf *b, const nd_cluster_params *p)
{
    const double d[] = {p->join,        p->background, p->shared,  p->join_old,   p->revive,
                        p->dup_jaccard, p->w_word,     p->w_title, p->w_entity,   p->w_phrase,
                        p->w_number,    p->w_year,     p->w_date,  p->lead_boost, p->prior_docs,
                        p->clash,       p->burst};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) nd__put_f64(b, d[i]);
    const uint32_t u[] = {p->neighbours,   p->profile,    p->window_docs,  p->recent,
                          p->sweep_every,  p->df_bits,    p->df_half_life, p->max_features,
                          p->max_centroid, p->candidates, p->lead_words};
    for (size_t i = 0; i < sizeof u / sizeof *u; i++) nd__put_u32(b, u[i]);
    nd__put_u64(b, (uint64_t) p->window_seconds);
    nd__put_u64(b, (uint64_t) p->keep_seconds);
    nd__put_u64(b, (uint64_t) p->burst_seconds);
}

static int get_params(const unsigned char **p, const unsigned char *e, nd_cluster_params *q)
{
    double *d[] = {&q->join,        &q->background, &q->shared,  &q->join_old,   &q->revive,
                   &q->dup_jaccard, &q->w_word,     &q->w_title, &q->w_entity,   &q->w_phrase,
                   &q->w_number,    &q->w_year,     &q->w_date,  &q->lead_boost, &q->prior_docs,
                   &q->clash,       &q->burst};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++)
        if (nd__get_f64(p, e, d[i]) || !isfinite(*d[i])) return ND_EFORMAT;
    uint32_t df_bits;
    uint32_t *u[] = {&q->neighbours,   &q->profile,    &q->window_docs,  &q->recent,
                     &q->sweep_every,  &df_bits,       &q->df_half_life, &q->max_features,
                     &q->max_centroid, &q->candidates, &q->lead_words};
    for (size_t i = 0; i < sizeof u / sizeof *u; i++)
        if (nd__get_u32(p, e, u[i])) return ND_EFORMAT;
    q->df_bits = df_bits;
    if (get_i64(p, e, &q->window_seconds) || get_i64(p, e, &q->keep_seconds) ||
        get_i64(p, e, &q->burst_seconds))
        return ND_EFORMAT;
    return 0;
}

static void put_feats(nd_buf *b, const nd__feat *f, uint32_t n)
{
    nd__put_u32(b, n);
    for (uint32_t i = 0; i < n; i++) {
        nd__put_u64(b, f[i].h);
        put_f32(b, f[i].w);
    }
}

static int get_feats(const unsigned char **p, const unsigned char *e, nd__feat **f, uint32_t *n)
{
    if (nd__get_u32(p, e, n) || (size_t) (e - *p) / 12 < *n) return ND_EFORMAT;
    *f = nd_malloc((size_t) (*n ? *n : 1) * sizeof **f);
    if (!*f) return ND_ENOMEM;
    /* (the bounds are checked above, for all of them) */
    const unsigned char *s = *p;
    for (uint32_t i = 0; i < *n; i++, s += 12) {
        uint32_t w = nd__rd32(s + 8);
        (*f)[i].pq = 0; /* the prior is looked up again when needed */
        (*f)[i].h = nd__rd64(s);
        memcpy(&(*f)[i].w, &w, sizeof w);
        if (!isfinite((*f)[i].w)) return ND_EFORMAT;
    }
    *p = s;
    return 0;
}

/* n story slots, all free, for a state being read. */
static int alloc_slots(nd_cluster *c, uint32_t n)
{
    c->cap_slots = n ? n : 1;
    c->slots = nd_calloc(c->cap_slots, sizeof *c->slots);
    c->stamps = nd_calloc(c->cap_slots, sizeof *c->stamps);
    c->free_slots = nd_calloc(c->cap_slots, sizeof *c->free_slots);
    if (!c->slots || !c->stamps || !c->free_slots) return ND_ENOMEM;
    c->n_slots = n;
    return 0;
}

/* The clock and the counters (after the statistics). */
static void put_clock(nd_buf *b, const nd_cluster *c)
{
    nd__put_u64(b, c->seq);
    nd__put_u64(b, (uint64_t) c->next_id);
    nd__put_u64(b, c->fwd_docs);
    nd__put_u32(b, c->evict_cursor);
    nd__put_u64(b, c->since_sweep);
    nd__put_u64(b, c->refresh_at);
    nd__put_f64(b, c->bg);
    nd__put_u64(b, c->wm_count);
    nd__put_u32(b, c->wm_n);
    for (uint32_t i = 0; i < c->wm_n; i++) {
        uint32_t at = (c->wm_head + i) % WM_SPAN;
        nd__put_u64(b, (uint64_t) c->wm_t[at]);
        nd__put_u64(b, c->wm_i[at]);
    }
    const uint64_t st[] = {c->st.docs,  c->st.dups_exact, c->st.dups_near, c->st.stories_created,
                           c->st.moves, c->st.merges,     c->st.reclusters};
    for (size_t i = 0; i < sizeof st / sizeof *st; i++) nd__put_u64(b, st[i]);
}

static int get_clock(nd_cluster *c, const unsigned char **p, const unsigned char *e)
{
    if (nd__get_u64(p, e, &c->seq) || get_i64(p, e, &c->next_id) ||
        nd__get_u64(p, e, &c->fwd_docs) || nd__get_u32(p, e, &c->evict_cursor) ||
        nd__get_u64(p, e, &c->since_sweep) || nd__get_u64(p, e, &c->refresh_at) ||
        nd__get_f64(p, e, &c->bg) || !isfinite(c->bg) || nd__get_u64(p, e, &c->wm_count) ||
        nd__get_u32(p, e, &c->wm_n) || c->wm_n > WM_SPAN)
        return ND_EFORMAT;
    c->join_eff = c->p.join + c->p.background * c->bg;
    for (uint32_t i = 0; i < c->wm_n; i++)
        if (get_i64(p, e, &c->wm_t[i]) || nd__get_u64(p, e, &c->wm_i[i])) return ND_EFORMAT;
    uint64_t *st[] = {&c->st.docs,  &c->st.dups_exact, &c->st.dups_near, &c->st.stories_created,
                      &c->st.moves, &c->st.merges,     &c->st.reclusters};
    for (size_t i = 0; i < sizeof st / sizeof *st; i++)
        if (nd__get_u64(p, e, st[i])) return ND_EFORMAT;
    return 0;
}

/* A story's record (after its slot): its counters, then its centroid. */
static void put_story_head(nd_buf *b, const story *s)
{
    nd__put_u64(b, (uint64_t) s->id);
    nd__put_u32(b, s->n_settled);
    nd__put_u32(b, s->n_recent);
    nd__put_u32(b, s->ring_refs);
    nd__put_u32(b, s->n_docs);
    const int64_t t[] = {s->st_first, s->st_last, s->t_first, s->t_last};
    for (int k = 0; k < 4; k++) nd__put_u64(b, (uint64_t) t[k]);
    nd__put_u64(b, s->seq_last);
}

static void put_story(nd_buf *b, const story *s)
{
    put_story_head(b, s);
    nd__fmap_export(b, &s->c);
}

/* The story of slot `slot` from its record (centroid: also its centroid,
 * else it is loaded later); the slot must be free. */
static int get_story_head(nd_cluster *c, const unsigned char **p, const unsigned char *e,
                          uint32_t slot, int centroid)
{
    if (slot >= c->n_slots || c->slots[slot]) return ND_EFORMAT;
    story *s = nd_calloc(1, sizeof *s);
    if (!s) return ND_ENOMEM;
    c->slots[slot] = s;
    s->slot = slot;
    if (get_i64(p, e, &s->id) || s->id <= 0 || nd__get_u32(p, e, &s->n_settled) ||
        nd__get_u32(p, e, &s->n_recent) || nd__get_u32(p, e, &s->ring_refs) ||
        nd__get_u32(p, e, &s->n_docs) || get_i64(p, e, &s->st_first) ||
        get_i64(p, e, &s->st_last) || get_i64(p, e, &s->t_first) || get_i64(p, e, &s->t_last) ||
        nd__get_u64(p, e, &s->seq_last))
        return ND_EFORMAT;
    if (centroid) {
        int rc = nd__fmap_import(p, e, &s->c);
        if (rc) return rc;
        recompute_norm(s);
    }
    int64_t dummy;
    if (nd__imap_get(&c->by_id, (uint64_t) s->id, &dummy)) return ND_EFORMAT; /* an id twice */
    if (nd__imap_put(&c->by_id, (uint64_t) s->id, slot)) return ND_ENOMEM;
    c->st.stories_active++;
    return 0;
}

/* A recent document's record (after its seq): its head, its raw
 * features, then what changes while it is recent (vector, neighbours). */
static void put_rdoc_head(nd_buf *b, const rdoc *d)
{
    const int64_t v[] = {d->id, d->story, d->dup_of, d->time};
    for (int k = 0; k < 4; k++) nd__put_u64(b, (uint64_t) v[k]);
    nd__put_u64(b, d->dup_handle);
    nd__put_u32(b, (uint32_t) d->indexed);
}

static void put_rdoc_nbs(nd_buf *b, const rdoc *d)
{
    nd__put_u32(b, d->n_nb);
    for (uint32_t k = 0; k < d->n_nb; k++) {
        nd__put_u64(b, d->nb[k].seq);
        nd__put_u32(b, d->nb[k].slot);
        put_f32(b, d->nb[k].s1);
    }
}

/* Unsigned LEB128 (7 bits a byte, low first) of zigzagged v. */
static void put_zz(nd_buf *b, int64_t v)
{
    uint64_t u = ((uint64_t) v << 1) ^ (uint64_t) (v >> 63);
    while (u >= 0x80) {
        nd_buf_putc(b, (char) ((u & 0x7f) | 0x80));
        u >>= 7;
    }
    nd_buf_putc(b, (char) u);
}

static int get_zz(const unsigned char **p, const unsigned char *e, int64_t *v)
{
    uint64_t u = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*p >= e) return ND_EFORMAT;
        unsigned char x = *(*p)++;
        u |= (uint64_t) (x & 0x7f) << shift;
        if (!(x & 0x80)) {
            *v = (int64_t) (u >> 1) ^ -(int64_t) (u & 1);
            return 0;
        }
    }
    return ND_EFORMAT;
}

/* Where the document of seq nseq is when that of seq seq is at slot (every
 * document added takes the next slot): a neighbour's slot, most often. */
static uint32_t nb_slot_guess(uint64_t seq, uint32_t slot, uint64_t nseq, uint32_t cap)
{
    int64_t back = (int64_t) (seq - nseq) % (int64_t) cap, at = (int64_t) slot - back;
    if (at < 0) at += cap;
    if (at >= (int64_t) cap) at -= cap;
    return (uint32_t) at;
}

/* The neighbours of the document at ring slot `slot` as ND__IT_RECENTC
 * holds them: u8 n, then for each the distance back to its seq and from
 * the slot that distance gives to its slot (zigzag LEB128, a byte or two
 * each) and its f32 similarity: ~7 bytes a neighbour of 16. */
static void put_rdoc_nbs_c(nd_buf *b, const rdoc *d, uint32_t slot, uint32_t cap)
{
    nd_buf_putc(b, (char) d->n_nb);
    for (uint32_t k = 0; k < d->n_nb; k++) {
        put_zz(b, (int64_t) (d->seq - d->nb[k].seq));
        put_zz(b, (int64_t) d->nb[k].slot - nb_slot_guess(d->seq, slot, d->nb[k].seq, cap));
        put_f32(b, d->nb[k].s1);
    }
}

static int get_rdoc_nbs_c(const unsigned char **p, const unsigned char *e, rdoc *d, uint32_t slot,
                          uint32_t cap)
{
    if (*p >= e || **p > NN_MAX) return ND_EFORMAT;
    d->n_nb = *(*p)++;
    for (uint32_t k = 0; k < d->n_nb; k++) {
        int64_t back, off;
        if (get_zz(p, e, &back) || get_zz(p, e, &off)) return ND_EFORMAT;
        d->nb[k].seq = d->seq - (uint64_t) back;
        int64_t at = (int64_t) nb_slot_guess(d->seq, slot, d->nb[k].seq, cap) + off;
        if (at < 0 || at >= (int64_t) cap || get_f32(p, e, &d->nb[k].s1)) return ND_EFORMAT;
        d->nb[k].slot = (uint32_t) at;
    }
    return 0;
}

static void put_rdoc_tail(nd_buf *b, const rdoc *d)
{
    nd__put_u32(b, d->vec != NULL);
    if (d->vec) put_feats(b, d->vec, d->n_vec);
    put_rdoc_nbs(b, d);
}

static void put_rdoc(nd_buf *b, const rdoc *d)
{
    put_rdoc_head(b, d);
    put_feats(b, d->raw, d->n_raw);
    put_rdoc_tail(b, d);
}

static int get_rdoc_head(const unsigned char **p, const unsigned char *e, rdoc *d)
{
    uint32_t u32;
    if (get_i64(p, e, &d->id) || get_i64(p, e, &d->story) || get_i64(p, e, &d->dup_of) ||
        get_i64(p, e, &d->time) || nd__get_u64(p, e, &d->dup_handle) || nd__get_u32(p, e, &u32))
        return ND_EFORMAT;
    d->indexed = u32 != 0;
    return 0;
}

/* The rest of a recent document; its story must be loaded.  version:
 * that of the items when from an ND__IT_RECENT item (its vector in an
 * item of its own: ND__IT_VEC, or since version 3 ND__IT_VECR), else 0;
 * compact: from an ND__IT_RECENTC item (its neighbours compact). */
static int get_rdoc_tail(nd_cluster *c, const unsigned char **p, const unsigned char *e, rdoc *d,
                         uint32_t version, int compact)
{
    uint32_t u32;
    int rc;
    if (nd__get_u32(p, e, &u32) ||
        (version ? u32 != 0 && u32 != VEC_IN_ITEM && (u32 != VEC_IN_RAW || version < 3) : u32 > 1))
        return ND_EFORMAT;
    if (version && u32) {
        /* read from its item when needed, or from the stream (kinds
         * ND__IT_VEC and ND__IT_VECR come after) */
        if (nd__get_u32(p, e, &d->n_vec) || nd__get_u64(p, e, &d->vfp)) return ND_EFORMAT;
        d->vec_lazy = d->vat = (int) u32;
    } else if (u32 && c->fetch.fn) {
        /* The vector, when the document is compared with a new one or
         * settles (lazy_vec: its item again): most of a small run's are
         * not. */
        if (nd__get_u32(p, e, &d->n_vec) || (size_t) (e - *p) / 12 < d->n_vec) return ND_EFORMAT;
        *p += (size_t) d->n_vec * 12;
        d->vec_lazy = VEC_IN_RING;
        /* (a stand-in: the vector is as saved until it is set again) */
        d->vfp = nd__mix64(d->seq ^ (uint64_t) d->n_vec << 40) ^ 0x1a2b;
    } else if (u32) {
        if ((rc = get_feats(p, e, &d->vec, &d->n_vec))) return rc;
        d->vfp = vec_fp(d->vec, d->n_vec);
    }
    if (compact) {
        if (get_rdoc_nbs_c(p, e, d, (uint32_t) (d - c->ring), c->ring_cap)) return ND_EFORMAT;
    } else {
        if (nd__get_u32(p, e, &d->n_nb) || d->n_nb > NN_MAX) return ND_EFORMAT;
        for (uint32_t k = 0; k < d->n_nb; k++)
            if (nd__get_u64(p, e, &d->nb[k].seq) || nd__get_u32(p, e, &d->nb[k].slot) ||
                d->nb[k].slot >= c->ring_cap || get_f32(p, e, &d->nb[k].s1))
                return ND_EFORMAT;
    }
    return story_get(c, d->story) ? 0 : ND_EFORMAT;
}

/* Into an empty ring slot whose seq is set. */
static int get_rdoc(nd_cluster *c, const unsigned char **p, const unsigned char *e, rdoc *d)
{
    int rc = get_rdoc_head(p, e, d);
    if (!rc) rc = get_feats(p, e, &d->raw, &d->n_raw);
    return rc ? rc : get_rdoc_tail(c, p, e, d, 0, 0);
}

static void put_pgen(nd_buf *b, const pgen *g)
{
    nd__put_u64(b, g->docs);
    nd__put_u32(b, g->cap);
    nd__put_u32(b, g->n);
    for (uint32_t i = 0; i < g->cap; i++) {
        if (!g->keys[i]) continue;
        nd__put_u32(b, i);
        nd__put_u64(b, g->keys[i]);
        for (uint32_t k = 0; k < g->P; k++) {
            nd__put_u32(b, g->a[(size_t) i * g->P + k]);
            nd__put_u32(b, g->b[(size_t) i * g->P + k]);
        }
    }
}

/* Into an empty generation: its layout exactly as saved. */
static int get_pgen(const unsigned char **p, const unsigned char *e, pgen *g)
{
    uint32_t cap, n, slot;
    int64_t prev = -1;
    if (nd__get_u64(p, e, &g->docs) || nd__layout_head(p, e, 1024, 8 + 8 * (size_t) g->P, &cap, &n))
        return ND_EFORMAT;
    if (!cap) return 0;
    if (g->cap < cap && pgen_resize(g, cap)) return ND_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t h;
        if (nd__layout_slot(p, e, cap, &prev, &slot) || nd__get_u64(p, e, &h) || !h)
            return ND_EFORMAT;
        g->keys[slot] = h;
        size_t at_p = (size_t) slot * g->P;
        if (nd__get_u32_pairs(p, e, g->a + at_p, g->b + at_p, g->P)) return ND_EFORMAT;
    }
    g->n = n;
    return nd__layout_check(g->keys, g->cap);
}

void nd__cluster_sanitize(nd_cluster_params *p)
{
    sanitize(p);
}

uint64_t nd__cluster_params_hash(const nd_cluster_params *p)
{
    nd_buf b = ND_BUF_INIT;
    put_params(&b, p);
    uint64_t h = nd_buf_failed(&b) ? 0 : nd_hash64(b.ptr, b.len);
    nd_buf_free(&b);
    return h;
}

int nd_cluster_export(const nd_cluster *c, nd_buf *b)
{
    /* What is not loaded yet is part of the state (loading it changes no
     * decision). */
    if (nd_cluster_load_all((nd_cluster *) c)) return ND_ENOMEM;
    nd__put_u64(b, STATE_MAGIC);
    nd__put_u32(b, STATE_VERSION);
    put_params(b, &c->p);
    /* statistics: the non-zero counters (a new engine's export keys the
     * store's saved state: its 4 MB of zeros are not read, so the pages
     * calloc() left untouched stay so) */
    uint32_t nz = 0;
    for (uint32_t i = 0; c->df_written && i <= c->df_mask; i++) nz += c->df[i] != 0;
    nd__put_f64(b, c->df_n);
    nd__put_u64(b, c->df_since);
    nd__put_u32(b, nz);
    /* (up to the last one: an engine without documents, whose export keys
     * the store's saved state, has none) */
    for (uint32_t i = 0, put = 0; put < nz; i++)
        if (c->df[i]) {
            nd__put_u32(b, i);
            nd__put_u32(b, c->df[i]);
            put++;
        }
    put_clock(b, c);
    /* stories, slot by slot (the indexes name slots and stamps) */
    nd__put_u32(b, c->n_slots);
    for (uint32_t i = 0; i < c->n_slots; i++) {
        nd__put_u32(b, c->stamps[i]);
        const story *s = c->slots[i];
        nd__put_u32(b, s != NULL);
        if (s) put_story(b, s);
    }
    nd__put_u32(b, c->n_free);
    for (uint32_t i = 0; i < c->n_free; i++) nd__put_u32(b, c->free_slots[i]);
    nd__imap_export(b, &c->fwd[0]);
    nd__imap_export(b, &c->fwd[1]);
    for (int g = 0; g < 2; g++) put_pgen(b, &c->sp[g]);
    for (int g = 0; g < 2; g++) put_pgen(b, &c->dp[g]);
    /* the recent window, slot by slot */
    nd__put_u32(b, c->ring_n);
    nd__put_u32(b, c->ring_next);
    for (uint32_t i = 0; i < c->ring_cap; i++) {
        /* (an empty window - the new engine whose export keys the saved
         * state - is not read: its 560 KB are calloc's untouched pages) */
        const rdoc *d = c->ring_n ? &c->ring[i] : NULL;
        nd__put_u64(b, d ? d->seq : 0);
        if (d && d->seq) put_rdoc(b, d);
    }
    nd__dup_index_export(c->dups, b);
    return nd_buf_failed(b) ? ND_ENOMEM : 0;
}

static int import_body(nd_cluster *c, const unsigned char **pp, const unsigned char *e)
{
    const unsigned char *p = *pp;
    uint32_t nz;
    uint64_t u64;
    int rc;
#define NEED(x)                                                                                    \
    do {                                                                                           \
        if (x) return ND_EFORMAT;                                                                  \
    } while (0)
    NEED(nd__get_f64(&p, e, &c->df_n) || !isfinite(c->df_n) || nd__get_u64(&p, e, &c->df_since));
    NEED(nd__get_u32(&p, e, &nz) || nz > c->df_mask + 1u);
    for (uint32_t i = 0; i < nz; i++) {
        uint32_t at, v;
        NEED(nd__get_u32(&p, e, &at) || nd__get_u32(&p, e, &v) || at > c->df_mask);
        c->df[at] = v;
        c->df_written = 1;
    }
    NEED(get_clock(c, &p, e));
    uint32_t n_slots;
    NEED(nd__get_u32(&p, e, &n_slots) || n_slots > (uint32_t) ((e - p) / 8));
    if (alloc_slots(c, n_slots)) return ND_ENOMEM;
    for (uint32_t i = 0; i < n_slots; i++) {
        uint32_t live;
        NEED(nd__get_u32(&p, e, &c->stamps[i]) || nd__get_u32(&p, e, &live));
        if (!live) continue;
        if ((rc = get_story_head(c, &p, e, i, 1))) return rc;
    }
    NEED(nd__get_u32(&p, e, &c->n_free) || c->n_free > n_slots);
    for (uint32_t i = 0; i < c->n_free; i++)
        NEED(nd__get_u32(&p, e, &c->free_slots[i]) || c->free_slots[i] >= n_slots ||
             c->slots[c->free_slots[i]]);
    if ((rc = nd__imap_import(&p, e, &c->fwd[0])) || (rc = nd__imap_import(&p, e, &c->fwd[1])))
        return rc;
    for (int g = 0; g < 2; g++)
        if ((rc = get_pgen(&p, e, &c->sp[g]))) return rc;
    for (int g = 0; g < 2; g++)
        if ((rc = get_pgen(&p, e, &c->dp[g]))) return rc;
    NEED(nd__get_u32(&p, e, &c->ring_n) || c->ring_n > c->ring_cap);
    NEED(nd__get_u32(&p, e, &c->ring_next) || c->ring_next >= c->ring_cap);
    uint32_t used = 0;
    for (uint32_t i = 0; i < c->ring_cap; i++) {
        rdoc *d = &c->ring[i];
        NEED(nd__get_u64(&p, e, &d->seq));
        if (!d->seq) continue;
        used++;
        if ((rc = get_rdoc(c, &p, e, d))) return rc;
    }
    NEED(used != c->ring_n);
    nd_dup_index_free(c->dups);
    c->dups = nd__dup_index_import(&p, e);
    NEED(!c->dups || p != e);
    (void) u64;
#undef NEED
    *pp = p;
    return 0;
}

nd_cluster *nd_cluster_import(const void *data, size_t len, nd_error *err)
{
    const unsigned char *p = data, *e = p + len;
    uint64_t magic;
    uint32_t version;
    nd_cluster_params prm;
    if (!data || nd__get_u64(&p, e, &magic) || magic != STATE_MAGIC ||
        nd__get_u32(&p, e, &version) || version != STATE_VERSION) {
        nd_error_set(err, ND_EFORMAT, 0, "cluster state: not a newsdesk cluster state (v%u)",
                     STATE_VERSION);
        return NULL;
    }
    memset(&prm, 0, sizeof prm);
    if (get_params(&p, e, &prm)) {
        nd_error_set(err, ND_EFORMAT, (size_t) -1, "cluster state: corrupt parameters");
        return NULL;
    }
    nd_cluster_params want = prm;
    sanitize(&want);
    if (memcmp(&want, &prm, sizeof want) != 0) {
        nd_error_set(err, ND_EFORMAT, (size_t) -1, "cluster state: parameters out of range");
        return NULL;
    }
    nd_cluster *c = nd_cluster_new(&prm, err);
    if (!c) return NULL;
    int rc = import_body(c, &p, e);
    if (rc) {
        nd_cluster_free(c);
        nd_error_set(err, rc, (size_t) -1, "cluster state: %s",
                     rc == ND_ENOMEM ? "out of memory" : "corrupt or truncated");
        return NULL;
    }
    return c;
}

/* ---- the state in pieces
 * ---------------------------------------------------------------------------- */

/* Items (cluster_int.h): CORE holds the parameters, counters, clock, the
 * story slots' stamps and free list, the forwarding maps and the heads of
 * the inverted indexes and of the ring; then one item per story (by id),
 * per block of DF_BLOCK document frequencies (and the changes since those
 * blocks were written, as delta items), per block of PG_BLOCK slots of an
 * inverted index, per recent document (by ring slot), and the duplicate
 * index's (dup.c).  What the last save wrote is remembered as fingerprints
 * (struct nd__persist), and the index blocks changed since as flags
 * (pgen.dirty, set where a slot is written: fingerprinting every block at
 * each load and save cost more than the rest of the items' bookkeeping),
 * so a save writes what changed: after a small
 * ingest, a few stories, the recent window and a few index blocks. */

#define ITEMS_MAGIC 0x35534c434e44ULL /* "NDCLS5" */
/* items version 1: recent documents as ND__IT_RING items, with their
 * vectors; 2: ND__IT_RECENT, the vectors as ND__IT_VEC items; 3: or as
 * ND__IT_VECR items; 4: the index blocks ND__IT_PGENC items (or older
 * ND__IT_PGENL ones not written since); 5: recent documents ND__IT_RECENTC
 * items (or ND__IT_RECENT ones not written since) */
#define ITEMS_VERSION  5u
#define DF_BLOCK       4096u
#define PG_GENS        4   /* sp[0], sp[1], dp[0], dp[1] */
#define DF_CMP         64u /* counters compared at once with the saved copy (divides 1 << df_bits) */
#define DF_DELTA_SHARE 8   /* delta items hold at most 1/8 of the counters */
#define PG_DELTA_SHARE 4   /* an index's delta items hold at most cap/4 slots */

struct nd__persist {
    /* The statistics as the items hold them, for the runs of DF_CMP
     * counters written since (a copy of all 4 MB was as many page faults
     * again as the counters' own load): dfr[run] is 1 + where in dfo its
     * saved counters are, 0 when it was not written; dfo_run[i] the run of
     * dfo's i-th.  df_lost: a copy could not be made (no memory), the
     * blocks are written again. */
    uint32_t *dfr;
    uint32_t *dfo, *dfo_run;
    uint32_t dfo_n, dfo_cap;
    int df_lost;
    uint8_t *dfb;               /* which blocks of them are items (the others are 0) */
    uint64_t df_first, df_next; /* delta item keys in use */
    uint64_t df_n;              /* counters in delta items */
    nd__imap stories;           /* story id -> fingerprint of its item */
    nd__imap cents;             /* story id -> fingerprint of its centroid's item */
    uint32_t pg_n[PG_GENS];     /* per index: its blocks that are items (pgen.dirty: changed) */
    uint64_t pd_first[PG_GENS], pd_next[PG_GENS]; /* per index: delta item keys in use */
    uint64_t pd_n[PG_GENS];                       /* and the slots they hold */
    int pg_old;                                   /* they are ND__IT_PGEN items (an older save's) */
    int pg_full[PG_GENS]; /* per index: its blocks may be ND__IT_PGENL items (an older save's) */
    uint64_t *ring;       /* per ring slot: fingerprint of its item, 0: none */
    uint8_t *ring_full;   /* per ring slot: the item is ND__IT_RECENT (an older save's) */
    int ring_old;         /* they are ND__IT_RING items (an older save's) */
    uint64_t *vec;        /* per ring slot: fingerprint of its vector's item, 0: none */
    uint8_t *vat;         /* and where it is (VEC_IN_ITEM: ND__IT_VEC, VEC_IN_RAW: ND__IT_VECR) */
    uint64_t *raw;        /* per ring slot: seq of the document whose raw features it holds */
};

static void persist_free(struct nd__persist *ps)
{
    if (!ps) return;
    nd_free(ps->dfr);
    nd_free(ps->dfo);
    nd_free(ps->dfo_run);
    nd_free(ps->dfb);
    nd__imap_free(&ps->stories);
    nd__imap_free(&ps->cents);
    nd_free(ps->ring);
    nd_free(ps->ring_full);
    nd_free(ps->vec);
    nd_free(ps->vat);
    nd_free(ps->raw);
    nd_free(ps);
}

static pgen *pg_at(nd_cluster *c, int i)
{
    return i < 2 ? &c->sp[i] : &c->dp[i - 2];
}

/* Which of pg_at's indexes g is (the key of its blocks' items). */
static uint64_t pg_index(nd_cluster *c, const pgen *g)
{
    int i = 0;
    while (i < PG_GENS - 1 && pg_at(c, i) != g) i++;
    return (uint64_t) i;
}

static inline uint64_t fp_mix(uint64_t h, uint64_t v)
{
    return nd__mix64(h ^ v) + 0x9e3779b97f4a7c15ULL;
}

static uint64_t f32_bits(float f)
{
    uint32_t w;
    memcpy(&w, &f, sizeof w);
    return w;
}

/* What a story's centroid is: changed by every settle, merge and prune. */
static void story_cent(const story *s, uint32_t *n, uint32_t *cap)
{
    *n = s->lazy ? s->lazy_n : s->c.n;
    *cap = s->lazy ? s->lazy_cap : s->c.cap;
}

/* Everything a story's items hold changes one of these. */
static uint64_t story_fp(const nd_cluster *c, const story *s)
{
    uint32_t n, cap;
    story_cent(s, &n, &cap);
    const uint64_t v[] = {(uint64_t) s->id,
                          s->slot,
                          c->stamps[s->slot],
                          s->n_settled,
                          s->n_recent,
                          s->ring_refs,
                          s->n_docs,
                          (uint64_t) s->st_first,
                          (uint64_t) s->st_last,
                          (uint64_t) s->t_first,
                          (uint64_t) s->t_last,
                          s->seq_last,
                          n,
                          cap};
    uint64_t h = 0;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) h = fp_mix(h, v[i]);
    return h | 1;
}

static uint64_t cent_fp(const story *s)
{
    uint32_t n, cap;
    story_cent(s, &n, &cap);
    return fp_mix(fp_mix(fp_mix((uint64_t) s->id, s->n_settled), n), cap) | 1;
}

/* A vector, for the fingerprint of its recent document (kept in vfp: the
 * vector changes only when it is set; hashing every vector of the window
 * at each load and save was 10 M instructions at 100,000 documents). */
static uint64_t vec_fp(const nd__feat *v, uint32_t n)
{
    uint64_t h = 0x5ec7;
    for (uint32_t i = 0; v && i < n; i++) h = fp_mix(h, v[i].h ^ (f32_bits(v[i].w) << 7));
    return h;
}

/* A recent document's vector item. */
static uint64_t rvec_fp(const rdoc *d)
{
    return fp_mix(fp_mix(fp_mix(fp_mix(d->seq, d->n_vec), d->vfp), (uint64_t) d->vat), 0x7ec) | 1;
}

/* A recent document's item: its raw features never change while its seq
 * stays, its vector is another item (vfp and n_vec are in this one). */
static uint64_t rdoc_fp(const rdoc *d)
{
    const uint64_t v[] = {d->seq,
                          (uint64_t) d->id,
                          (uint64_t) d->story,
                          (uint64_t) d->dup_of,
                          (uint64_t) d->time,
                          d->dup_handle,
                          (uint64_t) d->indexed,
                          d->n_raw,
                          HAS_VEC(d),
                          d->n_vec,
                          d->vfp,
                          (uint64_t) d->vat,
                          d->n_nb};
    uint64_t h = 0;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) h = fp_mix(h, v[i]);
    for (uint32_t i = 0; i < d->n_nb; i++)
        h = fp_mix(h, d->nb[i].seq ^ ((uint64_t) d->nb[i].slot << 40) ^ f32_bits(d->nb[i].s1));
    return h | 1;
}

/* A block of slots (ND__IT_PGENC): u32 n, then n times the slot in the
 * block (u8), its key (u64), u8 m and the first m entries of its list (u32
 * a, u32 b), m up to its last entry that is not 0, 0: the rest are.  Most
 * features are in one or two documents or stories of the lists' 16 or 8:
 * the document index's blocks ~1.4 KB where ND__IT_PGENL's whole lists
 * took ~6.6 KB (written whole after every flush), the story index's ~0.7 KB
 * of ~2.6 KB. */
static void put_pg_block(nd_buf *b, const pgen *g, uint32_t blk)
{
    uint32_t n = 0;
    for (uint32_t i = blk * PG_BLOCK; i < (blk + 1) * PG_BLOCK && i < g->cap; i++)
        n += g->keys[i] != 0;
    nd__put_u32(b, n);
    for (uint32_t i = blk * PG_BLOCK; i < (blk + 1) * PG_BLOCK && i < g->cap; i++) {
        if (!g->keys[i]) continue;
        const uint32_t *la = g->a + (size_t) i * g->P, *lb = g->b + (size_t) i * g->P;
        uint32_t m = g->P;
        while (m && !la[m - 1] && !lb[m - 1]) m--;
        nd_buf_putc(b, (char) (i - blk * PG_BLOCK));
        nd__put_u64(b, g->keys[i]);
        nd_buf_putc(b, (char) m);
        for (uint32_t k = 0; k < m; k++) {
            nd__put_u32(b, la[k]);
            nd__put_u32(b, lb[k]);
        }
    }
}

static void put_core(nd_buf *b, nd_cluster *c)
{
    nd__put_u64(b, ITEMS_MAGIC);
    nd__put_u32(b, ITEMS_VERSION);
    nd__put_u32(b, STATE_VERSION);
    put_params(b, &c->p);
    nd__put_f64(b, c->df_n);
    nd__put_u64(b, c->df_since);
    put_clock(b, c);
    nd__put_u32(b, c->n_slots);
    for (uint32_t i = 0; i < c->n_slots; i++) nd__put_u32(b, c->stamps[i]);
    nd__put_u32(b, c->n_free);
    for (uint32_t i = 0; i < c->n_free; i++) nd__put_u32(b, c->free_slots[i]);
    nd__imap_export(b, &c->fwd[0]);
    nd__imap_export(b, &c->fwd[1]);
    for (int i = 0; i < PG_GENS; i++) {
        const pgen *g = pg_at(c, i);
        nd__put_u64(b, g->docs);
        nd__put_u32(b, g->cap);
        nd__put_u32(b, g->n);
    }
    nd__put_u32(b, c->ring_n);
    nd__put_u32(b, c->ring_next);
    /* (since version 4) the indexes whose blocks may be ND__IT_PGENL items:
     * those of a save before, none of whose blocks was written since */
    uint32_t full = 0;
    for (int i = 0; c->ps && i < PG_GENS; i++) full |= (uint32_t) (c->ps->pg_full[i] != 0) << i;
    nd__put_u32(b, full);
}

static int put_item(nd__sink *k, nd_buf *b, uint32_t kind, uint64_t key)
{
    if (nd_buf_failed(b)) return ND_ENOMEM;
    k->bytes += b->len;
    int rc = k->s->put(k->s->ctx, kind, key, b->ptr, b->len);
    nd_buf_clear(b);
    return rc;
}

/* Counter at's run, kept as saved before its first write since the
 * last save or load. */
static void df_keep(nd_cluster *c, uint32_t at)
{
    struct nd__persist *ps = c->ps;
    uint32_t r = at / DF_CMP;
    if (ps->dfr[r] || ps->df_lost) return;
    if (ps->dfo_n == ps->dfo_cap) {
        uint32_t cap = ps->dfo_cap ? ps->dfo_cap * 2 : 512;
        uint32_t *o = nd_realloc(ps->dfo, (size_t) cap * DF_CMP * sizeof *o);
        if (o) ps->dfo = o;
        uint32_t *w = o ? nd_realloc(ps->dfo_run, (size_t) cap * sizeof *w) : NULL;
        if (w) ps->dfo_run = w;
        if (!o || !w) {
            ps->df_lost = 1;
            return;
        }
        ps->dfo_cap = cap;
    }
    memcpy(ps->dfo + (size_t) ps->dfo_n * DF_CMP, c->df + (size_t) r * DF_CMP,
           DF_CMP * sizeof *c->df);
    ps->dfo_run[ps->dfo_n++] = r;
    ps->dfr[r] = ps->dfo_n;
}

/* Every run (the counters are halved). */
static void df_keep_all(nd_cluster *c)
{
    for (uint32_t i = 0; i <= c->df_mask && !c->ps->df_lost; i += DF_CMP) df_keep(c, i);
}

/* The statistics are as saved now. */
static void df_kept_clear(struct nd__persist *ps)
{
    for (uint32_t i = 0; i < ps->dfo_n; i++) ps->dfr[ps->dfo_run[i]] = 0;
    ps->dfo_n = 0;
    ps->df_lost = 0;
}

static int save_df(nd_cluster *c, int all, nd__sink *k, nd_buf *b)
{
    struct nd__persist *ps = c->ps;
    uint32_t size = c->df_mask + 1, blk = size < DF_BLOCK ? size : DF_BLOCK;
    uint64_t changed = 0;
    /* Only the runs written since the save can differ from it. */
    const size_t run = DF_CMP * sizeof *c->df;
    if (!all && !ps->df_lost)
        for (uint32_t i = 0; i < ps->dfo_n; i++) {
            const uint32_t *was = ps->dfo + (size_t) i * DF_CMP,
                           *now = c->df + ps->dfo_run[i] * DF_CMP;
            if (memcmp(now, was, run))
                for (uint32_t j = 0; j < DF_CMP; j++) changed += now[j] != was[j];
        }
    if (!all && !ps->df_lost && !changed) {
        df_kept_clear(ps);
        return 0;
    }
    int rc = 0;
    if (all || ps->df_lost || ps->df_n + changed > size / DF_DELTA_SHARE) {
        /* Blocks again (but those of zeros), and no deltas. */
        for (uint32_t i = 0; i < size && !rc; i += blk) {
            int zero = 1;
            for (uint32_t j = i; j < i + blk && zero; j++) zero = !c->df[j];
            if (zero) {
                if (ps->dfb[i / blk] && !all) rc = k->s->del(k->s->ctx, ND__IT_DFB, i / blk);
                ps->dfb[i / blk] = 0;
                continue;
            }
            for (uint32_t j = i; j < i + blk; j++) nd__put_u32(b, c->df[j]);
            rc = put_item(k, b, ND__IT_DFB, i / blk);
            ps->dfb[i / blk] = 1;
        }
        for (uint64_t key = ps->df_first; key < ps->df_next && !rc && !all; key++)
            rc = k->s->del(k->s->ctx, ND__IT_DFD, key);
        ps->df_first = ps->df_next;
        ps->df_n = 0;
    } else {
        /* the changed counters in key order: the runs in order */
        nd__put_u32(b, (uint32_t) changed);
        for (uint32_t r = 0; r < size / DF_CMP; r++) {
            if (!ps->dfr[r]) continue;
            const uint32_t *was = ps->dfo + (size_t) (ps->dfr[r] - 1) * DF_CMP,
                           *now = c->df + (size_t) r * DF_CMP;
            if (!memcmp(now, was, run)) continue;
            for (uint32_t j = 0; j < DF_CMP; j++)
                if (now[j] != was[j]) {
                    nd__put_u32(b, r * DF_CMP + j);
                    nd__put_u32(b, now[j]);
                }
        }
        rc = put_item(k, b, ND__IT_DFD, ps->df_next++);
        ps->df_n += changed;
    }
    if (!rc) df_kept_clear(ps);
    return rc;
}

static int save_stories(nd_cluster *c, int all, nd__sink *k, nd_buf *b)
{
    struct nd__persist *ps = c->ps;
    int rc = 0;
    for (uint32_t i = 0; i < c->n_slots && !rc; i++) {
        const story *s = c->slots[i];
        if (!s) continue;
        uint64_t fp = story_fp(c, s);
        int64_t was;
        if (all || !nd__imap_get(&ps->stories, (uint64_t) s->id, &was) || (uint64_t) was != fp) {
            uint32_t n, cap;
            story_cent(s, &n, &cap);
            nd__put_u32(b, s->slot);
            put_story_head(b, s);
            nd__put_u32(b, n);
            nd__put_u32(b, cap);
            rc = put_item(k, b, ND__IT_STORY, (uint64_t) s->id);
            if (!rc && nd__imap_put(&ps->stories, (uint64_t) s->id, (int64_t) fp)) rc = ND_ENOMEM;
        }
        /* The centroid: only when it changed (a centroid not loaded has not). */
        if (rc || s->lazy) continue;
        fp = cent_fp(s);
        int have = nd__imap_get(&ps->cents, (uint64_t) s->id, &was);
        if (!s->c.cap) { /* (a table can be empty and still have its layout) */
            if (have && !all) rc = k->s->del(k->s->ctx, ND__IT_STORYC, (uint64_t) s->id);
            if (have) nd__imap_del(&ps->cents, (uint64_t) s->id);
            continue;
        }
        if (!all && have && (uint64_t) was == fp) continue;
        nd__fmap_export(b, &s->c);
        rc = put_item(k, b, ND__IT_STORYC, (uint64_t) s->id);
        if (!rc && nd__imap_put(&ps->cents, (uint64_t) s->id, (int64_t) fp)) rc = ND_ENOMEM;
    }
    if (rc || all) return rc;
    /* Stories gone since the last save. */
    uint64_t *gone = NULL;
    size_t n = 0, cap = 0;
    for (int m = 0; m < 2; m++) {
        const nd__imap *map = m ? &ps->cents : &ps->stories;
        for (uint32_t i = 0; i < map->cap; i++) {
            uint64_t id = map->keys[i];
            if (!id || story_get(c, (int64_t) id)) continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                uint64_t *g = nd_realloc(gone, cap * sizeof *g);
                if (!g) {
                    nd_free(gone);
                    return ND_ENOMEM;
                }
                gone = g;
            }
            gone[n++] = id | (uint64_t) m << 63;
        }
    }
    for (size_t i = 0; i < n && !rc; i++) {
        uint64_t id = gone[i] & ~(UINT64_C(1) << 63);
        int cent = (gone[i] >> 63) != 0;
        rc = k->s->del(k->s->ctx, cent ? ND__IT_STORYC : ND__IT_STORY, id);
        nd__imap_del(cent ? &ps->cents : &ps->stories, id);
    }
    nd_free(gone);
    return rc;
}

/* The blocks changed since the last save or load (all: every block). */
static int save_pgen(nd_cluster *c, int all, nd__sink *k, nd_buf *b)
{
    struct nd__persist *ps = c->ps;
    int rc = 0;
    for (int gi = 0; gi < PG_GENS && !rc; gi++) {
        pgen *g = pg_at(c, gi);
        uint32_t nblk = g->cap / PG_BLOCK;
        /* items of the older kind (all of them were read) give way to the
         * new kind's */
        uint32_t from = ps->pg_old ? 0 : nblk,
                 to = ps->pg_old ? ps->pg_n[gi] / (PG_OLD_BLOCK / PG_BLOCK) : ps->pg_n[gi];
        for (uint32_t i = from; i < to && !rc && !all; i++) {
            rc = k->s->del(k->s->ctx, ps->pg_old ? ND__IT_PGEN : ND__IT_PGENC,
                           (uint64_t) gi << 32 | i);
            if (!rc && ps->pg_full[gi])
                rc = k->s->del(k->s->ctx, ND__IT_PGENL, (uint64_t) gi << 32 | i);
        }
        ps->pg_n[gi] = nblk;
        if (!rc && !all && !ps->pg_old && g->track && !g->whole &&
            ps->pd_n[gi] + g->n_chg <= g->cap / PG_DELTA_SHARE) {
            /* The slots changed, in slot order, as a delta item: the
             * story index's young generation changes in a few hundred of
             * its slots a run, and in most of its blocks.  Their blocks
             * stay dirty (their items are older). */
            if (g->n_chg) {
                qsort(g->chg, g->n_chg, sizeof *g->chg, cmp_u32);
                nd__put_u32(b, g->n_chg);
                for (uint32_t i = 0; i < g->n_chg; i++) {
                    uint32_t j = g->chg[i];
                    nd__put_u32(b, j);
                    nd__put_u64(b, g->keys[j]);
                    for (uint32_t q = 0; q < g->P; q++) {
                        nd__put_u32(b, g->a[(size_t) j * g->P + q]);
                        nd__put_u32(b, g->b[(size_t) j * g->P + q]);
                    }
                }
                rc = put_item(k, b, ND__IT_PGD, (uint64_t) gi << 32 | ps->pd_next[gi]++);
                ps->pd_n[gi] += g->n_chg;
            }
        } else {
            uint32_t written = 0;
            for (uint32_t i = 0; i < nblk && !rc; i++) {
                if (!all && !ps->pg_old && !g->dirty[i]) continue;
                /* (a block with deltas may not be read yet) */
                if (g->n_lazy && g->lazy[i]) pg_lazy_block(c, g, i);
                put_pg_block(b, g, i);
                rc = put_item(k, b, ND__IT_PGENC, (uint64_t) gi << 32 | i);
                /* an older save's item of the block gives way */
                if (!rc && ps->pg_full[gi] && !all)
                    rc = k->s->del(k->s->ctx, ND__IT_PGENL, (uint64_t) gi << 32 | i);
                if (!rc) g->dirty[i] = 0;
                written++;
            }
            if (!rc && written == nblk) ps->pg_full[gi] = 0;
            if (!ps->pg_full[gi]) c->pg_full &= ~(1u << gi);
            for (uint64_t key = ps->pd_first[gi]; key < ps->pd_next[gi] && !rc && !all; key++)
                rc = k->s->del(k->s->ctx, ND__IT_PGD, (uint64_t) gi << 32 | key);
            ps->pd_first[gi] = ps->pd_next[gi];
            ps->pd_n[gi] = 0;
        }
        if (rc) break;
        for (uint32_t i = 0; i < g->n_chg; i++) g->chm[g->chg[i] >> 3] = 0;
        g->n_chg = 0;
        g->whole = 0;
    }
    if (!rc) ps->pg_old = 0;
    return rc;
}

/* A recent document's item (ND__IT_RECENTC): u64 seq, its head, u32 n_raw,
 * u32 0 (no vector) or where its vector is (VEC_IN_ITEM, VEC_IN_RAW) then
 * u32 n_vec and u64 vfp, its neighbours (put_rdoc_nbs_c; ND__IT_RECENT
 * items, before version 5, held them as put_rdoc_nbs does, 16 bytes
 * each).  One or two hundred bytes: the vector
 * (~3 KB) is an item of its own (ND__IT_VEC: u64 seq, the features;
 * ND__IT_VECR: put_vec_raw), written when it changes, where
 * the neighbours and the story of an older recent document change in most
 * runs.  (A kind of its own, not ND__IT_RING's keys: SQLite leaves a cell
 * made smaller by an UPDATE on its page, and the items of the older kind
 * had a page each.) */
static void put_ring_item(nd_buf *b, const rdoc *d, uint32_t slot, uint32_t cap)
{
    nd__put_u64(b, d->seq);
    put_rdoc_head(b, d);
    nd__put_u32(b, d->n_raw);
    nd__put_u32(b, HAS_VEC(d) ? (uint32_t) d->vat : 0);
    if (HAS_VEC(d)) {
        nd__put_u32(b, d->n_vec);
        nd__put_u64(b, d->vfp);
    }
    put_rdoc_nbs_c(b, d, slot, cap);
}

/* A vector as places in its document's raw features (ND__IT_VECR: u64 seq,
 * u32 n_vec, n_raw bits - bit i of byte i / 8 set when raw[i] is in it -
 * then the n_vec weights, f32, in hash order).  vectorize_in keeps the
 * raw features it keeps in their order, their hashes as they are: 4 bytes
 * and a bit a feature and 1 bit one left out, where ND__IT_VEC's 12 a
 * feature (~1.1 KB for a vector of 256 features, ~3 KB there: after a
 * flush, every vector of the window is written).  1 when vec is not such
 * a subset (nothing put), else 0. */
static int put_vec_raw(nd_buf *b, const rdoc *d)
{
    uint32_t i = 0;
    for (uint32_t k = 0; k < d->n_vec; k++, i++) {
        while (i < d->n_raw && d->raw[i].h != d->vec[k].h) i++;
        if (i >= d->n_raw) return 1;
    }
    nd__put_u64(b, d->seq);
    nd__put_u32(b, d->n_vec);
    unsigned char bits = 0;
    uint32_t k = 0;
    for (i = 0; i < d->n_raw; i++) {
        if (k < d->n_vec && d->raw[i].h == d->vec[k].h) {
            bits |= (unsigned char) (1u << (i & 7));
            k++;
        }
        if ((i & 7) == 7 || i + 1 == d->n_raw) {
            nd_buf_putc(b, (char) bits);
            bits = 0;
        }
    }
    for (k = 0; k < d->n_vec; k++) put_f32(b, d->vec[k].w);
    return 0;
}

/* The item kind of a vector where vat says. */
static uint32_t vec_kind(int vat)
{
    return vat == VEC_IN_RAW ? ND__IT_VECR : ND__IT_VEC;
}

static int save_ring(nd_cluster *c, int all, nd__sink *k, nd_buf *b)
{
    struct nd__persist *ps = c->ps;
    int rc = 0;
    for (uint32_t i = 0; i < c->ring_cap && !rc; i++) {
        rdoc *d = &c->ring[i];
        if (!d->seq) {
            if (ps->ring[i] && !all)
                rc = k->s->del(k->s->ctx, ps->ring_full[i] ? ND__IT_RECENT : ND__IT_RECENTC, i);
            ps->ring_full[i] = 0;
            if (!rc && ps->vec[i] && !all) rc = k->s->del(k->s->ctx, vec_kind(ps->vat[i]), i);
            if (!rc && ps->raw[i] && !all) rc = k->s->del(k->s->ctx, ND__IT_RAW, i);
            ps->ring[i] = ps->vec[i] = ps->raw[i] = 0;
            ps->vat[i] = 0;
            continue;
        }
        /* The vector first: one read from an ND__IT_RING item (the
         * document's item, rewritten below) is read before it goes. */
        if (!HAS_VEC(d)) {
            if (ps->vec[i] && !all) rc = k->s->del(k->s->ctx, vec_kind(ps->vat[i]), i);
            ps->vec[i] = 0;
            ps->vat[i] = 0;
            d->vat = 0;
        } else if (all || rvec_fp(d) != ps->vec[i]) {
            lazy_vec(c, d); /* (the item holds it) */
            lazy_raw(c, d); /* (read with the vector, when it is in places) */
            d->vfp = vec_fp(d->vec, d->n_vec);
            /* in places of the raw features, else whole */
            d->vat = VEC_IN_RAW;
            if (put_vec_raw(b, d)) {
                d->vat = VEC_IN_ITEM;
                nd__put_u64(b, d->seq);
                put_feats(b, d->vec, d->n_vec);
            }
            rc = put_item(k, b, vec_kind(d->vat), i);
            /* the other kind's item of the slot gives way */
            if (!rc && ps->vec[i] && ps->vat[i] != d->vat && !all)
                rc = k->s->del(k->s->ctx, vec_kind(ps->vat[i]), i);
            ps->vec[i] = rvec_fp(d);
            ps->vat[i] = (uint8_t) d->vat;
        }
        uint64_t fp = rdoc_fp(d);
        if (!rc && (all || fp != ps->ring[i])) {
            put_ring_item(b, d, i, c->ring_cap);
            rc = put_item(k, b, ND__IT_RECENTC, i);
            /* an older save's item of the slot gives way */
            if (!rc && ps->ring[i] && ps->ring_full[i] && !all)
                rc = k->s->del(k->s->ctx, ND__IT_RECENT, i);
            ps->ring[i] = fp;
            ps->ring_full[i] = 0;
        }
        /* an older save's item of the document (its vector read above)
         * gives way */
        if (!rc && ps->ring_old && !all) rc = k->s->del(k->s->ctx, ND__IT_RING, i);
        /* The raw features never change while the document is recent. */
        if (!rc && (all || ps->raw[i] != d->seq)) {
            nd__put_u64(b, d->seq);
            put_feats(b, d->raw, d->n_raw);
            rc = put_item(k, b, ND__IT_RAW, i);
            ps->raw[i] = d->seq;
        }
    }
    for (uint32_t i = 0; i < c->ring_cap && !rc && ps->ring_old && !all; i++)
        if (!c->ring[i].seq) rc = k->s->del(k->s->ctx, ND__IT_RING, i);
    if (!rc) ps->ring_old = 0;
    return rc;
}

static struct nd__persist *persist_new(const nd_cluster *c)
{
    struct nd__persist *ps = nd_calloc(1, sizeof *ps);
    if (!ps) return NULL;
    ps->dfr = nd_calloc(((size_t) c->df_mask + 1) / DF_CMP, sizeof *ps->dfr);
    ps->dfb = nd_calloc((size_t) c->df_mask / DF_BLOCK + 1, 1);
    ps->ring = nd_calloc(c->ring_cap, sizeof *ps->ring);
    ps->ring_full = nd_calloc(c->ring_cap, 1);
    ps->vec = nd_calloc(c->ring_cap, sizeof *ps->vec);
    ps->vat = nd_calloc(c->ring_cap, sizeof *ps->vat);
    ps->raw = nd_calloc(c->ring_cap, sizeof *ps->raw);
    if (!ps->dfr || !ps->dfb || !ps->ring || !ps->ring_full || !ps->vec || !ps->vat || !ps->raw) {
        persist_free(ps);
        return NULL;
    }
    return ps;
}

int nd_cluster_save(nd_cluster *c, int all, const nd_cluster_sink *sink, size_t *bytes)
{
    nd__sink k = {sink, 0};
    if (bytes) *bytes = 0;
    if (!c->ps || all) {
        /* Everything is written: what was not loaded is first. */
        if (nd_cluster_load_all(c)) return ND_ENOMEM;
        persist_free(c->ps);
        nd__dup_index_save_forget(c->dups);
        if (!(c->ps = persist_new(c))) return ND_ENOMEM;
        all = 1;
    }
    nd_buf b = ND_BUF_INIT;
    put_core(&b, c);
    int rc = put_item(&k, &b, ND__IT_CORE, 0);
    if (!rc) rc = save_stories(c, all, &k, &b);
    if (!rc) rc = save_df(c, all, &k, &b);
    if (!rc) rc = save_pgen(c, all, &k, &b);
    if (!rc) rc = save_ring(c, all, &k, &b);
    if (!rc) rc = nd__dup_index_save(c->dups, all, &k);
    nd_buf_free(&b);
    if (rc) {
        /* What the sink holds is unknown now: the next save writes all. */
        persist_free(c->ps);
        c->ps = NULL;
    }
    if (bytes) *bytes = k.bytes;
    return rc;
}

/* What a save of the engine as it is now would leave in the sink. */
static int persist_track(nd_cluster *c, const uint8_t *dfb, uint64_t df_first, uint64_t df_next,
                         uint64_t df_n, int pg_old, int ring_old, const uint8_t *ring_full,
                         const uint64_t pd[3][PG_GENS])
{
    struct nd__persist *ps = persist_new(c);
    if (!ps) return ND_ENOMEM;
    memcpy(ps->dfb, dfb, (size_t) c->df_mask / DF_BLOCK + 1);
    ps->df_first = df_first;
    ps->df_next = df_next;
    ps->df_n = df_n;
    for (uint32_t i = 0; i < c->n_slots; i++) {
        const story *st = c->slots[i];
        uint32_t n, cap;
        if (!st) continue;
        story_cent(st, &n, &cap);
        if (nd__imap_put(&ps->stories, (uint64_t) st->id, (int64_t) story_fp(c, st)) ||
            (cap && nd__imap_put(&ps->cents, (uint64_t) st->id, (int64_t) cent_fp(st)))) {
            persist_free(ps);
            return ND_ENOMEM;
        }
    }
    ps->pg_old = pg_old;
    for (int gi = 0; gi < PG_GENS; gi++) ps->pg_full[gi] = (c->pg_full >> gi & 1) && !pg_old;
    ps->ring_old = ring_old;
    for (int gi = 0; gi < PG_GENS; gi++) {
        /* the index blocks are as their items hold them */
        pgen *g = pg_at(c, gi);
        ps->pg_n[gi] = g->cap / PG_BLOCK;
        if (g->cap) memset(g->dirty, 0, g->cap / PG_BLOCK);
        /* but those of slots in delta items */
        for (uint32_t i = 0; i < g->n_pd; i++)
            g->dirty[nd__rd32(g->pd + (size_t) i * pg_entry(g)) / PG_BLOCK] = 1;
        ps->pd_first[gi] = pd[0][gi];
        ps->pd_next[gi] = pd[1][gi];
        ps->pd_n[gi] = pd[2][gi];
        g->whole = 0;
    }
    for (uint32_t i = 0; i < c->ring_cap; i++) {
        /* items of the older kind (the vector in the document's item):
         * both are written by the next save */
        const rdoc *d = &c->ring[i];
        ps->ring[i] = d->seq && !ring_old ? rdoc_fp(d) : 0;
        ps->ring_full[i] = ring_full[i];
        ps->vec[i] = d->seq && !ring_old && HAS_VEC(d) ? rvec_fp(d) : 0;
        ps->vat[i] = ps->vec[i] ? (uint8_t) d->vat : 0;
        ps->raw[i] = d->seq;
    }
    persist_free(c->ps);
    c->ps = ps;
    return 0;
}

/* ---- loading on demand ---- */

static int load_centroid(story *s, const unsigned char *p, const unsigned char *e)
{
    int rc = nd__fmap_import(&p, e, &s->c);
    if (!rc && (p != e || s->c.n != s->lazy_n || s->c.cap != s->lazy_cap)) rc = ND_EFORMAT;
    if (rc) {
        nd__fmap_free(&s->c);
        return rc;
    }
    recompute_norm(s);
    s->lazy = 0;
    return 0;
}

static int load_raw(rdoc *d, const unsigned char *p, const unsigned char *e)
{
    uint64_t seq;
    if (nd__get_u64(&p, e, &seq) || seq != d->seq) return ND_EFORMAT;
    int rc = get_feats(&p, e, &d->raw, &d->n_raw);
    if (!rc && p != e) rc = ND_EFORMAT;
    if (rc) {
        nd_free(d->raw);
        d->raw = NULL;
    }
    return rc;
}

/* A vector from its ND__IT_VECR item (put_vec_raw), the raw features read. */
static int load_vec_raw(rdoc *d, const unsigned char *p, const unsigned char *e)
{
    uint64_t seq;
    uint32_t n;
    size_t nb = ((size_t) d->n_raw + 7) / 8;
    if (!d->raw || nd__get_u64(&p, e, &seq) || seq != d->seq || nd__get_u32(&p, e, &n) ||
        n != d->n_vec || n > d->n_raw || (size_t) (e - p) != nb + (size_t) n * 4 ||
        ((d->n_raw & 7) && p[nb - 1] >> (d->n_raw & 7)))
        return ND_EFORMAT;
    nd__feat *v = nd_malloc((size_t) (n ? n : 1) * sizeof *v);
    if (!v) return ND_ENOMEM;
    const unsigned char *w = p + nb;
    uint32_t k = 0;
    int bad = 0;
    for (uint32_t i = 0; i < d->n_raw && !bad; i++) {
        if (!(p[i >> 3] >> (i & 7) & 1)) continue;
        if (k == n) {
            bad = 1; /* more places than weights */
            break;
        }
        uint32_t u = nd__rd32(w + (size_t) k * 4);
        v[k].h = d->raw[i].h;
        memcpy(&v[k].w, &u, sizeof u);
        v[k].pq = 0;
        bad = !isfinite(v[k].w);
        k++;
    }
    if (bad || k != n) {
        nd_free(v);
        return ND_EFORMAT;
    }
    d->vec = v;
    return 0;
}

/* Item (kind, key) through the engine's fetch: 0 or a negative code. */
static int fetch_item(nd_cluster *c, uint32_t kind, uint64_t key, const unsigned char **p,
                      const unsigned char **e)
{
    const void *data;
    size_t len;
    if (!c->fetch.fn || c->fetch.fn(c->fetch.ctx, kind, key, &data, &len) != 1) return ND_EFORMAT;
    *p = data;
    *e = *p + len;
    return 0;
}

/* A story's centroid, before it is used.  A failure leaves it empty and
 * the engine reports ND_ENOMEM (its decisions are not to be trusted). */
static void lazy_story(nd_cluster *c, story *s)
{
    const unsigned char *p, *e;
    if (!s->lazy) return;
    if (fetch_item(c, ND__IT_STORYC, (uint64_t) s->id, &p, &e) || load_centroid(s, p, e)) {
        s->lazy = 0;
        c->oom = 1;
    }
}

/* A recent document's raw features, before they are read (the window is
 * recomputed, or its lead's attributes are compared).  A failure leaves
 * them empty and the engine reports ND_ENOMEM. */
static void lazy_raw(nd_cluster *c, rdoc *d)
{
    const unsigned char *p, *e;
    if (d->raw || !d->seq) return;
    if (fetch_item(c, ND__IT_RAW, (uint64_t) (d - c->ring), &p, &e) || load_raw(d, p, e)) {
        c->oom = 1;
        d->n_raw = 0;
        d->raw = nd_malloc(sizeof *d->raw);
    }
}

/* The centroids of the recent documents' stories, and their raw features
 * (raw: the window is about to be recomputed). */
static void lazy_window(nd_cluster *c, int raw)
{
    for (uint32_t i = 0; c->ring_n && i < c->ring_cap; i++) {
        rdoc *d = &c->ring[i];
        if (!d->seq) continue;
        story *s = story_get(c, d->story);
        if (s) lazy_story(c, s);
        lazy_vec(c, d);
        if (raw) lazy_raw(c, d);
    }
}

/* A recent document's vector, before it is read: from its item (the
 * recent document's, fetched again: it has not changed, as a save of it
 * reads the vector first).  A failure leaves it empty and the engine
 * reports ND_ENOMEM. */
static void lazy_vec(nd_cluster *c, rdoc *d)
{
    const unsigned char *p, *e;
    if (!d->vec_lazy) return;
    if (d->vec_lazy == VEC_IN_RAW) {
        /* places in the raw features: those first */
        d->vec_lazy = 0;
        lazy_raw(c, d);
        if (fetch_item(c, ND__IT_VECR, (uint64_t) (d - c->ring), &p, &e) || load_vec_raw(d, p, e)) {
            c->oom = 1;
            d->vec = nd_malloc(sizeof *d->vec); /* (still an original) */
            d->n_vec = 0;
        }
        return;
    }
    int in_ring = d->vec_lazy == VEC_IN_RING;
    d->vec_lazy = 0;
    uint32_t n = d->n_vec, n_raw, has = 1;
    rdoc t;
    memset(&t, 0, sizeof t);
    uint64_t seq;
    if (fetch_item(c, in_ring ? ND__IT_RING : ND__IT_VEC, (uint64_t) (d - c->ring), &p, &e) ||
        nd__get_u64(&p, e, &seq) || seq != d->seq ||
        (in_ring &&
         (get_rdoc_head(&p, e, &t) || nd__get_u32(&p, e, &n_raw) || nd__get_u32(&p, e, &has))) ||
        has != 1 || get_feats(&p, e, &d->vec, &d->n_vec) || d->n_vec != n || (!in_ring && p != e)) {
        c->oom = 1;
        nd_free(d->vec);
        d->vec = nd_malloc(sizeof *d->vec); /* (still an original) */
        d->n_vec = 0;
    }
}

int nd_cluster_load_all(nd_cluster *c)
{
    int oom = c->oom;
    c->oom = 0;
    for (uint32_t i = 0; i < c->n_slots; i++)
        if (c->slots[i]) lazy_story(c, c->slots[i]);
    lazy_window(c, 1);
    for (int gi = 0; gi < PG_GENS; gi++) pg_load_gen(c, pg_at(c, gi));
    int failed = c->oom || nd__dup_index_load_all(c->dups);
    c->oom = oom || failed;
    return failed ? ND_ENOMEM : 0;
}

/* The CORE item into a new engine (*out). */
static int load_core(nd_cluster **out, const unsigned char *p, const unsigned char *e,
                     uint32_t *version, nd_error *err)
{
    uint64_t magic;
    uint32_t sversion;
    nd_cluster_params prm;
    *out = NULL;
    if (nd__get_u64(&p, e, &magic) || magic != ITEMS_MAGIC || nd__get_u32(&p, e, version) ||
        *version < 1 || *version > ITEMS_VERSION || nd__get_u32(&p, e, &sversion) ||
        sversion != STATE_VERSION)
        return ND_EFORMAT;
    memset(&prm, 0, sizeof prm);
    if (get_params(&p, e, &prm)) return ND_EFORMAT;
    nd_cluster_params want = prm;
    sanitize(&want);
    if (memcmp(&want, &prm, sizeof want) != 0) return ND_EFORMAT;
    nd_cluster *c = nd_cluster_new(&prm, err);
    if (!c) return err && err->code ? err->code : ND_ENOMEM;
    *out = c;
#define NEED(x)                                                                                    \
    do {                                                                                           \
        if (x) return ND_EFORMAT;                                                                  \
    } while (0)
    NEED(nd__get_f64(&p, e, &c->df_n) || !isfinite(c->df_n) || nd__get_u64(&p, e, &c->df_since));
    NEED(get_clock(c, &p, e));
    uint32_t n_slots;
    NEED(nd__get_u32(&p, e, &n_slots) || n_slots > (uint32_t) ((e - p) / 4));
    if (alloc_slots(c, n_slots)) return ND_ENOMEM;
    for (uint32_t i = 0; i < n_slots; i++) NEED(nd__get_u32(&p, e, &c->stamps[i]));
    NEED(nd__get_u32(&p, e, &c->n_free) || c->n_free > n_slots);
    for (uint32_t i = 0; i < c->n_free; i++)
        NEED(nd__get_u32(&p, e, &c->free_slots[i]) || c->free_slots[i] >= n_slots);
    int rc;
    if ((rc = nd__imap_import(&p, e, &c->fwd[0])) || (rc = nd__imap_import(&p, e, &c->fwd[1])))
        return rc;
    for (int i = 0; i < PG_GENS; i++) {
        pgen *g = pg_at(c, i);
        uint32_t cap, n;
        NEED(nd__get_u64(&p, e, &g->docs) || nd__get_u32(&p, e, &cap) || nd__get_u32(&p, e, &n));
        NEED(cap && ((cap & (cap - 1)) || cap < 1024 || cap > (1u << 28)));
        NEED((uint64_t) n * 4 > (uint64_t) cap * 3);
        /* at its size at once: doubling from 1,024 slots allocated and
         * freed every smaller size (7.7 M instructions of a 200,000-document
         * store's load) */
        if (g->cap < cap && pgen_resize(g, cap)) return ND_ENOMEM;
        g->n = n; /* checked against the blocks when all are read */
        /* Its blocks are read when a probe reaches them (or from the
         * stream): the tables' pages untouched until then. */
        if (cap) {
            if (!(g->lazy = nd_malloc(cap / PG_BLOCK))) return ND_ENOMEM;
            memset(g->lazy, 1, cap / PG_BLOCK);
            g->n_lazy = cap / PG_BLOCK;
        }
    }
    NEED(nd__get_u32(&p, e, &c->ring_n) || c->ring_n > c->ring_cap);
    NEED(nd__get_u32(&p, e, &c->ring_next) || c->ring_next >= c->ring_cap);
    c->pg_full = (1u << PG_GENS) - 1;
    if (*version >= 4) NEED(nd__get_u32(&p, e, &c->pg_full) || c->pg_full >> PG_GENS);
    NEED(p != e);
    return 0;
}

/* Block blk of g (of size slots) from its item's bytes, into free slots. */
static int load_pg_block(pgen *g, uint32_t blk, uint32_t size, const unsigned char *p,
                         const unsigned char *e, int compact)
{
    uint32_t n;
    if (nd__get_u32(&p, e, &n) || n > size) return ND_EFORMAT;
    int64_t prev = -1;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t at, m = g->P;
        uint64_t h;
        if (compact) {
            /* (u8 slot, u64 key, u8 m: put_pg_block) */
            if (e - p < 10 || (int64_t) p[0] <= prev || p[0] >= size || p[9] > g->P)
                return ND_EFORMAT;
            prev = at = p[0];
            m = p[9];
            h = nd__rd64(p + 1);
            p += 10;
            if (!h) return ND_EFORMAT;
        } else if (nd__layout_slot(&p, e, size, &prev, &at) || nd__get_u64(&p, e, &h) || !h) {
            return ND_EFORMAT;
        }
        uint32_t slot = blk * size + at;
        if (g->keys[slot]) return ND_EFORMAT;
        size_t at_p = (size_t) slot * g->P;
        if (nd__get_u32_pairs(&p, e, g->a + at_p, g->b + at_p, m)) return ND_EFORMAT;
        if (m < g->P) {
            memset(g->a + at_p + m, 0, (g->P - m) * sizeof *g->a);
            memset(g->b + at_p + m, 0, (g->P - m) * sizeof *g->b);
        }
        /* (a slot read in part, its item cut short, stays free) */
        g->keys[slot] = h;
    }
    if (p != e) return ND_EFORMAT;
    /* Each key is reached from its home slot: no free slot and no copy of
     * it on the way, as far as this block holds the way (the blocks before
     * are checked with theirs, and whole when every block is read). */
    uint32_t base = blk * size, mask = g->cap - 1;
    for (uint32_t s = base; s < base + size; s++) {
        if (!g->keys[s]) continue;
        uint32_t h = (uint32_t) nd__mix64(g->keys[s]) & mask;
        for (uint32_t j = h >= base && h <= s ? h : base; j != s; j++)
            if (!g->keys[j] || g->keys[j] == g->keys[s]) return ND_EFORMAT;
    }
    return 0;
}

/* Every block read: the count and the layout of the whole table. */
static int pg_check(const pgen *g)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < g->cap; i++) n += g->keys[i] != 0;
    return n != g->n || (g->cap && nd__layout_check(g->keys, g->cap)) ? ND_EFORMAT : 0;
}

/* An item of a block from the stream (kind ND__IT_PGEN: PG_OLD_BLOCK
 * slots, or ND__IT_PGENL). */
static int load_pg_item(nd_cluster *c, uint32_t kind, uint64_t key, const unsigned char *p,
                        const unsigned char *e)
{
    uint64_t gi = key >> 32;
    uint32_t blk = (uint32_t) key, size = kind == ND__IT_PGEN ? PG_OLD_BLOCK : PG_BLOCK;
    if (gi >= PG_GENS) return ND_EFORMAT;
    pgen *g = pg_at(c, (int) gi);
    if (blk >= g->cap / size) return ND_EFORMAT;
    for (uint32_t i = blk * (size / PG_BLOCK); i < (blk + 1) * (size / PG_BLOCK); i++) {
        if (!g->lazy[i]) return ND_EFORMAT;
        g->lazy[i] = 0;
        g->n_lazy--;
    }
    return load_pg_block(g, blk, size, p, e, kind == ND__IT_PGENC);
}

/* The delta items' slots by block, each block's in the order they were
 * saved (a lookup reads one block's only). */
static int pd_sort(pgen *g)
{
    const size_t E = pg_entry(g);
    uint32_t nblk = g->cap / PG_BLOCK;
    uint32_t *at = nd_calloc((size_t) nblk + 1, sizeof *at), *next = nd_malloc(nblk * sizeof *next);
    unsigned char *v = nd_malloc((size_t) g->n_pd * E + 1);
    if (!at || !next || !v) {
        nd_free(at);
        nd_free(next);
        nd_free(v);
        return ND_ENOMEM;
    }
    for (uint32_t i = 0; i < g->n_pd; i++) at[nd__rd32(g->pd + (size_t) i * E) / PG_BLOCK + 1]++;
    for (uint32_t i = 0; i < nblk; i++) at[i + 1] += at[i];
    memcpy(next, at, nblk * sizeof *next);
    for (uint32_t i = 0; i < g->n_pd; i++) {
        const unsigned char *q = g->pd + (size_t) i * E;
        memcpy(v + (size_t) next[nd__rd32(q) / PG_BLOCK]++ * E, q, E);
    }
    nd_free(next);
    nd_free(g->pd);
    g->pd = v;
    g->pd_at = at;
    return 0;
}

/* The delta items' slots of block blk (all: of every block read), in
 * the order they were saved, over what the blocks' items hold. */
static int pd_apply(pgen *g, uint32_t blk, int all)
{
    const size_t E = pg_entry(g);
    uint32_t from = all ? 0 : g->pd_at[blk], to = all ? g->n_pd : g->pd_at[blk + 1];
    for (uint32_t i = from; i < to; i++) {
        const unsigned char *p = g->pd + (size_t) i * E, *e = p + E;
        uint32_t slot;
        uint64_t key;
        nd__get_u32(&p, e, &slot);
        if (all && g->n_lazy && g->lazy[slot / PG_BLOCK]) continue;
        nd__get_u64(&p, e, &key);
        if (g->keys[slot] && g->keys[slot] != key) return ND_EFORMAT;
        g->keys[slot] = key;
        size_t at_p = (size_t) slot * g->P;
        if (nd__get_u32_pairs(&p, e, g->a + at_p, g->b + at_p, g->P)) return ND_EFORMAT;
    }
    return 0;
}

/* Block blk of g through the engine's fetch.  A failure leaves it empty
 * (or part read) and the engine reports ND_ENOMEM. */
static void pg_lazy_block(nd_cluster *c, pgen *g, uint32_t blk)
{
    const unsigned char *p, *e;
    uint64_t gi = pg_index(c, g);
    g->lazy[blk] = 0;
    g->n_lazy--;
    /* the block's item of the older kind when items saved before hold it
     * (it has not been written since) */
    int compact = 1;
    if (fetch_item(c, ND__IT_PGENC, gi << 32 | blk, &p, &e))
        compact = c->pg_full >> gi & 1 ? 0 : -1;
    if (compact < 0 || (!compact && fetch_item(c, ND__IT_PGENL, gi << 32 | blk, &p, &e)) ||
        load_pg_block(g, blk, PG_BLOCK, p, e, compact) || (g->n_pd && pd_apply(g, blk, 0)) ||
        (!g->n_lazy && pg_check(g)))
        c->oom = 1;
    if (!g->n_lazy) {
        nd_free(g->pd);
        nd_free(g->pd_at);
        g->pd = NULL;
        g->pd_at = NULL;
        g->n_pd = 0;
    }
}

/* Every block of g not read yet. */
static void pg_load_gen(nd_cluster *c, pgen *g)
{
    for (uint32_t i = 0; g->n_lazy && i < g->cap / PG_BLOCK; i++)
        if (g->lazy[i]) pg_lazy_block(c, g, i);
}

/* After the last item: everything is there and consistent. */
static int load_end(nd_cluster *c, int pg_old)
{
    int rc;
    if (!c->fetch.fn) {
        /* No loading on demand: the stream held everything. */
        for (uint32_t i = 0; i < c->n_slots; i++)
            if (c->slots[i] && c->slots[i]->lazy) return ND_EFORMAT;
        for (uint32_t i = 0; i < c->ring_cap; i++)
            if (c->ring[i].seq && (!c->ring[i].raw || c->ring[i].vec_lazy)) return ND_EFORMAT;
    }
    for (uint32_t i = 0; i < c->n_free; i++)
        if (c->slots[c->free_slots[i]]) return ND_EFORMAT;
    for (int gi = 0; gi < PG_GENS; gi++) {
        /* blocks left for later: only when they can be fetched, and all or
         * none (items of the older kind come whole) */
        pgen *g = pg_at(c, gi);
        if (g->n_pd && (rc = pd_sort(g))) return rc;
        if (g->n_pd && pd_apply(g, 0, 1)) return ND_EFORMAT;
        if (g->n_lazy && (!c->fetch.fn || pg_old || g->n_lazy != g->cap / PG_BLOCK))
            return ND_EFORMAT;
        if (!g->n_lazy && pg_check(g)) return ND_EFORMAT;
    }
    uint32_t used = 0;
    for (uint32_t i = 0; i < c->ring_cap; i++) used += c->ring[i].seq != 0;
    if (used != c->ring_n) return ND_EFORMAT;
    return nd__dup_index_load_end(c->dups);
}

nd_cluster *nd_cluster_load(int (*next)(void *ctx, uint32_t *kind, uint64_t *key, const void **data,
                                        size_t *len),
                            int (*fetch)(void *ctx, uint32_t kind, uint64_t key, const void **data,
                                         size_t *len),
                            void *ctx, nd_error *err)
{
    nd_cluster *c = NULL;
    uint32_t kind, last_kind = 0;
    uint8_t *dfb = NULL;       /* the blocks of statistics read */
    uint8_t *ring_full = NULL; /* per ring slot: its item was ND__IT_RECENT */
    uint64_t key, df_first = UINT64_MAX, df_next = 0, df_n = 0;
    const void *data;
    size_t len;
    uint32_t version = 0;
    int rc = next(ctx, &kind, &key, &data, &len), have_dups = 0, pg_old = 0, ring_old = 0;
    uint64_t pd[3][PG_GENS] = {{0}}; /* per index: first and next delta item, slots in them */
    if (rc == 1 && (kind != ND__IT_CORE || key != 0)) rc = ND_EFORMAT;
    if (rc == 1) {
        rc = load_core(&c, data, (const unsigned char *) data + len, &version, err);
        if (!rc) rc = 1;
        if (c) {
            c->fetch = (nd__fetch){fetch, ctx};
            if (!(dfb = nd_calloc((size_t) c->df_mask / DF_BLOCK + 1, 1)) ||
                !(ring_full = nd_calloc(c->ring_cap, 1)))
                rc = ND_ENOMEM;
        }
    } else if (rc == 0) {
        rc = ND_EFORMAT; /* no items */
    }
    while (rc == 1) {
        rc = next(ctx, &kind, &key, &data, &len);
        if (rc != 1) break;
        const unsigned char *p = data, *e = p + len;
        if (kind < last_kind || kind == ND__IT_CORE) {
            rc = ND_EFORMAT;
            break;
        }
        last_kind = kind;
        uint32_t u;
        switch (kind) {
        case ND__IT_STORY:
            rc = nd__get_u32(&p, e, &u) ? ND_EFORMAT : get_story_head(c, &p, e, u, 0);
            if (!rc) {
                /* its centroid: an item of its own, loaded when needed */
                story *st = c->slots[u];
                if (nd__get_u32(&p, e, &st->lazy_n) || nd__get_u32(&p, e, &st->lazy_cap) ||
                    st->id != (int64_t) key || p != e || (st->lazy_n && !st->lazy_cap))
                    rc = ND_EFORMAT;
                st->lazy = st->lazy_cap != 0;
            }
            break;
        case ND__IT_STORYC: {
            int64_t slot;
            story *st = nd__imap_get(&c->by_id, key, &slot) ? c->slots[slot] : NULL;
            rc = st && st->lazy ? load_centroid(st, p, e) : ND_EFORMAT;
            break;
        }
        case ND__IT_DFB: {
            uint32_t size = c->df_mask + 1, blk = size < DF_BLOCK ? size : DF_BLOCK;
            /* (blocks of zeros are not written) */
            rc = key >= size / blk || len != (size_t) blk * 4 ? ND_EFORMAT : 0;
            if (!rc) nd__get_u32_n(&p, e, c->df + key * blk, blk);
            if (!rc) dfb[key] = 1;
            c->df_written = 1;
            break;
        }
        case ND__IT_DFD:
            if (nd__get_u32(&p, e, &u) || (uint64_t) u * 8 != (uint64_t) (e - p) || key < df_next) {
                rc = ND_EFORMAT;
                break;
            }
            rc = 0;
            for (uint32_t i = 0; i < u && !rc; i++) {
                uint32_t at, v;
                nd__get_u32(&p, e, &at);
                nd__get_u32(&p, e, &v);
                if (at > c->df_mask)
                    rc = ND_EFORMAT;
                else
                    c->df[at] = v;
            }
            c->df_written = 1;
            if (df_first == UINT64_MAX) df_first = key;
            df_next = key + 1;
            df_n += u;
            break;
        case ND__IT_PGEN:
            pg_old = 1;
            /* fall through */
        case ND__IT_PGENL:
        case ND__IT_PGENC: rc = load_pg_item(c, kind, key, p, e); break;
        case ND__IT_RING:
        case ND__IT_RECENT:
        case ND__IT_RECENTC: {
            rdoc *d = key < c->ring_cap ? &c->ring[key] : NULL;
            /* (ND__IT_RING in items of version 1 only, ND__IT_RECENT in
             * later ones, ND__IT_RECENTC since version 5) */
            if (!d || d->seq || (kind == ND__IT_RING) != (version == 1) ||
                (kind == ND__IT_RECENTC && version < 5) || nd__get_u64(&p, e, &d->seq) || !d->seq) {
                rc = ND_EFORMAT;
                break;
            }
            if (kind == ND__IT_RING) ring_old = 1;
            ring_full[key] = kind == ND__IT_RECENT;
            rc = get_rdoc_head(&p, e, d);
            if (!rc && nd__get_u32(&p, e, &d->n_raw)) rc = ND_EFORMAT;
            if (!rc)
                rc = get_rdoc_tail(c, &p, e, d, kind != ND__IT_RING ? version : 0,
                                   kind == ND__IT_RECENTC);
            if (!rc && p != e) rc = ND_EFORMAT;
            break;
        }
        case ND__IT_PGD: {
            uint64_t gi = key >> 32, seq = key & 0xffffffffu;
            pgen *g = gi < PG_GENS ? pg_at(c, (int) gi) : NULL;
            const size_t E = g ? pg_entry(g) : 1;
            if (!g || !g->track || !g->cap || (pd[1][gi] && seq < pd[1][gi]) ||
                nd__get_u32(&p, e, &u) || (size_t) (e - p) / E != u || (size_t) (e - p) % E) {
                rc = ND_EFORMAT;
                break;
            }
            unsigned char *v = nd_realloc(g->pd, ((size_t) g->n_pd + u) * E + 1);
            if (!v) {
                rc = ND_ENOMEM;
                break;
            }
            g->pd = v;
            rc = 0;
            for (uint32_t i = 0; i < u && !rc; i++) {
                const unsigned char *q = p + (size_t) i * E;
                uint32_t slot = nd__rd32(q);
                if (slot >= g->cap || !nd__rd64(q + 4)) rc = ND_EFORMAT;
            }
            if (rc) break;
            memcpy(g->pd + (size_t) g->n_pd * E, p, (size_t) u * E);
            g->n_pd += u;
            if (!pd[1][gi]) pd[0][gi] = seq;
            pd[1][gi] = seq + 1;
            pd[2][gi] += u;
            break;
        }
        case ND__IT_VEC: {
            /* (in the stream when there is no loading on demand) */
            rdoc *d = key < c->ring_cap ? &c->ring[key] : NULL;
            uint64_t seq;
            uint32_t n = d ? d->n_vec : 0;
            rc = !d || version == 1 || d->vec_lazy != VEC_IN_ITEM || nd__get_u64(&p, e, &seq) ||
                         seq != d->seq
                     ? ND_EFORMAT
                     : get_feats(&p, e, &d->vec, &d->n_vec);
            if (!rc && (d->n_vec != n || p != e)) rc = ND_EFORMAT;
            if (d && d->vec) d->vec_lazy = 0;
            break;
        }
        case ND__IT_RAW: {
            rdoc *d = key < c->ring_cap ? &c->ring[key] : NULL;
            rc = d && d->seq && !d->raw ? load_raw(d, p, e) : ND_EFORMAT;
            break;
        }
        case ND__IT_VECR: {
            /* (in the stream after the raw features, kind ND__IT_RAW) */
            rdoc *d = key < c->ring_cap ? &c->ring[key] : NULL;
            rc = d && d->vec_lazy == VEC_IN_RAW ? load_vec_raw(d, p, e) : ND_EFORMAT;
            if (!rc) d->vec_lazy = 0;
            break;
        }
        case ND__IT_DUPH:
            if (have_dups) {
                rc = ND_EFORMAT;
                break;
            }
            nd_dup_index_free(c->dups);
            c->dups = NULL;
            rc = nd__dup_index_load_head(&c->dups, p, e, &c->fetch);
            have_dups = 1;
            break;
        case ND__IT_DUPE:
        case ND__IT_DUPT:
        case ND__IT_DUPM:
            rc = have_dups ? nd__dup_index_load_item(c->dups, kind, key, p, e) : ND_EFORMAT;
            break;
        default: rc = ND_EFORMAT;
        }
        if (!rc) rc = 1;
    }
    if (rc == 0 && !have_dups) rc = ND_EFORMAT;
    if (rc == 0) rc = load_end(c, pg_old);
    if (rc == 0)
        rc = persist_track(c, dfb, df_first == UINT64_MAX ? 0 : df_first, df_next, df_n, pg_old,
                           ring_old, ring_full, (const uint64_t(*)[PG_GENS]) pd);
    nd_free(dfb);
    nd_free(ring_full);
    if (rc) {
        nd_cluster_free(c);
        if (rc == ND_ENOMEM)
            nd_error_set(err, ND_ENOMEM, (size_t) -1, "cluster state: out of memory");
        else if (rc == ND_EFORMAT)
            nd_error_set(err, ND_EFORMAT, (size_t) -1, "cluster state: items missing or corrupt");
        else if (err && !err->code)
            nd_error_set(err, rc, (size_t) -1, "cluster state: cannot read the items");
        return NULL;
    }
    return c;
#undef NEED
}
