/* time.c - dates, times and ages as news pages write them.
 *
 * A small recursive-descent parser over the bytes reads absolute dates
 * (ISO 8601, RFC 2822 and asctime, "June 13, 2013 4:59 PM EDT",
 * "19 November 2019 at 10:30", "13/06/2013", "2019年11月19日", month names
 * in English, German, French, Spanish, Italian, Portuguese, Dutch, Polish,
 * Turkish and the Scandinavian languages) and
 * relative ages ("2 hours ago", "vor 3 Tagen", "1h").  The calendar
 * arithmetic is done here (days from the civil date, after Howard
 * Hinnant's public algorithms), so nothing depends on TZ or the locale;
 * the only static state is a sorted table of month and weekday names built
 * once with pthread_once, and every function is thread-safe.
 *
 * A date needs a year, a month and a day; a time of day alone, "June
 * 2019" or "Nov 19" are not dates.  Without a zone the time is taken as
 * UTC.  "ET", "CT", "MT" and "PT" follow the US daylight-saving rules.
 */
#include "newsdesk/extract.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- calendar ------------------------------------------------------------ */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int) (doy - (153 * mp + 2) / 5 + 1);
    *m = (int) (mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : dim[m - 1];
}

/* 0 = Sunday. */
static int weekday_of(int64_t days)
{
    int64_t w = (days + 4) % 7;
    return (int) (w < 0 ? w + 7 : w);
}

static int64_t nth_sunday(int y, int m, int nth)
{
    int64_t first = days_from_civil(y, m, 1);
    return first + (7 - weekday_of(first)) % 7 + 7 * (nth - 1);
}

static int64_t last_sunday(int y, int m)
{
    int64_t last = days_from_civil(y, m, days_in_month(y, m));
    return last - weekday_of(last);
}

/* Whether a local date and hour fall in US daylight time (rules of 2007,
 * of 1987, and the older last-Sunday-of-April rule before that). */
static int us_dst(int y, int m, int d, int h)
{
    int64_t day = days_from_civil(y, m, d), start, end;
    if (y >= 2007)
        start = nth_sunday(y, 3, 2), end = nth_sunday(y, 11, 1);
    else if (y >= 1987)
        start = nth_sunday(y, 4, 1), end = last_sunday(y, 10);
    else
        start = last_sunday(y, 4), end = last_sunday(y, 10);
    return (day > start || (day == start && h >= 2)) && (day < end || (day == end && h < 2));
}

/* ---- the cursor ---------------------------------------------------------- */

typedef struct cur {
    const unsigned char *s;
    size_t n, i;
} cur;

enum { ZONE_NONE, ZONE_FIXED, ZONE_US };

/* A parsed date: civil fields, and the zone they are in. */
typedef struct dt {
    int y, mo, d, h, mi, sec;
    int has_time;
    int zone;    /* ZONE_* */
    int off;     /* seconds east of UTC; for ZONE_US the standard offset */
    int clock12; /* the time had am/pm */
    int ambig;   /* a numeric date that reads both ways: "05/06/2013" */
} dt;

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(int c)
{
    return is_digit(c) || is_alpha(c);
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The byte k positions ahead, or -1 past the end. */
static int get(const cur *c, size_t k)
{
    return c->i + k < c->n ? c->s[c->i + k] : -1;
}

/* Length of the white space at i: ASCII, no-break, the typographic spaces
 * U+2000..U+200A and U+202F, and the ideographic space. */
static size_t space_len(const cur *c, size_t i)
{
    if (i >= c->n) return 0;
    const unsigned char *p = c->s + i;
    size_t left = c->n - i;
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') return 1;
    if (left >= 2 && p[0] == 0xC2 && p[1] == 0xA0) return 2;
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] <= 0x8A || p[2] == 0xAF)) return 3;
    if (left >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) return 3;
    return 0;
}

static int skip_ws(cur *c)
{
    size_t i0 = c->i, k;
    while ((k = space_len(c, c->i))) c->i += k;
    return c->i > i0;
}

/* Consume the literal bytes lit when they come next. */
static int lit(cur *c, const char *lit_)
{
    size_t k = strlen(lit_);
    if (c->n - c->i < k || memcmp(c->s + c->i, lit_, k) != 0) return 0;
    c->i += k;
    return 1;
}

/* Read a run of digits: returns how many (0 when none); *v gets the value,
 * or -1 when there are more than nine digits. */
static int read_num(cur *c, int *v)
{
    int nd = 0, val = 0;
    while (c->i < c->n && is_digit(c->s[c->i])) {
        if (nd < 9) val = val * 10 + (c->s[c->i] - '0');
        nd++;
        c->i++;
    }
    *v = nd > 9 ? -1 : val;
    return nd;
}

/* The word of Latin letters at c->i, lowercased into buf.  Returns its
 * length in the input (0 when there is none or it does not fit); the
 * cursor does not move. */
static size_t word_at(const cur *c, char *buf, size_t cap)
{
    size_t i = c->i, k = 0;
    while (i < c->n) {
        unsigned char b = c->s[i];
        if (is_alpha(b)) {
            if (k + 1 >= cap) return 0;
            buf[k++] = (char) lower(b);
            i++;
            continue;
        }
        /* Latin-1 Supplement and Latin Extended-A letters (é, ä, ç, ...). */
        if (b >= 0xC3 && b <= 0xC5 && i + 1 < c->n && (c->s[i + 1] & 0xC0) == 0x80) {
            unsigned char t = c->s[i + 1];
            if (b == 0xC3 && (t == 0x97 || t == 0xB7)) break; /* × and ÷ */
            if (k + 2 >= cap) return 0;
            if (b == 0xC3 && t <= 0x9E) t += 0x20;
            if (b == 0xC4 || b == 0xC5) { /* Latin Extended-A: capitals to small letters */
                unsigned cp = ((unsigned) (b & 0x1F) << 6) | (t & 0x3F);
                int odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
                if (cp != 0x130 && cp != 0x138 && cp != 0x149 && cp != 0x178 && cp < 0x17F &&
                    (cp & 1) == (unsigned) odd_upper) {
                    cp++;
                    b = (unsigned char) (0xC0 | (cp >> 6));
                    t = (unsigned char) (0x80 | (cp & 0x3F));
                }
            }
            buf[k++] = (char) b;
            buf[k++] = (char) t;
            i += 2;
            continue;
        }
        break;
    }
    buf[k] = 0;
    return i - c->i;
}

/* Consume the word w (lowercase) when it comes next as a whole word. */
static int match_word(cur *c, const char *w)
{
    char buf[24];
    size_t len = word_at(c, buf, sizeof buf);
    if (!len || strcmp(buf, w) != 0) return 0;
    c->i += len;
    return 1;
}

