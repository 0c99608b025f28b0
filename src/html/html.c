/* html.c - the HTML front: libxml2's HTML parser in SAX mode -> nd_page.
 *
 * No DOM is built: start/end/characters events go straight into blocks of
 * normalised text and a light tree of the elements that matter (block-level
 * elements, links, spans with classes).  This halves the cost of the parse
 * compared with building libxml2's tree and keeps the parse -> blocks
 * boundary in one file.
 */
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "extract/extract_int.h"
#include "html/html_int.h"

typedef struct elem {
    uint32_t node; /* node created for it, or 0 */
    uint16_t tag;
    uint8_t drop;   /* its content is dropped */
    uint8_t ldjson; /* <script type="application/ld+json">; 2: a <script>
                     * without a type, kept when it holds JSON-LD */
    uint8_t name;   /* an author element: its text is recorded */
    uint32_t name_off;
} elem;

/* libxml2 interns element names in its dictionary, so the same name comes
 * back as the same pointer: a small direct-mapped cache keyed by it saves
 * the table lookup for almost every element. */
typedef struct tag_cache_entry {
    const void *name;
    uint16_t tag;
    uint16_t props;
} tag_cache_entry;

typedef struct sax_state {
    nd_page *pg;
    tag_cache_entry tcache[128];
    elem stack[ND_PAGE_MAX_DEPTH];
    int sp;       /* elements on the stack */
    int overflow; /* elements beyond ND_PAGE_MAX_DEPTH */
    int drop;     /* > 0: inside an element whose content is dropped */
    int pre;      /* > 0: inside <pre> */
    int link;     /* > 0: inside <a> */
    uint32_t link_node;
    uint32_t cur; /* node of the innermost element that has one */
    int in_title, in_ldjson, seen_title, in_body;
    int seen_item; /* the first Recipe/Product itemscope has been met */
    nd_buf title, ld;
    /* The block being collected: text from blk_off to the end of pg->text. */
    uint32_t blk_off;
    uint32_t blk_link;
    uint32_t blk_link_node; /* the single link covering it so far */
    int blk_multi_link;     /* more than one link, or text outside links */
    int space;              /* a space is pending */
    int xml_nomem;          /* libxml2 ran out of memory */
} sax_state;

static uint32_t block_node(sax_state *st)
{
    nd_page *pg = st->pg;
    uint32_t n = st->cur;
    while (n && !(pg->nodes[n].flags & ND_NODE_BLOCK)) n = pg->nodes[n].parent;
    return n;
}

/* End the current block: trim and record it if it has text. */
static void flush(sax_state *st, uint16_t extra_flags)
{
    nd_page *pg = st->pg;
    st->space = 0;
    size_t end = pg->text.len;
    while (end > st->blk_off && pg->text.ptr[end - 1] == ' ') end--;
    if (end > st->blk_off) {
        uint32_t node = block_node(st);
        nd_block *b = nd__page_add_block(pg, node, st->blk_off, (uint32_t) (end - st->blk_off));
        if (b) {
            b->link_len = st->blk_link > b->len ? b->len : st->blk_link;
            b->flags |= extra_flags;
            if (!st->blk_multi_link && st->blk_link_node && b->link_len == b->len) {
                b->link = st->blk_link_node;
                b->flags |= ND_BLK_ALLLINK;
            }
            if (st->pre) b->flags |= ND_BLK_PRE;
            /* Separate blocks in the text buffer so that a block's text
             * can be printed as a C string. */
            nd_buf_putc(&pg->text, 0);
            end = pg->text.len;
        } else {
            end = st->blk_off;
        }
    }
    nd_buf_truncate(&pg->text, end);
    st->blk_off = (uint32_t) pg->text.len;
    st->blk_link = 0;
    st->blk_link_node = 0;
    st->blk_multi_link = 0;
}

