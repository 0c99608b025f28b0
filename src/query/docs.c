/* docs.c - the documents' search columns in memory (nd_doc_table).
 *
 * A search ranks up to ND_QUERY_SEARCH_DOCS matches by BM25, which needs
 * each one's length, and its facets count the site, day, language and
 * actors of ND_QUERY_FACET_DOCS matches.  Read from SQLite that is a
 * statement step per match (20,000 lengths, 2,000 document rows and
 * their 35,000 doc_actors rows for a common word): 20 of the 25 ms of
 * CPU a distinct search cost at 100,000 documents.  Here they are arrays
 * indexed by document id, read once: a length, a site, a day and a
 * language (indexes into tables of their distinct strings), a flag for
 * the latest version of a page, and each document's actors.  The table
 * is immutable once made and says which version of the file it was made
 * from (nd_store_file_version): the query layer uses it only while the
 * file is at that version, so an answer never depends on it being
 * stale. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/imap.h"
#include "query/query_int.h"

enum { HAS_LEN = 1, HAS_DOC = 2, LATEST = 4 };

atomic_int nd__docs_used;

/* Distinct strings, each once, by hash (a 64-bit collision fails the
 * build: the table is then not used). */
typedef struct strtab {
    nd__imap at; /* hash -> index + 1 */
    const char **s;
    uint32_t n, cap;
} strtab;

struct nd_doc_table {
    atomic_int refs;
    uint64_t version;
    int64_t n;             /* ids 0 .. n-1 */
    uint32_t *len;         /* tokens of title and text (bm25's length) */
    uint32_t *site, *day;  /* indexes into sites, days */
    uint8_t *lang, *flags; /* index into langs; HAS_* | LATEST */
    uint32_t *actor_at;    /* the actors of id: actors[actor_at[id] .. actor_at[id + 1]) */
    uint32_t *actors;      /* actor ids */
    size_t n_actors;
    uint32_t max_actor; /* the largest actor id */
    strtab sites, days, langs;
    nd_arena *ar; /* the strings */
    size_t bytes;
};

static int strtab_id(nd_arena *ar, strtab *t, const char *v, uint32_t max, uint32_t *out)
{
    if (!v) v = "";
    uint64_t h = nd_hash64(v, strlen(v)) | 1; /* never 0: imap's empty key */
    int64_t k;
    if (nd__imap_get(&t->at, h, &k)) {
        if (strcmp(t->s[k - 1], v)) return ND_EINVAL;
        *out = (uint32_t) (k - 1);
        return 0;
    }
    if (t->n >= max) return ND_EINVAL;
    if (t->n == t->cap) {
        uint32_t nc = t->cap ? t->cap * 2 : 64;
        const char **g = nd_realloc(t->s, nc * sizeof *g);
        if (!g) return ND_ENOMEM;
        t->s = g;
        t->cap = nc;
    }
    const char *c = nd__str_dup(ar, v);
    if (!c || nd__imap_put(&t->at, h, (int64_t) t->n + 1)) return ND_ENOMEM;
    t->s[t->n] = c;
    *out = t->n++;
    return 0;
}

static void strtab_free(strtab *t)
{
    nd__imap_free(&t->at);
    nd_free(t->s);
}

void nd_doc_table_free(nd_doc_table *t)
{
    if (!t || atomic_fetch_sub(&t->refs, 1) != 1) return;
    nd_free(t->len);
    nd_free(t->site);
    nd_free(t->day);
    nd_free(t->lang);
    nd_free(t->flags);
    nd_free(t->actor_at);
    nd_free(t->actors);
    strtab_free(&t->sites);
    strtab_free(&t->days);
    strtab_free(&t->langs);
    nd_arena_free(t->ar);
    nd_free(t);
}

nd_doc_table *nd_doc_table_ref(nd_doc_table *t)
{
    if (t) atomic_fetch_add(&t->refs, 1);
    return t;
}

uint64_t nd_doc_table_version(const nd_doc_table *t)
{
    return t ? t->version : 0;
}

size_t nd_doc_table_bytes(const nd_doc_table *t)
{
    return t ? t->bytes : 0;
}

