/* authors.c - who wrote the article.
 *
 * Sources, first that gives a name wins:
 *   1. JSON-LD: the article's author/creator (Person objects, arrays,
 *      strings; {"@id"} references resolved through the @graph);
 *      an Organization is no person (a wire agency becomes the credit);
 *   2. <meta>: author, article:author, dc.creator, parsely/sailthru ...;
 *   3. elements the markup calls the author's (rel=author, itemprop=author,
 *      class author/byline) inside the article, not in comments, teasers,
 *      navigation or sidebars;
 *   4. visible bylines by the headline: "By", "Von", "Par", "Por", "Di",
 *      "Door", "Av" and their longer forms ("Veröffentlicht von");
 *   5. an author bio ("Jane Doe is a reporter ...").
 * Names are split at commas and at and/und/et/y/e/&, cleaned of labels,
 * roles, dates, handles and counts, and rejected when they are interface
 * text ("Text Size", "Copy Link", "About the author"), an organisation,
 * the site's name or a photo credit.  A page that names no person gets the
 * desk, organisation or agency its author field or labelled byline
 * declares ("Von Redaktion", "HLNF Staff Report", "JIJI").
 */
#include <stdio.h>
#include <string.h>

#include "extract/features.h"
#include "extract/meta.h"
#include "newsdesk/lang.h"

/* How much a source vouches for a name: a structured field or an element
 * that holds only the name may give a single word ("Paddy", "r23"); free
 * text must give a person's name (two to four capitalised words), or a
 * single word after an explicit label ("Posted by Konstantin", "Gespeichert
 * von rasos"); a JSON-LD Person's name is a name whatever its shape
 * ("Catch more fish"). */
enum { FROM_TEXT = 1, FROM_FIELD = 2, FROM_LABEL = 3, FROM_PERSON = 4 };

static int has_author(const nd_article *a, const char *s, size_t n)
{
    for (size_t i = 0; i < a->n_authors; i++)
        if (strlen(a->authors[i]) == n && strncasecmp(a->authors[i], s, n) == 0) return 1;
    return 0;
}

static int ieq_any(nd_slice s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (nd_slice_ieq_c(s, list[i])) return 1;
    return 0;
}

/* Does s contain w as a whole word (case-insensitive, ASCII bounds)? */
static int has_word(nd_slice s, const char *w)
{
    size_t wl = strlen(w);
    for (ptrdiff_t at = 0; (size_t) at + wl <= s.len;) {
        ptrdiff_t k = nd_slice_ifind((nd_slice){s.ptr + at, s.len - (size_t) at}, w);
        if (k < 0) return 0;
        size_t p = (size_t) at + (size_t) k, e = p + wl;
        unsigned char before = p ? (unsigned char) s.ptr[p - 1] : ' ';
        unsigned char after = e < s.len ? (unsigned char) s.ptr[e] : ' ';
        int lb = (before | 32) >= 'a' && (before | 32) <= 'z';
        int la = (after | 32) >= 'a' && (after | 32) <= 'z';
        if (!lb && !la && before < 0x80 && after < 0x80) return 1;
        at = (ptrdiff_t) p + 1;
    }
    return 0;
}

