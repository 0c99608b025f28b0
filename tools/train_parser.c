/* train_parser.c - train the tagger, parser and lemmatiser of src/parse
 * from CoNLL-U treebanks and write the model file (format in
 * src/parse/parse_int.h).
 *
 *   train_parser --train train.conllu --dev dev.conllu --out en_ewt.ndpm
 *
 * Averaged perceptrons: a greedy tagger (tags are UPOS|XPOS pairs), and a
 * greedy arc-hybrid parser trained with a dynamic oracle and error
 * exploration on jackknifed predicted tags (the training set is cut in
 * ten parts, each tagged by a tagger trained on the other nine), so the
 * parser learns from the tags it will see.  Lemmas: a (word, UPOS) table
 * of the exceptions to suffix rules learnt per UPOS.
 *
 * With --mix N, N such models are trained with different seeds (sentence
 * orders, jackknife taggers, exploration) and their averaged weights are
 * averaged before quantisation (parameter mixing, McDonald et al. 2010).
 *
 * With --beam K the transitions are trained globally with a beam of K
 * (see "the parser trained with a beam" below) and the model says so in
 * META ("beam K"), so that the library parses it with that beam.
 *
 * Deterministic: one thread, fixed seeds, fixed orders; the same input
 * gives the same bytes.  The dev set only reports figures. */
#include "parse/parse_int.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The labeller's features: the first 25 templates of nd__label_features,
 * or all of them with --label-outer (templates 26-28, the words of the
 * dependent's outermost children: not in the shipped model, so that the
 * default training rebuilds it byte for byte). */
#define LABEL_KEYS_BASE 25
static size_t label_keys_max = LABEL_KEYS_BASE;

static size_t label_keys(size_t k)
{
    return k < label_keys_max ? k : label_keys_max;
}
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "train_parser: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory (%zu bytes)", n);
    return p;
}

static void *xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p) die("out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) die("out of memory (%zu bytes)", n);
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *p = xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- a deterministic random generator ------------------------------------ */

static uint64_t rng_state = 0x243F6A8885A308D3ULL;

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

/* The generator's state for member `member` of a mix trained with seed
 * `seed`; seed 0, member 0 is the original fixed state. */
static void rng_seed(unsigned long seed, int member)
{
    uint64_t x = (uint64_t) seed * 1000003u + (uint64_t) member;
    rng_state = 0x243F6A8885A308D3ULL ^ (x * 0x9E3779B97F4A7C15ULL);
    if (!rng_state) rng_state = 1;
}

static double rng_unit(void)
{
    return (double) (rng_next() >> 11) / (double) (1ULL << 53);
}

static void shuffle(int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int) (rng_next() % (uint64_t) (i + 1));
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* ---- string sets ----------------------------------------------------------- */

typedef struct strset {
    char **s;
    int n, cap;
} strset;

static int strset_find(const strset *ss, const char *s)
{
    for (int i = 0; i < ss->n; i++)
        if (!strcmp(ss->s[i], s)) return i;
    return -1;
}

static int strset_add(strset *ss, const char *s)
{
    int i = strset_find(ss, s);
    if (i >= 0) return i;
    if (ss->n == ss->cap) {
        ss->cap = ss->cap ? ss->cap * 2 : 64;
        ss->s = xrealloc(ss->s, (size_t) ss->cap * sizeof *ss->s);
    }
    ss->s[ss->n] = xstrdup(s);
    return ss->n++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* ---- the options ------------------------------------------------------------- */

static struct {
    int tag_epochs, parse_epochs, folds, explore_from;
    double explore_p, prune_tag, prune_parse;
    int tagdict_min;
    int verbose;
    int coarse;   /* tags are UPOS alone */
    int tag_only; /* train and report the tagger only (for experiments) */
    int passes;   /* tagger passes: 2 = a second pass sees the first's tags to the right */
    int mix;      /* models trained with different seeds whose weights are averaged */
    unsigned long seed;
    const char *data_name; /* what the model was trained on, for META's "data" line */
    int beam;              /* 0: greedy, trained locally; K: trained and parsed with a beam of K */
} opt = {8, 15, 10, 2, 0.9, 0.0, 0.0, 20, 1, 0, 0, 1, 1, 0, NULL, 0};

/* ---- sentences ------------------------------------------------------------- */

typedef struct tsent {
    int n;
    char **form, **lemma, **tagname, **labelname;
    int *tag;      /* gold tag class */
    int *upos;     /* gold nd_upos */
    int *head;     /* gold head; n = root */
    int *label;    /* gold label class */
    uint8_t *ptag; /* predicted (jackknifed) tag classes */
    nd__watom *atoms;
    char *doc; /* genre prefix of the document */
} tsent;

typedef struct corpus {
    tsent *s;
    int n;
    long words;
} corpus;

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) die("%s: %s", path, strerror(errno));
    size_t cap = 1 << 20, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) buf = xrealloc(buf, cap *= 2);
        size_t k = fread(buf + n, 1, cap - n, f);
        if (!k) break;
        n += k;
    }
    if (ferror(f)) die("%s: read error", path);
    fclose(f);
    *len = n;
    return buf;
}

static void read_corpus(const char *path, corpus *c)
{
    size_t len;
    char *data = read_file(path, &len);
    nd_conllu_reader *r = nd_conllu_reader_new(data, len);
    const nd_conllu_sent *st;
    nd_error err = {0};
    int rc, cap = 0;
    char doc[64] = "";
    memset(c, 0, sizeof *c);
    while ((rc = nd_conllu_next(r, &st, &err)) != 0) {
        if (rc < 0) die("%s: %s", path, err.msg);
        if (st->newdoc_id) {
            snprintf(doc, sizeof doc, "%s", st->newdoc_id);
            char *dash = strchr(doc, '-');
            if (dash) *dash = 0;
        }
        if (c->n == cap) {
            cap = cap ? cap * 2 : 1024;
            c->s = xrealloc(c->s, (size_t) cap * sizeof *c->s);
        }
        tsent *s = &c->s[c->n++];
        memset(s, 0, sizeof *s);
        int n = (int) st->n_words;
        s->n = n;
        s->doc = xstrdup(doc);
        s->form = xcalloc((size_t) n, sizeof *s->form);
        s->lemma = xcalloc((size_t) n, sizeof *s->lemma);
        s->tagname = xcalloc((size_t) n, sizeof *s->tagname);
        s->labelname = xcalloc((size_t) n, sizeof *s->labelname);
        s->tag = xcalloc((size_t) n, sizeof *s->tag);
        s->upos = xcalloc((size_t) n, sizeof *s->upos);
        s->head = xcalloc((size_t) n, sizeof *s->head);
        s->label = xcalloc((size_t) n, sizeof *s->label);
        s->ptag = xcalloc((size_t) n, sizeof *s->ptag);
        s->atoms = xcalloc((size_t) n, sizeof *s->atoms);
        int k = 0;
        for (size_t i = 0; i < st->n_lines; i++) {
            const nd_conllu_line *ln = &st->lines[i];
            if (ln->kind != ND_CONLLU_WORD) continue;
            char tn[128];
            if (opt.coarse)
                snprintf(tn, sizeof tn, "%s", ln->col[3]);
            else
                snprintf(tn, sizeof tn, "%s|%s", ln->col[3], ln->col[4]);
            s->form[k] = xstrdup(ln->col[1]);
            s->lemma[k] = xstrdup(ln->col[2]);
            s->tagname[k] = xstrdup(tn);
            s->labelname[k] = xstrdup(ln->col[7]);
            s->upos[k] = ln->upos;
            s->head[k] = ln->head < 0 ? n : ln->head;
            if (ln->head == -2) die("%s: line %zu: no HEAD", path, st->line_no);
            char lower[ND__LOWER_CAP];
            nd__word_atoms(s->form[k], strlen(s->form[k]), &s->atoms[k], lower, sizeof lower);
            k++;
        }
        c->words += n;
    }
    nd_conllu_reader_free(r);
    free(data);
}

/* ---- averaged perceptron ------------------------------------------------------ */

typedef struct fslot {
    uint64_t key; /* 0 = empty */
    uint32_t first;
    uint16_t n, cap;
} fslot;

typedef struct fent {
    uint32_t cls;
    float w; /* current weight */
    float u; /* sum of time x update, for the average w - u / t */
} fent;

typedef struct apm {
    fslot *slots;
    size_t mask, count;
    fent *pool;
    size_t pool_n, pool_cap;
    int n_classes;
    double t; /* decisions seen */
} apm;

static void apm_init(apm *m, int classes, int bits)
{
    memset(m, 0, sizeof *m);
    m->mask = ((size_t) 1 << bits) - 1;
    m->slots = xcalloc(m->mask + 1, sizeof *m->slots);
    m->pool_cap = (size_t) 1 << 20;
    m->pool = xmalloc(m->pool_cap * sizeof *m->pool);
    m->n_classes = classes;
    m->t = 1;
}

static void apm_free(apm *m)
{
    free(m->slots);
    free(m->pool);
    memset(m, 0, sizeof *m);
}

static inline uint64_t fixkey(uint64_t k)
{
    return k ? k : 1;
}

static fslot *apm_find(const apm *m, uint64_t key)
{
    key = fixkey(key);
    size_t j = (size_t) key & m->mask;
    for (;;) {
        fslot *s = &m->slots[j];
        if (s->key == key) return s;
        if (!s->key) return NULL;
        j = (j + 1) & m->mask;
    }
}

static void apm_grow(apm *m)
{
    size_t old = m->mask + 1;
    fslot *os = m->slots;
    m->mask = old * 2 - 1;
    m->slots = xcalloc(m->mask + 1, sizeof *m->slots);
    for (size_t i = 0; i < old; i++) {
        if (!os[i].key) continue;
        size_t j = (size_t) os[i].key & m->mask;
        while (m->slots[j].key) j = (j + 1) & m->mask;
        m->slots[j] = os[i];
    }
    free(os);
}

