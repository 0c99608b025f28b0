/* parse.c - tagging, lemmas and parsing of one sentence.
 *
 * The tagger is greedy, left to right (a second pass may look at the
 * first pass's tags of the next words); words the tag dictionary knows
 * with one tag skip the model.  The parser is greedy arc-hybrid: at each
 * step it scores SHIFT, LEFT and RIGHT and takes the best one the state
 * allows; when that makes an arc, a second model chooses its label.
 * A model trained with a beam (META "beam K") is parsed with a beam of K
 * states instead: each step extends every state by each transition it
 * allows, and the K highest sums of the transitions' scores go on. */
#include "parse/parse_int.h"

#include "base/alloc.h"

#include <pthread.h>
#include <string.h>

#define LOWER_CAP ND__LOWER_CAP
/* Bytes of one lemma at most (longer ones are cut). */
#define LEMMA_CAP 64

struct nd_parse_work {
    nd__watom atoms[ND_PARSE_MAX_WORDS + 1];
    uint8_t tags[ND_PARSE_MAX_WORDS + 1];
    uint8_t tags1[ND_PARSE_MAX_WORDS + 1];
    char lower[ND_PARSE_MAX_WORDS][LOWER_CAP];
    uint64_t keys[ND__MAX_FEATS];
    int32_t scores[4096];
    _Alignas(8) unsigned char state_mem[(ND_PARSE_MAX_WORDS + 1) * 64 + 128];
    char *lemmas; /* the sentence's lemmas, NUL-terminated one after another; grows */
    size_t lemmas_len, lemmas_cap;
    uint32_t *lemma_off; /* per word: where its lemma starts in lemmas; grows */
    size_t lemma_off_cap;
    unsigned char *beam_mem; /* 2 x beam_k states of ND_PARSE_MAX_WORDS words; NULL until needed */
    int beam_k;
    /* Sums of the weights of the features that depend on tags alone
     * (nd__tag_prev_pos, nd__label_pair_pos), for the model numbered
     * sums_of: a row of n_tags per tagger row (previous tag, the one before
     * it; tag + 1, 0 = the sentence's start), then a row of n_labels per
     * labeller row (head tag, dependent tag, direction, leaf or not).  Integer sums, so
     * the scores are those of adding the features one by one.  Filled on
     * first use; NULL when the model has too many classes to keep them. */
    int no_sums; /* nd__parse_work_no_sums() */
    uint64_t sums_of;
    int32_t *sums;
    uint8_t *sums_set; /* per row: 1 when filled */
    size_t tag_rows, label_rows;
    /* Sums of the transitions' weights of each group of the parser's
     * features that read no word (nd__parse_word_features), for the model
     * numbered sums_of: ND__PG_N tables of PMEMO_SLOTS entries, an entry
     * at a place given by a hash of its key, which is compared whole, so
     * an entry is taken only for its own key; a new key takes the place.
     * NULL when not kept (no_sums, too many tags). */
    struct pmemo_ent *pmemo;
};

typedef struct pmemo_ent {
    nd__pgkey key;
    int32_t sum[3];
    uint32_t set; /* 1 when key and sum are filled */
} pmemo_ent;

/* 16,384 entries a group, 3 MB a work: on the EWT training text, the
 * groups' sums come from the entries for 73-97% of the transitions (63-94%
 * with 4,096). */
#define PMEMO_BITS  14
#define PMEMO_SLOTS ((size_t) 1 << PMEMO_BITS)

/* The most bytes of sums kept for one model. */
#define SUMS_MAX_BYTES ((size_t) 4 << 20)

/* Bytes of one state of the beam (a multiple of 64). */
#define BEAM_STRIDE ((nd__pstate_bytes(ND_PARSE_MAX_WORDS) + 63) / 64 * 64)

nd_parse_work *nd_parse_work_new(void)
{
    nd_parse_work *w = nd_calloc(1, sizeof *w);
    if (!w) return NULL;
    w->lemmas_cap = 64 * 64;
    w->lemmas = nd_malloc(w->lemmas_cap);
    if (!w->lemmas) {
        nd_free(w);
        return NULL;
    }
    return w;
}

void nd_parse_work_free(nd_parse_work *w)
{
    if (!w) return;
    nd_free(w->lemmas);
    nd_free(w->lemma_off);
    nd_free(w->beam_mem);
    nd_free(w->sums);
    nd_free(w->sums_set);
    nd_free(w->pmemo);
    nd_free(w);
}

