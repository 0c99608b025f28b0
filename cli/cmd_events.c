/* cmd_events.c - `newsdesk events`: the coded events of the store as a
 * table, JSON lines, or the GDELT 2.0 event table's 61 tab-separated
 * columns. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk events [OPTIONS]\n"
    "\n"
    "The coded events in the store (the latest version of each page): date,\n"
    "source and target actors, CAMEO code, Goldstein score.  The table shows\n"
    "the newest first; jsonl and gdelt write them all, oldest first.\n"
    "\n"
    "  -f, --format FMT   table (default), jsonl, or gdelt: the 61 tab-separated\n"
    "                     columns of the GDELT 2.0 event table, in its order,\n"
    "                     one event mention a line (NumMentions, NumSources and\n"
    "                     NumArticles are 1; tone and geography are empty;\n"
    "                     Day is empty when the event has no date)\n"
    "      --header       with gdelt, a first line of column names\n"
    "      --actor NAME   only events NAME takes part in (as in relations)\n"
    "      --since DATE   events on or after DATE (ISO 8601)\n"
    "  -n, --limit N      at most N events (default: 100 in the table; 0: all)\n"
    "      --db PATH      the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -h, --help         this text\n";

enum fmt { FMT_TABLE, FMT_JSONL, FMT_GDELT };

/* The GDELT 2.0 event table, in its column order (61). */
static const char *const gdelt_columns[] = {"GlobalEventID",
                                            "Day",
                                            "MonthYear",
                                            "Year",
                                            "FractionDate",
                                            "Actor1Code",
                                            "Actor1Name",
                                            "Actor1CountryCode",
                                            "Actor1KnownGroupCode",
                                            "Actor1EthnicCode",
                                            "Actor1Religion1Code",
                                            "Actor1Religion2Code",
                                            "Actor1Type1Code",
                                            "Actor1Type2Code",
                                            "Actor1Type3Code",
                                            "Actor2Code",
                                            "Actor2Name",
                                            "Actor2CountryCode",
                                            "Actor2KnownGroupCode",
                                            "Actor2EthnicCode",
                                            "Actor2Religion1Code",
                                            "Actor2Religion2Code",
                                            "Actor2Type1Code",
                                            "Actor2Type2Code",
                                            "Actor2Type3Code",
                                            "IsRootEvent",
                                            "EventCode",
                                            "EventBaseCode",
                                            "EventRootCode",
                                            "QuadClass",
                                            "GoldsteinScale",
                                            "NumMentions",
                                            "NumSources",
                                            "NumArticles",
                                            "AvgTone",
                                            "Actor1Geo_Type",
                                            "Actor1Geo_FullName",
                                            "Actor1Geo_CountryCode",
                                            "Actor1Geo_ADM1Code",
                                            "Actor1Geo_ADM2Code",
                                            "Actor1Geo_Lat",
                                            "Actor1Geo_Long",
                                            "Actor1Geo_FeatureID",
                                            "Actor2Geo_Type",
                                            "Actor2Geo_FullName",
                                            "Actor2Geo_CountryCode",
                                            "Actor2Geo_ADM1Code",
                                            "Actor2Geo_ADM2Code",
                                            "Actor2Geo_Lat",
                                            "Actor2Geo_Long",
                                            "Actor2Geo_FeatureID",
                                            "ActionGeo_Type",
                                            "ActionGeo_FullName",
                                            "ActionGeo_CountryCode",
                                            "ActionGeo_ADM1Code",
                                            "ActionGeo_ADM2Code",
                                            "ActionGeo_Lat",
                                            "ActionGeo_Long",
                                            "ActionGeo_FeatureID",
                                            "DATEADDED",
                                            "SOURCEURL"};

_Static_assert(sizeof gdelt_columns / sizeof *gdelt_columns == 61, "GDELT 2.0 has 61 columns");

/* CAMEO actor type codes (the third-level role codes of an actor code). */
static const char *const type_codes[] = {
    "COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS",
    "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "MNC",
    "MOD", "RAD", "REF", "SET", "IGO", "IMG", "INT", "NGM", "NGO", "UIS", "PTY", "RES"};
/* CAMEO religion codes. */
static const char *const religion_codes[] = {
    "ADR", "ALE", "ATH", "BAH", "BUD", "CHR", "CON", "CPT", "CTH", "DOX", "DRZ",
    "HIN", "HSD", "ITH", "JAN", "JEW", "JHW", "LDS", "MOS", "MRN", "NRM", "ORT",
    "PAG", "PRO", "SFI", "SHI", "SHN", "SIK", "SUN", "TAO", "UDX", "ZRO"};