static fslot *apm_get(apm *m, uint64_t key)
{
    key = fixkey(key);
    if ((m->count + 1) * 2 > m->mask + 1) apm_grow(m);
    size_t j = (size_t) key & m->mask;
    for (;;) {
        fslot *s = &m->slots[j];
        if (s->key == key) return s;
        if (!s->key) {
            s->key = key;
            s->first = 0;
            s->n = s->cap = 0;
            m->count++;
            return s;
        }
        j = (j + 1) & m->mask;
    }
}

static void apm_score(const apm *m, const uint64_t *keys, size_t n, float *scores)
{
    for (int c = 0; c < m->n_classes; c++) scores[c] = 0;
    for (size_t i = 0; i < n; i++) {
        const fslot *s = apm_find(m, keys[i]);
        if (!s) continue;
        const fent *e = m->pool + s->first;
        for (int k = 0; k < s->n; k++) scores[e[k].cls] += e[k].w;
    }
}

/* Scores with the averaged weights (for predictions during training). */
static void apm_score_avg(const apm *m, const uint64_t *keys, size_t n, float *scores)
{
    for (int c = 0; c < m->n_classes; c++) scores[c] = 0;
    for (size_t i = 0; i < n; i++) {
        const fslot *s = apm_find(m, keys[i]);
        if (!s) continue;
        const fent *e = m->pool + s->first;
        for (int k = 0; k < s->n; k++) scores[e[k].cls] += e[k].w - (float) (e[k].u / m->t);
    }
}

static void apm_update(apm *m, const uint64_t *keys, size_t n, int cls, float delta)
{
    for (size_t i = 0; i < n; i++) {
        fslot *s = apm_get(m, keys[i]);
        fent *e = m->pool + s->first;
        int k = 0;
        while (k < s->n && e[k].cls != (uint32_t) cls) k++;
        if (k == s->n) {
            if (s->n == s->cap) {
                uint16_t nc = s->cap ? (uint16_t) (s->cap * 2) : 2;
                if (nc > 4096) nc = 4096;
                if (m->pool_n + nc > m->pool_cap) {
                    while (m->pool_n + nc > m->pool_cap) m->pool_cap *= 2;
                    m->pool = xrealloc(m->pool, m->pool_cap * sizeof *m->pool);
                }
                memcpy(m->pool + m->pool_n, m->pool + s->first, s->n * sizeof *m->pool);
                s->first = (uint32_t) m->pool_n;
                s->cap = nc;
                m->pool_n += nc;
                e = m->pool + s->first;
            }
            e[k].cls = (uint32_t) cls;
            e[k].w = 0;
            e[k].u = 0;
            s->n++;
        }
        e[k].w += delta;
        e[k].u += (float) (m->t * delta);
    }
}

/* Adds `share` times m's averaged weights to acc's weights (acc then holds
 * final weights: its t is 1 and its sums 0, so its average is its weight).
 * Parameter mixing (McDonald et al. 2010) of models trained apart. */
static void apm_mix(apm *acc, const apm *m, double share)
{
    acc->t = 0; /* no sums: apm_update adds t x delta to them */
    for (size_t i = 0; i <= m->mask; i++) {
        const fslot *s = &m->slots[i];
        if (!s->key) continue;
        for (int k = 0; k < s->n; k++) {
            const fent *e = &m->pool[s->first + k];
            double a = ((double) e->w - (double) e->u / m->t) * share;
            if (a != 0) apm_update(acc, &s->key, 1, (int) e->cls, (float) a);
        }
    }
    acc->t = 1;
}

/* ---- writing tables ---------------------------------------------------------- */

typedef struct obuf {
    unsigned char *p;
    size_t n, cap;
} obuf;

static void ob_put(obuf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        while (b->n + n > b->cap) b->cap = b->cap ? b->cap * 2 : 1 << 16;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void ob_u32(obuf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char) v, (unsigned char) (v >> 8), (unsigned char) (v >> 16),
                          (unsigned char) (v >> 24)};
    ob_put(b, x, 4);
}

static void ob_u64(obuf *b, uint64_t v)
{
    ob_u32(b, (uint32_t) v);
    ob_u32(b, (uint32_t) (v >> 32));
}

static uint32_t pow2_for(size_t count, double load)
{
    uint32_t n = 16;
    while ((double) n * load < (double) count + 1) n *= 2;
    return n;
}

/* Slots for count keys at the given load (any number: see nd__slot_of). */
static uint32_t slots_for(size_t count, double load)
{
    return (uint32_t) ((double) count / load) + 17;
}

/* The averaged weights as a quantised table; pairs smaller than prune
 * (relative to the largest weight) are dropped.  Returns features kept. */
static size_t write_wtab(obuf *out, const apm *m, double prune, double *scale_out)
{
    double maxw = 0;
    for (size_t i = 0; i <= m->mask; i++) {
        const fslot *s = &m->slots[i];
        if (!s->key) continue;
        for (int k = 0; k < s->n; k++) {
            const fent *e = &m->pool[s->first + k];
            double a = fabs((double) e->w - (double) e->u / m->t);
            if (a > maxw) maxw = a;
        }
    }
    double scale = maxw > 0 ? 32000.0 / maxw : 1;
    *scale_out = scale;
    /* Kept features in slot order (deterministic), then their pairs. */
    size_t kept = 0, n_pairs = 0;
    uint64_t *keys = xmalloc((m->count + 1) * sizeof *keys);
    uint32_t *offs = xmalloc((m->count + 1) * sizeof *offs);
    uint32_t *pairs = xmalloc((m->pool_n + m->count + 1) * sizeof *pairs);
    int32_t thr = (int32_t) (prune * 32000.0);
    for (size_t i = 0; i <= m->mask; i++) {
        const fslot *s = &m->slots[i];
        if (!s->key) continue;
        size_t at = n_pairs++;
        uint32_t cnt = 0;
        /* classes in ascending order */
        for (int c = 0; c < m->n_classes; c++) {
            for (int k = 0; k < s->n; k++) {
                const fent *e = &m->pool[s->first + k];
                if ((int) e->cls != c) continue;
                double a = ((double) e->w - (double) e->u / m->t) * scale;
                long q = lround(a);
                if (q > 32767) q = 32767;
                if (q < -32767) q = -32767;
                if (q == 0 || labs(q) < thr) continue;
                pairs[n_pairs++] = (uint32_t) ((int32_t) q * 65536) | (uint32_t) c;
                cnt++;
            }
        }
        if (!cnt) {
            n_pairs = at;
            continue;
        }
        pairs[at] = cnt;
        keys[kept] = s->key;
        offs[kept] = (uint32_t) at;
        kept++;
    }
    uint32_t slots = slots_for(kept, 0.5);
    uint32_t *tab = xcalloc((size_t) slots * 2, sizeof *tab);
    for (size_t i = 0; i < kept; i++) {
        uint32_t fp = (uint32_t) (keys[i] >> 32) | 1;
        uint32_t j = nd__slot_of(keys[i], slots);
        while (tab[2 * j]) j = j + 1 == slots ? 0 : j + 1;
        tab[2 * j] = fp;
        tab[2 * j + 1] = offs[i];
    }
    ob_u32(out, (uint32_t) m->n_classes);
    ob_u32(out, slots);
    ob_u32(out, (uint32_t) n_pairs);
    ob_u32(out, 0);
    for (size_t i = 0; i < (size_t) slots * 2; i++) ob_u32(out, tab[i]);
    for (size_t i = 0; i < n_pairs; i++) ob_u32(out, pairs[i]);
    free(tab);
    free(keys);
    free(offs);
    free(pairs);
    return kept;
}

/* The averaged weights of the three transitions, quantised to 16 bits,
 * in the dense layout of nd__ttab.  Features whose weights all round below
 * prune (relative to the largest) are dropped.  Returns features kept. */
static size_t write_ttab(obuf *out, const apm *m, double prune)
{
    double maxw = 0;
    for (size_t i = 0; i <= m->mask; i++) {
        const fslot *s = &m->slots[i];
        for (int k = 0; s->key && k < s->n; k++) {
            const fent *e = &m->pool[s->first + k];
            double a = fabs((double) e->w - (double) e->u / m->t);
            if (a > maxw) maxw = a;
        }
    }
    double scale = maxw > 0 ? 32000.0 / maxw : 1;
    long thr = lround(prune * 32000.0);
    size_t kept = 0;
    uint64_t *keys = xmalloc((m->count + 1) * sizeof *keys);
    int16_t(*w)[3] = xmalloc((m->count + 1) * sizeof *w);
    for (size_t i = 0; i <= m->mask; i++) {
        const fslot *s = &m->slots[i];
        if (!s->key) continue;
        long q[3] = {0, 0, 0};
        int any = 0;
        for (int k = 0; k < s->n; k++) {
            const fent *e = &m->pool[s->first + k];
            long v = lround(((double) e->w - (double) e->u / m->t) * scale);
            if (v > 32767) v = 32767;
            if (v < -32767) v = -32767;
            q[e->cls] = v;
            if (v && labs(v) >= thr) any = 1;
        }
        if (!any) continue;
        keys[kept] = s->key;
        for (int c = 0; c < 3; c++) w[kept][c] = (int16_t) q[c];
        kept++;
    }
    /* At load 0.3 rather than 0.5 a lookup of a feature the table lacks
     * (about half of them) stops at the first slot far more often: the
     * parser (most of the time of tag + parse) is 10-15% faster, the file
     * 6 MB larger.  The weights found are the same. */
    uint32_t slots = slots_for(kept, 0.3);
    uint16_t *tab = xcalloc((size_t) slots * 4, sizeof *tab);
    for (size_t i = 0; i < kept; i++) {
        uint32_t j = nd__slot_of(keys[i], slots);
        while (tab[4 * j]) j = j + 1 == slots ? 0 : j + 1;
        tab[4 * j] = nd__ttab_fp(keys[i]);
        for (int c = 0; c < 3; c++) tab[4 * j + 1 + c] = (uint16_t) w[i][c];
    }
    ob_u32(out, slots);
    ob_u32(out, 0);
    for (size_t i = 0; i < (size_t) slots * 4; i++) {
        unsigned char x[2] = {(unsigned char) tab[i], (unsigned char) (tab[i] >> 8)};
        ob_put(out, x, 2);
    }
    free(tab);
    free(keys);
    free(w);
    return kept;
}

