/* clock.h - the calling thread's CPU clock (private), for the accounts a run keeps
 * of where its CPU went (nd_ingest_stats' cpu_* fields). */
#ifndef ND_BASE_CLOCK_H
#define ND_BASE_CLOCK_H

#include <time.h>

/* Seconds of CPU the calling thread has used since it started (0 when the
 * clock cannot be read). */
static inline double nd__thread_cpu(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)) return 0;
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

#endif
