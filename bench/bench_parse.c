/* bench_parse.c - speed of tagging + parsing on one core.
 *
 *   bench_parse [--model FILE] [--seconds S] [--text] FILE.conllu
 *
 * Reads the sentences of a CoNLL-U file (its words: gold tokens), then
 * tags, lemmatises and parses them again and again for S seconds of CPU
 * time.  Prints sentences/s and words/s (CPU time of this thread), and the
 * model load time.  --text also times nd_parse_words() on each sentence's
 * "# text" (words from raw text + tag + parse). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "newsdesk/newsdesk.h"

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct sent {
    char *text; /* forms joined by spaces */
    size_t len;
    nd_word *w;
    size_t n;
    char *raw; /* "# text" */
} sent;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 20, n = 0;
    char *b = malloc(cap);
    for (;;) {
        if (n == cap) b = realloc(b, cap *= 2);
        size_t k = fread(b + n, 1, cap - n, f);
        if (!k) break;
        n += k;
    }
    fclose(f);
    *len = n;
    return b;
}

int main(int argc, char **argv)
{
    const char *model = NULL, *path = NULL;
    double secs = 5;
    int text_mode = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc)
            model = argv[++i];
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            secs = atof(argv[++i]);
        else if (!strcmp(argv[i], "--text"))
            text_mode = 1;
        else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: bench_parse [--model FILE] [--seconds S] [--text] FILE.conllu\n");
        return 2;
    }
    nd_error err = {0};
    double w0 = wall_now(), c0 = nd__thread_cpu();
    const nd_parser *p;
    nd_parser *owned = NULL;
    if (model)
        p = owned = nd_parser_load(model, &err);
    else
        p = nd_parser_default(&err);
    double load_wall = wall_now() - w0, load_cpu = nd__thread_cpu() - c0;
    if (!p) {
        fprintf(stderr, "bench_parse: %s\n", err.msg);
        return 1;
    }
    size_t len;
    char *data = slurp(path, &len);
    if (!data) {
        fprintf(stderr, "bench_parse: %s: cannot read\n", path);
        return 1;
    }
    nd_conllu_reader *r = nd_conllu_reader_new(data, len);
    const nd_conllu_sent *cs;
    size_t ns = 0, cap = 0, words = 0;
    sent *ss = NULL;
    int rc;
    while ((rc = nd_conllu_next(r, &cs, &err)) != 0) {
        if (rc < 0) {
            fprintf(stderr, "bench_parse: %s: %s\n", path, err.msg);
            return 1;
        }
        if (ns == cap) ss = realloc(ss, (cap = cap ? cap * 2 : 1024) * sizeof *ss);
        sent *s = &ss[ns++];
        size_t tl = 0;
        for (size_t i = 0; i < cs->n_lines; i++)
            if (cs->lines[i].kind == ND_CONLLU_WORD) tl += strlen(cs->lines[i].col[1]) + 1;
        s->text = malloc(tl + 1);
        s->w = calloc(cs->n_words, sizeof *s->w);
        s->n = cs->n_words;
        s->raw = cs->text ? strdup(cs->text) : NULL;
        size_t o = 0, k = 0;
        for (size_t i = 0; i < cs->n_lines; i++) {
            if (cs->lines[i].kind != ND_CONLLU_WORD) continue;
            size_t fl = strlen(cs->lines[i].col[1]);
            s->w[k].start = (uint32_t) o;
            memcpy(s->text + o, cs->lines[i].col[1], fl);
            o += fl;
            s->w[k].end = (uint32_t) o;
            s->text[o++] = ' ';
            k++;
        }
        s->len = o;
        words += s->n;
    }
    nd_conllu_reader_free(r);
    nd_parse_work *wk = nd_parse_work_new();
    /* warm up once */
    for (size_t i = 0; i < ns; i++)
        nd_parse_sentence(p, ss[i].text, ss[i].len, ss[i].w, ss[i].n, wk);
    size_t done_s = 0, done_w = 0;
    double t0 = nd__thread_cpu(), t = 0;
    while ((t = nd__thread_cpu() - t0) < secs) {
        for (size_t i = 0; i < ns; i++) {
            nd_parse_sentence(p, ss[i].text, ss[i].len, ss[i].w, ss[i].n, wk);
            done_w += ss[i].n;
        }
        done_s += ns;
    }
    printf("parse   %8.0f sentences/s  %9.0f words/s  (gold words of %zu sentences, %.1f words "
           "each, tag + lemma + parse, CPU time of one thread)\n",
           done_s / t, done_w / t, ns, (double) words / (double) (ns ? ns : 1));
    if (text_mode) {
        nd_word *w = malloc(4096 * sizeof *w);
        done_s = done_w = 0;
        t0 = nd__thread_cpu();
        while ((t = nd__thread_cpu() - t0) < secs) {
            for (size_t i = 0; i < ns; i++) {
                if (!ss[i].raw) continue;
                size_t rl = strlen(ss[i].raw);
                size_t n = nd_parse_words(ss[i].raw, 0, rl, w, 4096, NULL);
                nd_parse_sentence(p, ss[i].raw, rl, w, n, wk);
                done_w += n;
                done_s++;
            }
        }
        printf("text    %8.0f sentences/s  %9.0f words/s  (each sentence's # text: words + tag + "
               "lemma + parse)\n",
               done_s / t, done_w / t);
        free(w);
    }
    printf("load    %8.1f ms wall, %.1f ms CPU (%s)\n", load_wall * 1e3, load_cpu * 1e3,
           model ? model : "the model compiled into the library");
    nd_parse_work_free(wk);
    nd_parser_free(owned);
    for (size_t i = 0; i < ns; i++) {
        free(ss[i].text);
        free(ss[i].w);
        free(ss[i].raw);
    }
    free(ss);
    free(data);
    return 0;
}
