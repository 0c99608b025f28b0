/* events.c - coded events and the relations of two actors.
 *
 * Plans: events carry their effective day (the text's date, else their
 * document's) and whether their document is the latest version of its
 * page (schema step 5), so listings read events(day, doc_id, idx) in the
 * order shown and stop at the page's end.  An actor's events are read on
 * the code or actor-id indexes and sorted when there are few of them, in
 * day order with a filter when there are many (a bounded count says
 * which).  The relations of two actors read the code indexes (a prefix
 * range on one side, the other side checked in the index). */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query_int.h"

typedef struct ev_query {
    char since[32], until[32];
    nd__sel A, B;
    int has_a, has_b;
    int frequent; /* one actor with very many events */
} ev_query;

static void ev_free(ev_query *e)
{
    nd__sel_free(&e->A);
    nd__sel_free(&e->B);
}

/* How many events the code prefix of x takes part in, an event with both
 * sides in x twice (what count_side and nd__sel_events count on the two
 * dyad indexes), from the prefix's rows of event_codes (schema step 10):
 * its codes, not its events (USA at 1,000,000 documents: 24 source codes,
 * where the two index ranges were 20,001 entries, 244 pages cold). */
static int prefix_events(nd_store *s, const nd__sel *x, int64_t *n, nd_error *err)
{
    *n = 0;
    char hi[32];
    nd__prefix_hi(x->prefix, hi, sizeof hi);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT sum(n) FROM event_codes WHERE code >= ?1 AND code < ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot count events", err);
    sqlite3_bind_text(st, 1, x->prefix, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return nd__store_fail(s, "cannot count events", err);
    return 0;
}

/* How many events x takes part in, counted up to nd__query_many + 1 (a
 * prefix: all of them, from event_codes). */
static int count_side(nd_store *s, const nd__sel *x, int64_t *n, nd_error *err)
{
    if (x->prefix[0]) return prefix_events(s, x, n, err);
    nd_buf sql = ND_BUF_INIT;
    nd_buf_printf(&sql, "SELECT (SELECT count(*) FROM (SELECT 1 FROM events WHERE ");
    nd__sel_side(&sql, x, "source_code", "source_id");
    nd_buf_printf(&sql, " LIMIT %d)) + (SELECT count(*) FROM (SELECT 1 FROM events WHERE ",
                  nd__query_many + 1);
    nd__sel_side(&sql, x, "target_code", "target_id");
    nd_buf_printf(&sql, " LIMIT %d))", nd__query_many + 1);
    int rc = nd_buf_failed(&sql) ? nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory")
                                 : nd__query_int(s, sql.ptr, 0, n, err);
    nd_buf_free(&sql);
    return rc;
}

/* Distinct values of v[0..n), sorted in place. */
static size_t distinct(int64_t *v, size_t n)
{
    if (n > 1) qsort(v, n, sizeof *v, nd__i64_order);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || v[u - 1] != v[i]) v[u++] = v[i];
    return u;
}

/* "SELECT cols FROM events WHERE" x's side (0 source, 1 target) " LIMIT
 * limit" into sql: the statements of x's events on one side. */
static void side_sql(nd_buf *sql, const char *cols, const nd__sel *x, int side, int64_t limit)
{
    nd_buf_printf(sql, "SELECT %s FROM events WHERE ", cols);
    if (side)
        nd__sel_side(sql, x, "target_code", "target_id");
    else
        nd__sel_side(sql, x, "source_code", "source_id");
    nd_buf_printf(sql, " LIMIT %lld", (long long) limit);
}

/* The rows of x's events (at most nd__query_many + 1 of them, as
 * nd__sel_events reads them) asked of the system at once on a cold store
 * (nd__sel_events' cold): their ids from the sides' index entries alone,
 * then the rows, where the count read each row's page in turn (`actor
 * "Xi Jinping"` at 1,000,000 documents: 7,637 rows, 3,315 pages).  A
 * hint only. */
static void events_ahead(nd_store *s, const nd__sel *x)
{
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    for (int side = 0; side < 2 && (int64_t) n <= nd__query_many; side++) {
        nd_buf sql = ND_BUF_INIT;
        side_sql(&sql, "id", x, side, nd__query_many + 1 - (int64_t) n);
        sqlite3_stmt *st;
        int rc =
            nd_buf_failed(&sql) ? SQLITE_NOMEM : sqlite3_prepare_v2(s->db, sql.ptr, -1, &st, NULL);
        nd_buf_free(&sql);
        if (rc != SQLITE_OK) break;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 1024;
                int64_t *a = nd_realloc(ids, nc * sizeof *a);
                if (!a) break;
                ids = a;
                cap = nc;
            }
            ids[n++] = sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
    }
    if (n >= 32) {
        n = distinct(ids, n);
        nd__fetch f;
        if (nd__fetch_open(s, "events", &f) == 0) nd__fetch_rows(&f, ids, n);
        nd__fetch_close(&f);
    }
    nd_free(ids);
}

