/* cmd_recluster.c - `newsdesk recluster`: rebuild every story from
 * scratch. */
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk recluster [OPTIONS]\n"
    "\n"
    "Rebuild every story from scratch with a new clustering engine and the\n"
    "current parameters: all documents in a canonical order (published time,\n"
    "undated first, then id), duplicates found again, stories renumbered from\n"
    "1.  The same store always gives the same stories.  One transaction: an\n"
    "interrupted recluster leaves the old stories.  Run it when no ingest is\n"
    "running (it holds the write lock until it is done).\n"
    "\n"
    "      --db PATH  the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help     this text\n"
    "\n"
    "Exit status: 0 done, 1 store error, 2 usage error.\n";

int cmd_recluster(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_DB, CLI_OPT_HELP, CLI_OPT_END};
    int id;
    cli_args a;
    cli_args_init(&a, "recluster", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) continue;
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    nd_store *s = NULL;
    nd_error oerr = {0};
    if (nd_store_open(cli_db_path(a.db), ND_STORE_FAST, &s, &oerr)) {
        cli_error(NULL, "%s", oerr.msg);
        return ND_EXIT_SOME_FAILED;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    nd_store_cluster_stats st;
    nd_error err = {0};
    int rc = nd_store_recluster(s, NULL, &st, &err);
    nd_store_close(s);
    if (rc) {
        cli_error("recluster", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return ND_EXIT_SOME_FAILED;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
    char d[64], sto[64], dup[64], mv[64], mg[64], f[32];
    printf("%s in %.2f s: %s, %s, %s, %s", cli_count(d, st.docs, "document", "documents"), secs,
           cli_count(sto, st.stories, "story", "stories"),
           cli_count(dup, st.dups, "duplicate", "duplicates"),
           cli_count(mv, st.moves, "move", "moves"), cli_count(mg, st.merges, "merge", "merges"));
    if (st.failed) printf(", %s not clustered (out of memory)", cli_num(f, st.failed));
    printf("\n");
    return st.failed ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
