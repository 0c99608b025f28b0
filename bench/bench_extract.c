/* bench_extract.c - single-thread extraction throughput.
 *
 * usage: bench_extract [--seconds S] [--stage decode|parse|extract] FILE...
 * Loads the pages into memory, then extracts them round after round until
 * at least S seconds (default 20) have passed; prints pages/s, MB/s and
 * peak RSS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "extract/page.h"
#include "newsdesk/newsdesk.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t) n + 1);
    if (p && fread(p, 1, (size_t) n, f) != (size_t) n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    if (p) p[n] = 0;
    *len = (size_t) n;
    return p;
}

int main(int argc, char **argv)
{
    double seconds = 20;
    const char *stage = "extract";
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
        if (i + 1 >= argc) break;
        if (!strcmp(argv[i], "--seconds"))
            seconds = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--stage"))
            stage = argv[i + 1];
    }
    int n = argc - i;
    if (n <= 0) {
        fprintf(stderr,
                "usage: bench_extract [--seconds S] [--stage decode|parse|extract] FILE...\n");
        return 2;
    }
    char **data = calloc((size_t) n, sizeof *data);
    size_t *len = calloc((size_t) n, sizeof *len);
    size_t total = 0;
    for (int k = 0; k < n; k++) {
        data[k] = slurp(argv[i + k], &len[k]);
        if (!data[k]) {
            fprintf(stderr, "bench_extract: %s: cannot read\n", argv[i + k]);
            return 1;
        }
        total += len[k];
    }
    int mode = !strcmp(stage, "decode") ? 0 : !strcmp(stage, "parse") ? 1 : 2;
    size_t pages = 0, bytes = 0, failed = 0;
    double t0 = now(), t;
    do {
        for (int k = 0; k < n; k++) {
            if (mode == 2) {
                nd_article *a = NULL;
                if (nd_extract(data[k], len[k], NULL, &a, NULL)) failed++;
                nd_article_free(a);
            } else {
                nd_decoded d;
                if (nd_decode(data[k], len[k], NULL, &d, NULL) == 0) {
                    if (mode == 1) {
                        nd_page pg;
                        if (nd__page_init(&pg, d.len / 2) == 0) {
                            if (d.kind == ND_KIND_HTML)
                                nd__html_to_page(d.text, d.len, &pg);
                            else
                                nd__text_to_page(d.text, d.len, &pg);
                            nd__page_free(&pg);
                        }
                    }
                    nd_decoded_free(&d);
                }
            }
            pages++;
            bytes += len[k];
        }
        t = now() - t0;
    } while (t < seconds);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%-8s %6d pages %7.1f MB  %8.0f pages/s  %7.1f MB/s  peak RSS %5.1f MB  rounds %zu  "
           "failed/round %zu\n",
           stage, n, (double) total / 1e6, (double) pages / t, (double) bytes / t / 1e6,
           (double) ru.ru_maxrss / 1024.0, pages / (size_t) n, failed / (pages / (size_t) n));
    for (int k = 0; k < n; k++) free(data[k]);
    free(data);
    free(len);
    return 0;
}
