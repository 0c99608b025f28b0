/* stories.c - the store's side of story clustering: every document gets a
 * story from the engine (newsdesk/cluster.h), the engine's changes to
 * earlier documents are applied, each story's row is kept up to date from
 * aggregates that change with each document, and the engine's state is
 * kept in the store between runs.  Also `recluster` and the story queries.
 *
 * Consistency: everything here runs inside the caller's transaction (the
 * ingest writer's batch), so a killed process leaves the store as of the
 * last commit.  Every committed document has its story, every story row
 * matches its documents, and the engine's state is the saved items plus
 * the log of what the engine was given since (cluster_log): the next run
 * loads the items and gives the engine the logged operations again, so it
 * goes on exactly where the last commit left (a kill changes no story).
 * The items are written when a run ends and every
 * ND_STORE_CLUSTER_SAVE_EVERY documents, only those that changed
 * (nd_cluster_save).  Without usable items (another engine, parameters or
 * format) the engine is rebuilt from the store's last window_docs
 * documents (nd_cluster_restore) and saved whole.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/imap.h"
#include "base/pack.h"
#include "store/store_int.h"

/* The statements a clusterer keeps: X(name, sql). */
#define CL_STMTS(X)                                                                                \
    X(PENDING, "SELECT id, title, text, published, site, host, fetched FROM documents"             \
               " WHERE id > ?1 AND story_id IS NULL ORDER BY id LIMIT 1")                          \
    X(DOC, "SELECT id, title, text, published, story_id, dup_of, site, host, fetched"              \
           " FROM documents WHERE id = ?1")                                                        \
    X(INFO, "SELECT title, site, host, published, fetched, dup_of FROM documents WHERE id = ?1")   \
    X(ASSIGN, "UPDATE documents SET story_id = ?2, dup_of = ?3 WHERE id = ?1")                     \
    X(MOVE, "UPDATE documents SET story_id = ?2 WHERE id = ?1")                                    \
    X(MERGE, "UPDATE documents SET story_id = ?2 WHERE story_id = ?1")                             \
    X(MEMBERS, "SELECT id, title, site, host, published, fetched, dup_of FROM documents"           \
               " WHERE story_id = ?1 ORDER BY id")                                                 \
    X(PUT_STORY, "INSERT OR REPLACE INTO stories(id, headline, rep_doc, first_seen, last_seen,"    \
                 " n_docs, n_dups, n_sites, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)") \
    X(DEL_STORY, "DELETE FROM stories WHERE id = ?1")                                              \
    X(GET_AGG, "SELECT a.state, t.id FROM stories t LEFT JOIN story_agg a ON a.story_id = t.id"    \
               " WHERE t.id = ?1")                                                                 \
    X(PUT_AGG, "INSERT OR REPLACE INTO story_agg(story_id, state) VALUES (?1, ?2)")                \
    X(DEL_AGG, "DELETE FROM story_agg WHERE story_id = ?1")                                        \
    X(LOG_MAX, "SELECT max(seq) FROM cluster_log")                                                 \
    X(LOG_ADD, "INSERT INTO cluster_log(seq, op, doc_id) VALUES (?1, ?2, ?3)")                     \
    X(LOG_READ, "SELECT seq, op, doc_id FROM cluster_log WHERE seq > ?1 ORDER BY seq")             \
    X(LOG_TRIM, "DELETE FROM cluster_log WHERE seq <= ?1")                                         \
    X(ITEM_PUT, "INSERT OR REPLACE INTO cluster_items(id, data) VALUES (?1, ?2)")                  \
    X(ITEM_DEL, "DELETE FROM cluster_items WHERE id = ?1")                                         \
    X(ITEMS, "SELECT id, data FROM cluster_items WHERE id < ?1 ORDER BY id")                       \
    X(ITEM_GET, "SELECT data FROM cluster_items WHERE id = ?1")                                    \
    X(SAVED_GET, "SELECT params, log_seq, unflushed FROM cluster_saved WHERE id = 1")              \
    X(SAVED_PUT, "INSERT OR REPLACE INTO cluster_saved(id, params, log_seq, unflushed, docs,"      \
                 " saved) VALUES (1, ?1, ?2, ?3, ?4, ?5)")

enum {
#define CL_ENUM(name, sql) CL_##name,
    CL_STMTS(CL_ENUM)
#undef CL_ENUM
        CL_COUNT_
};

static const char *const cl_sql[CL_COUNT_] = {
#define CL_SQL(name, sql) sql,
    CL_STMTS(CL_SQL)
#undef CL_SQL
};

enum { OP_ADD = 1, OP_FLUSH = 2 };

#define HL_K      8           /* headline candidates a story keeps */
#define TK_K      8           /* earliest and latest times a story keeps */
#define AGG_CACHE 4096        /* story aggregates kept in memory between commits */
#define AGG_MAGIC 0x31474741u /* "AGG1" */

/* ---- small maps: u64 -> i64 (base/imap.h); a value reaching 0 is removed ---------------- */

typedef nd__imap map;

/* (key 0 marks an empty slot: it is kept as 1) */
static uint64_t mkey(uint64_t k)
{
    return k ? k : 1;
}

static int64_t map_get(const map *m, uint64_t k)
{
    int64_t v = 0;
    nd__imap_get(m, mkey(k), &v);
    return v;
}

static void map_del(map *m, uint64_t k)
{
    nd__imap_del(m, mkey(k));
}

/* Add d to the value of k (inserting it); a value reaching 0 is removed. */
static int map_add(map *m, uint64_t k, int64_t d)
{
    int64_t v = map_get(m, k) + d;
    if (v) return nd__imap_put(m, mkey(k), v);
    map_del(m, k);
    return 0;
}

/* ---- story aggregates -------------------------------------------------------------------- */

/* A title among the headline candidates. */
typedef struct cand {
    int64_t doc;
    uint32_t n; /* words */
    uint64_t w[ND__TITLE_WORDS];
    char *title;
} cand;

/* A document's time, at one end of its story's. */
typedef struct tent {
    int64_t doc;
    char t[32];
} tent;

/* What a story's row is written from.  Counts change with each document;
 * sites are counted per site; the headline is the candidate whose title's
 * words overlap most with all the story's titles (words: each title's
 * words weighted 1/sqrt(its word count), summed; see pick()); the first and
 * last seen times are the ends of the TK_K earliest and latest documents
 * kept (lo ascending, hi descending), which hold the true extremes while
 * they are not empty (n_timed documents have a time). */
typedef struct agg {
    int64_t id;
    uint64_t n_docs, n_dups, n_timed, n_titled;
    map sites;
    map words; /* word hash -> summed weight (16.16 fixed point) */
    cand c[HL_K + 1];
    uint32_t n_cand;
    tent lo[TK_K + 1], hi[TK_K + 1];
    uint32_t n_lo, n_hi;
    int dirty;
} agg;

static void agg_free(agg *a)
{
    if (!a) return;
    nd__imap_free(&a->sites);
    nd__imap_free(&a->words);
    for (uint32_t i = 0; i < a->n_cand; i++) nd_free(a->c[i].title);
    nd_free(a);
}

/* The weight of each word of a title of n words: 1/sqrt(n), 16.16. */
static int64_t title_weight(uint32_t n)
{
    return n ? (int64_t) llround(65536.0 / sqrt((double) n)) : 0;
}

/* The summed set cosine of a title with the story's other titles:
 * sum over its words of (their weight over all titles - its own), times
 * its own weight. */
static double cand_score(const agg *a, const cand *c)
{
    int64_t inv = title_weight(c->n), sum = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        sum += map_get(&a->words, c->w[i]) - inv;
    }
    return (double) sum * (double) inv;
}

/* Candidates best first: score, then the earliest document. */
static void cand_sort(agg *a)
{
    double sc[HL_K + 1];
    for (uint32_t i = 0; i < a->n_cand; i++) sc[i] = cand_score(a, &a->c[i]);
    for (uint32_t i = 1; i < a->n_cand; i++) {
        cand x = a->c[i];
        double s = sc[i];
        uint32_t j = i;
        while (j > 0 &&
               (sc[j - 1] < s - 1e-9 || (fabs(sc[j - 1] - s) <= 1e-9 && a->c[j - 1].doc > x.doc))) {
            a->c[j] = a->c[j - 1];
            sc[j] = sc[j - 1];
            j--;
        }
        a->c[j] = x;
        sc[j] = s;
    }
    while (a->n_cand > HL_K) nd_free(a->c[--a->n_cand].title);
}

static int tent_before(const tent *x, const tent *y)
{
    int c = strcmp(x->t, y->t);
    return c < 0 || (c == 0 && x->doc < y->doc);
}

/* Put e into the TK_K-list l (ascending by less, or descending). */
static void tk_add(tent *l, uint32_t *n, const tent *e, int descending)
{
    uint32_t i = *n;
    while (i > 0 && (descending ? tent_before(&l[i - 1], e) : tent_before(e, &l[i - 1]))) {
        l[i] = l[i - 1];
        i--;
    }
    if (i >= TK_K) return;
    l[i] = *e;
    if (*n < TK_K) (*n)++;
}

