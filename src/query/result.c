/* result.c - what every question shares: results in an arena, options,
 * date bounds, cursors, periods, SQL helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "query/query_int.h"

/* ---- results ---------------------------------------------------------------------- */

/* Values freed with the result besides its arena (documents with arenas
 * of their own). */
struct nd__result_own {
    void (*fn)(void *);
    void *p;
    struct nd__result_own *next;
};

void *nd__result_new(size_t size, size_t arena_hint, nd_error *err)
{
    nd_arena *ar = nd_arena_new(arena_hint ? arena_hint : 16384);
    nd_result *r = ar ? nd_arena_calloc(ar, 1, size) : NULL;
    if (!r) {
        nd_arena_free(ar);
        nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        return NULL;
    }
    r->arena = ar;
    return r;
}

int nd__result_own(nd_result *r, void (*fn)(void *), void *p)
{
    if (!p) return 0;
    struct nd__result_own *o = nd_arena_alloc(r->arena, sizeof *o);
    if (!o) {
        fn(p);
        return ND_ENOMEM;
    }
    o->fn = fn;
    o->p = p;
    o->next = r->own;
    r->own = o;
    return 0;
}

void nd_result_free(void *result)
{
    nd_result *r = result;
    if (!r) return;
    for (struct nd__result_own *o = r->own; o; o = o->next) o->fn(o->p);
    /* The header lives in its own arena: read the arena first. */
    nd_arena_free(r->arena);
}

void nd__col_span(sqlite3_stmt *st, int i, nd_span *sp)
{
    sp->start = sp->end = 0;
    if (sqlite3_column_type(st, i) == SQLITE_NULL || sqlite3_column_type(st, i + 1) == SQLITE_NULL)
        return;
    int64_t a = sqlite3_column_int64(st, i), b = sqlite3_column_int64(st, i + 1);
    if (a < 0 || b < a || b > UINT32_MAX) return;
    sp->start = (uint32_t) a;
    sp->end = (uint32_t) b;
}

const char *nd__str_dup(nd_arena *ar, const char *s)
{
    return s ? nd_arena_strndup(ar, s, strlen(s)) : NULL;
}

const char *nd__col_dup(nd_arena *ar, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t) return NULL;
    return nd_arena_strndup(ar, (const char *) t, (size_t) sqlite3_column_bytes(st, i));
}

void *nd__vec_push(nd_arena *ar, nd__vec *v)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 16;
        void *p = nd_arena_alloc(ar, nc * v->size);
        if (!p) return NULL;
        if (v->n) memcpy(p, v->items, v->n * v->size);
        v->items = p;
        v->cap = nc;
    }
    void *e = (char *) v->items + v->n++ * v->size;
    memset(e, 0, v->size);
    return e;
}

int nd__query_many = 20000;
int nd__query_search_docs = ND_QUERY_SEARCH_DOCS;
int nd__query_facet_docs = ND_QUERY_FACET_DOCS;
int nd__query_about_many = 2000;
const nd_query_opts nd__query_none;

/* ---- options ---------------------------------------------------------------------- */

int nd__i64_order(const void *x, const void *y)
{
    int64_t a = *(const int64_t *) x, b = *(const int64_t *) y;
    return (a > b) - (a < b);
}

int nd__query_limit(const nd_query_opts *o, int def)
{
    int n = o && o->limit > 0 ? o->limit : def;
    return n > ND_QUERY_MAX_LIMIT ? ND_QUERY_MAX_LIMIT : n;
}

int nd__query_check(const nd_query_opts *o, unsigned allowed, const char *what, nd_error *err)
{
    if (!o) return 0;
    static const struct {
        unsigned bit;
        const char *name;
    } f[] = {{ND__F_SINCE, "since"},   {ND__F_UNTIL, "until"},
             {ND__F_SITE, "site"},     {ND__F_LANGUAGE, "language"},
             {ND__F_ACTOR, "actor"},   {ND__F_ACTOR_B, "actor_b"},
             {ND__F_STORY, "story"},   {ND__F_TEXT, "text"},
             {ND__F_CURSOR, "cursor"}, {ND__F_DOC, "doc"}};
    const void *set[] = {o->since,
                         o->until,
                         o->site,
                         o->language,
                         o->actor,
                         o->actor_b,
                         o->story ? "" : NULL,
                         o->text,
                         o->cursor,
                         o->doc ? "" : NULL};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (set[i] && !(allowed & f[i].bit))
            return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: cannot filter by %s", what,
                                f[i].name);
    return 0;
}

