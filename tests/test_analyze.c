/* test_analyze.c - sentences, actors, quotations, events (newsdesk/analyze.h).
 * The texts are written for these tests. */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/analyze_int.h"
#include "newsdesk/analyze.h"
#include "tap.h"

static nd_analysis *run(const char *text, const char *date)
{
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.date = date;
    nd_analysis *a = NULL;
    nd_error err = {0};
    int rc = nd_analyze(text, strlen(text), &o, &a, &err);
    if (rc) fprintf(stderr, "nd_analyze: %s\n", err.msg);
    return a;
}

static const nd_actor *actor_named(const nd_analysis *a, const char *name)
{
    for (size_t i = 0; a && i < a->n_actors; i++)
        if (!strcmp(a->actors[i].name, name)) return &a->actors[i];
    return NULL;
}

/* The text of span s. */
static char *span(const char *text, nd_span s)
{
    static char buf[4][512];
    static int k;
    char *b = buf[k++ & 3];
    size_t n = s.end > s.start ? s.end - s.start : 0;
    if (n > 511) n = 511;
    memcpy(b, text + s.start, n);
    b[n] = 0;
    return b;
}

/* The quotation whose text contains needle. */
static const nd_quote *quote_with(const nd_analysis *a, const char *needle)
{
    for (size_t i = 0; a && i < a->n_quotes; i++)
        if (a->quotes[i].text && strstr(a->quotes[i].text, needle)) return &a->quotes[i];
    return NULL;
}

static const nd_event *event_with(const nd_analysis *a, const char *src, const char *tgt,
                                  const char *code)
{
    for (size_t i = 0; a && i < a->n_events; i++) {
        const nd_event *e = &a->events[i];
        if ((!src || !strncmp(e->source_code, src, strlen(src))) &&
            (!tgt || !strncmp(e->target_code, tgt, strlen(tgt))) &&
            (!code || !strncmp(e->code, code, strlen(code))))
            return e;
    }
    return NULL;
}

/* ---- sentences -------------------------------------------------------------- */

static void test_sentences(void)
{
    const char *t = "Mr. Smith went to Washington on Monday. He met Gen. Jones of the U.S. Army "
                    "and George W. Bush. \"Why?\" he asked. The talks began in the U.S. The next "
                    "day they ended.\n\nA new paragraph starts here";
    nd_analysis *a = run(t, NULL);
    CHECK(a != NULL);
    if (!a) return;
    CHECK_INT(a->n_sentences, 6);
    if (a->n_sentences == 6) {
        CHECK_STR(span(t, a->sentences[0]), "Mr. Smith went to Washington on Monday.");
        CHECK_STR(span(t, a->sentences[1]),
                  "He met Gen. Jones of the U.S. Army and George W. Bush.");
        CHECK_STR(span(t, a->sentences[2]), "\"Why?\" he asked.");
        CHECK_STR(span(t, a->sentences[3]), "The talks began in the U.S.");
        CHECK_STR(span(t, a->sentences[5]), "A new paragraph starts here");
    }
    nd_analysis_free(a);

    /* a quotation that ends with a stop stays with its attribution */
    t = "\"We will never give up!\" the minister said. Then he left.";
    a = run(t, NULL);
    CHECK(a && a->n_sentences == 2);
    nd_analysis_free(a);
}

/* ---- actors ------------------------------------------------------------------- */

static void test_actors_roles(void)
{
    const char *t = "Chinese President Xi Jinping met Russian President Vladimir Putin in "
                    "Moscow on Friday. Mr Xi said the talks were useful. The Chinese leader "
                    "later left for Beijing, where he met Kremlin officials.";
    nd_analysis *a = run(t, "2023-03-24");
    CHECK(a != NULL);
    if (!a) return;
    const nd_actor *xi = actor_named(a, "Xi Jinping");
    const nd_actor *pu = actor_named(a, "Vladimir Putin");
    CHECK(xi != NULL);
    CHECK(pu != NULL);
    if (xi) {
        CHECK_STR(xi->code, "CHNGOV");
        CHECK_STR(xi->kind == ND_ACTOR_PERSON ? "person" : "?", "person");
        /* "Chinese President Xi Jinping", "Mr Xi", "The Chinese leader", "he" */
        CHECK(xi->n_mentions >= 4);
    }
    if (pu) CHECK_STR(pu->code, "RUSGOV");
    const nd_actor *ru = actor_named(a, "Russia");
    CHECK(ru != NULL); /* Moscow */
    int kremlin = 0;
    for (size_t i = 0; i < a->n_actors; i++)
        if (!strcmp(a->actors[i].code, "RUSGOV") && a->actors[i].kind == ND_ACTOR_AGENT)
            kremlin = 1;
    CHECK(kremlin);
    nd_analysis_free(a);
}

/* What a capitalised name's head noun says it names: an event or a
 * document is not an organisation, a place is a place; and "the Kremlin"
 * and "the Russian government" are one actor. */
