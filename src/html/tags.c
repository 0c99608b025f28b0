/* tags.c - tag names -> ND_TAG_* and what each tag means for text flow,
 * and class/id words -> node flags and weights. */
#include "html/tags.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct tag_def {
    const char *name;
    uint16_t tag;
    uint16_t props;
} tag_def;

/* Sorted by name for bsearch. */
static const tag_def tag_defs[] = {
    {"a", ND_TAG_A, 0},
    {"abbr", ND_TAG_OTHER, ND_TP_FORMAT},
    {"address", ND_TAG_ADDRESS, ND_TP_BLOCK},
    {"applet", ND_TAG_OBJECT, ND_TP_DROP},
    {"article", ND_TAG_ARTICLE, ND_TP_BLOCK},
    {"aside", ND_TAG_ASIDE, ND_TP_BLOCK},
    {"audio", ND_TAG_AUDIO, ND_TP_DROP},
    {"b", ND_TAG_B, ND_TP_FORMAT},
    {"bdi", ND_TAG_OTHER, ND_TP_FORMAT},
    {"bdo", ND_TAG_OTHER, ND_TP_FORMAT},
    {"big", ND_TAG_OTHER, ND_TP_FORMAT},
    {"blockquote", ND_TAG_BLOCKQUOTE, ND_TP_BLOCK},
    {"body", ND_TAG_BODY, ND_TP_BLOCK},
    {"br", ND_TAG_BR, ND_TP_VOID},
    {"button", ND_TAG_BUTTON, ND_TP_DROP},
    {"canvas", ND_TAG_CANVAS, ND_TP_DROP},
    {"caption", ND_TAG_CAPTION, ND_TP_BLOCK},
    {"center", ND_TAG_CENTER, ND_TP_BLOCK},
    {"cite", ND_TAG_CITE, ND_TP_FORMAT},
    {"code", ND_TAG_CODE, ND_TP_FORMAT},
    {"datalist", ND_TAG_OTHER, ND_TP_DROP},
    {"dd", ND_TAG_DD, ND_TP_BLOCK},
    {"del", ND_TAG_OTHER, ND_TP_FORMAT},
    {"details", ND_TAG_DETAILS, ND_TP_BLOCK},
    {"dfn", ND_TAG_OTHER, ND_TP_FORMAT},
    {"dialog", ND_TAG_DIALOG, ND_TP_BLOCK},
    {"dir", ND_TAG_UL, ND_TP_BLOCK},
    {"div", ND_TAG_DIV, ND_TP_BLOCK},
    {"dl", ND_TAG_DL, ND_TP_BLOCK},
    {"dt", ND_TAG_DT, ND_TP_BLOCK},
    {"em", ND_TAG_EM, ND_TP_FORMAT},
    {"embed", ND_TAG_EMBED, ND_TP_DROP | ND_TP_VOID},
    {"fieldset", ND_TAG_FIELDSET, ND_TP_BLOCK},
    {"figcaption", ND_TAG_FIGCAPTION, ND_TP_BLOCK},
    {"figure", ND_TAG_FIGURE, ND_TP_BLOCK},
    {"font", ND_TAG_FONT, ND_TP_FORMAT},
    {"footer", ND_TAG_FOOTER, ND_TP_BLOCK},
    {"form", ND_TAG_FORM, ND_TP_BLOCK},
    {"frame", ND_TAG_OTHER, ND_TP_DROP},
    {"frameset", ND_TAG_OTHER, ND_TP_BLOCK},
    {"h1", ND_TAG_H1, ND_TP_BLOCK},
    {"h2", ND_TAG_H2, ND_TP_BLOCK},
    {"h3", ND_TAG_H3, ND_TP_BLOCK},
    {"h4", ND_TAG_H4, ND_TP_BLOCK},
    {"h5", ND_TAG_H5, ND_TP_BLOCK},
    {"h6", ND_TAG_H6, ND_TP_BLOCK},
    {"head", ND_TAG_HEAD, ND_TP_BLOCK},
    {"header", ND_TAG_HEADER, ND_TP_BLOCK},
    {"hgroup", ND_TAG_HGROUP, ND_TP_BLOCK},
    {"hr", ND_TAG_HR, ND_TP_BLOCK | ND_TP_VOID},
    {"html", ND_TAG_HTML, ND_TP_BLOCK},
    {"i", ND_TAG_I, ND_TP_FORMAT},
    {"iframe", ND_TAG_IFRAME, ND_TP_DROP},
    {"img", ND_TAG_IMG, ND_TP_VOID},
    {"input", ND_TAG_INPUT, ND_TP_DROP | ND_TP_VOID},
    {"ins", ND_TAG_OTHER, ND_TP_FORMAT},
    {"kbd", ND_TAG_OTHER, ND_TP_FORMAT},
    {"label", ND_TAG_LABEL, 0},
    {"legend", ND_TAG_LEGEND, ND_TP_BLOCK},
    {"li", ND_TAG_LI, ND_TP_BLOCK},
    {"link", ND_TAG_LINK, ND_TP_VOID},
    {"main", ND_TAG_MAIN, ND_TP_BLOCK},
    {"map", ND_TAG_OTHER, ND_TP_DROP},
    {"mark", ND_TAG_OTHER, ND_TP_FORMAT},
    {"math", ND_TAG_MATH, ND_TP_DROP},
    {"menu", ND_TAG_MENU, ND_TP_BLOCK},
    {"meta", ND_TAG_META, ND_TP_VOID},
    {"meter", ND_TAG_OTHER, ND_TP_DROP},
    {"nav", ND_TAG_NAV, ND_TP_BLOCK},
    {"noembed", ND_TAG_OTHER, ND_TP_DROP},
    {"noframes", ND_TAG_OTHER, ND_TP_DROP},
    {"noscript", ND_TAG_NOSCRIPT, ND_TP_DROP},
    {"object", ND_TAG_OBJECT, ND_TP_DROP},
    {"ol", ND_TAG_OL, ND_TP_BLOCK},
    {"optgroup", ND_TAG_OTHER, ND_TP_DROP},
    {"option", ND_TAG_OPTION, ND_TP_DROP},
    {"output", ND_TAG_OTHER, ND_TP_DROP},
    {"p", ND_TAG_P, ND_TP_BLOCK},
    {"param", ND_TAG_OTHER, ND_TP_DROP | ND_TP_VOID},
    {"picture", ND_TAG_PICTURE, 0},
    {"pre", ND_TAG_PRE, ND_TP_BLOCK},
    {"progress", ND_TAG_OTHER, ND_TP_DROP},
    {"q", ND_TAG_Q, ND_TP_FORMAT},
    {"rp", ND_TAG_OTHER, ND_TP_DROP},
    {"s", ND_TAG_S, ND_TP_FORMAT},
    {"samp", ND_TAG_OTHER, ND_TP_FORMAT},
    {"script", ND_TAG_SCRIPT, ND_TP_DROP},
    {"section", ND_TAG_SECTION, ND_TP_BLOCK},
    {"select", ND_TAG_SELECT, ND_TP_DROP},
    {"small", ND_TAG_SMALL, ND_TP_FORMAT},
    {"source", ND_TAG_SOURCE, ND_TP_VOID},
    {"span", ND_TAG_SPAN, 0},
    {"strike", ND_TAG_OTHER, ND_TP_FORMAT},
    {"strong", ND_TAG_STRONG, ND_TP_FORMAT},
    {"style", ND_TAG_STYLE, ND_TP_DROP},
    {"sub", ND_TAG_SUB, ND_TP_FORMAT},
    {"summary", ND_TAG_SUMMARY, ND_TP_BLOCK},
    {"sup", ND_TAG_SUP, ND_TP_FORMAT},
    {"svg", ND_TAG_SVG, ND_TP_DROP},
    {"table", ND_TAG_TABLE, ND_TP_BLOCK},
    {"tbody", ND_TAG_TBODY, ND_TP_BLOCK},
    {"td", ND_TAG_TD, ND_TP_BLOCK},
    {"template", ND_TAG_TEMPLATE, ND_TP_DROP},
    {"textarea", ND_TAG_TEXTAREA, ND_TP_DROP},
    {"tfoot", ND_TAG_TFOOT, ND_TP_BLOCK},
    {"th", ND_TAG_TH, ND_TP_BLOCK},
    {"thead", ND_TAG_THEAD, ND_TP_BLOCK},
    {"time", ND_TAG_TIME, 0},
    {"title", ND_TAG_TITLE, ND_TP_BLOCK},
    {"tr", ND_TAG_TR, ND_TP_BLOCK},
    {"track", ND_TAG_OTHER, ND_TP_VOID},
    {"tt", ND_TAG_OTHER, ND_TP_FORMAT},
    {"u", ND_TAG_U, ND_TP_FORMAT},
    {"ul", ND_TAG_UL, ND_TP_BLOCK},
    {"var", ND_TAG_OTHER, ND_TP_FORMAT},
    {"video", ND_TAG_VIDEO, ND_TP_DROP},
    {"wbr", ND_TAG_OTHER, ND_TP_VOID | ND_TP_FORMAT},
};

