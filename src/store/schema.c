/* schema.c - the store's schema as a list of forward migrations.
 *
 * PRAGMA user_version is the number of steps applied.  Opening a file
 * applies the missing steps in order, each in its own transaction (BEGIN
 * IMMEDIATE, so two processes opening an old file at once do not both
 * migrate it); a file whose version is above ND_STORE_SCHEMA is refused.
 * Steps are never edited once released: a change is a new step at the
 * end, and ND_STORE_SCHEMA in newsdesk/store.h is raised with it.
 *
 * Steps: 1 documents, 2 full-text index, 3 stories (issue 4: stories,
 * documents.story_id and .dup_of, the clustering engine's saved state),
 * 4 analysis (issue 5: actors, their mentions, quotations and events of
 * each document; docs/architecture.md, "Analysis in the store"), 5 what
 * the query layer reads instead of scanning (issue 13: totals kept as
 * rows are written, listing indexes; "The query layer"), 6 event
 * instances (issue 9: an event across documents), 7 keywords (issue
 * 11), 8 stories at scale (issue 13: the engine's state in pieces, its
 * log, story aggregates), 9 the keywords' saved word frequencies, 10
 * what an actor page of a code prefix reads cold (issue 13: events per
 * CAMEO code, actors per prefix, the quotations listed), 11 the keywords'
 * phrases' window counts and the last documents' tokens
 * (src/store/keywords.c), 12 keywords_phrase dropped, 13 one name index
 * of actors and their words in a full-text index (fewer pages written
 * per new actor).
 * Each adds tables and nullable columns only, so export keeps working on
 * documents stored before them.
 */
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

/* Step 1: documents and everything ingest records about them. */
static const char step1[] =
    /* One row per `newsdesk ingest`.  A run killed half-way keeps status
     * 'running' and no finished time. */
    "CREATE TABLE ingest_runs ("
    " id INTEGER PRIMARY KEY,"
    " started TEXT NOT NULL,"
    " finished TEXT,"
    " status TEXT NOT NULL DEFAULT 'running',"
    " inputs TEXT,"
    " program TEXT,"
    " pages INTEGER NOT NULL DEFAULT 0,"
    " added INTEGER NOT NULL DEFAULT 0,"
    " related INTEGER NOT NULL DEFAULT 0,"
    " duplicates INTEGER NOT NULL DEFAULT 0,"
    " skipped INTEGER NOT NULL DEFAULT 0,"
    " errors INTEGER NOT NULL DEFAULT 0);"
    /* Documents: one row per version of a page, and per related article
     * that carried text (parent_id = the page it was embedded in).
     * ident is what makes two pages the same page (URL, else external id,
     * else where it was read from); versions of one ident count from 1.
     * Hashes are 64-bit nd_hash64 values stored as signed integers. */
    "CREATE TABLE documents ("
    " id INTEGER PRIMARY KEY,"
    " ext_id TEXT,"
    " ident TEXT,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " parent_id INTEGER REFERENCES documents(id),"
    " run_id INTEGER REFERENCES ingest_runs(id),"
    " content_hash INTEGER NOT NULL,"
    " raw_hash INTEGER,"
    " url TEXT,"
    " host TEXT,"
    " site TEXT,"
    " title TEXT,"
    " authors TEXT NOT NULL DEFAULT '[]',"
    " published TEXT,"
    " fetched TEXT,"
    " language TEXT,"
    " credit TEXT,"
    " source TEXT,"
    " source_offset INTEGER,"
    " source_line INTEGER,"
    " added TEXT NOT NULL,"
    /* Last: reading any column stored after a long value means walking
     * its overflow pages. */
    " text TEXT NOT NULL);"
    "CREATE INDEX documents_ident ON documents(ident, version);"
    "CREATE INDEX documents_ext_id ON documents(ext_id) WHERE ext_id IS NOT NULL;"
    "CREATE INDEX documents_published ON documents(published);"
    "CREATE INDEX documents_parent ON documents(parent_id) WHERE parent_id IS NOT NULL;"
    /* Paragraphs as byte ranges of documents.text (later analysis stores
     * offsets into the same text). */
    "CREATE TABLE paragraphs ("
    " doc_id INTEGER NOT NULL REFERENCES documents(id),"
    " idx INTEGER NOT NULL,"
    " start_off INTEGER NOT NULL,"
    " end_off INTEGER NOT NULL,"
    " PRIMARY KEY (doc_id, idx)) WITHOUT ROWID;"
    /* Related items shown on a page: teasers and embedded articles; those
     * with text became documents (child_id). */
    "CREATE TABLE related ("
    " id INTEGER PRIMARY KEY,"
    " doc_id INTEGER NOT NULL REFERENCES documents(id),"
    " idx INTEGER NOT NULL,"
    " title TEXT, site TEXT, url TEXT, age TEXT, published TEXT,"
    " child_id INTEGER REFERENCES documents(id));"
    "CREATE INDEX related_doc ON related(doc_id, idx);"
    "CREATE INDEX related_child ON related(child_id) WHERE child_id IS NOT NULL;"
    /* Every raw page ever stored or found a duplicate (hash of its bytes,
     * URL, id and hints), so that a re-ingest skips it before extraction. */
    "CREATE TABLE raw_pages ("
    " raw_hash INTEGER PRIMARY KEY,"
    " doc_id INTEGER,"
    " run_id INTEGER);"
    "CREATE TABLE ingest_errors ("
    " id INTEGER PRIMARY KEY,"
    " run_id INTEGER REFERENCES ingest_runs(id),"
    " at TEXT NOT NULL,"
    " source TEXT,"
    " source_offset INTEGER,"
    " source_line INTEGER,"
    " code TEXT,"
    " message TEXT NOT NULL);"
    "CREATE INDEX ingest_errors_run ON ingest_errors(run_id);";

/* Step 2: the full-text index over title and text.  External content (the
 * text lives once, in documents), kept in sync by triggers, and filled
 * from the documents already stored. */