static void test_actors_kinds(void)
{
    const char *t = "The Peace Agreement was signed after World War II at the Grand Hall. "
                    "Critics of the Ceasefire Agreement protested in Liberty Square. "
                    "The Kremlin said the Russian government would reply.";
    nd_analysis *a = run(t, "2024-05-16");
    CHECK(a != NULL);
    if (!a) return;
    const nd_actor *x = actor_named(a, "Peace Agreement");
    if (x) CHECK_STR(nd_actor_kind_name(x->kind), "other");
    x = actor_named(a, "Ceasefire Agreement");
    if (x) CHECK_STR(nd_actor_kind_name(x->kind), "other");
    x = actor_named(a, "World War II");
    if (x) CHECK_STR(nd_actor_kind_name(x->kind), "other");
    x = actor_named(a, "Liberty Square");
    if (x) CHECK_STR(nd_actor_kind_name(x->kind), "place");
    int orgs = 0, persons = 0, rusgov = 0;
    for (size_t i = 0; i < a->n_actors; i++) {
        orgs += a->actors[i].kind == ND_ACTOR_ORG;
        persons += a->actors[i].kind == ND_ACTOR_PERSON;
        rusgov += !strcmp(a->actors[i].code, "RUSGOV");
    }
    CHECK_INT(orgs, 0);
    CHECK_INT(persons, 0);
    CHECK_INT(rusgov, 1);
    nd_analysis_free(a);
}

static void test_actors_offices_by_date(void)
{
    const char *t = "Ukraine's foreign minister said the offer was a trap.";
    nd_analysis *a = run(t, "2023-01-10");
    const nd_quote *q = quote_with(a, "trap");
    CHECK(q != NULL);
    if (q) CHECK_STR(q->speaker_name, "Dmytro Kuleba");
    nd_analysis_free(a);
    a = run(t, "2025-05-08");
    q = quote_with(a, "trap");
    CHECK(q != NULL);
    if (q) CHECK_STR(q->speaker_name, "Andrii Sybiha");
    if (q && a) CHECK_STR(a->actors[q->speaker].code, "UKRGOV");
    nd_analysis_free(a);

    /* an unknown person takes the code of the role phrase */
    t = "Brazilian Foreign Minister Ana Souza told reporters that the deal was signed. "
        "Souza added that more talks would follow.";
    a = run(t, "2024-01-01");
    const nd_actor *s = actor_named(a, "Ana Souza");
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(s->code, "BRAGOV");
        CHECK(s->n_mentions >= 2);
    }
    q = quote_with(a, "more talks");
    CHECK(q && q->speaker_name && !strcmp(q->speaker_name, "Ana Souza"));
    nd_analysis_free(a);

    /* a sector before the office names the sector: a union's secretary
     * is labour, not a government's secretary */
    a = run("\"We will not give up,\" union secretary Olena Brandt told reporters. "
            "Army general Marko Halas said the border was calm.",
            "2024-01-01");
    s = actor_named(a, "Olena Brandt");
    CHECK(s != NULL);
    if (s) CHECK_STR(s->code, "---LAB");
    s = actor_named(a, "Marko Halas");
    CHECK(s != NULL);
    if (s) CHECK_STR(s->code, "---MIL");
    q = quote_with(a, "give up");
    CHECK(q && q->speaker_name && !strcmp(q->speaker_name, "Olena Brandt"));
    nd_analysis_free(a);

    /* a one-word alias inside another name is that other name */
    a = run("Army general Petro Halas said the border was calm. Colombian President Petro "
            "met Petro Poroshenko.",
            "2024-01-01");
    CHECK(actor_named(a, "Petro Halas") != NULL);
    CHECK(actor_named(a, "Petro Poroshenko") != NULL);
    s = actor_named(a, "Gustavo Petro");
    CHECK(s != NULL);
    if (s) CHECK_INT(s->n_mentions, 1);
    nd_analysis_free(a);

    /* "President Bush" on a 2008 date is George W. Bush */
    a = run("President Bush met Japanese Prime Minister Shinzo Abe.", "2007-04-27");
    CHECK(actor_named(a, "George W. Bush") != NULL);
    CHECK(event_with(a, "USA", "JPN", "04") != NULL);
    nd_analysis_free(a);
}

static void test_coreference(void)
{
    const char *t = "Angela Merkel met Emmanuel Macron in Berlin.\n\n"
                    "\"Europe must stand together,\" she said after the talks.\n\n"
                    "Mr Macron agreed. \"We are ready,\" he told reporters.";
    nd_analysis *a = run(t, "2019-06-01");
    const nd_quote *q = quote_with(a, "Europe must");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(q->speaker_name, "Angela Merkel");
        CHECK_STR(span(t, q->source), "she");
        CHECK_STR(span(t, q->cue), "said");
        CHECK_INT(q->type, ND_QUOTE_DIRECT);
    }
    q = quote_with(a, "We are ready");
    CHECK(q != NULL);
    if (q) CHECK_STR(q->speaker_name, "Emmanuel Macron");
    nd_analysis_free(a);
}

/* ---- quotations -------------------------------------------------------------- */

static void test_quotes_direct(void)
{
    const char *t = "“The harvest was good this year,” said the farmers’ union leader Paul "
                    "Meyer. Meyer said: «We need rain.» ‘Prices will rise,’ he added.";
    nd_analysis *a = run(t, NULL);
    const nd_quote *q = quote_with(a, "harvest was good");
    CHECK(q != NULL);
    if (q) {
        CHECK_INT(q->type, ND_QUOTE_DIRECT);
        CHECK_STR(q->speaker_name, "Paul Meyer");
        CHECK_STR(q->text, "The harvest was good this year,");
        CHECK_INT(q->n_content, 1);
        /* the content span includes the marks */
        CHECK(!strncmp(span(t, q->content[0]), "“The", 5));
        CHECK_STR(q->cue_lemma, "say");
    }
    q = quote_with(a, "We need rain");
    CHECK(q != NULL);
    if (q) CHECK_STR(q->speaker_name, "Paul Meyer");
    q = quote_with(a, "Prices will rise");
    CHECK(q != NULL);
    if (q) CHECK_STR(q->speaker_name, "Paul Meyer");
    nd_analysis_free(a);

    /* "A," he said, "B." is one quotation in two parts */
    t = "\"This is not over,\" Senator Mary Lowe said, \"and we will be back.\"";
    a = run(t, NULL);
    q = quote_with(a, "not over");
    CHECK(q != NULL);
    if (q) {
        CHECK_INT(q->n_content, 2);
        CHECK_STR(q->speaker_name, "Mary Lowe");
    }
    nd_analysis_free(a);
}

