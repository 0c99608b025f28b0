/*
 * cli.h - shared helpers of the newsdesk command-line tool.  The CLI uses
 * only the public API in include/newsdesk: it asks the query layer
 * (newsdesk/query.h) and renders the answers as terminal tables (here) or
 * JSON (newsdesk/render.h).  No SQL lives in cli/.
 */
#ifndef ND_CLI_H
#define ND_CLI_H

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

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
    X(optimize, "rewrite the full-text indexes whole (after a bulk load)")                         \
    X(analyze, "actors, attributed quotations and CAMEO events of texts")                          \
    X(reanalyze, "analyse stored documents (those never analysed, or all)")                        \
    X(quotes, "attributed quotations in the store: who said what")                                 \
    X(actors, "the actors the store mentions most")                                                \
    X(actor, "one actor: mentions by period, quotations, who is with it")                          \
    X(relations, "events between two actors over time (CAMEO, Goldstein)")                         \
    X(events, "coded events as a table, JSON lines or GDELT 2.0 columns")                          \
    X(parse, "part-of-speech tags and dependency trees of texts (CoNLL-U)")                        \
    X(digest, "the day's briefing: top stories, summaries, quotes, events")                        \
    X(serve, "the store as web pages and a JSON API (read-only)")

#define ND__CMDDECL(name, summary) int cmd_##name(int argc, char **argv);
ND_COMMANDS(ND__CMDDECL)
#undef ND__CMDDECL

/* Exit statuses. */
enum { ND_EXIT_OK = 0, ND_EXIT_SOME_FAILED = 1, ND_EXIT_USAGE = 2 };

/* "newsdesk: WHAT: message" on stderr, one line, made safe for a terminal
 * (cli_term_append). */
void cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_verror(const char *what, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

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

/* The options the store commands share, handled by cli_next() itself
 * when a command's table lists them: --db PATH (a.db), --json (a.json),
 * -n/--limit N (a.limit, a count in [a.limit_min, a.limit_max]),
 * -h/--help (prints the command's usage text on stdout). */
enum { CLI_DB = 1000, CLI_JSON, CLI_LIMIT, CLI_HELP };
#define CLI_OPT_DB                                                                                 \
    {                                                                                              \
        "db", 0, 1, CLI_DB                                                                         \
    }
#define CLI_OPT_JSON                                                                               \
    {                                                                                              \
        "json", 0, 0, CLI_JSON                                                                     \
    }
#define CLI_OPT_LIMIT                                                                              \
    {                                                                                              \
        "limit", 'n', 1, CLI_LIMIT                                                                 \
    }
#define CLI_OPT_HELP                                                                               \
    {                                                                                              \
        "help", 'h', 0, CLI_HELP                                                                   \
    }
#define CLI_OPT_END                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

typedef struct cli_args {
    const char *cmd, *usage;
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
    const char *db;                        /* --db, or NULL */
    int json;                              /* --json */
    long long limit, limit_min, limit_max; /* --limit (a.limit stays as set when absent) */
    int status; /* the exit status once cli_next() or a check failed (0 after --help) */
} cli_args;

/* argv[0] is the command's name; usage its --help text.  limit_min and
 * limit_max start at 1 and ND_QUERY_MAX_LIMIT. */
void cli_args_init(cli_args *a, const char *cmd, const char *usage, const cli_opt *opts, int argc,
                   char **argv);
/* The next option of the command's own (its value in a->value), 0 when
 * none is left (the arguments are in a->pos), or -1 when the command
 * should end now with cli_args_exit(): --help was printed, or a usage
 * error (unknown option with the closest as a suggestion, a missing
 * value, a bad --limit). */
int cli_next(cli_args *a);
/* Check there are min..max (max -1: any) arguments; else print a usage
 * error ("missing WHAT", "unexpected argument 'X'") and return -1. */
int cli_args_count(cli_args *a, int min, int max, const char *what);
/* A usage error about an option's value: printed; frees a; returns 2. */
int cli_args_fail(cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Free a and return its exit status (after cli_next() or
 * cli_args_count() returned -1). */
int cli_args_exit(cli_args *a);
void cli_args_free(cli_args *a);
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
/* The monotonic clock now, and the seconds since such a reading: a
 * command's own wall time. */
struct timespec cli_clock(void);
double cli_seconds_since(struct timespec t0);

/* ---- store commands (cli/store_util.c) ---- */
/* The database: --db PATH, else $NEWSDESK_DB, else ./newsdesk.db. */
const char *cli_db_path(const char *opt);
/* Says on stderr that a store of an older schema is being migrated (the
 * store's nd_store_on_migrate hook, set by main): it can take a minute. */
void cli_note_migration(const char *path, int from, int to);
/* Open the store for a command that only reads (read-only, so a store on
 * read-only media works; an older store is migrated first when it can
 * be); prints the error and returns NULL on failure.  Caller closes with
 * nd_store_close(). */
nd_store *cli_open_read(const char *path);
/* The same, saying when some documents were never analysed (newsdesk
 * reanalyze), for the analysis commands. */
nd_store *cli_open_analysis(const char *path);
/* For a command that rewrites the whole store and takes no option but
 * --db (recluster, optimize): its arguments read and the store opened for
 * writing in bulk (ND_STORE_FAST).  NULL with *exit_code set when the
 * arguments or the store are wrong (said on stderr) or --help was asked. */
nd_store *cli_open_rewrite(const char *cmd, const char *usage, int argc, char **argv,
                           int *exit_code);
/* A whole decimal number in [min, max]; 0 or -1. */
int cli_parse_count(const char *s, long long min, long long max, long long *out);
/* A --since / --until date as the store reads it ("2025-05-08" or a
 * time), in out (32 bytes); 0 or -1. */
int cli_parse_date(const char *s, char out[32]);
/* A --base-url: http:// or https://, a host, at most 200 bytes of URL
 * characters (no space, quote, bracket or parenthesis). */
int cli_base_url_ok(const char *s);
/* Print a query's error: "newsdesk: CMD: message"; returns the exit
 * status it means (2 for a bad query or option, else 1). */
int cli_query_error(const char *cmd, int rc, const nd_error *err);
/* Write out to stdout when it holds a MB or more (force: whatever it
 * holds), for JSON lines.  Returns 0, or -1 when stdout is closed or
 * memory ran out. */
int cli_flush(nd_buf *out, int force);
/* Reading a listing page by page up to a limit (0: all of it).  The page
 * a cursor points into is kept until the next page has been read. */
typedef struct cli_pager {
    long long limit, shown;
    void *page; /* the last page read (an nd_*_list) */
} cli_pager;
/* The size of the next page: what is left of the limit, at most 1000. */
int cli_page_size(const cli_pager *p);
/* The page just read (n rows; NULL after an error): the one before goes. */
void cli_pager_took(cli_pager *p, void *page, size_t n);
/* 1 when another page should be read: a cursor and the limit not met. */
int cli_pager_more(const cli_pager *p, const char *cursor);
void cli_pager_end(cli_pager *p);
/* Each of the n items as a JSON line into out; render is one of the
 * nd_render_json_* functions (newsdesk/render.h). */
#define CLI_JSON_LINES(out, items, n, render)                                                      \
    do {                                                                                           \
        for (size_t i_ = 0; i_ < (n); i_++) {                                                      \
            nd_json j_;                                                                            \
            nd_json_init(&j_, (out), 0);                                                           \
            render(&j_, &(items)[i_]);                                                             \
            nd_buf_putc((out), '\n');                                                              \
        }                                                                                          \
    } while (0)
/* One JSON value, indented, on stdout: render(j, args...). */
#define CLI_JSON_PRINT(render, ...)                                                                \
    do {                                                                                           \
        nd_buf o_ = ND_BUF_INIT;                                                                   \
        nd_json j_;                                                                                \
        nd_json_init(&j_, &o_, 1);                                                                 \
        render(&j_, __VA_ARGS__);                                                                  \
        nd_buf_putc(&o_, '\n');                                                                    \
        cli_flush(&o_, 1);                                                                         \
        nd_buf_free(&o_);                                                                          \
    } while (0)

/* ---- tables for people (cli/table.c) ---- */
typedef struct cli_table cli_table;
/* Caller owns; free with cli_table_free().  Headers are copied.  layout
 * has a character per column: '<' left-aligned, '>' right-aligned
 * (numbers), '~' left-aligned and the first to shrink on a narrow
 * terminal; NULL: all left. */
cli_table *cli_table_new(int ncols, const char *const *headers, const char *layout);
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
/* The value of --by: day, week, month or year; 0, or -1 after a usage
 * error (then return cli_args_exit(a)). */
int cli_check_period(cli_args *a);

#endif
