/*
 * newsdesk/lang.h - language identification and stop words.
 */
#ifndef NEWSDESK_LANG_H
#define NEWSDESK_LANG_H

#include "newsdesk/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The language of a UTF-8 text as an ISO 639-1 code ("en", "de", "zh",
 * ...), a static string, or NULL when the text is too short or unclear. */
ND_EXPORT const char *nd_lang_detect(const char *text, size_t len);

/* 1 when the word (UTF-8, lowercase) is a stop word of the language
 * (ISO 639-1; NULL means English), else 0.  Unknown languages have none. */
ND_EXPORT int nd_stopword(const char *lang, const char *word, size_t len);

#ifdef __cplusplus
}
#endif
#endif
