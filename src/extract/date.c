/* date.c - when the article was published (and last updated).
 *
 * The sources, in the order they are trusted:
 *   1. JSON-LD: datePublished of the article object;
 *   2. <meta>: article:published_time, og/Dublin Core/itemprop dates ...;
 *   3. JSON-LD datePublished of another object (the WebPage, a video);
 *   4. the page itself: <time datetime> elements and visible datelines
 *      ("Veröffentlicht am 28.04.2023", "December 16, 2016, 4:19 PM",
 *      "2023年4月28日"), scored by where they stand (by the headline, in a
 *      date element, before the body; never in comments, teasers, nav or
 *      footers) and by their labels ("published" vs "updated");
 *   5. the URL path ("/2023/04/28/", "/2023-04-28-", "/20230428/");
 *   6. an age next to the title with the fetch time (extract.c/meta.c);
 *   7. only when none of these (nor an update date) gives one: the rarer
 *      <meta> names peers read ("og:publish_date", "dateposted"), then
 *      the publication keys of JSON in scripts other than JSON-LD
 *      ("publishedAt": ISO 8601 or a Unix time), as framework state and
 *      data layers carry them (nd__gap_date).
 * The first date a reader sees by the headline wins over the declared one
 * when it is later and says it is an update or the publication, or gives
 * the minute (seen_later).
 * A date before 1995 or after the fetch time is not a publication date.
 * The page's own zone is kept: the printed date is its wall clock with its
 * offset, and a date given in UTC borrows the offset another source on the
 * page gives for the same moment.
 */
#include <stdio.h>
#include <string.h>

#include "extract/features.h"
#include "extract/meta.h"

#define MIN_DATE 788918400 /* 1995-01-01 */

typedef struct when {
    int64_t ts;
    int has_time;
    int off; /* seconds east of UTC, or ND_ZONE_NONE */
    int ok;
} when;

static int plausible(const nd_extract_ctx *x, int64_t ts)
{
    if (ts < MIN_DATE) return 0;
    if (x->opts->fetched != ND_TIME_NONE) return ts <= x->opts->fetched + 2 * 86400;
    return ts < 4102444800; /* 2100 */
}

static when parse_when(const nd_extract_ctx *x, const char *s)
{
    when w = {0, 0, ND_ZONE_NONE, 0};
    if (!s || !*s) return w;
    size_t n = strlen(s);
    if (nd_time_parse_zone(s, n, &w.ts, &w.has_time, &w.off) != 0) {
        /* "2019-10-18 14:17:42" and other values with a tail the strict
         * parser refuses: the date at their start; an ISO date with a
         * broken time ("2022-01-10T22:06:08:684Z") is still its day. */
        size_t a, e;
        if (nd_time_find_zone(s, n, &w.ts, &w.has_time, &w.off, &a, &e) != 0 || a > 0) {
            if (n < 11 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
                nd_time_parse_zone(s, 10, &w.ts, &w.has_time, &w.off) != 0)
                return w;
        }
    }
    w.ok = plausible(x, w.ts);
    return w;
}

/* ---- the page's own dates --------------------------------------------- */

/* Words before a date that say what it is: 2 an update, 1 a publication,
 * 0 neither. */
int nd__date_label(nd_slice s)
{
    static const char *const upd[] = {"aktualisiert", "updated",    "modified",      "mis à jour",
                                      "actualizado",  "aggiornato", "atualizado",    "zuletzt",
                                      "last edited",  "bijgewerkt", "zaktualizowano"};
    static const char *const pub[] = {
        "veröffentlicht", "published",    "posted",       "publié",      "publicado", "pubblicato",
        "erschienen",     "gepubliceerd", "opublikowano", "geschrieben", "written",   "erstellt",
        "gespeichert",    "gepostet",     "created",      "datum",       "date:",     "fecha"};
    for (size_t i = 0; i < sizeof upd / sizeof *upd; i++)
        if (nd_slice_ifind(s, upd[i]) >= 0) return 2;
    for (size_t i = 0; i < sizeof pub / sizeof *pub; i++)
        if (nd_slice_ifind(s, pub[i]) >= 0) return 1;
    return 0;
}

/* Where a node stands: furniture that never carries the article's date
 * (comments, teasers of other articles, navigation, footers, asides), a
 * date element, or neither. */
enum { AT_PLAIN = 0, AT_DATE = 1, AT_FURNITURE = 2, AT_TEASER = 4, AT_FOOTER = 8, AT_AD = 16 };

/* A footer holds the site's furniture, but also an article's own footer
 * (HTML5 <footer> in <article>, WordPress' "entry-footer" with the posted
 * date); a class "banner" names ads and also the page's title banner.
 * Both are marked apart for the callers to weigh. */
