/* events.c - actor - action - actor triples coded in CAMEO, read off the
 * dependency tree of each sentence (tree.c) with the verb lexicon
 * (verbs.c: PETRARCH2's CAMEO verb dictionary and the project's patterns).
 *
 * A verb (by lemma, or by form) finds its block; the block's patterns are
 * matched on the tree: the words after '*' among the verb's objects,
 * obliques and complements in text order, "(prep x)" a dependent with
 * that case marker holding x, "{a b}" consecutive words, synsets by their
 * entries, the words before '*' in the subject.  The most specific pattern
 * wins; without one the verb's own code holds.  Source: the subject (a
 * passive's by-phrase); target: the pattern's '+' slot, else an object,
 * else an oblique.  Coordinated subjects and objects give one event each.
 *
 * Around the verb the tree says what kind of statement it is: negated
 * ("did not", "never", "refused to", "avoided": cooperation becomes its
 * rejection, conflict no event), hypothetical ("could", "if", a question:
 * no event), intended ("plans to", "will" in reported speech: the 03x
 * code), threatened (13x), asked for or demanded ("urged X to", "demanded
 * that X": 02x and 10x with the target the one asked).  Reported speech is
 * coded in the reported clause with its own actors; force a speaker reports
 * is the speaker's accusation (112), or its claim (015) when it is its own.
 * The date is the article's, moved to the weekday the sentence names. */
#include "analyze/analyze_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef ND_EV_DEBUG
#define DBG(...) fprintf(stderr, __VA_ARGS__)
#else
#define DBG(...) ((void) 0)
#endif

/* ---- words --------------------------------------------------------------- */

/* Per-document scratch: the lowercased form of every word. */
typedef struct ectx {
    nd__doc *d;
    const char **form; /* per word */
    uint32_t s;        /* sentence */
    int32_t w0, w1;    /* its words */
    int32_t day;       /* the day the sentence speaks of (day_of) */
    int have_day;
    uint8_t *done;         /* per word: coded as part of another event (w - w0) */
    uint8_t *mask;         /* per word: in the region being matched (w - w0): mpre or mpost */
    uint8_t *mpre, *mpost; /* the verb's subject side and argument side */
    int32_t pre_lo, pre_hi, post_lo, post_hi;
    int have_pre, have_post; /* computed for mv */
    int question;            /* the sentence is a question */
    /* the pattern being matched */
    int32_t mv;      /* its verb */
    int mpassive;    /* the verb is passive */
    int strict;      /* a PETRARCH pattern: its words are the heads of the verb's arguments */
    int in_phrase;   /* matching inside a {} or () phrase */
    int32_t pp_prev; /* the pattern's last noun: a phrase may modify it ("attack (by)") */
    uint8_t *retag;  /* per word: a verb the tagger took for a noun (w - w0) */
    int32_t cur;     /* the predicate being coded */
    /* what the sentence holds, for the patterns' prefilter */
    uint64_t wsig[8];
    uint64_t sets[2];
} ectx;

static const nd__word *W(const ectx *c, int32_t w)
{
    return &c->d->words[w];
}

static int lemma_is(const ectx *c, int32_t w, const char *l)
{
    return w >= 0 && !strcmp(W(c, w)->lemma, l);
}

static int lemma_in(const ectx *c, int32_t w, const char *const *set)
{
    return w >= 0 && nd__str_in(W(c, w)->lemma, set);
}

static int form_in(const ectx *c, int32_t w, const char *const *set)
{
    return w >= 0 && nd__str_in(c->form[w], set);
}

static int rel_is(const ectx *c, int32_t w, int rel)
{
    return w >= 0 && (W(c, w)->rel == rel || W(c, w)->deprel == rel);
}

static int in_quote(const ectx *c, int32_t w)
{
    return c->d->toks[W(c, w)->tok].in_quote;
}

/* The first dependent of w with relation rel (universal or subtype). */
static int32_t child(const ectx *c, int32_t w, int rel)
{
    return nd__w_child(c->d, w, rel, -1);
}

static int case_in(const ectx *c, int32_t w, const char *const *set)
{
    for (int32_t k = nd__w_child(c->d, w, ND_DEP_NONE, -1); k >= 0;
         k = nd__w_child(c->d, w, ND_DEP_NONE, k))
        if ((W(c, k)->rel == ND_DEP_CASE || W(c, k)->rel == ND_DEP_MARK) && lemma_in(c, k, set))
            return 1;
    return 0;
}

/* A verb, or a word the tagger took for an adjective or a noun that
 * governs like a verb ("it would free prisoners": free/ADJ with an object
 * and an auxiliary). */
static int predicate(const ectx *c, int32_t v)
{
    int u = W(c, v)->upos;
    if (u == ND_UPOS_VERB || c->retag[v - c->w0]) return 1;
    if (u != ND_UPOS_ADJ && u != ND_UPOS_NOUN) return 0;
    if (child(c, v, ND_DEP_COP) >= 0) return 0;
    return child(c, v, ND_DEP_OBJ) >= 0 &&
           (child(c, v, ND_DEP_AUX) >= 0 || child(c, v, ND_DEP_NSUBJ) >= 0);
}

static int usable(const ectx *c, int32_t m);
static int32_t ment_of(const ectx *c, int32_t w);

/* A verb the tagger took for a noun in a clause with no verb of its own
 * ("Iraq's security advisor met/NOUN with Assad", "UN troops
 * withdrew/NOUN from ..."): an inflected form of a verb of the lexicon,
 * with no determiner, right after the noun phrase that would be its
 * subject. */
static int retagged(const ectx *c, int32_t v)
{
    const nd__word *w = W(c, v);
    if (w->upos != ND_UPOS_NOUN && w->upos != ND_UPOS_PROPN && w->upos != ND_UPOS_ADJ) return 0;
    if (v == c->w0 || W(c, v - 1)->upos == ND_UPOS_DET || W(c, v - 1)->upos == ND_UPOS_ADP)
        return 0;
    if (w->head >= 0 && (W(c, w->head)->upos == ND_UPOS_VERB || W(c, w->head)->upos == ND_UPOS_AUX))
        return 0;
    int32_t k;
    for (k = nd__w_child(c->d, v, ND_DEP_NONE, -1); k >= 0;
         k = nd__w_child(c->d, v, ND_DEP_NONE, k)) {
        int r = W(c, k)->deprel;
        if (r == ND_DEP_DET || r == ND_DEP_NUMMOD || r == ND_DEP_COP) return 0;
        if (r == ND_DEP_CASE && k == v - 1) return 0;
    }
    /* the word before it names an actor */
    if (W(c, v - 1)->head != v || !usable(c, ment_of(c, v - 1))) return 0;
    const nd_analyze_dict *dict = c->d->dict;
    const char *f = c->form[v];
    uint32_t key = nd__vlex_find(dict, 0, f, strlen(f));
    if (key == ND__NONE) return 0;
    /* an inflected form: "met", "withdrew", "clashed" ("talks", "attacks"
     * are nouns as well); a bare form after a plural with a phrase of its
     * own ("forces clash with rioters") */
    size_t n = strlen(f);
    if (f[n - 1] == 's') return 0;
    int bare = 0;
    for (uint32_t q = key; q != ND__NONE; q = dict->vkeys[q].next)
        if (!strcmp(dict->verbs[dict->vkeys[q].verb].lemma, f)) bare = 1;
    if (!bare) return 1;
    const char *pf = c->form[v - 1];
    size_t pn = strlen(pf);
    if (W(c, v - 1)->upos != ND_UPOS_NOUN || pn < 3 || pf[pn - 1] != 's') return 0;
    for (int32_t q = nd__w_child(c->d, v, ND_DEP_NMOD, -1); q >= 0;
         q = nd__w_child(c->d, v, ND_DEP_NMOD, q))
        if (q > v && case_in(c, q, (const char *const[]){"with", "against", NULL})) return 1;
    return 0;
}

static int predicate_word(const ectx *c, int32_t v)
{
    return W(c, v)->upos == ND_UPOS_VERB;
}

/* An inflected verb form that is no gerund ("released", "sent", "urged";
 * not "release", "releasing"). */
static int inflected(const ectx *c, int32_t v)
{
    const char *f = c->form[v];
    size_t n = strlen(f);
    return strcmp(f, W(c, v)->lemma) && !(n > 4 && !strcmp(f + n - 3, "ing"));
}

/* The verb of a clause whose subject is modified by a participle the
 * parser took for that subject's verb: "A report released in Kigali
 * alleged that ..." parsed with released/root, report its subject and
 * alleged hung below it (advcl, xcomp, or acl of its oblique).  Two
 * finite verbs do not follow each other in one clause with no subject,
 * conjunction, comma or "that" between them, so the first is a reduced
 * relative ("a report (that was) released in Kigali") and the second the
 * clause's verb.  Only a participle right after its noun and with no
 * object or auxiliary of its own, and only a second verb with an object
 * or a complement ("soldiers returned home wounded" keeps its verb).
 * Returns that second verb for participle p, or -1. */
static int32_t reduced_main(const ectx *c, int32_t p)
{
    static const int no_rel[] = {ND_DEP_AUX,  ND_DEP_OBJ,  ND_DEP_IOBJ, ND_DEP_CCOMP,
                                 ND_DEP_EXPL, ND_DEP_MARK, ND_DEP_COP};
    if (p < 0 || W(c, p)->upos != ND_UPOS_VERB || !inflected(c, p)) return -1;
    const char *pf = c->form[p];
    if (pf[strlen(pf) - 1] == 's') return -1; /* "releases": finite */
    int32_t s = child(c, p, ND_DEP_NSUBJ);
    if (s < 0 || s > p || W(c, s)->deprel != ND_DEP_NSUBJ || W(c, s)->hi + 1 != p ||
        (W(c, s)->upos != ND_UPOS_NOUN && W(c, s)->upos != ND_UPOS_PROPN))
        return -1;
    for (size_t i = 0; i < sizeof no_rel / sizeof no_rel[0]; i++)
        if (child(c, p, no_rel[i]) >= 0) return -1;
    for (int32_t k = nd__w_child(c->d, p, ND_DEP_NONE, -1); k >= 0;
         k = nd__w_child(c->d, p, ND_DEP_NONE, k)) {
        if (k < p) continue;
        /* the verb below the participle, or below its oblique ("troops
         * stationed in the north attacked/acl rebels") */
        int32_t v = -1;
        int r = W(c, k)->rel;
        if (r == ND_DEP_ADVCL || r == ND_DEP_XCOMP || r == ND_DEP_PARATAXIS || r == ND_DEP_DEP)
            v = k;
        else if (r == ND_DEP_OBL)
            for (int32_t q = nd__w_child(c->d, k, ND_DEP_ACL, -1); q >= 0 && v < 0;
                 q = nd__w_child(c->d, k, ND_DEP_ACL, q))
                if (q > k && W(c, q)->deprel == ND_DEP_ACL && W(c, q)->lo == k + 1) v = q;
        if (v < 0 || W(c, v)->upos != ND_UPOS_VERB) continue;
        if (child(c, v, ND_DEP_NSUBJ) >= 0 || child(c, v, ND_DEP_CSUBJ) >= 0 ||
            child(c, v, ND_DEP_EXPL) >= 0 || child(c, v, ND_DEP_MARK) >= 0)
            continue;
        if (!inflected(c, v) && child(c, v, ND_DEP_AUX) < 0) continue;
        if (child(c, v, ND_DEP_OBJ) < 0 && child(c, v, ND_DEP_IOBJ) < 0 &&
            child(c, v, ND_DEP_CCOMP) < 0)
            continue;
        /* nothing between them that could start a clause of its own
         * ("departed ... years after crowds trashed its embassy") */
        static const char *const opens[] = {"after", "before", "since",  "until", "till",
                                            "as",    "while",  "when",   "where", "because",
                                            "than",  "once",   "though", NULL};
        int ok = 1;
        for (int32_t q = p + 1; q < W(c, v)->lo && ok; q++) {
            int u = W(c, q)->upos;
            if (u == ND_UPOS_PUNCT || u == ND_UPOS_CCONJ || u == ND_UPOS_SCONJ ||
                u == ND_UPOS_PRON || W(c, q)->rel == ND_DEP_MARK || form_in(c, q, opens))
                ok = 0;
        }
        if (ok) return v;
    }
    return -1;
}

/* The participle whose clause verb v is (reduced_main), or -1. */
static int32_t reduced_of(const ectx *c, int32_t v)
{
    int32_t h = W(c, v)->head;
    for (int i = 0; i < 2 && h >= 0; i++, h = W(c, h)->head)
        if (reduced_main(c, h) == v) return h;
    return -1;
}

/* Obliques that are circumstances, not participants. */
static const char *const adjunct_preps[] = {
    "amid",      "despite",   "during",  "since",   "until",  "throughout", "like",  "unlike",
    "including", "following", "besides", "via",     "within", "without",    "ago",   "because",
    "as",        "than",      "except",  "instead", "after",  "before",     "prior", NULL};
/* Obliques that are participants only when nothing better is there:
 * topics, reasons */
static const char *const weak_preps[] = {"for",    "about",  "over",  "of", "under",
                                         "beyond", "behind", "among", NULL};

/* ---- mentions --------------------------------------------------------------- */

/* A mention usable as an actor: resolved, coded, not inside quotations. */
static int usable(const ectx *c, int32_t m)
{
    nd__doc *d = c->d;
    if (m < 0) return 0;
    nd__ment *mm = &d->ments[m];
    if (d->toks[mm->t0].in_quote) return 0;
    if (mm->actor < 0 && mm->pronoun && mm->pronoun != 4 && mm->pronoun != 5)
        mm->actor = nd__resolve_pronoun(d, (size_t) m);
    if (mm->actor < 0) return 0;
    return d->acts[mm->actor].code[0] != 0;
}

/* The mention holding word w. */
static int32_t ment_of(const ectx *c, int32_t w)
{
    int32_t m = w < 0 ? -1 : nd__w_ment(c->d, w);
#ifdef ND_EV_DEBUG
    if (m >= 0 && c->d->ments[m].pronoun)
        DBG("    pronoun %s: actor %d actor2 %d\n", c->form[w], c->d->ments[m].actor,
            c->d->ments[m].actor2);
#endif
    return m;
}

/* The word of a phrase whose mention names the phrase's actor: its head
 * word, else the first actor inside it ("hundreds of UN troops", "the
 * mayor of Nablus", "Trump's efforts", "an attack by Osgiliath soldiers"),
 * never inside its clauses; -1 when none. */
