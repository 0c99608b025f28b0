/*
 * cluster_int.h - internals shared by the files of src/cluster/: feature
 * extraction, the small hash maps, the duplicate index and the engine.
 */
#ifndef ND_CLUSTER_INT_H
#define ND_CLUSTER_INT_H

#include "base/imap.h"
#include "base/mix.h"
#include "base/pack.h"
#include "newsdesk/cluster.h"
#include "newsdesk/token.h"

struct sb_stemmer;

/* A feature of a document: 64-bit hashed id and a weight.  Arrays of them
 * are kept sorted by h (strictly increasing) so that dot products are a
 * merge. */
typedef struct nd__feat {
    uint64_t h;
    float w;
    uint16_t pq; /* raw features: the word-rarity prior's q + 2, 1 when it does
                    not list the feature, 0 when not looked up yet (read from a
                    saved state) */
} nd__feat;

/* Hash a feature key; never 0 (0 marks empty slots in the maps). */
static inline uint64_t nd__fhash(uint64_t h)
{
    return h ? h : 0x9e3779b97f4a7c15ULL;
}

/* ---- maps (maps.c) --------------------------------------------------------- */

/* Open addressing, linear probing, key 0 = empty, backward-shift deletion.
 * Capacity is a power of two and the load stays <= 3/4.  Allocation
 * failure leaves the map unchanged and returns ND_ENOMEM. */
typedef struct nd__fmap { /* u64 -> float (story centroids) */
    uint64_t *keys;
    float *vals;
    uint32_t cap, n;
} nd__fmap;

int nd__fmap_reserve(nd__fmap *m, uint32_t n);
float nd__fmap_get(const nd__fmap *m, uint64_t k);
/* Adds d to the value of k (inserting it); returns the new value in *nv. */
int nd__fmap_add(nd__fmap *m, uint64_t k, float d, float *nv);
void nd__fmap_del(nd__fmap *m, uint64_t k);
void nd__fmap_free(nd__fmap *m);
size_t nd__fmap_bytes(const nd__fmap *m);
/* Save / restore a map with its exact layout (an empty m on import). */
void nd__fmap_export(nd_buf *b, const nd__fmap *m);
int nd__fmap_import(const unsigned char **p, const unsigned char *end, nd__fmap *m);

/* nd__imap (u64 -> i64, ids): base/imap.h; its layout saved and restored
 * as it is. */
void nd__imap_export(nd_buf *b, const nd__imap *m);
int nd__imap_import(const unsigned char **p, const unsigned char *end, nd__imap *m);

/* ---- features (features.c) ------------------------------------------------- */

/* Kinds of features; the weight of each comes from the parameters. */
enum {
    ND__F_WORD,
    ND__F_TITLE,
    ND__F_ENTITY,
    ND__F_PHRASE,
    ND__F_NUMBER,
    ND__F_YEAR,
    ND__F_DATE,
    ND__F_NKINDS
};

/* Attributes of the event a document reports, read from its lead
 * (features.c): where it happened (the place after "in", "at", "near",
 * "outside"), an earthquake's magnitude, whether people died.  They travel
 * among the document's raw features with a negative weight naming the
 * slot, so that they are kept and saved with them but never counted in the
 * statistics nor put in a vector.  The id carries the value:
 *   ND__A_PLACE  the word id of the place's longest word ^ ND__A_SALT_PLACE
 *   ND__A_MAG    ND__A_SALT_MAG + magnitude x 10
 *   ND__A_TOLL   ND__A_SALT_TOLL + ND__TOLL_DEAD (the lead reports deaths) or
 *                ND__TOLL_HURT (it reports injuries, and no death anywhere) */
#define ND__A_PLACE      (-1.0f)
#define ND__A_MAG        (-2.0f)
#define ND__A_TOLL       (-3.0f)
#define ND__A_SALT_PLACE 0x5a17c0de5a17c0deULL
#define ND__A_SALT_MAG   0x3a6e000000000000ULL
#define ND__A_SALT_TOLL  0x3a70000000000000ULL
#define ND__TOLL_DEAD    1
#define ND__TOLL_HURT    2
#define ND__A_MAX        4 /* of each slot per document */

/* Entries of the per-engine word cache (powers of two): it starts small
 * and doubles each time it has missed as many words as it holds, up to
 * ND__WCACHE (direct-mapped: its 2.6 MB, touched where each word of one
 * page hashes, were 600 page faults of a one-page run). */
