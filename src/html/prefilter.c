/* prefilter.c - a fast pass over the HTML before libxml2 sees it.
 *
 * About half the bytes of a news page are script and style bodies, which
 * carry no page text; comments add more.  This pass drops them (keeping
 * JSON-LD scripts, which carry metadata) so that the parser works on the
 * markup that matters.  It also cuts start tags longer than
 * ND_HTML_MAX_TAG: libxml2 checks each attribute of a tag against all
 * earlier ones, which is quadratic, and a hostile tag with 10^6 attributes
 * would take minutes.  Attributes the HTML front never reads on the
 * element that holds them are dropped (copy_tag).  Everything else is
 * copied unchanged; the tokenizing here is deliberately small (tags,
 * quoted attribute values, comments, raw-text elements) and libxml2
 * remains the parser.
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

/* A title attribute's value is an ISO 8601 date: the machine date of a
 * microformat (<abbr class="published" title="2012-08-22T09:43:41">);
 * other titles (tooltips) are dropped with the rest. */
static int date_title(const char *v, size_t vn)
{
    if (vn && (v[0] == '"' || v[0] == '\'')) v++, vn--;
    if (vn < 10) return 0;
    for (int i = 0; i < 10; i++) {
        int digit = v[i] >= '0' && v[i] <= '9';
        if ((i == 4 || i == 7) ? v[i] != '-' : !digit) return 0;
    }
    return 1;
}

/* A data attribute's value is a Unix time in seconds or milliseconds
 * (data-timestamp="1682640000"): html.c reads those that name a date. */
static int data_stamp(const char *v, size_t vn)
{
    if (vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0]) v++, vn -= 2;
    if (vn != 10 && vn != 13) return 0;
    for (size_t i = 0; i < vn; i++)
        if (v[i] < '0' || v[i] > '9') return 0;
    return 1;
}

/* The attributes the HTML front reads; the rest (srcset, onclick, width
 * ...) are dropped here, which spares the parser most of the bytes inside
 * tags. */
enum {
    A_OTHER, /* none of them */
    A_CLASS,
    A_ID,
    A_ROLE,
    A_ITEMPROP,
    A_ITEMTYPE,
    A_REL,
    A_HREF,
    A_HIDDEN,
    A_ARIA_HIDDEN,
    A_STYLE,
    A_DATETIME,
    A_CONTENT,
    A_NAME,
    A_PROPERTY,
    A_HTTP_EQUIV,
    A_CHARSET,
    A_TYPE,
    A_LANG,
    A_XML_LANG,
    A_TITLE, /* when its value is a date */
    A_DATA   /* data-*, when its value is a Unix time */
};

#define A_IS(w, id) (starts_word_n(a, n, w, sizeof(w) - 1) ? (id) : A_OTHER)

/* Which of them the name a[0, n) is, in any case. */
static int attr_id(const char *a, size_t n)
{
    if (n >= 6 && starts_word(a, n, "data-")) return A_DATA;
    switch (n) {
    case 2: return A_IS("id", A_ID);
    case 3: return A_IS("rel", A_REL);
    case 4:
        switch (lower((unsigned char) a[0])) {
        case 'r': return A_IS("role", A_ROLE);
        case 'h': return A_IS("href", A_HREF);
        case 'n': return A_IS("name", A_NAME);
        case 't': return A_IS("type", A_TYPE);
        case 'l': return A_IS("lang", A_LANG);
        default: return A_OTHER;
        }
    case 5:
        switch (lower((unsigned char) a[0])) {
        case 'c': return A_IS("class", A_CLASS);
        case 's': return A_IS("style", A_STYLE);
        case 't': return A_IS("title", A_TITLE);
        default: return A_OTHER;
        }
    case 6: return A_IS("hidden", A_HIDDEN);
    case 7:
        if (starts_word(a, n, "content")) return A_CONTENT;
        return A_IS("charset", A_CHARSET);
    case 8:
        switch (lower((unsigned char) a[0])) {
        case 'i':
            if (starts_word(a, n, "itemprop")) return A_ITEMPROP;
            return A_IS("itemtype", A_ITEMTYPE);
        case 'd': return A_IS("datetime", A_DATETIME);
        case 'p': return A_IS("property", A_PROPERTY);
        case 'x': return A_IS("xml:lang", A_XML_LANG);
        default: return A_OTHER;
        }
    case 10: return A_IS("http-equiv", A_HTTP_EQUIV);
    case 11: return A_IS("aria-hidden", A_ARIA_HIDDEN);
    default: return A_OTHER;
    }
}

/* What html.c's on_start() reads of an element's attributes, by the name
 * libxml2 gives the element. */
