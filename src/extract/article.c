/* article.c - the nd_article: building it, freeing it, printing it. */
#include <string.h>

#include "extract/extract_int.h"

int nd__article_new(nd_article **out)
{
    nd_article *a = nd_calloc(1, sizeof *a);
    if (!a) return ND_ENOMEM;
    a->arena = nd_arena_new(8192);
    if (!a->arena) {
        nd_free(a);
        return ND_ENOMEM;
    }
    a->published_ts = ND_TIME_NONE;
    *out = a;
    return 0;
}

void nd_article_free(nd_article *a)
{
    if (!a) return;
    nd_arena_free(a->arena);
    nd_free(a);
}

const char *nd__astr(nd_article *a, const char *s, size_t n)
{
    return s ? nd_arena_strndup(a->arena, s, n) : NULL;
}

/* Grow an arena array of pointers-sized items by one; arrays are rebuilt on
 * growth (old copies stay in the arena until it dies: amortised cheap). */
void *nd__grow(nd_arena *ar, void *arr, size_t n, size_t *cap, size_t item)
{
    if (n < *cap) return arr;
    size_t nc = *cap ? *cap * 2 : 8;
    void *p = nd_arena_alloc(ar, nc * item);
    if (!p) return NULL;
    if (n) memcpy(p, arr, n * item);
    *cap = nc;
    return p;
}

int nd__article_add_str(nd_article *a, const char ***arr, size_t *n, size_t *cap, const char *s,
                        size_t len)
{
    const char **p = nd__grow(a->arena, (void *) *arr, *n, cap, sizeof(char *));
    if (!p) return ND_ENOMEM;
    *arr = p;
    const char *c = nd_arena_strndup(a->arena, s, len);
    if (!c) return ND_ENOMEM;
    p[(*n)++] = c;
    return 0;
}

void nd__article_warn(nd_article *a, size_t *cap, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < a->n_warnings; i++)
        if (strcmp(a->warnings[i], msg) == 0) return;
    nd__article_add_str(a, &a->warnings, &a->n_warnings, cap, msg, strlen(msg));
}

void nd_article_to_json(const nd_article *a, nd_buf *out, int pretty)
{
    nd_article_to_json_ex(a, out, pretty, NULL, NULL);
}

void nd_article_to_json_ex(const nd_article *a, nd_buf *out, int pretty,
                           void (*extra)(void *ctx, nd_json *j), void *ctx)
{
    nd_article_json_hooks h = {extra, NULL, ctx};
    nd_article_to_json_hooks(a, out, pretty, &h);
}

int nd_related_is_article(const nd_related *r)
{
    if (!r->text) return 0;
    nd_slice t = nd_slice_trim(nd_slice_c(r->text));
    if (t.len == 0) return 0;
    return t.len >= ND_RELATED_MIN_TEXT || nd_slice_ifind(t, "\n\n") >= 0;
}