int nd__since_bound(const char *since, char out[32], nd_error *err)
{
    out[0] = 0;
    if (!since) return 0;
    if (nd__store_parse_time(since, out) != 0)
        return nd_error_set(err, ND_EPARSE, (size_t) -1, "cannot read the date '%s'", since);
    /* A day bound matches day-only and timed values of that day, as both
     * sort after it. */
    if (strlen(out) == 20 && strcmp(out + 10, "T00:00:00Z") == 0) out[10] = 0;
    return 0;
}

int nd__until_bound(const char *until, char out[32], nd_error *err)
{
    int rc = nd__since_bound(until, out, err);
    if (rc || !until) return rc;
    if (strlen(out) == 10) {
        /* A whole day: everything before the next one. */
        int64_t ts;
        int has_time;
        if (nd_time_parse(out, 10, &ts, &has_time) != 0)
            return nd_error_set(err, ND_EPARSE, (size_t) -1, "cannot read the date '%s'", until);
        nd_time_format(ts + 86400, 1, out);
    }
    return 0;
}

/* ---- cursors ---------------------------------------------------------------------- */

const char *nd__cursor_make(nd_arena *ar, char tag, int n, const char *const *fields)
{
    nd_buf b = ND_BUF_INIT;
    nd_buf_putc(&b, tag);
    for (int i = 0; i < n; i++) {
        nd_buf_putc(&b, '~');
        if (fields[i]) nd_buf_puts(&b, fields[i]);
    }
    const char *c = nd_buf_failed(&b) ? NULL : nd_arena_strndup(ar, b.ptr, b.len);
    nd_buf_free(&b);
    return c;
}

int nd__cursor_split(const char *cursor, char tag, char buf[256], const char **fields, int max,
                     nd_error *err)
{
    size_t len = cursor ? strlen(cursor) : 0;
    if (len < 2 || len > 255 || cursor[0] != tag || cursor[1] != '~')
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "bad cursor");
    /* What a cursor can hold: digits, dates and times, codes. */
    for (size_t i = 0; i < len; i++) {
        char c = cursor[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '~' || c == '-' || c == ':' || c == '.' || c == '_'))
            return nd_error_set(err, ND_EINVAL, (size_t) -1, "bad cursor");
    }
    memcpy(buf, cursor + 2, len - 1);
    int n = 0;
    char *p = buf;
    for (;;) {
        if (n == max) return nd_error_set(err, ND_EINVAL, (size_t) -1, "bad cursor");
        fields[n++] = p;
        char *t = strchr(p, '~');
        if (!t) break;
        *t = 0;
        p = t + 1;
    }
    return n;
}

int nd__cursor_int(const char *field, int64_t *out, nd_error *err)
{
    char *end;
    long long v = strtoll(field, &end, 10);
    if (!*field || *end || v < 0) return nd_error_set(err, ND_EINVAL, (size_t) -1, "bad cursor");
    *out = v;
    return 0;
}

/* ---- periods ----------------------------------------------------------------------- */

