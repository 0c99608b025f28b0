/* test_base.c - errors, buffers, slices, arena, JSON writer, hash. */
#include "newsdesk/newsdesk.h"
#include "base/alloc.h"
#include "base/imap.h"
#include "base/pack.h"
#include "tap.h"

static void test_errors(void)
{
    CHECK_STR(nd_strerror(ND_ENOMEM), "out of memory");
    CHECK_STR(nd_errname(ND_EGZIP), "ND_EGZIP");
    CHECK_STR(nd_strerror(0), "success");
    CHECK_STR(nd_strerror(12345), "unknown error");
    nd_error e;
    CHECK_INT(nd_error_set(&e, ND_EIO, 7, "line\none %d", 2), ND_EIO);
    CHECK_STR(e.msg, "line one 2");
    CHECK_INT(e.pos, 7);
}

static void test_buf(void)
{
    nd_buf b = ND_BUF_INIT;
    for (int i = 0; i < 1000; i++) nd_buf_printf(&b, "%d,", i);
    CHECK(!nd_buf_failed(&b));
    CHECK(b.len > 3000);
    CHECK(strncmp(b.ptr, "0,1,2,", 6) == 0);
    nd_buf_truncate(&b, 2);
    CHECK_STR(b.ptr, "0,");
    size_t n;
    char *p = nd_buf_detach(&b, &n);
    CHECK_STR(p, "0,");
    CHECK_INT(n, 2);
    CHECK(b.ptr == NULL);
    nd_free(p);
    nd_buf_free(&b);
}

static int fail_after = -1;
static void *fail_malloc(size_t n, void *c)
{
    (void) c;
    if (fail_after == 0) return NULL;
    if (fail_after > 0) fail_after--;
    return malloc(n);
}
static void *fail_realloc(void *p, size_t n, void *c)
{
    (void) c;
    if (fail_after == 0) return NULL;
    if (fail_after > 0) fail_after--;
    return realloc(p, n);
}
static void fail_free(void *p, void *c)
{
    (void) c;
    free(p);
}

static void test_oom(void)
{
    nd_allocator a = {fail_malloc, fail_realloc, fail_free, NULL};
    nd_set_allocator(&a);
    fail_after = 0;
    nd_buf b = ND_BUF_INIT;
    nd_buf_puts(&b, "hello");
    CHECK(nd_buf_failed(&b));
    nd_buf_puts(&b, "more"); /* sticky: no crash, nothing written */
    CHECK(nd_buf_detach(&b, NULL) == NULL);
    CHECK(nd_arena_new(100) == NULL);
    fail_after = -1;
    nd_set_allocator(NULL);
}

/* Resident pages of this process (/proc/self/statm), or -1. */
static long resident_pages(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size = -1, res = -1;
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &res) != 2) res = -1;
    fclose(f);
    return res;
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 4093)
        if (p[i]) return 0;
    return !p[n - 1];
}

/* A zeroing allocator zalloc(n, size): a big block of n_big bytes makes
 * few of its pages resident (dense 0) or nearly all of them (dense 1) and
 * is zero; n x size overflowing gives NULL; under another allocator the
 * block is still zeroed (the allocator's memory was dirtied before), and
 * its failure gives NULL. */
