/* meta.c - title, authors, published time, site, wire credit, language and
 * related items, from markup metadata (JSON-LD, OpenGraph, <meta>, <time>)
 * where there is markup, and from the page's own lines where there is not. */
#include <jansson.h>
#include <libxml/uri.h>
#include <string.h>

#include "extract/features.h"
#include "extract/meta.h"
#include "newsdesk/lang.h"

/* ---- small text helpers ------------------------------------------------ */

static int is_upper_ascii(int c)
{
    return c >= 'A' && c <= 'Z';
}

/* Is the UTF-8 letter at p an uppercase letter (ASCII or Latin-1/Ext-A)? */
int nd__upper_at(const char *p, size_t n)
{
    unsigned char c = (unsigned char) p[0];
    if (is_upper_ascii(c)) return 1;
    if (c == 0xC3 && n > 1) return (unsigned char) p[1] >= 0x80 && (unsigned char) p[1] <= 0x9E;
    if (c == 0xC4 || c == 0xC5) return n > 1 && !((unsigned char) p[1] & 1);
    return 0;
}

int nd__words(nd_slice s)
{
    int w = 0, in = 0;
    for (size_t i = 0; i < s.len; i++) {
        int sp = s.ptr[i] == ' ';
        if (!sp && !in) w++;
        in = !sp;
    }
    return w;
}

int nd__heading_like(nd_slice s)
{
    s = nd_slice_trim(s);
    if (!s.len || s.len > 120) return 0;
    int w = nd__words(s);
    if (w > 14) return 0;
    char last = s.ptr[s.len - 1];
    if (last == '.' || last == ',' || last == ';') return 0;
    unsigned char c = (unsigned char) s.ptr[0];
    return nd__upper_at(s.ptr, s.len) || (c >= '0' && c <= '9') || c >= 0xC3 || c == '"' ||
           c == 0xE2;
}

int nd__is_age_line(const char *s, size_t n)
{
    nd_slice t = nd_slice_trim((nd_slice){s, n});
    if (!t.len || t.len > 40) return 0;
    int64_t ts;
    if (nd_time_parse_age(t.ptr, t.len, 0, &ts) == 0) return 1;
    return 0;
}

/* A person's name: 2-4 capitalised words (initials, particles allowed). */
size_t nd__name_prefix(const char *s, size_t n)
{
    size_t i = 0, words = 0, end = 0;
    while (i < n && words < 5) {
        if (!nd__upper_at(s + i, n - i)) {
            /* particles inside names */
            static const char *const part[] = {"de ", "van ", "von ", "der ", "da ",
                                               "di ", "bin ", "al-",  "la ",  "le "};
            int ok = 0;
            for (size_t k = 0; k < sizeof part / sizeof *part && words > 0; k++)
                if (n - i > strlen(part[k]) && strncmp(s + i, part[k], strlen(part[k])) == 0) {
                    i += strlen(part[k]);
                    ok = 1;
                    break;
                }
            if (!ok) break;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != ',') j++;
        if (j - i > 30) break;
        words++;
        end = j;
        if (j >= n || s[j] != ' ') break;
        i = j + 1;
    }
    return words >= 2 && words <= 4 ? end : 0;
}

size_t nd__bio_name(const char *s, size_t n, char *out, size_t cap)
{
    static const char *const cues[] = {" has worked",  " is a ",      " is an ",      " was a ",
                                       " covers ",     " joined ",    " writes ",     " reports ",
                                       " previously ", " has been a", " has covered", " is the "};
    size_t k = nd__name_prefix(s, n);
    if (!k) return 0;
    for (size_t i = 0; i < sizeof cues / sizeof *cues; i++) {
        size_t cl = strlen(cues[i]);
        if (k + cl <= n && strncmp(s + k, cues[i], cl) == 0) {
            if (out && cap) {
                size_t m = k < cap - 1 ? k : cap - 1;
                memcpy(out, s, m);
                out[m] = 0;
            }
            return k;
        }
    }
    return 0;
}

int nd__is_bio(const char *s, size_t n)
{
    if (n < 30 || n > 1200 || !nd__bio_name(s, n, NULL, 0)) return 0;
    static const char *const roles[] = {"reporter",      "writer",
                                        "correspondent", "editor",
                                        "journalist",    "columnist",
                                        "contributor",   "author of",
                                        "producer",      "freelance",
                                        "has worked as", "covers ",
                                        "covering ",     "previously worked",
                                        "joined the"};
    nd_slice head = {s, n < 160 ? n : 160};
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (nd_slice_ifind(head, roles[i]) >= 0) return 1;
    return 0;
}

/* ---- wire agencies -------------------------------------------------------- */

typedef struct agency {
    const char *pattern; /* as written in bylines/datelines */
    const char *name;    /* canonical */
} agency;

