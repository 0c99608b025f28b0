/* test_decode.c - bytes -> UTF-8 NFC: gzip, BOMs, wide encodings, declared
 * and detected legacy charsets, repair, NFC, empty and binary input, and
 * HTML/text sniffing.  Every input is built here, byte by byte. */
#include "newsdesk/newsdesk.h"
#include "tap.h"

#include <zlib.h>

/* ---- helpers ------------------------------------------------------------- */

/* Decode with optional hint, kind and limit; returns the code and keeps
 * the result in *d (free with nd_decoded_free). */
static int dec(const void *p, size_t n, const char *hint, nd_kind kind, size_t max, nd_decoded *d)
{
    nd_decode_opts o = {max, hint, kind};
    nd_error e;
    memset(d, 0, sizeof *d);
    return nd_decode(p, n, &o, d, &e);
}

/* gzip-compress src into a new buffer (free with free()). */
static unsigned char *gz(const void *src, size_t n, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    size_t cap = deflateBound(&z, (uLong) n) + 64;
    unsigned char *out = malloc(cap);
    if (!out) return NULL;
    z.next_in = (Bytef *) src;
    z.avail_in = (uInt) n;
    z.next_out = out;
    z.avail_out = (uInt) cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

/* Append code point cp to b in UTF-16 or UTF-32, little or big endian. */
static void put_wide(nd_buf *b, uint32_t cp, int width, int big)
{
    uint32_t units[2];
    int k = 0;
    if (width == 2 && cp >= 0x10000) {
        units[k++] = 0xD800 + ((cp - 0x10000) >> 10);
        units[k++] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
    } else {
        units[k++] = cp;
    }
    for (int u = 0; u < k; u++)
        for (int i = 0; i < width; i++) {
            int shift = big ? 8 * (width - 1 - i) : 8 * i;
            nd_buf_putc(b, (char) (units[u] >> shift & 0xFF));
        }
}

/* Decode UTF-8 (valid, written by the test) into code points, then write
 * them wide. */
static void utf8_to_wide(nd_buf *b, const char *s, int width, int big)
{
    const unsigned char *p = (const unsigned char *) s;
    while (*p) {
        uint32_t cp;
        int k;
        if (*p < 0x80)
            cp = *p, k = 1;
        else if (*p < 0xE0)
            cp = *p & 0x1F, k = 2;
        else if (*p < 0xF0)
            cp = *p & 0x0F, k = 3;
        else
            cp = *p & 0x07, k = 4;
        for (int i = 1; i < k; i++) cp = cp << 6 | (p[i] & 0x3F);
        p += k;
        put_wide(b, cp, width, big);
    }
}

/* A deterministic byte generator (xorshift), the same on every machine. */
static uint32_t rng_state;
static uint32_t rng(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

/* ---- gzip ---------------------------------------------------------------- */

static const char page[] = "<!DOCTYPE html><html><head><title>Test</title></head><body>"
                           "<p>Caf\xc3\xa9 society, r\xc3\xa9sum\xc3\xa9s and na\xc3\xafve "
                           "questions.</p></body></html>";

static void test_gzip_single(void)
{
    size_t zn;
    unsigned char *z = gz(page, sizeof page - 1, &zn);
    CHECK(z != NULL);
    nd_decoded d;
    CHECK_INT(dec(z, zn, NULL, 0, 0, &d), 0);
    CHECK_STR(d.text, page);
    CHECK_INT(d.len, sizeof page - 1);
    CHECK(d.flags & ND_DEC_GZIP);
    CHECK(!(d.flags & ND_DEC_TRUNCATED));
    CHECK_INT(d.kind, ND_KIND_HTML);
    CHECK_STR(d.charset, "UTF-8");
    nd_decoded_free(&d);

    /* The same through nd_gunzip(). */
    char *out;
    size_t on;
    int trunc;
    CHECK_INT(nd_gunzip(z, zn, 1 << 20, &out, &on, &trunc), 0);
    CHECK_INT(on, sizeof page - 1);
    CHECK(memcmp(out, page, on) == 0);
    CHECK_INT(trunc, 0);
    nd_free(out);
    free(z);
}

static void test_gzip_members(void)
{
    size_t n1, n2;
    unsigned char *a = gz("Hello, ", 7, &n1), *b = gz("world of members.", 17, &n2);
    nd_buf cat = ND_BUF_INIT;
    nd_buf_append(&cat, a, n1);
    nd_buf_append(&cat, b, n2);
    nd_decoded d;
    CHECK_INT(dec(cat.ptr, cat.len, NULL, 0, 0, &d), 0);
    CHECK_STR(d.text, "Hello, world of members.");
    CHECK(d.flags & ND_DEC_GZIP);
    CHECK(!(d.flags & ND_DEC_TRUNCATED));
    nd_decoded_free(&d);

    /* Zero padding between members and trailing garbage after the last. */
    nd_buf_clear(&cat);
    nd_buf_append(&cat, a, n1);
    nd_buf_append(&cat, "\0\0\0\0", 4);
    nd_buf_append(&cat, b, n2);
    nd_buf_append(&cat, "garbage", 7);
    CHECK_INT(dec(cat.ptr, cat.len, NULL, 0, 0, &d), 0);
    CHECK_STR(d.text, "Hello, world of members.");
    nd_decoded_free(&d);
    nd_buf_free(&cat);
    free(a);
    free(b);
}

static void test_gzip_truncated_corrupt(void)
{
    /* A long text, cut in the middle of its compressed stream: what could
     * be decompressed is kept and flagged. */
    nd_buf t = ND_BUF_INIT;
    rng_state = 12345;
    static const char *const words[] = {"the ",  "minister ", "said ",  "on ",       "Tuesday ",
                                        "that ", "talks ",    "would ", "continue. "};
    while (t.len < 200000) nd_buf_puts(&t, words[rng() % 9]);
    size_t zn;
    unsigned char *z = gz(t.ptr, t.len, &zn);
    nd_decoded d;
    CHECK_INT(dec(z, zn / 2, NULL, 0, 0, &d), 0);
    CHECK(d.flags & ND_DEC_GZIP);
    CHECK(d.flags & ND_DEC_TRUNCATED);
    CHECK(d.len > 0 && d.len < t.len);
    CHECK(memcmp(d.text, t.ptr, d.len) == 0);
    nd_decoded_free(&d);

    /* Without the 8-byte trailer: all the text, but the stream did not end. */
    CHECK_INT(dec(z, zn - 8, NULL, 0, 0, &d), 0);
    CHECK(d.flags & ND_DEC_TRUNCATED);
    nd_decoded_free(&d);

    /* Corrupted after a good start: the good part survives. */
    unsigned char *c = malloc(zn);
    memcpy(c, z, zn);
    for (size_t i = zn / 2; i < zn / 2 + 64; i++) c[i] ^= 0x5A;
    CHECK_INT(dec(c, zn, NULL, 0, 0, &d), 0);
    CHECK(d.flags & ND_DEC_TRUNCATED);
    CHECK(d.len > 0 && memcmp(d.text, t.ptr, d.len < 1000 ? d.len : 1000) == 0);
    nd_decoded_free(&d);

    /* Corrupt from the start of the deflate data: nothing to keep. */
    memcpy(c, z, zn);
    for (size_t i = 10; i < zn; i++) c[i] = (unsigned char) rng();
    c[10] = 0xFF; /* an invalid block type */
    CHECK_INT(dec(c, zn, NULL, 0, 0, &d), ND_EGZIP);
    /* Only a header, or a header cut short: nothing could be decompressed. */
    CHECK_INT(dec(z, 10, NULL, 0, 0, &d), ND_EGZIP);
    CHECK_INT(dec(z, 5, NULL, 0, 0, &d), ND_EGZIP);
    char *out;
    size_t on;
    int trunc;
    CHECK_INT(nd_gunzip(z, 10, 1 << 20, &out, &on, &trunc), ND_EGZIP);
    /* The gzip of an empty file is valid and empty. */
    size_t en;
    unsigned char *e = gz("", 0, &en);
    CHECK_INT(dec(e, en, NULL, 0, 0, &d), ND_EEMPTY);
    free(e);
    free(c);
    free(z);
    nd_buf_free(&t);
}

static void test_gzip_bomb(void)
{
    /* 32 MB of one letter compresses to about 32 KB; the limit stops it. */
    size_t big = (size_t) 32 << 20, zn;
    char *src = malloc(big);
    memset(src, 'a', big);
    unsigned char *z = gz(src, big, &zn);
    free(src);
    CHECK(z != NULL && zn < big / 100);
    nd_decoded d;
    CHECK_INT(dec(z, zn, NULL, 0, 1 << 20, &d), 0);
    CHECK(d.flags & ND_DEC_TRUNCATED);
    CHECK(d.flags & ND_DEC_GZIP);
    CHECK_INT(d.len, 1 << 20);
    nd_decoded_free(&d);
    char *out;
    size_t on;
    int trunc;
    CHECK_INT(nd_gunzip(z, zn, 65536, &out, &on, &trunc), 0);
    CHECK_INT(on, 65536);
    CHECK_INT(trunc, 1);
    nd_free(out);
    free(z);
}

/* ---- byte-order marks and wide encodings --------------------------------- */

static const char wide_text[] = "<p>H\xc3\xa9llo \xe4\xb8\xad \xf0\x9f\x98\x80</p>"; /* é 中 😀 */

static void test_boms(void)
{
    nd_decoded d;
    const char u8[] = "\xef\xbb\xbfH\xc3\xa9llo";
    CHECK_INT(dec(u8, sizeof u8 - 1, NULL, 0, 0, &d), 0);
    CHECK_STR(d.text, "H\xc3\xa9llo");
    CHECK(d.flags & ND_DEC_BOM);
    CHECK_STR(d.charset, "UTF-8");
    nd_decoded_free(&d);

    static const struct {
        int width, big;
        const char *bom, *name;
        size_t bom_len;
    } w[] = {{2, 0, "\xff\xfe", "UTF-16LE", 2},
             {2, 1, "\xfe\xff", "UTF-16BE", 2},
             {4, 0, "\xff\xfe\0\0", "UTF-32LE", 4},
             {4, 1, "\0\0\xfe\xff", "UTF-32BE", 4}};
    for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
        nd_buf b = ND_BUF_INIT;
        nd_buf_append(&b, w[i].bom, w[i].bom_len);
        utf8_to_wide(&b, wide_text, w[i].width, w[i].big);
        CHECK_INT(dec(b.ptr, b.len, NULL, 0, 0, &d), 0);
        CHECK_STR(d.text, wide_text);
        CHECK_STR(d.charset, w[i].name);
        CHECK(d.flags & ND_DEC_BOM);
        CHECK_INT(d.kind, ND_KIND_HTML);
        nd_decoded_free(&d);
        /* Only the mark: empty. */
        CHECK_INT(dec(w[i].bom, w[i].bom_len, NULL, 0, 0, &d), ND_EEMPTY);
        nd_buf_free(&b);
    }
}

static void test_wide_without_bom(void)
{
    nd_decoded d;
    const char *html = "<html><head><title>Wide</title></head><body><p>Plain ASCII markup "
                       "with a caf\xc3\xa9 in it, written as UTF-16.</p></body></html>";
    for (int big = 0; big <= 1; big++) {
        nd_buf b = ND_BUF_INIT;
        utf8_to_wide(&b, html, 2, big);
        CHECK_INT(dec(b.ptr, b.len, NULL, 0, 0, &d), 0);
        CHECK_STR(d.text, html);
        CHECK_STR(d.charset, big ? "UTF-16BE" : "UTF-16LE");
        CHECK(!(d.flags & ND_DEC_BOM));
        nd_decoded_free(&d);
        nd_buf_free(&b);
        /* UTF-32 too. */
        utf8_to_wide(&b, html, 4, big);
        CHECK_INT(dec(b.ptr, b.len, NULL, 0, 0, &d), 0);
        CHECK_STR(d.text, html);
        nd_decoded_free(&d);
        nd_buf_free(&b);
    }
    /* Text in a non-Latin script has no NUL bytes to show it is UTF-16;
     * the high bytes of its code units do. */
    const char *zh = "\xe5\x9b\xbd\xe5\xae\xb6\xe4\xb8\xbb\xe5\xb8\xad\xe5\x91\xa8\xe4\xba\x8c"
                     "\xe8\xa1\xa8\xe7\xa4\xba\xef\xbc\x8c\xe6\x94\xbf\xe5\xba\x9c\xe4\xb8\x8d"
                     "\xe4\xbc\x9a\xe6\x94\xb9\xe5\x8f\x98\xe5\x85\xb6\xe6\x94\xbf\xe7\xad\x96"
                     "\xe3\x80\x82"; /* 国家主席周二表示，政府不会改变其政策。 */
    const char *ru = "\xd0\x9f\xd1\x80\xd0\xb5\xd0\xb7\xd0\xb8\xd0\xb4\xd0\xb5\xd0\xbd\xd1\x82 "
                     "\xd1\x81\xd0\xba\xd0\xb0\xd0\xb7\xd0\xb0\xd0\xbb, \xd1\x87\xd1\x82\xd0\xbe "
                     "\xd0\xbf\xd0\xbe\xd0\xbb\xd0\xb8\xd1\x82\xd0\xb8\xd0\xba\xd0\xb0 "
                     "\xd0\xbd\xd0\xb5 \xd0\xb8\xd0\xb7\xd0\xbc\xd0\xb5\xd0\xbd\xd0\xb8\xd1\x82"
                     "\xd1\x81\xd1\x8f. "; /* Президент сказал, что политика не изменится. */
    const char *ko = "\xeb\x8c\x80\xed\x86\xb5\xeb\xa0\xb9\xec\x9d\x80 \xed\x99\x94\xec\x9a"
                     "\x94\xec\x9d\xbc \xec\xa0\x95\xeb\xb6\x80\xea\xb0\x80 \xec\xa0\x95\xec"
                     "\xb1\x85\xec\x9d\x84 \xeb\xb0\x94\xea\xbe\xb8\xec\xa7\x80 \xec\x95\x8a"
                     "\xec\x9d\x84 \xea\xb2\x83\xec\x9d\xb4\xeb\x9d\xbc\xea\xb3\xa0 \xeb\xa7"
                     "\x90\xed\x96\x88\xeb\x8b\xa4. "; /* 대통령은 화요일 정부가 ... 말했다. */
    const char *texts[] = {zh, ru, ko};
    for (int t = 0; t < 3; t++)
        for (int big = 0; big <= 1; big++) {
            nd_buf src = ND_BUF_INIT, b = ND_BUF_INIT;
            while (src.len < 3000) nd_buf_puts(&src, texts[t]);
            utf8_to_wide(&b, src.ptr, 2, big);
            CHECK_INT(dec(b.ptr, b.len, NULL, 0, 0, &d), 0);
            CHECK_STR(d.charset, big ? "UTF-16BE" : "UTF-16LE");
            CHECK(d.text && strcmp(d.text, src.ptr) == 0);
            nd_decoded_free(&d);
            nd_buf_free(&src);
            nd_buf_free(&b);
        }
}

/* Legacy double-byte text whose characters stay aligned on even offsets
 * (no single-byte characters in between) and periodic ASCII differ between
 * their byte lanes too, but must not be taken for UTF-16. */
static void test_not_wide(void)
{
    static const char euckr[] = "\xb4\xeb\xc5\xeb\xb7\xc9\xc0\xba\xc1\xa4\xba\xce\xb0\xa1"
                                "\xc1\xa4\xc3\xa5\xc0\xbb\xb9\xd9\xb2\xd9\xc1\xf6\xbe\xca"
                                "\xc0\xbb\xb0\xcd\xc0\xcc\xb6\xf3\xb0\xed\xb8\xbb\xc7\xdf"
                                "\xb4\xd9";
    static const char gbk[] = "\xd6\xd0\xce\xc4\xd0\xc2\xce\xc5\xb1\xa8\xb5\xc0";
    static const char sjis_only[] = "\x93\xfa\x96{\x8c\xea\x82\xcc\x83j\x83\x85\x81[\x83X";
    static const struct {
        const char *s;
        size_t n;
    } cases[] = {{euckr, sizeof euckr - 1},
                 {gbk, sizeof gbk - 1},
                 {sjis_only, sizeof sjis_only - 1},
                 {"A line of plain text. ", 22},
                 {"ab", 2}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        nd_buf b = ND_BUF_INIT;
        while (b.len < 6000) nd_buf_append(&b, cases[i].s, cases[i].n);
        nd_decoded d;
        CHECK_INT(dec(b.ptr, b.len, NULL, 0, 0, &d), 0);
        CHECK(strncmp(d.charset, "UTF-16", 6) != 0);
        if (!strncmp(d.charset, "UTF-16", 6))
            fprintf(stderr, "  case %zu read as %s\n", i, d.charset);
        nd_decoded_free(&d);
        nd_buf_free(&b);
    }
}

/* ---- declared charsets ------------------------------------------------------ */

static void check_page(const char *head, const char *body, size_t body_len, const char *want,
                       const char *want_cs)
{
    nd_buf b = ND_BUF_INIT;
    nd_buf_puts(&b, "<!DOCTYPE html><html><head>");
    nd_buf_puts(&b, head);
    nd_buf_puts(&b, "<title>t</title></head><body><p>");
    nd_buf_append(&b, body, body_len);
    nd_buf_puts(&b, "</p></body></html>");
    nd_decoded d;
    CHECK_INT(dec(b.ptr, b.len, NULL, 0, 0, &d), 0);
    CHECK(d.text && strstr(d.text, want) != NULL);
    if (d.text && !strstr(d.text, want)) fprintf(stderr, "  got: %s\n", d.text);
    CHECK_STR(d.charset, want_cs);
    CHECK(!(d.flags & ND_DEC_DETECTED));
    CHECK(!(d.flags & ND_DEC_REPLACED));
    CHECK_INT(d.kind, ND_KIND_HTML);
    nd_decoded_free(&d);
    nd_buf_free(&b);
}

static const char cp1252[] = "\x93"
                             "Caf\xe9\x94 costs 5 \x80 \x97 na\xefve r\xe9sum\xe9";
static const char cp1252_utf8[] = "\xe2\x80\x9c"
                                  "Caf\xc3\xa9\xe2\x80\x9d costs 5 \xe2\x82\xac "
                                  "\xe2\x80\x94 na\xc3\xafve r\xc3\xa9sum\xc3\xa9";
static const char sjis[] = "\x93\xfa\x96{\x8c\xea\x82\xcc\x83j\x83\x85\x81[\x83X";
static const char sjis_utf8[] = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x8b"
                                "\xe3\x83\xa5\xe3\x83\xbc\xe3\x82\xb9"; /* 日本語のニュース */
static const char gb[] = "\xd6\xd0\xce\xc4\xd0\xc2\xce\xc5\xb1\xa8\xb5\xc0";
static const char gb_utf8[] = "\xe4\xb8\xad\xe6\x96\x87\xe6\x96\xb0\xe9\x97\xbb\xe6\x8a\xa5"
                              "\xe9\x81\x93"; /* 中文新闻报道 */
static const char koi8[] = "\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2! \xee\xcf\xd7\xcf\xd3\xd4\xc9 "
                           "\xc4\xce\xd1";
static const char koi8_utf8[] =
    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, \xd0\xbc\xd0\xb8"
    "\xd1\x80! \xd0\x9d\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xb8 "
    "\xd0\xb4\xd0\xbd\xd1\x8f"; /* Привет, мир! Новости дня */

static void test_meta_charset(void)
{
    check_page("<meta charset=\"windows-1252\">", cp1252, sizeof cp1252 - 1, cp1252_utf8,
               "WINDOWS-1252");
    /* ISO-8859-1 means windows-1252 on the web: 0x93 is a quotation mark. */
    check_page("<meta charset=iso-8859-1>", cp1252, sizeof cp1252 - 1, cp1252_utf8, "WINDOWS-1252");
    check_page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">", sjis,
               sizeof sjis - 1, sjis_utf8, "CP932");
    check_page("<META CONTENT='text/html; charset=gb2312' HTTP-EQUIV='Content-Type'>", gb,
               sizeof gb - 1, gb_utf8, "GB18030");
    check_page("<meta charset='KOI8-R' />", koi8, sizeof koi8 - 1, koi8_utf8, "KOI8-R");
    /* A declaration late in a long head still counts. */
    char pad[4000];
    memset(pad, ' ', sizeof pad - 1);
    pad[sizeof pad - 1] = 0;
    nd_buf h = ND_BUF_INIT;
    nd_buf_printf(&h, "<style>%s</style><meta charset=\"windows-1252\">", pad);
    check_page(h.ptr, cp1252, sizeof cp1252 - 1, cp1252_utf8, "WINDOWS-1252");
    nd_buf_free(&h);

    /* Valid UTF-8 wins over a stale declaration (re-encoded saved pages). */
    nd_decoded d;
    const char u[] = "<html><head><meta charset=\"iso-8859-1\"></head><body>Caf\xc3\xa9 "
                     "cr\xc3\xa8me</body></html>";
    CHECK_INT(dec(u, sizeof u - 1, NULL, 0, 0, &d), 0);
    CHECK(strstr(d.text, "Caf\xc3\xa9 cr\xc3\xa8me") != NULL);
    CHECK_STR(d.charset, "UTF-8");
    nd_decoded_free(&d);
}

