/* html.c - query results as HTML pages (newsdesk/render.h): the web's
 * pages and the digest's e-mail.  The renderer walks results and owns no
 * data; every string that came from a page is written through one of the
 * context escapes at the top of this file, at the edge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsdesk/render.h"

/* ---- escapes ---------------------------------------------------------------------------- */

enum { CTX_TEXT, CTX_ATTR, CTX_SVG };

static const char FFFD[] = "\xEF\xBF\xBD";

/* One function per context shares this walk: markup characters as
 * references, controls (ESC, BEL, C1 codes...) as U+FFFD, invalid UTF-8
 * as U+FFFD, bidi controls dropped. */
static void esc(nd_buf *out, const char *s, size_t n, int ctx)
{
    if (!s) return;
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned char c = (unsigned char) s[i];
        const char *rep = NULL;
        size_t k = 1;
        if (c >= 0x80) {
            uint32_t cp = 0;
            k = nd_utf8_decode(s + i, n - i, &cp);
            if (k && cp > 0x9F && !nd_bidi_control(cp)) {
                run += k;
                i += k;
                continue;
            }
            /* Bidi controls go; C1 codes and invalid bytes show as U+FFFD. */
            rep = k && nd_bidi_control(cp) ? "" : FFFD;
            if (!k) k = 1;
        } else if (c == '&') {
            rep = "&amp;";
        } else if (c == '<') {
            rep = "&lt;";
        } else if (c == '>') {
            rep = "&gt;";
        } else if (c == '"') {
            rep = "&quot;";
        } else if (c == '\'') {
            rep = "&#39;";
        } else if (c == '\n' || c == '\t' || c == '\r') {
            rep = ctx == CTX_TEXT ? (c == '\r' ? " " : NULL) : c == '\n' ? "&#10;" : " ";
        } else if (c < 0x20 || c == 0x7F) {
            rep = FFFD;
        }
        if (!rep) {
            run++;
            i++;
            continue;
        }
        if (run) nd_buf_append(out, s + i - run, run);
        run = 0;
        nd_buf_puts(out, rep);
        i += k;
    }
    if (run) nd_buf_append(out, s + i - run, run);
}

void nd_html_text(nd_buf *out, const char *s, size_t n)
{
    esc(out, s, n, CTX_TEXT);
}

void nd_html_attr(nd_buf *out, const char *s, size_t n)
{
    esc(out, s, n, CTX_ATTR);
}

void nd_svg_text(nd_buf *out, const char *s, size_t n)
{
    esc(out, s, n, CTX_SVG);
}

void nd_url_param(nd_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; s && i < n; i++) {
        unsigned char c = (unsigned char) s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            nd_buf_putc(out, (char) c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            nd_buf_append(out, e, 3);
        }
    }
}

int nd_html_url(nd_buf *out, const char *url)
{
    if (!url) return -1;
    nd_slice u = nd_slice_trim(nd_slice_c(url));
    size_t skip = nd_slice_istarts_c(u, "https://") ? 8 : nd_slice_istarts_c(u, "http://") ? 7 : 0;
    /* A host must follow the scheme. */
    if (!skip || u.len <= skip || u.ptr[skip] == '/' || u.len > 4096) return -1;
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < u.len; i++) {
        unsigned char c = (unsigned char) u.ptr[i];
        if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' ||
            c == '\\') {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            nd_buf_append(out, e, 3);
        } else if (c == '&') {
            nd_buf_puts(out, "&amp;");
        } else {
            nd_buf_putc(out, (char) c);
        }
    }
    return 0;
}

void nd_html_json(nd_buf *out, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; s && i <= n; i++) {
        const char *rep = i == n        ? NULL
                          : s[i] == '<' ? "\\u003c"
                          : s[i] == '>' ? "\\u003e"
                          : s[i] == '&' ? "\\u0026"
                                        : NULL;
        if (!rep && i < n) continue;
        if (i > from) nd_json_escape(out, s + from, i - from);
        if (rep) nd_buf_puts(out, rep);
        from = i + 1;
    }
}

/* ---- helpers ------------------------------------------------------------------------------ */

#define LIT(o, s) nd_buf_puts((o), (s))

static void T(nd_buf *o, const char *s)
{
    if (s) nd_html_text(o, s, strlen(s));
}

static void A(nd_buf *o, const char *s)
{
    if (s) nd_html_attr(o, s, strlen(s));
}

static void P(nd_buf *o, const char *s)
{
    if (s) nd_url_param(o, s, strlen(s));
}

static const char *const MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* "5 Mar 2025" or "5 Mar 2025, 07:45" (UTC) of a stored date; "" when
 * none or unreadable. */
static const char *when(const char *iso, int with_time, char out[40])
{
    int y, m, d, hh, mm;
    out[0] = 0;
    if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) return out;
    if (with_time && strlen(iso) >= 16 && sscanf(iso + 11, "%2d:%2d", &hh, &mm) == 2)
        snprintf(out, 40, "%d %s %d, %02d:%02d", d, MONTHS[m - 1], y, hh, mm);
    else
        snprintf(out, 40, "%d %s %d", d, MONTHS[m - 1], y);
    return out;
}

static void time_el(nd_buf *o, const char *iso, int with_time)
{
    char w[40];
    if (!iso || !*when(iso, with_time, w)) {
        LIT(o, "<span class=\"undated\">undated</span>");
        return;
    }
    LIT(o, "<time datetime=\"");
    A(o, iso);
    LIT(o, "\">");
    T(o, w);
    LIT(o, "</time>");
}

static void span_dates(nd_buf *o, const char *first, const char *last)
{
    char a[40], b[40];
    when(first, 0, a);
    when(last, 0, b);
    if (!a[0] && !b[0]) {
        LIT(o, "undated");
        return;
    }
    T(o, a[0] ? a : b);
    if (a[0] && b[0] && strcmp(a, b)) {
        LIT(o, " – ");
        T(o, b);
    }
}

static void plural(nd_buf *o, uint64_t n, const char *one, const char *many)
{
    nd_buf_printf(o, "%llu %s", (unsigned long long) n, n == 1 ? one : many);
}

static void page_begin(nd_buf *o, const char *title, const char *active, const char *search)
{
    LIT(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>");
    T(o, title);
    LIT(o, " · newsdesk</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
           "<script src=\"/static/app.js\" defer></script></head><body>"
           "<a class=\"skip\" href=\"#main\">Skip to content</a>"
           "<header class=\"top\"><a class=\"brand\" href=\"/\">newsdesk</a>"
           "<nav aria-label=\"Sections\"><ul>");
    static const char *const items[][2] = {{"/", "Today"},
                                           {"/stories", "Stories"},
                                           {"/digest", "Briefing"},
                                           {"/actors", "Actors"},
                                           {"/search", "Search"}};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
        nd_buf_printf(o, "<li><a href=\"%s\"%s>%s</a></li>", items[i][0],
                      active && !strcmp(active, items[i][0]) ? " aria-current=\"page\"" : "",
                      items[i][1]);
    }
    LIT(o, "</ul></nav><form class=\"find\" role=\"search\" action=\"/search\" method=\"get\">"
           "<label for=\"top-q\" class=\"visually-hidden\">Search the news</label>"
           "<input id=\"top-q\" type=\"search\" name=\"q\" placeholder=\"Search\" value=\"");
    A(o, search);
    LIT(o, "\"><button type=\"submit\">Search</button></form></header>"
           "<main id=\"main\">");
}

static void page_end(nd_buf *o)
{
    LIT(o, "</main><footer class=\"foot\"><p>newsdesk · the same data as JSON under "
           "<a href=\"/api/v1/stories\">/api/v1/</a></p></footer></body></html>\n");
}

static void doc_link(nd_buf *o, int64_t id, const char *title)
{
    nd_buf_printf(o, "<a href=\"/articles/%lld\">", (long long) id);
    T(o, title && *title ? title : "(untitled)");
    LIT(o, "</a>");
}

static void story_link(nd_buf *o, int64_t id, const char *headline)
{
    nd_buf_printf(o, "<a href=\"/stories/%lld\">", (long long) id);
    T(o, headline && *headline ? headline : "(untitled story)");
    LIT(o, "</a>");
}

