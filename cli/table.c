/* table.c - aligned tables for people, truncated to the terminal width
 * (like git and sqlite3's column mode), with an optional detail line
 * under each row (search snippets). */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "cli.h"

struct cli_table {
    int ncols;
    char **headers;
    int flex;       /* the column that shrinks to fit, or -1 */
    unsigned right; /* bit i: column i right-aligned */
    char ***rows;   /* rows[i][ncols] cells, rows[i][ncols] the detail or NULL */
    size_t n, cap;
};

/* Printable ASCII: its own safe copy, one column a byte. */
static int ascii_print(unsigned char c)
{
    return c >= 0x20 && c < 0x7f;
}

/* Append s (n bytes) as one line of a cell: tabs and line breaks as
 * spaces, then made safe for a terminal. */
static void cell_text(nd_buf *b, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '\n' && s[i] != '\r' && s[i] != '\t') continue;
        cli_term_append(b, s + from, i - from, 0);
        if (i < n) nd_buf_putc(b, ' ');
        from = i + 1;
    }
}

/* A cell's copy (malloc'd): one line, safe for a terminal. */
static char *cell_dup(const char *s)
{
    /* Printable ASCII is its own safe copy (most cells). */
    size_t n = 0;
    while (s && ascii_print((unsigned char) s[n])) n++;
    if (s && !s[n]) {
        char *c = malloc(n + 1);
        if (c) memcpy(c, s, n + 1);
        return c;
    }
    nd_buf b = ND_BUF_INIT;
    if (s) cell_text(&b, s, strlen(s));
    nd_buf_putc(&b, 0);
    if (nd_buf_failed(&b)) return NULL;
    char *c = malloc(b.len);
    if (c) memcpy(c, b.ptr, b.len);
    nd_buf_free(&b);
    return c;
}

/* Headers are the program's own text. */
static char *plain_dup(const char *s)
{
    if (!s) s = "";
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c) memcpy(c, s, n + 1);
    return c;
}

static void table_flex(cli_table *t, int col)
{
    t->flex = col;
}

static void table_right(cli_table *t, int col)
{
    if (col >= 0 && col < 32) t->right |= 1u << col;
}

cli_table *cli_table_new(int ncols, const char *const *headers, const char *layout)
{
    cli_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->ncols = ncols;
    t->flex = -1;
    t->headers = calloc((size_t) ncols, sizeof(char *));
    if (!t->headers) {
        free(t);
        return NULL;
    }
    for (int i = 0; headers && i < ncols; i++) t->headers[i] = plain_dup(headers[i]);
    for (int i = 0; layout && i < ncols && layout[i]; i++) {
        if (layout[i] == '>') table_right(t, i);
        if (layout[i] == '~') table_flex(t, i);
    }
    return t;
}

size_t cli_table_rows(const cli_table *t)
{
    return t ? t->n : 0;
}

void cli_table_add(cli_table *t, const char *const *cells, const char *detail)
{
    cli_table_add_marked(t, cells, detail, NULL, 0, NULL, NULL);
}

void cli_table_add_marked(cli_table *t, const char *const *cells, const char *detail,
                          const nd_span *marks, size_t n_marks, const char *open, const char *close)
{
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 32;
        char ***r = realloc(t->rows, nc * sizeof *r);
        if (!r) return;
        t->rows = r;
        t->cap = nc;
    }
    char **row = calloc((size_t) t->ncols + 1, sizeof(char *));
    if (!row) return;
    for (int i = 0; i < t->ncols; i++) row[i] = cell_dup(cells[i]);
    row[t->ncols] = NULL;
    if (detail) {
        /* The page's text made safe piece by piece, the marks between. */
        nd_buf b = ND_BUF_INIT;
        size_t at = 0, len = strlen(detail);
        for (size_t m = 0; m < n_marks; m++) {
            size_t a = marks[m].start, e = marks[m].end;
            if (a < at || e < a || e > len) continue;
            cell_text(&b, detail + at, a - at);
            nd_buf_puts(&b, open);
            cell_text(&b, detail + a, e - a);
            nd_buf_puts(&b, close);
            at = e;
        }
        cell_text(&b, detail + at, len - at);
        nd_buf_putc(&b, 0);
        if (!nd_buf_failed(&b) && (row[t->ncols] = malloc(b.len)) != NULL)
            memcpy(row[t->ncols], b.ptr, b.len);
        nd_buf_free(&b);
    }
    t->rows[t->n++] = row;
}

/* Display width of UTF-8 text; ANSI escape sequences take no room. */
int cli_text_width(const char *s)
{
    int w = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) s;
    while (*p) {
        /* Printable ASCII, one column a byte (most of a table). */
        if (ascii_print(*p)) {
            w++;
            p++;
            continue;
        }
        if (*p == 0x1b && p[1] == '[') {
            p += 2;
            while (*p && !(*p >= 0x40 && *p <= 0x7e)) p++;
            if (*p) p++;
            continue;
        }
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        if (k <= 0) {
            p++;
            w++;
            continue;
        }
        int cw = utf8proc_charwidth(c);
        w += cw > 0 ? cw : 0;
        p += k;
    }
    return w;
}