int nd__parse_period(const char *by, int *out, const char **name, nd_error *err)
{
    static const char *const names[] = {"day", "week", "month", "year"};
    if (!by) by = "month";
    for (int i = 0; i < 4; i++)
        if (!strcmp(by, names[i])) {
            *out = i;
            if (name) *name = names[i];
            return 0;
        }
    return nd_error_set(err, ND_EINVAL, (size_t) -1, "unknown period '%s' (day, week, month, year)",
                        by);
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void nd__period_of(const char *date, int by, char out[32])
{
    int y, m, d;
    if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
        d > 31) {
        snprintf(out, 32, "undated");
        return;
    }
    switch (by) {
    case ND__BY_DAY: snprintf(out, 32, "%04d-%02d-%02d", y, m, d); break;
    case ND__BY_MONTH: snprintf(out, 32, "%04d-%02d", y, m); break;
    case ND__BY_YEAR: snprintf(out, 32, "%04d", y); break;
    default: {
        /* ISO 8601 week: the week (Monday first) holding the Thursday. */
        long days = days_from_civil(y, m, d);
        int wday = (int) (((days % 7) + 7 + 3) % 7); /* 0 = Monday; 1970-01-01 was a Thursday */
        long thursday = days - wday + 3;
        int wy = y;
        if (thursday < days_from_civil(y, 1, 1))
            wy = y - 1;
        else if (thursday >= days_from_civil(y + 1, 1, 1))
            wy = y + 1;
        long week = (thursday - days_from_civil(wy, 1, 1)) / 7 + 1;
        snprintf(out, 32, "%04d-W%02ld", wy, week);
    }
    }
}

void nd__agg_init(nd__agg *g, nd_arena *ar, int by)
{
    memset(g, 0, sizeof *g);
    g->ar = ar;
    g->by = by;
    g->out.size = sizeof(nd_period);
}

static void agg_close(nd__agg *g)
{
    if (g->cur) g->cur->goldstein = g->cur->events ? g->gsum / (double) g->cur->events : 0;
    g->cur = NULL;
    g->gsum = 0;
}

nd_period *nd__agg_at(nd__agg *g, const char *date)
{
    char key[32];
    nd__period_of(date, g->by, key);
    if (g->cur && !strcmp(key, g->cur->period)) return g->cur;
    agg_close(g);
    nd_period *p = nd__vec_push(g->ar, &g->out);
    if (p) p->period = nd_arena_strndup(g->ar, key, strlen(key));
    if (!p || !p->period) {
        g->failed = 1;
        return NULL;
    }
    return g->cur = p;
}

void nd__agg_end(nd__agg *g)
{
    agg_close(g);
}

/* ---- SQL ----------------------------------------------------------------------------- */

int nd__prepare(nd_store *s, nd_buf *sql, sqlite3_stmt **st, const char *what, nd_error *err)
{
    *st = NULL;
    if (nd_buf_failed(sql)) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (sqlite3_prepare_v2(s->db, sql->ptr, (int) sql->len, st, NULL) != SQLITE_OK)
        return nd__store_fail(s, what, err);
    return 0;
}

#define N_KEPT (int) (sizeof((nd_store *) 0)->kept / sizeof *((nd_store *) 0)->kept)

int nd__prepare_kept(nd_store *s, nd_buf *sql, sqlite3_stmt **st, const char *what, nd_error *err)
{
    *st = NULL;
    if (nd_buf_failed(sql)) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    struct nd__kept *slot = NULL;
    for (int i = 0; i < N_KEPT; i++) {
        struct nd__kept *k = &s->kept[i];
        if (k->st && !k->busy && k->len == sql->len && !memcmp(k->sql, sql->ptr, sql->len)) {
            k->busy = 1;
            k->used = ++s->kept_tick;
            *st = k->st;
            return 0;
        }
        if (!k->busy && (!slot || (slot->st && (!k->st || k->used < slot->used)))) slot = k;
    }
    if (sql->len > 2048) slot = NULL; /* lists of ids: asked once */
    if (sqlite3_prepare_v3(s->db, sql->ptr, (int) sql->len, slot ? SQLITE_PREPARE_PERSISTENT : 0,
                           st, NULL) != SQLITE_OK)
        return nd__store_fail(s, what, err);
    char *copy = slot ? nd_malloc(sql->len + 1) : NULL;
    if (copy) {
        memcpy(copy, sql->ptr, sql->len);
        copy[sql->len] = 0;
        sqlite3_finalize(slot->st);
        nd_free(slot->sql);
        slot->sql = copy;
        slot->len = sql->len;
        slot->st = *st;
        slot->busy = 1;
        slot->used = ++s->kept_tick;
    }
    return 0;
}

