/* test_time.c - absolute dates, dates inside lines, ages, formatting. */
#include "newsdesk/newsdesk.h"
#include "tap.h"

#include <pthread.h>

/* Expected values were computed independently (Python's calendar.timegm). */
#define T_2019_11_19 1574121600LL /* 2019-11-19T00:00:00Z */
#define T_2013_06_13 1371081600LL /* 2013-06-13T00:00:00Z */

static int parse_ok(const char *s, long long want, int want_time, int line)
{
    int64_t ts = 0;
    int ht = -1;
    int rc = nd_time_parse(s, strlen(s), &ts, &ht);
    tap_checks_++;
    if (rc != 0 || ts != want || ht != want_time) {
        tap_failed_++;
        char got[32] = "-";
        if (rc == 0) nd_time_format(ts, 0, got);
        fprintf(stderr, "%s:%d: %s: \"%s\" -> rc %d ts %lld (%s) has_time %d, want %lld %d\n",
                __FILE__, line, tap_current_, s, rc, (long long) ts, got, ht, want, want_time);
        return 0;
    }
    return 1;
}

static void parse_bad(const char *s, int line)
{
    int64_t ts = 0;
    int ht = 0;
    int rc = nd_time_parse(s, strlen(s), &ts, &ht);
    tap_checks_++;
    if (rc != ND_EPARSE) {
        tap_failed_++;
        char got[32];
        nd_time_format(ts, 0, got);
        fprintf(stderr, "%s:%d: %s: \"%s\" parsed as %s, want ND_EPARSE\n", __FILE__, line,
                tap_current_, s, got);
    }
}

#define OK(s, want, ht) parse_ok((s), (want), (ht), __LINE__)
#define BAD(s)          parse_bad((s), __LINE__)
#define HMS(h, m, s)    ((h) *3600LL + (m) *60LL + (s))

