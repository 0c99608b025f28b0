/* quotes.c - quotation marks, attributions and quotations.
 *
 * 1. Quotation marks are paired per paragraph with a stack (double and
 *    single marks, straight and curly, « », '' for a double mark); a
 *    quotation left open at the end of a paragraph continues when the next
 *    paragraph opens with a mark (the convention for multi-paragraph
 *    quotations).  A single closing mark after "s" followed by a word is
 *    taken for a plural possessive when another closing mark follows.
 * 2. Attributions are read off each sentence's dependency tree (tree.c):
 *    a cue verb (data/verbs/cues.txt) or "according to", its source (the
 *    subject, a passive agent, the noun a relative pronoun stands for, the
 *    subject a coordinated verb or participle shares) and its content (the
 *    clausal complement, a that-clause, the clause around a cue that stands
 *    aside: "'...,' he said", "The plan, he said, will fail").  A report
 *    inside another is part of it; a cue needs a clause or a quotation.
 * 3. Each quotation goes to the attribution whose content holds it: all
 *    the quotations of one attribution are one quotation in several parts,
 *    direct when the content is all quoted, partial (mixed) otherwise.  An
 *    attribution with no quotation is an indirect quotation.
 * 4. Quotations no tree attribution holds keep the surface rules of the
 *    words around them ("..., said Putin", "Putin said: ...", the cue of
 *    their clause); a direct quotation without its own attribution
 *    continues the previous speaker's; a partial one with no speaker is a
 *    scare quote. */
#include "analyze/analyze_int.h"

#include <string.h>
#include <strings.h>
#include <ctype.h>

/* ---- marks ------------------------------------------------------------------ */

enum { FAM_DOUBLE = 1, FAM_SINGLE = 2 };

static int family(const nd__doc *d, const nd__tok *t)
{
    if (!(t->flags & ND_TOKF_QUOTE)) return 0;
    const unsigned char *p = (const unsigned char *) d->text + t->off;
    if (p[0] == '"') return FAM_DOUBLE;
    if (p[0] == '\'') return FAM_SINGLE;
    if (p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB)) return FAM_DOUBLE; /* « » */
    if (p[0] == 0xE2 && p[1] == 0x80) {
        switch (p[2]) {
        case 0x9C:
        case 0x9D:
        case 0x9E:
        case 0x9F: return FAM_DOUBLE; /* “ ” „ ‟ */
        case 0x98:
        case 0x99:
        case 0x9A:
        case 0x9B: return FAM_SINGLE; /* ‘ ’ ‚ ‛ */
        case 0xB9:
        case 0xBA: return FAM_SINGLE; /* ‹ › */
        default: break;
        }
    }
    return 0;
}

static int add_pair(nd__doc *d, size_t *cap, uint32_t o, uint32_t c, int open_end)
{
    if (d->n_qpairs == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        uint32_t *a = nd_arena_alloc(d->ar, nc * sizeof *a);
        uint32_t *b = nd_arena_alloc(d->ar, nc * sizeof *b);
        int32_t *nx = nd_arena_alloc(d->ar, nc * sizeof *nx);
        uint8_t *oe = nd_arena_alloc(d->ar, nc);
        if (!a || !b || !nx || !oe) {
            d->failed = 1;
            return -1;
        }
        if (d->n_qpairs) {
            memcpy(a, d->q_open, d->n_qpairs * sizeof *a);
            memcpy(b, d->q_close, d->n_qpairs * sizeof *b);
            memcpy(nx, d->q_next, d->n_qpairs * sizeof *nx);
            memcpy(oe, d->q_open_end, d->n_qpairs);
        }
        d->q_open = a, d->q_close = b, d->q_next = nx, d->q_open_end = oe;
        *cap = nc;
    }
    d->q_open[d->n_qpairs] = o;
    d->q_close[d->n_qpairs] = c;
    d->q_next[d->n_qpairs] = -1;
    d->q_open_end[d->n_qpairs] = (uint8_t) open_end;
    return (int) d->n_qpairs++;
}

/* Is there another closing single mark later in the paragraph? */
static int later_single_close(const nd__doc *d, size_t i)
{
    uint32_t para = d->toks[i].para;
    for (size_t k = i + 1; k < d->n_toks && d->toks[k].para == para; k++)
        if (family(d, &d->toks[k]) == FAM_SINGLE && (d->toks[k].flags & ND_TOKF_CLOSEQ)) return 1;
    return 0;
}

void nd__find_quote_marks(nd__doc *d)
{
    size_t cap = 0;
    uint32_t stack[8];
    int fam[8];
    int depth = 0;
    int32_t pending = -1; /* an open double quotation carried over a paragraph break */
    size_t n = d->n_toks;
    for (size_t i = 0; i < n; i++) {
        nd__tok *t = &d->toks[i];
        int last_in_para = i + 1 == n || d->toks[i + 1].para != t->para;
        int f = family(d, t);
        if (f) {
            int open = (t->flags & ND_TOKF_OPENQ) != 0;
            /* a right mark opening a line, glued to the word after it
             * ("\n\u201dMr. Trump embodies ...\u201d"): a left one typed wrong
             * (or the Nordic style); nothing is left open to close there */
            if (!open && f == FAM_DOUBLE && !depth && t->len == 3 &&
                !memcmp(d->text + t->off, "\xE2\x80\x9D", 3) &&
                (i == 0 || t->line_before || d->toks[i - 1].para != t->para) && i + 1 < n &&
                d->toks[i + 1].type == ND_TOK_WORD && d->toks[i + 1].off == t->off + 3)
                open = 1;
            if (f == FAM_DOUBLE) {
                int top_double = depth && fam[depth - 1] == FAM_DOUBLE;
                /* '“It's unusual,“ said X': an opening mark glued to the
                 * word before it and followed by a space closes */
                if (open && top_double && i > 0 &&
                    d->toks[i - 1].off + d->toks[i - 1].len == t->off &&
                    (i + 1 >= n || d->toks[i + 1].off > t->off + t->len))
                    open = 0;
                /* A straight mark while a straight one is open closes it. */
                if (open && top_double && d->text[t->off] == '"' &&
                    d->text[d->toks[stack[depth - 1]].off] == '"')
                    open = 0;
                if (open) {
                    if (depth < 8) stack[depth] = (uint32_t) i, fam[depth] = f, depth++;
                } else {
                    while (depth && fam[depth - 1] != FAM_DOUBLE) depth--;
                    if (depth) {
                        depth--;
                        int k = add_pair(d, &cap, stack[depth], (uint32_t) i, 0);
                        if (k >= 0 && depth == 0 && pending >= 0 &&
                            d->toks[stack[depth]].para != d->toks[d->q_open[pending]].para)
                            d->q_next[pending] = k, pending = -1;
                    }
                }
            } else {
                if (open) {
                    if (depth < 8) stack[depth] = (uint32_t) i, fam[depth] = f, depth++;
                } else if (depth && fam[depth - 1] == FAM_SINGLE) {
                    /* "the countries' leaders": a plural possessive */
                    static const char *const fw[] = {
                        "of",    "in",  "to",   "and", "or",   "but",  "as",    "at",
                        "for",   "on",  "with", "by",  "from", "that", "which", "is",
                        "was",   "are", "were", "has", "have", "had",  "will",  "would",
                        "he",    "she", "they", "it",  "said", "says", "than",  "into",
                        "while", "who", "when", "if",  NULL};
                    int poss = i > 0 && d->toks[i - 1].type == ND_TOK_WORD &&
                               d->toks[i - 1].off + d->toks[i - 1].len == t->off &&
                               (d->text[t->off - 1] == 's' || d->text[t->off - 1] == 'S') &&
                               i + 1 < n && d->toks[i + 1].type == ND_TOK_WORD &&
                               !nd__tok_in(d, i + 1, fw) && later_single_close(d, i);
                    if (!poss) {
                        depth--;
                        int k = add_pair(d, &cap, stack[depth], (uint32_t) i, 0);
                        if (k >= 0 && depth == 0 && pending >= 0 &&
                            d->toks[stack[depth]].para != d->toks[d->q_open[pending]].para)
                            d->q_next[pending] = k, pending = -1;
                    }
                }
            }
        }
        if (last_in_para) {
            /* An outer quotation left open continues when the next
             * paragraph opens with a mark of the same family. */
            int carried = 0;
            if (depth >= 1) {
                size_t nx = i + 1;
                int f0 = fam[0];
                if (nx < n && family(d, &d->toks[nx]) == f0 &&
                    (d->toks[nx].flags & ND_TOKF_OPENQ)) {
                    int k = add_pair(d, &cap, stack[0], (uint32_t) i, 1);
                    if (k >= 0) {
                        if (pending >= 0) d->q_next[pending] = k;
                        pending = k;
                        carried = 1;
                    }
                }
            }
            if (!carried && pending >= 0) {
                /* the chain ended without a closing mark: drop the link */
                pending = -1;
            }
            depth = 0;
        }
        if (d->failed) return;
    }
    /* Chains whose last part never closed are dropped (unbalanced). */
    for (size_t k = 0; k < d->n_qpairs; k++) {
        if (!d->q_open_end[k]) continue;
        int32_t c = (int32_t) k;
        while (c >= 0 && d->q_open_end[c]) c = d->q_next[c];
        if (c < 0) d->q_open_end[k] = 2; /* unusable */
    }
    /* Mark the tokens inside outer quotations. */
    for (size_t k = 0; k < d->n_qpairs; k++) {
        if (d->q_open_end[k] == 2) continue;
        uint32_t o = d->q_open[k], c = d->q_close[k];
        for (uint32_t j = o + 1; j < c + (d->q_open_end[k] ? 1u : 0u) && j < n; j++)
            d->toks[j].in_quote = 1;
    }
}

/* ---- cues -------------------------------------------------------------------- */

static const char *const dets[] = {"the",   "a",   "an", "this", "that",  "his", "her", "its",
                                   "their", "our", "my", "your", "whose", "no",  "any", NULL};

int nd__cue_at(const nd__doc *d, size_t i, const char **lemma)
{
    if (i >= d->n_toks) return 0;
    const nd__tok *t = &d->toks[i];
    if (t->type != ND_TOK_WORD || !t->lower_len) return 0;
    uint32_t c = nd__map_get(&d->dict->cue_map, t->lower, t->lower_len);
    if (c == ND__NONE) return 0;
    const nd__cue *cu = &d->dict->cues[c];
    /* acts and stances ("endorsed", "refused") are read on the tree only */
    if (cu->cls == ND__CUE_ACT) return 0;
    /* a word of a name ("United States") */
    if (t->mention >= 0 && !d->ments[t->mention].pronoun) return 0;
    /* "the report", "a claim": a noun after a determiner is no cue */
    if (i > 0 && nd__tok_in(d, i - 1, dets)) return 0;
    /* a possessive before it ("Russia's claim") */
    if (i > 0 && (d->toks[i - 1].flags & ND_TOKF_POSS)) return 0;
    if (lemma) *lemma = cu->lemma;
    return cu->cls;
}

/* A cue used as a verb of saying in context. */
static int cue_verb(const nd__doc *d, size_t i, const char **lemma)
{
    int c = nd__cue_at(d, i, lemma);
    if (!c) return 0;
    const nd__tok *t = &d->toks[i];
    if (t->in_quote) return 0;
    /* "member states", "the report": the tree knows a noun */
    if (d->n_words && d->tok_w0[i] >= 0 && d->words[d->tok_w0[i]].upos != ND_UPOS_VERB) return 0;
    /* passive "was told", "is expected" */
    static const char *const be[] = {"was", "were", "been", "being", "is", "are", "be", NULL};
    int ing = t->lower_len > 4 && !strcmp(t->lower + t->lower_len - 3, "ing");
    if (i > 0 && nd__tok_in(d, i - 1, be) && strcmp(*lemma, "say") && !ing) return 0;
    /* A base form that is also a noun ("call", "claim", "report") needs a
     * subject-like word before it. */
    if (!strcmp(t->lower, *lemma) && strcmp(*lemma, "say") && strcmp(*lemma, "tell")) {
        static const char *const before[] = {
            "i",       "we",       "you",     "they",      "to",          "will",      "would",
            "did",     "do",       "does",    "not",       "n't",         "also",      "can",
            "could",   "may",      "might",   "should",    "must",        "officials", "people",
            "experts", "analysts", "critics", "democrats", "republicans", NULL};
        if (i == 0 || !nd__tok_in(d, i - 1, before)) {
            int32_t m = i > 0 ? d->toks[i - 1].mention : -1;
            if (m < 0) return 0;
        }
    }
    return c;
}

/* ---- quotation records ---------------------------------------------------------- */

static nd__wquote *new_quote(nd__doc *d)
{
    if (d->n_quotes == d->cap_quotes) {
        size_t nc = d->cap_quotes ? d->cap_quotes * 2 : 32;
        nd__wquote *q = nd_arena_alloc(d->ar, nc * sizeof *q);
        if (!q) {
            d->failed = 1;
            return NULL;
        }
        if (d->n_quotes) memcpy(q, d->quotes, d->n_quotes * sizeof *q);
        d->quotes = q, d->cap_quotes = nc;
    }
    nd__wquote *q = &d->quotes[d->n_quotes++];
    memset(q, 0, sizeof *q);
    q->speaker = -1;
    return q;
}

static void add_content(nd__wquote *q, uint32_t s, uint32_t e)
{
    if (q->n_content < 16 && e > s) {
        q->c_start[q->n_content] = s;
        q->c_end[q->n_content] = e;
        q->n_content++;
    }
}

static uint32_t tok_end(const nd__doc *d, size_t i)
{
    return d->toks[i].off + d->toks[i].len;
}

static int is_punct(const nd__doc *d, size_t i, char c)
{
    return i < d->n_toks && d->toks[i].type == ND_TOK_PUNCT && d->text[d->toks[i].off] == c &&
           d->toks[i].len == 1;
}

/* Attribution found for a quotation or a clause. */
typedef struct attr {
    int found;
    int32_t speaker;         /* actor or -1 */
    uint32_t src_t0, src_t1; /* source tokens; src_t1 == 0: none */
    uint32_t cue_t0, cue_t1;
    const char *lemma;
    int cls;
    uint32_t after; /* first token after the attribution */
} attr;

static const char *const adverbs[] = {
    "also",       "later",        "then",      "previously", "has",     "had",    "have",
    "reportedly", "once",         "again",     "recently",   "further", "would",  "will",
    "had",        "repeatedly",   "publicly",  "privately",  "earlier", "often",  "frequently",
    "first",      "subsequently", "initially", "simply",     "flatly",  "firmly", "quickly",
    "angrily",    "bluntly",      "openly",    "explicitly", "has",     "long",   "still",
    "already",    "even",         "just",      "now",        "never",   "always", "last",
    "week",       "year",         "month",     NULL};

/* Words between a subject and its verb: adverbs, auxiliaries, days. */
static int is_adv(const nd__doc *d, uint32_t i)
{
    static const char *const aux[] = {"instead",   "however", "meanwhile", "indeed",  "though",
                                      "is",        "are",     "was",       "were",    "'s",
                                      "been",      "being",   "did",       "does",    "do",
                                      "not",       "n't",     "monday",    "tuesday", "wednesday",
                                      "thursday",  "friday",  "saturday",  "sunday",  "today",
                                      "yesterday", "tonight", "here",      NULL};
    if (i >= d->n_toks) return 0;
    const nd__tok *t = &d->toks[i];
    if (t->type != ND_TOK_WORD || !t->lower) return 0;
    if (nd__tok_in(d, i, adverbs) || nd__tok_in(d, i, aux)) return 1;
    return t->lower_len > 4 && !(t->flags & ND_TOKF_CAP) &&
           !strcmp(t->lower + t->lower_len - 2, "ly") && t->mention < 0;
}

/* "the farmers' union": a closing single mark glued to a plural word. */
static int plural_poss(const nd__doc *d, uint32_t i)
{
    const nd__tok *t = &d->toks[i];
    if (!(t->flags & ND_TOKF_QUOTE) || i == 0 || i + 1 >= d->n_toks) return 0;
    unsigned char c = (unsigned char) d->text[t->off];
    if (c != '\'' && !(c == 0xE2 && t->len == 3)) return 0;
    const nd__tok *p = &d->toks[i - 1];
    return p->type == ND_TOK_WORD && p->off + p->len == t->off &&
           (d->text[t->off - 1] == 's' || d->text[t->off - 1] == 'S') &&
           d->toks[i + 1].type == ND_TOK_WORD && d->toks[i + 1].off > t->off + t->len;
}

/* Resolve the speaker of a source mention. */
static int32_t speaker_of(nd__doc *d, int32_t m)
{
    if (m < 0) return -1;
    nd__ment *mm = &d->ments[m];
    /* "the two leaders", "they" of two: the first speaks for both */
    if (mm->actor >= 0) return mm->actor;
    if (mm->pronoun) {
        int32_t a = nd__resolve_pronoun(d, (size_t) m);
        mm->actor = a;
        if (a >= 0) d->acts[a].n_mentions++;
        if (mm->actor2 >= 0) d->acts[mm->actor2].n_mentions++;
        return a; /* "they" of two: the first speaks for both */
    }
    return -1;
}

/* The mention that ends right before token t (skipping adverbs), or -1. */
static int32_t mention_before(const nd__doc *d, uint32_t t, uint32_t lo)
{
    uint32_t j = t;
    int skipped = 0;
    while (j > lo && is_adv(d, j - 1) && skipped < 3) j--, skipped++;
    if (j == lo) return -1;
    int32_t m = d->toks[j - 1].mention;
    if (m < 0) return -1;
    if (d->ments[m].t1 != j) {
        /* a token inside a longer mention: find the mention that ends here */
        for (int32_t k = m; k < (int32_t) d->n_ments && d->ments[k].t0 < j; k++)
            if (d->ments[k].t1 == j) return k;
        return -1;
    }
    return m;
}

/* A generic subject phrase before token t: up to 6 words back to a
 * boundary ("the report", "one senior official", "who"). */
static int verbish(const nd__doc *d, uint32_t i)
{
    const nd__tok *k = &d->toks[i];
    if (!k->lower || k->mention >= 0) return 0;
    size_t n = k->lower_len;
    if (n > 4 && (!strcmp(k->lower + n - 3, "ing") || !strcmp(k->lower + n - 2, "ed"))) return 1;
    if (n >= 3 && (!strcmp(k->lower + n - 3, "n't") || !strcmp(k->lower + n - 3, "n’t"))) return 1;
    return nd__map_get(&d->dict->verb_map, k->lower, n) != ND__NONE ||
           nd__map_get(&d->dict->cue_map, k->lower, n) != ND__NONE;
}

static int generic_subject(const nd__doc *d, uint32_t t, uint32_t lo, uint32_t *s0)
{
    static const char *const stop[] = {
        "that",   "and",  "but",   "or",   "because", "if",   "when",  "while", "as",    "which",
        "where",  "than", "so",    "he",   "she",     "they", "not",   "n't",   "to",    "of",
        "in",     "on",   "at",    "for",  "with",    "by",   "from",  "is",    "was",   "are",
        "were",   "be",   "been",  "has",  "have",    "had",  "would", "will",  "could", "can",
        "should", "may",  "might", "must", "do",      "does", "did",   NULL};
    static const char *const quant[] = {
        "the",     "a",     "an",   "this",    "that", "these", "those", "one",
        "another", "some",  "many", "several", "two",  "three", "his",   "her",
        "their",   "its",   "our",  "my",      "most", "few",   "other", "others",
        "each",    "every", "both", "all",     "no",   "who",   "it",    NULL};
    uint32_t j = t;
    int skipped = 0;
    while (j > lo && is_adv(d, j - 1) && skipped < 3) j--, skipped++;
    uint32_t e = j;
    int words = 0, ment = 0;
    while (j > lo && words < 6) {
        const nd__tok *k = &d->toks[j - 1];
        if (k->type != ND_TOK_WORD && k->type != ND_TOK_NUM) break;
        if (k->in_quote) break;
        if (nd__tok_in(d, j - 1, stop) && words) break;
        if (nd__tok_in(d, j - 1, stop)) return 0;
        if (verbish(d, j - 1)) {
            if (words) break;
            return 0;
        }
        if (k->mention >= 0) ment = 1;
        j--, words++;
        if (nd__tok_in(d, j, dets)) break;
    }
    if (!words) return 0;
    /* a noun phrase: with an actor, a determiner or quantifier, a name, or
     * a plural noun ("officials", "critics") */
    const nd__tok *f = &d->toks[j], *l = &d->toks[e - 1];
    int ok = ment || nd__tok_in(d, j, quant) || (f->flags & ND_TOKF_CAP) ||
             (l->lower_len > 3 && l->lower[l->lower_len - 1] == 's' && !(l->flags & ND_TOKF_POSS));
    if (!ok) return 0;
    if (words == 1 &&
        !(nd__tok_is(d, j, "who") || nd__tok_is(d, j, "it") || d->toks[j].lower_len > 2))
        return 0;
    *s0 = j;
    return 1;
}

/* Subject of the cue at token c in sentence [s0, s1): a mention right
 * before it, the subject before an apposition or relative clause ("Mr Xi,
 * whose country ..., said"), or a generic phrase. */
/* The subject of the sentence before token c: its first subject
 * mention ("Romney went after Trump ..., calling it 'disqualifying'"). */