/* Append text, collapsing white space (outside <pre>) and dropping
 * invisible characters (soft hyphen, zero-width spaces, BOM). */
static void add_text(sax_state *st, const unsigned char *s, size_t n)
{
    nd_page *pg = st->pg;
    if (pg->text.len >= UINT32_MAX - n - 16) return; /* blocks address 4 GiB */
    size_t i = 0;
    size_t before = pg->text.len;
    while (i < n) {
        unsigned c = s[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
            if (st->pre && c == '\n') {
                nd_buf_putc(&pg->text, '\n');
                st->space = 0;
            } else {
                st->space = 1;
            }
            i++;
            continue;
        }
        if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0) { /* NBSP */
            st->space = 1;
            i += 2;
            continue;
        }
        if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xAD) { /* soft hyphen */
            i += 2;
            continue;
        }
        if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 &&
            (s[i + 2] == 0x8B || s[i + 2] == 0x8C || s[i + 2] == 0x8D)) {
            i += 3;
            continue;
        }
        if (c == 0xEF && i + 2 < n && s[i + 1] == 0xBB && s[i + 2] == 0xBF) {
            i += 3;
            continue;
        }
        if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] >= 0x80 && s[i + 2] <= 0x8A) {
            st->space = 1; /* the Unicode spaces U+2000..U+200A */
            i += 3;
            continue;
        }
        if (st->space) {
            if (pg->text.len > st->blk_off) nd_buf_putc(&pg->text, ' ');
            st->space = 0;
        }
        /* Copy the run up to the next byte that needs a look; a single
         * space between words is part of the run. */
        size_t j = i + 1;
        while (j < n) {
            unsigned d = s[j];
            if (d == ' ' && j + 1 < n && s[j + 1] != ' ' && s[j + 1] != '\n' && s[j + 1] != '\t' &&
                s[j + 1] != '\r' && s[j + 1] != '\f' && s[j + 1] != 0xC2 && s[j + 1] != 0xE2 &&
                s[j + 1] != 0xEF) {
                j += 2;
                continue;
            }
            if (d == ' ' || d == '\n' || d == '\t' || d == '\r' || d == '\f' || d == 0xC2 ||
                d == 0xE2 || d == 0xEF)
                break;
            j++;
        }
        nd_buf_append(&pg->text, s + i, j - i);
        i = j;
    }
    size_t added = pg->text.len - before;
    if (!added) return;
    if (st->link) {
        st->blk_link += (uint32_t) added;
        if (!st->blk_link_node)
            st->blk_link_node = st->link_node;
        else if (st->blk_link_node != st->link_node)
            st->blk_multi_link = 1;
    } else {
        st->blk_multi_link = 1;
    }
}

static int tag_of(sax_state *st, const xmlChar *name, unsigned *props)
{
    size_t h = ((uintptr_t) name >> 4) & 127;
    tag_cache_entry *e = &st->tcache[h];
    if (e->name != name) {
        e->tag = (uint16_t) nd__tag_lookup((const char *) name, props);
        e->props = (uint16_t) *props;
        e->name = name;
    }
    *props = e->props;
    return e->tag;
}

static const char *attr(const xmlChar **atts, const char *name)
{
    if (!atts) return NULL;
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp((const char *) atts[i], name) == 0)
            return atts[i + 1] ? (const char *) atts[i + 1] : "";
    return NULL;
}

static int ieq(const char *a, const char *b)
{
    return a && strcasecmp(a, b) == 0;
}

/* Does the element say it holds an author's name: itemprop author or
 * creator, rel=author, a class word author/byline? */
static int author_attrs(const xmlChar **atts)
{
    if (!atts) return 0;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *nm = (const char *) atts[i], *v = (const char *) atts[i + 1];
        if (!v) continue;
        if (!strcmp(nm, "itemprop") && (strstr(v, "author") || strstr(v, "creator"))) return 1;
        if (!strcmp(nm, "rel") && strstr(v, "author")) return 1;
        if (!strcmp(nm, "class") && (strcasestr(v, "author") || strcasestr(v, "byline"))) return 1;
    }
    return 0;
}

