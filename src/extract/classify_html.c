/* classify_html.c - which blocks of an HTML page are the article.
 *
 * 1. Every block gets a prose quality q in [-1, 1] from its own text (stop
 *    words, sentence punctuation, link density, furniture phrases).
 * 2. Elements whose class/id/role/tag say boilerplate (comments, related,
 *    share, nav, footer, ads, newsletter ...) make the blocks below them
 *    count against any container that holds them - unless the element
 *    wraps most of the page's prose (a <body class="has-sidebar">).
 * 3. The article container is the element whose subtree maximises
 *    good prose minus furniture: a maximum-subtree sum over the element
 *    tree, computed bottom-up in one pass (nodes are numbered in document
 *    order, so children come after parents).
 * 4. Inside it, blocks are kept or dropped by their own evidence and their
 *    neighbours' (short blocks between prose paragraphs are kept: subheads,
 *    one-line paragraphs; furniture at the edges is trimmed).
 */
#include <math.h>
#include <string.h>

#include "extract/extract_int.h"
#include "extract/features.h"
#include "extract/meta.h"
#include "newsdesk/lang.h"

/* Node flags that make content below a node furniture. */
#define BAD_FLAGS                                                                                  \
    (ND_NODE_COMMENT | ND_NODE_RELATED | ND_NODE_SHARE | ND_NODE_AD | ND_NODE_NAV |                \
     ND_NODE_FOOTER | ND_NODE_NEWSLETTER | ND_NODE_AUTHORBIO | ND_NODE_TAGS | ND_NODE_TEASER)

#ifndef NEUTRAL_WEIGHT
#define NEUTRAL_WEIGHT 0.3f
#endif

typedef struct hctx {
    nd_page *pg;
    float *good, *bad; /* per node: subtree sums */
    uint32_t *inh;     /* per node: inherited flags (own | ancestors') */
    uint32_t *inh2;    /* per node: scratch */
    float *scratch;    /* per node: scratch */
    uint8_t *neg;      /* per node: its own class says furniture (after the wrapper test) */
    const char *lang;
    int thread; /* the page is a thread: its posts are the content */
} hctx;

/* The page's language: detected from its longest blocks (markup often
 * lies: templates ship lang="en" on German pages), else as declared. */
static const char *page_lang(nd_page *pg)
{
    nd_buf sample = ND_BUF_INIT;
    for (size_t i = 0; i < pg->n_blocks && sample.len < 8192; i++) {
        nd_block *b = &pg->blocks[i];
        if (b->len >= 80 && b->link_len * 2 < b->len) {
            nd_buf_append(&sample, pg->text.ptr + b->off, b->len);
            nd_buf_putc(&sample, ' ');
        }
    }
    const char *l = sample.len ? nd_lang_detect(sample.ptr, sample.len) : NULL;
    nd_buf_free(&sample);
    if (l || !pg->lang || !pg->lang[0] || !pg->lang[1]) return l;
    static const char *const known[] = {"en", "de", "fr", "es", "it", "pt", "nl", "sv", "da",
                                        "no", "nb", "fi", "pl", "cs", "ro", "hu", "tr", "id",
                                        "ru", "uk", "zh", "ja", "ko", "ar", "he", "el"};
    char d[3] = {(char) (pg->lang[0] | 32), (char) (pg->lang[1] | 32), 0};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(d, known[i])) return known[i];
    return NULL;
}