/* An actor by number when known, else by name ("who a name means"). */
static void actor_link(nd_buf *o, int64_t id, const char *name, const char *code)
{
    if (id > 0) {
        nd_buf_printf(o, "<a class=\"actor\" href=\"/actors/%lld\">", (long long) id);
    } else if (name && *name) {
        LIT(o, "<a class=\"actor\" href=\"/actors/");
        P(o, name);
        LIT(o, "\">");
    } else if (code && *code) {
        LIT(o, "<a class=\"actor\" href=\"/actors/");
        P(o, code);
        LIT(o, "\">");
    } else {
        LIT(o, "<span class=\"actor\">unknown");
        LIT(o, "</span>");
        return;
    }
    T(o, name && *name ? name : code);
    LIT(o, "</a>");
}

static void keywords_html(nd_buf *o, const nd_keyword_row *k, size_t n)
{
    if (!n) return;
    LIT(o, "<ul class=\"tags\" aria-label=\"Keywords\">");
    for (size_t i = 0; i < n; i++) {
        LIT(o, "<li><a href=\"/search?q=%22");
        P(o, k[i].text);
        LIT(o, "%22\">#");
        T(o, k[i].text);
        LIT(o, "</a></li>");
    }
    LIT(o, "</ul>");
}

static void outlet_list(nd_buf *o, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) LIT(o, ", ");
        LIT(o, "<span class=\"outlet\">");
        T(o, names[i] && *names[i] ? names[i] : "unknown outlet");
        LIT(o, "</span>");
    }
}

static void summary_html(nd_buf *o, const nd_summary_sentence *s, size_t n, int sources)
{
    for (size_t i = 0; i < n; i++) {
        LIT(o, sources ? "<li>" : "");
        T(o, s[i].text);
        if (sources) {
            LIT(o, " <span class=\"sources\">");
            for (size_t k = 0; k < s[i].n_sources && k < 6; k++) {
                LIT(o, k ? ", " : "— ");
                doc_link(o, s[i].sources[k],
                         s[i].source_outlets[k] && *s[i].source_outlets[k] ? s[i].source_outlets[k]
                                                                           : "article");
            }
            if (s[i].n_sources > 6) nd_buf_printf(o, " and %zu more", s[i].n_sources - 6);
            LIT(o, "</span></li>");
        } else {
            LIT(o, " ");
        }
    }
}

static void actors_inline(nd_buf *o, const nd_actor_row *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) LIT(o, ", ");
        actor_link(o, a[i].id, a[i].name, a[i].code);
    }
}

static void goldstein(nd_buf *o, double g)
{
    nd_buf_printf(o, "<span class=\"gs %s\">%+.1f</span>",
                  g > 0.05    ? "coop"
                  : g < -0.05 ? "conf"
                              : "neutral",
                  g);
}

static const char *quad_name(int q)
{
    static const char *const n[] = {"", "verbal cooperation", "material cooperation",
                                    "verbal conflict", "material conflict"};
    return q >= 1 && q <= 4 ? n[q] : "";
}

/* An event's side: the actor linked, its code after it. */
static void actor_cell(nd_buf *o, int64_t id, const char *name, const char *code)
{
    actor_link(o, id, name, code);
    if (!*code) return;
    LIT(o, " <code>");
    T(o, code);
    LIT(o, "</code>");
}

/* Events as a table: date, who to whom, what (CAMEO), Goldstein, where
 * it was read.  Room is kept for per-event counts of mentions, articles
 * and sources. */
static void events_table(nd_buf *o, const nd_event_row *e, size_t n, int sentences)
{
    if (!n) {
        LIT(o, "<p class=\"none\">No coded events.</p>");
        return;
    }
    LIT(o, "<div class=\"scroll\"><table class=\"events\"><thead><tr><th scope=\"col\">Date</th>"
           "<th scope=\"col\">Source</th><th scope=\"col\">Target</th><th scope=\"col\">Event "
           "(CAMEO)</th><th scope=\"col\">Goldstein</th><th scope=\"col\">Sources</th></tr>"
           "</thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        const nd_event_row *x = &e[i];
        LIT(o, "<tr><td>");
        time_el(o, x->date, 0);
        LIT(o, "</td><td>");
        actor_cell(o, x->source_id, x->source_name, x->source_code);
        LIT(o, "</td><td>");
        actor_cell(o, x->target_id, x->target_name, x->target_code);
        LIT(o, "</td><td><code>");
        T(o, x->code);
        LIT(o, "</code> ");
        T(o, x->code_name);
        if (x->negated) LIT(o, " <em>(negated)</em>");
        nd_buf_printf(o, "<br><small>%s</small>", quad_name(x->quad));
        LIT(o, "</td><td>");
        goldstein(o, x->goldstein);
        LIT(o, "</td><td>");
        doc_link(o, x->doc_id, x->site && *x->site ? x->site : x->title);
        if (sentences && x->sentence_text) {
            LIT(o, "<br><small class=\"evidence\">");
            T(o, x->sentence_text);
            LIT(o, "</small>");
        }
        LIT(o, "</td></tr>");
    }
    LIT(o, "</tbody></table></div>");
}

/* Quotations grouped by speaker, speakers in order of first appearance. */
static void quotes_by_speaker(nd_buf *o, const nd_quote_row *q, size_t n)
{
    if (!n) {
        LIT(o, "<p class=\"none\">No attributed quotations.</p>");
        return;
    }
    char *done = calloc(n ? n : 1, 1);
    if (!done) return;
    for (size_t i = 0; i < n; i++) {
        if (done[i]) continue;
        LIT(o, "<section class=\"speaker\"><h3>");
        actor_link(o, q[i].speaker_id, q[i].speaker, q[i].speaker_code);
        LIT(o, "</h3>");
        for (size_t k = i; k < n; k++) {
            int same = q[k].speaker_id
                           ? q[k].speaker_id == q[i].speaker_id
                           : q[k].speaker && q[i].speaker && !strcmp(q[k].speaker, q[i].speaker);
            if (!same || done[k]) continue;
            done[k] = 1;
            LIT(o, "<blockquote class=\"quote\"><p>“");
            T(o, q[k].text);
            LIT(o, "”</p><footer>");
            doc_link(o, q[k].doc_id, q[k].site && *q[k].site ? q[k].site : q[k].title);
            if (q[k].date) {
                LIT(o, ", ");
                time_el(o, q[k].date, 0);
            }
            LIT(o, "</footer></blockquote>");
        }
        LIT(o, "</section>");
    }
    free(done);
}

static void quotes_list(nd_buf *o, const nd_quote_row *q, size_t n, int speaker)
{
    if (!n) {
        LIT(o, "<p class=\"none\">None.</p>");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        LIT(o, "<blockquote class=\"quote\"><p>“");
        T(o, q[i].text);
        LIT(o, "”</p><footer>");
        if (speaker) {
            actor_link(o, q[i].speaker_id, q[i].speaker, q[i].speaker_code);
            LIT(o, " in ");
        }
        doc_link(o, q[i].doc_id, q[i].title);
        if (q[i].date) {
            LIT(o, ", ");
            time_el(o, q[i].date, 0);
        }
        LIT(o, "</footer></blockquote>");
    }
}

/* Events in brief, one a line: who to whom, the CAMEO code and its
 * label, the Goldstein score. */
static void events_brief(nd_buf *o, const nd_event_row *e, size_t n)
{
    LIT(o, "<ul class=\"evlist\">");
    for (size_t i = 0; i < n; i++) {
        LIT(o, "<li>");
        actor_link(o, e[i].source_id, e[i].source_name, e[i].source_code);
        LIT(o, " → ");
        actor_link(o, e[i].target_id, e[i].target_name, e[i].target_code);
        LIT(o, ": <code>");
        T(o, e[i].code);
        LIT(o, "</code> ");
        T(o, e[i].code_name);
        if (e[i].negated) LIT(o, " <em>(negated)</em>");
        LIT(o, " ");
        goldstein(o, e[i].goldstein);
        LIT(o, "</li>");
    }
    LIT(o, "</ul>");
}

/* ---- front page, stories ------------------------------------------------------------------ */

/* A story's key quotation on the front page: the first (latest) one
 * whose speaker is a known actor, else the first. */
static const nd_quote_row *key_quote(const nd_brief *b)
{
    for (size_t i = 0; i < b->n_quotes; i++)
        if (b->quotes[i].speaker_id > 0) return &b->quotes[i];
    return b->n_quotes ? &b->quotes[0] : NULL;
}