/* Is the element being opened inside the page's Recipe/Product item? */
static int in_item(const sax_state *st)
{
    for (uint32_t n = st->cur; n; n = st->pg->nodes[n].parent)
        if (st->pg->nodes[n].flags & ND_NODE_ITEM) return 1;
    return 0;
}

/* Flags and weight from the element's own attributes. */
static void classify_attrs(sax_state *st, nd_node *n, const xmlChar **atts)
{
    int weight = 0;
    uint32_t flags = 0;
    /* One pass over the attributes (libxml2 gives HTML names in lower
     * case). */
    const char *cls = NULL, *id = NULL, *role = NULL, *ip = NULL, *rel = NULL, *style = NULL;
    const char *itype = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *nm = (const char *) atts[i], *v = atts[i + 1] ? (const char *) atts[i + 1] : "";
        switch (nm[0]) {
        case 'c':
            if (!strcmp(nm, "class")) cls = v;
            break;
        case 'i':
            if (nm[1] == 'd' && !nm[2])
                id = v;
            else if (!strcmp(nm, "itemprop"))
                ip = v;
            else if (!strcmp(nm, "itemtype"))
                itype = v;
            break;
        case 'r':
            if (!strcmp(nm, "role"))
                role = v;
            else if (!strcmp(nm, "rel"))
                rel = v;
            break;
        case 's':
            if (!strcmp(nm, "style")) style = v;
            break;
        case 'h':
            if (!strcmp(nm, "hidden")) flags |= ND_NODE_HIDDEN;
            break;
        case 'a':
            if (!strcmp(nm, "aria-hidden") && ieq(v, "true")) flags |= ND_NODE_HIDDEN;
            break;
        default: break;
        }
    }
    if (itype && !st->seen_item &&
        (strstr(itype, "schema.org/Recipe") || strstr(itype, "schema.org/Product"))) {
        flags |= ND_NODE_ITEM;
        st->seen_item = 1;
    }
    if (cls) nd__class_words(cls, strlen(cls), &weight, &flags);
    if (id) nd__class_words(id, strlen(id), &weight, &flags);
    if (role) {
        if (ieq(role, "navigation") || ieq(role, "menu") || ieq(role, "menubar"))
            flags |= ND_NODE_NAV, weight -= 3;
        else if (ieq(role, "contentinfo"))
            flags |= ND_NODE_FOOTER, weight -= 3;
        else if (ieq(role, "banner"))
            flags |= ND_NODE_HEADERISH, weight -= 2;
        else if (ieq(role, "complementary") || ieq(role, "dialog") || ieq(role, "alertdialog"))
            weight -= 3;
        else if (ieq(role, "main") || ieq(role, "article"))
            weight += 2;
        else if (ieq(role, "tabpanel"))
            flags |= ND_NODE_TAB;
    }
    if (ip) {
        if (strstr(ip, "articleBody") || strstr(ip, "reviewBody") || strstr(ip, "text"))
            flags |= ND_NODE_BODYPROP, weight += 4;
        if (strstr(ip, "author") || strstr(ip, "creator")) flags |= ND_NODE_BYLINE;
        if (strstr(ip, "headline")) flags |= ND_NODE_TITLE;
        if (strstr(ip, "datePublished") || strstr(ip, "dateModified")) flags |= ND_NODE_DATE;
        /* A recipe's ingredients and steps (schema.org); the description
         * of the page's Recipe or Product item. */
        if (strstr(ip, "ngredient") || strstr(ip, "recipeInstructions") ||
            (strstr(ip, "description") && in_item(st)))
            flags |= ND_NODE_RECIPE;
        if (strstr(ip, "comment")) flags |= ND_NODE_COMMENT, weight -= 3;
    }
    if (rel && strstr(rel, "author")) flags |= ND_NODE_BYLINE;
    if (style) {
        /* display:none / visibility:hidden, with any spacing. */
        char buf[256];
        size_t k = 0;
        for (const char *p = style; *p && k < sizeof buf - 1; p++)
            if (*p != ' ' && *p != '\t') buf[k++] = (char) (*p | (*p >= 'A' && *p <= 'Z' ? 32 : 0));
        buf[k] = 0;
        if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden"))
            flags |= ND_NODE_HIDDEN;
    }
    if (weight < -30) weight = -30;
    if (weight > 30) weight = 30;
    n->weight = (int16_t) (n->weight + weight);
    n->flags |= flags;
    if ((cls || id) && (weight || flags)) {
        size_t cl = cls ? strlen(cls) : 0, il = id ? strlen(id) : 0;
        if (cl > 200) cl = 200;
        if (il > 100) il = 100;
        char *a = nd_arena_alloc(st->pg->arena, cl + il + 2);
        if (a) {
            memcpy(a, cls ? cls : "", cl);
            a[cl] = ' ';
            memcpy(a + cl + 1, id ? id : "", il);
            a[cl + il + 1] = 0;
            n->attr = a;
        }
    }
}

