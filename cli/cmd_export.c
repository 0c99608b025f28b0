/* cmd_export.c - `newsdesk export`: every stored document as JSON lines. */
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk export [OPTIONS]\n"
    "\n"
    "Every stored document (every version, and the related articles made\n"
    "documents), one JSON object a line, in the order they were stored:\n"
    "id (the external id when there is one, else the numeric id), doc_id,\n"
    "ext_id, url, host, site, title, author, published, fetched, language,\n"
    "credit, text, paragraphs, source, offset, line, version, versions,\n"
    "parent, content_hash, raw_hash, run, added, related, story (its story id;\n"
    "null while not clustered), dup_of (the document it duplicates, or null),\n"
    "actors, quotes, events (as newsdesk analyze prints them; null when the\n"
    "document was never analysed: newsdesk reanalyze).\n"
    "\n"
    "      --db PATH       the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -f, --format FMT    jsonl (the default and only format)\n"
    "  -h, --help          this text\n";

int cmd_export(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_DB, {"format", 'f', 1, 'f'}, CLI_OPT_HELP, CLI_OPT_END};
    int id;
    cli_args a;
    cli_args_init(&a, "export", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0)
        if (strcmp(a.value, "jsonl") != 0)
            return cli_args_fail(&a, "unknown format '%s' (jsonl)", a.value);
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    nd_store *s = cli_open_read(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    /* Pages of documents: memory holds a page, whatever the store's size. */
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    q.limit = 64;
    nd_buf out = ND_BUF_INIT;
    nd_error err = {0};
    cli_pager pg = {0, 0, NULL};
    int rc, closed = 0;
    do {
        nd_document_list *r = NULL;
        rc = nd_query_documents(s, &q, &r, &err);
        cli_pager_took(&pg, r, r ? r->n : 0);
        if (rc) break;
        for (size_t i = 0; i < r->n && !closed; i++) {
            nd_json j;
            nd_json_init(&j, &out, 0);
            nd_render_json_document(&j, r->items[i]);
            nd_buf_putc(&out, '\n');
            closed = cli_flush(&out, 0) != 0;
        }
        q.cursor = r->r.next;
    } while (q.cursor && !closed);
    cli_pager_end(&pg);
    nd_store_close(s);
    /* what was read before an error is written (a damaged store's export
     * keeps the documents up to the damage) */
    if (!closed && cli_flush(&out, 1)) closed = 1;
    if (nd_buf_failed(&out)) {
        nd_buf_free(&out);
        cli_error("export", "out of memory");
        return ND_EXIT_SOME_FAILED;
    }
    nd_buf_free(&out);
    if (rc) return cli_query_error("export", rc, &err);
    return ND_EXIT_OK;
}
