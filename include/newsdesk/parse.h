/*
 * newsdesk/parse.h - part-of-speech tags, lemmas and labelled dependency
 * trees of English sentences (Universal Dependencies v2).
 *
 * A greedy averaged-perceptron tagger and a greedy transition-based parser
 * (arc-hybrid), trained on UD English EWT (docs/architecture.md, "Parse").
 * The model ships with the library (data/parse/en_ewt.ndpm, compiled in),
 * so nothing needs training or a data directory.
 *
 * The steps, all over one UTF-8 text and byte offsets into it:
 *   nd_parse_sentences()  text -> sentence spans (the analysis's splitter)
 *   nd_parse_words()      one sentence -> UD-style words ("don't" -> "do"
 *                         "n't", "Russia's" -> "Russia" "'s", "U.S." whole)
 *   nd_parse_sentence()   words -> UPOS, lemma, head, dependency label
 *
 * A parser is immutable once loaded and may be shared by threads; each
 * thread parses with its own nd_parse_work, so parsing allocates nothing
 * per sentence.
 */
#ifndef NEWSDESK_PARSE_H
#define NEWSDESK_PARSE_H

#include "newsdesk/base.h"
#include "newsdesk/analyze.h" /* nd_span */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- labels -------------------------------------------------------------- */

/* Universal part-of-speech tags: X(enum suffix, name). */
#define ND_UPOS_MAP(X)                                                                             \
    X(NONE, "_")                                                                                   \
    X(ADJ, "ADJ")                                                                                  \
    X(ADP, "ADP")                                                                                  \
    X(ADV, "ADV")                                                                                  \
    X(AUX, "AUX")                                                                                  \
    X(CCONJ, "CCONJ")                                                                              \
    X(DET, "DET")                                                                                  \
    X(INTJ, "INTJ")                                                                                \
    X(NOUN, "NOUN")                                                                                \
    X(NUM, "NUM")                                                                                  \
    X(PART, "PART")                                                                                \
    X(PRON, "PRON")                                                                                \
    X(PROPN, "PROPN")                                                                              \
    X(PUNCT, "PUNCT")                                                                              \
    X(SCONJ, "SCONJ")                                                                              \
    X(SYM, "SYM")                                                                                  \
    X(VERB, "VERB")                                                                                \
    X(X, "X")

typedef enum nd_upos {
#define ND__UPOSENUM(e, s) ND_UPOS_##e,
    ND_UPOS_MAP(ND__UPOSENUM) ND_UPOS_COUNT
#undef ND__UPOSENUM
} nd_upos;

/* Dependency relations of UD v2 with the subtypes English treebanks use:
 * X(enum suffix, name).  Values are stable: new ones are only appended. */
#define ND_DEPREL_MAP(X)                                                                           \
    X(NONE, "_")                                                                                   \
    X(ACL, "acl")                                                                                  \
    X(ACL_RELCL, "acl:relcl")                                                                      \
    X(ADVCL, "advcl")                                                                              \
    X(ADVCL_RELCL, "advcl:relcl")                                                                  \
    X(ADVMOD, "advmod")                                                                            \
    X(AMOD, "amod")                                                                                \
    X(APPOS, "appos")                                                                              \
    X(AUX, "aux")                                                                                  \
    X(AUX_PASS, "aux:pass")                                                                        \
    X(CASE, "case")                                                                                \
    X(CC, "cc")                                                                                    \
    X(CC_PRECONJ, "cc:preconj")                                                                    \
    X(CCOMP, "ccomp")                                                                              \
    X(CLF, "clf")                                                                                  \
    X(COMPOUND, "compound")                                                                        \
    X(COMPOUND_PRT, "compound:prt")                                                                \
    X(CONJ, "conj")                                                                                \
    X(COP, "cop")                                                                                  \
    X(CSUBJ, "csubj")                                                                              \
    X(CSUBJ_OUTER, "csubj:outer")                                                                  \
    X(CSUBJ_PASS, "csubj:pass")                                                                    \
    X(DEP, "dep")                                                                                  \
    X(DET, "det")                                                                                  \
    X(DET_PREDET, "det:predet")                                                                    \
    X(DISCOURSE, "discourse")                                                                      \
    X(DISLOCATED, "dislocated")                                                                    \
    X(EXPL, "expl")                                                                                \
    X(FIXED, "fixed")                                                                              \
    X(FLAT, "flat")                                                                                \
    X(FLAT_FOREIGN, "flat:foreign")                                                                \
    X(GOESWITH, "goeswith")                                                                        \
    X(IOBJ, "iobj")                                                                                \
    X(LIST, "list")                                                                                \
    X(MARK, "mark")                                                                                \
    X(NMOD, "nmod")                                                                                \
    X(NMOD_DESC, "nmod:desc")                                                                      \
    X(NMOD_NPMOD, "nmod:npmod")                                                                    \
    X(NMOD_POSS, "nmod:poss")                                                                      \
    X(NMOD_TMOD, "nmod:tmod")                                                                      \
    X(NMOD_UNMARKED, "nmod:unmarked")                                                              \
    X(NSUBJ, "nsubj")                                                                              \
    X(NSUBJ_OUTER, "nsubj:outer")                                                                  \
    X(NSUBJ_PASS, "nsubj:pass")                                                                    \
    X(NUMMOD, "nummod")                                                                            \
    X(OBJ, "obj")                                                                                  \
    X(OBL, "obl")                                                                                  \
    X(OBL_AGENT, "obl:agent")                                                                      \
    X(OBL_NPMOD, "obl:npmod")                                                                      \
    X(OBL_TMOD, "obl:tmod")                                                                        \
    X(OBL_UNMARKED, "obl:unmarked")                                                                \
    X(ORPHAN, "orphan")                                                                            \
    X(PARATAXIS, "parataxis")                                                                      \
    X(PUNCT, "punct")                                                                              \
    X(REPARANDUM, "reparandum")                                                                    \
    X(ROOT, "root")                                                                                \
    X(VOCATIVE, "vocative")                                                                        \
    X(XCOMP, "xcomp")