static int32_t actor_word(const ectx *c, int32_t ph, int depth)
{
    if (ph < 0) return -1;
    if (usable(c, ment_of(c, ph))) return ph;
    if (depth > 3) return -1;
    /* the agent of an event noun, the possessor, compounds and modifiers,
     * then other nominal dependents (a place last) */
    for (int pass = 0; pass < 4; pass++)
        for (int32_t k = nd__w_child(c->d, ph, ND_DEP_NONE, -1); k >= 0;
             k = nd__w_child(c->d, ph, ND_DEP_NONE, k)) {
            const nd__word *kw = W(c, k);
            int r = kw->deprel, ok;
            int place = case_in(c, k, (const char *const[]){"in", "at", "near", NULL});
            int by = case_in(c, k, (const char *const[]){"by", NULL});
            /* "ties amid global opposition": a circumstance */
            if (kw->rel == ND_DEP_NMOD && case_in(c, k, adjunct_preps)) continue;
            switch (pass) {
            case 0: ok = kw->rel == ND_DEP_NMOD && by; break;
            case 1:
                ok = r == ND_DEP_NMOD_POSS || r == ND_DEP_COMPOUND || r == ND_DEP_AMOD ||
                     r == ND_DEP_FLAT;
                break;
            case 2: ok = kw->rel == ND_DEP_NMOD && r != ND_DEP_NMOD_POSS && !by && !place; break;
            default: ok = (kw->rel == ND_DEP_NMOD && place) || r == ND_DEP_ACL; break;
            }
            if (!ok) continue;
            if (r == ND_DEP_ACL && k == c->cur) continue;
            if (r == ND_DEP_ACL) {
                /* "the roads leading into Mordor", "the parade supporting
                 * Gondor": the participle's object or oblique */
                for (int32_t q = nd__w_child(c->d, k, ND_DEP_NONE, -1); q >= 0;
                     q = nd__w_child(c->d, k, ND_DEP_NONE, q)) {
                    int qr = W(c, q)->rel;
                    if (q < k || (qr != ND_DEP_OBJ && qr != ND_DEP_OBL)) continue;
                    int32_t x = actor_word(c, q, depth + 1);
                    if (x >= 0) return x;
                }
                continue;
            }
            int32_t x = actor_word(c, k, depth + 1);
            if (x >= 0) return x;
        }
    /* the subject of a participle the parser took for its verb ("a report
     * released in Kigali alleged", reduced_main): as the participle's
     * arguments above, not those of the clause's verb */
    int32_t p = W(c, ph)->head;
    int32_t v = W(c, ph)->rel == ND_DEP_NSUBJ && p != c->cur ? reduced_main(c, p) : -1;
    for (int pass = 0; v >= 0 && pass < 2; pass++) /* its by-phrase first */
        for (int32_t q = nd__w_child(c->d, p, ND_DEP_OBL, -1); q >= 0;
             q = nd__w_child(c->d, p, ND_DEP_OBL, q)) {
            int by = W(c, q)->deprel == ND_DEP_OBL_AGENT ||
                     case_in(c, q, (const char *const[]){"by", NULL});
            if (q < p || by != !pass || nd__w_dominates(c->d, q, v)) continue;
            int32_t x = actor_word(c, q, depth + 1);
            if (x >= 0) return x;
        }
    return -1;
}

static int32_t phrase_actor1(const ectx *c, int32_t ph, int depth)
{
    int32_t w = actor_word(c, ph, depth);
    return w >= 0 ? ment_of(c, w) : -1;
}

static int add_unique(int32_t *out, int n, int max, int32_t m)
{
    if (m < 0 || n >= max) return n;
    for (int i = 0; i < n; i++)
        if (out[i] == m) return n;
    out[n++] = m;
    return n;
}

/* The actors of a phrase, with those coordinated with it or with the word
 * that names it ("Britain, France, Germany and others", "lawmakers in
 * Arnor and Gondor", "ties between Gondor and Osgiliath"): up to max, in
 * text order. */
static int phrase_actors(const ectx *c, int32_t ph, int32_t *out, int max)
{
    int n = 0;
    if (ph < 0) return 0;
    /* the phrase's head, the words of its name ("Xi Jinping and Russian
     * President Vladimir Putin" with the second name joined to "Jinping"),
     * the word naming its actor */
    int32_t heads[4] = {ph, -1, -1, actor_word(c, ph, 0)};
    int32_t f1 = nd__w_child(c->d, ph, ND_DEP_FLAT, -1);
    if (f1 >= 0) heads[1] = f1, heads[2] = nd__w_child(c->d, ph, ND_DEP_FLAT, f1);
    for (int h = 0; h < 4; h++) {
        int32_t w = heads[h];
        if (w < 0 || (h == 3 && w == ph)) continue;
        if (h == 3) n = add_unique(out, n, max, ment_of(c, w));
        for (int32_t k = nd__w_child(c->d, w, ND_DEP_CONJ, -1); k >= 0 && n < max;
             k = nd__w_child(c->d, w, ND_DEP_CONJ, k)) {
            /* a conjoined clause is not a coordinated phrase */
            if (W(c, k)->upos == ND_UPOS_VERB) continue;
            n = add_unique(out, n, max, phrase_actor1(c, k, 0));
            /* "A, B, and C" parsed as a chain */
            for (int32_t q = nd__w_child(c->d, k, ND_DEP_CONJ, -1); q >= 0 && n < max;
                 q = nd__w_child(c->d, k, ND_DEP_CONJ, q))
                if (W(c, q)->upos != ND_UPOS_VERB)
                    n = add_unique(out, n, max, phrase_actor1(c, q, 0));
        }
        if (h == 0) {
            /* coordinated modifiers name one group each ("US and British
             * activists", "Russian and Chinese officials") */
            for (int32_t k = nd__w_child(c->d, ph, ND_DEP_NONE, -1); k >= 0 && k < ph && n < max;
                 k = nd__w_child(c->d, ph, ND_DEP_NONE, k)) {
                int r = W(c, k)->deprel;
                if ((r != ND_DEP_AMOD && r != ND_DEP_COMPOUND) ||
                    nd__w_child(c->d, k, ND_DEP_CONJ, -1) < 0)
                    continue;
                int32_t mk = ment_of(c, k);
                if (usable(c, mk) && mk != ment_of(c, ph)) n = add_unique(out, n, max, mk);
                for (int32_t q = nd__w_child(c->d, k, ND_DEP_CONJ, -1); q >= 0 && n < max;
                     q = nd__w_child(c->d, k, ND_DEP_CONJ, q)) {
                    int32_t mq = ment_of(c, q);
                    if (usable(c, mq)) n = add_unique(out, n, max, mq);
                }
            }
            /* the countries of one name coordinated ("lawmakers in A and
             * B", "the ambassadors of A, B and C" named as one actor) */
            int32_t mh = ment_of(c, ph);
            for (int32_t k = nd__w_child(c->d, ph, ND_DEP_NMOD, -1); mh >= 0 && k >= 0 && n < max;
                 k = nd__w_child(c->d, ph, ND_DEP_NMOD, k)) {
                if (k < ph || ment_of(c, k) != mh) continue;
                for (int32_t q = nd__w_child(c->d, k, ND_DEP_CONJ, -1); q >= 0 && n < max;
                     q = nd__w_child(c->d, k, ND_DEP_CONJ, q))
                    if (W(c, q)->upos != ND_UPOS_VERB) {
                        n = add_unique(out, n, max, phrase_actor1(c, q, 0));
                        for (int32_t r = nd__w_child(c->d, q, ND_DEP_CONJ, -1); r >= 0 && n < max;
                             r = nd__w_child(c->d, q, ND_DEP_CONJ, r))
                            n = add_unique(out, n, max, phrase_actor1(c, r, 0));
                    }
            }
            /* the head's own actor before its conjuncts */
            int32_t m = phrase_actor1(c, ph, 0);
            if (m >= 0) {
                int32_t tmp[8];
                int k = 0;
                tmp[k++] = m;
                for (int i = 0; i < n && k < 8; i++)
                    if (out[i] != m) tmp[k++] = out[i];
                n = k < max ? k : max;
                memcpy(out, tmp, (size_t) n * sizeof *out);
            }
        }
    }
    return n;
}

/* ---- events ------------------------------------------------------------------ */

static void add_event1(nd__doc *d, int32_t sa, int32_t ta, const char *code, uint32_t s,
                       nd_span verb, int neg, int32_t day)
{
    if (sa < 0 || ta < 0 || sa == ta) return;
    const char *sc = d->acts[sa].code, *tc = d->acts[ta].code;
    if (!strcmp(sc, tc)) return;
    /* "rebels killed civilians": no country on either side is no event */
    if (!strncmp(sc, "---", 3) && !strncmp(tc, "---", 3)) return;
    /* events come sentence by sentence: only this sentence's can repeat */
    for (size_t i = d->n_events; i > 0 && d->events[i - 1].sent == s; i--) {
        nd__wevent *o = &d->events[i - 1];
        if (o->src == sa && o->tgt == ta && !strcmp(o->code, code)) return;
    }
    if (d->n_events == d->cap_events) {
        size_t nc = d->cap_events ? d->cap_events * 2 : 32;
        nd__wevent *q = nd_arena_alloc(d->ar, nc * sizeof *q);
        if (!q) {
            d->failed = 1;
            return;
        }
        if (d->n_events) memcpy(q, d->events, d->n_events * sizeof *q);
        d->events = q, d->cap_events = nc;
    }
    nd__wevent *ev = &d->events[d->n_events++];
    memset(ev, 0, sizeof *ev);
    ev->src = sa, ev->tgt = ta;
    snprintf(ev->src_code, sizeof ev->src_code, "%s", sc);
    snprintf(ev->tgt_code, sizeof ev->tgt_code, "%s", tc);
    snprintf(ev->code, sizeof ev->code, "%s", code);
    ev->sent = s;
    ev->verb = verb;
    ev->negated = neg;
    ev->day = day;
}

static int32_t sentence_day(const nd__doc *d, uint32_t s);

/* The sentence's day, found when an event needs it. */
static int32_t day_of(const ectx *c)
{
    ectx *cc = (ectx *) c;
    if (!cc->have_day) cc->day = sentence_day(c->d, c->s), cc->have_day = 1;
    return cc->day;
}

/* Events between two mentions: each may stand for two actors ("the two
 * leaders", "they"). */
static void add_event(const ectx *c, int32_t sm, int32_t tm, const char *code, nd_span verb,
                      int neg)
{
    nd__doc *d = c->d;
    const nd__ment *a = &d->ments[sm], *b = &d->ments[tm];
    int32_t sa[2] = {a->actor, a->actor2}, ta[2] = {b->actor, b->actor2};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) add_event1(d, sa[i], ta[j], code, c->s, verb, neg, day_of(c));
    /* "the two leaders met": each toward the other */
    if (sm == tm && a->actor2 >= 0) {
        add_event1(d, a->actor, a->actor2, code, c->s, verb, neg, day_of(c));
        add_event1(d, a->actor2, a->actor, code, c->s, verb, neg, day_of(c));
    }
}

/* ---- codes ----------------------------------------------------------------- */

static int root_of(const char *code)
{
    if (!code[0] || !code[1]) return -1;
    return (code[0] - '0') * 10 + (code[1] - '0');
}

/* A negated code: cooperation becomes its rejection, anything else no
 * event ("refused to condemn" is not a condemnation). */
static const char *negate(const char *code)
{
    int root = root_of(code);
    if (!strncmp(code, "057", 3)) return "127";
    switch (root) {
    case 3: return "120";
    case 4: return "125";
    case 5: return "120";
    case 6: return "121";
    case 7: return "121";
    case 8: return "124";
    default: return NULL;
    }
}

/* The digit an event's code takes in the parallel families of appeals
 * (02x), intentions (03x) and demands (10x): 1 material cooperation, 2
 * diplomatic cooperation, 3 aid, 4 political reform, 5 yielding, 6
 * meeting, 7 settling, 8 mediation; and the sub-digit, when the code has
 * one there ("0841" release persons -> 5,3). */
static int family_digit(const char *code, int *sub)
{
    int root = root_of(code);
    *sub = 0;
    size_t n = strlen(code);
    int third = n >= 3 ? code[2] - '0' : 0;
    switch (root) {
    case 4: return third == 5 ? 8 : 6;
    case 5: return 2;
    case 6: *sub = third >= 1 && third <= 4 ? third : 0; return 1;
    case 7: *sub = third >= 1 && third <= 4 ? third : 0; return 3;
    case 8:
        if (third == 3) {
            *sub = n >= 4 ? code[3] - '0' : 0;
            return 4;
        }
        *sub = third == 1   ? 1
               : third == 2 ? 2
               : third == 4 ? 3
               : third == 5 ? 4
               : third == 6 ? 5
               : third == 7 ? 6
                            : 0;
        return 5;
    default: return 0;
    }
}

/* The code of a family (2 appeal, 3 intent, 10 demand) for an event code. */
static void family_code(int family, const char *code, char out[6])
{
    int sub;
    int f = family_digit(code, &sub);
    if (family == 10)
        snprintf(out, 6, f ? (sub ? "10%d%d" : "10%d") : "100", f, sub);
    else
        snprintf(out, 6, f ? (sub ? "0%d%d%d" : "0%d%d") : "0%d0", family, f, sub);
}

/* A threat to do code (13x). */
static const char *threat_code(const char *code)
{
    int root = root_of(code);
    if (root >= 18) return "138";
    if (root == 17) return "137";
    if (!strncmp(code, "163", 3)) return "1312";
    if (!strncmp(code, "161", 3)) return "1313";
    if (root == 16) return "131";
    if (root == 15) return "130";
    if (root == 10 || root == 11 || root == 12 || root == 14) return "130";
    if (root >= 6 && root <= 8) return "131";
    return "130";
}

static int passive_voice(const ectx *c, int32_t v);

/* ---- the verb lexicon on the tree ----------------------------------------- */

/* Words [i, ..) that spell w ("cease-fire" over "cease" "-" "fire"), or the
 * word i by form, lemma, or plural; returns the words used, 0 when none. */
