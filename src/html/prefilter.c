/* prefilter.c - a fast pass over the HTML before libxml2 sees it.
 *
 * About half the bytes of a news page are script and style bodies, which
 * carry no page text; comments add more.  This pass drops them (keeping
 * JSON-LD scripts, which carry metadata) so that the parser works on the
 * markup that matters.  It also cuts start tags longer than
 * ND_HTML_MAX_TAG: libxml2 checks each attribute of a tag against all
 * earlier ones, which is quadratic, and a hostile tag with 10^6 attributes
 * would take minutes.  Everything else is copied unchanged; the tokenizing
 * here is deliberately small (tags, quoted attribute values, comments,
 * raw-text elements) and libxml2 remains the parser.
 */
#include <string.h>

#include "html/html_int.h"

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_alpha(int c)
{
    return (c | 32) >= 'a' && (c | 32) <= 'z';
}

/* Case-insensitive: does s (n bytes left) start with the lowercase word w
 * of k bytes? */
static int starts_word_n(const char *s, size_t n, const char *w, size_t k)
{
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++)
        if (lower((unsigned char) s[i]) != w[i]) return 0;
    return 1;
}

/* The same for a string literal w, whose length is known here (this runs
 * for every tag of the page). */
#define starts_word(s, n, w) starts_word_n(s, n, w, sizeof(w) - 1)

/* End of the tag starting at p (the byte after its '>'), honouring quoted
 * attribute values; n when it never closes. */
static size_t tag_end(const char *s, size_t p, size_t n)
{
    size_t i = p + 1;
    while (i < n) {
        char c = s[i];
        if (c == '>') return i + 1;
        if (c == '=') {
            i++;
            while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
            if (i < n && (s[i] == '"' || s[i] == '\'')) {
                const char *q = memchr(s + i + 1, s[i], n - i - 1);
                if (!q) return n;
                i = (size_t) (q - s) + 1;
                continue;
            }
            continue;
        }
        i++;
    }
    return n;
}

/* Find "</name" (case-insensitive) from i; returns its offset or n. */
static size_t find_close(const char *s, size_t i, size_t n, const char *name)
{
    size_t k = strlen(name);
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) return n;
        size_t p = (size_t) (lt - s);
        if (p + 2 + k <= n && s[p + 1] == '/' && starts_word_n(s + p + 2, n - p - 2, name, k) &&
            (p + 2 + k == n || !is_alpha((unsigned char) s[p + 2 + k])))
            return p;
        i = p + 1;
    }
    return n;
}

static int is_space(int c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
}

/* Copy text between tags, collapsing runs of white space to their first
 * character (the parser would skip them one call per byte; outside <pre>
 * they mean one space anyway). */
static void copy_text(nd_buf *b, const char *s, size_t n, int pre)
{
    if (pre) {
        nd_buf_append(b, s, n);
        return;
    }
    /* Copy in bulk up to each run of two or more white-space bytes, of
     * which only the first is kept. */
    size_t i = 0, start = 0;
    while (i < n) {
        if (!is_space((unsigned char) s[i])) {
            i++;
            continue;
        }
        if (i + 1 < n && is_space((unsigned char) s[i + 1])) {
            nd_buf_append(b, s + start, i + 1 - start);
            i += 2;
            while (i < n && is_space((unsigned char) s[i])) i++;
            start = i;
            continue;
        }
        i++;
    }
    nd_buf_append(b, s + start, n - start);
}

/* Attributes the HTML front reads; the rest (data-*, srcset, onclick,
 * width ...) are dropped here, which spares the parser most of the bytes
 * inside tags. */
static int keep_attr(const char *a, size_t n)
{
    static const nd_slice keep[] = {
        ND_SLICE_INIT("class"),    ND_SLICE_INIT("id"),       ND_SLICE_INIT("role"),
        ND_SLICE_INIT("itemprop"), ND_SLICE_INIT("itemtype"), ND_SLICE_INIT("rel"),
        ND_SLICE_INIT("href"),     ND_SLICE_INIT("hidden"),   ND_SLICE_INIT("aria-hidden"),
        ND_SLICE_INIT("style"),    ND_SLICE_INIT("datetime"), ND_SLICE_INIT("content"),
        ND_SLICE_INIT("name"),     ND_SLICE_INIT("property"), ND_SLICE_INIT("http-equiv"),
        ND_SLICE_INIT("charset"),  ND_SLICE_INIT("type"),     ND_SLICE_INIT("lang"),
        ND_SLICE_INIT("xml:lang")};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
        if (keep[i].len == n && starts_word_n(a, n, keep[i].ptr, n)) return 1;
    return 0;
}