static void test_quotes_multiparagraph(void)
{
    const char *t = "The mayor, Tom Reyes, spoke for an hour.\n\n"
                    "\"We built the bridge on time. We built it under budget.\n\n"
                    "\"And we will build the next one too,\" Reyes said.";
    nd_analysis *a = run(t, NULL);
    const nd_quote *q = quote_with(a, "bridge on time");
    CHECK(q != NULL);
    if (q) {
        CHECK_INT(q->n_content, 2);
        CHECK_STR(q->speaker_name, "Tom Reyes");
        CHECK(strstr(q->text, "next one") != NULL);
    }
    nd_analysis_free(a);
}

static void test_quotes_partial_indirect_scare(void)
{
    const char *t = "Xi Jinping told Vladimir Putin on Thursday that their countries should be "
                    "'friends of steel'. Putin said the two leaders would meet again in the "
                    "autumn. Critics called the so-called \"peace plan\" empty.";
    nd_analysis *a = run(t, "2025-05-08");
    const nd_quote *q = quote_with(a, "friends of steel");
    CHECK(q != NULL);
    if (q) {
        CHECK_INT(q->type, ND_QUOTE_PARTIAL);
        CHECK_STR(q->speaker_name, "Xi Jinping");
        CHECK_STR(q->text, "friends of steel");
        CHECK(q->clause.end > q->clause.start);
        CHECK_STR(span(t, q->cue), "told");
    }
    q = quote_with(a, "two leaders would meet");
    CHECK(q != NULL);
    if (q) {
        CHECK_INT(q->type, ND_QUOTE_INDIRECT);
        CHECK_STR(q->speaker_name, "Vladimir Putin");
        CHECK_STR(span(t, q->content[0]), "the two leaders would meet again in the autumn");
    }
    nd_analysis_free(a);

    t = "The so-called \"peace plan\" was published on Sunday.";
    a = run(t, NULL);
    q = quote_with(a, "peace plan");
    CHECK(q != NULL);
    if (q) {
        CHECK(q->scare);
        CHECK(q->speaker < 0);
        CHECK(q->speaker_name == NULL);
    }
    nd_analysis_free(a);

    /* trailing and "according to" attributions */
    t = "The border will reopen next week, officials in Kenya said. According to the "
        "ministry, the decision was final.";
    a = run(t, NULL);
    q = quote_with(a, "border will reopen");
    CHECK(q && q->type == ND_QUOTE_INDIRECT);
    if (q) CHECK_STR(span(t, q->source), "officials in Kenya");
    q = quote_with(a, "decision was final");
    CHECK(q && q->cue_lemma && !strcmp(q->cue_lemma, "according to"));
    nd_analysis_free(a);

    /* where it was said is not what was said */
    t = "\"We are not against new cranes. We are against being thrown away,\" union "
        "secretary Olena Brandt said outside the port. The mayor spoke near the harbour.";
    a = run(t, NULL);
    CHECK(quote_with(a, "not against new cranes") != NULL);
    CHECK(quote_with(a, "outside the port") == NULL);
    nd_analysis_free(a);
}

/* ---- events ------------------------------------------------------------------- */

static void test_events_basic(void)
{
    nd_analysis *a =
        run("Russian troops shelled the Ukrainian city of Kharkiv on Monday.", "2024-05-16");
    const nd_event *e = event_with(a, "RUSMIL", "UKR", "194");
    CHECK(e != NULL);
    if (e && a) {
        CHECK_INT(e->quad, 4);
        CHECK(e->goldstein < -5);
        CHECK_STR(e->date, "2024-05-13"); /* the Monday before Thursday 16 May */
        CHECK(e->sentence.start == 0 && e->sentence.end > 30);
    }
    nd_analysis_free(a);

    a = run("Germany and France signed a trade agreement on Friday.", "2024-05-16");
    CHECK(event_with(a, "DEU", "FRA", "057") != NULL);
    CHECK(event_with(a, "FRA", "DEU", "057") != NULL);
    e = event_with(a, "DEU", "FRA", "057");
    if (e) {
        CHECK_STR(e->date, "2024-05-10");
        CHECK_INT(e->quad, 1);
    }
    nd_analysis_free(a);

    /* a second predicate after a partial quotation shares the subject */
    a = run("Japan's minister said the deal would \"give our fishing communities certainty\" "
            "and praised South Korea for its flexibility.",
            "2024-05-16");
    CHECK(event_with(a, "JPNGOV", "KOR", "051") != NULL);
    nd_analysis_free(a);

    /* a passive: the agent acts */
    a = run("The prisoners were released by Israel yesterday.", "2024-05-16");
    e = event_with(a, "ISR", NULL, "084");
    (void) e;
    nd_analysis_free(a);
    a = run("Palestinian prisoners were freed by Israel yesterday.", "2024-05-16");
    e = event_with(a, "ISR", "PSE", "084");
    CHECK(e != NULL);
    if (e) CHECK_STR(e->date, "2024-05-15");
    nd_analysis_free(a);
}

