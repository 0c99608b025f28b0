/* store.c - opening the SQLite store, statements, transactions, runs and
 * errors. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "newsdesk/newsdesk.h"
#include "store/store_int.h"

static const char *const stmt_sql[ND_STMT_COUNT_] = {
#define ND__STMT_SQL(name, sql) sql,
    ND_STORE_STMTS(ND__STMT_SQL)
#undef ND__STMT_SQL
};

int nd__store_fail(nd_store *s, const char *what, nd_error *err)
{
    int rc = sqlite3_errcode(s->db);
    int code = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? ND_EBUSY : ND_EDB;
    return nd_error_set(err, code, (size_t) -1, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int nd__store_ids_back(nd_store *s, int64_t after, nd_error *err)
{
    return nd_error_set(err, ND_EDB, (size_t) -1,
                        "%s: cannot list documents: their ids go back after %lld (the file is "
                        "damaged: PRAGMA integrity_check)",
                        s->path, (long long) after);
}

sqlite3_stmt *nd__store_stmt(nd_store *s, enum nd_store_stmt which, nd_error *err)
{
    sqlite3_stmt *st = s->stmt[which];
    if (!st) {
        if (sqlite3_prepare_v3(s->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                               &s->stmt[which], NULL) != SQLITE_OK) {
            nd__store_fail(s, "cannot prepare a statement", err);
            return NULL;
        }
        return s->stmt[which];
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

int nd__store_exec(nd_store *s, const char *sql, nd_error *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) return nd__store_fail(s, sql, err);
    return 0;
}

void nd__store_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    nd__store_time((int64_t) ts.tv_sec, 1, out);
}

void nd__store_time(int64_t ts, int has_time, char out[32])
{
    nd_time_format(ts, !has_time, out);
}

static int pragma_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *st;
    out[0] = 0;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(out, n, "%s", t ? (const char *) t : "");
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The file and its folder can be written (a WAL store writes both). */
static int writable(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = 0;
    else if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    return access(path, W_OK) == 0 && access(dir, W_OK) == 0;
}

/* Open s->db on path; immutable: as a URI with immutable=1 (read-only
 * media), the path percent-escaped. */
static int open_db(nd_store *s, const char *path, int oflags, int immutable)
{
    if (!immutable) return sqlite3_open_v2(path, &s->db, oflags, NULL);
    nd_buf uri = ND_BUF_INIT;
    nd_buf_puts(&uri, "file:");
    for (const unsigned char *p = (const unsigned char *) path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7F)
            nd_buf_printf(&uri, "%%%02X", *p);
        else
            nd_buf_putc(&uri, (char) *p);
    }
    nd_buf_puts(&uri, "?immutable=1");
    int rc = nd_buf_failed(&uri) ? SQLITE_NOMEM
                                 : sqlite3_open_v2(uri.ptr, &s->db, oflags | SQLITE_OPEN_URI, NULL);
    nd_buf_free(&uri);
    return rc;
}

