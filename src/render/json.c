/* json.c - query results as JSON (newsdesk/render.h): the shapes of the
 * CLI's --json and of the HTTP API. */
#include <stdio.h>
#include <string.h>

#include "newsdesk/render.h"

static void key_str(nd_json *j, const char *key, const char *v)
{
    nd_json_key(j, key);
    nd_json_str(j, v);
}

static void key_int(nd_json *j, const char *key, long long v)
{
    nd_json_key(j, key);
    nd_json_int(j, v);
}

/* An id that 0 (or a negative) means "none" for. */
static void key_id_or_null(nd_json *j, const char *key, long long v, long long none_below)
{
    nd_json_key(j, key);
    if (v >= none_below)
        nd_json_int(j, v);
    else
        nd_json_null(j);
}

static void key_span(nd_json *j, const char *key, nd_span s)
{
    nd_json_key(j, key);
    nd_json_arr_begin(j);
    nd_json_int(j, s.start);
    nd_json_int(j, s.end);
    nd_json_arr_end(j);
}

/* A span that is none when empty at 0. */
static void key_span_or_null(nd_json *j, const char *key, nd_span s)
{
    if (!s.end && !s.start) {
        nd_json_key(j, key);
        nd_json_null(j);
        return;
    }
    key_span(j, key, s);
}

void nd_render_json_doc_id(nd_json *j, const char *ext_id, int64_t id)
{
    nd_json_key(j, "id");
    if (ext_id)
        nd_json_str(j, ext_id);
    else
        nd_json_int(j, id);
    key_int(j, "doc_id", id);
}

void nd_render_json_hit(nd_json *j, const nd_hit *h)
{
    nd_json_obj_begin(j);
    nd_render_json_doc_id(j, h->ext_id, h->id);
    key_str(j, "title", h->title);
    key_str(j, "source", h->source);
    key_str(j, "url", h->url);
    key_str(j, "site", h->site);
    key_str(j, "published", h->published);
    key_str(j, "language", h->language);
    nd_json_key(j, "score");
    nd_json_double(j, h->score, 4);
    /* The matches between [ and ], as the snippet is written for text. */
    nd_buf b = ND_BUF_INIT;
    const char *s = h->snippet ? h->snippet : "";
    size_t at = 0, len = strlen(s);
    for (size_t m = 0; m < h->n_marks; m++) {
        size_t a = h->marks[m].start, e = h->marks[m].end;
        if (a < at || e < a || e > len) continue;
        nd_buf_append(&b, s + at, a - at);
        nd_buf_putc(&b, '[');
        nd_buf_append(&b, s + a, e - a);
        nd_buf_putc(&b, ']');
        at = e;
    }
    nd_buf_append(&b, s + at, len - at);
    nd_json_key(j, "snippet");
    nd_json_str_n(j, b.ptr ? b.ptr : "", b.len);
    nd_buf_free(&b);
    nd_json_obj_end(j);
}

static void story_keys(nd_json *j, const nd_story_row *s)
{
    key_int(j, "id", s->id);
    key_str(j, "headline", s->headline);
    key_int(j, "articles", (long long) s->n_docs);
    key_int(j, "duplicates", (long long) s->n_dups);
    key_int(j, "outlets", (long long) s->n_sites);
    key_str(j, "first_seen", s->first_seen);
    key_str(j, "last_seen", s->last_seen);
    key_int(j, "doc_id", s->rep_doc);
}

void nd_render_json_story(nd_json *j, const nd_story_row *s)
{
    nd_json_obj_begin(j);
    story_keys(j, s);
    nd_json_obj_end(j);
}

static void story_article_keys(nd_json *j, const nd_story_article *a)
{
    nd_render_json_doc_id(j, a->ext_id, a->id);
    key_str(j, "title", a->title);
    key_str(j, "site", a->site);
    key_str(j, "host", a->host);
    key_str(j, "url", a->url);
    key_str(j, "published", a->published);
    key_str(j, "fetched", a->fetched);
    key_str(j, "language", a->language);
    key_id_or_null(j, "parent", a->parent_id, 1);
}

