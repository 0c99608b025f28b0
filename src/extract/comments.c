/* comments.c - reader comments under an HTML article, kept apart from its
 * text.
 *
 * A comment section is an element the markup calls comments (class
 * "comments", "comment-list", itemprop=comment, Disqus ...).  Each comment
 * in it is the nearest <li> or <article> around its text, or the nearest
 * comment-classed element that has comment-classed siblings; a reply nested
 * in a comment is a comment of its own.  Its author is the text of the
 * author element in it (rel=author, class author/fn), without "says:"; its
 * time the first <time> or dateline in it; its text the rest, without the
 * reply and like buttons.  A thread (forum, Q&A) has no comments: its posts
 * are the article's text.
 */
#include <string.h>

#include "extract/features.h"
#include "extract/meta.h"

#define MAX_COMMENTS 500

static int under_comment(const nd_page *pg, uint32_t node, uint32_t *root)
{
    int found = 0;
    for (uint32_t n = node; n; n = pg->nodes[n].parent) {
        const nd_node *d = &pg->nodes[n];
        if (d->tag == ND_TAG_BODY || d->tag == ND_TAG_HTML) break;
        /* hidden, or the form to write one */
        if ((d->flags & ND_NODE_HIDDEN) || d->tag == ND_TAG_FORM) return 0;
        if (d->flags & ND_NODE_COMMENT) {
            found = 1;
            *root = n;
        }
    }
    return found;
}

/* The comment a node belongs to (0 when none below root). */
static uint32_t item_of(const nd_page *pg, const uint16_t *siblings, uint32_t node, uint32_t root)
{
    /* The nearest <li> or <article> (a reply is a comment of its own) ... */
    for (uint32_t n = node; n && n != root; n = pg->nodes[n].parent)
        if (pg->nodes[n].tag == ND_TAG_LI || pg->nodes[n].tag == ND_TAG_ARTICLE) return n;
    /* ... else the outermost comment-classed element among siblings of its
     * kind (not its header or body, which are siblings too). */
    uint32_t item = 0;
    for (uint32_t n = node; n && n != root; n = pg->nodes[n].parent)
        if ((pg->nodes[n].flags & ND_NODE_COMMENT) && siblings[pg->nodes[n].parent] >= 2) item = n;
    return item;
}

/* "Jane says:", "Jane sagt:", "Jane dit :" -> "Jane". */
static nd_slice author_text(nd_slice s)
{
    static const char *const says[] = {" says", " said",   " sagt", " schreibt", " dit",
                                       " dice", " scrive", " zegt", " pisze"};
    s = nd_slice_trim(s);
    while (s.len && (s.ptr[s.len - 1] == ':' || s.ptr[s.len - 1] == ' ')) s.len--;
    for (size_t i = 0; i < sizeof says / sizeof *says; i++) {
        size_t l = strlen(says[i]);
        if (s.len > l && strncasecmp(s.ptr + s.len - l, says[i], l) == 0) {
            s.len -= l;
            break;
        }
    }
    return nd_slice_trim(s);
}

/* Does the line start with the name ("Jane says:")? */
static int same_start(nd_slice s, const char *name)
{
    size_t n = strlen(name);
    return s.len >= n && strncmp(s.ptr, name, n) == 0 && s.len <= n + 12;
}

