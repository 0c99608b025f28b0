/* jsonl.c - JSON lines -> documents.
 *
 * One object per line: {"id"?, "url"?, "html" | "text", "title"?,
 * "published"?, "fetched"?}; other members are ignored.  Lines are read one
 * at a time (LF or CRLF; the last may lack its newline); blank lines are
 * skipped; a bad line is one error "PATH:LINE: reason" and reading goes on.
 * A line longer than the limit is skipped without being kept. */
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

static int line_error(nd__input *in, int code, nd_error *err, const char *fmt, ...)
    ND_PRINTF(4, 5);

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
    *out = json_string_value(v);
    if (len) *len = json_string_length(v);
    return 0;
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
                                (unsigned long long) in->line, (unsigned long long) total,
                                in->max);
        }
        size_t got = nd__stream_fill(s, a + 1);
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
        json_t *o = json_loadb(p, n, JSON_ALLOW_NUL, &je);
        if (!o) {
            return line_error(in, ND_EPARSE, err, "invalid JSON: %s (column %d)", je.text,
                              je.column);
        }
        in->json = o;
        if (!json_is_object(o)) return line_error(in, ND_EFORMAT, err, "not a JSON object");

        const char *html, *text, *url, *title, *published, *fetched_s;
        size_t html_n, text_n;
        if (get_string(in, o, "html", &html, &html_n, err) ||
            get_string(in, o, "text", &text, &text_n, err) ||
            get_string(in, o, "url", &url, NULL, err) ||
            get_string(in, o, "title", &title, NULL, err) ||
            get_string(in, o, "published", &published, NULL, err))
            return err ? err->code : ND_EFORMAT;
        if (!html && !text)
            return line_error(in, ND_EFORMAT, err, "no \"html\" or \"text\" string");

        const char *id = NULL;
        json_t *jid = json_object_get(o, "id");
        if (jid && json_is_string(jid)) {
            id = json_string_value(jid);
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
            fetched_s = json_string_value(jf);
            int64_t ts;
            int has_time;
            if (nd_time_parse(fetched_s, json_string_length(jf), &ts, &has_time) == 0)
                fetched = ts;
        } else if (jf && json_is_integer(jf)) {
            fetched = (int64_t) json_integer_value(jf); /* epoch seconds */
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
        return 1;
    }
}
