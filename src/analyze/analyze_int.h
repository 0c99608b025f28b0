/* analyze_int.h - internals of the analysis module (src/analyze/). */
#ifndef ND_ANALYZE_INT_H
#define ND_ANALYZE_INT_H

#include <string.h>

#include "newsdesk/analyze.h"
#include "newsdesk/parse.h"
#include "newsdesk/token.h"

/* ---- dictionary ------------------------------------------------------------ */

/* Longest dictionary phrase, in tokens. */
#define ND__MAX_PHRASE 10
/* Largest lowercased token kept for matching (longer ones never match). */
#define ND__MAX_WORD 48
/* "No date" / open-ended role dates (days since 1970-01-01). */
#define ND__DAY_MIN INT32_MIN
#define ND__DAY_MAX INT32_MAX

/* How a phrase names its entity. */
enum {
    ND__PH_NAME = 1, /* a name of the entity */
    ND__PH_ADJ,      /* adjective ("Russian") */
    ND__PH_PEOPLE,   /* demonym ("Russians") */
    ND__PH_CAPITAL,  /* capital city, a metonym for the country */
    ND__PH_SEAT,     /* seat of an agent ("the Kremlin" = RUS + GOV) */
    ND__PH_AGENT,    /* an agent noun ("troops", "government") */
    ND__PH_ROLE      /* an office ("foreign minister"): one person of an agent */
};

/* Per-token case requirement of a phrase. */
enum { ND__CASE_ANY = 0, ND__CASE_CAP = 1, ND__CASE_ALLCAPS = 2 };

typedef struct nd__role {
    char code[16];    /* CAMEO code while in the role ("CHNGOV") */
    const char *keys; /* ",key,key," (e.g. ",president,leader,") */
    int32_t from, to; /* days since the epoch; ND__DAY_MIN / ND__DAY_MAX when open */
} nd__role;

typedef struct nd__entity {
    uint8_t kind;         /* nd_actor_kind */
    char gender;          /* 'm', 'f', 0 */
    uint8_t petrarch;     /* loaded from a PETRARCH file */
    char code[16];        /* fallback / main code */
    const char *name;     /* canonical name */
    const char *role_key; /* for agents: NULL */
    uint32_t first_role, n_roles;
} nd__entity;

typedef struct nd__phrase {
    uint32_t entity;
    uint32_t next; /* next phrase with the same key, or UINT32_MAX */
    uint8_t how;   /* ND__PH_* */
    uint8_t ntok;
    uint8_t caseq[ND__MAX_PHRASE];
    char suffix[8];       /* agent suffix for seats ("GOV") */
    const char *role_key; /* for ND__PH_ROLE: "foreign minister" */
} nd__phrase;

/* A verb pattern (events) or cue verb (quotes). */
enum { ND__VF_SYM = 1, ND__VF_NOUN = 2, ND__VF_PASSIVE = 4, ND__VF_PETRARCH = 8 };

typedef struct nd__vpat {
    char code[8];     /* CAMEO code; "" = no event (PETRARCH "---") */
    uint8_t n_words;  /* words after the head */
    int8_t target_at; /* index in words[] before which the target comes; -1 after all */
    uint8_t flags;
    const char *words[8]; /* lowercased literal words after the head */
    uint32_t next;        /* next pattern with the same head form */
} nd__vpat;

typedef struct nd__cue {
    uint8_t cls; /* ND__CUE_* */
    const char *lemma;
    uint32_t next;
} nd__cue;

/* ND__CUE_ACT: acts and stances whose content is their object or
 * infinitive ("vowed to X", "criticized X"), read on the tree only. */
enum { ND__CUE_SAY = 1, ND__CUE_TELL, ND__CUE_THINK, ND__CUE_CALL, ND__CUE_ACT };

/* Word-form kinds stored in the word table. */
enum { ND__W_VERB = 1, ND__W_CUE = 2 };

/* ---- verb lexicon (verbs.c): PETRARCH verb blocks, patterns, synsets -------- */

/* A pattern element.  A pattern is two runs of elements: before the verb
 * (the subject side) and after it.  {a b} is NP .. NP_END, (prep x) is PP
 * (word = the preposition) .. PP_END; "debt_relief" is an NP of two words. */
