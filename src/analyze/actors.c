/* actors.c - actor mentions and their resolution to document actors.
 *
 * Per sentence, tokens are first cut into chunks: dictionary phrases
 * (longest match, case as the dictionary writes it), personal titles ("Mr",
 * "Gen."), runs of capitalised words (unknown names) and pronouns.  Chunks
 * are then grouped into noun phrases,
 *
 *     [the] MODIFIER* ROLE/AGENT* [TITLE] NAME
 *     "Chinese President Xi Jinping", "Ukraine's foreign minister",
 *     "Kremlin spokesman Dmitry Peskov", "Russian troops", "Mr Xi"
 *
 * and each phrase becomes one mention of one document actor: a person (from
 * the people dictionary, with the role held on the article date; or an
 * unknown name, merged by surname with earlier mentions), an office with no
 * name (resolved to the person who held it when the dictionaries know),
 * an agent of a country ("Russian troops" = RUSMIL) or a country,
 * organisation, region or group.  Appositions ("Sergei Lavrov, Russia's
 * foreign minister,") join the two phrases.  Pronouns are resolved later
 * (nd__resolve_pronoun) by recency, subject position and the speaker of
 * the previous quotations. */
#include "analyze/analyze_int.h"

#include <stdio.h>
#include <string.h>

enum { CH_DICT = 1, CH_RUN, CH_TITLE, CH_PRON, CH_HYPH, CH_PAIR };

typedef struct chunk {
    uint32_t t0, t1;
    int kind;
    const nd__phrase *ph;     /* CH_DICT */
    const nd__phrase *ph2[4]; /* CH_HYPH: one phrase per part */
    int n_ph2;
    char gender;      /* CH_TITLE */
    char agent[8];    /* CH_TITLE: "MIL" for Gen., "LEG" for Sen. */
    int pron;         /* CH_PRON: 1 he, 2 she, 3 they */
    int obj;          /* CH_PRON: an object form ("him", "them") */
    int thing;        /* CH_RUN: a named thing, not a person: its nd_actor_kind
                         (ND_ACTOR_ORG, ND_ACTOR_PLACE or ND_ACTOR_OTHER) */
    int pair_persons; /* CH_PAIR: 1 "the two leaders", 0 "the two countries" */
} chunk;

/* Nouns of kinds of organisation that introduce one's name. */
static const char *const org_nouns[] = {
    "operator",    "company",      "firm",      "carrier",     "airline",      "bank",
    "retailer",    "maker",        "insurer",   "lender",      "developer",    "supplier",
    "broadcaster", "newspaper",    "publisher", "charity",     "organisation", "organization",
    "startup",     "conglomerate", "utility",   "giant",       "group",        "manufacturer",
    "producer",    "exporter",     "importer",  "shipper",     "automaker",    "carmaker",
    "chipmaker",   "miner",        "refiner",   "distributor", "subsidiary",   "owner",
    NULL};

/* Last words of capitalised names that are not people, by what they
 * name.  An organisation ("the Labour Party", "Halden Terminals Ltd"): */
static const char org_heads[] =
    " party committee council department ministry university agency court institute "
    "times news post network company corp corp. inc inc. group bank forces force army "
    "navy union association foundation college office service services club league guard "
    "command corps fund board commission authority administration movement front "
    "alliance coalition organization organisation institution journal magazine channel "
    "radio television tv press media daily weekly herald tribune telegraph observer lab "
    "labs technologies systems motors energy airline airlines airways group's ltd ltd. "
    "llc plc senate congress parliament assembly cabinet caucus exchange brigade "
    "battalion regiment division federation confederation society trust partners "
    "holdings industries bureau secretariat directorate police tribunal conference's ";
/* A place ("Tiananmen Square", "the Red Sea", "Kyiv Oblast"): */
static const char place_heads[] =
    " street road avenue square city state province region island islands sea ocean "
    "river mountains mountain valley airport station hall stadium palace temple mosque "
    "church cathedral strait gulf bay peninsula county district center centre hospital "
    "school museum building tower bridge port harbour harbor lake desert coast oblast "
    "park plaza base camp prison border crossing corridor zone territory territories "
    "heights hills canal field fields ";
/* Anything else a name can head: an event, a law, a document, a prize
 * ("World War", "the Peace Agreement", "the Marshall Plan"): */
static const char other_heads[] =
    " war wars games olympics day act bill treaty summit conference program programme "
    "initiative project plan agreement accord accords deal festival awards award prize "
    "cup championship championships report reports index market show online review "
    "studies research declaration protocol doctrine convention charter constitution "
    "resolution ceasefire truce talks forum crisis revolution uprising offensive "
    "operation campaign election elections referendum strategy policy law code order "
    "memorandum framework pact partnership strategy week year month era age massacre "
    "attack attacks bombing crash disaster storm hurricane earthquake pandemic virus "
    "doctrine dialogue process tour race match final finals series trophy medal gallery "
    "exhibition book film ";
/* ---- small helpers -------------------------------------------------------- */

int nd__tok_is(const nd__doc *d, size_t i, const char *lower)
{
    return i < d->n_toks && d->toks[i].lower && !strcmp(d->toks[i].lower, lower);
}

/* Is token i a comma? */
static int is_comma(const nd__doc *d, size_t i)
{
    return i < d->n_toks && d->toks[i].type == ND_TOK_PUNCT && d->text[d->toks[i].off] == ',';
}

int nd__tok_in(const nd__doc *d, size_t i, const char *const *set)
{
    if (i >= d->n_toks || !d->toks[i].lower) return 0;
    return nd__str_in(d->toks[i].lower, set);
}

static int in_set(const char *w, const char *const *set)
{
    return nd__str_in(w, set);
}

/* A roman numeral of a name ("II", "IV", "XVI"). */
static int is_roman(const nd__doc *d, uint32_t i)
{
    const nd__tok *t = &d->toks[i];
    if (t->type != ND_TOK_WORD || t->len > 6) return 0;
    for (uint32_t k = 0; k < t->len; k++)
        if (!strchr("IVXLC", d->text[t->off + k])) return 0;
    return 1;
}

/* The kind a head noun gives a capitalised name, or 0 (a person's name,
 * as far as the noun tells). */
static int head_kind(const char *lower)
{
    if (!lower || !*lower || strlen(lower) > 40 || strchr(lower, ' ')) return 0;
    char key[44];
    snprintf(key, sizeof key, " %s ", lower);
    if (strstr(org_heads, key)) return ND_ACTOR_ORG;
    if (strstr(place_heads, key)) return ND_ACTOR_PLACE;
    if (strstr(other_heads, key)) return ND_ACTOR_OTHER;
    return 0;
}

static int is_word(const nd__tok *t)
{
    return t->type == ND_TOK_WORD;
}

/* Capitalised words that are not names. */
static const char *const not_names[] = {
    "the",       "a",          "an",        "in",        "on",
    "at",        "for",        "but",       "and",       "or",
    "if",        "when",       "while",     "after",     "before",
    "as",        "this",       "that",      "these",     "those",
    "it",        "its",        "he",        "she",       "they",
    "we",        "i",          "you",       "his",       "her",
    "their",     "our",        "my",        "your",      "there",
    "here",      "what",       "why",       "how",       "who",
    "where",     "which",      "monday",    "tuesday",   "wednesday",
    "thursday",  "friday",     "saturday",  "sunday",    "january",
    "february",  "march",      "april",     "may",       "june",
    "july",      "august",     "september", "october",   "november",
    "december",  "yesterday",  "today",     "tomorrow",  "last",
    "next",      "meanwhile",  "however",   "according", "also",
    "still",     "some",       "many",      "more",      "most",
    "both",      "all",        "such",      "other",     "another",
    "each",      "every",      "no",        "not",       "yes",
    "so",        "then",       "now",       "even",      "just",
    "only",      "since",      "although",  "though",    "despite",
    "during",    "under",      "over",      "between",   "among",
    "through",   "from",       "to",        "of",        "by",
    "with",      "without",    "about",     "against",   "into",
    "upon",      "within",     "one",       "two",       "three",
    "four",      "five",       "several",   "once",      "already",
    "later",     "earlier",    "first",     "second",    "third",
    "instead",   "asked",      "read",      "related",   "advertisement",
    "photo",     "video",      "image",     "getty",     "images",
    "ap",        "reuters",    "file",      "update",    "breaking",
    "live",      "watch",      "opinion",   "analysis",  "editor",
    "note",      "click",      "share",     "comment",   "comments",
    "subscribe", "sign",       "follow",    "do",        "does",
    "did",       "is",         "are",       "was",       "were",
    "be",        "been",       "has",       "have",      "had",
    "will",      "would",      "can",       "could",     "should",
    "may",       "might",      "must",      "let",       "please",
    "thank",     "thanks",     "well",      "oh",        "yeah",
    "okay",      "ok",         "mr",        "mrs",       "ms",
    "dr",        "after",      "because",   "unlike",    "like",
    "until",     "unless",     "whether",   "where",     "whose",
    "whom",      "any",        "few",       "nothing",   "everything",
    "something", "anything",   "everyone",  "someone",   "anyone",
    "nobody",    "people",     "just",      "very",      "much",
    "too",       "again",      "almost",    "never",     "always",
    "perhaps",   "maybe",      "indeed",    "yet",       "though",
    "overall",   "finally",    "first",     "here",      "new",
    "old",       "big",        "best",      "good",      "great",
    "top",       "why",        "how",       "inside",    "outside",
    "around",    "toward",     "towards",   "across",    "behind",
    "beyond",    "near",       "off",       "out",       "up",
    "down",      "back",       "away",      "now",       "already",
    "ahead",     "amid",       "via",       "per",       "whatever",
    "whoever",   "mostly",     "partly",    "largely",   "recently",
    "currently", "previously", NULL};

