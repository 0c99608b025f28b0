/* quotes.c - attributed quotations, newest documents first.
 *
 * Plans (docs/architecture.md, "The query layer"): quotations are read in
 * the order shown, on quotes(date, doc_id, idx) or, for one speaker, on
 * quotes(speaker_id, date, doc_id, idx), so a page costs its rows.  A
 * speaker with very many quotations (a country's code: every Russian
 * actor) is read on the date index too, filtered, instead of sorting all
 * of its quotations; the maintained actor_stats.quotes says which (for a
 * prefix of thousands of actors, its documents in code_days:
 * nd__sel_total). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/imap.h"
#include "query/query_int.h"

int nd__quotes_split = 16;

/* One side of a pair: spoken by a (an actor of it) with a mention of b
 * inside the quotation. */
static void pair_side(nd_buf *sql, const nd__sel *a, const nd__sel *b)
{
    nd_buf_puts(sql, "(q.speaker_id ");
    nd__sel_in(sql, a);
    nd_buf_puts(sql, " AND EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id = q.doc_id"
                     " AND m.start_off >= q.start_off AND m.end_off <= q.end_off"
                     " AND m.actor_id ");
    nd__sel_in(sql, b);
    nd_buf_puts(sql, "))");
}

/* The quotations between x and y: in the documents of their latest
 * ND_QUERY_PAIR_DOCS events (either direction, on the code indexes),
 * what one says naming the other. */
static void pair_filter(nd_buf *sql, const nd__sel *x, const nd__sel *y)
{
    nd_buf_puts(sql, " AND q.doc_id IN (SELECT doc_id FROM (SELECT e.doc_id, e.day FROM events e"
                     " WHERE e.latest AND ");
    nd__sel_side(sql, x, "e.source_code", "e.source_id");
    nd_buf_puts(sql, " AND ");
    nd__sel_side(sql, y, "e.target_code", "e.target_id");
    nd_buf_puts(sql, " UNION ALL SELECT e.doc_id, e.day FROM events e WHERE e.latest AND ");
    nd__sel_side(sql, y, "e.source_code", "e.source_id");
    nd_buf_puts(sql, " AND ");
    nd__sel_side(sql, x, "e.target_code", "e.target_id");
    nd_buf_printf(sql, ") ORDER BY day DESC LIMIT %d) AND (", ND_QUERY_PAIR_DOCS);
    pair_side(sql, x, y);
    nd_buf_puts(sql, " OR ");
    pair_side(sql, y, x);
    nd_buf_puts(sql, ")");
}

/* A text most quotations match ("United States": 5,754 of 843,433 at
 * 100,000 documents) sorted on the full-text index reads every match's
 * row for its date, most of them from disk on a cold store.  Its newest
 * matches are near the top of the date index instead: walk the newest W
 * entries (W about 4 times what the matches' share predicts), keep the
 * matches, and take them when the page's last row is before the last
 * (date, document) the walk reached (or the walk reached every entry):
 * nothing after the window can come before it.  The ids of the page go
 * into idlist ("" when the window did not suffice: sort as before). */
typedef struct win_row {
    int64_t id, doc, idx;
    char date[32];
    int has_date;
} win_row;

/* The order shown: date newest first (undated last), document newest
 * first, then the quotation's place in it. */