void nd__release(nd_store *s, sqlite3_stmt *st)
{
    if (!st) return;
    for (int i = 0; i < N_KEPT; i++)
        if (s->kept[i].st == st) {
            /* Reset: a statement left stepped holds its read snapshot. */
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            s->kept[i].busy = 0;
            return;
        }
    sqlite3_finalize(st);
}

int nd__query_int(nd_store *s, const char *sql, int64_t arg, int64_t *out, nd_error *err)
{
    sqlite3_stmt *st;
    *out = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot count", err);
    if (sqlite3_bind_parameter_count(st) >= 1) sqlite3_bind_int64(st, 1, arg);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return nd__store_fail(s, "cannot count", err);
    return 0;
}

const char *nd__event_name(const char *code)
{
    const char *name = NULL;
    const nd_analyze_dict *d = nd_analyze_dict_default(NULL);
    if (!d || !code || nd_cameo_lookup(d, code, &name, NULL, NULL) != 0 || !name) return "";
    return name;
}

int nd__leaf_cached(nd_store *s, const char *index)
{
    int64_t root = 0, size = 0;
    const char *path = sqlite3_db_filename(s->db, "main");
    sqlite3_stmt *st;
    if (!path || !path[0] ||
        sqlite3_prepare_v2(s->db, "SELECT rootpage FROM sqlite_schema WHERE name = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, index, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) root = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (nd__query_int(s, "PRAGMA page_size", 0, &size, NULL) || root < 2 || size < 512 ||
        size > 65536)
        return -1;
    long os = sysconf(_SC_PAGESIZE);
    int fd = os > 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0) return -1;
    /* Down the right-most pointers (bytes 8-11 of an interior page's
     * header; page 1, with the file's header first, is the schema's),
     * each page asked before it is read (the read caches it). */
    unsigned char h[12];
    int64_t pg = root;
    int ret = -1;
    for (int depth = 0; depth < 16 && pg >= 2; depth++) {
        off_t at = (off_t) ((pg - 1) * size);
        void *m = mmap(NULL, (size_t) os, PROT_READ, MAP_SHARED, fd, at - at % os);
        unsigned char in = 0;
        int known = m != MAP_FAILED && mincore(m, (size_t) os, &in) == 0;
        if (m != MAP_FAILED) munmap(m, (size_t) os);
        if (!known || pread(fd, h, sizeof h, at) != (ssize_t) sizeof h) break;
        if (h[0] == 0x0a || h[0] == 0x0d) { /* a leaf */
            ret = in & 1;
            break;
        }
        if (h[0] != 0x02 && h[0] != 0x05) break;
        pg = (int64_t) h[8] << 24 | (int64_t) h[9] << 16 | (int64_t) h[10] << 8 | h[11];
    }
    close(fd);
    return ret;
}

static int ahead_stopped(void *stop)
{
    return atomic_load((atomic_int *) stop);
}

sqlite3 *nd__ahead_open(const char *path, atomic_int *stop)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_progress_handler(db, 1000, ahead_stopped, stop);
    return db;
}

/* ---- pages asked for ahead ------------------------------------------------------- */

size_t nd__varint(const unsigned char *p, size_t avail, uint64_t *v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < 9 && i < avail; i++) {
        if (i == 8) {
            *v = x << 8 | p[i];
            return 9;
        }
        x = x << 7 | (p[i] & 0x7f);
        if (!(p[i] & 0x80)) {
            *v = x;
            return i + 1;
        }
    }
    return 0;
}

void (*nd__fetch_seen)(int64_t page);
int nd__fetch_always;

/* A table page's child pointers for the sorted ids: the children that
 * hold them, each once, into kids (at most room); their ids' slices into
 * from/to.  The number found, or -1 when the page is not a table's
 * interior page as expected (a hint only: the file may hold an older
 * page than the WAL). */
