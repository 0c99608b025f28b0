/* server.c - the HTTP side of `newsdesk serve`: libmicrohttpd with a pool
 * of worker threads (epoll), each with its own read-only store connection;
 * limits on connections, idle time, request size and header count; GET
 * and HEAD only; the security headers on every answer. */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "web.h"

/* libmicrohttpd is loaded when a server starts (dlopen), not linked into
 * the binary: linked, every process of the command-line tool loaded it
 * and what it needs (GnuTLS, p11-kit, nettle, gmp and five more shared
 * objects), 1.3 ms of CPU and 165 page faults before main() - an eighth
 * of the CPU of a query on a warm store, for a server only `serve`
 * starts.  The calls go through this table, filled by web_mhd_load(). */
#define WEB_MHD_FNS(X)                                                                             \
    X(MHD_start_daemon)                                                                            \
    X(MHD_stop_daemon)                                                                             \
    X(MHD_get_daemon_info)                                                                         \
    X(MHD_get_connection_values)                                                                   \
    X(MHD_lookup_connection_value)                                                                 \
    X(MHD_create_response_from_buffer)                                                             \
    X(MHD_create_response_from_buffer_with_free_callback)                                          \
    X(MHD_add_response_header)                                                                     \
    X(MHD_queue_response)                                                                          \
    X(MHD_destroy_response)

static struct {
#define X(f) __typeof__(&f) f;
    WEB_MHD_FNS(X)
#undef X
} mhd;
static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
static char mhd_error[256];

