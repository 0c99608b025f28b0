/* analysis.c - the analysis in the store (schema step 4): actors, their
 * mentions, quotations and events of each document, written with the
 * document (nd_store_add_page) or later (nd_store_set_analysis), read back
 * as an nd_analysis (nd_store_load_analysis), with the totals the query
 * layer reads (src/query/: `newsdesk quotes`, `actors`, `actor`,
 * `relations`, `events`) kept as analyses come and go.
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
    /* on actors_name (name COLLATE NOCASE, name, code): step 13 */                                \
    X(A_FIND, "SELECT id FROM actors WHERE name = ?1 COLLATE NOCASE AND name = ?1 AND code = ?2")  \
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
             " clause_start, clause_end, sentence, text, date, latest)"                            \
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"     \
             " ?17, ?18, ?19, ?20)")                                                               \
    X(E_ADD, "INSERT INTO events(doc_id, idx, source_id, target_id, source_code, target_code,"     \
             " code, goldstein, quad, negated, date, sentence, sentence_start, sentence_end,"      \
             " verb_start, verb_end, day, latest, n_mentions, mentions, instance_id)"              \
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"     \
             " ?17, ?18, ?19, ?20, ?21)")                                                          \
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
           " mentions FROM events WHERE doc_id = ?1 ORDER BY idx")                                 \
    /* The totals of schema step 5 (see "aggregates" below). */                                    \
    X(DOC_INFO, "SELECT coalesce(d.published, d.fetched), NOT EXISTS (SELECT 1 FROM documents v"   \
                " WHERE v.ident = d.ident AND v.version > d.version) FROM documents d"             \
                " WHERE d.id = ?1")                                                                \
    X(N_NEW, "SELECT id, name FROM actors WHERE id >= ?1 ORDER BY id")                             \
    X(N_ADD, "INSERT INTO actor_names(rowid, words) VALUES (?1, ?2)")                              \
    X(AS_ADD, "INSERT INTO actor_stats(actor_id, documents, mentions, first, last)"                \
              " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (actor_id) DO UPDATE SET"                  \
              " documents = documents + excluded.documents,"                                       \
              " mentions = mentions + excluded.mentions,"                                          \
              " first = CASE WHEN first IS NULL OR excluded.first < first THEN excluded.first"     \
              " ELSE first END,"                                                                   \
              " last = CASE WHEN last IS NULL OR excluded.last > last THEN excluded.last"          \
              " ELSE last END")                                                                    \
    X(AS_SUM, "INSERT INTO actor_stats(actor_id, documents, mentions, quotes, first, last)"        \
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (actor_id) DO UPDATE SET"              \
              " documents = documents + excluded.documents,"                                       \
              " mentions = mentions + excluded.mentions,"                                          \
              " quotes = quotes + excluded.quotes,"                                                \
              " first = CASE WHEN first IS NULL OR excluded.first < first THEN excluded.first"     \
              " ELSE first END,"                                                                   \
              " last = CASE WHEN last IS NULL OR excluded.last > last THEN excluded.last"          \
              " ELSE last END")                                                                    \
    X(AS_QUOTES, "INSERT INTO actor_stats(actor_id, quotes) VALUES (?1, ?2)"                       \
                 " ON CONFLICT (actor_id) DO UPDATE SET quotes = quotes + excluded.quotes")        \
    X(AS_BOUNDS, "UPDATE actor_stats SET"                                                          \
                 " first = (SELECT min(coalesce(d.published, d.fetched)) FROM doc_actors x"        \
                 " JOIN documents d ON d.id = x.doc_id WHERE x.actor_id = ?1 AND x.doc_id != ?2)," \
                 " last = (SELECT max(coalesce(d.published, d.fetched)) FROM doc_actors x"         \
                 " JOIN documents d ON d.id = x.doc_id WHERE x.actor_id = ?1 AND x.doc_id != ?2)"  \
                 " WHERE actor_id = ?1 AND (first = ?3 OR last = ?3)")                             \
    X(AS_GC, "DELETE FROM actor_stats WHERE actor_id = ?1 AND documents <= 0 AND quotes <= 0")     \
    X(AD_ADD, "INSERT INTO actor_days(actor_id, day, documents, mentions) VALUES (?1, ?2, ?3, ?4)" \
              " ON CONFLICT (actor_id, day) DO UPDATE SET"                                         \
              " documents = documents + excluded.documents,"                                       \
              " mentions = mentions + excluded.mentions")                                          \
    X(AD_GC, "DELETE FROM actor_days WHERE actor_id = ?1 AND day = ?2 AND documents <= 0")         \
    X(CD_ADD, "INSERT INTO code_days(prefix, day, documents, mentions) VALUES (?1, ?2, ?3, ?4)"    \
              " ON CONFLICT (prefix, day) DO UPDATE SET"                                           \
              " documents = documents + excluded.documents,"                                       \
              " mentions = mentions + excluded.mentions")                                          \
    X(CD_GC, "DELETE FROM code_days WHERE prefix = ?1 AND day = ?2 AND documents <= 0")            \
    X(G_DA, "SELECT da.actor_id, da.mentions, a.code FROM doc_actors da"                           \
            " JOIN actors a ON a.id = da.actor_id WHERE da.doc_id = ?1")                           \
    X(G_QS, "SELECT speaker_id, count(*) FROM quotes WHERE doc_id = ?1"                            \
            " AND speaker_id IS NOT NULL GROUP BY speaker_id")

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

/* A total of the open transaction not written yet (see "aggregates"):
 * what the documents added to one row of actor_stats (kind AS: actor id),
 * actor_days (AD: actor id, day) or code_days (CD: prefix, day). */
enum { AGG_AS = 1, AGG_AD, AGG_CD };
typedef struct agg {
    uint64_t hash; /* of the key; 0: an empty slot */
    int kind;
    int64_t id;
    char prefix[32], day[16];
    int64_t docs, mentions, quotes;
    int has_first, has_last; /* AS: the least and greatest dates added */
    char first[32], last[32];
} agg;

/* An entry as it was before the open savepoint changed it (undone by a
 * rollback to it); fresh: it was not there (its key is in was). */
typedef struct agg_undo {
    agg was;
    int fresh;
} agg_undo;

struct nd__store_an {
    sqlite3_stmt *stmt[AN_COUNT_];
    id_slot *slots;
    size_t cap, n;
    int unindexed;      /* quotations added in the open transaction, not yet in quotes_fts */
    int64_t names_from; /* the first actor the transaction added (0: none): its words and
                           those of the later ones are not in actor_names yet */
    agg *aggs;          /* the transaction's totals, in the order they came */
    size_t agg_n, agg_cap;
    uint32_t *agg_ix; /* entry index + 1 by key hash, open addressing (0: empty) */
    size_t ix_cap;
    agg_undo *undo; /* what the open savepoint changed of them */
    size_t undo_n, undo_cap;
};

static agg *agg_find(struct nd__store_an *an, const agg *k);

/* The whole transaction rolled back: its totals with it. */
static void aggs_forget(struct nd__store_an *an)
{
    if (an->agg_n) memset(an->agg_ix, 0, an->ix_cap * sizeof *an->agg_ix);
    an->agg_n = 0;
    an->undo_n = 0;
}

static void on_rollback(void *p)
{
    nd_store *s = p;
    if (s && s->an) {
        aggs_forget(s->an);
        s->an->names_from = 0;
    }
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
    nd_free(s->an->aggs);
    nd_free(s->an->agg_ix);
    nd_free(s->an->undo);
    nd_free(s->an);
    s->an = NULL;
    sqlite3_rollback_hook(s->db, NULL, NULL);
}

void nd__store_analysis_mark(nd_store *s)
{
    if (s && s->an) s->an->undo_n = 0;
}

void nd__store_analysis_rolled_back(nd_store *s)
{
    if (!s || !s->an) return;
    /* The totals the savepoint added, taken back (newest first); an
     * entry it made stays, empty (a flush skips it). */
    struct nd__store_an *an = s->an;
    while (an->undo_n) {
        agg_undo *u = &an->undo[--an->undo_n];
        agg *a = agg_find(an, &u->was);
        if (!a) continue;
        if (u->fresh) {
            a->docs = a->mentions = a->quotes = 0;
            a->has_first = a->has_last = 0;
        } else {
            *a = u->was;
        }
    }
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

/* The words of an actor's name as actor_names holds them (schema step
 * 13; who a name means: "Putin"): runs of ASCII letters and digits, lower
 * case, each cut to its first 127 bytes (any other byte, a non-ASCII one
 * included, ends a word), joined by spaces, into b (cleared first); the
 * table's `ascii` tokenizer cuts them back into the same words. */
static void name_words(const char *name, nd_buf *b)
{
    nd_buf_clear(b);
    size_t k = 0;
    for (const char *p = name;; p++) {
        if (*p && isalnum((unsigned char) *p)) {
            if (k + 1 < 128) {
                if (!k && b->len) nd_buf_putc(b, ' ');
                nd_buf_putc(b, (char) tolower((unsigned char) *p));
                k++;
            }
            continue;
        }
        k = 0;
        if (!*p) return;
    }
}

/* The words of the actors the open transaction added, into actor_names:
 * once, just before the commit, outside any page's savepoint (FTS5 writes
 * its pending terms as a segment at every savepoint), so that a run's
 * words are a new segment and not a random index page each. */
static int index_names(nd_store *s, nd_error *err)
{
    struct nd__store_an *an = s->an;
    if (!an->names_from) return 0;
    sqlite3_stmt *get = an_stmt(s, AN_N_NEW, err);
    if (!get) return ND_EDB;
    sqlite3_bind_int64(get, 1, an->names_from);
    nd_buf b = ND_BUF_INIT;
    int rc = 0, r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(get)) == SQLITE_ROW) {
        const char *name = (const char *) sqlite3_column_text(get, 1);
        name_words(name ? name : "", &b);
        if (nd_buf_failed(&b)) {
            rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        if (!b.len) continue;
        sqlite3_stmt *st = an_stmt(s, AN_N_ADD, err);
        if (!st) {
            rc = ND_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, sqlite3_column_int64(get, 0));
        sqlite3_bind_text(st, 2, b.ptr, (int) b.len, SQLITE_STATIC);
        rc = step_done(s, st, "cannot index an actor's name", err);
    }
    if (!rc && r != SQLITE_DONE) rc = nd__store_fail(s, "cannot index an actor's name", err);
    sqlite3_reset(get);
    nd_buf_free(&b);
    if (!rc) an->names_from = 0;
    return rc;
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
        /* Its words go into actor_names at the commit (index_names).  An
         * actor is only ever inserted, with the next rowid, so every one
         * from the first the transaction added on is new. */
        if (!s->an->names_from) s->an->names_from = *id;
    }
    cache_put(s->an, key, *id);
    return 0;
}

/* What the rows of a document's analysis repeat of it: its date
 * (published, else fetched) and whether it is the latest version of its
 * page.  date is in buf (32 bytes) or NULL. */
typedef struct doc_info {
    const char *date;
    int latest;
    char buf[32];
} doc_info;

static int get_doc_info(nd_store *s, int64_t doc, doc_info *di, nd_error *err)
{
    di->date = NULL;
    di->latest = 1;
    sqlite3_stmt *st = an_stmt(s, AN_DOC_INFO, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, doc);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        if (t) {
            snprintf(di->buf, sizeof di->buf, "%s", (const char *) t);
            di->date = di->buf;
        }
        di->latest = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return nd__store_fail(s, "cannot read a document", err);
    return 0;
}

static int put_quote(nd_store *s, int64_t doc, size_t idx, const nd_quote *q, const int64_t *ids,
                     size_t n_ids, const doc_info *di, nd_buf *b, nd_error *err)
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
    bind_str(st, 19, di->date);
    sqlite3_bind_int(st, 20, di->latest);
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
                     size_t n_ids, const doc_info *di, nd_buf *b, nd_error *err)
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
    /* The day listings sort by: the event's own, else its document's. */
    char day[16];
    if (!e->date && di->date) snprintf(day, sizeof day, "%.10s", di->date);
    bind_str(st, 17, e->date ? e->date : di->date ? day : NULL);
    sqlite3_bind_int(st, 18, di->latest);
    sqlite3_bind_int64(st, 19, e->n_mentions ? (sqlite3_int64) e->n_mentions : 1);
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
        sqlite3_bind_text(st, 20, b->ptr, (int) b->len, SQLITE_STATIC);
    }
    sqlite3_bind_int64(st, 21, inst);
    return step_done(s, st, "cannot store an event", err);
}

/* ---- aggregates ----------------------------------------------------------------- */

/* The totals the query layer reads (schema step 5) change with each
 * document's analysis: +1 when it is stored, -1 before it is deleted.
 * actor_stats: documents, mentions, quotations, first and last date per
 * actor; actor_days: documents and mentions per actor and day;
 * code_days: the same per code prefix of whole levels ("RUS", "RUSGOV")
 * and day, a document once per prefix. */

typedef struct doc_actor {
    int64_t id;
    int64_t mentions;
    const char *code;
} doc_actor;

typedef struct prefix_sum {
    char prefix[32];
    int64_t mentions;
} prefix_sum;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

static int cmp_doc_actor(const void *a, const void *b)
{
    const doc_actor *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_prefix(const void *a, const void *b)
{
    return strcmp(((const prefix_sum *) a)->prefix, ((const prefix_sum *) b)->prefix);
}

/* The prefixes of whole levels of a CAMEO code (RUSGOV -> RUS, RUSGOV)
 * appended to pre, each with `mentions`; returns how many (at most 8). */
static size_t code_prefixes(const char *code, int64_t mentions, prefix_sum *pre)
{
    size_t len = code ? strlen(code) : 0, n = 0;
    for (size_t k = 3; k <= len && k < sizeof pre->prefix && k <= 24; k += 3) {
        snprintf(pre[n].prefix, sizeof pre->prefix, "%.*s", (int) k, code);
        pre[n++].mentions = mentions;
    }
    return n;
}

/* pre sorted by prefix, equal prefixes summed into one; returns how
 * many are left. */
static size_t prefixes_summed(prefix_sum *pre, size_t n)
{
    if (n > 1) qsort(pre, n, sizeof *pre, cmp_prefix);
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if (u && !strcmp(pre[u - 1].prefix, pre[i].prefix))
            pre[u - 1].mentions += pre[i].mentions;
        else
            pre[u++] = pre[i];
    }
    return u;
}

