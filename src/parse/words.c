/* words.c - sentences and UD-style words of a text.
 *
 * Sentences come from the analysis's splitter and words from the project
 * tokenizer (nd_tokenize); this file only turns its tokens into the words
 * of Universal Dependencies English: clitics are words of their own
 * ("do" "n't", "Russia" "'s", "I" "'m", "can" "not", "gon" "na"), a
 * hyphenated compound is split at its hyphens unless its first part is a
 * prefix (UD English keeps "non-profit", "co-operation", "e-mail" whole)
 * or all its parts are numbers ("713-853-3989"), a percent sign is a word,
 * and web and e-mail addresses stay whole. */
#include "analyze/analyze_int.h"
#include "newsdesk/parse.h"
#include "newsdesk/token.h"

#include <string.h>

int nd_parse_sentences(const char *text, size_t len, nd_span **spans, size_t *n, nd_error *err)
{
    *spans = NULL;
    *n = 0;
    const nd_analyze_dict *dict = nd_analyze_dict_default(err);
    if (!dict) return err ? err->code : ND_ENOMEM;
    if (len > UINT32_MAX) len = UINT32_MAX;
    nd_arena *ar = nd_arena_new(len * 2 + 4096 < (1u << 20) ? len * 2 + 4096 : (1u << 20));
    if (!ar) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    nd__doc d;
    memset(&d, 0, sizeof d);
    d.dict = dict;
    d.ar = ar;
    d.text = text ? text : "";
    d.len = text ? len : 0;
    d.day = ND__DAY_MIN;
    int rc = nd__tokenize_doc(&d);
    if (!rc) {
        nd__split_sentences(&d);
        if (d.failed) rc = ND_ENOMEM;
    }
    if (!rc && d.n_sents) {
        *spans = nd_malloc(d.n_sents * sizeof **spans);
        if (*spans) {
            memcpy(*spans, d.sents, d.n_sents * sizeof **spans);
            *n = d.n_sents;
        } else {
            rc = ND_ENOMEM;
        }
    }
    nd_arena_free(ar);
    if (rc) return nd_error_set(err, rc, (size_t) -1, "%s", nd_strerror(rc));
    return 0;
}

static int is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alnum_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Does (p, n) start with the lowercase prefix of k bytes, ignoring ASCII
 * case? */
static int istarts_n(const char *p, size_t n, const char *prefix, size_t k)
{
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++)
        if ((p[i] | (p[i] >= 'A' && p[i] <= 'Z' ? 32 : 0)) != prefix[i]) return 0;
    return 1;
}

static int istarts(const char *p, size_t n, const char *prefix)
{
    return istarts_n(p, n, prefix, strlen(prefix));
}

/* The length of a web or e-mail address starting at p (0 when there is
 * none): "http://...", "https://...", "www.x.y", "name@host.tld".  Ends at
 * white space; trailing punctuation that closes the sentence is left out. */
static size_t address_len(const char *p, size_t n)
{
    size_t e = 0;
    while (e < n && !is_space_byte((unsigned char) p[e])) e++;
    if (e < 5) return 0;
    int url = istarts(p, e, "http://") || istarts(p, e, "https://") || istarts(p, e, "www.");
    if (!url) {
        /* name@host.tld: letters/digits/._%+- before, a dotted host after. */
        const char *at = memchr(p, '@', e);
        if (!at || at == p) return 0;
        for (const char *q = p; q < at; q++) {
            unsigned char c = (unsigned char) *q;
            if (!is_alnum_byte(c) && c != '.' && c != '_' && c != '%' && c != '+' && c != '-')
                return 0;
        }
        size_t k = (size_t) (at - p) + 1, dots = 0, last_dot = 0;
        for (; k < e; k++) {
            unsigned char c = (unsigned char) p[k];
            if (c == '.')
                dots++, last_dot = k;
            else if (!is_alnum_byte(c) && c != '-')
                break;
        }
        if (!dots || last_dot + 2 >= k) return 0;
        e = k;
    }
    while (e > 0 && strchr(".,;:!?)]}\"'>", p[e - 1])) e--;
    return e >= 4 ? e : 0;
}

