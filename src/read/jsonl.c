/* jsonl.c - JSON lines -> documents.
 *
 * One object per line: {"id"?, "url"?, "html" | "text", "title"?,
 * "published"?, "fetched"?}; other members are ignored.  Lines are read one
 * at a time (LF or CRLF; the last may lack its newline); blank lines are
 * skipped; a bad line is one error "PATH:LINE: reason" and reading goes on.
 * A line longer than the limit is skipped without being kept.
 *
 * jansson parses each line, but its lexer is slow on long strings (an
 * embedded page is most of a line): strings of BIG_STRING bytes or more are
 * decoded here by a strict JSON string decoder and jansson gets the line
 * with a short placeholder in their place.  Whenever the two could differ
 * (a decoding problem, a parse error, a string in the input that decodes
 * to a placeholder) the original line goes to jansson as it is, so results
 * and error messages are jansson's. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "newsdesk/extract.h"
#include "read/read_int.h"

void nd__jsonl_free(nd__input *in)
{
    if (in->json) json_decref((json_t *) in->json);
    in->json = NULL;
}

#define BIG_STRING 4096
#define MAX_BIG    8
static const char PLACEHOLDER[] = "\\u0000nd-big-"; /* as JSON text */

/* Decode the body of a JSON string (between the quotes) into out, as
 * jansson would: escapes, surrogate pairs, strict UTF-8, no raw control
 * characters.  Returns 0, or -1 when jansson would reject it (or on
 * allocation failure). */
static int decode_string(const unsigned char *s, size_t n, nd_buf *out)
{
    if (nd_buf_reserve(out, n)) return -1; /* decoded is never longer */
    unsigned char *o = (unsigned char *) out->ptr + out->len;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x80 && c != '\\') {
            *o++ = (unsigned char) c;
            i++;
            continue;
        }
        if (c < 0x20) return -1;
        if (c == '\\') {
            if (i + 1 >= n) return -1;
            unsigned e = s[i + 1];
            i += 2;
            switch (e) {
            case '"':
            case '\\':
            case '/': *o++ = (unsigned char) e; continue;
            case 'b': *o++ = '\b'; continue;
            case 'f': *o++ = '\f'; continue;
            case 'n': *o++ = '\n'; continue;
            case 'r': *o++ = '\r'; continue;
            case 't': *o++ = '\t'; continue;
            case 'u': break;
            default: return -1;
            }
            uint32_t cp = 0;
            for (int k = 0; k < 2; k++) {
                uint32_t v = 0;
                if (i + 4 > n) return -1;
                for (int d = 0; d < 4; d++) {
                    unsigned h = s[i + (size_t) d];
                    int x = h >= '0' && h <= '9'                 ? (int) h - '0'
                            : (h | 32) >= 'a' && (h | 32) <= 'f' ? (int) (h | 32) - 'a' + 10
                                                                 : -1;
                    if (x < 0) return -1;
                    v = v * 16 + (uint32_t) x;
                }
                i += 4;
                if (k == 0) {
                    cp = v;
                    if (v >= 0xDC00 && v <= 0xDFFF) return -1;
                    if (v < 0xD800 || v > 0xDBFF) break;
                    /* a high surrogate: the low one must follow */
                    if (i + 2 > n || s[i] != '\\' || s[i + 1] != 'u') return -1;
                    i += 2;
                } else {
                    if (v < 0xDC00 || v > 0xDFFF) return -1;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (v - 0xDC00);
                }
            }
            /* the escape took at least 6 bytes; its UTF-8 takes at most 4 */
            if (cp < 0x80) {
                *o++ = (unsigned char) cp;
            } else if (cp < 0x800) {
                *o++ = (unsigned char) (0xC0 | (cp >> 6));
                *o++ = (unsigned char) (0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                *o++ = (unsigned char) (0xE0 | (cp >> 12));
                *o++ = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
                *o++ = (unsigned char) (0x80 | (cp & 0x3F));
            } else {
                *o++ = (unsigned char) (0xF0 | (cp >> 18));
                *o++ = (unsigned char) (0x80 | ((cp >> 12) & 0x3F));
                *o++ = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
                *o++ = (unsigned char) (0x80 | (cp & 0x3F));
            }
            continue;
        }
        /* UTF-8: shortest form, no surrogates, at most U+10FFFF */
        size_t len;
        uint32_t min, cp;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2, min = 0x80, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3, min = 0x800, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4, min = 0x10000, cp = c & 0x07;
        else
            return -1;
        if (i + len > n) return -1;
        for (size_t k = 1; k < len; k++) {
            unsigned t = s[i + k];
            if ((t & 0xC0) != 0x80) return -1;
            cp = (cp << 6) | (t & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
        memcpy(o, s + i, len);
        o += len;
        i += len;
    }
    out->len = (size_t) ((char *) o - out->ptr);
    out->ptr[out->len] = 0;
    return 0;
}

/* The index a placeholder string names, or -1. */
static int placeholder_index(json_t *v)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n != 9 || s[0] != 0 || memcmp(s + 1, "nd-big-", 7) != 0) return -1;
    return s[8] >= '0' && s[8] < '0' + MAX_BIG ? s[8] - '0' : -1;
}