static void on_meta(sax_state *st, const xmlChar **atts)
{
    const char *content = attr(atts, "content");
    if (!content) return;
    const char *keys[] = {"property", "name", "itemprop", "http-equiv"};
    for (size_t i = 0; i < 4; i++) {
        const char *k = attr(atts, keys[i]);
        if (!k || !*k) continue;
        /* Microdata is the property of whatever item holds it (a cited
         * paper's author, a related video's date): kept apart from the
         * page's own <meta name>, as "itemprop:author". */
        if (i == 2) {
            char key[80];
            size_t kl = strlen(k);
            if (kl > sizeof key - 10) continue;
            memcpy(key, "itemprop:", 9);
            memcpy(key + 9, k, kl);
            nd__page_add_meta(st->pg, key, kl + 9, content, strlen(content));
            continue;
        }
        nd__page_add_meta(st->pg, k, strlen(k), content, strlen(content));
    }
}

/* s opens with an ISO 8601 date: "2013-04-04". */
static int iso_date_start(const char *s)
{
    for (int i = 0; i < 10; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if ((i == 4 || i == 7) ? s[i] != '-' : !digit) return 0;
    }
    return 1;
}

/* A Unix time in seconds (10 digits) or milliseconds (13) in a data
 * attribute that names a date (data-timestamp="1682640000",
 * data-published="1682640000000"): the ISO 8601 text of it in out, or 0. */
static int stamp_attr(const xmlChar **atts, char out[32])
{
    static const char *const names[] = {"data-timestamp",    "data-time",     "data-date",
                                        "data-published",    "data-pubdate",  "data-publish-date",
                                        "data-publish-time", "data-created",  "data-published-at",
                                        "data-publishtime",  "data-datetime", "data-publishdate"};
    for (size_t i = 0; atts[i] && atts[i + 1]; i += 2) {
        const char *k = (const char *) atts[i], *v = (const char *) atts[i + 1];
        if (strncasecmp(k, "data-", 5) != 0) continue;
        size_t d = 0;
        while (d < 14 && v[d] >= '0' && v[d] <= '9') d++;
        if ((d != 10 && d != 13) || v[d]) continue;
        size_t j = 0;
        while (j < sizeof names / sizeof *names && strcasecmp(k, names[j]) != 0) j++;
        if (j == sizeof names / sizeof *names) continue;
        int64_t ts = 0;
        for (size_t m = 0; m < 10; m++) ts = ts * 10 + (v[m] - '0');
        nd_time_format(ts, 0, out);
        return 1;
    }
    return 0;
}