static int sentence_subject(nd__doc *d, uint32_t c, uint32_t s0, attr *a)
{
    for (size_t k = 0; k < d->n_ments; k++) {
        nd__ment *m = &d->ments[k];
        if (m->t0 < s0) continue;
        if (m->t0 >= c) break;
        if (!m->subj || d->toks[m->t0].in_quote) continue;
        if (m->actor < 0 && !m->pronoun) continue;
        a->src_t0 = m->t0, a->src_t1 = m->t1;
        a->speaker = speaker_of(d, (int32_t) k);
        return 1;
    }
    return 0;
}

static int subject_of(nd__doc *d, uint32_t c, uint32_t s0, attr *a)
{
    /* a participle or a coordinated verb ("..., saying", "and called"):
     * the subject of the sentence */
    uint32_t b = c;
    while (b > s0 && is_adv(d, b - 1)) b--;
    static const char *const link[] = {"and",   "but",  "by",   "after", "before",
                                       "while", "when", "then", "also",  NULL};
    int ing =
        d->toks[c].lower_len > 4 && !strcmp(d->toks[c].lower + d->toks[c].lower_len - 3, "ing");
    int linked = b > s0 && (is_punct(d, b - 1, ',') || nd__tok_in(d, b - 1, link));
    if (ing && linked && sentence_subject(d, c, s0, a)) return 1;
    int32_t m = mention_before(d, c, s0);
    if (m >= 0) {
        a->src_t0 = d->ments[m].t0, a->src_t1 = d->ments[m].t1;
        a->speaker = speaker_of(d, m);
        /* "Ukraine's foreign minister" is one mention; "Russia's
         * Vladimir Putin" likewise */
        return 1;
    }
    /* "X, who/whose/a ..., said": skip back over a comma-delimited aside */
    uint32_t j = c;
    while (j > s0 && is_adv(d, j - 1)) j--;
    if (j > s0 && is_punct(d, j - 1, ',')) {
        uint32_t k = j - 1;
        int words = 0;
        while (k > s0 && !is_punct(d, k - 1, ',') && words < 30) k--, words++;
        if (k > s0 && is_punct(d, k - 1, ',') && words >= 1) {
            int32_t m2 = mention_before(d, k - 1, s0);
            if (m2 >= 0) {
                a->src_t0 = d->ments[m2].t0, a->src_t1 = d->ments[m2].t1;
                a->speaker = speaker_of(d, m2);
                return 1;
            }
        }
    }
    uint32_t g0;
    if (generic_subject(d, c, s0, &g0)) {
        uint32_t e = c;
        while (e > g0 && is_adv(d, e - 1)) e--;
        if (e > g0) {
            a->src_t0 = g0, a->src_t1 = e;
            a->speaker = -1;
            /* an actor inside the phrase ("US officials") */
            for (uint32_t k = g0; k < e; k++) {
                int32_t mm = d->toks[k].mention;
                if (mm >= 0 && d->ments[mm].actor >= 0) a->speaker = d->ments[mm].actor;
            }
            return 1;
        }
    }
    if (linked && sentence_subject(d, c, s0, a)) return 1;
    return 0;
}

/* Object of "told": a mention or a short phrase ("reporters", "the BBC"). */
static uint32_t skip_object(nd__doc *d, uint32_t j, uint32_t s1)
{
    int32_t m = nd__ment_at(d, j);
    if (m >= 0) return d->ments[m].t1;
    if (j < s1 && nd__tok_in(d, j, dets)) j++;
    static const char *const hearers[] = {
        "reporters",   "journalists", "supporters", "lawmakers",  "him",      "her",
        "them",        "us",          "me",         "you",        "audience", "crowd",
        "people",      "voters",      "viewers",    "listeners",  "members",  "students",
        "delegates",   "readers",     "cnn",        "nbc",        "abc",      "cbs",
        "fox",         "msnbc",       "bbc",        "press",      "media",    "host",
        "interviewer", "committee",   "congress",   "parliament", "senators", NULL};
    if (j < s1 && nd__tok_in(d, j, hearers)) return j + 1;
    return j;
}

/* Adjuncts between a cue and its clause: "on Thursday", "in a statement",
 * "Tuesday", "here", "during the meeting". */
static uint32_t skip_adjuncts(nd__doc *d, uint32_t j, uint32_t s1)
{
    static const char *const days[] = {
        "monday",   "tuesday",   "wednesday", "thursday",   "friday",   "saturday",  "sunday",
        "today",    "yesterday", "tonight",   "here",       "there",    "afterward", "afterwards",
        "later",    "earlier",   "again",     "repeatedly", "recently", "also",      "privately",
        "publicly", "flatly",    "bluntly",   "simply",     "last",     "this",      "week",
        "month",    "year",      "night",     "morning",    "evening",  "afternoon", NULL};
    static const char *const preps[] = {"in",      "on",        "at",   "during", "after", "before",
                                        "via",     "through",   "from", "to",     "with",  "while",
                                        "outside", "inside",    "near", "amid",   "over",  "by",
                                        "across",  "following", NULL};
    for (int guard = 0; guard < 6 && j < s1; guard++) {
        if (nd__tok_in(d, j, days)) {
            j++;
            continue;
        }
        if (is_punct(d, j, ',')) {
            j++;
            continue;
        }
        if (nd__tok_in(d, j, preps)) {
            /* a short prepositional phrase up to "that" or a comma */
            uint32_t k = j + 1;
            int words = 0;
            while (k < s1 && words < 7 && !is_punct(d, k, ',') && !nd__tok_is(d, k, "that") &&
                   (d->toks[k].type == ND_TOK_WORD || d->toks[k].type == ND_TOK_NUM))
                k++, words++;
            if (k < s1 && (is_punct(d, k, ',') || nd__tok_is(d, k, "that")) && words <= 6) {
                j = k;
                continue;
            }
            /* "said in a statement." at the end */
            if (k >= s1 || (d->toks[k].flags & ND_TOKF_SENT_END)) return k;
            break;
        }
        break;
    }
    return j;
}

static uint32_t skip_object(nd__doc *d, uint32_t j, uint32_t s1);
static uint32_t skip_adjuncts(nd__doc *d, uint32_t j, uint32_t s1);

/* Does the attribution run to the end of its sentence (adjuncts, the
 * hearer of "told", or an apposition after a comma allowed)? */
static int reaches_end(nd__doc *d, const struct attr *a, uint32_t end)
{
    uint32_t k = a->after;
    if (k < end && is_punct(d, k, ',')) return 1; /* an apposition follows */
    if (a->cls == ND__CUE_TELL && a->src_t0 < a->cue_t0) k = skip_object(d, k, end);
    if (k < end && is_punct(d, k, ',')) return 1;
    k = skip_adjuncts(d, k, end);
    return k >= end || is_punct(d, k, ',');
}

/* Attribution after a quotation: "..., said Putin", "..., he told X",
 * "..., according to X".  j is the first token after the closing mark. */
static int attr_after(nd__doc *d, uint32_t j, uint32_t s1, uint32_t s0, attr *a)
{
    memset(a, 0, sizeof *a);
    a->speaker = -1;
    if (j < s1 && (is_punct(d, j, ',') || is_punct(d, j, ':'))) j++;
    /* "... ," said Putin / says the president */
    const char *lemma;
    int cls = j < s1 ? nd__cue_at(d, j, &lemma) : 0;
    if (cls && cls != ND__CUE_THINK) {
        uint32_t k = j + 1;
        int32_t m = nd__ment_at(d, k);
        if (m < 0 && k < s1 && nd__tok_in(d, k, dets))
            m = nd__ment_at(d, k + 1) >= 0 ? nd__ment_at(d, k + 1) : -1;
        if (m < 0 && k < s1 && d->toks[k].mention >= 0) m = d->toks[k].mention;
        if (m >= 0) {
            a->found = 1, a->cls = cls, a->lemma = lemma;
            a->cue_t0 = j, a->cue_t1 = j + 1;
            /* "said Ohio State University professor Paul Beck": the subject
             * runs on to the next punctuation; the speaker is the last
             * person named in it */
            uint32_t e = d->ments[m].t1;
            while (e < s1 && e < d->ments[m].t1 + 8 &&
                   (d->toks[e].type == ND_TOK_WORD || d->toks[e].type == ND_TOK_NUM ||
                    plural_poss(d, e)) &&
                   !nd__tok_in(d, e, adverbs) && !is_adv(d, e))
                e++;
            int32_t best = m;
            for (uint32_t q = d->ments[m].t1; q < e; q++) {
                int32_t mq = d->toks[q].mention;
                if (mq >= 0 && d->ments[mq].person) best = mq;
            }
            if (best != m && d->ments[m].person) best = m;
            a->src_t0 = d->ments[m].t0, a->src_t1 = e;
            a->speaker = speaker_of(d, best);
            a->after = e;
            return 1;
        }
        /* "said one senior official", to a relative pronoun ("said one
         * former aide who asked not to be named") */
        static const char *const rel[] = {"who", "whom", "whose", "which", "that", NULL};
        uint32_t e = k;
        while (e < s1 && e - k < 6 && d->toks[e].type == ND_TOK_WORD && !nd__tok_in(d, e, rel)) e++;
        if (e > k) {
            a->found = 1, a->cls = cls, a->lemma = lemma;
            a->cue_t0 = j, a->cue_t1 = j + 1;
            a->src_t0 = k, a->src_t1 = e;
            a->after = e;
            for (uint32_t q = k; q < e; q++)
                if (d->toks[q].mention >= 0 && d->ments[d->toks[q].mention].actor >= 0)
                    a->speaker = d->ments[d->toks[q].mention].actor;
            return 1;
        }
        return 0;
    }
    /* "..., according to X" */
    if (nd__tok_is(d, j, "according") && nd__tok_is(d, j + 1, "to") && j + 2 < s1) {
        uint32_t k = j + 2;
        int32_t m = nd__ment_at(d, k);
        if (m < 0 && d->toks[k].mention >= 0) m = d->toks[k].mention;
        a->found = 1, a->cls = ND__CUE_SAY, a->lemma = "according to";
        a->cue_t0 = j, a->cue_t1 = j + 2;
        if (m >= 0) {
            a->src_t0 = d->ments[m].t0, a->src_t1 = d->ments[m].t1;
            a->speaker = speaker_of(d, m);
        } else {
            uint32_t e = k;
            while (e < s1 && e - k < 6 && d->toks[e].type == ND_TOK_WORD) e++;
            a->src_t0 = k, a->src_t1 = e;
        }
        a->after = a->src_t1;
        return 1;
    }
    /* "..., he told Mr Putin" / "Mr Putin said" / "Twitter's Adam Sharp said" /
     * "Bill Frelick, director at Human Rights Watch, said": a subject of up
     * to 16 tokens (names, an apposition between commas) and the cue */
    static const char *const subord[] = {"while", "as",       "when",   "because", "and",    "but",
                                         "if",    "although", "since",  "after",   "before", "that",
                                         "which", "where",    "though", "whereas", "so",     "or",
                                         "until", "unless",   "with",   "in",      "on",     "at",
                                         "for",   "to",       "of",     "from",    "by",     NULL};
    if (nd__tok_in(d, j, subord)) return 0;
    uint32_t k = j, comma = 0;
    int commas = 0;
    for (; k < s1 && k < j + 24; k++) {
        const nd__tok *u = &d->toks[k];
        if (u->in_quote || (u->flags & ND_TOKF_QUOTE)) return 0;
        if (u->type == ND_TOK_PUNCT) {
            char ch = d->text[u->off];
            if (ch == ',') {
                if (++commas > 2) return 0;
                if (!comma) comma = k;
                continue;
            }
            if (ch == '(' || ch == ')' || ch == '-' || (unsigned char) ch == 0xE2) continue;
            return 0;
        }
        if (k > j && !is_adv(d, k)) {
            cls = nd__cue_at(d, k, &lemma);
            if (cls && cls != ND__CUE_THINK) break;
        }
    }
    if (k >= s1 || k >= j + 24 || k == j) return 0;
    /* one comma is an unclosed aside: "..., Smith, who ..." is no subject */
    uint32_t src1 = k;
    while (src1 > j && (is_adv(d, src1 - 1) || is_punct(d, src1 - 1, ','))) src1--;
    if (commas == 1) return 0;
    if (comma) src1 = comma;
    if (src1 <= j) return 0;
    a->found = 1, a->cls = cls, a->lemma = lemma;
    a->cue_t0 = k, a->cue_t1 = k + 1;
    a->src_t0 = j, a->src_t1 = src1;
    a->speaker = -1;
    /* the speaker: the first person named in the subject, else its first actor */
    int32_t first = -1;
    for (uint32_t q = j; q < src1; q++) {
        int32_t m = d->toks[q].mention;
        if (m < 0) continue;
        if (first < 0) first = m;
        if (d->ments[m].person || d->ments[m].pronoun) {
            first = m;
            break;
        }
    }
    if (first >= 0) a->speaker = speaker_of(d, first);
    a->after = k + 1;
    (void) s0;
    return 1;
}

/* Attribution before a quotation that opens at token o: "Putin said: '...'",
 * "Putin told reporters, '...'", "Putin said '...'". */
static int attr_before(nd__doc *d, uint32_t o, uint32_t s0, attr *a)
{
    memset(a, 0, sizeof *a);
    a->speaker = -1;
    uint32_t j = o;
    int colon = j > s0 && is_punct(d, j - 1, ':');
    if (j > s0 && (is_punct(d, j - 1, ':') || is_punct(d, j - 1, ','))) j--;
    /* the cue within a few tokens before ("He told his audience, to
     * rowdy applause: ...") */
    uint32_t window = colon ? 12 : 6;
    for (uint32_t back = 0; back < window && j > s0 + back; back++) {
        uint32_t c = j - 1 - back;
        if (d->toks[c].in_quote || d->toks[c].type == ND_TOK_PUNCT) {
            if (back && !is_punct(d, c, ',')) break;
            continue;
        }
        const char *lemma;
        int cls = cue_verb(d, c, &lemma);
        if (!cls) continue;
        attr t;
        memset(&t, 0, sizeof t);
        t.speaker = -1;
        if (!subject_of(d, c, s0, &t)) {
            /* "explained CBS moderator Nancy Cordes: '...'" */
            int32_t m = -1;
            for (uint32_t k = c + 1; k < j; k++)
                if (d->toks[k].mention >= 0) m = d->toks[k].mention;
            if (m < 0) return 0;
            t.src_t0 = c + 1, t.src_t1 = j;
            t.speaker = speaker_of(d, m);
        }
        *a = t;
        a->found = 1, a->cls = cls, a->lemma = lemma;
        a->cue_t0 = c, a->cue_t1 = c + 1;
        return 1;
    }
    /* "Clinton has since apologized for what happened: '...'": a sentence
     * that introduces the quotation with a colon speaks through its subject */
    if (colon) {
        attr t;
        memset(&t, 0, sizeof t);
        t.speaker = -1;
        if (sentence_subject(d, o - 1, s0, &t) && t.src_t1 <= o - 1) {
            *a = t;
            a->found = 1, a->cls = ND__CUE_SAY, a->lemma = ":";
            a->cue_t0 = o - 1, a->cue_t1 = o;
            return 1;
        }
    }
    /* "Former secretary of state Hillary Rodham Clinton: '...'": a short
     * phrase ending in an actor, then a colon, opens the sentence */
    if (o > s0 && is_punct(d, o - 1, ':') && o - 1 - s0 <= 10) {
        int32_t m = mention_before(d, o - 1, s0);
        if (m >= 0 && !d->ments[m].pronoun) {
            for (uint32_t k = s0; k < d->ments[m].t0; k++)
                if (verbish(d, k) || d->toks[k].type == ND_TOK_PUNCT) return 0;
            a->found = 1, a->cls = ND__CUE_SAY, a->lemma = ":";
            a->src_t0 = d->ments[m].t0, a->src_t1 = d->ments[m].t1;
            a->speaker = speaker_of(d, m);
            a->cue_t0 = o - 1, a->cue_t1 = o;
            return 1;
        }
    }
    return 0;
}

/* A title in quotation marks ("Meet the Press", "Morning Joe") after a
 * preposition: not a quotation. */
static int is_title(const nd__doc *d, uint32_t o, uint32_t c, uint32_t s0)
{
    static const char *const before[] = {"on",     "in",       "of",     "from",  "at",    "to",
                                         "the",    "with",     "for",    "about", "watch", "read",
                                         "titled", "entitled", "called", "named", NULL};
    int prep = o > s0 && nd__tok_in(d, o - 1, before);
    const char *lemma;
    if (o > s0 && nd__cue_at(d, o - 1, &lemma)) return 0;
    if (c + 2 < d->n_toks && is_punct(d, c + 1, ',') && nd__cue_at(d, c + 2, &lemma)) return 0;
    static const char *const small[] = {"the", "a",    "an", "of", "and",  "in", "on", "for",
                                        "to",  "with", "at", "by", "from", "or", NULL};
    int words = 0, caps = 0;
    for (uint32_t j = o + 1; j < c; j++) {
        const nd__tok *t = &d->toks[j];
        if (t->type != ND_TOK_WORD && t->type != ND_TOK_NUM) continue;
        words++;
        if (t->flags & ND_TOKF_CAP)
            caps++;
        else if (!nd__tok_in(d, j, small) && t->type == ND_TOK_WORD)
            return 0;
    }
    /* after a preposition one capitalised word will do; elsewhere a title
     * has two ("Good Morning America") */
    if (prep) return words >= 1 && words <= 7 && caps >= 1 && (caps >= 2 || words == 1);
    return words >= 2 && words <= 7 && caps >= 2;
}

/* The clause attribution of a partial quotation at token o in sentence
 * [s0, s1): the nearest cue before it in the sentence. */
static int attr_clause(nd__doc *d, uint32_t o, uint32_t s0, uint32_t s1, attr *a, attr *prev)
{
    memset(a, 0, sizeof *a);
    a->speaker = -1;
    attr best;
    int have_best = 0, best_say = 0;
    for (uint32_t c = o; c-- > s0;) {
        if (d->toks[c].in_quote) continue;
        if (nd__tok_is(d, c, "according") && nd__tok_is(d, c + 1, "to")) {
            attr t;
            if (attr_after(d, c, s1, s0, &t) && t.found) {
                *a = t;
                return 1;
            }
            continue;
        }
        const char *lemma;
        int cls = cue_verb(d, c, &lemma);
        if (!cls) continue;
        attr t;
        memset(&t, 0, sizeof t);
        t.speaker = -1;
        /* "as described by X": a passive cue with its agent */
        if (nd__tok_is(d, c + 1, "by") && c + 2 < s1) {
            int32_t m = d->toks[c + 2].mention;
            if (m < 0 && nd__tok_in(d, c + 2, dets) && c + 3 < s1) m = d->toks[c + 3].mention;
            if (m >= 0) {
                t.src_t0 = d->ments[m].t0, t.src_t1 = d->ments[m].t1;
                t.speaker = speaker_of(d, m);
                t.found = 1, t.cls = cls, t.lemma = lemma;
                t.cue_t0 = c, t.cue_t1 = c + 1, t.after = t.src_t1;
                *a = t;
                return 1;
            }
        }
        int have = subject_of(d, c, s0, &t);
        if ((!have || t.src_t1 + 1 < c) && c > s0 &&
            (nd__tok_is(d, c - 1, "and") || is_punct(d, c - 1, ',') ||
             nd__tok_is(d, c - 1, "but")) &&
            prev && prev->found) {
            t = *prev;
            have = 1;
        }
        if (!have) continue;
        t.found = 1, t.cls = cls, t.lemma = lemma;
        t.cue_t0 = c, t.cue_t1 = c + 1;
        t.after = c + 1;
        /* The nearest verb of saying holds the quotation, unless it is
         * itself inside what an earlier one reports ("Jamieson said Trump
         * is 'telling ...'" is Jamieson's; "Netanyahu said ..., although
         * he tweeted that he 'rejects ...'" is the tweet's). */
        int say = cls == ND__CUE_SAY || cls == ND__CUE_TELL;
        if (!have_best) {
            best = t, have_best = 1, best_say = say;
            continue;
        }
        if (!say && best_say) continue;
        static const char *const brk[] = {"although", "though", "but",   "while",  "whereas",
                                          "because",  "when",   "after", "before", "since",
                                          "if",       "and",    "as",    NULL};
        int broken = 0;
        for (uint32_t k = c + 1; k < best.src_t0 && !broken; k++)
            if (is_punct(d, k, ',') || is_punct(d, k, ';') || is_punct(d, k, ':') ||
                nd__tok_in(d, k, brk))
                broken = 1;
        if (best.src_t0 <= c) broken = 1; /* an inverted subject */
        if (broken) break;
        best = t, best_say = say;
    }
    if (!have_best) return 0;
    *a = best;
    return 1;
}

/* A trailing attribution at the end of the sentence: ", officials said." */
static int attr_trailing(nd__doc *d, uint32_t s0, uint32_t s1, attr *a, uint32_t *comma)
{
    /* find the last comma outside quotes */
    uint32_t end = s1;
    while (end > s0 && d->toks[end - 1].type == ND_TOK_PUNCT && !is_punct(d, end - 1, ',')) end--;
    int tries = 0;
    for (uint32_t c = end; c-- > s0 + 2;) {
        if (!is_punct(d, c, ',') || d->toks[c].in_quote) continue;
        if (end - c > 24 || ++tries > 3) return 0;
        attr t;
        if (!attr_after(d, c + 1, s1, s0, &t)) continue;
        /* the attribution must reach the end (adjuncts allowed; ", said
         * John Smith, a spokesman for X.") */
        if (!reaches_end(d, &t, end)) continue;
        *a = t;
        *comma = c;
        return 1;
    }
    return 0;
}

