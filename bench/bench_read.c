/* bench_read.c - throughput of the input readers.
 *
 * usage: bench_read [--pages N] [--src DIR]     generate and read a corpus
 *        bench_read PATH...                      read existing inputs
 *
 * Without paths: writes N pages (default 5000; the HTML files of DIR in
 * turn, e.g. ../shared/bench/extract/html, else generated pages) to a
 * temporary folder as a per-record-gzip WARC (as crawlers write them), a
 * plain WARC, a whole-file-gzip WARC, JSON lines and JSON lines .gz, then
 * reads each with nd_reader and prints one table row per format: input MB,
 * page MB, pages, wall and CPU seconds, then input MB/s, page MB/s and
 * pages/s per CPU second (the machine may be shared), and peak RSS.
 * Every page's bytes are touched, as a consumer would.  Single thread.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "newsdesk/newsdesk.h"
#include "newsdesk/read.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static size_t peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (size_t) ru.ru_maxrss / 1024;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = n >= 0 ? malloc((size_t) n + 1) : NULL;
    if (p && fread(p, 1, (size_t) n, f) != (size_t) n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    if (p) p[n] = 0;
    *len = p ? (size_t) n : 0;
    return p;
}

/* ---- source pages ----------------------------------------------------- */

typedef struct {
    char **data;
    size_t *len;
    size_t n;
} pages;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static void load_src(pages *pg, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t k = strlen(e->d_name);
        if (k < 5 || strcmp(e->d_name + k - 5, ".html") != 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    pg->data = calloc(n ? n : 1, sizeof *pg->data);
    pg->len = calloc(n ? n : 1, sizeof *pg->len);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len;
        char *p = slurp(path, &len);
        if (p) pg->data[pg->n] = p, pg->len[pg->n++] = len;
        free(names[i]);
    }
    free(names);
}

/* Generated pages: ~20-60 KB of markup and prose with varied words. */
static void make_pages(pages *pg, size_t n)
{
    static const char *words[] = {"council", "harbour", "minister", "said",  "on",    "Monday",
                                  "the",     "report",  "election", "talks", "in",    "a",
                                  "new",     "budget",  "of",       "city",  "after", "years"};
    pg->data = calloc(n, sizeof *pg->data);
    pg->len = calloc(n, sizeof *pg->len);
    unsigned seed = 12345;
    for (size_t i = 0; i < n; i++) {
        nd_buf b = ND_BUF_INIT;
        nd_buf_printf(&b,
                      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Story %zu"
                      "</title><link rel=stylesheet href=/s.css></head><body><nav><a href=/>Home"
                      "</a> <a href=/world>World</a></nav><article><h1>Story %zu</h1>",
                      i, i);
        int paras = 20 + (int) (i % 40);
        for (int p = 0; p < paras; p++) {
            nd_buf_puts(&b, "<p>");
            for (int w = 0; w < 80; w++) {
                seed = seed * 1103515245u + 12345u;
                nd_buf_puts(&b, words[(seed >> 16) % (sizeof words / sizeof *words)]);
                nd_buf_putc(&b, w % 15 == 14 ? '.' : ' ');
            }
            nd_buf_puts(&b, "</p>\n");
        }
        nd_buf_puts(&b, "</article><footer>(c) Bench Gazette</footer></body></html>\n");
        pg->data[i] = nd_buf_detach(&b, &pg->len[i]);
        pg->n++;
    }
}

/* ---- writers ------------------------------------------------------------ */

static void gz_write(FILE *f, const void *p, size_t n, int level)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&z, (uLong) n);
    unsigned char *out = malloc(cap);
    z.next_in = (Bytef *) p;
    z.avail_in = (uInt) n;
    z.next_out = out;
    z.avail_out = (uInt) cap;
    deflate(&z, Z_FINISH);
    fwrite(out, 1, cap - z.avail_out, f);
    deflateEnd(&z);
    free(out);
}

static void warc_record(nd_buf *rec, size_t i, const char *html, size_t n)
{
    char head[256];
    int hn = snprintf(head, sizeof head,
                      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                      "Content-Length: %zu\r\n\r\n",
                      n);
    nd_buf_clear(rec);
    nd_buf_printf(
        rec,
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%08zx-0000-4000-8000-"
        "000000000000>\r\nWARC-Date: 2024-11-04T09:30:00Z\r\nWARC-Target-URI: "
        "https://bench.example/story/%zu\r\nContent-Type: application/http; "
        "msgtype=response\r\nContent-Length: %zu\r\n\r\n",
        i, i, (size_t) hn + n);
    nd_buf_append(rec, head, (size_t) hn);
    nd_buf_append(rec, html, n);
    nd_buf_puts(rec, "\r\n\r\n");
}

