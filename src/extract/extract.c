/* extract.c - nd_extract(): decode -> front -> classify -> article. */
#include <string.h>

#include "extract/extract_int.h"
#include "extract/meta.h"
#include "newsdesk/lang.h"

void nd_extract_opts_init(nd_extract_opts *o)
{
    memset(o, 0, sizeof *o);
    o->fetched = ND_TIME_NONE;
}

static int build_paragraphs(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    nd_article *a = x->a;
    for (size_t i = 0; i < pg->n_blocks; i++) {
        nd_block *b = &pg->blocks[i];
        if (b->label != ND_LBL_BODY) continue;
        nd_slice s = nd__block_text(pg, b);
        if (nd__article_add_str(a, &a->paragraphs, &a->n_paragraphs, &x->cap_par, s.ptr, s.len))
            return ND_ENOMEM;
    }
    return 0;
}

static int join_text(nd_article *a)
{
    nd_buf text = ND_BUF_INIT;
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        if (text.len) nd_buf_append(&text, "\n\n", 2);
        nd_buf_puts(&text, a->paragraphs[i]);
    }
    if (text.failed) return ND_ENOMEM;
    a->text = nd_arena_strndup(a->arena, text.ptr ? text.ptr : "", text.len);
    a->text_len = text.len;
    nd_buf_free(&text);
    return a->text ? 0 : ND_ENOMEM;
}

int nd__load_page(const void *data, size_t len, const nd_extract_opts *o, nd_decoded *dec,
                  nd_page *pg, nd_error *err)
{
    nd_decode_opts dopt = {o->max_bytes, o->charset_hint, o->kind};
    int rc = nd_decode(data, len, &dopt, dec, err);
    if (rc) return rc;
    rc = nd__page_init(pg, dec->len / 2);
    if (!rc)
        rc = dec->kind == ND_KIND_HTML ? nd__html_to_page(dec->text, dec->len, pg)
                                       : nd__text_to_page(dec->text, dec->len, pg);
    if (!rc && o->furniture) nd__furniture_mark(o->furniture, pg);
    if (rc) {
        nd__page_free(pg);
        nd_decoded_free(dec);
        return nd_error_set(err, rc, 0, "%s", nd_strerror(rc));
    }
    return 0;
}

/* The steps both nd_extract() and nd_extract_explain() start with: the
 * options (copied, defaults when NULL), the page, an empty article.  On
 * failure nothing needs freeing. */
static int begin(const void *data, size_t len, const nd_extract_opts *opts, nd_extract_opts *o,
                 nd_decoded *dec, nd_page *pg, nd_article **a, nd_error *err)
{
    if (opts)
        *o = *opts;
    else
        nd_extract_opts_init(o);
    *a = NULL;
    int rc = nd__load_page(data, len, o, dec, pg, err);
    if (rc) return rc;
    rc = nd__article_new(a);
    if (rc) {
        nd__page_free(pg);
        nd_decoded_free(dec);
        return nd_error_set(err, rc, 0, "%s", nd_strerror(rc));
    }
    return 0;
}

static int classify(nd_extract_ctx *x)
{
    return x->pg->is_html ? nd__classify_html(x) : nd__classify_text(x);
}

int nd_extract(const void *data, size_t len, const nd_extract_opts *opts, nd_article **out,
               nd_error *err)
{
    nd_extract_opts o;
    nd_decoded dec;
    nd_page pg;
    nd_article *a;
    *out = NULL;
    int rc = begin(data, len, opts, &o, &dec, &pg, &a, err);
    if (rc) return rc;
    nd_extract_ctx x = {&pg, a, &o, 0, 0, 0, 0, NULL, 0, 0, 0, 0, 0, NULL};
    a->is_html = pg.is_html;
    a->source = nd__astr(a, o.source ? o.source : "-", strlen(o.source ? o.source : "-"));
    if (o.url) a->url = nd__astr(a, o.url, strlen(o.url));
    a->charset = nd__astr(a, dec.charset, strlen(dec.charset));

    if (dec.flags & ND_DEC_TRUNCATED) nd__article_warn(a, &x.cap_warn, "gzip data truncated");
    if (dec.flags & ND_DEC_LIMIT)
        nd__article_warn(a, &x.cap_warn, "input cut at the size limit of %zu bytes",
                         o.max_bytes ? o.max_bytes : ND_DECODE_MAX_BYTES);
    if (dec.flags & ND_DEC_REPLACED)
        nd__article_warn(a, &x.cap_warn, "invalid %s bytes replaced", dec.charset);
    if (dec.flags & ND_DEC_CONTROL) nd__article_warn(a, &x.cap_warn, "control bytes removed");
    if (dec.flags & ND_DEC_DETECTED)
        nd__article_warn(a, &x.cap_warn, "encoding detected as %s", dec.charset);
    if (pg.truncated_depth)
        nd__article_warn(a, &x.cap_warn, "elements nested deeper than %d flattened",
                         ND_PAGE_MAX_DEPTH);
    if (pg.truncated_blocks)
        nd__article_warn(a, &x.cap_warn, "more than %d blocks: the rest ignored",
                         ND_PAGE_MAX_BLOCKS);
    if (pg.split_lines)
        nd__article_warn(a, &x.cap_warn, "lines longer than %u bytes split", ND_TEXT_MAX_LINE);

    rc = classify(&x);
    if (!rc && x.fallback)
        nd__article_warn(a, &x.cap_warn,
                         "no article container found: the page's prose blocks kept");
    if (!rc) rc = build_paragraphs(&x);
    if (!rc && pg.is_html) rc = nd__html_comments(&x);
    if (!rc) rc = nd__assemble_meta(&x);
    if (!rc) rc = join_text(a);
    /* A language not found so far: detect it on the article itself. */
    if (!rc && !a->language && a->text_len) a->language = nd_lang_detect(a->text, a->text_len);
    nd__page_free(&pg);
    nd_decoded_free(&dec);
    if (rc) {
        nd_article_free(a);
        return nd_error_set(err, rc, 0, "%s", nd_strerror(rc));
    }
    if (a->n_paragraphs == 0) {
        if (o.keep_empty)
            *out = a;
        else
            nd_article_free(a);
        return nd_error_set(err, ND_ENOTEXT, 0, "no article text found");
    }
    *out = a;
    return 0;
}

