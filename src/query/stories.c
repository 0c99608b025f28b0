/* stories.c - the stories (newest first) and one story with its articles
 * grouped by outlet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/imap.h"
#include "query/query_int.h"

#define STORY_COLUMNS "id, headline, rep_doc, first_seen, last_seen, n_docs, n_dups, n_sites"

static void story_row(nd_arena *ar, sqlite3_stmt *st, nd_story_row *s)
{
    s->id = sqlite3_column_int64(st, 0);
    s->headline = nd__col_dup(ar, st, 1);
    s->rep_doc = sqlite3_column_int64(st, 2);
    s->first_seen = nd__col_dup(ar, st, 3);
    s->last_seen = nd__col_dup(ar, st, 4);
    s->n_docs = (uint64_t) sqlite3_column_int64(st, 5);
    s->n_dups = (uint64_t) sqlite3_column_int64(st, 6);
    s->n_sites = (uint64_t) sqlite3_column_int64(st, 7);
}

int nd_query_stories(nd_store *s, const nd_query_opts *o, nd_story_list **out, nd_error *err)
{
    *out = NULL;
    int rc = nd__query_check(o, ND__F_SINCE | ND__F_UNTIL | ND__F_CURSOR, "stories", err);
    if (rc) return rc;
    char since[32], until[32];
    if ((rc = nd__since_bound(o ? o->since : NULL, since, err)) != 0) return rc;
    if ((rc = nd__until_bound(o ? o->until : NULL, until, err)) != 0) return rc;
    /* The cursor is the last row's (last_seen, id): newest first is
     * last_seen DESC, id DESC on the (last_seen, id) index read backwards,
     * and SQLite sorts NULLs first, so undated stories come last. */
    char buf[256];
    const char *cur[2] = {NULL, NULL};
    int64_t cur_id = 0;
    if (o && o->cursor) {
        rc = nd__cursor_split(o->cursor, 's', buf, cur, 2, err);
        if (rc >= 0 && rc != 2) rc = nd_error_set(err, ND_EINVAL, (size_t) -1, "bad cursor");
        if (rc < 0 || (rc = nd__cursor_int(cur[1], &cur_id, err)) < 0) return rc;
    }
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT " STORY_COLUMNS " FROM stories WHERE 1");
    if (since[0]) nd_buf_puts(&sql, " AND last_seen >= ?1");
    if (until[0]) nd_buf_puts(&sql, " AND last_seen < ?2");
    if (cur[0] && cur[0][0])
        nd_buf_puts(&sql, " AND (last_seen < ?3 OR (last_seen = ?3 AND id < ?4)"
                          " OR last_seen IS NULL)");
    else if (cur[0])
        nd_buf_puts(&sql, " AND last_seen IS NULL AND id < ?4");
    nd_buf_puts(&sql, " ORDER BY last_seen DESC, id DESC LIMIT ?5");
    sqlite3_stmt *st;
    rc = nd__prepare(s, &sql, &st, "cannot list stories", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    int limit = nd__query_limit(o, 20);
    if (since[0]) sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    if (until[0]) sqlite3_bind_text(st, 2, until, -1, SQLITE_STATIC);
    if (cur[0] && cur[0][0]) sqlite3_bind_text(st, 3, cur[0], -1, SQLITE_STATIC);
    if (cur[0]) sqlite3_bind_int64(st, 4, cur_id);
    sqlite3_bind_int(st, 5, limit + 1);
    nd_story_list *res = nd__result_new(sizeof *res, 0, err);
    if (!res) {
        sqlite3_finalize(st);
        return ND_ENOMEM;
    }
    nd_arena *ar = res->r.arena;
    nd__vec v = {NULL, 0, 0, sizeof(nd_story_row)};
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((int) v.n == limit) {
            const nd_story_row *last = &((nd_story_row *) v.items)[v.n - 1];
            char id[32];
            snprintf(id, sizeof id, "%lld", (long long) last->id);
            const char *f[] = {last->last_seen ? last->last_seen : "", id};
            res->r.next = nd__cursor_make(ar, 's', 2, f);
            break;
        }
        nd_story_row *r = nd__vec_push(ar, &v);
        if (!r) {
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        story_row(ar, st, r);
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = nd__store_fail(s, "cannot list stories", err);
    sqlite3_finalize(st);
    if (ret) {
        nd_result_free(res);
        return ret;
    }
    res->items = v.items;
    res->n = v.n;
    *out = res;
    return 0;
}

int nd__story_get(nd_store *s, nd_arena *ar, int64_t id, nd_story_row *out, nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT " STORY_COLUMNS " FROM stories WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot read a story", err);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) story_row(ar, st, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no story %lld", (long long) id);
    return rc == SQLITE_ROW ? 0 : nd__store_fail(s, "cannot read a story", err);
}

