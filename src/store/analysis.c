/* analysis.c - the analysis in the store (schema step 4): actors, their
 * mentions, quotations and events of each document, written with the
 * document (nd_store_add_page) or later (nd_store_set_analysis), read back
 * as an nd_analysis (nd_store_load_analysis), and the queries behind
 * `newsdesk quotes`, `actors`, `actor`, `relations` and `events`.
 *
 * Actors are global rows keyed by (name, code); each connection keeps the
 * ids it has seen in a small hash table so that a document's actors cost
 * no statement once known.  A rollback can remove rows that the table
 * names, so it is emptied on every rollback (nd__store_analysis_rolled_back
 * and SQLite's rollback hook). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/store_int.h"

/* ---- statements ------------------------------------------------------------- */

#define AN_STMTS(X)                                                                                \
    X(A_FIND, "SELECT id FROM actors WHERE name = ?1 AND code = ?2")                               \
    X(A_ORG, "UPDATE actors SET kind = 'org' WHERE id = ?1 AND kind = 'person' AND in_dict = 0")   \
    X(A_ADD, "INSERT INTO actors(name, code, country, kind, role, in_dict)"                        \
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                                                   \
    X(M_ADD, "INSERT INTO mentions(doc_id, idx, actor_id, start_off, end_off, sentence, how)"      \
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")                                               \
    X(DA_ADD,                                                                                      \
      "INSERT INTO doc_actors(actor_id, doc_id, mentions) VALUES (?1, ?2, ?3)"                     \
      " ON CONFLICT(actor_id, doc_id) DO UPDATE SET mentions = mentions + excluded.mentions")      \
    X(Q_ADD, "INSERT INTO quotes(doc_id, idx, speaker_id, speaker, type, scare, cue_lemma,"        \
             " start_off, end_off, content, source_start, source_end, cue_start, cue_end,"         \
             " clause_start, clause_end, sentence, text)"                                          \
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"     \
             " ?17, ?18)")                                                                         \
    X(E_ADD, "INSERT INTO events(doc_id, idx, source_id, target_id, source_code, target_code,"     \
             " code, goldstein, quad, negated, date, sentence, sentence_start, sentence_end,"      \
             " verb_start, verb_end, n_mentions, mentions, instance_id)"                           \
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"\
             " ?18, ?19)")                                                                         \
    X(I_FIND, "SELECT id FROM event_instances WHERE key = ?1")                                     \
    X(I_ADD, "INSERT INTO event_instances(key, source_code, target_code, root, date)"              \
             " VALUES (?1, ?2, ?3, ?4, ?5)")                                                       \
    X(D_ADD, "INSERT OR REPLACE INTO doc_analysis(doc_id, analyzed, date, truncated)"              \
             " VALUES (?1, ?2, ?3, ?4)")                                                           \
    X(DEL_M, "DELETE FROM mentions WHERE doc_id = ?1")                                             \
    X(DEL_DA, "DELETE FROM doc_actors WHERE doc_id = ?1")                                          \
    X(Q_UNINDEX, "INSERT INTO quotes_fts(quotes_fts, rowid, text) SELECT 'delete', id, text"       \
                 " FROM quotes WHERE doc_id = ?1 AND id <= (SELECT last FROM quotes_indexed)")     \
    X(Q_INDEX, "INSERT INTO quotes_fts(rowid, text) SELECT id, text FROM quotes"                   \
               " WHERE id > (SELECT last FROM quotes_indexed)")                                    \
    X(Q_MARK, "UPDATE quotes_indexed SET last = max(last, coalesce((SELECT max(id) FROM quotes),"  \
              " 0))")                                                                              \
    X(DEL_Q, "DELETE FROM quotes WHERE doc_id = ?1")                                               \
    X(DEL_E, "DELETE FROM events WHERE doc_id = ?1")                                               \
    X(DEL_D, "DELETE FROM doc_analysis WHERE doc_id = ?1")                                         \
    X(HAS_DOC, "SELECT 1 FROM documents WHERE id = ?1")                                            \
    X(G_D, "SELECT date, truncated FROM doc_analysis WHERE doc_id = ?1")                           \
    X(G_A, "SELECT a.id, a.name, a.code, a.country, a.role, a.kind, a.in_dict"                     \
           " FROM doc_actors da JOIN actors a ON a.id = da.actor_id WHERE da.doc_id = ?1")         \
    X(G_M, "SELECT actor_id, start_off, end_off, sentence, how FROM mentions WHERE doc_id = ?1"    \
           " ORDER BY idx")                                                                        \
    X(G_Q, "SELECT speaker_id, speaker, type, scare, cue_lemma, content, source_start,"            \
           " source_end, cue_start, cue_end, clause_start, clause_end, sentence, text"             \
           " FROM quotes WHERE doc_id = ?1 ORDER BY idx")                                          \
    X(G_E, "SELECT source_id, target_id, source_code, target_code, code, goldstein, quad,"         \
           " negated, date, sentence, sentence_start, sentence_end, verb_start, verb_end,"         \
           " mentions"                                                                             \
           " FROM events WHERE doc_id = ?1 ORDER BY idx")

enum an_stmt {
#define AN__ENUM(name, sql) AN_##name,
    AN_STMTS(AN__ENUM)
#undef AN__ENUM
        AN_COUNT_
};

static const char *const an_sql[AN_COUNT_] = {
#define AN__SQL(name, sql) sql,
    AN_STMTS(AN__SQL)
#undef AN__SQL
};

/* Actor ids by (name, code) hash; open addressing, 0 = empty slot. */
typedef struct id_slot {
    uint64_t key;
    int64_t id;
} id_slot;

#define AN_CACHE_MAX 65536 /* entries before the table is emptied */

struct nd__store_an {
    sqlite3_stmt *stmt[AN_COUNT_];
    id_slot *slots;
    size_t cap, n;
    int unindexed; /* quotations added in the open transaction, not yet in quotes_fts */
};

static void on_rollback(void *p)
{
    nd__store_analysis_rolled_back(p);
}

static struct nd__store_an *an_state(nd_store *s, nd_error *err)
{
    if (s->an) return s->an;
    s->an = nd_calloc(1, sizeof *s->an);
    if (!s->an) {
        nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        return NULL;
    }
    sqlite3_rollback_hook(s->db, on_rollback, s);
    return s->an;
}

static sqlite3_stmt *an_stmt(nd_store *s, enum an_stmt which, nd_error *err)
{
    struct nd__store_an *an = an_state(s, err);
    if (!an) return NULL;
    sqlite3_stmt *st = an->stmt[which];
    if (!st) {
        if (sqlite3_prepare_v3(s->db, an_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                               &an->stmt[which], NULL) != SQLITE_OK) {
            nd__store_fail(s, "cannot prepare a statement", err);
            return NULL;
        }
        return an->stmt[which];
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

void nd__store_analysis_close(nd_store *s)
{
    if (!s->an) return;
    for (int i = 0; i < AN_COUNT_; i++) sqlite3_finalize(s->an->stmt[i]);
    nd_free(s->an->slots);
    nd_free(s->an);
    s->an = NULL;
    sqlite3_rollback_hook(s->db, NULL, NULL);
}

void nd__store_analysis_rolled_back(nd_store *s)
{
    if (!s || !s->an) return;
    s->an->unindexed = 0;
    if (!s->an->n) return;
    memset(s->an->slots, 0, s->an->cap * sizeof *s->an->slots);
    s->an->n = 0;
}

static uint64_t actor_key(const char *name, const char *code)
{
    uint64_t h[2] = {nd_hash64(name, strlen(name)), nd_hash64(code, strlen(code))};
    uint64_t k = nd_hash64(h, sizeof h);
    return k ? k : 1;
}

static int64_t cache_get(struct nd__store_an *an, uint64_t key)
{
    if (!an->cap) return 0;
    for (size_t i = key & (an->cap - 1);; i = (i + 1) & (an->cap - 1)) {
        if (an->slots[i].key == key) return an->slots[i].id;
        if (!an->slots[i].key) return 0;
    }
}

static void cache_put(struct nd__store_an *an, uint64_t key, int64_t id)
{
    if (an->n >= AN_CACHE_MAX) {
        memset(an->slots, 0, an->cap * sizeof *an->slots);
        an->n = 0;
    }
    if ((an->n + 1) * 2 > an->cap) {
        size_t nc = an->cap ? an->cap * 2 : 1024;
        id_slot *ns = nd_calloc(nc, sizeof *ns);
        if (!ns) return; /* the cache is only a shortcut */
        for (size_t i = 0; i < an->cap; i++) {
            if (!an->slots[i].key) continue;
            size_t j = an->slots[i].key & (nc - 1);
            while (ns[j].key) j = (j + 1) & (nc - 1);
            ns[j] = an->slots[i];
        }
        nd_free(an->slots);
        an->slots = ns;
        an->cap = nc;
    }
    size_t i = key & (an->cap - 1);
    while (an->slots[i].key && an->slots[i].key != key) i = (i + 1) & (an->cap - 1);
    if (!an->slots[i].key) an->n++;
    an->slots[i].key = key;
    an->slots[i].id = id;
}

/* ---- writing -------------------------------------------------------------------- */

static void bind_str(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* A span as two columns (NULL, NULL when it is none). */
static void bind_span(sqlite3_stmt *st, int i, nd_span sp)
{
    if (sp.end > sp.start || sp.start) {
        sqlite3_bind_int64(st, i, sp.start);
        sqlite3_bind_int64(st, i + 1, sp.end);
    }
}

static int step_done(nd_store *s, sqlite3_stmt *st, const char *what, nd_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return nd__store_fail(s, what, err);
    return 0;
}

/* A name first taken for a person's that a later document shows to be an
 * organisation's ("port operator Halden Terminals") becomes one: "person"
 * is the guess for an unknown name, "org" comes from evidence. */
static int actor_seen_org(nd_store *s, const nd_actor *x, int64_t id, nd_error *err)
{
    if (x->kind != ND_ACTOR_ORG || x->in_dict) return 0;
    sqlite3_stmt *st = an_stmt(s, AN_A_ORG, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, id);
    return step_done(s, st, "cannot update an actor", err);
}

/* The id of actor x: cached, found, or a new row. */
static int actor_id(nd_store *s, const nd_actor *x, int64_t *id, nd_error *err)
{
    const char *name = x->name ? x->name : "";
    const char *code = x->code ? x->code : "";
    uint64_t key = actor_key(name, code);
    *id = cache_get(s->an, key);
    if (*id) return actor_seen_org(s, x, *id, err);
    sqlite3_stmt *st = an_stmt(s, AN_A_FIND, err);
    if (!st) return ND_EDB;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return nd__store_fail(s, "cannot find an actor", err);
    if (*id && (rc = actor_seen_org(s, x, *id, err))) return rc;
    if (!*id) {
        st = an_stmt(s, AN_A_ADD, err);
        if (!st) return ND_EDB;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
        bind_str(st, 3, x->country && *x->country ? x->country : NULL);
        bind_str(st, 4, nd_actor_kind_name(x->kind));
        bind_str(st, 5, x->role && *x->role ? x->role : NULL);
        sqlite3_bind_int(st, 6, x->in_dict != 0);
        rc = step_done(s, st, "cannot store an actor", err);
        if (rc) return rc;
        *id = sqlite3_last_insert_rowid(s->db);
    }
    cache_put(s->an, key, *id);
    return 0;
}

static int put_quote(nd_store *s, int64_t doc, size_t idx, const nd_quote *q, const int64_t *ids,
                     size_t n_ids, nd_buf *b, nd_error *err)
{
    sqlite3_stmt *st = an_stmt(s, AN_Q_ADD, err);
    if (!st) return ND_EDB;
    uint32_t lo = 0, hi = 0;
    nd_buf_clear(b);
    nd_buf_putc(b, '[');
    for (size_t c = 0; c < q->n_content; c++) {
        nd_buf_printf(b, "%s[%u,%u]", c ? "," : "", (unsigned) q->content[c].start,
                      (unsigned) q->content[c].end);
        if (c == 0 || q->content[c].start < lo) lo = q->content[c].start;
        if (q->content[c].end > hi) hi = q->content[c].end;
    }
    nd_buf_putc(b, ']');
    if (nd_buf_failed(b)) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_int64(st, 2, (sqlite3_int64) idx);
    if (q->speaker >= 0 && (size_t) q->speaker < n_ids) sqlite3_bind_int64(st, 3, ids[q->speaker]);
    bind_str(st, 4, q->speaker_name);
    bind_str(st, 5, nd_quote_type_name(q->type));
    sqlite3_bind_int(st, 6, q->scare != 0);
    bind_str(st, 7, q->cue_lemma);
    sqlite3_bind_int64(st, 8, lo);
    sqlite3_bind_int64(st, 9, hi);
    sqlite3_bind_text(st, 10, b->ptr, (int) b->len, SQLITE_STATIC);
    bind_span(st, 11, q->source);
    bind_span(st, 13, q->cue);
    bind_span(st, 15, q->clause);
    sqlite3_bind_int64(st, 17, q->sentence);
    sqlite3_bind_text(st, 18, q->text ? q->text : "", -1, SQLITE_STATIC);
    int rc = step_done(s, st, "cannot store a quotation", err);
    if (!rc) s->an->unindexed = 1;
    return rc;
}

/* The event across documents that e is a report of: the instance of its
 * coded dyad, CAMEO root and day, made when it is the first; an undated
 * event is an instance of its own. */
static int instance_of(nd_store *s, const nd_event *e, int64_t *id, nd_error *err)
{
    char key[160], root[3] = {e->code[0], e->code[0] ? e->code[1] : 0, 0};
    const char *src = e->source_code ? e->source_code : "";
    const char *tgt = e->target_code ? e->target_code : "";
    int keyed = e->date && *e->date;
    if (keyed) {
        snprintf(key, sizeof key, "%s|%s|%s|%s", src, tgt, root, e->date);
        sqlite3_stmt *st = an_stmt(s, AN_I_FIND, err);
        if (!st) return ND_EDB;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return nd__store_fail(s, "cannot find an event", err);
        if (*id) return 0;
    }
    sqlite3_stmt *st = an_stmt(s, AN_I_ADD, err);
    if (!st) return ND_EDB;
    if (keyed) sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, src, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, tgt, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, root, -1, SQLITE_STATIC);
    bind_str(st, 5, keyed ? e->date : NULL);
    int rc = step_done(s, st, "cannot store an event", err);
    if (!rc) *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int put_event(nd_store *s, int64_t doc, size_t idx, const nd_event *e, const int64_t *ids,
                     size_t n_ids, nd_buf *b, nd_error *err)
{
    int64_t inst = 0;
    int rc = instance_of(s, e, &inst, err);
    if (rc) return rc;
    sqlite3_stmt *st = an_stmt(s, AN_E_ADD, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_int64(st, 2, (sqlite3_int64) idx);
    if (e->source >= 0 && (size_t) e->source < n_ids) sqlite3_bind_int64(st, 3, ids[e->source]);
    if (e->target >= 0 && (size_t) e->target < n_ids) sqlite3_bind_int64(st, 4, ids[e->target]);
    sqlite3_bind_text(st, 5, e->source_code ? e->source_code : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->target_code ? e->target_code : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e->code, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 8, e->goldstein);
    sqlite3_bind_int(st, 9, e->quad);
    sqlite3_bind_int(st, 10, e->negated != 0);
    bind_str(st, 11, e->date);
    sqlite3_bind_int64(st, 12, e->sentence_index);
    sqlite3_bind_int64(st, 13, e->sentence.start);
    sqlite3_bind_int64(st, 14, e->sentence.end);
    bind_span(st, 15, e->verb);
    sqlite3_bind_int64(st, 17, e->n_mentions ? (sqlite3_int64) e->n_mentions : 1);
    if (e->n_mentions > 1) {
        /* the mentions after the first: [sentence_start, sentence_end,
         * verb_start, verb_end, sentence] each */
        nd_buf_clear(b);
        nd_buf_putc(b, '[');
        for (size_t m = 1; m < e->n_mentions; m++) {
            const nd_event_mention *x = &e->mentions[m];
            nd_buf_printf(b, "%s[%u,%u,%u,%u,%u]", m > 1 ? "," : "", x->sentence.start,
                          x->sentence.end, x->verb.start, x->verb.end, x->sentence_index);
        }
        nd_buf_putc(b, ']');
        if (nd_buf_failed(b)) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        sqlite3_bind_text(st, 18, b->ptr, (int) b->len, SQLITE_STATIC);
    }
    sqlite3_bind_int64(st, 19, inst);
    return step_done(s, st, "cannot store an event", err);
}

int nd__store_put_analysis(nd_store *s, int64_t doc, const nd_analysis *a, nd_error *err)
{
    if (!an_state(s, err)) return ND_ENOMEM;
    int64_t *ids = nd_calloc(a->n_actors + 1, sizeof *ids);
    uint32_t *counts = nd_calloc(a->n_actors + 1, sizeof *counts);
    nd_buf b = ND_BUF_INIT;
    int rc = 0;
    if (!ids || !counts) rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    for (size_t i = 0; !rc && i < a->n_actors; i++) rc = actor_id(s, &a->actors[i], &ids[i], err);
    size_t idx = 0;
    for (size_t i = 0; !rc && i < a->n_mentions; i++) {
        const nd_mention *m = &a->mentions[i];
        if (m->actor < 0 || (size_t) m->actor >= a->n_actors) continue;
        counts[m->actor]++;
        sqlite3_stmt *st = an_stmt(s, AN_M_ADD, err);
        if (!st) {
            rc = ND_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, doc);
        sqlite3_bind_int64(st, 2, (sqlite3_int64) idx++);
        sqlite3_bind_int64(st, 3, ids[m->actor]);
        sqlite3_bind_int64(st, 4, m->span.start);
        sqlite3_bind_int64(st, 5, m->span.end);
        sqlite3_bind_int64(st, 6, m->sentence);
        sqlite3_bind_int(st, 7, m->how);
        rc = step_done(s, st, "cannot store a mention", err);
    }
    for (size_t i = 0; !rc && i < a->n_actors; i++) {
        sqlite3_stmt *st = an_stmt(s, AN_DA_ADD, err);
        if (!st) {
            rc = ND_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, doc);
        sqlite3_bind_int64(st, 3, counts[i]);
        rc = step_done(s, st, "cannot store an actor of a document", err);
    }
    for (size_t i = 0; !rc && i < a->n_quotes; i++)
        rc = put_quote(s, doc, i, &a->quotes[i], ids, a->n_actors, &b, err);
    for (size_t i = 0; !rc && i < a->n_events; i++)
        rc = put_event(s, doc, i, &a->events[i], ids, a->n_actors, &b, err);
    if (!rc) {
        sqlite3_stmt *st = an_stmt(s, AN_D_ADD, err);
        if (!st) {
            rc = ND_EDB;
        } else {
            char now[32];
            nd__store_now(now);
            sqlite3_bind_int64(st, 1, doc);
            sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
            bind_str(st, 3, a->date);
            sqlite3_bind_int(st, 4, a->truncated != 0);
            rc = step_done(s, st, "cannot record an analysis", err);
        }
    }
    nd_buf_free(&b);
    nd_free(ids);
    nd_free(counts);
    return rc;
}

int nd__store_index_quotes(nd_store *s, nd_error *err)
{
    if (!s->an || !s->an->unindexed) return 0;
    static const enum an_stmt steps[] = {AN_Q_INDEX, AN_Q_MARK};
    for (size_t i = 0; i < 2; i++) {
        sqlite3_stmt *st = an_stmt(s, steps[i], err);
        if (!st) return ND_EDB;
        int rc = step_done(s, st, "cannot index quotations", err);
        if (rc) return rc;
    }
    s->an->unindexed = 0;
    return 0;
}

static int delete_analysis(nd_store *s, int64_t doc, nd_error *err)
{
    /* Indexed quotations leave the index before their rows go. */
    static const enum an_stmt dels[] = {AN_DEL_M, AN_DEL_DA, AN_Q_UNINDEX,
                                        AN_DEL_Q, AN_DEL_E,  AN_DEL_D};
    for (size_t i = 0; i < sizeof dels / sizeof *dels; i++) {
        sqlite3_stmt *st = an_stmt(s, dels[i], err);
        if (!st) return ND_EDB;
        sqlite3_bind_int64(st, 1, doc);
        int rc = step_done(s, st, "cannot delete an analysis", err);
        if (rc) return rc;
    }
    return 0;
}

int nd_store_set_analysis(nd_store *s, int64_t doc_id, const nd_analysis *a, nd_error *err)
{
    if (!a) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no analysis");
    if (s->flags & ND_STORE_READONLY)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: opened read-only", s->path);
    int own = !s->in_tx;
    int rc = nd__store_exec(s, own ? "BEGIN IMMEDIATE" : "SAVEPOINT analysis", err);
    if (rc) return rc;
    sqlite3_stmt *st = an_stmt(s, AN_HAS_DOC, err);
    if (!st) {
        rc = ND_EDB;
    } else {
        sqlite3_bind_int64(st, 1, doc_id);
        int r = sqlite3_step(st);
        sqlite3_reset(st);
        if (r == SQLITE_DONE)
            rc = nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no document %lld",
                              (long long) doc_id);
        else if (r != SQLITE_ROW)
            rc = nd__store_fail(s, "cannot find a document", err);
    }
    if (!rc) rc = delete_analysis(s, doc_id, err);
    if (!rc) rc = nd__store_put_analysis(s, doc_id, a, err);
    if (rc) {
        if (own) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        } else {
            sqlite3_exec(s->db, "ROLLBACK TO analysis", NULL, NULL, NULL);
            sqlite3_exec(s->db, "RELEASE analysis", NULL, NULL, NULL);
        }
        nd__store_analysis_rolled_back(s);
        return rc;
    }
    if (own && (rc = nd__store_index_quotes(s, err)) != 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        nd__store_analysis_rolled_back(s);
        return rc;
    }
    return nd__store_exec(s, own ? "COMMIT" : "RELEASE analysis", err);
}

/* ---- reading one document's analysis -------------------------------------------- */

static const char *col_dup(nd_arena *ar, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t) return NULL;
    return nd_arena_strndup(ar, (const char *) t, (size_t) sqlite3_column_bytes(st, i));
}

/* Two columns as a span within the text; {0,0} when NULL or out of range. */
static nd_span col_span(sqlite3_stmt *st, int i, size_t text_len)
{
    nd_span sp = {0, 0};
    if (sqlite3_column_type(st, i) == SQLITE_NULL || sqlite3_column_type(st, i + 1) == SQLITE_NULL)
        return sp;
    int64_t a = sqlite3_column_int64(st, i), b = sqlite3_column_int64(st, i + 1);
    if (a < 0 || b < a || (uint64_t) b > text_len) return sp;
    sp.start = (uint32_t) a;
    sp.end = (uint32_t) b;
    return sp;
}

static int kind_of(const char *name)
{
    for (int k = ND_ACTOR_PERSON; k <= ND_ACTOR_OTHER; k++)
        if (name && !strcmp(name, nd_actor_kind_name(k))) return k;
    return 0;
}

static int quote_type_of(const char *name)
{
    for (int t = ND_QUOTE_DIRECT; t <= ND_QUOTE_INDIRECT; t++)
        if (name && !strcmp(name, nd_quote_type_name(t))) return t;
    return ND_QUOTE_DIRECT;
}

/* "[[1,2],[3,4]]" into spans within the text; returns the count. */
static size_t parse_spans(const char *s, size_t text_len, nd_span *out, size_t cap)
{
    size_t n = 0;
    while (s && *s && n < cap) {
        const char *p = strchr(s, '[');
        if (!p) break;
        p++;
        if (*p == '[') {
            s = p;
            continue;
        }
        char *end;
        unsigned long long a = strtoull(p, &end, 10);
        if (end == p || *end != ',') break;
        p = end + 1;
        unsigned long long b = strtoull(p, &end, 10);
        if (end == p) break;
        s = end;
        if (b >= a && b <= text_len) out[n++] = (nd_span){(uint32_t) a, (uint32_t) b};
    }
    return n;
}

/* The unsigned numbers of a JSON array of arrays, in order (at most
 * cap); anything else is a separator. */
static size_t parse_uints(const char *s, uint32_t *out, size_t cap)
{
    size_t n = 0;
    while (s && *s && n < cap) {
        if (*s < '0' || *s > '9') {
            s++;
            continue;
        }
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        out[n++] = v > UINT32_MAX ? UINT32_MAX : (uint32_t) v;
        s = end;
    }
    return n;
}

typedef struct id_index {
    int64_t id;
    int32_t idx;
} id_index;

static int cmp_id_index(const void *a, const void *b)
{
    const id_index *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int32_t local_actor(const id_index *map, size_t n, int64_t id)
{
    id_index key = {id, -1};
    const id_index *hit = bsearch(&key, map, n, sizeof *map, cmp_id_index);
    return hit ? hit->idx : -1;
}

/* Rows of a statement bound to one document: fn per row. */
typedef int (*row_fn)(void *ctx, sqlite3_stmt *st);

static int each_row(nd_store *s, enum an_stmt which, int64_t doc, row_fn fn, void *ctx,
                    nd_error *err)
{
    sqlite3_stmt *st = an_stmt(s, which, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, doc);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((ret = fn(ctx, st)) != 0) break;
    sqlite3_reset(st);
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot read an analysis", err);
    return ret;
}

/* A growable arena array. */
static void *grow(nd_arena *ar, void *arr, size_t n, size_t *cap, size_t item)
{
    if (n < *cap) return arr;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = nd_arena_alloc(ar, nc * item);
    if (!p) return NULL;
    if (n) memcpy(p, arr, n * item);
    *cap = nc;
    return p;
}

typedef struct loader {
    nd_analysis *a;
    nd_arena *ar;
    size_t text_len;
    int64_t *actor_ids; /* store id of a->actors[i] */
    size_t cap_actors, cap_mentions, cap_quotes, cap_events;
    id_index *map;
    size_t n_map;
    const nd_analyze_dict *dict;
} loader;

static int row_actor(void *p, sqlite3_stmt *st)
{
    loader *L = p;
    nd_analysis *a = L->a;
    size_t cap = L->cap_actors;
    nd_actor *arr = grow(L->ar, a->actors, a->n_actors, &cap, sizeof *arr);
    int64_t *ids = grow(L->ar, L->actor_ids, a->n_actors, &L->cap_actors, sizeof *ids);
    if (!arr || !ids) return ND_ENOMEM;
    a->actors = arr;
    L->actor_ids = ids;
    nd_actor *x = &arr[a->n_actors];
    memset(x, 0, sizeof *x);
    ids[a->n_actors] = sqlite3_column_int64(st, 0);
    x->name = col_dup(L->ar, st, 1);
    x->code = col_dup(L->ar, st, 2);
    x->country = col_dup(L->ar, st, 3);
    x->role = col_dup(L->ar, st, 4);
    x->kind = kind_of((const char *) sqlite3_column_text(st, 5));
    x->in_dict = sqlite3_column_int(st, 6);
    if (!x->name) x->name = "";
    if (!x->code) x->code = "";
    a->n_actors++;
    return 0;
}

static int row_mention(void *p, sqlite3_stmt *st)
{
    loader *L = p;
    nd_analysis *a = L->a;
    int32_t who = local_actor(L->map, L->n_map, sqlite3_column_int64(st, 0));
    nd_span sp = col_span(st, 1, L->text_len);
    if (who < 0 || sp.end == 0) return 0;
    nd_mention *arr = grow(L->ar, a->mentions, a->n_mentions, &L->cap_mentions, sizeof *arr);
    if (!arr) return ND_ENOMEM;
    a->mentions = arr;
    nd_mention *m = &arr[a->n_mentions++];
    m->span = sp;
    m->actor = who;
    m->sentence = (uint32_t) sqlite3_column_int64(st, 3);
    m->how = sqlite3_column_int(st, 4);
    return 0;
}

static int row_quote(void *p, sqlite3_stmt *st)
{
    loader *L = p;
    nd_analysis *a = L->a;
    nd_quote *arr = grow(L->ar, a->quotes, a->n_quotes, &L->cap_quotes, sizeof *arr);
    if (!arr) return ND_ENOMEM;
    a->quotes = arr;
    nd_quote *q = &arr[a->n_quotes];
    memset(q, 0, sizeof *q);
    q->speaker = sqlite3_column_type(st, 0) == SQLITE_NULL
                     ? -1
                     : local_actor(L->map, L->n_map, sqlite3_column_int64(st, 0));
    q->speaker_name = col_dup(L->ar, st, 1);
    q->type = quote_type_of((const char *) sqlite3_column_text(st, 2));
    q->scare = sqlite3_column_int(st, 3);
    q->cue_lemma = col_dup(L->ar, st, 4);
    const char *content = (const char *) sqlite3_column_text(st, 5);
    nd_span tmp[64];
    size_t n = parse_spans(content, L->text_len, tmp, 64);
    q->content = nd_arena_alloc(L->ar, (n ? n : 1) * sizeof *q->content);
    if (!q->content) return ND_ENOMEM;
    memcpy(q->content, tmp, n * sizeof *tmp);
    q->n_content = n;
    q->source = col_span(st, 6, L->text_len);
    q->cue = col_span(st, 8, L->text_len);
    q->clause = col_span(st, 10, L->text_len);
    q->sentence = (uint32_t) sqlite3_column_int64(st, 12);
    q->text = col_dup(L->ar, st, 13);
    if (!q->text) q->text = "";
    a->n_quotes++;
    return 0;
}

static int row_event(void *p, sqlite3_stmt *st)
{
    loader *L = p;
    nd_analysis *a = L->a;
    nd_span sent = col_span(st, 10, L->text_len);
    if (sent.end == 0) return 0;
    nd_event *arr = grow(L->ar, a->events, a->n_events, &L->cap_events, sizeof *arr);
    if (!arr) return ND_ENOMEM;
    a->events = arr;
    nd_event *e = &arr[a->n_events];
    memset(e, 0, sizeof *e);
    e->source = sqlite3_column_type(st, 0) == SQLITE_NULL
                    ? -1
                    : local_actor(L->map, L->n_map, sqlite3_column_int64(st, 0));
    e->target = sqlite3_column_type(st, 1) == SQLITE_NULL
                    ? -1
                    : local_actor(L->map, L->n_map, sqlite3_column_int64(st, 1));
    e->source_code = col_dup(L->ar, st, 2);
    e->target_code = col_dup(L->ar, st, 3);
    const char *code = (const char *) sqlite3_column_text(st, 4);
    snprintf(e->code, sizeof e->code, "%s", code ? code : "");
    e->code_name = NULL;
    if (L->dict) nd_cameo_lookup(L->dict, e->code, &e->code_name, NULL, NULL);
    e->goldstein = sqlite3_column_double(st, 5);
    e->quad = sqlite3_column_int(st, 6);
    e->negated = sqlite3_column_int(st, 7);
    e->date = col_dup(L->ar, st, 8);
    e->sentence_index = (uint32_t) sqlite3_column_int64(st, 9);
    e->sentence = sent;
    e->verb = col_span(st, 12, L->text_len);
    /* the first mention is the row's; the others are five numbers each */
    const char *more = (const char *) sqlite3_column_text(st, 14);
    uint32_t v[5 * 63];
    size_t nv = parse_uints(more, v, sizeof v / sizeof *v) / 5;
    e->mentions = nd_arena_alloc(L->ar, (nv + 1) * sizeof *e->mentions);
    if (!e->mentions) return ND_ENOMEM;
    e->mentions[0] = (nd_event_mention){sent, e->verb, e->sentence_index};
    e->n_mentions = 1;
    for (size_t m = 0; m < nv; m++) {
        const uint32_t *x = &v[m * 5];
        if (x[1] < x[0] || x[1] > L->text_len || x[3] < x[2] || x[3] > L->text_len) continue;
        e->mentions[e->n_mentions++] =
            (nd_event_mention){{x[0], x[1]}, {x[2], x[3]}, x[4]};
    }
    a->n_events++;
    return 0;
}

static int row_doc(void *p, sqlite3_stmt *st)
{
    loader *L = p;
    L->a->date = col_dup(L->ar, st, 0);
    L->a->truncated = sqlite3_column_int(st, 1);
    L->a->text_len = L->text_len;
    return 1; /* found: stop */
}

/* Actors in the order of their first mention (as nd_analyze gives them). */
static void order_actors(loader *L)
{
    nd_analysis *a = L->a;
    size_t n = a->n_actors;
    if (!n) return;
    uint32_t *first = nd_arena_alloc(L->ar, n * sizeof *first);
    uint32_t *count = nd_arena_calloc(L->ar, n, sizeof *count);
    id_index *order = nd_arena_alloc(L->ar, n * sizeof *order);
    nd_actor *sorted = nd_arena_alloc(L->ar, n * sizeof *sorted);
    int32_t *remap = nd_arena_alloc(L->ar, n * sizeof *remap);
    if (!first || !count || !order || !sorted || !remap) return;
    for (size_t i = 0; i < n; i++) first[i] = UINT32_MAX;
    for (size_t m = 0; m < a->n_mentions; m++) {
        int32_t x = a->mentions[m].actor;
        if (first[x] == UINT32_MAX) first[x] = (uint32_t) m;
        count[x]++;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (id_index){(int64_t) first[i] * 65536 + (int64_t) i, (int32_t) i};
    qsort(order, n, sizeof *order, cmp_id_index);
    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t) order[k].idx;
        sorted[k] = a->actors[i];
        sorted[k].first_mention = first[i] == UINT32_MAX ? (uint32_t) a->n_mentions : first[i];
        sorted[k].n_mentions = count[i];
        remap[i] = (int32_t) k;
    }
    a->actors = sorted;
    for (size_t m = 0; m < a->n_mentions; m++) a->mentions[m].actor = remap[a->mentions[m].actor];
    for (size_t q = 0; q < a->n_quotes; q++)
        if (a->quotes[q].speaker >= 0) a->quotes[q].speaker = remap[a->quotes[q].speaker];
    for (size_t e = 0; e < a->n_events; e++) {
        if (a->events[e].source >= 0) a->events[e].source = remap[a->events[e].source];
        if (a->events[e].target >= 0) a->events[e].target = remap[a->events[e].target];
    }
}

int nd_store_load_analysis(nd_store *s, nd_store_doc *d, nd_error *err)
{
    d->analysis = NULL;
    nd_analysis *a = nd_arena_calloc(d->arena, 1, sizeof *a);
    if (!a) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    loader L;
    memset(&L, 0, sizeof L);
    L.a = a;
    L.ar = d->arena;
    L.text_len = d->text_len;
    L.dict = nd_analyze_dict_default(NULL);
    int rc = each_row(s, AN_G_D, d->id, row_doc, &L, err);
    if (rc < 0) return rc;
    if (rc == 0) return 0; /* never analysed */
    rc = each_row(s, AN_G_A, d->id, row_actor, &L, err);
    if (!rc) {
        L.map = nd_arena_alloc(L.ar, (a->n_actors + 1) * sizeof *L.map);
        if (!L.map) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        for (size_t i = 0; i < a->n_actors; i++) L.map[i] = (id_index){L.actor_ids[i], (int32_t) i};
        L.n_map = a->n_actors;
        qsort(L.map, L.n_map, sizeof *L.map, cmp_id_index);
    }
    if (!rc) rc = each_row(s, AN_G_M, d->id, row_mention, &L, err);
    if (!rc) rc = each_row(s, AN_G_Q, d->id, row_quote, &L, err);
    if (!rc) rc = each_row(s, AN_G_E, d->id, row_event, &L, err);
    if (rc == ND_ENOMEM) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (rc) return rc;
    order_actors(&L);
    d->analysis = a;
    return 0;
}

int nd_store_analysis_todo(nd_store *s, int64_t after, int all, int64_t *ids, size_t cap, size_t *n,
                           nd_error *err)
{
    *n = 0;
    sqlite3_stmt *st;
    const char *sql = all ? "SELECT id FROM documents WHERE id > ?1 ORDER BY id LIMIT ?2"
                          : "SELECT id FROM documents d WHERE id > ?1 AND NOT EXISTS"
                            " (SELECT 1 FROM doc_analysis x WHERE x.doc_id = d.id)"
                            " ORDER BY id LIMIT ?2";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list documents", err);
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, (sqlite3_int64) cap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return nd__store_fail(s, "cannot list documents", err);
    return 0;
}

static int count1(nd_store *s, const char *sql, uint64_t *out, nd_error *err)
{
    sqlite3_stmt *st;
    *out = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot count", err);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = (uint64_t) sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return nd__store_fail(s, "cannot count", err);
    return 0;
}

int nd_store_analysis_count(nd_store *s, uint64_t *documents, uint64_t *analysed, nd_error *err)
{
    int rc = count1(s, "SELECT count(*) FROM documents", documents, err);
    if (!rc) rc = count1(s, "SELECT count(*) FROM doc_analysis", analysed, err);
    return rc;
}

/* ---- who a name means ------------------------------------------------------------- */

typedef struct sel {
    char prefix[24]; /* a code prefix, or "" */
    int64_t *ids;    /* else these actors */
    size_t n;
} sel;

#define SEL_MAX_IDS 2000

static void sel_free(sel *x)
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

/* The upper bound of a code prefix: the prefix with its last byte raised. */
static void prefix_hi(const char *p, char *hi, size_t cap)
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

static int sel_add(sel *x, int64_t id)
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

static int resolve(nd_store *s, const char *name, int country_as_code, sel *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    nd_slice t = nd_slice_trim(nd_slice_c(name));
    if (!t.len || t.len > 200) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no actor name");
    char nm[256];
    snprintf(nm, sizeof nm, "%.*s", (int) t.len, t.ptr);
    if (looks_code(nm)) {
        char hi[32];
        prefix_hi(nm, hi, sizeof hi);
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
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, kind, code FROM actors WHERE name = ?1 COLLATE NOCASE", -1,
                           &st, NULL) != SQLITE_OK)
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

    /* Whole words of a longer name: "Putin", "Xi", "foreign minister". */
    nd_buf like = ND_BUF_INIT;
    nd_buf_putc(&like, '%');
    for (const char *p = nm; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') nd_buf_putc(&like, '\\');
        nd_buf_putc(&like, *p);
    }
    nd_buf_putc(&like, '%');
    if (nd_buf_failed(&like)) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (sqlite3_prepare_v2(s->db, "SELECT id, name FROM actors WHERE name LIKE ?1 ESCAPE '\\'", -1,
                           &st, NULL) != SQLITE_OK) {
        nd_buf_free(&like);
        return nd__store_fail(s, "cannot find an actor", err);
    }
    sqlite3_bind_text(st, 1, like.ptr, (int) like.len, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !ret) {
        const char *n = (const char *) sqlite3_column_text(st, 1);
        if (n && has_words(n, nm)) ret = sel_add(out, sqlite3_column_int64(st, 0));
    }
    sqlite3_finalize(st);
    nd_buf_free(&like);
    if (ret) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return nd__store_fail(s, "cannot find an actor", err);
    if (!out->n)
        return nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no actor '%s' in the store", nm);
    return 0;
}

/* "IN (...)" for an actor id column. */
static void sel_in(nd_buf *b, const sel *x)
{
    if (x->prefix[0]) {
        char hi[32];
        prefix_hi(x->prefix, hi, sizeof hi);
        nd_buf_printf(b, "IN (SELECT id FROM actors WHERE code >= '%s' AND code < '%s')", x->prefix,
                      hi);
        return;
    }
    nd_buf_puts(b, "IN (");
    for (size_t i = 0; i < x->n; i++)
        nd_buf_printf(b, "%s%lld", i ? "," : "", (long long) x->ids[i]);
    nd_buf_puts(b, ")");
}

/* A condition on an event's side: its code (prefix) or its actor id. */
static void sel_side(nd_buf *b, const sel *x, const char *code_col, const char *id_col)
{
    if (x->prefix[0]) {
        char hi[32];
        prefix_hi(x->prefix, hi, sizeof hi);
        nd_buf_printf(b, "(%s >= '%s' AND %s < '%s')", code_col, x->prefix, code_col, hi);
        return;
    }
    nd_buf_printf(b, "%s ", id_col);
    sel_in(b, x);
}

/* ---- periods ---------------------------------------------------------------------- */

enum { BY_DAY, BY_WEEK, BY_MONTH, BY_YEAR };

static int parse_by(const char *by, int *out, nd_error *err)
{
    if (!by || !strcmp(by, "month"))
        *out = BY_MONTH;
    else if (!strcmp(by, "day"))
        *out = BY_DAY;
    else if (!strcmp(by, "week"))
        *out = BY_WEEK;
    else if (!strcmp(by, "year"))
        *out = BY_YEAR;
    else
        return nd_error_set(err, ND_EINVAL, (size_t) -1,
                            "unknown period '%s' (day, week, month, year)", by);
    return 0;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The period a date ("YYYY-MM-DD...") falls in; "undated" when it has none. */
static void period_of(const char *date, int by, char out[32])
{
    int y, m, d;
    if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
        d > 31) {
        snprintf(out, 32, "undated");
        return;
    }
    switch (by) {
    case BY_DAY: snprintf(out, 32, "%04d-%02d-%02d", y, m, d); break;
    case BY_MONTH: snprintf(out, 32, "%04d-%02d", y, m); break;
    case BY_YEAR: snprintf(out, 32, "%04d", y); break;
    default: {
        /* ISO 8601 week: the week (Monday first) holding the Thursday. */
        long days = days_from_civil(y, m, d);
        int wday = (int) (((days % 7) + 7 + 3) % 7); /* 0 = Monday; 1970-01-01 was a Thursday */
        long thursday = days - wday + 3;
        int wy = y;
        if (thursday < days_from_civil(y, 1, 1))
            wy = y - 1;
        else if (thursday >= days_from_civil(y + 1, 1, 1))
            wy = y + 1;
        long week = (thursday - days_from_civil(wy, 1, 1)) / 7 + 1;
        snprintf(out, 32, "%04d-W%02ld", wy, week);
    }
    }
}

/* A --since bound as stored dates compare: a whole day when no time was
 * given.  Returns 0 or ND_EPARSE. */
static int since_bound(const char *since, char out[32], nd_error *err)
{
    out[0] = 0;
    if (!since) return 0;
    if (nd__store_parse_time(since, out) != 0)
        return nd_error_set(err, ND_EPARSE, (size_t) -1, "cannot read the date '%s'", since);
    if (strlen(out) == 20 && strcmp(out + 10, "T00:00:00Z") == 0) out[10] = 0;
    return 0;
}

/* ---- queries ------------------------------------------------------------------------ */

/* Only the latest version of each page, as search shows them. */
#define LATEST                                                                                     \
    " NOT EXISTS (SELECT 1 FROM documents v WHERE v.ident = d.ident AND v.version > d.version)"

static int prepare(nd_store *s, nd_buf *sql, sqlite3_stmt **st, const char *what, nd_error *err)
{
    if (nd_buf_failed(sql)) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    int rc = sqlite3_prepare_v2(s->db, sql->ptr, (int) sql->len, st, NULL);
    if (rc != SQLITE_OK) return nd__store_fail(s, what, err);
    return 0;
}

static const char *ctext(sqlite3_stmt *st, int i)
{
    return (const char *) sqlite3_column_text(st, i);
}

static void fill_actor(sqlite3_stmt *st, nd_store_actor *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->name = ctext(st, 1);
    a->code = ctext(st, 2);
    a->country = ctext(st, 3);
    a->role = ctext(st, 4);
    a->kind = ctext(st, 5);
    a->in_dict = sqlite3_column_int(st, 6);
    if (!a->code) a->code = "";
}

#define ACTOR_COLS "a.id, a.name, a.code, a.country, a.role, a.kind, a.in_dict"

int nd_store_actors(nd_store *s, int limit, int (*fn)(void *ctx, const nd_store_actor *a),
                    void *ctx, nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " ACTOR_COLS ", t.n, t.m FROM (SELECT actor_id, count(*) AS n,"
                           " sum(mentions) AS m FROM doc_actors GROUP BY actor_id"
                           " ORDER BY n DESC, m DESC LIMIT ?1) t JOIN actors a ON a.id = t.actor_id"
                           " ORDER BY t.n DESC, t.m DESC, a.name",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list actors", err);
    sqlite3_bind_int(st, 1, limit > 0 ? limit : 20);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_actor a;
        fill_actor(st, &a);
        a.documents = (uint64_t) sqlite3_column_int64(st, 7);
        a.mentions = (uint64_t) sqlite3_column_int64(st, 8);
        if ((ret = fn(ctx, &a)) != 0) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot list actors", err);
    sqlite3_finalize(st);
    return ret;
}

int nd_store_find_actors(nd_store *s, const char *name,
                         int (*fn)(void *ctx, const nd_store_actor *a), void *ctx, nd_error *err)
{
    sel x;
    int rc = resolve(s, name, 0, &x, err);
    if (rc) return rc;
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT " ACTOR_COLS ","
                      " (SELECT count(*) FROM doc_actors x WHERE x.actor_id = a.id),"
                      " (SELECT coalesce(sum(mentions), 0) FROM doc_actors x"
                      " WHERE x.actor_id = a.id),"
                      " (SELECT count(*) FROM quotes q WHERE q.speaker_id = a.id),"
                      " (SELECT min(coalesce(d.published, d.fetched)) FROM doc_actors x"
                      " JOIN documents d ON d.id = x.doc_id WHERE x.actor_id = a.id),"
                      " (SELECT max(coalesce(d.published, d.fetched)) FROM doc_actors x"
                      " JOIN documents d ON d.id = x.doc_id WHERE x.actor_id = a.id)"
                      " FROM actors a WHERE a.id ");
    sel_in(&sql, &x);
    nd_buf_puts(&sql, " ORDER BY 8 DESC, 9 DESC, a.name LIMIT 100");
    sel_free(&x);
    sqlite3_stmt *st;
    rc = prepare(s, &sql, &st, "cannot find actors", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    int ret = 0, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_actor a;
        fill_actor(st, &a);
        a.documents = (uint64_t) sqlite3_column_int64(st, 7);
        a.mentions = (uint64_t) sqlite3_column_int64(st, 8);
        a.quotes = (uint64_t) sqlite3_column_int64(st, 9);
        a.first = ctext(st, 10);
        a.last = ctext(st, 11);
        n++;
        if ((ret = fn(ctx, &a)) != 0) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot find actors", err);
    sqlite3_finalize(st);
    if (!ret && !n)
        ret = nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "no actor '%s' in the store", name);
    return ret;
}

int nd_store_actor_peers(nd_store *s, const char *name, int limit,
                         int (*fn)(void *ctx, const nd_store_actor *a), void *ctx, nd_error *err)
{
    sel x;
    int rc = resolve(s, name, 0, &x, err);
    if (rc) return rc;
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "WITH docs AS (SELECT DISTINCT doc_id FROM doc_actors WHERE actor_id ");
    sel_in(&sql, &x);
    nd_buf_puts(&sql, ") SELECT " ACTOR_COLS ", count(*), sum(y.mentions) FROM docs"
                      " JOIN doc_actors y ON y.doc_id = docs.doc_id"
                      " JOIN actors a ON a.id = y.actor_id WHERE y.actor_id NOT ");
    sel_in(&sql, &x);
    nd_buf_puts(&sql, " GROUP BY y.actor_id ORDER BY 8 DESC, 9 DESC, a.name LIMIT ?1");
    sel_free(&x);
    sqlite3_stmt *st;
    rc = prepare(s, &sql, &st, "cannot find co-occurring actors", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, limit > 0 ? limit : 20);
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_actor a;
        fill_actor(st, &a);
        a.documents = (uint64_t) sqlite3_column_int64(st, 7);
        a.mentions = (uint64_t) sqlite3_column_int64(st, 8);
        if ((ret = fn(ctx, &a)) != 0) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot find co-occurring actors", err);
    sqlite3_finalize(st);
    return ret;
}