/* A title attribute whose value is an ISO 8601 date: the machine date of
 * a microformat (<abbr class="published" title="2012-08-22T09:43:41">);
 * other titles (tooltips) are dropped with the rest. */
static int date_title(const char *a, size_t n, const char *v, size_t vn)
{
    if (n != 5 || lower((unsigned char) a[0]) != 't' || !starts_word(a, n, "title")) return 0;
    if (vn && (v[0] == '"' || v[0] == '\'')) v++, vn--;
    if (vn < 10) return 0;
    for (int i = 0; i < 10; i++) {
        int digit = v[i] >= '0' && v[i] <= '9';
        if ((i == 4 || i == 7) ? v[i] != '-' : !digit) return 0;
    }
    return 1;
}

/* A data attribute whose value is a Unix time in seconds or milliseconds
 * (data-timestamp="1682640000"): html.c reads those that name a date. */
static int data_stamp(const char *a, size_t n, const char *v, size_t vn)
{
    if (n < 6 || !starts_word(a, n, "data-")) return 0;
    if (vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0]) v++, vn -= 2;
    if (vn != 10 && vn != 13) return 0;
    for (size_t i = 0; i < vn; i++)
        if (v[i] < '0' || v[i] > '9') return 0;
    return 1;
}

/* Copy the start tag s[p, end) keeping only the attributes that matter.
 * Anything unexpected (a quote in a name, a tag cut short) copies the tag
 * unchanged: libxml2 remains the judge of odd markup. */
static void copy_tag(nd_buf *b, const char *s, size_t p, size_t end)
{
    size_t i = p + 1;
    if (s[end - 1] != '>' || s[i] == '/' || s[i] == '!' || s[i] == '?') {
        nd_buf_append(b, s + p, end - p);
        return;
    }
    while (i < end && !is_space((unsigned char) s[i]) && s[i] != '>' && s[i] != '/') i++;
    size_t mark = b->len;
    nd_buf_append(b, s + p, i - p);
    while (i < end) {
        while (i < end && (is_space((unsigned char) s[i]) || s[i] == '/')) i++;
        if (i >= end || s[i] == '>') break;
        size_t ns = i;
        while (i < end && !is_space((unsigned char) s[i]) && s[i] != '=' && s[i] != '>' &&
               s[i] != '/') {
            if (s[i] == '"' || s[i] == '\'' || s[i] == '<') goto verbatim;
            i++;
        }
        size_t ne = i;
        size_t vs = i, ve = i;
        size_t k = i;
        while (k < end && is_space((unsigned char) s[k])) k++;
        if (k < end && s[k] == '=') {
            k++;
            while (k < end && is_space((unsigned char) s[k])) k++;
            vs = k;
            if (k < end && (s[k] == '"' || s[k] == '\'')) {
                const char *q = memchr(s + k + 1, s[k], end - k - 1);
                if (!q) goto verbatim;
                ve = (size_t) (q - s) + 1;
            } else {
                while (k < end && !is_space((unsigned char) s[k]) && s[k] != '>') k++;
                ve = k;
            }
            i = ve;
        }
        if (ne > ns &&
            (keep_attr(s + ns, ne - ns) || date_title(s + ns, ne - ns, s + vs, ve - vs) ||
             data_stamp(s + ns, ne - ns, s + vs, ve - vs))) {
            nd_buf_putc(b, ' ');
            nd_buf_append(b, s + ns, ne - ns);
            if (ve > vs) {
                nd_buf_putc(b, '=');
                nd_buf_append(b, s + vs, ve - vs);
            }
        }
    }
    nd_buf_putc(b, '>');
    return;
verbatim:
    nd_buf_truncate(b, mark);
    nd_buf_append(b, s + p, end - p);
}