/* Step 1: q per block. */
static void block_quality(hctx *h)
{
    nd_page *pg = h->pg;
    for (size_t i = 0; i < pg->n_blocks; i++) {
        nd_block *b = &pg->blocks[i];
        nd_slice s = nd__block_text(pg, b);
        nd_text_features f;
        nd__text_features(s.ptr, s.len, h->lang, &f);
        b->words = (uint16_t) (f.words > 65535 ? 65535 : f.words);
        float q = nd__prose_quality(&f, s.len, b->link_len);
        /* Furniture phrases judge short blocks and non-sentences; in a
         * sentence of prose they are only words ("was last updated"). */
        int ph = nd__has_phrase(s.ptr, s.len,
                                f.words > 25 || (f.words >= 10 && f.ends_sentence && q > 0));
        if (ph == 2 || (ph == 1 && f.words <= 25)) q = q > 0 ? -0.5f : -1.f;
        /* Seen on other pages of the batch: site furniture. */
        if (b->flags & ND_BLK_FURNITURE) q = -0.8f;
        if (b->tag >= ND_TAG_H1 && b->tag <= ND_TAG_H6) {
            b->flags |= ND_BLK_HEADING;
            /* headings are neutral, unless they name furniture ("Mehr zum
             * Thema", "Related") */
            if (q < 0 && b->link_len * 2 < b->len && !ph) q = 0;
        }
        if (b->tag == ND_TAG_LI) b->flags |= ND_BLK_LI;
        b->q = q;
    }
}

static float block_len(const nd_block *b)
{
    /* Characters, roughly: bytes with multi-byte scripts discounted. */
    return (float) b->len;
}

/* Steps 2-3: inherited flags, subtree sums, the wrapper test, the
 * container. */
