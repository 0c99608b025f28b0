/* test_spec.c - data-driven extraction tests: tests/spec/NAME.{html,txt}
 * is a page the team wrote, NAME.expected.json what must come out of it.
 *
 * Every case runs twice: through the library (nd_extract, then the JSON
 * serialiser) and through the command-line tool, and both outputs are held
 * to the same expectations.  Expected files list only the fields they
 * check:
 *   title, author, published, site, credit, language, paragraphs: equal;
 *   related: same number of items, each with the listed fields equal;
 *   options: {"url", "fetched"} passed to the extractor;
 *   error: the error name (ND_ENOTEXT ...) the page must give instead.
 */
#include <dirent.h>
#include <sys/wait.h>
#include <jansson.h>

#include "newsdesk/newsdesk.h"
#include "tap.h"

static void compare(const char *name, const char *via, json_t *exp, json_t *got)
{
    const char *key;
    json_t *want;
    json_object_foreach(exp, key, want)
    {
        if (!strcmp(key, "options") || !strcmp(key, "error")) continue;
        json_t *have = json_object_get(got, key);
        if (!strcmp(key, "related")) {
            size_t ne = json_array_size(want), ng = json_array_size(have);
            tap_checks_++;
            if (ne != ng) {
                tap_failed_++;
                fprintf(stderr, "%s (%s): %zu related items, want %zu\n", name, via, ng, ne);
                continue;
            }
            for (size_t i = 0; i < ne; i++) {
                const char *rk;
                json_t *rv;
                json_object_foreach(json_array_get(want, i), rk, rv)
                {
                    json_t *hv = json_object_get(json_array_get(have, i), rk);
                    tap_checks_++;
                    if (!json_equal(rv, hv)) {
                        tap_failed_++;
                        char *a = json_dumps(hv, JSON_ENCODE_ANY),
                             *b = json_dumps(rv, JSON_ENCODE_ANY);
                        fprintf(stderr, "%s (%s): related[%zu].%s is %s, want %s\n", name, via, i,
                                rk, a ? a : "(none)", b ? b : "?");
                        free(a), free(b);
                    }
                }
            }
            continue;
        }
        tap_checks_++;
        if (!json_equal(want, have)) {
            tap_failed_++;
            char *a = json_dumps(have, JSON_ENCODE_ANY), *b = json_dumps(want, JSON_ENCODE_ANY);
            fprintf(stderr, "%s (%s): %s is\n  %s\nwant\n  %s\n", name, via, key, a ? a : "(none)",
                    b ? b : "?");
            free(a), free(b);
        }
    }
}

static void run_case(const char *dir, const char *stem)
{
    char path[1024], input[1024];
    snprintf(path, sizeof path, "%s/%s.expected.json", dir, stem);
    json_error_t je;
    json_t *exp = json_load_file(path, 0, &je);
    CHECK(exp != NULL);
    if (!exp) {
        fprintf(stderr, "%s: %s\n", path, je.text);
        return;
    }
    size_t len = 0;
    char *data = NULL;
    const char *exts[] = {"html", "txt"};
    for (int i = 0; i < 2 && !data; i++) {
        snprintf(input, sizeof input, "%s/%s.%s", dir, stem, exts[i]);
        data = tap_slurp(input, &len);
    }
    CHECK(data != NULL);
    if (!data) {
        json_decref(exp);
        return;
    }
    json_t *opt = json_object_get(exp, "options");
    const char *url = json_string_value(json_object_get(opt, "url"));
    const char *fetched = json_string_value(json_object_get(opt, "fetched"));
    const char *want_err = json_string_value(json_object_get(exp, "error"));

    /* Through the library. */
    nd_extract_opts o;
    nd_extract_opts_init(&o);
    o.source = input;
    o.url = url;
    if (fetched) {
        int64_t ts;
        int ht;
        CHECK(nd_time_parse(fetched, strlen(fetched), &ts, &ht) == 0);
        o.fetched = ts;
    }
    nd_article *a = NULL;
    nd_error err = {0};
    int rc = nd_extract(data, len, &o, &a, &err);
    tap_current_ = stem;
    if (want_err) {
        CHECK_STR(nd_errname(rc), want_err);
    } else {
        CHECK_INT(rc, 0);
        if (rc == 0) {
            nd_buf b = ND_BUF_INIT;
            nd_article_to_json(a, &b, 1);
            json_t *got = json_loadb(b.ptr, b.len, 0, &je);
            CHECK(got != NULL);
            if (got) compare(stem, "library", exp, got);
            json_decref(got);
            nd_buf_free(&b);
        }
    }
    nd_article_free(a);

    /* Through the command-line tool. */
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' extract %s%s%s %s%s%s '%s' 2>/dev/null", ND_CLI,
             url ? "--url '" : "", url ? url : "", url ? "'" : "", fetched ? "--fetched '" : "",
             fetched ? fetched : "", fetched ? "'" : "", input);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    if (p) {
        nd_buf out = ND_BUF_INIT;
        char tmp[8192];
        size_t k;
        while ((k = fread(tmp, 1, sizeof tmp, p)) > 0) nd_buf_append(&out, tmp, k);
        int st = pclose(p);
        if (want_err) {
            CHECK(WEXITSTATUS(st) == 1);
        } else {
            CHECK(WEXITSTATUS(st) == 0);
            json_t *got = json_loadb(out.ptr ? out.ptr : "", out.len, 0, &je);
            CHECK(got != NULL);
            if (got) compare(stem, "cli", exp, got);
            json_decref(got);
        }
        nd_buf_free(&out);
    }
    free(data);
    json_decref(exp);
}

static void test_spec(void)
{
    DIR *d = opendir(ND_SPEC_DIR);
    CHECK(d != NULL);
    if (!d) return;
    struct dirent *e;
    int cases = 0;
    while ((e = readdir(d))) {
        const char *suf = strstr(e->d_name, ".expected.json");
        if (!suf || suf[14]) continue;
        char stem[512];
        snprintf(stem, sizeof stem, "%.*s", (int) (suf - e->d_name), e->d_name);
        run_case(ND_SPEC_DIR, stem);
        cases++;
    }
    closedir(d);
    fprintf(stderr, "%d spec cases\n", cases);
    CHECK(cases >= 8);
}

int main(void)
{
    RUN(test_spec);
    return tap_done();
}