static void test_events_negation(void)
{
    /* "refused to condemn" is not a condemnation */
    nd_analysis *a = run("China refused to condemn Russia.", NULL);
    CHECK(event_with(a, NULL, NULL, "111") == NULL);
    CHECK(a && a->n_events == 0);
    nd_analysis_free(a);
    a = run("Canada did not criticize Mexico.", NULL);
    CHECK(a && a->n_events == 0);
    nd_analysis_free(a);
    /* negated cooperation is a rejection */
    a = run("Obama said he would not provide support to Israel.", "2015-06-09");
    const nd_event *e = event_with(a, "USA", "ISR", "12");
    CHECK(e != NULL);
    if (e) CHECK(e->negated);
    nd_analysis_free(a);
    a = run("Egypt condemned Israel.", NULL);
    e = event_with(a, "EGY", "ISR", "111");
    CHECK(e != NULL);
    if (e) CHECK(!e->negated);
    nd_analysis_free(a);
}

/* Every report of one action in an article is one event with several
 * mentions; another day, root or dyad is another event. */
static void test_event_instances(void)
{
    const char *t =
        "Germany and France signed a trade agreement on Friday. "
        "Officials said Germany signed the agreement with France after two years of talks. "
        "Germany condemned France on Monday.";
    nd_analysis *a = run(t, "2024-05-16");
    const nd_event *e = event_with(a, "DEU", "FRA", "057");
    CHECK(e != NULL);
    size_t n057 = 0;
    for (size_t i = 0; a && i < a->n_events; i++)
        n057 += !strcmp(a->events[i].source_code, "DEU") && !strncmp(a->events[i].code, "05", 2);
    CHECK_INT(n057, 1);
    if (e) {
        CHECK_INT(e->n_mentions, 2);
        CHECK_STR(e->date, "2024-05-10"); /* the day the first mention names */
        if (e->n_mentions == 2) {
            CHECK(e->mentions[0].sentence.start == e->sentence.start);
            CHECK(e->mentions[1].sentence.start > e->mentions[0].sentence.end);
            CHECK(strstr(span(t, e->mentions[1].sentence), "after two years") != NULL);
        }
    }
    /* another root, another event */
    e = event_with(a, "DEU", "FRA", "11");
    CHECK(e != NULL);
    if (e) CHECK_INT(e->n_mentions, 1);
    nd_analysis_free(a);

    /* the same action on two days the text names is two events */
    a = run("Russian troops shelled Kharkiv on Monday. Russian troops shelled Kharkiv again on "
            "Wednesday.",
            "2024-05-16");
    size_t n = 0;
    for (size_t i = 0; a && i < a->n_events; i++) n += !strcmp(a->events[i].code, "194");
    CHECK_INT(n, 2);
    nd_analysis_free(a);

    /* one verb found twice for one dyad (a name and its title, two
     * mentions of one actor) is one mention */
    t = "Chinese President Xi Jinping spoke to reporters in Beijing. Ukrainian president Olena "
        "Marchenko has in the past urged him to try to persuade Mr Putin to halt the war.";
    a = run(t, "2024-05-16");
    for (size_t i = 0; a && i < a->n_events; i++) {
        const nd_event *x = &a->events[i];
        for (size_t m = 1; m < x->n_mentions; m++)
            CHECK(x->mentions[m].verb.start != x->mentions[m - 1].verb.start);
    }
    e = event_with(a, "UKR", "CHN", "02");
    CHECK(e != NULL);
    if (e) CHECK_INT(e->n_mentions, 1);
    nd_analysis_free(a);
}

/* ---- robustness ------------------------------------------------------------------ */

/* The analysis as JSON (one object), NUL-terminated; nd_free() it.  NULL
 * when out of memory. */
static char *analysis_json(const nd_analysis *a)
{
    nd_buf b = ND_BUF_INIT;
    nd_json j;
    nd_json_init(&j, &b, 0);
    nd_json_obj_begin(&j);
    nd_analysis_to_json(a, &j);
    nd_json_obj_end(&j);
    nd_buf_putc(&b, 0);
    if (nd_buf_failed(&b)) {
        nd_buf_free(&b);
        return NULL;
    }
    return b.ptr;
}

/* Without opts.parse_work, nd_analyze parses with its thread's work,
 * kept from call to call: each analysis is the one a fresh work gives,
 * whatever came before it. */
static void test_thread_work(void)
{
    static const char *const texts[] = {
        "Russia and China signed a trade agreement in Beijing on Monday. \"This is a new "
        "chapter,\" President Xi Jinping said.",
        "Israeli troops killed three militants near Jenin, the army said. Hamas condemned "
        "the raid and vowed to retaliate.",
        "The European Union imposed new sanctions on Iran. Officials in Tehran rejected "
        "them, saying they would not change policy.",
        "\"We will not negotiate under threats,\" the minister told reporters, adding that "
        "talks with Ukraine could resume next week."};
    size_t n = sizeof texts / sizeof *texts;
    int same = 0;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++) {
            const char *t = texts[(i + (size_t) round) % n];
            nd_analyze_opts o;
            nd_analyze_opts_init(&o);
            o.date = "2025-05-08";
            nd_analysis *kept = NULL, *fresh = NULL;
            CHECK(nd_analyze(t, strlen(t), &o, &kept, NULL) == 0);
            o.parse_work = nd_parse_work_new();
            CHECK(o.parse_work != NULL);
            CHECK(nd_analyze(t, strlen(t), &o, &fresh, NULL) == 0);
            nd_parse_work_free(o.parse_work);
            char *a = kept ? analysis_json(kept) : NULL, *b = fresh ? analysis_json(fresh) : NULL;
            CHECK(a && b);
            if (a && b) {
                CHECK_STR(a, b);
                same += !strcmp(a, b) && kept->n_sentences >= 1 && kept->n_actors >= 1;
            }
            nd_free(a);
            nd_free(b);
            nd_analysis_free(kept);
            nd_analysis_free(fresh);
        }
    }
    CHECK_INT(same, 2 * (long) n);
}

