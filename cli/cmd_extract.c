/* cmd_extract.c - `newsdesk extract`: pages in, articles out (stateless). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk extract [OPTIONS] FILE... | -\n"
    "\n"
    "Read news pages (HTML or flattened text, any encoding, maybe gzip) and\n"
    "print the article of each: title, author, published, site, credit,\n"
    "language, text, paragraphs, related items and warnings; in JSON also\n"
    "the actors, attributed quotations and CAMEO events of the text (as\n"
    "newsdesk analyze prints them; byte offsets into \"text\").\n"
    "\n"
    "  -f, --format FMT   json (default; one object, or one per line with\n"
    "                     several inputs), jsonl, text, markdown\n"
    "  -u, --url URL      the page's URL (with one input)\n"
    "      --fetched TIME when the page was fetched (ISO 8601 or @epoch):\n"
    "                     resolves ages such as \"2 hours ago\"\n"
    "      --no-furniture with several inputs, do not use lines that recur\n"
    "                     across them as a boilerplate signal\n"
    "      --max-bytes N  largest page accepted (default 64 MiB)\n"
    "      --explain      print the page's blocks with their features and\n"
    "                     labels instead of the article (for tuning)\n"
    "      --no-analysis  JSON without the \"actors\", \"quotes\" and \"events\"\n"
    "                     arrays (newsdesk analyze; offsets into \"text\")\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 every input gave an article, 1 some did not (one line\n"
    "each on stderr: newsdesk: PATH: reason), 2 usage error.\n";

enum fmt { FMT_JSON, FMT_JSONL, FMT_TEXT, FMT_MARKDOWN };

/* The analyses of a page: its article's, and one per related item (NULL
 * for teasers and for texts that could not be analysed). */
typedef struct page_analysis {
    nd_analysis *article;
    nd_analysis **related;
    size_t n_related;
} page_analysis;

/* The analysis's three arrays, written before the article object closes
 * (empty arrays when the analysis failed). */
static void analysis_keys(void *ctx, nd_json *j)
{
    const page_analysis *pa = ctx;
    nd_analysis_to_json(pa->article, j);
}

/* The same three arrays in each embedded article's object: offsets are
 * bytes into that item's "text". */
static void related_analysis_keys(void *ctx, size_t i, nd_json *j)
{
    const page_analysis *pa = ctx;
    if (i < pa->n_related && pa->related[i]) nd_analysis_to_json(pa->related[i], j);
}

static int english(const char *lang)
{
    return !lang || !*lang || !strcmp(lang, "en");
}

/* The analysis of a text with its date, title and language.  The rules are
 * English: a text in another language gets an empty analysis, as ingest
 * gives it. */
static int analyze_text(const char *text, const char *date, const char *title, const char *lang,
                        nd_analysis **out, nd_error *err)
{
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.date = date;
    o.title = title;
    o.language = lang;
    size_t len = text && english(lang) ? strlen(text) : 0;
    return nd_analyze(len ? text : "", len, &o, out, err);
}

/* The article's analysis (dated by its published time) and that of every
 * embedded article with a text of its own (the documents ingest makes of
 * them; dated by their own time, language detected on their text). */
static int analyze_page(const nd_article *a, page_analysis *pa, nd_error *err)
{
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.date = a->published;
    o.title = a->title;
    o.language = a->language;
    size_t len = a->text && english(a->language) ? a->text_len : 0;
    int rc = nd_analyze(len ? a->text : "", len, &o, &pa->article, err);
    if (rc || !a->n_related) return rc;
    pa->related = calloc(a->n_related, sizeof *pa->related);
    if (!pa->related) return ND_ENOMEM;
    pa->n_related = a->n_related;
    for (size_t i = 0; i < a->n_related; i++) {
        const nd_related *r = &a->related[i];
        if (!nd_related_is_article(r)) continue;
        rc = analyze_text(r->text, r->published, r->title,
                          nd_lang_detect(r->text, strlen(r->text)), &pa->related[i], err);
        if (rc) return rc;
    }
    return 0;
}

