/* ingest.c - the ingest pipeline: R reader threads, N extraction workers,
 * one writer, bounded queues between them.
 *
 *   readers --work queue--> workers --write queue--> writer --> store
 *
 * Readers take the inputs (files, folders, "-") one at a time, so that
 * several crawl files are unpacked and parsed at once; R is the number of
 * inputs, at most N.  The work queue is bounded by jobs and by raw bytes,
 * the write queue by jobs, so at most (queue_bytes + a few pages per
 * thread) are in memory whatever the corpus size.  Workers skip pages
 * whose raw hash the store already holds (each has its own read-only
 * connection), so a re-ingest costs reading and hashing only.  Workers do
 * everything that does not need the write lock: extraction, analysis, every
 * row of the page (nd_store_prepare) and the story engine's reading of
 * each document (nd_cluster_prepare).  The writer owns the only write
 * connection: it writes, and asks the engine for each new document's
 * story; it commits every batch_docs documents or batch_ms milliseconds;
 * a kill loses at most the open batch, which the next run stores again
 * (the raw-hash check runs again inside the transaction, so nothing is
 * stored twice; the engine's log replays what was committed).  The calling
 * thread starts the others and draws progress.
 *
 * Storage order is input order, whatever the thread timing: readers number
 * their jobs (input i, job k), the writer stores input 0's jobs in order,
 * then input 1's, holding early arrivals in a reorder buffer; a reader may
 * run at most ORDER_WINDOW jobs ahead of the writer in the input being
 * stored (ORDER_AHEAD in later inputs), which bounds that buffer.  So the
 * same inputs give the same document ids and the same stories.  The
 * writer gives every document it stores its story in the same transaction
 * (nd_store_add_prepared) and saves what changed of the engine's state at
 * the end (nd_store_cluster_finish).
 *
 * A live input that goes quiet (a crawler's pipe between two fetches) is
 * an end for the stories, and the run goes on: when every job the
 * readers numbered has been stored and committed, and idle_ms pass with
 * nothing new, the writer re-examines the recent documents as the end of
 * a run would (nd_store_cluster_pause), in a transaction of its own.  It
 * is an end for the keywords too: what the run's frequency cache counted
 * is saved and the cache started again on the store as it is
 * (nd_store_df_restart), so the pages after the pause are scored against
 * the documents before them, as a run of their own would score them.
 * The workers read-hold df_rw while they score a page, so that no page
 * is scored against two snapshots.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "newsdesk/analyze.h"
#include "newsdesk/extract.h"
#include "newsdesk/ingest.h"
#include "newsdesk/lang.h"
#include "newsdesk/parse.h"
#include "newsdesk/store.h"

/* ---- a bounded FIFO of pointers ------------------------------------------------ */

typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    void **items;
    size_t *sizes;
    size_t cap, head, n;
    size_t bytes, max_bytes; /* max_bytes 0: no byte bound */
    int closed;
} queue;

static int q_init(queue *q, size_t cap, size_t max_bytes)
{
    memset(q, 0, sizeof *q);
    q->items = nd_calloc(cap, sizeof *q->items);
    q->sizes = nd_calloc(cap, sizeof *q->sizes);
    if (!q->items || !q->sizes) {
        nd_free(q->items);
        nd_free(q->sizes);
        return ND_ENOMEM;
    }
    q->cap = cap;
    q->max_bytes = max_bytes;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->not_empty, &ca);
    pthread_cond_init(&q->not_full, &ca);
    pthread_condattr_destroy(&ca);
    return 0;
}

static void q_destroy(queue *q)
{
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->not_empty);
    pthread_cond_destroy(&q->not_full);
    nd_free(q->items);
    nd_free(q->sizes);
}

static int full(const queue *q, size_t bytes)
{
    /* One item bigger than the byte bound still goes in alone. */
    return q->n == q->cap || (q->max_bytes && q->n > 0 && q->bytes + bytes > q->max_bytes);
}

/* Push; waits while full, until deadline (CLOCK_MONOTONIC) when given.
 * Returns 0, or ETIMEDOUT. */