/* Clause after a cue at [cue_t1 ...): returns its token range or 0. */
static int clause_after(nd__doc *d, const attr *a, uint32_t s1, uint32_t *c0, uint32_t *c1)
{
    uint32_t j = a->cue_t1;
    if (a->cls == ND__CUE_TELL) j = skip_object(d, j, s1);
    j = skip_adjuncts(d, j, s1);
    if (nd__tok_is(d, j, "that")) j++;
    if (j < s1 && (is_punct(d, j, ',') || is_punct(d, j, ':'))) j++;
    /* "He told his audience:" introduces a quotation, reports nothing */
    if (s1 > 0 && is_punct(d, s1 - 1, ':')) return 0;
    uint32_t e = s1;
    while (e > j && d->toks[e - 1].type == ND_TOK_PUNCT && !(d->toks[e - 1].flags & ND_TOKF_QUOTE))
        e--;
    if (e <= j || e - j < 3) return 0;
    /* "of", "to", "for" right after the cue is no clause ("spoke of") */
    static const char *const bad[] = {"of", "to", "for", "about", "with", "by",   "on",
                                      "in", "up", "out", "off",   "back", "down", NULL};
    if (nd__tok_in(d, j, bad)) return 0;
    *c0 = j, *c1 = e;
    return 1;
}

static int32_t source_word(const nd__doc *d, int32_t c, int depth, int32_t *span);
static void np_words(const nd__doc *d, int32_t h, int32_t *lo, int32_t *hi);
static int w_relative(const nd__doc *d, int32_t w);
static int w_in_quote(const nd__doc *d, int32_t w);
static int32_t word_actor(nd__doc *d, int32_t w);

/* Is word w a time ("the past", "Tuesday", "yesterday"), which never
 * says anything, whatever the parser made its role ("..., McConnell, R-Ky.,
 * said Tuesday" with "Tuesday" as the subject)? */
static int time_word(const nd__doc *d, int32_t w)
{
    static const char *const times[] = {"time",    "past",     "week",    "year",      "day",
                                        "month",   "night",    "morning", "afternoon", "evening",
                                        "weekend", "today",    "moment",  "yesterday", "tomorrow",
                                        "tonight", "monday",   "tuesday", "wednesday", "thursday",
                                        "friday",  "saturday", "sunday",  NULL};
    /* "Tuesday" keeps its capital in the lemma */
    char low[16];
    const char *l = d->words[w].lemma;
    size_t n = 0;
    for (; l[n] && n + 1 < sizeof low; n++) low[n] = (char) tolower((unsigned char) l[n]);
    if (l[n]) return 0;
    low[n] = 0;
    return nd__str_in(low, times);
}

/* Is words [lo, hi] no speaker: a phrase in a preposition ("in the
 * past", "at a briefing"), a time ("the time"), a clause ("when Boyle
 * asked him a question") or no noun at all? */
static int bad_source(const nd__doc *d, int32_t lo, int32_t hi)
{
    if (lo < 0 || hi < lo) return 1;
    int32_t h = -1;
    for (int32_t j = lo; j <= hi; j++) {
        int u = d->words[j].upos;
        /* a participle that modifies a noun ("a leading lawyer") is no verb */
        int modifier = u == ND_UPOS_VERB && d->words[j].rel == ND_DEP_AMOD &&
                       d->words[j].head > j && d->words[j].head <= hi;
        if ((u == ND_UPOS_VERB || (u == ND_UPOS_SCONJ && j == lo)) && nd__w_ment(d, j) < 0 &&
            !modifier)
            return 1;
        int32_t x = d->words[j].head;
        if ((x < lo || x > hi) && h < 0) h = j;
    }
    if (h < 0) return 1;
    int u = d->words[h].upos;
    if (u != ND_UPOS_NOUN && u != ND_UPOS_PROPN && u != ND_UPOS_PRON && u != ND_UPOS_NUM &&
        nd__w_ment(d, h) < 0)
        return 1;
    for (int32_t k = d->words[h].child; k >= 0; k = d->words[k].next)
        if (d->words[k].rel == ND_DEP_CASE && strcmp(d->words[k].lemma, "as") &&
            strcmp(d->words[k].lemma, "'s") && d->words[k].upos == ND_UPOS_ADP)
            return 1;
    if (lo > 0 && d->words[lo - 1].upos == ND_UPOS_ADP && d->words[lo - 1].head >= lo &&
        d->words[lo - 1].head <= hi && strcmp(d->words[lo - 1].lemma, "as"))
        return 1;
    if (d->words[h].deprel == ND_DEP_OBL_TMOD || d->words[h].deprel == ND_DEP_NMOD_TMOD) return 1;
    return time_word(d, h);
}

static void set_attr(nd__doc *d, nd__wquote *q, const attr *a)
{
    if (d->n_words && a->src_t1 > a->src_t0 && a->src_t1 <= d->n_toks) {
        /* the tree rules out what no one can be: the attribution keeps its
         * cue and loses the speaker */
        int32_t lo = d->tok_w0[a->src_t0], hi = d->tok_w0[a->src_t1 - 1];
        while (hi >= 0 && hi + 1 < (int32_t) d->n_words && d->words[hi + 1].tok < a->src_t1) hi++;
        if (lo >= 0 && hi >= lo && bad_source(d, lo, hi)) {
            q->speaker = -1;
            if (a->cue_t1 > a->cue_t0) {
                q->cue.start = d->toks[a->cue_t0].off;
                q->cue.end = tok_end(d, a->cue_t1 - 1);
            }
            q->cue_lemma = a->lemma;
            /* the cue's subject on the tree, if it has one */
            int32_t cw = a->cue_t1 > a->cue_t0 ? d->tok_w0[a->cue_t0] : -1, span = -1;
            int32_t sw = cw >= 0 ? source_word(d, cw, 0, &span) : -1;
            if (sw >= 0 && span >= 0 && !w_in_quote(d, sw) && !w_in_quote(d, span)) {
                int32_t slo = span, shi = span;
                if (!w_relative(d, span)) np_words(d, span, &slo, &shi);
                if (!bad_source(d, slo, shi)) {
                    q->source = nd__w_span(d, slo, shi);
                    q->speaker = word_actor(d, sw);
                    q->speaker_text = q->speaker >= 0 ? d->acts[q->speaker].name : NULL;
                }
            }
            return;
        }
    }
    q->speaker = a->speaker;
    if (a->src_t1 > a->src_t0) {
        q->source.start = d->toks[a->src_t0].off;
        q->source.end = tok_end(d, a->src_t1 - 1);
    }
    if (a->cue_t1 > a->cue_t0) {
        q->cue.start = d->toks[a->cue_t0].off;
        q->cue.end = tok_end(d, a->cue_t1 - 1);
    }
    q->cue_lemma = a->lemma;
    if (a->speaker >= 0) {
        d->acts[a->speaker].n_mentions += 0;
        q->speaker_text = d->acts[a->speaker].name;
    } else if (a->src_t1 > a->src_t0) {
        int32_t m = d->toks[a->src_t0].mention;
        int pron = m >= 0 && d->ments[m].pronoun;
        static const char *const bare[] = {"who", "which", "that", "it",     "i",    "we",
                                           "you", "they",  "some", "others", "many", NULL};
        if (m >= 0 && d->ments[m].actor >= 0 && d->ments[m].actor2 >= 0)
            /* "they", "the two leaders": both */
            q->speaker_text = nd_arena_printf(d->ar, "%s and %s", d->acts[d->ments[m].actor].name,
                                              d->acts[d->ments[m].actor2].name);
        else if (!pron && !(a->src_t1 == a->src_t0 + 1 && nd__tok_in(d, a->src_t0, bare)))
            q->speaker_text =
                nd_arena_strndup(d->ar, d->text + q->source.start, q->source.end - q->source.start);
    }
}

/* Is the quotation opening at token o standing alone as an utterance? */
static int stands_alone(const nd__doc *d, uint32_t o, uint32_t s0)
{
    if (o == s0) return 1;
    const nd__tok *p = &d->toks[o - 1];
    if (p->type == ND_TOK_PUNCT) {
        char c = d->text[p->off];
        return c == ':' || c == ',' || c == ';' || c == '(' || c == '-' ||
               (p->flags & ND_TOKF_SENT_END) || (unsigned char) c == 0xE2; /* dashes */
    }
    const char *lemma;
    int cls = nd__cue_at(d, o - 1, &lemma);
    if (cls == ND__CUE_SAY || cls == ND__CUE_TELL) {
        /* "said 'no'" is a partial; "said \"We will ...\"" an utterance */
        int words = 0;
        for (uint32_t j = o + 1; j < d->n_toks && !(d->toks[j].flags & ND_TOKF_QUOTE); j++)
            words += d->toks[j].type == ND_TOK_WORD;
        return words >= 5;
    }
    return 0;
}

/* Is token i a dash ("-", "--", an en, em or horizontal-bar dash)? */
static int is_dash(const nd__doc *d, size_t i)
{
    if (i >= d->n_toks || d->toks[i].type != ND_TOK_PUNCT) return 0;
    const unsigned char *p = (const unsigned char *) d->text + d->toks[i].off;
    size_t n = d->toks[i].len;
    if (n >= 1 && n <= 2 && p[0] == '-' && (n == 1 || p[1] == '-')) return 1;
    return n == 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x93 && p[2] <= 0x95;
}

/* Does a line end before token i (the text, its paragraph or its line)? */
static int line_ends(const nd__doc *d, size_t i, uint32_t para)
{
    return i >= d->n_toks || d->toks[i].para != para || d->toks[i].line_before;
}

/* A signature line after a quotation that stands alone: a dash and a
 * person's name closing the line ("...our greatest shame." - Jane Doe;
 * "\n\n-- Jane Doe, Philadelphia."), the convention of pull quotes,
 * epigraphs, reader comments and embedded posts.  The name may be followed
 * by a comma and a description, or by a period ending the line. */
static int attr_dash(nd__doc *d, uint32_t c, attr *a)
{
    uint32_t j = c + 1;
    if (!is_dash(d, j) || j + 1 >= d->n_toks) return 0;
    uint32_t n0 = j + 1;
    int32_t m = d->toks[n0].mention;
    if (m < 0 || d->ments[m].t0 != n0 || d->ments[m].pronoun) return 0;
    uint32_t e = d->ments[m].t1, para = d->toks[n0].para;
    if (d->toks[n0].line_before || d->toks[n0].para != d->toks[j].para) return 0;
    if (!line_ends(d, e, para) && !is_punct(d, e, ',') &&
        !(is_punct(d, e, '.') && line_ends(d, e + 1, para)))
        return 0;
    int32_t who = speaker_of(d, m);
    if (who < 0 || d->acts[who].kind != ND_ACTOR_PERSON) return 0;
    memset(a, 0, sizeof *a);
    a->found = 1;
    a->speaker = who;
    a->src_t0 = n0, a->src_t1 = e;
    a->cue_t0 = j, a->cue_t1 = j + 1;
    a->after = 0; /* the signature closes the quotation: no second part after it */
    return 1;
}

static int attr_as(nd__doc *d, uint32_t o, uint32_t s0, attr *a);

/* Quotation units: chains of pairs that continue over paragraphs. */
static void quote_unit(nd__doc *d, size_t k, uint8_t *used, attr *prev_attr)
{
    uint32_t o = d->q_open[k];
    uint32_t s = d->toks[o].sent;
    uint32_t s0 = d->sent_t0[s];
    /* the last pair of the chain */
    size_t last = k;
    while (d->q_open_end[last] && d->q_next[last] >= 0) last = (size_t) d->q_next[last];
    uint32_t c = d->q_close[last];
    uint32_t cs = d->toks[c].sent;
    uint32_t cs1 = d->sent_t1[cs];
    /* an empty or one-mark pair */
    if (c <= o + 1) return;
    int alone = stands_alone(d, o, s0);
    /* words inside */
    int words = 0, sent_end = 0;
    for (uint32_t j = o + 1; j < c; j++) {
        if (d->toks[j].type == ND_TOK_WORD) words++;
        if (d->toks[j].flags & ND_TOKF_SENT_END) sent_end = 1;
    }
    if (words == 0) return;
    attr a;
    memset(&a, 0, sizeof a);
    a.speaker = -1;
    int found = 0;
    /* after the closing mark, set off by a comma ("...," he said / "...", he
     * said); for a quotation inside a clause only when the attribution
     * ends the sentence */
    uint32_t in_last = c;
    while (in_last > o + 1 && (d->toks[in_last - 1].flags & ND_TOKF_QUOTE)) in_last--;
    int sep = (c + 1 < cs1 && (is_punct(d, c + 1, ',') || is_punct(d, c + 1, ':'))) ||
              (in_last > 0 && d->toks[in_last - 1].type == ND_TOK_PUNCT &&
               (is_punct(d, in_last - 1, ',') || is_punct(d, in_last - 1, '?') ||
                is_punct(d, in_last - 1, '!') || is_punct(d, in_last - 1, '-') ||
                (unsigned char) d->text[d->toks[in_last - 1].off] == 0xE2));
    if (c + 1 < cs1 && (sep || (alone && o == s0))) {
        found = attr_after(d, c + 1, cs1, d->sent_t0[cs], &a);
        if (found && !alone) {
            uint32_t end = cs1;
            while (end > c && d->toks[end - 1].type == ND_TOK_PUNCT &&
                   !(d->toks[end - 1].flags & ND_TOKF_QUOTE))
                end--;
            if (!reaches_end(d, &a, end)) found = 0, memset(&a, 0, sizeof a), a.speaker = -1;
        }
    }
    if (!found && alone && (o == s0 || d->toks[o].line_before)) found = attr_dash(d, c, &a);
    if (!found && alone) found = attr_before(d, o, s0, &a);
    /* "X said:" at the end of the previous paragraph */
    if (!found && o == s0 && s > 0) {
        uint32_t ps = s - 1;
        uint32_t pe = d->sent_t1[ps];
        if (pe > d->sent_t0[ps] && is_punct(d, pe - 1, ':'))
            found = attr_before(d, pe, d->sent_t0[ps], &a);
        /* a colon inside a mark: "X said:\n\n'...'" handled above */
    }
    int partial = !alone;
    (void) sent_end;
    if (partial && is_title(d, o, c, s0)) {
        nd__wquote *q = new_quote(d);
        if (!q) return;
        q->sent = s, q->t_first = o, q->type = ND_QUOTE_PARTIAL, q->scare = 1;
        add_content(q, d->toks[o].off, tok_end(d, c));
        used[k] = 1;
        return;
    }
    if (!found && alone && o > s0 && is_punct(d, o - 1, ',')) {
        /* 'Swers said because ..., "he's a very good ..."': the clause's cue */
        attr t;
        if (attr_clause(d, o, s0, d->sent_t1[s], &t, prev_attr) && t.cue_t0 < o)
            a = t, found = 1, alone = 0, partial = 1;
    }
    if (!alone && !found) {
        attr t;
        if (attr_as(d, o, s0, &t)) a = t, found = 1;
        if (!found && attr_clause(d, o, s0, d->sent_t1[s], &t, prev_attr)) a = t, found = 1;
        if (!found) {
            uint32_t comma;
            if (attr_trailing(d, s0, d->sent_t1[s], &t, &comma) && comma > c) a = t, found = 1;
        }
    }
    if (!found) {
        /* '"We're extremely happy" about the decision, said X': the
         * attribution ends the sentence */
        attr t;
        uint32_t comma;
        if (attr_trailing(d, s0, d->sent_t1[cs], &t, &comma) && comma > c) {
            a = t, found = 1;
            if (c + 1 < d->sent_t1[cs] && !is_punct(d, c + 1, ',')) partial = 1;
        }
    }
    if (found && partial && a.cue_t1 > a.cue_t0) {
        /* another part of an attribution already written ("a statement that
         * only 'meaningful negotiations' can take place 'in the context of
         * ...'"): one quotation */
        for (size_t b = d->n_quotes; b-- > 0;) {
            nd__wquote *pq = &d->quotes[b];
            if (pq->sent != s) break;
            if (pq->cue.start != d->toks[a.cue_t0].off || pq->type != ND_QUOTE_PARTIAL) continue;
            for (size_t p = k;; p = (size_t) d->q_next[p]) {
                add_content(pq, d->toks[d->q_open[p]].off, tok_end(d, d->q_close[p]));
                used[p] = 1;
                if (!d->q_open_end[p] || d->q_next[p] < 0) break;
            }
            return;
        }
    }
    nd__wquote *q = new_quote(d);
    if (!q) return;
    q->sent = s;
    q->t_first = o;
    q->type = partial ? ND_QUOTE_PARTIAL : ND_QUOTE_DIRECT;
    for (size_t p = k;; p = (size_t) d->q_next[p]) {
        uint32_t po = d->q_open[p], pc = d->q_close[p];
        uint32_t e = d->q_open_end[p] ? tok_end(d, pc) : tok_end(d, pc);
        add_content(q, d->toks[po].off, e);
        used[p] = 1;
        if (!d->q_open_end[p] || d->q_next[p] < 0) break;
    }
    if (found) {
        set_attr(d, q, &a);
        *prev_attr = a;
        /* "A," he said, "B." : the second part belongs to this quotation */
        if (a.after && !partial) {
            uint32_t j = a.after;
            while (j < d->n_toks && nd__tok_in(d, j, adverbs)) j++;
            if (j < d->n_toks && (is_punct(d, j, ',') || is_punct(d, j, ':'))) j++;
            for (size_t p2 = k + 1; p2 < d->n_qpairs; p2++) {
                if (used[p2] || d->q_open_end[p2] == 2) continue;
                if (d->q_open[p2] < j) continue;
                if (d->q_open[p2] == j && d->toks[j].para == d->toks[c].para) {
                    add_content(q, d->toks[j].off, tok_end(d, d->q_close[p2]));
                    used[p2] = 1;
                }
                break;
            }
        }
    } else if (alone && o == s0) {
        /* a continuing quotation: the previous quotation's speaker when it
         * was in this or the previous paragraph */
        for (size_t b = d->n_quotes - 1; b-- > 0;) {
            nd__wquote *pq = &d->quotes[b];
            /* "Greene added that ... election. 'They don't like ...'" */
            if (pq->type == ND_QUOTE_INDIRECT &&
                !(pq->sent + 1 == s && d->toks[pq->t_first].para == d->toks[o].para &&
                  pq->speaker >= 0))
                continue;
            uint32_t pp = d->toks[pq->t_first].para, cp = d->toks[o].para;
            if (cp - pp > 1) break;
            if (pq->speaker < 0 && !pq->source.end) break;
            if (pp == cp && pq->type == ND_QUOTE_DIRECT && pq->n_content < 16) {
                /* same paragraph: one quotation in two parts */
                for (int i = 0; i < q->n_content && pq->n_content < 16; i++)
                    add_content(pq, q->c_start[i], q->c_end[i]);
                d->n_quotes--;
                if (pq->speaker >= 0) d->sent_speaker[s] = pq->speaker;
                return;
            }
            q->speaker = pq->speaker;
            q->speaker_text = pq->speaker_text;
            q->source = pq->source;
            q->cue = pq->cue;
            q->cue_lemma = pq->cue_lemma;
            break;
        }
    }
    if (!found && q->speaker < 0 && !q->source.end) q->scare = partial || words <= 4;
    if (partial && found && a.cue_t1) {
        /* the clause that holds the partial quotation */
        uint32_t c0, c1;
        if (a.src_t0 > a.cue_t0) {
            /* attribution after: the clause is the start of the sentence */
            c0 = s0, c1 = a.src_t0 > s0 ? a.src_t0 : s0;
            while (c1 > c0 && d->toks[c1 - 1].type == ND_TOK_PUNCT) c1--;
            if (c1 > c0) q->clause.start = d->toks[c0].off, q->clause.end = tok_end(d, c1 - 1);
        } else if (clause_after(d, &a, d->sent_t1[s], &c0, &c1)) {
            q->clause.start = d->toks[c0].off, q->clause.end = tok_end(d, c1 - 1);
        }
    }
    if (q->speaker >= 0) d->sent_speaker[cs] = q->speaker;
}

/* ---- attributions on the tree ------------------------------------------------- */

/* Most attributions one sentence can hold, and quotation parts one can
 * take. */
enum { TA_MAX = 24, TA_UNITS = 8 };

/* One attribution read off the tree: a cue, its source and the words it
 * reports (a clause, or the rest of the sentence around a parenthetical
 * "he said"). */
typedef struct tattr {
    int32_t cue, cue_hi;    /* cue words (cue_hi: "to" of "according to") */
    int cls;                /* ND__CUE_* */
    const char *lemma;      /* cue lemma, "according to" */
    int32_t src;            /* head word of the source, -1 none */
    int32_t src_lo, src_hi; /* source words (the head with its modifiers, no clauses) */
    int32_t speaker;        /* actor, -1 none */
    int32_t c_lo, c_hi;     /* content words (inclusive); c_lo > c_hi: none */
    int32_t x_lo, x_hi;     /* words cut out of the content (the attribution), x_lo > x_hi: none */
    uint32_t units[TA_UNITS]; /* quotation pairs inside the content */
    int n_units;
    int32_t seg_lo, seg_hi; /* the attribution segment: cue, subject, adjuncts */
    int par;                /* a parenthetical: its content is the clause around it */
    int drop;               /* nested in another attribution */
    int stance;             /* the content is the cue's object or infinitive */
    int emitted;            /* its quotation has been written */
} tattr;

