/* cmd_extract.c - `newsdesk extract`: pages in, articles out (stateless). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk extract [OPTIONS] FILE|FOLDER... | -\n"
    "\n"
    "Read news pages (HTML or flattened text, any encoding, maybe gzip) and\n"
    "print the article of each: title, author, published, site, credit,\n"
    "language, text, paragraphs, related items and warnings; in JSON also\n"
    "the actors, attributed quotations and CAMEO events of the text (as\n"
    "newsdesk analyze prints them; byte offsets into \"text\").\n"
    "A WARC file or a JSON-lines feed gives one article per page record, as\n"
    "ingest reads it (\"source\" is PATH@OFFSET or PATH:LINE). A folder\n"
    "gives every page, WARC file and feed in it, as ingest reads folders\n"
    "(recursively, names in byte order; READMEs, images and styles skipped).\n"
    "\n"
    "  -f, --format FMT   json (default; one object, or one per line with\n"
    "                     several inputs), jsonl, text, markdown\n"
    "  -u, --url URL      the page's URL (with one input)\n"
    "      --fetched TIME when the page was fetched (ISO 8601 or @epoch):\n"
    "                     resolves ages such as \"2 hours ago\"\n"
    "      --no-furniture with several inputs, do not use lines that recur\n"
    "                     across them as a boilerplate signal\n"
    "      --max-bytes N  largest page accepted (default 64 MiB)\n"
    "  -L, --follow-symlinks  read what symbolic links inside folders point to\n"
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
        rc = analyze_text(r->text, r->published, r->title, nd_lang_detect(r->text, strlen(r->text)),
                          &pa->related[i], err);
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
    cli_error(path, "%s", cli_file_error(path, e));
    return 1;
}

/* What the command was asked, and what it has written so far. */
typedef struct run {
    enum fmt fmt;
    int analysis, explain;
    int follow;   /* -L: symbolic links in folders are read */
    int multi;    /* several pages out: headers and separators */
    size_t n_out; /* pages written */
    int failed;   /* pages that failed */
    int stop;     /* stdout closed */
    nd_buf out;
} run;

/* Write what is in r->out (text and Markdown are for people: made safe for
 * a terminal).  A closed stdout (piped into head) stops the run quietly. */
static void flush(run *r, const char *label)
{
    if (nd_buf_failed(&r->out)) {
        cli_error(label, "out of memory");
        r->failed++;
    } else if (r->fmt == FMT_TEXT || r->fmt == FMT_MARKDOWN || r->explain
                   ? cli_write_term(r->out.ptr, r->out.len)
                   : cli_write(r->out.ptr, r->out.len))
        r->stop = 1;
    nd_buf_free(&r->out);
}

/* One page's article (or its blocks with --explain), written in r's
 * format.  label names the page in errors and headers; doc is the
 * reader's document for a WARC record or JSON line (its URL, fetch time,
 * charset and hints), or NULL for a page file. */