/* CAMEO region codes, which GDELT gives as country codes. */
static const char *const region_codes[] = {
    "AFR", "ASA", "BLK", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR", "LAM", "MEA",
    "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF", "WST", "CRB"};

static int in_list(const char *c, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strncmp(c, list[i], 3)) return 1;
    return 0;
}

/* An actor code cut into GDELT's fields: country (or region), known
 * group, religion 1-2, type 1-3 (ethnic codes are not produced):
 * RUSGOV -> RUS, GOV; IGOUNO -> IGO, UNO; IGOEUREEC -> EUR, EEC, IGO. */
typedef struct code_parts {
    char country[4], group[4], rel[2][4], type[3][4];
} code_parts;

static void split_code(const char *code, const char *country, code_parts *p)
{
    memset(p, 0, sizeof *p);
    size_t n = strlen(code);
    int nr = 0, nt = 0;
    for (size_t i = 0; i + 3 <= n; i += 3) {
        char c[4] = {code[i], code[i + 1], code[i + 2], 0};
        if (!strcmp(c, "---")) continue;
        int is_type = in_list(c, type_codes, sizeof type_codes / sizeof *type_codes);
        int is_rel = in_list(c, religion_codes, sizeof religion_codes / sizeof *religion_codes);
        int is_region = in_list(c, region_codes, sizeof region_codes / sizeof *region_codes);
        if (!p->country[0] && !is_type && !is_rel &&
            ((i == 0 && (!country || !strcmp(country, c))) || is_region)) {
            memcpy(p->country, c, 4);
        } else if (is_type) {
            if (nt < 3) memcpy(p->type[nt++], c, 4);
        } else if (is_rel) {
            if (nr < 2) memcpy(p->rel[nr++], c, 4);
        } else {
            memcpy(p->group, c, 4); /* the last, most specific */
        }
    }
}

/* A field without tabs or line breaks, and safe for a terminal. */
static void put_field(nd_buf *b, const char *s)
{
    for (; s && *s; s++) {
        size_t n = strcspn(s, "\t\n\r");
        cli_term_append(b, s, n, 0);
        s += n;
        if (!*s) break;
        nd_buf_putc(b, ' ');
    }
}