void nd_article_to_json_hooks(const nd_article *a, nd_buf *out, int pretty,
                              const nd_article_json_hooks *hooks)
{
    nd_json j;
    nd_json_init(&j, out, pretty);
    nd_json_obj_begin(&j);
    nd_json_key(&j, "source");
    nd_json_str(&j, a->source);
    nd_json_key(&j, "url");
    nd_json_str(&j, a->url);
    nd_json_key(&j, "title");
    nd_json_str(&j, a->title);
    nd_json_key(&j, "kicker");
    nd_json_str(&j, a->kicker);
    nd_json_key(&j, "author");
    nd_json_arr_begin(&j);
    for (size_t i = 0; i < a->n_authors; i++) nd_json_str(&j, a->authors[i]);
    nd_json_arr_end(&j);
    nd_json_key(&j, "published");
    nd_json_str(&j, a->published);
    nd_json_key(&j, "modified");
    nd_json_str(&j, a->modified);
    nd_json_key(&j, "site");
    nd_json_str(&j, a->site);
    nd_json_key(&j, "credit");
    nd_json_str(&j, a->credit);
    nd_json_key(&j, "language");
    nd_json_str(&j, a->language);
    nd_json_key(&j, "text");
    nd_json_str_n(&j, a->text ? a->text : "", a->text ? a->text_len : 0);
    nd_json_key(&j, "paragraphs");
    nd_json_arr_begin(&j);
    for (size_t i = 0; i < a->n_paragraphs; i++) nd_json_str(&j, a->paragraphs[i]);
    nd_json_arr_end(&j);
    nd_json_key(&j, "related");
    nd_json_arr_begin(&j);
    for (size_t i = 0; i < a->n_related; i++) {
        const nd_related *r = &a->related[i];
        nd_json_obj_begin(&j);
        nd_json_key(&j, "title");
        nd_json_str(&j, r->title);
        nd_json_key(&j, "site");
        nd_json_str(&j, r->site);
        nd_json_key(&j, "url");
        nd_json_str(&j, r->url);
        nd_json_key(&j, "published");
        nd_json_str(&j, r->published);
        nd_json_key(&j, "age");
        nd_json_str(&j, r->age);
        nd_json_key(&j, "text");
        nd_json_str(&j, r->text);
        if (hooks && hooks->related) hooks->related(hooks->ctx, i, &j);
        nd_json_obj_end(&j);
    }
    nd_json_arr_end(&j);
    nd_json_key(&j, "comments");
    nd_json_arr_begin(&j);
    for (size_t i = 0; i < a->n_comments; i++) {
        const nd_comment *c = &a->comments[i];
        const char *keys[] = {"author", "published", "text"};
        const char *vals[] = {c->author, c->published, c->text};
        nd_json_obj_begin(&j);
        for (size_t k = 0; k < 3; k++) {
            nd_json_key(&j, keys[k]);
            nd_json_str(&j, vals[k]);
        }
        nd_json_obj_end(&j);
    }
    nd_json_arr_end(&j);
    nd_json_key(&j, "warnings");
    nd_json_arr_begin(&j);
    for (size_t i = 0; i < a->n_warnings; i++) nd_json_str(&j, a->warnings[i]);
    nd_json_arr_end(&j);
    if (hooks && hooks->article) hooks->article(hooks->ctx, &j);
    nd_json_obj_end(&j);
}

void nd_article_to_text(const nd_article *a, nd_buf *out)
{
    if (a->title) {
        nd_buf_puts(out, a->title);
        nd_buf_puts(out, "\n\n");
    }
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        if (i) nd_buf_puts(out, "\n\n");
        nd_buf_puts(out, a->paragraphs[i]);
    }
    nd_buf_putc(out, '\n');
}

/* Markdown: a paragraph that starts with a Markdown marker is escaped so
 * that it stays a paragraph. */
static void md_para(nd_buf *out, const char *p)
{
    if (*p == '#' || *p == '>' || *p == '-' || *p == '*' || *p == '+' || *p == '|' ||
        (*p >= '0' && *p <= '9' && strchr(p, '.') &&
         strspn(p, "0123456789") == (size_t) (strchr(p, '.') - p)))
        nd_buf_putc(out, '\\');
    nd_buf_puts(out, p);
}

void nd_article_to_markdown(const nd_article *a, nd_buf *out)
{
    nd_buf_printf(out, "# %s\n\n", a->title ? a->title : "(untitled)");
    int meta = 0;
    if (a->n_authors) {
        nd_buf_puts(out, "*By ");
        for (size_t i = 0; i < a->n_authors; i++) {
            if (i) nd_buf_puts(out, i + 1 == a->n_authors ? " and " : ", ");
            nd_buf_puts(out, a->authors[i]);
        }
        nd_buf_putc(out, '*');
        meta = 1;
    }
    const char *parts[3] = {a->site, a->published, a->credit};
    for (int i = 0; i < 3; i++) {
        if (!parts[i]) continue;
        nd_buf_puts(out, meta ? " · " : "");
        if (i == 2) nd_buf_puts(out, "credit: ");
        nd_buf_puts(out, parts[i]);
        meta = 1;
    }
    if (meta) nd_buf_puts(out, "\n\n");
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        md_para(out, a->paragraphs[i]);
        nd_buf_puts(out, "\n\n");
    }
    if (a->n_related) {
        nd_buf_puts(out, "## Related\n\n");
        for (size_t i = 0; i < a->n_related; i++) {
            const nd_related *r = &a->related[i];
            if (r->url)
                nd_buf_printf(out, "- [%s](%s)", r->title ? r->title : r->url, r->url);
            else
                nd_buf_printf(out, "- %s", r->title ? r->title : "(untitled)");
            if (r->site) nd_buf_printf(out, " — %s", r->site);
            if (r->age) nd_buf_printf(out, ", %s", r->age);
            nd_buf_putc(out, '\n');
        }
    }
}
