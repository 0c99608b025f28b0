/*
 * tap.h - the minimal test harness every tests/test_*.c uses.
 *
 *   static void test_something(void) { CHECK(x == 1); CHECK_STR(a, "b"); }
 *   int main(void) { RUN(test_something); return tap_done(); }
 *
 * Prints one line per failed check (file:line and the expression) and a
 * summary; the exit status is non-zero when anything failed.
 */
#ifndef ND_TAP_H
#define ND_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_failed_ = 0, tap_checks_ = 0, tap_tests_ = 0;
static const char *tap_current_ = "";

/* SANITIZED: 1 in a build under AddressSanitizer, whose shadow memory and
 * allocator make page faults, resident memory and time no measure of the
 * code's own (bounds on those are checked in the plain build only). */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        tap_checks_++;                                                                             \
        if (!(cond)) {                                                                             \
            tap_failed_++;                                                                         \
            fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__, tap_current_,     \
                    #cond);                                                                        \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        tap_checks_++;                                                                             \
        if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_) != 0)) {                         \
            tap_failed_++;                                                                         \
            fprintf(stderr, "%s:%d: %s: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__,          \
                    tap_current_, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");                   \
        }                                                                                          \
    } while (0)

#define CHECK_INT(got, want)                                                                       \
    do {                                                                                           \
        long long g_ = (long long) (got), w_ = (long long) (want);                                 \
        tap_checks_++;                                                                             \
        if (g_ != w_) {                                                                            \
            tap_failed_++;                                                                         \
            fprintf(stderr, "%s:%d: %s: %s is %lld, want %lld\n", __FILE__, __LINE__,              \
                    tap_current_, #got, g_, w_);                                                   \
        }                                                                                          \
    } while (0)

#define RUN(fn)                                                                                    \
    do {                                                                                           \
        tap_current_ = #fn;                                                                        \
        tap_tests_++;                                                                              \
        fn();                                                                                      \
    } while (0)

static inline int tap_done(void)
{
    fprintf(stderr, "%d tests, %d checks, %d failed\n", tap_tests_, tap_checks_, tap_failed_);
    return tap_failed_ ? 1 : 0;
}

/* Read a whole file into a malloc'd buffer (NUL-terminated); NULL if absent. */
static inline char *tap_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap + 1);
    size_t r;
    while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *q = realloc(p, cap * 2 + 1);
            if (!q) {
                free(p);
                p = NULL;
                break;
            }
            p = q;
            cap *= 2;
        }
    }
    fclose(f);
    if (p) p[n] = 0;
    if (len) *len = n;
    return p;
}

#endif
