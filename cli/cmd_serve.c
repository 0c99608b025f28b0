/* cmd_serve.c - `newsdesk serve`: the store's pages and JSON API over HTTP
 * (web/), read-only, until interrupted. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "web.h"

static const char usage_text[] =
    "usage: newsdesk serve [OPTIONS]\n"
    "\n"
    "Serve the store as web pages and a JSON API until interrupted (Ctrl-C):\n"
    "the day's stories, a story, an article, an actor, the relations of two\n"
    "actors, search and the briefing, each at a stable address, and the same\n"
    "data under /api/v1/ (docs/api.md).  The store is opened read-only: an\n"
    "ingest may run beside it.  Prints the address once it listens, and a\n"
    "second line once it has made its search table and read the store's\n"
    "indexes into memory, which it does after (a minute for a million\n"
    "documents on a cold disk; until then pages are slower, not different).\n"
    "\n"
    "      --listen HOST:PORT  the address (default 127.0.0.1:8080; port 0:\n"
    "                          any free port)\n"
    "      --base-url URL      the site's address in the briefing for e-mail\n"
    "                          (/digest?format=md|html; default the listening one)\n"
    "      --threads N         worker threads, each with its own store\n"
    "                          connection (default 4)\n"
    "      --db PATH           the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help              this text\n"
    "\n"
    "Exit status: 0 after an interrupt, 1 the store or the address cannot be\n"
    "used, 2 usage error.\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void) sig;
    stop = 1;
}

static void ready(void *ctx, const char *url)
{
    (void) ctx;
    printf("newsdesk serve: %s\n", url);
    fflush(stdout);
}

/* When the server has its search table and the store's indexes in the
 * page cache: from then on, it answers at full speed. */
static void prepared(void *ctx, double table_s, double warm_s)
{
    (void) ctx;
    char t[48] = "no search table", w[48] = "indexes not read";
    if (table_s >= 0) snprintf(t, sizeof t, "search table after %.1f s", table_s);
    if (warm_s >= 0) snprintf(w, sizeof w, "indexes read after %.1f s", warm_s);
    printf("newsdesk serve ready: %s, %s\n", t, w);
    fflush(stdout);
}

int cmd_serve(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_DB,
                                   {"listen", 0, 1, 'L'},
                                   {"threads", 0, 1, 'T'},
                                   {"base-url", 0, 1, 'B'},
                                   CLI_OPT_HELP,
                                   CLI_OPT_END};
    nd_web_opts o;
    memset(&o, 0, sizeof o);
    char host[64] = "127.0.0.1";
    long long port = 8080, threads = 4;
    int id;
    cli_args a;
    cli_args_init(&a, "serve", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) {
        if (id == 'B') {
            if (!cli_base_url_ok(a.value))
                return cli_args_fail(&a, "--base-url: not an http(s) address: '%s'", a.value);
            o.base_url = a.value;
            continue;
        }
        if (id == 'T') {
            if (cli_parse_count(a.value, 1, 64, &threads))
                return cli_args_fail(&a, "--threads: not a count from 1 to 64: '%s'", a.value);
            continue;
        }
        const char *colon = strrchr(a.value, ':');
        size_t hn = colon ? (size_t) (colon - a.value) : 0;
        if (!colon || !hn || hn >= sizeof host || cli_parse_count(colon + 1, 0, 65535, &port))
            return cli_args_fail(&a, "--listen: not HOST:PORT (127.0.0.1:8080): '%s'", a.value);
        memcpy(host, a.value, hn);
        host[hn] = 0;
    }
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    /* Opened once the way every reading command opens it: an older store
     * is brought up to date (or the reason printed) before serving. */
    const char *db = cli_db_path(a.db);
    nd_store *s = cli_open_read(db);
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_store_close(s);
    o.db = db;
    o.host = host;
    o.port = (unsigned) port;
    o.threads = (int) threads;
    o.stop = &stop;
    o.on_ready = ready;
    o.on_prepared = prepared;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    nd_error err = {0};
    if (nd_web_serve(&o, &err)) {
        cli_error("serve", "%s", err.msg[0] ? err.msg : "cannot serve");
        return ND_EXIT_SOME_FAILED;
    }
    return ND_EXIT_OK;
}
