/*
 * cli.h - shared helpers of the newsdesk command-line tool.  The CLI uses
 * only the public API in include/newsdesk: it asks the query layer
 * (newsdesk/query.h) and renders the answers as terminal tables (here) or
 * JSON (newsdesk/render.h).  No SQL lives in cli/.
 */
#ifndef ND_CLI_H
#define ND_CLI_H

#include <stdio.h>

#include "newsdesk/newsdesk.h"

/* The subcommands: X(name, one-line summary).  Each is implemented as
 * `int cmd_<name>(int argc, char **argv)` in cli/cmd_<name>.c and returns
 * the exit status (0 ok, 1 some inputs failed, 2 usage error). */
#define ND_COMMANDS(X)                                                                             \
    X(extract, "read pages (HTML or flattened text) and print the articles")                       \
    X(ingest, "read pages, WARC and JSON lines into the store")                                    \
    X(search, "full-text search of the store, ranked, with snippets")                              \
    X(show, "one stored document")                                                                 \
    X(stats, "what the store holds")                                                               \
    X(errors, "the inputs an ingest could not read")                                               \
    X(export, "every stored document as JSON lines")                                               \
    X(stories, "stories: articles grouped across outlets and days")                                \
    X(story, "one story: its articles by outlet and time")                                         \
    X(recluster, "rebuild every story from scratch")                                               \
    X(analyze, "actors, attributed quotations and CAMEO events of texts")                          \
    X(reanalyze, "analyse stored documents (those never analysed, or all)")                        \
    X(quotes, "attributed quotations in the store: who said what")                                 \
    X(actors, "the actors the store mentions most")                                                \
    X(actor, "one actor: mentions by period, quotations, who is with it")                          \
    X(relations, "events between two actors over time (CAMEO, Goldstein)")                         \
    X(events, "coded events as a table, JSON lines or GDELT 2.0 columns")

#define ND__CMDDECL(name, summary) int cmd_##name(int argc, char **argv);
ND_COMMANDS(ND__CMDDECL)
#undef ND__CMDDECL

/* Exit statuses. */
enum { ND_EXIT_OK = 0, ND_EXIT_SOME_FAILED = 1, ND_EXIT_USAGE = 2 };

/* "newsdesk: WHAT: message" on stderr, one line, made safe for a terminal
 * (cli_term_append). */
void cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- options and usage errors (cli/opts.c) ---- */
/* "newsdesk: CMD: message" and "Try 'newsdesk CMD --help'." on stderr;
 * returns ND_EXIT_USAGE.  cmd NULL: the tool itself. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One option: --name, -short_name (0: none), with a value or not; id (> 0)
 * is what cli_next() returns for it.  Tables end with a NULL name. */
typedef struct cli_opt {
    const char *name;
    char short_name;
    int arg;
    int id;
} cli_opt;

typedef struct cli_args {
    const char *cmd;
    const cli_opt *opts;
    size_t n_opts;
    int argc, i;
    char **argv;
    const char *bundle; /* the rest of a short option bundle */
    int no_more;        /* after "--" */
    const char *value;  /* the value of the option cli_next() returned */
    char **pos;         /* the arguments that are not options, in order */
    int *pos_at;        /* their index in argv */
    int n_pos;
} cli_args;

/* argv[0] is the command's name. */
void cli_args_init(cli_args *a, const char *cmd, const cli_opt *opts, int argc, char **argv);
void cli_args_free(cli_args *a);
/* The next option's id (its value in a->value), 0 when none is left (the
 * arguments are in a->pos), or -ND_EXIT_USAGE after a usage error was
 * printed (unknown option, with the closest as a suggestion; a missing
 * value). */
int cli_next(cli_args *a);
/* Check there are min..max (max -1: any) arguments; else print a usage
 * error ("missing WHAT", "unexpected argument 'X'") and return
 * ND_EXIT_USAGE. */
int cli_args_count(cli_args *a, int min, int max, const char *what);
/* Edit distance (with transpositions); the name closest to word when it
 * is close enough to be a slip, else NULL. */
int cli_distance(const char *a, const char *b);
const char *cli_closest(const char *word, const char *const *names, size_t n);

/* ---- text for people (cli/term.c) ---- */
/* Append s (n bytes) made safe for a terminal: C0 controls (but tab, and
 * newline when lines), DEL, C1 codes and bidi controls as \x1b / \u202e
 * escapes, invalid UTF-8 as U+FFFD. */
