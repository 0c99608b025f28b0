/* token.c - the news-text tokenizer (see include/newsdesk/token.h). */
#include "newsdesk/token.h"

#include <string.h>
#include <utf8proc.h>

/* Decode one code point; invalid bytes decode as themselves (Latin-1) so
 * that the tokenizer always advances. */
static size_t next_cp(const unsigned char *p, size_t n, int32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t) (n > 4 ? 4 : n), cp);
    if (k <= 0) {
        *cp = p[0];
        return 1;
    }
    return (size_t) k;
}

enum { C_SPACE, C_LETTER, C_DIGIT, C_MARK, C_PUNCT, C_OTHER };

static int cls(int32_t c)
{
    if (c < 0x80) {
        if ((c | 32) >= 'a' && (c | 32) <= 'z') return C_LETTER;
        if (c >= '0' && c <= '9') return C_DIGIT;
        if (c <= ' ' || c == 0x7F) return C_SPACE;
        return C_PUNCT;
    }
    if (c == 0xA0) return C_SPACE;
    const utf8proc_property_t *pr = utf8proc_get_property(c);
    switch (pr->category) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return C_LETTER;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return C_MARK;
    case UTF8PROC_CATEGORY_ND: return C_DIGIT;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF: return C_SPACE;
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO: return C_PUNCT;
    default: return C_OTHER;
    }
}