static uint32_t find_container(hctx *h)
{
    nd_page *pg = h->pg;
    size_t nn = pg->n_nodes;
    /* Inherited flags: one forward pass. */
    for (size_t i = 0; i < nn; i++) {
        nd_node *n = &pg->nodes[i];
        /* A tab panel is hidden until its tab is chosen: still the page's. */
        if ((n->flags & (ND_NODE_TAB | ND_NODE_HIDDEN)) == (ND_NODE_TAB | ND_NODE_HIDDEN))
            n->flags &= ~(uint32_t) ND_NODE_HIDDEN;
        h->inh[i] = n->flags | (i ? h->inh[n->parent] : 0);
        n->first_block = UINT32_MAX;
        n->end_block = 0;
    }
    /* Raw prose per subtree (class ignored) to tell wrappers from boxes. */
    float total_good = 0;
    for (size_t i = 0; i < pg->n_blocks; i++) {
        nd_block *b = &pg->blocks[i];
        if (h->inh[b->node] & ND_NODE_HIDDEN) continue;
        float v = b->q > 0 ? b->q * block_len(b) : 0;
        h->good[b->node] += v;
        total_good += v;
        nd_node *n = &pg->nodes[b->node];
        if (n->first_block == UINT32_MAX) n->first_block = (uint32_t) i;
        n->end_block = (uint32_t) i + 1;
    }
    for (size_t i = nn; i-- > 1;) {
        nd_node *n = &pg->nodes[i];
        h->good[n->parent] += h->good[i];
        nd_node *p = &pg->nodes[n->parent];
        if (n->first_block < p->first_block) p->first_block = n->first_block;
        if (n->end_block > p->end_block) p->end_block = n->end_block;
    }
    /* A byline or date class on an element that holds more than a few
     * blocks is a wrapper's name (Blogger's "date-outer" around the
     * post), not a byline: it is not inherited. */
    for (size_t i = 1; i < nn; i++) {
        nd_node *n = &pg->nodes[i];
        uint32_t own = n->flags;
        if ((own & (ND_NODE_BYLINE | ND_NODE_DATE)) && n->end_block > n->first_block + 4)
            own &= ~(uint32_t) (ND_NODE_BYLINE | ND_NODE_DATE);
        /* The classes of <body> and <html> describe the page's state
         * ("comments-open", "has-sidebar"), not a part of it. */
        if (n->tag == ND_TAG_BODY || n->tag == ND_TAG_HTML)
            own &= ND_NODE_BLOCK | ND_NODE_HIDDEN | ND_NODE_POS | ND_NODE_BODYPROP;
        h->inh[i] = own | h->inh[n->parent];
    }
    /* Prose of the best content-marked element (<article>, <main>,
     * itemprop=articleBody, class "entry-content") at or below each node. */
    float *pos = h->bad; /* scratch until the real sums below */
    for (size_t i = 0; i < nn; i++) {
        nd_node *n = &pg->nodes[i];
        int marked = (n->flags & ND_NODE_BODYPROP) || n->weight >= 4 || n->tag == ND_TAG_ARTICLE ||
                     n->tag == ND_TAG_MAIN;
        pos[i] = marked ? h->good[i] : 0;
    }
    for (size_t i = nn; i-- > 1;) {
        uint32_t p = pg->nodes[i].parent;
        if (pos[i] > pos[p]) pos[p] = pos[i];
    }
    /* The nearest content-marked ancestor of each node (0: none), in the
     * scratch of the flags array (restored below). */
    uint32_t *anc = h->inh2;
    for (size_t i = 0; i < nn; i++) {
        anc[i] = 0;
        if (!i) continue;
        uint32_t p = pg->nodes[i].parent;
        const nd_node *pn = &pg->nodes[p];
        int pmarked = ((pn->flags & ND_NODE_BODYPROP) || pn->weight >= 4 ||
                       pn->tag == ND_TAG_ARTICLE || pn->tag == ND_TAG_MAIN) &&
                      pn->tag != ND_TAG_BODY && pn->tag != ND_TAG_HTML;
        anc[i] = pmarked ? p : anc[p];
    }
    /* A thread (a forum, a Q&A page, a review page): most of the prose is
     * in posts that the markup calls comments, and no element the markup
     * names as the article holds prose of its own outside them.  Then the
     * posts are the content. */
    float comment_good = 0, *nc = h->scratch;
    memset(nc, 0, nn * sizeof *nc);
    for (size_t i = 0; i < pg->n_blocks; i++) {
        const nd_block *b = &pg->blocks[i];
        if (b->q <= -0.5f || b->link_len * 2 >= b->len || (h->inh[b->node] & ND_NODE_HIDDEN))
            continue;
        if (h->inh[b->node] & ND_NODE_COMMENT) {
            if (b->q > 0) comment_good += b->q * block_len(b);
            continue;
        }
        /* Outside the posts, prose that no furniture class claims. */
        int furn = 0;
        for (uint32_t n = b->node; n && !furn; n = pg->nodes[n].parent) {
            const nd_node *d = &pg->nodes[n];
            if (d->tag == ND_TAG_BODY || d->tag == ND_TAG_HTML || h->good[n] > 0.5f * total_good)
                continue; /* the page's wrappers */
            furn = (d->flags & BAD_FLAGS) || d->weight <= -2 || d->tag == ND_TAG_ASIDE ||
                   d->tag == ND_TAG_FOOTER || d->tag == ND_TAG_NAV;
        }
        /* Plain text counts too: a recipe card or a product sheet above
         * its reviews is the page's own text. */
        if (!furn) nc[b->node] += b->q > 0 ? b->q * block_len(b) : NEUTRAL_WEIGHT * block_len(b);
    }
    for (size_t i = nn; i-- > 1;) nc[pg->nodes[i].parent] += nc[i];
    /* The most prose outside the posts that one element holds without
     * holding posts too. */
    float article_nc = 0;
    for (size_t i = 1; i < nn; i++)
        if (nc[i] > article_nc && !(h->inh[i] & ND_NODE_COMMENT) && h->good[i] < 1.2f * nc[i])
            article_nc = nc[i];
    h->thread =
        comment_good > 0.6f * total_good && article_nc < 0.15f * comment_good && article_nc < 250.f;
    for (size_t i = 0; i < nn; i++) {
        nd_node *n = &pg->nodes[i];
        /* Furniture words outweighed by content words ("entry-content
         * paywall") do not make furniture. */
        int neg = ((n->flags & BAD_FLAGS) && n->weight <= 0) || n->weight <= -2;
        if (n->flags & ND_NODE_BODYPROP) neg = 0;
        if (h->thread && (n->flags & ND_NODE_COMMENT) &&
            !(n->flags & (BAD_FLAGS & ~(uint32_t) ND_NODE_COMMENT)))
            neg = 0;
        /* A furniture class on an element that wraps the article is layout,
         * not furniture (<div class="page has-sidebar">): it holds a
         * content-marked element with a good share of the prose, or, on
         * pages where no such element holds the article, most of the
         * prose.  Footers, navs and asides by tag and comment sections stay
         * furniture whatever they hold. */
        int keep = n->tag == ND_TAG_FOOTER || n->tag == ND_TAG_NAV || n->tag == ND_TAG_ASIDE ||
                   ((n->flags & ND_NODE_COMMENT) && !h->thread);
        /* ... unless the markup is broken: a <nav> left open that wraps
         * the page and its article. */
        if (neg && keep && !(n->flags & ND_NODE_COMMENT) && h->good[i] > 0.7f * total_good &&
            pos[i] > 0.5f * total_good)
            keep = 0;
        if (neg && !keep) {
            if (pos[i] > 0.3f * total_good)
                neg = 0;
            else if (pos[0] < 0.3f * total_good && h->good[i] > 0.5f * total_good)
                neg = 0;
            /* Inside the article element, a wrapper that holds most of its
             * prose ("entry share" around the paragraphs) is layout. */
            else if (anc[i] && h->good[anc[i]] > 0.3f * total_good &&
                     h->good[i] > (n->weight >= -1 ? 0.6f : 0.85f) * h->good[anc[i]])
                neg = 0;
        }
        if (n->tag == ND_TAG_BODY || n->tag == ND_TAG_HTML || n->tag == ND_TAG_ROOT) neg = 0;
        h->neg[i] = (uint8_t) neg;
    }
    /* Now the real sums: blocks under a furniture element count against. */
    memset(h->good, 0, nn * sizeof *h->good);
    memset(h->bad, 0, nn * sizeof *h->bad);
    for (size_t i = 0; i < pg->n_blocks; i++) {
        nd_block *b = &pg->blocks[i];
        if (h->inh[b->node] & ND_NODE_HIDDEN) continue;
        int under_neg = 0;
        for (uint32_t n = b->node; n; n = pg->nodes[n].parent)
            if (h->neg[n]) {
                under_neg = 1;
                break;
            }
        float len = block_len(b);
        if (under_neg)
            h->bad[b->node] += len * (b->q > 0 ? 0.7f : 1.f);
        else if (b->q > 0)
            h->good[b->node] += len * b->q;
        else if (b->q > -0.5f && b->link_len * 4 < b->len)
            /* Plain text that is not prose (scores, lists, tables) counts a
             * little: it decides where there is no prose at all. */
            h->good[b->node] += len * NEUTRAL_WEIGHT;
        else
            h->bad[b->node] += len * -b->q;
    }
    for (size_t i = nn; i-- > 1;) {
        nd_node *n = &pg->nodes[i];
        h->good[n->parent] += h->good[i];
        h->bad[n->parent] += h->bad[i];
    }
    uint32_t best = 0;
    float best_score = -INFINITY;
    for (size_t i = 0; i < nn; i++) {
        nd_node *n = &pg->nodes[i];
        if (!(n->flags & ND_NODE_BLOCK) && n->tag != ND_TAG_ROOT) continue;
        float s = h->good[i] - 0.5f * h->bad[i];
        /* What the markup says about the element itself counts too: an
         * <article class="entry-content"> beats an anonymous <div>. */
        if (s > 0) {
            int w = n->weight > 10 ? 10 : n->weight < -10 ? -10 : n->weight;
            s *= 1.f + 0.04f * (float) w;
            if (n->flags & ND_NODE_BODYPROP) s *= 1.15f;
        }
        n->sum_good = h->good[i];
        n->sum_bad = h->bad[i];
        n->score = s;
        /* Prefer the deeper of equal containers (children come later). */
        if (s > best_score * 1.0001f ||
            (s >= best_score && i > best && s > 0 && h->good[i] >= h->good[best] * 0.999f)) {
            best_score = s;
            best = (uint32_t) i;
        }
    }
    return best;
}

