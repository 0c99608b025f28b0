/*
 * newsdesk/analyze.h - who said what, who did what to whom.
 *
 * Stateless analysis of one text (an article body): sentences, actor
 * mentions resolved to actors (people with their roles, countries,
 * governments, organisations, sector agents; "Mr Xi", "the Chinese leader"
 * and "he" resolve to Xi Jinping), attributed quotations (direct, partial,
 * indirect; speaker, cue verb) and events (actor - action - actor triples
 * coded in CAMEO with a Goldstein score and quad class, the sentence as
 * evidence, and a date).
 *
 * No parser model: a tokenizer, dictionaries and patterns.  The default
 * dictionaries are the project's own data files under data/ (format in
 * docs/analyze.md), compiled into the library; PETRARCH/Phoenix-format
 * actor, agent and verb dictionaries can be added on top.
 *
 * Every offset is a UTF-8 byte offset into the analysed text, end
 * exclusive.  An nd_analysis owns all its memory (one arena) and is
 * independent of the text it came from (strings are copied); a dictionary
 * is immutable once built and may be shared by threads.
 */
#ifndef NEWSDESK_ANALYZE_H
#define NEWSDESK_ANALYZE_H

#include "newsdesk/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest text analysed; longer input is analysed up to this many
 * bytes (cut at a paragraph or sentence break) and nd_analysis.truncated
 * is set.  Far more than ND_ANALYZE_MAX_TOKENS words take (the text is
 * tokenized up to here before the words are counted). */
#define ND_ANALYZE_MAX_BYTES ((size_t) 1 << 20)

/* The most words (tokens) analysed in one text: the sentences after the
 * one that reaches it are not analysed and nd_analysis.truncated is set.
 * It bounds the time a page costs (parsing is the cost: 50,000 words of
 * dense news prose take about 0.35 s of CPU), so that any page,
 * extraction and analysis, stays within 2 s (tests/test_patho.c: a 60 MB
 * page takes 1.5 s to extract); a news article is a few thousand words. */
#define ND_ANALYZE_MAX_TOKENS 50000

/* ---- dictionaries -------------------------------------------------------- */

typedef struct nd_analyze_dict nd_analyze_dict;

/* The default dictionaries: the files under the data directory, which is
 * $NEWSDESK_DATA_DIR when set, else the build's ND_DATA_DIR when it exists,
 * else the copy compiled into the library.  Loaded once per process on
 * first use (thread-safe).  Returns NULL only when out of memory or when a
 * data file is malformed (err says which file and line).  Borrowed; valid
 * for the life of the process. */
ND_EXPORT const nd_analyze_dict *nd_analyze_dict_default(nd_error *err);

/* A new dictionary set: the default files of data_dir (a directory with
 * actors/, verbs/, cameo/ as under data/; NULL for the default search
 * above).  Caller owns; free with nd_analyze_dict_free().  NULL on error
 * with err filled. */
ND_EXPORT nd_analyze_dict *nd_analyze_dict_new(const char *data_dir, nd_error *err);

/* Add PETRARCH/Phoenix-format dictionaries from a directory: every
 * *actors*.txt (actors with dated codes), *agents*.txt (agents) and the
 * verb file(s) (CAMEO.*.txt, *verbs*.txt: verb patterns).  Entries add to
 * (and for equal phrases take precedence over) those already loaded.
 * Returns 0, or ND_EIO/ND_EPARSE/ND_ENOMEM with err naming the file.  Not
 * thread-safe: build the dictionary before sharing it. */
ND_EXPORT int nd_analyze_dict_add_petrarch(nd_analyze_dict *d, const char *dir, nd_error *err);

/* Add one file in newsdesk's own format (docs/analyze.md): actors
 * (country/org/region/group/agent/person records) or, when it starts with
 * "# verbs", event verb patterns, or "# cues", quotation cue verbs. */
ND_EXPORT int nd_analyze_dict_add_file(nd_analyze_dict *d, const char *path, nd_error *err);

/* Counts, for messages and tests. */
ND_EXPORT size_t nd_analyze_dict_size(const nd_analyze_dict *d, size_t *n_phrases, size_t *n_verbs);

/* Frees the dictionary; NULL is fine.  Never free the default one. */
ND_EXPORT void nd_analyze_dict_free(nd_analyze_dict *d);

/* ---- results ------------------------------------------------------------- */

/* A byte span [start, end) into the analysed text; {0,0} = none. */
typedef struct nd_span {
    uint32_t start, end;
} nd_span;

