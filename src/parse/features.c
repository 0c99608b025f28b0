/* features.c - what the tagger and the parser look at.
 *
 * Every feature is a 64-bit key: a template number mixed with the atoms
 * it combines (hashes of word forms, affixes, shapes, tags, labels,
 * distances).  The trainer and the parser call the same functions, so a
 * model always sees the features it was trained on. */
#include "parse/parse_int.h"

#include <string.h>
#include <utf8proc.h>

uint64_t nd__pm_checksum(const unsigned char *p, size_t n)
{
    uint64_t h = 0x6e64706d6f64656cULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8); /* the file is little-endian; so is every host we load on */
        h = (h ^ nd__mix64(w)) * 0x100000001b3ULL;
        h = (h << 29) | (h >> 35);
    }
    uint64_t w = 0;
    for (size_t k = n; k > i; k--) w = (w << 8) | p[k - 1];
    return nd__mix64(h ^ nd__mix64(w ^ (n - i)));
}

size_t nd__lowercase(const char *p, size_t n, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    if (!cap) return 0;
    while (i < n && o + 5 < cap) {
        unsigned char c = (unsigned char) p[i];
        if (c < 0x80) {
            out[o++] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *) p + i,
                                              (utf8proc_ssize_t) (n - i > 4 ? 4 : n - i), &cp);
        if (k <= 0) {
            out[o++] = (char) c;
            i++;
            continue;
        }
        utf8proc_ssize_t w =
            utf8proc_encode_char(utf8proc_tolower(cp), (utf8proc_uint8_t *) out + o);
        o += (size_t) (w > 0 ? w : 0);
        i += (size_t) k;
    }
    out[o] = 0;
    return o;
}

static uint64_t hstr(uint64_t seed, const char *s, size_t n)
{
    uint64_t h = seed * 0x9E3779B97F4A7C15ULL + n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = nd__mix64(h ^ w);
    }
    uint64_t w = 0;
    for (size_t k = n; k > i; k--) w = (w << 8) | (unsigned char) s[k - 1];
    return nd__mix64(h ^ w ^ 0x5bd1e995ULL);
}

/* Length in bytes of the last k characters of (s, n). */
static size_t tail_bytes(const char *s, size_t n, int k)
{
    size_t e = n;
    while (k-- > 0 && e > 0) {
        e--;
        while (e > 0 && ((unsigned char) s[e] & 0xC0) == 0x80) e--;
    }
    return n - e;
}

static size_t head_bytes(const char *s, size_t n, int k)
{
    size_t e = 0;
    while (k-- > 0 && e < n) {
        e++;
        while (e < n && ((unsigned char) s[e] & 0xC0) == 0x80) e++;
    }
    return e;
}

size_t nd__word_atoms(const char *p, size_t n, nd__watom *a, char *lower, size_t cap)
{
    size_t ln = nd__lowercase(p, n, lower, cap);
    int letters = 0, uppers = 0, digits = 0, hyphen = 0;
    char shape[16];
    size_t sl = 0;
    char last = 0;
    int run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char) p[i];
        char s;
        if (c >= 'A' && c <= 'Z')
            s = 'X', letters++, uppers++;
        else if (c >= 'a' && c <= 'z')
            s = 'x', letters++;
        else if (c >= '0' && c <= '9')
            s = 'd', digits++;
        else if (c >= 0x80) {
            if ((c & 0xC0) == 0x80) continue;
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *) p + i,
                                                  (utf8proc_ssize_t) (n - i > 4 ? 4 : n - i), &cp);
            int cat = k > 0 ? utf8proc_get_property(cp)->category : 0;
            if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT)
                s = 'X', letters++, uppers++;
            else if (cat >= UTF8PROC_CATEGORY_LL && cat <= UTF8PROC_CATEGORY_LO)
                s = 'x', letters++;
            else
                s = 'u';
        } else {
            s = (char) c;
            if (c == '-') hyphen = 1;
        }
        if (s == last) {
            if (++run > 2) continue;
        } else {
            run = 1;
            last = s;
        }
        if (sl < sizeof shape) shape[sl++] = s;
    }
    /* Digits normalised to 0 in the form the features see. */
    for (size_t i = 0; i < ln; i++)
        if (lower[i] >= '1' && lower[i] <= '9') lower[i] = '0';
    a->form = hstr(1, p, n);
    a->norm = hstr(2, lower, ln);
    a->pre1 = hstr(3, lower, head_bytes(lower, ln, 1));
    a->pre2 = hstr(4, lower, head_bytes(lower, ln, 2));
    a->pre3 = hstr(5, lower, head_bytes(lower, ln, 3));
    size_t t;
    t = tail_bytes(lower, ln, 1), a->suf1 = hstr(6, lower + ln - t, t);
    t = tail_bytes(lower, ln, 2), a->suf2 = hstr(7, lower + ln - t, t);
    t = tail_bytes(lower, ln, 3), a->suf3 = hstr(8, lower + ln - t, t);
    t = tail_bytes(lower, ln, 4), a->suf4 = hstr(9, lower + ln - t, t);
    a->shape = hstr(10, shape, sl);
    a->cls = 0;
    if (n && ((p[0] >= 'A' && p[0] <= 'Z') || shape[0] == 'X')) a->cls |= ND__WC_CAP;
    if (letters && uppers == letters) a->cls |= ND__WC_UPPER;
    if (digits) a->cls |= ND__WC_DIGIT;
    if (hyphen) a->cls |= ND__WC_HYPHEN;
    if (!letters && !digits) a->cls |= ND__WC_PUNCT;
    return ln;
}