static const char step2[] =
    "CREATE VIRTUAL TABLE documents_fts USING fts5("
    " title, text, content='documents', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2');"
    "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN"
    " INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
    " END;"
    "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN"
    " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text);"
    " END;"
    "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN"
    " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text);"
    " INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
    " END;"
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');";

/* Step 3: stories (issue 4).  The clustering engine (newsdesk/cluster.h)
 * assigns every document a story; the store keeps the assignment on the
 * document, one row per story with what the listings show, and the
 * engine's saved state so that the next ingest goes on where the last one
 * stopped.  See docs/architecture.md, "Stories". */
static const char step3[] =
    /* id is the engine's story id (stable; merged-away stories are
     * deleted).  headline is the title of rep_doc, the document whose
     * title shares the most words with the others'; first_seen/last_seen
     * the earliest and latest published (else fetched) time of its
     * documents; n_docs counts every document, n_dups those that are
     * duplicates (dup_of), n_sites the distinct outlets (site, else host). */
    "CREATE TABLE stories ("
    " id INTEGER PRIMARY KEY,"
    " headline TEXT,"
    " rep_doc INTEGER REFERENCES documents(id),"
    " first_seen TEXT,"
    " last_seen TEXT,"
    " n_docs INTEGER NOT NULL DEFAULT 0,"
    " n_dups INTEGER NOT NULL DEFAULT 0,"
    " n_sites INTEGER NOT NULL DEFAULT 0,"
    " updated TEXT);"
    "CREATE INDEX stories_last_seen ON stories(last_seen);"
    /* NULL until the document is clustered (documents stored before this
     * step are clustered by the next ingest or by recluster).  dup_of is
     * the earlier document it is an exact or near duplicate of. */
    "ALTER TABLE documents ADD COLUMN story_id INTEGER;"
    "ALTER TABLE documents ADD COLUMN dup_of INTEGER REFERENCES documents(id);"
    /* Covers "the documents of a story" and "the unclustered documents"
     * (NULLs are indexed) without reading rows past their long text. */
    "CREATE INDEX documents_story ON documents(story_id, dup_of);"
    "CREATE INDEX documents_dup_of ON documents(dup_of) WHERE dup_of IS NOT NULL;"
    /* The engine's state (nd_cluster_export) as of document last_doc,
     * saved at the end of each ingest; params is a fingerprint of the
     * parameters it was made with.  One row. */
    "CREATE TABLE cluster_state ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " params INTEGER NOT NULL,"
    " last_doc INTEGER NOT NULL,"
    " docs INTEGER NOT NULL,"
    " saved TEXT NOT NULL,"
    " state BLOB NOT NULL);";

/* Step 4: the analysis (issue 5): actors, their mentions, attributed
 * quotations and CAMEO events of each document, offsets into
 * documents.text (UTF-8 bytes, end exclusive).  Documents stored before
 * this step have no doc_analysis row: `newsdesk reanalyze` analyses them. */
static const char step4[] =
    /* Every actor ever seen, one row per (name, code): people, countries,
     * organisations, groups, sector agents. */
    "CREATE TABLE actors ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " code TEXT NOT NULL DEFAULT '',"
    " country TEXT,"
    " kind TEXT,"
    " role TEXT,"
    " in_dict INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (name, code));"
    "CREATE INDEX actors_name ON actors(name COLLATE NOCASE);"
    "CREATE INDEX actors_code ON actors(code);"
    /* Which documents were analysed, when, with which article date. */
    "CREATE TABLE doc_analysis ("
    " doc_id INTEGER PRIMARY KEY REFERENCES documents(id),"
    " analyzed TEXT NOT NULL,"
    " date TEXT,"
    " truncated INTEGER NOT NULL DEFAULT 0);"
    /* One row per actor and document that mentions it: top actors,
     * timelines and co-occurrence read this, not every mention. */
    "CREATE TABLE doc_actors ("
    " actor_id INTEGER NOT NULL,"
    " doc_id INTEGER NOT NULL,"
    " mentions INTEGER NOT NULL,"
    " PRIMARY KEY (actor_id, doc_id)) WITHOUT ROWID;"
    "CREATE INDEX doc_actors_doc ON doc_actors(doc_id);"
    /* Mentions in text order; how: 1 name, 2 alias, 3 role, 4 adjective,
     * 5 metonym, 6 pronoun (enum nd_mention_how). */
    "CREATE TABLE mentions ("
    " doc_id INTEGER NOT NULL,"
    " idx INTEGER NOT NULL,"
    " actor_id INTEGER NOT NULL,"
    " start_off INTEGER NOT NULL,"
    " end_off INTEGER NOT NULL,"
    " sentence INTEGER NOT NULL,"
    " how INTEGER NOT NULL,"
    " PRIMARY KEY (doc_id, idx)) WITHOUT ROWID;"
    /* Quotations: content is a JSON array of [start, end] spans (each
     * quotation with its marks; for indirect ones the reported clause);
     * start_off/end_off bound them all.  speaker is the actor's name, or the
     * source text when it was not resolved to an actor. */
    "CREATE TABLE quotes ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " doc_id INTEGER NOT NULL,"
    " idx INTEGER NOT NULL,"
    " speaker_id INTEGER,"
    " speaker TEXT,"
    " type TEXT NOT NULL,"
    " scare INTEGER NOT NULL DEFAULT 0,"
    " cue_lemma TEXT,"
    " start_off INTEGER NOT NULL,"
    " end_off INTEGER NOT NULL,"
    " content TEXT NOT NULL,"
    " source_start INTEGER, source_end INTEGER,"
    " cue_start INTEGER, cue_end INTEGER,"
    " clause_start INTEGER, clause_end INTEGER,"
    " sentence INTEGER,"
    " text TEXT NOT NULL);"
    "CREATE INDEX quotes_doc ON quotes(doc_id, idx);"
    "CREATE INDEX quotes_speaker ON quotes(speaker_id) WHERE speaker_id IS NOT NULL;"
    /* The quoted words, searchable (quotes --about).  Not kept by
     * triggers: the quotations of a transaction are indexed in one
     * statement before it commits (quotes_indexed: the last id indexed;
     * ids only grow), because FTS5 flushes its pending terms at every
     * savepoint and a page is a savepoint. */
    "CREATE VIRTUAL TABLE quotes_fts USING fts5("
    " text, content='quotes', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2');"
    "CREATE TABLE quotes_indexed (last INTEGER NOT NULL);"
    "INSERT INTO quotes_indexed VALUES (0);"
    /* Events: source and target actors (ids when resolved, CAMEO codes as
     * coded), CAMEO event code, Goldstein score, quad class (1 verbal
     * cooperation .. 4 material conflict), the sentence and verb spans, and
     * the date (YYYY-MM-DD: the article's, or a resolved "on Thursday";
     * NULL when unknown). */
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY,"
    " doc_id INTEGER NOT NULL,"
    " idx INTEGER NOT NULL,"
    " source_id INTEGER,"
    " target_id INTEGER,"
    " source_code TEXT NOT NULL DEFAULT '',"
    " target_code TEXT NOT NULL DEFAULT '',"
    " code TEXT NOT NULL,"
    " goldstein REAL,"
    " quad INTEGER,"
    " negated INTEGER NOT NULL DEFAULT 0,"
    " date TEXT,"
    " sentence INTEGER,"
    " sentence_start INTEGER NOT NULL,"
    " sentence_end INTEGER NOT NULL,"
    " verb_start INTEGER, verb_end INTEGER);"
    "CREATE INDEX events_doc ON events(doc_id, idx);"
    "CREATE INDEX events_source ON events(source_code, target_code);"
    "CREATE INDEX events_target ON events(target_code, source_code);"
    "CREATE INDEX events_source_actor ON events(source_id) WHERE source_id IS NOT NULL;"
    "CREATE INDEX events_target_actor ON events(target_id) WHERE target_id IS NOT NULL;";

/* Step 5: what the query layer reads instead of scanning (issue 13;
 * docs/architecture.md, "The query layer").  Every total is kept as rows
 * are written and filled here for the rows already stored.
 *   - store_counts: (field, value) -> n, kept by triggers: the counts of
 *     `stats` ("documents", "paragraphs", ..., "text_bytes") with value
 *     '', and the documents per "site", "host" and "language".
 *   - actor_stats, actor_days, code_days: documents and mentions per
 *     actor, per actor and day, per CAMEO code prefix of whole levels
 *     ("RUS", "RUSGOV") and day (a document once per prefix), and each
 *     actor's quotations and first and last date; kept by the analysis
 *     write path (src/store/analysis.c), which knows a document's actors.
 *   - actor_words: each word of each actor's name (lower case ASCII
 *     letters and digits), for "Putin" -> "Vladimir Putin".
 *   - quotes.date (the document's published, else fetched, time),
 *     events.day (the event's date, else its document's day) and
 *     .latest on both (the document is the latest version of its page,
 *     kept by a trigger when a new version arrives), with indexes in the
 *     order the listings show: a page of them reads its own rows.
 *   - stories(last_seen, id): the newest stories first without a sort. */
/* The counts of a documents row (row: new or old; sign: "" or "-"). */
#define ND__DOC_COUNTS(row, sign)                                                                  \
    "INSERT INTO store_counts(field, value, n) VALUES"                                             \
    " ('documents', '', " sign "1),"                                                               \
    " ('pages', '', " sign "(" row ".parent_id IS NULL AND " row ".version = 1)),"                 \
    " ('versions', '', " sign "(" row ".version > 1)),"                                            \
    " ('related_docs', '', " sign "(" row ".parent_id IS NOT NULL)),"                              \
    " ('text_bytes', '', " sign "length(CAST(" row ".text AS BLOB))),"                             \
    " ('site', coalesce(" row ".site, ''), " sign "1),"                                            \
    " ('host', coalesce(" row ".host, ''), " sign "1),"                                            \
    " ('language', coalesce(" row ".language, ''), " sign "1)"                                     \
    " ON CONFLICT (field, value) DO UPDATE SET n = n + excluded.n;"

/* One count per row of table, kept by triggers and filled now. */
#define ND__ROW_COUNT(table, field)                                                                \
    "CREATE TRIGGER store_counts_" table "_ai AFTER INSERT ON " table " BEGIN"                     \
    " INSERT INTO store_counts(field, value, n) VALUES ('" field "', '', 1)"                       \
    " ON CONFLICT (field, value) DO UPDATE SET n = n + 1; END;"                                    \
    "CREATE TRIGGER store_counts_" table "_ad AFTER DELETE ON " table " BEGIN"                     \
    " UPDATE store_counts SET n = n - 1 WHERE field = '" field "' AND value = ''; END;"            \
    "INSERT OR REPLACE INTO store_counts(field, value, n)"                                         \
    " SELECT '" field "', '', count(*) FROM " table ";"

/* clang-format off */
static const char step5[] =
    "CREATE TABLE store_counts ("
    " field TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " n INTEGER NOT NULL,"
    " PRIMARY KEY (field, value)) WITHOUT ROWID;"
    "CREATE TRIGGER store_counts_doc_ai AFTER INSERT ON documents BEGIN "
    ND__DOC_COUNTS("new", "") " END;"
    "CREATE TRIGGER store_counts_doc_ad AFTER DELETE ON documents BEGIN "
    ND__DOC_COUNTS("old", "-") " END;"
    "CREATE TRIGGER store_counts_doc_au AFTER UPDATE OF site, host, language, text, version,"
    " parent_id ON documents BEGIN "
    ND__DOC_COUNTS("old", "-") ND__DOC_COUNTS("new", "") " END;"
    ND__ROW_COUNT("paragraphs", "paragraphs")
    ND__ROW_COUNT("related", "related_links")
    ND__ROW_COUNT("raw_pages", "raw_pages")
    ND__ROW_COUNT("ingest_errors", "errors")
    ND__ROW_COUNT("doc_analysis", "analysed")
    "INSERT OR REPLACE INTO store_counts(field, value, n)"
    " SELECT 'documents', '', count(*) FROM documents"
    " UNION ALL SELECT 'pages', '', count(*) FROM documents"
    " WHERE parent_id IS NULL AND version = 1"
    " UNION ALL SELECT 'versions', '', count(*) FROM documents WHERE version > 1"
    " UNION ALL SELECT 'related_docs', '', count(*) FROM documents WHERE parent_id IS NOT NULL"
    " UNION ALL SELECT 'text_bytes', '', coalesce(sum(length(CAST(text AS BLOB))), 0)"
    " FROM documents"
    " UNION ALL SELECT 'site', coalesce(site, ''), count(*) FROM documents GROUP BY 2"
    " UNION ALL SELECT 'host', coalesce(host, ''), count(*) FROM documents GROUP BY 2"
    " UNION ALL SELECT 'language', coalesce(language, ''), count(*) FROM documents GROUP BY 2;"

    "CREATE TABLE actor_stats ("
    " actor_id INTEGER PRIMARY KEY,"
    " documents INTEGER NOT NULL DEFAULT 0,"
    " mentions INTEGER NOT NULL DEFAULT 0,"
    " quotes INTEGER NOT NULL DEFAULT 0,"
    " first TEXT,"
    " last TEXT);"
    "CREATE INDEX actor_stats_top ON actor_stats(documents, mentions);"
    "CREATE TABLE actor_days ("
    " actor_id INTEGER NOT NULL,"
    " day TEXT NOT NULL,"
    " documents INTEGER NOT NULL,"
    " mentions INTEGER NOT NULL,"
    " PRIMARY KEY (actor_id, day)) WITHOUT ROWID;"
    "CREATE TABLE code_days ("
    " prefix TEXT NOT NULL,"
    " day TEXT NOT NULL,"
    " documents INTEGER NOT NULL,"
    " mentions INTEGER NOT NULL,"
    " PRIMARY KEY (prefix, day)) WITHOUT ROWID;"
    "CREATE TABLE actor_words ("
    " word TEXT NOT NULL,"
    " actor_id INTEGER NOT NULL,"
    " PRIMARY KEY (word, actor_id)) WITHOUT ROWID;"
    /* Fill them from the analyses already stored. */
    "CREATE TEMP TABLE doc_day AS SELECT da.doc_id, da.actor_id, da.mentions,"
    " coalesce(d.published, d.fetched) AS date,"
    " coalesce(substr(coalesce(d.published, d.fetched), 1, 10), '') AS day"
    " FROM doc_actors da JOIN documents d ON d.id = da.doc_id;"
    "INSERT INTO actor_stats(actor_id, documents, mentions, first, last)"
    " SELECT actor_id, count(*), sum(mentions), min(date), max(date) FROM doc_day"
    " GROUP BY actor_id;"
    "INSERT INTO actor_stats(actor_id, quotes)"
    " SELECT speaker_id, count(*) FROM quotes WHERE speaker_id IS NOT NULL GROUP BY speaker_id"
    " ON CONFLICT (actor_id) DO UPDATE SET quotes = excluded.quotes;"
    "INSERT INTO actor_days SELECT actor_id, day, count(*), sum(mentions) FROM doc_day"
    " GROUP BY actor_id, day;"
    "WITH RECURSIVE level(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM level WHERE k < 8),"
    " pre AS (SELECT DISTINCT x.doc_id, x.day, substr(a.code, 1, 3 * level.k) AS prefix,"
    " x.actor_id, x.mentions FROM doc_day x JOIN actors a ON a.id = x.actor_id"
    " JOIN level ON length(a.code) >= 3 * level.k)"
    " INSERT INTO code_days SELECT prefix, day, count(DISTINCT doc_id), sum(mentions) FROM pre"
    " GROUP BY prefix, day;"
    "DROP TABLE doc_day;"
    "WITH RECURSIVE split(id, rest, word, done) AS ("
    " SELECT id, lower(name) || ' ', '', NULL FROM actors"
    " UNION ALL SELECT id, substr(rest, 2),"
    " CASE WHEN substr(rest, 1, 1) GLOB '[a-z0-9]' THEN word || substr(rest, 1, 1) ELSE '' END,"
    " CASE WHEN substr(rest, 1, 1) GLOB '[a-z0-9]' THEN NULL ELSE nullif(word, '') END"
    " FROM split WHERE rest != '')"
    " INSERT OR IGNORE INTO actor_words SELECT done, id FROM split WHERE done IS NOT NULL;"

    "ALTER TABLE quotes ADD COLUMN date TEXT;"
    "ALTER TABLE quotes ADD COLUMN latest INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE events ADD COLUMN day TEXT;"
    "ALTER TABLE events ADD COLUMN latest INTEGER NOT NULL DEFAULT 1;"
    "CREATE TEMP TABLE doc_latest AS SELECT d.id,"
    " coalesce(d.published, d.fetched) AS date,"
    " substr(coalesce(d.published, d.fetched), 1, 10) AS day,"
    " NOT EXISTS (SELECT 1 FROM documents v WHERE v.ident = d.ident AND v.version > d.version)"
    " AS latest FROM documents d WHERE d.id IN (SELECT doc_id FROM doc_analysis);"
    "CREATE UNIQUE INDEX temp.doc_latest_id ON doc_latest(id);"
    "UPDATE quotes SET date = x.date, latest = x.latest FROM doc_latest x"
    " WHERE x.id = quotes.doc_id;"
    "UPDATE events SET day = coalesce(events.date, x.day), latest = x.latest FROM doc_latest x"
    " WHERE x.id = events.doc_id;"
    "DROP TABLE doc_latest;"
    "DROP INDEX quotes_speaker;"
    "CREATE INDEX quotes_date ON quotes(date, doc_id, idx);"
    "CREATE INDEX quotes_speaker_date ON quotes(speaker_id, date, doc_id, idx)"
    " WHERE speaker_id IS NOT NULL;"
    "CREATE INDEX events_day ON events(day, doc_id, idx);"
    /* The events between two code prefixes, counted and ordered from the
     * index alone (it replaces the two of step 4). */
    "DROP INDEX events_source;"
    "DROP INDEX events_target;"
    "CREATE INDEX events_dyad ON events(source_code, target_code, day, doc_id, idx, quad,"
    " goldstein, latest);"
    "CREATE INDEX events_dyad_rev ON events(target_code, source_code, day, doc_id, idx, quad,"
    " goldstein, latest);"
    /* An actor's co-occurring actors from the index alone (replaces the
     * one of step 4). */
    "DROP INDEX doc_actors_doc;"
    "CREATE INDEX doc_actors_doc ON doc_actors(doc_id, actor_id, mentions);"
    /* A new version of a page: the analysis of the older ones leaves the
     * listings (they show the latest version of each page). */
    "CREATE TRIGGER analysis_latest AFTER INSERT ON documents"
    " WHEN new.version > 1 AND new.ident IS NOT NULL BEGIN"
    " UPDATE quotes SET latest = 0 WHERE latest AND doc_id IN"
    " (SELECT id FROM documents WHERE ident = new.ident AND version < new.version);"
    " UPDATE events SET latest = 0 WHERE latest AND doc_id IN"
    " (SELECT id FROM documents WHERE ident = new.ident AND version < new.version);"
    " END;"
    "CREATE INDEX stories_seen ON stories(last_seen, id);";
