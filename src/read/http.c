/* http.c - the HTTP response inside a WARC record: head, transfer and
 * content codings.  Everything works on a block already in memory and
 * never looks past its length. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "read/read_int.h"

#define HEX(c)                                                                                     \
    ((c) >= '0' && (c) <= '9'                 ? (c) - '0'                                          \
     : ((c) | 32) >= 'a' && ((c) | 32) <= 'f' ? ((c) | 32) - 'a' + 10                              \
                                              : -1)

static nd_slice trim(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r')) n--;
    return (nd_slice){p, n};
}

int nd__http_parse(const char *p, size_t n, nd__http *h)
{
    memset(h, 0, sizeof *h);
    if (n < 5 || memcmp(p, "HTTP/", 5) != 0) return -1;
    const char *end = p + n, *line = p;
    int first = 1;
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t) (end - line));
        if (!nl) return 0;
        size_t ln = (size_t) (nl - line);
        if (ln && line[ln - 1] == '\r') ln--;
        if (first) {
            /* "HTTP/1.1 200 OK": the code is the first field after the version. */
            size_t i = 5;
            while (i < ln && line[i] != ' ') i++;
            while (i < ln && line[i] == ' ') i++;
            int code = 0, digits = 0;
            while (i < ln && line[i] >= '0' && line[i] <= '9' && digits < 3)
                code = code * 10 + (line[i++] - '0'), digits++;
            h->status = digits == 3 ? code : 0;
            first = 0;
        } else if (ln == 0) {
            h->head_len = (size_t) (nl + 1 - p);
            return 1;
        } else {
            const char *colon = memchr(line, ':', ln);
            if (colon) {
                nd_slice name = trim(line, (size_t) (colon - line));
                nd_slice val = trim(colon + 1, ln - (size_t) (colon + 1 - line));
                if (nd_slice_ieq_c(name, "content-type"))
                    nd__http_content_type(val, &h->content_type, &h->charset);
                else if (nd_slice_ieq_c(name, "transfer-encoding"))
                    h->transfer_encoding = val;
                else if (nd_slice_ieq_c(name, "content-encoding"))
                    h->content_encoding = val;
            }
        }
        line = nl + 1;
    }
    return 0;
}

void nd__http_content_type(nd_slice v, nd_slice *type, nd_slice *charset)
{
    const char *semi = v.len ? memchr(v.ptr, ';', v.len) : NULL;
    size_t tl = semi ? (size_t) (semi - v.ptr) : v.len;
    *type = trim(v.ptr, tl);
    charset->ptr = NULL;
    charset->len = 0;
    while (semi) {
        const char *p = semi + 1, *end = v.ptr + v.len;
        semi = memchr(p, ';', (size_t) (end - p));
        const char *pe = semi ? semi : end;
        nd_slice param = trim(p, (size_t) (pe - p));
        if (param.len > 8 && nd_slice_istarts_c(param, "charset=")) {
            nd_slice val = trim(param.ptr + 8, param.len - 8);
            if (val.len >= 2 && (val.ptr[0] == '"' || val.ptr[0] == '\'')) {
                char q = val.ptr[0];
                const char *close = memchr(val.ptr + 1, q, val.len - 1);
                val = (nd_slice){val.ptr + 1, close ? (size_t) (close - val.ptr - 1) : val.len - 1};
            }
            if (val.len && val.len < 40) *charset = val;
        }
    }
}

int nd__http_is_page_type(nd_slice type, nd_kind *kind)
{
    static const struct {
        const char *type;
        nd_kind kind;
    } pages[] = {
        {"text/html", ND_KIND_HTML},         {"application/xhtml+xml", ND_KIND_HTML},
        {"application/xhtml", ND_KIND_HTML}, {"application/vnd.wap.xhtml+xml", ND_KIND_HTML},
        {"text/xhtml", ND_KIND_HTML},        {"text/x-html", ND_KIND_HTML},
        {"text/plain", ND_KIND_TEXT},        {"text/markdown", ND_KIND_TEXT},
        {"text/x-markdown", ND_KIND_TEXT}};
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        if (nd_slice_ieq_c(type, pages[i].type)) {
            *kind = pages[i].kind;
            return 1;
        }
    return 0;
}

/* ---- chunked transfer coding -------------------------------------------- */

void nd__http_dechunk(const char *p, size_t n, nd_buf *out)
{
    nd_buf_clear(out);
    size_t i = 0, chunks = 0;
    while (i < n) {
        size_t line = i;
        uint64_t size = 0;
        int digits = 0, ok;
        while (i < n && HEX(p[i]) >= 0 && digits < 16)
            size = size * 16 + (uint64_t) HEX(p[i]), i++, digits++;
        ok = digits > 0;
        while (ok && i < n && (p[i] == ' ' || p[i] == '\t')) i++;
        if (ok && i < n && p[i] == ';') /* chunk extensions */
            while (i < n && p[i] != '\n' && i - line < 4096) i++;
        if (ok && i < n && p[i] == '\r') i++;
        if (!ok || i >= n || p[i] != '\n') {
            /* Not a size line.  Before any chunk: the body was not chunked
             * at all, whatever the header said.  Later: wrong chunk sizes;
             * keep the rest as it is. */
            if (chunks == 0)
                nd_buf_append(out, p, n);
            else
                nd_buf_append(out, p + line, n - line);
            return;
        }
        i++;
        if (size == 0) return; /* the last chunk; trailers are ignored */
        if (size > n - i) {
            /* A wrong size or a body cut short: keep the bytes that are there. */
            nd_buf_append(out, p + i, n - i);
            return;
        }
        nd_buf_append(out, p + i, (size_t) size);
        i += (size_t) size;
        chunks++;
        /* The CRLF after the data; when it is missing the next size line tells. */
        if (i < n && p[i] == '\r') i++;
        if (i < n && p[i] == '\n') i++;
    }
}

