/* keywords.c - the distinctive phrases of a text (newsdesk/keywords.h).
 *
 * Candidates: the analysis's actors (people, organisations, groups,
 * countries), runs of capitalised words ("Friends of Steel"), phrases of
 * two or three words that recur, and single words.  Each is scored
 *
 *     weight(kind) * (1 + ln count) * idf,   idf = ln((N + 1) / (df + 1)) + 1
 *
 * where df is the document frequency of its rarest word (a phrase is as
 * distinctive as its most distinctive word).  N and df count the caller's
 * documents and the word-rarity prior's (prior_docs documents, of which
 * the share the prior gives the word hold it): without it, a store's
 * first run, which counts no documents, scored every word alike, and its
 * keywords were the most frequent words ("police", "still", "man").
 * Then the best are taken, skipping one whose words a chosen keyword
 * already holds or that holds a chosen keyword's words ("Xi" after "Xi
 * Jinping", "steel" after "Friends of Steel").  Names and phrases are
 * listed before single words. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/keywords.h"
#include "newsdesk/lang.h"
#include "newsdesk/token.h"

#include "cluster/prior.h"

#define MAX_TEXT  65536
#define MAX_WORDS 4   /* words of a name */
#define WORD_CAP  128 /* bytes of one lower-cased word */

const char *nd_keyword_kind_name(int kind)
{
    switch (kind) {
    case ND_KW_ENTITY: return "entity";
    case ND_KW_NAME: return "name";
    case ND_KW_PHRASE: return "phrase";
    default: return "word";
    }
}

void nd_keywords_opts_init(nd_keywords_opts *o)
{
    memset(o, 0, sizeof *o);
    o->prior_docs = ND_KEYWORDS_PRIOR_DOCS;
}

void nd_keywords_free(nd_keywords *k)
{
    if (k) nd_arena_free(k->arena);
}

/* A candidate, keyed by its lower-case text. */
typedef struct cand {
    uint64_t hash;
    char *key;        /* lower case */
    char *text;       /* as shown */
    double idf;       /* of its rarest word */
    double weight;    /* of its kind */
    uint32_t count;   /* occurrences (title twice) */
    uint32_t noninit; /* occurrences not at a sentence start (single names) */
    uint32_t intext;  /* occurrences in the text (not the title) */
    int kind;
    double score;
    double bound; /* at least score: its idf taken as that of a word no document holds */
} cand;

typedef struct ctx {
    nd_arena *ar;
    const nd_keywords_opts *o;
    double prior_m; /* documents the prior counts as (prior_docs) */
    cand *slots;    /* open addressing */
    size_t cap, n;
    int failed;
} ctx;

static cand *lookup(ctx *c, const char *key, size_t len, int create)
{
    uint64_t h = nd_hash64(key, len);
    if (create && (c->n + 1) * 4 > c->cap * 3) {
        size_t nc = c->cap ? c->cap * 2 : 256;
        cand *ns = nd_arena_calloc(c->ar, nc, sizeof *ns);
        if (!ns) {
            c->failed = 1;
            return NULL;
        }
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->slots[i].key) continue;
            size_t k = c->slots[i].hash & (nc - 1);
            while (ns[k].key) k = (k + 1) & (nc - 1);
            ns[k] = c->slots[i];
        }
        c->slots = ns;
        c->cap = nc;
    }
    if (!c->cap) return NULL;
    size_t k = h & (c->cap - 1);
    while (c->slots[k].key) {
        if (c->slots[k].hash == h && !strncmp(c->slots[k].key, key, len) && !c->slots[k].key[len])
            return &c->slots[k];
        k = (k + 1) & (c->cap - 1);
    }
    if (!create) return NULL;
    cand *x = &c->slots[k];
    x->key = nd_arena_strndup(c->ar, key, len);
    if (!x->key) {
        c->failed = 1;
        return NULL;
    }
    x->hash = h;
    c->n++;
    return x;
}

/* Documents the prior counts as: o->prior_docs (0 when not a positive
 * finite number) for English text; none for another language, which the
 * prior hardly lists (its words are those of an English list, and the
 * 3,000 commonest of nine other languages at a ninetieth of the weight:
 * data/wordfreq/README.md), so that the common words of a German text
 * would all look rare to it. */
