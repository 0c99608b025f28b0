/* decode.c - bytes -> UTF-8 NFC: gzip, binary check, kind sniffing, charset. */
#include "newsdesk/decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <uchardet.h>
#include <zlib.h>

/* ---- gzip ---------------------------------------------------------------- */

int nd_gunzip(const void *data, size_t len, size_t max_bytes, char **out, size_t *out_len,
              int *truncated)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    *out = NULL;
    *out_len = 0;
    *truncated = 0;
    if (inflateInit2(&z, 15 + 16) != Z_OK) return ND_ENOMEM;
    nd_buf b = ND_BUF_INIT;
    const unsigned char *in = data;
    size_t left = len;
    int ended = 0, bad = 0, full = 0;
    for (;;) {
        if (z.avail_in == 0) {
            if (!left) break;
            /* zlib counts in uInt: feed at most 1 GiB at a time. */
            uInt c = left > (1u << 30) ? (1u << 30) : (uInt) left;
            z.next_in = (Bytef *) in;
            z.avail_in = c;
            in += c;
            left -= c;
        }
        if (b.len >= max_bytes) {
            *truncated = 1;
            full = 1;
            break;
        }
        if (nd_buf_reserve(&b, 65536)) break;
        size_t room = b.cap - b.len - 1;
        if (room > max_bytes - b.len) room = max_bytes - b.len;
        if (room > (1u << 30)) room = 1u << 30;
        z.next_out = (Bytef *) b.ptr + b.len;
        z.avail_out = (uInt) room;
        int rc = inflate(&z, Z_NO_FLUSH);
        b.len += room - z.avail_out;
        b.ptr[b.len] = 0;
        if (rc == Z_STREAM_END) {
            ended = 1;
            /* Another member may follow (concatenated gzip, as in WARC
             * files); zero padding between members is skipped and trailing
             * garbage after the last one ignored.  The input is one
             * contiguous block, so the rest starts at next_in. */
            const unsigned char *rest = z.next_in;
            size_t rl = z.avail_in + left;
            while (rl && *rest == 0) rest++, rl--;
            if (rl < 2 || rest[0] != 0x1f || rest[1] != 0x8b) break;
            inflateReset(&z);
            z.avail_in = 0;
            in = rest;
            left = rl;
            ended = 0;
            continue;
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && left) continue;
        if (rc != Z_OK) {
            bad = rc != Z_BUF_ERROR;
            break;
        }
    }
    if (!ended) *truncated = 1;
    inflateEnd(&z);
    if (b.failed) {
        nd_buf_free(&b);
        return ND_ENOMEM;
    }
    /* Nothing came out of a stream that is corrupt or cut short (a bare
     * header, say): that is no page, not an empty one. */
    if ((bad || (!ended && !full)) && b.len == 0) {
        nd_buf_free(&b);
        return ND_EGZIP;
    }
    if (!b.ptr && nd_buf_reserve(&b, 0)) return ND_ENOMEM;
    *out = nd_buf_detach(&b, out_len);
    return *out ? 0 : ND_ENOMEM;
}

/* ---- sniffing ------------------------------------------------------------ */

static int lc(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int istarts(const char *p, size_t n, const char *pre)
{
    size_t k = strlen(pre);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++)
        if (lc((unsigned char) p[i]) != pre[i]) return 0;
    return 1;
}

