/* cmd_ingest.c - `newsdesk ingest`: inputs of any shape into the store. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: newsdesk ingest [OPTIONS] INPUT...\n"
    "\n"
    "Read pages into the store: HTML or text files, folders (recursively),\n"
    "WARC and WARC.gz files, JSON lines ({\"id\", \"url\", \"html\"|\"text\", ...}),\n"
    "or - for stdin.  Pages stored before are skipped; a changed page at the\n"
    "same URL becomes a new version; related articles embedded in a page\n"
    "become documents of their own.\n"
    "\n"
    "      --db PATH       the store (default $NEWSDESK_DB, else ./newsdesk.db)\n"
    "  -j, --jobs N        extraction threads (default: the number of cores)\n"
    "      --fetched TIME  fetch time for pages that do not say (ISO 8601 or\n"
    "                      @epoch): resolves ages such as \"2 hours ago\"\n"
    "      --batch N       documents per transaction (default 200)\n"
    "      --no-analysis   do not find actors, quotations and events (newsdesk\n"
    "                      reanalyze does it later)\n"
    "      --max-bytes N   largest page accepted (default 64 MiB)\n"
    "  -q, --quiet         no progress line, even on a terminal\n"
    "  -h, --help          this text\n"
    "\n"
    "On a terminal a progress line is shown on stderr.  Each failed input is\n"
    "one line on stderr (newsdesk: SOURCE[@OFFSET|:LINE]: reason) and is\n"
    "recorded (newsdesk errors); a summary line ends the run on stdout.\n"
    "Exit status: 0 everything went in, 1 some inputs failed, 2 usage error.\n";

typedef struct progress {
    int tty;   /* draw the progress line */
    int drawn; /* a progress line is on screen */
    int width;
} progress;

static volatile sig_atomic_t stop_flag;

static void on_sigint(int sig)
{
    (void) sig;
    stop_flag = 1;
    /* A second Ctrl-C ends at once: committed batches are safe anyway. */
    signal(SIGINT, SIG_DFL);
}

static int stderr_width(void)
{
    struct winsize ws;
    if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

static void human_count(char *out, size_t n, uint64_t v)
{
    /* 1234567 -> "1,234,567" */
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long) v);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0) out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = 0;
}

static void on_error(void *ctx, const nd_ingest_error *e)
{
    progress *p = ctx;
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        p->drawn = 0;
    }
    cli_error(NULL, "%s", e->message);
}

static void on_progress(void *ctx, const nd_ingest_stats *st)
{
    progress *p = ctx;
    if (!p->tty) return;
    char pages[32], line[256];
    human_count(pages, sizeof pages, st->pages);
    double s = st->seconds > 0.001 ? st->seconds : 0.001;
    double mbs = (double) st->bytes / 1e6 / s;
    int n = snprintf(line, sizeof line,
                     "%llu/%llu files  %s pages  %.0f pages/s  %.1f MB/s  %llu errors",
                     (unsigned long long) st->inputs, (unsigned long long) st->total_inputs, pages,
                     (double) st->pages / s, mbs, (unsigned long long) st->errors);
    if (st->total_bytes > st->bytes && st->bytes > 0 && n > 0 && (size_t) n < sizeof line) {
        double eta = (double) (st->total_bytes - st->bytes) / ((double) st->bytes / s);
        int pct = (int) (100.0 * (double) st->bytes / (double) st->total_bytes);
        snprintf(line + n, sizeof line - (size_t) n, "  %d%%  ETA %d:%02d", pct, (int) eta / 60,
                 (int) eta % 60);
    }
    fputs("\r\033[K", stderr);
    cli_print_cut(stderr, line, p->width - 1, 0);
    fflush(stderr);
    p->drawn = 1;
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'D'},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {"fetched", required_argument, NULL, 'F'},
                                             {"batch", required_argument, NULL, 'B'},
                                             {"max-bytes", required_argument, NULL, 'M'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"no-analysis", no_argument, NULL, 'A'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *db = NULL;
    nd_ingest_opts o;
    nd_ingest_opts_init(&o);
    int quiet = 0, c;
    long long v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'j':
            if (cli_parse_count(optarg, 1, 256, &v))
                return cli_usage_error("ingest: -j: not a number of threads (1-256): '%s'", optarg);
            o.threads = (int) v;
            break;
        case 'F': {
            long long ts;
            if (cli_parse_time(optarg, &ts))
                return cli_usage_error("ingest: --fetched: cannot read time '%s'", optarg);
            o.fetched = ts;
            break;
        }
        case 'B':
            if (cli_parse_count(optarg, 1, 1000000, &v))
                return cli_usage_error("ingest: --batch: not a count: '%s'", optarg);
            o.batch_docs = (size_t) v;
            break;
        case 'M':
            if (cli_parse_count(optarg, 1, (long long) 1 << 40, &v))
                return cli_usage_error("ingest: --max-bytes: not a size: '%s'", optarg);
            o.reader.max_record = (size_t) v;
            break;
        case 'q': quiet = 1; break;
        case 'A': o.no_analysis = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return ND_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return ND_EXIT_USAGE;
    }
    int n_stdin = 0;
    for (int i = optind; i < argc; i++) n_stdin += !strcmp(argv[i], "-");
    if (n_stdin > 1) return cli_usage_error("ingest: '-' (stdin) given more than once");

    progress p = {0};
    p.tty = !quiet && isatty(2);
    p.width = p.tty ? stderr_width() : 0;
    o.on_error = on_error;
    o.on_progress = on_progress;
    o.ctx = &p;
    o.stop = &stop_flag;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);

    const char *path = cli_db_path(db);
    nd_ingest_stats st;
    nd_error err = {0};
    int rc = nd_ingest(path, (const char *const *) argv + optind, (size_t) (argc - optind), &o, &st,
                       &err);
    signal(SIGINT, SIG_DFL);
    if (p.drawn) fputs("\r\033[K", stderr);
    if (rc) {
        cli_error(NULL, "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        return ND_EXIT_SOME_FAILED;
    }
    char pages[32];
    human_count(pages, sizeof pages, st.pages);
    double s = st.seconds > 0.001 ? st.seconds : 0.001;
    printf("%s page%s in %.2f s (%.0f pages/s, %.1f MB/s): %llu stored, %llu new versions,"
           " %llu related, %llu duplicates skipped, %llu records skipped, %llu errors%s\n",
           pages, st.pages == 1 ? "" : "s", st.seconds, (double) st.pages / s,
           (double) st.bytes / 1e6 / s, (unsigned long long) st.added,
           (unsigned long long) st.versions, (unsigned long long) st.related,
           (unsigned long long) st.duplicates, (unsigned long long) st.skipped,
           (unsigned long long) st.errors, stop_flag ? " (interrupted)" : "");
    fflush(stdout);
    return st.errors || stop_flag ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
