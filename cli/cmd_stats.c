/* cmd_stats.c - `newsdesk stats`: what the store holds. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk stats [OPTIONS]\n"
    "\n"
    "Counts of documents, versions, related articles, paragraphs, runs and\n"
    "errors; the most frequent sites and languages; the latest runs.\n"
    "\n"
    "      --db PATH  the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "      --json     one JSON object\n"
    "  -h, --help     this text\n";

typedef struct top_ctx {
    cli_table *t;
    nd_json *j;
} top_ctx;

static int on_top(void *p, const char *value, uint64_t n)
{
    top_ctx *c = p;
    if (c->j) {
        nd_json_obj_begin(c->j);
        nd_json_key(c->j, "value");
        nd_json_str(c->j, value && *value ? value : NULL);
        nd_json_key(c->j, "documents");
        nd_json_int(c->j, (long long) n);
        nd_json_obj_end(c->j);
        return 0;
    }
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long) n);
    const char *cells[] = {value && *value ? value : "(unknown)", num};
    cli_table_add(c->t, cells, NULL);
    return 0;
}

static int on_run(void *p, const nd_store_run *r)
{
    top_ctx *c = p;
    char id[24], pages[24], added[24], dup[24], errs[24];
    snprintf(id, sizeof id, "%lld", (long long) r->id);
    snprintf(pages, sizeof pages, "%llu", (unsigned long long) r->pages);
    snprintf(added, sizeof added, "%llu", (unsigned long long) (r->added + r->related));
    snprintf(dup, sizeof dup, "%llu", (unsigned long long) r->duplicates);
    snprintf(errs, sizeof errs, "%llu", (unsigned long long) r->errors);
    if (c->j) {
        nd_json_obj_begin(c->j);
        nd_json_key(c->j, "run");
        nd_json_int(c->j, r->id);
        nd_json_key(c->j, "started");
        nd_json_str(c->j, r->started);
        nd_json_key(c->j, "finished");
        nd_json_str(c->j, r->finished);
        nd_json_key(c->j, "status");
        nd_json_str(c->j, r->status);
        nd_json_key(c->j, "inputs");
        nd_json_raw(c->j, r->inputs ? r->inputs : "[]", strlen(r->inputs ? r->inputs : "[]"));
        nd_json_key(c->j, "pages");
        nd_json_int(c->j, (long long) r->pages);
        nd_json_key(c->j, "added");
        nd_json_int(c->j, (long long) r->added);
        nd_json_key(c->j, "related");
        nd_json_int(c->j, (long long) r->related);
        nd_json_key(c->j, "duplicates");
        nd_json_int(c->j, (long long) r->duplicates);
        nd_json_key(c->j, "skipped");
        nd_json_int(c->j, (long long) r->skipped);
        nd_json_key(c->j, "errors");
        nd_json_int(c->j, (long long) r->errors);
        nd_json_obj_end(c->j);
        return 0;
    }
    const char *status = r->status ? r->status : "";
    if (!strcmp(status, "running")) status = "running/killed";
    const char *cells[] = {id,   r->started ? r->started : "", status, pages, added, dup,
                           errs, r->inputs ? r->inputs : ""};
    cli_table_add(c->t, cells, NULL);
    return 0;
}

static void kv(cli_table *t, const char *k, unsigned long long v)
{
    char num[32];
    snprintf(num, sizeof num, "%llu", v);
    const char *cells[] = {k, num};
    cli_table_add(t, cells, NULL);
}

int cmd_stats(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'D'},
                                             {"json", no_argument, NULL, 'J'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'J': json = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    const char *path = cli_db_path(db);
    nd_store *s = cli_open_store(path, 0);
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_store_stats st;
    nd_error err = {0};
    int rc = nd_store_get_stats(s, &st, &err);
    if (rc) {
        nd_store_close(s);
        cli_error("stats", "%s", err.msg);
        return ND_EXIT_SOME_FAILED;
    }
    int width = cli_term_width();
    if (json) {
        nd_buf out = ND_BUF_INIT;
        nd_json j;
        nd_json_init(&j, &out, 1);
        nd_json_obj_begin(&j);
        nd_json_key(&j, "database");
        nd_json_str(&j, path);
        nd_json_key(&j, "schema");
        nd_json_int(&j, st.schema);
#define ND__STATKEY(k)                                                                             \
    nd_json_key(&j, #k);                                                                           \
    nd_json_int(&j, (long long) st.k);
        ND__STATKEY(documents)
        ND__STATKEY(pages)
        ND__STATKEY(versions)
        ND__STATKEY(related_docs)
        ND__STATKEY(related_links)
        ND__STATKEY(paragraphs)
        ND__STATKEY(raw_pages)
        ND__STATKEY(runs)
        ND__STATKEY(errors)
        ND__STATKEY(text_bytes)
        ND__STATKEY(file_bytes)
#undef ND__STATKEY
        nd_json_key(&j, "first_published");
        nd_json_str(&j, st.first_published[0] ? st.first_published : NULL);
        nd_json_key(&j, "last_published");
        nd_json_str(&j, st.last_published[0] ? st.last_published : NULL);
        top_ctx tc = {NULL, &j};
        static const char *const fields[] = {"site", "host", "language"};
        for (int i = 0; i < 3; i++) {
            nd_json_key(&j, fields[i]);
            nd_json_arr_begin(&j);
            nd_store_top(s, fields[i], 10, on_top, &tc, NULL);
            nd_json_arr_end(&j);
        }
        nd_json_key(&j, "runs");
        nd_json_arr_begin(&j);
        nd_store_runs(s, 5, on_run, &tc, NULL);
        nd_json_arr_end(&j);
        nd_json_obj_end(&j);
        nd_buf_putc(&out, '\n');
        if (!nd_buf_failed(&out)) cli_write(out.ptr, out.len);
        nd_buf_free(&out);
        nd_store_close(s);
        return ND_EXIT_OK;
    }
    static const char *const h2[] = {"STORE", ""};
    cli_table *t = cli_table_new(2, h2);
    cli_table_right(t, 1);
    const char *cells[] = {"database", path};
    cli_table_add(t, cells, NULL);
    kv(t, "schema version", (unsigned long long) st.schema);
    kv(t, "documents", st.documents);
    kv(t, "  pages", st.pages);
    kv(t, "  newer versions", st.versions);
    kv(t, "  related articles", st.related_docs);
    kv(t, "related items", st.related_links);
    kv(t, "paragraphs", st.paragraphs);
    kv(t, "raw pages seen", st.raw_pages);
    kv(t, "ingest runs", st.runs);
    kv(t, "errors recorded", st.errors);
    kv(t, "text MB", (st.text_bytes + 500000) / 1000000);
    kv(t, "file MB", (st.file_bytes + 500000) / 1000000);
    if (st.first_published[0]) {
        const char *c1[] = {"published from", st.first_published};
        cli_table_add(t, c1, NULL);
        const char *c2[] = {"published to", st.last_published};
        cli_table_add(t, c2, NULL);
    }
    cli_table_print(t, stdout, width);
    cli_table_free(t);

    static const char *const fields[] = {"site", "language"};
    static const char *const heads[] = {"SITE", "LANGUAGE"};
    for (int i = 0; i < 2; i++) {
        const char *h[] = {heads[i], "DOCUMENTS"};
        top_ctx tc = {cli_table_new(2, h), NULL};
        cli_table_right(tc.t, 1);
        cli_table_flex(tc.t, 0);
        nd_store_top(s, fields[i], 10, on_top, &tc, NULL);
        fputc('\n', stdout);
        cli_table_print(tc.t, stdout, width);
        cli_table_free(tc.t);
    }
    static const char *const rh[] = {"RUN",   "STARTED",    "STATUS", "PAGES",
                                     "ADDED", "DUPLICATES", "ERRORS", "INPUTS"};
    top_ctx tc = {cli_table_new(8, rh), NULL};
    for (int i = 0; i < 7; i++)
        if (i != 1 && i != 2) cli_table_right(tc.t, i);
    cli_table_flex(tc.t, 7);
    nd_store_runs(s, 5, on_run, &tc, NULL);
    fputc('\n', stdout);
    cli_table_print(tc.t, stdout, width);
    cli_table_free(tc.t);
    nd_store_close(s);
    return ND_EXIT_OK;
}
