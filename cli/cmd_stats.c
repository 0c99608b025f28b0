/* cmd_stats.c - `newsdesk stats`: what the store holds. */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk stats [OPTIONS]\n"
    "\n"
    "Counts of documents, versions, related articles, paragraphs, runs and\n"
    "errors; the size of the texts and of the database; the most frequent\n"
    "sites and languages; the latest runs.\n"
    "\n"
    "      --db PATH  the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "      --json     one JSON object\n"
    "  -h, --help     this text\n";

static void kv(cli_table *t, const char *k, uint64_t v)
{
    char num[32];
    const char *cells[] = {k, cli_num(num, v)};
    cli_table_add(t, cells, NULL);
}

static void top(const char *head, const nd_count *c, size_t n, int width)
{
    const char *h[] = {head, "DOCUMENTS"};
    cli_table *t = cli_table_new(2, h, "~>");
    for (size_t i = 0; i < n; i++) {
        char num[32];
        const char *cells[] = {*c[i].value ? c[i].value : "(unknown)", cli_num(num, c[i].n)};
        cli_table_add(t, cells, NULL);
    }
    fputc('\n', stdout);
    cli_table_print(t, stdout, width);
    cli_table_free(t);
}

static void render(const nd_stats_page *st, const char *path)
{
    int width = cli_term_width();
    static const char *const h2[] = {"STORE", ""};
    cli_table *t = cli_table_new(2, h2, "<>");
    const char *cells[] = {"database", path};
    cli_table_add(t, cells, NULL);
    kv(t, "schema version", (uint64_t) st->schema);
    kv(t, "documents", st->documents);
    kv(t, "  pages", st->pages);
    kv(t, "  newer versions", st->versions);
    kv(t, "  related articles", st->related_docs);
    kv(t, "  analysed", st->analysed);
    kv(t, "related items", st->related_links);
    kv(t, "paragraphs", st->paragraphs);
    kv(t, "raw pages seen", st->raw_pages);
    kv(t, "ingest runs", st->runs);
    kv(t, "errors recorded", st->errors);
    char size[32];
    const char *c1[] = {"text", cli_size(size, st->text_bytes)};
    cli_table_add(t, c1, NULL);
    const char *c2[] = {"database file", cli_size(size, st->file_bytes)};
    cli_table_add(t, c2, NULL);
    if (st->first_published) {
        const char *c3[] = {"published from", st->first_published};
        cli_table_add(t, c3, NULL);
        const char *c4[] = {"published to", st->last_published ? st->last_published : ""};
        cli_table_add(t, c4, NULL);
    }
    cli_table_print(t, stdout, width);
    cli_table_free(t);
    top("SITE", st->sites, st->n_sites, width);
    top("LANGUAGE", st->languages, st->n_languages, width);

    static const char *const rh[] = {"RUN",   "STARTED",    "STATUS", "PAGES",
                                     "ADDED", "DUPLICATES", "ERRORS", "INPUTS"};
    t = cli_table_new(8, rh, "><<>>>>~");
    for (size_t i = 0; i < st->n_runs; i++) {
        const nd_store_run *r = &st->runs_latest[i];
        char id[24], pages[32], added[32], dup[32], errs[32];
        snprintf(id, sizeof id, "%lld", (long long) r->id);
        const char *status = r->status ? r->status : "";
        if (!strcmp(status, "running")) status = "running/killed";
        const char *row[] = {id,
                             r->started ? r->started : "",
                             status,
                             cli_num(pages, r->pages),
                             cli_num(added, r->added + r->related),
                             cli_num(dup, r->duplicates),
                             cli_num(errs, r->errors),
                             r->inputs ? r->inputs : ""};
        cli_table_add(t, row, NULL);
    }
    fputc('\n', stdout);
    cli_table_print(t, stdout, width);
    cli_table_free(t);
}

int cmd_stats(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_DB, CLI_OPT_JSON, CLI_OPT_HELP, CLI_OPT_END};
    int id;
    cli_args a;
    cli_args_init(&a, "stats", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) continue;
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    const char *path = cli_db_path(a.db);
    nd_store *s = cli_open_read(path);
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_stats_page *st = NULL;
    nd_error err = {0};
    int rc = nd_query_stats(s, &st, &err);
    nd_store_close(s);
    if (rc) return cli_query_error("stats", rc, &err);
    if (a.json) {
        CLI_JSON_PRINT(nd_render_json_stats, st, path);
    } else {
        render(st, path);
    }
    nd_result_free(st);
    return ND_EXIT_OK;
}
