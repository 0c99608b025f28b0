/* stories.c - the store's side of story clustering: every document gets a
 * story from the engine (newsdesk/cluster.h), the engine's changes to
 * earlier documents are applied, the stories table is kept up to date, and
 * the engine's state is saved between runs.  Also `recluster` and the
 * story queries.
 *
 * Consistency: everything here runs inside the caller's transaction (the
 * ingest writer's batch), so a killed process leaves the store as of the
 * last commit: every committed document has its story and every story row
 * matches its documents.  The engine's saved state is used when it has
 * the same parameters; when killed runs committed clustered documents
 * after it was saved, those are fed to it again in id order (a replay:
 * the engine ends where an unkilled run would be).  A state of other
 * parameters is rebuilt from the store's last window_docs documents
 * (nd_cluster_restore).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"

/* The statements a clusterer keeps: X(name, sql). */
#define CL_STMTS(X)                                                                                \
    X(PENDING, "SELECT id, title, text, published FROM documents"                                  \
               " WHERE id > ?1 AND story_id IS NULL ORDER BY id LIMIT 1")                          \
    X(DOC, "SELECT id, title, text, published, story_id, dup_of FROM documents WHERE id = ?1")     \
    X(ASSIGN, "UPDATE documents SET story_id = ?2, dup_of = ?3 WHERE id = ?1")                     \
    X(MOVE, "UPDATE documents SET story_id = ?2 WHERE id = ?1")                                    \
    X(MERGE, "UPDATE documents SET story_id = ?2 WHERE story_id = ?1")                             \
    X(MEMBERS, "SELECT id, title, coalesce(site, host), coalesce(published, fetched), dup_of"      \
               " FROM documents WHERE story_id = ?1 ORDER BY id")                                  \
    X(PUT_STORY, "INSERT OR REPLACE INTO stories(id, headline, rep_doc, first_seen, last_seen,"    \
                 " n_docs, n_dups, n_sites, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)") \
    X(DEL_STORY, "DELETE FROM stories WHERE id = ?1")

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

struct nd_store_clusterer {
    nd_store *s;
    nd_cluster *eng;
    nd_cluster_params p;
    uint64_t fingerprint; /* of the parameters (see fingerprint()) */
    int64_t last_id;      /* the pending scan goes on after this id */
    int64_t max_seen;     /* the largest document id the engine holds */
    int64_t *dirty;       /* stories whose row must be rewritten */
    size_t n_dirty, cap_dirty;
    nd_store_cluster_stats st;
    sqlite3_stmt *stmt[CL_COUNT_];
};

/* ---- helpers ---------------------------------------------------------------------- */

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

/* One integer from a query without parameters (0 when NULL or no row). */
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

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

/* A stored time ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ") as epoch seconds,
 * or ND_TIME_NONE. */
static int64_t stored_time(const char *s)
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
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    *out = nd_hash64(b.ptr, b.len);
    nd_buf_free(&b);
    return 0;
}