void cli_term_append(nd_buf *out, const char *s, size_t n, int lines);
/* Write text for a person to stdout, made safe; 0 or -1. */
int cli_write_term(const char *p, size_t n);
/* 1234567 -> "1,234,567" */
const char *cli_num(char out[32], uint64_t v);
/* "1 article", "2 articles", "1,234 articles". */
const char *cli_count(char out[64], uint64_t v, const char *one, const char *many);
/* "512 B", "4.2 kB", "17 MB". */
const char *cli_size(char out[32], uint64_t bytes);
/* count per second with at least two significant digits ("0.43"). */
const char *cli_rate(char out[32], double count, double seconds);

/* Read a whole file ("-" is stdin).  Returns 0 and a malloc'd buffer
 * (caller frees with free()), or -errno.  Reads at most max bytes + 1 so
 * that callers can tell an oversized input. */
int cli_read_file(const char *path, size_t max, char **data, size_t *len);
/* Why path cannot be read, as the library says it ("no such file"; a URL
 * given as a file says that newsdesk does not fetch pages). */
const char *cli_file_error(const char *path, int neg_errno);

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
/* Open the store for a command that only reads (read-only, so a store on
 * read-only media works; an older store is migrated first when it can
 * be); prints the error and returns NULL on failure.  Caller closes with
 * nd_store_close(). */
nd_store *cli_open_read(const char *path);
/* The same, saying when some documents were never analysed (newsdesk
 * reanalyze), for the analysis commands. */
nd_store *cli_open_analysis(const char *path);
/* A whole decimal number in [min, max]; 0 or -1. */
int cli_parse_count(const char *s, long long min, long long max, long long *out);
/* A --since / --until date as the store reads it ("2025-05-08" or a
 * time), in out (32 bytes); 0 or -1. */
int cli_parse_date(const char *s, char out[32]);
/* Print a query's error: "newsdesk: CMD: message"; returns the exit
 * status it means (2 for a bad query or option, else 1). */
int cli_query_error(const char *cmd, int rc, const nd_error *err);
/* Write out to stdout when it holds a MB or more (force: whatever it
 * holds), for JSON lines.  Returns 0, or -1 when stdout is closed or
 * memory ran out. */
int cli_flush(nd_buf *out, int force);

/* ---- tables for people (cli/table.c) ---- */
typedef struct cli_table cli_table;
/* Caller owns; free with cli_table_free().  Headers are copied. */
cli_table *cli_table_new(int ncols, const char *const *headers);
void cli_table_flex(cli_table *t, int col);  /* this column shrinks first */
void cli_table_right(cli_table *t, int col); /* right-aligned (numbers) */
/* A row of ncols cells and an optional detail line under it, copied and
 * made safe for a terminal (line breaks become spaces). */
void cli_table_add(cli_table *t, const char *const *cells, const char *detail);
/* The same with parts of the detail line marked: marks are byte ranges
 * of detail shown between open and close (terminal styles: not escaped). */
void cli_table_add_marked(cli_table *t, const char *const *cells, const char *detail,
                          const nd_span *marks, size_t n_marks, const char *open,
                          const char *close);
/* Print aligned; width > 0 cuts lines to that many columns. */
void cli_table_print(cli_table *t, FILE *f, int width);
void cli_table_free(cli_table *t);
size_t cli_table_rows(const cli_table *t);
/* Display width of UTF-8 text (escape sequences take none). */
int cli_text_width(const char *s);
/* Print s cut to width columns (0: all), padded to pad columns. */
void cli_print_cut(FILE *f, const char *s, int width, int pad);

/* ---- analysis commands (cli/analysis_util.c) ---- */
/* "actors", "quotes" and "events" lines for show. */
void cli_analysis_summary(nd_buf *out, const nd_analysis *a);
/* "SOURCE", "SOURCE@OFFSET" or "SOURCE:LINE" into out. */
void cli_where(char *out, size_t n, const char *source, int64_t offset, int64_t line);
/* "2025-05-08" of a stored date, or "-" when none. */
const char *cli_day(const char *date, char out[16]);
/* A document as a table cell: its external id or number, its title and
 * its site (when known). */
void cli_doc_cell(char *out, size_t n, const char *ext_id, int64_t id, const char *title,
                  const char *site);
/* A quotation as a table row (DATE, SPEAKER, TYPE, QUOTE, DOCUMENT). */
void cli_quote_row(cli_table *t, const nd_quote_row *q);
cli_table *cli_quote_table(void);
/* A period's --by value: day, week, month or year; 0, or a usage error. */
int cli_check_period(const char *cmd, const char *by);

#endif
