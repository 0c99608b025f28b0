/* store_util.c - what the store commands share: finding and opening the
 * database, dates and counts on the command line, query errors, JSON
 * lines. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_db_path(const char *opt)
{
    if (opt && *opt) return opt;
    const char *env = getenv("NEWSDESK_DB");
    if (env && *env) return env;
    return ND_STORE_DEFAULT_PATH;
}

void cli_note_migration(const char *path, int from, int to)
{
    fprintf(stderr,
            "newsdesk: %s: upgrading the store from schema %d to %d (once; about a minute for a"
            " million documents)\n",
            path, from, to);
}

/* A command's reader reads through its page cache (pread), not a memory
 * map: a query reads a few thousand scattered pages, and each first touch
 * of a mapped page is a fault that the kernel serves with its read-ahead
 * around it (8 MB on the machine of issue 13: /sys/block/vda/queue/
 * read_ahead_kb), so a cold store was read in megabytes for every page.
 * The 1,000,000-document store of bench-scale, dropped from the page cache
 * before each query: `actor USA` 1,275 -> 198 ms, `relations USA CHN`
 * 1,215 -> 172, `quotes --by USA` 811 -> 52, `stats` 203 -> 22; warm the
 * same (41-61 ms against 49-64). */
nd_store *cli_open_read(const char *path)
{
    nd_store *s = NULL;
    nd_error err = {0};
    int rc = nd_store_open(path, ND_STORE_READONLY | ND_STORE_NOMAP, &s, &err);
    if (rc) {
        cli_error(NULL, "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return NULL;
    }
    return s;
}

nd_store *cli_open_analysis(const char *path)
{
    nd_store *s = cli_open_read(path);
    if (!s) return NULL;
    uint64_t docs = 0, done = 0;
    if (nd_store_analysis_count(s, &docs, &done, NULL) == 0 && done < docs)
        cli_error(NULL,
                  "%llu of %llu documents have not been analysed (stored before analysis"
                  " existed, or ingested with --no-analysis): newsdesk reanalyze does it",
                  (unsigned long long) (docs - done), (unsigned long long) docs);
    return s;
}

nd_store *cli_open_rewrite(const char *cmd, const char *usage, int argc, char **argv,
                           int *exit_code)
{
    static const cli_opt opts[] = {CLI_OPT_DB, CLI_OPT_HELP, CLI_OPT_END};
    int id;
    cli_args a;
    cli_args_init(&a, cmd, usage, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) continue;
    if (id < 0 || cli_args_count(&a, 0, 0, "")) {
        *exit_code = cli_args_exit(&a);
        return NULL;
    }
    cli_args_free(&a);
    nd_store *s = NULL;
    nd_error err = {0};
    if (nd_store_open(cli_db_path(a.db), ND_STORE_FAST, &s, &err)) {
        cli_error(NULL, "%s", err.msg);
        *exit_code = ND_EXIT_SOME_FAILED;
        return NULL;
    }
    return s;
}

int cli_parse_count(const char *s, long long min, long long max, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v < min || v > max) return -1;
    *out = v;
    return 0;
}

int cli_parse_date(const char *s, char out[32])
{
    long long ts;
    if (cli_parse_time(s, &ts) != 0) return -1;
    /* A whole day stays a day, which the store compares as one. */
    nd_time_format(ts, ts % 86400 == 0, out);
    return 0;
}

int cli_query_error(const char *cmd, int rc, const nd_error *err)
{
    cli_error(cmd, "%s", err && err->msg[0] ? err->msg : nd_strerror(rc));
    return rc == ND_EPARSE || rc == ND_EINVAL ? ND_EXIT_USAGE : ND_EXIT_SOME_FAILED;
}

int cli_flush(nd_buf *out, int force)
{
    if (nd_buf_failed(out)) return -1;
    if (out->len && (force || out->len > (1u << 20))) {
        if (cli_write(out->ptr, out->len)) return -1;
        nd_buf_clear(out);
    }
    return 0;
}

int cli_page_size(const cli_pager *p)
{
    long long want = p->limit ? p->limit - p->shown : 1000;
    return (int) (want > 1000 ? 1000 : want);
}

void cli_pager_took(cli_pager *p, void *page, size_t n)
{
    nd_result_free(p->page);
    p->page = page;
    p->shown += (long long) n;
}

int cli_pager_more(const cli_pager *p, const char *cursor)
{
    return cursor && (!p->limit || p->shown < p->limit);
}

void cli_pager_end(cli_pager *p)
{
    nd_result_free(p->page);
    p->page = NULL;
}

int cli_base_url_ok(const char *s)
{
    size_t skip = !strncmp(s, "https://", 8) ? 8 : !strncmp(s, "http://", 7) ? 7 : 0;
    size_t n = strlen(s);
    if (!skip || n > 200 || n == skip || s[skip] == '/') return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char) s[i]) && !strchr("-._~:/?#@!$&*+,;=%", s[i])) return 0;
    return 1;
}
