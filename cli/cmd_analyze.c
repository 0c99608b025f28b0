/* cmd_analyze.c - `newsdesk analyze`: actors, quotations and events of texts
 * (stateless). */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk analyze [OPTIONS] INPUT... | -\n"
    "\n"
    "Find the actors, attributed quotations and CAMEO-coded events of texts.\n"
    "An input is JSON Lines (one {\"id\", \"text\"} object a line; \"date\" or\n"
    "\"published\" when present dates the events; \"title\" is used as context)\n"
    "or a news page (HTML or text), whose article is extracted first.\n"
    "Prints one JSON object per text: {\"id\", \"actors\", \"quotes\", \"events\",\n"
    "\"stances\"} (stances: acts and stances reported by their object or\n"
    "infinitive, \"vowed to X\", \"criticized Y\", with the fields of quotes;\n"
    "pages also get \"source\", \"title\", \"date\" and the analysed \"text\");\n"
    "offsets are UTF-8 byte offsets into that text.\n"
    "\n"
    "  -f, --format FMT   jsonl (default: one object a line) or json (indented)\n"
    "  -d, --dict DIR     also load PETRARCH/Phoenix actor, agent and verb\n"
    "                     dictionaries from DIR (may be repeated)\n"
    "      --data DIR     use newsdesk-format dictionaries from DIR instead of\n"
    "                     the built-in ones (DIR/actors, DIR/verbs, DIR/cameo)\n"
    "      --date DATE    article date for texts that give none (YYYY-MM-DD)\n"
    "      --no-events    skip event coding\n"
    "      --no-quotes    skip quotations\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 all inputs analysed, 1 some failed (one line each on\n"
    "stderr: newsdesk: INPUT: reason), 2 usage error.\n";

typedef struct ctx {
    nd_analyze_opts opts;
    int pretty;
    const char *date;
    nd_buf out;
    int failed;
    int closed; /* stdout went away */
} ctx;

static void emit(ctx *c)
{
    if (c->closed) return;
    if (nd_buf_failed(&c->out)) {
        cli_error(NULL, "out of memory");
        c->failed++;
    } else if (cli_write(c->out.ptr, c->out.len)) {
        c->closed = 1;
    }
    nd_buf_clear(&c->out);
}

/* One text: analysis into c->out as one JSON object. */
static int analyze_one(ctx *c, const char *what, json_t *id, const char *text, size_t len,
                       const char *date, const char *title, const nd_article *art)
{
    nd_analyze_opts o = c->opts;
    o.date = date ? date : c->date;
    o.title = title;
    nd_analysis *a = NULL;
    nd_error err = {0};
    int rc = nd_analyze(text, len, &o, &a, &err);
    if (rc) {
        cli_error(what, "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        c->failed++;
        return rc;
    }
    nd_json j;
    nd_json_init(&j, &c->out, c->pretty);
    nd_json_obj_begin(&j);
    if (id) {
        nd_json_key(&j, "id");
        char *s = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
        if (s) {
            nd_json_raw(&j, s, strlen(s));
            free(s);
        } else {
            nd_json_null(&j);
        }
    }
    if (art) {
        nd_json_key(&j, "source");
        nd_json_str(&j, art->source);
        nd_json_key(&j, "title");
        nd_json_str(&j, art->title);
        nd_json_key(&j, "date");
        nd_json_str(&j, a->date);
    }
    if (a->truncated) {
        nd_json_key(&j, "truncated");
        nd_json_bool(&j, 1);
    }
    nd_analysis_to_json(a, &j);
    nd_analysis_stances_json(a, &j);
    if (art) {
        nd_json_key(&j, "text");
        nd_json_str_n(&j, text, len);
    }
    nd_json_obj_end(&j);
    nd_buf_putc(&c->out, '\n');
    nd_analysis_free(a);
    emit(c);
    return 0;
}

static const char *json_str_field(json_t *o, const char *const *keys)
{
    for (size_t i = 0; keys[i]; i++) {
        json_t *v = json_object_get(o, keys[i]);
        if (json_is_string(v)) return json_string_value(v);
    }
    return NULL;
}

/* JSON Lines: one text a line. */
static void run_jsonl(ctx *c, const char *path, const char *data, size_t len)
{
    static const char *const date_keys[] = {"date",    "published", "published_at",
                                            "pubdate", "datetime",  NULL};
    static const char *const title_keys[] = {"title", "headline", NULL};
    size_t pos = 0;
    long line = 0;
    while (pos < len && !c->closed) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t e = nl ? (size_t) (nl - data) : len;
        line++;
        const char *ls = data + pos;
        size_t ll = e - pos;
        pos = nl ? e + 1 : len;
        while (ll && (ls[ll - 1] == '\r' || ls[ll - 1] == ' ' || ls[ll - 1] == '\t')) ll--;
        while (ll && (*ls == ' ' || *ls == '\t')) ls++, ll--;
        if (!ll) continue;
        char what[4200];
        snprintf(what, sizeof what, "%s:%ld", path, line);
        json_error_t jerr;
        json_t *o = json_loadb(ls, ll, 0, &jerr);
        if (!o || !json_is_object(o)) {
            cli_error(what, "not a JSON object%s%s", o ? "" : ": ", o ? "" : jerr.text);
            json_decref(o);
            c->failed++;
            continue;
        }
        json_t *t = json_object_get(o, "text");
        if (!json_is_string(t)) {
            cli_error(what, "no \"text\" string");
            json_decref(o);
            c->failed++;
            continue;
        }
        json_t *id = json_object_get(o, "id");
        analyze_one(c, what, id ? id : json_null(), json_string_value(t), json_string_length(t),
                    json_str_field(o, date_keys), json_str_field(o, title_keys), NULL);
        json_decref(o);
    }
}

