/* test_analysis_store.c - the analysis in the store (schema 4): stored with
 * a page and its embedded articles, read back exactly, replaced, and
 * queried (quotes, actors, timelines, relations, events); actor ids after
 * rollbacks; a store from before the analysis migrated and reanalysed.
 *
 * The analyses here are built by hand (nd_analysis is a plain struct), so
 * that the store is tested apart from the analysis engine's rules; only
 * the reanalyze test runs the engine. */
#include <sqlite3.h>
#include <unistd.h>

#include "newsdesk/newsdesk.h"
#include "store/store_int.h"
#include "store_test.h"
#include "tap.h"

/* ---- a hand-made article and its analysis ------------------------------------ */

static const char P1[] = "Russian President Vladimir Putin met Xi Jinping in Moscow on Thursday. "
                         "\"We are true friends,\" Xi said.";
static const char P2[] = "China and Russia signed a trade deal. Russia later praised China.";

typedef struct fixture {
    char text[512];
    size_t len;
    nd_actor actors[4];
    nd_mention mentions[8];
    nd_span content[1];
    nd_quote quotes[1];
    nd_event events[3];
    nd_event_mention deal[2]; /* the deal is reported twice */
    nd_analysis a;
} fixture;

static nd_span find(const fixture *f, const char *needle, int nth)
{
    const char *p = f->text;
    for (int i = 0; i <= nth && p; i++) {
        p = strstr(i ? p + 1 : p, needle);
    }
    if (!p) return (nd_span){0, 0};
    uint32_t s = (uint32_t) (p - f->text);
    return (nd_span){s, s + (uint32_t) strlen(needle)};
}

static void actor(nd_actor *x, const char *name, const char *code, const char *country,
                  const char *role, int kind)
{
    memset(x, 0, sizeof *x);
    x->name = name;
    x->code = code;
    x->country = country;
    x->role = role;
    x->kind = kind;
    x->in_dict = 1;
}

static void event(fixture *f, int i, int src, int tgt, const char *code, const char *date,
                  const char *sentence, const char *verb)
{
    nd_event *e = &f->events[i];
    memset(e, 0, sizeof *e);
    e->source = src;
    e->target = tgt;
    e->source_code = f->actors[src].code;
    e->target_code = f->actors[tgt].code;
    snprintf(e->code, sizeof e->code, "%s", code);
    nd_cameo_lookup(nd_analyze_dict_default(NULL), code, &e->code_name, &e->goldstein, &e->quad);
    e->sentence = find(f, sentence, 0);
    e->verb = find(f, verb, 0);
    e->date = date;
    e->sentence_index = (uint32_t) i;
}

/* Putin, Xi, China, Russia; Xi's quotation; three events: a meeting on
 * 2025-05-08, a deal on 2024-12-30 (ISO week 2025-W01) and an undated
 * praise, all between Russia and China. */
static void make_fixture(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->len = (size_t) snprintf(f->text, sizeof f->text, "%s\n\n%s", P1, P2);
    actor(&f->actors[0], "Vladimir Putin", "RUSGOV", "RUS", "president", ND_ACTOR_PERSON);
    actor(&f->actors[1], "Xi Jinping", "CHNGOV", "CHN", "president", ND_ACTOR_PERSON);
    actor(&f->actors[2], "China", "CHN", "CHN", NULL, ND_ACTOR_COUNTRY);
    actor(&f->actors[3], "Russia", "RUS", "RUS", NULL, ND_ACTOR_COUNTRY);
    struct {
        const char *s;
        int nth, actor, sentence, how;
    } m[] = {{"Vladimir Putin", 0, 0, 0, ND_MENTION_NAME},
             {"Xi Jinping", 0, 1, 0, ND_MENTION_NAME},
             {"Xi", 1, 1, 1, ND_MENTION_ALIAS},
             {"China", 0, 2, 2, ND_MENTION_NAME},
             {"Russia", 1, 3, 2, ND_MENTION_NAME},
             {"Russia", 2, 3, 3, ND_MENTION_NAME},
             {"China", 1, 2, 3, ND_MENTION_NAME}};
    size_t n = sizeof m / sizeof *m;
    for (size_t i = 0; i < n; i++) {
        f->mentions[i].span = find(f, m[i].s, m[i].nth);
        f->mentions[i].actor = m[i].actor;
        f->mentions[i].sentence = (uint32_t) m[i].sentence;
        f->mentions[i].how = m[i].how;
        if (!f->actors[m[i].actor].n_mentions) f->actors[m[i].actor].first_mention = (uint32_t) i;
        f->actors[m[i].actor].n_mentions++;
    }
    f->content[0] = find(f, "\"We are true friends,\"", 0);
    nd_quote *q = &f->quotes[0];
    q->type = ND_QUOTE_DIRECT;
    q->text = "We are true friends,";
    q->content = f->content;
    q->n_content = 1;
    q->source = find(f, "Xi", 1);
    q->cue = find(f, "said", 0);
    q->cue_lemma = "say";
    q->speaker = 1;
    q->speaker_name = "Xi Jinping";
    q->sentence = 1;
    event(f, 0, 0, 1, "040", "2025-05-08", "Russian President", "met");
    f->events[0].sentence.end = find(f, "Thursday.", 0).end;
    event(f, 1, 2, 3, "057", "2024-12-30", "China and Russia signed a trade deal.", "signed");
    event(f, 2, 3, 2, "051", NULL, "Russia later praised China.", "praised");
    f->deal[0] = (nd_event_mention){f->events[1].sentence, f->events[1].verb, 1};
    f->deal[1] =
        (nd_event_mention){find(f, "Russia later praised China.", 0), find(f, "later", 0), 2};
    f->events[1].mentions = f->deal;
    f->events[1].n_mentions = 2;
    nd_analysis *a = &f->a;
    a->actors = f->actors;
    a->n_actors = 4;
    a->mentions = f->mentions;
    a->n_mentions = n;
    a->quotes = f->quotes;
    a->n_quotes = 1;
    a->events = f->events;
    a->n_events = 3;
    a->text_len = f->len;
    a->date = "2025-05-08";
}

