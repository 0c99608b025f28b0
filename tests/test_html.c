/* test_html.c - the HTML front's prefilter: what reaches libxml2. */
#include "extract/page.h"
#include "html/html_int.h"
#include "newsdesk/newsdesk.h"
#include "tap.h"

/* The prefilter's output for s, as a string (static; one at a time). */
static const char *pf(const char *s)
{
    static char out[1024];
    size_t n = 0;
    char *p = nd__html_prefilter(s, strlen(s), &n);
    if (!p || n >= sizeof out) {
        nd_free(p);
        return "(failed)";
    }
    memcpy(out, p, n);
    out[n] = 0;
    nd_free(p);
    return out;
}

/* Attributes html.c never reads on an element are dropped. */
static void test_dropped(void)
{
    CHECK_STR(pf("<div class=a onclick=\"go()\" data-x=\"1\" srcset=a.jpg>"), "<div class=a>");
    /* void and dropped elements read none without a date attribute */
    CHECK_STR(pf("<img class=\"hero\" id=i1 src=a.jpg alt=\"A\" role=presentation>"), "<img>");
    CHECK_STR(pf("<svg class=icon viewbox=\"0 0 9 9\" aria-hidden=true></svg>"), "<svg></svg>");
    CHECK_STR(pf("<button class=menu type=button style=\"display:none\">x</button>"),
              "<button>x</button>");
    CHECK_STR(pf("<input type=hidden name=q id=q>"), "<input>");
    CHECK_STR(pf("<i class=\"fa fa-bars\" aria-hidden=true></i>"), "<i></i>");
    CHECK_STR(pf("<em class=note href=x style=\"display:none\">"), "<em>");
    /* href only on <a> and a canonical <link>; the head's keys on <meta> */
    CHECK_STR(pf("<link rel=stylesheet href=\"/a.css\" type=text/css>"), "<link>");
    CHECK_STR(pf("<link href=\"/a.css\" rel=\"preload\">"), "<link>");
    CHECK_STR(pf("<div href=x name=n type=t lang=en property=p>"), "<div>");
    CHECK_STR(pf("<meta class=m content=c name=author id=i>"), "<meta content=c name=author>");
    /* a <meta> whose keys no one reads */
    CHECK_STR(pf("<meta name=\"description\" content=\"A page\">"), "<meta>");
    CHECK_STR(pf("<meta property=og:image content=x.jpg itemprop=image>"), "<meta>");
    /* a style that cannot hide the element */
    CHECK_STR(pf("<div style=\"color: red; display: block\" class=a>"), "<div class=a>");
    CHECK_STR(pf("<p style='visibility:visible'>t</p>"), "<p>t</p>");
}

/* What is read is kept, also beside dropped names of the same prefix. */
static void test_kept(void)
{
    CHECK_STR(pf("<span data-timestamp=\"1682640000\" data-id=\"1682640000a\">"),
              "<span data-timestamp=\"1682640000\">");
    CHECK_STR(pf("<div aria-hidden=true aria-label=\"Menu\">"), "<div aria-hidden=true>");
    CHECK_STR(pf("<div itemprop=articleBody itemscope itemtype=\"https://schema.org/X\">"),
              "<div itemprop=articleBody itemtype=\"https://schema.org/X\">");
    CHECK_STR(pf("<a href=\"/x\" name=n class=c>"), "<a href=\"/x\" class=c>");
    CHECK_STR(pf("<link href=\"https://e.org/a\" rel=\"Canonical\" type=t>"),
              "<link href=\"https://e.org/a\" rel=\"Canonical\">");
    CHECK_STR(pf("<meta property=\"og:title\" content=\"T\" http-equiv=x charset=utf-8>"),
              "<meta property=\"og:title\" content=\"T\" http-equiv=x charset=utf-8>");
    CHECK_STR(pf("<META NAME=\"Author\" content=x>"), "<META NAME=\"Author\" content=x>");
    CHECK_STR(pf("<meta name=\"og&#58;title\" content=x>"),
              "<meta name=\"og&#58;title\" content=x>");
    CHECK_STR(pf("<meta name=description property=og:site_name content=x>"),
              "<meta name=description property=og:site_name content=x>");
    CHECK(nd__page_meta_key_read("article:published_time", 22));
    CHECK(nd__page_meta_key_read("itemprop:datepublished", 22));
    CHECK(!nd__page_meta_key_read("description", 11));
    CHECK(!nd__page_meta_key_read("og:title2", 9));
    CHECK(!nd__page_meta_key_read("og:titl", 7));
    CHECK_STR(pf("<html lang=en class=js>"), "<html lang=en class=js>");
    CHECK_STR(pf("<script type=\"application/ld+json\" id=j>{}</script>"),
              "<script type=\"application/ld+json\">{}</script>");
    CHECK_STR(pf("<script id=s class=c>{\"@context\":1}</script>"),
              "<script>{\"@context\":1}</script>");
    CHECK_STR(pf("<script id=s type='text/javascript' async>x</script>"),
              "<script type='text/javascript'></script>");
    /* inline formatting: what names an author (and may make a node) */
    CHECK_STR(pf("<small class=\"Byline\" id=b>"), "<small class=\"Byline\" id=b>");
    CHECK_STR(pf("<b rel=author role=x>"), "<b rel=author role=x>");
    CHECK_STR(pf("<cite itemprop=creator class=c>"), "<cite itemprop=creator class=c>");
    /* a void element with a date keeps what add_time() reads */
    CHECK_STR(pf("<img class=published title=\"2012-08-22T09:43:41\" alt=x>"),
              "<img class=published title=\"2012-08-22T09:43:41\">");
    CHECK_STR(pf("<meta itemprop=datePublished content=2020-03-18>"),
              "<meta itemprop=datePublished content=2020-03-18>");
    CHECK_STR(pf("<br data-date=\"1682640000000\" class=d>"),
              "<br data-date=\"1682640000000\" class=d>");
    /* hiding styles, with any spacing or case, or an entity */
    CHECK_STR(pf("<div style=\"DISPLAY : none\">"), "<div style=\"DISPLAY : none\">");
    CHECK_STR(pf("<div style=\"visibility:&#104;idden\">"),
              "<div style=\"visibility:&#104;idden\">");
    /* libxml2 keeps the first of two styles: neither is dropped when one
     * may hide, lest a later one take the place of the first */
    CHECK_STR(pf("<div style=\"color:red\" id=a style=\"display:none\">"),
              "<div style=\"color:red\" id=a style=\"display:none\">");
    /* a name libxml2 cuts short keeps the allow-list */
    CHECK_STR(pf("<img@1 class=y src=z>"), "<img@1 class=y>");
}