static int table_kids(const unsigned char *pg, size_t size, const int64_t *ids, size_t lo,
                      size_t hi, uint32_t *kids, size_t *from, size_t *to, int room)
{
    if (pg[0] != 0x05) return -1;
    unsigned ncell = (unsigned) pg[3] << 8 | pg[4];
    if (12 + 2 * (size_t) ncell > size) return -1;
    int n = 0;
    size_t at = lo;
    int64_t prev = INT64_MIN;
    for (unsigned c = 0; c <= ncell && at < hi; c++) {
        const unsigned char *q;
        int64_t key = INT64_MAX;
        if (c < ncell) {
            size_t off = (size_t) pg[12 + 2 * c] << 8 | pg[13 + 2 * c];
            if (off + 5 > size) return -1;
            q = pg + off;
            uint64_t v;
            if (!nd__varint(q + 4, size - off - 4, &v)) return -1;
            key = (int64_t) v;
            if (key < prev) return -1;
            prev = key;
        } else {
            q = pg + 8; /* the right-most child */
        }
        size_t end = at;
        while (end < hi && ids[end] <= key) end++;
        if (end == at) continue;
        if (n == room) return -1;
        kids[n] = (uint32_t) q[0] << 24 | (uint32_t) q[1] << 16 | (uint32_t) q[2] << 8 | q[3];
        from[n] = at;
        to[n++] = end;
        at = end;
    }
    return n;
}

/* The level of a descent: pages and, for each, the slice of ids under it. */
typedef struct ahead_level {
    uint32_t *pg;
    size_t *from, *to;
    int n, room;
} ahead_level;

static int level_grow(ahead_level *l, int room)
{
    if (room <= l->room) return 0;
    uint32_t *pg = nd_realloc(l->pg, (size_t) room * sizeof *pg);
    if (pg) l->pg = pg;
    size_t *from = pg ? nd_realloc(l->from, (size_t) room * sizeof *from) : NULL;
    if (from) l->from = from;
    size_t *to = from ? nd_realloc(l->to, (size_t) room * sizeof *to) : NULL;
    if (to) l->to = to;
    if (!to) return -1;
    l->room = room;
    return 0;
}

int nd__fetch_open(nd_store *s, const char *table, nd__fetch *a)
{
    memset(a, 0, sizeof *a);
    a->fd = -1;
    const char *path = sqlite3_db_filename(s->db, "main");
    /* One statement for the tables of a search (its preparation costs
     * what reading 100 lengths does). */
    nd_buf sql = ND_BUF_INIT;
    nd_buf_puts(&sql, "SELECT rootpage, (SELECT page_size FROM pragma_page_size)"
                      " FROM sqlite_schema WHERE name = ?1");
    sqlite3_stmt *st;
    int rc = path && path[0] ? nd__prepare_kept(s, &sql, &st, "cannot read", NULL) : -1;
    nd_buf_free(&sql);
    if (rc) return -1;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        a->root = sqlite3_column_int64(st, 0);
        a->size = sqlite3_column_int64(st, 1);
    }
    nd__release(s, st);
    if (a->root < 2 || a->size < 512 || a->size > 65536) return -1;
    a->fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (a->fd >= 0 && fstat(a->fd, &sb) == 0) a->last = (int64_t) sb.st_size / a->size;
    a->page = nd_malloc((size_t) a->size);
    if (a->fd < 0 || !a->page || a->root > a->last) {
        nd__fetch_close(a);
        return -1;
    }
    return 0;
}

void nd__fetch_close(nd__fetch *a)
{
    if (a->fd >= 0) close(a->fd);
    a->fd = -1;
    nd_free(a->page);
    a->page = NULL;
}

/* Whether page pg of the file is in the system's page cache (a read that
 * may not wait: RWF_NOWAIT). */
static int page_cached(const nd__fetch *a, uint32_t pg)
{
#ifdef RWF_NOWAIT
    char b;
    struct iovec v = {&b, 1};
    return preadv2(a->fd, &v, 1, (off_t) (pg - 1) * a->size, RWF_NOWAIT) == 1;
#else
    (void) a, (void) pg;
    return 0;
#endif
}