nd_kind nd_sniff_kind(const char *data, size_t len)
{
    static const char *const starts[] = {
        "<!doctype html", "<html",    "<head",    "<body",  "<meta", "<title",
        "<!--",           "<?xml",    "<div",     "<p>",    "<p ",   "<script",
        "<link",          "<article", "<section", "<table", "<h1",   "<h2",
        "<style",         "<br",      "<span",    "<a "};
    size_t n = len > 65536 ? 65536 : len, i = 0;
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n' ||
                     data[i] == '\f'))
        i++;
    if (i + 3 <= n && memcmp(data + i, "\xEF\xBB\xBF", 3) == 0) i += 3;
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
    if (i < n && data[i] == '<') {
        for (size_t k = 0; k < sizeof starts / sizeof *starts; k++)
            if (istarts(data + i, n - i, starts[k])) return ND_KIND_HTML;
    }
    /* Otherwise HTML only when tags clearly dominate: markup of a whole page
     * (html/body/p/div tags) appears, not a stray "<b>" in prose. */
    size_t tags = 0, strong = 0;
    for (size_t k = 0; k + 2 < n; k++) {
        if (data[k] != '<') continue;
        unsigned char c = (unsigned char) data[k + 1];
        if (c == '/') c = (unsigned char) data[k + 2];
        if ((c | 32) >= 'a' && (c | 32) <= 'z') {
            tags++;
            if (istarts(data + k, n - k, "<html") || istarts(data + k, n - k, "<body") ||
                istarts(data + k, n - k, "<p>") || istarts(data + k, n - k, "<div") ||
                istarts(data + k, n - k, "</p>") || istarts(data + k, n - k, "</div>"))
                strong++;
        }
    }
    if (strong >= 2 && tags >= 4) return ND_KIND_HTML;
    return ND_KIND_TEXT;
}

/* ---- binary detection ---------------------------------------------------- */

static int has_magic(const unsigned char *p, size_t n)
{
    static const struct {
        const char *m;
        size_t n;
    } magic[] = {{"\x89PNG", 4},
                 {"\xFF\xD8\xFF", 3},
                 {"GIF8", 4},
                 {"%PDF-", 5},
                 {"PK\x03\x04", 4},
                 {"\x7F"
                  "ELF",
                  4},
                 {"BZh", 3},
                 {"\xFD"
                  "7zXZ",
                  5},
                 {"7z\xBC\xAF", 4},
                 {"RIFF", 4},
                 {"OggS", 4},
                 {"\x00\x00\x01\xBA", 4},
                 {"ID3", 3},
                 {"\x1A\x45\xDF\xA3", 4},
                 {"wOFF", 4},
                 {"wOF2", 4},
                 {"\xD0\xCF\x11\xE0", 4},
                 {"\x28\xB5\x2F\xFD", 4},
                 {"SQLite format 3", 15}};
    for (size_t i = 0; i < sizeof magic / sizeof *magic; i++)
        if (n >= magic[i].n && memcmp(p, magic[i].m, magic[i].n) == 0) return 1;
    return 0;
}

/* Whether a UTF-16 code unit lies in the blocks text is written in:
 * ASCII with tab, LF and CR, Latin, Greek, Cyrillic, Armenian, Hebrew,
 * Arabic, the Indic scripts, Thai, Lao, Georgian, Hangul jamo, Vietnamese,
 * punctuation and symbols, CJK, kana, Hangul, fullwidth forms. */
static int text_unit(unsigned u)
{
    return u == 9 || u == 10 || u == 13 || (u >= 0x20 && u <= 0x7E) || (u >= 0xA0 && u <= 0x24F) ||
           (u >= 0x370 && u <= 0xEFF) || (u >= 0x10A0 && u <= 0x11FF) ||
           (u >= 0x1E00 && u <= 0x1FFF) || (u >= 0x2000 && u <= 0x27BF) ||
           (u >= 0x3000 && u <= 0x30FF) || (u >= 0x3400 && u <= 0x4DBF) ||
           (u >= 0x4E00 && u <= 0x9FFF) || (u >= 0xAC00 && u <= 0xD7A3) ||
           (u >= 0xFF00 && u <= 0xFFEF);
}

/* UTF-16 text in a non-Latin script has too few NUL bytes to show, but its
 * two byte lanes differ: the high byte of each unit stays within the
 * script's blocks while the low byte takes many values.  8-bit text and
 * binary data look alike in both lanes.  So when the lanes differ (total
 * variation distance over one half), a byte order is taken under which
 * nine units in ten are text (surrogates paired) and at least one in a hundred
 * is a separator: ASCII (spaces, newlines), CJK or fullwidth punctuation.
 * The separators rule out legacy double-byte text whose characters happen
 * to stay aligned (Shift_JIS, GBK, Big5 and EUC lead bytes are all at or
 * above 0x81, so never read as U+00xx, U+30xx or U+FFxx), and periodic
 * ASCII.  n is even. */