static void one_page(run *r, const char *label, const nd_doc *doc, const char *data, size_t len,
                     const nd_extract_opts *base)
{
    nd_extract_opts o = *base;
    o.source = label;
    nd_buf_clear(&r->out);
    if (r->explain) {
        if (doc) nd_doc_extract_opts(doc, &o);
        nd_buf_printf(&r->out, "==> %s <==\n", label);
        int rc = nd_extract_explain(data, len, &o, &r->out);
        if (rc) cli_error(label, "%s", nd_strerror(rc)), r->failed++;
        flush(r, label);
        return;
    }
    nd_article *a = NULL;
    nd_error err = {0};
    int rc = doc ? nd_extract_doc(doc, &o, &a, &err) : nd_extract(data, len, &o, &a, &err);
    if (rc) {
        cli_error(label, "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        r->failed++;
        if (!a) return;
    }
    /* A feed's title and publication time are the page's, as ingest
     * stores them. */
    if (doc && doc->title && *doc->title) a->title = doc->title;
    if (doc && doc->published && *doc->published) {
        int64_t ts;
        int has_time;
        a->published = doc->published;
        a->published_ts = nd_time_parse(doc->published, strlen(doc->published), &ts, &has_time) == 0
                              ? ts
                              : ND_TIME_NONE;
    }
    page_analysis an = {0};
    if (r->analysis && !rc && analyze_page(a, &an, &err)) {
        cli_error(label, "analysis: %s", err.msg[0] ? err.msg : "failed");
        r->failed++;
    }
    switch (r->fmt) {
    case FMT_JSON:
    case FMT_JSONL:
        if (r->analysis) {
            nd_article_json_hooks h = {analysis_keys, related_analysis_keys, &an};
            nd_article_to_json_hooks(a, &r->out, r->fmt == FMT_JSON, &h);
        } else
            nd_article_to_json(a, &r->out, r->fmt == FMT_JSON);
        nd_buf_putc(&r->out, '\n');
        break;
    case FMT_TEXT:
        if (r->multi) nd_buf_printf(&r->out, "%s==> %s <==\n", r->n_out ? "\n" : "", label);
        nd_article_to_text(a, &r->out);
        break;
    case FMT_MARKDOWN:
        if (r->n_out) nd_buf_puts(&r->out, "\n---\n\n");
        nd_article_to_markdown(a, &r->out);
        break;
    }
    page_analysis_free(&an);
    nd_article_free(a);
    r->n_out++;
    flush(r, label);
}

/* Every page of a WARC file or a JSON-lines feed, one article each (the
 * reader's records, as ingest takes them).  rd is consumed. */
static int is_folder(const char *path);

static void each_record(run *r, nd_reader *rd, const char *path, const nd_extract_opts *base)
{
    if (!rd) {
        cli_error(path, "out of memory");
        r->failed++;
        return;
    }
    nd_doc d;
    nd_error err = {0};
    int rc;
    uint64_t seen = 0;
    while (!r->stop && (rc = nd_reader_next(rd, &d, &err)) != 0) {
        seen++;
        if (rc < 0) {
            /* The reader's message names the file and the record. */
            cli_error(NULL, "%s", err.msg[0] ? err.msg : nd_strerror(rc));
            r->failed++;
            /* The reader goes on after one bad file or record (a folder's
             * unreadable file stops nothing else). */
            if (rc == ND_ENOMEM) break;
            continue;
        }
        char label[1024];
        nd_doc_where(&d, label, sizeof label);
        if (d.warning) cli_error(NULL, "warning: %s", d.warning);
        one_page(r, label, &d, d.data, d.len, base);
    }
    /* A folder that gave nothing is a failed input, and says why. */
    const nd_reader_stats *st = nd_reader_get_stats(rd);
    if (!seen && !r->stop && is_folder(path)) {
        char links[64];
        if (st->links_skipped)
            cli_error(path,
                      r->follow ? "no pages found (%s leading nowhere)"
                                : "no pages found (%s not followed: -L follows them)",
                      cli_count(links, st->links_skipped, "symbolic link", "symbolic links"));
        else
            cli_error(path, "no pages found%s",
                      st->skipped_files ? " (the files there are not pages by their names)" : "");
        r->failed++;
    }
    nd_reader_free(rd);
}

/* The format of the file at path from its first bytes and its name: a
 * WARC file or a JSON-lines feed is read record by record.  Unreadable
 * files are pages here (reading them says why). */
static nd_format file_format(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ND_FMT_PAGE;
    struct stat st;
    char head[65536];
    ssize_t n = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        do n = read(fd, head, sizeof head);
        while (n < 0 && errno == EINTR);
    }
    close(fd);
    return n > 0 ? nd_input_format(path, head, (size_t) n) : ND_FMT_PAGE;
}

/* A folder is read as ingest reads it: every page, WARC file and feed in
 * it, recursively, in byte order of the names (nd_reader_new). */
#define FMT_FOLDER (-1) /* beside the nd_format values */