static int mark_dirty(nd_store_clusterer *c, int64_t story, nd_error *err)
{
    if (story <= 0) return 0;
    /* Consecutive documents mostly hit the same few stories. */
    for (size_t i = c->n_dirty; i > 0 && i + 8 > c->n_dirty; i--)
        if (c->dirty[i - 1] == story) return 0;
    if (c->n_dirty == c->cap_dirty) {
        size_t nc = c->cap_dirty ? c->cap_dirty * 2 : 64;
        int64_t *d = nd_realloc(c->dirty, nc * sizeof *d);
        if (!d) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        c->dirty = d;
        c->cap_dirty = nc;
    }
    c->dirty[c->n_dirty++] = story;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

/* ---- applying the engine's answers ---------------------------------------------------- */

static int apply_changes(nd_store_clusterer *c, const nd_cluster_result *r, nd_error *err)
{
    for (size_t i = 0; i < r->n_changes; i++) {
        const nd_cluster_change *ch = &r->changes[i];
        sqlite3_stmt *st;
        int rc;
        if (ch->kind == ND_CLUSTER_MOVE) {
            if (!(st = stmt(c, CL_MOVE, err))) return ND_EDB;
            sqlite3_bind_int64(st, 1, ch->doc);
            sqlite3_bind_int64(st, 2, ch->to);
            rc = step_done(c, st, "cannot move a document to another story", err);
            c->st.moves++;
        } else if (ch->kind == ND_CLUSTER_MERGE) {
            if (!(st = stmt(c, CL_MERGE, err))) return ND_EDB;
            sqlite3_bind_int64(st, 1, ch->from);
            sqlite3_bind_int64(st, 2, ch->to);
            rc = step_done(c, st, "cannot merge stories", err);
            c->st.merges++;
        } else {
            continue;
        }
        if (!rc) rc = mark_dirty(c, ch->from, err);
        if (!rc) rc = mark_dirty(c, ch->to, err);
        if (rc) return rc;
    }
    return 0;
}

/* A document for the engine from a row whose first columns are id,
 * title, text, published (PENDING, DOC); it points into the row. */
static void row_doc(sqlite3_stmt *row, nd_cluster_doc *d)
{
    d->id = sqlite3_column_int64(row, 0);
    d->title = (const char *) sqlite3_column_text(row, 1);
    d->title_len = (size_t) sqlite3_column_bytes(row, 1);
    d->text = (const char *) sqlite3_column_text(row, 2);
    d->text_len = (size_t) sqlite3_column_bytes(row, 2);
    d->published = stored_time((const char *) sqlite3_column_text(row, 3));
}

/* Cluster one document (a row of PENDING or DOC: id, title, text,
 * published) and store the answer. */
static int cluster_row(nd_store_clusterer *c, sqlite3_stmt *row, nd_error *err)
{
    nd_cluster_doc d;
    row_doc(row, &d);
    nd_cluster_result r;
    int rc = nd_cluster_add(c->eng, &d, &r);
    if (rc) {
        /* The engine refused it (out of memory): it stays unclustered and
         * the next run tries again. */
        c->st.failed++;
        return 0;
    }
    if (d.id > c->max_seen) c->max_seen = d.id;
    c->st.docs++;
    if (r.dup_of) c->st.dups++;
    if (r.new_story) c->st.new_stories++;
    /* The changes name earlier documents only; the new one's row is
     * written after them. */
    rc = apply_changes(c, &r, err);
    if (rc) return rc;
    sqlite3_stmt *st = stmt(c, CL_ASSIGN, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, d.id);
    sqlite3_bind_int64(st, 2, r.story);
    if (r.dup_of) sqlite3_bind_int64(st, 3, r.dup_of);
    rc = step_done(c, st, "cannot record a document's story", err);
    if (!rc) rc = mark_dirty(c, r.story, err);
    return rc;
}

int nd_store_cluster_pending(nd_store_clusterer *c, size_t *n, nd_error *err)
{
    size_t done = 0;
    int rc = 0;
    for (;;) {
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
        rc = cluster_row(c, st, err);
        sqlite3_reset(st);
        if (rc) break;
        done += c->st.docs - before;
    }
    if (n) *n = done;
    return rc;
}

/* ---- story rows ---------------------------------------------------------------------------- */

/* Words of a title for the headline choice: lowercase ASCII letters and
 * digits (bytes >= 0x80 taken as letters), at least 3 bytes, a few
 * function words left out; hashed. */
static size_t title_words(const char *t, uint64_t *out, size_t cap)
{
    static const char *const stop[] = {"the",  "and",  "for",  "with", "from", "that", "this",
                                       "are",  "was",  "has",  "have", "its",  "into", "after",
                                       "over", "says", "said", "will", "new",  "not",  "but"};
    size_t n = 0;
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
        for (size_t i = 0; i < n && !seen; i++) seen = out[i] == h;
        if (!seen) out[n++] = h;
    }
    return n;
}

#define HL_MAX_TITLES 256 /* titles compared for the headline (evenly sampled) */
#define HL_MAX_WORDS  32  /* words of a title that count */

typedef struct member {
    int64_t id;
    char *title;
} member;

/* The most representative title: the one whose words overlap most with
 * the other titles' (sum of set cosines), ties to the earliest document. */
static size_t pick_headline(member *m, size_t n)
{
    if (n <= 2) return 0;
    uint64_t(*w)[HL_MAX_WORDS] = nd_malloc(n * sizeof *w);
    size_t *nw = nd_malloc(n * sizeof *nw);
    if (!w || !nw) {
        nd_free(w);
        nd_free(nw);
        return 0;
    }
    for (size_t i = 0; i < n; i++) nw[i] = title_words(m[i].title, w[i], HL_MAX_WORDS);
    size_t best = 0;
    double best_score = -1;
    for (size_t i = 0; i < n; i++) {
        double score = 0;
        for (size_t j = 0; j < n && nw[i]; j++) {
            if (j == i || !nw[j]) continue;
            size_t common = 0;
            for (size_t a = 0; a < nw[i]; a++)
                for (size_t b = 0; b < nw[j]; b++) common += w[i][a] == w[j][b];
            score += (double) common / sqrt((double) nw[i] * (double) nw[j]);
        }
        if (score > best_score + 1e-9) {
            best_score = score;
            best = i;
        }
    }
    nd_free(w);
    nd_free(nw);
    return best;
}