static int word_eq(const ectx *c, int32_t i, int32_t hi, const char *w)
{
    const char *f = c->form[i], *l = W(c, i)->lemma;
    if (f[0] != w[0] && l[0] != w[0]) return 0; /* every variant shares its first letter */
    if (!strcmp(f, w) || !strcmp(l, w)) return 1;
    size_t n = strlen(w), m = strlen(f), ln = strlen(l);
    /* the pattern's singular, the text's plural, and back */
    if (m == n + 1 && f[n] == 's' && !strncmp(f, w, n)) return 1;
    if (m == n + 2 && !strcmp(f + n, "es") && !strncmp(f, w, n)) return 1;
    if (n == m + 1 && w[m] == 's' && !strncmp(f, w, m)) return 1;
    if (n == ln + 1 && w[ln] == 's' && !strncmp(l, w, ln)) return 1;
    if (n > 2 && m > 1 && w[n - 1] == 's' && w[n - 2] == 'e' && f[m - 1] == 'y' && n == m + 2 &&
        !strncmp(f, w, m - 1) && w[m - 1] == 'i')
        return 1; /* "parties" for "party" */
    if (strchr(w, '-') && !strncmp(w, f, m) && m < n) {
        size_t o = m;
        int32_t k = i;
        while (o < n && k + 1 <= hi && W(c, k + 1)->start == W(c, k)->end) {
            k++;
            const char *g = c->form[k];
            size_t gl = strlen(g);
            if (strncmp(w + o, g, gl)) return 0;
            o += gl;
        }
        if (o == n) return (int) (k - i + 1);
    }
    return 0;
}

/* Synset set at word i: words used, 0 when none. */
static int set_eq(const ectx *c, int32_t i, int32_t hi, uint32_t set)
{
    const char *words[12];
    size_t n = 0;
    for (int32_t k = i; k <= hi && n < 12 && c->mask[k - c->w0]; k++) words[n++] = c->form[k];
    int r = nd__vset_match(c->d->dict, set, words, n);
    if (r) return r;
    /* the lemma of a single word ("men" for "man") */
    words[0] = W(c, i)->lemma;
    return nd__vset_match(c->d->dict, set, words, 1) == 1 ? 1 : 0;
}

/* Where a pattern puts the source and the target: the words from which
 * the first actor is taken, within [lo, hi]. */
typedef struct slots {
    int32_t tgt_lo, tgt_hi;
    int32_t src_lo, src_hi;
} slots;

static int match_seq(const ectx *c, const nd__pel *e, int n, int32_t lo, int32_t hi, int32_t *pos,
                     slots *sl);

static const char *const quantity_nouns[] = {
    "ton",        "tonne",    "hundred", "thousand", "dozen",    "million", "number", "lot",
    "batch",      "shipment", "supply",  "amount",   "quantity", "group",   "team",   "unit",
    "contingent", "convoy",   "load",    "package",  "series",   "wave",    "round",  NULL};

/* A word of a PETRARCH pattern names the head of one of the verb's
 * arguments (as PETRARCH matches the heads of the verb phrase's noun
 * phrases): an object, oblique, complement, particle or adverb of the
 * verb, one coordinated with it, the quantity's noun ("tons of food"), an
 * argument of its infinitive ("agreed to lift sanctions"), or a passive's
 * subject. */
static int arg_word(const ectx *c, int32_t w, int depth)
{
    int32_t v = c->mv, h = W(c, w)->head;
    int r = W(c, w)->rel;
    if (h < 0 || depth > 3) return 0;
    if (h == v) {
        if (r == ND_DEP_OBJ || r == ND_DEP_IOBJ || r == ND_DEP_XCOMP || r == ND_DEP_OBL ||
            r == ND_DEP_ADVMOD || r == ND_DEP_DEP || r == ND_DEP_NMOD)
            return 1;
        if (W(c, w)->deprel == ND_DEP_COMPOUND_PRT) return 1;
        return c->mpassive && W(c, w)->deprel == ND_DEP_NSUBJ_PASS;
    }
    if (r == ND_DEP_CONJ) return arg_word(c, h, depth + 1);
    if (r == ND_DEP_NMOD && case_in(c, w, (const char *const[]){"of", NULL}) &&
        lemma_in(c, h, quantity_nouns))
        return arg_word(c, h, depth + 1);
    if (W(c, h)->head == v && W(c, h)->rel == ND_DEP_XCOMP &&
        (r == ND_DEP_OBJ || r == ND_DEP_OBL || r == ND_DEP_XCOMP))
        return 1;
    return 0;
}

/* One element at or after *pos (within [lo, hi] and the mask); advances
 * *pos past what it used.  Returns the elements consumed (a phrase counts
 * its whole run), 0 when it does not match. */
static int match_one(const ectx *c, const nd__pel *e, int n, int32_t lo, int32_t hi, int32_t *pos,
                     slots *sl)
{
    const uint8_t *mask = c->mask;
    int32_t w0 = c->w0;
    switch (e->kind) {
    case ND__PE_WORD:
    case ND__PE_SET:
        for (int32_t i = *pos; i <= hi; i++) {
            if (!mask[i - w0]) continue;
            int k = e->kind == ND__PE_WORD ? word_eq(c, i, hi, e->word) : set_eq(c, i, hi, e->set);
            if (k && c->strict && !c->in_phrase && !arg_word(c, i + k - 1, 0)) k = 0;
            if (k) {
                if (!c->in_phrase) ((ectx *) c)->pp_prev = i + k - 1;
                *pos = i + k;
                return 1;
            }
        }
        return 0;
    case ND__PE_TARGET:
        if (sl->tgt_lo < 0) sl->tgt_lo = *pos, sl->tgt_hi = hi;
        return 1;
    case ND__PE_SOURCE:
        if (sl->src_lo < 0) sl->src_lo = *pos, sl->src_hi = hi;
        return 1;
    case ND__PE_PAIR: return 1;
    case ND__PE_ANY:
        /* any noun phrase: its head, and on after it */
        for (int32_t i = *pos; i <= hi; i++) {
            if (!mask[i - w0]) continue;
            int u = W(c, i)->upos;
            if (u == ND_UPOS_NOUN || u == ND_UPOS_PROPN || u == ND_UPOS_PRON) {
                *pos = i + 1;
                return 1;
            }
        }
        return 0;
    case ND__PE_NP: {
        /* consecutive words: every element matches at the next word */
        int len = 1;
        while (len < n && e[len].kind != ND__PE_NP_END) len++;
        for (int32_t i = *pos; i <= hi; i++) {
            if (!mask[i - w0]) continue;
            int32_t p = i;
            int ok = 1;
            for (int k = 1; k < len && ok; k++) {
                if (e[k].kind != ND__PE_WORD && e[k].kind != ND__PE_SET) continue;
                /* articles and possessives may stand between ("the peace plan") */
                while (p <= hi && mask[p - w0] &&
                       lemma_in(c, p, (const char *const[]){"the", "a", "an", NULL}) && k > 1)
                    p++;
                if (p > hi || !mask[p - w0]) {
                    ok = 0;
                    break;
                }
                int m = e[k].kind == ND__PE_WORD ? word_eq(c, p, hi, e[k].word)
                                                 : set_eq(c, p, hi, e[k].set);
                if (!m) ok = 0;
                p += m;
            }
            if (ok && c->strict && !c->in_phrase && !arg_word(c, p - 1, 0)) ok = 0;
            if (ok) {
                if (!c->in_phrase) ((ectx *) c)->pp_prev = p - 1;
                *pos = p;
                return len + (len < n ? 1 : 0);
            }
        }
        return 0;
    }
    case ND__PE_PP: {
        int len = 1;
        while (len < n && e[len].kind != ND__PE_PP_END) len++;
        for (int32_t i = *pos; i <= hi; i++) {
            if (!mask[i - w0]) continue;
            int k = word_eq(c, i, hi, e->word);
            if (!k) continue;
            /* the phrase is what the preposition marks: its head's subtree
             * after it; a particle or adverb ("set aside", "close to") is
             * followed by the rest of the region */
            int32_t h = W(c, i)->head;
            int32_t plo = i + k, phi = hi;
            int marker = rel_is(c, i, ND_DEP_CASE) || rel_is(c, i, ND_DEP_MARK);
            /* a bare "(to)" is a preposition, not an infinitive's "to" */
            if (len == 1 && rel_is(c, i, ND_DEP_MARK)) continue;
            if (marker && h > i) phi = W(c, h)->hi < hi ? W(c, h)->hi : hi;
            /* PETRARCH: a prepositional phrase of the verb, of its object
             * ("rushed tanks (to the border)" as the parser may hang it), or
             * of the pattern's noun before it ("attack (by)", "(in favour)
             * (of extradition)"); or the verb's particle */
            if (c->strict && !c->in_phrase) {
                int ok = marker ? h > i && (arg_word(c, h, 0) ||
                                            (W(c, h)->rel == ND_DEP_NMOD &&
                                             (W(c, h)->head == c->pp_prev ||
                                              (W(c, W(c, h)->head)->deprel == ND_DEP_OBJ &&
                                               W(c, W(c, h)->head)->head == c->mv))))
                                : h == c->mv;
                if (!ok) continue;
            }
            int32_t p = plo;
            slots s2 = *sl;
            ectx *cc = (ectx *) c;
            int was = cc->in_phrase;
            cc->in_phrase = 1;
            int got = match_seq(c, e + 1, len - 1, plo, phi, &p, &s2);
            cc->in_phrase = was;
            if (got) {
                cc->pp_prev = marker ? h : -1;
                *sl = s2;
                /* "(to +)": the target is in the phrase */
                *pos = p > i + k ? p : i + k;
                return len + (len < n ? 1 : 0);
            }
        }
        return 0;
    }
    default: return 1;
    }
    (void) lo;
}

static int match_seq(const ectx *c, const nd__pel *e, int n, int32_t lo, int32_t hi, int32_t *pos,
                     slots *sl)
{
    int i = 0;
    while (i < n) {
        int k = match_one(c, e + i, n - i, lo, hi, pos, sl);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

/* The region of a verb's arguments: its subtree after it, without its
 * subject, its coordinated and reported clauses and its adverbial clauses
 * (mask over the sentence's words). */
static void post_region(const ectx *c, int32_t v, int passive, int32_t *lo, int32_t *hi)
{
    int32_t b = W(c, v)->hi;
    for (int32_t i = c->w0; i < c->w1; i++) c->mask[i - c->w0] = 0;
    for (int32_t i = v + 1; i <= b; i++) c->mask[i - c->w0] = 1;
    *lo = v + 1;
    *hi = b;
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_NONE, -1); k >= 0;
         k = nd__w_child(c->d, v, ND_DEP_NONE, k)) {
        int r = W(c, k)->rel;
        if (passive && W(c, k)->deprel == ND_DEP_NSUBJ_PASS) {
            /* a passive's subject is what the verb acts on ("prisoners were
             * freed"): the pattern's object words are there */
            for (int32_t i = W(c, k)->lo; i <= W(c, k)->hi; i++) c->mask[i - c->w0] = 1;
            if (W(c, k)->lo < *lo) *lo = W(c, k)->lo;
            continue;
        }
        if (r == ND_DEP_NSUBJ || r == ND_DEP_CSUBJ || r == ND_DEP_CONJ || r == ND_DEP_CC ||
            r == ND_DEP_PARATAXIS || r == ND_DEP_ADVCL || r == ND_DEP_PUNCT || r == ND_DEP_CCOMP ||
            r == ND_DEP_DISCOURSE || r == ND_DEP_VOCATIVE || r == ND_DEP_MARK || r == ND_DEP_AUX ||
            r == ND_DEP_DEP) {
            for (int32_t i = W(c, k)->lo; i <= W(c, k)->hi; i++)
                if (i > v) c->mask[i - c->w0] = 0;
        }
    }
}

/* The region before the verb: its subject's words and its auxiliaries. */
/* The by-phrase of passive verb v ("was demolished by a protestor"), or -1. */
static int32_t by_phrase(const ectx *c, int32_t v)
{
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_OBL, -1); k >= 0;
         k = nd__w_child(c->d, v, ND_DEP_OBL, k))
        if (k > v && (W(c, k)->deprel == ND_DEP_OBL_AGENT ||
                      case_in(c, k, (const char *const[]){"by", NULL})))
            return k;
    return -1;
}

static void pre_region(const ectx *c, int32_t v, int32_t subj, int32_t *lo, int32_t *hi)
{
    for (int32_t i = c->w0; i < c->w1; i++) c->mask[i - c->w0] = 0;
    *lo = v, *hi = v - 1;
    /* a passive's subject, and the one who acts: its by-phrase ("was
     * demolished by a protestor" for "protestor *") */
    int32_t sides[2] = {subj, c->mpassive ? by_phrase(c, v) : -1};
    for (int j = 0; j < 2; j++) {
        int32_t x = sides[j];
        if (x < 0) continue;
        for (int32_t i = W(c, x)->lo; i <= W(c, x)->hi; i++) c->mask[i - c->w0] = 1;
        if (W(c, x)->lo < *lo) *lo = W(c, x)->lo;
        if (W(c, x)->hi > *hi) *hi = W(c, x)->hi;
    }
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_NONE, -1); k >= 0 && k < v;
         k = nd__w_child(c->d, v, ND_DEP_NONE, k)) {
        int r = W(c, k)->rel;
        if (r == ND_DEP_AUX || r == ND_DEP_ADVMOD || r == ND_DEP_COP) {
            c->mask[k - c->w0] = 1;
            if (k < *lo) *lo = k;
            if (k > *hi) *hi = k;
        }
    }
}

/* A multi-word verb's other words around v ("ask for", "set up",
 * "re-arrest"); returns 1 when they are there. */
static int rest_present(const ectx *c, const nd__verb *vb, int32_t v)
{
    int32_t p = v;
    for (int i = vb->n_before; i < vb->n_rest; i++) {
        /* each within three words of the previous, below the verb */
        int found = 0;
        for (int32_t k = p + 1; k < c->w1 && k <= p + 3 && !found; k++) {
            if (!nd__w_dominates(c->d, v, k)) continue;
            if (word_eq(c, k, c->w1 - 1, vb->rest[i])) p = k, found = 1;
        }
        if (!found) return 0;
    }
    p = v;
    for (int i = vb->n_before; i-- > 0;) {
        if (p - 1 < c->w0 || !word_eq(c, p - 1, c->w1 - 1, vb->rest[i])) return 0;
        p--;
    }
    return 1;
}