/* Atoms of positions outside the sentence. */
#define A_NONE  0x4e4f4e4531ULL
#define A_START 0x5354415254ULL
#define A_END   0x454e440a0aULL

/* Positions in the output of F(1, 0), F(12, p1), F(13, p2), F2(14, p1, p2)
 * below; test_parse checks that they depend on nothing else. */
const uint8_t nd__tag_prev_pos[ND__TAG_PREV_FEATS] = {0, 11, 12, 13};

size_t nd__tag_features(const nd__watom *w, size_t n, size_t i, const uint8_t *prev,
                        const uint8_t *next, uint64_t *out)
{
    size_t k = 0;
    const nd__watom *c = &w[i];
    uint64_t p1 = i >= 1 ? nd__tag_atom(prev[i - 1]) : A_START;
    uint64_t p2 = i >= 2 ? nd__tag_atom(prev[i - 2]) : A_START;
    uint64_t wm1 = i >= 1 ? w[i - 1].norm : A_START, wm2 = i >= 2 ? w[i - 2].norm : A_START;
    uint64_t wp1 = i + 1 < n ? w[i + 1].norm : A_END, wp2 = i + 2 < n ? w[i + 2].norm : A_END;
    uint64_t sm1 = i >= 1 ? w[i - 1].suf3 : A_START, sp1 = i + 1 < n ? w[i + 1].suf3 : A_END;
    uint64_t shm1 = i >= 1 ? w[i - 1].shape : A_START, shp1 = i + 1 < n ? w[i + 1].shape : A_END;
    uint64_t cls = c->cls | (i == 0 ? 0x100 : 0);
#define F(t, a)     out[k++] = nd__fk(nd__fk((t) *0x100000001ULL, 0), (a))
#define F2(t, a, b) out[k++] = nd__fk(nd__fk(nd__fk((t) *0x100000001ULL, 0), (a)), (b))
#define F3(t, a, b, c_)                                                                            \
    out[k++] = nd__fk(nd__fk(nd__fk(nd__fk((t) *0x100000001ULL, 0), (a)), (b)), (c_))
    F(1, 0);
    F(2, c->norm);
    F(3, c->form);
    F(4, c->suf1);
    F(5, c->suf2);
    F(6, c->suf3);
    F(7, c->suf4);
    F(8, c->pre1);
    F(9, c->pre2);
    F(10, c->pre3);
    F(11, c->shape);
    F(12, p1);
    F(13, p2);
    F2(14, p1, p2);
    F2(15, p1, c->norm);
    F(16, wm1);
    F(17, sm1);
    F(18, wm2);
    F(19, wp1);
    F(20, sp1);
    F(21, wp2);
    F2(22, wm1, c->norm);
    F2(23, c->norm, wp1);
    F(24, shm1);
    F(25, shp1);
    F2(26, cls, c->shape);
    F2(27, p1, c->suf3);
    F2(28, c->shape, shp1);
    if (next) {
        uint64_t n1 = i + 1 < n ? nd__tag_atom(next[i + 1]) : A_END;
        uint64_t n2 = i + 2 < n ? nd__tag_atom(next[i + 2]) : A_END;
        F(40, n1);
        F(41, n2);
        F2(42, n1, n2);
        F2(43, p1, n1);
        F2(44, n1, c->norm);
        F2(45, n1, c->suf3);
    }
    return k;
}

/* ---- the parser's state ----------------------------------------------------- */

/* Bytes of a state's arrays for n words, laid out from lset on. */
static size_t pstate_span(int n)
{
    size_t m = (size_t) n + 1;
    return m * (sizeof(int) + 5 * sizeof(int16_t) + 3 * sizeof(uint8_t) + 2 * sizeof(uint64_t));
}

