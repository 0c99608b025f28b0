/* utf8.c - UTF-8 repair and fast NFC normalisation.
 *
 * utf8proc normalises whole strings and is slow compared with the rest of
 * the pipeline, while almost all news text is already in NFC.  So we scan
 * for code points that NFC could change (combining marks, composition
 * seconds, singletons and exclusions), and hand only the short segments
 * around them to utf8proc.  The per-code-point answer for the BMP and plane
 * 1 is cached in a table filled lazily (relaxed atomics: racing threads
 * write the same value).
 */
#include "newsdesk/decode.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* 0 unknown, 1 safe (NFC leaves it alone whatever surrounds it), 2 not.
 * Covers the BMP and plane 1 (emoji, historic scripts); beyond, the answer
 * is computed each time. */
#define CACHED_CPS 0x20000
static _Atomic unsigned char cp_state[CACHED_CPS];

/* Can NFC change text because of this code point?  Yes for combining
 * marks (canonical combining class > 0), for code points that compose with
 * the one before them (utf8proc marks composition seconds with a
 * comb_index >= 0x8000: e.g. U+09BE, U+0B3E), for Hangul jamo (composed
 * algorithmically), and for singletons and exclusions (NFC of the lone
 * code point differs).  Spacing marks that never compose, such as the
 * Devanagari vowel signs, and variation selectors are safe. */
static int compute_unsafe(int32_t cp)
{
    const utf8proc_property_t *pr = utf8proc_get_property(cp);
    if (pr->combining_class != 0) return 1;
    if (pr->comb_index != UINT16_MAX && pr->comb_index >= 0x8000) return 1;
    if (cp >= 0x1100 && cp <= 0x11FF) return 1;
    utf8proc_uint8_t buf[8];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
    buf[n] = 0; /* utf8proc_NFC reads a NUL-terminated string */
    utf8proc_uint8_t *nfc = utf8proc_NFC(buf);
    int diff = !nfc || strlen((char *) nfc) != (size_t) n || memcmp(nfc, buf, (size_t) n) != 0;
    free(nfc);
    return diff;
}

static int unsafe(int32_t cp)
{
    if (cp < 0x300) return 0;
    if (cp < CACHED_CPS) {
        unsigned char st = atomic_load_explicit(&cp_state[cp], memory_order_relaxed);
        if (!st) {
            st = compute_unsafe(cp) ? 2 : 1;
            atomic_store_explicit(&cp_state[cp], st, memory_order_relaxed);
        }
        return st == 2;
    }
    return compute_unsafe(cp);
}

/* Decode one code point at p (n bytes left); returns its length, or 0 for
 * an invalid sequence. */
static size_t utf8_next(const unsigned char *p, size_t n, int32_t *cp)
{
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = (int32_t) c;
        return 1;
    }
    if (c >= 0xC2 && c < 0xE0) {
        if (n < 2 || (p[1] & 0xC0) != 0x80) return 0;
        *cp = (int32_t) (((c & 0x1F) << 6) | (p[1] & 0x3F));
        return 2;
    }
    if (c >= 0xE0 && c < 0xF0) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0)) return 0;
        *cp = (int32_t) (((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F));
        return 3;
    }
    if (c >= 0xF0 && c < 0xF5) {
        if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)) return 0;
        *cp = (int32_t) (((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) |
                         (p[3] & 0x3F));
        return 4;
    }
    return 0;
}

/* Bytes copied as they are by repair(): printable ASCII, tab, LF, CR, FF. */
static const unsigned char plain[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1,
#define R4(x)  [x] = 1, [x + 1] = 1, [x + 2] = 1, [x + 3] = 1
#define R16(x) R4(x), R4(x + 4), R4(x + 8), R4(x + 12)
    R16(0x20),  R16(0x30),  R16(0x40),  R16(0x50),  R16(0x60), R4(0x70),
    R4(0x74),   R4(0x78),   [0x7C] = 1, [0x7D] = 1, [0x7E] = 1
#undef R4
#undef R16
};

