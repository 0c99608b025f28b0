/* fuzz_router.c - libFuzzer target: the request router of `newsdesk
 * serve` (web/routes.c), every page and API call, against a small store
 * whose pages are hostile (script in titles, attribute breakers in
 * outlet names, javascript: links, terminal escapes and bidi overrides).
 *
 * Input: a request target, "PATH?QUERY", decoded as libmicrohttpd does
 * (percent escapes; '+' as a space in the query).  Checks: never a 500
 * (the store is fine), an API answer is valid JSON, an HTML page holds
 * no markup but the renderer's (one <script>, our own; no <img>, no
 * javascript: link, no escape or bidi override character). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_store.h"
#include "web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static nd_store *S;

static void setup(void)
{
    if (S) return;
    static const fuzz_page pages[] = {
        {"<script>alert(1)</script> Putin meets Xi", "\"><img src=x onerror=alert(1)>",
         "Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on "
         "Thursday. \"We are true friends <script>alert(2)</script>,\" Xi said.",
         "javascript:alert(3)", "2025-05-08", "2025-05-08", "\x1b]0;pwned\x07 Eve", 1},
        {"Talks \xE2\x80\xAE in Moscow", "Wire",
         "China and Russia signed a trade deal on Monday. Russia later praised China. \"Go "
         "\xE2\x80\xAEon,\" said union secretary Olena Brandt.",
         "https://news.example/a?x=\"><script>", "2025-05-08T10:00:00Z", "2025-05-08", NULL, 2},
        {"Trade deal", "Post",
         "Port operator Halden Terminals said no one would be dismissed, officials said.",
         "https://news.example/b", NULL, NULL, NULL, 3},
    };
    S = fuzz_store_make(pages, sizeof pages / sizeof *pages);
}

typedef struct args {
    char *names[16], *values[16];
    int n;
} args;

static const char *lookup(void *ctx, const char *name)
{
    args *a = ctx;
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->names[i], name)) return a->values[i];
    return NULL;
}

/* Percent-decode s in place (plus: '+' as a space). */
static void unescape(char *s, int plus)
{
    char *o = s;
    for (; *s; s++) {
        unsigned v;
        if (*s == '%' && s[1] && s[2] && sscanf(s + 1, "%2x", &v) == 1) {
            *o++ = (char) v;
            s += 2;
        } else {
            *o++ = plus && *s == '+' ? ' ' : *s;
        }
    }
    *o = 0;
}

static int has(const nd_buf *b, const char *needle)
{
    return b->len && memmem(b->ptr, b->len, needle, strlen(needle)) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    if (size < 1 || size > 4096) return 0;
    char *buf = malloc(size + 1);
    if (!buf) return 0;
    memcpy(buf, data, size);
    buf[size] = 0;
    args a = {.n = 0};
    char *q = strchr(buf, '?');
    if (q) {
        *q++ = 0;
        for (char *tok = strtok(q, "&"); tok && a.n < 16; tok = strtok(NULL, "&")) {
            char *eq = strchr(tok, '=');
            if (eq) *eq++ = 0;
            unescape(tok, 1);
            if (eq) unescape(eq, 1);
            a.names[a.n] = tok;
            a.values[a.n++] = eq ? eq : (char *) "";
        }
    }
    unescape(buf, 0);
    web_req r;
    memset(&r, 0, sizeof r);
    r.path = *buf == '/' ? buf : "/";
    r.s = S;
    r.arg = lookup;
    r.arg_ctx = &a;
    r.status = 200;
    web_route(&r);
    if (r.status >= 500 && r.status != 503) __builtin_trap();
    if (r.ctype && !strcmp(r.ctype, "application/json")) {
        json_error_t e;
        json_t *j = json_loadb(r.out.ptr, r.out.len, 0, &e);
        if (!j) __builtin_trap();
        json_decref(j);
    } else if (r.ctype && !strncmp(r.ctype, "text/html", 9)) {
        const char *p = r.out.ptr;
        size_t scripts = 0;
        while ((p = memmem(p, r.out.len - (size_t) (p - r.out.ptr), "<script", 7))) scripts++, p++;
        if (scripts != 1 || has(&r.out, "<img") || has(&r.out, "href=\"javascript") ||
            has(&r.out, "\x1b") || has(&r.out, "\xE2\x80\xAE"))
            __builtin_trap();
    }
    nd_buf_free(&r.out);
    free(buf);
    return 0;
}
