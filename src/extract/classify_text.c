/* classify_text.c - which lines of a flattened page are the article.
 *
 * A scraper's text dump has no markup left, so everything rests on the
 * lines themselves and their order:
 * 1. each line gets a prose quality q (as for HTML blocks) and a class:
 *    good, near-good, short, bad;
 * 2. structures that are not the article are found first and labelled:
 *    teaser lists (entries after bullet lines), embedded related articles
 *    (site / age / title / text runs), author bios, and section headers
 *    that end an article ("Related Articles", "Comments");
 * 3. the article is the contiguous run of lines with the largest sum of
 *    prose minus furniture (a maximum-subarray), which cannot cross a
 *    section header;
 * 4. inside it, near-good lines live or die by their neighbours (jusText's
 *    context rule, made stricter), short lines stay between paragraphs;
 * 5. when that leaves no body, the page's best run of sentence-like lines
 *    stands in for it (the fallback, with a warning as on HTML pages);
 * 6. the dateline block the body opens with leaves it, and the title is
 *    the headline-like line above the body, best one right above its
 *    byline or dateline.
 */
#include <math.h>
#include <string.h>

#include "extract/extract_int.h"
#include "extract/features.h"
#include "extract/meta.h"
#include "newsdesk/lang.h"

enum { C_BAD, C_SHORT, C_NEAR, C_GOOD };

typedef struct tline {
    int cls;
    int boundary; /* a section header that ends an article */
    int bullet;   /* a lone bullet character */
    int age;      /* the whole line is an age/date ("2 hours ago") */
    int dup;      /* the same text occurs earlier */
    int sentence; /* ends like a sentence */
    float v;      /* value for the region search */
} tline;

static int ieq_line(nd_slice s, const char *w)
{
    return nd_slice_ieq_c(s, w);
}

enum { B_NONE, B_SECTION, B_COMMENTS };

/* Section headers after which the page moves on to other content:
 * B_COMMENTS for a comments section, B_SECTION for the others. */
static int is_boundary(nd_slice s)
{
    static const char *const heads[] = {"related articles",
                                        "related stories",
                                        "related content",
                                        "related coverage",
                                        "related news",
                                        "related",
                                        "related posts",
                                        "more stories",
                                        "more news",
                                        "more articles",
                                        "most read",
                                        "most popular",
                                        "most viewed",
                                        "most shared",
                                        "recommended",
                                        "recommended for you",
                                        "recommended stories",
                                        "you may also like",
                                        "you might also like",
                                        "you may like",
                                        "trending",
                                        "trending now",
                                        "trending stories",
                                        "latest news",
                                        "latest stories",
                                        "latest",
                                        "comments",
                                        "show comments",
                                        "view comments",
                                        "join the conversation",
                                        "join the discussion",
                                        "leave a comment",
                                        "leave a reply",
                                        "post a comment",
                                        "add a comment",
                                        "what to read next",
                                        "read next",
                                        "up next",
                                        "around the web",
                                        "from around the web",
                                        "sponsored stories",
                                        "promoted stories",
                                        "more from our network",
                                        "editor's picks",
                                        "editors' picks",
                                        "top stories",
                                        "popular",
                                        "popular stories",
                                        "in other news",
                                        "elsewhere",
                                        "also on",
                                        "don't miss",
                                        "must read",
                                        "more to explore",
                                        "further reading"};
    nd_slice t = s;
    while (t.len && (t.ptr[t.len - 1] == ':' || t.ptr[t.len - 1] == ' ')) t.len--;
    static const char *const comment_words[] = {
        "comment", "coment",     "kommentar",    "reply",    "respuesta", "resposta", "réponse",
        "antwort", "discussion", "conversation", "commenti", "reacties",  "komentarz"};
    if (t.len < 40)
        for (size_t i = 0; i < sizeof comment_words / sizeof *comment_words; i++)
            if (nd_slice_ifind(t, comment_words[i]) >= 0) return B_COMMENTS;
    /* "Related articles" in the languages with stop lists. */
    static const char *const section_words[] = {
        "relacionad",    "relacionat",     "correlat",       "similaires",
        "verwandte",     "ähnliche",       "mehr zum thema", "lesen sie auch",
        "leia também",   "lea también",    "à lire aussi",   "lire aussi",
        "leggi anche",   "ver también",    "veja também",    "about the author",
        "sobre o autor", "sobre el autor", "über den autor", "à propos de l'auteur",
        "gerelateerd",   "lees ook",       "relaterade",     "relaterte",
        "relateret",     "podobne"};
    if (t.len < 48)
        for (size_t i = 0; i < sizeof section_words / sizeof *section_words; i++)
            if (nd_slice_ifind(t, section_words[i]) >= 0) return B_SECTION;
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
        if (ieq_line(t, heads[i])) return B_SECTION;
    /* "More from The Week" */
    if ((nd_slice_istarts_c(t, "more from ") || nd_slice_istarts_c(t, "more in ") ||
         nd_slice_istarts_c(t, "more on ")) &&
        t.len < 48)
        return 1;
    return 0;
}