static void write_corpus(const char *dir, const pages *pg, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/per-record.warc.gz", dir);
    FILE *gzr = fopen(path, "wb");
    snprintf(path, sizeof path, "%s/plain.warc", dir);
    FILE *plain = fopen(path, "wb");
    snprintf(path, sizeof path, "%s/pages.jsonl", dir);
    FILE *jl = fopen(path, "wb");
    nd_buf rec = ND_BUF_INIT, line = ND_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const char *html = pg->data[i % pg->n];
        size_t hn = pg->len[i % pg->n];
        warc_record(&rec, i, html, hn);
        gz_write(gzr, rec.ptr, rec.len, 6);
        fwrite(rec.ptr, 1, rec.len, plain);
        nd_buf_clear(&line);
        nd_json j;
        nd_json_init(&j, &line, 0);
        nd_json_obj_begin(&j);
        nd_json_key(&j, "id");
        nd_json_int(&j, (long long) i);
        nd_json_key(&j, "url");
        char url[64];
        snprintf(url, sizeof url, "https://bench.example/story/%zu", i);
        nd_json_str(&j, url);
        nd_json_key(&j, "html");
        nd_json_str_n(&j, html, hn);
        nd_json_obj_end(&j);
        nd_buf_putc(&line, '\n');
        fwrite(line.ptr, 1, line.len, jl);
    }
    fclose(gzr);
    fclose(plain);
    fclose(jl);
    nd_buf_free(&rec);
    nd_buf_free(&line);
    /* whole-file gzip versions */
    const char *src[] = {"plain.warc", "pages.jsonl"}, *dst[] = {"whole.warc.gz", "pages.jsonl.gz"};
    for (int k = 0; k < 2; k++) {
        char in[4096], out[4096];
        snprintf(in, sizeof in, "%s/%s", dir, src[k]);
        snprintf(out, sizeof out, "%s/%s", dir, dst[k]);
        FILE *f = fopen(in, "rb");
        gzFile g = gzopen(out, "wb6");
        char buf[1 << 16];
        size_t r;
        while ((r = fread(buf, 1, sizeof buf, f)) > 0) gzwrite(g, buf, (unsigned) r);
        gzclose(g);
        fclose(f);
    }
}

/* ---- reading -------------------------------------------------------------- */

static volatile unsigned long sink;

static void bench(const char *label, const char *const *paths, size_t n)
{
    double t0 = now(), c0 = cpu_now();
    nd_reader *r = nd_reader_new(paths, n, NULL);
    if (!r) return;
    nd_doc d;
    nd_error e;
    int rc;
    size_t docs = 0, errs = 0, page_bytes = 0;
    while ((rc = nd_reader_next(r, &d, &e)) != 0) {
        if (rc < 0) {
            if (errs++ < 3) fprintf(stderr, "bench_read: %s\n", e.msg);
            continue;
        }
        unsigned long h = 0;
        for (size_t i = 0; i < d.len; i += 64) h += (unsigned char) d.data[i];
        sink += h;
        docs++;
        page_bytes += d.len;
    }
    double wall = now() - t0, secs = cpu_now() - c0;
    if (secs <= 0) secs = 1e-9;
    const nd_reader_stats *st = nd_reader_get_stats(r);
    double in_mb = (double) st->bytes / 1e6, pg_mb = (double) page_bytes / 1e6;
    printf("%-22s %9.1f %9.1f %8zu %7zu %7.2f %7.2f %9.1f %9.1f %9.0f %6zu\n", label, in_mb, pg_mb,
           docs, errs, wall, secs, in_mb / secs, pg_mb / secs, (double) docs / secs, peak_rss_mb());
    nd_reader_free(r);
}

static void header(void)
{
    printf("%-22s %9s %9s %8s %7s %7s %7s %9s %9s %9s %6s\n", "input", "in MB", "page MB", "pages",
           "errors", "wall s", "CPU s", "in MB/s", "page MB/s", "pages/s", "RSS MB");
}

int main(int argc, char **argv)
{
    size_t n = 5000;
    const char *src = NULL;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
        if (!strcmp(argv[i], "--pages"))
            n = (size_t) strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--src"))
            src = argv[i + 1];
    }
    if (i < argc) {
        header();
        for (int k = i; k < argc; k++) bench(argv[k], (const char *const *) &argv[k], 1);
        return 0;
    }
    pages pg = {0};
    if (src) load_src(&pg, src);
    if (pg.n == 0) {
        if (src) fprintf(stderr, "bench_read: no .html pages in %s; generating pages\n", src);
        make_pages(&pg, n < 500 ? n : 500);
    }
    char dir[] = "/tmp/nd-bench-read-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    double t0 = now();
    write_corpus(dir, &pg, n);
    fprintf(stderr, "bench_read: %zu pages (%s) written to %s in %.1f s\n", n,
            src && pg.n ? src : "generated", dir, now() - t0);
    printf("newsdesk reader throughput, one thread, %zu pages\n", n);
    header();
    static const struct {
        const char *file, *label;
    } runs[] = {{"per-record.warc.gz", "WARC.gz (per record)"},
                {"whole.warc.gz", "WARC.gz (whole file)"},
                {"plain.warc", "WARC"},
                {"pages.jsonl.gz", "JSONL.gz"},
                {"pages.jsonl", "JSONL"}};
    for (size_t k = 0; k < sizeof runs / sizeof *runs; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, runs[k].file);
        const char *p = path;
        bench(runs[k].label, &p, 1);
    }
    for (size_t k = 0; k < sizeof runs / sizeof *runs; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, runs[k].file);
        remove(path);
    }
    rmdir(dir);
    for (size_t k = 0; k < pg.n; k++) free(pg.data[k]);
    free(pg.data);
    free(pg.len);
    return 0;
}