typedef struct kvlist {
    uint64_t *k;
    uint32_t *v;
    size_t n, cap;
} kvlist;

static void kv_add(kvlist *l, uint64_t k, uint32_t v)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->k = xrealloc(l->k, l->cap * sizeof *l->k);
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->k[l->n] = k ? k : 1;
    l->v[l->n] = v;
    l->n++;
}

/* A lookup map over a kvlist being built (open addressing on indexes). */
typedef struct kvmap {
    int32_t *idx;
    size_t mask;
} kvmap;

static void kvmap_init(kvmap *m, size_t bits)
{
    m->mask = ((size_t) 1 << bits) - 1;
    m->idx = xmalloc((m->mask + 1) * sizeof *m->idx);
    for (size_t i = 0; i <= m->mask; i++) m->idx[i] = -1;
}

static void kv_add_mapped(kvlist *l, kvmap *m, uint64_t k, uint32_t v)
{
    k = k ? k : 1;
    if ((l->n + 1) * 2 > m->mask) die("lemma table full");
    size_t j = (size_t) k & m->mask;
    while (m->idx[j] >= 0) j = (j + 1) & m->mask;
    m->idx[j] = (int32_t) l->n;
    kv_add(l, k, v);
}

static uint32_t kvmap_get(const kvlist *l, const kvmap *m, uint64_t k)
{
    k = k ? k : 1;
    size_t j = (size_t) k & m->mask;
    while (m->idx[j] >= 0) {
        if (l->k[m->idx[j]] == k) return l->v[m->idx[j]];
        j = (j + 1) & m->mask;
    }
    return UINT32_MAX;
}

static void write_ktab(obuf *out, const kvlist *l)
{
    uint32_t slots = slots_for(l->n, 0.5);
    uint64_t *keys = xcalloc(slots, sizeof *keys);
    uint32_t *vals = xcalloc(slots, sizeof *vals);
    for (size_t i = 0; i < l->n; i++) {
        uint32_t j = nd__slot_of(l->k[i], slots);
        while (keys[j] && keys[j] != l->k[i]) j = j + 1 == slots ? 0 : j + 1;
        keys[j] = l->k[i];
        vals[j] = l->v[i];
    }
    ob_u32(out, slots);
    ob_u32(out, 0);
    for (uint32_t i = 0; i < slots; i++) ob_u64(out, keys[i]);
    for (uint32_t i = 0; i < slots; i++) ob_u32(out, vals[i]);
    free(keys);
    free(vals);
}

/* A string pool; offset 0 is the empty string. */
typedef struct spool {
    obuf b;
} spool;

static uint32_t sp_add(spool *sp, const char *s)
{
    if (!sp->b.n) ob_put(&sp->b, "", 1);
    if (!*s) return 0;
    uint32_t at = (uint32_t) sp->b.n;
    ob_put(&sp->b, s, strlen(s) + 1);
    return at;
}

static int n_tags, n_labels, root_label;
/* Not static: GCC 12 at -O3 (-fipa-reference-addressable) put the static
 * ones in read-only data although main adds to them (a write there
 * crashed train_parser). */
strset tagset, labelset;

/* ---- the tagger ------------------------------------------------------------- */

typedef struct tagdict {
    kvlist kv; /* norm -> tag */
    uint64_t *keys;
    uint32_t *vals;
    uint32_t mask;
} tagdict;

static void tagdict_build(tagdict *d, const corpus *c, const int *use, int n_use)
{
    /* Count (norm, tag) over the sentences in use. */
    size_t cap = 1 << 18;
    uint64_t *k = xcalloc(cap, sizeof *k);
    uint32_t *cnt = xcalloc(cap * (size_t) n_tags, sizeof *cnt);
    size_t used = 0;
    for (int u = 0; u < n_use; u++) {
        const tsent *s = &c->s[use[u]];
        for (int i = 0; i < s->n; i++) {
            uint64_t key = fixkey(s->atoms[i].norm);
            size_t j = (size_t) key & (cap - 1);
            while (k[j] && k[j] != key) j = (j + 1) & (cap - 1);
            if (!k[j]) {
                k[j] = key;
                if (++used * 2 > cap) die("tag dictionary: too many words");
            }
            cnt[j * (size_t) n_tags + (size_t) s->tag[i]]++;
        }
    }
    memset(&d->kv, 0, sizeof d->kv);
    for (size_t j = 0; j < cap; j++) {
        if (!k[j]) continue;
        uint32_t tot = 0, best = 0;
        int bt = 0;
        for (int t = 0; t < n_tags; t++) {
            uint32_t x = cnt[j * (size_t) n_tags + (size_t) t];
            tot += x;
            if (x > best) best = x, bt = t;
        }
        if (tot >= (uint32_t) opt.tagdict_min && best * 1000 >= tot * 995)
            kv_add(&d->kv, k[j], (uint32_t) bt);
    }
    free(k);
    free(cnt);
    d->mask = pow2_for(d->kv.n, 0.5) - 1;
    d->keys = xcalloc(d->mask + 1, sizeof *d->keys);
    d->vals = xcalloc(d->mask + 1, sizeof *d->vals);
    for (size_t i = 0; i < d->kv.n; i++) {
        uint32_t j = (uint32_t) d->kv.k[i] & d->mask;
        while (d->keys[j]) j = (j + 1) & d->mask;
        d->keys[j] = d->kv.k[i];
        d->vals[j] = d->kv.v[i];
    }
}

static int tagdict_get(const tagdict *d, uint64_t key)
{
    key = fixkey(key);
    uint32_t j = (uint32_t) key & d->mask;
    for (;;) {
        if (d->keys[j] == key) return (int) d->vals[j];
        if (!d->keys[j]) return -1;
        j = (j + 1) & d->mask;
    }
}

static void tagdict_free(tagdict *d)
{
    free(d->kv.k);
    free(d->kv.v);
    free(d->keys);
    free(d->vals);
}

static int argmax_f(const float *s, int n)
{
    int b = 0;
    for (int i = 1; i < n; i++)
        if (s[i] > s[b]) b = i;
    return b;
}

/* Tag one sentence with the model (averaged or current weights). */
static void tag_sent(const apm *m, const tagdict *d, const tsent *s, uint8_t *out, int avg,
                     const uint8_t *next)
{
    uint64_t keys[ND__MAX_FEATS];
    float scores[ND__MAX_TAGS + 1];
    for (int i = 0; i < s->n; i++) {
        int t = tagdict_get(d, s->atoms[i].norm);
        if (t < 0) {
            size_t k = nd__tag_features(s->atoms, (size_t) s->n, (size_t) i, out, next, keys);
            if (avg)
                apm_score_avg(m, keys, k, scores);
            else
                apm_score(m, keys, k, scores);
            t = argmax_f(scores, n_tags);
        }
        out[i] = (uint8_t) t;
    }
}

/* Train a tagger on the sentences in use.  Second pass (next_of != NULL):
 * the features also see next_of(sentence)'s tags of the words to the
 * right; dev_next gives those of the dev sentences. */
static void train_tagger(apm *m, const tagdict *d, const corpus *c, const int *use, int n_use,
                         int epochs, const corpus *dev, const char *what,
                         uint8_t *const *train_next, uint8_t *const *dev_next)
{
    int *order = xmalloc((size_t) n_use * sizeof *order);
    memcpy(order, use, (size_t) n_use * sizeof *order);
    uint8_t tags[1024];
    uint64_t keys[ND__MAX_FEATS];
    float scores[ND__MAX_TAGS + 1];
    for (int ep = 0; ep < epochs; ep++) {
        shuffle(order, n_use);
        long right = 0, total = 0;
        for (int u = 0; u < n_use; u++) {
            const tsent *s = &c->s[order[u]];
            for (int i = 0; i < s->n; i++) {
                int t = tagdict_get(d, s->atoms[i].norm);
                if (t < 0) {
                    size_t k = nd__tag_features(s->atoms, (size_t) s->n, (size_t) i, tags,
                                                train_next ? train_next[order[u]] : NULL, keys);
                    apm_score(m, keys, k, scores);
                    t = argmax_f(scores, n_tags);
                    if (t != s->tag[i]) {
                        apm_update(m, keys, k, s->tag[i], 1);
                        apm_update(m, keys, k, t, -1);
                    }
                    m->t++;
                }
                right += t == s->tag[i];
                total++;
                tags[i] = (uint8_t) t;
            }
        }
        if (opt.verbose && dev) {
            long dr = 0, dt = 0, ur = 0;
            for (int i = 0; i < dev->n; i++) {
                const tsent *s = &dev->s[i];
                tag_sent(m, d, s, tags, 1, dev_next ? dev_next[i] : NULL);
                for (int k = 0; k < s->n; k++) {
                    dr += tags[k] == s->tag[k];
                    ur += s->upos[k] ==
                          nd_upos_from_name(tagset.s[tags[k]], strcspn(tagset.s[tags[k]], "|"));
                    dt++;
                }
            }
            fprintf(stderr, "  %s epoch %d: train %.2f  dev tag %.2f UPOS %.2f  (%zu features)\n",
                    what, ep + 1, 100.0 * right / total, 100.0 * dr / dt, 100.0 * ur / dt,
                    m->count);
        }
    }
    free(order);
}

/* ---- the parser ------------------------------------------------------------- */

#define MAX_N 256

static uint64_t left_mask, right_mask; /* labels seen with the dependent before / after */

typedef struct ostate {
    nd__pstate st;
    unsigned char mem[(MAX_N + 1) * 64 + 128] __attribute__((aligned(8)));
    uint8_t on_stack[MAX_N + 1];
} ostate;

static void os_init(ostate *o, int n)
{
    nd__pstate_init(&o->st, n, o->mem);
    memset(o->on_stack, 0, sizeof o->on_stack);
}