int nd__sel_events(nd_store *s, const nd__sel *x, int cold, uint64_t *events, uint64_t *reports,
                   uint64_t *over, nd_error *err)
{
    *events = *reports = *over = 0;
    /* Each side's events on its index, counted (latest or not) up to
     * nd__query_many + 1 in all, as count_side bounds them; the latest
     * kept: their ids (reports, each once: an event of x on both sides
     * is read twice) and instances (events) counted distinct here.  A
     * UNION and a count(DISTINCT) built two temporary indexes of them
     * (86 of the 225 million instructions of `actor USA` at 100,000
     * documents, 15,891 events). */
    size_t cap = 0, n = 0;
    int64_t *id = NULL, *inst = NULL, seen = 0;
    int ret = 0;
    {
        /* More than nd__query_many: said from the prefix's codes, or from
         * the sides' index entries alone (count_side, the same bound as
         * `seen` below), none of the events' rows read: each is a page
         * of its own on a cold store (`actor "Donald Trump"` at
         * 1,000,000 documents, 20,001 rows: 19,521 pages, 1.9 s). */
        int64_t all = 0;
        if ((ret = count_side(s, x, &all, err)) != 0) return ret;
        if (all > nd__query_many) {
            *over = (uint64_t) nd__query_many;
            return 0;
        }
    }
    if (cold) events_ahead(s, x);
    for (int side = 0; side < 2 && !ret && seen <= nd__query_many; side++) {
        nd_buf sql = ND_BUF_INIT;
        side_sql(&sql, "id, coalesce(instance_id, -id), latest", x, side,
                 nd__query_many + 1 - seen);
        sqlite3_stmt *st;
        ret = nd__prepare(s, &sql, &st, "cannot count events", err);
        nd_buf_free(&sql);
        if (ret) break;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            seen++;
            if (!sqlite3_column_int(st, 2)) continue;
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 1024;
                int64_t *a = nd_realloc(id, nc * sizeof *a);
                if (a) id = a;
                int64_t *b = a ? nd_realloc(inst, nc * sizeof *b) : NULL;
                if (b) inst = b;
                if (!a || !b) {
                    ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                    break;
                }
                cap = nc;
            }
            id[n] = sqlite3_column_int64(st, 0);
            inst[n++] = sqlite3_column_int64(st, 1);
        }
        if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot count events", err);
        sqlite3_finalize(st);
    }
    if (!ret && seen > nd__query_many) {
        *over = (uint64_t) nd__query_many;
    } else if (!ret && n) {
        /* An event read on both sides has one instance: its second
         * reading adds no instance, so the instances are counted over
         * both readings. */
        *reports = distinct(id, n);
        *events = distinct(inst, n);
    }
    nd_free(id);
    nd_free(inst);
    return ret;
}

static int ev_prepare(nd_store *s, const nd_query_opts *o, ev_query *e, nd_error *err)
{
    memset(e, 0, sizeof *e);
    int rc = nd__since_bound(o->since, e->since, err);
    if (!rc) rc = nd__until_bound(o->until, e->until, err);
    if (rc) return rc;
    if (o->actor_b && !o->actor)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "events: actor_b without actor");
    if (o->actor) {
        if ((rc = nd__sel_resolve(s, o->actor, !o->exact_actor, &e->A, err)) != 0) return rc;
        e->has_a = 1;
    }
    if (o->actor_b) {
        if ((rc = nd__sel_resolve(s, o->actor_b, !o->exact_actor, &e->B, err)) != 0) {
            ev_free(e);
            return rc;
        }
        e->has_b = 1;
    }
    if (e->has_a && !e->has_b) {
        int64_t n = 0;
        if ((rc = count_side(s, &e->A, &n, err)) != 0) {
            ev_free(e);
            return rc;
        }
        e->frequent = n > nd__query_many;
    }
    return 0;
}

/* The condition on who takes part, after " AND ". */
static void ev_who(nd_buf *sql, const ev_query *e)
{
    /* The unary + keeps a frequent actor's events on the day index. */
    const char *src = e->frequent ? "+e.source_code" : "e.source_code";
    const char *tgt = e->frequent ? "+e.target_code" : "e.target_code";
    const char *sid = e->frequent ? "+e.source_id" : "e.source_id";
    const char *tid = e->frequent ? "+e.target_id" : "e.target_id";
    if (e->has_a && e->has_b) {
        nd_buf_puts(sql, " AND ((");
        nd__sel_side(sql, &e->A, src, sid);
        nd_buf_puts(sql, " AND ");
        nd__sel_side(sql, &e->B, tgt, tid);
        nd_buf_puts(sql, ") OR (");
        nd__sel_side(sql, &e->B, src, sid);
        nd_buf_puts(sql, " AND ");
        nd__sel_side(sql, &e->A, tgt, tid);
        nd_buf_puts(sql, "))");
    } else if (e->has_a) {
        nd_buf_puts(sql, " AND (");
        nd__sel_side(sql, &e->A, src, sid);
        nd_buf_puts(sql, " OR ");
        nd__sel_side(sql, &e->A, tgt, tid);
        nd_buf_puts(sql, ")");
    }
}

enum { ORDER_NEWEST, ORDER_DATED_ASC, ORDER_UNDATED_ASC };

/* Cursor position: the last row's (day, doc_id, idx); day "" = undated. */
typedef struct ev_pos {
    const char *day;
    int64_t doc, idx;
    int set;
} ev_pos;