/* Personal titles: gender and implied agent. */
static int title_of(const nd__doc *d, size_t i, char *gender, char *agent)
{
    static const struct {
        const char *w;
        char g;
        const char *agent;
    } t[] = {{"mr", 'm', ""},
             {"mrs", 'f', ""},
             {"ms", 'f', ""},
             {"miss", 'f', ""},
             {"dr", 0, ""},
             {"sir", 'm', ""},
             {"dame", 'f', ""},
             {"lord", 'm', ""},
             {"lady", 'f', ""},
             {"gen", 0, "MIL"},
             {"lt", 0, "MIL"},
             {"col", 0, "MIL"},
             {"maj", 0, "MIL"},
             {"capt", 0, "MIL"},
             {"adm", 0, "MIL"},
             {"sgt", 0, "MIL"},
             {"brig", 0, "MIL"},
             {"prof", 0, "EDU"},
             {"rev", 0, "REL"},
             {"fr", 'm', "REL"},
             {"sen", 0, "LEG"},
             {"sens", 0, "LEG"},
             {"rep", 0, "LEG"},
             {"reps", 0, "LEG"},
             {"gov", 0, "GOV"},
             {"sheikh", 'm', ""},
             {"ayatollah", 'm', "REL"},
             {"imam", 'm', "REL"},
             {"prince", 'm', "GOV"},
             {"princess", 'f', "GOV"},
             {"cardinal", 'm', "REL"},
             {"archbishop", 'm', "REL"},
             {"bishop", 'm', "REL"},
             {"messrs", 'm', ""},
             {"madam", 'f', ""},
             {"mme", 'f', ""},
             {"m", 'm', ""}};
    const nd__tok *k = &d->toks[i];
    if (!is_word(k) || !(k->flags & ND_TOKF_CAP) || !k->lower) return 0;
    char w[16];
    size_t n = k->lower_len;
    if (n >= sizeof w) return 0;
    memcpy(w, k->lower, n);
    w[n] = 0;
    if (n && w[n - 1] == '.') w[--n] = 0;
    /* "M." only as "M. Macron"-style with the period */
    for (size_t j = 0; j < sizeof t / sizeof *t; j++) {
        if (t[j].w[0] != w[0] || strcmp(w, t[j].w)) continue;
        if (!strcmp(w, "m") && !(k->flags & ND_TOKF_ABBREV)) return 0;
        *gender = t[j].g;
        snprintf(agent, 8, "%s", t[j].agent);
        return 1;
    }
    return 0;
}

static int pronoun_of(const char *w)
{
    if (w[0] != 'h' && w[0] != 's' && w[0] != 't') return 0;
    if (!strcmp(w, "he") || !strcmp(w, "him") || !strcmp(w, "his") || !strcmp(w, "himself"))
        return 1;
    if (!strcmp(w, "she") || !strcmp(w, "her") || !strcmp(w, "herself")) return 2;
    if (!strcmp(w, "they") || !strcmp(w, "them") || !strcmp(w, "their")) return 3;
    return 0;
}

/* Does token i satisfy the case requirement? */
static int case_ok(const nd__tok *t, uint8_t req)
{
    if (req == ND__CASE_ANY) return 1;
    if (req == ND__CASE_ALLCAPS) return (t->flags & ND_TOKF_ALLCAPS) != 0;
    return (t->flags & (ND_TOKF_CAP | ND_TOKF_ALLCAPS)) != 0;
}

/* Longest dictionary phrase at token i (not past t_end).  Returns its
 * length in tokens (0 = none) and the phrase. */
static int dict_match(const nd__doc *d, size_t i, size_t t_end, const nd__phrase **out)
{
    const nd_analyze_dict *dict = d->dict;
    char key[ND__MAX_PHRASE * (ND__MAX_WORD + 1) + 8];
    size_t kl = 0;
    int best = 0;
    int maxp = dict->max_phrase < ND__MAX_PHRASE ? dict->max_phrase : ND__MAX_PHRASE;
    for (int L = 1; L <= maxp && i + (size_t) L <= t_end; L++) {
        const nd__tok *t = &d->toks[i + (size_t) L - 1];
        if (!t->lower || !t->lower_len) break;
        if (L > 1) key[kl++] = ' ';
        /* The lowercased form drops a possessive 's: phrases match "Russia's". */
        memcpy(key + kl, t->lower, t->lower_len);
        kl += t->lower_len;
        uint32_t v = nd__map_get(&dict->phrase_map, key, kl);
        if (v == ND__NONE) break;
        if (v != ND__PREFIX) {
            /* among phrases of this length, a name before an adjective
             * ("Islamic State", "US" are both) */
            const nd__phrase *pick = NULL;
            for (uint32_t p = v; p != ND__NONE; p = dict->phrases[p].next) {
                const nd__phrase *ph = &dict->phrases[p];
                if (ph->ntok != L) continue;
                int ok = 1;
                for (int k = 0; k < L && ok; k++)
                    ok = case_ok(&d->toks[i + (size_t) k], ph->caseq[k]);
                if (!ok) continue;
                if (!pick || (ph->how == ND__PH_NAME && pick->how != ND__PH_NAME)) pick = ph;
            }
            if (pick) {
                best = L;
                *out = pick;
            }
        }
        /* A possessive ends a phrase. */
        if (t->flags & ND_TOKF_POSS) break;
    }
    return best;
}

/* "Russian-Chinese", "US-Russia": every part an actor of the dictionary. */
static int hyphen_match(const nd__doc *d, size_t i, chunk *c)
{
    const nd__tok *t = &d->toks[i];
    if (!(t->flags & ND_TOKF_HYPHEN) || !t->lower) return 0;
    const char *s = t->lower;
    int n = 0;
    while (*s && n < 4) {
        const char *h = strchr(s, '-');
        size_t l = h ? (size_t) (h - s) : strlen(s);
        if (!l) return 0;
        uint32_t v = nd__map_get(&d->dict->phrase_map, s, l);
        if (v == ND__NONE || v == ND__PREFIX) return 0;
        const nd__phrase *ph = NULL;
        for (uint32_t p = v; p != ND__NONE; p = d->dict->phrases[p].next)
            if (d->dict->phrases[p].ntok == 1) {
                ph = &d->dict->phrases[p];
                break;
            }
        if (!ph) return 0;
        const nd__entity *e = &d->dict->ents[ph->entity];
        if (e->kind == ND_ACTOR_AGENT || e->kind == ND_ACTOR_PERSON || ph->how == ND__PH_ROLE)
            return 0;
        c->ph2[n++] = ph;
        if (!h) break;
        s = h + 1;
    }
    if (n < 2 || *s == 0 || strchr(s, '-')) {
        if (n < 2) return 0;
    }
    c->n_ph2 = n;
    return 1;
}

/* ---- document actors --------------------------------------------------------- */

const char *nd__code_country(const char *code, char out[8])
{
    out[0] = 0;
    if (!code || strlen(code) < 3 || !memcmp(code, "---", 3)) return NULL;
    if (!memcmp(code, "IGO", 3) || !memcmp(code, "NGO", 3) || !memcmp(code, "IMG", 3)) {
        snprintf(out, 8, "%.3s", code);
        return out;
    }
    snprintf(out, 8, "%.3s", code);
    return out;
}

int32_t nd__actor_add(nd__doc *d, const char *name, const char *code, int kind, int dict_ent)
{
    if (d->n_acts == d->cap_acts) {
        size_t nc = d->cap_acts ? d->cap_acts * 2 : 64;
        nd__dact *q = nd_arena_alloc(d->ar, nc * sizeof *q);
        if (!q) {
            d->failed = 1;
            return -1;
        }
        if (d->n_acts) memcpy(q, d->acts, d->n_acts * sizeof *q);
        d->acts = q, d->cap_acts = nc;
    }
    nd__dact *a = &d->acts[d->n_acts];
    memset(a, 0, sizeof *a);
    a->name = nd_arena_strndup(d->ar, name, strlen(name));
    if (!a->name) {
        d->failed = 1;
        return -1;
    }
    snprintf(a->code, sizeof a->code, "%s", code ? code : "");
    nd__code_country(a->code, a->country);
    a->kind = kind;
    a->dict_ent = dict_ent;
    a->in_dict = dict_ent >= 0;
    a->first_mention = -1;
    if (dict_ent >= 0) a->gender = d->dict->ents[dict_ent].gender;
    if (kind == ND_ACTOR_PERSON) {
        const char *sp = strrchr(a->name, ' ');
        const char *sn = sp ? sp + 1 : a->name;
        /* "Ferdinand Marcos Jr.": the surname is before the suffix. */
        if (sp && (!strcmp(sn, "Jr.") || !strcmp(sn, "Jr") || !strcmp(sn, "Sr.") ||
                   !strcmp(sn, "II") || !strcmp(sn, "III"))) {
            const char *p = sp;
            while (p > a->name && p[-1] != ' ') p--;
            char tmp[128];
            snprintf(tmp, sizeof tmp, "%.*s", (int) (sp - p), p);
            sn = nd_arena_strndup(d->ar, tmp, strlen(tmp));
        }
        if (sn) {
            char low[128];
            size_t k = 0;
            for (; sn[k] && k + 1 < sizeof low; k++)
                low[k] = (char) (sn[k] >= 'A' && sn[k] <= 'Z' ? sn[k] + 32 : sn[k]);
            low[k] = 0;
            a->surname = nd_arena_strndup(d->ar, low, k);
        }
    }
    return (int32_t) d->n_acts++;
}

/* ---- an index of the document's actors ------------------------------------ */