static void test_charset_hint(void)
{
    nd_decoded d;
    /* Plain text, no markup to declare anything: the HTTP charset decides. */
    CHECK_INT(dec(koi8, sizeof koi8 - 1, "koi8-r", 0, 0, &d), 0);
    CHECK_STR(d.text, koi8_utf8);
    CHECK_STR(d.charset, "KOI8-R");
    CHECK_INT(d.kind, ND_KIND_TEXT);
    nd_decoded_free(&d);
    CHECK_INT(dec(sjis, sizeof sjis - 1, "Shift_JIS", 0, 0, &d), 0);
    CHECK_STR(d.text, sjis_utf8);
    nd_decoded_free(&d);
    /* A hint does not override a byte-order mark. */
    const char u8[] = "\xef\xbb\xbf"
                      "caf\xc3\xa9";
    CHECK_INT(dec(u8, sizeof u8 - 1, "windows-1252", 0, 0, &d), 0);
    CHECK_STR(d.text, "caf\xc3\xa9");
    nd_decoded_free(&d);
    /* An unknown label is ignored, not fatal. */
    CHECK_INT(dec(cp1252, sizeof cp1252 - 1, "x-no-such-charset", 0, 0, &d), 0);
    CHECK(d.len > 0);
    nd_decoded_free(&d);
}

