/* dict.c - the analysis dictionaries: actors, agents, people with dated
 * roles, quotation cue verbs, event verb patterns and the CAMEO code table.
 * Loads newsdesk's own format (docs/analyze.md) and PETRARCH/Phoenix files. */
#include "analyze/analyze_int.h"
#include "base/imap.h"
#include "base/mix.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- string map ------------------------------------------------------------ */

static uint64_t key_hash(const char *k, size_t n)
{
    uint64_t h = nd_hash64(k, n);
    return h ? h : 1;
}

static int map_grow(nd__map *m)
{
    size_t nc = m->cap ? m->cap * 2 : 1024;
    uint64_t *h = nd_calloc(nc, sizeof *h);
    uint32_t *v = nd_malloc(nc * sizeof *v);
    const char **k = nd_malloc(nc * sizeof *k);
    uint32_t *kl = nd_malloc(nc * sizeof *kl);
    if (!h || !v || !k || !kl) {
        nd_free(h), nd_free(v), nd_free(k), nd_free(kl);
        return ND_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->hashes[i]) continue;
        size_t j = m->hashes[i] & (nc - 1);
        while (h[j]) j = (j + 1) & (nc - 1);
        h[j] = m->hashes[i], v[j] = m->vals[i], k[j] = m->keys[i], kl[j] = m->key_lens[i];
    }
    size_t count = m->count;
    nd__map_free(m);
    m->hashes = h, m->vals = v, m->keys = k, m->key_lens = kl, m->cap = nc, m->count = count;
    return 0;
}

int nd__map_put(nd_arena *ar, nd__map *m, const char *key, size_t n, uint32_t val, uint32_t **slot)
{
    if ((m->count + 1) * 4 >= m->cap * 3 && map_grow(m)) return ND_ENOMEM;
    uint64_t h = key_hash(key, n);
    size_t j = h & (m->cap - 1);
    while (m->hashes[j]) {
        if (m->hashes[j] == h && m->key_lens[j] == n && !memcmp(m->keys[j], key, n)) {
            if (slot) *slot = &m->vals[j];
            return 1; /* present: caller decides through *slot */
        }
        j = (j + 1) & (m->cap - 1);
    }
    char *k = nd_arena_strndup(ar, key, n);
    if (!k) return ND_ENOMEM;
    m->hashes[j] = h, m->vals[j] = val, m->keys[j] = k, m->key_lens[j] = (uint32_t) n;
    m->count++;
    if (slot) *slot = &m->vals[j];
    return 0;
}

uint32_t nd__map_get(const nd__map *m, const char *key, size_t n)
{
    if (!m->cap) return ND__NONE;
    uint64_t h = key_hash(key, n);
    size_t j = h & (m->cap - 1);
    while (m->hashes[j]) {
        if (m->hashes[j] == h && m->key_lens[j] == n && !memcmp(m->keys[j], key, n))
            return m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    return ND__NONE;
}

void nd__map_free(nd__map *m)
{
    nd_free(m->hashes), nd_free(m->vals), nd_free((void *) m->keys), nd_free(m->key_lens);
    m->hashes = NULL, m->vals = NULL, m->keys = NULL, m->key_lens = NULL;
    m->cap = m->count = 0;
}

/* ---- dates ------------------------------------------------------------------- */

/* Howard Hinnant's days_from_civil. */
int32_t nd__days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned) (y - era * 400);
    unsigned doy = (unsigned) ((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t) (era * 146097 + (int) doe - 719468);
}

void nd__civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned) (z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int) yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int) (doy - (153 * mp + 2) / 5 + 1);
    *m = (int) (mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

int nd__parse_day(const char *s, size_t n, int32_t *days)
{
    int y, m = 1, d = 1;
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    if (n >= 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
        digits(s + 8, 2)) {
        y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    } else if (n >= 8 && digits(s, 8) && (n == 8 || !(s[8] >= '0' && s[8] <= '9'))) {
        y = num(s, 4), m = num(s + 4, 2), d = num(s + 6, 2);
    } else if (n == 6 && digits(s, 6)) {
        /* YYMMDD (PETRARCH dictionaries, some gold files). */
        y = num(s, 2), m = num(s + 2, 2), d = num(s + 4, 2);
        y += y < 50 ? 2000 : 1900;
    } else if (n == 4 && digits(s, 4)) {
        y = num(s, 4);
    } else if (n >= 7 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2)) {
        y = num(s, 4), m = num(s + 5, 2);
    } else {
        return ND_EPARSE;
    }
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000 || y > 9999) return ND_EPARSE;
    *days = nd__days_from_civil(y, m, d);
    return 0;
}

/* ---- inflection ------------------------------------------------------------- */

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

void nd__inflect(const char *w, char out[3][64])
{
    size_t n = strlen(w);
    if (n == 0 || n > 50) {
        out[0][0] = out[1][0] = out[2][0] = 0;
        return;
    }
    char last = w[n - 1], prev = n > 1 ? w[n - 2] : 0;
    /* third person singular */
    if (last == 's' || last == 'x' || last == 'z' || (last == 'h' && (prev == 'c' || prev == 's')))
        snprintf(out[0], 64, "%ses", w);
    else if (last == 'y' && !is_vowel(prev))
        snprintf(out[0], 64, "%.*sies", (int) n - 1, w);
    else
        snprintf(out[0], 64, "%ss", w);
    /* past */
    if (last == 'e')
        snprintf(out[1], 64, "%sd", w);
    else if (last == 'y' && !is_vowel(prev))
        snprintf(out[1], 64, "%.*sied", (int) n - 1, w);
    else
        snprintf(out[1], 64, "%sed", w);
    /* gerund */
    if (last == 'e' && prev != 'e' && n > 2)
        snprintf(out[2], 64, "%.*sing", (int) n - 1, w);
    else
        snprintf(out[2], 64, "%sing", w);
}

/* ---- growing arrays --------------------------------------------------------- */

int nd__dict_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    while (nc < need) nc *= 2;
    void *q = nd_realloc(*p, nc * elem);
    if (!q) return ND_ENOMEM;
    /* zeroed: the padding of what is stored there is too (the compiled
     * form copies the arrays as they lie, and is the same bytes each time) */
    memset((char *) q + *cap * elem, 0, (nc - *cap) * elem);
    *p = q;
    *cap = nc;
    return 0;
}

/* ---- phrases ---------------------------------------------------------------- */

/* Normalise a phrase into "w1 w2 w3" (lowercase, tokenized as text is) and
 * its per-token case requirements.  Returns the token count (0 = empty or
 * too long). */
static int phrase_key(const char *s, size_t n, int keep_case, char *key, size_t cap, size_t *klen,
                      uint8_t *caseq)
{
    nd_token tk[ND__MAX_PHRASE + 1];
    size_t nt = nd_tokenize(s, n, tk, ND__MAX_PHRASE + 1, NULL);
    if (nt == 0 || nt > ND__MAX_PHRASE) return 0;
    size_t o = 0;
    for (size_t i = 0; i < nt; i++) {
        char w[ND__MAX_WORD + 8];
        size_t wl = nd_token_lower(s, &tk[i], 0, w, sizeof w);
        if (wl == 0 || wl >= ND__MAX_WORD || o + wl + 2 >= cap) return 0;
        if (i) key[o++] = ' ';
        memcpy(key + o, w, wl);
        o += wl;
        caseq[i] = ND__CASE_ANY;
        if (keep_case) {
            if (tk[i].flags & ND_TOKF_ALLCAPS)
                caseq[i] = ND__CASE_ALLCAPS;
            else if (tk[i].flags & ND_TOKF_CAP)
                caseq[i] = ND__CASE_CAP;
        }
    }
    key[o] = 0;
    *klen = o;
    return (int) nt;
}