static int is_upper(int32_t c)
{
    if (c < 0x80) return c >= 'A' && c <= 'Z';
    int cat = utf8proc_get_property(c)->category;
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

static int is_apos(int32_t c)
{
    return c == '\'' || c == 0x2019;
}

static int is_hyphen(int32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011;
}

int nd_is_abbrev(const char *w, size_t n)
{
    static const char *const ab[] = {
        "Adm",    "Apr", "Aug",  "Ave",  "Brig", "Capt",  "Cmdr", "Co",   "Col",  "Corp",
        "Cpl",    "Dec", "Dept", "Dr",   "Feb",  "Fig",   "Fri",  "Ft",   "Gen",  "Gov",
        "Hon",    "Inc", "Jan",  "Jr",   "Jul",  "Jun",   "Lt",   "Ltd",  "Maj",  "Mar",
        "Messrs", "Mon", "Mr",   "Mrs",  "Ms",   "Mt",    "No",   "Nov",  "Oct",  "Prof",
        "Pvt",    "Rep", "Reps", "Rev",  "Sat",  "Sen",   "Sens", "Sep",  "Sept", "Sgt",
        "Sr",     "St",  "Sun",  "Supt", "Thu",  "Thurs", "Tue",  "Tues", "Wed",  "approx",
        "cf",     "e.g", "est",  "etc",  "i.e",  "no",    "vs"};
    size_t lo = 0, hi = sizeof ab / sizeof *ab;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        size_t an = strlen(ab[mid]);
        int c = memcmp(w, ab[mid], n < an ? n : an);
        if (c == 0) c = n < an ? -1 : (n > an ? 1 : 0);
        if (c == 0) return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* Quote characters: 1 opening, 2 closing, 3 ambiguous (straight). */
static int quote_kind(int32_t c)
{
    switch (c) {
    case 0x201C:
    case 0x2018:
    case 0xAB:
    case 0x201E:
    case 0x2039:
    case 0x201A: return 1;
    case 0x201D:
    case 0x2019:
    case 0xBB:
    case 0x203A: return 2;
    case '"':
    case '\'': return 3;
    default: return 0;
    }
}

/* Scan a word or number starting at i; returns its end.  Sets flags. */
static size_t scan_word(const unsigned char *p, size_t n, size_t i, uint16_t *type, uint16_t *flags)
{
    size_t start = i;
    int32_t c;
    size_t k = next_cp(p + i, n - i, &c);
    int letters = 0, uppers = 0, digits = 0, first_is_digit = cls(c) == C_DIGIT;
    int single_letters_dotted = 1; /* U.S. / e.g. pattern so far */
    size_t seg_letters = 0;
    *flags = 0;
    if (is_upper(c)) *flags |= ND_TOKF_CAP;
    while (i < n) {
        /* ASCII letters and digits, the bulk of news text, without a call */
        unsigned b0 = p[i];
        if ((b0 | 32) >= 'a' && (b0 | 32) <= 'z') {
            letters++;
            seg_letters++;
            if (b0 <= 'Z') uppers++;
            i++;
            continue;
        }
        if (b0 >= '0' && b0 <= '9') {
            digits++;
            i++;
            continue;
        }
        /* Other ASCII ends the word unless it is punctuation that may join
         * (below): the space after most words, without a call. */
        if (b0 < 0x80 && b0 != '\'' && b0 != '-' && b0 != ',' && b0 != '.' && b0 != ':' &&
            b0 != '/' && b0 != '&')
            break;
        k = next_cp(p + i, n - i, &c);
        int t = cls(c);
        if (t == C_LETTER || t == C_MARK) {
            if (t == C_LETTER) {
                letters++;
                seg_letters++;
                if (is_upper(c)) uppers++;
            }
            i += k;
            continue;
        }
        if (t == C_DIGIT) {
            digits++;
            i += k;
            continue;
        }
        /* Inner punctuation joins when a letter/digit follows. */
        if (i + k < n) {
            int32_t d;
            next_cp(p + i + k, n - i - k, &d);
            int td = cls(d);
            if (is_apos(c) && td == C_LETTER && letters) {
                i += k;
                continue;
            }
            if (is_hyphen(c) && (td == C_LETTER || td == C_DIGIT)) {
                *flags |= ND_TOKF_HYPHEN;
                single_letters_dotted = 0;
                i += k;
                continue;
            }
            if ((c == ',' || c == '.' || c == ':' || c == '/') && td == C_DIGIT && digits &&
                !letters) {
                i += k;
                continue;
            }
            if (c == '.' && td == C_LETTER && seg_letters == 1 && single_letters_dotted) {
                /* U.S / e.g / U.N: single letters separated by periods. */
                seg_letters = 0;
                i += k;
                continue;
            }
            if (c == '&' && td == C_LETTER && uppers == letters && letters <= 2) {
                i += k; /* AT&T, S&P */
                continue;
            }
        }
        break;
    }
    if (seg_letters > 1) single_letters_dotted = 0;
    if (first_is_digit && letters == 0) {
        *type = ND_TOK_NUM;
        if (i < n && p[i] == '%') i++;
    } else {
        *type = ND_TOK_WORD;
    }
    if (digits && letters) *flags |= ND_TOKF_DIGIT;
    if (letters >= 2 && uppers == letters) *flags |= ND_TOKF_ALLCAPS;
    /* A trailing period that belongs to the word. */
    if (i < n && p[i] == '.' && *type == ND_TOK_WORD) {
        int initialism = single_letters_dotted && memchr(p + start, '.', i - start) != NULL;
        int initial = letters == 1 && uppers == 1 && i - start <= 2;
        if (initialism || initial || nd_is_abbrev((const char *) p + start, i - start)) {
            i++;
            *flags |= ND_TOKF_ABBREV;
        }
    }
    /* Possessive 's / ’s (already inside the word when followed by s). */
    size_t e = i;
    if (e - start >= 3 && (p[e - 1] == 's' || p[e - 1] == 'S')) {
        if (p[e - 2] == '\'')
            *flags |= ND_TOKF_POSS;
        else if (e - start >= 5 && p[e - 4] == 0xE2 && p[e - 3] == 0x80 && p[e - 2] == 0x99)
            *flags |= ND_TOKF_POSS;
    }
    return i;
}

size_t nd_tokenize(const char *text, size_t len, nd_token *out, size_t max, size_t *consumed)
{
    const unsigned char *p = (const unsigned char *) text;
    size_t i = 0, n_out = 0;
    if (len > UINT32_MAX) len = UINT32_MAX;
    while (i < len && n_out < max) {
        if (p[i] == ' ') { /* the commonest byte, without a call */
            i++;
            continue;
        }
        int32_t c;
        size_t k = next_cp(p + i, len - i, &c);
        int t = cls(c);
        if (t == C_SPACE) {
            i += k;
            continue;
        }
        nd_token *tk = &out[n_out];
        tk->off = (uint32_t) i;
        tk->flags = 0;
        if (t == C_LETTER || t == C_DIGIT || t == C_MARK) {
            size_t e = scan_word(p, len, i, &tk->type, &tk->flags);
            tk->len = (uint32_t) (e - i);
            i = e;
            n_out++;
            continue;
        }
        if (t == C_PUNCT) {
            tk->type = ND_TOK_PUNCT;
            size_t e = i + k;
            int q = quote_kind(c);
            if (c == '.' && e + 1 < len && p[e] == '.' && p[e + 1] == '.') {
                e += 2; /* "..." */
            } else if (c == 0x2026) {
                /* an ellipsis: not a sentence end by itself */
            } else if (c == '-' && e < len && p[e] == '-') {
                e++;
            } else if (c == '.' || c == '!' || c == '?') {
                tk->flags |= ND_TOKF_SENT_END;
                while (e < len && (p[e] == '!' || p[e] == '?')) e++;
            } else if (q) {
                tk->flags |= ND_TOKF_QUOTE;
                if (q == 3) {
                    /* A straight quote opens after space/start/bracket and
                     * before a non-space; otherwise it closes. */
                    int32_t prev = ' ';
                    if (i > 0) {
                        size_t b = i - 1;
                        while (b > 0 && (p[b] & 0xC0) == 0x80) b--;
                        next_cp(p + b, len - b, &prev);
                    }
                    int32_t nx = ' ';
                    if (e < len) next_cp(p + e, len - e, &nx);
                    int ps = cls(prev) == C_SPACE || prev == '(' || prev == '[' || prev == 0x2014 ||
                             prev == 0x2013 || prev == '-' || quote_kind(prev) == 1;
                    q = ps && cls(nx) != C_SPACE ? 1 : 2;
                }
                tk->flags |= q == 1 ? ND_TOKF_OPENQ : ND_TOKF_CLOSEQ;
            }
            tk->len = (uint32_t) (e - i);
            i = e;
            n_out++;
            continue;
        }
        tk->type = ND_TOK_SYMBOL;
        tk->len = (uint32_t) k;
        i += k;
        n_out++;
    }
    if (consumed) *consumed = i;
    return n_out;
}

size_t nd_token_lower(const char *text, const nd_token *t, int drop_poss, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *) text + t->off;
    size_t n = t->len, o = 0;
    if (drop_poss && (t->flags & ND_TOKF_POSS)) {
        if (n >= 2 && p[n - 2] == '\'')
            n -= 2;
        else if (n >= 4)
            n -= 4;
    }
    if (!cap) return 0;
    size_t i = 0;
    while (i < n && o + 4 < cap) {
        if (p[i] < 0x80) {
            unsigned char c = p[i++];
            out[o++] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        int32_t c;
        size_t k = next_cp(p + i, n - i, &c);
        i += k;
        c = utf8proc_tolower(c);
        utf8proc_ssize_t w = utf8proc_encode_char(c, (utf8proc_uint8_t *) out + o);
        o += (size_t) (w > 0 ? w : 0);
    }
    out[o] = 0;
    return o;
}