/* Interface text that sits where a name would. */
static int interface_text(nd_slice s)
{
    static const char *const exact[] = {"name",
                                        "author",
                                        "auteur",
                                        "autore",
                                        "stand",
                                        "authors",
                                        "autor",
                                        "autorin",
                                        "autoren",
                                        "text size",
                                        "copy link",
                                        "about the author",
                                        "about author",
                                        "über den autor",
                                        "über die autorin",
                                        "zum autor",
                                        "share",
                                        "teilen",
                                        "comments",
                                        "kommentare",
                                        "no author",
                                        "unknown",
                                        "anonymous",
                                        "anonym",
                                        "guest",
                                        "gast",
                                        "posted",
                                        "veröffentlicht",
                                        "more",
                                        "mehr",
                                        "follow",
                                        "folgen",
                                        "email",
                                        "e-mail",
                                        "contact",
                                        "kontakt",
                                        "print",
                                        "drucken",
                                        "read more",
                                        "weiterlesen",
                                        "home",
                                        "startseite",
                                        "menu",
                                        "login",
                                        "search",
                                        "suche",
                                        "view profile",
                                        "profil",
                                        "website",
                                        "homepage",
                                        "reply",
                                        "antworten",
                                        "like",
                                        "written by",
                                        "posted by",
                                        "by",
                                        "von",
                                        "redaktion",
                                        "editorial",
                                        "the editors",
                                        "staff",
                                        "admin"};
    if (ieq_any(s, exact, sizeof exact / sizeof *exact)) return 1;
    static const char *const words[] = {"comment",    "comments", "kommentar", "kommentare",
                                        "share",      "follow",   "ähnliche",  "related",
                                        "einleitung", "designed", "hallo",     "hello",
                                        "posts",      "beiträge", "articles",  "artikel"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (has_word(s, words[i])) return 1;
    return 0;
}

/* Holds a domain name: "example.com", "LAOLA1.at", "wien.ORF.at/Agenturen". */
static int domain_name(nd_slice s)
{
    static const char *const tlds[] = {".com", ".de", ".at", ".ch",    ".org",  ".net", ".fr",
                                       ".es",  ".it", ".pl", ".co.uk", ".info", ".eu",  ".news"};
    for (size_t i = 0; i < sizeof tlds / sizeof *tlds; i++) {
        ptrdiff_t k = nd_slice_ifind(s, tlds[i]);
        if (k <= 0) continue;
        size_t e = (size_t) k + strlen(tlds[i]);
        if (e == s.len || !((s.ptr[e] | 32) >= 'a' && (s.ptr[e] | 32) <= 'z')) return 1;
    }
    return 0;
}

/* An organisation, not a person: a company form, an editorial unit, a
 * medium, or a domain name. */
static int organisation(nd_slice s)
{
    static const char *const words[] = {"gmbh",
                                        "ag",
                                        "se",
                                        "kg",
                                        "inc",
                                        "ltd",
                                        "llc",
                                        "plc",
                                        "corp",
                                        "verlag",
                                        "redaktion",
                                        "editorial",
                                        "team",
                                        "staff",
                                        "newsroom",
                                        "desk",
                                        "online",
                                        "news",
                                        "media",
                                        "foundation",
                                        "stiftung",
                                        "verband",
                                        "agency",
                                        "agentur",
                                        "presse",
                                        "press",
                                        "group",
                                        "gruppe",
                                        "magazin",
                                        "magazine",
                                        "zeitung",
                                        "radio",
                                        "tv",
                                        "fernsehen",
                                        "blog",
                                        "editor",
                                        "editors",
                                        "correspondent",
                                        "bureau",
                                        "reporters",
                                        "network",
                                        "partei",
                                        "agencies",
                                        "institut",
                                        "institute",
                                        "ministerium",
                                        "ministry",
                                        "amt",
                                        "universität",
                                        "university",
                                        "hochschule",
                                        "verein",
                                        "landesanstalt",
                                        "bundesanstalt",
                                        "e.v"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (has_word(s, words[i])) return 1;
    return domain_name(s);
}

/* Does s start with the word w (case-insensitive; not "Fotograf" for
 * "foto")? */
static int starts_word(nd_slice s, const char *w)
{
    size_t n = strlen(w);
    if (!nd_slice_istarts_c(s, w)) return 0;
    return s.len == n || !(((s.ptr[n] | 32) >= 'a' && (s.ptr[n] | 32) <= 'z'));
}

/* A photo or image credit. */
static int photo_credit(nd_slice s)
{
    static const char *const pre[] = {
        "foto",   "fotos",  "photo",      "photos",     "bild",        "bilder",      "image",
        "images", "credit", "bildquelle", "quelle",     "source",      "©",           "(c)",
        "getty",  "imago",  "dpa-bild",   "photograph", "photography", "illustration"};
    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++)
        if (starts_word(s, pre[i])) return 1;
    return 0;
}

/* Labels before names: "By", "Von:", "Veröffentlicht von", "Post author".
 * *explicit (may be NULL) is set when a label of more than one word or
 * with a colon was stripped ("Posted by", "Autor:"): what follows is
 * said to be the author. */
static nd_slice strip_labels_x(nd_slice s, int *explicit_)
{
    static const char *const pre[] = {"post author",
                                      "article by",
                                      "written by",
                                      "words by",
                                      "story by",
                                      "reporting by",
                                      "posted by",
                                      "published by",
                                      "text by",
                                      "text und fotos von",
                                      "text und bild von",
                                      "text und fotos:",
                                      "ein beitrag von",
                                      "ein artikel von",
                                      "beitrag von",
                                      "artikel von",
                                      "submitted by",
                                      "verfasst von:",
                                      "veröffentlicht von",
                                      "geschrieben von",
                                      "gespeichert von",
                                      "erstellt von",
                                      "verfasst von",
                                      "eingestellt von",
                                      "publié par",
                                      "écrit par",
                                      "publicado por",
                                      "escrito por",
                                      "pubblicato da",
                                      "scritto da",
                                      "geschreven door",
                                      "skrevet av",
                                      "autor:",
                                      "auteur:",
                                      "autore:",
                                      "autorin:",
                                      "autoren:",
                                      "author:",
                                      "authors:",
                                      "text:",
                                      "texto:",
                                      "von:",
                                      "by:",
                                      "par:",
                                      "por:",
                                      "autor",
                                      "autorin",
                                      "auteur",
                                      "autore",
                                      "author",
                                      "text",
                                      "by",
                                      "von",
                                      "par",
                                      "por",
                                      "di",
                                      "door",
                                      "av",
                                      "de"};
    if (explicit_) *explicit_ = 0;
    for (int round = 0; round < 3; round++) {
        s = nd_slice_trim(s);
        int hit = 0;
        for (size_t i = 0; i < sizeof pre / sizeof *pre && !hit; i++) {
            size_t pl = strlen(pre[i]);
            if (s.len <= pl || !nd_slice_istarts_c(s, pre[i])) continue;
            unsigned char c = (unsigned char) s.ptr[pl];
            if (pre[i][pl - 1] != ':' && c != ' ' && c != ':') continue;
            if (explicit_ && (strchr(pre[i], ' ') || strchr(pre[i], ':') || c == ':'))
                *explicit_ = 1;
            s.ptr += pl, s.len -= pl;
            while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == ':')) s.ptr++, s.len--;
            hit = 1;
        }
        if (!hit) break;
    }
    return nd_slice_trim(s);
}

static nd_slice strip_labels(nd_slice s)
{
    return strip_labels_x(s, NULL);
}

