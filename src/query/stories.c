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

int nd_query_story(nd_store *s, int64_t id, nd_story_page **out, nd_error *err)
{
    *out = NULL;
    nd_story_page *res = nd__result_new(sizeof *res, 0, err);
    if (!res) return ND_ENOMEM;
    nd_arena *ar = res->r.arena;
    int rc = nd__story_get(s, ar, id, &res->story, err);
    if (rc) {
        nd_result_free(res);
        return rc;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, ext_id, title, site, host, url, language, published,"
                           " fetched, dup_of, parent_id, version FROM documents"
                           " WHERE story_id = ?1"
                           " ORDER BY coalesce(published, fetched) IS NULL,"
                           " coalesce(published, fetched), id",
                           -1, &st, NULL) != SQLITE_OK) {
        nd_result_free(res);
        return nd__store_fail(s, "cannot read a story", err);
    }
    sqlite3_bind_int64(st, 1, id);
    size_t cap = 0, n = 0;
    slot *v = NULL;
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            slot *p = nd_realloc(v, nc * sizeof *p);
            if (!p) {
                ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            v = p;
            cap = nc;
        }
        slot *x = &v[n];
        memset(x, 0, sizeof *x);
        nd_story_article *a = &x->a;
        a->id = sqlite3_column_int64(st, 0);
        a->ext_id = nd__col_dup(ar, st, 1);
        a->title = nd__col_dup(ar, st, 2);
        a->site = nd__col_dup(ar, st, 3);
        a->host = nd__col_dup(ar, st, 4);
        a->url = nd__col_dup(ar, st, 5);
        a->language = nd__col_dup(ar, st, 6);
        a->published = nd__col_dup(ar, st, 7);
        a->fetched = nd__col_dup(ar, st, 8);
        a->dup_of = sqlite3_column_int64(st, 9);
        a->parent_id = sqlite3_column_int64(st, 10);
        a->version = sqlite3_column_int(st, 11);
        a->outlet = a->site && *a->site ? a->site : a->host ? a->host : "";
        a->original = -1;
        x->rank = n++;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot read a story", err);
    sqlite3_finalize(st);

    /* Originals are grouped by outlet (outlets ranked by their first
     * article); a duplicate goes with the article it copies, when that is
     * in the story.  original holds time-order indexes until the sort. */
    size_t n_groups = 0;
    /* The originals by id (a duplicate's look-up read every article: 24
     * of the 187 million instructions of a story of 12,077 articles). */
    nd__imap orig = {0};
    for (size_t k = 0; k < n && !ret; k++)
        if (!v[k].a.dup_of && nd__imap_put(&orig, (uint64_t) v[k].a.id, (int64_t) k))
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    for (size_t i = 0; i < n && !ret; i++) {
        slot *d = &v[i];
        int64_t at;
        if (d->a.dup_of && nd__imap_get(&orig, (uint64_t) d->a.dup_of, &at))
            d->a.original = (ptrdiff_t) at;
        d->group = (size_t) -1;
        for (size_t k = 0; k < i && d->group == (size_t) -1; k++)
            if (v[k].a.original < 0 && !strcmp(v[k].a.outlet, d->a.outlet)) d->group = v[k].group;
        if (d->group == (size_t) -1 && d->a.original < 0) d->group = n_groups++;
    }
    nd__imap_free(&orig);
    /* A duplicate takes its original's place, after it and its earlier
     * duplicates: ranks are time order. */
    for (size_t i = 0; i < n && !ret; i++) {
        slot *d = &v[i];
        if (d->a.original < 0) continue;
        d->group = v[d->a.original].group;
        d->rank = v[d->a.original].rank * (n + 1) + 1 + d->rank;
    }
    for (size_t i = 0; i < n && !ret; i++)
        if (v[i].a.original < 0) v[i].rank *= n + 1;
    if (n && !ret) qsort(v, n, sizeof *v, by_outlet);

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
    *out = res;
    return 0;
}