/* Streaming aggregation: rows come in date order, so periods do too. */
typedef struct agg {
    int by;
    nd_store_period cur;
    char key[32];
    double gsum;
    int open;
    int (*fn)(void *ctx, const nd_store_period *p);
    void *ctx;
} agg;

static int agg_flush(agg *g)
{
    if (!g->open) return 0;
    g->open = 0;
    g->cur.period = g->key;
    g->cur.goldstein = g->cur.events ? g->gsum / (double) g->cur.events : 0;
    return g->fn(g->ctx, &g->cur);
}

/* Move to the period of date; flushes the previous one. */
static int agg_at(agg *g, const char *date)
{
    char key[32];
    period_of(date, g->by, key);
    if (g->open && !strcmp(key, g->key)) return 0;
    int ret = agg_flush(g);
    if (ret) return ret;
    memset(&g->cur, 0, sizeof g->cur);
    g->gsum = 0;
    memcpy(g->key, key, sizeof key);
    g->open = 1;
    return 0;
}

int nd_store_actor_timeline(nd_store *s, const char *name, const char *by,
                            int (*fn)(void *ctx, const nd_store_period *p), void *ctx,
                            nd_error *err)
{
    agg g;
    memset(&g, 0, sizeof g);
    g.fn = fn;
    g.ctx = ctx;
    int rc = parse_by(by, &g.by, err);
    if (rc) return rc;
    sel x;
    rc = resolve(s, name, 0, &x, err);
    if (rc) return rc;
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT substr(coalesce(d.published, d.fetched), 1, 10) AS dd,"
                      " sum(da.mentions) FROM doc_actors da JOIN documents d ON d.id = da.doc_id"
                      " WHERE da.actor_id ");
    sel_in(&sql, &x);
    nd_buf_puts(&sql, " GROUP BY da.doc_id ORDER BY dd IS NULL, dd");
    sel_free(&x);
    sqlite3_stmt *st;
    rc = prepare(s, &sql, &st, "cannot count mentions", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((ret = agg_at(&g, ctext(st, 0))) != 0) break;
        g.cur.documents++;
        g.cur.mentions += (uint64_t) sqlite3_column_int64(st, 1);
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot count mentions", err);
    sqlite3_finalize(st);
    if (!ret) ret = agg_flush(&g);
    return ret;
}

