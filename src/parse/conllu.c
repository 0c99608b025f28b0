/* conllu.c - a CoNLL-U reader (https://universaldependencies.org/format.html).
 *
 * One sentence at a time from bytes in memory.  The lines of a sentence
 * are copied into a buffer the reader reuses, split into their columns in
 * place; so a sentence costs no allocation once the buffers have grown.
 * A malformed sentence is reported with its line number and skipped. */
#include "newsdesk/parse.h"

#include <stdlib.h>
#include <string.h>

struct nd_conllu_reader {
    const char *data;
    size_t len, pos;
    size_t line_no; /* lines consumed so far */
    char *buf;      /* the current sentence's bytes, split in place */
    size_t buf_cap;
    nd_conllu_line *lines;
    size_t lines_cap;
    nd_conllu_sent sent;
};

nd_conllu_reader *nd_conllu_reader_new(const char *data, size_t len)
{
    nd_conllu_reader *r = nd_calloc(1, sizeof *r);
    if (!r) return NULL;
    r->data = data ? data : "";
    r->len = data ? len : 0;
    return r;
}

void nd_conllu_reader_free(nd_conllu_reader *r)
{
    if (!r) return;
    nd_free(r->buf);
    nd_free(r->lines);
    nd_free(r);
}

/* A whole decimal number of at most 9 digits; -1 when not one. */
static long parse_uint(const char *s, size_t n)
{
    if (!n || n > 9) return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int space_after(const char *misc)
{
    /* MISC is "_" or "Key=Value|Key=Value". */
    const char *p = misc;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t) (bar - p) : strlen(p);
        if (n == 13 && !memcmp(p, "SpaceAfter=No", 13)) return 0;
        p = bar ? bar + 1 : NULL;
    }
    return 1;
}

static const char *comment_value(const char *c, const char *key)
{
    size_t k = strlen(key);
    if (strncmp(c, key, k)) return NULL;
    const char *p = c + k;
    while (*p == ' ') p++;
    if (*p != '=') return *p ? NULL : p;
    p++;
    while (*p == ' ') p++;
    return p;
}

/* Split a token line into its columns; 0 or a message. */
static const char *split_line(char *s, nd_conllu_line *ln)
{
    int k = 0;
    ln->col[k++] = s;
    for (char *p = s; *p; p++) {
        if (*p != '\t') continue;
        *p = 0;
        if (k == 10) return "more than 10 columns";
        ln->col[k++] = p + 1;
    }
    if (k != 10) return "fewer than 10 columns";
    for (int i = 0; i < 10; i++)
        if (!ln->col[i][0]) return "an empty column";
    const char *id = ln->col[0];
    size_t idn = strlen(id);
    const char *dash = memchr(id, '-', idn), *dot = memchr(id, '.', idn);
    if (dash) {
        long a = parse_uint(id, (size_t) (dash - id));
        long b = parse_uint(dash + 1, idn - (size_t) (dash - id) - 1);
        if (a < 1 || b < a) return "bad multiword token range";
        ln->kind = ND_CONLLU_RANGE;
        ln->first = (uint32_t) a, ln->last = (uint32_t) b;
        ln->space_after = (uint8_t) space_after(ln->col[9]);
        return NULL;
    }
    if (dot) {
        long a = parse_uint(id, (size_t) (dot - id));
        long b = parse_uint(dot + 1, idn - (size_t) (dot - id) - 1);
        if (a < 0 || b < 1) return "bad empty node ID";
        ln->kind = ND_CONLLU_EMPTY;
        ln->first = ln->last = (uint32_t) a;
        return NULL;
    }
    long v = parse_uint(id, idn);
    if (v < 1) return "bad ID";
    ln->kind = ND_CONLLU_WORD;
    ln->first = ln->last = (uint32_t) v;
    const char *h = ln->col[6];
    if (!strcmp(h, "_")) {
        ln->head = -2;
    } else {
        long hv = parse_uint(h, strlen(h));
        if (hv < 0) return "bad HEAD";
        ln->head = (int32_t) hv - 1;
    }
    ln->upos = (uint8_t) nd_upos_from_name(ln->col[3], strlen(ln->col[3]));
    ln->deprel = (uint8_t) nd_deprel_from_name(ln->col[7], strlen(ln->col[7]));
    ln->space_after = (uint8_t) space_after(ln->col[9]);
    return NULL;
}

