/* query.c - reading documents back (the questions are src/query/'s). */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store_int.h"

/* The columns of GET_DOC, in order (also used by nd_store_each). */
#define DOC_COLUMNS                                                                                \
    "id, ext_id, ident, version, url, host, site, title, authors, published, fetched,"             \
    " language, credit, text, content_hash, raw_hash, source, source_offset, source_line,"         \
    " parent_id, run_id, added,"                                                                   \
    " (SELECT count(*) FROM documents v WHERE v.ident = documents.ident), story_id, dup_of"

static const char *col_str(nd_arena *ar, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t) return NULL;
    return nd_arena_strndup(ar, (const char *) t, (size_t) sqlite3_column_bytes(st, i));
}

static int64_t col_opt(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

static int parse_authors(nd_store_doc *d, const char *json)
{
    if (!json) return 0;
    json_error_t je;
    json_t *arr = json_loads(json, 0, &je);
    if (!arr) return 0;
    if (json_is_array(arr) && json_array_size(arr) > 0) {
        size_t n = json_array_size(arr);
        d->authors = nd_arena_calloc(d->arena, n, sizeof(char *));
        for (size_t i = 0; d->authors && i < n; i++) {
            const char *v = json_string_value(json_array_get(arr, i));
            if (v) d->authors[d->n_authors++] = nd_arena_strndup(d->arena, v, strlen(v));
        }
    }
    json_decref(arr);
    return 0;
}

/* Fill d (with a fresh arena) from a row of DOC_COLUMNS, then its
 * paragraphs and related items. */
static int load_doc(nd_store *s, sqlite3_stmt *st, nd_store_doc *d, nd_error *err)
{
    memset(d, 0, sizeof *d);
    size_t tl = (size_t) sqlite3_column_bytes(st, 13);
    d->arena = nd_arena_new(tl + 4096);
    if (!d->arena) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    nd_arena *ar = d->arena;
    d->id = sqlite3_column_int64(st, 0);
    d->ext_id = col_str(ar, st, 1);
    d->ident = col_str(ar, st, 2);
    d->version = sqlite3_column_int(st, 3);
    d->url = col_str(ar, st, 4);
    d->host = col_str(ar, st, 5);
    d->site = col_str(ar, st, 6);
    d->title = col_str(ar, st, 7);
    parse_authors(d, (const char *) sqlite3_column_text(st, 8));
    d->published = col_str(ar, st, 9);
    d->fetched = col_str(ar, st, 10);
    d->language = col_str(ar, st, 11);
    d->credit = col_str(ar, st, 12);
    d->text = col_str(ar, st, 13);
    if (!d->text) d->text = "";
    d->text_len = tl;
    d->content_hash = (uint64_t) sqlite3_column_int64(st, 14);
    d->raw_hash = (uint64_t) sqlite3_column_int64(st, 15);
    d->origin.source = col_str(ar, st, 16);
    d->origin.offset = col_opt(st, 17);
    d->origin.line = col_opt(st, 18);
    d->origin.ident = d->ident;
    d->parent_id = sqlite3_column_int64(st, 19);
    d->run_id = sqlite3_column_int64(st, 20);
    d->added = col_str(ar, st, 21);
    d->n_versions = sqlite3_column_int(st, 22);
    if (d->n_versions < 1) d->n_versions = 1;
    d->story_id = sqlite3_column_int64(st, 23);
    d->dup_of = sqlite3_column_int64(st, 24);

    sqlite3_stmt *q = nd__store_stmt(s, ND_STMT_GET_PARAS, err);
    if (!q) return ND_EDB;
    sqlite3_bind_int64(q, 1, d->id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t a = sqlite3_column_int64(q, 0), b = sqlite3_column_int64(q, 1);
        if (a < 0 || b < a || (size_t) b > d->text_len) continue;
        if (d->n_paragraphs == cap) {
            size_t nc = cap ? cap * 2 : 16;
            nd_slice *p = nd_arena_alloc(ar, nc * sizeof *p);
            if (!p) break;
            if (cap) memcpy(p, d->paragraphs, cap * sizeof *p);
            d->paragraphs = p;
            cap = nc;
        }
        d->paragraphs[d->n_paragraphs++] = (nd_slice){d->text + a, (size_t) (b - a)};
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return nd__store_fail(s, "cannot read paragraphs", err);

    q = nd__store_stmt(s, ND_STMT_GET_RELATED, err);
    if (!q) return ND_EDB;
    sqlite3_bind_int64(q, 1, d->id);
    cap = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (d->n_related == cap) {
            size_t nc = cap ? cap * 2 : 8;
            nd_store_related *p = nd_arena_alloc(ar, nc * sizeof *p);
            if (!p) break;
            if (cap) memcpy(p, d->related, cap * sizeof *p);
            d->related = p;
            cap = nc;
        }
        nd_store_related *r = &d->related[d->n_related++];
        r->title = col_str(ar, q, 0);
        r->site = col_str(ar, q, 1);
        r->url = col_str(ar, q, 2);
        r->age = col_str(ar, q, 3);
        r->published = col_str(ar, q, 4);
        r->doc_id = sqlite3_column_int64(q, 5);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return nd__store_fail(s, "cannot read related items", err);
    return 0;
}

void nd_store_doc_free(nd_store_doc *d)
{
    if (!d) return;
    nd_arena_free(d->arena);
    nd_free(d);
}

int nd_store_get_id(nd_store *s, int64_t id, nd_store_doc **out, nd_error *err)
{
    *out = NULL;
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_GET_DOC, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no document %lld", (long long) id);
    }
    if (rc != SQLITE_ROW) {
        rc = nd__store_fail(s, "cannot read a document", err);
        sqlite3_reset(st);
        return rc;
    }
    nd_store_doc *d = nd_calloc(1, sizeof *d);
    if (!d) {
        sqlite3_reset(st);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    rc = load_doc(s, st, d, err);
    sqlite3_reset(st);
    if (rc) {
        nd_store_doc_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

int nd_store_get(nd_store *s, const char *id, nd_store_doc **out, nd_error *err)
{
    *out = NULL;
    if (!id || !*id) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no document id");
    int numeric = 1;
    for (const char *p = id; *p; p++)
        if (!isdigit((unsigned char) *p)) numeric = 0;
    if (numeric && strlen(id) < 19) {
        int rc = nd_store_get_id(s, strtoll(id, NULL, 10), out, err);
        if (rc != ND_ENOTFOUND) return rc;
    }
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_GET_EXT, err);
    if (!st) return ND_EDB;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int64_t doc = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return nd__store_fail(s, "cannot find a document", err);
    if (!doc) return nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no document with id '%s'", id);
    return nd_store_get_id(s, doc, out, err);
}

int nd_store_each(nd_store *s, int (*fn)(void *ctx, const nd_store_doc *d), void *ctx,
                  nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT " DOC_COLUMNS " FROM documents ORDER BY id", -1, &st,
                           NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list documents", err);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_doc d;
        ret = load_doc(s, st, &d, err);
        if (!ret) ret = fn(ctx, &d);
        nd_arena_free(d.arena);
        if (ret) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot list documents", err);
    sqlite3_finalize(st);
    return ret;
}