/* Index of the word at c->i in a NULL-terminated list, consuming it; -1
 * when absent. */
static int match_list(cur *c, const char *const *list)
{
    char buf[24];
    size_t len = word_at(c, buf, sizeof buf);
    if (!len) return -1;
    for (int k = 0; list[k]; k++)
        if (strcmp(buf, list[k]) == 0) {
            c->i += len;
            return k;
        }
    return -1;
}

/* ---- words --------------------------------------------------------------- */

/* clang-format off */
static const struct {
    const char *w;
    int m;
} month_names[] = {
    /* English */
    {"january", 1}, {"jan", 1}, {"february", 2}, {"feb", 2}, {"march", 3}, {"mar", 3},
    {"april", 4}, {"apr", 4}, {"may", 5}, {"june", 6}, {"jun", 6}, {"july", 7}, {"jul", 7},
    {"august", 8}, {"aug", 8}, {"september", 9}, {"sep", 9}, {"sept", 9}, {"october", 10},
    {"oct", 10}, {"november", 11}, {"nov", 11}, {"december", 12}, {"dec", 12},
    /* German */
    {"januar", 1}, {"j\xc3\xa4nner", 1}, {"februar", 2}, {"m\xc3\xa4rz", 3}, {"m\xc3\xa4r", 3},
    {"mrz", 3}, {"mai", 5}, {"juni", 6}, {"juli", 7}, {"oktober", 10}, {"okt", 10},
    {"dezember", 12}, {"dez", 12},
    /* French */
    {"janvier", 1}, {"janv", 1}, {"f\xc3\xa9vrier", 2}, {"fevrier", 2}, {"f\xc3\xa9v", 2},
    {"f\xc3\xa9vr", 2}, {"mars", 3}, {"avril", 4}, {"avr", 4}, {"juin", 6}, {"juillet", 7},
    {"juil", 7}, {"ao\xc3\xbbt", 8}, {"aout", 8}, {"septembre", 9}, {"octobre", 10},
    {"novembre", 11}, {"d\xc3\xa9\x63\x65mbre", 12}, {"decembre", 12}, {"d\xc3\xa9\x63", 12},
    /* Spanish */
    {"enero", 1}, {"ene", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"abr", 4},
    {"mayo", 5}, {"junio", 6}, {"julio", 7}, {"agosto", 8}, {"ago", 8}, {"septiembre", 9},
    {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12}, {"dic", 12},
    /* Italian */
    {"gennaio", 1}, {"gen", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5}, {"mag", 5},
    {"giugno", 6}, {"giu", 6}, {"luglio", 7}, {"lug", 7}, {"settembre", 9}, {"set", 9},
    {"ottobre", 10}, {"ott", 10}, {"dicembre", 12},
    /* Portuguese */
    {"janeiro", 1}, {"fevereiro", 2}, {"fev", 2}, {"mar\xc3\xa7o", 3}, {"marco", 3},
    {"maio", 5}, {"junho", 6}, {"julho", 7}, {"setembro", 9}, {"outubro", 10}, {"out", 10},
    {"novembro", 11}, {"dezembro", 12},
    /* Dutch */
    {"januari", 1}, {"februari", 2}, {"maart", 3}, {"mrt", 3}, {"mei", 5}, {"augustus", 8},
    /* Polish (the genitive of dates, and the nominative) */
    {"stycznia", 1}, {"stycze\xc5\x84", 1}, {"lutego", 2}, {"luty", 2}, {"marca", 3},
    {"marzec", 3}, {"kwietnia", 4}, {"kwiecie\xc5\x84", 4}, {"maja", 5}, {"maj", 5},
    {"czerwca", 6}, {"czerwiec", 6}, {"lipca", 7}, {"lipiec", 7}, {"sierpnia", 8},
    {"sierpie\xc5\x84", 8}, {"wrze\xc5\x9bnia", 9}, {"wrzesie\xc5\x84", 9},
    {"pa\xc5\xba\x64ziernika", 10}, {"pa\xc5\xba\x64ziernik", 10}, {"listopada", 11},
    {"listopad", 11}, {"grudnia", 12}, {"grudzie\xc5\x84", 12},
    /* Turkish */
    {"ocak", 1}, {"\xc5\x9f\x75\x62\x61t", 2}, {"mart", 3}, {"nisan", 4},
    {"may\xc4\xb1s", 5}, {"haziran", 6}, {"temmuz", 7}, {"a\xc4\x9fustos", 8},
    {"eyl\xc3\xbcl", 9}, {"ekim", 10}, {"kas\xc4\xb1m", 11}, {"aral\xc4\xb1k", 12},
    /* (written without Turkish letters, or in capitals: KASIM) */
    {"subat", 2}, {"mayis", 5}, {"agustos", 8}, {"eylul", 9}, {"kasim", 11}, {"aralik", 12},
    /* Scandinavian */
    {"augusti", 8}, {"desember", 12}, {"marts", 3},
    {NULL, 0}};
/* clang-format on */

static int name_lookup(const char *w, int want);

/* A month name or abbreviation (with its optional dot): 1..12, or 0. */
static int month_word(cur *c)
{
    char buf[24];
    size_t len = word_at(c, buf, sizeof buf);
    int m = len >= 3 ? name_lookup(buf, 0) : 0;
    if (m) {
        c->i += len;
        if (get(c, 0) == '.') c->i++;
    }
    return m;
}

/* clang-format off */
static const char *const weekday_names[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend",
    "sonntag", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "lunes", "martes", "mi\xc3\xa9rcoles", "miercoles", "jueves", "viernes", "s\xc3\xa1\x62\x61\x64o",
    "sabado", "domingo", "luned\xc3\xac", "lunedi", "marted\xc3\xac", "martedi",
    "mercoled\xc3\xac", "mercoledi", "gioved\xc3\xac", "giovedi", "venerd\xc3\xac", "venerdi",
    "sabato", "domenica", "segunda", "ter\xc3\xa7\x61", "terca", "quarta", "quinta", "sexta",
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", NULL};
/* clang-format on */

/* Most words of a line are tried as the start of a date, so the month and
 * weekday names are looked up in one sorted copy of both tables, built
 * once (pthread_once), by binary search. */
typedef struct name_entry {
    const char *w;
    int month; /* 1..12, or 0 for a weekday */
} name_entry;

#define N_NAMES                                                                                    \
    (sizeof month_names / sizeof *month_names + sizeof weekday_names / sizeof *weekday_names)
static name_entry names[N_NAMES];
static size_t n_names;
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static size_t names_from[27]; /* entries starting with 'a' + k begin at names_from[k] */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const name_entry *) a)->w, ((const name_entry *) b)->w);
}