static void mhd_load(void)
{
    void *h = dlopen(WEB_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(mhd_error, sizeof mhd_error, "cannot load %s: %s", WEB_MHD_SONAME, dlerror());
        return;
    }
#define X(f)                                                                                       \
    if (!(*(void **) &mhd.f = dlsym(h, #f))) {                                                     \
        snprintf(mhd_error, sizeof mhd_error, "%s: no %s", WEB_MHD_SONAME, #f);                    \
        return;                                                                                    \
    }
    WEB_MHD_FNS(X)
#undef X
}

/* 0 once libmicrohttpd is loaded, or -1 with the reason in mhd_error. */
static int web_mhd_load(void)
{
    pthread_once(&mhd_once, mhd_load);
    return mhd_error[0] ? -1 : 0;
}

#define MAX_HEADERS 64
#define MAX_PARAM   1024
#define REQ_MEMORY  (32 * 1024) /* request line and headers, per connection */

/* No script but our own file, no style but our own sheet, nothing from
 * another origin; the page may not be framed. */
static const char CSP[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                          "base-uri 'none'; frame-ancestors 'none'";

typedef struct server {
    const nd_web_opts *o;
    pthread_key_t key; /* this thread's worker */
    pthread_mutex_t mu;
    nd_error open_err;
    int open_failed;
    char base[256]; /* the site's address, for mailed briefings (web_req.base) */
    struct answer_cache *cache;
    nd_store **pool; /* connections opened before listening, one per worker */
    unsigned n_pool;
    /* The documents' search columns in memory (nd_doc_table), shared by
     * the workers: each request takes a reference under mu.  The main
     * thread remakes it on its own connection when the store changes. */
    nd_doc_table *table;
    nd_store *builder;
    int64_t next_build_ms; /* not before (monotonic ms) */
    /* The thread that makes the table and warms the store after the
     * address is printed (prepare), on the builder's connection. */
    pthread_t prep;
    int prep_running;
    _Atomic int stopping;
} server;

/* The briefing's pages (/, /digest, /api/v1/digest) are what every
 * visitor asks first and cost the most to make; an actor's page, a
 * search and two actors' relations cost the most per request (5 to 40
 * ms of CPU for an actor in half the documents or a word most documents
 * hold).  The server keeps its latest answers, by path and parameters,
 * until the store changes (nd_store_file_version moves when anyone
 * commits), for all its workers: an answer is made once, not once per
 * worker, and a worker asked for an answer another is making waits for
 * it instead of making it too.  An answer depends on nothing else: not
 * on the time, the headers or the client. */
#define CACHE_SLOTS 16
typedef struct cached {
    char *key; /* NULL: empty */
    uint64_t version;
    int making; /* a worker is making it: wait */
    const char *ctype;
    char *body;
    size_t len;
} cached;

typedef struct answer_cache {
    pthread_mutex_t mu;
    pthread_cond_t made;
    cached slot[CACHE_SLOTS];
    unsigned next; /* the slot to fill next */
} answer_cache;

/* A worker thread's own: its read-only store connection. */
typedef struct worker {
    nd_store *s;
} worker;

static void cached_clear(cached *c)
{
    nd_free(c->key);
    nd_free(c->body);
    memset(c, 0, sizeof *c);
}

static void worker_free(void *p)
{
    worker *w = p;
    nd_store_close(w->s);
    nd_free(w);
}

/* This thread's worker, with a connection of the pool (warmed) on first
 * use, else one opened now. */
static worker *thread_worker(server *sv)
{
    worker *w = pthread_getspecific(sv->key);
    if (w) return w;
    if (!(w = nd_calloc(1, sizeof *w))) return NULL;
    pthread_mutex_lock(&sv->mu);
    if (sv->n_pool) w->s = sv->pool[--sv->n_pool];
    pthread_mutex_unlock(&sv->mu);
    nd_error err = {0};
    if (!w->s && nd_store_open(sv->o->db, ND_STORE_READONLY | ND_STORE_NOMAP, &w->s, &err) != 0) {
        pthread_mutex_lock(&sv->mu);
        sv->open_err = err;
        sv->open_failed = 1;
        pthread_mutex_unlock(&sv->mu);
        nd_free(w);
        return NULL;
    }
    nd_store_set_busy_timeout(w->s, 2000);
    pthread_setspecific(sv->key, w);
    return w;
}

static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind, const char *name,
                               const char *value)
{
    (void) kind;
    nd_buf_printf(cls, "\n%s=%s", name ? name : "", value ? value : "\x01");
    return MHD_YES;
}

/* The cache key of a request when its answer is kept ("" otherwise):
 * the path and every parameter, in the order given. */
static void cache_key(struct MHD_Connection *c, const char *path, nd_buf *key)
{
    if (strcmp(path, "/") && strcmp(path, "/digest") && strcmp(path, "/api/v1/digest") &&
        strcmp(path, "/search") && strcmp(path, "/api/v1/search") && strcmp(path, "/relations") &&
        strcmp(path, "/api/v1/relations") && strncmp(path, "/actors/", 8) &&
        strncmp(path, "/api/v1/actors/", 15))
        return;
    nd_buf_puts(key, path);
    mhd.MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, key_arg, key);
}

static void answer_cache_free(answer_cache *ac)
{
    for (int i = 0; i < CACHE_SLOTS; i++) cached_clear(&ac->slot[i]);
    pthread_cond_destroy(&ac->made);
    pthread_mutex_destroy(&ac->mu);
}

static cached *cache_slot(answer_cache *ac, const char *key)
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (ac->slot[i].key && !strcmp(ac->slot[i].key, key)) return &ac->slot[i];
    return NULL;
}

/* The answer kept for key at version into r (1), or 0: then the caller
 * makes it and must call cache_made() (it is marked as being made unless
 * every slot is).  Waits, at most wait_ms, while another worker makes it. */
static int cache_get(answer_cache *ac, const char *key, uint64_t version, web_req *r, int wait_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000 + 1;
    pthread_mutex_lock(&ac->mu);
    cached *c;
    while ((c = cache_slot(ac, key)) && c->making && c->version == version)
        if (pthread_cond_timedwait(&ac->made, &ac->mu, &until)) break;
    if (c && !c->making && c->version == version && c->body) {
        nd_buf_append(&r->out, c->body, c->len);
        r->ctype = c->ctype;
        pthread_mutex_unlock(&ac->mu);
        return 1;
    }
    if (!c || !c->making) {
        /* Claim a slot (its own, else the next one nobody is making). */
        for (int i = 0; !c && i < CACHE_SLOTS; i++) {
            cached *x = &ac->slot[ac->next++ % CACHE_SLOTS];
            if (!x->making) c = x;
        }
        if (c) {
            cached_clear(c);
            c->key = nd_strndup(key, strlen(key));
            c->version = version;
            c->making = c->key != NULL;
            if (!c->key) cached_clear(c);
        }
    }
    pthread_mutex_unlock(&ac->mu);
    return 0;
}

/* The answer made for key at version: kept when it is a 200 and the store
 * did not change while it was made (now is its version after). */
static void cache_made(answer_cache *ac, const char *key, uint64_t version, uint64_t now,
                       const web_req *r)
{
    pthread_mutex_lock(&ac->mu);
    cached *c = cache_slot(ac, key);
    if (c && c->making && c->version == version) {
        c->making = 0;
        if (now == version && r->status == 200 && !nd_buf_failed(&r->out) &&
            (c->body = nd_malloc(r->out.len ? r->out.len : 1)) != NULL) {
            memcpy(c->body, r->out.ptr, r->out.len);
            c->len = r->out.len;
            c->ctype = r->ctype;
        } else {
            cached_clear(c);
        }
    }
    pthread_cond_broadcast(&ac->made);
    pthread_mutex_unlock(&ac->mu);
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void) kind, (void) key, (void) value;
    ++*(int *) cls;
    return MHD_YES;
}

