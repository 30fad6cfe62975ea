/*
 * cmd_tui.c - the interactive entry points: `kbwizard` (the article
 * picker), `kbwizard guided ID` and `kbwizard lab ID` (straight to the
 * session setup). Without a usable terminal, or with --plain, guided and lab
 * sessions run in the plain line mode instead.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "journal.h"
#include "plain.h"

static app the_app;

typedef struct tui_opts {
    const char *id, *method, *resume;
    unsigned long long seed;
    bool plain;
} tui_opts;

static int parse(cli *c, int argc, char **argv, tui_opts *o, term_opts *t)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char *end;
        if (strcmp(a, "--method") == 0 && i + 1 < argc) {
            o->method = argv[++i];
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            errno = 0;
            o->seed = strtoull(argv[++i], &end, 10);
            if (errno || *end || argv[i][0] == '-' || !argv[i][0])
                return usage_error("--seed needs a non-negative integer, not %s", argv[i]);
        } else if (strcmp(a, "--resume") == 0 && i + 1 < argc) {
            o->resume = argv[++i];
        } else if (strcmp(a, "--plain") == 0) {
            o->plain = true;
        } else if (strcmp(a, "--no-color") == 0) {
            t->no_color = true;
        } else if (strcmp(a, "--ascii") == 0) {
            t->ascii = true;
        } else if (strcmp(a, "--no-animation") == 0) {
            t->no_animation = true;
        } else if (a[0] != '-' && !o->id) {
            o->id = a;
        } else {
            return usage_error("%s: unexpected argument %s (try --help)", argv[0], a);
        }
    }
    return EXIT_OKAY;
}

/* The wizard from the picker (or resuming a session first). */
static int run_app(cli *c, const term_opts *t, const char *resume)
{
    kb_library *lib = cli_library(c);
    if (!lib)
        return EXIT_USAGE;
    app *a = &the_app;
    *a = (app){.opts = *t, .lib = lib, .review = -1, .seed = 1, .resume = resume};
    int rc = app_run(a);
    kbfiles_library_free(lib);
    return rc;
}

/* `guided --resume ID`: the wizard rebuilt from the journal. */
static int resume_cmd(cli *c, const tui_opts *o, const term_opts *t)
{
    if (o->plain || term_unusable())
        return usage_error("--resume needs a terminal; headless: kbwizard run --resume %s", o->resume);
    return run_app(c, t, o->resume);
}

/* Guided or lab on one article: setup form (TUI) or the plain mode. */
static int session_cmd(cli *c, int argc, char **argv, kb_mode mode)
{
    tui_opts o = {NULL, NULL, NULL, 1, c->plain};
    term_opts t = c->topts;
    int rc = parse(c, argc, argv, &o, &t);
    if (rc != EXIT_OKAY)
        return rc;
    if (o.resume)
        return resume_cmd(c, &o, &t);
    if (!o.id)
        return usage_error("%s: which article? (kbwizard list shows them)", argv[0]);
    kb_library *lib = cli_library(c);
    if (!lib)
        return EXIT_USAGE;
    const kb_article *kb = cli_article(lib, o.id);
    int m = kb && o.method ? kb_find_method(kb, o.method) : 0;
    if (!kb || m < 0) {
        if (kb)
            usage_error("article %s has no method \"%s\"", o.id, o.method);
        kbfiles_library_free(lib);
        return EXIT_USAGE;
    }
    if (o.plain || term_unusable()) {
        char err[600];
        session *s = session_new(kb, mode, m, o.seed);
        journal *j = journal_create(NULL, s, err, sizeof err);
        if (!j)
            rc = usage_error("cannot record the session, so it does not start: %s", err);
        else
            rc = plain_run(s, j);
        if (j && journal_close(j, s) != 0 && rc == 0)
            rc = usage_error("the close of the record could not be written");
        session_free(s);
    } else {
        app *a = &the_app;
        *a = (app){.opts = t, .lib = lib, .kb = kb, .method = m, .seed = o.seed, .review = -1};
        a->scr = SCR_ARTICLE;
        article_key(a, mode == MODE_LAB ? A_LAB : A_GUIDED);
        rc = app_run(a);
    }
    kbfiles_library_free(lib);
    return rc;
}

int cmd_guided(cli *c, int argc, char **argv)
{
    return session_cmd(c, argc, argv, MODE_GUIDED);
}

int cmd_lab(cli *c, int argc, char **argv)
{
    return session_cmd(c, argc, argv, MODE_LAB);
}

int tui_picker(cli *c)
{
    return run_app(c, &c->topts, NULL);
}