/* Is block b (inside the container) under a furniture element that lies
 * inside the container? */
static int under_bad(hctx *h, const nd_block *b, uint32_t container)
{
    nd_page *pg = h->pg;
    for (uint32_t n = b->node; n && n != container; n = pg->nodes[n].parent) {
        if (h->neg[n]) return 1;
        if (pg->nodes[n].flags & (ND_NODE_CAPTION | ND_NODE_HIDDEN)) return 1;
        if (pg->nodes[n].tag == ND_TAG_FIGURE || pg->nodes[n].tag == ND_TAG_FIGCAPTION) return 1;
    }
    return 0;
}

static int is_inside(const nd_page *pg, uint32_t n, uint32_t container)
{
    while (n && n != container) n = pg->nodes[n].parent;
    return n == container;
}

static int same_text(const char *a, size_t an, const char *b, size_t bn)
{
    nd_slice x = nd_slice_trim((nd_slice){a, an}), y = nd_slice_trim((nd_slice){b, bn});
    return x.len == y.len && x.len && memcmp(x.ptr, y.ptr, x.len) == 0;
}

/* Bytes of block i that author elements (rel=author, class byline ...)
 * hold. */
static size_t name_share(const nd_page *pg, size_t i)
{
    const nd_block *b = &pg->blocks[i];
    size_t n = 0;
    for (size_t k = 0; k < pg->n_names; k++) {
        const nd_name_span *sp = &pg->names[k];
        if (sp->block > i) break;
        if (sp->end <= b->off || sp->off >= b->off + b->len) continue;
        uint32_t s = sp->off > b->off ? sp->off : b->off;
        uint32_t e = sp->end < b->off + b->len ? sp->end : b->off + b->len;
        if (e - s > n) n = e - s; /* nested author elements: the widest */
    }
    return n;
}