/* Record a <time datetime> with where it is and what it says it is
 * (pubdate, class "published"/"entry-date", itemprop datePublished; or
 * class "updated"/"modified", itemprop dateModified). */
static void add_time(sax_state *st, const xmlChar **atts, const char *dt)
{
    nd_page *pg = st->pg;
    if (pg->n_times >= 256) return;
    nd_time_el *arr = nd__grow(pg->arena, pg->times, pg->n_times, &pg->cap_times, sizeof *arr);
    if (!arr) return;
    pg->times = arr;
    size_t dl = strlen(dt);
    const char *copy = nd_arena_strndup(pg->arena, dt, dl > 64 ? 64 : dl);
    if (!copy) return;
    char low[160];
    size_t k = 0;
    static const char *const keys[] = {"class", "itemprop", "id"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = attr(atts, keys[i]);
        for (; v && *v && k < sizeof low - 2; v++)
            low[k++] = (char) (*v >= 'A' && *v <= 'Z' ? *v + 32 : *v);
        if (k < sizeof low - 1) low[k++] = ' ';
    }
    low[k] = 0;
    uint8_t kind = 0;
    if (strstr(low, "modif") || strstr(low, "updated")) kind = 2;
    if (attr(atts, "pubdate") || strstr(low, "published") || strstr(low, "datepublished") ||
        strstr(low, "entry-date") || strstr(low, "pubdate"))
        kind = 1;
    nd_time_el *t = &pg->times[pg->n_times++];
    t->datetime = copy;
    t->node = st->cur;
    t->block = (uint32_t) pg->n_blocks;
    t->kind = kind;
    t->stamp = 0;
}

