/*
 * bench_dup.c - how the near-duplicate sketch behaves on real article text
 * (the measurements behind the thresholds in docs/cluster.md).
 *
 *   bench_dup FILE.jsonl [FILE.jsonl ...]
 *
 * Reads only the "text" of each line.  For every article long enough for a
 * sketch it makes copies the way syndication does - other furniture around
 * the text, a few words changed, the last paragraph cut - and prints, per
 * kind of copy, the true Jaccard similarity of the word 4-gram sets, the
 * sketch's estimate, the estimate's error and the share detected at the
 * 0.7, 0.8 and 0.9 thresholds.  Then it sketches every article and counts
 * the pairs of different articles the index reports at those thresholds
 * (the candidates for false duplicates).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/cluster.h"
#include "newsdesk/token.h"

static uint64_t rs = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

/* The words of a text (lowercased), as the sketch sees them. */
typedef struct words {
    char **w;
    size_t n;
} words;

static words split(const char *t)
{
    words r = {NULL, 0};
    size_t len = strlen(t), pos = 0, cap = 0;
    nd_token tok[256];
    while (pos < len) {
        size_t used = 0, k = nd_tokenize(t + pos, len - pos, tok, 256, &used);
        for (size_t i = 0; i < k; i++) {
            if (tok[i].type != ND_TOK_WORD && tok[i].type != ND_TOK_NUM) continue;
            if (r.n == cap) r.w = realloc(r.w, (cap = cap ? cap * 2 : 256) * sizeof *r.w);
            char low[400];
            nd_token_lower(t + pos, &tok[i], 1, low, sizeof low);
            r.w[r.n++] = strdup(low);
        }
        if (!used) break;
        pos += used;
    }
    return r;
}

static void words_free(words *w)
{
    for (size_t i = 0; i < w->n; i++) free(w->w[i]);
    free(w->w);
}

static int cmp64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

/* Sorted distinct 4-gram hashes. */
static size_t shingles(const words *w, uint64_t **out)
{
    size_t n = w->n >= 4 ? w->n - 3 : 0, k = 0;
    uint64_t *s = malloc((n + 1) * sizeof *s);
    for (size_t i = 0; i < n; i++) {
        char buf[2000];
        int m = snprintf(buf, sizeof buf, "%s %s %s %s", w->w[i], w->w[i + 1], w->w[i + 2],
                         w->w[i + 3]);
        s[i] = nd_hash64(buf, (size_t) (m < (int) sizeof buf ? m : (int) sizeof buf - 1));
    }
    qsort(s, n, sizeof *s, cmp64);
    for (size_t i = 0; i < n; i++)
        if (!k || s[k - 1] != s[i]) s[k++] = s[i];
    *out = s;
    return k;
}

static double jaccard_exact(const words *a, const words *b)
{
    uint64_t *x, *y;
    size_t nx = shingles(a, &x), ny = shingles(b, &y), i = 0, j = 0, both = 0;
    while (i < nx && j < ny) {
        if (x[i] == y[j]) {
            both++;
            i++;
            j++;
        } else if (x[i] < y[j]) {
            i++;
        } else {
            j++;
        }
    }
    free(x);
    free(y);
    return nx + ny - both ? (double) both / (double) (nx + ny - both) : 0;
}

static char *join_words(const words *w, size_t from, size_t to)
{
    size_t len = 1;
    for (size_t i = from; i < to; i++) len += strlen(w->w[i]) + 1;
    char *s = malloc(len), *p = s;
    for (size_t i = from; i < to; i++) p += sprintf(p, "%s%s", i > from ? " " : "", w->w[i]);
    *p = 0;
    return s;
}

enum { FURNITURE, EDIT1, EDIT3, EDIT5, EDIT10, CUT15, FURN_EDIT2, N_KINDS };
static const char *kind_name[] = {"furniture around the text", "1% of words changed",
                                  "3% of words changed",       "5% of words changed",
                                  "10% of words changed",      "last 15% cut",
                                  "furniture + 2% changed"};

