/*
 * bench_cluster.c - run the story engine over a labelled JSON Lines corpus
 * (the evaluation driver behind tools/eval_cluster.sh).
 *
 *   bench_cluster [options] IN.jsonl OUT.jsonl
 *     --shuffle SEED   feed the documents in a pseudo-random order (the
 *                      same for the same seed), else in file order
 *     --set NAME=VAL   override an engine parameter (see params[] below)
 *     --no-flush       do not call nd_cluster_flush() at the end
 *     --dups           print the duplicates found on stderr
 *
 * Reads only "id", "title", "text" and "published" of each line - never
 * the answer ("story", "topic").  Writes one {"id", "story"} per document,
 * applying the moves and merges the engine reports exactly as a store
 * would, and prints a one-line summary (documents, stories, changes,
 * documents per second of CPU time in the engine calls alone) on stderr.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsdesk/cluster.h"

typedef struct doc {
    char *id;
    char *title;
    char *text;
    int64_t published;
    int64_t story;
} doc;

static int64_t parse_date(const char *s)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3) return ND_TIME_NONE;
    if (strlen(s) >= 19) sscanf(s + 11, "%2d:%2d:%2d", &h, &mi, &se);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    return (int64_t) timegm(&tm);
}

static char *dup_str(const char *s)
{
    return s ? strdup(s) : NULL;
}

static doc *read_docs(const char *path, size_t *n_out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_cluster: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t n = 0, cap = 256;
    doc *docs = malloc(cap * sizeof *docs);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    long ln = 0;
    while ((len = getline(&line, &lcap, f)) > 0) {
        ln++;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t) len, 0, &je);
        if (!o || !json_is_object(o)) {
            fprintf(stderr, "bench_cluster: %s:%ld: not a JSON object, skipped\n", path, ln);
            json_decref(o);
            continue;
        }
        if (n == cap) docs = realloc(docs, (cap *= 2) * sizeof *docs);
        doc *d = &docs[n];
        json_t *id = json_object_get(o, "id");
        if (json_is_string(id))
            d->id = strdup(json_string_value(id));
        else if (json_is_integer(id)) {
            char b[32];
            snprintf(b, sizeof b, "%lld", (long long) json_integer_value(id));
            d->id = strdup(b);
        } else {
            fprintf(stderr, "bench_cluster: %s:%ld: no id, skipped\n", path, ln);
            json_decref(o);
            continue;
        }
        d->title = dup_str(json_string_value(json_object_get(o, "title")));
        d->text = dup_str(json_string_value(json_object_get(o, "text")));
        d->published = parse_date(json_string_value(json_object_get(o, "published")));
        d->story = 0;
        n++;
        json_decref(o);
    }
    free(line);
    fclose(f);
    *n_out = n;
    return docs;
}

/* Parameter overrides by name. */
static int set_param(nd_cluster_params *p, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq) return -1;
    size_t kn = (size_t) (eq - kv);
    double v = atof(eq + 1);