static int win_order(const void *x, const void *y)
{
    const win_row *a = x, *b = y;
    if (a->has_date != b->has_date) return a->has_date ? -1 : 1;
    int c = strcmp(b->date, a->date);
    if (c) return c;
    if (a->doc != b->doc) return a->doc > b->doc ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

static int about_window(nd_store *s, const nd_query_opts *q, int limit, nd_buf *idlist,
                        nd_error *err)
{
    int64_t matches = 0, total = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT count(*) FROM (SELECT 1 FROM quotes_fts WHERE quotes_fts"
                           " MATCH ?1 LIMIT 20001)",
                           -1, &st, NULL) != SQLITE_OK)
        return 0; /* the main query reports a bad query */
    sqlite3_bind_text(st, 1, q->text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) matches = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (matches == 0 || matches < ND_QUERY_ABOUT_MANY) return 0;
    int rc = nd__query_int(s, "SELECT coalesce(max(id), 0) FROM quotes", 0, &total, err);
    if (rc) return rc;
    int64_t want = (int64_t) limit + 1;
    int64_t w = want * 4 * (total / matches + 1);
    if (w > total) w = total;
    /* The window's matches, put in the order shown here (the window
     * walks (date, doc_id) newest first but idx last first). */
    nd_buf sql = ND_BUF_INIT;
    nd_buf_printf(&sql,
                  "SELECT q.id, q.date, q.doc_id, q.idx FROM (SELECT id FROM quotes INDEXED BY"
                  " quotes_date ORDER BY date DESC, doc_id DESC, idx DESC LIMIT %lld) w"
                  " JOIN quotes q ON q.id = w.id WHERE w.id IN (SELECT rowid FROM quotes_fts"
                  " WHERE quotes_fts MATCH ?1) AND q.latest%s",
                  (long long) w, q->all ? "" : " AND q.scare = 0 AND q.speaker IS NOT NULL");
    rc = nd__prepare(s, &sql, &st, "cannot list quotations", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, q->text, -1, SQLITE_STATIC);
    win_row *rows = NULL;
    size_t nr = 0, cap = 0;
    int r, oom = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (nr == cap) {
            size_t nc = cap ? cap * 2 : 64;
            win_row *g = nd_realloc(rows, nc * sizeof *rows);
            if (!g) {
                oom = 1;
                break;
            }
            rows = g;
            cap = nc;
        }
        win_row *x = &rows[nr++];
        const char *d = (const char *) sqlite3_column_text(st, 1);
        x->id = sqlite3_column_int64(st, 0);
        x->has_date = d != NULL;
        snprintf(x->date, sizeof x->date, "%.31s", d ? d : "");
        x->doc = sqlite3_column_int64(st, 2);
        x->idx = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    if (nr) qsort(rows, nr, sizeof *rows, win_order);
    int64_t n = (int64_t) nr < want ? (int64_t) nr : want, last_doc = n ? rows[n - 1].doc : 0;
    for (int64_t k = 0; k < n; k++)
        nd_buf_printf(idlist, "%s%lld", k ? "," : "", (long long) rows[k].id);
    char last_date[32];
    snprintf(last_date, sizeof last_date, "%s", n ? rows[n - 1].date : "");
    int last_null = n ? !rows[n - 1].has_date : 0;
    nd_free(rows);
    if (oom || r != SQLITE_DONE) {
        /* (out of memory, or a failed read: sort as before) */
        nd_buf_clear(idlist);
        return 0;
    }
    int exact = w >= total;
    if (!exact && n == want) {
        /* The last entry the walk reached. */
        nd_buf_printf(&sql,
                      "SELECT date, doc_id FROM quotes INDEXED BY quotes_date"
                      " ORDER BY date DESC, doc_id DESC, idx DESC LIMIT 1 OFFSET %lld",
                      (long long) (w - 1));
        rc = nd__prepare(s, &sql, &st, "cannot list quotations", err);
        nd_buf_free(&sql);
        if (rc) return rc;
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *d = (const char *) sqlite3_column_text(st, 0);
            int same_day = (d == NULL) == last_null && (!d || !strcmp(d, last_date));
            exact = !(same_day && sqlite3_column_int64(st, 1) == last_doc);
        } else {
            exact = 1; /* fewer entries than the walk: it reached them all */
        }
        sqlite3_finalize(st);
    }
    if (!exact || nd_buf_failed(idlist))
        nd_buf_clear(idlist);
    else if (!n)
        nd_buf_puts(idlist, "0"); /* no match at all: an empty page */
    return 0;
}

/* nd_member(set, id): whether id is in the nd__imap set points to (a
 * pointer bound as "nd__imap"); 0 for NULL. */
static void member_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const nd__imap *in = argc == 2 ? sqlite3_value_pointer(argv[0], "nd__imap") : NULL;
    if (!in) {
        sqlite3_result_error(ctx, "nd_member: (set pointer, id)", -1);
        return;
    }
    int64_t id = sqlite3_value_int64(argv[1]);
    sqlite3_result_int(ctx, sqlite3_value_type(argv[1]) != SQLITE_NULL && id > 0 &&
                                nd__imap_get(in, (uint64_t) id, NULL));
}

