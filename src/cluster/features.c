/*
 * features.c - what the story engine sees of a document.
 *
 * One pass of the project tokenizer over the title and the body gives:
 *   word    stemmed content words (Snowball), stop words dropped
 *   title   stemmed content words of the title, a kind of their own
 *   entity  capitalised words that are names: not at a sentence start unless
 *           the same word is capitalised mid-sentence elsewhere in the text
 *   phrase  runs of such names ("Betty Ford Center", "Bank of America")
 *   number  numbers and words with digits ("6.1-magnitude", "12-year-old")
 *   year    four-digit years 1900-2099
 *   date    month + day ("June 13", "13 June")
 * Each distinct feature gets a raw weight kind-weight x (1 + ln tf); the
 * engine multiplies in the IDF.  The same pass feeds the duplicate sketch.
 */
#include "cluster/cluster_int.h"

#include "base/alloc.h"

#include <ctype.h>
#include <libstemmer.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/extract.h" /* nd_time_format */
#include "newsdesk/lang.h"

#define MAX_WORD   96 /* bytes of a lowercased word considered */
#define MAX_PHRASE 6  /* words in a name phrase */
#define MAX_TITLE  2048

int nd__fx_init(nd__fx *fx, const nd_cluster_params *p)
{
    memset(fx, 0, sizeof *fx);
    fx->stemmer = sb_stemmer_new("english", NULL);
    fx->wc = nd__zalloc_dense(ND__WCACHE_FIRST, sizeof *fx->wc);
    fx->wc_mask = ND__WCACHE_FIRST - 1;
    if (!fx->stemmer || !fx->wc) {
        nd__fx_free(fx);
        return ND_ENOMEM;
    }
    fx->kw[ND__F_WORD] = p->w_word;
    fx->kw[ND__F_TITLE] = p->w_title;
    fx->kw[ND__F_ENTITY] = p->w_entity;
    fx->kw[ND__F_PHRASE] = p->w_phrase;
    fx->kw[ND__F_NUMBER] = p->w_number;
    fx->kw[ND__F_YEAR] = p->w_year;
    fx->kw[ND__F_DATE] = p->w_date;
    fx->lead_words = p->lead_words;
    fx->lead_boost = p->lead_boost;
    fx->occ = 1.0f;
    fx->prior = p->prior_docs > 0 ? nd__prior_get() : NULL;
    return 0;
}

void nd__fx_free(nd__fx *fx)
{
    if (fx->stemmer) sb_stemmer_delete(fx->stemmer);
    nd_free(fx->tok);
    nd_free(fx->fk);
    nd_free(fx->ftf);
    nd_free(fx->fkind);
    nd_free(fx->ck);
    nd_free(fx->fused);
    nd_free(fx->cused);
    nd_free(fx->out);
    nd_free(fx->wc);
    nd_free(fx->wt);
    nd_free(fx->lbuf);
    nd_free(fx->join);
    memset(fx, 0, sizeof *fx);
}

size_t nd__fx_bytes(const nd__fx *fx)
{
    return fx->tok_cap * sizeof(nd_token) +
           fx->fcap * (sizeof(uint64_t) + sizeof(float) + 1 + sizeof(uint32_t) / 2) +
           fx->ccap * (sizeof(uint64_t) + sizeof(uint32_t) / 2) + fx->out_cap * sizeof(nd__feat) +
           (fx->wc ? ((size_t) fx->wc_mask + 1) * sizeof *fx->wc : 0) + fx->join_cap;
}

/* ---- scratch sets ------------------------------------------------------------ */

static int scratch_reset(uint64_t **keys, uint32_t **used, uint32_t *cap, uint32_t *n,
                         uint32_t want, float **tf, uint32_t **kind)
{
    uint32_t c = 64;
    while (c < want * 2) c *= 2;
    if (c > *cap) {
        uint64_t *k = nd_calloc(c, sizeof *k);
        uint32_t *u = nd_malloc((size_t) c / 2 * sizeof *u);
        float *t = tf ? nd_malloc((size_t) c * sizeof *t) : NULL;
        uint32_t *d = kind ? nd_malloc((size_t) c * sizeof *d) : NULL;
        if (!k || !u || (tf && !t) || (kind && !d)) {
            nd_free(k);
            nd_free(u);
            nd_free(t);
            nd_free(d);
            return ND_ENOMEM;
        }
        nd_free(*keys);
        *keys = k;
        nd_free(*used);
        *used = u;
        if (tf) {
            nd_free(*tf);
            *tf = t;
        }
        if (kind) {
            nd_free(*kind);
            *kind = d;
        }
        *cap = c;
    } else {
        /* The table keeps the size of the largest text so far: clear
         * only the slots the last text took, not all of it. */
        for (uint32_t i = 0; i < *n; i++) (*keys)[(*used)[i]] = 0;
    }
    *n = 0;
    return 0;
}

