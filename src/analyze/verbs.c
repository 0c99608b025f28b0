/* verbs.c - the verb lexicon of the event coder: verb blocks, their
 * patterns and the synsets the patterns use, in the shape of PETRARCH2's
 * CAMEO verb dictionary (docs/analyze.md, "Verb files").
 *
 * Three loaders fill one structure: newsdesk's compact "# cameo-verbs"
 * file (data/verbs/petrarch.txt, written by tools/gen_petrarch_verbs.py;
 * strict), PETRARCH verb dictionaries given with --dict (read as PETRARCH
 * reads them: unusable lines are skipped), and the lines of newsdesk's own
 * "# verbs" files (dict.c parses them, nd__vlex_add_project() stores them).
 * events.c matches the patterns on the dependency tree. */
#include "analyze/analyze_int.h"

#include <stdio.h>
#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ---- codes ------------------------------------------------------------------- */

/* One side of a code: "", "---" or 2-4 digits. */
static int code_side(const char *s, size_t n, char out[6])
{
    out[0] = 0;
    if (n == 0) return 0;
    if (n == 3 && !memcmp(s, "---", 3)) return 0;
    if (n < 2 || n > 4) return -1;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i])) return -1;
    memcpy(out, s, n);
    out[n] = 0;
    return 0;
}

/* "042:043", ":173", "020", "---" (brackets already removed).  *null is
 * set when the code says "no event". */
static int parse_code(const char *s, size_t n, char code[6], char pcode[6], int *null)
{
    nd_slice t = nd__trim(s, n);
    const char *colon = memchr(t.ptr, ':', t.len);
    *null = 0;
    if (!t.len) return -1;
    if (!colon) {
        if (code_side(t.ptr, t.len, code)) return -1;
        pcode[0] = 0;
    } else {
        size_t a = (size_t) (colon - t.ptr);
        if (code_side(t.ptr, a, code) || code_side(colon + 1, t.len - a - 1, pcode)) return -1;
        if (!pcode[0] && t.len - a - 1 != 3) return -1; /* "042:" */
    }
    if (!code[0] && !pcode[0]) *null = 1;
    return 0;
}

/* ---- synsets ---------------------------------------------------------------- */

static int32_t set_find(const nd_analyze_dict *d, const char *name, size_t n)
{
    char buf[128];
    if (n >= sizeof buf) return -1;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char) (name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
    uint32_t v = nd__map_get(&d->vset_names, buf, n);
    return v == ND__NONE ? -1 : (int32_t) v;
}

/* The synset named name (created empty when new); -1 when out of memory. */
static int32_t set_get(nd_analyze_dict *d, const char *name, size_t n)
{
    int32_t s = set_find(d, name, n);
    if (s >= 0) return s;
    if (nd__dict_grow((void **) &d->vsets, &d->cap_vsets, d->n_vsets + 1, sizeof *d->vsets))
        return -1;
    nd__vset *v = &d->vsets[d->n_vsets];
    memset(v, 0, sizeof *v);
    v->name = nd__lower_dup(d, name, n);
    if (!v->name) return -1;
    v->no_plural = n > 1 && name[n - 1] == '_';
    v->first_ent = ND__NONE;
    uint32_t *slot;
    if (nd__map_put(d->arena, &d->vset_names, v->name, n, (uint32_t) d->n_vsets, &slot) < 0)
        return -1;
    return (int32_t) d->n_vsets++;
}

static int set_key(uint32_t set, const char *phrase, size_t n, char *key, size_t cap)
{
    int k = snprintf(key, cap, "%u|%.*s", (unsigned) set, (int) n, phrase);
    return k < 0 || (size_t) k >= cap ? -1 : k;
}

unsigned nd__vsig(const char *w)
{
    /* the first four letters of the word without a plural "s" */
    size_t n = strlen(w);
    if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's') n--;
    unsigned h = 5381;
    for (size_t i = 0; i < 4 && i < n; i++) h = h * 33 + (unsigned char) w[i];
    return (h ^ (h >> 9)) & 511;
}

/* Note that set has an entry starting with the first word of phrase. */
static int set_put_first(nd_analyze_dict *d, uint32_t set, const char *phrase, size_t n)
{
    if (set >= 128) return 0;
    size_t fl = 0;
    while (fl < n && phrase[fl] != ' ') fl++;
    uint32_t *slot;
    int r = nd__map_put(d->arena, &d->vset_first, phrase, fl, (uint32_t) d->n_vset_bits, &slot);
    if (r < 0) return r;
    if (r == 0) {
        if (nd__dict_grow((void **) &d->vset_bits, &d->cap_vset_bits, 2 * (d->n_vset_bits + 1),
                          sizeof *d->vset_bits))
            return ND_ENOMEM;
        d->vset_bits[2 * d->n_vset_bits] = d->vset_bits[2 * d->n_vset_bits + 1] = 0;
        d->n_vset_bits++;
    }
    d->vset_bits[2 * *slot + set / 64] |= 1ull << (set % 64);
    return 0;
}

const uint64_t *nd__vset_first(const nd_analyze_dict *d, const char *w, size_t n)
{
    uint32_t i = nd__map_get(&d->vset_first, w, n);
    return i == ND__NONE ? NULL : &d->vset_bits[2 * i];
}

