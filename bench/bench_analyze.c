/* bench_analyze.c - speed of nd_analyze() on one core: sentences/s and MB/s.
 *
 *   build/bench/bench_analyze [--seconds S] [--no-events] [--no-quotes] [FILE.jsonl...]
 *
 * Each FILE is JSON Lines with a "text" field (and "date"/"published" when
 * present); without files a built-in news-like text written for this bench
 * is used.  The texts are analysed over and over for at least S seconds
 * (default 5) after one warm-up pass that also loads the dictionaries.
 * One row per corpus: documents, sentences, MB, seconds, sentences/s, MB/s,
 * quotations and events per 1,000 sentences.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsdesk/analyze.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

typedef struct doc {
    char *text;
    size_t len;
    char *date;
} doc;

static const char *const builtin[] = {
    "Chinese President Xi Jinping met Russian President Vladimir Putin in Moscow on Thursday, "
    "and the two leaders signed a joint statement on deepening their partnership. "
    "\"Our relations are at their best in history,\" Mr Putin told reporters after the talks. "
    "Mr Xi said the two countries would strengthen co-ordination on security.",
    "Ukraine's foreign minister said Russia had violated the ceasefire hours after it began, "
    "calling it a 'farce'. Russian troops shelled the eastern city of Kharkiv overnight, "
    "killing three civilians, regional officials said on Friday. The United Nations "
    "condemned the attack and urged both sides to return to talks in Geneva.",
    "The European Union imposed new sanctions on Iran over its nuclear programme, the bloc's "
    "foreign policy chief said. Tehran rejected the decision. \"This is economic warfare,\" "
    "an Iranian government spokesman said, adding that Iran would respond. Israel welcomed "
    "the move, while Saudi Arabia declined to comment.",
    "Protesters clashed with police in Nairobi on Tuesday after the government raised fuel "
    "taxes. Kenyan President William Ruto said the increase was necessary, but opposition "
    "leaders vowed to continue the demonstrations. Police arrested dozens of people, "
    "according to a rights group.",
};

static int load(const char *path, doc **docs, size_t *n, size_t *cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_analyze: %s: cannot open\n", path);
        return -1;
    }
    char *line = NULL;
    size_t lcap = 0;
    ssize_t r;
    while ((r = getline(&line, &lcap, f)) > 0) {
        json_error_t je;
        json_t *o = json_loadb(line, (size_t) r, 0, &je);
        json_t *t = o ? json_object_get(o, "text") : NULL;
        if (json_is_string(t)) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 256;
                doc *q = realloc(*docs, *cap * sizeof *q);
                if (!q) break;
                *docs = q;
            }
            doc *d = &(*docs)[(*n)++];
            d->len = json_string_length(t);
            d->text = malloc(d->len + 1);
            if (d->text) memcpy(d->text, json_string_value(t), d->len + 1);
            json_t *dt = json_object_get(o, "date");
            if (!json_is_string(dt)) dt = json_object_get(o, "published");
            d->date = json_is_string(dt) ? strdup(json_string_value(dt)) : NULL;
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    return 0;
}

static void bench(const char *label, doc *docs, size_t n, double secs, const nd_analyze_opts *base)
{
    size_t sents = 0, bytes = 0, quotes = 0, events = 0, passes = 0;
    nd_error err;
    /* warm-up (also loads the dictionaries) */
    for (size_t i = 0; i < n; i++) {
        nd_analyze_opts o = *base;
        o.date = docs[i].date;
        nd_analysis *a = NULL;
        if (nd_analyze(docs[i].text, docs[i].len, &o, &a, &err) == 0) nd_analysis_free(a);
    }
    double t0 = now_s(), t1 = t0;
    do {
        for (size_t i = 0; i < n; i++) {
            nd_analyze_opts o = *base;
            o.date = docs[i].date;
            nd_analysis *a = NULL;
            if (nd_analyze(docs[i].text, docs[i].len, &o, &a, &err)) continue;
            sents += a->n_sentences;
            bytes += docs[i].len;
            quotes += a->n_quotes;
            events += a->n_events;
            nd_analysis_free(a);
        }
        passes++;
        t1 = now_s();
    } while (t1 - t0 < secs);
    double dt = t1 - t0;
    printf("%-28s %6zu %9zu %8.1f %7.2f %12.0f %7.2f %8.1f %8.1f\n", label, n * passes, sents,
           (double) bytes / 1e6, dt, (double) sents / dt, (double) bytes / 1e6 / dt,
           sents ? 1000.0 * (double) quotes / (double) sents : 0,
           sents ? 1000.0 * (double) events / (double) sents : 0);
}

int main(int argc, char **argv)
{
    double secs = 5;
    nd_analyze_opts base;
    nd_analyze_opts_init(&base);
    int first = 1;
    printf("%-28s %6s %9s %8s %7s %12s %7s %8s %8s\n", "corpus", "docs", "sentences", "MB",
           "seconds", "sentences/s", "MB/s", "quot/1k", "evt/1k");
    int files = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
            secs = atof(argv[++i]);
            continue;
        }
        if (!strcmp(argv[i], "--no-events")) {
            base.no_events = 1;
            continue;
        }
        if (!strcmp(argv[i], "--no-quotes")) {
            base.no_quotes = 1;
            continue;
        }
        doc *docs = NULL;
        size_t n = 0, cap = 0;
        if (load(argv[i], &docs, &n, &cap) == 0 && n) {
            const char *b = strrchr(argv[i], '/');
            bench(b ? b + 1 : argv[i], docs, n, secs, &base);
        }
        for (size_t k = 0; k < n; k++) free(docs[k].text), free(docs[k].date);
        free(docs);
        files++;
        first = 0;
    }
    if (first && !files) {
        doc docs[sizeof builtin / sizeof *builtin];
        size_t n = sizeof builtin / sizeof *builtin;
        for (size_t k = 0; k < n; k++) {
            docs[k].text = (char *) builtin[k];
            docs[k].len = strlen(builtin[k]);
            docs[k].date = (char *) "2025-05-08";
        }
        bench("built-in news text", docs, n, secs, &base);
    }
    return 0;
}