/* A news page: extract the article, analyse its text. */
static void run_page(ctx *c, const char *path, const char *data, size_t len)
{
    nd_extract_opts o;
    nd_extract_opts_init(&o);
    o.source = path;
    nd_article *a = NULL;
    nd_error err = {0};
    int rc = nd_extract(data, len, &o, &a, &err);
    if (rc) {
        cli_error(path, "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        c->failed++;
        return;
    }
    json_t *id = json_string(path);
    analyze_one(c, path, id, a->text ? a->text : "", a->text ? a->text_len : 0, a->published,
                a->title, a);
    json_decref(id);
    nd_article_free(a);
}

static int looks_jsonl(const char *path, const char *data, size_t len)
{
    size_t pl = strlen(path);
    if (pl > 6 && !strcmp(path + pl - 6, ".jsonl")) return 1;
    if (pl > 7 && !strcmp(path + pl - 7, ".ndjson")) return 1;
    size_t i = 0;
    if (len >= 3 && (unsigned char) data[0] == 0xEF && (unsigned char) data[1] == 0xBB) i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        i++;
    return i < len && data[i] == '{';
}

int cmd_analyze(int argc, char **argv)
{
    static const cli_opt opts[] = {{"format", 'f', 1, 'f'},
                                   {"dict", 'd', 1, 'd'},
                                   {"data", 0, 1, 'D'},
                                   {"date", 0, 1, 'T'},
                                   {"no-events", 0, 0, 'E'},
                                   {"no-quotes", 0, 0, 'Q'},
                                   CLI_OPT_HELP,
                                   CLI_OPT_END};
    ctx c;
    memset(&c, 0, sizeof c);
    nd_analyze_opts_init(&c.opts);
    const char *dicts[16];
    int n_dicts = 0;
    const char *data_dir = NULL;
    int id;
    cli_args a;
    cli_args_init(&a, "analyze", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) {
        switch (id) {
        case 'f':
            if (!strcmp(a.value, "jsonl"))
                c.pretty = 0;
            else if (!strcmp(a.value, "json"))
                c.pretty = 1;
            else
                return cli_args_fail(&a, "unknown format '%s' (jsonl, json)", a.value);
            break;
        case 'd':
            if (n_dicts == 16) return cli_args_fail(&a, "too many --dict directories");
            dicts[n_dicts++] = a.value;
            break;
        case 'D': data_dir = a.value; break;
        case 'T': c.date = a.value; break;
        case 'E': c.opts.no_events = 1; break;
        case 'Q': c.opts.no_quotes = 1; break;
        case 'h':
            cli_args_free(&a);
            fputs(usage_text, stdout);
            return 0;
        }
    }
    if (id < 0 || cli_args_count(&a, 1, -1, "INPUT (a file, or - for stdin)")) {
        cli_args_free(&a);
        return ND_EXIT_USAGE;
    }
    nd_analyze_dict *own = NULL;
    nd_error err = {0};
    if (data_dir || n_dicts) {
        own = nd_analyze_dict_new(data_dir, &err);
        if (!own) {
            cli_error(data_dir ? "--data" : "dictionaries", "%s", err.msg);
            cli_args_free(&a);
            return ND_EXIT_USAGE;
        }
        for (int i = 0; i < n_dicts; i++) {
            if (nd_analyze_dict_add_petrarch(own, dicts[i], &err)) {
                cli_error("--dict", "%s", err.msg);
                nd_analyze_dict_free(own);
                cli_args_free(&a);
                return ND_EXIT_USAGE;
            }
        }
        c.opts.dict = own;
    } else if (!nd_analyze_dict_default(&err)) {
        cli_error("dictionaries", "%s", err.msg);
        cli_args_free(&a);
        return ND_EXIT_USAGE;
    }
    for (int i = 0; i < a.n_pos && !c.closed; i++) {
        const char *path = a.pos[i];
        char *data;
        size_t len;
        int rc = cli_read_file(path, ND_DECODE_MAX_BYTES, &data, &len);
        if (rc) {
            cli_error(path, "%s", cli_file_error(path, rc));
            c.failed++;
            continue;
        }
        if (len == 0) {
            cli_error(path, "empty file");
            c.failed++;
        } else if (len > ND_DECODE_MAX_BYTES) {
            cli_error(path, "larger than %zu bytes", (size_t) ND_DECODE_MAX_BYTES);
            c.failed++;
        } else if (looks_jsonl(path, data, len)) {
            run_jsonl(&c, path, data, len);
        } else {
            run_page(&c, path, data, len);
        }
        free(data);
    }
    cli_args_free(&a);
    nd_buf_free(&c.out);
    nd_analyze_dict_free(own);
    return c.failed ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