/* Lookups by dictionary entity, name and surname go through hash chains
 * instead of a scan of every actor, so that a page naming thousands of
 * actors is not quadratic.  Actors are only appended and their name,
 * surname, kind and entity never change, so the index is brought up to
 * date at each lookup (the actors added since), and a lookup returns what
 * the scan returned: among the matches, the first actor (or the latest
 * mentioned, for people). */
enum { IX_DICT, IX_NAME, IX_SURNAME, IX_KINDS };
typedef struct nd__actor_ix {
    uint32_t nb;             /* buckets per kind, a power of two */
    int32_t *head[IX_KINDS]; /* nb chain heads per kind, -1 = empty */
    int32_t *next[IX_KINDS]; /* per actor */
    const char **lname;      /* per actor: its name lowercased (as person_by_name compares) */
    size_t n, cap;           /* actors indexed, room in next/lname */
} nd__actor_ix;

/* Lowercase ASCII copy of s into out (at most 127 bytes). */
static void lower127(const char *s, char out[128])
{
    size_t k = 0;
    for (; s[k] && k + 1 < 128; k++)
        out[k] = (char) (s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
    out[k] = 0;
}

static uint32_t ix_hash(const nd__actor_ix *x, const char *s)
{
    return (uint32_t) nd_hash64(s, strlen(s)) & (x->nb - 1);
}

static void ix_link(nd__actor_ix *x, int kind, uint32_t b, size_t i)
{
    x->next[kind][i] = x->head[kind][b];
    x->head[kind][b] = (int32_t) i;
}

static void ix_insert(nd__doc *d, nd__actor_ix *x, size_t i)
{
    const nd__dact *a = &d->acts[i];
    if (a->dict_ent >= 0) ix_link(x, IX_DICT, (uint32_t) a->dict_ent & (x->nb - 1), i);
    ix_link(x, IX_NAME, ix_hash(x, x->lname[i]), i);
    if (a->surname) ix_link(x, IX_SURNAME, ix_hash(x, a->surname), i);
}

/* The index, up to date with d->acts; NULL when out of memory (d->failed). */
static nd__actor_ix *actor_ix(nd__doc *d)
{
    nd__actor_ix *x = d->actor_ix;
    if (!x) {
        x = d->actor_ix = nd_arena_calloc(d->ar, 1, sizeof *x);
        if (!x) goto fail;
    }
    if (x->n == d->n_acts && x->cap) return x;
    if (d->n_acts > x->cap || !x->cap) {
        size_t nc = x->cap ? x->cap : 64;
        while (nc < d->n_acts) nc *= 2;
        const char **ln = nd_arena_alloc(d->ar, nc * sizeof *ln);
        if (!ln) goto fail;
        if (x->n) memcpy(ln, x->lname, x->n * sizeof *ln);
        x->lname = ln;
        for (int k = 0; k < IX_KINDS; k++) {
            x->next[k] = nd_arena_alloc(d->ar, nc * sizeof *x->next[k]);
            x->head[k] = nd_arena_alloc(d->ar, nc * sizeof *x->head[k]);
            if (!x->next[k] || !x->head[k]) goto fail;
            for (size_t b = 0; b < nc; b++) x->head[k][b] = -1;
        }
        x->cap = nc, x->nb = (uint32_t) nc;
        for (size_t i = 0; i < x->n; i++) ix_insert(d, x, i); /* rehash */
    }
    for (; x->n < d->n_acts; x->n++) {
        char low[128];
        lower127(d->acts[x->n].name, low);
        x->lname[x->n] = nd_arena_strndup(d->ar, low, strlen(low));
        if (!x->lname[x->n]) goto fail;
        ix_insert(d, x, x->n);
    }
    return x;
fail:
    d->failed = 1;
    d->actor_ix = NULL;
    return NULL;
}

static int32_t actor_by_dict(nd__doc *d, uint32_t ent)
{
    nd__actor_ix *x = actor_ix(d);
    int32_t best = -1;
    for (int32_t i = x ? x->head[IX_DICT][ent & (x->nb - 1)] : -1; i >= 0; i = x->next[IX_DICT][i])
        if (d->acts[i].dict_ent == (int32_t) ent && d->acts[i].plain && (best < 0 || i < best))
            best = i;
    return best;
}

/* The document actor of a dictionary entity, made on first use. */
static int32_t plain_actor(nd__doc *d, uint32_t ent, const char *code)
{
    int32_t a = actor_by_dict(d, ent);
    if (a >= 0) return a;
    const nd__entity *e = &d->dict->ents[ent];
    a = nd__actor_add(d, e->name, code ? code : e->code, e->kind, (int) ent);
    if (a >= 0) d->acts[a].plain = 1;
    return a;
}

static int32_t actor_by_code_name(nd__doc *d, const char *code, const char *name)
{
    nd__actor_ix *x = actor_ix(d);
    if (!x) return -1;
    char low[128];
    lower127(name, low);
    int32_t best = -1;
    for (int32_t i = x->head[IX_NAME][ix_hash(x, low)]; i >= 0; i = x->next[IX_NAME][i])
        if (!strcmp(d->acts[i].code, code) && !strcmp(d->acts[i].name, name) &&
            (best < 0 || i < best))
            best = i;
    return best;
}

/* The role a dictionary person held on the article date (or holds now
 * when the date is unknown); key restricts to one role key. */
static const nd__role *role_at(const nd__doc *d, uint32_t ent, const char *key)
{
    const nd_analyze_dict *dict = d->dict;
    const nd__entity *e = &dict->ents[ent];
    const nd__role *best = NULL;
    char kk[64];
    if (key) snprintf(kk, sizeof kk, ",%s,", key);
    for (uint32_t r = 0; r < e->n_roles; r++) {
        const nd__role *ro = &dict->roles[e->first_role + r];
        if (key && !strstr(ro->keys, kk)) continue;
        if (d->day != ND__DAY_MIN) {
            if (ro->from <= d->day && d->day < ro->to) best = ro;
        } else {
            if (ro->to == ND__DAY_MAX) return ro;
            if (!best || ro->to > best->to) best = ro;
        }
    }
    return best;
}

/* The code of a dictionary person on the article date. */
static void person_code(const nd__doc *d, uint32_t ent, char *out, size_t cap)
{
    const nd__entity *e = &d->dict->ents[ent];
    const nd__role *r = role_at(d, ent, NULL);
    if (r) {
        snprintf(out, cap, "%s", r->code);
        return;
    }
    if (e->n_roles && d->day != ND__DAY_MIN) {
        /* Out of office on that date: a former official (ELI) after the
         * last role, the bare country before the first. */
        const nd__role *last = NULL, *first = NULL;
        for (uint32_t k = 0; k < e->n_roles; k++) {
            const nd__role *ro = &d->dict->roles[e->first_role + k];
            if (ro->to <= d->day && (!last || ro->to > last->to)) last = ro;
            if (!first || ro->from < first->from) first = ro;
        }
        if (last)
            snprintf(out, cap, "%.3sELI", last->code);
        else
            snprintf(out, cap, "%.3s", first ? first->code : e->code);
        return;
    }
    snprintf(out, cap, "%s", e->code);
}

/* A dictionary person who held role key for country on the date. */
static int32_t office_holder(const nd__doc *d, const char *country, const char *key)
{
    const nd_analyze_dict *dict = d->dict;
    for (size_t i = 0; i < dict->n_ents; i++) {
        const nd__entity *e = &dict->ents[i];
        if (e->kind != ND_ACTOR_PERSON || !e->n_roles) continue;
        const nd__role *r = role_at(d, (uint32_t) i, key);
        if (!r) continue;
        if (country && strncmp(r->code, country, strlen(country))) continue;
        if (d->day == ND__DAY_MIN && r->to != ND__DAY_MAX) continue;
        return (int32_t) i;
    }
    return -1;
}

/* ---- mentions ------------------------------------------------------------------ */

static int32_t add_ment(nd__doc *d, uint32_t t0, uint32_t t1, int32_t actor, int how)
{
    if (d->n_ments == d->cap_ments) {
        size_t nc = d->cap_ments ? d->cap_ments * 2 : 128;
        nd__ment *q = nd_arena_alloc(d->ar, nc * sizeof *q);
        if (!q) {
            d->failed = 1;
            return -1;
        }
        if (d->n_ments) memcpy(q, d->ments, d->n_ments * sizeof *q);
        d->ments = q, d->cap_ments = nc;
    }
    nd__ment *m = &d->ments[d->n_ments];
    memset(m, 0, sizeof *m);
    m->t0 = t0, m->t1 = t1;
    m->start = d->toks[t0].off;
    const nd__tok *last = &d->toks[t1 - 1];
    m->end = last->off + last->len;
    m->actor = actor;
    m->actor2 = -1;
    m->how = (uint8_t) how;
    m->sent = d->toks[t0].sent;
    m->poss = (last->flags & ND_TOKF_POSS) != 0;
    for (uint32_t k = t0; k < t1; k++)
        if (d->toks[k].mention < 0) d->toks[k].mention = (int32_t) d->n_ments;
    if (actor >= 0) {
        d->acts[actor].n_mentions++;
        d->acts[actor].last_tok = t0;
        if (d->acts[actor].first_mention < 0) d->acts[actor].first_mention = (int32_t) d->n_ments;
        m->person = d->acts[actor].kind == ND_ACTOR_PERSON;
    }
    return (int32_t) d->n_ments++;
}

int32_t nd__ment_at(const nd__doc *d, size_t i)
{
    if (i >= d->n_toks) return -1;
    int32_t m = d->toks[i].mention;
    if (m >= 0 && d->ments[m].t0 == i) return m;
    return -1;
}

/* Text of tokens [t0, t1) as written (one space between tokens that had
 * white space between them). */
static const char *span_text(nd__doc *d, uint32_t t0, uint32_t t1, char *buf, size_t cap)
{
    size_t o = 0;
    for (uint32_t k = t0; k < t1 && o + 2 < cap; k++) {
        const nd__tok *t = &d->toks[k];
        if (k > t0 && d->toks[k - 1].off + d->toks[k - 1].len < t->off) buf[o++] = ' ';
        size_t l = t->len;
        /* drop a possessive 's / ’s at the end of the phrase */
        if (k + 1 == t1 && (t->flags & ND_TOKF_POSS)) {
            const char *p = d->text + t->off;
            if (l >= 2 && p[l - 2] == '\'')
                l -= 2;
            else if (l >= 4)
                l -= 4;
        }
        if (o + l + 1 >= cap) l = cap - o - 1;
        memcpy(buf + o, d->text + t->off, l);
        o += l;
    }
    buf[o] = 0;
    return buf;
}

/* The modifier's adjective for agent names ("Russian military"). */
static const char *ent_adj(const nd_analyze_dict *dict, uint32_t ent)
{
    for (size_t p = 0; p < dict->n_phrases; p++)
        if (dict->phrases[p].entity == ent && dict->phrases[p].how == ND__PH_ADJ) return NULL;
    return NULL;
}

/* Find an earlier person of the document by surname or full name. */
static int32_t person_by_name(nd__doc *d, const char *name, int single)
{
    char low[128];
    lower127(name, low);
    nd__actor_ix *x = actor_ix(d);
    if (!x) return -1;
    int32_t best = -1;
    /* candidates: the people with this full name, and with this surname
     * (the whole of low when single, its last word otherwise) */
    const char *ls = strrchr(low, ' ');
    const char *skey = single ? low : ls ? ls + 1 : NULL;
    for (int pass = 0; pass < 2; pass++) {
        int kind = pass ? IX_SURNAME : IX_NAME;
        const char *key = pass ? skey : single ? NULL : low;
        if (!key) continue;
        for (int32_t i = x->head[kind][ix_hash(x, key)]; i >= 0; i = x->next[kind][i]) {
            const nd__dact *a = &d->acts[i];
            if (a->kind != ND_ACTOR_PERSON) continue;
            int hit = 0;
            if (single) {
                hit = a->surname && !strcmp(a->surname, low);
            } else {
                /* same full name, or same first and last word */
                const char *al = x->lname[i];
                hit = !strcmp(al, low);
                if (!hit && a->surname) {
                    const char *as = strchr(al, ' ');
                    if (ls && as && !strcmp(ls + 1, a->surname) &&
                        !strncmp(al, low, (size_t) (as - al)) && low[as - al] == ' ')
                        hit = 1;
                }
            }
            /* the latest mentioned; on a tie the first, as a scan in order */
            if (hit && (best < 0 || a->last_tok > d->acts[best].last_tok ||
                        (a->last_tok == d->acts[best].last_tok && i < best)))
                best = i;
        }
    }
    return best;
}

static int is_role_ph(const nd__phrase *p)
{
    return p && p->how == ND__PH_ROLE;
}

static int is_agent_ph(const nd__phrase *p)
{
    return p && p->how == ND__PH_AGENT;
}

static int is_person_ph(const nd_analyze_dict *dict, const nd__phrase *p)
{
    return p && dict->ents[p->entity].kind == ND_ACTOR_PERSON && p->how == ND__PH_NAME;
}

static int is_mod_ph(const nd_analyze_dict *dict, const nd__phrase *p)
{
    if (!p || p->how == ND__PH_ROLE || p->how == ND__PH_AGENT) return 0;
    int k = dict->ents[p->entity].kind;
    return k != ND_ACTOR_PERSON && k != ND_ACTOR_AGENT;
}

/* Words that may sit inside a role phrase ("a senior Chinese official",
 * "Ukraine's top diplomat"). */
static const char *const role_fillers[] = {
    "senior",     "top",       "chief",        "former",    "deputy",    "acting",
    "outgoing",   "incoming",  "new",          "powerful",  "veteran",   "longtime",
    "interim",    "caretaker", "hardline",     "leading",   "prominent", "local",
    "regional",   "federal",   "national",     "assistant", "vice",      "then",
    "first",      "under",     "associate",    "principal", "lead",      "special",
    "provincial", "municipal", "high-ranking", "unnamed",   "anonymous", "two",
    "three",      "several",   "some",         "many",      "other",     "his",
    "her",        "its",       "their",        "own",       NULL};

static const char *const determiners[] = {"the", "a",   "an",  "this",  "that",
                                          "its", "his", "her", "their", NULL};

typedef struct np {
    int c0, c1;      /* chunk range */
    uint32_t t0, t1; /* token range */
    const nd__phrase *mod;
    const nd__phrase *role;
    const nd__phrase *agent;
    const chunk *name; /* CH_RUN or CH_DICT person */
    const chunk *title;
    int det;
} np;

/* Register a mention for a noun phrase; returns the actor. */

/* The agent entity of a sector code ("GOV" -> government), or NULL. */
static const nd__entity *agent_by_code(const nd_analyze_dict *dict, const char *code)
{
    for (size_t i = 0; i < dict->n_ents; i++)
        if (dict->ents[i].kind == ND_ACTOR_AGENT && !strcmp(dict->ents[i].code, code))
            return &dict->ents[i];
    return NULL;
}

static int32_t np_actor(nd__doc *d, np *p, int how_hint)
{
    const nd_analyze_dict *dict = d->dict;
    char buf[512], code[24] = "";
    const char *country = NULL;
    char cbuf[24] = "";
    if (p->mod) {
        const nd__entity *me = &dict->ents[p->mod->entity];
        snprintf(cbuf, sizeof cbuf, "%s", me->code);
        country = cbuf;
    }
    const char *agent = NULL;
    if (p->role) agent = dict->ents[p->role->entity].code;
    if (p->agent) agent = dict->ents[p->agent->entity].code; /* "union secretary": LAB */
    if (!agent && p->title && p->title->agent[0]) agent = p->title->agent;
    int32_t act = -1;
    int how = how_hint;
    if (p->name && p->name->kind == CH_DICT) {
        /* a person of the dictionary */
        uint32_t ent = p->name->ph->entity;
        /* A one-word alias yields to an earlier person of the document
         * with that surname ("Clinton" after "Bill Clinton"). */
        if (p->name->t1 - p->name->t0 == 1) {
            int32_t other = person_by_name(d, d->toks[p->name->t0].lower, 1);
            if (other >= 0 && d->acts[other].dict_ent != (int32_t) ent) act = other;
        }
        if (act < 0) {
            act = actor_by_dict(d, ent);
            if (act < 0) {
                person_code(d, ent, code, sizeof code);
                act = plain_actor(d, ent, code);
                if (act >= 0) {
                    const nd__role *r = role_at(d, ent, NULL);
                    if (r) {
                        const char *k = r->keys + 1;
                        const char *c = strchr(k, ',');
                        if (c) d->acts[act].role = nd_arena_strndup(d->ar, k, (size_t) (c - k));
                    }
                }
            }
        }
        how = p->name->t1 - p->name->t0 == 1 || p->title ? ND_MENTION_ALIAS : ND_MENTION_NAME;
    } else if (p->name && p->name->thing && !p->title) {
        /* a named thing: an organisation, a place or something else (an
         * event, a law), kept by its name; it stands for the country that
         * qualifies it ("the Beijing Olympics" = CHN, as event coders read
         * it), and otherwise has no code */
        span_text(d, p->name->t0, p->name->t1, buf, sizeof buf);
        if (country && agent)
            snprintf(code, sizeof code, "%.3s%s", country, agent);
        else if (country)
            snprintf(code, sizeof code, "%s", country);
        act = actor_by_code_name(d, code, buf);
        if (act < 0) act = nd__actor_add(d, buf, code, p->name->thing, -1);
        how = ND_MENTION_NAME;
    } else if (p->name) {
        /* an unknown name */
        span_text(d, p->name->t0, p->name->t1, buf, sizeof buf);
        int single = p->name->t1 - p->name->t0 == 1;
        act = person_by_name(d, buf, single);
        if (act < 0 && single && p->role && p->role->role_key) {
            /* "President Bush": the person of the dictionary with that
             * surname who held the office on the date */
            const char *key = p->role->role_key;
            const char *w = d->toks[p->name->t0].lower;
            for (size_t i = 0; i < dict->n_ents && act < 0; i++) {
                const nd__entity *e = &dict->ents[i];
                if (e->kind != ND_ACTOR_PERSON || !e->n_roles) continue;
                const char *sp = strrchr(e->name, ' ');
                const char *sn = sp ? sp + 1 : e->name;
                size_t wl = strlen(w);
                if (strlen(sn) != wl) continue;
                size_t q = 0;
                while (q < wl && (sn[q] | 32) == w[q]) q++;
                if (q != wl) continue;
                const nd__role *r = role_at(d, (uint32_t) i, key);
                if (!r || (d->day == ND__DAY_MIN && r->to != ND__DAY_MAX)) continue;
                if (country && strncmp(r->code, country, 3)) continue;
                person_code(d, (uint32_t) i, code, sizeof code);
                act = plain_actor(d, (uint32_t) i, code);
            }
            if (act >= 0) {
                add_ment(d, p->t0, p->t1, act, ND_MENTION_ALIAS);
                return act;
            }
        }
        if (act < 0) {
            if (country && agent)
                snprintf(code, sizeof code, "%.3s%s", country, agent);
            else if (country)
                snprintf(code, sizeof code, "%s", country);
            else if (agent)
                snprintf(code, sizeof code, "---%s", agent);
            act = nd__actor_add(d, buf, code, ND_ACTOR_PERSON, -1);
            if (act >= 0 && p->title) d->acts[act].gender = p->title->gender;
        } else {
            how = ND_MENTION_ALIAS;
            nd__dact *a = &d->acts[act];
            if (!a->code[0] && (country || agent)) {
                if (country && agent)
                    snprintf(a->code, sizeof a->code, "%.3s%s", country, agent);
                else
                    snprintf(a->code, sizeof a->code, "%s", country ? country : agent);
                nd__code_country(a->code, a->country);
            }
            if (!a->gender && p->title) a->gender = p->title->gender;
        }
        if (act >= 0 && p->role && !d->acts[act].role) d->acts[act].role = p->role->role_key;
        if (how != ND_MENTION_ALIAS) how = ND_MENTION_NAME;
    } else if (p->role) {
        /* an office with no name: who held it, when known */
        const char *key = p->role->role_key;
        char c3[8] = "";
        if (country) snprintf(c3, sizeof c3, "%.3s", country);
        /* an earlier person of the document with that office */
        for (size_t i = d->n_acts; i-- > 0 && act < 0;) {
            nd__dact *a = &d->acts[i];
            if (a->kind != ND_ACTOR_PERSON) continue;
            if (country && strncmp(a->code, c3, 3)) continue;
            int match = a->role && key && !strcmp(a->role, key);
            if (!match && a->dict_ent >= 0 && key)
                match = role_at(d, (uint32_t) a->dict_ent, key) != NULL;
            if (match && (country || a->role)) act = (int32_t) i;
        }
        if (act < 0 && country && key) {
            int32_t ent = office_holder(d, c3, key);
            if (ent >= 0) {
                act = actor_by_dict(d, (uint32_t) ent);
                if (act < 0) {
                    person_code(d, (uint32_t) ent, code, sizeof code);
                    act = plain_actor(d, (uint32_t) ent, code);
                    if (act >= 0) d->acts[act].role = key;
                }
            }
        }
        if (act < 0) {
            uint32_t t0 = p->t0;
            while (t0 < p->t1 && nd__tok_in(d, t0, determiners)) t0++;
            span_text(d, t0, p->t1, buf, sizeof buf);
            if (country && agent)
                snprintf(code, sizeof code, "%.3s%s", country, agent);
            else if (agent)
                snprintf(code, sizeof code, "---%s", agent);
            act = actor_by_code_name(d, code, buf);
            if (act < 0) {
                act = nd__actor_add(d, buf, code, ND_ACTOR_PERSON, -1);
                if (act >= 0) d->acts[act].role = key;
            }
        }
        how = ND_MENTION_ROLE;
    } else if (p->agent) {
        const nd__entity *ae = &dict->ents[p->agent->entity];
        if (country) {
            /* Agents of organisations keep the organisation's code
             * ("UN peacekeepers" IGOUNO + MIL). */
            snprintf(code, sizeof code, "%.*s%s",
                     (int) (strlen(country) > 12 ? 12 : strlen(country)), country, ae->code);
            const nd__entity *me = &dict->ents[p->mod->entity];
            snprintf(buf, sizeof buf, "%s %s", me->name, ae->name);
        } else {
            snprintf(code, sizeof code, "---%s", ae->code);
            snprintf(buf, sizeof buf, "%s", ae->name);
        }
        act = actor_by_code_name(d, code, buf);
        if (act < 0) act = nd__actor_add(d, buf, code, ND_ACTOR_AGENT, (int) p->agent->entity);
        how = ND_MENTION_ROLE;
    } else if (p->mod && p->mod->ntok == 1 && p->t1 - p->t0 == 1 &&
               (p->mod->how == ND__PH_ADJ || p->mod->how == ND__PH_PEOPLE) &&
               person_by_name(d, d->toks[p->t0].lower, 1) >= 0) {
        /* "Cuban added": the surname of "Mark Cuban" named before */
        act = person_by_name(d, d->toks[p->t0].lower, 1);
        how = ND_MENTION_ALIAS;
    } else if (p->mod) {
        const nd__entity *me = &dict->ents[p->mod->entity];
        if (p->mod->how == ND__PH_SEAT && p->mod->suffix[0]) {
            snprintf(code, sizeof code, "%s%s", me->code, p->mod->suffix);
            /* named as the agent phrase names it ("Russia government" for
             * "the Kremlin" and "the Russian government" alike): one actor */
            const nd__entity *ae = agent_by_code(dict, p->mod->suffix);
            snprintf(buf, sizeof buf, "%s %s", me->name, ae ? ae->name : p->mod->suffix);
            act = actor_by_code_name(d, code, buf);
            if (act < 0) act = nd__actor_add(d, buf, code, ND_ACTOR_AGENT, (int) p->mod->entity);
            how = ND_MENTION_METONYM;
        } else {
            act = plain_actor(d, p->mod->entity, NULL);
            how = p->mod->how == ND__PH_CAPITAL  ? ND_MENTION_METONYM
                  : p->mod->how == ND__PH_ADJ    ? ND_MENTION_ADJ
                  : p->mod->how == ND__PH_PEOPLE ? ND_MENTION_NAME
                                                 : ND_MENTION_NAME;
        }
    }
    (void) ent_adj;
    if (act < 0) return -1;
    add_ment(d, p->t0, p->t1, act, how);
    return act;
}

static void set_code(nd__dact *x, const char *code)
{
    char tmp[sizeof x->code];
    snprintf(tmp, sizeof tmp, "%s", code);
    memcpy(x->code, tmp, sizeof tmp);
    nd__code_country(x->code, x->country);
}

static int starts_sentence(const nd__doc *d, size_t i)
{
    uint32_t s0 = d->sent_t0[d->toks[i].sent];
    if (i == s0) return 1;
    /* after opening marks or a dash at the start */
    for (size_t k = s0; k < i; k++)
        if (d->toks[k].type != ND_TOK_PUNCT) return 0;
    return 1;
}

/* Remember the capitalised words that occur inside sentences: a word that
 * starts a sentence is a name when it is capitalised elsewhere too
 * ("ProPublica obtained ...", "Reid caucused ..."). */
static void collect_caps(nd__doc *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_toks; i++)
        if ((d->toks[i].flags & ND_TOKF_CAP) && d->toks[i].type == ND_TOK_WORD) n++;
    size_t cap = 64;
    while (cap < n * 2) cap *= 2;
    d->caps = nd_arena_calloc(d->ar, cap, sizeof *d->caps);
    if (!d->caps) return;
    d->caps_mask = cap - 1;
    for (size_t i = 0; i < d->n_toks; i++) {
        const nd__tok *t = &d->toks[i];
        if (!(t->flags & ND_TOKF_CAP) || t->type != ND_TOK_WORD || !t->lower_len) continue;
        if ((t->flags & ND_TOKF_ALLCAPS) || starts_sentence(d, i)) continue;
        /* not in a run of capitalised words that could be a headline */
        if (i > 0 && (d->toks[i - 1].flags & ND_TOKF_CAP) && i + 1 < d->n_toks &&
            (d->toks[i + 1].flags & ND_TOKF_CAP) && d->toks[i - 1].sent == t->sent &&
            starts_sentence(d, i - 1))
            continue;
        uint64_t h = nd_hash64(t->lower, t->lower_len) | 1;
        size_t j = h & d->caps_mask;
        while (d->caps[j] && d->caps[j] != h) j = (j + 1) & d->caps_mask;
        d->caps[j] = h;
    }
}