static void tk_del(tent *l, uint32_t *n, int64_t doc)
{
    for (uint32_t i = 0; i < *n; i++)
        if (l[i].doc == doc) {
            memmove(l + i, l + i + 1, (*n - i - 1) * sizeof *l);
            (*n)--;
            return;
        }
}

/* Merge list b into a keeping what is sure to be the true ends of the
 * union: a list that holds fewer than its story's timed documents only
 * vouches for times up to its last. */
static void tk_merge(tent *a, uint32_t *na, uint64_t ta, const tent *b, uint32_t nb, uint64_t tb,
                     int descending)
{
    const tent *bound = NULL;
    if (*na < ta && *na) bound = &a[*na - 1];
    if (nb < tb && nb) {
        const tent *x = &b[nb - 1];
        if (!bound || (descending ? tent_before(bound, x) : tent_before(x, bound))) bound = x;
    }
    int a_lost = *na < ta && !*na, b_lost = nb < tb && !nb;
    tent tmp[2 * TK_K + 2];
    uint32_t n = 0;
    for (uint32_t i = 0; i < *na; i++) tmp[n++] = a[i];
    uint32_t m = 0;
    tent out[TK_K + 1];
    for (uint32_t i = 0; i < nb; i++) tmp[n++] = b[i];
    for (uint32_t i = 0; i < n; i++) tk_add(out, &m, &tmp[i], descending);
    if (a_lost || b_lost) m = 0;
    if (bound)
        while (m > 0 &&
               (descending ? tent_before(&out[m - 1], bound) : tent_before(bound, &out[m - 1])))
            m--;
    memcpy(a, out, m * sizeof *out);
    *na = m;
}

/* Words of a title for the headline choice: lowercase ASCII letters and
 * digits (bytes >= 0x80 taken as letters), at least 3 bytes, a few
 * function words left out; hashed, each once. */
static uint32_t title_words(const char *t, uint64_t *out, uint32_t cap)
{
    static const char *const stop[] = {"the",  "and",  "for",  "with", "from", "that", "this",
                                       "are",  "was",  "has",  "have", "its",  "into", "after",
                                       "over", "says", "said", "will", "new",  "not",  "but"};
    uint32_t n = 0;
    const unsigned char *p = (const unsigned char *) (t ? t : "");
    while (*p && n < cap) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                       (*p >= '0' && *p <= '9') || *p >= 0x80))
            p++;
        char w[64];
        size_t k = 0;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
               *p >= 0x80) {
            if (k < sizeof w) w[k++] = (char) ((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
            p++;
        }
        if (k < 3) continue;
        int is_stop = 0;
        for (size_t i = 0; i < sizeof stop / sizeof *stop && !is_stop; i++)
            is_stop = strlen(stop[i]) == k && !memcmp(stop[i], w, k);
        if (is_stop) continue;
        uint64_t h = nd_hash64(w, k);
        int seen = 0;
        for (uint32_t i = 0; i < n && !seen; i++) seen = out[i] == h;
        if (!seen) out[n++] = h;
    }
    return n;
}

void nd__store_doc_info(nd__docinfo *out, const char *title, const char *site, const char *host,
                        const char *published, const char *fetched)
{
    memset(out, 0, sizeof *out);
    const char *s = site && *site ? site : host && *host ? host : NULL;
    if (s) {
        /* distinct outlets: ASCII case folded */
        char low[256];
        size_t k = 0;
        for (; s[k] && k < sizeof low; k++)
            low[k] = (char) ((s[k] >= 'A' && s[k] <= 'Z') ? s[k] + 32 : s[k]);
        out->site = nd_hash64(low, k);
    }
    out->time = published && *published ? published : fetched && *fetched ? fetched : NULL;
    out->title = title && *title ? title : NULL;
    if (out->title) out->n_words = title_words(out->title, out->words, ND__TITLE_WORDS);
}

/* Add (sign 1) or take away (sign -1) document doc. */
static int agg_doc(agg *a, int64_t doc, const nd__docinfo *d, int dup, int sign)
{
    a->dirty = 1;
    a->n_docs += sign;
    if (dup) a->n_dups += sign;
    if (d->site && map_add(&a->sites, d->site, sign)) return ND_ENOMEM;
    if (d->time) {
        a->n_timed += sign;
        if (sign > 0) {
            tent e;
            e.doc = doc;
            snprintf(e.t, sizeof e.t, "%s", d->time);
            tk_add(a->lo, &a->n_lo, &e, 0);
            tk_add(a->hi, &a->n_hi, &e, 1);
        } else {
            tk_del(a->lo, &a->n_lo, doc);
            tk_del(a->hi, &a->n_hi, doc);
        }
    }
    if (!d->title) return 0;
    a->n_titled += sign;
    int64_t inv = title_weight(d->n_words);
    for (uint32_t i = 0; i < d->n_words; i++)
        if (map_add(&a->words, d->words[i], sign * inv)) return ND_ENOMEM;
    if (sign > 0) {
        cand *c = &a->c[a->n_cand];
        c->title = nd_strndup(d->title, strlen(d->title));
        if (!c->title) return ND_ENOMEM;
        c->doc = doc;
        c->n = d->n_words;
        memcpy(c->w, d->words, d->n_words * sizeof *c->w);
        a->n_cand++;
    } else {
        for (uint32_t i = 0; i < a->n_cand; i++)
            if (a->c[i].doc == doc) {
                nd_free(a->c[i].title);
                memmove(a->c + i, a->c + i + 1, (a->n_cand - i - 1) * sizeof *a->c);
                a->n_cand--;
                break;
            }
    }
    cand_sort(a);
    return 0;
}

/* Story b joins story a. */
static int agg_merge(agg *a, agg *b)
{
    a->dirty = 1;
    tk_merge(a->lo, &a->n_lo, a->n_timed, b->lo, b->n_lo, b->n_timed, 0);
    tk_merge(a->hi, &a->n_hi, a->n_timed, b->hi, b->n_hi, b->n_timed, 1);
    a->n_docs += b->n_docs;
    a->n_dups += b->n_dups;
    a->n_timed += b->n_timed;
    a->n_titled += b->n_titled;
    for (uint32_t i = 0; i < b->sites.cap; i++)
        if (b->sites.keys[i] && map_add(&a->sites, b->sites.keys[i], b->sites.vals[i]))
            return ND_ENOMEM;
    for (uint32_t i = 0; i < b->words.cap; i++)
        if (b->words.keys[i] && map_add(&a->words, b->words.keys[i], b->words.vals[i]))
            return ND_ENOMEM;
    for (uint32_t i = 0; i < b->n_cand; i++) {
        a->c[a->n_cand] = b->c[i];
        b->c[i].title = NULL;
        a->n_cand++;
        cand_sort(a);
    }
    b->n_cand = 0;
    cand_sort(a);
    return 0;
}

/* ---- aggregates as bytes ---- */

static int u64_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *) x, b = *(const uint64_t *) y;
    return (a > b) - (a < b);
}

/* A map's entries sorted by key (the same bytes whatever its layout). */
static void put_map(nd_buf *b, const map *m)
{
    nd__put_u32(b, m->n);
    uint64_t *keys = nd_malloc((size_t) (m->n ? m->n : 1) * sizeof *keys);
    if (!keys) {
        nd_buf_append(b, NULL, (size_t) -1); /* fails the buffer */
        return;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->keys[i]) keys[k++] = m->keys[i];
    qsort(keys, k, sizeof *keys, u64_cmp);
    for (uint32_t i = 0; i < k; i++) {
        nd__put_u64(b, keys[i]);
        nd__put_u64(b, (uint64_t) map_get(m, keys[i]));
    }
    nd_free(keys);
}

static int get_map(const unsigned char **p, const unsigned char *e, map *m)
{
    uint32_t n;
    if (nd__get_u32(p, e, &n) || (size_t) (e - *p) / 16 < n) return ND_EFORMAT;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t k, v;
        if (nd__get_u64(p, e, &k) || nd__get_u64(p, e, &v) || !k || !v) return ND_EFORMAT;
        if (map_add(m, k, (int64_t) v)) return ND_ENOMEM;
    }
    return 0;
}

static void put_tents(nd_buf *b, const tent *l, uint32_t n)
{
    nd__put_u32(b, n);
    for (uint32_t i = 0; i < n; i++) {
        nd__put_u64(b, (uint64_t) l[i].doc);
        size_t len = strlen(l[i].t);
        nd__put_u32(b, (uint32_t) len);
        nd_buf_append(b, l[i].t, len);
    }
}

static int get_tents(const unsigned char **p, const unsigned char *e, tent *l, uint32_t *n)
{
    if (nd__get_u32(p, e, n) || *n > TK_K) return ND_EFORMAT;
    for (uint32_t i = 0; i < *n; i++) {
        uint64_t doc;
        uint32_t len;
        if (nd__get_u64(p, e, &doc) || nd__get_u32(p, e, &len) || len >= sizeof l[i].t ||
            (size_t) (e - *p) < len)
            return ND_EFORMAT;
        l[i].doc = (int64_t) doc;
        memcpy(l[i].t, *p, len);
        l[i].t[len] = 0;
        *p += len;
    }
    return 0;
}