static const char *sniff_utf16_script(const unsigned char *p, size_t n)
{
    size_t hist[2][256], tv = 0;
    memset(hist, 0, sizeof hist);
    for (size_t i = 0; i < n; i++) hist[i & 1][p[i]]++;
    for (int v = 0; v < 256; v++)
        tv += hist[0][v] > hist[1][v] ? hist[0][v] - hist[1][v] : hist[1][v] - hist[0][v];
    if (tv * 2 <= n) return NULL; /* sum |a - b| over n/2 per lane, halved */
    const char *best = NULL;
    size_t best_sep = 0, units = n / 2;
    for (int big = 0; big <= 1; big++) {
        size_t good = 0, sep = 0;
        for (size_t i = 0; i + 1 < n; i += 2) {
            unsigned u = big ? (unsigned) p[i] << 8 | p[i + 1] : (unsigned) p[i + 1] << 8 | p[i];
            if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
                unsigned v =
                    big ? (unsigned) p[i + 2] << 8 | p[i + 3] : (unsigned) p[i + 3] << 8 | p[i + 2];
                if (v >= 0xDC00 && v <= 0xDFFF) {
                    good += 2;
                    i += 2;
                    continue;
                }
            }
            good += text_unit(u);
            sep += u < 0x80 || (u >= 0x3000 && u <= 0x303F) || (u >= 0xFF00 && u <= 0xFF65);
        }
        if (good * 10 >= units * 9 && sep * 100 >= units && sep > best_sep) {
            best = big ? "UTF-16BE" : "UTF-16LE";
            best_sep = sep;
        }
    }
    return best;
}

/* UTF-16/32 without a BOM shows as NUL bytes at every other (fourth)
 * position in mostly-ASCII text, and in other scripts as two different
 * byte lanes (above).  Returns the iconv name or NULL. */
static const char *sniff_wide(const unsigned char *p, size_t n)
{
    if (n > 4096) n = 4096;
    n &= ~(size_t) 3;
    if (n < 8) return NULL;
    size_t z[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++)
        if (!p[i]) z[i & 3]++;
    size_t q = n / 4;
    if (z[1] > q * 9 / 10 && z[2] > q * 9 / 10 && z[3] > q * 9 / 10 && z[0] < q / 10)
        return "UTF-32LE";
    if (z[0] > q * 9 / 10 && z[1] > q * 9 / 10 && z[2] > q * 9 / 10 && z[3] < q / 10)
        return "UTF-32BE";
    size_t even = z[0] + z[2], odd = z[1] + z[3], h = n / 2;
    if (odd > h * 7 / 10 && even < h / 10) return "UTF-16LE";
    if (even > h * 7 / 10 && odd < h / 10) return "UTF-16BE";
    return n >= 64 ? sniff_utf16_script(p, n) : NULL;
}

static int looks_binary(const unsigned char *p, size_t n)
{
    if (has_magic(p, n)) return 1;
    size_t m = n > 8192 ? 8192 : n, ctl = 0;
    for (size_t i = 0; i < m; i++) {
        unsigned c = p[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) ctl++;
    }
    /* Text in any 8-bit or multi-byte charset uses no C0 control bytes but
     * tab, newline, CR, form feed and ESC (UTF-16/32 were recognised before
     * this check), while compressed, encrypted and other random-looking
     * data has 27/256 = 10.5% of them: half of that is the line.  (At 10%,
     * one 8 KB block of random bytes in twenty passed as text.) */
    return m > 0 && ctl * 20 > m;
}

/* ---- charset names ----------------------------------------------------- */

/* Map a declared label to an iconv name, following the WHATWG Encoding
 * standard where it differs from IANA (latin1 and ascii mean windows-1252,
 * gb2312 means GBK/GB18030, ...).  Writes into out; returns 0 when the
 * label is not usable. */