/* Is word j inside the content of a? */
static int in_content(const tattr *a, int32_t j)
{
    return j >= a->c_lo && j <= a->c_hi && !(j >= a->x_lo && j <= a->x_hi);
}

static int w_punct(const nd__doc *d, int32_t w)
{
    return d->words[w].upos == ND_UPOS_PUNCT;
}

/* The word is a quotation mark. */
static int w_mark(const nd__doc *d, int32_t w)
{
    const nd__tok *t = &d->toks[d->words[w].tok];
    return (t->flags & ND_TOKF_QUOTE) && t->off == d->words[w].start;
}

static int w_in_quote(const nd__doc *d, int32_t w)
{
    return d->toks[d->words[w].tok].in_quote;
}

static int w_is(const nd__doc *d, int32_t w, const char *lemma)
{
    return w >= 0 && !strcmp(d->words[w].lemma, lemma);
}

/* The word is written word (any case): "that", not "those" (lemma "that"). */
static int w_text(const nd__doc *d, int32_t w, const char *word)
{
    size_t n = strlen(word);
    return d->words[w].end - d->words[w].start == n &&
           !strncasecmp(d->text + d->words[w].start, word, n);
}

static int w_char(const nd__doc *d, int32_t w, char c)
{
    return d->words[w].end == d->words[w].start + 1 && d->text[d->words[w].start] == c;
}

/* Ends in "-ing": a participle or gerund ("saying", "adding"). */
static int w_ing(const nd__doc *d, int32_t w)
{
    const nd__word *x = &d->words[w];
    return x->end >= x->start + 5 && !memcmp(d->text + x->end - 3, "ing", 3);
}

/* A quotation naming what a verb's object is, after "as" ("has been
 * pounding Trump as a "con artist"", "admires Putin as a "strong
 * leader"", "described the men as "predators""): the marks say these are
 * the words of the verb's subject, whatever the verb.  The attribution is
 * that subject, with the verb for cue. */
static int attr_as(nd__doc *d, uint32_t o, uint32_t s0, attr *a)
{
    static const char *const arts[] = {"a", "an", "the", NULL};
    if (!d->n_words || o <= s0) return 0;
    uint32_t t = o - 1;
    if (t > s0 && nd__tok_in(d, t, arts)) t--;
    if (!nd__tok_is(d, t, "as")) return 0;
    int32_t as = d->tok_w0[t];
    if (as <= 0 || d->words[as].rel != ND_DEP_CASE) return 0;
    /* the thing named, right before "as": the object or oblique of a verb
     * before it (the parser hangs "as ..." on the noun or on the verb) */
    int32_t x = as - 1, v = -1;
    for (int steps = 0; x >= 0 && x < as && steps < 8 && v < 0; steps++) {
        int r = d->words[x].rel;
        int32_t h = d->words[x].head;
        if (w_in_quote(d, x) || w_punct(d, x) || h < 0) return 0;
        if ((r == ND_DEP_OBJ || r == ND_DEP_OBL) && h < x && d->words[h].upos == ND_UPOS_VERB)
            v = h;
        else
            x = h;
    }
    if (v < 0 || w_in_quote(d, v)) return 0;
    int32_t span = -1, sw = source_word(d, v, 0, &span);
    if (sw < 0 || span < 0 || w_in_quote(d, sw) || w_in_quote(d, span)) return 0;
    int32_t lo = span, hi = span;
    if (!w_relative(d, span)) np_words(d, span, &lo, &hi);
    /* someone who can say it: an actor (a thing, "the vote", "palm
     * fronds", is only described) */
    int32_t who = word_actor(d, sw);
    if (who < 0 || bad_source(d, lo, hi)) return 0;
    memset(a, 0, sizeof *a);
    a->found = 1;
    a->speaker = who;
    a->src_t0 = d->words[lo].tok, a->src_t1 = d->words[hi].tok + 1;
    a->cue_t0 = d->words[v].tok, a->cue_t1 = a->cue_t0 + 1;
    a->lemma = d->words[v].lemma;
    return 1;
}

/* The cue class of word w used as a verb of saying or thinking, 0 when
 * it is none. */
static int w_nominal(const nd__doc *d, int32_t w);
static int w_bound(const nd__doc *d, int32_t w);

static int word_cue(const nd__doc *d, int32_t w, const char **lemma)
{
    const nd__word *x = &d->words[w];
    if (w_in_quote(d, w)) return 0;
    int slip = 0;
    if (x->upos != ND_UPOS_VERB) {
        /* a tagger slip ("Trump wrote" as two nouns) still has a subject,
         * or stands where only a verb of saying can: an inflected form
         * between a name and the end of a clause ("..., CNN continues."),
         * or between a comma and a name ("..., said Xi") */
        if (x->upos != ND_UPOS_NOUN && x->upos != ND_UPOS_PROPN && x->upos != ND_UPOS_ADJ) return 0;
        const nd__tok *t = &d->toks[x->tok];
        int32_t w0 = (int32_t) d->sent_w0[x->sent], w1 = (int32_t) d->sent_w1[x->sent];
        int inflected = t->lower_len && strcmp(t->lower, x->lemma) &&
                        nd__map_get(&d->dict->cue_map, t->lower, t->lower_len) != ND__NONE;
        int aside = inflected && w > w0 && w + 1 < w1 &&
                    ((w_nominal(d, w - 1) && w_punct(d, w + 1)) ||
                     (w_bound(d, w - 1) && nd__w_ment(d, w + 1) >= 0));
        /* "The union leadership fears that ...", "the council hopes that
         * ...": an inflected form between a noun and "that" is read as the
         * verb it mostly is there */
        int that =
            inflected && w > w0 && w + 2 < w1 && w_text(d, w + 1, "that") &&
            (d->words[w - 1].upos == ND_UPOS_NOUN || d->words[w - 1].upos == ND_UPOS_PROPN) &&
            !w_in_quote(d, w - 1);
        if (!aside && !that && (nd__w_child(d, w, ND_DEP_NSUBJ, -1) < 0 || x->rel == ND_DEP_NSUBJ))
            return 0;
        slip = 1;
    }
    int own_subject =
        (x->upos == ND_UPOS_VERB || slip) && (slip || nd__w_child(d, w, ND_DEP_NSUBJ, -1) >= 0);
    switch (own_subject ? ND_DEP_NONE : x->rel) {
    case ND_DEP_AMOD:
    case ND_DEP_COMPOUND:
    case ND_DEP_NSUBJ:
    case ND_DEP_OBJ:
    case ND_DEP_IOBJ:
    case ND_DEP_OBL:
    case ND_DEP_NMOD:
    case ND_DEP_DET:
    case ND_DEP_CASE:
    case ND_DEP_FIXED:
    case ND_DEP_FLAT:
    case ND_DEP_APPOS:
    case ND_DEP_MARK: return 0;
    default: break;
    }
    uint32_t c = nd__map_get(&d->dict->cue_map, x->lemma, strlen(x->lemma));
    if (c == ND__NONE) {
        const nd__tok *t = &d->toks[x->tok];
        if (t->off == x->start && t->off + t->len == x->end && t->lower_len)
            c = nd__map_get(&d->dict->cue_map, t->lower, t->lower_len);
    }
    if (c == ND__NONE) return 0;
    *lemma = d->dict->cues[c].lemma;
    return d->dict->cues[c].cls;
}

/* Relative pronouns: the subject of a relative clause stands for the noun
 * the clause modifies. */
static int w_relative(const nd__doc *d, int32_t w)
{
    return w_text(d, w, "who") || w_text(d, w, "which") || w_text(d, w, "that");
}

/* The head of the noun phrase word w belongs to (up through names and
 * compounds: "Donald" of "US president Donald Trump"). */
static int32_t np_head(const nd__doc *d, int32_t w)
{
    for (int steps = 0; steps < 6 && d->words[w].head >= 0; steps++) {
        int r = d->words[w].rel;
        if (r != ND_DEP_FLAT && r != ND_DEP_COMPOUND) break;
        w = d->words[w].head;
    }
    return w;
}

static int w_nominal(const nd__doc *d, int32_t w)
{
    int u = d->words[w].upos;
    return u == ND_UPOS_NOUN || u == ND_UPOS_PROPN || u == ND_UPOS_PRON;
}

/* The noun a relative pronoun at word r stands for: the noun phrase right
 * before it ("Russia, which ..."), or -1. */
static int32_t antecedent(const nd__doc *d, int32_t r)
{
    int32_t j = r - 1;
    int32_t w0 = (int32_t) d->sent_w0[d->words[r].sent];
    if (j >= w0 && w_char(d, j, ',')) j--;
    if (j < w0 || !w_nominal(d, j) || w_relative(d, j)) return -1;
    return np_head(d, j);
}

/* The head word of the source of cue c: its subject, its passive agent
 * ("was quoted by X"), the subject it shares ("X said ... and added",
 * "..., saying"), the noun a participle describes ("a statement saying
 * ..."), the noun a relative clause describes ("X, who said ...").  -1
 * when there is none; -2 when the subject shows the parse is wrong (a
 * subject with a preposition, "the ceasefire Trump had said he wanted":
 * two noun phrases with no comma between them, a relative clause). */
static int said_noun_of(const nd__doc *d, int32_t w);
static int w_nominal(const nd__doc *d, int32_t w);
static int w_bound(const nd__doc *d, int32_t w);
static void np_words(const nd__doc *d, int32_t h, int32_t *lo, int32_t *hi);
static int32_t issuer(const nd__doc *d, int32_t n);

/* The subject dependent of cue c: its subject (of two, a thing said with
 * its owner, else the nearer), else its passive agent; -1 none; -2 when
 * the parse is wrong (a subject with a preposition). */
static int32_t subject_child(const nd__doc *d, int32_t c)
{
    int32_t s = -1;
    for (int32_t k = nd__w_child(d, c, ND_DEP_NSUBJ, -1); k >= 0;
         k = nd__w_child(d, c, ND_DEP_NSUBJ, k)) {
        if (d->words[k].deprel == ND_DEP_NSUBJ_PASS) continue;
        /* a subject with a preposition: the parse is wrong, but for "as X
         * said" */
        int32_t cs = nd__w_child(d, k, ND_DEP_CASE, -1);
        if (cs >= 0 && !w_is(d, cs, "as")) return -2;
        if (s < 0 || (said_noun_of(d, k) && !said_noun_of(d, s))) {
            s = k;
            continue;
        }
        if (said_noun_of(d, s) && !said_noun_of(d, k)) continue;
        int32_t dk = k > c ? k - c : c - k, ds = s > c ? s - c : c - s;
        if (dk < ds) s = k;
    }
    /* the agent of a passive cue ("was quoted by X"), with its "by" */
    int passive = nd__w_child(d, c, ND_DEP_AUX_PASS, -1) >= 0 ||
                  nd__w_child(d, c, ND_DEP_NSUBJ_PASS, -1) >= 0;
    if (s < 0 && passive)
        for (int32_t k = nd__w_child(d, c, ND_DEP_OBL, -1); k >= 0 && s < 0;
             k = nd__w_child(d, c, ND_DEP_OBL, k))
            if (nd__w_has(d, k, ND_DEP_CASE, "by")) s = k;
    return s;
}

/* The head of the whole noun phrase word w sits in ("the cities of
 * Blackpool and Liverpool" from "Liverpool"). */
static int32_t np_top(const nd__doc *d, int32_t w)
{
    for (int steps = 0; steps < 8 && d->words[w].head >= 0; steps++) {
        int r = d->words[w].rel;
        int32_t h = d->words[w].head;
        if (r != ND_DEP_FLAT && r != ND_DEP_COMPOUND && r != ND_DEP_NMOD && r != ND_DEP_CONJ) break;
        if (!w_nominal(d, h) || h > w) break;
        w = h;
    }
    return w;
}

/* Is the noun phrase starting at word lo the subject of a relative clause
 * with no relative pronoun ("the ceasefire Trump had said he wanted")?
 * A noun right before it, in the middle of the sentence, says so. */
static int reduced_relative(const nd__doc *d, int32_t lo)
{
    int32_t w0 = (int32_t) d->sent_w0[d->words[lo].sent];
    if (lo <= w0) return 0;
    int u = d->words[lo - 1].upos;
    if (u != ND_UPOS_NOUN && u != ND_UPOS_PROPN) return 0;
    /* "In an interview Trump said": an opening phrase (no verb before it)
     * is no relative; a hyphen inside a word ("front-runner") is no
     * punctuation */
    for (int32_t j = lo - 1; j >= w0; j--) {
        if (w_char(d, j, '-') && j > w0 && j + 1 < lo && d->words[j - 1].end == d->words[j].start &&
            d->words[j].end == d->words[j + 1].start)
            continue;
        if (w_punct(d, j) || d->words[j].upos == ND_UPOS_VERB || d->words[j].upos == ND_UPOS_AUX)
            return 1;
    }
    return 0;
}

/* The word before an aside that ends at word j, or j: a parenthesis or
 * an apposition between commas with no verb and no quotation mark in it
 * ("Jane Doe (D-Wis.)", "John Roe, R-Ky.,", "Mr Roe, the leader,"). */
static int32_t before_aside(const nd__doc *d, int32_t j, int32_t w0)
{
    if (j <= w0) return j;
    int paren = w_char(d, j, ')');
    if (!paren && !w_char(d, j, ',')) return j;
    int noun = 0; /* an apposition names something ("as well" is none) */
    for (int32_t k = j - 1; k > w0 && k >= j - 8; k--) {
        if (w_mark(d, k) || d->words[k].upos == ND_UPOS_VERB || d->words[k].upos == ND_UPOS_AUX)
            return j;
        if (paren ? w_char(d, k, '(') : w_char(d, k, ',')) return noun ? k - 1 : j;
        noun |= d->words[k].upos == ND_UPOS_NOUN || d->words[k].upos == ND_UPOS_PROPN;
        if (!paren && w_char(d, k, ')')) return j;
    }
    return j;
}

/* Do words [lo, hi] end in an aside, or stand before one, that ends
 * right before word e (with punctuation only between)? */
static int aside_between(const nd__doc *d, int32_t lo, int32_t hi, int32_t e, int32_t w0)
{
    int32_t j = e - 1;
    while (j > hi && w_punct(d, j) && !w_mark(d, j)) j--;
    if (j == hi) return 1;
    j = before_aside(d, e - 1, w0);
    return j >= lo && j <= hi;
}

/* Is subject s with its apposition k, no comma between, one name whose
 * first words are a title ("Transportation Secretary Ann Cole says", the
 * parse making "Transportation" the subject and the rest its apposition)?
 * Every word of s's phrase before the apposition is capitalised, or an
 * article first: a noun phrase a relative clause hangs on ("the ceasefire
 * Trump had said he wanted") is a common noun. */
static int title_phrase(const nd__doc *d, int32_t s, int32_t k)
{
    int32_t lo = d->words[s].lo, hi = d->words[k].lo;
    if (lo < hi && (w_is(d, lo, "the") || w_is(d, lo, "a"))) lo++;
    if (lo >= hi || nd__w_ment(d, k) < 0) return 0;
    for (int32_t j = lo; j < hi; j++)
        if (!isupper((unsigned char) d->text[d->words[j].start]) ||
            (d->words[j].upos != ND_UPOS_NOUN && d->words[j].upos != ND_UPOS_PROPN))
            return 0;
    return 1;
}

/* The source of cue c: *span the word whose phrase is the source (the
 * relative pronoun "who" itself), returns the word that names the speaker
 * (the noun "who" stands for): the cue's subject, its passive agent ("was
 * quoted by X"), the noun phrase right before it whatever the parse says,
 * the subject it shares ("X said ... and added", "..., saying", "X was
 * forced ... and said"), the noun a participle describes ("a statement
 * saying ...").  -1 when there is none; -2 when the attribution is a
 * relative clause with no pronoun ("the ceasefire Trump had said he
 * wanted": the reported clause holds the gap). */
static int32_t source_word(const nd__doc *d, int32_t c, int depth, int32_t *span)
{
    int32_t s = subject_child(d, c);
    /* "..., Doe (D-Wis.) said Friday": a time after the cue is when it was
     * said, whatever the parse made of it; the speaker is before the cue */
    if (s > c && time_word(d, s) && nd__w_ment(d, s) < 0) s = -1;
    /* "issued a statement Tuesday saying ...": nor before it */
    if (s >= 0 && s < c && time_word(d, s) && nd__w_ment(d, s) < 0 && w_ing(d, c)) s = -1;
    if (s >= 0 && depth > 0 && d->words[s].rel == ND_DEP_OBL)
        s = -1; /* an agent is the cue's own */
    if (s < 0 && depth > 0) s = nd__w_child(d, c, ND_DEP_NSUBJ_PASS, -1);
    int32_t h = d->words[c].head;
    *span = -1;
    if (s >= 0) {
        *span = s;
        if (w_relative(d, s)) {
            if (d->words[c].rel == ND_DEP_ACL && h >= 0) {
                int32_t g = issuer(d, h); /* "released a letter that says" */
                if (g >= 0) *span = g;
                return g >= 0 ? g : h;
            }
            int32_t an = antecedent(d, s);
            return an >= 0 ? an : s;
        }
        for (int32_t k = nd__w_child(d, s, ND_DEP_APPOS, -1); k >= 0;
             k = nd__w_child(d, s, ND_DEP_APPOS, k))
            if (d->words[k].lo == d->words[s].hi + 1 || d->words[k].lo == s + 1) {
                int comma = 0;
                for (int32_t j = s + 1; j < d->words[k].lo; j++) comma |= w_punct(d, j);
                if (!comma && !w_punct(d, d->words[k].lo) && !title_phrase(d, s, k)) return -2;
            }
        int32_t nlo, nhi;
        np_words(d, s, &nlo, &nhi);
        if (s < c && reduced_relative(d, nlo)) return -2;
        return s;
    }
    /* "... and US president Donald Trump has threatened": a noun phrase
     * right before the verb (past its auxiliaries and adverbs) is its
     * subject whatever the parse says */
    int32_t j = c - 1, w0 = (int32_t) d->sent_w0[d->words[c].sent];
    while (j >= w0 && (d->words[j].upos == ND_UPOS_AUX || d->words[j].upos == ND_UPOS_ADV ||
                       d->words[j].upos == ND_UPOS_PART))
        j--;
    /* "a statement Tuesday saying": the time is when, the noun before it speaks */
    if (w_ing(d, c) && j > w0 && time_word(d, j) && nd__w_ment(d, j) < 0 &&
        d->words[j].upos == ND_UPOS_PROPN)
        j--;
    if (!w_ing(d, c)) j = before_aside(d, j, w0); /* "the files, saying" is no subject */
    if (depth == 0 && j >= w0 && (w_nominal(d, j) || nd__w_ment(d, j) >= 0) && !w_in_quote(d, j)) {
        if (w_relative(d, j)) {
            int32_t an = antecedent(d, j);
            if (an >= 0) {
                *span = j;
                return an;
            }
        } else {
            int32_t t = np_top(d, j);
            int32_t cs = nd__w_child(d, t, ND_DEP_CASE, -1);
            if (cs < 0 || w_is(d, cs, "as")) { /* "on the talks said" is no subject */
                int32_t lo, hi;
                np_words(d, t, &lo, &hi);
                if (reduced_relative(d, lo)) return -2;
                int32_t g = issuer(d, t); /* "issued a statement calling" */
                *span = g >= 0 ? g : t;
                return *span;
            }
        }
    }
    if (h < 0 || depth > 3) return -1;
    int32_t r = -1;
    switch (d->words[c].rel) {
    case ND_DEP_CONJ:
    case ND_DEP_XCOMP: r = source_word(d, h, depth + 1, span); break;
    case ND_DEP_ADVCL:
        /* a clause with no subject of its own takes the main clause's:
         * "..., saying", "to stop the war but threatened" */
        if (d->words[h].upos != ND_UPOS_VERB) return -1;
        if (w_ing(d, c) || depth == 0 || nd__w_has(d, c, ND_DEP_MARK, "to"))
            r = source_word(d, h, depth + 1, span);
        break;
    case ND_DEP_ACL:
        /* "a statement saying ...": the statement speaks */
        if (w_ing(d, c) &&
            (d->words[h].upos == ND_UPOS_NOUN || d->words[h].upos == ND_UPOS_PROPN)) {
            *span = r = h;
            int32_t g = issuer(d, h); /* "issued a statement calling" */
            if (g >= 0) *span = r = g;
        }
        break;
    default: break;
    }
    return r == -2 ? -1 : r;
}

/* Nouns of things said: their possessor is the speaker ("Mr Trump's
 * latest comment ... said"). */
static const char *const speech_nouns[] = {
    "statement", "comment",      "remark",  "post",      "tweet",   "message",
    "letter",    "email",        "speech",  "interview", "release", "memo",
    "note",      "announcement", "account", "video",     "op-ed",   "column",
    "essay",     "book",         "report",  NULL};

static int in_list(const char *w, const char *const *set)
{
    return nd__str_in(w, set);
}

/* A thing said with its owner ("Mr Trump's latest comment"). */
static int said_noun_of(const nd__doc *d, int32_t w)
{
    return in_list(d->words[w].lemma, speech_nouns) && nd__w_child(d, w, ND_DEP_NMOD_POSS, -1) >= 0;
}

