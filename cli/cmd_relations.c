/* cmd_relations.c - `newsdesk relations A B`: the events between two actors
 * over time. */
#include <getopt.h>
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

typedef struct ctx {
    int json;
    nd_json j;
    nd_buf out;
    cli_table *t;
    uint64_t events, quad[5];
    double gsum;
} ctx;

static void fmt_g(char *out, size_t n, double g)
{
    snprintf(out, n, "%+.1f", g);
}

static int on_period(void *p, const nd_store_period *x)
{
    ctx *c = p;
    c->events += x->events;
    for (int i = 1; i <= 4; i++) c->quad[i] += x->quad[i];
    c->gsum += x->goldstein * (double) x->events;
    if (c->json) {
        nd_json *j = &c->j;
        nd_json_obj_begin(j);
        nd_json_key(j, "period");
        nd_json_str(j, x->period);
        nd_json_key(j, "events");
        nd_json_int(j, (long long) x->events);
        static const char *const keys[] = {NULL, "verbal_cooperation", "material_cooperation",
                                           "verbal_conflict", "material_conflict"};
        for (int i = 1; i <= 4; i++) {
            nd_json_key(j, keys[i]);
            nd_json_int(j, (long long) x->quad[i]);
        }
        nd_json_key(j, "goldstein");
        nd_json_double(j, x->goldstein, 2);
        nd_json_obj_end(j);
        return 0;
    }
    char n[5][32], g[32];
    snprintf(n[0], sizeof n[0], "%llu", (unsigned long long) x->events);
    for (int i = 1; i <= 4; i++)
        snprintf(n[i], sizeof n[i], "%llu", (unsigned long long) x->quad[i]);
    fmt_g(g, sizeof g, x->goldstein);
    const char *cells[] = {x->period, n[0], n[1], n[2], n[3], n[4], g};
    cli_table_add(c->t, cells, NULL);
    return 0;
}

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

static int on_event(void *p, const nd_store_event *e)
{
    ctx *c = p;
    if (c->json) {
        nd_json *j = &c->j;
        nd_json_obj_begin(j);
        nd_json_key(j, "date");
        nd_json_str(j, e->date);
        nd_json_key(j, "source");
        nd_json_str(j, e->source_code);
        nd_json_key(j, "target");
        nd_json_str(j, e->target_code);
        nd_json_key(j, "source_name");
        nd_json_str(j, e->source_name);
        nd_json_key(j, "target_name");
        nd_json_str(j, e->target_name);
        nd_json_key(j, "code");
        nd_json_str(j, e->code);
        nd_json_key(j, "name");
        nd_json_str(j, cli_event_name(e->code));
        nd_json_key(j, "goldstein");
        nd_json_double(j, e->goldstein, 1);
        nd_json_key(j, "quad");
        nd_json_int(j, e->quad);
        nd_json_key(j, "negated");
        nd_json_bool(j, e->negated);
        nd_json_key(j, "sentence");
        nd_json_str(j, e->sentence_text);
        nd_json_key(j, "span");
        nd_json_arr_begin(j);
        nd_json_int(j, e->sentence.start);
        nd_json_int(j, e->sentence.end);
        nd_json_arr_end(j);
        cli_doc_id_json(j, e->ext_id, e->doc_id);
        nd_json_key(j, "title");
        nd_json_str(j, e->title);
        nd_json_key(j, "url");
        nd_json_str(j, e->url);
        nd_json_key(j, "site");
        nd_json_str(j, e->site);
        nd_json_obj_end(j);
        return 0;
    }
    char day[16], src[300], tgt[300], code[48], g[32], doc[600];
    side(src, sizeof src, e->source_name, e->source_code);
    side(tgt, sizeof tgt, e->target_name, e->target_code);
    snprintf(code, sizeof code, "%s%s", e->code, e->negated ? " (negated)" : "");
    fmt_g(g, sizeof g, e->goldstein);
    cli_doc_cell(doc, sizeof doc, e->ext_id, e->doc_id, e->title, e->site);
    const char *cells[] = {cli_day(e->date, day), src, tgt, code, cli_event_name(e->code), g, doc};
    cli_table_add(c->t, cells, e->sentence_text);
    return 0;
}