/* The outcome of the lexicon for a verb. */
typedef struct vmatch {
    char code[6], pcode[6];
    int null;    /* the dictionary says: no event */
    int found;   /* the verb is in the lexicon */
    int sym;     /* both directions */
    slots sl;    /* the pattern's source and target slots */
    int spec;    /* how specific the winning pattern is (-1: the verb's code) */
    int pre;     /* the winning pattern names words of the subject */
    uint8_t gen; /* the dictionary set of the verbs tried */
    const nd__verb *verb;
} vmatch;

/* Code a is finer than code b: one root, a names a sub-event b does not
 * ("194" and "190"). */
static int finer(const char *a, const char *b)
{
    if (!a[0] || !b[0] || a[0] != b[0] || a[1] != b[1]) return 0;
    int fa = strlen(a) > 3 || a[2] != '0', fb = strlen(b) > 3 || b[2] != '0';
    return fa && !fb;
}

/* A pattern's words before '*' (n elements at e) name the actor who acts,
 * whose phrase has head word who ("protestor *" for "Ukrainian
 * protestors"), not a thing of its phrase ("&weapon *"). */
static int names_actor(const ectx *c, const nd__pel *e, int n, int32_t who)
{
    if (who < 0 || !usable(c, ment_of(c, who))) return 0;
    for (int i = 0; i < n; i++)
        if (e[i].kind == ND__PE_WORD && word_eq(c, who, who, e[i].word)) return 1;
    return 0;
}

/* Match the verbs keyed by key (a lemma or a form) at word v. */
static void lookup_key(const ectx *c, int noun, const char *key, int32_t v, int32_t subj,
                       vmatch *best)
{
    const nd_analyze_dict *dict = c->d->dict;
    /* a verb of a later dictionary set shadows the same verb before it */
    uint8_t gen = 0;
    for (uint32_t k = nd__vlex_find(dict, noun, key, strlen(key)); k != ND__NONE;
         k = dict->vkeys[k].next)
        if (dict->verbs[dict->vkeys[k].verb].gen > gen) gen = dict->verbs[dict->vkeys[k].verb].gen;
    if (gen < best->gen) return;
    if (gen > best->gen) best->spec = -2, best->found = 0, best->gen = gen;
    /* the one who acts: the subject, a passive's by-phrase */
    int32_t who = c->mpassive ? by_phrase(c, v) : subj;
    for (uint32_t k = nd__vlex_find(dict, noun, key, strlen(key)); k != ND__NONE;
         k = dict->vkeys[k].next) {
        const nd__verb *vb = &dict->verbs[dict->vkeys[k].verb];
        if (vb->gen != gen) continue;
        if (vb->n_rest && !rest_present(c, vb, v)) continue;
        int multi = vb->n_rest > 0;
        /* the verb's own code: a multi-word verb before a single word */
        int vspec = multi ? 0 : -1;
        if (!(vb->flags & ND__VR_PROJECT) && vspec >= best->spec &&
            !(vspec == best->spec && !best->null && finer(best->code, vb->code))) {
            best->found = 1;
            best->spec = vspec;
            best->pre = 0;
            memcpy(best->code, vb->code, sizeof best->code);
            memcpy(best->pcode, vb->pcode, sizeof best->pcode);
            best->null = (vb->flags & ND__VR_NULL) != 0;
            best->sym = 0;
            best->sl.tgt_lo = best->sl.src_lo = -1;
            best->verb = vb;
        }
        best->found = 1;
        const nd__vblock *b = &dict->vblocks[vb->block];
        for (uint32_t r = b->first; r != ND__NONE; r = dict->vrules[r].next) {
            const nd__vrule *ru = &dict->vrules[r];
            /* a word or synset the sentence does not hold */
            uint64_t miss = (ru->smask[0] & ~c->sets[0]) | (ru->smask[1] & ~c->sets[1]);
            for (int q = 0; q < ru->n_sig; q++)
                miss |= ~c->wsig[ru->sig[q] >> 6] & (1ull << (ru->sig[q] & 63));
            if (miss) continue;
            /* a pattern without words is the verb's own code; on a tie the
             * later dictionary (or pattern) wins, as in PETRARCH */
            int spec = ru->spec || ru->n_pre || ru->n_post ? ru->spec * 2 + (multi ? 1 : 0) : vspec;
            if (spec < best->spec) continue;
            /* as specific a pattern with a vaguer code does not displace a
             * finer one ("194" shelling over "190") */
            if (spec == best->spec && best->found && !best->null && finer(best->code, ru->code))
                continue;
            /* as specific a pattern on the objects does not displace one
             * naming who acts ("protestor * [145]" over "* buildings
             * [1712]": a protester's destruction is a violent protest) */
            if (spec == best->spec && best->pre && !ru->n_pre) continue;
            const nd__pel *e = &dict->pels[ru->pel];
            slots sl = {-1, -1, -1, -1};
            ectx *cc = (ectx *) c;
            cc->strict = 1;
            cc->in_phrase = 0;
            cc->pp_prev = -1;
            int32_t pos;
            if (ru->n_pre) {
                /* the subject's words and the verb's auxiliaries, in any
                 * position */
                if (!cc->have_pre) {
                    cc->mask = cc->mpre;
                    pre_region(c, v, subj, &cc->pre_lo, &cc->pre_hi);
                    cc->have_pre = 1;
                }
                cc->mask = cc->mpre;
                pos = cc->pre_lo;
                cc->strict = 0;
                int ok = match_seq(c, e, ru->n_pre, cc->pre_lo, cc->pre_hi, &pos, &sl);
                cc->strict = 1;
                if (!ok) continue;
            }
            if (ru->n_post) {
                if (!cc->have_post) {
                    cc->mask = cc->mpost;
                    post_region(c, v, cc->mpassive, &cc->post_lo, &cc->post_hi);
                    cc->have_post = 1;
                }
                cc->mask = cc->mpost;
                pos = cc->post_lo;
                if (!match_seq(c, e + ru->n_pre, ru->n_post, cc->post_lo, cc->post_hi, &pos, &sl))
                    continue;
            }
            best->spec = spec;
            best->pre = ru->n_pre && names_actor(c, e, ru->n_pre, who);
            memcpy(best->code, ru->code, sizeof best->code);
            memcpy(best->pcode, ru->pcode, sizeof best->pcode);
            best->null = (ru->flags & ND__VR_NULL) != 0;
            best->sym = (ru->flags & ND__VR_SYM) != 0;
            best->sl = sl;
            best->verb = vb;
        }
    }
}

static void lexicon(const ectx *c, int noun, int32_t v, int32_t subj, vmatch *m)
{
    memset(m, 0, sizeof *m);
    m->spec = -2;
    m->sl.tgt_lo = m->sl.src_lo = -1;
    ectx *cc = (ectx *) c;
    cc->mv = v;
    cc->mpassive = !noun && passive_voice(c, v);
    cc->have_pre = cc->have_post = 0;
    lookup_key(c, noun, W(c, v)->lemma, v, subj, m);
    if (strcmp(c->form[v], W(c, v)->lemma)) lookup_key(c, noun, c->form[v], v, subj, m);
}

/* ---- the clause around a verb -------------------------------------------- */

static const char *const rel_pron[] = {"who", "which", "that", "whom", NULL};
static const char *const sign_verbs[] = {"sign",     "ratify",   "ink",     "conclude",
                                         "finalize", "finalise", "initial", NULL};
static const char *const agreement_nouns[] = {
    "agreement",  "treaty",   "accord",  "pact",        "deal",      "protocol", "memorandum",
    "convention", "contract", "charter", "declaration", "armistice", "truce",    NULL};
static const char *const temporal[] = {
    "monday",    "tuesday",  "wednesday", "thursday", "friday",   "saturday", "sunday", "today",
    "yesterday", "tomorrow", "tonight",   "january",  "february", "march",    "april",  "june",
    "july",      "august",   "september", "october",  "november", "december", NULL};

static const char *const modal_aux[] = {"will", "would", "can", "could", "should", "may", "might",
                                        "must", "shall", "'ll", "wo",    "ca",     NULL};

/* The verb a conjoined verb shares its subject with.  An inflected verb
 * cannot share the modal of a bare one ("said the deal would give ...
 * and praised Korea": praised is joined to said). */
static int32_t conj_head(const ectx *c, int32_t v)
{
    int32_t h = W(c, v)->head;
    if (h < 0 || W(c, v)->rel != ND_DEP_CONJ) return h;
    if (child(c, v, ND_DEP_AUX) >= 0 || !strcmp(c->form[v], W(c, v)->lemma)) return h;
    int modal = 0;
    for (int32_t k = nd__w_child(c->d, h, ND_DEP_AUX, -1); k >= 0;
         k = nd__w_child(c->d, h, ND_DEP_AUX, k))
        modal |= form_in(c, k, modal_aux);
    modal |= case_in(c, h, (const char *const[]){"to", NULL});
    int r = W(c, h)->rel;
    if (modal && (r == ND_DEP_CCOMP || r == ND_DEP_XCOMP) && W(c, h)->head >= 0)
        return W(c, h)->head;
    return h;
}

static int passive_voice(const ectx *c, int32_t v)
{
    if (child(c, v, ND_DEP_NSUBJ_PASS) >= 0 || child(c, v, ND_DEP_AUX_PASS) >= 0) return 1;
    if (child(c, v, ND_DEP_CSUBJ_PASS) >= 0) return 1;
    /* "a report released in Kigali alleged": released is its noun's */
    if (reduced_main(c, v) >= 0) return 1;
    /* a participle modifying a noun: "the men jailed over the attack"; not
     * with an object of its own ("demonstrators launched missiles", a
     * main verb the parser hung under the noun) */
    if (W(c, v)->deprel == ND_DEP_ACL) {
        const char *f = c->form[v];
        size_t n = strlen(f);
        return !(n > 3 && !strcmp(f + n - 3, "ing")) && child(c, v, ND_DEP_OBJ) < 0;
    }
    return 0;
}

/* The phrase of word k follows a preposition ("for Beijing"): it is no
 * subject, whatever the parse says. */
static int after_prep(const ectx *c, int32_t k)
{
    int32_t p = W(c, k)->lo - 1;
    return p >= c->w0 && (W(c, p)->upos == ND_UPOS_ADP || lemma_is(c, p, "for"));
}

/* The word standing for the subject of verb v (its own, or the one it
 * shares with the verb it depends on), or -1.  *obj_control: taken from
 * the object of the governing verb ("urged Iran to help"). */
static int32_t stray_subject(const ectx *c, int32_t v);

/* The actor word right before the comma before word k ("Russia, which"). */
static int32_t before_comma(const ectx *c, int32_t k)
{
    if (k < c->w0 + 2 || strcmp(c->form[k - 1], ",")) return -1;
    int32_t m = ment_of(c, k - 2);
    if (m < 0 || !usable(c, m)) return -1;
    int32_t h = nd__ment_head(c->d, (size_t) m);
    return h >= 0 ? h : k - 2;
}

static int32_t subject_word(const ectx *c, int32_t v, int depth)
{
    if (depth > 6 || v < 0) return -1;
    /* "a report released in Kigali alleged": the participle's noun */
    int32_t rp = reduced_of(c, v);
    if (rp >= 0) return child(c, rp, ND_DEP_NSUBJ);
    int32_t stray = stray_subject(c, v);
    if (stray >= 0) return stray;
    if (c->retag[v - c->w0]) return v - 1; /* the noun phrase before it */
    /* a clause has one subject: of two the parser gave it, the one
     * nearest before the verb ("Before leaving for Beijing, President
     * Bush scheduled ..."), else the first after it (an inversion) */
    int32_t sk = -1;
    for (int32_t q = nd__w_child(c->d, v, ND_DEP_NONE, -1); q >= 0;
         q = nd__w_child(c->d, v, ND_DEP_NONE, q)) {
        int r = W(c, q)->rel;
        if (r != ND_DEP_NSUBJ && r != ND_DEP_CSUBJ) continue;
        if (W(c, q)->deprel == ND_DEP_NSUBJ_OUTER) continue;
        /* "lawmakers Tuesday endorsed": a day is not a subject */
        if (lemma_in(c, q, temporal)) continue;
        if (sk < 0 || (q < v && (sk < q || sk > v))) sk = q;
    }
    if (sk >= 0) {
        int32_t k = sk;
        /* a relative pronoun stands for the noun the clause modifies (or,
         * when the parser did not hang the clause on it, the actor right
         * before its comma: "Russia, which launched ...") */
        if (lemma_in(c, k, rel_pron) && W(c, v)->rel == ND_DEP_ACL) return W(c, v)->head;
        if (lemma_in(c, k, (const char *const[]){"who", "which", NULL})) {
            int32_t a = before_comma(c, k);
            if (a >= 0) return a;
        }
        return k;
    }
    /* "Russia, which launched an invasion in 2022, has demanded ...": the
     * actor the sentence opens with, before its relative clause */
    if (W(c, v)->head < 0) {
        int32_t m = ment_of(c, c->w0);
        if (m >= 0 && usable(c, m)) {
            int32_t e = c->w0;
            while (e + 1 < v && ment_of(c, e + 1) == m) e++;
            if (e + 2 < v && !strcmp(c->form[e + 1], ",") &&
                lemma_in(c, e + 2, (const char *const[]){"who", "which", NULL}))
                return c->w0;
        }
    }
    /* an actor attached right before the verb as something else (the
     * tagger's "Firefly/ADV blockaded"): the subject the parser missed */
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_NONE, -1); k >= 0 && k < v;
         k = nd__w_child(c->d, v, ND_DEP_NONE, k)) {
        int r = W(c, k)->rel;
        if (r != ND_DEP_ADVMOD && r != ND_DEP_DEP && r != ND_DEP_OBL && r != ND_DEP_NMOD &&
            r != ND_DEP_COMPOUND && r != ND_DEP_DISCOURSE)
            continue;
        if (r == ND_DEP_OBL && child(c, k, ND_DEP_CASE) >= 0) continue;
        if (W(c, k)->hi + 1 != v && !(W(c, k)->hi + 2 == v && W(c, v - 1)->rel == ND_DEP_AUX))
            continue;
        if (usable(c, ment_of(c, k)) && !lemma_in(c, k, temporal)) return k;
    }
    int32_t h = W(c, v)->head;
    if (h < 0) return -1;
    int rel = W(c, v)->rel;
    /* "Pyongyang/VERB on Thursday fired": a name the tagger took for the
     * verb above is the subject */
    if (h < v && W(c, h)->upos == ND_UPOS_VERB && W(c, h)->head < 0 && usable(c, ment_of(c, h)))
        return h;
    switch (rel) {
    case ND_DEP_XCOMP: {
        /* object control: "urged Iran to help", "asked Obama to ..." */
        int32_t o = child(c, h, ND_DEP_OBJ);
        if (o < 0) o = child(c, h, ND_DEP_IOBJ);
        if (o >= 0 && o < v) return o;
        return subject_word(c, h, depth + 1);
    }
    case ND_DEP_CONJ:
        h = conj_head(c, v);
        /* a verb in the past joined to its neighbour's object ("condemned
         * an attack ... and promised aid"): joined to that verb */
        if (W(c, v)->upos == ND_UPOS_VERB && strcmp(c->form[v], W(c, v)->lemma) &&
            child(c, v, ND_DEP_NSUBJ) < 0)
            while (h >= 0 && (W(c, h)->upos == ND_UPOS_NOUN || W(c, h)->upos == ND_UPOS_PROPN) &&
                   (W(c, h)->rel == ND_DEP_OBJ || W(c, h)->rel == ND_DEP_OBL))
                h = W(c, h)->head;
        if (h < 0) return -1;
        if (W(c, h)->upos == ND_UPOS_VERB || W(c, h)->upos == ND_UPOS_AUX ||
            W(c, h)->upos == ND_UPOS_ADJ)
            return subject_word(c, h, depth + 1);
        return -1;
    case ND_DEP_ACL:
        /* "troops loyal to X killing ...": the noun acts; a past
         * participle's noun is the one acted on (passive_voice) */
        return h;
    case ND_DEP_ADVCL:
    case ND_DEP_PARATAXIS: {
        /* ", killing eight people": the main clause's subject */
        const char *f = c->form[v];
        size_t n = strlen(f);
        int ing = n > 4 && !strcmp(f + n - 3, "ing");
        if (rel == ND_DEP_PARATAXIS && !ing) return -1;
        /* "thanked him for coming", "accused Rwanda of making": the one
         * thanked or accused did it */
        if (ing && case_in(c, v, (const char *const[]){"for", "of", NULL})) {
            int32_t o = child(c, h, ND_DEP_OBJ);
            if (o >= 0 && o < v) return o;
        }
        return subject_word(c, h, depth + 1);
    }
    default: return -1;
    }
}

