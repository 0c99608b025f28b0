/* events.c - actor - action - actor triples coded in CAMEO.
 *
 * No parser: a verb lexicon of patterns (data/verbs/events.txt, and
 * PETRARCH verb dictionaries with --dict) is matched over the tokens of
 * each sentence outside quotations.  The most specific pattern at a head
 * word wins.  The source is the subject actor before the verb (a
 * coordinated subject gives one event per actor; an actor after a
 * preposition is skipped), the target the first actor after the pattern
 * (or after its "+" slot); a passive ("was attacked by X") swaps them.
 * Negation ("not", "n't", "never", "refused to", "failed to") turns
 * cooperation into rejection (12x) and drops conflict: "refused to
 * condemn" is not a condemnation.  The date is the article's, moved to
 * the weekday the sentence names ("on Thursday") or "yesterday". */
#include "analyze/analyze_int.h"

#include <stdio.h>
#include <string.h>

static const char *const dets[] = {"the",  "a",    "an",  "its",   "their", "his", "her",
                                   "this", "that", "our", "whose", "any",   "no",  NULL};
static const char *const be[] = {"was", "were", "been", "being", "is", "are",
                                 "be",  "got",  "get",  "gets",  NULL};
static const char *const preps[] = {
    "in",    "of",     "with",    "by",      "to",      "from",    "for",       "on",
    "at",    "about",  "against", "after",   "before",  "over",    "than",      "between",
    "among", "into",   "toward",  "towards", "under",   "like",    "including", "via",
    "near",  "across", "through", "during",  "without", "despite", NULL};
static const char *const advs[] = {
    "also",    "later",      "then",       "has",      "had",     "have",      "will",
    "would",   "reportedly", "again",      "recently", "on",      "wednesday", "thursday",
    "monday",  "tuesday",    "friday",     "saturday", "sunday",  "yesterday", "today",
    "jointly", "formally",   "officially", "finally",  "already", "still",     "to",
    "shall",   "could",      "can",        "may",      "might",   "must",      "should",
    "did",     "does",       "do",         "been",     "being",   "not",       "n't",
    "never",   "firmly",     "strongly",   "sharply",  NULL};

static int is_punct_c(const nd__doc *d, size_t i, char c)
{
    return i < d->n_toks && d->toks[i].type == ND_TOK_PUNCT && d->text[d->toks[i].off] == c;
}

/* A clause boundary between tokens: ";" ", which" "that" etc. */
static int boundary(const nd__doc *d, size_t i)
{
    if (is_punct_c(d, i, ';') || is_punct_c(d, i, ':')) return 1;
    if (d->toks[i].flags & ND_TOKF_QUOTE) return 1;
    static const char *const b[] = {"which",    "who",    "whom", "while",  "whereas", "because",
                                    "although", "though", "but",  "when",   "after",   "before",
                                    "as",       "where",  "if",   "unless", "since",   NULL};
    return nd__tok_in(d, i, b);
}

/* A pattern word matches its token, its plural or its singular
 * ("agreement" / "agreements"). */
static int word_match(const nd__tok *t, const char *w)
{
    if (!t->lower) return 0;
    if (!strcmp(t->lower, w)) return 1;
    size_t n = strlen(w), m = t->lower_len;
    if (m == n + 1 && t->lower[n] == 's' && !strncmp(t->lower, w, n)) return 1;
    if (n == m + 1 && w[m] == 's' && !strncmp(t->lower, w, m)) return 1;
    return 0;
}

/* Match the words of pattern v after head h; returns the index of the last
 * matched token (h when none) or -1, and the token where the target slot
 * starts. */
static int match_words(const nd__doc *d, const nd__vpat *v, size_t h, size_t s1,
                       size_t *target_from)
{
    size_t pos = h;
    *target_from = h + 1;
    for (int w = 0; w < v->n_words; w++) {
        int slot_before = v->target_at == w;
        size_t gap = slot_before ? 8 : 2;
        if (slot_before) *target_from = pos + 1;
        size_t k = pos + 1, found = 0;
        for (; k < s1 && k <= pos + 1 + gap; k++) {
            if (d->toks[k].in_quote) break;
            /* an actor in the gap is the object: "met Xi in Moscow" is no
             * "meet in +" */
            if (!slot_before && d->toks[k].mention >= 0 && !word_match(&d->toks[k], v->words[w]))
                break;
            if (word_match(&d->toks[k], v->words[w])) {
                found = 1;
                break;
            }
            if (boundary(d, k)) break;
        }
        if (!found) return -1;
        /* "want + to": the slot must hold something */
        if (slot_before && w > 0 && k == pos + 1) return -1;
        if (slot_before && w == 0 && k == pos + 1) return -1;
        pos = k;
    }
    if (v->target_at < 0 || v->target_at >= v->n_words) *target_from = pos + 1;
    return (int) pos;
}