/* SQLite's memory statistics off, before its first use: kept, every
 * sqlite3_malloc() and free of every connection takes one global mutex,
 * and an ingest's writer and workers (four connections in as many
 * threads) waited on it: 100 pages into the 1,000,000-document store made
 * 30,000-35,000 futex calls, 500-600 without (strace -f -c).  Nothing
 * reads the statistics (sqlite3_memory_used, sqlite3_status).  A process
 * that started SQLite before its first store keeps its setting
 * (sqlite3_config then refuses, harmlessly). */
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int nd_store_open(const char *path, unsigned flags, nd_store **out, nd_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    *out = NULL;
    if (!path || !*path) return nd_error_set(err, ND_EINVAL, (size_t) -1, "no database path");
    int memory = strcmp(path, ":memory:") == 0;
    struct stat sb;
    if (!memory && stat(path, &sb) != 0) {
        if (errno != ENOENT)
            return nd_error_set(err, ND_EIO, (size_t) -1, "%s: %s", path,
                                nd_path_strerror(path, errno));
        /* A store in a folder that does not exist: name the folder. */
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = 0;
            if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
                return nd_error_set(err, ND_ENOTFOUND, (size_t) -1,
                                    "%s: no such folder (for the database %s)", dir, path);
        }
        if (!(flags & ND_STORE_CREATE) || (flags & ND_STORE_READONLY))
            return nd_error_set(err, ND_ENOTFOUND, (size_t) -1,
                                "%s: no database here (newsdesk ingest creates one)", path);
    } else if (!memory && S_ISDIR(sb.st_mode)) {
        return nd_error_set(err, ND_EINVAL, (size_t) -1, "%s: is a folder, not a database", path);
    }

    nd_store *s = nd_calloc(1, sizeof *s);
    if (!s) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    s->path = nd_strndup(path, strlen(path));
    s->flags = flags;
    if (!s->path) {
        nd_free(s);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    int oflags = (flags & ND_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    /* One connection per thread (see store.h), so SQLite's own mutexes
     * are not needed. */
    oflags |= SQLITE_OPEN_NOMUTEX;
    int rc = open_db(s, path, oflags, 0);
    if (rc != SQLITE_OK) {
        int code = nd_error_set(err, ND_EDB, (size_t) -1, "%s: cannot open: %s", path,
                                s->db ? sqlite3_errmsg(s->db) : "out of memory");
        nd_store_close(s);
        return code;
    }
    sqlite3_busy_timeout(s->db, 10000);

    /* Reading the schema version is the first touch of the file: a file
     * that is not a database fails here. */
    char mode[32];
    rc = pragma_text(s->db, "PRAGMA user_version", mode, sizeof mode);
    if ((rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN) && (flags & ND_STORE_READONLY) &&
        !memory && !writable(path)) {
        /* Read-only media: a WAL store needs its -shm file, which cannot
         * be made here.  Nobody can write the file either, so it is read
         * as immutable (without locks). */
        sqlite3_close_v2(s->db);
        s->db = NULL;
        rc = open_db(s, path, oflags, 1);
        if (rc == SQLITE_OK) rc = pragma_text(s->db, "PRAGMA user_version", mode, sizeof mode);
    }
    if (rc != SQLITE_OK) {
        int code = nd__store_fail(s, "cannot read", err);
        if (rc == SQLITE_NOTADB)
            code = nd_error_set(err, ND_EDB, (size_t) -1, "%s: not a newsdesk database", path);
        nd_store_close(s);
        return code;
    }
    int v = (int) strtol(mode, NULL, 10);
    if (v > ND_STORE_SCHEMA) {
        nd_store_close(s);
        return nd_error_set(err, ND_ESCHEMA, (size_t) -1,
                            "%s: database schema version %d is newer than this program's (%d);"
                            " use a newer newsdesk",
                            path, v, ND_STORE_SCHEMA);
    }
    if (!(flags & ND_STORE_READONLY)) {
        /* WAL: readers never wait for the writer, and a killed writer
         * leaves only an uncommitted tail that the next open discards. */
        rc = pragma_text(s->db, "PRAGMA journal_mode", mode, sizeof mode);
        if (rc == SQLITE_OK && strcmp(mode, "wal") != 0 && !memory)
            rc = pragma_text(s->db, "PRAGMA journal_mode=WAL", mode, sizeof mode);
        if (rc != SQLITE_OK) {
            int code = nd__store_fail(s, "cannot switch to WAL mode", err);
            nd_store_close(s);
            return code;
        }
        /* In WAL mode NORMAL loses no committed transaction when the
         * process dies; only a power cut can lose the last ones. */
        nd__store_exec(s, "PRAGMA synchronous=NORMAL", NULL);
        /* Debian builds SQLite with SECURE_DELETE: every page a write
         * frees (a full-text segment merged away, an item replaced, an
         * index page emptied) was zeroed, one more page into the WAL and
         * again at the checkpoint - 6.7-7.2% of the pages of 50 new pages
         * into a copy of the 100,000-document store (5,833 -> 5,445 and
         * 5,394 -> 5,006).  FAST still zeroes deleted content on the
         * pages a write changes anyway; the store holds public pages and
         * what was derived from them, nothing a freed page must not show. */
        nd__store_exec(s, "PRAGMA secure_delete=FAST", NULL);
        if (v < ND_STORE_SCHEMA) {
            rc = nd__store_migrate(s->db, ND_STORE_SCHEMA, path, err);
            if (rc) {
                nd_store_close(s);
                return rc;
            }
        }
    } else if (v < ND_STORE_SCHEMA) {
        /* A store of an older newsdesk: migrated first when it can be
         * written (one short writable connection), then read. */
        nd_store_close(s);
        if (!writable(path))
            return nd_error_set(err, ND_EDB, (size_t) -1,
                                "%s: schema version %d needs migrating to %d, and the file cannot"
                                " be written here",
                                path, v, ND_STORE_SCHEMA);
        nd_store *w = NULL;
        rc = nd_store_open(path,
                           flags & ~(unsigned) (ND_STORE_READONLY | ND_STORE_FAST | ND_STORE_NOMAP),
                           &w, err);
        nd_store_close(w);
        if (rc) return rc;
        return nd_store_open(path, flags, out, err);
    }
    /* Readers read through a memory map: no system call and no copy per
     * page.  As much of the file as SQLite maps (it caps the size at its
     * SQLITE_MAX_MMAP_SIZE: 2 GiB in Debian's build): a store of 100,000
     * documents is 1.6 GB, and the pages past a 1 GiB map were read with
     * pread(), a tenth of the actor page's CPU.  Not writers: the pages a
     * long ingest touches would count in its resident memory. */
    if (!memory && (flags & ND_STORE_READONLY) && !(flags & ND_STORE_NOMAP))
        nd__store_exec(s, "PRAGMA mmap_size=1099511627776", NULL);
    if (flags & ND_STORE_FAST) {
        /* A bulk writer: a larger page cache keeps the FTS and index pages
         * hot; checkpoints every 32768 pages (128 MB of WAL, about two
         * 200-page batches into a store of 100,000 documents): an index
         * page changed by several batches between two checkpoints is
         * copied into the file once (docs/architecture.md, "Commits and
         * checkpoints").  An ingest has them made by a thread of their
         * own instead (nd_store_ckpt_start, ckpt.c). */
        nd__store_exec(s, "PRAGMA cache_size=-65536", NULL);
        sqlite3_wal_autocheckpoint(s->db, ND__FAST_AUTOCHECKPOINT);
        /* The savepoint of each page and the statement journals of the
         * writes of many rows (the full-text index's merges) are kept in
         * memory: each lives until its statement or page ends, and spilled
         * to a temporary file past 64 KB they were 0.8 MB of writes a
         * page. */
        nd__store_exec(s, "PRAGMA temp_store=MEMORY", NULL);
    }
    s->schema = ND_STORE_SCHEMA;
    *out = s;
    return 0;
}

void nd_store_close(nd_store *s)
{
    if (!s) return;
    if (s->in_tx) nd_store_rollback(s);
    nd__store_analysis_close(s);
    nd__store_tokens_free(s);
    for (int i = 0; i < ND_STMT_COUNT_; i++) sqlite3_finalize(s->stmt[i]);
    for (int i = 0; i < (int) (sizeof s->kept / sizeof *s->kept); i++) {
        sqlite3_finalize(s->kept[i].st);
        nd_free(s->kept[i].sql);
    }
    if (s->db) sqlite3_close_v2(s->db);
    nd_free(s->path);
    nd_free(s);
}

int nd_store_schema_version(const nd_store *s)
{
    return s->schema;
}

int64_t nd_store_data_version(nd_store *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK) return -1;
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static uint64_t mix_stat(uint64_t h, const struct stat *st)
{
    uint64_t v[4] = {(uint64_t) st->st_size, (uint64_t) st->st_mtim.tv_sec,
                     (uint64_t) st->st_mtim.tv_nsec, (uint64_t) st->st_ino};
    for (int i = 0; i < 4; i++) h = (h ^ v[i]) * 0x100000001b3ull;
    return h;
}

uint64_t nd_store_file_version(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0) return 0;
    uint64_t h = mix_stat(0xcbf29ce484222325ull, &st);
    char wal[4096];
    if (snprintf(wal, sizeof wal, "%s-wal", path) >= (int) sizeof wal) return h ? h : 1;
    /* Every commit appends frames to the log (size, time); a restart
     * writes it from its start again with new salts (bytes 16-23). */
    if (stat(wal, &st) == 0) {
        h = mix_stat(h, &st);
        int fd = open(wal, O_RDONLY | O_CLOEXEC);
        unsigned char head[32];
        if (fd >= 0) {
            ssize_t n = read(fd, head, sizeof head);
            close(fd);
            for (ssize_t i = 0; i < n; i++) h = (h ^ head[i]) * 0x100000001b3ull;
        }
    }
    return h ? h : 1;
}