/* clang-format on */

#undef ND__DOC_COUNTS
#undef ND__ROW_COUNT

static const char step6[] =
    /* Events as GDELT counts them (issue 9).  An events row is one event of
     * one document with every sentence that reports it: mentions holds the
     * mentions after the first as a JSON array of [sentence_start,
     * sentence_end, verb_start, verb_end, sentence] (NULL: the row's
     * sentence only).  instance_id is the event across documents: rows
     * with the same coded dyad, CAMEO root and day share it (key
     * 'SOURCE|TARGET|ROOT|YYYY-MM-DD'); an undated event is an instance of
     * its own (key NULL).  Counts of mentions, articles and sources are
     * read from the rows, restricted as each query restricts them (latest
     * versions, dates, sites), so they are never stale. */
    "ALTER TABLE events ADD COLUMN n_mentions INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE events ADD COLUMN mentions TEXT;"
    "ALTER TABLE events ADD COLUMN instance_id INTEGER;"
    "CREATE TABLE event_instances ("
    " id INTEGER PRIMARY KEY,"
    " key TEXT UNIQUE,"
    " source_code TEXT NOT NULL,"
    " target_code TEXT NOT NULL,"
    " root TEXT NOT NULL,"
    " date TEXT);"
    /* the events stored before: dated ones grouped by their key, undated
     * ones one instance each */
    "INSERT INTO event_instances(key, source_code, target_code, root, date)"
    " SELECT source_code || '|' || target_code || '|' || substr(code, 1, 2) || '|' || date,"
    " source_code, target_code, substr(code, 1, 2), date FROM events WHERE date IS NOT NULL"
    " GROUP BY 1 ORDER BY min(id);"
    "UPDATE events SET instance_id = (SELECT i.id FROM event_instances i WHERE i.key ="
    " events.source_code || '|' || events.target_code || '|' || substr(events.code, 1, 2)"
    " || '|' || events.date) WHERE date IS NOT NULL;"
    "INSERT INTO event_instances(key, source_code, target_code, root, date)"
    " SELECT '#' || id, source_code, target_code, substr(code, 1, 2), NULL FROM events"
    " WHERE date IS NULL ORDER BY id;"
    "UPDATE events SET instance_id = (SELECT i.id FROM event_instances i"
    " WHERE i.key = '#' || events.id) WHERE date IS NULL;"
    "UPDATE event_instances SET key = NULL WHERE key LIKE '#%';"
    "CREATE INDEX events_instance ON events(instance_id);"
    /* the relations of two actors count instances from the index alone */
    "DROP INDEX events_dyad;"
    "DROP INDEX events_dyad_rev;"
    "CREATE INDEX events_dyad ON events(source_code, target_code, day, doc_id, idx, quad,"
    " goldstein, latest, instance_id);"
    "CREATE INDEX events_dyad_rev ON events(target_code, source_code, day, doc_id, idx, quad,"
    " goldstein, latest, instance_id);";

/* Step 7: keywords (issue 11): the distinctive phrases of each document,
 * best first (newsdesk/keywords.h), and which documents have them
 * (reanalyze fills the others).  The phrase index answers "documents with
 * this keyword" and a story's keywords are its documents' rows summed.
 * documents_story_outlet counts a story's articles per outlet (the
 * briefing, a story's summary) from the index alone: a document's row
 * holds its text, and reading site past it costs the whole row. */
static const char step7[] =
    "CREATE TABLE keywords ("
    " doc_id INTEGER NOT NULL,"
    " idx INTEGER NOT NULL,"
    " phrase TEXT NOT NULL,"
    " kind INTEGER NOT NULL,"
    " score REAL NOT NULL,"
    " PRIMARY KEY (doc_id, idx)) WITHOUT ROWID;"
    "CREATE INDEX keywords_phrase ON keywords(phrase COLLATE NOCASE, doc_id);"
    "CREATE TABLE keyword_docs (doc_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
    "CREATE INDEX documents_story_outlet ON documents(story_id,"
    " coalesce(nullif(site, ''), host, ''));";

/* Step 8: stories at scale (issue 13).  The clustering engine's state in
 * pieces that are rewritten when they change (nd_cluster_save), instead of
 * one blob rewritten whole by every run (cluster_state stays for stores of
 * step 3-4: the next run imports it once); the log of what the engine was
 * given since (a killed run is replayed from it, so its successor decides
 * as one run would have); and each story's aggregates, kept change by
 * change.  See docs/architecture.md, "Stories in the store". */
