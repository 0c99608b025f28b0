/*
 * newsdesk/query.h - questions to the store, answered as typed results.
 *
 * One function per question (the stories, one story, one article, a
 * search, quotations, actors, one actor, events, the relations of two
 * actors, counts, errors, documents).  Each returns its answer as one
 * typed value whose every string and array lives in one arena: "Caller
 * owns; free with nd_result_free()".  Renderers only walk these values:
 * the terminal tables of the CLI (cli/), JSON (newsdesk/render.h: the CLI's
 * --json and the HTTP API's bodies) and HTML.  A query never formats text
 * and a renderer never runs SQL.
 *
 * Paging.  Listings return at most opts->limit rows and, when more
 * follow, an opaque cursor in result->r.next: pass it back as
 * opts->cursor for the following page (the other options unchanged).
 * Cursors are short URL-safe strings; a malformed one is ND_EINVAL.
 * Keyset cursors (stories, quotations, events, errors, documents) stay
 * right while documents are added; ranked ones (search, actors) are
 * positions.
 *
 * Filters.  nd_query_opts carries every filter; each question says which
 * it reads, and one it cannot apply is ND_EINVAL with a message naming it
 * (an HTTP API answers 400).  Dates are ISO 8601 ("2025-05-08" or a time);
 * since is inclusive, until exclusive of the instant but inclusive of a
 * whole day ("until 2025-05-08" keeps all of that day).
 *
 * Who a name means (opts->actor, opts->actor_b, nd_query_actor): a CAMEO
 * code or code prefix (upper case, digits, '-': "RUS", "CHNGOV", "---REB")
 * means every actor whose code starts with it; else the actors of that
 * name (case-insensitive); else those whose name holds it as whole words
 * ("Putin"); "#123" is actor number 123 alone (the ids the results
 * give).  Where a question says so, a country's name ("Russia") means
 * its code (RUS) so that its government and people count as it, unless
 * opts->exact_actor.  A name that means nobody is ND_ENOTFOUND.
 *
 * Threads: as the store (one nd_store per thread); results are plain
 * values and may be read from any thread.
 */
#ifndef NEWSDESK_QUERY_H
#define NEWSDESK_QUERY_H

#include "newsdesk/analyze.h"
#include "newsdesk/base.h"
#include "newsdesk/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most rows one page may hold. */
#define ND_QUERY_MAX_LIMIT 100000

/* Every result begins with this header. */
typedef struct nd_result {
    nd_arena *arena;            /* owns the result and everything it points to */
    const char *next;           /* cursor of the following page, or NULL: no more */
    struct nd__result_own *own; /* internal: other values freed with the result */
} nd_result;

/* Free any value an nd_query_* function returned (its first member is an
 * nd_result); NULL is fine. */
ND_EXPORT void nd_result_free(void *result);

/* The options of every question; zero-initialise and set what you need. */
typedef struct nd_query_opts {
    int limit;          /* rows in a page; 0: the question's default; at most ND_QUERY_MAX_LIMIT */
    const char *cursor; /* a previous result's r.next, or NULL: the first page */

    const char *since;    /* on or after (ISO 8601 date or time), or NULL */
    const char *until;    /* before (a date: up to the end of that day), or NULL */
    const char *site;     /* site name (case-insensitive) or URL host (and its subdomains) */
    const char *language; /* language code ("en") */
    const char *actor;    /* whom (see "Who a name means") */
    const char *actor_b;  /* events, relations: the other side */
    int64_t story;        /* only this story's original documents (copies repeat them); 0: any */
    int64_t doc;          /* quotes, events: only this document's; 0: any */
    const char *text;     /* search: the FTS5 query; quotes: over the quoted words */

    const char *period; /* actor, relations: "day", "week", "month" (NULL) or "year" */
    int all_versions;   /* search: also older versions of changed pages */
    int all;            /* quotes: also scare quotes and quotations with no speaker;
                           story: every article */
    int exact_actor;    /* a country's name means the country itself, not its code */
    int oldest_first;   /* events: oldest first (undated last); else newest first */
    int with_sentence;  /* events: fill sentence_text */
    int snippet_words;  /* search: about this many words per snippet; 0: 24 */
} nd_query_opts;

/* ---- search ------------------------------------------------------------------- */

/* One hit.  marks are the matched words, byte ranges of snippet. */
typedef struct nd_hit {
    int64_t id;
    const char *ext_id, *title, *url, *site, *host, *source, *published, *language;
    double score;        /* BM25 (title weighted 4x), larger is better */
    const char *snippet; /* text around the best match ("…" where it is cut) */
    const nd_span *marks;
    size_t n_marks;
} nd_hit;

