/*
 * newsdesk/render.h - query results (newsdesk/query.h) as JSON.
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
 * in the order of nd_story_page. */
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

#ifdef __cplusplus
}
#endif
#endif