int nd_store_quotes(nd_store *s, const nd_store_quote_query *q,
                    int (*fn)(void *ctx, const nd_store_quote *x), void *ctx, nd_error *err)
{
    char since[32];
    int rc = since_bound(q->since, since, err);
    if (rc) return rc;
    sel x;
    memset(&x, 0, sizeof x);
    if (q->by && (rc = resolve(s, q->by, !q->by_actor, &x, err)) != 0) return rc;
    int about = q->about && nd_slice_trim(nd_slice_c(q->about)).len > 0;
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT q.id, q.doc_id, d.ext_id, d.title, d.url, d.site, d.source,"
                      " coalesce(d.published, d.fetched) AS dd, q.speaker, a.code, q.speaker_id,"
                      " q.type, q.scare, q.text, q.cue_lemma, q.start_off, q.end_off,"
                      " q.source_start, q.source_end, q.cue_start, q.cue_end"
                      " FROM quotes q JOIN documents d ON d.id = q.doc_id"
                      " LEFT JOIN actors a ON a.id = q.speaker_id WHERE" LATEST);
    if (!q->with_scare) nd_buf_puts(&sql, " AND q.scare = 0 AND q.speaker IS NOT NULL");
    if (q->by) {
        nd_buf_puts(&sql, " AND q.speaker_id ");
        sel_in(&sql, &x);
    }
    if (about)
        nd_buf_puts(&sql, " AND q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?1)");
    if (since[0]) nd_buf_puts(&sql, " AND dd >= ?2");
    nd_buf_puts(&sql, " ORDER BY dd IS NULL, dd DESC, q.doc_id DESC, q.idx LIMIT ?3");
    sel_free(&x);
    sqlite3_stmt *st;
    rc = prepare(s, &sql, &st, "cannot list quotations", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    if (about) sqlite3_bind_text(st, 1, q->about, -1, SQLITE_STATIC);
    if (since[0]) sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, q->limit < 0 ? -1 : q->limit ? q->limit : 20);
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_quote r;
        memset(&r, 0, sizeof r);
        r.id = sqlite3_column_int64(st, 0);
        r.doc_id = sqlite3_column_int64(st, 1);
        r.ext_id = ctext(st, 2);
        r.title = ctext(st, 3);
        r.url = ctext(st, 4);
        r.site = ctext(st, 5);
        r.source = ctext(st, 6);
        r.date = ctext(st, 7);
        r.speaker = ctext(st, 8);
        r.speaker_code = ctext(st, 9);
        r.speaker_id = sqlite3_column_int64(st, 10);
        r.type = ctext(st, 11);
        r.scare = sqlite3_column_int(st, 12);
        r.text = ctext(st, 13);
        r.cue_lemma = ctext(st, 14);
        r.span = col_span(st, 15, UINT32_MAX);
        r.source_span = col_span(st, 17, UINT32_MAX);
        r.cue_span = col_span(st, 19, UINT32_MAX);
        if (!r.text) r.text = "";
        if ((ret = fn(ctx, &r)) != 0) break;
    }
    if (!ret && rc != SQLITE_DONE) {
        if (about && sqlite3_errcode(s->db) == SQLITE_ERROR) {
            const char *m = sqlite3_errmsg(s->db);
            if (!strncmp(m, "fts5: ", 6)) m += 6;
            ret = nd_error_set(err, ND_EPARSE, (size_t) -1, "bad --about query: %s", m);
        } else {
            ret = nd__store_fail(s, "cannot list quotations", err);
        }
    }
    sqlite3_finalize(st);
    return ret;
}

