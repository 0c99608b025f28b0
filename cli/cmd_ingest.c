/* cmd_ingest.c - `newsdesk ingest`: inputs of any shape into the store. */
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
    "      --idle-ms N     a live input (a pipe) quiet for N ms with its pages\n"
    "                      stored: the stories are re-examined as at the end\n"
    "                      of a run, and the run goes on (default 5000; 0:\n"
    "                      never)\n"
    "      --no-analysis   do not find actors, quotations and events (newsdesk\n"
    "                      reanalyze does it later)\n"
    "      --max-bytes N   largest page accepted (default 64 MiB)\n"
    "      --no-optimize   do not rewrite the full-text indexes at the end (a\n"
    "                      run that added 1,000 documents or more and a 16th of\n"
    "                      the store does, when the store has doubled since the\n"
    "                      last rewrite: newsdesk optimize)\n"
    "  -L, --follow-symlinks  read what symbolic links inside folders point to\n"
    "                      (a folder is entered once however many links lead\n"
    "                      to it); links given by name are always followed\n"
    "  -q, --quiet         no progress line, even on a terminal\n"
    "      --cpu           before the summary, a line with the CPU the run took\n"
    "                      and how its threads shared it (workers, writer,\n"
    "                      readers, checkpoints, the rest)\n"
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
    char files[32], total[32], pages[32], rate[32], errs[32], line[256];
    double s = st->seconds > 0.001 ? st->seconds : 0.001;
    double mbs = (double) st->bytes / 1e6 / s;
    int n = snprintf(line, sizeof line, "%s/%s files  %s pages  %s pages/s  %.1f MB/s  %s errors",
                     cli_num(files, st->inputs), cli_num(total, st->total_inputs),
                     cli_num(pages, st->pages), cli_rate(rate, (double) st->pages, s), mbs,
                     cli_num(errs, st->errors));
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

/* The summary line: one number format throughout, plurals right, the
 * files passed over for their name and why. */
static void summary(const nd_ingest_stats *st, int failed, int follow)
{
    char pages[64], rate[32], stored[32], ver[64], rel[32], dup[64], rec[64], err[64];
    double s = st->seconds > 0.001 ? st->seconds : 0.001;
    uint64_t records = st->skipped - (st->skipped_files <= st->skipped ? st->skipped_files : 0);
    printf("%s in %.2f s (%s pages/s, %.1f MB/s): %s stored, %s, %s related, %s skipped,"
           " %s skipped, %s",
           cli_count(pages, st->pages, "page", "pages"), st->seconds,
           cli_rate(rate, (double) st->pages, s), (double) st->bytes / 1e6 / s,
           cli_num(stored, st->added), cli_count(ver, st->versions, "new version", "new versions"),
           cli_num(rel, st->related), cli_count(dup, st->duplicates, "duplicate", "duplicates"),
           cli_count(rec, records, "record", "records"),
           cli_count(err, st->errors, "error", "errors"));
    if (st->skipped_files) {
        char f[64];
        printf("; %s not read (README, .json, .css, images...: not pages by their names)",
               cli_count(f, st->skipped_files, "file", "files"));
    }
    if (st->links_skipped) {
        char l[64];
        cli_count(l, st->links_skipped, "symbolic link", "symbolic links");
        printf(follow ? "; %s in folders leading nowhere"
                      : "; %s in folders not followed (-L follows them)",
               l);
    }
    if (st->optimized == 1) printf("; full-text indexes rewritten in %.2f s", st->optimize_seconds);
    printf("%s\n", failed ? " (stopped by the error above)" : stop_flag ? " (interrupted)" : "");
    fflush(stdout);
}

/* --cpu: the run's CPU by kind of thread, each thread's own clock. */
static void cpu_line(const nd_ingest_stats *st)
{
    double all =
        st->cpu_workers + st->cpu_writer + st->cpu_readers + st->cpu_checkpoints + st->cpu_caller;
    printf("CPU: %.3f s", all);
    if (st->pages) printf(" (%.2f ms a page)", 1000 * all / (double) st->pages);
    printf(": workers %.3f s, writer %.3f s, readers %.3f s, checkpoints %.3f s, the rest %.3f s\n",
           st->cpu_workers, st->cpu_writer, st->cpu_readers, st->cpu_checkpoints, st->cpu_caller);
}