typedef enum nd_deprel {
#define ND__DEPENUM(e, s) ND_DEP_##e,
    ND_DEPREL_MAP(ND__DEPENUM) ND_DEP_COUNT
#undef ND__DEPENUM
} nd_deprel;

/* "NOUN", "VERB", ...; "_" for NONE and out-of-range values.  Static. */
ND_EXPORT const char *nd_upos_name(int upos);
/* "nsubj:pass", ...; "_" for NONE and out-of-range values.  Static. */
ND_EXPORT const char *nd_deprel_name(int deprel);
/* The tag named by (s, n); ND_UPOS_NONE when unknown. */
ND_EXPORT int nd_upos_from_name(const char *s, size_t n);
/* The relation named by (s, n); an unknown subtype gives its universal
 * relation ("obl:about" -> ND_DEP_OBL); ND_DEP_NONE when unknown. */
ND_EXPORT int nd_deprel_from_name(const char *s, size_t n);
/* The universal relation of a subtype (ND_DEP_NSUBJ_PASS -> ND_DEP_NSUBJ);
 * a universal relation is its own. */
ND_EXPORT int nd_deprel_base(int deprel);

/* ---- the model --------------------------------------------------------- */

typedef struct nd_parser nd_parser;

/* The shipped model: $NEWSDESK_DATA_DIR/parse/en_ewt.ndpm when that
 * variable is set, else the copy compiled into the library.  Loaded once
 * per process on first use (thread-safe).  Returns NULL when the file is
 * missing or bad (err says why).  Borrowed; valid for the life of the
 * process; never free it. */
ND_EXPORT const nd_parser *nd_parser_default(nd_error *err);

/* Load a model file (mapped into memory and checked: magic, format
 * version, sizes, checksum, tables).  A truncated, corrupt or old file is
 * an error (ND_EFORMAT, ND_EIO), never a crash.  Caller owns; free with
 * nd_parser_free().  NULL on error with err filled. */
ND_EXPORT nd_parser *nd_parser_load(const char *path, nd_error *err);

/* The same from bytes in memory (borrowed: they must outlive the parser). */
ND_EXPORT nd_parser *nd_parser_load_mem(const void *data, size_t len, nd_error *err);

/* Frees a parser from nd_parser_load*(); NULL is fine. */
ND_EXPORT void nd_parser_free(nd_parser *p);

/* ---- words ----------------------------------------------------------------- */

/* The longest sentence parsed as one tree, in words.  A longer sentence
 * is parsed in consecutive pieces of at most this many words, each cut
 * after a punctuation mark when one is near the limit; the root of every
 * later piece is attached to the first piece's root as parataxis, so the
 * result stays one tree and the work stays linear in the length. */
#define ND_PARSE_MAX_WORDS 256

enum {
    ND_WORDF_NOSPACE = 1u << 0, /* no white space follows the word in the text */
    ND_WORDF_SPLIT = 1u << 1,   /* one of several words of one written token
                                   ("do" and "n't" of "don't") */
    ND_WORDF_CUT = 1u << 2      /* the sentence was parsed in pieces (see above) */
};

/* One syntactic word of a sentence.  nd_parse_words() fills start, end
 * and flags; nd_parse_sentence() fills the rest. */
typedef struct nd_word {
    uint32_t start, end; /* byte span [start, end) of the word in the text */
    int32_t head;        /* index of the head word in the sentence; -1 for the root */
    uint8_t upos;        /* nd_upos */
    uint8_t deprel;      /* nd_deprel */
    uint16_t flags;      /* ND_WORDF_* */
    const char *lemma;   /* NUL-terminated ("demanded" -> "demand"); borrowed from the
                            nd_parse_work: valid until its next parse or its free */
} nd_word;

