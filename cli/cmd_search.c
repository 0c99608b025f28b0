/* cmd_search.c - `newsdesk search`: ranked full-text search of the store. */
#include <getopt.h>
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
    "Exit status: 0 (also with no match), 2 bad query or usage error.\n";

typedef struct ctx {
    int json;
    cli_table *t;
    nd_buf out;
    int n;
    int failed_write;
} ctx;

static int on_hit(void *p, const nd_store_hit *h)
{
    ctx *c = p;
    c->n++;
    if (c->json) {
        nd_buf_clear(&c->out);
        nd_json j;
        nd_json_init(&j, &c->out, 0);
        nd_json_obj_begin(&j);
        cli_doc_id_json(&j, h->ext_id, h->id);
        nd_json_key(&j, "title");
        nd_json_str(&j, h->title);
        nd_json_key(&j, "source");
        nd_json_str(&j, h->source);
        nd_json_key(&j, "url");
        nd_json_str(&j, h->url);
        nd_json_key(&j, "site");
        nd_json_str(&j, h->site);
        nd_json_key(&j, "published");
        nd_json_str(&j, h->published);
        nd_json_key(&j, "language");
        nd_json_str(&j, h->language);
        nd_json_key(&j, "score");
        nd_json_double(&j, h->score, 4);
        nd_json_key(&j, "snippet");
        nd_json_str(&j, h->snippet);
        nd_json_obj_end(&j);
        nd_buf_putc(&c->out, '\n');
        if (nd_buf_failed(&c->out) || cli_write(c->out.ptr, c->out.len)) {
            c->failed_write = 1;
            return 1;
        }
        return 0;
    }
    char id[32], date[16];
    snprintf(id, sizeof id, "%lld", (long long) h->id);
    snprintf(date, sizeof date, "%.10s", h->published ? h->published : "");
    const char *site = h->site;
    char host[256] = "";
    if (!site && h->url) {
        const char *s = strstr(h->url, "://");
        s = s ? s + 3 : h->url;
        if (!strncmp(s, "www.", 4)) s += 4;
        snprintf(host, sizeof host, "%.*s", (int) strcspn(s, "/?#"), s);
        site = host;
    }
    const char *title = h->title && *h->title ? h->title : (h->source ? h->source : "");
    const char *cells[] = {id, date, site ? site : "", title};
    cli_table_add(c->t, cells, h->snippet);
    return 0;
}

int cmd_search(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'D'},    {"limit", required_argument, NULL, 'n'},
        {"since", required_argument, NULL, 'S'}, {"site", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'J'},        {"all-versions", no_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    nd_store_query q = {0};
    ctx c = {0};
    int ch;
    long long v;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'D': db = optarg; break;
        case 'n':
            if (cli_parse_count(optarg, 1, 1000000, &v))
                return cli_usage_error("search: --limit: not a count: '%s'", optarg);
            q.limit = (int) v;
            break;
        case 'S': q.since = optarg; break;
        case 's': q.site = optarg; break;
        case 'J': c.json = 1; break;
        case 'A': q.all_versions = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    /* Several words on the command line make one query. */
    nd_buf query = ND_BUF_INIT;
    for (int i = optind; i < argc; i++) {
        if (i > optind) nd_buf_putc(&query, ' ');
        nd_buf_puts(&query, argv[i]);
    }
    if (nd_buf_failed(&query)) return cli_usage_error("search: out of memory");
    q.match = query.ptr;
    if (q.since) {
        long long ts;
        if (cli_parse_time(q.since, &ts) == 0) {
            /* Pass on a normalised form the store surely reads. */
            static char norm[32];
            nd_time_format(ts, ts % 86400 == 0, norm);
            q.since = norm;
        }
    }

    int width = cli_term_width();
    int tty = isatty(1);
    q.hl_open = tty && !c.json ? "\033[1m" : "[";
    q.hl_close = tty && !c.json ? "\033[0m" : "]";
    q.snippet_tokens = 24;
    if (!c.json) {
        static const char *const headers[] = {"ID", "DATE", "SITE", "TITLE"};
        c.t = cli_table_new(4, headers);
        cli_table_right(c.t, 0);
        cli_table_flex(c.t, 3);
    }

    nd_store *s = cli_open_store(cli_db_path(db), 0);
    if (!s) {
        nd_buf_free(&query);
        cli_table_free(c.t);
        return ND_EXIT_SOME_FAILED;
    }
    nd_error err = {0};
    int rc = nd_store_search(s, &q, on_hit, &c, &err);
    nd_store_close(s);
    nd_buf_free(&query);
    nd_buf_free(&c.out);
    if (rc && !c.failed_write) {
        cli_table_free(c.t);
        cli_error("search", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return rc == ND_EPARSE ? ND_EXIT_USAGE : ND_EXIT_SOME_FAILED;
    }
    if (c.t) {
        if (c.n)
            cli_table_print(c.t, stdout, width);
        else if (tty)
            fprintf(stderr, "no matches\n");
        cli_table_free(c.t);
    }
    return ND_EXIT_OK;
}
