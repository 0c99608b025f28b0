/* opts.c - command-line options, and usage errors that name the problem
 * in one line and point at --help:
 *
 *   newsdesk: extract: unknown option '--fromat' (did you mean --format?)
 *   Try 'newsdesk extract --help'.
 *
 * GNU style: long options with "--name value" or "--name=value" (an
 * unambiguous prefix will do), short ones bundled ("-qj2"), options and
 * arguments in any order, "--" ends the options, "-" is an argument. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void vusage(const char *cmd, const char *fmt, va_list ap) ND_PRINTF(2, 0);

static void vusage(const char *cmd, const char *fmt, va_list ap)
{
    cli_verror(cmd, fmt, ap);
    fprintf(stderr, "Try 'newsdesk%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vusage(cmd, fmt, ap);
    va_end(ap);
    return ND_EXIT_USAGE;
}

/* Edit distance with transpositions (optimal string alignment), for
 * "did you mean": at most 63 bytes a word. */
int cli_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63) return 64;
    int d[64][64];
    for (size_t i = 0; i <= n; i++) d[i][0] = (int) i;
    for (size_t k = 0; k <= m; k++) d[0][k] = (int) k;
    for (size_t i = 1; i <= n; i++)
        for (size_t k = 1; k <= m; k++) {
            int cost = a[i - 1] != b[k - 1];
            int v = d[i - 1][k] + 1;
            if (d[i][k - 1] + 1 < v) v = d[i][k - 1] + 1;
            if (d[i - 1][k - 1] + cost < v) v = d[i - 1][k - 1] + cost;
            if (i > 1 && k > 1 && a[i - 1] == b[k - 2] && a[i - 2] == b[k - 1] &&
                d[i - 2][k - 2] + 1 < v)
                v = d[i - 2][k - 2] + 1;
            d[i][k] = v;
        }
    return d[n][m];
}

const char *cli_closest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    int bd = 64;
    for (size_t i = 0; i < n; i++) {
        int dist = cli_distance(word, names[i]);
        if (dist < bd) {
            bd = dist;
            best = names[i];
        }
    }
    /* Close enough to be a slip: a third of the word, at most 2. */
    size_t len = strlen(word);
    int max = len >= 6 ? 2 : 1;
    return best && bd <= max ? best : NULL;
}

void cli_args_init(cli_args *a, const char *cmd, const char *usage, const cli_opt *opts, int argc,
                   char **argv)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->usage = usage;
    a->opts = opts;
    for (a->n_opts = 0; opts[a->n_opts].name; a->n_opts++) continue;
    a->argc = argc;
    a->argv = argv;
    a->i = 1;
    a->limit_min = 1;
    a->limit_max = ND_QUERY_MAX_LIMIT;
    a->pos = calloc((size_t) (argc > 0 ? argc : 1), sizeof *a->pos);
    a->pos_at = calloc((size_t) (argc > 0 ? argc : 1), sizeof *a->pos_at);
}

void cli_args_free(cli_args *a)
{
    free(a->pos);
    free(a->pos_at);
    a->pos = NULL;
    a->pos_at = NULL;
}

int cli_args_exit(cli_args *a)
{
    cli_args_free(a);
    return a->status;
}

int cli_args_fail(cli_args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vusage(a->cmd, fmt, ap);
    va_end(ap);
    a->status = ND_EXIT_USAGE;
    return cli_args_exit(a);
}

/* The shared options: 1 when handled (go on), -1 to end the command. */
static int shared(cli_args *a, int id)
{
    switch (id) {
    case CLI_DB: a->db = a->value; return 1;
    case CLI_JSON: a->json = 1; return 1;
    case CLI_LIMIT: {
        char *end;
        long long v = strtoll(a->value, &end, 10);
        if (end == a->value || *end || v < a->limit_min || v > a->limit_max) {
            cli_usage(a->cmd, "--limit: not a count: '%s'", a->value);
            a->status = ND_EXIT_USAGE;
            return -1;
        }
        a->limit = v;
        return 1;
    }
    case CLI_HELP:
        fputs(a->usage, stdout);
        a->status = ND_EXIT_OK;
        return -1;
    default: return 0;
    }
}

static int unknown_long(cli_args *a, const char *name, size_t len)
{
    char word[128];
    snprintf(word, sizeof word, "%.*s", (int) (len < 120 ? len : 120), name);
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; i < a->n_opts && n < 64; i++) names[n++] = a->opts[i].name;
    const char *m = cli_closest(word, names, n);
    if (m) return cli_usage(a->cmd, "unknown option '--%s' (did you mean --%s?)", word, m);
    return cli_usage(a->cmd, "unknown option '--%s'", word);
}

