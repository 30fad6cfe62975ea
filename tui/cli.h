/*
 * cli.h - the command line: one function per command, a shared table in
 * main.c, and the helpers they share (usage errors, sanitized output).
 */
#ifndef KB_CLI_H
#define KB_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "kbfiles.h"
#include "term.h"

/* Exit statuses (DESIGN.md section 7). */
enum { EXIT_OKAY = 0, EXIT_CHECK = 1, EXIT_USAGE = 2 };

typedef struct cli {
    const char *kbdata;        /* --kbdata, or NULL */
    const char *argv0;
    term_opts topts;           /* --no-color, --ascii, --no-animation */
    bool plain;                /* --plain */
} cli;

int cmd_list(cli *c, int argc, char **argv);
int cmd_lint(cli *c, int argc, char **argv);
int cmd_checklist(cli *c, int argc, char **argv);
int cmd_run(cli *c, int argc, char **argv);
int cmd_schema(cli *c, int argc, char **argv);
/* The record (issue 4). */
int cmd_sessions(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_verify(cli *c, int argc, char **argv);
int cmd_signoff(cli *c, int argc, char **argv);
int cmd_guided(cli *c, int argc, char **argv);
int cmd_lab(cli *c, int argc, char **argv);
/* The interactive picker (the wizard's first screen). */
int tui_picker(cli *c);

/* Prints "kbwizard: MSG" to stderr (sanitized) and returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes untrusted text with control characters escaped. */
void out_clean(FILE *f, const char *s);

/* Prints diagnostics as FILE:LINE: message on stderr, escaped. */
void cli_print_diags(const kb_diags *d);

/* Loads the library or prints its diagnostics; NULL on failure. */
kb_library *cli_library(cli *c);

/* Looks an article up by id in the library, with an error when absent. */
const kb_article *cli_article(kb_library *lib, const char *id);

#endif
