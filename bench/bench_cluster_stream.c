/*
 * bench_cluster_stream.c - cost and memory of the story engine on a
 * synthetic news stream (the `make bench` table of tools/bench_cluster.sh).
 *
 *   bench_cluster_stream [--docs N[,N...]] [--days D] [--seed S] [--set K=V]
 *
 * The generator: a Zipfian vocabulary of 30,000 pseudo-words shared by all
 * stories; 400 topics, each with its own Zipfian list of 250 topic words
 * (topics overlap); stories that start at random moments over the days of
 * the stream and arrive in bursts (most articles within two days, a tail
 * over a week), each with 2-5 named people/organisations, a place, a few
 * numbers (casualties, ages, magnitudes) and a date; article sizes from 80
 * to 900 words; 4% of the articles are wire copies of an earlier article of
 * their story with a new dateline and light edits.  Articles come in
 * publication order.  Nothing is held in memory but the current article.
 *
 * Prints, for each stream length: microseconds per document and documents
 * per second spent in nd_cluster_add() (thread CPU time, so that other
 * processes on the machine do not count), the engine's own bytes
 * (nd_cluster_get_stats), the process's peak RSS, active stories, and the
 * BCubed F1 against the generator's stories as a sanity check.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/clock.h"
#include "newsdesk/cluster.h"

/* ---- deterministic randomness -------------------------------------------------- */

static uint64_t rnd_state;
static uint64_t rnd(void)
{
    uint64_t x = rnd_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rnd_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}
static double rndu(void)
{
    return (double) (rnd() >> 11) / 9007199254740992.0;
}

