/* bench_time.c - speed of the date parsers: nd_time_parse() on whole date
 * strings, nd_time_find() on dateline-sized lines and on long prose.
 *
 *   build/bench/bench_time [seconds per row, default 1]
 */
#include "newsdesk/newsdesk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static const char *const dates[] = {
    "2019-11-19T14:03:00-05:00", "Tue, 19 Nov 2019 14:03:00 GMT",
    "June 13, 2013 4:59 PM EDT", "Published 5:34 AM ET Nov 20, 2019",
    "19 November 2019 at 10:30", "13/06/2013"};
static const char *const lines[] = {
    "By Jane Doe | November 20, 2019 | 5:34 AM", "Posted on 19/11/2019 by staff",
    "The minister said on Tuesday that talks would go on", "Updated 5:34 AM"};
static const char prose[] = "The minister said on Tuesday that the talks in Moscow would continue "
                            "for 3 more days, and that 25 delegates from 12 countries came. ";

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    if (secs <= 0) secs = 1.0;
    int64_t ts;
    int ht;
    size_t a, e;
    long ok = 0, calls = 0;
    double t0 = now_s(), el;

    printf("%-36s %12s %10s\n", "function", "calls/s", "MB/s");
    size_t bytes = 0;
    do {
        for (size_t i = 0; i < sizeof dates / sizeof *dates; i++, calls++) {
            ok += nd_time_parse(dates[i], strlen(dates[i]), &ts, &ht) == 0;
            bytes += strlen(dates[i]);
        }
    } while ((el = now_s() - t0) < secs);
    printf("%-36s %12.0f %10.1f\n", "nd_time_parse (date strings)", calls / el, bytes / el / 1e6);

    calls = 0, bytes = 0, t0 = now_s();
    do {
        for (size_t i = 0; i < sizeof lines / sizeof *lines; i++, calls++) {
            ok += nd_time_find(lines[i], strlen(lines[i]), &ts, &ht, &a, &e) == 0;
            bytes += strlen(lines[i]);
        }
    } while ((el = now_s() - t0) < secs);
    printf("%-36s %12.0f %10.1f\n", "nd_time_find (datelines)", calls / el, bytes / el / 1e6);

    nd_buf b = ND_BUF_INIT;
    while (b.len < 5000) nd_buf_puts(&b, prose);
    if (nd_buf_failed(&b)) return 1;
    calls = 0, bytes = 0, t0 = now_s();
    do {
        ok += nd_time_find(b.ptr, b.len, &ts, &ht, &a, &e) == 0;
        calls++;
        bytes += b.len;
    } while ((el = now_s() - t0) < secs);
    printf("%-36s %12.0f %10.1f\n", "nd_time_find (5 KB prose, no date)", calls / el,
           bytes / el / 1e6);
    nd_buf_free(&b);
    return ok < 0;
}
