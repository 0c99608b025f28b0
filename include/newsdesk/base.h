/*
 * newsdesk/base.h - the small types every module shares: errors, slices,
 * growable buffers, arenas, the allocator hook and a JSON writer.
 *
 * Conventions (see docs/architecture.md):
 *   - Text is UTF-8 and travels as (pointer, length); nothing assumes a NUL
 *     terminator in input.  Strings the library hands out are NUL-terminated
 *     for convenience, and their length is also given where it matters.
 *   - Functions return 0 or a negative ND_E* code, or NULL plus an optional
 *     nd_error with a message.
 *   - The library never prints and never aborts.
 */
#ifndef NEWSDESK_BASE_H
#define NEWSDESK_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define ND_EXPORT       __attribute__((visibility("default")))
#define ND_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ND_EXPORT
#define ND_PRINTF(f, a)
#endif

/* ---- errors ------------------------------------------------------------ */

/* The one error table: X(name, message).  Codes are negative. */
#define ND_ERRNO_MAP(X)                                                                            \
    X(NOMEM, "out of memory")                                                                      \
    X(IO, "input/output error")                                                                    \
    X(INVAL, "invalid argument")                                                                   \
    X(EMPTY, "empty input")                                                                        \
    X(BINARY, "binary data, not a text or HTML page")                                              \
    X(TOOBIG, "input exceeds the size limit")                                                      \
    X(GZIP, "corrupt or truncated gzip data")                                                      \
    X(CHARSET, "cannot convert character encoding")                                                \
    X(PARSE, "cannot parse input")                                                                 \
    X(NOTEXT, "no article text found")                                                             \
    X(FORMAT, "unsupported or malformed format")                                                   \
    X(TRUNCATED, "truncated input")                                                                \
    X(DB, "database error")                                                                        \
    X(NOTFOUND, "not found")                                                                       \
    X(BUSY, "resource busy")                                                                       \
    X(SCHEMA, "database schema is newer than this program")                                        \
    X(LIMIT, "a documented limit was exceeded")

enum nd_errno {
    ND_OK = 0,
#define ND__ERRENUM(name, msg) ND_E##name,
    ND__ERR_FIRST_ = -1000,
    ND_ERRNO_MAP(ND__ERRENUM) ND__ERR_END_
#undef ND__ERRENUM
};

/* The message for an error code; a static string, never NULL. */
ND_EXPORT const char *nd_strerror(int code);

/* The symbolic name ("ND_ENOMEM") for an error code; static, never NULL. */
ND_EXPORT const char *nd_errname(int code);

/* Why path could not be opened or read (errnum: an errno value), in the
 * words newsdesk uses everywhere: "no such file", "permission denied",
 * "is a folder", ...; a URL given as a file ("https://...") is told that
 * newsdesk reads files and does not fetch pages.  A static string. */
ND_EXPORT const char *nd_path_strerror(const char *path, int errnum);

/* Detailed error: a code, a message that names what went wrong and where. */
typedef struct nd_error {
    int code;
    size_t pos;    /* byte offset in the input, or (size_t)-1 when unknown */
    char msg[240]; /* NUL-terminated, one line */
} nd_error;

/* Fill err (if not NULL) with code and a printf-style message.  Returns code. */
ND_EXPORT int nd_error_set(nd_error *err, int code, size_t pos, const char *fmt, ...)
    ND_PRINTF(4, 5);

/* ---- allocation -------------------------------------------------------- */

/* All of newsdesk's own allocations go through these, so that tests can
 * inject failures.  The defaults are malloc/realloc/free.  Not thread-safe
 * to change while other threads allocate: set it once at start. */
typedef struct nd_allocator {
    void *(*malloc_fn)(size_t size, void *ctx);
    void *(*realloc_fn)(void *ptr, size_t size, void *ctx);
    void (*free_fn)(void *ptr, void *ctx);
    void *ctx;
} nd_allocator;

/* Install a (copied) allocator; NULL restores the default. */
ND_EXPORT void nd_set_allocator(const nd_allocator *a);
ND_EXPORT void *nd_malloc(size_t size);
ND_EXPORT void *nd_calloc(size_t n, size_t size);
ND_EXPORT void *nd_realloc(void *ptr, size_t size);
ND_EXPORT void nd_free(void *ptr);
/* Copied into a new nd_malloc'd, NUL-terminated string; caller frees with nd_free(). */
ND_EXPORT char *nd_strndup(const char *s, size_t n);

/* ---- slices -------------------------------------------------------------- */

/* A borrowed view of bytes.  Never owns. */
typedef struct nd_slice {
    const char *ptr;
    size_t len;
} nd_slice;

#define ND_SLICE_LIT(s) ((nd_slice){(s), sizeof(s) - 1})
/* The same as an initializer, for static tables of words with their
 * lengths: static const nd_slice words[] = {ND_SLICE_INIT("of"), ...}. */
#define ND_SLICE_INIT(s)                                                                           \
    {                                                                                              \
        (s), sizeof(s) - 1                                                                         \
    }
ND_EXPORT nd_slice nd_slice_c(const char *s); /* from a C string; NULL gives {NULL,0} */
ND_EXPORT nd_slice nd_slice_trim(nd_slice s); /* ASCII and Unicode white space */
ND_EXPORT int nd_slice_eq(nd_slice a, nd_slice b);
ND_EXPORT int nd_slice_eq_c(nd_slice a, const char *s);
ND_EXPORT int nd_slice_ieq_c(nd_slice a, const char *s); /* ASCII case-insensitive */
ND_EXPORT int nd_slice_starts_c(nd_slice a, const char *prefix);
ND_EXPORT int nd_slice_istarts_c(nd_slice a, const char *prefix);
ND_EXPORT int nd_slice_ends_c(nd_slice a, const char *suffix);
/* First occurrence of needle, ASCII case-insensitive; -1 when absent. */
ND_EXPORT ptrdiff_t nd_slice_ifind(nd_slice hay, const char *needle);

