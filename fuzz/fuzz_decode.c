/* fuzz_decode.c - libFuzzer target: nd_decode() on arbitrary bytes.
 *
 * Each input is decoded twice: with the defaults, and with options taken
 * from its first byte (a small size limit, a charset hint, a forced kind).
 * On success the result must be NUL-terminated UTF-8 without NUL or other
 * C0 controls but tab, LF, CR and FF, as nd_decode() promises.
 */
#include "newsdesk/decode.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const nd_decoded *d)
{
    const unsigned char *p = (const unsigned char *) d->text;
    if (!p || p[d->len] != 0 || d->len == 0) __builtin_trap();
    for (size_t i = 0; i < d->len;) {
        unsigned c = p[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') __builtin_trap();
        if (c == 0x7F) __builtin_trap();
        size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (k == 0 || i + k > d->len) __builtin_trap();
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xC0) != 0x80) __builtin_trap();
        i += k;
    }
    if (d->kind != ND_KIND_HTML && d->kind != ND_KIND_TEXT) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const hints[] = {NULL,     "utf-8",    "windows-1252", "shift_jis",
                                        "gb2312", "koi8-r",   "utf-16",       "iso-2022-jp",
                                        "euc-kr", "big5",     "x-bogus",      "",
                                        "latin1", "utf-16be", "tis-620",      "iso-8859-7"};
    nd_decoded d;
    nd_error err;
    if (nd_decode(data, size, NULL, &d, &err) == 0) {
        check(&d);
        nd_decoded_free(&d);
    }
    if (size > 0) {
        nd_decode_opts o;
        memset(&o, 0, sizeof o);
        o.max_bytes = (size_t) (data[0] & 0x0F) * 97 + 1;
        o.charset_hint = hints[data[0] >> 4];
        o.kind = (nd_kind) (data[0] % 3);
        if (nd_decode(data + 1, size - 1, &o, &d, &err) == 0) {
            check(&d);
            nd_decoded_free(&d);
        }
    }
    unsigned flags = 0;
    size_t n;
    char *c = nd_utf8_clean((const char *) data, size, &n, &flags);
    nd_free(c);
    (void) nd_sniff_kind((const char *) data, size);
    return 0;
}