static int q_push(queue *q, void *item, size_t bytes, const struct timespec *deadline)
{
    pthread_mutex_lock(&q->mu);
    while (full(q, bytes)) {
        if (deadline) {
            if (pthread_cond_timedwait(&q->not_full, &q->mu, deadline) == ETIMEDOUT &&
                full(q, bytes)) {
                pthread_mutex_unlock(&q->mu);
                return ETIMEDOUT;
            }
        } else {
            pthread_cond_wait(&q->not_full, &q->mu);
        }
    }
    size_t i = (q->head + q->n) % q->cap;
    q->items[i] = item;
    q->sizes[i] = bytes;
    q->n++;
    q->bytes += bytes;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

/* Whether a pop would wait now (empty and open). */
static int q_idle(queue *q)
{
    pthread_mutex_lock(&q->mu);
    int idle = q->n == 0 && !q->closed;
    pthread_mutex_unlock(&q->mu);
    return idle;
}

/* Pop; waits while empty and open, until deadline when given.  Returns
 * the item, or NULL with *timed_out set (deadline) or clear (closed and
 * empty). */
static void *q_pop(queue *q, const struct timespec *deadline, int *timed_out)
{
    *timed_out = 0;
    pthread_mutex_lock(&q->mu);
    while (q->n == 0 && !q->closed) {
        if (deadline) {
            if (pthread_cond_timedwait(&q->not_empty, &q->mu, deadline) == ETIMEDOUT && q->n == 0 &&
                !q->closed) {
                *timed_out = 1;
                pthread_mutex_unlock(&q->mu);
                return NULL;
            }
        } else {
            pthread_cond_wait(&q->not_empty, &q->mu);
        }
    }
    void *item = NULL;
    if (q->n) {
        item = q->items[q->head];
        q->bytes -= q->sizes[q->head];
        q->head = (q->head + 1) % q->cap;
        q->n--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->mu);
    return item;
}

static void q_close(queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}

/* ---- time ---------------------------------------------------------------------- */

static struct timespec mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

static struct timespec after_ms(struct timespec t, int ms)
{
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long) (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static double secs_between(struct timespec a, struct timespec b)
{
    return (double) (b.tv_sec - a.tv_sec) + (double) (b.tv_nsec - a.tv_nsec) / 1e9;
}

static int before(struct timespec a, struct timespec b)
{
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* ---- jobs ------------------------------------------------------------------------ */

/* One page on its way through the pipeline.  The struct and its strings
 * are one allocation; the page bytes are another, freed after extraction. */
typedef struct job {
    const char *source, *ext_id, *url, *charset, *title, *published, *ident;
    nd_format format;
    uint64_t offset;
    int64_t fetched;
    nd_kind kind;
    char *data;
    size_t len;
    uint64_t raw_hash;
    nd_article *article; /* after extraction */
    int code;            /* error: ND_E* (article NULL) */
    char *message;       /* error line, in the job's block */
    size_t input;        /* storage order: the input's index ... */
    uint64_t seq;        /* ... and the job's number in it (JOB_END: the count) */
    int mark;            /* JOB_PAGE, or a JOB_SKIP / JOB_END marker for the writer */
    /* The analyses of article->text and of its embedded articles (an
     * array of article->n_related), or NULL. */
    nd_analysis *analysis;
    nd_analysis **related;
    nd_keywords *keywords; /* of article->text, and of the embedded articles (as related) */
    nd_keywords **related_kw;
    /* The rows to write, computed by the worker (NULL: the writer computes
     * them); page is what they were computed from. */
    nd_store_page page;
    nd_store_prepared *prep;
} job;

enum { JOB_PAGE = 0, JOB_SKIP, JOB_END };

static void job_free(job *j)
{
    if (!j) return;
    nd_store_prepared_free(j->prep);
    nd_free(j->data);
    if (j->related)
        for (size_t i = 0; i < j->article->n_related; i++) nd_analysis_free(j->related[i]);
    if (j->related_kw)
        for (size_t i = 0; i < j->article->n_related; i++) nd_keywords_free(j->related_kw[i]);
    nd_free(j->related);
    nd_free(j->related_kw);
    nd_keywords_free(j->keywords);
    nd_analysis_free(j->analysis);
    nd_article_free(j->article);
    nd_free(j);
}

static size_t slen(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static const char *put(char **p, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*p, s, n);
    const char *r = *p;
    *p += n;
    return r;
}

/* A job with copies of the doc's fields (and of its bytes when with_data). */
static job *job_new(const nd_doc *d, const char *ident, const char *message, int with_data)
{
    size_t n = sizeof(job) + slen(d ? d->source : NULL) + slen(d ? d->ext_id : NULL) +
               slen(d ? d->url : NULL) + slen(d ? d->charset : NULL) + slen(d ? d->title : NULL) +
               slen(d ? d->published : NULL) + slen(ident) + slen(message);
    job *j = nd_calloc(1, n);
    if (!j) return NULL;
    char *p = (char *) (j + 1);
    if (d) {
        j->source = put(&p, d->source);
        j->ext_id = put(&p, d->ext_id);
        j->url = put(&p, d->url);
        j->charset = put(&p, d->charset);
        j->title = put(&p, d->title);
        j->published = put(&p, d->published);
        j->format = d->format;
        j->offset = d->offset;
        j->fetched = d->fetched;
        j->kind = d->kind;
    } else {
        j->fetched = ND_TIME_NONE;
    }
    j->ident = put(&p, ident);
    j->message = (char *) put(&p, message);
    if (with_data && d) {
        j->data = nd_malloc(d->len ? d->len : 1);
        if (!j->data) {
            nd_free(j);
            return NULL;
        }
        if (d->len) memcpy(j->data, d->data, d->len);
        j->len = d->len;
    }
    return j;
}

static void hash_field(uint64_t *h, const char *s)
{
    uint64_t v[2] = {*h, s ? nd_hash64(s, strlen(s)) : 0x5bd1e995u};
    *h = nd_hash64(v, sizeof v);
}

static uint64_t raw_hash(const char *data, size_t len, const char *url, const char *ext_id,
                         const char *title, const char *published)
{
    uint64_t h = nd_hash64(data, len);
    hash_field(&h, url);
    hash_field(&h, ext_id);
    hash_field(&h, title);
    hash_field(&h, published);
    /* 0 means "no hash" in the store. */
    return h ? h : 1;
}

uint64_t nd_ingest_raw_hash(const nd_doc *d)
{
    return raw_hash(d->data, d->len, d->url, d->ext_id, d->title, d->published);
}

/* ---- the run -------------------------------------------------------------------- */

typedef struct run {
    const char *db_path;
    nd_ingest_opts o;
    int threads; /* extraction workers (o.threads resolved) */
    queue work, write;
    struct timespec t0;
    int64_t run_id;
    pthread_mutex_t report_mu;
    pthread_mutex_t df_mu;  /* guards df_first */
    nd_store_df *df_first;  /* whose frequency cache the workers share: df_run's */
    nd_store_df *df_run;    /* the run's, on wstore: its cache is saved at the end */
    pthread_rwlock_t df_rw; /* read-held while a page's keywords are scored, held by
                               the writer to save and restart df_run's cache */
    _Atomic uint64_t pages, added, versions, related, duplicates, errors;
    _Atomic uint64_t files, skipped, bytes; /* summed over the readers */
    _Atomic uint64_t skipped_files;
    uint64_t total_files, total_bytes; /* of all inputs, found before reading */
    uint64_t links_skipped;            /* ... and the links in folders not followed */
    _Atomic int fatal;                 /* the writer cannot go on */
    nd_error fatal_err;
    nd_store *wstore;
    nd_store_ckpt *ck; /* wstore's checkpoints, or NULL: the writer makes them */
    /* Readers take the inputs one at a time, in order. */
    const char *const *inputs;
    size_t n_inputs;
    _Atomic size_t next_input;
    /* Pages whose documents the workers cut into the index's tokens (the
     * first TOKENS_CUT; nd_store_prepare_tokens). */
    _Atomic uint64_t cut;
    pthread_mutex_t done_mu;
    pthread_cond_t done_cv;
    int readers_left;
    int reader_failed; /* out of memory in a reader */
    /* Storage order (see the top): the job the writer stores next. */
    pthread_mutex_t order_mu;
    pthread_cond_t order_cv;
    size_t order_input;
    uint64_t order_next;
    uint64_t order_window, order_ahead;
    job *end_marks;            /* one end-of-input marker per input */
    uint64_t *order_ends;      /* the writer's: job count per finished input */
    _Atomic uint64_t numbered; /* jobs the readers numbered (order_job) */
    uint64_t turns;            /* the writer's: jobs whose turn passed */
    /* Microseconds of CPU, each thread's own clock added at its end
     * (nd_ingest_stats' cpu_* fields). */
    _Atomic uint64_t cpu_workers, cpu_writer, cpu_readers;
} run;

/* The calling thread's CPU so far into *acc, at the thread's end. */
static void count_cpu(_Atomic uint64_t *acc)
{
    atomic_fetch_add(acc, (uint64_t) (nd__thread_cpu() * 1e6));
}

static void fill_stats(run *r, nd_ingest_stats *st)
{
    memset(st, 0, sizeof *st);
    st->run_id = r->run_id;
    st->pages = atomic_load(&r->pages);
    st->added = atomic_load(&r->added);
    st->versions = atomic_load(&r->versions);
    st->related = atomic_load(&r->related);
    st->duplicates = atomic_load(&r->duplicates);
    st->errors = atomic_load(&r->errors);
    st->inputs = atomic_load(&r->files);
    st->skipped = atomic_load(&r->skipped);
    st->skipped_files = atomic_load(&r->skipped_files);
    st->bytes = atomic_load(&r->bytes);
    st->total_inputs = r->total_files;
    st->total_bytes = r->total_bytes;
    st->links_skipped = r->links_skipped;
    st->seconds = secs_between(r->t0, mono_now());
}

/* "SOURCE: reason" / "SOURCE@OFFSET: reason" / "SOURCE:LINE: reason" as
 * the reader words its errors: take the source and position back out. */
static void parse_where(const char *msg, char *source, size_t cap, int64_t *offset, int64_t *line)
{
    *offset = *line = -1;
    source[0] = 0;
    const char *colon = strstr(msg, ": ");
    if (!colon) return;
    size_t n = (size_t) (colon - msg);
    const char *end = colon;
    const char *q = end;
    while (q > msg && q[-1] >= '0' && q[-1] <= '9') q--;
    if (q < end && q > msg && (q[-1] == '@' || q[-1] == ':')) {
        long long v = strtoll(q, NULL, 10);
        if (q[-1] == '@')
            *offset = v;
        else
            *line = v;
        n = (size_t) (q - 1 - msg);
    }
    if (n >= cap) n = cap - 1;
    memcpy(source, msg, n);
    source[n] = 0;
}

/* Report a failed input (callback, counters) and queue it for the store.
 * Takes ownership of j (NULL when out of memory: counted only). */
static void report(run *r, job *j, const char *source, int64_t offset, int64_t line, int code)
{
    atomic_fetch_add(&r->errors, 1);
    if (!j) return;
    if (r->o.on_error) {
        nd_ingest_error e = {source, offset, line, code, j->message};
        pthread_mutex_lock(&r->report_mu);
        r->o.on_error(r->o.ctx, &e);
        pthread_mutex_unlock(&r->report_mu);
    }
    j->code = code ? code : ND_EPARSE;
    q_push(&r->write, j, 0, NULL);
}

/* A job that stores nothing still takes its turn at the writer (storage
 * order).  Takes ownership of j. */
static void skip_job(run *r, job *j)
{
    nd_free(j->data);
    j->data = NULL;
    j->len = 0;
    nd_article_free(j->article);
    j->article = NULL;
    j->mark = JOB_SKIP;
    q_push(&r->write, j, 0, NULL);
}

/* The job's page as the reader gave it (borrowed fields). */
static nd_doc job_doc(const job *j)
{
    nd_doc d;
    memset(&d, 0, sizeof d);
    d.source = j->source;
    d.format = j->format;
    d.offset = j->offset;
    d.ext_id = j->ext_id;
    d.url = j->url;
    d.fetched = j->fetched;
    d.charset = j->charset;
    d.kind = j->kind;
    d.title = j->title;
    d.published = j->published;
    d.data = j->data;
    d.len = j->len;
    return d;
}

static void where(const job *j, char *out, size_t cap)
{
    nd_doc d = job_doc(j);
    nd_doc_where(&d, out, cap);
}

/* The analysis rules are English: text in another language (when known)
 * is recorded as analysed with nothing found. */
static int english(const char *lang)
{
    return !lang || !*lang || !strcmp(lang, "en");
}

/* A date the analysis reads ("YYYY-MM-DD" into buf), or NULL. */
static const char *day_of(const char *s, int64_t ts, char buf[32])
{
    int has_time;
    if (s && *s && nd_time_parse(s, strlen(s), &ts, &has_time) != 0) ts = ND_TIME_NONE;
    if (ts == ND_TIME_NONE) return NULL;
    nd_time_format(ts, 1, buf);
    return buf;
}

/* The keywords of a text and its analysis, scored against the store's
 * document frequencies (df: the worker's; NULL: term frequency only). */
static nd_keywords *keywords_of(run *r, const char *text, size_t len, const char *title,
                                const char *language, const nd_analysis *an, nd_store_df *df)
{
    nd_keywords_opts ko;
    nd_keywords_opts_init(&ko);
    ko.title = title;
    ko.language = language;
    ko.analysis = an;
    ko.df = df ? nd_store_df_get : NULL;
    ko.df_ctx = df;
    nd_keywords *k = NULL;
    pthread_rwlock_rdlock(&r->df_rw);
    ko.n_docs = nd_store_df_docs(df);
    int rc = nd_keywords_extract(text, len, &ko, &k, NULL);
    pthread_rwlock_unlock(&r->df_rw);
    return rc ? NULL : k;
}

/* Analyse the article and the embedded articles the store keeps as
 * documents (their trimmed text, as stored), stateless with the shared
 * dictionary, and find their keywords.  A failure (out of memory) leaves
 * a text unanalysed for newsdesk reanalyze; it never fails the page. */
static void analyze_job(run *r, job *j, nd_store_df *df, nd_parse_work *pw)
{
    const nd_article *a = j->article;
    int64_t fetched = j->fetched != ND_TIME_NONE ? j->fetched : r->o.fetched;
    char date[32];
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.dict = r->o.dict;
    o.parse_work = pw;
    o.date = day_of(j->published, ND_TIME_NONE, date);
    if (!o.date) o.date = day_of(a->published, a->published_ts, date);
    o.title = j->title && *j->title ? j->title : a->title;
    o.language = a->language;
    size_t len = english(a->language) && a->text ? a->text_len : 0;
    if (nd_analyze(len ? a->text : "", len, &o, &j->analysis, NULL)) j->analysis = NULL;
    j->keywords =
        keywords_of(r, a->text, a->text ? a->text_len : 0, o.title, a->language, j->analysis, df);
    if (!a->n_related) return;
    j->related = nd_calloc(a->n_related, sizeof *j->related);
    j->related_kw = nd_calloc(a->n_related, sizeof *j->related_kw);
    for (size_t i = 0; j->related && i < a->n_related; i++) {
        const nd_related *rel = &a->related[i];
        nd_slice t = nd_slice_trim(nd_slice_c(rel->text));
        if (t.len < ND_STORE_RELATED_MIN_TEXT && nd_slice_ifind(t, "\n\n") < 0) continue;
        o.date = day_of(rel->published, ND_TIME_NONE, date);
        if (!o.date && rel->age && fetched != ND_TIME_NONE) {
            int64_t ts;
            if (nd_time_parse_age(rel->age, strlen(rel->age), fetched, &ts) == 0)
                o.date = day_of(NULL, ts, date);
        }
        o.title = rel->title;
        o.language = nd_lang_detect(t.ptr, t.len);
        size_t n = english(o.language) ? t.len : 0;
        if (nd_analyze(n ? t.ptr : "", n, &o, &j->related[i], NULL)) j->related[i] = NULL;
        if (j->related_kw)
            j->related_kw[i] =
                keywords_of(r, t.ptr, t.len, rel->title, o.language, j->related[i], df);
    }
}

/* The rows of a page as the store will write them (page in j->page). */
static void page_of(const run *r, job *j, nd_store_page *p)
{
    memset(p, 0, sizeof *p);
    p->article = j->article;
    p->raw_hash = j->raw_hash;
    p->ext_id = j->ext_id;
    p->url = j->url;
    p->title = j->title && *j->title ? j->title : NULL;
    p->published = j->published;
    p->fetched = j->fetched != ND_TIME_NONE ? j->fetched : r->o.fetched;
    p->origin.source = j->source;
    p->origin.offset = j->format == ND_FMT_WARC ? (int64_t) j->offset : -1;
    p->origin.line = j->format == ND_FMT_JSONL ? (int64_t) j->offset : -1;
    p->origin.ident = j->ident;
    p->run_id = r->run_id;
    p->analysis = j->analysis;
    p->related_analyses = (const nd_analysis *const *) j->related;
    p->keywords = j->keywords;
    p->related_keywords = (const nd_keywords *const *) j->related_kw;
}

/* The pages whose documents a worker cuts into the full-text index's
 * tokens, at most: the end-of-run save (nd_store_df_save) counts from
 * the tokens of the run's last 1,024 documents at most, and only when
 * the run stored fewer: a run of more pages than that - a bulk run -
 * would pay for cuts it never reads (nor are they cut when the inputs
 * hold more files than that). */
#define TOKENS_CUT 1024

static void *worker_main(void *arg)
{
    run *r = arg;
    nd_store *rd = NULL;
    /* A read connection for the seen-before check and the keywords'
     * document frequencies; without one the writer's own check still keeps
     * pages from being stored twice.  Not mapped: each worker's map of the
     * store counted the pages it touched in the ingest's resident memory,
     * once per worker (issue 13: peak RSS <= 500 MB). */
    if (nd_store_open(r->db_path, ND_STORE_READONLY | ND_STORE_NOMAP, &rd, NULL) != 0) rd = NULL;
    nd_store_df *df = NULL; /* the keywords' document frequencies, one cache for all workers */
    pthread_mutex_lock(&r->df_mu);
    if (rd && nd_store_df_share(rd, r->df_first, &df, NULL) != 0) df = NULL;
    if (!r->df_first) r->df_first = df;
    pthread_mutex_unlock(&r->df_mu);
    /* Each document's reading for the story engine happens here, not in
     * the writer (without it, the writer reads them). */
    nd_cluster_fx *fx = nd_cluster_fx_new(NULL, NULL);
    /* The parser's scratch space and the sums of weights it keeps, for
     * every document of the worker (NULL: one per document). */
    nd_parse_work *pw = nd_parse_work_new();
    /* The documents' tokens for the end-of-run save, cut here beside the
     * other pages rather than read back and cut after the writer's last
     * commit (the run's serial end). */
    nd_store_tokenizer *tz =
        df && r->df_run && r->total_files <= TOKENS_CUT ? nd_store_tokenizer_new(rd) : NULL;
    for (;;) {
        int to;
        job *j = q_pop(&r->work, NULL, &to);
        if (!j) break;
        j->raw_hash = raw_hash(j->data, j->len, j->url, j->ext_id, j->title, j->published);
        if (rd && nd_store_has_raw(rd, j->raw_hash, NULL) == 1) {
            atomic_fetch_add(&r->duplicates, 1);
            skip_job(r, j);
            continue;
        }
        nd_extract_opts eo;
        nd_extract_opts_init(&eo);
        eo.fetched = r->o.fetched;
        eo.max_bytes = r->o.reader.max_record;
        nd_doc d = job_doc(j);
        nd_error e = {0};
        nd_article *a = NULL;
        int rc = nd_extract_doc(&d, &eo, &a, &e);
        nd_free(j->data);
        j->data = NULL;
        j->len = 0;
        if (rc) {
            char w[1024];
            where(j, w, sizeof w);
            nd_buf line = ND_BUF_INIT;
            nd_buf_printf(&line, "%s: %s", w, e.msg[0] ? e.msg : nd_strerror(rc));
            /* The error job carries the origin for the ingest_errors row. */
            nd_doc od;
            memset(&od, 0, sizeof od);
            od.source = j->source;
            od.format = j->format;
            od.offset = j->offset;
            od.fetched = ND_TIME_NONE;
            job *ej = job_new(&od, NULL, line.ptr ? line.ptr : "error", 0);
            nd_buf_free(&line);
            if (ej) {
                ej->input = j->input;
                ej->seq = j->seq;
            }
            report(r, ej, j->source, j->format == ND_FMT_WARC ? (int64_t) j->offset : -1,
                   j->format == ND_FMT_JSONL ? (int64_t) j->offset : -1, rc);
            if (ej)
                job_free(j);
            else
                skip_job(r, j);
            continue;
        }
        j->article = a;
        if (!r->o.no_analysis) analyze_job(r, j, df, pw);
        /* Every row computed here: the writer only writes (out of memory:
         * it computes them itself). */
        page_of(r, j, &j->page);
        if (nd_store_prepare(&j->page, fx, &j->prep, NULL)) j->prep = NULL;
        if (tz && j->prep && atomic_fetch_add(&r->cut, 1) < TOKENS_CUT)
            nd_store_prepare_tokens(tz, j->prep);
        q_push(&r->write, j, 0, NULL);
    }
    nd_store_tokenizer_free(tz);
    nd_cluster_fx_free(fx);
    nd_parse_work_free(pw);
    pthread_mutex_lock(&r->df_mu);
    if (r->df_first == df) r->df_first = NULL;
    nd_store_df_free(df);
    pthread_mutex_unlock(&r->df_mu);
    nd_store_close(rd);
    count_cpu(&r->cpu_workers);
    return NULL;
}

static void writer_fail(run *r, const nd_error *e)
{
    if (atomic_exchange(&r->fatal, 1) == 0) r->fatal_err = *e;
    /* Readers waiting for their turn give up (stopped()). */
    pthread_mutex_lock(&r->order_mu);
    pthread_cond_broadcast(&r->order_cv);
    pthread_mutex_unlock(&r->order_mu);
}

/* ---- storage order -------------------------------------------------------------- */

/* The writer's reorder buffer: jobs that arrived before their turn, and
 * the job count of each input whose reader has finished. */
typedef struct reorder {
    job **held;
    size_t n, cap;
    uint64_t *ends; /* per input: its job count, or UINT64_MAX while it is read */
} reorder;

/* Pass the turn to the next job, or to the next input; wakes the readers
 * waiting for it.  Only the writer changes the turn. */
static void order_advance(run *r, int next_input)
{
    pthread_mutex_lock(&r->order_mu);
    if (next_input) {
        r->order_input++;
        r->order_next = 0;
    } else {
        r->order_next++;
        r->turns++;
    }
    pthread_cond_broadcast(&r->order_cv);
    pthread_mutex_unlock(&r->order_mu);
}

static int key_less(const job *a, const job *b)
{
    return a->input < b->input || (a->input == b->input && a->seq < b->seq);
}

/* The next job to store, in storage order: held, else from the write
 * queue (waiting until deadline when given).  NULL with *timed_out set
 * when the deadline passed, clear when the queue is closed and nothing is
 * held.  Skip and end markers are consumed here. */
static job *next_job(run *r, reorder *ro, const struct timespec *deadline, int *timed_out)
{
    *timed_out = 0;
    for (;;) {
        size_t i;
        for (i = 0; i < ro->n; i++)
            if (ro->held[i]->input == r->order_input && ro->held[i]->seq == r->order_next) break;
        if (i < ro->n) {
            job *j = ro->held[i];
            ro->held[i] = ro->held[--ro->n];
            order_advance(r, 0);
            if (j->mark != JOB_SKIP) return j;
            job_free(j);
            continue;
        }
        if (r->order_input < r->n_inputs && ro->ends[r->order_input] == r->order_next) {
            order_advance(r, 1);
            continue;
        }
        job *j = q_pop(&r->write, deadline, timed_out);
        if (!j) {
            if (*timed_out || ro->n == 0) return NULL;
            /* Closed with jobs held (a turn that never came): lowest first. */
            size_t lo = 0;
            for (i = 1; i < ro->n; i++)
                if (key_less(ro->held[i], ro->held[lo])) lo = i;
            j = ro->held[lo];
            ro->held[lo] = ro->held[--ro->n];
            if (j->mark != JOB_SKIP) return j;
            job_free(j);
            continue;
        }
        if (j->mark == JOB_END) { /* r->end_marks: not ours to free */
            if (j->input < r->n_inputs) ro->ends[j->input] = j->seq;
            continue;
        }
        if (ro->n == ro->cap) {
            size_t nc = ro->cap ? ro->cap * 2 : 64;
            job **h = nd_realloc(ro->held, nc * sizeof *h);
            if (!h) return j; /* out of memory: stored out of turn rather than lost */
            ro->held = h;
            ro->cap = nc;
        }
        ro->held[ro->n++] = j;
    }
}

/* Commit the open batch, the rows of the stories it changed first. */
static int commit_batch(nd_store *s, nd_store_clusterer *sc, nd_error *e)
{
    int rc = sc ? nd_store_cluster_sync(sc, e) : 0;
    if (rc) {
        nd_store_rollback(s);
        return rc;
    }
    return nd_store_commit(s, e);
}

/* What the open transaction added to the run's counts: taken back when
 * it does not commit (a full disk), so that the summary counts only what
 * the store keeps. */
typedef struct tx_counts {
    uint64_t added, versions, duplicates, related;
} tx_counts;

static void tx_undo(run *r, tx_counts *t)
{
    atomic_fetch_sub(&r->added, t->added);
    atomic_fetch_sub(&r->versions, t->versions);
    atomic_fetch_sub(&r->duplicates, t->duplicates);
    atomic_fetch_sub(&r->related, t->related);
    memset(t, 0, sizeof *t);
}

static int commit_counted(run *r, nd_store *s, nd_store_clusterer *sc, tx_counts *t, nd_error *e)
{
    int rc = commit_batch(s, sc, e);
    if (rc)
        tx_undo(r, t);
    else
        memset(t, 0, sizeof *t);
    return rc;
}

/* The soft bound of the log in frames for nd_store_ckpt_start (0: its
 * default), or -1: no checkpoint thread.  NEWSDESK_CKPT_PAGES sets it
 * (tests: a small log; "off": the writer checkpoints, as before). */
static int ckpt_pages(void)
{
    const char *v = getenv("NEWSDESK_CKPT_PAGES");
    if (!v || !*v) return 0;
    if (!strcmp(v, "off")) return -1;
    long n = strtol(v, NULL, 10);
    return n > 0 && n <= INT_MAX / 4 ? (int) n : 0;
}

/* A failed checkpoint thread is said once and does not stop the run: the
 * writer checkpoints itself from then on. */
static void ckpt_said(run *r, const nd_error *ce)
{
    if (!r->o.on_error) return;
    char msg[sizeof ce->msg + 64];
    snprintf(msg, sizeof msg, "checkpoints (the writer makes them now): %s", ce->msg);
    nd_ingest_error e = {NULL, -1, -1, 0, msg};
    pthread_mutex_lock(&r->report_mu);
    r->o.on_error(r->o.ctx, &e);
    pthread_mutex_unlock(&r->report_mu);
}

static void ckpt_report(run *r, nd_store_ckpt *ck)
{
    nd_error ce = {0};
    if (nd_store_ckpt_error(ck, &ce)) ckpt_said(r, &ce);
}

/* The input is quiet: the stories' end of a run, in a transaction of its
 * own. */
static int pause_stories(nd_store *s, nd_store_clusterer *sc, nd_error *e)
{
    int rc = nd_store_begin(s, e);
    if (rc) return rc;
    if ((rc = nd_store_cluster_pause(sc, NULL, e)) != 0) {
        nd_store_rollback(s);
        return rc;
    }
    return commit_batch(s, sc, e);
}

/* The input is quiet and documents were stored since the frequencies'
 * snapshot: the keywords' end of a run (what the cache counted saved for
 * the next lookups), and the cache started again on the store as it is
 * now.  A cache: a failure to save only costs later lookups. */
static void pause_keywords(run *r, nd_store *s)
{
    pthread_rwlock_wrlock(&r->df_rw);
    nd_store_df_save(s, r->df_run, NULL);
    nd_store_df_restart(r->df_run);
    /* the workers cut the tokens of the new run's first pages */
    atomic_store(&r->cut, 0);
    pthread_rwlock_unlock(&r->df_rw);
}

/* Documents stored by the run so far (for pause_keywords). */
static uint64_t stored(run *r)
{
    return atomic_load(&r->added) + atomic_load(&r->versions) + atomic_load(&r->related);
}

static void *writer_main(void *arg)
{
    run *r = arg;
    nd_store *s = r->wstore;
    size_t batch = r->o.batch_docs ? r->o.batch_docs : 200;
    /* 2 s, not 250 ms: each commit writes every page it changed to the
     * WAL, and the 250 ms bound ended batches of about 30 pages, whose
     * index pages the next batches changed and wrote again.  With a
     * checkpoint every 32768 pages (store.c, ckpt.c) the bytes written a page
     * into a store of 100,000 documents went from 465 to 270 KB
     * (docs/architecture.md, "Commits and checkpoints"). */
    int batch_ms = r->o.batch_ms > 0 ? r->o.batch_ms : 2000;
    int idle_ms = r->o.idle_ms > 0 ? r->o.idle_ms : r->o.idle_ms < 0 ? 0 : 5000;
    int open = 0, failures = 0;
    size_t in_tx = 0;
    struct timespec deadline = {0, 0};
    /* quiet: when the pause is due (armed after a commit) */
    struct timespec quiet = {0, 0};
    int armed = 0;
    reorder ro = {NULL, 0, 0, r->order_ends};
    nd_store_clusterer *sc = NULL;
    tx_counts tx = {0};
    nd_error ce = {0};
    int pending_done = 0;
    uint64_t df_at = 0; /* stored() when the frequencies' snapshot was taken */
    if (nd_store_clusterer_open(s, NULL, &sc, &ce)) writer_fail(r, &ce);
    nd_store_ckpt *ck = r->ck;
    /* The end of the run's re-examination comes after the workers ended:
     * their cores are its (at most the run's threads in all). */
    if (sc) nd_store_clusterer_set_threads(sc, r->threads);
    for (;;) {
        int timed_out;
        /* Waiting for the workers: the totals the commit would write, now
         * (a writer that keeps up would write them after the last page). */
        if (open && !atomic_load(&r->fatal) && q_idle(&r->write)) {
            nd_error e = {0};
            if (nd_store_idle(s, &e)) writer_fail(r, &e);
        }
        job *j = next_job(r, &ro, open ? &deadline : armed ? &quiet : NULL, &timed_out);
        if (!j && !timed_out) break;
        if (!atomic_load(&r->fatal) && open &&
            (!j || in_tx >= batch || !before(mono_now(), deadline) || nd_store_ckpt_due(ck))) {
            nd_error e = {0};
            if (commit_counted(r, s, sc, &tx, &e)) writer_fail(r, &e);
            open = 0;
            in_tx = 0;
            ckpt_report(r, ck);
            armed = idle_ms > 0, quiet = after_ms(mono_now(), idle_ms);
        } else if (!j && armed && !open && !atomic_load(&r->fatal)) {
            /* Quiet only when nothing numbered is still on its way (a
             * worker on a long page): else wait again. */
            armed = r->turns != atomic_load(&r->numbered);
            if (armed) {
                quiet = after_ms(mono_now(), idle_ms);
            } else {
                if (nd_store_cluster_pause_due(sc)) {
                    nd_error e = {0};
                    if (pause_stories(s, sc, &e)) writer_fail(r, &e);
                    ckpt_report(r, ck);
                }
                if (r->df_run && !atomic_load(&r->fatal) && stored(r) != df_at) {
                    pause_keywords(r, s);
                    df_at = stored(r);
                }
            }
        }
        if (!j) continue;
        if (atomic_load(&r->fatal)) {
            /* Keep draining so that the workers never block. */
            job_free(j);
            continue;
        }
        if (!open) {
            nd_error e = {0};
            if (nd_store_begin(s, &e)) {
                writer_fail(r, &e);
                job_free(j);
                continue;
            }
            open = 1;
            deadline = after_ms(mono_now(), batch_ms);
            /* Documents stored without a story (before stories existed,
             * or by a run without one) go first, as they were stored. */
            if (sc && !pending_done) {
                pending_done = 1;
                if (nd_store_cluster_pending(sc, NULL, &e)) writer_fail(r, &e);
            }
        }
        nd_error e = {0};
        if (j->code) {
            char source[1024];
            nd_store_error se = {0};
            se.run_id = r->run_id;
            se.code = nd_errname(j->code);
            se.message = j->message;
            if (j->source) {
                se.source = j->source;
                se.offset = j->format == ND_FMT_WARC ? (int64_t) j->offset : -1;
                se.line = j->format == ND_FMT_JSONL ? (int64_t) j->offset : -1;
            } else {
                parse_where(j->message, source, sizeof source, &se.offset, &se.line);
                se.source = source[0] ? source : NULL;
            }
            /* The row keeps where and why apart: drop "SOURCE...: ". */
            if (se.source && !strncmp(se.message, se.source, strlen(se.source))) {
                const char *why = strstr(se.message + strlen(se.source), ": ");
                if (why) se.message = why + 2;
            }
            if (nd_store_add_error(s, &se, &e)) writer_fail(r, &e);
        } else {
            if (!j->prep) {
                page_of(r, j, &j->page);
                if (nd_store_prepare(&j->page, NULL, &j->prep, &e)) j->prep = NULL;
            }
            nd_store_added res;
            /* Each new document gets its story as it is written. */
            if (!j->prep || nd_store_add_prepared(s, sc, j->prep, &res, &e)) {
                /* One page the store refuses is that page's error; many
                 * in a row mean the store itself is failing. */
                if (++failures >= 20) writer_fail(r, &e);
            } else {
                failures = 0;
                switch (res.outcome) {
                case ND_STORE_ADDED: atomic_fetch_add(&r->added, 1), tx.added++; break;
                case ND_STORE_VERSION: atomic_fetch_add(&r->versions, 1), tx.versions++; break;
                default: atomic_fetch_add(&r->duplicates, 1), tx.duplicates++; break;
                }
                atomic_fetch_add(&r->related, res.related_added);
                tx.related += res.related_added;
            }
        }
        job_free(j);
        in_tx++;
        if (in_tx >= batch) {
            if (commit_counted(r, s, sc, &tx, &e)) writer_fail(r, &e);
            open = 0;
            in_tx = 0;
            ckpt_report(r, ck);
            armed = idle_ms > 0, quiet = after_ms(mono_now(), idle_ms);
        }
    }
    nd_free(ro.held);
    /* What the batches committed is copied into the file while the end of
     * the run is made. */
    nd_store_ckpt_flush(ck);
    /* The end of the run: documents still without a story (stored before
     * stories existed), the final re-examination, the engine state saved
     * for the next run (not when nothing changed since it was saved). */
    if (sc && !atomic_load(&r->fatal)) {
        nd_error e = {0};
        if (!open && nd_store_begin(s, &e) == 0) open = 1;
        nd_store_cluster_stats cs;
        if (!open || nd_store_cluster_pending(sc, NULL, &e)) {
            writer_fail(r, &e);
        } else {
            nd_store_cluster_get_stats(sc, &cs);
            /* A killed run's documents given again end as that run would
             * have: re-examined, and the state saved. */
            if ((cs.docs || cs.replayed || cs.start != ND_STORE_CLUSTER_IMPORTED) &&
                nd_store_cluster_finish(sc, &e))
                writer_fail(r, &e);
        }
    }
    if (open && !atomic_load(&r->fatal)) {
        nd_error e = {0};
        if (commit_counted(r, s, sc, &tx, &e)) writer_fail(r, &e);
    }
    if (open && atomic_load(&r->fatal)) {
        nd_store_rollback(s);
        tx_undo(r, &tx);
    }
    ckpt_report(r, ck);
    nd_store_clusterer_free(sc);
    count_cpu(&r->cpu_writer);
    return NULL;
}

void nd_ingest_opts_init(nd_ingest_opts *o)
{
    memset(o, 0, sizeof *o);
    o->fetched = ND_TIME_NONE;
}

/* A JSON array of the inputs, for the run's record. */
static char *inputs_json(const char *const *inputs, size_t n)
{
    nd_buf b = ND_BUF_INIT;
    nd_json j;
    nd_json_init(&j, &b, 0);
    nd_json_arr_begin(&j);
    for (size_t i = 0; i < n; i++) nd_json_str(&j, inputs[i]);
    nd_json_arr_end(&j);
    return nd_buf_detach(&b, NULL);
}

/* What one reader thread keeps: the last file's real path (pages of one
 * file come together) and its reader's counts already passed on. */
typedef struct reader_ctx {
    run *r;
    char last_src[PATH_MAX], last_real[PATH_MAX];
    nd_buf ident;
    nd_reader_stats seen;
    size_t input;    /* the input being read (its index) */
    uint64_t n_jobs; /* jobs made from it so far */
} reader_ctx;

/* The real path of a file (+ "@offset" / ":line"): a page's identity when
 * it has no URL or id. */
static const char *ident_for(reader_ctx *c, const nd_doc *d)
{
    if (!d->source || !strcmp(d->source, "-")) return NULL;
    if (strcmp(d->source, c->last_src) != 0) {
        snprintf(c->last_src, PATH_MAX, "%s", d->source);
        char *rp = realpath(d->source, NULL);
        snprintf(c->last_real, PATH_MAX, "%s", rp ? rp : d->source);
        free(rp);
    }
    nd_buf *out = &c->ident;
    nd_buf_clear(out);
    if (d->format == ND_FMT_WARC)
        nd_buf_printf(out, "%s@%llu", c->last_real, (unsigned long long) d->offset);
    else if (d->format == ND_FMT_JSONL)
        nd_buf_printf(out, "%s:%llu", c->last_real, (unsigned long long) d->offset);
    else
        nd_buf_puts(out, c->last_real);
    return nd_buf_failed(out) ? NULL : out->ptr;
}

/* Pass on what a reader counted since the last call. */
static void sync_counts(reader_ctx *c, const nd_reader_stats *now)
{
    run *r = c->r;
    atomic_fetch_add(&r->files, now->files - c->seen.files);
    atomic_fetch_add(&r->skipped, now->skipped - c->seen.skipped);
    atomic_fetch_add(&r->skipped_files, now->skipped_files - c->seen.skipped_files);
    atomic_fetch_add(&r->bytes, now->bytes - c->seen.bytes);
    c->seen = *now;
}

static int stopped(run *r)
{
    return atomic_load(&r->fatal) || (r->o.stop && *r->o.stop);
}

/* Number a job for the storage order, once the writer is near enough:
 * within order_window jobs in the input it stores, order_ahead jobs into
 * a later input. */
static void order_job(reader_ctx *c, job *j)
{
    run *r = c->r;
    pthread_mutex_lock(&r->order_mu);
    while (!stopped(r) && c->input >= r->order_input &&
           c->n_jobs >=
               (c->input == r->order_input ? r->order_next + r->order_window : r->order_ahead))
        pthread_cond_wait(&r->order_cv, &r->order_mu);
    pthread_mutex_unlock(&r->order_mu);
    j->input = c->input;
    j->seq = c->n_jobs++;
    atomic_fetch_add(&r->numbered, 1);
}

/* Report an error of the input being read, in its storage order. */
static void report_read(reader_ctx *c, const char *msg, const char *source, int64_t offset,
                        int64_t line, int code)
{
    job *j = job_new(NULL, NULL, msg, 0);
    if (j) order_job(c, j);
    report(c->r, j, source, offset, line, code);
}

/* Tell the writer how many jobs input c->input made (a marker allocated
 * up front, so this cannot fail). */
static void end_input(reader_ctx *c)
{
    run *r = c->r;
    job *e = &r->end_marks[c->input];
    e->mark = JOB_END;
    e->input = c->input;
    e->seq = c->n_jobs;
    q_push(&r->write, e, 0, NULL);
}

/* Read one input (file, folder or "-") into the work queue. */
static void read_input(reader_ctx *c, const char *input)
{
    run *r = c->r;
    nd_reader *rd = nd_reader_new(&input, 1, &r->o.reader);
    if (!rd) {
        report_read(c, "out of memory", input, -1, -1, ND_ENOMEM);
        return;
    }
    memset(&c->seen, 0, sizeof c->seen);
    c->last_src[0] = 0;
    while (!stopped(r)) {
        nd_doc d;
        nd_error e = {0};
        int got = nd_reader_next(rd, &d, &e);
        if (got == 0) break;
        if (got < 0) {
            const char *msg = e.msg[0] ? e.msg : nd_strerror(got);
            char source[1024];
            int64_t off, line;
            parse_where(msg, source, sizeof source, &off, &line);
            report_read(c, msg, source[0] ? source : NULL, off, line, got);
        } else {
            atomic_fetch_add(&r->pages, 1);
            if (d.warning && r->o.on_error) { /* said, not counted: the page is stored */
                nd_ingest_error w = {d.source, -1, (int64_t) d.offset, 0, d.warning};
                pthread_mutex_lock(&r->report_mu);
                r->o.on_error(r->o.ctx, &w);
                pthread_mutex_unlock(&r->report_mu);
            }
            job *j = job_new(&d, ident_for(c, &d), NULL, 1);
            if (!j) {
                report_read(c, "out of memory", d.source, -1, -1, ND_ENOMEM);
            } else {
                order_job(c, j);
                q_push(&r->work, j, j->len, NULL);
            }
        }
        sync_counts(c, nd_reader_get_stats(rd));
    }
    sync_counts(c, nd_reader_get_stats(rd));
    nd_reader_free(rd);
}

static void *reader_main(void *arg)
{
    run *r = arg;
    reader_ctx *c = nd_calloc(1, sizeof *c);
    if (c) {
        c->r = r;
        for (;;) {
            size_t i = atomic_fetch_add(&r->next_input, 1);
            if (i >= r->n_inputs) break;
            c->input = i;
            c->n_jobs = 0;
            /* A claimed input ends, even unread, or later ones wait for it. */
            if (!stopped(r)) read_input(c, r->inputs[i]);
            end_input(c);
        }
        nd_buf_free(&c->ident);
        nd_free(c);
    }
    pthread_mutex_lock(&r->done_mu);
    if (!c) r->reader_failed = 1;
    r->readers_left--;
    pthread_cond_signal(&r->done_cv);
    pthread_mutex_unlock(&r->done_mu);
    count_cpu(&r->cpu_readers);
    return NULL;
}

int nd_ingest(const char *db_path, const char *const *inputs, size_t n_inputs,
              const nd_ingest_opts *opts, nd_ingest_stats *st_out, nd_error *err)
{
    run *r = nd_calloc(1, sizeof *r);
    if (!r) return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    if (opts)
        r->o = *opts;
    else
        nd_ingest_opts_init(&r->o);
    r->db_path = db_path;
    r->t0 = mono_now();
    double cpu0 = nd__thread_cpu();
    /* The dictionaries, loaded once per process before the workers share
     * them. */
    if (!r->o.no_analysis && !r->o.dict && !(r->o.dict = nd_analyze_dict_default(err))) {
        nd_free(r);
        return err && err->code ? err->code : ND_ENOMEM;
    }
    int threads = r->o.threads;
    if (threads <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (int) c : 1;
    }
    if (threads > 256) threads = 256;
    r->threads = threads;
    int progress_ms = r->o.progress_ms > 0 ? r->o.progress_ms : 250;

    int rc = nd_store_open(db_path, ND_STORE_CREATE | ND_STORE_FAST, &r->wstore, err);
    if (rc) {
        nd_free(r);
        return rc;
    }
    char *ij = inputs_json(inputs, n_inputs);
    rc = nd_store_run_begin(r->wstore, ij, &r->run_id, err);
    nd_free(ij);
    if (rc) {
        nd_store_close(r->wstore);
        nd_free(r);
        return rc;
    }
    size_t qbytes = r->o.queue_bytes ? r->o.queue_bytes : (size_t) 64 << 20;
    if (q_init(&r->work, (size_t) threads * 4 + 4, qbytes) ||
        q_init(&r->write, (size_t) threads * 8 + 32, 0)) {
        nd_store_close(r->wstore);
        nd_free(r);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    pthread_mutex_init(&r->report_mu, NULL);
    pthread_mutex_init(&r->df_mu, NULL);
    pthread_rwlock_init(&r->df_rw, NULL);
    /* The workers' frequency cache, held by the run so that what they
     * counted is kept in the store at the end (without it, each worker
     * shares the first one's as before). */
    if (!r->o.no_analysis && nd_store_df_new(r->wstore, &r->df_run, NULL) != 0) r->df_run = NULL;
    r->df_first = r->df_run;

    /* What there is to read, for the progress line (a walk, no reading). */
    nd_reader *all = nd_reader_new(inputs, n_inputs, &r->o.reader);
    if (all) {
        r->total_files = nd_reader_get_stats(all)->total_files;
        r->total_bytes = nd_reader_get_stats(all)->total_bytes;
        r->links_skipped = nd_reader_get_stats(all)->links_skipped;
        nd_reader_free(all);
    }

    /* Readers: one per input at a time, up to the number of threads, so
     * that several crawl files are unpacked and parsed at once. */
    int n_readers = n_inputs < (size_t) threads ? (int) n_inputs : threads;
    if (n_readers < 1) n_readers = 1;
    r->inputs = inputs;
    r->n_inputs = n_inputs;
    /* Storage order: the window keeps every worker busy behind one slow
     * page for a while; the reorder buffer holds at most about
     * order_window + readers x order_ahead extracted pages. */
    r->order_window = (uint64_t) threads * 32 + 64;
    r->order_ahead = (uint64_t) threads * 4 + 4;
    r->end_marks = nd_calloc(n_inputs ? n_inputs : 1, sizeof *r->end_marks);
    r->order_ends = nd_malloc((n_inputs ? n_inputs : 1) * sizeof *r->order_ends);
    if (!r->end_marks || !r->order_ends) {
        nd_free(r->end_marks);
        nd_free(r->order_ends);
        q_destroy(&r->work);
        q_destroy(&r->write);
        pthread_mutex_destroy(&r->report_mu);
        pthread_mutex_destroy(&r->df_mu);
        pthread_rwlock_destroy(&r->df_rw);
        nd_store_df_free(r->df_run);
        nd_store_close(r->wstore);
        nd_free(r);
        return nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    }
    for (size_t i = 0; i < n_inputs; i++) r->order_ends[i] = UINT64_MAX;
    pthread_mutex_init(&r->order_mu, NULL);
    pthread_cond_init(&r->order_cv, NULL);
    pthread_mutex_init(&r->done_mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&r->done_cv, &ca);
    pthread_condattr_destroy(&ca);

    pthread_t *workers = nd_calloc((size_t) threads, sizeof *workers);
    pthread_t *readers = nd_calloc((size_t) n_readers, sizeof *readers);
    /* Checkpoints in a thread of their own while the writer commits
     * (store.h, nd_store_ckpt_start; docs/architecture.md, "Commits and
     * checkpoints"), until the close.  Without it the writer checkpoints
     * as before. */
    int ck_pages = ckpt_pages();
    if (ck_pages >= 0) nd_store_ckpt_start(r->wstore, ck_pages, &r->ck, NULL);
    pthread_t writer;
    int n_started = 0, n_readers_started = 0, writer_started = 0;
    if (workers && readers && pthread_create(&writer, NULL, writer_main, r) == 0)
        writer_started = 1;
    for (int i = 0; writer_started && i < threads; i++)
        if (pthread_create(&workers[i], NULL, worker_main, r) == 0) n_started++;
    r->readers_left = n_readers;
    for (int i = 0; n_started && i < n_readers; i++)
        if (pthread_create(&readers[i], NULL, reader_main, r) == 0) n_readers_started++;
    /* Readers may already have finished and counted themselves out: take
     * away only those that never started. */
    pthread_mutex_lock(&r->done_mu);
    r->readers_left -= n_readers - n_readers_started;
    pthread_mutex_unlock(&r->done_mu);
    if (!n_readers_started) {
        nd_error_set(err, ND_ENOMEM, (size_t) -1, "cannot start the ingest threads");
        rc = ND_ENOMEM;
    }

    /* The calling thread draws progress until the readers are done. */
    nd_ingest_stats snap;
    pthread_mutex_lock(&r->done_mu);
    while (r->readers_left > 0) {
        struct timespec next = after_ms(mono_now(), progress_ms);
        while (r->readers_left > 0 &&
               pthread_cond_timedwait(&r->done_cv, &r->done_mu, &next) != ETIMEDOUT) {
        }
        if (r->readers_left > 0 && r->o.on_progress) {
            pthread_mutex_unlock(&r->done_mu);
            fill_stats(r, &snap);
            r->o.on_progress(r->o.ctx, &snap);
            pthread_mutex_lock(&r->done_mu);
        }
    }
    pthread_mutex_unlock(&r->done_mu);
    for (int i = 0; i < n_readers_started; i++) pthread_join(readers[i], NULL);
    nd_free(readers);
    if (!rc && r->reader_failed) {
        nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        rc = ND_ENOMEM;
    }

    /* Drain: the workers finish the queued pages, then the writer. */
    q_close(&r->work);
    for (int i = 0; i < n_started; i++) pthread_join(workers[i], NULL);
    q_close(&r->write);
    /* While the writer stores the last pages and commits, this thread
     * (a core the workers no longer use) reads what the save will read
     * of the store as it was: the documents that leave the phrases'
     * windows, one for each document the run stores. */
    if (writer_started && r->df_run && !atomic_load(&r->fatal)) {
        nd_store *rd = NULL;
        if (nd_store_open(r->db_path, ND_STORE_READONLY | ND_STORE_NOMAP, &rd, NULL) == 0)
            nd_store_df_presave(rd, r->df_run,
                                (int64_t) (atomic_load(&r->pages) + atomic_load(&r->related)));
        nd_store_close(rd);
    }
    if (writer_started) pthread_join(writer, NULL);
    nd_free(workers);
    /* The end of the run's commit, copied while the frequencies are saved. */
    nd_store_ckpt_flush(r->ck);

    nd_ingest_stats st;
    fill_stats(r, &st);
    if (!rc && atomic_load(&r->fatal)) {
        if (err) *err = r->fatal_err;
        rc = r->fatal_err.code ? r->fatal_err.code : ND_EDB;
    }
    /* The words the keywords looked up: the next runs count only the
     * documents added since (a cache: a failure to keep them is not the
     * run's). */
    if (r->df_run && !atomic_load(&r->fatal)) nd_store_df_save(r->wstore, r->df_run, NULL);
    nd_store_df_free(r->df_run);
    nd_store_run run_rec = {0};
    run_rec.id = r->run_id;
    run_rec.status = rc ? "failed" : (r->o.stop && *r->o.stop) ? "interrupted" : NULL;
    run_rec.pages = st.pages;
    run_rec.added = st.added + st.versions;
    run_rec.related = st.related;
    run_rec.duplicates = st.duplicates;
    run_rec.skipped = st.skipped;
    run_rec.errors = st.errors;
    nd_error fe = {0};
    int frc = nd_store_run_finish(r->wstore, &run_rec, &fe);
    if (!rc && frc) {
        if (err) *err = fe;
        rc = frc;
    }
    /* A bulk run pays for the full-text indexes rewritten whole, so that
     * the runs after it look up one segment, not a dozen (docs/
     * architecture.md, "The full-text index rewritten whole").  A failure
     * is a warning: the run's documents are committed. */
    struct timespec t_opt = mono_now();
    if (!rc && !r->o.no_optimize && !(r->o.stop && *r->o.stop)) {
        int due = 0;
        nd_error oe = {0};
        int orc = nd_store_optimize_due(r->wstore, st.added + st.versions + st.related, &due, &oe);
        if (!orc && due) orc = nd_store_optimize(r->wstore, NULL, &oe);
        if (!orc && due)
            st.optimized = 1;
        else if (orc) {
            st.optimized = -1;
            if (r->o.on_error) {
                char msg[sizeof oe.msg + 64];
                snprintf(msg, sizeof msg, "cannot rewrite the full-text indexes: %s", oe.msg);
                nd_ingest_error e = {NULL, -1, -1, 0, msg};
                r->o.on_error(r->o.ctx, &e);
            }
        }
    }
    /* The thread's last pass, then the close copies what is left. */
    nd_store_ckpt_stats cst = {0};
    nd_error ce = {0};
    if (nd_store_ckpt_stop(r->ck, &cst, &ce))
        ckpt_said(r, &ce);
    else if (r->ck && getenv("NEWSDESK_CKPT_STATS"))
        fprintf(stderr,
                "checkpoints: %llu by the thread (%.3f s of CPU), %llu tails and %llu fallbacks"
                " by the writer (%.3f s), %llu restarts, the log at most %d frames\n",
                (unsigned long long) cst.passes, cst.thread_cpu, (unsigned long long) cst.tails,
                (unsigned long long) cst.fallbacks, cst.writer_seconds,
                (unsigned long long) cst.restarts, cst.peak_frames);
    nd_store_close(r->wstore);
    /* (the close copies the rewritten index into the file: part of it) */
    if (st.optimized == 1) st.optimize_seconds = secs_between(t_opt, mono_now());
    st.cpu_workers = (double) atomic_load(&r->cpu_workers) / 1e6;
    st.cpu_writer = (double) atomic_load(&r->cpu_writer) / 1e6;
    st.cpu_readers = (double) atomic_load(&r->cpu_readers) / 1e6;
    st.cpu_checkpoints = cst.thread_cpu;
    st.cpu_caller = nd__thread_cpu() - cpu0;
    if (st_out) *st_out = st;
    q_destroy(&r->work);
    q_destroy(&r->write);
    pthread_mutex_destroy(&r->report_mu);
    pthread_mutex_destroy(&r->df_mu);
    pthread_rwlock_destroy(&r->df_rw);
    pthread_mutex_destroy(&r->done_mu);
    pthread_cond_destroy(&r->done_cv);
    pthread_mutex_destroy(&r->order_mu);
    pthread_cond_destroy(&r->order_cv);
    nd_free(r->end_marks);
    nd_free(r->order_ends);
    nd_free(r);
    return rc;
}