static void names_build(void)
{
    for (int k = 0; month_names[k].w; k++)
        names[n_names++] = (name_entry){month_names[k].w, month_names[k].m};
    for (int k = 0; weekday_names[k]; k++) names[n_names++] = (name_entry){weekday_names[k], 0};
    qsort(names, n_names, sizeof *names, name_cmp);
    size_t e = 0;
    for (int k = 0; k <= 26; k++) {
        while (e < n_names && (unsigned char) names[e].w[0] - 'a' < k) e++;
        names_from[k] = e;
    }
}

static int str_cmp(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return (unsigned char) *a - (unsigned char) *b;
}

/* The month (1..12) of the lowercase word w when want is 0, or 1 when w is
 * a weekday name and want is 1; 0 otherwise.  want -1 accepts either. */
static int name_lookup(const char *w, int want)
{
    unsigned char w0 = (unsigned char) w[0];
    if ((w0 < 'a' || w0 > 'z') && w0 < 0x80) return 0;
    pthread_once(&names_once, names_build);
    /* Names that start with a letter outside ASCII ("şubat") sort last. */
    size_t lo = w0 >= 0x80 ? names_from[26] : names_from[w0 - 'a'];
    size_t hi = w0 >= 0x80 ? n_names : names_from[w0 - 'a' + 1];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = str_cmp(w, names[mid].w);
        if (c < 0) {
            hi = mid;
        } else if (c > 0) {
            lo = mid + 1;
        } else {
            /* The same spelling may be listed more than once. */
            while (mid > 0 && str_cmp(names[mid - 1].w, w) == 0) mid--;
            for (; mid < n_names && str_cmp(names[mid].w, w) == 0; mid++) {
                if (want != 1 && names[mid].month) return names[mid].month;
                if (want != 0 && !names[mid].month) return 1;
            }
            return 0;
        }
    }
    return 0;
}

int nd_time_name(const char *s, size_t n)
{
    cur c = {(const unsigned char *) s, n, 0};
    char buf[24];
    size_t len = word_at(&c, buf, sizeof buf);
    if (!len || len != n) return 0;
    int m = len >= 3 ? name_lookup(buf, 0) : 0;
    if (m) return m;
    return name_lookup(buf, 1) ? 13 : 0;
}

/* Skip a day-of-week name with its dot, comma and a following article
 * ("Dienstag, den 19.", "le mardi", "martes, 19 de"). */
static int skip_weekday(cur *c)
{
    size_t save = c->i;
    char buf[24];
    size_t len = word_at(c, buf, sizeof buf);
    if (!len || !name_lookup(buf, 1)) return 0;
    c->i += len;
    if (get(c, 0) == '-') { /* Portuguese "segunda-feira" */
        c->i++;
        if (!match_word(c, "feira")) {
            c->i = save;
            return 0;
        }
    }
    if (get(c, 0) == '.') c->i++;
    skip_ws(c);
    if (get(c, 0) == ',') c->i++;
    skip_ws(c);
    static const char *const articles[] = {"den", "le", "el", "il", "the", NULL};
    size_t k = c->i;
    if (match_list(c, articles) >= 0 && skip_ws(c) == 0) c->i = k;
    return 1;
}

/* An ordinal ending after a day number: "13th", "1st", "1er", "19.". */
static void skip_ordinal(cur *c)
{
    static const char *const ends[] = {"st", "nd", "rd", "th", "er", NULL};
    match_list(c, ends);
    if (get(c, 0) == '.') c->i++;
}

/* clang-format off */
static const struct {
    const char *name;
    int minutes;
    int us; /* US zone that follows daylight saving */
} zones[] = {
    {"UTC", 0, 0},     {"GMT", 0, 0},     {"UT", 0, 0},      {"EST", -300, 0},
    {"EDT", -240, 0},  {"CST", -360, 0},  {"CDT", -300, 0},  {"MST", -420, 0},
    {"MDT", -360, 0},  {"PST", -480, 0},  {"PDT", -420, 0},  {"AKST", -540, 0},
    {"AKDT", -480, 0}, {"HST", -600, 0},  {"AST", -240, 0},  {"ADT", -180, 0},
    {"NST", -210, 0},  {"NDT", -150, 0},  {"ET", -300, 1},   {"CT", -360, 1},
    {"MT", -420, 1},   {"PT", -480, 1},   {"BST", 60, 0},    {"IST", 330, 0},
    {"WET", 0, 0},     {"WEST", 60, 0},   {"CET", 60, 0},    {"CEST", 120, 0},
    {"MET", 60, 0},    {"MEST", 120, 0},  {"MEZ", 60, 0},    {"MESZ", 120, 0},
    {"EET", 120, 0},   {"EEST", 180, 0},  {"MSK", 180, 0},   {"TRT", 180, 0},
    {"GST", 240, 0},   {"PKT", 300, 0},   {"ICT", 420, 0},   {"WIB", 420, 0},
    {"HKT", 480, 0},   {"SGT", 480, 0},   {"PHT", 480, 0},   {"AWST", 480, 0},
    {"JST", 540, 0},   {"KST", 540, 0},   {"ACST", 570, 0},  {"ACDT", 630, 0},
    {"AEST", 600, 0},  {"AEDT", 660, 0},  {"NZST", 720, 0},  {"NZDT", 780, 0},
    {"SAST", 120, 0},  {"WAT", 60, 0},    {"CAT", 120, 0},   {"EAT", 180, 0},
    {"BRT", -180, 0},  {"ART", -180, 0},  {NULL, 0, 0}};
/* clang-format on */

/* ---- times and zones ----------------------------------------------------- */

/* "am", "pm", "a.m.", "p.m." in any case: 1 for am, 2 for pm, consumed;
 * 0 otherwise. */
static int ampm(cur *c)
{
    size_t i = c->i;
    int a = lower(get(c, 0));
    if (a != 'a' && a != 'p') return 0;
    i++;
    if (i < c->n && c->s[i] == '.') i++;
    if (i >= c->n || lower(c->s[i]) != 'm') return 0;
    i++;
    if (i < c->n && c->s[i] == '.') i++;
    if (i < c->n && is_alnum(c->s[i])) return 0;
    c->i = i;
    return a == 'a' ? 1 : 2;
}

/* A time of day: "14:03", "14:03:00.123", "4:59 PM", "4 p.m.", "10h30",
 * "4.59pm", "14.03 Uhr".  A bare number is not a time. */