/* Is the node in a small element below the container that the markup
 * calls the author's or a bio (an author box, not the article)? */
static int in_author_box(const nd_page *pg, uint32_t node, uint32_t container)
{
    for (uint32_t n = node; n && n != container; n = pg->nodes[n].parent) {
        const nd_node *d = &pg->nodes[n];
        if ((d->flags & (ND_NODE_BYLINE | ND_NODE_AUTHORBIO)) && d->end_block <= d->first_block + 8)
            return 1;
    }
    return 0;
}

/* A block that is one link whose text is its own address. */
static int bare_url(const nd_page *pg, const nd_block *b)
{
    if (!(b->flags & ND_BLK_ALLLINK) || b->len < 8 || b->len > 300) return 0;
    nd_slice t = nd__block_text(pg, b);
    if (!nd_slice_istarts_c(t, "http://") && !nd_slice_istarts_c(t, "https://") &&
        !nd_slice_istarts_c(t, "www."))
        return 0;
    return memchr(t.ptr, ' ', t.len) == NULL;
}

/* Is the node marked as the lead (class lead, subheadline ...) below art? */
static int lead_marked(const nd_page *pg, uint32_t node, uint32_t art)
{
    for (uint32_t n = node; n && n != art; n = pg->nodes[n].parent)
        if (pg->nodes[n].flags & ND_NODE_LEAD) return 1;
    return 0;
}

static int has_body(const nd_page *pg)
{
    for (size_t i = 0; i < pg->n_blocks; i++)
        if (pg->blocks[i].label == ND_LBL_BODY) return 1;
    return 0;
}

