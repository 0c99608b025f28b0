/*
 * web.h - `newsdesk serve`: the store's pages and JSON API over HTTP
 * (libmicrohttpd).  Uses only the public API (include/newsdesk): the
 * query layer answers, the renderers (newsdesk/render.h) write the
 * bodies.  Read-only: no route writes.
 */
#ifndef ND_WEB_H
#define ND_WEB_H

#include <signal.h>

#include "newsdesk/newsdesk.h"

typedef struct nd_web_opts {
    const char *db;       /* the store (opened read-only, one connection per thread) */
    const char *host;     /* address to bind: "127.0.0.1" unless told otherwise */
    unsigned port;        /* 8080 */
    int threads;          /* worker threads (0: 4) */
    int max_conns;        /* connections held at once (0: 4096) */
    int timeout_s;        /* an idle connection is closed after this (0: 30) */
    int query_ms;         /* a request's queries are interrupted after this (0: 5000) */
    const char *base_url; /* the site's address in mailed briefings (NULL: the listening one) */
    volatile sig_atomic_t *stop; /* set nonzero: stop serving */
    /* Called once listening, with the address ("http://127.0.0.1:8080/"). */
    void (*on_ready)(void *ctx, const char *url);
    /* Called once after that, from another thread, when the documents'
     * search table is made and the store's indexes are read into the
     * system's page cache (seconds each since on_ready; -1: not made). */
    void (*on_prepared)(void *ctx, double table_s, double warm_s);
    void *ctx;
} nd_web_opts;

/* Serve until *o->stop.  Returns 0, or a negative code with err filled
 * (the address cannot be bound, the store cannot be opened). */
int nd_web_serve(const nd_web_opts *o, nd_error *err);

/* ---- inside web/ ---- */

/* A request as the routes see it. */
typedef struct web_req {
    /* The query string's decoded values (NULL: absent), from
     * libmicrohttpd, or from a test or the fuzzer. */
    const char *(*arg)(void *ctx, const char *name);
    void *arg_ctx;
    const char *path; /* decoded path */
    const char *base; /* the site's absolute address, no trailing '/' (links in /digest?format=) */
    nd_store *s;      /* this thread's connection */
    int api;          /* under /api/v1 */
    int status;
    const char *ctype;
    const char *allow; /* an Allow header (405) */
    nd_buf out;
} web_req;

/* Route and answer: fills r->status, r->ctype and r->out. */
void web_route(web_req *r);

/* A query-string value; NULL when absent.  *bad is set (and the answer
 * made: 400) when present but unusable (too long, invalid UTF-8, control
 * characters). */
const char *web_param(web_req *r, const char *name, int *bad);

/* The static files compiled into the binary (tools/embed_data.cmake). */
typedef struct web_asset {
    const char *name; /* "app.css" */
    const unsigned char *data;
    size_t len;
} web_asset;
extern const web_asset web_assets[];

#endif