/* The progress handler of nd_store_set_time_limit(): nonzero interrupts
 * the statement. */
static int past_deadline(void *ctx)
{
    nd_store *s = ctx;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000 + t.tv_nsec / 1000000 > s->deadline_ms;
}

void nd_store_set_time_limit(nd_store *s, int ms)
{
    if (ms <= 0) {
        sqlite3_progress_handler(s->db, 0, NULL, NULL);
        return;
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    s->deadline_ms = (int64_t) t.tv_sec * 1000 + t.tv_nsec / 1000000 + ms;
    sqlite3_progress_handler(s->db, 10000, past_deadline, s);
}

void nd_store_interrupt(nd_store *s)
{
    if (s && s->db) sqlite3_interrupt(s->db);
}

int nd_store_warm(nd_store *s, nd_error *err)
{
    /* Each reads every page of one B-tree: the payload of the full-text
     * index and of the lengths, the leaves of the others (count(*) walks
     * them without reading rows; the documents' text is in overflow
     * pages and stays unread). */
    static const char *const sql[] = {
        "SELECT sum(length(block)) FROM documents_fts_data",
        "SELECT count(*) FROM documents_fts_idx",
        "SELECT sum(length(sz)) FROM documents_fts_docsize",
        "SELECT count(*) FROM documents NOT INDEXED",
        "SELECT count(*) FROM documents INDEXED BY documents_ident",
        "SELECT count(*) FROM doc_actors INDEXED BY doc_actors_doc",
        "SELECT count(*) FROM quotes INDEXED BY quotes_doc",
        "SELECT count(*) FROM events INDEXED BY events_doc",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st;
        /* A table or index this store lacks is not an error. */
        if (sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL) != SQLITE_OK) continue;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot read the store", err);
    }
    return 0;
}