/* Mentions usable as actors: resolved, not inside quotations. */
static int usable(const nd__doc *d, int32_t m)
{
    if (m < 0) return 0;
    const nd__ment *mm = &d->ments[m];
    if (mm->actor < 0 || d->toks[mm->t0].in_quote) return 0;
    const char *code = d->acts[mm->actor].code;
    return code[0] != 0;
}

static int after_prep(const nd__doc *d, const nd__ment *m, size_t lo)
{
    static const char *const quant[] = {
        "hundreds", "thousands", "dozens", "millions", "scores",  "some",   "many",  "most",
        "all",      "one",       "two",    "three",    "several", "number", "group", "members",
        "none",     "few",       "each",   "both",     "tens",    NULL};
    size_t b = m->t0;
    while (b > lo && nd__tok_in(d, b - 1, dets)) b--;
    if (b > lo + 1 && nd__tok_is(d, b - 1, "of") && nd__tok_in(d, b - 2, quant)) return 0;
    return b > lo && nd__tok_in(d, b - 1, preps);
}

/* The first usable subject mention of the sentence before token h, or -1. */
static int32_t first_subject(const nd__doc *d, size_t s0, size_t h)
{
    for (size_t k = s0; k < h; k++) {
        int32_t m = d->toks[k].mention;
        if (m >= 0 && d->ments[m].subj && usable(d, m)) return m;
    }
    return -1;
}

/* Subject mentions for a head at h: the nearest usable mention before it
 * in the clause that is not after a preposition, plus those coordinated
 * with it ("Brazil and the United States"). */
static int subjects(const nd__doc *d, size_t h, size_t s0, int32_t *out, int max)
{
    size_t lo = s0;
    for (size_t k = h; k > s0; k--)
        if ((boundary(d, k - 1) && !nd__tok_is(d, k - 1, "as")) || nd__tok_is(d, k - 1, "that")) {
            lo = k;
            break;
        }
    /* "after greeting Mr Xi ..., Mr Putin thanked": the subject of a
     * participle in an opening phrase is the main clause's, after the comma */
    if (lo > s0 && h == lo && d->toks[h].lower_len > 4 &&
        !strcmp(d->toks[h].lower + d->toks[h].lower_len - 3, "ing")) {
        static const char *const subord[] = {"after", "before", "while", "when",
                                             "since", "upon",   "by",    NULL};
        if (nd__tok_in(d, lo - 1, subord)) {
            size_t k = h;
            while (k < d->n_toks && d->toks[k].sent == d->toks[h].sent && !is_punct_c(d, k, ','))
                k++;
            for (size_t q = k + 1; q < d->n_toks && q < k + 5 && d->toks[q].sent == d->toks[h].sent;
                 q++) {
                int32_t m = d->toks[q].mention;
                if (m >= 0 && usable(d, m)) {
                    out[0] = m;
                    return 1;
                }
            }
        }
    }
    int32_t best = -1;
    /* ", killing ...": a participle after a comma takes the main subject */
    if (h > s0 && is_punct_c(d, h - 1, ',') && d->toks[h].lower_len > 4 &&
        !strcmp(d->toks[h].lower + d->toks[h].lower_len - 3, "ing")) {
        out[0] = first_subject(d, s0, h);
        return out[0] >= 0;
    }
    for (size_t k = h; k-- > lo;) {
        int32_t m = d->toks[k].mention;
        if (m < 0) continue;
        const nd__ment *mm = &d->ments[m];
        k = mm->t0;
        if (!usable(d, m)) continue;
        if (after_prep(d, mm, lo)) continue;
        if (mm->poss)
            continue; /* "Russia's foreign minister" is one mention; a bare possessive modifies */
        best = m;
        break;
    }
    if (best < 0) {
        /* "X, who/whose ..., VERB" or "X, a ..., VERB": the mention before the aside */
        size_t j = h;
        while (j > s0 && nd__tok_in(d, j - 1, advs)) j--;
        if (j > s0 && is_punct_c(d, j - 1, ',')) {
            size_t k = j - 1;
            while (k > s0 && !is_punct_c(d, k - 1, ',') && j - k < 30) k--;
            if (k > s0 && is_punct_c(d, k - 1, ',')) {
                int32_t m = d->toks[k >= s0 + 2 ? k - 2 : s0].mention; /* never before 0 */
                if (k >= 2 && m >= 0 && usable(d, m) && d->ments[m].t1 == k - 1) best = m;
            }
        }
    }
    /* "X said the deal would "..." and praised Y": a verb joined to the
     * sentence's first predicate shares its subject */
    if (best < 0 && h > s0 && nd__tok_is(d, h - 1, "and")) best = first_subject(d, s0, h - 1);
    if (best < 0) return 0;
    int n = 0;
    out[n++] = best;
    /* coordination to the left: "A, B and C" (the last joiner is "and") */
    size_t k = d->ments[best].t0;
    while (n < max && k > lo + 1) {
        size_t j = k;
        while (j > lo && nd__tok_in(d, j - 1, dets)) j--;
        if (!(nd__tok_is(d, j - 1, "and") || (n > 1 && is_punct_c(d, j - 1, ',')))) break;
        size_t e = j - 1;
        if (nd__tok_is(d, e, "and") && e > lo && is_punct_c(d, e - 1, ',')) e--;
        if (e == 0) break;
        int32_t m = d->toks[e - 1].mention;
        if (m < 0 || !usable(d, m) || d->ments[m].t1 != e) break;
        out[n++] = m;
        k = d->ments[m].t0;
    }
    return n;
}

