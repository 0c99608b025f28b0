/* features.c - what a block's text says about itself: words, stop-word
 * density, sentence punctuation, link density, boilerplate phrases.  Used
 * by both the HTML and the text classifiers. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "extract/features.h"
#include "newsdesk/extract.h"
#include "newsdesk/lang.h"
#include "newsdesk/token.h"

/* Phrases that mark a block as page furniture when the block is short
 * (lowercase; matched as substrings of the lowercased block). */
static const char *const boiler_phrases[] = {
    "read more",
    "read next",
    "read also",
    "see also",
    "more from",
    "more on this",
    "most read",
    "most popular",
    "sign up",
    "signing up",
    "stay up-to-date",
    "stay up to date",
    "explore further",
    "read further",
    "signup",
    "subscribe",
    "newsletter",
    "log in",
    "login",
    "sign in",
    "create an account",
    "register for",
    "cookie",
    "privacy policy",
    "terms of use",
    "terms of service",
    "terms and conditions",
    "all rights reserved",
    "copyright",
    "©",
    "follow us",
    "share this",
    "share on",
    "share via",
    "tweet this",
    "email this",
    "print this",
    "click here",
    "tap here",
    "advertisement",
    "sponsored",
    "skip to",
    "back to top",
    "download the app",
    "get the app",
    "related articles",
    "related stories",
    "related coverage",
    "recommended for you",
    "you may also like",
    "you might also like",
    "trending now",
    "comments",
    "leave a comment",
    "post a comment",
    "no comments",
    "join the conversation",
    "hashtags",
    "try our ai",
    "what ai can do",
    "please enable javascript",
    "watch:",
    "open in app",
    "load more",
    "show more",
    "view all",
    "see all",
    "previous article",
    "next article",
    "next story",
    "previous story",
    "reprints",
    "report an error",
    "contact us",
    "about us",
    "our journalism",
    "support our",
    "donate",
    "become a member",
    "paywall",
    "already a subscriber",
    "free trial",
    "daily email",
    "free daily",
    "in your inbox",
    "to your inbox",
    "delivered directly",
    "image source",
    "image caption",
    "photo credit",
    "getty images",
    "afp via getty",
    "file photo",
    "(photo",
    "photo:",
    "image:",
    "credit:",
    "story continues below",
    "continue reading",
    "article continues",
    "topics:",
    "tags:",
    "filed under",
    "posted in",
    "updated:",
    "published:",
    "last updated",
    "min read",
    "minute read",
    "reading time",
    "listen to this article",
    "audio version",
    "editor's note",
    "editors' note",
    "correction:",
    "this article was",
    "originally appeared",
    "originally published",
    "first appeared",
    "this story was",
    "explore what",
};

/* The same kind of phrases in the other languages newsdesk reads
 * (German, French, Spanish, Italian, Portuguese, Dutch, Polish), matched
 * as whole words: "anzeige" must not fire inside "Strafanzeige". */
static const char *const boiler_phrases_intl[] = {
    /* German */
    "weiterlesen",
    "mehr zum thema",
    "mehr lesen",
    "auch interessant",
    "könnte sie auch interessieren",
    "könnte dich auch interessieren",
    "ähnliche artikel",
    "ähnliche beiträge",
    "verwandte artikel",
    "weitere artikel",
    "weitere beiträge",
    "weitere informationen",
    "artikel teilen",
    "beitrag teilen",
    "seite teilen",
    "jetzt teilen",
    "newsletter abonnieren",
    "jetzt abonnieren",
    "kommentar schreiben",
    "kommentare",
    "kommentieren",
    "einen kommentar",
    "datenschutzerklärung",
    "datenschutz",
    "impressum",
    "nutzungsbedingungen",
    "zum seitenanfang",
    "nach oben",
    "zurück zur übersicht",
    "zur startseite",
    "zur übersicht",
    "bildquelle",
    "foto:",
    "fotos:",
    "bild:",
    "quelle:",
    "lesezeit",
    "druckversion",
    "wie bewerten sie",
    "war dieser artikel hilfreich",
    "war der artikel nützlich",
    "folgen sie uns",
    "folge uns",
    "zum artikel",
    "alle artikel",
    "meistgelesen",
    "schlagworte",
    "schlagwörter",
    "stichworte",
    "zuletzt aktualisiert",
    "jetzt anmelden",
    "einloggen",
    "weiterführende informationen",
    "weiterführende links",
    "pdf herunterladen",
    "quellenangaben",
    "eingeloggt",
    "noch keine bewertungen",
    "keine kommentare",
    "jetzt registrieren",
    "jetzt lesen",
    "hier klicken",
    "mehr erfahren",
    /* French */
    "lire aussi",
    "lire la suite",
    "voir aussi",
    "en savoir plus",
    "abonnez-vous",
    "inscrivez-vous",
    "laisser un commentaire",
    "mentions légales",
    "articles similaires",
    "sur le même sujet",
    "à découvrir",
    "suivez-nous",
    "se connecter",
    "commentaires",
    /* Spanish */
    "leer más",
    "lee también",
    "lea también",
    "te puede interesar",
    "noticias relacionadas",
    "artículos relacionados",
    "contenido relacionado",
    "suscríbete",
    "deja un comentario",
    "síguenos",
    "siguenos",
    "iniciar sesión",
    "comentarios",
    /* Italian */
    "leggi anche",
    "leggi di più",
    "iscriviti",
    "articoli correlati",
    "potrebbe interessarti",
    /* Portuguese */
    "leia também",
    "leia mais",
    "veja também",
    "notícias relacionadas",
    "siga-nos",
    "comentários",
    /* Dutch */
    "lees ook",
    "lees meer",
    "deel dit",
    "reacties",
    /* Polish */
    "czytaj także",
    "czytaj też",
    "czytaj więcej",
    "zobacz także",
    "zobacz też",
    "komentarze",
};