size_t nd__pstate_bytes(int n)
{
    return pstate_span(n) + 64;
}

void nd__pstate_copy(nd__pstate *dst, const nd__pstate *src)
{
    memcpy(dst->lset, src->lset, pstate_span(src->n));
    dst->sp = src->sp;
    dst->b = src->b;
}

void nd__pstate_init(nd__pstate *s, int n, void *mem)
{
    size_t m = (size_t) n + 1;
    char *p = mem;
    s->lset = (uint64_t *) p, p += m * sizeof(uint64_t);
    s->rset = (uint64_t *) p, p += m * sizeof(uint64_t);
    s->stack = (int *) p, p += m * sizeof(int);
    s->head = (int16_t *) p, p += m * sizeof(int16_t);
    s->lc1 = (int16_t *) p, p += m * sizeof(int16_t);
    s->lc2 = (int16_t *) p, p += m * sizeof(int16_t);
    s->rc1 = (int16_t *) p, p += m * sizeof(int16_t);
    s->rc2 = (int16_t *) p, p += m * sizeof(int16_t);
    s->label = (uint8_t *) p, p += m;
    s->nl = (uint8_t *) p, p += m;
    s->nr = (uint8_t *) p;
    s->n = n;
    s->sp = 0;
    s->b = 0;
    for (size_t i = 0; i < m; i++) {
        s->head[i] = s->lc1[i] = s->lc2[i] = s->rc1[i] = s->rc2[i] = -1;
        s->label[i] = s->nl[i] = s->nr[i] = 0;
        s->lset[i] = s->rset[i] = 0;
    }
}

static void attach(nd__pstate *s, int h, int d, int l)
{
    s->head[d] = (int16_t) h;
    s->label[d] = (uint8_t) l;
    if (d < h) { /* LEFT children arrive right to left: the new one is leftmost */
        s->lc2[h] = s->lc1[h];
        s->lc1[h] = (int16_t) d;
        if (s->nl[h] < 255) s->nl[h]++;
        s->lset[h] |= 1ULL << (l & 63);
    } else { /* RIGHT children arrive left to right */
        s->rc2[h] = s->rc1[h];
        s->rc1[h] = (int16_t) d;
        if (s->nr[h] < 255) s->nr[h]++;
        s->rset[h] |= 1ULL << (l & 63);
    }
}

void nd__pstate_apply(nd__pstate *s, int t, int l)
{
    if (t == ND__T_SHIFT) {
        s->stack[s->sp++] = s->b++;
        return;
    }
    int s0 = s->stack[--s->sp];
    if (t == ND__T_LEFT)
        attach(s, s->b, s0, l);
    else
        attach(s, s->stack[s->sp - 1], s0, l);
}

/* ---- the parser's features -------------------------------------------------- */

/* The atoms of the root's tag, of a label (plus its class), of a
 * distance's and a valency's bucket (plus the bucket): nd__parse_features
 * makes them, and so do the parser's groups from their codes. */
#define ATOM_ROOT_TAG 0x524f4f5450ULL
#define ATOM_LABEL    0x4c41424cULL
#define ATOM_DIST     0xd1570000ULL
#define ATOM_VAL      0xfa1000ULL

/* The bucket of a distance (either way) and of a valency: the atoms
 * below, and the codes of the parser's groups of features that read no
 * word (nd__parse_word_features), are made from them. */
static inline int dist_bucket(int d)
{
    if (d < 0) d = -d;
    return d <= 4 ? d : d <= 6 ? 5 : d <= 9 ? 6 : d <= 14 ? 7 : 8;
}

static inline int val_bucket(int v)
{
    return v > 6 ? 6 : v;
}

static inline uint64_t dist_atom(int d)
{
    return ATOM_DIST + (uint64_t) dist_bucket(d);
}

static inline uint64_t val_atom(int v)
{
    return ATOM_VAL + (uint64_t) val_bucket(v);
}

