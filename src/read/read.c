/* read.c - nd_reader: the inputs one after another, each sniffed and read
 * by its format's reader; single pages read here. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "newsdesk/extract.h"
#include "read/read_int.h"

/* Bytes looked at to tell the format. */
#define SNIFF_BYTES ((size_t) 64 << 10)

struct nd_reader {
    nd_reader_opts opts;
    size_t max;
    nd__walk walk;
    nd__input in;
    int have_in;
    nd_reader_stats stats;
    /* the memory reader's one input */
    const void *mem;
    size_t mem_len;
    char *mem_name;
    int mem_pending;
};

/* ---- names --------------------------------------------------------------- */

/* s ends with suffix, ASCII case-insensitive. */
static int iends(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (k > n) return 0;
    for (size_t i = 0; i < k; i++) {
        char a = s[n - k + i], b = suffix[i];
        if (a >= 'A' && a <= 'Z') a = (char) (a + 32);
        if (a != b) return 0;
    }
    return 1;
}

static int name_is(const char *path, const char *ext)
{
    char gz[24];
    snprintf(gz, sizeof gz, "%s.gz", ext);
    return iends(path, ext) || iends(path, gz);
}

/* The name decides what the first bytes could not: a .warc that does
 * not start with a record, a .jsonl whose first lines are bad (each bad
 * line is then reported, never the whole file stored as a page). */
static nd_format by_name(const char *path, nd_format sniffed)
{
    if (sniffed != ND_FMT_PAGE) return sniffed;
    if (name_is(path, ".warc")) return ND_FMT_WARC;
    if (name_is(path, ".jsonl") || name_is(path, ".ndjson")) return ND_FMT_JSONL;
    return sniffed;
}

nd_format nd_input_format(const char *name, const char *head, size_t len)
{
    return by_name(name ? name : "", nd_sniff_format(head, len));
}

