/*
 * newsdesk/render.h - query results (newsdesk/query.h) as JSON, HTML and
 * Markdown.
 *
 * One function per shape: the objects `newsdesk ... --json` prints, one
 * per line or whole, and the bodies of the HTTP API, which promises the
 * same shapes.  Each writes one JSON value into j (an nd_json over the
 * caller's nd_buf); it reads the result and owns nothing.  Strings are
 * escaped by the JSON writer (control characters, C1 codes, bidi
 * overrides as \u escapes: newsdesk/base.h), once, here at the edge.
 * Other renderers (the CLI's terminal tables, HTML) walk the same
 * results.
 */
#ifndef NEWSDESK_RENDER_H
#define NEWSDESK_RENDER_H

#include "newsdesk/base.h"
#include "newsdesk/query.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "id" (the external id when there is one, else the number) and
 * "doc_id": how every shape names a document. */
ND_EXPORT void nd_render_json_doc_id(nd_json *j, const char *ext_id, int64_t id);

/* search: id, doc_id, title, source, url, site, published, language,
 * score, snippet (the matches between [ and ]). */
ND_EXPORT void nd_render_json_hit(nd_json *j, const nd_hit *h);

/* stories: id, headline, articles, duplicates, outlets, first_seen,
 * last_seen, doc_id (the headline's document). */
ND_EXPORT void nd_render_json_story(nd_json *j, const nd_story_row *s);

/* story: the story's keys, then documents: [{id, doc_id, title, site,
 * host, url, published, fetched, language, parent, duplicates: [...]}]
 * in the order of nd_story_page; when not every article is shown, also
 * shown (the documents listed, duplicates included) and outlet_articles:
 * [{outlet, articles}] for every outlet of the story. */
ND_EXPORT void nd_render_json_story_page(nd_json *j, const nd_story_page *p);

/* show and export: a document whole: id, doc_id, ext_id, url, host, site,
 * title, author, published, fetched, language, credit, text, paragraphs,
 * source, offset, line, version, versions, parent, content_hash,
 * raw_hash, run, added, related, story, dup_of, actors, quotes, events
 * (null when never analysed). */
ND_EXPORT void nd_render_json_document(nd_json *j, const nd_store_doc *d);

/* quotes: speaker, speaker_code, date, type, scare, text, cue, span,
 * source, id, doc_id, title, url, site. */
ND_EXPORT void nd_render_json_quote(nd_json *j, const nd_quote_row *q);

/* actors (and an actor's peers): name, code, kind, country, role,
 * documents, mentions. */
ND_EXPORT void nd_render_json_actor(nd_json *j, const nd_actor_row *a);

/* actor: {actors: [.. + quotes, first, last], by, timeline: [{period,
 * documents, mentions}], quotes: [{speaker, date, type, text, id, doc_id,
 * title}], peers: [actor]}. */
ND_EXPORT void nd_render_json_actor_page(nd_json *j, const nd_actor_page *p);

/* events --format jsonl: event_id, date, source, target, source_name,
 * target_name, code, name, goldstein, quad, negated, sentence ([start,
 * end]), id, doc_id, url. */
ND_EXPORT void nd_render_json_event(nd_json *j, const nd_event_row *e);

/* relations: {a, b, by, periods: [{period, events, verbal_cooperation,
 * material_cooperation, verbal_conflict, material_conflict, goldstein}],
 * events: [{date, source, target, source_name, target_name, code, name,
 * goldstein, quad, negated, sentence (its text), span, id, doc_id, title,
 * url, site}]}. */
ND_EXPORT void nd_render_json_relations(nd_json *j, const nd_relations_page *p);

/* stats: database (the path given), schema, the counts, first_published,
 * last_published, site / host / language: [{value, documents}], runs. */
ND_EXPORT void nd_render_json_stats(nd_json *j, const nd_stats_page *st, const char *database);

/* errors: run, at, source, offset, line, code, message. */
ND_EXPORT void nd_render_json_error(nd_json *j, const nd_store_error *e);

/* "key": [items[0] .. items[n-1], each written by fn(j, &item)]. */
#define ND_RENDER_JSON_LIST(j, key, items, n, fn)                                                  \
    do {                                                                                           \
        nd_json_key((j), (key));                                                                   \
        nd_json_arr_begin(j);                                                                      \
        for (size_t i_ = 0; i_ < (size_t) (n); i_++) fn((j), &(items)[i_]);                        \
        nd_json_arr_end(j);                                                                        \
    } while (0)

/* ---- more JSON shapes: the API's (docs/api.md) and `digest --format json` ---- */

/* keywords: [{text, kind, score, documents}]. */
ND_EXPORT void nd_render_json_keywords(nd_json *j, const nd_keyword_row *k, size_t n);
/* summary: {sentences: [{text, doc_id, outlet, sources: [doc ids],
 * outlets}], outlets: [{outlet, doc_id, id, title, url, date, lede,
 * articles}]}. */
