/* cmd_actor.c - `newsdesk actor NAME`: one actor's page: who it is, its
 * mentions over time, its quotations and the actors mentioned with it. */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk actor [OPTIONS] NAME\n"
    "\n"
    "One actor: the actors NAME means (a name, \"Putin\" for Vladimir Putin,\n"
    "or a CAMEO code or prefix such as CHNGOV), their documents and mentions\n"
    "per period, their latest quotations and the actors most often mentioned\n"
    "in the same documents (in its latest 2,000 documents when it has more).\n"
    "\n"
    "      --by PERIOD  day, week, month (default) or year\n"
    "  -n, --limit N    quotations and co-occurring actors shown (default 10)\n"
    "      --json       one JSON object: actors, timeline, quotes, peers\n"
    "      --db PATH    the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help       this text\n"
    "\n"
    "Exit status: 0 shown, 1 no such actor or a store error, 2 usage error.\n";

static void print_section(cli_table *t, const char *heading, int width)
{
    printf("\n%s\n", heading);
    cli_table_print(t, stdout, width);
    cli_table_free(t);
}

static void render(const nd_actor_page *p)
{
    int width = cli_term_width();
    static const char *const h1[] = {"ACTOR", "CODE",     "KIND",   "ROLE", "COUNTRY",
                                     "DOCS",  "MENTIONS", "QUOTES", "DATES"};
    cli_table *t = cli_table_new(9, h1, "<<<<<>>><");
    for (size_t i = 0; i < p->n_actors; i++) {
        const nd_actor_row *a = &p->actors[i];
        char docs[32], mentions[32], quotes[32], first[16], last[16], span[40];
        snprintf(docs, sizeof docs, "%llu", (unsigned long long) a->documents);
        snprintf(mentions, sizeof mentions, "%llu", (unsigned long long) a->mentions);
        snprintf(quotes, sizeof quotes, "%llu", (unsigned long long) a->quotes);
        snprintf(span, sizeof span, "%s .. %s", cli_day(a->first, first), cli_day(a->last, last));
        const char *cells[] = {a->name,
                               *a->code ? a->code : "-",
                               a->kind ? a->kind : "-",
                               a->role ? a->role : "",
                               a->country ? a->country : "",
                               docs,
                               mentions,
                               quotes,
                               span};
        cli_table_add(t, cells, NULL);
    }
    cli_table_print(t, stdout, width);
    cli_table_free(t);
    char ev[64], rep[64];
    if (p->events_over)
        printf("\nEvents: over %s reports (narrow with newsdesk events or relations)\n",
               cli_num(ev, p->events_over));
    else if (p->events)
        printf("\nEvents: %s, %s\n", cli_count(ev, p->events, "event", "events"),
               cli_count(rep, p->event_reports, "report", "reports"));

    static const char *const h2[] = {"PERIOD", "DOCS", "MENTIONS"};
    t = cli_table_new(3, h2, "<>>");
    for (size_t i = 0; i < p->n_timeline; i++) {
        const nd_period *x = &p->timeline[i];
        char docs[32], mentions[32];
        snprintf(docs, sizeof docs, "%llu", (unsigned long long) x->documents);
        snprintf(mentions, sizeof mentions, "%llu", (unsigned long long) x->mentions);
        const char *cells[] = {x->period, docs, mentions};
        cli_table_add(t, cells, NULL);
    }
    char heading[96];
    snprintf(heading, sizeof heading, "Mentions by %s", p->period);
    print_section(t, heading, width);

    t = cli_quote_table();
    for (size_t i = 0; i < p->n_quotes; i++) cli_quote_row(t, &p->quotes[i]);
    print_section(t, "Latest quotations", width);

    static const char *const h4[] = {"ACTOR", "CODE", "KIND", "SHARED DOCS"};
    t = cli_table_new(4, h4, "<<<>");
    for (size_t i = 0; i < p->n_peers; i++) {
        const nd_actor_row *a = &p->peers[i];
        char docs[32];
        snprintf(docs, sizeof docs, "%llu", (unsigned long long) a->documents);
        const char *cells[] = {a->name, *a->code ? a->code : "-", a->kind ? a->kind : "-", docs};
        cli_table_add(t, cells, NULL);
    }
    char n[32];
    snprintf(heading, sizeof heading, "Mentioned with (in its latest %s documents)",
             cli_num(n, p->peer_docs));
    print_section(t, p->peers_sampled ? heading : "Mentioned with", width);
}

int cmd_actor(int argc, char **argv)
{
    static const cli_opt opts[] = {{"by", 0, 1, 'b'}, CLI_OPT_LIMIT, CLI_OPT_JSON,
                                   CLI_OPT_DB,        CLI_OPT_HELP,  CLI_OPT_END};
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    q.period = "month";
    int id;
    cli_args a;
    cli_args_init(&a, "actor", usage_text, opts, argc, argv);
    a.limit = 10;
    a.limit_max = 1000000;
    while ((id = cli_next(&a)) > 0) {
        if (id == 'b' && cli_check_period(&a)) return cli_args_exit(&a);
        if (id == 'b') q.period = a.value;
    }
    if (id < 0 || cli_args_count(&a, 1, 1, "NAME (an actor's name or a CAMEO code)"))
        return cli_args_exit(&a);
    char name[512];
    snprintf(name, sizeof name, "%s", a.pos[0]);
    cli_args_free(&a);
    q.limit = (int) a.limit;
    nd_store *s = cli_open_analysis(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_actor_page *p = NULL;
    nd_error err = {0};
    int rc = nd_query_actor(s, name, &q, &p, &err);
    nd_store_close(s);
    if (rc) return cli_query_error("actor", rc, &err);
    if (a.json) {
        CLI_JSON_PRINT(nd_render_json_actor_page, p);
    } else {
        render(p);
    }
    nd_result_free(p);
    return ND_EXIT_OK;
}