#define ND__WCACHE       65536
#define ND__WCACHE_FIRST 4096
typedef struct nd__wcache {
    uint64_t key;              /* hash of the lowercased word; 0: empty */
    uint64_t word;             /* feature id of its stem as a word ... */
    uint64_t title;            /* ... and as a title word */
    uint64_t name;             /* feature id of the word as a name (entity) */
    uint16_t pq_stem, pq_name; /* the prior of the stem and of the name (nd__feat.pq) */
    uint8_t stop;              /* a stop word */
} nd__wcache;

/* Text beyond this is ignored by the features and the sketch (documented
 * limit; news articles are far shorter). */
#define ND__CL_MAX_TEXT (256u * 1024u)

/* The streaming part of the duplicate sketch, fed one token hash at a time. */
typedef struct nd__dupacc {
    uint64_t content;
    uint64_t last[3];
    uint32_t n_words, n_shingles;
    uint32_t mh[ND_DUP_SLOTS];
    uint8_t filled[ND_DUP_SLOTS];
} nd__dupacc;
void nd__dup_begin(nd__dupacc *a);
void nd__dup_token(nd__dupacc *a, uint64_t token_hash);
/* title/title_len: hashed into the content hash of short texts. */
void nd__dup_end(nd__dupacc *a, const char *title, size_t title_len, nd_dup_sketch *out);
/* Hash of a lowercased token as the sketch sees it. */
uint64_t nd__dup_token_hash(const char *lower, size_t n);

/* Feature extraction context: one per engine (holds the stemmer and
 * scratch space reused across documents). */
typedef struct nd__fx {
    struct sb_stemmer *stemmer;
    const struct nd__prior *prior; /* borrowed (process-wide), or NULL */
    double kw[ND__F_NKINDS];       /* weight of each kind */
    double lead_words;             /* words of the lead that weigh more ... */
    double lead_boost;             /* ... by up to this much (the title too) */
    float occ;                     /* weight of the current occurrence */
    int seen_date, seen_year;      /* the text named a day / a year */
    char *join;                    /* title + text when the text lacks the title */
    size_t join_cap;
    nd__wcache *wc;      /* word cache: stop word flag and stem ids */
    uint32_t wc_mask;    /* its entries - 1 */
    uint32_t wc_miss;    /* words it missed at this size */
    struct nd__wtok *wt; /* per-token scratch */
    size_t wt_cap;
    char *lbuf; /* lowercased tokens */
    size_t lbuf_cap;
    nd_token *tok;
    size_t tok_cap;
    /* scratch: feature -> term frequency, open addressing */
    uint64_t *fk;
    float *ftf;
    uint32_t *fkind; /* kind | pq << 8 */
    uint32_t *fused; /* the slots taken, fn of them (room for fcap / 2) */
    uint32_t fcap, fn;
    /* scratch: lowercase words seen capitalised mid-sentence */
    uint64_t *ck;
    uint32_t *cused; /* the slots taken, cn of them */
    uint32_t ccap, cn;
    /* the lead's event attributes (ND__A_*) */
    nd__feat attr[2 * ND__A_MAX + 1];
    uint32_t n_attr;
    /* output */
    nd__feat *out;
    uint32_t out_cap;
} nd__fx;

/* The id of a feature of a kind: nd_hash64 of "<kind letter>:<bytes>". */
uint64_t nd__feat_hash(int kind, const char *s, size_t n);

int nd__fx_init(nd__fx *fx, const nd_cluster_params *p);
void nd__fx_free(nd__fx *fx);
size_t nd__fx_bytes(const nd__fx *fx);
/* Features of one document (raw weights: kind weight x (1 + ln tf); the
 * event attributes with their negative weights), sorted by hash, and its
 * duplicate sketch.  *feats is borrowed: valid
 * until the next call.  Returns 0 or ND_ENOMEM. */
int nd__fx_doc(nd__fx *fx, const char *title, size_t title_len, const char *text, size_t text_len,
               int64_t published, nd__feat **feats, uint32_t *n, nd_dup_sketch *sk);

/* ---- word-rarity prior (prior.c) ------------------------------------------ */

/* Feature id -> q, the quantised log-frequency (frequency 10^(-q/20)) of
 * data/wordfreq/prior.bin: a word's name id, its stem's word and title
 * ids.  Open addressing, key 0 = empty; read-only once built. */