static nd_article *make_article(const fixture *f, const char *title, const char *published,
                                const nd_related *rel, size_t n_rel)
{
    nd_article *a = nd_calloc(1, sizeof *a);
    a->arena = nd_arena_new(4096);
    a->published_ts = ND_TIME_NONE;
    a->title = title;
    a->published = published;
    a->language = "en";
    a->text = f->text;
    a->text_len = f->len;
    a->paragraphs = nd_arena_calloc(a->arena, 2, sizeof(char *));
    a->paragraphs[0] = P1;
    a->paragraphs[1] = P2;
    a->n_paragraphs = 2;
    a->related = (nd_related *) rel;
    a->n_related = n_rel;
    return a;
}

static int add(nd_store *s, nd_article *a, const char *url, uint64_t raw, const nd_analysis *an,
               const nd_analysis *const *rel, nd_store_added *res)
{
    nd_store_page p = {0};
    p.article = a;
    p.url = url;
    p.raw_hash = raw;
    p.fetched = ND_TIME_NONE;
    p.origin.source = "fixture.html";
    p.origin.offset = -1;
    p.origin.line = -1;
    p.analysis = an;
    p.related_analyses = rel;
    nd_error err = {0};
    int rc = nd_store_add_page(s, &p, res, &err);
    if (rc) fprintf(stderr, "add_page: %s\n", err.msg);
    return rc;
}

static char *json_of(const nd_analysis *a)
{
    nd_buf b = ND_BUF_INIT;
    nd_json j;
    nd_json_init(&j, &b, 0);
    nd_json_obj_begin(&j);
    nd_analysis_to_json(a, &j);
    nd_json_obj_end(&j);
    return nd_buf_detach(&b, NULL);
}

