/* briefing.c - keywords of a document or a story, a story's extractive
 * summary and each outlet's take, and the day's briefing (the front page
 * and `newsdesk digest`).
 *
 * Plans: a story's documents are read on documents(story_id, dup_of), at
 * most ND_QUERY_SUMMARY_DOCS originals whole; keywords on
 * keywords(doc_id, idx); a day's stories on stories(last_seen, id). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/lang.h"
#include "newsdesk/token.h"
#include "query/query_int.h"

/* ---- keywords ------------------------------------------------------------------------- */

static int keyword_rows(nd_store *s, int64_t doc, int64_t story, int limit, nd_arena *ar,
                        nd__vec *v, nd_error *err)
{
    sqlite3_stmt *st;
    const char *sql =
        doc ? "SELECT phrase, kind, score, 1 FROM keywords WHERE doc_id = ?1 ORDER BY idx LIMIT ?2"
            /* A story's: what most of its originals share, then the
             * summed score; the first 200 originals count. */
            : "SELECT min(k.phrase), min(k.kind), sum(k.score), count(*) FROM keywords k"
              " WHERE k.doc_id IN (SELECT id FROM documents WHERE story_id = ?1"
              " AND dup_of IS NULL LIMIT 200)"
              " GROUP BY lower(k.phrase) ORDER BY count(*) DESC, sum(k.score) DESC,"
              " min(k.phrase) LIMIT ?2";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot read keywords", err);
    sqlite3_bind_int64(st, 1, doc ? doc : story);
    sqlite3_bind_int(st, 2, limit);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nd_keyword_row *k = nd__vec_push(ar, v);
        if (!k) {
            ret = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        k->text = nd__col_dup(ar, st, 0);
        k->kind = sqlite3_column_int(st, 1);
        k->score = sqlite3_column_double(st, 2);
        k->documents = (uint64_t) sqlite3_column_int64(st, 3);
        if (!k->text) k->text = "";
    }
    if (!ret && rc != SQLITE_DONE) ret = nd__store_fail(s, "cannot read keywords", err);
    sqlite3_finalize(st);
    return ret;
}

int nd__query_keywords(nd_store *s, int64_t doc, int64_t story, int limit, nd_arena *ar,
                       const nd_keyword_row **items, size_t *n, nd_error *err)
{
    nd__vec v = {NULL, 0, 0, sizeof(nd_keyword_row)};
    int rc = keyword_rows(s, doc, story, limit, ar, &v, err);
    *items = v.items;
    *n = v.n;
    return rc;
}

int nd_query_keywords(nd_store *s, int64_t doc_id, const nd_query_opts *o, nd_keyword_list **out,
                      nd_error *err)
{
    *out = NULL;
    int rc = nd__query_check(o, ND__F_STORY, "keywords", err);
    if (rc) return rc;
    int64_t story = o ? o->story : 0;
    if ((doc_id > 0) == (story > 0))
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "keywords: a document or a story");
    nd_keyword_list *res = nd__result_new(sizeof *res, 0, err);
    if (!res) return ND_ENOMEM;
    rc = nd__query_keywords(s, doc_id, story, nd__query_limit(o, 8), res->r.arena, &res->items,
                            &res->n, err);
    if (rc) {
        nd_result_free(res);
        return rc;
    }
    *out = res;
    return 0;
}

/* ---- sentences ----------------------------------------------------------------------- */

#define LEDE_BYTES 2400 /* of an article's text read for sentences */
#define MAX_SENT   8    /* sentences of an article looked at */
#define MAX_SET    48   /* content words of a sentence compared */

typedef struct sent {
    const char *text; /* in the arena */
    size_t doc;       /* index into the documents read */
    int pos;          /* its place in the article */
    uint64_t set[MAX_SET];
    int n_set;
    double score;
    int taken;
    int cut; /* starts or ends inside a quotation: never a summary sentence */
} sent;

typedef struct sdoc {
    int64_t id;
    const char *ext_id, *title, *outlet, *url, *date;
    const char *lede;
} sdoc;

static int u64cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