static const char *const neg_words[] = {"not", "n't", "never", "no", NULL};
/* verbs whose complement did not happen */
static const char *const neg_verbs[] = {"refuse", "fail",  "decline", "avoid",  "reject",
                                        "deny",   "stop",  "cease",   "halt",   "prevent",
                                        "resist", "forgo", "abandon", "forget", NULL};
static const char *const hypo_aux[] = {"could", "might", "may", NULL};
/* verbs taking a gerund that happens ("continued fighting") */
static const char *const gerund_verbs[] = {"continue", "keep",   "begin",    "start",
                                           "resume",   "finish", "consider", NULL};
/* verbs whose complement is a prediction, not an event */
static const char *const predict_verbs[] = {
    "expect", "predict", "anticipate", "forecast", "foresee", "hope", "fear", "wish", NULL};
static const char *const future_aux[] = {"will", "would", "shall", "'ll", "wo", NULL};
/* verbs of intending: their complement is an intention of the subject */
static const char *const intent_verbs[] = {
    "plan",    "intend", "hope",      "aim",       "pledge", "promise", "vow",
    "offer",   "agree",  "decide",    "seek",      "want",   "wish",    "propose",
    "resolve", "commit", "undertake", "volunteer", NULL};
static const char *const threat_verbs[] = {"threaten", NULL};
/* verbs of asking: their complement is what the target is asked to do */
static const char *const ask_verbs[] = {
    "ask",   "urge",      "call",   "appeal",   "press",    "request", "implore", "beg",
    "plead", "encourage", "exhort", "petition", "pressure", "push",    "lobby",   NULL};
static const char *const demand_verbs[] = {"demand",  "insist",   "order", "require",
                                           "command", "instruct", "tell",  NULL};
/* verbs reporting speech or thought: their complement is coded with its
 * own actors */
static const char *const speech_verbs[] = {
    "say",      "tell",    "announce", "claim",  "report",  "state",      "add",         "insist",
    "assert",   "declare", "confirm",  "allege", "argue",   "warn",       "note",        "explain",
    "stress",   "write",   "believe",  "think",  "suggest", "indicate",   "acknowledge", "admit",
    "deny",     "reveal",  "mention",  "accuse", "charge",  "signal",     "hint",        "predict",
    "estimate", "know",    "fear",     "hope",   "expect",  "understand", "show",        "find",
    "learn",    "recall",  "tweet",    "post",   NULL};

/* The verbs a predicate hangs from through complements ("refused to
 * meet": meet's governor is refuse). */
static int32_t governor(const ectx *c, int32_t v, int *rel)
{
    int32_t h = W(c, v)->head;
    *rel = W(c, v)->rel;
    if (h < 0) return -1;
    /* the clause's own verb below a participle the parser made its verb */
    if (reduced_of(c, v) >= 0) return -1;
    /* "announced it would free": a clause right after a verb of saying
     * that has no complement of its own is what it says, wherever the
     * parser hung it (and its subject too, when the parser made that the
     * verb's object) */
    if (*rel != ND_DEP_CCOMP && *rel != ND_DEP_XCOMP) {
        int32_t p = W(c, v)->lo - 1;
        int32_t pron = stray_subject(c, v);
        if (pron >= 0) p = pron - 1;
        if (p >= c->w0 && lemma_is(c, p, "that")) p--;
        if (p >= c->w0 && p != h && lemma_in(c, p, speech_verbs) && predicate_word(c, p) &&
            child(c, p, ND_DEP_CCOMP) < 0 &&
            (pron >= 0 || (child(c, p, ND_DEP_OBJ) < 0 && child(c, v, ND_DEP_NSUBJ) >= 0))) {
            *rel = ND_DEP_CCOMP;
            return p;
        }
    }
    /* "indicated it deplored Libya" with "it" as the object: what it says */
    if (*rel == ND_DEP_XCOMP && lemma_in(c, h, speech_verbs) && stray_subject(c, v) >= 0) {
        *rel = ND_DEP_CCOMP;
        return h;
    }
    if (*rel == ND_DEP_XCOMP || *rel == ND_DEP_CCOMP) return h;
    /* "that Ukraine cede": a that-clause the parser hung as advcl */
    if (*rel == ND_DEP_ADVCL && case_in(c, v, (const char *const[]){"that", NULL})) {
        *rel = ND_DEP_CCOMP;
        return h;
    }
    /* "was pressured by Congress to help": an infinitive the parser hung
     * as advcl of a verb that takes one */
    if (*rel == ND_DEP_ADVCL && case_in(c, v, (const char *const[]){"to", NULL}) &&
        (lemma_in(c, h, intent_verbs) || lemma_in(c, h, threat_verbs) ||
         lemma_in(c, h, ask_verbs) || lemma_in(c, h, demand_verbs) || lemma_in(c, h, neg_verbs))) {
        *rel = ND_DEP_XCOMP;
        return h;
    }
    /* "avoided imposing", "stopped attacking": a gerund after a verb that
     * takes one */
    if ((*rel == ND_DEP_ADVCL || *rel == ND_DEP_OBJ) &&
        (lemma_in(c, h, neg_verbs) || lemma_in(c, h, gerund_verbs))) {
        const char *f = c->form[v];
        size_t n = strlen(f);
        if (n > 4 && !strcmp(f + n - 3, "ing") && child(c, v, ND_DEP_MARK) < 0) {
            *rel = ND_DEP_XCOMP;
            return h;
        }
    }
    return -1;
}

/* "announced it would free prisoners" with "it" parsed as announced's
 * object: the pronoun right before a subjectless clause with an auxiliary
 * is that clause's subject. */
static int32_t stray_subject(const ectx *c, int32_t v)
{
    static const char *const pron[] = {"it", "they", "he", "she", "we", NULL};
    int32_t p = W(c, v)->lo - 1;
    if (p <= c->w0 || !form_in(c, p, pron) || W(c, p)->rel != ND_DEP_OBJ) return -1;
    if (child(c, v, ND_DEP_NSUBJ) >= 0) return -1;
    /* "it would free", or a verb in the past with an object of its own
     * ("indicated it deplored Libya"), not a complement ("found it
     * destroyed") */
    if (child(c, v, ND_DEP_AUX) < 0) {
        const char *f = c->form[v];
        size_t n = strlen(f);
        if (!(n > 3 && !strcmp(f + n - 2, "ed")) || child(c, v, ND_DEP_OBJ) < 0 ||
            case_in(c, v, (const char *const[]){"to", NULL}))
            return -1;
    }
    if (W(c, p)->head != p - 1) return -1;
    return p;
}

static int has_neg(const ectx *c, int32_t v)
{
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_NONE, -1); k >= 0;
         k = nd__w_child(c->d, v, ND_DEP_NONE, k)) {
        if (k > v || (W(c, k)->rel != ND_DEP_ADVMOD && W(c, k)->rel != ND_DEP_DET)) continue;
        if (form_in(c, k, neg_words)) return 1;
        /* "no longer dominated" */
        if (form_in(c, k, (const char *const[]){"longer", "more", NULL}) &&
            nd__w_has(c->d, k, ND_DEP_NONE, "no"))
            return 1;
    }
    return 0;
}

static int has_aux(const ectx *c, int32_t v, const char *const *set)
{
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_AUX, -1); k >= 0;
         k = nd__w_child(c->d, v, ND_DEP_AUX, k))
        if (form_in(c, k, set)) return 1;
    return 0;
}

/* A clause under a condition or a question: not an event that happened. */
static int hypothetical(const ectx *c, int32_t v)
{
    static const char *const cond[] = {"if", "unless", "whether", "lest", NULL};
    if (has_aux(c, v, hypo_aux)) return 1;
    int32_t x = v;
    int clause = 1; /* still in v's own chain of clauses */
    for (int steps = 0; x >= 0 && steps < 10; steps++) {
        int r = W(c, x)->rel;
        int32_t h = W(c, x)->head;
        if (clause && r == ND_DEP_ADVCL && case_in(c, x, cond)) return 1;
        /* "we can expect Trump to ... agree ... when they meet": all below
         * a prediction is one */
        if ((r == ND_DEP_XCOMP || r == ND_DEP_CCOMP) && h >= 0 && lemma_in(c, h, predict_verbs))
            return 1;
        if (r != ND_DEP_CONJ && r != ND_DEP_XCOMP && r != ND_DEP_ADVCL && r != ND_DEP_CCOMP)
            clause = 0;
        /* below a hypothetical clause */
        if (clause && r == ND_DEP_ADVCL && h >= 0 && has_aux(c, h, hypo_aux)) return 1;
        x = h;
    }
    return c->question && W(c, v)->head < 0;
}

/* How the clause frames the event of verb v. */
enum { FR_PLAIN = 0, FR_INTENT, FR_THREAT, FR_ASK, FR_DEMAND, FR_REPORTED };
typedef struct frame {
    int kind;
    int negated;
    int hypo;
    int32_t gov;     /* the governing verb (intent, threat, asking, speech) */
    int32_t speaker; /* FR_REPORTED: the speaker's word */
} frame;

static void frame_of(const ectx *c, int32_t v, frame *f)
{
    memset(f, 0, sizeof *f);
    f->gov = f->speaker = -1;
    f->negated = has_neg(c, v);
    f->hypo = hypothetical(c, v);
    int32_t x = v;
    /* a verb joined to another shares its frame ("claimed that ISIL had
     * attacked Iraq and taken Mosul"), and its negation when it has no
     * subject or auxiliary of its own ("did not attack and kill") */
    int rel0;
    int direct = governor(c, v, &rel0) >= 0; /* repaired: a clause of its own */
    for (int steps = 0; !direct && steps < 4 && W(c, x)->rel == ND_DEP_CONJ; steps++) {
        int32_t h = conj_head(c, x);
        if (h != W(c, x)->head) {
            /* joined to the verb above: that verb's frame, not the clause's */
            x = h;
            if (child(c, h, ND_DEP_NSUBJ) >= 0 || W(c, h)->rel != ND_DEP_CONJ) break;
            continue;
        }
        if (h < 0 || !(W(c, h)->upos == ND_UPOS_VERB || predicate(c, h))) break;
        if (child(c, x, ND_DEP_NSUBJ) >= 0) break;
        if (child(c, x, ND_DEP_AUX) < 0 && has_neg(c, h)) f->negated = 1;
        x = h;
    }
    /* "avoided sanctions being imposed", "prevented troops being sent":
     * what is said of the object of a verb of preventing did not happen */
    if (W(c, x)->rel == ND_DEP_ACL && W(c, x)->head >= 0) {
        int32_t o = W(c, x)->head;
        int32_t g = W(c, o)->head;
        if (W(c, o)->rel == ND_DEP_OBJ && g >= 0 && lemma_in(c, g, neg_verbs)) f->negated = 1;
    }
    for (int steps = 0; steps < 6; steps++) {
        int rel;
        int32_t g = governor(c, x, &rel);
        if (g < 0) break;
        if (lemma_in(c, g, neg_verbs)) f->negated ^= 1;
        if (has_neg(c, g)) f->negated = 1;
        if (has_aux(c, g, hypo_aux)) f->hypo = 1;
        if (f->kind == FR_PLAIN && rel == ND_DEP_XCOMP) {
            if (lemma_in(c, g, threat_verbs))
                f->kind = FR_THREAT, f->gov = g;
            else if (lemma_in(c, g, ask_verbs) ||
                     (lemma_is(c, g, "want") && child(c, g, ND_DEP_OBJ) >= 0))
                f->kind = FR_ASK, f->gov = g;
            else if (lemma_in(c, g, demand_verbs))
                f->kind = FR_DEMAND, f->gov = g;
            else if (lemma_in(c, g, intent_verbs))
                f->kind = FR_INTENT, f->gov = g;
        } else if (f->kind == FR_PLAIN && rel == ND_DEP_CCOMP) {
            if (lemma_in(c, g, demand_verbs) && !lemma_is(c, g, "tell"))
                f->kind = FR_DEMAND, f->gov = g;
            else if (lemma_in(c, g, ask_verbs))
                f->kind = FR_ASK, f->gov = g;
            else if (lemma_in(c, g, speech_verbs) && g < x) {
                /* "X said Y ...": reported speech; "Y ..., X said" is the
                 * writer's report with its source */
                f->kind = FR_REPORTED, f->gov = g;
                f->speaker = subject_word(c, g, 0);
                /* "said it would free": an intention */
                if (has_aux(c, v, future_aux) && !has_aux(c, g, future_aux)) f->kind = FR_INTENT;
            }
            break;
        }
        x = g;
    }
}

