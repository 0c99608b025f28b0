/*
 * page.h - the parse -> blocks boundary (private).
 *
 * Both fronts (src/html for HTML, src/text for flattened text) turn a
 * decoded page into an nd_page: an ordered list of blocks of normalised
 * text, a light tree of the elements that contain them, and the metadata
 * the markup carries.  The extractor (src/extract) sees only this, so a
 * front can be replaced (a faster HTML tokenizer, say) without touching
 * classification.
 */
#ifndef ND_EXTRACT_PAGE_H
#define ND_EXTRACT_PAGE_H

#include "newsdesk/base.h"

/* Tags the fronts distinguish.  Everything else is ND_TAG_OTHER.  (Not
 * clang-formatted: version 14 gives this list another layout each time.) */
// clang-format off
#define ND_TAG_MAP(X)                                                                              \
    X(OTHER)                                                                                       \
    X(ROOT) X(A) X(ADDRESS) X(ARTICLE) X(ASIDE) X(AUDIO) X(B) X(BLOCKQUOTE) X(BODY) X(BR)          \
    X(BUTTON) X(CANVAS) X(CAPTION) X(CENTER) X(CITE) X(CODE) X(DD) X(DETAILS) X(DIALOG) X(DIV)     \
    X(DL) X(DT) X(EM) X(EMBED) X(FIELDSET) X(FIGCAPTION) X(FIGURE) X(FONT) X(FOOTER)               \
    X(FORM) X(H1) X(H2) X(H3) X(H4) X(H5) X(H6) X(HEAD) X(HEADER) X(HGROUP) X(HR)                  \
    X(HTML) X(I) X(IFRAME) X(IMG) X(INPUT) X(LABEL) X(LEGEND) X(LI) X(LINK)                        \
    X(MAIN) X(MATH) X(MENU) X(META) X(NAV) X(NOSCRIPT) X(OBJECT) X(OL)                             \
    X(OPTION) X(P) X(PICTURE) X(PRE) X(Q) X(S) X(SCRIPT) X(SECTION)                                \
    X(SELECT) X(SMALL) X(SOURCE) X(SPAN) X(STRONG) X(STYLE) X(SUB)                                 \
    X(SUMMARY) X(SUP) X(SVG) X(TABLE) X(TBODY) X(TD) X(TEMPLATE)                                   \
    X(TEXTAREA) X(TFOOT) X(TH) X(THEAD) X(TIME) X(TITLE) X(TR)                                     \
    X(U) X(UL) X(VIDEO) X(LINE) X(GROUP)
// clang-format on

enum nd_tag {
#define ND__TAGENUM(t) ND_TAG_##t,
    ND_TAG_MAP(ND__TAGENUM)
#undef ND__TAGENUM
        ND_TAG__COUNT
};

/* Node flags: what the element itself says about its content. */
enum {
    ND_NODE_BLOCK = 1u << 0,       /* block-level: breaks text into blocks */
    ND_NODE_HIDDEN = 1u << 1,      /* hidden, aria-hidden, display:none */
    ND_NODE_NEG = 1u << 2,         /* class/id/role say boilerplate */
    ND_NODE_POS = 1u << 3,         /* class/id/role/itemprop say article content */
    ND_NODE_BODYPROP = 1u << 4,    /* itemprop=articleBody (strongest content cue) */
    ND_NODE_BYLINE = 1u << 5,      /* author/byline cues */
    ND_NODE_DATE = 1u << 6,        /* date/time cues */
    ND_NODE_CAPTION = 1u << 7,     /* caption / credit of a figure */
    ND_NODE_COMMENT = 1u << 8,     /* comments section */
    ND_NODE_RELATED = 1u << 9,     /* related / recommended / more stories */
    ND_NODE_SHARE = 1u << 10,      /* share / social / follow buttons */
    ND_NODE_AD = 1u << 11,         /* advertising */
    ND_NODE_NAV = 1u << 12,        /* navigation, menus, breadcrumbs */
    ND_NODE_FOOTER = 1u << 13,     /* footer */
    ND_NODE_HEADERISH = 1u << 14,  /* site header / masthead */
    ND_NODE_NEWSLETTER = 1u << 15, /* newsletter / subscribe / sign-up */
    ND_NODE_TITLE = 1u << 16,      /* headline cue (itemprop=headline, class title) */
    ND_NODE_AUTHORBIO = 1u << 17,  /* about the author */
    ND_NODE_TEASER = 1u << 18,     /* card / teaser / promo of another article */
    ND_NODE_TAGS = 1u << 19,       /* tag lists, topics, keywords */
    ND_NODE_LEAD = 1u << 20,       /* lead, standfirst, excerpt, intro of the article */
    ND_NODE_KICKER = 1u << 21,     /* the label over the headline (kicker, Dachzeile) */
    ND_NODE_RECIPE = 1u << 22,     /* what a recipe or product is: ingredients, steps, its
                                    * description (schema.org markup, "ingredients") */
    ND_NODE_TAB = 1u << 23,        /* a tab panel or the set of them (role=tabpanel, "tab") */
    ND_NODE_ITEM = 1u << 24        /* the page's first Recipe or Product item (itemtype) */
};