int nd__html_comments(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    nd_article *a = x->a;
    if (x->thread || !pg->is_html) return 0;
    uint16_t *siblings = nd_calloc(pg->n_nodes ? pg->n_nodes : 1, sizeof *siblings);
    if (!siblings) return ND_ENOMEM;
    for (size_t i = 1; i < pg->n_nodes; i++)
        if ((pg->nodes[i].flags & ND_NODE_COMMENT) && siblings[pg->nodes[i].parent] < 60000)
            siblings[pg->nodes[i].parent]++;
    size_t cap = 0;
    uint32_t cur = 0;
    nd_buf text = ND_BUF_INIT;
    nd_comment *c = NULL;
    int rc = 0;
    for (size_t i = 0; i <= pg->n_blocks && !rc; i++) {
        uint32_t item = 0, root = 0;
        const nd_block *b = i < pg->n_blocks ? &pg->blocks[i] : NULL;
        if (b && b->label != ND_LBL_BODY && under_comment(pg, b->node, &root))
            item = item_of(pg, siblings, b->node, root);
        if (b && !item) continue;
        if (!b || item != cur) {
            /* Close the comment being collected. */
            if (c && text.len) c->text = nd_arena_strndup(a->arena, text.ptr, text.len);
            /* Nothing but a name and a date; or neither a name nor a date
             * (the section's heading, the form's notes). */
            if (c && (!c->text || (!c->author && !c->published))) a->n_comments--;
            c = NULL;
            nd_buf_clear(&text);
            cur = item;
            if (!b) break;
            if (a->n_comments >= MAX_COMMENTS) break;
            nd_comment *arr = nd__grow(a->arena, a->comments, a->n_comments, &cap, sizeof *arr);
            if (!arr) {
                rc = ND_ENOMEM;
                break;
            }
            a->comments = arr;
            c = &a->comments[a->n_comments++];
            memset(c, 0, sizeof *c);
            /* Its author and time, from the author elements and <time>s it
             * holds. */
            const nd_node *in = &pg->nodes[item];
            for (size_t k = 0; k < pg->n_names && !c->author; k++) {
                const nd_name_span *sp = &pg->names[k];
                if (sp->block < in->first_block || sp->block >= in->end_block) continue;
                uint32_t root2;
                if (!under_comment(pg, sp->node, &root2)) continue; /* a form's label */
                /* Its first line: the element may hold the avatar's
                 * caption or "says:" in blocks of their own. */
                nd_slice s = {pg->text.ptr + sp->off, sp->end - sp->off};
                while (s.len && s.ptr[0] == 0) s.ptr++, s.len--;
                const char *nul = memchr(s.ptr, 0, s.len);
                if (nul) s.len = (size_t) (nul - s.ptr);
                s = author_text(s);
                if (s.len && s.len <= 60) c->author = nd_arena_strndup(a->arena, s.ptr, s.len);
            }
            for (size_t k = 0; k < pg->n_times && !c->published; k++) {
                const nd_time_el *t = &pg->times[k];
                if (t->stamp || t->block < in->first_block || t->block >= in->end_block) continue;
                int64_t ts;
                int ht, off;
                if (nd_time_parse_zone(t->datetime, strlen(t->datetime), &ts, &ht, &off) == 0) {
                    char buf[32];
                    nd_time_format_zone(ts, !ht, off, buf);
                    c->published = nd_arena_strndup(a->arena, buf, strlen(buf));
                }
            }
        }
        /* The comment's own text: not the author's name, a date line, or
         * the buttons. */
        nd_slice s = nd__block_text(pg, b);
        if (c->author && same_start(s, c->author)) continue;
        if (b->flags & ND_BLK_HEADING) continue;
        if (nd__is_dateline(s) || nd__is_age_line(s.ptr, s.len)) {
            if (!c->published) {
                int64_t ts;
                int ht, off;
                size_t st, en;
                if (nd_time_find_zone(s.ptr, s.len, &ts, &ht, &off, &st, &en) == 0) {
                    char buf[32];
                    nd_time_format_zone(ts, !ht, off, buf);
                    c->published = nd_arena_strndup(a->arena, buf, strlen(buf));
                }
            }
            continue;
        }
        if (b->link_len * 2 > b->len || (b->words <= 4 && nd__has_phrase(s.ptr, s.len, 0)))
            continue;
        if (text.len) nd_buf_append(&text, "\n\n", 2);
        nd_buf_append(&text, s.ptr, s.len);
    }
    if (c && text.len && !rc) c->text = nd_arena_strndup(a->arena, text.ptr, text.len);
    if (c && (!c->text || (!c->author && !c->published)) && a->n_comments) a->n_comments--;
    if (text.failed) rc = ND_ENOMEM;
    nd_buf_free(&text);
    nd_free(siblings);
    return rc;
}
