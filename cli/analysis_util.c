/* analysis_util.c - what the analysis commands (quotes, actors, actor,
 * relations, events, show) share. */
#include <string.h>

#include "cli.h"

const char *cli_day(const char *date, char out[16])
{
    if (!date || strlen(date) < 10) return "-";
    memcpy(out, date, 10);
    out[10] = 0;
    return out;
}

void cli_doc_cell(char *out, size_t n, const char *ext_id, int64_t id, const char *title,
                  const char *site)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long) id);
    snprintf(out, n, "%s %s%s%s%s", ext_id ? ext_id : num, title ? title : "", site ? " (" : "",
             site ? site : "", site ? ")" : "");
}

void cli_where(char *out, size_t n, const char *source, int64_t offset, int64_t line)
{
    if (!source) source = "?";
    if (offset >= 0)
        snprintf(out, n, "%s@%lld", source, (long long) offset);
    else if (line >= 0)
        snprintf(out, n, "%s:%lld", source, (long long) line);
    else
        snprintf(out, n, "%s", source);
}

cli_table *cli_quote_table(void)
{
    static const char *const headers[] = {"DATE", "SPEAKER", "TYPE", "QUOTE", "DOCUMENT"};
    return cli_table_new(5, headers, "<<<~<");
}

void cli_quote_row(cli_table *t, const nd_quote_row *q)
{
    char day[16], doc[600];
    nd_buf text = ND_BUF_INIT;
    if (strcmp(q->type, "indirect") != 0)
        nd_buf_printf(&text, "\xe2\x80\x9c%s\xe2\x80\x9d", q->text);
    else
        nd_buf_puts(&text, q->text);
    cli_doc_cell(doc, sizeof doc, q->ext_id, q->doc_id, q->title, q->site);
    const char *cells[] = {cli_day(q->date, day), q->speaker ? q->speaker : "-", q->type,
                           text.ptr ? text.ptr : "", doc};
    cli_table_add(t, cells, NULL);
    nd_buf_free(&text);
}

int cli_check_period(cli_args *a)
{
    static const char *const names[] = {"day", "week", "month", "year"};
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(a->value, names[i])) return 0;
    const char *m = cli_closest(a->value, names, 4);
    if (m)
        cli_usage(a->cmd, "--by: day, week, month or year, not '%s' (did you mean %s?)", a->value,
                  m);
    else
        cli_usage(a->cmd, "--by: day, week, month or year, not '%s'", a->value);
    a->status = ND_EXIT_USAGE;
    return -1;
}

void cli_analysis_summary(nd_buf *out, const nd_analysis *a)
{
    /* The most mentioned actors first. */
    size_t shown = 0;
    nd_buf_printf(out, "%-10s ", "actors");
    if (!a->n_actors) nd_buf_puts(out, "none");
    uint8_t used[64] = {0};
    for (; shown < 8 && shown < a->n_actors && shown < 64; shown++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < a->n_actors && i < 64; i++)
            if (!used[i] &&
                (best == SIZE_MAX || a->actors[i].n_mentions > a->actors[best].n_mentions))
                best = i;
        if (best == SIZE_MAX) break;
        used[best] = 1;
        nd_buf_printf(out, "%s%s (%u)", shown ? ", " : "", a->actors[best].name,
                      (unsigned) a->actors[best].n_mentions);
    }
    if (a->n_actors > shown) nd_buf_printf(out, ", and %zu more", a->n_actors - shown);
    nd_buf_putc(out, '\n');
    size_t attributed = 0;
    for (size_t i = 0; i < a->n_quotes; i++) attributed += a->quotes[i].speaker >= 0;
    nd_buf_printf(out, "%-10s %zu (%zu attributed to actors)\n", "quotes", a->n_quotes, attributed);
    nd_buf_printf(out, "%-10s %zu\n", "events", a->n_events);
}
