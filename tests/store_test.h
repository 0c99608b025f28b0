/* store_test.h - what the store tests share: a temporary folder for
 * their files, a fresh store in it, and the pages a connection reads. */
#ifndef ND_STORE_TEST_H
#define ND_STORE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "newsdesk/newsdesk.h"
#include "store/store_int.h"

static char dir[64];

/* dir/name, in one of eight rotating buffers. */
static inline const char *tmp_path(const char *name)
{
    static char p[8][128];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

/* A new store at dir/name (an old file removed first), or NULL. */
static inline nd_store *fresh(const char *name)
{
    const char *path = tmp_path(name);
    unlink(path);
    nd_store *s = NULL;
    nd_error err = {0};
    if (nd_store_open(path, ND_STORE_CREATE, &s, &err)) fprintf(stderr, "open: %s\n", err.msg);
    return s;
}

/* Make the folder /tmp/PREFIX.XXXXXX; 0, or -1. */
static inline int tmpdir_make(const char *prefix)
{
    snprintf(dir, sizeof dir, "/tmp/%s.XXXXXX", prefix);
    return mkdtemp(dir) ? 0 : -1;
}

/* Remove the folder and what is in it. */
static inline void tmpdir_remove(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* Pages of the store read by r's connection since the last call. */
static inline int64_t pages_read(nd_store *r)
{
    int hit = 0, miss = 0, hi = 0;
    sqlite3_db_status(r->db, SQLITE_DBSTATUS_CACHE_HIT, &hit, &hi, 1);
    sqlite3_db_status(r->db, SQLITE_DBSTATUS_CACHE_MISS, &miss, &hi, 1);
    return (int64_t) hit + miss;
}

/* The (word, actor) pairs that differ between actor_names (schema step
 * 13, read through fts5vocab) and the words of each actor's name cut here
 * on their own: runs of ASCII letters and digits, lower case, each its
 * first 127 bytes; any other byte (a non-ASCII one too) ends a word.  -1
 * when the store cannot be read that way. */
static inline int64_t actor_names_differ(const char *path)
{
    sqlite3 *db = NULL;
    int64_t bad = -1;
    sqlite3_stmt *get = NULL, *put = NULL, *cnt = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "CREATE TEMP TABLE want (word TEXT, id INTEGER, PRIMARY KEY (word, id));"
                     "CREATE VIRTUAL TABLE temp.have USING fts5vocab(main, actor_names, instance);",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT id, name FROM actors", -1, &get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO want VALUES (?1, ?2)", -1, &put, NULL) !=
            SQLITE_OK)
        goto done;
    while (sqlite3_step(get) == SQLITE_ROW) {
        const char *n = (const char *) sqlite3_column_text(get, 1);
        char w[128];
        size_t k = 0;
        for (;; n++) {
            int c = (unsigned char) *n;
            int word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (word) {
                if (k < 127) w[k++] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
                continue;
            }
            if (k) {
                sqlite3_bind_text(put, 1, w, (int) k, SQLITE_TRANSIENT);
                sqlite3_bind_int64(put, 2, sqlite3_column_int64(get, 0));
                sqlite3_step(put);
                sqlite3_reset(put);
                k = 0;
            }
            if (!c) break;
        }
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT count(*) FROM (SELECT word, id FROM want EXCEPT"
                           " SELECT term, doc FROM have)) + (SELECT count(*) FROM (SELECT term, doc"
                           " FROM have EXCEPT SELECT word, id FROM want)) + (SELECT count(*) -"
                           " count(DISTINCT term || ' ' || doc) FROM have)",
                           -1, &cnt, NULL) == SQLITE_OK &&
        sqlite3_step(cnt) == SQLITE_ROW)
        bad = sqlite3_column_int64(cnt, 0);
done:
    if (bad < 0) fprintf(stderr, "  actor_names: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    sqlite3_finalize(cnt);
    sqlite3_close(db);
    return bad;
}

#endif
