/* cmd_search.c - `newsdesk search`: ranked full-text search of the store. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk search [OPTIONS] QUERY...\n"
    "\n"
    "Search titles and texts; best matches first (BM25, title matches weigh\n"
    "more), each with a snippet around the match.  QUERY uses FTS5 syntax:\n"
    "  words            all of them (stemmed: 'talks' finds 'talk')\n"
    "  \"a phrase\"       the words in this order\n"
    "  a OR b, a NOT b  either word; the first without the second\n"
    "  pref*            words starting with pref\n"
    "  title: word      in the title only\n"
    "\n"
    "      --db PATH      the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -n, --limit N      at most N results (default 20)\n"
    "      --since DATE   published (or else fetched) on or after DATE\n"
    "      --site S       from this site name or host (example.com)\n"
    "      --all-versions also older versions of changed pages\n"
    "      --json         JSON lines: id, doc_id, title, source, url, site,\n"
    "                     published, language, score, snippet\n"
    "  -h, --help         this text\n"
    "\n"
    "With no match it says so on stderr (\"no matches\") and prints nothing.\n"
    "Exit status: 0 (also with no match), 2 bad query or usage error.\n";

int cmd_search(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_DB,
                                   CLI_OPT_LIMIT,
                                   {"since", 0, 1, 'S'},
                                   {"site", 0, 1, 's'},
                                   {"all-versions", 0, 0, 'A'},
                                   CLI_OPT_JSON,
                                   CLI_OPT_HELP,
                                   CLI_OPT_END};
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    int id;
    char since[32];
    cli_args a;
    cli_args_init(&a, "search", usage_text, opts, argc, argv);
    a.limit_max = 1000000;
    while ((id = cli_next(&a)) > 0) {
        switch (id) {
        case 'S': q.since = a.value; break;
        case 's': q.site = a.value; break;
        case 'A': q.all_versions = 1; break;
        }
    }
    if (id < 0 || cli_args_count(&a, 1, -1, "QUERY")) return cli_args_exit(&a);
    q.limit = (int) a.limit;
    /* Several words on the command line make one query. */
    nd_buf query = ND_BUF_INIT;
    for (int i = 0; i < a.n_pos; i++) {
        if (i) nd_buf_putc(&query, ' ');
        nd_buf_puts(&query, a.pos[i]);
    }
    const char *db = a.db;
    int json = a.json;
    cli_args_free(&a);
    if (nd_buf_failed(&query)) return cli_usage("search", "out of memory");
    q.text = query.ptr;
    /* Pass on a normalised form the store surely reads. */
    if (q.since && cli_parse_date(q.since, since) == 0) q.since = since;
    q.snippet_words = 24;

    nd_store *s = cli_open_read(cli_db_path(db));
    if (!s) {
        nd_buf_free(&query);
        return ND_EXIT_SOME_FAILED;
    }
    nd_hit_list *r = NULL;
    nd_error err = {0};
    int rc = nd_query_search(s, &q, &r, &err);
    nd_store_close(s);
    nd_buf_free(&query);
    if (rc) return cli_query_error("search", rc, &err);
    if (!r->n) {
        fprintf(stderr, "no matches\n");
    } else if (json) {
        nd_buf out = ND_BUF_INIT;
        CLI_JSON_LINES(&out, r->items, r->n, nd_render_json_hit);
        cli_flush(&out, 1);
        nd_buf_free(&out);
    } else {
        /* Matches in bold on a terminal, between [ and ] elsewhere. */
        int tty = isatty(1);
        static const char *const headers[] = {"ID", "DATE", "SITE", "TITLE"};
        cli_table *t = cli_table_new(4, headers, "><<~");
        for (size_t i = 0; i < r->n; i++) {
            const nd_hit *h = &r->items[i];
            char num[32], date[16];
            snprintf(num, sizeof num, "%lld", (long long) h->id);
            snprintf(date, sizeof date, "%.10s", h->published ? h->published : "");
            const char *site = h->site ? h->site : h->host ? h->host : "";
            const char *title = h->title && *h->title ? h->title : (h->source ? h->source : "");
            const char *cells[] = {num, date, site, title};
            cli_table_add_marked(t, cells, h->snippet, h->marks, h->n_marks, tty ? "\033[1m" : "[",
                                 tty ? "\033[0m" : "]");
        }
        cli_table_print(t, stdout, cli_term_width());
        cli_table_free(t);
    }
    if (r->sampled) {
        char n[32];
        fprintf(stderr, "ranked among the newest %s matches\n", cli_num(n, ND_QUERY_SEARCH_DOCS));
    }
    nd_result_free(r);
    return ND_EXIT_OK;
}