/* ---- growable buffer ----------------------------------------------------- */

/* A growable byte buffer, always NUL-terminated after len when ptr != NULL.
 * Allocation failure is sticky: after it, appends do nothing and
 * nd_buf_failed() is true, so callers check once at the end. */
typedef struct nd_buf {
    char *ptr;
    size_t len;
    size_t cap;
    int failed;
} nd_buf;

#define ND_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }
ND_EXPORT int nd_buf_reserve(nd_buf *b, size_t extra); /* 0 or ND_ENOMEM */
ND_EXPORT void nd_buf_append(nd_buf *b, const void *p, size_t n);
ND_EXPORT void nd_buf_puts(nd_buf *b, const char *s);
ND_EXPORT void nd_buf_putc(nd_buf *b, char c);
ND_EXPORT void nd_buf_printf(nd_buf *b, const char *fmt, ...) ND_PRINTF(2, 3);
ND_EXPORT void nd_buf_vprintf(nd_buf *b, const char *fmt, va_list ap) ND_PRINTF(2, 0);
ND_EXPORT void nd_buf_truncate(nd_buf *b, size_t len);
#define nd_buf_failed(b) ((b)->failed)
#define nd_buf_clear(b)  nd_buf_truncate((b), 0)
/* Frees the memory; the buffer is empty and reusable afterwards. */
ND_EXPORT void nd_buf_free(nd_buf *b);
/* Hands the bytes to the caller (free with nd_free()); the buffer is reset.
 * Returns NULL after an allocation failure. */
ND_EXPORT char *nd_buf_detach(nd_buf *b, size_t *len);

/* ---- arena --------------------------------------------------------------- */

/* A bump allocator: everything allocated from it dies with nd_arena_free().
 * One arena per page (yyjson: a value lives as long as its document). */
typedef struct nd_arena nd_arena;

/* Caller owns; free with nd_arena_free(). NULL on allocation failure. */
ND_EXPORT nd_arena *nd_arena_new(size_t first_chunk);
ND_EXPORT void nd_arena_free(nd_arena *a);
/* Memory aligned for any type, uninitialised; NULL on failure.
 * Borrowed; valid until nd_arena_free(). */
ND_EXPORT void *nd_arena_alloc(nd_arena *a, size_t size);
ND_EXPORT void *nd_arena_calloc(nd_arena *a, size_t n, size_t size);
/* Copied into the arena and NUL-terminated; NULL on failure. */
ND_EXPORT char *nd_arena_strndup(nd_arena *a, const char *s, size_t n);
ND_EXPORT char *nd_arena_printf(nd_arena *a, const char *fmt, ...) ND_PRINTF(2, 3);
/* Bytes handed out so far (for memory accounting). */
ND_EXPORT size_t nd_arena_used(const nd_arena *a);

/* ---- JSON writer ----------------------------------------------------------- */

/* Writes JSON into an nd_buf; tracks commas and (optionally) indentation.
 * Strings are escaped as JSON requires; invalid UTF-8 is written as U+FFFD. */
typedef struct nd_json {
    nd_buf *out;
    int pretty; /* indent with one space per level, like the seeds */
    int depth;
    int need_comma; /* a value was written at the current level */
    int after_key;  /* the next value follows a key */
    int flat;       /* > 0: depth of an array written on one line */
} nd_json;

ND_EXPORT void nd_json_init(nd_json *j, nd_buf *out, int pretty);
ND_EXPORT void nd_json_obj_begin(nd_json *j);
ND_EXPORT void nd_json_obj_end(nd_json *j);
ND_EXPORT void nd_json_arr_begin(nd_json *j);
/* An array written on one line even in pretty mode ("[12, 40]": offset
 * pairs, short lists of numbers); what it holds is flat too. */
ND_EXPORT void nd_json_arr_begin_flat(nd_json *j);
ND_EXPORT void nd_json_arr_end(nd_json *j);
ND_EXPORT void nd_json_key(nd_json *j, const char *key);
ND_EXPORT void nd_json_str(nd_json *j, const char *s); /* NULL writes null */
ND_EXPORT void nd_json_str_n(nd_json *j, const char *s, size_t n);
ND_EXPORT void nd_json_int(nd_json *j, long long v);
ND_EXPORT void nd_json_double(nd_json *j, double v, int decimals);
ND_EXPORT void nd_json_bool(nd_json *j, int v);
ND_EXPORT void nd_json_null(nd_json *j);
/* Append already-serialised JSON as one value (trusted). */
ND_EXPORT void nd_json_raw(nd_json *j, const char *s, size_t n);
/* Escape s into out as the body of a JSON string (no quotes added). */
ND_EXPORT void nd_json_escape(nd_buf *out, const char *s, size_t n);

/* ---- UTF-8 ----------------------------------------------------------------- */

/* The UTF-8 sequence at s (n >= 1 bytes left): its length (1-4) with its
 * code point in *cp, or 0 when the bytes there are not valid UTF-8
 * (overlong forms, surrogates and code points past U+10FFFF included). */
ND_EXPORT size_t nd_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* 1 for the bidi embeddings, overrides and isolates (U+202A-202E,
 * U+2066-2069): text from a page must not carry them onto a screen. */
ND_EXPORT int nd_bidi_control(uint32_t cp);

/* ---- hashing ------------------------------------------------------------- */

/* 64-bit hash of bytes (FNV-1a variant mixed with a finaliser); stable
 * across runs and machines, so it may be stored. */
ND_EXPORT uint64_t nd_hash64(const void *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif
