/* coref.c - coreference within one document: pronouns and definite
 * descriptions resolved to actors already seen.
 *
 * Names and offices are resolved when their mentions are made (actors.c:
 * "Mr Xi" by surname, "the Chinese leader" by office and country).  This
 * file resolves what needs the document around it:
 *
 * - definite descriptions of an institution with no country of their own
 *   ("the ministry", "the newspaper", "the company", "the army"): the one
 *   actor of that sector named in the last sentences ("Russia's foreign
 *   ministry", "The New York Post", "Halden Terminals Ltd");
 * - pronouns (he, she, him, his, her, they, them, their) by gender,
 *   number, syntactic role on the tree and recency (nd__resolve_pronoun);
 * - "it" as a speaker: the country, organisation or group that is the
 *   subject before it (nd__resolve_it).
 *
 * Everything is deterministic: the same text gives the same links.  The
 * result is the shared interface: d->ments[i].actor, read by quotations
 * (speakers) and events (sources and targets). */
#include "analyze/analyze_int.h"

#include <string.h>

/* ---- definite descriptions ---------------------------------------------------- */

/* How far back a description looks for its actor, in sentences. */
#define DESC_WINDOW 6

/* Last words of organisation names by the sector they name. */
static const char *const media_heads[] = {
    "times",     "post",     "news",    "journal", "herald",    "tribune",      "telegraph",
    "daily",     "gazette",  "radio",   "tv",      "channel",   "broadcasting", "television",
    "magazine",  "observer", "express", "mail",    "guardian",  "independent",  "chronicle",
    "reuters",   "press",    "agency",  "network", "newspaper", "bulletin",     "standard",
    "economist", "review",   NULL};
static const char *const business_heads[] = {
    "inc",     "inc.",       "corp",      "corp.",       "corporation", "ltd",    "ltd.",
    "llc",     "plc",        "co",        "co.",         "company",     "group",  "holdings",
    "motors",  "industries", "airlines",  "airways",     "bank",        "energy", "technologies",
    "systems", "partners",   "terminals", "enterprises", "ag",          "sa",     "gmbh",
    "limited", "pharma",     "foods",     "logistics",   "shipping",    NULL};
static const char *const government_heads[] = {
    "ministry", "department", "office",      "administration", "government",
    "cabinet",  "presidency", "secretariat", "directorate",    NULL};

static int word_in(const char *w, size_t n, const char *const *set)
{
    for (size_t i = 0; set[i]; i++)
        if (strlen(set[i]) == n && !strncmp(set[i], w, n)) return 1;
    return 0;
}

/* The sector of an organisation from the last word of its name ("The
 * New York Post" MED), or NULL. */
static const char *name_sector(const char *name)
{
    const char *sp = strrchr(name, ' ');
    const char *w = sp ? sp + 1 : name;
    char low[32];
    size_t n = 0;
    for (; w[n] && n + 1 < sizeof low; n++)
        low[n] = (char) (w[n] >= 'A' && w[n] <= 'Z' ? w[n] + 32 : w[n]);
    low[n] = 0;
    if (word_in(low, n, media_heads)) return "MED";
    if (word_in(low, n, business_heads)) return "BUS";
    if (word_in(low, n, government_heads)) return "GOV";
    return NULL;
}

/* The sector of an actor that a description may name: the agent part of
 * its code ("RUSGOV", "USAMED") or the head of an organisation's name;
 * NULL for persons, countries and actors with no sector. */
static const char *actor_sector(const nd__dact *a)
{
    if (a->kind == ND_ACTOR_PERSON || a->kind == ND_ACTOR_COUNTRY) return NULL;
    size_t n = strlen(a->code);
    if (n >= 6 && memcmp(a->code, "---", 3)) return a->code + n - 3;
    if (a->kind == ND_ACTOR_ORG && n == 3 && !strcmp(a->code, "MED")) return "MED";
    if (a->kind == ND_ACTOR_ORG) return name_sector(a->name);
    return NULL;
}

/* A definite description with no country: "the ministry", "the
 * company", "this newspaper" (singular; not "the officials"). */