static const agency agencies[] = {
    {"Reuters", "Reuters"},
    {"Thomson Reuters", "Reuters"},
    {"Associated Press", "AP"},
    {"The Associated Press", "AP"},
    {"AP", "AP"},
    {"Agence France-Presse", "AFP"},
    {"Agence France Presse", "AFP"},
    {"AFP", "AFP"},
    {"Bloomberg", "Bloomberg"},
    {"dpa", "dpa"},
    {"DPA", "dpa"},
    {"Press Association", "PA Media"},
    {"PA Media", "PA Media"},
    {"PA", "PA Media"},
    {"UPI", "UPI"},
    {"United Press International", "UPI"},
    {"Xinhua", "Xinhua"},
    {"TASS", "TASS"},
    {"EFE", "EFE"},
    {"ANSA", "ANSA"},
    {"Kyodo", "Kyodo"},
    {"Kyodo News", "Kyodo"},
    {"Yonhap", "Yonhap"},
    {"ANI", "ANI"},
    {"PTI", "PTI"},
    {"IANS", "IANS"},
    {"CNA", "CNA"},
    {"AAP", "AAP"},
    {"Canadian Press", "The Canadian Press"},
    {"The Canadian Press", "The Canadian Press"},
    {"Jiji", "Jiji Press"},
    {"JIJI", "Jiji Press"},
    {"Jiji Press", "Jiji Press"},
    {"KNA", "KNA"},
    {"epd", "epd"},
    {"APA", "APA"},
    {"SDA", "SDA"},
    {"Keystone-SDA", "Keystone-SDA"},
    {"SID", "SID"},
    {"dts", "dts"},
    {"Kathpress", "Kathpress"},
    {"kathpress", "Kathpress"},
    {"ANP", "ANP"},
    {"Belga", "Belga"},
    {"NTB", "NTB"},
    {"Ritzau", "Ritzau"},
    {"PAP", "PAP"},
    {"Europa Press", "Europa Press"},
    {"Lusa", "Lusa"},
    {"Agência Lusa", "Lusa"},
    {"AGI", "AGI"},
    {"Adnkronos", "Adnkronos"},
    {"Anadolu", "Anadolu"},
    {"Anadolu Agency", "Anadolu"},
    {"Interfax", "Interfax"},
    {"RIA Novosti", "RIA Novosti"},
};

/* The agency named exactly by s (trimmed), or NULL.  A regional or desk
 * suffix after a slash belongs to it: "dpa/lno", "AFP/AP" (the first). */
const char *nd__agency_exact(nd_slice s)
{
    s = nd_slice_trim(s);
    while (s.len && (s.ptr[s.len - 1] == '.' || s.ptr[s.len - 1] == ')')) s.len--;
    while (s.len && (s.ptr[0] == '(' || s.ptr[0] == ' ')) s.ptr++, s.len--;
    for (size_t i = 0; i < sizeof agencies / sizeof *agencies; i++)
        if (nd_slice_eq_c(s, agencies[i].pattern)) return agencies[i].name;
    const char *sl = memchr(s.ptr, '/', s.len);
    if (sl && sl > s.ptr && s.ptr + s.len - sl <= 8) {
        nd_slice head = nd_slice_trim((nd_slice){s.ptr, (size_t) (sl - s.ptr)});
        for (size_t i = 0; i < sizeof agencies / sizeof *agencies; i++)
            if (nd_slice_eq_c(head, agencies[i].pattern)) return agencies[i].name;
    }
    return NULL;
}

/* Length of a dash (ASCII -, en/em dash, minus sign) at p, or 0. */
static size_t dash_at(const char *p, size_t n)
{
    if (n >= 1 && p[0] == '-') return 1;
    if (n >= 3 && (unsigned char) p[0] == 0xE2 && (unsigned char) p[1] == 0x80 &&
        ((unsigned char) p[2] == 0x93 || (unsigned char) p[2] == 0x94))
        return 3;
    if (n >= 3 && (unsigned char) p[0] == 0xE2 && (unsigned char) p[1] == 0x88 &&
        (unsigned char) p[2] == 0x92)
        return 3; /* U+2212 minus */
    return 0;
}

const char *nd__credit_in(const char *s, size_t n, int first, size_t *cut_start, size_t *cut_end)
{
    *cut_start = *cut_end = n;
    /* Sign-off at the end: "... the war. - Reuters" / "— AP" / "(AFP)". */
    size_t e = n;
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '.')) e--;
    for (size_t i = 0; i < sizeof agencies / sizeof *agencies; i++) {
        size_t pl = strlen(agencies[i].pattern);
        if (e < pl + 2 || memcmp(s + e - pl, agencies[i].pattern, pl) != 0) continue;
        size_t b = e - pl;
        if (b > 0 && s[b - 1] == '(' && e < n && s[e] == ')') {
            /* "(Reuters)" at the very end */
            *cut_start = b - 1;
            while (*cut_start > 0 && s[*cut_start - 1] == ' ') (*cut_start)--;
            *cut_end = n;
            return agencies[i].name;
        }
        size_t k = b;
        while (k > 0 && s[k - 1] == ' ') k--;
        size_t d = 0;
        for (size_t back = 1; back <= 3 && back <= k; back++)
            if ((d = dash_at(s + k - back, back)) == back) {
                k -= back;
                break;
            } else {
                d = 0;
            }
        if (d) {
            while (k > 0 && s[k - 1] == ' ') k--;
            *cut_start = k;
            *cut_end = n;
            return agencies[i].name;
        }
    }
    /* "Quelle: kathpress", "Source: AFP" closing the text. */
    static const char *const src[] = {"quelle:", "source:", "fuente:", "fonte:"};
    for (size_t i = 0; i < sizeof src / sizeof *src; i++) {
        ptrdiff_t q = nd_slice_ifind((nd_slice){s, n}, src[i]);
        if (q < 0 || n - (size_t) q > 60) continue;
        size_t k = (size_t) q + strlen(src[i]);
        const char *ag = nd__agency_exact((nd_slice){s + k, n - k});
        if (ag) {
            *cut_start = (size_t) q;
            while (*cut_start > 0 && s[*cut_start - 1] == ' ') (*cut_start)--;
            *cut_end = n;
            return ag;
        }
    }
    /* "(Reporting by ... ; Editing by ...)" is Reuters' house style. */
    ptrdiff_t r = nd_slice_ifind((nd_slice){s, n}, "(reporting by");
    if (r >= 0 && nd_slice_ifind((nd_slice){s + r, n - (size_t) r}, "editing by") >= 0) {
        *cut_start = (size_t) r;
        while (*cut_start > 0 && s[*cut_start - 1] == ' ') (*cut_start)--;
        *cut_end = n;
        return "Reuters";
    }
    if (!first) return NULL;
    /* Dateline at the start: "MOSCOW (Reuters) - " / "WASHINGTON (AP) — ". */
    const char *lp = memchr(s, '(', n > 80 ? 80 : n);
    if (lp) {
        const char *rp = memchr(lp, ')', (size_t) (s + n - lp));
        if (rp && rp - lp < 40) {
            const char *ag = nd__agency_exact((nd_slice){lp + 1, (size_t) (rp - lp - 1)});
            if (ag) {
                size_t k = (size_t) (rp - s) + 1;
                while (k < n && s[k] == ' ') k++;
                size_t d = dash_at(s + k, n - k);
                if (d) {
                    k += d;
                    while (k < n && s[k] == ' ') k++;
                }
                return ag; /* the dateline stays in the text: it is the article's */
            }
        }
    }
    return NULL;
}