typedef struct nd_hit_list {
    nd_result r;
    const nd_hit *items;
    size_t n;
    int sampled; /* 1: ranked among the newest ND_QUERY_SEARCH_DOCS matches only */
} nd_hit_list;

/* A query matching more documents than this (a common word) is ranked
 * among its newest ND_QUERY_SEARCH_DOCS matches: BM25 costs as much per
 * match, so the cost stays bounded whatever the store's size. */
#define ND_QUERY_SEARCH_DOCS 50000

/* Full-text search (opts->text: words, "phrases", AND/OR/NOT, prefix*,
 * title: word), best first; only the latest version of each page unless
 * all_versions.  Reads limit (default 20), cursor, since, until (on
 * published, else fetched), site, language, story, actor, snippet_words.
 * A query FTS5 rejects is ND_EPARSE with the reason in one line. */
ND_EXPORT int nd_query_search(nd_store *s, const nd_query_opts *o, nd_hit_list **out,
                              nd_error *err);

/* ---- stories -------------------------------------------------------------------- */

/* A story as listings show it. */
typedef struct nd_story_row {
    int64_t id;
    const char *headline;   /* the most representative title, or NULL */
    int64_t rep_doc;        /* the document it comes from */
    const char *first_seen; /* earliest published (else fetched) time, or NULL */
    const char *last_seen;  /* latest */
    uint64_t n_docs;        /* documents, duplicates included */
    uint64_t n_dups;        /* of them duplicates of another */
    uint64_t n_sites;       /* distinct outlets (site, else host) */
} nd_story_row;

typedef struct nd_story_list {
    nd_result r;
    const nd_story_row *items;
    size_t n;
} nd_story_list;

/* Stories, most recently seen first (undated last, then the highest id).
 * Reads limit (default 20), cursor, since and until (on last seen). */
ND_EXPORT int nd_query_stories(nd_store *s, const nd_query_opts *o, nd_story_list **out,
                               nd_error *err);

/* An article of a story. */
typedef struct nd_story_article {
    int64_t id;
    const char *ext_id, *title, *site, *host, *url, *language;
    const char *published, *fetched; /* ISO 8601 or NULL */
    int64_t dup_of;                  /* the document it duplicates, or 0 */
    int64_t parent_id;               /* the page it was embedded in, or 0 */
    int version;
    const char *outlet;  /* site, else host, else "" */
    size_t outlet_index; /* its group in outlets[] */
    ptrdiff_t original; /* a duplicate: the index in articles[] of the article it copies; else -1 */
} nd_story_article;

/* An outlet of a story: articles[first .. first + n) (its originals in
 * time order, each followed by its duplicates). */
typedef struct nd_story_outlet {
    const char *name; /* "" when neither site nor host is known */
    size_t first, n;
} nd_story_outlet;

/* A value and how many have it (outlets, sites, languages, ...). */
typedef struct nd_count {
    const char *value; /* "" for documents that do not say */
    uint64_t n;
} nd_count;

typedef struct nd_story_page {
    nd_result r;
    nd_story_row story;
    /* The articles shown: the story's latest limit (the highest document
     * ids, the most recently added), every one with opts->all.  Originals
     * grouped by outlet (outlets in the order they first covered it), each
     * outlet's in time order; a duplicate follows the article it copies
     * when that is shown, else it stands as an original. */
    const nd_story_article *articles;
    size_t n_articles;
    const nd_story_outlet *outlets;
    size_t n_outlets;
    /* The story's articles (duplicates included) as the store holds them
     * now; n_articles < n_total when not all are shown. */
    uint64_t n_total;
    /* Every outlet of the story and its articles (duplicates included,
     * each under its own outlet), most first, then the first added;
     * whether or not its articles are shown. */
    const nd_count *outlet_counts;
    size_t n_outlet_counts;
} nd_story_page;

/* Articles a story page shows by default. */
#define ND_QUERY_STORY_ARTICLES 200

/* One story; ND_ENOTFOUND when there is none with that id.  Reads limit
 * (default ND_QUERY_STORY_ARTICLES) and all (every article).  What it
 * reads is the limit's rows and two index ranges (the story's members and
 * their outlets), whatever the story's size. */
ND_EXPORT int nd_query_story(nd_store *s, int64_t id, const nd_query_opts *o, nd_story_page **out,
                             nd_error *err);