static int set_put_phrase(nd_analyze_dict *d, uint32_t set, const char *phrase, size_t n)
{
    int fr = set_put_first(d, set, phrase, n);
    if (fr) return fr;
    char key[300];
    int k = set_key(set, phrase, n, key, sizeof key);
    if (k < 0) return 0; /* too long to ever match */
    uint32_t *slot;
    if (nd__map_put(d->arena, &d->vset_phrases, key, (size_t) k, 1, &slot) < 0) return ND_ENOMEM;
    int words = 1;
    for (size_t i = 0; i < n; i++) words += phrase[i] == ' ';
    if (words > d->vsets[set].max_words)
        d->vsets[set].max_words = (uint8_t) (words > 255 ? 255 : words);
    return 0;
}

/* Add one entry (lowercase, words separated by spaces or '_'; a trailing
 * '_' means no plural; "&other" adds another synset's entries; an entry
 * with "(" is a phrase pattern, expanded where the synset is used). */
static int set_add_entry(nd_analyze_dict *d, uint32_t set, const char *s, size_t n)
{
    nd_slice t = nd__trim(s, n);
    if (!t.len) return 0;
    if (t.ptr[0] == '&') {
        int32_t other = set_find(d, t.ptr, t.len);
        if (other < 0) return ND_ENOTFOUND;
        if ((uint32_t) other == set) return 0;
        for (uint32_t e = d->vsets[other].first_ent; e != ND__NONE; e = d->vset_ents[e].next) {
            const char *x = d->vset_ents[e].text;
            int rc = set_add_entry(d, set, x, strlen(x));
            if (rc) return rc;
        }
        return 0;
    }
    char buf[256];
    size_t o = 0;
    int no_plural = d->vsets[set].no_plural || t.ptr[t.len - 1] == '_';
    for (size_t i = 0; i < t.len && o + 1 < sizeof buf; i++) {
        char c = t.ptr[i];
        if (c == '_' || is_space(c)) c = ' ';
        if (c >= 'A' && c <= 'Z') c = (char) (c + 32);
        if (c == ' ' && (o == 0 || buf[o - 1] == ' ')) continue;
        buf[o++] = c;
    }
    while (o && buf[o - 1] == ' ') o--;
    buf[o] = 0;
    if (!o) return 0;
    if (nd__dict_grow((void **) &d->vset_ents, &d->cap_vset_ents, d->n_vset_ents + 1,
                      sizeof *d->vset_ents))
        return ND_ENOMEM;
    nd__vsetent *e = &d->vset_ents[d->n_vset_ents];
    e->text = nd_arena_strndup(d->arena, buf, o);
    if (!e->text) return ND_ENOMEM;
    /* append, so that the entries keep the file's order */
    e->next = ND__NONE;
    uint32_t ei = (uint32_t) d->n_vset_ents++;
    nd__vset *v = &d->vsets[set];
    if (v->first_ent == ND__NONE) {
        v->first_ent = ei;
    } else {
        uint32_t x = v->first_ent;
        while (d->vset_ents[x].next != ND__NONE) x = d->vset_ents[x].next;
        d->vset_ents[x].next = ei;
    }
    if (memchr(buf, '(', o) || memchr(buf, '{', o)) {
        v->complex = 1;
        return 0;
    }
    int rc = set_put_phrase(d, set, buf, o);
    if (!rc && !no_plural) {
        char pl[300];
        size_t pn = nd__plural(buf, o, pl, sizeof pl);
        if (pn) rc = set_put_phrase(d, set, pl, pn);
    }
    return rc;
}

int nd__vset_match(const nd_analyze_dict *d, uint32_t set, const char *const *words, size_t n)
{
    if (set >= d->n_vsets) return 0;
    size_t max = d->vsets[set].max_words;
    if (max > n) max = n;
    if (set < 128) {
        const uint64_t *b = nd__vset_first(d, words[0], strlen(words[0]));
        if (!b || !(b[set / 64] & (1ull << (set % 64)))) return 0;
    }
    char key[300];
    /* "<set>|": the set id in decimal */
    char num[12];
    size_t nl = 0;
    for (uint32_t x = set;; x /= 10) {
        num[nl++] = (char) ('0' + x % 10);
        if (x < 10) break;
    }
    for (size_t len = max; len >= 1; len--) {
        size_t o = 0;
        while (nl > o) key[o] = num[nl - 1 - o], o++;
        key[o++] = '|';
        int ok = 1;
        for (size_t i = 0; i < len && ok; i++) {
            size_t wl = strlen(words[i]);
            if (o + wl + 2 >= sizeof key)
                ok = 0;
            else {
                if (i) key[o++] = ' ';
                memcpy(key + o, words[i], wl);
                o += wl;
            }
        }
        if (ok && nd__map_get(&d->vset_phrases, key, o) != ND__NONE) return (int) len;
    }
    return 0;
}

/* ---- patterns ------------------------------------------------------------- */

static int add_pel(nd_analyze_dict *d, int kind, uint32_t set, const char *word)
{
    if (nd__dict_grow((void **) &d->pels, &d->cap_pels, d->n_pels + 1, sizeof *d->pels))
        return ND_ENOMEM;
    nd__pel *e = &d->pels[d->n_pels++];
    e->kind = (uint8_t) kind;
    e->set = set;
    e->word = word;
    return 0;
}