static int parse_time(cur *c, dt *t)
{
    size_t save = c->i;
    int h, mi = 0, s = 0, sep = 0;
    int nd = read_num(c, &h);
    if (nd < 1 || nd > 2) goto fail;
    int b = get(c, 0);
    if ((b == ':' || b == '.' || b == 'h' || b == 'H') && is_digit(get(c, 1)) &&
        is_digit(get(c, 2)) && !is_digit(get(c, 3))) {
        sep = b;
        c->i++;
        read_num(c, &mi);
        if (sep == ':' && get(c, 0) == ':' && is_digit(get(c, 1)) && is_digit(get(c, 2)) &&
            !is_digit(get(c, 3))) {
            c->i++;
            read_num(c, &s);
            if ((get(c, 0) == '.' || get(c, 0) == ',') && is_digit(get(c, 1))) {
                int frac;
                c->i++;
                read_num(c, &frac);
            }
        }
    }
    size_t k = c->i;
    skip_ws(c);
    int mark = ampm(c);
    if (!mark) c->i = k;
    if (!sep && !mark) goto fail;
    k = c->i;
    skip_ws(c);
    int uhr = match_word(c, "uhr");
    if (!uhr) c->i = k;
    /* "14.03" is a time only with am/pm or "Uhr" ("19.11.2019" is not). */
    if (sep == '.' && !mark && !uhr) goto fail;
    if (mark) {
        if (h < 1 || h > 12) goto fail;
        h = h % 12 + (mark == 2 ? 12 : 0);
        t->clock12 = 1;
    }
    if (h > 23 || mi > 59 || s > 60) goto fail;
    if (get(c, 0) == ':' ||
        (sep != 'h' && sep != 'H' && is_alpha(get(c, 0)) && lower(get(c, 0)) != 'z'))
        goto fail;
    t->h = h;
    t->mi = mi;
    t->sec = s > 59 ? 59 : s; /* a leap second */
    t->has_time = 1;
    return 1;
fail:
    c->i = save;
    return 0;
}

/* A numeric offset at a sign: "+05:30", "-0500", "+02". */
static int parse_offset(cur *c, int *off)
{
    size_t save = c->i;
    int sign;
    if (lit(c, "+"))
        sign = 1;
    else if (lit(c, "-") || lit(c, "\xe2\x88\x92")) /* U+2212 minus sign */
        sign = -1;
    else
        return 0;
    int v, hh, mm = 0, nd = read_num(c, &v);
    if (nd == 4) {
        hh = v / 100;
        mm = v % 100;
    } else if (nd == 1 || nd == 2) {
        hh = v;
        if (get(c, 0) == ':' && is_digit(get(c, 1))) {
            c->i++;
            if (read_num(c, &mm) != 2) goto fail;
        }
    } else {
        goto fail;
    }
    if (hh > 14 || mm > 59) goto fail;
    *off = sign * (hh * 3600 + mm * 60);
    return 1;
fail:
    c->i = save;
    return 0;
}

/* A zone after a time: "Z", "+05:30", "-0500", "GMT", "UTC+2", "EDT", "ET",
 * with an optional comment such as "(UTC)".  Abbreviations must be in
 * capitals, so that words such as French "et" are never taken for one. */
static int parse_zone(cur *c, dt *t)
{
    size_t save = c->i;
    skip_ws(c);
    int b = get(c, 0), off = 0;
    if ((b == 'Z' || b == 'z') && !is_alnum(get(c, 1))) {
        c->i++;
        t->zone = ZONE_FIXED;
        t->off = 0;
    } else if (b == '+' || b == '-' || b == 0xE2) {
        if (!parse_offset(c, &off)) goto fail;
        t->zone = ZONE_FIXED;
        t->off = off;
    } else {
        size_t len = 0;
        while (len < 5 && is_alpha(get(c, len))) len++;
        if (!len || len == 5 || is_alnum(get(c, len))) goto fail;
        char w[6];
        memcpy(w, c->s + c->i, len);
        w[len] = 0;
        int found = -1;
        for (int k = 0; zones[k].name; k++) {
            if (strlen(zones[k].name) != len) continue;
            int same = 1, upper = 1;
            for (size_t j = 0; j < len; j++) {
                if (lower(w[j]) != lower(zones[k].name[j])) same = 0;
                if (w[j] >= 'a') upper = 0;
            }
            /* UTC and GMT in any case; other abbreviations in capitals. */
            if (same && (upper || k < 3)) {
                found = k;
                break;
            }
        }
        if (found < 0) goto fail;
        c->i += len;
        t->zone = zones[found].us ? ZONE_US : ZONE_FIXED;
        t->off = zones[found].minutes * 60;
        if (found < 3) { /* "GMT+2", "UTC -05:00" */
            size_t k = c->i;
            skip_ws(c);
            if (parse_offset(c, &off))
                t->off = off;
            else
                c->i = k;
        }
    }
    /* A comment or a redundant name: "+0000 (UTC)", "-0500 EST". */
    size_t k = c->i;
    skip_ws(c);
    if (get(c, 0) == '(') {
        size_t j = 1;
        while (j < 48 && get(c, j) > 0 && get(c, j) != ')' &&
               (is_alnum(get(c, j)) || strchr(" +-:.", get(c, j))))
            j++;
        if (get(c, j) == ')')
            c->i += j + 1;
        else
            c->i = k;
    } else {
        size_t len = 0;
        while (len < 5 && get(c, len) >= 'A' && get(c, len) <= 'Z') len++;
        int known = 0;
        for (int z = 0; zones[z].name && len && !is_alnum(get(c, len)); z++)
            if (strlen(zones[z].name) == len && memcmp(zones[z].name, c->s + c->i, len) == 0)
                known = 1;
        c->i = known ? c->i + len : k;
    }
    return 1;
fail:
    c->i = save;
    return 0;
}

/* ---- dates --------------------------------------------------------------- */

static int set_date(dt *t, int y, int m, int d)
{
    if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return 0;
    t->y = y;
    t->mo = m;
    t->d = d;
    return 1;
}

static void date_time_sep(cur *c);

/* A date without its time: month-name forms, numeric forms, ISO, CJK.
 * compact allows "20191119" (only where the whole string is the date).
 * asctime ("Nov 19 14:03:00 2019") carries its time inside and sets it. */