static void agg_put(nd_buf *b, const agg *a)
{
    nd__put_u32(b, AGG_MAGIC);
    nd__put_u64(b, a->n_docs);
    nd__put_u64(b, a->n_dups);
    nd__put_u64(b, a->n_timed);
    nd__put_u64(b, a->n_titled);
    put_map(b, &a->sites);
    put_map(b, &a->words);
    nd__put_u32(b, a->n_cand);
    for (uint32_t i = 0; i < a->n_cand; i++) {
        const cand *c = &a->c[i];
        nd__put_u64(b, (uint64_t) c->doc);
        nd__put_u32(b, c->n);
        for (uint32_t k = 0; k < c->n; k++) nd__put_u64(b, c->w[k]);
        size_t len = strlen(c->title);
        nd__put_u32(b, (uint32_t) len);
        nd_buf_append(b, c->title, len);
    }
    put_tents(b, a->lo, a->n_lo);
    put_tents(b, a->hi, a->n_hi);
}

static int agg_get(agg *a, const unsigned char *p, const unsigned char *e)
{
    uint32_t magic;
    int rc;
    if (nd__get_u32(&p, e, &magic) || magic != AGG_MAGIC || nd__get_u64(&p, e, &a->n_docs) ||
        nd__get_u64(&p, e, &a->n_dups) || nd__get_u64(&p, e, &a->n_timed) ||
        nd__get_u64(&p, e, &a->n_titled))
        return ND_EFORMAT;
    if ((rc = get_map(&p, e, &a->sites)) || (rc = get_map(&p, e, &a->words))) return rc;
    if (nd__get_u32(&p, e, &a->n_cand) || a->n_cand > HL_K) return ND_EFORMAT;
    for (uint32_t i = 0; i < a->n_cand; i++) {
        cand *c = &a->c[i];
        uint64_t doc;
        uint32_t len;
        if (nd__get_u64(&p, e, &doc) || nd__get_u32(&p, e, &c->n) || c->n > ND__TITLE_WORDS) {
            a->n_cand = i;
            return ND_EFORMAT;
        }
        c->doc = (int64_t) doc;
        for (uint32_t k = 0; k < c->n; k++)
            if (nd__get_u64(&p, e, &c->w[k])) {
                a->n_cand = i;
                return ND_EFORMAT;
            }
        if (nd__get_u32(&p, e, &len) || (size_t) (e - p) < len ||
            !(c->title = nd_strndup((const char *) p, len))) {
            a->n_cand = i;
            return ND_EFORMAT;
        }
        p += len;
    }
    if (get_tents(&p, e, a->lo, &a->n_lo) || get_tents(&p, e, a->hi, &a->n_hi) || p != e)
        return ND_EFORMAT;
    return 0;
}

/* ---- the clusterer ----------------------------------------------------------------------- */

/* What a page changed in memory, to undo when its savepoint is rolled back. */
typedef struct undo {
    int64_t story;
    agg *before; /* a copy of the aggregate before, or NULL: it was not in memory */
} undo;

struct nd_store_clusterer {
    nd_store *s;
    nd_cluster *eng;
    nd_cluster_fx *fx; /* reads documents that come without their features */
    nd_cluster_params p;
    uint64_t fingerprint; /* of the parameters (see fingerprint()) */
    int64_t last_id;      /* the pending scan goes on after this id */
    int64_t max_seen;     /* the largest document id the engine holds */
    int64_t log_seq;      /* the last logged operation the engine was given */
    int64_t saved_seq;    /* cluster_saved.log_seq of the items the engine came from */
    uint64_t since_save;  /* operations since the items were saved */
    uint64_t unflushed;   /* documents given to the engine since its last flush */
    int save_all;         /* the items must be written whole */
    int no_save;          /* the engine holds what the store does not: log only */
    int checked;          /* the log was checked for other writers since the last sync */
    int defer_save;       /* save only at finish (recluster) */
    int finished;         /* nd_store_cluster_finish() ran: stats count the stories */
    int threads;          /* threads a re-examination may compute on (set_threads) */
    map aggs;             /* story id -> agg * */
    int64_t *dirty;       /* stories whose row must be written */
    size_t n_dirty, cap_dirty;
    int in_page; /* between nd__store_cluster_begin_page and _end_page */
    undo *undo;
    size_t n_undo, cap_undo;
    int64_t page_log_seq;
    uint64_t page_since_save;
    nd_store_cluster_stats st;
    sqlite3_stmt *stmt[CL_COUNT_];
};

/* ---- helpers ---------------------------------------------------------------------------- */

static sqlite3_stmt *stmt(nd_store_clusterer *c, int which, nd_error *err)
{
    sqlite3_stmt *st = c->stmt[which];
    if (!st) {
        if (sqlite3_prepare_v3(c->s->db, cl_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                               &c->stmt[which], NULL) != SQLITE_OK) {
            nd__store_fail(c->s, "cannot prepare a statement", err);
            return NULL;
        }
        return c->stmt[which];
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

/* Run a prepared statement that returns no rows. */
static int step_done(nd_store_clusterer *c, sqlite3_stmt *st, const char *what, nd_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return nd__store_fail(c->s, what, err);
    return 0;
}

/* One integer from a query with at most one parameter (0 when NULL or no row). */
static int query_int(nd_store *s, const char *sql, int64_t arg, int64_t *out, nd_error *err)
{
    sqlite3_stmt *st;
    *out = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot read stories", err);
    if (sqlite3_bind_parameter_count(st) > 0) sqlite3_bind_int64(st, 1, arg);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return nd__store_fail(s, "cannot read stories", err);
    return 0;
}

static int oom(nd_error *err)
{
    return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
}

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

int64_t nd__store_time_value(const char *s)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (!s || strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
        s[7] != '-' || digits(s + 8, 2, &d))
        return ND_TIME_NONE;
    if (s[10] == 'T' && strlen(s) >= 19 &&
        (digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se)))
        h = mi = se = 0;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    return (int64_t) timegm(&tm);
}

/* What the saved state is keyed by: the state a new engine with these
 * parameters saves (parameters and format version, no documents).  A
 * different value means other parameters or another engine version. */
static int fingerprint(const nd_cluster_params *p, uint64_t *out, nd_error *err)
{
    nd_cluster *e = nd_cluster_new(p, err);
    if (!e) return err && err->code ? err->code : ND_ENOMEM;
    nd_buf b = ND_BUF_INIT;
    int rc = nd_cluster_export(e, &b);
    nd_cluster_free(e);
    if (rc || nd_buf_failed(&b)) {
        nd_buf_free(&b);
        return oom(err);
    }
    *out = nd_hash64(b.ptr, b.len);
    nd_buf_free(&b);
    return 0;
}

/* Append x to a growing array.  0 or ND_ENOMEM (the array as it was). */
static int push_i64(int64_t **v, size_t *n, size_t *cap, int64_t x)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        int64_t *g = nd_realloc(*v, nc * sizeof *g);
        if (!g) return ND_ENOMEM;
        *v = g;
        *cap = nc;
    }
    (*v)[(*n)++] = x;
    return 0;
}