static void brief_card(nd_buf *o, const nd_brief *b, int full)
{
    const nd_story_row *s = &b->story;
    LIT(o, "<article class=\"card\"><h2>");
    story_link(o, s->id, s->headline);
    LIT(o, "</h2><p class=\"meta\">");
    plural(o, s->n_docs - s->n_dups, "article", "articles");
    LIT(o, " · ");
    plural(o, s->n_sites, "outlet", "outlets");
    LIT(o, " · ");
    span_dates(o, s->first_seen, s->last_seen);
    LIT(o, "</p>");
    if (b->n_summary) {
        LIT(o, "<p class=\"summary\">");
        summary_html(o, b->summary, b->n_summary, 0);
        LIT(o, "</p>");
    }
    if (b->n_outlets) {
        LIT(o, "<p class=\"outlets\"><span class=\"label\">Outlets:</span> ");
        outlet_list(o, b->outlets, b->n_outlets);
        LIT(o, "</p>");
    }
    if (b->n_actors) {
        LIT(o, "<p class=\"actors\"><span class=\"label\">Key actors:</span> ");
        actors_inline(o, b->actors, b->n_actors);
        LIT(o, "</p>");
    }
    keywords_html(o, b->keywords, b->n_keywords);
    const nd_quote_row *kq = full ? NULL : key_quote(b);
    if (kq) {
        LIT(o, "<h3 class=\"sub\">Key quote</h3>");
        quotes_list(o, kq, 1, 1);
    }
    if (!full && b->n_events) {
        LIT(o, "<h3 class=\"sub\">Top events</h3>");
        events_brief(o, b->events, b->n_events < 2 ? b->n_events : 2);
    }
    if (full && b->n_quotes) {
        LIT(o, "<h3>Key quotes</h3>");
        quotes_list(o, b->quotes, b->n_quotes, 1);
    }
    if (full && b->n_events) {
        LIT(o, "<h3>Notable events</h3>");
        events_table(o, b->events, b->n_events, 0);
    }
    LIT(o, "</article>");
}

static void day_nav(nd_buf *o, const nd_briefing *b, const char *path)
{
    if (!b->prev && !b->next) return;
    LIT(o, "<nav class=\"days\" aria-label=\"Other days\">");
    if (b->prev) {
        nd_buf_printf(o, "<a rel=\"prev\" href=\"%s?date=", path);
        P(o, b->prev);
        LIT(o, "\">← ");
        char w[40];
        T(o, when(b->prev, 0, w));
        LIT(o, "</a>");
    }
    if (b->next) {
        nd_buf_printf(o, "<a rel=\"next\" href=\"%s?date=", path);
        P(o, b->next);
        LIT(o, "\">");
        char w[40];
        T(o, when(b->next, 0, w));
        LIT(o, " →</a>");
    }
    LIT(o, "</nav>");
}

static void story_rows(nd_buf *o, const nd_story_row *s, size_t n)
{
    LIT(o, "<div class=\"scroll\"><table class=\"stories\"><thead><tr><th scope=\"col\">Story</th>"
           "<th scope=\"col\">Articles</th><th scope=\"col\">Outlets</th><th "
           "scope=\"col\">Seen</th></tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        LIT(o, "<tr><td>");
        story_link(o, s[i].id, s[i].headline);
        nd_buf_printf(o, "</td><td>%llu</td><td>%llu</td><td>",
                      (unsigned long long) (s[i].n_docs - s[i].n_dups),
                      (unsigned long long) s[i].n_sites);
        span_dates(o, s[i].first_seen, s[i].last_seen);
        LIT(o, "</td></tr>");
    }
    LIT(o, "</tbody></table></div>");
}

void nd_render_html_front(nd_buf *o, const nd_briefing *b, const nd_story_list *more)
{
    char w[40];
    page_begin(o, b->day ? when(b->day, 0, w) : "Stories", "/", NULL);
    LIT(o, "<h1>");
    if (b->day) {
        LIT(o, "The stories of ");
        time_el(o, b->day, 0);
    } else {
        LIT(o, "The stories");
    }
    LIT(o, "</h1>");
    day_nav(o, b, "/");
    if (!b->n) LIT(o, "<p class=\"none\">No stories on this day.</p>");
    LIT(o, "<div class=\"cards\">");
    for (size_t i = 0; i < b->n; i++) brief_card(o, &b->items[i], 0);
    LIT(o, "</div>");
    if (more && more->n) {
        LIT(o, "<h2>Latest stories</h2>");
        story_rows(o, more->items, more->n);
        if (more->r.next) {
            LIT(o, "<p><a href=\"/stories?cursor=");
            P(o, more->r.next);
            LIT(o, "\">More stories →</a></p>");
        }
    }
    page_end(o);
}

void nd_render_html_stories(nd_buf *o, const nd_story_list *l)
{
    page_begin(o, "Stories", "/stories", NULL);
    LIT(o, "<h1>Stories</h1>");
    if (!l->n) LIT(o, "<p class=\"none\">No stories.</p>");
    story_rows(o, l->items, l->n);
    if (l->r.next) {
        LIT(o, "<p><a rel=\"next\" href=\"/stories?cursor=");
        P(o, l->r.next);
        LIT(o, "\">More stories →</a></p>");
    }
    page_end(o);
}

/* Articles of a story in time order (published, else fetched; undated
 * last). */
static int by_time(const void *x, const void *y)
{
    const nd_story_article *a = *(const nd_story_article *const *) x;
    const nd_story_article *b = *(const nd_story_article *const *) y;
    const char *ta = a->published ? a->published : a->fetched;
    const char *tb = b->published ? b->published : b->fetched;
    if (!ta != !tb) return ta ? -1 : 1;
    int c = ta ? strcmp(ta, tb) : 0;
    return c ? c : a->id < b->id ? -1 : a->id > b->id;
}

static void bars_svg(nd_buf *o, const nd_period *p, size_t n, const char *title);

/* The story's articles per day as bars (articles in time order; the
 * undated are left out). */
static void story_days_svg(nd_buf *o, const nd_story_article *const *t, size_t n)
{
    nd_period *days = calloc(n ? n : 1, sizeof *days);
    char(*names)[11] = calloc(n ? n : 1, sizeof *names);
    size_t nd = 0;
    for (size_t i = 0; days && names && i < n; i++) {
        const char *d = t[i]->published ? t[i]->published : t[i]->fetched;
        if (!d || strlen(d) < 10) continue;
        if (!nd || strncmp(names[nd - 1], d, 10)) {
            memcpy(names[nd], d, 10);
            days[nd].period = names[nd];
            nd++;
        }
        days[nd - 1].documents++;
    }
    if (nd > 1) bars_svg(o, days, nd, "Articles of this story per day");
    free(days);
    free(names);
}