static int is_description(const nd__doc *d, const nd__ment *m, const nd__dact *a)
{
    static const char *const defs[] = {"the", "this", "that", NULL};
    if (m->pronoun || m->actor2 >= 0 || m->how != ND_MENTION_ROLE) return 0;
    if (a->kind != ND_ACTOR_AGENT || strncmp(a->code, "---", 3)) return 0;
    if (m->t1 < m->t0 + 2 || !nd__tok_in(d, m->t0, defs)) return 0;
    const nd__tok *h = &d->toks[m->t1 - 1];
    if (!h->lower || h->lower_len < 3 || (h->flags & ND_TOKF_POSS)) return 0;
    /* a plural head ("the authorities", "the companies") names a group */
    if (h->lower[h->lower_len - 1] == 's' && h->lower[h->lower_len - 2] != 's') return 0;
    return 1;
}

void nd__coref_descriptions(nd__doc *d)
{
    for (size_t i = 0; i < d->n_ments; i++) {
        nd__ment *m = &d->ments[i];
        if (m->actor < 0) continue;
        nd__dact *a = &d->acts[m->actor];
        if (!is_description(d, m, a)) continue;
        const char *sector = a->code + 3;
        /* the one actor of that sector named recently: with two
         * candidates the description stays unresolved */
        int32_t found = -1;
        int ambiguous = 0;
        for (size_t k = i; k-- > 0;) {
            const nd__ment *o = &d->ments[k];
            if (o->sent + DESC_WINDOW < m->sent) break;
            if (o->actor < 0 || o->actor == m->actor || o->actor2 >= 0) continue;
            if (d->toks[o->t0].in_quote && !d->toks[m->t0].in_quote) continue;
            const char *s = actor_sector(&d->acts[o->actor]);
            if (!s || strcmp(s, sector)) continue;
            if (found < 0)
                found = o->actor;
            else if (found != o->actor)
                ambiguous = 1;
        }
        if (found < 0 || ambiguous) continue;
        a->n_mentions--;
        m->actor = found;
        d->acts[found].n_mentions++;
        d->acts[found].last_tok = m->t0;
        m->how = ND_MENTION_ROLE;
    }
}

/* ---- pronouns ------------------------------------------------------------------- */

/* How far back a pronoun looks for its actor, in sentences. */
#define PRON_WINDOW 3

static int gender_ok(const nd__dact *a, int pron)
{
    if (pron == 1) return a->gender != 'f';
    if (pron == 2) return a->gender != 'm';
    return 1;
}

/* The syntactic role of mention k on the tree: 3 the subject of its
 * sentence's main clause, 2 the subject of another clause, 1 anything
 * else; with no tree, the first mention of a clause counts as a subject. */
static int ment_role(const nd__doc *d, size_t k)
{
    if (!d->n_words) return d->ments[k].subj ? 3 : 1;
    int32_t h = nd__ment_head(d, k);
    if (h < 0) return d->ments[k].subj ? 3 : 1;
    if (d->words[h].rel != ND_DEP_NSUBJ) return 1;
    int32_t v = d->words[h].head;
    /* the root, or a verb joined to it ("X met Y and said") */
    while (v >= 0 && d->words[v].rel == ND_DEP_CONJ) v = d->words[v].head;
    return v >= 0 && d->words[v].head < 0 ? 3 : 2;
}

/* The verb whose subject or object word w is (its clause), or -1. */
static int32_t clause_of(const nd__doc *d, int32_t w)
{
    for (int steps = 0; w >= 0 && steps < 8; steps++) {
        int r = d->words[w].rel;
        int32_t h = d->words[w].head;
        if (r == ND_DEP_NSUBJ || r == ND_DEP_OBJ || r == ND_DEP_IOBJ || r == ND_DEP_OBL ||
            r == ND_DEP_NMOD)
            return h;
        if (r != ND_DEP_FLAT && r != ND_DEP_COMPOUND && r != ND_DEP_CONJ && r != ND_DEP_APPOS)
            return -1;
        w = h;
    }
    return -1;
}