/* ---- detection ----------------------------------------------------------------- */

static void check_detected(const char *bytes, size_t n, const char *want_utf8)
{
    nd_buf b = ND_BUF_INIT;
    for (int i = 0; i < 8; i++) nd_buf_append(&b, bytes, n);
    nd_decoded d;
    CHECK_INT(dec(b.ptr, b.len, NULL, 0, 0, &d), 0);
    CHECK(d.flags & ND_DEC_DETECTED);
    CHECK(d.text && strncmp(d.text, want_utf8, strlen(want_utf8)) == 0);
    if (d.text && strncmp(d.text, want_utf8, strlen(want_utf8)) != 0)
        fprintf(stderr, "  detected %s: %.80s\n", d.charset, d.text);
    nd_decoded_free(&d);
    nd_buf_free(&b);
}

static void test_detection(void)
{
    static const char fr[] =
        "Le pr\xe9sident a d\xe9"
        "clar\xe9 mardi que le gouvernement ne changerait pas sa "
        "politique fiscale. Les \xe9l\xe8ves \xe9taient tr\xe8s heureux \xe0 l'\xe9"
        "cole, "
        "o\xf9 les \xe9"
        "crivains \xe2g\xe9s racontaient des histoires c\xe9l\xe8"
        "bres. ";
    check_detected(fr, sizeof fr - 1,
                   "Le pr\xc3\xa9sident a d\xc3\xa9"
                   "clar\xc3\xa9 mardi");
    static const char ru[] =
        "\xcf\xf0\xe5\xe7\xe8\xe4\xe5\xed\xf2 \xe7\xe0\xff\xe2\xe8\xeb \xe2\xee \xe2\xf2\xee\xf0"
        "\xed\xe8\xea, \xf7\xf2\xee \xef\xf0\xe0\xe2\xe8\xf2\xe5\xeb\xfc\xf1\xf2\xe2\xee \xed\xe5 "
        "\xe1\xf3\xe4\xe5\xf2 \xec\xe5\xed\xff\xf2\xfc \xf1\xe2\xee\xfe \xef\xee\xeb\xe8\xf2\xe8"
        "\xea\xf3, \xe8 \xf7\xe8\xed\xee\xe2\xed\xe8\xea\xe8 \xe2 \xf1\xf2\xee\xeb\xe8\xf6\xe5 "
        "\xee\xf1\xf2\xee\xf0\xee\xe6\xed\xfb. ";
    check_detected(ru, sizeof ru - 1,
                   "\xd0\x9f\xd1\x80\xd0\xb5\xd0\xb7\xd0\xb8\xd0\xb4\xd0\xb5\xd0\xbd\xd1\x82 "
                   "\xd0\xb7\xd0\xb0\xd1\x8f\xd0\xb2\xd0\xb8\xd0\xbb"); /* Президент заявил */
    static const char ja[] =
        "\x91\xe5\x93\x9d\x97\xcc\x82\xcd\x89\xce\x97j\x93\xfa\x81"
        "A\x90\xad\x95{\x82\xcd\x90"
        "\xad\x8d\xf4\x82\xf0\x95\xcf\x8dX\x82\xb5\x82\xc8\x82\xa2\x82\xc6\x8fq\x82\xd7\x81"
        "A"
        "\x8e\xf1\x93s\x82\xcc\x93\x96\x8b\xc7\x8e\xd2\x82\xcd\x8d\xa1\x8c\xe3\x82\xcc\x93W\x8a"
        "J\x82\xc9\x90T\x8f"
        "d\x82\xc8\x8ep\x90\xa8\x82\xf0\x8e\xa6\x82\xb5\x82\xbd\x81"
        "B";
    check_detected(ja, sizeof ja - 1,
                   "\xe5\xa4\xa7\xe7\xb5\xb1\xe9\xa0\x98\xe3\x81\xaf"); /* 大統領は */

    /* ISO-2022-JP is 7-bit: ASCII bytes with escape sequences. */
    static const char jis[] = "\x1b$BF|K\\8l$N%K%e!<%9$G$9!#:#F|$O@2$l!#\x1b(B\n";
    static const char jis_utf8[] = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae"
                                   "\xe3\x83\x8b\xe3\x83\xa5\xe3\x83\xbc\xe3\x82\xb9";
    check_detected(jis, sizeof jis - 1, jis_utf8); /* 日本語のニュース... */
    check_page("<meta charset=iso-2022-jp>", jis, sizeof jis - 1, jis_utf8, "ISO-2022-JP");
}

