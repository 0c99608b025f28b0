/* fuzz_query.c - libFuzzer target: the query layer's input parsing
 * (cursors, dates, names, full-text queries, periods: what an HTTP API
 * hands it from a URL) against a small in-memory store.  Every question
 * must answer or fail with a code, never crash; a cursor a result gives
 * must be taken back.
 *
 * Input: fields separated by '\n': cursor, text, actor, actor_b, since,
 * until, period; the first byte picks flags (all, oldest first, exact
 * actor, limit). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "fuzz_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static nd_store *S;

static const char *const TEXTS[] = {
    "Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Thursday. "
    "\"We are true friends,\" Xi said.",
    "China and Russia signed a trade deal on Monday. Russia later praised China. The union "
    "secretary Olena Brandt said the strike would go on.",
    "Port operator Halden Terminals said no one would be dismissed, officials said.",
};

static void setup(void)
{
    if (S) return;
    fuzz_page pages[8];
    char urls[8][64];
    for (int i = 0; i < 8; i++) {
        snprintf(urls[i], sizeof urls[i], "https://news.example/%d", i % 5);
        pages[i] = (fuzz_page){
            .title = i % 2 ? "Talks in Moscow" : "Trade deal",
            .site = i % 2 ? "Wire" : "Post",
            .text = TEXTS[i % 3],
            .url = urls[i],
            .published = i % 4 == 1   ? "2025-05-01"
                         : i % 4 == 2 ? "2024-12-30T10:00:00Z"
                                      : NULL,
            .date = i % 3 ? "2025-05-08" : NULL,
            .hash = 1000 + (uint64_t) i,
        };
    }
    S = fuzz_store_make(pages, 8);
}

/* A result's cursor must be taken back by the same question. */
#define AGAIN(call, res)                                                                           \
    do {                                                                                           \
        if ((res) && (res)->r.next) {                                                              \
            const char *cursor_ = q.cursor; /* res's cursor dies with res */                       \
            q.cursor = (res)->r.next;                                                              \
            void *again_ = NULL;                                                                   \
            int rc_ = call(S, &q, (void *) &again_, NULL);                                         \
            if (rc_ == ND_EINVAL) __builtin_trap();                                                \
            nd_result_free(again_);                                                                \
            q.cursor = cursor_;                                                                    \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    if (size < 1 || size > 4096) return 0;
    char *buf = malloc(size);
    if (!buf) return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = 0;
    const char *f[7] = {NULL};
    char *p = buf;
    for (int i = 0; i < 7 && p; i++) {
        f[i] = *p ? p : NULL;
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        p = nl ? nl + 1 : NULL;
    }
    unsigned flags = data[0];
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    q.cursor = f[0];
    q.text = f[1];
    q.actor = f[2];
    q.actor_b = f[3];
    q.since = f[4];
    q.until = f[5];
    q.period = f[6];
    q.all = flags & 1;
    q.oldest_first = (flags >> 1) & 1;
    q.exact_actor = (flags >> 2) & 1;
    q.with_sentence = (flags >> 3) & 1;
    q.limit = (int) (flags >> 4);

    nd_query_opts base = q;
    nd_hit_list *h = NULL;
    if (q.text && nd_query_search(S, &q, &h, NULL) == 0) AGAIN(nd_query_search, h);
    nd_result_free(h);
    q = base;
    nd_quote_list *qs = NULL;
    if (nd_query_quotes(S, &q, &qs, NULL) == 0) AGAIN(nd_query_quotes, qs);
    nd_result_free(qs);
    q = base;
    q.text = NULL;
    nd_event_list *ev = NULL;
    if (nd_query_events(S, &q, &ev, NULL) == 0) AGAIN(nd_query_events, ev);
    nd_result_free(ev);
    nd_relations_page *rel = NULL;
    nd_query_relations(S, &q, &rel, NULL);
    nd_result_free(rel);
    q = base;
    nd_actor_page *ap = NULL;
    if (q.actor) nd_query_actor(S, q.actor, &q, &ap, NULL);
    nd_result_free(ap);
    nd_query_opts bare;
    memset(&bare, 0, sizeof bare);
    bare.cursor = base.cursor;
    bare.since = base.since;
    bare.until = base.until;
    bare.limit = base.limit;
    q = bare;
    nd_story_list *st = NULL;
    if (nd_query_stories(S, &q, &st, NULL) == 0) AGAIN(nd_query_stories, st);
    nd_result_free(st);
    q = bare;
    q.since = q.until = NULL;
    nd_actor_list *al = NULL;
    if (nd_query_actors(S, &q, &al, NULL) == 0) AGAIN(nd_query_actors, al);
    nd_result_free(al);
    nd_document_list *dl = NULL;
    q = bare;
    if (nd_query_documents(S, &q, &dl, NULL) == 0) AGAIN(nd_query_documents, dl);
    nd_result_free(dl);
    nd_article_page *art = NULL;
    if (base.actor) nd_query_article(S, base.actor, &art, NULL);
    nd_result_free(art);
    free(buf);
    return 0;
}