/* What follows the names: a date, a separator, a handle, a count. */
static nd_slice cut_tail(nd_slice s)
{
    int64_t ts;
    int ht;
    size_t a, e;
    if (nd_time_find(s.ptr, s.len, &ts, &ht, &a, &e) == 0) s.len = a;
    static const char *const seps[] = {
        "|", "\xc2\xb7", "\xe2\x80\xa2", " \xe2\x80\x94 ", " \xe2\x80\x93 ", " - ", "(",
        "@", "\n",       "\t",           "\xc2\xbb"};
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
        const char *k = memmem(s.ptr, s.len, seps[i], strlen(seps[i]));
        if (k) s.len = (size_t) (k - s.ptr);
    }
    /* A date's label ends the names ("Sara Zinnecker Stand: 5. Februar"). */
    /* ... or what the post is filed under, or for whom it was written
     * ("Posted by X under News", "Glen Owen for The Mail on Sunday"). */
    static const char *const labels[] = {" Stand", " Veröffentlicht", " Published", " Updated",
                                         " Aktualisiert", " Zuletzt", " Posted", " vor ", " Publié",
                                         " Publicado", " under ", " unter ", " in ", " im ",
                                         " for ", " For ",
                                         /* ... or a credit for the pictures ("Text von X
                                          * Illustration von Y", "By X Photos by Y") */
                                         " Illustration", " Illustrationen", " Fotos ", " Foto ",
                                         " Photos ", " Photo ", " Bilder ", " Bild "};
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        const char *k = memmem(s.ptr, s.len, labels[i], strlen(labels[i]));
        if (k) s.len = (size_t) (k - s.ptr);
    }
    /* A number ends the names ("Houzz Deutschland 0", "7 Kommentare");
     * digits inside a user name stay ("r23", "Marianne1"). */
    for (size_t i = 1; i < s.len; i++)
        if (s.ptr[i] >= '0' && s.ptr[i] <= '9' && s.ptr[i - 1] == ' ') {
            s.len = i;
            break;
        }
    s = nd_slice_trim(s);
    /* Words left hanging before a date: "am", "on", "le", "el", "il". */
    static const char *const tails[] = {" am", " on", " le", " el",  " il",  " em",
                                        " op", " at", " um", " den", " vom", " de"};
    for (int again = 1; again;) {
        again = 0;
        while (s.len && strchr(",;:-/", s.ptr[s.len - 1])) s.len--, again = 1;
        s = nd_slice_trim(s);
        for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
            size_t tl = strlen(tails[i]);
            if (s.len > tl && strncasecmp(s.ptr + s.len - tl, tails[i], tl) == 0) {
                s.len -= tl;
                again = 1;
            }
        }
    }
    return nd_slice_trim(s);
}

/* Letters of s, lowercased, into out (cap bytes); returns the length. */
static size_t letters(nd_slice s, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < s.len && k + 1 < cap; i++) {
        unsigned char c = (unsigned char) s.ptr[i];
        if ((c | 32) >= 'a' && (c | 32) <= 'z')
            out[k++] = (char) (c | 32);
        else if (c >= 0x80)
            out[k++] = (char) c;
    }
    out[k] = 0;
    return k;
}

/* The site's name (og:site_name), letters compared: a publisher, not an
 * author. */
static int same_as_site(const nd_extract_ctx *x, nd_slice s)
{
    char a[64], b[128];
    size_t la = letters(s, a, sizeof a);
    const char *site = x->a->site;
    return la >= 2 && site && letters(nd_slice_c(site), b, sizeof b) && !strcmp(a, b);
}

/* A desk, an organisation, an agency or the site itself named where the
 * author is declared (a field, JSON-LD, a labelled byline: "Von
 * Redaktion", "Autor: przepisy.pl"): kept as the author of a page that
 * names no person (nd__org_author). */
static void org_candidate(nd_extract_ctx *x, nd_slice s, int from)
{
    if (from == FROM_TEXT || x->org_author) return;
    s = cut_tail(strip_labels(nd_slice_trim(s)));
    while (s.len && (s.ptr[s.len - 1] == '.' || s.ptr[s.len - 1] == ',')) s.len--;
    s = nd_slice_trim(s);
    if (s.len < 2 || s.len > 60 || nd__words(s) > 6 || photo_credit(s)) return;
    if (interface_text(s) && !organisation(s)) return;
    if (memchr(s.ptr, '@', s.len) || memchr(s.ptr, '/', s.len) || nd_slice_ifind(s, "http") >= 0)
        return;
    /* a bare address ("STERN.de", "katholisch.at") is the site's */
    if (nd__words(s) == 1 && domain_name(s)) return;
    x->org_author = nd_arena_strndup(x->a->arena, s.ptr, s.len);
}

void nd__org_author(nd_extract_ctx *x)
{
    if (x->a->n_authors || !x->org_author) return;
    const char *s = x->org_author;
    nd__article_add_str(x->a, &x->a->authors, &x->a->n_authors, &x->cap_auth, s, strlen(s));
}