/* The columns of an event row (ev_row() reads them) and the tables they
 * come from. */
static void ev_columns(nd_buf *sql, int with_sentence)
{
    nd_buf_puts(sql, "SELECT e.id, e.doc_id, d.ext_id, d.title, d.url, d.site, d.source,"
                     " d.added, e.day, e.source_code, e.target_code, sa.name, ta.name,"
                     " sa.country, ta.country, e.code, e.goldstein, e.quad, e.negated,"
                     " e.sentence_start < coalesce((SELECT p.end_off FROM paragraphs p"
                     " WHERE p.doc_id = e.doc_id AND p.idx = 0), 0),"
                     " e.sentence_start, e.sentence_end, e.verb_start, e.verb_end, e.idx,"
                     " e.n_mentions, coalesce(e.instance_id, 0),"
                     " e.source_id, e.target_id");
    if (with_sentence)
        nd_buf_puts(sql, ", CAST(substr(CAST(d.text AS BLOB), e.sentence_start + 1,"
                         " e.sentence_end - e.sentence_start) AS TEXT)");
    nd_buf_puts(sql, " FROM events e JOIN documents d ON d.id = e.doc_id"
                     " LEFT JOIN actors sa ON sa.id = e.source_id"
                     " LEFT JOIN actors ta ON ta.id = e.target_id");
}

