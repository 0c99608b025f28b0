/* cmd_errors.c - `newsdesk errors`: the inputs an ingest could not read. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk errors [OPTIONS]\n"
    "\n"
    "The errors recorded by the latest ingest run (or another), one per\n"
    "failed input: where (file, WARC offset or JSONL line) and why.\n"
    "\n"
    "      --db PATH  the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "      --run N    the errors of run N (newsdesk stats lists runs)\n"
    "      --all      the errors of every run\n"
    "      --json     JSON lines: run, source, offset, line, code, message\n"
    "  -h, --help     this text\n";

typedef struct ctx {
    cli_table *t;
    nd_buf out;
    int n;
} ctx;

static int on_error_row(void *p, const nd_store_error *e)
{
    ctx *c = p;
    c->n++;
    if (!c->t) {
        nd_buf_clear(&c->out);
        nd_json j;
        nd_json_init(&j, &c->out, 0);
        nd_json_obj_begin(&j);
        nd_json_key(&j, "run");
        nd_json_int(&j, e->run_id);
        nd_json_key(&j, "at");
        nd_json_str(&j, e->at);
        nd_json_key(&j, "source");
        nd_json_str(&j, e->source);
        nd_json_key(&j, "offset");
        if (e->offset >= 0)
            nd_json_int(&j, e->offset);
        else
            nd_json_null(&j);
        nd_json_key(&j, "line");
        if (e->line >= 0)
            nd_json_int(&j, e->line);
        else
            nd_json_null(&j);
        nd_json_key(&j, "code");
        nd_json_str(&j, e->code);
        nd_json_key(&j, "message");
        nd_json_str(&j, e->message);
        nd_json_obj_end(&j);
        nd_buf_putc(&c->out, '\n');
        if (nd_buf_failed(&c->out) || cli_write(c->out.ptr, c->out.len)) return 1;
        return 0;
    }
    char run[24], where[1100];
    snprintf(run, sizeof run, "%lld", (long long) e->run_id);
    cli_where(where, sizeof where, e->source, e->offset, e->line);
    const char *cells[] = {run, where, e->message ? e->message : ""};
    cli_table_add(c->t, cells, NULL);
    return 0;
}

int cmd_errors(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'D'}, {"run", required_argument, NULL, 'r'},
        {"all", no_argument, NULL, 'a'},      {"json", no_argument, NULL, 'J'},
        {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0}};
    const char *db = NULL;
    long long run = 0;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'r':
            if (cli_parse_count(optarg, 1, INT64_MAX, &run))
                return cli_usage_error("errors: --run: not a run number: '%s'", optarg);
            break;
        case 'a': run = -1; break;
        case 'J': json = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    nd_store *s = cli_open_store(cli_db_path(db), 0);
    if (!s) return ND_EXIT_SOME_FAILED;
    ctx cx = {0};
    if (!json) {
        static const char *const h[] = {"RUN", "WHERE", "ERROR"};
        cx.t = cli_table_new(3, h);
        cli_table_right(cx.t, 0);
        cli_table_flex(cx.t, 1);
    }
    nd_error err = {0};
    int rc = nd_store_errors(s, run, on_error_row, &cx, &err);
    nd_store_close(s);
    nd_buf_free(&cx.out);
    if (rc < 0) {
        cli_table_free(cx.t);
        cli_error("errors", "%s", err.msg);
        return ND_EXIT_SOME_FAILED;
    }
    if (cx.t) {
        if (cx.n) cli_table_print(cx.t, stdout, cli_term_width());
        cli_table_free(cx.t);
    }
    return ND_EXIT_OK;
}