static void on_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
    sax_state *st = ctx;
    nd_page *pg = st->pg;
    unsigned props;
    int tag = tag_of(st, xname, &props);

    /* Metadata that lives in attributes, wherever it is. */
    if (tag == ND_TAG_META) {
        on_meta(st, atts);
        return;
    }
    if (tag == ND_TAG_LINK) {
        const char *rel = attr(atts, "rel"), *href = attr(atts, "href");
        if (rel && href && ieq(rel, "canonical") && !pg->canonical)
            pg->canonical = nd_arena_strndup(pg->arena, href, strlen(href));
        return;
    }
    if (tag == ND_TAG_HTML && !pg->lang) {
        const char *lang = attr(atts, "lang");
        if (!lang) lang = attr(atts, "xml:lang");
        if (lang && *lang)
            pg->lang = nd_arena_strndup(pg->arena, lang, strlen(lang) > 16 ? 16 : strlen(lang));
    }
    if (tag == ND_TAG_TIME && !st->drop) {
        const char *dt = attr(atts, "datetime");
        if (dt && *dt) {
            nd__page_add_meta(pg, "time", 4, dt, strlen(dt));
            add_time(st, atts, dt);
        }
    } else if (atts && !st->drop) {
        /* Microdata dates on any element: <span itemprop="datePublished"
         * content="2020-03-18T13:15+01:00">18.03.2020</span>. */
        const char *ip = attr(atts, "itemprop");
        const char *dt = attr(atts, "content");
        if (!dt) dt = attr(atts, "datetime");
        if (ip && dt && *dt && tag != ND_TAG_META && strstr(ip, "date")) {
            add_time(st, atts, dt);
        } else {
            /* Microformats (hAtom): <abbr class="published"
             * title="2012-08-22T09:43:41+0100">, <span class="updated"
             * title="2013-04-04T18:52:11+00:00"></span>. */
            const char *cls = attr(atts, "class"), *ti = attr(atts, "title");
            char stamp[32];
            if (cls && ti && iso_date_start(ti) &&
                (strstr(cls, "published") || strstr(cls, "updated") || strstr(cls, "date")))
                add_time(st, atts, ti);
            else if (stamp_attr(atts, stamp)) {
                size_t before = pg->n_times;
                add_time(st, atts, stamp);
                if (pg->n_times > before) pg->times[before].stamp = 1;
            }
        }
    }
    if (tag == ND_TAG_BODY) st->in_body = 1;
    if (tag == ND_TAG_BR) {
        if (!st->drop) flush(st, ND_BLK_BR);
        return;
    }
    if (props & ND_TP_VOID) {
        if (props & ND_TP_BLOCK && !st->drop) flush(st, 0);
        return;
    }
    if (st->sp >= ND_PAGE_MAX_DEPTH) {
        st->overflow++;
        pg->truncated_depth = 1;
        return;
    }
    elem *e = &st->stack[st->sp++];
    e->node = 0;
    e->tag = (uint16_t) tag;
    e->drop = 0;
    e->ldjson = 0;
    e->name = 0;
    if (tag == ND_TAG_TITLE && !st->in_body && !st->seen_title && !st->drop) {
        st->in_title = 1;
        return;
    }
    if (tag == ND_TAG_SCRIPT) {
        const char *type = attr(atts, "type");
        /* A <script> with no type may hold JSON-LD too (the browser runs
         * it as code; schema.org readers take it): kept when its text is
         * a JSON object or array naming its @context. */
        int untyped = !type || !*type;
        if ((type && strstr(type, "ld+json")) || (untyped && !attr(atts, "src"))) {
            e->ldjson = untyped ? 2 : 1;
            st->in_ldjson = e->ldjson;
            nd_buf_clear(&st->ld);
        }
    }
    if (props & ND_TP_DROP) {
        e->drop = 1;
        st->drop++;
        return;
    }
    if (st->drop) return;
    if (props & ND_TP_BLOCK) flush(st, 0);
    /* Inline formatting has no node, except an author's name marked on
     * it (<small itemprop="author">, <cite class="byline">, <b rel=author>). */
    if ((props & ND_TP_FORMAT) && !author_attrs(atts)) return;

    uint32_t flags = (props & ND_TP_BLOCK) ? ND_NODE_BLOCK : 0;
    switch (tag) {
    case ND_TAG_NAV: flags |= ND_NODE_NAV; break;
    case ND_TAG_FOOTER: flags |= ND_NODE_FOOTER; break;
    case ND_TAG_HEADER: flags |= ND_NODE_HEADERISH; break;
    case ND_TAG_FIGCAPTION: flags |= ND_NODE_CAPTION; break;
    default: break;
    }
    uint32_t id = nd__page_add_node(pg, st->cur, tag, flags);
    if (!id) return;
    e->node = id;
    st->cur = id;
    nd_node *n = &pg->nodes[id];
    switch (tag) {
    case ND_TAG_ASIDE: n->weight = -3; break;
    case ND_TAG_NAV: n->weight = -5; break;
    case ND_TAG_FOOTER: n->weight = -4; break;
    case ND_TAG_FORM: n->weight = -2; break; /* interface, unless it wraps the page */
    case ND_TAG_ARTICLE: n->weight = 3; break;
    case ND_TAG_MAIN: n->weight = 2; break;
    default: break;
    }
    if (atts) classify_attrs(st, n, atts);
    /* A kicker is a block of its own, even as a <span> inside the header:
     * the title chooser finds it over the headline. */
    if ((n->flags & ND_NODE_KICKER) && !(n->flags & ND_NODE_BLOCK)) {
        flush(st, 0);
        n->flags |= ND_NODE_BLOCK;
    }
    if (tag == ND_TAG_A) {
        const char *href = attr(atts, "href");
        if (href) {
            size_t hl = strlen(href);
            n->href = nd_arena_strndup(pg->arena, href, hl > 2048 ? 2048 : hl);
        }
        st->link++;
        st->link_node = id;
    }
    if (tag == ND_TAG_PRE) st->pre++;
    if (n->flags & ND_NODE_BYLINE) {
        e->name = 1;
        e->name_off = (uint32_t) pg->text.len;
    }
}

