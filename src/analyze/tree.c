/* tree.c - the dependency tree of every sentence, for the analysis.
 *
 * Each sentence the analysis found (sent.c) is cut into UD-style words
 * (nd_parse_words: "Russia's" is "Russia" + "'s", "don't" is "do" +
 * "n't"), tagged and parsed (nd_parse_sentence).  The words are kept
 * document-wide with their head, their dependents as a list in word order,
 * the token that holds them and the bounds of their subtree, so the stages
 * after this one (mentions, quotations, events) read subjects, objects,
 * clausal complements and negation off the tree instead of guessing them
 * from word order. */
#include "analyze/analyze_int.h"
#include "parse/parse_int.h"

#include <string.h>

/* Words of one sentence: a growing scratch buffer. */
typedef struct wbuf {
    nd_word *w;
    size_t cap;
} wbuf;

static int wbuf_words(const nd__doc *d, wbuf *b, nd_span s, size_t *n)
{
    for (;;) {
        size_t stop = s.end;
        size_t got = b->cap ? nd_parse_words(d->text, s.start, s.end, b->w, b->cap, &stop) : 0;
        if (b->cap && stop >= s.end) {
            *n = got;
            return 0;
        }
        size_t nc = b->cap ? b->cap * 2 : 256;
        nd_word *q = nd_realloc(b->w, nc * sizeof *q);
        if (!q) return ND_ENOMEM;
        b->w = q, b->cap = nc;
    }
}

static int add_words(nd__doc *d, size_t *cap, size_t s, const nd_word *w, size_t n)
{
    if (d->n_words + n > *cap) {
        size_t nc = *cap ? *cap : 1024;
        while (nc < d->n_words + n) nc *= 2;
        nd__word *q = nd_arena_alloc(d->ar, nc * sizeof *q);
        if (!q) return ND_ENOMEM;
        if (d->n_words) memcpy(q, d->words, d->n_words * sizeof *q);
        d->words = q, *cap = nc;
    }
    int32_t base = (int32_t) d->n_words;
    for (size_t i = 0; i < n; i++) {
        nd__word *o = &d->words[d->n_words++];
        o->start = w[i].start, o->end = w[i].end;
        o->head = w[i].head >= 0 && (size_t) w[i].head < n ? base + w[i].head : -1;
        o->child = o->next = -1;
        o->tok = 0;
        o->sent = (uint32_t) s;
        o->upos = w[i].upos;
        o->deprel = w[i].deprel;
        o->rel = (uint8_t) nd_deprel_base(w[i].deprel);
        o->flags = (uint8_t) w[i].flags;
        o->lo = o->hi = base + (int32_t) i;
        const char *lm = w[i].lemma ? w[i].lemma : "";
        size_t ln = strlen(lm);
        char *l = nd_arena_alloc(d->ar, ln + 1);
        if (!l) return ND_ENOMEM;
        for (size_t k = 0; k < ln; k++)
            l[k] = (char) (lm[k] >= 'A' && lm[k] <= 'Z' ? lm[k] + 32 : lm[k]);
        l[ln] = 0;
        o->lemma = l;
    }
    return 0;
}

/* Dependents as lists in word order, subtree bounds, the token of each
 * word and the first word of each token. */
static int link(nd__doc *d)
{
    for (size_t i = d->n_words; i-- > 0;) {
        nd__word *w = &d->words[i];
        if (w->head < 0) continue;
        w->next = d->words[w->head].child;
        d->words[w->head].child = (int32_t) i;
    }
    /* Each word widens the bounds of its ancestors; the walk is bounded by
     * the depth, which the parser's cut of long sentences keeps small. */
    for (size_t i = 0; i < d->n_words; i++) {
        int32_t a = d->words[i].head;
        for (int steps = 0; a >= 0 && steps < ND_PARSE_MAX_WORDS * 2; steps++) {
            nd__word *x = &d->words[a];
            if (x->lo > (int32_t) i) x->lo = (int32_t) i;
            if (x->hi < (int32_t) i) x->hi = (int32_t) i;
            a = x->head;
        }
    }
    d->tok_w0 = nd_arena_alloc(d->ar, (d->n_toks + 1) * sizeof *d->tok_w0);
    if (!d->tok_w0) return ND_ENOMEM;
    for (size_t t = 0; t < d->n_toks; t++) d->tok_w0[t] = -1;
    size_t t = 0;
    for (size_t i = 0; i < d->n_words; i++) {
        nd__word *w = &d->words[i];
        while (t + 1 < d->n_toks && d->toks[t].off + d->toks[t].len <= w->start) t++;
        w->tok = (uint32_t) t;
        if (d->tok_w0[t] < 0) d->tok_w0[t] = (int32_t) i;
    }
    return 0;
}

/* The next sentence of the given trees over the parser's tree of words
 * w[0..n): the same words, in order, or ND_EINVAL.  The lemmas point into
 * the reader until its next sentence (add_words copies them). */
