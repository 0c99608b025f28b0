/* page.c - construction helpers for nd_page (the parse -> blocks boundary). */
#include "extract/page.h"

#include <stdlib.h>
#include <string.h>

int nd__page_init(nd_page *pg, size_t text_hint)
{
    memset(pg, 0, sizeof *pg);
    pg->arena = nd_arena_new(16384);
    if (!pg->arena) return ND_ENOMEM;
    if (nd_buf_reserve(&pg->text, text_hint ? text_hint : 4096)) goto fail;
    pg->cap_nodes = 256;
    pg->nodes = nd_malloc(pg->cap_nodes * sizeof *pg->nodes);
    pg->cap_blocks = 128;
    pg->blocks = nd_malloc(pg->cap_blocks * sizeof *pg->blocks);
    if (!pg->nodes || !pg->blocks) goto fail;
    /* Node 0: the root, parent of everything. */
    memset(&pg->nodes[0], 0, sizeof pg->nodes[0]);
    pg->nodes[0].tag = ND_TAG_ROOT;
    pg->nodes[0].flags = ND_NODE_BLOCK;
    pg->n_nodes = 1;
    return 0;
fail:
    nd__page_free(pg);
    return ND_ENOMEM;
}

void nd__page_free(nd_page *pg)
{
    nd_arena_free(pg->arena);
    nd_buf_free(&pg->text);
    nd_free(pg->nodes);
    nd_free(pg->blocks);
    memset(pg, 0, sizeof *pg);
}

uint32_t nd__page_add_node(nd_page *pg, uint32_t parent, int tag, uint32_t flags)
{
    if (pg->n_nodes == pg->cap_nodes) {
        if (pg->cap_nodes >= UINT32_MAX / 4) return 0;
        nd_node *n = nd_realloc(pg->nodes, pg->cap_nodes * 2 * sizeof *n);
        if (!n) return 0;
        pg->nodes = n;
        pg->cap_nodes *= 2;
    }
    uint32_t id = (uint32_t) pg->n_nodes++;
    nd_node *n = &pg->nodes[id];
    memset(n, 0, sizeof *n);
    n->parent = parent;
    n->tag = (uint16_t) tag;
    n->flags = flags;
    n->depth = (uint16_t) (pg->nodes[parent].depth + 1);
    if (pg->nodes[parent].n_children < UINT16_MAX) pg->nodes[parent].n_children++;
    return id;
}

nd_block *nd__page_add_block(nd_page *pg, uint32_t node, uint32_t off, uint32_t len)
{
    if (pg->n_blocks >= ND_PAGE_MAX_BLOCKS) {
        pg->truncated_blocks = 1;
        return NULL;
    }
    if (pg->n_blocks == pg->cap_blocks) {
        nd_block *b = nd_realloc(pg->blocks, pg->cap_blocks * 2 * sizeof *b);
        if (!b) return NULL;
        pg->blocks = b;
        pg->cap_blocks *= 2;
    }
    nd_block *b = &pg->blocks[pg->n_blocks++];
    memset(b, 0, sizeof *b);
    b->node = node;
    b->off = off;
    b->len = len;
    b->tag = pg->nodes[node].tag;
    return b;
}

void nd__page_add_meta(nd_page *pg, const char *key, size_t klen, const char *val, size_t vlen)
{
    if (pg->n_meta == pg->cap_meta) {
        size_t cap = pg->cap_meta ? pg->cap_meta * 2 : 32;
        if (cap > ND_PAGE_MAX_META) return; /* a page with more meta tags is hostile */
        nd_meta_kv *m = nd_arena_alloc(pg->arena, cap * sizeof *m);
        if (!m) return;
        if (pg->n_meta) memcpy(m, pg->meta, pg->n_meta * sizeof *m);
        pg->meta = m;
        pg->cap_meta = cap;
    }
    char *k = nd_arena_strndup(pg->arena, key, klen);
    nd_slice v = nd_slice_trim((nd_slice){val, vlen});
    char *vv = nd_arena_strndup(pg->arena, v.ptr, v.len > 4096 ? 4096 : v.len);
    if (!k || !vv) return;
    for (char *p = k; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char) (*p + 32);
    pg->meta[pg->n_meta].key = k;
    pg->meta[pg->n_meta].value = vv;
    pg->n_meta++;
}