static void os_apply(ostate *o, int t, int label)
{
    nd__pstate *s = &o->st;
    if (t == ND__T_SHIFT)
        o->on_stack[s->b] = 1;
    else
        o->on_stack[s->stack[s->sp - 1]] = 0;
    nd__pstate_apply(s, t, label);
}

/* Costs (gold arcs lost) of SHIFT, LEFT and RIGHT; -1 when not allowed.
 * Goldberg & Nivre (2013), arc-hybrid. */
static void oracle_costs(const ostate *o, const tsent *g, int cost[3])
{
    const nd__pstate *s = &o->st;
    int n = s->n, b = s->b;
    int s0 = s->sp >= 1 ? s->stack[s->sp - 1] : -1;
    int s1 = s->sp >= 2 ? s->stack[s->sp - 2] : -1;
    cost[0] = cost[1] = cost[2] = -1;
    int s0_deps_buf = 0; /* dependents of s0 still in the buffer */
    if (s0 >= 0)
        for (int d = b; d < n; d++) s0_deps_buf += g->head[d] == s0;
    if (nd__pstate_valid(s, ND__T_SHIFT)) {
        int c = 0, h = g->head[b];
        if (h < b && h != s0 && o->on_stack[h]) c++;
        for (int i = 0; i < s->sp; i++) c += g->head[s->stack[i]] == b;
        cost[ND__T_SHIFT] = c;
    }
    if (nd__pstate_valid(s, ND__T_LEFT)) {
        int c = s0_deps_buf, h = g->head[s0];
        if (h != b && (h == s1 || h > b)) c++;
        cost[ND__T_LEFT] = c;
    }
    if (nd__pstate_valid(s, ND__T_RIGHT)) {
        int c = s0_deps_buf, h = g->head[s0];
        if (h != s1 && h >= b) c++;
        cost[ND__T_RIGHT] = c;
    }
}

/* The best label by the scores among those seen in the direction of t. */
static int best_allowed(int t, const float *sc)
{
    uint64_t ok = t == ND__T_LEFT ? left_mask : right_mask;
    int best = -1;
    for (int l = 0; l < n_labels; l++) {
        if (!(ok >> l & 1)) continue;
        if (best < 0 || sc[l] > sc[best]) best = l;
    }
    return best;
}

/* The same, and root for LEFT onto the root. */
static int best_label(const ostate *o, int t, const float *sc)
{
    if (t == ND__T_LEFT && o->st.b == o->st.n) return root_label;
    return best_allowed(t, sc);
}

typedef struct pscore {
    long words, uas, las, las_full;
} pscore;

/* Parse one sentence with the averaged weights; heads/labels out. */
static void parse_sent_avg(const apm *mt, const apm *ml, const tsent *s, const uint8_t *tags,
                           int *heads, int *labels)
{
    ostate *o = xmalloc(sizeof *o);
    os_init(o, s->n);
    uint64_t keys[ND__MAX_FEATS];
    float sc[3], lsc[ND__MAX_LABELS + 1];
    while (!nd__pstate_done(&o->st)) {
        size_t k = nd__parse_features(&o->st, s->atoms, tags, keys);
        apm_score_avg(mt, keys, k, sc);
        int best = -1;
        for (int t = 0; t < 3; t++) {
            if (!nd__pstate_valid(&o->st, t)) continue;
            if (best < 0 || sc[t] > sc[best]) best = t;
        }
        int label = 0;
        if (best != ND__T_SHIFT) {
            k = label_keys(nd__label_features(&o->st, best, s->atoms, tags, keys));
            apm_score_avg(ml, keys, k, lsc);
            label = best_label(o, best, lsc);
        }
        os_apply(o, best, label);
    }
    for (int i = 0; i < s->n; i++) {
        heads[i] = o->st.head[i];
        labels[i] = o->st.label[i];
    }
    free(o);
}

static int same_base(const char *a, const char *b)
{
    return nd_deprel_base(nd_deprel_from_name(a, strlen(a))) ==
           nd_deprel_base(nd_deprel_from_name(b, strlen(b)));
}

/* Add one parsed sentence to the dev figures. */
static void score_sent(pscore *sc, const tsent *s, const int *heads, const int *labels)
{
    for (int k = 0; k < s->n; k++) {
        sc->words++;
        if (heads[k] != s->head[k]) continue;
        sc->uas++;
        sc->las += same_base(labelset.s[labels[k]], s->labelname[k]);
        sc->las_full += labels[k] == s->label[k];
    }
}

/* The training sentences the parser takes (short enough), in file order. */
static int *train_order(const corpus *c, int *n_order)
{
    int *order = xmalloc((size_t) c->n * sizeof *order);
    *n_order = 0;
    for (int i = 0; i < c->n; i++)
        if (c->s[i].n <= MAX_N - 1) order[(*n_order)++] = i;
    return order;
}

static void eval_parser_avg(const apm *mt, const apm *ml, const corpus *dev,
                            const uint8_t *const *dev_tags, pscore *sc)
{
    int heads[MAX_N], labels[MAX_N];
    memset(sc, 0, sizeof *sc);
    for (int i = 0; i < dev->n; i++) {
        const tsent *s = &dev->s[i];
        if (s->n > MAX_N - 1) continue;
        parse_sent_avg(mt, ml, s, dev_tags[i], heads, labels);
        score_sent(sc, s, heads, labels);
    }
}

static void train_parser(apm *mt, apm *ml, const corpus *c, const corpus *dev,
                         const uint8_t *const *dev_tags)
{
    int n_order;
    int *order = train_order(c, &n_order);
    ostate *o = xmalloc(sizeof *o);
    uint64_t keys[ND__MAX_FEATS], lkeys[ND__MAX_FEATS];
    float sc[3], lsc[ND__MAX_LABELS + 1];
    for (int ep = 0; ep < opt.parse_epochs; ep++) {
        double t0 = now();
        shuffle(order, n_order);
        long steps = 0, errors = 0, arcs = 0, lerrors = 0;
        int explore = ep >= opt.explore_from;
        for (int u = 0; u < n_order; u++) {
            const tsent *s = &c->s[order[u]];
            os_init(o, s->n);
            while (!nd__pstate_done(&o->st)) {
                size_t k = nd__parse_features(&o->st, s->atoms, s->ptag, keys);
                apm_score(mt, keys, k, sc);
                int cost[3];
                oracle_costs(o, s, cost);
                int pred = -1, gold = -1, min_cost = 1 << 30;
                for (int t = 0; t < 3; t++) {
                    if (cost[t] < 0) continue;
                    if (cost[t] < min_cost) min_cost = cost[t];
                    if (pred < 0 || sc[t] > sc[pred]) pred = t;
                }
                for (int t = 0; t < 3; t++) {
                    if (cost[t] != min_cost) continue;
                    if (gold < 0 || sc[t] > sc[gold]) gold = t;
                }
                int next = pred;
                if (cost[pred] > min_cost) {
                    apm_update(mt, keys, k, gold, 1);
                    apm_update(mt, keys, k, pred, -1);
                    errors++;
                    next = explore && rng_unit() < opt.explore_p ? pred : gold;
                }
                mt->t++;
                steps++;
                int label = 0;
                if (next != ND__T_SHIFT) {
                    int s0 = o->st.stack[o->st.sp - 1];
                    int h = next == ND__T_LEFT ? o->st.b : o->st.stack[o->st.sp - 2];
                    if (next == ND__T_LEFT && o->st.b == o->st.n) {
                        label = root_label;
                    } else {
                        size_t lk =
                            label_keys(nd__label_features(&o->st, next, s->atoms, s->ptag, lkeys));
                        apm_score(ml, lkeys, lk, lsc);
                        int lp = best_label(o, next, lsc);
                        label = lp;
                        if (s->head[s0] == h) {
                            int gl = s->label[s0];
                            arcs++;
                            if (lp != gl) {
                                apm_update(ml, lkeys, lk, gl, 1);
                                apm_update(ml, lkeys, lk, lp, -1);
                                lerrors++;
                            }
                            ml->t++;
                            if (!(explore && rng_unit() < opt.explore_p)) label = gl;
                        }
                    }
                }
                os_apply(o, next, label);
            }
        }
        if (opt.verbose) {
            pscore sc_ = {0};
            if (dev) eval_parser_avg(mt, ml, dev, dev_tags, &sc_);
            long w = sc_.words ? sc_.words : 1;
            fprintf(stderr,
                    "  parser epoch %d: %.1f%% steps, %.1f%% labels wrong, %zu + %zu features, "
                    "%.1f s; dev UAS %.2f LAS %.2f (full labels %.2f)\n",
                    ep + 1, 100.0 * errors / (steps ? steps : 1),
                    100.0 * lerrors / (arcs ? arcs : 1), mt->count, ml->count, now() - t0,
                    100.0 * sc_.uas / w, 100.0 * sc_.las / w, 100.0 * sc_.las_full / w);
        }
    }
    free(o);
    free(order);
}

/* ---- the parser trained with a beam ------------------------------------------
 *
 * With --beam K the transitions are trained globally (Zhang & Nivre 2011):
 * a sentence is parsed with a beam of K states, a state's score being the
 * sum of its transitions' scores (forced transitions score nothing, as in
 * the library), against one gold sequence: the oracle's cheapest
 * transition at each step, reductions first (for a projective tree, the
 * static oracle's sequence; for another, a sequence to its best projective
 * tree).  The structured perceptron is updated at the prefix where the
 * beam's best outscores the gold prefix the most (max-violation, Huang,
 * Fayong & Guo 2012): unlike early update, which stops where the gold
 * sequence falls off the beam, it also learns from the rest of the
 * sentence; both converge, max-violation in fewer epochs.  Weights are
 * averaged over sentences.  The labeller is trained as in the greedy
 * trainer, on the gold sequence's states; each state of the beam labels
 * its arcs with it (the parser's features see the labels). */

typedef struct bstep {
    int16_t from;  /* the state of the previous step it extends */
    uint8_t t;     /* its transition */
    uint8_t label; /* the label of the arc it made */
} bstep;

