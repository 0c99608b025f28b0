/* arena.c - bump allocation in chunks; everything dies together. */
#include "newsdesk/base.h"

#include <stdio.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    max_align_t data[]; /* aligned start of the usable bytes */
} chunk;

struct nd_arena {
    chunk *head;
    size_t next_size;
    size_t total;
};

#define ALIGN (_Alignof(max_align_t))

static chunk *chunk_new(size_t size)
{
    chunk *c = nd_malloc(sizeof(chunk) + size);
    if (!c) return NULL;
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

nd_arena *nd_arena_new(size_t first_chunk)
{
    nd_arena *a = nd_malloc(sizeof *a);
    if (!a) return NULL;
    a->head = NULL;
    a->next_size = first_chunk < 1024 ? 1024 : first_chunk;
    a->total = 0;
    return a;
}

void nd_arena_free(nd_arena *a)
{
    if (!a) return;
    chunk *c = a->head;
    while (c) {
        chunk *n = c->next;
        nd_free(c);
        c = n;
    }
    nd_free(a);
}

void *nd_arena_alloc(nd_arena *a, size_t size)
{
    if (size > SIZE_MAX / 2) return NULL;
    size = (size + ALIGN - 1) & ~(ALIGN - 1);
    if (!size) size = ALIGN;
    chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        /* Chunks double up to 1 MiB; an oversized request gets a chunk of
         * its own, placed behind the current one so that the current
         * chunk's free space is not wasted. */
        size_t want = a->next_size;
        if (want < (1u << 20)) a->next_size = want * 2;
        if (want < size) want = size;
        chunk *n = chunk_new(want);
        if (!n) return NULL;
        if (c && want == size && c->size - c->used >= ALIGN * 8) {
            n->next = c->next;
            c->next = n;
            n->used = size;
            a->total += size;
            return (char *) n->data;
        }
        n->next = c;
        a->head = c = n;
    }
    void *p = (char *) c->data + c->used;
    c->used += size;
    a->total += size;
    return p;
}

void *nd_arena_calloc(nd_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = nd_arena_alloc(a, n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

char *nd_arena_strndup(nd_arena *a, const char *s, size_t n)
{
    char *p = nd_arena_alloc(a, n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *nd_arena_printf(nd_arena *a, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *p = nd_arena_alloc(a, (size_t) n + 1);
    if (!p) return NULL;
    if ((size_t) n < sizeof small) {
        memcpy(p, small, (size_t) n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(p, (size_t) n + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}

size_t nd_arena_used(const nd_arena *a)
{
    return a->total;
}