enum {
    ND__PE_WORD = 1, /* a word (lowercase) */
    ND__PE_SET,      /* a synset (set) */
    ND__PE_TARGET,   /* "+": the target is taken here */
    ND__PE_SOURCE,   /* "$": the source is taken here */
    ND__PE_ANY,      /* "^": any noun phrase */
    ND__PE_PAIR,     /* "%": the subject is a pair acting together */
    ND__PE_NP,       /* "{": consecutive words, the last the head */
    ND__PE_NP_END,
    ND__PE_PP, /* "(prep": a prepositional phrase */
    ND__PE_PP_END
};

typedef struct nd__pel {
    uint8_t kind;     /* ND__PE_* */
    uint32_t set;     /* ND__PE_SET: synset index */
    const char *word; /* ND__PE_WORD, ND__PE_PP: lowercase (dictionary arena) */
} nd__pel;

/* Rule flags. */
enum {
    ND__VR_NULL = 1,    /* code "---": explicitly no event */
    ND__VR_SYM = 2,     /* both directions (meetings, clashes) */
    ND__VR_PROJECT = 4, /* from a newsdesk "# verbs" file (linear words) */
    ND__VR_NOUN = 8     /* a nominal event ("talks between A and B") */
};

/* A pattern of a block: pre elements, then post elements, from pel. */
typedef struct nd__vrule {
    char code[6];  /* active code; "" none */
    char pcode[6]; /* passive code ("[:173]": the subject is the target) */
    uint8_t flags; /* ND__VR_* */
    uint8_t n_pre, n_post;
    uint8_t spec;  /* words, synsets and prepositions: the most specific wins */
    uint32_t pel;  /* first element in d->pels */
    uint32_t next; /* next rule of the block, ND__NONE */
    uint32_t line; /* source line (for tests and debugging) */
    /* what a sentence must hold for the pattern to match there: the
     * signatures (nd__vsig) of up to four of its words, its synsets (bits
     * of set ids below 128) */
    uint16_t sig[4];
    uint8_t n_sig;
    uint64_t smask[2];
} nd__vrule;

/* A word's signature bit (0..511) for the pattern prefilter: its first
 * four letters without a plural "s" (a plural, a lemma and a hyphenated
 * whole share them). */
unsigned nd__vsig(const char *w);

typedef struct nd__vblock {
    const char *name;
    uint32_t first, last; /* rules, ND__NONE when none */
} nd__vblock;

/* A verb (or, with ND__VR_NOUN, an event noun) of a block. */
typedef struct nd__verb {
    const char *lemma;   /* the verb word ("ask"), lowercase */
    const char *rest[4]; /* a multi-word verb's other words, in text order */
    uint8_t n_rest;
    uint8_t n_before; /* how many of rest come before the verb ("re_+arrest") */
    uint8_t flags;    /* ND__VR_NULL when its code is "---"; ND__VR_PROJECT, ND__VR_NOUN */
    uint8_t gen;      /* the dictionary set it came from: a later one shadows earlier ones */
    char code[6], pcode[6];
    uint32_t block;
} nd__verb;

/* key (lemma or form) -> verbs: a chain of these. */
typedef struct nd__vkey {
    uint32_t verb;
    uint32_t next;
} nd__vkey;

typedef struct nd__vset {
    const char *name;   /* "&weapon" */
    uint8_t no_plural;  /* the name ends in "_" */
    uint8_t complex;    /* an entry is a phrase pattern ("(to the end)") */
    uint8_t max_words;  /* longest entry, in words */
    uint32_t first_ent; /* entries: d->vset_ents chain */
} nd__vset;

typedef struct nd__vsetent {
    const char *text; /* lowercase words separated by spaces, or a pattern */
    uint32_t next;
} nd__vsetent;

typedef struct nd__cameo {
    char code[8];
    double goldstein;
    int quad;
    const char *name;
} nd__cameo;

/* A string-keyed open-addressing table: key -> (u32 value). */
typedef struct nd__map {
    uint64_t *hashes; /* 0 = empty */
    uint32_t *vals;
    const char **keys;
    uint32_t *key_lens;
    size_t cap, count;
} nd__map;