typedef struct beamw {
    int K;
    ostate *st[2]; /* K states each */
    double *score[2];
    bstep *hist;      /* [step][K] */
    float (*sc)[3];   /* scores of each state's transitions, this step */
    int *gseq, *glab; /* the gold sequence and its labels */
    int *bseq, *blab; /* the sequence of the update's beam state */
    ostate *g, *r;    /* the gold state; a replay */
} beamw;

static void beamw_init(beamw *bw, int K)
{
    memset(bw, 0, sizeof *bw);
    bw->K = K;
    for (int g = 0; g < 2; g++) {
        bw->st[g] = xmalloc((size_t) K * sizeof *bw->st[g]);
        bw->score[g] = xmalloc((size_t) K * sizeof *bw->score[g]);
    }
    bw->hist = xmalloc((size_t) 2 * MAX_N * (size_t) K * sizeof *bw->hist);
    bw->sc = xmalloc((size_t) K * sizeof *bw->sc);
    bw->gseq = xmalloc(2 * MAX_N * sizeof *bw->gseq);
    bw->glab = xmalloc(2 * MAX_N * sizeof *bw->glab);
    bw->bseq = xmalloc(2 * MAX_N * sizeof *bw->bseq);
    bw->blab = xmalloc(2 * MAX_N * sizeof *bw->blab);
    bw->g = xmalloc(sizeof *bw->g);
    bw->r = xmalloc(sizeof *bw->r);
}

static void beamw_free(beamw *bw)
{
    for (int g = 0; g < 2; g++) {
        free(bw->st[g]);
        free(bw->score[g]);
    }
    free(bw->hist);
    free(bw->sc);
    free(bw->gseq);
    free(bw->glab);
    free(bw->bseq);
    free(bw->blab);
    free(bw->g);
    free(bw->r);
}

/* The label the labeller gives the arc transition t is about to make. */
static int predict_label(const apm *ml, const nd__pstate *st, const tsent *s, const uint8_t *tags,
                         int t, int avg)
{
    if (t == ND__T_LEFT && st->b == st->n) return root_label;
    uint64_t keys[ND__MAX_FEATS];
    float lsc[ND__MAX_LABELS + 1];
    size_t k = label_keys(nd__label_features(st, t, s->atoms, tags, keys));
    if (avg)
        apm_score_avg(ml, keys, k, lsc);
    else
        apm_score(ml, keys, k, lsc);
    return best_allowed(t, lsc);
}

/* The gold sequence of s: at each step the cheapest transition, LEFT,
 * RIGHT, SHIFT on ties.  Returns its length (2n). */
static int gold_sequence(beamw *bw, const tsent *s)
{
    ostate *o = bw->r;
    os_init(o, s->n);
    int j = 0;
    while (!nd__pstate_done(&o->st)) {
        int cost[3], best = -1;
        oracle_costs(o, s, cost);
        static const int order[3] = {ND__T_LEFT, ND__T_RIGHT, ND__T_SHIFT};
        for (int q = 0; q < 3; q++) {
            int t = order[q];
            if (cost[t] >= 0 && (best < 0 || cost[t] < cost[best])) best = t;
        }
        bw->gseq[j++] = best;
        os_apply(o, best, 0);
    }
    return j;
}

/* Train the labeller on the gold sequence's states, as train_parser does
 * on the states it visits: an update when an arc with the right head gets
 * the wrong label; the state then takes the gold label, or from epoch
 * explore_from with probability explore_p the predicted one. */
static void train_labels_gold(beamw *bw, apm *ml, const tsent *s, int len, int explore, long *arcs,
                              long *lerrors)
{
    ostate *o = bw->r;
    os_init(o, s->n);
    uint64_t keys[ND__MAX_FEATS];
    float lsc[ND__MAX_LABELS + 1];
    for (int j = 0; j < len; j++) {
        int t = bw->gseq[j], label = 0;
        if (t != ND__T_SHIFT) {
            int s0 = o->st.stack[o->st.sp - 1];
            int h = t == ND__T_LEFT ? o->st.b : o->st.stack[o->st.sp - 2];
            if (t == ND__T_LEFT && o->st.b == o->st.n) {
                label = root_label;
            } else {
                size_t k = label_keys(nd__label_features(&o->st, t, s->atoms, s->ptag, keys));
                apm_score(ml, keys, k, lsc);
                int lp = best_label(o, t, lsc);
                label = lp;
                if (s->head[s0] == h) {
                    int gl = s->label[s0];
                    (*arcs)++;
                    if (lp != gl) {
                        apm_update(ml, keys, k, gl, 1);
                        apm_update(ml, keys, k, lp, -1);
                        (*lerrors)++;
                    }
                    ml->t++;
                    if (!(explore && rng_unit() < opt.explore_p)) label = gl;
                }
            }
        }
        os_apply(o, t, label);
    }
}

/* Add delta to the weights of the transitions of seq[from, to) from the
 * state after seq[0, from) (labels lab). */
static void update_sequence(apm *mt, ostate *o, const tsent *s, const int *seq, const int *lab,
                            int from, int to, float delta)
{
    uint64_t keys[ND__MAX_FEATS];
    nd__pstate_init(&o->st, s->n, o->mem);
    for (int j = 0; j < to; j++) {
        if (j >= from && nd__pstate_forced(&o->st) < 0) {
            size_t k = nd__parse_features(&o->st, s->atoms, s->ptag, keys);
            apm_update(mt, keys, k, seq[j], delta);
        }
        nd__pstate_apply(&o->st, seq[j], lab[j]);
    }
}

/* Parse s with the beam.  train: follow the gold sequence of bw->gseq
 * (length len) alongside and make the max-violation update; returns 1
 * when it updated.  Otherwise heads and labels get the best parse. */
static int beam_sentence(beamw *bw, apm *mt, const apm *ml, const tsent *s, const uint8_t *tags,
                         int avg, int train, int len, int *heads, int *labels)
{
    int K = bw->K, cur = 0, nb = 1, gi = train ? 0 : -1, step = 0;
    for (int g = 0; g < 2; g++)
        for (int k = 0; k < K; k++) nd__pstate_init(&bw->st[g][k].st, s->n, bw->st[g][k].mem);
    bw->score[0][0] = 0;
    double gscore = 0, maxv = -1;
    int vstep = -1, vitem = -1;
    if (train) nd__pstate_init(&bw->g->st, s->n, bw->g->mem);
    uint64_t keys[ND__MAX_FEATS];
    typedef struct {
        double score;
        int from, t;
    } cand_t;
    cand_t cand[3 * 64];
    while (!nd__pstate_done(&bw->st[cur][0].st)) {
        int nc = 0;
        for (int i = 0; i < nb; i++) {
            const nd__pstate *st = &bw->st[cur][i].st;
            int forced = nd__pstate_forced(st);
            float *sc = bw->sc[i];
            if (forced < 0) {
                size_t k = nd__parse_features(st, s->atoms, tags, keys);
                if (avg)
                    apm_score_avg(mt, keys, k, sc);
                else
                    apm_score(mt, keys, k, sc);
            }
            for (int t = 0; t < 3; t++) {
                if (forced >= 0 ? t != forced : !nd__pstate_valid(st, t)) continue;
                double v = bw->score[cur][i] + (forced >= 0 ? 0 : sc[t]);
                if (nc == K && v <= cand[K - 1].score) continue;
                int at = nc < K ? nc++ : K - 1;
                while (at > 0 && cand[at - 1].score < v) {
                    cand[at] = cand[at - 1];
                    at--;
                }
                cand[at] = (cand_t){v, i, t};
            }
        }
        int gt = -1, gl = 0;
        if (train) {
            /* the gold state: its score and label as a state of the beam would get them */
            nd__pstate *g = &bw->g->st;
            gt = bw->gseq[step];
            if (nd__pstate_forced(g) < 0) {
                if (gi >= 0) {
                    gscore += bw->sc[gi][gt];
                } else {
                    float sc[3];
                    size_t k = nd__parse_features(g, s->atoms, tags, keys);
                    apm_score(mt, keys, k, sc);
                    gscore += sc[gt];
                }
            }
            if (gt != ND__T_SHIFT) gl = predict_label(ml, g, s, tags, gt, avg);
            bw->glab[step] = gl;
            nd__pstate_apply(g, gt, gl);
        }
        int nxt = !cur, ngi = -1;
        bstep *h = bw->hist + (size_t) step * (size_t) K;
        for (int c = 0; c < nc; c++) {
            nd__pstate *d = &bw->st[nxt][c].st;
            const nd__pstate *from = &bw->st[cur][cand[c].from].st;
            int t = cand[c].t, label = 0;
            if (t != ND__T_SHIFT)
                label =
                    cand[c].from == gi && t == gt ? gl : predict_label(ml, from, s, tags, t, avg);
            nd__pstate_copy(d, from);
            nd__pstate_apply(d, t, label);
            bw->score[nxt][c] = cand[c].score;
            h[c] = (bstep){(int16_t) cand[c].from, (uint8_t) t, (uint8_t) label};
            if (cand[c].from == gi && t == gt) ngi = c;
        }
        cur = nxt, nb = nc, gi = ngi;
        step++;
        if (train && gi != 0) {
            double v = bw->score[cur][0] - gscore;
            if (v >= maxv) maxv = v, vstep = step, vitem = 0;
        }
    }
    if (!train) {
        const nd__pstate *best = &bw->st[cur][0].st;
        for (int i = 0; i < s->n; i++) {
            heads[i] = best->head[i];
            labels[i] = best->label[i];
        }
        return 0;
    }
    if (step != len) die("beam: %d steps, gold sequence %d", step, len);
    if (gi == 0 || vstep < 0) return 0;
    /* The beam state's sequence up to the violation, then the update from
     * where it leaves the gold sequence. */
    for (int j = vstep - 1, i = vitem; j >= 0; j--) {
        const bstep *b = &bw->hist[(size_t) j * (size_t) K + (size_t) i];
        bw->bseq[j] = b->t;
        bw->blab[j] = b->label;
        i = b->from;
    }
    int d = 0;
    while (d < vstep && bw->bseq[d] == bw->gseq[d]) d++;
    update_sequence(mt, bw->r, s, bw->gseq, bw->glab, d, vstep, 1);
    update_sequence(mt, bw->r, s, bw->bseq, bw->blab, d, vstep, -1);
    return 1;
}