/* ---- roles ---------------------------------------------------------------- */

/* A noun of a thing said or written that names no actor itself
 * ("statement", "report", "letter"). */
static int said_noun(const ectx *c, int32_t w)
{
    static const char *const said[] = {
        "statement", "comment", "remark",       "post",        "tweet",      "message",
        "letter",    "email",   "speech",       "interview",   "memo",       "note",
        "report",    "study",   "announcement", "declaration", "communique", "document",
        "video",     "article", "editorial",    "column",      "book",       NULL};
    return W(c, w)->upos == ND_UPOS_NOUN && lemma_in(c, w, said) && !usable(c, ment_of(c, w));
}

/* The prepositional phrase of noun k that names an actor ("resumption
 * of ties with X": "ties"), or -1. */
static int32_t other_party(const ectx *c, int32_t k)
{
    for (int32_t q = nd__w_child(c->d, k, ND_DEP_NMOD, -1); q >= 0;
         q = nd__w_child(c->d, k, ND_DEP_NMOD, q))
        if (q > k && !case_in(c, q, adjunct_preps) && actor_word(c, q, 1) >= 0) return q;
    return -1;
}

/* Target words of verb v in order of preference: objects, then obliques
 * (the weak ones last).  A statement (01x) has no oblique targets but
 * "to". */
static int target_words(const ectx *c, int32_t v, int passive, int statement, int32_t *out, int max)
{
    int n = 0;
    static const int first[] = {ND_DEP_IOBJ, ND_DEP_OBJ};
    for (size_t i = 0; i < 2; i++)
        for (int32_t k = nd__w_child(c->d, v, first[i], -1); k >= 0 && n < max;
             k = nd__w_child(c->d, v, first[i], k)) {
            /* "sent his army into Ukraine": one's own forces are the means,
             * not the target */
            int32_t p = child(c, k, ND_DEP_NMOD_POSS);
            if (p >= 0 && W(c, p)->upos == ND_UPOS_PRON && !usable(c, ment_of(c, k))) {
                /* ... unless it names another party ("welcomed their
                 * resumption of ties with X"): that party */
                int32_t q = other_party(c, k);
                if (q >= 0) out[n++] = q;
                continue;
            }
            if (p >= 0 && W(c, p)->upos == ND_UPOS_PRON &&
                c->d->ments[ment_of(c, k)].how != ND_MENTION_NAME &&
                lemma_in(c, p, (const char *const[]){"his", "her", "its", "their", "our", NULL}) &&
                W(c, k)->lo == p)
                continue;
            out[n++] = k;
        }
    int obl = c->retag[v - c->w0] ? ND_DEP_NMOD : ND_DEP_OBL;
    for (int tier = 0; tier < 2; tier++)
        for (int32_t k = nd__w_child(c->d, v, obl, -1); k >= 0 && n < max;
             k = nd__w_child(c->d, v, obl, k)) {
            int dr = W(c, k)->deprel;
            if (k < v || dr == ND_DEP_NMOD_POSS) continue;
            if (dr == ND_DEP_OBL_TMOD || dr == ND_DEP_OBL_NPMOD) continue;
            if (passive &&
                (dr == ND_DEP_OBL_AGENT || case_in(c, k, (const char *const[]){"by", NULL})))
                continue;
            if (case_in(c, k, adjunct_preps)) continue;
            if (statement && !case_in(c, k, (const char *const[]){"to", "with", NULL})) continue;
            if (case_in(c, k, weak_preps) != tier) continue;
            out[n++] = k;
        }
    return n;
}

/* A noun naming force ("shelling", "air strike", "attack"): a form of a
 * verb of force in the lexicon. */
static int force_noun(const ectx *c, int32_t w)
{
    const nd_analyze_dict *dict = c->d->dict;
    const char *keys[2] = {c->form[w], W(c, w)->lemma};
    for (int i = 0; i < 2; i++)
        for (uint32_t k = nd__vlex_find(dict, 0, keys[i], strlen(keys[i])); k != ND__NONE;
             k = dict->vkeys[k].next) {
            const nd__verb *vb = &dict->verbs[dict->vkeys[k].verb];
            if (!vb->n_rest && root_of(vb->code) >= 18) return 1;
        }
    return 0;
}

/* The by-phrase of a passive ("was released by Putin"); else the maker of
 * the force it names ("killed in Israeli tank shelling"). */
static int32_t agent_word(const ectx *c, int32_t v)
{
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_OBL, -1); k >= 0;
         k = nd__w_child(c->d, v, ND_DEP_OBL, k))
        if (W(c, k)->deprel == ND_DEP_OBL_AGENT || case_in(c, k, (const char *const[]){"by", NULL}))
            return k;
    /* the by-phrase the parser hung on the oblique before it ("imposed on
     * Spanish banks by the United States") */
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_OBL, -1); k >= 0;
         k = nd__w_child(c->d, v, ND_DEP_OBL, k))
        for (int32_t q = nd__w_child(c->d, k, ND_DEP_NMOD, -1); q >= 0;
             q = nd__w_child(c->d, k, ND_DEP_NMOD, q))
            if (q > k && case_in(c, q, (const char *const[]){"by", NULL})) return q;
    /* "a mortar bomb was fired at it from the Gaza Strip": where force
     * comes from is who used it */
    if (force_noun(c, v))
        for (int32_t k = nd__w_child(c->d, v, ND_DEP_OBL, -1); k >= 0;
             k = nd__w_child(c->d, v, ND_DEP_OBL, k))
            if (case_in(c, k, (const char *const[]){"from", NULL}) && actor_word(c, k, 0) >= 0)
                return k;
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_OBL, -1); k >= 0;
         k = nd__w_child(c->d, v, ND_DEP_OBL, k))
        if (case_in(c, k, (const char *const[]){"in", "during", "under", "from", NULL}) &&
            force_noun(c, k)) {
            /* the actor modifying the noun, not a place in it */
            for (int32_t q = nd__w_child(c->d, k, ND_DEP_NONE, -1); q >= 0 && q < k;
                 q = nd__w_child(c->d, k, ND_DEP_NONE, q)) {
                int r = W(c, q)->deprel;
                if (r != ND_DEP_AMOD && r != ND_DEP_COMPOUND && r != ND_DEP_NMOD_POSS) continue;
                int32_t x = phrase_actor1(c, q, 2);
                if (x >= 0) return q;
            }
        }
    return -1;
}

/* The first actor whose mention starts in [lo, hi]. */
static int32_t actor_in(const ectx *c, int32_t lo, int32_t hi, int32_t not_actor)
{
    for (int32_t i = lo; i <= hi && i < c->w1; i++) {
        int32_t m = ment_of(c, i);
        if (!usable(c, m) || c->d->ments[m].actor == not_actor) continue;
        if (c->d->tok_w0[c->d->ments[m].t0] >= lo) return m;
    }
    return -1;
}

/* The country or place named where verb v happened: an oblique "in",
 * "at" or "near" X, or one inside another oblique ("in shelling in the
 * east of Gaza").  Returns 1 with its mention in out[0], or 0. */
static int place_actor(const ectx *c, int32_t v, int32_t not_actor, int32_t *out)
{
    static const char *const at[] = {"in", "at", "near", NULL};
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_OBL, -1); k >= 0;
         k = nd__w_child(c->d, v, ND_DEP_OBL, k)) {
        /* the oblique itself, then the phrases in it */
        for (int32_t q = k; q >= 0; q = nd__w_child(c->d, k, ND_DEP_NMOD, q == k ? -1 : q)) {
            if (!case_in(c, q, at)) continue;
            int32_t x = phrase_actor1(c, q, 1);
            if (x < 0 || c->d->ments[x].actor == not_actor ||
                !strncmp(c->d->acts[c->d->ments[x].actor].code, "---", 3))
                continue;
            out[0] = x;
            return 1;
        }
    }
    return 0;
}

/* A reported clause whose subject is a pronoun for the speaker ("Israel
 * announced it would free ...", "Obama and Putin said they will ..."):
 * the speaker's actors. */
static int resolve_to(const ectx *c, int32_t subj_word, int32_t speaker_word, int32_t *out, int max)
{
    static const char *const pron[] = {"it", "he", "she", "they", "we", NULL};
    if (subj_word < 0 || speaker_word < 0 || !lemma_in(c, subj_word, pron)) return 0;
    int ns = phrase_actors(c, speaker_word, out, max);
    if (!ns) return 0;
    int plural = lemma_is(c, subj_word, "they") || lemma_is(c, subj_word, "we");
    if (ns > 1 && !plural) return 0;
    const nd__dact *a = &c->d->acts[c->d->ments[out[0]].actor];
    int person = a->kind == ND_ACTOR_PERSON;
    if (lemma_is(c, subj_word, "it") && person) return 0;
    if ((lemma_is(c, subj_word, "he") || lemma_is(c, subj_word, "she")) && !person) return 0;
    return ns;
}

/* ---- one predicate ------------------------------------------------------------ */

static nd_span span_of(const ectx *c, int32_t v)
{
    return (nd_span){W(c, v)->start, W(c, v)->end};
}

/* Emit code from each source to each target. */
static void emit(const ectx *c, const int32_t *src, int ns, const int32_t *tgt, int nt,
                 const char *code, int sym, nd_span verb, int neg)
{
    for (int i = 0; i < ns; i++)
        for (int j = 0; j < nt; j++) {
            add_event(c, src[i], tgt[j], code, verb, neg);
            if (sym) add_event(c, tgt[j], src[i], code, verb, neg);
        }
}

/* Drop the actors of out that are the source's own actor ("Russia sent
 * its troops"). */
static int drop_actor(const ectx *c, int32_t *out, int n, int32_t actor)
{
    int j = 0;
    for (int q = 0; q < n; q++)
        if (c->d->ments[out[q]].actor != actor || actor < 0) out[j++] = out[q];
    return j;
}

/* The actors of the target: the pattern's slot, the objects, the obliques
 * (or, for a passive, the subject).  *loc: they come from a place ("in",
 * "at"). */
static int targets_of(const ectx *c, int32_t v, const vmatch *m, int passive, int statement,
                      int32_t subj_w, int32_t *out, int max, int32_t not_actor, int *loc)
{
    *loc = 0;
    if (m->sl.tgt_lo >= 0) {
        int32_t x = actor_in(c, m->sl.tgt_lo, m->sl.tgt_hi, not_actor);
        if (x >= 0) {
            int32_t h = nd__ment_head(c->d, (size_t) x);
            /* "met Macron in Rome": the place a pattern names is where;
             * the one met, the verb's object, is the target */
            int32_t o = passive ? -1 : child(c, v, ND_DEP_OBJ);
            if (h >= 0 && o >= 0 && case_in(c, h, (const char *const[]){"in", "at", NULL})) {
                int k = drop_actor(c, out, phrase_actors(c, o, out, max), not_actor);
                if (k) return k;
            }
            int n = h >= 0 ? phrase_actors(c, h, out, max) : 0;
            if (!n) out[n++] = x;
            return drop_actor(c, out, n, not_actor);
        }
    }
    if (passive) {
        int k = drop_actor(c, out, phrase_actors(c, subj_w, out, max), not_actor);
        /* "sanctions imposed on Spanish banks": the thing done has no
         * actor; the one it is done to is in an oblique */
        if (k || W(c, v)->deprel != ND_DEP_ACL) return k;
        int32_t tw[8];
        int n = target_words(c, v, 1, statement, tw, 8);
        for (int i = 0; i < n && !k; i++)
            k = drop_actor(c, out, phrase_actors(c, tw[i], out, max), not_actor);
        return k;
    }
    int32_t tw[8];
    int n = target_words(c, v, 0, statement, tw, 8);
    for (int i = 0; i < n; i++) DBG("    target word %s\n", c->form[tw[i]]);
    /* the first with actors; a bare agent ("artillery" as ---MIL) only
     * when no phrase names a country or organisation */
    int first = -1;
    for (int i = 0; i < n; i++) {
        int k = drop_actor(c, out, phrase_actors(c, tw[i], out, max), not_actor);
        if (!k) continue;
        if (first < 0) first = i;
        int coded = 0;
        for (int q = 0; q < k; q++)
            coded |= strncmp(c->d->acts[c->d->ments[out[q]].actor].code, "---", 3) != 0;
        if (coded) {
            *loc = case_in(c, tw[i], (const char *const[]){"in", "at", NULL});
            return k;
        }
        /* "rushed tanks to the Syrian border": a country in the bare
         * agent's own phrase */
        for (int32_t q = nd__w_child(c->d, tw[i], ND_DEP_NMOD, -1); q >= 0;
             q = nd__w_child(c->d, tw[i], ND_DEP_NMOD, q)) {
            if (q < tw[i] || case_in(c, q, adjunct_preps)) continue;
            int32_t x = phrase_actor1(c, q, 0);
            if (x >= 0 && c->d->ments[x].actor != not_actor &&
                strncmp(c->d->acts[c->d->ments[x].actor].code, "---", 3)) {
                out[0] = x;
                return 1;
            }
        }
    }
    if (first >= 0) {
        *loc = case_in(c, tw[first], (const char *const[]){"in", "at", NULL});
        return drop_actor(c, out, phrase_actors(c, tw[first], out, max), not_actor);
    }
    return 0;
}

/* Verbs of acts between parties: with a plural subject and no one else,
 * each toward the others. */
static const char *const reciprocal_verbs[] = {
    "agree",   "cooperate", "collaborate", "meet",       "negotiate", "talk",
    "discuss", "sign",      "ally",        "reconcile",  "clash",     "fight",
    "trade",   "partner",   "coordinate",  "consult",    "confer",    "compromise",
    "unite",   "bargain",   "settle",      "normalize",  "normalise", "embrace",
    "feud",    "quarrel",   "spar",        "correspond", NULL};

/* A noun the lexicon codes as an event ("meeting", "talks", "visit"). */
static int event_noun(const ectx *c, int32_t k)
{
    const char *keys[2] = {c->form[k], W(c, k)->lemma};
    for (int i = 0; i < 2; i++)
        if (nd__vlex_find(c->d->dict, 1, keys[i], strlen(keys[i])) != ND__NONE) return 1;
    return 0;
}

