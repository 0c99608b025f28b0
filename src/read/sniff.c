/* sniff.c - tell WARC, JSON lines, legacy ARC and pages apart by content. */
#include <jansson.h>
#include <string.h>
#include <zlib.h>

#include "read/read_int.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* "WARC/" digits "." digits at p (the WARC version line). */
static int warc_version_at(const char *p, size_t n)
{
    if (n < 8 || memcmp(p, "WARC/", 5) != 0) return 0;
    size_t i = 5;
    if (i >= n || p[i] < '0' || p[i] > '9') return 0;
    while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    if (i >= n || p[i] != '.') return 0;
    i++;
    return i < n && p[i] >= '0' && p[i] <= '9';
}

/* A JSON object with an "html" or "text" member. */
static int jsonl_object(const char *p, size_t n, int complete)
{
    json_error_t je;
    json_t *j = json_loadb(p, n, JSON_ALLOW_NUL, &je);
    if (j) {
        int ok = json_is_object(j) &&
                 (json_object_get(j, "html") != NULL || json_object_get(j, "text") != NULL);
        json_decref(j);
        return ok;
    }
    if (complete) return 0;
    /* The first line goes on past the bytes we have (a long page): accept
     * it when the parser only ran out of input and a key "html" or "text"
     * was seen.  The reader reports the line if it turns out bad. */
    if (je.position < (int) n - 1 && n > 0) return 0;
    static const char *const keys[] = {"\"html\"", "\"text\""};
    for (int k = 0; k < 2; k++) {
        const char *q = p, *end = p + n;
        while ((q = memchr(q, '"', (size_t) (end - q))) != NULL) {
            if ((size_t) (end - q) >= 6 && memcmp(q, keys[k], 6) == 0) {
                const char *r = q + 6;
                while (r < end && is_space(*r)) r++;
                if (r < end && *r == ':') return 1;
            }
            q++;
        }
    }
    return 0;
}

/* JSON lines: among the first SNIFF_LINES lines that are neither blank nor
 * comments ('#', "//"), one is a JSON object with an "html" or "text"
 * member, and every line before it starts like JSON ('{' or '[').  So a
 * bad first line ("[[[", a truncated object, a comment) does not turn an
 * export into one page of raw JSON: the reader reports that line and reads
 * the others.  A page never starts that way: HTML starts with '<', and a
 * flattened text with a line of JSON text and an object with a "text"
 * member within its first lines is not a page anyone saved. */
#define SNIFF_LINES 8
static int looks_jsonl(const char *p, size_t n)
{
    size_t i = 0;
    for (int lines = 0; i < n && lines < SNIFF_LINES;) {
        const char *nl = memchr(p + i, '\n', n - i);
        size_t end = nl ? (size_t) (nl - p) : n, next = nl ? end + 1 : n;
        size_t a = i, b = end;
        while (a < b && is_space(p[a])) a++;
        while (b > a && is_space(p[b - 1])) b--;
        i = next;
        if (a == b) continue; /* blank */
        if (p[a] == '#' || (b - a >= 2 && p[a] == '/' && p[a + 1] == '/')) continue;
        lines++;
        if (p[a] != '{' && p[a] != '[') return 0;
        if (p[a] == '{' && jsonl_object(p + a, (nl ? b : n) - a, nl != NULL)) return 1;
        if (!nl) return 0; /* cut by the end of the head */
    }
    return 0;
}

nd_format nd__sniff(const char *head, size_t len, int *is_arc)
{
    if (is_arc) *is_arc = 0;
    size_t i = 0;
    if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < len && is_space(head[i])) i++;
    const char *p = head + i;
    size_t n = len - i;
    if (warc_version_at(p, n)) return ND_FMT_WARC;
    if (n >= 11 && memcmp(p, "filedesc://", 11) == 0) {
        if (is_arc) *is_arc = 1;
        return ND_FMT_UNKNOWN;
    }
    if (looks_jsonl(p, n)) return ND_FMT_JSONL;
    return ND_FMT_PAGE;
}

nd_format nd_sniff_format(const char *head, size_t len)
{
    if (!head) return ND_FMT_UNKNOWN;
    if (len >= 2 && (unsigned char) head[0] == 0x1f && (unsigned char) head[1] == 0x8b) {
        /* Inflate what the head holds (it may be cut anywhere). */
        enum { OUT = 65536 };
        unsigned char *out = nd_malloc(OUT);
        if (!out) return ND_FMT_UNKNOWN;
        z_stream z;
        memset(&z, 0, sizeof z);
        if (inflateInit2(&z, 15 + 16) != Z_OK) {
            nd_free(out);
            return ND_FMT_UNKNOWN;
        }
        z.next_in = (Bytef *) head;
        z.avail_in = len > (1u << 30) ? (1u << 30) : (uInt) len;
        z.next_out = out;
        z.avail_out = OUT;
        inflate(&z, Z_SYNC_FLUSH);
        size_t got = OUT - z.avail_out;
        inflateEnd(&z);
        nd_format f = got ? nd__sniff((const char *) out, got, NULL) : ND_FMT_UNKNOWN;
        nd_free(out);
        return f;
    }
    return nd__sniff(head, len, NULL);
}
