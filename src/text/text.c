/* text.c - the flattened-text front: a scraped page as blocks of lines.
 *
 * Each non-empty line is a block; lines between blank lines form a group
 * (a synthetic GROUP node), which keeps the paragraph structure a dump
 * preserves.  Sentences that links split over several lines ("Xi Jinping /
 * told Russia's / Vladimir Putin / on Thursday their ...") are joined back:
 * a short line without closing punctuation continues into the next when the
 * next starts in lower case, or when it ends in a possessive or a function
 * word - and only when the chain ends in a long line, so that menus of
 * short lowercase items stay apart.
 */
#include <string.h>

#include "extract/page.h"
#include "extract/features.h"

typedef struct line {
    size_t off, len; /* in the input, trimmed */
    uint32_t no;     /* 1-based line number */
    int words;
    int group; /* index of its blank-line group */
} line;

static int count_words(const char *s, size_t n)
{
    int w = 0, in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = s[i] == ' ' || s[i] == '\t';
        if (!sp && !in) w++;
        in = !sp;
    }
    return w;
}

/* First letter (ASCII or Latin-1/Latin Extended as UTF-8) is lowercase?
 * Leading quotes and brackets are skipped. */
static int starts_lower(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == '(')) i++;
    if (i >= n) return 0;
    unsigned char c = (unsigned char) s[i];
    if (c >= 'a' && c <= 'z') return 1;
    if (c == 0xC3 && i + 1 < n) return (unsigned char) s[i + 1] >= 0x9F; /* à..ÿ, ß */
    if (c == ',' || c == ';') return 1;                                  /* a clause continues */
    return 0;
}

static int ends_possessive_or_function(const char *s, size_t n)
{
    if (n >= 2 && s[n - 1] == 's' && s[n - 2] == '\'') return 1;
    if (n >= 4 && s[n - 1] == 's' && (unsigned char) s[n - 2] == 0x99 &&
        (unsigned char) s[n - 3] == 0x80 && (unsigned char) s[n - 4] == 0xE2)
        return 1;
    static const char *const fw[] = {"the",  "of",   "to",   "and",   "by",      "from",
                                     "with", "for",  "in",   "at",    "on",      "a",
                                     "an",   "as",   "or",   "that",  "said",    "told",
                                     "says", "than", "into", "about", "between", "against"};
    size_t b = n;
    while (b > 0 && s[b - 1] != ' ') b--;
    size_t k = n - b;
    if (k > 7 || !k || s[b] < 'a' || s[b] > 'w') return 0;
    for (size_t i = 0; i < sizeof fw / sizeof *fw; i++)
        if (fw[i][0] == s[b] && strncmp(s + b, fw[i], k) == 0 && fw[i][k] == 0) return 1;
    return 0;
}

static int ends_closed(const char *s, size_t n)
{
    if (!n) return 1;
    return nd__ends_sentence(s, n) || s[n - 1] == ',' || s[n - 1] == ';' || s[n - 1] == '|';
}

/* May line b continue the short line a? */
static int continues(const char *t, const line *a, const line *b)
{
    if (a->group != b->group) return 0;
    if (a->words > 8 || ends_closed(t + a->off, a->len)) return 0;
    return starts_lower(t + b->off, b->len) || ends_possessive_or_function(t + a->off, a->len);
}

int nd__text_to_page(const char *text, size_t len, nd_page *pg)
{
    /* Pass 1: lines and groups. */
    size_t cap = 256, n = 0;
    line *ls = nd_malloc(cap * sizeof *ls);
    if (!ls) return ND_ENOMEM;
    size_t i = 0;
    uint32_t no = 0;
    int group = 0, blank = 1;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t) (nl - text) : len;
        no++;
        /* An overlong line is cut into pieces at spaces (documented limit). */
        size_t s = i;
        while (s < e) {
            size_t pe = e;
            if (pe - s > ND_TEXT_MAX_LINE) {
                pe = s + ND_TEXT_MAX_LINE;
                while (pe > s + ND_TEXT_MAX_LINE / 2 && text[pe] != ' ') pe--;
                pg->split_lines = 1;
            }
            nd_slice t = nd_slice_trim((nd_slice){text + s, pe - s});
            if (t.len) {
                if (blank) group++;
                blank = 0;
                if (n == cap) {
                    line *nls = nd_realloc(ls, cap * 2 * sizeof *ls);
                    if (!nls) {
                        nd_free(ls);
                        return ND_ENOMEM;
                    }
                    ls = nls;
                    cap *= 2;
                }
                ls[n].off = (size_t) (t.ptr - text);
                ls[n].len = t.len;
                ls[n].no = no;
                ls[n].words = count_words(t.ptr, t.len);
                ls[n].group = group;
                n++;
            } else if (pe == e) {
                blank = 1;
            }
            s = pe;
        }
        if (i == e) blank = 1;
        i = e + 1;
    }

    /* Pass 2: blocks, joining link-split chains.  cont[i]: line i may
     * continue line i - 1 (computed once, so chains cost nothing). */
    unsigned char *cont = nd_calloc(n + 1, 1);
    if (!cont) {
        nd_free(ls);
        return ND_ENOMEM;
    }
    for (size_t k = 1; k < n; k++) cont[k] = (unsigned char) continues(text, &ls[k - 1], &ls[k]);
    uint32_t gnode = 0;
    int cur_group = -1;
    for (size_t k = 0; k < n;) {
        if (ls[k].group != cur_group) {
            gnode = nd__page_add_node(pg, 0, ND_TAG_GROUP, ND_NODE_BLOCK);
            cur_group = ls[k].group;
        }
        /* Find a chain k..j-1 worth joining. */
        /* A sentence split by links spans a few lines, not hundreds: the
         * chain is bounded, which also keeps this pass linear. */
        size_t j = k + 1;
        while (j < n && j - k < 16 && cont[j]) j++;
        int join = 0;
        if (j - k >= 2) {
            int total = 0;
            for (size_t m = k; m < j; m++) total += ls[m].words;
            const line *last = &ls[j - 1];
            join =
                last->words >= 8 || (total >= 10 && nd__ends_sentence(text + last->off, last->len));
        }
        if (!join) j = k + 1;
        uint32_t off = (uint32_t) pg->text.len;
        for (size_t m = k; m < j; m++) {
            if (m > k) nd_buf_putc(&pg->text, ' ');
            nd_buf_append(&pg->text, text + ls[m].off, ls[m].len);
        }
        uint32_t blen = (uint32_t) (pg->text.len - off);
        nd_buf_putc(&pg->text, 0);
        nd_block *b = nd__page_add_block(pg, gnode ? gnode : 0, off, blen);
        if (b) {
            b->line = ls[k].no;
            b->tag = ND_TAG_LINE;
            if (k == 0 || ls[k - 1].group != ls[k].group) b->flags |= ND_BLK_PARA_START;
            if (j - k > 1) b->flags |= ND_BLK_JOINED;
        }
        k = j;
    }
    nd_free(cont);
    nd_free(ls);
    return pg->text.failed ? ND_ENOMEM : 0;
}