/* ---- JSON-LD ------------------------------------------------------------- */

typedef struct ld_info {
    const char *headline, *published, *modified, *site, *lang, *section;
    const char *any_published, *any_modified; /* of another object (WebPage, VideoObject) */
    json_t *authors;                          /* borrowed from the root */
    json_t *any_authors; /* of another object (a HowTo, a Recipe, the WebPage) */
    int found;
} ld_info;

static int type_is_article(json_t *t)
{
    static const char *const types[] = {"NewsArticle",
                                        "Article",
                                        "ReportageNewsArticle",
                                        "AnalysisNewsArticle",
                                        "OpinionNewsArticle",
                                        "BackgroundNewsArticle",
                                        "BlogPosting",
                                        "LiveBlogPosting",
                                        "ScholarlyArticle",
                                        "TechArticle",
                                        "Report",
                                        "SatiricalArticle",
                                        "ReviewNewsArticle",
                                        "AskPublicNewsArticle",
                                        "Review"};
    if (json_is_array(t)) {
        size_t i;
        json_t *v;
        json_array_foreach(t, i, v) if (type_is_article(v)) return 1;
        return 0;
    }
    const char *s = json_string_value(t);
    if (!s) return 0;
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!strcmp(s, types[i])) return 1;
    return 0;
}

static void ld_walk(json_t *v, ld_info *li, int depth)
{
    if (depth > 8 || li->found) return;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) ld_walk(e, li, depth + 1);
        return;
    }
    if (!json_is_object(v)) return;
    if (type_is_article(json_object_get(v, "@type"))) {
        li->found = 1;
        li->headline = json_string_value(json_object_get(v, "headline"));
        li->published = json_string_value(json_object_get(v, "datePublished"));
        if (!li->published) li->published = json_string_value(json_object_get(v, "dateCreated"));
        li->modified = json_string_value(json_object_get(v, "dateModified"));
        json_t *pub = json_object_get(v, "publisher");
        if (json_is_array(pub)) pub = json_array_get(pub, 0);
        if (json_is_object(pub)) li->site = json_string_value(json_object_get(pub, "name"));
        li->lang = json_string_value(json_object_get(v, "inLanguage"));
        li->authors = json_object_get(v, "author");
        if (!li->authors) li->authors = json_object_get(v, "creator");
        return;
    }
    /* A photo's or a logo's dates and author are the picture's. */
    const char *type = json_string_value(json_object_get(v, "@type"));
    if (type && (!strcmp(type, "ImageObject") || !strcmp(type, "Photograph"))) return;
    if (!li->any_published) {
        li->any_published = json_string_value(json_object_get(v, "datePublished"));
        if (!li->any_published)
            li->any_published = json_string_value(json_object_get(v, "uploadDate"));
    }
    if (!li->any_modified) li->any_modified = json_string_value(json_object_get(v, "dateModified"));
    if (!li->any_authors) li->any_authors = json_object_get(v, "author");
    json_t *g = json_object_get(v, "@graph");
    if (g) ld_walk(g, li, depth + 1);
    json_t *m = json_object_get(v, "mainEntity");
    if (m) ld_walk(m, li, depth + 1);
}

/* ---- assembling -------------------------------------------------------- */

static const char *astr(nd_extract_ctx *x, nd_slice s)
{
    return nd_arena_strndup(x->a->arena, s.ptr, s.len);
}

/* Strip " | Site", " - Site" from a <title>; *tail gets what was cut
 * (the site name, usually), or {NULL, 0}. */
static nd_slice clean_title(nd_slice t, const char *site, nd_slice *tail_out)
{
    t = nd_slice_trim(t);
    if (tail_out) *tail_out = (nd_slice){NULL, 0};
    static const char *const seps[] = {
        " | ",        " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ",
        " \xC2\xBB ", " / ", " \xE2\x80\xA2 ", " \xC2\xB7 "};
    /* "Site - Headline": the site's name first. */
    for (size_t k = 0; site && k < sizeof seps / sizeof *seps; k++) {
        const char *p = memmem(t.ptr, t.len, seps[k], strlen(seps[k]));
        if (p && p > t.ptr && nd_slice_ieq_c((nd_slice){t.ptr, (size_t) (p - t.ptr)}, site)) {
            size_t cut = (size_t) (p - t.ptr) + strlen(seps[k]);
            t = nd_slice_trim((nd_slice){t.ptr + cut, t.len - cut});
            break;
        }
    }
    for (size_t k = 0; k < sizeof seps / sizeof *seps; k++) {
        size_t sl = strlen(seps[k]);
        /* The last separator: what follows it should be short (a name). */
        for (size_t i = t.len; i-- > 0;) {
            if (i + sl > t.len || memcmp(t.ptr + i, seps[k], sl) != 0) continue;
            nd_slice tail = {t.ptr + i + sl, t.len - i - sl};
            int tw = nd__words(tail);
            int hw = nd__words((nd_slice){t.ptr, i});
            if ((site && nd_slice_ifind(tail, site) >= 0) || (tw <= 4 && hw >= 3 && tw < hw)) {
                t.len = i;
                t = nd_slice_trim(t);
                if (tail_out && !tail_out->len) *tail_out = nd_slice_trim(tail);
            }
            break;
        }
    }
    return t;
}