/* Record the text of an author element that ends. */
static void add_name(sax_state *st, const elem *e)
{
    nd_page *pg = st->pg;
    /* longer than a line of names: a wrapper or a bio box */
    if (pg->n_names >= 512 || pg->text.len <= e->name_off || pg->text.len - e->name_off > 300)
        return;
    nd_name_span *arr = nd__grow(pg->arena, pg->names, pg->n_names, &pg->cap_names, sizeof *arr);
    if (!arr) return;
    pg->names = arr;
    /* The block it starts in: the last one recorded before its start, or
     * the one being collected. */
    uint32_t blk = (uint32_t) pg->n_blocks;
    while (blk > 0 && pg->blocks[blk - 1].off + pg->blocks[blk - 1].len > e->name_off) blk--;
    nd_name_span *sp = &pg->names[pg->n_names++];
    sp->node = e->node;
    sp->off = e->name_off;
    sp->end = (uint32_t) pg->text.len;
    sp->block = blk;
}

static void on_end(void *ctx, const xmlChar *xname)
{
    sax_state *st = ctx;
    nd_page *pg = st->pg;
    unsigned props;
    int tag = tag_of(st, xname, &props);
    if (props & ND_TP_VOID) return;
    if (st->overflow) {
        st->overflow--;
        return;
    }
    /* Find the element; libxml2 reports implied ends itself, so it is
     * almost always on top. */
    int i = st->sp - 1;
    while (i >= 0 && st->stack[i].tag != tag) i--;
    if (i < 0) return;
    while (st->sp > i) {
        elem *e = &st->stack[--st->sp];
        if (e->drop) {
            st->drop--;
            if (e->ldjson) {
                st->in_ldjson = 0;
                if (e->ldjson == 2 && st->ld.len &&
                    (st->ld.len < 12 || !memmem(st->ld.ptr, st->ld.len, "\"@context\"", 10)))
                    nd_buf_clear(&st->ld);
                if (st->ld.len && pg->n_jsonld < 16) {
                    if (pg->n_jsonld == pg->cap_jsonld) {
                        size_t cap = pg->cap_jsonld ? pg->cap_jsonld * 2 : 4;
                        const char **a = nd_arena_alloc(pg->arena, cap * sizeof *a);
                        if (a && pg->n_jsonld) memcpy(a, pg->jsonld, pg->n_jsonld * sizeof *a);
                        if (a) pg->jsonld = a, pg->cap_jsonld = cap;
                    }
                    if (pg->n_jsonld < pg->cap_jsonld) {
                        const char *s = nd_arena_strndup(pg->arena, st->ld.ptr, st->ld.len);
                        if (s) pg->jsonld[pg->n_jsonld++] = s;
                    }
                }
            }
            continue;
        }
        if (e->tag == ND_TAG_TITLE && st->in_title) {
            st->in_title = 0;
            st->seen_title = 1;
            nd_slice t = nd_slice_trim((nd_slice){st->title.ptr, st->title.len});
            if (t.len) pg->title = nd_arena_strndup(pg->arena, t.ptr, t.len);
            continue;
        }
        if (st->drop) continue;
        if (e->node) {
            if (pg->nodes[e->node].flags & ND_NODE_BLOCK) flush(st, 0);
            if (e->tag == ND_TAG_A && st->link > 0) {
                st->link--;
                /* Back to the enclosing link, if links nest. */
                uint32_t up = pg->nodes[e->node].parent;
                while (up && pg->nodes[up].tag != ND_TAG_A) up = pg->nodes[up].parent;
                st->link_node = up;
            }
            if (e->tag == ND_TAG_PRE && st->pre > 0) st->pre--;
            if (e->name) add_name(st, e);
            st->cur = pg->nodes[e->node].parent;
        }
    }
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
    sax_state *st = ctx;
    if (len <= 0) return;
    if (st->in_title) {
        if (st->title.len < 4096) nd_buf_append(&st->title, ch, (size_t) len);
        return;
    }
    if (st->in_ldjson) {
        if (st->in_ldjson == 2 && !st->ld.len) {
            /* an untyped script: JSON only when it opens with { or [ */
            int i = 0;
            while (i < len && (ch[i] == ' ' || ch[i] == '\n' || ch[i] == '\r' || ch[i] == '\t'))
                i++;
            if (i == len) return;
            if (ch[i] != '{' && ch[i] != '[') {
                st->in_ldjson = 3; /* code: skip the rest */
                return;
            }
            ch += i, len -= i;
        }
        if (st->in_ldjson == 3) return;
        if (st->ld.len < (1u << 20)) nd_buf_append(&st->ld, ch, (size_t) len);
        return;
    }
    if (st->drop) return;
    add_text(st, ch, (size_t) len);
}

