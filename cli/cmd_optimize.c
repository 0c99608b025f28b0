/* cmd_optimize.c - `newsdesk optimize`: the store's full-text indexes
 * rewritten whole. */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk optimize [OPTIONS]\n"
    "\n"
    "Rewrite the store's full-text indexes (documents, quotations, actors'\n"
    "names) whole, one segment each.  Each run's commit adds a segment to\n"
    "each index, merged a few at a time: after a bulk load a dozen or more,\n"
    "and every search and every ingest's keyword counts pay a set-up in\n"
    "each.  The answers do not change, only their cost.  It writes about the\n"
    "indexes' size (5 s at 100,000 documents, about two minutes at\n"
    "1,000,000); ingest does it itself after a large run once the store has\n"
    "doubled since the last rewrite (ingest --no-optimize skips it).  One\n"
    "transaction: an interrupted optimize leaves the store as it was.  Run it\n"
    "when no ingest is running (it holds the write lock until it is done).\n"
    "\n"
    "      --db PATH  the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help     this text\n"
    "\n"
    "Exit status: 0 done, 1 store error, 2 usage error.\n";

int cmd_optimize(int argc, char **argv)
{
    int code = ND_EXIT_OK;
    nd_store *s = cli_open_rewrite("optimize", usage_text, argc, argv, &code);
    if (!s) return code;
    struct timespec t0 = cli_clock();
    nd_store_optimize_stats st;
    nd_error err = {0};
    int rc = nd_store_optimize(s, &st, &err);
    /* the close copies the rewritten pages into the file: part of the cost */
    nd_store_close(s);
    double secs = cli_seconds_since(t0);
    if (rc) {
        cli_error("optimize", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return ND_EXIT_SOME_FAILED;
    }
    char d[64];
    printf("full-text indexes rewritten in %.2f s (%s):", secs,
           cli_count(d, (uint64_t) st.documents, "document", "documents"));
    for (int i = 0; i < st.indexes; i++)
        printf("%s %s %d -> %d %s", i ? "," : "", st.names[i], st.before[i], st.after[i],
               st.before[i] == 1 && st.after[i] == 1 ? "segment" : "segments");
    printf("\n");
    return ND_EXIT_OK;
}