#define D(name)                                                                                    \
    if (kn == strlen(#name) && !strncmp(kv, #name, kn)) {                                          \
        p->name = v;                                                                               \
        return 0;                                                                                  \
    }
#define I(name, type)                                                                              \
    if (kn == strlen(#name) && !strncmp(kv, #name, kn)) {                                          \
        p->name = (type) v;                                                                        \
        return 0;                                                                                  \
    }
    /* clang-format off */
    D(join) D(background) D(shared) D(join_old) D(revive) D(dup_jaccard)
    D(w_word) D(w_title) D(w_entity) D(w_phrase) D(w_number) D(w_year) D(w_date)
    D(lead_boost) D(prior_docs) D(clash) D(burst)
    I(neighbours, uint32_t) I(profile, uint32_t) I(lead_words, uint32_t)
    I(window_seconds, int64_t) I(keep_seconds, int64_t) I(burst_seconds, int64_t)
    I(window_docs, uint32_t)
    I(recent, uint32_t) I(sweep_every, uint32_t) I(df_bits, unsigned)
    I(df_half_life, uint32_t) I(max_features, uint32_t) I(max_centroid, uint32_t)
    I(candidates, uint32_t)
    /* clang-format on */
#undef D
#undef I
                                return -1;
}

/* xorshift64* for the shuffles: the same seed gives the same order on
 * every machine. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: other processes do not count */
    return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void apply_changes(doc *docs, size_t n, const nd_cluster_result *r)
{
    for (size_t k = 0; k < r->n_changes; k++) {
        const nd_cluster_change *ch = &r->changes[k];
        if (ch->kind == ND_CLUSTER_MOVE) {
            docs[ch->doc - 1].story = ch->to;
        } else {
            for (size_t i = 0; i < n; i++)
                if (docs[i].story == ch->from) docs[i].story = ch->to;
        }
    }
}

int main(int argc, char **argv)
{
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    long long seed = -1;
    int flush = 1, show_dups = 0;
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--shuffle") && i + 1 < argc) {
            seed = atoll(argv[++i]);
        } else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
            if (set_param(&p, argv[++i])) {
                fprintf(stderr, "bench_cluster: unknown parameter '%s'\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--no-flush")) {
            flush = 0;
        } else if (!strcmp(argv[i], "--dups")) {
            show_dups = 1;
        } else if (!in) {
            in = argv[i];
        } else if (!out) {
            out = argv[i];
        } else {
            fprintf(stderr, "usage: bench_cluster [--shuffle SEED] [--set K=V] IN OUT\n");
            return 2;
        }
    }
    if (!in || !out) {
        fprintf(stderr, "usage: bench_cluster [--shuffle SEED] [--set K=V] IN OUT\n");
        return 2;
    }
    size_t n;
    doc *docs = read_docs(in, &n);
    if (!docs) return 1;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++) order[i] = i;
    if (seed >= 0) {
        uint64_t s = (uint64_t) seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
        for (size_t i = n; i > 1; i--) {
            size_t j = (size_t) (rng_next(&s) % i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
    }
    nd_error err;
    nd_cluster *c = nd_cluster_new(&p, &err);
    if (!c) {
        fprintf(stderr, "bench_cluster: %s\n", err.msg);
        return 1;
    }
    double t_engine = 0;
    size_t changes = 0;
    for (size_t k = 0; k < n; k++) {
        doc *d = &docs[order[k]];
        nd_cluster_doc cd = {(int64_t) order[k] + 1,          d->title,
                             d->title ? strlen(d->title) : 0, d->text,
                             d->text ? strlen(d->text) : 0,   d->published};
        nd_cluster_result r;
        double t0 = now_s();
        int rc = nd_cluster_add(c, &cd, &r);
        t_engine += now_s() - t0;
        if (rc) fprintf(stderr, "bench_cluster: %s: %s\n", d->id, nd_strerror(rc));
        d->story = r.story;
        apply_changes(docs, n, &r);
        changes += r.n_changes;
        if (show_dups && r.dup)
            fprintf(stderr, "dup %s of %s (%s, %.3f)\n", d->id, docs[r.dup_of - 1].id,
                    r.dup == ND_DUP_EXACT ? "exact" : "near", r.similarity);
    }
    if (flush) {
        nd_cluster_result r;
        double t0 = now_s();
        nd_cluster_flush(c, &r);
        t_engine += now_s() - t0;
        apply_changes(docs, n, &r);
        changes += r.n_changes;
    }
    nd_cluster_stats st;
    nd_cluster_get_stats(c, &st);
    nd_buf state = ND_BUF_INIT;
    nd_cluster_export(c, &state);
    size_t state_len = state.len;
    nd_buf_free(&state);
    FILE *f = fopen(out, "w");
    if (!f) {
        fprintf(stderr, "bench_cluster: %s: %s\n", out, strerror(errno));
        return 1;
    }
    size_t stories = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s,s:I}", "id", docs[i].id, "story", (json_int_t) docs[i].story);
        char *s = json_dumps(o, JSON_COMPACT);
        fprintf(f, "%s\n", s);
        free(s);
        json_decref(o);
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) seen = docs[j].story == docs[i].story;
        stories += !seen;
    }
    fclose(f);
    fprintf(stderr,
            "bench_cluster: %zu docs, %zu stories, %zu changes (%llu moves, %llu merges), "
            "%llu exact + %llu near dups, %.0f docs/s, %.1f MB engine, %.1f MB saved state\n",
            n, stories, changes, (unsigned long long) st.moves, (unsigned long long) st.merges,
            (unsigned long long) st.dups_exact, (unsigned long long) st.dups_near,
            t_engine > 0 ? n / t_engine : 0.0, st.bytes / 1048576.0, state_len / 1048576.0);
    nd_cluster_free(c);
    for (size_t i = 0; i < n; i++) {
        free(docs[i].id);
        free(docs[i].title);
        free(docs[i].text);
    }
    free(docs);
    free(order);
    return 0;
}