typedef struct nd_node {
    uint32_t parent; /* index into page->nodes; node 0 is the root */
    uint16_t tag;
    uint16_t depth;
    uint32_t flags; /* ND_NODE_* */
    int16_t weight; /* class/id weight: < 0 boilerplate, > 0 content */
    uint16_t n_children;
    const char *attr; /* "class id" words, lowercased; arena; may be NULL */
    const char *href; /* <a href>; arena; may be NULL */
    /* Filled by the extractor. */
    uint32_t first_block, end_block; /* blocks [first, end) lie inside */
    float sum_good, sum_bad;
    float score;
} nd_node;

/* Block flags. */
enum {
    ND_BLK_HEADING = 1u << 0,    /* h1..h6 (or a heading-like line) */
    ND_BLK_LI = 1u << 1,         /* list item */
    ND_BLK_PRE = 1u << 2,        /* preformatted */
    ND_BLK_QUOTE = 1u << 3,      /* inside blockquote */
    ND_BLK_CELL = 1u << 4,       /* table cell */
    ND_BLK_BR = 1u << 5,         /* ended by <br> */
    ND_BLK_PARA_START = 1u << 6, /* text: first line after a blank line */
    ND_BLK_JOINED = 1u << 7,     /* text: lines joined back into one */
    ND_BLK_ALLLINK = 1u << 8,    /* the whole text is one link */
    ND_BLK_DUP = 1u << 9,        /* the same text occurs earlier on the page */
    ND_BLK_FURNITURE = 1u << 10  /* recurs on other pages of the batch */
};

/* Labels the classifier gives blocks. */
enum nd_label {
    ND_LBL_NONE = 0,
    ND_LBL_BOILER,
    ND_LBL_TITLE,
    ND_LBL_BYLINE,
    ND_LBL_DATELINE,
    ND_LBL_BODY,
    ND_LBL_TEASER,
    ND_LBL_RELATED, /* part of an embedded related article */
    ND_LBL_COMMENT,
    ND_LBL_CAPTION,
    ND_LBL_BIO,
    ND_LBL_CREDIT
};

typedef struct nd_block {
    uint32_t node; /* innermost block-level element containing the text */
    uint32_t off;  /* text at page->text.ptr + off */
    uint32_t len;
    uint32_t link_len; /* bytes of it inside links */
    uint32_t link;     /* node of the <a> when the block is one link, else 0 */
    uint32_t line;     /* text front: line number (1-based); HTML: 0 */
    uint16_t tag;      /* tag of node */
    uint16_t flags;    /* ND_BLK_* */
    /* Features and decisions of the extractor. */
    uint16_t words;
    uint8_t label; /* enum nd_label */
    uint8_t pad_;
    float q; /* prose quality, -1 .. 1 */
} nd_block;

/* A <meta> or similar key/value pair from the markup. */
typedef struct nd_meta_kv {
    const char *key; /* lowercased name/property/itemprop */
    const char *value;
} nd_meta_kv;