/* "X and Y postponed their meeting", "met each other": the object is
 * the subjects themselves. */
static int reciprocal(const ectx *c, int32_t v)
{
    /* nouns of a relation between parties: "deepen relations", "boost
     * trade" with a plural subject and no one else named */
    static const char *const relation[] = {
        "relation",    "relations",    "tie",           "ties",       "cooperation", "co-operation",
        "partnership", "coordination", "co-ordination", "friendship", "contact",     "link",
        "trade",       "dialogue",     "alliance",      "bond",       "exchange",    NULL};
    for (int32_t k = nd__w_child(c->d, v, ND_DEP_OBJ, -1); k >= 0;
         k = nd__w_child(c->d, v, ND_DEP_OBJ, k)) {
        if (lemma_in(c, k, (const char *const[]){"other", "another", NULL})) return 1;
        if (lemma_in(c, k, relation) || form_in(c, k, relation)) return 2;
        /* "their meeting", not "their populations" nor "their talks
         * with X" */
        int32_t p = child(c, k, ND_DEP_NMOD_POSS);
        if (p >= 0 && form_in(c, p, (const char *const[]){"their", "our", NULL}) &&
            event_noun(c, k) && other_party(c, k) < 0)
            return 1;
    }
    return 0;
}

/* Code the event of predicate v.  Returns 1 when the lexicon gives v a
 * code (an event or not, as its actors allow). */
static int code_verb(ectx *c, int32_t v)
{
    nd__doc *d = c->d;
    c->cur = v;
    frame f;
    int32_t subj_w = subject_word(c, v, 0);
    vmatch m;
    lexicon(c, 0, v, subj_w, &m);
    if (!m.found || m.null || (!m.code[0] && !m.pcode[0])) return 0;
    /* code: source -> target; rcode: what that makes of the target toward
     * the source ("[042:043]": a visit, and the target hosting it) */
    char code[6], rcode[6];
    snprintf(code, sizeof code, "%s", m.code);
    snprintf(rcode, sizeof rcode, "%s", m.pcode);
    if (m.sym && !rcode[0]) snprintf(rcode, sizeof rcode, "%s", code);
    /* CAMEO: signing an agreement is 057 whatever the agreement is about
     * (trade, aid, a ceasefire); signing with someone is reciprocal */
    if (lemma_in(c, v, sign_verbs) && root_of(code) != 5) {
        int32_t o = child(c, v, ND_DEP_OBJ);
        if (o < 0 && passive_voice(c, v)) o = child(c, v, ND_DEP_NSUBJ_PASS);
        if (o >= 0 && lemma_in(c, o, agreement_nouns)) {
            snprintf(code, sizeof code, "057");
            rcode[0] = 0;
            if (!lemma_is(c, v, "ratify")) snprintf(rcode, sizeof rcode, "057");
        }
    }
    frame_of(c, v, &f);
    if (f.hypo) {
        DBG("  verb %s: hypothetical\n", c->form[v]);
        return 1;
    }
    int passive = passive_voice(c, v);
    /* a participle describing a thing ("the prospect of Ukraine joining
     * Nato", "an attack targeting civilians") is part of its name, not
     * another event; one describing an actor ("troops loyal to X firing
     * on ...") is */
    if (W(c, v)->deprel == ND_DEP_ACL && W(c, v)->head >= 0 &&
        !usable(c, ment_of(c, W(c, v)->head))) {
        const char *vf = c->form[v];
        size_t vn = strlen(vf);
        if (vn > 4 && !strcmp(vf + vn - 3, "ing")) return 1;
    }
    /* "called the initiative a farce": naming, not a call */
    if (lemma_is(c, v, "call") && child(c, v, ND_DEP_OBJ) >= 0 &&
        (child(c, v, ND_DEP_XCOMP) >= 0 ||
         nd__w_child(d, v, ND_DEP_OBJ, child(c, v, ND_DEP_OBJ)) >= 0))
        return 1;
    /* an infinitive modifying a noun ("pressure to help Iran", "efforts to
     * counter") or saying what for ("met X to discuss Y", "sent a team to
     * help") is a purpose, not an event */
    if ((W(c, v)->deprel == ND_DEP_ACL || (W(c, v)->rel == ND_DEP_ADVCL && f.kind == FR_PLAIN)) &&
        case_in(c, v, (const char *const[]){"to", NULL}))
        return 1;
    nd_span vs = span_of(c, v);
    int32_t src[8], tgt[8];
    int ns = 0, nt = 0, loc = 0;
    int statement = lemma_in(c, v, speech_verbs);
    /* the source: the pattern's '$', the subject (a passive's agent) */
    int32_t src_w = passive ? agent_word(c, v) : subj_w;
    /* a pattern's target before the verb is in the subject ("+ * ..."),
     * except for a passive, whose subject is what the active's object was
     * ("evidence against Russia was presented by the US") */
    int tgt_in_subject = m.sl.tgt_lo >= 0 && m.sl.tgt_lo < v && !passive;
    if (m.sl.src_lo >= 0) {
        int32_t x = actor_in(c, m.sl.src_lo, m.sl.src_hi, -1);
        if (x >= 0) src[ns++] = x;
    } else if (!tgt_in_subject && src_w >= 0) {
        ns = phrase_actors(c, src_w, src, 8);
        /* "The US, Russia, and Switzerland met" with the last parsed as a
         * second subject: coordinated too */
        if (W(c, src_w)->head == v && W(c, src_w)->rel == ND_DEP_NSUBJ)
            for (int32_t k = nd__w_child(d, v, ND_DEP_NSUBJ, -1); k >= 0 && ns < 8;
                 k = nd__w_child(d, v, ND_DEP_NSUBJ, k))
                if (k != src_w && !lemma_in(c, k, temporal) && !after_prep(c, k)) {
                    int32_t more[8];
                    int nm = phrase_actors(c, k, more, 8);
                    for (int i = 0; i < nm; i++) ns = add_unique(src, ns, 8, more[i]);
                }
        if (!ns && (f.kind == FR_REPORTED || f.kind == FR_INTENT) && f.gov >= 0)
            ns = resolve_to(c, src_w, f.speaker >= 0 ? f.speaker : subject_word(c, f.gov, 0), src,
                            8);
    }
    int32_t not_actor = ns ? d->ments[src[0]].actor : -1;
    nt = targets_of(c, v, &m, passive, statement, subj_w, tgt, 8, not_actor, &loc);
    /* no source is also a target ("forced on the Gulf state by Saudi
     * Arabia, the UAE and ...") */
    for (int i = 1; i < ns; i++) nt = drop_actor(c, tgt, nt, d->ments[src[i]].actor);
    /* "accused/alleged/demanded that X ...": the one the complement is
     * about */
    int croot = root_of(code);
    if (!nt && !passive && croot >= 1 &&
        (!lemma_in(c, v, speech_verbs) || (croot >= 10 && croot <= 14) ||
         (croot == 1 && strcmp(code, "010")))) {
        for (int32_t k = nd__w_child(d, v, ND_DEP_NONE, -1); k >= 0 && !nt;
             k = nd__w_child(d, v, ND_DEP_NONE, k)) {
            int rel;
            if (governor(c, k, &rel) != v || rel != ND_DEP_CCOMP) continue;
            int32_t sw = subject_word(c, k, 0);
            if (sw >= 0 && passive_voice(c, k)) sw = -1;
            nt = sw >= 0 ? phrase_actors(c, sw, tgt, 8) : 0;
        }
    }
    /* "claimed/denied responsibility for attacks on Israeli troops", "for
     * an attack at a mall in Kenya": the one the act claimed was against,
     * or where it happened (CAMEO 015, 016) */
    if (!nt && (!strcmp(code, "015") || !strcmp(code, "016"))) {
        static const char *const for_[] = {"for", NULL};
        int32_t o = child(c, v, ND_DEP_OBJ);
        for (int32_t k = nd__w_child(d, v, ND_DEP_OBL, -1); k >= 0 && !nt;
             k = nd__w_child(d, v, ND_DEP_OBL, k))
            if (k > v && case_in(c, k, for_))
                nt = drop_actor(c, tgt, phrase_actors(c, k, tgt, 8), not_actor);
        for (int32_t k = o >= 0 ? nd__w_child(d, o, ND_DEP_NMOD, -1) : -1; k >= 0 && !nt;
             k = nd__w_child(d, o, ND_DEP_NMOD, k))
            if (k > o && case_in(c, k, for_))
                nt = drop_actor(c, tgt, phrase_actors(c, k, tgt, 8), not_actor);
    }
    /* people with no actor of their own hurt or killed ("four children
     * were killed in Israeli shelling in Gaza"): the people of the place
     * where it happened */
    if (ns && croot >= 18 && child(c, v, passive ? ND_DEP_NSUBJ_PASS : ND_DEP_OBJ) >= 0) {
        int named = 0;
        for (int j = 0; j < nt; j++)
            named |= strncmp(d->acts[d->ments[tgt[j]].actor].code, "---", 3) != 0;
        int32_t pl;
        if (!named && place_actor(c, v, not_actor, &pl)) tgt[0] = pl, nt = 1;
    }
    DBG("  verb %s/%s subj=%s code=%s:%s spec=%d block=%s frame=%d gov=%s neg=%d passive=%d "
        "ns=%d nt=%d tslot=%d\n",
        c->form[v], W(c, v)->lemma, subj_w >= 0 ? c->form[subj_w] : "-", code, rcode, m.spec,
        m.verb ? d->dict->vblocks[m.verb->block].name : "-", f.kind,
        f.gov >= 0 ? c->form[f.gov] : "-", f.negated, passive, ns, nt, m.sl.tgt_lo);
    if (!code[0]) {
        /* only the reverse meaning ("appeared before the court": the court
         * acts) */
        if (f.kind != FR_PLAIN || f.negated) return 1;
        emit(c, tgt, nt, src, ns, rcode, 0, vs, 0);
        return 1;
    }
    int neg = f.negated;
    if (neg) {
        /* "would not provide support": the rejection (a negated threat or
         * appeal is no event) */
        const char *ng = negate(code);
        if (!ng || f.kind == FR_ASK || f.kind == FR_DEMAND || f.kind == FR_THREAT) return 1;
        snprintf(code, sizeof code, "%s", ng);
        f.kind = FR_PLAIN;
        rcode[0] = 0;
    }
    /* what the clause makes of the event */
    int root = root_of(code);
    if (f.kind != FR_PLAIN) rcode[0] = 0;
    switch (f.kind) {
    case FR_INTENT: {
        int promise = lemma_in(c, f.gov,
                               (const char *const[]){"pledge", "promise", "vow", "offer", "agree",
                                                     "commit", "undertake", "volunteer", NULL});
        if (root >= 15 && !promise)
            snprintf(code, sizeof code, "%s", threat_code(code));
        else if (root >= 4 && root <= 8)
            family_code(3, code, code);
        else if (root >= 10 && root <= 14)
            return 1; /* an intended protest or complaint is not one yet */
        break;
    }
    case FR_THREAT: snprintf(code, sizeof code, "%s", threat_code(code)); break;
    case FR_ASK:
    case FR_DEMAND: {
        /* the asker toward the one asked: the governing verb's subject to
         * its object (or the complement's subject); a passive governor
         * ("was pressed by Congress to") the other way */
        int family = f.kind == FR_ASK ? 2 : 10;
        int32_t g = f.gov;
        int32_t asker = subject_word(c, g, 0);
        int32_t asked = child(c, g, ND_DEP_OBJ);
        if (asked < 0) asked = child(c, g, ND_DEP_IOBJ);
        if (passive_voice(c, g)) {
            asked = asker;
            asker = agent_word(c, g);
        }
        if (asked < 0) {
            /* "called on X to", "appealed to X to" */
            for (int32_t k = nd__w_child(d, g, ND_DEP_OBL, -1); k >= 0 && asked < 0;
                 k = nd__w_child(d, g, ND_DEP_OBL, k))
                if (case_in(c, k, (const char *const[]){"on", "upon", "to", NULL})) asked = k;
        }
        if (asked < 0) asked = subj_w;
        char fc[6];
        if (root >= 4 && root <= 8)
            family_code(family, code, fc);
        else if (family == 2 && root >= 18 && lemma_is(c, g, "want"))
            /* PETRARCH's transformation: wanting another to attack is an
             * appeal for material action ("~ a (b . ATTACK) WANT = a b 021") */
            snprintf(fc, sizeof fc, "021");
        else
            snprintf(fc, sizeof fc, "%s", family == 2 ? "020" : "100");
        ns = phrase_actors(c, asker, src, 8);
        nt = phrase_actors(c, asked, tgt, 8);
        emit(c, src, ns, tgt, nt, fc, 0, span_of(c, g), 0);
        return 1;
    }
    case FR_REPORTED: {
        /* force a speaker reports: its accusation (112), or its claim of
         * what it did itself (015) */
        if (root >= 18 && f.gov >= 0 &&
            lemma_in(c, f.gov,
                     (const char *const[]){"say", "claim", "allege", "report", "accuse", "charge",
                                           "state", "declare", NULL})) {
            int32_t sp[8];
            int nsp = phrase_actors(c, f.speaker, sp, 8);
            if (!nsp) break;
            int own = 0;
            for (int i = 0; i < ns; i++)
                for (int j = 0; j < nsp; j++)
                    if (d->ments[src[i]].actor == d->ments[sp[j]].actor) own = 1;
            if (own)
                emit(c, sp, nsp, tgt, nt, "015", 0, vs, 0);
            else if (ns)
                emit(c, sp, nsp, src, ns, "112", 0, vs, 0);
            return 1;
        }
        break;
    }
    default: break;
    }
    /* a thing said speaks for whoever issued it ("a statement by the
     * presidency condemned ..."), but does not travel, meet, give or fight
     * ("the statement comes a day before ... to Beijing") */
    if (ns && src_w >= 0 && src_w != v && said_noun(c, src_w)) {
        int r = root_of(code);
        if (r == 4 || (r >= 6 && r <= 9) || r >= 14) return 1;
    }
    /* a plural subject with no target of its own, a place, or itself ("their
     * meeting"): each toward the others ("the two leaders met in Moscow") */
    int mutual = m.sym || rcode[0] || root_of(code) == 4 || !strcmp(code, "036");
    int plural = ns >= 2 || (ns == 1 && d->ments[src[0]].actor2 >= 0);
    int recip = reciprocal(c, v);
    /* acts between parties: "France and the Philippines agree", "signed",
     * "pledged to cooperate" */
    if (lemma_in(c, v, reciprocal_verbs)) mutual = 1;
    if (plural && (((!nt || loc) && mutual) || (recip && !nt))) {
        for (int i = 0; i < ns; i++)
            for (int j = 0; j < ns; j++)
                if (i != j) add_event(c, src[i], src[j], code, vs, neg);
        if (ns == 1) add_event(c, src[0], src[0], code, vs, neg);
        return 1;
    }
    emit(c, src, ns, tgt, nt, code, 0, vs, neg);
    /* the other side's part in it, as the dictionary says: "[042:043]" a
     * visit is the target's hosting too, "[040:040]" a meeting the
     * target's meeting (an intention is its holder's alone) */
    if (rcode[0] && root_of(code) != 3) emit(c, tgt, nt, src, ns, rcode, 0, vs, neg);
    return 1;
}