static void test_iso(void)
{
    OK("2019-11-19", T_2019_11_19, 0);
    OK("2019-11-19T14:03:00Z", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("2019-11-19T14:03:00-05:00", T_2019_11_19 + HMS(19, 3, 0), 1);
    OK("2019-11-19T14:03:00+0530", T_2019_11_19 + HMS(8, 33, 0), 1);
    OK("2019-11-19T14:03:00.123456+01:00", T_2019_11_19 + HMS(13, 3, 0), 1);
    OK("2019-11-19T14:03", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("2019-11-19 14:03:00Z", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("2019-11-19 14:03:00 +0000 UTC", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("2019-11-19t14:03:00z", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("  2019-11-19T14:03:00+02  ", T_2019_11_19 + HMS(12, 3, 0), 1);
    OK("20191119", T_2019_11_19, 0);
    OK("20191119T140300Z", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("2013/06/13", T_2013_06_13, 0);
    OK("2013.06.13", T_2013_06_13, 0);
    OK("2013-6-3", T_2013_06_13 - 10 * 86400, 0);
    /* A leap day, the epoch, the far side of 2038. */
    OK("2020-02-29", 1582934400LL, 0);
    OK("1970-01-01T00:00:00Z", 0, 1);
    OK("2100-03-01", 4107542400LL, 0);
    OK("1969-12-31T23:59:59Z", -1, 1);
}

static void test_rfc(void)
{
    OK("Tue, 19 Nov 2019 14:03:00 GMT", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("Tue, 19 Nov 2019 14:03:00 +0000", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("Tue, 19 Nov 2019 09:03:00 -0500 (EST)", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("19 Nov 2019 14:03 GMT", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("Tuesday, 19-Nov-19 14:03:00 GMT", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("Tue Nov 19 14:03:00 2019", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("Tue Nov 19 09:03:00 EST 2019", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("Sun Nov  3 08:49:37 2019", T_2019_11_19 - 16 * 86400 + HMS(8, 49, 37), 1);
}

static void test_month_names(void)
{
    OK("June 13, 2013", T_2013_06_13, 0);
    OK("June 13, 2013 4:59 PM EDT", T_2013_06_13 + HMS(20, 59, 0), 1);
    OK("June 13, 2013, 4:59 p.m. EDT", T_2013_06_13 + HMS(20, 59, 0), 1);
    OK("June 13, 2013 at 4:59pm", T_2013_06_13 + HMS(16, 59, 0), 1);
    OK("June 13th, 2013", T_2013_06_13, 0);
    OK("Jun 13 2013", T_2013_06_13, 0);
    OK("Nov. 19, 2019", T_2019_11_19, 0);
    OK("NOVEMBER 19, 2019", T_2019_11_19, 0);
    OK("Sept. 3, 2019", T_2019_11_19 - 77 * 86400, 0);
    OK("19 November 2019 at 10:30", T_2019_11_19 + HMS(10, 30, 0), 1);
    OK("19 November 2019, 10:30 GMT", T_2019_11_19 + HMS(10, 30, 0), 1);
    OK("13th of June, 2013", T_2013_06_13, 0);
    OK("Tuesday, November 19, 2019", T_2019_11_19, 0);
    OK("Tuesday 19 November 2019 10.30am", T_2019_11_19 + HMS(10, 30, 0), 1);
    OK("November 19, 2019 12:00 AM", T_2019_11_19, 1);
    OK("November 19, 2019 12:30 PM", T_2019_11_19 + HMS(12, 30, 0), 1);
    OK("November 19, 2019 - 10:30", T_2019_11_19 + HMS(10, 30, 0), 1);
    OK("November 19, 2019 | 10:30 AM", T_2019_11_19 + HMS(10, 30, 0), 1);
    OK("November\xc2\xa0"
       "19,\xc2\xa0"
       "2019",
       T_2019_11_19, 0);
    /* Other languages. */
    OK("19. November 2019", T_2019_11_19, 0);
    OK("19. 11. 2019", T_2019_11_19, 0); /* German day and month with spaces */
    OK("19. 11.2019", T_2019_11_19, 0);
    OK("Dienstag, den 19. November 2019 um 14:03 Uhr", T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("13. M\xc3\xa4rz 2013", T_2013_06_13 - 92 * 86400, 0);
    OK("mardi 19 novembre 2019", T_2019_11_19, 0);
    OK("1er juin 2013", T_2013_06_13 - 12 * 86400, 0);
    OK("19 novembre 2019 \xc3\xa0 10h30", T_2019_11_19 + HMS(10, 30, 0), 1);
    OK("13 f\xc3\xa9vrier 2013", T_2013_06_13 - 120 * 86400, 0);
    OK("13 de junio de 2013", T_2013_06_13, 0);
    OK("martes, 19 de noviembre de 2019", T_2019_11_19, 0);
    OK("13 giugno 2013", T_2013_06_13, 0);
    OK("13 de junho de 2013", T_2013_06_13, 0);
    OK("13 juni 2013", T_2013_06_13, 0);
    OK("2019\xe5\xb9\xb4"
       "11\xe6\x9c\x88"
       "19\xe6\x97\xa5",
       T_2019_11_19, 0);
    OK("2019\xe5\xb9\xb4"
       "11\xe6\x9c\x88"
       "19\xe6\x97\xa5 14:03",
       T_2019_11_19 + HMS(14, 3, 0), 1);
    OK("2019\xeb\x85\x84 11\xec\x9b\x94 19\xec\x9d\xbc", T_2019_11_19, 0);
}

static void test_numeric(void)
{
    OK("13/06/2013", T_2013_06_13, 0);             /* day first: 13 cannot be a month */
    OK("06/13/2013", T_2013_06_13, 0);             /* 13 cannot be a month either: month first */
    OK("05/06/2013", T_2013_06_13 - 8 * 86400, 0); /* ambiguous: day first, 5 June */
    OK("13.06.2013", T_2013_06_13, 0);
    OK("13.06.2013, 16:59 Uhr", T_2013_06_13 + HMS(16, 59, 0), 1);
    OK("13-06-2013", T_2013_06_13, 0);
    OK("13/06/2013 16:59", T_2013_06_13 + HMS(16, 59, 0), 1);
    /* The North American clock writes the month first. */
    OK("05/06/2013 4:59 PM", T_2013_06_13 - 38 * 86400 + HMS(16, 59, 0), 1);
    OK("06/05/2013 4:59 PM EDT", T_2013_06_13 - 8 * 86400 + HMS(20, 59, 0), 1);
    OK("06/05/2013 16:59 ET", T_2013_06_13 - 8 * 86400 + HMS(20, 59, 0), 1);
    OK("4:59 PM EDT 06/05/2013", T_2013_06_13 - 8 * 86400 + HMS(20, 59, 0), 1);
    /* ... and nowhere else. */
    OK("05/06/2013 4:59 pm BST", T_2013_06_13 - 8 * 86400 + HMS(15, 59, 0), 1);
    OK("05/06/2013 16:59 GMT", T_2013_06_13 - 8 * 86400 + HMS(16, 59, 0), 1);
    OK("05.06.2013 4:59 PM", T_2013_06_13 - 8 * 86400 + HMS(16, 59, 0), 1);
    /* A short year with its clock, and the two run together. */
    OK("13.06.13 16:59", T_2013_06_13 + HMS(16, 59, 0), 1);
    OK("13.06.13, 16:59 Uhr", T_2013_06_13 + HMS(16, 59, 0), 1);
    OK("13.06.1316:59", T_2013_06_13 + HMS(16, 59, 0), 1);
}

static void test_labels_and_zones(void)
{
    OK("Published 5:34 AM ET Nov 20, 2019", T_2019_11_19 + 86400 + HMS(10, 34, 0), 1);
    OK("Updated: November 19, 2019", T_2019_11_19, 0);
    OK("Last updated on 19 November 2019", T_2019_11_19, 0);
    OK("Updated 1:55 PM EST, Tue November 19, 2019", T_2019_11_19 + HMS(18, 55, 0), 1);
    OK("Published: June 13, 2013 4:59 PM EDT", T_2013_06_13 + HMS(20, 59, 0), 1);
    OK("Ver\xc3\xb6\x66\x66\x65ntlicht am 19.11.2019", T_2019_11_19, 0);
    OK("Publi\xc3\xa9 le 19 novembre 2019", T_2019_11_19, 0);
    OK("Fecha de publicaci\xc3\xb3n: 19/11/2019", T_2019_11_19, 0);
    OK("Nov 20, 2019 | Updated 6:30 AM", T_2019_11_19 + 86400, 0);
    OK("June 13, 2013.", T_2013_06_13, 0);
    /* ET follows daylight saving: EDT in June, EST in November. */
    OK("June 13, 2013 4:59 PM ET", T_2013_06_13 + HMS(20, 59, 0), 1);
    OK("Nov 19, 2019 4:59 PM ET", T_2019_11_19 + HMS(21, 59, 0), 1);
    OK("March 10, 2019 1:30 AM ET", 1552199400LL, 1); /* before the switch: EST */
    OK("March 10, 2019 3:30 AM ET", 1552203000LL, 1); /* after it: EDT */
    OK("June 13, 2013 8:59 PT", T_2013_06_13 + HMS(15, 59, 0), 1);
    OK("June 13, 2013 22:59 CEST", T_2013_06_13 + HMS(20, 59, 0), 1);
    OK("June 13, 2013 22:59 BST", T_2013_06_13 + HMS(21, 59, 0), 1);
    OK("June 13, 2013 14:00 GMT+8", T_2013_06_13 + HMS(6, 0, 0), 1);
    OK("June 13, 2013 10:00 UTC-05:00", T_2013_06_13 + HMS(15, 0, 0), 1);
    OK("June 13, 2013 14:00 JST", T_2013_06_13 + HMS(5, 0, 0), 1);
    OK("June 13, 2013 14:00 IST", T_2013_06_13 + HMS(8, 30, 0), 1);
}

static void test_rejects(void)
{
    BAD("");
    BAD("   ");
    BAD("garbage");
    BAD("2019");
    BAD("June 2019");
    BAD("Nov 19");
    BAD("12:30");
    BAD("5:34 AM ET");
    BAD("2019-02-30");
    BAD("2019-02-29");
    BAD("2019-13-01");
    BAD("2019-00-10");
    BAD("2019-11-00");
    BAD("2019-11-19T25:00:00Z");
    BAD("2019-11-19T14:60:00Z");
    BAD("June 31, 2013");
    BAD("13/13/2013");
    BAD("32/01/2013");
    BAD("13/06/13");
    BAD("0001-01-01T00:00:00Z");
    BAD("9999-12-31");
    BAD("1234567890");
    BAD("20191319");
    BAD("13:00 PM June 13, 2013");
    BAD("He was 25 years old in 2019");
    BAD("The 3 ministers met on June 13, 2013 in Paris");
    BAD("Revenue rose 5.3% to 19.11 billion in 2019");
    BAD("Chapter 13, 2013 edition");
    BAD("June 13, 2013 was a Thursday");
    BAD("2019-11-19abc");
    BAD("19.11");
    BAD("Nov 19 2019:12");
    BAD("13.06.13"); /* a short year without a clock: a version, a verse */
    BAD("1.2.19 beta");
}

static void test_find(void)
{
    int64_t ts;
    int ht;
    size_t a, b;
    const char *s = "By Jane Doe | November 20, 2019 | 5:34 AM";
    CHECK_INT(nd_time_find(s, strlen(s), &ts, &ht, &a, &b), 0);
    CHECK_INT(ts, T_2019_11_19 + 86400 + HMS(5, 34, 0));
    CHECK_INT(ht, 1);
    CHECK_INT(a, 14);
    CHECK_INT(b, strlen(s));

    s = "Published: June 13, 2013 4:59 PM EDT";
    CHECK_INT(nd_time_find(s, strlen(s), &ts, &ht, &a, &b), 0);
    CHECK_INT(ts, T_2013_06_13 + HMS(20, 59, 0));
    CHECK_INT(a, 11);
    CHECK_INT(b, strlen(s));

    s = "Devika Rao, The Week US \xe2\x80\xa2 Published 5:34 AM ET Nov 20, 2019 \xe2\x80\xa2 "
        "4 min read";
    CHECK_INT(nd_time_find(s, strlen(s), &ts, &ht, &a, &b), 0);
    CHECK_INT(ts, T_2019_11_19 + 86400 + HMS(10, 34, 0));
    CHECK(strncmp(s + a, "5:34 AM ET Nov 20, 2019", b - a) == 0 && b - a == 23);

    s = "Posted on 19/11/2019 by staff";
    CHECK_INT(nd_time_find(s, strlen(s), &ts, &ht, &a, &b), 0);
    CHECK_INT(ts, T_2019_11_19);
    CHECK_INT(ht, 0);
    CHECK(strncmp(s + a, "19/11/2019", b - a) == 0 && b - a == 10);

    s = "MOSCOW, Nov 19 (Reuters) - updated 2019-11-19T14:03:00Z.";
    CHECK_INT(nd_time_find(s, strlen(s), &ts, &ht, &a, &b), 0);
    CHECK_INT(ts, T_2019_11_19 + HMS(14, 3, 0));

    s = "Tuesday, November 19, 2019";
    CHECK_INT(nd_time_find(s, strlen(s), &ts, &ht, &a, &b), 0);
    CHECK_INT(a, 0);
    CHECK_INT(b, strlen(s));

    /* Lines with numbers but no date. */
    static const char *const none[] = {
        "He was 25 years old in 2019 and scored 13 points in June.",
        "Revenue rose 5.3% to 19.11 billion; 3/4 of analysts agreed.",
        "Updated 5:34 AM",
        "Order number 20191119 shipped",
        "Chapter 13 of the 2013 report",
        "The meeting on Nov 19 ended at 14:03.",
        "",
    };
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        int rc = nd_time_find(none[i], strlen(none[i]), &ts, &ht, &a, &b);
        CHECK_INT(rc, ND_EPARSE);
        if (rc == 0) fprintf(stderr, "  found in \"%s\" at %zu..%zu\n", none[i], a, b);
    }
    /* A date glued to a word is not one. */
    s = "ID2019-11-19";
    CHECK_INT(nd_time_find(s, strlen(s), &ts, &ht, &a, &b), ND_EPARSE);
}

static void test_age(void)
{
    const int64_t now = 1746700200; /* 2025-05-08T10:30:00Z */
    /* clang-format off */
    static const struct {
        const char *s;
        long long ago;
    } cases[] = {
        {"2 hours ago", 7200},        {"an hour ago", 3600},       {"a minute ago", 60},
        {"3 mins ago", 180},          {"yesterday", 86400},        {"Yesterday", 86400},
        {"2 days ago", 172800},       {"last week", 604800},       {"just now", 0},
        {"Just now", 0},              {"1h", 3600},                {"5m ago", 300},
        {"3d", 259200},               {"2 hrs ago", 7200},         {"1h 30m ago", 5400},
        {"1h30m", 5400},              {"2 weeks ago", 1209600},    {"a month ago", 2592000},
        {"1 year ago", 31536000},     {"30s ago", 30},             {"5 hrs", 18000},
        {"two days ago", 172800},     {"a few minutes ago", 180},  {"moments ago", 0},
        {"Updated 2 hours ago", 7200}, {"2 hours, 5 minutes ago", 7500},
        {"1 hour and 5 minutes ago", 3900}, {"  4 HOURS AGO ", 14400},
        {"vor 2 Stunden", 7200},      {"vor einer Stunde", 3600},  {"gestern", 86400},
        {"il y a 3 jours", 259200},   {"hace 5 minutos", 300},     {"2 ore fa", 7200},
        {"h\xc3\xa1 2 dias", 172800}, {"3 dagen geleden", 259200}, {"2 Std.", 7200},
        {"today", 0},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t ts = 0;
        int rc = nd_time_parse_age(cases[i].s, strlen(cases[i].s), now, &ts);
        CHECK_INT(rc, 0);
        CHECK_INT(now - ts, cases[i].ago);
        if (rc || now - ts != cases[i].ago) fprintf(stderr, "  age \"%s\"\n", cases[i].s);
    }
    int64_t ts;
    const char *s = "Yesterday at 9:15 PM";
    CHECK_INT(nd_time_parse_age(s, strlen(s), now, &ts), 0);
    CHECK_INT(ts, 1746700200LL - HMS(10, 30, 0) - 86400 + HMS(21, 15, 0));
    s = "Today, 08:00 EDT";
    CHECK_INT(nd_time_parse_age(s, strlen(s), now, &ts), 0);
    CHECK_INT(ts, 1746700200LL - HMS(10, 30, 0) + HMS(12, 0, 0));

    static const char *const bad[] = {"",
                                      "ago",
                                      "hours ago",
                                      "2 apples ago",
                                      "June 13, 2013",
                                      "2019",
                                      "2 hours ago in Paris",
                                      "nowhere",
                                      "5",
                                      "99999999 days ago",
                                      "yesterday's news"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = nd_time_parse_age(bad[i], strlen(bad[i]), now, &ts);
        CHECK_INT(rc, ND_EPARSE);
        if (rc == 0) fprintf(stderr, "  age \"%s\" accepted\n", bad[i]);
    }
}

static void test_format(void)
{
    char out[32];
    nd_time_format(1746700200, 0, out);
    CHECK_STR(out, "2025-05-08T10:30:00Z");
    nd_time_format(1746700200, 1, out);
    CHECK_STR(out, "2025-05-08");
    nd_time_format(0, 0, out);
    CHECK_STR(out, "1970-01-01T00:00:00Z");
    nd_time_format(-1, 0, out);
    CHECK_STR(out, "1969-12-31T23:59:59Z");
    nd_time_format(951782400, 1, out); /* 2000-02-29 */
    CHECK_STR(out, "2000-02-29");
    nd_time_format(4107542399LL, 0, out);
    CHECK_STR(out, "2100-02-28T23:59:59Z");
    nd_time_format(ND_TIME_NONE, 0, out); /* must not crash or overflow */
    CHECK(strlen(out) < 32);
    /* Beyond four-digit years: the nearest time that fits, whole. */
    nd_time_format(INT64_MAX / 2, 0, out);
    CHECK_STR(out, "9999-12-31T23:59:59Z");
    nd_time_format(-INT64_MAX / 2, 0, out);
    CHECK_STR(out, "0000-01-01T00:00:00Z");
    nd_time_format_zone(253402300799LL + 86400, 0, -3600, out);
    CHECK_STR(out, "9999-12-31T23:59:59-01:00");
    nd_time_format(253402300799LL, 0, out);
    CHECK_STR(out, "9999-12-31T23:59:59Z");
    /* Round trip over two centuries of days at a fixed time. */
    int bad = 0;
    for (int64_t d = -25567; d < 47482; d += 13) {
        int64_t t = d * 86400 + 45296, back;
        int ht;
        nd_time_format(t, 0, out);
        if (nd_time_parse(out, strlen(out), &back, &ht) || back != t || !ht) bad++;
    }
    CHECK_INT(bad, 0);
}

/* The parser keeps no state: many threads give the same answers. */
static void *worker(void *arg)
{
    int *fails = arg;
    for (int i = 0; i < 2000; i++) {
        int64_t ts;
        int ht;
        const char *s = i % 2 ? "Tue, 19 Nov 2019 14:03:00 GMT" : "June 13, 2013 4:59 PM ET";
        long long want = i % 2 ? T_2019_11_19 + HMS(14, 3, 0) : T_2013_06_13 + HMS(20, 59, 0);
        if (nd_time_parse(s, strlen(s), &ts, &ht) || ts != want) (*fails)++;
    }
    return NULL;
}

static void test_threads(void)
{
    pthread_t th[4];
    int fails[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, worker, &fails[i]);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    CHECK_INT(fails[0] + fails[1] + fails[2] + fails[3], 0);
}

/* Input without a NUL terminator and with NUL bytes inside. */
static void test_lengths(void)
{
    int64_t ts;
    int ht;
    const char buf[] = "2019-11-19T14:03:00Zjunk";
    CHECK_INT(nd_time_parse(buf, 20, &ts, &ht), 0);
    CHECK_INT(ts, T_2019_11_19 + HMS(14, 3, 0));
    CHECK_INT(nd_time_parse(buf, 10, &ts, &ht), 0);
    CHECK_INT(ht, 0);
    CHECK_INT(nd_time_parse(buf, 8, &ts, &ht), ND_EPARSE);
    const char nul[] = "2019-11-19\0 14:03";
    CHECK_INT(nd_time_parse(nul, sizeof nul - 1, &ts, &ht), ND_EPARSE);
    CHECK_INT(nd_time_parse(NULL, 0, &ts, &ht), ND_EPARSE);
}

/* Polish, Turkish and Scandinavian month names; the zone a text gives and
 * the wall clock of that zone. */
static void test_zones_and_languages(void)
{
    OK("19 listopada 2019", T_2019_11_19, 0);
    OK("19 Kasım 2019", T_2019_11_19, 0);
    OK("19 KASIM 2019", T_2019_11_19, 0);
    OK("13 czerwca 2013", T_2013_06_13, 0);
    OK("29 Şubat 2020", 1582934400LL, 0);
    CHECK_INT(nd_time_name("Şubat", strlen("Şubat")), 2);
    CHECK_INT(nd_time_name("Donnerstag", 10), 13);
    CHECK_INT(nd_time_name("Jonas", 5), 0);
    int64_t ts;
    int ht, off;
    const char *s = "2024-06-03T23:30:00+02:00";
    CHECK_INT(nd_time_parse_zone(s, strlen(s), &ts, &ht, &off), 0);
    CHECK_INT(off, 7200);
    char out[32];
    nd_time_format_zone(ts, 0, off, out);
    CHECK_STR(out, "2024-06-03T23:30:00+02:00");
    nd_time_format(ts, 0, out);
    CHECK_STR(out, "2024-06-03T21:30:00Z");
    s = "June 13, 2013 4:59 PM EDT";
    CHECK_INT(nd_time_parse_zone(s, strlen(s), &ts, &ht, &off), 0);
    CHECK_INT(off, -4 * 3600);
    nd_time_format_zone(ts, 0, off, out);
    CHECK_STR(out, "2013-06-13T16:59:00-04:00");
    s = "13.06.2013";
    CHECK_INT(nd_time_parse_zone(s, strlen(s), &ts, &ht, &off), 0);
    CHECK_INT(off, ND_ZONE_NONE);
    size_t a, e;
    s = "Yayın: 29 Şubat 2020 Cumartesi";
    CHECK_INT(nd_time_find_zone(s, strlen(s), &ts, &ht, &off, &a, &e), 0);
    CHECK_INT(ts, 1582934400LL);
}

int main(void)
{
    RUN(test_zones_and_languages);
    RUN(test_iso);
    RUN(test_rfc);
    RUN(test_month_names);
    RUN(test_numeric);
    RUN(test_labels_and_zones);
    RUN(test_rejects);
    RUN(test_find);
    RUN(test_age);
    RUN(test_format);
    RUN(test_threads);
    RUN(test_lengths);
    return tap_done();
}