static int name_elsewhere(const nd__doc *d, size_t i)
{
    const nd__tok *t = &d->toks[i];
    /* "ProPublica", "McConnell": a capital inside the word */
    const char *w = d->text + t->off;
    for (uint32_t k = 1; k < t->len; k++)
        if (w[k] >= 'A' && w[k] <= 'Z' && !(t->flags & ND_TOKF_ALLCAPS) && w[k - 1] != '-' &&
            w[k - 1] != '\'')
            return 1;
    if (!d->caps || !t->lower_len) return 0;
    uint64_t h = nd_hash64(t->lower, t->lower_len) | 1;
    size_t j = h & d->caps_mask;
    while (d->caps[j]) {
        if (d->caps[j] == h) return 1;
        j = (j + 1) & d->caps_mask;
    }
    return 0;
}

/* Is token i followed by a capitalised word that no dictionary knows, in
 * a sentence that is not in title case? */
static int glued_to_name(nd__doc *d, uint32_t i, uint32_t s0, uint32_t s1)
{
    const nd__tok *t = &d->toks[i];
    if (i + 1 >= s1 || (t->flags & ND_TOKF_POSS)) return 0;
    const nd__tok *u = &d->toks[i + 1];
    if (!is_word(u) || !u->lower || !(u->flags & ND_TOKF_CAP) || u->off != t->off + t->len + 1)
        return 0;
    if (in_set(u->lower, not_names) || in_set(u->lower, role_fillers)) return 0;
    const nd__phrase *p = NULL;
    if (dict_match(d, i + 1, s1, &p)) return 0;
    uint32_t words = 0, caps = 0;
    for (uint32_t k = s0; k < s1; k++) {
        if (!is_word(&d->toks[k])) continue;
        words++;
        caps += (d->toks[k].flags & ND_TOKF_CAP) != 0;
    }
    return caps * 2 < words;
}