/* The content words of text[a, b): lower case, not stop words, 3+ bytes. */
static int word_set(const char *text, const nd_token *tok, size_t from, size_t to, uint64_t *set)
{
    int n = 0;
    char low[128];
    for (size_t i = from; i < to && n < MAX_SET; i++) {
        if (tok[i].type != ND_TOK_WORD) continue;
        size_t l = nd_token_lower(text, &tok[i], 1, low, sizeof low);
        if (l < 3 || nd_stopword(NULL, low, l)) continue;
        set[n++] = nd_hash64(low, l);
    }
    qsort(set, (size_t) n, sizeof *set, u64cmp);
    int u = 0;
    for (int i = 0; i < n; i++)
        if (!u || set[i] != set[u - 1]) set[u++] = set[i];
    return u;
}

static int shared(const sent *a, const sent *b)
{
    int i = 0, j = 0, n = 0;
    while (i < a->n_set && j < b->n_set) {
        if (a->set[i] == b->set[j]) {
            n++;
            i++;
            j++;
        } else if (a->set[i] < b->set[j]) {
            i++;
        } else {
            j++;
        }
    }
    return n;
}

/* Much the same sentence: most of the shorter one's words, four at least. */
static int alike(const sent *a, const sent *b)
{
    int n = shared(a, b), m = a->n_set < b->n_set ? a->n_set : b->n_set;
    return n >= 4 && n * 2 >= m;
}

/* Whether t is a double quotation mark (“ ” „ « » or a straight one):
 * single ones are too often apostrophes to follow. */
static int double_quote(const char *text, const nd_token *t)
{
    const unsigned char *p = (const unsigned char *) text + t->off;
    if (!(t->flags & ND_TOKF_QUOTE)) return 0;
    if (p[0] == '"') return 1;
    if (t->len >= 2 && p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB)) return 1; /* « » */
    return t->len >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x9C && p[2] <= 0x9F;
}

/* The quotation state after t: open after an opening double mark, closed
 * after a closing one. */
static void quote_state(const char *text, const nd_token *t, int *open)
{
    if (t->type == ND_TOK_PUNCT && double_quote(text, t)) *open = (t->flags & ND_TOKF_OPENQ) != 0;
}

/* The first sentences of an article's text into v (of sent); the lede
 * (whole sentences, about 300 bytes) into d->lede. */
static int split(nd_arena *ar, const char *text, size_t len, size_t di, sdoc *d, nd__vec *v)
{
    if (len > LEDE_BYTES) len = LEDE_BYTES;
    nd_token tok[1400];
    size_t used, n = nd_tokenize(text, len, tok, sizeof tok / sizeof *tok, &used);
    size_t start = 0;
    int pos = 0;
    size_t lede_end = 0;
    /* Inside a quotation (at the sentence's start, now): a sentence of a
     * quotation of several starts or ends in the middle of it. */
    int open_at_start = 0, open = 0;
    for (size_t i = 0; i < n && pos < MAX_SENT; i++) {
        int end = 0, para = 0;
        size_t last = i;
        quote_state(text, &tok[i], &open);
        if (tok[i].type == ND_TOK_PUNCT && (tok[i].flags & ND_TOKF_SENT_END)) {
            /* A closing quotation mark after the stop belongs to it. */
            while (last + 1 < n && tok[last + 1].type == ND_TOK_PUNCT &&
                   (tok[last + 1].flags & ND_TOKF_CLOSEQ))
                quote_state(text, &tok[++last], &open);
            end = last + 1 == n || (tok[last + 1].flags & (ND_TOKF_CAP | ND_TOKF_OPENQ)) ||
                  tok[last + 1].type == ND_TOK_NUM;
        }
        /* A paragraph break ends a sentence too. */
        if (!end && i + 1 < n) {
            const char *gap = text + tok[i].off + tok[i].len;
            size_t gl = tok[i + 1].off - (tok[i].off + tok[i].len);
            for (size_t k = 0; k + 1 < gl && !end; k++) end = gap[k] == '\n' && gap[k + 1] == '\n';
            para = end;
        }
        if (!end && i + 1 == n && used == len && len < LEDE_BYTES) end = 1;
        if (!end) continue;
        size_t a = tok[start].off, b = tok[last].off + tok[last].len;
        if (b > a) {
            sent *x = nd__vec_push(ar, v);
            if (!x) return ND_ENOMEM;
            x->text = nd_arena_strndup(ar, text + a, b - a);
            if (!x->text) return ND_ENOMEM;
            x->doc = di;
            x->pos = pos++;
            x->n_set = word_set(text, tok, start, last + 1, x->set);
            x->cut = open_at_start || open;
            if (!lede_end || (b < 320 && lede_end < 160)) lede_end = b;
        }
        i = last;
        start = last + 1;
        /* A paragraph ends a quotation that runs on unclosed (the next
         * opens it again). */
        if (para) open = 0;
        open_at_start = open;
    }
    if (!lede_end) lede_end = len < 300 ? len : 300;
    /* Cut at a character boundary when no sentence ended early enough. */
    if (lede_end > 400) {
        lede_end = 300;
        while (lede_end > 0 && ((unsigned char) text[lede_end] & 0xC0) == 0x80) lede_end--;
        char *l = nd_arena_alloc(ar, lede_end + 4);
        if (!l) return ND_ENOMEM;
        memcpy(l, text, lede_end);
        memcpy(l + lede_end, "…", 4);
        d->lede = l;
        return 0;
    }
    d->lede = nd_arena_strndup(ar, text, lede_end);
    return d->lede ? 0 : ND_ENOMEM;
}

