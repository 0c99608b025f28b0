/* cmd_recluster.c - `newsdesk recluster`: rebuild every story from
 * scratch. */
#include <getopt.h>
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
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'D'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'D': db = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    nd_store *s = cli_open_store(cli_db_path(db), ND_STORE_FAST);
    if (!s) return ND_EXIT_SOME_FAILED;
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
    printf("%llu documents in %.2f s: %llu stories, %llu duplicates, %llu moves, %llu merges",
           (unsigned long long) st.docs, secs, (unsigned long long) st.stories,
           (unsigned long long) st.dups, (unsigned long long) st.moves,
           (unsigned long long) st.merges);
    if (st.failed) printf(", %llu not clustered (out of memory)", (unsigned long long) st.failed);
    printf("\n");
    return st.failed ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
