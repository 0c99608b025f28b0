/* warc.c - WARC 1.0 / 1.1 records -> documents.
 *
 * One record at a time: the header block (at most HEAD_MAX bytes) is parsed
 * in the window; records that are not pages are skipped without being
 * loaded (the first HEAD_MAX bytes of a response are looked at for its HTTP
 * head); a page record of at most `max` bytes is loaded whole, its HTTP
 * transfer and content codings undone.  The reader never interprets bytes
 * past a record's Content-Length.  Damage is reported once and reading goes
 * on: bytes that are not a record are scanned over up to the next line
 * starting "WARC/<digit>.", a corrupt gzip member is skipped up to the next
 * member header. */
#include <stdio.h>
#include <string.h>

#include "newsdesk/extract.h"
#include "read/read_int.h"

#define HEAD_MAX ((size_t) 64 << 10)

typedef struct warc_head {
    nd_slice type, uri, date, ctype;
    uint64_t length;
    size_t head_len;
} warc_head;

static int is_blank(char c)
{
    return c == '\r' || c == '\n' || c == ' ' || c == '\t';
}

/* "WARC/" digits "." digit: the first line of a record. */
static int warc_line_at(const char *p, size_t n)
{
    if (n < 8 || memcmp(p, "WARC/", 5) != 0) return 0;
    size_t i = 5;
    if (p[i] < '0' || p[i] > '9') return 0;
    while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    return i + 1 < n && p[i] == '.' && p[i + 1] >= '0' && p[i + 1] <= '9';
}

/* End of the header block: after the first empty line (CRLF or LF). */
static int head_end(const char *p, size_t n, size_t *end)
{
    const char *q = p, *e = p + n;
    while ((q = memchr(q, '\n', (size_t) (e - q))) != NULL) {
        if (q + 1 < e && q[1] == '\n') {
            *end = (size_t) (q + 2 - p);
            return 1;
        }
        if (q + 2 < e && q[1] == '\r' && q[2] == '\n') {
            *end = (size_t) (q + 3 - p);
            return 1;
        }
        q++;
    }
    return 0;
}

/* The bytes a record's head is read from: HEAD_MAX, or less once they
 * hold the head's end (a pipe may hold a record's head and no more yet),
 * or all there is.  Returns how many are available. */
static size_t head_fill(nd__stream *s)
{
    size_t a = nd__stream_avail(s), end;
    while (a < HEAD_MAX && !(a && head_end(nd__stream_ptr(s), a, &end))) {
        size_t got = nd__stream_fill_some(s, HEAD_MAX);
        if (got <= a) return got;
        a = got;
    }
    return a;
}

static nd_slice trim(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r')) n--;
    return (nd_slice){p, n};
}

/* Parse the header block p[0..n).  Returns NULL or what is wrong. */
static const char *parse_head(const char *p, size_t n, warc_head *h)
{
    memset(h, 0, sizeof *h);
    h->head_len = n;
    const char *e = p + n, *line = memchr(p, '\n', n);
    if (!line) return "no version line";
    line++;
    int have_length = 0;
    while (line < e) {
        const char *nl = memchr(line, '\n', (size_t) (e - line));
        size_t ln = nl ? (size_t) (nl - line) : (size_t) (e - line);
        const char *colon = memchr(line, ':', ln);
        if (colon && line[0] != ' ' && line[0] != '\t') {
            nd_slice name = trim(line, (size_t) (colon - line));
            nd_slice val = trim(colon + 1, ln - (size_t) (colon + 1 - line));
            if (nd_slice_ieq_c(name, "Content-Length") && !have_length) {
                if (!val.len || val.len > 18) return "bad Content-Length";
                uint64_t v = 0;
                for (size_t i = 0; i < val.len; i++) {
                    if (val.ptr[i] < '0' || val.ptr[i] > '9') return "bad Content-Length";
                    v = v * 10 + (uint64_t) (val.ptr[i] - '0');
                }
                h->length = v;
                have_length = 1;
            } else if (nd_slice_ieq_c(name, "WARC-Type") && !h->type.ptr) {
                h->type = val;
            } else if (nd_slice_ieq_c(name, "WARC-Target-URI") && !h->uri.ptr) {
                h->uri = val;
            } else if (nd_slice_ieq_c(name, "WARC-Date") && !h->date.ptr) {
                h->date = val;
            } else if (nd_slice_ieq_c(name, "Content-Type") && !h->ctype.ptr) {
                h->ctype = val;
            }
        } else if (ln > 1 && line[0] != ' ' && line[0] != '\t' && line[0] != '\r') {
            return "a header line without a colon";
        }
        if (!nl) break;
        line = nl + 1;
    }
    if (!have_length) return "no Content-Length";
    return NULL;
}

