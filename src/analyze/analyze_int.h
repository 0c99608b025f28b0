/* analyze_int.h - internals of the analysis module (src/analyze/). */
#ifndef ND_ANALYZE_INT_H
#define ND_ANALYZE_INT_H

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

/* Load one file of newsdesk's own format (from memory). */
int nd__dict_load_text(nd_analyze_dict *d, const char *name, const char *text, size_t len,
                       nd_error *err);

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
} nd__doc;

/* Stages (each over the whole document). */
int nd__tokenize_doc(nd__doc *d);
void nd__split_sentences(nd__doc *d);
/* Tag and parse every sentence (work: the caller's, or NULL for one of
 * its own).  Returns 0 or ND_ENOMEM; a document whose parser cannot be
 * loaded gets no trees (n_words 0) and an error. */
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