/* Rewrite (or delete) the row of one story from its documents. */
static int sync_story(nd_store_clusterer *c, int64_t story, nd_error *err)
{
    sqlite3_stmt *st = stmt(c, CL_MEMBERS, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, story);
    uint64_t n_docs = 0, n_dups = 0;
    char first[32] = "", last[32] = "";
    int64_t first_doc = 0;
    uint64_t *sites = NULL;
    size_t n_sites = 0, cap_sites = 0;
    member *titles = NULL;
    size_t n_titles = 0, cap_titles = 0;
    int rc = 0, sr;
    while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (!n_docs) first_doc = id;
        n_docs++;
        if (sqlite3_column_type(st, 4) != SQLITE_NULL) n_dups++;
        const char *site = (const char *) sqlite3_column_text(st, 2);
        if (site && *site) {
            char low[256];
            size_t k = 0;
            for (; site[k] && k < sizeof low; k++)
                low[k] = (char) ((site[k] >= 'A' && site[k] <= 'Z') ? site[k] + 32 : site[k]);
            if (n_sites == cap_sites) {
                cap_sites = cap_sites ? cap_sites * 2 : 16;
                uint64_t *ns = nd_realloc(sites, cap_sites * sizeof *ns);
                if (!ns) {
                    rc = ND_ENOMEM;
                    break;
                }
                sites = ns;
            }
            sites[n_sites++] = nd_hash64(low, k);
        }
        const char *t = (const char *) sqlite3_column_text(st, 3);
        if (t && *t) {
            if (!first[0] || strcmp(t, first) < 0) snprintf(first, sizeof first, "%s", t);
            if (!last[0] || strcmp(t, last) > 0) snprintf(last, sizeof last, "%s", t);
        }
        const char *title = (const char *) sqlite3_column_text(st, 1);
        if (title && *title) {
            if (n_titles == cap_titles) {
                cap_titles = cap_titles ? cap_titles * 2 : 16;
                member *nt = nd_realloc(titles, cap_titles * sizeof *nt);
                if (!nt) {
                    rc = ND_ENOMEM;
                    break;
                }
                titles = nt;
            }
            titles[n_titles].id = id;
            titles[n_titles].title = nd_strndup(title, strlen(title));
            if (!titles[n_titles].title) {
                rc = ND_ENOMEM;
                break;
            }
            n_titles++;
        }
    }
    sqlite3_reset(st);
    if (!rc && sr != SQLITE_DONE) rc = nd__store_fail(c->s, "cannot read a story", err);
    if (rc == ND_ENOMEM) nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");

    if (!rc && n_docs == 0) {
        st = stmt(c, CL_DEL_STORY, err);
        if (!st) rc = ND_EDB;
        if (!rc) {
            sqlite3_bind_int64(st, 1, story);
            rc = step_done(c, st, "cannot delete a story", err);
        }
    } else if (!rc) {
        size_t distinct = 0;
        if (n_sites) {
            qsort(sites, n_sites, sizeof *sites, cmp_i64);
            distinct = 1;
            for (size_t i = 1; i < n_sites; i++) distinct += sites[i] != sites[i - 1];
        }
        /* Big stories: an even sample of their titles, first and last kept. */
        size_t n_cand = n_titles;
        if (n_titles > HL_MAX_TITLES) {
            for (size_t i = 0; i < HL_MAX_TITLES; i++) {
                size_t from = i * (n_titles - 1) / (HL_MAX_TITLES - 1);
                member tmp = titles[i];
                titles[i] = titles[from];
                titles[from] = tmp;
            }
            n_cand = HL_MAX_TITLES;
        }
        size_t h = n_cand ? pick_headline(titles, n_cand) : 0;
        char now[32];
        nd__store_now(now);
        st = stmt(c, CL_PUT_STORY, err);
        if (!st) rc = ND_EDB;
        if (!rc) {
            sqlite3_bind_int64(st, 1, story);
            if (n_cand) sqlite3_bind_text(st, 2, titles[h].title, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, n_cand ? titles[h].id : first_doc);
            if (first[0]) sqlite3_bind_text(st, 4, first, -1, SQLITE_STATIC);
            if (last[0]) sqlite3_bind_text(st, 5, last, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 6, (sqlite3_int64) n_docs);
            sqlite3_bind_int64(st, 7, (sqlite3_int64) n_dups);
            sqlite3_bind_int64(st, 8, (sqlite3_int64) distinct);
            sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
            rc = step_done(c, st, "cannot write a story", err);
        }
    }
    for (size_t i = 0; i < n_titles; i++) nd_free(titles[i].title);
    nd_free(titles);
    nd_free(sites);
    return rc;
}