/* Tokens of a pattern: ( ) { } * stand alone. */
static const char *next_tok(const char *p, const char *end, size_t *n)
{
    while (p < end && is_space(*p)) p++;
    if (p >= end) return NULL;
    if (strchr("(){}*", *p)) {
        *n = 1;
        return p;
    }
    const char *s = p;
    while (p < end && !is_space(*p) && !strchr("(){}*", *p)) p++;
    *n = (size_t) (p - s);
    return s;
}

/* Does the pattern use a synset with phrase-pattern entries?  Sets *set
 * and the token's span. */
static int complex_ref(const nd_analyze_dict *d, const char *p, const char *end, int32_t *set,
                       const char **at, size_t *at_n)
{
    size_t n;
    const char *t;
    while ((t = next_tok(p, end, &n))) {
        if (t[0] == '&') {
            int32_t s = set_find(d, t, n);
            if (s >= 0 && d->vsets[s].complex) {
                *set = s, *at = t, *at_n = n;
                return 1;
            }
        }
        p = t + n;
    }
    return 0;
}

/* Parse the body of a pattern ("- PRE * POST", without the dash and the
 * code) into elements.  Returns 0 and the rule fields, or a reason. */
static const char *parse_body(nd_analyze_dict *d, const char *p, const char *end, nd__vrule *r)
{
    size_t start = d->n_pels, n;
    const char *t;
    int in_pp = 0, in_np = 0, stars = 0, n_pre = 0, spec = 0;
    while ((t = next_tok(p, end, &n))) {
        p = t + n;
        int rc = 0;
        if (n == 1 && *t == '*') {
            if (in_pp || in_np) return "'*' inside a phrase";
            if (stars++) return "more than one '*'";
            n_pre = (int) (d->n_pels - start);
            continue;
        }
        if (n == 1 && *t == '(') {
            if (in_pp || in_np) return "a phrase inside a phrase";
            size_t pn;
            const char *prep = next_tok(p, end, &pn);
            if (!prep || strchr("(){}*+$^%&", *prep)) return "'(' needs a preposition";
            p = prep + pn;
            const char *w = nd__lower_dup(d, prep, pn);
            if (!w) return "out of memory";
            for (char *c = (char *) w; *c; c++)
                if (*c == '_') *c = ' ';
            rc = add_pel(d, ND__PE_PP, 0, w);
            in_pp = 1, spec++;
        } else if (n == 1 && *t == ')') {
            if (!in_pp || in_np) return "unbalanced ')'";
            rc = add_pel(d, ND__PE_PP_END, 0, NULL);
            in_pp = 0;
        } else if (n == 1 && *t == '{') {
            if (in_np) return "a phrase inside a phrase";
            rc = add_pel(d, ND__PE_NP, 0, NULL);
            in_np = 1;
        } else if (n == 1 && *t == '}') {
            if (!in_np) return "unbalanced '}'";
            if (d->pels[d->n_pels - 1].kind == ND__PE_NP) return "empty '{}'";
            rc = add_pel(d, ND__PE_NP_END, 0, NULL);
            in_np = 0;
        } else if (n == 1 && (*t == '+' || *t == '$' || *t == '^' || *t == '%')) {
            int k = *t == '+'   ? ND__PE_TARGET
                    : *t == '$' ? ND__PE_SOURCE
                    : *t == '^' ? ND__PE_ANY
                                : ND__PE_PAIR;
            rc = add_pel(d, k, 0, NULL);
        } else if (*t == '&') {
            int32_t s = set_find(d, t, n);
            if (s < 0) return "undefined synset";
            rc = add_pel(d, ND__PE_SET, (uint32_t) s, NULL);
            spec++;
        } else {
            /* a word; "debt_relief" is a phrase of consecutive words */
            while (n && *t == '_') t++, n--;
            while (n && t[n - 1] == '_') n--;
            if (!n) continue;
            for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) t[i];
                if (c < 0x80 && !((c | 32) >= 'a' && (c | 32) <= 'z') && !is_digit((char) c) &&
                    !strchr("_-'.", (char) c) && !(c == '&' && i > 0 && t[i - 1] == '_'))
                    return "unexpected character in a word";
            }
            int multi = memchr(t, '_', n) != NULL;
            if (multi && !in_np) rc = add_pel(d, ND__PE_NP, 0, NULL);
            const char *q = t, *e = t + n;
            while (!rc && q < e) {
                const char *u = memchr(q, '_', (size_t) (e - q));
                if (!u) u = e;
                if (u > q && *q == '&') {
                    /* "fighter_&aircraft" */
                    int32_t s = set_find(d, q, (size_t) (u - q));
                    if (s < 0) return "undefined synset";
                    rc = add_pel(d, ND__PE_SET, (uint32_t) s, NULL);
                    spec++;
                } else if (u > q) {
                    const char *w = nd__lower_dup(d, q, (size_t) (u - q));
                    rc = w ? add_pel(d, ND__PE_WORD, 0, w) : ND_ENOMEM;
                    spec++;
                }
                q = u + 1;
            }
            if (!rc && multi && !in_np) rc = add_pel(d, ND__PE_NP_END, 0, NULL);
        }
        if (rc) return "out of memory";
    }
    if (in_pp || in_np) return "unclosed phrase";
    if (stars != 1) return "a pattern needs one '*'";
    if (d->n_pels - start > 250) return "pattern too long";
    r->pel = (uint32_t) start;
    r->n_pre = (uint8_t) n_pre;
    r->n_post = (uint8_t) (d->n_pels - start - (size_t) n_pre);
    r->spec = (uint8_t) (spec > 255 ? 255 : spec);
    return NULL;
}