size_t nd__parse_features(const nd__pstate *s, const nd__watom *w, const uint8_t *tags,
                          uint64_t *out)
{
    size_t k = 0;
    int n = s->n;
    int s0 = s->sp >= 1 ? s->stack[s->sp - 1] : -1;
    int s1 = s->sp >= 2 ? s->stack[s->sp - 2] : -1;
    int s2 = s->sp >= 3 ? s->stack[s->sp - 3] : -1;
    int b0 = s->b, b1 = b0 + 1 <= n ? b0 + 1 : -1, b2 = b0 + 2 <= n ? b0 + 2 : -1;
#define W(i) ((i) < 0 ? A_NONE : (i) == n ? 0x524f4f54ULL : w[i].norm)
#define P(i) ((i) < 0 ? A_NONE : (i) == n ? ATOM_ROOT_TAG : nd__tag_atom(tags[i]))
#define L(i) ((i) < 0 ? A_NONE : ATOM_LABEL + s->label[i])
    uint64_t S0w = W(s0), S0p = P(s0), S1w = W(s1), S1p = P(s1), S2w = W(s2), S2p = P(s2);
    uint64_t N0w = W(b0), N0p = P(b0), N1w = W(b1), N1p = P(b1), N2w = W(b2), N2p = P(b2);
    int s0l = s0 >= 0 ? s->lc1[s0] : -1, s0l2 = s0 >= 0 ? s->lc2[s0] : -1;
    int s0r = s0 >= 0 ? s->rc1[s0] : -1, s0r2 = s0 >= 0 ? s->rc2[s0] : -1;
    int n0l = s->lc1[b0], n0l2 = s->lc2[b0];
    int s1l = s1 >= 0 ? s->lc1[s1] : -1, s1r = s1 >= 0 ? s->rc1[s1] : -1;
    uint64_t S0lw = W(s0l), S0lp = P(s0l), S0ll = L(s0l);
    uint64_t S0rw = W(s0r), S0rp = P(s0r), S0rl = L(s0r);
    uint64_t N0lw = W(n0l), N0lp = P(n0l), N0ll = L(n0l);
    uint64_t S0l2w = W(s0l2), S0l2p = P(s0l2), S0l2l = L(s0l2);
    uint64_t S0r2w = W(s0r2), S0r2p = P(s0r2), S0r2l = L(s0r2);
    uint64_t N0l2w = W(n0l2), N0l2p = P(n0l2), N0l2l = L(n0l2);
    uint64_t S1lp = P(s1l), S1ll = L(s1l), S1rp = P(s1r), S1rl = L(s1r), S1rw = W(s1r);
    uint64_t d = s0 >= 0 ? dist_atom(b0 - s0) : A_NONE;
    uint64_t d1 = s1 >= 0 ? dist_atom(s0 - s1) : A_NONE;
    uint64_t S0vl = s0 >= 0 ? val_atom(s->nl[s0]) : A_NONE;
    uint64_t S0vr = s0 >= 0 ? val_atom(s->nr[s0]) : A_NONE;
    uint64_t N0vl = val_atom(s->nl[b0]);
    uint64_t S1vr = s1 >= 0 ? val_atom(s->nr[s1]) : A_NONE;
    uint64_t S0sl = s0 >= 0 ? nd__mix64(s->lset[s0] + 1) : A_NONE;
    uint64_t S0sr = s0 >= 0 ? nd__mix64(s->rset[s0] + 2) : A_NONE;
    uint64_t N0sl = nd__mix64(s->lset[b0] + 3);
    /* single words */
    F2(1, S0w, S0p);
    F(2, S0w);
    F(3, S0p);
    F2(4, N0w, N0p);
    F(5, N0w);
    F(6, N0p);
    F2(7, N1w, N1p);
    F(8, N1w);
    F(9, N1p);
    F2(10, N2w, N2p);
    F(11, N2w);
    F(12, N2p);
    F2(13, S1w, S1p);
    F(14, S1w);
    F(15, S1p);
    F(16, S2p);
    F(17, S2w);
    /* pairs */
    F3(20, nd__fk(S0w, S0p), N0w, N0p);
    F3(21, S0w, S0p, N0w);
    F3(22, S0w, N0w, N0p);
    F3(23, S0w, S0p, N0p);
    F3(24, S0p, N0w, N0p);
    F2(25, S0w, N0w);
    F2(26, S0p, N0p);
    F2(27, N0p, N1p);
    F3(28, nd__fk(S1w, S1p), S0w, S0p);
    F3(29, S1p, S0w, S0p);
    F3(30, S1w, S1p, S0p);
    F2(31, S1w, S0w);
    F2(32, S1p, S0p);
    F2(33, N0w, N1w);
    F2(34, S0p, N1p);
    /* triples */
    F3(40, N0p, N1p, N2p);
    F3(41, S0p, N0p, N1p);
    F3(42, S1p, S0p, N0p);
    F3(43, S0p, S0lp, N0p);
    F3(44, S0p, S0rp, N0p);
    F3(45, S0p, N0p, N0lp);
    F3(46, S2p, S1p, S0p);
    F3(47, S1p, S1rp, S0p);
    F3(48, S1p, S0p, S0lp);
    F3(49, S1p, S0p, S0rp);
    F3(50, S1p, S1lp, S0p);
    /* distance */
    F2(60, S0w, d);
    F2(61, S0p, d);
    F2(62, N0w, d);
    F2(63, N0p, d);
    F3(64, S0w, N0w, d);
    F3(65, S0p, N0p, d);
    F3(66, S1p, S0p, d1);
    F3(67, S1w, S0w, d1);
    /* valency */
    F2(70, S0w, S0vr);
    F2(71, S0p, S0vr);
    F2(72, S0w, S0vl);
    F2(73, S0p, S0vl);
    F2(74, N0w, N0vl);
    F2(75, N0p, N0vl);
    F2(76, S1p, S1vr);
    /* children */
    F(80, S0lw);
    F(81, S0lp);
    F(82, S0ll);
    F(83, S0rw);
    F(84, S0rp);
    F(85, S0rl);
    F(86, N0lw);
    F(87, N0lp);
    F(88, N0ll);
    F(89, S1rw);
    F(90, S1rp);
    F(91, S1rl);
    F(92, S1ll);
    F(93, S0l2w);
    F(94, S0l2p);
    F(95, S0l2l);
    F(96, S0r2w);
    F(97, S0r2p);
    F(98, S0r2l);
    F(99, N0l2w);
    F(100, N0l2p);
    F(101, N0l2l);
    F3(102, S0p, S0lp, S0l2p);
    F3(103, S0p, S0rp, S0r2p);
    F3(104, N0p, N0lp, N0l2p);
    F3(105, S0p, S0ll, N0p);
    F3(106, S0p, S0rl, N0p);
    F3(107, N0p, N0ll, S0p);
    F3(108, S1p, S1rl, S0p);
    /* label sets */
    F2(110, S0w, S0sr);
    F2(111, S0p, S0sr);
    F2(112, S0w, S0sl);
    F2(113, S0p, S0sl);
    F2(114, N0w, N0sl);
    F2(115, N0p, N0sl);
    return k;
}

