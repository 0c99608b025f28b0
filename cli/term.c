/* term.c - text for a person: the one terminal sanitizer, and numbers as
 * people read them (counts, plurals, sizes, rates).
 *
 * Every string that came from a page or a file name and is printed for a
 * person passes through cli_term_append(), once, at the edge (tables do
 * it for their cells, cli_error() for its message, cli_write_term() for
 * whole texts): control characters (ESC, BEL, ...), DEL and C1 codes are
 * shown as \x1b / \u009b, bidi embeddings, overrides and isolates as
 * \u202e, invalid UTF-8 as U+FFFD.  So a title cannot clear the screen,
 * write the clipboard (OSC 52) or reverse the text around it.  JSON output
 * is escaped by the JSON writer instead. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_term_append(nd_buf *out, const char *s, size_t n, int lines)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *) s;
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned c = p[i];
        uint32_t cp = 0;
        if (c >= 0x20 && c < 0x7F) {
            run++;
            i++;
            continue;
        }
        size_t k = c < 0x80 ? 1 : nd_utf8_decode(s + i, n - i, &cp);
        if (c >= 0x80 && k && cp > 0x9F && !nd_bidi_control(cp)) {
            run += k;
            i += k;
            continue;
        }
        if (run) nd_buf_append(out, s + i - run, run), run = 0;
        if ((c == '\n' && lines) || c == '\t') {
            nd_buf_putc(out, (char) c);
        } else if (c < 0x80) {
            char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            nd_buf_append(out, e, 4);
        } else if (!k) {
            nd_buf_append(out, "\xEF\xBF\xBD", 3);
            k = 1;
        } else {
            char e[6] = {'\\',        'u', hex[cp >> 12], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15],
                         hex[cp & 15]};
            nd_buf_append(out, e, 6);
        }
        i += c < 0x80 ? 1 : k;
    }
    if (run) nd_buf_append(out, s + i - run, run);
}

int cli_write_term(const char *p, size_t n)
{
    nd_buf b = ND_BUF_INIT;
    cli_term_append(&b, p, n, 1);
    int rc = nd_buf_failed(&b) ? -1 : cli_write(b.ptr ? b.ptr : "", b.len);
    nd_buf_free(&b);
    return rc;
}

/* ---- numbers ---------------------------------------------------------------------- */

const char *cli_num(char out[32], uint64_t v)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long) v);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < 32; i++) {
        if (i && (len - i) % 3 == 0) out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = 0;
    return out;
}

const char *cli_count(char out[64], uint64_t v, const char *one, const char *many)
{
    char num[32];
    snprintf(out, 64, "%s %s", cli_num(num, v), v == 1 ? one : many);
    return out;
}

const char *cli_size(char out[32], uint64_t bytes)
{
    static const char *const units[] = {"kB", "MB", "GB", "TB"};
    if (bytes < 1000) {
        snprintf(out, 32, "%llu B", (unsigned long long) bytes);
        return out;
    }
    double v = (double) bytes / 1000;
    int u = 0;
    while (v >= 1000 && u < 3) v /= 1000, u++;
    snprintf(out, 32, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return out;
}

const char *cli_rate(char out[32], double count, double seconds)
{
    double r = count / (seconds > 0.001 ? seconds : 0.001);
    /* Two significant digits at least: one big page in 2.3 s is 0.43
     * pages/s, not 0. */
    snprintf(out, 32, r >= 10 ? "%.0f" : r >= 1 ? "%.1f" : "%.2f", r);
    return out;
}
