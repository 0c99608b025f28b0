/*
 * cli.h - shared helpers of the newsdesk command-line tool.  The CLI uses
 * only the public API in include/newsdesk.
 */
#ifndef ND_CLI_H
#define ND_CLI_H

#include <stdio.h>

#include "newsdesk/newsdesk.h"

/* The subcommands: X(name, one-line summary).  Each is implemented as
 * `int cmd_<name>(int argc, char **argv)` in cli/cmd_<name>.c and returns
 * the exit status (0 ok, 1 some inputs failed, 2 usage error). */
#define ND_COMMANDS(X)                                                        \
    X(extract, "read pages (HTML or flattened text) and print the articles")  \
    X(ingest, "read pages, WARC and JSON lines into the store")               \
    X(search, "full-text search of the store, ranked, with snippets")         \
    X(show, "one stored document")                                            \
    X(stats, "what the store holds")                                          \
    X(errors, "the inputs an ingest could not read")                          \
    X(export, "every stored document as JSON lines")                          \
    X(stories, "stories: articles grouped across outlets and days")           \
    X(story, "one story: its articles by outlet and time")                    \
    X(recluster, "rebuild every story from scratch")                          \
    X(analyze, "actors, attributed quotations and CAMEO events of texts")     \
    X(reanalyze, "analyse stored documents (those never analysed, or all)")   \
    X(quotes, "attributed quotations in the store: who said what")            \
    X(actors, "the actors the store mentions most")                           \
    X(actor, "one actor: mentions by period, quotations, who is with it")     \
    X(relations, "events between two actors over time (CAMEO, Goldstein)")    \
    X(events, "coded events as a table, JSON lines or GDELT 2.0 columns")     \
    X(parse, "part-of-speech tags and dependency trees of texts (CoNLL-U)")

#define ND__CMDDECL(name, summary) int cmd_##name(int argc, char **argv);
ND_COMMANDS(ND__CMDDECL)
#undef ND__CMDDECL

/* Exit statuses. */
enum { ND_EXIT_OK = 0, ND_EXIT_SOME_FAILED = 1, ND_EXIT_USAGE = 2 };

/* "newsdesk: WHAT: message" on stderr, one line. */
void cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "newsdesk: message" on stderr, one line, and returns ND_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Read a whole file ("-" is stdin).  Returns 0 and a malloc'd buffer
 * (caller frees with free()), or -errno.  Reads at most max bytes + 1 so
 * that callers can tell an oversized input. */
int cli_read_file(const char *path, size_t max, char **data, size_t *len);

/* Read one input of a batch (a file, "-" for stdin) of at most
 * ND_DECODE_MAX_BYTES.  Returns 0 and a malloc'd buffer (caller frees
 * with free()), or prints "newsdesk: PATH: reason" and returns -1. */
int cli_read_input(const char *path, char **data, size_t *len);

/* Write all of buf to stdout; returns 0 or -1 (e.g. EPIPE). */
int cli_write(const char *p, size_t n);

/* Parse a time given on the command line (ISO 8601 date or date-time, or
 * epoch seconds with a leading '@').  Returns 0 or -1. */
int cli_parse_time(const char *s, long long *ts);

/* Terminal width of stdout, or 0 when it is not a terminal. */
int cli_term_width(void);

/* ---- store commands (cli/store_util.c) ---- */
/* The database: --db PATH, else $NEWSDESK_DB, else ./newsdesk.db. */
const char *cli_db_path(const char *opt);
/* Open the store (ND_STORE_* flags); prints the error and returns NULL on
 * failure.  Caller closes with nd_store_close(). */
nd_store *cli_open_store(const char *path, unsigned flags);
/* A document as one JSON object (export, show --json): "id" is the
 * external id when there is one, else the numeric id ("doc_id"). */
void cli_doc_json(nd_json *j, const nd_store_doc *d);
void cli_doc_id_json(nd_json *j, const char *ext_id, int64_t id);
/* "ID: headline (N articles, M outlets)" for `show`. */
void cli_story_line(nd_store *s, int64_t story, char *out, size_t n);
/* "SOURCE", "SOURCE@OFFSET" or "SOURCE:LINE" into out. */
void cli_where(char *out, size_t n, const char *source, int64_t offset, int64_t line);
/* A whole decimal number in [min, max]; 0 or -1. */
int cli_parse_count(const char *s, long long min, long long max, long long *out);

/* ---- tables for people (cli/table.c) ---- */
typedef struct cli_table cli_table;
/* Caller owns; free with cli_table_free().  Headers are copied. */
cli_table *cli_table_new(int ncols, const char *const *headers);
void cli_table_flex(cli_table *t, int col);  /* this column shrinks first */
void cli_table_right(cli_table *t, int col); /* right-aligned (numbers) */
/* A row of ncols cells (copied) and an optional detail line under it. */
void cli_table_add(cli_table *t, const char *const *cells, const char *detail);
/* Print aligned; width > 0 cuts lines to that many columns. */
void cli_table_print(cli_table *t, FILE *f, int width);
void cli_table_free(cli_table *t);
/* Display width of UTF-8 text (escape sequences take none). */
int cli_text_width(const char *s);
/* Print s cut to width columns (0: all), padded to pad columns. */
void cli_print_cut(FILE *f, const char *s, int width, int pad);

/* ---- analysis commands (cli/analysis_util.c) ---- */
/* "actors", "quotes" and "events" lines for show. */
void cli_analysis_summary(nd_buf *out, const nd_analysis *a);
/* The name of a CAMEO event code ("Consult, not specified below"), or "". */
const char *cli_event_name(const char *code);
/* "2025-05-08" of a stored date, or "-" when none. */
const char *cli_day(const char *date, char out[16]);
/* A document as a table cell: its external id or number, its title and
 * its site (when known). */
void cli_doc_cell(char *out, size_t n, const char *ext_id, int64_t id, const char *title,
                  const char *site);
/* An actor as a JSON object: name, code, kind, country, role, documents,
 * mentions. */
void cli_actor_json(nd_json *j, const nd_store_actor *a);
/* Quad class names: "verbal cooperation", ... ("" for others). */
const char *cli_quad_name(int quad);
/* Open the store read-only for a query command and say so when some
 * documents were never analysed (newsdesk reanalyze).  NULL on failure
 * (printed). */
nd_store *cli_open_analysis_store(const char *db);

#endif
