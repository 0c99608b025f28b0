/* actors.c - the most mentioned actors, and one actor's page: who it is,
 * its mentions over time, its latest quotations, who is with it.
 *
 * Plans: counts come from tables the analysis write path keeps
 * (src/store/analysis.c, schema step 5): actor_stats (documents,
 * mentions, quotations, first and last date per actor), actor_days
 * (documents and mentions per actor and day) and code_days (the same per
 * CAMEO code prefix: "RUS", "RUSGOV", each document counted once however
 * many of its actors share the prefix).  So `actors` reads the top of an
 * index and a timeline reads one row per day, whatever the store's size.
 * Co-occurring actors are counted in the actor's latest
 * ND_QUERY_PEER_DOCS documents. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/imap.h"
#include "query/query_int.h"

#define ACTOR_COLS "a.id, a.name, a.code, a.country, a.role, a.kind, a.in_dict"

static void actor_row(nd_arena *ar, sqlite3_stmt *st, nd_actor_row *a)
{
    a->id = sqlite3_column_int64(st, 0);
    a->name = nd__col_dup(ar, st, 1);
    a->code = nd__col_dup(ar, st, 2);
    a->country = nd__col_dup(ar, st, 3);
    a->role = nd__col_dup(ar, st, 4);
    a->kind = nd__col_dup(ar, st, 5);
    a->in_dict = sqlite3_column_int(st, 6);
    if (!a->code) a->code = "";
    if (!a->name) a->name = "";
}

/* Rows of ACTOR_COLS + documents, mentions[, quotes, first, last]. */
static int actor_rows(nd_store *s, sqlite3_stmt *st, int full, nd_arena *ar, nd__vec *v, int limit,
                      int *more, const char *what, nd_error *err)
{
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (limit > 0 && (int) v->n == limit) {
            if (more) *more = 1;
            break;
        }
        nd_actor_row *a = nd__vec_push(ar, v);
        if (!a) {
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        actor_row(ar, st, a);
        a->documents = (uint64_t) sqlite3_column_int64(st, 7);
        a->mentions = (uint64_t) sqlite3_column_int64(st, 8);
        if (full) {
            a->quotes = (uint64_t) sqlite3_column_int64(st, 9);
            a->first = nd__col_dup(ar, st, 10);
            a->last = nd__col_dup(ar, st, 11);
        }
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW) ret = nd__store_fail(s, what, err);
    sqlite3_finalize(st);
    return ret;
}

int nd_query_actors(nd_store *s, const nd_query_opts *o, nd_actor_list **out, nd_error *err)
{
    *out = NULL;
    int rc = nd__query_check(o, ND__F_STORY | ND__F_CURSOR, "actors", err);
    if (rc) return rc;
    int64_t offset = 0;
    if (o && o->cursor) {
        char buf[256];
        const char *f[1];
        rc = nd__cursor_split(o->cursor, 'a', buf, f, 1, err);
        if (rc < 0 || (rc = nd__cursor_int(f[0], &offset, err)) < 0) return rc;
    }
    int limit = nd__query_limit(o, 20);
    nd_buf sql = ND_BUF_INIT;
    /* The top by documents, then mentions (ties by id, so that pages do
     * not overlap), shown with ties by name. */
    if (o && o->story)
        nd_buf_puts(
            &sql,
            "SELECT " ACTOR_COLS ", t.n, t.m, 0, NULL, NULL FROM"
            " (SELECT actor_id, count(*) AS n, sum(mentions) AS m FROM doc_actors"
            " WHERE doc_id IN (SELECT id FROM documents WHERE story_id = ?3 AND dup_of IS NULL)"
            " GROUP BY actor_id ORDER BY n DESC, m DESC, actor_id LIMIT ?1 OFFSET ?2)"
            " t JOIN actors a ON a.id = t.actor_id ORDER BY t.n DESC, t.m DESC, a.name");
    else
        nd_buf_puts(&sql, "SELECT " ACTOR_COLS ", t.documents, t.mentions, t.quotes, t.first,"
                          " t.last FROM (SELECT * FROM actor_stats WHERE documents > 0"
                          " ORDER BY documents DESC, mentions DESC, actor_id LIMIT ?1 OFFSET ?2)"
                          " t JOIN actors a ON a.id = t.actor_id"
                          " ORDER BY t.documents DESC, t.mentions DESC, a.name");
    sqlite3_stmt *st;
    rc = nd__prepare(s, &sql, &st, "cannot list actors", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, limit + 1);
    sqlite3_bind_int64(st, 2, offset);
    if (o && o->story) sqlite3_bind_int64(st, 3, o->story);
    nd_actor_list *res = nd__result_new(sizeof *res, 0, err);
    if (!res) {
        sqlite3_finalize(st);
        return ND_ENOMEM;
    }
    nd__vec v = {NULL, 0, 0, sizeof(nd_actor_row)};
    int more = 0;
    rc = actor_rows(s, st, 1, res->r.arena, &v, 0, NULL, "cannot list actors", err);
    if (!rc && (int) v.n > limit) {
        /* The extra row says a next page exists; it is the page's last
         * by rank, so drop the one that ranks last. */
        more = 1;
        nd_actor_row *a = v.items;
        size_t worst = 0;
        for (size_t i = 1; i < v.n; i++)
            if (a[i].documents < a[worst].documents ||
                (a[i].documents == a[worst].documents &&
                 (a[i].mentions < a[worst].mentions ||
                  (a[i].mentions == a[worst].mentions && a[i].id > a[worst].id))))
                worst = i;
        memmove(&a[worst], &a[worst + 1], (v.n - worst - 1) * sizeof *a);
        v.n--;
    }
    if (rc) {
        nd_result_free(res);
        return rc;
    }
    if (more) {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long) (offset + limit));
        const char *f[] = {num};
        res->r.next = nd__cursor_make(res->r.arena, 'a', 1, f);
    }
    res->items = v.items;
    res->n = v.n;
    *out = res;
    return 0;
}