/* The calling thread's work (nd__parse_work_thread): made on a thread's
 * first call, freed when the thread ends (the key's destructor). */
static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;
static int thread_key_made;

static void thread_work_free(void *w)
{
    nd_parse_work_free(w);
}

static void thread_key_make(void)
{
    thread_key_made = pthread_key_create(&thread_key, thread_work_free) == 0;
}

nd_parse_work *nd__parse_work_thread(void)
{
    pthread_once(&thread_once, thread_key_make);
    if (!thread_key_made) return NULL;
    nd_parse_work *w = pthread_getspecific(thread_key);
    if (w) return w;
    if (!(w = nd_parse_work_new())) return NULL;
    if (pthread_setspecific(thread_key, w)) {
        nd_parse_work_free(w);
        return NULL;
    }
    return w;
}

void nd__parse_work_no_sums(nd_parse_work *wk)
{
    wk->no_sums = 1;
}

/* Make wk's sums those of model p (emptied when p is another model than
 * last time).  Without memory for them the sums are not kept. */
static void sums_for(const nd_parser *p, nd_parse_work *wk)
{
    if (wk->sums_of == p->serial && p->serial && !wk->no_sums) return;
    nd_free(wk->sums);
    nd_free(wk->sums_set);
    nd_free(wk->pmemo);
    wk->sums = NULL, wk->sums_set = NULL, wk->pmemo = NULL;
    wk->sums_of = p->serial;
    wk->tag_rows = wk->label_rows = 0;
    if (!p->serial || wk->no_sums) return;
    /* Zeroed by writing (base/alloc.h): a memo entry is read before it is
     * written, and a page of text probes most of the table's 768 pages (a
     * sentence of 30 words ~360 entries).  From calloc, the copy-on-write
     * faults and their flushes were 14% of the CPU of 1 page into the
     * 1,000,000-document store. */
    if (p->n_tags <= ND__PG_MAX_TAGS)
        wk->pmemo = nd__zalloc_dense(ND__PG_N * PMEMO_SLOTS, sizeof *wk->pmemo);
    size_t nt = (size_t) p->n_tags, tag_rows = (nt + 1) * (nt + 1), label_rows = nt * nt * 4;
    size_t cells = tag_rows * nt + label_rows * (size_t) p->n_labels;
    if (cells * sizeof(int32_t) > SUMS_MAX_BYTES) return;
    wk->sums = nd_malloc(cells * sizeof(int32_t));
    wk->sums_set = nd_calloc(tag_rows + label_rows, 1);
    if (!wk->sums || !wk->sums_set) {
        nd_free(wk->sums);
        nd_free(wk->sums_set);
        wk->sums = NULL, wk->sums_set = NULL;
        return;
    }
    wk->tag_rows = tag_rows, wk->label_rows = label_rows;
}

/* Score the n features in keys with table t into scores[classes] (zeroed
 * first): the features at the np positions pos[] from the sums' row
 * (filled from them when first asked for), the rest from the table.  row
 * NULL: every feature from the table. */
static void score_with_sums(const nd__wtab *t, uint64_t *keys, size_t n, const uint8_t *pos,
                            size_t np, int32_t *row, uint8_t *row_set, int32_t *scores)
{
    size_t nc = t->n_classes;
    if (!row || n > ND__MAX_FEATS) {
        memset(scores, 0, nc * sizeof *scores);
        nd__wtab_score(t, keys, n, scores);
        return;
    }
    uint64_t fixed[ND__MAX_FEATS];
    for (size_t i = 0; i < np; i++) fixed[i] = keys[pos[i]];
    if (!*row_set) {
        memset(row, 0, nc * sizeof *row);
        nd__wtab_score(t, fixed, np, row);
        *row_set = 1;
    }
    /* the other keys, in their order, to the front of keys */
    size_t k = 0, j = 0;
    for (size_t i = 0; i < n; i++) {
        if (j < np && i == pos[j]) {
            j++;
            continue;
        }
        keys[k++] = keys[i];
    }
    memcpy(scores, row, nc * sizeof *scores);
    nd__wtab_score(t, keys, k, scores);
}

static int best_class(const int32_t *scores, int n)
{
    int best = 0;
    for (int c = 1; c < n; c++)
        if (scores[c] > scores[best]) best = c;
    return best;
}

