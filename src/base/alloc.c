/* alloc.c - the allocator hook every newsdesk allocation goes through. */
#include "base/alloc.h"
#include "newsdesk/base.h"

#include <stdlib.h>
#include <string.h>

static void *def_malloc(size_t n, void *ctx)
{
    (void) ctx;
    return malloc(n ? n : 1);
}
static void *def_realloc(void *p, size_t n, void *ctx)
{
    (void) ctx;
    return realloc(p, n ? n : 1);
}
static void def_free(void *p, void *ctx)
{
    (void) ctx;
    free(p);
}

static nd_allocator g_alloc = {def_malloc, def_realloc, def_free, NULL};

void nd_set_allocator(const nd_allocator *a)
{
    if (a)
        g_alloc = *a;
    else
        g_alloc = (nd_allocator){def_malloc, def_realloc, def_free, NULL};
}

void *nd_malloc(size_t size)
{
    return g_alloc.malloc_fn(size, g_alloc.ctx);
}

void *nd_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    /* With the default allocator, calloc: a big block comes from the
     * kernel already zero, and memset would touch every page of it.  The
     * engine's tables are sized for what they may hold (a word cache of
     * 2.6 MB, duplicate bands of 8 MB...): zeroing them was 8% of the
     * instructions of one page into a store, and most of its page faults.
     * (A table probed all over before it is written: nd__zalloc_dense.) */
    if (g_alloc.malloc_fn == def_malloc) return calloc(1, n && size ? n * size : 1);
    void *p = g_alloc.malloc_fn(n * size, g_alloc.ctx);
    if (p) memset(p, 0, n * size);
    return p;
}

void *nd__zalloc_dense(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = nd_malloc(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void *nd_realloc(void *ptr, size_t size)
{
    return g_alloc.realloc_fn(ptr, size, g_alloc.ctx);
}

void nd_free(void *ptr)
{
    if (ptr) g_alloc.free_fn(ptr, g_alloc.ctx);
}

char *nd_strndup(const char *s, size_t n)
{
    char *p = nd_malloc(n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}