enum {
    TK_ANY,    /* all of the above (<html>, odd names) */
    TK_META,   /* on_meta(): content and its keys */
    TK_LINK,   /* rel and href, for rel=canonical only */
    TK_INERT,  /* void or dropped elements (img, br, svg, button, input ...):
                * nothing, unless an itemprop, a date title or a date data-*
                * attribute sends them to add_time() (then M_TIME) */
    TK_SCRIPT, /* the same and its type (JSON-LD or not) */
    TK_FORMAT, /* inline formatting (b, i, em ...): nothing, unless one of
                * those, a rel or a class naming an author makes add_time()
                * or author_attrs() read them (then M_NODE) */
    TK_NODE,   /* elements with a node: classify_attrs() and the dates' */
    TK_A       /* the same and href */
};

#define M(id) (1u << (id))
/* What sends an element to add_time(), and what the date paths read. */
#define M_DATE (M(A_ITEMPROP) | M(A_TITLE) | M(A_DATA))
#define M_TIME (M_DATE | M(A_CLASS) | M(A_ID) | M(A_CONTENT) | M(A_DATETIME))
#define M_NODE                                                                                     \
    (M_TIME | M(A_ROLE) | M(A_ITEMTYPE) | M(A_REL) | M(A_STYLE) | M(A_HIDDEN) | M(A_ARIA_HIDDEN))

static const uint32_t kind_attrs[] = {[TK_ANY] = ~M(A_OTHER),
                                      [TK_META] = M(A_CONTENT) | M(A_NAME) | M(A_PROPERTY) |
                                                  M(A_ITEMPROP) | M(A_HTTP_EQUIV) | M(A_CHARSET),
                                      [TK_LINK] = M(A_REL) | M(A_HREF),
                                      [TK_INERT] = M_TIME,
                                      [TK_SCRIPT] = M_TIME | M(A_TYPE),
                                      [TK_FORMAT] = M_NODE,
                                      [TK_NODE] = M_NODE,
                                      [TK_A] = M_NODE | M(A_HREF)};

/* Element kinds by lowercase name of up to 8 bytes (packed into the key),
 * cached in front of the tag table for one page. */
typedef struct kind_cache {
    uint64_t key[64];
    uint8_t kind[64];
    int keep_meta;    /* keep every <meta> tag's attributes */
    int dropped_meta; /* a <meta> tag's were dropped */
} kind_cache;

static int kind_of_tag(const char *w)
{
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

/* The kind of the element named s[0, n) as libxml2 names it: letters,
 * digits and ":-_." lowercased (htmlParseHTMLName); a name holding
 * anything else is cut short by libxml2 and keeps all attributes here. */
static int tag_kind(kind_cache *kc, const char *s, size_t n)
{
    char w[100];
    if (n >= sizeof w) return TK_ANY;
    uint64_t key = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char) s[i];
        if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != ':' && c != '-' && c != '_' && c != '.')
            return TK_ANY;
        w[i] = (char) lower(c);
        if (i < 8) key |= (uint64_t) (unsigned char) w[i] << (8 * i);
    }
    w[n] = 0;
    if (n > 8) return kind_of_tag(w);
    size_t h = (size_t) ((key * 0x9E3779B97F4A7C15u) >> 58);
    if (kc->key[h] != key) {
        kc->key[h] = key;
        kc->kind[h] = (uint8_t) kind_of_tag(w);
    }
    return kc->kind[h];
}

/* Case-insensitive: may the value v[0, n) (quotes and all) hold the
 * lowercase word w or w2 (if not NULL), once blanks, control and
 * non-ASCII bytes are removed (with skip)?  Yes as well for a value with
 * an entity ('&': it may say anything once decoded) and for one too long
 * to look at. */
static int value_may_hold(const char *v, size_t n, const char *w, const char *w2, int skip)
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
    return memmem(low, m, w, strlen(w)) || (w2 && memmem(low, m, w2, strlen(w2)));
}

/* May html.c's on_meta() store the key value v[0, vn) (quotes and all)
 * under a name the extractor reads (nd__page_meta_key_read(); an itemprop
 * as "itemprop:KEY")?  Yes for a value with an entity, a control or
 * non-ASCII byte, or one too long to look at. */
static int meta_key_may_read(const char *v, size_t vn, int itemprop)
{
    char k[96];
    size_t m = 0;
    if (vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0]) v++, vn -= 2;
    if (itemprop) memcpy(k, "itemprop:", 9), m = 9;
    if (vn + m > sizeof k) return 1;
    for (size_t i = 0; i < vn; i++) {
        int c = (unsigned char) v[i];
        if (c == '&' || c < 0x20 || c >= 0x80) return 1;
        k[m++] = (char) lower(c);
    }
    return nd__page_meta_key_read(k, m);
}