static int run_stmt(nd_store *s, enum an_stmt which, int64_t i1, const char *t2, int64_t i3,
                    int64_t i4, const char *what, nd_error *err)
{
    sqlite3_stmt *st = an_stmt(s, which, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, i1);
    if (t2) sqlite3_bind_text(st, 2, t2, -1, SQLITE_STATIC);
    if (which != AN_AS_GC && which != AN_AD_GC && which != AN_CD_GC) {
        sqlite3_bind_int64(st, 3, i3);
        sqlite3_bind_int64(st, 4, i4);
    }
    return step_done(s, st, what, err);
}

/* ---- the transaction's totals, summed in memory ----
 *
 * A document adds to one actor_stats and one actor_days row per actor and
 * one code_days row per code prefix, and documents of a transaction share
 * many of them (an actor, a day): the additions are summed here and each
 * row is written once, before the transaction commits
 * (nd__store_analysis_flush), with the same values as one upsert per
 * document gives (counts add; the first and last dates are the least and
 * greatest).  A savepoint rolled back takes its additions back (the
 * entries as they were: nd__store_analysis_mark, _rolled_back), a
 * transaction rolled back all of them, and a document's analysis taken
 * out of the totals (sign -1) writes them first, as it reads them. */

static uint64_t agg_hash(int kind, int64_t id, const char *prefix, const char *day)
{
    uint64_t h[3] = {(uint64_t) kind, (uint64_t) id, nd_hash64(day, strlen(day))};
    if (prefix) h[1] ^= nd_hash64(prefix, strlen(prefix));
    uint64_t k = nd_hash64(h, sizeof h);
    return k ? k : 1;
}

static int agg_same(const agg *a, int kind, int64_t id, const char *prefix, const char *day)
{
    return a->kind == kind && a->id == id && !strcmp(a->day, day) &&
           (!prefix || !strcmp(a->prefix, prefix));
}

/* The index slot of key's entry, or of the empty slot where it goes. */
static size_t agg_slot(const struct nd__store_an *an, uint64_t h, int kind, int64_t id,
                       const char *prefix, const char *day)
{
    size_t i = h & (an->ix_cap - 1);
    for (;; i = (i + 1) & (an->ix_cap - 1)) {
        uint32_t e = an->agg_ix[i];
        if (!e) return i;
        const agg *a = &an->aggs[e - 1];
        if (a->hash == h && agg_same(a, kind, id, prefix, day)) return i;
    }
}

/* The entry of the key that k holds, or NULL. */
static agg *agg_find(struct nd__store_an *an, const agg *k)
{
    if (!an->ix_cap) return NULL;
    const char *prefix = k->kind == AGG_CD ? k->prefix : NULL;
    uint32_t e = an->agg_ix[agg_slot(an, k->hash, k->kind, k->id, prefix, k->day)];
    return e ? &an->aggs[e - 1] : NULL;
}

/* The entry of the key (made empty when new), its state before kept for
 * a rollback to the open savepoint; NULL when out of memory.  The
 * pointer lasts until the next call (the entries may move). */