/* Placeholders among the string values of j, each index counted once;
 * a repeated index counts as many (so that the total is off). */
static int count_placeholders(json_t *j, int *seen)
{
    int n = 0;
    if (json_is_string(j)) {
        int k = placeholder_index(j);
        if (k >= 0) n += seen[k]++ ? 1000 : 1;
    } else if (json_is_object(j)) {
        const char *key;
        json_t *v;
        json_object_foreach(j, key, v) n += count_placeholders(v, seen);
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) n += count_placeholders(v, seen);
    }
    return n;
}

/* jansson, with a key repeated in an object noticed: such a line is read
 * as jansson reads it (the last value of the key wins), and in->dup_key
 * says so for a warning. */
static json_t *load(nd__input *in, const char *p, size_t n, json_error_t *je)
{
    json_t *o = json_loadb(p, n, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, je);
    if (o || json_error_code(je) != json_error_duplicate_key) return o;
    /* "duplicate object key near '"title"'": the key */
    const char *near = strstr(je->text, "near '"), *end = strrchr(je->text, '\'');
    if (near && end > near + 6)
        snprintf(in->dup_near, sizeof in->dup_near, "%.*s", (int) (end - near - 6), near + 6);
    else
        snprintf(in->dup_near, sizeof in->dup_near, "in an object");
    in->dup_key = 1;
    return json_loadb(p, n, JSON_ALLOW_NUL, je);
}

/* Parse a line, long string values decoded here (see the top).  Returns
 * the object or NULL with je filled, as json_loadb. */
static json_t *parse_line(nd__input *in, const char *p, size_t n, json_error_t *je)
{
    in->n_big = 0;
    in->dup_key = 0;
    if (n < BIG_STRING) return load(in, p, n, je);
    nd_buf_clear(&in->b1);
    nd_buf_clear(&in->b2);
    size_t i = 0, copied = 0;
    int ok = 1;
    while (i < n && in->n_big < MAX_BIG) {
        const char *q = memchr(p + i, '"', n - i);
        if (!q) break;
        size_t s0 = (size_t) (q - p) + 1, j = s0;
        /* the closing quote: one not escaped by a backslash */
        for (;;) {
            const char *e = memchr(p + j, '"', n - j);
            if (!e) {
                j = n;
                break;
            }
            size_t k = (size_t) (e - p), bs = 0;
            while (k - bs > s0 && p[k - bs - 1] == '\\') bs++;
            j = k;
            if (bs % 2 == 0) break;
            j = k + 1;
        }
        if (j >= n) break; /* unterminated: jansson will say so */
        size_t k = j + 1;
        while (k < n && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r' || p[k] == '\n')) k++;
        int is_key = k < n && p[k] == ':';
        if (!is_key && j - s0 >= BIG_STRING) {
            size_t at = in->b2.len;
            if (decode_string((const unsigned char *) p + s0, j - s0, &in->b2)) {
                ok = 0;
                break;
            }
            in->big_off[in->n_big] = at;
            in->big_len[in->n_big] = in->b2.len - at;
            nd_buf_append(&in->b1, p + copied, s0 - copied);
            nd_buf_printf(&in->b1, "%s%d", PLACEHOLDER, in->n_big);
            copied = j;
            in->n_big++;
        }
        i = j + 1;
    }
    json_t *o = NULL;
    if (ok && in->n_big) {
        nd_buf_append(&in->b1, p + copied, n - copied);
        if (!nd_buf_failed(&in->b1) && !nd_buf_failed(&in->b2))
            o = load(in, in->b1.ptr, in->b1.len, je);
        /* Each placeholder exactly once: the input itself may hold a string
         * that decodes to one (written with escapes, say); then not. */
        int seen[MAX_BIG] = {0};
        if (o && count_placeholders(o, seen) != in->n_big) {
            json_decref(o);
            o = NULL;
        }
    }
    if (o) return o;
    in->n_big = 0;
    in->dup_key = 0;
    return load(in, p, n, je);
}

/* The bytes of a JSON string value: a placeholder's decoded string, or
 * jansson's.  Borrowed; valid until the next line. */
static const char *str_of(nd__input *in, json_t *v, size_t *len)
{
    int k = in->n_big ? placeholder_index(v) : -1;
    if (k >= 0 && k < in->n_big) {
        *len = in->big_len[k];
        return in->b2.ptr + in->big_off[k];
    }
    *len = json_string_length(v);
    return json_string_value(v);
}

static int line_error(nd__input *in, int code, nd_error *err, const char *fmt, ...) ND_PRINTF(4, 5);

static int line_error(nd__input *in, int code, nd_error *err, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nd_error_set(err, code, (size_t) in->line, "%s:%llu: %s", in->path,
                        (unsigned long long) in->line, msg);
}

/* A member that must be a string when present; NULL when absent or null.
 * Returns -1 (with err) when it has another type. */
static int get_string(nd__input *in, json_t *o, const char *key, const char **out, size_t *len,
                      nd_error *err)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (len) *len = 0;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v)) {
        line_error(in, ND_EFORMAT, err, "\"%s\" is not a string", key);
        return -1;
    }
    size_t n;
    *out = str_of(in, v, &n);
    if (len) *len = n;
    return 0;
}