/* The part of speech the tagger gave token i's first word (0: no tree). */
static int tok_upos(const nd__doc *d, size_t i)
{
    if (!d->tok_w0 || i >= d->n_toks || d->tok_w0[i] < 0) return 0;
    return d->words[d->tok_w0[i]].upos;
}

static int first_word(const nd__doc *d, size_t i, uint32_t s0)
{
    return i == s0 || (i > s0 && d->toks[i - 1].type == ND_TOK_PUNCT &&
                       (d->toks[i - 1].flags & ND_TOKF_OPENQ) && i - 1 == s0);
}

/* Chunks of one sentence. */
static size_t chunk_sentence(nd__doc *d, uint32_t s0, uint32_t s1, chunk *ch, size_t max)
{
    const nd_analyze_dict *dict = d->dict;
    size_t n = 0;
    uint32_t i = s0;
    while (i < s1 && n < max) {
        nd__tok *t = &d->toks[i];
        if (t->type != ND_TOK_WORD && t->type != ND_TOK_NUM) {
            i++;
            continue;
        }
        chunk *c = &ch[n];
        memset(c, 0, sizeof *c);
        c->t0 = i;
        int pr = t->lower ? pronoun_of(t->lower) : 0;
        if (pr) {
            c->kind = CH_PRON, c->pron = pr, c->t1 = i + 1;
            c->obj = !strcmp(t->lower, "him") || !strcmp(t->lower, "them") ||
                     !strcmp(t->lower, "himself") || !strcmp(t->lower, "herself");
            n++, i++;
            continue;
        }
        /* "the two leaders", "both countries" */
        if (t->lower && (!strcmp(t->lower, "two") || !strcmp(t->lower, "both"))) {
            static const char *const people[] = {"leaders",   "presidents", "men", "heads",
                                                 "statesmen", "premiers",   NULL};
            static const char *const states[] = {
                "countries", "nations", "sides",  "governments", "powers",   "neighbours",
                "neighbors", "states",  "allies", "capitals",    "partners", NULL};
            int the = !strcmp(t->lower, "both") || (i > s0 && nd__tok_is(d, i - 1, "the"));
            for (uint32_t k = i + 1; the && k < s1 && k <= i + 2; k++) {
                int pp = nd__tok_in(d, k, people), ps = nd__tok_in(d, k, states);
                if (!pp && !ps) continue;
                c->kind = CH_PAIR, c->t1 = k + 1, c->pair_persons = pp;
                break;
            }
            if (c->kind == CH_PAIR) {
                n++, i = c->t1;
                continue;
            }
        }
        const nd__phrase *ph = NULL;
        int L = dict_match(d, i, s1, &ph);
        /* A one-word alias of a dictionary person glued to an unknown
         * capitalised word is another person's name: "Petro" of Gustavo
         * Petro in "Petro Halas" (not in a headline's title case). */
        if (L == 1 && is_person_ph(dict, ph) && glued_to_name(d, i, s0, s1)) L = 0;
        if (L) {
            c->kind = CH_DICT, c->ph = ph, c->t1 = i + (uint32_t) L;
            n++, i += (uint32_t) L;
            continue;
        }
        if (hyphen_match(d, i, c)) {
            c->kind = CH_HYPH, c->t1 = i + 1;
            n++, i++;
            continue;
        }
        char g = 0, ag[8] = "";
        if (title_of(d, i, &g, ag) && i + 1 < s1 && (d->toks[i + 1].flags & ND_TOKF_CAP)) {
            c->kind = CH_TITLE, c->gender = g, c->t1 = i + 1;
            snprintf(c->agent, sizeof c->agent, "%s", ag);
            n++, i++;
            continue;
        }
        /* A capitalised word the sentence starts with is a name only when
         * the tagger says it is one ("Instead it said", "Skipping talks"). */
        int upos = tok_upos(d, i);
        int name_ok = !first_word(d, i, s0) || !upos || upos == ND_UPOS_PROPN;
        if (name_ok && is_word(t) && (t->flags & ND_TOKF_CAP) && t->lower &&
            !in_set(t->lower, not_names) && !(t->flags & ND_TOKF_DIGIT) &&
            !in_set(t->lower, role_fillers)) {
            uint32_t j = i + 1;
            int poss = (t->flags & ND_TOKF_POSS) != 0;
            static const char *const particles[] = {
                "de", "da", "van", "von", "der", "bin", "al",  "el",   "ibn", "la",
                "le", "di", "du",  "dos", "del", "ben", "abu", "bint", NULL};
            while (!poss && j < s1) {
                nd__tok *u = &d->toks[j];
                if (!is_word(u) || !u->lower) break;
                int capw = (u->flags & ND_TOKF_CAP) && !in_set(u->lower, not_names);
                int part = in_set(u->lower, particles) && j + 1 < s1 &&
                           (d->toks[j + 1].flags & ND_TOKF_CAP);
                if (!capw && !part) break;
                /* a role word or known actor after a name ends it ("Smith
                 * Foreign Minister"); a dictionary person continues it */
                const nd__phrase *p2 = NULL;
                int L2 = capw ? dict_match(d, j, s1, &p2) : 0;
                if (L2 && (is_role_ph(p2) || is_agent_ph(p2))) break;
                if (L2 >= 2 && is_person_ph(dict, p2)) break;
                /* "Mark Cuban said": an adjective after a first name and
                 * before no noun is a surname */
                if (L2 == 1 && is_mod_ph(dict, p2) && p2->how != ND__PH_NAME &&
                    (p2->how == ND__PH_ADJ || p2->how == ND__PH_PEOPLE) && j == i + 1 &&
                    !first_word(d, i, s0)) {
                    const nd__tok *nn = j + 1 < s1 ? &d->toks[j + 1] : NULL;
                    if (!nn || nn->type == ND_TOK_PUNCT ||
                        (nn->lower &&
                         nd__map_get(&dict->cue_map, nn->lower, nn->lower_len) != ND__NONE)) {
                        poss = (u->flags & ND_TOKF_POSS) != 0;
                        j++;
                        continue;
                    }
                }
                if (L2 && is_mod_ph(dict, p2) && p2->how != ND__PH_NAME) break;
                poss = (u->flags & ND_TOKF_POSS) != 0;
                j++;
            }
            /* A lone capitalised word that starts a sentence is most often
             * an ordinary word: keep it only before a verb of saying or an
             * apposition. */
            int first = i == s0 || (i > s0 && d->toks[i - 1].type == ND_TOK_PUNCT &&
                                    (d->toks[i - 1].flags & ND_TOKF_OPENQ) && i - 1 == s0);
            if (j == i + 1 && first && !name_elsewhere(d, i)) {
                const char *lemma;
                int cue = j < s1 && nd__cue_at(d, j, &lemma);
                int appos = j < s1 && is_comma(d, j) && !t->in_quote;
                if (!cue && !appos && !poss) {
                    i++;
                    continue;
                }
            }
            c->kind = CH_RUN, c->t1 = j;
            /* "the second World War", "a Chinese-made Air Force jet": a
             * determiner before the name makes it a thing */
            for (uint32_t b = i, back = 0; b > s0 && back < 3; b--, back++) {
                const nd__tok *u = &d->toks[b - 1];
                if (!is_word(u) || !u->lower) break;
                if (!strcmp(u->lower, "the") || !strcmp(u->lower, "a") || !strcmp(u->lower, "an")) {
                    c->thing = ND_ACTOR_ORG;
                    break;
                }
                if (u->flags & ND_TOKF_CAP) break;
                if (pronoun_of(u->lower)) break;
            }
            /* what the name's head noun names ("World War II": the noun
             * before a number) */
            uint32_t hd = j - 1;
            if (hd > i && (is_roman(d, hd) || d->toks[hd].type == ND_TOK_NUM)) hd--;
            int hk = head_kind(d->toks[hd].lower);
            if (hk) c->thing = hk;
            /* "port operator Halden Terminals", "the operator, Halden
             * Terminals,", "tech giant Orvex": a name after the noun of a
             * kind of organisation names one */
            if (i > s0) {
                uint32_t b = i - 1;
                if (b > s0 && is_comma(d, b)) b--;
                if (d->toks[b].lower && !(d->toks[b].flags & ND_TOKF_CAP) &&
                    in_set(d->toks[b].lower, org_nouns))
                    c->thing = ND_ACTOR_ORG;
            }
            n++, i = j;
            continue;
        }
        i++;
    }
    return n;
}