/* Tag words [0, n) of one piece (n <= ND_PARSE_MAX_WORDS). */
static void tag_piece(const nd_parser *p, nd_parse_work *wk, size_t n)
{
    const nd__wtab *t = &p->tagger;
    for (int pass = 0; pass < p->tag_passes; pass++) {
        uint8_t *out = pass == p->tag_passes - 1 ? wk->tags : wk->tags1;
        const uint8_t *next = pass ? wk->tags1 : NULL;
        for (size_t i = 0; i < n; i++) {
            uint32_t d = nd__ktab_get(&p->tagdict, wk->atoms[i].norm);
            if (d != UINT32_MAX) {
                out[i] = (uint8_t) d;
                continue;
            }
            size_t k = nd__tag_features(wk->atoms, n, i, out, next, wk->keys);
            int32_t *row = NULL;
            uint8_t *row_set = NULL;
            if (wk->tag_rows) {
                size_t r = (i >= 1 ? (size_t) out[i - 1] + 1 : 0) * ((size_t) p->n_tags + 1) +
                           (i >= 2 ? (size_t) out[i - 2] + 1 : 0);
                row = wk->sums + r * (size_t) p->n_tags, row_set = wk->sums_set + r;
            }
            score_with_sums(t, wk->keys, k, nd__tag_prev_pos, ND__TAG_PREV_FEATS, row, row_set,
                            wk->scores);
            out[i] = (uint8_t) best_class(wk->scores, p->n_tags);
        }
    }
}

/* The label of the arc that transition t is about to make. */
static int choose_label(const nd_parser *p, nd_parse_work *wk, const nd__pstate *st, int t)
{
    if (t == ND__T_LEFT && st->b == st->n) return p->root_label;
    size_t k = nd__label_features(st, t, wk->atoms, wk->tags, wk->keys);
    int32_t *row = NULL;
    uint8_t *row_set = NULL;
    int d = st->stack[st->sp - 1], h = t == ND__T_LEFT ? st->b : st->stack[st->sp - 2];
    /* a dependent without children: its children's features are constant */
    int leaf = st->lc1[d] < 0 && st->rc1[d] < 0 && !st->lset[d] && !st->rset[d];
    if (wk->label_rows && h < st->n) {
        size_t nt = (size_t) p->n_tags;
        size_t r =
            (((size_t) wk->tags[h] * nt + wk->tags[d]) * 2 + (t == ND__T_LEFT)) * 2 + (size_t) leaf;
        row = wk->sums + wk->tag_rows * nt + r * (size_t) p->n_labels;
        row_set = wk->sums_set + wk->tag_rows + r;
    }
    score_with_sums(&p->labeler, wk->keys, k, nd__label_pair_pos,
                    leaf ? ND__LABEL_LEAF_FEATS : ND__LABEL_PAIR_FEATS, row, row_set, wk->scores);
    uint64_t ok = t == ND__T_LEFT ? p->left_labels : p->right_labels;
    int best = -1;
    for (int l = 0; l < p->n_labels; l++) {
        if (!(ok >> l & 1)) continue;
        if (best < 0 || wk->scores[l] > wk->scores[best]) best = l;
    }
    return best;
}

/* The heads and relations of the final state st into the n words
 * (heads relative to the piece, -1 for the root). */
static void take_tree(const nd_parser *p, const nd__pstate *st, nd_word *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int h = st->head[i];
        w[i].head = h == (int) n || h < 0 ? -1 : h;
        w[i].deprel = p->label_deprel[st->label[i]];
    }
}

static inline size_t pmemo_slot(nd__pgkey k)
{
    return (size_t) (nd__mix64(k.a ^ k.b * 0x9E3779B97F4A7C15ULL) >> (64 - PMEMO_BITS));
}

/* The scores of the three transitions in state st: the features that read
 * a word from the table, each group of the others from its kept sum (from
 * the table when its key is not kept); without kept sums, every feature
 * from the table.  Integer sums: the same scores either way. */