static int is_bullet(nd_slice s)
{
    return nd_slice_eq_c(s, "-") || nd_slice_eq_c(s, "*") || nd_slice_eq_c(s, "\xE2\x80\xA2") ||
           nd_slice_eq_c(s, "\xE2\x80\x93") || nd_slice_eq_c(s, "\xC2\xB7") ||
           nd_slice_eq_c(s, "\xE2\x80\x94");
}

/* Open-addressing set of line texts seen so far (block indexes + 1). */
static int seen_before(uint32_t *set, size_t cap, const nd_page *pg, size_t i)
{
    const nd_block *b = &pg->blocks[i];
    uint64_t h = nd_hash64(pg->text.ptr + b->off, b->len);
    for (size_t k = h & (cap - 1);; k = (k + 1) & (cap - 1)) {
        if (!set[k]) {
            set[k] = (uint32_t) i + 1;
            return 0;
        }
        const nd_block *o = &pg->blocks[set[k] - 1];
        if (o->len == b->len && memcmp(pg->text.ptr + o->off, pg->text.ptr + b->off, b->len) == 0)
            return 1;
    }
}

static int classify_lines(nd_extract_ctx *x, tline *tl)
{
    nd_page *pg = x->pg;
    size_t n = pg->n_blocks;
    size_t cap = 64;
    while (cap < 2 * n) cap *= 2;
    uint32_t *seen = nd_calloc(cap, sizeof *seen);
    if (!seen) return ND_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        nd_block *b = &pg->blocks[i];
        nd_slice s = nd__block_text(pg, b);
        nd_text_features f;
        nd__text_features(s.ptr, s.len, x->lang, &f);
        b->words = (uint16_t) (f.words > 65535 ? 65535 : f.words);
        float q = nd__prose_quality(&f, s.len, 0);
        /* Furniture phrases judge short blocks and non-sentences; in a
         * sentence of prose they are only words ("was last updated"). */
        int ph = nd__has_phrase(s.ptr, s.len,
                                f.words > 25 || (f.words >= 10 && f.ends_sentence && q > 0));
        if (ph == 2 || (ph == 1 && f.words <= 25)) q = -1.f;
        tl[i].boundary = is_boundary(s);
        tl[i].bullet = is_bullet(s);
        tl[i].age = nd__is_age_line(s.ptr, s.len);
        tl[i].sentence = f.ends_sentence;
        if (tl[i].boundary || tl[i].bullet || tl[i].age) q = -1.f;
        /* Seen on other pages of the batch: site furniture. */
        if (b->flags & ND_BLK_FURNITURE) q = -0.8f;
        /* A line seen before on the page is furniture (menus, repeated
         * prompts). */
        if (seen_before(seen, cap, pg, i)) {
            tl[i].dup = 1;
            b->flags |= ND_BLK_DUP;
            if (q > -0.5f) q = -0.6f;
        }
        b->q = q;
        tl[i].cls = q >= 1.f ? C_GOOD : q > 0 ? C_NEAR : q > -0.5f ? C_SHORT : C_BAD;
    }
    nd_free(seen);
    return 0;
}