static void eval_parser_beam(beamw *bw, apm *mt, const apm *ml, const corpus *dev,
                             const uint8_t *const *dev_tags, pscore *sc)
{
    int heads[MAX_N], labels[MAX_N];
    memset(sc, 0, sizeof *sc);
    for (int i = 0; i < dev->n; i++) {
        const tsent *s = &dev->s[i];
        if (s->n > MAX_N - 1) continue;
        beam_sentence(bw, mt, ml, s, dev_tags[i], 1, 0, 0, heads, labels);
        score_sent(sc, s, heads, labels);
    }
}

static void train_parser_beam(apm *mt, apm *ml, const corpus *c, const corpus *dev,
                              const uint8_t *const *dev_tags)
{
    int n_order;
    int *order = train_order(c, &n_order);
    beamw bw;
    beamw_init(&bw, opt.beam);
    for (int ep = 0; ep < opt.parse_epochs; ep++) {
        double t0 = now();
        shuffle(order, n_order);
        long updates = 0, arcs = 0, lerrors = 0;
        int explore = ep >= opt.explore_from;
        for (int u = 0; u < n_order; u++) {
            const tsent *s = &c->s[order[u]];
            int len = gold_sequence(&bw, s);
            train_labels_gold(&bw, ml, s, len, explore, &arcs, &lerrors);
            updates += beam_sentence(&bw, mt, ml, s, s->ptag, 0, 1, len, NULL, NULL);
            mt->t++;
        }
        if (opt.verbose) {
            pscore sc_ = {0};
            if (dev) eval_parser_beam(&bw, mt, ml, dev, dev_tags, &sc_);
            long w = sc_.words ? sc_.words : 1;
            fprintf(stderr,
                    "  parser (beam %d) epoch %d: %.1f%% sentences updated, %.1f%% labels wrong, "
                    "%zu + %zu features, %.1f s; dev UAS %.2f LAS %.2f (full labels %.2f)\n",
                    opt.beam, ep + 1, 100.0 * updates / (n_order ? n_order : 1),
                    100.0 * lerrors / (arcs ? arcs : 1), mt->count, ml->count, now() - t0,
                    100.0 * sc_.uas / w, 100.0 * sc_.las / w, 100.0 * sc_.las_full / w);
        }
    }
    beamw_free(&bw);
    free(order);
}

/* ---- lemmas ---------------------------------------------------------------- */

#define MAX_SUFFIX 8

typedef struct rulecount {
    uint64_t key; /* suffix key */
    char suffix[MAX_SUFFIX + 1];
    int upos, k;
    /* the transformations seen: strip count and appended string */
    int n;
    struct {
        int strip;
        char add[24];
        int count;
    } t[8];
} rulecount;

/* The transformation from a (lowercased) word to its (lowercased) lemma. */
static int transform(const char *w, const char *lem, int *strip, char *add, size_t add_cap)
{
    size_t wn = strlen(w), ln = strlen(lem), p = 0;
    while (p < wn && p < ln && w[p] == lem[p]) p++;
    if (ln - p >= add_cap) return -1;
    *strip = (int) (wn - p);
    memcpy(add, lem + p, ln - p);
    add[ln - p] = 0;
    return 0;
}

typedef struct ltype {
    char *lower, *lemma;
    int upos, count;
} ltype;

static int cmp_ltype(const void *a, const void *b)
{
    const ltype *x = a, *y = b;
    int c = strcmp(x->lower, y->lower);
    if (c) return c;
    if (x->upos != y->upos) return x->upos - y->upos;
    return strcmp(x->lemma, y->lemma);
}

static int cmp_rule(const void *a, const void *b)
{
    const rulecount *x = a, *y = b;
    if (x->upos != y->upos) return x->upos - y->upos;
    if (x->k != y->k) return x->k - y->k;
    return strcmp(x->suffix, y->suffix);
}

/* Learn lemma rules and exceptions; adds their entries to the lists. */
static void build_lemmas(const corpus *c, kvlist *exc, kvlist *rules, spool *sp)
{
    /* word types (lower, upos, lemma) with counts */
    size_t nt = 0, cap = 1 << 16;
    ltype *ty = xmalloc(cap * sizeof *ty);
    for (int i = 0; i < c->n; i++) {
        const tsent *s = &c->s[i];
        for (int k = 0; k < s->n; k++) {
            if (nt == cap) ty = xrealloc(ty, (cap *= 2) * sizeof *ty);
            char low[128];
            nd__lowercase(s->form[k], strlen(s->form[k]), low, sizeof low);
            ty[nt].lower = xstrdup(low);
            ty[nt].lemma = s->lemma[k];
            ty[nt].upos = s->upos[k];
            ty[nt].count = 1;
            nt++;
        }
    }
    qsort(ty, nt, sizeof *ty, cmp_ltype);
    size_t m = 0;
    for (size_t i = 0; i < nt; i++) {
        if (m && !cmp_ltype(&ty[m - 1], &ty[i])) {
            ty[m - 1].count++;
            free(ty[i].lower);
        } else {
            ty[m++] = ty[i];
        }
    }
    nt = m;
    /* The best lemma of each (lower, upos): most frequent, first in order on ties. */
    size_t nb = 0;
    for (size_t i = 0; i < nt;) {
        size_t j = i, best = i;
        while (j < nt && !strcmp(ty[j].lower, ty[i].lower) && ty[j].upos == ty[i].upos) {
            if (ty[j].count > ty[best].count) best = j;
            j++;
        }
        int tot = 0;
        for (size_t q = i; q < j; q++) tot += ty[q].count;
        ty[nb] = ty[best];
        ty[nb].count = tot;
        nb++;
        i = j;
    }
    /* Suffix rules: count transformations of word types per (upos, suffix). */
    size_t nr = 0, rcap = 1 << 16;
    rulecount *rc = xcalloc(rcap, sizeof *rc);
    size_t hcap = 1 << 20;
    int32_t *hidx = xmalloc(hcap * sizeof *hidx);
    for (size_t i = 0; i < hcap; i++) hidx[i] = -1;
    for (size_t i = 0; i < nb; i++) {
        char llem[128], add[24];
        nd__lowercase(ty[i].lemma, strlen(ty[i].lemma), llem, sizeof llem);
        int strip;
        if (transform(ty[i].lower, llem, &strip, add, sizeof add)) continue;
        size_t wn = strlen(ty[i].lower);
        for (size_t k = 0; k <= MAX_SUFFIX && k <= wn; k++) {
            const char *suf = ty[i].lower + wn - k;
            uint64_t key = nd__suffix_key(suf, k, ty[i].upos);
            size_t j = (size_t) key & (hcap - 1);
            while (hidx[j] >= 0 && rc[hidx[j]].key != key) j = (j + 1) & (hcap - 1);
            if (hidx[j] < 0) {
                if (nr == rcap) {
                    rc = xrealloc(rc, rcap * 2 * sizeof *rc);
                    memset(rc + rcap, 0, rcap * sizeof *rc);
                    rcap *= 2;
                }
                if (nr * 2 >= hcap) die("lemma rules: too many suffixes");
                hidx[j] = (int32_t) nr;
                rc[nr].key = key;
                memcpy(rc[nr].suffix, suf, k);
                rc[nr].suffix[k] = 0;
                rc[nr].upos = ty[i].upos;
                rc[nr].k = (int) k;
                nr++;
            }
            rulecount *r = &rc[hidx[j]];
            int q = 0;
            while (q < r->n && !(r->t[q].strip == strip && !strcmp(r->t[q].add, add))) q++;
            if (q == r->n) {
                if (r->n == 8) continue;
                r->t[q].strip = strip;
                snprintf(r->t[q].add, sizeof r->t[q].add, "%s", add);
                r->t[q].count = 0;
                r->n++;
            }
            r->t[q].count++;
        }
    }
    qsort(rc, nr, sizeof *rc, cmp_rule);
    kvmap rmap;
    kvmap_init(&rmap, 20);
    /* Keep a rule when 2+ word types support it and it differs from what
     * the next shorter suffix would do. */
    size_t kept_rules = 0;
    for (size_t i = 0; i < nr; i++) {
        rulecount *r = &rc[i];
        int b = 0;
        for (int q = 1; q < r->n; q++)
            if (r->t[q].count > r->t[b].count) b = q;
        if (r->k > 0 && r->t[b].count < 2) continue;
        /* The parent rule (suffix minus its first byte). */
        if (r->k > 0) {
            int same = 0;
            for (int kk = r->k - 1; kk >= 0; kk--) {
                uint64_t pk = nd__suffix_key(r->suffix + (r->k - kk), (size_t) kk, r->upos);
                uint32_t pv = kvmap_get(rules, &rmap, pk);
                if (pv == UINT32_MAX) continue;
                same = (int) (pv >> 24) == r->t[b].strip &&
                       !strcmp((const char *) sp->b.p + (pv & 0xFFFFFF), r->t[b].add);
                break;
            }
            if (same) continue;
        }
        if (r->t[b].strip > 255) continue;
        kv_add_mapped(rules, &rmap, r->key,
                      (uint32_t) r->t[b].strip << 24 | sp_add(sp, r->t[b].add));
        kept_rules++;
    }
    /* Exceptions: types the rules get wrong. */
    size_t n_exc = 0;
    for (size_t i = 0; i < nb; i++) {
        const char *low = ty[i].lower;
        size_t ln = strlen(low);
        int strip = 0;
        const char *add = "";
        for (size_t k = ln < MAX_SUFFIX ? ln : MAX_SUFFIX;; k--) {
            uint32_t v = kvmap_get(rules, &rmap, nd__suffix_key(low + ln - k, k, ty[i].upos));
            int found = v != UINT32_MAX;
            if (found) {
                strip = (int) (v >> 24);
                add = (const char *) sp->b.p + (v & 0xFFFFFF);
            }
            if (found || !k) break;
        }
        char pred[256];
        if ((size_t) strip > ln || ((size_t) strip == ln && !*add)) strip = 0, add = "";
        if (strip && (size_t) strip < ln &&
            ((unsigned char) low[ln - (size_t) strip] & 0xC0) == 0x80)
            strip = 0, add = ""; /* as nd__lemmatize: never cut a character */
        snprintf(pred, sizeof pred, "%.*s%s", (int) (ln - (size_t) strip), low, add);
        /* what the lemmatiser would output for a lowercase form */
        if (!strcmp(pred, ty[i].lemma)) continue;
        if (ty[i].upos == ND_UPOS_PROPN) {
            /* proper nouns keep the case of the form: compare case-blind */
            char ll[128];
            nd__lowercase(ty[i].lemma, strlen(ty[i].lemma), ll, sizeof ll);
            if (!strcmp(pred, ll)) continue;
        }
        kv_add(exc, nd__lemma_key(low, ln, ty[i].upos), sp_add(sp, ty[i].lemma));
        n_exc++;
    }
    if (opt.verbose)
        fprintf(stderr, "  lemmas: %zu word types, %zu suffix rules, %zu exceptions\n", nb,
                kept_rules, n_exc);
    for (size_t i = 0; i < nb; i++) free(ty[i].lower);
    free(ty);
    free(rc);
    free(hidx);
    free(rmap.idx);
}