static int parse_date(cur *c, dt *t, int compact)
{
    size_t save = c->i;
    int m = month_word(c);
    if (m) {
        /* "June 13, 2013", "Nov. 19 2019", "June 13th, 2013", asctime. */
        skip_ws(c);
        int d, y, nd = read_num(c, &d);
        if (nd < 1 || nd > 2) goto fail;
        skip_ordinal(c);
        size_t k = c->i;
        skip_ws(c);
        int comma = lit(c, ",");
        skip_ws(c);
        if (read_num(c, &y) == 4) {
            if (get(c, 0) == ':') goto fail;
        } else {
            if (comma) goto fail;
            c->i = k;
            skip_ws(c);
            if (!parse_time(c, t)) goto fail;
            parse_zone(c, t);
            skip_ws(c);
            if (read_num(c, &y) != 4) goto fail;
        }
        if (!set_date(t, y, m, d)) goto fail;
        return 1;
    }
    int a, na = read_num(c, &a);
    if (na == 4) {
        int sep = get(c, 0), mo, d;
        if (sep == '-' || sep == '/' || sep == '.') {
            c->i++;
            int nm = read_num(c, &mo);
            if (nm < 1 || nm > 2 || get(c, 0) != sep) goto fail;
            c->i++;
            int nd = read_num(c, &d);
            if (nd < 1 || nd > 2 || !set_date(t, a, mo, d)) goto fail;
            return 1;
        }
        /* 2019年11月19日, 2019년 11월 19일 */
        skip_ws(c);
        int korean = 0;
        if (!lit(c, "\xe5\xb9\xb4")) {
            if (!lit(c, "\xeb\x85\x84")) goto fail;
            korean = 1;
        }
        skip_ws(c);
        int nm = read_num(c, &mo);
        if (nm < 1 || nm > 2 || !lit(c, korean ? "\xec\x9b\x94" : "\xe6\x9c\x88")) goto fail;
        skip_ws(c);
        int nd = read_num(c, &d);
        if (nd < 1 || nd > 2) goto fail;
        if (!lit(c, korean ? "\xec\x9d\xbc" : "\xe6\x97\xa5") && !lit(c, "\xe5\x8f\xb7")) goto fail;
        if (!set_date(t, a, mo, d)) goto fail;
        return 1;
    }
    if (na == 8 && compact) {
        if (!set_date(t, a / 10000, a / 100 % 100, a % 100)) goto fail;
        /* "20191119T140300Z" */
        if ((get(c, 0) == 'T' || get(c, 0) == 't') && is_digit(get(c, 1))) {
            size_t k = c->i++;
            int v, nt = read_num(c, &v);
            if (nt == 4) v *= 100;
            if ((nt == 4 || nt == 6) && v / 10000 < 24 && v / 100 % 100 < 60 && v % 100 < 60) {
                t->h = v / 10000;
                t->mi = v / 100 % 100;
                t->sec = v % 100;
                t->has_time = 1;
            } else {
                c->i = k;
            }
        }
        return 1;
    }
    if (na != 1 && na != 2) goto fail;
    int sep = get(c, 0);
    if (sep == '/' || sep == '.' || sep == '-') {
        size_t k = c->i++;
        int b, y, nb = read_num(c, &b);
        if (nb >= 1 && nb <= 2 && get(c, 0) == sep) {
            /* 13/06/2013: day first unless impossible; dots always are. */
            c->i++;
            size_t ys = c->i;
            int ny = read_num(c, &y);
            /* "28.09.19 12:44": a German short date, read only with the
             * clock after it (alone, "1.2.19" may be a version or a
             * verse).  Two inline elements run together in a page's
             * text ("<span>28.09.19</span><span>12:44</span>") give
             * "28.09.1912:44": a year is never glued to a clock. */
            if (ny == 4 && sep == '.' && get(c, 0) == ':' && is_digit(get(c, 1)) &&
                is_digit(get(c, 2))) {
                c->i = ys + 2;
                y /= 100;
                ny = 2;
            }
            if (ny == 2 && sep == '.') {
                size_t k2 = c->i;
                dt clock;
                memset(&clock, 0, sizeof clock);
                date_time_sep(c);
                int timed = parse_time(c, &clock);
                c->i = k2;
                if (!timed) goto fail;
                y += y < 70 ? 2000 : 1900;
            } else if (ny != 4) {
                goto fail;
            }
            int d = a, mo = b;
            if (b > 12 && sep != '.') d = b, mo = a;
            if (!set_date(t, y, mo, d)) goto fail;
            t->ambig = sep == '/' && a <= 12 && b <= 12 && a != b;
            return 1;
        }
        if (nb == 0 && sep == '.' && get(c, 0) == ' ' && is_digit(get(c, 1))) {
            /* "4. 2. 2022": German day and month with spaces. */
            size_t k2 = c->i;
            c->i++;
            nb = read_num(c, &b);
            if (nb >= 1 && nb <= 2 && get(c, 0) == '.') {
                c->i++;
                if (get(c, 0) == ' ') c->i++;
                if (read_num(c, &y) == 4 && set_date(t, y, b, a)) return 1;
            }
            c->i = k2;
        }
        if (nb == 0 && sep == '-') {
            /* RFC 850: "19-Nov-2019", "19-Nov-19". */
            int mo = month_word(c);
            if (mo && get(c, 0) == '-') {
                c->i++;
                int ny = read_num(c, &y);
                if (ny == 2) y += y < 70 ? 2000 : 1900;
                if ((ny == 2 || ny == 4) && set_date(t, y, mo, a)) return 1;
            }
            goto fail;
        }
        c->i = k;
        if (sep != '.') goto fail; /* "19. November 2019" goes on */
    }
    /* "13 June 2013", "13th of June, 2013", "19. November 2019",
     * "13 de junio de 2013", "1er juin 2013". */
    skip_ordinal(c);
    skip_ws(c);
    size_t k = c->i;
    if ((match_word(c, "de") || match_word(c, "of")) && !skip_ws(c)) c->i = k;
    int mo = month_word(c);
    if (!mo) goto fail;
    skip_ws(c);
    if (lit(c, ",")) skip_ws(c);
    k = c->i;
    if ((match_word(c, "de") || match_word(c, "del")) && !skip_ws(c)) c->i = k;
    int y;
    if (read_num(c, &y) != 4 || get(c, 0) == ':' || !set_date(t, y, mo, a)) goto fail;
    return 1;
fail:
    c->i = save;
    return 0;
}

/* Between a date and its time: "T", ",", "at", "@", "-", "|", "·", "um",
 * "à", "a las", "alle", "às", "om" ... (at most two of them). */