void nd_render_html_story(nd_buf *o, const nd_html_story *v)
{
    const nd_story_page *p = v->story;
    const nd_story_row *s = &p->story;
    page_begin(o, s->headline ? s->headline : "Story", NULL, NULL);
    LIT(o, "<article class=\"story\"><h1>");
    T(o, s->headline && *s->headline ? s->headline : "(untitled story)");
    LIT(o, "</h1><p class=\"meta\">");
    plural(o, s->n_docs - s->n_dups, "article", "articles");
    if (s->n_dups) {
        LIT(o, " and ");
        plural(o, s->n_dups, "copy", "copies");
    }
    LIT(o, " from ");
    plural(o, s->n_sites, "outlet", "outlets");
    LIT(o, " · ");
    span_dates(o, s->first_seen, s->last_seen);
    nd_buf_printf(o, " · <a href=\"/api/v1/stories/%lld\">JSON</a></p>", (long long) s->id);
    if (v->keywords) keywords_html(o, v->keywords->items, v->keywords->n);

    if (v->summary && v->summary->n_sentences) {
        LIT(o, "<section aria-labelledby=\"h-sum\"><h2 id=\"h-sum\">Summary</h2>"
               "<p class=\"hint\">The sentences most outlets agree on, each with the articles "
               "that say it.</p><ol class=\"summary\">");
        summary_html(o, v->summary->sentences, v->summary->n_sentences, 1);
        LIT(o, "</ol></section>");
    }
    if (v->summary && v->summary->n_takes) {
        LIT(o, "<section aria-labelledby=\"h-takes\"><h2 id=\"h-takes\">How each outlet told "
               "it</h2><div class=\"takes\">");
        for (size_t i = 0; i < v->summary->n_takes; i++) {
            const nd_outlet_take *t = &v->summary->takes[i];
            LIT(o, "<article class=\"take\"><h3>");
            T(o, t->outlet && *t->outlet ? t->outlet : "Unknown outlet");
            LIT(o, "</h3><p class=\"meta\">");
            time_el(o, t->date, 1);
            if (t->n_articles > 1) {
                LIT(o, " · ");
                plural(o, t->n_articles, "article", "articles");
            }
            LIT(o, "</p><h4>");
            doc_link(o, t->doc_id, t->title);
            LIT(o, "</h4><p>");
            T(o, t->lede);
            LIT(o, "</p></article>");
        }
        LIT(o, "</div></section>");
    }

    LIT(o, "<section aria-labelledby=\"h-time\"><h2 id=\"h-time\">Timeline</h2>");
    /* A long story: its latest articles, and every outlet's count. */
    if ((uint64_t) p->n_articles < p->n_total) {
        LIT(o, "<p class=\"hint\">The latest ");
        plural(o, p->n_articles, "article", "articles");
        nd_buf_printf(
            o, " of %llu (the most recently added). Outlets: ", (unsigned long long) p->n_total);
        for (size_t i = 0; i < p->n_outlet_counts; i++) {
            const nd_count *c = &p->outlet_counts[i];
            if (i) LIT(o, " · ");
            T(o, *c->value ? c->value : "unknown outlet");
            nd_buf_printf(o, " (%llu)", (unsigned long long) c->n);
        }
        LIT(o, ".</p>");
    }
    const nd_story_article **t = calloc(p->n_articles ? p->n_articles : 1, sizeof *t);
    for (size_t i = 0; t && i < p->n_articles; i++) t[i] = &p->articles[i];
    if (t && p->n_articles) qsort(t, p->n_articles, sizeof *t, by_time);
    story_days_svg(o, t, t ? p->n_articles : 0);
    LIT(o, "<ol class=\"timeline\">");
    for (size_t i = 0; t && i < p->n_articles && i < 200; i++) {
        const nd_story_article *a = t[i];
        LIT(o, a->original >= 0 ? "<li class=\"copy\">" : "<li>");
        time_el(o, a->published ? a->published : a->fetched, 1);
        LIT(o, " <span class=\"outlet\">");
        T(o, *a->outlet ? a->outlet : "unknown outlet");
        LIT(o, "</span> ");
        doc_link(o, a->id, a->title);
        if (a->original >= 0) LIT(o, " <small>(copy)</small>");
        if (a->parent_id) LIT(o, " <small>(embedded in another page)</small>");
        LIT(o, "</li>");
    }
    /* Those not listed: past the first 200, and those not shown. */
    size_t listed = p->n_articles < 200 ? p->n_articles : 200;
    if (p->n_total > (uint64_t) listed)
        nd_buf_printf(o, "<li>… and %llu more articles</li>",
                      (unsigned long long) (p->n_total - listed));
    free(t);
    LIT(o, "</ol></section>");

    LIT(o, "<section aria-labelledby=\"h-quotes\"><h2 id=\"h-quotes\">Key quotes</h2>");
    if (v->quotes)
        quotes_by_speaker(o, v->quotes->items, v->quotes->n);
    else
        LIT(o, "<p class=\"none\">No attributed quotations.</p>");
    LIT(o, "</section><section aria-labelledby=\"h-events\"><h2 id=\"h-events\">Events</h2>");
    if (v->events)
        events_table(o, v->events->items, v->events->n, 1);
    else
        events_table(o, NULL, 0, 1);
    LIT(o, "</section>");
    if (v->actors && v->actors->n) {
        LIT(o, "<section aria-labelledby=\"h-actors\"><h2 id=\"h-actors\">Actors</h2>"
               "<ul class=\"actors\">");
        for (size_t i = 0; i < v->actors->n; i++) {
            const nd_actor_row *a = &v->actors->items[i];
            LIT(o, "<li>");
            actor_link(o, a->id, a->name, a->code);
            LIT(o, " <small>");
            T(o, a->kind);
            LIT(o, ", ");
            plural(o, a->documents, "article", "articles");
            LIT(o, "</small></li>");
        }
        LIT(o, "</ul></section>");
    }
    LIT(o, "</article>");
    page_end(o);
}

/* ---- article ---------------------------------------------------------------------------- */

/* Text [a, b) of the document with the mentions inside it linked. */
static void text_with_mentions(nd_buf *o, const nd_store_doc *d, size_t a, size_t b, size_t *m)
{
    const nd_analysis *an = d->analysis;
    size_t at = a;
    while (an && *m < an->n_mentions) {
        const nd_mention *x = &an->mentions[*m];
        if (x->span.start < at) {
            ++*m;
            continue;
        }
        if (x->span.end > b || x->span.start >= b) break;
        ++*m;
        if (x->actor < 0 || (size_t) x->actor >= an->n_actors) continue;
        nd_html_text(o, d->text + at, x->span.start - at);
        const nd_actor *ac = &an->actors[x->actor];
        LIT(o, "<a class=\"mention\" href=\"/actors/");
        P(o, ac->name);
        LIT(o, "\" title=\"");
        A(o, ac->name);
        LIT(o, "\">");
        nd_html_text(o, d->text + x->span.start, x->span.end - x->span.start);
        LIT(o, "</a>");
        at = x->span.end;
    }
    if (b > at) nd_html_text(o, d->text + at, b - at);
}

/* One paragraph [ps, pe): quotations marked with their speaker, actors
 * linked. */
static void paragraph(nd_buf *o, const nd_store_doc *d, size_t ps, size_t pe, size_t *m)
{
    const nd_analysis *an = d->analysis;
    size_t at = ps;
    LIT(o, "<p>");
    for (size_t qi = 0; an && qi < an->n_quotes; qi++) {
        const nd_quote *q = &an->quotes[qi];
        if (q->scare) continue;
        for (size_t c = 0; c < q->n_content; c++) {
            nd_span sp = q->content[c];
            if (sp.start < at || sp.end > pe || sp.end <= sp.start) continue;
            text_with_mentions(o, d, at, sp.start, m);
            LIT(o, "<mark class=\"quote\">");
            text_with_mentions(o, d, sp.start, sp.end, m);
            LIT(o, "</mark>");
            if (c + 1 == q->n_content && q->speaker_name) {
                LIT(o, "<span class=\"who\"> — ");
                if (q->speaker >= 0 && (size_t) q->speaker < an->n_actors) {
                    LIT(o, "<a href=\"/actors/");
                    P(o, an->actors[q->speaker].name);
                    LIT(o, "\">");
                    T(o, an->actors[q->speaker].name);
                    LIT(o, "</a>");
                } else {
                    T(o, q->speaker_name);
                }
                LIT(o, "</span>");
            }
            at = sp.end;
        }
    }
    text_with_mentions(o, d, at, pe, m);
    LIT(o, "</p>");
}