struct nd_analyze_dict {
    nd_arena *arena;
    nd__entity *ents;
    size_t n_ents, cap_ents;
    nd__role *roles;
    size_t n_roles, cap_roles;
    nd__phrase *phrases;
    size_t n_phrases, cap_phrases;
    nd__map phrase_map; /* "w1 w2 w3" -> first phrase; UINT32_MAX-1 marks a prefix only */
    nd__vpat *vpats;
    size_t n_vpats, cap_vpats;
    nd__map verb_map; /* inflected head form -> first pattern */
    nd__cue *cues;
    size_t n_cues, cap_cues;
    nd__map cue_map; /* inflected form -> first cue */
    nd__cameo *cameo;
    size_t n_cameo, cap_cameo;
    nd__map cameo_map; /* code -> index */
    int max_phrase;
    /* the verb lexicon (verbs.c) */
    nd__verb *verbs;
    size_t n_verbs, cap_verbs;
    nd__vkey *vkeys;
    size_t n_vkeys, cap_vkeys;
    nd__map vverb_map; /* verb lemma or form -> first vkey */
    nd__map vnoun_map; /* event noun (and plural) -> first vkey */
    nd__vblock *vblocks;
    size_t n_vblocks, cap_vblocks;
    nd__vrule *vrules;
    size_t n_vrules, cap_vrules;
    nd__pel *pels;
    size_t n_pels, cap_pels;
    nd__vset *vsets;
    size_t n_vsets, cap_vsets;
    nd__vsetent *vset_ents;
    size_t n_vset_ents, cap_vset_ents;
    uint8_t vgen;        /* dictionary set being loaded: 0 the defaults, then +1 per addition */
    nd__map vset_first;  /* a word -> the synsets with an entry starting with it (vset_bits) */
    uint64_t *vset_bits; /* two words of bits per entry of vset_first */
    size_t n_vset_bits, cap_vset_bits;
    nd__map vset_names;   /* "&name" -> synset */
    nd__map vset_phrases; /* "<synset>|w1 w2" -> 1 */
};

/* The data files compiled into the library (tools/embed_data.cmake). */
#include "base/blob.h"

#define ND__NONE   UINT32_MAX
#define ND__PREFIX (UINT32_MAX - 1)

int nd__map_put(nd_arena *ar, nd__map *m, const char *key, size_t n, uint32_t val, uint32_t **slot);
/* Returns the value or ND__NONE. */
uint32_t nd__map_get(const nd__map *m, const char *key, size_t n);
void nd__map_free(nd__map *m);

/* Inflect a regular English verb: fills forms (3sg, past, gerund).  out
 * must hold 3 x 64 bytes. */
void nd__inflect(const char *lemma, char out[3][64]);

/* Small helpers of the dictionary loaders (dict.c): grow an array to hold
 * need elements (0 or ND_ENOMEM); a lowercased copy in the dictionary's
 * arena (NULL when out of memory); trim blanks; the regular plural of the
 * last word of s into out (its length, 0 when it does not fit; "-man"
 * gives "-men"). */
int nd__dict_grow(void **p, size_t *cap, size_t need, size_t elem);
char *nd__lower_dup(nd_analyze_dict *d, const char *s, size_t n);
nd_slice nd__trim(const char *s, size_t n);
size_t nd__plural(const char *s, size_t n, char *out, size_t cap);
/* ND_EPARSE with "NAME:LINE: what" in err. */
int nd__dict_parse_err(nd_error *err, const char *name, int line, const char *what);

/* Load one file of newsdesk's own format (from memory). */
int nd__dict_load_text(nd_analyze_dict *d, const char *name, const char *text, size_t len,
                       nd_error *err);

/* The dictionaries' compiled form (dict.c; tools/gen_dict_blob.c writes the
 * default set's, src/analyze/dict_blob.c compiles it in): of d, in *out
 * (nd_free it), 0 or ND_ENOMEM.  Only a build of the same code reads it:
 * nd__dict_from_compiled() gives NULL for any other layout or for a key
 * other than that of the texts compiled in.  nd__dict_compiled_loads()
 * counts the dictionaries made from a compiled form in this process. */