void nd_render_json_story_page(nd_json *j, const nd_story_page *p)
{
    nd_json_obj_begin(j);
    story_keys(j, &p->story);
    nd_json_key(j, "documents");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < p->n_articles;) {
        nd_json_obj_begin(j);
        story_article_keys(j, &p->articles[i]);
        nd_json_key(j, "duplicates");
        nd_json_arr_begin(j);
        size_t k = i + 1;
        for (; k < p->n_articles && p->articles[k].original >= 0; k++) {
            nd_json_obj_begin(j);
            story_article_keys(j, &p->articles[k]);
            nd_json_obj_end(j);
        }
        nd_json_arr_end(j);
        nd_json_obj_end(j);
        i = k;
    }
    nd_json_arr_end(j);
    /* Not every article shown: how many are, and every outlet's count. */
    if ((uint64_t) p->n_articles < p->n_total) {
        key_int(j, "shown", (long long) p->n_articles);
        nd_json_key(j, "outlet_articles");
        nd_json_arr_begin(j);
        for (size_t i = 0; i < p->n_outlet_counts; i++) {
            nd_json_obj_begin(j);
            key_str(j, "outlet", p->outlet_counts[i].value);
            key_int(j, "articles", (long long) p->outlet_counts[i].n);
            nd_json_obj_end(j);
        }
        nd_json_arr_end(j);
    }
    nd_json_obj_end(j);
}

static void hex64(nd_json *j, uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%016llx", (unsigned long long) v);
    nd_json_str(j, b);
}

void nd_render_json_document(nd_json *j, const nd_store_doc *d)
{
    nd_json_obj_begin(j);
    nd_render_json_doc_id(j, d->ext_id, d->id);
    key_str(j, "ext_id", d->ext_id);
    key_str(j, "url", d->url);
    key_str(j, "host", d->host);
    key_str(j, "site", d->site);
    key_str(j, "title", d->title);
    nd_json_key(j, "author");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < d->n_authors; i++) nd_json_str(j, d->authors[i]);
    nd_json_arr_end(j);
    key_str(j, "published", d->published);
    key_str(j, "fetched", d->fetched);
    key_str(j, "language", d->language);
    key_str(j, "credit", d->credit);
    nd_json_key(j, "text");
    nd_json_str_n(j, d->text, d->text_len);
    nd_json_key(j, "paragraphs");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < d->n_paragraphs; i++)
        nd_json_str_n(j, d->paragraphs[i].ptr, d->paragraphs[i].len);
    nd_json_arr_end(j);
    key_str(j, "source", d->origin.source);
    key_id_or_null(j, "offset", d->origin.offset, 0);
    key_id_or_null(j, "line", d->origin.line, 0);
    key_int(j, "version", d->version);
    key_int(j, "versions", d->n_versions);
    key_id_or_null(j, "parent", d->parent_id, 1);
    nd_json_key(j, "content_hash");
    hex64(j, d->content_hash);
    nd_json_key(j, "raw_hash");
    if (d->raw_hash)
        hex64(j, d->raw_hash);
    else
        nd_json_null(j);
    key_id_or_null(j, "run", d->run_id, 1);
    key_str(j, "added", d->added);
    nd_json_key(j, "related");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < d->n_related; i++) {
        const nd_store_related *r = &d->related[i];
        nd_json_obj_begin(j);
        key_str(j, "title", r->title);
        key_str(j, "site", r->site);
        key_str(j, "url", r->url);
        key_str(j, "age", r->age);
        key_str(j, "published", r->published);
        key_id_or_null(j, "doc_id", r->doc_id, 1);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    key_id_or_null(j, "story", d->story_id, 1);
    key_id_or_null(j, "dup_of", d->dup_of, 1);
    /* "actors", "quotes", "events" as newsdesk analyze prints them (null
     * when the document was never analysed: newsdesk reanalyze). */
    if (d->analysis) {
        nd_analysis_to_json(d->analysis, j);
    } else {
        static const char *const keys[] = {"actors", "quotes", "events"};
        for (size_t i = 0; i < 3; i++) {
            nd_json_key(j, keys[i]);
            nd_json_null(j);
        }
    }
    nd_json_obj_end(j);
}