static int add_rule(nd_analyze_dict *d, uint32_t block, nd__vrule *r)
{
    if (nd__dict_grow((void **) &d->vrules, &d->cap_vrules, d->n_vrules + 1, sizeof *d->vrules))
        return ND_ENOMEM;
    r->n_sig = 0;
    memset(r->smask, 0, sizeof r->smask);
    for (uint32_t i = 0; i < (uint32_t) r->n_pre + r->n_post; i++) {
        const nd__pel *e = &d->pels[r->pel + i];
        if ((e->kind == ND__PE_WORD || e->kind == ND__PE_PP) && !strchr(e->word, ' ')) {
            if (r->n_sig < 4) r->sig[r->n_sig++] = (uint16_t) nd__vsig(e->word);
        } else if (e->kind == ND__PE_SET && e->set < 128) {
            r->smask[e->set / 64] |= 1ull << (e->set % 64);
        }
    }
    uint32_t ri = (uint32_t) d->n_vrules++;
    r->next = ND__NONE;
    d->vrules[ri] = *r;
    nd__vblock *b = &d->vblocks[block];
    if (b->first == ND__NONE)
        b->first = ri;
    else
        d->vrules[b->last].next = ri;
    b->last = ri;
    return 0;
}

/* Parse one pattern with its code text and add it to the block.  A synset
 * whose entries are phrase patterns is written out: one pattern for each
 * entry.  Returns NULL or the reason the pattern is not usable. */
static const char *add_pattern(nd_analyze_dict *d, uint32_t block, const char *p, size_t n,
                               const char *code, size_t code_n, int flags, uint32_t line, int depth)
{
    nd__vrule r;
    memset(&r, 0, sizeof r);
    int null;
    if (parse_code(code, code_n, r.code, r.pcode, &null)) return "bad code";
    r.flags = (uint8_t) (flags | (null ? ND__VR_NULL : 0));
    r.line = line;
    int32_t set;
    const char *at;
    size_t at_n;
    if (complex_ref(d, p, p + n, &set, &at, &at_n)) {
        if (depth > 3) return "synsets nested too deep";
        for (uint32_t e = d->vsets[set].first_ent; e != ND__NONE; e = d->vset_ents[e].next) {
            const char *x = d->vset_ents[e].text;
            nd_buf b = ND_BUF_INIT;
            nd_buf_append(&b, p, (size_t) (at - p));
            nd_buf_puts(&b, x);
            nd_buf_append(&b, at + at_n, (size_t) (p + n - at - at_n));
            const char *why = nd_buf_failed(&b) ? "out of memory"
                                                : add_pattern(d, block, b.ptr, b.len, code, code_n,
                                                              flags, line, depth + 1);
            nd_buf_free(&b);
            if (why) return why;
        }
        return NULL;
    }
    size_t mark = d->n_pels;
    const char *why = parse_body(d, p, p + n, &r);
    if (why) {
        d->n_pels = mark;
        return why;
    }
    return add_rule(d, block, &r) ? "out of memory" : NULL;
}

static int32_t add_block(nd_analyze_dict *d, const char *name, size_t n)
{
    if (nd__dict_grow((void **) &d->vblocks, &d->cap_vblocks, d->n_vblocks + 1, sizeof *d->vblocks))
        return -1;
    nd__vblock *b = &d->vblocks[d->n_vblocks];
    b->name = nd__lower_dup(d, name, n);
    if (!b->name) return -1;
    b->first = b->last = ND__NONE;
    return (int32_t) d->n_vblocks++;
}

/* ---- verbs ------------------------------------------------------------------ */

static int add_key(nd_analyze_dict *d, nd__map *map, const char *w, size_t n, uint32_t verb)
{
    if (!n) return 0;
    uint32_t *slot;
    int r = nd__map_put(d->arena, map, w, n, ND__NONE, &slot);
    if (r < 0) return r;
    /* the same verb under the same key once */
    for (uint32_t k = *slot; k != ND__NONE; k = d->vkeys[k].next)
        if (d->vkeys[k].verb == verb) return 0;
    if (nd__dict_grow((void **) &d->vkeys, &d->cap_vkeys, d->n_vkeys + 1, sizeof *d->vkeys))
        return ND_ENOMEM;
    /* append: earlier definitions are tried first */
    uint32_t ki = (uint32_t) d->n_vkeys++;
    d->vkeys[ki].verb = verb;
    d->vkeys[ki].next = ND__NONE;
    if (*slot == ND__NONE) {
        *slot = ki;
    } else {
        uint32_t k = *slot;
        while (d->vkeys[k].next != ND__NONE) k = d->vkeys[k].next;
        d->vkeys[k].next = ki;
    }
    return 0;
}

uint32_t nd__vlex_find(const nd_analyze_dict *d, int noun, const char *w, size_t n)
{
    return nd__map_get(noun ? &d->vnoun_map : &d->vverb_map, w, n);
}