static int where(const nd_page *pg, uint32_t node, int thread, uint32_t art)
{
    int r = AT_PLAIN, depth = 0, inside_art = 0;
    for (uint32_t n = node; n && art; n = pg->nodes[n].parent)
        if (n == art) inside_art = 1;
    for (uint32_t n = node; n; n = pg->nodes[n].parent, depth++) {
        const nd_node *d = &pg->nodes[n];
        if (d->tag == ND_TAG_BODY || d->tag == ND_TAG_HTML) break;
        if (d->tag == ND_TAG_NAV) return AT_FURNITURE;
        /* an <aside> inside the article element is its meta box (byline,
         * date); elsewhere it is the page's sidebar */
        if (d->tag == ND_TAG_ASIDE && !inside_art) return AT_FURNITURE;
        if (d->tag == ND_TAG_FOOTER) r |= AT_FOOTER;
        uint32_t bad =
            ND_NODE_RELATED | ND_NODE_NAV | ND_NODE_NEWSLETTER | (thread ? 0 : ND_NODE_COMMENT);
        /* a class on a wrapper of the whole article says little */
        int small = d->end_block <= d->first_block + 40;
        if ((d->flags & bad) && small) return AT_FURNITURE;
        if ((d->flags & ND_NODE_FOOTER) && small) r |= AT_FOOTER;
        if ((d->flags & ND_NODE_AD) && small) r |= AT_AD;
        /* "teaser", "promo" name other articles' cards, but also the lead
         * and Drupal's "node-promoted" article: a doubt, not a verdict */
        if (d->flags & ND_NODE_TEASER) r |= AT_TEASER;
        if ((d->flags & ND_NODE_DATE) && depth < 5) r |= AT_DATE;
    }
    return r;
}

typedef struct page_marks {
    size_t title, body, body_end; /* block indexes; SIZE_MAX when absent */
} page_marks;

static page_marks marks(const nd_extract_ctx *x)
{
    const nd_page *pg = x->pg;
    page_marks m = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
    for (size_t i = 0; i < pg->n_blocks; i++) {
        const nd_block *b = &pg->blocks[i];
        if (m.title == SIZE_MAX && b->tag == ND_TAG_H1) m.title = i;
        if (b->label == ND_LBL_BODY) {
            if (m.body == SIZE_MAX) m.body = i;
            m.body_end = i;
        }
    }
    if (m.title != SIZE_MAX && m.body != SIZE_MAX && m.title > m.body + 3)
        m.title = SIZE_MAX; /* an <h1> far below the article's start is not its headline */
    return m;
}

/* Points for a date at block i by its place: next to the headline and
 * before the body is best, in the body's run less, after it least. */
static int place_points(const page_marks *m, size_t i)
{
    size_t top = m->title != SIZE_MAX ? m->title : m->body;
    if (top == SIZE_MAX) return 0;
    size_t body = m->body != SIZE_MAX ? m->body : top;
    if (i + 3 >= top && i <= body + 4) return 3;
    if (m->body_end != SIZE_MAX && i > m->body_end + 2) return -2;
    if (i > body && m->body_end != SIZE_MAX && i <= m->body_end) return 0;
    return 0;
}

typedef struct best {
    when w;
    int score;
    size_t pos;
} best;

/* The first date by the headline, whatever its score: the one a reader
 * sees first.  `score` holds its kind (label_kind). */
static void first_seen(best *b, when w, int kind, size_t pos)
{
    if (!w.ok || (b->w.ok && pos >= b->pos)) return;
    b->w = w;
    b->score = kind;
    b->pos = pos;
}

static void consider(best *b, when w, int score, size_t pos)
{
    if (!w.ok) return;
    if (!b->w.ok || score > b->score || (score == b->score && pos < b->pos)) {
        b->w = w;
        b->score = score;
        b->pos = pos;
    }
}

/* Is s[i] a separator of a meta line ("By X | 20. Mai 2007 | News")? */
static int seg_sep(nd_slice s, size_t i, int back)
{
    static const char *const seps[] = {
        "|", "\xc2\xb7", "\xe2\x8b\x85", "\xe2\x80\xa2", "\xe2\x80\x93", "\xe2\x80\x94", "-", "/"};
    for (size_t k = 0; k < sizeof seps / sizeof *seps; k++) {
        size_t l = strlen(seps[k]);
        if (back ? (i + 1 >= l && memcmp(s.ptr + i + 1 - l, seps[k], l) == 0)
                 : (i + l <= s.len && memcmp(s.ptr + i, seps[k], l) == 0))
            return 1;
    }
    return 0;
}

/* The date [a, e) is a whole segment of the line: at its start or end or
 * set off by separators on both sides. */
