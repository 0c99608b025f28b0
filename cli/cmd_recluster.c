/* cmd_recluster.c - `newsdesk recluster`: rebuild every story from
 * scratch. */
#include <string.h>

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
    int code = ND_EXIT_OK;
    nd_store *s = cli_open_rewrite("recluster", usage_text, argc, argv, &code);
    if (!s) return code;
    struct timespec t0 = cli_clock();
    nd_store_cluster_stats st;
    nd_error err = {0};
    int rc = nd_store_recluster(s, NULL, &st, &err);
    nd_store_close(s);
    if (rc) {
        cli_error("recluster", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return ND_EXIT_SOME_FAILED;
    }
    double secs = cli_seconds_since(t0);
    char d[64], sto[64], dup[64], mv[64], mg[64], f[32];
    printf("%s in %.2f s: %s, %s, %s, %s", cli_count(d, st.docs, "document", "documents"), secs,
           cli_count(sto, st.stories, "story", "stories"),
           cli_count(dup, st.dups, "duplicate", "duplicates"),
           cli_count(mv, st.moves, "move", "moves"), cli_count(mg, st.merges, "merge", "merges"));
    if (st.failed) printf(", %s not clustered (out of memory)", cli_num(f, st.failed));
    printf("\n");
    return st.failed ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