/* One attribute of a start tag: its name s[ns, ne) and its value s[vs, ve)
 * with its quotes (vs == ve without a value). */
typedef struct tag_attr {
    size_t ns, ne, vs, ve;
} tag_attr;

/* Bytes that end or break an attribute's name or value. */
enum { C_SPACE = 1, C_EQ = 2, C_GT = 4, C_SLASH = 8, C_BAD = 16 /* " ' < */ };
static const unsigned char ch_class[256] = {
    [' '] = C_SPACE,  ['\n'] = C_SPACE, ['\t'] = C_SPACE, ['\r'] = C_SPACE,
    ['\f'] = C_SPACE, ['='] = C_EQ,     ['>'] = C_GT,     ['/'] = C_SLASH,
    ['"'] = C_BAD,    ['\''] = C_BAD,   ['<'] = C_BAD};
#define CH(c) ch_class[(unsigned char) (c)]

/* The attribute at or after *i in the tag ending at end: 1, 0 past the
 * last one, -1 on anything unexpected (a quote or '<' in a name, a quote
 * left open). */
static int next_attr(const char *s, size_t *i, size_t end, tag_attr *a)
{
    size_t j = *i;
    while (j < end && (CH(s[j]) & (C_SPACE | C_SLASH))) j++;
    if (j >= end || s[j] == '>') return 0;
    a->ns = j;
    for (; j < end; j++) {
        unsigned c = CH(s[j]);
        if (c & (C_SPACE | C_EQ | C_GT | C_SLASH)) break;
        if (c) return -1;
    }
    a->ne = a->vs = a->ve = j;
    size_t k = j;
    while (k < end && (CH(s[k]) & C_SPACE)) k++;
    if (k < end && s[k] == '=') {
        k++;
        while (k < end && (CH(s[k]) & C_SPACE)) k++;
        a->vs = k;
        if (k < end && (s[k] == '"' || s[k] == '\'')) {
            const char *q = memchr(s + k + 1, s[k], end - k - 1);
            if (!q) return -1;
            a->ve = (size_t) (q - s) + 1;
        } else {
            while (k < end && !(CH(s[k]) & (C_SPACE | C_GT))) k++;
            a->ve = k;
        }
        j = a->ve;
    }
    *i = j;
    return 1;
}

/* Append " name=value" (or " name"), in one piece when the source has
 * it so. */
static void put_attr(nd_buf *b, const char *s, const tag_attr *a)
{
    if (s[a->ns - 1] == ' ' &&
        (a->ve == a->ne || (s[a->ne] == '=' && a->vs == a->ne + 1 && a->ve > a->vs))) {
        nd_buf_append(b, s + a->ns - 1, a->ve - a->ns + 1);
        return;
    }
    nd_buf_putc(b, ' ');
    nd_buf_append(b, s + a->ns, a->ne - a->ns);
    if (a->ve > a->vs) {
        nd_buf_putc(b, '=');
        nd_buf_append(b, s + a->vs, a->ve - a->vs);
    }
}

/* Copy the start tag s[p, end) keeping only the attributes html.c reads
 * for that element.  Dropping an attribute never read leaves the parse
 * as it was: libxml2's tree building goes by element names alone.  A
 * choice by value (style, link rel) keeps or drops every copy of the
 * attribute, since libxml2 keeps the first of duplicates.  Anything
 * unexpected (a quote in a name, a tag cut short) copies the tag
 * unchanged: libxml2 remains the judge of odd markup. */