static int date_segment(nd_slice s, size_t a, size_t e)
{
    size_t i = a, j = e;
    while (i > 0 && s.ptr[i - 1] == ' ') i--;
    while (j < s.len && s.ptr[j] == ' ') j++;
    int left = i == 0 || seg_sep(s, i - 1, 1);
    int right = j >= s.len || seg_sep(s, j, 0);
    return left && right;
}

/* The date opens the line, maybe after a place ("Berlin, 5. Mai 2021 –
 * ..."): up to three words and a comma, no sentence before it. */
static int date_opens(nd_slice s, size_t a)
{
    if (a == 0) return 1;
    if (a > 40) return 0;
    nd_slice head = nd_slice_trim((nd_slice){s.ptr, a});
    if (!head.len || head.ptr[head.len - 1] != ',') return 0;
    return nd__words(head) <= 3 && !memchr(head.ptr, '.', head.len);
}

/* The first date of a line.  A label and its value in two inline
 * elements run together in the text ("Erstellt am<span>12.03.2021"):
 * when the line has no date at a word's start, a numeric date glued to
 * the word before it is taken. */
static int find_date(nd_slice s, when *w, size_t *a, size_t *e)
{
    if (nd_time_find_zone(s.ptr, s.len, &w->ts, &w->has_time, &w->off, a, e) == 0) return 0;
    for (size_t i = 1; i + 8 <= s.len; i++) {
        unsigned char p = (unsigned char) s.ptr[i - 1], c = (unsigned char) s.ptr[i];
        if (c < '0' || c > '9' || !((p >= 'a' && p <= 'z') || (p >= 'A' && p <= 'Z'))) continue;
        size_t a2, e2;
        if (nd_time_find_zone(s.ptr + i, s.len - i, &w->ts, &w->has_time, &w->off, &a2, &e2) == 0 &&
            a2 == 0) {
            *a = i;
            *e = i + e2;
            return 0;
        }
    }
    return -1;
}

/* "Stand: 02.02.2023": German for "as of", the state of the text at its
 * last update, when it is the label just before the date. */