/* The first usable mention from token t in the clause; a bare adjective
 * ("Western sanctions") only when no actor follows closely. */
static int32_t target_from1(const nd__doc *d, size_t t, size_t s1, int32_t not_actor, int skip_by);

static int32_t target_from(const nd__doc *d, size_t t, size_t s1, int32_t not_actor, int skip_by)
{
    int32_t m = target_from1(d, t, s1, not_actor, skip_by);
    if (m >= 0 && d->ments[m].how == ND_MENTION_ADJ) {
        int32_t m2 = target_from1(d, d->ments[m].t1, s1, not_actor, skip_by);
        if (m2 >= 0 && d->ments[m2].how != ND_MENTION_ADJ && d->ments[m2].t0 <= d->ments[m].t1 + 4)
            return m2;
    }
    return m;
}

static int32_t target_from1(const nd__doc *d, size_t t, size_t s1, int32_t not_actor, int skip_by)
{
    for (size_t k = t; k < s1 && k < t + 14; k++) {
        if (boundary(d, k) && k > t) break;
        if (is_punct_c(d, k, ',') && k > t && !nd__tok_is(d, k + 1, "and")) break;
        if (d->toks[k].in_quote) break;
        int32_t m = d->toks[k].mention;
        if (m < 0) continue;
        if (!usable(d, m) || d->ments[m].actor == not_actor) {
            k = d->ments[m].t1 - 1;
            continue;
        }
        if (skip_by && k > 0 && nd__tok_is(d, d->ments[m].t0 - 1, "by")) {
            k = d->ments[m].t1 - 1;
            continue;
        }
        /* "amid global opposition", "despite ...": not an argument */
        static const char *const adjunct[] = {"amid",       "despite", "during", "since",  "until",
                                              "throughout", "beyond",  "like",   "unlike", NULL};
        size_t b = d->ments[m].t0;
        while (b > t && nd__tok_in(d, b - 1, dets)) b--;
        if (b > 0 && nd__tok_in(d, b - 1, adjunct)) {
            k = d->ments[m].t1 - 1;
            continue;
        }
        /* "X and Y" as a target: the first only (coded separately below) */
        return m;
    }
    return -1;
}

static int32_t by_agent(const nd__doc *d, size_t t, size_t s1)
{
    for (size_t k = t; k < s1 && k < t + 16; k++) {
        if (nd__tok_is(d, k, "by")) {
            size_t j = k + 1;
            while (j < s1 && nd__tok_in(d, j, dets)) j++;
            for (size_t q = j; q < s1 && q < j + 3; q++) {
                int32_t m = d->toks[q].mention;
                if (m >= 0 && usable(d, m)) return m;
            }
            return -1;
        }
        if (boundary(d, k)) break;
    }
    return -1;
}

static int negated_at(const nd__doc *d, size_t h, size_t s0)
{
    static const char *const neg[] = {"not", "n't", "never", "no", "without", NULL};
    static const char *const refuse[] = {
        "refused",  "refuses",   "refuse",  "refusing", "declined",  "declines",
        "decline",  "declining", "failed",  "fails",    "fail",      "failing",
        "rejected", "refrained", "avoided", "unable",   "unwilling", NULL};
    for (size_t k = h, n = 0; k > s0 && n < 4; k--, n++) {
        if (nd__tok_in(d, k - 1, neg)) return 1;
        if (nd__tok_is(d, k - 1, "to") && k >= 2 + s0 && nd__tok_in(d, k - 2, refuse)) return 1;
        if (boundary(d, k - 1)) break;
    }
    return 0;
}