static void date_time_sep(cur *c)
{
    if ((get(c, 0) == 'T' || get(c, 0) == 't') && is_digit(get(c, 1))) {
        c->i++;
        return;
    }
    static const char *const words[] = {"at", "um", "a",        "las",       "la", "alle", "ore",
                                        "om", "kl", "\xc3\xa0", "\xc3\xa0s", "o",  NULL};
    static const char *const puncts[] = {
        ",", "@", "-", "|", "/", "\xe2\x80\x93", "\xe2\x80\x94", "\xc2\xb7", "\xe2\x80\xa2", NULL};
    for (int round = 0; round < 3; round++) {
        skip_ws(c);
        int got = match_list(c, words) >= 0;
        if (got && get(c, 0) == '.') c->i++;
        for (int k = 0; !got && puncts[k]; k++) got = lit(c, puncts[k]);
        if (!got) break;
    }
    skip_ws(c);
}

/* Between a leading time and its date: ",", "|", "-", "on", "am", "le". */
static void time_date_sep(cur *c)
{
    static const char *const words[] = {"on", "am", "le", "el", "del", "il", "op", NULL};
    static const char *const puncts[] = {
        ",", "|", "-", "/", "\xe2\x80\x93", "\xe2\x80\x94", "\xc2\xb7", "\xe2\x80\xa2", NULL};
    for (int round = 0; round < 3; round++) {
        skip_ws(c);
        int got = match_list(c, words) >= 0;
        for (int k = 0; !got && puncts[k]; k++) got = lit(c, puncts[k]);
        if (!got) break;
    }
    skip_ws(c);
}

/* "05/06/2013" is day first, except with the clock of North America: an
 * am/pm time in no zone or in an American one ("4/9/2007 6:04 PM",
 * "8:13 AM PDT 8/2/2013"), or an American zone (EST ... HST), which is
 * where month-first dates are written. */
static void american_order(dt *t)
{
    if (!t->ambig) return;
    int american =
        t->zone == ZONE_US || (t->zone == ZONE_FIXED && t->off <= -180 * 60 && t->off >= -600 * 60);
    if (!american && !(t->clock12 && t->zone == ZONE_NONE)) return;
    int d = t->mo;
    t->mo = t->d;
    t->d = d;
}

/* A whole date expression at c->i: "[weekday] date [sep time [zone]]" or
 * "time [zone] sep [weekday] date".  Moves the cursor past it. */
static int parse_expr(cur *c, dt *t, int compact)
{
    size_t save = c->i;
    memset(t, 0, sizeof *t);
    skip_weekday(c);
    size_t after_weekday = c->i;
    if (parse_date(c, t, compact)) {
        if (!t->has_time) {
            size_t k = c->i;
            date_time_sep(c);
            if (!parse_time(c, t)) c->i = k;
        }
        if (t->has_time && t->zone == ZONE_NONE) parse_zone(c, t);
        american_order(t);
        return 1;
    }
    c->i = after_weekday;
    dt tm;
    memset(&tm, 0, sizeof tm);
    if (parse_time(c, &tm)) {
        parse_zone(c, &tm);
        time_date_sep(c);
        skip_weekday(c);
        dt d;
        memset(&d, 0, sizeof d);
        if (parse_date(c, &d, compact) && !d.has_time) {
            *t = tm;
            t->y = d.y;
            t->mo = d.mo;
            t->d = d.d;
            t->ambig = d.ambig;
            american_order(t);
            return 1;
        }
    }
    c->i = save;
    return 0;
}

static int64_t to_epoch(const dt *t)
{
    int64_t s = days_from_civil(t->y, t->mo, t->d) * 86400 + t->h * 3600 + t->mi * 60 + t->sec;
    if (t->zone == ZONE_FIXED) s -= t->off;
    if (t->zone == ZONE_US) s -= t->off + (us_dst(t->y, t->mo, t->d, t->h) ? 3600 : 0);
    return s;
}

/* Labels before a date: "Published", "Updated:", "Last updated on",
 * "Veröffentlicht am", "Publié le", "Publicado el". */
static void skip_labels(cur *c, const char *const *words)
{
    static const char *const puncts[] = {
        ":", "|", "-", "\xc2\xb7", "\xe2\x80\xa2", "\xe2\x80\x93", "\xe2\x80\x94", NULL};
    for (;;) {
        size_t i0 = c->i;
        skip_ws(c);
        size_t i1 = c->i;
        if (match_list(c, words) < 0) {
            for (int k = 0; puncts[k]; k++)
                if (lit(c, puncts[k])) break;
        }
        if (c->i == i1) {
            c->i = i0;
            break;
        }
    }
    skip_ws(c);
    /* Any short label ending in a colon: "Fecha de publicación:". */
    size_t k = c->i;
    for (int w = 0; w < 5; w++) {
        char buf[24];
        size_t len = word_at(c, buf, sizeof buf);
        if (!len) break;
        c->i += len;
        skip_ws(c);
        if (lit(c, ":")) {
            skip_ws(c);
            return;
        }
    }
    c->i = k;
}

/* clang-format off */
static const char *const date_labels[] = {
    "published", "updated", "posted", "modified", "created", "last", "first", "originally",
    "date", "dated", "on", "at", "publication", "released", "ver\xc3\xb6\x66\x66\x65ntlicht",
    "aktualisiert", "zuletzt", "stand", "am", "publi\xc3\xa9", "publie", "mis", "\xc3\xa0",
    "jour", "le", "publicado", "actualizado", "el", "pubblicato", "aggiornato", "il",
    "atualizado", "em", "gepubliceerd", "bijgewerkt", "op", "laatst", NULL};
/* clang-format on */

/* What may follow a complete date: nothing but punctuation, or another
 * segment of a dateline ("| Updated ...", "· 5 min read"). */
static int rest_ok(cur *c)
{
    skip_ws(c);
    while (c->i < c->n && c->s[c->i] && strchr(".,;)]", c->s[c->i])) {
        c->i++;
        skip_ws(c);
    }
    if (c->i >= c->n) return 1;
    static const char *const puncts[] = {"|", "\xc2\xb7", "\xe2\x80\xa2", "(", NULL};
    for (int k = 0; puncts[k]; k++)
        if (lit(c, puncts[k])) return 1;
    static const char *const words[] = {"updated",    "modified",    "last",       "aktualisiert",
                                        "mis",        "actualizado", "aggiornato", "atualizado",
                                        "bijgewerkt", NULL};
    return match_list(c, words) >= 0;
}

/* The zone of a parsed date as seconds east of UTC, or ND_ZONE_NONE. */
static int zone_offset(const dt *t)
{
    if (t->zone == ZONE_FIXED) return t->off;
    if (t->zone == ZONE_US) return t->off + (us_dst(t->y, t->mo, t->d, t->h) ? 3600 : 0);
    return ND_ZONE_NONE;
}

