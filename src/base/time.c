/* time.c - STUB: replaced by the date/time parser. */
#include "newsdesk/extract.h"

#include <stdio.h>

int nd_time_parse(const char *s, size_t n, int64_t *ts, int *has_time)
{
    (void) s, (void) n, (void) ts, (void) has_time;
    return ND_EPARSE;
}

int nd_time_parse_age(const char *s, size_t n, int64_t now, int64_t *ts)
{
    (void) s, (void) n, (void) now, (void) ts;
    return ND_EPARSE;
}

void nd_time_format(int64_t ts, int date_only, char out[32])
{
    time_t t = (time_t) ts;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, date_only ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}