typedef enum nd_actor_kind {
    ND_ACTOR_PERSON = 1, /* a named person, or an office ("Ukraine's foreign minister") */
    ND_ACTOR_COUNTRY,    /* a state, its capital, its people */
    ND_ACTOR_ORG,        /* international organisation, NGO, company, news outlet */
    ND_ACTOR_GROUP,      /* armed group, party, movement */
    ND_ACTOR_REGION,     /* Europe, the West, ... */
    ND_ACTOR_AGENT,      /* a sector of a country ("Russian troops"), or alone ("rebels") */
    ND_ACTOR_PLACE,      /* a named place that is not a country's metonym ("Tiananmen Square") */
    ND_ACTOR_OTHER       /* a named event, law, document...: "World War II", "the Peace
                            Agreement" (never a source or target of an event) */
} nd_actor_kind;

/* The name of a kind: "person", "country", "org", "group", "region", "agent",
 * "place", "other". */
ND_EXPORT const char *nd_actor_kind_name(int kind);

/* One actor of the document (all its mentions resolved to it).  Strings
 * are NUL-terminated, borrowed from the analysis. */
typedef struct nd_actor {
    const char *name;    /* canonical: "Xi Jinping", "Russia", "Russian military",
                            "Ukraine's foreign minister" */
    const char *code;    /* CAMEO actor code: "CHNGOV", "RUS", "IGOUNO", "---REB"; "" unknown */
    const char *country; /* ISO 3166 alpha-3 (or CAMEO region/IGO prefix), or NULL */
    const char *role;    /* "president", "foreign minister", ... or NULL */
    int kind;            /* nd_actor_kind */
    int in_dict;         /* 1 when the dictionaries know the actor */
    char gender;         /* 'm', 'f' or 0 */
    uint32_t n_mentions;
    uint32_t first_mention; /* index into nd_analysis.mentions */
} nd_actor;

typedef enum nd_mention_how {
    ND_MENTION_NAME = 1, /* the actor's name ("Xi Jinping", "Russia", "NATO") */
    ND_MENTION_ALIAS,    /* a short form resolved in context ("Xi", "Mr Xi") */
    ND_MENTION_ROLE,     /* an office or description ("the Chinese leader") */
    ND_MENTION_ADJ,      /* an adjective or demonym ("Chinese", "Russians") */
    ND_MENTION_METONYM,  /* a capital or seat ("Moscow", "the Kremlin") */
    ND_MENTION_PRONOUN   /* "he", "she", "they" */
} nd_mention_how;

typedef struct nd_mention {
    nd_span span;
    int32_t actor;     /* index into nd_analysis.actors */
    uint32_t sentence; /* index into nd_analysis.sentences */
    int how;           /* nd_mention_how */
} nd_mention;

typedef enum nd_quote_type {
    ND_QUOTE_DIRECT = 1, /* the speaker's words in quotation marks */
    ND_QUOTE_PARTIAL,    /* quoted fragments inside a paraphrase ("should be 'friends of steel'") */
    ND_QUOTE_INDIRECT    /* reported speech without quotation marks ("Putin said the two ...") */
} nd_quote_type;

/* "direct", "partial", "indirect". */
ND_EXPORT const char *nd_quote_type_name(int type);

typedef struct nd_quote {
    int type;         /* nd_quote_type */
    int scare;        /* 1: quotation marks with no speaker (scare or unattributed quotes) */
    const char *text; /* the quoted words, without the outer quotation marks; several
                         fragments are joined with " ... " */
    nd_span *content; /* the quoted material: for direct and partial quotes each
                         quotation including its marks, for indirect ones the
                         reported clause */
    size_t n_content;
    nd_span clause;           /* the reported clause that holds partial quotes; {0,0} otherwise */
    nd_span source;           /* the speaker mention ("Mr Putin", "he"); {0,0} = none */
    nd_span cue;              /* "said", "told", "according to"; {0,0} = none */
    const char *cue_lemma;    /* "say", "tell", "according to"; NULL = none */
    int32_t speaker;          /* index into nd_analysis.actors, or -1 */
    const char *speaker_name; /* actor name, or the source text when unresolved; NULL = none */
    uint32_t sentence;        /* index of the sentence where the quotation starts */
} nd_quote;

/* One sentence that reports an event. */
typedef struct nd_event_mention {
    nd_span sentence; /* the evidence */
    nd_span verb;     /* the words that carry the action */
    uint32_t sentence_index;
} nd_event_mention;

/* One event of the document: every sentence that reports the same action
 * (same source and target codes, same CAMEO root, same day — a day the text
 * does not name is the article's) is one event with several mentions, as
 * GDELT counts them.  sentence, verb and sentence_index are the first
 * mention's. */
