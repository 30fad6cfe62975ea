/*
 * main.c - kbwizard's entry point: global options, the command table (the
 * single source of dispatch and of --help), and helpers the commands share.
 */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "text.h"

typedef struct command {
    const char *name, *args, *summary;
    int (*fn)(cli *c, int argc, char **argv);
} command;

static const command commands[] = {
    {"list", "[--json]", "list the articles (ID<TAB>TITLE per line)", cmd_list},
    {"lint", "[PATH...]", "validate kbdata files or directories; errors as FILE:LINE: message",
     cmd_lint},
    {"checklist", "ID [--method M] [--format md|json]",
     "print a blank printable checklist of a method", cmd_checklist},
    {"run", "ID (--guided|--lab) [--method M] [--seed N] [--json] (--script FILE|-|--auto)\n"
            "      [--journal FILE | --new-session | --resume SESSION|JOURNAL]",
     "run a session headless from a script, printing each step and the diagram", cmd_run},
    {"guided", "ID [--method M] [--plain]", "start a guided session on an article", cmd_guided},
    {"lab", "ID [--method M] [--seed N] [--plain]", "start a lab session on an article", cmd_lab},
    {"schema", "", "print the kbdata schema document (kbdata/SCHEMA.md)", cmd_schema},
    {"sessions", "", "list the recorded sessions, unfinished first", cmd_sessions},
    {"export", "SESSION|JOURNAL [--format md|html|json|csv] [-o FILE] [--force]",
     "export the sign-off record of a session", cmd_export},
    {"verify-signoff", "FILE [--expect-head N:HASH]",
     "check the hash chain of a journal or JSON export (exit 1 names the first bad record)",
     cmd_verify},
    {"signoff", "SESSION|JOURNAL [--name NAME] [--countersign NAME]",
     "sign off a session's record, and countersign it (two-person rule)", cmd_signoff},
};
#define NCOMMANDS (int)(sizeof commands / sizeof commands[0])

int usage_error(const char *fmt, ...)
{
    char msg[1024], clean[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    text_sanitize(msg, clean, sizeof clean, false);
    fprintf(stderr, "kbwizard: %s\n", clean);
    return EXIT_USAGE;
}

void out_clean(FILE *f, const char *s)
{
    char buf[8192];
    text_sanitize(s, buf, sizeof buf, false);
    fputs(buf, f);
}

void cli_print_diags(const kb_diags *d)
{
    for (int i = 0; i < d->n; i++) {
        out_clean(stderr, d->v[i].file);
        if (d->v[i].line > 0)
            fprintf(stderr, ":%d", d->v[i].line);
        fputs(": ", stderr);
        out_clean(stderr, d->v[i].msg);
        fputc('\n', stderr);
    }
    if (d->dropped)
        fprintf(stderr, "kbwizard: %d more error(s) not shown\n", d->dropped);
}

kb_library *cli_library(cli *c)
{
    static kb_library lib;
    static kb_diags d;
    const char *dir = kbfiles_dir(c->kbdata);
    if (kbfiles_library(dir, &lib, &d) != 0) {
        cli_print_diags(&d);
        fprintf(stderr, "kbwizard: the procedure library in %s has errors; run 'kbwizard lint'\n",
                dir);
        kbfiles_library_free(&lib);
        return NULL;
    }
    return &lib;
}

const kb_article *cli_article(kb_library *lib, const char *id)
{
    for (int i = 0; i < lib->n; i++)
        if (strcmp(lib->v[i]->id, id) == 0)
            return lib->v[i];
    usage_error("no article \"%s\" (kbwizard list shows them)", id);
    return NULL;
}

static void help(FILE *f)
{
    fputs("Usage: kbwizard [OPTIONS] [COMMAND [ARGS]]\n"
          "Walk the workarounds of Microsoft KB articles on Exchange and IIS clusters,\n"
          "step by step, beside a simulated cluster.\n\nCommands:\n", f);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %s%s%s\n      %s\n", commands[i].name, *commands[i].args ? " " : "",
                commands[i].args, commands[i].summary);
    fputs("\nWithout a command: the interactive wizard (article picker); without a\n"
          "terminal, the list of articles.\n\n"
          "Options:\n  --kbdata DIR    read articles from DIR (default: $KBWIZARD_KBDATA, the\n"
          "                  build tree, then " KBWIZARD_PKGDATADIR ")\n"
          "  --no-color      no colours (also NO_COLOR=1)\n"
          "  --ascii         ASCII line drawing (automatic without a UTF-8 locale)\n"
          "  --no-animation  show changes at once\n"
          "  --plain         line-by-line guided/lab sessions (serial consoles, screen readers)\n"
          "  --help          show this help\n  --version       show the version\n\n"
          "Exit status: 0 success, 1 a check failed (lint errors, a refused gate,\n"
          "a failed assertion, a goal not reached), 2 usage, I/O or data errors.\n", f);
}

static int no_command(cli *c)
{
    if (!c->plain && !term_unusable())
        return tui_picker(c);
    char *argv[] = {"list", NULL};
    int rc = cmd_list(c, 1, argv);
    if (rc == 0)
        puts("\nRun one headless, e.g.:\n"
             "  kbwizard run 889528 --lab --method clustered --auto\n"
             "  kbwizard checklist 889528 --method clustered\n"
             "See 'kbwizard --help' and 'man kbwizard'.");
    return rc;
}

int main(int argc, char **argv)
{
    cli c = {NULL, argv[0], {false, false, false}, false};
    int i = 1;
    setlocale(LC_CTYPE, "");
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            help(stdout);
            return EXIT_OKAY;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("kbwizard %s\n", PACKAGE_VERSION);
            return EXIT_OKAY;
        } else if (strcmp(argv[i], "--kbdata") == 0 && i + 1 < argc) {
            c.kbdata = argv[++i];
        } else if (strcmp(argv[i], "--no-color") == 0) {
            c.topts.no_color = true;
        } else if (strcmp(argv[i], "--ascii") == 0) {
            c.topts.ascii = true;
        } else if (strcmp(argv[i], "--no-animation") == 0) {
            c.topts.no_animation = true;
        } else if (strcmp(argv[i], "--plain") == 0) {
            c.plain = true;
        } else {
            return usage_error("unknown option %s (try --help)", argv[i]);
        }
    }
    if (i == argc)
        return no_command(&c);
    for (int k = 0; k < NCOMMANDS; k++)
        if (strcmp(commands[k].name, argv[i]) == 0)
            return commands[k].fn(&c, argc - i, argv + i);
    return usage_error("unknown command \"%s\" (try --help)", argv[i]);
}