void nd_store_set_busy_timeout(nd_store *s, int ms)
{
    sqlite3_busy_timeout(s->db, ms);
}

int nd_store_begin(nd_store *s, nd_error *err)
{
    /* IMMEDIATE takes the write lock now (waiting up to the busy timeout)
     * rather than failing later when a read turns into a write. */
    if (s->in_tx) return nd_error_set(err, ND_EINVAL, (size_t) -1, "transaction already open");
    int rc = nd__store_exec(s, "BEGIN IMMEDIATE", err);
    if (!rc) s->in_tx = 1;
    return rc;
}

int nd_store_commit(nd_store *s, nd_error *err)
{
    if (!s->in_tx) return 0;
    if (s->clusterer) nd__store_cluster_committing(s->clusterer);
    int rc = nd__store_before_commit(s, err);
    if (rc) return rc;
    rc = nd__store_exec(s, "COMMIT", err);
    if (!rc) {
        s->in_tx = 0;
        nd__store_tokens_committed(s);
    }
    return rc;
}

int nd_store_idle(nd_store *s, nd_error *err)
{
    return s->in_tx ? nd__store_analysis_idle(s, err) : 0;
}

void nd_store_rollback(nd_store *s)
{
    if (!s->in_tx) return;
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = 0;
    nd__store_tokens_rolled_back(s);
    nd__store_analysis_rolled_back(s);
    if (s->clusterer) nd__store_cluster_rolled_back(s->clusterer);
}

int nd_store_run_begin(nd_store *s, const char *inputs_json, int64_t *id, nd_error *err)
{
    char now[32];
    nd__store_now(now);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO ingest_runs(started, status, inputs, program)"
                           " VALUES (?1, 'running', ?2, ?3)",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot start a run", err);
    sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, inputs_json ? inputs_json : "[]", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, nd_version(), -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot start a run", err);
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int nd_store_run_finish(nd_store *s, const nd_store_run *r, nd_error *err)
{
    char now[32];
    nd__store_now(now);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE ingest_runs SET finished = ?2, status = ?3, pages = ?4,"
                           " added = ?5, related = ?6, duplicates = ?7, skipped = ?8, errors = ?9"
                           " WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return nd__store_fail(s, "cannot finish the run", err);
    sqlite3_bind_int64(st, 1, r->id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, r->status ? r->status : (r->errors ? "errors" : "done"), -1,
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, (sqlite3_int64) r->pages);
    sqlite3_bind_int64(st, 5, (sqlite3_int64) r->added);
    sqlite3_bind_int64(st, 6, (sqlite3_int64) r->related);
    sqlite3_bind_int64(st, 7, (sqlite3_int64) r->duplicates);
    sqlite3_bind_int64(st, 8, (sqlite3_int64) r->skipped);
    sqlite3_bind_int64(st, 9, (sqlite3_int64) r->errors);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot finish the run", err);
    return 0;
}

int nd_store_add_error(nd_store *s, const nd_store_error *e, nd_error *err)
{
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_ADD_ERROR, err);
    if (!st) return err ? err->code : ND_EDB;
    char now[32];
    nd__store_now(now);
    if (e->run_id) sqlite3_bind_int64(st, 1, e->run_id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    if (e->source) sqlite3_bind_text(st, 3, e->source, -1, SQLITE_STATIC);
    if (e->offset >= 0) sqlite3_bind_int64(st, 4, e->offset);
    if (e->line >= 0) sqlite3_bind_int64(st, 5, e->line);
    if (e->code) sqlite3_bind_text(st, 6, e->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e->message ? e->message : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return nd__store_fail(s, "cannot record an error", err);
    return 0;
}

int nd_store_has_raw(nd_store *s, uint64_t raw_hash, nd_error *err)
{
    sqlite3_stmt *st = nd__store_stmt(s, ND_STMT_HAS_RAW, err);
    if (!st) return err ? err->code : ND_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64) raw_hash);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return nd__store_fail(s, "cannot look up a page", err);
}