void nd_render_html_article(nd_buf *o, const nd_article_page *p)
{
    const nd_store_doc *d = p->doc;
    page_begin(o, d->title ? d->title : "Article", NULL, NULL);
    LIT(o, "<div class=\"with-side\"><article class=\"reading\">");
    if (p->story) {
        LIT(o, "<p class=\"crumb\">Story: ");
        story_link(o, p->story->id, p->story->headline);
        LIT(o, "</p>");
    }
    LIT(o, "<h1>");
    T(o, d->title && *d->title ? d->title : "(untitled)");
    LIT(o, "</h1><p class=\"byline\">");
    if (d->n_authors) {
        LIT(o, "By ");
        for (size_t i = 0; i < d->n_authors; i++) {
            if (i) LIT(o, i + 1 == d->n_authors ? " and " : ", ");
            LIT(o, "<span class=\"author\">");
            T(o, d->authors[i]);
            LIT(o, "</span>");
        }
        LIT(o, " · ");
    }
    time_el(o, d->published, 1);
    const char *outlet = d->site && *d->site ? d->site : d->host;
    if (outlet) {
        LIT(o, " · <span class=\"outlet\">");
        T(o, outlet);
        LIT(o, "</span>");
    }
    if (d->credit) {
        LIT(o, " · <span class=\"credit\">");
        T(o, d->credit);
        LIT(o, "</span>");
    }
    LIT(o, "</p><p class=\"source\">");
    nd_buf probe = ND_BUF_INIT;
    if (d->url && nd_html_url(&probe, d->url) == 0) {
        LIT(o, "<a rel=\"noopener noreferrer nofollow\" href=\"");
        nd_buf_append(o, probe.ptr, probe.len);
        LIT(o, "\">Original page</a>");
    } else if (d->url) {
        LIT(o, "Address: <code>");
        T(o, d->url);
        LIT(o, "</code>");
    }
    nd_buf_free(&probe);
    nd_buf_printf(o, " · <a href=\"/api/v1/articles/%lld\">JSON</a>", (long long) d->id);
    if (d->n_versions > 1) nd_buf_printf(o, " · version %d of %d", d->version, d->n_versions);
    LIT(o, "</p>");
    keywords_html(o, p->keywords, p->n_keywords);
    if (d->parent_id)
        nd_buf_printf(o,
                      "<p class=\"note\">An article embedded in <a href=\"/articles/%lld\">another "
                      "page</a>, stored as a document of its own.</p>",
                      (long long) d->parent_id);
    LIT(o, "<div class=\"body\">");
    size_t m = 0;
    for (size_t i = 0; i < d->n_paragraphs; i++) {
        size_t ps = (size_t) (d->paragraphs[i].ptr - d->text);
        paragraph(o, d, ps, ps + d->paragraphs[i].len, &m);
    }
    if (!d->n_paragraphs && d->text_len) {
        m = 0;
        paragraph(o, d, 0, d->text_len, &m);
    }
    LIT(o, "</div></article><aside class=\"side\">");
    const nd_analysis *an = d->analysis;
    if (an && an->n_actors) {
        LIT(o, "<section><h2>Actors</h2><ul class=\"actors\">");
        for (size_t i = 0; i < an->n_actors; i++) {
            const nd_actor *a = &an->actors[i];
            LIT(o, "<li>");
            actor_link(o, 0, a->name, a->code);
            LIT(o, " <small>");
            T(o, nd_actor_kind_name(a->kind));
            if (a->role) {
                LIT(o, ", ");
                T(o, a->role);
            }
            nd_buf_printf(o, ", %u×</small></li>", a->n_mentions);
        }
        LIT(o, "</ul></section>");
    }
    if (an && an->n_events) {
        LIT(o, "<section><h2>Events</h2><ul class=\"evlist\">");
        for (size_t i = 0; i < an->n_events; i++) {
            const nd_event *e = &an->events[i];
            LIT(o, "<li>");
            const char *sn = e->source >= 0 && (size_t) e->source < an->n_actors
                                 ? an->actors[e->source].name
                                 : NULL;
            const char *tn = e->target >= 0 && (size_t) e->target < an->n_actors
                                 ? an->actors[e->target].name
                                 : NULL;
            actor_link(o, 0, sn, e->source_code);
            LIT(o, " → ");
            actor_link(o, 0, tn, e->target_code);
            LIT(o, ": <code>");
            T(o, e->code);
            LIT(o, "</code> ");
            T(o, e->code_name);
            LIT(o, " ");
            goldstein(o, e->goldstein);
            LIT(o, "</li>");
        }
        LIT(o, "</ul></section>");
    }
    if (d->n_related) {
        LIT(o, "<section><h2>Related</h2><ul class=\"related\">");
        for (size_t i = 0; i < d->n_related; i++) {
            const nd_store_related *r = &d->related[i];
            LIT(o, "<li>");
            nd_buf href = ND_BUF_INIT;
            if (r->doc_id) {
                doc_link(o, r->doc_id, r->title);
                LIT(o, " <small>(stored as its own document)</small>");
            } else if (r->url && nd_html_url(&href, r->url) == 0) {
                LIT(o, "<a rel=\"noopener noreferrer nofollow\" href=\"");
                nd_buf_append(o, href.ptr, href.len);
                LIT(o, "\">");
                T(o, r->title && *r->title ? r->title : r->url);
                LIT(o, "</a>");
            } else {
                T(o, r->title && *r->title ? r->title : "(untitled)");
            }
            nd_buf_free(&href);
            if (r->site || r->age) {
                LIT(o, " <small>");
                T(o, r->site);
                if (r->site && r->age) LIT(o, ", ");
                T(o, r->age);
                LIT(o, "</small>");
            }
            LIT(o, "</li>");
        }
        LIT(o, "</ul></section>");
    }
    if (p->n_copies) {
        LIT(o, "<section><h2>Copies</h2><p class=\"hint\">The same text elsewhere (duplicates "
               "and syndicated copies).</p><ul>");
        for (size_t i = 0; i < p->n_copies; i++) {
            const nd_story_article *c = &p->copies[i];
            LIT(o, "<li>");
            doc_link(o, c->id, c->title);
            LIT(o, " <small>");
            T(o, *c->outlet ? c->outlet : "unknown outlet");
            if (!c->dup_of) LIT(o, ", the original");
            LIT(o, "</small></li>");
        }
        LIT(o, "</ul></section>");
    }
    if (an && an->n_quotes) {
        LIT(o, "<section><h2>Quotations</h2>");
        for (size_t i = 0; i < an->n_quotes; i++) {
            const nd_quote *q = &an->quotes[i];
            if (q->scare || !q->speaker_name) continue;
            LIT(o, "<blockquote class=\"quote\"><p>“");
            T(o, q->text);
            LIT(o, "”</p><footer>");
            if (q->speaker >= 0 && (size_t) q->speaker < an->n_actors)
                actor_link(o, 0, an->actors[q->speaker].name, NULL);
            else
                T(o, q->speaker_name);
            nd_buf_printf(o, " <small>(%s)</small></footer></blockquote>",
                          nd_quote_type_name(q->type));
        }
        LIT(o, "</section>");
    }
    LIT(o, "</aside></div>");
    page_end(o);
}

/* ---- actors ----------------------------------------------------------------------------- */

void nd_render_html_actors(nd_buf *o, const nd_actor_list *l)
{
    page_begin(o, "Actors", "/actors", NULL);
    LIT(o, "<h1>Actors</h1><p class=\"hint\">The people, countries and organisations the articles "
           "mention most.</p><div class=\"scroll\"><table><thead><tr><th scope=\"col\">Actor</th>"
           "<th scope=\"col\">Code</th><th scope=\"col\">Kind</th><th "
           "scope=\"col\">Articles</th><th scope=\"col\">Mentions</th></tr></thead><tbody>");
    for (size_t i = 0; i < l->n; i++) {
        const nd_actor_row *a = &l->items[i];
        LIT(o, "<tr><td>");
        actor_link(o, a->id, a->name, a->code);
        LIT(o, "</td><td><code>");
        T(o, a->code);
        LIT(o, "</code></td><td>");
        T(o, a->kind);
        nd_buf_printf(o, "</td><td>%llu</td><td>%llu</td></tr>", (unsigned long long) a->documents,
                      (unsigned long long) a->mentions);
    }
    LIT(o, "</tbody></table></div>");
    if (l->r.next) {
        LIT(o, "<p><a rel=\"next\" href=\"/actors?cursor=");
        P(o, l->r.next);
        LIT(o, "\">More actors →</a></p>");
    }
    page_end(o);
}

/* A small bar chart of counts per period (server-side SVG). */
static void bars_svg(nd_buf *o, const nd_period *p, size_t n, const char *title)
{
    if (!n) return;
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (p[i].documents > max) max = p[i].documents;
    int w = 720, h = 120, left = 40;
    double step = (double) (w - left - 10) / (double) n;
    nd_buf_printf(o,
                  "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
                  "aria-labelledby=\"bars-t\"><title id=\"bars-t\">",
                  w, h + 24);
    nd_svg_text(o, title, strlen(title));
    LIT(o, "</title>");
    nd_buf_printf(o, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", left, h,
                  w - 10, h);
    for (size_t i = 0; i < n; i++) {
        double bh = (double) p[i].documents / (double) max * (h - 10);
        double x = left + step * (double) i + step * 0.15;
        nd_buf_printf(o,
                      "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">",
                      x, h - bh, step * 0.7, bh);
        LIT(o, "<title>");
        nd_svg_text(o, p[i].period, strlen(p[i].period));
        nd_buf_printf(o, ": %llu articles</title></rect>", (unsigned long long) p[i].documents);
        size_t every = n > 12 ? (n + 11) / 12 : 1;
        if (i % every == 0 || i + 1 == n) {
            nd_buf_printf(o, "<text class=\"lbl\" x=\"%.1f\" y=\"%d\">", x, h + 16);
            nd_svg_text(o, p[i].period, strlen(p[i].period));
            LIT(o, "</text>");
        }
    }
    nd_buf_printf(o, "<text class=\"lbl\" x=\"2\" y=\"14\">%llu</text></svg>",
                  (unsigned long long) max);
}