/* ---- nominal events ---------------------------------------------------------- */

/* Verbs that make an event noun their action: "held talks", "launched an
 * air strike", "paid a visit". */
static const char *const light_verbs[] = {"hold",  "have",     "conduct", "stage",    "launch",
                                          "carry", "make",     "pay",     "begin",    "start",
                                          "open",  "resume",   "attend",  "host",     "mount",
                                          "wage",  "continue", "join",    "complete", NULL};
/* Nouns under which an event noun did not happen: "plans for a visit". */
static const char *const unreal_nouns[] = {
    "plan",   "proposal", "offer",      "call", "hope",        "possibility", "prospect", "threat",
    "demand", "request",  "invitation", "idea", "preparation", "bid",         "attempt",  "push",
    "chance", "risk",     "fear",       "need", "talk",        NULL};

/* An event noun ("talks between A and B", "a meeting with X", "X's visit
 * to Y", "an Israeli air strike on Gaza"). */
static void code_noun(ectx *c, int32_t n)
{
    nd__doc *d = c->d;
    vmatch m;
    lexicon(c, 1, n, -1, &m);
    if (!m.found || m.null || (!m.code[0] && !m.pcode[0])) return;
    int32_t h = W(c, n)->head;
    int rel = W(c, n)->rel;
    /* not one that did not happen: "no talks", "plans for a visit", the
     * object of "called for talks" (the verb codes that) */
    if (nd__w_has(d, n, ND_DEP_DET, "no")) return;
    if (h >= 0 && (rel == ND_DEP_NMOD || rel == ND_DEP_COMPOUND) && lemma_in(c, h, unreal_nouns))
        return;
    int32_t verb = -1;
    if (h >= 0 && (rel == ND_DEP_OBJ || rel == ND_DEP_OBL || rel == ND_DEP_NSUBJ)) verb = h;
    if (verb >= 0 && predicate(c, verb)) {
        if (lemma_in(c, verb, intent_verbs) || lemma_in(c, verb, ask_verbs) ||
            lemma_in(c, verb, demand_verbs) || lemma_in(c, verb, neg_verbs) ||
            lemma_in(c, verb, threat_verbs) || lemma_in(c, verb, predict_verbs) ||
            has_neg(c, verb) || hypothetical(c, verb))
            return;
        /* the verb's own pattern said what happened ("held talks" 046) */
        if (c->done[verb - c->w0] == 2 && rel == ND_DEP_OBJ) return;
    }
    char code[6], rcode[6];
    snprintf(code, sizeof code, "%s", m.code);
    snprintf(rcode, sizeof rcode, "%s", m.pcode);
    if (m.sym && !rcode[0]) snprintf(rcode, sizeof rcode, "%s", code);
    int32_t src[8], tgt[8];
    int ns = 0, nt = 0;
    /* the source: the possessor, an actor naming it ("Israeli air
     * strike"), a by-phrase, or the subject of the verb doing it */
    for (int32_t k = nd__w_child(d, n, ND_DEP_NONE, -1); k >= 0 && !ns;
         k = nd__w_child(d, n, ND_DEP_NONE, k)) {
        int r = W(c, k)->deprel;
        if (k < n && (r == ND_DEP_NMOD_POSS || r == ND_DEP_AMOD || r == ND_DEP_COMPOUND))
            ns = phrase_actors(c, k, src, 8);
        else if (k > n && W(c, k)->rel == ND_DEP_NMOD &&
                 case_in(c, k, (const char *const[]){"by", NULL}))
            ns = phrase_actors(c, k, src, 8);
        /* a bare agent is part of the noun's name ("joint military drills") */
        int j = 0;
        for (int i = 0; i < ns; i++)
            if (strncmp(d->acts[d->ments[src[i]].actor].code, "---", 3)) src[j++] = src[i];
        ns = j;
    }
    if (!ns && verb >= 0 && predicate(c, verb) && lemma_in(c, verb, light_verbs) &&
        rel != ND_DEP_NSUBJ)
        ns = phrase_actors(c, subject_word(c, verb, 0), src, 8);
    /* the target: the pattern's slot, else a with/to/on/against phrase */
    if (m.sl.tgt_lo >= 0) {
        int32_t x = actor_in(c, m.sl.tgt_lo, m.sl.tgt_hi, ns ? d->ments[src[0]].actor : -1);
        if (x >= 0) {
            int32_t hh = nd__ment_head(d, (size_t) x);
            nt = hh >= 0 ? phrase_actors(c, hh, tgt, 8) : 0;
            if (!nt) tgt[nt++] = x;
        }
    }
    if (!nt)
        for (int32_t k = nd__w_child(d, n, ND_DEP_NMOD, -1); k >= 0 && !nt;
             k = nd__w_child(d, n, ND_DEP_NMOD, k))
            if (k > n && case_in(c, k,
                                 (const char *const[]){"with", "to", "on", "against", "between",
                                                       "into", "at", NULL}))
                nt = phrase_actors(c, k, tgt, 8);
    if (ns) nt = drop_actor(c, tgt, nt, d->ments[src[0]].actor);
    nd_span vs = span_of(c, n);
    DBG("  noun %s code=%s:%s ns=%d nt=%d\n", c->form[n], code, rcode, ns, nt);
    if (!ns && nt >= 2 && (rcode[0] || m.sym)) {
        /* "talks between A and B": each toward the other */
        for (int i = 0; i < nt; i++)
            for (int j = 0; j < nt; j++)
                if (i != j) add_event(c, tgt[i], tgt[j], code[0] ? code : rcode, vs, 0);
        return;
    }
    if (!nt && (rcode[0] || m.sym) && (ns >= 2 || (ns == 1 && d->ments[src[0]].actor2 >= 0))) {
        /* "the two countries held joint drills": each toward the other */
        for (int i = 0; i < ns; i++)
            for (int j = 0; j < ns; j++)
                if (i != j) add_event(c, src[i], src[j], code[0] ? code : rcode, vs, 0);
        if (ns == 1) add_event(c, src[0], src[0], code[0] ? code : rcode, vs, 0);
        return;
    }
    if (code[0]) emit(c, src, ns, tgt, nt, code, 0, vs, 0);
    if (rcode[0] && (!code[0] || !strcmp(rcode, code))) emit(c, tgt, nt, src, ns, rcode, 0, vs, 0);
}

/* ---- the date ---------------------------------------------------------------- */

static int weekday(int32_t day)
{
    int w = (int) ((day + 4) % 7);
    return w < 0 ? w + 7 : w; /* 0 Sunday */
}

/* The day the sentence speaks of. */
static int32_t sentence_day(const nd__doc *d, uint32_t s)
{
    static const char *const wd[] = {"sunday",   "monday", "tuesday", "wednesday",
                                     "thursday", "friday", "saturday"};
    if (d->day == ND__DAY_MIN) return ND__DAY_MIN;
    uint32_t s0 = d->sent_t0[s], s1 = d->sent_t1[s];
    int future = 0;
    for (uint32_t k = s0; k < s1; k++)
        if (nd__tok_is(d, k, "will") || nd__tok_is(d, k, "tomorrow")) future = 1;
    for (uint32_t k = s0; k < s1; k++) {
        const char *w = d->toks[k].lower;
        if (!w || d->toks[k].in_quote) continue;
        if (!strcmp(w, "yesterday")) return d->day - 1;
        if (!strcmp(w, "tomorrow")) return d->day + 1;
        for (int i = 0; i < 7; i++) {
            if (strcmp(w, wd[i])) continue;
            int next = k > s0 && nd__tok_is(d, k - 1, "next");
            int last = k > s0 && nd__tok_is(d, k - 1, "last");
            int aw = weekday(d->day);
            if (next || (future && !last)) {
                int delta = (i - aw + 7) % 7;
                if (delta == 0 || next) delta = delta ? delta : 7;
                return d->day + delta;
            }
            int delta = (aw - i + 7) % 7;
            if (last && delta == 0) delta = 7;
            return d->day - delta;
        }
    }
    return d->day;
}

/* ---- the document --------------------------------------------------------------- */

/* A predicate to code: not inside quotations, not in an actor's name
 * ("Free Tibet"), not coded already. */
static int codable(const ectx *c, int32_t v)
{
    if (!predicate(c, v) || in_quote(c, v) || c->done[v - c->w0]) return 0;
    int32_t m = ment_of(c, v);
    return !(m >= 0 && c->d->ments[m].how == ND_MENTION_NAME);
}

static void events_sentence(ectx *c)
{
    nd__doc *d = c->d;
    uint32_t s = c->s;
    c->w0 = (int32_t) d->sent_w0[s];
    c->w1 = (int32_t) d->sent_w1[s];
    if (c->w1 <= c->w0) return;
    c->day = ND__DAY_MIN;
    c->have_day = 0;
    c->question = 0;
    for (int32_t w = c->w1; w-- > c->w0;) {
        if (W(c, w)->upos != ND_UPOS_PUNCT) break;
        if (!strcmp(c->form[w], "?")) c->question = 1;
    }
    memset(c->done, 0, (size_t) (c->w1 - c->w0));
    memset(c->wsig, 0, sizeof c->wsig);
    memset(c->sets, 0, sizeof c->sets);
    for (int32_t v = c->w0; v < c->w1; v++) {
        const char *ks[2] = {c->form[v], W(c, v)->lemma};
        for (int i = 0; i < 2; i++) {
            unsigned b = nd__vsig(ks[i]);
            c->wsig[b / 64] |= 1ull << (b % 64);
            const uint64_t *sb = nd__vset_first(d->dict, ks[i], strlen(ks[i]));
            if (sb) c->sets[0] |= sb[0], c->sets[1] |= sb[1];
        }
    }
    memset(c->retag, 0, (size_t) (c->w1 - c->w0));
    for (int32_t v = c->w0; v < c->w1; v++) c->retag[v - c->w0] = (uint8_t) retagged(c, v);
    for (int32_t v = c->w0; v < c->w1 && !d->failed; v++) {
        if (!codable(c, v)) continue;
        /* a verb of intending, threatening, asking or demanding is coded
         * through its complement when that has a code ("wants to attack",
         * "urged Iran to help") */
        if (lemma_in(c, v, intent_verbs) || lemma_in(c, v, threat_verbs) ||
            lemma_in(c, v, ask_verbs) || lemma_in(c, v, demand_verbs) ||
            lemma_in(c, v, neg_verbs)) {
            int had = 0;
            for (int32_t k = nd__w_child(d, v, ND_DEP_NONE, -1); k >= 0;
                 k = nd__w_child(d, v, ND_DEP_NONE, k)) {
                int rel;
                if (governor(c, k, &rel) != v || !codable(c, k)) continue;
                if (rel == ND_DEP_CCOMP && !lemma_in(c, v, demand_verbs) &&
                    !lemma_in(c, v, ask_verbs))
                    continue;
                c->done[k - c->w0] = 1;
                had |= code_verb(c, k);
            }
            if (had) continue;
        }
        size_t before = d->n_events;
        /* a verb that gave an event speaks for its object ("held talks") */
        if (code_verb(c, v) && d->n_events > before) c->done[v - c->w0] = 2;
    }
    for (int32_t n = c->w0; n < c->w1 && !d->failed; n++)
        if (W(c, n)->upos == ND_UPOS_NOUN && !in_quote(c, n) && !c->done[n - c->w0] &&
            !c->retag[n - c->w0])
            code_noun(c, n);
}

void nd__find_events(nd__doc *d)
{
    if (!d->n_words || !d->dict) return;
    ectx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.form = nd_arena_alloc(d->ar, d->n_words * sizeof *c.form);
    size_t max_sent = 0;
    for (size_t s = 0; s < d->n_sents; s++)
        if (d->sent_w1[s] - d->sent_w0[s] > max_sent) max_sent = d->sent_w1[s] - d->sent_w0[s];
    c.done = nd_arena_alloc(d->ar, max_sent + 1);
    c.mpre = nd_arena_alloc(d->ar, max_sent + 1);
    c.mpost = nd_arena_alloc(d->ar, max_sent + 1);
    c.mask = c.mpost;
    c.retag = nd_arena_alloc(d->ar, max_sent + 1);
    if (!c.form || !c.done || !c.mpre || !c.mpost || !c.retag) {
        d->failed = 1;
        return;
    }
    /* the lowercased form of every word, with "’" as "'" ("n’t", "’s") */
    size_t total = 0;
    for (size_t i = 0; i < d->n_words; i++) total += d->words[i].end - d->words[i].start + 1;
    char *f = nd_arena_alloc(d->ar, total + 1);
    if (!f) {
        d->failed = 1;
        return;
    }
    for (size_t i = 0; i < d->n_words; i++) {
        const nd__word *w = &d->words[i];
        const unsigned char *t = (const unsigned char *) d->text + w->start;
        size_t n = w->end - w->start, o = 0;
        c.form[i] = f;
        for (size_t k = 0; k < n; k++) {
            if (k + 2 < n && t[k] == 0xe2 && t[k + 1] == 0x80 && t[k + 2] == 0x99) {
                f[o++] = '\'';
                k += 2;
                continue;
            }
            f[o++] = (char) (t[k] >= 'A' && t[k] <= 'Z' ? t[k] + 32 : t[k]);
        }
        f[o] = 0;
        f += o + 1;
    }
    for (uint32_t s = 0; s < d->n_sents && !d->failed; s++) {
        c.s = s;
        events_sentence(&c);
    }
}