/* A negated code: cooperation becomes rejection, conflict no event. */
static const char *negate(const char *code)
{
    int root = (code[0] - '0') * 10 + (code[1] - '0');
    if (!strcmp(code, "057") || !strncmp(code, "057", 3)) return "127";
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

static void add_event1(nd__doc *d, int32_t sa, int32_t ta, const char *code, uint32_t s, size_t h,
                       size_t e, int neg, int32_t day)
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
    ev->verb.start = d->toks[h].off;
    ev->verb.end = d->toks[e].off + d->toks[e].len;
    ev->negated = neg;
    ev->day = day;
}

/* Events between two mentions: each may stand for two actors ("the two
 * leaders", "they"). */
static void add_event(nd__doc *d, int32_t sm, int32_t tm, const char *code, uint32_t s, size_t h,
                      size_t e, int neg, int32_t day)
{
    const nd__ment *a = &d->ments[sm], *b = &d->ments[tm];
    int32_t sa[2] = {a->actor, a->actor2}, ta[2] = {b->actor, b->actor2};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) add_event1(d, sa[i], ta[j], code, s, h, e, neg, day);
    /* "the two leaders met": each toward the other */
    if (sm == tm && a->actor2 >= 0) {
        add_event1(d, a->actor, a->actor2, code, s, h, e, neg, day);
        add_event1(d, a->actor2, a->actor, code, s, h, e, neg, day);
    }
}

/* The best pattern at head h. */
static const nd__vpat *best_pattern(const nd__doc *d, size_t h, size_t s1, size_t *end,
                                    size_t *tfrom)
{
    const nd__tok *t = &d->toks[h];
    if (t->type != ND_TOK_WORD || !t->lower_len || t->in_quote) return NULL;
    uint32_t v = nd__map_get(&d->dict->verb_map, t->lower, t->lower_len);
    if (v == ND__NONE) return NULL;
    int noun_use = h > 0 && (nd__tok_in(d, h - 1, dets) || (d->toks[h - 1].flags & ND_TOKF_POSS));
    /* "on travel to", "enjoyed support from": the object of a preposition
     * or of another verb */
    static const char *const np_preps[] = {"on",    "of",   "for",     "in",    "with",
                                           "about", "from", "against", "after", "before",
                                           "by",    "over", NULL};
    if (!noun_use && h > 0 && nd__tok_in(d, h - 1, np_preps) &&
        !(d->toks[h].lower_len > 4 && !strcmp(d->toks[h].lower + d->toks[h].lower_len - 3, "ing")))
        noun_use = 1;
    if (!noun_use && h > 0 && d->toks[h - 1].type == ND_TOK_WORD && d->toks[h - 1].mention < 0 &&
        d->toks[h - 1].lower_len > 4 &&
        !strcmp(d->toks[h - 1].lower + d->toks[h - 1].lower_len - 2, "ed") &&
        !nd__tok_in(d, h - 1, advs))
        noun_use = 1;
    /* "a substantial boost": determiner and adjective */
    if (!noun_use && h > 1 && nd__tok_in(d, h - 2, dets) && d->toks[h - 1].type == ND_TOK_WORD &&
        d->toks[h - 1].mention < 0 && !(d->toks[h - 1].flags & ND_TOKF_CAP))
        noun_use = 1;
    const nd__vpat *best = NULL;
    int best_n = -1;
    for (uint32_t p = v; p != ND__NONE; p = d->dict->vpats[p].next) {
        const nd__vpat *vp = &d->dict->vpats[p];
        int is_noun = (vp->flags & ND__VF_NOUN) != 0;
        if (noun_use && !is_noun) continue;
        /* PETRARCH entries without a code ("---") say nothing here */
        if ((vp->flags & ND__VF_PETRARCH) && !vp->code[0]) continue;
        size_t tf;
        int e = match_words(d, vp, h, s1, &tf);
        if (e < 0) continue;
        /* the most specific pattern; on a tie the added dictionary's */
        int score = vp->n_words * 2 + !!(vp->flags & ND__VF_PETRARCH);
        if (score > best_n) {
            best = vp, best_n = score, *end = (size_t) e, *tfrom = tf;
        }
    }
    return best;
}

static int ends_with(const nd__tok *t, const char *suf)
{
    size_t n = strlen(suf);
    return t->lower && t->lower_len > n + 1 && !strcmp(t->lower + t->lower_len - n, suf);
}

/* A past participle: "-ed", "-en" or a common irregular one. */
static int participle(const nd__doc *d, size_t h)
{
    static const char *const irr[] = {
        "held",  "met",     "hit",     "struck",    "shot",     "fought", "taken", "seen",
        "sent",  "brought", "caught",  "beaten",    "thrown",   "built",  "sold",  "bought",
        "told",  "given",   "driven",  "won",       "lost",     "kept",   "led",   "left",
        "put",   "set",     "cut",     "spoken",    "shut",     "stolen", "blown", "slain",
        "freed", "seized",  "overrun", "withdrawn", "forgiven", NULL};
    const nd__tok *t = &d->toks[h];
    return ends_with(t, "ed") || ends_with(t, "en") || nd__tok_in(d, h, irr);
}