static int by_sent_score(const void *x, const void *y)
{
    const sent *a = *(const sent *const *) x, *b = *(const sent *const *) y;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
    return a->pos - b->pos;
}

/* The summary of a story's documents (max_docs originals) and each
 * outlet's take.  Everything in ar. */
static int summarize(nd_store *s, int64_t story, int max_docs, int want, nd_arena *ar,
                     nd_story_summary *out, nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, ext_id, title, coalesce(nullif(site, ''), host, ''), url,"
                           " coalesce(published, fetched),"
                           " CAST(substr(CAST(text AS BLOB), 1, ?3) AS TEXT) FROM documents"
                           " WHERE story_id = ?1 AND dup_of IS NULL"
                           " ORDER BY coalesce(published, fetched) IS NULL,"
                           " coalesce(published, fetched), id LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot summarise a story", err);
    sqlite3_bind_int64(st, 1, story);
    sqlite3_bind_int(st, 2, max_docs);
    sqlite3_bind_int(st, 3, LEDE_BYTES);
    nd__vec docs = {NULL, 0, 0, sizeof(sdoc)}, sents = {NULL, 0, 0, sizeof(sent)};
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !ret) {
        sdoc *d = nd__vec_push(ar, &docs);
        if (!d) {
            ret = ND_ENOMEM;
            break;
        }
        d->id = sqlite3_column_int64(st, 0);
        d->ext_id = nd__col_dup(ar, st, 1);
        d->title = nd__col_dup(ar, st, 2);
        d->outlet = nd__col_dup(ar, st, 3);
        d->url = nd__col_dup(ar, st, 4);
        d->date = nd__col_dup(ar, st, 5);
        const char *t = (const char *) sqlite3_column_text(st, 6);
        size_t tl = (size_t) sqlite3_column_bytes(st, 6);
        if (!d->outlet) d->outlet = "";
        ret = split(ar, t ? t : "", t ? tl : 0, docs.n - 1, d, &sents);
    }
    if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = nd__store_fail(s, "cannot summarise a story", err);
    sqlite3_finalize(st);
    if (ret == ND_ENOMEM) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (ret) return ret;
    sdoc *dv = docs.items;
    sent *sv = sents.items;
    size_t nd = docs.n, ns = sents.n;

    /* Each outlet's first article. */
    nd__vec takes = {NULL, 0, 0, sizeof(nd_outlet_take)};
    for (size_t i = 0; i < nd; i++) {
        int seen = 0;
        for (size_t k = 0; k < takes.n && !seen; k++)
            seen = !strcmp(((nd_outlet_take *) takes.items)[k].outlet, dv[i].outlet);
        if (seen) continue;
        nd_outlet_take *t = nd__vec_push(ar, &takes);
        if (!t) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        t->outlet = dv[i].outlet;
        t->doc_id = dv[i].id;
        t->ext_id = dv[i].ext_id;
        t->title = dv[i].title;
        t->url = dv[i].url;
        t->date = dv[i].date;
        t->lede = dv[i].lede;
    }
    /* Articles per outlet, duplicates included. */
    nd_count *oc = NULL;
    size_t n_oc = 0;
    if ((rc = nd__story_outlet_counts(s, story, ar, &oc, &n_oc, err)) != 0) return rc;
    for (size_t i = 0; i < n_oc; i++)
        for (size_t k = 0; k < takes.n; k++) {
            nd_outlet_take *t = &((nd_outlet_take *) takes.items)[k];
            if (!strcmp(t->outlet, oc[i].value)) t->n_articles = (size_t) oc[i].n;
        }
    out->takes = takes.items;
    out->n_takes = takes.n;

    /* Scores: other outlets that carry much the same sentence, then its
     * place (the lede first). */
    for (size_t i = 0; i < ns; i++) {
        sent *a = &sv[i];
        double support = 0;
        if (a->n_set >= 4) {
            const char *counted[ND_QUERY_SUMMARY_DOCS];
            size_t nc = 0;
            for (size_t j = 0; j < ns; j++) {
                const sent *b = &sv[j];
                if (b->doc == a->doc || !alike(a, b)) continue;
                const char *o = dv[b->doc].outlet;
                int dup = !strcmp(o, dv[a->doc].outlet);
                for (size_t k = 0; k < nc && !dup; k++) dup = !strcmp(counted[k], o);
                if (!dup && nc < ND_QUERY_SUMMARY_DOCS) counted[nc++] = o, support++;
            }
        }
        double place = a->pos == 0 ? 1.0 : a->pos == 1 ? 0.6 : 0.4 - 0.03 * a->pos;
        a->score = 2 * support + place - (a->n_set < 5 ? 1.5 : 0);
    }
    sent **order = nd_arena_alloc(ar, (ns ? ns : 1) * sizeof *order);
    if (!order) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    for (size_t i = 0; i < ns; i++) order[i] = &sv[i];
    qsort(order, ns, sizeof *order, by_sent_score);
    nd__vec picked = {NULL, 0, 0, sizeof(nd_summary_sentence)};
    const sent *chosen[16];
    for (size_t i = 0; i < ns && (int) picked.n < want && picked.n < 16; i++) {
        const sent *a = order[i];
        int dup = a->n_set < 3 || a->cut;
        for (size_t k = 0; k < picked.n && !dup; k++)
            dup = alike(a, chosen[k]) || !strcmp(a->text, chosen[k]->text);
        if (dup) continue;
        nd_summary_sentence *x = nd__vec_push(ar, &picked);
        int64_t *src = nd_arena_alloc(ar, (nd ? nd : 1) * sizeof *src);
        const char **so = nd_arena_alloc(ar, (nd ? nd : 1) * sizeof *so);
        if (!x || !src || !so) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        chosen[picked.n - 1] = a;
        x->text = a->text;
        x->doc_id = dv[a->doc].id;
        x->outlet = dv[a->doc].outlet;
        src[0] = x->doc_id;
        so[0] = x->outlet;
        size_t n = 1, outlets = 1;
        for (size_t j = 0; j < ns; j++) {
            const sent *b = &sv[j];
            if (b->doc == a->doc || !alike(a, b)) continue;
            int have = 0;
            for (size_t k = 0; k < n && !have; k++) have = src[k] == dv[b->doc].id;
            if (have) continue;
            int new_outlet = 1;
            for (size_t k = 0; k < n && new_outlet; k++)
                new_outlet = strcmp(so[k], dv[b->doc].outlet) != 0;
            outlets += new_outlet;
            src[n] = dv[b->doc].id;
            so[n++] = dv[b->doc].outlet;
        }
        x->sources = src;
        x->source_outlets = so;
        x->n_sources = n;
        x->n_outlets = outlets;
    }
    out->sentences = picked.items;
    out->n_sentences = picked.n;
    return 0;
}

