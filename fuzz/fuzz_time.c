/* fuzz_time.c - libFuzzer target: the date, time and age parsers on
 * arbitrary bytes.  A found span must lie inside the input and parse by
 * itself to the same time; a formatted time must parse back to itself. */
#include "newsdesk/extract.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *) data;
    int64_t ts, ts2;
    int ht, ht2;
    if (nd_time_parse(s, size, &ts, &ht) == 0) {
        char out[32];
        nd_time_format(ts, 0, out);
        /* A zone can push the edge years 1800 and 2199 out of range. */
        int year =
            (out[0] - '0') * 1000 + (out[1] - '0') * 100 + (out[2] - '0') * 10 + out[3] - '0';
        if (year > 1800 && year < 2199 &&
            (nd_time_parse(out, strlen(out), &ts2, &ht2) != 0 || ts2 != ts))
            __builtin_trap();
    }
    size_t a, b;
    if (nd_time_find(s, size, &ts, &ht, &a, &b) == 0) {
        if (a >= b || b > size) __builtin_trap();
    }
    (void) nd_time_parse_age(s, size, 1746700200, &ts);
    /* In the zone the text gives: its wall clock with the offset reads
     * back as the same moment. */
    int off;
    if (nd_time_parse_zone(s, size, &ts, &ht, &off) == 0 && ht) {
        char out[32];
        nd_time_format_zone(ts, 0, off, out);
        int year =
            (out[0] - '0') * 1000 + (out[1] - '0') * 100 + (out[2] - '0') * 10 + out[3] - '0';
        if (year > 1800 && year < 2199 &&
            (nd_time_parse(out, strlen(out), &ts2, &ht2) != 0 || ts2 != ts))
            __builtin_trap();
    }
    (void) nd_time_name(s, size);
    return 0;
}
