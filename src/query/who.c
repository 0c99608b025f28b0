/* who.c - who a name on the command line means (newsdesk/query.h, "Who a
 * name means"): a CAMEO code prefix, or a set of actor ids. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query/query_int.h"

#define SEL_MAX_IDS 2000

void nd__sel_free(nd__sel *x)
{
    nd_free(x->ids);
    memset(x, 0, sizeof *x);
}

static int looks_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 21) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(isupper((unsigned char) s[i]) || isdigit((unsigned char) s[i]) || s[i] == '-'))
            return 0;
    return 1;
}

void nd__prefix_hi(const char *p, char *hi, size_t cap)
{
    snprintf(hi, cap, "%.*s", (int) (cap - 1), p);
    size_t n = strlen(hi);
    if (n) hi[n - 1]++;
}

static int any_row(nd_store *s, const char *sql, const char *a, const char *b, nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot find an actor", err);
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    if (b) sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return nd__store_fail(s, "cannot find an actor", err);
}

static int sel_add(nd__sel *x, int64_t id)
{
    if (x->n >= SEL_MAX_IDS) return 0;
    if (!x->ids) {
        x->ids = nd_malloc(SEL_MAX_IDS * sizeof *x->ids);
        if (!x->ids) return ND_ENOMEM;
    }
    x->ids[x->n++] = id;
    return 0;
}

/* name holds word (case-insensitive) as whole words. */
static int has_words(const char *name, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = name; *p; p++) {
        if (p != name && isalnum((unsigned char) p[-1])) continue;
        if (strncasecmp(p, word, wl) == 0 && !isalnum((unsigned char) p[wl])) return 1;
    }
    return 0;
}

int nd__sel_resolve(nd_store *s, const char *name, int country_as_code, nd__sel *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    nd_slice t = nd_slice_trim(nd_slice_c(name));
    if (!t.len || t.len > 200) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no actor name");
    char nm[256];
    snprintf(nm, sizeof nm, "%.*s", (int) t.len, t.ptr);
    if (nm[0] == '#') {
        /* An actor's number: that actor alone (the web's /actors/{id}). */
        char *end;
        long long id = strtoll(nm + 1, &end, 10);
        if (!nm[1] || *end || id <= 0)
            return nd_error_set(err, ND_EINVAL, (size_t) -1, "bad actor number '%s'", nm);
        int rc =
            any_row(s, "SELECT 1 FROM actors WHERE id = CAST(?1 AS INTEGER)", nm + 1, NULL, err);
        if (rc < 0) return rc;
        if (!rc) return nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no actor %lld", id);
        if (sel_add(out, id)) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        return 0;
    }
    if (looks_code(nm)) {
        char hi[32];
        nd__prefix_hi(nm, hi, sizeof hi);
        int rc = any_row(s, "SELECT 1 FROM actors WHERE code >= ?1 AND code < ?2", nm, hi, err);
        if (rc == 0)
            rc = any_row(s,
                         "SELECT 1 FROM events WHERE (source_code >= ?1 AND source_code < ?2)"
                         " OR (target_code >= ?1 AND target_code < ?2)",
                         nm, hi, err);
        if (rc < 0) return rc;
        if (rc == 1) {
            snprintf(out->prefix, sizeof out->prefix, "%.23s", nm);
            return 0;
        }
    }
    /* On actors_name (name COLLATE NOCASE, name, code), in id order. */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, kind, code FROM actors WHERE name = ?1 COLLATE NOCASE"
                           " ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot find an actor", err);
    sqlite3_bind_text(st, 1, nm, -1, SQLITE_TRANSIENT);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !ret) {
        const char *kind = (const char *) sqlite3_column_text(st, 1);
        const char *code = (const char *) sqlite3_column_text(st, 2);
        if (country_as_code && kind && !strcmp(kind, "country") && code && looks_code(code) &&
            strlen(code) < sizeof out->prefix) {
            snprintf(out->prefix, sizeof out->prefix, "%.23s", code);
            break;
        }
        ret = sel_add(out, sqlite3_column_int64(st, 0));
    }
    sqlite3_finalize(st);
    if (ret) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (out->prefix[0]) {
        out->n = 0;
        return 0;
    }
    if (out->n) return 0;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return nd__store_fail(s, "cannot find an actor", err);

    /* Whole words of a longer name: "Putin", "Xi", "foreign minister".
     * actor_names holds every word of every name (lower case; schema step
     * 13): the candidates are the actors with the first word, checked
     * whole.  The word is asked for as a quoted phrase ('"putin"'). */
    char first[128 + 2];
    size_t k = 0;
    const char *p = nm;
    while (*p && !isalnum((unsigned char) *p)) p++;
    first[k++] = '"';
    while (*p && isalnum((unsigned char) *p) && k < 128)
        first[k++] = (char) tolower((unsigned char) *p++);
    first[k++] = '"';
    first[k] = 0;
    if (k > 2) {
        if (sqlite3_prepare_v2(s->db,
                               "SELECT a.id, a.name FROM actor_names JOIN actors a"
                               " ON a.id = actor_names.rowid WHERE actor_names MATCH ?1"
                               " ORDER BY actor_names.rowid",
                               -1, &st, NULL) != SQLITE_OK)
            return nd__store_fail(s, "cannot find an actor", err);
        sqlite3_bind_text(st, 1, first, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && !ret) {
            const char *n = (const char *) sqlite3_column_text(st, 1);
            if (n && has_words(n, nm)) ret = sel_add(out, sqlite3_column_int64(st, 0));
        }
        sqlite3_finalize(st);
        if (ret) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            return nd__store_fail(s, "cannot find an actor", err);
    }
    if (!out->n)
        return nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no actor '%s' in the store", nm);
    return 0;
}