static int add_phrase(nd_analyze_dict *d, uint32_t ent, int how, const char *s, size_t n,
                      int keep_case, const char *suffix, const char *role_key)
{
    char key[512];
    size_t klen;
    uint8_t caseq[ND__MAX_PHRASE];
    int nt = phrase_key(s, n, keep_case, key, sizeof key, &klen, caseq);
    if (nt == 0) return 0; /* silently skip unusable phrases */
    if (nd__dict_grow((void **) &d->phrases, &d->cap_phrases, d->n_phrases + 1, sizeof *d->phrases))
        return ND_ENOMEM;
    uint32_t pi = (uint32_t) d->n_phrases;
    nd__phrase *p = &d->phrases[pi];
    memset(p, 0, sizeof *p);
    p->entity = ent;
    p->how = (uint8_t) how;
    p->ntok = (uint8_t) nt;
    p->next = ND__NONE;
    memcpy(p->caseq, caseq, (size_t) nt);
    if (suffix) snprintf(p->suffix, sizeof p->suffix, "%s", suffix);
    p->role_key = role_key;
    /* Prefixes, so that matching can stop early. */
    size_t o = 0;
    for (int i = 0; i + 1 < nt; i++) {
        while (o < klen && key[o] != ' ') o++;
        uint32_t *slot;
        int r = nd__map_put(d->arena, &d->phrase_map, key, o, ND__PREFIX, &slot);
        if (r < 0) return r;
        o++;
    }
    uint32_t *slot;
    int r = nd__map_put(d->arena, &d->phrase_map, key, klen, pi, &slot);
    if (r < 0) return r;
    if (r == 1) {
        if (*slot != ND__PREFIX) p->next = *slot;
        *slot = pi;
    }
    d->n_phrases++;
    if (nt > d->max_phrase) d->max_phrase = nt;
    return 0;
}

size_t nd__plural(const char *s, size_t n, char *out, size_t cap)
{
    if (n < 2 || n + 4 > cap) return 0;
    char last = s[n - 1], prev = s[n - 2];
    int k;
    if (n >= 3 && !memcmp(s + n - 3, "man", 3))
        k = snprintf(out, cap, "%.*smen", (int) n - 3, s);
    else if (last == 'y' && !is_vowel(prev))
        k = snprintf(out, cap, "%.*sies", (int) n - 1, s);
    else if (last == 's' || last == 'x' || last == 'z' ||
             (last == 'h' && (prev == 'c' || prev == 's')))
        k = snprintf(out, cap, "%.*ses", (int) n, s);
    else
        k = snprintf(out, cap, "%.*ss", (int) n, s);
    return k > 0 ? (size_t) k : 0;
}

/* Regular plural of the last word of an agent phrase. */
static int add_plural(nd_analyze_dict *d, uint32_t ent, int how, const char *s, size_t n,
                      const char *role_key)
{
    char buf[256];
    if (n < 2 || n > 200 || s[n - 1] == 's') return 0;
    size_t k = nd__plural(s, n, buf, sizeof buf);
    return k ? add_phrase(d, ent, how, buf, k, 0, NULL, role_key) : 0;
}

static int32_t add_entity(nd_analyze_dict *d, int kind, const char *code, size_t code_n,
                          const char *name, size_t name_n)
{
    if (nd__dict_grow((void **) &d->ents, &d->cap_ents, d->n_ents + 1, sizeof *d->ents)) return -1;
    nd__entity *e = &d->ents[d->n_ents];
    memset(e, 0, sizeof *e);
    e->kind = (uint8_t) kind;
    if (code_n >= sizeof e->code) code_n = sizeof e->code - 1;
    memcpy(e->code, code, code_n);
    e->code[code_n] = 0;
    e->name = nd_arena_strndup(d->arena, name, name_n);
    if (!e->name) return -1;
    e->first_role = (uint32_t) d->n_roles;
    return (int32_t) d->n_ents++;
}

static int add_role(nd_analyze_dict *d, uint32_t ent, const char *code, size_t code_n,
                    const char *keys, int32_t from, int32_t to)
{
    if (nd__dict_grow((void **) &d->roles, &d->cap_roles, d->n_roles + 1, sizeof *d->roles))
        return ND_ENOMEM;
    nd__role *r = &d->roles[d->n_roles];
    memset(r, 0, sizeof *r);
    if (code_n >= sizeof r->code) code_n = sizeof r->code - 1;
    memcpy(r->code, code, code_n);
    r->keys = keys;
    r->from = from;
    r->to = to;
    nd__entity *e = &d->ents[ent];
    if (e->n_roles == 0) e->first_role = (uint32_t) d->n_roles;
    /* Roles of one entity must be contiguous: they are added right after it. */
    e->n_roles++;
    d->n_roles++;
    return 0;
}

/* ---- lines ---------------------------------------------------------------- */

nd_slice nd__trim(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\r')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    return (nd_slice){s, n};
}

/* Split at sep; returns the next piece and advances *p. */
static nd_slice next_piece(const char **p, const char *end, char sep)
{
    const char *s = *p;
    const char *q = memchr(s, sep, (size_t) (end - s));
    if (!q) q = end;
    *p = q < end ? q + 1 : end;
    return nd__trim(s, (size_t) (q - s));
}

static int kind_of(nd_slice w)
{
    static const struct {
        const char *name;
        int kind;
    } k[] = {{"country", ND_ACTOR_COUNTRY}, {"org", ND_ACTOR_ORG},     {"region", ND_ACTOR_REGION},
             {"group", ND_ACTOR_GROUP},     {"agent", ND_ACTOR_AGENT}, {"person", ND_ACTOR_PERSON}};
    for (size_t i = 0; i < sizeof k / sizeof *k; i++)
        if (nd_slice_eq_c(w, k[i].name)) return k[i].kind;
    return 0;
}

int nd__dict_parse_err(nd_error *err, const char *name, int line, const char *what)
{
    return nd_error_set(err, ND_EPARSE, (size_t) -1, "%s:%d: %s", name, line, what);
}

/* Actor records. */
static int load_actors(nd_analyze_dict *d, const char *name, const char *text, size_t len,
                       nd_error *err)
{
    const char *p = text, *end = text + len;
    int line = 0;
    int32_t ent = -1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t) (end - p));
        if (!nl) nl = end;
        const char *ls = p;
        size_t ll = (size_t) (nl - p);
        p = nl < end ? nl + 1 : end;
        line++;
        nd_slice t = nd__trim(ls, ll);
        if (t.len == 0 || t.ptr[0] == '#') continue;
        if (ls[0] != ' ' && ls[0] != '\t') {
            /* kind CODE Name */
            const char *q = t.ptr, *te = t.ptr + t.len;
            nd_slice kw = next_piece(&q, te, ' ');
            nd_slice code = next_piece(&q, te, ' ');
            nd_slice nm = nd__trim(q, (size_t) (te - q));
            int kind = kind_of(kw);
            if (!kind || code.len == 0 || nm.len == 0)
                return nd__dict_parse_err(err, name, line, "expected 'KIND CODE Name'");
            ent = add_entity(d, kind, code.ptr, code.len, nm.ptr, nm.len);
            if (ent < 0) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            int rc = 0;
            /* The canonical name is a name too (agents: a plain noun). */
            if (kind == ND_ACTOR_AGENT) {
                rc = add_phrase(d, (uint32_t) ent, ND__PH_AGENT, nm.ptr, nm.len, 0, NULL, NULL);
                if (!rc) rc = add_plural(d, (uint32_t) ent, ND__PH_AGENT, nm.ptr, nm.len, NULL);
            } else {
                rc = add_phrase(d, (uint32_t) ent, ND__PH_NAME, nm.ptr, nm.len, 1, NULL, NULL);
            }
            if (rc) return nd_error_set(err, rc, (size_t) -1, "out of memory");
            continue;
        }
        if (ent < 0) return nd__dict_parse_err(err, name, line, "field before any record");
        const char *colon = memchr(t.ptr, ':', t.len);
        if (!colon) return nd__dict_parse_err(err, name, line, "expected 'key: values'");
        nd_slice key = nd__trim(t.ptr, (size_t) (colon - t.ptr));
        const char *q = colon + 1, *te = t.ptr + t.len;
        nd__entity *e = &d->ents[ent];
        int is_agent = e->kind == ND_ACTOR_AGENT;
        if (nd_slice_eq_c(key, "gender")) {
            nd_slice v = nd__trim(q, (size_t) (te - q));
            e->gender = v.len ? v.ptr[0] : 0;
            continue;
        }
        if (nd_slice_eq_c(key, "role") && e->kind == ND_ACTOR_PERSON) {
            nd_slice code = next_piece(&q, te, '|');
            nd_slice keys = next_piece(&q, te, '|');
            nd_slice from = next_piece(&q, te, '|');
            nd_slice to = next_piece(&q, te, '|');
            int32_t f = ND__DAY_MIN, tt = ND__DAY_MAX;
            if (code.len == 0) return nd__dict_parse_err(err, name, line, "role without a code");
            if (from.len && nd__parse_day(from.ptr, from.len, &f))
                return nd__dict_parse_err(err, name, line, "bad role start date");
            if (to.len && nd__parse_day(to.ptr, to.len, &tt))
                return nd__dict_parse_err(err, name, line, "bad role end date");
            /* ",key,key," so that lookups can search ",key,". */
            nd_buf kb = ND_BUF_INIT;
            nd_buf_putc(&kb, ',');
            const char *kq = keys.ptr, *ke = keys.ptr + keys.len;
            while (kq < ke) {
                nd_slice k = next_piece(&kq, ke, ',');
                if (k.len) nd_buf_append(&kb, k.ptr, k.len), nd_buf_putc(&kb, ',');
            }
            char *ks = nd_buf_failed(&kb) ? NULL : nd_arena_strndup(d->arena, kb.ptr, kb.len);
            nd_buf_free(&kb);
            if (!ks || add_role(d, (uint32_t) ent, code.ptr, code.len, ks, f, tt))
                return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            continue;
        }
        int how;
        if (nd_slice_eq_c(key, "name"))
            how = is_agent ? ND__PH_AGENT : ND__PH_NAME;
        else if (nd_slice_eq_c(key, "adj"))
            how = ND__PH_ADJ;
        else if (nd_slice_eq_c(key, "people"))
            how = ND__PH_PEOPLE;
        else if (nd_slice_eq_c(key, "capital") || nd_slice_eq_c(key, "place"))
            how = ND__PH_CAPITAL;
        else if (nd_slice_eq_c(key, "seat"))
            how = ND__PH_SEAT;
        else if (nd_slice_eq_c(key, "role"))
            how = ND__PH_ROLE;
        else
            return nd__dict_parse_err(err, name, line, "unknown key");
        while (q < te) {
            nd_slice v = next_piece(&q, te, ';');
            if (!v.len) continue;
            const char *suffix = NULL, *role_key = NULL;
            char sufbuf[8];
            const char *eq = memchr(v.ptr, '=', v.len);
            nd_slice ph = v;
            if (eq) {
                ph = nd__trim(v.ptr, (size_t) (eq - v.ptr));
                nd_slice rhs = nd__trim(eq + 1, (size_t) (v.ptr + v.len - eq - 1));
                if (how == ND__PH_SEAT) {
                    snprintf(sufbuf, sizeof sufbuf, "%.*s", (int) rhs.len, rhs.ptr);
                    suffix = sufbuf;
                } else if (how == ND__PH_ROLE) {
                    role_key = nd_arena_strndup(d->arena, rhs.ptr, rhs.len);
                }
            }
            if (how == ND__PH_ROLE && !role_key)
                role_key = nd_arena_strndup(d->arena, ph.ptr, ph.len);
            if (how == ND__PH_ROLE && !role_key)
                return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            int keep_case = !(is_agent);
            int rc =
                add_phrase(d, (uint32_t) ent, how, ph.ptr, ph.len, keep_case, suffix, role_key);
            if (!rc && is_agent && how == ND__PH_AGENT)
                rc = add_plural(d, (uint32_t) ent, how, ph.ptr, ph.len, NULL);
            if (rc) return nd_error_set(err, rc, (size_t) -1, "out of memory");
        }
    }
    return 0;
}