typedef struct nd_event {
    const char *source_code; /* CAMEO actor codes ("RUSGOV", "CHN", "---REB") */
    const char *target_code;
    int32_t source, target; /* indexes into nd_analysis.actors */
    char code[8];           /* CAMEO event code, e.g. "040", "0841" */
    const char *code_name;  /* "Consult, not specified below", ... */
    double goldstein;       /* -10 .. +10 */
    int quad;         /* 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict */
    nd_span sentence; /* the evidence */
    nd_span verb;     /* the words that carry the action */
    int negated;      /* the action was negated and recoded ("would not provide" -> 121) */
    const char *date; /* "YYYY-MM-DD" (article date, or "on Thursday" resolved); NULL */
    uint32_t sentence_index;
    nd_event_mention *mentions; /* every mention in text order, the first included */
    size_t n_mentions;          /* >= 1 from nd_analyze; 0 means the one mention above */
} nd_event;

/* The analysis of one text.  Everything lives in the analysis's arena:
 * borrowed, valid until nd_analysis_free(). */
typedef struct nd_analysis {
    nd_span *sentences;
    size_t n_sentences;
    nd_actor *actors;
    size_t n_actors;
    nd_mention *mentions; /* in text order */
    size_t n_mentions;
    nd_quote *quotes; /* in text order */
    size_t n_quotes;
    nd_quote *stances; /* acts and stances reported by their object or
                          infinitive ("vowed to build a wall", "criticized
                          the plan"): attributions, not quotations; in text
                          order, type indirect or partial */
    size_t n_stances;
    nd_event *events; /* in text order */
    size_t n_events;
    size_t text_len;  /* bytes analysed */
    int truncated;    /* input was longer than ND_ANALYZE_MAX_BYTES or ND_ANALYZE_MAX_TOKENS:
                         text_len says how much was analysed */
    const char *date; /* the article date used ("YYYY-MM-DD") or NULL */
    nd_arena *arena;
} nd_analysis;

typedef struct nd_analyze_opts {
    const nd_analyze_dict *dict; /* NULL: nd_analyze_dict_default() */
    const char *date;            /* article date: ISO 8601 "2025-05-08", "20250508", or any form
                                    nd_time_parse() reads; NULL = unknown */
    const char *title;           /* optional headline (not analysed for quotes; used for context) */
    const char *language;        /* ISO 639-1; the rules are for English ("en" or NULL) */
    int no_events;               /* skip event coding */
    struct nd_parse_work *parse_work; /* the calling thread's parser scratch space
                                         (nd_parse_work_new()); NULL: one the library
                                         keeps for the calling thread (3.3 MB, freed
                                         when the thread ends) */
    int no_quotes;                    /* skip quotations */
} nd_analyze_opts;

ND_EXPORT void nd_analyze_opts_init(nd_analyze_opts *o);

/* Analyse len bytes of UTF-8 text (invalid bytes are tolerated; NUL bytes
 * are treated as spaces).  Returns 0 and *out (caller owns; free with
 * nd_analysis_free()), or ND_ENOMEM / ND_EINVAL with err filled.  Empty
 * text gives an empty analysis.  Thread-safe with a shared dictionary. */
ND_EXPORT int nd_analyze(const char *text, size_t len, const nd_analyze_opts *opts,
                         nd_analysis **out, nd_error *err);

/* Frees the analysis; NULL is fine. */
ND_EXPORT void nd_analysis_free(nd_analysis *a);

/* Write "actors", "quotes" and "events" as three keys into the JSON object
 * that is open in j (for `newsdesk analyze` and `newsdesk extract`):
 *   "actors": [{"name","code","kind","country","role","mentions":[[s,e],...]}]
 *   "quotes": [{"text","type","speaker","scare","content":[[s,e],...],
 *               "source":[s,e]|null,"cue":[s,e]|null,"cue_lemma"}]
 *   "events": [{"source","target","source_name","target_name","code","name",
 *               "goldstein","quad","negated","date","sentence":[s,e],"verb":[s,e],
 *               "mentions":[{"sentence":[s,e],"verb":[s,e]},...]}]
 * Offsets are bytes into the analysed text. */
ND_EXPORT void nd_analysis_to_json(const nd_analysis *a, nd_json *j);

/* Write the key "stances" (`newsdesk analyze`): nd_analysis.stances, with
 * the fields of "quotes".  The store keeps no stances. */
ND_EXPORT void nd_analysis_stances_json(const nd_analysis *a, nd_json *j);

/* Look up a CAMEO event code: name, Goldstein value and quad class.
 * Returns 0, or ND_ENOTFOUND.  name is borrowed from the dictionary. */
ND_EXPORT int nd_cameo_lookup(const nd_analyze_dict *d, const char *code, const char **name,
                              double *goldstein, int *quad);

#ifdef __cplusplus
}
#endif
#endif
