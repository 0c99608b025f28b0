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
 *   number, syntactic role and recency (nd__resolve_pronoun).
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

static int gender_ok(const nd__dact *a, int pron)
{
    if (pron == 1) return a->gender != 'f';
    if (pron == 2) return a->gender != 'm';
    return 1;
}

int32_t nd__resolve_pronoun(nd__doc *d, size_t mi)
{
    nd__ment *m = &d->ments[mi];
    int pr = m->pronoun;
    uint32_t s = m->sent;
    if (pr == 3) {
        /* "they": a pair ("the two leaders") or a plural subject of this
         * or the previous sentence */
        for (size_t k = mi; k-- > 0;) {
            nd__ment *o = &d->ments[k];
            if (o->sent + 1 < s) break;
            if (o->actor < 0) continue;
            if (o->actor2 >= 0 && (o->subj || o->sent == s)) {
                m->actor2 = o->actor2;
                return o->actor;
            }
            if (o->person || d->acts[o->actor].kind == ND_ACTOR_PERSON) continue;
            if (!d->acts[o->actor].code[0]) continue;
            if (o->subj) return o->actor;
        }
        return -1;
    }
    if (pr != 1 && pr != 2) return -1;
    /* "him" is not the subject of its own clause */
    int32_t not_a = -1;
    if (m->obj)
        for (size_t k = mi; k-- > 0;) {
            nd__ment *o = &d->ments[k];
            if (o->sent != s) break;
            if (o->actor >= 0 && o->person && o->subj) not_a = o->actor;
        }
    /* 1. the subject of this sentence, before the pronoun ("him" never is) */
    for (size_t k = mi; !m->obj && k-- > 0;) {
        nd__ment *o = &d->ments[k];
        if (o->sent != s) break;
        if (o->actor < 0 || !o->person || !o->subj) continue;
        if (gender_ok(&d->acts[o->actor], pr) && !d->toks[o->t0].in_quote) return o->actor;
    }
    /* 2. the speaker of the last quotations */
    for (uint32_t b = 1; b <= 2 && b <= s; b++) {
        int32_t sp = d->sent_speaker ? d->sent_speaker[s - b] : -1;
        if (sp >= 0 && sp != not_a && d->acts[sp].kind == ND_ACTOR_PERSON &&
            gender_ok(&d->acts[sp], pr))
            return sp;
    }
    /* 3. the subject of the previous sentences */
    for (size_t k = mi; k-- > 0;) {
        nd__ment *o = &d->ments[k];
        if (o->sent + 3 < s) break;
        if (o->sent == s || o->actor < 0 || !o->person || !o->subj || o->actor == not_a) continue;
        if (d->toks[o->t0].in_quote) continue;
        if (gender_ok(&d->acts[o->actor], pr)) return o->actor;
    }
    /* 4. the latest person (not one named inside a quotation) */
    for (size_t k = mi; k-- > 0;) {
        nd__ment *o = &d->ments[k];
        if (o->sent + 5 < s) break;
        if (o->actor < 0 || !o->person || o->actor == not_a) continue;
        if (d->toks[o->t0].in_quote && !d->toks[m->t0].in_quote) continue;
        if (d->acts[o->actor].kind != ND_ACTOR_PERSON) continue;
        if (gender_ok(&d->acts[o->actor], pr)) return o->actor;
    }
    return -1;
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