/* Register every form of a head word for pattern pi. */
static int add_forms(nd_analyze_dict *d, nd__map *map, const char *const *forms, size_t n,
                     uint32_t idx, uint32_t *nexts, size_t stride)
{
    for (size_t i = 0; i < n; i++) {
        if (!forms[i] || !forms[i][0]) continue;
        /* Skip duplicates within this call. */
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            if (forms[j] && !strcmp(forms[j], forms[i])) dup = 1;
        if (dup) continue;
        uint32_t *slot;
        int r = nd__map_put(d->arena, map, forms[i], strlen(forms[i]), idx, &slot);
        if (r < 0) return r;
        if (r == 1) {
            /* Chain: the new entry points at the old head.  A form shared
             * by several entries is linked once per entry; a second form of
             * the same entry that is already in the chain is not re-linked. */
            uint32_t cur = *slot;
            int seen = 0;
            for (uint32_t c = cur; c != ND__NONE; c = *(uint32_t *) ((char *) nexts + c * stride))
                if (c == idx) seen = 1;
            if (seen) continue;
            *(uint32_t *) ((char *) nexts + idx * stride) = cur;
            *slot = idx;
        }
    }
    return 0;
}

/* Parse "{a b c}" after the head (if any); fills forms and returns the
 * position after the braces. */
static const char *read_forms(const char *q, const char *te, nd_analyze_dict *d, const char **forms,
                              size_t *n, size_t max)
{
    while (q < te && *q == ' ') q++;
    if (q >= te || *q != '{') return q;
    const char *close = memchr(q, '}', (size_t) (te - q));
    if (!close) close = te;
    const char *r = q + 1;
    while (r < close && *n < max) {
        while (r < close && (*r == ' ' || *r == '+')) r++;
        const char *s = r;
        while (r < close && *r != ' ') r++;
        if (r > s) {
            char *f = nd_arena_strndup(d->arena, s, (size_t) (r - s));
            if (f)
                for (char *c = f; *c; c++) {
                    if (*c >= 'A' && *c <= 'Z') *c = (char) (*c + 32);
                    if (*c == '_') *c = ' ';
                }
            forms[(*n)++] = f;
        }
    }
    return close < te ? close + 1 : te;
}

char *nd__lower_dup(nd_analyze_dict *d, const char *s, size_t n)
{
    char *f = nd_arena_strndup(d->arena, s, n);
    if (f)
        for (char *c = f; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char) (*c + 32);
    return f;
}

/* Forms of a head: explicit ones, or lemma + regular inflections. */
static size_t head_forms(nd_analyze_dict *d, const char *lemma, const char **explicit_forms,
                         size_t n_explicit, int noun, const char **forms)
{
    size_t n = 0;
    forms[n++] = lemma;
    if (n_explicit) {
        for (size_t i = 0; i < n_explicit && n < 12; i++) forms[n++] = explicit_forms[i];
        return n;
    }
    if (noun) return n;
    char inf[3][64];
    nd__inflect(lemma, inf);
    for (int i = 0; i < 3; i++) forms[n++] = nd_arena_strndup(d->arena, inf[i], strlen(inf[i]));
    return n;
}

static int load_cues(nd_analyze_dict *d, const char *name, const char *text, size_t len,
                     nd_error *err)
{
    const char *p = text, *end = text + len;
    int line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t) (end - p));
        if (!nl) nl = end;
        nd_slice t = nd__trim(p, (size_t) (nl - p));
        p = nl < end ? nl + 1 : end;
        line++;
        if (!t.len || t.ptr[0] == '#') continue;
        const char *q = t.ptr, *te = t.ptr + t.len;
        nd_slice cls = next_piece(&q, te, ' ');
        while (q < te && *q == ' ') q++;
        const char *ls = q;
        while (q < te && *q != ' ') q++;
        if (q == ls) return nd__dict_parse_err(err, name, line, "expected 'CLASS LEMMA'");
        int c = nd_slice_eq_c(cls, "say")     ? ND__CUE_SAY
                : nd_slice_eq_c(cls, "tell")  ? ND__CUE_TELL
                : nd_slice_eq_c(cls, "think") ? ND__CUE_THINK
                : nd_slice_eq_c(cls, "call")  ? ND__CUE_CALL
                : nd_slice_eq_c(cls, "act")   ? ND__CUE_ACT
                                              : 0;
        if (!c) return nd__dict_parse_err(err, name, line, "unknown cue class");
        const char *lemma = nd__lower_dup(d, ls, (size_t) (q - ls));
        const char *ex[12];
        size_t nex = 0;
        read_forms(q, te, d, ex, &nex, 12);
        const char *forms[16];
        size_t nf = head_forms(d, lemma, ex, nex, 0, forms);
        if (nd__dict_grow((void **) &d->cues, &d->cap_cues, d->n_cues + 1, sizeof *d->cues))
            return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        nd__cue *cu = &d->cues[d->n_cues];
        cu->cls = (uint8_t) c;
        cu->lemma = lemma;
        cu->next = ND__NONE;
        if (add_forms(d, &d->cue_map, forms, nf, (uint32_t) d->n_cues, &d->cues[0].next,
                      sizeof *d->cues))
            return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        d->n_cues++;
    }
    return 0;
}

static int new_vpat(nd_analyze_dict *d, const char *code, int flags, const char **words,
                    int n_words, int target_at, const char **forms, size_t nf)
{
    if (nd__dict_grow((void **) &d->vpats, &d->cap_vpats, d->n_vpats + 1, sizeof *d->vpats))
        return ND_ENOMEM;
    nd__vpat *v = &d->vpats[d->n_vpats];
    memset(v, 0, sizeof *v);
    snprintf(v->code, sizeof v->code, "%s", code);
    v->flags = (uint8_t) flags;
    v->n_words = (uint8_t) n_words;
    v->target_at = (int8_t) target_at;
    for (int i = 0; i < n_words; i++) v->words[i] = words[i];
    v->next = ND__NONE;
    if (add_forms(d, &d->verb_map, forms, nf, (uint32_t) d->n_vpats, &d->vpats[0].next,
                  sizeof *d->vpats))
        return ND_ENOMEM;
    d->n_vpats++;
    return 0;
}