/* Down the table's B-tree to the leaf of rowid id (INT64_MAX: the last
 * leaf, its largest rowid into *max), each page asked whether it is
 * cached before it is read: 1 when one is not, 0 when all are (or the
 * pages cannot be read so). */
static int path_cold(nd__fetch *a, int64_t id, int64_t *max)
{
    int64_t pg = a->root;
    size_t size = (size_t) a->size;
    unsigned char *b = a->page;
    for (int depth = 0; depth < 16 && pg >= 2 && pg <= a->last; depth++) {
        if (!page_cached(a, (uint32_t) pg)) return 1;
        if (pread(a->fd, b, size, (off_t) (pg - 1) * a->size) != (ssize_t) size) return 0;
        unsigned ncell = (unsigned) b[3] << 8 | b[4];
        if (12 + 2 * (size_t) ncell > size) return 0;
        if (b[0] == 0x0d) {
            if (id == INT64_MAX && ncell) {
                size_t off = (size_t) b[8 + 2 * (ncell - 1)] << 8 | b[9 + 2 * (ncell - 1)];
                uint64_t len, rowid;
                size_t u = off < size ? nd__varint(b + off, size - off, &len) : 0;
                if (u && nd__varint(b + off + u, size - off - u, &rowid)) *max = (int64_t) rowid;
            }
            return 0;
        }
        if (b[0] != 0x05) return 0;
        const unsigned char *child = b + 8; /* the right-most */
        for (unsigned c = 0; id != INT64_MAX && c < ncell; c++) {
            size_t off = (size_t) b[12 + 2 * c] << 8 | b[13 + 2 * c];
            uint64_t key;
            if (off + 5 > size || !nd__varint(b + off + 4, size - off - 4, &key)) return 0;
            if ((int64_t) key >= id) {
                child = b + off;
                break;
            }
        }
        pg = (int64_t) child[0] << 24 | (int64_t) child[1] << 16 | (int64_t) child[2] << 8 |
             child[3];
    }
    return 0;
}

int nd__fetch_cold(nd__fetch *a)
{
    if (a->fd < 0) return 0;
    if (nd__fetch_always) return 1;
    /* The last leaf, then the one 50,000 rows back: the newest pages
     * alone may be cached (another reader's, a writer's) when the rest is
     * not. */
    int64_t max = 0;
    if (path_cold(a, INT64_MAX, &max)) return 1;
    return max > 50000 && path_cold(a, max - 50000, &max);
}

/* A column of a record whose header is at rec (hdr bytes) and whose
 * payload is pay bytes: the i-th's serial type and bytes; 0, or -1 when
 * it is not on the page. */
static int record_col(const unsigned char *rec, uint64_t hdr, uint64_t pay, int i, uint64_t *type,
                      const unsigned char **at, size_t *len)
{
    static const unsigned char bytes[] = {0, 1, 2, 3, 4, 6, 8, 8, 0, 0};
    size_t h = 0, d = (size_t) hdr;
    uint64_t v;
    size_t u = nd__varint(rec, (size_t) hdr, &v);
    if (!u) return -1;
    h = u;
    for (int c = 0; c <= i; c++) {
        if (h >= hdr || !(u = nd__varint(rec + h, (size_t) hdr - h, type))) return -1;
        h += u;
        *len = *type < 10 ? bytes[*type] : *type >= 12 ? (size_t) (*type - 12) / 2 : 0;
        if (c < i) d += *len;
    }
    if (d + *len > pay) return -1;
    *at = rec + d;
    return 0;
}

/* Key k against a cell's record: <0, 0 (the columns compared equal) or
 * >0; -2 when the record cannot be compared (not on the page, another
 * type). */