/* Can the actor of mention o be what pronoun pr refers to? */
static int fits(const nd__doc *d, const nd__ment *o, int pr)
{
    if (o->actor < 0) return 0;
    const nd__dact *a = &d->acts[o->actor];
    if (pr == 3) {
        /* "they": a pair, a group, an institution, a country */
        if (o->actor2 >= 0) return 1;
        if (a->kind == ND_ACTOR_PERSON) return 0;
        return a->code[0] != 0;
    }
    return a->kind == ND_ACTOR_PERSON && o->actor2 < 0 && gender_ok(a, pr);
}

int32_t nd__resolve_pronoun(nd__doc *d, size_t mi)
{
    nd__ment *m = &d->ments[mi];
    int pr = m->pronoun;
    if (pr != 1 && pr != 2 && pr != 3) return -1;
    /* the pronouns before it first, in order: a chain of "he" carries its
     * actor ("he managed ..., he has convinced"); each is tried once */
    m->resolved = 1;
    size_t first = mi;
    while (first > 0 && d->ments[first - 1].sent + PRON_WINDOW >= m->sent) first--;
    for (size_t j = first; j < mi; j++) {
        nd__ment *o = &d->ments[j];
        if (!o->pronoun || o->resolved || o->actor >= 0 || d->toks[o->t0].in_quote) continue;
        int32_t x = nd__resolve_pronoun(d, j);
        if (x >= 0) {
            o->actor = x;
            d->acts[x].n_mentions++;
            if (o->actor2 >= 0) d->acts[o->actor2].n_mentions++;
        }
    }
    uint32_t s = m->sent;
    int in_q = d->toks[m->t0].in_quote;
    /* the pronoun's place on the tree: its clause, whether it is an object
     * ("him" is not the subject of its own clause) */
    int32_t pw = d->n_words ? nd__ment_head(d, mi) : -1;
    int32_t pclause = pw >= 0 ? clause_of(d, pw) : -1;
    int objective = m->obj;
    if (pw >= 0 && (d->words[pw].rel == ND_DEP_OBJ || d->words[pw].rel == ND_DEP_IOBJ ||
                    d->words[pw].rel == ND_DEP_OBL))
        objective = 1;
    /* candidates by salience: the sentence (this one, then back), the
     * role (the subject of a clause that holds the pronoun, the main
     * subject, another subject, anything else), then recency */
    int32_t best = -1, best2 = -1;
    int best_score = -1;
    for (size_t k = mi; k-- > 0;) {
        const nd__ment *o = &d->ments[k];
        if (o->sent + PRON_WINDOW < s) break;
        if (!fits(d, o, pr)) continue;
        /* a name inside a quotation is not what the narrative refers to */
        if (d->toks[o->t0].in_quote && !in_q) continue;
        int role = ment_role(d, k);
        int dist = (int) (s - o->sent);
        int score;
        if (dist == 0) {
            int32_t ow = d->n_words ? nd__ment_head(d, k) : -1;
            int32_t oclause = ow >= 0 ? clause_of(d, ow) : -1;
            /* binding: an object is not its own clause's subject */
            if (objective && role >= 2 && oclause >= 0 && oclause == pclause) continue;
            if (objective && !d->n_words && o->subj) continue;
            int dominates = role >= 2 && oclause >= 0 && pw >= 0 && nd__w_dominates(d, oclause, pw);
            score = dominates ? 100 : role >= 2 ? 90 : 80;
        } else {
            score = 70 - 20 * (dist - 1) + role * 5;
        }
        /* what a pronoun already names is the topic: it stays ("he managed
         * ..., as Trump had threatened, ... he has convinced") */
        if (o->pronoun) score += 5;
        if (score > best_score) {
            best_score = score, best = o->actor, best2 = o->actor2;
        }
    }
    /* the speaker of the previous sentence's quotation (a sentence that is
     * only a quotation has no subject of its own) */
    for (uint32_t b = 1; b <= 2 && b <= s && pr != 3; b++) {
        int32_t sp = d->sent_speaker ? d->sent_speaker[s - b] : -1;
        if (sp < 0 || d->acts[sp].kind != ND_ACTOR_PERSON || !gender_ok(&d->acts[sp], pr)) continue;
        int score = 70 - 20 * (int) (b - 1) + 3 * 5;
        if (score > best_score) best_score = score, best = sp, best2 = -1;
        break;
    }
    /* "X met Y. They said ...": the two people of the sentence before, when
     * nothing plural is nearer */
    if (pr == 3 && best2 < 0 && s > 0 && best_score < 85) {
        int32_t p1 = -1, p2 = -1;
        for (size_t k = mi; k-- > 0;) {
            const nd__ment *o = &d->ments[k];
            if (o->sent + 1 < s) break;
            if (o->sent != s - 1 || o->actor < 0 || o->actor2 >= 0 || d->toks[o->t0].in_quote ||
                d->acts[o->actor].kind != ND_ACTOR_PERSON)
                continue;
            /* the subject first, then the other */
            if (ment_role(d, k) == 3 && o->actor != p1) {
                if (p1 >= 0) p2 = p1;
                p1 = o->actor;
            } else if (p1 < 0) {
                p1 = o->actor;
            } else if (o->actor != p1 && p2 < 0) {
                p2 = o->actor;
            }
        }
        if (p1 >= 0 && p2 >= 0 && p1 != p2) best = p1, best2 = p2;
    }
    if (best >= 0 && best2 >= 0) m->actor2 = best2;
    return best;
}