/* Intent before the head: "wants to attack", "plans to visit", "vowed to
 * help".  Returns 1 for intent, 2 for a threat. */
static int intent_at(const nd__doc *d, size_t h, size_t s0)
{
    static const char *const want[] = {
        "want",     "wants", "wanted", "plan",  "plans", "planned", "planning", "intend", "intends",
        "intended", "hope",  "hopes",  "hoped", "aim",   "aims",    "aimed",    NULL};
    /* promises: intent only toward cooperation ("pledged to help") */
    static const char *const promise[] = {"vow",     "vows",    "vowed",    "pledge",   "pledges",
                                          "pledged", "promise", "promises", "promised", "offer",
                                          "offers",  "offered", "willing",  NULL};
    static const char *const threat[] = {"threaten", "threatens", "threatened", "threatening",
                                         NULL};
    if (h < s0 + 2 || !nd__tok_is(d, h - 1, "to")) return 0;
    if (nd__tok_in(d, h - 2, threat)) return 2;
    if (nd__tok_in(d, h - 2, want)) return 1;
    if (nd__tok_in(d, h - 2, promise)) return 3;
    return 0;
}

/* CAMEO code for intent to do code: 03x for cooperation, 13x for force. */
static const char *intent_code(const char *code, int kind)
{
    int root = (code[0] - '0') * 10 + (code[1] - '0');
    if (kind == 3 && root >= 10) return NULL;
    if (kind == 2 || root >= 15) {
        if (root >= 18) return "138";
        if (root == 17) return "137";
        if (root == 16) return "131";
        if (root == 15) return "138";
        return NULL;
    }
    switch (root) {
    case 4: return "036";
    case 5: return "032";
    case 6: return "031";
    case 7: return "033";
    case 8: return "035";
    default: return NULL;
    }
}