static void put_actor(nd_buf *b, const char *code, const char *name, const char *country)
{
    code_parts p;
    split_code(code, country, &p);
    put_field(b, code);
    nd_buf_putc(b, '\t');
    put_field(b, *code ? name : NULL);
    nd_buf_printf(b, "\t%s\t%s\t\t%s\t%s\t%s\t%s\t%s\t", p.country, p.group, p.rel[0], p.rel[1],
                  p.type[0], p.type[1], p.type[2]);
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void gdelt_row(nd_buf *b, const nd_event_row *e)
{
    nd_buf_printf(b, "%lld\t", (long long) e->id);
    int y, m, d;
    if (e->date && sscanf(e->date, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
        int doy = before[(m - 1) % 12] + d + (m > 2 && leap(y));
        /* The fraction of the year completed by that day, as GDELT gives
         * it (2019-01-25 is 2019.0685). */
        double f = doy / 365.0;
        if (f > 0.9999) f = 0.9999;
        nd_buf_printf(b, "%04d%02d%02d\t%04d%02d\t%04d\t%.4f\t", y, m, d, y, m, y, y + f);
    } else {
        nd_buf_puts(b, "\t\t\t\t");
    }
    put_actor(b, e->source_code, e->source_name, e->source_country);
    put_actor(b, e->target_code, e->target_name, e->target_country);
    char base[8], root[8];
    snprintf(base, sizeof base, "%.3s", e->code);
    snprintf(root, sizeof root, "%.2s", e->code);
    nd_buf_printf(b, "%d\t%s\t%s\t%s\t%d\t%.1f\t1\t1\t1\t", e->lead, e->code, base, root, e->quad,
                  e->goldstein);
    /* AvgTone, then Actor1Geo_*, Actor2Geo_*, ActionGeo_* (8 each): empty. */
    for (int i = 0; i < 1 + 24; i++) nd_buf_putc(b, '\t');
    /* DATEADDED: YYYYMMDDHHMMSS (UTC) of when the document was stored. */
    int hh = 0, mi = 0, ss = 0;
    if (e->added && sscanf(e->added, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &m, &d, &hh, &mi, &ss) >= 3)
        nd_buf_printf(b, "%04d%02d%02d%02d%02d%02d", y, m, d, hh, mi, ss);
    nd_buf_putc(b, '\t');
    put_field(b, e->url);
    nd_buf_putc(b, '\n');
}

int cmd_events(int argc, char **argv)
{
    static const cli_opt opts[] = {{"format", 'f', 1, 'f'},
                                   {"header", 0, 0, 'H'},
                                   {"actor", 0, 1, 'a'},
                                   {"since", 0, 1, 's'},
                                   CLI_OPT_LIMIT,
                                   CLI_OPT_DB,
                                   CLI_OPT_HELP,
                                   CLI_OPT_END};
    enum fmt fmt = FMT_TABLE;
    int header = 0, id;
    nd_query_opts q;
    memset(&q, 0, sizeof q);
    cli_args a;
    cli_args_init(&a, "events", usage_text, opts, argc, argv);
    a.limit = -1;
    a.limit_min = 0;
    a.limit_max = 1000000000;
    while ((id = cli_next(&a)) > 0) {
        switch (id) {
        case 'f':
            if (!strcmp(a.value, "gdelt"))
                fmt = FMT_GDELT;
            else if (!strcmp(a.value, "jsonl"))
                fmt = FMT_JSONL;
            else if (!strcmp(a.value, "table"))
                fmt = FMT_TABLE;
            else
                return cli_args_fail(&a, "unknown format '%s' (table, jsonl, gdelt)", a.value);
            break;
        case 'H': header = 1; break;
        case 'a': q.actor = a.value; break;
        case 's': q.since = a.value; break;
        }
    }
    if (id < 0 || cli_args_count(&a, 0, 0, "")) return cli_args_exit(&a);
    cli_args_free(&a);
    /* The table shows the newest 100; jsonl and gdelt write them all,
     * oldest first, a page at a time. */
    long long limit = a.limit >= 0 ? a.limit : fmt == FMT_TABLE ? 100 : 0;
    q.oldest_first = fmt != FMT_TABLE;
    nd_store *s = cli_open_analysis(cli_db_path(a.db));
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_buf out = ND_BUF_INIT;
    if (fmt == FMT_GDELT && header)
        for (size_t i = 0; i < 61; i++)
            nd_buf_printf(&out, "%s%c", gdelt_columns[i], i == 60 ? '\n' : '\t');
    cli_table *t = NULL;
    if (fmt == FMT_TABLE) {
        static const char *const headers[] = {"DATE",  "SOURCE",    "TARGET",  "CODE",
                                              "EVENT", "GOLDSTEIN", "DOCUMENT"};
        t = cli_table_new(7, headers, "<<<<~><");
    }
    cli_pager pg = {limit, 0, NULL};
    int rc = 0, closed = 0;
    nd_error err = {0};
    do {
        q.limit = cli_page_size(&pg);
        nd_event_list *r = NULL;
        rc = nd_query_events(s, &q, &r, &err);
        cli_pager_took(&pg, r, r ? r->n : 0);
        if (rc) break;
        for (size_t i = 0; i < r->n; i++) {
            const nd_event_row *e = &r->items[i];
            if (fmt == FMT_GDELT) {
                gdelt_row(&out, e);
            } else if (fmt == FMT_JSONL) {
                CLI_JSON_LINES(&out, e, 1, nd_render_json_event);
            } else {
                char day[16], src[300], tgt[300], g[32], doc[600];
                snprintf(src, sizeof src, "%s", *e->source_code ? e->source_code : "-");
                snprintf(tgt, sizeof tgt, "%s", *e->target_code ? e->target_code : "-");
                snprintf(g, sizeof g, "%+.1f", e->goldstein);
                cli_doc_cell(doc, sizeof doc, e->ext_id, e->doc_id, e->title, e->site);
                const char *cells[] = {cli_day(e->date, day), src, tgt, e->code,
                                       e->code_name,          g,   doc};
                cli_table_add(t, cells, NULL);
            }
        }
        if (!t && cli_flush(&out, 0)) {
            closed = 1;
            break;
        }
        q.cursor = r->r.next;
    } while (cli_pager_more(&pg, q.cursor));
    cli_pager_end(&pg);
    nd_store_close(s);
    if (rc) {
        cli_table_free(t);
        nd_buf_free(&out);
        return cli_query_error("events", rc, &err);
    }
    if (t) cli_table_print(t, stdout, cli_term_width());
    if (!closed) cli_flush(&out, 1);
    cli_table_free(t);
    nd_buf_free(&out);
    return ND_EXIT_OK;
}