/* Add a verb: phrase is "ask", "+ask_for" or "re_+arrest" (lowercase or
 * not); forms are more forms of the verb word.  Returns 0, ND_EPARSE or
 * ND_ENOMEM. */
static int add_verb(nd_analyze_dict *d, uint32_t block, const char *phrase, size_t n,
                    const char *code, const char *pcode, int flags, const char *const *forms,
                    size_t n_forms)
{
    char buf[128];
    if (n == 0 || n >= sizeof buf) return ND_EPARSE;
    memcpy(buf, phrase, n);
    buf[n] = 0;
    const char *words[6];
    int nw = 0, verb_at = -1;
    for (char *q = buf; *q && nw < 6;) {
        char *u = strchr(q, '_');
        if (u) *u = 0;
        if (*q == '+') {
            if (verb_at >= 0) return ND_EPARSE;
            verb_at = nw, q++;
        }
        if (*q) words[nw++] = q;
        if (!u) break;
        q = u + 1;
    }
    if (nw == 0 || nw > 5) return ND_EPARSE;
    if (verb_at < 0) verb_at = 0;
    if (verb_at >= nw) return ND_EPARSE;
    for (int i = 0; i < nw; i++)
        for (const char *c = words[i]; *c; c++)
            if (!(((*c | 32) >= 'a' && (*c | 32) <= 'z') || *c == '-' || *c == '\'' || *c == '.' ||
                  (unsigned char) *c >= 0x80))
                return ND_EPARSE;
    if (nd__dict_grow((void **) &d->verbs, &d->cap_verbs, d->n_verbs + 1, sizeof *d->verbs))
        return ND_ENOMEM;
    nd__verb *v = &d->verbs[d->n_verbs];
    memset(v, 0, sizeof *v);
    v->lemma = nd__lower_dup(d, words[verb_at], strlen(words[verb_at]));
    if (!v->lemma) return ND_ENOMEM;
    for (int i = 0; i < nw; i++) {
        if (i == verb_at) continue;
        v->rest[v->n_rest] = nd__lower_dup(d, words[i], strlen(words[i]));
        if (!v->rest[v->n_rest]) return ND_ENOMEM;
        v->n_rest++;
    }
    v->n_before = (uint8_t) verb_at;
    v->flags = (uint8_t) flags;
    snprintf(v->code, sizeof v->code, "%s", code ? code : "");
    snprintf(v->pcode, sizeof v->pcode, "%s", pcode ? pcode : "");
    if (!v->code[0] && !v->pcode[0]) v->flags |= ND__VR_NULL;
    v->block = block;
    v->gen = d->vgen;
    uint32_t vi = (uint32_t) d->n_verbs++;
    nd__map *map = (flags & ND__VR_NOUN) ? &d->vnoun_map : &d->vverb_map;
    const char *lemma = d->verbs[vi].lemma;
    int rc = add_key(d, map, lemma, strlen(lemma), vi);
    if (!rc && (flags & ND__VR_NOUN)) {
        char pl[80];
        size_t pn = nd__plural(lemma, strlen(lemma), pl, sizeof pl);
        if (pn && lemma[strlen(lemma) - 1] != 's') rc = add_key(d, map, pl, pn, vi);
    } else if (!rc) {
        char inf[3][64];
        nd__inflect(lemma, inf);
        for (int i = 0; i < 3 && !rc; i++) rc = add_key(d, map, inf[i], strlen(inf[i]), vi);
    }
    for (size_t i = 0; i < n_forms && !rc; i++) {
        if (!forms[i]) continue;
        char f[64];
        size_t fl = 0;
        const char *s = forms[i];
        /* "+asked_for" -> "asked" (the verb word of a multi-word form) */
        const char *plus = strchr(s, '+');
        if (plus) s = plus + 1;
        while (s[fl] && s[fl] != '_' && s[fl] != ',' && fl + 1 < sizeof f) {
            f[fl] = (char) (s[fl] >= 'A' && s[fl] <= 'Z' ? s[fl] + 32 : s[fl]);
            fl++;
        }
        f[fl] = 0;
        rc = add_key(d, map, f, fl, vi);
    }
    return rc;
}

/* ---- newsdesk "# verbs" lines ------------------------------------------- */

