/* json.c - a small streaming JSON writer into an nd_buf. */
#include "newsdesk/base.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void nd_json_init(nd_json *j, nd_buf *out, int pretty)
{
    memset(j, 0, sizeof *j);
    j->out = out;
    j->pretty = pretty;
}

static void newline(nd_json *j)
{
    if (!j->pretty) return;
    nd_buf_putc(j->out, '\n');
    for (int i = 0; i < j->depth; i++) nd_buf_putc(j->out, ' ');
}

/* Separator before a value: nothing after a key, else a comma when a
 * sibling came before, and the indentation in pretty mode. */
static void before_value(nd_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->need_comma) nd_buf_putc(j->out, ',');
    if (j->flat) {
        if (j->pretty && j->need_comma) nd_buf_putc(j->out, ' ');
        return;
    }
    if (j->depth > 0) newline(j);
}

static void open(nd_json *j, char c)
{
    before_value(j);
    nd_buf_putc(j->out, c);
    j->depth++;
    j->need_comma = 0;
}

static void close(nd_json *j, char c)
{
    int had = j->need_comma, flat = j->flat;
    j->depth--;
    if (j->flat > j->depth) j->flat = 0;
    if (had && !flat) newline(j);
    nd_buf_putc(j->out, c);
    j->need_comma = 1;
}

void nd_json_obj_begin(nd_json *j)
{
    open(j, '{');
}
void nd_json_obj_end(nd_json *j)
{
    close(j, '}');
}
void nd_json_arr_begin(nd_json *j)
{
    open(j, '[');
}
void nd_json_arr_begin_flat(nd_json *j)
{
    open(j, '[');
    if (!j->flat) j->flat = j->depth;
}
void nd_json_arr_end(nd_json *j)
{
    close(j, ']');
}

void nd_json_key(nd_json *j, const char *key)
{
    before_value(j);
    nd_buf_putc(j->out, '"');
    nd_json_escape(j->out, key, strlen(key));
    nd_buf_append(j->out, j->pretty ? "\": " : "\":", j->pretty ? 3 : 2);
    j->after_key = 1;
    j->need_comma = 1;
}

void nd_json_escape(nd_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *) s;
    size_t i = 0, run = 0;
    if (nd_buf_reserve(out, n + 8)) return;
    while (i < n) {
        unsigned c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7F) {
            run++;
            i++;
            continue;
        }
        if (run) nd_buf_append(out, s + i - run, run), run = 0;
        if (c >= 0x80) {
            uint32_t cp = 0;
            size_t k = nd_utf8_decode(s + i, n - i, &cp);
            if (k) {
                /* Escaped although valid JSON: U+2028/2029 break JavaScript
                 * embedding; C1 controls (U+0080-009F: CSI, OSC ...) and the
                 * bidi embeddings, overrides and isolates act on a terminal
                 * the JSON is shown on. */
                if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
                    nd_bidi_control(cp)) {
                    char e[6] = {
                        '\\',        'u', hex[cp >> 12], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15],
                        hex[cp & 15]};
                    nd_buf_append(out, e, 6);
                } else {
                    nd_buf_append(out, s + i, k);
                }
                i += k;
            } else {
                nd_buf_append(out, "\xEF\xBF\xBD", 3);
                i++;
            }
            continue;
        }
        switch (c) {
        case '"': nd_buf_append(out, "\\\"", 2); break;
        case '\\': nd_buf_append(out, "\\\\", 2); break;
        case '\n': nd_buf_append(out, "\\n", 2); break;
        case '\t': nd_buf_append(out, "\\t", 2); break;
        case '\r': nd_buf_append(out, "\\r", 2); break;
        case '\b': nd_buf_append(out, "\\b", 2); break;
        case '\f': nd_buf_append(out, "\\f", 2); break;
        default: {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            nd_buf_append(out, e, 6);
        }
        }
        i++;
    }
    if (run) nd_buf_append(out, s + i - run, run);
}

void nd_json_str_n(nd_json *j, const char *s, size_t n)
{
    before_value(j);
    nd_buf_putc(j->out, '"');
    nd_json_escape(j->out, s, n);
    nd_buf_putc(j->out, '"');
    j->need_comma = 1;
}

void nd_json_str(nd_json *j, const char *s)
{
    if (!s)
        nd_json_null(j);
    else
        nd_json_str_n(j, s, strlen(s));
}

void nd_json_int(nd_json *j, long long v)
{
    before_value(j);
    nd_buf_printf(j->out, "%lld", v);
    j->need_comma = 1;
}

void nd_json_double(nd_json *j, double v, int decimals)
{
    before_value(j);
    if (!isfinite(v))
        nd_buf_puts(j->out, "null");
    else
        nd_buf_printf(j->out, "%.*f", decimals, v);
    j->need_comma = 1;
}

void nd_json_bool(nd_json *j, int v)
{
    before_value(j);
    nd_buf_puts(j->out, v ? "true" : "false");
    j->need_comma = 1;
}

void nd_json_null(nd_json *j)
{
    before_value(j);
    nd_buf_append(j->out, "null", 4);
    j->need_comma = 1;
}

void nd_json_raw(nd_json *j, const char *s, size_t n)
{
    before_value(j);
    nd_buf_append(j->out, s, n);
    j->need_comma = 1;
}