int cmd_relations(int argc, char **argv)
{
    static const struct option longopts[] = {{"by", required_argument, NULL, 'b'},
                                             {"since", required_argument, NULL, 's'},
                                             {"limit", required_argument, NULL, 'n'},
                                             {"json", no_argument, NULL, 'J'},
                                             {"db", required_argument, NULL, 'D'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *db = NULL, *by = "month";
    nd_store_event_query q;
    memset(&q, 0, sizeof q);
    q.limit = 50;
    long long v;
    ctx c;
    memset(&c, 0, sizeof c);
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'b':
            if (strcmp(optarg, "day") && strcmp(optarg, "week") && strcmp(optarg, "month") &&
                strcmp(optarg, "year"))
                return cli_usage_error("relations: --by: day, week, month or year, not '%s'",
                                       optarg);
            by = optarg;
            break;
        case 's': q.since = optarg; break;
        case 'n':
            if (cli_parse_count(optarg, 0, 1000000000, &v))
                return cli_usage_error("relations: --limit: not a count: '%s'", optarg);
            q.limit = (int) v;
            break;
        case 'J': c.json = 1; break;
        case 'D': db = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    q.a = argv[optind];
    q.b = argv[optind + 1];
    q.with_sentence = 1;
    q.newest_first = 1;
    nd_store *s = cli_open_analysis_store(db);
    if (!s) return ND_EXIT_SOME_FAILED;
    int width = cli_term_width();
    nd_error err = {0};
    int rc;
    if (c.json) {
        nd_json_init(&c.j, &c.out, 1);
        nd_json_obj_begin(&c.j);
        nd_json_key(&c.j, "a");
        nd_json_str(&c.j, q.a);
        nd_json_key(&c.j, "b");
        nd_json_str(&c.j, q.b);
        nd_json_key(&c.j, "by");
        nd_json_str(&c.j, by);
        nd_json_key(&c.j, "periods");
        nd_json_arr_begin(&c.j);
        rc = nd_store_relations(s, &q, by, on_period, &c, &err);
        nd_json_arr_end(&c.j);
        nd_json_key(&c.j, "events");
        nd_json_arr_begin(&c.j);
        if (!rc) rc = nd_store_events(s, &q, on_event, &c, &err);
        nd_json_arr_end(&c.j);
        nd_json_obj_end(&c.j);
        nd_buf_putc(&c.out, '\n');
        if (!rc && !nd_buf_failed(&c.out)) cli_write(c.out.ptr, c.out.len);
    } else {
        static const char *const h1[] = {"PERIOD",        "EVENTS",        "VERB COOP",
                                         "MATERIAL COOP", "VERB CONFLICT", "MATERIAL CONFLICT",
                                         "GOLDSTEIN"};
        c.t = cli_table_new(7, h1);
        for (int i = 1; i < 7; i++) cli_table_right(c.t, i);
        rc = nd_store_relations(s, &q, by, on_period, &c, &err);
        if (!rc) {
            char g[32];
            fmt_g(g, sizeof g, c.events ? c.gsum / (double) c.events : 0);
            printf(
                "%s - %s: %llu event%s (%llu cooperative, %llu conflictual), mean Goldstein %s\n\n",
                q.a, q.b, (unsigned long long) c.events, c.events == 1 ? "" : "s",
                (unsigned long long) (c.quad[1] + c.quad[2]),
                (unsigned long long) (c.quad[3] + c.quad[4]), g);
            if (c.events) cli_table_print(c.t, stdout, width);
        }
        cli_table_free(c.t);
        c.t = NULL;
        if (!rc && c.events) {
            static const char *const h2[] = {"DATE",  "SOURCE",    "TARGET",  "CODE",
                                             "EVENT", "GOLDSTEIN", "DOCUMENT"};
            c.t = cli_table_new(7, h2);
            cli_table_flex(c.t, 4);
            cli_table_right(c.t, 5);
            rc = nd_store_events(s, &q, on_event, &c, &err);
            if (!rc) {
                printf("\n");
                cli_table_print(c.t, stdout, width);
            }
        }
        cli_table_free(c.t);
    }
    nd_store_close(s);
    nd_buf_free(&c.out);
    if (rc) {
        cli_error("relations", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return rc == ND_EINVAL || rc == ND_EPARSE ? ND_EXIT_USAGE : ND_EXIT_SOME_FAILED;
    }
    return ND_EXIT_OK;
}
