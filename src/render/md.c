/* md.c - the briefing as Markdown (newsdesk/render.h): `newsdesk digest`,
 * a text that reads well as an e-mail and renders as Markdown. */
#include <stdio.h>
#include <string.h>

#include "newsdesk/render.h"

/* Text from a page: Markdown's special characters escaped, line breaks
 * as spaces, controls as U+FFFD, bidi controls dropped, '<' and '>' as
 * entities (Markdown passes HTML through). */
static void md_text(nd_buf *o, const char *s)
{
    if (!s) return;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char) s[i];
        if (c >= 0x80) {
            uint32_t cp = 0;
            size_t k = nd_utf8_decode(s + i, n - i, &cp);
            if (k && cp > 0x9F && !nd_bidi_control(cp))
                nd_buf_append(o, s + i, k);
            else if (!k || !nd_bidi_control(cp))
                nd_buf_puts(o, "\xEF\xBF\xBD");
            i += k ? k : 1;
            continue;
        }
        if (c == '\n' || c == '\r' || c == '\t')
            nd_buf_putc(o, ' ');
        else if (c < 0x20 || c == 0x7F)
            nd_buf_puts(o, "\xEF\xBF\xBD");
        else if (c == '<')
            nd_buf_puts(o, "&lt;");
        else if (c == '>')
            nd_buf_puts(o, "&gt;");
        else if (strchr("\\`*_[]()#+-!|~{}", c)) {
            nd_buf_putc(o, '\\');
            nd_buf_putc(o, (char) c);
        } else
            nd_buf_putc(o, (char) c);
        i++;
    }
}

/* The day of a stored date ("2025-03-05") as it is, else as text. */
static void md_day(nd_buf *o, const char *iso)
{
    if (strspn(iso, "0123456789-") >= 10)
        nd_buf_append(o, iso, 10);
    else
        md_text(o, iso);
}

static void link(nd_buf *o, const char *text, const char *base, const char *path, int64_t id)
{
    nd_buf_putc(o, '[');
    md_text(o, text && *text ? text : "(untitled)");
    /* The base's trailing slashes dropped: "https://x/" + "/stories". */
    int bn = base ? (int) strlen(base) : 0;
    while (bn > 0 && base[bn - 1] == '/') bn--;
    nd_buf_printf(o, "](%.*s%s/%lld)", bn, base ? base : "", path, (long long) id);
}

void nd_render_md_digest(nd_buf *o, const nd_briefing *b, const char *base)
{
    nd_buf_puts(o, "# Briefing");
    if (b->day) nd_buf_printf(o, ": %s", b->day);
    nd_buf_puts(o, "\n\n");
    if (!b->n) nd_buf_puts(o, "No stories.\n");
    for (size_t i = 0; i < b->n; i++) {
        const nd_brief *x = &b->items[i];
        const nd_story_row *s = &x->story;
        nd_buf_printf(o, "## %zu. ", i + 1);
        link(o, s->headline, base, "/stories", s->id);
        nd_buf_printf(o, "\n\n%llu article%s from %llu outlet%s",
                      (unsigned long long) (s->n_docs - s->n_dups),
                      s->n_docs - s->n_dups == 1 ? "" : "s", (unsigned long long) s->n_sites,
                      s->n_sites == 1 ? "" : "s");
        if (s->first_seen) {
            nd_buf_puts(o, ", ");
            md_day(o, s->first_seen);
            if (s->last_seen && strncmp(s->last_seen, s->first_seen, 10)) {
                nd_buf_puts(o, " to ");
                md_day(o, s->last_seen);
            }
        }
        if (x->n_outlets) {
            nd_buf_puts(o, ": ");
            for (size_t k = 0; k < x->n_outlets; k++) {
                if (k) nd_buf_puts(o, ", ");
                md_text(o, x->outlets[k]);
            }
        }
        nd_buf_puts(o, "\n\n");
        for (size_t k = 0; k < x->n_summary; k++) {
            md_text(o, x->summary[k].text);
            nd_buf_putc(o, ' ');
        }
        if (x->n_summary) nd_buf_puts(o, "\n\n");
        if (x->n_keywords) {
            nd_buf_puts(o, "Keywords: ");
            for (size_t k = 0; k < x->n_keywords; k++) {
                if (k) nd_buf_puts(o, ", ");
                md_text(o, x->keywords[k].text);
            }
            nd_buf_puts(o, "\n\n");
        }
        for (size_t k = 0; k < x->n_quotes; k++) {
            const nd_quote_row *q = &x->quotes[k];
            nd_buf_puts(o, "> “");
            md_text(o, q->text);
            nd_buf_puts(o, "”  \n> — ");
            md_text(o, q->speaker);
            nd_buf_puts(o, ", ");
            link(o, q->site && *q->site ? q->site : q->title, base, "/articles", q->doc_id);
            nd_buf_puts(o, "\n\n");
        }
        for (size_t k = 0; k < x->n_events; k++) {
            const nd_event_row *e = &x->events[k];
            nd_buf_puts(o, "- ");
            md_text(o, e->source_name ? e->source_name : e->source_code);
            nd_buf_puts(o, " → ");
            md_text(o, e->target_name ? e->target_name : e->target_code);
            nd_buf_puts(o, ": ");
            md_text(o, e->code_name && *e->code_name ? e->code_name : e->code);
            nd_buf_puts(o, " (CAMEO ");
            md_text(o, e->code);
            nd_buf_printf(o, ", Goldstein %+.1f), ", e->goldstein);
            link(o, e->site && *e->site ? e->site : e->title, base, "/articles", e->doc_id);
            nd_buf_putc(o, '\n');
        }
        if (x->n_events) nd_buf_putc(o, '\n');
    }
}