static int load_verbs(nd_analyze_dict *d, const char *name, const char *text, size_t len,
                      nd_error *err)
{
    const char *p = text, *end = text + len;
    int line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t) (end - p));
        if (!nl) nl = end;
        nd_slice t = nd__trim(p, (size_t) (nl - p));
        p = nl < end ? nl + 1 : end;
        line++;
        if (!t.len || t.ptr[0] == '#') continue;
        const char *q = t.ptr, *te = t.ptr + t.len;
        nd_slice code = next_piece(&q, te, ' ');
        if (!code.len || !digits(code.ptr, code.len) || code.len > 4)
            return nd__dict_parse_err(err, name, line, "expected a CAMEO code");
        while (q < te && *q == ' ') q++;
        const char *hs = q;
        while (q < te && *q != ' ') q++;
        if (q == hs) return nd__dict_parse_err(err, name, line, "expected a head word");
        const char *head = nd__lower_dup(d, hs, (size_t) (q - hs));
        const char *ex[12];
        size_t nex = 0;
        q = read_forms(q, te, d, ex, &nex, 12);
        const char *words[8];
        int nw = 0, target_at = -1, flags = 0;
        while (q < te) {
            while (q < te && *q == ' ') q++;
            const char *ws = q;
            while (q < te && *q != ' ') q++;
            if (q == ws) break;
            size_t wl = (size_t) (q - ws);
            if (wl == 1 && *ws == '+') {
                target_at = nw;
            } else if (*ws == '@') {
                if (wl == 4 && !memcmp(ws, "@sym", 4))
                    flags |= ND__VF_SYM;
                else if (wl == 5 && !memcmp(ws, "@noun", 5))
                    flags |= ND__VF_NOUN;
                else if (wl == 8 && !memcmp(ws, "@passive", 8))
                    flags |= ND__VF_PASSIVE;
                else
                    return nd__dict_parse_err(err, name, line, "unknown flag");
            } else if (*ws == '{') {
                return nd__dict_parse_err(err, name, line, "{forms} must follow the head word");
            } else if ((wl == 1 && *ws == 'a') || (wl == 2 && !memcmp(ws, "an", 2)) ||
                       (wl == 3 && !memcmp(ws, "the", 3))) {
                /* articles are left to the gaps: "signed a trade agreement" */
            } else if (nw < 8) {
                words[nw++] = nd__lower_dup(d, ws, wl);
            }
        }
        /* A multi-word noun head ("air strike", "joint military drills")
         * is written with its words following: the first word is the head. */
        char cbuf[8];
        snprintf(cbuf, sizeof cbuf, "%.*s", (int) code.len, code.ptr);
        const char *forms[16];
        size_t nf = head_forms(d, head, ex, nex, flags & ND__VF_NOUN, forms);
        if (flags & ND__VF_NOUN) {
            /* plural of a noun head */
            char pl[72];
            size_t hl = strlen(head);
            if (hl && head[hl - 1] != 's') {
                snprintf(pl, sizeof pl, "%ss", head);
                forms[nf++] = nd_arena_strndup(d->arena, pl, strlen(pl));
            }
        }
        if (new_vpat(d, cbuf, flags, words, nw, target_at, forms, nf))
            return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        if (nd__vlex_add_project(d, cbuf,
                                 ((flags & ND__VF_SYM) ? ND__VR_SYM : 0) |
                                     ((flags & ND__VF_NOUN) ? ND__VR_NOUN : 0),
                                 (flags & ND__VF_PASSIVE) != 0, head, forms + 1, nf - 1, words, nw,
                                 target_at, (uint32_t) line))
            return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    return 0;
}

static int load_cameo(nd_analyze_dict *d, const char *name, const char *text, size_t len,
                      nd_error *err)
{
    const char *p = text, *end = text + len;
    int line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t) (end - p));
        if (!nl) nl = end;
        nd_slice t = nd__trim(p, (size_t) (nl - p));
        p = nl < end ? nl + 1 : end;
        line++;
        if (!t.len || t.ptr[0] == '#') continue;
        const char *q = t.ptr, *te = t.ptr + t.len;
        nd_slice code = next_piece(&q, te, '\t');
        nd_slice gs = next_piece(&q, te, '\t');
        nd_slice qc = next_piece(&q, te, '\t');
        nd_slice nm = nd__trim(q, (size_t) (te - q));
        if (!code.len || code.len > 6 || !gs.len || !qc.len)
            return nd__dict_parse_err(err, name, line, "expected CODE GOLDSTEIN QUAD NAME");
        if (nd__dict_grow((void **) &d->cameo, &d->cap_cameo, d->n_cameo + 1, sizeof *d->cameo))
            return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        nd__cameo *c = &d->cameo[d->n_cameo];
        snprintf(c->code, sizeof c->code, "%.*s", (int) code.len, code.ptr);
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%.*s", (int) gs.len, gs.ptr);
        c->goldstein = strtod(tmp, NULL);
        c->quad = qc.ptr[0] - '0';
        c->name = nd_arena_strndup(d->arena, nm.ptr, nm.len);
        uint32_t *slot;
        int r = nd__map_put(d->arena, &d->cameo_map, c->code, strlen(c->code),
                            (uint32_t) d->n_cameo, &slot);
        if (r < 0) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        if (r == 1) *slot = (uint32_t) d->n_cameo;
        d->n_cameo++;
    }
    return 0;
}

int nd__dict_load_text(nd_analyze_dict *d, const char *name, const char *text, size_t len,
                       nd_error *err)
{
    if (len >= 7 && !memcmp(text, "# verbs", 7)) return load_verbs(d, name, text, len, err);
    if (len >= 13 && !memcmp(text, "# cameo-verbs", 13))
        return nd__vlex_load_compact(d, name, text, len, err);
    if (len >= 6 && !memcmp(text, "# cues", 6)) return load_cues(d, name, text, len, err);
    if (len >= 7 && !memcmp(text, "# CAMEO", 7)) return load_cameo(d, name, text, len, err);
    return load_actors(d, name, text, len, err);
}

/* ---- PETRARCH / Phoenix --------------------------------------------------- */

/* "SOME_PHRASE_" -> "some phrase" (underscores are spaces; a trailing one
 * marks a phrase that PETRARCH does not stem). */
static size_t petr_phrase(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        char c = s[i];
        if (c == '_') c = ' ';
        out[o++] = c;
    }
    while (o && out[o - 1] == ' ') o--;
    out[o] = 0;
    return o;
}

/* Parse "[CODE daterange]" -> code and dates; returns 0 on success. */
static int petr_code(nd_slice b, char *code, size_t cap, int32_t *from, int32_t *to)
{
    const char *q = b.ptr, *e = b.ptr + b.len;
    *from = ND__DAY_MIN, *to = ND__DAY_MAX;
    while (q < e && (*q == '[' || *q == ' ' || *q == '~')) q++;
    const char *cs = q;
    while (q < e && *q != ' ' && *q != ']') q++;
    size_t cn = (size_t) (q - cs);
    size_t o = 0;
    for (size_t i = 0; i < cn && o + 1 < cap; i++)
        if (cs[i] != '~') code[o++] = cs[i];
    code[o] = 0;
    if (!o) return -1;
    while (q < e && *q == ' ') q++;
    const char *ds = q;
    while (q < e && *q != ']') q++;
    nd_slice dr = nd__trim(ds, (size_t) (q - ds));
    if (dr.len) {
        int32_t a;
        if (dr.ptr[0] == '>') {
            if (!nd__parse_day(dr.ptr + 1, dr.len - 1, &a)) *from = a;
        } else if (dr.ptr[0] == '<') {
            if (!nd__parse_day(dr.ptr + 1, dr.len - 1, &a)) *to = a;
        } else {
            const char *dash = memchr(dr.ptr, '-', dr.len);
            if (dash) {
                if (!nd__parse_day(dr.ptr, (size_t) (dash - dr.ptr), &a)) *from = a;
                if (!nd__parse_day(dash + 1, (size_t) (dr.ptr + dr.len - dash - 1), &a)) *to = a;
            }
        }
    }
    return 0;
}