/* The events of q as one statement. */
static int events_stmt(nd_store *s, const nd_store_event_query *q, sqlite3_stmt **out,
                       nd_error *err)
{
    char since[32];
    int rc = since_bound(q->since, since, err);
    if (rc) return rc;
    sel A, B;
    memset(&A, 0, sizeof A);
    memset(&B, 0, sizeof B);
    if (q->a && (rc = resolve(s, q->a, 1, &A, err)) != 0) return rc;
    if (q->b && (rc = resolve(s, q->b, 1, &B, err)) != 0) {
        sel_free(&A);
        return rc;
    }
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT e.id, e.doc_id, d.ext_id, d.title, d.url, d.site, d.source, d.added,"
                      " coalesce(e.date, substr(coalesce(d.published, d.fetched), 1, 10)) AS ed,"
                      " e.source_code, e.target_code, sa.name, ta.name, sa.country, ta.country,"
                      " e.code, e.goldstein, e.quad, e.negated,"
                      " e.sentence_start < coalesce((SELECT p.end_off FROM paragraphs p"
                      " WHERE p.doc_id = e.doc_id AND p.idx = 0), 0),"
                      " e.sentence_start, e.sentence_end, e.verb_start, e.verb_end");
    if (q->with_sentence)
        nd_buf_puts(&sql, ", CAST(substr(CAST(d.text AS BLOB), e.sentence_start + 1,"
                          " e.sentence_end - e.sentence_start) AS TEXT)");
    nd_buf_puts(&sql, " FROM events e JOIN documents d ON d.id = e.doc_id"
                      " LEFT JOIN actors sa ON sa.id = e.source_id"
                      " LEFT JOIN actors ta ON ta.id = e.target_id WHERE" LATEST);
    if (q->a && q->b) {
        nd_buf_puts(&sql, " AND ((");
        sel_side(&sql, &A, "e.source_code", "e.source_id");
        nd_buf_puts(&sql, " AND ");
        sel_side(&sql, &B, "e.target_code", "e.target_id");
        nd_buf_puts(&sql, ") OR (");
        sel_side(&sql, &B, "e.source_code", "e.source_id");
        nd_buf_puts(&sql, " AND ");
        sel_side(&sql, &A, "e.target_code", "e.target_id");
        nd_buf_puts(&sql, "))");
    } else if (q->a || q->b) {
        const sel *one = q->a ? &A : &B;
        nd_buf_puts(&sql, " AND (");
        sel_side(&sql, one, "e.source_code", "e.source_id");
        nd_buf_puts(&sql, " OR ");
        sel_side(&sql, one, "e.target_code", "e.target_id");
        nd_buf_puts(&sql, ")");
    }
    if (since[0]) nd_buf_puts(&sql, " AND ed >= ?1");
    nd_buf_puts(&sql, q->newest_first ? " ORDER BY ed IS NULL, ed DESC, e.doc_id DESC, e.idx"
                                      : " ORDER BY ed IS NULL, ed, e.doc_id, e.idx");
    if (q->limit > 0) nd_buf_printf(&sql, " LIMIT %d", q->limit);
    sel_free(&A);
    sel_free(&B);
    rc = prepare(s, &sql, out, "cannot list events", err);
    nd_buf_free(&sql);
    if (rc) return rc;
    if (since[0]) sqlite3_bind_text(*out, 1, since, -1, SQLITE_TRANSIENT);
    return 0;
}