static int mark_dirty(nd_store_clusterer *c, int64_t story, nd_error *err)
{
    return push_i64(&c->dirty, &c->n_dirty, &c->cap_dirty, story) ? oom(err) : 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

/* ---- aggregates in memory ---------------------------------------------------------------- */

static agg *cached(nd_store_clusterer *c, int64_t story)
{
    return (agg *) (intptr_t) map_get(&c->aggs, (uint64_t) story);
}

static void drop_aggs(nd_store_clusterer *c, int keep_dirty)
{
    map keep = {0};
    for (uint32_t i = 0; i < c->aggs.cap; i++) {
        if (!c->aggs.keys[i]) continue;
        agg *a = (agg *) (intptr_t) c->aggs.vals[i];
        if (keep_dirty && a->dirty) {
            if (map_add(&keep, (uint64_t) a->id, (int64_t) (intptr_t) a) == 0) continue;
        }
        agg_free(a);
    }
    nd__imap_free(&c->aggs);
    c->aggs = keep;
}

/* A copy of a, its maps and titles its own; NULL when out of memory. */
static agg *agg_clone(const agg *a)
{
    agg *b = nd_malloc(sizeof *b);
    if (!b) return NULL;
    *b = *a;
    for (uint32_t i = 0; i < b->n_cand; i++) b->c[i].title = NULL;
    int rc = nd__imap_copy(&b->sites, &a->sites);
    if (rc) b->words = (map){0};
    if (!rc) rc = nd__imap_copy(&b->words, &a->words);
    for (uint32_t i = 0; !rc && i < b->n_cand; i++)
        if (!(b->c[i].title = nd_strndup(a->c[i].title, strlen(a->c[i].title)))) rc = ND_ENOMEM;
    if (rc) {
        agg_free(b);
        return NULL;
    }
    return b;
}

/* Remember how story was before this page touches it: a copy of its
 * aggregate in memory.  It was its serialisation (agg_put, which sorts
 * each map), whose cost grew with the story: 100,000 pages into the
 * 1,143,246-document twin of issue 13, whose largest story has 12,077
 * documents and aggregates of up to 110 KB, spent 3.4% of the writer's
 * CPU there, half of it in the sort. */
static int page_undo(nd_store_clusterer *c, int64_t story, const agg *a, nd_error *err)
{
    if (!c->in_page) return 0;
    for (size_t i = 0; i < c->n_undo; i++)
        if (c->undo[i].story == story) return 0;
    if (c->n_undo == c->cap_undo) {
        size_t nc = c->cap_undo ? c->cap_undo * 2 : 16;
        undo *u = nd_realloc(c->undo, nc * sizeof *u);
        if (!u) return oom(err);
        c->undo = u;
        c->cap_undo = nc;
    }
    undo *u = &c->undo[c->n_undo];
    memset(u, 0, sizeof *u);
    u->story = story;
    if (a && !(u->before = agg_clone(a))) return oom(err);
    c->n_undo++;
    return 0;
}

/* The rebuild of a story's aggregates from its documents (stores of
 * before them, or when a kept list ran out). */
static int agg_rebuild(nd_store_clusterer *c, agg *a, nd_error *err)
{
    int64_t id = a->id;
    nd__imap_free(&a->sites);
    nd__imap_free(&a->words);
    for (uint32_t i = 0; i < a->n_cand; i++) nd_free(a->c[i].title);
    memset(a, 0, sizeof *a);
    a->id = id;
    sqlite3_stmt *st = stmt(c, CL_MEMBERS, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, id);
    int sr, rc = 0;
    while (!rc && (sr = sqlite3_step(st)) == SQLITE_ROW) {
        nd__docinfo d;
        nd__store_doc_info(
            &d, (const char *) sqlite3_column_text(st, 1),
            (const char *) sqlite3_column_text(st, 2), (const char *) sqlite3_column_text(st, 3),
            (const char *) sqlite3_column_text(st, 4), (const char *) sqlite3_column_text(st, 5));
        if (agg_doc(a, sqlite3_column_int64(st, 0), &d, sqlite3_column_type(st, 6) != SQLITE_NULL,
                    1))
            rc = oom(err);
    }
    if (!rc && sr != SQLITE_DONE) rc = nd__store_fail(c->s, "cannot read a story", err);
    sqlite3_reset(st);
    c->st.rebuilt++;
    return rc;
}

/* Story `story`'s aggregates, in memory from now on (the caller will
 * change them).  Read before the rows of the documents that join or leave
 * change: a story stored before aggregates is rebuilt from its rows. */
static int agg_of(nd_store_clusterer *c, int64_t story, agg **out, nd_error *err)
{
    agg *a = cached(c, story);
    if (a) {
        *out = a;
        return page_undo(c, story, a, err);
    }
    int rc = page_undo(c, story, NULL, err);
    if (rc) return rc;
    a = nd_calloc(1, sizeof *a);
    if (!a) return oom(err);
    a->id = story;
    sqlite3_stmt *st = stmt(c, CL_GET_AGG, err);
    if (!st) {
        agg_free(a);
        return ND_EDB;
    }
    sqlite3_bind_int64(st, 1, story);
    int sr = sqlite3_step(st);
    if (sr == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        const unsigned char *p = sqlite3_column_blob(st, 0);
        rc = agg_get(a, p, p + sqlite3_column_bytes(st, 0));
        if (rc == ND_EFORMAT) rc = 1; /* rebuilt below */
    } else if (sr == SQLITE_ROW) {
        rc = 1; /* a story stored before aggregates: from its documents */
    } else if (sr == SQLITE_DONE) {
        rc = 0; /* a new story */
    } else {
        rc = nd__store_fail(c->s, "cannot read a story", err);
    }
    sqlite3_reset(st);
    if (rc == 1) rc = agg_rebuild(c, a, err);
    if (!rc && map_add(&c->aggs, (uint64_t) story, (int64_t) (intptr_t) a)) rc = oom(err);
    if (rc) {
        agg_free(a);
        return rc == ND_ENOMEM ? oom(err) : rc;
    }
    *out = a;
    return 0;
}

static int agg_changed(nd_store_clusterer *c, agg *a, nd_error *err)
{
    if (a->dirty == 2) return 0;
    a->dirty = 2; /* listed */
    return mark_dirty(c, a->id, err);
}

/* The end of a list kept ran out while the story still has such
 * documents: read them again (rare: TK_K or HL_K of them moved away). */
static int agg_check(nd_store_clusterer *c, agg *a, nd_error *err)
{
    if (a->n_docs && ((a->n_timed && (!a->n_lo || !a->n_hi)) || (a->n_titled && !a->n_cand)))
        return agg_rebuild(c, a, err);
    return 0;
}

/* Document doc joins (sign 1) or leaves (-1) story. */
static int story_doc(nd_store_clusterer *c, int64_t story, int64_t doc, const nd__docinfo *d,
                     int dup, int sign, nd_error *err)
{
    agg *a;
    int rc = agg_of(c, story, &a, err);
    if (rc) return rc;
    if (agg_doc(a, doc, d, dup, sign)) return oom(err);
    if (sign < 0 && (rc = agg_check(c, a, err))) return rc;
    return agg_changed(c, a, err);
}

/* What the story rows need of a stored document, and whether it is a
 * duplicate. */
static int doc_info(nd_store_clusterer *c, int64_t doc, nd__docinfo *d, char *title, size_t cap,
                    char times[2][32], int *dup, nd_error *err)
{
    sqlite3_stmt *st = stmt(c, CL_INFO, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, doc);
    int sr = sqlite3_step(st);
    if (sr != SQLITE_ROW) {
        sqlite3_reset(st);
        return sr == SQLITE_DONE ? ND_ENOTFOUND
                                 : nd__store_fail(c->s, "cannot read a document", err);
    }
    const char *t = (const char *) sqlite3_column_text(st, 0);
    snprintf(title, cap, "%s", t ? t : "");
    const char *pub = (const char *) sqlite3_column_text(st, 3);
    const char *fet = (const char *) sqlite3_column_text(st, 4);
    snprintf(times[0], 32, "%s", pub ? pub : "");
    snprintf(times[1], 32, "%s", fet ? fet : "");
    nd__store_doc_info(d, title, (const char *) sqlite3_column_text(st, 1),
                       (const char *) sqlite3_column_text(st, 2), times[0], times[1]);
    *dup = sqlite3_column_type(st, 5) != SQLITE_NULL;
    sqlite3_reset(st);
    return 0;
}

/* ---- the log ------------------------------------------------------------------------------ */

static int log_op(nd_store_clusterer *c, int op, int64_t doc, nd_error *err)
{
    sqlite3_stmt *st = stmt(c, CL_LOG_ADD, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, c->log_seq + 1);
    sqlite3_bind_int(st, 2, op);
    if (doc) sqlite3_bind_int64(st, 3, doc);
    int rc = step_done(c, st, "cannot log a clustering step", err);
    if (!rc) {
        c->log_seq++;
        c->since_save++;
        c->unflushed = op == OP_FLUSH ? 0 : c->unflushed + 1;
    }
    return rc;
}

static int log_max(nd_store_clusterer *c, int64_t *seq, nd_error *err)
{
    sqlite3_stmt *st = stmt(c, CL_LOG_MAX, err);
    if (!st) return ND_EDB;
    int sr = sqlite3_step(st);
    *seq = sr == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (sr != SQLITE_ROW && sr != SQLITE_DONE)
        return nd__store_fail(c->s, "cannot read the log", err);
    return 0;
}

/* Give the engine a stored document again (its decision is already in
 * the store).  ND_ENOTFOUND when the document is gone. */
static int replay_doc(nd_store_clusterer *c, int64_t doc, nd_error *err)
{
    sqlite3_stmt *st = stmt(c, CL_DOC, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, doc);
    int sr = sqlite3_step(st), rc = 0;
    if (sr == SQLITE_ROW) {
        nd_cluster_doc d;
        d.id = doc;
        d.title = (const char *) sqlite3_column_text(st, 1);
        d.title_len = (size_t) sqlite3_column_bytes(st, 1);
        d.text = (const char *) sqlite3_column_text(st, 2);
        d.text_len = (size_t) sqlite3_column_bytes(st, 2);
        d.published = nd__store_time_value((const char *) sqlite3_column_text(st, 3));
        nd_cluster_result r;
        rc = nd_cluster_add(c->eng, &d, &r);
        if (rc == ND_ENOMEM)
            rc = oom(err);
        else
            rc = 0;
        if (doc > c->max_seen) c->max_seen = doc;
    } else {
        rc = sr == SQLITE_DONE ? ND_ENOTFOUND : nd__store_fail(c->s, "cannot read a document", err);
    }
    sqlite3_reset(st);
    return rc;
}

/* Give the engine the logged operations after seq `after` (up to `upto`,
 * 0: all). */
static int replay(nd_store_clusterer *c, int64_t after, int64_t upto, nd_error *err)
{
    /* The log is read first: the statement that reads documents must not
     * run while another is stepping through the same prepared slot. */
    int64_t *ops = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st = stmt(c, CL_LOG_READ, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, after);
    int sr, rc = 0;
    while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        if (upto && seq > upto) break;
        if (push_i64(&ops, &n, &cap, seq) ||
            push_i64(&ops, &n, &cap, sqlite3_column_int64(st, 1)) ||
            push_i64(&ops, &n, &cap, sqlite3_column_int64(st, 2))) {
            rc = oom(err);
            break;
        }
    }
    if (!rc && sr != SQLITE_ROW && sr != SQLITE_DONE)
        rc = nd__store_fail(c->s, "cannot read the log", err);
    sqlite3_reset(st);
    for (size_t i = 0; i + 2 < n && !rc; i += 3) {
        if (ops[i + 1] == OP_ADD) {
            rc = replay_doc(c, ops[i + 2], err);
            c->unflushed++;
        } else if (ops[i + 1] == OP_FLUSH) {
            nd_cluster_result r;
            if (nd_cluster_flush(c->eng, &r) == ND_ENOMEM) rc = oom(err);
            c->unflushed = 0;
        }
        if (!rc) {
            c->log_seq = ops[i];
            c->st.replayed++;
            c->since_save++;
        }
    }
    nd_free(ops);
    return rc;
}