void nd_render_json_quote(nd_json *j, const nd_quote_row *q)
{
    nd_json_obj_begin(j);
    key_str(j, "speaker", q->speaker);
    key_str(j, "speaker_code", q->speaker_code && *q->speaker_code ? q->speaker_code : NULL);
    key_str(j, "date", q->date);
    key_str(j, "type", q->type);
    nd_json_key(j, "scare");
    nd_json_bool(j, q->scare);
    key_str(j, "text", q->text);
    key_str(j, "cue", q->cue_lemma);
    key_span_or_null(j, "span", q->span);
    key_span_or_null(j, "source", q->source_span);
    nd_render_json_doc_id(j, q->ext_id, q->doc_id);
    key_str(j, "title", q->title);
    key_str(j, "url", q->url);
    key_str(j, "site", q->site);
    nd_json_obj_end(j);
}

static void actor_keys(nd_json *j, const nd_actor_row *a)
{
    key_str(j, "name", a->name);
    key_str(j, "code", *a->code ? a->code : NULL);
    key_str(j, "kind", a->kind);
    key_str(j, "country", a->country);
    key_str(j, "role", a->role);
    key_int(j, "documents", (long long) a->documents);
    key_int(j, "mentions", (long long) a->mentions);
}

void nd_render_json_actor(nd_json *j, const nd_actor_row *a)
{
    nd_json_obj_begin(j);
    actor_keys(j, a);
    nd_json_obj_end(j);
}

void nd_render_json_actor_page(nd_json *j, const nd_actor_page *p)
{
    nd_json_obj_begin(j);
    nd_json_key(j, "actors");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < p->n_actors; i++) {
        const nd_actor_row *a = &p->actors[i];
        nd_json_obj_begin(j);
        actor_keys(j, a);
        key_int(j, "quotes", (long long) a->quotes);
        key_str(j, "first", a->first);
        key_str(j, "last", a->last);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_json_key(j, "events");
    nd_json_obj_begin(j);
    if (p->events_over) {
        key_int(j, "over", (long long) p->events_over);
    } else {
        key_int(j, "events", (long long) p->events);
        key_int(j, "reports", (long long) p->event_reports);
    }
    nd_json_obj_end(j);
    key_str(j, "by", p->period);
    nd_json_key(j, "timeline");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < p->n_timeline; i++) {
        nd_json_obj_begin(j);
        key_str(j, "period", p->timeline[i].period);
        key_int(j, "documents", (long long) p->timeline[i].documents);
        key_int(j, "mentions", (long long) p->timeline[i].mentions);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_json_key(j, "quotes");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < p->n_quotes; i++) {
        const nd_quote_row *q = &p->quotes[i];
        nd_json_obj_begin(j);
        key_str(j, "speaker", q->speaker);
        key_str(j, "date", q->date);
        key_str(j, "type", q->type);
        key_str(j, "text", q->text);
        nd_render_json_doc_id(j, q->ext_id, q->doc_id);
        key_str(j, "title", q->title);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_json_key(j, "peers");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < p->n_peers; i++) nd_render_json_actor(j, &p->peers[i]);
    nd_json_arr_end(j);
    nd_json_obj_end(j);
}

static void event_who(nd_json *j, const nd_event_row *e)
{
    key_str(j, "date", e->date);
    key_str(j, "source", e->source_code);
    key_str(j, "target", e->target_code);
    key_str(j, "source_name", e->source_name);
    key_str(j, "target_name", e->target_name);
    key_str(j, "code", e->code);
    key_str(j, "name", e->code_name);
    nd_json_key(j, "goldstein");
    nd_json_double(j, e->goldstein, 1);
    key_int(j, "quad", e->quad);
    nd_json_key(j, "negated");
    nd_json_bool(j, e->negated);
}

void nd_render_json_event(nd_json *j, const nd_event_row *e)
{
    nd_json_obj_begin(j);
    key_int(j, "event_id", e->id);
    if (e->instance) key_int(j, "instance", e->instance);
    key_int(j, "mentions", (long long) e->mentions);
    event_who(j, e);
    key_span(j, "sentence", e->sentence);
    nd_render_json_doc_id(j, e->ext_id, e->doc_id);
    key_str(j, "url", e->url);
    nd_json_obj_end(j);
}