/* ---- one actor -------------------------------------------------------------------------- */

int nd__timeline_split = 16;

/* A query of x's actors but the one with the most documents (ties: the
 * lowest id) appended to sql: "the others", among whose documents a
 * document of two of them must be. */
static void others_sql(nd_buf *sql, const nd__sel *x)
{
    nd_buf_puts(sql, "SELECT actor_id FROM actor_stats WHERE actor_id ");
    nd__sel_in(sql, x);
    nd_buf_puts(sql, " ORDER BY documents DESC, actor_id LIMIT -1 OFFSET 1");
}

/* The span of the document ids of the others of x (others_sql):
 * [*lo, *hi], or lo > hi when they have none. */
static int others_span(nd_store *s, const nd__sel *x, int64_t *lo, int64_t *hi, nd_error *err)
{
    *lo = 1, *hi = 0;
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT (SELECT min(doc_id) FROM doc_actors WHERE actor_id = o.actor_id),"
                      " (SELECT max(doc_id) FROM doc_actors WHERE actor_id = o.actor_id) FROM (");
    others_sql(&sql, x);
    nd_buf_puts(&sql, ") o");
    sqlite3_stmt *st;
    int rc = nd__prepare(s, &sql, &st, "cannot count mentions", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_NULL) continue;
        int64_t a = sqlite3_column_int64(st, 0), b = sqlite3_column_int64(st, 1);
        if (*lo > *hi) {
            *lo = a, *hi = b;
        } else {
            if (a < *lo) *lo = a;
            if (b > *hi) *hi = b;
        }
    }
    int ret = rc == SQLITE_DONE ? 0 : nd__store_fail(s, "cannot count mentions", err);
    sqlite3_finalize(st);
    return ret;
}

/* Documents and mentions per period of the actors x means. */
static int timeline(nd_store *s, const nd__sel *x, nd__agg *g, nd_error *err)
{
    nd_buf sql = ND_BUF_INIT;
    size_t plen = strlen(x->prefix);
    if (!x->prefix[0] && x->n == 1) {
        nd_buf_printf(&sql,
                      "SELECT day, documents, mentions FROM actor_days"
                      " WHERE actor_id = %lld AND documents > 0 ORDER BY day = '', day",
                      (long long) x->ids[0]);
    } else if (plen && plen % 3 == 0) {
        /* Codes are three letters a level: a prefix of whole levels has
         * its own totals, each document counted once. */
        nd_buf_printf(&sql,
                      "SELECT day, documents, mentions FROM code_days"
                      " WHERE prefix = '%s' AND documents > 0 ORDER BY day = '', day",
                      x->prefix);
    } else if (!x->prefix[0] && x->n <= (size_t) nd__timeline_split) {
        /* A few actors by name ("Donald Trump": USAELI and USAGOV,
         * 21,500 documents at 200,000): their days summed, less each
         * document counted more than once - a document naming k of them
         * is in k actors' days.  Those documents are found among the
         * documents of all but the actor with the most (each looked up
         * in the others' (actor_id, doc_id) keys), and only their rows
         * are read for their day: the per-document counts below, exact,
         * without reading every document of the actors. */
        int64_t lo = 1, hi = 0;
        int rc0 = others_span(s, x, &lo, &hi, err);
        if (rc0) return rc0;
        nd_buf_puts(&sql, "SELECT day, sum(n), sum(m) FROM (SELECT day, documents AS n,"
                          " mentions AS m FROM actor_days WHERE documents > 0 AND actor_id ");
        nd__sel_in(&sql, x);
        nd_buf_puts(&sql, " UNION ALL SELECT coalesce(substr(coalesce(d.published, d.fetched), 1,"
                          " 10), ''), 1 - o.k, 0 FROM (SELECT y.doc_id, count(*) AS k FROM"
                          " doc_actors y WHERE y.actor_id ");
        nd__sel_in(&sql, x);
        /* Within the others' span of ids: the actors' own (actor_id,
         * doc_id) ranges read in order, where the plan without it looked
         * each of the others' documents up in doc_actors_doc, a page each
         * cold (`actor "Donald Trump"` at 1,000,000 documents: 12,160
         * documents of USAGOV, 12,000 pages). */
        nd_buf_printf(&sql, " AND y.doc_id BETWEEN %lld AND %lld", (long long) lo, (long long) hi);
        nd_buf_puts(&sql, " AND y.doc_id IN (SELECT doc_id FROM doc_actors WHERE actor_id IN (");
        others_sql(&sql, x);
        nd_buf_puts(&sql, ")) GROUP BY"
                          " y.doc_id HAVING count(*) > 1) o JOIN documents d ON d.id = o.doc_id)"
                          " GROUP BY day HAVING sum(n) > 0 ORDER BY day = '', day");
    } else {
        /* Several actors by name, or an odd prefix: per document. */
        nd_buf_puts(&sql, "SELECT substr(coalesce(d.published, d.fetched), 1, 10) AS dd, 1,"
                          " sum(da.mentions) FROM doc_actors da JOIN documents d"
                          " ON d.id = da.doc_id WHERE da.actor_id ");
        nd__sel_in(&sql, x);
        nd_buf_puts(&sql, " GROUP BY da.doc_id ORDER BY dd IS NULL, dd");
    }
    sqlite3_stmt *st;
    int rc = nd__prepare(s, &sql, &st, "cannot count mentions", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *day = (const char *) sqlite3_column_text(st, 0);
        nd_period *p = nd__agg_at(g, day && *day ? day : NULL);
        if (!p) break;
        p->documents += (uint64_t) sqlite3_column_int64(st, 1);
        p->mentions += (uint64_t) sqlite3_column_int64(st, 2);
    }
    int ret = 0;
    if (g->failed)
        ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = nd__store_fail(s, "cannot count mentions", err);
    sqlite3_finalize(st);
    nd__agg_end(g);
    return ret;
}