static int charset_label(const char *s, size_t n, char out[40])
{
    char t[40];
    size_t k = 0;
    while (n && (*s == ' ' || *s == '"' || *s == '\'')) s++, n--;
    for (size_t i = 0; i < n && k < sizeof t - 1; i++) {
        char c = s[i];
        if (c == '"' || c == '\'' || c == ';' || c == ' ' || c == ',' || c == '>' || c == '/')
            break;
        t[k++] = (char) lc((unsigned char) c);
    }
    t[k] = 0;
    if (!k) return 0;
    static const struct {
        const char *label, *name;
    } map[] = {{"utf-8", "UTF-8"},
               {"utf8", "UTF-8"},
               {"unicode-1-1-utf-8", "UTF-8"},
               {"iso-8859-1", "WINDOWS-1252"},
               {"iso8859-1", "WINDOWS-1252"},
               {"latin1", "WINDOWS-1252"},
               {"latin-1", "WINDOWS-1252"},
               {"l1", "WINDOWS-1252"},
               {"us-ascii", "WINDOWS-1252"},
               {"ascii", "WINDOWS-1252"},
               {"iso_8859-1", "WINDOWS-1252"},
               {"cp1252", "WINDOWS-1252"},
               {"windows-1252", "WINDOWS-1252"},
               {"x-cp1252", "WINDOWS-1252"},
               {"gb2312", "GB18030"},
               {"gbk", "GB18030"},
               {"x-gbk", "GB18030"},
               {"gb18030", "GB18030"},
               {"chinese", "GB18030"},
               {"big5", "BIG5-HKSCS"},
               {"shift_jis", "CP932"},
               {"shift-jis", "CP932"},
               {"sjis", "CP932"},
               {"x-sjis", "CP932"},
               {"windows-31j", "CP932"},
               {"euc-jp", "EUC-JP"},
               {"euc-kr", "CP949"},
               {"ks_c_5601-1987", "CP949"},
               {"iso-8859-9", "WINDOWS-1254"},
               {"latin5", "WINDOWS-1254"},
               {"iso-8859-11", "WINDOWS-874"},
               {"tis-620", "WINDOWS-874"},
               {"utf-16", "UTF-16LE"},
               {"utf-16le", "UTF-16LE"},
               {"utf-16be", "UTF-16BE"},
               {"koi8-r", "KOI8-R"},
               {"koi8-u", "KOI8-U"},
               {"x-user-defined", "WINDOWS-1252"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(t, map[i].label) == 0) {
            snprintf(out, 40, "%s", map[i].name);
            return 1;
        }
    /* Anything else iconv knows is taken as it is. */
    iconv_t cd = iconv_open("UTF-8", t);
    if (cd == (iconv_t) -1) return 0;
    iconv_close(cd);
    for (size_t i = 0; t[i]; i++)
        if (t[i] >= 'a' && t[i] <= 'z') t[i] = (char) (t[i] - 32);
    snprintf(out, 40, "%s", t);
    return 1;
}

/* The HTML "prescan": <meta charset=...> or <meta http-equiv=Content-Type
 * content="...charset=...">, in the first 16 KiB (pages with long heads
 * declare late; the standard's 1 KiB misses many real ones). */
static int meta_charset(const char *p, size_t n, char out[40])
{
    if (n > 16384) n = 16384;
    for (size_t i = 0; i + 5 < n; i++) {
        if (p[i] != '<' || !istarts(p + i + 1, n - i - 1, "meta")) continue;
        size_t end = i + 5;
        while (end < n && p[end] != '>') end++;
        for (size_t k = i + 5; k + 8 <= end; k++) {
            if (!istarts(p + k, end - k, "charset")) continue;
            size_t v = k + 7;
            while (v < end && (p[v] == ' ' || p[v] == '\t')) v++;
            if (v >= end || p[v] != '=') continue;
            v++;
            while (v < end && (p[v] == ' ' || p[v] == '"' || p[v] == '\'')) v++;
            if (charset_label(p + v, end - v, out)) return 1;
        }
        i = end;
    }
    return 0;
}

/* Returns 1 when the bytes are valid UTF-8 with at least one multi-byte
 * sequence, 2 when they are pure ASCII, 0 when invalid. */
static int utf8_status(const unsigned char *p, size_t n)
{
    int multi = 0;
    size_t i = 0;
    while (i < n) {
        /* Skip ASCII eight bytes at a time. */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k = 0;
        if (c >= 0xC2 && c < 0xE0)
            k = 2;
        else if (c >= 0xE0 && c < 0xF0)
            k = 3;
        else if (c >= 0xF0 && c < 0xF5)
            k = 4;
        else
            return 0;
        if (i + k > n) return 0;
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xC0) != 0x80) return 0;
        if (k == 3 && ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xED && p[i + 1] >= 0xA0))) return 0;
        if (k == 4 && ((c == 0xF0 && p[i + 1] < 0x90) || (c == 0xF4 && p[i + 1] >= 0x90))) return 0;
        multi = 1;
        i += k;
    }
    return multi ? 1 : 2;
}