static int load_state(nd_store_clusterer *c, nd_error *err);
static int restore_state(nd_store_clusterer *c, nd_error *err);

/* Another writer appended to the log since we last looked (two ingests at
 * once): give our engine its operations, and forget the story aggregates
 * we hold (it changed stories).  Once per transaction: nobody else writes
 * while it is open. */
static int catch_up(nd_store_clusterer *c, nd_error *err)
{
    if (c->checked) return 0;
    int64_t seq;
    int rc = log_max(c, &seq, err);
    if (rc) return rc;
    c->checked = 1;
    if (seq <= c->log_seq) return 0;
    drop_aggs(c, 1);
    /* It saved the items since ours were loaded: what ours has not read
     * yet may be its now.  Load its engine, which has seen everything. */
    sqlite3_stmt *st = stmt(c, CL_SAVED_GET, err);
    if (!st) return ND_EDB;
    int sr = sqlite3_step(st);
    int64_t saved = sr == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    if (sr == SQLITE_ROW && saved != c->saved_seq) {
        nd_cluster_free(c->eng);
        c->eng = NULL;
        c->save_all = 0;
        rc = load_state(c, err);
        if (rc == 1) return 0;
        /* not usable: the engine is rebuilt from the store and saved whole */
        if (rc == 0 && (rc = restore_state(c, err)) == 0) {
            c->save_all = 1;
            rc = log_max(c, &c->log_seq, err);
        }
        return rc;
    }
    return replay(c, c->log_seq, seq, err);
}

/* ---- applying the engine's answers ------------------------------------------------------- */

static int apply_changes(nd_store_clusterer *c, const nd_cluster_result *r, nd_error *err)
{
    for (size_t i = 0; i < r->n_changes; i++) {
        const nd_cluster_change *ch = &r->changes[i];
        sqlite3_stmt *st;
        int rc;
        if (ch->kind == ND_CLUSTER_MOVE) {
            nd__docinfo d;
            char title[1024], times[2][32];
            int dup = 0;
            agg *from, *to;
            rc = doc_info(c, ch->doc, &d, title, sizeof title, times, &dup, err);
            if (rc == ND_ENOTFOUND) continue; /* not stored (a failed page): nothing to move */
            if (!rc) rc = agg_of(c, ch->from, &from, err);
            if (!rc) rc = agg_of(c, ch->to, &to, err);
            if (!rc && !(st = stmt(c, CL_MOVE, err))) rc = ND_EDB;
            if (!rc) {
                sqlite3_bind_int64(st, 1, ch->doc);
                sqlite3_bind_int64(st, 2, ch->to);
                rc = step_done(c, st, "cannot move a document to another story", err);
            }
            if (!rc) rc = story_doc(c, ch->from, ch->doc, &d, dup, -1, err);
            if (!rc) rc = story_doc(c, ch->to, ch->doc, &d, dup, 1, err);
            c->st.moves++;
        } else if (ch->kind == ND_CLUSTER_MERGE) {
            agg *to, *from;
            rc = agg_of(c, ch->to, &to, err);
            if (!rc) rc = agg_of(c, ch->from, &from, err);
            if (rc) return rc;
            if (!(st = stmt(c, CL_MERGE, err))) return ND_EDB;
            sqlite3_bind_int64(st, 1, ch->from);
            sqlite3_bind_int64(st, 2, ch->to);
            rc = step_done(c, st, "cannot merge stories", err);
            if (!rc && agg_merge(to, from)) rc = oom(err);
            if (!rc) {
                /* what is left of `from` is an empty story: deleted at sync */
                from->n_docs = from->n_dups = from->n_timed = from->n_titled = 0;
                nd__imap_free(&from->sites);
                nd__imap_free(&from->words);
                from->n_lo = from->n_hi = 0;
                from->dirty = 1;
                rc = agg_changed(c, from, err);
            }
            if (!rc) rc = agg_check(c, to, err);
            if (!rc) rc = agg_changed(c, to, err);
            c->st.merges++;
        } else {
            continue;
        }
        if (rc) return rc;
    }
    return 0;
}

/* The engine's decision on a new document: *story 0 when it refused it. */
static int decide(nd_store_clusterer *c, int64_t id, const nd_cluster_prep *prep, const char *title,
                  const char *text, size_t text_len, int64_t published, nd_cluster_result *r,
                  nd_error *err)
{
    nd_cluster_doc d = {id, title, title ? strlen(title) : 0, text, text_len, published};
    int rc = prep ? nd_cluster_add_prepared(c->eng, &d, prep, r) : ND_EINVAL;
    if (rc == ND_EINVAL) rc = nd_cluster_add(c->eng, &d, r); /* not prepared, or for others */
    if (rc) {
        /* The engine refused it (out of memory): it stays unclustered and
         * the next run tries again; what the engine holds is not what the
         * log says any more. */
        c->st.failed++;
        c->no_save = 1;
        r->story = 0;
        return 0;
    }
    if (id > c->max_seen) c->max_seen = id;
    c->st.docs++;
    if (r->dup_of) c->st.dups++;
    if (r->new_story) c->st.new_stories++;
    return apply_changes(c, r, err);
}

int nd__store_cluster_new(nd_store_clusterer *c, int64_t id, const nd__pdoc *d, int64_t *story,
                          int64_t *dup_of, nd_error *err)
{
    *story = *dup_of = 0;
    if (!c->eng) return 0;
    int rc = catch_up(c, err);
    if (rc) return rc;
    nd_cluster_result r;
    rc = decide(c, id, d->prep, d->title, d->text, d->text_len, d->published_ts, &r, err);
    if (rc || !r.story) return rc;
    if ((rc = log_op(c, OP_ADD, id, err)) ||
        (rc = story_doc(c, r.story, id, &d->info, r.dup_of != 0, 1, err)))
        return rc;
    *story = r.story;
    *dup_of = r.dup_of;
    return 0;
}

int64_t nd__store_cluster_id_floor(const nd_store_clusterer *c)
{
    return c && c->eng ? c->max_seen + 1 : 0;
}

void nd__store_cluster_begin_page(nd_store_clusterer *c)
{
    c->in_page = 1;
    c->n_undo = 0;
    c->page_log_seq = c->log_seq;
    c->page_since_save = c->since_save;
}

void nd__store_cluster_end_page(nd_store_clusterer *c, int ok)
{
    c->in_page = 0;
    if (!ok) {
        /* The rows are gone: so are the page's log entries and its
         * changes to aggregates; the engine keeps the documents it was
         * given (it cannot forget): from now on the log, not the engine,
         * is the truth, and the next run replays it.  The next page is
         * numbered above the page's id (nd__store_cluster_id_floor), so
         * that the engine takes it. */
        for (size_t i = c->n_undo; i > 0; i--) {
            undo *u = &c->undo[i - 1];
            agg *a = cached(c, u->story);
            if (a) {
                map_del(&c->aggs, (uint64_t) u->story);
                agg_free(a);
            }
            if (u->before) {
                if (map_add(&c->aggs, (uint64_t) u->story, (int64_t) (intptr_t) u->before))
                    c->no_save = 1;
                else
                    u->before = NULL;
            }
        }
        if (c->log_seq != c->page_log_seq) c->no_save = 1;
        c->log_seq = c->page_log_seq;
        c->since_save = c->page_since_save;
    }
    for (size_t i = 0; i < c->n_undo; i++) agg_free(c->undo[i].before);
    c->n_undo = 0;
}

void nd__store_cluster_committing(nd_store_clusterer *c)
{
    if (c->stmt[CL_ITEM_GET]) sqlite3_reset(c->stmt[CL_ITEM_GET]);
}

void nd__store_cluster_rolled_back(nd_store_clusterer *c)
{
    /* The whole transaction: nothing of it is in the store. */
    nd__store_cluster_committing(c);
    drop_aggs(c, 0);
    c->n_dirty = 0;
    c->in_page = 0;
    for (size_t i = 0; i < c->n_undo; i++) agg_free(c->undo[i].before);
    c->n_undo = 0;
    c->checked = 0;
    c->save_all = 1;
    int64_t seq = 0;
    if (log_max(c, &seq, NULL) == 0 && seq != c->log_seq) c->no_save = 1;
}

/* Cluster one stored document (a row of PENDING or DOC: id, title, text,
 * published, ...) and store the answer. */