/* ---- the parser's features in groups (parse.c's memo) ------------------------
 *
 * The same features as nd__parse_features, split: the 39 that read a word
 * (nd__parse_word_features) and the 54 that read only tags, labels,
 * distances, valencies and label sets, in ND__PG_N groups.  A group's
 * features are computed from its key alone (nd__parse_group_features), a
 * lossless packing of the small codes below, so that the sum of their
 * weights is a function of the key: parse.c keeps it per key.
 * test_parse checks that the two functions give the multiset of keys of
 * nd__parse_features (which the trainer reads, in its order). */

/* Codes: 0 = none (A_NONE); a tag 2 + tag class (1 = the root); a label 1
 * + label class; a distance or a valency 1 + its bucket. */
static inline uint64_t tag_code(const nd__pstate *s, const uint8_t *tags, int i)
{
    return i < 0 ? 0 : i == s->n ? 1 : (uint64_t) tags[i] + 2;
}

static inline uint64_t label_code(const nd__pstate *s, int i)
{
    return i < 0 ? 0 : (uint64_t) s->label[i] + 1;
}

static inline uint64_t dist_code(int d)
{
    return 1 + (uint64_t) dist_bucket(d);
}

static inline uint64_t val_code(int v)
{
    return 1 + (uint64_t) val_bucket(v);
}

/* The atoms of the codes, as nd__parse_features makes them. */
static inline uint64_t tag_of_code(uint64_t c)
{
    return c == 0 ? A_NONE : c == 1 ? ATOM_ROOT_TAG : nd__tag_atom((int) c - 2);
}

static inline uint64_t label_of_code(uint64_t c)
{
    return c == 0 ? A_NONE : ATOM_LABEL + (c - 1);
}

static inline uint64_t dist_of_code(uint64_t c)
{
    return c == 0 ? A_NONE : ATOM_DIST + (c - 1);
}

static inline uint64_t val_of_code(uint64_t c)
{
    return c == 0 ? A_NONE : ATOM_VAL + (c - 1);
}