/* The capitalised-mid-sentence set: membership of lowercase word hashes. */
static void cset_add(nd__fx *fx, uint64_t h)
{
    h = nd__fhash(h);
    if (fx->cn * 2 >= fx->ccap) return; /* sized for the text: cannot happen */
    uint32_t j = (uint32_t) nd__mix64(h) & (fx->ccap - 1);
    while (fx->ck[j]) {
        if (fx->ck[j] == h) return;
        j = (j + 1) & (fx->ccap - 1);
    }
    fx->ck[j] = h;
    fx->cused[fx->cn++] = j;
}

static int cset_has(const nd__fx *fx, uint64_t h)
{
    h = nd__fhash(h);
    uint32_t j = (uint32_t) nd__mix64(h) & (fx->ccap - 1);
    while (fx->ck[j]) {
        if (fx->ck[j] == h) return 1;
        j = (j + 1) & (fx->ccap - 1);
    }
    return 0;
}

/* The hashed id of a feature (kind, bytes). */
uint64_t nd__feat_hash(int kind, const char *s, size_t n)
{
    char key[MAX_WORD * MAX_PHRASE + 8];
    if (n > sizeof key - 2) n = sizeof key - 2;
    key[0] = (char) ('a' + kind);
    key[1] = ':';
    memcpy(key + 2, s, n);
    return nd__fhash(nd_hash64(key, n + 2));
}

/* Count one occurrence of feature h (pq: its prior, nd__feat.pq). */
static void feat_count(nd__fx *fx, uint64_t h, int kind, uint16_t pq)
{
    if (fx->fn * 2 >= fx->fcap) return; /* sized for the text: cannot happen */
    uint32_t j = (uint32_t) nd__mix64(h) & (fx->fcap - 1);
    while (fx->fk[j]) {
        if (fx->fk[j] == h) {
            fx->ftf[j] += fx->occ;
            return;
        }
        j = (j + 1) & (fx->fcap - 1);
    }
    fx->fk[j] = h;
    fx->ftf[j] = fx->occ;
    fx->fkind[j] = (uint32_t) kind | (uint32_t) pq << 8;
    fx->fused[fx->fn++] = j;
}

/* A feature the prior does not list (numbers, years, dates, phrases). */
static void feat_add(nd__fx *fx, int kind, const char *s, size_t n)
{
    feat_count(fx, nd__feat_hash(kind, s, n), kind, 1);
}

static uint16_t prior_pq(const nd__fx *fx, uint64_t h)
{
    int q = fx->prior ? nd__prior_q(fx->prior, h) : -1;
    return (uint16_t) (q < 0 ? 1 : q + 2);
}

/* ---- word classes ------------------------------------------------------------ */

/* Month number (1-12) of a lowercased English month name or abbreviation,
 * else 0. */
static int month_of(const char *w, size_t n)
{
    static const char *const full[] = {"january",   "february", "march",    "april",
                                       "may",       "june",     "july",     "august",
                                       "september", "october",  "november", "december"};
    static const unsigned char len[] = {7, 8, 5, 5, 3, 4, 4, 6, 9, 7, 8, 8};
    if (n && w[n - 1] == '.') n--;
    if (n < 3 || n > 9) return 0;
    for (int i = 0; i < 12; i++) {
        if (len[i] == n && !memcmp(full[i], w, n)) return i + 1;
        if (n == 3 && !memcmp(full[i], w, 3)) return i + 1;
    }
    if (n == 4 && !memcmp(w, "sept", 4)) return 9;
    return 0;
}

static int is_weekday(const char *w, size_t n)
{
    static const char *const d[] = {"monday", "tuesday",  "wednesday", "thursday",
                                    "friday", "saturday", "sunday"};
    static const unsigned char len[] = {6, 7, 9, 8, 6, 8, 6};
    if (n < 6 || n > 9 || w[n - 3] != 'd' || w[n - 2] != 'a' || w[n - 1] != 'y') return 0;
    for (int i = 0; i < 7; i++)
        if (len[i] == n && !memcmp(d[i], w, n)) return 1;
    return 0;
}