/* Labels and buttons in those languages (very short blocks only). */
static const char *const tiny_phrases_intl[] = {
    "liken",        "gefällt mir", "melden",    "anzeige",    "werbung",   "teilen",
    "drucken",      "empfehlen",   "merken",    "startseite", "suche",     "schließen",
    "partager",     "publicité",   "compartir", "publicidad", "condividi", "pubblicità",
    "compartilhar", "publicidade", "delen",     "udostępnij", "reklama",
};

/* Furniture at any length in those languages. */
static const char *const strong_phrases_intl[] = {
    "alle rechte vorbehalten", "wir verwenden cookies",        "verwendet cookies",
    "tous droits réservés",    "politique de confidentialité", "todos los derechos reservados",
    "política de privacidad",  "tutti i diritti riservati",    "todos os direitos reservados",
    "política de privacidade", "alle rechten voorbehouden",    "wszelkie prawa zastrzeżone",
    "polityka prywatności",
};

/* Words that mark furniture only in a very short block (a button, a
 * label): in a sentence they are just words. */
static const char *const tiny_phrases[] = {
    "facebook",  "twitter", "linkedin",   "pinterest", "instagram",     "reddit",   "whatsapp",
    "permalink", "loading", "this video", "listen to", "notifications", "comments", "share",
    "print",     "email",   "photos",     "gallery",   "video",         "audio",    "podcast",
    "menu",      "search",  "close",      "open",      "next",          "previous", "more",
    "home",      "top",     "back",
};

/* Phrases that mark furniture whatever the length of the block. */
static const char *const strong_phrases[] = {
    "all rights reserved",  "please enable javascript",
    "cookies to",           "use of cookies",
    "we use cookies",       "this site uses cookies",
    "by continuing to use", "terms of use",
    "privacy policy",       "sign up for",
    "subscribe to our",     "subscribe now",
    "to your inbox",        "delivered directly to your inbox",
    "free daily email",     "support independent journalism",
    "has worked as a",      "is a staff writer",
    "is a reporter",        "is a senior",
    "is a correspondent",   "is an editor",
    "is a contributing",    "is a freelance",
    "previously worked as",
};

static int lowercase_copy(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = n < cap - 1 ? n : cap - 1;
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        out[i] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
        /* Latin-1 capitals (Ä Ö Ü É ...): U+00C0..U+00DE but not × */
        if (i > 0 && (unsigned char) s[i - 1] == 0xC3 && (unsigned char) c >= 0x80 &&
            (unsigned char) c <= 0x9E && (unsigned char) c != 0x97)
            out[i] = (char) (c + 0x20);
    }
    out[k] = 0;
    return (int) k;
}

int nd__is_dateline(nd_slice s)
{
    if (s.len > 100 || s.len < 6) return 0;
    int64_t ts;
    int ht;
    size_t a, e;
    if (nd_time_find(s.ptr, s.len, &ts, &ht, &a, &e) != 0) return 0;
    return (e - a) * 2 >= s.len;
}

int nd__lang_has_stoplist(const char *lang)
{
    static const char *const with[] = {"en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no",
                                       "fi", "pl", "cs", "ro", "hu", "tr", "id", "ru", "uk"};
    if (!lang) return 1; /* unknown: English rules */
    for (size_t i = 0; i < sizeof with / sizeof *with; i++)
        if (!strcmp(lang, with[i])) return 1;
    return 0;
}