/* The one who issued the thing said n ("the council issued a statement
 * calling ...", "he released a letter that says ..."): the subject of the
 * verb that puts it out, or -1.  What one issues speaks for one. */
static int32_t issuer(const nd__doc *d, int32_t n)
{
    static const char *const issue_verbs[] = {"issue", "release", "publish", "send", "post",
                                              "put",   "file",    "deliver", NULL};
    int32_t v = d->words[n].head;
    if (v < 0 || d->words[n].rel != ND_DEP_OBJ || !in_list(d->words[n].lemma, speech_nouns) ||
        !in_list(d->words[v].lemma, issue_verbs) || d->words[v].upos != ND_UPOS_VERB)
        return -1;
    int32_t s = subject_child(d, v);
    /* "Small Farms Matter issued a statement" parsed as a participle on
     * "Matter": a participle on a noun before it takes no object of its
     * own, so the verb is the clause's and the noun its subject */
    int32_t hv = d->words[v].head;
    if (s < 0 && d->words[v].rel == ND_DEP_ACL && hv >= 0 && hv < v &&
        (d->words[hv].upos == ND_UPOS_NOUN || d->words[hv].upos == ND_UPOS_PROPN))
        s = hv;
    if (s < 0 || w_relative(d, s) || w_in_quote(d, s)) return -1;
    return s;
}

/* The words of the noun phrase headed by h: the head with its modifiers,
 * without relative clauses, participles and clauses ("two senior European
 * officials briefed on the call" -> "two senior European officials"). */
static void np_words(const nd__doc *d, int32_t h, int32_t *lo, int32_t *hi)
{
    *lo = *hi = h;
    for (int32_t k = d->words[h].child; k >= 0; k = d->words[k].next) {
        int r = d->words[k].rel;
        if (r == ND_DEP_ACL || r == ND_DEP_PARATAXIS || r == ND_DEP_ADVCL || r == ND_DEP_CCOMP ||
            r == ND_DEP_PUNCT || r == ND_DEP_DISLOCATED || r == ND_DEP_CASE)
            continue;
        if (r == ND_DEP_APPOS || r == ND_DEP_CONJ) {
            /* an apposition or conjunct that holds a clause stays out */
            int verb = 0;
            for (int32_t j = d->words[k].lo; j <= d->words[k].hi && !verb; j++)
                verb = d->words[j].upos == ND_UPOS_VERB;
            if (verb) continue;
        }
        /* only what is contiguous with the head */
        if (d->words[k].lo < *lo && d->words[k].hi + 1 >= *lo) *lo = d->words[k].lo;
        if (d->words[k].hi > *hi && d->words[k].lo <= *hi + 1) *hi = d->words[k].hi;
    }
    /* the lists of children are in word order: more passes catch the ones
     * made contiguous by the first ("the regional transport office") */
    for (int pass = 0; pass < 3; pass++)
        for (int32_t k = d->words[h].child; k >= 0; k = d->words[k].next) {
            int r = d->words[k].rel;
            if (r == ND_DEP_ACL || r == ND_DEP_PARATAXIS || r == ND_DEP_ADVCL ||
                r == ND_DEP_CCOMP || r == ND_DEP_PUNCT || r == ND_DEP_APPOS || r == ND_DEP_CONJ ||
                r == ND_DEP_DISLOCATED || r == ND_DEP_CASE)
                continue;
            if (d->words[k].lo < *lo && d->words[k].hi + 1 >= *lo) *lo = d->words[k].lo;
        }
    while (*hi > *lo && w_punct(d, *hi)) (*hi)--;
    while (*lo < *hi && w_punct(d, *lo)) (*lo)++;
}

/* The actor a source head word names (through its mention, a pronoun
 * resolved, the first of a coordination), or -1. */
static int32_t word_actor(nd__doc *d, int32_t w)
{
    int32_t m = nd__w_ment(d, w);
    if (m < 0) {
        /* a name the parse heads by a word outside the mention ("the
         * Lakeside Tribune's editor"): a flat or compound part */
        for (int32_t k = d->words[w].child; k >= 0 && m < 0; k = d->words[k].next)
            if (d->words[k].rel == ND_DEP_FLAT || d->words[k].rel == ND_DEP_COMPOUND)
                m = nd__w_ment(d, k);
    }
    if (m < 0) return w_is(d, w, "it") ? nd__resolve_it(d, w) : -1;
    return speaker_of(d, m);
}

/* Fill the source of attribution a: the phrase of word span, the speaker
 * named by word who. */
static void set_source(nd__doc *d, tattr *a, int32_t span, int32_t who)
{
    a->src = -1, a->src_lo = a->src_hi = -1, a->speaker = -1;
    if (who < 0 || span < 0 || w_in_quote(d, who) || w_in_quote(d, span))
        return; /* a name inside the quotation is never its speaker */
    if (time_word(d, who)) return;
    /* "Mr Trump's comment said": the owner of a thing said */
    if (in_list(d->words[who].lemma, speech_nouns)) {
        int32_t p = nd__w_child(d, who, ND_DEP_NMOD_POSS, -1);
        if (p >= 0 && !w_in_quote(d, p)) who = p;
    }
    a->src = who;
    if (w_relative(d, span)) {
        a->src_lo = a->src_hi = span;
        /* "Ted Cruz, who is calling for ...": the source runs from the noun
         * phrase the pronoun stands for */
        int32_t lo, hi;
        if (who >= 0 && who < span) {
            np_words(d, who, &lo, &hi);
            if (hi < span && span - hi <= 2) a->src_lo = lo;
        }
    } else {
        np_words(d, span, &a->src_lo, &a->src_hi);
    }
    a->speaker = word_actor(d, who);
}

/* Cues whose object is what they are about: they never stand aside as
 * "he said" does ("..., as Trump had threatened" reports nothing). */
static const char *const object_cues[] = {
    "threaten",     "urge",     "pledge",   "promise",  "vow",      "offer",
    "agree",        "propose",  "demand",   "praise",   "thank",    "criticize",
    "criticise",    "blame",    "accuse",   "attack",   "slam",     "blast",
    "credit",       "condemn",  "denounce", "dismiss",  "hail",     "tout",
    "mock",         "ridicule", "deride",   "describe", "portray",  "characterize",
    "characterise", "call",     "label",    "brand",    "dub",      "quote",
    "cite",         "identify", "rate",     "want",     "wish",     "decide",
    "consider",     "question", "dispute",  "deny",     "reject",   "welcome",
    "speak",        "mention",  "show",     "find",     "convince", "remind",
    "inform",       "instruct", "order",    NULL};

/* Cues that report nothing when they stand aside ("as he spoke", "the
 * news as we know it"). */
static const char *const no_aside[] = {"speak",  "talk", "know", "see",  "find", "show",
                                       "decide", "want", "wish", "read", NULL};

/* Nouns of things said: their possessor is the speaker ("Mr Trump's
 * latest comment ... said"), and a that-clause after them is what was
 * said ("said in a statement that ..."). */
static const char *const said_nouns[] = {
    "statement", "comment",      "remark",     "post",      "tweet",      "message",
    "letter",    "email",        "speech",     "interview", "release",    "memo",
    "note",      "announcement", "address",    "video",     "op-ed",      "column",
    "essay",     "briefing",     "conference", "call",      "appearance", NULL};

/* Does words [lo, hi] hold a clause (a verb) or a quotation? */
static int clause_like(const nd__doc *d, int32_t lo, int32_t hi)
{
    int words = 0;
    for (int32_t j = lo; j <= hi; j++) {
        if (w_mark(d, j)) return 1;
        if (d->words[j].upos == ND_UPOS_VERB || d->words[j].upos == ND_UPOS_AUX) words += 100;
        words += !w_punct(d, j);
    }
    return words >= 102;
}

/* Is word w the head of a clause: a verb, or a predicate with a subject or
 * a copula ("ready to take action" alone is none)? */
static int w_clause(const nd__doc *d, int32_t w)
{
    if (d->words[w].upos == ND_UPOS_VERB || d->words[w].upos == ND_UPOS_AUX) return 1;
    return nd__w_child(d, w, ND_DEP_NSUBJ, -1) >= 0 || nd__w_child(d, w, ND_DEP_COP, -1) >= 0;
}

/* Does words [lo, hi] (less [xlo, xhi]) hold a finite clause (a verb with
 * a subject, or a root verb) or a quotation mark? */
static int has_finite(const nd__doc *d, int32_t lo, int32_t hi, int32_t xlo, int32_t xhi)
{
    for (int32_t j = lo; j <= hi; j++) {
        if (j >= xlo && j <= xhi) continue;
        if (w_mark(d, j)) return 1;
        if (w_clause(d, j) &&
            (nd__w_child(d, j, ND_DEP_NSUBJ, -1) >= 0 || nd__w_child(d, j, ND_DEP_EXPL, -1) >= 0))
            return 1;
        /* a finite auxiliary ("is", "will", "has"; not "be", "being") */
        if (d->words[j].upos == ND_UPOS_AUX && !w_is(d, j, "to")) {
            const char *t = d->text + d->words[j].start;
            size_t n = d->words[j].end - d->words[j].start;
            if (!((n == 2 && !strncasecmp(t, "be", 2)) || (n == 4 && !strncasecmp(t, "been", 4)) ||
                  (n == 5 && !strncasecmp(t, "being", 5))))
                return 1;
        }
    }
    return 0;
}

/* Can word w bound a parenthetical attribution (a comma, a colon, a dash,
 * a closing quotation mark before it)? */
static int w_bound(const nd__doc *d, int32_t w)
{
    if (w_char(d, w, ',') || w_char(d, w, ':') || w_char(d, w, ';')) return 1;
    if (w_mark(d, w)) return 1;
    const unsigned char *p = (const unsigned char *) d->text + d->words[w].start;
    if (p[0] == '-' || (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94))) return 1;
    return 0;
}

static int clausal(int r)
{
    return r == ND_DEP_CCOMP || r == ND_DEP_PARATAXIS || r == ND_DEP_ADVCL || r == ND_DEP_CONJ ||
           r == ND_DEP_CSUBJ || r == ND_DEP_XCOMP || r == ND_DEP_LIST || r == ND_DEP_ACL ||
           r == ND_DEP_DISLOCATED || r == ND_DEP_VOCATIVE || r == ND_DEP_ORPHAN || r == ND_DEP_DEP;
}

/* Does a clause start at word j: "that", "whether", "if", a quotation
 * mark, or a noun phrase and its finite verb within a few words ("said
 * the girl was sprayed", "said Tuesday that ..."), whatever the parse
 * made of it? */
static int clause_start(const nd__doc *d, int32_t j, int32_t w1)
{
    if (j >= w1) return 0;
    if (w_text(d, j, "that") || w_text(d, j, "whether") || w_text(d, j, "if")) return 1;
    if (w_mark(d, j)) return 1;
    int nominal = 0;
    for (int32_t k = j; k < w1 && k < j + 8; k++) {
        if (w_punct(d, k)) return 0;
        int u = d->words[k].upos;
        if ((u == ND_UPOS_AUX || u == ND_UPOS_VERB) && nominal) {
            if (k > j && w_is(d, k - 1, "to")) return 0;
            if (u == ND_UPOS_VERB && w_ing(d, k)) return 0;
            return 1;
        }
        if (u == ND_UPOS_VERB || u == ND_UPOS_AUX || u == ND_UPOS_ADP || u == ND_UPOS_SCONJ)
            return 0;
        if (w_nominal(d, k) && !w_relative(d, k)) nominal = 1;
    }
    return 0;
}

/* Is word w part of the attribution segment of cue c with subject sj:
 * the subject with all it holds, or a word tied to the cue by non-clausal
 * relations only ("in a statement", "told Mr Putin", "on Tuesday")? */
static int in_segment(const nd__doc *d, int32_t c, int32_t sj, int32_t w)
{
    for (int steps = 0; steps < 64 && w >= 0; steps++) {
        if (w == c) return 1;
        if (w == sj) return 1;
        int32_t h = d->words[w].head;
        if (h == c) {
            int r = d->words[w].rel;
            if (clausal(r) || r == ND_DEP_PUNCT || r == ND_DEP_CC) return 0;
            if (r == ND_DEP_NSUBJ && d->words[w].deprel != ND_DEP_NSUBJ_PASS)
                return 0; /* another subject ("it was announced" is one) */
            if (r == ND_DEP_OBJ && clause_like(d, d->words[w].lo, d->words[w].hi)) return 0;
            return 1;
        }
        if (clausal(d->words[w].rel)) return 0;
        w = h;
    }
    return 0;
}

/* The attribution segment of cue c: the cue with its subject and its
 * other non-clausal dependents around it, up to punctuation ("the senior
 * officials said", "he told Mr Putin", "said Putin during the meeting"),
 * words [lo, hi].  *obj is set when the cue has an object in it that is
 * not its hearer. */
static void segment(const nd__doc *d, int32_t c, int cls, int32_t sj, int32_t w0, int32_t w1,
                    int32_t *lo, int32_t *hi, int *obj)
{
    *lo = *hi = c;
    *obj = 0;
    while (*lo > w0 && !w_bound(d, *lo - 1) && in_segment(d, c, sj, *lo - 1)) (*lo)--;
    /* the subject keeps what it holds ("Mr Xi, whose country ..., said") */
    if (sj >= 0 && sj < c && d->words[sj].lo < *lo && *lo <= d->words[sj].hi + 1) {
        *lo = d->words[sj].lo;
        while (*lo < sj && w_punct(d, *lo)) (*lo)++;
    }
    int32_t hearer = -1;
    if (cls == ND__CUE_TELL)
        for (int32_t k = d->words[c].child; k >= 0 && hearer < 0; k = d->words[k].next)
            if (k > c && (d->words[k].rel == ND_DEP_IOBJ || d->words[k].rel == ND_DEP_OBJ))
                hearer = k;
    while (*hi + 1 < w1 && !w_bound(d, *hi + 1) && in_segment(d, c, sj, *hi + 1) &&
           !(w_punct(d, *hi + 1) && *hi + 2 >= w1)) {
        int32_t j = *hi + 1;
        int in_hearer = hearer >= 0 && j >= d->words[hearer].lo && j <= d->words[hearer].hi;
        if (!in_hearer && j > c && j != sj && clause_start(d, j, w1)) break;
        (*hi)++;
    }
    if (sj > c && d->words[sj].hi > *hi && d->words[sj].lo <= *hi + 1) {
        /* "said Kunin, who has been critical of Sanders" */
        *hi = d->words[sj].hi;
        while (*hi > c && w_punct(d, *hi)) (*hi)--;
    }
    for (int32_t k = d->words[c].child; k >= 0; k = d->words[k].next) {
        int r = d->words[k].rel;
        if (r == ND_DEP_XCOMP && k > c) *obj = 1;
        /* "..., the paper reported Friday": a time is when, no object */
        if (r == ND_DEP_OBJ && cls != ND__CUE_TELL && k > c && k <= *hi &&
            !clause_like(d, d->words[k].lo, d->words[k].hi) &&
            !(time_word(d, k) && nd__w_ment(d, k) < 0))
            *obj = 1;
    }
}

/* Trim punctuation (not quotation marks) off the content [*lo, *hi]. */
static void trim_content(const nd__doc *d, int32_t *lo, int32_t *hi)
{
    while (*lo <= *hi && w_punct(d, *lo) && !w_mark(d, *lo)) (*lo)++;
    while (*hi >= *lo && w_punct(d, *hi) && !w_mark(d, *hi)) (*hi)--;
}

/* Cut words [x_lo, x_hi] (with the commas around them) out of the
 * content [c_lo, c_hi] of a. */
static void cut_out(const nd__doc *d, tattr *a, int32_t lo, int32_t hi)
{
    a->x_lo = lo, a->x_hi = hi;
    while (a->x_lo > a->c_lo && w_punct(d, a->x_lo - 1) && !w_mark(d, a->x_lo - 1)) a->x_lo--;
    while (a->x_hi < a->c_hi && w_punct(d, a->x_hi + 1) && !w_mark(d, a->x_hi + 1)) a->x_hi++;
    /* at an end of the content: the content stops short of it */
    if (a->x_lo <= a->c_lo)
        a->c_lo = a->x_hi + 1, a->x_lo = 1, a->x_hi = 0;
    else if (a->x_hi >= a->c_hi)
        a->c_hi = a->x_lo - 1, a->x_lo = 1, a->x_hi = 0;
}

/* Cues whose object or infinitive is what they report, as PolNeAR and a
 * reader take it: a pledge, an appeal, a proposal, a charge, a judgement
 * ("vowed to build a wall", "urged him to resign", "announced his
 * resignation", "accused X of lying", "criticized the plan"); every act
 * cue (ND__CUE_ACT) too. */
static const char *const content_objects[] = {
    "announce", "propose", "promise",   "pledge",  "vow",     "threaten",  "urge",      "demand",
    "accuse",   "blame",   "praise",    "thank",   "credit",  "criticize", "criticise", "condemn",
    "denounce", "attack",  "slam",      "blast",   "mock",    "ridicule",  "deride",    "hail",
    "tout",     "dismiss", "question",  "dispute", "deny",    "cite",      "want",      "wish",
    "hope",     "decide",  "expect",    "agree",   "call",    "plead",     "lament",    "bemoan",
    "chide",    "scold",   "reiterate", "repeat",  "predict", "confirm",   "reveal",    "disclose",
    "show",     "talk",    "refer",     NULL};

/* Does the cue c (class cls, lemma) report its object or infinitive? */
static int takes_content_object(int cls, const char *lemma)
{
    return cls == ND__CUE_ACT || in_list(lemma, content_objects);
}

/* The content of a cue that reports its object or infinitive, words
 * [*lo, *hi]: its infinitive with the object before it ("vowed to build
 * ...", "urged him to resign", "refused to answer"), its object with what
 * it is charged or thanked for ("accused X of lying"), what "called for"
 * and "called on X to" ask.  0 when it has none of them after it. */
static int object_content(const nd__doc *d, int32_t c, int32_t *lo, int32_t *hi)
{
    int32_t o = -1, x = -1, p = -1;
    for (int32_t k = d->words[c].child; k >= 0; k = d->words[k].next) {
        if (k <= c || w_in_quote(d, k) != w_in_quote(d, d->words[k].lo)) continue;
        int r = d->words[k].rel;
        if (r == ND_DEP_XCOMP && x < 0 && d->words[k].upos == ND_UPOS_VERB)
            x = k;
        else if (r == ND_DEP_OBJ && o < 0)
            o = k;
        else if ((r == ND_DEP_OBL || r == ND_DEP_ADVCL) && p < 0 &&
                 (nd__w_has(d, k, ND_DEP_CASE, "for") || nd__w_has(d, k, ND_DEP_CASE, "of") ||
                  nd__w_has(d, k, ND_DEP_CASE, "about") ||
                  (w_is(d, c, "refer") && nd__w_has(d, k, ND_DEP_CASE, "to")) ||
                  nd__w_has(d, k, ND_DEP_MARK, "of") || nd__w_has(d, k, ND_DEP_MARK, "for")))
            p = k;
    }
    /* "called for", "called on X to": never what "called X" names */
    if (w_is(d, c, "call") && p < 0 && (x < 0 || o >= 0)) return 0;
    if (x >= 0) {
        *lo = o >= 0 && o < x ? d->words[o].lo : d->words[x].lo;
        *hi = d->words[x].hi;
    } else if (o >= 0) {
        *lo = d->words[o].lo, *hi = d->words[o].hi;
        if (p > o && d->words[p].lo <= *hi + 2) *hi = d->words[p].hi;
    } else if (p >= 0) {
        *lo = d->words[p].lo + 1, *hi = d->words[p].hi; /* past "for" */
    } else {
        return 0;
    }
    if (*lo <= c) *lo = c + 1;
    trim_content(d, lo, hi);
    /* a relative or a bare pronoun object reports nothing of its own */
    if (*lo == *hi && (w_relative(d, *lo) || w_punct(d, *lo))) return 0;
    return *lo <= *hi;
}

/* The noun phrase that opens the clause of cue c when the tree gives the
 * cue no subject ("Aides to Clinton say", "Nine in 10 voters say" with
 * "in" hung on "voters", a name the tagger took for an auxiliary): the
 * words from the sentence's start, or from a comma, colon or quotation
 * mark, up to the cue and its auxiliaries, when they hold no verb, do not
 * open with a preposition or a conjunction, and end in a noun, a name, a
 * number or a capitalised word.  Words [*lo, *hi]; 0 when there is none. */
