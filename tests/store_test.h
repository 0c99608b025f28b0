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

#endif
