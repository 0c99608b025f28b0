/*
 * fuzz_analyze.c - nd_analyze() on arbitrary bytes, with and without an
 * article date, then the JSON writer; every quotation and event span must
 * lie inside the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/analyze.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_span(nd_span s, size_t len)
{
    if (s.end < s.start || s.end > len) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const dates[] = {NULL, "2025-05-08", "19991231", "garbage"};
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.date = dates[size % 4];
    nd_analysis *a = NULL;
    nd_error err;
    if (nd_analyze((const char *) data, size, &o, &a, &err)) return 0;
    for (size_t i = 0; i < a->n_sentences; i++) check_span(a->sentences[i], a->text_len);
    for (size_t i = 0; i < a->n_mentions; i++) {
        check_span(a->mentions[i].span, a->text_len);
        if (a->mentions[i].actor < 0 || (size_t) a->mentions[i].actor >= a->n_actors) abort();
    }
    for (size_t i = 0; i < a->n_quotes; i++) {
        const nd_quote *q = &a->quotes[i];
        for (size_t c = 0; c < q->n_content; c++) check_span(q->content[c], a->text_len);
        check_span(q->source, a->text_len);
        check_span(q->cue, a->text_len);
        if (q->speaker >= (int32_t) a->n_actors) abort();
    }
    for (size_t i = 0; i < a->n_events; i++) {
        check_span(a->events[i].sentence, a->text_len);
        check_span(a->events[i].verb, a->text_len);
    }
    nd_buf b = ND_BUF_INIT;
    nd_json j;
    nd_json_init(&j, &b, size & 1);
    nd_json_obj_begin(&j);
    nd_analysis_to_json(a, &j);
    nd_json_obj_end(&j);
    nd_buf_free(&b);
    nd_analysis_free(a);
    return 0;
}