int cmd_ingest(int argc, char **argv)
{
    static const cli_opt opts[] = {CLI_OPT_DB,
                                   {"jobs", 'j', 1, 'j'},
                                   {"fetched", 0, 1, 'F'},
                                   {"batch", 0, 1, 'B'},
                                   {"max-bytes", 0, 1, 'M'},
                                   {"idle-ms", 0, 1, 'I'},
                                   {"quiet", 'q', 0, 'q'},
                                   {"cpu", 0, 0, 'C'},
                                   {"no-analysis", 0, 0, 'A'},
                                   {"no-optimize", 0, 0, 'O'},
                                   {"follow-symlinks", 'L', 0, 'L'},
                                   CLI_OPT_HELP,
                                   CLI_OPT_END};
    nd_ingest_opts o;
    nd_ingest_opts_init(&o);
    int quiet = 0, cpu = 0, id;
    long long v;
    cli_args a;
    cli_args_init(&a, "ingest", usage_text, opts, argc, argv);
    while ((id = cli_next(&a)) > 0) {
        switch (id) {
        case 'j':
            if (cli_parse_count(a.value, 1, 256, &v))
                return cli_args_fail(&a, "-j: not a number of threads (1-256): '%s'", a.value);
            o.threads = (int) v;
            break;
        case 'F': {
            long long ts;
            if (cli_parse_time(a.value, &ts))
                return cli_args_fail(&a, "--fetched: cannot read time '%s'", a.value);
            o.fetched = ts;
            break;
        }
        case 'B':
            if (cli_parse_count(a.value, 1, 1000000, &v))
                return cli_args_fail(&a, "--batch: not a count: '%s'", a.value);
            o.batch_docs = (size_t) v;
            break;
        case 'I':
            if (cli_parse_count(a.value, 0, 86400000, &v))
                return cli_args_fail(&a, "--idle-ms: not a number of milliseconds: '%s'", a.value);
            o.idle_ms = v ? (int) v : -1;
            break;
        case 'M':
            if (cli_parse_count(a.value, 1, (long long) 1 << 40, &v))
                return cli_args_fail(&a, "--max-bytes: not a size: '%s'", a.value);
            o.reader.max_record = (size_t) v;
            break;
        case 'q': quiet = 1; break;
        case 'C': cpu = 1; break;
        case 'A': o.no_analysis = 1; break;
        case 'O': o.no_optimize = 1; break;
        case 'L': o.reader.follow_symlinks = 1; break;
        }
    }
    if (id < 0 || cli_args_count(&a, 1, -1, "INPUT (files, folders, or - for stdin)"))
        return cli_args_exit(&a);
    int n_stdin = 0;
    for (int i = 0; i < a.n_pos; i++) n_stdin += !strcmp(a.pos[i], "-");
    if (n_stdin > 1) return cli_args_fail(&a, "'-' (stdin) given more than once");

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

    const char *path = cli_db_path(a.db);
    nd_ingest_stats st;
    memset(&st, 0, sizeof st);
    nd_error err = {0};
    int n_inputs = a.n_pos;
    /* the input named in "no pages found" (a.pos is freed below) */
    char first[256];
    snprintf(first, sizeof first, "%s", a.n_pos == 1 ? a.pos[0] : "");
    int rc = nd_ingest(path, (const char *const *) a.pos, (size_t) a.n_pos, &o, &st, &err);
    cli_args_free(&a);
    signal(SIGINT, SIG_DFL);
    if (p.drawn) fputs("\r\033[K", stderr);
    if (rc) {
        cli_error(NULL, "%s", err.msg[0] ? err.msg : nd_strerror(rc));
        /* a run that got going (a disk that filled up) still says what it did */
        if (!st.inputs && !st.pages) return ND_EXIT_SOME_FAILED;
    }
    if (cpu) cpu_line(&st);
    summary(&st, rc != 0, o.reader.follow_symlinks);
    if (rc) return ND_EXIT_SOME_FAILED;
    if (st.pages == 0 && st.errors == 0 && !stop_flag) {
        /* Nothing happened: say so and why (and exit 1), rather than a quiet 0. */
        char why[128] = "", links[64];
        if (st.links_skipped)
            snprintf(why, sizeof why,
                     o.reader.follow_symlinks ? " (%s leading nowhere)"
                                              : " (%s not followed: -L follows them)",
                     cli_count(links, st.links_skipped, "symbolic link", "symbolic links"));
        else if (st.skipped_files)
            snprintf(why, sizeof why, " (the files there are not pages by their names)");
        if (n_inputs == 1 && strcmp(first, "-") != 0)
            cli_error(NULL, "%s: no pages found%s", first, why);
        else
            cli_error(NULL, "no pages found in the input%s%s", n_inputs > 1 ? "s" : "", why);
        return ND_EXIT_SOME_FAILED;
    }
    return st.errors || stop_flag ? ND_EXIT_SOME_FAILED : ND_EXIT_OK;
}