static int cluster_row(nd_store_clusterer *c, sqlite3_stmt *row, int site_col, nd_error *err)
{
    int64_t id = sqlite3_column_int64(row, 0);
    const char *title = (const char *) sqlite3_column_text(row, 1);
    const char *text = (const char *) sqlite3_column_text(row, 2);
    size_t text_len = (size_t) sqlite3_column_bytes(row, 2);
    const char *pub = (const char *) sqlite3_column_text(row, 3);
    nd_cluster_result r;
    int rc = decide(c, id, NULL, title, text, text_len, nd__store_time_value(pub), &r, err);
    if (rc || !r.story) return rc;
    agg *a;
    if ((rc = agg_of(c, r.story, &a, err))) return rc;
    /* The changes name earlier documents only; the new one's row is
     * written after them. */
    sqlite3_stmt *st = stmt(c, CL_ASSIGN, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, r.story);
    if (r.dup_of) sqlite3_bind_int64(st, 3, r.dup_of);
    nd__docinfo d;
    nd__store_doc_info(&d, title, (const char *) sqlite3_column_text(row, site_col),
                       (const char *) sqlite3_column_text(row, site_col + 1), pub,
                       (const char *) sqlite3_column_text(row, site_col + 2));
    if ((rc = step_done(c, st, "cannot record a document's story", err)) ||
        (rc = log_op(c, OP_ADD, id, err)))
        return rc;
    return story_doc(c, r.story, id, &d, r.dup_of != 0, 1, err);
}

int nd_store_cluster_pending(nd_store_clusterer *c, size_t *n, nd_error *err)
{
    size_t done = 0;
    int rc = c->eng ? catch_up(c, err) : 0;
    while (!rc && c->eng) {
        sqlite3_stmt *st = stmt(c, CL_PENDING, err);
        if (!st) {
            rc = ND_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, c->last_id);
        int sr = sqlite3_step(st);
        if (sr == SQLITE_DONE) {
            sqlite3_reset(st);
            break;
        }
        if (sr != SQLITE_ROW) {
            rc = nd__store_fail(c->s, "cannot read a document to cluster", err);
            sqlite3_reset(st);
            break;
        }
        c->last_id = sqlite3_column_int64(st, 0);
        uint64_t before = c->st.docs;
        rc = cluster_row(c, st, 4, err);
        sqlite3_reset(st);
        done += c->st.docs - before;
    }
    if (n) *n = done;
    return rc;
}

/* ---- story rows and the saved state ------------------------------------------------------ */

/* Write (or delete) the row of one story from its aggregates. */
static int write_story(nd_store_clusterer *c, agg *a, nd_error *err)
{
    sqlite3_stmt *st;
    int rc;
    if (!a->n_docs) {
        if (!(st = stmt(c, CL_DEL_STORY, err))) return ND_EDB;
        sqlite3_bind_int64(st, 1, a->id);
        if ((rc = step_done(c, st, "cannot delete a story", err))) return rc;
        if (!(st = stmt(c, CL_DEL_AGG, err))) return ND_EDB;
        sqlite3_bind_int64(st, 1, a->id);
        return step_done(c, st, "cannot delete a story", err);
    }
    char now[32];
    nd__store_now(now);
    if (!(st = stmt(c, CL_PUT_STORY, err))) return ND_EDB;
    sqlite3_bind_int64(st, 1, a->id);
    if (a->n_cand) {
        sqlite3_bind_text(st, 2, a->c[0].title, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, a->c[0].doc);
    }
    if (a->n_lo) sqlite3_bind_text(st, 4, a->lo[0].t, -1, SQLITE_STATIC);
    if (a->n_hi) sqlite3_bind_text(st, 5, a->hi[0].t, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64) a->n_docs);
    sqlite3_bind_int64(st, 7, (sqlite3_int64) a->n_dups);
    sqlite3_bind_int64(st, 8, (sqlite3_int64) a->sites.n);
    sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
    if ((rc = step_done(c, st, "cannot write a story", err))) return rc;
    nd_buf b = ND_BUF_INIT;
    agg_put(&b, a);
    if (nd_buf_failed(&b)) {
        nd_buf_free(&b);
        return oom(err);
    }
    if (!(st = stmt(c, CL_PUT_AGG, err))) {
        nd_buf_free(&b);
        return ND_EDB;
    }
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_blob(st, 2, b.ptr, (int) b.len, SQLITE_STATIC);
    rc = step_done(c, st, "cannot write a story", err);
    nd_buf_free(&b);
    return rc;
}

static int item_put(void *ctx, uint32_t kind, uint64_t key, const void *data, size_t len)
{
    nd_store_clusterer *c = ctx;
    sqlite3_stmt *st = stmt(c, CL_ITEM_PUT, NULL);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64) ((uint64_t) kind << 48 | key));
    sqlite3_bind_blob64(st, 2, data, len, SQLITE_STATIC);
    return step_done(c, st, "cannot save the clustering state", NULL);
}

static int item_del(void *ctx, uint32_t kind, uint64_t key)
{
    nd_store_clusterer *c = ctx;
    sqlite3_stmt *st = stmt(c, CL_ITEM_DEL, NULL);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64) ((uint64_t) kind << 48 | key));
    return step_done(c, st, "cannot save the clustering state", NULL);
}

/* Save what changed of the engine's state (everything when the items may
 * not match it), record that the items include the log so far, and drop
 * the log up to there. */
static int save_state(nd_store_clusterer *c, nd_error *err)
{
    if (c->no_save || !c->eng) return 0;
    int all = c->save_all, rc = 0;
    if (all && nd_cluster_load_all(c->eng)) return oom(err);
    /* (the state a store of schema 3-4 saved whole is not needed again) */
    if (all) rc = nd__store_exec(c->s, "DELETE FROM cluster_items; DELETE FROM cluster_state", err);
    size_t bytes = 0;
    nd_cluster_sink sink = {c, item_put, item_del};
    if (!rc && (rc = nd_cluster_save(c->eng, all, &sink, &bytes)) != 0) {
        c->save_all = 1;
        return rc == ND_ENOMEM ? oom(err)
                               : nd__store_fail(c->s, "cannot save the clustering state", err);
    }
    if (rc) return rc;
    nd_cluster_stats es;
    nd_cluster_get_stats(c->eng, &es);
    char now[32];
    nd__store_now(now);
    sqlite3_stmt *st = stmt(c, CL_SAVED_PUT, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64) c->fingerprint);
    sqlite3_bind_int64(st, 2, c->log_seq);
    sqlite3_bind_int64(st, 3, (sqlite3_int64) c->unflushed);
    sqlite3_bind_int64(st, 4, (sqlite3_int64) es.docs);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
    if ((rc = step_done(c, st, "cannot save the clustering state", err))) return rc;
    if (!(st = stmt(c, CL_LOG_TRIM, err))) return ND_EDB;
    sqlite3_bind_int64(st, 1, c->log_seq);
    if ((rc = step_done(c, st, "cannot save the clustering state", err))) return rc;
    c->st.state_bytes += bytes;
    c->save_all = 0;
    c->since_save = 0;
    c->saved_seq = c->log_seq;
    return 0;
}

int nd_store_cluster_sync(nd_store_clusterer *c, nd_error *err)
{
    int rc = 0;
    if (c->n_dirty) {
        qsort(c->dirty, c->n_dirty, sizeof *c->dirty, cmp_i64);
        for (size_t i = 0; i < c->n_dirty && !rc; i++) {
            if (i && c->dirty[i] == c->dirty[i - 1]) continue;
            agg *a = cached(c, c->dirty[i]);
            if (!a) continue;
            rc = write_story(c, a, err);
            a->dirty = 0;
        }
        if (rc) return rc;
        c->n_dirty = 0;
    }
    /* Empty stories leave memory, and all of them past the cache's size
     * (none is dirty now). */
    if (c->aggs.n > AGG_CACHE) {
        drop_aggs(c, 0);
    } else {
        int64_t gone[64];
        size_t n = 0;
        for (uint32_t i = 0; i < c->aggs.cap && n < 64; i++)
            if (c->aggs.keys[i] && !((agg *) (intptr_t) c->aggs.vals[i])->n_docs)
                gone[n++] = (int64_t) c->aggs.keys[i];
        for (size_t i = 0; i < n; i++) {
            agg *a = cached(c, gone[i]);
            map_del(&c->aggs, (uint64_t) gone[i]);
            agg_free(a);
        }
    }
    c->checked = 0;
    if (!c->defer_save && (c->save_all || c->since_save >= ND_STORE_CLUSTER_SAVE_EVERY))
        rc = save_state(c, err);
    return rc;
}

/* ---- opening: load, replay, import, restore ---------------------------------------------- */

/* The items an engine is loaded from: at once those it always needs, the
 * others (ND_CLUSTER_LAZY_KIND and up) when it asks, for as long as it
 * lives. */
static int item_next(void *ctx, uint32_t *kind, uint64_t *key, const void **data, size_t *len)
{
    nd_store_clusterer *c = ctx;
    sqlite3_stmt *st = c->stmt[CL_ITEMS];
    int sr = sqlite3_step(st);
    if (sr == SQLITE_DONE) return 0;
    if (sr != SQLITE_ROW) return ND_EDB;
    uint64_t id = (uint64_t) sqlite3_column_int64(st, 0);
    *kind = (uint32_t) (id >> 48);
    *key = id & ((UINT64_C(1) << 48) - 1);
    *data = sqlite3_column_blob(st, 1);
    *len = (size_t) sqlite3_column_bytes(st, 1);
    if (!*data) *data = "", *len = 0; /* empty, NULL or damaged: never a null pointer */
    c->st.loaded_bytes += *len;
    return 1;
}