/* A short string value as a C string: NUL bytes ("Harbour\u0000 talks")
 * would end it, so they are dropped, as the decoder drops them from pages.
 * The copy goes to in->strs, reserved by the caller for all of the line's
 * strings (so that earlier copies stay put). */
static const char *no_nul(nd__input *in, const char *s, size_t n)
{
    if (!s || !memchr(s, 0, n)) return s;
    if (nd_buf_failed(&in->strs) || in->strs.cap - in->strs.len < n + 1) return s;
    char *out = in->strs.ptr + in->strs.len;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i]) out[k++] = s[i];
    out[k] = 0;
    in->strs.len += k + 1;
    return out;
}

/* Next line into (*p, *n) without its newline.  Returns 1, 0 at the end,
 * or a negative code (reported) for a line over the limit or broken gzip. */
static int next_line(nd__input *in, const char **p, size_t *n, nd_error *err)
{
    nd__stream *s = &in->s;
    size_t scanned = 0;
    for (;;) {
        size_t a = nd__stream_avail(s);
        const char *b = nd__stream_ptr(s);
        const char *nl = a > scanned ? memchr(b + scanned, '\n', a - scanned) : NULL;
        if (nl && (size_t) (nl - b) <= in->max) {
            in->line++;
            *p = b;
            *n = (size_t) (nl - b);
            nd__stream_consume(s, *n + 1);
            return 1;
        }
        scanned = a;
        if (nl || a > in->max) {
            /* Too long: count it through to its end without keeping it. */
            in->line++;
            uint64_t total = nl ? (uint64_t) (nl - b) : a;
            nd__stream_consume(s, nl ? (size_t) (nl - b) + 1 : a);
            while (!nl) {
                size_t k = nd__stream_fill(s, 1);
                if (!k) break;
                const char *q = nd__stream_ptr(s), *e = memchr(q, '\n', k);
                if (e) {
                    total += (uint64_t) (e - q);
                    nd__stream_consume(s, (size_t) (e - q) + 1);
                    break;
                }
                total += k;
                nd__stream_consume(s, k);
            }
            return nd_error_set(err, ND_ELIMIT, (size_t) in->line,
                                "%s:%llu: line of %llu bytes exceeds the limit of %zu", in->path,
                                (unsigned long long) in->line, (unsigned long long) total, in->max);
        }
        /* Ask for the line to grow geometrically (a long page in a line). */
        size_t ask = a < 65536 ? a + 65536 : a + a / 2;
        if (ask > in->max + 1) ask = in->max + 1;
        if (ask <= a) ask = a + 1;
        size_t got = nd__stream_fill_some(s, ask); /* a line may be all a pipe has */
        if (got > a) continue;
        /* The end of the input. */
        if (s->err) {
            char why[160];
            nd__stream_errstr(s, why, sizeof why);
            in->done = 1;
            return nd_error_set(err, s->err, (size_t) in->line + 1, "%s:%llu: %s", in->path,
                                (unsigned long long) in->line + 1, why);
        }
        if (!a) return 0;
        in->line++;
        *p = b = nd__stream_ptr(s);
        *n = a;
        nd__stream_consume(s, a);
        return 1;
    }
}