static void check_zeroing(void *(*zalloc)(size_t, size_t), size_t n_big, int dense,
                          const char *name)
{
    long before = resident_pages();
    unsigned char *p = zalloc(n_big / 8, 8);
    long after = resident_pages();
    CHECK(p != NULL);
    if (!p) return;
    if (before >= 0 && after >= 0) {
        long pages = (long) (n_big / 4096), made = after - before;
        int ok = dense ? made >= pages * 3 / 4 : made < pages / 4;
        CHECK(ok);
        if (!ok)
            fprintf(stderr, "  %zu MB of %s made %ld pages resident\n", n_big >> 20, name, made);
    }
    CHECK(all_zero(p, n_big));
    nd_free(p);
    CHECK(zalloc(SIZE_MAX / 4, 8) == NULL); /* n x size overflows */
    nd_allocator a = {fail_malloc, fail_realloc, fail_free, NULL};
    nd_set_allocator(&a);
    p = nd_malloc(1 << 16);
    CHECK(p != NULL);
    if (p) memset(p, 0xAB, 1 << 16);
    nd_free(p);
    p = zalloc(1 << 14, 4);
    CHECK(p != NULL && all_zero(p, 1 << 16));
    nd_free(p);
    fail_after = 0;
    CHECK(zalloc(16, 16) == NULL);
    fail_after = -1;
    nd_set_allocator(NULL);
}

/* nd_calloc gives zeroed memory without touching it: a big table that a
 * run uses a little of costs the pages it uses (the default allocator's
 * calloc), not all of them; another allocator still gets it zeroed. */
static void test_calloc(void)
{
    check_zeroing(nd_calloc, 64u << 20, 0, "nd_calloc");
}

/* nd__zalloc_dense zeroes by writing: every page is resident when it
 * returns (a probe before the first write then finds a page of its own,
 * not the shared zero page); zeroed under any allocator. */
static void test_zalloc_dense(void)
{
    check_zeroing(nd__zalloc_dense, 16u << 20, 1, "nd__zalloc_dense");
}

static void test_slice(void)
{
    nd_slice s = nd_slice_trim(nd_slice_c(" \xC2\xA0 hi there\t\n"));
    CHECK(nd_slice_eq_c(s, "hi there"));
    CHECK(nd_slice_ieq_c(nd_slice_c("HeLLo"), "hello"));
    CHECK(nd_slice_ifind(nd_slice_c("Read More here"), "more") == 5);
    CHECK(nd_slice_ifind(nd_slice_c("abc"), "abcd") == -1);
    CHECK(nd_slice_starts_c(nd_slice_c("prefix"), "pre"));
    CHECK(nd_slice_ends_c(nd_slice_c("suffix"), "fix"));
    CHECK(nd_slice_trim(nd_slice_c("   ")).len == 0);
    /* an absent string ({NULL, 0}, as an empty <title></title> gives):
     * no arithmetic on the null pointer (UBSan, make asan) */
    nd_slice none = nd_slice_trim(nd_slice_c(NULL));
    CHECK(none.ptr == NULL && none.len == 0);
}

static void test_arena(void)
{
    nd_arena *a = nd_arena_new(64);
    CHECK(a != NULL);
    char *big = nd_arena_alloc(a, 1 << 20);
    CHECK(big != NULL);
    memset(big, 1, 1 << 20);
    for (int i = 0; i < 10000; i++) {
        char *s = nd_arena_printf(a, "item %d", i);
        CHECK(s != NULL);
        if (i == 9999) CHECK_STR(s, "item 9999");
    }
    CHECK(((uintptr_t) nd_arena_alloc(a, 3) % _Alignof(max_align_t)) == 0);
    CHECK(nd_arena_used(a) > (1 << 20));
    nd_arena_free(a);
    nd_arena_free(NULL);
}