static int opening_subject(const nd__doc *d, int32_t c, int32_t w0, int32_t *lo, int32_t *hi)
{
    /* "Nearly half said", "A third say": a share of people, whatever the
     * tagger made of it */
    static const char *const shares[] = {"half",     "third", "thirds",  "quarter", "quarters",
                                         "majority", "most",  "percent", NULL};
    int32_t j = c - 1;
    while (j >= w0 && !w_punct(d, j) && !isupper((unsigned char) d->text[d->words[j].start]) &&
           (d->words[j].upos == ND_UPOS_AUX || d->words[j].upos == ND_UPOS_ADV ||
            d->words[j].upos == ND_UPOS_PART) &&
           !nd__str_in(d->words[j].lemma, shares))
        j--;
    if (j < w0 || w_punct(d, j) || w_in_quote(d, j) || w_relative(d, j)) return 0;
    int u = d->words[j].upos;
    int cap = isupper((unsigned char) d->text[d->words[j].start]);
    int share = nd__str_in(d->words[j].lemma, shares);
    if (!w_nominal(d, j) && u != ND_UPOS_NUM && !cap && !share) return 0;
    if (!cap && time_word(d, j)) return 0;
    int32_t k = j;
    while (k > w0 && !w_bound(d, k - 1)) k--;
    while (k < j && d->words[k].upos == ND_UPOS_CCONJ) k++;
    if (j - k > 10) return 0;
    u = d->words[k].upos;
    if (u == ND_UPOS_ADP || u == ND_UPOS_SCONJ || (u == ND_UPOS_ADV && !share)) return 0;
    for (int32_t i = k; i <= j; i++) {
        if (w_in_quote(d, i) || w_relative(d, i) || w_punct(d, i)) return 0;
        /* a capitalised first word the tagger took for a verb is a noun
         * ("Aides to Clinton say"); a participle is a verb ("Speaking in
         * Ohio, ...") */
        int cap_i = isupper((unsigned char) d->text[d->words[i].start]);
        if (d->words[i].upos == ND_UPOS_VERB && d->words[i].rel != ND_DEP_AMOD &&
            !(i == k && cap_i && !w_ing(d, i)))
            return 0;
        if (d->words[i].upos == ND_UPOS_AUX && i < j && !(i == k && cap_i)) return 0;
    }
    *lo = k, *hi = j;
    return 1;
}

/* "says Ali's message of love is the only way", "said the majority of
 * voters were polite", "says people may not like it": the parse made the
 * reported clause's subject the cue's object (or a bare noun its
 * complement) and hung the predicate from the cue apart.  A verb of
 * saying or thinking takes no such object with a predicate of its own
 * after it: the object and that predicate (a finite auxiliary or copula,
 * no subject, no punctuation between them) are the reported clause.
 * Words [*lo, *hi]; 0 when the parse is not so. */
static int object_predicate(const nd__doc *d, int32_t c, int32_t *lo, int32_t *hi)
{
    int32_t o = -1;
    for (int32_t k = d->words[c].child; k >= 0 && o < 0; k = d->words[k].next) {
        if (k <= c) continue;
        int r = d->words[k].rel;
        if (r == ND_DEP_OBJ || ((r == ND_DEP_CCOMP || r == ND_DEP_XCOMP) && w_nominal(d, k)))
            o = k;
        else if (!w_punct(d, k))
            return 0; /* something else comes first */
    }
    if (o < 0 || w_relative(d, o) || w_in_quote(d, o)) return 0;
    int32_t ohi = d->words[o].hi;
    for (int32_t k = d->words[o].next; k >= 0; k = d->words[k].next) {
        int r = d->words[k].rel;
        if (r == ND_DEP_PUNCT) return 0;
        if (d->words[k].lo == ohi + 1 && nd__w_has(d, k, ND_DEP_MARK, "to")) {
            ohi = d->words[k].hi; /* "her decision to use it": the object's */
            continue;
        }
        if (r != ND_DEP_CCOMP && r != ND_DEP_OBL && r != ND_DEP_XCOMP && r != ND_DEP_PARATAXIS &&
            r != ND_DEP_DEP && r != ND_DEP_ADVCL)
            continue;
        if (nd__w_child(d, k, ND_DEP_NSUBJ, -1) >= 0 || nd__w_child(d, k, ND_DEP_MARK, -1) >= 0 ||
            nd__w_child(d, k, ND_DEP_EXPL, -1) >= 0)
            return 0;
        /* its finite auxiliary or copula, with no punctuation before it */
        for (int32_t j = d->words[o].lo; j <= k; j++) {
            if (w_punct(d, j) || w_in_quote(d, j)) return 0;
            if (d->words[j].head != k || j < d->words[k].lo) continue;
            if ((d->words[j].rel == ND_DEP_AUX || d->words[j].rel == ND_DEP_COP) &&
                has_finite(d, j, j, 1, 0)) {
                *lo = d->words[o].lo, *hi = d->words[k].hi;
                return 1;
            }
        }
        return 0;
    }
    /* "she said her decision to use it was a mistake" with the cue hung
     * from the predicate: the same, the cue's head for predicate */
    int32_t h = d->words[c].head;
    int r = d->words[c].rel;
    if (h > ohi &&
        (r == ND_DEP_PARATAXIS || r == ND_DEP_CCOMP || r == ND_DEP_ADVCL || r == ND_DEP_CSUBJ) &&
        nd__w_child(d, h, ND_DEP_NSUBJ, -1) < 0 && nd__w_child(d, h, ND_DEP_EXPL, -1) < 0)
        for (int32_t j = ohi + 1; j <= h; j++) {
            if (w_punct(d, j) || w_in_quote(d, j)) return 0;
            if (d->words[j].head == h &&
                (d->words[j].rel == ND_DEP_AUX || d->words[j].rel == ND_DEP_COP) &&
                has_finite(d, j, j, 1, 0)) {
                *lo = d->words[o].lo, *hi = d->words[h].hi;
                return 1;
            }
        }
    return 0;
}

/* "says Lee's plan ... is the best way", "said her plan to close it was
 * a mistake" parsed with the reported clause (ccomp cc, a predicate with
 * a finite copula or auxiliary) apart from its subject, which the parse
 * made the object of cue c.  A finite clause has a subject; one with none
 * of its own, right after the cue's object, has that object for subject.
 * Returns the object, or -1 when the parse is not so. */
static int32_t object_subject(const nd__doc *d, int32_t c, int32_t cc)
{
    if (cc <= c || nd__w_child(d, cc, ND_DEP_NSUBJ, -1) >= 0 ||
        nd__w_child(d, cc, ND_DEP_EXPL, -1) >= 0 || nd__w_child(d, cc, ND_DEP_CSUBJ, -1) >= 0 ||
        nd__w_child(d, cc, ND_DEP_MARK, -1) >= 0)
        return -1;
    int finite = 0;
    for (int32_t k = d->words[cc].child; k >= 0 && k < cc && !finite; k = d->words[k].next)
        finite = (d->words[k].rel == ND_DEP_COP || d->words[k].rel == ND_DEP_AUX) &&
                 has_finite(d, k, k, 1, 0);
    if (!finite) return -1;
    int32_t o = nd__w_child(d, c, ND_DEP_OBJ, -1);
    if (o <= c || o >= cc || !w_nominal(d, o) || w_relative(d, o) || w_in_quote(d, o) ||
        d->words[o].hi >= d->words[cc].lo)
        return -1;
    /* one stretch of words from the object to the clause */
    for (int32_t j = d->words[o].lo; j < d->words[cc].lo; j++)
        if (w_punct(d, j) || w_in_quote(d, j)) return -1;
    return o;
}

/* Does clause k of a cue of class cls open with a connective of
 * consequence ("opposed it, so the plan failed", "opposed it in March so
 * the likely outcome is ...", "; thus the vote ...")?  Such a clause says
 * what followed, not what was said or thought.  After a verb of saying it
 * must follow a comma or semicolon ("said so the plan would work" has
 * none: "so" may be a purpose there). */
static int consequence(const nd__doc *d, int32_t k, int cls)
{
    static const char *const words[] = {"so", "thus", "hence", "therefore", NULL};
    int32_t lo = d->words[k].lo;
    while (lo < k && w_punct(d, lo)) lo++; /* the comma may hang on the clause */
    if (lo <= 0 || d->words[lo].head != k || !nd__str_in(d->words[lo].lemma, words)) return 0;
    int32_t p = lo - 1;
    if (w_is(d, p, "and") && p > 0) p--; /* ", and so ..." */
    if (cls != ND__CUE_SAY && cls != ND__CUE_TELL) return 1;
    return d->words[p].sent == d->words[k].sent && (w_char(d, p, ',') || w_char(d, p, ';'));
}

/* Is cue c an imperative: a verb in its base form that opens its sentence
 * (after punctuation only) with no subject or auxiliary ("Read more:",
 * "READ MORE", "Watch:", "Tell us what you think")?  It speaks to the
 * reader: page furniture or an appeal, never a report with a speaker. */
static int imperative(const nd__doc *d, int32_t c, int32_t w0)
{
    for (int32_t j = w0; j < c; j++)
        if (!w_punct(d, j)) return 0;
    if (nd__w_child(d, c, ND_DEP_NSUBJ, -1) >= 0 || nd__w_child(d, c, ND_DEP_EXPL, -1) >= 0 ||
        nd__w_child(d, c, ND_DEP_AUX, -1) >= 0 || nd__w_child(d, c, ND_DEP_COP, -1) >= 0)
        return 0;
    const char *t = d->text + d->words[c].start, *l = d->words[c].lemma;
    size_t n = d->words[c].end - d->words[c].start;
    if (strlen(l) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char) t[i]) != l[i]) return 0;
    return 1;
}

/* Is verb word v a past participle ("released", "taken", "made")?  By
 * its form: -ed, -en, -wn or a common irregular one. */
static int past_participle(const nd__doc *d, int32_t v)
{
    static const char *const irregular[] = {"made", "sent",  "held",  "put",  "paid",    "set",
                                            "read", "built", "kept",  "left", "brought", "bought",
                                            "led",  "sold",  "found", "told", NULL};
    const nd__word *x = &d->words[v];
    size_t n = x->end - x->start;
    const char *t = d->text + x->start;
    if (x->upos != ND_UPOS_VERB || n < 3) return 0;
    if (!memcmp(t + n - 2, "ed", 2) || !memcmp(t + n - 2, "en", 2) || !memcmp(t + n - 2, "wn", 2))
        return 1;
    char low[16];
    if (n >= sizeof low) return 0;
    for (size_t i = 0; i < n; i++) low[i] = (char) tolower((unsigned char) t[i]);
    low[n] = 0;
    return nd__str_in(low, irregular);
}

/* Do the words from j on open a clause whose subject is a noun phrase,
 * however the parse read them: nominal words (with "of", "from", "in"
 * and "and" inside the phrase, an aside between two commas), then a verb
 * that is neither a gerund nor an infinitive nor a conjunct of cue c
 * ("said goodbye and left"). */
static int subject_then_verb(const nd__doc *d, int32_t j, int32_t w1, int32_t c)
{
    static const char *const np_preps[] = {"of", "from", "in", "on", "at", "for", "with", NULL};
    int nominal = 0, commas = 0;
    for (int32_t k = j; k < w1 && k < j + 30; k++) {
        if (w_mark(d, k)) return 0;
        if (w_char(d, k, ',')) {
            if (!nominal || ++commas > 2) return 0;
            continue;
        }
        if (w_punct(d, k)) return 0;
        if (commas == 1) continue; /* inside the aside */
        int u = d->words[k].upos;
        if ((u == ND_UPOS_VERB || u == ND_UPOS_AUX) && nominal) {
            if (w_ing(d, k) || w_is(d, k - 1, "to")) return 0;
            if (d->words[k].head == c && d->words[k].rel == ND_DEP_CONJ) return 0;
            return 1;
        }
        if (u == ND_UPOS_NOUN || u == ND_UPOS_PROPN || u == ND_UPOS_NUM ||
            (u == ND_UPOS_PRON && !w_relative(d, k))) {
            nominal = 1;
            continue;
        }
        if (u == ND_UPOS_DET || u == ND_UPOS_ADJ || u == ND_UPOS_ADV || u == ND_UPOS_CCONJ ||
            (u == ND_UPOS_PART && w_is(d, k, "'s")) ||
            (u == ND_UPOS_ADP && nominal && nd__str_in(d->words[k].lemma, np_preps)))
            continue;
        return 0;
    }
    return 0;
}

/* The attribution of cue word c (class cls) in sentence [w0, w1), or 0
 * when the cue reports nothing here.  a->par: a parenthetical ("he said")
 * whose content is the clause around it. */