static int cmp_tag(const void *k, const void *e)
{
    return strcmp(k, ((const tag_def *) e)->name);
}

int nd__tag_lookup(const char *name, unsigned *props)
{
    const tag_def *d =
        bsearch(name, tag_defs, sizeof tag_defs / sizeof *tag_defs, sizeof *tag_defs, cmp_tag);
    if (!d) {
        *props = 0;
        return ND_TAG_OTHER;
    }
    *props = d->props;
    return d->tag;
}

/* Words of class and id attributes.  The weight is added up over the
 * words; any flag is set.  Sorted by word for bsearch; `prefix` words also
 * match longer words that start with them ("advert" matches
 * "advertisement"). */
typedef struct word_def {
    const char *word;
    int8_t weight;
    uint8_t prefix;
    uint32_t flags;
} word_def;

static const word_def word_defs[] = {
    {"ad", -3, 0, ND_NODE_AD},
    {"adblock", -3, 0, ND_NODE_AD},
    {"addthis", -3, 0, ND_NODE_SHARE},
    {"ads", -3, 0, ND_NODE_AD},
    {"adsense", -3, 0, ND_NODE_AD},
    {"adslot", -3, 0, ND_NODE_AD},
    {"adunit", -3, 0, ND_NODE_AD},
    {"advert", -3, 1, ND_NODE_AD},
    {"agegate", -3, 0, 0},
    {"alert", -1, 0, 0},
    {"article", 2, 1, 0},
    {"aside", -2, 0, 0},
    {"author", -1, 1, ND_NODE_BYLINE},
    {"autor", -1, 1, ND_NODE_BYLINE},
    {"banner", -2, 0, ND_NODE_AD},
    {"bio", -2, 0, ND_NODE_AUTHORBIO},
    {"blog", 1, 0, 0},
    {"body", 2, 0, 0},
    {"breadcrumb", -3, 1, ND_NODE_NAV},
    {"byline", -1, 1, ND_NODE_BYLINE},
    {"caption", -1, 1, ND_NODE_CAPTION},
    {"combx", -2, 0, 0},
    {"comment", -4, 1, ND_NODE_COMMENT},
    {"commentary", 0, 0, 0}, /* an opinion piece, not reader comments */
    {"community", -2, 0, ND_NODE_COMMENT},
    {"consent", -3, 0, 0},
    {"content", 2, 0, 0},
    {"contributor", -1, 1, ND_NODE_BYLINE},
    {"cookie", -3, 1, 0},
    {"copyright", -2, 0, ND_NODE_FOOTER},
    {"credit", -1, 1, ND_NODE_CAPTION},
    {"dachzeile", 0, 0, ND_NODE_KICKER},
    {"date", 0, 0, ND_NODE_DATE},
    {"dateline", 0, 0, ND_NODE_DATE},
    {"deck", 0, 0, ND_NODE_LEAD},
    {"dek", 0, 0, ND_NODE_LEAD},
    {"dfp", -3, 0, ND_NODE_AD},
    {"disqus", -4, 0, ND_NODE_COMMENT},
    {"donate", -2, 0, ND_NODE_NEWSLETTER},
    {"email", -1, 0, ND_NODE_SHARE},
    {"entry", 2, 0, 0},
    {"excerpt", 0, 0, ND_NODE_LEAD},
    {"eyebrow", 0, 0, ND_NODE_KICKER},
    {"facebook", -3, 0, ND_NODE_SHARE},
    {"figcaption", -1, 0, ND_NODE_CAPTION},
    {"follow", -2, 0, ND_NODE_SHARE},
    {"foot", -3, 0, ND_NODE_FOOTER},
    {"footer", -3, 0, ND_NODE_FOOTER},
    {"footnote", 0, 0, 0},
    {"gdpr", -3, 0, 0},
    {"gpt", -3, 0, ND_NODE_AD},
    {"header", -1, 0, ND_NODE_HEADERISH},
    {"headline", 0, 0, ND_NODE_TITLE},
    {"hentry", 2, 0, 0},
    {"hidden", -2, 0, 0},
    {"ingredient", 1, 1, ND_NODE_RECIPE},
    {"instagram", -2, 0, ND_NODE_SHARE},
    {"intro", 0, 0, ND_NODE_LEAD},
    {"keywords", -2, 0, ND_NODE_TAGS},
    {"kicker", 0, 0, ND_NODE_KICKER},
    {"lead", 0, 0, ND_NODE_LEAD},
    {"lightbox", -2, 0, 0},
    {"linkedin", -3, 0, ND_NODE_SHARE},
    {"login", -2, 0, ND_NODE_NEWSLETTER},
    {"main", 2, 0, 0},
    {"masthead", -3, 0, ND_NODE_HEADERISH},
    {"menu", -3, 1, ND_NODE_NAV},
    {"meta", -1, 0, 0},
    {"modal", -3, 0, 0},
    {"mostpopular", -3, 0, ND_NODE_RELATED},
    {"mostread", -3, 0, ND_NODE_RELATED},
    {"nav", -3, 1, ND_NODE_NAV},
    {"newsletter", -3, 1, ND_NODE_NEWSLETTER},
    {"noprint", -2, 0, 0},
    {"outbrain", -4, 0, ND_NODE_RELATED},
    {"overlay", -2, 0, 0},
    {"overline", 0, 0, ND_NODE_KICKER},
    {"pager", -2, 0, ND_NODE_NAV},
    {"pagination", -2, 0, ND_NODE_NAV},
    {"paywall", 0, 0, 0}, /* the article text a paywall hides is still the article */
    {"pinterest", -3, 0, ND_NODE_SHARE},
    {"popular", -3, 0, ND_NODE_RELATED},
    {"popup", -3, 0, 0},
    {"post", 1, 0, 0},
    {"print", -1, 0, 0},
    {"promo", -3, 1, ND_NODE_TEASER},
    {"prose", 2, 0, 0},
    {"published", 0, 0, ND_NODE_DATE},
    {"rail", -2, 0, 0},
    {"recirc", -3, 1, ND_NODE_RELATED},
    {"recommend", -3, 1, ND_NODE_RELATED},
    {"reddit", -3, 0, ND_NODE_SHARE},
    {"related", -3, 1, ND_NODE_RELATED},
    {"remark", -2, 0, ND_NODE_COMMENT},
    {"replies", -3, 0, ND_NODE_COMMENT},
    {"reply", -2, 0, ND_NODE_COMMENT},
    {"respond", -2, 0, ND_NODE_COMMENT},
    {"richtext", 2, 0, 0},
    {"roofline", 0, 0, ND_NODE_KICKER},
    {"rss", -2, 0, ND_NODE_SHARE},
    {"share", -3, 1, ND_NODE_SHARE},
    {"shoutbox", -3, 0, ND_NODE_COMMENT},
    {"sidebar", -3, 0, 0},
    {"signup", -3, 0, ND_NODE_NEWSLETTER},
    {"skip", -2, 0, ND_NODE_NAV},
    {"skyscraper", -3, 0, ND_NODE_AD},
    {"social", -3, 1, ND_NODE_SHARE},
    {"spitzmarke", 0, 0, ND_NODE_KICKER},
    {"sponsor", -3, 1, ND_NODE_AD},
    {"standfirst", 0, 0, ND_NODE_LEAD},
    {"story", 2, 0, 0},
    {"storytext", 2, 0, 0},
    {"subheadline", 0, 0, ND_NODE_LEAD},
    {"subline", 0, 0, ND_NODE_LEAD},
    {"subscribe", -3, 0, ND_NODE_NEWSLETTER},
    {"subscription", -3, 0, ND_NODE_NEWSLETTER},
    {"summary", 0, 0, ND_NODE_LEAD},
    {"supertitle", 0, 0, ND_NODE_KICKER},
    {"tab", 0, 0, ND_NODE_TAB},
    {"taboola", -4, 0, ND_NODE_RELATED},
    {"tag", -1, 0, ND_NODE_TAGS},
    {"tags", -2, 0, ND_NODE_TAGS},
    {"teaser", -2, 0, ND_NODE_TEASER},
    {"text", 1, 0, 0},
    {"timestamp", 0, 0, ND_NODE_DATE},
    {"toolbar", -3, 0, ND_NODE_NAV},
    {"tools", -2, 0, ND_NODE_SHARE},
    {"topbar", -2, 0, ND_NODE_HEADERISH},
    {"topline", 0, 0, ND_NODE_KICKER},
    {"trending", -3, 0, ND_NODE_RELATED},
    {"tweet", 5, 0, 0}, /* an embedded tweet (twitter-tweet) is content */
    {"twitter", -3, 0, ND_NODE_SHARE},
    {"whatsapp", -3, 0, ND_NODE_SHARE},
    {"widget", -1, 1, 0},
    {"zergnet", -4, 0, ND_NODE_RELATED},
};