static const char step8[] =
    /* id = kind << 48 | key (newsdesk/cluster.h, nd_cluster_save). */
    "CREATE TABLE cluster_items ("
    " id INTEGER PRIMARY KEY,"
    " data BLOB NOT NULL);"
    /* What the items hold: one row.  params is the fingerprint of the
     * engine's parameters and format; log_seq the last operation of
     * cluster_log they include; unflushed the documents given to the
     * engine since its last re-examination (nd_cluster_flush). */
    "CREATE TABLE cluster_saved ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " params INTEGER NOT NULL,"
    " log_seq INTEGER NOT NULL,"
    " unflushed INTEGER NOT NULL,"
    " docs INTEGER NOT NULL,"
    " saved TEXT NOT NULL);"
    /* What the engine was given, in order, since the items were saved:
     * op 1 a document (doc_id), op 2 a re-examination (nd_cluster_flush).
     * Rows up to cluster_saved.log_seq are deleted when the items are. */
    "CREATE TABLE cluster_log ("
    " seq INTEGER PRIMARY KEY,"
    " op INTEGER NOT NULL,"
    " doc_id INTEGER);"
    /* A story's aggregates (its sites, the words of its titles and its
     * headline candidates, its earliest and latest times): the stories
     * row is written from them. */
    "CREATE TABLE story_agg ("
    " story_id INTEGER PRIMARY KEY,"
    " state BLOB NOT NULL);"
    /* New documents are indexed in documents_fts once per transaction,
     * just before it commits (docs_indexed: the last id indexed; ids only
     * grow), not by a trigger: FTS5 writes its pending terms as a new
     * segment at every savepoint, and each page is one, so the trigger made
     * a segment per page and merge work that grows with the index. */
    "DROP TRIGGER documents_fts_ai;"
    "CREATE TABLE docs_indexed (last INTEGER NOT NULL);"
    "INSERT INTO docs_indexed SELECT coalesce(max(id), 0) FROM documents;";

/* Step 9: the document frequencies the ingest's keywords looked up,
 * kept between runs (src/store/keywords.c).  A row says that `df`
 * documents of id <= `upto` hold the word; the count of the later ones
 * is added at lookup, so a word's frequency never walks its whole list of
 * documents again.  The rows hold while documents are only appended: a
 * document deleted or whose text changes empties the table. */
static const char step9[] =
    "CREATE TABLE word_df ("
    " word TEXT PRIMARY KEY,"
    " df INTEGER NOT NULL,"
    " upto INTEGER NOT NULL) WITHOUT ROWID;"
    "DROP TRIGGER documents_fts_ad;"
    "DROP TRIGGER documents_fts_au;"
    "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN"
    " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text);"
    " DELETE FROM word_df;"
    " END;"
    "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN"
    " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text);"
    " INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
    " DELETE FROM word_df;"
    " END;";

/* Step 10's trigger that keeps prefix_actors (schema step 13 recreates it
 * with its rebuilt table). */
#define PREFIX_ACTORS_TRIGGER                                                                      \
    "CREATE TRIGGER prefix_actors_ai AFTER INSERT ON actors WHEN length(new.code) >= 3 BEGIN"      \
    " UPDATE prefix_actors SET n = n + 1, last = new.id, ids = ids || ',' || (new.id - last)"      \
    " WHERE id = (SELECT max(id) FROM prefix_actors WHERE prefix = substr(new.code, 1, 3))"        \
    " AND n < 512 AND last < new.id;"                                                              \
    " INSERT INTO prefix_actors(prefix, n, last, ids)"                                             \
    " SELECT substr(new.code, 1, 3), 1, new.id, new.id WHERE NOT EXISTS"                           \
    " (SELECT 1 FROM prefix_actors WHERE id = (SELECT max(id) FROM prefix_actors"                  \
    " WHERE prefix = substr(new.code, 1, 3)) AND last = new.id);"                                  \
    " END;"

/* Step 10: what an actor page of a code prefix reads cold (issue 13).
 * How many events each CAMEO code takes part in:
 * event_codes(code) -> n, the events whose source_code is code plus those
 * whose target_code is (an event with both counts twice), kept by
 * triggers on every write of events and filled here for the rows already
 * stored.  An actor page of a code prefix ("USA", more than 20,000 events
 * at 1,000,000 documents) says "over 20,000" from the prefix's few rows
 * here, where it counted 20,001 entries of the dyad indexes (244 pages
 * cold); src/query/events.c. */
