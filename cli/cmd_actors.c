/* cmd_actors.c - `newsdesk actors`: the actors the store mentions most. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk actors [OPTIONS]\n"
    "\n"
    "The actors mentioned in the most documents (then the most often): name,\n"
    "CAMEO code, kind, role, documents and mentions.  Counts include every\n"
    "stored version of a page.\n"
    "\n"
    "  -n, --limit N   at most N actors (default 20)\n"
    "      --json      JSON Lines, one actor a line\n"
    "      --db PATH   the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help      this text\n";

typedef struct ctx {
    int json;
    nd_buf out;
    cli_table *t;
} ctx;

static int on_actor(void *p, const nd_store_actor *a)
{
    ctx *c = p;
    if (c->json) {
        nd_json j;
        nd_json_init(&j, &c->out, 0);
        cli_actor_json(&j, a);
        nd_buf_putc(&c->out, '\n');
        return nd_buf_failed(&c->out) ? ND_ENOMEM : 0;
    }
    char docs[32], mentions[32];
    snprintf(docs, sizeof docs, "%llu", (unsigned long long) a->documents);
    snprintf(mentions, sizeof mentions, "%llu", (unsigned long long) a->mentions);
    const char *cells[] = {
        a->name, *a->code ? a->code : "-", a->kind ? a->kind : "-", a->role ? a->role : "", docs,
        mentions};
    cli_table_add(c->t, cells, NULL);
    return 0;
}

int cmd_actors(int argc, char **argv)
{
    static const struct option longopts[] = {{"limit", required_argument, NULL, 'n'},
                                             {"json", no_argument, NULL, 'J'},
                                             {"db", required_argument, NULL, 'D'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int limit = 20, ch;
    long long v;
    ctx c;
    memset(&c, 0, sizeof c);
    optind = 1;
    while ((ch = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'n':
            if (cli_parse_count(optarg, 1, 1000000000, &v))
                return cli_usage_error("actors: --limit: not a count: '%s'", optarg);
            limit = (int) v;
            break;
        case 'J': c.json = 1; break;
        case 'D': db = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    nd_store *s = cli_open_analysis_store(db);
    if (!s) return ND_EXIT_SOME_FAILED;
    static const char *const headers[] = {"ACTOR", "CODE", "KIND", "ROLE", "DOCS", "MENTIONS"};
    if (!c.json) {
        c.t = cli_table_new(6, headers);
        cli_table_flex(c.t, 3);
        cli_table_right(c.t, 4);
        cli_table_right(c.t, 5);
    }
    nd_error err = {0};
    int rc = nd_store_actors(s, limit, on_actor, &c, &err);
    nd_store_close(s);
    if (rc) {
        cli_error("actors", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
    } else if (c.json) {
        cli_write(c.out.ptr, c.out.len);
    } else {
        cli_table_print(c.t, stdout, cli_term_width());
    }
    cli_table_free(c.t);
    nd_buf_free(&c.out);
    return rc ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