/* The container choice left no body (a page of short lines: lyrics,
 * photo notes, a live ticker; or prose only in a caption).  First every
 * plain text of the container that is not furniture; then, when that is
 * empty too, the page's prose blocks outside navigation, footers, asides
 * and comments.  Either way the article says so in a warning. */
static void fallback(hctx *h, nd_extract_ctx *x, uint32_t c)
{
    nd_page *pg = h->pg;
    /* The element the markup names as the article around the container. */
    uint32_t art = c;
    while (art && !(pg->nodes[art].tag == ND_TAG_ARTICLE || pg->nodes[art].tag == ND_TAG_MAIN ||
                    (pg->nodes[art].flags & ND_NODE_BODYPROP) || pg->nodes[art].weight >= 4))
        art = pg->nodes[art].parent;
    for (int pass = 0; pass < 3 && !has_body(pg); pass++) {
        if (pass == 1) {
            if (!art || art == c) continue;
            c = art;
        }
        for (size_t i = 0; i < pg->n_blocks; i++) {
            nd_block *b = &pg->blocks[i];
            if ((h->inh[b->node] & ND_NODE_HIDDEN) || b->link_len * 2 >= b->len) continue;
            if (pass < 2) {
                if (!is_inside(pg, b->node, c) || b->q <= -0.5f) continue;
                int bad = 0;
                for (uint32_t n = b->node; n && n != c && !bad; n = pg->nodes[n].parent)
                    bad = h->neg[n];
                if (bad || (b->flags & ND_BLK_HEADING) || nd__is_dateline(nd__block_text(pg, b)) ||
                    (h->inh[b->node] & (ND_NODE_BYLINE | ND_NODE_DATE)))
                    continue;
            } else {
                if (b->q <= 0 || b->link_len * 4 >= b->len) continue;
                if (h->inh[b->node] & (ND_NODE_NAV | ND_NODE_FOOTER | ND_NODE_COMMENT)) continue;
                int bad = 0;
                for (uint32_t n = b->node; n && !bad; n = pg->nodes[n].parent)
                    bad = pg->nodes[n].tag == ND_TAG_NAV || pg->nodes[n].tag == ND_TAG_FOOTER ||
                          pg->nodes[n].tag == ND_TAG_ASIDE;
                if (bad) continue;
            }
            b->label = ND_LBL_BODY;
        }
    }
    if (has_body(pg)) x->fallback = 1;
}

