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
    X(extract, "read pages (HTML or flattened text) and print the articles")

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

/* Write all of buf to stdout; returns 0 or -1 (e.g. EPIPE). */
int cli_write(const char *p, size_t n);

/* Parse a time given on the command line (ISO 8601 date or date-time, or
 * epoch seconds with a leading '@').  Returns 0 or -1. */
int cli_parse_time(const char *s, long long *ts);

/* Terminal width of stdout, or 0 when it is not a terminal. */
int cli_term_width(void);

#endif