/* ---- content codings ---------------------------------------------------- */

/* Inflate p[0..n) with zlib window bits wbits into out (cleared).  Returns
 * 0 (maybe partial, *partial set), ND_EGZIP when nothing came out,
 * ND_ELIMIT past max, ND_ENOMEM. */
static int inflate_all(const char *p, size_t n, int wbits, size_t max, nd_buf *out, int *partial)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    nd_buf_clear(out);
    *partial = 0;
    if (inflateInit2(&z, wbits) != Z_OK) return ND_ENOMEM;
    const unsigned char *in = (const unsigned char *) p;
    size_t left = n;
    int rc = Z_OK, result = 0;
    for (;;) {
        if (z.avail_in == 0 && left) {
            uInt c = left > (1u << 30) ? (1u << 30) : (uInt) left;
            z.next_in = (Bytef *) in;
            z.avail_in = c;
            in += c;
            left -= c;
        }
        if (nd_buf_reserve(out, 65536)) {
            result = ND_ENOMEM;
            break;
        }
        size_t room = out->cap - out->len - 1;
        if (room > (1u << 30)) room = 1u << 30;
        z.next_out = (Bytef *) out->ptr + out->len;
        z.avail_out = (uInt) room;
        rc = inflate(&z, Z_NO_FLUSH);
        out->len += room - z.avail_out;
        out->ptr[out->len] = 0;
        if (out->len > max) {
            result = ND_ELIMIT;
            break;
        }
        if (rc == Z_STREAM_END) {
            /* gzip may have further members; skip NUL padding. */
            const unsigned char *rest = z.next_in;
            size_t rl = z.avail_in + left;
            while (rl && *rest == 0) rest++, rl--;
            if (wbits > 15 && rl >= 2 && rest[0] == 0x1f && rest[1] == 0x8b) {
                inflateReset(&z);
                z.next_in = (Bytef *) rest;
                z.avail_in = rl > (1u << 30) ? (1u << 30) : (uInt) rl;
                in = rest + z.avail_in;
                left = rl - z.avail_in;
                continue;
            }
            break;
        }
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR && (z.avail_in || left)) continue;
        /* Truncated (Z_BUF_ERROR with no input left) or corrupt. */
        if (out->len == 0)
            result = ND_EGZIP;
        else
            *partial = 1;
        break;
    }
    inflateEnd(&z);
    if (!result && out->failed) result = ND_ENOMEM;
    return result;
}

int nd__http_decode(nd_slice coding, const char *p, size_t n, size_t max, nd_buf *out, nd_buf *tmp,
                    const char **data, size_t *len, char *msg, size_t msg_n)
{
    *data = p;
    *len = n;
    /* Codings are listed in the order applied: undo them from the last. */
    nd_slice names[4];
    size_t k = 0;
    const char *s = coding.ptr, *end = coding.ptr + coding.len;
    while (s && s < end) {
        const char *comma = memchr(s, ',', (size_t) (end - s));
        nd_slice c = trim(s, (size_t) ((comma ? comma : end) - s));
        if (c.len && !nd_slice_ieq_c(c, "identity")) {
            if (k == 4) {
                snprintf(msg, msg_n, "too many Content-Encodings");
                return ND_EFORMAT;
            }
            names[k++] = c;
        }
        s = comma ? comma + 1 : NULL;
    }
    nd_buf *bufs[2] = {out, tmp};
    int which = 0;
    while (k > 0) {
        nd_slice c = names[--k];
        nd_buf *dst = bufs[which];
        int partial = 0, rc;
        const unsigned char *u = (const unsigned char *) *data;
        if (nd_slice_ieq_c(c, "gzip") || nd_slice_ieq_c(c, "x-gzip")) {
            /* A body already decoded by the crawler has no gzip magic: keep it. */
            if (*len < 2 || u[0] != 0x1f || u[1] != 0x8b) continue;
            rc = inflate_all(*data, *len, 15 + 16, max, dst, &partial);
        } else if (nd_slice_ieq_c(c, "deflate")) {
            /* "deflate" is meant as zlib-wrapped; some servers send it raw. */
            rc = inflate_all(*data, *len, 15, max, dst, &partial);
            if (rc == ND_EGZIP) rc = inflate_all(*data, *len, -15, max, dst, &partial);
        } else {
            snprintf(msg, msg_n, "unsupported Content-Encoding \"%.*s\"",
                     (int) (c.len > 32 ? 32 : c.len), c.ptr);
            return ND_EFORMAT;
        }
        if (rc == ND_ELIMIT) {
            snprintf(msg, msg_n, "decoded body exceeds the limit of %zu bytes", max);
            return rc;
        }
        if (rc == ND_EGZIP) {
            snprintf(msg, msg_n, "cannot decode Content-Encoding \"%.*s\"",
                     (int) (c.len > 32 ? 32 : c.len), c.ptr);
            return rc;
        }
        if (rc) {
            snprintf(msg, msg_n, "out of memory");
            return rc;
        }
        *data = dst->ptr;
        *len = dst->len;
        which ^= 1;
    }
    return 0;
}