static void test_json(void)
{
    nd_buf b = ND_BUF_INIT;
    nd_json j;
    nd_json_init(&j, &b, 0);
    nd_json_obj_begin(&j);
    nd_json_key(&j, "a");
    nd_json_str(&j, "q\"\\\n\x01 \xE2\x80\xA8 \xFF");
    nd_json_key(&j, "b");
    nd_json_arr_begin(&j);
    nd_json_int(&j, -3);
    nd_json_null(&j);
    nd_json_bool(&j, 1);
    nd_json_double(&j, 0.5, 2);
    nd_json_arr_end(&j);
    nd_json_key(&j, "c");
    nd_json_arr_begin(&j);
    nd_json_arr_end(&j);
    nd_json_obj_end(&j);
    CHECK_STR(
        b.ptr,
        "{\"a\":\"q\\\"\\\\\\n\\u0001 \\u2028 \xEF\xBF\xBD\",\"b\":[-3,null,true,0.50],\"c\":[]}");
    nd_buf_clear(&b);
    nd_json_init(&j, &b, 1);
    nd_json_obj_begin(&j);
    nd_json_key(&j, "x");
    nd_json_arr_begin(&j);
    nd_json_str(&j, "y");
    nd_json_arr_end(&j);
    nd_json_obj_end(&j);
    CHECK_STR(b.ptr, "{\n \"x\": [\n  \"y\"\n ]\n}");
    /* offset pairs on one line in pretty mode: "[12, 40]", compact "[12,40]" */
    for (int pretty = 1; pretty >= 0; pretty--) {
        nd_buf_clear(&b);
        nd_json_init(&j, &b, pretty);
        nd_json_obj_begin(&j);
        nd_json_key(&j, "mentions");
        nd_json_arr_begin(&j);
        for (int k = 0; k < 2; k++) {
            nd_json_arr_begin_flat(&j);
            nd_json_int(&j, 12 + k);
            nd_json_int(&j, 40 + k);
            nd_json_arr_end(&j);
        }
        nd_json_arr_end(&j);
        nd_json_key(&j, "cue");
        nd_json_arr_begin_flat(&j);
        nd_json_arr_end(&j);
        nd_json_key(&j, "z");
        nd_json_int(&j, 1);
        nd_json_obj_end(&j);
        CHECK_STR(
            b.ptr,
            pretty
                ? "{\n \"mentions\": [\n  [12, 40],\n  [13, 41]\n ],\n \"cue\": [],\n \"z\": 1\n}"
                : "{\"mentions\":[[12,40],[13,41]],\"cue\":[],\"z\":1}");
    }
    nd_buf_free(&b);
}

static void test_hash(void)
{
    CHECK(nd_hash64("abc", 3) == nd_hash64("abc", 3));
    CHECK(nd_hash64("abc", 3) != nd_hash64("abd", 3));
    CHECK(nd_hash64("", 0) != nd_hash64("a", 1));
    CHECK(nd_hash64("0123456789abcdef", 16) != nd_hash64("0123456789abcdeg", 16));
    /* The values are stored (content and raw hashes, story keys): fixed
     * for every length class (empty, tail only, whole words, words and a
     * tail) and every alignment of the input. */
    static const struct {
        size_t n;
        uint64_t h;
    } known[] = {{0, 0x9ca066f1a4ab2eeaULL},  {1, 0xad732b10432bb04fULL},
                 {7, 0xce8d3107fbbe9e2fULL},  {8, 0xd93032342b8c685bULL},
                 {9, 0xfe50c722b8b500fdULL},  {16, 0x92330aaad71c4a14ULL},
                 {23, 0x92fd3417acc0572fULL}, {56, 0x8721c8961a447b9bULL}};
    const char *fox = "The quick brown fox jumps over the lazy dog, 0123456789!";
    char moved[64 + 8];
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        CHECK(nd_hash64(fox, known[i].n) == known[i].h);
        for (size_t a = 1; a < 8; a++) {
            memcpy(moved + a, fox, known[i].n);
            CHECK(nd_hash64(moved + a, known[i].n) == known[i].h);
        }
    }
}

/* The fixed-width writers: little-endian, wherever the buffer's room ends
 * (the fields written in place and those that grow the buffer), the text
 * NUL-terminated; a failed buffer takes nothing. */
