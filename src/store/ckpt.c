/* ckpt.c - a bulk writer's checkpoints in a thread of their own.
 *
 * A commit under WAL appends the pages it changed to the log; a
 * checkpoint copies them into the file and fsyncs both.  SQLite runs it
 * inside the commit that passes wal_autocheckpoint, so the writer (and
 * an ingest's workers behind its queue) waited for it: 0.5 s of fsync
 * alone at 100,000 documents.  Here a thread with its own connection
 * runs PASSIVE checkpoints (which take no lock a writer needs) while the
 * writer commits.
 *
 * The log starts again from its beginning only when a writer begins a
 * transaction with every frame copied, and the writer begins its next
 * batch as soon as it commits one: a checkpoint in another thread is
 * always one batch behind.  So, once the log is past its soft bound and
 * the thread has copied everything committed, nd_store_ckpt_due() asks
 * the writer to commit its batch early; the hook of that commit copies
 * the few frames left itself when they are few (else the thread takes
 * another pass), and the writer's next transaction starts the log again.
 * Past the hard bound (a reader holding an old snapshot, a thread that
 * cannot keep up or failed) the writer checkpoints after its commits as
 * SQLite's automatic checkpoint did.  Which connection copies a page
 * changes nothing in the file; each checkpoint syncs the log, then the
 * file, as the writer's own did (synchronous=NORMAL on both). */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "newsdesk/newsdesk.h"
#include "store/store_int.h"

/* Passes of the thread past the soft bound before the writer copies the
 * tail however long it is. */
#define MAX_CHASE 2

struct nd_store_ckpt {
    nd_store *w; /* borrowed: the writer */
    nd_store *s; /* the thread's connection */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int wake, stop, flush; /* under mu */
    int started;           /* under mu: the thread runs (or ran) */
    int soft, hard;        /* frames of the log; `soft` uncopied ones start a pass of the thread */
    int tail;              /* uncopied frames the writer copies itself to restart the log */
    /* Set by the thread after each pass: the log's frames and how many
     * of them are in the file (of the log as that pass saw it). */
    _Atomic int log, copied;
    int busy;              /* under mu: a checkpoint is running (the thread's or w's) */
    pthread_cond_t idle;   /* busy cleared */
    _Atomic int due;       /* everything committed is copied: commit now */
    _Atomic int chase;     /* the thread's passes since the log passed soft */
    _Atomic int committed; /* the log's frames after the writer's last commit */
    _Atomic int failed;    /* the thread stopped on an error (err) */
    int reported;          /* writer only: err given to nd_store_ckpt_error */
    nd_error err;          /* the first error, once failed is set */
    nd_store_ckpt_stats st;
};

static void *ckpt_main(void *arg);

/* Under mu: the thread, started at its first pass (a run whose log stays
 * short never opens its connection), given a pass to make. */
static void wake_locked(nd_store_ckpt *c)
{
    if (!c->started && !atomic_load(&c->failed)) {
        if (pthread_create(&c->thread, NULL, ckpt_main, c) == 0) {
            c->started = 1;
        } else {
            nd_error_set(&c->err, ND_ENOMEM, (size_t) -1, "cannot start the checkpoint thread");
            atomic_store(&c->failed, 1);
        }
    }
    c->wake = 1;
    pthread_cond_signal(&c->cv);
}

/* Uncopied frames of a log of `frames`, as far as the last pass knows:
 * a pass of an older log (before a restart) counts as none copied. */
static int uncopied(nd_store_ckpt *c, int frames)
{
    int log = atomic_load(&c->log), copied = atomic_load(&c->copied);
    if (log > frames || copied > log) return frames;
    return frames - copied;
}

/* w's own checkpoint, after its commit: `tail` a short one that lets
 * the log start again (0: not made, a pass of the thread is running),
 * else the fallback, which waits for a pass of the thread to end rather
 * than find the checkpoint busy.  1: made. */
static int writer_checkpoint(nd_store_ckpt *c, sqlite3 *db, const char *name, int tail)
{
    double t0 = nd__store_mono();
    pthread_mutex_lock(&c->mu);
    if (tail && c->busy) {
        pthread_mutex_unlock(&c->mu);
        return 0;
    }
    while (c->busy) pthread_cond_wait(&c->idle, &c->mu);
    c->busy = 1;
    pthread_mutex_unlock(&c->mu);
    int log = 0, copied = 0;
    if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) ==
        SQLITE_OK) {
        atomic_store(&c->log, log);
        atomic_store(&c->copied, copied);
    }
    pthread_mutex_lock(&c->mu);
    c->busy = 0;
    pthread_mutex_unlock(&c->mu);
    if (tail)
        c->st.tails++;
    else
        c->st.fallbacks++;
    c->st.writer_seconds += nd__store_mono() - t0;
    return 1;
}

/* The writer's connection's WAL hook: after each of its commits, with the
 * log's frame count. */