static char *variant(const words *w, int kind)
{
    words v = {malloc((w->n + 64) * sizeof(char *)), 0};
    static const char *head[] = {"home",     "news",    "world", "by", "staff",
                                 "reporter", "updated", "10",    "32", "gmt"};
    static const char *tail[] = {"share", "this", "article", "read", "more", "latest",
                                 "news",  "sign", "up",      "for",  "our",  "newsletter"};
    int furn = kind == FURNITURE || kind == FURN_EDIT2;
    double p = kind == EDIT1        ? 0.01
               : kind == EDIT3      ? 0.03
               : kind == EDIT5      ? 0.05
               : kind == EDIT10     ? 0.10
               : kind == FURN_EDIT2 ? 0.02
                                    : 0;
    if (furn)
        for (size_t i = 0; i < 10; i++) v.w[v.n++] = strdup(head[i]);
    size_t end = kind == CUT15 ? w->n * 85 / 100 : w->n;
    for (size_t i = 0; i < end; i++) {
        if (p > 0 && (double) (rnd() % 10000) / 10000.0 < p) {
            char b[16];
            snprintf(b, sizeof b, "x%05u", (unsigned) (rnd() % 100000));
            v.w[v.n++] = strdup(b);
        } else {
            v.w[v.n++] = strdup(w->w[i]);
        }
    }
    if (furn)
        for (size_t i = 0; i < 12; i++) v.w[v.n++] = strdup(tail[i]);
    char *s = join_words(&v, 0, v.n);
    words_free(&v);
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_dup FILE.jsonl [...]\n");
        return 2;
    }
    char **texts = NULL;
    size_t n = 0, cap = 0;
    for (int a = 1; a < argc; a++) {
        FILE *f = fopen(argv[a], "r");
        if (!f) {
            fprintf(stderr, "bench_dup: cannot open %s\n", argv[a]);
            return 1;
        }
        char *line = NULL;
        size_t lc = 0;
        ssize_t len;
        while ((len = getline(&line, &lc, f)) > 0) {
            json_t *o = json_loadb(line, (size_t) len, 0, NULL);
            const char *t = json_string_value(json_object_get(o, "text"));
            if (t) {
                if (n == cap) texts = realloc(texts, (cap = cap ? cap * 2 : 512) * sizeof *texts);
                texts[n++] = strdup(t);
            }
            json_decref(o);
        }
        free(line);
        fclose(f);
    }
    double sum_j[N_KINDS] = {0}, sum_e[N_KINDS] = {0}, sum_err[N_KINDS] = {0};
    double max_err[N_KINDS] = {0};
    size_t det7[N_KINDS] = {0}, det8[N_KINDS] = {0}, det9[N_KINDS] = {0}, used = 0;
    nd_dup_sketch *sk = calloc(n ? n : 1, sizeof *sk);
    for (size_t i = 0; i < n; i++) {
        nd_dup_sketch_text(NULL, 0, texts[i], strlen(texts[i]), &sk[i]);
        if (!sk[i].n_shingles) continue;
        used++;
        words w = split(texts[i]);
        char *plain = join_words(&w, 0, w.n);
        nd_dup_sketch base;
        nd_dup_sketch_text(NULL, 0, plain, strlen(plain), &base);
        for (int k = 0; k < N_KINDS; k++) {
            char *v = variant(&w, k);
            words vw = split(v);
            nd_dup_sketch vs;
            nd_dup_sketch_text(NULL, 0, v, strlen(v), &vs);
            double j = jaccard_exact(&w, &vw), e = nd_dup_jaccard(&base, &vs);
            sum_j[k] += j;
            sum_e[k] += e;
            sum_err[k] += fabs(e - j);
            if (fabs(e - j) > max_err[k]) max_err[k] = fabs(e - j);
            det7[k] += e >= 0.7;
            det8[k] += e >= 0.8;
            det9[k] += e >= 0.9;
            words_free(&vw);
            free(v);
        }
        free(plain);
        words_free(&w);
    }
    printf("%zu articles, %zu with a sketch (>= 50 shingles)\n\n", n, used);
    printf("%-28s %8s %8s %8s %8s %7s %7s %7s\n", "copy", "true J", "est. J", "mean err", "max err",
           ">=0.7", ">=0.8", ">=0.9");
    for (int k = 0; k < N_KINDS && used; k++)
        printf("%-28s %8.3f %8.3f %8.3f %8.3f %6.1f%% %6.1f%% %6.1f%%\n", kind_name[k],
               sum_j[k] / used, sum_e[k] / used, sum_err[k] / used, max_err[k],
               100.0 * det7[k] / used, 100.0 * det8[k] / used, 100.0 * det9[k] / used);
    /* all pairs of different articles */
    size_t p5 = 0, p7 = 0, p8 = 0, p9 = 0, pairs = 0, same = 0;
    for (size_t i = 0; i < n; i++) {
        if (!sk[i].n_shingles) continue;
        for (size_t j = i + 1; j < n; j++) {
            if (!sk[j].n_shingles) continue;
            if (!strcmp(texts[i], texts[j])) {
                same++;
                continue;
            }
            double e = nd_dup_jaccard(&sk[i], &sk[j]);
            pairs++;
            p5 += e >= 0.5;
            p7 += e >= 0.7;
            p8 += e >= 0.8;
            p9 += e >= 0.9;
        }
    }
    printf("\n%zu pairs of different articles (%zu identical pairs skipped): estimated J >= 0.5: "
           "%zu, >= 0.7: %zu, >= 0.8: %zu, >= 0.9: %zu\n",
           pairs, same, p5, p7, p8, p9);
    for (size_t i = 0; i < n; i++) free(texts[i]);
    free(texts);
    free(sk);
    return 0;
}