static int stand_label(nd_slice head)
{
    head = nd_slice_trim(head);
    if (head.len && head.ptr[head.len - 1] == ':') head.len--;
    if (head.len < 5 || nd_slice_ifind((nd_slice){head.ptr + head.len - 5, 5}, "stand") != 0)
        return 0;
    unsigned char c = head.len > 5 ? (unsigned char) head.ptr[head.len - 6] : ' ';
    return !(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/* The best published and updated dates the page shows itself; `first`,
 * the first date by the headline (its kind in `score`: 2 when labelled as
 * an update before it). */
static void page_dates(const nd_extract_ctx *x, int thread, best *pub, best *upd, best *weak,
                       best *first)
{
    const nd_page *pg = x->pg;
    page_marks m = marks(x);
    uint32_t art = pg->is_html ? nd__article_node(x) : 0;
    for (size_t k = 0; k < pg->n_times; k++) {
        const nd_time_el *t = &pg->times[k];
        if (t->stamp) continue; /* a gap filler (stamp_date) */
        int at = where(pg, t->node, thread, art);
        int place = place_points(&m, t->block);
#ifdef ND_DATE_DEBUG
        fprintf(stderr, "TIME blk %u kind %d at %d place %d: %s\n", t->block, t->kind, at, place,
                t->datetime);
#endif
        if (at & AT_FURNITURE) continue;
        /* An article's own footer holds its published date; the page's
         * footer, far below the article, does not. */
        if ((at & AT_FOOTER) &&
            !(t->kind == 1 && (m.body_end == SIZE_MAX || t->block <= m.body_end + 3)))
            continue;
        if ((at & AT_AD) && place != 3) continue;
        when w = parse_when(x, t->datetime);
        int score = 6 + place + ((at & AT_DATE) ? 1 : 0) - ((at & AT_TEASER) ? 2 : 0);
        /* in a list of links to other articles ("10.08.2022 <a>Title</a>") */
        if (t->block < pg->n_blocks) {
            const nd_block *b = &pg->blocks[t->block];
            if (b->link_len * 2 > b->len && m.body_end != SIZE_MAX && t->block > m.body_end)
                score -= 2;
        }
        if (place == 3 && !(at & AT_TEASER)) first_seen(first, w, t->kind, t->block);
        if (t->kind == 2) {
            consider(upd, w, score, t->block);
            continue;
        }
        consider(pub, w, score + (t->kind == 1 ? 3 : 0), t->block);
    }
    size_t lim = pg->n_blocks < 20000 ? pg->n_blocks : 20000;
    for (size_t i = 0; i < lim; i++) {
        const nd_block *b = &pg->blocks[i];
        nd_slice s = nd__block_text(pg, b);
        /* A dateline may hold links (to the author, the place); a teaser
         * that is all link is another article's. */
        if (s.len < 6 || s.len > 400) continue;
        /* ... except a short line by the headline: the date linked to the
         * article's own address or archive ("<a href=/2020/05/>12. Mai"). */
        int linked = (b->flags & ND_BLK_ALLLINK) || b->link_len * 5 > b->len * 4;
        if (linked && !(s.len <= 80 && place_points(&m, i) == 3)) continue;
        when w = {0, 0, ND_ZONE_NONE, 0};
        size_t a, e;
        if (find_date(s, &w, &a, &e) != 0) continue;
        /* The label before the date, or anywhere in a short line ("wurde
         * am 19. Mai 2010 gepostet"). */
        int kind = nd__date_label(s.len <= 200 ? s : (nd_slice){s.ptr, a});
        int head_kind = nd__date_label((nd_slice){s.ptr, a});
        /* "Stand:" dates the page as it stands: its date when it shows no
         * other, an update only against an older declared publication */
        if (!head_kind && stand_label((nd_slice){s.ptr, a})) head_kind = 2;
        int dateline = (e - a) * 2 >= s.len || (s.len <= 160 && date_segment(s, a, e));
        /* A date inside a headline or a sentence is what the article is
         * about ("Ergebnisse vom 19.5.2007", "Der Stammtisch findet am 5.
         * Februar statt"): only a labelled date, a dateline, or one that
         * opens the line ("29.11.2022 – Mehrfach ...") is the article's. */
        int heading = b->tag == ND_TAG_H1 || b->tag == ND_TAG_H2 || b->tag == ND_TAG_H3;
        int sentence = b->label == ND_LBL_BODY && b->words >= 8 && !date_opens(s, a);
        /* ... but a heading that carries the article's stamp, date and
         * clock ("Stars <span>06.11.2023 13:30 von Olga</span>"), dates
         * the article: a headline names a day, not its minute. */
        if (heading && !sentence && w.has_time) heading = 0;
        if (!kind && !dateline && (heading || sentence)) continue;
        if (s.len > 160 && !kind && place_points(&m, i) != 3) continue;
        int at = pg->is_html ? where(pg, b->node, thread, art) : AT_PLAIN;
#ifdef ND_DATE_DEBUG
        fprintf(stderr, "DATE blk %zu marks %zu %zu %zu at %d: %.*s\n", i, m.title, m.body,
                m.body_end, at, (int) (s.len > 60 ? 60 : s.len), s.ptr);
#endif
        if (at & AT_FURNITURE) continue;
        w.ok = plausible(x, w.ts);
        if (at & AT_FOOTER) {
            /* "Diese Seite wurde zuletzt am 29. Januar 2020 geändert": a
             * wiki's last edit, the page's date when it shows no other */
            if (kind == 2) consider(upd, w, -10, i);
            continue;
        }
        if ((at & AT_AD) && place_points(&m, i) != 3) continue;
        int score = place_points(&m, i) + ((at & AT_DATE) ? 4 : 0) - ((at & AT_TEASER) ? 1 : 0) -
                    (b->link_len * 2 > b->len);
        if (dateline)
            score += 2; /* a dateline, not a sentence */
        else if (s.len <= 80)
            score += 1; /* a short line: "Pressemitteilung vom 2. November 2021" */
#ifdef ND_DATE_DEBUG
        fprintf(stderr, "DATE blk %zu score %d kind %d at %d ok %d: %.*s\n", i, score, kind, at,
                w.ok, (int) (s.len > 80 ? 80 : s.len), s.ptr);
#endif
        if (place_points(&m, i) == 3 && !(at & AT_TEASER)) first_seen(first, w, head_kind, i);
        if (kind == 2) {
            consider(upd, w, score, i);
            /* "Published 3 May, updated 5 May": the first date is the
             * publication's when the label of the second follows it. */
            continue;
        }
        if (kind == 1) score += 2;
        if (score >= 3)
            consider(pub, w, score, i);
        else if ((dateline || kind == 1) && (m.body_end == SIZE_MAX || i <= m.body_end + 2)) {
            /* Nothing placed better: the first date line of the page
             * above the body's end stands for the article's, and one
             * inside the article's container before one outside it (the
             * site's clock of the day in the page's header). */
            int inside = 0;
            for (uint32_t n = pg->is_html ? b->node : 0; n && x->container && !inside;
                 n = pg->nodes[n].parent)
                inside = n == x->container;
            consider(weak, w, inside, i);
        }
    }
}

/* A date in the URL's path: /2023/04/28/, /2023-04-28-slug, /20230428/. */
static when url_date(const nd_extract_ctx *x)
{
    when w = {0, 0, ND_ZONE_NONE, 0};
    const char *u = x->a->url;
    if (!u) return w;
    const char *p = strstr(u, "://");
    p = p ? strchr(p + 3, '/') : u;
    for (; p && *p; p++) {
        if (*p != '/' && *p != '-' && *p != '_') continue;
        const char *q = p + 1;
        int y = 0, mo = 0, d = 0, k = 0;
        while (k < 4 && q[k] >= '0' && q[k] <= '9') y = y * 10 + (q[k++] - '0');
        if (k != 4 || y < 1995 || y > 2099) continue;
        q += 4;
        char sep = *q;
        if (sep == '/' || sep == '-' || sep == '_')
            q++;
        else if (!(q[0] >= '0' && q[0] <= '9'))
            continue;
        for (k = 0; k < 2 && q[k] >= '0' && q[k] <= '9'; k++) mo = mo * 10 + (q[k] - '0');
        if (k != 2 && !(sep && k == 1)) continue;
        q += k;
        if (sep && *q == sep)
            q++;
        else if (sep || !(q[0] >= '0' && q[0] <= '9'))
            continue;
        for (k = 0; k < 2 && q[k] >= '0' && q[k] <= '9'; k++) d = d * 10 + (q[k] - '0');
        if (k == 0 || (q[k] >= '0' && q[k] <= '9')) continue;
        if (mo < 1 || mo > 12 || d < 1 || d > 31) continue;
        char iso[16];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, mo, d);
        w = parse_when(x, iso);
        if (w.ok) return w;
    }
    return w;
}

/* ---- sources that only fill gaps ------------------------------------- */

/* Publication-date <meta> names peers read (htmldate's list) beyond the
 * common ones above: trusted below every other source, as they are rare
 * and some are a CMS's own.  (Every <meta> key read here and below is in
 * page.c's meta_keys_read, or the prefilter drops its tags.) */
static when rare_meta_date(const nd_extract_ctx *x)
{
    static const char *const keys[] = {"og:publish_date",
                                       "og:pubdate",
                                       "og:datepublished",
                                       "og:article:published",
                                       "date_published",
                                       "published-date",
                                       "published_date",
                                       "dateposted",
                                       "displaydate",
                                       "doc_date",
                                       "originalpublicationdate",
                                       "article.created",
                                       "article_date_original",
                                       "dc.date.publication",
                                       "dc.created",
                                       "dc:created",
                                       "dcsext.articlefirstpublished",
                                       "rnews:datepublished",
                                       "bt:pubdate",
                                       "cxenseparse:recs:publishtime",
                                       "shareaholic:article_published_time",
                                       "mediator_published_time",
                                       "vr:published_time",
                                       "twt-published-at"};
    when w = {0, 0, ND_ZONE_NONE, 0};
    for (size_t i = 0; i < sizeof keys / sizeof *keys && !w.ok; i++)
        w = parse_when(x, nd__page_meta(x->pg, keys[i]));
    return w;
}

static int key_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

/* A JSON key that names the publication date: "datePublished",
 * "publishDate", "published_at", "firstPublishDate", "publicationDate" ...
 * compared lowercased without '_' and '-'.  Never a last, modified,
 * scheduled or expiry date. */
static int publish_key(const char *k, size_t n)
{
    static const char *const names[] = {
        "datepublished",      "publishdate",         "publisheddate",
        "publishedat",        "publishedon",         "publishat",
        "publishon",          "published",           "publishedtime",
        "publishtime",        "publisheddatetime",   "publishdatetime",
        "publishingdate",     "publishtimestamp",    "publishedtimestamp",
        "publishedunixtime",  "firstpublished",      "firstpublishdate",
        "firstpublisheddate", "firstpublishedat",    "firstpublishedtime",
        "publicationdate",    "publicationtime",     "publicationtimets",
        "webpublicationdate", "originalpublishdate", "originalpublicationdate"};
    char low[32];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char) k[i];
        if (c == '_' || c == '-') continue;
        if (m + 1 >= sizeof low) return 0;
        low[m++] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    low[m] = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(low, names[i]) == 0) return 1;
    return 0;
}

