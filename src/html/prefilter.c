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

/* Attributes html.c reads only on <meta>, <link>, <script> or <html>
 * (on_meta's keys, the script's type, the page's lang): dropped on the
 * other elements. */
static int head_attr(const char *a, size_t n)
{
    static const nd_slice head[] = {ND_SLICE_INIT("name"),       ND_SLICE_INIT("property"),
                                    ND_SLICE_INIT("http-equiv"), ND_SLICE_INIT("charset"),
                                    ND_SLICE_INIT("type"),       ND_SLICE_INIT("lang"),
                                    ND_SLICE_INIT("xml:lang")};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        if (head[i].len == n && starts_word_n(a, n, head[i].ptr, n)) return 1;
    return 0;
}

/* What html.c's on_start() reads of an element's attributes, by the name
 * libxml2 gives the element. */
enum {
    TK_ANY,    /* anything the allow-list keeps (<html>, <script>, odd names) */
    TK_META,   /* on_meta(): content and its keys */
    TK_LINK,   /* rel and href, for rel=canonical only */
    TK_INERT,  /* void or dropped elements (img, br, svg, button, input ...):
                * nothing, unless an itemprop, a date title or a date data-*
                * attribute sends them to add_time() */
    TK_SCRIPT, /* the same and its type (JSON-LD or not) */
    TK_FORMAT, /* inline formatting (b, i, em ...): nothing, unless one of
                * those or rel, or a class naming an author, makes
                * author_attrs() or add_time() read them (then TK_NODE) */
    TK_NODE,   /* elements with a node: the allow-list less the head's */
    TK_A       /* the same and href */
};

/* The kind of the element named s[0, n) as libxml2 names it: letters,
 * digits and ":-_." lowercased (htmlParseHTMLName); a name holding
 * anything else is cut short by libxml2 and keeps every attribute here. */
static int tag_kind(const char *s, size_t n)
{
    char w[100];
    if (n >= sizeof w) return TK_ANY;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char) s[i];
        if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != ':' && c != '-' && c != '_' && c != '.')
            return TK_ANY;
        w[i] = (char) lower(c);
    }
    w[n] = 0;
    unsigned props;
    switch (nd__tag_lookup(w, &props)) {
    case ND_TAG_META: return TK_META;
    case ND_TAG_LINK: return TK_LINK;
    case ND_TAG_SCRIPT: return TK_SCRIPT;
    case ND_TAG_HTML: return TK_ANY;
    case ND_TAG_A: return TK_A;
    default:
        if (props & (ND_TP_VOID | ND_TP_DROP)) return TK_INERT;
        return props & ND_TP_FORMAT ? TK_FORMAT : TK_NODE;
    }
}

/* Case-insensitive: may the value v[0, n) (quotes and all) hold the
 * lowercase word w, once blanks, control and non-ASCII bytes are removed
 * (with skip)?  Yes as well for a value with an entity ('&': it may say
 * anything once decoded) and for one too long to look at. */
static int value_may_hold(const char *v, size_t n, const char *w, int skip)
{
    char low[512];
    size_t m = 0;
    if (n > sizeof low) return 1;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char) v[i];
        if (c == '&') return 1;
        if (skip && (c <= ' ' || c >= 0x80)) continue;
        low[m++] = (char) lower(c);
    }
    return memmem(low, m, w, strlen(w)) != NULL;
}

/* An inline style that may hide the element (html.c looks for
 * display:none and visibility:hidden, blanks and tabs removed). */
static int style_may_hide(const char *v, size_t n)
{
    return value_may_hold(v, n, "display:none", 1) || value_may_hold(v, n, "visibility:hidden", 1);
}

/* One attribute of a start tag: its name s[ns, ne) and its value s[vs, ve)
 * with its quotes (vs == ve without a value). */
typedef struct tag_attr {
    size_t ns, ne, vs, ve;
} tag_attr;

/* The attribute at or after *i in the tag ending at end: 1, 0 past the
 * last one, -1 on anything unexpected (a quote or '<' in a name, a quote
 * left open). */
static int next_attr(const char *s, size_t *i, size_t end, tag_attr *a)
{
    size_t j = *i;
    while (j < end && (is_space((unsigned char) s[j]) || s[j] == '/')) j++;
    if (j >= end || s[j] == '>') return 0;
    a->ns = j;
    while (j < end && !is_space((unsigned char) s[j]) && s[j] != '=' && s[j] != '>' &&
           s[j] != '/') {
        if (s[j] == '"' || s[j] == '\'' || s[j] == '<') return -1;
        j++;
    }
    a->ne = a->vs = a->ve = j;
    size_t k = j;
    while (k < end && is_space((unsigned char) s[k])) k++;
    if (k < end && s[k] == '=') {
        k++;
        while (k < end && is_space((unsigned char) s[k])) k++;
        a->vs = k;
        if (k < end && (s[k] == '"' || s[k] == '\'')) {
            const char *q = memchr(s + k + 1, s[k], end - k - 1);
            if (!q) return -1;
            a->ve = (size_t) (q - s) + 1;
        } else {
            while (k < end && !is_space((unsigned char) s[k]) && s[k] != '>') k++;
            a->ve = k;
        }
        j = a->ve;
    }
    *i = j;
    return 1;
}