int nd_query_story_summary(nd_store *s, int64_t id, const nd_query_opts *o, nd_story_summary **out,
                           nd_error *err)
{
    *out = NULL;
    int rc = nd__query_check(o, 0, "summary", err);
    if (rc) return rc;
    nd_story_summary *res = nd__result_new(sizeof *res, 0, err);
    if (!res) return ND_ENOMEM;
    nd_story_row row;
    rc = nd__story_get(s, res->r.arena, id, &row, err);
    if (!rc)
        rc = summarize(s, id, ND_QUERY_SUMMARY_DOCS, nd__query_limit(o, 3), res->r.arena, res, err);
    if (rc) {
        nd_result_free(res);
        return rc;
    }
    res->story = id;
    *out = res;
    return 0;
}

/* ---- the day's briefing ---------------------------------------------------------------- */

static void free_result(void *p)
{
    nd_result_free(p);
}

/* A text value of the first row of sql bound to a (may be NULL). */
static const char *text_of(nd_store *s, nd_arena *ar, const char *sql, const char *a, int *rc,
                           nd_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        *rc = nd__store_fail(s, "cannot read stories", err);
        return NULL;
    }
    if (a) sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
    const char *v = NULL;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        v = nd__col_dup(ar, st, 0);
    else if (r != SQLITE_DONE)
        *rc = nd__store_fail(s, "cannot read stories", err);
    sqlite3_finalize(st);
    return v;
}