int nd__vlex_add_project(nd_analyze_dict *d, const char *code, int flags, int passive,
                         const char *head, const char *const *forms, size_t n_forms,
                         const char *const *words, int n_words, int target_at, uint32_t line)
{
    /* one block per head and kind: its verb has no code of its own, every
     * line is a pattern (a line with no words is the head's own code) */
    int noun = (flags & ND__VR_NOUN) != 0;
    static const char *const preps[] = {"with",  "to", "on", "upon",    "for",     "against",
                                        "from",  "in", "at", "between", "over",    "into",
                                        "about", "of", "by", "toward",  "towards", NULL};
    /* a noun of several words ("air strike on +") is its last word, with
     * the words before it: "air_+strike" */
    char phrase[160];
    snprintf(phrase, sizeof phrase, "%s", head);
    if (noun) {
        int j = 0;
        while (j < n_words && j != target_at) {
            int prep = 0;
            for (size_t k = 0; preps[k]; k++) prep |= !strcmp(words[j], preps[k]);
            if (prep) break;
            j++;
        }
        if (j > 0) {
            size_t o = (size_t) snprintf(phrase, sizeof phrase, "%s", head);
            for (int i = 0; i < j && o < sizeof phrase; i++)
                o += (size_t) snprintf(phrase + o, sizeof phrase - o, "_%s%s",
                                       i == j - 1 ? "+" : "", words[i]);
            head = words[j - 1];
            words += j, n_words -= j;
            if (target_at >= 0) target_at -= j;
            forms = NULL, n_forms = 0;
        }
    }
    char bname[200];
    snprintf(bname, sizeof bname, "%s:%s", noun ? "noun" : "verb", phrase);
    uint32_t block = ND__NONE;
    for (uint32_t k = nd__vlex_find(d, noun, head, strlen(head)); k != ND__NONE;
         k = d->vkeys[k].next) {
        const nd__verb *v = &d->verbs[d->vkeys[k].verb];
        if ((v->flags & ND__VR_PROJECT) && !strcmp(v->lemma, head) &&
            !strcmp(d->vblocks[v->block].name, bname))
            block = v->block;
    }
    int rc;
    if (block == ND__NONE) {
        int32_t b = add_block(d, bname, strlen(bname));
        if (b < 0) return ND_ENOMEM;
        block = (uint32_t) b;
        rc = add_verb(d, block, phrase, strlen(phrase), "", "",
                      ND__VR_PROJECT | (noun ? ND__VR_NOUN : 0), forms, n_forms);
        if (rc) return rc;
        /* the project's head has no code of its own: not ND__VR_NULL */
        d->verbs[d->n_verbs - 1].flags &= (uint8_t) ~ND__VR_NULL;
    } else {
        /* more forms for an existing head */
        for (uint32_t k = nd__vlex_find(d, noun, head, strlen(head)); k != ND__NONE;
             k = d->vkeys[k].next)
            if (d->verbs[d->vkeys[k].verb].block == block)
                for (size_t i = 0; i < n_forms; i++)
                    if (forms[i] && (rc = add_key(d, noun ? &d->vnoun_map : &d->vverb_map, forms[i],
                                                  strlen(forms[i]), d->vkeys[k].verb)))
                        return rc;
    }
    nd__vrule r;
    memset(&r, 0, sizeof r);
    snprintf(passive ? r.pcode : r.code, sizeof r.code, "%s", code);
    r.flags = (uint8_t) (flags | ND__VR_PROJECT);
    r.line = line;
    r.pel = (uint32_t) d->n_pels;
    r.n_pre = 0;
    int spec = 0;
    /* the words as PETRARCH would write them: a preposition and the "+"
     * after it are a prepositional phrase ("meet with +" = "* (with +)") */
    int in_np = 0;
    for (int i = 0; i <= n_words; i++) {
        int prep = 0;
        for (size_t k = 0; i < n_words && preps[k]; k++) prep |= !strcmp(words[i], preps[k]);
        /* a run of other words is a noun phrase ("conduct joint military
         * drills" = "* {joint military drills}") */
        int next_word = i + 1 < n_words && target_at != i + 1;
        if (next_word)
            for (size_t k = 0; preps[k]; k++) next_word &= strcmp(words[i + 1], preps[k]) != 0;
        if (in_np && (i == n_words || prep || i == target_at)) {
            if ((rc = add_pel(d, ND__PE_NP_END, 0, NULL))) return rc;
            in_np = 0;
        }
        if (i == target_at && (rc = add_pel(d, ND__PE_TARGET, 0, NULL))) return rc;
        if (i == n_words) break;
        if (prep) {
            if ((rc = add_pel(d, ND__PE_PP, 0, words[i]))) return rc;
            if (target_at == i + 1 && (rc = add_pel(d, ND__PE_TARGET, 0, NULL))) return rc;
            if (target_at == i + 1) target_at = -1;
            if ((rc = add_pel(d, ND__PE_PP_END, 0, NULL))) return rc;
        } else {
            if (!in_np && next_word) {
                if ((rc = add_pel(d, ND__PE_NP, 0, NULL))) return rc;
                in_np = 1;
            }
            if ((rc = add_pel(d, ND__PE_WORD, 0, words[i]))) return rc;
        }
        spec++;
    }
    r.n_post = (uint8_t) (d->n_pels - r.pel);
    r.spec = (uint8_t) spec;
    return add_rule(d, block, &r);
}

/* ---- the compact file (data/verbs/petrarch.txt) -------------------------- */

#define perr nd__dict_parse_err

/* The next line of [*p, end) (without its newline), advancing *p; 0 at
 * the end. */
static int next_line(const char **p, const char *end, nd_slice *line)
{
    if (*p >= end) return 0;
    const char *nl = memchr(*p, '\n', (size_t) (end - *p));
    if (!nl) nl = end;
    *line = (nd_slice){*p, (size_t) (nl - *p)};
    *p = nl < end ? nl + 1 : end;
    return 1;
}

/* Split off the last space-separated field of t (the code). */
static int last_field(nd_slice t, nd_slice *rest, nd_slice *last)
{
    size_t i = t.len;
    while (i && !is_space(t.ptr[i - 1])) i--;
    if (i == 0) return -1;
    *last = (nd_slice){t.ptr + i, t.len - i};
    *rest = nd__trim(t.ptr, i);
    return 0;
}