ND_EXPORT void nd_render_json_summary(nd_json *j, const nd_story_summary *s);
/* digest / front page: {day, prev, next, stories: [story keys + rank,
 * outlet_names, summary, keywords, actors, quotes, events]}. */
ND_EXPORT void nd_render_json_briefing(nd_json *j, const nd_briefing *b);
/* search facets: {matches, sampled, site: [{value, documents}], day, language, actor}. */
ND_EXPORT void nd_render_json_facets(nd_json *j, const nd_facet_list *f);

/* ---- HTML (src/render/html.c) ------------------------------------------------------
 *
 * Whole pages for the web (newsdesk serve) and the digest's HTML.  Every
 * string that came from a page goes through one of the escapes below,
 * chosen by where it lands; each also turns control characters (terminal
 * escapes) into U+FFFD and drops bidi embeddings, overrides and isolates,
 * so that a title can neither run script nor reorder the page around it.
 * Pages use no inline script or style: one stylesheet (/static/app.css)
 * and one script (/static/app.js), so a strict Content-Security-Policy
 * holds. */

/* Element text. */
ND_EXPORT void nd_html_text(nd_buf *out, const char *s, size_t n);
/* A double-quoted attribute value. */
ND_EXPORT void nd_html_attr(nd_buf *out, const char *s, size_t n);
/* A link to the web from a page (href="..."): only http: and https:
 * URLs, percent-encoded where needed and attribute-escaped.  Returns 0
 * when written, -1 (nothing written) for any other scheme (javascript:,
 * data:, ...) or a malformed URL. */
ND_EXPORT int nd_html_url(nd_buf *out, const char *url);
/* A query-string value or path segment of newsdesk's own links
 * (percent-encoded: only unreserved characters stay). */
ND_EXPORT void nd_url_param(nd_buf *out, const char *s, size_t n);
/* The body of a JSON string inside <script type="application/json">:
 * JSON escapes plus < > & as \u003c \u003e \u0026, so "</script>" cannot
 * close the element. */
ND_EXPORT void nd_html_json(nd_buf *out, const char *s, size_t n);
/* Text of an SVG <text> or <title> element. */
ND_EXPORT void nd_svg_text(nd_buf *out, const char *s, size_t n);

/* The story page's parts (any may be NULL but story). */
typedef struct nd_html_story {
    const nd_story_page *story;
    const nd_story_summary *summary;
    const nd_keyword_list *keywords;
    const nd_actor_list *actors;
    const nd_quote_list *quotes;
    const nd_event_list *events;
} nd_html_story;

/* The actor page's parts. */
typedef struct nd_html_actor {
    const nd_actor_page *actor;
    const nd_event_list *events; /* its events, either side */
    const nd_quote_list *about;  /* quotations that name it */
} nd_html_actor;

/* The search page: what was asked (echoed in the form), and the answer
 * or the error. */
typedef struct nd_html_search {
    const nd_query_opts *q; /* text, site, language, actor, since, until */
    const nd_hit_list *hits;
    const nd_facet_list *facets;
    const char *error; /* a bad query's message, or NULL */
    /* Each hit's quotations and events (parallel to hits->items; either
     * array or any entry may be NULL). */
    const nd_quote_list *const *hit_quotes;
    const nd_event_list *const *hit_events;
} nd_html_search;

ND_EXPORT void nd_render_html_front(nd_buf *out, const nd_briefing *b, const nd_story_list *more);
ND_EXPORT void nd_render_html_stories(nd_buf *out, const nd_story_list *l);
ND_EXPORT void nd_render_html_story(nd_buf *out, const nd_html_story *v);
ND_EXPORT void nd_render_html_article(nd_buf *out, const nd_article_page *p);
ND_EXPORT void nd_render_html_actors(nd_buf *out, const nd_actor_list *l);
ND_EXPORT void nd_render_html_actor(nd_buf *out, const nd_html_actor *v);
/* The relations of two actors; quotes: what each says naming the other
 * (may be NULL). */
ND_EXPORT void nd_render_html_relations(nd_buf *out, const nd_relations_page *p,
                                        const nd_quote_list *quotes);
ND_EXPORT void nd_render_html_search(nd_buf *out, const nd_html_search *v);
/* The briefing as a page of the site (standalone 0) or as one
 * self-contained document for e-mail (standalone 1: its style in the
 * head, links absolute to base_url when not NULL). */
ND_EXPORT void nd_render_html_digest(nd_buf *out, const nd_briefing *b, int standalone,
                                     const char *base_url);
/* An error page: status and a message (escaped). */
ND_EXPORT void nd_render_html_error(nd_buf *out, int status, const char *message);

/* The briefing as Markdown (`newsdesk digest`): text from pages with
 * Markdown's special characters escaped and controls neutralised. */
ND_EXPORT void nd_render_md_digest(nd_buf *out, const nd_briefing *b, const char *base_url);

#ifdef __cplusplus
}
#endif
#endif
