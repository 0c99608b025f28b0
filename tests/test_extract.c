/* test_extract.c - extraction behaviours that span several pages or need
 * options: cross-page furniture, fetched-relative ages, limits. */
#include <fcntl.h>
#include <libxml/xmlmemory.h>
#include <sys/wait.h>
#include <unistd.h>

#include "newsdesk/newsdesk.h"
#include "tap.h"

#define PROMO                                                                                      \
    "Our reporters cover the city every day of the year, and readers like you make that work "     \
    "possible with a subscription that costs less than a coffee a week."

static char *page(const char *title, const char *body)
{
    nd_buf b = ND_BUF_INIT;
    nd_buf_printf(&b,
                  "<html><body><div><h1>%s</h1><p>%s</p><p>The council will vote again next "
                  "month after a public consultation, officials said on %s.</p><p>%s</p></div>"
                  "</body></html>",
                  title, body, title, PROMO);
    return nd_buf_detach(&b, NULL);
}

static void test_furniture(void)
{
    char *p[3] = {
        page("Bridge repairs delayed",
             "Repairs to the old bridge will take two more months because a supplier failed to "
             "deliver the steel beams the engineers ordered in the spring."),
        page("School opens new library",
             "The primary school on the hill opened a new library on Friday, paid for by a decade "
             "of bake sales, concerts and a grant from the regional government."),
        page("Market moves to square",
             "The weekly farmers' market will move to the cathedral square from next month while "
             "the usual car park is resurfaced by contractors hired by the city.")};
    /* Alone, the promotional paragraph reads like prose and is kept. */
    nd_article *a = NULL;
    CHECK_INT(nd_extract(p[0], strlen(p[0]), NULL, &a, NULL), 0);
    CHECK(a && strstr(a->text, "less than a coffee") != NULL);
    nd_article_free(a);
    /* Seen on all three pages of the batch, it is furniture. */
    nd_furniture *f = nd_furniture_new();
    CHECK(f != NULL);
    for (int i = 0; i < 3; i++) CHECK_INT(nd_furniture_add(f, p[i], strlen(p[i]), NULL), 0);
    nd_extract_opts o;
    nd_extract_opts_init(&o);
    o.furniture = f;
    for (int i = 0; i < 3; i++) {
        a = NULL;
        CHECK_INT(nd_extract(p[i], strlen(p[i]), &o, &a, NULL), 0);
        CHECK(a && strstr(a->text, "less than a coffee") == NULL);
        CHECK(a && strstr(a->text, "public consultation") != NULL);
        nd_article_free(a);
    }
    nd_furniture_free(f);
    /* The same article on two pages (syndication) is not furniture. */
    f = nd_furniture_new();
    CHECK_INT(nd_furniture_add(f, p[1], strlen(p[1]), NULL), 0);
    CHECK_INT(nd_furniture_add(f, p[1], strlen(p[1]), NULL), 0);
    CHECK_INT(nd_furniture_add(f, p[2], strlen(p[2]), NULL), 0);
    o.furniture = f;
    a = NULL;
    CHECK_INT(nd_extract(p[1], strlen(p[1]), &o, &a, NULL), 0);
    CHECK(a && strstr(a->text, "bake sales") != NULL);
    nd_article_free(a);
    nd_furniture_free(f);
    nd_furniture_free(NULL);
    for (int i = 0; i < 3; i++) free(p[i]);
}

/* A page of n paragraphs of news prose into b (cleared). */
static void ferry_page(nd_buf *b, int n)
{
    nd_buf_clear(b);
    nd_buf_puts(b, "<html><body>");
    for (int i = 0; i < n; i++)
        nd_buf_puts(b, "<p>The harbour authority said on Monday that the new ferry would enter "
                       "service in May, weeks later than planned.</p>");
    nd_buf_puts(b, "</body></html>");
}

static void test_limits(void)
{
    /* A page over max_bytes is cut, with a warning, not refused. */
    nd_buf b = ND_BUF_INIT;
    ferry_page(&b, 200);
    nd_extract_opts o;
    nd_extract_opts_init(&o);
    o.max_bytes = 4096;
    nd_article *a = NULL;
    CHECK_INT(nd_extract(b.ptr, b.len, &o, &a, NULL), 0);
    int warned = 0;
    for (size_t i = 0; a && i < a->n_warnings; i++)
        warned |= strstr(a->warnings[i], "size limit") != NULL;
    CHECK(warned);
    CHECK(a && a->text_len < 4096);
    nd_article_free(a);
    nd_buf_free(&b);
}

static void test_errors(void)
{
    nd_article *a = (nd_article *) 1;
    nd_error err;
    CHECK_INT(nd_extract("", 0, NULL, &a, &err), ND_EEMPTY);
    CHECK(a == NULL);
    CHECK(strlen(err.msg) > 0);
    CHECK_INT(
        nd_extract("<html><body><nav><a href=/>Home</a></nav></body></html>", 55, NULL, &a, &err),
        ND_ENOTEXT);
    CHECK_STR(err.msg, "no article text found");
    nd_article_free(NULL);
}

/* A page without article text still gives what metadata it has when the
 * caller asks for it (keep_empty), with ND_ENOTEXT. */