void nd_render_html_actor(nd_buf *o, const nd_html_actor *v)
{
    const nd_actor_page *p = v->actor;
    const nd_actor_row *a = p->n_actors ? &p->actors[0] : NULL;
    const char *name = a ? a->name : p->name;
    page_begin(o, name, NULL, NULL);
    LIT(o, "<h1>");
    T(o, name);
    LIT(o, "</h1>");
    if (a) {
        LIT(o, "<dl class=\"facts\"><dt>Kind</dt><dd>");
        T(o, a->kind);
        LIT(o, "</dd>");
        if (*a->code) {
            LIT(o, "<dt>CAMEO code</dt><dd><code>");
            T(o, a->code);
            LIT(o, "</code></dd>");
        }
        if (a->country) {
            LIT(o, "<dt>Country</dt><dd>");
            T(o, a->country);
            LIT(o, "</dd>");
        }
        if (a->role) {
            LIT(o, "<dt>Role</dt><dd>");
            T(o, a->role);
            LIT(o, "</dd>");
        }
        nd_buf_printf(o,
                      "<dt>Articles</dt><dd>%llu</dd><dt>Mentions</dt><dd>%llu</dd>"
                      "<dt>Quotations</dt><dd>%llu</dd><dt>Seen</dt><dd>",
                      (unsigned long long) a->documents, (unsigned long long) a->mentions,
                      (unsigned long long) a->quotes);
        span_dates(o, a->first, a->last);
        LIT(o, "</dd></dl>");
    }
    if (p->n_actors > 1) {
        LIT(o, "<p>This name means ");
        plural(o, p->n_actors, "actor", "actors");
        LIT(o, ": ");
        actors_inline(o, p->actors, p->n_actors < 20 ? p->n_actors : 20);
        LIT(o, "</p>");
    }
    if (p->n_timeline) {
        LIT(o, "<section><h2>Articles per ");
        T(o, p->period);
        LIT(o, "</h2>");
        bars_svg(o, p->timeline, p->n_timeline, "Articles that mention this actor, per period");
        LIT(o, "</section>");
    }
    LIT(o, "<div class=\"two\"><section><h2>Quotations by them</h2>");
    quotes_list(o, p->quotes, p->n_quotes, 0);
    LIT(o, "</section><section><h2>Quotations about them</h2>");
    if (v->about)
        quotes_list(o, v->about->items, v->about->n, 1);
    else
        quotes_list(o, NULL, 0, 1);
    LIT(o, "</section></div>");
    /* Events split by the side it is on. */
    int64_t id = a ? a->id : 0;
    for (int side = 0; side < 2; side++) {
        LIT(o, side ? "<section><h2>Events as target</h2>" : "<section><h2>Events as source</h2>");
        size_t n = 0;
        nd_event_row *sel = NULL;
        if (v->events && v->events->n) sel = calloc(v->events->n, sizeof *sel);
        for (size_t i = 0; sel && i < v->events->n; i++) {
            const nd_event_row *e = &v->events->items[i];
            int64_t who = side ? e->target_id : e->source_id;
            const char *code = side ? e->target_code : e->source_code;
            int mine = p->n_actors == 1
                           ? who == id
                           : (a && *a->code && !strncmp(code, p->name, strlen(p->name)));
            if (p->n_actors > 1 && !mine)
                for (size_t k = 0; k < p->n_actors && !mine; k++) mine = who == p->actors[k].id;
            if (mine) sel[n++] = *e;
        }
        events_table(o, sel, n, 1);
        free(sel);
        LIT(o, "</section>");
    }
    if (p->n_peers) {
        LIT(o, "<section><h2>Relations</h2><p class=\"hint\">Actors in the same articles");
        if (p->peers_sampled)
            nd_buf_printf(o, " (counted in the latest %llu)", (unsigned long long) p->peer_docs);
        LIT(o, ".</p><ul class=\"actors\">");
        for (size_t i = 0; i < p->n_peers; i++) {
            const nd_actor_row *x = &p->peers[i];
            LIT(o, "<li>");
            actor_link(o, x->id, x->name, x->code);
            LIT(o, " <small>");
            plural(o, x->documents, "article", "articles");
            LIT(o, "</small>");
            const char *mine = a && *a->code ? a->code : NULL;
            if (mine && *x->code) {
                LIT(o, " · <a href=\"/relations?a=");
                P(o, mine);
                LIT(o, "&amp;b=");
                P(o, x->code);
                LIT(o, "\">events between them</a>");
            }
            LIT(o, "</li>");
        }
        LIT(o, "</ul></section>");
    }
    page_end(o);
}

/* ---- relations ---------------------------------------------------------------------------- */

/* The timeline chart: mean Goldstein per period (above the line
 * cooperative, below conflictual) and the events per period, split by
 * cooperation and conflict. */
static void relations_svg(nd_buf *o, const nd_relations_page *p)
{
    size_t n = p->n_periods;
    int w = 760, top = 10, mid = 90, gh = 72, ctop = 190, ch = 60, left = 44;
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (p->periods[i].events > max) max = p->periods[i].events;
    double step = (double) (w - left - 12) / (double) (n ? n : 1);
    double bw = step * 0.6 > 48 ? 48 : step * 0.6;
    nd_buf_printf(o,
                  "<figure class=\"relchart\"><svg class=\"chart\" id=\"relchart\" viewBox=\"0 0 "
                  "%d %d\" role=\"img\" aria-labelledby=\"rel-t rel-d\"><title id=\"rel-t\">",
                  w, ctop + ch + 30);
    nd_svg_text(o, p->a, strlen(p->a));
    LIT(o, " – ");
    nd_svg_text(o, p->b, strlen(p->b));
    nd_buf_printf(o,
                  ": Goldstein score and events per %s</title><desc id=\"rel-d\">%llu events, "
                  "%llu cooperative, %llu conflictual; mean Goldstein %+.1f.</desc>",
                  p->period, (unsigned long long) p->events, (unsigned long long) p->cooperative,
                  (unsigned long long) p->conflictual, p->goldstein);
    /* Axes: +10, 0, -10 and the count axis. */
    nd_buf_printf(o,
                  "<text class=\"lbl\" x=\"2\" y=\"%d\">+10</text>"
                  "<text class=\"lbl\" x=\"14\" y=\"%d\">0</text>"
                  "<text class=\"lbl\" x=\"4\" y=\"%d\">−10</text>"
                  "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                  "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                  "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                  "<text class=\"lbl\" x=\"2\" y=\"%d\">Goldstein</text>"
                  "<text class=\"lbl\" x=\"2\" y=\"%d\">%llu</text>"
                  "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                  "<text class=\"lbl\" x=\"2\" y=\"%d\">events</text>",
                  top + 4, mid + 4, mid + gh + 4, left, top, w - 12, top, left, mid + gh, w - 12,
                  mid + gh, left, mid, w - 12, mid, mid + gh + 22, ctop + 4,
                  (unsigned long long) max, left, ctop + ch, w - 12, ctop + ch, ctop - 6);
    size_t every = n > 14 ? (n + 13) / 14 : 1;
    for (size_t i = 0; i < n; i++) {
        const nd_period *x = &p->periods[i];
        double cx = left + step * (double) i + (step - bw) / 2;
        double g = x->goldstein > 10 ? 10 : x->goldstein < -10 ? -10 : x->goldstein;
        double gh_px = g / 10.0 * gh;
        uint64_t coop = x->quad[1] + x->quad[2], conf = x->quad[3] + x->quad[4];
        LIT(o, "<g class=\"period\">");
        nd_buf_printf(o,
                      "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                      "height=\"%.1f\"><title>",
                      g >= 0 ? "gpos" : "gneg", cx, g >= 0 ? mid - gh_px : (double) mid, bw,
                      (gh_px < 0 ? -gh_px : gh_px) + 1);
        nd_svg_text(o, x->period, strlen(x->period));
        nd_buf_printf(o, ": mean Goldstein %+.1f over %llu events</title></rect>", x->goldstein,
                      (unsigned long long) x->events);
        double hc = (double) coop / (double) max * ch, hf = (double) conf / (double) max * ch;
        nd_buf_printf(o,
                      "<rect class=\"ccoop\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                      "height=\"%.1f\"><title>",
                      cx, ctop + ch - hc, bw, hc);
        nd_svg_text(o, x->period, strlen(x->period));
        nd_buf_printf(o, ": %llu cooperative</title></rect>", (unsigned long long) coop);
        nd_buf_printf(o,
                      "<rect class=\"cconf\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                      "height=\"%.1f\"><title>",
                      cx, ctop + ch - hc - hf, bw, hf);
        nd_svg_text(o, x->period, strlen(x->period));
        nd_buf_printf(o, ": %llu conflictual</title></rect>", (unsigned long long) conf);
        if (i % every == 0 || i + 1 == n) {
            nd_buf_printf(o, "<text class=\"lbl\" x=\"%.1f\" y=\"%d\">", cx, ctop + ch + 16);
            nd_svg_text(o, x->period, strlen(x->period));
            LIT(o, "</text>");
        }
        LIT(o, "</g>");
    }
    LIT(o, "</svg><figcaption>Bars above the line: cooperation (mean Goldstein score "
           "above 0); below: conflict. Lower bars: events per period, <span "
           "class=\"key coop\">cooperative</span> and <span class=\"key "
           "conf\">conflictual</span>.</figcaption></figure>");
}