/* SQLite's varints, as FTS5 writes the column sizes: the sum. */
static int sizes_sum(const unsigned char *b, int n, uint32_t *out)
{
    uint64_t sum = 0;
    for (int i = 0; i < n;) {
        uint64_t x = 0;
        int k = 0;
        for (;; k++) {
            if (i + k >= n) return ND_EDB;
            if (k == 8) {
                x = (x << 8) | b[i + k];
                k++;
                break;
            }
            x = (x << 7) | (b[i + k] & 0x7f);
            if (!(b[i + k] & 0x80)) {
                k++;
                break;
            }
        }
        i += k;
        sum += x;
    }
    if (sum > UINT32_MAX) return ND_EDB;
    *out = (uint32_t) sum;
    return 0;
}

/* Each step of the build: one statement read to its end. */
static int build(nd_store *s, nd_doc_table *t, nd_error *err)
{
    int64_t max = 0;
    int rc = nd__query_int(s,
                           "SELECT max(coalesce((SELECT max(id) FROM documents), 0),"
                           " coalesce((SELECT max(id) FROM documents_fts_docsize), 0))",
                           0, &max, err);
    if (rc) return rc;
    if (max < 0 || max >= UINT32_MAX)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "ids too large");
    t->n = max + 1;
    size_t n = (size_t) t->n;
    t->len = nd_calloc(n, sizeof *t->len);
    t->site = nd_calloc(n, sizeof *t->site);
    t->day = nd_calloc(n, sizeof *t->day);
    t->lang = nd_calloc(n, 1);
    t->flags = nd_calloc(n, 1);
    t->actor_at = nd_calloc(n + 1, sizeof *t->actor_at);
    if (!t->len || !t->site || !t->day || !t->lang || !t->flags || !t->actor_at)
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    t->bytes = n * (3 * sizeof(uint32_t) + 2) + (n + 1) * sizeof(uint32_t);

    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT id, sz FROM documents_fts_docsize", -1, &st, NULL))
        return nd__store_fail(s, "cannot read the lengths", err);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id < 0 || id >= t->n) continue;
        if (sizes_sum(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1), &t->len[id])) {
            sqlite3_finalize(st);
            return nd_error_set(err, ND_EDB, (size_t) -1, "a length that cannot be read");
        }
        t->flags[id] |= HAS_LEN;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot read the lengths", err);

    /* The same expressions as the facets' SQL, so the same strings. */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT d.id, coalesce(nullif(d.site, ''), d.host),"
                           " substr(coalesce(d.published, d.fetched), 1, 10), d.language,"
                           " " ND__LATEST_DOC " FROM documents d",
                           -1, &st, NULL))
        return nd__store_fail(s, "cannot read the documents", err);
    int bad = 0;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id < 0 || id >= t->n) continue;
        uint32_t l = 0;
        bad = strtab_id(t->ar, &t->sites, (const char *) sqlite3_column_text(st, 1), UINT32_MAX,
                        &t->site[id]);
        if (!bad)
            bad = strtab_id(t->ar, &t->days, (const char *) sqlite3_column_text(st, 2), UINT32_MAX,
                            &t->day[id]);
        if (!bad)
            bad = strtab_id(t->ar, &t->langs, (const char *) sqlite3_column_text(st, 3), 256, &l);
        t->lang[id] = (uint8_t) l;
        t->flags[id] |= HAS_DOC | (sqlite3_column_int(st, 4) ? LATEST : 0);
    }
    sqlite3_finalize(st);
    if (bad == ND_ENOMEM) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (bad) return nd_error_set(err, ND_EINVAL, (size_t) -1, "too many distinct values");
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot read the documents", err);

    /* The actors, by document on the doc_actors_doc index. */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT doc_id, actor_id FROM doc_actors WHERE actor_id > 0"
                           " ORDER BY doc_id",
                           -1, &st, NULL))
        return nd__store_fail(s, "cannot read the actors", err);
    size_t cap = 0;
    int64_t at = 0; /* actor_at[0 .. at] are set */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0), a = sqlite3_column_int64(st, 1);
        if (id < 0 || id >= t->n || a > UINT32_MAX) continue;
        if (t->n_actors == cap) {
            size_t nc = cap ? cap * 2 : 4096;
            uint32_t *g = nd_realloc(t->actors, nc * sizeof *g);
            if (!g) {
                sqlite3_finalize(st);
                return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            }
            t->actors = g;
            cap = nc;
        }
        if (t->n_actors >= UINT32_MAX) break;
        while (at < id) t->actor_at[++at] = (uint32_t) t->n_actors;
        t->actors[t->n_actors++] = (uint32_t) a;
        if ((uint32_t) a > t->max_actor) t->max_actor = (uint32_t) a;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot read the actors", err);
    while (at < t->n) t->actor_at[++at] = (uint32_t) t->n_actors;
    t->bytes += t->n_actors * sizeof(uint32_t) + nd_arena_used(t->ar) +
                nd__imap_bytes(&t->sites.at) + nd__imap_bytes(&t->days.at) +
                nd__imap_bytes(&t->langs.at);
    return 0;
}