#define ND__PRIOR_VERSION 1
typedef struct nd__prior {
    const uint64_t *keys;
    const uint8_t *q;
    uint32_t cap, n;
} nd__prior;

/* Read a table (the bytes of data/wordfreq/prior.bin) into p.  0, or
 * ND_EFORMAT (bad magic, version, sizes, checksum or entry) / ND_ENOMEM
 * with err set, p then empty.  Caller owns p; free with nd__prior_free(). */
int nd__prior_parse(const void *data, size_t len, nd__prior *p, nd_error *err);
void nd__prior_free(nd__prior *p);
/* The checksum of a table's entries (FNV-1a 64; tools/gen_wordfreq.c writes
 * it). */
uint64_t nd__prior_checksum(const void *data, size_t n);

/* The map nd__prior_parse() builds, as bytes (native byte order; written at
 * build time by tools/gen_prior_map.c into the library, src/cluster/
 * prior_blob.c): "NDPM", u32 version (ND__PRIOR_MAP_VERSION), u32 cap,
 * u32 n, u64 the checksum field of the prior.bin it was built from, zeros
 * to ND__PRIOR_MAP_HEAD, then keys[cap] (u64) and q[cap] (u8). */
#define ND__PRIOR_MAP_VERSION 1
#define ND__PRIOR_MAP_HEAD    64
/* Write p as such bytes to b; source: the prior.bin p was parsed from. */
void nd__prior_map_write(nd_buf *b, const nd__prior *p, const void *source, size_t source_len);
/* Point p into map (64-byte aligned, borrowed: p lives as long as map),
 * made from source (the bytes of a prior.bin).  0, or ND_EFORMAT when map
 * is not such a map of that source; the header is checked, not the
 * slots: a map is only ever one the build wrote. */
int nd__prior_map_view(const void *map, size_t len, const void *source, size_t source_len,
                       nd__prior *p, nd_error *err);
/* The table compiled into the library: the map the build made of it, else
 * (a build without one) parsed on first use (thread-safe); NULL when it is
 * missing or damaged.  Borrowed: lives as long as the process. */
const nd__prior *nd__prior_get(void);

/* q of feature h, or -1 when the table does not list it. */
static inline int nd__prior_q(const nd__prior *p, uint64_t h)
{
    uint32_t j = (uint32_t) nd__mix64(h) & (p->cap - 1);
    while (p->keys[j]) {
        if (p->keys[j] == h) return p->q[j];
        j = (j + 1) & (p->cap - 1);
    }
    return -1;
}

/* ---- features computed apart from the engine (prep.c) ----------------------- */

/* A document's raw features and sketch, as nd__fx_doc() gives them, made
 * with the parameters whose nd__cluster_params_hash() is params. */
typedef struct nd__prep {
    uint64_t params;
    nd__feat *raw;
    uint32_t n_raw;
    nd_dup_sketch sk;
} nd__prep;

struct nd_cluster_prep {
    nd__prep p;
};

/* cluster.c: the parameters as an engine uses them, and their hash (the
 * bytes the saved state writes for them). */
void nd__cluster_sanitize(nd_cluster_params *p);
uint64_t nd__cluster_params_hash(const nd_cluster_params *p);
/* For the tests: the id of the first neighbour of recent document id (0:
 * none, or id not recent). */
int64_t nd__cluster_nearest(nd_cluster *c, int64_t id);

/* ---- duplicate index (dup.c) ----------------------------------------------- */

/* Internal form of the index: each entry carries a tag (the engine's story
 * id) that can be updated through the handle returned at insertion. */
int nd__dup_index_add(nd_dup_index *x, int64_t id, const nd_dup_sketch *sk, int64_t tag,
                      uint64_t *handle);
int nd__dup_index_find(const nd_dup_index *x, const nd_dup_sketch *sk, double min_jaccard,
                       int64_t *id, double *jaccard, int64_t *tag);
void nd__dup_index_set_tag(nd_dup_index *x, uint64_t handle, int64_t tag);
/* Replace every tag `from` by `to` (story merges). */
void nd__dup_index_retag(nd_dup_index *x, int64_t from, int64_t to);
size_t nd__dup_index_bytes(const nd_dup_index *x);
/* Serialise / restore (used by the engine's export and import). */
int nd__dup_index_export(const nd_dup_index *x, nd_buf *out);
nd_dup_index *nd__dup_index_import(const unsigned char **p, const unsigned char *end);

/* The state in pieces (nd_cluster_save / nd_cluster_load): kinds of items,
 * loaded in this order. */
