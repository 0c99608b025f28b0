/* lemma.c - lemmas from the model's tables.
 *
 * Two tables learnt from EWT (tools/train_parser.c): the lemma of a known
 * (lowercase word, UPOS) pair when the rules get it wrong ("was" AUX ->
 * "be", "I" PRON -> "I"), and suffix rules per UPOS ("-ied" VERB: strip 3,
 * add "y"; "-nded" VERB: strip 2).  The longest suffix with a rule wins.
 * Proper nouns keep their case; other words are lowercased. */
#include "parse/parse_int.h"

#include <string.h>

uint64_t nd__lemma_key(const char *lower, size_t n, int upos)
{
    uint64_t h = 0x6c656d6d61ULL + (uint64_t) upos * 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char) lower[i]) * 0x100000001b3ULL;
    h = nd__mix64(h ^ n);
    return h ? h : 1;
}

uint64_t nd__suffix_key(const char *tail, size_t n, int upos)
{
    uint64_t h = 0x7375666669ULL + (uint64_t) upos * 0xC2B2AE3D27D4EB4FULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char) tail[i]) * 0x100000001b3ULL;
    h = nd__mix64(h ^ (n << 8));
    return h ? h : 1;
}

/* The longest suffix a rule may have. */
#define MAX_SUFFIX 8

size_t nd__lemmatize(const nd_parser *p, const char *form, size_t n, int tag, char *out, size_t cap)
{
    char lower[128];
    if (!cap) return 0;
    int upos = tag >= 0 && tag < p->n_tags ? p->tag_upos[tag] : 0;
    size_t ln = nd__lowercase(form, n, lower, sizeof lower);
    uint32_t v = nd__ktab_get(&p->lemma_exc, nd__lemma_key(lower, ln, upos));
    if (v != UINT32_MAX) {
        const char *s = p->strings + v;
        size_t sn = strnlen(s, p->n_strings - v);
        if (sn >= cap) {
            sn = cap - 1;
            while (sn > 0 && ((unsigned char) s[sn] & 0xC0) == 0x80) sn--;
        }
        memcpy(out, s, sn);
        out[sn] = 0;
        return sn;
    }
    /* The base the rule applies to: the form itself for proper nouns. */
    const char *base = lower;
    size_t bn = ln;
    if (upos == ND_UPOS_PROPN && n == ln) base = form, bn = n;
    size_t strip = 0;
    const char *add = "";
    for (size_t k = ln < MAX_SUFFIX ? ln : MAX_SUFFIX;; k--) {
        uint32_t r = nd__ktab_get(&p->lemma_rule, nd__suffix_key(lower + ln - k, k, upos));
        if (r != UINT32_MAX) {
            strip = r >> 24;
            add = p->strings + (r & 0xFFFFFF);
            break;
        }
        if (!k) break;
    }
    if (strip > bn || (strip == bn && !*add)) strip = 0, add = "";
    /* A rule learnt on bytes never cuts a character in two. */
    if (strip && strip < bn && ((unsigned char) base[bn - strip] & 0xC0) == 0x80)
        strip = 0, add = "";
    size_t keep = bn - strip, an = strnlen(add, 64);
    if (keep >= cap) {
        keep = cap - 1;
        while (keep > 0 && ((unsigned char) base[keep] & 0xC0) == 0x80) keep--;
    }
    memcpy(out, base, keep);
    if (an > cap - 1 - keep) an = cap - 1 - keep;
    memcpy(out + keep, add, an);
    out[keep + an] = 0;
    return keep + an;
}
