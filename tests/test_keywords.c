/* test_keywords.c - nd_keywords_extract: the keywords of a fixture text
 * against fixed document frequencies, and the frequencies it asks for
 * (each is a store query at ingest: only the candidates that can still
 * be chosen are scored). */
#include <stdio.h>
#include <string.h>

#include "newsdesk/newsdesk.h"
#include "tap.h"

static const char title[] = "Harbour strike closes Port Velland as dockers reject pay offer";
static const char text[] =
    "Dockers at Port Velland walked out on Monday after the Velland Harbour Board rejected "
    "a pay offer, closing the busiest container terminal on the coast.\n\n"
    "The strike was called by the Coastal Workers Union, which said the board had ignored "
    "three months of talks. Union leader Marta Okonjo said the dockers would stay out until "
    "the board returned to the table.\n\n"
    "Shipping lines diverted vessels to Brenmouth, and the Velland Harbour Board said the "
    "strike would cost the port millions each day. Container traffic at Port Velland has "
    "grown every year since the terminal opened.\n\n"
    "Okonjo said the pay offer fell short of rising prices. The board said its offer was "
    "fair and that talks could resume on Thursday. Dockers gathered at the terminal gates "
    "on Monday evening, and the strike entered its second day on Tuesday.\n";

static int calls;

/* Frequencies out of 1,000 documents: the everyday words are common,
 * the others rare by a fixed rule of their bytes. */
static int64_t df_of(void *ctx, const char *w, size_t n)
{
    (void) ctx;
    calls++;
    static const char *const common[] = {"said", "monday", "day",   "year",  "pay",   "talks",
                                         "port", "board",  "union", "offer", "prices"};
    for (size_t i = 0; i < sizeof common / sizeof *common; i++)
        if (strlen(common[i]) == n && !memcmp(common[i], w, n)) return 300 + (int64_t) i * 40;
    unsigned h = 7;
    for (size_t i = 0; i < n; i++) h = h * 31 + (unsigned char) w[i];
    return (int64_t) (h % 60);
}

/* The keywords of the fixture, "text/kind/score; ...", and the
 * frequencies asked for in *n_calls: against df_of's 1,000 documents, or
 * (n_docs 0) a store that counts none, as in its first run; with the
 * word-rarity prior's prior_docs documents (ND_KEYWORDS_PRIOR_DOCS by
 * default) and in language lang. */
static void extract_as(size_t max, uint64_t n_docs, double prior_docs, const char *lang, char *got,
                       size_t cap, int *n_calls)
{
    nd_keywords_opts o;
    nd_keywords_opts_init(&o);
    CHECK(o.prior_docs == ND_KEYWORDS_PRIOR_DOCS);
    o.title = title;
    o.df = n_docs ? df_of : NULL;
    o.n_docs = n_docs;
    o.max = max;
    o.prior_docs = prior_docs;
    o.language = lang;
    nd_keywords *k = NULL;
    calls = 0;
    *got = 0;
    CHECK(nd_keywords_extract(text, strlen(text), &o, &k, NULL) == 0);
    for (size_t i = 0; k && i < k->n; i++) {
        char one[128];
        snprintf(one, sizeof one, "%s%s/%d/%.4f", i ? "; " : "", k->items[i].text, k->items[i].kind,
                 k->items[i].score);
        strncat(got, one, cap - strlen(got) - 1);
    }
    *n_calls = calls;
    nd_keywords_free(k);
}

/* Against df_of alone (no prior). */
static void extract(size_t max, char *got, size_t cap, int *n_calls)
{
    extract_as(max, 1000, 0, NULL, got, cap, n_calls);
}

/* Whether keyword list got ("text/kind/score; ...") holds text. */
static int holds(const char *got, const char *kw)
{
    size_t n = strlen(kw);
    for (const char *p = got; (p = strstr(p, kw)); p += n)
        if ((p == got || p[-1] == ' ') && p[n] == '/') return 1;
    return 0;
}

/* The first n items of list a ("text/kind/score; ...") are b's. */
static int same_first(const char *a, const char *b, int n)
{
    const char *p = a, *q = b;
    for (int i = 0; i < n; i++) {
        const char *pe = strchr(p, ';'), *qe = strchr(q, ';');
        size_t pn = pe ? (size_t) (pe - p) : strlen(p), qn = qe ? (size_t) (qe - q) : strlen(q);
        if (pn != qn || memcmp(p, q, pn)) return 0;
        if (!pe || !qe) return i == n - 1;
        p = pe + 2, q = qe + 2;
    }
    return 1;
}

/* A store's first run counts no documents: without the prior every word
 * is as rare as a name, and the text's frequent everyday words ("day",
 * "talks") push names out ("Marta Okonjo", "Brenmouth"); with it, the
 * names, which the prior does not list, win.  The prior is
 * English: a text in another language is scored as without it. */
static void test_prior(void)
{
    char none[2048], with[2048], de[2048], de_none[2048], all[4096];
    int n;
    extract_as(10, 0, 0, NULL, none, sizeof none, &n);
    extract_as(10, 0, ND_KEYWORDS_PRIOR_DOCS, NULL, with, sizeof with, &n);
    CHECK(holds(none, "day") && !holds(with, "day"));
    CHECK(holds(none, "talks") && !holds(with, "talks"));
    CHECK(!holds(none, "Brenmouth") && holds(with, "Brenmouth"));
    CHECK(!holds(none, "Marta Okonjo") && holds(with, "Marta Okonjo"));
    CHECK(strcmp(none, with) != 0);
    /* the bound on a word's idf counts the prior's documents: the first
     * ten of every candidate scored are the ten */
    extract_as(ND_KEYWORDS_MAX, 0, ND_KEYWORDS_PRIOR_DOCS, NULL, all, sizeof all, &n);
    CHECK(same_first(all, with, 10));
    extract_as(ND_KEYWORDS_MAX, 1000, ND_KEYWORDS_PRIOR_DOCS, NULL, all, sizeof all, &n);
    extract_as(10, 1000, ND_KEYWORDS_PRIOR_DOCS, NULL, with, sizeof with, &n);
    CHECK(same_first(all, with, 10));
    extract_as(10, 0, ND_KEYWORDS_PRIOR_DOCS, "de", de, sizeof de, &n);
    extract_as(10, 0, 0, "de", de_none, sizeof de_none, &n);
    CHECK_STR(de, de_none);
}

/* The same keywords and scores as when every candidate was scored (56
 * frequencies asked for); with fewer wanted, fewer asked for. */
static void test_keywords(void)
{
    char got[2048];
    int n;
    extract(10, got, sizeof got, &n);
    CHECK_STR(got,
              "Port Velland/2/35.0327; Velland Harbour Board/2/16.5712; Marta Okonjo/2/12.6540; "
              "pay offer/3/8.8967; strike/4/17.1534; terminal/4/13.6881; reject/4/7.0224; "
              "closing/4/6.8101; closes/4/6.6057; three/4/6.5225");
    CHECK(n <= 56);
    extract(5, got, sizeof got, &n);
    CHECK_STR(got,
              "Port Velland/2/35.0327; Velland Harbour Board/2/16.5712; Marta Okonjo/2/12.6540; "
              "strike/4/17.1534; terminal/4/13.6881");
    CHECK(n < 40);
}

int main(void)
{
    RUN(test_keywords);
    RUN(test_prior);
    return tap_done();
}