/* The number the query gives on the store file at path. */
static long long count_at(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* The same on the main test store (an.db). */
static long long count(nd_store *s, const char *sql)
{
    (void) s;
    return count_at(tmp_path("an.db"), sql);
}

/* ---- tests --------------------------------------------------------------------- */

static fixture F;
static nd_store *S;
static int64_t DOC, CHILD;

/* The page with its analysis, and an embedded article with its own. */
static void test_store_and_load(void)
{
    make_fixture(&F);
    S = fresh("an.db");
    if (!S) return;
    static fixture R;
    make_fixture(&R);
    char embedded[600];
    snprintf(embedded, sizeof embedded, "  %s  ", R.text);
    nd_related rel = {"Trade deal signed", "Other Outlet", NULL, "2025-05-09", NULL, embedded};
    const nd_analysis *rel_an[1] = {&R.a};
    nd_article *a = make_article(&F, "Putin meets Xi", "2025-05-08T10:00:00Z", &rel, 1);
    nd_store_added res;
    CHECK_INT(add(S, a, "https://news.example/xi", 11, &F.a, rel_an, &res), 0);
    CHECK_INT(res.outcome, ND_STORE_ADDED);
    CHECK_INT((int) res.related_added, 1);
    DOC = res.doc_id;

    nd_store_doc *d = NULL;
    nd_error err = {0};
    CHECK_INT(nd_store_get_id(S, DOC, &d, &err), 0);
    if (!d) return;
    CHECK(d->analysis == NULL);
    CHECK_INT(nd_store_load_analysis(S, d, &err), 0);
    CHECK(d->analysis != NULL);
    if (d->analysis) {
        char *want = json_of(&F.a), *got = json_of(d->analysis);
        CHECK_STR(got, want);
        CHECK_STR(d->analysis->date, "2025-05-08");
        nd_free(want);
        nd_free(got);
    }
    CHILD = d->n_related ? d->related[0].doc_id : 0;
    nd_store_doc_free(d);

    /* The embedded article's analysis is with its document (offsets into
     * its trimmed text, which is R's). */
    CHECK(CHILD > 0);
    CHECK_INT(nd_store_get_id(S, CHILD, &d, &err), 0);
    if (d) {
        CHECK_INT(nd_store_load_analysis(S, d, &err), 0);
        CHECK(d->analysis && d->analysis->n_events == 3 && d->analysis->n_quotes == 1);
        nd_store_doc_free(d);
    }
    CHECK_INT(count(S, "SELECT count(*) FROM actors"), 4);

    /* The same embedded article on another page is linked, not stored or
     * analysed again. */
    nd_article *b = make_article(&F, "Putin meets Xi (copy)", NULL, &rel, 1);
    CHECK_INT(add(S, b, "https://mirror.example/xi", 12, &F.a, rel_an, &res), 0);
    CHECK_INT((int) res.related_added, 0);
    CHECK_INT(count(S, "SELECT count(*) FROM events"), 9);
    /* One event across the three documents when its dyad, root and day
     * agree; an undated one is an event of each document. */
    CHECK_INT(count(S, "SELECT count(*) FROM event_instances"), 5);
    CHECK_INT(count(S, "SELECT count(DISTINCT instance_id) FROM events WHERE code = '040'"), 1);
    CHECK_INT(count(S, "SELECT count(DISTINCT instance_id) FROM events WHERE code = '051'"), 3);
    CHECK_INT(count(S, "SELECT count(*) FROM events WHERE instance_id IS NULL"), 0);
    CHECK_INT(count(S, "SELECT sum(n_mentions) FROM events WHERE code = '057'"), 6);
    nd_arena_free(b->arena);
    nd_free(b);
    nd_arena_free(a->arena);
    nd_free(a);
}

/* Replacing an analysis leaves one copy; a missing document is refused;
 * a document never analysed has none. */
static void test_replace(void)
{
    if (!S) return;
    nd_error err = {0};
    long long m = count(S, "SELECT count(*) FROM mentions"),
              q = count(S, "SELECT count(*) FROM quotes");
    CHECK_INT(nd_store_set_analysis(S, DOC, &F.a, &err), 0);
    CHECK_INT(nd_store_set_analysis(S, DOC, &F.a, &err), 0);
    CHECK_INT(count(S, "SELECT count(*) FROM mentions"), m);
    CHECK_INT(count(S, "SELECT count(*) FROM quotes"), q);
    CHECK_INT(count(S, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'friends'"), q);
    CHECK_INT(nd_store_set_analysis(S, 99999, &F.a, &err), ND_ENOTFOUND);

    nd_article *a = make_article(&F, "Unanalysed", NULL, NULL, 0);
    nd_store_added res;
    CHECK_INT(add(S, a, "https://news.example/plain", 13, NULL, NULL, &res), 0);
    nd_arena_free(a->arena);
    nd_free(a);
    nd_store_doc *d = NULL;
    CHECK_INT(nd_store_get_id(S, res.doc_id, &d, &err), 0);
    if (d) {
        CHECK_INT(nd_store_load_analysis(S, d, &err), 0);
        CHECK(d->analysis == NULL);
        nd_store_doc_free(d);
    }
    uint64_t docs = 0, done = 0;
    CHECK_INT(nd_store_analysis_count(S, &docs, &done, &err), 0);
    CHECK_INT((int) docs, 4);
    CHECK_INT((int) done, 3);
    int64_t ids[8];
    size_t n = 0;
    CHECK_INT(nd_store_analysis_todo(S, 0, 0, ids, 8, &n, &err), 0);
    CHECK_INT((int) n, 1);
    CHECK(n == 1 && ids[0] == res.doc_id);
    CHECK_INT(nd_store_analysis_todo(S, 0, 1, ids, 8, &n, &err), 0);
    CHECK_INT((int) n, 4);
}

static int quotes(const char *by, const char *about, const char *since, int exact, int *rc)
{
    nd_query_opts q = {0};
    q.actor = by;
    q.text = about;
    q.since = since;
    q.exact_actor = exact;
    nd_error err = {0};
    nd_quote_list *r = NULL;
    *rc = nd_query_quotes(S, &q, &r, &err);
    if (*rc) return 0;
    for (size_t i = 0; i < r->n; i++) {
        CHECK_STR(r->items[i].speaker, "Xi Jinping");
        CHECK_STR(r->items[i].type, "direct");
        CHECK_STR(r->items[i].text, "We are true friends,");
    }
    int n = (int) r->n;
    nd_result_free(r);
    return n;
}

static void test_quotes(void)
{
    if (!S) return;
    int rc;
    /* Three documents hold Xi's quotation (page, copy, embedded); the
     * copy of the page is another page, not another version. */
    CHECK_INT(quotes(NULL, NULL, NULL, 0, &rc), 3);
    CHECK_INT(quotes("Xi Jinping", NULL, NULL, 0, &rc), 3);
    CHECK_INT(quotes("xi", NULL, NULL, 0, &rc), 3);
    CHECK_INT(quotes("CHNGOV", NULL, NULL, 0, &rc), 3);
    CHECK_INT(quotes("CHN", NULL, NULL, 0, &rc), 3);
    CHECK_INT(quotes("China", NULL, NULL, 0, &rc), 3); /* its code: Chinese actors */
    CHECK_INT(quotes("China", NULL, NULL, 1, &rc), 0); /* China itself said nothing */
    CHECK_INT(rc, 0);
    CHECK_INT(quotes("Vladimir Putin", NULL, NULL, 0, &rc), 0);
    CHECK_INT(rc, 0);
    CHECK_INT(quotes("Nobody Known", NULL, NULL, 0, &rc), 0);
    CHECK_INT(rc, ND_ENOTFOUND);
    CHECK_INT(quotes(NULL, "friend", NULL, 0, &rc), 3); /* porter: friends */
    CHECK_INT(quotes("Xi", "enemies", NULL, 0, &rc), 0);
    CHECK_INT(quotes(NULL, "\"unterminated", NULL, 0, &rc), 0);
    CHECK_INT(rc, ND_EPARSE);
    /* Dated documents: the page (2025-05-08) and the embedded article
     * (2025-05-09); the copy has no date. */
    CHECK_INT(quotes(NULL, NULL, "2025-05-08", 0, &rc), 2);
    CHECK_INT(quotes(NULL, NULL, "2025-05-09", 0, &rc), 1);
    CHECK_INT(quotes(NULL, NULL, "not a date", 0, &rc), 0);
    CHECK_INT(rc, ND_EPARSE);
}

typedef struct periods {
    char names[8][32];
    uint64_t events[8], docs[8];
    double g[8];
    int n;
} periods;

static void add_period(periods *x, const nd_period *p)
{
    if (x->n < 8) {
        snprintf(x->names[x->n], 32, "%s", p->period);
        x->events[x->n] = p->events;
        x->docs[x->n] = p->documents;
        x->g[x->n] = p->goldstein;
        x->n++;
    }
}

static periods relations(const char *a, const char *b, const char *by, int *rc)
{
    periods x;
    memset(&x, 0, sizeof x);
    nd_query_opts q = {0};
    q.actor = a;
    q.actor_b = b;
    q.period = by;
    nd_error err = {0};
    nd_relations_page *r = NULL;
    *rc = nd_query_relations(S, &q, &r, &err);
    for (size_t i = 0; r && i < r->n_periods; i++) add_period(&x, &r->periods[i]);
    nd_result_free(r);
    return x;
}

/* Events of q: n[0] all, n[1] in a lead paragraph, n[2] with the deal's
 * sentence. */
static int lead_count(const nd_query_opts *q, int n[3])
{
    nd_error err = {0};
    nd_event_list *r = NULL;
    int rc = nd_query_events(S, q, &r, &err);
    for (size_t i = 0; r && i < r->n; i++) {
        const nd_event_row *e = &r->items[i];
        n[0]++;
        n[1] += e->lead;
        if (e->sentence_text && !strcmp(e->sentence_text, "China and Russia signed a trade deal."))
            n[2]++;
    }
    nd_result_free(r);
    return rc;
}

static void test_relations(void)
{
    if (!S) return;
    int rc;
    periods p = relations("RUS", "CHN", "month", &rc);
    CHECK_INT(rc, 0);
    /* Three documents report the same three events.  The meeting
     * (2025-05-08) and the deal (2024-12-30) are one event each however
     * many documents report them; the praise has no date of its own, so
     * each document's is an event of its own, on its document's day: the
     * page's (2025-05-08), the embedded article's (2025-05-09), the copy
     * has none. */
    CHECK_INT(p.n, 3);
    CHECK_STR(p.names[0], "2024-12");
    CHECK_STR(p.names[1], "2025-05");
    CHECK_STR(p.names[2], "undated");
    CHECK_INT((int) p.events[0], 1);
    CHECK_INT((int) p.events[1], 3);
    CHECK_INT((int) p.events[2], 1);
    CHECK(p.g[0] == F.events[1].goldstein);
    double mean = (F.events[0].goldstein + 2 * F.events[2].goldstein) / 3;
    CHECK(p.g[1] > mean - 1e-9 && p.g[1] < mean + 1e-9);
    {
        nd_query_opts q = {0};
        q.actor = "RUS";
        q.actor_b = "CHN";
        q.period = "month";
        q.with_sentence = 1;
        nd_error err = {0};
        nd_relations_page *r = NULL;
        CHECK_INT(nd_query_relations(S, &q, &r, &err), 0);
        if (r) {
            CHECK_INT((int) r->events, 5);
            CHECK_INT((int) r->reports, 9);
            CHECK_INT((int) r->n, 5);
            unsigned most = 0, meeting = 0;
            for (size_t i = 0; i < r->n; i++) {
                if (r->items[i].reports > most) most = r->items[i].reports;
                if (!strcmp(r->items[i].code, "040")) meeting = r->items[i].reports;
            }
            CHECK_INT((int) most, 3);
            CHECK_INT((int) meeting, 3);
        }
        nd_result_free(r);
    }
    p = relations("CHN", "RUS", "week", &rc);
    CHECK_STR(p.names[0], "2025-W01"); /* 2024-12-30 is in ISO week 1 of 2025 */
    CHECK_STR(p.names[1], "2025-W19");
    p = relations("Russia", "China", "year", &rc);
    CHECK_STR(p.names[0], "2024");
    CHECK_STR(p.names[1], "2025");
    CHECK_INT(p.n, 3);
    p = relations("Putin", "Xi Jinping", "day", &rc);
    CHECK_INT(p.n, 1);
    CHECK_STR(p.names[0], "2025-05-08");
    /* A country's name means its code: Xi (CHNGOV) is China here. */
    p = relations("Putin", "China", "month", &rc);
    CHECK_INT(p.n, 1);
    CHECK_INT((int) p.events[0], 1); /* one meeting, reported three times */
    p = relations("Putin", "Putin", "month", &rc);
    CHECK_INT(p.n, 0);
    relations("RUS", "CHN", "fortnight", &rc);
    CHECK_INT(rc, ND_EINVAL);
    relations("RUS", "Atlantis", "month", &rc);
    CHECK_INT(rc, ND_ENOTFOUND);

    /* Events: the meeting is in the lead paragraph, the deal is not. */
    nd_query_opts q = {0};
    q.actor = "RUS";
    q.with_sentence = 1;
    int n[3] = {0, 0, 0};
    CHECK_INT(lead_count(&q, n), 0);
    CHECK_INT(n[0], 9);
    CHECK_INT(n[1], 3);
    CHECK_INT(n[2], 3);
    q.since = "2025-01-01";
    memset(n, 0, sizeof n);
    CHECK_INT(lead_count(&q, n), 0);
    CHECK_INT(n[0], 5);
}

static void add_actors(periods *x, const nd_actor_row *a, size_t n)
{
    for (size_t i = 0; i < n && x->n < 8; i++, x->n++) {
        snprintf(x->names[x->n], 32, "%s", a[i].name);
        x->docs[x->n] = a[i].documents;
        x->events[x->n] = a[i].mentions;
    }
}

/* The actor page of name: its actors (or peers) into x. */
static int actor_page(nd_store *s, const char *name, int peers, periods *x)
{
    memset(x, 0, sizeof *x);
    nd_query_opts q = {0};
    q.period = "month";
    nd_error err = {0};
    nd_actor_page *p = NULL;
    int rc = nd_query_actor(s, name, &q, &p, &err);
    if (p && peers)
        add_actors(x, p->peers, p->n_peers);
    else if (p)
        add_actors(x, p->actors, p->n_actors);
    nd_result_free(p);
    return rc;
}

static void test_actors(void)
{
    if (!S) return;
    periods x;
    memset(&x, 0, sizeof x);
    nd_error err = {0};
    nd_query_opts q = {0};
    q.limit = 2;
    nd_actor_list *top = NULL;
    CHECK_INT(nd_query_actors(S, &q, &top, &err), 0);
    if (top) add_actors(&x, top->items, top->n);
    nd_result_free(top);
    CHECK_INT(x.n, 2);
    /* Everyone is in the 3 analysed documents; China, Russia and Xi have 6
     * mentions, Putin 3; ties go by name. */
    CHECK_STR(x.names[0], "China");
    CHECK_INT((int) x.docs[0], 3);
    CHECK_INT((int) x.events[0], 6);
    CHECK_INT(actor_page(S, "putin", 0, &x), 0);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.names[0], "Vladimir Putin");
    CHECK_INT(actor_page(S, "Atlantis", 0, &x), ND_ENOTFOUND);
    /* An actor's events are counted once however many documents report
     * them: Putin's meeting is in three documents; China (the country
     * itself, not Xi) has the deal and three undated praises, an event of
     * their own each. */
    {
        static const struct {
            const char *name;
            int events, reports;
        } want[] = {{"Putin", 1, 3}, {"China", 4, 6}};
        for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
            nd_query_opts o = {0};
            o.period = "month";
            nd_actor_page *p = NULL;
            CHECK_INT(nd_query_actor(S, want[i].name, &o, &p, &err), 0);
            if (!p) continue;
            CHECK_INT((int) p->events, want[i].events);
            CHECK_INT((int) p->event_reports, want[i].reports);
            CHECK_INT((int) p->events_over, 0);
            nd_result_free(p);
        }
    }
    CHECK_INT(actor_page(S, "Vladimir Putin", 1, &x), 0);
    CHECK_INT(x.n, 3);
    memset(&x, 0, sizeof x);
    nd_query_opts tq = {0};
    nd_actor_page *p = NULL;
    CHECK_INT(nd_query_actor(S, "Xi Jinping", &tq, &p, &err), 0);
    for (size_t i = 0; p && i < p->n_timeline; i++) add_period(&x, &p->timeline[i]);
    nd_result_free(p);
    CHECK_INT(x.n, 2);
    CHECK_STR(x.names[0], "2025-05");
    CHECK_INT((int) x.docs[0], 2);
    CHECK_STR(x.names[1], "undated");
}

/* Actor ids remembered by the connection must not outlive a rollback. */
static void test_rollback(void)
{
    if (!S) return;
    static fixture G;
    make_fixture(&G);
    G.actors[1].name = "Zed Newman";
    G.quotes[0].speaker_name = "Zed Newman";
    nd_article *a = make_article(&G, "Newman", NULL, NULL, 0);
    nd_error err = {0};
    nd_store_added res;
    CHECK_INT(nd_store_begin(S, &err), 0);
    CHECK_INT(add(S, a, "https://news.example/newman", 21, &G.a, NULL, &res), 0);
    nd_store_rollback(S);
    CHECK_INT(add(S, a, "https://news.example/newman", 22, &G.a, NULL, &res), 0);
    CHECK_INT(count(S, "SELECT count(*) FROM mentions m LEFT JOIN actors a ON a.id = m.actor_id"
                       " WHERE a.id IS NULL"),
              0);
    CHECK_INT(count(S, "SELECT count(*) FROM quotes q LEFT JOIN actors a ON a.id = q.speaker_id"
                       " WHERE a.id IS NULL"),
              0);
    CHECK_INT(count(S, "SELECT count(*) FROM actors WHERE name = 'Zed Newman'"), 1);
    nd_arena_free(a->arena);
    nd_free(a);
    nd_store_close(S);
    S = NULL;
}

/* The writer's statement that finds an actor by name and code (traced). */
static char g_find_sql[256];

static int on_find_sql(unsigned type, void *ctx, void *p, void *x)
{
    (void) type;
    (void) ctx;
    (void) x;
    const char *sql = sqlite3_sql(p);
    if (sql && strstr(sql, "FROM actors WHERE name"))
        snprintf(g_find_sql, sizeof g_find_sql, "%s", sql);
    return 0;
}

/* The words of actors' names (actor_names, schema step 13), stored at the
 * commit: who a name means by whole words ("Putin") with the words cut
 * as they always were - runs of ASCII letters and digits, lower case; a
 * non-ASCII byte or a hyphen between two runs makes two words, digits are
 * part of a word.  A rolled-back transaction's actors are not in the
 * index, and a later one's are, once each. */
static void test_actor_words(void)
{
    static fixture G;
    nd_store *w = fresh("words.db");
    if (!w) return;
    make_fixture(&G);
    nd_article *a = make_article(&G, "Words", NULL, NULL, 0);
    nd_error err = {0};
    nd_store_added res;
    G.actors[0].name = "Ghost Writer";
    G.actors[1].name = "Ghost Speaker";
    G.quotes[0].speaker_name = "Ghost Speaker";
    CHECK_INT(nd_store_begin(w, &err), 0);
    CHECK_INT(add(w, a, "https://news.example/w/1", 31, &G.a, NULL, &res), 0);
    nd_store_rollback(w);
    /* a transaction of two pages */
    G.actors[0].name = "Zo\xc3\xab Ball";
    G.actors[1].name = "Jean-Luc Picard";
    G.quotes[0].speaker_name = "Jean-Luc Picard";
    CHECK_INT(nd_store_begin(w, &err), 0);
    sqlite3_trace_v2(w->db, SQLITE_TRACE_STMT, on_find_sql, NULL);
    CHECK_INT(add(w, a, "https://news.example/w/2", 32, &G.a, NULL, &res), 0);
    sqlite3_trace_v2(w->db, 0, NULL, NULL);
    G.actors[0].name = "Area51 Group";
    G.actors[1].name = "McDONALD Farms Farms";
    G.quotes[0].speaker_name = "McDONALD Farms Farms";
    CHECK_INT(add(w, a, "https://news.example/w/3", 33, &G.a, NULL, &res), 0);
    CHECK_INT(nd_store_commit(w, &err), 0);
    /* a page alone (its own transaction) */
    G.actors[0].name = "N\xc3\xb8rd Stream2 Pipeline";
    G.actors[1].name = "Ghost Writer";
    G.quotes[0].speaker_name = "Ghost Writer";
    CHECK_INT(add(w, a, "https://news.example/w/4", 34, &G.a, NULL, &res), 0);
    static const struct {
        const char *ask, *want; /* want NULL: no actor */
    } q[] = {
        {"ball", "Zo\xc3\xab Ball"},
        {"zo", "Zo\xc3\xab Ball"}, /* the byte after "Zo" ends the word */
        {"ZO", "Zo\xc3\xab Ball"},
        {"zoe", NULL},
        {"luc", "Jean-Luc Picard"},
        {"Jean", "Jean-Luc Picard"},
        {"luc picard", "Jean-Luc Picard"},
        {"area51", "Area51 Group"},
        {"AREA51 group", "Area51 Group"},
        {"area", NULL},
        {"51", NULL},
        {"mcdonald", "McDONALD Farms Farms"},
        {"farms", "McDONALD Farms Farms"},
        {"rd stream2", "N\xc3\xb8rd Stream2 Pipeline"},
        {"n", "N\xc3\xb8rd Stream2 Pipeline"},
        {"stream", NULL},
        {"ghost", "Ghost Writer"}, /* the rolled-back Ghost Speaker is not there */
    };
    for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
        periods x;
        int rc = actor_page(w, q[i].ask, 0, &x);
        if (q[i].want) {
            CHECK_INT(rc, 0);
            CHECK_INT(x.n, 1);
            if (x.n) CHECK_STR(x.names[0], q[i].want);
        } else {
            CHECK_INT(rc, ND_ENOTFOUND);
        }
        if ((q[i].want != NULL) != (rc == 0) || (x.n && q[i].want && strcmp(x.names[0], q[i].want)))
            fprintf(stderr, "  who '%s': %d actors, rc %d\n", q[i].ask, x.n, rc);
    }
    /* the writer finds an actor on the one name index (name, case
     * folded, then as it is, then code), not by a scan */
    CHECK(g_find_sql[0] != 0);
    {
        sqlite3 *db;
        sqlite3_stmt *st = NULL;
        char plan[512] = "", *eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", g_find_sql);
        CHECK_INT(sqlite3_open(tmp_path("words.db"), &db), SQLITE_OK);
        CHECK_INT(sqlite3_prepare_v2(db, eqp, -1, &st, NULL), SQLITE_OK);
        while (st && sqlite3_step(st) == SQLITE_ROW)
            snprintf(plan + strlen(plan), sizeof plan - strlen(plan), "%s; ",
                     (const char *) sqlite3_column_text(st, 3));
        sqlite3_finalize(st);
        sqlite3_free(eqp);
        sqlite3_close(db);
        if (!strstr(plan, "actors_name (name=? AND name=? AND code=?)"))
            fprintf(stderr, "  %s: %s\n", g_find_sql, plan);
        CHECK(strstr(plan, "actors_name (name=? AND name=? AND code=?)") != NULL);
    }
    /* every actor's words, once each; none of the rolled-back one's */
    CHECK_INT((int) actor_names_differ(tmp_path("words.db")), 0);
    CHECK_INT(count_at(tmp_path("words.db"), "SELECT count(*) FROM actors"), 8);
    nd_store_close(w);
    nd_arena_free(a->arena);
    nd_free(a);
}