/* The option that long name (len bytes) means: exact, else the one it
 * is a prefix of. */
static const cli_opt *find_long(cli_args *a, const char *name, size_t len, int *ambiguous)
{
    const cli_opt *hit = NULL;
    int n = 0;
    *ambiguous = 0;
    for (size_t i = 0; i < a->n_opts; i++) {
        const char *o = a->opts[i].name;
        if (strlen(o) == len && !strncmp(o, name, len)) return &a->opts[i];
        if (strlen(o) > len && !strncmp(o, name, len)) {
            hit = &a->opts[i];
            n++;
        }
    }
    if (n > 1) *ambiguous = 1;
    return n == 1 ? hit : NULL;
}

static int next_opt(cli_args *a)
{
    for (;;) {
        a->value = NULL;
        /* Inside a bundle of short options ("-qj2"). */
        if (a->bundle && *a->bundle) {
            char c = *a->bundle++;
            const cli_opt *o = NULL;
            for (size_t i = 0; i < a->n_opts && !o; i++)
                if (a->opts[i].short_name == c) o = &a->opts[i];
            if (!o) {
                a->bundle = NULL;
                return -cli_usage(a->cmd, "unknown option '-%c'", c);
            }
            if (o->arg) {
                if (*a->bundle) {
                    a->value = a->bundle;
                } else if (a->i < a->argc) {
                    a->value = a->argv[a->i++];
                } else {
                    a->bundle = NULL;
                    return -cli_usage(a->cmd, "option '-%c' needs a value", c);
                }
                a->bundle = NULL;
            }
            return o->id;
        }
        a->bundle = NULL;
        if (a->i >= a->argc) return 0;
        char *s = a->argv[a->i++];
        if (a->no_more || s[0] != '-' || !s[1]) {
            a->pos_at[a->n_pos] = a->i - 1;
            a->pos[a->n_pos++] = s;
            continue;
        }
        if (!strcmp(s, "--")) {
            a->no_more = 1;
            continue;
        }
        if (s[1] != '-') {
            a->bundle = s + 1;
            continue;
        }
        const char *name = s + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t) (eq - name) : strlen(name);
        int ambiguous;
        const cli_opt *o = find_long(a, name, len, &ambiguous);
        if (!o && ambiguous)
            return -cli_usage(a->cmd, "option '--%.*s' is ambiguous", (int) len, name);
        if (!o) return -unknown_long(a, name, len);
        if (o->arg) {
            if (eq) {
                a->value = eq + 1;
            } else if (a->i < a->argc) {
                a->value = a->argv[a->i++];
            } else {
                return -cli_usage(a->cmd, "option '--%s' needs a value", o->name);
            }
        } else if (eq) {
            return -cli_usage(a->cmd, "option '--%s' takes no value", o->name);
        }
        return o->id;
    }
}

int cli_next(cli_args *a)
{
    for (;;) {
        int id = next_opt(a);
        if (id < 0) {
            a->status = ND_EXIT_USAGE;
            return -1;
        }
        int r = id ? shared(a, id) : 0;
        if (r < 0) return -1;
        if (!r) return id;
    }
}

/* A word of a name: letters (any script), '-', '.', '\''. */
static int wordish(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;
        if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
              c == '.' || c == '\''))
            return 0;
    }
    return 1;
}

static int all_upper(const char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z') return 0;
    return 1;
}

int cli_args_count(cli_args *a, int min, int max, const char *what)
{
    a->status = ND_EXIT_USAGE;
    if (a->n_pos < min) {
        cli_usage(a->cmd, "missing %s", what);
        return -1;
    }
    if (max >= 0 && a->n_pos > max) {
        int k = a->pos_at[max];
        const char *x = a->argv[k];
        /* "quotes --by Olena Brandt": the rest of a name given unquoted. */
        const char *prev = k > 1 ? a->argv[k - 1] : "";
        if (wordish(x) && wordish(prev) && x[0] >= 'A' && x[0] <= 'Z' && !all_upper(prev))
            cli_usage(a->cmd, "unexpected argument '%s' (quote a name with spaces)", x);
        else
            cli_usage(a->cmd, "unexpected argument '%s'", x);
        return -1;
    }
    a->status = ND_EXIT_OK;
    return 0;
}