static void test_keep_empty(void)
{
    const char *p =
        "<html><head><title>Opening hours</title>"
        "<meta name=\"author\" content=\"Ruth Meyer\">"
        "<meta property=\"article:published_time\" content=\"2024-02-01T09:00:00+01:00\">"
        "</head><body><nav><a href=/>Home</a> <a href=/news>News</a></nav></body></html>";
    nd_extract_opts o;
    nd_extract_opts_init(&o);
    nd_article *a = NULL;
    CHECK_INT(nd_extract(p, strlen(p), &o, &a, NULL), ND_ENOTEXT);
    CHECK(a == NULL);
    o.keep_empty = 1;
    CHECK_INT(nd_extract(p, strlen(p), &o, &a, NULL), ND_ENOTEXT);
    CHECK(a != NULL);
    if (a) {
        CHECK_STR(a->title, "Opening hours");
        CHECK_INT(a->n_authors, 1);
        if (a->n_authors) CHECK_STR(a->authors[0], "Ruth Meyer");
        CHECK_STR(a->published, "2024-02-01T09:00:00+01:00");
        CHECK_INT(a->n_paragraphs, 0);
    }
    nd_article_free(a);
}

/* A reader comment is never part of the article's text. */
static void test_comments_apart(void)
{
    const char *p =
        "<html><body><article><h1>Ferry timetable changes</h1><div class=entry-content>"
        "<p>The ferry to the island will leave half an hour earlier on weekdays from June, "
        "the operator said, so that commuters reach the mainland before the first trains.</p>"
        "<p>The last crossing of the evening stays at ten o'clock, and the weekend timetable "
        "does not change at all this summer.</p></div></article>"
        "<section class=comments><ol class=comment-list>"
        "<li class=comment><div class=comment-author><span class=fn>Tom Price</span></div>"
        "<time datetime=2024-05-02T10:00:00Z>2 May</time>"
        "<p>About time too, the old departure never matched the trains at all.</p></li>"
        "</ol></section></body></html>";
    nd_article *a = NULL;
    CHECK_INT(nd_extract(p, strlen(p), NULL, &a, NULL), 0);
    CHECK(a && strstr(a->text, "About time") == NULL);
    CHECK(a && a->n_comments == 1);
    if (a && a->n_comments == 1) {
        CHECK_STR(a->comments[0].author, "Tom Price");
        CHECK_STR(a->comments[0].published, "2024-05-02T10:00:00+00:00");
        CHECK(strstr(a->comments[0].text, "About time") != NULL);
    }
    nd_article_free(a);
}

/* An empty <title></title> is an absent title (and, under make asan, no
 * arithmetic on its null pointer: UBSan "applying zero offset"). */
static void test_empty_title(void)
{
    const char *html = "<html><head><title></title></head><body><p>The harbour authority said "
                       "on Monday that the new ferry would enter service in May, weeks later "
                       "than planned, because the shipyard ran out of steel.</p></body></html>";
    nd_article *a = NULL;
    CHECK_INT(nd_extract(html, strlen(html), NULL, &a, NULL), 0);
    CHECK(a && (!a->title || !a->title[0]));
    nd_article_free(a);
}

/* libxml2 short of memory: its own messages ("internal buffer error :
 * Memory allocation failed : growing buffer") never reach stderr; the page
 * fails with ND_ENOMEM like any other allocation failure.  libxml2's
 * allocator is made to refuse blocks over a budget, in a child process. */
static size_t xml_budget;
static void *budget_malloc(size_t n)
{
    return n > xml_budget ? NULL : malloc(n);
}
static void *budget_realloc(void *p, size_t n)
{
    return n > xml_budget ? NULL : realloc(p, n);
}
static char *budget_strdup(const char *s)
{
    return strlen(s) >= xml_budget ? NULL : strdup(s);
}

static void test_libxml_quiet(void)
{
    nd_buf b = ND_BUF_INIT;
    ferry_page(&b, 20000);
    const size_t budgets[] = {4096, 64 << 10, 1 << 20};
    int nomem = 0;
    for (size_t k = 0; k < sizeof budgets / sizeof *budgets; k++) {
        char path[] = "/tmp/nd-libxml-XXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        if (fd < 0) break;
        fflush(stderr);
        pid_t pid = fork();
        if (pid == 0) {
            dup2(fd, 2);
            xml_budget = budgets[k];
            xmlMemSetup(free, budget_malloc, budget_realloc, budget_strdup);
            nd_article *a = NULL;
            nd_error err = {0};
            int rc = nd_extract(b.ptr, b.len, NULL, &a, &err);
            nd_article_free(a);
            _exit(rc == ND_ENOMEM && !strcmp(err.msg, "out of memory") ? 10 : rc == 0 ? 11 : 12);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status) && (WEXITSTATUS(status) == 10 || WEXITSTATUS(status) == 11));
        nomem += WIFEXITED(status) && WEXITSTATUS(status) == 10;
        off_t printed = lseek(fd, 0, SEEK_END);
        if (printed > 0) {
            char msg[200] = {0};
            if (pread(fd, msg, sizeof msg - 1, 0) < 0) msg[0] = 0;
            fprintf(stderr, "  budget %zu: stderr got: %s\n", budgets[k], msg);
        }
        CHECK_INT(printed, 0);
        close(fd);
        unlink(path);
    }
    CHECK(nomem > 0);
    nd_buf_free(&b);
}

/* Markup soup whose container has no blocks of its own, with keep_empty
 * (fuzz_html: the walk over the lead's blocks ran past the page's). */
static void test_container_without_blocks(void)
{
    const char *p = "><m><n><v><nav";
    nd_extract_opts o;
    nd_extract_opts_init(&o);
    o.kind = ND_KIND_HTML;
    o.keep_empty = 1;
    nd_article *a = NULL;
    int rc = nd_extract(p, strlen(p), &o, &a, NULL);
    CHECK(rc == 0 || rc == ND_ENOTEXT);
    nd_article_free(a);
}

int main(void)
{
    RUN(test_keep_empty);
    RUN(test_comments_apart);
    RUN(test_furniture);
    RUN(test_empty_title);
    RUN(test_container_without_blocks);
    RUN(test_libxml_quiet);
    RUN(test_limits);
    RUN(test_errors);
    return tap_done();
}