/* The value after a JSON key ending at s[i] (its closing quote): an ISO
 * 8601 string, or a Unix time in seconds (10 digits) or milliseconds
 * (13), quoted or not.  A JSON text inside a script's string has its
 * quotes escaped (\"publishedAt\":\"2021-...\"). */
static when json_date_value(const nd_extract_ctx *x, const char *s, size_t n, size_t i)
{
    when w = {0, 0, ND_ZONE_NONE, 0};
    size_t lim = i + 8 < n ? i + 8 : n;
    while (i < lim && (s[i] == ' ' || s[i] == '\t' || s[i] == '\\' || s[i] == '"')) i++;
    if (i >= n || s[i] != ':') return w;
    i++;
    lim = i + 8 < n ? i + 8 : n;
    while (i < lim && (s[i] == ' ' || s[i] == '\t' || s[i] == '\\' || s[i] == '"' || s[i] == '\''))
        i++;
    size_t d = 0;
    while (i + d < n && d < 14 && s[i + d] >= '0' && s[i + d] <= '9') d++;
    if (d == 10 || d == 13) {
        int64_t v = 0;
        for (size_t k = 0; k < d; k++) v = v * 10 + (s[i + k] - '0');
        if (d == 13) v /= 1000;
        w.ts = v;
        w.has_time = 1;
        w.off = 0;
        w.ok = plausible(x, v);
        return w;
    }
    if (d != 4 || i + 10 > n || s[i + 4] != '-' || s[i + 7] != '-') return w;
    char buf[48];
    size_t k = 0;
    while (i + k < n && k < sizeof buf - 1 && s[i + k] != '"' && s[i + k] != '\'' &&
           s[i + k] != '\\' && s[i + k] != ',' && s[i + k] != '}')
        k++;
    memcpy(buf, s + i, k);
    buf[k] = 0;
    return parse_when(x, buf);
}

