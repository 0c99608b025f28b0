/* cmd_story.c - `newsdesk story ID`: one story, its articles by outlet and
 * time, duplicates folded under their original. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk story [OPTIONS] ID\n"
    "\n"
    "One story (ID as `newsdesk stories` shows it): its headline, when it was\n"
    "first and last seen, and its articles grouped by outlet (outlets in the\n"
    "order they first covered it), each outlet's in time order.  Duplicates -\n"
    "the same text again, or syndicated copies of it - are folded under the\n"
    "article they copy, marked '='.\n"
    "\n"
    "      --db PATH  the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "      --json     the story as one JSON object: id, headline, articles,\n"
    "                 duplicates, outlets, first_seen, last_seen, doc_id and\n"
    "                 documents (id, doc_id, title, site, host, url, published,\n"
    "                 fetched, language, parent, duplicates: [...])\n"
    "  -h, --help     this text\n"
    "\n"
    "Exit status: 0 shown, 1 no such story, 2 usage error.\n";

/* A document of the story (strings copied into the arena). */
typedef struct sdoc {
    nd_store_story_doc d;
    const char *outlet; /* site, else host, else "" */
    size_t group;       /* outlet's rank by first appearance */
    size_t rank;        /* time order */
    size_t orig;        /* index of its original, or (size_t)-1 */
} sdoc;

typedef struct ctx {
    nd_arena *ar;
    sdoc *docs;
    size_t n, cap;
    int oom;
} ctx;

static const char *keep(nd_arena *ar, const char *s)
{
    return s ? nd_arena_strndup(ar, s, strlen(s)) : NULL;
}

static int on_doc(void *p, const nd_store_story_doc *d)
{
    ctx *c = p;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 32;
        sdoc *nd = realloc(c->docs, nc * sizeof *nd);
        if (!nd) return c->oom = 1;
        c->docs = nd;
        c->cap = nc;
    }
    sdoc *s = &c->docs[c->n];
    memset(s, 0, sizeof *s);
    s->d = *d;
    s->d.ext_id = keep(c->ar, d->ext_id);
    s->d.title = keep(c->ar, d->title);
    s->d.site = keep(c->ar, d->site);
    s->d.host = keep(c->ar, d->host);
    s->d.url = keep(c->ar, d->url);
    s->d.language = keep(c->ar, d->language);
    s->d.published = keep(c->ar, d->published);
    s->d.fetched = keep(c->ar, d->fetched);
    s->outlet = s->d.site && *s->d.site ? s->d.site : s->d.host ? s->d.host : "";
    s->rank = c->n;
    s->orig = (size_t) -1;
    c->n++;
    return 0;
}