/* All phrases in one index keyed by their first two bytes, so that a
 * block is scanned once instead of once per phrase. */
enum { TIER_SHORT = 1, TIER_TINY = 2, TIER_STRONG = 3 };
typedef struct phrase_ix {
    uint16_t head[65536]; /* 1-based index of the first phrase with this key */
    uint16_t next[512];
    uint16_t head_strong[65536]; /* the same chains of the strong phrases alone */
    uint16_t next_strong[512];
    uint8_t tier[512];
    uint8_t len[512];
    uint8_t whole[512]; /* matched as whole words only */
    const char *text[512];
} phrase_ix;

static phrase_ix g_phr;
static pthread_once_t g_phr_once = PTHREAD_ONCE_INIT;

static void phrase_add(const char *p, int tier, int whole)
{
    static size_t n = 0;
    if (n >= 511 || strlen(p) < 2) return;
    n++;
    unsigned key = ((unsigned) (unsigned char) p[0] << 8) | (unsigned char) p[1];
    g_phr.text[n] = p;
    g_phr.len[n] = (uint8_t) strlen(p);
    g_phr.tier[n] = (uint8_t) tier;
    g_phr.whole[n] = (uint8_t) whole;
    g_phr.next[n] = g_phr.head[key];
    g_phr.head[key] = (uint16_t) n;
    if (tier == TIER_STRONG) {
        g_phr.next_strong[n] = g_phr.head_strong[key];
        g_phr.head_strong[key] = (uint16_t) n;
    }
}

static void phrase_init(void)
{
#define ND__PHRASES(list, tier, whole)                                                             \
    {                                                                                              \
        list, sizeof list / sizeof *list, tier, whole                                              \
    }
    static const struct {
        const char *const *list;
        size_t n;
        int tier, whole;
    } sets[] = {ND__PHRASES(boiler_phrases, TIER_SHORT, 0),
                ND__PHRASES(tiny_phrases, TIER_TINY, 0),
                ND__PHRASES(strong_phrases, TIER_STRONG, 0),
                ND__PHRASES(boiler_phrases_intl, TIER_SHORT, 1),
                ND__PHRASES(tiny_phrases_intl, TIER_TINY, 1),
                ND__PHRASES(strong_phrases_intl, TIER_STRONG, 1)};
#undef ND__PHRASES
    for (size_t k = 0; k < sizeof sets / sizeof *sets; k++)
        for (size_t i = 0; i < sets[k].n; i++)
            phrase_add(sets[k].list[i], sets[k].tier, sets[k].whole);
}

/* A byte that continues a word: a letter, a digit or a UTF-8 byte. */
static int word_byte(char c)
{
    unsigned char u = (unsigned char) c;
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u >= 0x80;
}

int nd__has_phrase(const char *s, size_t n, int strong_only)
{
    pthread_once(&g_phr_once, phrase_init);
    char low[512];
    int k = lowercase_copy(s, n, low, sizeof low);
    int words = 0, in = 0;
    for (size_t i = 0; i < n && words <= 4; i++) {
        int sp = s[i] == ' ';
        if (!sp && !in) words++;
        in = !sp;
    }
    int best = 0;
    /* Only a strong phrase counts then: its chains alone (most prose). */
    const uint16_t *head = strong_only ? g_phr.head_strong : g_phr.head;
    const uint16_t *next = strong_only ? g_phr.next_strong : g_phr.next;
    for (int i = 0; i + 1 < k; i++) {
        unsigned key = ((unsigned) (unsigned char) low[i] << 8) | (unsigned char) low[i + 1];
        for (unsigned j = head[key]; j; j = next[j]) {
            /* the third byte first: most candidates differ there */
            if (i + g_phr.len[j] > k || (g_phr.len[j] > 2 && low[i + 2] != g_phr.text[j][2]) ||
                memcmp(low + i, g_phr.text[j], g_phr.len[j]) != 0)
                continue;
            if (g_phr.whole[j] && (word_byte(i > 0 ? low[i - 1] : ' ') ||
                                   (word_byte(g_phr.text[j][g_phr.len[j] - 1]) &&
                                    word_byte(i + g_phr.len[j] < k ? low[i + g_phr.len[j]] : ' '))))
                continue;
            int t = g_phr.tier[j];
            if (t == TIER_STRONG) return 2;
            if (strong_only) continue;
            if (t == TIER_SHORT || (t == TIER_TINY && words <= 4)) best = 1;
        }
    }
    return best;
}

/* Does the text end like a sentence (., !, ?, …, maybe followed by a
 * closing quote or bracket)? */