/* One statement of listed events, in the order asked, from pos on. */
static int ev_stmt(nd_store *s, const nd_query_opts *o, const ev_query *e, int order,
                   const ev_pos *pos, int limit, sqlite3_stmt **out, nd_error *err)
{
    /* An actor's events read on its indexes are sorted: their keys alone
     * first, then the page's rows read whole (their documents and
     * sentences), not every event's before the sort (16,000 document
     * reads for "United States" at 100,000 documents). */
    int narrow = e->has_a && !e->frequent;
    nd_buf sql = ND_BUF_INIT;
    ev_columns(&sql, o->with_sentence);
    if (narrow) nd_buf_puts(&sql, " WHERE e.id IN (SELECT e.id FROM events e");
    nd_buf_puts(&sql, " WHERE e.latest");
    ev_who(&sql, e);
    if (e->since[0]) nd_buf_puts(&sql, " AND e.day >= ?1");
    if (e->until[0]) nd_buf_puts(&sql, " AND e.day < ?2");
    if (o->story)
        nd_buf_puts(
            &sql,
            " AND e.doc_id IN (SELECT id FROM documents WHERE story_id = ?3 AND dup_of IS NULL)");
    if (o->doc) nd_buf_puts(&sql, " AND e.doc_id = ?7");
    if (order == ORDER_DATED_ASC) nd_buf_puts(&sql, " AND e.day IS NOT NULL");
    if (order == ORDER_UNDATED_ASC) nd_buf_puts(&sql, " AND e.day IS NULL");
    if (pos && pos->set) {
        int dated = pos->day[0] != 0;
        if (order == ORDER_NEWEST && dated)
            nd_buf_puts(&sql, " AND (e.day < ?4 OR (e.day = ?4 AND (e.doc_id < ?5 OR"
                              " (e.doc_id = ?5 AND e.idx > ?6))) OR e.day IS NULL)");
        else if (order == ORDER_NEWEST)
            nd_buf_puts(&sql, " AND e.day IS NULL AND (e.doc_id < ?5 OR (e.doc_id = ?5"
                              " AND e.idx > ?6))");
        else if (order == ORDER_DATED_ASC)
            nd_buf_puts(&sql, " AND (e.day, e.doc_id, e.idx) > (?4, ?5, ?6)");
        else if (dated)
            ; /* the undated part starts at its beginning */
        else
            nd_buf_puts(&sql, " AND (e.doc_id, e.idx) > (?5, ?6)");
    }
    /* SQLite sorts NULLs first: newest first puts undated events last. */
    const char *by = order == ORDER_NEWEST      ? " ORDER BY e.day DESC, e.doc_id DESC, e.idx"
                     : order == ORDER_DATED_ASC ? " ORDER BY e.day, e.doc_id, e.idx"
                                                : " ORDER BY e.doc_id, e.idx";
    nd_buf_puts(&sql, by);
    if (limit > 0) nd_buf_printf(&sql, " LIMIT %d", limit);
    if (narrow) {
        nd_buf_puts(&sql, ")");
        nd_buf_puts(&sql, by);
    }
    int rc = nd__prepare_kept(s, &sql, out, "cannot list events", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    if (e->since[0]) sqlite3_bind_text(*out, 1, e->since, -1, SQLITE_TRANSIENT);
    if (e->until[0]) sqlite3_bind_text(*out, 2, e->until, -1, SQLITE_TRANSIENT);
    if (o->story) sqlite3_bind_int64(*out, 3, o->story);
    if (o->doc) sqlite3_bind_int64(*out, 7, o->doc);
    if (pos && pos->set) {
        if (pos->day[0]) sqlite3_bind_text(*out, 4, pos->day, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(*out, 5, pos->doc);
        sqlite3_bind_int64(*out, 6, pos->idx);
    }
    return 0;
}

static void ev_row(nd_arena *ar, sqlite3_stmt *st, int with_sentence, nd_event_row *r, int64_t *idx)
{
    r->id = sqlite3_column_int64(st, 0);
    r->doc_id = sqlite3_column_int64(st, 1);
    r->ext_id = nd__col_dup(ar, st, 2);
    r->title = nd__col_dup(ar, st, 3);
    r->url = nd__col_dup(ar, st, 4);
    r->site = nd__col_dup(ar, st, 5);
    r->source = nd__col_dup(ar, st, 6);
    r->added = nd__col_dup(ar, st, 7);
    r->date = nd__col_dup(ar, st, 8);
    r->source_code = nd__col_dup(ar, st, 9);
    r->target_code = nd__col_dup(ar, st, 10);
    r->source_name = nd__col_dup(ar, st, 11);
    r->target_name = nd__col_dup(ar, st, 12);
    r->source_country = nd__col_dup(ar, st, 13);
    r->target_country = nd__col_dup(ar, st, 14);
    r->code = nd__col_dup(ar, st, 15);
    r->goldstein = sqlite3_column_double(st, 16);
    r->quad = sqlite3_column_int(st, 17);
    r->negated = sqlite3_column_int(st, 18);
    r->lead = sqlite3_column_int(st, 19);
    nd__col_span(st, 20, &r->sentence);
    nd__col_span(st, 22, &r->verb);
    *idx = sqlite3_column_int64(st, 24);
    r->mentions = (unsigned) sqlite3_column_int(st, 25);
    r->instance = sqlite3_column_int64(st, 26);
    r->reports = 1;
    r->source_id = sqlite3_column_int64(st, 27);
    r->target_id = sqlite3_column_int64(st, 28);
    if (with_sentence) r->sentence_text = nd__col_dup(ar, st, 29);
    if (!r->source_code) r->source_code = "";
    if (!r->target_code) r->target_code = "";
    if (!r->code) r->code = "";
    r->code_name = nd__event_name(r->code);
}

/* Listed events into v: up to limit rows from pos on, in the order asked;
 * *next gets the cursor when more follow. */
static int ev_list(nd_store *s, const nd_query_opts *o, const ev_query *e, ev_pos *pos, int limit,
                   nd_arena *ar, nd__vec *v, const char **next, nd_error *err)
{
    int orders[2] = {ORDER_NEWEST, -1};
    if (o->oldest_first) {
        /* Dated events first, then the undated (a cursor in the undated
         * part skips the dated one). */
        orders[0] = pos->set && !pos->day[0] ? ORDER_UNDATED_ASC : ORDER_DATED_ASC;
        orders[1] = orders[0] == ORDER_DATED_ASC ? ORDER_UNDATED_ASC : -1;
    }
    int64_t last_idx = 0;
    int more = 0, ret = 0;
    for (int k = 0; k < 2 && orders[k] >= 0 && !more && !ret; k++) {
        sqlite3_stmt *st;
        int want = limit + 1 - (int) v->n;
        ret = ev_stmt(s, o, e, orders[k], pos, want, &st, err);
        if (ret) break;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if ((int) v->n == limit) {
                more = 1;
                break;
            }
            nd_event_row *r = nd__vec_push(ar, v);
            if (!r) {
                ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            ev_row(ar, st, o->with_sentence, r, &last_idx);
        }
        if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
            ret = nd__store_fail(s, "cannot list events", err);
        nd__release(s, st);
        /* The undated part after the dated one starts at its beginning. */
        pos->set = 0;
    }
    if (!ret && more) {
        const nd_event_row *l = &((const nd_event_row *) v->items)[v->n - 1];
        char doc[32], idx[32];
        snprintf(doc, sizeof doc, "%lld", (long long) l->doc_id);
        snprintf(idx, sizeof idx, "%lld", (long long) last_idx);
        const char *f[] = {l->date ? l->date : "", doc, idx};
        *next = nd__cursor_make(ar, 'e', 3, f);
    }
    return ret;
}

static int parse_pos(const nd_query_opts *o, char buf[256], ev_pos *pos, nd_error *err)
{
    memset(pos, 0, sizeof *pos);
    if (!o->cursor) return 0;
    const char *f[3];
    int rc = nd__cursor_split(o->cursor, 'e', buf, f, 3, err);
    if (rc >= 0 && rc != 3) rc = nd_error_set(err, ND_EINVAL, (size_t) -1, "bad cursor");
    if (rc >= 0) rc = nd__cursor_int(f[1], &pos->doc, err);
    if (rc >= 0) rc = nd__cursor_int(f[2], &pos->idx, err);
    if (rc < 0) return rc;
    pos->day = f[0];
    pos->set = 1;
    return 0;
}

/* What both questions start with: the filters checked, the cursor and
 * the actors read, a result of size bytes made.  NULL with *rc set. */
static void *ev_begin(nd_store *s, const nd_query_opts *o, const char *what, size_t size,
                      char buf[256], ev_pos *pos, ev_query *e, int *rc, nd_error *err)
{
    /* Only the listing reads doc: the relations count every document. */
    *rc = nd__query_check(o,
                          ND__F_SINCE | ND__F_UNTIL | ND__F_ACTOR | ND__F_ACTOR_B | ND__F_STORY |
                              ND__F_CURSOR | (strcmp(what, "events") ? 0 : ND__F_DOC),
                          what, err);
    if (!*rc) *rc = parse_pos(o, buf, pos, err);
    if (!*rc) *rc = ev_prepare(s, o, e, err);
    if (*rc) return NULL;
    void *res = nd__result_new(size, 0, err);
    if (!res) {
        ev_free(e);
        *rc = ND_ENOMEM;
    }
    return res;
}

int nd_query_events(nd_store *s, const nd_query_opts *o, nd_event_list **out, nd_error *err)
{
    *out = NULL;
    if (!o) o = &nd__query_none;
    char buf[256];
    ev_pos pos;
    ev_query e;
    int rc;
    nd_event_list *res = ev_begin(s, o, "events", sizeof *res, buf, &pos, &e, &rc, err);
    if (!res) return rc;
    nd__vec v = {NULL, 0, 0, sizeof(nd_event_row)};
    rc = ev_list(s, o, &e, &pos, nd__query_limit(o, 100), res->r.arena, &v, &res->r.next, err);
    ev_free(&e);
    if (rc) {
        nd_result_free(res);
        return rc;
    }
    res->items = v.items;
    res->n = v.n;
    *out = res;
    return 0;
}

/* ---- the relations of two actors ------------------------------------------------- */

/* One event between A and B: what the counts and the order need. */
typedef struct dyad {
    int64_t id, doc, idx;
    int64_t inst; /* its event_instances row, or -id when it has none */
    uint64_t reports;
    char day[32]; /* "" when undated */
    int quad;
    double goldstein;
} dyad;

/* Oldest first, undated last (the periods' order). */
static int dyad_oldest(const void *x, const void *y)
{
    const dyad *a = x, *b = y;
    if (!a->day[0] != !b->day[0]) return a->day[0] ? -1 : 1;
    int c = strcmp(a->day, b->day);
    if (c) return c;
    if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Newest first, undated last, in text order within a document (the
 * listing's order). */
static int dyad_newest(const void *x, const void *y)
{
    const dyad *a = x, *b = y;
    if (!a->day[0] != !b->day[0]) return a->day[0] ? -1 : 1;
    int c = strcmp(b->day, a->day);
    if (c) return c;
    if (a->doc != b->doc) return a->doc > b->doc ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int dyad_id(const void *x, const void *y)
{
    const dyad *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* By event instance, its first report (the oldest document) first. */
static int dyad_inst(const void *x, const void *y)
{
    const dyad *a = x, *b = y;
    if (a->inst != b->inst) return a->inst < b->inst ? -1 : 1;
    if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The first source code of events from lo (after == NULL) or after
 * `after`, below hi, into code: 1, 0 when there is none, or an error.
 * One seek on events_dyad each (min() of its first column reads no row);
 * st[0] and st[1] are kept for the next call. */
static int next_source(nd_store *s, sqlite3_stmt *st[2], const char *lo, const char *hi,
                       const char *after, char *code, size_t cap, nd_error *err)
{
    static const char *const sql[2] = {
        "SELECT min(source_code) FROM events WHERE source_code >= ?1 AND source_code < ?2",
        "SELECT min(source_code) FROM events WHERE source_code > ?1 AND source_code < ?2"};
    int k = after != NULL;
    if (!st[k] && sqlite3_prepare_v2(s->db, sql[k], -1, &st[k], NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot count events", err);
    sqlite3_reset(st[k]);
    sqlite3_bind_text(st[k], 1, after ? after : lo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st[k], 2, hi, -1, SQLITE_STATIC);
    if (sqlite3_step(st[k]) != SQLITE_ROW) return nd__store_fail(s, "cannot count events", err);
    const unsigned char *c = sqlite3_column_text(st[k], 0);
    if (!c) return 0;
    if (strlen((const char *) c) >= cap) return nd__store_fail(s, "cannot count events", err);
    snprintf(code, cap, "%s", (const char *) c);
    return 1;
}

/* Every event from x to y (one direction) into v: with code prefixes on
 * both sides, the range of events(source_code, target_code, day, doc_id,
 * idx, quad, goldstein, latest) of each source code of x's prefix and
 * y's prefix of target codes, read from the index alone.  One range over
 * both prefixes (source_code in x's, then target_code checked in each
 * entry) read every event of one side's prefix: `relations USA CHN` at
 * 1,000,000 documents walked the 81,022 events to USA* for the 24,945
 * from CHN*, 1,320 pages of the index cold; a range per source code
 * (USA* has 24, CHN* 9) reads the events between the two only. */
static int collect(nd_store *s, const nd_query_opts *o, const ev_query *e, const nd__sel *x,
                   const nd__sel *y, nd_arena *ar, nd__vec *v, nd_error *err)
{
    int per_code = x->prefix[0] && y->prefix[0];
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT e.id, e.day, e.doc_id, e.idx, e.quad, e.goldstein,"
                      " coalesce(e.instance_id, -e.id) FROM events e"
                      " WHERE e.latest AND ");
    if (per_code)
        nd_buf_puts(&sql, "e.source_code = ?4");
    else
        nd__sel_side(&sql, x, "e.source_code", "e.source_id");
    nd_buf_puts(&sql, " AND ");
    nd__sel_side(&sql, y, "e.target_code", "e.target_id");
    if (e->since[0]) nd_buf_puts(&sql, " AND e.day >= ?1");
    if (e->until[0]) nd_buf_puts(&sql, " AND e.day < ?2");
    if (o->story)
        nd_buf_puts(
            &sql,
            " AND e.doc_id IN (SELECT id FROM documents WHERE story_id = ?3 AND dup_of IS NULL)");
    sqlite3_stmt *st;
    int rc = nd__prepare(s, &sql, &st, "cannot count events", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    if (e->since[0]) sqlite3_bind_text(st, 1, e->since, -1, SQLITE_STATIC);
    if (e->until[0]) sqlite3_bind_text(st, 2, e->until, -1, SQLITE_STATIC);
    if (o->story) sqlite3_bind_int64(st, 3, o->story);
    char lo[32], hi[32], code[64];
    if (per_code) {
        snprintf(lo, sizeof lo, "%s", x->prefix);
        nd__prefix_hi(x->prefix, hi, sizeof hi);
    }
    sqlite3_stmt *codes[2] = {NULL, NULL};
    for (int more = 1, first = 1; !rc && more; first = 0) {
        if (per_code) {
            more = next_source(s, codes, lo, hi, first ? NULL : code, code, sizeof code, err);
            if (more <= 0) {
                rc = more;
                break;
            }
            sqlite3_reset(st);
            sqlite3_bind_text(st, 4, code, -1, SQLITE_STATIC);
        } else {
            more = 0;
        }
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            dyad *d = nd__vec_push(ar, v);
            if (!d) {
                rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            d->id = sqlite3_column_int64(st, 0);
            /* Copied by length: snprintf was a sixth of the answer's
             * instructions (33,641 rows for USA CHN). */
            const unsigned char *day = sqlite3_column_text(st, 1);
            size_t len = day ? strnlen((const char *) day, sizeof d->day - 1) : 0;
            memcpy(d->day, day ? (const char *) day : "", len);
            d->day[len] = 0;
            d->doc = sqlite3_column_int64(st, 2);
            d->idx = sqlite3_column_int64(st, 3);
            d->quad = sqlite3_column_int(st, 4);
            d->goldstein = sqlite3_column_double(st, 5);
            d->inst = sqlite3_column_int64(st, 6);
            d->reports = 1;
        }
        if (!rc && r != SQLITE_DONE) rc = nd__store_fail(s, "cannot count events", err);
    }
    sqlite3_finalize(codes[0]);
    sqlite3_finalize(codes[1]);
    sqlite3_finalize(st);
    return rc;
}

/* ---- reading ahead on a second connection ---------------------------------------- */

/* Cold, `relations` waits for its pages one read at a time (626 at
 * 1,000,000 documents for USA CHN: 443 the index ranges of the two
 * directions, 166 the 50 listed events, their documents, sentences,
 * first paragraphs and actors).  A thread reads the same pages from the
 * other end on a read-only connection of its own, so the disk serves two
 * reads at a time and each side finds in the system's page cache what
 * the other read: while the two directions are collected, it walks the
 * second's ranges from the last code down, each range backwards (the
 * index entries only, counted); while the listed events are read, it
 * reads them last first.  It only reads: the answer is the store's
 * connection's whatever the thread saw, a thread that cannot start or
 * open changes nothing, and it is stopped (a progress handler) when the
 * store's connection is through.  Code prefixes on both sides only (the
 * other selections are bound as sets the store's connection holds). */
typedef struct ahead {
    pthread_t th;
    int started;
    atomic_int stop;
    sqlite3 *db; /* opened by the first job, kept for the second */
    char *path;
    char lo[32], hi[32];   /* the walk: the sources' prefix, */
    char tlo[32], thi[32]; /* the targets' prefix */
    const char *sql;       /* the events by id: their statement, */
    const int64_t *ids;    /* their ids */
    size_t n;
    int64_t entries; /* index entries walked or rows read */
    int64_t pages;   /* read by the connection since it opened */
} ahead;

int nd__relations_ahead_mode;
int64_t nd__relations_ahead[3];

static void ahead_walk(ahead *a)
{
    sqlite3_stmt *src = NULL, *walk = NULL;
    if (sqlite3_prepare_v2(a->db,
                           "SELECT max(source_code) FROM events WHERE source_code >= ?1"
                           " AND source_code < ?2",
                           -1, &src, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(a->db,
                           "SELECT 1 FROM events WHERE source_code = ?1 AND target_code >= ?2"
                           " AND target_code < ?3 ORDER BY target_code DESC, day DESC,"
                           " doc_id DESC, idx DESC",
                           -1, &walk, NULL) == SQLITE_OK) {
        char code[64];
        snprintf(code, sizeof code, "%s", a->hi);
        sqlite3_bind_text(src, 1, a->lo, -1, SQLITE_STATIC);
        sqlite3_bind_text(walk, 2, a->tlo, -1, SQLITE_STATIC);
        sqlite3_bind_text(walk, 3, a->thi, -1, SQLITE_STATIC);
        while (!atomic_load(&a->stop)) {
            sqlite3_reset(src);
            sqlite3_bind_text(src, 2, code, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(src) != SQLITE_ROW || sqlite3_column_type(src, 0) == SQLITE_NULL)
                break;
            snprintf(code, sizeof code, "%s", (const char *) sqlite3_column_text(src, 0));
            sqlite3_reset(walk);
            sqlite3_bind_text(walk, 1, code, -1, SQLITE_TRANSIENT);
            while (sqlite3_step(walk) == SQLITE_ROW) a->entries++;
        }
    }
    sqlite3_finalize(src);
    sqlite3_finalize(walk);
}

static void ahead_rows(ahead *a)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(a->db, a->sql, -1, &st, NULL) == SQLITE_OK)
        for (size_t i = a->n; i-- > 0 && !atomic_load(&a->stop);) {
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, a->ids[i]);
            while (sqlite3_step(st) == SQLITE_ROW) {
                sqlite3_column_bytes(st, sqlite3_column_count(st) - 1);
                a->entries++;
            }
        }
    sqlite3_finalize(st);
}

static void *ahead_run(void *p)
{
    ahead *a = p;
    if (!a->db && !(a->db = nd__ahead_open(a->path, &a->stop))) return NULL;
    if (a->sql)
        ahead_rows(a);
    else
        ahead_walk(a);
    int cur = 0, hi = 0;
    sqlite3_db_status(a->db, SQLITE_DBSTATUS_CACHE_MISS, &cur, &hi, 0);
    a->pages = cur;
    return NULL;
}

/* Waits for the thread, stopping it when it is still reading. */
static void ahead_wait(ahead *a, int job)
{
    if (!a->started) return;
    if (nd__relations_ahead_mode < 2) atomic_store(&a->stop, 1);
    pthread_join(a->th, NULL);
    a->started = 0;
    atomic_store(&a->stop, 0);
    if (nd__relations_ahead_mode) { /* the tests' counts: not from the server's threads */
        nd__relations_ahead[job] = a->entries;
        nd__relations_ahead[2] = a->pages;
    }
    a->entries = 0;
}

/* Starts the walk of y's events to x's (the second direction) when the
 * store is cold. */
static void ahead_start(nd_store *s, ahead *a, const nd__sel *x, const nd__sel *y)
{
    memset(a, 0, sizeof *a);
    atomic_init(&a->stop, 0);
    if (nd__relations_ahead_mode)
        nd__relations_ahead[0] = nd__relations_ahead[1] = nd__relations_ahead[2] = 0;
    const char *path = sqlite3_db_filename(s->db, "main");
    if (!x->prefix[0] || !y->prefix[0] || !path || !path[0]) return;
    /* Warm, its reads are the same rows' CPU again (37.6 -> 57.2 ms of CPU at
     * 1,000,000 documents, perf stat, 5 runs). */
    if (!nd__relations_ahead_mode && nd__leaf_cached(s, "events_dyad") != 0) return;
    snprintf(a->lo, sizeof a->lo, "%s", y->prefix);
    nd__prefix_hi(y->prefix, a->hi, sizeof a->hi);
    snprintf(a->tlo, sizeof a->tlo, "%s", x->prefix);
    nd__prefix_hi(x->prefix, a->thi, sizeof a->thi);
    if (!(a->path = strdup(path))) return;
    a->started = pthread_create(&a->th, NULL, ahead_run, a) == 0;
}

/* Starts reading the events of ids (sql: one by ?1), the last first, on
 * the walk's connection. */
static void ahead_fetch(ahead *a, const char *sql, const int64_t *ids, size_t n)
{
    ahead_wait(a, 0);
    if (!a->db || n < 2) return;
    a->sql = sql;
    a->ids = ids;
    a->n = n;
    a->started = pthread_create(&a->th, NULL, ahead_run, a) == 0;
}

static void ahead_end(ahead *a)
{
    ahead_wait(a, a->sql != NULL);
    sqlite3_close(a->db);
    free(a->path);
    memset(a, 0, sizeof *a);
}

/* The listed events (their ids, in order) read whole. */
static int fetch(nd_store *s, const dyad *d, size_t n, int with_sentence, ahead *ah, nd_arena *ar,
                 nd__vec *v, nd_error *err)
{
    if (!n) return 0;
    nd_buf sql = ND_BUF_INIT;
    ev_columns(&sql, with_sentence);
    nd_buf_puts(&sql, " WHERE e.id = ?1");
    sqlite3_stmt *st;
    int rc = nd__prepare(s, &sql, &st, "cannot list events", err);
    int64_t *ids = rc ? NULL : malloc(n * sizeof *ids);
    if (ids) {
        for (size_t i = 0; i < n; i++) ids[i] = d[i].id;
        ahead_fetch(ah, sql.ptr, ids, n);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, d[i].id);
        int r = sqlite3_step(st);
        if (r == SQLITE_DONE) continue;
        if (r != SQLITE_ROW) {
            rc = nd__store_fail(s, "cannot list events", err);
            break;
        }
        nd_event_row *row = nd__vec_push(ar, v);
        if (!row) {
            rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        int64_t idx;
        ev_row(ar, st, with_sentence, row, &idx);
        row->reports = (unsigned) (d[i].reports > UINT_MAX ? UINT_MAX : d[i].reports);
    }
    ahead_wait(ah, 1);
    free(ids);
    nd_buf_free(&sql);
    sqlite3_finalize(st);
    return rc;
}

/* d (newest first) is after the cursor position. */
static int after_pos(const dyad *d, const ev_pos *pos)
{
    dyad p;
    memset(&p, 0, sizeof p);
    snprintf(p.day, sizeof p.day, "%s", pos->day);
    p.doc = pos->doc;
    p.idx = pos->idx;
    return dyad_newest(d, &p) > 0;
}

int nd_query_relations(nd_store *s, const nd_query_opts *o, nd_relations_page **out, nd_error *err)
{
    *out = NULL;
    if (!o || !o->actor || !o->actor_b)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "relations: two actors needed");
    int by, rc;
    const char *period;
    if ((rc = nd__parse_period(o->period, &by, &period, err)) != 0) return rc;
    char buf[256];
    ev_pos pos;
    ev_query e;
    nd_relations_page *res = ev_begin(s, o, "relations", sizeof *res, buf, &pos, &e, &rc, err);
    if (!res) return rc;
    nd_arena *ar = res->r.arena;
    res->a = nd__str_dup(ar, o->actor);
    res->b = nd__str_dup(ar, o->actor_b);
    res->period = period;

    /* Every event between them, both ways, each once (an event can go
     * both ways when the two names share actors). */
    nd_arena *tmp = nd_arena_new(1 << 16);
    nd__vec v = {NULL, 0, 0, sizeof(dyad)};
    ahead ah;
    ahead_start(s, &ah, &e.A, &e.B);
    rc = tmp ? collect(s, o, &e, &e.A, &e.B, tmp, &v, err)
             : nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (!rc) rc = collect(s, o, &e, &e.B, &e.A, tmp, &v, err);
    ahead_wait(&ah, 0);
    /* Two code prefixes neither of which begins the other have no event
     * both ways: no sort by id (a fifth of the sorting's instructions). */
    size_t la = strlen(e.A.prefix), lb = strlen(e.B.prefix);
    int apart = la && lb && strncmp(e.A.prefix, e.B.prefix, la < lb ? la : lb) != 0;
    ev_free(&e);
    dyad *d = v.items;
    size_t n = v.n;
    if (!rc && n > 1 && !apart) {
        qsort(d, n, sizeof *d, dyad_id);
        size_t u = 1;
        for (size_t i = 1; i < n; i++)
            if (d[i].id != d[u - 1].id) d[u++] = d[i];
        n = u;
    }
    /* Each event once, by its first report, with the number of its
     * reports. */
    res->reports = n;
    if (!rc && n > 1) {
        qsort(d, n, sizeof *d, dyad_inst);
        size_t u = 1;
        for (size_t i = 1; i < n; i++)
            if (d[i].inst != d[u - 1].inst)
                d[u++] = d[i];
            else
                d[u - 1].reports++;
        n = u;
    }

    /* Counts per period, in time order, undated last. */
    nd__agg g;
    nd__agg_init(&g, ar, by);
    double gsum = 0;
    if (!rc && n) qsort(d, n, sizeof *d, dyad_oldest);
    for (size_t i = 0; !rc && i < n; i++) {
        nd_period *p = nd__agg_at(&g, d[i].day[0] ? d[i].day : NULL);
        if (!p) break;
        p->events++;
        if (d[i].quad >= 1 && d[i].quad <= 4) p->quad[d[i].quad]++;
        g.gsum += d[i].goldstein;
        gsum += d[i].goldstein;
        res->events++;
        if (d[i].quad == 1 || d[i].quad == 2) res->cooperative++;
        if (d[i].quad == 3 || d[i].quad == 4) res->conflictual++;
    }
    nd__agg_end(&g);
    if (!rc && g.failed) rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    res->periods = g.out.items;
    res->n_periods = g.out.n;
    res->goldstein = res->events ? gsum / (double) res->events : 0;

    /* The newest events (after the cursor), with their sentences. */
    if (!rc && n) {
        qsort(d, n, sizeof *d, dyad_newest);
        size_t from = 0, limit = (size_t) nd__query_limit(o, 50);
        if (pos.set)
            while (from < n && !after_pos(&d[from], &pos)) from++;
        size_t take = n - from < limit ? n - from : limit;
        nd__vec list = {NULL, 0, 0, sizeof(nd_event_row)};
        rc = fetch(s, d + from, take, 1, &ah, ar, &list, err);
        res->items = list.items;
        res->n = list.n;
        if (!rc && from + take < n && take) {
            const dyad *l = &d[from + take - 1];
            char doc[32], idx[32];
            snprintf(doc, sizeof doc, "%lld", (long long) l->doc);
            snprintf(idx, sizeof idx, "%lld", (long long) l->idx);
            const char *f[] = {l->day, doc, idx};
            res->r.next = nd__cursor_make(ar, 'e', 3, f);
        }
    }
    ahead_end(&ah);
    nd_arena_free(tmp);
    if (rc) {
        nd_result_free(res);
        return rc;
    }
    *out = res;
    return 0;
}
