/* bench_lang.c - speed of nd_stopword() (called for every token of every
 * page) and nd_lang_detect() (once per page), on text written for it.
 *
 *   build/bench/bench_lang [seconds per row, default 1]
 */
#include "newsdesk/newsdesk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const texts[][2] = {
    {"en", "the president said on tuesday that the government would not change its policy and "
           "officials in the capital were cautious about what might happen next after the vote"},
    {"de", "der präsident sagte am dienstag dass die regierung ihre politik nicht ändern werde "
           "und die beamten in der hauptstadt waren vorsichtig"},
    {"fr", "le président a déclaré mardi que le gouvernement ne changerait pas sa politique et "
           "les responsables de la capitale restaient prudents"},
    {"es", "el presidente dijo el martes que el gobierno no cambiaría su política y los "
           "funcionarios de la capital se mostraron cautelosos"},
    {"ru", "президент заявил во вторник что правительство не будет менять свою политику и "
           "чиновники в столице осторожны"},
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

typedef struct tok {
    const char *p;
    size_t n;
} tok;

/* Split on spaces. */
static size_t split(const char *s, tok *out, size_t cap)
{
    size_t k = 0;
    while (*s && k < cap) {
        while (*s == ' ') s++;
        const char *e = s;
        while (*e && *e != ' ') e++;
        if (e > s) out[k++] = (tok){s, (size_t) (e - s)};
        s = e;
    }
    return k;
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    if (secs <= 0) secs = 1.0;
    volatile long sink = 0;

    printf("%-34s %14s %10s\n", "nd_stopword", "tokens/s", "ns/token");
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        tok toks[256];
        size_t n = split(texts[t][1], toks, 256);
        long calls = 0, hits = 0;
        double t0 = now_s(), el;
        do {
            for (int r = 0; r < 1000; r++)
                for (size_t i = 0; i < n; i++)
                    hits += nd_stopword(texts[t][0], toks[i].p, toks[i].n);
            calls += 1000 * (long) n;
        } while ((el = now_s() - t0) < secs);
        sink += hits;
        char label[64];
        snprintf(label, sizeof label, "%s text, lang %s (%.0f%% stop)", texts[t][0], texts[t][0],
                 100.0 * (double) hits / (double) calls);
        printf("%-34s %14.0f %10.1f\n", label, (double) calls / el, el * 1e9 / (double) calls);
    }

    printf("\n%-34s %14s %10s\n", "nd_lang_detect (20 KB text)", "pages/s", "MB/s");
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        nd_buf b = ND_BUF_INIT;
        while (b.len < 20480) nd_buf_puts(&b, texts[t][1]), nd_buf_puts(&b, ". ");
        if (nd_buf_failed(&b)) return 1;
        long calls = 0;
        const char *got = NULL;
        double t0 = now_s(), el;
        do {
            got = nd_lang_detect(b.ptr, b.len);
            calls++;
        } while ((el = now_s() - t0) < secs);
        char label[64];
        snprintf(label, sizeof label, "%s text -> %s", texts[t][0], got ? got : "none");
        printf("%-34s %14.0f %10.1f\n", label, (double) calls / el,
               (double) calls * (double) b.len / el / 1e6);
        nd_buf_free(&b);
    }
    return sink < 0;
}