/* A publication date in JSON that is not JSON-LD: a framework's page
 * state (<script id="__NEXT_DATA__">, window.__INITIAL_STATE__ = {...}),
 * an analytics data layer, a player's settings ("publishedAt":
 * "2021-05-04T10:00:00Z", "firstPublished": 1682640000).  Read from the
 * page as decoded, as the prefilter drops scripts.  The first key of the
 * page that names the publication and holds a plausible date; pages list
 * their own object before the teasers they carry. */
static when script_date(const nd_extract_ctx *x)
{
    when w = {0, 0, ND_ZONE_NONE, 0};
    const char *s = x->pg->raw;
    size_t n = x->pg->raw_len;
    if (!s) return w;
    /* every key above holds "ubli" (publish, publication) */
    for (const char *p = s; (p = memmem(p, n - (size_t) (p - s), "ubli", 4)) != NULL; p += 4) {
        size_t at = (size_t) (p - s), a = at, e = at + 4;
        while (a > 0 && at - a < 24 && key_char((unsigned char) s[a - 1])) a--;
        while (e < n && e - at < 32 && key_char((unsigned char) s[e])) e++;
        if (a == 0 || e >= n || (s[a - 1] != '"' && s[a - 1] != '\'')) continue;
        if (s[e] != s[a - 1] && !(s[e] == '\\' && e + 1 < n && s[e + 1] == s[a - 1])) continue;
        if (!publish_key(s + a, e - a)) continue;
        w = json_date_value(x, s, n, e + 1);
        if (w.ok) return w;
    }
    w.ok = 0;
    return w;
}

static const char *format(nd_extract_ctx *x, when w)
{
    char buf[32];
    nd_time_format_zone(w.ts, !w.has_time, w.off, buf);
    return nd_arena_strndup(x->a->arena, buf, strlen(buf));
}

/* A date given in UTC (or in no zone) takes the offset another source of
 * the page gives for about the same moment: "2019-10-18T22:04:00Z" beside
 * "2019-10-19T00:04+02:00" is the 19th on the page. */
static void borrow_offset(when *w, const when *others, size_t n)
{
    if (!w->has_time || (w->off != ND_ZONE_NONE && w->off != 0)) return;
    for (size_t i = 0; i < n; i++)
        if (others[i].ok && others[i].has_time && others[i].off != ND_ZONE_NONE &&
            others[i].off != 0 && others[i].ts - w->ts < 86400 && w->ts - others[i].ts < 86400) {
            w->off = others[i].off;
            return;
        }
}

/* A day stored as local midnight and given in UTC: on a page in a
 * language of Central Europe, 23:00:00Z in winter or 22:00:00Z in summer
 * is midnight in the page's zone (CET/CEST), the next day there. */
static void local_midnight(const nd_extract_ctx *x, when *w)
{
    static const char *const cet[] = {"de", "it", "pl", "nl", "cs", "sk", "hu",
                                      "da", "sv", "nb", "no", "hr", "sl"};
    if (!w->has_time || (w->off != 0 && w->off != ND_ZONE_NONE)) return;
    const char *lang = x->lang ? x->lang : x->pg->lang;
    int in_cet = 0;
    for (size_t i = 0; lang && i < sizeof cet / sizeof *cet; i++)
        if (!strncasecmp(lang, cet[i], 2) && (!lang[2] || lang[2] == '-' || lang[2] == '_'))
            in_cet = 1;
    if (!in_cet) return;
    int64_t sec = ((w->ts % 86400) + 86400) % 86400;
    int64_t days = (w->ts - sec) / 86400;
    /* the month, from the civil date of `days` (Howard Hinnant's algorithm) */
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int summer = month >= 4 && month <= 10;
    if (sec == (summer ? 22 : 23) * 3600) w->off = summer ? 7200 : 3600;
}