static agg *agg_at(struct nd__store_an *an, int kind, int64_t id, const char *prefix,
                   const char *day)
{
    if (an->agg_n == an->agg_cap) {
        size_t nc = an->agg_cap ? an->agg_cap * 2 : 512;
        agg *na = nd_realloc(an->aggs, nc * sizeof *na);
        if (!na) return NULL;
        an->aggs = na;
        an->agg_cap = nc;
    }
    if ((an->agg_n + 1) * 2 > an->ix_cap) {
        size_t nc = an->ix_cap ? an->ix_cap * 2 : 1024;
        uint32_t *ni = nd_calloc(nc, sizeof *ni);
        if (!ni) return NULL;
        for (size_t e = 0; e < an->agg_n; e++) {
            size_t j = an->aggs[e].hash & (nc - 1);
            while (ni[j]) j = (j + 1) & (nc - 1);
            ni[j] = (uint32_t) e + 1;
        }
        nd_free(an->agg_ix);
        an->agg_ix = ni;
        an->ix_cap = nc;
    }
    if (an->undo_n == an->undo_cap) {
        size_t nc = an->undo_cap ? an->undo_cap * 2 : 256;
        agg_undo *nu = nd_realloc(an->undo, nc * sizeof *nu);
        if (!nu) return NULL;
        an->undo = nu;
        an->undo_cap = nc;
    }
    uint64_t h = agg_hash(kind, id, prefix, day);
    size_t i = agg_slot(an, h, kind, id, prefix, day);
    agg_undo *u = &an->undo[an->undo_n++];
    u->fresh = !an->agg_ix[i];
    if (!an->agg_ix[i]) {
        agg *a = &an->aggs[an->agg_n];
        memset(a, 0, sizeof *a);
        a->hash = h;
        a->kind = kind;
        a->id = id;
        if (prefix) snprintf(a->prefix, sizeof a->prefix, "%s", prefix);
        snprintf(a->day, sizeof a->day, "%s", day);
        an->agg_ix[i] = (uint32_t) ++an->agg_n;
    }
    agg *a = &an->aggs[an->agg_ix[i] - 1];
    u->was = *a;
    return a;
}

static int agg_cmp(const void *x, const void *y)
{
    const agg *a = x, *b = y;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    int c = strcmp(a->prefix, b->prefix);
    return c ? c : strcmp(a->day, b->day);
}

int nd__store_analysis_flush(nd_store *s, nd_error *err)
{
    struct nd__store_an *an = s->an;
    if (!an || !an->agg_n) return 0;
    static const char what[] = "cannot count actors";
    /* in key order: the rows' pages in order */
    size_t n = an->agg_n;
    qsort(an->aggs, n, sizeof *an->aggs, agg_cmp);
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        const agg *a = &an->aggs[i];
        if (!a->docs && !a->mentions && !a->quotes) continue; /* (all taken back) */
        sqlite3_stmt *st = an_stmt(s,
                                   a->kind == AGG_AS   ? AN_AS_SUM
                                   : a->kind == AGG_AD ? AN_AD_ADD
                                                       : AN_CD_ADD,
                                   err);
        if (!st) {
            rc = ND_EDB;
            break;
        }
        if (a->kind == AGG_AS) {
            sqlite3_bind_int64(st, 1, a->id);
            sqlite3_bind_int64(st, 2, a->docs);
            sqlite3_bind_int64(st, 3, a->mentions);
            sqlite3_bind_int64(st, 4, a->quotes);
            if (a->has_first) sqlite3_bind_text(st, 5, a->first, -1, SQLITE_STATIC);
            if (a->has_last) sqlite3_bind_text(st, 6, a->last, -1, SQLITE_STATIC);
        } else {
            if (a->kind == AGG_AD)
                sqlite3_bind_int64(st, 1, a->id);
            else
                sqlite3_bind_text(st, 1, a->prefix, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, a->day, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, a->docs);
            sqlite3_bind_int64(st, 4, a->mentions);
        }
        rc = step_done(s, st, what, err);
    }
    /* Written or not (a failure fails the transaction), they are gone. */
    aggs_forget(an);
    return rc;
}

/* The writer is idle: the totals written when they are many (512 rows,
 * a few dozen documents': fewer would write the rows of every document
 * again, as before they were summed, with the workers' cores busy), so
 * that the commit after the last page writes few. */
#define AN_IDLE_ROWS 512
int nd__store_analysis_idle(nd_store *s, nd_error *err)
{
    return s->an && s->an->agg_n >= AN_IDLE_ROWS ? nd__store_analysis_flush(s, err) : 0;
}

/* Apply sign (+1 or -1) times document doc's actors xs (n, any order,
 * an actor maybe more than once) to the totals. */