static int item_fetch(void *ctx, uint32_t kind, uint64_t key, const void **data, size_t *len)
{
    nd_store_clusterer *c = ctx;
    sqlite3_stmt *st = stmt(c, CL_ITEM_GET, NULL);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64) ((uint64_t) kind << 48 | key));
    int sr = sqlite3_step(st);
    if (sr == SQLITE_DONE) return 0;
    if (sr != SQLITE_ROW) return ND_EDB;
    *data = sqlite3_column_blob(st, 0);
    *len = (size_t) sqlite3_column_bytes(st, 0);
    if (!*data) *data = "", *len = 0; /* empty, NULL or damaged: never a null pointer */
    c->st.loaded_bytes += *len;
    c->st.fetched++;
    return 1; /* valid until the next fetch resets the statement */
}

/* The saved items with our fingerprint and the log after them: 1 and
 * c->eng, 0 when there are none to use, or a negative code. */
static int load_state(nd_store_clusterer *c, nd_error *err)
{
    sqlite3_stmt *st = stmt(c, CL_SAVED_GET, err);
    if (!st) return ND_EDB;
    int sr = sqlite3_step(st);
    uint64_t fp = sr == SQLITE_ROW ? (uint64_t) sqlite3_column_int64(st, 0) : 0;
    int64_t seq = sr == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    c->unflushed = sr == SQLITE_ROW ? (uint64_t) sqlite3_column_int64(st, 2) : 0;
    sqlite3_reset(st);
    if (sr != SQLITE_ROW && sr != SQLITE_DONE)
        return nd__store_fail(c->s, "cannot read the clustering state", err);
    if (sr != SQLITE_ROW || fp != c->fingerprint) return 0;
    sqlite3_stmt *items = stmt(c, CL_ITEMS, err);
    if (!items) return ND_EDB;
    sqlite3_bind_int64(items, 1, (sqlite3_int64) ((uint64_t) ND_CLUSTER_LAZY_KIND << 48));
    nd_error le = {0};
    /* Read through the connection's page cache made small for the while
     * (512 KB): its pages are used again as the items go by, so the heap
     * does not grow by what is read, as it did in the bulk writer's 64 MB
     * cache (at 20,000 documents 3,700 of the 14,000 page faults of a
     * one-page ingest).  Not through a memory map, as it was read since
     * then: a store not in the page cache was read by the map's faults
     * with the device's read-around (8 MB here), 253-273 MB for the load
     * of the 100,000-document store against 76-87 MB now, and 0.72-0.94 s
     * against 0.37-0.40 s for its one page.  Inside a transaction (its
     * pages must stay in the cache) the map, as before. */
    int small = sqlite3_get_autocommit(c->s->db) != 0;
    int64_t cache = 0;
    if (small && query_int(c->s, "PRAGMA cache_size", 0, &cache, NULL)) small = 0;
    if (small)
        nd__store_exec(c->s, "PRAGMA cache_size=-512", NULL);
    else
        nd__store_exec(c->s, "PRAGMA mmap_size=1099511627776", NULL);
    c->eng = nd_cluster_load(item_next, item_fetch, c, &le);
    sqlite3_reset(items);
    if (small) {
        char q[48];
        snprintf(q, sizeof q, "PRAGMA cache_size=%lld", (long long) cache);
        nd__store_exec(c->s, q, NULL);
    } else {
        nd__store_exec(c->s, "PRAGMA mmap_size=0", NULL);
    }
    if (!c->eng) return le.code == ND_ENOMEM ? oom(err) : 0;
    c->log_seq = c->saved_seq = seq;
    nd_cluster_stats es;
    nd_cluster_get_stats(c->eng, &es);
    /* The log after the items: a killed run's documents, in the order the
     * engine was given them. */
    int rc = replay(c, seq, 0, err);
    if (rc == ND_ENOTFOUND) {
        /* a logged document is gone: the log cannot be trusted */
        nd_cluster_free(c->eng);
        c->eng = NULL;
        c->log_seq = 0;
        c->st.replayed = 0;
        return 0;
    }
    return rc ? rc : 1;
}

/* A store of schema 3-4: the engine state saved whole by its last run,
 * when it covers every clustered document. */
static int import_blob(nd_store_clusterer *c, nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->s->db,
                           "SELECT params, last_doc, state FROM cluster_state WHERE id = 1", -1,
                           &st, NULL) != SQLITE_OK)
        return nd__store_fail(c->s, "cannot read the clustering state", err);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 0
                                 : nd__store_fail(c->s, "cannot read the clustering state", err);
    }
    uint64_t fp = (uint64_t) sqlite3_column_int64(st, 0);
    int64_t last_doc = sqlite3_column_int64(st, 1);
    if (fp != c->fingerprint) {
        sqlite3_finalize(st);
        return 0;
    }
    /* Stale when a later (killed) run committed clustered documents. */
    int64_t later = 0;
    rc = query_int(c->s,
                   "SELECT EXISTS (SELECT 1 FROM documents WHERE id > ?1 AND story_id IS NOT NULL)",
                   last_doc, &later, err);
    if (rc || later) {
        sqlite3_finalize(st);
        return rc;
    }
    nd_error ie = {0};
    c->eng =
        nd_cluster_import(sqlite3_column_blob(st, 2), (size_t) sqlite3_column_bytes(st, 2), &ie);
    sqlite3_finalize(st);
    if (!c->eng) return ie.code == ND_ENOMEM ? oom(err) : 0;
    c->max_seen = last_doc;
    return 1;
}

/* Keep the largest k of the ids seen (a min-heap), for the restore window. */
typedef struct topk {
    int64_t *v;
    size_t n, k;
} topk;