static int by_rank(const void *x, const void *y)
{
    const nd_brief *a = x, *b = y;
    if (a->rank != b->rank) return a->rank > b->rank ? -1 : 1;
    return a->story.id > b->story.id ? -1 : a->story.id < b->story.id;
}

/* Outlet names of a story, most articles first (at most 8). */
static int outlets_of(nd_store *s, nd_arena *ar, nd_brief *b, nd_error *err)
{
    nd_count *oc = NULL;
    size_t n_oc = 0;
    int rc = nd__story_outlet_counts(s, b->story.id, ar, &oc, &n_oc, err);
    if (rc) return rc;
    const char **v = nd_arena_alloc(ar, 8 * sizeof *v);
    if (!v) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < n_oc && n < 8; i++)
        if (*oc[i].value) v[n++] = oc[i].value;
    b->outlets = v;
    b->n_outlets = n;
    return 0;
}

/* Events of largest |Goldstein| first (newest first among equals). */
static int by_weight(const void *x, const void *y)
{
    const nd_event_row *a = x, *b = y;
    double wa = fabs(a->goldstein), wb = fabs(b->goldstein);
    return wa > wb ? -1 : wa < wb;
}

static int fill_brief(nd_store *s, nd_briefing *res, nd_brief *b, int with_quotes, nd_error *err)
{
    nd_arena *ar = res->r.arena;
    int rc = outlets_of(s, ar, b, err);
    nd_story_summary sum;
    memset(&sum, 0, sizeof sum);
    if (!rc) rc = summarize(s, b->story.id, 6, 2, ar, &sum, err);
    b->summary = sum.sentences;
    b->n_summary = sum.n_sentences;
    if (!rc) rc = nd__query_keywords(s, 0, b->story.id, 6, ar, &b->keywords, &b->n_keywords, err);
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    q.story = b->story.id;
    q.limit = 5;
    nd_actor_list *al = NULL;
    if (!rc) rc = nd_query_actors(s, &q, &al, err);
    if (!rc && al && !(rc = nd__result_own(&res->r, free_result, al))) {
        b->actors = al->items;
        b->n_actors = al->n;
    }
    if (!rc && with_quotes) {
        q.limit = 3;
        nd_quote_list *ql = NULL;
        rc = nd_query_quotes(s, &q, &ql, err);
        if (!rc && !(rc = nd__result_own(&res->r, free_result, ql))) {
            b->quotes = ql->items;
            b->n_quotes = ql->n;
        }
        q.limit = 40;
        nd_event_list *el = NULL;
        if (!rc) rc = nd_query_events(s, &q, &el, err);
        if (!rc && !(rc = nd__result_own(&res->r, free_result, el))) {
            nd_event_row *ev = (nd_event_row *) el->items;
            if (el->n > 1) qsort(ev, el->n, sizeof *ev, by_weight);
            b->events = ev;
            b->n_events = el->n < 3 ? el->n : 3;
        }
    }
    if (rc == ND_ENOMEM) nd_error_set(err, rc, (size_t) -1, "out of memory");
    return rc;
}

