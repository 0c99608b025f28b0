/* cmd_relations.c - `newsdesk relations A B`: the events between two actors
 * over time. */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk relations [OPTIONS] A B\n"
    "\n"
    "The CAMEO-coded events between A and B, in either direction: counts by\n"
    "quad class and the mean Goldstein score (-10 conflict .. +10\n"
    "cooperation) per period, then the events, each with its sentence and\n"
    "the document it is from.  A and B are CAMEO codes or prefixes (RUS,\n"
    "CHN, CHNGOV, IGOUNO), countries by name (Russia: every RUS actor), or\n"
    "actors by name (\"Xi Jinping\", \"Putin\").  Events are dated by the\n"
    "text (\"on Thursday\"), else by their document (published, else\n"
    "fetched); the others are \"undated\".\n"
    "\n"
    "      --by PERIOD    day, week, month (default) or year\n"
    "      --since DATE   events on or after DATE (ISO 8601)\n"
    "  -n, --limit N      at most N events listed, newest first (default 50;\n"
    "                     0: all); the counts cover all of them\n"
    "      --json         one JSON object: periods and events\n"
    "      --db PATH      the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 shown (maybe nothing), 1 no such actor or a store error,\n"
    "2 usage error.\n";

/* "Xi Jinping (CHNGOV)", or the code alone. */
static void side(char *out, size_t n, const char *name, const char *code)
{
    if (name && *code)
        snprintf(out, n, "%s (%s)", name, code);
    else if (name)
        snprintf(out, n, "%s", name);
    else
        snprintf(out, n, "%s", *code ? code : "-");
}

static void render(const nd_relations_page *p)
{
    int width = cli_term_width();
    char g[32], n[64], coop[32], conf[32], r[64];
    snprintf(g, sizeof g, "%+.1f", p->goldstein);
    nd_buf head = ND_BUF_INIT;
    nd_buf_printf(&head, "%s - %s: %s (%s cooperative, %s conflictual), mean Goldstein %s", p->a,
                  p->b, cli_count(n, p->events, "event", "events"), cli_num(coop, p->cooperative),
                  cli_num(conf, p->conflictual), g);
    if (p->reports > p->events)
        nd_buf_printf(&head, "; %s", cli_count(r, p->reports, "report", "reports"));
    nd_buf_puts(&head, "\n\n");
    fflush(stdout);
    if (!nd_buf_failed(&head)) cli_write_term(head.ptr, head.len);
    nd_buf_free(&head);
    if (!p->events) return;
    static const char *const h1[] = {"PERIOD",        "EVENTS",        "VERB COOP",
                                     "MATERIAL COOP", "VERB CONFLICT", "MATERIAL CONFLICT",
                                     "GOLDSTEIN"};
    cli_table *t = cli_table_new(7, h1, "<>>>>>>");
    for (size_t i = 0; i < p->n_periods; i++) {
        const nd_period *x = &p->periods[i];
        char c[5][32];
        snprintf(c[0], sizeof c[0], "%llu", (unsigned long long) x->events);
        for (int k = 1; k <= 4; k++)
            snprintf(c[k], sizeof c[k], "%llu", (unsigned long long) x->quad[k]);
        snprintf(g, sizeof g, "%+.1f", x->goldstein);
        const char *cells[] = {x->period, c[0], c[1], c[2], c[3], c[4], g};
        cli_table_add(t, cells, NULL);
    }
    cli_table_print(t, stdout, width);
    cli_table_free(t);

    static const char *const h2[] = {"DATE",  "SOURCE",    "TARGET",  "CODE",
                                     "EVENT", "GOLDSTEIN", "REPORTS", "DOCUMENT"};
    t = cli_table_new(8, h2, "<<<<~>><");
    for (size_t i = 0; i < p->n; i++) {
        const nd_event_row *e = &p->items[i];
        char day[16], src[300], tgt[300], code[48], doc[600], reports[32];
        side(src, sizeof src, e->source_name, e->source_code);
        side(tgt, sizeof tgt, e->target_name, e->target_code);
        snprintf(code, sizeof code, "%s%s", e->code, e->negated ? " (negated)" : "");
        snprintf(g, sizeof g, "%+.1f", e->goldstein);
        cli_doc_cell(doc, sizeof doc, e->ext_id, e->doc_id, e->title, e->site);
        snprintf(reports, sizeof reports, "%u", e->reports);
        const char *cells[] = {cli_day(e->date, day), src, tgt,     code,
                               e->code_name,          g,   reports, doc};
        cli_table_add(t, cells, e->sentence_text);
    }
    printf("\n");
    cli_table_print(t, stdout, width);
    cli_table_free(t);
}

int cmd_relations(int argc, char **argv)
{
    static const cli_opt opts[] = {{"by", 0, 1, 'b'}, {"since", 0, 1, 's'}, CLI_OPT_LIMIT,
                                   CLI_OPT_JSON,      CLI_OPT_DB,           CLI_OPT_HELP,
                                   CLI_OPT_END};
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    q.period = "month";
    int id;
    cli_args a;
    cli_args_init(&a, "relations", usage_text, opts, argc, argv);
    a.limit = 50;
    a.limit_min = 0;
    a.limit_max = 1000000000;
    while ((id = cli_next(&a)) > 0) {
        if (id == 'b' && cli_check_period(&a)) return cli_args_exit(&a);
        if (id == 'b') q.period = a.value;
        if (id == 's') q.since = a.value;
    }
    if (id < 0 || cli_args_count(&a, 2, 2, "A and B (two actors, codes or names)"))
        return cli_args_exit(&a);
    char A[512], B[512];
    snprintf(A, sizeof A, "%s", a.pos[0]);
    snprintf(B, sizeof B, "%s", a.pos[1]);
    cli_args_free(&a);
    q.actor = A;
    q.actor_b = B;
    /* 0: all of them (as many as a page holds). */
    q.limit = a.limit == 0 || a.limit > ND_QUERY_MAX_LIMIT ? ND_QUERY_MAX_LIMIT : (int) a.limit;
    nd_store *s = cli_open_analysis(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_relations_page *p = NULL;
    nd_error err = {0};
    int rc = nd_query_relations(s, &q, &p, &err);
    nd_store_close(s);
    if (rc) return cli_query_error("relations", rc, &err);
    if (a.json) {
        CLI_JSON_PRINT(nd_render_json_relations, p);
    } else {
        render(p);
    }
    nd_result_free(p);
    return ND_EXIT_OK;
}
