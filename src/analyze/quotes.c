/* quotes.c - quotation marks, attributions and quotations.
 *
 * 1. Quotation marks are paired per paragraph with a stack (double and
 *    single marks, straight and curly, « »); a quotation left open at the
 *    end of a paragraph continues when the next paragraph opens with a
 *    mark (the convention for multi-paragraph quotations).  A single
 *    closing mark after "s" followed by a word is taken for a plural
 *    possessive when another closing mark follows.
 * 2. Each outer quotation is direct when it stands as an utterance (at the
 *    start of a sentence or after a cue, a colon or a comma) and partial
 *    when it sits inside a clause ("should be 'friends of steel'").  The
 *    attribution is searched after it ("..., said Putin", "..., he told Mr
 *    Putin"), before it ("Putin said: ..."), or for partial quotations in
 *    the clause that holds them ("Xi told Putin their countries should be
 *    '...'").  A direct quotation without its own attribution continues
 *    the previous speaker's; a partial one with no speaker is a scare
 *    quote.
 * 3. Indirect quotations: a cue verb with a subject, and the clause it
 *    reports ("Putin said the two leaders would ...", "..., officials
 *    said", "according to X, ..."). */
#include "analyze/analyze_int.h"

#include <string.h>

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
    if (mm->actor2 >= 0) return -1; /* "the two leaders": no one speaker */
    if (mm->actor >= 0) return mm->actor;
    if (mm->pronoun) {
        int32_t a = nd__resolve_pronoun(d, (size_t) m);
        mm->actor = a;
        if (a >= 0) d->acts[a].n_mentions++;
        return a;
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
        /* "said one senior official" */
        uint32_t e = k;
        while (e < s1 && e - k < 6 && d->toks[e].type == ND_TOK_WORD) e++;
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

static void set_attr(nd__doc *d, nd__wquote *q, const attr *a)
{
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
        if (!pron && !(a->src_t1 == a->src_t0 + 1 && nd__tok_in(d, a->src_t0, bare)))
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
        if (attr_clause(d, o, s0, d->sent_t1[s], &t, prev_attr)) a = t, found = 1;
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

/* Indirect quotations of sentence s. */
static void indirect_sentence(nd__doc *d, uint32_t s, attr *prev)
{
    uint32_t s0 = d->sent_t0[s], s1 = d->sent_t1[s];
    /* Cues already used by a quotation of this sentence. */
    size_t first_q = d->n_quotes;
    while (first_q > 0 && d->quotes[first_q - 1].sent == s) first_q--;
    /* ", according to X" / "According to X, ..." */
    for (uint32_t i = s0; i + 2 < s1; i++) {
        if (d->toks[i].in_quote) continue;
        if (!(nd__tok_is(d, i, "according") && nd__tok_is(d, i + 1, "to"))) continue;
        int used = 0;
        for (size_t q = first_q; q < d->n_quotes; q++)
            if (d->quotes[q].cue.start == d->toks[i].off) used = 1;
        if (used) continue;
        attr a;
        if (!attr_after(d, i, s1, s0, &a)) continue;
        uint32_t c0, c1;
        if (i == s0 || (i == s0 + 1 && d->toks[s0].type == ND_TOK_PUNCT)) {
            /* According to X, CLAUSE */
            c0 = a.after;
            while (c0 < s1 && (is_punct(d, c0, ',') || d->toks[c0].in_quote == 0) &&
                   is_punct(d, c0, ','))
                c0++;
            /* skip an apposition after the source */
            c1 = s1;
        } else {
            c0 = s0, c1 = i;
        }
        while (c1 > c0 && d->toks[c1 - 1].type == ND_TOK_PUNCT &&
               !(d->toks[c1 - 1].flags & ND_TOKF_QUOTE))
            c1--;
        if (c1 <= c0 + 2) continue;
        /* a quotation already covers this clause */
        int covered = 0;
        for (size_t q = first_q; q < d->n_quotes; q++)
            for (int k = 0; k < d->quotes[q].n_content; k++)
                if (d->quotes[q].c_start[k] >= d->toks[c0].off &&
                    d->quotes[q].c_end[k] <= tok_end(d, c1 - 1))
                    covered = 1;
        if (covered) continue;
        nd__wquote *q = new_quote(d);
        if (!q) return;
        q->type = ND_QUOTE_INDIRECT;
        q->sent = s;
        q->t_first = c0;
        add_content(q, d->toks[c0].off, tok_end(d, c1 - 1));
        set_attr(d, q, &a);
        if (a.speaker >= 0) d->sent_speaker[s] = a.speaker;
    }
    /* trailing attribution: "CLAUSE, officials said." */
    attr ta;
    uint32_t comma = 0;
    int trailing = attr_trailing(d, s0, s1, &ta, &comma);
    if (trailing && strcmp(ta.lemma, "according to")) {
        int used = 0;
        for (size_t q = first_q; q < d->n_quotes; q++)
            if (d->quotes[q].cue.start == d->toks[ta.cue_t0].off) used = 1;
        uint32_t c0 = s0, c1 = comma;
        while (c0 < c1 && (nd__tok_is(d, c0, "but") || nd__tok_is(d, c0, "and"))) c0++;
        /* a quotation in the clause makes it a partial one, handled above */
        int has_q = 0;
        for (uint32_t k = c0; k < c1; k++)
            if (d->toks[k].flags & ND_TOKF_QUOTE) has_q = 1;
        if (!used && !has_q && c1 > c0 + 2) {
            nd__wquote *q = new_quote(d);
            if (!q) return;
            q->type = ND_QUOTE_INDIRECT;
            q->sent = s;
            q->t_first = c0;
            add_content(q, d->toks[c0].off, tok_end(d, c1 - 1));
            set_attr(d, q, &ta);
            if (ta.speaker >= 0) d->sent_speaker[s] = ta.speaker;
            *prev = ta;
        }
    }
    /* "The plan, he said, will fail": an attribution between commas */
    for (uint32_t c = s0 + 3; !trailing && c + 4 < s1; c++) {
        if (!is_punct(d, c, ',') || d->toks[c].in_quote) continue;
        attr pa;
        if (!attr_after(d, c + 1, s1, s0, &pa) || pa.cls == ND__CUE_THINK) continue;
        if (!strcmp(pa.lemma, "according to")) continue;
        uint32_t k = pa.after;
        if (pa.cls == ND__CUE_TELL) k = skip_object(d, k, s1);
        k = skip_adjuncts(d, k, s1);
        if (k >= s1 || !is_punct(d, k, ',')) continue;
        if (pa.src_t1 - pa.src_t0 > 6) continue;
        uint32_t e = s1;
        while (e > k && d->toks[e - 1].type == ND_TOK_PUNCT &&
               !(d->toks[e - 1].flags & ND_TOKF_QUOTE))
            e--;
        if (e < k + 4) continue;
        int has_q = 0, used = 0;
        for (uint32_t q = s0; q < e; q++)
            if (d->toks[q].flags & ND_TOKF_QUOTE) has_q = 1;
        for (size_t q = first_q; q < d->n_quotes; q++)
            if (d->quotes[q].cue.start == d->toks[pa.cue_t0].off) used = 1;
        if (has_q || used) break;
        uint32_t b0 = s0;
        while (b0 < c && (nd__tok_is(d, b0, "but") || nd__tok_is(d, b0, "and"))) b0++;
        nd__wquote *q = new_quote(d);
        if (!q) return;
        q->type = ND_QUOTE_INDIRECT;
        q->sent = s;
        q->t_first = b0;
        add_content(q, d->toks[b0].off, tok_end(d, c - 1));
        add_content(q, d->toks[k + 1].off, tok_end(d, e - 1));
        set_attr(d, q, &pa);
        if (pa.speaker >= 0) d->sent_speaker[s] = pa.speaker;
        *prev = pa;
        break;
    }
    /* SUBJECT CUE [that] CLAUSE */
    for (uint32_t i = s0; i < s1; i++) {
        if (trailing && i >= ta.cue_t0 && i < ta.cue_t1) continue;
        const char *lemma;
        int cls = cue_verb(d, i, &lemma);
        if (!cls) continue;
        int used = 0;
        for (size_t q = first_q; q < d->n_quotes; q++)
            if (d->quotes[q].cue.start == d->toks[i].off) used = 1;
        if (used) continue;
        attr a;
        memset(&a, 0, sizeof a);
        a.speaker = -1;
        if (!subject_of(d, i, s0, &a)) {
            if (i > s0 && (nd__tok_is(d, i - 1, "and") || is_punct(d, i - 1, ',')) && prev->found)
                a = *prev;
            else
                continue;
        }
        a.found = 1, a.cls = cls, a.lemma = lemma;
        a.cue_t0 = i, a.cue_t1 = i + 1;
        uint32_t c0, c1;
        if (!clause_after(d, &a, s1, &c0, &c1)) continue;
        /* stop the clause before a later attribution in the sentence */
        for (uint32_t k = c0 + 1; k < c1; k++) {
            const char *l2;
            if (is_punct(d, k, ';')) {
                c1 = k;
                break;
            }
            if (trailing && k == comma) {
                c1 = k;
                break;
            }
            (void) l2;
        }
        if (c1 <= c0 + 2) continue;
        /* quotations inside the clause: partial quotes already carry this
         * attribution, so the clause is not repeated */
        int covered = 0;
        for (size_t q = first_q; q < d->n_quotes; q++)
            for (int k = 0; k < d->quotes[q].n_content; k++)
                if (d->quotes[q].c_start[k] >= d->toks[c0].off &&
                    d->quotes[q].c_start[k] < tok_end(d, c1 - 1))
                    covered = 1;
        if (covered) continue;
        nd__wquote *q = new_quote(d);
        if (!q) return;
        q->type = ND_QUOTE_INDIRECT;
        q->sent = s;
        q->t_first = c0;
        add_content(q, d->toks[c0].off, tok_end(d, c1 - 1));
        set_attr(d, q, &a);
        if (a.speaker >= 0) d->sent_speaker[s] = a.speaker;
        *prev = a;
        i = c0; /* a cue inside the clause may report further speech */
    }
}

void nd__find_quotes(nd__doc *d)
{
    size_t np = d->n_qpairs;
    uint8_t *used = nd_arena_calloc(d->ar, np + 1, 1);
    uint32_t *order = nd_arena_alloc(d->ar, (np + 1) * sizeof *order);
    if (!used || !order) {
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
    size_t oi = 0;
    for (uint32_t s = 0; s < d->n_sents && !d->failed; s++) {
        attr prev;
        memset(&prev, 0, sizeof prev);
        prev.speaker = -1;
        while (oi < no && d->toks[d->q_open[order[oi]]].sent < s) oi++;
        for (size_t i = oi; i < no; i++) {
            uint32_t p = order[i];
            if (d->toks[d->q_open[p]].sent != s) break;
            if (used[p]) continue;
            quote_unit(d, p, used, &prev);
            if (d->failed) return;
        }
        indirect_sentence(d, s, &prev);
    }
}