/* Prefixes that UD English keeps joined to the word after a hyphen. */
static int is_prefix(const char *p, size_t n)
{
    static const char *const pre[] = {
        "a",     "ante",  "anti",   "bi",    "co",    "counter", "cross", "de",    "e",
        "ex",    "extra", "hyper",  "inter", "intra", "macro",   "mega",  "meta",  "micro",
        "mid",   "mini",  "mis",    "multi", "neo",   "non",     "over",  "post",  "pre",
        "pro",   "proto", "pseudo", "re",    "semi",  "sub",     "super", "trans", "tri",
        "ultra", "un",    "under",  "uni",   "vice",  NULL};
    char low[16];
    if (n == 0 || n >= sizeof low) return 0;
    for (size_t i = 0; i < n; i++) low[i] = (char) (p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
    for (size_t i = 0; pre[i]; i++)
        if (strlen(pre[i]) == n && !memcmp(pre[i], low, n)) return 1;
    return 0;
}

/* Where a clitic starts in the token [p, p+n): its offset, or n when the
 * token has none. */
static size_t clitic_at(const char *p, size_t n)
{
    /* n't / n’t */
    if (n >= 4 && istarts(p + n - 3, 3, "n't")) return n - 3;
    if (n >= 6 && (p[n - 5] | 32) == 'n' && !memcmp(p + n - 4, "\xE2\x80\x99", 3) &&
        (p[n - 1] | 32) == 't')
        return n - 5;
    /* 's 'm 'd 're 've 'll and the same with ’ */
    static const nd_slice tails[] = {ND_SLICE_INIT("s"),  ND_SLICE_INIT("m"),  ND_SLICE_INIT("d"),
                                     ND_SLICE_INIT("re"), ND_SLICE_INIT("ve"), ND_SLICE_INIT("ll")};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        size_t k = tails[i].len;
        if (n < k + 2 || !istarts_n(p + n - k, k, tails[i].ptr, k)) continue;
        if (p[n - k - 1] == '\'') return n - k - 1;
        if (n >= k + 4 && !memcmp(p + n - k - 3, "\xE2\x80\x99", 3)) return n - k - 3;
    }
    /* Written without an apostrophe: "cannot", "gonna", "dont". */
    /* (lengths written out: this runs for every word) */
    static const struct {
        nd_slice w;
        size_t at;
    } joined[] = {{ND_SLICE_INIT("cannot"), 3},   {ND_SLICE_INIT("gonna"), 3},
                  {ND_SLICE_INIT("wanna"), 3},    {ND_SLICE_INIT("gotta"), 3},
                  {ND_SLICE_INIT("dont"), 2},     {ND_SLICE_INIT("doesnt"), 4},
                  {ND_SLICE_INIT("didnt"), 3},    {ND_SLICE_INIT("isnt"), 2},
                  {ND_SLICE_INIT("arent"), 3},    {ND_SLICE_INIT("wasnt"), 3},
                  {ND_SLICE_INIT("werent"), 4},   {ND_SLICE_INIT("havent"), 4},
                  {ND_SLICE_INIT("hasnt"), 3},    {ND_SLICE_INIT("hadnt"), 3},
                  {ND_SLICE_INIT("wouldnt"), 5},  {ND_SLICE_INIT("couldnt"), 5},
                  {ND_SLICE_INIT("shouldnt"), 6}, {ND_SLICE_INIT("aint"), 2},
                  {ND_SLICE_INIT("cant"), 2},     {ND_SLICE_INIT("wont"), 2}};
    if (n < 4 || n > 8) return n;
    for (size_t i = 0; i < sizeof joined / sizeof *joined; i++)
        if (joined[i].w.len == n && istarts_n(p, n, joined[i].w.ptr, n)) return joined[i].at;
    return n;
}

static int all_digits(const char *p, size_t n)
{
    if (!n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(p[i] >= '0' && p[i] <= '9')) return 0;
    return 1;
}