char *nd__html_prefilter(const char *s, size_t n, size_t *out_n)
{
    nd_buf b = ND_BUF_INIT;
    if (nd_buf_reserve(&b, n / 2 + 64)) return NULL;
    size_t i = 0;
    int pre = 0; /* inside <pre>, <textarea> or <listing> */
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) {
            copy_text(&b, s + i, n - i, pre);
            break;
        }
        size_t p = (size_t) (lt - s);
        copy_text(&b, s + i, p - i, pre);
        if (p + 1 >= n) {
            nd_buf_putc(&b, '<');
            break;
        }
        char c = s[p + 1];
        if (c == '!' && p + 3 < n && s[p + 2] == '-' && s[p + 3] == '-') {
            /* A comment: dropped (an unterminated one runs to the end,
             * as in the parser). */
            size_t j = p + 4;
            i = n;
            while (j < n) {
                const char *d = memchr(s + j, '-', n - j);
                if (!d) break;
                size_t q = (size_t) (d - s);
                if (q + 2 < n && s[q + 1] == '-' && s[q + 2] == '>') {
                    i = q + 3;
                    break;
                }
                j = q + 1;
            }
            nd_buf_putc(&b, ' ');
            continue;
        }
        if (!is_alpha((unsigned char) c) && c != '/' && c != '!' && c != '?') {
            nd_buf_putc(&b, '<'); /* a lone '<' in text */
            i = p + 1;
            continue;
        }
        size_t end = tag_end(s, p, n);
        if (end - p > ND_HTML_MAX_TAG) {
            /* Keep the head of the tag up to the last space before the
             * limit, then close it. */
            size_t keep = ND_HTML_MAX_TAG;
            while (keep > 1 && s[p + keep] != ' ') keep--;
            nd_buf_append(&b, s + p, keep);
            nd_buf_putc(&b, '>');
        } else {
            copy_tag(&b, s, p, end);
        }
        i = end;
        if (starts_word(s + p + 1, n - p - 1, "pre") ||
            starts_word(s + p + 1, n - p - 1, "textarea") ||
            starts_word(s + p + 1, n - p - 1, "listing"))
            pre = 1;
        else if (starts_word(s + p + 1, n - p - 1, "/pre") ||
                 starts_word(s + p + 1, n - p - 1, "/textarea") ||
                 starts_word(s + p + 1, n - p - 1, "/listing"))
            pre = 0;
        /* Raw-text elements: skip the body of script (except JSON-LD)
         * and style up to their end tag. */
        int script = starts_word(s + p + 1, n - p - 1, "script") &&
                     (p + 7 >= n || !is_alpha((unsigned char) s[p + 7]));
        int style = starts_word(s + p + 1, n - p - 1, "style") &&
                    (p + 6 >= n || !is_alpha((unsigned char) s[p + 6]));
        if ((script || style) && s[end - 1] == '>' && s[end - 2] != '/') {
            const char *name = script ? "script" : "style";
            size_t close = find_close(s, end, n, name);
            int keep = 0;
            if (script) {
                /* JSON-LD and other data scripts keep their body. */
                for (size_t k = p; k + 7 <= end; k++)
                    if (starts_word(s + k, end - k, "ld+json")) {
                        keep = 1;
                        break;
                    }
                /* A script without a type whose body is JSON-LD (the
                 * HTML front decides whether to read it). */
                size_t j = end;
                while (j < close && (s[j] == ' ' || s[j] == '\n' || s[j] == '\r' || s[j] == '\t'))
                    j++;
                if (!keep && j < close && (s[j] == '{' || s[j] == '[')) {
                    size_t lim = close - j < 400 ? close - j : 400;
                    keep = memmem(s + j, lim, "\"@context\"", 10) != NULL;
                }
            }
            if (keep) nd_buf_append(&b, s + end, close - end);
            i = close;
            continue;
        }
        /* Inline SVG (icons, charts) is markup without page text, often a
         * tenth of what is left: skipped whole, nested <svg> counted. */
        if (starts_word(s + p + 1, n - p - 1, "svg") &&
            (p + 4 >= n || !is_alpha((unsigned char) s[p + 4])) && s[end - 1] == '>' &&
            s[end - 2] != '/') {
            size_t j = end;
            int depth = 1;
            while (depth > 0 && j < n) {
                const char *lt2 = memchr(s + j, '<', n - j);
                if (!lt2) {
                    j = n;
                    break;
                }
                size_t q = (size_t) (lt2 - s);
                if (starts_word(s + q + 1, n - q - 1, "svg") &&
                    (q + 4 >= n || !is_alpha((unsigned char) s[q + 4])))
                    depth++;
                else if (starts_word(s + q + 1, n - q - 1, "/svg"))
                    depth--;
                j = q + 1;
            }
            /* j is just past the '<' of the closing tag: resume there so
             * the parser sees </svg> and closes the element it opened. */
            i = depth == 0 ? j - 1 : n;
        }
    }
    return nd_buf_detach(&b, out_n);
}