/* Pass 1: valid UTF-8 without control bytes.  Returns a new buffer. */
static char *repair(const char *s, size_t len, size_t *out_len, unsigned *flags, int *maybe_nfc)
{
    nd_buf b = ND_BUF_INIT;
    if (nd_buf_reserve(&b, len + 16)) return NULL;
    const unsigned char *p = (const unsigned char *) s;
    size_t i = 0, run = 0;
    *maybe_nfc = 0;
    while (i < len) {
        size_t j = i;
        for (;;) {
            /* Eight bytes at a time while they are all printable ASCII. */
            while (j + 8 <= len) {
                uint64_t w;
                memcpy(&w, p + j, 8);
                if ((((w - 0x2020202020202020ULL) & ~w) | ((w + 0x0101010101010101ULL) | w)) &
                    0x8080808080808080ULL)
                    break;
                j += 8;
            }
            if (j < len && plain[p[j]]) {
                j++;
                continue;
            }
            break;
        }
        run += j - i;
        i = j;
        if (i >= len) break;
        unsigned c = p[i];
        if (c == 0x7F) c = 0; /* DEL is a control byte too */
        if (c < 0x20) {
            if (run) nd_buf_append(&b, s + i - run, run), run = 0;
            *flags |= ND_DEC_CONTROL;
            i++;
            continue;
        }
        int32_t cp;
        size_t k = utf8_next(p + i, len - i, &cp);
        if (k == 0) {
            if (run) nd_buf_append(&b, s + i - run, run), run = 0;
            nd_buf_append(&b, "\xEF\xBF\xBD", 3);
            *flags |= ND_DEC_REPLACED;
            i++;
            continue;
        }
        if (cp >= 0x300 && !*maybe_nfc && unsafe(cp)) *maybe_nfc = 1;
        /* C1 controls (U+0080..U+009F) are mis-decoded bytes, never text. */
        if (cp >= 0x80 && cp < 0xA0) {
            if (run) nd_buf_append(&b, s + i - run, run), run = 0;
            *flags |= ND_DEC_CONTROL;
            i += k;
            continue;
        }
        run += k;
        i += k;
    }
    if (run) nd_buf_append(&b, s + i - run, run);
    return nd_buf_detach(&b, out_len);
}

char *nd_utf8_clean(const char *s, size_t len, size_t *out_len, unsigned *flags)
{
    int maybe;
    size_t n;
    char *r = repair(s, len, &n, flags, &maybe);
    if (!r || !maybe) {
        *out_len = r ? n : 0;
        return r;
    }
    /* Pass 2: NFC on segments around unsafe code points.  A segment runs
     * from the code point before the unsafe one (the starter it may compose
     * with) to the next safe code point after it.  Code points below U+0300
     * (lead bytes below 0xCC) are always safe, so the scan skips them. */
    const unsigned char *p = (const unsigned char *) r;
    nd_buf b = ND_BUF_INIT;
    size_t copied = 0, i = 0;
    int changed = 0;
    while (i < n) {
        while (i < n && p[i] < 0xCC) i++;
        if (i >= n) break;
        int32_t cp;
        size_t k = utf8_next(p + i, n - i, &cp);
        if (!k) k = 1, cp = 0xFFFD; /* a stray continuation byte: cannot happen after repair() */
        if (!unsafe(cp)) {
            i += k;
            continue;
        }
        size_t start = i;
        if (start > copied) {
            start--;
            while (start > copied && (p[start] & 0xC0) == 0x80) start--;
        }
        size_t end = i + k;
        while (end < n) {
            int32_t c2;
            size_t k2 = p[end] < 0x80 ? (c2 = p[end], 1) : utf8_next(p + end, n - end, &c2);
            if (!k2 || !unsafe(c2)) break;
            end += k2;
        }
        utf8proc_uint8_t *nfc = NULL;
        utf8proc_ssize_t m =
            utf8proc_map((const utf8proc_uint8_t *) r + start, (utf8proc_ssize_t) (end - start),
                         &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (m >= 0 && ((size_t) m != end - start || memcmp(nfc, r + start, (size_t) m) != 0)) {
            nd_buf_append(&b, r + copied, start - copied);
            nd_buf_append(&b, nfc, (size_t) m);
            copied = end;
            changed = 1;
        }
        free(nfc);
        i = end;
    }
    if (!changed) {
        nd_buf_free(&b);
        *out_len = n;
        return r;
    }
    nd_buf_append(&b, r + copied, n - copied);
    nd_free(r);
    *flags |= ND_DEC_NORMALIZED;
    return nd_buf_detach(&b, out_len);
}