typedef struct wout {
    nd_word *out;
    size_t max, n;
} wout;

static void emit(wout *o, size_t s, size_t e, uint16_t flags)
{
    nd_word *w = &o->out[o->n++];
    memset(w, 0, sizeof *w);
    w->start = (uint32_t) s, w->end = (uint32_t) e;
    w->head = -1;
    w->flags = flags;
    w->lemma = "";
}

/* The words of one token [s, e) (a word token of the tokenizer): at most
 * 2 * hyphens + 2.  Returns how many were written; 0 when they would not
 * fit in the space left. */
static size_t split_token(const char *text, size_t s, size_t e, int type, wout *o)
{
    const char *p = text + s;
    size_t n = e - s;
    size_t cut = type == ND_TOK_WORD ? clitic_at(p, n) : n;
    size_t parts[64][2], np = 0;
    /* Hyphenated compound in [0, cut). */
    size_t a = 0;
    int split_hyphens = 0;
    if (type == ND_TOK_WORD && memchr(p, '-', cut)) {
        const char *h = memchr(p, '-', cut);
        split_hyphens = !is_prefix(p, (size_t) (h - p));
        if (split_hyphens) {
            int nums = 1;
            for (size_t k = 0, b = 0; k <= cut; k++) {
                if (k == cut || p[k] == '-') {
                    nums &= all_digits(p + b, k - b);
                    b = k + 1;
                }
            }
            if (nums) split_hyphens = 0;
        }
    }
    if (split_hyphens) {
        for (size_t k = 0; k < cut && np + 3 < 64; k++) {
            if (p[k] != '-' || k == a || k + 1 >= cut) continue;
            parts[np][0] = a, parts[np][1] = k, np++;
            parts[np][0] = k, parts[np][1] = k + 1, np++;
            a = k + 1;
        }
    }
    parts[np][0] = a, parts[np][1] = cut, np++;
    if (cut < n) parts[np][0] = cut, parts[np][1] = n, np++;
    /* "3.5%": the percent sign is a word. */
    if (type == ND_TOK_NUM && n >= 2 && p[n - 1] == '%') {
        parts[0][1] = n - 1;
        parts[1][0] = n - 1, parts[1][1] = n, np = 2;
    }
    if (o->n + np > o->max) return 0;
    for (size_t k = 0; k < np; k++) {
        if (parts[k][1] <= parts[k][0]) continue;
        emit(o, s + parts[k][0], s + parts[k][1], np > 1 ? ND_WORDF_SPLIT : 0);
    }
    return np;
}

size_t nd_parse_words(const char *text, size_t start, size_t end, nd_word *out, size_t max,
                      size_t *stop)
{
    wout o = {out, max, 0};
    size_t pos = start;
    if (!text || end <= start || end > UINT32_MAX) {
        if (stop) *stop = end > start ? start : end;
        return 0;
    }
    while (pos < end && o.n < o.max) {
        while (pos < end && is_space_byte((unsigned char) text[pos])) pos++;
        if (pos >= end) break;
        size_t al = address_len(text + pos, end - pos);
        if (al) {
            emit(&o, pos, pos + al, 0);
            pos += al;
            continue;
        }
        nd_token tk;
        size_t consumed = 0;
        size_t got = nd_tokenize(text + pos, end - pos, &tk, 1, &consumed);
        if (!got) { /* only spaces the tokenizer knows (U+00A0, ...) */
            pos += consumed ? consumed : 1;
            continue;
        }
        size_t s = pos + tk.off, e = s + tk.len;
        size_t before = o.n;
        if (!split_token(text, s, e, tk.type, &o)) {
            o.n = before;
            break;
        }
        pos = e;
    }
    if (stop) *stop = pos;
    /* No space after a word that touches the next one. */
    for (size_t i = 0; i < o.n; i++) {
        size_t e = out[i].end;
        if (e < end && !is_space_byte((unsigned char) text[e])) out[i].flags |= ND_WORDF_NOSPACE;
    }
    return o.n;
}