void nd__coref_pronouns(nd__doc *d)
{
    for (size_t i = 0; !d->failed && i < d->n_ments; i++) {
        nd__ment *m = &d->ments[i];
        if (m->actor >= 0 || (m->pronoun != 1 && m->pronoun != 2)) continue;
        if (d->toks[m->t0].in_quote) continue;
        int32_t x = nd__resolve_pronoun(d, i);
        if (x >= 0) {
            m->actor = x;
            d->acts[x].n_mentions++;
        }
    }
}

/* ---- "it" ----------------------------------------------------------------------- */

/* The actor of the subject word s (through its mention), or -1. */
static int32_t subject_actor(const nd__doc *d, int32_t s)
{
    int32_t m = nd__w_ment(d, s);
    if (m < 0) {
        for (int32_t k = d->words[s].child; k >= 0 && m < 0; k = d->words[k].next)
            if (d->words[k].rel == ND_DEP_FLAT || d->words[k].rel == ND_DEP_COMPOUND)
                m = nd__w_ment(d, k);
    }
    return m >= 0 && d->ments[m].actor2 < 0 ? d->ments[m].actor : -1;
}

int32_t nd__resolve_it(nd__doc *d, int32_t w)
{
    if (!d->n_words || w < 0 || (size_t) w >= d->n_words) return -1;
    uint32_t s = d->words[w].sent;
    for (int depth = 0; depth < 4; depth++) {
        /* the nearest subject before it: in its own sentence one whose
         * clause holds it ("Russia says it wants"), else the main subject
         * of the sentences before */
        int32_t subj = -1;
        for (int32_t k = w - 1; k >= (int32_t) d->sent_w0[s] && subj < 0; k--)
            if (d->words[k].rel == ND_DEP_NSUBJ && d->words[k].head >= 0 &&
                nd__w_dominates(d, d->words[k].head, w))
                subj = k;
        for (uint32_t b = 1; subj < 0 && b <= 2 && b <= s; b++) {
            uint32_t ps = s - b;
            for (int32_t k = (int32_t) d->sent_w0[ps]; k < (int32_t) d->sent_w1[ps] && subj < 0;
                 k++) {
                int32_t h = d->words[k].head;
                if (d->words[k].rel == ND_DEP_NSUBJ && h >= 0 && d->words[h].head < 0) subj = k;
            }
        }
        if (subj < 0) return -1;
        if (d->words[subj].upos == ND_UPOS_PRON) {
            if (strcmp(d->words[subj].lemma, "it")) return -1;
            w = subj, s = d->words[w].sent; /* a chain of "it" */
            continue;
        }
        /* an actor that is not a person, or a thing ("the plan": none) */
        int32_t a = subject_actor(d, subj);
        if (a < 0 || d->acts[a].kind == ND_ACTOR_PERSON) return -1;
        return a;
    }
    return -1;
}
