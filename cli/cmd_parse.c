/* cmd_parse.c - `newsdesk parse`: part-of-speech tags, lemmas and
 * dependency trees of texts, as CoNLL-U or JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk parse [OPTIONS] FILE... | -\n"
    "\n"
    "Tag, lemmatise and parse English text with the built-in model (Universal\n"
    "Dependencies, trained on UD English EWT).  Text input is split into\n"
    "sentences and UD words (\"don't\" -> do n't); CoNLL-U input keeps its\n"
    "sentences and words and gets UPOS, LEMMA, HEAD and DEPREL filled in (the\n"
    "other columns are kept).\n"
    "\n"
    "  -f, --format FMT   conllu (default) or json (one object per sentence and\n"
    "                     line: sent_id, text, words with id, form, lemma, upos,\n"
    "                     head, deprel, and start/end byte offsets for text input)\n"
    "  -i, --input FMT    text (default) or conllu\n"
    "      --model FILE   use this model file instead of the built-in one\n"
    "  -h, --help         this text\n"
    "\n"
    "Text output has '# newdoc id' (the input), '# sent_id', '# text' and\n"
    "SpaceAfter=No in MISC, so the text can be rebuilt.\n"
    "Exit status: 0 all inputs parsed, 1 some failed (one line each on stderr:\n"
    "newsdesk: INPUT: reason), 2 usage error.\n";

typedef struct ctx {
    const nd_parser *p;
    nd_parse_work *work;
    int json;
    nd_buf out;
    nd_word *w;
    size_t w_cap;
    int failed;
    int closed;
} ctx;

static void flush(ctx *c, int force)
{
    if (c->closed || (!force && c->out.len < (1u << 16))) return;
    if (nd_buf_failed(&c->out)) {
        cli_error(NULL, "out of memory");
        c->failed++;
    } else if (c->out.len && cli_write(c->out.ptr, c->out.len)) {
        c->closed = 1;
    }
    nd_buf_clear(&c->out);
}

static int grow_words(ctx *c, size_t n)
{
    if (n <= c->w_cap) return 0;
    size_t cap = c->w_cap ? c->w_cap : 256;
    while (cap < n) cap *= 2;
    nd_word *w = realloc(c->w, cap * sizeof *w);
    if (!w) return -1;
    c->w = w, c->w_cap = cap;
    return 0;
}

/* Text without tabs and line breaks, for "# text" and forms. */
static void put_flat(nd_buf *b, const char *s, size_t n)
{
    size_t a = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\n' || ch == '\r' || ch == '\t' || ch == 0) {
            nd_buf_append(b, s + a, i - a);
            if (b->len && b->ptr[b->len - 1] != ' ') nd_buf_putc(b, ' ');
            a = i + 1;
        }
    }
    nd_buf_append(b, s + a, n - a);
}