int nd__vlex_load_compact(nd_analyze_dict *d, const char *name, const char *text, size_t len,
                          nd_error *err)
{
    const char *p = text, *end = text + len;
    int line = 0;
    int32_t block = -1;
    nd_slice raw;
    while (next_line(&p, end, &raw)) {
        nd_slice t = nd__trim(raw.ptr, raw.len);
        line++;
        if (!t.len || t.ptr[0] == '#') continue;
        char kind = t.ptr[0];
        if (kind == '&') {
            /* &name entry|entry|... */
            size_t i = 0;
            while (i < t.len && !is_space(t.ptr[i])) i++;
            if (i < 2) return perr(err, name, line, "expected '&name entry|entry...'");
            int32_t s = set_get(d, t.ptr, i);
            if (s < 0) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            const char *q = t.ptr + i, *te = t.ptr + t.len;
            while (q < te) {
                const char *bar = memchr(q, '|', (size_t) (te - q));
                if (!bar) bar = te;
                int rc = set_add_entry(d, (uint32_t) s, q, (size_t) (bar - q));
                if (rc == ND_ENOTFOUND)
                    return perr(err, name, line, "undefined synset in an entry");
                if (rc) return nd_error_set(err, rc, (size_t) -1, "out of memory");
                q = bar + 1;
            }
            continue;
        }
        if (t.len < 3 || !is_space(t.ptr[1]))
            return perr(err, name, line, "expected '&', '=', 'v' or 'p' and a space");
        nd_slice body = nd__trim(t.ptr + 2, t.len - 2);
        if (kind == '=') {
            if (!body.len || memchr(body.ptr, ' ', body.len))
                return perr(err, name, line, "expected '= NAME'");
            block = add_block(d, body.ptr, body.len);
            if (block < 0) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            continue;
        }
        if (kind != 'v' && kind != 'p')
            return perr(err, name, line, "expected '&', '=', 'v' or 'p' and a space");
        if (block < 0) return perr(err, name, line, "verb or pattern before any '= block'");
        if (kind == 'v') {
            /* v verb code [form ...] */
            const char *q = body.ptr, *te = body.ptr + body.len;
            nd_slice f[16];
            size_t nf = 0;
            while (q < te && nf < 16) {
                while (q < te && is_space(*q)) q++;
                const char *s = q;
                while (q < te && !is_space(*q)) q++;
                if (q > s) f[nf++] = (nd_slice){s, (size_t) (q - s)};
            }
            if (nf < 2) return perr(err, name, line, "expected 'v VERB CODE [FORM...]'");
            char code[6], pcode[6];
            int null;
            if (parse_code(f[1].ptr, f[1].len, code, pcode, &null))
                return perr(err, name, line, "bad code");
            const char *forms[14];
            for (size_t i = 2; i < nf; i++) {
                forms[i - 2] = nd__lower_dup(d, f[i].ptr, f[i].len);
                if (!forms[i - 2])
                    return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            }
            int rc =
                add_verb(d, (uint32_t) block, f[0].ptr, f[0].len, code, pcode, 0, forms, nf - 2);
            if (rc == ND_EPARSE) return perr(err, name, line, "bad verb");
            if (rc) return nd_error_set(err, rc, (size_t) -1, "out of memory");
            continue;
        }
        /* p PRE * POST code */
        nd_slice rest, code;
        if (last_field(body, &rest, &code))
            return perr(err, name, line, "expected 'p PATTERN CODE'");
        const char *why = add_pattern(d, (uint32_t) block, rest.ptr, rest.len, code.ptr, code.len,
                                      0, (uint32_t) line, 0);
        if (why) return perr(err, name, line, why);
    }
    return 0;
}

/* ---- PETRARCH verb dictionaries ------------------------------------------- */

/* A PETRARCH line without its comments ("# ...", "<!-- ... -->" on one line). */
static nd_slice petr_line(const char *s, size_t n, char *buf, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (s[i] == '#') break;
        if (i + 3 < n && !memcmp(s + i, "<!--", 4)) {
            const char *e = NULL;
            for (size_t j = i + 4; j + 2 < n; j++)
                if (!memcmp(s + j, "-->", 3)) {
                    e = s + j;
                    break;
                }
            if (!e) break;
            i = (size_t) (e - s) + 2;
            continue;
        }
        buf[o++] = s[i];
    }
    buf[o] = 0;
    return nd__trim(buf, o);
}