int nd_query_briefing(nd_store *s, const nd_query_opts *o, int with_quotes, nd_briefing **out,
                      nd_error *err)
{
    *out = NULL;
    if (!o) o = &nd__query_none;
    int rc = nd__query_check(o, ND__F_SINCE | ND__F_UNTIL, "briefing", err);
    if (rc) return rc;
    char since[32], until[32];
    if ((rc = nd__since_bound(o->since, since, err)) != 0) return rc;
    if ((rc = nd__until_bound(o->until, until, err)) != 0) return rc;
    nd_briefing *res = nd__result_new(sizeof *res, 0, err);
    if (!res) return ND_ENOMEM;
    nd_arena *ar = res->r.arena;
    if (!since[0]) {
        /* The latest day with a story. */
        const char *last = text_of(s, ar, "SELECT max(last_seen) FROM stories", NULL, &rc, err);
        if (last) snprintf(since, sizeof since, "%.10s", last);
    }
    if (since[0] && !until[0] && strlen(since) == 10 && (rc = nd__until_bound(since, until, err)))
        goto fail;
    if (since[0]) {
        res->day = nd_arena_printf(ar, "%.10s", since);
        res->prev = text_of(s, ar,
                            "SELECT substr(max(last_seen), 1, 10) FROM stories"
                            " WHERE last_seen < ?1",
                            since, &rc, err);
        if (!rc && until[0])
            res->next = text_of(s, ar,
                                "SELECT substr(min(last_seen), 1, 10) FROM stories"
                                " WHERE last_seen >= ?1",
                                until, &rc, err);
        if (rc) goto fail;
    }
    sqlite3_stmt *st;
    const char *sql =
        since[0] ? "SELECT id, headline, rep_doc, first_seen, last_seen, n_docs, n_dups, n_sites"
                   " FROM stories WHERE last_seen >= ?1 AND (?2 IS NULL OR first_seen < ?2)"
                   " ORDER BY last_seen DESC, id DESC LIMIT 1000"
                 : "SELECT id, headline, rep_doc, first_seen, last_seen, n_docs, n_dups, n_sites"
                   " FROM stories WHERE last_seen IS NULL ORDER BY id DESC LIMIT 1000";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = nd__store_fail(s, "cannot read stories", err);
        goto fail;
    }
    if (since[0]) sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    if (until[0]) sqlite3_bind_text(st, 2, until, -1, SQLITE_STATIC);
    /* The end of the day (or now's stand-in: the latest last_seen) for
     * recency. */
    int64_t end_ts = 0;
    int has_time;
    if (until[0]) nd_time_parse(until, strlen(until), &end_ts, &has_time);
    nd__vec v = {NULL, 0, 0, sizeof(nd_brief)};
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        nd_brief *b = nd__vec_push(ar, &v);
        if (!b) {
            rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            break;
        }
        nd_story_row *x = &b->story;
        x->id = sqlite3_column_int64(st, 0);
        x->headline = nd__col_dup(ar, st, 1);
        x->rep_doc = sqlite3_column_int64(st, 2);
        x->first_seen = nd__col_dup(ar, st, 3);
        x->last_seen = nd__col_dup(ar, st, 4);
        x->n_docs = (uint64_t) sqlite3_column_int64(st, 5);
        x->n_dups = (uint64_t) sqlite3_column_int64(st, 6);
        x->n_sites = (uint64_t) sqlite3_column_int64(st, 7);
        double recency = 0;
        int64_t ts;
        if (end_ts && x->last_seen &&
            nd_time_parse(x->last_seen, strlen(x->last_seen), &ts, &has_time) == 0) {
            double hours = (double) (end_ts - ts) / 3600.0;
            recency = hours < 0 ? 2 : hours > 72 ? 0 : 2 * (1 - hours / 72);
        }
        b->rank = 3 * log(1.0 + (double) x->n_sites) +
                  1.5 * log(1.0 + (double) (x->n_docs - x->n_dups)) + recency;
    }
    if (!rc && r != SQLITE_DONE && r != SQLITE_ROW)
        rc = nd__store_fail(s, "cannot read stories", err);
    sqlite3_finalize(st);
    if (rc) goto fail;
    nd_brief *items = v.items;
    if (v.n) qsort(items, v.n, sizeof *items, by_rank);
    size_t n = v.n < (size_t) nd__query_limit(o, 12) ? v.n : (size_t) nd__query_limit(o, 12);
    for (size_t i = 0; i < n && !rc; i++) rc = fill_brief(s, res, &items[i], with_quotes, err);
    if (rc) goto fail;
    res->items = items;
    res->n = n;
    *out = res;
    return 0;
fail:
    nd_result_free(res);
    return rc;
}
