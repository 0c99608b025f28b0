/* cmd_quotes.c - `newsdesk quotes`: who said what, from the store. */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk quotes [OPTIONS]\n"
    "\n"
    "Attributed quotations in the store, newest documents first: the date,\n"
    "the speaker, the type (direct, partial, indirect), the quotation and\n"
    "the document it is in.\n"
    "\n"
    "      --by NAME      said by NAME: an actor's name (\"Xi Jinping\", \"Putin\"),\n"
    "                     a CAMEO code or prefix (CHNGOV, RUS), or a country's\n"
    "                     name (its people and government: its code)\n"
    "      --about TERM   quotations whose words match TERM (full-text query:\n"
    "                     words, \"phrases\", AND/OR/NOT, prefix*)\n"
    "      --since DATE   documents dated DATE or later (ISO 8601)\n"
    "  -n, --limit N      at most N quotations (default 20; 0: all)\n"
    "      --all          also scare quotes and quotations with no speaker\n"
    "      --json         JSON Lines, one quotation a line\n"
    "      --db PATH      the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 listed (maybe none), 1 no such actor or a store error,\n"
    "2 usage error or a bad --about query.\n";

int cmd_quotes(int argc, char **argv)
{
    static const cli_opt opts[] = {{"by", 0, 1, 'b'}, {"about", 0, 1, 'a'}, {"since", 0, 1, 's'},
                                   CLI_OPT_LIMIT,     {"all", 0, 0, 'A'},   CLI_OPT_JSON,
                                   CLI_OPT_DB,        CLI_OPT_HELP,         CLI_OPT_END};
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    int id;
    cli_args a;
    cli_args_init(&a, "quotes", usage_text, opts, argc, argv);
    a.limit = 20;
    a.limit_min = 0;
    a.limit_max = 1000000000;
    while ((id = cli_next(&a)) > 0) {
        switch (id) {
        case 'b': q.actor = a.value; break;
        case 'a': q.text = a.value; break;
        case 's': q.since = a.value; break;
        case 'A': q.all = 1; break;
        }
    }
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    long long limit = a.limit; /* 0: all */
    int json = a.json;
    nd_store *s = cli_open_analysis(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    /* Pages of quotations until the limit (0: all of them). */
    nd_buf out = ND_BUF_INIT;
    cli_table *t = json ? NULL : cli_quote_table();
    cli_pager pg = {limit, 0, NULL};
    int rc = 0;
    nd_error err = {0};
    do {
        q.limit = cli_page_size(&pg);
        nd_quote_list *r = NULL;
        rc = nd_query_quotes(s, &q, &r, &err);
        cli_pager_took(&pg, r, r ? r->n : 0);
        if (rc) break;
        if (json)
            CLI_JSON_LINES(&out, r->items, r->n, nd_render_json_quote);
        else
            for (size_t i = 0; i < r->n; i++) cli_quote_row(t, &r->items[i]);
        if (json && cli_flush(&out, 0)) break;
        q.cursor = r->r.next;
    } while (cli_pager_more(&pg, q.cursor));
    long long shown = pg.shown;
    cli_pager_end(&pg);
    nd_store_close(s);
    if (rc) {
        cli_table_free(t);
        nd_buf_free(&out);
        return cli_query_error("quotes", rc, &err);
    }
    if (json) {
        cli_flush(&out, 1);
    } else if (shown) {
        cli_table_print(t, stdout, cli_term_width());
    } else {
        fprintf(stderr, "newsdesk: quotes: no quotations%s\n",
                q.actor || q.text || q.since ? " match" : " in the store");
    }
    cli_table_free(t);
    nd_buf_free(&out);
    return ND_EXIT_OK;
}