int nd__jsonl_next(nd__input *in, nd_doc *doc, nd_error *err)
{
    for (;;) {
        nd__jsonl_free(in);
        if (in->done) return 0;
        const char *p = NULL;
        size_t n = 0;
        int rc = next_line(in, &p, &n, err);
        if (rc <= 0) {
            if (rc == 0) in->done = 1;
            return rc;
        }
        if (in->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3, n -= 3;
        while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
        size_t i = 0;
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r')) i++;
        if (i == n) continue; /* blank line */
        json_error_t je;
        json_t *o = parse_line(in, p, n, &je);
        if (!o) {
            return line_error(in, ND_EPARSE, err, "invalid JSON: %s (column %d)", je.text,
                              je.column);
        }
        in->json = o;
        if (!json_is_object(o)) return line_error(in, ND_EFORMAT, err, "not a JSON object");

        const char *html, *text, *url, *title, *published, *fetched_s;
        size_t html_n, text_n, url_n, title_n, published_n, id_n = 0;
        if (get_string(in, o, "html", &html, &html_n, err) ||
            get_string(in, o, "text", &text, &text_n, err) ||
            get_string(in, o, "url", &url, &url_n, err) ||
            get_string(in, o, "title", &title, &title_n, err) ||
            get_string(in, o, "published", &published, &published_n, err))
            return err ? err->code : ND_EFORMAT;
        if (!html && !text)
            return line_error(in, ND_EFORMAT, err, "no \"html\" or \"text\" string");

        const char *id = NULL;
        json_t *jid = json_object_get(o, "id");
        if (jid && json_is_string(jid)) {
            id = str_of(in, jid, &id_n);
        } else if (jid && json_is_integer(jid)) {
            snprintf(in->id_tmp, sizeof in->id_tmp, "%" JSON_INTEGER_FORMAT,
                     json_integer_value(jid));
            id = in->id_tmp;
        } else if (jid && json_is_real(jid)) {
            snprintf(in->id_tmp, sizeof in->id_tmp, "%.17g", json_real_value(jid));
            id = in->id_tmp;
        } else if (jid && !json_is_null(jid)) {
            return line_error(in, ND_EFORMAT, err, "\"id\" is not a string or a number");
        }

        int64_t fetched = ND_TIME_NONE;
        json_t *jf = json_object_get(o, "fetched");
        if (jf && json_is_string(jf)) {
            size_t fn;
            fetched_s = str_of(in, jf, &fn);
            int64_t ts;
            int has_time;
            if (nd_time_parse(fetched_s, fn, &ts, &has_time) == 0) fetched = ts;
        } else if (jf && json_is_integer(jf)) {
            fetched = (int64_t) json_integer_value(jf); /* epoch seconds */
        }

        nd_buf_clear(&in->strs);
        if (!nd_buf_reserve(&in->strs, url_n + title_n + published_n + id_n + 4)) {
            url = no_nul(in, url, url_n);
            title = no_nul(in, title, title_n);
            published = no_nul(in, published, published_n);
            id = no_nul(in, id, id_n);
        }

        memset(doc, 0, sizeof *doc);
        doc->source = in->path;
        doc->format = ND_FMT_JSONL;
        doc->offset = in->line;
        doc->ext_id = id;
        doc->url = url && *url ? url : NULL;
        doc->fetched = fetched;
        doc->title = title;
        doc->published = published;
        if (html) {
            doc->kind = ND_KIND_HTML;
            doc->data = html;
            doc->len = html_n;
        } else {
            doc->kind = ND_KIND_TEXT;
            doc->data = text;
            doc->len = text_n;
        }
        if (in->dup_key) {
            snprintf(in->warn, sizeof in->warn,
                     "%s:%llu: duplicate key %s (the last value is used)", in->path,
                     (unsigned long long) in->line, in->dup_near);
            doc->warning = in->warn;
        }
        return 1;
    }
}