static int tree_attr(nd__doc *d, int32_t c, int cls, const char *lemma, int32_t w0, int32_t w1,
                     tattr *a)
{
    memset(a, 0, sizeof *a);
    a->cue = a->cue_hi = c, a->cls = cls, a->lemma = lemma;
    a->c_lo = 1, a->c_hi = 0, a->x_lo = 1, a->x_hi = 0;
    a->src = a->src_lo = a->src_hi = a->speaker = -1;
    const nd__word *x = &d->words[c];
    if (imperative(d, c, w0)) return 0;
    /* a passive cue speaks through its agent only ("is expected", "was
     * told" name no speaker) */
    int passive = nd__w_child(d, c, ND_DEP_AUX_PASS, -1) >= 0 ||
                  nd__w_child(d, c, ND_DEP_NSUBJ_PASS, -1) >= 0;
    if (passive) {
        int by = 0;
        for (int32_t k = nd__w_child(d, c, ND_DEP_OBL, -1); k >= 0 && !by;
             k = nd__w_child(d, c, ND_DEP_OBL, k))
            by = nd__w_has(d, k, ND_DEP_CASE, "by");
        if (!by) return 0;
    }
    /* "the ceasefire Trump had said he wanted": a relative clause whose
     * gap lies in the reported clause reports no clause of its own */
    if (x->deprel == ND_DEP_ACL_RELCL) {
        int32_t sj = nd__w_child(d, c, ND_DEP_NSUBJ, -1), h = x->head;
        /* unless the noun it hangs on is the sentence's root with no
         * predicate of its own: then the "relative clause" is the main
         * clause ("The agency says the talks ...") */
        int main_clause = sj >= 0 && sj < c && h >= 0 && h < sj && d->words[h].head < 0 &&
                          d->words[h].upos != ND_UPOS_VERB && d->words[h].upos != ND_UPOS_AUX &&
                          nd__w_child(d, h, ND_DEP_COP, -1) < 0 &&
                          nd__w_child(d, h, ND_DEP_NSUBJ, -1) < 0;
        /* "..., experts say.", "The plan, Mr. Roe argued, is ...": a
         * subject and its cue after a comma, at the sentence's end or before
         * another comma, stand aside; no relative clause without a pronoun
         * is set off by a comma */
        int32_t slo = sj >= 0 ? d->words[sj].lo : -1, e = c + 1;
        while (e < w1 && w_punct(d, e) && !w_mark(d, e)) e++;
        int aside = sj >= 0 && sj < c && slo > w0 && w_char(d, slo - 1, ',') &&
                    (e >= w1 || (c + 1 < w1 && w_char(d, c + 1, ','))) &&
                    d->words[sj].hi + 1 == c && !w_in_quote(d, sj);
        /* "a statement Tuesday saying ...": a bare "-ing" form is a
         * participle on its noun, no relative clause, whatever subject
         * the parse gave it */
        int participle = w_ing(d, c) && nd__w_child(d, c, ND_DEP_AUX, -1) < 0 && sj >= 0 &&
                         time_word(d, sj) && nd__w_ment(d, sj) < 0;
        if (!participle && (sj < 0 || (!w_relative(d, sj) && !main_clause && !aside))) return 0;
    }
    int32_t span = -1, sw = source_word(d, c, 0, &span);
    if (sw == -2) return 0;
    if (sw >= 0) set_source(d, a, span, sw);
    /* '"...," said another leading lawyer, Jo Pincus of ...': after an
     * inverted cue the speaker's noun phrase ends at the comma that opens
     * an apposition or a description, whatever relation the parse gave
     * it; a list ("said Ann Lee, Tom Hart and Raj Patel") is one phrase */
    if (a->src > c && a->src_lo > c) {
        int list = 0;
        for (int32_t k = nd__w_child(d, a->src, ND_DEP_CONJ, -1); k >= 0 && !list;
             k = nd__w_child(d, a->src, ND_DEP_CONJ, k))
            list = k <= a->src_hi;
        for (int32_t j = a->src + 1; j <= a->src_hi && !list; j++)
            if (w_char(d, j, ',')) {
                a->src_hi = j - 1;
                break;
            }
    }
    if (a->src < 0) {
        /* no subject on the tree: the words before the cue ("X, who ...,
         * said", "X, the only candidate to ..., told") */
        attr t;
        memset(&t, 0, sizeof t);
        t.speaker = -1;
        uint32_t tk = x->tok, s0 = d->sent_t0[x->sent];
        if (tk > s0 && subject_of(d, tk, s0, &t) && t.src_t1 > t.src_t0) {
            int32_t lo = d->tok_w0[t.src_t0], hi = d->tok_w0[t.src_t1 - 1];
            while (hi + 1 < (int32_t) d->n_words && d->words[hi + 1].tok < t.src_t1) hi++;
            if (lo >= 0 && hi >= lo && hi < c && !w_in_quote(d, lo) && !bad_source(d, lo, hi)) {
                a->src = hi, a->src_lo = lo, a->src_hi = hi, a->speaker = t.speaker;
            }
        }
    }
    if (a->src < 0 && subject_child(d, c) < 0 && !w_ing(d, c) && c > w0) {
        /* no subject on the tree: the noun phrase that opens the clause */
        int32_t lo, hi;
        if (opening_subject(d, c, w0, &lo, &hi)) {
            a->src = hi, a->src_lo = lo, a->src_hi = hi;
            /* an actor only when the phrase names it whole ("Aides to
             * Clinton" are not Clinton) */
            int32_t m = nd__w_ment(d, hi);
            if (m >= 0 && m == nd__w_ment(d, lo)) a->speaker = word_actor(d, hi);
        }
    }
    if (a->src < 0) {
        /* "A poll released Sunday found that ...", "A court filing made
         * public Thursday says ...": the parse took the participle of a
         * reduced relative for the main verb and hung the cue on it; its
         * subject, with the participle's phrase, is the source */
        int32_t v = x->head, s = v >= 0 ? nd__w_child(d, v, ND_DEP_NSUBJ, -1) : -1;
        int32_t lo = -1, hi = -1;
        if (s >= 0 && v < c && past_participle(d, v) && s < v && w_nominal(d, s) &&
            d->words[s].upos != ND_UPOS_PRON && d->words[s].deprel != ND_DEP_NSUBJ_PASS &&
            !w_relative(d, s) && !w_in_quote(d, s) && !time_word(d, s) &&
            nd__w_child(d, v, ND_DEP_AUX, -1) < 0 && nd__w_child(d, v, ND_DEP_COP, -1) < 0) {
            np_words(d, s, &lo, &hi);
            if (hi + 1 != v || bad_source(d, lo, hi)) lo = -1;
        }
        if (lo >= 0) {
            hi = c - 1;
            while (hi > v && w_punct(d, hi)) hi--;
            a->src = s, a->src_lo = lo, a->src_hi = hi, a->speaker = word_actor(d, s);
        }
    }
    int32_t after_src = -1; /* last word of an attribution after the cue */
    if (a->src < 0 && (c == w0 || w_bound(d, c - 1))) {
        /* "..., said Xi during the meeting", "..., says the president":
         * the speaker after the cue, whatever the tagger made of it */
        attr t;
        uint32_t tk = x->tok, s0 = d->sent_t0[x->sent], s1 = d->sent_t1[x->sent];
        if (attr_after(d, tk, s1, s0, &t) && t.cue_t0 == tk && t.src_t1 > t.src_t0) {
            int32_t lo = d->tok_w0[t.src_t0], hi = d->tok_w0[t.src_t1 - 1];
            while (hi + 1 < w1 && d->words[hi + 1].tok < t.src_t1) hi++;
            /* the name, without what follows it ("Xi during the meeting") */
            for (int32_t j = lo + 1; j <= hi; j++)
                if (d->words[j].upos == ND_UPOS_ADP && nd__w_ment(d, j) < 0) {
                    hi = j - 1;
                    break;
                }
            if (lo > c && hi >= lo && !w_in_quote(d, lo) && !bad_source(d, lo, hi)) {
                a->src = hi, a->src_lo = lo, a->src_hi = hi, a->speaker = t.speaker;
                /* its adjuncts ("during the meeting", "in a statement") */
                uint32_t e = skip_adjuncts(d, t.after, s1);
                after_src = hi;
                while (after_src + 1 < w1 && d->words[after_src + 1].tok < e &&
                       !w_bound(d, after_src + 1))
                    after_src++;
            }
        }
    }
    if (a->src < 0 && c > w0 && w_bound(d, c - 1) && c + 1 < w1 && !w_ing(d, c)) {
        /* '"...," said former Gov. Jim Dale', '..., said retired Gen. Mick
         * Roe, who ...': the noun phrase after an inverted cue, to a comma,
         * a relative pronoun or the sentence's end, whatever the parse
         * made of its first words */
        int32_t j = c + 1, last = -1;
        while (j < w1 && j < c + 12 && !w_punct(d, j) && !w_relative(d, j) && !w_in_quote(d, j)) {
            int u = d->words[j].upos;
            if (u == ND_UPOS_AUX || u == ND_UPOS_SCONJ || u == ND_UPOS_CCONJ) break;
            if (u == ND_UPOS_ADP && !(w_is(d, j, "of") && last >= 0)) break;
            if (u == ND_UPOS_VERB && !(j == c + 1 && !w_ing(d, j))) break;
            if (w_nominal(d, j) || u == ND_UPOS_NUM) last = j;
            j++;
        }
        int end = j >= w1 || w_punct(d, j) || w_relative(d, j);
        if (end && last >= 0 && last == j - 1 && nd__w_ment(d, last) >= 0 &&
            !bad_source(d, last, last)) {
            a->src = last, a->src_lo = c + 1, a->src_hi = last;
            a->speaker = word_actor(d, last);
            after_src = last;
        }
    }
    int32_t sj = subject_child(d, c);
    if (sj == -2) sj = -1;
    int32_t lo, hi;
    int obj;
    segment(d, c, cls, sj, w0, w1, &lo, &hi, &obj);
    if (after_src > hi) hi = after_src, obj = 0;
    /* the source right before the cue belongs to it whatever the parse */
    if (a->src >= 0 && a->src_lo < lo && a->src_hi < c &&
        (a->src_hi + 1 >= lo || aside_between(d, a->src_lo, a->src_hi, lo, w0)))
        lo = a->src_lo; /* with an aside between ("Doe (D-Wis.) said") */
    a->seg_lo = lo, a->seg_hi = hi;
    /* the content: the clausal complement after the cue, a that-clause on
     * the thing said ("said in a statement that ..."), a clause of its own
     * after it, the infinitive of an appeal or a pledge, what "called X"
     * calls it, a quotation for object */
    int32_t cc = -1, cb = -1;
    for (int32_t k = x->child; k >= 0; k = d->words[k].next) {
        int r = d->words[k].rel;
        if (r == ND_DEP_CCOMP || (r == ND_DEP_CSUBJ && k > c)) {
            if (k > c && cc < 0 && !consequence(d, k, cls)) cc = k;
            if (k < c && cb < 0) cb = k;
        }
    }
    /* the that-clause on the thing said, when it comes first: the content
     * starts at the first clause after the cue ("said in a statement that
     * A ..., ready to ...": a later ccomp is part of A or misattached) */
    for (int32_t k = nd__w_child(d, c, ND_DEP_OBL, -1); k >= 0;
         k = nd__w_child(d, c, ND_DEP_OBL, k)) {
        if (k < c || (cc >= 0 && k > cc) || !in_list(d->words[k].lemma, said_nouns)) continue;
        int32_t found = -1;
        for (int32_t q = nd__w_child(d, k, ND_DEP_ACL, -1); q >= 0 && found < 0;
             q = nd__w_child(d, k, ND_DEP_ACL, q))
            if (nd__w_has(d, q, ND_DEP_MARK, "that")) found = q;
        if (found >= 0 && (cc < 0 || d->words[found].lo < d->words[cc].lo)) cc = found;
        break;
    }
    if (cc < 0)
        for (int32_t k = nd__w_child(d, c, ND_DEP_PARATAXIS, -1); k >= 0 && cc < 0;
             k = nd__w_child(d, c, ND_DEP_PARATAXIS, k))
            if (k > c && w_clause(d, k) && !consequence(d, k, cls)) cc = k;
    if (cc >= 0 && cc <= hi && cc >= lo) cc = -1; /* a parse that hangs the speaker there */
    /* "saw that ..." is a judgement; "see if it works", "saw him leave"
     * are none */
    if (cc >= 0 && (w_is(d, c, "see") || w_is(d, c, "view")) &&
        !nd__w_has(d, cc, ND_DEP_MARK, "that"))
        cc = -1;
    /* "says expanding the park will protect ...", "said legalizing it
     * could put ...": a gerund right after the cue that opens the reported
     * clause as its subject, whatever the parse hung where; the clause
     * runs to its finite verb */
    int32_t gerund_hi = -1;
    if (cc >= 0 && d->words[cc].upos == ND_UPOS_VERB && w_ing(d, cc) && d->words[cc].lo == cc &&
        cc == hi + 1 && nd__w_child(d, cc, ND_DEP_NSUBJ, -1) < 0 &&
        nd__w_child(d, cc, ND_DEP_MARK, -1) < 0) {
        if (has_finite(d, cc + 1, d->words[cc].hi, 1, 0)) gerund_hi = d->words[cc].hi;
        for (int32_t k = x->child; k >= 0 && gerund_hi < 0; k = d->words[k].next) {
            if (k <= d->words[cc].hi || !clausal(d->words[k].rel)) continue;
            if (nd__w_child(d, k, ND_DEP_NSUBJ, -1) >= 0) break;
            if (has_finite(d, d->words[k].lo, k, 1, 0)) gerund_hi = d->words[k].hi;
            break;
        }
    }
    /* a reported clause has its subject, its "that" or "to", or is a
     * quotation: "member states except Hungary endorsed ..." is no report
     * of "states" */
    if (cc >= 0 && gerund_hi < 0 && d->words[cc].upos == ND_UPOS_VERB &&
        !w_mark(d, d->words[cc].lo) && nd__w_child(d, cc, ND_DEP_NSUBJ, -1) < 0 &&
        nd__w_child(d, cc, ND_DEP_EXPL, -1) < 0 && nd__w_child(d, cc, ND_DEP_MARK, -1) < 0 &&
        nd__w_child(d, cc, ND_DEP_CSUBJ, -1) < 0)
        cc = -1;
    int32_t osubj = -1;
    if (cc >= 0 && gerund_hi < 0 && (cls == ND__CUE_SAY || cls == ND__CUE_THINK) && a->src < c &&
        !in_list(lemma, object_cues) && !takes_content_object(cls, lemma))
        osubj = object_subject(d, c, cc);
    if (cc >= 0) {
        a->c_lo = d->words[cc].lo, a->c_hi = d->words[cc].hi;
        if (gerund_hi > a->c_hi) a->c_hi = gerund_hi;
        if (osubj >= 0) {
            /* the object is the clause's subject, not the cue's */
            a->c_lo = d->words[osubj].lo, obj = 0;
            if (hi >= a->c_lo) hi = a->c_lo - 1;
            if (a->seg_hi > hi) a->seg_hi = hi;
        }
        if (a->c_lo <= hi && a->c_hi > hi) a->c_lo = hi + 1;
        trim_content(d, &a->c_lo, &a->c_hi);
    } else if (cls == ND__CUE_CALL) {
        /* "called the initiative a 'farce'": the object and what it is called */
        int32_t o = nd__w_child(d, c, ND_DEP_OBJ, -1), p = nd__w_child(d, c, ND_DEP_XCOMP, -1);
        if (o > c && p > o) a->c_lo = d->words[o].lo, a->c_hi = d->words[p].hi;
    }
    if (a->c_lo > a->c_hi && cc < 0 && (cls == ND__CUE_SAY || cls == ND__CUE_THINK) &&
        !in_list(lemma, object_cues) && !takes_content_object(cls, lemma)) {
        int32_t plo, phi;
        if (object_predicate(d, c, &plo, &phi) && plo > c) {
            a->c_lo = plo, a->c_hi = phi, obj = 0;
            if (hi >= plo) hi = plo - 1;
        }
    }
    if (a->c_lo > a->c_hi && hi + 1 < w1) {
        /* a clause right after the segment ("said Tuesday that ...", "said
         * the girl was ...", "said: '...'"), whatever the parse made of it:
         * to the sentence's end; a verb of thinking needs its "that" */
        int32_t j = hi + 1;
        if (w_char(d, j, ':') || (w_char(d, j, ',') && j + 1 < w1 && w_mark(d, j + 1))) j++;
        int speech = (cls == ND__CUE_SAY || cls == ND__CUE_TELL) && !in_list(lemma, object_cues);
        if (j < w1 && !obj && (speech || w_text(d, j, "that") || w_text(d, j, "whether")) &&
            clause_start(d, j, w1))
            a->c_lo = j, a->c_hi = w1 - 1;
    }
    if (a->c_lo > a->c_hi && cc < 0 && a->src >= 0 && hi + 1 < w1 && cls == ND__CUE_SAY &&
        !in_list(lemma, object_cues) && !takes_content_object(cls, lemma) &&
        subject_then_verb(d, hi + 1, w1, c)) {
        /* "says praise from abroad helps ...", "say Jo Roe, the man who
         * ..., held ...": a noun phrase and a finite verb after a verb of
         * saying are the clause it reports, whatever the parse made them */
        a->c_lo = hi + 1, a->c_hi = w1 - 1, obj = 0;
    }
    int np = 0; /* the content is the cue's object or infinitive */
    if (a->c_lo > a->c_hi && cc < 0 && a->src >= 0 && (w_is(d, c, "see") || w_is(d, c, "view"))) {
        /* "sees Cruz as a uniter", "view the plan as unfair": a judgement,
         * the object and what it is seen as */
        int32_t o = nd__w_child(d, c, ND_DEP_OBJ, -1);
        for (int32_t k = o > c ? d->words[o].next : -1; k >= 0; k = d->words[k].next)
            if ((d->words[k].rel == ND_DEP_OBL || d->words[k].rel == ND_DEP_ADVCL ||
                 d->words[k].rel == ND_DEP_XCOMP) &&
                (nd__w_has(d, k, ND_DEP_CASE, "as") || nd__w_has(d, k, ND_DEP_MARK, "as"))) {
                a->c_lo = d->words[o].lo, a->c_hi = d->words[k].hi, np = 1;
                if (hi >= a->c_lo) hi = a->c_lo - 1;
                if (a->seg_hi > hi) a->seg_hi = hi;
                break;
            }
    }
    static const char *const said_objects[] = {"say",         "tweet",   "claim",  "mention",
                                               "acknowledge", "concede", "report", NULL};
    if (a->c_lo > a->c_hi && cc < 0 && a->src >= 0 && in_list(lemma, said_objects)) {
        /* "says racist things", "said the same of Trump", "claimed
         * victory", "reported a loss": what is said, named by a noun phrase (a stance); verbs
         * whose object is what is said, not "admit" (let in), "write"
         * (compose), "declare" (war), "stress" (a need); a time the parse
         * made the object is when ("reported Friday") */
        int32_t o = nd__w_child(d, c, ND_DEP_OBJ, -1);
        if (o > c && !w_in_quote(d, o) && !w_relative(d, o) && !time_word(d, o)) {
            a->c_lo = d->words[o].lo, a->c_hi = d->words[o].hi;
            if (a->c_lo <= c) a->c_lo = c + 1;
            trim_content(d, &a->c_lo, &a->c_hi);
            np = 1;
            if (hi >= a->c_lo) hi = a->c_lo - 1;
            if (a->seg_hi > hi) a->seg_hi = hi;
        }
    }
    if (a->c_lo > a->c_hi && cc < 0 && a->src >= 0 && takes_content_object(cls, lemma) &&
        object_content(d, c, &a->c_lo, &a->c_hi)) {
        np = 1;
        if (hi >= a->c_lo) hi = a->c_lo - 1;
        if (a->seg_hi > hi) a->seg_hi = hi;
    }
    /* a parenthetical or trailing attribution reports the clause it stands
     * in ("'...,' he said", "The plan, he said, will fail", "..., officials
     * said", "X said: ..."): a verb of saying with no object of its own,
     * set off by commas, a colon or the sentence's ends */
    /* "..., said Maria Santos, who leads the union.": a relative clause on
     * the speaker after the cue is the speaker's */
    if (a->src > c && hi + 2 < w1 && w_char(d, hi + 1, ',') &&
        (w_is(d, hi + 2, "who") || w_is(d, hi + 2, "whose"))) {
        hi += 2;
        while (hi + 1 < w1 && !w_char(d, hi + 1, ',') && !w_char(d, hi + 1, ';') &&
               !(hi + 2 >= w1 && w_punct(d, hi + 1)))
            hi++;
    }
    /* "..., said Mindy Romero, director of a project at a university.": a
     * description after the speaker is the speaker's */
    if (hi + 2 < w1 && lo > w0 && w_char(d, hi + 1, ',') && !has_finite(d, hi + 2, w1 - 1, 1, 0)) {
        hi = w1 - 1;
        while (hi > c && w_punct(d, hi) && !w_mark(d, hi)) hi--;
    }
    int as = 0; /* "as X said": the clause after it (before it at the end) */
    if (lo > w0 && w_is(d, lo - 1, "as") && !w_in_quote(d, lo - 1)) lo--;
    if (w_is(d, lo, "as") && lo < c) {
        /* "as X said" reports; "as he spoke" is a time */
        if (cls != ND__CUE_SAY && cls != ND__CUE_TELL) return 0;
        as = 1;
    }
    int before = lo == w0 || w_bound(d, lo - 1);
    int after = hi + 1 >= w1 || w_bound(d, hi + 1) || (hi + 2 >= w1 && w_punct(d, hi + 1));
    /* "..., that he hopes ...": a clause with its "that" is reported, never
     * an aside */
    int that = w_text(d, lo, "that") || nd__w_has(d, c, ND_DEP_MARK, "that");
    if (before && after && !obj && !np && !that && !in_list(lemma, object_cues) &&
        !in_list(lemma, no_aside) && cls != ND__CUE_ACT &&
        (a->c_lo > a->c_hi || (lo > w0 && a->c_lo > hi + 1) || cb >= 0)) {
        int32_t s0 = w0, s1 = w1 - 1;
        if (as) {
            int32_t e = hi + 1;
            while (e < w1 && w_punct(d, e) && !w_mark(d, e)) e++;
            if (e < w1 - 1)
                s0 = lo; /* words follow: they are the clause */
            else
                s1 = hi;
        }
        trim_content(d, &s0, &s1);
        tattr t = *a;
        t.c_lo = s0, t.c_hi = s1;
        cut_out(d, &t, lo, hi);
        trim_content(d, &t.c_lo, &t.c_hi);
        if (t.c_lo <= t.c_hi && has_finite(d, t.c_lo, t.c_hi, t.x_lo, t.x_hi)) {
            *a = t;
            a->par = 1;
        }
    }
    if (a->c_lo > a->c_hi) return 0;
    trim_content(d, &a->c_lo, &a->c_hi);
    if (a->c_lo > a->c_hi) return 0;
    /* the source is never content */
    if (a->src >= 0 && in_content(a, a->src)) return 0;
    a->stance = np;
    /* a reported clause is a clause: a verb, or a quotation (an object
     * reported stands as it is) */
    int ok = np;
    for (int32_t j = a->c_lo; j <= a->c_hi && !ok; j++) {
        if (!in_content(a, j)) continue;
        ok = w_mark(d, j) ||
             ((d->words[j].upos == ND_UPOS_VERB || d->words[j].upos == ND_UPOS_AUX) &&
              d->words[j].rel != ND_DEP_AMOD);
    }
    return ok;
}

/* "according to X": the attribution of the rest of the sentence. */
static int according_attr(nd__doc *d, int32_t w, int32_t w0, int32_t w1, tattr *a)
{
    memset(a, 0, sizeof *a);
    a->cue = w, a->cue_hi = w + 1, a->cls = ND__CUE_SAY, a->lemma = "according to";
    a->c_lo = 1, a->c_hi = 0, a->x_lo = 1, a->x_hi = 0;
    /* X: the noun "according" attaches to (a verb when the parse made the
     * participle after X its head: then X is that verb's subject) */
    /* the noun phrase right after "to", read off the words: its last noun
     * ("according to exit polls", "court records", with the noun the
     * tagger took for a verb before another noun) */
    int32_t h = -1;
    for (int32_t j = w + 2; j < w1 && j < w + 12; j++) {
        int u = d->words[j].upos;
        if (w_in_quote(d, j)) break;
        if (u == ND_UPOS_PRON && (h >= 0 || w_relative(d, j)))
            break; /* "the document he released" */
        if (u == ND_UPOS_NOUN || u == ND_UPOS_PROPN || u == ND_UPOS_NUM || u == ND_UPOS_PRON) {
            h = j;
            continue;
        }
        if (u == ND_UPOS_DET || u == ND_UPOS_ADJ || (u == ND_UPOS_PART && w_is(d, j, "'s")))
            continue;
        if (u == ND_UPOS_VERB && !w_ing(d, j) && j + 1 < w1 &&
            (d->words[j + 1].upos == ND_UPOS_NOUN || d->words[j + 1].upos == ND_UPOS_PROPN))
            continue;
        break;
    }
    int surface = h >= 0;
    if (h >= 0) {
        /* the head of that noun's phrase */
        while (d->words[h].head > h && d->words[h].rel == ND_DEP_COMPOUND) h = d->words[h].head;
        if (!w_nominal(d, h) && d->words[h].upos != ND_UPOS_NUM) h = -1;
    } else {
        h = d->words[w].head;
    }
    if (h > w + 1 && d->words[h].upos == ND_UPOS_VERB) {
        int32_t sj = nd__w_child(d, h, ND_DEP_NSUBJ, -1);
        h = sj > w ? sj : -1;
    }
    if (h < 0 || h <= w + 1) {
        /* the first noun after "to" */
        h = -1;
        for (int32_t j = w + 2; j < w1 && j < w + 10 && h < 0; j++) {
            int u = d->words[j].upos;
            if (u == ND_UPOS_PUNCT || u == ND_UPOS_VERB) break;
            if (u == ND_UPOS_NOUN || u == ND_UPOS_PROPN || u == ND_UPOS_PRON) h = j;
        }
        /* the head of that noun's phrase */
        while (h >= 0 && d->words[h].head > h && d->words[h].rel == ND_DEP_COMPOUND)
            h = d->words[h].head;
    }
    if (h < 0 || w_in_quote(d, h)) return 0;
    set_source(d, a, h, h);
    if (a->src_lo < w + 2 || (surface && a->src >= 0 && a->src_lo > w + 2 && a->src_lo <= h))
        a->src_lo = w + 2;
    /* the phrase: "according to" and its noun phrase, with a participle
     * or relative clause after it ("officials briefed on the call") up to
     * the next comma */
    int32_t plo = w, phi = a->src_hi;
    while (phi + 1 < w1 && !w_bound(d, phi + 1) && !w_punct(d, phi + 1)) {
        int32_t hh = d->words[phi + 1].head;
        if (!(hh >= w && hh <= phi) && !nd__w_dominates(d, h, phi + 1)) break;
        phi++;
    }
    int32_t s0 = w0, s1 = w1 - 1;
    trim_content(d, &s0, &s1);
    if (plo <= s0) {
        a->c_lo = phi + 1, a->c_hi = s1;
    } else {
        a->c_lo = s0, a->c_hi = s1;
        a->x_lo = plo, a->x_hi = phi;
        while (a->x_lo > s0 && w_punct(d, a->x_lo - 1) && !w_mark(d, a->x_lo - 1)) a->x_lo--;
        while (a->x_hi < s1 && w_punct(d, a->x_hi + 1) && !w_mark(d, a->x_hi + 1)) a->x_hi++;
        if (a->x_hi >= s1) a->c_hi = a->x_lo - 1, a->x_lo = 1, a->x_hi = 0;
    }
    trim_content(d, &a->c_lo, &a->c_hi);
    return a->c_hi >= a->c_lo + 1;
}

/* Nouns of things said or held that report a that-clause ("a statement
 * that ...", "Trump's claim that ..."). */
static const char *const report_nouns[] = {
    "statement",    "claim",     "assertion",  "comment",    "remark",  "warning",
    "announcement", "argument",  "suggestion", "insistence", "view",    "belief",
    "denial",       "admission", "accusation", "allegation", "message", "promise",
    "pledge",       "threat",    "assurance",  NULL};

/* The attribution of report noun w: its that-clause, said by its owner
 * ("Trump's claim that ...") or by the subject of the verb that has it for
 * object ("all EU member states endorsed a statement that ..."). */
static int noun_attr(nd__doc *d, int32_t w, int32_t w0, int32_t w1, tattr *a)
{
    memset(a, 0, sizeof *a);
    a->cue = a->cue_hi = w, a->cls = ND__CUE_SAY, a->lemma = d->words[w].lemma;
    a->c_lo = 1, a->c_hi = 0, a->x_lo = 1, a->x_hi = 0;
    a->src = a->src_lo = a->src_hi = a->speaker = -1;
    int32_t cc = -1;
    for (int32_t k = d->words[w].child; k >= 0 && cc < 0; k = d->words[k].next)
        if ((d->words[k].rel == ND_DEP_ACL || d->words[k].rel == ND_DEP_CCOMP) && k > w &&
            nd__w_has(d, k, ND_DEP_MARK, "that") && nd__w_child(d, k, ND_DEP_NSUBJ, -1) >= 0 &&
            d->words[k].deprel != ND_DEP_ACL_RELCL)
            cc = k;
    if (cc < 0) return 0;
    int32_t who = nd__w_child(d, w, ND_DEP_NMOD_POSS, -1);
    if (who < 0 && d->words[w].rel == ND_DEP_OBJ) {
        int32_t v = d->words[w].head, span = -1;
        who = v >= 0 ? source_word(d, v, 0, &span) : -1;
        if (who >= 0 && span >= 0) set_source(d, a, span, who);
    } else if (who >= 0) {
        set_source(d, a, who, who);
    }
    if (a->src < 0 || (w_relative(d, a->src) && a->speaker < 0)) return 0;
    a->c_lo = d->words[cc].lo, a->c_hi = d->words[cc].hi;
    trim_content(d, &a->c_lo, &a->c_hi);
    a->seg_lo = a->seg_hi = w;
    (void) w0, (void) w1;
    return a->c_lo <= a->c_hi && !in_content(a, a->src);
}

/* "Graham: Trump's rhetoric is destroying the party", the headline's
 * attribution: a sentence that opens with a name (a few words, no verb),
 * then a colon, then a clause or a quotation, is what the name says. */