/* A query-string value as libmicrohttpd decoded it. */
static const char *mhd_arg(void *conn, const char *name)
{
    return mhd.MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result send_answer(struct MHD_Connection *c, web_req *r)
{
    size_t len = r->out.len;
    char *body = nd_buf_detach(&r->out, &len);
    struct MHD_Response *resp =
        body ? mhd.MHD_create_response_from_buffer_with_free_callback(len, body, nd_free)
             : mhd.MHD_create_response_from_buffer(0, (void *) "", MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        nd_free(body);
        return MHD_NO;
    }
    if (!body) r->status = 500;
    mhd.MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                r->ctype ? r->ctype : "text/plain; charset=utf-8");
    mhd.MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    mhd.MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    mhd.MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    mhd.MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    mhd.MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    mhd.MHD_add_response_header(resp, "Cache-Control",
                                r->ctype && !strncmp(r->ctype, "text/css", 8) ? "max-age=3600"
                                : r->ctype && !strncmp(r->ctype, "text/javascript", 15)
                                    ? "max-age=3600"
                                    : "no-cache");
    if (r->allow) mhd.MHD_add_response_header(resp, "Allow", r->allow);
    enum MHD_Result ret = mhd.MHD_queue_response(c, (unsigned) r->status, resp);
    mhd.MHD_destroy_response(resp);
    return ret;
}

static void plain_error(web_req *r, int status, const char *msg)
{
    nd_buf_clear(&r->out);
    r->status = status;
    nd_render_html_error(&r->out, status, msg);
    r->ctype = "text/html; charset=utf-8";
}

/* A body announced (Content-Length above 0, or chunked). */
static int has_body(struct MHD_Connection *c)
{
    const char *len =
        mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te =
        mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    return te || (len && strspn(len, "0") != strlen(len));
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    server *sv = cls;
    (void) version, (void) upload, (void) upload_size, (void) state;
    /* Answered as soon as the headers are in: nothing here reads a body. */
    web_req r;
    worker *w;
    memset(&r, 0, sizeof r);
    r.arg = mhd_arg;
    r.arg_ctx = c;
    r.path = url;
    r.base = sv->base;
    r.status = 200;
    int headers = 0;
    mhd.MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &headers);
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        /* Nothing here changes the store. */
        plain_error(&r, 405, "newsdesk serve only reads: GET and HEAD");
        r.allow = "GET, HEAD";
    } else if (has_body(c)) {
        plain_error(&r, 413, "a request to read has no body");
    } else if (headers > MAX_HEADERS) {
        plain_error(&r, 431, "too many request headers");
    } else if (!(w = thread_worker(sv))) {
        plain_error(&r, 503, "the store cannot be opened");
    } else {
        r.s = w->s;
        pthread_mutex_lock(&sv->mu);
        nd_doc_table *table = nd_doc_table_ref(sv->table);
        pthread_mutex_unlock(&sv->mu);
        nd_store_use_doc_table(r.s, table);
        nd_buf key = ND_BUF_INIT;
        cache_key(c, url, &key);
        int ms = sv->o->query_ms > 0 ? sv->o->query_ms : 5000;
        uint64_t fv = key.len && !nd_buf_failed(&key) ? nd_store_file_version(sv->o->db) : 0;
        if (!fv || !cache_get(sv->cache, key.ptr, fv, &r, ms)) {
            nd_store_set_time_limit(r.s, ms);
            web_route(&r);
            nd_store_set_time_limit(r.s, 0);
            if (fv) cache_made(sv->cache, key.ptr, fv, nd_store_file_version(sv->o->db), &r);
        }
        nd_buf_free(&key);
        nd_store_use_doc_table(r.s, NULL);
        nd_doc_table_free(table);
    }
    enum MHD_Result ret = send_answer(c, &r);
    nd_buf_free(&r.out);
    return ret;
}

