/* utf8.c - one UTF-8 decoder for the writers that escape text (JSON, the
 * terminal, HTML). */
#include "newsdesk/base.h"

size_t nd_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *) s;
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t k;
    uint32_t min;
    if (c >= 0xC2 && c < 0xE0)
        k = 2, *cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c < 0xF0)
        k = 3, *cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c < 0xF5)
        k = 4, *cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n < k) return 0;
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        *cp = (*cp << 6) | (p[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
    return k;
}

int nd_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}