/* Token index of byte offset off (a token start), or n_toks. */
static size_t tok_at(const nd__doc *d, uint32_t off)
{
    size_t lo = 0, hi = d->n_toks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->toks[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A clause reported by a speaker: "The US claimed that ISIL had attacked
 * Iraq" (tokens [t0, t1), the speakers' mentions). */
typedef struct reported {
    size_t t0, t1;
    int32_t spk[4];
    int n_spk;
    int used; /* one statement per reported clause */
} reported;

/* The quotations of each sentence, in their order in d->quotes: those of
 * sentence s are list[first[s] .. first[s + 1]) (a counting sort, so that
 * the work per sentence does not grow with the quotations of the page). */
typedef struct quote_index {
    uint32_t *first, *list;
} quote_index;

static int reported_clauses(nd__doc *d, uint32_t s, const quote_index *qi, reported *out, int max)
{
    static const char *const speech[] = {
        "say",   "claim",   "allege", "tell", "report", "announce", "insist", "assert",
        "state", "declare", "warn",   "add",  "argue",  "confirm",  "charge", NULL};
    int n = 0;
    uint32_t s0 = d->sent_t0[s], s1 = d->sent_t1[s];
    for (uint32_t qk = qi->first[s]; qk < qi->first[s + 1] && n < max; qk++) {
        const nd__wquote *q = &d->quotes[qi->list[qk]];
        if (q->sent != s || !q->cue_lemma || !q->n_content || !q->cue.end) continue;
        if (q->type != ND_QUOTE_INDIRECT || q->cue.start > q->c_start[0]) continue;
        int sp = 0;
        for (size_t k = 0; speech[k]; k++) sp |= !strcmp(q->cue_lemma, speech[k]);
        if (!sp) continue;
        size_t c = tok_at(d, q->cue.start);
        if (c >= s1) continue;
        /* the clause follows the cue directly ("said that ...", "said on
         * Monday ..."): ", two weeks after ..." is the main clause's */
        size_t ct = tok_at(d, q->c_start[0]);
        int comma = 0;
        for (size_t k = c + 1; k < ct && k < s1; k++)
            if (is_punct_c(d, k, ',')) comma = 1;
        if (comma) continue;
        reported *r = &out[n];
        r->t0 = tok_at(d, q->c_start[0]);
        r->t1 = s1;
        r->n_spk = subjects(d, c, s0, r->spk, 4);
        r->used = 0;
        if (r->n_spk) n++;
    }
    return n;
}

static void events_sentence(nd__doc *d, uint32_t s, const quote_index *qi)
{
    uint32_t s0 = d->sent_t0[s], s1 = d->sent_t1[s];
    int32_t day = sentence_day(d, s);
    reported rep[8];
    int n_rep = reported_clauses(d, s, qi, rep, 8);
    size_t skip_until = 0; /* heads before this token belong to a coded event's object */
    size_t last_event_head = 0;
    int have_event = 0;
    for (size_t h = s0; h < s1; h++) {
        if (h < skip_until) continue;
        size_t e = h, tf = h + 1;
        const nd__vpat *vp = best_pattern(d, h, s1, &e, &tf);
        if (!vp || !vp->code[0]) continue;
        /* a head inside an actor mention is a name ("Free Tibet") */
        if (d->toks[h].mention >= 0) continue;
        /* "refused to condemn": the negation is coded at "condemn" */
        static const char *const neg_heads[] = {
            "refuse",    "refused", "refuses", "refusing", "decline", "declined", "declines",
            "declining", "fail",    "failed",  "fails",    "failing", NULL};
        if (nd__tok_in(d, h, neg_heads) && nd__tok_is(d, h + 1, "to")) continue;
        /* "thanked him for coming to Moscow": the gerund's subject is the
         * object before "for"; other gerunds after a preposition have none */
        static const char *const gprep[] = {"for",     "of",     "about",   "without", "from",
                                            "against", "toward", "towards", NULL};
        int32_t gsubj = -1;
        if (h > s0 + 1 && nd__tok_is(d, h - 1, "for") && ends_with(&d->toks[h], "ing")) {
            int32_t m = d->toks[h - 2].mention;
            if (m >= 0 && d->ments[m].t1 == h - 1 && !d->toks[h - 2].in_quote) {
                if (d->ments[m].actor < 0 && d->ments[m].pronoun) {
                    d->ments[m].actor = nd__resolve_pronoun(d, (size_t) m);
                }
                if (usable(d, m)) gsubj = m;
            }
        }
        if (gsubj < 0 && h > s0 && nd__tok_in(d, h - 1, gprep) && ends_with(&d->toks[h], "ing"))
            continue;
        /* "met with X to discuss Y": a purpose clause after an event of the
         * same clause is not another event */
        if (have_event && h > s0 && nd__tok_is(d, h - 1, "to") && h < last_event_head + 25) {
            int clause_break = 0;
            for (size_t k = last_event_head; k < h; k++)
                if (boundary(d, k)) clause_break = 1;
            if (!clause_break) continue;
        }
        const char *code = vp->code;
        /* "asked Obama to help Iran": an appeal for what the verb after
         * "to" would do (020 + 07 = 023) */
        if (!strcmp(code, "020") && vp->n_words && !strcmp(vp->words[vp->n_words - 1], "to") &&
            e + 1 < s1) {
            size_t e2, tf2;
            const nd__vpat *inner = best_pattern(d, e + 1, s1, &e2, &tf2);
            if (inner && inner->code[0]) {
                int r = (inner->code[0] - '0') * 10 + (inner->code[1] - '0');
                static const char *const appeal[] = {NULL,  "020", "020", "020", "026",
                                                     "022", "021", "023", "025", "020"};
                if (r >= 1 && r <= 9) code = appeal[r];
            }
        }
        int neg = negated_at(d, h, s0);
        int intent = intent_at(d, h, s0);
        if (intent) {
            const char *ic = intent_code(code, intent);
            if (ic) code = ic;
        }
        if (neg) {
            code = negate(code);
            if (!code) {
                h = e;
                continue;
            }
        }
        int noun = (vp->flags & ND__VF_NOUN) != 0;
        /* passive: "was released by Putin"; a reduced relative ("the men
         * jailed over the attack") has no subject of its own */
        size_t b = h;
        while (b > s0 && nd__tok_in(d, b - 1, advs) && !nd__tok_in(d, b - 1, be)) b--;
        int passive = !noun && b > s0 && nd__tok_in(d, b - 1, be) && participle(d, h);
        if (!noun && !passive && participle(d, h) && ends_with(&d->toks[h], "ed") && h > s0 &&
            (d->toks[h - 1].mention >= 0 || d->toks[h - 1].type == ND_TOK_WORD) &&
            !nd__tok_in(d, h - 1, advs) && e + 1 < s1) {
            static const char *const after[] = {"by",  "for",     "over",   "in",    "at",
                                                "on",  "after",   "during", "since", "last",
                                                "ago", "without", "under",  NULL};
            const nd__tok *pv = &d->toks[h - 1];
            int after_noun = pv->type == ND_TOK_WORD && !(pv->flags & ND_TOKF_CAP) &&
                             pv->mention < 0 && ends_with(pv, "s");
            if (nd__tok_in(d, e + 1, after) && (after_noun || pv->mention >= 0) &&
                !(vp->n_words > 0)) {
                if (nd__tok_is(d, e + 1, "by")) {
                    passive = 1;
                } else {
                    h = e;
                    continue;
                }
            }
        }
        int32_t subj[8];
        int ns = gsubj >= 0 ? (subj[0] = gsubj, 1) : subjects(d, h, s0, subj, 8);
        int32_t tgt = -1;
        size_t n_before = d->n_events;
        /* Force reported by a speaker is coded as the speaker's statement
         * (the CAMEO/PETRARCH convention): "The US claimed that ISIL had
         * attacked Iraq" is the US accusing ISIL (112); "... that they had
         * attacked Iraq", the US claiming responsibility (015). */
        int root = (code[0] - '0') * 10 + (code[1] - '0');
        reported *rp = NULL;
        for (int r = 0; r < n_rep && root >= 15 && !neg; r++)
            if (h >= rep[r].t0 && h < rep[r].t1) rp = &rep[r];
        if (rp && rp->used) {
            h = e;
            continue;
        }
        if (rp) {
            int32_t y = -1;
            int own = 0;
            rp->used = 1;
            /* a passive names the attacker after "by", or not at all */
            if (passive) {
                y = by_agent(d, e + 1, s1);
                for (int q = 0; y >= 0 && q < rp->n_spk; q++)
                    if (d->ments[y].actor == d->ments[rp->spk[q]].actor) own = 1;
            }
            for (size_t k = h; !passive && k-- > rp->t0;) {
                int32_t m = d->toks[k].mention;
                if (m < 0 || d->toks[k].in_quote) continue;
                if (d->ments[m].pronoun) {
                    own = d->ments[m].pronoun == 3 || d->ments[m].actor < 0;
                    for (int q = 0; q < rp->n_spk; q++)
                        if (d->ments[m].actor == d->ments[rp->spk[q]].actor) own = 1;
                    if (!own && d->ments[m].actor >= 0) y = m;
                    break;
                }
                if (!usable(d, m) || after_prep(d, &d->ments[m], rp->t0)) continue;
                y = m;
                for (int q = 0; q < rp->n_spk; q++)
                    if (d->ments[m].actor == d->ments[rp->spk[q]].actor) own = 1, y = -1;
                break;
            }
            int32_t t = own && !passive ? target_from(d, tf, s1, -1, 1) : -1;
            if (own && passive) t = -1;
            for (int q = 0; q < rp->n_spk; q++) {
                if (own && t >= 0) add_event(d, rp->spk[q], t, "015", s, h, e, 0, day);
                if (!own && y >= 0) add_event(d, rp->spk[q], y, "112", s, h, e, 0, day);
            }
            if (d->n_events > n_before) have_event = 1, last_event_head = h;
            h = e;
            continue;
        }
        if (passive) {
            int32_t agent = by_agent(d, e + 1, s1);
            if (agent >= 0 && ns > 0)
                for (int i = 0; i < ns; i++) add_event(d, agent, subj[i], code, s, h, e, neg, day);
            if (d->n_events > n_before) have_event = 1, last_event_head = h;
            h = e;
            continue;
        }
        if (ns == 0) {
            /* noun patterns: "talks between A and B" */
            if (noun) {
                int32_t a = target_from(d, tf, s1, -1, 0);
                if (a >= 0) {
                    int32_t bm = target_from(d, d->ments[a].t1, s1, d->ments[a].actor, 0);
                    if (bm >= 0) {
                        add_event(d, a, bm, code, s, h, e, neg, day);
                        if (vp->flags & ND__VF_SYM) add_event(d, bm, a, code, s, h, e, neg, day);
                    }
                }
            }
            h = e;
            continue;
        }
        int multi = ns >= 2 || d->ments[subj[0]].actor2 >= 0;
        if (multi && (vp->flags & ND__VF_SYM) && vp->target_at < 0) {
            /* "Brazil and the United States are seeking to deepen ...",
             * "the two leaders met": each toward the others */
            for (int i = 0; i < ns; i++)
                for (int j = 0; j < ns; j++)
                    if (i != j) add_event(d, subj[i], subj[j], code, s, h, e, neg, day);
            if (ns == 1) add_event(d, subj[0], subj[0], code, s, h, e, neg, day);
        } else {
            int32_t raw = target_from1(d, tf, s1, d->ments[subj[0]].actor, 1);
            /* "go to +": the target right after the preposition */
            if (raw >= 0 && vp->n_words && vp->target_at == vp->n_words &&
                d->ments[raw].t0 > tf + 3)
                raw = -1;
            /* without a "+" slot the target is the object: close to the
             * verb, with no other verb before it ("to help identify
             * victims killed by ...") */
            if (raw >= 0 && vp->target_at < 0) {
                size_t t0 = d->ments[raw].t0;
                if (t0 > tf + 6 && 0) raw = -1;
                for (size_t q = tf; raw >= 0 && q < t0 && 0; q++)
                    if (d->toks[q].mention < 0 && d->toks[q].type == ND_TOK_WORD &&
                        (nd__map_get(&d->dict->verb_map, d->toks[q].lower, d->toks[q].lower_len) !=
                             ND__NONE ||
                         nd__map_get(&d->dict->cue_map, d->toks[q].lower, d->toks[q].lower_len) !=
                             ND__NONE ||
                         ends_with(&d->toks[q], "ing")))
                        raw = -1;
            }
            tgt = raw >= 0 ? target_from(d, tf, s1, d->ments[subj[0]].actor, 1) : -1;
            if (tgt >= 0 && (vp->flags & ND__VF_PASSIVE)) {
                /* "came under pressure from X": X acts on the subject */
                for (int i = 0; i < ns; i++) add_event(d, tgt, subj[i], code, s, h, e, neg, day);
            } else if (tgt >= 0) {
                for (int i = 0; i < ns; i++) {
                    add_event(d, subj[i], tgt, code, s, h, e, neg, day);
                    if (vp->flags & ND__VF_SYM) add_event(d, tgt, subj[i], code, s, h, e, neg, day);
                }
                /* "X and Y", "X, Y and Z" as targets (a comma list must end
                 * with "and") */
                size_t k = d->ments[tgt].t1;
                int32_t list[8];
                int nl = 0, closed = 0;
                while (k + 1 < s1 && nl < 8 && (nd__tok_is(d, k, "and") || is_punct_c(d, k, ','))) {
                    int is_and = nd__tok_is(d, k, "and") || nd__tok_is(d, k + 1, "and");
                    size_t j = k + 1;
                    if (nd__tok_is(d, j, "and")) j++;
                    while (j < s1 && nd__tok_in(d, j, dets)) j++;
                    int32_t m = j < s1 ? d->toks[j].mention : -1;
                    if (m < 0 || !usable(d, m) || d->ments[m].t0 != j) break;
                    list[nl++] = m;
                    k = d->ments[m].t1;
                    if (is_and) {
                        closed = 1;
                        break;
                    }
                }
                for (int q = 0; closed && q < nl; q++)
                    for (int i = 0; i < ns; i++) {
                        add_event(d, subj[i], list[q], code, s, h, e, neg, day);
                        if (vp->flags & ND__VF_SYM)
                            add_event(d, list[q], subj[i], code, s, h, e, neg, day);
                    }
                if (!closed) k = d->ments[tgt].t1;
                /* the rest of the object phrase ("an Islamic State target
                 * southwest of Baghdad") holds no further event */
                while (
                    k < s1 && !boundary(d, k) && !is_punct_c(d, k, ',') &&
                    !nd__tok_is(d, k, "and") &&
                    !(nd__tok_is(d, k, "for") && k + 1 < s1 && ends_with(&d->toks[k + 1], "ing")))
                    k++;
                skip_until = k;
            } else if (multi && !(vp->flags & ND__VF_PASSIVE)) {
                for (int i = 0; i < ns; i++)
                    for (int j = 0; j < ns; j++)
                        if (i != j) add_event(d, subj[i], subj[j], code, s, h, e, neg, day);
                if (ns == 1) add_event(d, subj[0], subj[0], code, s, h, e, neg, day);
            }
        }
        if (d->n_events > n_before) have_event = 1, last_event_head = h;
        h = e;
    }
}

void nd__find_events(nd__doc *d)
{
    quote_index qi;
    qi.first = nd_arena_calloc(d->ar, d->n_sents + 2, sizeof *qi.first);
    qi.list = nd_arena_alloc(d->ar, (d->n_quotes + 1) * sizeof *qi.list);
    if (!qi.first || !qi.list) {
        d->failed = 1;
        return;
    }
    for (size_t i = 0; i < d->n_quotes; i++)
        if (d->quotes[i].sent < d->n_sents) qi.first[d->quotes[i].sent + 1]++;
    for (size_t s = 0; s < d->n_sents; s++) qi.first[s + 1] += qi.first[s];
    uint32_t *fill = nd_arena_alloc(d->ar, (d->n_sents + 1) * sizeof *fill);
    if (!fill) {
        d->failed = 1;
        return;
    }
    memcpy(fill, qi.first, (d->n_sents + 1) * sizeof *fill);
    for (size_t i = 0; i < d->n_quotes; i++)
        if (d->quotes[i].sent < d->n_sents) qi.list[fill[d->quotes[i].sent]++] = (uint32_t) i;
    for (uint32_t s = 0; s < d->n_sents && !d->failed; s++) events_sentence(d, s, &qi);
}