int nd__dict_compile(const nd_analyze_dict *d, void **out, size_t *len);
nd_analyze_dict *nd__dict_from_compiled(const void *form, size_t len, uint64_t key);
size_t nd__dict_compiled_loads(void);
/* The default dictionaries parsed from the texts compiled in (never from
 * the compiled form): what gen_dict_blob compiles and the tests compare. */
nd_analyze_dict *nd__dict_load_embedded(nd_error *err);

/* Verb lexicon (verbs.c).  Loaders: a "# cameo-verbs" file (strict: an
 * error names file:line), a PETRARCH verb dictionary (lenient, as PETRARCH
 * reads it: unusable lines are skipped; *skipped counts them), and one
 * line of a newsdesk "# verbs" file (code, ND__VR_SYM / ND__VR_NOUN, a
 * passive pattern, head, forms, words with the target before
 * words[target_at] (-1: none)). */
int nd__vlex_load_compact(nd_analyze_dict *d, const char *name, const char *text, size_t len,
                          nd_error *err);
int nd__vlex_load_petrarch(nd_analyze_dict *d, const char *text, size_t len, size_t *skipped);
int nd__vlex_add_project(nd_analyze_dict *d, const char *code, int flags, int passive,
                         const char *head, const char *const *forms, size_t n_forms,
                         const char *const *words, int n_words, int target_at, uint32_t line);
void nd__vlex_free(nd_analyze_dict *d);
/* First vkey of the verbs (noun = 0) or event nouns (noun = 1) with this
 * lemma or form, or ND__NONE; follow nd__vkey.next. */
uint32_t nd__vlex_find(const nd_analyze_dict *d, int noun, const char *w, size_t n);
/* Words of the longest entry of synset set that matches words[0..n)
 * (lowercase forms; a regular plural matches its singular), or 0. */
int nd__vset_match(const nd_analyze_dict *d, uint32_t set, const char *const *words, size_t n);
/* The synsets (bits of set ids below 128) with an entry starting with word
 * w, or NULL; a synset id of 128 or more always matches the prefilter. */
const uint64_t *nd__vset_first(const nd_analyze_dict *d, const char *w, size_t n);

/* Days since the epoch for a civil date; and back. */
int32_t nd__days_from_civil(int y, int m, int d);
void nd__civil_from_days(int32_t z, int *y, int *m, int *d);
/* Parse "YYYY-MM-DD", "YYYYMMDD", "YYMMDD", "YYYY"; returns 0 and *days. */
int nd__parse_day(const char *s, size_t n, int32_t *days);

/* ---- per-text working state ----------------------------------------------- */

/* A token plus what the analysis learns about it. */
typedef struct nd__tok {
    uint32_t off, len;
    uint16_t type, flags;
    uint32_t sent;       /* sentence index */
    uint32_t para;       /* paragraph index */
    int32_t mention;     /* mention index covering this token, or -1 */
    uint8_t in_quote;    /* inside quotation marks (outer level) */
    uint8_t is_cue;      /* a cue verb form */
    uint8_t line_before; /* a single line break precedes the token */
    uint16_t lower_len;
    const char *lower; /* lowercased, possessive dropped (arena) */
} nd__tok;

/* A working mention (before actors are final). */
typedef struct nd__ment {
    uint32_t t0, t1;     /* token range [t0, t1) */
    uint32_t start, end; /* byte span */
    int32_t actor;       /* doc actor index or -1 */
    int32_t actor2;      /* a second actor ("the two leaders", "they"), or -1 */
    uint8_t how;         /* nd_mention_how */
    uint8_t pronoun;     /* 1 he, 2 she, 3 they/them, 4 it, 5 I/we (speaker inside quotes) */
    uint8_t person;      /* refers to a person */
    uint8_t subj;        /* first mention of its clause (a likely subject) */
    uint8_t poss;        /* ends in a possessive */
    uint8_t obj;         /* an object pronoun ("him") */
    uint8_t petrarch;
    uint8_t resolved; /* a pronoun whose resolution was tried (coref.c) */
    uint32_t sent;
} nd__ment;