static void page_analysis_free(page_analysis *pa)
{
    nd_analysis_free(pa->article);
    for (size_t i = 0; i < pa->n_related; i++) nd_analysis_free(pa->related[i]);
    free(pa->related);
    memset(pa, 0, sizeof *pa);
}

/* Why a file cannot be read, as ingest says it. */
static int file_failed(const char *path, int e)
{
    if (e == -EISDIR)
        cli_error(path, "is a folder (newsdesk ingest reads folders)");
    else
        cli_error(path, "%s", cli_file_error(path, e));
    return 1;
}

int cmd_extract(int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"format", 'f', 1, 'f'},     {"url", 'u', 1, 'u'},       {"fetched", 0, 1, 'F'},
        {"no-furniture", 0, 0, 'N'}, {"max-bytes", 0, 1, 'M'},   CLI_OPT_HELP,
        {"explain", 0, 0, 'E'},      {"no-analysis", 0, 0, 'A'}, CLI_OPT_END};
    static const struct {
        const char *name;
        enum fmt fmt;
    } formats[] = {{"json", FMT_JSON},
                   {"jsonl", FMT_JSONL},
                   {"text", FMT_TEXT},
                   {"markdown", FMT_MARKDOWN},
                   {"md", FMT_MARKDOWN}};
    enum fmt fmt = FMT_JSON;
    const char *url = NULL;
    long long fetched = ND_TIME_NONE;
    int furniture = 1, explain = 0, analysis = 1;
    size_t max_bytes = ND_DECODE_MAX_BYTES;
    int id;
    cli_args args;
    cli_args_init(&args, "extract", usage_text, opts, argc, argv);
    while ((id = cli_next(&args)) > 0) {
        switch (id) {
        case 'f': {
            size_t k = 0;
            while (k < sizeof formats / sizeof *formats && strcmp(args.value, formats[k].name)) k++;
            if (k == sizeof formats / sizeof *formats)
                return cli_args_fail(&args, "unknown format '%s' (json, jsonl, text, markdown)",
                                     args.value);
            fmt = formats[k].fmt;
            break;
        }
        case 'u': url = args.value; break;
        case 'F':
            if (cli_parse_time(args.value, &fetched))
                return cli_args_fail(&args, "--fetched: cannot read time '%s'", args.value);
            break;
        case 'N': furniture = 0; break;
        case 'E': explain = 1; break;
        case 'A': analysis = 0; break;
        case 'M': {
            char *end;
            unsigned long long v = strtoull(args.value, &end, 10);
            if (*end || v == 0)
                return cli_args_fail(&args, "--max-bytes: not a size: '%s'", args.value);
            max_bytes = (size_t) v;
            break;
        }
        }
    }
    if (id < 0 || cli_args_count(&args, 1, -1, "FILE (a page, or - for stdin)"))
        return cli_args_exit(&args);
    int n_in = args.n_pos;
    char **in = args.pos;
    int n_stdin = 0;
    for (int i = 0; i < n_in; i++) n_stdin += !strcmp(in[i], "-");
    if ((url && n_in > 1) || n_stdin > 1)
        return cli_args_fail(&args, "%s",
                             url && n_in > 1 ? "--url needs exactly one input"
                                             : "'-' (stdin) given more than once");
    if (fmt == FMT_JSON && n_in > 1) fmt = FMT_JSONL;
    if (fmt == FMT_TEXT || fmt == FMT_MARKDOWN || explain) analysis = 0;
    nd_error derr = {0};
    if (analysis && !nd_analyze_dict_default(&derr)) {
        cli_error("dictionaries", "%s", derr.msg);
        cli_args_free(&args);
        return ND_EXIT_SOME_FAILED;
    }

    /* With several inputs, a first pass counts the lines/blocks that recur
     * across pages (site furniture).  stdin cannot be read twice. */
    nd_furniture *furn = NULL;
    if (furniture && n_in > 1 && n_stdin == 0) {
        furn = nd_furniture_new();
        for (int i = 0; furn && i < n_in; i++) {
            char *data;
            size_t len;
            if (cli_read_file(in[i], max_bytes, &data, &len)) continue;
            nd_extract_opts o;
            nd_extract_opts_init(&o);
            o.max_bytes = max_bytes;
            nd_furniture_add(furn, data, len, &o);
            free(data);
        }
    }

    int failed = 0;
    nd_buf out = ND_BUF_INIT;
    for (int i = 0; i < n_in; i++) {
        const char *path = in[i];
        char *data;
        size_t len;
        int rc = cli_read_file(path, max_bytes, &data, &len);
        if (rc) {
            failed += file_failed(path, rc);
            continue;
        }
        if (len == 0 && strcmp(path, "-") != 0) {
            /* Said as ingest says it. */
            cli_error(path, "empty file");
            free(data);
            failed++;
            continue;
        }
        nd_extract_opts o;
        nd_extract_opts_init(&o);
        o.source = path;
        o.url = url;
        o.fetched = fetched;
        o.max_bytes = max_bytes;
        o.furniture = furn;
        o.keep_empty = 1; /* a page without text still shows its metadata */
        if (explain) {
            nd_buf_clear(&out);
            nd_buf_printf(&out, "==> %s <==\n", path);
            rc = nd_extract_explain(data, len, &o, &out);
            free(data);
            if (rc) cli_error(path, "%s", nd_strerror(rc)), failed++;
            cli_write_term(out.ptr, out.len);
            continue;
        }
        nd_article *a = NULL;
        nd_error err = {0};
        rc = nd_extract(data, len, &o, &a, &err);
        free(data);
        if (rc) {
            cli_error(path, "%s", err.msg[0] ? err.msg : nd_strerror(rc));
            failed++;
            if (!a) continue;
        }
        nd_buf_clear(&out);
        page_analysis an = {0};
        if (analysis && !rc && analyze_page(a, &an, &err)) {
            cli_error(path, "analysis: %s", err.msg[0] ? err.msg : "failed");
            failed++;
        }
        switch (fmt) {
        case FMT_JSON:
        case FMT_JSONL:
            if (analysis) {
                nd_article_json_hooks h = {analysis_keys, related_analysis_keys, &an};
                nd_article_to_json_hooks(a, &out, fmt == FMT_JSON, &h);
            } else
                nd_article_to_json(a, &out, fmt == FMT_JSON);
            nd_buf_putc(&out, '\n');
            break;
        case FMT_TEXT:
            if (n_in > 1) nd_buf_printf(&out, "==> %s <==\n", path);
            nd_article_to_text(a, &out);
            if (n_in > 1 && i + 1 < n_in) nd_buf_putc(&out, '\n');
            break;
        case FMT_MARKDOWN:
            nd_article_to_markdown(a, &out);
            if (i + 1 < n_in) nd_buf_puts(&out, "\n---\n\n");
            break;
        }
        page_analysis_free(&an);
        nd_article_free(a);
        if (nd_buf_failed(&out)) {
            cli_error(path, "out of memory");
            failed++;
            nd_buf_free(&out);
            continue;
        }
        /* Text and Markdown are for people: made safe for a terminal. */
        if (fmt == FMT_TEXT || fmt == FMT_MARKDOWN ? cli_write_term(out.ptr, out.len)
                                                   : cli_write(out.ptr, out.len)) {
            /* stdout closed (e.g. piped into head): stop quietly. */
            nd_buf_free(&out);
            nd_furniture_free(furn);
            cli_args_free(&args);
            return failed ? ND_EXIT_SOME_FAILED : 0;
        }
    }
    nd_buf_free(&out);
    nd_furniture_free(furn);
    cli_args_free(&args);
    return failed ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