static int bump_actors(nd_store *s, int64_t doc, const char *date, doc_actor *xs, size_t n,
                       int sign, nd_error *err)
{
    static const char what[] = "cannot count actors";
    char day[16] = "";
    if (date) snprintf(day, sizeof day, "%.10s", date);
    if (n > 1) qsort(xs, n, sizeof *xs, cmp_doc_actor);
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if (u && xs[u - 1].id == xs[i].id) {
            xs[u - 1].mentions += xs[i].mentions;
            continue;
        }
        xs[u++] = xs[i];
    }
    n = u;
    int rc = 0;
    size_t n_pre = 0;
    prefix_sum *pre = nd_malloc((n * 8 + 1) * sizeof *pre);
    if (!pre) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (sign > 0) {
        /* summed in memory, written before the commit */
        struct nd__store_an *an = s->an;
        for (size_t i = 0; !rc && i < n; i++) {
            /* (an entry's pointer lasts until the next agg_at: it may grow the table) */
            agg *a = agg_at(an, AGG_AS, xs[i].id, NULL, "");
            if (!a) {
                rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            a->docs++;
            a->mentions += xs[i].mentions;
            if (date && (!a->has_first || strcmp(date, a->first) < 0)) {
                snprintf(a->first, sizeof a->first, "%s", date);
                a->has_first = 1;
            }
            if (date && (!a->has_last || strcmp(date, a->last) > 0)) {
                snprintf(a->last, sizeof a->last, "%s", date);
                a->has_last = 1;
            }
            agg *d = agg_at(an, AGG_AD, xs[i].id, NULL, day);
            if (!d) {
                rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            d->docs++;
            d->mentions += xs[i].mentions;
            n_pre += code_prefixes(xs[i].code, xs[i].mentions, pre + n_pre);
        }
        n_pre = prefixes_summed(pre, n_pre);
        for (size_t i = 0; !rc && i < n_pre; i++) {
            agg *c = agg_at(an, AGG_CD, 0, pre[i].prefix, day);
            if (!c) {
                rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            c->docs++;
            c->mentions += pre[i].mentions;
        }
        nd_free(pre);
        return rc;
    }
    /* Taken out: the totals it reads (first, last, empty rows) written. */
    rc = nd__store_analysis_flush(s, err);
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *st = an_stmt(s, AN_AS_ADD, err);
        if (!st) {
            rc = ND_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, xs[i].id);
        sqlite3_bind_int64(st, 2, sign);
        sqlite3_bind_int64(st, 3, sign * xs[i].mentions);
        if (sign > 0) bind_str(st, 4, date);
        rc = step_done(s, st, what, err);
        if (!rc && sign < 0 && date) {
            /* The first or last date may have been this document's. */
            st = an_stmt(s, AN_AS_BOUNDS, err);
            if (!st) {
                rc = ND_EDB;
                break;
            }
            sqlite3_bind_int64(st, 1, xs[i].id);
            sqlite3_bind_int64(st, 2, doc);
            bind_str(st, 3, date);
            rc = step_done(s, st, what, err);
        }
        if (!rc) rc = run_stmt(s, AN_AD_ADD, xs[i].id, day, sign, sign * xs[i].mentions, what, err);
        if (!rc && sign < 0) rc = run_stmt(s, AN_AD_GC, xs[i].id, day, 0, 0, what, err);
        if (!rc && sign < 0) rc = run_stmt(s, AN_AS_GC, xs[i].id, NULL, 0, 0, what, err);
        n_pre += code_prefixes(xs[i].code, xs[i].mentions, pre + n_pre);
    }
    n_pre = prefixes_summed(pre, n_pre);
    for (size_t i = 0; !rc && i < n_pre; i++) {
        int64_t m = pre[i].mentions;
        sqlite3_stmt *st = an_stmt(s, AN_CD_ADD, err);
        if (!st) {
            rc = ND_EDB;
            break;
        }
        sqlite3_bind_text(st, 1, pre[i].prefix, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, sign);
        sqlite3_bind_int64(st, 4, sign * m);
        rc = step_done(s, st, what, err);
        if (!rc && sign < 0) {
            st = an_stmt(s, AN_CD_GC, err);
            if (!st) {
                rc = ND_EDB;
                break;
            }
            sqlite3_bind_text(st, 1, pre[i].prefix, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
            rc = step_done(s, st, what, err);
        }
    }
    nd_free(pre);
    return rc;
}

/* Quotations per speaker: n of them said by actor id. */
static int bump_quotes(nd_store *s, int64_t id, int64_t n, nd_error *err)
{
    sqlite3_stmt *st = an_stmt(s, AN_AS_QUOTES, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, n);
    int rc = step_done(s, st, "cannot count quotations", err);
    if (!rc && n < 0) rc = run_stmt(s, AN_AS_GC, id, NULL, 0, 0, "cannot count quotations", err);
    return rc;
}

/* Take document doc's stored analysis out of the totals (before its
 * rows are deleted). */
static int unbump(nd_store *s, int64_t doc, nd_error *err)
{
    doc_info di;
    int rc = get_doc_info(s, doc, &di, err);
    if (rc) return rc;
    sqlite3_stmt *st = an_stmt(s, AN_G_DA, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, doc);
    nd_arena *ar = nd_arena_new(4096);
    size_t n = 0, cap = 0;
    doc_actor *xs = NULL;
    int r;
    while (ar && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            doc_actor *p = nd_arena_alloc(ar, nc * sizeof *p);
            if (!p) break;
            if (n) memcpy(p, xs, n * sizeof *p);
            xs = p;
            cap = nc;
        }
        xs[n].id = sqlite3_column_int64(st, 0);
        xs[n].mentions = sqlite3_column_int64(st, 1);
        const unsigned char *c = sqlite3_column_text(st, 2);
        xs[n].code = c ? nd_arena_strndup(ar, (const char *) c, strlen((const char *) c)) : NULL;
        n++;
    }
    sqlite3_reset(st);
    if (!ar || (n && !xs)) {
        nd_arena_free(ar);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    rc = bump_actors(s, doc, di.date, xs, n, -1, err);
    nd_arena_free(ar);
    if (rc) return rc;
    /* Quotations per speaker: read them all first (the statement reads
     * the counts it changes). */
    st = an_stmt(s, AN_G_QS, err);
    if (!st) return ND_EDB;
    sqlite3_bind_int64(st, 1, doc);
    int64_t *qs = NULL;
    n = cap = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            int64_t *p = nd_realloc(qs, nc * 2 * sizeof *p);
            if (!p) {
                rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                break;
            }
            qs = p;
            cap = nc;
        }
        qs[2 * n] = sqlite3_column_int64(st, 0);
        qs[2 * n + 1] = sqlite3_column_int64(st, 1);
        n++;
    }
    sqlite3_reset(st);
    for (size_t i = 0; !rc && i < n; i++) rc = bump_quotes(s, qs[2 * i], -qs[2 * i + 1], err);
    nd_free(qs);
    return rc;
}