static void test_robustness(void)
{
    nd_analysis *a = run("", NULL);
    CHECK(a && a->n_sentences == 0 && a->n_quotes == 0 && a->n_events == 0);
    nd_analysis_free(a);
    nd_analysis_free(NULL);

    /* unbalanced and stray marks */
    const char *odd[] = {"\"", "\"\"\"\"", "He said \"yes and then", "« » ‘ ’ “ ”", "'''", "Mr.",
                         "U.S.", "said said said", "\"A,\" \"B,\" \"C,\" said",
                         "the countries' leaders said 'no' and 'maybe", "...?!...",
                         /* commas before the first verb: no token before the
                          * text is read (fuzz_analyze; UBSan in make asan) */
                         ", , would meet them", NULL};
    for (size_t i = 0; odd[i]; i++) {
        a = run(odd[i], NULL);
        CHECK(a != NULL);
        nd_analysis_free(a);
    }

    /* binary-ish bytes, NULs and invalid UTF-8 */
    char bin[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof bin; i++) {
        x = x * 1103515245u + 12345u;
        bin[i] = (char) (x >> 16);
    }
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    nd_error err = {0};
    a = NULL;
    CHECK_INT(nd_analyze(bin, sizeof bin, &o, &a, &err), 0);
    nd_analysis_free(a);

    /* a large text: many sentences, then one over the limit is cut */
    const char *s = "\"We will meet again,\" Putin told Xi in Moscow. Russia and China signed "
                    "a deal. ";
    size_t sl = strlen(s), n = 2000; /* 4,000 sentences, under ND_ANALYZE_MAX_TOKENS */
    char *big = malloc(sl * n + 1);
    if (big) {
        for (size_t i = 0; i < n; i++) memcpy(big + i * sl, s, sl);
        big[sl * n] = 0;
        a = NULL;
        CHECK_INT(nd_analyze(big, sl * n, &o, &a, &err), 0);
        CHECK(a && a->n_sentences == 2 * n);
        CHECK(a && a->n_quotes >= n);
        CHECK(a && !a->truncated);
        nd_analysis_free(a);
        free(big);
    }
    size_t huge = ND_ANALYZE_MAX_BYTES + 4096;
    char *h = malloc(huge);
    if (h) {
        for (size_t i = 0; i < huge; i++) h[i] = "word. "[i % 6];
        a = NULL;
        CHECK_INT(nd_analyze(h, huge, &o, &a, &err), 0);
        CHECK(a && a->truncated && a->text_len <= ND_ANALYZE_MAX_BYTES);
        nd_analysis_free(a);
        free(h);
    }
    /* one unbroken sentence of 4 MB, and 200,000 short sentences: cut at
     * the word limit, and said so in the JSON */
    size_t big_n = (size_t) 4 << 20;
    char *u = malloc(big_n);
    if (u) {
        for (size_t i = 0; i < big_n; i++) u[i] = "Russia and China talk "[i % 22];
        a = NULL;
        CHECK_INT(nd_analyze(u, big_n, &o, &a, &err), 0);
        CHECK(a && a->truncated && a->text_len < big_n);
        if (a) {
            char *js = analysis_json(a);
            CHECK(js && strstr(js, "\"analysis_warnings\":[\"analysis stopped after") != NULL);
            nd_free(js);
        }
        nd_analysis_free(a);
        for (size_t i = 0; i < big_n; i++) u[i] = "Talks went on. "[i % 15];
        a = NULL;
        CHECK_INT(nd_analyze(u, big_n, &o, &a, &err), 0);
        CHECK(a && a->truncated && a->n_sentences < 200000);
        nd_analysis_free(a);
        free(u);
    }
}

/* ---- JSON and dictionaries --------------------------------------------------------- */

static void test_json(void)
{
    const char *t = "\"We want peace,\" said Ukrainian President Volodymyr Zelensky. Russia "
                    "attacked Ukraine.";
    nd_analysis *a = run(t, "2024-02-24");
    char *js = analysis_json(a);
    json_error_t je;
    json_t *root = js ? json_loads(js, 0, &je) : NULL;
    CHECK(root != NULL);
    if (root) {
        json_t *qs = json_object_get(root, "quotes"), *ev = json_object_get(root, "events");
        CHECK(json_is_array(json_object_get(root, "actors")));
        CHECK(json_is_array(qs) && json_array_size(qs) >= 1);
        json_t *q0 = json_array_get(qs, 0);
        CHECK_STR(json_string_value(json_object_get(q0, "speaker")), "Volodymyr Zelensky");
        CHECK_STR(json_string_value(json_object_get(q0, "type")), "direct");
        CHECK(json_is_array(json_object_get(q0, "content")));
        CHECK(json_is_array(ev) && json_array_size(ev) >= 1);
        json_t *e0 = json_array_get(ev, 0);
        CHECK_STR(json_string_value(json_object_get(e0, "source")), "RUS");
        CHECK_STR(json_string_value(json_object_get(e0, "target")), "UKR");
        CHECK(json_is_number(json_object_get(e0, "goldstein")));
        CHECK_INT(json_integer_value(json_object_get(e0, "quad")), 4);
        json_decref(root);
    }
    nd_free(js);
    nd_analysis_free(a);
}

