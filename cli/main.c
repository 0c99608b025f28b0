/* main.c - newsdesk's command dispatcher. */
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
#define ND__CMDROW(name, summary) {#name, cmd_##name, summary},
    ND_COMMANDS(ND__CMDROW)
#undef ND__CMDROW
};

static void usage(FILE *f)
{
    fprintf(f, "usage: newsdesk COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'newsdesk COMMAND --help' describes a command.  newsdesk %s\n", nd_version());
}

int main(int argc, char **argv)
{
    /* A closed pipe (newsdesk ... | head) ends output quietly. */
    signal(SIGPIPE, SIG_IGN);
    nd_store_on_migrate(cli_note_migration);
    if (argc < 2) {
        usage(stderr);
        return ND_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("newsdesk %s\n", nd_version());
        return 0;
    }
    const char *names[sizeof commands / sizeof *commands];
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (!strcmp(cmd, commands[i].name)) return commands[i].fn(argc - 1, argv + 1);
        names[i] = commands[i].name;
    }
    const char *m = cli_closest(cmd, names, sizeof names / sizeof *names);
    if (m) return cli_usage(NULL, "unknown command '%s' (did you mean %s?)", cmd, m);
    return cli_usage(NULL, "unknown command '%s'", cmd);
}