static int key_cmp(const nd__fetch_key *k, const unsigned char *rec, uint64_t hdr, uint64_t pay)
{
    uint64_t type;
    const unsigned char *at;
    size_t len;
    int col = 0;
    if (k->has_num) {
        if (record_col(rec, hdr, pay, 0, &type, &at, &len) || type == 0 || type == 7 || type > 9)
            return -2;
        int64_t x = type == 8 ? 0 : type == 9 ? 1 : (at[0] & 0x80) ? -1 : 0;
        for (size_t i = 0; i < len; i++) x = (int64_t) ((uint64_t) x << 8 | at[i]);
        if (k->num != x) return k->num < x ? -1 : 1;
        if (!k->text) return 0; /* the integer alone: every key that begins with it */
        col = 1;
    }
    if (record_col(rec, hdr, pay, col, &type, &at, &len) || type < 12) return -2;
    size_t m = k->len < len ? k->len : len;
    int d = memcmp(k->text, at, m);
    if (d) return d < 0 ? -1 : 1;
    return k->len < len ? -1 : k->len > len ? 1 : 0;
}

/* An index page's child pointers for the sorted keys: as table_kids,
 * each key under the child of the first cell whose key is not below it,
 * and the next child too when they are equal (the rows after it may go
 * on there). */
static int index_kids(const unsigned char *pg, size_t size, const nd__fetch_key *keys, size_t lo,
                      size_t hi, uint32_t *kids, size_t *from, size_t *to, int room)
{
    if (pg[0] != 0x02) return -1;
    unsigned ncell = (unsigned) pg[3] << 8 | pg[4];
    if (12 + 2 * (size_t) ncell > size) return -1;
    /* What of a cell's payload is on the page: all of it up to X. */
    size_t x = (size - 12) * 64 / 255 - 23;
    int n = 0;
    size_t at = lo;
    for (unsigned c = 0; c <= ncell && at < hi; c++) {
        const unsigned char *q = pg + 8, *rec = NULL;
        uint64_t pay = 0, hdr = 0;
        if (c < ncell) {
            size_t off = (size_t) pg[12 + 2 * c] << 8 | pg[13 + 2 * c];
            size_t u;
            if (off + 4 >= size) return -1;
            q = pg + off;
            if (!(u = nd__varint(q + 4, size - off - 4, &pay)) || pay > x) return -1;
            rec = q + 4 + u;
            if (rec + pay > pg + size || !nd__varint(rec, (size_t) pay, &hdr) || hdr > pay)
                return -1;
        }
        size_t end = at;
        int equal = 0;
        while (end < hi) {
            if (rec) {
                int d = key_cmp(&keys[end], rec, hdr, pay);
                if (d == -2) return -1;
                if (d > 0) break;
                equal |= d == 0;
            }
            end++;
        }
        if (end == at) continue;
        if (n + 2 > room) return -1;
        kids[n] = (uint32_t) q[0] << 24 | (uint32_t) q[1] << 16 | (uint32_t) q[2] << 8 | q[3];
        from[n] = at;
        to[n++] = end;
        if (equal && c < ncell) {
            /* the equal key's rows may go on under the next child */
            const unsigned char *r = pg + 8;
            if (c + 1 < ncell) r = pg + ((size_t) pg[14 + 2 * c] << 8 | pg[15 + 2 * c]);
            if (r + 4 > pg + size) return -1;
            kids[n] = (uint32_t) r[0] << 24 | (uint32_t) r[1] << 16 | (uint32_t) r[2] << 8 | r[3];
            from[n] = end - 1;
            to[n++] = end;
        }
        at = end;
    }
    return n;
}

static int page_order(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *) x, b = *(const uint32_t *) y;
    return (a > b) - (a < b);
}

/* Ask for pages pg[0..n) of fd, a run of consecutive pages in one call
 * (the device reads it as one). */
static void advise(int fd, int64_t size, const uint32_t *pg, int n)
{
    uint32_t *p = nd_malloc((size_t) n * sizeof *p);
    if (!p) return;
    memcpy(p, pg, (size_t) n * sizeof *p);
    qsort(p, (size_t) n, sizeof *p, page_order);
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && p[j] <= p[j - 1] + 1) j++;
        posix_fadvise(fd, (off_t) (p[i] - 1) * size, (off_t) (p[j - 1] - p[i] + 1) * size,
                      POSIX_FADV_WILLNEED);
        i = j;
    }
    nd_free(p);
}