static void write_file(const char *path, const char *s)
{
    FILE *f = fopen(path, "w");
    if (!f) return;
    fputs(s, f);
    fclose(f);
}

static void test_dictionaries(void)
{
    nd_error err = {0};
    const nd_analyze_dict *def = nd_analyze_dict_default(&err);
    CHECK(def != NULL);
    size_t np = 0, nv = 0;
    size_t ne = nd_analyze_dict_size(def, &np, &nv);
    CHECK(ne > 500); /* countries, organisations, agents, people */
    CHECK(np > 3000);
    CHECK(nv > 300);
    const char *name;
    double g;
    int quad;
    CHECK_INT(nd_cameo_lookup(def, "190", &name, &g, &quad), 0);
    CHECK(g == -10.0 && quad == 4);
    CHECK_INT(nd_cameo_lookup(def, "0841", &name, &g, &quad), 0);
    CHECK_INT(quad, 2);

    /* PETRARCH-format files added on top (written here, in the PETRARCH layout) */
    char dir[] = "/tmp/nd_test_dictXXXXXX";
    if (!mkdtemp(dir)) return;
    char p1[256], p2[256], p3[256];
    snprintf(p1, sizeof p1, "%s/Test.actors.txt", dir);
    snprintf(p2, sizeof p2, "%s/Test.agents.txt", dir);
    snprintf(p3, sizeof p3, "%s/Test.verbs.txt", dir);
    write_file(p1, "# test actors\nFREEDONIA_  [FRD]\n+FREEDONIAN_\nRUFUS_FIREFLY_\n+FIREFLY_\n"
                   "\t[FRDGOV 19330101-19991231]\nSYLVANIA_ [SYL]\n");
    write_file(p2, "MARINE [~MIL]\nPEASANT {PEASANTRY} [~AGR]\n");
    write_file(p3, "--- BLOCKADE [191] ---\nBLOCKADE\n+QUARANTINE {QUARANTINES QUARANTINED}\n"
                   "- * PORTS [1912] # BLOCKADE\n");
    nd_analyze_dict *d = nd_analyze_dict_new(NULL, &err);
    CHECK(d != NULL);
    if (d) {
        CHECK_INT(nd_analyze_dict_add_petrarch(d, dir, &err), 0);
        nd_analyze_opts o;
        nd_analyze_opts_init(&o);
        o.dict = d;
        o.date = "1933-11-17";
        const char *t = "Freedonian marines quarantined Sylvania. Firefly blockaded the ports "
                        "of Sylvania.";
        nd_analysis *a = NULL;
        CHECK_INT(nd_analyze(t, strlen(t), &o, &a, &err), 0);
        CHECK(event_with(a, "FRDMIL", "SYL", "191") != NULL);
        CHECK(event_with(a, "FRDGOV", "SYL", "1912") != NULL);
        nd_analysis_free(a);
        nd_analyze_dict_free(d);
    }
    /* a malformed own-format file names the file and line */
    char p4[256];
    snprintf(p4, sizeof p4, "%s/bad.txt", dir);
    write_file(p4, "country XYZ Nowhere\n  colour: blue\n");
    d = nd_analyze_dict_new(NULL, &err);
    if (d) {
        CHECK(nd_analyze_dict_add_file(d, p4, &err) < 0);
        CHECK(strstr(err.msg, "bad.txt:2") != NULL);
        nd_analyze_dict_free(d);
    }
    CHECK(nd_analyze_dict_add_petrarch(NULL, dir, &err) < 0);
    unlink(p1), unlink(p2), unlink(p3), unlink(p4);
    rmdir(dir);
}

/* The default dictionaries come from their compiled form (made by the
 * build from the texts compiled in): a process parses no dictionary text,
 * whatever the texts' size, and gets the dictionaries the texts give, to
 * the byte; a data directory whose texts differ is read from its text. */
extern const unsigned char nd__dict_blob[];
extern const size_t nd__dict_blob_len;

static void write_tree_file(const char *dir, const char *rel, const void *p, size_t n,
                            const char *extra)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *slash = strrchr(path, '/');
    *slash = 0;
    mkdir(path, 0700);
    *slash = '/';
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(p, 1, n, f);
    if (extra) fputs(extra, f);
    fclose(f);
}

static void remove_tree(const char *dir)
{
    static const char *const subs[] = {"cameo", "actors", "verbs"};
    for (size_t s = 0; s < 3; s++) {
        char sub[512];
        snprintf(sub, sizeof sub, "%s/%s", dir, subs[s]);
        DIR *dh = opendir(sub);
        if (!dh) continue;
        struct dirent *de;
        while ((de = readdir(dh))) {
            if (de->d_name[0] == '.') continue;
            char p[1024];
            snprintf(p, sizeof p, "%s/%s", sub, de->d_name);
            unlink(p);
        }
        closedir(dh);
        rmdir(sub);
    }
    rmdir(dir);
}

static int same_form(const nd_analyze_dict *d, const void *form, size_t len)
{
    void *f = NULL;
    size_t n = 0;
    if (nd__dict_compile(d, &f, &n)) return 0;
    int same = n == len && !memcmp(f, form, n);
    nd_free(f);
    return same;
}