int nd_time_parse_zone(const char *s, size_t n, int64_t *ts, int *has_time, int *offset)
{
    if (!s || !ts) return ND_EPARSE;
    cur c = {(const unsigned char *) s, n, 0};
    skip_labels(&c, date_labels);
    dt t;
    if (!parse_expr(&c, &t, 1) || is_alnum(get(&c, 0)) || !rest_ok(&c)) return ND_EPARSE;
    *ts = to_epoch(&t);
    if (has_time) *has_time = t.has_time;
    if (offset) *offset = zone_offset(&t);
    return 0;
}

int nd_time_parse(const char *s, size_t n, int64_t *ts, int *has_time)
{
    return nd_time_parse_zone(s, n, ts, has_time, NULL);
}

int nd_time_find_zone(const char *s, size_t n, int64_t *ts, int *has_time, int *offset,
                      size_t *start, size_t *end)
{
    if (!s || !ts) return ND_EPARSE;
    const unsigned char *p = (const unsigned char *) s;
    for (size_t i = 0; i < n; i++) {
        /* A date starts at a word: ASCII, or a Latin letter ("Şubat"). */
        int letter = is_alnum(p[i]) || (p[i] >= 0xC3 && p[i] <= 0xC5);
        if (!letter || (i > 0 && (is_alnum(p[i - 1]) || p[i - 1] >= 0x80))) continue;
        cur c = {p, n, i};
        if (!is_digit(p[i])) { /* a word starts a date only as a month or weekday */
            char buf[24];
            if (!word_at(&c, buf, sizeof buf) || !name_lookup(buf, -1)) continue;
        }
        dt t;
        if (!parse_expr(&c, &t, 0) || is_alnum(get(&c, 0))) continue;
        /* Leave out trailing white space and an unused separator. */
        size_t e = c.i;
        while (e > i && (p[e - 1] == ' ' || p[e - 1] == '\t')) e--;
        *ts = to_epoch(&t);
        if (has_time) *has_time = t.has_time;
        if (offset) *offset = zone_offset(&t);
        if (start) *start = i;
        if (end) *end = e;
        return 0;
    }
    return ND_EPARSE;
}

int nd_time_find(const char *s, size_t n, int64_t *ts, int *has_time, size_t *start, size_t *end)
{
    return nd_time_find_zone(s, n, ts, has_time, NULL, start, end);
}

/* ---- ages ---------------------------------------------------------------- */

/* Match a phrase (lowercase ASCII, spaces standing for any white space)
 * as whole words. */
static int match_phrase(cur *c, const char *ph)
{
    size_t save = c->i;
    for (const char *q = ph; *q; q++) {
        if (*q == ' ') {
            if (!skip_ws(c)) goto fail;
            continue;
        }
        if (c->i >= c->n || lower(c->s[c->i]) != (unsigned char) *q) goto fail;
        c->i++;
    }
    if (is_alnum(get(c, 0)) || get(c, 0) >= 0x80) goto fail;
    return 1;
fail:
    c->i = save;
    return 0;
}

/* clang-format off */
static const struct {
    const char *phrase;
    int64_t secs;
    int day; /* names a day, so a time of day may follow */
} age_phrases[] = {
    {"just now", 0, 0}, {"right now", 0, 0}, {"now", 0, 0}, {"moments ago", 0, 0},
    {"a moment ago", 0, 0}, {"a few seconds ago", 0, 0}, {"few seconds ago", 0, 0},
    {"seconds ago", 0, 0}, {"today", 0, 1}, {"yesterday", 86400, 1},
    {"last week", 7 * 86400, 0}, {"last month", 30 * 86400, 0}, {"last year", 365 * 86400, 0},
    {"gerade eben", 0, 0}, {"soeben", 0, 0}, {"heute", 0, 1}, {"gestern", 86400, 1},
    {"vorgestern", 2 * 86400, 1}, {"hier", 86400, 1}, {"aujourd'hui", 0, 1},
    {"ahora mismo", 0, 0}, {"ahora", 0, 0}, {"hoy", 0, 1}, {"ayer", 86400, 1},
    {"anteayer", 2 * 86400, 1}, {"adesso", 0, 0}, {"oggi", 0, 1}, {"ieri", 86400, 1},
    {"agora", 0, 0}, {"hoje", 0, 1}, {"ontem", 86400, 1}, {"zojuist", 0, 0},
    {"vandaag", 0, 1}, {"gisteren", 86400, 1}, {NULL, 0, 0}};
/* clang-format on */

/* clang-format off */
static const struct {
    const char *w;
    int secs;
} age_units[] = {
    {"s", 1}, {"sec", 1}, {"secs", 1}, {"second", 1}, {"seconds", 1}, {"sekunde", 1},
    {"sekunden", 1}, {"seconde", 1}, {"secondes", 1}, {"seconden", 1}, {"segundo", 1},
    {"segundos", 1}, {"secondo", 1}, {"secondi", 1},
    {"m", 60}, {"min", 60}, {"mins", 60}, {"minute", 60}, {"minutes", 60}, {"minuten", 60},
    {"minuto", 60}, {"minutos", 60}, {"minuti", 60}, {"minuut", 60},
    {"h", 3600}, {"hr", 3600}, {"hrs", 3600}, {"hour", 3600}, {"hours", 3600},
    {"stunde", 3600}, {"stunden", 3600}, {"std", 3600}, {"heure", 3600}, {"heures", 3600},
    {"hora", 3600}, {"horas", 3600}, {"ora", 3600}, {"ore", 3600}, {"uur", 3600},
    {"d", 86400}, {"day", 86400}, {"days", 86400}, {"tag", 86400}, {"tage", 86400},
    {"tagen", 86400}, {"jour", 86400}, {"jours", 86400}, {"d\xc3\xad\x61", 86400},
    {"dia", 86400}, {"d\xc3\xad\x61s", 86400}, {"dias", 86400}, {"giorno", 86400},
    {"giorni", 86400}, {"dag", 86400}, {"dagen", 86400},
    {"w", 604800}, {"wk", 604800}, {"wks", 604800}, {"week", 604800}, {"weeks", 604800},
    {"woche", 604800}, {"wochen", 604800}, {"semaine", 604800}, {"semaines", 604800},
    {"semana", 604800}, {"semanas", 604800}, {"settimana", 604800}, {"settimane", 604800},
    {"weken", 604800},
    {"mo", 2592000}, {"mos", 2592000}, {"mth", 2592000}, {"mths", 2592000},
    {"month", 2592000}, {"months", 2592000}, {"monat", 2592000}, {"monate", 2592000},
    {"monaten", 2592000}, {"mois", 2592000}, {"mes", 2592000}, {"meses", 2592000},
    {"mese", 2592000}, {"mesi", 2592000}, {"m\xc3\xaas", 2592000}, {"maand", 2592000},
    {"maanden", 2592000},
    {"y", 31536000}, {"yr", 31536000}, {"yrs", 31536000}, {"year", 31536000},
    {"years", 31536000}, {"jahr", 31536000}, {"jahre", 31536000}, {"jahren", 31536000},
    {"an", 31536000}, {"ans", 31536000}, {"ann\xc3\xa9\x65", 31536000},
    {"ann\xc3\xa9\x65s", 31536000}, {"a\xc3\xb1o", 31536000}, {"a\xc3\xb1os", 31536000},
    {"anno", 31536000}, {"anni", 31536000}, {"ano", 31536000}, {"anos", 31536000},
    {"jaar", 31536000}, {"jaren", 31536000}, {NULL, 0}};
