/* tags.h - tag table and class/id word table of the HTML front (private). */
#ifndef ND_HTML_TAGS_H
#define ND_HTML_TAGS_H

#include "extract/page.h"

/* Tag properties. */
enum {
    ND_TP_BLOCK = 1u << 0, /* starts/ends a block of text */
    ND_TP_DROP = 1u << 1,  /* its content is not page text (script, svg, ...) */
    ND_TP_VOID = 1u << 2,  /* has no content */
    ND_TP_FORMAT = 1u << 3 /* inline formatting: no node of its own */
};

/* Lowercase tag name -> ND_TAG_*; *props gets ND_TP_* bits. */
int nd__tag_lookup(const char *name, unsigned *props);

/* Add the weight and flags that the words of a class or id attribute
 * carry ("related-posts" -> negative, ND_NODE_RELATED). */
void nd__class_words(const char *s, size_t n, int *weight, uint32_t *flags);

#endif