int nd__ends_sentence(const char *s, size_t n)
{
    while (n > 0) {
        unsigned char c = (unsigned char) s[n - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ' ') {
            n--;
            continue;
        }
        /* ” ’ » and the CJK full stop family */
        if (n >= 3 && (unsigned char) s[n - 3] == 0xE2 && (unsigned char) s[n - 2] == 0x80 &&
            (c == 0x9D || c == 0x99)) {
            n -= 3;
            continue;
        }
        if (n >= 2 && (unsigned char) s[n - 2] == 0xC2 && c == 0xBB) {
            n -= 2;
            continue;
        }
        break;
    }
    if (!n) return 0;
    unsigned char c = (unsigned char) s[n - 1];
    if (c == '.' || c == '!' || c == '?' || c == ':') return 1;
    if (n >= 3 && (unsigned char) s[n - 3] == 0xE2 && (unsigned char) s[n - 2] == 0x80 && c == 0xA6)
        return 1; /* … */
    if (n >= 3 && (unsigned char) s[n - 3] == 0xE3 && (unsigned char) s[n - 2] == 0x80 && c == 0x82)
        return 1; /* 。 */
    if (n >= 3 && (unsigned char) s[n - 3] == 0xEF && (unsigned char) s[n - 2] == 0xBC &&
        (c == 0x81 || c == 0x9F))
        return 1; /* ！？ */
    return 0;
}

void nd__text_features(const char *s, size_t n, const char *lang, nd_text_features *f)
{
    memset(f, 0, sizeof *f);
    nd_token tok[256];
    size_t pos = 0;
    int has_stops = nd__lang_has_stoplist(lang);
    while (pos < n) {
        size_t used = 0;
        size_t k = nd_tokenize(s + pos, n - pos, tok, 256, &used);
        if (!k) break;
        for (size_t i = 0; i < k; i++) {
            nd_token *t = &tok[i];
            if (t->type == ND_TOK_WORD || t->type == ND_TOK_NUM) {
                f->words++;
                if (t->flags & ND_TOKF_CAP) f->caps++;
                if (t->type == ND_TOK_NUM) f->nums++;
                const unsigned char *w = (const unsigned char *) s + pos + t->off;
                /* CJK and other scripts without spaces: count characters. */
                if (w[0] >= 0xE3 && w[0] <= 0xED && t->len > 3) f->words += t->len / 6;
                if (t->len <= 24 && t->type == ND_TOK_WORD) {
                    char low[100];
                    size_t ln = nd_token_lower(s + pos, t, 1, low, sizeof low);
                    if (nd_stopword(lang, low, ln)) f->stops++;
                }
            } else if (t->type == ND_TOK_PUNCT) {
                unsigned char c = (unsigned char) s[pos + t->off];
                if (c == ',') f->commas++;
                if (t->flags & ND_TOKF_SENT_END) f->sent_ends++;
                if (c == '|' || (c == 0xC2 && t->len == 2)) f->pipes++;
            }
        }
        if (used == 0) break;
        pos += used;
        if (f->words > 4000) break; /* enough to judge */
    }
    f->has_stoplist = has_stops;
    f->ends_sentence = nd__ends_sentence(s, n);
}

float nd__prose_quality(const nd_text_features *f, size_t len, size_t link_len)
{
    float ld = len ? (float) link_len / (float) len : 0.f;
    if (f->words == 0) return -1.f;
    if (ld > 0.6f) return -1.f;
    float sd = f->words ? (float) f->stops / (float) f->words : 0.f;
    float q;
    if (f->has_stoplist) {
        /* jusText's thresholds, made continuous: prose has at least a
         * quarter stop words and runs to sentences. */
        if (f->words >= 20 && sd >= 0.25f)
            q = 1.f;
        else if (f->words >= 8 && sd >= 0.20f && f->ends_sentence)
            q = 0.7f;
        else if (f->words >= 12 && sd >= 0.15f)
            q = 0.3f;
        else if (f->words < 5)
            q = -0.3f;
        else
            /* Medium text that is not prose (lists, recipes, tables,
             * datelines) is neutral: the container decides. */
            q = sd >= 0.2f ? 0.1f : -0.1f;
    } else {
        if (len >= 120 && (f->sent_ends || f->commas))
            q = 1.f;
        else if (len >= 60 && f->ends_sentence)
            q = 0.5f;
        else
            q = -0.3f;
    }
    if (ld > 0.3f) q -= 2.f * (ld - 0.3f) + 0.3f;
    if (f->pipes >= 2) q -= 0.5f;
    if (q < -1.f) q = -1.f;
    return q;
}