static void score_transitions(const nd_parser *p, nd_parse_work *wk, const nd__pstate *st,
                              int32_t sc[3])
{
    const nd__ttab *t = &p->parser;
    if (!wk->pmemo) {
        size_t k = nd__parse_features(st, wk->atoms, wk->tags, wk->keys);
        nd__ttab_score(t, wk->keys, k, sc);
        return;
    }
    nd__pgkey g[ND__PG_N];
    size_t k = nd__parse_word_features(st, wk->atoms, wk->tags, wk->keys, g);
    /* the groups' entries and the words' slots are on their way together */
    pmemo_ent *e[ND__PG_N];
    for (int i = 0; i < ND__PG_N; i++) {
        e[i] = wk->pmemo + (size_t) i * PMEMO_SLOTS + pmemo_slot(g[i]);
        __builtin_prefetch(e[i]);
    }
    for (size_t i = 0; i < k; i++)
        __builtin_prefetch(t->slots + 4 * (size_t) nd__slot_of(wk->keys[i], t->n_slots));
    int32_t a = 0, b = 0, c = 0;
    for (int i = 0; i < ND__PG_N; i++) {
        pmemo_ent *x = e[i];
        if (!x->set || x->key.a != g[i].a || x->key.b != g[i].b) {
            uint64_t keys[ND__MAX_FEATS];
            size_t m = nd__parse_group_features(i, g[i], keys);
            nd__ttab_score(t, keys, m, x->sum);
            x->key = g[i], x->set = 1;
        }
        a += x->sum[0], b += x->sum[1], c += x->sum[2];
    }
    nd__ttab_score(t, wk->keys, k, sc);
    sc[0] += a, sc[1] += b, sc[2] += c;
}

/* Parse words [0, n) of one piece; heads relative to the piece, -1 root. */
static void parse_piece(const nd_parser *p, nd_parse_work *wk, nd_word *w, size_t n)
{
    nd__pstate st;
    nd__pstate_init(&st, (int) n, wk->state_mem);
    int32_t sc[3];
    while (!nd__pstate_done(&st)) {
        /* a forced transition (empty stack, only the root left) is not
         * scored */
        int best = nd__pstate_forced(&st);
        if (best < 0) {
            score_transitions(p, wk, &st, sc);
            for (int t = 0; t < 3; t++) {
                if (best >= 0 && sc[t] <= sc[best]) continue;
                if (nd__pstate_valid(&st, t)) best = t;
            }
        }
        int label = best == ND__T_SHIFT ? 0 : choose_label(p, wk, &st, best);
        nd__pstate_apply(&st, best, label);
    }
    take_tree(p, &st, w, n);
}

/* A candidate of the beam: state `from` extended by transition t. */
typedef struct beam_cand {
    int64_t score;
    int from, t;
} beam_cand;

/* Parse words [0, n) of one piece with a beam of p->beam states; heads
 * relative to the piece, -1 root.  Every sequence of arc-hybrid has 2n
 * transitions, so the states of a beam end together; the best one wins.
 * Ties go to the candidate met first (states in beam order, transitions
 * in SHIFT, LEFT, RIGHT order): with a beam of 1 this is the greedy
 * parse.  A forced transition adds nothing to the score, as in training.
 * ND_ENOMEM when the beam's states cannot be allocated. */
static int parse_piece_beam(const nd_parser *p, nd_parse_work *wk, nd_word *w, size_t n)
{
    int K = p->beam;
    if (wk->beam_k < K) {
        size_t stride = BEAM_STRIDE;
        unsigned char *m = nd_malloc(stride * 2 * (size_t) K);
        if (!m) return ND_ENOMEM;
        nd_free(wk->beam_mem);
        wk->beam_mem = m, wk->beam_k = K;
    }
    nd__pstate st[2][ND__MAX_BEAM];
    int64_t score[2][ND__MAX_BEAM];
    beam_cand cand[ND__MAX_BEAM];
    for (int k = 0; k < K; k++)
        for (int g = 0; g < 2; g++)
            nd__pstate_init(&st[g][k], (int) n, wk->beam_mem + BEAM_STRIDE * (size_t) (g * K + k));
    int cur = 0, nb = 1;
    score[0][0] = 0;
    int32_t sc[3];
    while (!nd__pstate_done(&st[cur][0])) {
        int nc = 0;
        for (int i = 0; i < nb; i++) {
            const nd__pstate *s = &st[cur][i];
            int forced = nd__pstate_forced(s);
            if (forced < 0) {
                score_transitions(p, wk, s, sc);
            }
            for (int t = 0; t < 3; t++) {
                if (forced >= 0 ? t != forced : !nd__pstate_valid(s, t)) continue;
                int64_t v = score[cur][i] + (forced >= 0 ? 0 : sc[t]);
                /* insert after the candidates of equal or higher score */
                if (nc == K && v <= cand[K - 1].score) continue;
                int at = nc < K ? nc++ : K - 1;
                while (at > 0 && cand[at - 1].score < v) {
                    cand[at] = cand[at - 1];
                    at--;
                }
                cand[at] = (beam_cand){v, i, t};
            }
        }
        int nxt = !cur;
        for (int c = 0; c < nc; c++) {
            nd__pstate *d = &st[nxt][c];
            const nd__pstate *s = &st[cur][cand[c].from];
            int t = cand[c].t;
            int label = t == ND__T_SHIFT ? 0 : choose_label(p, wk, s, t);
            nd__pstate_copy(d, s);
            nd__pstate_apply(d, t, label);
            score[nxt][c] = cand[c].score;
        }
        cur = nxt, nb = nc;
    }
    take_tree(p, &st[cur][0], w, n);
    return 0;
}

