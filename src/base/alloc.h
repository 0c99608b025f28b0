/* alloc.h - zeroed memory for tables that will be touched all over (private). */
#ifndef ND_BASE_ALLOC_H
#define ND_BASE_ALLOC_H

#include <stddef.h>

/* n * size bytes zeroed by writing them, for an open-addressed table that
 * is probed (read) before it is written and whose pages a run touches
 * nearly all of.  calloc's fresh pages are the kernel's shared zero page
 * until first written: a probe maps a page to it, and the write after it
 * is a copy-on-write fault that flushes the page's old mapping on every
 * core the process runs on (an interrupt to each, ~25-40 us on this
 * virtual machine), where a first write costs one ordinary fault.  A
 * sparse table that a run touches in a few places stays with nd_calloc
 * (alloc.c).  NULL when out of memory or n * size overflows. */
void *nd__zalloc_dense(size_t n, size_t size);

#endif