/* ---- repair ----------------------------------------------------------------------- */

static void test_invalid_utf8(void)
{
    nd_decoded d;
    /* Mostly good UTF-8 with bad bytes: each bad byte becomes U+FFFD. */
    nd_buf b = ND_BUF_INIT;
    for (int i = 0; i < 20; i++)
        nd_buf_puts(&b, "Caf\xc3\xa9 cr\xc3\xa8me br\xc3\xbbl\xc3\xa9"
                        "e. ");
    nd_buf_puts(&b, "bad \xff\xfe here, a lone \x80, a cut \xe2\x82 and an overlong \xc0\xaf.");
    CHECK_INT(dec(b.ptr, b.len, NULL, 0, 0, &d), 0);
    CHECK_STR(d.charset, "UTF-8");
    CHECK(d.flags & ND_DEC_REPLACED);
    CHECK(strstr(d.text, "bad \xef\xbf\xbd\xef\xbf\xbd here") != NULL);
    CHECK(strstr(d.text, "lone \xef\xbf\xbd,") != NULL);
    CHECK(strstr(d.text, "Caf\xc3\xa9 cr\xc3\xa8me") == d.text);
    nd_decoded_free(&d);
    nd_buf_free(&b);

    /* nd_utf8_clean() directly: surrogates and out-of-range sequences. */
    unsigned f = 0;
    size_t n;
    const char s[] = "a\xed\xa0\x80"
                     "b\xf4\x90\x80\x80"
                     "c\xf0\x9f\x98\x80";
    char *r = nd_utf8_clean(s, sizeof s - 1, &n, &f);
    CHECK_STR(r, "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                 "b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                 "\xef\xbf\xbd"
                 "c\xf0\x9f\x98\x80");
    CHECK(f & ND_DEC_REPLACED);
    nd_free(r);
}