int nd_store_cluster_sync(nd_store_clusterer *c, nd_error *err)
{
    if (!c->n_dirty) return 0;
    qsort(c->dirty, c->n_dirty, sizeof *c->dirty, cmp_i64);
    int rc = 0;
    for (size_t i = 0; i < c->n_dirty && !rc; i++)
        if (i == 0 || c->dirty[i] != c->dirty[i - 1]) rc = sync_story(c, c->dirty[i], err);
    if (!rc) c->n_dirty = 0;
    return rc;
}

/* ---- opening, restoring, saving ------------------------------------------------------------ */

/* The engine state saved by the last run, when it has our fingerprint:
 * 1 and *eng (*stale set when a later, killed run committed clustered
 * documents after it was saved), 2 when there is no saved state at all
 * (*eng a new engine), 0 when the saved state is not ours, or a negative
 * code. */
static int import_state(nd_store_clusterer *c, int *stale, nd_error *err)
{
    *stale = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->s->db,
                           "SELECT params, last_doc, state FROM cluster_state WHERE id = 1", -1,
                           &st, NULL) != SQLITE_OK)
        return nd__store_fail(c->s, "cannot read the clustering state", err);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return nd__store_fail(c->s, "cannot read the clustering state", err);
        c->eng = nd_cluster_new(&c->p, err);
        if (!c->eng) return err && err->code ? err->code : ND_ENOMEM;
        c->max_seen = 0;
        *stale = 1;
        return 2;
    }
    uint64_t fp = (uint64_t) sqlite3_column_int64(st, 0);
    int64_t last_doc = sqlite3_column_int64(st, 1);
    if (fp != c->fingerprint) {
        sqlite3_finalize(st);
        return 0;
    }
    nd_error ie = {0};
    c->eng =
        nd_cluster_import(sqlite3_column_blob(st, 2), (size_t) sqlite3_column_bytes(st, 2), &ie);
    sqlite3_finalize(st);
    if (!c->eng)
        return ie.code == ND_ENOMEM ? nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory")
                                    : 0;
    c->max_seen = last_doc;
    /* Stale when a later (killed) run committed clustered documents. */
    int64_t later = 0;
    rc = query_int(c->s,
                   "SELECT EXISTS (SELECT 1 FROM documents WHERE id > ?1 AND story_id IS NOT NULL)",
                   last_doc, &later, err);
    if (rc) return rc;
    *stale = later != 0;
    return 1;
}

/* Bring the engine of the saved state (or a new one) to where the killed
 * runs after it left theirs: the documents they clustered, fed again in
 * id order - the order ingest fed them - with the engine's answers
 * dropped (the store has them).  The engine is deterministic, so it ends
 * as a run that was never killed would be at that point. */