/* "10/05/2022 05:22 pm" is read month first (an am/pm clock), yet a page
 * is not published after its last update: when the date's day and month
 * could be either and the other reading fits before the update, it is
 * the one. */
static when other_reading(const nd_extract_ctx *x, const char *s, when pub, when upd)
{
    if (!s || !upd.ok || pub.ts <= upd.ts + 86400) return pub;
    while (*s == ' ') s++;
    size_t i = 0, j;
    int d1 = 0, d2 = 0;
    for (; i < 2 && s[i] >= '0' && s[i] <= '9'; i++) d1 = d1 * 10 + (s[i] - '0');
    if (!i || (s[i] != '/' && s[i] != '.' && s[i] != '-')) return pub;
    char sep = s[i];
    for (j = i + 1; j < i + 3 && s[j] >= '0' && s[j] <= '9'; j++) d2 = d2 * 10 + (s[j] - '0');
    if (j == i + 1 || s[j] != sep || d1 > 12 || d2 > 12 || d1 == d2 || d1 < 1 || d2 < 1) return pub;
    char buf[96];
    int n = snprintf(buf, sizeof buf, "%d%c%d%s", d2, sep, d1, s + j);
    if (n <= 0 || (size_t) n >= sizeof buf) return pub;
    when w = parse_when(x, buf);
    return w.ok && w.ts <= upd.ts + 86400 ? w : pub;
}

/* The day of w on its own wall clock. */
static int64_t local_day(when w)
{
    int64_t t = w.ts + (w.off == ND_ZONE_NONE ? 0 : w.off);
    return (t >= 0 ? t : t - 86399) / 86400;
}

/* Does the first date by the headline (`first`, its label kind in
 * score) stand for the page against the declared publication `pub`?
 * It does when it falls on a later day and says so: labelled as an
 * update ("Updated June 14, 2021", "Aktualisiert:", "Stand:") or as the
 * publication, or given to the minute ("9. April 2021 - 15:00 Uhr") on a
 * page that declares a later update.
 * The page then presents itself as of that (re)publication, and that is
 * the date its reader sees; the older date of the markup is the first
 * version's.  A bare day by the headline may be anything (an event, an
 * issue), and an earlier one is not a re-publication; nor is one after
 * the page's own last update (give or take a zone: a clock in no zone is
 * read as UTC), which is a misreading ("04/03/2022 09:00 am" read as
 * April 3 on a day-first page). */
static int seen_later(const best *first, when pub, when upd)
{
    if (!first->w.ok || (upd.ok && first->w.ts > upd.ts + 14 * 3600)) return 0;
    if (!pub.ok) return first->score == 2;
    /* an unlabelled clock counts only on a page that says it changed
     * after its publication (not the site's clock of the day above it) */
    if (first->score == 0 && (!first->w.has_time || !upd.ok)) return 0;
    return local_day(first->w) > local_day(pub);
}

