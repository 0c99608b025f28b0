/* cmd_actor.c - `newsdesk actor NAME`: one actor's page: who it is, its
 * mentions over time, its quotations and the actors mentioned with it. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk actor [OPTIONS] NAME\n"
    "\n"
    "One actor: the actors NAME means (a name, \"Putin\" for Vladimir Putin,\n"
    "or a CAMEO code or prefix such as CHNGOV), their documents and mentions\n"
    "per period, their latest quotations and the actors most often mentioned\n"
    "in the same documents.\n"
    "\n"
    "      --by PERIOD  day, week, month (default) or year\n"
    "  -n, --limit N    quotations and co-occurring actors shown (default 10)\n"
    "      --json       one JSON object: actors, timeline, quotes, peers\n"
    "      --db PATH    the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help       this text\n"
    "\n"
    "Exit status: 0 shown, 1 no such actor or a store error, 2 usage error.\n";

typedef struct ctx {
    int json;
    nd_json j;
    nd_buf out;
    cli_table *t;
    size_t n;
} ctx;

static int on_actor(void *p, const nd_store_actor *a)
{
    ctx *c = p;
    c->n++;
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
    cli_table_add(c->t, cells, NULL);
    return 0;
}

/* The actor with its quotation count and dates. */
static int on_actor_json(void *p, const nd_store_actor *a)
{
    ctx *c = p;
    c->n++;
    nd_json *j = &c->j;
    nd_json_obj_begin(j);
    nd_json_key(j, "name");
    nd_json_str(j, a->name);
    nd_json_key(j, "code");
    nd_json_str(j, *a->code ? a->code : NULL);
    nd_json_key(j, "kind");
    nd_json_str(j, a->kind);
    nd_json_key(j, "country");
    nd_json_str(j, a->country);
    nd_json_key(j, "role");
    nd_json_str(j, a->role);
    nd_json_key(j, "documents");
    nd_json_int(j, (long long) a->documents);
    nd_json_key(j, "mentions");
    nd_json_int(j, (long long) a->mentions);
    nd_json_key(j, "quotes");
    nd_json_int(j, (long long) a->quotes);
    nd_json_key(j, "first");
    nd_json_str(j, a->first);
    nd_json_key(j, "last");
    nd_json_str(j, a->last);
    nd_json_obj_end(j);
    return 0;
}

static int on_period(void *p, const nd_store_period *x)
{
    ctx *c = p;
    if (c->json) {
        nd_json_obj_begin(&c->j);
        nd_json_key(&c->j, "period");
        nd_json_str(&c->j, x->period);
        nd_json_key(&c->j, "documents");
        nd_json_int(&c->j, (long long) x->documents);
        nd_json_key(&c->j, "mentions");
        nd_json_int(&c->j, (long long) x->mentions);
        nd_json_obj_end(&c->j);
        return 0;
    }
    char docs[32], mentions[32];
    snprintf(docs, sizeof docs, "%llu", (unsigned long long) x->documents);
    snprintf(mentions, sizeof mentions, "%llu", (unsigned long long) x->mentions);
    const char *cells[] = {x->period, docs, mentions};
    cli_table_add(c->t, cells, NULL);
    return 0;
}

static int on_quote(void *p, const nd_store_quote *q)
{
    ctx *c = p;
    if (c->json) {
        nd_json *j = &c->j;
        nd_json_obj_begin(j);
        nd_json_key(j, "speaker");
        nd_json_str(j, q->speaker);
        nd_json_key(j, "date");
        nd_json_str(j, q->date);
        nd_json_key(j, "type");
        nd_json_str(j, q->type);
        nd_json_key(j, "text");
        nd_json_str(j, q->text);
        cli_doc_id_json(j, q->ext_id, q->doc_id);
        nd_json_key(j, "title");
        nd_json_str(j, q->title);
        nd_json_obj_end(j);
        return 0;
    }
    char day[16], doc[600];
    nd_buf text = ND_BUF_INIT;
    if (strcmp(q->type, "indirect") != 0)
        nd_buf_printf(&text, "\xe2\x80\x9c%s\xe2\x80\x9d", q->text);
    else
        nd_buf_puts(&text, q->text);
    cli_doc_cell(doc, sizeof doc, q->ext_id, q->doc_id, q->title, q->site);
    const char *cells[] = {cli_day(q->date, day), q->speaker ? q->speaker : "-", q->type,
                           text.ptr ? text.ptr : "", doc};
    cli_table_add(c->t, cells, NULL);
    nd_buf_free(&text);
    return 0;
}

static int on_peer(void *p, const nd_store_actor *a)
{
    ctx *c = p;
    if (c->json) {
        cli_actor_json(&c->j, a);
        return 0;
    }
    char docs[32];
    snprintf(docs, sizeof docs, "%llu", (unsigned long long) a->documents);
    const char *cells[] = {a->name, *a->code ? a->code : "-", a->kind ? a->kind : "-", docs};
    cli_table_add(c->t, cells, NULL);
    return 0;
}