size_t nd__parse_word_features(const nd__pstate *s, const nd__watom *w, const uint8_t *tags,
                               uint64_t *out, nd__pgkey g[ND__PG_N])
{
    size_t k = 0;
    int n = s->n;
    int s0 = s->sp >= 1 ? s->stack[s->sp - 1] : -1;
    int s1 = s->sp >= 2 ? s->stack[s->sp - 2] : -1;
    int s2 = s->sp >= 3 ? s->stack[s->sp - 3] : -1;
    int b0 = s->b, b1 = b0 + 1 <= n ? b0 + 1 : -1, b2 = b0 + 2 <= n ? b0 + 2 : -1;
    int s0l = s0 >= 0 ? s->lc1[s0] : -1, s0l2 = s0 >= 0 ? s->lc2[s0] : -1;
    int s0r = s0 >= 0 ? s->rc1[s0] : -1, s0r2 = s0 >= 0 ? s->rc2[s0] : -1;
    int n0l = s->lc1[b0], n0l2 = s->lc2[b0];
    int s1l = s1 >= 0 ? s->lc1[s1] : -1, s1r = s1 >= 0 ? s->rc1[s1] : -1;
    uint64_t cS0p = tag_code(s, tags, s0), cS1p = tag_code(s, tags, s1);
    uint64_t cN0p = tag_code(s, tags, b0);
    /* the groups' keys (ND__PG_*; nd__parse_group_features unpacks them) */
    g[ND__PG_TAGS].a = cS0p | cN0p << 8 | tag_code(s, tags, b1) << 16 |
                       tag_code(s, tags, b2) << 24 | (s0 >= 0 ? dist_code(b0 - s0) : 0) << 32;
    g[ND__PG_TAGS].b = 0;
    g[ND__PG_TAGS1].a = cS0p | cN0p << 8 | cS1p << 16 | tag_code(s, tags, s2) << 24 |
                        (s1 >= 0 ? dist_code(s0 - s1) : 0) << 32;
    g[ND__PG_TAGS1].b = 0;
    g[ND__PG_S0L].a = cS0p | cN0p << 8 | tag_code(s, tags, s0l) << 16 |
                      tag_code(s, tags, s0l2) << 24 | label_code(s, s0l) << 32 |
                      label_code(s, s0l2) << 40 | (s0 >= 0 ? val_code(s->nl[s0]) : 0) << 48;
    g[ND__PG_S0L].b = s0 >= 0 ? s->lset[s0] : 0;
    g[ND__PG_S0R].a = cS0p | cN0p << 8 | tag_code(s, tags, s0r) << 16 |
                      tag_code(s, tags, s0r2) << 24 | label_code(s, s0r) << 32 |
                      label_code(s, s0r2) << 40 | (s0 >= 0 ? val_code(s->nr[s0]) : 0) << 48;
    g[ND__PG_S0R].b = s0 >= 0 ? s->rset[s0] : 0;
    g[ND__PG_N0L].a = cN0p | cS0p << 8 | tag_code(s, tags, n0l) << 16 |
                      tag_code(s, tags, n0l2) << 24 | label_code(s, n0l) << 32 |
                      label_code(s, n0l2) << 40 | val_code(s->nl[b0]) << 48;
    g[ND__PG_N0L].b = s->lset[b0];
    g[ND__PG_S1].a = cS1p | cS0p << 8 | tag_code(s, tags, s1r) << 16 |
                     tag_code(s, tags, s1l) << 24 | tag_code(s, tags, s0l) << 32 |
                     tag_code(s, tags, s0r) << 40 | label_code(s, s1r) << 48 |
                     label_code(s, s1l) << 56;
    g[ND__PG_S1].b = s1 >= 0 ? val_code(s->nr[s1]) : 0;
    /* the features that read a word, in nd__parse_features's order (W and
     * P as defined there) */
    uint64_t S0w = W(s0), S0p = P(s0), S1w = W(s1), S1p = P(s1), S2w = W(s2);
    uint64_t N0w = W(b0), N0p = P(b0), N1w = W(b1), N1p = P(b1), N2w = W(b2), N2p = P(b2);
    uint64_t S0lw = W(s0l), S0rw = W(s0r), N0lw = W(n0l), S0l2w = W(s0l2), S0r2w = W(s0r2);
    uint64_t N0l2w = W(n0l2), S1rw = W(s1r);
    uint64_t d = s0 >= 0 ? dist_atom(b0 - s0) : A_NONE;
    uint64_t d1 = s1 >= 0 ? dist_atom(s0 - s1) : A_NONE;
    uint64_t S0vl = s0 >= 0 ? val_atom(s->nl[s0]) : A_NONE;
    uint64_t S0vr = s0 >= 0 ? val_atom(s->nr[s0]) : A_NONE;
    uint64_t N0vl = val_atom(s->nl[b0]);
    uint64_t S0sl = s0 >= 0 ? nd__mix64(s->lset[s0] + 1) : A_NONE;
    uint64_t S0sr = s0 >= 0 ? nd__mix64(s->rset[s0] + 2) : A_NONE;
    uint64_t N0sl = nd__mix64(s->lset[b0] + 3);
    F2(1, S0w, S0p);
    F(2, S0w);
    F2(4, N0w, N0p);
    F(5, N0w);
    F2(7, N1w, N1p);
    F(8, N1w);
    F2(10, N2w, N2p);
    F(11, N2w);
    F2(13, S1w, S1p);
    F(14, S1w);
    F(17, S2w);
    F3(20, nd__fk(S0w, S0p), N0w, N0p);
    F3(21, S0w, S0p, N0w);
    F3(22, S0w, N0w, N0p);
    F3(23, S0w, S0p, N0p);
    F3(24, S0p, N0w, N0p);
    F2(25, S0w, N0w);
    F3(28, nd__fk(S1w, S1p), S0w, S0p);
    F3(29, S1p, S0w, S0p);
    F3(30, S1w, S1p, S0p);
    F2(31, S1w, S0w);
    F2(33, N0w, N1w);
    F2(60, S0w, d);
    F2(62, N0w, d);
    F3(64, S0w, N0w, d);
    F3(67, S1w, S0w, d1);
    F2(70, S0w, S0vr);
    F2(72, S0w, S0vl);
    F2(74, N0w, N0vl);
    F(80, S0lw);
    F(83, S0rw);
    F(86, N0lw);
    F(89, S1rw);
    F(93, S0l2w);
    F(96, S0r2w);
    F(99, N0l2w);
    F2(110, S0w, S0sr);
    F2(112, S0w, S0sl);
    F2(114, N0w, N0sl);
    return k;
}

