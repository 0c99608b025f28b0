/* cmd_show.c - `newsdesk show ID`: one stored document. */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk show [OPTIONS] ID\n"
    "\n"
    "Print one stored document: its fields, related items and text.  ID is\n"
    "the numeric id (as search shows it) or the external id (JSONL \"id\").\n"
    "\n"
    "      --db PATH  the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "      --json     the document as one JSON object (as export writes it)\n"
    "  -h, --help     this text\n"
    "\n"
    "Exit status: 0 shown, 1 no such document, 2 usage error.\n";

static void field(nd_buf *b, const char *name, const char *value)
{
    if (value && *value) nd_buf_printf(b, "%-10s %s\n", name, value);
}

/* The document for people: fields, analysis, related items, text. */
static void render(nd_buf *out, const nd_article_page *p)
{
    const nd_store_doc *d = p->doc;
    char tmp[1100];
    if (d->ext_id)
        snprintf(tmp, sizeof tmp, "%lld (external id %s)", (long long) d->id, d->ext_id);
    else
        snprintf(tmp, sizeof tmp, "%lld", (long long) d->id);
    field(out, "id", tmp);
    field(out, "title", d->title);
    field(out, "url", d->url);
    field(out, "site", d->site);
    if (d->n_authors) {
        nd_buf a = ND_BUF_INIT;
        for (size_t i = 0; i < d->n_authors; i++)
            nd_buf_printf(&a, "%s%s", i ? ", " : "", d->authors[i]);
        field(out, "author", a.ptr);
        nd_buf_free(&a);
    }
    field(out, "published", d->published);
    field(out, "fetched", d->fetched);
    field(out, "language", d->language);
    field(out, "credit", d->credit);
    cli_where(tmp, sizeof tmp, d->origin.source, d->origin.offset, d->origin.line);
    field(out, "source", tmp);
    if (d->n_versions > 1) {
        snprintf(tmp, sizeof tmp, "%d of %d", d->version, d->n_versions);
        field(out, "version", tmp);
    }
    if (d->parent_id) {
        snprintf(tmp, sizeof tmp, "embedded in document %lld", (long long) d->parent_id);
        field(out, "parent", tmp);
    }
    snprintf(tmp, sizeof tmp, "%s (run %lld)", d->added ? d->added : "?", (long long) d->run_id);
    field(out, "added", tmp);
    if (d->story_id && p->story) {
        char arts[64], outs[64];
        snprintf(tmp, sizeof tmp, "%lld: %s (%s, %s)", (long long) d->story_id,
                 p->story->headline ? p->story->headline : "(untitled)",
                 cli_count(arts, p->story->n_docs, "article", "articles"),
                 cli_count(outs, p->story->n_sites, "outlet", "outlets"));
        field(out, "story", tmp);
    } else if (d->story_id) {
        snprintf(tmp, sizeof tmp, "%lld", (long long) d->story_id);
        field(out, "story", tmp);
    }
    if (d->dup_of) {
        snprintf(tmp, sizeof tmp, "duplicate of document %lld", (long long) d->dup_of);
        field(out, "dup_of", tmp);
    }
    if (d->analysis) cli_analysis_summary(out, d->analysis);
    for (size_t i = 0; i < d->n_related; i++) {
        const nd_store_related *r = &d->related[i];
        nd_buf_printf(out, "%-10s %s", i ? "" : "related", r->title ? r->title : "(untitled)");
        if (r->site || r->age)
            nd_buf_printf(out, " (%s%s%s)", r->site ? r->site : "", r->site && r->age ? ", " : "",
                          r->age ? r->age : "");
        if (r->doc_id) nd_buf_printf(out, " -> document %lld", (long long) r->doc_id);
        nd_buf_putc(out, '\n');
    }
    nd_buf_putc(out, '\n');
    for (size_t i = 0; i < d->n_paragraphs; i++) {
        if (i) nd_buf_putc(out, '\n');
        nd_buf_append(out, d->paragraphs[i].ptr, d->paragraphs[i].len);
        nd_buf_putc(out, '\n');
    }
    if (d->n_paragraphs == 0 && d->text_len) {
        nd_buf_append(out, d->text, d->text_len);
        nd_buf_putc(out, '\n');
    }
}

int cmd_show(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_DB, CLI_OPT_JSON, CLI_OPT_HELP, CLI_OPT_END};
    int id;
    cli_args a;
    cli_args_init(&a, "show", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) continue;
    if (id < 0 || cli_args_count(&a, 1, 1, "ID (a number as search shows it, or an external id)"))
        return cli_args_exit(&a);
    char docid[512];
    snprintf(docid, sizeof docid, "%s", a.pos[0]);
    cli_args_free(&a);
    nd_store *s = cli_open_read(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_article_page *p = NULL;
    nd_error err = {0};
    int rc = nd_query_article(s, docid, &p, &err);
    nd_store_close(s);
    if (rc) {
        cli_error("show", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return ND_EXIT_SOME_FAILED;
    }
    if (a.json) {
        CLI_JSON_PRINT(nd_render_json_document, p->doc);
        nd_result_free(p);
        return ND_EXIT_OK;
    }
    nd_buf out = ND_BUF_INIT;
    render(&out, p);
    nd_result_free(p);
    int failed = nd_buf_failed(&out);
    if (failed)
        cli_error("show", "out of memory");
    else
        cli_write_term(out.ptr, out.len);
    nd_buf_free(&out);
    return failed ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