/* Print the table (under a heading) and start a new one. */
static void section(ctx *c, const char *heading, int width)
{
    printf("\n%s\n", heading);
    cli_table_print(c->t, stdout, width);
    cli_table_free(c->t);
    c->t = NULL;
}

int cmd_actor(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"by", required_argument, NULL, 'b'}, {"limit", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'J'},     {"db", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0}};
    const char *db = NULL, *by = "month";
    int limit = 10, ch;
    long long v;
    ctx c;
    memset(&c, 0, sizeof c);
    optind = 1;
    while ((ch = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'b':
            if (strcmp(optarg, "day") && strcmp(optarg, "week") && strcmp(optarg, "month") &&
                strcmp(optarg, "year"))
                return cli_usage_error("actor: --by: day, week, month or year, not '%s'", optarg);
            by = optarg;
            break;
        case 'n':
            if (cli_parse_count(optarg, 1, 1000000, &v))
                return cli_usage_error("actor: --limit: not a count: '%s'", optarg);
            limit = (int) v;
            break;
        case 'J': c.json = 1; break;
        case 'D': db = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    const char *name = argv[optind];
    nd_store *s = cli_open_analysis_store(db);
    if (!s) return ND_EXIT_SOME_FAILED;
    int width = cli_term_width();
    nd_error err = {0};
    nd_store_quote_query q;
    memset(&q, 0, sizeof q);
    q.by = name;
    q.by_actor = 1;
    q.limit = limit;
    int rc;
    if (c.json) {
        nd_json_init(&c.j, &c.out, 1);
        nd_json_obj_begin(&c.j);
        nd_json_key(&c.j, "actors");
        nd_json_arr_begin(&c.j);
        rc = nd_store_find_actors(s, name, on_actor_json, &c, &err);
        nd_json_arr_end(&c.j);
        nd_json_key(&c.j, "by");
        nd_json_str(&c.j, by);
        nd_json_key(&c.j, "timeline");
        nd_json_arr_begin(&c.j);
        if (!rc) rc = nd_store_actor_timeline(s, name, by, on_period, &c, &err);
        nd_json_arr_end(&c.j);
        nd_json_key(&c.j, "quotes");
        nd_json_arr_begin(&c.j);
        if (!rc) rc = nd_store_quotes(s, &q, on_quote, &c, &err);
        nd_json_arr_end(&c.j);
        nd_json_key(&c.j, "peers");
        nd_json_arr_begin(&c.j);
        if (!rc) rc = nd_store_actor_peers(s, name, limit, on_peer, &c, &err);
        nd_json_arr_end(&c.j);
        nd_json_obj_end(&c.j);
        nd_buf_putc(&c.out, '\n');
        if (!rc) cli_write(c.out.ptr, c.out.len);
    } else {
        static const char *const h1[] = {"ACTOR", "CODE",     "KIND",   "ROLE", "COUNTRY",
                                         "DOCS",  "MENTIONS", "QUOTES", "DATES"};
        c.t = cli_table_new(9, h1);
        for (int i = 5; i < 8; i++) cli_table_right(c.t, i);
        rc = nd_store_find_actors(s, name, on_actor, &c, &err);
        if (!rc) {
            cli_table_print(c.t, stdout, width);
            cli_table_free(c.t);
            static const char *const h2[] = {"PERIOD", "DOCS", "MENTIONS"};
            c.t = cli_table_new(3, h2);
            cli_table_right(c.t, 1);
            cli_table_right(c.t, 2);
            rc = nd_store_actor_timeline(s, name, by, on_period, &c, &err);
            char heading[64];
            snprintf(heading, sizeof heading, "Mentions by %s", by);
            if (!rc) section(&c, heading, width);
        }
        if (!rc) {
            static const char *const h3[] = {"DATE", "SPEAKER", "TYPE", "QUOTE", "DOCUMENT"};
            c.t = cli_table_new(5, h3);
            cli_table_flex(c.t, 3);
            rc = nd_store_quotes(s, &q, on_quote, &c, &err);
            if (!rc) section(&c, "Latest quotations", width);
        }
        if (!rc) {
            static const char *const h4[] = {"ACTOR", "CODE", "KIND", "SHARED DOCS"};
            c.t = cli_table_new(4, h4);
            cli_table_right(c.t, 3);
            rc = nd_store_actor_peers(s, name, limit, on_peer, &c, &err);
            if (!rc) section(&c, "Mentioned with", width);
        }
        cli_table_free(c.t);
    }
    nd_store_close(s);
    nd_buf_free(&c.out);
    if (rc) {
        cli_error("actor", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return rc == ND_EINVAL ? ND_EXIT_USAGE : ND_EXIT_SOME_FAILED;
    }
    return ND_EXIT_OK;
}
