/* lang.c - STUB until the language module lands. */
#include "newsdesk/lang.h"

#include <string.h>

const char *nd_lang_detect(const char *text, size_t len)
{
    (void) text, (void) len;
    return NULL;
}

int nd_stopword(const char *lang, const char *word, size_t len)
{
    static const char *const en[] = {"the", "a", "an", "and", "or", "of", "to", "in", "on",
                                     "for", "with", "is", "was", "that", "it", "as", "at", "by"};
    (void) lang;
    for (size_t i = 0; i < sizeof en / sizeof *en; i++)
        if (strlen(en[i]) == len && memcmp(en[i], word, len) == 0) return 1;
    return 0;
}