/* Zipf(s = 1.05) over n ranks by inverse CDF on a precomputed table. */
typedef struct zipf {
    double *cdf;
    uint32_t n;
} zipf;
static void zipf_init(zipf *z, uint32_t n, double s)
{
    z->n = n;
    z->cdf = malloc(n * sizeof *z->cdf);
    double acc = 0;
    for (uint32_t i = 0; i < n; i++) z->cdf[i] = acc += 1.0 / pow(i + 1.0, s);
    for (uint32_t i = 0; i < n; i++) z->cdf[i] /= acc;
}
static uint32_t zipf_draw(const zipf *z)
{
    double u = rndu();
    uint32_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (z->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A pseudo-word for id (deterministic syllables), capitalised if asked. */
static size_t word_of(uint64_t id, int cap, char *out)
{
    static const char *syl[] = {"ka",  "lo",  "mi", "ne", "ra", "to",  "su",  "vi",  "de", "ban",
                                "tor", "el",  "an", "gu", "pe", "ri",  "sol", "mar", "ti", "on",
                                "cha", "ver", "is", "ul", "fa", "zen", "do",  "qui", "ho", "ly"};
    uint64_t h = id * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
    int k = 2 + (int) (h % 3);
    size_t n = 0;
    for (int i = 0; i < k; i++) {
        h = h * 6364136223846793005ULL + 1442695040888963407ULL;
        const char *s = syl[(h >> 33) % 30];
        size_t l = strlen(s);
        memcpy(out + n, s, l);
        n += l;
    }
    if (cap) out[0] = (char) (out[0] - 32);
    out[n] = 0;
    return n;
}

/* ---- the stream -------------------------------------------------------------------- */

#define N_VOCAB     30000
#define N_TOPICS    400
#define TOPIC_WORDS 250
#define N_NAMES     60000

typedef struct gstory {
    int64_t start; /* epoch seconds */
    uint32_t topic;
    uint32_t names[5], n_names;
    uint32_t place;
    uint32_t nums[3];
    int month, day;
    uint32_t left; /* articles still to come */
    int64_t label;
} gstory;

typedef struct gen {
    zipf vocab, topicz, sizes;
    uint32_t topic_words[N_TOPICS][TOPIC_WORDS];
    int64_t t0;
    double days;
    /* upcoming articles: (time, story) in a binary heap */
    struct ev {
        int64_t t;
        uint32_t story;
    } * heap;
    size_t n_heap, cap_heap;
    gstory *stories;
    size_t n_stories, cap_stories;
    double story_rate; /* stories per second */
    int64_t next_story_t;
    /* the last article per story kept for wire copies (text only) */
    char **last_text;
} gen;

static void heap_push(gen *g, int64_t t, uint32_t s)
{
    if (g->n_heap == g->cap_heap) {
        g->cap_heap = g->cap_heap ? g->cap_heap * 2 : 1024;
        g->heap = realloc(g->heap, g->cap_heap * sizeof *g->heap);
    }
    size_t i = g->n_heap++;
    while (i && g->heap[(i - 1) / 2].t > t) {
        g->heap[i] = g->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    g->heap[i].t = t;
    g->heap[i].story = s;
}

static struct ev heap_pop(gen *g)
{
    struct ev top = g->heap[0], last = g->heap[--g->n_heap];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= g->n_heap) break;
        if (c + 1 < g->n_heap && g->heap[c + 1].t < g->heap[c].t) c++;
        if (g->heap[c].t >= last.t) break;
        g->heap[i] = g->heap[c];
        i = c;
    }
    if (g->n_heap) g->heap[i] = last;
    return top;
}

static void new_story(gen *g, int64_t t)
{
    if (g->n_stories == g->cap_stories) {
        g->cap_stories = g->cap_stories ? g->cap_stories * 2 : 1024;
        g->stories = realloc(g->stories, g->cap_stories * sizeof *g->stories);
        g->last_text = realloc(g->last_text, g->cap_stories * sizeof *g->last_text);
    }
    uint32_t id = (uint32_t) g->n_stories++;
    gstory *s = &g->stories[id];
    memset(s, 0, sizeof *s);
    g->last_text[id] = NULL;
    s->start = t;
    s->topic = zipf_draw(&g->topicz);
    s->n_names = 2 + (uint32_t) (rnd() % 4);
    for (uint32_t i = 0; i < s->n_names; i++) s->names[i] = (uint32_t) (rnd() % N_NAMES);
    s->place = (uint32_t) (rnd() % 3000);
    for (int i = 0; i < 3; i++) s->nums[i] = (uint32_t) (rnd() % 500);
    time_t tt = (time_t) t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    s->month = tm.tm_mon;
    s->day = tm.tm_mday;
    /* articles per story: heavy tailed, 1..60 */
    double u = rndu();
    s->left = 1 + (uint32_t) (pow(u, 3.0) * 60);
    s->label = id + 1;
    for (uint32_t k = 0; k < s->left; k++) {
        /* bursts: most within two days, a tail over a week */
        double dt = rndu() < 0.8 ? -log(1 - rndu()) * 0.5 * 86400 : rndu() * 7 * 86400;
        heap_push(g, t + (int64_t) dt, id);
    }
}

static void gen_init(gen *g, double days, uint64_t seed, size_t target_docs)
{
    memset(g, 0, sizeof *g);
    rnd_state = seed * 0x9E3779B97F4A7C15ULL + 1;
    zipf_init(&g->vocab, N_VOCAB, 1.05);
    zipf_init(&g->topicz, N_TOPICS, 0.9);
    zipf_init(&g->sizes, TOPIC_WORDS, 1.0);
    for (int t = 0; t < N_TOPICS; t++)
        for (int k = 0; k < TOPIC_WORDS; k++)
            /* topic words: partly shared across topics (from the ranks 200-8000) */
            g->topic_words[t][k] = 200 + (uint32_t) (rnd() % 8000);
    g->t0 = 1700000000;
    g->days = days;
    double mean_docs = 1 + 60.0 / 4.0; /* E[1 + 60 u^3] */
    double stories = target_docs / mean_docs;
    g->story_rate = stories / (days * 86400.0);
    g->next_story_t = g->t0;
}

static const char *months[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};

/* Write one article of story s into buf (title, text). */
static void write_article(gen *g, uint32_t sid, char *title, size_t tcap, char *text, size_t xcap)
{
    gstory *s = &g->stories[sid];
    char w[64], w2[64];
    size_t n = 0;
    /* wire copy of the story's last article: new dateline, light edits */
    if (g->last_text[sid] && rndu() < 0.04) {
        const char *src = g->last_text[sid];
        n = (size_t) snprintf(text, xcap, "WIRE %u -\n", (unsigned) (rnd() % 1000));
        size_t sl = strlen(src);
        for (size_t i = 0; i < sl && n + 1 < xcap; i++) {
            text[n++] = src[i];
            if (src[i] == ' ' && rndu() < 0.01 && n + 8 < xcap) {
                word_of(rnd() % N_VOCAB, 0, w);
                n += (size_t) snprintf(text + n, xcap - n, "%s ", w);
            }
        }
        text[n] = 0;
        word_of(s->names[0] + 100000, 1, w);
        snprintf(title, tcap, "%s report", w);
        return;
    }
    /* title: main name + topic words */
    word_of(s->names[0] + 100000, 1, w);
    word_of(g->topic_words[s->topic][zipf_draw(&g->sizes)], 0, w2);
    size_t tn = (size_t) snprintf(title, tcap, "%s %s", w, w2);
    for (int k = 0; k < 3 && tn + 20 < tcap; k++) {
        word_of(g->topic_words[s->topic][zipf_draw(&g->sizes)], 0, w2);
        tn += (size_t) snprintf(title + tn, tcap - tn, " %s", w2);
    }
    /* body */
    word_of(s->place + 200000, 1, w);
    for (char *p = w; *p; p++) *p = (char) (*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    n = (size_t) snprintf(text, xcap, "%s, %s %d -", w, months[s->month], s->day);
    size_t words = 80 + (size_t) (rndu() * rndu() * 820);
    int in_sentence = 0;
    for (size_t k = 0; k < words && n + 80 < xcap; k++) {
        double u = rndu();
        int cap = !in_sentence;
        if (u < 0.06) {
            word_of(s->names[rnd() % s->n_names] + 100000, 1, w);
        } else if (u < 0.075) {
            word_of(s->place + 200000, 1, w);
        } else if (u < 0.09) {
            snprintf(w, sizeof w, "%u", s->nums[rnd() % 3]);
        } else if (u < 0.35) {
            word_of(g->topic_words[s->topic][zipf_draw(&g->sizes)], cap, w);
        } else if (u < 0.36) {
            /* a name from another story of the news (noise) */
            word_of((uint32_t) (rnd() % N_NAMES) + 100000, 1, w);
        } else {
            word_of(zipf_draw(&g->vocab), cap, w);
        }
        n += (size_t) snprintf(text + n, xcap - n, " %s", w);
        in_sentence = 1;
        if (rndu() < 0.06) {
            text[n++] = '.';
            if (rndu() < 0.3) text[n++] = '\n';
            text[n] = 0;
            in_sentence = 0;
        }
    }
    text[n++] = '.';
    text[n] = 0;
    free(g->last_text[sid]);
    g->last_text[sid] = strdup(text);
}

/* The next article; returns its story label. */
static int64_t gen_next(gen *g, int64_t *t, char *title, size_t tcap, char *text, size_t xcap)
{
    /* start stories until the next one is later than the next article */
    while (!g->n_heap || g->next_story_t <= g->heap[0].t) {
        new_story(g, g->next_story_t);
        g->next_story_t += (int64_t) (-log(1 - rndu()) / g->story_rate) + 1;
    }
    struct ev e = heap_pop(g);
    *t = e.t;
    write_article(g, e.story, title, tcap, text, xcap);
    gstory *s = &g->stories[e.story];
    if (--s->left == 0) {
        free(g->last_text[e.story]);
        g->last_text[e.story] = NULL;
    }
    return s->label;
}

static void gen_free(gen *g)
{
    for (size_t i = 0; i < g->n_stories; i++) free(g->last_text[i]);
    free(g->last_text);
    free(g->stories);
    free(g->heap);
    free(g->vocab.cdf);
    free(g->topicz.cdf);
    free(g->sizes.cdf);
}

/* ---- BCubed on the fly (hash maps of pair counts would be big: sample) ------------ */

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

typedef struct pair {
    int64_t gold, pred;
} pair;

/* BCubed F1 over the first `n` documents (labels kept: 16 bytes a doc). */
static int cmp_gold(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->gold != y->gold) return x->gold < y->gold ? -1 : 1;
    return x->pred < y->pred ? -1 : x->pred > y->pred;
}
static int cmp_pred(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->pred != y->pred) return x->pred < y->pred ? -1 : 1;
    return x->gold < y->gold ? -1 : x->gold > y->gold;
}
static double bcubed(pair *p, size_t n)
{
    /* sum over cells n_ij^2 / n_i (recall) and / n_j (precision) */
    double P = 0, R = 0;
    qsort(p, n, sizeof *p, cmp_gold);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && p[j].gold == p[i].gold) j++;
        for (size_t a = i; a < j;) {
            size_t b = a;
            while (b < j && p[b].pred == p[a].pred) b++;
            R += (double) (b - a) * (b - a) / (double) (j - i);
            a = b;
        }
        i = j;
    }
    qsort(p, n, sizeof *p, cmp_pred);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && p[j].pred == p[i].pred) j++;
        for (size_t a = i; a < j;) {
            size_t b = a;
            while (b < j && p[b].gold == p[a].gold) b++;
            P += (double) (b - a) * (b - a) / (double) (j - i);
            a = b;
        }
        i = j;
    }
    P /= n;
    R /= n;
    return P + R > 0 ? 2 * P * R / (P + R) : 0;
}