/* Register nd_member on s's connection (once): 0 or ND_EDB. */
static int member_register(nd_store *s, nd_error *err)
{
    if (s->member_ready) return 0;
    if (sqlite3_create_function_v2(s->db, "nd_member", 2, SQLITE_UTF8, NULL, member_fn, NULL, NULL,
                                   NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list quotations", err);
    s->member_ready = 1;
    return 0;
}

int nd__query_quotes(nd_store *s, const nd_query_opts *q, const nd__imap *in, nd_arena *ar,
                     nd__vec *v, const char **next, nd_error *err)
{
    char since[32], until[32];
    int rc = nd__since_bound(q->since, since, err);
    if (!rc) rc = nd__until_bound(q->until, until, err);
    if (rc) return rc;
    char buf[256];
    const char *cur[3] = {NULL, NULL, NULL};
    int64_t cur_doc = 0, cur_idx = 0;
    if (q->cursor) {
        rc = nd__cursor_split(q->cursor, 'q', buf, cur, 3, err);
        if (rc >= 0 && rc != 3) rc = nd_error_set(err, ND_EINVAL, (size_t) -1, "bad cursor");
        if (rc >= 0) rc = nd__cursor_int(cur[1], &cur_doc, err);
        if (rc >= 0) rc = nd__cursor_int(cur[2], &cur_idx, err);
        if (rc < 0) return rc;
    }
    if (q->actor_b && !q->actor)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "quotes: actor_b without actor");
    /* nd_member, for the caller's set (registered once a connection) */
    if (in && (rc = member_register(s, err)) != 0) return rc;
    nd__sel x, y;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    int64_t many = 0;
    if (q->actor) {
        rc = nd__sel_resolve(s, q->actor, !q->exact_actor, &x, err);
        if (!rc && q->actor_b) rc = nd__sel_resolve(s, q->actor_b, !q->exact_actor, &y, err);
        if (!rc && !q->actor_b) rc = nd__sel_total(s, &x, "quotes", &many, err);
        if (rc) {
            nd__sel_free(&x);
            nd__sel_free(&y);
            return rc;
        }
    }
    int about = q->text && nd_slice_trim(nd_slice_c(q->text)).len > 0;
    int limit = nd__query_limit(q, 20);
    nd_buf idlist = ND_BUF_INIT;
    if (about && !q->actor && !q->doc && !q->story && !q->cursor && !since[0] && !until[0] &&
        (rc = about_window(s, q, limit, &idlist, err)) != 0) {
        nd_buf_free(&idlist);
        return rc;
    }
    nd_buf sql = ND_BUF_INIT;
    int frequent = q->actor && many > nd__query_many;
    nd_buf_puts(&sql, "SELECT q.id, q.doc_id, d.ext_id, d.title, d.url, d.site, d.source,"
                      " q.date, q.speaker, a.code, q.speaker_id, q.type, q.scare, q.text,"
                      " q.cue_lemma, q.start_off, q.end_off, q.source_start, q.source_end,"
                      " q.cue_start, q.cue_end, q.idx FROM quotes q");
    /* A speaker with very many quotations: read in date order, filtered;
     * the quotations shown by default on quotes_shown, their speaker
     * checked in the index and only the rows kept read (schema step
     * 10). */
    if (frequent)
        nd_buf_puts(&sql, q->all ? " INDEXED BY quotes_date" : " INDEXED BY quotes_shown");
    nd_buf_puts(&sql,
                " JOIN documents d ON d.id = q.doc_id LEFT JOIN actors a ON a.id = q.speaker_id");
    /* Quotations found on the speaker or full-text indexes are sorted:
     * their keys alone first, then the page's rows read with their
     * documents, not every match's document before the sort (8,000 for
     * --about "United States" at 100,000 documents). */
    int narrow = !frequent && !q->story && (about || q->actor);
    /* A name that means a few actors ("Donald Trump": USAELI and USAGOV,
     * 10,915 quotations at 200,000 documents): each actor's first page
     * on its own speaker index, then those merged, instead of sorting
     * every quotation of all of them. */
    int split = narrow && q->actor && !q->actor_b && !x.prefix[0] && x.n > 1 &&
                x.n <= (size_t) nd__quotes_split;
    nd_buf pre = ND_BUF_INIT, post = ND_BUF_INIT;
    int by_set = 0;
    nd_buf_puts(&pre, " WHERE q.latest");
    if (!q->all) nd_buf_puts(&pre, " AND q.scare = 0 AND q.speaker IS NOT NULL");
    if (q->actor_b)
        pair_filter(&pre, &x, &y);
    else if (q->actor && !split && frequent && x.prefix[0] && in) {
        /* Read in date order, each quotation's speaker looked up in the
         * caller's set of the prefix's actors (the actor page has it):
         * looked up by its key in actors, a speaker was a page read for
         * each quotation passed (CHN at 1,000,000 documents: 1,491 pages
         * cold for its page's latest 10). */
        nd_buf_puts(&pre, " AND nd_member(?10, q.speaker_id)");
        by_set = 1;
    } else if (q->actor && !split && frequent && x.prefix[0]) {
        /* Read in date order: each quotation's speaker is looked up by
         * its key, where "speaker_id IN (SELECT id FROM actors WHERE code
         * ...)" first built an index of every actor of the prefix (50,990
         * for USA at 1,000,000 documents: 100 of the 330 million
         * instructions of `actor USA`) to read a few dozen quotations. */
        char hi[32];
        nd__prefix_hi(x.prefix, hi, sizeof hi);
        nd_buf_printf(&pre,
                      " AND (SELECT code >= '%s' AND code < '%s' FROM actors"
                      " WHERE id = q.speaker_id)",
                      x.prefix, hi);
    } else if (q->actor && !split) {
        nd_buf_puts(&pre, " AND q.speaker_id ");
        nd__sel_in(&pre, &x);
    }
    if (q->doc) nd_buf_puts(&post, " AND q.doc_id = ?9");
    if (about && idlist.len)
        nd_buf_printf(&post, " AND q.id IN (%s)", idlist.ptr);
    else if (about)
        nd_buf_puts(&post, " AND q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?1)");
    if (since[0]) nd_buf_puts(&post, " AND q.date >= ?2");
    if (until[0]) nd_buf_puts(&post, " AND q.date < ?4");
    if (q->story) nd_buf_puts(&post, " AND d.story_id = ?5 AND d.dup_of IS NULL");
    if (cur[0] && cur[0][0])
        nd_buf_puts(&post, " AND (q.date < ?6 OR (q.date = ?6 AND (q.doc_id < ?7 OR (q.doc_id = ?7"
                           " AND q.idx > ?8))) OR q.date IS NULL)");
    else if (cur[0])
        nd_buf_puts(&post, " AND q.date IS NULL AND (q.doc_id < ?7 OR (q.doc_id = ?7"
                           " AND q.idx > ?8))");
    if (split) {
        nd_buf_puts(&sql, " WHERE q.id IN (");
        for (size_t i = 0; i < x.n; i++)
            nd_buf_printf(&sql,
                          "%sSELECT id FROM (SELECT q.id FROM quotes q%s AND q.speaker_id = %lld%s"
                          " ORDER BY q.date DESC, q.doc_id DESC, q.idx LIMIT ?3)",
                          i ? " UNION ALL " : "", pre.ptr ? pre.ptr : "", (long long) x.ids[i],
                          post.ptr ? post.ptr : "");
        nd_buf_puts(&sql, ") ORDER BY q.date DESC, q.doc_id DESC, q.idx");
    } else {
        if (narrow) nd_buf_puts(&sql, " WHERE q.id IN (SELECT q.id FROM quotes q");
        if (pre.len) nd_buf_append(&sql, pre.ptr, pre.len);
        if (post.len) nd_buf_append(&sql, post.ptr, post.len);
        /* SQLite sorts NULLs first: undated documents come last here. */
        nd_buf_puts(&sql, " ORDER BY q.date DESC, q.doc_id DESC, q.idx LIMIT ?3");
        if (narrow) nd_buf_puts(&sql, ") ORDER BY q.date DESC, q.doc_id DESC, q.idx");
    }
    int oom = nd_buf_failed(&pre) || nd_buf_failed(&post);
    nd_buf_free(&pre);
    nd_buf_free(&post);
    nd__sel_free(&x);
    nd__sel_free(&y);
    int listed = idlist.len > 0;
    nd_buf_free(&idlist);
    if (oom) {
        nd_buf_free(&sql);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    sqlite3_stmt *st;
    rc = nd__prepare_kept(s, &sql, &st, "cannot list quotations", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    if (about && !listed) sqlite3_bind_text(st, 1, q->text, -1, SQLITE_STATIC);
    if (since[0]) sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, limit + 1);
    if (until[0]) sqlite3_bind_text(st, 4, until, -1, SQLITE_STATIC);
    if (q->story) sqlite3_bind_int64(st, 5, q->story);
    if (q->doc) sqlite3_bind_int64(st, 9, q->doc);
    if (by_set) sqlite3_bind_pointer(st, 10, (void *) in, "nd__imap", NULL);
    if (cur[0] && cur[0][0]) sqlite3_bind_text(st, 6, cur[0], -1, SQLITE_STATIC);
    if (cur[0]) {
        sqlite3_bind_int64(st, 7, cur_doc);
        sqlite3_bind_int64(st, 8, cur_idx);
    }
    int ret = 0;
    int64_t last_idx = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((int) v->n == limit) {
            const nd_quote_row *l = &((const nd_quote_row *) v->items)[v->n - 1];
            char doc[32], idx[32];
            snprintf(doc, sizeof doc, "%lld", (long long) l->doc_id);
            snprintf(idx, sizeof idx, "%lld", (long long) last_idx);
            const char *f[] = {l->date ? l->date : "", doc, idx};
            *next = nd__cursor_make(ar, 'q', 3, f);
            break;
        }
        nd_quote_row *r = nd__vec_push(ar, v);
        if (!r) {
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        r->id = sqlite3_column_int64(st, 0);
        r->doc_id = sqlite3_column_int64(st, 1);
        r->ext_id = nd__col_dup(ar, st, 2);
        r->title = nd__col_dup(ar, st, 3);
        r->url = nd__col_dup(ar, st, 4);
        r->site = nd__col_dup(ar, st, 5);
        r->source = nd__col_dup(ar, st, 6);
        r->date = nd__col_dup(ar, st, 7);
        r->speaker = nd__col_dup(ar, st, 8);
        r->speaker_code = nd__col_dup(ar, st, 9);
        r->speaker_id = sqlite3_column_int64(st, 10);
        r->type = nd__col_dup(ar, st, 11);
        r->scare = sqlite3_column_int(st, 12);
        r->text = nd__col_dup(ar, st, 13);
        r->cue_lemma = nd__col_dup(ar, st, 14);
        nd__col_span(st, 15, &r->span);
        nd__col_span(st, 17, &r->source_span);
        nd__col_span(st, 19, &r->cue_span);
        last_idx = sqlite3_column_int64(st, 21);
        if (!r->text) r->text = "";
        if (!r->type) r->type = "direct";
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        if (about && sqlite3_errcode(s->db) == SQLITE_ERROR) {
            const char *m = sqlite3_errmsg(s->db);
            if (!strncmp(m, "fts5: ", 6)) m += 6;
            ret = nd_error_set(err, ND_EPARSE, (size_t) -1, "bad --about query: %s", m);
        } else {
            ret = nd__store_fail(s, "cannot list quotations", err);
        }
    }
    nd__release(s, st);
    return ret;
}

int nd_query_quotes(nd_store *s, const nd_query_opts *o, nd_quote_list **out, nd_error *err)
{
    *out = NULL;
    if (!o) o = &nd__query_none;
    int rc = nd__query_check(o,
                             ND__F_SINCE | ND__F_UNTIL | ND__F_ACTOR | ND__F_ACTOR_B | ND__F_TEXT |
                                 ND__F_STORY | ND__F_CURSOR | ND__F_DOC,
                             "quotes", err);
    if (rc) return rc;
    nd_quote_list *res = nd__result_new(sizeof *res, 0, err);
    if (!res) return ND_ENOMEM;
    nd__vec v = {NULL, 0, 0, sizeof(nd_quote_row)};
    rc = nd__query_quotes(s, o, NULL, res->r.arena, &v, &res->r.next, err);
    if (rc) {
        nd_result_free(res);
        return rc;
    }
    res->items = v.items;
    res->n = v.n;
    *out = res;
    return 0;
}
