/* test_quotes.c - quotations and coreference (newsdesk/analyze.h): one
 * test per rule, on texts written for these tests. */
#include <stdlib.h>
#include <string.h>

#include "newsdesk/analyze.h"
#include "tap.h"

static nd_analysis *run(const char *text)
{
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.date = "2025-05-08";
    nd_analysis *a = NULL;
    nd_error err = {0};
    int rc = nd_analyze(text, strlen(text), &o, &a, &err);
    if (rc) fprintf(stderr, "nd_analyze: %s\n", err.msg);
    return a;
}

/* The attributed (not scare) quotation whose text contains needle. */
static const nd_quote *quote_with(const nd_analysis *a, const char *needle)
{
    for (size_t i = 0; a && i < a->n_quotes; i++)
        if (a->quotes[i].text && strstr(a->quotes[i].text, needle)) return &a->quotes[i];
    return NULL;
}

static const char *speaker(const nd_quote *q)
{
    return q && q->speaker_name ? q->speaker_name : "(none)";
}

/* ---- quotation marks ----------------------------------------------------- */

/* ''...'': two straight single marks stand for one double mark. */
static void test_two_single_marks(void)
{
    const char *t = "Mary Okafor runs the depot.\n\n''We will open on time,'' Ms. Okafor said. "
                    "''The trucks are ready.''";
    nd_analysis *a = run(t);
    const nd_quote *q = quote_with(a, "open on time");
    CHECK(q != NULL);
    if (q) {
        CHECK_STR(speaker(q), "Mary Okafor");
        CHECK_STR(q->text, "We will open on time, The trucks are ready.");
        CHECK_INT(q->type, ND_QUOTE_DIRECT);
    }
    nd_analysis_free(a);
}

/* ---- coreference ----------------------------------------------------------- */

/* "the ministry", "the newspaper", "the company": the one actor of that
 * sector named just before; two candidates leave it unresolved. */
static void test_definite_descriptions(void)
{
    const char *t =
        "Russia's foreign ministry issued a statement on Tuesday. The ministry said the "
        "talks had failed.\n\nThe Lakeside Tribune first reported the story. The "
        "newspaper said the mayor had resigned.\n\nOn Monday, Halden Terminals Ltd reported a "
        "loss. The company said it would cut 200 jobs.\n\nBrava Motors and Kessel "
        "Foods Inc. agreed to merge. The company said the deal would close in June.";
    nd_analysis *a = run(t);
    CHECK_STR(speaker(quote_with(a, "talks had failed")), "Russia government");
    CHECK_STR(speaker(quote_with(a, "mayor had resigned")), "Lakeside Tribune");
    CHECK_STR(speaker(quote_with(a, "cut 200 jobs")), "Halden Terminals Ltd");
    const nd_quote *q = quote_with(a, "close in June");
    CHECK(q && (!q->speaker_name || (strcmp(q->speaker_name, "Brava Motors") &&
                                     strcmp(q->speaker_name, "Kessel Foods Inc."))));
    nd_analysis_free(a);
}

int main(void)
{
    RUN(test_two_single_marks);
    RUN(test_definite_descriptions);
    return tap_done();
}