static int detect_charset(const char *p, size_t n, char out[40])
{
    uchardet_t ud = uchardet_new();
    if (!ud) return 0;
    uchardet_handle_data(ud, p, n > 65536 ? 65536 : n);
    uchardet_data_end(ud);
    const char *cs = uchardet_get_charset(ud);
    int ok = cs && *cs && charset_label(cs, strlen(cs), out);
    uchardet_delete(ud);
    return ok;
}

/* ---- conversion ---------------------------------------------------------- */

static int convert(const char *cs, const char *in, size_t n, nd_buf *out, unsigned *flags)
{
    iconv_t cd = iconv_open("UTF-8", cs);
    if (cd == (iconv_t) -1) return ND_ECHARSET;
    char *ip = (char *) in;
    size_t il = n;
    while (il > 0) {
        if (nd_buf_reserve(out, il + il / 2 + 16)) break;
        char *op = out->ptr + out->len;
        size_t ol = out->cap - out->len - 1, before = ol;
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        out->len += before - ol;
        if (r != (size_t) -1) break;
        if (errno == E2BIG) continue;
        /* EILSEQ or EINVAL: replace one byte and go on. */
        nd_buf_append(out, "\xEF\xBF\xBD", 3);
        *flags |= ND_DEC_REPLACED;
        ip++;
        il--;
    }
    if (out->ptr) out->ptr[out->len] = 0;
    iconv_close(cd);
    return out->failed ? ND_ENOMEM : 0;
}