/* Word lookup: an open-addressing hash over the table, built once; prefix
 * entries are found by hashing the word's prefixes of their lengths. */
#define WORD_SLOTS 512
static uint16_t word_slot[WORD_SLOTS]; /* 1-based index into word_defs */
static uint32_t prefix_lens;           /* bit k: some prefix entry has length k */
static pthread_once_t word_once = PTHREAD_ONCE_INIT;

/* FNV-1a of the word; with prefix, also the hash of each of its first 32
 * prefixes (prefix[k]: of its first k bytes), steps of the same pass. */
static unsigned word_hash(const char *w, size_t n, unsigned prefix[32])
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        if (prefix && i < 32) prefix[i] = h;
        h = (h ^ (unsigned char) w[i]) * 16777619u;
    }
    return h;
}

static void word_init(void)
{
    for (size_t i = 0; i < sizeof word_defs / sizeof *word_defs; i++) {
        size_t n = strlen(word_defs[i].word);
        unsigned h = word_hash(word_defs[i].word, n, NULL) & (WORD_SLOTS - 1);
        while (word_slot[h]) h = (h + 1) & (WORD_SLOTS - 1);
        word_slot[h] = (uint16_t) (i + 1);
        if (word_defs[i].prefix && n < 32) prefix_lens |= 1u << n;
    }
}