static void json_sentence(ctx *c, const char *sent_id, const char *text, size_t text_len,
                          const char *base, const nd_word *w, size_t n, int offsets,
                          const char *const *forms)
{
    nd_json j;
    nd_json_init(&j, &c->out, 0);
    nd_json_obj_begin(&j);
    nd_json_key(&j, "sent_id");
    nd_json_str(&j, sent_id);
    nd_json_key(&j, "text");
    nd_json_str_n(&j, text, text_len);
    nd_json_key(&j, "words");
    nd_json_arr_begin(&j);
    for (size_t i = 0; i < n; i++) {
        nd_json_obj_begin(&j);
        nd_json_key(&j, "id");
        nd_json_int(&j, (long long) i + 1);
        nd_json_key(&j, "form");
        if (forms)
            nd_json_str(&j, forms[i]);
        else
            nd_json_str_n(&j, base + w[i].start, w[i].end - w[i].start);
        nd_json_key(&j, "lemma");
        nd_json_str(&j, w[i].lemma);
        nd_json_key(&j, "upos");
        nd_json_str(&j, nd_upos_name(w[i].upos));
        nd_json_key(&j, "head");
        nd_json_int(&j, w[i].head + 1);
        nd_json_key(&j, "deprel");
        nd_json_str(&j, nd_deprel_name(w[i].deprel));
        if (offsets) {
            nd_json_key(&j, "start");
            nd_json_int(&j, w[i].start);
            nd_json_key(&j, "end");
            nd_json_int(&j, w[i].end);
        }
        nd_json_obj_end(&j);
    }
    nd_json_arr_end(&j);
    nd_json_obj_end(&j);
    nd_buf_putc(&c->out, '\n');
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Plain text: sentences, words, parse. */
static void run_text(ctx *c, const char *path, const char *text, size_t len)
{
    nd_span *sp = NULL;
    size_t ns = 0;
    nd_error err = {0};
    if (nd_parse_sentences(text, len, &sp, &ns, &err)) {
        cli_error(path, "%s", err.msg);
        c->failed++;
        return;
    }
    if (!c->json) nd_buf_printf(&c->out, "# newdoc id = %s\n", path);
    size_t sent_no = 0;
    for (size_t s = 0; s < ns && !c->closed; s++) {
        size_t start = sp[s].start, end = sp[s].end, n = 0;
        /* All the words of the sentence, however many. */
        for (;;) {
            if (grow_words(c, n + 256)) {
                cli_error(path, "out of memory");
                c->failed++;
                nd_free(sp);
                return;
            }
            size_t stop = end;
            n += nd_parse_words(text, start, end, c->w + n, c->w_cap - n, &stop);
            if (stop >= end) break;
            start = stop;
        }
        if (!n) continue;
        int rc = nd_parse_sentence(c->p, text, len, c->w, n, c->work);
        if (rc) {
            cli_error(path, "sentence at byte %u: %s", sp[s].start, nd_strerror(rc));
            c->failed++;
            continue;
        }
        sent_no++;
        char id[32];
        snprintf(id, sizeof id, "%zu", sent_no);
        if (c->json) {
            json_sentence(c, id, text + sp[s].start, sp[s].end - sp[s].start, text, c->w, n, 1,
                          NULL);
        } else {
            nd_buf_printf(&c->out, "# sent_id = %s\n# text = ", id);
            put_flat(&c->out, text + sp[s].start, sp[s].end - sp[s].start);
            nd_buf_putc(&c->out, '\n');
            for (size_t i = 0; i < n; i++) {
                const nd_word *x = &c->w[i];
                nd_buf_printf(&c->out, "%zu\t", i + 1);
                put_flat(&c->out, text + x->start, x->end - x->start);
                nd_buf_printf(&c->out, "\t%s\t%s\t_\t_\t%d\t%s\t_\t", x->lemma,
                              nd_upos_name(x->upos), x->head + 1, nd_deprel_name(x->deprel));
                int nospace = (x->flags & ND_WORDF_NOSPACE) ||
                              (i + 1 == n && x->end < len && !is_space(text[x->end]));
                nd_buf_puts(&c->out, nospace ? "SpaceAfter=No\n" : "_\n");
            }
            nd_buf_putc(&c->out, '\n');
        }
        flush(c, 0);
    }
    nd_free(sp);
}

/* CoNLL-U: keep sentences and words, fill UPOS, LEMMA, HEAD, DEPREL. */
static void run_conllu(ctx *c, const char *path, const char *data, size_t len)
{
    nd_conllu_reader *r = nd_conllu_reader_new(data, len);
    nd_buf text = ND_BUF_INIT;
    const char **forms = NULL;
    size_t forms_cap = 0;
    if (!r) {
        cli_error(path, "out of memory");
        c->failed++;
        return;
    }
    const nd_conllu_sent *st;
    nd_error err = {0};
    int rc;
    size_t sent_no = 0;
    while (!c->closed && (rc = nd_conllu_next(r, &st, &err)) != 0) {
        if (rc < 0) {
            cli_error(path, "%s", err.msg);
            c->failed++;
            if (rc != ND_EPARSE) break;
            continue;
        }
        sent_no++;
        size_t n = st->n_words;
        if (grow_words(c, n) ||
            (n > forms_cap && !(forms = realloc(forms, (forms_cap = n * 2) * sizeof *forms)))) {
            cli_error(path, "out of memory");
            c->failed++;
            break;
        }
        nd_buf_clear(&text);
        size_t k = 0;
        for (size_t i = 0; i < st->n_lines; i++) {
            const nd_conllu_line *ln = &st->lines[i];
            if (ln->kind != ND_CONLLU_WORD) continue;
            memset(&c->w[k], 0, sizeof c->w[k]);
            c->w[k].start = (uint32_t) text.len;
            nd_buf_puts(&text, ln->col[1]);
            c->w[k].end = (uint32_t) text.len;
            nd_buf_putc(&text, ' ');
            forms[k++] = ln->col[1];
        }
        if (nd_buf_failed(&text) || text.len > UINT32_MAX) {
            cli_error(path, "line %zu: sentence too large", st->line_no);
            c->failed++;
            continue;
        }
        rc = nd_parse_sentence(c->p, text.ptr, text.len, c->w, n, c->work);
        if (rc) {
            cli_error(path, "line %zu: %s", st->line_no, nd_strerror(rc));
            c->failed++;
            continue;
        }
        if (c->json) {
            char id[32];
            snprintf(id, sizeof id, "%zu", sent_no);
            const char *t = st->text ? st->text : "";
            json_sentence(c, st->sent_id ? st->sent_id : id, t, strlen(t), text.ptr, c->w, n, 0,
                          forms);
        } else {
            k = 0;
            for (size_t i = 0; i < st->n_lines; i++) {
                const nd_conllu_line *ln = &st->lines[i];
                if (ln->kind == ND_CONLLU_COMMENT) {
                    nd_buf_printf(&c->out, "# %s\n", ln->col[0]);
                    continue;
                }
                const char *col[10];
                memcpy(col, ln->col, sizeof col);
                char head[16];
                if (ln->kind == ND_CONLLU_WORD) {
                    const nd_word *x = &c->w[k++];
                    snprintf(head, sizeof head, "%d", x->head + 1);
                    col[2] = x->lemma;
                    col[3] = nd_upos_name(x->upos);
                    col[6] = head;
                    col[7] = nd_deprel_name(x->deprel);
                }
                for (int q = 0; q < 10; q++) {
                    nd_buf_puts(&c->out, col[q]);
                    nd_buf_putc(&c->out, q == 9 ? '\n' : '\t');
                }
            }
            nd_buf_putc(&c->out, '\n');
        }
        flush(c, 0);
    }
    free(forms);
    nd_buf_free(&text);
    nd_conllu_reader_free(r);
}

int cmd_parse(int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"input", required_argument, NULL, 'i'},
                                             {"model", required_argument, NULL, 'm'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    ctx c;
    memset(&c, 0, sizeof c);
    int conllu_in = 0, ch;
    const char *model = NULL;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "f:i:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (!strcmp(optarg, "conllu"))
                c.json = 0;
            else if (!strcmp(optarg, "json"))
                c.json = 1;
            else
                return cli_usage("parse", "unknown format '%s' (conllu, json)", optarg);
            break;
        case 'i':
            if (!strcmp(optarg, "text"))
                conllu_in = 0;
            else if (!strcmp(optarg, "conllu"))
                conllu_in = 1;
            else
                return cli_usage("parse", "unknown input format '%s' (text, conllu)", optarg);
            break;
        case 'm': model = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    nd_error err = {0};
    nd_parser *own = NULL;
    c.p = model ? (own = nd_parser_load(model, &err)) : nd_parser_default(&err);
    if (!c.p) {
        cli_error(model ? model : "model", "%s", err.msg);
        return ND_EXIT_USAGE;
    }
    c.work = nd_parse_work_new();
    if (!c.work) {
        cli_error(NULL, "out of memory");
        nd_parser_free(own);
        return ND_EXIT_SOME_FAILED;
    }
    for (int i = optind; i < argc && !c.closed; i++) {
        const char *path = argv[i];
        char *data;
        size_t len;
        if (cli_read_input(path, &data, &len)) {
            c.failed++;
            continue;
        }
        if (conllu_in) {
            run_conllu(&c, path, data, len);
        } else {
            run_text(&c, path, data, len);
        }
        free(data);
        flush(&c, 1);
    }
    flush(&c, 1);
    nd_buf_free(&c.out);
    free(c.w);
    nd_parse_work_free(c.work);
    nd_parser_free(own);
    return c.failed ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