static void test_pack(void)
{
    static const unsigned char want[12] = {1,    2,    3,    4,    0x11, 0x12,
                                           0x13, 0x14, 0x15, 0x16, 0x17, 0x18};
    int good = 1;
    for (size_t k = 0; k < 140; k++) {
        nd_buf b = ND_BUF_INIT;
        for (size_t i = 0; i < k; i++) nd_buf_putc(&b, 'x');
        nd__put_u32(&b, 0x04030201u);
        good &= b.len == k + 4 && b.ptr[b.len] == 0;
        nd__put_u64(&b, 0x1817161514131211ull);
        good &= !nd_buf_failed(&b) && b.len == k + 12 && b.ptr[b.len] == 0 &&
                memcmp(b.ptr + k, want, sizeof want) == 0;
        const unsigned char *p = (const unsigned char *) b.ptr + k, *e = p + 12;
        uint32_t u;
        uint64_t v;
        good &= !nd__get_u32(&p, e, &u) && u == 0x04030201u && !nd__get_u64(&p, e, &v) &&
                v == 0x1817161514131211ull && p == e;
        nd_buf_free(&b);
    }
    CHECK(good);
    /* a field cut short: an error, nothing read */
    static const unsigned char seven[7] = {1, 2, 3, 4, 5, 6, 7};
    const unsigned char *p = seven;
    uint64_t v = 9;
    CHECK(nd__get_u64(&p, seven + 7, &v) == ND_EFORMAT && v == 0 && p == seven);
    /* runs of fields with one bounds check: the same values as one by one,
     * and a run cut short is an error that reads nothing */
    nd_buf r = ND_BUF_INIT;
    for (uint32_t i = 0; i < 9; i++) nd__put_u32(&r, 0x01010101u * i + 0x80706050u);
    for (uint32_t len = 0; len <= 36; len++) {
        const unsigned char *q = (const unsigned char *) r.ptr, *qe = q + len;
        uint32_t one[9] = {0}, run[9] = {0}, a[4] = {0}, b[4] = {0};
        uint32_t n = len / 4;
        for (uint32_t i = 0; i < n; i++) nd__get_u32(&q, qe, &one[i]);
        q = (const unsigned char *) r.ptr;
        CHECK(nd__get_u32_n(&q, qe, run, n) == 0 && q == (const unsigned char *) r.ptr + 4 * n);
        CHECK(memcmp(one, run, sizeof one) == 0);
        q = (const unsigned char *) r.ptr;
        CHECK(nd__get_u32_n(&q, qe, run, n + 1) == ND_EFORMAT &&
              q == (const unsigned char *) r.ptr);
        q = (const unsigned char *) r.ptr;
        if (n / 2 <= 4) {
            CHECK(nd__get_u32_pairs(&q, qe, a, b, n / 2) == 0);
            for (uint32_t i = 0; i < n / 2; i++)
                CHECK(a[i] == one[2 * i] && b[i] == one[2 * i + 1]);
            q = (const unsigned char *) r.ptr;
            CHECK(nd__get_u32_pairs(&q, qe, a, b, n / 2 + 1) == ND_EFORMAT &&
                  q == (const unsigned char *) r.ptr);
        }
        q = (const unsigned char *) r.ptr;
        CHECK(len < 8 || nd__rd64(q) == ((uint64_t) one[1] << 32 | one[0]));
    }
    nd_buf_free(&r);
    nd_buf f = ND_BUF_INIT;
    nd_buf_puts(&f, "abc");
    f.failed = 1;
    nd__put_u32(&f, 7);
    nd__put_u64(&f, 7);
    CHECK(f.len == 3);
    nd_buf_free(&f);
}

/* nd__imap_ref: a key's value in place, the key put there with 0 when
 * it was not; the same map as nd__imap_put makes, grown as it fills. */