void nd__assemble_dates(nd_extract_ctx *x, const char *ld_published, const char *ld_modified,
                        const char *ld_any_published, const char *ld_any_modified)
{
    nd_article *a = x->a;
    const nd_page *pg = x->pg;
    static const char *const pub_keys[] = {"article:published_time",
                                           "og:article:published_time",
                                           "og:published_time",
                                           "datepublished",
                                           "itemprop:datepublished",
                                           "published_time",
                                           "article.published",
                                           "dc.date.issued",
                                           "dcterms.issued",
                                           "pubdate",
                                           "publishdate",
                                           "publish-date",
                                           "publish_date",
                                           "publication_date",
                                           "sailthru.date",
                                           "parsely-pub-date",
                                           "citation_publication_date",
                                           "citation_date"};
    /* The generic "date" tags (DC, a CMS's record date) often give when the
     * page was last saved: they come after the page's own published date. */
    static const char *const generic_keys[] = {"date",
                                               "dc.date",
                                               "dcterms.date",
                                               "dc.date.created",
                                               "dcterms.created",
                                               "datecreated",
                                               "itemprop:datecreated"};
    static const char *const mod_keys[] = {
        "article:modified_time", "og:updated_time",  "datemodified",  "itemprop:datemodified",
        "dc.date.modified",      "dcterms.modified", "last-modified", "modified_time"};
    when found[32];
    size_t nf = 0;
    when pub = parse_when(x, ld_published), generic = {0, 0, ND_ZONE_NONE, 0};
    const char *pub_src = ld_published;
    if (pub.ok) found[nf++] = pub;
    for (size_t i = 0; i < sizeof pub_keys / sizeof *pub_keys; i++) {
        const char *v = nd__page_meta(pg, pub_keys[i]);
        when w = parse_when(x, v);
        if (!w.ok) continue;
        if (nf < 32) found[nf++] = w;
        if (!pub.ok) pub = w, pub_src = v;
    }
    for (size_t i = 0; i < sizeof generic_keys / sizeof *generic_keys; i++) {
        when w = parse_when(x, nd__page_meta(pg, generic_keys[i]));
        if (!w.ok) continue;
        if (nf < 32) found[nf++] = w;
        if (!generic.ok) generic = w;
    }
    if (!pub.ok) pub = parse_when(x, ld_any_published), pub_src = ld_any_published;
    when upd = parse_when(x, ld_modified);
    for (size_t i = 0; i < sizeof mod_keys / sizeof *mod_keys && !upd.ok; i++)
        upd = parse_when(x, nd__page_meta(pg, mod_keys[i]));
    if (!upd.ok) upd = parse_when(x, ld_any_modified);
    if (pub.ok) pub = other_reading(x, pub_src, pub, upd);
    /* Text pages read their datelines by the title themselves (meta.c):
     * a date further down a flattened page is the story's, not the page's. */
    best bf = {{0, 0, ND_ZONE_NONE, 0}, 0, 0};
    if (pg->is_html && (!pub.ok || !upd.ok || upd.ts > pub.ts)) {
        best bp = {{0, 0, ND_ZONE_NONE, 0}, 0, 0}, bu = bp, bw = bp;
        page_dates(x, x->thread, &bp, &bu, &bw, &bf);
        if (!pub.ok) pub = bp.w;
        if (!upd.ok) upd = bu.w;
        if (bp.w.ok && nf < 32) found[nf++] = bp.w;
        if (!pub.ok) pub = generic;
        if (!pub.ok) pub = url_date(x);
        if (!pub.ok) pub = bw.w;
    }
    if (!pub.ok) pub = generic;
    /* pub (upd) is a clock the page shows in no zone: its wall clock is
     * kept, not given another source's offset */
    int seen = 0, upd_seen = 0;
    if (bf.w.ok) {
        when local = pub;
        if (local.ok) {
            borrow_offset(&local, found, nf);
            local_midnight(x, &local);
        }
        if (seen_later(&bf, local, upd)) {
            if (!upd.ok) upd = bf.w, upd_seen = 1;
            pub = bf.w;
            seen = bf.w.off == ND_ZONE_NONE;
        }
    }
    /* A full date in the URL's path is fixed when the page is first
     * published; a later date elsewhere is a re-publication's. */
    when u = url_date(x);
    if (u.ok && (!pub.ok || pub.ts > u.ts + 7 * 86400)) pub = u, seen = 0;
    /* A page that shows only when it was last updated: that date is the
     * best there is. */
    if (!pub.ok && upd.ok) pub = upd;
    if (pub.ok && !seen) {
        borrow_offset(&pub, found, nf);
        local_midnight(x, &pub);
    }
    if (pub.ok) {
        a->published = format(x, pub);
        a->published_ts = pub.ts;
    }
    /* (a clock in no zone is read as UTC: up to 14 hours off) */
    if (upd.ok && (!pub.ok || upd.ts + (seen ? 14 * 3600 : 0) >= pub.ts)) {
        if (!upd_seen) borrow_offset(&upd, found, nf);
        a->modified = format(x, upd);
    }
}

/* A Unix time in a data attribute (data-timestamp="1682640000") where
 * the article's date stands: not in comments, teasers, navigation, ads
 * or footers; the one best placed by the headline, the first of those. */
static when stamp_date(const nd_extract_ctx *x)
{
    const nd_page *pg = x->pg;
    best b = {{0, 0, ND_ZONE_NONE, 0}, 0, 0};
    page_marks m = marks(x);
    uint32_t art = nd__article_node(x);
    for (size_t k = 0; k < pg->n_times; k++) {
        const nd_time_el *t = &pg->times[k];
        if (!t->stamp) continue;
        int at = where(pg, t->node, x->thread, art);
        if (at & (AT_FURNITURE | AT_FOOTER | AT_TEASER | AT_AD)) continue;
        int score = place_points(&m, t->block) + ((at & AT_DATE) ? 1 : 0);
        if (score < 0) continue;
        consider(&b, parse_when(x, t->datetime), score, t->block);
    }
    return b.w;
}

void nd__gap_date(nd_extract_ctx *x)
{
    if (x->a->published || !x->pg->is_html) return;
    when w = rare_meta_date(x);
    if (!w.ok) w = script_date(x);
    if (!w.ok) w = stamp_date(x);
    if (!w.ok) return;
    local_midnight(x, &w);
    x->a->published = format(x, w);
    x->a->published_ts = w.ts;
}