/* Adjacent chunks: nothing but role fillers between them. */
static int adjacent(const nd__doc *d, const chunk *a, const chunk *b)
{
    for (uint32_t k = a->t1; k < b->t0; k++) {
        if (!nd__tok_in(d, k, role_fillers)) return 0;
    }
    return 1;
}

/* The country entity whose code is code (3 letters), or -1. */
static int32_t country_entity(const nd_analyze_dict *dict, const char *code)
{
    for (size_t i = 0; i < dict->n_ents; i++)
        if (dict->ents[i].kind == ND_ACTOR_COUNTRY && !strncmp(dict->ents[i].code, code, 3) &&
            dict->ents[i].code[3] == 0)
            return (int32_t) i;
    return -1;
}

/* The two actors "the two leaders" / "the two countries" refer to: the
 * two most salient distinct persons (or countries; a person counts for
 * his country) so far, by mentions, subject mentions counting double and
 * the first sentence (the lead) triple. */
/* Eligible as one of "the two leaders" / "the two countries": the actor
 * (a person's country for countries), or -1. */
static int32_t pair_member(nd__doc *d, int32_t a, int persons)
{
    if (a < 0) return -1;
    nd__dact *x = &d->acts[a];
    if (persons) return x->kind == ND_ACTOR_PERSON && x->code[0] && x->in_dict ? a : -1;
    if (x->kind == ND_ACTOR_PERSON && x->country[0] && strncmp(x->code, "---", 3)) {
        int32_t e = country_entity(d->dict, x->country);
        return e < 0 ? -1 : plain_actor(d, (uint32_t) e, NULL);
    }
    return x->kind == ND_ACTOR_COUNTRY ? a : -1;
}

/* The latest "A and B" (or pair mention) of two eligible actors within the
 * last few sentences. */