int nd_store_events(nd_store *s, const nd_store_event_query *q,
                    int (*fn)(void *ctx, const nd_store_event *e), void *ctx, nd_error *err)
{
    sqlite3_stmt *st;
    int rc = events_stmt(s, q, &st, err);
    if (rc) return rc;
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_store_event e;
        memset(&e, 0, sizeof e);
        e.id = sqlite3_column_int64(st, 0);
        e.doc_id = sqlite3_column_int64(st, 1);
        e.ext_id = ctext(st, 2);
        e.title = ctext(st, 3);
        e.url = ctext(st, 4);
        e.site = ctext(st, 5);
        e.source = ctext(st, 6);
        e.added = ctext(st, 7);
        e.date = ctext(st, 8);
        e.source_code = ctext(st, 9);
        e.target_code = ctext(st, 10);
        e.source_name = ctext(st, 11);
        e.target_name = ctext(st, 12);
        e.source_country = ctext(st, 13);
        e.target_country = ctext(st, 14);
        e.code = ctext(st, 15);
        e.goldstein = sqlite3_column_double(st, 16);
        e.quad = sqlite3_column_int(st, 17);
        e.negated = sqlite3_column_int(st, 18);
        e.lead = sqlite3_column_int(st, 19);
        e.sentence = col_span(st, 20, UINT32_MAX);
        e.verb = col_span(st, 22, UINT32_MAX);
        if (q->with_sentence) e.sentence_text = ctext(st, 24);
        if (!e.source_code) e.source_code = "";
        if (!e.target_code) e.target_code = "";
        if (!e.code) e.code = "";
        if ((ret = fn(ctx, &e)) != 0) break;
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot list events", err);
    sqlite3_finalize(st);
    return ret;
}

int nd_store_relations(nd_store *s, const nd_store_event_query *q, const char *by,
                       int (*fn)(void *ctx, const nd_store_period *p), void *ctx, nd_error *err)
{
    agg g;
    memset(&g, 0, sizeof g);
    g.fn = fn;
    g.ctx = ctx;
    int rc = parse_by(by, &g.by, err);
    if (rc) return rc;
    nd_store_event_query all = *q;
    all.limit = 0;
    all.with_sentence = 0;
    all.newest_first = 0;
    sqlite3_stmt *st;
    rc = events_stmt(s, &all, &st, err);
    if (rc) return rc;
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((ret = agg_at(&g, ctext(st, 8))) != 0) break;
        int quad = sqlite3_column_int(st, 17);
        g.cur.events++;
        if (quad >= 1 && quad <= 4) g.cur.quad[quad]++;
        g.gsum += sqlite3_column_double(st, 16);
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot count events", err);
    sqlite3_finalize(st);
    if (!ret) ret = agg_flush(&g);
    return ret;
}