void nd_render_html_relations(nd_buf *o, const nd_relations_page *p, const nd_quote_list *quotes)
{
    nd_buf title = ND_BUF_INIT;
    nd_buf_printf(&title, "%s – %s", p->a, p->b);
    page_begin(o, title.ptr ? title.ptr : "Relations", NULL, NULL);
    nd_buf_free(&title);
    LIT(o, "<h1>Relations: ");
    T(o, p->a);
    LIT(o, " – ");
    T(o, p->b);
    LIT(o, "</h1><p class=\"meta\">");
    plural(o, p->events, "event", "events");
    nd_buf_printf(o, " (%llu cooperative, %llu conflictual), mean Goldstein ",
                  (unsigned long long) p->cooperative, (unsigned long long) p->conflictual);
    goldstein(o, p->goldstein);
    LIT(o, " · <a href=\"/api/v1/relations?a=");
    P(o, p->a);
    LIT(o, "&amp;b=");
    P(o, p->b);
    LIT(o, "&amp;by=");
    P(o, p->period);
    LIT(o, "\">JSON</a></p><nav class=\"periods\" aria-label=\"Period\">By ");
    static const char *const by[] = {"day", "week", "month", "year"};
    for (int i = 0; i < 4; i++) {
        LIT(o, i ? " · " : "");
        if (!strcmp(p->period, by[i])) {
            nd_buf_printf(o, "<strong aria-current=\"true\">%s</strong>", by[i]);
            continue;
        }
        LIT(o, "<a href=\"/relations?a=");
        P(o, p->a);
        LIT(o, "&amp;b=");
        P(o, p->b);
        nd_buf_printf(o, "&amp;by=%s\">%s</a>", by[i], by[i]);
    }
    LIT(o, "</nav>");
    if (!p->events) {
        LIT(o, "<p class=\"none\">No coded events between them.</p>");
        page_end(o);
        return;
    }
    relations_svg(o, p);
    LIT(o, "<section id=\"pair-quotes\"><h2>What they say about each other</h2><p "
           "class=\"hint\">Quotations by one that name the other, in the articles that "
           "report their latest events.</p>");
    quotes_list(o, quotes ? quotes->items : NULL, quotes ? quotes->n : 0, 1);
    LIT(o, "</section>");
    LIT(o, "<details><summary>The chart as a table</summary><div class=\"scroll\"><table>"
           "<thead><tr><th scope=\"col\">Period</th><th scope=\"col\">Events</th><th "
           "scope=\"col\">Verbal coop.</th><th scope=\"col\">Material coop.</th><th "
           "scope=\"col\">Verbal conflict</th><th scope=\"col\">Material conflict</th><th "
           "scope=\"col\">Goldstein</th></tr></thead><tbody>");
    for (size_t i = 0; i < p->n_periods; i++) {
        const nd_period *x = &p->periods[i];
        LIT(o, "<tr><td>");
        T(o, x->period);
        nd_buf_printf(o,
                      "</td><td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td><td>",
                      (unsigned long long) x->events, (unsigned long long) x->quad[1],
                      (unsigned long long) x->quad[2], (unsigned long long) x->quad[3],
                      (unsigned long long) x->quad[4]);
        goldstein(o, x->goldstein);
        LIT(o, "</td></tr>");
    }
    LIT(o, "</tbody></table></div></details><section id=\"pair-events\"><h2>The events</h2>");
    events_table(o, p->items, p->n, 1);
    if (p->r.next) {
        LIT(o, "<p><a rel=\"next\" href=\"/relations?a=");
        P(o, p->a);
        LIT(o, "&amp;b=");
        P(o, p->b);
        LIT(o, "&amp;by=");
        P(o, p->period);
        LIT(o, "&amp;cursor=");
        P(o, p->r.next);
        LIT(o, "\">Older events →</a></p>");
    }
    LIT(o, "</section>");
    page_end(o);
}

/* ---- search ------------------------------------------------------------------------------- */

/* The search's own link with one filter set (or cleared: value NULL). */
static void search_href(nd_buf *o, const nd_query_opts *q, const char *field, const char *value)
{
    static const char *const names[] = {"q", "site", "language", "actor", "since", "until"};
    const char *vals[] = {q->text, q->site, q->language, q->actor, q->since, q->until};
    LIT(o, "/search?");
    int first = 1;
    for (int i = 0; i < 6; i++) {
        const char *v = !strcmp(names[i], field) ? value : vals[i];
        if (!v || !*v) continue;
        nd_buf_printf(o, "%s%s=", first ? "" : "&amp;", names[i]);
        P(o, v);
        first = 0;
    }
}

static void facet_html(nd_buf *o, const nd_html_search *v, const nd_facet *f)
{
    if (!f->n) return;
    const char *field = !strcmp(f->field, "day") ? "since" : f->field;
    static const char *const heads[][2] = {
        {"site", "Outlet"}, {"day", "Date"}, {"language", "Language"}, {"actor", "Actor"}};
    const char *head = f->field;
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(heads[i][0], f->field)) head = heads[i][1];
    nd_buf_printf(o, "<section class=\"facet\"><h3>%s</h3><ul>", head);
    for (size_t i = 0; i < f->n; i++) {
        const nd_count *c = &f->values[i];
        if (!c->value || !*c->value) continue;
        LIT(o, "<li><a href=\"");
        if (!strcmp(f->field, "day")) {
            /* A day: since and until that day. */
            nd_query_opts q = *v->q;
            q.until = c->value;
            search_href(o, &q, "since", c->value);
        } else {
            search_href(o, v->q, field, c->value);
        }
        LIT(o, "\">");
        T(o, c->value);
        nd_buf_printf(o, "</a> <small>%llu</small></li>", (unsigned long long) c->n);
    }
    LIT(o, "</ul></section>");
}

static void hit_html(nd_buf *o, const nd_hit *h, const nd_quote_list *q, const nd_event_list *ev)
{
    LIT(o, "<li class=\"hit\"><h2>");
    doc_link(o, h->id, h->title);
    LIT(o, "</h2><p class=\"meta\">");
    T(o, h->site && *h->site ? h->site : h->host ? h->host : "");
    LIT(o, " · ");
    time_el(o, h->published, 0);
    LIT(o, "</p><p class=\"snippet\">");
    const char *s = h->snippet ? h->snippet : "";
    size_t at = 0, len = strlen(s);
    for (size_t m = 0; m < h->n_marks; m++) {
        size_t a = h->marks[m].start, e = h->marks[m].end;
        if (a < at || e < a || e > len) continue;
        nd_html_text(o, s + at, a - at);
        LIT(o, "<mark>");
        nd_html_text(o, s + a, e - a);
        LIT(o, "</mark>");
        at = e;
    }
    nd_html_text(o, s + at, len - at);
    LIT(o, "</p>");
    if (q && q->n) {
        LIT(o, "<div class=\"hit-quotes\"><h3 class=\"sub\">Quotes</h3>");
        quotes_list(o, q->items, q->n, 1);
        LIT(o, "</div>");
    }
    if (ev && ev->n) {
        LIT(o, "<div class=\"hit-events\"><h3 class=\"sub\">Events</h3>");
        events_brief(o, ev->items, ev->n);
        LIT(o, "</div>");
    }
    LIT(o, "</li>");
}