/* ---- one story ------------------------------------------------------------------------ */

int nd__story_outlet_counts(nd_store *s, int64_t story, nd_arena *ar, nd_count **out, size_t *n,
                            nd_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT coalesce(nullif(site, ''), host, '') AS o, count(*) FROM"
                           " documents WHERE story_id = ?1 GROUP BY o ORDER BY 2 DESC, min(id)",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot count a story's outlets", err);
    sqlite3_bind_int64(st, 1, story);
    nd__vec v = {NULL, 0, 0, sizeof(nd_count)};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_count *c = nd__vec_push(ar, &v);
        if (!c) {
            sqlite3_finalize(st);
            return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        }
        c->value = nd__col_dup(ar, st, 0);
        c->n = (uint64_t) sqlite3_column_int64(st, 1);
        if (!c->value) c->value = "";
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot count a story's outlets", err);
    *out = v.items;
    *n = v.n;
    return 0;
}

/* A member of a story as its index holds it. */
typedef struct member {
    int64_t id, dup_of;
} member;

static int by_id_desc(const void *x, const void *y)
{
    const member *a = x, *b = y;
    return a->id > b->id ? -1 : a->id < b->id;
}

/* Working order of an article: outlet group, then rank (time order; a
 * duplicate just after the article it copies). */
typedef struct slot {
    nd_story_article a;
    size_t group, rank;
} slot;

static int by_outlet(const void *x, const void *y)
{
    const slot *a = x, *b = y;
    if (a->group != b->group) return a->group < b->group ? -1 : 1;
    return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* Time order as SQL's "ORDER BY coalesce(published, fetched) IS NULL,
 * coalesce(published, fetched), id" (text compares as memcmp, then
 * length: strcmp for text without NUL bytes). */