/* Originals by outlet group, then time; their duplicates after them. */
static int by_outlet(const void *a, const void *b)
{
    const sdoc *x = a, *y = b;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static const char *when(const nd_store_story_doc *d)
{
    return d->published ? d->published : d->fetched ? d->fetched : "";
}

static void doc_json(nd_json *j, const sdoc *s)
{
    const nd_store_story_doc *d = &s->d;
    cli_doc_id_json(j, d->ext_id, d->id);
    nd_json_key(j, "title");
    nd_json_str(j, d->title);
    nd_json_key(j, "site");
    nd_json_str(j, d->site);
    nd_json_key(j, "host");
    nd_json_str(j, d->host);
    nd_json_key(j, "url");
    nd_json_str(j, d->url);
    nd_json_key(j, "published");
    nd_json_str(j, d->published);
    nd_json_key(j, "fetched");
    nd_json_str(j, d->fetched);
    nd_json_key(j, "language");
    nd_json_str(j, d->language);
    nd_json_key(j, "parent");
    if (d->parent_id)
        nd_json_int(j, d->parent_id);
    else
        nd_json_null(j);
}

void cli_story_line(nd_store *s, int64_t story, char *out, size_t n)
{
    nd_store_story *st = NULL;
    if (nd_store_story_get(s, story, &st, NULL) == 0) {
        snprintf(out, n, "%lld: %s (%llu articles, %llu outlets)", (long long) story,
                 st->headline ? st->headline : "(untitled)", (unsigned long long) st->n_docs,
                 (unsigned long long) st->n_sites);
        nd_store_story_free(st);
    } else {
        snprintf(out, n, "%lld", (long long) story);
    }
}

int cmd_story(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'D'},
                                             {"json", no_argument, NULL, 'J'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int json = 0, ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'D': db = optarg; break;
        case 'J': json = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    long long id;
    if (cli_parse_count(argv[optind], 1, INT64_MAX, &id))
        return cli_usage_error("story: not a story id: '%s'", argv[optind]);
    nd_store *s = cli_open_store(cli_db_path(db), 0);
    if (!s) return ND_EXIT_SOME_FAILED;
    nd_store_story *st = NULL;
    nd_error err = {0};
    int rc = nd_store_story_get(s, id, &st, &err);
    if (rc) {
        nd_store_close(s);
        cli_error("story", "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return ND_EXIT_SOME_FAILED;
    }
    ctx c = {nd_arena_new(16384), NULL, 0, 0, 0};
    rc = c.ar ? nd_store_story_docs(s, id, on_doc, &c, &err) : ND_ENOMEM;
    nd_store_close(s);
    if (rc || c.oom) {
        cli_error("story", "%s", c.oom || rc == ND_ENOMEM ? "out of memory" : err.msg);
        nd_store_story_free(st);
        nd_arena_free(c.ar);
        free(c.docs);
        return ND_EXIT_SOME_FAILED;
    }

    /* Originals are grouped by outlet (outlets ranked by their first
     * article); a duplicate goes with the article it copies, when that is
     * in the story. */
    size_t n_groups = 0;
    for (size_t i = 0; i < c.n; i++) {
        sdoc *d = &c.docs[i];
        if (d->d.dup_of)
            for (size_t k = 0; k < c.n; k++)
                if (c.docs[k].d.id == d->d.dup_of && !c.docs[k].d.dup_of) d->orig = k;
        d->group = (size_t) -1;
        for (size_t k = 0; k < i && d->group == (size_t) -1; k++)
            if (c.docs[k].orig == (size_t) -1 && !strcmp(c.docs[k].outlet, d->outlet))
                d->group = c.docs[k].group;
        if (d->group == (size_t) -1 && d->orig == (size_t) -1) d->group = n_groups++;
    }
    /* Duplicates take their original's place, after it. */
    for (size_t i = 0; i < c.n; i++) {
        sdoc *d = &c.docs[i];
        if (d->orig == (size_t) -1) continue;
        d->group = c.docs[d->orig].group;
        /* after the original and its earlier duplicates: ranks are time order */
        d->rank = c.docs[d->orig].rank * (c.n + 1) + 1 + d->rank;
    }
    for (size_t i = 0; i < c.n; i++)
        if (c.docs[i].orig == (size_t) -1) c.docs[i].rank *= c.n + 1;
    if (c.n) qsort(c.docs, c.n, sizeof *c.docs, by_outlet);

    nd_buf out = ND_BUF_INIT;
    if (json) {
        nd_json j;
        nd_json_init(&j, &out, 1);
        nd_json_obj_begin(&j);
        nd_json_key(&j, "id");
        nd_json_int(&j, st->id);
        nd_json_key(&j, "headline");
        nd_json_str(&j, st->headline);
        nd_json_key(&j, "articles");
        nd_json_int(&j, (long long) st->n_docs);
        nd_json_key(&j, "duplicates");
        nd_json_int(&j, (long long) st->n_dups);
        nd_json_key(&j, "outlets");
        nd_json_int(&j, (long long) st->n_sites);
        nd_json_key(&j, "first_seen");
        nd_json_str(&j, st->first_seen);
        nd_json_key(&j, "last_seen");
        nd_json_str(&j, st->last_seen);
        nd_json_key(&j, "doc_id");
        nd_json_int(&j, st->rep_doc);
        nd_json_key(&j, "documents");
        nd_json_arr_begin(&j);
        for (size_t i = 0; i < c.n;) {
            nd_json_obj_begin(&j);
            doc_json(&j, &c.docs[i]);
            nd_json_key(&j, "duplicates");
            nd_json_arr_begin(&j);
            size_t k = i + 1;
            for (; k < c.n && c.docs[k].orig != (size_t) -1; k++) {
                nd_json_obj_begin(&j);
                doc_json(&j, &c.docs[k]);
                nd_json_obj_end(&j);
            }
            nd_json_arr_end(&j);
            nd_json_obj_end(&j);
            i = k;
        }
        nd_json_arr_end(&j);
        nd_json_obj_end(&j);
        nd_buf_putc(&out, '\n');
    } else {
        nd_buf_printf(&out, "story      %lld\n", (long long) st->id);
        nd_buf_printf(&out, "headline   %s\n", st->headline ? st->headline : "(untitled)");
        if (st->first_seen)
            nd_buf_printf(&out, "seen       %s .. %s\n", st->first_seen,
                          st->last_seen ? st->last_seen : st->first_seen);
        nd_buf_printf(&out, "articles   %llu (%llu duplicates) from %llu outlets\n\n",
                      (unsigned long long) st->n_docs, (unsigned long long) st->n_dups,
                      (unsigned long long) st->n_sites);
    }
    nd_store_story_free(st);
    if (nd_buf_failed(&out)) {
        cli_error("story", "out of memory");
        nd_buf_free(&out);
        nd_arena_free(c.ar);
        free(c.docs);
        return ND_EXIT_SOME_FAILED;
    }
    cli_write(out.ptr, out.len);
    nd_buf_free(&out);
    if (!json) {
        static const char *const headers[] = {"OUTLET", "DATE", "ID", "TITLE"};
        cli_table *t = cli_table_new(4, headers);
        cli_table_right(t, 2);
        cli_table_flex(t, 3);
        const char *last_outlet = NULL;
        for (size_t i = 0; i < c.n; i++) {
            const sdoc *d = &c.docs[i];
            int dup = d->orig != (size_t) -1;
            char idb[32], date[24];
            nd_buf title = ND_BUF_INIT;
            snprintf(idb, sizeof idb, "%lld", (long long) d->d.id);
            snprintf(date, sizeof date, "%.16s", when(&d->d));
            if (dup) nd_buf_puts(&title, "= ");
            nd_buf_puts(&title, d->d.title && *d->d.title ? d->d.title : "(untitled)");
            if (dup && *d->outlet && strcmp(d->outlet, c.docs[d->orig].outlet))
                nd_buf_printf(&title, " (%s)", d->outlet);
            /* The outlet once per group. */
            const char *outlet = dup ? "" : *d->outlet ? d->outlet : "-";
            if (!dup && last_outlet && !strcmp(last_outlet, d->outlet)) outlet = "";
            if (!dup) last_outlet = d->outlet;
            const char *cells[] = {outlet, date, idb, title.ptr ? title.ptr : ""};
            cli_table_add(t, cells, NULL);
            nd_buf_free(&title);
        }
        cli_table_print(t, stdout, cli_term_width());
        cli_table_free(t);
    }
    nd_arena_free(c.ar);
    free(c.docs);
    return ND_EXIT_OK;
}