/* ---- documents -------------------------------------------------------------------- */

/* A keyword of a document or a story (newsdesk/keywords.h). */
typedef struct nd_keyword_row {
    const char *text;
    int kind;           /* enum nd_keyword_kind */
    double score;       /* a story's: summed over its documents */
    uint64_t documents; /* a story's documents that have it (1 for a document) */
} nd_keyword_row;

typedef struct nd_article_page {
    nd_result r;
    const nd_store_doc *doc;   /* with doc->analysis (NULL: never analysed) */
    const nd_story_row *story; /* its story, or NULL while not clustered */
    /* Copies: the document it duplicates (first, when it is one) and the
     * documents that duplicate it or the same original, oldest first;
     * only id, ext_id, title, site, host, url, published, fetched, dup_of
     * and outlet are set. */
    const nd_story_article *copies;
    size_t n_copies;
    const nd_keyword_row *keywords; /* best first; none before `reanalyze` on an old store */
    size_t n_keywords;
} nd_article_page;

/* One document by numeric or external id (as nd_store_get()), with its
 * analysis and its story.  ND_ENOTFOUND when there is none. */
ND_EXPORT int nd_query_article(nd_store *s, const char *id, nd_article_page **out, nd_error *err);

typedef struct nd_document_list {
    nd_result r;
    const nd_store_doc *const *items; /* each with its analysis loaded */
    size_t n;
} nd_document_list;

/* Every document (every version, related articles included) in the order
 * they were stored, with their analysis.  Reads limit (default 100),
 * cursor, story, site, language, since and until (on published, else
 * fetched). */
ND_EXPORT int nd_query_documents(nd_store *s, const nd_query_opts *o, nd_document_list **out,
                                 nd_error *err);

/* ---- quotations ------------------------------------------------------------------ */

typedef struct nd_quote_row {
    int64_t id;
    int64_t doc_id;
    const char *ext_id, *title, *url, *site, *source; /* the document's */
    const char *date;         /* the document's date (published, else fetched) or NULL */
    const char *speaker;      /* canonical name, the source text when unresolved, or NULL */
    const char *speaker_code; /* or NULL */
    int64_t speaker_id;       /* 0: not resolved to an actor */
    const char *type;         /* "direct", "partial", "indirect" */
    int scare;
    const char *text;      /* the quoted words */
    const char *cue_lemma; /* "say", "tell", ... or NULL */
    nd_span span;          /* first to last quoted byte, in the document's text */
    nd_span source_span;   /* the speaker mention */
    nd_span cue_span;
} nd_quote_row;

typedef struct nd_quote_list {
    nd_result r;
    const nd_quote_row *items;
    size_t n;
} nd_quote_list;

/* Attributed quotations of the latest version of each page, newest
 * documents first (undated last), in text order within a document.
 * Reads limit (default 20), cursor, actor (the speaker; a country's name
 * means its code unless exact_actor), text (FTS5 over the quoted words),
 * since, until, story, doc, all.  With actor_b (and actor): the
 * quotations between the two, what one says that names the other (a
 * mention of it inside the quotation), read in the documents of their
 * latest ND_QUERY_PAIR_DOCS events, so that the answer stays bounded.
 * ND_ENOTFOUND when actor means nobody, ND_EPARSE for a text FTS5
 * rejects. */
#define ND_QUERY_PAIR_DOCS 50
ND_EXPORT int nd_query_quotes(nd_store *s, const nd_query_opts *o, nd_quote_list **out,
                              nd_error *err);

/* ---- actors ------------------------------------------------------------------------ */

typedef struct nd_actor_row {
    int64_t id;
    const char *name;
    const char *code;    /* "" when none */
    const char *country; /* ISO 3166 alpha-3 or NULL */
    const char *role;    /* or NULL */
    const char *kind;    /* "person", "country", "org", "group", "region", "agent" */
    int in_dict;
    uint64_t documents; /* documents that mention it (peers: shared with the actor) */
    uint64_t mentions;
    uint64_t quotes;   /* quotations it is the speaker of */
    const char *first; /* date of its first document (published, else fetched) */
    const char *last;  /* and of its last */
} nd_actor_row;

typedef struct nd_actor_list {
    nd_result r;
    const nd_actor_row *items;
    size_t n;
} nd_actor_list;

/* Actors by the number of documents that mention them (every version),
 * then mentions, then name.  Reads limit (default 20), cursor, story
 * (counts within the story's documents). */