#define attr_is(s, a, w)                                                                           \
    ((a)->ne - (a)->ns == sizeof(w) - 1 && starts_word(s + (a)->ns, sizeof(w) - 1, w))

/* Copy the start tag s[p, end) keeping only the attributes html.c reads
 * for that element.  Dropping an attribute never read leaves the parse
 * as it was: libxml2's tree building goes by element names alone.  A
 * value-dependent choice (style, link rel) keeps or drops every copy of
 * the attribute, since libxml2 keeps the first of duplicates.  Anything
 * unexpected (a quote in a name, a tag cut short) copies the tag
 * unchanged: libxml2 remains the judge of odd markup. */
static void copy_tag(nd_buf *b, const char *s, size_t p, size_t end)
{
    size_t i = p + 1;
    if (s[end - 1] != '>' || s[i] == '/' || s[i] == '!' || s[i] == '?') {
        nd_buf_append(b, s + p, end - p);
        return;
    }
    while (i < end && !is_space((unsigned char) s[i]) && s[i] != '>' && s[i] != '/') i++;
    size_t name_end = i;
    int kind = tag_kind(s + p + 1, name_end - p - 1);
    size_t mark = b->len;
    nd_buf_append(b, s + p, name_end - p);
    tag_attr a;
    int rc, canonical = 0, styles = 0, skipped_style = 0, trigger = 0;
    if (kind == TK_LINK) {
        /* html.c reads a <link>'s href when its rel is canonical. */
        for (i = name_end; (rc = next_attr(s, &i, end, &a)) > 0;)
            if (attr_is(s, &a, "rel") && value_may_hold(s + a.vs, a.ve - a.vs, "canonical", 0))
                canonical = 1;
        if (rc < 0) goto verbatim;
    }
    for (i = name_end; (rc = next_attr(s, &i, end, &a)) > 0;) {
        size_t n = a.ne - a.ns;
        const char *nm = s + a.ns, *v = s + a.vs;
        size_t vn = a.ve - a.vs;
        if (!n || !(keep_attr(nm, n) || date_title(nm, n, v, vn) || data_stamp(nm, n, v, vn)))
            continue;
        switch (kind) {
        case TK_META:
            if (!attr_is(s, &a, "content") && !attr_is(s, &a, "name") &&
                !attr_is(s, &a, "property") && !attr_is(s, &a, "itemprop") &&
                !attr_is(s, &a, "http-equiv") && !attr_is(s, &a, "charset"))
                continue;
            break;
        case TK_LINK:
            if (!canonical || !(attr_is(s, &a, "rel") || attr_is(s, &a, "href"))) continue;
            break;
        case TK_INERT:
        case TK_SCRIPT:
        case TK_FORMAT:
            /* (the allow-list keeps only date titles and data-*) */
            if (attr_is(s, &a, "itemprop") || attr_is(s, &a, "title") ||
                starts_word(nm, n, "data-") ||
                (kind == TK_FORMAT &&
                 (attr_is(s, &a, "rel") ||
                  (attr_is(s, &a, "class") &&
                   (value_may_hold(v, vn, "author", 0) || value_may_hold(v, vn, "byline", 0))))))
                trigger = 1;
            if (kind == TK_FORMAT && (head_attr(nm, n) || attr_is(s, &a, "href"))) continue;
            break;
        case TK_NODE:
        case TK_A:
            if (head_attr(nm, n) || (kind == TK_NODE && attr_is(s, &a, "href"))) continue;
            if (!styles && attr_is(s, &a, "style")) {
                if (!style_may_hide(v, vn)) {
                    skipped_style = 1;
                    continue;
                }
                styles = 1;
                if (skipped_style) {
                    /* An earlier copy was dropped: start again keeping all. */
                    nd_buf_truncate(b, mark + (name_end - p));
                    i = name_end;
                    continue;
                }
            }
            break;
        default: break;
        }
        nd_buf_putc(b, ' ');
        nd_buf_append(b, nm, n);
        if (vn) {
            nd_buf_putc(b, '=');
            nd_buf_append(b, v, vn);
        }
    }
    if (rc < 0) goto verbatim;
    if ((kind == TK_INERT || kind == TK_SCRIPT || kind == TK_FORMAT) && !trigger) {
        nd_buf_truncate(b, mark + (name_end - p));
        if (kind == TK_SCRIPT) /* the one attribute read without a date */
            for (i = name_end; next_attr(s, &i, end, &a) > 0;)
                if (attr_is(s, &a, "type")) {
                    nd_buf_puts(b, " type");
                    if (a.ve > a.vs) {
                        nd_buf_putc(b, '=');
                        nd_buf_append(b, s + a.vs, a.ve - a.vs);
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