int nd_conllu_next(nd_conllu_reader *r, const nd_conllu_sent **out, nd_error *err)
{
    *out = NULL;
    /* Skip blank lines between sentences. */
    for (;;) {
        if (r->pos >= r->len) return 0;
        const char *nl = memchr(r->data + r->pos, '\n', r->len - r->pos);
        size_t e = nl ? (size_t) (nl - r->data) : r->len;
        size_t s = r->pos;
        while (s < e && (r->data[s] == ' ' || r->data[s] == '\t' || r->data[s] == '\r')) s++;
        if (s < e) break;
        r->pos = nl ? e + 1 : r->len;
        r->line_no++;
    }
    /* The sentence runs to the next blank line. */
    size_t start = r->pos, end = start, n_lines = 0;
    size_t first_line = r->line_no + 1;
    for (;;) {
        if (end >= r->len) break;
        const char *nl = memchr(r->data + end, '\n', r->len - end);
        size_t e = nl ? (size_t) (nl - r->data) : r->len;
        size_t s = end;
        while (s < e && (r->data[s] == ' ' || r->data[s] == '\t' || r->data[s] == '\r')) s++;
        if (s == e) break;
        n_lines++;
        end = nl ? e + 1 : r->len;
    }
    r->pos = end;
    r->line_no += n_lines;
    size_t bytes = end - start;
    if (bytes + 1 > r->buf_cap) {
        size_t cap = bytes + 1 + bytes / 2;
        char *nb = nd_realloc(r->buf, cap);
        if (!nb) return nd_error_set(err, ND_ENOMEM, start, "out of memory");
        r->buf = nb, r->buf_cap = cap;
    }
    if (n_lines > r->lines_cap) {
        size_t cap = n_lines + n_lines / 2 + 8;
        nd_conllu_line *nl = nd_realloc(r->lines, cap * sizeof *nl);
        if (!nl) return nd_error_set(err, ND_ENOMEM, start, "out of memory");
        r->lines = nl, r->lines_cap = cap;
    }
    memcpy(r->buf, r->data + start, bytes);
    r->buf[bytes] = 0;
    if (memchr(r->buf, 0, bytes))
        return nd_error_set(err, ND_EPARSE, first_line, "line %zu: a NUL byte in the sentence",
                            first_line);
    nd_conllu_sent *st = &r->sent;
    memset(st, 0, sizeof *st);
    st->lines = r->lines;
    st->line_no = first_line;
    char *p = r->buf;
    uint32_t next_id = 1, covered = 0;
    for (size_t i = 0; i < n_lines; i++) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        size_t n = strlen(p);
        while (n && (p[n - 1] == '\r' || p[n - 1] == ' ')) p[--n] = 0;
        nd_conllu_line *ln = &r->lines[i];
        memset(ln, 0, sizeof *ln);
        const char *why = NULL;
        if (p[0] == '#') {
            char *c = p + 1;
            while (*c == ' ') c++;
            ln->kind = ND_CONLLU_COMMENT;
            ln->col[0] = c;
            const char *v;
            if ((v = comment_value(c, "sent_id")) && *v)
                st->sent_id = v;
            else if ((v = comment_value(c, "text")))
                st->text = v;
            else if ((v = comment_value(c, "newdoc id")))
                st->newdoc_id = v;
            else if (!strcmp(c, "newdoc"))
                st->newdoc_id = "";
            else if (!strncmp(c, "newpar", 6) && (c[6] == 0 || c[6] == ' '))
                st->newpar = 1;
        } else {
            why = split_line(p, ln);
            if (!why && ln->kind == ND_CONLLU_WORD) {
                if (ln->first != next_id) why = "word IDs out of order";
                next_id++;
            } else if (!why && ln->kind == ND_CONLLU_RANGE) {
                if (ln->first != next_id || ln->first <= covered)
                    why = "multiword token range out of order";
                covered = ln->last;
            }
        }
        if (why) {
            return nd_error_set(err, ND_EPARSE, first_line + i, "line %zu: %s", first_line + i,
                                why);
        }
        if (ln->kind == ND_CONLLU_WORD) st->n_words++;
        p = nl ? nl + 1 : p + n;
    }
    st->n_lines = n_lines;
    if (covered >= next_id)
        return nd_error_set(err, ND_EPARSE, first_line,
                            "line %zu: multiword token past the last word", first_line);
    for (size_t i = 0; i < n_lines; i++) {
        nd_conllu_line *ln = &r->lines[i];
        if (ln->kind == ND_CONLLU_WORD && ln->head >= (int32_t) st->n_words)
            return nd_error_set(err, ND_EPARSE, first_line + i, "line %zu: HEAD past the last word",
                                first_line + i);
    }
    if (!st->n_words)
        return nd_error_set(err, ND_EPARSE, first_line, "line %zu: a sentence without words",
                            first_line);
    *out = st;
    return 1;
}
