/* util.c - helpers shared by the subcommands. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void cli_verror(const char *what, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    /* File names and messages quote pages: safe for a terminal. */
    nd_buf b = ND_BUF_INIT;
    nd_buf_puts(&b, "newsdesk: ");
    if (what) {
        cli_term_append(&b, what, strlen(what), 0);
        nd_buf_puts(&b, ": ");
    }
    cli_term_append(&b, msg, strlen(msg), 0);
    nd_buf_putc(&b, '\n');
    if (!nd_buf_failed(&b)) fputs(b.ptr, stderr);
    nd_buf_free(&b);
}

void cli_error(const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_verror(what, fmt, ap);
    va_end(ap);
}

int cli_read_file(const char *path, size_t max, char **data, size_t *len)
{
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    struct stat st;
    if (fd && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return -EISDIR;
    }
    size_t cap = 1 << 16, n = 0;
    if (fd && S_ISREG(st.st_mode) && st.st_size > 0)
        cap = (size_t) st.st_size < max ? (size_t) st.st_size + 1 : max + 1;
    char *p = malloc(cap + 1);
    if (!p) {
        if (fd) close(fd);
        return -ENOMEM;
    }
    for (;;) {
        if (n == cap) {
            if (cap > max) break;
            size_t nc = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *q = realloc(p, nc + 1);
            if (!q) {
                free(p);
                if (fd) close(fd);
                return -ENOMEM;
            }
            p = q;
            cap = nc;
        }
        ssize_t r = read(fd, p + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            free(p);
            if (fd) close(fd);
            return -e;
        }
        if (r == 0) break;
        n += (size_t) r;
    }
    if (fd) close(fd);
    p[n] = 0;
    *data = p;
    *len = n;
    return 0;
}

const char *cli_file_error(const char *path, int neg_errno)
{
    return nd_path_strerror(path, -neg_errno);
}

int cli_write(const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(1, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

int cli_parse_time(const char *s, long long *ts)
{
    if (s[0] == '@') {
        char *end;
        long long v = strtoll(s + 1, &end, 10);
        if (*end || end == s + 1) return -1;
        *ts = v;
        return 0;
    }
    int64_t t;
    int has_time;
    if (nd_time_parse(s, strlen(s), &t, &has_time)) return -1;
    *ts = t;
    return 0;
}

struct timespec cli_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

double cli_seconds_since(struct timespec t0)
{
    struct timespec t = cli_clock();
    return (double) (t.tv_sec - t0.tv_sec) + (double) (t.tv_nsec - t0.tv_nsec) / 1e9;
}

int cli_term_width(void)
{
    if (!isatty(1)) return 0;
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    const char *c = getenv("COLUMNS");
    return c && atoi(c) > 0 ? atoi(c) : 80;
}

int cli_read_input(const char *path, char **data, size_t *len)
{
    int rc = cli_read_file(path, ND_DECODE_MAX_BYTES, data, len);
    if (rc) {
        cli_error(path, "%s", cli_file_error(path, rc));
        return -1;
    }
    if (*len == 0 || *len > ND_DECODE_MAX_BYTES) {
        if (*len)
            cli_error(path, "larger than %zu bytes", (size_t) ND_DECODE_MAX_BYTES);
        else
            cli_error(path, "empty file");
        free(*data);
        *data = NULL;
        return -1;
    }
    return 0;
}