static nd_kind kind_from_name(const char *path)
{
    if (name_is(path, ".txt") || name_is(path, ".text") || name_is(path, ".md"))
        return ND_KIND_TEXT;
    if (name_is(path, ".html") || name_is(path, ".htm") || name_is(path, ".xhtml") ||
        name_is(path, ".shtml"))
        return ND_KIND_HTML;
    return ND_KIND_UNKNOWN;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- reader --------------------------------------------------------------- */

static void input_close(nd_reader *r)
{
    if (!r->have_in) return;
    nd__input *in = &r->in;
    nd__jsonl_free(in);
    nd__stream_close(&in->s);
    nd_free(in->path);
    nd_buf_free(&in->url);
    nd_buf_free(&in->charset);
    nd_buf_free(&in->b1);
    nd_buf_free(&in->b2);
    nd_buf_free(&in->strs);
    memset(in, 0, sizeof *in);
    r->have_in = 0;
}

static void init_opts(nd_reader *r, const nd_reader_opts *opts)
{
    if (opts) r->opts = *opts;
    r->max = r->opts.max_record ? r->opts.max_record : ND_DECODE_MAX_BYTES;
}

nd_reader *nd_reader_new(const char *const *paths, size_t n_paths, const nd_reader_opts *opts)
{
    nd_reader *r = nd_calloc(1, sizeof *r);
    if (!r) return NULL;
    init_opts(r, opts);
    /* Walk once up front for the total size (an ETA); errors are reported
     * by the real walk. */
    nd__walk pre;
    if (nd__walk_init(&pre, paths, n_paths, r->opts.follow_symlinks)) {
        nd__walk_free(&pre);
        nd_free(r);
        return NULL;
    }
    const char *p;
    struct stat st;
    int walked, rc;
    nd_error e;
    while ((rc = nd__walk_next(&pre, &p, &st, &walked, &e)) != 0) {
        if (rc < 0) {
            if (rc == ND_ENOMEM) break;
            continue;
        }
        if (walked && nd__walk_skip_name(base_name(p))) continue;
        r->stats.total_files++;
        if (S_ISREG(st.st_mode)) r->stats.total_bytes += (uint64_t) st.st_size;
    }
    r->stats.links_skipped = pre.links_skipped;
    nd__walk_free(&pre);
    if (rc == ND_ENOMEM || nd__walk_init(&r->walk, paths, n_paths, r->opts.follow_symlinks)) {
        nd_reader_free(r);
        return NULL;
    }
    return r;
}

nd_reader *nd_reader_new_mem(const char *name, const void *data, size_t len,
                             const nd_reader_opts *opts)
{
    nd_reader *r = nd_calloc(1, sizeof *r);
    if (!r) return NULL;
    init_opts(r, opts);
    r->mem = data;
    r->mem_len = len;
    r->mem_name = nd_strndup(name, strlen(name));
    r->mem_pending = 1;
    r->stats.total_files = 1;
    r->stats.total_bytes = len;
    if (!r->mem_name || nd__walk_init(&r->walk, NULL, 0, 0)) {
        nd_reader_free(r);
        return NULL;
    }
    return r;
}

void nd_reader_free(nd_reader *r)
{
    if (!r) return;
    input_close(r);
    nd__walk_free(&r->walk);
    nd_free(r->mem_name);
    nd_free(r);
}

const nd_reader_stats *nd_reader_get_stats(const nd_reader *r)
{
    return &r->stats;
}

/* The head the format is told by: SNIFF_BYTES, or all there is, or less
 * once what it holds settles the format whatever follows: a WARC or ARC
 * start, or whole lines that make it JSON lines (a pipe may hold one
 * record or one JSON line and no more until the crawler that writes it
 * has another page).  A head that looks like a page could still turn out
 * JSON lines (a first line without "html" or "text"), so that waits for
 * SNIFF_BYTES or the end as before. */
static size_t sniff_fill(nd__stream *s)
{
    size_t a = nd__stream_avail(s);
    for (;;) {
        if (a >= SNIFF_BYTES) return a;
        if (a) { /* (no buffer before the first read) */
            /* the whole lines: what their sniff says, more cannot undo */
            const char *p = nd__stream_ptr(s);
            size_t whole = a;
            while (whole && p[whole - 1] != '\n') whole--;
            int is_arc = 0;
            nd_format f = whole ? nd__sniff(p, whole, &is_arc) : ND_FMT_PAGE;
            if (f == ND_FMT_WARC || f == ND_FMT_JSONL || is_arc) return a;
        }
        size_t got = nd__stream_fill_some(s, SNIFF_BYTES);
        if (got <= a) return got;
        a = got;
    }
}

/* Open path (fd >= 0: already open, or -1: the memory input) and tell its
 * format.  Returns 0 with r->in ready, 1 when there is nothing to read in
 * it (skipped), or an error. */
static int input_open(nd_reader *r, const char *path, int fd, nd_error *err)
{
    nd__input *in = &r->in;
    memset(in, 0, sizeof *in);
    in->path = nd_strndup(path, strlen(path));
    in->max = r->max;
    in->stats = &r->stats;
    r->have_in = 1;
    if (!in->path) {
        if (fd > 0) close(fd);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "%s: out of memory", path);
    }
    int rc = fd >= 0 ? nd__stream_open_fd(&in->s, fd, fd != 0, &r->stats.bytes)
                     : nd__stream_open_mem(&in->s, r->mem, r->mem_len);
    if (fd < 0) r->stats.bytes += r->mem_len;
    if (rc == ND_EIO)
        return nd_error_set(err, rc, (size_t) -1, "%s: read error: %s", path,
                            strerror(in->s.err_errno));
    if (rc) return nd_error_set(err, rc, (size_t) -1, "%s: %s", path, nd_strerror(rc));
    r->stats.files++;

    nd__stream *s = &in->s;
    size_t a = sniff_fill(s);
    if (a == 0) {
        if (s->err) {
            char why[160];
            return nd_error_set(err, s->err, (size_t) -1, "%s: %s", path,
                                nd__stream_errstr(s, why, sizeof why));
        }
        /* An empty crawl or export has no records; an empty page is a
         * page that failed to save. */
        if (name_is(path, ".warc") || name_is(path, ".jsonl") || name_is(path, ".ndjson")) return 1;
        return nd_error_set(err, ND_EEMPTY, (size_t) -1, "%s: empty file", path);
    }
    int is_arc = 0;
    in->fmt = nd__sniff(nd__stream_ptr(s), a, &is_arc);
    if (is_arc || (in->fmt == ND_FMT_PAGE && name_is(path, ".arc")))
        return nd_error_set(err, ND_EFORMAT, (size_t) -1,
                            "%s: legacy ARC file: not supported (convert it to WARC first)", path);
    in->fmt = by_name(path, in->fmt);
    in->page_kind = kind_from_name(path);
    return 0;
}