/* Print s (total columns wide) cut to width columns ("…" marks a cut),
 * padded to pad columns (0: no padding).  An escape sequence open at the
 * cut is reset. */
static void print_cut(FILE *f, const char *s, int total, int width, int pad)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) s;
    int w = 0, cut = width > 0 && total > width, in_esc = 0;
    int limit = cut ? width - 1 : total;
    while (*p) {
        /* A run of printable ASCII (a column a byte) in one write: fwrite
         * a character took most of a long story's 57 million
         * instructions of table. */
        if (ascii_print(*p)) {
            const utf8proc_uint8_t *q = p;
            while (ascii_print(*q) && w < limit) {
                q++;
                w++;
            }
            fwrite(p, 1, (size_t) (q - p), f);
            p = q;
            if (ascii_print(*p)) break; /* the next one is past the limit */
            continue;
        }
        if (*p == 0x1b && p[1] == '[') {
            const utf8proc_uint8_t *q = p + 2;
            while (*q && !(*q >= 0x40 && *q <= 0x7e)) q++;
            if (*q) q++;
            fwrite(p, 1, (size_t) (q - p), f);
            /* "\033[0m" and "\033[m" reset; anything else opens a style. */
            in_esc = !((q - p == 4 && p[2] == '0') || q - p == 3);
            p = q;
            continue;
        }
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        int cw = 1;
        if (k <= 0)
            k = 1;
        else
            cw = utf8proc_charwidth(c) > 0 ? utf8proc_charwidth(c) : 0;
        if (w + cw > limit) break;
        fwrite(p, 1, (size_t) k, f);
        w += cw;
        p += k;
    }
    if (cut) {
        fputs("…", f);
        w++;
    }
    if (in_esc) fputs("\033[0m", f);
    for (; w < pad; w++) fputc(' ', f);
}

void cli_print_cut(FILE *f, const char *s, int width, int pad)
{
    print_cut(f, s, cli_text_width(s), width, pad);
}

void cli_table_print(cli_table *t, FILE *f, int width)
{
    int *w = calloc((size_t) t->ncols, sizeof(int));
    /* Each cell's width, measured once (row 0: the headers). */
    int *cws = calloc((t->n + 1) * (size_t) t->ncols, sizeof(int));
    if (!w || !cws) {
        free(w);
        free(cws);
        return;
    }
    for (size_t r = 0; r <= t->n; r++)
        for (int i = 0; i < t->ncols; i++) {
            int cw = cli_text_width(r == 0 ? t->headers[i] : t->rows[r - 1][i]);
            cws[r * (size_t) t->ncols + (size_t) i] = cw;
            if (cw > w[i]) w[i] = cw;
        }
    /* Columns are separated by two spaces; when the total is wider than
     * the terminal, the flexible column gives up room first, then the
     * last column is cut at the edge. */
    if (width > 0) {
        int total = 0;
        for (int i = 0; i < t->ncols; i++) total += w[i] + (i ? 2 : 0);
        if (total > width && t->flex >= 0) {
            int shrink = total - width;
            int minw = 8;
            int room = w[t->flex] > minw ? w[t->flex] - minw : 0;
            w[t->flex] -= shrink < room ? shrink : room;
        }
    }
    for (size_t r = 0; r <= t->n; r++) {
        char **cells = r == 0 ? t->headers : t->rows[r - 1];
        int used = 0;
        for (int i = 0; i < t->ncols; i++) {
            int last = i == t->ncols - 1;
            if (i) {
                fputs("  ", f);
                used += 2;
            }
            int colw = w[i];
            if (width > 0 && used + colw > width) colw = width - used > 1 ? width - used : 1;
            int cw = cws[r * (size_t) t->ncols + (size_t) i];
            if ((t->right >> i) & 1) {
                for (int k = cw; k < colw; k++) fputc(' ', f);
                print_cut(f, cells[i], cw, colw, 0);
            } else {
                print_cut(f, cells[i], cw, colw, last ? 0 : colw);
            }
            used += colw;
            if (width > 0 && used >= width) break;
        }
        fputc('\n', f);
        if (r > 0 && cells[t->ncols]) {
            /* The detail line sits under the second column. */
            int indent = t->ncols > 1 ? w[0] + 2 : 2;
            for (int k = 0; k < indent; k++) fputc(' ', f);
            cli_print_cut(f, cells[t->ncols], width > 0 ? width - indent : 0, 0);
            fputc('\n', f);
        }
    }
    free(w);
    free(cws);
}

void cli_table_free(cli_table *t)
{
    if (!t) return;
    for (size_t r = 0; r < t->n; r++) {
        for (int i = 0; i <= t->ncols; i++) free(t->rows[r][i]);
        free(t->rows[r]);
    }
    for (int i = 0; i < t->ncols; i++) free(t->headers[i]);
    free(t->headers);
    free(t->rows);
    free(t);
}