static const char *label_name(int l)
{
    static const char *const names[] = {"-",        "boiler",  "title",  "byline",
                                        "dateline", "BODY",    "teaser", "related",
                                        "comment",  "caption", "bio",    "credit"};
    return l >= 0 && l < (int) (sizeof names / sizeof *names) ? names[l] : "?";
}

static void node_path(const nd_page *pg, uint32_t n, nd_buf *out)
{
    static const char *const tag_names[] = {
#define ND__TAGNAME(t) #t,
        ND_TAG_MAP(ND__TAGNAME)
#undef ND__TAGNAME
    };
    uint32_t chain[24];
    int k = 0;
    while (n && k < 24) chain[k++] = n, n = pg->nodes[n].parent;
    while (k-- > 0) {
        const nd_node *d = &pg->nodes[chain[k]];
        nd_buf_printf(out, "/%s", tag_names[d->tag]);
        if (d->weight) nd_buf_printf(out, "%+d", d->weight);
        if (d->attr) {
            nd_buf_putc(out, '[');
            /* class values may hold newlines: one line per block */
            for (size_t c = 0; d->attr[c] && c < 30; c++)
                nd_buf_putc(out, (unsigned char) d->attr[c] < 0x20 ? ' ' : d->attr[c]);
            nd_buf_putc(out, ']');
        }
    }
}

#ifndef ND_EXPLAIN_WIDTH
#define ND_EXPLAIN_WIDTH 140
#endif

int nd_extract_explain(const void *data, size_t len, const nd_extract_opts *opts, nd_buf *out)
{
    nd_extract_opts o;
    nd_decoded dec;
    nd_page pg;
    nd_article *a;
    int rc = begin(data, len, opts, &o, &dec, &pg, &a, NULL);
    if (rc) return rc;
    {
        nd_extract_ctx x = {&pg, a, &o, 0, 0, 0, 0, NULL, 0, 0, 0, 0, 0, NULL};
        rc = classify(&x);
        nd_buf_printf(out, "# lang=%s container=%u blocks=%zu nodes=%zu\n", x.lang ? x.lang : "?",
                      x.container, pg.n_blocks, pg.n_nodes);
        if (pg.is_html) {
            /* The five best-scoring candidate containers. */
            uint32_t top[5] = {0};
            int nt = 0;
            for (uint32_t i = 1; i < pg.n_nodes; i++) {
                if (!(pg.nodes[i].flags & ND_NODE_BLOCK) || pg.nodes[i].score <= 0) continue;
                int k = nt < 5 ? nt++ : 4;
                if (k == 4 && nt == 5 && pg.nodes[top[4]].score >= pg.nodes[i].score) continue;
                top[k] = i;
                while (k > 0 && pg.nodes[top[k - 1]].score < pg.nodes[top[k]].score) {
                    uint32_t t = top[k - 1];
                    top[k - 1] = top[k];
                    top[k] = t;
                    k--;
                }
            }
            for (int k = 0; k < nt; k++) {
                const nd_node *d = &pg.nodes[top[k]];
                nd_buf_printf(out, "# node %u score=%.0f good=%.0f bad=%.0f blocks=%u-%u ", top[k],
                              (double) d->score, (double) d->sum_good, (double) d->sum_bad,
                              d->first_block, d->end_block);
                node_path(&pg, top[k], out);
                nd_buf_putc(out, '\n');
            }
        }
        for (size_t i = 0; i < pg.n_blocks; i++) {
            const nd_block *b = &pg.blocks[i];
            uint32_t n = b->node;
            while (pg.is_html && n && n != x.container) n = pg.nodes[n].parent;
            nd_buf_printf(out, "%4zu %c%-7s q=%+.2f w=%-4u ld=%.2f ", i,
                          pg.is_html && n == x.container ? '*' : ' ', label_name(b->label),
                          (double) b->q, b->words,
                          b->len ? (double) b->link_len / (double) b->len : 0.0);
            if (pg.is_html)
                node_path(&pg, b->node, out);
            else
                nd_buf_printf(out, "L%u", b->line);
            nd_buf_puts(out, "  | ");
            /* At most ND_EXPLAIN_WIDTH bytes, cut at a character boundary. */
            size_t w = b->len > ND_EXPLAIN_WIDTH ? ND_EXPLAIN_WIDTH : b->len;
            while (w < b->len && w > 0 && ((unsigned char) pg.text.ptr[b->off + w] & 0xC0) == 0x80)
                w--;
            nd_buf_append(out, pg.text.ptr + b->off, w);
            nd_buf_putc(out, '\n');
        }
    }
    nd_article_free(a);
    nd__page_free(&pg);
    nd_decoded_free(&dec);
    return rc;
}