/* A document actor while analysing. */
typedef struct nd__dact {
    const char *name;
    char code[24];
    char country[8];
    const char *role;
    const char *surname; /* last word of a person's name, lowercased */
    int kind;
    int in_dict;
    int32_t dict_ent; /* dictionary entity or -1 */
    int plain;        /* the dictionary entity itself (not one of its agents) */
    int used;         /* a speaker or an event participant */
    char gender;
    uint32_t n_mentions;
    int32_t first_mention;
    uint32_t last_tok; /* token of the latest mention */
} nd__dact;

typedef struct nd__wquote {
    int type;
    int scare;
    int stance; /* an act or stance reported by its object or infinitive */
    uint32_t c_start[16], c_end[16];
    int n_content;
    nd_span clause;
    nd_span source;
    nd_span cue;
    const char *cue_lemma;
    int32_t speaker; /* doc actor */
    const char *speaker_text;
    uint32_t sent;
    uint32_t t_first; /* first content token, for ordering */
} nd__wquote;

typedef struct nd__wevent {
    int32_t src, tgt; /* doc actors */
    char src_code[24], tgt_code[24];
    char code[8];
    uint32_t sent;
    nd_span verb;
    int negated;
    int32_t day; /* ND__DAY_MIN when unknown */
} nd__wevent;

/* A syntactic word of the document with its place in its sentence's tree
 * (tree.c).  Indexes are document-wide. */
typedef struct nd__word {
    uint32_t start, end; /* byte span */
    int32_t head;        /* head word, -1 for a sentence's root */
    int32_t child;       /* first dependent (in word order), -1 none */
    int32_t next;        /* next dependent of the same head, -1 none */
    int32_t lo, hi;      /* first and last word of the subtree */
    uint32_t tok;        /* the token holding the word's first byte */
    uint32_t sent;       /* sentence index */
    uint8_t upos;        /* nd_upos */
    uint8_t deprel;      /* nd_deprel */
    uint8_t rel;         /* nd_deprel_base(deprel) */
    uint8_t flags;       /* ND_WORDF_* */
    const char *lemma;   /* lowercased lemma (arena) */
} nd__word;

typedef struct nd__doc {
    const nd_analyze_dict *dict;
    nd_arena *ar;
    const char *text;
    size_t len;
    nd__tok *toks;
    size_t n_toks;
    nd_span *sents;              /* byte spans */
    uint32_t *sent_t0, *sent_t1; /* token ranges */
    size_t n_sents;
    nd__ment *ments;
    size_t n_ments, cap_ments;
    nd__dact *acts;
    size_t n_acts, cap_acts;
    nd__wquote *quotes;
    size_t n_quotes, cap_quotes;
    nd__wquote *stances; /* moved out of quotes when they are all found */
    size_t n_stances;
    nd__wevent *events;
    size_t n_events, cap_events;
    int32_t day; /* article date, days since epoch, or ND__DAY_MIN */
    int failed;  /* out of memory somewhere */
    /* Quotation mark pairs found in the text (token indexes). */
    uint32_t *q_open, *q_close; /* token indexes of the marks */
    int32_t *q_next;            /* the pair that continues this quotation in the next paragraph */
    uint8_t *q_open_end;        /* 1: no closing mark (continues in the next paragraph) */
    size_t n_qpairs;
    int32_t *sent_speaker; /* per sentence: speaker of its last attributed quotation */
    /* The dependency trees (tree.c): words in text order, the words of
     * sentence s are [sent_w0[s], sent_w1[s]); tok_w0[t] is the first word
     * of token t (words of one token are consecutive), -1 when none. */
    nd__word *words;
    size_t n_words;
    uint32_t *sent_w0, *sent_w1;
    int32_t *tok_w0;
    uint64_t *caps; /* hashes of words seen capitalised inside sentences */
    size_t caps_mask;
    struct nd__actor_ix *actor_ix; /* lookups of acts by entity, name, surname (actors.c) */
    /* Trees to use instead of the parser's (nd__analyze_given): CoNLL-U,
     * one sentence per sentence of the text; borrowed; NULL normally. */
    const char *given;
    size_t given_len;
} nd__doc;

/* nd_analyze() with the trees given as CoNLL-U (conllu[0..clen)) instead
 * of the parser's: one sentence for each sentence the analysis finds in
 * text, with the same words (FORM); UPOS, HEAD and DEPREL are taken from
 * it, and LEMMA unless "_"; trees that do not match the sentences are
 * an ND_EINVAL error.  For tests: a rule can be checked on the tree
 * a given model makes, whatever model is shipped.  Memory as
 * nd_analyze(); conllu is borrowed for the call. */
