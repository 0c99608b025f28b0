/* cmd_actors.c - `newsdesk actors`: the actors the store mentions most. */
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

int cmd_actors(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_LIMIT, CLI_OPT_JSON, CLI_OPT_DB, CLI_OPT_HELP,
                                   CLI_OPT_END};
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    int id;
    cli_args a;
    cli_args_init(&a, "actors", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) continue;
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    q.limit = (int) a.limit;
    nd_store *s = cli_open_analysis(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_actor_list *r = NULL;
    nd_error err = {0};
    int rc = nd_query_actors(s, &q, &r, &err);
    nd_store_close(s);
    if (rc) return cli_query_error("actors", rc, &err);
    if (a.json) {
        nd_buf out = ND_BUF_INIT;
        CLI_JSON_LINES(&out, r->items, r->n, nd_render_json_actor);
        cli_flush(&out, 1);
        nd_buf_free(&out);
    } else {
        static const char *const headers[] = {"ACTOR", "CODE", "KIND", "ROLE", "DOCS", "MENTIONS"};
        cli_table *t = cli_table_new(6, headers, "<<<~>>");
        for (size_t i = 0; i < r->n; i++) {
            const nd_actor_row *x = &r->items[i];
            char docs[32], mentions[32];
            snprintf(docs, sizeof docs, "%llu", (unsigned long long) x->documents);
            snprintf(mentions, sizeof mentions, "%llu", (unsigned long long) x->mentions);
            const char *cells[] = {x->name,
                                   *x->code ? x->code : "-",
                                   x->kind ? x->kind : "-",
                                   x->role ? x->role : "",
                                   docs,
                                   mentions};
            cli_table_add(t, cells, NULL);
        }
        cli_table_print(t, stdout, cli_term_width());
        cli_table_free(t);
    }
    nd_result_free(r);
    return ND_EXIT_OK;
}