/* Teaser lists: >= 3 entries each after a lone bullet line. */
static void find_teasers(nd_extract_ctx *x, tline *tl)
{
    nd_page *pg = x->pg;
    size_t n = pg->n_blocks, i = 0;
    while (i < n) {
        if (!tl[i].bullet) {
            i++;
            continue;
        }
        size_t j = i, entries = 0;
        while (j + 1 < n && tl[j].bullet && !tl[j + 1].bullet) {
            entries++;
            j += 2;
        }
        if (entries >= 3) {
            for (size_t k = i; k < j; k++)
                pg->blocks[k].label = tl[k].bullet ? ND_LBL_BOILER : ND_LBL_TEASER;
        }
        i = j > i ? j : i + 1;
    }
}

/* A short capitalised line that can name an outlet. */
static int site_like(nd_slice s, const nd_block *b)
{
    if (b->words < 1 || b->words > 5 || s.len > 48) return 0;
    if (nd__ends_sentence(s.ptr, s.len)) return 0;
    unsigned char c = (unsigned char) s.ptr[0];
    return (c >= 'A' && c <= 'Z') || c >= 0xC3 || (c >= '0' && c <= '9');
}

/* Embedded related articles: [site] age [- site] title text... */
static void find_related_runs(nd_extract_ctx *x, tline *tl)
{
    nd_page *pg = x->pg;
    size_t n = pg->n_blocks;
    for (size_t i = 0; i < n; i++) {
        if (!tl[i].age || pg->blocks[i].label) continue;
        size_t start = i;
        if (i > 0 && site_like(nd__block_text(pg, &pg->blocks[i - 1]), &pg->blocks[i - 1]) &&
            !pg->blocks[i - 1].label)
            start = i - 1;
        size_t k = i + 1;
        /* "- Irish Times" or the site again */
        if (k < n) {
            nd_slice s = nd__block_text(pg, &pg->blocks[k]);
            if ((s.len > 2 && (s.ptr[0] == '-' || (unsigned char) s.ptr[0] == 0xE2) &&
                 pg->blocks[k].words <= 6) ||
                (start < i && nd_slice_eq(s, nd__block_text(pg, &pg->blocks[start]))))
                k++;
        }
        if (k >= n) continue;
        /* A related item has a headline here; an article's own byline
         * ("Jane Doe / 2 days") is followed by its first paragraph. */
        if (!nd__heading_like(nd__block_text(pg, &pg->blocks[k])) || pg->blocks[k].words > 24)
            continue;
        /* Title then text, up to the next item or a boundary. */
        size_t end = k + 1;
        while (end < n && !tl[end].age && !tl[end].boundary && !tl[end].bullet) {
            if (end + 1 < n && tl[end + 1].age &&
                site_like(nd__block_text(pg, &pg->blocks[end]), &pg->blocks[end]))
                break;
            end++;
        }
        for (size_t m = start; m < end; m++) pg->blocks[m].label = ND_LBL_RELATED;
        i = end - 1;
    }
}

/* A flattened link card: a headline in title case glued to its summary
 * with no space, where two inline elements met ("Bill At Troy
 * SteakhouseA party of six left ...", "Is Violence In Sports On The
 * Rise?Violence is part of the game ...").  The glue is a capital after
 * a lower-case letter, digit or closing mark inside a word of at least
 * three letters; the words before it are mostly capitalised (at least
 * three of them) and at least four words follow.  A brand inside a
 * sentence ("the new PlayStation") has lower-case words before it. */