void nd_render_json_relations(nd_json *j, const nd_relations_page *p)
{
    nd_json_obj_begin(j);
    key_str(j, "a", p->a);
    key_str(j, "b", p->b);
    key_str(j, "by", p->period);
    key_int(j, "event_count", (long long) p->events);
    key_int(j, "reports", (long long) p->reports);
    key_int(j, "cooperative", (long long) p->cooperative);
    key_int(j, "conflictual", (long long) p->conflictual);
    nd_json_key(j, "goldstein");
    nd_json_double(j, p->goldstein, 2);
    nd_json_key(j, "periods");
    nd_json_arr_begin(j);
    static const char *const quads[] = {NULL, "verbal_cooperation", "material_cooperation",
                                        "verbal_conflict", "material_conflict"};
    for (size_t i = 0; i < p->n_periods; i++) {
        const nd_period *x = &p->periods[i];
        nd_json_obj_begin(j);
        key_str(j, "period", x->period);
        key_int(j, "events", (long long) x->events);
        for (int q = 1; q <= 4; q++) key_int(j, quads[q], (long long) x->quad[q]);
        nd_json_key(j, "goldstein");
        nd_json_double(j, x->goldstein, 2);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_json_key(j, "events");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < p->n; i++) {
        const nd_event_row *e = &p->items[i];
        nd_json_obj_begin(j);
        event_who(j, e);
        key_int(j, "reports", (long long) e->reports);
        key_int(j, "mentions", (long long) e->mentions);
        key_str(j, "sentence", e->sentence_text);
        key_span(j, "span", e->sentence);
        nd_render_json_doc_id(j, e->ext_id, e->doc_id);
        key_str(j, "title", e->title);
        key_str(j, "url", e->url);
        key_str(j, "site", e->site);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_json_obj_end(j);
}

static void counts(nd_json *j, const char *key, const nd_count *c, size_t n)
{
    nd_json_key(j, key);
    nd_json_arr_begin(j);
    for (size_t i = 0; i < n; i++) {
        nd_json_obj_begin(j);
        key_str(j, "value", c[i].value && *c[i].value ? c[i].value : NULL);
        key_int(j, "documents", (long long) c[i].n);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
}

void nd_render_json_stats(nd_json *j, const nd_stats_page *st, const char *database)
{
    nd_json_obj_begin(j);
    key_str(j, "database", database);
    key_int(j, "schema", st->schema);
    key_int(j, "documents", (long long) st->documents);
    key_int(j, "pages", (long long) st->pages);
    key_int(j, "versions", (long long) st->versions);
    key_int(j, "related_docs", (long long) st->related_docs);
    key_int(j, "related_links", (long long) st->related_links);
    key_int(j, "paragraphs", (long long) st->paragraphs);
    key_int(j, "raw_pages", (long long) st->raw_pages);
    /* "runs" twice, as it always was: the count here, the latest runs
     * below (readers keep the last). */
    key_int(j, "runs", (long long) st->runs);
    key_int(j, "errors", (long long) st->errors);
    key_int(j, "text_bytes", (long long) st->text_bytes);
    key_int(j, "file_bytes", (long long) st->file_bytes);
    key_str(j, "first_published", st->first_published);
    key_str(j, "last_published", st->last_published);
    counts(j, "site", st->sites, st->n_sites);
    counts(j, "host", st->hosts, st->n_hosts);
    counts(j, "language", st->languages, st->n_languages);
    nd_json_key(j, "runs");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < st->n_runs; i++) {
        const nd_store_run *r = &st->runs_latest[i];
        nd_json_obj_begin(j);
        key_int(j, "run", r->id);
        key_str(j, "started", r->started);
        key_str(j, "finished", r->finished);
        key_str(j, "status", r->status);
        nd_json_key(j, "inputs");
        const char *in = r->inputs ? r->inputs : "[]";
        nd_json_raw(j, in, strlen(in));
        key_int(j, "pages", (long long) r->pages);
        key_int(j, "added", (long long) r->added);
        key_int(j, "related", (long long) r->related);
        key_int(j, "duplicates", (long long) r->duplicates);
        key_int(j, "skipped", (long long) r->skipped);
        key_int(j, "errors", (long long) r->errors);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_json_obj_end(j);
}

void nd_render_json_error(nd_json *j, const nd_store_error *e)
{
    nd_json_obj_begin(j);
    key_int(j, "run", e->run_id);
    key_str(j, "at", e->at);
    key_str(j, "source", e->source);
    key_id_or_null(j, "offset", e->offset, 0);
    key_id_or_null(j, "line", e->line, 0);
    key_str(j, "code", e->code);
    key_str(j, "message", e->message);
    nd_json_obj_end(j);
}

/* ---- the API's shapes beyond the CLI's ---------------------------------------------- */

void nd_render_json_keywords(nd_json *j, const nd_keyword_row *k, size_t n)
{
    nd_json_arr_begin(j);
    for (size_t i = 0; i < n; i++) {
        nd_json_obj_begin(j);
        key_str(j, "text", k[i].text);
        key_str(j, "kind", nd_keyword_kind_name(k[i].kind));
        nd_json_key(j, "score");
        nd_json_double(j, k[i].score, 3);
        key_int(j, "documents", (long long) k[i].documents);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
}

static void summary_sentences(nd_json *j, const nd_summary_sentence *s, size_t n)
{
    nd_json_arr_begin(j);
    for (size_t i = 0; i < n; i++) {
        nd_json_obj_begin(j);
        key_str(j, "text", s[i].text);
        key_int(j, "doc_id", s[i].doc_id);
        key_str(j, "outlet", s[i].outlet);
        nd_json_key(j, "sources");
        nd_json_arr_begin(j);
        for (size_t k = 0; k < s[i].n_sources; k++) nd_json_int(j, s[i].sources[k]);
        nd_json_arr_end(j);
        key_int(j, "outlets", (long long) s[i].n_outlets);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
}

void nd_render_json_summary(nd_json *j, const nd_story_summary *s)
{
    nd_json_obj_begin(j);
    nd_json_key(j, "sentences");
    summary_sentences(j, s->sentences, s->n_sentences);
    nd_json_key(j, "outlets");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < s->n_takes; i++) {
        const nd_outlet_take *t = &s->takes[i];
        nd_json_obj_begin(j);
        key_str(j, "outlet", t->outlet);
        nd_render_json_doc_id(j, t->ext_id, t->doc_id);
        key_str(j, "title", t->title);
        key_str(j, "url", t->url);
        key_str(j, "date", t->date);
        key_str(j, "lede", t->lede);
        key_int(j, "articles", (long long) t->n_articles);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_json_obj_end(j);
}

void nd_render_json_briefing(nd_json *j, const nd_briefing *b)
{
    nd_json_obj_begin(j);
    key_str(j, "day", b->day);
    key_str(j, "prev", b->prev);
    key_str(j, "next", b->next);
    nd_json_key(j, "stories");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < b->n; i++) {
        const nd_brief *x = &b->items[i];
        nd_json_obj_begin(j);
        story_keys(j, &x->story);
        nd_json_key(j, "rank");
        nd_json_double(j, x->rank, 3);
        nd_json_key(j, "outlet_names");
        nd_json_arr_begin(j);
        for (size_t k = 0; k < x->n_outlets; k++) nd_json_str(j, x->outlets[k]);
        nd_json_arr_end(j);
        nd_json_key(j, "summary");
        summary_sentences(j, x->summary, x->n_summary);
        nd_json_key(j, "keywords");
        nd_render_json_keywords(j, x->keywords, x->n_keywords);
        ND_RENDER_JSON_LIST(j, "actors", x->actors, x->n_actors, nd_render_json_actor);
        ND_RENDER_JSON_LIST(j, "quotes", x->quotes, x->n_quotes, nd_render_json_quote);
        ND_RENDER_JSON_LIST(j, "events", x->events, x->n_events, nd_render_json_event);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_json_obj_end(j);
}

void nd_render_json_facets(nd_json *j, const nd_facet_list *f)
{
    nd_json_obj_begin(j);
    key_int(j, "matches", (long long) f->matches);
    nd_json_key(j, "sampled");
    nd_json_bool(j, f->sampled);
    for (size_t i = 0; i < f->n; i++)
        counts(j, f->items[i].field, f->items[i].values, f->items[i].n);
    nd_json_obj_end(j);
}
