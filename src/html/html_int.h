/* html_int.h - internals of the HTML front (private). */
#ifndef ND_HTML_INT_H
#define ND_HTML_INT_H

#include "html/tags.h"

/* Start tags longer than this are cut before parsing (see prefilter.c). */
#define ND_HTML_MAX_TAG (64u << 10)

/* Drop comments, script/style bodies (JSON-LD kept) and the attributes
 * html.c does not read, cut overlong tags.  Returns a new buffer (caller
 * frees with nd_free()) or NULL when out of memory. */
char *nd__html_prefilter(const char *s, size_t n, size_t *out_n);

#endif