/* Where a record starting at decoded offset uoff is said to be: the
 * offset of its gzip member in the file when it starts one, else uoff. */
static uint64_t record_offset(nd__stream *s, uint64_t uoff)
{
    uint64_t coff;
    return nd__stream_member_at(s, uoff, &coff) ? coff : uoff;
}

/* The target URI as a string: <> (WARC 1.0's grammar, wget writes it) and
 * surrounding blanks removed, inner blanks as %20. */
static const char *clean_uri(nd_buf *b, nd_slice u)
{
    nd_buf_clear(b);
    u = trim(u.ptr, u.len);
    if (u.len >= 2 && u.ptr[0] == '<' && u.ptr[u.len - 1] == '>') u = trim(u.ptr + 1, u.len - 2);
    if (!u.len) return NULL;
    for (size_t i = 0; i < u.len; i++) {
        if (u.ptr[i] == ' ')
            nd_buf_puts(b, "%20");
        else if (u.ptr[i] != '\r' && u.ptr[i] != '\n' && u.ptr[i] != '\t')
            nd_buf_putc(b, u.ptr[i]);
    }
    return nd_buf_failed(b) ? NULL : b->ptr;
}

/* A comma-separated token list contains tok (ASCII case-insensitive). */
static int has_token(nd_slice list, const char *tok)
{
    if (!list.len) return 0; /* an absent header is {NULL, 0} */
    const char *s = list.ptr, *e = list.ptr + list.len;
    while (s && s < e) {
        const char *comma = memchr(s, ',', (size_t) (e - s));
        nd_slice t = trim(s, (size_t) ((comma ? comma : e) - s));
        if (nd_slice_ieq_c(t, tok)) return 1;
        s = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* The stream stopped short inside the record at off (or between records).
 * Reports it, repositions, returns the code (or 0 when it was quiet). */
static int short_read(nd__input *in, uint64_t off, int in_record, uint64_t got, uint64_t want,
                      nd_error *err)
{
    nd__stream *s = &in->s;
    int code = s->err, quiet = in->resyncing;
    char why[160];
    if (!code) {
        /* A clean end of the input in the middle of a record. */
        in->done = 1;
        if (!want)
            return nd_error_set(err, ND_ETRUNCATED, (size_t) off,
                                "%s@%llu: truncated record header (%llu bytes)", in->path,
                                (unsigned long long) off, (unsigned long long) got);
        return nd_error_set(err, ND_ETRUNCATED, (size_t) off,
                            "%s@%llu: truncated record (%llu of %llu bytes)", in->path,
                            (unsigned long long) off, (unsigned long long) got,
                            (unsigned long long) want);
    }
    nd__stream_errstr(s, why, sizeof why);
    uint64_t at = in_record ? off : s->err_coff;
    if (code == ND_ETRUNCATED && in_record) {
        quiet = 0;
        if (want)
            snprintf(why, sizeof why, "truncated record (gzip data ends after %llu of %llu bytes)",
                     (unsigned long long) got, (unsigned long long) want);
        else
            snprintf(why, sizeof why, "truncated record header (gzip data ends)");
    }
    if (code == ND_EGZIP) {
        nd__stream_resync(s);
        in->resyncing = 1;
    } else {
        in->done = 1;
    }
    if (quiet) return 0;
    return nd_error_set(err, code, (size_t) at, "%s@%llu: %s", in->path, (unsigned long long) at,
                        why);
}

/* Bytes at the current position are not a record: scan to the next line
 * that starts one.  Returns an error code to report, or 0. */
static int skip_garbage(nd__input *in, nd_error *err)
{
    nd__stream *s = &in->s;
    uint64_t start = nd__stream_tell(s), off = record_offset(s, start), skipped = 0;
    for (;;) {
        size_t a = nd__stream_fill(s, 64 << 10);
        const char *p = nd__stream_ptr(s), *q = p, *e = p + a;
        const char *found = NULL;
        while ((q = memchr(q, '\n', (size_t) (e - q))) != NULL) {
            if ((size_t) (e - q) < 9) break; /* keep the tail for the next round */
            if (warc_line_at(q + 1, (size_t) (e - q - 1))) {
                found = q + 1;
                break;
            }
            q++;
        }
        if (found) {
            nd__stream_consume(s, (size_t) (found - p));
            skipped += (uint64_t) (found - p);
            break;
        }
        if (a >= 9) {
            nd__stream_consume(s, a - 8);
            skipped += a - 8;
            continue;
        }
        /* End of the input (or an error) with fewer than 9 bytes left. */
        nd__stream_consume(s, a);
        skipped += a;
        if (s->err) {
            int code = short_read(in, 0, 0, 0, 0, err);
            if (code) return code;
            in->resyncing = 1;
            return 0;
        }
        break;
    }
    int quiet = in->resyncing;
    in->resyncing = 1;
    if (quiet) return 0;
    if (in->have_last)
        return nd_error_set(err, ND_EFORMAT, (size_t) off,
                            "%s@%llu: %llu bytes that are not a WARC record after the record at "
                            "%llu (wrong Content-Length?)",
                            in->path, (unsigned long long) off, (unsigned long long) skipped,
                            (unsigned long long) in->last_rec);
    return nd_error_set(err, ND_EFORMAT, (size_t) off,
                        "%s@%llu: %llu bytes that are not a WARC record", in->path,
                        (unsigned long long) off, (unsigned long long) skipped);
}

/* Skip a record body of n bytes that is not a page.  Returns 0 or an error. */
static int skip_body(nd__input *in, uint64_t off, uint64_t n, int *rc, nd_error *err)
{
    uint64_t got = nd__stream_skip(&in->s, n);
    if (got == n) return 0;
    *rc = short_read(in, off, 1, got, n, err);
    return -1;
}

int nd__warc_next(nd__input *in, nd_doc *doc, nd_error *err)
{
    nd__stream *s = &in->s;
    for (;;) {
        if (in->done) return 0;
        /* Blank lines between records (CRLF CRLF, and whatever writers add). */
        for (;;) {
            size_t a = nd__stream_fill(s, 1);
            if (!a) break;
            const char *p = nd__stream_ptr(s);
            size_t i = 0;
            while (i < a && is_blank(p[i])) i++;
            nd__stream_consume(s, i);
            if (i < a) break;
        }
        if (nd__stream_avail(s) == 0) {
            if (s->err) {
                int rc = short_read(in, 0, 0, 0, 0, err);
                if (rc) return rc;
                continue;
            }
            in->done = 1;
            return 0;
        }
        uint64_t uoff = nd__stream_tell(s), off = record_offset(s, uoff);
        size_t a = head_fill(s);
        const char *p = nd__stream_ptr(s);
        if (!warc_line_at(p, a)) {
            if (a < 8 && !s->eof && s->err) {
                int rc = short_read(in, off, 0, 0, 0, err);
                if (rc) return rc;
                continue;
            }
            int rc = skip_garbage(in, err);
            if (rc) return rc;
            continue;
        }
        size_t hend;
        if (!head_end(p, a, &hend)) {
            if (a < HEAD_MAX) {
                /* The input ends (or breaks) inside the header block. */
                int rc = short_read(in, off, 1, a, 0, err);
                if (rc) return rc;
                continue;
            }
            nd__stream_consume(s, 1);
            int quiet = in->resyncing;
            in->resyncing = 1;
            if (quiet) continue;
            return nd_error_set(err, ND_EFORMAT, (size_t) off,
                                "%s@%llu: bad WARC header: no end within %zu bytes", in->path,
                                (unsigned long long) off, HEAD_MAX);
        }
        warc_head h;
        const char *bad = parse_head(p, hend, &h);
        if (bad) {
            nd__stream_consume(s, 1);
            int quiet = in->resyncing;
            in->resyncing = 1;
            if (quiet) continue;
            return nd_error_set(err, ND_EFORMAT, (size_t) off, "%s@%llu: bad WARC header: %s",
                                in->path, (unsigned long long) off, bad);
        }
        in->resyncing = 0;
        in->have_last = 1;
        in->last_rec = off;
        /* h points into the window: take what is needed before it moves. */
        uint64_t L = h.length;
        int is_resp = nd_slice_ieq_c(h.type, "response");
        int is_res = nd_slice_ieq_c(h.type, "resource");
        int64_t fetched = ND_TIME_NONE;
        if (h.date.len) {
            int64_t ts;
            int has_time;
            if (nd_time_parse(h.date.ptr, h.date.len, &ts, &has_time) == 0) fetched = ts;
        }
        nd_slice wtype, wcharset;
        nd__http_content_type(h.ctype, &wtype, &wcharset);
        nd_kind kind = ND_KIND_UNKNOWN;
        int warc_page = !wtype.len || nd__http_is_page_type(wtype, &kind);
        int warc_http = nd_slice_istarts_c(wtype, "application/http");
        nd_buf_clear(&in->charset);
        if (wcharset.len) nd_buf_append(&in->charset, wcharset.ptr, wcharset.len);
        const char *url = clean_uri(&in->url, h.uri);
        nd__stream_consume(s, hend);
        int rc = 0;

        if (!is_resp && !is_res) {
            /* request, warcinfo, metadata, revisit, conversion, continuation, ... */
            if (skip_body(in, off, L, &rc, err)) {
                if (rc) return rc;
                continue;
            }
            in->stats->skipped++;
            continue;
        }
        in->stats->records++;
        if (L == 0 || (is_res && url && strncmp(url, "metadata:", 9) == 0)) {
            /* Nothing recorded (a failed fetch), or a crawler's own log and
             * arguments (wget writes these). */
            if (skip_body(in, off, L, &rc, err)) {
                if (rc) return rc;
                continue;
            }
            in->stats->skipped++;
            continue;
        }

        /* Decide from the heads whether this is a page, before loading it. */
        size_t peek = L < HEAD_MAX ? (size_t) L : HEAD_MAX;
        a = nd__stream_fill(s, peek);
        if (a < peek) {
            rc = short_read(in, off, 1, a, L, err);
            if (rc) return rc;
            continue;
        }
        p = nd__stream_ptr(s);
        nd__http http;
        memset(&http, 0, sizeof http);
        int has_http = 0, page = 1;
        const char *why = NULL;
        if (is_resp && peek >= 5 && memcmp(p, "HTTP/", 5) == 0) {
            int hr = nd__http_parse(p, peek, &http);
            if (hr == 0 && peek < L) {
                why = "HTTP response head longer than 64 KiB";
            } else if (hr == 0) {
                page = 0; /* a head and no body */
            } else {
                has_http = 1;
                int st = http.status;
                /* Redirects, errors and partial content are not pages. */
                if (st < 200 || st > 299 || st == 204 || st == 205 || st == 206) page = 0;
                kind = ND_KIND_UNKNOWN;
                if (http.content_type.len && !nd__http_is_page_type(http.content_type, &kind))
                    page = 0;
            }
        } else if (is_resp && warc_http) {
            why = "no HTTP status line in an HTTP response record";
        } else {
            page = warc_page;
        }
        if (why) {
            if (skip_body(in, off, L, &rc, err)) {
                if (rc) return rc;
                continue;
            }
            return nd_error_set(err, ND_EFORMAT, (size_t) off, "%s@%llu: %s", in->path,
                                (unsigned long long) off, why);
        }
        size_t head_len = has_http ? http.head_len : 0;
        if (!page || L == head_len) {
            if (skip_body(in, off, L, &rc, err)) {
                if (rc) return rc;
                continue;
            }
            in->stats->skipped++;
            continue;
        }
        if (L > in->max) {
            if (skip_body(in, off, L, &rc, err)) {
                if (rc) return rc;
                continue;
            }
            return nd_error_set(err, ND_ELIMIT, (size_t) off,
                                "%s@%llu: record of %llu bytes exceeds the limit of %zu", in->path,
                                (unsigned long long) off, (unsigned long long) L, in->max);
        }

        /* Load the record and undo the HTTP codings. */
        a = nd__stream_fill(s, (size_t) L);
        if (a < L) {
            rc = short_read(in, off, 1, a, L, err);
            if (rc) return rc;
            continue;
        }
        p = nd__stream_ptr(s);
        if (has_http) {
            /* The window may have moved since the head was parsed. */
            nd__http_parse(p, peek, &http);
            nd_buf_clear(&in->charset);
            if (http.charset.len) nd_buf_append(&in->charset, http.charset.ptr, http.charset.len);
        }
        const char *data = p + head_len;
        size_t len = (size_t) L - head_len;
        if (has_http && has_token(http.transfer_encoding, "chunked")) {
            nd__http_dechunk(data, len, &in->b1);
            if (nd_buf_failed(&in->b1)) {
                nd__stream_consume(s, (size_t) L);
                return nd_error_set(err, ND_ENOMEM, (size_t) off, "%s@%llu: out of memory",
                                    in->path, (unsigned long long) off);
            }
            data = in->b1.ptr ? in->b1.ptr : "";
            len = in->b1.len;
        }
        if (has_http && http.content_encoding.len) {
            char msg[120];
            rc = nd__http_decode(http.content_encoding, data, len, in->max, &in->b2, &in->b1, &data,
                                 &len, msg, sizeof msg);
            if (rc) {
                nd__stream_consume(s, (size_t) L);
                return nd_error_set(err, rc, (size_t) off, "%s@%llu: %s", in->path,
                                    (unsigned long long) off, msg);
            }
        }
        /* data stays valid after consume: the window moves only on a fill. */
        nd__stream_consume(s, (size_t) L);
        if (!len) {
            in->stats->skipped++;
            continue;
        }
        memset(doc, 0, sizeof *doc);
        doc->source = in->path;
        doc->format = ND_FMT_WARC;
        doc->offset = off;
        doc->url = url;
        doc->fetched = fetched;
        doc->charset = in->charset.len ? in->charset.ptr : NULL;
        doc->kind = kind;
        doc->data = data;
        doc->len = len;
        return 1;
    }
}