ND_EXPORT int nd_query_actors(nd_store *s, const nd_query_opts *o, nd_actor_list **out,
                              nd_error *err);

/* Counts over one period ("2025-05", "2025-W19", "2025", "2025-05-08", or
 * "undated"). */
typedef struct nd_period {
    const char *period;
    uint64_t documents; /* actor timeline */
    uint64_t mentions;  /* actor timeline */
    uint64_t events;    /* relations */
    uint64_t quad[5];   /* relations: events by quad class 1..4 */
    double goldstein;   /* relations: mean Goldstein score */
} nd_period;

/* The peers of a very frequent actor are counted in its latest
 * ND_QUERY_PEER_DOCS documents. */
#define ND_QUERY_PEER_DOCS 2000

typedef struct nd_actor_page {
    nd_result r;
    const char *name;   /* as asked */
    const char *period; /* "day", "week", "month", "year" */
    const nd_actor_row
        *actors; /* whom the name means (a country stays itself), most mentioned first */
    size_t n_actors;
    const nd_period *timeline; /* documents and mentions per period, oldest first, "undated" last */
    size_t n_timeline;
    const nd_quote_row *quotes; /* their latest quotations */
    size_t n_quotes;
    const nd_actor_row *peers; /* actors in the same documents, by documents shared */
    size_t n_peers;
    uint64_t peer_docs; /* the documents the peers were counted in */
    int peers_sampled;  /* 1: only the latest ND_QUERY_PEER_DOCS of them */
    /* The events they take part in, each counted once however many
     * documents report it, and those reports; when events_over is set
     * there are more than events_over reports and the counts are not
     * made (a very frequent actor: use relations or events to narrow). */
    uint64_t events, event_reports, events_over;
} nd_actor_page;

/* One actor (name as in "Who a name means"; a country stays itself).
 * Reads period and limit (quotations and peers shown; default 10).
 * ND_ENOTFOUND when name means nobody, ND_EINVAL for a bad period. */
ND_EXPORT int nd_query_actor(nd_store *s, const char *name, const nd_query_opts *o,
                             nd_actor_page **out, nd_error *err);

/* ---- events and relations ----------------------------------------------------------- */

typedef struct nd_event_row {
    int64_t id;
    int64_t doc_id;
    const char *ext_id, *title, *url, *site, *source; /* the document's */
    const char *added;                                /* when the document was stored */
    const char *date;                      /* the event's date, else the document's day, or NULL */
    const char *source_code, *target_code; /* CAMEO actor codes ("" when none) */
    const char *source_name, *target_name; /* actor names, or NULL */
    const char *source_country, *target_country;
    const char *code;      /* CAMEO event code */
    const char *code_name; /* its name ("Consult, not specified below"), or "" */
    double goldstein;
    int quad;
    int negated;
    int lead;          /* the sentence is in the document's first paragraph */
    int64_t instance;  /* the event across documents (event_instances.id), or 0 */
    unsigned mentions; /* sentences of its document that report it (1 or more) */
    unsigned reports;  /* relations: documents that report this event, else 1 */
    nd_span sentence, verb;
    const char *sentence_text;    /* with opts->with_sentence, else NULL */
    int64_t source_id, target_id; /* the actors (0: none) */
} nd_event_row;

typedef struct nd_event_list {
    nd_result r;
    const nd_event_row *items;
    size_t n;
} nd_event_list;

/* Events of the latest version of each page, newest first (undated last,
 * then by document, newest first, in text order) or oldest_first (undated
 * last).  Reads limit (default 100), cursor, actor (events it takes part
 * in; with actor_b: between the two, either direction; a country's name
 * means its code), since, until (on the event's date), story, doc,
 * with_sentence, oldest_first. */
ND_EXPORT int nd_query_events(nd_store *s, const nd_query_opts *o, nd_event_list **out,
                              nd_error *err);

typedef struct nd_relations_page {
    nd_result r;
    const char *a, *b, *period;
    const nd_period *periods; /* events per period, oldest first, "undated" last */
    size_t n_periods;
    uint64_t events, cooperative, conflictual; /* all periods: quad 1-2 and 3-4 */
    uint64_t reports;                          /* documents' reports of those events */
    double goldstein;                          /* mean over all events */
    /* the newest events with their sentences (at most limit), each by its
     * first report, its reports counted */
    const nd_event_row *items;
    size_t n;
} nd_relations_page;