/* The whole (decompressed) input as one page.  A page over the limit is
 * given cut, as `newsdesk extract` reads one: its first max + 1 bytes, so
 * that the extractor cuts it at max with a warning ("input cut at the
 * size limit") -- one rule for both front doors, not an error here. */
static int page_next(nd__input *in, nd_doc *doc, nd_error *err)
{
    if (in->done) return 0;
    in->done = 1;
    nd__stream *s = &in->s;
    size_t a = nd__stream_fill(s, in->max + 1);
    if (a > in->max) a = in->max + 1;
    if (s->err && a <= in->max) {
        char why[160];
        return nd_error_set(err, s->err, (size_t) -1, "%s: %s", in->path,
                            nd__stream_errstr(s, why, sizeof why));
    }
    memset(doc, 0, sizeof *doc);
    doc->source = in->path;
    doc->format = ND_FMT_PAGE;
    doc->fetched = ND_TIME_NONE;
    doc->kind = in->page_kind;
    doc->data = nd__stream_ptr(s);
    doc->len = a;
    nd__stream_consume(s, a);
    return 1;
}

int nd_reader_next(nd_reader *r, nd_doc *doc, nd_error *err)
{
    nd_error tmp;
    if (!err) err = &tmp;
    for (;;) {
        if (r->have_in) {
            nd__input *in = &r->in;
            int rc;
            switch (in->fmt) {
            case ND_FMT_WARC: rc = nd__warc_next(in, doc, err); break;
            case ND_FMT_JSONL: rc = nd__jsonl_next(in, doc, err); break;
            default: rc = page_next(in, doc, err); break;
            }
            if (rc > 0) {
                r->stats.docs++;
                return 1;
            }
            if (rc < 0) {
                r->stats.errors++;
                return rc;
            }
            input_close(r);
            continue;
        }
        const char *path;
        int fd;
        if (r->mem_pending) {
            r->mem_pending = 0;
            path = r->mem_name;
            fd = -1;
        } else {
            struct stat st;
            int walked;
            int rc = nd__walk_next(&r->walk, &path, &st, &walked, err);
            if (rc == 0) return 0;
            if (rc < 0) {
                r->stats.errors++;
                return rc;
            }
            if (walked && nd__walk_skip_name(base_name(path))) {
                r->stats.skipped++;
                r->stats.skipped_files++;
                continue;
            }
            if (strcmp(path, "-") == 0 && !walked) {
                fd = 0;
            } else {
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0) {
                    r->stats.errors++;
                    return nd_error_set(err, ND_EIO, (size_t) -1, "%s: %s", path,
                                        nd_path_strerror(path, errno));
                }
            }
        }
        int rc = input_open(r, path, fd, err);
        if (rc == 0) continue;
        input_close(r);
        if (rc < 0) {
            r->stats.errors++;
            return rc;
        }
        r->stats.skipped++;
    }
}
