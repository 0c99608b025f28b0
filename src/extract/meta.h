/* meta.h - metadata of the article: title, authors, date, site, credit,
 * related items (private). */
#ifndef ND_EXTRACT_META_H
#define ND_EXTRACT_META_H

#include <jansson.h>

#include "extract/extract_int.h"

/* The whole line is an age or a date shown instead of one ("2 hours ago",
 * "yesterday", "Nov 19, 2019"). */
int nd__is_age_line(const char *s, size_t n);

/* When the line is an author bio ("Devika Rao has worked as a staff
 * writer ..."), copy the name into out (cap bytes) and return its length;
 * else 0.  out may be NULL to only test. */
size_t nd__bio_name(const char *s, size_t n, char *out, size_t cap);

/* 1 when the line is an author bio: a name followed by "is a reporter
 * at ...", "has worked as ...", "covers ...". */
int nd__is_bio(const char *s, size_t n);

/* A short line that reads like a subheading (no closing period). */
int nd__heading_like(nd_slice s);

/* Small text helpers of meta.c: is the letter at p a capital; the number
 * of words; the length of a person's name (2-4 capitalised words) that
 * starts s, or 0; the wire agency s names exactly, or NULL. */
int nd__upper_at(const char *p, size_t n);
int nd__words(nd_slice s);
size_t nd__name_prefix(const char *s, size_t n);
const char *nd__agency_exact(nd_slice s);

/* authors.c.  If the line is a byline ("By Jane Doe and John Roe, Reuters",
 * "Von X"), add the names to the article and return 1. */
int nd__byline(nd_extract_ctx *x, const char *s, size_t n, int loose);
/* Add the names of a list ("A, B and C"); structured: it comes from a
 * field that holds only names (a single word may be one).  Returns how
 * many were added. */
int nd__add_authors(nd_extract_ctx *x, const char *s, int structured);
/* The authors of JSON-LD's author/creator value ({"@id"} resolved in the
 * roots); Organizations are not authors. */
void nd__ld_authors(nd_extract_ctx *x, json_t *au, json_t *const *roots, size_t n_roots, int depth);
/* The article element around the chosen container: an <article> a few
 * levels up, else the first main/articleBody/strongly weighted ancestor;
 * 0 on text pages. */
uint32_t nd__article_node(const nd_extract_ctx *x);
/* A page that names no person as its author: the desk, organisation or
 * agency its author field or labelled byline declares ("Redaktion",
 * "HLNF Staff Report", "JIJI"), when there was one. */
void nd__org_author(nd_extract_ctx *x);
/* A single one-word author ("Todd" in JSON-LD) completed by the full
 * name the page shows in a short line by the article ("By Todd Bates"),
 * and a two-word name by the middle initial the page gives it ("Christian
 * P. Stadtfeld"). */
void nd__complete_author(nd_extract_ctx *x);
/* The page's own bylines: author elements in the article, then "By ..."
 * lines by the headline. */
void nd__page_authors(nd_extract_ctx *x);

/* Wire credit: a known agency in a dateline "(Reuters) -", a sign-off
 * "- Reuters" or a "Reporting by ..." line.  Returns the agency's canonical name
 * (static) or NULL; *cut_start and *cut_end give a span to remove from the
 * paragraph (equal when nothing is to be removed). */
const char *nd__credit_in(const char *s, size_t n, int first, size_t *cut_start, size_t *cut_end);

/* date.c: published and modified, from JSON-LD (the article's dates, then
 * another object's), <meta>, <time>, the page's datelines and the URL. */
void nd__assemble_dates(nd_extract_ctx *x, const char *ld_published, const char *ld_modified,
                        const char *ld_any_published, const char *ld_any_modified);
/* 2 when the words of s label a date as an update ("Updated",
 * "Aktualisiert am"), 1 as a publication, 0 neither (date.c). */
int nd__date_label(nd_slice s);

/* date.c: when nothing above gave a published date (nor an age beside
 * the title), the sources peers read that only fill gaps: rarer <meta>
 * names, then publication keys in scripts' JSON. */
void nd__gap_date(nd_extract_ctx *x);

/* comments.c: the reader comments of an HTML page (none for a thread). */
int nd__html_comments(nd_extract_ctx *x);

/* Fill title, authors, published, site, credit, language and related
 * items once blocks are labelled (both fronts). */
int nd__assemble_meta(nd_extract_ctx *x);

#endif