static int replay_state(nd_store_clusterer *c, nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->s->db,
                           "SELECT id, title, text, published FROM documents"
                           " WHERE id > ?1 AND story_id IS NOT NULL ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(c->s, "cannot read the stories", err);
    sqlite3_bind_int64(st, 1, c->max_seen);
    int rc = 0, sr;
    while (!rc && (sr = sqlite3_step(st)) == SQLITE_ROW) {
        nd_cluster_doc d;
        row_doc(st, &d);
        nd_cluster_result r;
        int er = nd_cluster_add(c->eng, &d, &r);
        if (er == ND_ENOMEM) rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        if (!er) {
            c->st.restored++;
            c->max_seen = d.id;
        }
    }
    if (!rc && sr != SQLITE_DONE) rc = nd__store_fail(c->s, "cannot read the stories", err);
    sqlite3_finalize(st);
    return rc;
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
    if (!t.v) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
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
            row_doc(q, &d);
            int64_t story = sqlite3_column_int64(q, 4), dup = sqlite3_column_int64(q, 5);
            int er = nd_cluster_restore(c->eng, &d, story, dup);
            if (er == ND_EINVAL && dup) er = nd_cluster_restore(c->eng, &d, story, 0);
            if (er == ND_ENOMEM) rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
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

/* mode 0: import or restore; 1: a new engine (recluster). */
static int open_clusterer(nd_store *s, const nd_cluster_params *p, int fresh,
                          nd_store_clusterer **out, nd_error *err)
{
    *out = NULL;
    if (s->flags & ND_STORE_READONLY)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: opened read-only", s->path);
    nd_store_clusterer *c = nd_calloc(1, sizeof *c);
    if (!c) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    c->s = s;
    if (p)
        c->p = *p;
    else
        nd_cluster_params_default(&c->p);
    int rc = fingerprint(&c->p, &c->fingerprint, err);
    if (!rc && !fresh) {
        int stale = 0;
        rc = import_state(c, &stale, err);
        if (rc > 0) {
            c->st.start = rc == 1 ? ND_STORE_CLUSTER_IMPORTED : ND_STORE_CLUSTER_FRESH;
            rc = stale ? replay_state(c, err) : 0;
            if (c->st.restored) c->st.start = ND_STORE_CLUSTER_REPLAYED;
        } else if (rc == 0) {
            rc = restore_state(c, err);
            c->st.start = c->st.restored ? ND_STORE_CLUSTER_RESTORED : ND_STORE_CLUSTER_FRESH;
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
    if (rc) {
        nd_store_clusterer_free(c);
        return rc;
    }
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
    for (int i = 0; i < CL_COUNT_; i++) sqlite3_finalize(c->stmt[i]);
    nd_cluster_free(c->eng);
    nd_free(c->dirty);
    nd_free(c);
}

void nd_store_cluster_get_stats(const nd_store_clusterer *c, nd_store_cluster_stats *st)
{
    *st = c->st;
}

int nd_store_cluster_finish(nd_store_clusterer *c, nd_error *err)
{
    nd_cluster_result r;
    if (nd_cluster_flush(c->eng, &r) == ND_ENOMEM)
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    int rc = apply_changes(c, &r, err);
    if (!rc) rc = nd_store_cluster_sync(c, err);
    if (rc) return rc;
    nd_buf b = ND_BUF_INIT;
    if (nd_cluster_export(c->eng, &b) || nd_buf_failed(&b)) {
        nd_buf_free(&b);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    nd_cluster_stats es;
    nd_cluster_get_stats(c->eng, &es);
    char now[32];
    nd__store_now(now);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->s->db,
                           "INSERT OR REPLACE INTO cluster_state(id, params, last_doc, docs, saved,"
                           " state) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                           -1, &st, NULL) != SQLITE_OK) {
        nd_buf_free(&b);
        return nd__store_fail(c->s, "cannot save the clustering state", err);
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64) c->fingerprint);
    sqlite3_bind_int64(st, 2, c->max_seen);
    sqlite3_bind_int64(st, 3, (sqlite3_int64) es.docs);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 5, b.ptr, b.len, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    c->st.state_bytes = b.len;
    nd_buf_free(&b);
    if (rc != SQLITE_DONE) return nd__store_fail(c->s, "cannot save the clustering state", err);
    int64_t n = 0;
    rc = query_int(c->s, "SELECT count(*) FROM stories", 0, &n, err);
    c->st.stories = (uint64_t) n;
    return rc;
}

/* ---- recluster ------------------------------------------------------------------------------ */

static int recluster(nd_store *s, const nd_cluster_params *p, nd_store_cluster_stats *out,
                     nd_error *err)
{
    int rc = nd__store_exec(s,
                            "UPDATE documents SET story_id = NULL, dup_of = NULL"
                            " WHERE story_id IS NOT NULL OR dup_of IS NOT NULL;"
                            "DELETE FROM stories; DELETE FROM cluster_state;",
                            err);
    if (rc) return rc;
    nd_store_clusterer *c;
    rc = open_clusterer(s, p, 1, &c, err);
    if (rc) return rc;
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
    while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            int64_t *ni = nd_realloc(ids, cap * sizeof *ni);
            if (!ni) {
                rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            ids = ni;
        }
        ids[n++] = sqlite3_column_int64(st, 0);
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
            rc = cluster_row(c, q, err);
        else if (sr != SQLITE_DONE)
            rc = nd__store_fail(s, "cannot read a document", err);
        sqlite3_reset(q);
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

/* ---- reading ----------------------------------------------------------------------------------
 */

#define STORY_COLUMNS "id, headline, rep_doc, first_seen, last_seen, n_docs, n_dups, n_sites"

static void story_from_row(sqlite3_stmt *st, nd_store_story *s)
{
    s->id = sqlite3_column_int64(st, 0);
    s->headline = (const char *) sqlite3_column_text(st, 1);
    s->rep_doc = sqlite3_column_int64(st, 2);
    s->first_seen = (const char *) sqlite3_column_text(st, 3);
    s->last_seen = (const char *) sqlite3_column_text(st, 4);
    s->n_docs = (uint64_t) sqlite3_column_int64(st, 5);
    s->n_dups = (uint64_t) sqlite3_column_int64(st, 6);
    s->n_sites = (uint64_t) sqlite3_column_int64(st, 7);
    s->arena = NULL;
}

int nd_store_stories(nd_store *s, const nd_store_story_query *q,
                     int (*fn)(void *ctx, const nd_store_story *st), void *ctx, nd_error *err)
{
    char since[32] = "";
    if (q && q->since) {
        if (nd__store_parse_time(q->since, since) != 0)
            return nd_error_set(err, ND_EPARSE, (size_t) -1, "cannot read the date '%s'", q->since);
        /* A day bound matches day-only and timed values of that day. */
        if (strlen(since) == 20 && strcmp(since + 10, "T00:00:00Z") == 0) since[10] = 0;
    }
    int limit = q && q->limit > 0 ? q->limit : 20;
    int offset = q && q->offset > 0 ? q->offset : 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           since[0] ? "SELECT " STORY_COLUMNS " FROM stories WHERE last_seen >= ?1"
                                      " ORDER BY last_seen DESC, id DESC LIMIT ?2 OFFSET ?3"
                                    : "SELECT " STORY_COLUMNS " FROM stories"
                                      " ORDER BY last_seen IS NULL, last_seen DESC, id DESC"
                                      " LIMIT ?2 OFFSET ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list stories", err);
    if (since[0]) sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    sqlite3_bind_int(st, 3, offset);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_story story;
        story_from_row(st, &story);
        ret = fn(ctx, &story);
        if (ret) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot list stories", err);
    sqlite3_finalize(st);
    return ret;
}

int nd_store_story_get(nd_store *s, int64_t id, nd_store_story **out, nd_error *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT " STORY_COLUMNS " FROM stories WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot read a story", err);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no story %lld", (long long) id);
        return nd__store_fail(s, "cannot read a story", err);
    }
    nd_store_story *r = nd_calloc(1, sizeof *r);
    nd_arena *ar = nd_arena_new(1024);
    if (!r || !ar) {
        nd_free(r);
        nd_arena_free(ar);
        sqlite3_finalize(st);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    story_from_row(st, r);
    r->arena = ar;
    const char **strs[] = {&r->headline, &r->first_seen, &r->last_seen};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (*strs[i]) *strs[i] = nd_arena_strndup(ar, *strs[i], strlen(*strs[i]));
    sqlite3_finalize(st);
    *out = r;
    return 0;
}

void nd_store_story_free(nd_store_story *st)
{
    if (!st) return;
    nd_arena_free(st->arena);
    nd_free(st);
}

int nd_store_story_docs(nd_store *s, int64_t id, int (*fn)(void *ctx, const nd_store_story_doc *d),
                        void *ctx, nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, ext_id, title, site, host, url, language, published,"
                           " fetched, dup_of, parent_id, version FROM documents"
                           " WHERE story_id = ?1"
                           " ORDER BY coalesce(published, fetched) IS NULL,"
                           " coalesce(published, fetched), id",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot read a story", err);
    sqlite3_bind_int64(st, 1, id);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_story_doc d;
        d.id = sqlite3_column_int64(st, 0);
        d.ext_id = (const char *) sqlite3_column_text(st, 1);
        d.title = (const char *) sqlite3_column_text(st, 2);
        d.site = (const char *) sqlite3_column_text(st, 3);
        d.host = (const char *) sqlite3_column_text(st, 4);
        d.url = (const char *) sqlite3_column_text(st, 5);
        d.language = (const char *) sqlite3_column_text(st, 6);
        d.published = (const char *) sqlite3_column_text(st, 7);
        d.fetched = (const char *) sqlite3_column_text(st, 8);
        d.dup_of = sqlite3_column_int64(st, 9);
        d.parent_id = sqlite3_column_int64(st, 10);
        d.version = sqlite3_column_int(st, 11);
        ret = fn(ctx, &d);
        if (ret) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot read a story", err);
    sqlite3_finalize(st);
    return ret;
}