/* A <time datetime="..."> element (HTML front). */
typedef struct nd_time_el {
    const char *datetime; /* arena */
    uint32_t node;        /* the <time> node, or its enclosing node */
    uint32_t block;       /* index of the block its text falls into */
    uint8_t kind;         /* 0 unknown, 1 says published, 2 says updated */
    uint8_t stamp;        /* 1: a Unix time of a data-* attribute, read
                             only to fill a gap (date.c) */
} nd_time_el;

/* The text of an element the markup calls the author's (rel=author,
 * itemprop=author, class author/byline): page->text [off, end), which may
 * span blocks (their separating NULs read as spaces). */
typedef struct nd_name_span {
    uint32_t node;
    uint32_t off, end;
    uint32_t block; /* index of the block it starts in */
} nd_name_span;

typedef struct nd_page {
    nd_arena *arena;
    nd_buf text;      /* all block text; blocks point into it */
    nd_block *blocks; /* nd_malloc'd arrays */
    size_t n_blocks, cap_blocks;
    nd_node *nodes;
    size_t n_nodes, cap_nodes;
    int is_html;
    /* Markup metadata (HTML front); arena strings, may be NULL. */
    const char *title; /* <title> */
    const char *lang;  /* <html lang> */
    const char *canonical;
    /* The HTML as decoded, before the prefilter drops scripts and
     * comments: read for dates that only scripts carry (date.c).
     * Borrowed; valid until the nd_decoded it came from is freed, which
     * every caller does after the page.  NULL on text pages. */
    const char *raw;
    size_t raw_len;
    nd_meta_kv *meta; /* arena array */
    size_t n_meta, cap_meta;
    const char **jsonld; /* raw JSON-LD scripts */
    size_t n_jsonld, cap_jsonld;
    nd_time_el *times; /* arena array */
    size_t n_times, cap_times;
    nd_name_span *names; /* arena array */
    size_t n_names, cap_names;
    /* Limits hit while building (for warnings). */
    unsigned truncated_depth : 1;
    unsigned truncated_blocks : 1;
    unsigned split_lines : 1;
} nd_page;

/* Limits, documented in docs/limits.md. */
#define ND_PAGE_MAX_DEPTH  512          /* deeper elements join their ancestor */
#define ND_PAGE_MAX_META   4096         /* <meta> entries kept (a power of two, >= 32) */
#define ND_PAGE_MAX_BLOCKS 200000       /* further text is dropped with a warning */
#define ND_TEXT_MAX_LINE   (256u << 10) /* text lines are split beyond 256 KiB */

/* Shared construction helpers (src/extract/page.c). */
int nd__page_init(nd_page *pg, size_t text_hint);
void nd__page_free(nd_page *pg);
/* Adds a node; returns its index, or 0 on failure (0 is the root). */
uint32_t nd__page_add_node(nd_page *pg, uint32_t parent, int tag, uint32_t flags);
/* Adds a block for text already appended at page->text [off, off+len). */
nd_block *nd__page_add_block(nd_page *pg, uint32_t node, uint32_t off, uint32_t len);
void nd__page_add_meta(nd_page *pg, const char *key, size_t klen, const char *val, size_t vlen);
/* The value of the first <meta> key (lowercase) with one, or NULL; the
 * key must be one nd__page_meta_key_read() knows (page.c's list), or the
 * HTML prefilter drops its tags. */
const char *nd__page_meta(const nd_page *pg, const char *key);
/* Does the extractor read the <meta> key key[0, n) (lowercase)? */
int nd__page_meta_key_read(const char *key, size_t n);
/* How many nd__page_meta() calls in this process asked for a key
 * nd__page_meta_key_read() does not know (a key added to a reader and not
 * to page.c's list): 0, or the prefilter drops tags that are read. */
unsigned long nd__page_meta_unlisted(void);

static inline nd_slice nd__block_text(const nd_page *pg, const nd_block *b)
{
    return (nd_slice){pg->text.ptr + b->off, b->len};
}

/* Fronts. */
/* HTML (UTF-8) -> page.  0 or a negative code. */
int nd__html_to_page(const char *html, size_t len, nd_page *pg);
/* Flattened text (UTF-8) -> page: one block per line. */
int nd__text_to_page(const char *text, size_t len, nd_page *pg);

#endif