/* The <meta> keys the extractor reads (nd__page_meta()'s callers in
 * date.c and meta.c, meta.c's author keys), lowercase and sorted (C
 * locale).  The HTML prefilter drops a <meta> tag none of whose keys is
 * here: a key read anywhere must be added. */
static const char *const meta_keys_read[] = {"application-name",
                                             "article.created",
                                             "article.published",
                                             "article:author",
                                             "article:modified_time",
                                             "article:published_time",
                                             "article_date_original",
                                             "author",
                                             "bt:pubdate",
                                             "byl",
                                             "citation_author",
                                             "citation_date",
                                             "citation_publication_date",
                                             "content-language",
                                             "cxenseparse:recs:publishtime",
                                             "date",
                                             "date_published",
                                             "datecreated",
                                             "datemodified",
                                             "dateposted",
                                             "datepublished",
                                             "dc.created",
                                             "dc.creator",
                                             "dc.date",
                                             "dc.date.created",
                                             "dc.date.issued",
                                             "dc.date.modified",
                                             "dc.date.publication",
                                             "dc:created",
                                             "dcsext.articlefirstpublished",
                                             "dcterms.created",
                                             "dcterms.creator",
                                             "dcterms.date",
                                             "dcterms.issued",
                                             "dcterms.modified",
                                             "displaydate",
                                             "doc_date",
                                             "itemprop:author",
                                             "itemprop:datecreated",
                                             "itemprop:datemodified",
                                             "itemprop:datepublished",
                                             "last-modified",
                                             "mediator_published_time",
                                             "modified_time",
                                             "og:article:author",
                                             "og:article:published",
                                             "og:article:published_time",
                                             "og:datepublished",
                                             "og:locale",
                                             "og:pubdate",
                                             "og:publish_date",
                                             "og:published_time",
                                             "og:site_name",
                                             "og:title",
                                             "og:updated_time",
                                             "originalpublicationdate",
                                             "parsely-author",
                                             "parsely-pub-date",
                                             "pubdate",
                                             "publication_date",
                                             "publish-date",
                                             "publish_date",
                                             "publishdate",
                                             "published-date",
                                             "published_date",
                                             "published_time",
                                             "rnews:datepublished",
                                             "sailthru.author",
                                             "sailthru.date",
                                             "shareaholic:article_published_time",
                                             "twitter:site",
                                             "twitter:title",
                                             "twt-published-at",
                                             "vr:published_time"};

typedef struct key_n {
    const char *p;
    size_t n;
} key_n;

static int cmp_key_n(const void *k, const void *e)
{
    const key_n *a = k;
    const char *b = *(const char *const *) e;
    int c = strncmp(a->p, b, a->n);
    return c ? c : -(unsigned char) b[a->n];
}

int nd__page_meta_key_read(const char *key, size_t n)
{
    key_n k = {key, n};
    return bsearch(&k, meta_keys_read, sizeof meta_keys_read / sizeof *meta_keys_read,
                   sizeof *meta_keys_read, cmp_key_n) != NULL;
}

/* Lookups of a key missing from meta_keys_read (tests check it stays 0:
 * the prefilter would have dropped that key's tags). */
static unsigned long meta_unlisted;

unsigned long nd__page_meta_unlisted(void)
{
    return __atomic_load_n(&meta_unlisted, __ATOMIC_RELAXED);
}

const char *nd__page_meta(const nd_page *pg, const char *key)
{
    for (size_t i = 0; i < pg->n_meta; i++)
        if (strcmp(pg->meta[i].key, key) == 0 && pg->meta[i].value[0]) return pg->meta[i].value;
    /* Only a key not found can be one whose tags were dropped. */
    if (!nd__page_meta_key_read(key, strlen(key)))
        __atomic_add_fetch(&meta_unlisted, 1, __ATOMIC_RELAXED);
    return NULL;
}
