/* documents.c - one document with its analysis and story (show, the
 * article page), and every document in storage order (export). */
#include <stdio.h>
#include <string.h>

#include "query/query_int.h"

static void doc_free(void *p)
{
    nd_store_doc_free(p);
}

/* The story row of a document, in the result's arena; NULL when none. */
static int story_of(nd_store *s, nd_arena *ar, int64_t story, const nd_story_row **out,
                    nd_error *err)
{
    *out = NULL;
    if (!story) return 0;
    nd_story_row *r = nd_arena_calloc(ar, 1, sizeof *r);
    if (!r) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    int rc = nd__story_get(s, ar, story, r, err);
    if (rc == ND_ENOTFOUND) return 0; /* merged away meanwhile */
    if (!rc) *out = r;
    return rc;
}

/* The document d copies (first) and the other copies of the same
 * original, on the dup_of index. */
static int copies_of(nd_store *s, nd_arena *ar, const nd_store_doc *d, nd_article_page *res,
                     nd_error *err)
{
    int64_t orig = d->dup_of ? d->dup_of : d->id;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, ext_id, title, site, host, url, published, fetched,"
                           " coalesce(dup_of, 0) FROM documents WHERE (id = ?1 OR dup_of = ?1)"
                           " AND id <> ?2 ORDER BY id = ?1 DESC, id LIMIT 100",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot read copies", err);
    sqlite3_bind_int64(st, 1, orig);
    sqlite3_bind_int64(st, 2, d->id);
    nd__vec v = {NULL, 0, 0, sizeof(nd_story_article)};
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_story_article *a = nd__vec_push(ar, &v);
        if (!a) {
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        a->id = sqlite3_column_int64(st, 0);
        a->ext_id = nd__col_dup(ar, st, 1);
        a->title = nd__col_dup(ar, st, 2);
        a->site = nd__col_dup(ar, st, 3);
        a->host = nd__col_dup(ar, st, 4);
        a->url = nd__col_dup(ar, st, 5);
        a->published = nd__col_dup(ar, st, 6);
        a->fetched = nd__col_dup(ar, st, 7);
        a->dup_of = sqlite3_column_int64(st, 8);
        a->outlet = a->site && *a->site ? a->site : a->host ? a->host : "";
        a->original = -1;
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = nd__store_fail(s, "cannot read copies", err);
    sqlite3_finalize(st);
    res->copies = v.items;
    res->n_copies = v.n;
    return ret;
}

int nd_query_article(nd_store *s, const char *id, nd_article_page **out, nd_error *err)
{
    *out = NULL;
    nd_article_page *res = nd__result_new(sizeof *res, 4096, err);
    if (!res) return ND_ENOMEM;
    nd_store_doc *d = NULL;
    int rc = nd_store_get(s, id, &d, err);
    if (!rc) rc = nd__result_own(&res->r, doc_free, d);
    if (rc) {
        if (rc == ND_ENOMEM) nd_error_set(err, rc, (size_t) -1, "out of memory");
        nd_result_free(res);
        return rc;
    }
    res->doc = d;
    rc = nd_store_load_analysis(s, d, err);
    if (!rc) rc = story_of(s, res->r.arena, d->story_id, &res->story, err);
    if (!rc) rc = copies_of(s, res->r.arena, d, res, err);
    if (!rc)
        rc = nd__query_keywords(s, d->id, 0, 12, res->r.arena, &res->keywords, &res->n_keywords,
                                err);
    if (rc) {
        nd_result_free(res);
        return rc;
    }
    *out = res;
    return 0;
}

int nd_query_documents(nd_store *s, const nd_query_opts *o, nd_document_list **out, nd_error *err)
{
    *out = NULL;
    int rc = nd__query_check(
        o, ND__F_SINCE | ND__F_UNTIL | ND__F_SITE | ND__F_LANGUAGE | ND__F_STORY | ND__F_CURSOR,
        "documents", err);
    if (rc) return rc;
    char since[32], until[32];
    if ((rc = nd__since_bound(o ? o->since : NULL, since, err)) != 0) return rc;
    if ((rc = nd__until_bound(o ? o->until : NULL, until, err)) != 0) return rc;
    int64_t after = 0;
    if (o && o->cursor) {
        char buf[256];
        const char *f[1];
        rc = nd__cursor_split(o->cursor, 'd', buf, f, 1, err);
        if (rc < 0 || (rc = nd__cursor_int(f[0], &after, err)) < 0) return rc;
    }
    /* Ids first (on the primary key), then each document whole. */
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT id FROM documents d WHERE id > ?1");
    if (since[0]) nd_buf_puts(&sql, " AND coalesce(d.published, d.fetched) >= ?2");
    if (until[0]) nd_buf_puts(&sql, " AND coalesce(d.published, d.fetched) < ?3");
    if (o && o->site)
        nd_buf_puts(&sql, " AND (d.site = ?4 COLLATE NOCASE OR d.host = lower(?4)"
                          " OR d.host LIKE '%.' || lower(?4))");
    if (o && o->language) nd_buf_puts(&sql, " AND d.language = ?5");
    if (o && o->story) nd_buf_puts(&sql, " AND d.story_id = ?6");
    nd_buf_puts(&sql, " ORDER BY id LIMIT ?7");
    sqlite3_stmt *st;
    rc = nd__prepare(s, &sql, &st, "cannot list documents", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    int limit = nd__query_limit(o, 100);
    sqlite3_bind_int64(st, 1, after);
    if (since[0]) sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
    if (until[0]) sqlite3_bind_text(st, 3, until, -1, SQLITE_STATIC);
    if (o && o->site) sqlite3_bind_text(st, 4, o->site, -1, SQLITE_STATIC);
    if (o && o->language) sqlite3_bind_text(st, 5, o->language, -1, SQLITE_STATIC);
    if (o && o->story) sqlite3_bind_int64(st, 6, o->story);
    sqlite3_bind_int(st, 7, limit + 1);
    nd_document_list *res = nd__result_new(sizeof *res, 0, err);
    int64_t *ids = nd_malloc(((size_t) limit + 1) * sizeof *ids);
    if (!res || !ids) {
        sqlite3_finalize(st);
        nd_result_free(res);
        nd_free(ids);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    size_t n = 0;
    int64_t last = after;
    int back = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n <= (size_t) limit) {
        ids[n] = sqlite3_column_int64(st, 0);
        /* ascending past the cursor: a damaged table's ids may go back,
         * and a walk of the pages (export) would never end */
        if (ids[n] <= last) {
            back = 1;
            break;
        }
        last = ids[n++];
    }
    sqlite3_finalize(st);
    int ret = back ? nd__store_ids_back(s, last, err)
              : rc == SQLITE_DONE || rc == SQLITE_ROW
                  ? 0
                  : nd__store_fail(s, "cannot list documents", err);
    nd_arena *ar = res->r.arena;
    if (!ret && n > (size_t) limit) {
        n = (size_t) limit;
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long) ids[n - 1]);
        const char *f[] = {num};
        res->r.next = nd__cursor_make(ar, 'd', 1, f);
    }
    const nd_store_doc **docs = ret ? NULL : nd_arena_calloc(ar, n ? n : 1, sizeof *docs);
    if (!ret && !docs) ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n && !ret; i++) {
        nd_store_doc *d = NULL;
        ret = nd_store_get_id(s, ids[i], &d, err);
        if (ret == ND_ENOTFOUND) { /* gone meanwhile */
            ret = 0;
            continue;
        }
        if (!ret && nd__result_own(&res->r, doc_free, d))
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        if (!ret) ret = nd_store_load_analysis(s, d, err);
        if (!ret) docs[k++] = d;
    }
    nd_free(ids);
    if (ret) {
        nd_result_free(res);
        return ret;
    }
    res->items = docs;
    res->n = k;
    *out = res;
    return 0;
}