int nd__analyze_given(const char *text, size_t len, const nd_analyze_opts *opts, const char *conllu,
                      size_t clen, nd_analysis **out, nd_error *err);

/* Stages (each over the whole document). */
int nd__tokenize_doc(nd__doc *d);
void nd__split_sentences(nd__doc *d);
/* Tag and parse every sentence (work: the caller's, or NULL for one of
 * its own), or take its tree from d->given.  Returns 0, ND_ENOMEM, or
 * ND_EINVAL when d->given does not match the sentences; a document whose
 * parser cannot be loaded gets no trees (n_words 0) and an error. */
int nd__parse_doc(nd__doc *d, const nd_parser *p, nd_parse_work *work);
void nd__find_quote_marks(nd__doc *d);
void nd__find_mentions(nd__doc *d);
void nd__find_quotes(nd__doc *d);
void nd__find_events(nd__doc *d);

/* ---- the trees (tree.c) ---------------------------------------------------- */

/* The next dependent of word w after dependent prev (-1: the first) whose
 * universal relation is rel (ND_DEP_NONE: any); -1 when none. */
int32_t nd__w_child(const nd__doc *d, int32_t w, int rel, int32_t prev);
/* 1 when word w has a dependent with universal relation rel and, when
 * lemma is not NULL, that lemma. */
int nd__w_has(const nd__doc *d, int32_t w, int rel, const char *lemma);
/* The first and last word of w's subtree (inclusive). */
void nd__w_subtree(const nd__doc *d, int32_t w, int32_t *lo, int32_t *hi);
/* 1 when word a is w or below it in the tree. */
int nd__w_dominates(const nd__doc *d, int32_t w, int32_t a);
/* The byte span of words [lo, hi]. */
nd_span nd__w_span(const nd__doc *d, int32_t lo, int32_t hi);
/* The word whose span holds byte offset off, or -1. */
int32_t nd__w_at(const nd__doc *d, uint32_t off);
/* The head word of the mention (its word whose head is outside it), or -1. */
int32_t nd__ment_head(const nd__doc *d, size_t m);
/* The mention whose tokens hold word w, or -1. */
int32_t nd__w_ment(const nd__doc *d, int32_t w);

/* Helpers shared by the stages. */
int nd__tok_is(const nd__doc *d, size_t i, const char *lower);
int nd__tok_in(const nd__doc *d, size_t i, const char *const *set);
/* Whether w is one of the words of a NULL-terminated list.  Most words
 * differ from most entries in their first byte, which is compared before
 * strcmp is called (the lists are searched for every token). */
static inline int nd__str_in(const char *w, const char *const *set)
{
    for (size_t k = 0; set[k]; k++)
        if (set[k][0] == w[0] && !strcmp(w, set[k])) return 1;
    return 0;
}
/* Cue class of token i (0 when not a cue verb), lemma in *lemma. */
int nd__cue_at(const nd__doc *d, size_t i, const char **lemma);
/* Mention index whose span starts at token i, or -1. */
int32_t nd__ment_at(const nd__doc *d, size_t i);
/* Coreference (coref.c).  Definite descriptions ("the ministry") to the
 * actor of their sector named just before; run after nd__find_mentions. */
void nd__coref_descriptions(nd__doc *d);
/* The actor of pronoun mention m (-1 when none fits); the mention is not
 * changed, except "they" that gets its second actor in actor2. */
int32_t nd__resolve_pronoun(nd__doc *d, size_t m);
/* Every he/she/him/her mention outside quotations not yet resolved. */
void nd__coref_pronouns(nd__doc *d);
/* The actor "it" at word w stands for (a country, organisation or group
 * that is the subject before it: "Russia says it wants ...", "The union
 * said ... It added ..."), -1 when it names a thing or nothing. */
int32_t nd__resolve_it(nd__doc *d, int32_t w);
/* New document actor for a mention's text; returns index or -1. */
int32_t nd__actor_add(nd__doc *d, const char *name, const char *code, int kind, int dict_ent);
const char *nd__code_country(const char *code, char out[8]);

#endif
