/* cmd_digest.c - `newsdesk digest`: the day's briefing (top stories with a
 * summary, outlets, key quotes and notable events) as Markdown, HTML for
 * e-mail, or JSON. */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk digest [OPTIONS]\n"
    "\n"
    "The day's briefing: its stories ranked by how many outlets and articles\n"
    "carry them and how recent they are, each with a two-sentence summary,\n"
    "its outlets, key actors, keywords, latest quotations and the events of\n"
    "largest Goldstein score.  The same as the web's /digest page.\n"
    "\n"
    "      --date DATE    the stories seen on that day (default: the latest\n"
    "                     day with a story)\n"
    "      --since TIME   the stories seen since then (a date or a time)\n"
    "  -n, --limit N      at most N stories (default 12)\n"
    "      --format F     md (default: Markdown, reads well as an e-mail),\n"
    "                     html (one self-contained page) or json\n"
    "      --json         the same as --format json\n"
    "      --base-url URL links absolute to the site at URL (newsdesk serve's\n"
    "                     address), so that a mailed briefing links back\n"
    "      --db PATH      the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 (also with no story), 1 store error, 2 usage error.\n";

int cmd_digest(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_OPT_DB,           CLI_OPT_LIMIT,         {"date", 0, 1, 'D'},
        {"since", 0, 1, 'S'}, {"format", 0, 1, 'F'}, {"base-url", 0, 1, 'B'},
        CLI_OPT_JSON,         CLI_OPT_HELP,          CLI_OPT_END};
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    char since[32];
    const char *format = "md", *base = NULL;
    int id, dated = 0;
    cli_args a;
    cli_args_init(&a, "digest", usage_text, opts, argc, argv);
    a.limit_max = 100;
    while ((id = cli_next(&a)) > 0) {
        if (id == 'F') {
            if (strcmp(a.value, "md") && strcmp(a.value, "html") && strcmp(a.value, "json"))
                return cli_args_fail(&a, "--format: '%s' is not md, html or json", a.value);
            format = a.value;
            continue;
        }
        if (id == 'B') {
            if (!cli_base_url_ok(a.value))
                return cli_args_fail(&a, "--base-url: not an http(s) address: '%s'", a.value);
            base = a.value;
            continue;
        }
        if (dated++) return cli_args_fail(&a, "--date and --since: one or the other");
        if (cli_parse_date(a.value, since) || (id == 'D' && strlen(since) != 10))
            return cli_args_fail(&a, "--%s: cannot read the %s '%s'", id == 'D' ? "date" : "since",
                                 id == 'D' ? "day" : "date", a.value);
        q.since = since;
    }
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    if (a.json) format = "json";
    q.limit = (int) a.limit;
    nd_store *s = cli_open_read(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_briefing *b = NULL;
    nd_error err = {0};
    int rc = nd_query_briefing(s, &q, 1, &b, &err);
    nd_store_close(s);
    if (rc) return cli_query_error("digest", rc, &err);
    nd_buf out = ND_BUF_INIT;
    if (!strcmp(format, "json")) {
        nd_json j;
        nd_json_init(&j, &out, 0);
        nd_render_json_briefing(&j, b);
        nd_buf_putc(&out, '\n');
    } else if (!strcmp(format, "html")) {
        nd_render_html_digest(&out, b, 1, base);
    } else {
        nd_render_md_digest(&out, b, base);
    }
    nd_result_free(b);
    rc = nd_buf_failed(&out) ? -1 : cli_write(out.ptr, out.len);
    nd_buf_free(&out);
    if (rc) {
        cli_error("digest", "cannot write the briefing");
        return ND_EXIT_SOME_FAILED;
    }
    return ND_EXIT_OK;
}