static void test_dict_compiled(void)
{
    nd_error err = {0};
    CHECK(nd__dict_blob_len > 0);
    if (!nd__dict_blob_len) return;
    /* the texts parsed, twice: the compiled-in form to the byte */
    nd_analyze_dict *t1 = nd__dict_load_embedded(&err), *t2 = nd__dict_load_embedded(&err);
    CHECK(t1 && t2);
    if (!t1 || !t2) return;
    CHECK(same_form(t1, nd__dict_blob, nd__dict_blob_len));
    CHECK(same_form(t2, nd__dict_blob, nd__dict_blob_len));
    size_t np1, nv1, np, nv;
    size_t ne1 = nd_analyze_dict_size(t1, &np1, &nv1);

    /* a new default set is the compiled form, and gives it back */
    size_t loads = nd__dict_compiled_loads();
    nd_analyze_dict *c = nd_analyze_dict_new(NULL, &err);
    CHECK(c != NULL);
    CHECK(nd__dict_compiled_loads() == loads + 1);
    if (c) {
        CHECK(same_form(c, nd__dict_blob, nd__dict_blob_len));
        CHECK(nd_analyze_dict_size(c, &np, &nv) == ne1 && np == np1 && nv == nv1);
        /* what holds no pointer, compared without the compiled form's own
         * description of the arrays: the synsets' bits (two words an
         * entry), the rules, the verb keys, the tables' hashes and values */
        CHECK(c->n_vset_bits == t1->n_vset_bits && c->n_vset_bits > 0 &&
              !memcmp(c->vset_bits, t1->vset_bits, 2 * t1->n_vset_bits * sizeof *c->vset_bits));
        CHECK(c->n_vrules == t1->n_vrules &&
              !memcmp(c->vrules, t1->vrules, t1->n_vrules * sizeof *c->vrules));
        CHECK(c->n_vkeys == t1->n_vkeys &&
              !memcmp(c->vkeys, t1->vkeys, t1->n_vkeys * sizeof *c->vkeys));
        CHECK(c->phrase_map.cap == t1->phrase_map.cap &&
              !memcmp(c->phrase_map.hashes, t1->phrase_map.hashes,
                      t1->phrase_map.cap * sizeof *c->phrase_map.hashes));
        for (size_t i = 0; i < t1->phrase_map.cap && i < c->phrase_map.cap; i++)
            if (t1->phrase_map.hashes[i] &&
                (c->phrase_map.vals[i] != t1->phrase_map.vals[i] ||
                 strcmp(c->phrase_map.keys[i], t1->phrase_map.keys[i]))) {
                CHECK(!"a phrase key differs");
                break;
            }
        for (size_t i = 0; i < t1->n_ents && i < c->n_ents; i++)
            if (strcmp(c->ents[i].name, t1->ents[i].name) ||
                strcmp(c->ents[i].code, t1->ents[i].code)) {
                CHECK(!"an entity differs");
                break;
            }
        /* the same analysis as from the texts */
        nd_analyze_opts o;
        nd_analyze_opts_init(&o);
        o.date = "2024-03-01";
        const char *txt = "Russian troops attacked Ukraine on Monday, the foreign minister "
                          "said. \"We will not negotiate,\" President Zelensky told reporters "
                          "in Kyiv. China and the United Nations called for talks.";
        char *j1 = NULL, *j2 = NULL;
        nd_analysis *a = NULL;
        o.dict = t1;
        if (nd_analyze(txt, strlen(txt), &o, &a, &err) == 0) j1 = analysis_json(a);
        nd_analysis_free(a), a = NULL;
        o.dict = c;
        if (nd_analyze(txt, strlen(txt), &o, &a, &err) == 0) j2 = analysis_json(a);
        nd_analysis_free(a);
        CHECK(j1 && j2 && !strcmp(j1, j2));
        CHECK(j1 && strstr(j1, "UKR") != NULL);
        nd_free(j1), nd_free(j2);
        nd_analyze_dict_free(c);
    }

    /* a directory of the same texts: the compiled form; one edited: its text */
    char dir[] = "/tmp/nd_test_dictcXXXXXX";
    if (!mkdtemp(dir)) return;
    for (size_t i = 0; i < nd__n_data_blobs; i++) {
        const nd__blob *b = &nd__data_blobs[i];
        if (strncmp(b->name, "cameo/", 6) && strncmp(b->name, "actors/", 7) &&
            strncmp(b->name, "verbs/", 6))
            continue;
        write_tree_file(dir, b->name, b->data, b->len, NULL);
    }
    loads = nd__dict_compiled_loads();
    c = nd_analyze_dict_new(dir, &err);
    CHECK(c != NULL);
    CHECK(nd__dict_compiled_loads() == loads + 1);
    if (c) CHECK(same_form(c, nd__dict_blob, nd__dict_blob_len));
    nd_analyze_dict_free(c);
    for (size_t i = 0; i < nd__n_data_blobs; i++) {
        const nd__blob *b = &nd__data_blobs[i];
        if (!strcmp(b->name, "actors/countries.txt"))
            write_tree_file(dir, b->name, b->data, b->len, "\ncountry FRD Freedonia\n");
    }
    c = nd_analyze_dict_new(dir, &err);
    CHECK(c != NULL);
    CHECK(nd__dict_compiled_loads() == loads + 1);
    if (c) {
        CHECK(nd_analyze_dict_size(c, &np, &nv) == ne1 + 1);
        CHECK(!same_form(c, nd__dict_blob, nd__dict_blob_len));
        nd_analyze_dict_free(c);
    }
    remove_tree(dir);

    /* a form of other texts (another key) or cut short is not used */
    CHECK(nd__dict_from_compiled(nd__dict_blob, nd__dict_blob_len, 1) == NULL);
    unsigned char *cp = NULL;
    CHECK(!posix_memalign((void **) &cp, 64, nd__dict_blob_len));
    if (cp) {
        memcpy(cp, nd__dict_blob, nd__dict_blob_len);
        uint64_t key;
        memcpy(&key, cp + 8, sizeof key);
        nd_analyze_dict *r = nd__dict_from_compiled(cp, nd__dict_blob_len, key);
        CHECK(r != NULL);
        nd_analyze_dict_free(r);
        CHECK(nd__dict_from_compiled(cp, nd__dict_blob_len - 8, key) == NULL);
        free(cp);
    }
    nd_analyze_dict_free(t1);
    nd_analyze_dict_free(t2);
}