/* The sentences of a text as byte spans, split as the analysis splits
 * them (at . ! ? before a capital, at paragraph breaks, ...).  Returns 0
 * and *spans (caller owns; free with nd_free()) and *n, or ND_ENOMEM. */
ND_EXPORT int nd_parse_sentences(const char *text, size_t len, nd_span **spans, size_t *n,
                                 nd_error *err);

/* The UD-style words of text[start, end) (one sentence), with spans into
 * text: tokens of the project tokenizer (nd_tokenize), with the clitics
 * English UD treebanks split off ("n't", "'s", "'m", "'re", "'ll", "'ve",
 * "'d"; "cannot", "gonna"), hyphenated compounds split at their hyphens
 * unless the first part is a prefix ("non-", "co-", "e-mail") or all parts
 * are numbers, and web addresses and e-mail addresses kept whole.  Writes
 * at most max words and returns how many; *stop (may be NULL) gets the
 * offset where it stopped (end when every word fit).  The words of one
 * token are written together or not at all; one token gives at most 64,
 * so max >= 64 always makes progress. */
ND_EXPORT size_t nd_parse_words(const char *text, size_t start, size_t end, nd_word *out,
                                size_t max, size_t *stop);

/* ---- parsing ------------------------------------------------------------- */

/* Per-thread scratch space.  Caller owns; free with nd_parse_work_free().
 * NULL when out of memory. */
typedef struct nd_parse_work nd_parse_work;
ND_EXPORT nd_parse_work *nd_parse_work_new(void);
ND_EXPORT void nd_parse_work_free(nd_parse_work *w);

/* Tag, lemmatise and parse one sentence of n words whose spans point into
 * text (as nd_parse_words() gives them; any spans will do, e.g. from a
 * CoNLL-U file, as long as they lie inside the text).  Fills upos, lemma,
 * head and deprel of every word; flags keep what the caller set, plus
 * ND_WORDF_CUT for long sentences.  Lemmas live in work until its next
 * use.  Returns 0, or ND_EINVAL (NULL arguments, a span outside len) or
 * ND_ENOMEM.  Thread-safe with a shared parser and one work per thread. */
ND_EXPORT int nd_parse_sentence(const nd_parser *p, const char *text, size_t len, nd_word *w,
                                size_t n, nd_parse_work *work);

/* ---- CoNLL-U ------------------------------------------------------------ */

/* One line of a CoNLL-U sentence, as read. */
typedef enum nd_conllu_kind {
    ND_CONLLU_COMMENT = 1, /* "# ..." */
    ND_CONLLU_WORD,        /* a syntactic word: integer ID */
    ND_CONLLU_RANGE,       /* a multiword token "3-4" */
    ND_CONLLU_EMPTY        /* an empty node "8.1" */
} nd_conllu_kind;

typedef struct nd_conllu_line {
    int kind;             /* nd_conllu_kind */
    const char *col[10];  /* the ten columns (NUL-terminated); a comment has its
                             text (after "#", trimmed) in col[0] and NULL elsewhere */
    uint32_t first, last; /* ID, or the range of a multiword token */
    int32_t head;         /* words: head index (0-based), -1 root, -2 "_" or none */
    uint8_t upos, deprel; /* words: nd_upos / nd_deprel of the columns (NONE for "_") */
    uint8_t space_after;  /* words and ranges: 0 when MISC has SpaceAfter=No */
} nd_conllu_line;

typedef struct nd_conllu_sent {
    nd_conllu_line *lines; /* in file order */
    size_t n_lines;
    size_t n_words;        /* lines of kind ND_CONLLU_WORD */
    const char *sent_id;   /* "# sent_id = X" value, or NULL */
    const char *text;      /* "# text = X" value, or NULL */
    const char *newdoc_id; /* "# newdoc id = X" value (or "" for a bare "# newdoc"), or NULL */
    int newpar;            /* a "# newpar" comment is present */
    size_t line_no;        /* 1-based line of the sentence's first line */
} nd_conllu_sent;

/* Reads CoNLL-U sentences from bytes in memory (borrowed: they must
 * outlive the reader).  Caller owns; free with nd_conllu_reader_free().
 * NULL when out of memory. */
typedef struct nd_conllu_reader nd_conllu_reader;
ND_EXPORT nd_conllu_reader *nd_conllu_reader_new(const char *data, size_t len);
ND_EXPORT void nd_conllu_reader_free(nd_conllu_reader *r);

/* The next sentence: returns 1 and *out (borrowed; valid until the next
 * call), 0 at the end, or ND_EPARSE with err naming the line and the
 * reason (wrong column count, bad ID, ID out of order, bad HEAD); after
 * an error the reader has skipped that sentence and the next call goes
 * on with the following one.  Words are numbered 0.. in the sentence
 * (CoNLL-U ID - 1). */
ND_EXPORT int nd_conllu_next(nd_conllu_reader *r, const nd_conllu_sent **out, nd_error *err);

#ifdef __cplusplus
}
#endif
#endif
