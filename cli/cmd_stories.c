/* cmd_stories.c - `newsdesk stories`: the stories of the store, most
 * recently seen first. */
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk stories [OPTIONS]\n"
    "\n"
    "The stories the store holds: articles about one event grouped across\n"
    "outlets and days as they were ingested.  Most recently seen first: story\n"
    "id, first and last seen (published, else fetched), the number of\n"
    "articles (duplicates included) and of outlets, and the headline (the\n"
    "most representative title).  `newsdesk story ID` shows one.\n"
    "\n"
    "      --db PATH     the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -n, --limit N     at most N stories (default 20)\n"
    "      --since DATE  last seen on or after DATE\n"
    "      --json        JSON lines: id, headline, articles, duplicates,\n"
    "                    outlets, first_seen, last_seen, doc_id (the headline's)\n"
    "  -h, --help        this text\n"
    "\n"
    "Exit status: 0 (also with no story), 1 store error, 2 usage error.\n";

int cmd_stories(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_DB,   CLI_OPT_LIMIT, {"since", 0, 1, 'S'},
                                   CLI_OPT_JSON, CLI_OPT_HELP,  CLI_OPT_END};
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    int id;
    char since[32];
    cli_args a;
    cli_args_init(&a, "stories", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) {
        if (id != 'S') continue;
        if (cli_parse_date(a.value, since))
            return cli_args_fail(&a, "--since: cannot read the date '%s'", a.value);
        q.since = since;
    }
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    q.limit = (int) a.limit;
    nd_store *s = cli_open_read(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_story_list *r = NULL;
    nd_error err = {0};
    int rc = nd_query_stories(s, &q, &r, &err);
    nd_store_close(s);
    if (rc) return cli_query_error("stories", rc, &err);
    if (a.json) {
        nd_buf out = ND_BUF_INIT;
        CLI_JSON_LINES(&out, r->items, r->n, nd_render_json_story);
        cli_flush(&out, 1);
        nd_buf_free(&out);
    } else if (r->n) {
        static const char *const headers[] = {"STORY",    "FIRST SEEN", "LAST SEEN",
                                              "ARTICLES", "OUTLETS",    "HEADLINE"};
        cli_table *t = cli_table_new(6, headers, "><<>>~");
        for (size_t i = 0; i < r->n; i++) {
            const nd_story_row *st = &r->items[i];
            char num[32], first[16], last[16], docs[32], sites[32];
            snprintf(num, sizeof num, "%lld", (long long) st->id);
            snprintf(first, sizeof first, "%.10s", st->first_seen ? st->first_seen : "");
            snprintf(last, sizeof last, "%.10s", st->last_seen ? st->last_seen : "");
            snprintf(docs, sizeof docs, "%llu", (unsigned long long) st->n_docs);
            snprintf(sites, sizeof sites, "%llu", (unsigned long long) st->n_sites);
            const char *cells[] = {num,  first, last,
                                   docs, sites, st->headline ? st->headline : "(untitled)"};
            cli_table_add(t, cells, NULL);
        }
        cli_table_print(t, stdout, cli_term_width());
        cli_table_free(t);
    } else if (isatty(2)) {
        fprintf(stderr, "no stories (newsdesk ingest makes them)\n");
    }
    nd_result_free(r);
    return ND_EXIT_OK;
}