/* A store from before the analysis (schema 3) with a document: opening
 * migrates it, the document has no analysis, reanalyze gives it one. */
static void test_migrate_reanalyze(void)
{
    const char *path = tmp_path("v3.db");
    unlink(path);
    nd_error err = {0};
    CHECK_INT(nd__store_create_at(path, 3, &err), 0);
    sqlite3 *db;
    sqlite3_open(path, &db);
    CHECK_INT(sqlite3_exec(db,
                           "INSERT INTO documents(ident, url, title, text, content_hash, added,"
                           " published, language) VALUES ('u', 'https://example.org/a',"
                           " 'Summit', 'Russian President Vladimir Putin met Chinese President"
                           " Xi Jinping in Moscow on Thursday.', 1, '2025-05-09', '2025-05-09',"
                           " 'en')",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    nd_store *s = NULL;
    CHECK_INT(nd_store_open(path, 0, &s, &err), 0);
    if (!s) return;
    CHECK_INT(nd_store_schema_version(s), ND_STORE_SCHEMA);
    uint64_t docs = 0, done = 0;
    CHECK_INT(nd_store_analysis_count(s, &docs, &done, &err), 0);
    CHECK_INT((int) docs, 1);
    CHECK_INT((int) done, 0);
    nd_store_close(s);
    nd_reanalyze_opts o;
    nd_reanalyze_opts_init(&o);
    o.threads = 2;
    uint64_t n = 0;
    CHECK_INT(nd_reanalyze(path, &o, &n, &err), 0);
    CHECK_INT((int) n, 1);
    CHECK_INT(nd_reanalyze(path, &o, &n, &err), 0);
    CHECK_INT((int) n, 0);
    o.all = 1;
    CHECK_INT(nd_reanalyze(path, &o, &n, &err), 0);
    CHECK_INT((int) n, 1);
    CHECK_INT(nd_store_open(path, 0, &s, &err), 0);
    if (!s) return;
    CHECK_INT(nd_store_analysis_count(s, &docs, &done, &err), 0);
    CHECK_INT((int) done, 1);
    periods x;
    CHECK_INT(actor_page(s, "Putin", 0, &x), 0);
    CHECK_INT(x.n, 1);
    nd_store_close(s);
    CHECK(nd_reanalyze(tmp_path("missing.db"), &o, &n, &err) < 0);
}

/* A store of schema 4 with events: opening gives every event an
 * instance, shared by dated events of one dyad, root and day. */
static void test_migrate_events(void)
{
    const char *path = tmp_path("v4.db");
    unlink(path);
    nd_error err = {0};
    CHECK_INT(nd__store_create_at(path, 4, &err), 0);
    sqlite3 *db;
    sqlite3_open(path, &db);
    CHECK_INT(sqlite3_exec(db,
                           "INSERT INTO events(doc_id, idx, source_code, target_code, code, date,"
                           " sentence_start, sentence_end) VALUES"
                           " (1, 0, 'RUS', 'CHN', '040', '2025-05-08', 0, 10),"
                           " (2, 0, 'RUS', 'CHN', '043', '2025-05-08', 0, 10),"
                           " (2, 1, 'RUS', 'CHN', '043', '2025-05-09', 20, 30),"
                           " (3, 0, 'RUS', 'CHN', '051', NULL, 0, 10),"
                           " (4, 0, 'RUS', 'CHN', '051', NULL, 0, 10)",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    nd_store *s = NULL;
    CHECK_INT(nd_store_open(path, 0, &s, &err), 0);
    if (!s) return;
    CHECK_INT(nd_store_schema_version(s), ND_STORE_SCHEMA);
    CHECK_INT(count_at(path, "SELECT count(*) FROM event_instances"), 4);
    CHECK_INT(
        count_at(path, "SELECT count(DISTINCT instance_id) FROM events WHERE date = '2025-05-08'"),
        1);
    CHECK_INT(count_at(path, "SELECT count(DISTINCT instance_id) FROM events WHERE date IS NULL"),
              2);
    CHECK_INT(count_at(path, "SELECT count(*) FROM events e JOIN event_instances i ON i.id ="
                             " e.instance_id AND i.source_code = e.source_code"
                             " AND i.root = substr(e.code, 1, 2)"),
              5);
    CHECK_INT(count_at(path, "SELECT count(*) FROM event_instances WHERE key LIKE '#%'"), 0);
    nd_store_close(s);
}

/* Writes of actor_stats rows (the update hook: actor_days and code_days
 * are WITHOUT ROWID tables, which it does not report). */
static int g_stats_writes;

static void on_update(void *ctx, int op, const char *db, const char *table, sqlite3_int64 row)
{
    (void) ctx;
    (void) op;
    (void) db;
    (void) row;
    if (!strcmp(table, "actor_stats")) g_stats_writes++;
}

/* The three totals' rows of the store file at path, as text. */
static char *totals_at(const char *path)
{
    sqlite3 *db;
    nd_buf b = ND_BUF_INIT;
    sqlite3_open(path, &db);
    static const char *const q[] = {"SELECT * FROM actor_stats ORDER BY 1",
                                    "SELECT * FROM actor_days ORDER BY 1, 2",
                                    "SELECT * FROM code_days ORDER BY 1, 2"};
    for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, q[i], -1, &st, NULL) != SQLITE_OK) continue;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *t = sqlite3_column_text(st, c);
                nd_buf_printf(&b, "%s|", t ? (const char *) t : "NULL");
            }
            nd_buf_putc(&b, '\n');
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return nd_buf_detach(&b, NULL);
}

/* The totals of a transaction's documents are summed in memory and each
 * row written once before it commits (not one upsert per document), with
 * the rows one page at a time gives; a page's savepoint rolled back takes
 * its additions back; a document's analysis replaced in the transaction
 * (its totals taken out) reads them written. */
static void test_totals_batched(void)
{
    static fixture G[6];
    static const char *const dates[6] = {
        "2025-05-08T10:00:00Z", "2025-05-07T09:00:00Z", NULL,
        "2025-05-09T23:00:00Z", "2025-05-08T01:00:00Z", "2025-05-06T12:00:00Z"};
    nd_store *t[2] = {fresh("tot1.db"), fresh("tot2.db")};
    if (!t[0] || !t[1]) return;
    nd_article *arts[6];
    for (int i = 0; i < 6; i++) {
        make_fixture(&G[i]);
        if (i % 2) G[i].actors[1].name = "Zed Newman";
        G[i].a.n_mentions -= (size_t) (i % 3); /* other mention counts */
        arts[i] = make_article(&G[i], "Putin meets Xi", dates[i], NULL, 0);
    }
    nd_error err = {0};
    nd_store_added res;
    char url[64];
    /* t[0]: one transaction; t[1]: a transaction a page */
    sqlite3_update_hook(t[0]->db, on_update, NULL);
    CHECK_INT(nd_store_begin(t[0], &err), 0);
    g_stats_writes = 0;
    int64_t doc3 = 0;
    for (int i = 0; i < 6; i++) {
        snprintf(url, sizeof url, "https://news.example/tot/%d", i);
        for (int k = 0; k < 2; k++) {
            CHECK_INT(add(t[k], arts[i], url, 100 + (uint64_t) i, &G[i].a, NULL, &res), 0);
            CHECK_INT(res.outcome, ND_STORE_ADDED);
        }
        if (i == 3) doc3 = res.doc_id;
        if (i == 2) {
            /* a page whose savepoint is rolled back after its analysis */
            CHECK_INT(nd__store_exec(t[0], "SAVEPOINT page", &err), 0);
            nd__store_analysis_mark(t[0]);
            CHECK_INT(nd__store_put_analysis(t[0], 999, &G[1].a, &err), 0);
            sqlite3_exec(t[0]->db, "ROLLBACK TO page", NULL, NULL, NULL);
            sqlite3_exec(t[0]->db, "RELEASE page", NULL, NULL, NULL);
            nd__store_analysis_rolled_back(t[0]);
        }
    }
    /* the writer idle: a few dozen rows wait for more (or the commit) */
    CHECK_INT(nd_store_idle(t[0], &err), 0);
    CHECK_INT(g_stats_writes, 0); /* nothing written before the commit */
    CHECK_INT(nd_store_commit(t[0], &err), 0);
    /* one write per actor: Vladimir Putin, Xi Jinping, Zed Newman, Russia, China */
    CHECK_INT(g_stats_writes, 5);
    char *a0 = totals_at(tmp_path("tot1.db")), *a1 = totals_at(tmp_path("tot2.db"));
    CHECK(a0 && a1 && strlen(a0) > 100);
    CHECK_STR(a0, a1);
    nd_free(a0);
    nd_free(a1);
    /* a replaced analysis in a transaction with unwritten totals */
    CHECK_INT(nd_store_begin(t[0], &err), 0);
    snprintf(url, sizeof url, "https://news.example/tot/%d", 6);
    for (int k = 0; k < 2; k++) {
        CHECK_INT(add(t[k], arts[5], url, 106, &G[0].a, NULL, &res), 0);
        CHECK_INT(nd_store_set_analysis(t[k], doc3, &G[4].a, &err), 0);
    }
    CHECK_INT(nd_store_commit(t[0], &err), 0);
    a0 = totals_at(tmp_path("tot1.db"));
    a1 = totals_at(tmp_path("tot2.db"));
    CHECK(a0 && a1);
    if (a0 && a1) CHECK_STR(a0, a1);
    nd_free(a0);
    nd_free(a1);
    for (int i = 0; i < 6; i++) {
        nd_arena_free(arts[i]->arena);
        nd_free(arts[i]);
    }
    nd_store_close(t[0]);
    nd_store_close(t[1]);
}

int main(void)
{
    if (tmpdir_make("nd_an_store")) return 1;
    RUN(test_store_and_load);
    RUN(test_replace);
    RUN(test_quotes);
    RUN(test_relations);
    RUN(test_actors);
    RUN(test_rollback);
    RUN(test_actor_words);
    RUN(test_totals_batched);
    RUN(test_migrate_reanalyze);
    RUN(test_migrate_events);
    tmpdir_remove();
    return tap_done();
}
