/* cmd_errors.c - `newsdesk errors`: the inputs an ingest could not read. */
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

int cmd_errors(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_DB,   {"run", 0, 1, 'r'}, {"all", 0, 0, 'a'},
                                   CLI_OPT_JSON, CLI_OPT_HELP,       CLI_OPT_END};
    long long run = 0;
    int id;
    cli_args a;
    cli_args_init(&a, "errors", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) {
        if (id == 'a') run = -1;
        if (id == 'r' && cli_parse_count(a.value, 1, INT64_MAX, &run))
            return cli_args_fail(&a, "--run: not a run number: '%s'", a.value);
    }
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    int json = a.json;
    nd_store *s = cli_open_read(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    cli_table *t = NULL;
    if (!json) {
        static const char *const h[] = {"RUN", "WHERE", "ERROR"};
        t = cli_table_new(3, h, ">~<");
    }
    nd_buf out = ND_BUF_INIT;
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    nd_error err = {0};
    cli_pager pg = {0, 0, NULL};
    int rc;
    do {
        nd_error_list *r = NULL;
        rc = nd_query_errors(s, run, &q, &r, &err);
        cli_pager_took(&pg, r, r ? r->n : 0);
        if (rc) break;
        for (size_t i = 0; i < r->n; i++) {
            const nd_store_error *e = &r->items[i];
            if (json) {
                CLI_JSON_LINES(&out, e, 1, nd_render_json_error);
                continue;
            }
            char num[24], where[1100];
            snprintf(num, sizeof num, "%lld", (long long) e->run_id);
            cli_where(where, sizeof where, e->source, e->offset, e->line);
            const char *cells[] = {num, where, e->message ? e->message : ""};
            cli_table_add(t, cells, NULL);
        }
        if (json && cli_flush(&out, 0)) break;
        q.cursor = r->r.next;
    } while (q.cursor);
    cli_pager_end(&pg);
    nd_store_close(s);
    if (rc) {
        cli_table_free(t);
        nd_buf_free(&out);
        return cli_query_error("errors", rc, &err);
    }
    if (json) cli_flush(&out, 1);
    if (t && cli_table_rows(t)) cli_table_print(t, stdout, cli_term_width());
    cli_table_free(t);
    nd_buf_free(&out);
    return ND_EXIT_OK;
}