static double prior_docs(const nd_keywords_opts *o)
{
    const char *l = o->language;
    if (l && *l && strcmp(l, "en")) return 0.0;
    return o->prior_docs > 0 && o->prior_docs <= 1e12 ? o->prior_docs : 0.0;
}

/* The prior's share of articles that hold word w (n bytes, lower case):
 * an abbreviation's ("nov.", "gov.") that of its letters ("nov"); 0 for a
 * word it does not list (a rare word, a number, "covid-19"), as the story
 * engine takes it. */
static double prior_share(const char *w, size_t n)
{
    if (n > 2 && w[n - 1] == '.') n--;
    return nd__prior_word_share(w, n);
}

/* idf of one lower-case word: its df and the prior's documents that hold
 * it, out of the documents df counts and the prior's. */
static double word_idf(ctx *c, const char *w, size_t n)
{
    const nd_keywords_opts *o = c->o;
    double N = (double) o->n_docs;
    int64_t df = o->df ? o->df(o->df_ctx, w, n) : 0;
    if (df < 0) df = 0;
    double d = (double) df;
    if (d > N) N = d;
    if (c->prior_m > 0) {
        d += c->prior_m * prior_share(w, n);
        N += c->prior_m;
    }
    return log((N + 1.0) / (d + 1.0)) + 1.0;
}

/* The idf of a phrase: of its rarest word that is not a stop word. */
static double phrase_idf(ctx *c, const char *key)
{
    double best = 0;
    const char *p = key;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t) (e - p) : strlen(p);
        if (n && !nd_stopword(c->o->language, p, n)) {
            double v = word_idf(c, p, n);
            if (v > best) best = v;
        }
        p += n;
        if (*p) p++;
    }
    return best > 0 ? best : 1.0;
}

static void add(ctx *c, const char *key, size_t klen, const char *text, size_t tlen, int kind,
                double weight, uint32_t count, int initial)
{
    cand *x = lookup(c, key, klen, 1);
    if (!x) return;
    if (!x->text || kind < x->kind) {
        /* The best kind names it (an entity over the same name's run). */
        x->text = nd_arena_strndup(c->ar, text, tlen);
        if (!x->text) c->failed = 1;
        x->kind = kind;
        x->weight = weight;
    }
    x->count += count;
    if (!initial) x->noninit += count;
    if (count == 1) x->intext++;
}

/* Is (w, n) a word of the fixed list?  (The lists carry their lengths:
 * they are read for every token, no strlen per entry.) */
static int in_list(const nd_slice *list, size_t count, const char *w, size_t n)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].len == n && !memcmp(list[i].ptr, w, n)) return 1;
    return 0;
}

static int is_calendar(const char *w, size_t n)
{
    static const nd_slice names[] = {
        ND_SLICE_INIT("monday"),    ND_SLICE_INIT("tuesday"), ND_SLICE_INIT("wednesday"),
        ND_SLICE_INIT("thursday"),  ND_SLICE_INIT("friday"),  ND_SLICE_INIT("saturday"),
        ND_SLICE_INIT("sunday"),    ND_SLICE_INIT("january"), ND_SLICE_INIT("february"),
        ND_SLICE_INIT("march"),     ND_SLICE_INIT("april"),   ND_SLICE_INIT("may"),
        ND_SLICE_INIT("june"),      ND_SLICE_INIT("july"),    ND_SLICE_INIT("august"),
        ND_SLICE_INIT("september"), ND_SLICE_INIT("october"), ND_SLICE_INIT("november"),
        ND_SLICE_INIT("december"),  ND_SLICE_INIT("mr"),      ND_SLICE_INIT("mrs"),
        ND_SLICE_INIT("ms"),        ND_SLICE_INIT("dr"),      ND_SLICE_INIT("said"),
        ND_SLICE_INIT("says")};
    return in_list(names, sizeof names / sizeof *names, w, n);
}

/* Lower-case word i into buf; its length (0 when it is not a word). */
static size_t lower(const char *text, const nd_token *t, char *buf)
{
    if (t->type != ND_TOK_WORD) return 0;
    return nd_token_lower(text, t, 1, buf, WORD_CAP);
}

/* Names joined by these stay one name ("Bank of England"). */
static int connector(const char *w, size_t n)
{
    static const nd_slice c[] = {ND_SLICE_INIT("of"),  ND_SLICE_INIT("de"),  ND_SLICE_INIT("du"),
                                 ND_SLICE_INIT("von"), ND_SLICE_INIT("van"), ND_SLICE_INIT("der"),
                                 ND_SLICE_INIT("al"),  ND_SLICE_INIT("del"), ND_SLICE_INIT("la")};
    return in_list(c, sizeof c / sizeof *c, w, n);
}