/* ---- the seed pages (../shared/seeds) ---------------------------------------------------- */

/* Lowercased words only: "‘Friends of steel'," -> "friends of steel". */
static void norm(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    int sp = 1;
    for (; *s && o + 2 < cap; s++) {
        unsigned char c = (unsigned char) *s;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            out[o++] = (char) c, sp = 0;
        } else if (c >= 'A' && c <= 'Z') {
            out[o++] = (char) (c + 32), sp = 0;
        } else if (!sp) {
            out[o++] = ' ', sp = 1;
        }
    }
    while (o && out[o - 1] == ' ') o--;
    out[o] = 0;
}

static void test_seeds(void)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/seeds", ND_SHARED_DIR);
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "# skip test_seeds: %s not found\n", dir);
        return;
    }
    struct dirent *de;
    int files = 0;
    while ((de = readdir(dh))) {
        size_t l = strlen(de->d_name);
        if (l < 14 || strcmp(de->d_name + l - 14, ".expected.json")) continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        json_error_t je;
        json_t *root = json_load_file(path, 0, &je);
        CHECK(root != NULL);
        if (!root) continue;
        files++;
        /* the article body: the expected paragraphs joined by blank lines */
        nd_buf text = ND_BUF_INIT;
        json_t *paras = json_object_get(root, "paragraphs");
        for (size_t i = 0; i < json_array_size(paras); i++) {
            if (i) nd_buf_puts(&text, "\n\n");
            nd_buf_puts(&text, json_string_value(json_array_get(paras, i)));
        }
        nd_analysis *a = run(text.ptr ? text.ptr : "", NULL);
        CHECK(a != NULL);
        json_t *qs = json_object_get(root, "quotes");
        for (size_t i = 0; a && i < json_array_size(qs); i++) {
            json_t *q = json_array_get(qs, i);
            if (json_is_true(json_object_get(q, "optional"))) continue;
            char want[1024];
            norm(json_string_value(json_object_get(q, "text")), want, sizeof want);
            const char *speaker = json_string_value(json_object_get(q, "speaker"));
            json_t *alias = json_object_get(q, "speaker_alias");
            int found = 0;
            for (size_t k = 0; k < a->n_quotes && !found; k++) {
                char got[8192];
                norm(a->quotes[k].text, got, sizeof got);
                if (!strstr(got, want)) continue;
                const char *sp = a->quotes[k].speaker_name;
                if (!sp) continue;
                if (speaker && !strcmp(sp, speaker)) found = 1;
                for (size_t m = 0; m < json_array_size(alias); m++)
                    if (!strcmp(sp, json_string_value(json_array_get(alias, m)))) found = 1;
            }
            if (!found)
                fprintf(stderr, "# %s: quote \"%s\" by %s not found\n", de->d_name, want,
                        speaker ? speaker : "(null)");
            CHECK(found);
        }
        /* both pages report cooperation between Russia and China
         * (the 2022 video meeting, the 2025 Moscow visit) */
        int coop = 0;
        for (size_t k = 0; a && k < a->n_events; k++) {
            const nd_event *e = &a->events[k];
            int rc = !strncmp(e->source_code, "RUS", 3) && !strncmp(e->target_code, "CHN", 3);
            int cr = !strncmp(e->source_code, "CHN", 3) && !strncmp(e->target_code, "RUS", 3);
            if ((rc || cr) && (e->quad == 1 || e->quad == 2)) coop++;
        }
        if (coop < 2) fprintf(stderr, "# %s: %d cooperative RUS-CHN events\n", de->d_name, coop);
        CHECK(coop >= 2);
        nd_analysis_free(a);
        nd_buf_free(&text);
        json_decref(root);
    }
    closedir(dh);
    CHECK(files >= 2);
}

int main(void)
{
    RUN(test_sentences);
    RUN(test_actors_roles);
    RUN(test_actors_kinds);
    RUN(test_actors_offices_by_date);
    RUN(test_coreference);
    RUN(test_quotes_direct);
    RUN(test_quotes_multiparagraph);
    RUN(test_quotes_partial_indirect_scare);
    RUN(test_events_basic);
    RUN(test_events_negation);
    RUN(test_event_instances);
    RUN(test_robustness);
    RUN(test_json);
    RUN(test_dictionaries);
    RUN(test_dict_compiled);
    RUN(test_seeds);
    RUN(test_thread_work);
    return tap_done();
}