/* ---- the model file ------------------------------------------------------------ */

static void align64(obuf *b)
{
    static const unsigned char z[64] = {0};
    if (b->n % 64) ob_put(b, z, 64 - b->n % 64);
}

static obuf write_model(const apm *tagger, const apm *parser, const apm *labeler, const tagdict *td,
                        const kvlist *exc, const kvlist *rules, spool *sp)
{
    obuf sec[ND__SEC_MAX];
    memset(sec, 0, sizeof sec);
    /* META */
    obuf *meta = &sec[ND__SEC_META];
    ob_put(meta, "tags", 4);
    for (int i = 0; i < n_tags; i++) {
        ob_put(meta, "\t", 1);
        ob_put(meta, tagset.s[i], strlen(tagset.s[i]));
    }
    ob_put(meta, "\nlabels", 7);
    for (int i = 0; i < n_labels; i++) {
        ob_put(meta, "\t", 1);
        ob_put(meta, labelset.s[i], strlen(labelset.s[i]));
    }
    ob_put(meta, "\ndirections", 11);
    for (int i = 0; i < n_labels; i++) {
        const char *d = (left_mask >> i & 1) ? ((right_mask >> i & 1) ? "\tLR" : "\tL")
                                             : ((right_mask >> i & 1) ? "\tR" : "\t-");
        ob_put(meta, d, strlen(d));
    }
    ob_put(meta, "\npasses\t1\n", 10);
    if (opt.beam > 0) {
        char line[32];
        int ln = snprintf(line, sizeof line, "beam\t%d\n", opt.beam);
        ob_put(meta, line, (size_t) ln);
    }
    /* Not read by the loader: says what the model has seen (tools/eval_parse.sh). */
    if (opt.data_name && *opt.data_name && !strpbrk(opt.data_name, "\t\n")) {
        ob_put(meta, "data\t", 5);
        ob_put(meta, opt.data_name, strlen(opt.data_name));
        ob_put(meta, "\n", 1);
    }
    double st, sl;
    size_t kt = write_wtab(&sec[ND__SEC_TAGGER], tagger, opt.prune_tag, &st);
    size_t kp = write_ttab(&sec[ND__SEC_PARSER], parser, opt.prune_parse);
    size_t kl = write_wtab(&sec[ND__SEC_LABELER], labeler, opt.prune_parse, &sl);
    write_ktab(&sec[ND__SEC_TAGDICT], &td->kv);
    write_ktab(&sec[ND__SEC_LEMMA_EXC], exc);
    write_ktab(&sec[ND__SEC_LEMMA_RULE], rules);
    if (!sp->b.n) sp_add(sp, "");
    sec[ND__SEC_STRINGS] = sp->b;
    fprintf(stderr,
            "  model: tagger %zu features (%.1f MB), parser %zu (%.1f MB), labels %zu (%.1f "
            "MB)\n",
            kt, sec[ND__SEC_TAGGER].n / 1e6, kp, sec[ND__SEC_PARSER].n / 1e6, kl,
            sec[ND__SEC_LABELER].n / 1e6);
    obuf out = {0};
    int n_sec = ND__SEC_MAX - 1;
    unsigned char hdr[ND__PM_HEADER] = {0};
    ob_put(&out, hdr, sizeof hdr);
    size_t table_at = out.n;
    for (int i = 0; i < n_sec; i++) {
        ob_u32(&out, 0);
        ob_u32(&out, 0);
        ob_u64(&out, 0);
        ob_u64(&out, 0);
    }
    for (int id = 1; id < ND__SEC_MAX; id++) {
        align64(&out);
        size_t at = out.n;
        ob_put(&out, sec[id].p ? sec[id].p : (unsigned char *) "", sec[id].n);
        unsigned char *e = out.p + table_at + 24 * (size_t) (id - 1);
        obuf tmp = {0};
        ob_u32(&tmp, (uint32_t) id);
        ob_u32(&tmp, 0);
        ob_u64(&tmp, at);
        ob_u64(&tmp, sec[id].n);
        memcpy(e, tmp.p, 24);
        free(tmp.p);
        if (id != ND__SEC_STRINGS) free(sec[id].p);
    }
    align64(&out);
    obuf h = {0};
    ob_put(&h, ND__PM_MAGIC, 8);
    ob_u32(&h, ND__PM_VERSION);
    ob_u32(&h, (uint32_t) n_sec);
    ob_u64(&h, out.n);
    ob_u64(&h, 0);
    ob_u32(&h, (uint32_t) (ND__PM_HEADER + 24 * n_sec));
    memcpy(out.p, h.p, h.n);
    free(h.p);
    uint64_t sum = nd__pm_checksum(out.p + 32, out.n - 32);
    obuf cs = {0};
    ob_u64(&cs, sum);
    memcpy(out.p + 24, cs.p, 8);
    free(cs.p);
    return out;
}

/* ---- evaluation through the library ----------------------------------------------- */

static void eval_model(const unsigned char *bytes, size_t n, const corpus *dev, const char *what)
{
    void *mem = NULL;
    if (posix_memalign(&mem, 64, n ? n : 64)) die("out of memory");
    memcpy(mem, bytes, n);
    nd_error err = {0};
    nd_parser *p = nd_parser_load_mem(mem, n, &err);
    if (!p) die("the written model does not load: %s", err.msg);
    nd_parse_work *wk = nd_parse_work_new();
    long words = 0, upos = 0, uas = 0, las = 0, lem = 0;
    char *text = xmalloc(1 << 16);
    nd_word *w = xmalloc(MAX_N * 4 * sizeof *w);
    double t0 = now();
    for (int i = 0; i < dev->n; i++) {
        const tsent *s = &dev->s[i];
        size_t tl = 0;
        for (int k = 0; k < s->n; k++) {
            size_t fl = strlen(s->form[k]);
            if (tl + fl + 2 > (1 << 16)) break;
            memset(&w[k], 0, sizeof w[k]);
            w[k].start = (uint32_t) tl;
            memcpy(text + tl, s->form[k], fl);
            tl += fl;
            w[k].end = (uint32_t) tl;
            text[tl++] = ' ';
        }
        if (nd_parse_sentence(p, text, tl, w, (size_t) s->n, wk)) die("parse failed");
        for (int k = 0; k < s->n; k++) {
            words++;
            upos += w[k].upos == s->upos[k];
            int gh = s->head[k] == s->n ? -1 : s->head[k];
            if (w[k].head == gh) {
                uas++;
                las +=
                    nd_deprel_base(w[k].deprel) ==
                    nd_deprel_base(nd_deprel_from_name(s->labelname[k], strlen(s->labelname[k])));
            }
            lem += !strcmp(w[k].lemma, s->lemma[k]);
        }
    }
    double dt = now() - t0;
    fprintf(stderr,
            "%s (through the library): UPOS %.2f  UAS %.2f  LAS %.2f  lemma %.2f  "
            "(%d sentences, %.0f sentences/s)\n",
            what, 100.0 * upos / words, 100.0 * uas / words, 100.0 * las / words,
            100.0 * lem / words, dev->n, dev->n / (dt > 0 ? dt : 1e-9));
    free(text);
    free(w);
    nd_parse_work_free(wk);
    nd_parser_free(p);
    free(mem);
}