/* Candidates from one text; its occurrences count `times`. */
static void scan(ctx *c, const char *text, size_t len, uint32_t times)
{
    if (len > MAX_TEXT) len = MAX_TEXT;
    size_t max = len / 2 + 16, used = 0;
    nd_token *tok = nd_malloc(max * sizeof *tok);
    char(*low)[WORD_CAP] = nd_malloc(max * sizeof *low);
    size_t *ll = nd_malloc(max * sizeof *ll);
    unsigned char *init = nd_malloc(max);
    if (!tok || !low || !ll || !init) {
        c->failed = 1;
        goto out;
    }
    size_t n = nd_tokenize(text, len, tok, max, &used);
    const char *lang = c->o->language;
    /* Lower-case forms, and which tokens start a sentence or a line. */
    for (size_t i = 0; i < n; i++) {
        ll[i] = lower(text, &tok[i], low[i]);
        int start = i == 0;
        if (i > 0) {
            const nd_token *p = &tok[i - 1];
            if (p->type == ND_TOK_PUNCT && (p->flags & (ND_TOKF_SENT_END | ND_TOKF_QUOTE)))
                start = 1;
            if (memchr(text + p->off + p->len, '\n', tok[i].off - (p->off + p->len))) start = 1;
        }
        init[i] = (unsigned char) start;
    }
    /* Two tokens with nothing but spaces between them (no line break). */
#define JOINED(a, b)                                                                               \
    (!memchr(text + tok[a].off + tok[a].len, '\n', tok[b].off - (tok[a].off + tok[a].len)))
    char key[MAX_WORDS * WORD_CAP + 8], shown[MAX_WORDS * WORD_CAP + 8];
    for (size_t i = 0; i < n && !c->failed; i++) {
        if (!ll[i]) continue;
        int stop = nd_stopword(lang, low[i], ll[i]);
        int digit = (tok[i].flags & ND_TOKF_DIGIT) != 0;
        /* Single words (a capitalised one inside a sentence belongs to
         * a name). */
        if (!stop && !digit && ll[i] >= 3 && !is_calendar(low[i], ll[i]) &&
            (!(tok[i].flags & ND_TOKF_CAP) || init[i]))
            add(c, low[i], ll[i], low[i], ll[i], ND_KW_WORD, 1.0, times, 1);
        /* A run of capitalised words starting here (not inside one). */
        int cap = (tok[i].flags & ND_TOKF_CAP) && !stop && !digit && !is_calendar(low[i], ll[i]);
        int inside = i > 0 && ll[i - 1] && (tok[i - 1].flags & ND_TOKF_CAP) &&
                     !(tok[i - 1].flags & ND_TOKF_POSS) && JOINED(i - 1, i) &&
                     !nd_stopword(lang, low[i - 1], ll[i - 1]);
        if (cap && !inside) {
            size_t words = 1, last = i, k = i + 1;
            while (k < n && words < MAX_WORDS) {
                if (!ll[k] || !JOINED(k - 1, k)) break;
                if ((tok[k].flags & ND_TOKF_CAP) && !is_calendar(low[k], ll[k]) &&
                    !(tok[k].flags & ND_TOKF_DIGIT)) {
                    last = k++;
                    words++;
                } else if (connector(low[k], ll[k]) && k + 1 < n && ll[k + 1] &&
                           (tok[k + 1].flags & ND_TOKF_CAP) && JOINED(k, k + 1)) {
                    k++;
                } else {
                    break;
                }
            }
            /* A possessive ends a name ("Russia's Vladimir Putin"). */
            for (size_t m = i; m < last; m++)
                if (tok[m].flags & ND_TOKF_POSS) {
                    last = m;
                    break;
                }
            size_t kl = 0, sl = 0;
            for (size_t m = i; m <= last; m++) {
                if (m > i) {
                    key[kl++] = ' ';
                    shown[sl++] = ' ';
                }
                memcpy(key + kl, low[m], ll[m]);
                kl += ll[m];
                size_t tl = tok[m].len;
                if (tok[m].flags & ND_TOKF_POSS)
                    tl -= tl >= 4 && (unsigned char) text[tok[m].off + tl - 4] == 0xE2 ? 4 : 2;
                if (tl > WORD_CAP) tl = WORD_CAP;
                memcpy(shown + sl, text + tok[m].off, tl);
                sl += tl;
            }
            if (last > i)
                add(c, key, kl, shown, sl, ND_KW_NAME, 1.6, times, 0);
            else if (ll[i] >= 3 && !(tok[i].flags & ND_TOKF_ALLCAPS && ll[i] > 5))
                add(c, key, kl, shown, sl, ND_KW_NAME, 1.1, times, init[i]);
        }
        /* Phrases of two and three lower-case words (the first may be
         * capitalised where a sentence or a quotation starts). */
        if (stop || digit || is_calendar(low[i], ll[i]) ||
            ((tok[i].flags & ND_TOKF_CAP) && !init[i]))
            continue;
        size_t kl = ll[i];
        memcpy(key, low[i], kl);
        for (size_t k = i + 1; k < n && k < i + 3; k++) {
            if (!ll[k] || !JOINED(k - 1, k) || (tok[k].flags & (ND_TOKF_CAP | ND_TOKF_DIGIT)) ||
                (tok[k - 1].flags & ND_TOKF_POSS))
                break;
            key[kl++] = ' ';
            memcpy(key + kl, low[k], ll[k]);
            kl += ll[k];
            if (!nd_stopword(lang, low[k], ll[k]) && !is_calendar(low[k], ll[k]))
                add(c, key, kl, key, kl, ND_KW_PHRASE, 1.4, times, 1);
        }
    }
#undef JOINED
out:
    nd_free(tok);
    nd_free(low);
    nd_free(ll);
    nd_free(init);
}