static void copy_tag(nd_buf *b, kind_cache *kc, const char *s, size_t p, size_t end)
{
    size_t i = p + 1;
    if (s[end - 1] != '>' || s[i] == '/' || s[i] == '!' || s[i] == '?') {
        nd_buf_append(b, s + p, end - p);
        return;
    }
    while (i < end && !is_space((unsigned char) s[i]) && s[i] != '>' && s[i] != '/') i++;
    size_t name_end = i;
    int kind = tag_kind(kc, s + p + 1, name_end - p - 1);
    uint32_t allow = kind_attrs[kind];
    size_t mark = b->len, bare = mark + (name_end - p);
    nd_buf_append(b, s + p, name_end - p);
    tag_attr a;
    int rc, styles = kind == TK_ANY, skipped_style = 0, trigger = 0;
    if (kind == TK_META && !kc->keep_meta) {
        /* A <meta> none of whose keys the extractor reads: nothing. */
        allow = 0;
        for (i = name_end; (rc = next_attr(s, &i, end, &a)) > 0;) {
            int id = attr_id(s + a.ns, a.ne - a.ns);
            if ((id == A_NAME || id == A_PROPERTY || id == A_ITEMPROP || id == A_HTTP_EQUIV) &&
                meta_key_may_read(s + a.vs, a.ve - a.vs, id == A_ITEMPROP))
                allow = kind_attrs[TK_META];
        }
        if (rc < 0) goto verbatim;
        if (!allow && end - name_end > 1) kc->dropped_meta = 1;
    }
    if (kind == TK_LINK) {
        /* html.c reads a <link>'s rel and href when the rel is canonical. */
        allow = 0;
        for (i = name_end; (rc = next_attr(s, &i, end, &a)) > 0;)
            if (attr_id(s + a.ns, a.ne - a.ns) == A_REL &&
                value_may_hold(s + a.vs, a.ve - a.vs, "canonical", NULL, 0))
                allow = kind_attrs[TK_LINK];
        if (rc < 0) goto verbatim;
    }
    for (i = name_end; (rc = next_attr(s, &i, end, &a)) > 0;) {
        int id = attr_id(s + a.ns, a.ne - a.ns);
        const char *v = s + a.vs;
        size_t vn = a.ve - a.vs;
        if (!(allow & M(id)) || (id == A_TITLE && !date_title(v, vn)) ||
            (id == A_DATA && !data_stamp(v, vn)))
            continue;
        if (M(id) & M_DATE) trigger = 1;
        if (id == A_REL ||
            (id == A_CLASS && kind == TK_FORMAT && value_may_hold(v, vn, "author", "byline", 0)))
            trigger = 1; /* (for inline formatting: author_attrs()) */
        if (id == A_STYLE && !styles) {
            /* html.c looks for these, blanks and tabs removed */
            if (!value_may_hold(v, vn, "display:none", "visibility:hidden", 1)) {
                skipped_style = 1;
                continue;
            }
            styles = 1;
            if (skipped_style) {
                /* An earlier copy was dropped: start again keeping all. */
                nd_buf_truncate(b, bare);
                i = name_end;
                trigger = 0;
                continue;
            }
        }
        put_attr(b, s, &a);
    }
    if (rc < 0) goto verbatim;
    if ((kind == TK_INERT || kind == TK_SCRIPT || kind == TK_FORMAT) && !trigger) {
        nd_buf_truncate(b, bare);
        if (kind == TK_SCRIPT) /* the one attribute read without a date */
            for (i = name_end; next_attr(s, &i, end, &a) > 0;)
                if (attr_id(s + a.ns, a.ne - a.ns) == A_TYPE) put_attr(b, s, &a);
    }
    nd_buf_putc(b, '>');
    return;
verbatim:
    nd_buf_truncate(b, mark);
    nd_buf_append(b, s + p, end - p);
}

static char *prefilter(const char *s, size_t n, size_t *out_n, int keep_meta, int *dropped_meta)
{
    nd_buf b = ND_BUF_INIT;
    kind_cache kc;
    memset(&kc, 0, sizeof kc);
    kc.keep_meta = keep_meta;
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
            copy_tag(&b, &kc, s, p, end);
        }
        i = end;
        /* What follows looks for pre, textarea, listing, script, style
         * and svg, start or end tags: no other tag needs a look. */
        int c0 = lower((unsigned char) s[p + 1]);
        if (c0 != 'p' && c0 != 't' && c0 != 'l' && c0 != 's' && c0 != '/') continue;
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
    *dropped_meta = kc.dropped_meta;
    return nd_buf_detach(&b, out_n);
}

/* At most how many entries html.c may add to the page's <meta> list when
 * libxml2 parses s[0, n) (or the same with more attributes): on_meta()
 * one per key (4 at most) of each <meta>, a <time> its datetime.  Every
 * such element starts with those bytes. */
static size_t meta_entries_max(const char *s, size_t n)
{
    size_t k = 0;
    for (const char *lt = s, *e = s + n; (lt = memchr(lt, '<', (size_t) (e - lt))) != NULL; lt++) {
        if (lt + 1 == e || ((lt[1] | 32) != 'm' && (lt[1] | 32) != 't')) continue;
        if (starts_word(lt + 1, (size_t) (e - lt - 1), "meta"))
            k += 4;
        else if (starts_word(lt + 1, (size_t) (e - lt - 1), "time"))
            k++;
    }
    return k;
}

char *nd__html_prefilter(const char *s, size_t n, size_t *out_n)
{
    int dropped_meta = 0;
    char *out = prefilter(s, n, out_n, 0, &dropped_meta);
    /* Dropping the <meta> tags no one reads leaves the ones read in the
     * page's list unless the list would be full (ND_PAGE_MAX_META): then
     * fewer entries before a read one would let it in.  Such a page keeps
     * them all. */
    if (out && dropped_meta && meta_entries_max(out, *out_n) >= ND_PAGE_MAX_META) {
        nd_free(out);
        out = prefilter(s, n, out_n, 1, &dropped_meta);
    }
    return out;
}