static int glued_teaser(nd_slice s)
{
    size_t lim = s.len < 240 ? s.len : 240;
    for (size_t p = 1; p + 1 < lim; p++) {
        unsigned char c = (unsigned char) s.ptr[p], prev = (unsigned char) s.ptr[p - 1],
                      next = (unsigned char) s.ptr[p + 1];
        if (c < 'A' || c > 'Z') continue;
        int glue = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9') || prev == ')' ||
                   prev == '?' || prev == '!' || prev == '"' || prev == '\'';
        if (!glue) continue;
        if (!((next >= 'a' && next <= 'z') || (next == ' ' && (c == 'A' || c == 'I')))) continue;
        /* the word the capital is glued into: three letters before it */
        size_t w0 = p;
        while (w0 > 0 && s.ptr[w0 - 1] != ' ') w0--;
        int letters = 0;
        for (size_t k = w0; k < p; k++) {
            unsigned char d = (unsigned char) s.ptr[k];
            letters += (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || d >= 0x80 ||
                       (d >= '0' && d <= '9');
        }
        if (letters < 3) continue;
        /* the words before: mostly capitalised */
        int words = 0, caps = 0;
        for (size_t k = 0; k < p;) {
            while (k < p && s.ptr[k] == ' ') k++;
            if (k >= p) break;
            unsigned char d = (unsigned char) s.ptr[k];
            words++;
            if ((d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9') || d == '"' || d == '\'' ||
                d >= 0xC3)
                caps++;
            while (k < p && s.ptr[k] != ' ') k++;
        }
        if (words < 3 || caps * 10 < words * 7) continue;
        int after = 0;
        for (size_t k = p; k < s.len; k++)
            if (s.ptr[k] == ' ' && k + 1 < s.len && s.ptr[k + 1] != ' ') after++;
        if (after + 1 >= 4) return 1;
    }
    return 0;
}

/* A byline line: "By Jane Doe", "Von ...", "Par ...". */
static int byline_like(nd_slice s, const nd_block *b)
{
    static const char *const by[] = {"by ", "von ", "par ", "por ", "door ", "av "};
    if (b->words > 15) return 0;
    for (size_t i = 0; i < sizeof by / sizeof *by; i++)
        if (nd_slice_istarts_c(s, by[i])) return 1;
    return 0;
}

/* A line of the block between a headline and its article: a dateline or
 * a short line holding a date ("Chris Davies - Nov 19, 2019, 10:31 pm"),
 * an age, a byline. */
static int header_line(const nd_page *pg, const tline *tl, size_t i)
{
    const nd_block *b = &pg->blocks[i];
    nd_slice s = nd__block_text(pg, b);
    if (tl[i].age || byline_like(s, b) || nd__is_dateline(s)) return 1;
    if (s.len > 120 || b->words > 16 || (tl[i].sentence && b->words > 8)) return 0;
    int64_t ts;
    int ht;
    size_t a, e;
    return nd_time_find(s.ptr, s.len, &ts, &ht, &a, &e) == 0;
}

/* A short line of names beside a byline: "Jane Doe", "Reuters", "Valley
 * Voice" (at most four words, each capitalised or a joining word). */
static int name_line(const nd_page *pg, const tline *tl, size_t i)
{
    const nd_block *b = &pg->blocks[i];
    nd_slice s = nd__block_text(pg, b);
    if (b->words < 1 || b->words > 4 || s.len > 48 || tl[i].sentence) return 0;
    for (size_t k = 0; k < s.len;) {
        while (k < s.len && s.ptr[k] == ' ') k++;
        if (k >= s.len) break;
        size_t w = k;
        while (k < s.len && s.ptr[k] != ' ') k++;
        nd_slice word = {s.ptr + w, k - w};
        if (!nd__upper_at(word.ptr, word.len) && !nd_slice_eq_c(word, "and") &&
            !nd_slice_eq_c(word, "&") && !nd_slice_eq_c(word, "|") && !nd_slice_eq_c(word, "-"))
            return 0;
    }
    return 1;
}

/* The maximum-sum contiguous run of lines by their values v (Kadane); a
 * line of value -INFINITY is a wall no run crosses.  Returns the sum (0
 * when no run is positive) and the run in [*a, *e). */
static float best_run(const tline *tl, size_t n, size_t *a, size_t *e)
{
    float best = 0, cur = 0;
    size_t cur_a = 0;
    for (size_t i = 0; i < n; i++) {
        if (tl[i].v == -INFINITY) {
            cur = 0;
            cur_a = i + 1;
            continue;
        }
        if (cur <= 0) {
            cur = 0;
            cur_a = i;
        }
        cur += tl[i].v;
        if (cur > best) {
            best = cur;
            *a = cur_a;
            *e = i + 1;
        }
    }
    return best;
}

/* The region search found no body.  The page's best prose stands in for
 * it, as on HTML pages: the run of lines with the most sentence-like
 * text, where a sentence-like line counts for its length even when its
 * words are not prose by their stop words (scores, lists of names, a
 * short story in another language), a short line costs little, and
 * furniture, link cards and other structures cost as before.  Embedded
 * related items do not hold here: the structure that swallowed the
 * article is what left it empty.  Inside the run every line that is not
 * furniture, a dateline or a byline is kept, and so are the short lines
 * just above it (subheads, a table's rows) when furniture or a dateline
 * closes them off within a few lines. */
static void fallback(nd_extract_ctx *x, tline *tl)
{
    nd_page *pg = x->pg;
    size_t n = pg->n_blocks;
    float best = 0;
    size_t a = 0, e = 0;
    /* Sentences of five words or more first; on a page of captions and
     * labels ("Camera: Pentax Z-1."), sentences of two. */
    for (int min_words = 5; min_words >= 2 && best <= 0; min_words -= 3) {
        for (size_t i = 0; i < n; i++) {
            nd_block *b = &pg->blocks[i];
            nd_slice s = nd__block_text(pg, b);
            float len = (float) b->len;
            int lbl = b->label == ND_LBL_RELATED ? ND_LBL_NONE : b->label;
            if (lbl == ND_LBL_COMMENT || tl[i].boundary == B_COMMENTS)
                tl[i].v = -INFINITY;
            else if (tl[i].boundary)
                tl[i].v = -300.f;
            else if (lbl || tl[i].cls == C_BAD || glued_teaser(s) || header_line(pg, tl, i))
                tl[i].v = -(40.f + 0.25f * len);
            else if (tl[i].sentence && b->words >= min_words)
                tl[i].v = len * (b->q > 0.5f ? b->q : 0.5f);
            else
                tl[i].v = -(5.f + 0.1f * len);
        }
        best = best_run(tl, n, &a, &e);
    }
    if (best <= 0) return;
    /* Short lines above the run, closed off by furniture or a dateline
     * within eight lines; a longer run of short lines is a menu. */
    size_t top = a;
    while (top > 0 && a - top < 8 && tl[top - 1].v > -40.f && tl[top - 1].v < 0 && !tl[top - 1].dup)
        top--;
    if (top > 0 && a - top < 8 && tl[top - 1].v <= -40.f) a = top;
    /* The related item the body was taken for is none: its lines above
     * the body up to its age line, and below it, lose the label. */
    for (size_t k = a; k-- > 0 && pg->blocks[k].label == ND_LBL_RELATED;) {
        pg->blocks[k].label = ND_LBL_NONE;
        if (tl[k].age) break;
    }
    for (size_t k = e; k < n && pg->blocks[k].label == ND_LBL_RELATED && !tl[k].age; k++)
        pg->blocks[k].label = ND_LBL_NONE;
    for (size_t i = a; i < e; i++) {
        nd_block *b = &pg->blocks[i];
        if (b->label == ND_LBL_RELATED) b->label = ND_LBL_NONE;
        if (tl[i].v > -40.f) b->label = ND_LBL_BODY;
    }
    x->region_start = a;
    x->region_end = e;
    x->fallback = 1;
}

/* The title of a text page: the headline-like line closest above the
 * body (within twelve lines), preferring one the page repeats in a
 * longer line (the page title, a breadcrumb) and one that stands right
 * above a block of datelines, bylines and names; a dateline, a byline or
 * a line holding a date is never the headline.  The first line of the
 * body itself may be the headline when it reads as one.  Returns the
 * line's index, or -1. */
static long text_headline(const nd_extract_ctx *x, const tline *tl)
{
    const nd_page *pg = x->pg;
    size_t n = pg->n_blocks, first = 0;
    while (first < n && pg->blocks[first].label != ND_LBL_BODY) first++;
    if (first >= n) first = x->region_start < n ? x->region_start : 0;
    size_t lo = first > 12 ? first - 12 : 0;
    /* which lines of the window can be the headline */
    unsigned char ok[13] = {0};
    for (size_t k = lo; k <= first && k < n; k++) {
        const nd_block *b = &pg->blocks[k];
        if (b->label == ND_LBL_TEASER || b->label == ND_LBL_RELATED || b->label == ND_LBL_BIO ||
            b->label == ND_LBL_COMMENT || tl[k].boundary || tl[k].bullet)
            continue;
        nd_slice s = nd__block_text(pg, b);
        if (b->words < 3 || b->words > 30 || s.len > 250) continue;
        if (k == first && (tl[k].sentence || b->words > 20)) continue;
        if (s.ptr[s.len - 1] == '.' && b->words > 12) continue;
        if (nd__has_phrase(s.ptr, s.len, 0) || header_line(pg, tl, k)) continue;
        ok[k - lo] = 1;
    }
    long best = -1;
    int best_score = -1;
    for (size_t k = first + 1; k-- > lo;) {
        if (k >= n || !ok[k - lo]) continue;
        nd_slice s = nd__block_text(pg, &pg->blocks[k]);
        int score = 10 - (int) (first - k);
        for (size_t o = 0; o < n && o < 20000; o++) {
            if (o == k || pg->blocks[o].len <= s.len) continue;
            nd_slice os = nd__block_text(pg, &pg->blocks[o]);
            if (os.len < 400 && memmem(os.ptr, os.len, s.ptr, s.len)) {
                score += 5;
                break;
            }
        }
        if (s.ptr[s.len - 1] != '.') score += 3;
        /* right above its byline or dateline (names may come between),
         * when not itself one of the names ("The Daily Courier") */
        size_t j = k + 1;
        while (j < n && j - k <= 2 && name_line(pg, tl, j)) j++;
        if (j < n && j <= first && header_line(pg, tl, j) && !name_line(pg, tl, k)) score += 6;
        if (score > best_score) {
            best_score = score;
            best = (long) k;
        }
    }
    return best;
}

int nd__classify_text(nd_extract_ctx *x)
{
    nd_page *pg = x->pg;
    size_t n = pg->n_blocks;
    if (!n) return 0;
    tline *tl = nd_calloc(n, sizeof *tl);
    if (!tl) return ND_ENOMEM;
    {
        nd_buf sample = ND_BUF_INIT;
        for (size_t i = 0; i < n && sample.len < 8192; i++)
            if (pg->blocks[i].len >= 60) {
                nd_buf_append(&sample, pg->text.ptr + pg->blocks[i].off, pg->blocks[i].len);
                nd_buf_putc(&sample, ' ');
            }
        x->lang = sample.len ? nd_lang_detect(sample.ptr, sample.len) : NULL;
        nd_buf_free(&sample);
    }
    if (classify_lines(x, tl)) {
        nd_free(tl);
        return ND_ENOMEM;
    }
    find_teasers(x, tl);
    find_related_runs(x, tl);
    for (size_t i = 0; i < n; i++) {
        nd_slice s = nd__block_text(pg, &pg->blocks[i]);
        if (!pg->blocks[i].label && nd__is_bio(s.ptr, s.len)) pg->blocks[i].label = ND_LBL_BIO;
    }

    /* A comments header after the first prose opens the comments: what
     * follows up to the next section header is not the article. */
    {
        int seen_good = 0, in_comments = 0;
        for (size_t i = 0; i < n; i++) {
            if (tl[i].cls == C_GOOD && !pg->blocks[i].label && !in_comments) seen_good = 1;
            if (tl[i].boundary == B_COMMENTS && seen_good)
                in_comments = 1;
            else if (tl[i].boundary == B_SECTION)
                in_comments = 0;
            if (in_comments && !pg->blocks[i].label) pg->blocks[i].label = ND_LBL_COMMENT;
        }
    }
    /* Region values: prose counts for, furniture and short lines against;
     * labelled structures and section headers cannot be crossed. */
    for (size_t i = 0; i < n; i++) {
        nd_block *b = &pg->blocks[i];
        float len = (float) b->len;
        if (b->label || tl[i].boundary == B_COMMENTS)
            tl[i].v = -INFINITY;
        else if (tl[i].boundary)
            /* A section header ("Related stories") may sit inside an
             * article as a box; crossing it needs a good reason. */
            tl[i].v = -300.f;
        else if (tl[i].cls == C_GOOD || tl[i].cls == C_NEAR)
            tl[i].v = len * b->q;
        else if (tl[i].cls == C_SHORT)
            tl[i].v = -(20.f + 0.2f * len);
        else
            /* Furniture costs a little more than a short line, and its
             * length counts only in part: a newsletter box between two
             * parts of an article must not cut the article in two. */
            tl[i].v = -(40.f + 0.25f * len);
    }
    size_t best_a = 0, best_b = 0;
    best_run(tl, n, &best_a, &best_b);
    x->region_start = best_a;
    x->region_end = best_b;

    /* Inside the region: good lines are body; near-good lines need a good
     * neighbour and no bad one on the other side; short lines stay when
     * body follows (subheads). */
    for (size_t i = best_a; i < best_b; i++) {
        nd_block *b = &pg->blocks[i];
        if (b->label) continue;
        if (tl[i].cls == C_GOOD) b->label = ND_LBL_BODY;
    }
    /* Near-good lines: resolved from their neighbours, repeatedly, since
     * a resolved line becomes a good neighbour of the next. */
    for (int pass = 0, changed = 1; changed && pass < 4; pass++) {
        changed = 0;
        for (size_t i = best_a; i < best_b; i++) {
            nd_block *b = &pg->blocks[i];
            if (b->label || tl[i].cls != C_NEAR) continue;
            int prev = i > best_a
                           ? (pg->blocks[i - 1].label == ND_LBL_BODY ? C_GOOD : tl[i - 1].cls)
                           : C_BAD;
            int next = i + 1 < best_b
                           ? (pg->blocks[i + 1].label == ND_LBL_BODY ? C_GOOD : tl[i + 1].cls)
                           : C_BAD;
            int good_side = prev == C_GOOD || next == C_GOOD;
            int bad_side = prev == C_BAD || next == C_BAD;
            /* Kept beside a good line, or between near-good/short lines
             * with no furniture around; a line between furniture and
             * something short is furniture ("Escape your echo chamber"
             * between a site name and "Sign up for ..."). */
            if (good_side || (!bad_side && (prev == C_NEAR || next == C_NEAR)) ||
                (b->words >= 15 && !bad_side)) {
                b->label = ND_LBL_BODY;
                changed = 1;
            }
        }
    }
    int seen_body = 0;
    for (size_t i = best_a; i < best_b; i++) {
        nd_block *b = &pg->blocks[i];
        if (b->label == ND_LBL_BODY) seen_body = 1;
        if (b->label || tl[i].cls != C_SHORT) continue;
        size_t j = i + 1;
        while (j < best_b && j - i <= 3 && !pg->blocks[j].label && tl[j].cls == C_SHORT) j++;
        if (seen_body && j < best_b && pg->blocks[j].label == ND_LBL_BODY && j - i <= 2 &&
            !tl[i].dup && nd__heading_like(nd__block_text(pg, b)))
            b->label = ND_LBL_BODY;
    }
    {
        int any = 0;
        for (size_t i = 0; i < n && !any; i++) any = pg->blocks[i].label == ND_LBL_BODY;
        if (!any) fallback(x, tl);
    }
    for (size_t i = 0; i < n; i++)
        if (!pg->blocks[i].label) pg->blocks[i].label = ND_LBL_BOILER;
    /* The dateline and byline block the article opens with is not its
     * text ("Written by Jane Doe on November 14, 2019"); the headline may
     * follow it. */
    for (size_t i = 0; i < n; i++) {
        if (pg->blocks[i].label != ND_LBL_BODY) continue;
        while (i < n && pg->blocks[i].label == ND_LBL_BODY && header_line(pg, tl, i))
            pg->blocks[i++].label = ND_LBL_DATELINE;
        break;
    }
    long h = text_headline(x, tl);
    if (h >= 0) {
        pg->blocks[h].label = ND_LBL_TITLE;
        nd_slice t = nd__block_text(pg, &pg->blocks[h]);
        x->a->title = nd__astr(x->a, t.ptr, t.len);
    }
    nd_free(tl);
    return 0;
}
