/* cmd_stories.c - `newsdesk stories`: the stories of the store, most
 * recently seen first. */
#include <getopt.h>
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

typedef struct ctx {
    int json;
    cli_table *t;
    nd_buf out;
    int n;
    int failed_write;
} ctx;

static int on_story(void *p, const nd_store_story *st)
{
    ctx *c = p;
    c->n++;
    if (c->json) {
        nd_buf_clear(&c->out);
        nd_json j;
        nd_json_init(&j, &c->out, 0);
        nd_json_obj_begin(&j);
        nd_json_key(&j, "id");
        nd_json_int(&j, st->id);
        nd_json_key(&j, "headline");
        nd_json_str(&j, st->headline);
        nd_json_key(&j, "articles");
        nd_json_int(&j, (long long) st->n_docs);
        nd_json_key(&j, "duplicates");
        nd_json_int(&j, (long long) st->n_dups);
        nd_json_key(&j, "outlets");
        nd_json_int(&j, (long long) st->n_sites);
        nd_json_key(&j, "first_seen");
        nd_json_str(&j, st->first_seen);
        nd_json_key(&j, "last_seen");
        nd_json_str(&j, st->last_seen);
        nd_json_key(&j, "doc_id");
        nd_json_int(&j, st->rep_doc);
        nd_json_obj_end(&j);
        nd_buf_putc(&c->out, '\n');
        if (nd_buf_failed(&c->out) || cli_write(c->out.ptr, c->out.len)) {
            c->failed_write = 1;
            return 1;
        }
        return 0;
    }
    char id[32], first[16], last[16], docs[32], sites[32];
    snprintf(id, sizeof id, "%lld", (long long) st->id);
    snprintf(first, sizeof first, "%.10s", st->first_seen ? st->first_seen : "");
    snprintf(last, sizeof last, "%.10s", st->last_seen ? st->last_seen : "");
    snprintf(docs, sizeof docs, "%llu", (unsigned long long) st->n_docs);
    snprintf(sites, sizeof sites, "%llu", (unsigned long long) st->n_sites);
    const char *cells[] = {id,   first, last,
                           docs, sites, st->headline ? st->headline : "(untitled)"};
    cli_table_add(c->t, cells, NULL);
    return 0;
}

int cmd_stories(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'D'},    {"limit", required_argument, NULL, 'n'},
        {"since", required_argument, NULL, 'S'}, {"json", no_argument, NULL, 'J'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    nd_store_story_query q = {0};
    ctx c = {0};
    int ch;
    long long v;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'D': db = optarg; break;
        case 'n':
            if (cli_parse_count(optarg, 1, 100000000, &v))
                return cli_usage_error("stories: --limit: not a count: '%s'", optarg);
            q.limit = (int) v;
            break;
        case 'S': q.since = optarg; break;
        case 'J': c.json = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    static char since[32];
    if (q.since) {
        long long ts;
        if (cli_parse_time(q.since, &ts) != 0)
            return cli_usage_error("stories: --since: cannot read the date '%s'", q.since);
        nd_time_format(ts, ts % 86400 == 0, since);
        q.since = since;
    }
    if (!c.json) {
        static const char *const headers[] = {"STORY",    "FIRST SEEN", "LAST SEEN",
                                              "ARTICLES", "OUTLETS",    "HEADLINE"};
        c.t = cli_table_new(6, headers);
        cli_table_right(c.t, 0);
        cli_table_right(c.t, 3);
        cli_table_right(c.t, 4);
        cli_table_flex(c.t, 5);
    }
    nd_store *s = cli_open_store(cli_db_path(db), 0);
    if (!s) {
        cli_table_free(c.t);
        return ND_EXIT_SOME_FAILED;
    }
    nd_error err = {0};
    int rc = nd_store_stories(s, &q, on_story, &c, &err);
    nd_store_close(s);
    nd_buf_free(&c.out);
    if (rc && !c.failed_write) {
        cli_table_free(c.t);
        cli_error("stories", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return rc == ND_EPARSE ? ND_EXIT_USAGE : ND_EXIT_SOME_FAILED;
    }
    if (c.t) {
        if (c.n)
            cli_table_print(c.t, stdout, cli_term_width());
        else if (isatty(2))
            fprintf(stderr, "no stories (newsdesk ingest makes them)\n");
        cli_table_free(c.t);
    }
    return ND_EXIT_OK;
}