static int petr_actors(nd_analyze_dict *d, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    /* Phrases of the current record, added once its codes are known. */
    nd_slice names[64];
    int n_names = 0;
    char codes[8][16];
    int32_t froms[8], tos[8];
    int n_codes = 0;
    for (;;) {
        int at_end = p >= end;
        const char *nl = at_end ? end : memchr(p, '\n', (size_t) (end - p));
        if (!nl) nl = end;
        const char *ls = p;
        size_t ll = (size_t) (nl - p);
        if (!at_end) p = nl < end ? nl + 1 : end;
        /* strip comments */
        const char *hash = at_end ? NULL : memchr(ls, '#', ll);
        if (hash) ll = (size_t) (hash - ls);
        nd_slice t = nd__trim(ls, ll);
        int new_record =
            at_end || (t.len && ls[0] != ' ' && ls[0] != '\t' && ls[0] != '+' && ls[0] != '[');
        if (new_record && n_names) {
            /* flush */
            const char *code = n_codes ? codes[0] : "---";
            int person = 0;
            for (int i = 0; i < n_codes; i++)
                if (froms[i] != ND__DAY_MIN || tos[i] != ND__DAY_MAX) person = 1;
            int kind =
                person ? ND_ACTOR_PERSON : (strlen(code) == 3 ? ND_ACTOR_COUNTRY : ND_ACTOR_ORG);
            char nm[256];
            size_t nl2 = petr_phrase(names[0].ptr, names[0].len, nm, sizeof nm);
            /* Canonical name in title case. */
            int up = 1;
            for (size_t i = 0; i < nl2; i++) {
                char c = nm[i];
                if (c >= 'A' && c <= 'Z' && !up) nm[i] = (char) (c + 32);
                up = c == ' ' || c == '-';
            }
            int32_t ent = add_entity(d, kind, code, strlen(code), nm, nl2);
            if (ent < 0) return ND_ENOMEM;
            d->ents[ent].petrarch = 1;
            for (int i = 0; person && i < n_codes; i++) {
                const char *keys = ",leader,";
                if (add_role(d, (uint32_t) ent, codes[i], strlen(codes[i]), keys, froms[i], tos[i]))
                    return ND_ENOMEM;
            }
            for (int i = 0; i < n_names; i++) {
                char ph[256];
                size_t pl = petr_phrase(names[i].ptr, names[i].len, ph, sizeof ph);
                if (!pl) continue;
                /* PETRARCH phrases are upper case: require a capital first letter. */
                int rc = add_phrase(d, (uint32_t) ent, ND__PH_NAME, ph, pl, 0, NULL, NULL);
                if (rc) return rc;
                nd__phrase *pp = &d->phrases[d->n_phrases - 1];
                if (pp->entity == (uint32_t) ent) pp->caseq[0] = ND__CASE_CAP;
            }
            n_names = 0;
            n_codes = 0;
        }
        if (at_end) break;
        if (!t.len) continue;
        if (t.ptr[0] == '[') {
            if (n_codes < 8 && !petr_code(t, codes[n_codes], 16, &froms[n_codes], &tos[n_codes]))
                n_codes++;
            continue;
        }
        const char *name_s = t.ptr;
        if (*name_s == '+') name_s++;
        const char *br = memchr(name_s, '[', (size_t) (t.ptr + t.len - name_s));
        size_t name_n = br ? (size_t) (br - name_s) : (size_t) (t.ptr + t.len - name_s);
        nd_slice nm = nd__trim(name_s, name_n);
        /* Drop "{...}" plural lists and parenthesised notes from the phrase. */
        const char *brace = memchr(nm.ptr, '{', nm.len);
        if (brace) nm = nd__trim(nm.ptr, (size_t) (brace - nm.ptr));
        if (nm.len && n_names < 64) names[n_names++] = nm;
        if (br && n_codes < 8) {
            nd_slice b = nd__trim(br, (size_t) (t.ptr + t.len - br));
            if (!petr_code(b, codes[n_codes], 16, &froms[n_codes], &tos[n_codes])) n_codes++;
        }
    }
    return 0;
}

static int petr_agents(nd_analyze_dict *d, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t) (end - p));
        if (!nl) nl = end;
        const char *ls = p;
        size_t ll = (size_t) (nl - p);
        p = nl < end ? nl + 1 : end;
        const char *hash = memchr(ls, '#', ll);
        if (hash) ll = (size_t) (hash - ls);
        nd_slice t = nd__trim(ls, ll);
        if (!t.len) continue;
        const char *br = memchr(t.ptr, '[', t.len);
        if (!br) continue;
        char code[16];
        int32_t f, to;
        if (petr_code(nd__trim(br, (size_t) (t.ptr + t.len - br)), code, sizeof code, &f, &to))
            continue;
        nd_slice nm = nd__trim(t.ptr, (size_t) (br - t.ptr));
        const char *brace = memchr(nm.ptr, '{', nm.len);
        nd_slice plural = {NULL, 0};
        if (brace) {
            const char *close = memchr(brace, '}', (size_t) (nm.ptr + nm.len - brace));
            if (close) plural = nd__trim(brace + 1, (size_t) (close - brace - 1));
            nm = nd__trim(nm.ptr, (size_t) (brace - nm.ptr));
        }
        /* "BUSINESS!PERSON!" style markers are dropped. */
        char ph[256];
        size_t pl = petr_phrase(nm.ptr, nm.len, ph, sizeof ph);
        char *bang = memchr(ph, '!', pl);
        if (bang) {
            *bang = 0;
            pl = strlen(ph);
        }
        if (!pl) continue;
        int32_t ent = add_entity(d, ND_ACTOR_AGENT, code, strlen(code), ph, pl);
        if (ent < 0) return ND_ENOMEM;
        d->ents[ent].petrarch = 1;
        int rc = add_phrase(d, (uint32_t) ent, ND__PH_AGENT, ph, pl, 0, NULL, NULL);
        if (!rc) rc = add_plural(d, (uint32_t) ent, ND__PH_AGENT, ph, pl, NULL);
        if (!rc && plural.len) {
            pl = petr_phrase(plural.ptr, plural.len, ph, sizeof ph);
            rc = add_phrase(d, (uint32_t) ent, ND__PH_AGENT, ph, pl, 0, NULL, NULL);
        }
        if (rc) return rc;
    }
    return 0;
}

static int read_whole(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return ND_EIO;
    nd_buf b = ND_BUF_INIT;
    char tmp[65536];
    size_t r;
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0) nd_buf_append(&b, tmp, r);
    int bad = ferror(f);
    fclose(f);
    if (bad || nd_buf_failed(&b)) {
        nd_buf_free(&b);
        return bad ? ND_EIO : ND_ENOMEM;
    }
    if (!b.ptr) nd_buf_putc(&b, 0), b.len = 0;
    *data = nd_buf_detach(&b, len);
    return *data ? 0 : ND_ENOMEM;
}

static int name_has(const char *name, const char *part)
{
    for (const char *s = name; *s; s++) {
        size_t i = 0;
        while (part[i] && s[i] && (s[i] | 32) == (part[i] | 32)) i++;
        if (!part[i]) return 1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

int nd_analyze_dict_add_petrarch(nd_analyze_dict *d, const char *dir, nd_error *err)
{
    if (!d || !dir) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no dictionary directory");
    DIR *dh = opendir(dir);
    if (!dh) return nd_error_set(err, ND_EIO, (size_t) -1, "%s: cannot open directory", dir);
    char *names[512];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dh)) && n < 512) {
        size_t l = strlen(de->d_name);
        if (l < 4 || strcmp(de->d_name + l - 4, ".txt")) continue;
        names[n] = nd_strndup(de->d_name, l);
        if (names[n]) n++;
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_str);
    int rc = 0, used = 0;
    /* verbs defined here shadow the same verbs of the dictionaries before */
    if (d->vgen < 255) d->vgen++;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *nm = names[i];
        int kind = 0; /* 1 actors, 2 agents, 3 verbs */
        if (name_has(nm, "agents"))
            kind = 2;
        else if (name_has(nm, "actors"))
            kind = 1;
        else if (name_has(nm, "verbs") || (name_has(nm, "CAMEO") && !name_has(nm, "unsorted") &&
                                           !name_has(nm, "verbpatterns")))
            kind = 3;
        if (!kind) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, nm);
        char *data;
        size_t len;
        if (read_whole(path, &data, &len)) {
            rc = nd_error_set(err, ND_EIO, (size_t) -1, "%s: cannot read", path);
            break;
        }
        size_t skipped = 0;
        int r = kind == 1   ? petr_actors(d, data, len)
                : kind == 2 ? petr_agents(d, data, len)
                            : nd__vlex_load_petrarch(d, data, len, &skipped);
        nd_free(data);
        if (r) rc = nd_error_set(err, r, (size_t) -1, "%s: %s", path, nd_strerror(r));
        used++;
    }
    for (size_t i = 0; i < n; i++) nd_free(names[i]);
    if (!rc && !used)
        rc = nd_error_set(err, ND_ENOTFOUND, (size_t) -1,
                          "%s: no PETRARCH actor, agent or verb files (*actors*.txt, "
                          "*agents*.txt, *verbs*.txt, CAMEO.*.txt)",
                          dir);
    return rc;
}