static int take_given(const nd__doc *d, nd_conllu_reader *r, nd_word *w, size_t n)
{
    const nd_conllu_sent *cs = NULL;
    if (nd_conllu_next(r, &cs, NULL) != 1 || cs->n_words != n) return ND_EINVAL;
    size_t k = 0;
    for (size_t i = 0; i < cs->n_lines; i++) {
        const nd_conllu_line *l = &cs->lines[i];
        if (l->kind != ND_CONLLU_WORD) continue;
        const char *form = l->col[1];
        size_t fl = strlen(form);
        if (fl != w[k].end - w[k].start || memcmp(form, d->text + w[k].start, fl)) return ND_EINVAL;
        if (l->head < -1 || l->head >= (int32_t) n) return ND_EINVAL;
        w[k].head = l->head;
        w[k].upos = l->upos;
        w[k].deprel = l->deprel;
        if (strcmp(l->col[2], "_")) w[k].lemma = l->col[2];
        k++;
    }
    return 0;
}

int nd__parse_doc(nd__doc *d, const nd_parser *p, nd_parse_work *work)
{
    d->sent_w0 = nd_arena_alloc(d->ar, (d->n_sents + 1) * sizeof *d->sent_w0);
    d->sent_w1 = nd_arena_alloc(d->ar, (d->n_sents + 1) * sizeof *d->sent_w1);
    if (!d->sent_w0 || !d->sent_w1) return ND_ENOMEM;
    nd_parse_work *own = NULL;
    if (!work) work = nd__parse_work_thread();
    if (!work) work = own = nd_parse_work_new();
    if (!work) return ND_ENOMEM;
    nd_conllu_reader *given = NULL;
    if (d->given && !(given = nd_conllu_reader_new(d->given, d->given_len))) {
        nd_parse_work_free(own);
        return ND_ENOMEM;
    }
    wbuf b = {NULL, 0};
    size_t cap = 0;
    int rc = 0;
    for (size_t s = 0; !rc && s < d->n_sents; s++) {
        size_t n = 0;
        d->sent_w0[s] = (uint32_t) d->n_words;
        rc = wbuf_words(d, &b, d->sents[s], &n);
        if (!rc && n) {
            rc = nd_parse_sentence(p, d->text, d->len, b.w, n, work);
            if (rc == ND_EINVAL) rc = 0, n = 0; /* a sentence it cannot take has no tree */
        }
        if (!rc && n && given) rc = take_given(d, given, b.w, n);
        if (!rc && n) rc = add_words(d, &cap, s, b.w, n);
        d->sent_w1[s] = (uint32_t) d->n_words;
    }
    nd_free(b.w);
    nd_parse_work_free(own);
    nd_conllu_reader_free(given);
    if (!rc) rc = link(d);
    return rc;
}

int32_t nd__w_child(const nd__doc *d, int32_t w, int rel, int32_t prev)
{
    if (w < 0) return -1;
    int32_t c = prev < 0 ? d->words[w].child : d->words[prev].next;
    for (; c >= 0; c = d->words[c].next)
        if (rel == ND_DEP_NONE || d->words[c].rel == rel || d->words[c].deprel == rel) return c;
    return -1;
}

int nd__w_has(const nd__doc *d, int32_t w, int rel, const char *lemma)
{
    for (int32_t c = nd__w_child(d, w, rel, -1); c >= 0; c = nd__w_child(d, w, rel, c))
        if (!lemma || !strcmp(d->words[c].lemma, lemma)) return 1;
    return 0;
}

void nd__w_subtree(const nd__doc *d, int32_t w, int32_t *lo, int32_t *hi)
{
    *lo = d->words[w].lo;
    *hi = d->words[w].hi;
}

int nd__w_dominates(const nd__doc *d, int32_t w, int32_t a)
{
    for (int steps = 0; a >= 0 && steps < ND_PARSE_MAX_WORDS * 2; steps++) {
        if (a == w) return 1;
        a = d->words[a].head;
    }
    return 0;
}

nd_span nd__w_span(const nd__doc *d, int32_t lo, int32_t hi)
{
    return (nd_span){d->words[lo].start, d->words[hi].end};
}

int32_t nd__w_at(const nd__doc *d, uint32_t off)
{
    size_t lo = 0, hi = d->n_words;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->words[mid].end <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->n_words && d->words[lo].start <= off ? (int32_t) lo : -1;
}

int32_t nd__ment_head(const nd__doc *d, size_t m)
{
    if (!d->n_words || m >= d->n_ments) return -1;
    const nd__ment *mm = &d->ments[m];
    int32_t lo = d->tok_w0[mm->t0];
    if (lo < 0) return -1;
    int32_t hi = lo;
    while ((size_t) hi + 1 < d->n_words && d->words[hi + 1].tok < mm->t1) hi++;
    /* the word whose head lies outside the mention; the last one when the
     * parse splits the mention (two heads) */
    int32_t best = -1;
    for (int32_t w = lo; w <= hi; w++) {
        int32_t h = d->words[w].head;
        if (h < lo || h > hi) best = w;
    }
    return best >= 0 ? best : hi;
}

int32_t nd__w_ment(const nd__doc *d, int32_t w)
{
    if (w < 0 || (size_t) w >= d->n_words) return -1;
    return d->toks[d->words[w].tok].mention;
}
