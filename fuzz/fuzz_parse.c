/*
 * fuzz_parse.c - the parser's entry points on arbitrary bytes.  The first
 * byte chooses:
 *   0: text -> nd_parse_sentences -> nd_parse_words -> nd_parse_sentence;
 *      every span must lie in its sentence and every parse must be a tree;
 *   1: CoNLL-U -> nd_conllu_next -> nd_parse_sentence on its words;
 *   2: a model file: the bytes given a valid header and checksum, so that
 *      nd_parser_load_mem's table checks are what stands between them and
 *      a crash; a model that loads must then parse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/parse.h"
#include "parse/parse_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static nd_parse_work *work;

static void check_tree(const nd_word *w, size_t n)
{
    size_t roots = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i].head < 0) {
            roots++;
        } else if ((size_t) w[i].head >= n || w[i].head == (int32_t) i) {
            abort();
        }
        if (!w[i].lemma) abort();
    }
    if (n && roots != 1) abort();
}

static void run_text(const nd_parser *p, const char *t, size_t len)
{
    nd_span *sp = NULL;
    size_t ns = 0;
    if (nd_parse_sentences(t, len, &sp, &ns, NULL)) return;
    nd_word w[512];
    for (size_t s = 0; s < ns; s++) {
        if (sp[s].start > sp[s].end || sp[s].end > len) abort();
        size_t stop = 0;
        size_t n = nd_parse_words(t, sp[s].start, sp[s].end, w, 512, &stop);
        for (size_t i = 0; i < n; i++)
            if (w[i].start < sp[s].start || w[i].end > sp[s].end || w[i].start >= w[i].end) abort();
        if (nd_parse_sentence(p, t, len, w, n, work)) abort();
        check_tree(w, n);
    }
    nd_free(sp);
}

static void run_conllu(const nd_parser *p, const char *d, size_t len)
{
    nd_conllu_reader *r = nd_conllu_reader_new(d, len);
    const nd_conllu_sent *s;
    nd_error err;
    int rc;
    char text[4096];
    nd_word w[512];
    while (r && (rc = nd_conllu_next(r, &s, &err)) != 0) {
        if (rc < 0) continue;
        size_t tl = 0, n = 0;
        for (size_t i = 0; i < s->n_lines && n < 512; i++) {
            if (s->lines[i].kind != ND_CONLLU_WORD) continue;
            size_t fl = strlen(s->lines[i].col[1]);
            if (tl + fl + 1 > sizeof text) break;
            memcpy(text + tl, s->lines[i].col[1], fl);
            w[n].start = (uint32_t) tl;
            w[n].end = (uint32_t) (tl + fl);
            w[n].flags = 0;
            tl += fl;
            text[tl++] = ' ';
            n++;
        }
        if (nd_parse_sentence(p, text, tl, w, n, work)) abort();
        check_tree(w, n);
    }
    nd_conllu_reader_free(r);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char) (v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char) (v >> (8 * i));
}

static void run_model(const uint8_t *d, size_t size)
{
    unsigned char *m = NULL;
    size_t n = size < ND__PM_HEADER ? ND__PM_HEADER : size;
    if (posix_memalign((void **) &m, 64, n)) return;
    memset(m, 0, n);
    memcpy(m, d, size);
    memcpy(m, ND__PM_MAGIC, 8);
    put32(m + 8, ND__PM_VERSION);
    uint32_t sec = m[12] % 12 + 1;
    put32(m + 12, sec);
    put64(m + 16, n);
    put32(m + 32, ND__PM_HEADER + 24 * sec);
    put64(m + 24, nd__pm_checksum(m + 32, n - 32));
    nd_parser *p = nd_parser_load_mem(m, n, NULL);
    if (p) {
        const char *s = "The model that loads must parse this.";
        nd_word w[16];
        size_t k = nd_parse_words(s, 0, strlen(s), w, 16, NULL);
        if (nd_parse_sentence(p, s, strlen(s), w, k, work)) abort();
        check_tree(w, k);
        nd_parser_free(p);
    }
    free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const nd_parser *p = nd_parser_default(NULL);
    if (!p) abort();
    if (!work && !(work = nd_parse_work_new())) abort();
    if (!size) return 0;
    switch (data[0] % 3) {
    case 0: run_text(p, (const char *) data + 1, size - 1); break;
    case 1: run_conllu(p, (const char *) data + 1, size - 1); break;
    default: run_model(data + 1, size - 1); break;
    }
    return 0;
}