static int recent_pair(nd__doc *d, int persons, int32_t *a1, int32_t *a2)
{
    uint32_t cur = d->n_ments ? d->ments[d->n_ments - 1].sent : 0;
    for (size_t k = d->n_ments; k-- > 1;) {
        nd__ment *m = &d->ments[k];
        if (m->sent + 6 < cur) break;
        if (m->actor2 >= 0) {
            int32_t x = pair_member(d, m->actor, persons), y = pair_member(d, m->actor2, persons);
            if (x >= 0 && y >= 0 && x != y) {
                *a1 = x, *a2 = y;
                return 1;
            }
            continue;
        }
        nd__ment *p = &d->ments[k - 1];
        uint32_t g = p->t1;
        if (g < m->t0 && nd__tok_is(d, g, "and")) {
            g++;
            while (g < m->t0 && nd__tok_in(d, g, determiners)) g++;
        }
        if (g != m->t0 || p->t1 == m->t0) continue;
        int32_t x = pair_member(d, p->actor, persons), y = pair_member(d, m->actor, persons);
        if (x >= 0 && y >= 0 && x != y) {
            *a1 = x, *a2 = y;
            return 1;
        }
    }
    return 0;
}

static void pair_actors(nd__doc *d, int persons, int32_t *a1, int32_t *a2)
{
    if (recent_pair(d, persons, a1, a2)) return;
    int32_t best[2] = {-1, -1};
    double score[2] = {0, 0};
    /* scores per actor, kept small: at most 64 candidates */
    int32_t cand[64];
    double sc[64];
    int nc = 0;
    for (size_t k = 0; k < d->n_ments; k++) {
        nd__ment *m = &d->ments[k];
        int32_t a = m->actor;
        if (a < 0 || m->actor2 >= 0) continue;
        nd__dact *x = &d->acts[a];
        if (persons) {
            if (x->kind != ND_ACTOR_PERSON || !x->code[0] || !x->in_dict) continue;
        } else if (x->kind == ND_ACTOR_PERSON && x->country[0] && strncmp(x->code, "---", 3)) {
            int32_t e = country_entity(d->dict, x->country);
            if (e < 0) continue;
            a = plain_actor(d, (uint32_t) e, NULL);
            if (a < 0) continue;
        } else if (x->kind != ND_ACTOR_COUNTRY) {
            continue;
        }
        double w = (m->subj ? 2.0 : 1.0) * (m->sent == 0 ? 3.0 : 1.0);
        int i = 0;
        while (i < nc && cand[i] != a) i++;
        if (i == nc) {
            if (nc == 64) continue;
            cand[nc] = a, sc[nc] = 0, nc++;
        }
        sc[i] += w;
    }
    for (int i = 0; i < nc; i++) {
        if (sc[i] > score[0]) {
            best[1] = best[0], score[1] = score[0];
            best[0] = cand[i], score[0] = sc[i];
        } else if (sc[i] > score[1]) {
            best[1] = cand[i], score[1] = sc[i];
        }
    }
    if (best[0] >= 0 && best[1] >= 0) *a1 = best[0], *a2 = best[1];
}

static void mentions_sentence(nd__doc *d, uint32_t s)
{
    const nd_analyze_dict *dict = d->dict;
    uint32_t s0 = d->sent_t0[s], s1 = d->sent_t1[s];
    chunk ch[512];
    size_t nc = chunk_sentence(d, s0, s1, ch, 512);
    int32_t prev_actor = -1;
    uint32_t prev_end = 0;
    int prev_kind_person = 0, prev_is_office = 0;
    int32_t prev_ment = -1;
    for (size_t c = 0; c < nc;) {
        chunk *k = &ch[c];
        if (k->kind == CH_PRON) {
            int32_t m = add_ment(d, k->t0, k->t1, -1, ND_MENTION_PRONOUN);
            if (m >= 0) {
                d->ments[m].pronoun = (uint8_t) k->pron;
                d->ments[m].person = k->pron <= 2;
                d->ments[m].obj = (uint8_t) k->obj;
            }
            c++;
            prev_actor = -1;
            continue;
        }
        if (k->kind == CH_PAIR) {
            int32_t a1 = -1, a2 = -1;
            pair_actors(d, k->pair_persons, &a1, &a2);
            uint32_t t0 = k->t0;
            if (t0 > s0 && nd__tok_is(d, t0 - 1, "the")) t0--;
            if (a1 >= 0 && a2 >= 0) {
                int32_t m = add_ment(d, t0, k->t1, a1, ND_MENTION_ROLE);
                if (m >= 0) {
                    d->ments[m].actor2 = a2;
                    d->acts[a2].n_mentions++;
                }
            }
            c++;
            prev_actor = -1;
            continue;
        }
        if (k->kind == CH_HYPH) {
            const nd__tok *t = &d->toks[k->t0];
            uint32_t off = t->off;
            const char *hp = d->text + t->off;
            for (int q = 0; q < k->n_ph2; q++) {
                const nd__entity *e = &dict->ents[k->ph2[q]->entity];
                int32_t act = plain_actor(d, k->ph2[q]->entity, NULL);
                (void) e;
                const char *h = memchr(hp, '-', t->off + t->len - (uint32_t) (hp - d->text));
                uint32_t end = h ? (uint32_t) (h - d->text) : t->off + t->len;
                int32_t m = add_ment(d, k->t0, k->t1, act, ND_MENTION_ADJ);
                if (m >= 0) {
                    d->ments[m].start = off;
                    d->ments[m].end = end;
                }
                if (h) {
                    off = end + 1;
                    hp = h + 1;
                }
            }
            c++;
            continue;
        }
        np p;
        memset(&p, 0, sizeof p);
        p.c0 = (int) c;
        p.t0 = k->t0;
        /* a determiner before the phrase belongs to it */
        if (p.t0 > s0 && nd__tok_in(d, p.t0 - 1, determiners) && !(d->toks[p.t0 - 1].mention >= 0))
            p.t0--, p.det = 1;
        else if (p.t0 > s0 + 1 && nd__tok_in(d, p.t0 - 1, role_fillers) &&
                 nd__tok_in(d, p.t0 - 2, determiners) && d->toks[p.t0 - 2].mention < 0)
            p.t0 -= 2, p.det = 1;
        size_t j = c;
        int done = 0;
        chunk split;
        while (j < nc && !done) {
            chunk *q = &ch[j];
            if (j > c && !adjacent(d, &ch[j - 1], q)) {
                /* a role's complement: "Secretary of Energy Jeffrey Kupfer",
                 * "Minister for Europe Jean Smith": the department's words,
                 * then the name (its last two words) */
                uint32_t g = ch[j - 1].t1;
                int compl = p.role && !p.name && q->kind == CH_RUN &&
                            (nd__tok_is(d, g, "of") || nd__tok_is(d, g, "for")) &&
                            (q->t0 == g + 1 || (q->t0 == g + 2 && nd__tok_is(d, g + 1, "the")));
                if (!compl ) break;
                if (q->t1 - q->t0 >= 3) {
                    split = *q;
                    split.t0 = q->t1 - 2;
                    p.name = &split, j++, done = 1;
                    continue;
                }
                /* "Secretary of Energy" + a name chunk right after */
                if (j + 1 < nc && ch[j + 1].t0 == q->t1 &&
                    (ch[j + 1].kind == CH_RUN ||
                     (ch[j + 1].kind == CH_DICT && is_person_ph(dict, ch[j + 1].ph)))) {
                    j++;
                    continue;
                }
                break;
            }
            if (q->kind == CH_DICT) {
                const nd__phrase *ph = q->ph;
                if (is_person_ph(dict, ph)) {
                    if (p.name) break;
                    p.name = q, j++, done = 1;
                } else if (is_role_ph(ph)) {
                    /* "union secretary", "army general": the agent before
                     * an office names its sector */
                    if (p.name || (p.agent && !adjacent(d, &ch[j - 1], q))) break;
                    p.role = ph, j++;
                } else if (is_agent_ph(ph)) {
                    if (p.name) break;
                    if (p.role && p.agent) break;
                    p.agent = ph, j++;
                } else if (is_mod_ph(dict, ph)) {
                    if (p.mod || p.role || p.agent || p.name || p.title) break;
                    p.mod = ph, j++;
                    /* A plain name not in the possessive only modifies an
                     * agent or role right after it ("US officials", "NATO
                     * chief"); "Russia China" are two phrases. */
                    if (j < nc && adjacent(d, q, &ch[j])) {
                        const chunk *nx = &ch[j];
                        int ok = nx->kind == CH_TITLE || nx->kind == CH_RUN ||
                                 (nx->kind == CH_DICT && !is_mod_ph(dict, nx->ph));
                        if (!ok) done = 1;
                        /* "Russia's Vladimir Putin", "Chinese President Xi" */
                    } else {
                        done = 1;
                    }
                } else {
                    break;
                }
            } else if (q->kind == CH_TITLE) {
                if (p.name || p.title) break;
                p.title = q, j++;
            } else if (q->kind == CH_RUN) {
                if (p.name) break;
                /* an unknown capitalised run right after a plain country
                 * name is another name ("Georgia Tech"): keep them apart */
                p.name = q, j++, done = 1;
            } else {
                break;
            }
        }
        if (j == c) {
            c++;
            continue;
        }
        p.c1 = (int) j;
        p.t1 = ch[j - 1].t1;
        /* a title alone ("Mr") is not a phrase */
        if (p.title && !p.name) {
            if (p.mod || p.role || p.agent) {
                /* fall through without the title */
            } else {
                c = j;
                continue;
            }
        }
        /* "the mayor of Nablus", "a court in Guyana", "dissidents from
         * Egypt": an office or agent takes the country after it */
        if ((p.role || p.agent) && !p.mod && !p.name && j < nc && ch[j].kind == CH_DICT &&
            is_mod_ph(dict, ch[j].ph)) {
            uint32_t g = p.t1;
            if (nd__tok_is(d, g, "of") || nd__tok_is(d, g, "in") || nd__tok_is(d, g, "from")) {
                uint32_t kk = g + 1;
                int skip = 0;
                while (kk < ch[j].t0 && skip < 3 && is_word(&d->toks[kk]) &&
                       !(d->toks[kk].flags & ND_TOKF_CAP) && d->toks[kk].mention < 0)
                    kk++, skip++;
                if (kk == ch[j].t0) {
                    p.mod = ch[j].ph;
                    p.t1 = ch[j].t1;
                    j++;
                    /* "the northern West Bank city of Nablus": the rest of
                     * the place phrase stays out */
                }
            }
        }
        /* an agent word before a plain noun is an adjective ("military
         * ties", "business deals"): no mention */
        if (p.agent && !p.mod && !p.role && !p.name && p.t1 < s1) {
            const nd__tok *nx = &d->toks[p.t1];
            if (nx->type == ND_TOK_WORD && nx->lower && !(nx->flags & ND_TOKF_CAP) &&
                nx->mention < 0 && !nd__tok_in(d, p.t1, determiners) &&
                nd__map_get(&dict->verb_map, nx->lower, nx->lower_len) == ND__NONE &&
                nd__map_get(&dict->cue_map, nx->lower, nx->lower_len) == ND__NONE) {
                static const char *const fw[] = {
                    "and",  "or",   "of",   "in",  "on",    "at",   "to",    "for",
                    "with", "by",   "from", "who", "which", "that", "have",  "has",
                    "had",  "are",  "were", "is",  "was",   "will", "would", "could",
                    "can",  "also", "said", "say", "says",  "as",   NULL};
                if (!nd__tok_in(d, p.t1, fw)) {
                    c = j;
                    continue;
                }
            }
        }
        int32_t act = np_actor(d, &p, ND_MENTION_NAME);
        int32_t m = act >= 0 ? (int32_t) d->n_ments - 1 : -1;
        /* "an Islamic State target", "Russia sanctions": a name before a
         * plain noun is used as an adjective */
        /* "an Islamic State target": an indefinite article before a name */
        if (m >= 0 && p.mod && !p.role && !p.agent && !p.name &&
            d->ments[m].how == ND_MENTION_NAME && p.t0 < p.t1 &&
            (nd__tok_is(d, p.t0, "a") || nd__tok_is(d, p.t0, "an")) && p.t1 < s1 &&
            d->toks[p.t1].type == ND_TOK_WORD && !(d->toks[p.t1].flags & ND_TOKF_CAP))
            d->ments[m].how = ND_MENTION_ADJ;
        if (m >= 0 && p.mod && !p.role && !p.agent && !p.name &&
            d->ments[m].how == ND_MENTION_NAME && !d->ments[m].poss && p.t1 < s1) {
            const nd__tok *nx = &d->toks[p.t1];
            static const char *const fw[] = {
                "and",    "or",      "of",    "in",      "on",    "at",    "to",  "for",  "with",
                "by",     "from",    "who",   "which",   "that",  "have",  "has", "had",  "are",
                "were",   "is",      "was",   "will",    "would", "could", "can", "also", "as",
                "should", "may",     "might", "must",    "did",   "does",  "do",  "not",  "over",
                "after",  "before",  "since", "until",   "into",  "than",  "but", "if",   "when",
                "while",  "because", "about", "against", NULL};
            if (nx->type == ND_TOK_WORD && nx->lower && !(nx->flags & ND_TOKF_CAP) &&
                nx->mention < 0 && !nd__tok_in(d, p.t1, fw) &&
                nd__map_get(&dict->verb_map, nx->lower, nx->lower_len) == ND__NONE &&
                nd__map_get(&dict->cue_map, nx->lower, nx->lower_len) == ND__NONE &&
                !(nx->lower_len > 3 && (!strcmp(nx->lower + nx->lower_len - 2, "ed") ||
                                        !strcmp(nx->lower + nx->lower_len - 2, "ly"))))
                d->ments[m].how = ND_MENTION_ADJ;
        }
        /* apposition: "X, Russia's foreign minister," / "the US commander, Gen. Y," */
        if (act >= 0 && prev_actor >= 0 && prev_actor != act && prev_ment >= 0 &&
            prev_end + 1 == p.t0 && is_comma(d, prev_end)) {
            nd__dact *a = &d->acts[act], *b = &d->acts[prev_actor];
            int this_office = p.role && !p.name;
            int this_person = p.name != NULL && a->kind == ND_ACTOR_PERSON;
            if (prev_kind_person && this_office && a->in_dict == 0) {
                /* the office mention is the earlier person */
                d->ments[m].actor = prev_actor;
                a->n_mentions--;
                b->n_mentions++;
                if (!b->role) b->role = a->role;
                if (!b->code[0] || strlen(b->code) < strlen(a->code) ||
                    (!strncmp(b->code, "---", 3) && strncmp(a->code, "---", 3))) {
                    if (!b->in_dict) {
                        set_code(b, a->code);
                    }
                }
                act = prev_actor;
            } else if (prev_is_office && this_person) {
                nd__ment *pm = &d->ments[prev_ment];
                if (!b->in_dict) {
                    b->n_mentions--;
                    pm->actor = act;
                    a->n_mentions++;
                    if (!a->in_dict &&
                        (!a->code[0] || strlen(a->code) < strlen(b->code) ||
                         (!strncmp(a->code, "---", 3) && strncmp(b->code, "---", 3)))) {
                        set_code(a, b->code);
                    }
                    if (!a->role) a->role = b->role;
                }
            }
        }
        /* "The US commander in Iraq, Gen. David Petraeus": a place after
         * the head keeps the head for an apposition */
        int pp = prev_actor >= 0 && p.t0 >= 1 &&
                 (nd__tok_is(d, p.t0 - 1, "in") || nd__tok_is(d, p.t0 - 1, "of") ||
                  nd__tok_is(d, p.t0 - 1, "at")) &&
                 prev_end == p.t0 - 1 && !p.name && !p.role;
        if (pp) {
            prev_end = p.t1;
        } else {
            prev_actor = act;
            prev_end = p.t1;
            prev_ment = m;
            prev_kind_person = act >= 0 && d->acts[act].kind == ND_ACTOR_PERSON && p.name;
            prev_is_office = p.role && !p.name;
        }
        c = j;
    }
}