void nd_render_html_search(nd_buf *o, const nd_html_search *v)
{
    const nd_query_opts *q = v->q;
    page_begin(o, q->text && *q->text ? q->text : "Search", "/search", q->text);
    LIT(o, "<h1>Search</h1><form class=\"search\" action=\"/search\" method=\"get\">"
           "<p><label for=\"q\">Words</label> <input id=\"q\" type=\"search\" name=\"q\" "
           "size=\"40\" value=\"");
    A(o, q->text);
    LIT(o, "\"></p><p class=\"filters\">");
    static const char *const f[][2] = {{"site", "Outlet"},
                                       {"language", "Language"},
                                       {"actor", "Actor"},
                                       {"since", "Since"},
                                       {"until", "Until"}};
    const char *vals[] = {q->site, q->language, q->actor, q->since, q->until};
    for (int i = 0; i < 5; i++) {
        nd_buf_printf(o, "<label for=\"f-%s\">%s</label> <input id=\"f-%s\" name=\"%s\" value=\"",
                      f[i][0], f[i][1], f[i][0], f[i][0]);
        A(o, vals[i]);
        nd_buf_printf(o, "\"%s> ", i >= 3 ? " placeholder=\"2025-05-08\" size=\"10\"" : "");
    }
    LIT(o, "<button type=\"submit\">Search</button></p></form>"
           "<details class=\"syntax\"><summary>Query syntax</summary><ul>"
           "<li><code>steel friends</code>: both words (any order, any form: "
           "<code>talks</code> finds <code>talk</code>)</li>"
           "<li><code>\"friends of steel\"</code>: the phrase</li>"
           "<li><code>Putin OR Xi</code>, <code>Putin NOT Trump</code>, parentheses to "
           "group</li>"
           "<li><code>negotiat*</code>: words that start so</li>"
           "<li><code>title: ceasefire</code>: in the headline only</li>"
           "<li>Outlet: a site name or host; Actor: a name, \"Putin\", or a CAMEO code "
           "(<code>RUS</code>); dates as 2025-05-08.</li></ul></details>");
    if (v->error) {
        LIT(o, "<p class=\"error\" role=\"alert\">");
        T(o, v->error);
        LIT(o, "</p>");
    }
    if (v->hits) {
        LIT(o, "<div class=\"with-side\"><div>");
        if (!v->hits->n) LIT(o, "<p class=\"none\">No matches.</p>");
        LIT(o, "<ol class=\"hits\">");
        for (size_t i = 0; i < v->hits->n; i++)
            hit_html(o, &v->hits->items[i], v->hit_quotes ? v->hit_quotes[i] : NULL,
                     v->hit_events ? v->hit_events[i] : NULL);
        LIT(o, "</ol>");
        if (v->hits->r.next) {
            LIT(o, "<p><a rel=\"next\" href=\"");
            search_href(o, q, "", NULL);
            LIT(o, "&amp;cursor=");
            P(o, v->hits->r.next);
            LIT(o, "\">More results →</a></p>");
        }
        LIT(o, "</div><aside class=\"side facets\" aria-label=\"Refine\">");
        if (v->facets) {
            LIT(o, "<h2>Refine</h2><p class=\"hint\">");
            plural(o, v->facets->matches, "match", "matches");
            LIT(o, v->facets->sampled ? " counted (the newest)" : "");
            LIT(o, "</p>");
            for (size_t i = 0; i < v->facets->n; i++) facet_html(o, v, &v->facets->items[i]);
        }
        LIT(o, "</aside></div>");
    }
    page_end(o);
}

/* ---- briefing, errors ------------------------------------------------------------------------ */

static const char DIGEST_STYLE[] =
    "body{font:16px/1.5 Georgia,serif;max-width:40em;margin:1em auto;padding:0 1em;color:#1a1a1a}"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-bottom:.2em}a{color:#0b4f8a}"
    ".meta,.hint{color:#555;font-size:.9em}blockquote{margin:.5em 0 .5em 1em;padding-left:.8em;"
    "border-left:3px solid #ccc}table{border-collapse:collapse;font-size:.85em}"
    "td,th{border-bottom:1px solid #ddd;padding:.2em .4em;text-align:left}"
    ".tags{list-style:none;padding:0}.tags li{display:inline;margin-right:.6em}";

static void digest_html(nd_buf *o, const nd_briefing *b, int standalone);

/* The site's own links (href="/...") made absolute: base_url (its
 * trailing slashes dropped, attribute-escaped) before each.  Text from
 * pages never holds href="/ here: its quotation marks are escaped. */
static void absolute_links(nd_buf *o, const char *html, size_t n, const char *base_url)
{
    size_t bn = strlen(base_url);
    while (bn > 0 && base_url[bn - 1] == '/') bn--;
    static const char needle[] = "href=\"/";
    const char *p = html, *end = html + n;
    for (const char *hit; p < end && (hit = strstr(p, needle)) != NULL;
         p = hit + sizeof needle - 1) {
        nd_buf_append(o, p, (size_t) (hit - p) + 6);
        nd_html_attr(o, base_url, bn);
        nd_buf_putc(o, '/');
    }
    nd_buf_append(o, p, (size_t) (end - p));
}

void nd_render_html_digest(nd_buf *o, const nd_briefing *b, int standalone, const char *base_url)
{
    if (!base_url || !*base_url) {
        digest_html(o, b, standalone);
        return;
    }
    nd_buf t = ND_BUF_INIT;
    digest_html(&t, b, standalone);
    absolute_links(o, t.ptr ? t.ptr : "", t.len, base_url);
    if (nd_buf_failed(&t)) o->failed = 1;
    nd_buf_free(&t);
}

static void digest_html(nd_buf *o, const nd_briefing *b, int standalone)
{
    char w[40];
    if (standalone) {
        LIT(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Briefing");
        if (b->day) {
            LIT(o, " ");
            T(o, when(b->day, 0, w));
        }
        LIT(o, "</title><style>");
        LIT(o, DIGEST_STYLE);
        LIT(o, "</style></head><body><main>");
    } else {
        page_begin(o, "Briefing", "/digest", NULL);
    }
    LIT(o, "<h1>Briefing");
    if (b->day) {
        LIT(o, ": ");
        time_el(o, b->day, 0);
    }
    LIT(o, "</h1>");
    if (!standalone) {
        day_nav(o, b, "/digest");
        /* The same for e-mail, its links absolute to this site. */
        static const char *const fmt[][2] = {{"md", "Markdown"}, {"html", "HTML"}};
        LIT(o, "<p class=\"hint\">For e-mail: ");
        for (int i = 0; i < 2; i++) {
            nd_buf_printf(o, "%s<a href=\"/digest?format=%s", i ? " · " : "", fmt[i][0]);
            if (b->day) {
                LIT(o, "&amp;date=");
                P(o, b->day);
            }
            nd_buf_printf(o, "\">%s</a>", fmt[i][1]);
        }
        LIT(o, "</p>");
    }
    if (!b->n) LIT(o, "<p class=\"none\">No stories.</p>");
    for (size_t i = 0; i < b->n; i++) brief_card(o, &b->items[i], 1);
    if (standalone)
        LIT(o, "</main></body></html>\n");
    else
        page_end(o);
}

void nd_render_html_error(nd_buf *o, int status, const char *message)
{
    char title[64];
    snprintf(title, sizeof title, "%d %s", status,
             status == 404   ? "Not found"
             : status == 400 ? "Bad request"
             : status == 405 ? "Method not allowed"
                             : "Error");
    page_begin(o, title, NULL, NULL);
    LIT(o, "<h1>");
    T(o, title);
    LIT(o, "</h1><p class=\"error\" role=\"alert\">");
    T(o, message);
    LIT(o, "</p><p><a href=\"/\">Today's stories</a> · <a href=\"/search\">Search</a></p>");
    page_end(o);
}