size_t nd__parse_group_features(int group, nd__pgkey key, uint64_t *out)
{
    size_t k = 0;
    uint64_t a = key.a;
#define C8(i) ((a >> (8 * (i))) & 0xFF)
    if (group == ND__PG_TAGS) {
        uint64_t S0p = tag_of_code(C8(0)), N0p = tag_of_code(C8(1));
        uint64_t N1p = tag_of_code(C8(2)), N2p = tag_of_code(C8(3));
        uint64_t d = dist_of_code(C8(4));
        F(3, S0p);
        F(6, N0p);
        F(9, N1p);
        F(12, N2p);
        F2(26, S0p, N0p);
        F2(27, N0p, N1p);
        F2(34, S0p, N1p);
        F3(40, N0p, N1p, N2p);
        F3(41, S0p, N0p, N1p);
        F2(61, S0p, d);
        F2(63, N0p, d);
        F3(65, S0p, N0p, d);
    } else if (group == ND__PG_TAGS1) {
        uint64_t S0p = tag_of_code(C8(0)), N0p = tag_of_code(C8(1));
        uint64_t S1p = tag_of_code(C8(2)), S2p = tag_of_code(C8(3));
        uint64_t d1 = dist_of_code(C8(4));
        F(15, S1p);
        F(16, S2p);
        F2(32, S1p, S0p);
        F3(42, S1p, S0p, N0p);
        F3(46, S2p, S1p, S0p);
        F3(66, S1p, S0p, d1);
    } else if (group == ND__PG_S0L || group == ND__PG_S0R) {
        uint64_t S0p = tag_of_code(C8(0)), N0p = tag_of_code(C8(1));
        uint64_t Cp = tag_of_code(C8(2)), C2p = tag_of_code(C8(3));
        uint64_t Cl = label_of_code(C8(4)), C2l = label_of_code(C8(5));
        uint64_t v = val_of_code(C8(6));
        int left = group == ND__PG_S0L;
        uint64_t set = C8(0) ? nd__mix64(key.b + (left ? 1 : 2)) : A_NONE;
        if (left) {
            F3(43, S0p, Cp, N0p);
            F2(73, S0p, v);
            F(81, Cp);
            F(82, Cl);
            F(94, C2p);
            F(95, C2l);
            F3(102, S0p, Cp, C2p);
            F3(105, S0p, Cl, N0p);
            F2(113, S0p, set);
        } else {
            F3(44, S0p, Cp, N0p);
            F2(71, S0p, v);
            F(84, Cp);
            F(85, Cl);
            F(97, C2p);
            F(98, C2l);
            F3(103, S0p, Cp, C2p);
            F3(106, S0p, Cl, N0p);
            F2(111, S0p, set);
        }
    } else if (group == ND__PG_N0L) {
        uint64_t N0p = tag_of_code(C8(0)), S0p = tag_of_code(C8(1));
        uint64_t Cp = tag_of_code(C8(2)), C2p = tag_of_code(C8(3));
        uint64_t Cl = label_of_code(C8(4)), C2l = label_of_code(C8(5));
        uint64_t v = val_of_code(C8(6));
        uint64_t set = nd__mix64(key.b + 3);
        F3(45, S0p, N0p, Cp);
        F2(75, N0p, v);
        F(87, Cp);
        F(88, Cl);
        F(100, C2p);
        F(101, C2l);
        F3(104, N0p, Cp, C2p);
        F3(107, N0p, Cl, S0p);
        F2(115, N0p, set);
    } else if (group == ND__PG_S1) {
        uint64_t S1p = tag_of_code(C8(0)), S0p = tag_of_code(C8(1));
        uint64_t S1rp = tag_of_code(C8(2)), S1lp = tag_of_code(C8(3));
        uint64_t S0lp = tag_of_code(C8(4)), S0rp = tag_of_code(C8(5));
        uint64_t S1rl = label_of_code(C8(6)), S1ll = label_of_code(C8(7));
        uint64_t S1vr = val_of_code(key.b);
        F3(47, S1p, S1rp, S0p);
        F3(48, S1p, S0p, S0lp);
        F3(49, S1p, S0p, S0rp);
        F3(50, S1p, S1lp, S0p);
        F2(76, S1p, S1vr);
        F(90, S1rp);
        F(91, S1rl);
        F(92, S1ll);
        F3(108, S1p, S1rl, S0p);
    }
#undef C8
    return k;
}