/* Quoted and unquoted values are skipped whole. */
static void test_values(void)
{
    CHECK_STR(pf("<div title='a>b' class=\"x'y>z\" onclick=\"f('>')\" id=q>t"),
              "<div class=\"x'y>z\" id=q>t");
    CHECK_STR(pf("<div onclick=go() class=lead data-n=5>t"), "<div class=lead>t");
    CHECK_STR(pf("<img src=a.jpg alt=x>t"), "<img>t");
    CHECK_STR(pf("<div class= id=a>"), "<div class=id=a>");
    CHECK_STR(pf("<div class=>"), "<div class>");
    CHECK_STR(pf("<div\tid = a class\n=\"b\" hidden>"), "<div id=a class=\"b\" hidden>");
    CHECK_STR(pf("<a href=/x?a=1&b=2 target=_blank>t</a>"), "<a href=/x?a=1&b=2>t</a>");
    /* a quote in a name or a quote left open: copied unchanged */
    CHECK_STR(pf("<div a\"b=1 class=c>"), "<div a\"b=1 class=c>");
    CHECK_STR(pf("<img src=\"a.jpg>t"), "<img src=\"a.jpg>t");
}

/* A start tag longer than ND_HTML_MAX_TAG is still cut, not filtered. */
static void test_long_tag(void)
{
    nd_buf b = ND_BUF_INIT;
    nd_buf_puts(&b, "<img class=c");
    while (b.len <= ND_HTML_MAX_TAG) nd_buf_puts(&b, " data-x=\"0123456789\"");
    nd_buf_puts(&b, ">after");
    size_t n = 0;
    char *p = nd__html_prefilter(b.ptr, b.len, &n);
    CHECK(p != NULL);
    CHECK(n > 12 && n <= ND_HTML_MAX_TAG + 6);
    CHECK(p && !memcmp(p, "<img class=c data-x=", 20));
    CHECK(p && n >= 6 && !memcmp(p + n - 6, ">after", 6));
    nd_free(p);
    nd_buf_free(&b);
}

/* A page whose <meta> list could fill up keeps every <meta> tag: fewer
 * entries before a read one would let it in. */
static void test_many_metas(void)
{
    nd_buf b = ND_BUF_INIT;
    for (int i = 0; i < 1100; i++) nd_buf_puts(&b, "<meta name=d content=x>");
    nd_buf_puts(&b, "<meta name=author content=y>");
    size_t n = 0;
    char *p = nd__html_prefilter(b.ptr, b.len, &n);
    CHECK(p && n == b.len && !memcmp(p, b.ptr, n));
    nd_free(p);
    nd_buf_clear(&b);
    for (int i = 0; i < 900; i++) nd_buf_puts(&b, "<meta name=d content=x>");
    nd_buf_puts(&b, "<meta name=author content=y>");
    p = nd__html_prefilter(b.ptr, b.len, &n);
    CHECK(p && n == 900 * 6 + 28 && !memcmp(p + n - 28, "<meta name=author content=y>", 28));
    nd_free(p);
    nd_buf_free(&b);
}

/* Every <meta> key the extractor asks for is one the prefilter keeps:
 * pages without metadata make each reader ask for each of its keys. */
static void test_meta_keys_listed(void)
{
    static const char *const pages[] = {
        "<html><head><title>Talks resume</title></head><body><article><h1>Talks resume</h1>"
        "<p>Negotiators met again on Tuesday in Geneva, officials said, after a pause of two"
        " weeks in which both sides traded accusations.</p><p>A second round is planned for"
        " next month, according to a statement from the hosts.</p></article></body></html>",
        "<html><head><meta name=viewport content=x><meta property=og:image content=y></head>"
        "<body><p>Short text with a date nowhere in it, written for this test only, long"
        " enough to be read as an article by the extractor's rules.</p></body></html>"};
    unsigned long before = nd__page_meta_unlisted();
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        nd_article *a = NULL;
        nd_extract(pages[i], strlen(pages[i]), NULL, &a, NULL);
        nd_article_free(a);
    }
    CHECK(nd__page_meta_unlisted() == before);
}

int main(void)
{
    RUN(test_dropped);
    RUN(test_kept);
    RUN(test_values);
    RUN(test_long_tag);
    RUN(test_many_metas);
    RUN(test_meta_keys_listed);
    return tap_done();
}
