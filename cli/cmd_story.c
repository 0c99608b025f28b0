/* cmd_story.c - `newsdesk story ID`: one story, its articles by outlet and
 * time, duplicates folded under their original. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk story [OPTIONS] ID\n"
    "\n"
    "One story (ID as `newsdesk stories` shows it): its headline, when it was\n"
    "first and last seen, and its articles grouped by outlet (outlets in the\n"
    "order they first covered it), each outlet's in time order.  Duplicates -\n"
    "the same text again, or syndicated copies of it - are folded under the\n"
    "article they copy, marked '='.  A long story shows its latest articles\n"
    "(the most recently added), in that same order, and every outlet's count.\n"
    "\n"
    "  -n, --limit N  at most N articles, the latest added (default 200; 0: all)\n"
    "      --db PATH  the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "      --json     the story as one JSON object: id, headline, articles,\n"
    "                 duplicates, outlets, first_seen, last_seen, doc_id and\n"
    "                 documents (id, doc_id, title, site, host, url, published,\n"
    "                 fetched, language, parent, duplicates: [...]); when not\n"
    "                 every article is shown, also shown (documents listed) and\n"
    "                 outlet_articles (outlet, articles) for every outlet\n"
    "  -h, --help     this text\n"
    "\n"
    "Exit status: 0 shown, 1 no such story, 2 usage error.\n";

/* The header lines of a story for people. */
static void header(nd_buf *out, const nd_story_page *p)
{
    const nd_story_row *st = &p->story;
    char arts[64], dups[64], outs[64];
    nd_buf_printf(out, "story      %lld\n", (long long) st->id);
    nd_buf_printf(out, "headline   %s\n", st->headline ? st->headline : "(untitled)");
    if (st->first_seen)
        nd_buf_printf(out, "seen       %s .. %s\n", st->first_seen,
                      st->last_seen ? st->last_seen : st->first_seen);
    cli_num(arts, st->n_docs);
    nd_buf_printf(out, "articles   %s (%s) from %s\n", arts,
                  cli_count(dups, st->n_dups, "duplicate", "duplicates"),
                  cli_count(outs, st->n_sites, "outlet", "outlets"));
    if ((uint64_t) p->n_articles < p->n_total) {
        char shown[32], total[32];
        nd_buf_printf(out, "shown      the latest %s of %s (--limit N; 0: all)\n",
                      cli_num(shown, p->n_articles), cli_num(total, p->n_total));
    }
    nd_buf_putc(out, '\n');
}

/* Every outlet's articles, when not all of them are shown. */
static void outlet_table(const nd_story_page *p)
{
    if ((uint64_t) p->n_articles >= p->n_total) return;
    static const char *const headers[] = {"OUTLET", "ARTICLES"};
    cli_table *t = cli_table_new(2, headers, "<>");
    for (size_t i = 0; i < p->n_outlet_counts; i++) {
        const nd_count *c = &p->outlet_counts[i];
        char n[32];
        const char *cells[] = {*c->value ? c->value : "-", cli_num(n, c->n)};
        cli_table_add(t, cells, NULL);
    }
    fputc('\n', stdout);
    cli_table_print(t, stdout, cli_term_width());
    cli_table_free(t);
}

static void table(const nd_story_page *p)
{
    static const char *const headers[] = {"OUTLET", "DATE", "ID", "TITLE"};
    cli_table *t = cli_table_new(4, headers, "<<>~");
    const char *last_outlet = NULL;
    for (size_t i = 0; i < p->n_articles; i++) {
        const nd_story_article *d = &p->articles[i];
        int dup = d->original >= 0;
        char idb[32], date[24];
        nd_buf title = ND_BUF_INIT;
        snprintf(idb, sizeof idb, "%lld", (long long) d->id);
        snprintf(date, sizeof date, "%.16s",
                 d->published ? d->published
                 : d->fetched ? d->fetched
                              : "");
        if (dup) nd_buf_puts(&title, "= ");
        nd_buf_puts(&title, d->title && *d->title ? d->title : "(untitled)");
        if (dup && *d->outlet && strcmp(d->outlet, p->articles[d->original].outlet))
            nd_buf_printf(&title, " (%s)", d->outlet);
        /* The outlet once per group. */
        const char *outlet = dup ? "" : *d->outlet ? d->outlet : "-";
        if (!dup && last_outlet && !strcmp(last_outlet, d->outlet)) outlet = "";
        if (!dup) last_outlet = d->outlet;
        const char *cells[] = {outlet, date, idb, title.ptr ? title.ptr : ""};
        cli_table_add(t, cells, NULL);
        nd_buf_free(&title);
    }
    cli_table_print(t, stdout, cli_term_width());
    cli_table_free(t);
}

int cmd_story(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_DB, CLI_OPT_JSON, CLI_OPT_LIMIT, CLI_OPT_HELP,
                                   CLI_OPT_END};
    int id;
    long long sid;
    cli_args a;
    cli_args_init(&a, "story", usage_text, opts, argc, argv);
    a.limit = ND_QUERY_STORY_ARTICLES;
    a.limit_min = 0;
    while ((id = cli_next(&a)) > 0) continue;
    if (id < 0 || cli_args_count(&a, 1, 1, "ID (newsdesk stories lists them)"))
        return cli_args_exit(&a);
    if (cli_parse_count(a.pos[0], 1, INT64_MAX, &sid))
        return cli_args_fail(&a, "not a story id: '%s'", a.pos[0]);
    cli_args_free(&a);
    nd_store *s = cli_open_read(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_story_page *p = NULL;
    nd_error err = {0};
    nd_query_opts q = {0};
    if (a.limit)
        q.limit = (int) a.limit;
    else
        q.all = 1;
    int rc = nd_query_story(s, sid, &q, &p, &err);
    nd_store_close(s);
    if (rc) {
        cli_error("story", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return ND_EXIT_SOME_FAILED;
    }
    if (a.json) {
        CLI_JSON_PRINT(nd_render_json_story_page, p);
    } else {
        nd_buf out = ND_BUF_INIT;
        header(&out, p);
        if (!nd_buf_failed(&out)) cli_write_term(out.ptr, out.len);
        nd_buf_free(&out);
        table(p);
        outlet_table(p);
    }
    nd_result_free(p);
    return ND_EXIT_OK;
}