static int load_file(nd_analyze_dict *d, const char *path, nd_error *err)
{
    char *data;
    size_t len;
    if (read_whole(path, &data, &len))
        return nd_error_set(err, ND_EIO, (size_t) -1, "%s: cannot read", path);
    int rc = nd__dict_load_text(d, path, data, len, err);
    nd_free(data);
    return rc;
}

int nd_analyze_dict_add_file(nd_analyze_dict *d, const char *path, nd_error *err)
{
    if (!d || !path) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no file");
    /* verbs defined here shadow the same verbs of the dictionaries before */
    if (d->vgen < 255 && d->n_ents + d->n_verbs + d->n_cameo) d->vgen++;
    return load_file(d, path, err);
}

/* ---- the compiled form --------------------------------------------------------- */

/* The default dictionaries as the build loaded them (tools/gen_dict_blob.c
 * from the texts compiled into the library, written by nd__dict_compile):
 * the loaded arrays and tables of this very build, with each string
 * pointer as an offset into a string pool that follows them.  A process
 * copies the arrays and tables and points the strings into the pool
 * instead of parsing the texts (37 M instructions, 12-16 ms a process).
 * Used only when the texts to load are byte for byte those compiled in
 * (the key: their hash, checked, then the bytes themselves compared), so
 * that an edited data/ directory is read from its text as before. */
extern const unsigned char nd__dict_blob[];
extern const size_t nd__dict_blob_len;

#define DC_MAGIC "NDDICT01"

static nd_analyze_dict *dict_alloc(void);

typedef struct dc_head {
    char magic[8];
    uint64_t key;      /* dc_key() of the texts it was loaded from */
    uint64_t len;      /* bytes of the whole form */
    uint64_t pool;     /* offset of the string pool */
    uint32_t sizes[8]; /* the structs' sizes, a check of the layout */
} dc_head;

typedef struct dc_arr {
    void **p;
    size_t *n, *cap;
    size_t size; /* bytes an entry counted by *n */
    size_t per;  /* elements an entry (*cap counts elements) */
} dc_arr;

#define DC_N_ARRAYS 14
#define DC_N_MAPS   9