static void test_imap_ref(void)
{
    nd__imap m = {0}, p = {0};
    for (uint64_t k = 1; k <= 5000; k++) {
        int64_t *v = nd__imap_ref(&m, k * 7919);
        CHECK(v != NULL);
        if (!v) break;
        CHECK(*v == 0);
        *v = (int64_t) k;
        CHECK_INT(nd__imap_put(&p, k * 7919, (int64_t) k), 0);
    }
    int64_t *again = nd__imap_ref(&m, 7919 * 42);
    CHECK(again && *again == 42);
    CHECK_INT(m.n, 5000);
    CHECK_INT(m.cap, p.cap);
    int same = m.cap == p.cap;
    for (uint32_t i = 0; same && i < m.cap; i++)
        same = m.keys[i] == p.keys[i] && (!m.keys[i] || m.vals[i] == p.vals[i]);
    CHECK(same);
    nd__imap_free(&m);
    nd__imap_free(&p);
}

/* Whether every key of keys[0..cap) is found from its home slot without
 * crossing an empty slot (what a removal by backward shift must keep). */
static int map_reachable(const uint64_t *keys, uint32_t cap)
{
    for (uint32_t i = 0; i < cap; i++)
        if (keys[i] && nd__map_find(keys, cap, keys[i]) != i) return 0;
    return 1;
}

/* nd__imap_del and the rehash and removal the engine's u64 -> float map
 * shares (nd__map_rehash, nd__map_unslot, here with 4-byte values):
 * random puts and removals in small tables, where probe chains wrap and
 * cross, against a plain array of what is in. */
static void test_map_del(void)
{
    enum { KEYS = 200 };
    int64_t in[KEYS + 1] = {0}; /* key k * 64 + 1: 0 absent, else its value */
    nd__imap m = {0};
    uint64_t *keys = NULL;
    void *vals = NULL;
    uint32_t cap = 0, n = 0;
    uint64_t x = 12345;
    int ok = 1;
    for (int step = 0; step < 20000 && ok; step++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t k = (uint32_t) (x >> 33) % KEYS + 1;
        uint64_t key = (uint64_t) k * 64 + 1;
        if ((x >> 20) % 3) {
            int64_t v = (int64_t) (x >> 40) + 1;
            ok = nd__imap_put(&m, key, v) == 0;
            if ((uint64_t) (n + 1) * 4 > (uint64_t) cap * 3) {
                uint32_t nc = cap ? cap * 2 : 16;
                ok = ok && nd__map_rehash(&keys, &vals, sizeof(uint32_t), cap, nc) == 0;
                cap = nc;
            }
            uint32_t j = nd__map_find(keys, cap, key);
            if (!keys[j]) keys[j] = key, n++;
            ((uint32_t *) vals)[j] = (uint32_t) v;
            in[k] = v;
        } else {
            nd__imap_del(&m, key);
            uint32_t j = cap ? nd__map_find(keys, cap, key) : 0;
            if (cap && keys[j]) nd__map_unslot(keys, vals, sizeof(uint32_t), cap, j), n--;
            in[k] = 0;
        }
        ok = ok && map_reachable(m.keys, m.cap) && map_reachable(keys, cap);
        uint32_t count = 0;
        for (uint32_t q = 1; ok && q <= KEYS; q++) {
            int64_t v = -1;
            uint64_t qk = (uint64_t) q * 64 + 1;
            int has = nd__imap_get(&m, qk, &v);
            uint32_t j = nd__map_find(keys, cap, qk);
            ok = has == (in[q] != 0) && (!has || v == in[q]) && (keys[j] != 0) == has &&
                 (!has || ((uint32_t *) vals)[j] == (uint32_t) in[q]);
            count += in[q] != 0;
        }
        ok = ok && m.n == count && n == count;
    }
    CHECK(ok);
    CHECK(m.n > 0 && m.n < KEYS);
    nd__imap_free(&m);
    nd_free(keys);
    nd_free(vals);
}

int main(void)
{
    RUN(test_errors);
    RUN(test_buf);
    RUN(test_oom);
    RUN(test_calloc);
    RUN(test_zalloc_dense);
    RUN(test_slice);
    RUN(test_arena);
    RUN(test_json);
    RUN(test_hash);
    RUN(test_pack);
    RUN(test_imap_ref);
    RUN(test_map_del);
    return tap_done();
}