static void on_silent(void *ctx, const char *msg, ...)
{
    (void) ctx, (void) msg;
}

static void on_serror(void *ctx, xmlErrorPtr e)
{
    (void) ctx, (void) e;
}

/* libxml2 reports some failures (memory, while growing a buffer or making
 * the input) through its global error handlers, not the parser's SAX
 * callbacks, and those print on stderr ("internal buffer error").  The
 * library never prints: for the time of a parse the handlers (per thread
 * in libxml2) are these, and running out of memory fails the page with
 * ND_ENOMEM, as any other allocation failure does. */
static void on_global_error(void *ctx, xmlErrorPtr e)
{
    sax_state *st = ctx;
    if (e && (e->code == XML_ERR_NO_MEMORY || e->domain == XML_FROM_MEMORY)) st->xml_nomem = 1;
}

static void on_global_text(void *ctx, const char *msg, ...)
{
    (void) ctx, (void) msg;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

int nd__html_to_page(const char *html, size_t len, nd_page *pg)
{
    pthread_once(&init_once, init_libxml);
    if (len > INT32_MAX) return ND_ETOOBIG;
    pg->raw = html;
    pg->raw_len = len;
    size_t cut_n = 0;
    char *cut = nd__html_prefilter(html, len, &cut_n);
    if (!cut) return ND_ENOMEM;
    html = cut;
    len = cut_n;
    sax_state *st = nd_calloc(1, sizeof *st);
    if (!st) {
        nd_free(cut);
        return ND_ENOMEM;
    }
    st->pg = pg;
    pg->is_html = 1;

    xmlGenericErrorFunc old_text = xmlGenericError;
    void *old_text_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_err = xmlStructuredError;
    void *old_err_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(st, on_global_text);
    xmlSetStructuredErrorFunc(st, on_global_error);
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(html, (int) len);
    if (!ctxt) {
        xmlSetGenericErrorFunc(old_text_ctx, old_text);
        xmlSetStructuredErrorFunc(old_err_ctx, old_err);
        nd_free(st);
        nd_free(cut);
        return ND_ENOMEM;
    }
    xmlSAXHandler *sax = ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->startElement = on_start;
    sax->endElement = on_end;
    sax->characters = on_chars;
    sax->ignorableWhitespace = on_chars;
    sax->cdataBlock = on_chars;
    sax->warning = on_silent;
    sax->error = on_silent;
    sax->fatalError = on_silent;
    sax->serror = on_serror;
    sax->initialized = 1;
    ctxt->userData = st;
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    flush(st, 0);
    htmlFreeParserCtxt(ctxt);
    xmlSetGenericErrorFunc(old_text_ctx, old_text);
    xmlSetStructuredErrorFunc(old_err_ctx, old_err);
    int rc = st->title.failed || st->ld.failed || pg->text.failed || st->xml_nomem ? ND_ENOMEM : 0;
    nd_buf_free(&st->title);
    nd_buf_free(&st->ld);
    nd_free(st);
    nd_free(cut);
    return rc;
}