static void dc_arrays(nd_analyze_dict *d, dc_arr *a)
{
    size_t k = 0;
#define DC_A(f, per)                                                                               \
    a[k++] = (dc_arr){(void **) &d->f, &d->n_##f, &d->cap_##f, per * sizeof *d->f, per}
    DC_A(ents, 1), DC_A(roles, 1), DC_A(phrases, 1), DC_A(vpats, 1), DC_A(cues, 1);
    DC_A(cameo, 1), DC_A(verbs, 1), DC_A(vkeys, 1), DC_A(vblocks, 1), DC_A(vrules, 1);
    DC_A(pels, 1), DC_A(vsets, 1), DC_A(vset_ents, 1);
    DC_A(vset_bits, 2); /* two words of bits an entry of vset_first */
#undef DC_A
}

static void dc_maps(nd_analyze_dict *d, nd__map **m)
{
    m[0] = &d->phrase_map, m[1] = &d->verb_map, m[2] = &d->cue_map, m[3] = &d->cameo_map;
    m[4] = &d->vverb_map, m[5] = &d->vnoun_map, m[6] = &d->vset_first, m[7] = &d->vset_names;
    m[8] = &d->vset_phrases;
}

static void dc_sizes(uint32_t *sz)
{
    sz[0] = sizeof(nd_analyze_dict), sz[1] = sizeof(nd__entity), sz[2] = sizeof(nd__phrase);
    sz[3] = sizeof(nd__vpat), sz[4] = sizeof(nd__verb), sz[5] = sizeof(nd__vrule);
    sz[6] = sizeof(nd__pel), sz[7] = sizeof(nd__map);
}

/* Every string pointer the dictionaries hold, each given to f. */
static void dc_walk(nd_analyze_dict *d, void (*f)(void *ctx, const char **p), void *ctx)
{
    for (size_t i = 0; i < d->n_ents; i++) f(ctx, &d->ents[i].name), f(ctx, &d->ents[i].role_key);
    for (size_t i = 0; i < d->n_roles; i++) f(ctx, &d->roles[i].keys);
    for (size_t i = 0; i < d->n_phrases; i++) f(ctx, &d->phrases[i].role_key);
    for (size_t i = 0; i < d->n_vpats; i++)
        for (size_t k = 0; k < sizeof d->vpats[i].words / sizeof *d->vpats[i].words; k++)
            f(ctx, &d->vpats[i].words[k]);
    for (size_t i = 0; i < d->n_cues; i++) f(ctx, &d->cues[i].lemma);
    for (size_t i = 0; i < d->n_cameo; i++) f(ctx, &d->cameo[i].name);
    for (size_t i = 0; i < d->n_verbs; i++) {
        f(ctx, &d->verbs[i].lemma);
        for (size_t k = 0; k < sizeof d->verbs[i].rest / sizeof *d->verbs[i].rest; k++)
            f(ctx, &d->verbs[i].rest[k]);
    }
    for (size_t i = 0; i < d->n_vblocks; i++) f(ctx, &d->vblocks[i].name);
    for (size_t i = 0; i < d->n_pels; i++) f(ctx, &d->pels[i].word);
    for (size_t i = 0; i < d->n_vsets; i++) f(ctx, &d->vsets[i].name);
    for (size_t i = 0; i < d->n_vset_ents; i++) f(ctx, &d->vset_ents[i].text);
    nd__map *m[DC_N_MAPS];
    dc_maps(d, m);
    for (size_t k = 0; k < DC_N_MAPS; k++)
        for (size_t i = 0; i < m[k]->cap; i++)
            if (m[k]->hashes[i]) f(ctx, &m[k]->keys[i]);
}

/* The key of a list of texts: their names and bytes, in load order. */
static uint64_t dc_key_add(uint64_t h, const char *name, const void *data, size_t len)
{
    h = nd__mix64(h ^ nd_hash64(name, strlen(name)));
    h = nd__mix64(h ^ nd_hash64(data, len) ^ (uint64_t) len);
    return h;
}

/* The texts the default set loads when no directory is read: the files
 * compiled in, cameo/, actors/, verbs/ (names sort that way within each). */
static const char *const dc_order[] = {"cameo/", "actors/", "verbs/"};

/* The next of those texts in load order after *at (0 to start), or NULL
 * after the last. */
static const nd__blob *embedded_next(size_t *at)
{
    while (*at < 3 * nd__n_data_blobs) {
        size_t o = *at / nd__n_data_blobs, i = *at % nd__n_data_blobs;
        (*at)++;
        const nd__blob *b = &nd__data_blobs[i];
        if (!strncmp(b->name, dc_order[o], strlen(dc_order[o]))) return b;
    }
    return NULL;
}

static uint64_t dc_embedded_key(void)
{
    uint64_t h = 0x6e64646963743031ULL;
    size_t at = 0;
    for (const nd__blob *b; (b = embedded_next(&at));) h = dc_key_add(h, b->name, b->data, b->len);
    return h;
}

typedef struct dc_pool {
    nd__imap seen; /* pointer -> offset + 1 */
    nd_buf text;
    int failed;
} dc_pool;

static void dc_to_off(void *ctx, const char **p)
{
    dc_pool *pl = ctx;
    if (!*p) return;
    int64_t off;
    if (!nd__imap_get(&pl->seen, (uint64_t) (uintptr_t) *p, &off)) {
        off = (int64_t) pl->text.len + 1;
        nd_buf_append(&pl->text, *p, strlen(*p) + 1);
        if (nd__imap_put(&pl->seen, (uint64_t) (uintptr_t) *p, off)) pl->failed = 1;
    }
    *p = (const char *) (uintptr_t) off;
}

static void dc_align(nd_buf *b)
{
    static const char zero[8] = {0};
    if (b->len % 8) nd_buf_append(b, zero, 8 - b->len % 8);
}

int nd__dict_compile(const nd_analyze_dict *src, void **out, size_t *out_len)
{
    /* A shallow copy whose arrays and tables are copies, so that their
     * string pointers can be turned into offsets. */
    nd_analyze_dict c = *src;
    dc_arr a[DC_N_ARRAYS];
    nd__map *m[DC_N_MAPS];
    dc_arrays(&c, a);
    dc_maps(&c, m);
    int rc = 0;
    for (size_t k = 0; k < DC_N_ARRAYS; k++) {
        size_t bytes = *a[k].n * a[k].size;
        void *q = bytes ? nd_malloc(bytes) : NULL;
        if (bytes && !q) rc = ND_ENOMEM;
        if (q) memcpy(q, *a[k].p, bytes);
        *a[k].p = q;
    }
    for (size_t k = 0; k < DC_N_MAPS; k++) {
        nd__map *x = m[k];
        size_t cap = x->cap;
        uint64_t *h = cap ? nd_malloc(cap * sizeof *h) : NULL;
        uint32_t *v = cap ? nd_calloc(cap, sizeof *v) : NULL;
        const char **ks = cap ? nd_calloc(cap, sizeof *ks) : NULL;
        uint32_t *kl = cap ? nd_calloc(cap, sizeof *kl) : NULL;
        if (cap && (!h || !v || !ks || !kl)) rc = ND_ENOMEM;
        for (size_t i = 0; h && v && ks && kl && i < cap; i++) {
            h[i] = x->hashes[i];
            if (h[i]) v[i] = x->vals[i], ks[i] = x->keys[i], kl[i] = x->key_lens[i];
        }
        x->hashes = h, x->vals = v, x->keys = ks, x->key_lens = kl;
    }
    dc_pool pl = {0};
    pl.text = (nd_buf) ND_BUF_INIT;
    if (!rc) {
        dc_walk(&c, dc_to_off, &pl);
        if (pl.failed || nd_buf_failed(&pl.text)) rc = ND_ENOMEM;
    }
    nd_buf b = ND_BUF_INIT;
    if (!rc) {
        dc_head hd;
        memset(&hd, 0, sizeof hd);
        memcpy(hd.magic, DC_MAGIC, 8);
        hd.key = dc_embedded_key();
        dc_sizes(hd.sizes);
        nd_buf_append(&b, &hd, sizeof hd);
        dc_align(&b);
        /* the struct itself, its pointers cleared (its scalars and counts) */
        nd_analyze_dict z = c;
        z.arena = NULL;
        dc_arr za[DC_N_ARRAYS];
        nd__map *zm[DC_N_MAPS];
        dc_arrays(&z, za);
        dc_maps(&z, zm);
        for (size_t k = 0; k < DC_N_ARRAYS; k++) *za[k].p = NULL, *za[k].cap = *za[k].n * za[k].per;
        for (size_t k = 0; k < DC_N_MAPS; k++)
            zm[k]->hashes = NULL, zm[k]->vals = NULL, zm[k]->keys = NULL, zm[k]->key_lens = NULL;
        nd_buf_append(&b, &z, sizeof z);
        dc_align(&b);
        for (size_t k = 0; k < DC_N_ARRAYS; k++) {
            if (*a[k].n) nd_buf_append(&b, *a[k].p, *a[k].n * a[k].size);
            dc_align(&b);
        }
        for (size_t k = 0; k < DC_N_MAPS; k++) {
            size_t cap = m[k]->cap;
            if (!cap) continue;
            nd_buf_append(&b, m[k]->hashes, cap * sizeof *m[k]->hashes);
            nd_buf_append(&b, m[k]->keys, cap * sizeof *m[k]->keys);
            nd_buf_append(&b, m[k]->vals, cap * sizeof *m[k]->vals);
            nd_buf_append(&b, m[k]->key_lens, cap * sizeof *m[k]->key_lens);
            dc_align(&b);
        }
        uint64_t pool = b.len;
        nd_buf_append(&b, pl.text.ptr, pl.text.len);
        dc_align(&b);
        if (nd_buf_failed(&b)) {
            rc = ND_ENOMEM;
        } else {
            dc_head *h = (dc_head *) (void *) b.ptr;
            h->len = b.len;
            h->pool = pool;
        }
    }
    for (size_t k = 0; k < DC_N_ARRAYS; k++) nd_free(*a[k].p);
    for (size_t k = 0; k < DC_N_MAPS; k++) nd__map_free(m[k]);
    nd__imap_free(&pl.seen);
    nd_buf_free(&pl.text);
    if (rc) {
        nd_buf_free(&b);
        return rc;
    }
    *out = nd_buf_detach(&b, out_len);
    return *out ? 0 : ND_ENOMEM;
}

typedef struct dc_fix {
    const char *pool;
    size_t pool_len;
    int bad;
} dc_fix;

static void dc_to_ptr(void *ctx, const char **p)
{
    dc_fix *f = ctx;
    uintptr_t off = (uintptr_t) *p;
    if (!off) return;
    if (off > f->pool_len) {
        f->bad = 1;
        *p = NULL;
        return;
    }
    *p = f->pool + off - 1;
}

static atomic_size_t dict_compiled_loads;

size_t nd__dict_compiled_loads(void)
{
    return atomic_load_explicit(&dict_compiled_loads, memory_order_relaxed);
}

/* The dictionaries from a compiled form: NULL when it is not one of this
 * build's or not of the texts keyed by key (the caller reads the texts). */
nd_analyze_dict *nd__dict_from_compiled(const void *form, size_t len, uint64_t key)
{
    const unsigned char *p = form;
    dc_head hd;
    uint32_t sizes[8];
    dc_sizes(sizes);
    if (!p || len < sizeof hd || (uintptr_t) p % 8) return NULL;
    memcpy(&hd, p, sizeof hd);
    if (memcmp(hd.magic, DC_MAGIC, 8) || hd.key != key || hd.len != len ||
        memcmp(hd.sizes, sizes, sizeof sizes) || hd.pool > len)
        return NULL;
    nd_analyze_dict *d = dict_alloc();
    if (!d) return NULL;
    size_t o = (sizeof hd + 7) / 8 * 8;
    if (o + sizeof *d > hd.pool) goto bad;
    nd_arena *ar = d->arena;
    memcpy(d, p + o, sizeof *d);
    d->arena = ar;
    o += (sizeof *d + 7) / 8 * 8;
    dc_arr a[DC_N_ARRAYS];
    nd__map *m[DC_N_MAPS];
    dc_arrays(d, a);
    dc_maps(d, m);
    /* nothing owned yet: clear every pointer before the first allocation */
    for (size_t k = 0; k < DC_N_ARRAYS; k++) *a[k].p = NULL, *a[k].cap = 0;
    size_t caps[DC_N_MAPS];
    for (size_t k = 0; k < DC_N_MAPS; k++) {
        caps[k] = m[k]->cap;
        m[k]->hashes = NULL, m[k]->vals = NULL, m[k]->keys = NULL, m[k]->key_lens = NULL;
        m[k]->cap = 0;
    }
    size_t counts[DC_N_ARRAYS];
    for (size_t k = 0; k < DC_N_ARRAYS; k++) counts[k] = *a[k].n, *a[k].n = 0;
    for (size_t k = 0; k < DC_N_ARRAYS; k++) {
        size_t bytes = counts[k] * a[k].size;
        if (bytes > hd.pool - o) goto bad;
        if (bytes) {
            if (!(*a[k].p = nd_malloc(bytes))) goto bad;
            memcpy(*a[k].p, p + o, bytes);
            *a[k].n = counts[k];
            *a[k].cap = counts[k] * a[k].per;
        }
        o += (bytes + 7) / 8 * 8;
    }
    for (size_t k = 0; k < DC_N_MAPS; k++) {
        size_t cap = caps[k];
        if (!cap) continue;
        size_t bytes = cap * (sizeof(uint64_t) + sizeof(char *) + 2 * sizeof(uint32_t));
        if (cap & (cap - 1) || bytes > hd.pool - o) goto bad;
        nd__map *x = m[k];
        x->hashes = nd_malloc(cap * sizeof *x->hashes);
        x->keys = nd_malloc(cap * sizeof *x->keys);
        x->vals = nd_malloc(cap * sizeof *x->vals);
        x->key_lens = nd_malloc(cap * sizeof *x->key_lens);
        if (!x->hashes || !x->keys || !x->vals || !x->key_lens) goto bad;
        x->cap = cap;
        memcpy(x->hashes, p + o, cap * sizeof *x->hashes), o += cap * sizeof *x->hashes;
        memcpy(x->keys, p + o, cap * sizeof *x->keys), o += cap * sizeof *x->keys;
        memcpy(x->vals, p + o, cap * sizeof *x->vals), o += cap * sizeof *x->vals;
        memcpy(x->key_lens, p + o, cap * sizeof *x->key_lens), o += cap * sizeof *x->key_lens;
        o = (o + 7) / 8 * 8;
    }
    if (o != hd.pool) goto bad;
    dc_fix f = {(const char *) p + hd.pool, len - hd.pool, 0};
    dc_walk(d, dc_to_ptr, &f);
    if (f.bad) goto bad;
    atomic_fetch_add_explicit(&dict_compiled_loads, 1, memory_order_relaxed);
    return d;
bad:
    nd_analyze_dict_free(d);
    return NULL;
}

/* ---- construction ------------------------------------------------------------ */

static nd_analyze_dict *dict_alloc(void)
{
    nd_analyze_dict *d = nd_calloc(1, sizeof *d);
    if (!d) return NULL;
    d->arena = nd_arena_new(1 << 16);
    if (!d->arena) {
        nd_free(d);
        return NULL;
    }
    return d;
}

static int dir_exists(const char *p)
{
    struct stat st;
    return p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The compiled form of the texts compiled in, or NULL (none built, or not
 * of this build's texts: the caller reads them). */
static nd_analyze_dict *load_compiled(void)
{
    if (!nd__dict_blob_len) return NULL;
    return nd__dict_from_compiled(nd__dict_blob, nd__dict_blob_len, dc_embedded_key());
}

typedef struct dir_text {
    char *path; /* DIR/SUB/NAME */
    size_t rel; /* where SUB/NAME starts in path */
    char *data;
    size_t len;
} dir_text;

/* Whether texts are the files compiled in, names and bytes. */
static int same_as_embedded(const dir_text *t, size_t n)
{
    size_t j = 0, at = 0;
    for (const nd__blob *b; (b = embedded_next(&at)); j++)
        if (j >= n || strcmp(t[j].path + t[j].rel, b->name) || t[j].len != b->len ||
            memcmp(t[j].data, b->data, b->len))
            return 0;
    return j == n;
}

/* The default file set, relative to a data directory: every file is read
 * first, and when they are the texts compiled in, *dp becomes their
 * compiled form; else they are loaded into *dp in order. */
static int load_dir(nd_analyze_dict **dp, const char *dir, nd_error *err)
{
    static const char *const subdirs[] = {"cameo", "actors", "verbs"};
    int any = 0, rc = 0;
    dir_text *t = NULL;
    size_t n = 0, cap = 0;
    const char *unread = NULL; /* the first file that could not be read */
    for (size_t s = 0; s < 3 && !rc && !unread; s++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", dir, subdirs[s]);
        DIR *dh = opendir(sub);
        if (!dh) continue;
        char *names[256];
        size_t nn = 0;
        struct dirent *de;
        while ((de = readdir(dh)) && nn < 256) {
            size_t l = strlen(de->d_name);
            if (l > 4 && !strcmp(de->d_name + l - 4, ".txt"))
                if ((names[nn] = nd_strndup(de->d_name, l))) nn++;
        }
        closedir(dh);
        qsort(names, nn, sizeof *names, cmp_str);
        for (size_t i = 0; i < nn; i++) {
            if (!rc && !unread && nd__dict_grow((void **) &t, &cap, n + 1, sizeof *t))
                rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
            if (!rc && !unread) {
                char path[4200];
                int pl = snprintf(path, sizeof path, "%s/%s", sub, names[i]);
                dir_text *x = &t[n];
                memset(x, 0, sizeof *x);
                x->path = nd_strndup(path, (size_t) (pl > 0 ? pl : 0));
                x->rel = strlen(dir) + 1;
                if (!x->path)
                    rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
                else if (read_whole(x->path, &x->data, &x->len))
                    unread = x->path;
                n++;
            }
            nd_free(names[i]);
        }
        any = 1;
    }
    nd_analyze_dict *c = !rc && !unread && any && same_as_embedded(t, n) ? load_compiled() : NULL;
    if (c) {
        nd_analyze_dict_free(*dp);
        *dp = c;
    }
    for (size_t i = 0; i < n && !c && !rc && t[i].data; i++)
        rc = nd__dict_load_text(*dp, t[i].path, t[i].data, t[i].len, err);
    if (!rc && unread) rc = nd_error_set(err, ND_EIO, (size_t) -1, "%s: cannot read", unread);
    for (size_t i = 0; i < n; i++) nd_free(t[i].path), nd_free(t[i].data);
    nd_free(t);
    if (rc) return rc;
    if (!any) return nd_error_set(err, ND_ENOTFOUND, (size_t) -1, "%s: no dictionary files", dir);
    return 0;
}

static int load_embedded_text(nd_analyze_dict *d, nd_error *err)
{
    /* Same order as load_dir: cameo, actors, verbs (names sort that way
     * within each directory). */
    size_t at = 0;
    for (const nd__blob *b; (b = embedded_next(&at));) {
        int rc = nd__dict_load_text(d, b->name, (const char *) b->data, b->len, err);
        if (rc) return rc;
    }
    return 0;
}

static int load_embedded(nd_analyze_dict **dp, nd_error *err)
{
    nd_analyze_dict *c = load_compiled();
    if (c) {
        nd_analyze_dict_free(*dp);
        *dp = c;
        return 0;
    }
    return load_embedded_text(*dp, err);
}

nd_analyze_dict *nd__dict_load_embedded(nd_error *err)
{
    nd_analyze_dict *d = dict_alloc();
    if (!d) {
        nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        return NULL;
    }
    if (load_embedded_text(d, err)) {
        nd_analyze_dict_free(d);
        return NULL;
    }
    return d;
}

nd_analyze_dict *nd_analyze_dict_new(const char *data_dir, nd_error *err)
{
    nd_analyze_dict *d = dict_alloc();
    if (!d) {
        nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        return NULL;
    }
    int rc;
    if (data_dir) {
        rc = load_dir(&d, data_dir, err);
    } else {
        const char *env = getenv("NEWSDESK_DATA_DIR");
        if (dir_exists(env)) rc = load_dir(&d, env, err);
#ifdef ND_DATA_DIR
        else if (dir_exists(ND_DATA_DIR "/actors"))
            rc = load_dir(&d, ND_DATA_DIR, err);
#endif
        else
            rc = load_embedded(&d, err);
    }
    if (rc) {
        nd_analyze_dict_free(d);
        return NULL;
    }
    return d;
}

void nd_analyze_dict_free(nd_analyze_dict *d)
{
    if (!d) return;
    nd__map_free(&d->phrase_map);
    nd__map_free(&d->verb_map);
    nd__map_free(&d->cue_map);
    nd__map_free(&d->cameo_map);
    nd_free(d->ents), nd_free(d->roles), nd_free(d->phrases), nd_free(d->vpats);
    nd_free(d->cues), nd_free(d->cameo);
    nd__vlex_free(d);
    nd_arena_free(d->arena);
    nd_free(d);
}

size_t nd_analyze_dict_size(const nd_analyze_dict *d, size_t *n_phrases, size_t *n_verbs)
{
    if (!d) return 0;
    if (n_phrases) *n_phrases = d->n_phrases;
    if (n_verbs) *n_verbs = d->n_vpats;
    return d->n_ents;
}

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static nd_analyze_dict *default_dict;
static nd_error default_err;

static void load_default(void)
{
    default_dict = nd_analyze_dict_new(NULL, &default_err);
}

const nd_analyze_dict *nd_analyze_dict_default(nd_error *err)
{
    pthread_once(&default_once, load_default);
    if (!default_dict && err) *err = default_err;
    return default_dict;
}

int nd_cameo_lookup(const nd_analyze_dict *d, const char *code, const char **name,
                    double *goldstein, int *quad)
{
    if (!d || !code) return ND_ENOTFOUND;
    char c[8];
    snprintf(c, sizeof c, "%s", code);
    /* Longest known prefix (a PETRARCH code may be finer than the table). */
    for (size_t n = strlen(c); n >= 2; n--) {
        uint32_t i = nd__map_get(&d->cameo_map, c, n);
        if (i != ND__NONE) {
            const nd__cameo *k = &d->cameo[i];
            if (name) *name = k->name;
            if (goldstein) *goldstein = k->goldstein;
            if (quad) *quad = k->quad;
            return 0;
        }
    }
    return ND_ENOTFOUND;
}
