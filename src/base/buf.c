/* buf.c - growable byte buffers and borrowed slices. */
#include "newsdesk/base.h"

#include <stdio.h>
#include <string.h>

int nd_buf_reserve(nd_buf *b, size_t extra)
{
    if (b->failed) return ND_ENOMEM;
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = 1;
        return ND_ENOMEM;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = nd_realloc(b->ptr, cap);
    if (!p) {
        b->failed = 1;
        return ND_ENOMEM;
    }
    b->ptr = p;
    b->cap = cap;
    return 0;
}

void nd_buf_append(nd_buf *b, const void *p, size_t n)
{
    if (nd_buf_reserve(b, n)) return;
    if (n) memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = 0;
}

void nd_buf_puts(nd_buf *b, const char *s)
{
    nd_buf_append(b, s, strlen(s));
}

void nd_buf_putc(nd_buf *b, char c)
{
    if (b->len + 1 < b->cap && !b->failed) {
        b->ptr[b->len++] = c;
        b->ptr[b->len] = 0;
        return;
    }
    nd_buf_append(b, &c, 1);
}

void nd_buf_vprintf(nd_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t) n < sizeof small) {
        nd_buf_append(b, small, (size_t) n);
    } else if (!nd_buf_reserve(b, (size_t) n)) {
        vsnprintf(b->ptr + b->len, (size_t) n + 1, fmt, ap2);
        b->len += (size_t) n;
    }
    va_end(ap2);
}

void nd_buf_printf(nd_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nd_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void nd_buf_truncate(nd_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->ptr[len] = 0;
    }
}

void nd_buf_free(nd_buf *b)
{
    nd_free(b->ptr);
    *b = (nd_buf) ND_BUF_INIT;
}

char *nd_buf_detach(nd_buf *b, size_t *len)
{
    if (b->failed) {
        nd_buf_free(b);
        if (len) *len = 0;
        return NULL;
    }
    if (!b->ptr && nd_buf_reserve(b, 0)) return NULL;
    if (!b->ptr) return NULL;
    b->ptr[b->len] = 0;
    char *p = b->ptr;
    if (len) *len = b->len;
    *b = (nd_buf) ND_BUF_INIT;
    return p;
}

/* ---- slices ---- */

nd_slice nd_slice_c(const char *s)
{
    return s ? (nd_slice){s, strlen(s)} : (nd_slice){NULL, 0};
}

/* Length of a white-space character at p (ASCII space, NBSP, the Unicode
 * spaces of General_Punctuation, ideographic space, BOM), else 0. */
static size_t space_at(const unsigned char *p, size_t n)
{
    if (!n) return 0;
    if (*p == ' ' || (*p >= 9 && *p <= 13)) return 1;
    if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0) return 2;
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] <= 0x8B || p[2] == 0xAF)) return 3;
    if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) return 3;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) return 3;
    return 0;
}

static size_t space_before(const unsigned char *s, size_t end)
{
    if (!end) return 0;
    if (s[end - 1] < 0x80) return space_at(s + end - 1, 1);
    if (end >= 2 && space_at(s + end - 2, 2) == 2) return 2;
    if (end >= 3 && space_at(s + end - 3, 3) == 3) return 3;
    return 0;
}

nd_slice nd_slice_trim(nd_slice s)
{
    if (!s.len) return s; /* also {NULL, 0}: no arithmetic on a null pointer */
    const unsigned char *p = (const unsigned char *) s.ptr;
    size_t a = 0, b = s.len, k;
    while (a < b && (k = space_at(p + a, b - a))) a += k;
    while (b > a && (k = space_before(p, b))) b -= k;
    return (nd_slice){s.ptr + a, b - a};
}

int nd_slice_eq(nd_slice a, nd_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

int nd_slice_eq_c(nd_slice a, const char *s)
{
    return nd_slice_eq(a, nd_slice_c(s));
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int ieq_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char) a[i]) != lower((unsigned char) b[i])) return 0;
    return 1;
}

int nd_slice_ieq_c(nd_slice a, const char *s)
{
    size_t n = strlen(s);
    return a.len == n && ieq_n(a.ptr, s, n);
}

int nd_slice_starts_c(nd_slice a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.len >= n && memcmp(a.ptr, prefix, n) == 0;
}

int nd_slice_istarts_c(nd_slice a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.len >= n && ieq_n(a.ptr, prefix, n);
}

int nd_slice_ends_c(nd_slice a, const char *suffix)
{
    size_t n = strlen(suffix);
    return a.len >= n && memcmp(a.ptr + a.len - n, suffix, n) == 0;
}

ptrdiff_t nd_slice_ifind(nd_slice hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0) return 0;
    if (hay.len < n) return -1;
    int first = lower((unsigned char) needle[0]);
    for (size_t i = 0; i + n <= hay.len; i++)
        if (lower((unsigned char) hay.ptr[i]) == first && ieq_n(hay.ptr + i, needle, n))
            return (ptrdiff_t) i;
    return -1;
}
