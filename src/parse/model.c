/* model.c - loading and checking a parser model (format in parse_int.h).
 *
 * Everything a lookup can touch is checked once at load: the header, the
 * checksum, every section's bounds, every slot's offset and count and
 * every pair's class, every string offset.  After that the tagger and the
 * parser read the tables without bounds checks.  The model compiled into
 * the library is part of the executable: the build runs the full check,
 * checksum and every slot, over the very bytes compiled in
 * (tools/check_model.c links the same object) and fails if they do not
 * pass; a process checks only what points its tables into the blob (the
 * header, sections, sizes, a free slot in each table), not the 2.4 M
 * words of the weight tables again (16.4 M instructions, about 5 ms on
 * the first worker's path of every run). */
#include "parse/parse_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t) rd32(p) | (uint64_t) rd32(p + 4) << 32;
}

static int host_is_le(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

#define BAD(...) (nd_error_set(err, ND_EFORMAT, (size_t) -1, __VA_ARGS__), -1)

/* full: check every slot's offset and count and every pair's class (a
 * model from outside); else only that the table has a free slot (the
 * compiled-in model, whose slots the build checked). */
static int load_wtab(nd__wtab *t, const unsigned char *p, size_t n, const char *what, int full,
                     nd_error *err)
{
    if (n < 16 || (uintptr_t) p % 8) return BAD("%s: table too short", what);
    uint32_t classes = rd32(p), slots = rd32(p + 4), pairs = rd32(p + 8);
    if (!classes || classes > 4096) return BAD("%s: bad class count", what);
    if (!slots) return BAD("%s: no slots", what);
    if ((uint64_t) slots * 8 + (uint64_t) pairs * 4 + 16 != n)
        return BAD("%s: table size does not match its counts", what);
    t->slots = (const uint32_t *) (p + 16);
    t->pairs = (const uint32_t *) (p + 16 + (size_t) slots * 8);
    t->n_slots = slots;
    t->n_pairs = pairs;
    t->n_classes = classes;
    if (!full) {
        uint32_t i = 0;
        while (i < slots && t->slots[2 * i]) i++;
        if (i == slots) return BAD("%s: table has no free slot", what);
        return 0;
    }
    size_t empty = 0;
    for (uint32_t i = 0; i < slots; i++) {
        uint32_t fp = t->slots[2 * i], off = t->slots[2 * i + 1];
        if (!fp) {
            empty++;
            continue;
        }
        if (off >= pairs || t->pairs[off] > pairs - off - 1)
            return BAD("%s: slot %u points outside the table", what, i);
        const uint32_t *q = t->pairs + off + 1;
        for (uint32_t k = 0; k < t->pairs[off]; k++)
            if ((q[k] & 0xFFFF) >= classes) return BAD("%s: class out of range", what);
    }
    if (!empty) return BAD("%s: table has no free slot", what);
    return 0;
}

static int load_ttab(nd__ttab *t, const unsigned char *p, size_t n, const char *what, nd_error *err)
{
    if (n < 8 || (uintptr_t) p % 8) return BAD("%s: table too short", what);
    uint32_t slots = rd32(p);
    if (!slots) return BAD("%s: no slots", what);
    if ((uint64_t) slots * 8 + 8 != n) return BAD("%s: table size does not match", what);
    t->slots = (const uint16_t *) (p + 8);
    t->n_slots = slots;
    /* A free slot ends every probe: one is enough (counting them all was
     * 11 M instructions, 4% of one page into a store). */
    uint32_t i = 0;
    while (i < slots && t->slots[4 * i]) i++;
    if (i == slots) return BAD("%s: table has no free slot", what);
    return 0;
}

static int load_ktab(nd__ktab *t, const unsigned char *p, size_t n, const char *what, nd_error *err)
{
    if (n < 8 || (uintptr_t) p % 8) return BAD("%s: table too short", what);
    uint32_t slots = rd32(p);
    if (!slots) return BAD("%s: no slots", what);
    if ((uint64_t) slots * 12 + 8 != n) return BAD("%s: table size does not match", what);
    t->keys = (const uint64_t *) (p + 8);
    t->vals = (const uint32_t *) (p + 8 + (size_t) slots * 8);
    t->n_slots = slots;
    uint32_t i = 0; /* (one free slot is enough, as above) */
    while (i < slots && t->keys[i]) i++;
    if (i == slots) return BAD("%s: table has no free slot", what);
    return 0;
}

static int check_strings(const nd__ktab *t, const nd_parser *pm, int rule, const char *what,
                         nd_error *err)
{
    for (uint32_t i = 0; i < t->n_slots; i++) {
        if (!t->keys[i]) continue;
        uint32_t off = rule ? t->vals[i] & 0xFFFFFF : t->vals[i];
        if (off >= pm->n_strings) return BAD("%s: string offset out of range", what);
    }
    return 0;
}

/* META: tab-separated lines "tags\tNOUN|NN\t...", "labels\tnsubj\t...", "passes\t2". */
static int load_meta(nd_parser *pm, const unsigned char *p, size_t n, nd_error *err)
{
    const char *s = (const char *) p, *e = s + n;
    int have_tags = 0, have_labels = 0;
    pm->tag_passes = 1;
    pm->beam = 0;
    pm->root_label = -1;
    pm->punct_tag = -1;
    while (s < e) {
        const char *nl = memchr(s, '\n', (size_t) (e - s));
        const char *le = nl ? nl : e;
        const char *tab = memchr(s, '\t', (size_t) (le - s));
        size_t kn = tab ? (size_t) (tab - s) : (size_t) (le - s);
        int is_tags = kn == 4 && !memcmp(s, "tags", 4);
        int is_labels = kn == 6 && !memcmp(s, "labels", 6);
        if (kn == 6 && !memcmp(s, "passes", 6) && tab && tab + 1 < le)
            pm->tag_passes = tab[1] == '2' ? 2 : 1;
        if (kn == 4 && !memcmp(s, "beam", 4)) {
            /* "beam\tK": a decimal 1..ND__MAX_BEAM, nothing else */
            int k = 0;
            const char *f = tab ? tab + 1 : le;
            if (f >= le) return BAD("model: beam width missing");
            for (; f < le; f++) {
                if (*f < '0' || *f > '9' || k > ND__MAX_BEAM) return BAD("model: bad beam width");
                k = k * 10 + (*f - '0');
            }
            if (k < 1 || k > ND__MAX_BEAM) return BAD("model: beam width out of range");
            pm->beam = k;
        }
        if (kn == 10 && !memcmp(s, "directions", 10) && tab) {
            /* "L" or "R" or "LR" per label, in label order */
            int i = 0;
            const char *f = tab + 1;
            while (f < le && i < ND__MAX_LABELS) {
                const char *fe = memchr(f, '\t', (size_t) (le - f));
                if (!fe) fe = le;
                if (memchr(f, 'L', (size_t) (fe - f))) pm->left_labels |= 1ULL << i;
                if (memchr(f, 'R', (size_t) (fe - f))) pm->right_labels |= 1ULL << i;
                i++;
                f = fe + 1;
            }
        }
        if ((is_tags || is_labels) && tab) {
            int count = 0;
            const char *f = tab + 1;
            while (f <= le) {
                const char *fe = memchr(f, '\t', (size_t) (le - f));
                if (!fe) fe = le;
                size_t fn = (size_t) (fe - f);
                if (is_tags) {
                    if (count >= ND__MAX_TAGS) return BAD("model: too many tags");
                    const char *bar = memchr(f, '|', fn);
                    int u = nd_upos_from_name(f, bar ? (size_t) (bar - f) : fn);
                    if (!u) return BAD("model: unknown tag '%.*s'", (int) (fn < 40 ? fn : 40), f);
                    pm->tag_upos[count] = (uint8_t) u;
                    if (u == ND_UPOS_PUNCT && pm->punct_tag < 0) pm->punct_tag = count;
                } else {
                    if (count >= ND__MAX_LABELS) return BAD("model: too many labels");
                    int d = nd_deprel_from_name(f, fn);
                    if (!d) return BAD("model: unknown label '%.*s'", (int) (fn < 40 ? fn : 40), f);
                    pm->label_deprel[count] = (uint8_t) d;
                    if (d == ND_DEP_ROOT) pm->root_label = count;
                }
                count++;
                f = fe + 1;
            }
            if (is_tags)
                pm->n_tags = count, have_tags = 1;
            else
                pm->n_labels = count, have_labels = 1;
        }
        s = nl ? nl + 1 : e;
    }
    if (!have_tags || !have_labels || pm->n_tags < 2 || pm->n_labels < 2)
        return BAD("model: no tag or label set");
    if (pm->root_label < 0) return BAD("model: no root label");
    uint64_t all = pm->n_labels >= 64 ? ~0ULL : (1ULL << pm->n_labels) - 1;
    pm->left_labels &= all & ~(1ULL << pm->root_label);
    pm->right_labels &= all & ~(1ULL << pm->root_label);
    if (!pm->left_labels || !pm->right_labels) return BAD("model: no label directions");
    return 0;
}

/* full: a model from outside, checked whole (checksum, every slot of the
 * weight tables); else the compiled-in one, whose bytes the build checked
 * so (everything else is always checked). */
static int check_model(nd_parser *pm, int full, nd_error *err)
{
    const unsigned char *b = pm->base;
    size_t n = pm->size;
    if (!host_is_le()) return BAD("model: this machine is big-endian; the model is little-endian");
    if (n < ND__PM_HEADER || memcmp(b, ND__PM_MAGIC, 8))
        return BAD("model: not a newsdesk parser model (bad magic)");
    uint32_t version = rd32(b + 8), n_sec = rd32(b + 12);
    if (version != ND__PM_VERSION)
        return BAD("model: format version %u, this program reads version %d", version,
                   ND__PM_VERSION);
    if (rd64(b + 16) != n)
        return BAD("model: truncated or padded (%zu bytes, header says %llu)", n,
                   (unsigned long long) rd64(b + 16));
    if (!n_sec || n_sec > 64 || rd32(b + 32) != ND__PM_HEADER + 24 * n_sec ||
        ND__PM_HEADER + 24 * (size_t) n_sec > n)
        return BAD("model: bad section table");
    if (full && nd__pm_checksum(b + 32, n - 32) != rd64(b + 24))
        return BAD("model: checksum mismatch (corrupt file)");
    const unsigned char *sec[ND__SEC_MAX] = {0};
    size_t len[ND__SEC_MAX] = {0};
    for (uint32_t i = 0; i < n_sec; i++) {
        const unsigned char *e = b + ND__PM_HEADER + 24 * (size_t) i;
        uint32_t id = rd32(e);
        uint64_t off = rd64(e + 8), sl = rd64(e + 16);
        if (off > n || sl > n - off || off % 64) return BAD("model: section %u out of bounds", id);
        if (id > 0 && id < ND__SEC_MAX) sec[id] = b + off, len[id] = (size_t) sl;
    }
    for (int id = 1; id < ND__SEC_MAX; id++)
        if (!sec[id]) return BAD("model: section %d missing", id);
    if (load_meta(pm, sec[ND__SEC_META], len[ND__SEC_META], err)) return -1;
    pm->strings = (const char *) sec[ND__SEC_STRINGS];
    pm->n_strings = len[ND__SEC_STRINGS];
    if (!pm->n_strings || pm->strings[pm->n_strings - 1])
        return BAD("model: string pool not terminated");
    if (load_wtab(&pm->tagger, sec[ND__SEC_TAGGER], len[ND__SEC_TAGGER], "tagger", full, err) ||
        load_ttab(&pm->parser, sec[ND__SEC_PARSER], len[ND__SEC_PARSER], "parser", err) ||
        load_wtab(&pm->labeler, sec[ND__SEC_LABELER], len[ND__SEC_LABELER], "labels", full, err) ||
        load_ktab(&pm->tagdict, sec[ND__SEC_TAGDICT], len[ND__SEC_TAGDICT], "tag dictionary",
                  err) ||
        load_ktab(&pm->lemma_exc, sec[ND__SEC_LEMMA_EXC], len[ND__SEC_LEMMA_EXC], "lemmas", err) ||
        load_ktab(&pm->lemma_rule, sec[ND__SEC_LEMMA_RULE], len[ND__SEC_LEMMA_RULE], "lemma rules",
                  err))
        return -1;
    if (pm->tagger.n_classes != (uint32_t) pm->n_tags)
        return BAD("model: tagger classes do not match the tags");
    if (pm->labeler.n_classes != (uint32_t) pm->n_labels)
        return BAD("model: label classes do not match the labels");
    for (uint32_t i = 0; i < pm->tagdict.n_slots; i++)
        if (pm->tagdict.keys[i] && pm->tagdict.vals[i] >= (uint32_t) pm->n_tags)
            return BAD("tag dictionary: tag out of range");
    if (check_strings(&pm->lemma_exc, pm, 0, "lemmas", err) ||
        check_strings(&pm->lemma_rule, pm, 1, "lemma rules", err))
        return -1;
    return 0;
}

uint64_t nd__parser_serial(void)
{
    static atomic_uint_fast64_t next;
    return (uint64_t) atomic_fetch_add_explicit(&next, 1, memory_order_relaxed) + 1;
}

nd_parser *nd_parser_load_mem(const void *data, size_t len, nd_error *err)
{
    if (!data) {
        nd_error_set(err, ND_EINVAL, (size_t) -1, "model: no data");
        return NULL;
    }
    nd_parser *pm = nd_calloc(1, sizeof *pm);
    if (!pm) {
        nd_error_set(err, ND_ENOMEM, (size_t) -1, "out of memory");
        return NULL;
    }
    pm->base = data;
    pm->size = len;
    pm->owned = 1;
    if ((uintptr_t) data % 64) {
        nd_free(pm);
        nd_error_set(err, ND_EINVAL, (size_t) -1, "model: data not aligned to 64 bytes");
        return NULL;
    }
    if (check_model(pm, 1, err)) {
        nd_free(pm);
        return NULL;
    }
    pm->serial = nd__parser_serial();
    return pm;
}

nd_parser *nd_parser_load(const char *path, nd_error *err)
{
    if (!path) {
        nd_error_set(err, ND_EINVAL, (size_t) -1, "model: no path");
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        nd_error_set(err, ND_EIO, (size_t) -1, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        nd_error_set(err, ND_EIO, (size_t) -1, "%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    size_t n = (size_t) st.st_size;
    if (n < ND__PM_HEADER) {
        close(fd);
        nd_error_set(err, ND_EFORMAT, (size_t) -1, "%s: model: truncated (%zu bytes)", path, n);
        return NULL;
    }
    void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        nd_error_set(err, ND_EIO, (size_t) -1, "%s: %s", path, strerror(errno));
        return NULL;
    }
    nd_error e2 = {0};
    nd_parser *pm = nd_parser_load_mem(m, n, &e2);
    if (!pm) {
        munmap(m, n);
        nd_error_set(err, e2.code, (size_t) -1, "%s: %s", path, e2.msg);
        return NULL;
    }
    pm->map = m;
    pm->map_len = n;
    return pm;
}

void nd_parser_free(nd_parser *p)
{
    if (!p || !p->owned) return;
    if (p->map) munmap(p->map, p->map_len);
    nd_free(p);
}

/* ---- the default model ------------------------------------------------------- */

/* The model compiled into the library (model_blob.c); len 0 when the
 * build had none. */
extern const unsigned char nd__parse_model_blob[];
extern const size_t nd__parse_model_blob_len;

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static nd_parser *default_parser;
static nd_parser default_static;
static nd_error default_err;

static void load_default(void)
{
    const char *dir = getenv("NEWSDESK_DATA_DIR");
    if (dir && *dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/parse/en_ewt.ndpm", dir);
        default_parser = nd_parser_load(path, &default_err);
        if (default_parser) default_parser->owned = 0;
        return;
    }
    if (!nd__parse_model_blob_len) {
        nd_error_set(&default_err, ND_ENOTFOUND, (size_t) -1,
                     "no parser model compiled in (build with data/parse/en_ewt.ndpm, or set "
                     "NEWSDESK_DATA_DIR)");
        return;
    }
    nd_parser *pm = &default_static;
    pm->base = nd__parse_model_blob;
    pm->size = nd__parse_model_blob_len;
    if (nd__parser_check_embedded(pm, &default_err)) return;
    default_parser = pm;
}

int nd__parser_check_embedded(nd_parser *pm, nd_error *err)
{
    if (check_model(pm, 0, err)) return ND_EFORMAT;
    pm->serial = nd__parser_serial();
    return 0;
}

const nd_parser *nd_parser_default(nd_error *err)
{
    pthread_once(&default_once, load_default);
    if (!default_parser && err) *err = default_err;
    return default_parser;
}

/* ---- lookups ------------------------------------------------------------------ */

void nd__wtab_score(const nd__wtab *t, const uint64_t *keys, size_t n, int32_t *scores)
{
    /* Three rounds, so that the memory accesses of all features overlap:
     * ask for every slot, find them and ask for their weights, add. */
    const uint32_t *found[ND__MAX_FEATS];
    size_t nf = 0;
    if (n > ND__MAX_FEATS) n = ND__MAX_FEATS;
    for (size_t i = 0; i < n; i++)
        __builtin_prefetch(t->slots + 2 * (size_t) nd__slot_of(keys[i], t->n_slots));
    for (size_t i = 0; i < n; i++) {
        uint32_t fp = (uint32_t) (keys[i] >> 32) | 1;
        uint32_t j = nd__slot_of(keys[i], t->n_slots);
        for (;;) {
            uint32_t f = t->slots[2 * j];
            if (f == fp) {
                found[nf] = t->pairs + t->slots[2 * j + 1];
                __builtin_prefetch(found[nf]);
                nf++;
                break;
            }
            if (!f) break;
            j = j + 1 == t->n_slots ? 0 : j + 1;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        const uint32_t *q = found[i];
        uint32_t c = q[0];
        for (uint32_t k = 1; k <= c; k++) scores[q[k] & 0xFFFF] += (int32_t) q[k] >> 16;
    }
}

void nd__ttab_score(const nd__ttab *t, const uint64_t *keys, size_t n, int32_t scores[3])
{
    for (size_t i = 0; i < n; i++)
        __builtin_prefetch(t->slots + 4 * (size_t) nd__slot_of(keys[i], t->n_slots));
    int32_t a = 0, b = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t fp = nd__ttab_fp(keys[i]);
        uint32_t j = nd__slot_of(keys[i], t->n_slots);
        for (;;) {
            const uint16_t *q = t->slots + 4 * j;
            if (q[0] == fp) {
                a += (int16_t) q[1];
                b += (int16_t) q[2];
                c += (int16_t) q[3];
                break;
            }
            if (!q[0]) break;
            j = j + 1 == t->n_slots ? 0 : j + 1;
        }
    }
    scores[0] = a, scores[1] = b, scores[2] = c;
}

uint32_t nd__ktab_get(const nd__ktab *t, uint64_t key)
{
    if (!key) key = 1;
    uint32_t j = nd__slot_of(key, t->n_slots);
    for (;;) {
        uint64_t k = t->keys[j];
        if (k == key) return t->vals[j];
        if (!k) return UINT32_MAX;
        j = j + 1 == t->n_slots ? 0 : j + 1;
    }
}
