/* cmd_reanalyze.c - `newsdesk reanalyze`: analyse stored documents. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk reanalyze [OPTIONS]\n"
    "\n"
    "Find the actors, attributed quotations and CAMEO events of the stored\n"
    "documents that have none yet: those stored before the store had them\n"
    "(schema 4), or ingested with --no-analysis.  Ingest analyses new\n"
    "documents itself.  With --all, every document is analysed again (after\n"
    "newsdesk is upgraded: better rules, newer dictionaries).\n"
    "\n"
    "      --all       every document, replacing what is stored\n"
    "  -j, --jobs N    analysis threads (default: the number of cores)\n"
    "      --db PATH   the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -q, --quiet     no progress line, even on a terminal\n"
    "  -h, --help      this text\n"
    "\n"
    "Safe to interrupt: what was analysed is kept, the rest is done next time.\n";

static volatile sig_atomic_t stop_flag;

static void on_sigint(int sig)
{
    (void) sig;
    stop_flag = 1;
    signal(SIGINT, SIG_DFL);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void) ctx;
    fprintf(stderr, "\r\033[Kreanalyze: %llu of %llu documents", (unsigned long long) done,
            (unsigned long long) total);
    fflush(stderr);
}

int cmd_reanalyze(int argc, char **argv)
{
    static const cli_opt opts[] = {{"all", 0, 0, 'A'},     {"jobs", 'j', 1, 'j'}, CLI_OPT_DB,
                                   {"quiet", 'q', 0, 'q'}, CLI_OPT_HELP,          CLI_OPT_END};
    nd_reanalyze_opts o;
    nd_reanalyze_opts_init(&o);
    int quiet = 0, id;
    long long v;
    cli_args a;
    cli_args_init(&a, "reanalyze", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) {
        switch (id) {
        case 'A': o.all = 1; break;
        case 'j':
            if (cli_parse_count(a.value, 1, 64, &v))
                return cli_args_fail(&a, "-j: not a number of threads (1-64): '%s'", a.value);
            o.threads = (int) v;
            break;
        case 'q': quiet = 1; break;
        }
    }
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    int tty = !quiet && isatty(2);
    if (tty) o.on_progress = on_progress;
    o.stop = &stop_flag;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    uint64_t done = 0;
    nd_error err = {0};
    int rc = nd_reanalyze(cli_db_path(a.db), &o, &done, &err);
    signal(SIGINT, SIG_DFL);
    if (tty) fputs("\r\033[K", stderr);
    if (rc) {
        cli_error("reanalyze", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return ND_EXIT_SOME_FAILED;
    }
    char n[64];
    printf("%s analysed%s\n", cli_count(n, done, "document", "documents"),
           stop_flag ? " (interrupted)" : "");
    return stop_flag ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
