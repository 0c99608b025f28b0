/*
 * gen_wordfreq.c - write the story engine's word-rarity prior,
 * data/wordfreq/prior.bin, from wordfreq frequency lists (tools/gen_wordfreq.sh
 * runs it on ../shared/data/wordfreq).
 *
 *   gen_wordfreq OUT LIST.tsv:N:W [LIST.tsv:N:W ...]
 *
 * Each LIST.tsv is a decompressed wordfreq list (word<TAB>frequency, most
 * frequent first, '#' comment lines) of which the first N words are read,
 * weighing W in the mix of languages.
 * A word is kept when the project tokenizer reads it as one word token
 * without digits, and it is lowercased the way the story engine's features
 * lowercase it (nd_token_lower); English stop words and one-letter words,
 * which never become features, are dropped.  Within a list, the frequencies
 * of words that lowercase alike add up; across lists they mix with the
 * lists' weights: the chance that a word of the news the engine reads is
 * this word, when a share W of that news is in the list's language.
 *
 * Output (little-endian; docs/cluster.md, "Word-rarity prior"):
 *   "NDWF"  u32 version (1)  u32 entries  u32 payload bytes  u64 FNV-1a 64 of the payload
 *   payload: entries sorted by their bytes, each
 *            u8 bytes shared with the previous word, u8 bytes that follow,
 *            those bytes, u8 q = round(-20 log10 frequency)
 * The same lists give the same bytes.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_int.h" /* nd__prior_checksum */
#include "newsdesk/lang.h"
#include "newsdesk/token.h"

#define MAX_WORD 96 /* the features consider no longer word (features.c) */

typedef struct ent {
    char *word;
    double f; /* the mix over the lists */
} ent;

static ent *tab;
static size_t tab_cap, tab_n;

static ent *lookup(const char *w)
{
    if (tab_n * 2 >= tab_cap) {
        size_t cap = tab_cap ? tab_cap * 2 : 1 << 16;
        ent *t = calloc(cap, sizeof *t);
        if (!t) return NULL;
        for (size_t i = 0; i < tab_cap; i++) {
            if (!tab[i].word) continue;
            size_t j = nd_hash64(tab[i].word, strlen(tab[i].word)) & (cap - 1);
            while (t[j].word) j = (j + 1) & (cap - 1);
            t[j] = tab[i];
        }
        free(tab);
        tab = t;
        tab_cap = cap;
    }
    size_t j = nd_hash64(w, strlen(w)) & (tab_cap - 1);
    while (tab[j].word && strcmp(tab[j].word, w)) j = (j + 1) & (tab_cap - 1);
    if (!tab[j].word) {
        tab[j].word = strdup(w);
        if (!tab[j].word) return NULL;
        tab_n++;
    }
    return &tab[j];
}

/* The first n words of one list, weighing w. */
static int read_list(const char *path, long n, double w)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "gen_wordfreq: %s: cannot open\n", path);
        return -1;
    }
    char line[4096];
    long seen = 0;
    while (seen < n && fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        char *tabc = strchr(line, '\t');
        if (!tabc) continue;
        *tabc = 0;
        double fr = strtod(tabc + 1, NULL);
        size_t len = strlen(line);
        seen++;
        if (!(fr > 0) || !len) continue;
        nd_token tok[4];
        size_t used = 0;
        size_t k = nd_tokenize(line, len, tok, 4, &used);
        if (k != 1 || tok[0].type != ND_TOK_WORD || (tok[0].flags & ND_TOKF_DIGIT) ||
            tok[0].off != 0 || tok[0].len != len)
            continue;
        char low[MAX_WORD * 4 + 8];
        size_t ln = nd_token_lower(line, &tok[0], 1, low, sizeof low);
        if (ln < 2 || ln > MAX_WORD || nd_stopword(NULL, low, ln)) continue;
        low[ln] = 0;
        ent *e = lookup(low);
        if (!e) {
            fclose(f);
            return -1;
        }
        e->f += w * fr;
    }
    fclose(f);
    return 0;
}

static int cmp_word(const void *a, const void *b)
{
    return strcmp(((const ent *) a)->word, ((const ent *) b)->word);
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char) (v >> (8 * i));
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: gen_wordfreq OUT LIST.tsv:N:W ...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        char *c2 = strrchr(argv[i], ':');
        if (c2) *c2 = 0;
        char *c1 = c2 ? strrchr(argv[i], ':') : NULL;
        if (!c1 || atol(c1 + 1) <= 0 || !(atof(c2 + 1) > 0)) {
            fprintf(stderr, "gen_wordfreq: '%s': want LIST.tsv:N:W\n", argv[i]);
            return 2;
        }
        *c1 = 0;
        if (read_list(argv[i], atol(c1 + 1), atof(c2 + 1))) return 1;
    }
    size_t n = 0;
    for (size_t i = 0; i < tab_cap; i++)
        if (tab[i].word) tab[n++] = tab[i];
    qsort(tab, n, sizeof *tab, cmp_word);
    size_t cap = 24 + n * (MAX_WORD * 4 + 3), len = 24;
    unsigned char *out = malloc(cap);
    if (!out) return 1;
    const char *prev = "";
    for (size_t i = 0; i < n; i++) {
        const char *w = tab[i].word;
        size_t wl = strlen(w), pre = 0;
        while (pre < 255 && prev[pre] && prev[pre] == w[pre]) pre++;
        if (wl - pre > 255) {
            fprintf(stderr, "gen_wordfreq: '%s': too long\n", w);
            return 1;
        }
        long q = lround(-20.0 * log10(tab[i].f));
        out[len++] = (unsigned char) pre;
        out[len++] = (unsigned char) (wl - pre);
        memcpy(out + len, w + pre, wl - pre);
        len += wl - pre;
        out[len++] = (unsigned char) (q < 0 ? 0 : q > 255 ? 255 : q);
        prev = w;
    }
    uint64_t sum = nd__prior_checksum(out + 24, len - 24);
    memcpy(out, "NDWF", 4);
    put_u32(out + 4, 1);
    put_u32(out + 8, (uint32_t) n);
    put_u32(out + 12, (uint32_t) (len - 24));
    put_u32(out + 16, (uint32_t) sum);
    put_u32(out + 20, (uint32_t) (sum >> 32));
    FILE *o = fopen(argv[1], "wb");
    if (!o || fwrite(out, 1, len, o) != len || fclose(o)) {
        fprintf(stderr, "gen_wordfreq: %s: cannot write\n", argv[1]);
        return 1;
    }
    fprintf(stderr, "gen_wordfreq: %s: %zu words, %zu bytes\n", argv[1], n, len);
    return 0;
}