int nd_decode(const void *data, size_t len, const nd_decode_opts *opts, nd_decoded *out,
              nd_error *err)
{
    nd_decode_opts o = {0};
    if (opts) o = *opts;
    size_t max = o.max_bytes ? o.max_bytes : ND_DECODE_MAX_BYTES;
    memset(out, 0, sizeof *out);
    const unsigned char *p = data;
    char *gz = NULL;
    nd_buf conv = ND_BUF_INIT;
    int rc = 0;

    if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
        size_t glen;
        int trunc;
        rc = nd_gunzip(data, len, max, &gz, &glen, &trunc);
        if (rc == ND_EGZIP) return nd_error_set(err, rc, 0, "corrupt or truncated gzip data");
        if (rc) return nd_error_set(err, rc, 0, "%s", nd_strerror(rc));
        out->flags |= ND_DEC_GZIP;
        if (trunc) out->flags |= ND_DEC_TRUNCATED;
        p = (const unsigned char *) gz;
        len = glen;
    }
    if (len > max) {
        len = max;
        out->flags |= ND_DEC_LIMIT;
    }

    /* Encoding: BOM, then wide encodings without BOM, then the hint, then
     * <meta>, then valid UTF-8, then detection. */
    char cs[40] = "";
    size_t skip = 0;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        strcpy(cs, "UTF-8"), skip = 3, out->flags |= ND_DEC_BOM;
    else if (len >= 4 && memcmp(p, "\xFF\xFE\0\0", 4) == 0)
        strcpy(cs, "UTF-32LE"), skip = 4, out->flags |= ND_DEC_BOM;
    else if (len >= 4 && memcmp(p, "\0\0\xFE\xFF", 4) == 0)
        strcpy(cs, "UTF-32BE"), skip = 4, out->flags |= ND_DEC_BOM;
    else if (len >= 2 && memcmp(p, "\xFF\xFE", 2) == 0)
        strcpy(cs, "UTF-16LE"), skip = 2, out->flags |= ND_DEC_BOM;
    else if (len >= 2 && memcmp(p, "\xFE\xFF", 2) == 0)
        strcpy(cs, "UTF-16BE"), skip = 2, out->flags |= ND_DEC_BOM;
    else {
        const char *w = sniff_wide(p, len);
        if (w) strcpy(cs, w);
    }
    p += skip;
    len -= skip;

    if (!cs[0]) {
        if (len == 0 || nd_slice_trim((nd_slice){(const char *) p, len}).len == 0) {
            rc = nd_error_set(err, ND_EEMPTY, 0, "empty input");
            goto fail;
        }
        if (looks_binary(p, len)) {
            rc = nd_error_set(err, ND_EBINARY, 0, "binary data, not a text or HTML page");
            goto fail;
        }
    }

    nd_kind kind = o.kind;
    if (!cs[0]) {
        if (!kind) kind = nd_sniff_kind((const char *) p, len);
        int st = utf8_status(p, len);
        char declared[40] = "";
        int have_decl =
            (o.charset_hint && charset_label(o.charset_hint, strlen(o.charset_hint), declared)) ||
            (kind == ND_KIND_HTML && meta_charset((const char *) p, len, declared));
        if (st == 2 && !memchr(p, 0x1B, len))
            /* Pure ASCII: nothing to convert.  With ESC in it, it may be a
             * 7-bit ISO-2022 encoding (Japanese mail and old pages). */
            strcpy(cs, "UTF-8");
        else if (st == 1)
            /* Valid multi-byte UTF-8 is almost never an accident; saved
             * pages are often re-encoded while keeping their old <meta>. */
            strcpy(cs, "UTF-8");
        else if (have_decl && strcmp(declared, "UTF-8") != 0 &&
                 strncmp(declared, "UTF-16", 6) != 0 && strncmp(declared, "UTF-32", 6) != 0)
            strcpy(cs, declared);
        else if (detect_charset((const char *) p, len, cs) && strcmp(cs, "UTF-8") != 0)
            out->flags |= ND_DEC_DETECTED;
        else
            /* Declared or detected UTF-8 that is not valid: keep UTF-8 and
             * replace the bad bytes. */
            strcpy(cs, "UTF-8");
    }
    snprintf(out->charset, sizeof out->charset, "%s", cs);

    const char *u = (const char *) p;
    size_t ulen = len;
    if (strcmp(cs, "UTF-8") != 0) {
        rc = convert(cs, (const char *) p, len, &conv, &out->flags);
        if (rc == ND_ECHARSET) {
            /* An encoding iconv does not have: fall back to windows-1252. */
            strcpy(out->charset, "WINDOWS-1252");
            rc = convert("WINDOWS-1252", (const char *) p, len, &conv, &out->flags);
        }
        if (rc) {
            rc = nd_error_set(err, rc, 0, "%s", nd_strerror(rc));
            goto fail;
        }
        u = conv.ptr ? conv.ptr : "";
        ulen = conv.len;
    }
    unsigned f = 0;
    out->text = nd_utf8_clean(u, ulen, &out->len, &f);
    if (!out->text) {
        rc = nd_error_set(err, ND_ENOMEM, 0, "out of memory");
        goto fail;
    }
    out->flags |= f;
    if (nd_slice_trim((nd_slice){out->text, out->len}).len == 0) {
        nd_decoded_free(out);
        rc = nd_error_set(err, ND_EEMPTY, 0, "empty input");
        goto fail;
    }
    out->kind = kind ? kind : nd_sniff_kind(out->text, out->len);
    nd_free(gz);
    nd_buf_free(&conv);
    return 0;
fail:
    nd_free(gz);
    nd_buf_free(&conv);
    return rc;
}

void nd_decoded_free(nd_decoded *out)
{
    if (!out) return;
    nd_free(out->text);
    out->text = NULL;
    out->len = 0;
}