int nd__vlex_load_petrarch(nd_analyze_dict *d, const char *text, size_t len, size_t *skipped)
{
    const char *p = text, *end = text + len;
    int32_t block = -1, cur_set = -1;
    char block_code[6] = "", block_pcode[6] = "";
    uint32_t line = 0;
    size_t skip = 0;
    char *buf = nd_malloc(len + 1 > 65536 ? 65536 : len + 1);
    if (!buf) return ND_ENOMEM;
    size_t cap = len + 1 > 65536 ? 65536 : len + 1;
    int rc = 0;
    nd_slice raw;
    while (!rc && next_line(&p, end, &raw)) {
        line++;
        nd_slice t = petr_line(raw.ptr, raw.len, buf, cap);
        if (!t.len) continue;
        if (t.len >= 3 && !memcmp(t.ptr, "---", 3)) {
            /* --- NAME [CODE] --- */
            cur_set = -1;
            const char *q = t.ptr + 3, *te = t.ptr + t.len;
            while (q < te && (is_space(*q) || *q == '-')) q++;
            const char *ns = q;
            while (q < te && !is_space(*q) && *q != '[') q++;
            if (q == ns) {
                skip++, block = -1;
                continue;
            }
            block = add_block(d, ns, (size_t) (q - ns));
            if (block < 0) {
                rc = ND_ENOMEM;
                break;
            }
            block_code[0] = block_pcode[0] = 0;
            const char *br = memchr(q, '[', (size_t) (te - q));
            const char *bc = br ? memchr(br, ']', (size_t) (te - br)) : NULL;
            int null;
            if (bc && parse_code(br + 1, (size_t) (bc - br - 1), block_code, block_pcode, &null))
                block_code[0] = block_pcode[0] = 0, skip++;
            continue;
        }
        if (t.ptr[0] == '~') {
            cur_set = -1;
            continue; /* transformations: events.c has these as rules */
        }
        if (t.ptr[0] == '&') {
            size_t i = 0;
            while (i < t.len && !is_space(t.ptr[i])) i++;
            cur_set = set_get(d, t.ptr, i);
            if (cur_set < 0) rc = ND_ENOMEM;
            continue;
        }
        if (t.ptr[0] == '+' && cur_set >= 0) {
            int r = set_add_entry(d, (uint32_t) cur_set, t.ptr + 1, t.len - 1);
            if (r == ND_ENOTFOUND)
                skip++;
            else if (r)
                rc = r;
            continue;
        }
        cur_set = -1;
        if (block < 0) {
            skip++;
            continue;
        }
        if (t.ptr[0] == '-') {
            /* - PRE * POST [CODE]: the code is the last [...] */
            const char *te = t.ptr + t.len;
            const char *br = NULL;
            for (const char *q = te; q > t.ptr; q--)
                if (q[-1] == '[') {
                    br = q - 1;
                    break;
                }
            const char *bc = br ? memchr(br, ']', (size_t) (te - br)) : NULL;
            if (!br || !bc || nd__trim(bc + 1, (size_t) (te - bc - 1)).len) {
                skip++;
                continue;
            }
            const char *why = add_pattern(d, (uint32_t) block, t.ptr + 1, (size_t) (br - t.ptr - 1),
                                          br + 1, (size_t) (bc - br - 1), 0, line, 0);
            if (why && !strcmp(why, "out of memory")) rc = ND_ENOMEM;
            if (why) skip++;
            continue;
        }
        /* VERB [CODE] {FORMS}: ";" starts a TABARI comment */
        const char *semi = memchr(t.ptr, ';', t.len);
        if (semi) t = nd__trim(t.ptr, (size_t) (semi - t.ptr));
        const char *q = t.ptr, *te = t.ptr + t.len;
        const char *vs = q;
        while (q < te && !is_space(*q) && *q != '{' && *q != '[') q++;
        size_t vn = (size_t) (q - vs);
        char code[6], pcode[6];
        snprintf(code, sizeof code, "%s", block_code);
        snprintf(pcode, sizeof pcode, "%s", block_pcode);
        const char *forms[16];
        size_t nf = 0;
        while (q < te) {
            while (q < te && is_space(*q)) q++;
            if (q >= te) break;
            if (*q == '[') {
                const char *bc = memchr(q, ']', (size_t) (te - q));
                if (!bc) break;
                int null;
                char c2[6], p2[6];
                if (!parse_code(q + 1, (size_t) (bc - q - 1), c2, p2, &null))
                    memcpy(code, c2, 6), memcpy(pcode, p2, 6);
                q = bc + 1;
            } else if (*q == '{') {
                const char *bc = memchr(q, '}', (size_t) (te - q));
                if (!bc) bc = te;
                for (const char *r = q + 1; r < bc;) {
                    while (r < bc && (is_space(*r) || *r == ',')) r++;
                    const char *s = r;
                    while (r < bc && !is_space(*r) && *r != ',') r++;
                    if (r > s && nf < 16) {
                        forms[nf] = nd__lower_dup(d, s, (size_t) (r - s));
                        if (!forms[nf]) rc = ND_ENOMEM;
                        nf++;
                    }
                }
                q = bc < te ? bc + 1 : te;
            } else {
                while (q < te && !is_space(*q)) q++;
            }
        }
        if (rc) break;
        int r = add_verb(d, (uint32_t) block, vs, vn, code, pcode, 0, forms, nf);
        if (r == ND_EPARSE)
            skip++;
        else if (r)
            rc = r;
    }
    nd_free(buf);
    if (skipped) *skipped += skip;
    return rc;
}

void nd__vlex_free(nd_analyze_dict *d)
{
    nd__map_free(&d->vverb_map);
    nd__map_free(&d->vnoun_map);
    nd__map_free(&d->vset_names);
    nd__map_free(&d->vset_first);
    nd_free(d->vset_bits);
    nd__map_free(&d->vset_phrases);
    nd_free(d->verbs), nd_free(d->vkeys), nd_free(d->vblocks), nd_free(d->vrules);
    nd_free(d->pels), nd_free(d->vsets), nd_free(d->vset_ents);
}