/* The leaves of a's B-tree that hold the ids (a table's) or the texts
 * (an index's first column), n of them sorted: nd__fetch_rows. */
static int fetch_descend(nd__fetch *a, const int64_t *ids, const nd__fetch_key *keys, size_t n)
{
    if (!n || a->fd < 0) return 0;
    int fd = a->fd;
    int64_t size = a->size;
    unsigned char *pg = a->page;
    ahead_level cur = {0}, next = {0};
    int asked = 0, ok = level_grow(&cur, 1) == 0;
    if (ok) {
        cur.pg[0] = (uint32_t) a->root;
        cur.from[0] = 0;
        cur.to[0] = n;
        cur.n = 1;
    }
    /* Level by level from the root: each level's pages asked for at once
     * (the device serves them together), then read; the first child read
     * says whether the next level holds the leaves, which are only asked
     * for, not waited on. */
    for (int depth = 0; ok && depth < 16 && cur.n; depth++) {
        if (cur.n > 1) advise(fd, size, cur.pg, cur.n);
        next.n = 0;
        int leaves = -1;
        for (int i = 0; ok && i < cur.n; i++) {
            if (pread(fd, pg, (size_t) size, (off_t) (cur.pg[i] - 1) * size) != (ssize_t) size) {
                ok = 0;
                break;
            }
            if (nd__fetch_seen) nd__fetch_seen(cur.pg[i]);
            if (pg[0] == 0x0d || pg[0] == 0x0a) break; /* a leaf: the level above was one page */
            int room = 2 * (int) (cur.to[i] - cur.from[i]) + 2;
            if (level_grow(&next, next.n + room)) {
                ok = 0;
                break;
            }
            int k = ids ? table_kids(pg, (size_t) size, ids, cur.from[i], cur.to[i],
                                     next.pg + next.n, next.from + next.n, next.to + next.n, room)
                        : index_kids(pg, (size_t) size, keys, cur.from[i], cur.to[i],
                                     next.pg + next.n, next.from + next.n, next.to + next.n, room);
            if (k < 0) {
                ok = 0;
                break;
            }
            for (int j = next.n; j < next.n + k; j++)
                if (next.pg[j] < 2 || next.pg[j] > a->last) ok = 0;
            next.n += k;
            if (leaves < 0 && next.n) {
                unsigned char h;
                if (pread(fd, &h, 1, (off_t) (next.pg[0] - 1) * size) != 1) ok = 0;
                leaves = h == 0x0d || h == 0x0a;
            }
        }
        if (!ok || leaves < 0) break;
        if (leaves) {
            /* The middle one cached (the first was read above to tell a
             * leaf, the last may be the one before's first): the leaves
             * are taken as cached (a warm store), where asking for each
             * would be a call each. */
            if (next.n > 2 && !nd__fetch_always && page_cached(a, next.pg[next.n / 2])) break;
            asked = next.n < 4096 ? next.n : 4096;
            advise(fd, size, next.pg, asked);
            for (int j = 0; j < asked && nd__fetch_seen; j++) nd__fetch_seen(next.pg[j]);
            break;
        }
        ahead_level t = cur;
        cur = next;
        next = t;
    }
    nd_free(cur.pg);
    nd_free(cur.from);
    nd_free(cur.to);
    nd_free(next.pg);
    nd_free(next.from);
    nd_free(next.to);
    return asked;
}

int nd__fetch_rows(nd__fetch *a, const int64_t *ids, size_t n)
{
    return fetch_descend(a, ids, NULL, n);
}

int nd__fetch_key_order(const void *x, const void *y)
{
    const nd__fetch_key *a = x, *b = y;
    if (a->num != b->num) return a->num < b->num ? -1 : 1;
    size_t m = a->len < b->len ? a->len : b->len;
    int d = memcmp(a->text, b->text, m);
    return d ? d : (a->len > b->len) - (a->len < b->len);
}

int nd__fetch_keys(nd__fetch *a, const nd__fetch_key *keys, size_t n)
{
    return fetch_descend(a, NULL, keys, n);
}