static int colon_attr(nd__doc *d, int32_t w0, int32_t w1, tattr *a)
{
    int32_t k = w0;
    while (k < w1 && k < w0 + 6 && !w_char(d, k, ':')) {
        int u = d->words[k].upos;
        if (w_punct(d, k) || w_in_quote(d, k) || u == ND_UPOS_VERB || u == ND_UPOS_AUX ||
            u == ND_UPOS_PRON || u == ND_UPOS_ADP || u == ND_UPOS_SCONJ)
            return 0;
        k++;
    }
    if (k == w0 || k + 2 >= w1 || !w_char(d, k, ':')) return 0;
    int32_t m = nd__w_ment(d, k - 1);
    if (m < 0 || d->ments[m].pronoun || d->toks[d->ments[m].t1 - 1].sent != d->words[k].sent) {
        /* "Matthews: Well, ...", "ROE: ...", "Poll: ...": a transcript's
         * speaker label or a headline's source, capitalised words the
         * dictionary does not know; an editor's label ("Update:") is none */
        static const char *const labels[] = {
            "update",   "updated",    "note",     "editor",    "correction", "photo",
            "video",    "watch",      "read",     "related",   "source",     "sources",
            "credit",   "warning",    "breaking", "exclusive", "live",       "opinion",
            "analysis", "transcript", "q",        "a",         NULL};
        if (k - w0 > 3 || w_is(d, w0, "the")) return 0;
        for (int32_t j = w0; j < k; j++)
            if (!isupper((unsigned char) d->text[d->words[j].start]) ||
                d->words[j].upos == ND_UPOS_PRON)
                return 0;
        char low[16];
        size_t n = d->words[w0].end - d->words[w0].start;
        if (n >= sizeof low) return 0;
        for (size_t i = 0; i < n; i++)
            low[i] = (char) tolower((unsigned char) d->text[d->words[w0].start + i]);
        low[n] = 0;
        if (nd__str_in(low, labels)) return 0;
    }
    memset(a, 0, sizeof *a);
    a->cue = a->cue_hi = k, a->cls = ND__CUE_SAY, a->lemma = ":";
    a->x_lo = 1, a->x_hi = 0;
    a->src = k - 1, a->src_lo = w0, a->src_hi = k - 1;
    a->speaker = word_actor(d, k - 1);
    a->seg_lo = w0, a->seg_hi = k;
    a->c_lo = k + 1, a->c_hi = w1 - 1;
    trim_content(d, &a->c_lo, &a->c_hi);
    return a->c_lo <= a->c_hi && has_finite(d, a->c_lo, a->c_hi, 1, 0);
}

/* The attributions of sentence s, nested ones marked.  Returns how many. */
static int sentence_attrs(nd__doc *d, uint32_t s, tattr *out, int max)
{
    if (!d->n_words || s >= d->n_sents) return 0;
    int32_t w0 = (int32_t) d->sent_w0[s], w1 = (int32_t) d->sent_w1[s];
    int n = colon_attr(d, w0, w1, &out[0]);
    for (int32_t w = w0; w < w1 && n < max; w++) {
        if (w_is(d, w, "accord") || (d->words[w].end - d->words[w].start == 9 &&
                                     !strncasecmp(d->text + d->words[w].start, "according", 9))) {
            if (w + 1 < w1 && w_is(d, w + 1, "to") && !w_in_quote(d, w) &&
                according_attr(d, w, w0, w1, &out[n]))
                n++;
            continue;
        }
        if (d->words[w].upos == ND_UPOS_NOUN && in_list(d->words[w].lemma, report_nouns) &&
            !w_in_quote(d, w)) {
            n += noun_attr(d, w, w0, w1, &out[n]);
            continue;
        }
        const char *lemma;
        int cls = word_cue(d, w, &lemma);
        int ok = cls && tree_attr(d, w, cls, lemma, w0, w1, &out[n]);
        n += ok;
    }
    /* "X said A, and called B", "X said A, while Y said B": a second report
     * after a comma is not part of the first, whatever the parse hung it
     * from; "and called" shares the first one's speaker */
    for (int i = 0; i < n; i++) {
        tattr *a = &out[i];
        for (int j = 0; j < n; j++) {
            tattr *b = &out[j];
            if (j == i || b->seg_lo <= a->cue || !in_content(a, b->cue) || b->seg_lo <= a->c_lo)
                continue;
            int32_t k = b->seg_lo - 1; /* back over "and", "while", "as" to the comma */
            int conj = 0, contrast = 0;
            while (k > a->c_lo &&
                   (d->words[k].upos == ND_UPOS_CCONJ || d->words[k].upos == ND_UPOS_SCONJ ||
                    d->words[k].upos == ND_UPOS_ADV)) {
                if (d->words[k].upos == ND_UPOS_CCONJ) conj = 1;
                if (w_text(d, k, "while") || w_text(d, k, "whereas") || w_text(d, k, "although") ||
                    w_text(d, k, "though") || w_text(d, k, "but"))
                    contrast = 1;
                k--;
            }
            /* "X has said A - and thinks B": a dash parts them as a comma does */
            int dash = w_punct(d, k) && is_dash(d, d->words[k].tok);
            if (!w_char(d, k, ',') && !w_char(d, k, ';') && !dash) continue;
            int shared = d->words[b->cue].rel == ND_DEP_CONJ && subject_child(d, b->cue) < 0;
            /* "X say A, and three-quarters said B", "X say A; 26 percent
             * say B": a report with a subject of its own after "and" or a
             * semicolon is another's */
            int own = subject_child(d, b->cue) >= 0 || (b->src >= 0 && b->src_lo > k);
            /* "X said A, adding B", "..., telling reporters that B": a
             * participle after the comma, with no subject of its own, is a
             * second report by the same speaker */
            int part = !conj && !contrast && k == b->seg_lo - 1 && w_char(d, k, ',') &&
                       w_ing(d, b->cue) && subject_child(d, b->cue) < 0 && a->src >= 0;
            if (part) shared = 1;
            if (!part && !(conj && shared) &&
                !((contrast || conj || w_char(d, k, ';') || dash) && own))
                continue;
            if (shared) {
                b->src = a->src, b->src_lo = a->src_lo, b->src_hi = a->src_hi;
                b->speaker = a->speaker;
            }
            a->c_hi = k - 1;
            if (a->x_lo <= a->x_hi && a->x_lo > a->c_hi) a->x_lo = 1, a->x_hi = 0;
            trim_content(d, &a->c_lo, &a->c_hi);
            if (a->c_lo > a->c_hi) a->drop = 1;
        }
    }
    /* a parenthetical reports its clause up to the next attribution: "'A,'
     * she said, but 'B,' said Kunin" is two reports */
    for (int i = 0; i < n; i++) {
        tattr *a = &out[i];
        if (!a->par) continue;
        for (int j = 0; j < n; j++) {
            if (j == i || !in_content(a, out[j].cue)) continue;
            /* a stance in the clause is part of what the aside reports
             * ("But, Dale added, he did not back it 'willy-nilly'") */
            if (out[j].stance) continue;
            /* before it, only another aside cuts it ("China has refused ...,
             * CNN continues" is CNN's report of the refusal) */
            if (!out[j].par && out[j].seg_hi < a->seg_lo) continue;
            if (out[j].seg_hi < a->seg_lo) {
                a->c_lo = out[j].seg_hi + 1;
                while (a->c_lo < a->seg_lo && w_punct(d, a->c_lo) && !w_mark(d, a->c_lo)) a->c_lo++;
            } else if (out[j].seg_lo > a->seg_hi) {
                a->c_hi = out[j].seg_lo - 1;
            }
        }
        if (a->x_lo <= a->x_hi && (a->x_lo < a->c_lo || a->x_hi > a->c_hi)) {
            if (a->x_lo <= a->c_lo) a->c_lo = a->x_hi + 1;
            if (a->x_hi >= a->c_hi) a->c_hi = a->x_lo - 1;
            a->x_lo = 1, a->x_hi = 0;
        }
        trim_content(d, &a->c_lo, &a->c_hi);
        if (a->c_lo > a->c_hi) a->drop = 1;
    }
    /* one attribution per stretch of words: an attribution whose cue lies
     * in what another reports is part of that report (PolNeAR's and the
     * reader's univocal view: "Trump told leaders he believed ..., according
     * to officials" is the officials' account) */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            if (i == j || out[j].drop) continue;
            /* a stance that holds a report gives way to it ("endorsed a
             * statement that ...": the statement says it) */
            if (out[j].stance && !out[i].stance && in_content(&out[j], out[i].cue)) {
                out[j].drop = 1;
                continue;
            }
            /* of two that hold each other's cue: "according to X" (it
             * tells whose account the whole is), else the wider */
            int mutual = out[i].c_lo <= out[j].cue && out[j].cue <= out[i].c_hi && !out[i].drop;
            int keep = mutual && (out[i].cue_hi > out[i].cue ||
                                  (out[j].cue_hi == out[j].cue &&
                                   out[i].c_hi - out[i].c_lo > out[j].c_hi - out[j].c_lo));
            if (in_content(&out[j], out[i].cue) && !keep) {
                out[i].drop = 1;
                break;
            }
        }
    return n;
}

/* ---- quotations of the document ------------------------------------------------ */

/* The first and last word of quotation pair p (with the parts that
 * continue it in the next paragraphs). */
static void unit_words(const nd__doc *d, uint32_t p, int32_t *lo, int32_t *hi)
{
    size_t last = p;
    while (d->q_open_end[last] && d->q_next[last] >= 0) last = (size_t) d->q_next[last];
    *lo = d->tok_w0[d->q_open[p]];
    int32_t h = d->tok_w0[d->q_close[last]];
    *hi = h;
}

/* Add quotation pair p and the parts that continue it to q. */
static void add_unit(nd__doc *d, nd__wquote *q, size_t p, uint8_t *used)
{
    for (;; p = (size_t) d->q_next[p]) {
        add_content(q, d->toks[d->q_open[p]].off, tok_end(d, d->q_close[p]));
        used[p] = 1;
        if (!d->q_open_end[p] || d->q_next[p] < 0) break;
    }
}

/* The speaker text of a source nobody could resolve: its words ("a
 * senior official", "the report"); NULL for bare pronouns. */
static const char *source_text(nd__doc *d, const tattr *a)
{
    if (a->src < 0) return NULL;
    int32_t m = nd__w_ment(d, a->src);
    if (m >= 0 && d->ments[m].actor >= 0 && d->ments[m].actor2 >= 0)
        return nd_arena_printf(d->ar, "%s and %s", d->acts[d->ments[m].actor].name,
                               d->acts[d->ments[m].actor2].name);
    static const char *const bare[] = {"who",  "which",  "that", "it",   "i",
                                       "we",   "you",    "they", "he",   "she",
                                       "some", "others", "many", "this", NULL};
    if (a->src_lo == a->src_hi && in_list(d->words[a->src].lemma, bare)) return NULL;
    if (d->words[a->src].upos == ND_UPOS_PRON && a->src_lo == a->src_hi) return NULL;
    int32_t hi = a->src_hi;
    if (hi > a->src_lo && w_relative(d, hi)) /* "Ted Cruz, who": the noun phrase */
        for (hi--; hi > a->src_lo && w_punct(d, hi); hi--) {
        }
    nd_span sp = nd__w_span(d, a->src_lo, hi);
    return nd_arena_strndup(d->ar, d->text + sp.start, sp.end - sp.start);
}

/* Write the quotation of tree attribution a. */
static void emit_tree(nd__doc *d, tattr *a, uint8_t *used, attr *prev)
{
    a->emitted = 1;
    nd__wquote *q = new_quote(d);
    if (!q) return;
    if (a->n_units) {
        int direct = 1;
        for (int32_t j = a->c_lo; j <= a->c_hi && direct; j++)
            if (in_content(a, j) && !w_punct(d, j) && !w_in_quote(d, j)) direct = 0;
        q->type = direct ? ND_QUOTE_DIRECT : ND_QUOTE_PARTIAL;
        for (int u = 0; u < a->n_units; u++) add_unit(d, q, a->units[u], used);
        q->t_first = d->q_open[a->units[0]];
        if (!direct) q->clause = nd__w_span(d, a->c_lo, a->c_hi);
    } else {
        q->type = ND_QUOTE_INDIRECT;
        int32_t lo = a->c_lo, hi = a->x_lo <= a->x_hi ? a->x_lo - 1 : a->c_hi;
        trim_content(d, &lo, &hi);
        if (hi >= lo) {
            nd_span sp = nd__w_span(d, lo, hi);
            add_content(q, sp.start, sp.end);
        }
        if (a->x_lo <= a->x_hi) {
            lo = a->x_hi + 1, hi = a->c_hi;
            trim_content(d, &lo, &hi);
            if (hi >= lo) {
                nd_span sp = nd__w_span(d, lo, hi);
                add_content(q, sp.start, sp.end);
            }
        }
        q->t_first = d->words[a->c_lo].tok;
    }
    q->sent = d->toks[q->t_first].sent;
    /* an act or stance in words of its own is a quotation ("thanked him for
     * his 'sacred' duty") */
    q->stance = a->stance && !a->n_units;
    q->speaker = a->speaker;
    /* an agent with no country ("officials", "the company") is better told
     * by the words of the source */
    if (q->speaker >= 0 && d->acts[q->speaker].kind == ND_ACTOR_AGENT &&
        !strncmp(d->acts[q->speaker].code, "---", 3) && a->src >= 0 &&
        d->words[a->src].upos != ND_UPOS_PRON)
        q->speaker = -1;
    if (a->src >= 0) q->source = nd__w_span(d, a->src_lo, a->src_hi);
    q->cue = nd__w_span(d, a->cue, a->cue_hi);
    q->cue_lemma = a->lemma;
    q->speaker_text = q->speaker >= 0 ? d->acts[q->speaker].name : source_text(d, a);
    /* a group of people named by what they are ("two senior European
     * officials"): its words, the actor ("Europe government") kept */
    if (q->speaker >= 0 && d->acts[q->speaker].kind == ND_ACTOR_AGENT && a->src >= 0 &&
        d->words[a->src].upos == ND_UPOS_NOUN &&
        strcmp(d->words[a->src].lemma,
               d->toks[d->words[a->src].tok].lower ? d->toks[d->words[a->src].tok].lower : "")) {
        const char *t = source_text(d, a);
        if (t) q->speaker_text = t;
    }
    uint32_t s = d->words[a->cue].sent;
    if (q->speaker >= 0) d->sent_speaker[s] = q->speaker;
    /* what a following "and added" or continuation needs */
    memset(prev, 0, sizeof *prev);
    prev->found = 1;
    prev->speaker = q->speaker;
    prev->cls = a->cls, prev->lemma = a->lemma;
    prev->cue_t0 = d->words[a->cue].tok, prev->cue_t1 = d->words[a->cue_hi].tok + 1;
    if (a->src >= 0)
        prev->src_t0 = d->words[a->src_lo].tok, prev->src_t1 = d->words[a->src_hi].tok + 1;
    prev->after = prev->cue_t1;
}

static void find_all_quotes(nd__doc *d)
{
    size_t np = d->n_qpairs;
    uint8_t *used = nd_arena_calloc(d->ar, np + 1, 1);
    uint32_t *order = nd_arena_alloc(d->ar, (np + 1) * sizeof *order);
    uint32_t *s_attr = nd_arena_alloc(d->ar, (d->n_sents + 1) * sizeof *s_attr);
    if (!used || !order || !s_attr) {
        d->failed = 1;
        return;
    }
    /* Pairs by opening mark; inner pairs (inside another quotation) and
     * continuation parts are not quotations of their own. */
    size_t no = 0;
    for (size_t p = 0; p < np; p++)
        if (d->q_open_end[p] != 2) order[no++] = (uint32_t) p;
    /* insertion sort: pairs are nearly in order already (recorded at
     * their closing marks) */
    for (size_t i = 1; i < no; i++) {
        uint32_t v = order[i];
        size_t j = i;
        while (j > 0 && d->q_open[order[j - 1]] > d->q_open[v]) order[j] = order[j - 1], j--;
        order[j] = v;
    }
    uint32_t outer_close = 0;
    int have_outer = 0;
    for (size_t i = 0; i < no; i++) {
        uint32_t p = order[i];
        if (d->q_open_end[p] == 1 && d->q_next[p] >= 0) used[d->q_next[p]] = 2; /* continuation */
        if (have_outer && d->q_open[p] < outer_close) {
            if (used[p] == 0) used[p] = 3; /* inner */
            continue;
        }
        /* the outer pair's extent: to the last part of its chain */
        uint32_t c = d->q_close[p];
        have_outer = 1;
        outer_close = c;
    }
    /* the attributions of every sentence */
    size_t cap = 64, na = 0;
    tattr *ta = nd_arena_alloc(d->ar, cap * sizeof *ta);
    if (!ta) {
        d->failed = 1;
        return;
    }
    for (uint32_t s = 0; s < d->n_sents; s++) {
        s_attr[s] = (uint32_t) na;
        if (na + TA_MAX > cap) {
            size_t nc = cap * 2;
            tattr *t = nd_arena_alloc(d->ar, nc * sizeof *t);
            if (!t) {
                d->failed = 1;
                return;
            }
            memcpy(t, ta, na * sizeof *t);
            ta = t, cap = nc;
        }
        na += (size_t) sentence_attrs(d, s, ta + na, TA_MAX);
    }
    s_attr[d->n_sents] = (uint32_t) na;
    /* each quotation goes to the attribution whose content holds it (the
     * narrowest, in its sentences) */
    for (size_t i = 0; i < no; i++) {
        uint32_t p = order[i];
        if (used[p] || !d->n_words) continue;
        int32_t lo, hi;
        unit_words(d, p, &lo, &hi);
        if (lo < 0 || hi < lo) continue;
        uint32_t s0 = d->words[lo].sent, s1 = d->words[hi].sent;
        tattr *best = NULL;
        for (uint32_t k = s_attr[s0]; k < s_attr[s1 + 1]; k++) {
            tattr *a = &ta[k];
            if (a->drop || a->n_units >= TA_UNITS) continue;
            if (a->cue >= lo && a->cue <= hi) continue;
            int over = 0;
            for (int32_t j = lo; j <= hi && !over; j++) over = in_content(a, j);
            if (!over) continue;
            if (!best || a->c_hi - a->c_lo < best->c_hi - best->c_lo) best = a;
        }
        if (best) best->units[best->n_units++] = p, used[p] = 4;
    }
    size_t oi = 0;
    for (uint32_t s = 0; s < d->n_sents && !d->failed; s++) {
        attr prev;
        memset(&prev, 0, sizeof prev);
        prev.speaker = -1;
        while (oi < no && d->toks[d->q_open[order[oi]]].sent < s) oi++;
        /* in text order: quotations, and the attributions of the sentence */
        uint32_t ka = s_attr[s], kb = s_attr[s + 1];
        size_t i = oi;
        for (;;) {
            /* the next attribution of the sentence not yet written */
            tattr *a = NULL;
            for (uint32_t k = ka; k < kb; k++) {
                tattr *t = &ta[k];
                if (t->drop || t->emitted) continue;
                if (!a || t->c_lo < a->c_lo) a = t;
            }
            uint32_t p = i < no && d->toks[d->q_open[order[i]]].sent == s ? order[i] : UINT32_MAX;
            if (p != UINT32_MAX && used[p] && used[p] != 4) {
                i++;
                continue;
            }
            uint32_t a_tok =
                a ? d->words[a->n_units ? d->tok_w0[d->q_open[a->units[0]]] : a->c_lo].tok
                  : UINT32_MAX;
            if (p != UINT32_MAX && (!a || d->q_open[p] < a_tok)) {
                i++;
                if (used[p] == 4) continue; /* written with its attribution */
                size_t before = d->n_quotes;
                quote_unit(d, p, used, &prev);
                /* a surface attribution took a cue of the tree: that cue is done */
                if (d->n_quotes > before && d->quotes[d->n_quotes - 1].cue.end)
                    for (uint32_t k = ka; k < kb; k++)
                        if (d->words[ta[k].cue].start == d->quotes[d->n_quotes - 1].cue.start)
                            ta[k].emitted = 1;
                if (d->failed) return;
                continue;
            }
            if (!a || d->failed) break;
            /* an indirect report that overlaps a quotation written otherwise
             * repeats it */
            int clash = 0;
            for (size_t j = 0; !a->n_units && j < d->n_quotes && !clash; j++) {
                const nd__wquote *q = &d->quotes[j];
                if (q->sent + 2 < s) continue;
                for (int c = 0; c < q->n_content && !clash; c++) {
                    nd_span sp = nd__w_span(d, a->c_lo, a->c_hi);
                    clash = q->c_start[c] < sp.end && sp.start < q->c_end[c];
                }
            }
            if (clash) {
                a->emitted = 1;
                continue;
            }
            emit_tree(d, a, used, &prev);
        }
    }
}

/* Quotations, then the stances moved out of them to d->stances: what
 * reads quotations (reported speech for events, the store) sees words said
 * only. */
void nd__find_quotes(nd__doc *d)
{
    find_all_quotes(d);
    size_t ns = 0;
    for (size_t i = 0; i < d->n_quotes; i++) ns += d->quotes[i].stance != 0;
    if (!ns || d->failed) return;
    d->stances = nd_arena_alloc(d->ar, ns * sizeof *d->stances);
    if (!d->stances) {
        d->failed = 1;
        return;
    }
    size_t nq = 0;
    for (size_t i = 0; i < d->n_quotes; i++) {
        if (d->quotes[i].stance)
            d->stances[d->n_stances++] = d->quotes[i];
        else
            d->quotes[nq++] = d->quotes[i];
    }
    d->n_quotes = nq;
}