static int is_folder(const char *path)
{
    struct stat st;
    return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_records(int f)
{
    return f == ND_FMT_WARC || f == ND_FMT_JSONL || f == FMT_FOLDER;
}

/* The pages of a folder into the furniture counts (its WARC records and
 * feed lines are not: as for those given by name). */
static void folder_furniture(nd_furniture *furn, const char *path, const nd_reader_opts *ro,
                             const nd_extract_opts *o)
{
    nd_reader *rd = nd_reader_new(&path, 1, ro);
    nd_doc d;
    nd_error err;
    int rc;
    while (rd && (rc = nd_reader_next(rd, &d, &err)) != 0)
        if (rc > 0 && d.format == ND_FMT_PAGE) nd_furniture_add(furn, d.data, d.len, o);
    nd_reader_free(rd);
}

int cmd_extract(int argc, char **argv)
{
    static const cli_opt opts[] = {{"format", 'f', 1, 'f'},          {"url", 'u', 1, 'u'},
                                   {"fetched", 0, 1, 'F'},           {"no-furniture", 0, 0, 'N'},
                                   {"max-bytes", 0, 1, 'M'},         CLI_OPT_HELP,
                                   {"explain", 0, 0, 'E'},           {"no-analysis", 0, 0, 'A'},
                                   {"follow-symlinks", 'L', 0, 'L'}, CLI_OPT_END};
    static const struct {
        const char *name;
        enum fmt fmt;
    } formats[] = {{"json", FMT_JSON},
                   {"jsonl", FMT_JSONL},
                   {"text", FMT_TEXT},
                   {"markdown", FMT_MARKDOWN},
                   {"md", FMT_MARKDOWN}};
    run r = {.fmt = FMT_JSON, .analysis = 1, .out = ND_BUF_INIT};
    const char *url = NULL;
    long long fetched = ND_TIME_NONE;
    int furniture = 1;
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
            r.fmt = formats[k].fmt;
            break;
        }
        case 'u': url = args.value; break;
        case 'F':
            if (cli_parse_time(args.value, &fetched))
                return cli_args_fail(&args, "--fetched: cannot read time '%s'", args.value);
            break;
        case 'N': furniture = 0; break;
        case 'E': r.explain = 1; break;
        case 'A': r.analysis = 0; break;
        case 'L': r.follow = 1; break;
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
    /* WARC files and JSON-lines feeds hold many pages: read record by
     * record (stdin: known once read). */
    int *kinds = calloc((size_t) (n_in > 0 ? n_in : 1), sizeof *kinds);
    if (!kinds) {
        cli_error("extract", "out of memory");
        cli_args_free(&args);
        return ND_EXIT_SOME_FAILED;
    }
    int n_records = 0;
    for (int i = 0; i < n_in; i++) {
        if (is_folder(in[i]))
            kinds[i] = FMT_FOLDER;
        else
            kinds[i] = (int) (strcmp(in[i], "-") ? file_format(in[i]) : ND_FMT_PAGE);
        n_records += is_records(kinds[i]);
    }
    r.multi = n_in > 1 || n_records > 0;
    if (r.fmt == FMT_JSON && r.multi) r.fmt = FMT_JSONL;
    if (r.fmt == FMT_TEXT || r.fmt == FMT_MARKDOWN || r.explain) r.analysis = 0;
    nd_error derr = {0};
    if (r.analysis && !nd_analyze_dict_default(&derr)) {
        cli_error("dictionaries", "%s", derr.msg);
        free(kinds);
        cli_args_free(&args);
        return ND_EXIT_SOME_FAILED;
    }

    /* With several page files, a first pass counts the lines/blocks that
     * recur across them (site furniture).  stdin cannot be read twice. */
    nd_reader_opts ro = {.max_record = max_bytes, .follow_symlinks = r.follow};
    nd_furniture *furn = NULL;
    int n_folders = 0;
    for (int i = 0; i < n_in; i++) n_folders += kinds[i] == FMT_FOLDER;
    if (furniture && (n_in > 1 || n_folders) && n_stdin == 0) {
        furn = nd_furniture_new();
        nd_extract_opts o;
        nd_extract_opts_init(&o);
        o.max_bytes = max_bytes;
        for (int i = 0; furn && i < n_in; i++) {
            char *data;
            size_t len;
            if (kinds[i] == FMT_FOLDER) folder_furniture(furn, in[i], &ro, &o);
            if (is_records(kinds[i]) || cli_read_file(in[i], max_bytes, &data, &len)) continue;
            nd_furniture_add(furn, data, len, &o);
            free(data);
        }
    }

    nd_extract_opts base;
    nd_extract_opts_init(&base);
    base.url = url;
    base.fetched = fetched;
    base.max_bytes = max_bytes;
    base.furniture = furn;
    base.keep_empty = 1; /* a page without text still shows its metadata */
    for (int i = 0; i < n_in && !r.stop; i++) {
        const char *path = in[i];
        if (is_records(kinds[i])) {
            each_record(&r, nd_reader_new((const char *const *) &in[i], 1, &ro), path, &base);
            continue;
        }
        char *data;
        size_t len;
        int rc = cli_read_file(path, max_bytes, &data, &len);
        if (rc) {
            r.failed += file_failed(path, rc);
            continue;
        }
        if (len == 0 && strcmp(path, "-") != 0) {
            /* Said as ingest says it. */
            cli_error(path, "empty file");
            free(data);
            r.failed++;
            continue;
        }
        if (!strcmp(path, "-") && is_records(nd_input_format(path, data, len))) {
            if (r.fmt == FMT_JSON) r.fmt = FMT_JSONL;
            r.multi = 1;
            each_record(&r, nd_reader_new_mem(path, data, len, &ro), path, &base);
        } else
            one_page(&r, path, NULL, data, len, &base);
        free(data);
    }
    nd_buf_free(&r.out);
    nd_furniture_free(furn);
    free(kinds);
    cli_args_free(&args);
    return r.failed ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