/* The events between opts->actor and opts->actor_b (both required),
 * counted per period, and the newest of them.  An event is counted once
 * however many documents report it (the reports of one event share its
 * coded dyad, CAMEO root and day: schema step 6's event_instances).  Reads period, since,
 * until, limit (events listed, default 50; the counts cover all), cursor
 * (of the listed events). */
ND_EXPORT int nd_query_relations(nd_store *s, const nd_query_opts *o, nd_relations_page **out,
                                 nd_error *err);

/* ---- keywords, summaries, the day's briefing (briefing.c) ---------------------------- */

typedef struct nd_keyword_list {
    nd_result r;
    const nd_keyword_row *items;
    size_t n;
} nd_keyword_list;

/* The keywords of document doc_id (doc_id > 0), or of story opts->story
 * (doc_id 0): those most of its original articles share, then by summed
 * score.  Reads limit (default 8) and story. */
ND_EXPORT int nd_query_keywords(nd_store *s, int64_t doc_id, const nd_query_opts *o,
                                nd_keyword_list **out, nd_error *err);

/* A sentence of a story's summary, and the articles that say it. */
typedef struct nd_summary_sentence {
    const char *text;
    int64_t doc_id;     /* the article it is taken from */
    const char *outlet; /* that article's */
    const int64_t
        *sources; /* the articles (originals) that say much the same; the first is doc_id */
    const char *const *source_outlets; /* their outlets */
    size_t n_sources;
    size_t n_outlets; /* distinct outlets among them */
} nd_summary_sentence;

/* How one outlet told a story: its first article's headline and lede. */
typedef struct nd_outlet_take {
    const char *outlet;
    int64_t doc_id;
    const char *ext_id, *title, *url;
    const char *date;  /* published, else fetched, or NULL */
    const char *lede;  /* the first sentences of its text (about 300 bytes) */
    size_t n_articles; /* the outlet's articles in the story, duplicates included */
} nd_outlet_take;

typedef struct nd_story_summary {
    nd_result r;
    int64_t story;
    /* The sentences most outlets agree on (best first), at most limit. */
    const nd_summary_sentence *sentences;
    size_t n_sentences;
    /* Each outlet's take, outlets in the order they first covered it. */
    const nd_outlet_take *takes;
    size_t n_takes;
} nd_story_summary;

/* An extractive summary of story id: sentences of its articles' first
 * paragraphs, scored by how many other outlets carry a sentence sharing
 * most of its words (the lede breaks ties), taken best first without two
 * alike; and each outlet's take.  At most ND_QUERY_SUMMARY_DOCS of its
 * original articles are read.  Reads limit (sentences, default 3).
 * ND_ENOTFOUND when there is no such story. */
#define ND_QUERY_SUMMARY_DOCS 24
ND_EXPORT int nd_query_story_summary(nd_store *s, int64_t id, const nd_query_opts *o,
                                     nd_story_summary **out, nd_error *err);

/* A story in a briefing, with what a reader sees first. */
typedef struct nd_brief {
    nd_story_row story;
    double rank;                /* outlets, articles and recency: larger first */
    const char *const *outlets; /* names, most articles first (at most 8) */
    size_t n_outlets;
    const nd_summary_sentence *summary; /* two sentences */
    size_t n_summary;
    const nd_keyword_row *keywords;
    size_t n_keywords;
    const nd_actor_row *actors; /* the story's most mentioned (at most 5) */
    size_t n_actors;
    const nd_quote_row *quotes; /* with_quotes: its latest quotations (at most 3) */
    size_t n_quotes;
    const nd_event_row *events; /* with_quotes: its events of largest |Goldstein| (at most 3) */
    size_t n_events;
} nd_brief;

typedef struct nd_briefing {
    nd_result r;
    const char *day;  /* "2025-05-08", or NULL: the store has no dated story */
    const char *prev; /* the latest earlier day with a story, or NULL */
    const char *next; /* the earliest later day with a story, or NULL */
    const nd_brief *items;
    size_t n;
} nd_briefing;

/* The stories of a day, ranked by how many outlets and articles carry
 * them and how recently: those seen on the day opts->since (a date; NULL:
 * the latest day with a story; a time: since then), until opts->until when
 * set.  A store whose stories are all undated gives those.  Reads since,
 * until, limit (stories, default 12), all (with_quotes: quotations and
 * events too, as the digest shows). */
ND_EXPORT int nd_query_briefing(nd_store *s, const nd_query_opts *o, int with_quotes,
                                nd_briefing **out, nd_error *err);