static void topk_push(topk *t, int64_t x)
{
    size_t i;
    if (t->n < t->k) {
        i = t->n++;
        while (i > 0 && t->v[(i - 1) / 2] > x) {
            t->v[i] = t->v[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        t->v[i] = x;
        return;
    }
    if (x <= t->v[0]) return;
    i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        int64_t mv = x;
        if (l < t->n && t->v[l] < mv) m = l, mv = t->v[l];
        if (r < t->n && t->v[r] < mv) m = r, mv = t->v[r];
        if (m == i) break;
        t->v[i] = t->v[m];
        i = m;
    }
    t->v[i] = x;
}

/* A new engine fed back the last window_docs clustered documents with
 * their recorded stories. */
static int restore_state(nd_store_clusterer *c, nd_error *err)
{
    c->eng = nd_cluster_new(&c->p, err);
    if (!c->eng) return err && err->code ? err->code : ND_ENOMEM;
    size_t window = c->p.window_docs < 64 ? 64 : c->p.window_docs;
    topk t = {nd_malloc(window * sizeof(int64_t)), 0, window};
    if (!t.v) return oom(err);
    /* The index on (story_id, dup_of) answers this without reading rows. */
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(c->s->db, "SELECT id FROM documents WHERE story_id IS NOT NULL", -1, &st,
                           NULL) != SQLITE_OK) {
        nd_free(t.v);
        return nd__store_fail(c->s, "cannot read the stories", err);
    }
    int sr;
    while ((sr = sqlite3_step(st)) == SQLITE_ROW) topk_push(&t, sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    if (sr != SQLITE_DONE) rc = nd__store_fail(c->s, "cannot read the stories", err);
    if (!rc) qsort(t.v, t.n, sizeof *t.v, cmp_i64);
    for (size_t i = 0; i < t.n && !rc; i++) {
        sqlite3_stmt *q = stmt(c, CL_DOC, err);
        if (!q) {
            rc = ND_EDB;
            break;
        }
        sqlite3_bind_int64(q, 1, t.v[i]);
        if (sqlite3_step(q) == SQLITE_ROW) {
            nd_cluster_doc d;
            d.id = sqlite3_column_int64(q, 0);
            d.title = (const char *) sqlite3_column_text(q, 1);
            d.title_len = (size_t) sqlite3_column_bytes(q, 1);
            d.text = (const char *) sqlite3_column_text(q, 2);
            d.text_len = (size_t) sqlite3_column_bytes(q, 2);
            d.published = nd__store_time_value((const char *) sqlite3_column_text(q, 3));
            int64_t story = sqlite3_column_int64(q, 4), dup = sqlite3_column_int64(q, 5);
            int er = nd_cluster_restore(c->eng, &d, story, dup);
            if (er == ND_EINVAL && dup) er = nd_cluster_restore(c->eng, &d, story, 0);
            if (er == ND_ENOMEM) rc = oom(err);
            if (!er) {
                c->st.restored++;
                if (d.id > c->max_seen) c->max_seen = d.id;
            }
        }
        sqlite3_reset(q);
    }
    nd_free(t.v);
    return rc;
}

/* fresh: a new engine (recluster). */
static int open_clusterer(nd_store *s, const nd_cluster_params *p, int fresh,
                          nd_store_clusterer **out, nd_error *err)
{
    *out = NULL;
    if (s->flags & ND_STORE_READONLY)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: opened read-only", s->path);
    nd_store_clusterer *c = nd_calloc(1, sizeof *c);
    if (!c) return oom(err);
    c->s = s;
    if (p)
        c->p = *p;
    else
        nd_cluster_params_default(&c->p);
    int rc = fingerprint(&c->p, &c->fingerprint, err);
    if (!rc && !(c->fx = nd_cluster_fx_new(&c->p, err)))
        rc = err && err->code ? err->code : ND_ENOMEM;
    int loaded = 0;
    if (!rc && !fresh) {
        rc = load_state(c, err);
        if (rc == 1) {
            loaded = 1;
            c->st.start = c->st.replayed ? ND_STORE_CLUSTER_REPLAYED : ND_STORE_CLUSTER_IMPORTED;
            rc = 0;
        } else if (rc == 0) {
            rc = import_blob(c, err);
            if (rc == 1) {
                c->st.start = ND_STORE_CLUSTER_IMPORTED;
                rc = 0;
            } else if (rc == 0) {
                rc = restore_state(c, err);
                c->st.start = c->st.restored ? ND_STORE_CLUSTER_RESTORED : ND_STORE_CLUSTER_FRESH;
            }
        }
    } else if (!rc) {
        c->eng = nd_cluster_new(&c->p, err);
        if (!c->eng) rc = err && err->code ? err->code : ND_ENOMEM;
    }
    if (!rc) {
        /* Story ids are never reused, whatever the engine remembers. */
        int64_t max_story = 0;
        rc = query_int(s, "SELECT max(id) FROM stories", 0, &max_story, err);
        if (!rc) nd_cluster_reserve_ids(c->eng, max_story + 1);
    }
    /* An engine not from the items is saved whole with the first commit
     * (nd_store_cluster_sync): the log that follows is relative to it. */
    if (!loaded) c->save_all = 1;
    if (!rc && !loaded) rc = log_max(c, &c->log_seq, err);
    if (rc) {
        nd_store_clusterer_free(c);
        return rc;
    }
    s->clusterer = c;
    *out = c;
    return 0;
}

int nd_store_clusterer_open(nd_store *s, const nd_cluster_params *p, nd_store_clusterer **out,
                            nd_error *err)
{
    return open_clusterer(s, p, 0, out, err);
}

void nd_store_clusterer_free(nd_store_clusterer *c)
{
    if (!c) return;
    if (c->s && c->s->clusterer == c) c->s->clusterer = NULL;
    for (int i = 0; i < CL_COUNT_; i++) sqlite3_finalize(c->stmt[i]);
    nd_cluster_free(c->eng);
    nd_cluster_fx_free(c->fx);
    drop_aggs(c, 0);
    for (size_t i = 0; i < c->n_undo; i++) agg_free(c->undo[i].before);
    nd_free(c->undo);
    nd_free(c->dirty);
    nd_free(c);
}

const nd_cluster_params *nd_store_clusterer_params(const nd_store_clusterer *c)
{
    return &c->p;
}

void nd_store_cluster_get_stats(const nd_store_clusterer *c, nd_store_cluster_stats *st)
{
    *st = c->st;
    /* Counted when asked for, not by every finish: an ingest does not ask,
     * and the count walks the whole table (47,687 stories at 1,000,000
     * documents: ~450 pages, cold ones read from disk, for a run of one
     * page). */
    int64_t n = 0;
    if (c->finished && !query_int(c->s, "SELECT count(*) FROM stories", 0, &n, NULL))
        st->stories = (uint64_t) n;
}

void nd_store_clusterer_set_threads(nd_store_clusterer *c, int n)
{
    c->threads = n;
}

/* The recent window is re-examined when the documents given since the
 * last time are an eighth of it or more: a run of a few pages into a
 * large store leaves them to a later run (or to the engine's own sweeps)
 * rather than pay for the whole window. */
static int flush_due(const nd_store_clusterer *c)
{
    nd_cluster_stats es;
    nd_cluster_get_stats(c->eng, &es);
    return c->unflushed && c->unflushed * 8 >= es.recent;
}

/* Re-examine when due, log it and apply the changes; *done: whether it did. */
static int flush_if_due(nd_store_clusterer *c, int *done, nd_error *err)
{
    *done = 0;
    if (!flush_due(c)) return 0;
    nd_cluster_result r;
    nd_cluster_set_threads(c->eng, c->threads);
    int frc = nd_cluster_flush(c->eng, &r);
    nd_cluster_set_threads(c->eng, 1);
    if (frc == ND_ENOMEM) return oom(err);
    c->st.flushed = 1;
    *done = 1;
    int rc = log_op(c, OP_FLUSH, 0, err);
    return rc ? rc : apply_changes(c, &r, err);
}

int nd_store_cluster_finish(nd_store_clusterer *c, nd_error *err)
{
    int rc = catch_up(c, err), done;
    if (rc || (rc = flush_if_due(c, &done, err))) return rc;
    c->defer_save = 1;
    if ((rc = nd_store_cluster_sync(c, err)) || (rc = save_state(c, err))) return rc;
    c->finished = 1;
    return 0;
}

int nd_store_cluster_pause_due(const nd_store_clusterer *c)
{
    return c && c->eng && !c->finished && flush_due(c);
}

int nd_store_cluster_pause(nd_store_clusterer *c, int *done, nd_error *err)
{
    int did = 0, rc;
    if (c->finished)
        rc = nd_error_set(err, ND_EINVAL, (size_t) -1, "the clusterer's run has finished");
    else
        rc = catch_up(c, err);
    if (!rc) rc = flush_if_due(c, &did, err);
    /* what changed is saved, so that a run killed later replays only
     * what comes after the pause */
    if (!rc && did && !(rc = nd_store_cluster_sync(c, err)) && c->since_save)
        rc = save_state(c, err);
    if (done) *done = did;
    return rc;
}

/* ---- recluster ------------------------------------------------------------------------------ */

static int recluster(nd_store *s, const nd_cluster_params *p, nd_store_cluster_stats *out,
                     nd_error *err)
{
    int rc = nd__store_exec(s,
                            "UPDATE documents SET story_id = NULL, dup_of = NULL"
                            " WHERE story_id IS NOT NULL OR dup_of IS NOT NULL;"
                            "DELETE FROM stories; DELETE FROM story_agg; DELETE FROM cluster_state;"
                            "DELETE FROM cluster_items; DELETE FROM cluster_saved;"
                            "DELETE FROM cluster_log;",
                            err);
    if (rc) return rc;
    nd_store_clusterer *c;
    rc = open_clusterer(s, p, 1, &c, err);
    if (rc) return rc;
    c->save_all = 1;
    c->defer_save = 1;
    c->checked = 1;
    /* The canonical order: every id in memory (8 bytes a document), then
     * one document at a time. */
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT id FROM documents ORDER BY published, id", -1, &st,
                           NULL) != SQLITE_OK) {
        nd_store_clusterer_free(c);
        return nd__store_fail(s, "cannot list documents", err);
    }
    int sr;
    while ((sr = sqlite3_step(st)) == SQLITE_ROW)
        if (push_i64(&ids, &n, &cap, sqlite3_column_int64(st, 0))) {
            rc = oom(err);
            break;
        }
    sqlite3_finalize(st);
    if (!rc && sr != SQLITE_DONE) rc = nd__store_fail(s, "cannot list documents", err);
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_stmt *q = stmt(c, CL_DOC, err);
        if (!q) {
            rc = ND_EDB;
            break;
        }
        sqlite3_bind_int64(q, 1, ids[i]);
        sr = sqlite3_step(q);
        if (sr == SQLITE_ROW)
            rc = cluster_row(c, q, 6, err);
        else if (sr != SQLITE_DONE)
            rc = nd__store_fail(s, "cannot read a document", err);
        sqlite3_reset(q);
        /* Story rows as they go, so that the aggregates held stay few. */
        if (!rc && c->n_dirty > AGG_CACHE / 2) rc = nd_store_cluster_sync(c, err);
    }
    nd_free(ids);
    if (!rc) rc = nd_store_cluster_finish(c, err);
    if (out) nd_store_cluster_get_stats(c, out);
    nd_store_clusterer_free(c);
    return rc;
}

int nd_store_recluster(nd_store *s, const nd_cluster_params *p, nd_store_cluster_stats *st,
                       nd_error *err)
{
    if (st) memset(st, 0, sizeof *st);
    if (s->flags & ND_STORE_READONLY)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: opened read-only", s->path);
    int own = !s->in_tx;
    int rc = own ? nd_store_begin(s, err) : nd__store_exec(s, "SAVEPOINT recluster", err);
    if (rc) return rc;
    rc = recluster(s, p, st, err);
    if (rc) {
        if (own) {
            nd_store_rollback(s);
        } else {
            sqlite3_exec(s->db, "ROLLBACK TO recluster", NULL, NULL, NULL);
            sqlite3_exec(s->db, "RELEASE recluster", NULL, NULL, NULL);
        }
        return rc;
    }
    return own ? nd_store_commit(s, err) : nd__store_exec(s, "RELEASE recluster", err);
}
