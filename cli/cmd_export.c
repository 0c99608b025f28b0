/* cmd_export.c - `newsdesk export`: every stored document as JSON lines. */
#include <getopt.h>
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

typedef struct ctx {
    nd_buf out;
    int failed;
    nd_store *store;
} ctx;

static int on_doc(void *p, const nd_store_doc *d)
{
    ctx *c = p;
    nd_json j;
    nd_json_init(&j, &c->out, 0);
    /* The analysis goes into the document's arena (a shallow copy: the
     * iterator frees the arena). */
    nd_store_doc full = *d;
    nd_error err = {0};
    if (nd_store_load_analysis(c->store, &full, &err)) {
        cli_error("export", "document %lld: %s", (long long) d->id, err.msg);
        full.analysis = NULL;
    }
    cli_doc_json(&j, &full);
    nd_buf_putc(&c->out, '\n');
    if (nd_buf_failed(&c->out)) {
        c->failed = 1;
        return 1;
    }
    /* Write in chunks of about 1 MB. */
    if (c->out.len > (1u << 20)) {
        if (cli_write(c->out.ptr, c->out.len)) return c->failed = 2;
        nd_buf_clear(&c->out);
    }
    return 0;
}

int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'D'},
                                             {"format", required_argument, NULL, 'f'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'f':
            if (strcmp(optarg, "jsonl") != 0)
                return cli_usage_error("export: unknown format '%s' (jsonl)", optarg);
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    nd_store *s = cli_open_store(cli_db_path(db), 0);
    if (!s) return ND_EXIT_SOME_FAILED;
    ctx cx = {ND_BUF_INIT, 0, s};
    nd_error err = {0};
    int rc = nd_store_each(s, on_doc, &cx, &err);
    nd_store_close(s);
    if (!cx.failed && cx.out.len) cli_write(cx.out.ptr, cx.out.len);
    nd_buf_free(&cx.out);
    if (cx.failed == 1) {
        cli_error("export", "out of memory");
        return ND_EXIT_SOME_FAILED;
    }
    if (rc < 0) {
        cli_error("export", "%s", err.msg);
        return ND_EXIT_SOME_FAILED;
    }
    return ND_EXIT_OK;
}
