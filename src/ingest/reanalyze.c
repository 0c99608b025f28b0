/* reanalyze.c - nd_reanalyze(): analyse documents already in the store
 * (stored before schema 4, by an ingest without analysis, or all of them
 * after a dictionary change).
 *
 * Batches of documents are read by the calling thread, analysed by
 * `threads` threads (each takes the next document of the batch), and
 * written in one transaction per batch, so a kill loses at most a batch,
 * which the next run does again. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "newsdesk/analyze.h"
#include "newsdesk/ingest.h"
#include "newsdesk/lang.h"
#include "newsdesk/parse.h"
#include "newsdesk/store.h"

#define BATCH 256

typedef struct batch {
    nd_store_doc *docs[BATCH];
    nd_analysis *out[BATCH];
    size_t n;
    _Atomic size_t next;
    const nd_analyze_dict *dict;
} batch;

static void analyze_doc(const nd_analyze_dict *dict, const nd_store_doc *d, nd_parse_work *pw,
                        nd_analysis **out)
{
    nd_analyze_opts o;
    nd_analyze_opts_init(&o);
    o.dict = dict;
    o.parse_work = pw;
    o.date = d->published;
    o.title = d->title;
    o.language = d->language;
    int english = !d->language || !*d->language || !strcmp(d->language, "en");
    size_t len = english ? d->text_len : 0;
    if (nd_analyze(len ? d->text : "", len, &o, out, NULL)) *out = NULL;
}

static void *work(void *arg)
{
    batch *b = arg;
    /* one parse work for the thread's documents (NULL: one per document) */
    nd_parse_work *pw = nd_parse_work_new();
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n) break;
        analyze_doc(b->dict, b->docs[i], pw, &b->out[i]);
    }
    nd_parse_work_free(pw);
    return NULL;
}

void nd_reanalyze_opts_init(nd_reanalyze_opts *o)
{
    memset(o, 0, sizeof *o);
}

static void clear(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        nd_analysis_free(b->out[i]);
        nd_store_doc_free(b->docs[i]);
        b->out[i] = NULL;
        b->docs[i] = NULL;
    }
    b->n = 0;
}

/* The keywords of every document without them (all: of every
 * document), scored against the store's frequencies, with the stored
 * analysis's actors; one transaction per BATCH documents. */
static int fill_keywords(nd_store *s, int all, nd_error *err)
{
    nd_store_df *df = NULL;
    int rc = nd_store_df_new(s, &df, err);
    int64_t after = 0;
    while (!rc) {
        int64_t ids[BATCH];
        size_t n = 0;
        rc = nd_store_keywords_todo(s, after, all, ids, BATCH, &n, err);
        if (rc || n == 0) break;
        after = ids[n - 1];
        nd_keywords *kw[BATCH] = {0};
        for (size_t i = 0; i < n && !rc; i++) {
            nd_store_doc *d = NULL;
            rc = nd_store_get_id(s, ids[i], &d, err);
            if (rc == ND_ENOTFOUND) {
                rc = 0;
                continue;
            }
            if (!rc) rc = nd_store_load_analysis(s, d, err);
            if (!rc) {
                nd_keywords_opts ko;
                nd_keywords_opts_init(&ko);
                ko.title = d->title;
                ko.language = d->language;
                ko.analysis = d->analysis;
                ko.df = nd_store_df_get;
                ko.df_ctx = df;
                ko.n_docs = nd_store_df_docs(df);
                rc = nd_keywords_extract(d->text, d->text_len, &ko, &kw[i], err);
            }
            nd_store_doc_free(d);
        }
        if (!rc) rc = nd_store_begin(s, err);
        for (size_t i = 0; !rc && i < n; i++) {
            if (!kw[i]) continue;
            rc = nd_store_set_keywords(s, ids[i], kw[i], err);
            if (rc == ND_ENOTFOUND) rc = 0;
        }
        if (!rc) rc = nd_store_commit(s, err);
        if (rc) nd_store_rollback(s);
        for (size_t i = 0; i < n; i++) nd_keywords_free(kw[i]);
    }
    nd_store_df_free(df);
    return rc;
}

int nd_reanalyze(const char *db_path, const nd_reanalyze_opts *opts, uint64_t *done, nd_error *err)
{
    nd_reanalyze_opts o;
    if (opts)
        o = *opts;
    else
        nd_reanalyze_opts_init(&o);
    if (done) *done = 0;
    if (!o.dict && !(o.dict = nd_analyze_dict_default(err)))
        return err && err->code ? err->code : ND_ENOMEM;
    int threads = o.threads;
    if (threads <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (int) c : 1;
    }
    if (threads > 64) threads = 64;
    nd_store *s = NULL;
    int rc = nd_store_open(db_path, ND_STORE_FAST, &s, err);
    if (rc) return rc;
    uint64_t total = 0, analysed = 0, n_done = 0;
    rc = nd_store_analysis_count(s, &total, &analysed, err);
    if (!rc && !o.all) total = total > analysed ? total - analysed : 0;
    batch *b = nd_calloc(1, sizeof *b);
    if (!b) rc = nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
    int64_t after = 0;
    pthread_t tid[64];
    while (!rc && !(o.stop && *o.stop)) {
        int64_t ids[BATCH];
        size_t n = 0;
        rc = nd_store_analysis_todo(s, after, o.all, ids, BATCH, &n, err);
        if (rc || n == 0) break;
        after = ids[n - 1];
        b->n = 0;
        for (size_t i = 0; i < n && !rc; i++) {
            rc = nd_store_get_id(s, ids[i], &b->docs[b->n], err);
            if (rc == ND_ENOTFOUND) {
                rc = 0; /* deleted meanwhile */
                continue;
            }
            if (!rc) b->n++;
        }
        if (rc) break;
        b->dict = o.dict;
        atomic_store(&b->next, 0);
        int started = 0;
        for (int t = 0; t < threads && t < (int) b->n; t++)
            if (pthread_create(&tid[started], NULL, work, b) == 0) started++;
        if (!started) work(b);
        for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
        rc = nd_store_begin(s, err);
        uint64_t k = 0;
        for (size_t i = 0; !rc && i < b->n; i++) {
            if (!b->out[i]) continue; /* out of memory: left for the next run */
            rc = nd_store_set_analysis(s, b->docs[i]->id, b->out[i], err);
            if (rc == ND_ENOTFOUND)
                rc = 0;
            else if (!rc)
                k++;
        }
        if (!rc) rc = nd_store_commit(s, err);
        if (rc)
            nd_store_rollback(s);
        else
            n_done += k;
        clear(b);
        if (!rc && o.on_progress) o.on_progress(o.ctx, n_done, total);
    }
    if (b) clear(b);
    nd_free(b);
    if (!rc && !(o.stop && *o.stop)) rc = fill_keywords(s, o.all, err);
    nd_store_close(s);
    if (done) *done = n_done;
    return rc;
}