/* An href as an absolute URL when the page's URL is known (libxml2's
 * RFC 3986 resolver); else as written.  Copied into the article. */
static const char *abs_url(nd_extract_ctx *x, const char *href)
{
    if (!href || !*href) return NULL;
    if (!strncmp(href, "javascript:", 11) || href[0] == '#') return NULL;
    if (x->a->url) {
        xmlChar *u = xmlBuildURI((const xmlChar *) href, (const xmlChar *) x->a->url);
        if (u) {
            const char *r = nd_arena_strndup(x->a->arena, (const char *) u, strlen((char *) u));
            xmlFree(u);
            return r;
        }
    }
    return nd_arena_strndup(x->a->arena, href, strlen(href));
}

/* Site name for text pages: a short standalone line that recurs inside
 * other furniture lines ("The Week" ... "Sign up for The Week's ..."). */
static void text_site(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    /* Bounded work on hostile pages: 64 candidates, 20,000 lines each. */
    size_t lim = pg->n_blocks < 20000 ? pg->n_blocks : 20000;
    int candidates = 0;
    for (size_t i = 0; i < pg->n_blocks && candidates < 64; i++) {
        nd_block *b = &pg->blocks[i];
        if (b->label == ND_LBL_BODY || b->label == ND_LBL_TEASER || b->label == ND_LBL_RELATED)
            continue;
        nd_slice s = nd__block_text(pg, b);
        if (s.len < 3 || s.len > 40 || b->words > 4 || !nd__upper_at(s.ptr, s.len)) continue;
        if (nd__ends_sentence(s.ptr, s.len) || nd__has_phrase(s.ptr, s.len, 0)) continue;
        candidates++;
        int hits = 0;
        for (size_t k = 0; k < lim && hits < 1; k++) {
            nd_block *o = &pg->blocks[k];
            if (k == i || o->label == ND_LBL_BODY || o->label == ND_LBL_RELATED || o->len <= b->len)
                continue;
            nd_slice os = nd__block_text(pg, o);
            /* case-sensitive containment as a whole phrase */
            for (size_t p = 0; p + s.len <= os.len; p++)
                if (memcmp(os.ptr + p, s.ptr, s.len) == 0 && (p == 0 || os.ptr[p - 1] == ' ') &&
                    (p + s.len == os.len || strchr(" '.,;:)!?", os.ptr[p + s.len]) ||
                     (unsigned char) os.ptr[p + s.len] == 0xE2)) {
                    hits++;
                    break;
                }
        }
        if (hits) {
            x->a->site = astr(x, s);
            return;
        }
    }
}

/* Split a teaser line whose title, section label and summary were run
 * together ("...from surgeryUnder The Radar A 'few gentle notes' ..."):
 * the title ends at the first lowercase->uppercase junction without a
 * space, after a word of at least three letters. */
static size_t glued_title_end(nd_slice s)
{
    for (size_t i = 3; i + 1 < s.len; i++) {
        unsigned char c = (unsigned char) s.ptr[i], p = (unsigned char) s.ptr[i - 1];
        if (!(c >= 'A' && c <= 'Z')) continue;
        if (!((p >= 'a' && p <= 'z') || p == '.' || p == '?' || p == '!' || p == 0x99 /* ’ */ ||
              p == ')'))
            continue;
        /* the word before must be >= 3 letters (McDonald, iPhone stay) */
        size_t w = i;
        while (w > 0 && s.ptr[w - 1] != ' ') w--;
        if (i - w < 3) continue;
        int lower_run = 1;
        for (size_t k = w + 1; k < i; k++)
            if (s.ptr[k] >= 'A' && s.ptr[k] <= 'Z') lower_run = 0;
        if (!lower_run) continue;
        return i;
    }
    return 0;
}

static nd_related *add_related(nd_extract_ctx *x)
{
    nd_article *a = x->a;
    if (a->n_related >= 100) return NULL;
    nd_related *r = nd__grow(a->arena, a->related, a->n_related, &x->cap_rel, sizeof *r);
    if (!r) return NULL;
    a->related = r;
    r = &a->related[a->n_related++];
    memset(r, 0, sizeof *r);
    return r;
}