/* ---- main -------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: train_parser --train FILE.conllu [--dev FILE.conllu] --out MODEL\n"
                    "       [--tag-epochs N] [--parse-epochs N] [--folds K] [--explore-from N]\n"
                    "       [--explore-p P] [--prune-tag X] [--prune-parse X] [--mix N]\n"
                    "       [--seed S] [--data-name TEXT] [--beam K] [--label-outer] [--quiet]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *train_path = NULL, *dev_path = NULL, *out_path = NULL;
    static const struct option lo[] = {{"train", 1, 0, 't'},        {"dev", 1, 0, 'd'},
                                       {"out", 1, 0, 'o'},          {"tag-epochs", 1, 0, 'T'},
                                       {"parse-epochs", 1, 0, 'P'}, {"folds", 1, 0, 'F'},
                                       {"explore-from", 1, 0, 'E'}, {"explore-p", 1, 0, 'e'},
                                       {"prune-tag", 1, 0, 'x'},    {"prune-parse", 1, 0, 'y'},
                                       {"quiet", 0, 0, 'q'},        {"coarse", 0, 0, 'C'},
                                       {"tag-only", 0, 0, 'O'},     {"passes", 1, 0, 'p'},
                                       {"mix", 1, 0, 'M'},          {"seed", 1, 0, 'S'},
                                       {"data-name", 1, 0, 'N'},    {"beam", 1, 0, 'B'},
                                       {"label-outer", 0, 0, 'L'},  {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "t:d:o:q", lo, NULL)) != -1) {
        switch (c) {
        case 't': train_path = optarg; break;
        case 'd': dev_path = optarg; break;
        case 'o': out_path = optarg; break;
        case 'T': opt.tag_epochs = atoi(optarg); break;
        case 'P': opt.parse_epochs = atoi(optarg); break;
        case 'F': opt.folds = atoi(optarg); break;
        case 'E': opt.explore_from = atoi(optarg); break;
        case 'e': opt.explore_p = atof(optarg); break;
        case 'x': opt.prune_tag = atof(optarg); break;
        case 'y': opt.prune_parse = atof(optarg); break;
        case 'q': opt.verbose = 0; break;
        case 'C': opt.coarse = 1; break;
        case 'O': opt.tag_only = 1; break;
        case 'p': opt.passes = atoi(optarg) == 2 ? 2 : 1; break;
        case 'M': opt.mix = atoi(optarg); break;
        case 'S': opt.seed = strtoul(optarg, NULL, 10); break;
        case 'N': opt.data_name = optarg; break;
        case 'B': opt.beam = atoi(optarg); break;
        case 'L': label_keys_max = ND__MAX_FEATS; break;
        default: usage();
        }
    }
    if (!train_path || !out_path || opt.folds < 2 || opt.mix < 1 || opt.mix > 64 || opt.beam < 0 ||
        opt.beam > ND__MAX_BEAM)
        usage();
    double t_start = now();
    corpus tr, dev;
    read_corpus(train_path, &tr);
    memset(&dev, 0, sizeof dev);
    if (dev_path) read_corpus(dev_path, &dev);
    /* Tag and label sets, sorted by name. */
    for (int i = 0; i < tr.n; i++)
        for (int k = 0; k < tr.s[i].n; k++) {
            strset_add(&tagset, tr.s[i].tagname[k]);
            strset_add(&labelset, tr.s[i].labelname[k]);
        }
    if (!tagset.n || !labelset.n) die("no sentences in the training data");
    qsort(tagset.s, (size_t) tagset.n, sizeof *tagset.s, cmp_str);
    qsort(labelset.s, (size_t) labelset.n, sizeof *labelset.s, cmp_str);
    n_tags = tagset.n;
    n_labels = labelset.n;
    if (n_tags > ND__MAX_TAGS || n_labels > ND__MAX_LABELS) die("too many tags or labels");
    root_label = strset_find(&labelset, "root");
    if (root_label < 0) die("no root label in the training data");
    for (int pass = 0; pass < 2; pass++) {
        corpus *cp = pass ? &dev : &tr;
        for (int i = 0; i < cp->n; i++)
            for (int k = 0; k < cp->s[i].n; k++) {
                int t = strset_find(&tagset, cp->s[i].tagname[k]);
                int l = strset_find(&labelset, cp->s[i].labelname[k]);
                cp->s[i].tag[k] = t < 0 ? 0 : t;
                cp->s[i].label[k] = l < 0 ? 0 : l;
            }
    }
    fprintf(stderr, "train_parser: %d sentences, %ld words, %d tags, %d labels\n", tr.n, tr.words,
            n_tags, n_labels);
    /* With --mix N, N models (taggers, jackknifed tags, parsers) are
     * trained with different seeds (sentence orders, exploration) and
     * their averaged weights averaged; --mix 1 is one model. */
    int *use = xmalloc((size_t) tr.n * sizeof *use);
    tagdict td;
    apm tagger, parser, labeler, mix_t, mix_p, mix_l;
    if (opt.mix > 1) {
        apm_init(&mix_t, n_tags, 18);
        apm_init(&mix_p, 3, 22);
        apm_init(&mix_l, n_labels, 20);
    }
    for (int member = 0; member < opt.mix; member++) {
        rng_seed(opt.seed, member);
        if (opt.mix > 1) fprintf(stderr, "train_parser: model %d of %d\n", member + 1, opt.mix);
        /* Jackknifed tags for the parser (and for the second pass's training):
         * each tenth of train tagged by taggers trained on the other nine. */
        double t0 = now();
        uint8_t **jk1 = xcalloc((size_t) tr.n, sizeof *jk1); /* first pass, jackknifed */
        for (int i = 0; i < tr.n; i++) jk1[i] = xmalloc((size_t) tr.s[i].n + 1);
        for (int pass = 0; pass < opt.passes; pass++) {
            for (int f = 0; f < opt.folds; f++) {
                int lo_ = (int) ((long) tr.n * f / opt.folds),
                    hi = (int) ((long) tr.n * (f + 1) / opt.folds);
                int nu = 0;
                for (int i = 0; i < tr.n; i++)
                    if (i < lo_ || i >= hi) use[nu++] = i;
                tagdict ftd;
                tagdict_build(&ftd, &tr, use, nu);
                apm m;
                apm_init(&m, n_tags, 18);
                train_tagger(&m, &ftd, &tr, use, nu, opt.tag_epochs, NULL, "fold",
                             pass ? jk1 : NULL, NULL);
                long right = 0, tot = 0;
                for (int i = lo_; i < hi; i++) {
                    uint8_t *out = pass || opt.passes == 1 ? tr.s[i].ptag : jk1[i];
                    tag_sent(&m, &ftd, &tr.s[i], out, 1, pass ? jk1[i] : NULL);
                    if (!pass && opt.passes == 1) memcpy(jk1[i], out, (size_t) tr.s[i].n);
                    for (int k = 0; k < tr.s[i].n; k++) right += out[k] == tr.s[i].tag[k], tot++;
                }
                if (opt.verbose && f == 0)
                    fprintf(stderr, "  pass %d fold %d: held-out tag accuracy %.2f\n", pass + 1,
                            f + 1, 100.0 * right / tot);
                apm_free(&m);
                tagdict_free(&ftd);
            }
        }
        fprintf(stderr, "train_parser: jackknifed tags in %.1f s\n", now() - t0);
        /* The tagger(s) on all of train. */
        t0 = now();
        for (int i = 0; i < tr.n; i++) use[i] = i;
        tagdict_build(&td, &tr, use, tr.n);
        apm tagger2;
        memset(&tagger2, 0, sizeof tagger2);
        apm_init(&tagger, n_tags, 18);
        train_tagger(&tagger, &td, &tr, use, tr.n, opt.tag_epochs, dev_path ? &dev : NULL, "tagger",
                     NULL, NULL);
        uint8_t **dev_tags = xcalloc((size_t) dev.n + 1, sizeof *dev_tags);
        uint8_t **dev_tags1 = xcalloc((size_t) dev.n + 1, sizeof *dev_tags1);
        for (int i = 0; i < dev.n; i++) {
            dev_tags[i] = xmalloc((size_t) dev.s[i].n + 1);
            dev_tags1[i] = xmalloc((size_t) dev.s[i].n + 1);
            tag_sent(&tagger, &td, &dev.s[i], dev_tags1[i], 1, NULL);
            memcpy(dev_tags[i], dev_tags1[i], (size_t) dev.s[i].n);
        }
        if (opt.passes == 2) {
            apm_init(&tagger2, n_tags, 18);
            train_tagger(&tagger2, &td, &tr, use, tr.n, opt.tag_epochs, dev_path ? &dev : NULL,
                         "tagger pass 2", jk1, dev_tags1);
            for (int i = 0; i < dev.n; i++)
                tag_sent(&tagger2, &td, &dev.s[i], dev_tags[i], 1, dev_tags1[i]);
        }
        fprintf(stderr, "train_parser: tagger in %.1f s (%zu tag dictionary words)\n", now() - t0,
                td.kv.n);
        if (opt.tag_only) return 0;
        if (opt.passes == 2)
            die("--passes 2 is an experiment for --tag-only (the model has one pass)");
        for (int i = 0; i < dev.n; i++)
            if (getenv("ND_GOLD_DEV_TAGS"))
                for (int k = 0; k < dev.s[i].n; k++) dev_tags[i][k] = (uint8_t) dev.s[i].tag[k];
        /* The parser: which labels go which way, then the perceptrons. */
        for (int i = 0; i < tr.n; i++)
            for (int k = 0; k < tr.s[i].n; k++) {
                if (tr.s[i].label[k] == root_label) continue;
                if (k < tr.s[i].head[k])
                    left_mask |= 1ULL << tr.s[i].label[k];
                else
                    right_mask |= 1ULL << tr.s[i].label[k];
            }
        t0 = now();
        apm_init(&parser, 3, 22);
        apm_init(&labeler, n_labels, 20);
        if (opt.beam > 0)
            train_parser_beam(&parser, &labeler, &tr, dev_path ? &dev : NULL,
                              (const uint8_t *const *) dev_tags);
        else
            train_parser(&parser, &labeler, &tr, dev_path ? &dev : NULL,
                         (const uint8_t *const *) dev_tags);
        fprintf(stderr, "train_parser: parser in %.1f s\n", now() - t0);
        if (opt.mix > 1) {
            apm_mix(&mix_t, &tagger, 1.0 / opt.mix);
            apm_mix(&mix_p, &parser, 1.0 / opt.mix);
            apm_mix(&mix_l, &labeler, 1.0 / opt.mix);
            apm_free(&tagger);
            apm_free(&parser);
            apm_free(&labeler);
            if (member + 1 < opt.mix) tagdict_free(&td);
        }
    }
    if (opt.mix > 1) {
        tagger = mix_t;
        parser = mix_p;
        labeler = mix_l;
    }
    /* Lemmas. */
    kvlist exc = {0}, rules = {0};
    spool sp = {0};
    sp_add(&sp, "");
    build_lemmas(&tr, &exc, &rules, &sp);
    obuf model = write_model(&tagger, &parser, &labeler, &td, &exc, &rules, &sp);
    FILE *f = fopen(out_path, "wb");
    if (!f || fwrite(model.p, 1, model.n, f) != model.n || fclose(f))
        die("%s: cannot write: %s", out_path, strerror(errno));
    fprintf(stderr, "train_parser: wrote %s (%.1f MB) in %.1f s of CPU\n", out_path, model.n / 1e6,
            now() - t_start);
    if (dev_path) eval_model(model.p, model.n, &dev, "dev");
    return 0;
}
