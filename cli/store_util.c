/* store_util.c - what the store commands share: finding and opening the
 * database, and a document as JSON (export, show --json). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_db_path(const char *opt)
{
    if (opt && *opt) return opt;
    const char *env = getenv("NEWSDESK_DB");
    if (env && *env) return env;
    return ND_STORE_DEFAULT_PATH;
}

nd_store *cli_open_store(const char *path, unsigned flags)
{
    nd_store *s = NULL;
    nd_error err = {0};
    int rc = nd_store_open(path, flags, &s, &err);
    if (rc) {
        cli_error(NULL, "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return NULL;
    }
    return s;
}

static void hex64(nd_json *j, uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%016llx", (unsigned long long) v);
    nd_json_str(j, b);
}

static void str_or_null(nd_json *j, const char *key, const char *v)
{
    nd_json_key(j, key);
    nd_json_str(j, v);
}

void cli_doc_id_json(nd_json *j, const char *ext_id, int64_t id)
{
    nd_json_key(j, "id");
    if (ext_id)
        nd_json_str(j, ext_id);
    else
        nd_json_int(j, id);
    nd_json_key(j, "doc_id");
    nd_json_int(j, id);
}

/* The keys, in order.  Later stages add theirs after "related": "story"
 * and "dup_of" (stories), "actors", "quotes" and "events" (analysis). */
void cli_doc_json(nd_json *j, const nd_store_doc *d)
{
    nd_json_obj_begin(j);
    cli_doc_id_json(j, d->ext_id, d->id);
    str_or_null(j, "ext_id", d->ext_id);
    str_or_null(j, "url", d->url);
    str_or_null(j, "host", d->host);
    str_or_null(j, "site", d->site);
    str_or_null(j, "title", d->title);
    nd_json_key(j, "author");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < d->n_authors; i++) nd_json_str(j, d->authors[i]);
    nd_json_arr_end(j);
    str_or_null(j, "published", d->published);
    str_or_null(j, "fetched", d->fetched);
    str_or_null(j, "language", d->language);
    str_or_null(j, "credit", d->credit);
    nd_json_key(j, "text");
    nd_json_str_n(j, d->text, d->text_len);
    nd_json_key(j, "paragraphs");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < d->n_paragraphs; i++)
        nd_json_str_n(j, d->paragraphs[i].ptr, d->paragraphs[i].len);
    nd_json_arr_end(j);
    nd_json_key(j, "source");
    nd_json_str(j, d->origin.source);
    nd_json_key(j, "offset");
    if (d->origin.offset >= 0)
        nd_json_int(j, d->origin.offset);
    else
        nd_json_null(j);
    nd_json_key(j, "line");
    if (d->origin.line >= 0)
        nd_json_int(j, d->origin.line);
    else
        nd_json_null(j);
    nd_json_key(j, "version");
    nd_json_int(j, d->version);
    nd_json_key(j, "versions");
    nd_json_int(j, d->n_versions);
    nd_json_key(j, "parent");
    if (d->parent_id)
        nd_json_int(j, d->parent_id);
    else
        nd_json_null(j);
    nd_json_key(j, "content_hash");
    hex64(j, d->content_hash);
    nd_json_key(j, "raw_hash");
    if (d->raw_hash)
        hex64(j, d->raw_hash);
    else
        nd_json_null(j);
    nd_json_key(j, "run");
    if (d->run_id)
        nd_json_int(j, d->run_id);
    else
        nd_json_null(j);
    str_or_null(j, "added", d->added);
    nd_json_key(j, "related");
    nd_json_arr_begin(j);
    for (size_t i = 0; i < d->n_related; i++) {
        const nd_store_related *r = &d->related[i];
        nd_json_obj_begin(j);
        str_or_null(j, "title", r->title);
        str_or_null(j, "site", r->site);
        str_or_null(j, "url", r->url);
        str_or_null(j, "age", r->age);
        str_or_null(j, "published", r->published);
        nd_json_key(j, "doc_id");
        if (r->doc_id)
            nd_json_int(j, r->doc_id);
        else
            nd_json_null(j);
        nd_json_obj_end(j);
    }
    nd_json_arr_end(j);
    nd_json_key(j, "story");
    if (d->story_id)
        nd_json_int(j, d->story_id);
    else
        nd_json_null(j);
    nd_json_key(j, "dup_of");
    if (d->dup_of)
        nd_json_int(j, d->dup_of);
    else
        nd_json_null(j);
    /* "actors", "quotes", "events" as newsdesk analyze prints them (null
     * when the document was never analysed: newsdesk reanalyze). */
    if (d->analysis) {
        nd_analysis_to_json(d->analysis, j);
    } else {
        static const char *const keys[] = {"actors", "quotes", "events"};
        for (size_t i = 0; i < 3; i++) {
            nd_json_key(j, keys[i]);
            nd_json_null(j);
        }
    }
    nd_json_obj_end(j);
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

int cli_parse_count(const char *s, long long min, long long max, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v < min || v > max) return -1;
    *out = v;
    return 0;
}