static void related_from_text(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    size_t n = pg->n_blocks;
    for (size_t i = 0; i < n; i++) {
        nd_block *b = &pg->blocks[i];
        nd_slice s = nd__block_text(pg, b);
        if (b->label == ND_LBL_TEASER) {
            nd_related *r = add_related(x);
            if (!r) return;
            size_t e = glued_title_end(s);
            if (e) {
                r->title = astr(x, nd_slice_trim((nd_slice){s.ptr, e}));
                r->text = astr(x, nd_slice_trim((nd_slice){s.ptr + e, s.len - e}));
            } else {
                r->title = astr(x, s);
            }
            continue;
        }
        if (b->label != ND_LBL_RELATED) continue;
        /* One run: [site] age [- site] title text... */
        size_t j = i;
        while (j < n && pg->blocks[j].label == ND_LBL_RELATED) {
            /* a run ends where the next item's site/age pair begins */
            if (j > i + 2 && j + 1 < n &&
                nd__is_age_line(pg->text.ptr + pg->blocks[j + 1].off, pg->blocks[j + 1].len))
                break;
            j++;
        }
        nd_related *r = add_related(x);
        if (!r) return;
        size_t k = i;
        nd_slice first = nd__block_text(pg, &pg->blocks[k]);
        if (!nd__is_age_line(first.ptr, first.len) && k + 1 < j &&
            nd__is_age_line(pg->text.ptr + pg->blocks[k + 1].off, pg->blocks[k + 1].len)) {
            r->site = astr(x, first);
            k++;
        }
        if (k < j && nd__is_age_line(pg->text.ptr + pg->blocks[k].off, pg->blocks[k].len)) {
            nd_slice age = nd__block_text(pg, &pg->blocks[k]);
            r->age = astr(x, age);
            int64_t ts;
            if (x->opts->fetched != ND_TIME_NONE &&
                nd_time_parse_age(age.ptr, age.len, x->opts->fetched, &ts) == 0) {
                char buf[32];
                nd_time_format(ts, 0, buf);
                r->published = nd_arena_strndup(x->a->arena, buf, strlen(buf));
            } else {
                int64_t t2;
                int ht;
                if (nd_time_parse(age.ptr, age.len, &t2, &ht) == 0) {
                    char buf[32];
                    nd_time_format(t2, !ht, buf);
                    r->published = nd_arena_strndup(x->a->arena, buf, strlen(buf));
                }
            }
            k++;
        }
        if (k < j) {
            nd_slice s2 = nd__block_text(pg, &pg->blocks[k]);
            size_t d = dash_at(s2.ptr, s2.len);
            if (d && pg->blocks[k].words <= 6) {
                if (!r->site) r->site = astr(x, nd_slice_trim((nd_slice){s2.ptr + d, s2.len - d}));
                k++;
            } else if (r->site && nd_slice_eq_c(s2, r->site)) {
                k++;
            }
        }
        if (k < j) r->title = astr(x, nd__block_text(pg, &pg->blocks[k++]));
        nd_buf t = ND_BUF_INIT;
        for (; k < j; k++) {
            if (t.len) nd_buf_append(&t, "\n\n", 2);
            nd_buf_append(&t, pg->text.ptr + pg->blocks[k].off, pg->blocks[k].len);
        }
        if (t.len) r->text = nd_arena_strndup(x->a->arena, t.ptr, t.len);
        nd_buf_free(&t);
        i = j - 1;
    }
}

static void html_related(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    for (size_t i = 0; i < pg->n_blocks; i++) {
        nd_block *b = &pg->blocks[i];
        if (b->label == ND_LBL_BODY || !(b->flags & ND_BLK_ALLLINK) || b->words < 4 ||
            b->words > 30)
            continue;
        int rel = 0;
        for (uint32_t n = b->node; n; n = pg->nodes[n].parent)
            if (pg->nodes[n].flags & (ND_NODE_RELATED | ND_NODE_TEASER)) {
                rel = 1;
                break;
            }
        if (!rel) continue;
        nd_related *r = add_related(x);
        if (!r) return;
        r->title = astr(x, nd__block_text(pg, b));
        if (b->link) r->url = abs_url(x, pg->nodes[b->link].href);
        if (x->a->n_related >= 30) return;
    }
}

/* ---- the title ------------------------------------------------------------ */

/* Decode the character references a CMS left in a meta value ("&#8211;",
 * "&amp;#038;" decoded once by the parser): numeric ones and the five
 * basic named ones.  Writes into out (cap bytes); returns the slice. */