static int by_time(const void *x, const void *y)
{
    const nd_story_article *a = &((const slot *) x)->a, *b = &((const slot *) y)->a;
    const char *ta = a->published ? a->published : a->fetched;
    const char *tb = b->published ? b->published : b->fetched;
    if (!ta != !tb) return ta ? -1 : 1;
    int c = ta ? strcmp(ta, tb) : 0;
    if (c) return c;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* The story's members (id, dup_of) from its index documents_story
 * (story_id, dup_of): no row is read.  *v is nd_malloc'ed. */
static int read_members(nd_store *s, int64_t id, member **out, size_t *n_out, nd_error *err)
{
    *out = NULL;
    *n_out = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT id, dup_of FROM documents WHERE story_id = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot read a story", err);
    sqlite3_bind_int64(st, 1, id);
    member *v = NULL;
    size_t n = 0, cap = 0;
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            member *p = nd_realloc(v, nc * sizeof *p);
            if (!p) {
                ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            v = p;
            cap = nc;
        }
        v[n].id = sqlite3_column_int64(st, 0);
        v[n].dup_of = sqlite3_column_int64(st, 1);
        n++;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot read a story", err);
    sqlite3_finalize(st);
    if (ret) {
        nd_free(v);
        return ret;
    }
    *out = v;
    *n_out = n;
    return 0;
}

/* The shown members' rows: only the columns stored before text (the
 * documents' long value), one lookup by id each.  A member gone since
 * its index entry was read is left out.  *n is the slots filled. */
static int read_rows(nd_store *s, nd_arena *ar, const member *m, size_t n_m, slot *v, size_t *n,
                     nd_error *err)
{
    sqlite3_stmt *st;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT ext_id, title, site, host, url, language, published, fetched,"
                           " parent_id, version FROM documents WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot read a story", err);
    int ret = 0;
    for (size_t i = 0; i < n_m && !ret; i++) {
        sqlite3_bind_int64(st, 1, m[i].id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            slot *x = &v[*n];
            memset(x, 0, sizeof *x);
            nd_story_article *a = &x->a;
            a->id = m[i].id;
            a->ext_id = nd__col_dup(ar, st, 0);
            a->title = nd__col_dup(ar, st, 1);
            a->site = nd__col_dup(ar, st, 2);
            a->host = nd__col_dup(ar, st, 3);
            a->url = nd__col_dup(ar, st, 4);
            a->language = nd__col_dup(ar, st, 5);
            a->published = nd__col_dup(ar, st, 6);
            a->fetched = nd__col_dup(ar, st, 7);
            a->dup_of = m[i].dup_of;
            a->parent_id = sqlite3_column_int64(st, 8);
            a->version = sqlite3_column_int(st, 9);
            a->outlet = a->site && *a->site ? a->site : a->host ? a->host : "";
            a->original = -1;
            (*n)++;
        } else if (rc != SQLITE_DONE) {
            ret = nd__store_fail(s, "cannot read a story", err);
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return ret;
}

/* The group of outlet name (its map key: the name's hash, probed on to
 * the next key when another name has it), a new one (*n_groups + 1) when
 * it has none yet.  -1: out of memory. */
static ptrdiff_t outlet_group(nd__imap *m, const char ***names, size_t *cap, size_t *n_groups,
                              const char *name)
{
    uint64_t k = nd_hash64(name, strlen(name));
    int64_t g;
    for (;; k++) {
        if (!k) continue;
        if (!nd__imap_get(m, k, &g)) break;
        if (!strcmp((*names)[g], name)) return (ptrdiff_t) g;
    }
    if (*n_groups == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        const char **p = nd_realloc((void *) *names, nc * sizeof *p);
        if (!p) return -1;
        *names = p;
        *cap = nc;
    }
    if (nd__imap_put(m, k, (int64_t) *n_groups)) return -1;
    (*names)[*n_groups] = name;
    return (ptrdiff_t) (*n_groups)++;
}

/* Originals are grouped by outlet (outlets ranked by their first
 * article); a duplicate goes with the article it copies, when that is
 * shown (an original itself).  v[0..n) is in time order; on return it is
 * in page order with group and original (a time-order index until then)
 * set.  Hash maps make it linear but for the sort. */
static int arrange(slot *v, size_t n, size_t *n_groups_out, nd_error *err)
{
    nd__imap by_id = {0}, by_name = {0};
    const char **names = NULL;
    size_t names_cap = 0, n_groups = 0;
    int ret = 0;
    for (size_t i = 0; i < n && !ret; i++)
        if (!v[i].a.dup_of && nd__imap_put(&by_id, (uint64_t) v[i].a.id, (int64_t) i))
            ret = ND_ENOMEM;
    for (size_t i = 0; i < n && !ret; i++) {
        slot *d = &v[i];
        d->rank = i;
        int64_t k;
        if (d->a.dup_of && nd__imap_get(&by_id, (uint64_t) d->a.dup_of, &k))
            d->a.original = (ptrdiff_t) k;
        /* The group of the outlet's first original in time order. */
        if (d->a.original >= 0) continue;
        ptrdiff_t g = outlet_group(&by_name, &names, &names_cap, &n_groups, d->a.outlet);
        if (g < 0)
            ret = ND_ENOMEM;
        else
            d->group = (size_t) g;
    }
    nd__imap_free(&by_id);
    nd__imap_free(&by_name);
    nd_free((void *) names);
    if (ret) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    /* A duplicate takes its original's place, after it and its earlier
     * duplicates: ranks are time order. */
    for (size_t i = 0; i < n; i++) {
        slot *d = &v[i];
        if (d->a.original < 0) continue;
        d->group = v[d->a.original].group;
        d->rank = v[d->a.original].rank * (n + 1) + 1 + d->rank;
    }
    for (size_t i = 0; i < n; i++)
        if (v[i].a.original < 0) v[i].rank *= n + 1;
    if (n) qsort(v, n, sizeof *v, by_outlet);
    *n_groups_out = n_groups;
    return 0;
}

static int query_story(nd_store *s, int64_t id, const nd_query_opts *o, nd_story_page **out,
                       nd_error *err);

/* A page's rows are scattered over the file: they are read with pread(),
 * not through the reader's memory map, whose faults on pages not in memory
 * read the device's whole read-ahead window around each (8 MB on the
 * machine measured: a 200-article page of a 100,000-document store with
 * its file out of the page cache read 520 MB through the map in 600-900
 * ms, 1 MB in 66-90 ms by pread).  The map is back for the next question. */
int nd_query_story(nd_store *s, int64_t id, const nd_query_opts *o, nd_story_page **out,
                   nd_error *err)
{
    *out = NULL;
    int rc = nd__query_check(o, 0, "story", err);
    if (rc) return rc;
    int64_t map = 0;
    if (!s->in_tx && nd__query_int(s, "PRAGMA mmap_size", 0, &map, NULL) == 0 && map > 0)
        nd__store_exec(s, "PRAGMA mmap_size=0", NULL);
    rc = query_story(s, id, o, out, err);
    if (map > 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA mmap_size=%lld", (long long) map);
        nd__store_exec(s, sql, NULL);
    }
    return rc;
}

static int query_story(nd_store *s, int64_t id, const nd_query_opts *o, nd_story_page **out,
                       nd_error *err)
{
    int rc;
    nd_story_page *res = nd__result_new(sizeof *res, 0, err);
    if (!res) return ND_ENOMEM;
    nd_arena *ar = res->r.arena;
    rc = nd__story_get(s, ar, id, &res->story, err);
    nd_count *oc = NULL;
    size_t n_oc = 0;
    if (!rc) rc = nd__story_outlet_counts(s, id, ar, &oc, &n_oc, err);
    member *m = NULL;
    size_t n_m = 0;
    if (!rc) rc = read_members(s, id, &m, &n_m, err);
    if (rc) {
        nd_result_free(res);
        return rc;
    }
    /* The latest limit members: the highest ids. */
    size_t limit = o && o->all ? n_m : (size_t) nd__query_limit(o, ND_QUERY_STORY_ARTICLES);
    if (n_m > limit) qsort(m, n_m, sizeof *m, by_id_desc);
    size_t n_shown = n_m < limit ? n_m : limit, n = 0;
    slot *v = nd_malloc((n_shown ? n_shown : 1) * sizeof *v);
    int ret = v ? 0 : nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (!ret) ret = read_rows(s, ar, m, n_shown, v, &n, err);
    nd_free(m);
    if (!ret && n) qsort(v, n, sizeof *v, by_time);
    size_t n_groups = 0;
    if (!ret) ret = arrange(v, n, &n_groups, err);

    nd_story_article *arts = ret ? NULL : nd_arena_calloc(ar, n ? n : 1, sizeof *arts);
    nd_story_outlet *outs = ret ? NULL : nd_arena_calloc(ar, n_groups ? n_groups : 1, sizeof *outs);
    if (!ret && (!arts || !outs)) ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (ret) {
        nd_free(v);
        nd_result_free(res);
        return ret;
    }
    /* Final positions: an original's index after the sort. */
    size_t last_orig = 0;
    for (size_t i = 0; i < n; i++) {
        arts[i] = v[i].a;
        if (v[i].a.original < 0) {
            last_orig = i;
        } else {
            arts[i].original = (ptrdiff_t) last_orig;
        }
        size_t g = v[i].group;
        arts[i].outlet_index = g;
        if (outs[g].n == 0) {
            outs[g].name = arts[i].outlet;
            outs[g].first = i;
        }
        outs[g].n++;
    }
    nd_free(v);
    res->articles = arts;
    res->n_articles = n;
    res->outlets = outs;
    res->n_outlets = n_groups;
    res->n_total = n_m;
    res->outlet_counts = oc;
    res->n_outlet_counts = n_oc;
    *out = res;
    return 0;
}