static void test_controls(void)
{
    nd_decoded d;
    const char s[] = "Hello\0 wor\x01ld\x7f, tab\there\r\nnext\fpage \xc2\x85"
                     "end of a longer line";
    CHECK_INT(dec(s, sizeof s - 1, NULL, 0, 0, &d), 0);
    CHECK_STR(d.text, "Hello world, tab\there\r\nnext\fpage end of a longer line");
    CHECK(d.flags & ND_DEC_CONTROL);
    nd_decoded_free(&d);
    /* Clean text sets no flags. */
    CHECK_INT(dec("Just text.", 10, NULL, 0, 0, &d), 0);
    CHECK_INT(d.flags, 0);
    nd_decoded_free(&d);
}

static void test_nfc(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Cafe\xcc\x81 au lait", "Caf\xc3\xa9 au lait"},          /* e + U+0301 */
        {"\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", "\xed\x95\x9c"}, /* jamo -> 한 */
        {"\xea\xb0\x80\xe1\x86\xa8", "\xea\xb0\x81"},             /* 가 + ᆨ -> 각 */
        {"10 \xe2\x84\xab", "10 \xc3\x85"},                       /* U+212B -> Å */
        {"\xe2\x84\xa6 ohm", "\xce\xa9 ohm"},                     /* U+2126 -> Ω */
        {"a\xcc\xa3\xcc\x87", "\xe1\xba\xa1\xcc\x87"},            /* a + dot below + dot above */
        {"e\xcc\x81\xcc\x81x", "\xc3\xa9\xcc\x81x"},
        {"\xcc\x81 leading mark", "\xcc\x81 leading mark"}, /* nothing to compose with */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        nd_decoded d;
        CHECK_INT(dec(cases[i].in, strlen(cases[i].in), NULL, 0, 0, &d), 0);
        CHECK_STR(d.text, cases[i].out);
        if (strcmp(cases[i].in, cases[i].out) != 0) CHECK(d.flags & ND_DEC_NORMALIZED);
        nd_decoded_free(&d);
    }
    /* Already NFC: untouched and not flagged. */
    nd_decoded d;
    const char nfc[] = "Caf\xc3\xa9, \xed\x95\x9c\xea\xb5\xad, \xc3\x85ngstr\xc3\xb6m";
    CHECK_INT(dec(nfc, sizeof nfc - 1, NULL, 0, 0, &d), 0);
    CHECK_STR(d.text, nfc);
    CHECK(!(d.flags & ND_DEC_NORMALIZED));
    nd_decoded_free(&d);
    /* Decomposed text coming from a legacy charset is composed too. */
    const char l1[] = "<meta charset=windows-1252><p>caf\xe9</p>";
    CHECK_INT(dec(l1, sizeof l1 - 1, NULL, 0, 0, &d), 0);
    CHECK(strstr(d.text, "caf\xc3\xa9") != NULL);
    nd_decoded_free(&d);
}