int nd_doc_table_new(nd_store *s, nd_doc_table **out, nd_error *err)
{
    *out = NULL;
    /* The version first: a commit while the table is read makes it older
     * than its rows, never the other way round. */
    uint64_t version = s->path ? nd_store_file_version(s->path) : 0;
    if (!version)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "a store without a file has no table");
    nd_doc_table *t = nd_calloc(1, sizeof *t);
    if (!t || !(t->ar = nd_arena_new(0))) {
        nd_free(t);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    atomic_init(&t->refs, 1);
    t->version = version;
    /* One read transaction: every step sees the same commit. */
    int rc = s->in_tx ? 0 : nd__store_exec(s, "BEGIN", err);
    if (!rc) {
        rc = build(s, t, err);
        if (!s->in_tx) sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    }
    if (rc) {
        nd_doc_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

void nd_store_use_doc_table(nd_store *s, nd_doc_table *t)
{
    s->docs = t;
}

const nd_doc_table *nd__docs_fresh(nd_store *s)
{
    const nd_doc_table *t = s->docs;
    if (!t || !s->path || nd_store_file_version(s->path) != t->version) return NULL;
    return t;
}

int nd__docs_length(const nd_doc_table *t, int64_t id, int *tokens)
{
    if (id < 0 || id >= t->n || !(t->flags[id] & HAS_LEN)) return 0;
    *tokens = (int) t->len[id];
    return 1;
}

/* ---- facets ---- */

typedef struct counted {
    uint32_t v, n;
} counted;

/* The counts of values of one field over docs, as nd_count in ar (their
 * order is the caller's). */
static int count_field(nd_arena *ar, const uint32_t *of, const uint8_t *of8, const strtab *names,
                       const int64_t *docs, size_t n, nd__vec *out)
{
    uint32_t *c = nd_calloc(names->n ? names->n : 1, sizeof *c);
    if (!c) return ND_ENOMEM;
    for (size_t i = 0; i < n; i++) c[of ? of[docs[i]] : of8[docs[i]]]++;
    for (uint32_t v = 0; v < names->n; v++) {
        if (!c[v]) continue;
        nd_count *x = nd__vec_push(ar, out);
        if (!x) {
            nd_free(c);
            return ND_ENOMEM;
        }
        x->value = names->s[v]; /* copied below */
        x->value = nd__str_dup(ar, x->value);
        x->n = c[v];
        if (!x->value) {
            nd_free(c);
            return ND_ENOMEM;
        }
    }
    nd_free(c);
    return 0;
}

int nd__docs_facets(const nd_doc_table *t, const int64_t *docs, size_t n, nd_arena *ar,
                    nd__vec out[3])
{
    int rc = count_field(ar, t->site, NULL, &t->sites, docs, n, &out[0]);
    if (!rc) rc = count_field(ar, t->day, NULL, &t->days, docs, n, &out[1]);
    if (!rc) rc = count_field(ar, NULL, t->lang, &t->langs, docs, n, &out[2]);
    return rc;
}

int nd__docs_counted(const nd_doc_table *t, int64_t id, int latest_only)
{
    if (id < 0 || id >= t->n || !(t->flags[id] & HAS_DOC)) return -1;
    return !latest_only || (t->flags[id] & LATEST);
}

uint32_t nd__docs_max_actor(const nd_doc_table *t)
{
    return t->max_actor;
}

size_t nd__docs_actors(const nd_doc_table *t, int64_t id, const uint32_t **actors)
{
    *actors = t->actors + t->actor_at[id];
    return t->actor_at[id + 1] - t->actor_at[id];
}