/* clang-format on */

/* clang-format off */
static const struct {
    const char *w;
    int n;
} number_words[] = {
    {"a few", 3}, {"few", 3}, {"several", 3}, {"a couple of", 2}, {"a", 1}, {"an", 1},
    {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6},
    {"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12},
    {"ein", 1}, {"eine", 1}, {"einem", 1}, {"einer", 1}, {"einen", 1}, {"zwei", 2},
    {"drei", 3}, {"un", 1}, {"une", 1}, {"una", 1}, {"uno", 1}, {"um", 1}, {"uma", 1},
    {"een", 1}, {NULL, 0}};
/* clang-format on */

int nd_time_parse_age(const char *s, size_t n, int64_t now, int64_t *ts)
{
    static const char *const labels[] = {"updated",
                                         "published",
                                         "posted",
                                         "modified",
                                         "created",
                                         "aktualisiert",
                                         "ver\xc3\xb6\x66\x66\x65ntlicht",
                                         "publi\xc3\xa9",
                                         "publie",
                                         "mis",
                                         "\xc3\xa0",
                                         "jour",
                                         "publicado",
                                         "actualizado",
                                         "pubblicato",
                                         "aggiornato",
                                         "atualizado",
                                         "gepubliceerd",
                                         "bijgewerkt",
                                         NULL};
    if (!s || !ts) return ND_EPARSE;
    cur c = {(const unsigned char *) s, n, 0};
    skip_labels(&c, labels);
    for (int k = 0; age_phrases[k].phrase; k++) {
        size_t save = c.i;
        if (!match_phrase(&c, age_phrases[k].phrase)) continue;
        size_t after = c.i;
        if (rest_ok(&c)) {
            *ts = now - age_phrases[k].secs;
            return 0;
        }
        /* "Yesterday at 14:03", "today, 9:30 AM EST": that day, at that
         * time (UTC unless a zone is given). */
        c.i = after;
        dt t;
        memset(&t, 0, sizeof t);
        if (age_phrases[k].day) {
            date_time_sep(&c);
            if (parse_time(&c, &t)) {
                parse_zone(&c, &t);
                if (rest_ok(&c)) {
                    int64_t y, day = now - age_phrases[k].secs;
                    day = (day >= 0 ? day : day - 86399) / 86400;
                    civil_from_days(day, &y, &t.mo, &t.d);
                    t.y = (int) y;
                    *ts = to_epoch(&t);
                    return 0;
                }
            }
        }
        c.i = save;
    }
    /* Quantities: "2 hours ago", "1h 30m", "vor 3 Tagen", "il y a 2 jours",
     * "hace 5 minutos", "há 2 dias", "2 ore fa", "3 dagen geleden". */
    static const char *const before[] = {"vor", "il y a", "hace", "h\xc3\xa1", "ha", NULL};
    for (int k = 0; before[k]; k++)
        if (match_phrase(&c, before[k])) break;
    int64_t total = 0;
    int parts = 0;
    for (;;) {
        size_t save = c.i;
        skip_ws(&c);
        if (parts) {
            static const char *const joins[] = {"and", "und", "et", "y", "e", "en", NULL};
            lit(&c, ",");
            skip_ws(&c);
            if (match_list(&c, joins) >= 0) skip_ws(&c);
        }
        int q = -1;
        if (is_digit(get(&c, 0))) {
            if (read_num(&c, &q) > 6) return ND_EPARSE;
        } else {
            for (int k = 0; number_words[k].w; k++)
                if (match_phrase(&c, number_words[k].w)) {
                    q = number_words[k].n;
                    break;
                }
        }
        if (q < 0) {
            c.i = save;
            break;
        }
        skip_ws(&c);
        char buf[24];
        size_t len = word_at(&c, buf, sizeof buf);
        int unit = 0;
        for (int k = 0; len && age_units[k].w; k++)
            if (strcmp(buf, age_units[k].w) == 0) unit = age_units[k].secs;
        if (!unit) {
            if (!parts) return ND_EPARSE;
            c.i = save;
            break;
        }
        c.i += len;
        if (get(&c, 0) == '.') c.i++;
        total += (int64_t) q * unit;
        parts++;
    }
    if (!parts) return ND_EPARSE;
    skip_ws(&c);
    static const char *const after[] = {"ago",   "fa",   "geleden", "atr\xc3\xa1s",
                                        "atras", "back", NULL};
    match_list(&c, after);
    if (is_alnum(get(&c, 0)) || !rest_ok(&c)) return ND_EPARSE;
    *ts = now - total;
    return 0;
}

/* ---- formatting ------------------------------------------------------------ */

void nd_time_format(int64_t ts, int date_only, char out[32])
{
    nd_time_format_zone(ts, date_only, ND_ZONE_NONE, out);
}

void nd_time_format_zone(int64_t ts, int date_only, int offset, char out[32])
{
    int zoned = offset != ND_ZONE_NONE && offset > -86400 && offset < 86400;
    if (zoned) ts += offset; /* the wall clock of that zone */
    int64_t days = ts / 86400, secs = ts % 86400, y;
    if (secs < 0) secs += 86400, days--;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    /* ISO 8601's four-digit years: a time beyond them (a corrupt or
     * crafted value) is written as the nearest one that fits, never cut. */
    if (y < 0) y = 0, m = 1, d = 1, secs = 0;
    if (y > 9999) y = 9999, m = 12, d = 31, secs = 86399;
    int h = (int) (secs / 3600), mi = (int) (secs / 60 % 60), s = (int) (secs % 60);
    if (date_only) {
        snprintf(out, 32, "%04lld-%02d-%02d", (long long) y, m, d);
    } else if (!zoned) {
        snprintf(out, 32, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long) y, m, d, h, mi, s);
    } else {
        int a = offset < 0 ? -offset : offset;
        snprintf(out, 32, "%04lld-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", (long long) y, m, d, h, mi,
                 s, offset < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    }
}