/* ---- empty, binary, limits, sniffing ---------------------------------------------- */

static void test_empty(void)
{
    nd_decoded d;
    nd_error e;
    CHECK_INT(dec("", 0, NULL, 0, 0, &d), ND_EEMPTY);
    CHECK_INT(dec("   \n\t\r\n  ", 9, NULL, 0, 0, &d), ND_EEMPTY);
    CHECK_INT(dec("\xc2\xa0\xe2\x80\x83\xe3\x80\x80", 8, NULL, 0, 0, &d), ND_EEMPTY);
    CHECK_INT(dec("\xef\xbb\xbf  ", 5, NULL, 0, 0, &d), ND_EEMPTY);
    CHECK_INT(dec("\0\0\0", 3, NULL, 0, 0, &d), ND_EBINARY);
    CHECK_INT(nd_decode("", 0, NULL, &d, &e), ND_EEMPTY);
    CHECK_INT(e.code, ND_EEMPTY);
    CHECK(e.msg[0] != 0);
    CHECK(d.text == NULL);
    nd_decoded_free(&d); /* a reset struct is fine */
    nd_decoded_free(NULL);
}

static void test_binary(void)
{
    nd_decoded d;
    nd_buf b = ND_BUF_INIT;
    rng_state = 777;
    nd_buf_append(&b, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    for (int i = 0; i < 2000; i++) nd_buf_putc(&b, (char) rng());
    CHECK_INT(dec(b.ptr, b.len, NULL, 0, 0, &d), ND_EBINARY);
    nd_buf_clear(&b);
    nd_buf_puts(&b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n");
    CHECK_INT(dec(b.ptr, b.len, NULL, 0, 0, &d), ND_EBINARY);
    CHECK_INT(dec("PK\x03\x04\x14\0\0\0", 8, NULL, 0, 0, &d), ND_EBINARY);
    CHECK_INT(dec("\x7f"
                  "ELF\x02\x01\x01\0",
                  8, NULL, 0, 0, &d),
              ND_EBINARY);
    /* Random bytes (as compressed or encrypted data look) are binary, at
     * any seed: run many. */
    int text = 0;
    for (uint32_t seed = 1; seed <= 300; seed++) {
        rng_state = seed * 2654435761u;
        nd_buf_clear(&b);
        for (int i = 0; i < 8192; i++) nd_buf_putc(&b, (char) (rng() >> 11));
        int rc = dec(b.ptr, b.len, NULL, 0, 0, &d);
        if (rc != ND_EBINARY) text++;
        if (rc == 0) nd_decoded_free(&d);
    }
    CHECK_INT(text, 0);
    nd_buf_free(&b);
}

static void test_limit(void)
{
    nd_decoded d;
    nd_buf b = ND_BUF_INIT;
    while (b.len < 100000) nd_buf_puts(&b, "A line of plain text. ");
    CHECK_INT(dec(b.ptr, b.len, NULL, 0, 4096, &d), 0);
    CHECK(d.flags & ND_DEC_LIMIT);
    CHECK_INT(d.len, 4096);
    nd_decoded_free(&d);
    /* A cut in the middle of a character loses only that character. */
    nd_buf_clear(&b);
    while (b.len < 5000) nd_buf_puts(&b, "\xe4\xb8\xad\xe6\x96\x87 "); /* 中文 */
    CHECK_INT(dec(b.ptr, b.len, NULL, 0, 4097, &d), 0);
    CHECK(d.flags & ND_DEC_LIMIT);
    CHECK_STR(d.charset, "UTF-8");
    CHECK(strncmp(d.text, "\xe4\xb8\xad\xe6\x96\x87 \xe4\xb8\xad", 10) == 0);
    nd_decoded_free(&d);
    nd_buf_free(&b);
}

static void test_sniff(void)
{
    static const struct {
        const char *s;
        nd_kind kind;
    } cases[] = {
        {"<!DOCTYPE html><html><body>x</body></html>", ND_KIND_HTML},
        {"\n\n  <!doctype HTML>\n<title>x</title>", ND_KIND_HTML},
        {"\xef\xbb\xbf <html lang=en>", ND_KIND_HTML},
        {"<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">", ND_KIND_HTML},
        {"<!-- saved page --><div class=a>x</div>", ND_KIND_HTML},
        {"Some text first.\n<div><p>one</p><p>two</p></div>\n<body>", ND_KIND_HTML},
        {"Plain text with a stray <b> tag in it.", ND_KIND_TEXT},
        {"Xi Jinping\ntold Russia's\nVladimir Putin\non Thursday that 3 < 4 and 5 > 2.",
         ND_KIND_TEXT},
        {"<3 this story", ND_KIND_TEXT},
        {"Email <someone@example.com> wrote:", ND_KIND_TEXT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CHECK_INT(nd_sniff_kind(cases[i].s, strlen(cases[i].s)), cases[i].kind);
        nd_decoded d;
        CHECK_INT(dec(cases[i].s, strlen(cases[i].s), NULL, 0, 0, &d), 0);
        CHECK_INT(d.kind, cases[i].kind);
        nd_decoded_free(&d);
    }
    /* The caller's kind wins. */
    nd_decoded d;
    CHECK_INT(dec("<html><body>x</body></html>", 27, NULL, ND_KIND_TEXT, 0, &d), 0);
    CHECK_INT(d.kind, ND_KIND_TEXT);
    nd_decoded_free(&d);
}

int main(void)
{
    RUN(test_gzip_single);
    RUN(test_gzip_members);
    RUN(test_gzip_truncated_corrupt);
    RUN(test_gzip_bomb);
    RUN(test_boms);
    RUN(test_wide_without_bom);
    RUN(test_not_wide);
    RUN(test_meta_charset);
    RUN(test_charset_hint);
    RUN(test_detection);
    RUN(test_invalid_utf8);
    RUN(test_controls);
    RUN(test_nfc);
    RUN(test_empty);
    RUN(test_binary);
    RUN(test_limit);
    RUN(test_sniff);
    return tap_done();
}