/* One actor's count over a set of documents. */
typedef struct tally_row {
    int64_t id;
    uint64_t n, m;
    const char *name; /* read for the candidates only */
    nd_actor_row *row;
} tally_row;

static int by_docs_mentions(const void *x, const void *y)
{
    const tally_row *a = x, *b = y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    if (a->m != b->m) return a->m > b->m ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int by_docs(const void *x, const void *y)
{
    const tally_row *a = x, *b = y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* The order shown: the count(s), then the name (SQLite's BINARY order),
 * then the id. */
static int by_docs_mentions_name(const void *x, const void *y)
{
    const tally_row *a = x, *b = y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    if (a->m != b->m) return a->m > b->m ? -1 : 1;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

static int by_docs_name(const void *x, const void *y)
{
    const tally_row *a = x, *b = y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* The actors counted so far: at maps an actor id to its row of t. */
typedef struct tally {
    nd__imap at;
    tally_row *t;
    size_t n, cap;
} tally;

static int tally_add(tally *y, int64_t id, uint64_t mentions)
{
    int64_t k;
    if (!nd__imap_get(&y->at, (uint64_t) id, &k)) {
        if (y->n == y->cap) {
            size_t nc = y->cap ? y->cap * 2 : 256;
            tally_row *g = nd_realloc(y->t, nc * sizeof *g);
            if (!g) return ND_ENOMEM;
            y->t = g;
            y->cap = nc;
        }
        k = (int64_t) y->n;
        if (nd__imap_put(&y->at, (uint64_t) id, k)) return ND_ENOMEM;
        memset(&y->t[y->n], 0, sizeof *y->t);
        y->t[y->n++].id = id;
    }
    y->t[k].n++;
    y->t[k].m += mentions;
    return 0;
}

/* The first limit of the counted actors, named and in the order shown,
 * appended to v; frees y. */
static int tally_top(nd_store *s, tally *y, int by_mentions, int limit, nd_arena *ar, nd__vec *v,
                     nd_error *err)
{
    nd__imap_free(&y->at);
    memset(&y->at, 0, sizeof y->at);
    tally_row *t = y->t;
    size_t nt = y->n;
    if (!nt) {
        nd_free(t);
        return 0;
    }
    /* The limit-th best count and all its ties are the candidates; only
     * they are named, then put in the order shown. */
    qsort(t, nt, sizeof *t, by_mentions ? by_docs_mentions : by_docs);
    size_t nc = (size_t) limit < nt ? (size_t) limit : nt;
    while (nc < nt && t[nc].n == t[nc - 1].n && (!by_mentions || t[nc].m == t[nc - 1].m)) nc++;
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT " ACTOR_COLS " FROM actors a WHERE a.id IN (");
    for (size_t i = 0; i < nc; i++)
        nd_buf_printf(&sql, "%s%lld", i ? "," : "", (long long) t[i].id);
    nd_buf_puts(&sql, ")");
    sqlite3_stmt *st = NULL;
    int ret = nd__prepare(s, &sql, &st, "cannot count actors", err), rc = SQLITE_DONE;
    nd_buf_free(&sql);
    nd__imap at = {0};
    nd_actor_row *rows = ret ? NULL : nd_arena_calloc(ar, nc, sizeof *rows);
    if (!ret && !rows) ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    for (size_t i = 0; !ret && i < nc; i++)
        if (nd__imap_put(&at, (uint64_t) t[i].id, (int64_t) i))
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    size_t named = 0;
    while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW && named < nc) {
        int64_t i;
        if (!nd__imap_get(&at, (uint64_t) sqlite3_column_int64(st, 0), &i) || t[i].row) continue;
        t[i].row = &rows[named++];
        actor_row(ar, st, t[i].row);
        t[i].name = t[i].row->name;
    }
    nd__imap_free(&at);
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = nd__store_fail(s, "cannot count actors", err);
    if (st) sqlite3_finalize(st);
    if (!ret) {
        /* An actor row gone meanwhile is not shown (as the join did). */
        size_t k = 0;
        for (size_t i = 0; i < nc; i++)
            if (t[i].row) t[k++] = t[i];
        qsort(t, k, sizeof *t, by_mentions ? by_docs_mentions_name : by_docs_name);
        for (size_t i = 0; i < k && i < (size_t) limit && !ret; i++) {
            nd_actor_row *a = nd__vec_push(ar, v);
            if (!a) {
                ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            *a = *t[i].row;
            a->documents = t[i].n;
            a->mentions = t[i].m;
        }
    }
    nd_free(t);
    y->t = NULL;
    return ret;
}

/* Count the actors of docs[0..n) into y, but those of skip (may be NULL),
 * from the (doc_id, actor_id, mentions) index alone: SQLite's GROUP BY
 * sorted every row (45,000 for 2,000 documents) and named every group
 * before the LIMIT. */
/* The pages of doc_actors_doc that hold the rows of docs[0..n) asked of
 * the system at once (nd__fetch_keys), before doc_rows_tally reads them
 * one at a time: the newest documents of an actor by name are spread
 * over the index (`actor "Donald Trump"` at 1,000,000 documents: its
 * 1,000 newest documents' rows, 923 pages).  A hint only, for the actor
 * page on a cold store (its probe, taken before it read anything). */
static void doc_rows_ahead(nd_store *s, const int64_t *docs, size_t n)
{
    if (n < 32) return;
    int64_t *ids = nd_malloc(n * sizeof *ids);
    nd__fetch_key *keys = ids ? nd_malloc(n * sizeof *keys) : NULL;
    nd__fetch f = {.fd = -1};
    if (keys && nd__fetch_open(s, "doc_actors_doc", &f) == 0) {
        memcpy(ids, docs, n * sizeof *ids);
        qsort(ids, n, sizeof *ids, nd__i64_order);
        for (size_t i = 0; i < n; i++) keys[i] = (nd__fetch_key){1, ids[i], NULL, 0};
        nd__fetch_keys(&f, keys, n);
    }
    nd__fetch_close(&f);
    nd_free(keys);
    nd_free(ids);
}

static int doc_rows_tally(nd_store *s, const int64_t *docs, size_t n, const nd__imap *skip,
                          tally *y, nd_error *err)
{
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT actor_id, mentions FROM doc_actors WHERE doc_id IN (");
    for (size_t i = 0; i < n; i++) nd_buf_printf(&sql, "%s%lld", i ? "," : "", (long long) docs[i]);
    nd_buf_puts(&sql, ")");
    sqlite3_stmt *st;
    int rc = nd__prepare(s, &sql, &st, "cannot count actors", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id <= 0 || (skip && nd__imap_get(skip, (uint64_t) id, NULL))) continue;
        if ((ret = tally_add(y, id, (uint64_t) sqlite3_column_int64(st, 1)))) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot count actors", err);
    sqlite3_finalize(st);
    if (ret == ND_ENOMEM) ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    return ret;
}

int nd__doc_actors_top(nd_store *s, const int64_t *docs, size_t n, const nd__imap *skip,
                       int by_mentions, int limit, nd_arena *ar, nd__vec *v, nd_error *err)
{
    if (!n || limit <= 0) return 0;
    tally y = {{0}, NULL, 0, 0};
    int ret = doc_rows_tally(s, docs, n, skip, &y, err);
    if (ret) {
        nd__imap_free(&y.at);
        nd_free(y.t);
        return ret;
    }
    return tally_top(s, &y, by_mentions, limit, ar, v, err);
}

int nd__doc_actors_top_mem(nd_store *s, const nd_doc_table *t, const int64_t *docs, size_t n,
                           int limit, nd_arena *ar, nd__vec *v, nd_error *err)
{
    if (!n || limit <= 0) return 0;
    /* Counted in an array by actor id, then only the actors with at
     * least the limit-th best count (and its ties: tally_top needs them)
     * are handed on: sorting every actor of 2,000 documents (about 8,000)
     * cost more than counting them. */
    uint32_t most = nd__docs_max_actor(t);
    uint32_t *count = nd_calloc((size_t) most + 1, sizeof *count);
    uint32_t *seen = NULL, *best = nd_calloc((size_t) limit, sizeof *best);
    size_t n_seen = 0, cap = 0;
    int ret = count && best ? 0 : ND_ENOMEM;
    for (size_t i = 0; !ret && i < n; i++) {
        const uint32_t *a;
        size_t k = nd__docs_actors(t, docs[i], &a);
        for (size_t j = 0; j < k; j++) {
            if (count[a[j]]++) continue;
            if (n_seen == cap) {
                size_t nc = cap ? cap * 2 : 1024;
                uint32_t *g = nd_realloc(seen, nc * sizeof *g);
                if (!g) {
                    ret = ND_ENOMEM;
                    break;
                }
                seen = g;
                cap = nc;
            }
            seen[n_seen++] = a[j];
        }
    }
    /* The limit-th best count: a min-heap of the best limit counts. */
    size_t nb = 0;
    for (size_t i = 0; !ret && i < n_seen; i++) {
        uint32_t c = count[seen[i]];
        if (nb < (size_t) limit) {
            size_t at = nb++;
            best[at] = c;
            while (at > 0 && best[(at - 1) / 2] > best[at]) {
                uint32_t x = best[at];
                best[at] = best[(at - 1) / 2];
                best[(at - 1) / 2] = x;
                at = (at - 1) / 2;
            }
        } else if (c > best[0]) {
            best[0] = c;
            for (size_t at = 0;;) {
                size_t l = 2 * at + 1, m = at;
                if (l < nb && best[l] < best[m]) m = l;
                if (l + 1 < nb && best[l + 1] < best[m]) m = l + 1;
                if (m == at) break;
                uint32_t x = best[at];
                best[at] = best[m];
                best[m] = x;
                at = m;
            }
        }
    }
    uint32_t bar = nb ? best[0] : 0;
    tally y = {{0}, NULL, 0, 0};
    for (size_t i = 0; !ret && i < n_seen; i++)
        if (count[seen[i]] >= bar) {
            if (y.n == y.cap) {
                size_t nc = y.cap ? y.cap * 2 : 64;
                tally_row *g = nd_realloc(y.t, nc * sizeof *g);
                if (!g) {
                    ret = ND_ENOMEM;
                    break;
                }
                y.t = g;
                y.cap = nc;
            }
            memset(&y.t[y.n], 0, sizeof *y.t);
            y.t[y.n].id = seen[i];
            y.t[y.n++].n = count[seen[i]];
        }
    nd_free(count);
    nd_free(seen);
    nd_free(best);
    if (ret) {
        nd_free(y.t);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    return tally_top(s, &y, 0, limit, ar, v, err);
}

/* Adds id to the set and the list; 0 or ND_ENOMEM. */
static int set_add(nd__imap *set, int64_t **ids, size_t *k, size_t *cap, int64_t id)
{
    if (id <= 0 || nd__imap_get(set, (uint64_t) id, NULL)) return 0;
    if (*k == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        int64_t *g = nd_realloc(*ids, nc * sizeof *g);
        if (!g) return ND_ENOMEM;
        *ids = g;
        *cap = nc;
    }
    (*ids)[(*k)++] = id;
    return nd__imap_put(set, (uint64_t) id, 1) ? ND_ENOMEM : 0;
}

/* sel_set of a three-letter prefix: its rows of prefix_actors (schema
 * step 10), each a list of ids, the first in full and each next as its
 * distance from the one before ("1200,3,41"). */
static int prefix_set(nd_store *s, const nd__sel *x, nd__imap *out, int64_t **ids, size_t *k,
                      nd_error *err)
{
    size_t cap = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT ids FROM prefix_actors WHERE prefix = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot find co-occurring actors", err);
    sqlite3_bind_text(st, 1, x->prefix, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE, ret = 0;
    while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *p = (const char *) sqlite3_column_text(st, 0);
        int64_t id = 0, v = 0;
        for (; p && !ret; p++) {
            if (*p >= '0' && *p <= '9') {
                v = v * 10 + (*p - '0');
                continue;
            }
            id += v;
            v = 0;
            ret = set_add(out, ids, k, &cap, id);
            if (!*p) break;
        }
    }
    sqlite3_finalize(st);
    if (!ret && rc != SQLITE_DONE)
        ret = nd__store_fail(s, "cannot find co-occurring actors", err);
    else if (ret)
        ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (ret) {
        nd__imap_free(out);
        nd_free(*ids);
        *ids = NULL;
        *k = 0;
    }
    return ret;
}

/* The actor ids x means, in memory: a set (id -> 1) and a list (*ids,
 * *k; nd_free it).  A three-letter prefix reads its lists of
 * prefix_actors (USA at 1,000,000 documents: 50,990 actors in 100 rows,
 * where its range of the code index was 182 pages cold), a longer one its
 * range of the code index once (6,485 entries for USA at 100,000
 * documents), where "actor_id IN (SELECT id FROM actors WHERE code ...)"
 * built an ephemeral index of them in each statement that named it. */
static int sel_set(nd_store *s, const nd__sel *x, nd__imap *out, int64_t **ids, size_t *k,
                   nd_error *err)
{
    memset(out, 0, sizeof *out);
    *ids = NULL;
    *k = 0;
    size_t cap = 0;
    sqlite3_stmt *st = NULL;
    int rc = SQLITE_DONE;
    char hi[32];
    if (strlen(x->prefix) == 3) return prefix_set(s, x, out, ids, k, err);
    if (x->prefix[0]) {
        nd__prefix_hi(x->prefix, hi, sizeof hi);
        if (sqlite3_prepare_v2(s->db, "SELECT id FROM actors WHERE code >= ?1 AND code < ?2", -1,
                               &st, NULL) != SQLITE_OK)
            return nd__store_fail(s, "cannot find co-occurring actors", err);
        sqlite3_bind_text(st, 1, x->prefix, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    }
    for (size_t i = 0;; i++) {
        int64_t id;
        if (st) {
            if ((rc = sqlite3_step(st)) != SQLITE_ROW) break;
            id = sqlite3_column_int64(st, 0);
        } else {
            if (i == x->n) break;
            id = x->ids[i];
        }
        if (set_add(out, ids, k, &cap, id)) goto nomem;
    }
    if (st) sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        nd__imap_free(out);
        nd_free(*ids);
        *ids = NULL;
        return nd__store_fail(s, "cannot find co-occurring actors", err);
    }
    return 0;
nomem:
    if (st) sqlite3_finalize(st);
    nd__imap_free(out);
    nd_free(*ids);
    *ids = NULL;
    return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
}

static int by_id_desc(const void *x, const void *y)
{
    int64_t a = *(const int64_t *) x, b = *(const int64_t *) y;
    return (a < b) - (a > b);
}

/* The documents that mention x (the actors ids[0..k)), newest first, on
 * each actor's own (actor_id, doc_id) keys: each one's newest
 * ND_QUERY_PEER_DOCS + 1, merged (the newest of all are among them),
 * where "SELECT DISTINCT doc_id ... WHERE actor_id IN (...) ORDER BY
 * doc_id DESC" read and sorted every document of every actor.  At most
 * ND_QUERY_PEER_DOCS ids into *docs (nd_free it); *sampled when there
 * are more. */
static int peer_docs(nd_store *s, const int64_t *ids, size_t k, int64_t **docs, size_t *n,
                     int *sampled, nd_error *err)
{
    *docs = NULL;
    *n = 0;
    *sampled = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT doc_id FROM doc_actors WHERE actor_id = ?1"
                           " ORDER BY doc_id DESC LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot find co-occurring actors", err);
    int64_t *d = NULL;
    size_t nd = 0, cap = 0;
    int rc = SQLITE_DONE, ret = 0;
    for (size_t i = 0; i < k && !ret; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int(st, 2, ND_QUERY_PEER_DOCS + 1);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (nd == cap) {
                size_t nc = cap ? cap * 2 : 4096;
                int64_t *g = nd_realloc(d, nc * sizeof *g);
                if (!g) {
                    ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                    break;
                }
                d = g;
                cap = nc;
            }
            d[nd++] = sqlite3_column_int64(st, 0);
        }
        if (!ret && rc != SQLITE_DONE)
            ret = nd__store_fail(s, "cannot find co-occurring actors", err);
    }
    sqlite3_finalize(st);
    if (ret) {
        nd_free(d);
        return ret;
    }
    if (k > 1 && nd > 1) qsort(d, nd, sizeof *d, by_id_desc);
    size_t u = 0;
    for (size_t i = 0; i < nd; i++) {
        if (u && d[u - 1] == d[i]) continue;
        if (u == ND_QUERY_PEER_DOCS) {
            *sampled = 1;
            break;
        }
        d[u++] = d[i];
    }
    *docs = d;
    *n = u;
    return 0;
}

/* Document ids a statement of the walk reads at a time. */
int nd__peer_walk_ids = 4096;

/* A document's actors as the walk reads them. */
typedef struct doc_rows {
    int64_t *id, *m;
    size_t n, cap;
} doc_rows;

/* The peers of a frequent x in one walk of the (doc_id, actor_id,
 * mentions) index from the newest document (hi, the largest doc_id of
 * doc_actors): a document is kept when one of its actors is in `in`, and
 * its other actors are counted into y there and then, until
 * ND_QUERY_PEER_DOCS documents are kept (*sampled when one more mentions
 * x).  The walk reads nd__peer_walk_ids document ids a statement (a
 * bounded range each).  Where this took two statements - x's documents
 * found walking the same index with "actor_id IN (the prefix's actors)",
 * then their rows read again by "doc_id IN (2,000 ids) AND actor_id NOT
 * IN (the prefix's actors)" - each built an ephemeral index of every
 * actor of the prefix and the second sought each document again. */
static int peers_walk(nd_store *s, int64_t hi, const nd__imap *in, tally *y, size_t *n,
                      int *sampled, nd_error *err)
{
    *n = 0;
    *sampled = 0;
    int rc;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT doc_id, actor_id, mentions FROM doc_actors"
                           " WHERE doc_id > ?1 AND doc_id <= ?2 ORDER BY doc_id DESC",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot find co-occurring actors", err);
    doc_rows d = {NULL, NULL, 0, 0};
    int64_t cur = 0;
    int ret = 0, done = 0;
    for (; !ret && !done && hi > 0; hi -= nd__peer_walk_ids) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, hi - nd__peer_walk_ids);
        sqlite3_bind_int64(st, 2, hi);
        for (;;) {
            rc = sqlite3_step(st);
            int64_t doc = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
            /* The last document of the range ends with it: a document's
             * rows are all in one range. */
            if (d.n && doc != cur) {
                int hit = 0;
                for (size_t i = 0; i < d.n && !hit; i++)
                    hit = nd__imap_get(in, (uint64_t) d.id[i], NULL);
                if (hit && *n == ND_QUERY_PEER_DOCS) {
                    *sampled = 1;
                    done = 1;
                    break;
                }
                if (hit) {
                    (*n)++;
                    for (size_t i = 0; i < d.n && !ret; i++)
                        if (d.id[i] > 0 && !nd__imap_get(in, (uint64_t) d.id[i], NULL))
                            ret = tally_add(y, d.id[i], (uint64_t) d.m[i]);
                }
                d.n = 0;
                if (ret) break;
            }
            if (rc != SQLITE_ROW) break;
            if (d.n == d.cap) {
                size_t nc = d.cap ? d.cap * 2 : 64;
                int64_t *a = nd_realloc(d.id, nc * sizeof *a);
                if (a) d.id = a;
                int64_t *b = a ? nd_realloc(d.m, nc * sizeof *b) : NULL;
                if (b) d.m = b;
                if (!a || !b) {
                    ret = ND_ENOMEM;
                    break;
                }
                d.cap = nc;
            }
            cur = doc;
            d.id[d.n] = sqlite3_column_int64(st, 1);
            d.m[d.n++] = sqlite3_column_int64(st, 2);
        }
        if (!ret && !done && rc != SQLITE_DONE)
            ret = nd__store_fail(s, "cannot find co-occurring actors", err);
    }
    sqlite3_finalize(st);
    nd_free(d.id);
    nd_free(d.m);
    if (ret == ND_ENOMEM) ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    return ret;
}

int nd__peer_walk = -1;

/* The rows a seek is worth in peers()'s choice. */
#define PEER_SEEK 64.0

/* Whether the peers of x are found by the walk of the newest documents
 * (*walk), and the largest doc_id of doc_actors (*last), where it starts. */
static int peers_plan(nd_store *s, const nd__sel *x, size_t k, int *walk, int64_t *last,
                      nd_error *err)
{
    int64_t total = 0;
    *last = 0;
    int rc = nd__sel_total(s, x, "documents", &total, err);
    if (!rc) rc = nd__query_int(s, "SELECT max(doc_id) FROM doc_actors", 0, last, err);
    if (rc) return rc;
    *walk = k > 1 && total > nd__query_many / 2;
    if (*walk && nd__peer_walk < 0) {
        /* Rows read, roughly: the walk about 20 a document (17.8 at
         * 100,000) in the share of the newest documents that holds
         * ND_QUERY_PEER_DOCS of x's; the keys a seek an actor and x's
         * documents, then a seek and the rows (about 20) of each of the
         * ND_QUERY_PEER_DOCS documents.  A seek is worth PEER_SEEK rows:
         * about 8 in CPU, but a page of its own on a cold store, where a
         * page of the walk holds some 300 rows (GBR at 1,000,000
         * documents, 3,939 actors: the keys read 5,085 pages cold, the
         * walk 1,000). */
        double docs = (double) ND_QUERY_PEER_DOCS + 1;
        double w = 20.0 * docs * (double) *last / (double) total;
        double keys = PEER_SEEK * (double) k + (double) total + (PEER_SEEK + 20.0) * docs;
        *walk = w < keys;
    } else if (*walk) {
        *walk = nd__peer_walk;
    }
    return 0;
}

/* ---- the peers' walk read ahead ---------------------------------------------------- */

/* Cold, the actor page of a frequent prefix waits for its pages one read
 * at a time (`actor USA` at 1,000,000 documents: 507, 211 of them the
 * peers' walk of doc_actors_doc).  The walk needs only the prefix's set
 * and where it starts, both known before the page's rows, timeline,
 * event count and quotations are read: a thread walks the same entries
 * from the same document down on a read-only connection of its own,
 * keeping count of the documents that mention x, and stops where the walk
 * stops (or when the page is through), so the walk then finds its pages
 * in the system's page cache while the disk served two reads at a time.
 * It only reads (the set, never changed while it runs, and the store):
 * the page is the store's connection's, and a thread that cannot start
 * or open changes nothing.  Started on a cold store only (the index's
 * last leaf not in the page cache, nd__leaf_cached): warm, it is the
 * walk's CPU again. */
typedef struct peers_ahead {
    pthread_t th;
    int started;
    atomic_int stop;
    char *path;
    const nd__imap *in;
    int64_t hi;
    int64_t docs; /* documents walked that mention x */
} peers_ahead;

int nd__peers_ahead_mode;
int64_t nd__peers_ahead_docs;

static void *peers_ahead_run(void *p)
{
    peers_ahead *a = p;
    sqlite3 *db = nd__ahead_open(a->path, &a->stop);
    sqlite3_stmt *st = NULL;
    if (db && sqlite3_prepare_v2(db,
                                 "SELECT doc_id, actor_id FROM doc_actors"
                                 " WHERE doc_id > ?1 AND doc_id <= ?2 ORDER BY doc_id DESC",
                                 -1, &st, NULL) == SQLITE_OK) {
        int64_t cur = 0;
        int hit = 0, done = 0;
        for (int64_t hi = a->hi; !done && hi > 0 && !atomic_load(&a->stop);
             hi -= nd__peer_walk_ids) {
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, hi - nd__peer_walk_ids);
            sqlite3_bind_int64(st, 2, hi);
            while (!done && sqlite3_step(st) == SQLITE_ROW) {
                int64_t doc = sqlite3_column_int64(st, 0);
                if (doc != cur) {
                    if (hit && ++a->docs > ND_QUERY_PEER_DOCS) done = 1;
                    cur = doc;
                    hit = 0;
                }
                if (!hit) hit = nd__imap_get(a->in, (uint64_t) sqlite3_column_int64(st, 1), NULL);
            }
        }
        if (!done && hit) a->docs++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return NULL;
}

static void peers_ahead_start(nd_store *s, peers_ahead *a, const nd__imap *in, int64_t hi, int cold)
{
    memset(a, 0, sizeof *a);
    atomic_init(&a->stop, 0);
    const char *path = sqlite3_db_filename(s->db, "main");
    if (!path || !path[0] || hi <= 0) return;
    if (!nd__peers_ahead_mode && !cold) return;
    if (!(a->path = strdup(path))) return;
    a->in = in;
    a->hi = hi;
    a->started = pthread_create(&a->th, NULL, peers_ahead_run, a) == 0;
}

/* Stops the thread (mode 2 of the tests: waits for its end) and frees. */
static void peers_ahead_end(peers_ahead *a)
{
    if (a->started) {
        if (nd__peers_ahead_mode < 2) atomic_store(&a->stop, 1);
        pthread_join(a->th, NULL);
        if (nd__peers_ahead_mode) nd__peers_ahead_docs = a->docs;
    }
    free(a->path);
    memset(a, 0, sizeof *a);
}

/* The peers of x, whose actors are `in` (a set) and ids[0..k), by the
 * walk (walk, from last down) or x's own documents (their rows asked for
 * ahead when cold). */
static int peers(nd_store *s, const nd__imap *in, const int64_t *ids, size_t k, int walk,
                 int64_t last, int cold, int limit, nd_actor_page *res, nd_error *err)
{
    int rc;
    tally y = {{0}, NULL, 0, 0};
    size_t n = 0;
    if (walk) {
        /* Many documents: walk the newest documents and keep those that
         * mention x, rather than gather all of x's and sort them. */
        rc = peers_walk(s, last, in, &y, &n, &res->peers_sampled, err);
    } else {
        int64_t *docs = NULL;
        rc = peer_docs(s, ids, k, &docs, &n, &res->peers_sampled, err);
        if (!rc && cold) doc_rows_ahead(s, docs, n);
        if (!rc && n) rc = doc_rows_tally(s, docs, n, in, &y, err);
        nd_free(docs);
    }
    res->peer_docs = n;
    nd__vec v = {NULL, 0, 0, sizeof(nd_actor_row)};
    if (!rc) {
        rc = tally_top(s, &y, 1, limit, res->r.arena, &v, err);
    } else {
        nd__imap_free(&y.at);
        nd_free(y.t);
    }
    res->peers = v.items;
    res->n_peers = v.n;
    return rc;
}

/* The actors an actor page lists: the first by documents, mentions, name. */
#define ACTOR_PAGE_ACTORS 100

/* Rank order entries walked at most to find a large prefix's first
 * ACTOR_PAGE_ACTORS actors (USA: its 100th is the 3,108th actor at
 * 200,000 documents; tests lower it), and past that, so many for each
 * actor of the prefix: an entry walked is about a 300th of a page of the
 * index, where the sort reads a row of actors and one of actor_stats for
 * each actor of the prefix (CHN at 1,000,000 documents: 6,450 actors, its
 * 100th the 71,034th of the index; GBR 3,939 and the 46,875th). */
int nd__actor_walk = 20000;
int nd__actor_walk_per = 128;

/* A large code prefix (more than nd__sel_large actors: USA has 12,357 at
 * 200,000 documents) lists its first actors without sorting all of them:
 * the rank index actor_stats(documents, mentions) is walked from the top
 * (at most nd__actor_walk entries, or nd__actor_walk_per for each of the
 * prefix's k actors) until ACTOR_PAGE_ACTORS of the prefix
 * (`in`, its actors in memory) are found; the last of them is the bar,
 * and the page is the actors of the prefix at or above it (its ties
 * included, read on past the walk's bound) in the order shown: the rows
 * of the sort over every actor.  Their ids into *top (*n of them;
 * nd_free it), or *n = 0 when the walk does not apply (the sort is read
 * instead): a small selection, a walk that ran out, or a bar at no
 * documents (an actor without totals would rank there).  The index alone
 * is read: the prefix is checked in memory, where each entry walked was
 * a row of actors read for its code (586 pages of actors cold for `actor
 * USA` at 1,000,000 documents, and 522 more for the page's rows, found
 * again by the same join from the top). */
static int rank_top(nd_store *s, const nd__sel *x, const nd__imap *in, size_t k, int64_t **top,
                    size_t *n, nd_error *err)
{
    *top = NULL;
    *n = 0;
    if (!x->prefix[0]) return 0;
    int64_t count = 0;
    int rc = nd__sel_count(s, x, &count, err);
    if (rc || count <= nd__sel_large) return rc;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT actor_id, documents, mentions FROM actor_stats"
                           " INDEXED BY actor_stats_top ORDER BY documents DESC, mentions DESC",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot find actors", err);
    int64_t *ids = NULL, d = 0, m = 0;
    int64_t most = (int64_t) k * nd__actor_walk_per;
    if (most < nd__actor_walk) most = nd__actor_walk;
    size_t found = 0, cap = 0;
    int ret = 0;
    for (int64_t walked = 0;; walked++) {
        if (found < ACTOR_PAGE_ACTORS && walked == most) break; /* ran out */
        if ((rc = sqlite3_step(st)) != SQLITE_ROW) break;
        int64_t rd = sqlite3_column_int64(st, 1), rm = sqlite3_column_int64(st, 2);
        /* Past the bar: every actor at or above it is found. */
        if (found >= ACTOR_PAGE_ACTORS && (rd != d || rm != m)) break;
        if (!nd__imap_get(in, (uint64_t) sqlite3_column_int64(st, 0), NULL)) continue;
        if (found == cap) {
            size_t nc = cap ? 2 * cap : 2 * ACTOR_PAGE_ACTORS;
            int64_t *g = nd_realloc(ids, nc * sizeof *g);
            if (!g) {
                ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            ids = g;
            cap = nc;
        }
        ids[found++] = sqlite3_column_int64(st, 0);
        d = rd;
        m = rm;
    }
    if (!ret && rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = nd__store_fail(s, "cannot find actors", err);
    sqlite3_finalize(st);
    if (ret || found < ACTOR_PAGE_ACTORS || d <= 0) {
        nd_free(ids);
        return ret;
    }
    *top = ids;
    *n = found;
    return 0;
}

int nd_query_actor(nd_store *s, const char *name, const nd_query_opts *o, nd_actor_page **out,
                   nd_error *err)
{
    *out = NULL;
    int by;
    const char *period;
    int rc = nd__parse_period(o ? o->period : NULL, &by, &period, err);
    if (rc) return rc;
    int limit = nd__query_limit(o, 10);
    nd__sel x;
    /* Asked before anything reads the store: the walk's first leaf is
     * the last of doc_actors_doc, which max(doc_id) reads (the tests'
     * nd__fetch_always takes a store as cold). */
    int cold = nd__fetch_always || nd__leaf_cached(s, "doc_actors_doc") == 0;
    if ((rc = nd__sel_resolve(s, name, 0, &x, err)) != 0) return rc;
    nd_actor_page *res = nd__result_new(sizeof *res, 0, err);
    if (!res) {
        nd__sel_free(&x);
        return ND_ENOMEM;
    }
    nd_arena *ar = res->r.arena;
    res->name = nd__str_dup(ar, name);
    res->period = period;

    /* The actors x means, in memory: the rank walk's and the peers'. */
    nd__imap in;
    int64_t *ids = NULL, *top = NULL;
    size_t k = 0, n_top = 0;
    rc = sel_set(s, &x, &in, &ids, &k, err);
    if (rc) {
        nd__sel_free(&x);
        nd_result_free(res);
        return rc;
    }
    /* The peers' walk read ahead, from here on (cold). */
    int walk = 0;
    int64_t last = 0;
    peers_ahead ahead;
    memset(&ahead, 0, sizeof ahead);
    rc = peers_plan(s, &x, k, &walk, &last, err);
    if (!rc && walk) peers_ahead_start(s, &ahead, &in, last, cold);
    nd_buf sql = ND_BUF_INIT;
    if (!rc) rc = rank_top(s, &x, &in, k, &top, &n_top, err);
    if (!rc && n_top) {
        /* Every actor of x ranked at or above the bar, by id. */
        nd_buf_puts(&sql, "SELECT " ACTOR_COLS ", t.documents, t.mentions, t.quotes, t.first,"
                          " t.last FROM actor_stats t CROSS JOIN actors a ON a.id = t.actor_id"
                          " WHERE t.actor_id IN (");
        for (size_t i = 0; i < n_top; i++)
            nd_buf_printf(&sql, "%s%lld", i ? "," : "", (long long) top[i]);
        nd_buf_puts(&sql, ")");
    } else {
        nd_buf_puts(&sql,
                    "SELECT " ACTOR_COLS ", coalesce(t.documents, 0), coalesce(t.mentions, 0),"
                    " coalesce(t.quotes, 0), t.first, t.last FROM actors a"
                    " LEFT JOIN actor_stats t ON t.actor_id = a.id WHERE a.id ");
        nd__sel_in(&sql, &x);
    }
    nd_buf_printf(&sql, " ORDER BY 8 DESC, 9 DESC, a.name, a.id LIMIT %d", ACTOR_PAGE_ACTORS);
    sqlite3_stmt *st = NULL;
    if (!rc) rc = nd__prepare(s, &sql, &st, "cannot find actors", err);
    nd_buf_free(&sql);
    nd__vec v = {NULL, 0, 0, sizeof(nd_actor_row)};
    if (!rc) rc = actor_rows(s, st, 1, ar, &v, 0, NULL, "cannot find actors", err);
    res->actors = v.items;
    res->n_actors = v.n;
    if (!rc && !v.n)
        rc = nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no actor '%s' in the store", name);

    nd__agg g;
    nd__agg_init(&g, ar, by);
    if (!rc) rc = timeline(s, &x, &g, err);
    res->timeline = g.out.items;
    res->n_timeline = g.out.n;
    if (!rc)
        rc = nd__sel_events(s, &x, cold, &res->events, &res->event_reports, &res->events_over, err);

    if (!rc) {
        nd_query_opts q;
        memset(&q, 0, sizeof q);
        q.actor = name;
        q.exact_actor = 1;
        q.limit = limit;
        nd__vec qv = {NULL, 0, 0, sizeof(nd_quote_row)};
        const char *next = NULL;
        rc = nd__query_quotes(s, &q, &in, ar, &qv, &next, err);
        res->quotes = qv.items;
        res->n_quotes = qv.n;
    }
    if (!rc) rc = peers(s, &in, ids, k, walk, last, cold, limit, res, err);
    peers_ahead_end(&ahead);
    nd__imap_free(&in);
    nd_free(ids);
    nd_free(top);
    nd__sel_free(&x);
    if (rc) {
        nd_result_free(res);
        return rc;
    }
    *out = res;
    return 0;
}