static nd_slice decode_refs(nd_slice s, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < s.len && k + 4 < cap;) {
        if (s.ptr[i] == '&') {
            size_t j = i + 1;
            unsigned long cp = 0;
            int ok = 0;
            if (j < s.len && s.ptr[j] == '#') {
                j++;
                int hex = j < s.len && (s.ptr[j] == 'x' || s.ptr[j] == 'X');
                if (hex) j++;
                size_t d0 = j;
                while (j < s.len && j - d0 < 7 &&
                       ((s.ptr[j] >= '0' && s.ptr[j] <= '9') ||
                        (hex && (s.ptr[j] | 32) >= 'a' && (s.ptr[j] | 32) <= 'f'))) {
                    unsigned c = (unsigned char) s.ptr[j];
                    cp = cp * (hex ? 16 : 10) + (c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
                    j++;
                }
                ok = j > d0 && j < s.len && s.ptr[j] == ';' && cp > 0 && cp < 0x110000 &&
                     !(cp >= 0xD800 && cp < 0xE000);
            } else {
                static const struct {
                    const char *name;
                    unsigned cp;
                } named[] = {{"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''},
                             {"lt;", '<'},  {"gt;", '>'},   {"nbsp;", 0xA0}};
                for (size_t n = 0; n < sizeof named / sizeof *named && !ok; n++) {
                    size_t nl = strlen(named[n].name);
                    if (s.len - j >= nl && memcmp(s.ptr + j, named[n].name, nl) == 0) {
                        cp = named[n].cp;
                        j += nl - 1;
                        ok = 1;
                    }
                }
            }
            if (ok) {
                if (cp == 0xA0) cp = ' ';
                if (cp < 0x80) {
                    out[k++] = (char) cp;
                } else if (cp < 0x800) {
                    out[k++] = (char) (0xC0 | (cp >> 6));
                    out[k++] = (char) (0x80 | (cp & 0x3F));
                } else if (cp < 0x10000) {
                    out[k++] = (char) (0xE0 | (cp >> 12));
                    out[k++] = (char) (0x80 | ((cp >> 6) & 0x3F));
                    out[k++] = (char) (0x80 | (cp & 0x3F));
                } else {
                    out[k++] = (char) (0xF0 | (cp >> 18));
                    out[k++] = (char) (0x80 | ((cp >> 12) & 0x3F));
                    out[k++] = (char) (0x80 | ((cp >> 6) & 0x3F));
                    out[k++] = (char) (0x80 | (cp & 0x3F));
                }
                i = j + 1;
                continue;
            }
        }
        out[k++] = s.ptr[i++];
    }
    return nd_slice_trim((nd_slice){out, k});
}

/* Lowercased words of s for comparing titles. */
typedef struct wordset {
    uint32_t h[64];
    int n;
} wordset;

static void words_of(nd_slice s, wordset *w)
{
    w->n = 0;
    size_t i = 0;
    while (i < s.len && w->n < 64) {
        while (
            i < s.len &&
            !(((unsigned char) s.ptr[i] | 32) >= 'a' && ((unsigned char) s.ptr[i] | 32) <= 'z') &&
            !((unsigned char) s.ptr[i] >= 0x80) && !(s.ptr[i] >= '0' && s.ptr[i] <= '9'))
            i++;
        uint32_t h = 2166136261u;
        size_t st = i;
        while (
            i < s.len &&
            ((((unsigned char) s.ptr[i] | 32) >= 'a' && ((unsigned char) s.ptr[i] | 32) <= 'z') ||
             (unsigned char) s.ptr[i] >= 0x80 || (s.ptr[i] >= '0' && s.ptr[i] <= '9')))
            h = (h ^ (unsigned char) (s.ptr[i++] | 32)) * 16777619u;
        if (i > st) w->h[w->n++] = h;
    }
}

/* Dice overlap of the words of two titles, 0..1. */
static float title_sim(const wordset *a, const wordset *b)
{
    if (!a->n || !b->n) return 0;
    int common = 0;
    for (int i = 0; i < a->n; i++)
        for (int j = 0; j < b->n; j++)
            if (a->h[i] == b->h[j]) {
                common++;
                break;
            }
    return 2.f * (float) common / (float) (a->n + b->n);
}

/* Is the node in navigation, a footer, an aside, teasers or comments? */
static int title_furniture(const nd_page *pg, uint32_t node)
{
    for (uint32_t n = node; n; n = pg->nodes[n].parent) {
        const nd_node *d = &pg->nodes[n];
        if (d->tag == ND_TAG_BODY || d->tag == ND_TAG_HTML) break;
        if (d->tag == ND_TAG_NAV || d->tag == ND_TAG_FOOTER || d->tag == ND_TAG_ASIDE) return 1;
        if ((d->flags &
             (ND_NODE_RELATED | ND_NODE_TEASER | ND_NODE_COMMENT | ND_NODE_NAV | ND_NODE_FOOTER)) &&
            d->end_block <= d->first_block + 40)
            return 1;
    }
    return 0;
}

/* "Kicker: Headline", "Kicker - Headline": the length of the kicker and
 * of its separator when s has that shape, else 0. */
static size_t kicker_split(nd_slice s, size_t *sep_len)
{
    static const char *const seps[] = {": ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " | "};
    for (size_t k = 0; k < sizeof seps / sizeof *seps; k++) {
        const char *p = memmem(s.ptr, s.len, seps[k], strlen(seps[k]));
        if (!p || p == s.ptr) continue;
        size_t kl = (size_t) (p - s.ptr);
        if (nd__words((nd_slice){s.ptr, kl}) > 5) continue;
        *sep_len = strlen(seps[k]);
        return kl;
    }
    return 0;
}

static int same_words(nd_slice a, nd_slice b)
{
    wordset wa, wb;
    words_of(a, &wa);
    words_of(b, &wb);
    return wa.n && wa.n == wb.n && title_sim(&wa, &wb) > 0.99f;
}

/* The title: the headline on the page (an <h1>, else an <h2>) that the
 * page's declared titles (JSON-LD headline, og:title, twitter:title,
 * <title>, without the site's name) confirm; else the declared title.  A
 * kicker ("Klimaschutz: Bohren, bis es heiß wird" where the declared title
 * is the part after the colon, or the other way round) goes to its own
 * field. */
static void choose_title(nd_extract_ctx *x, const char *ld_headline)
{
    nd_page *pg = x->pg;
    nd_article *a = x->a;
    char buf[4][512];
    nd_slice metas[4];
    int nm = 0;
    const char *srcs[4] = {ld_headline, nd__page_meta(pg, "og:title"),
                           nd__page_meta(pg, "twitter:title"), pg->title};
    nd_slice tail = {NULL, 0};
    for (int i = 0; i < 4; i++) {
        if (!srcs[i]) continue;
        nd_slice d = decode_refs(nd_slice_c(srcs[i]), buf[nm], sizeof buf[nm]);
        nd_slice t = clean_title(d, a->site, i == 3 ? &tail : NULL);
        if (t.len) metas[nm++] = t;
    }
    /* "Headline - Northgate Daily": the tail of <title> names the site. */
    if (!a->site && tail.len && nd__words(tail) <= 4 && nd__upper_at(tail.ptr, tail.len))
        a->site = astr(x, tail);
    wordset mw[4];
    for (int i = 0; i < nm; i++) words_of(metas[i], &mw[i]);
    /* The headings. */
    long best = -1;
    float best_score = 0;
    size_t lim = pg->n_blocks < 5000 ? pg->n_blocks : 5000;
    int seen_h1 = 0;
    for (size_t i = 0; i < lim; i++) {
        const nd_block *b = &pg->blocks[i];
        if (b->tag != ND_TAG_H1 && b->tag != ND_TAG_H2) continue;
        if (b->words == 0 || b->words > 40 || title_furniture(pg, b->node)) continue;
        nd_slice s = nd__block_text(pg, b);
        wordset hw;
        words_of(s, &hw);
        float sim = 0;
        for (int k = 0; k < nm; k++) {
            float v = title_sim(&hw, &mw[k]);
            if (v > sim) sim = v;
        }
        if (a->site && same_words(s, nd_slice_c(a->site))) continue; /* the site's logo */
        float score = sim + (b->tag == ND_TAG_H1 ? 0.3f : 0.f);
        if (b->tag == ND_TAG_H1 && !seen_h1 && !nm)
            score = 1.f; /* nothing to compare: the first h1 */
        if (b->tag == ND_TAG_H1) seen_h1 = 1;
        if ((sim >= 0.5f || !nm) && score > best_score) {
            best_score = score;
            best = (long) i;
        }
    }
    nd_slice title = nm ? metas[0] : (nd_slice){NULL, 0};
    nd_slice kicker = {NULL, 0};
    if (best >= 0) {
        title = nd_slice_trim(nd__block_text(pg, &pg->blocks[best]));
        size_t sl = 0, kl = kicker_split(title, &sl);
        nd_slice rest = kl ? (nd_slice){title.ptr + kl + sl, title.len - kl - sl} : title;
        for (int k = 0; k < nm && kl; k++)
            if (same_words(rest, metas[k])) {
                kicker = (nd_slice){title.ptr, kl};
                title = nd_slice_trim(rest);
                break;
            }
        for (int k = 0; k < nm && !kicker.len; k++) {
            size_t ml = 0, mk = kicker_split(metas[k], &ml);
            if (mk && same_words((nd_slice){metas[k].ptr + mk + ml, metas[k].len - mk - ml}, title))
                kicker = (nd_slice){metas[k].ptr, mk};
        }
        /* A kicker element just above the headline. */
        for (long i = best - 1; i >= 0 && i >= best - 2 && !kicker.len; i--) {
            const nd_block *b = &pg->blocks[i];
            int k = 0;
            for (uint32_t n = b->node; n && !k; n = pg->nodes[n].parent)
                k = (pg->nodes[n].flags & ND_NODE_KICKER) != 0;
            if (k && b->words <= 6) kicker = nd_slice_trim(nd__block_text(pg, b));
        }
    }
    if (title.len) a->title = astr(x, title);
    if (kicker.len) a->kicker = astr(x, kicker);
}

/* JSON-LD with raw control characters in its strings (a description
 * pasted with its line breaks), which JSON forbids and readers of the
 * web accept: parsed again with each of them read as a space. */
static json_t *ld_loads_lenient(const char *s)
{
    size_t n = strlen(s), bad = 0;
    for (size_t i = 0; i < n; i++) bad += (unsigned char) s[i] < 0x20;
    if (!bad) return NULL;
    char *t = nd_malloc(n + 1);
    if (!t) return NULL;
    for (size_t i = 0; i <= n; i++) t[i] = i < n && (unsigned char) s[i] < 0x20 ? ' ' : s[i];
    json_error_t je;
    json_t *root = json_loads(t, JSON_DECODE_ANY, &je);
    nd_free(t);
    return root;
}

static void html_meta(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    nd_article *a = x->a;
    ld_info li = {0};
    json_t *roots[16];
    size_t n_roots = 0;
    for (size_t i = 0; i < pg->n_jsonld && !li.found; i++) {
        json_error_t je;
        json_t *root = json_loads(pg->jsonld[i], JSON_DECODE_ANY, &je);
        if (!root) root = ld_loads_lenient(pg->jsonld[i]);
        if (!root) continue;
        roots[n_roots++] = root;
        ld_walk(root, &li, 0);
    }
    const char *site = nd__page_meta(pg, "og:site_name");
    if (!site) site = li.site;
    if (!site) site = nd__page_meta(pg, "application-name");
    if (!site) site = nd__page_meta(pg, "twitter:site");
    if (site && site[0] == '@') site = NULL;
    if (site) a->site = nd_arena_strndup(a->arena, site, strlen(site));

    choose_title(x, li.headline);

    nd__ld_authors(x, li.authors ? li.authors : li.any_authors, roots, n_roots, 0);
    if (!a->n_authors) {
        /* Every tag of the first key that names someone ("parsely-author"
         * once per author); microdata last: it may be a cited work's.
         * (These keys, as every one read, are in page.c's meta_keys_read.) */
        static const char *const keys[] = {
            "author", "article:author",  "og:article:author", "dc.creator",      "dcterms.creator",
            "byl",    "sailthru.author", "parsely-author",    "citation_author", "itemprop:author"};
        for (size_t i = 0; i < sizeof keys / sizeof *keys && !a->n_authors; i++)
            for (size_t k = 0; k < pg->n_meta; k++) {
                const char *v = pg->meta[k].value;
                if (strcmp(pg->meta[k].key, keys[i]) != 0 || !v[0] || !strncmp(v, "http", 4))
                    continue;
                nd__add_authors(x, v, 1);
                if (a->n_authors >= 12) break;
            }
    }
    if (!a->n_authors) nd__page_authors(x);
    for (size_t i = 0; i < pg->n_blocks && !a->n_authors; i++) {
        char name[80];
        nd_slice s = nd__block_text(pg, &pg->blocks[i]);
        if (pg->blocks[i].label == ND_LBL_BIO && nd__bio_name(s.ptr, s.len, name, sizeof name))
            nd__add_authors(x, name, 0);
    }
    nd__complete_author(x);
    nd__org_author(x);
    nd__assemble_dates(x, li.published, li.modified, li.any_published, li.any_modified);
    /* The detected language wins over what the markup declares. */
    const char *lang = x->lang ? x->lang : pg->lang;
    if (!lang) lang = li.lang;
    if (!lang) lang = nd__page_meta(pg, "og:locale");
    if (!lang) lang = nd__page_meta(pg, "content-language");
    if (lang && ((lang[0] | 32) >= 'a' && (lang[0] | 32) <= 'z') &&
        ((lang[1] | 32) >= 'a' && (lang[1] | 32) <= 'z') &&
        (lang[2] == 0 || lang[2] == '-' || lang[2] == '_')) {
        char l[3] = {(char) (lang[0] | 32), (char) (lang[1] | 32), 0};
        a->language = nd_arena_strndup(a->arena, l, 2);
    }
    for (size_t i = 0; i < n_roots; i++) json_decref(roots[i]);
    html_related(x);
}

/* A date of a text page (no zone) as the article's ISO 8601 string. */
static const char *text_date(nd_extract_ctx *x, int64_t ts, int has_time)
{
    char buf[32];
    nd_time_format(ts, !has_time, buf);
    return nd_arena_strndup(x->a->arena, buf, strlen(buf));
}

static void text_meta(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    text_site(x);
    /* Bylines above the body, bios anywhere. */
    for (size_t i = 0; i < pg->n_blocks; i++) {
        nd_block *b = &pg->blocks[i];
        if (b->label == ND_LBL_BODY || b->label == ND_LBL_TEASER || b->label == ND_LBL_RELATED)
            continue;
        nd_slice s = nd__block_text(pg, b);
        if (b->words <= 12 && nd_slice_istarts_c(s, "by ")) nd__byline(x, s.ptr, s.len, 0);
    }
    if (!x->a->n_authors)
        for (size_t i = 0; i < pg->n_blocks; i++) {
            nd_block *b = &pg->blocks[i];
            if (b->label == ND_LBL_BODY || b->label == ND_LBL_RELATED) continue;
            nd_slice s = nd__block_text(pg, b);
            char name[80];
            if (nd__is_bio(s.ptr, s.len) && nd__bio_name(s.ptr, s.len, name, sizeof name)) {
                nd__add_authors(x, name, 0);
                b->label = ND_LBL_BIO;
            }
        }
    /* A dateline above the body ("Published: June 13, 2013 4:59 PM EDT"):
     * one labelled as the publication, else the one nearest the article's
     * start, since the article's dateline sits by its headline and byline
     * while the page's top holds the masthead's and the teasers' dates
     * ("Weather November 20, 2019"); "Updated: ..." is when it last
     * changed, and the date of a page that shows only that. */
    size_t lim = x->region_start + 3 < pg->n_blocks ? x->region_start + 3 : pg->n_blocks;
    struct {
        int64_t ts;
        int ht, found;
    } pub = {0, 0, 0}, upd = {0, 0, 0};
    int labelled = 0; /* pub is labelled as the publication: the search ends */
    for (size_t i = lim; i-- > 0 && !labelled;) {
        nd_block *b = &pg->blocks[i];
        if (b->label == ND_LBL_BODY || b->words > 14) continue;
        nd_slice s = nd__block_text(pg, b);
        int64_t ts;
        int ht;
        size_t ds, de;
        if (nd_time_find(s.ptr, s.len, &ts, &ht, &ds, &de) != 0) continue;
        int kind = nd__date_label((nd_slice){s.ptr, ds});
        if (kind == 2) {
            if (!upd.found) upd.ts = ts, upd.ht = ht, upd.found = 1;
        } else if (kind == 1 || !pub.found) {
            pub.ts = ts, pub.ht = ht, pub.found = 1;
            labelled = kind == 1;
        }
    }
    if (!pub.found) pub = upd;
    if (upd.found && !x->a->modified) x->a->modified = text_date(x, upd.ts, upd.ht);
    if (pub.found && !x->a->published) {
        x->a->published = text_date(x, pub.ts, pub.ht);
        x->a->published_ts = pub.ts;
    }
    if (!x->a->published) nd__assemble_dates(x, NULL, NULL, NULL, NULL);
    related_from_text(x);
}

int nd__assemble_meta(nd_extract_ctx *x)
{
    nd_article *a = x->a;
    if (x->pg->is_html)
        html_meta(x);
    else
        text_meta(x);
    /* Wire credit from the body: the first paragraph's dateline or the last
     * paragraphs' sign-off; a sign-off is cut from the text. */
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        int first = i == 0, last = i + 2 >= a->n_paragraphs;
        if (!first && !last) continue;
        const char *p = a->paragraphs[i];
        size_t cs, ce;
        const char *ag = nd__credit_in(p, strlen(p), first, &cs, &ce);
        if (!ag) continue;
        if (!a->credit) a->credit = ag;
        if (cs < ce) {
            char *np = nd_arena_strndup(a->arena, p, cs);
            if (np) a->paragraphs[i] = np;
        }
    }
    /* Drop paragraphs the sign-off cut emptied. */
    size_t k = 0;
    for (size_t i = 0; i < a->n_paragraphs; i++)
        if (a->paragraphs[i][0]) a->paragraphs[k++] = a->paragraphs[i];
    a->n_paragraphs = k;
    if (!a->language && x->lang) a->language = x->lang;
    if (!a->published && x->opts->fetched != ND_TIME_NONE) {
        /* A relative age next to the title ("3 hours ago"). */
        nd_page *pg = x->pg;
        for (size_t i = 0; i < pg->n_blocks && i < x->region_start + 2; i++) {
            nd_slice s = nd__block_text(pg, &pg->blocks[i]);
            int64_t ts;
            if (pg->blocks[i].label != ND_LBL_RELATED && s.len < 40 &&
                nd_time_parse_age(s.ptr, s.len, x->opts->fetched, &ts) == 0) {
                char buf[32];
                nd_time_format(ts, 0, buf);
                a->published = nd_arena_strndup(a->arena, buf, strlen(buf));
                a->published_ts = ts;
                break;
            }
        }
    }
    nd__gap_date(x);
    return 0;
}