/* The first mention of a clause, not after a preposition: a likely subject. */
static void mark_subjects(nd__doc *d)
{
    static const char *const preps[] = {
        "in",    "of",    "with",    "by",      "to",     "from", "for",       "on",
        "at",    "about", "against", "after",   "before", "over", "than",      "between",
        "among", "into",  "toward",  "towards", "under",  "like", "including", "whose",
        "whom",  "via",   "and",     "or",      NULL};
    uint32_t cur_sent = UINT32_MAX;
    int have = 0;
    uint32_t last_break = 0;
    for (size_t i = 0; i < d->n_ments; i++) {
        nd__ment *m = &d->ments[i];
        if (m->sent != cur_sent) {
            cur_sent = m->sent, have = 0, last_break = d->sent_t0[m->sent];
            /* "In opening remarks after greeting Mr Xi ..., Mr Putin": the
             * subject comes after an opening adverbial phrase */
            static const char *const openers[] = {
                "in",     "after",     "before",    "while",    "when",     "as",    "despite",
                "during", "following", "since",     "although", "though",   "if",    "on",
                "at",     "for",       "with",      "without",  "under",    "amid",  "unlike",
                "like",   "by",        "once",      "because",  "speaking", "asked", "earlier",
                "later",  "last",      "meanwhile", "however",  NULL};
            uint32_t s0 = d->sent_t0[m->sent], s1 = d->sent_t1[m->sent];
            if (nd__tok_in(d, s0, openers)) {
                for (uint32_t k = s0 + 1; k < s1 && k < s0 + 30; k++)
                    if (is_comma(d, k)) {
                        last_break = k + 1;
                        break;
                    }
            }
        }
        if (m->t0 < last_break) continue;
        /* a new clause after ";" or ", but" / ", and" resets */
        for (uint32_t k = last_break; k < m->t0; k++) {
            const char *w = d->toks[k].lower;
            if (w && (!strcmp(w, ";") || (!strcmp(w, "but") && k > 0)))
                have = 0, last_break = k + 1;
        }
        if (d->toks[m->t0].in_quote) continue;
        if (have) continue;
        /* back over determiners and a few lowercase modifiers ("of the
         * second World War") */
        uint32_t b = m->t0, lo = d->sent_t0[m->sent];
        for (int back = 0; b > lo && back < 3; back++) {
            const nd__tok *u = &d->toks[b - 1];
            if (nd__tok_in(d, b - 1, determiners)) {
                b--;
                continue;
            }
            if (u->type == ND_TOK_WORD && u->lower && !(u->flags & ND_TOKF_CAP) &&
                !nd__tok_in(d, b - 1, preps) && u->mention < 0 &&
                nd__map_get(&d->dict->verb_map, u->lower, u->lower_len) == ND__NONE &&
                nd__map_get(&d->dict->cue_map, u->lower, u->lower_len) == ND__NONE) {
                b--;
                continue;
            }
            break;
        }
        /* "And then Trump went ...": a conjunction opening the sentence */
        if (b > lo && nd__tok_in(d, b - 1, preps) &&
            !(b - 1 == lo && (nd__tok_is(d, lo, "and") || nd__tok_is(d, lo, "or"))))
            continue;
        m->subj = 1;
        have = 1;
    }
}

void nd__find_mentions(nd__doc *d)
{
    collect_caps(d);
    for (uint32_t s = 0; s < d->n_sents && !d->failed; s++) mentions_sentence(d, s);
    mark_subjects(d);
}
