/* cmd_quotes.c - `newsdesk quotes`: who said what, from the store. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk quotes [OPTIONS]\n"
    "\n"
    "Attributed quotations in the store, newest documents first: the date,\n"
    "the speaker, the type (direct, partial, indirect), the quotation and\n"
    "the document it is in.\n"
    "\n"
    "      --by NAME      said by NAME: an actor's name (\"Xi Jinping\", \"Putin\"),\n"
    "                     a CAMEO code or prefix (CHNGOV, RUS), or a country's\n"
    "                     name (its people and government: its code)\n"
    "      --about TERM   quotations whose words match TERM (full-text query:\n"
    "                     words, \"phrases\", AND/OR/NOT, prefix*)\n"
    "      --since DATE   documents dated DATE or later (ISO 8601)\n"
    "  -n, --limit N      at most N quotations (default 20; 0: all)\n"
    "      --all          also scare quotes and quotations with no speaker\n"
    "      --json         JSON Lines, one quotation a line\n"
    "      --db PATH      the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 listed (maybe none), 1 no such actor or a store error,\n"
    "2 usage error or a bad --about query.\n";

typedef struct ctx {
    int json;
    nd_buf out;
    cli_table *t;
    size_t n;
} ctx;

static void span_json(nd_json *j, const char *key, nd_span s)
{
    nd_json_key(j, key);
    if (!s.end && !s.start) {
        nd_json_null(j);
        return;
    }
    nd_json_arr_begin(j);
    nd_json_int(j, s.start);
    nd_json_int(j, s.end);
    nd_json_arr_end(j);
}

static int on_quote(void *p, const nd_store_quote *q)
{
    ctx *c = p;
    c->n++;
    if (c->json) {
        nd_json j;
        nd_json_init(&j, &c->out, 0);
        nd_json_obj_begin(&j);
        nd_json_key(&j, "speaker");
        nd_json_str(&j, q->speaker);
        nd_json_key(&j, "speaker_code");
        nd_json_str(&j, q->speaker_code && *q->speaker_code ? q->speaker_code : NULL);
        nd_json_key(&j, "date");
        nd_json_str(&j, q->date);
        nd_json_key(&j, "type");
        nd_json_str(&j, q->type);
        nd_json_key(&j, "scare");
        nd_json_bool(&j, q->scare);
        nd_json_key(&j, "text");
        nd_json_str(&j, q->text);
        nd_json_key(&j, "cue");
        nd_json_str(&j, q->cue_lemma);
        span_json(&j, "span", q->span);
        span_json(&j, "source", q->source_span);
        cli_doc_id_json(&j, q->ext_id, q->doc_id);
        nd_json_key(&j, "title");
        nd_json_str(&j, q->title);
        nd_json_key(&j, "url");
        nd_json_str(&j, q->url);
        nd_json_key(&j, "site");
        nd_json_str(&j, q->site);
        nd_json_obj_end(&j);
        nd_buf_putc(&c->out, '\n');
        return nd_buf_failed(&c->out) ? ND_ENOMEM : 0;
    }
    char day[16], doc[600];
    nd_buf text = ND_BUF_INIT;
    if (strcmp(q->type, "indirect") != 0)
        nd_buf_printf(&text, "\xe2\x80\x9c%s\xe2\x80\x9d", q->text);
    else
        nd_buf_puts(&text, q->text);
    cli_doc_cell(doc, sizeof doc, q->ext_id, q->doc_id, q->title, q->site);
    const char *cells[] = {cli_day(q->date, day), q->speaker ? q->speaker : "-", q->type,
                           text.ptr ? text.ptr : "", doc};
    cli_table_add(c->t, cells, NULL);
    nd_buf_free(&text);
    return 0;
}

int cmd_quotes(int argc, char **argv)
{
    static const struct option longopts[] = {{"by", required_argument, NULL, 'b'},
                                             {"about", required_argument, NULL, 'a'},
                                             {"since", required_argument, NULL, 's'},
                                             {"limit", required_argument, NULL, 'n'},
                                             {"all", no_argument, NULL, 'A'},
                                             {"json", no_argument, NULL, 'J'},
                                             {"db", required_argument, NULL, 'D'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *db = NULL;
    nd_store_quote_query q;
    memset(&q, 0, sizeof q);
    ctx c;
    memset(&c, 0, sizeof c);
    long long v;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'b': q.by = optarg; break;
        case 'a': q.about = optarg; break;
        case 's': q.since = optarg; break;
        case 'n':
            if (cli_parse_count(optarg, 0, 1000000000, &v))
                return cli_usage_error("quotes: --limit: not a count: '%s'", optarg);
            q.limit = v ? (int) v : -1;
            break;
        case 'A': q.with_scare = 1; break;
        case 'J': c.json = 1; break;
        case 'D': db = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    nd_store *s = cli_open_analysis_store(db);
    if (!s) return ND_EXIT_SOME_FAILED;
    static const char *const headers[] = {"DATE", "SPEAKER", "TYPE", "QUOTE", "DOCUMENT"};
    if (!c.json) {
        c.t = cli_table_new(5, headers);
        cli_table_flex(c.t, 3);
    }
    nd_error err = {0};
    int rc = nd_store_quotes(s, &q, on_quote, &c, &err);
    nd_store_close(s);
    if (rc) {
        cli_table_free(c.t);
        nd_buf_free(&c.out);
        cli_error("quotes", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return rc == ND_EPARSE || rc == ND_EINVAL ? ND_EXIT_USAGE : ND_EXIT_SOME_FAILED;
    }
    if (c.json) {
        cli_write(c.out.ptr, c.out.len);
    } else if (c.n) {
        cli_table_print(c.t, stdout, cli_term_width());
    } else {
        fprintf(stderr, "newsdesk: quotes: no quotations%s\n",
                q.by || q.about || q.since ? " match" : " in the store");
    }
    cli_table_free(c.t);
    nd_buf_free(&c.out);
    return ND_EXIT_OK;
}