static void pool_close(nd_store **pool, unsigned n)
{
    for (unsigned i = 0; i < n; i++) nd_store_close(pool[i]);
    nd_free(pool);
}

/* One connection per worker, opened before anyone is told the store is
 * served (the store's indexes are read into the system's page cache after
 * that: prepare below).  The connections read through their page caches,
 * not a memory map
 * (ND_STORE_NOMAP): a page first touched through a map is read with the
 * device's read-ahead around it (8 MB on the machine of issue 13), so on
 * a store dropped from the page cache since (a night's ingest, another
 * process) each page an actor or relations page needed cost megabytes;
 * warmed through a map, each connection also mapped the file anew
 * (docs/architecture.md, "SQLite settings"). */
static int pool_open(const nd_web_opts *o, unsigned n, nd_store ***out, nd_error *err)
{
    nd_store **pool = nd_calloc(n, sizeof *pool);
    int rc = pool ? 0 : nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    for (unsigned i = 0; !rc && i < n; i++)
        rc = nd_store_open(o->db, ND_STORE_READONLY | ND_STORE_NOMAP, &pool[i], err);
    if (rc) {
        if (pool) pool_close(pool, n);
        return rc;
    }
    *out = pool;
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The table made again when the store has changed since it was made:
 * at most a fifth of the time (an ingest commits every quarter of a
 * second; a table of 100,000 documents takes about 0.25 s of CPU).  Until
 * then the questions read SQL, which answers the same.  A table that
 * cannot be made is not used. */
static void table_refresh(server *sv)
{
    if (!sv->builder) return;
    int64_t t0 = now_ms();
    if (t0 < sv->next_build_ms) return;
    uint64_t v = nd_store_file_version(sv->o->db);
    if (sv->table && nd_doc_table_version(sv->table) == v) return;
    nd_doc_table *t = NULL;
    nd_error err = {0};
    if (nd_doc_table_new(sv->builder, &t, &err)) t = NULL;
    int64_t t1 = now_ms();
    sv->next_build_ms = t1 + 4 * (t1 - t0) + 100;
    pthread_mutex_lock(&sv->mu);
    nd_doc_table *old = sv->table;
    sv->table = t;
    pthread_mutex_unlock(&sv->mu);
    nd_doc_table_free(old);
}

/* After the address is printed, on the builder's connection: the table
 * first (searches rank from memory once it is made, and from SQL with the
 * same answers until then), then the store's indexes read once
 * (nd_store_warm) into the system's page cache, which every connection
 * shares, so that the first search or actor page does not read them page
 * by page; then the table is remade whenever the store changes.  Both
 * used to run before the server listened: at 1,000,000 documents that
 * was 8-11 s for the table and about 75 s for the warm-up (3 GB read
 * from a cold disk), a minute and more before the first page. */
static void *prepare(void *arg)
{
    server *sv = arg;
    int64_t t0 = now_ms();
    table_refresh(sv);
    int64_t t1 = now_ms();
    int warmed = 0;
    if (sv->builder && !atomic_load(&sv->stopping)) {
        nd_error err = {0};
        /* a help, not a need: a failure changes no answer */
        warmed = nd_store_warm(sv->builder, &err) == 0;
    }
    if (sv->o->on_prepared && !atomic_load(&sv->stopping)) {
        pthread_mutex_lock(&sv->mu);
        int have = sv->table != NULL;
        pthread_mutex_unlock(&sv->mu);
        sv->o->on_prepared(sv->o->ctx, have ? (double) (t1 - t0) / 1000 : -1,
                           warmed ? (double) (now_ms() - t0) / 1000 : -1);
    }
    while (!atomic_load(&sv->stopping)) {
        struct timespec t = {0, 100 * 1000 * 1000};
        nanosleep(&t, NULL);
        table_refresh(sv);
    }
    return NULL;
}

/* Stops prepare: its statement is interrupted until it has returned. */
static void prepare_stop(server *sv)
{
    if (!sv->prep_running) return;
    atomic_store(&sv->stopping, 1);
    for (;;) {
        nd_store_interrupt(sv->builder);
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_nsec += 50 * 1000 * 1000;
        if (t.tv_nsec >= 1000000000) t.tv_sec++, t.tv_nsec -= 1000000000;
        if (pthread_timedjoin_np(sv->prep, NULL, &t) == 0) break;
    }
    sv->prep_running = 0;
}

int nd_web_serve(const nd_web_opts *o, nd_error *err)
{
    if (web_mhd_load()) return nd_error_set(err, ND_EIO, (size_t) -1, "%s", mhd_error);
    /* The analysis dictionary (event names) is loaded once, up front. */
    if (!nd_analyze_dict_default(err)) return err && err->code ? err->code : ND_ENOMEM;
    unsigned threads = o->threads > 0 ? (unsigned) o->threads : 4;
    /* The store must open before anyone is told it is served. */
    nd_store **pool = NULL;
    int rc = pool_open(o, threads, &pool, err);
    if (rc) return rc;

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t) o->port);
    if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1) {
        pool_close(pool, threads);
        return nd_error_set(err, ND_EINVAL, (size_t) -1,
                            "cannot listen on '%s': not an IPv4 address", o->host);
    }
    /* 1,000 connections and more need as many descriptors. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    server sv;
    memset(&sv, 0, sizeof sv);
    sv.o = o;
    answer_cache ac;
    memset(&ac, 0, sizeof ac);
    pthread_mutex_init(&ac.mu, NULL);
    pthread_cond_init(&ac.made, NULL);
    sv.cache = &ac;
    sv.pool = pool;
    sv.n_pool = threads;
    pthread_key_create(&sv.key, worker_free);
    pthread_mutex_init(&sv.mu, NULL);
    /* The connection the table is made on (prepare, once listening). */
    if (nd_store_open(o->db, ND_STORE_READONLY | ND_STORE_NOMAP, &sv.builder, NULL))
        sv.builder = NULL;
    struct MHD_Daemon *d = mhd.MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, answer, &sv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned) (o->max_conns > 0 ? o->max_conns : 4096),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, 0u, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned) (o->timeout_s > 0 ? o->timeout_s : 30), MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t) REQ_MEMORY, MHD_OPTION_LISTEN_BACKLOG_SIZE, 2048u, MHD_OPTION_END);
    if (!d) {
        nd_doc_table_free(sv.table);
        nd_store_close(sv.builder);
        pthread_key_delete(sv.key);
        pthread_mutex_destroy(&sv.mu);
        answer_cache_free(&ac);
        pool_close(sv.pool, sv.n_pool);
        return nd_error_set(err, ND_EIO, (size_t) -1, "cannot listen on %s:%u: %s", o->host,
                            o->port, errno ? strerror(errno) : "address in use?");
    }
    char url[96];
    const union MHD_DaemonInfo *info = mhd.MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(url, sizeof url, "http://%s:%u/", o->host, info ? info->port : o->port);
    snprintf(sv.base, sizeof sv.base, "%s", o->base_url ? o->base_url : url);
    for (size_t n = strlen(sv.base); n && sv.base[n - 1] == '/';) sv.base[--n] = 0;
    if (o->on_ready) o->on_ready(o->ctx, url);
    atomic_init(&sv.stopping, 0);
    sv.prep_running = pthread_create(&sv.prep, NULL, prepare, &sv) == 0;
    while (!(o->stop && *o->stop)) {
        struct timespec t = {0, 100 * 1000 * 1000};
        nanosleep(&t, NULL);
        if (!sv.prep_running) table_refresh(&sv);
    }
    prepare_stop(&sv);
    mhd.MHD_stop_daemon(d);
    nd_doc_table_free(sv.table);
    nd_store_close(sv.builder);
    pthread_key_delete(sv.key);
    pthread_mutex_destroy(&sv.mu);
    answer_cache_free(&ac);
    pool_close(sv.pool, sv.n_pool); /* those no worker took */
    return 0;
}