/* Leading decimal value of a token (stops at the first non-digit); -1 when
 * it does not start with a digit or is too long. */
static long lead_int(const char *s, size_t n)
{
    long v = 0;
    size_t i = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        if (i >= 6) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return i ? v : -1;
}

static int is_day_number(const char *s, size_t n)
{
    long v = lead_int(s, n);
    if (v < 1 || v > 31) return 0;
    /* "13", "13th", "1st", "13," - but not "13.5" or "13:00" */
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == n) return 1;
    const char *r = s + i;
    size_t rn = n - i;
    return (rn == 2 && (!memcmp(r, "st", 2) || !memcmp(r, "nd", 2) || !memcmp(r, "rd", 2) ||
                        !memcmp(r, "th", 2)));
}

/* Sort features by hash (quicksort, insertion sort for short runs; the
 * hashes are random, so the middle element is a fine pivot). */
static void feat_sort(nd__feat *a, long n)
{
    while (n > 16) {
        uint64_t piv = a[n / 2].h;
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i].h < piv) i++;
            while (a[j].h > piv) j--;
            if (i >= j) break;
            nd__feat t = a[i];
            a[i++] = a[j];
            a[j--] = t;
        }
        /* recurse into the smaller part, loop on the larger */
        if (j + 1 < n - j - 1) {
            feat_sort(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            feat_sort(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    for (long i = 1; i < n; i++) {
        nd__feat x = a[i];
        long j = i;
        while (j > 0 && a[j - 1].h > x.h) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* ---- the pass --------------------------------------------------------------- */

struct nd__wtok {
    uint64_t lh;  /* hash of the lowercased form (words) */
    uint32_t lo;  /* offset of the lowercased form in lbuf */
    uint16_t ln;  /* its length */
    uint8_t init; /* starts a sentence (or a quotation, a line) */
    uint8_t stop; /* a stop word */
};
typedef struct nd__wtok wtok;

static int grow_tokens(nd__fx *fx, size_t need)
{
    if (need <= fx->tok_cap) return 0;
    size_t cap = fx->tok_cap ? fx->tok_cap : 1024;
    while (cap < need) cap *= 2;
    nd_token *t = nd_realloc(fx->tok, cap * sizeof *t);
    if (!t) return ND_ENOMEM;
    fx->tok = t;
    fx->tok_cap = cap;
    return 0;
}

/* Tokenize all of text (in pieces) into fx->tok; returns the count or -1. */
static long tokenize_all(nd__fx *fx, const char *text, size_t len)
{
    size_t n = 0, pos = 0;
    while (pos < len) {
        if (n + 256 > fx->tok_cap && grow_tokens(fx, n + 1024)) return -1;
        size_t used = 0;
        size_t k = nd_tokenize(text + pos, len - pos, fx->tok + n, fx->tok_cap - n, &used);
        for (size_t i = 0; i < k; i++) fx->tok[n + i].off += (uint32_t) pos;
        n += k;
        if (used == 0) break; /* cannot happen: the tokenizer always advances */
        pos += used;
    }
    return (long) n;
}

static int is_opener(const char *text, const nd_token *t)
{
    if (t->type != ND_TOK_PUNCT) return 0;
    if (t->flags & (ND_TOKF_SENT_END | ND_TOKF_OPENQ)) return 1;
    char c = text[t->off];
    return c == ':' || c == '(' || c == '[' || c == ';' || c == '|' ||
           (t->len == 3 && (unsigned char) c == 0xE2); /* dashes and bullets */
}

static int newline_between(const char *text, const nd_token *a, const nd_token *b)
{
    for (uint32_t i = a->off + a->len; i < b->off; i++)
        if (text[i] == '\n') return 1;
    return 0;
}

/* What the word cache knows of a lowercased word: whether it is a stop
 * word and the ids of its stem as a word and as a title word.  Stemming is
 * the costliest step of the features; news repeats its words. */
static const nd__wcache *word_info(nd__fx *fx, const char *low, size_t n, uint64_t lh)
{
    nd__wcache *e = &fx->wc[lh & fx->wc_mask];
    if (e->key == lh) return e;
    if (++fx->wc_miss > fx->wc_mask && fx->wc_mask + 1 < ND__WCACHE) {
        /* a bigger cache, empty (out of memory: this one) */
        nd__wcache *w = nd__zalloc_dense(((size_t) fx->wc_mask + 1) * 2, sizeof *w);
        if (w) {
            nd_free(fx->wc);
            fx->wc = w;
            fx->wc_mask = fx->wc_mask * 2 + 1;
            fx->wc_miss = 0;
            e = &fx->wc[lh & fx->wc_mask];
        }
    }
    e->key = lh;
    e->stop = (uint8_t) nd_stopword(NULL, low, n);
    const sb_symbol *st = sb_stemmer_stem(fx->stemmer, (const sb_symbol *) low, (int) n);
    const char *w = low;
    size_t wn = n;
    if (st && sb_stemmer_length(fx->stemmer) > 0) {
        w = (const char *) st;
        wn = (size_t) sb_stemmer_length(fx->stemmer);
    }
    e->word = nd__feat_hash(ND__F_WORD, w, wn);
    e->title = nd__feat_hash(ND__F_TITLE, w, wn);
    e->name = nd__feat_hash(ND__F_ENTITY, low, n);
    e->pq_stem = prior_pq(fx, e->word); /* the title id has the same */
    e->pq_name = prior_pq(fx, e->name);
    return e;
}

/* Numbers: drop thousands separators; years and times apart. */
static void add_number(nd__fx *fx, const char *s, size_t n)
{
    char buf[40];
    size_t o = 0;
    for (size_t i = 0; i < n && o < sizeof buf; i++) {
        if (s[i] == ':') return; /* a time of day or a score: too common */
        if (s[i] != ',') buf[o++] = s[i];
    }
    if (o == 4 && buf[0] >= '1' && buf[0] <= '2') {
        long y = lead_int(buf, 4);
        if (y >= 1900 && y <= 2099) {
            feat_add(fx, ND__F_YEAR, buf, 4);
            fx->seen_year = 1;
            return;
        }
    }
    feat_add(fx, ND__F_NUMBER, buf, o);
}

static void add_date(nd__fx *fx, int month, const char *day, size_t n)
{
    char buf[16];
    long d = lead_int(day, n);
    int k = 0;
    buf[k++] = (char) ('a' + month);
    buf[k++] = (char) ('0' + d / 10);
    buf[k++] = (char) ('0' + d % 10);
    feat_add(fx, ND__F_DATE, buf, (size_t) k);
    fx->seen_date = 1;
}

/* ---- the event's attributes (negative evidence) ---------------------------- */

/* Words of the body's lead searched for attributes: news says where and
 * how big in its first sentences; later paragraphs recall other events. */
#define ATTR_LEAD 50

static void attr_add(nd__fx *fx, uint64_t h, float slot)
{
    uint32_t have = 0;
    for (uint32_t i = 0; i < fx->n_attr; i++) {
        if (fx->attr[i].w != slot) continue;
        if (fx->attr[i].h == h) return;
        have++;
    }
    if (have < ND__A_MAX) fx->attr[fx->n_attr++] = (nd__feat){nd__fhash(h), slot, 1};
}

static int word_is(const char *low, size_t n, const char *w)
{
    return strlen(w) == n && !memcmp(low, w, n);
}

/* A magnitude "5.9" (one decimal, 1.0-9.9) as tenths, else -1. */
static int magnitude_of(const char *s, size_t n)
{
    if (n < 3 || s[0] < '1' || s[0] > '9' || s[1] != '.' || s[2] < '0' || s[2] > '9') return -1;
    if (n > 3 && s[3] >= '0' && s[3] <= '9') return -1;
    return (s[0] - '0') * 10 + (s[2] - '0');
}

/* Words that report a death, an injury ("killing", "dead", "wounded"). */
static int death_word(const char *w, size_t n)
{
    static const char *const d[] = {"kill",  "killed", "killing", "kills",  "killer",
                                    "dead",  "die",    "died",    "dies",   "dying",
                                    "death", "deaths", "fatal",   "fatally"};
    if (n < 3 || n > 7 || (w[0] != 'k' && w[0] != 'd' && w[0] != 'f')) return 0;
    for (size_t i = 0; i < sizeof d / sizeof *d; i++)
        if (word_is(w, n, d[i])) return 1;
    return 0;
}

static int injury_word(const char *w, size_t n)
{
    return (n >= 5 && (!memcmp(w, "injur", 5) || !memcmp(w, "wound", 5))) || word_is(w, n, "hurt");
}

/* The attributes of the body's lead (tokens [0, nb) of text): places,
 * magnitudes, deaths or injuries, into fx->attr. */
static void lead_attrs(nd__fx *fx, const char *text, size_t nb)
{
    const struct nd__wtok *wt = fx->wt;
    size_t words = 0;
    int dead = 0, hurt = 0;
    size_t i = 0;
    for (; i < nb && words < ATTR_LEAD; i++) {
        const nd_token *t = &fx->tok[i];
        if (t->type != ND_TOK_WORD && t->type != ND_TOK_NUM) continue;
        const char *low = fx->lbuf + wt[i].lo;
        size_t ln = wt[i].ln;
        words++;
        if (t->type == ND_TOK_WORD) {
            if (death_word(low, ln))
                dead = 1;
            else if (injury_word(low, ln))
                hurt = 1;
        }
        /* Where: "in Vancouver", "at the Kraft plant", "near Mount Cook":
         * a run of names after the preposition; the place is its longest
         * word (a word other reports of the event name too). */
        if (t->type == ND_TOK_WORD && (word_is(low, ln, "in") || word_is(low, ln, "at") ||
                                       word_is(low, ln, "near") || word_is(low, ln, "outside"))) {
            size_t j = i + 1;
            if (j < nb && word_is(fx->lbuf + wt[j].lo, wt[j].ln, "the")) j++;
            size_t best = 0, best_n = 0;
            for (size_t k = 0; k < 3 && j < nb; k++, j++) {
                const nd_token *u = &fx->tok[j];
                const char *ul = fx->lbuf + wt[j].lo;
                size_t un = wt[j].ln;
                if (u->type != ND_TOK_WORD || !(u->flags & (ND_TOKF_CAP | ND_TOKF_ALLCAPS)) ||
                    (u->flags & ND_TOKF_DIGIT) || wt[j].stop || un < 2 || month_of(ul, un) ||
                    is_weekday(ul, un) || newline_between(text, &fx->tok[j - 1], u) ||
                    (wt[j].init && !cset_has(fx, wt[j].lh)))
                    break;
                if (un > best_n) {
                    best = j;
                    best_n = un;
                }
            }
            if (best_n) {
                const nd__wcache *wi =
                    word_info(fx, fx->lbuf + wt[best].lo, wt[best].ln, wt[best].lh);
                attr_add(fx, wi->word ^ ND__A_SALT_PLACE, ND__A_PLACE);
            }
        }
        /* How big: "5.9-magnitude", "magnitude-5.2", "a magnitude of 6.1",
         * "6.1 on the Richter scale". */
        int mag = -1;
        if (t->type == ND_TOK_WORD && (t->flags & ND_TOKF_DIGIT)) {
            if (ln == 13 && !memcmp(low + 3, "-magnitude", 10))
                mag = magnitude_of(low, 3);
            else if (ln == 13 && !memcmp(low, "magnitude-", 10))
                mag = magnitude_of(low + 10, 3);
            else if (ln == 11 && !memcmp(low, "magnitude-", 10) && i + 2 < nb) {
                /* the tokenizer cuts "magnitude-5.2" at the point */
                const nd_token *pt = &fx->tok[i + 1], *dg = &fx->tok[i + 2];
                char m[3] = {low[10], '.', text[dg->off]};
                if (pt->off == t->off + t->len && text[pt->off] == '.' && dg->len == 1 &&
                    dg->off == pt->off + 1)
                    mag = magnitude_of(m, 3);
            }
        } else if (t->type == ND_TOK_NUM && (mag = magnitude_of(low, ln)) >= 0) {
            int near = 0;
            for (size_t k = i > 2 ? i - 2 : 0; k < i + 4 && k < nb && !near; k++) {
                const char *kl = fx->lbuf + wt[k].lo;
                near = word_is(kl, wt[k].ln, "magnitude") ||
                       (k > i && word_is(kl, wt[k].ln, "richter"));
            }
            if (!near) mag = -1;
        }
        if (mag >= 0) attr_add(fx, ND__A_SALT_MAG + (uint64_t) mag, ND__A_MAG);
    }
    /* Who was hurt: the lead reports deaths, or injuries and no death is
     * named anywhere (then nobody died, as far as the report knows). */
    int death_later = 0;
    for (; hurt && !dead && !death_later && i < nb; i++)
        if (fx->tok[i].type == ND_TOK_WORD) death_later = death_word(fx->lbuf + wt[i].lo, wt[i].ln);
    if (dead)
        attr_add(fx, ND__A_SALT_TOLL + ND__TOLL_DEAD, ND__A_TOLL);
    else if (hurt && !death_later)
        attr_add(fx, ND__A_SALT_TOLL + ND__TOLL_HURT, ND__A_TOLL);
}

/* Whether text opens with the title (after white space, ignoring case). */
static int starts_with_title(const char *text, size_t text_len, const char *title, size_t title_len)
{
    size_t i = 0, j = 0;
    while (i < text_len && isspace((unsigned char) text[i])) i++;
    while (j < title_len && isspace((unsigned char) title[j])) j++;
    while (title_len > j && isspace((unsigned char) title[title_len - 1])) title_len--;
    if (j == title_len) return 1;
    for (; j < title_len; i++, j++) {
        if (i >= text_len) return 0;
        if (tolower((unsigned char) text[i]) != tolower((unsigned char) title[j])) return 0;
    }
    return 1;
}

int nd__fx_doc(nd__fx *fx, const char *title, size_t title_len, const char *text, size_t text_len,
               int64_t published, nd__feat **feats, uint32_t *n_feats, nd_dup_sketch *sk)
{
    if (!title) title_len = 0;
    if (!text) text_len = 0;
    if (title_len > MAX_TITLE) title_len = MAX_TITLE;
    if (text_len > ND__CL_MAX_TEXT) text_len = ND__CL_MAX_TEXT;
    *feats = NULL;
    *n_feats = 0;
    fx->seen_date = fx->seen_year = 0;
    size_t body_off = 0; /* where the text proper starts in text */
    /* The body is read as the headline's paragraph followed by the text:
     * an extractor that took the title line out of the text leaves the
     * document saying what it said with it. */
    if (title_len && !starts_with_title(text, text_len, title, title_len)) {
        size_t n = title_len + 2 + text_len;
        if (n > fx->join_cap) {
            char *j = nd_realloc(fx->join, n);
            if (!j) return ND_ENOMEM;
            fx->join = j;
            fx->join_cap = n;
        }
        memcpy(fx->join, title, title_len);
        memcpy(fx->join + title_len, "\n\n", 2);
        if (text_len) memcpy(fx->join + title_len + 2, text, text_len);
        text = fx->join;
        text_len = n;
        body_off = title_len + 2; /* the duplicate sketch reads the text only */
        if (text_len > ND__CL_MAX_TEXT) text_len = ND__CL_MAX_TEXT;
    }

    /* Body tokens first (their count sizes the scratch). */
    long nt = tokenize_all(fx, text, text_len);
    if (nt < 0) return ND_ENOMEM;
    size_t nb = (size_t) nt;
    /* Title tokens after them in the same array, offsets into title. */
    if (grow_tokens(fx, nb + title_len + 2)) return ND_ENOMEM;
    size_t used = 0;
    size_t ntt = nd_tokenize(title, title_len, fx->tok + nb, fx->tok_cap - nb, &used);
    size_t total = nb + ntt;

    size_t lneed = (text_len + title_len) * 2 + 16;
    if (total + 1 > fx->wt_cap) {
        wtok *n = nd_realloc(fx->wt, (total + 1) * sizeof *n);
        if (!n) return ND_ENOMEM;
        fx->wt = n;
        fx->wt_cap = total + 1;
    }
    if (lneed > fx->lbuf_cap) {
        char *n = nd_realloc(fx->lbuf, lneed);
        if (!n) return ND_ENOMEM;
        fx->lbuf = n;
        fx->lbuf_cap = lneed;
    }
    wtok *wt = fx->wt;
    char *lbuf = fx->lbuf;
    if (scratch_reset(&fx->fk, &fx->fused, &fx->fcap, &fx->fn, (uint32_t) (total * 4 + 64),
                      &fx->ftf, &fx->fkind) ||
        scratch_reset(&fx->ck, &fx->cused, &fx->ccap, &fx->cn, (uint32_t) (total + 64), NULL, NULL))
        return ND_ENOMEM;

    /* Pass A: lowercase forms, sentence starts, the sketch, and the words
     * seen capitalised mid-sentence. */
    nd__dupacc acc;
    nd__dup_begin(&acc);
    size_t lpos = 0;
    for (size_t i = 0; i < total; i++) {
        const nd_token *t = &fx->tok[i];
        const char *src = i < nb ? text : title;
        wtok *w = &wt[i];
        memset(w, 0, sizeof *w);
        w->lo = (uint32_t) lpos;
        if (t->type == ND_TOK_WORD || t->type == ND_TOK_NUM) {
            char low[MAX_WORD * 4 + 8];
            size_t ln = nd_token_lower(src, t, 1, low, sizeof low);
            if (ln > MAX_WORD) ln = MAX_WORD;
            memcpy(lbuf + lpos, low, ln);
            w->ln = (uint16_t) ln;
            lpos += ln;
            w->lh = nd__dup_token_hash(low, ln); /* nd_hash64: also the word's key */
            if (i < nb && t->off >= body_off) nd__dup_token(&acc, w->lh);
            if (t->type == ND_TOK_WORD && ln) w->stop = word_info(fx, low, ln, w->lh)->stop;
        }
        int first = i == 0 || i == nb;
        if (!first) {
            const nd_token *p = &fx->tok[i - 1];
            w->init = is_opener(src, p) || newline_between(src, p, t);
        } else {
            w->init = 1;
        }
    }
    nd__dup_end(&acc, title, title_len, sk);
    /* A line in title case or capitals (a headline repeated in the body, a
     * dateline) says nothing about which words are names: its words count
     * as sentence starts. */
    for (size_t a = 0; a < nb;) {
        size_t b = a + 1;
        while (b < nb && !newline_between(text, &fx->tok[b - 1], &fx->tok[b])) b++;
        size_t words = 0, caps = 0;
        for (size_t i = a; i < b; i++) {
            const nd_token *t = &fx->tok[i];
            if (t->type != ND_TOK_WORD) continue;
            if (wt[i].stop) continue;
            words++;
            if (t->flags & (ND_TOKF_CAP | ND_TOKF_ALLCAPS)) caps++;
        }
        if (words >= 3 && caps * 10 >= words * 7)
            for (size_t i = a; i < b; i++) wt[i].init = 1;
        a = b;
    }
    for (size_t i = 0; i < nb; i++) {
        const nd_token *t = &fx->tok[i];
        if (t->type == ND_TOK_WORD && !wt[i].init && (t->flags & ND_TOKF_CAP))
            cset_add(fx, nd_hash64(lbuf + wt[i].lo, wt[i].ln));
    }

    fx->n_attr = 0;
    lead_attrs(fx, text, nb);

    /* Pass B: features. */
    int run = 0; /* words in the current name run, assembled in phr */
    char phr[MAX_WORD * MAX_PHRASE + 4 * MAX_PHRASE + 8];
    size_t phr_n = 0;
    size_t nwords = 0;
    for (size_t i = 0; i < total; i++) {
        const nd_token *t = &fx->tok[i];
        const char *src = i < nb ? text : title;
        int in_title = i >= nb;
        wtok *w = &wt[i];
        /* The lead (and the title) says what the event is; later
         * paragraphs add background, often about other events. */
        if (in_title)
            fx->occ = (float) (1.0 + fx->lead_boost);
        else if (fx->lead_words > 0 && nwords < fx->lead_words)
            fx->occ = (float) (1.0 + fx->lead_boost * (1.0 - (double) nwords / fx->lead_words));
        else
            fx->occ = 1.0f;
        if (t->type == ND_TOK_WORD || t->type == ND_TOK_NUM) nwords += !in_title;
        const char *low = lbuf + w->lo;
        size_t ln = w->ln;
        int ends_run = 1;

        if (t->type == ND_TOK_WORD && ln) {
            uint64_t lh = w->lh;
            const nd__wcache *wi = word_info(fx, low, ln, lh);
            int stop = wi->stop;
            int capital = (t->flags & (ND_TOKF_CAP | ND_TOKF_ALLCAPS)) != 0;
            int digit = (t->flags & ND_TOKF_DIGIT) != 0;
            int month = capital ? month_of(low, ln) : 0;
            /* Dates: "June 13" / "13 June". */
            if (month && i + 1 < total && (i + 1 < nb) == !in_title) {
                const nd_token *nx = &fx->tok[i + 1];
                if ((nx->type == ND_TOK_NUM || nx->type == ND_TOK_WORD) &&
                    is_day_number(src + nx->off, nx->len))
                    add_date(fx, month, src + nx->off, nx->len);
            }
            if (month && i > 0 && (i - 1 < nb) == !in_title && i != nb) {
                const nd_token *pv = &fx->tok[i - 1];
                if ((pv->type == ND_TOK_NUM || pv->type == ND_TOK_WORD) &&
                    is_day_number(src + pv->off, pv->len))
                    add_date(fx, month, src + pv->off, pv->len);
            }
            if (digit) {
                feat_add(fx, ND__F_NUMBER, low, ln);
            } else if (!stop && ln >= 2 && !month && !is_weekday(low, ln)) {
                if (in_title)
                    feat_count(fx, wi->title, ND__F_TITLE, wi->pq_stem);
                else
                    feat_count(fx, wi->word, ND__F_WORD, wi->pq_stem);
                int ent = capital && (in_title ? cset_has(fx, lh) : (!w->init || cset_has(fx, lh)));
                if (ent) {
                    feat_count(fx, wi->name, ND__F_ENTITY, wi->pq_name);
                    if (run < MAX_PHRASE) {
                        if (run) phr[phr_n++] = ' ';
                        memcpy(phr + phr_n, low, ln);
                        phr_n += ln;
                        run++;
                    }
                    ends_run = (t->flags & ND_TOKF_POSS) != 0;
                    /* a break in the text ends it too */
                    if (!ends_run && i + 1 < total && (i + 1 < nb) == !in_title &&
                        newline_between(src, t, &fx->tok[i + 1]))
                        ends_run = 1;
                }
            } else if (run && !in_title && ln == 2 && !memcmp(low, "of", 2) && i + 1 < nb &&
                       (fx->tok[i + 1].flags & ND_TOKF_CAP) && fx->tok[i + 1].type == ND_TOK_WORD) {
                /* "Bank of America": a connector inside a name run */
                if (run < MAX_PHRASE) {
                    memcpy(phr + phr_n, " of", 3);
                    phr_n += 3;
                }
                ends_run = 0;
            }
        } else if (t->type == ND_TOK_NUM && ln) {
            add_number(fx, low, ln);
        }
        if (ends_run) {
            if (run >= 2) feat_add(fx, ND__F_PHRASE, phr, phr_n);
            run = 0;
            phr_n = 0;
        }
    }
    /* The publication date is the dateline's date: an article that lost
     * its dateline line to extraction still says when it was written. */
    if (published != ND_TIME_NONE && !(fx->seen_date && fx->seen_year)) {
        fx->occ = (float) (1.0 + fx->lead_boost);
        char iso[32];
        nd_time_format(published, 1, iso); /* YYYY-MM-DD */
        int m = (iso[5] - '0') * 10 + (iso[6] - '0');
        if (strlen(iso) == 10 && iso[0] >= '1' && iso[0] <= '2' && m >= 1 && m <= 12) {
            if (!fx->seen_date) add_date(fx, m, iso + 8, 2);
            if (!fx->seen_year) feat_add(fx, ND__F_YEAR, iso, 4);
        }
    }
    /* Output: raw weights and the attributes, sorted by hash. */
    if (fx->fn + fx->n_attr > fx->out_cap) {
        nd__feat *o = nd_realloc(fx->out, (size_t) (fx->fn + fx->n_attr) * sizeof *o);
        if (!o) return ND_ENOMEM;
        fx->out = o;
        fx->out_cap = fx->fn + fx->n_attr;
    }
    /* The slots taken, in the order they were taken (the sort below
     * makes the order of the table irrelevant: the keys are distinct). */
    uint32_t k = 0;
    for (uint32_t i = 0; i < fx->fn; i++) {
        uint32_t j = fx->fused[i];
        int kind = (int) (fx->fkind[j] & 0xff);
        if (fx->kw[kind] <= 0) continue;
        fx->out[k].h = fx->fk[j];
        fx->out[k].w = (float) (fx->kw[kind] * (1.0 + log(fx->ftf[j])));
        fx->out[k].pq = (uint16_t) (fx->fkind[j] >> 8);
        k++;
    }
    /* (an attribute's id equals a feature's with chance 2^-64) */
    for (uint32_t j = 0; j < fx->n_attr; j++) fx->out[k++] = fx->attr[j];
    feat_sort(fx->out, (long) k);
    *feats = fx->out;
    *n_feats = k;
    return 0;
}