/* Room for one more lemma in the work's buffer; 0 or ND_ENOMEM. */
static int lemma_room(nd_parse_work *wk)
{
    if (wk->lemmas_len + LEMMA_CAP <= wk->lemmas_cap) return 0;
    size_t cap = wk->lemmas_cap * 2;
    if (cap > UINT32_MAX) return ND_ENOMEM;
    char *nb = nd_realloc(wk->lemmas, cap);
    if (!nb) return ND_ENOMEM;
    wk->lemmas = nb, wk->lemmas_cap = cap;
    return 0;
}

int nd_parse_sentence(const nd_parser *p, const char *text, size_t len, nd_word *w, size_t n,
                      nd_parse_work *wk)
{
    if (!p || !wk || (!w && n) || (!text && len)) return ND_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (w[i].start > w[i].end || w[i].end > len) return ND_EINVAL;
        w[i].lemma = "";
    }
    if (!n) return 0;
    if (n > wk->lemma_off_cap) {
        if (n > SIZE_MAX / sizeof *wk->lemma_off / 2) return ND_ENOMEM;
        size_t cap = n + n / 2;
        uint32_t *no = nd_realloc(wk->lemma_off, cap * sizeof *no);
        if (!no) return ND_ENOMEM;
        wk->lemma_off = no, wk->lemma_off_cap = cap;
    }
    wk->lemmas_len = 0;
    sums_for(p, wk);
    int root0 = -1;
    for (size_t a = 0; a < n;) {
        size_t e = a + ND_PARSE_MAX_WORDS < n ? a + ND_PARSE_MAX_WORDS : n;
        size_t m = e - a;
        for (size_t i = 0; i < m; i++)
            nd__word_atoms(text + w[a + i].start, w[a + i].end - w[a + i].start, &wk->atoms[i],
                           wk->lower[i], LOWER_CAP);
        /* Cut a long sentence after a punctuation mark near the limit. */
        if (e < n) {
            for (size_t i = m; i > m * 3 / 4; i--) {
                if (wk->atoms[i - 1].cls & ND__WC_PUNCT) {
                    m = i;
                    break;
                }
            }
            e = a + m;
        }
        tag_piece(p, wk, m);
        if (p->beam > 0) {
            int rc = parse_piece_beam(p, wk, w + a, m);
            if (rc) return rc;
        } else {
            parse_piece(p, wk, w + a, m);
        }
        for (size_t i = 0; i < m; i++) {
            nd_word *x = &w[a + i];
            x->upos = p->tag_upos[wk->tags[i]];
            if (lemma_room(wk)) return ND_ENOMEM;
            char *lem = wk->lemmas + wk->lemmas_len;
            size_t ln =
                nd__lemmatize(p, text + x->start, x->end - x->start, wk->tags[i], lem, LEMMA_CAP);
            wk->lemma_off[a + i] = (uint32_t) wk->lemmas_len;
            wk->lemmas_len += ln + 1;
            if (x->head >= 0) {
                x->head += (int32_t) a;
            } else if (root0 < 0) {
                root0 = (int) (a + i);
            } else {
                x->head = root0;
                x->deprel = ND_DEP_PARATAXIS;
            }
            if (n > ND_PARSE_MAX_WORDS) x->flags |= ND_WORDF_CUT;
        }
        a = e;
    }
    /* The buffer may have moved while it grew: pointers last. */
    for (size_t i = 0; i < n; i++) w[i].lemma = wk->lemmas + wk->lemma_off[i];
    return 0;
}