static const char step10[] =
    "CREATE TABLE event_codes ("
    " code TEXT PRIMARY KEY,"
    " n INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO event_codes SELECT code, sum(n) FROM"
    " (SELECT source_code AS code, count(*) AS n FROM events GROUP BY source_code"
    " UNION ALL SELECT target_code, count(*) FROM events GROUP BY target_code) GROUP BY code;"
    "CREATE TRIGGER event_codes_ai AFTER INSERT ON events BEGIN"
    " INSERT INTO event_codes VALUES (new.source_code, 1)"
    " ON CONFLICT (code) DO UPDATE SET n = n + 1;"
    " INSERT INTO event_codes VALUES (new.target_code, 1)"
    " ON CONFLICT (code) DO UPDATE SET n = n + 1;"
    " END;"
    "CREATE TRIGGER event_codes_ad AFTER DELETE ON events BEGIN"
    " UPDATE event_codes SET n = n - 1 WHERE code = old.source_code;"
    " UPDATE event_codes SET n = n - 1 WHERE code = old.target_code;"
    " END;"
    "CREATE TRIGGER event_codes_au AFTER UPDATE OF source_code, target_code ON events BEGIN"
    " UPDATE event_codes SET n = n - 1 WHERE code = old.source_code;"
    " UPDATE event_codes SET n = n - 1 WHERE code = old.target_code;"
    " INSERT INTO event_codes VALUES (new.source_code, 1)"
    " ON CONFLICT (code) DO UPDATE SET n = n + 1;"
    " INSERT INTO event_codes VALUES (new.target_code, 1)"
    " ON CONFLICT (code) DO UPDATE SET n = n + 1;"
    " END;"
    /* The actors of each three-letter code prefix ("USA": every code from
     * USA to USAZZZ...) as lists of ids, 512 a row: in
     * id order, the first in full and each next as its distance from the
     * one before, in decimal, comma-separated ("1200,3,41"); n of them,
     * the last `last`.  An actor is appended to its prefix's last row, or
     * begins a new one, by a trigger (actors are only ever inserted, and
     * never change code).  A prefix's set of actors is read from a few
     * rows (USA at 1,000,000 documents: 50,990 actors, 100 rows of about
     * 1.5 KB) where the actors(code) index held an entry each (182
     * pages). */
    "CREATE TABLE prefix_actors ("
    " id INTEGER PRIMARY KEY,"
    " prefix TEXT NOT NULL,"
    " n INTEGER NOT NULL,"
    " last INTEGER NOT NULL,"
    " ids TEXT NOT NULL);"
    "CREATE INDEX prefix_actors_prefix ON prefix_actors(prefix, id);"
    "INSERT INTO prefix_actors(prefix, n, last, ids)"
    " SELECT p, r, id, l FROM (SELECT p, c, id, r,"
    " group_concat(v, ',') OVER (PARTITION BY p, c ORDER BY id ROWS UNBOUNDED PRECEDING) AS l,"
    " count(*) OVER (PARTITION BY p, c) AS k FROM"
    " (SELECT p, c, id, row_number() OVER w AS r,"
    " id - coalesce(lag(id) OVER w, 0) AS v FROM"
    " (SELECT p, id, (row_number() OVER (PARTITION BY p ORDER BY id) - 1) / 512 AS c FROM"
    " (SELECT substr(code, 1, 3) AS p, id FROM actors WHERE length(code) >= 3))"
    " WINDOW w AS (PARTITION BY p, c ORDER BY id)))"
    " WHERE r = k ORDER BY p, c;"
    /* kept as actors are added */
    PREFIX_ACTORS_TRIGGER
    /* The quotations the listings show (latest version, not scare quotes,
     * a speaker) in date order with their speaker: a frequent speaker's
     * (a prefix's) are read in date order, filtered on the index alone,
     * and only the page's rows are read, where each quotation passed was
     * a row read (`actor CHN` at 1,000,000 documents: 8,414 quotations
     * passed for its page's 10, 671 pages cold). */
    "CREATE INDEX quotes_shown ON quotes(date, doc_id, idx, speaker_id)"
    " WHERE latest AND scare = 0 AND speaker IS NOT NULL;";

/* Step 11: the window counts of phrases (src/store/keywords.c, df_phrase):
 * a row says that `n` of the documents of id in (upto - span, upto] hold
 * the phrase - the count a run scales to its estimate, which the next run
 * would otherwise ask the full-text index for again.  A run's save moves
 * the rows of the phrases it looked up to its last document by the
 * documents that entered and left the window, and those of the `runs`
 * runs before it; the other rows are deleted.  Emptied with word_df.
 * And the tokens of the last documents, which the keywords' counts read
 * instead of cutting the texts again. */
static const char step11[] =
    "CREATE TABLE phrase_window ("
    " word TEXT PRIMARY KEY,"
    " n INTEGER NOT NULL,"
    " upto INTEGER NOT NULL,"
    " span INTEGER NOT NULL,"
    " runs INTEGER NOT NULL) WITHOUT ROWID;"
    /* the tokens of the last documents, as a save cut them: their hashes in
     * order (keywords.c, df_save_tokens) */
    "CREATE TABLE doc_tokens ("
    " doc_id INTEGER PRIMARY KEY,"
    " toks BLOB NOT NULL);"
    "DROP TRIGGER documents_fts_ad;"
    "DROP TRIGGER documents_fts_au;"
    "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN"
    " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text);"
    " DELETE FROM word_df;"
    " DELETE FROM phrase_window;"
    " DELETE FROM doc_tokens WHERE doc_id = old.id;"
    " END;"
    "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN"
    " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text);"
    " INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
    " DELETE FROM word_df;"
    " DELETE FROM phrase_window;"
    " DELETE FROM doc_tokens WHERE doc_id = old.id;"
    " END;";

/* Step 12: keywords_phrase dropped (session 17, issue 13).  No query
 * reads keywords by phrase (a document's keywords and a story's are read
 * by doc_id; "documents with this phrase" is a full-text search), and its
 * entry of each keyword row lands at a random place: in a large store
 * nearly every entry was an index page of its own in the run's WAL and
 * again at the checkpoint - 931 of the 10,699 pages 100 pages wrote into
 * the 1,000,000-document store (docs/architecture.md, "The pages a small
 * run writes"). */
static const char step12[] = "DROP INDEX IF EXISTS keywords_phrase;";

/* Step 13: fewer pages written per new actor (session 18, issue 13).  In
 * a large store each new actor's entry in each name index, and each word
 * of its name in actor_words, was an index page of its own in the run's
 * WAL, written again at the checkpoint: a quarter of the pages 100 pages
 * wrote into the 1,000,000-document store (docs/architecture.md, "The
 * pages a small run writes").
 *   - actors: one name index where there were two.  UNIQUE (name COLLATE
 *     NOCASE, name, code) is unique exactly when (name, code) is, and
 *     serves both the writer's exact lookup and the query layer's
 *     case-insensitive one; the inline UNIQUE (name, code) cannot be
 *     dropped, so the table is rebuilt (same ids and rows) with its code
 *     index and the trigger of prefix_actors.
 *   - actor_words -> actor_names: the words of each actor's name (runs of
 *     ASCII letters and digits, lower case: src/store/analysis.c,
 *     name_words) as one row of a contentless full-text index, its text
 *     those words joined by spaces (the `ascii` tokenizer cuts them back
 *     into the same words).  The writer adds the transaction's new actors
 *     just before it commits, so a run's words are one new segment (plus
 *     the merges), not one random index page per word.  Filled here from
 *     actor_words, so that the words are those stored. */