/* Find the word (w, n) whose word_hash() is h. */
static const word_def *word_find(const char *w, size_t n, unsigned h)
{
    h &= WORD_SLOTS - 1;
    while (word_slot[h]) {
        const word_def *d = &word_defs[word_slot[h] - 1];
        /* (w holds letters only: strncmp stops at the entry's end) */
        if (strncmp(d->word, w, n) == 0 && !d->word[n]) return d;
        h = (h + 1) & (WORD_SLOTS - 1);
    }
    return NULL;
}

static const word_def *word_lookup(const char *w, size_t n)
{
    pthread_once(&word_once, word_init);
    /* the prefixes' hashes come with the word's: one pass */
    unsigned hp[32];
    const word_def *d = word_find(w, n, word_hash(w, n, hp));
    if (d) return d;
    /* The longest prefix entry that starts the word ("advertisement"). */
    for (size_t k = n - 1 < 31 ? n - 1 : 31; k >= 3; k--) {
        if (!(prefix_lens & (1u << k))) continue;
        d = word_find(w, k, hp[k]);
        if (d && d->prefix) return d;
    }
    return NULL;
}

void nd__class_words(const char *s, size_t n, int *weight, uint32_t *flags)
{
    char w[48];
    size_t i = 0;
    while (i < n) {
        /* Taxonomy labels that CMSs add to a post's class list
         * ("tag-economy category-news" on a WordPress post) name its
         * topics, not what the element is: skip the whole token. */
        if ((i == 0 || s[i - 1] == ' ') && n - i > 4 &&
            (!strncmp(s + i, "tag-", 4) || (n - i > 9 && !strncmp(s + i, "category-", 9)))) {
            while (i < n && s[i] != ' ') i++;
            continue;
        }
        /* A word: a run of letters, split at case changes (relatedPosts)
         * and at digits, dashes and underscores. */
        if (!((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z')) {
            i++;
            continue;
        }
        size_t k = 0;
        while (i < n && ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z')) {
            if (k > 0 && s[i] >= 'A' && s[i] <= 'Z' && s[i - 1] >= 'a' && s[i - 1] <= 'z') break;
            if (k < sizeof w - 1) w[k++] = (char) (s[i] | 32);
            i++;
        }
        const word_def *d = word_lookup(w, k);
        if (d) {
            *weight += d->weight;
            *flags |= d->flags;
        }
    }
}
