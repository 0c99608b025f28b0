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
 * frequencies asked for in *n_calls. */
static void extract(size_t max, char *got, size_t cap, int *n_calls)
{
    nd_keywords_opts o;
    nd_keywords_opts_init(&o);
    o.title = title;
    o.df = df_of;
    o.n_docs = 1000;
    o.max = max;
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
    return tap_done();
}