/* Positions in the output of F(1, dir), F2(3, Dp, dir), F2(5, Hp, dir),
 * F3(6, Hp, Dp, dir) below, then of F3(11, Dp, Dll, Dlp), F3(12, Dp, Drl,
 * Drp), F2(13, Dp, Dsl), F2(14, Dp, Dsr), F3(17, Hp, Dp, Dsl), F3(18, Hp,
 * Dp, Dsr): constant atoms but Dp and Hp for a dependent without
 * children. */
const uint8_t nd__label_pair_pos[ND__LABEL_LEAF_FEATS] = {0, 2, 4, 5, 10, 11, 12, 13, 16, 17};

size_t nd__label_features(const nd__pstate *s, int t, const nd__watom *w, const uint8_t *tags,
                          uint64_t *out)
{
    size_t k = 0;
    int n = s->n;
    int d = s->stack[s->sp - 1];
    int h = t == ND__T_LEFT ? s->b : s->stack[s->sp - 2];
    uint64_t dir = t == ND__T_LEFT ? 0x4c4546ULL : 0x524947ULL;
    uint64_t Dw = W(d), Dp = P(d), Hw = W(h), Hp = P(h);
    uint64_t dist = dist_atom(h - d);
    /* A dependent is complete when it is attached, so lc1 and rc1 are its
     * outermost children: the case marker of "in Alaska", the mark of
     * "that it ...", which tell obl from nmod or ccomp from advcl. */
    int dl = s->lc1[d], dr = s->rc1[d];
    uint64_t Dlp = P(dl), Dll = L(dl), Drp = P(dr), Drl = L(dr);
    uint64_t Dlw = W(dl), Drw = W(dr);
    uint64_t Dsl = nd__mix64(s->lset[d] + 5), Dsr = nd__mix64(s->rset[d] + 6);
    uint64_t Hsl = nd__mix64(s->lset[h] + 7), Hsr = nd__mix64(s->rset[h] + 8);
    uint64_t Dm1 = d > 0 ? P(d - 1) : A_START, Dp1 = P(d + 1);
    uint64_t Hm1 = h > 0 ? P(h - 1) : A_START, Hp1 = h < n ? P(h + 1) : A_END;
    uint64_t Dsuf = d < n ? w[d].suf3 : A_NONE, Hsuf = h < n ? w[h].suf3 : A_NONE;
    uint64_t Dshape = d < n ? w[d].shape : A_NONE;
    F(1, dir);
    F2(2, Dw, dir);
    F2(3, Dp, dir);
    F2(4, Hw, dir);
    F2(5, Hp, dir);
    F3(6, Hp, Dp, dir);
    F3(7, nd__fk(Hp, Dp), dir, dist);
    F3(8, Hw, Dp, dir);
    F3(9, Hp, Dw, dir);
    F3(10, Hw, Dw, dir);
    F3(11, Dp, Dll, Dlp);
    F3(12, Dp, Drl, Drp);
    F2(13, Dp, Dsl);
    F2(14, Dp, Dsr);
    F3(15, Hp, Hsl, dir);
    F3(16, Hp, Hsr, dir);
    F3(17, Hp, Dp, Dsl);
    F3(18, Hp, Dp, Dsr);
    F3(19, nd__fk(Hp, Dp), Dm1, Dp1);
    F3(20, nd__fk(Hp, Dp), Hm1, Hp1);
    F3(21, Dsuf, Dp, dir);
    F3(22, Hsuf, Hp, Dp);
    F3(23, Dw, Hp, Hsl);
    F3(24, Dshape, Dp, Hp);
    F3(25, Hw, Dw, Dsl);
    F3(26, Dlw, Dp, Hp);
    F3(27, Drw, Dp, Hp);
    F3(28, Dlw, Hw, Dp);
#undef W
#undef P
#undef L
    return k;
}