static const char step13[] =
    "CREATE TABLE actors_new ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " code TEXT NOT NULL DEFAULT '',"
    " country TEXT,"
    " kind TEXT,"
    " role TEXT,"
    " in_dict INTEGER NOT NULL DEFAULT 0);"
    /* The indexes are made first and filled row by row in id order, as
     * the writer filled the old ones: made after, from a sort, their pages
     * would be full, and the next runs' new actors would split one at
     * nearly every insert (a page was 2.3 pages written per new actor,
     * not 1, 100 pages into the 100,000-document store). */
    "DROP INDEX actors_name;"
    "DROP INDEX actors_code;"
    "CREATE UNIQUE INDEX actors_name ON actors_new(name COLLATE NOCASE, name, code);"
    "CREATE INDEX actors_code ON actors_new(code);"
    "INSERT INTO actors_new(id, name, code, country, kind, role, in_dict)"
    " SELECT id, name, code, country, kind, role, in_dict FROM actors ORDER BY id;"
    "DROP TABLE actors;"
    "ALTER TABLE actors_new RENAME TO actors;"
    /* step 10's trigger, as it was */
    PREFIX_ACTORS_TRIGGER
    "CREATE VIRTUAL TABLE actor_names USING fts5(words, content='', detail=none,"
    " columnsize=0, tokenize='ascii');"
    "INSERT INTO actor_names(rowid, words)"
    " SELECT actor_id, group_concat(word, ' ') FROM actor_words GROUP BY actor_id"
    " ORDER BY actor_id;"
    "INSERT INTO actor_names(actor_names) VALUES ('optimize');"
    "DROP TABLE actor_words;";

static const char *const steps[] = {step1, step2, step3,  step4,  step5,  step6, step7,
                                    step8, step9, step10, step11, step12, step13};

_Static_assert(sizeof steps / sizeof *steps == ND_STORE_SCHEMA,
               "one migration step per schema version");

static int user_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

static int fail(sqlite3 *db, int rc, const char *path, const char *what, nd_error *err)
{
    int code = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? ND_EBUSY : ND_EDB;
    return nd_error_set(err, code, (size_t) -1, "%s: %s: %s", path, what, sqlite3_errmsg(db));
}

static void (*on_migrate)(const char *path, int from, int to);

void nd_store_on_migrate(void (*fn)(const char *path, int from, int to))
{
    on_migrate = fn;
}

/* The value of an integer pragma (name), or -1. */
static int pragma_int(sqlite3 *db, const char *name)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s", name);
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void pragma_set(sqlite3 *db, const char *name, int v)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s = %d", name, v);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static int migrate(sqlite3 *db, int target, const char *path, nd_error *err)
{
    int v = 0, said = 0;
    int rc = user_version(db, &v);
    if (rc != SQLITE_OK) return fail(db, rc, path, "cannot read the schema version", err);
    if (v > ND_STORE_SCHEMA)
        return nd_error_set(err, ND_ESCHEMA, (size_t) -1,
                            "%s: database schema version %d is newer than this program's (%d);"
                            " use a newer newsdesk",
                            path, v, ND_STORE_SCHEMA);
    while (v < target) {
        rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return fail(db, rc, path, "cannot lock the database to migrate it", err);
        /* Another process may have migrated while we waited for the lock. */
        rc = user_version(db, &v);
        if (rc != SQLITE_OK || v >= target) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            if (rc != SQLITE_OK) return fail(db, rc, path, "cannot read the schema version", err);
            break;
        }
        if (!said && v > 0 && on_migrate) on_migrate(path, v, target);
        said = 1;
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        /* Step 13 moves actors and their words and drops the old tables:
         * the pages it frees hold rows still in the store, which Debian's
         * SQLite (secure_delete) would zero, a write of each into the WAL
         * and again at the checkpoint (78 of the 137 MB the step wrote
         * into a 100,000-document store, 1.69 -> 1.41 s). */
        int secure = v + 1 == 13 ? pragma_int(db, "secure_delete") : -1;
        if (secure > 0) pragma_set(db, "secure_delete", 0);
        rc = sqlite3_exec(db, steps[v], NULL, NULL, NULL);
        /* (as a number the pragma reads a boolean: FAST by its name) */
        if (secure == 2) sqlite3_exec(db, "PRAGMA secure_delete = FAST", NULL, NULL, NULL);
        if (secure == 1) pragma_set(db, "secure_delete", 1);
        if (rc == SQLITE_OK) rc = sqlite3_exec(db, pragma, NULL, NULL, NULL);
        if (rc == SQLITE_OK) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            char what[64];
            snprintf(what, sizeof what, "migration to schema version %d failed", v + 1);
            int code = fail(db, rc, path, what, err);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return code;
        }
        v++;
    }
    return 0;
}

/* A step may rewrite a large table and its indexes in one transaction
 * (step 13 copies every actor into a table whose indexes it fills row by
 * row): in SQLite's default page cache (2 MB) their pages spill to the WAL
 * and are read back again and again - 600 MB written and 580 MB read to
 * copy the 227,000 actors of a 100,000-document store.  So the steps run
 * with a cache of up to MIGRATE_CACHE_KB (the 2,083,351 actors of the
 * 1,000,000-document store: their new indexes 127 MB), and the
 * connection gets its own cache back after. */
#define MIGRATE_CACHE_KB 131072

int nd__store_migrate(sqlite3 *db, int target, const char *path, nd_error *err)
{
    int cache = pragma_int(db, "cache_size");
    if (cache != -1) pragma_set(db, "cache_size", -MIGRATE_CACHE_KB);
    int rc = migrate(db, target, path, err);
    if (cache != -1) pragma_set(db, "cache_size", cache);
    return rc;
}

int nd__store_create_at(const char *path, int version, nd_error *err)
{
    if (version < 0 || version > ND_STORE_SCHEMA)
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "no schema version %d", version);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        int code = nd_error_set(err, ND_EDB, (size_t) -1, "%s: %s", path,
                                db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return code;
    }
    rc = nd__store_migrate(db, version, path, err);
    sqlite3_close(db);
    return rc;
}