static int after_commit(void *ctx, sqlite3 *db, const char *name, int frames)
{
    nd_store_ckpt *c = ctx;
    int prev = atomic_load(&c->committed);
    atomic_store(&c->committed, frames);
    if (frames < prev) { /* the log started again */
        c->st.restarts++;
        atomic_store(&c->chase, 0);
    }
    if (frames > c->st.peak_frames) c->st.peak_frames = frames;
    int was_due = atomic_exchange(&c->due, 0);
    int left = uncopied(c, frames);
    if (frames >= c->hard || (atomic_load(&c->failed) && frames >= c->soft)) {
        writer_checkpoint(c, db, name, 0);
        return SQLITE_OK;
    }
    /* The tail: short, and all before this commit copied; or whatever is
     * left after MAX_CHASE passes of the thread did not get it short (a
     * loaded machine: the thread's passes slow, the writer's batches
     * long). */
    if (frames >= c->soft &&
        ((left <= c->tail && (was_due || frames - left >= prev)) ||
         atomic_load(&c->chase) >= MAX_CHASE) &&
        writer_checkpoint(c, db, name, 1))
        return SQLITE_OK;
    if (left >= c->soft || (frames >= c->soft && left > c->tail)) {
        pthread_mutex_lock(&c->mu);
        wake_locked(c);
        pthread_mutex_unlock(&c->mu);
    }
    return SQLITE_OK;
}

static void *ckpt_main(void *arg)
{
    nd_store_ckpt *c = arg;
    /* Its connection is opened here, off the writer's way. */
    nd_error e = {0};
    int orc = nd_store_open(c->w->path, 0, &c->s, &e);
    pthread_mutex_lock(&c->mu);
    if (orc) {
        c->err = e;
        atomic_store(&c->failed, 1);
        c->st.thread_cpu = nd__thread_cpu();
        pthread_mutex_unlock(&c->mu);
        return NULL;
    }
    for (;;) {
        while (!c->wake && !c->stop) pthread_cond_wait(&c->cv, &c->mu);
        if (!c->wake) break; /* stopped, with no pass asked for */
        c->wake = 0;
        int all = c->flush;
        c->flush = 0;
        pthread_mutex_unlock(&c->mu);
        int committed = atomic_load(&c->committed);
        int log = 0, copied = 0, rc = SQLITE_OK;
        if (all || uncopied(c, committed) >= c->soft ||
            (committed >= c->soft && uncopied(c, committed) > c->tail &&
             atomic_load(&c->chase) < MAX_CHASE)) {
            pthread_mutex_lock(&c->mu);
            int mine = !c->busy; /* else w checkpoints: skip this pass */
            if (mine) c->busy = 1;
            pthread_mutex_unlock(&c->mu);
            if (mine) {
                rc = sqlite3_wal_checkpoint_v2(c->s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
                                               &copied);
                pthread_mutex_lock(&c->mu);
                c->busy = 0;
                pthread_cond_broadcast(&c->idle);
                pthread_mutex_unlock(&c->mu);
            }
            if (mine && rc == SQLITE_OK) {
                c->st.passes++;
                if (log >= c->soft) atomic_fetch_add(&c->chase, 1);
                atomic_store(&c->log, log);
                atomic_store(&c->copied, copied);
                /* All the writer committed is in the file: its next
                 * commit leaves a short tail to copy before the log
                 * starts again. */
                if (log >= c->soft && copied == log && atomic_load(&c->committed) == log)
                    atomic_store(&c->due, 1);
            }
        }
        pthread_mutex_lock(&c->mu);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
            nd__store_fail(c->s, "cannot checkpoint", &c->err);
            atomic_store(&c->failed, 1);
            break;
        }
    }
    c->st.thread_cpu = nd__thread_cpu(); /* (read after the join) */
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

int nd_store_ckpt_start(nd_store *w, int pages, nd_store_ckpt **out, nd_error *err)
{
    *out = NULL;
    if (pages <= 0) pages = ND__FAST_AUTOCHECKPOINT;
    nd_store_ckpt *c = nd_calloc(1, sizeof *c);
    if (!c) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    c->w = w;
    c->soft = pages;
    c->hard = pages > INT_MAX / 4 ? INT_MAX : pages * 4;
    c->tail = pages / 16 > 0 ? pages / 16 : 1;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    pthread_cond_init(&c->idle, NULL);
    /* Replaces the automatic checkpoint (itself a WAL hook). */
    sqlite3_wal_hook(w->db, after_commit, c);
    *out = c;
    return 0;
}

int nd_store_ckpt_due(const nd_store_ckpt *c)
{
    return c && atomic_load(&((nd_store_ckpt *) c)->due);
}

void nd_store_ckpt_flush(nd_store_ckpt *c)
{
    /* A short log is the close's to copy, as before (a thread for it
     * would cost more than it saves). */
    if (!c || atomic_load(&c->committed) < c->tail) return;
    pthread_mutex_lock(&c->mu);
    c->flush = 1;
    wake_locked(c);
    pthread_mutex_unlock(&c->mu);
}

int nd_store_ckpt_error(nd_store_ckpt *c, nd_error *err)
{
    if (!c || c->reported || !atomic_load(&c->failed)) return 0;
    c->reported = 1;
    if (err) *err = c->err;
    return c->err.code ? c->err.code : ND_EDB;
}

int nd_store_ckpt_stop(nd_store_ckpt *c, nd_store_ckpt_stats *st, nd_error *err)
{
    if (!c) return 0;
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_cond_signal(&c->cv);
    int started = c->started;
    pthread_mutex_unlock(&c->mu);
    /* (a pass asked for is made first) */
    if (started) pthread_join(c->thread, NULL);
    /* The writer checkpoints after its commits again, as before. */
    sqlite3_wal_autocheckpoint(c->w->db,
                               (c->w->flags & ND_STORE_FAST) ? ND__FAST_AUTOCHECKPOINT : 1000);
    nd_store_close(c->s);
    if (st) *st = c->st;
    int rc = nd_store_ckpt_error(c, err);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    pthread_cond_destroy(&c->idle);
    nd_free(c);
    return rc;
}