/* Add one name; returns 1 when added.  Agencies become the credit. */
static int add_one(nd_extract_ctx *x, nd_slice s, int from)
{
    nd_article *a = x->a;
    /* A domain name ("LAOLA1.at") is a site, whatever is cut from it. */
    if (domain_name(nd_slice_trim(s))) {
        org_candidate(x, s, from);
        return 0;
    }
    s = cut_tail(strip_labels(s));
    /* Marks before the name: "~ Cem Basman", "- Jane Doe". */
    while (s.len && (unsigned char) s.ptr[0] < 0x80 &&
           !((s.ptr[0] | 32) >= 'a' && (s.ptr[0] | 32) <= 'z') &&
           !(s.ptr[0] >= '0' && s.ptr[0] <= '9'))
        s.ptr++, s.len--;
    s = nd_slice_trim(s);
    while (s.len && (s.ptr[0] == '"' || s.ptr[0] == '\'')) s.ptr++, s.len--;
    while (s.len &&
           (s.ptr[s.len - 1] == '"' || s.ptr[s.len - 1] == '\'' || s.ptr[s.len - 1] == '.'))
        s.len--;
    s = nd_slice_trim(s);
    if (s.len < 2 || s.len > 60) return 0;
    const char *ag = nd__agency_exact(s);
    if (ag) {
        if (!a->credit) a->credit = ag;
        org_candidate(x, s, from);
        return 0;
    }
    if (memchr(s.ptr, '/', s.len) || memchr(s.ptr, '@', s.len) || nd_slice_ifind(s, "http") >= 0 ||
        memchr(s.ptr, '!', s.len) || memchr(s.ptr, '?', s.len) || memchr(s.ptr, '=', s.len))
        return 0;
    int w = nd__words(s);
    if (w < 1 || w > 5) return 0;
    if (photo_credit(s)) return 0;
    /* a desk ("Redaktion") is also interface text: kept as a candidate */
    if (organisation(s) || same_as_site(x, s)) {
        org_candidate(x, s, from);
        return 0;
    }
    if (interface_text(s)) return 0;
    if (w == 1 && s.len <= 3) {
        /* "ls", "dsw", "red": an editor's or desk's initials, not a name */
        int code = 1;
        for (size_t i = 0; i < s.len; i++)
            if (!(s.ptr[i] >= 'a' && s.ptr[i] <= 'z')) code = 0;
        if (code) {
            if (from >= FROM_FIELD) org_candidate(x, s, from); /* declared: the desk signs */
            return 0;
        }
    }
    /* "The Local", "The Editors": a title, not a person */
    if (w > 1 && starts_word(s, "the")) return 0;
    if (w == 1) {
        /* One word: not a function word, a month or a weekday. */
        char low[64];
        size_t k = s.len < sizeof low ? s.len : sizeof low - 1;
        for (size_t i = 0; i < k; i++)
            low[i] = (char) (s.ptr[i] | (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z' ? 32 : 0));
        /* Latin-1 capitals too ("Über") */
        for (size_t i = 1; i < k; i++)
            if ((unsigned char) low[i - 1] == 0xC3 && (unsigned char) low[i] >= 0x80 &&
                (unsigned char) low[i] <= 0x9E && (unsigned char) low[i] != 0x97)
                low[i] = (char) (low[i] + 0x20);
        if (nd_stopword(x->lang, low, k) || nd_stopword("en", low, k) ||
            nd_stopword("de", low, k) || nd_time_name(s.ptr, s.len))
            return 0;
    }
    /* "first.last" is a user name standing for "First Last". */
    char tmp[64];
    const char *dot = memchr(s.ptr, '.', s.len);
    if (w == 1 && dot && dot > s.ptr && (size_t) (dot - s.ptr) + 2 < s.len && s.len < sizeof tmp) {
        /* "edilson.la.rosa": each dot a space */
        int lower = s.ptr[s.len - 1] != '.';
        for (size_t i = 0; i < s.len; i++)
            if (!((s.ptr[i] >= 'a' && s.ptr[i] <= 'z') ||
                  (s.ptr[i] == '.' && i > 0 && s.ptr[i - 1] != '.')))
                lower = 0;
        if (lower) {
            w = 1;
            for (size_t i = 0; i < s.len; i++) {
                char c = s.ptr[i] == '.' ? ' ' : s.ptr[i];
                if (i == 0 || s.ptr[i - 1] == '.') c = (char) (c - 32);
                w += c == ' ';
                tmp[i] = c;
            }
            s = (nd_slice){tmp, s.len};
        }
    }
    if (from == FROM_TEXT || (from == FROM_LABEL && w > 1)) {
        /* Free text: a person's name, two to four capitalised words. */
        if (w < 2 || nd__name_prefix(s.ptr, s.len) != s.len) return 0;
    } else if (from != FROM_PERSON) {
        unsigned char c0 = (unsigned char) s.ptr[0];
        if (!(nd__upper_at(s.ptr, s.len) || (c0 >= 'a' && c0 <= 'z') || (c0 >= '0' && c0 <= '9') ||
              c0 >= 0xC3))
            return 0;
        /* Several words must read as a name: capitalised (or all lower
         * case, as user names are). */
        if (w > 1 && !nd__name_prefix(s.ptr, s.len)) {
            int lower = 1;
            for (size_t i = 0; i < s.len; i++)
                if (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z') lower = 0;
            if (!lower || w > 2) return 0;
        }
    }
    if (a->n_authors >= 12 || has_author(a, s.ptr, s.len)) return 0;
    /* "Houzz Deutschlandvor": a name glued to the next element's text. */
    for (size_t i = 0; i < a->n_authors; i++) {
        size_t l = strlen(a->authors[i]);
        if (l < s.len && strncasecmp(a->authors[i], s.ptr, l) == 0 && s.ptr[l] >= 'a' &&
            s.ptr[l] <= 'z')
            return 0;
    }
    /* ALL CAPS names become Title Case. */
    int caps = w > 1 || s.len > 4;
    for (size_t i = 0; i < s.len && caps; i++)
        if (s.ptr[i] >= 'a' && s.ptr[i] <= 'z') caps = 0;
    if (caps && s.len < sizeof tmp) {
        char t2[64];
        for (size_t i = 0; i < s.len; i++) {
            char c = s.ptr[i];
            t2[i] =
                (char) (i > 0 && s.ptr[i - 1] != ' ' && s.ptr[i - 1] != '-' && c >= 'A' && c <= 'Z'
                            ? c + 32
                            : c);
        }
        nd__article_add_str(a, &a->authors, &a->n_authors, &x->cap_auth, t2, s.len);
        return 1;
    }
    nd__article_add_str(a, &a->authors, &a->n_authors, &x->cap_auth, s.ptr, s.len);
    return 1;
}

/* Split "A, B and C" / "A und B" / "A & B" into names; returns how many
 * were added. */
static int add_list(nd_extract_ctx *x, nd_slice s, int from)
{
    static const char *const joins[] = {" and ", " und ", " et ",  " y ", " e ",  " & ",
                                        " en ",  " og ",  " och ", " i ", " And "};
    s = strip_labels(s);
    /* "Photograph by Ed Marshall, Restoration Programme": a credit line */
    if (photo_credit(s)) return 0;
    /* One organisation, not a list of people: "Bayerische Landesanstalt
     * für Wald und Forstwirtschaft - LWF", "L-MAG – Das Magazin für
     * Lesben", the site's own name, "Jobs & Hire". */
    if (from != FROM_TEXT && !memchr(s.ptr, ',', s.len) && !memchr(s.ptr, ';', s.len)) {
        if (organisation(s) || same_as_site(x, s) || same_as_site(x, cut_tail(s))) {
            org_candidate(x, s, from);
            return 0;
        }
        const char *amp = memmem(s.ptr, s.len, " & ", 3);
        if (amp && nd__words((nd_slice){s.ptr, (size_t) (amp - s.ptr)}) == 1 &&
            nd__words((nd_slice){amp + 3, (size_t) (s.ptr + s.len - amp - 3)}) == 1)
            return 0;
    }
    int added = 0;
    size_t i = 0, start = 0;
    while (i <= s.len) {
        size_t sep = 0;
        if (i == s.len) {
            sep = 1;
        } else if (s.ptr[i] == ' ') {
            for (size_t k = 0; k < sizeof joins / sizeof *joins && !sep; k++) {
                size_t jl = strlen(joins[k]);
                if (s.len - i >= jl && strncasecmp(s.ptr + i, joins[k], jl) == 0 &&
                    (joins[k][1] == '&' || strncmp(s.ptr + i, joins[k], jl) == 0))
                    sep = jl;
            }
        } else if (s.ptr[i] == '/' && !memchr(s.ptr, ':', s.len) && !domain_name(s)) {
            /* "E. Barreneche / J. I. da Silva", "AFP/The Local" */
            sep = 1;
        } else if (s.ptr[i] == ',' || s.ptr[i] == ';') {
            /* "Smith, Reuters", "Jane Doe, Berlin": split only when a name
             * follows. */
            size_t k = i + 1;
            while (k < s.len && s.ptr[k] == ' ') k++;
            nd_slice rest = {s.ptr + k, s.len - k};
            const char *ag = nd__agency_exact(cut_tail(rest));
            if (ag) {
                if (!x->a->credit) x->a->credit = ag;
                added += add_one(x, (nd_slice){s.ptr + start, i - start}, from);
                return added;
            }
            if (s.ptr[i] == ';' || nd__name_prefix(rest.ptr, rest.len)) {
                sep = 1;
            } else if (s.ptr[i] == ',' && i > start && nd__upper_at(rest.ptr, rest.len)) {
                /* "Markus M. Haefliger, London, Beat Bumbacher": one or two
                 * capitalised words after a name's comma are its place. */
                const char *c2 = memchr(rest.ptr, ',', rest.len);
                nd_slice place = {rest.ptr, c2 ? (size_t) (c2 - rest.ptr) : rest.len};
                int pw = nd__words(nd_slice_trim(place));
                nd_slice before = nd_slice_trim((nd_slice){s.ptr + start, i - start});
                if (pw <= 2 && nd__name_prefix(before.ptr, before.len) == before.len) {
                    added += add_one(x, before, from);
                    i = (size_t) (place.ptr - s.ptr) + place.len;
                    if (i < s.len) i++; /* the comma after the place */
                    start = i;
                    continue;
                }
            }
        }
        if (sep) {
            added += add_one(x, (nd_slice){s.ptr + start, i - start}, from);
            i += sep;
            start = i;
            continue;
        }
        i++;
    }
    return added;
}

/* "Blog Beitrag von X", "Ein Interview von X": a label word after one or
 * two words (not a photo's "Foto von X").  Returns what follows it, or s. */
static nd_slice inner_label(nd_slice s)
{
    static const char *const labels[] = {" von ", " by ", " par ", " por ", " door "};
    if (photo_credit(s)) return s;
    for (size_t k = 0; k < sizeof labels / sizeof *labels; k++) {
        nd_slice head = {s.ptr, s.len < 40 ? s.len : 40};
        ptrdiff_t at = nd_slice_ifind(head, labels[k]);
        if (at <= 0) continue;
        nd_slice before = {s.ptr, (size_t) at};
        int ok = nd__words(before) <= 2 && nd__upper_at(s.ptr, s.len);
        for (size_t i = 0; i < before.len && ok; i++)
            if (strchr("0123456789.,:;|()", before.ptr[i])) ok = 0;
        if (!ok) continue;
        size_t skip = (size_t) at + strlen(labels[k]);
        return nd_slice_trim((nd_slice){s.ptr + skip, s.len - skip});
    }
    return s;
}

int nd__byline(nd_extract_ctx *x, const char *s, size_t n, int loose)
{
    nd_slice t = nd_slice_trim((nd_slice){s, n});
    if (t.len >= 160) return 0;
    int expl = 0;
    nd_slice rest = strip_labels_x(t, &expl);
    if (rest.len == t.len) {
        rest = inner_label(t);
        expl = rest.len < t.len;
    }
    /* a line that is a label and one user name ("von Marianne1"): a byline
     * element of its own */
    if (!expl && rest.len < t.len && rest.len >= 3 && t.len <= rest.len + 5 && nd__words(rest) == 1)
        expl = 1;
    if (rest.len < t.len) {
        size_t before = x->a->n_authors;
        const char *before_credit = x->a->credit;
        add_list(x, rest, expl ? FROM_LABEL : FROM_TEXT);
        /* "von Redaktion, 24. Januar 2022": a labelled desk */
        nd_slice r = cut_tail(rest);
        if (x->a->n_authors == before && organisation(r)) org_candidate(x, r, FROM_LABEL);
        return x->a->n_authors > before || x->a->credit != before_credit;
    }
    if (loose && nd__words(t) <= 4 && nd__name_prefix(t.ptr, t.len) == t.len)
        return add_one(x, t, FROM_TEXT);
    return 0;
}

int nd__add_authors(nd_extract_ctx *x, const char *s, int structured)
{
    if (!s) return 0;
    return add_list(x, nd_slice_c(s), structured ? FROM_FIELD : FROM_TEXT);
}

/* ---- JSON-LD -------------------------------------------------------------- */

/* The object with this @id anywhere in the roots (Yoast's @graph). */
static json_t *ld_find_id(json_t *v, const char *id, int depth)
{
    if (!v || depth > 6) return NULL;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            json_t *r = ld_find_id(e, id, depth + 1);
            if (r) return r;
        }
        return NULL;
    }
    if (!json_is_object(v)) return NULL;
    const char *vid = json_string_value(json_object_get(v, "@id"));
    if (vid && !strcmp(vid, id) && json_object_get(v, "name")) return v;
    return ld_find_id(json_object_get(v, "@graph"), id, depth + 1);
}

void nd__ld_authors(nd_extract_ctx *x, json_t *au, json_t *const *roots, size_t n_roots, int depth)
{
    if (!au || depth > 3) return;
    if (json_is_string(au)) {
        nd_slice s = nd_slice_c(json_string_value(au));
        if (nd_slice_istarts_c(s, "http")) return; /* a profile URL */
        add_list(x, s, FROM_FIELD);
        return;
    }
    if (json_is_array(au)) {
        size_t i;
        json_t *e;
        json_array_foreach(au, i, e) nd__ld_authors(x, e, roots, n_roots, depth + 1);
        return;
    }
    if (!json_is_object(au)) return;
    const char *name = json_string_value(json_object_get(au, "name"));
    const char *id = json_string_value(json_object_get(au, "@id"));
    if (!name && id) {
        for (size_t i = 0; i < n_roots && !name; i++) {
            json_t *o = ld_find_id(roots[i], id, 0);
            if (o) {
                au = o;
                name = json_string_value(json_object_get(o, "name"));
            }
        }
    }
    if (!name) return;
    json_t *type = json_object_get(au, "@type");
    const char *t = json_string_value(json_is_array(type) ? json_array_get(type, 0) : type);
    if (t && strcmp(t, "Person") != 0) {
        const char *ag = nd__agency_exact(nd_slice_c(name));
        if (ag && !x->a->credit) x->a->credit = ag;
        if (!strcmp(t, "Organization") || !strcmp(t, "NewsMediaOrganization"))
            org_candidate(x, nd_slice_c(name), FROM_FIELD);
        return;
    }
    add_list(x, nd_slice_c(name), t ? FROM_PERSON : FROM_FIELD);
}

/* ---- the page's own bylines ------------------------------------------------ */

uint32_t nd__article_node(const nd_extract_ctx *x)
{
    const nd_page *pg = x->pg;
    /* An <article> a few levels above the container holds its header and
     * its meta box (an <aside> with the byline and date). */
    uint32_t art = x->container;
    for (int depth = 0; art && depth < 6; art = pg->nodes[art].parent, depth++) {
        const nd_node *d = &pg->nodes[art];
        if (d->tag == ND_TAG_BODY || d->tag == ND_TAG_HTML) break;
        if (d->tag == ND_TAG_ARTICLE && !(d->flags & ND_NODE_COMMENT)) return art;
    }
    art = x->container;
    while (art && !(pg->nodes[art].tag == ND_TAG_ARTICLE || pg->nodes[art].tag == ND_TAG_MAIN ||
                    (pg->nodes[art].flags & ND_NODE_BODYPROP) || pg->nodes[art].weight >= 4))
        art = pg->nodes[art].parent;
    return art ? art : x->container;
}

/* Is node n the container c or one of its ancestors? */
static int holds_container(const nd_page *pg, uint32_t n, uint32_t c)
{
    for (; c; c = pg->nodes[c].parent)
        if (c == n) return 1;
    return 0;
}

/* Is the node in comments (outside a thread), teasers, related items,
 * navigation, ads, or outside the article element in a footer or aside? */
static int out_of_article(const nd_extract_ctx *x, uint32_t node, uint32_t art)
{
    const nd_page *pg = x->pg;
    int inside_art = 0;
    for (uint32_t n = node; n; n = pg->nodes[n].parent)
        if (n == art) inside_art = 1;
    for (uint32_t n = node; n; n = pg->nodes[n].parent) {
        const nd_node *d = &pg->nodes[n];
        if (d->tag == ND_TAG_BODY || d->tag == ND_TAG_HTML) break;
        if (d->tag == ND_TAG_NAV) return 1;
        if ((d->tag == ND_TAG_ASIDE || d->tag == ND_TAG_FOOTER) && !inside_art) return 1;
        /* ("teaser" also names the lead and its byline) */
        uint32_t bad = ND_NODE_RELATED | ND_NODE_NAV | ND_NODE_AD | ND_NODE_NEWSLETTER |
                       ND_NODE_SHARE | (x->thread ? 0 : ND_NODE_COMMENT);
        /* a class on an element that holds the article's own text (a
         * "video" page's wrapper) says nothing against its byline */
        if ((d->flags & bad) && d->end_block <= d->first_block + 40 &&
            !holds_container(pg, n, x->container))
            return 1;
    }
    return 0;
}

/* Is the node inside a teaser card below the article element art? */
static int in_teaser(const nd_page *pg, uint32_t node, uint32_t art)
{
    for (uint32_t n = node; n && n != art; n = pg->nodes[n].parent)
        if (pg->nodes[n].flags & ND_NODE_TEASER) return 1;
    return 0;
}

/* The meta line under a headline: a date and a name, or a date and an
 * agency ("11.12.2019 - Amelie Loevenich", "JIJI Feb 18, 2020"). */
static void dated_name(nd_extract_ctx *x, nd_slice s)
{
    int64_t ts;
    int ht;
    size_t a, e;
    s = nd_slice_trim(s);
    if (s.len > 100 || nd_time_find(s.ptr, s.len, &ts, &ht, &a, &e) != 0) return;
    nd_slice l = nd_slice_trim((nd_slice){s.ptr, a}),
             r = nd_slice_trim((nd_slice){s.ptr + e, s.len - e});
    for (int side = 0; side < 2; side++) {
        nd_slice *p = side ? &r : &l;
        for (int again = 1; again && p->len;) {
            again = 0;
            static const char *const seps[] = {
                "|", "-", "\xe2\x80\x93", "\xe2\x80\x94", "\xc2\xb7", "\xe2\x80\xa2", ",", "/"};
            for (size_t k = 0; k < sizeof seps / sizeof *seps; k++) {
                size_t sl = strlen(seps[k]);
                if (p->len >= sl && !memcmp(side ? p->ptr : p->ptr + p->len - sl, seps[k], sl)) {
                    if (side) p->ptr += sl;
                    p->len -= sl;
                    *p = nd_slice_trim(*p);
                    again = 1;
                }
            }
        }
    }
    /* "Redaktion am 3. Februar 2022", "Jane Doe on May 5, 2020" */
    static const char *const preps[] = {" am", " on", " le", " el", " il", " vom", " op"};
    for (size_t k = 0; k < sizeof preps / sizeof *preps && l.len; k++) {
        size_t pl = strlen(preps[k]);
        if (l.len > pl && !strncasecmp(l.ptr + l.len - pl, preps[k], pl)) l.len -= pl;
    }
    /* "Veröffentlicht am 8. Februar 2022 von X", "Published on May 5 by X" */
    static const char *const said[] = {"veröffentlicht", "published",  "posted",     "publié",
                                       "publicado",      "erschienen", "geschrieben"};
    if (l.len && r.len && ieq_any(nd_slice_trim(l), said, sizeof said / sizeof *said)) {
        nd_slice rr = strip_labels(r);
        if (rr.len < r.len) l.len = 0, r = rr;
    }
    if (l.len && r.len) return;
    nd_slice name = l.len ? l : r;
    if (!name.len) return;
    const char *ag = nd__agency_exact(name);
    if (ag) {
        if (!x->a->credit) x->a->credit = ag;
        org_candidate(x, name, FROM_LABEL);
        return;
    }
    if (nd__words(name) <= 4 && nd__name_prefix(name.ptr, name.len) == name.len)
        add_one(x, name, FROM_TEXT);
    else if (nd__words(name) <= 4 && organisation(name) && nd__upper_at(name.ptr, name.len))
        org_candidate(x, name, FROM_LABEL); /* a desk: "Redaktion - 31. Januar 2022" */
}

/* A meta line of segments, one of them the byline: "Kicker | By Jane
 * Doe | April 13, 2020". */
static void segment_byline(nd_extract_ctx *x, nd_slice s)
{
    const char *end = s.ptr + s.len;
    for (const char *p = s.ptr; p < end;) {
        const char *bar = memmem(p, (size_t) (end - p), " | ", 3);
        const char *e = bar ? bar : end;
        if (p > s.ptr && nd__byline(x, p, (size_t) (e - p), 0)) return;
        if (!bar) return;
        p = bar + 3;
    }
}

static void marks(const nd_page *pg, size_t *title, size_t *body, size_t *body_end)
{
    *title = *body = *body_end = SIZE_MAX;
    for (size_t i = 0; i < pg->n_blocks; i++) {
        const nd_block *b = &pg->blocks[i];
        if (*title == SIZE_MAX && b->tag == ND_TAG_H1) *title = i;
        if (b->label == ND_LBL_BODY) {
            if (*body == SIZE_MAX) *body = i;
            *body_end = i;
        }
    }
}

/* A capital and then small letters only: "Todd", "Bates" (not "IWB",
 * "KleineGrüneMonster", "medellín"). */
static int given_name_like(nd_slice s)
{
    if (s.len < 2 || !(s.ptr[0] >= 'A' && s.ptr[0] <= 'Z')) return 0;
    for (size_t i = 1; i < s.len; i++) {
        unsigned char c = (unsigned char) s.ptr[i];
        if (c >= 0x80) continue; /* "Müller" */
        if (!(c >= 'a' && c <= 'z') && c != '-' && c != '\'') return 0;
    }
    return 1;
}

/* The page's spelling of a two-word name with a middle initial: "Christian
 * Stadtfeld" (from a user name) is "Christian P. Stadtfeld" in s. */
static int middle_initial(nd_extract_ctx *x, size_t k, nd_slice s)
{
    const char *au = x->a->authors[k], *sp = strchr(au, ' ');
    if (!sp || strchr(sp + 1, ' ')) return 0;
    size_t fl = (size_t) (sp - au) + 1, ll = strlen(sp + 1);
    const char *end = s.ptr + s.len;
    for (const char *p = s.ptr; (p = memmem(p, (size_t) (end - p), au, fl)); p += fl) {
        const char *q = p + fl; /* "P. Stadtfeld" */
        if (p > s.ptr && ((p[-1] | 32) >= 'a' && (p[-1] | 32) <= 'z')) continue;
        if (q + 3 + ll > end || !(q[0] >= 'A' && q[0] <= 'Z') || q[1] != '.' || q[2] != ' ' ||
            memcmp(q + 3, sp + 1, ll) != 0)
            continue;
        const char *e = q + 3 + ll;
        if (e < end && (((*e | 32) >= 'a' && (*e | 32) <= 'z') || (unsigned char) *e >= 0x80))
            continue;
        x->a->authors[k] = nd_arena_strndup(x->a->arena, p, (size_t) (e - p));
        return 1;
    }
    return 0;
}

void nd__complete_author(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    nd_article *a = x->a;
    if (!a->n_authors) return;
    size_t title, body, body_end;
    marks(pg, &title, &body, &body_end);
    size_t top = title != SIZE_MAX && (body == SIZE_MAX || title <= body + 3) ? title : body;
    if (top == SIZE_MAX) return;
    size_t from = top >= 3 ? top - 3 : 0, to = (body_end != SIZE_MAX ? body_end : top) + 8;
    const char *au = a->authors[0];
    size_t al = strlen(au);
    int one = a->n_authors == 1 && !strchr(au, ' ') && al >= 3 && given_name_like(nd_slice_c(au));
    for (size_t i = from; i < pg->n_blocks && i <= to; i++) {
        const nd_block *b = &pg->blocks[i];
        if (b->words > 60 || b->label == ND_LBL_RELATED) continue;
        nd_slice s = nd__block_text(pg, b);
        for (size_t k = 0; k < a->n_authors && b->words <= 30; k++)
            if (middle_initial(x, k, s)) return;
        if (!one) continue;
        for (const char *p = s.ptr; (p = memmem(p, (size_t) (s.ptr + s.len - p), au, al));
             p += al) {
            if (p > s.ptr && ((p[-1] | 32) >= 'a' && (p[-1] | 32) <= 'z')) continue;
            /* a short line, or a bio that opens with the name */
            if (b->words > 20 && p != s.ptr) continue;
            const char *q = p + al, *end = s.ptr + s.len;
            if (q + 3 > end || *q != ' ' || !nd__upper_at(q + 1, (size_t) (end - q - 1))) continue;
            const char *e = q + 1;
            while (e < end && *e != ' ' && *e != ',' && *e != '|') e++;
            nd_slice next = {q + 1, (size_t) (e - q - 1)};
            if (next.len < 2 || memchr(next.ptr, '.', next.len) || nd_time_name(next.ptr, next.len))
                continue;
            nd_slice full = {p, (size_t) (e - p)};
            if (!given_name_like(next) || interface_text(next) || organisation(full) ||
                nd_stopword(x->lang, next.ptr, next.len) || nd_stopword("en", next.ptr, next.len) ||
                nd_stopword("de", next.ptr, next.len))
                continue;
            a->authors[0] = nd_arena_strndup(a->arena, full.ptr, full.len);
            return;
        }
    }
}

void nd__page_authors(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    nd_article *a = x->a;
    size_t title, body, body_end;
    marks(pg, &title, &body, &body_end);
    size_t top = title != SIZE_MAX && (body == SIZE_MAX || title <= body + 3) ? title : body;
    uint32_t art = nd__article_node(x);
    /* Elements that hold the author's name: the first that gives one, and
     * those that stand by it (a second author's link). */
    size_t first = SIZE_MAX;
    for (size_t i = 0; i < pg->n_names; i++) {
        const nd_name_span *sp = &pg->names[i];
        if (first != SIZE_MAX && sp->block > first + 2) break;
        if (out_of_article(x, sp->node, art)) continue;
        int near = top != SIZE_MAX && sp->block + 5 >= top &&
                   (body_end == SIZE_MAX || sp->block <= body_end + 8);
        uint32_t n = sp->node;
        while (n && n != art) n = pg->nodes[n].parent;
        if (!near && !(n && art)) continue;
        /* far from the headline or after the body, a card of another
         * article inside the article element (a sidebar's teasers) bylines
         * that one */
        if ((!near || (body_end != SIZE_MAX && sp->block > body_end)) &&
            in_teaser(pg, sp->node, art))
            continue;
        char buf[256];
        size_t k = 0;
        for (uint32_t p = sp->off; p < sp->end && k < sizeof buf - 1; p++) {
            char c = pg->text.ptr[p];
            buf[k++] = c == 0 ? '|' : c; /* blocks inside it stay apart */
        }
        nd_slice s = nd_slice_trim((nd_slice){buf, k});
        while (s.len && s.ptr[s.len - 1] == '|') s.len--;
#ifdef ND_DATE_DEBUG
        fprintf(stderr, "NAME blk %u near %d art %d: %.*s\n", sp->block, near, n && art,
                (int) s.len, s.ptr);
#endif
        if (!s.len || s.len > 120) continue;
        if (add_list(x, s, FROM_FIELD) && first == SIZE_MAX) first = sp->block;
    }
    /* Bylines by the headline: "By Jane Doe and John Roe", "Von X". */
    size_t from = top != SIZE_MAX && top >= 3 ? top - 3 : 0;
    size_t to = top == SIZE_MAX ? 0 : (body != SIZE_MAX ? body : top) + 6;
    /* A user name ("Gespeichert von human") gives way to a person's full
     * name in a later byline of the same header ("Blog Beitrag von
     * Margarita Koreneva"). */
    size_t handles = 0;
    for (size_t i = from;
         top != SIZE_MAX && i < pg->n_blocks && i <= to && (!a->n_authors || handles); i++) {
        const nd_block *b = &pg->blocks[i];
        if (b->words > 14 || out_of_article(x, b->node, art)) continue;
        nd_slice s = nd__block_text(pg, b);
        size_t before = a->n_authors;
        const char *ag = i <= top + 3 ? nd__agency_exact(s) : NULL;
        if (ag && !a->credit) a->credit = ag;    /* "JIJI" under the headline */
        if (ag) org_candidate(x, s, FROM_LABEL); /* ... its byline */
        if (!ag && !nd__byline(x, s.ptr, s.len, 0) && i <= top + 3) {
            dated_name(x, s);
            if (a->n_authors == before) segment_byline(x, s);
        }
        if (a->n_authors == before) continue;
        if (!before) {
            int all_one = 1;
            for (size_t k = 0; k < a->n_authors; k++)
                if (strchr(a->authors[k], ' ')) all_one = 0;
            handles = all_one ? a->n_authors : 0;
            continue;
        }
        int full = 0;
        for (size_t k = before; k < a->n_authors; k++)
            if (strchr(a->authors[k], ' ')) full = 1;
        if (!full) {
            a->n_authors = before; /* another handle: the first stands */
            continue;
        }
        /* a full name after the handles: the handles go */
        memmove(a->authors, a->authors + handles, (a->n_authors - handles) * sizeof *a->authors);
        a->n_authors -= handles;
        handles = 0;
    }
    /* A signed article: "Von Cosima Künzel", "Gespeichert von rasos am
     * 24. Juli 2017" closing the text, "Quelle: kathpress" after it. */
    if (body_end == SIZE_MAX) return;
    for (size_t i = body_end; i < pg->n_blocks && i <= body_end + 2; i++) {
        const nd_block *b = &pg->blocks[i];
        if (b->words > 10 || out_of_article(x, b->node, art)) continue;
        nd_slice s = nd__block_text(pg, b);
        size_t cs, ce;
        const char *ag = nd__credit_in(s.ptr, s.len, 0, &cs, &ce);
        if (ag && !a->credit) a->credit = ag;
        if (!a->n_authors && strip_labels(s).len < s.len) nd__byline(x, s.ptr, s.len, 0);
    }
}