int main(int argc, char **argv)
{
    size_t sizes[8] = {10000, 50000, 200000};
    int n_sizes = 3;
    double days = 0; /* 0: 1,000 articles a day */
    uint64_t seed = 1;
    nd_cluster_params p;
    nd_cluster_params_default(&p);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--docs") && i + 1 < argc) {
            n_sizes = 0;
            for (char *s = strtok(argv[++i], ","); s && n_sizes < 8; s = strtok(NULL, ","))
                sizes[n_sizes++] = (size_t) atol(s);
        } else if (!strcmp(argv[i], "--days") && i + 1 < argc) {
            days = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = (uint64_t) atoll(argv[++i]);
        } else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
            char *kv = argv[++i], *eq = strchr(kv, '=');
            if (!eq) return 2;
            *eq = 0;
            double v = atof(eq + 1);
            if (!strcmp(kv, "window_docs"))
                p.window_docs = (uint32_t) v;
            else if (!strcmp(kv, "recent"))
                p.recent = (uint32_t) v;
            else if (!strcmp(kv, "sweep_every"))
                p.sweep_every = (uint32_t) v;
            else if (!strcmp(kv, "candidates"))
                p.candidates = (uint32_t) v;
            else if (!strcmp(kv, "window_seconds"))
                p.window_seconds = (int64_t) v;
            else if (!strcmp(kv, "keep_seconds"))
                p.keep_seconds = (int64_t) v;
            else if (!strcmp(kv, "join"))
                p.join = v;
            else if (!strcmp(kv, "prior_docs"))
                p.prior_docs = v;
            else if (!strcmp(kv, "clash"))
                p.clash = v;
            else if (!strcmp(kv, "burst"))
                p.burst = v;
            else {
                fprintf(stderr, "bench_cluster_stream: unknown parameter %s\n", kv);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: bench_cluster_stream [--docs N,N] [--days D] [--seed S] "
                            "[--set K=V]\n");
            return 2;
        }
    }
    printf("synthetic stream: 1,000 articles/day, bursts over days, Zipfian vocabulary; "
           "window %lld days / %u docs\n",
           (long long) (p.window_seconds / 86400), p.window_docs);
    printf("%9s %10s %10s %12s %12s %10s %9s %8s %8s\n", "docs", "us/doc", "docs/s", "engine MB",
           "peak RSS MB", "stories", "active", "dups", "B3 F1");
    enum { TCAP = 512, XCAP = 16384 };
    char *title = malloc(TCAP), *text = malloc(XCAP);
    for (int si = 0; si < n_sizes; si++) {
        size_t N = sizes[si];
        gen g;
        gen_init(&g, days > 0 ? days : N / 1000.0, seed, N);
        nd_error err;
        nd_cluster *c = nd_cluster_new(&p, &err);
        if (!c) {
            fprintf(stderr, "bench_cluster_stream: %s\n", err.msg);
            return 1;
        }
        pair *lab = malloc(N * sizeof *lab);
        double cpu = 0;
        for (size_t k = 0; k < N; k++) {
            int64_t t;
            int64_t gold = gen_next(&g, &t, title, TCAP, text, XCAP);
            nd_cluster_doc d = {(int64_t) k + 1, title, strlen(title), text, strlen(text), t};
            nd_cluster_result r;
            double t0 = nd__thread_cpu();
            nd_cluster_add(c, &d, &r);
            cpu += nd__thread_cpu() - t0;
            lab[k].gold = gold;
            lab[k].pred = r.story;
            /* apply the changes as a store would (MERGE: scan; rare) */
            for (size_t q = 0; q < r.n_changes; q++) {
                const nd_cluster_change *ch = &r.changes[q];
                if (ch->kind == ND_CLUSTER_MOVE)
                    lab[ch->doc - 1].pred = ch->to;
                else
                    for (size_t m = k + 1; m-- > 0 && k - m < 2 * (size_t) p.window_docs;)
                        if (lab[m].pred == ch->from) lab[m].pred = ch->to;
            }
        }
        nd_cluster_stats st;
        nd_cluster_get_stats(c, &st);
        double f1 = bcubed(lab, N);
        printf("%9zu %10.1f %10.0f %12.1f %12.1f %10llu %9llu %8llu %8.2f\n", N, 1e6 * cpu / N,
               N / cpu, st.bytes / 1048576.0, peak_rss_kb() / 1024.0,
               (unsigned long long) st.stories_created, (unsigned long long) st.stories_active,
               (unsigned long long) (st.dups_exact + st.dups_near), 100 * f1);
        fflush(stdout);
        nd_cluster_free(c);
        free(lab);
        gen_free(&g);
    }
    free(title);
    free(text);
    return 0;
}