/* 1 when the words of a are a run of the words of b (whole words). */
static int holds(const char *b, const char *a)
{
    size_t n = strlen(a);
    for (const char *p = strstr(b, a); p; p = strstr(p + 1, a))
        if ((p == b || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ')) return 1;
    return 0;
}

static int by_score(const void *x, const void *y)
{
    const cand *a = *(const cand *const *) x, *b = *(const cand *const *) y;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return strcmp(a->key, b->key);
}

static int by_bound(const void *x, const void *y)
{
    const cand *a = *(const cand *const *) x, *b = *(const cand *const *) y;
    if (a->bound != b->bound) return a->bound > b->bound ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* Names and phrases before single words, each by score. */
static int by_kind(const void *x, const void *y)
{
    const nd_keyword *a = x, *b = y;
    int ga = a->kind == ND_KW_WORD, gb = b->kind == ND_KW_WORD;
    if (ga != gb) return ga - gb;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return strcmp(a->text, b->text);
}

int nd_keywords_extract(const char *text, size_t len, const nd_keywords_opts *opts,
                        nd_keywords **out, nd_error *err)
{
    *out = NULL;
    nd_keywords_opts o;
    if (opts)
        o = *opts;
    else
        nd_keywords_opts_init(&o);
    size_t want = o.max ? o.max : 10;
    if (want > ND_KEYWORDS_MAX) want = ND_KEYWORDS_MAX;
    nd_arena *ar = nd_arena_new(16384);
    nd_keywords *k = ar ? nd_arena_calloc(ar, 1, sizeof *k) : NULL;
    if (!k) {
        nd_arena_free(ar);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    k->arena = ar;
    nd_arena *work = nd_arena_new(65536);
    ctx c = {work, &o, prior_docs(&o), NULL, 0, 0, work == NULL};
    if (o.title && *o.title) scan(&c, o.title, strlen(o.title), 2);
    if (text && len) scan(&c, text, len, 1);
    /* The analysis's actors, by their canonical names. */
    const nd_analysis *an = o.analysis;
    for (size_t i = 0; an && i < an->n_actors && !c.failed; i++) {
        const nd_actor *a = &an->actors[i];
        if (!a->name || !*a->name || !a->n_mentions) continue;
        if (a->kind != ND_ACTOR_PERSON && a->kind != ND_ACTOR_ORG && a->kind != ND_ACTOR_GROUP &&
            a->kind != ND_ACTOR_COUNTRY)
            continue;
        /* An office without a name ("the foreign minister") is no keyword. */
        if (a->kind == ND_ACTOR_PERSON && !(a->name[0] >= 'A' && a->name[0] <= 'Z') &&
            (unsigned char) a->name[0] < 0x80)
            continue;
        char key[256];
        size_t n = strlen(a->name);
        if (n >= sizeof key) continue;
        for (size_t m = 0; m < n; m++) {
            char ch = a->name[m];
            key[m] = ch >= 'A' && ch <= 'Z' ? (char) (ch - 'A' + 'a') : ch;
        }
        key[n] = 0;
        cand *x = lookup(&c, key, n, 1);
        if (!x) break;
        /* The mentions say how often; the run of the same name counted
         * its own occurrences, so keep the larger. */
        uint32_t seen = x->count;
        x->text = nd_arena_strndup(work, a->name, n);
        x->kind = ND_KW_ENTITY;
        x->weight = a->kind == ND_ACTOR_COUNTRY ? 1.0 : 2.0;
        x->count = a->n_mentions > seen ? a->n_mentions : seen;
        x->noninit = x->count;
        if (!x->text) c.failed = 1;
    }
    cand **all = c.failed ? NULL : nd_arena_alloc(work, (c.n ? c.n : 1) * sizeof *all);
    if (!all) {
        nd_arena_free(work);
        nd_keywords_free(k);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    /* No idf is above that of a word no document holds (df 0); the
     * margin covers rounding.  Candidates are scored in the order of that
     * bound, and only while one not yet scored could still beat the best
     * scored one not yet taken: the document frequencies (a store query
     * each) of the many that cannot be chosen are never looked up, and the
     * keywords are the same as when every candidate is scored. */
    double idf_max = (log((double) o.n_docs + c.prior_m + 1.0) + 1.0) * (1.0 + 1e-9);
    if (idf_max < 1.0) idf_max = 1.0;
    size_t m = 0;
    for (size_t i = 0; i < c.cap; i++) {
        cand *x = &c.slots[i];
        if (!x->key) continue;
        /* A phrase must recur; a single capitalised word must occur
         * somewhere a sentence does not start. */
        if (x->kind == ND_KW_PHRASE && x->intext < 2 && !(x->intext && x->count > x->intext))
            continue;
        if (x->kind == ND_KW_NAME && !strchr(x->key, ' ') && !x->noninit) continue;
        x->bound = x->weight * (1.0 + log((double) x->count)) * idf_max;
        if (x->intext && x->count > x->intext) x->bound *= 1.5;
        all[m++] = x;
    }
    qsort(all, m, sizeof *all, by_bound);
    k->items = nd_arena_calloc(ar, want, sizeof *k->items);
    cand **ready = nd_arena_alloc(work, (m ? m : 1) * sizeof *ready); /* scored, not taken */
    if (!k->items || !ready) {
        nd_arena_free(work);
        nd_keywords_free(k);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    const char *chosen[ND_KEYWORDS_MAX];
    size_t next = 0, n_ready = 0;
    while (k->n < want) {
        /* The next candidate by score: the best scored one, once no
         * candidate left unscored can reach it. */
        size_t best = 0;
        for (size_t r = 1; r < n_ready; r++)
            if (by_score(&ready[r], &ready[best]) < 0) best = r;
        while (next < m && (!n_ready || ready[best]->score <= all[next]->bound)) {
            cand *x = all[next++];
            x->idf = phrase_idf(&c, x->key);
            x->score = x->weight * (1.0 + log((double) x->count)) * x->idf;
            /* In the headline and the text: what the story is about. */
            if (x->intext && x->count > x->intext) x->score *= 1.5;
            ready[n_ready++] = x;
            if (n_ready > 1 && by_score(&ready[n_ready - 1], &ready[best]) < 0) best = n_ready - 1;
        }
        if (!n_ready) break;
        cand *x = ready[best];
        ready[best] = ready[--n_ready];
        int dup = 0;
        for (size_t j = 0; j < k->n && !dup; j++)
            dup = holds(chosen[j], x->key) || holds(x->key, chosen[j]);
        if (dup) continue;
        nd_keyword *kw = &k->items[k->n];
        kw->text = nd_arena_strndup(ar, x->text, strlen(x->text));
        if (!kw->text) break;
        kw->score = x->score;
        kw->count = x->count;
        kw->kind = x->kind;
        chosen[k->n++] = x->key;
    }
    qsort(k->items, k->n, sizeof *k->items, by_kind);
    nd_arena_free(work);
    *out = k;
    return 0;
}
