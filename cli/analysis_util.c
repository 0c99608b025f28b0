/* analysis_util.c - what the analysis commands (quotes, actors, actor,
 * relations, events, show) share. */
#include <string.h>

#include "cli.h"

const char *cli_event_name(const char *code)
{
    const char *name = NULL;
    const nd_analyze_dict *d = nd_analyze_dict_default(NULL);
    if (!d || !code || nd_cameo_lookup(d, code, &name, NULL, NULL) != 0 || !name) return "";
    return name;
}

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

const char *cli_quad_name(int quad)
{
    switch (quad) {
    case 1: return "verbal cooperation";
    case 2: return "material cooperation";
    case 3: return "verbal conflict";
    case 4: return "material conflict";
    default: return "";
    }
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

nd_store *cli_open_analysis_store(const char *db)
{
    nd_store *s = cli_open_store(cli_db_path(db), 0);
    if (!s) return NULL;
    uint64_t docs = 0, done = 0;
    if (nd_store_analysis_count(s, &docs, &done, NULL) == 0 && done < docs)
        cli_error(NULL,
                  "%llu of %llu documents have not been analysed (stored before analysis"
                  " existed, or ingested with --no-analysis): newsdesk reanalyze does it",
                  (unsigned long long) (docs - done), (unsigned long long) docs);
    return s;
}

void cli_actor_json(nd_json *j, const nd_store_actor *a)
{
    nd_json_obj_begin(j);
    nd_json_key(j, "name");
    nd_json_str(j, a->name);
    nd_json_key(j, "code");
    nd_json_str(j, *a->code ? a->code : NULL);
    nd_json_key(j, "kind");
    nd_json_str(j, a->kind);
    nd_json_key(j, "country");
    nd_json_str(j, a->country);
    nd_json_key(j, "role");
    nd_json_str(j, a->role);
    nd_json_key(j, "documents");
    nd_json_int(j, (long long) a->documents);
    nd_json_key(j, "mentions");
    nd_json_int(j, (long long) a->mentions);
    nd_json_obj_end(j);
}
