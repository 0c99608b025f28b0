/* bench_store.c - the store alone: documents per second into SQLite (with
 * the FTS5 index), re-adding the same pages, and search latency.
 *
 *   bench_store [--docs N] [--batch N] [--db PATH]
 *
 * Articles are made up here (about 8 KB of text in 25 paragraphs, like
 * the benchmark pages), so the figures leave extraction out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "newsdesk/newsdesk.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

static const char *const words[] = {
    "council", "minister",  "harbour",  "election", "budget",   "police", "river",   "market",
    "school",  "bridge",    "festival", "railway",  "hospital", "court",  "village", "storm",
    "said",    "announced", "warned",   "after",    "before",   "during", "week",    "year",
    "the",     "of",        "and",      "to",       "in",       "a",      "on",      "for",
    "with",    "that",      "by",       "from",     "new",      "old"};

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* An article of about 8 KB in 25 paragraphs. */
static nd_article *make(int n)
{
    nd_article *a = nd_calloc(1, sizeof *a);
    a->arena = nd_arena_new(16384);
    a->published_ts = ND_TIME_NONE;
    a->title = nd_arena_printf(a->arena, "Story %d about the %s", n, words[n % 16]);
    a->site = "Bench Times";
    a->language = "en";
    a->paragraphs = nd_arena_calloc(a->arena, 25, sizeof(char *));
    nd_buf text = ND_BUF_INIT, p = ND_BUF_INIT;
    unsigned s = (unsigned) n * 2654435761u;
    for (int i = 0; i < 25; i++) {
        nd_buf_clear(&p);
        for (int w = 0; w < 50; w++) {
            if (w) nd_buf_putc(&p, ' ');
            nd_buf_puts(&p, words[rnd(&s) % (sizeof words / sizeof *words)]);
        }
        nd_buf_printf(&p, " ref%dx%d.", n, i);
        a->paragraphs[i] = nd_arena_strndup(a->arena, p.ptr, p.len);
        if (i) nd_buf_puts(&text, "\n\n");
        nd_buf_append(&text, p.ptr, p.len);
    }
    a->n_paragraphs = 25;
    a->text = nd_arena_strndup(a->arena, text.ptr, text.len);
    a->text_len = text.len;
    nd_buf_free(&text);
    nd_buf_free(&p);
    return a;
}

/* Hits of one search (the query layer's answer), or -1. */
static int count(nd_store *s, const nd_query_opts *q, nd_error *err)
{
    nd_hit_list *r = NULL;
    if (nd_query_search(s, q, &r, err)) return -1;
    int n = (int) r->n;
    nd_result_free(r);
    return n;
}

int main(int argc, char **argv)
{
    int docs = 20000, batch = 200;
    const char *db = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--docs") && i + 1 < argc)
            docs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc)
            batch = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else {
            fprintf(stderr, "usage: bench_store [--docs N] [--batch N] [--db PATH]\n");
            return 2;
        }
    }
    char path[64];
    if (!db) {
        snprintf(path, sizeof path, "/tmp/nd_bench_store.%d.db", (int) getpid());
        db = path;
    }
    nd_store *s;
    nd_error err = {0};
    if (nd_store_open(db, ND_STORE_CREATE | ND_STORE_FAST, &s, &err)) {
        fprintf(stderr, "bench_store: %s\n", err.msg);
        return 1;
    }
    nd_article **arts = malloc((size_t) docs * sizeof *arts);
    size_t bytes = 0;
    for (int i = 0; i < docs; i++) {
        arts[i] = make(i);
        bytes += arts[i]->text_len;
    }
    printf("%-28s %8s %9s %8s\n", "store", "docs", "docs/s", "MB/s");
    for (int pass = 0; pass < 2; pass++) {
        double t0 = now();
        int added = 0;
        for (int i = 0; i < docs; i++) {
            if (i % batch == 0 && nd_store_begin(s, &err)) break;
            nd_store_page p = {0};
            char url[64];
            snprintf(url, sizeof url, "https://bench.example/%d", i);
            p.article = arts[i];
            p.url = url;
            p.raw_hash = (uint64_t) i * 0x9e3779b97f4a7c15ULL + 1;
            p.fetched = ND_TIME_NONE;
            p.origin.offset = p.origin.line = -1;
            nd_store_added res;
            if (nd_store_add_page(s, &p, &res, &err)) {
                fprintf(stderr, "bench_store: %s\n", err.msg);
                break;
            }
            added += res.outcome == ND_STORE_ADDED;
            if ((i + 1) % batch == 0 || i + 1 == docs) nd_store_commit(s, &err);
        }
        double dt = now() - t0;
        printf("%-28s %8d %9.0f %8.1f\n",
               pass ? "add again (seen, 0 added)" : "add (FTS5, paragraphs)", added, docs / dt,
               (double) bytes / 1e6 / dt);
    }
    /* Search latency over the store just built. */
    static const char *const queries[] = {"council", "\"harbour election\"", "ref77x3",
                                          "bridge AND storm NOT court", "hosp*"};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        nd_query_opts sq = {0};
        sq.text = queries[q];
        int n = 0, reps = 20;
        double t0 = now();
        for (int r = 0; r < reps; r++) n = count(s, &sq, &err);
        printf("search %-21s %8d hits %6.1f ms\n", queries[q], n, (now() - t0) * 1000 / reps);
    }
    for (int i = 0; i < docs; i++) nd_article_free(arts[i]);
    free(arts);
    nd_store_close(s);
    if (db == path) {
        unlink(path);
        char aux[80];
        snprintf(aux, sizeof aux, "%s-wal", path);
        unlink(aux);
        snprintf(aux, sizeof aux, "%s-shm", path);
        unlink(aux);
    }
    return 0;
}