/* Add document doc's analysis a (its actors' ids and mention counts) to
 * the totals. */
static int count_analysis(nd_store *s, int64_t doc, const nd_analysis *a, const int64_t *ids,
                          const uint32_t *counts, const doc_info *di, nd_error *err)
{
    doc_actor *xs = nd_malloc((a->n_actors + 1) * sizeof *xs);
    int64_t *qs = nd_malloc((a->n_quotes + 1) * sizeof *qs);
    int rc = 0;
    if (!xs || !qs) rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    for (size_t i = 0; !rc && i < a->n_actors; i++) {
        xs[i].id = ids[i];
        xs[i].mentions = counts[i];
        xs[i].code = a->actors[i].code;
    }
    if (!rc) rc = bump_actors(s, doc, di->date, xs, a->n_actors, 1, err);
    /* Quotations per speaker, one statement per speaker. */
    size_t n = 0;
    for (size_t i = 0; !rc && i < a->n_quotes; i++) {
        int sp = a->quotes[i].speaker;
        if (sp >= 0 && (size_t) sp < a->n_actors) qs[n++] = ids[sp];
    }
    if (n > 1) qsort(qs, n, sizeof *qs, cmp_i64);
    for (size_t i = 0; !rc && i < n;) {
        size_t j = i + 1;
        while (j < n && qs[j] == qs[i]) j++;
        /* (the speaker is an actor of the document: its entry is there) */
        agg *q = agg_at(s->an, AGG_AS, qs[i], NULL, "");
        if (!q)
            rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        else
            q->quotes += (int64_t) (j - i);
        i = j;
    }
    nd_free(xs);
    nd_free(qs);
    return rc;
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
    doc_info di;
    if (!rc) rc = get_doc_info(s, doc, &di, err);
    for (size_t i = 0; !rc && i < a->n_quotes; i++)
        rc = put_quote(s, doc, i, &a->quotes[i], ids, a->n_actors, &di, &b, err);
    for (size_t i = 0; !rc && i < a->n_events; i++)
        rc = put_event(s, doc, i, &a->events[i], ids, a->n_actors, &di, &b, err);
    if (!rc) rc = count_analysis(s, doc, a, ids, counts, &di, err);
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

int nd__store_index_analysis(nd_store *s, nd_error *err)
{
    if (!s->an) return 0;
    int rc = index_names(s, err);
    if (rc || !s->an->unindexed) return rc;
    static const enum an_stmt steps[] = {AN_Q_INDEX, AN_Q_MARK};
    for (size_t i = 0; i < 2; i++) {
        sqlite3_stmt *st = an_stmt(s, steps[i], err);
        if (!st) return ND_EDB;
        if ((rc = step_done(s, st, "cannot index quotations", err)) != 0) return rc;
    }
    s->an->unindexed = 0;
    return 0;
}

static int delete_analysis(nd_store *s, int64_t doc, nd_error *err)
{
    int rc = unbump(s, doc, err);
    if (rc) return rc;
    /* Indexed quotations leave the index before their rows go. */
    static const enum an_stmt dels[] = {AN_DEL_M, AN_DEL_DA, AN_Q_UNINDEX,
                                        AN_DEL_Q, AN_DEL_E,  AN_DEL_D};
    for (size_t i = 0; i < sizeof dels / sizeof *dels; i++) {
        sqlite3_stmt *st = an_stmt(s, dels[i], err);
        if (!st) return ND_EDB;
        sqlite3_bind_int64(st, 1, doc);
        if ((rc = step_done(s, st, "cannot delete an analysis", err)) != 0) return rc;
    }
    return 0;
}

int nd_store_set_analysis(nd_store *s, int64_t doc_id, const nd_analysis *a, nd_error *err)
{
    if (!a) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no analysis");
    if (s->flags & ND_STORE_READONLY)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: opened read-only", s->path);
    int own = !s->in_tx;
    /* The totals summed so far written outside the savepoint: taking the
     * document's out reads them, and a rollback to the savepoint would
     * take them with it. */
    int rc = nd__store_analysis_flush(s, err);
    if (rc) return rc;
    rc = nd__store_exec(s, own ? "BEGIN IMMEDIATE" : "SAVEPOINT analysis", err);
    if (rc) return rc;
    nd__store_analysis_mark(s);
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
    if (own && ((rc = nd__store_analysis_flush(s, err)) != 0 ||
                (rc = nd__store_index_analysis(s, err)) != 0)) {
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
        e->mentions[e->n_mentions++] = (nd_event_mention){{x[0], x[1]}, {x[2], x[3]}, x[4]};
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

int nd__store_todo(nd_store *s, const char *done_table, int64_t after, int all, int64_t *ids,
                   size_t cap, size_t *n, nd_error *err)
{
    *n = 0;
    char sql[256];
    if (all)
        snprintf(sql, sizeof sql, "SELECT id FROM documents WHERE id > ?1 ORDER BY id LIMIT ?2");
    else
        snprintf(sql, sizeof sql,
                 "SELECT id FROM documents d WHERE id > ?1 AND NOT EXISTS"
                 " (SELECT 1 FROM %s x WHERE x.doc_id = d.id) ORDER BY id LIMIT ?2",
                 done_table);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot list documents", err);
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, (sqlite3_int64) cap);
    int rc;
    int64_t last = after;
    int back = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
        int64_t id = sqlite3_column_int64(st, 0);
        /* ascending, past after: a damaged table's ids may go back, and
         * the callers' walks (after = the last) would never end */
        if (id <= last) {
            back = 1;
            break;
        }
        ids[(*n)++] = last = id;
    }
    sqlite3_finalize(st);
    if (back) return nd__store_ids_back(s, last, err);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return nd__store_fail(s, "cannot list documents", err);
    return 0;
}

int nd_store_analysis_todo(nd_store *s, int64_t after, int all, int64_t *ids, size_t cap, size_t *n,
                           nd_error *err)
{
    return nd__store_todo(s, "doc_analysis", after, all, ids, cap, n, err);
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
    /* The totals of schema step 5: no scan. */
    int rc = count1(s,
                    "SELECT coalesce(max(n), 0) FROM store_counts"
                    " WHERE field = 'documents' AND value = ''",
                    documents, err);
    if (!rc)
        rc = count1(s,
                    "SELECT coalesce(max(n), 0) FROM store_counts"
                    " WHERE field = 'analysed' AND value = ''",
                    analysed, err);
    return rc;
}