int nd__classify_html(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    if (!pg->n_blocks) return 0;
    hctx h = {pg, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    size_t nn = pg->n_nodes;
    h.good = nd_calloc(nn, sizeof *h.good);
    h.bad = nd_calloc(nn, sizeof *h.bad);
    h.inh = nd_calloc(nn, sizeof *h.inh);
    h.inh2 = nd_calloc(nn, sizeof *h.inh2);
    h.scratch = nd_calloc(nn, sizeof *h.scratch);
    h.neg = nd_calloc(nn, 1);
    if (!h.good || !h.bad || !h.inh || !h.inh2 || !h.scratch || !h.neg) {
        nd_free(h.good), nd_free(h.bad), nd_free(h.inh), nd_free(h.inh2), nd_free(h.neg);
        nd_free(h.scratch);
        return ND_ENOMEM;
    }
    h.lang = page_lang(pg);
    x->lang = h.lang;
    block_quality(&h);
    uint32_t c = find_container(&h);
    /* One panel of a set of tabs chosen alone: the set is the content,
     * its tabs name the sections of one thing (the product, its
     * ingredient, its prices; a recipe's ingredients and steps). */
    int tabs = 0;
    for (uint32_t n = c, up = 0; n && up < 4; n = pg->nodes[n].parent, up++)
        if (pg->nodes[n].flags & ND_NODE_TAB) {
            uint32_t top = n;
            while (pg->nodes[top].parent && (pg->nodes[pg->nodes[top].parent].flags & ND_NODE_TAB))
                top = pg->nodes[top].parent;
            if (top != c) c = top, tabs = 1;
            break;
        }
    x->container = c;
    x->thread = h.thread;

    /* Step 4: decide inside the container.  A container the markup
     * names as the article (itemprop=articleBody, class "entry-content",
     * <article>) is trusted with its non-prose text too (lists, recipes,
     * tables); one found by prose density alone is not. */
    size_t nb = pg->n_blocks;
    int strong = (pg->nodes[c].flags & ND_NODE_BODYPROP) || pg->nodes[c].weight >= 3 || tabs;
    int seen_prose = 0;
    for (size_t i = 0; i < nb; i++) {
        nd_block *b = &pg->blocks[i];
        b->label = ND_LBL_BOILER;
        if (!is_inside(pg, b->node, c)) continue;
        if (h.inh[b->node] & ND_NODE_HIDDEN) continue;
        if (under_bad(&h, b, c)) continue;
        if (bare_url(pg, b)) {
            /* A link written out as its address in the text ("Source:
             * https://…" on a line of its own) is the text's, between
             * paragraphs. */
            b->label = ND_LBL_NONE;
            continue;
        }
        if (b->q <= -0.5f) continue;
        if (b->q >= 0.7f) seen_prose = 1;
        {
            nd_slice t = nd__block_text(pg, b);
            if (nd__is_bio(t.ptr, t.len)) {
                b->label = ND_LBL_BIO;
                continue;
            }
        }
        if ((h.inh[b->node] & (ND_NODE_BYLINE | ND_NODE_DATE | ND_NODE_KICKER)) && b->words < 25 &&
            b->q < 1.f)
            continue;
        /* An author box after the text ("author-description", "bio"). */
        if (seen_prose && in_author_box(pg, b->node, c)) {
            b->label = ND_LBL_BIO;
            continue;
        }
        /* A line that is mostly an author element's name ("Von Anna Berger
         * und Jonas Keller · 28.04.2023") is the byline. */
        if (b->words < 25 && name_share(pg, i) * 10 >= b->len * 3) {
            b->label = ND_LBL_BYLINE;
            continue;
        }
        if (pg->title && (b->flags & ND_BLK_HEADING)) {
            nd_slice t = nd__block_text(pg, b);
            if (same_text(t.ptr, t.len, pg->title, strlen(pg->title)) ||
                (strlen(pg->title) > t.len && t.len > 20 &&
                 memmem(pg->title, strlen(pg->title), t.ptr, t.len)))
                continue;
        }
        if (strong && b->q > -0.5f && b->link_len * 2 < b->len && !(b->flags & ND_BLK_HEADING) &&
            !nd__is_dateline(nd__block_text(pg, b)))
            b->label = ND_LBL_BODY;
        else
            b->label = b->q > 0 ? ND_LBL_BODY : ND_LBL_NONE;
    }
    /* What recipe or product markup says the thing is: its ingredients
     * (links to products too), its steps, its description. */
    for (size_t i = 0; i < nb; i++) {
        nd_block *b = &pg->blocks[i];
        uint32_t f = h.inh[b->node];
        if (!(f & ND_NODE_RECIPE) || b->label == ND_LBL_BODY ||
            (f & (ND_NODE_HIDDEN | ND_NODE_NAV | ND_NODE_FOOTER | ND_NODE_COMMENT |
                  ND_NODE_RELATED | ND_NODE_TEASER | ND_NODE_AD)))
            continue;
        b->label = ND_LBL_BODY;
    }
    /* The lead: prose paragraphs of the article element above the
     * container ("entry-excerpt", "teaser-text", a standfirst in the
     * article's header) belong to the article. */
    uint32_t art = pg->nodes[c].parent;
    for (int up = 0; art && up < 4; up++, art = pg->nodes[art].parent) {
        const nd_node *an = &pg->nodes[art];
        if (an->tag == ND_TAG_BODY || an->tag == ND_TAG_HTML) {
            art = 0;
            break;
        }
        if (an->tag == ND_TAG_ARTICLE || (an->flags & ND_NODE_BODYPROP) || an->weight >= 3) break;
    }
    /* (a container without blocks has first_block UINT32_MAX: the blocks
     * of the page bound the walk) */
    if (art && pg->nodes[art].first_block < pg->nodes[c].first_block) {
        for (size_t i = pg->nodes[art].first_block;
             i < pg->nodes[c].first_block && i < pg->n_blocks; i++) {
            nd_block *b = &pg->blocks[i];
            if (b->label != ND_LBL_BOILER || b->q < 0.5f || b->link_len * 4 >= b->len) continue;
            if (h.inh[b->node] & (ND_NODE_HIDDEN | ND_NODE_BYLINE | ND_NODE_DATE)) continue;
            /* Marked as the lead ("lead", "standfirst", "excerpt"), or as
             * a teaser: inside the article element above its body, a
             * teaser that is not a link is the article's own. */
            int lead = 0, bad = 0;
            for (uint32_t n = b->node; n && n != art; n = pg->nodes[n].parent) {
                const nd_node *nn2 = &pg->nodes[n];
                if (nn2->flags & (ND_NODE_LEAD | ND_NODE_TEASER))
                    lead = 1;
                else if (h.neg[n] || (nn2->flags & ND_NODE_CAPTION) || nn2->tag == ND_TAG_FIGURE ||
                         nn2->tag == ND_TAG_FIGCAPTION)
                    bad = 1;
            }
            if (!lead || bad || b->link) continue;
            /* a heading only when marked as the lead (a subheadline), and
             * a paragraph only when it reads as prose */
            if ((b->flags & ND_BLK_HEADING) ? !(lead_marked(pg, b->node, art)) : b->q < 0.7f)
                continue;
            nd_slice t = nd__block_text(pg, b);
            if (nd__is_bio(t.ptr, t.len) || nd__is_dateline(t)) continue;
            b->label = ND_LBL_BODY;
        }
    }
    /* Neutral blocks stay when prose follows them before the container
     * ends (subheads, short paragraphs, list items); trailing ones go.
     * Leading ones go too (kickers, standfirst labels). */
    int seen_body = 0;
    for (size_t i = 0; i < nb; i++) {
        nd_block *b = &pg->blocks[i];
        if (b->label == ND_LBL_BODY) seen_body = 1;
        if (b->label != ND_LBL_NONE) continue;
        if (!seen_body) {
            b->label = ND_LBL_BOILER;
            continue;
        }
        /* (past short furniture lines in the text: "Artikel teilen") */
        size_t j = i + 1;
        while (j < nb && j - i <= 8 &&
               (pg->blocks[j].label == ND_LBL_NONE ||
                (pg->blocks[j].label == ND_LBL_BOILER && pg->blocks[j].words <= 4 &&
                 is_inside(pg, pg->blocks[j].node, c) && !under_bad(&h, &pg->blocks[j], c))))
            j++;
        int body_after = j < nb && pg->blocks[j].label == ND_LBL_BODY;
        /* A run of many short blocks is a list of links, not subheads. */
        b->label = body_after && j - i <= 8 ? ND_LBL_BODY : ND_LBL_BOILER;
    }
    /* A heading is the article's only when text of it follows: a
     * trailing "Comments" or "Log in to reply" heading is not. */
    for (size_t i = nb; i-- > 0;) {
        nd_block *b = &pg->blocks[i];
        if (b->label != ND_LBL_BODY) continue;
        if (!(b->flags & ND_BLK_HEADING)) break;
        b->label = ND_LBL_BOILER;
    }
    if (!has_body(pg)) fallback(&h, x, c);
    nd_free(h.good);
    nd_free(h.bad);
    nd_free(h.inh);
    nd_free(h.inh2);
    nd_free(h.scratch);
    nd_free(h.neg);
    return 0;
}