enum {
    ND__IT_CORE = 0,     /* parameters, counters, clock, slots, forwarding, index heads */
    ND__IT_STORY = 1,    /* one story, by id */
    ND__IT_DFB = 2,      /* a block of document frequencies */
    ND__IT_DFD = 3,      /* changed document frequencies since the blocks, in key order */
    ND__IT_PGEN = 4,     /* a block of an inverted index's slots, read at once (items
                            saved before ND__IT_PGENL: the next save replaces them) */
    ND__IT_RING = 5,     /* one recent document with its vector, by ring slot (items
                            of version 1: the next save replaces them) */
    ND__IT_DUPH = 6,     /* the duplicate index's head */
    ND__IT_DUPE = 7,     /* its documents, a chunk of a generation */
    ND__IT_DUPT = 8,     /* their story tags */
    ND__IT_RECENT = 9,   /* one recent document, by ring slot, its vector apart
                            (ND__IT_VEC); items of version 1 were ND__IT_RING */
    ND__IT_PGD = 10,     /* slots of an inverted index changed since its blocks
                            were written, by index << 32 | a sequence number */
    ND__IT_RECENTC = 11, /* one recent document, by ring slot, its neighbours
                            compact (since items version 5; ND__IT_RECENT
                            before) */
    /* Loaded on demand (ND_CLUSTER_LAZY_KIND): */
    ND__IT_STORYC = 16, /* a story's centroid, by id */
    ND__IT_RAW = 17,    /* a recent document's raw features, by ring slot */
    ND__IT_DUPM = 18,   /* the sketches of a chunk of the duplicate index */
    ND__IT_PGENL = 19,  /* a block of an inverted index's slots, read when a probe
                           reaches it */
    ND__IT_VEC = 20,    /* a recent document's vector, by ring slot (with
                           ND__IT_RECENT) */
    ND__IT_VECR = 21,   /* or, since items version 3, as places in its raw
                           features (ND__IT_RAW) and the weights */
    ND__IT_PGENC = 22   /* a block of an inverted index's slots, each list up to
                           its last entry (since items version 4; ND__IT_PGENL
                           held every list whole) */
};

/* Where the items loaded on demand come from (nd_cluster_load). */
typedef struct nd__fetch {
    int (*fn)(void *ctx, uint32_t kind, uint64_t key, const void **data, size_t *len);
    void *ctx;
} nd__fetch;

/* A save in progress: the caller's sink and the bytes handed to it. */
typedef struct nd__sink {
    const nd_cluster_sink *s;
    size_t bytes;
} nd__sink;

/* dup.c: the duplicate index's items.  save: what changed since the last
 * save or load (everything with all); load: the head item makes the index,
 * then its entries and tags, then load_end checks and indexes them. */
int nd__dup_index_save(nd_dup_index *x, int all, nd__sink *k);
int nd__dup_index_load_head(nd_dup_index **out, const unsigned char *p, const unsigned char *e,
                            const nd__fetch *fetch);
/* Every sketch not loaded yet: 0 or ND_ENOMEM. */
int nd__dup_index_load_all(nd_dup_index *x);
int nd__dup_index_load_item(nd_dup_index *x, uint32_t kind, uint64_t key, const unsigned char *p,
                            const unsigned char *e);
int nd__dup_index_load_end(nd_dup_index *x);
/* Forget what was saved (the next save writes everything). */
void nd__dup_index_save_forget(nd_dup_index *x);

/* ---- binary state helpers (state.c) ---------------------------------------- */

/* The fields: base/pack.h (nd__put_u32 ... nd__get_f64). */
/* Hash-table layouts (capacity, count, then slot + entry in slot order). */
int nd__layout_head(const unsigned char **p, const unsigned char *end, uint32_t min_cap,
                    size_t entry_bytes, uint32_t *cap, uint32_t *n);
/* Read the slot of the next entry: below cap and past the previous one.
 * Inline: a load reads one per entry of an inverted index (143,000 calls
 * at 200,000 documents). */
static inline int nd__layout_slot(const unsigned char **p, const unsigned char *end, uint32_t cap,
                                  int64_t *prev, uint32_t *slot)
{
    if (nd__get_u32(p, end, slot) || *slot >= cap || (int64_t) *slot <= *prev) return ND_EFORMAT;
    *prev = *slot;
    return 0;
}
int nd__layout_check(const uint64_t *keys, uint32_t cap);

#endif
