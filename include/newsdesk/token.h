/*
 * newsdesk/token.h - the one tokenizer for news text.
 *
 * Splits UTF-8 text into words, numbers and punctuation the way news text
 * needs: "U.S." and "Gen." stay whole, "Russia's" is one word token (the
 * possessive is flagged), "co-operation" and "27,000" and "3.5%" hold
 * together, curly and straight quotes are their own tokens.  Offsets are
 * byte offsets into the input, so every later stage can point back at the
 * text (quotes, events, snippets).
 */
#ifndef NEWSDESK_TOKEN_H
#define NEWSDESK_TOKEN_H

#include "newsdesk/base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nd_tok_type {
    ND_TOK_WORD = 1, /* letters (maybe with inner ' - . and digits) */
    ND_TOK_NUM,      /* digits, maybe with , . : / and a trailing % */
    ND_TOK_PUNCT,    /* one punctuation character (or "..." / "--") */
    ND_TOK_SYMBOL    /* anything else that is not space */
} nd_tok_type;

enum {
    ND_TOKF_CAP = 1u << 0,     /* first letter uppercase */
    ND_TOKF_ALLCAPS = 1u << 1, /* every letter uppercase (and >= 2 letters) */
    ND_TOKF_POSS = 1u << 2,    /* ends in 's / ’s (possessive) */
    ND_TOKF_ABBREV = 1u << 3,  /* ends with a period that belongs to it (U.S., Mr., Gen.) */
    ND_TOKF_QUOTE = 1u << 4,   /* punctuation that is a quotation mark */
    ND_TOKF_OPENQ = 1u << 5, /* ... an opening one ( “ « ‘ or a straight one judged opening) */
    ND_TOKF_CLOSEQ = 1u << 6,   /* ... a closing one */
    ND_TOKF_SENT_END = 1u << 7, /* . ! ? that can end a sentence */
    ND_TOKF_HYPHEN = 1u << 8,   /* word contains a hyphen */
    ND_TOKF_DIGIT = 1u << 9     /* word contains a digit */
};

typedef struct nd_token {
    uint32_t off;   /* byte offset in the text */
    uint32_t len;   /* byte length (for POSS, including the 's) */
    uint16_t type;  /* nd_tok_type */
    uint16_t flags; /* ND_TOKF_* */
} nd_token;

/* Tokenize text into the caller's array.  Returns the number of tokens
 * written (at most max); *consumed gets the offset where tokenizing stopped
 * (len when all was read), so long texts can be done in pieces. */
ND_EXPORT size_t nd_tokenize(const char *text, size_t len, nd_token *out, size_t max,
                             size_t *consumed);

/* Lowercase (Unicode simple case folding) a token's text into out,
 * dropping a possessive 's when drop_poss; returns the length written
 * (at most cap - 1, NUL-terminated). */
ND_EXPORT size_t nd_token_lower(const char *text, const nd_token *t, int drop_poss, char *out,
                                size_t cap);

/* 1 when the word is a known abbreviation that takes a period (Mr, Mrs,
 * Dr, Gen, Sen, Rep, Gov, Lt, Col, St, Jr, Inc, Corp, Co, Ltd, Jan, Feb,
 * ..., U.S, U.N, e.g, i.e, vs, No) - case-sensitive as written. */
ND_EXPORT int nd_is_abbrev(const char *w, size_t n);

#ifdef __cplusplus
}
#endif
#endif