void nd__sel_in(nd_buf *b, const nd__sel *x)
{
    if (x->prefix[0]) {
        char hi[32];
        nd__prefix_hi(x->prefix, hi, sizeof hi);
        nd_buf_printf(b, "IN (SELECT id FROM actors WHERE code >= '%s' AND code < '%s')", x->prefix,
                      hi);
        return;
    }
    nd_buf_puts(b, "IN (");
    for (size_t i = 0; i < x->n; i++)
        nd_buf_printf(b, "%s%lld", i ? "," : "", (long long) x->ids[i]);
    nd_buf_puts(b, ")");
}

int nd__sel_large = 2000;

int nd__sel_count(nd_store *s, const nd__sel *x, int64_t *n, nd_error *err)
{
    if (!x->prefix[0]) {
        *n = (int64_t) x->n;
        return 0;
    }
    char hi[32], sql[160];
    nd__prefix_hi(x->prefix, hi, sizeof hi);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT 1 FROM actors WHERE code >= '%s' AND code < '%s'"
             " LIMIT %d)",
             x->prefix, hi, nd__sel_large + 1);
    return nd__query_int(s, sql, 0, n, err);
}

int nd__sel_total(nd_store *s, const nd__sel *x, const char *column, int64_t *n, nd_error *err)
{
    int64_t actors = 0;
    int rc = nd__sel_count(s, x, &actors, err);
    if (rc) return rc;
    nd_buf sql = ND_BUF_INIT;
    if (x->prefix[0] && actors > nd__sel_large && strlen(x->prefix) % 3 == 0) {
        nd_buf_printf(&sql, "SELECT coalesce(sum(documents), 0) FROM code_days WHERE prefix = '%s'",
                      x->prefix);
    } else {
        nd_buf_printf(&sql, "SELECT coalesce(sum(%s), 0) FROM actor_stats WHERE actor_id ", column);
        nd__sel_in(&sql, x);
    }
    rc = nd_buf_failed(&sql) ? nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory")
                             : nd__query_int(s, sql.ptr, 0, n, err);
    nd_buf_free(&sql);
    return rc;
}

void nd__sel_side(nd_buf *b, const nd__sel *x, const char *code_col, const char *id_col)
{
    if (x->prefix[0]) {
        char hi[32];
        nd__prefix_hi(x->prefix, hi, sizeof hi);
        nd_buf_printf(b, "(%s >= '%s' AND %s < '%s')", code_col, x->prefix, code_col, hi);
        return;
    }
    nd_buf_printf(b, "%s ", id_col);
    nd__sel_in(b, x);
}