/* Counts of the matches of a search by one field. */
typedef struct nd_facet {
    const char *field; /* "site", "day", "language", "actor" */
    const nd_count *values;
    size_t n;
} nd_facet;

typedef struct nd_facet_list {
    nd_result r;
    uint64_t matches; /* the matches counted (at most ND_QUERY_FACET_DOCS) */
    int sampled;      /* 1: there are more; the newest were counted */
    const nd_facet *items;
    size_t n;
} nd_facet_list;

#define ND_QUERY_FACET_DOCS 2000

/* Facets of search opts->text (the filters of nd_query_search applied):
 * site, day, language and actor counts over the newest
 * ND_QUERY_FACET_DOCS matches, at most 8 values each. */
ND_EXPORT int nd_query_search_facets(nd_store *s, const nd_query_opts *o, nd_facet_list **out,
                                     nd_error *err);

/* ---- the documents' search columns in memory --------------------------------------- */

/* What a search reads of every document it ranks or counts - its length
 * in tokens (BM25), site, day, language, whether it is the latest version
 * of its page, and its actors - as arrays indexed by document id, made
 * from the store once and then only read (any number of threads may read
 * one table).  A connection given a table (nd_store_use_doc_table) ranks
 * and counts the facets from it while the store's file is at the version
 * the table was made from (nd_store_file_version), and from SQL
 * otherwise: the answers are the same either way.  About 90 bytes per
 * document (the actor ids are most of it; nd_doc_table_bytes). */
typedef struct nd_doc_table nd_doc_table;

/* Make the table from s (one read transaction).  Returns 0 and *out
 * (caller owns one reference; free with nd_doc_table_free()), or
 * ND_ENOMEM, ND_EDB, or ND_EINVAL (a store in memory, which has no file
 * version; values the table cannot hold) with err filled. */
ND_EXPORT int nd_doc_table_new(nd_store *s, nd_doc_table **out, nd_error *err);
/* One more reference to t (NULL stays NULL); returns t. */
ND_EXPORT nd_doc_table *nd_doc_table_ref(nd_doc_table *t);
/* Drops one reference; the last frees the table.  NULL is fine. */
ND_EXPORT void nd_doc_table_free(nd_doc_table *t);
/* The file version it was made from, and the bytes it holds. */
ND_EXPORT uint64_t nd_doc_table_version(const nd_doc_table *t);
ND_EXPORT size_t nd_doc_table_bytes(const nd_doc_table *t);
/* s's questions read t (borrowed: keep a reference until the last
 * question asked with it has returned, or call again with NULL). */
ND_EXPORT void nd_store_use_doc_table(nd_store *s, nd_doc_table *t);

/* ---- counts, runs, errors ------------------------------------------------------------ */

typedef struct nd_stats_page {
    nd_result r;
    int schema;
    uint64_t documents;     /* all rows, every version */
    uint64_t pages;         /* first versions of pages (not related articles) */
    uint64_t versions;      /* documents that are version 2 or later */
    uint64_t related_docs;  /* documents made from embedded related articles */
    uint64_t related_links; /* related items recorded */
    uint64_t paragraphs;
    uint64_t raw_pages; /* raw pages seen */
    uint64_t runs;
    uint64_t errors;
    uint64_t analysed;                            /* documents with a stored analysis */
    uint64_t text_bytes;                          /* UTF-8 bytes of all texts */
    uint64_t file_bytes;                          /* database file (+ WAL) */
    const char *first_published, *last_published; /* NULL when none */
    const nd_count *sites, *hosts, *languages;    /* the 10 most frequent of each */
    size_t n_sites, n_hosts, n_languages;
    const nd_store_run *runs_latest; /* the 5 latest runs, newest first */
    size_t n_runs;
} nd_stats_page;

/* What the store holds; every count comes from maintained totals, so the
 * cost does not grow with the store. */
ND_EXPORT int nd_query_stats(nd_store *s, nd_stats_page **out, nd_error *err);

typedef struct nd_error_list {
    nd_result r;
    const nd_store_error *items;
    size_t n;
} nd_error_list;

/* The errors of run `run` (0: the latest run; -1: every run), oldest
 * first.  Reads limit (default 1000) and cursor. */
ND_EXPORT int nd_query_errors(nd_store *s, int64_t run, const nd_query_opts *o, nd_error_list **out,
                              nd_error *err);

#ifdef __cplusplus
}
#endif
#endif
