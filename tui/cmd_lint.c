/*
 * cmd_lint.c - `kbwizard lint [PATH...]`: validates kbdata files and
 * directories, printing every problem as FILE:LINE: message.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

typedef struct seen {
    int n;
    char *id[256], *file[256];
} seen;

static void lint_file(const char *path, kb_diags *d, seen *s, int *files)
{
    kb_article *kb = kbfiles_load(path, d);
    (*files)++;
    if (!kb)
        return;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->id[i], kb->id) == 0)
            kb_diag_add(d, path, 1, "article id \"%s\" is also used by %s", kb->id, s->file[i]);
    if (s->n < 256) {
        s->id[s->n] = strdup(kb->id);
        s->file[s->n++] = strdup(path);
    }
    kb_free(kb);
    free(kb);
}

static int lint_path(const char *path, kb_diags *d, seen *s, int *files)
{
    struct stat st;
    char err[512], **paths;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        lint_file(path, d, s, files);
        return 0;
    }
    int n = kbfiles_list(path, &paths, err, sizeof err);
    if (n < 0) {
        kb_diag_add(d, path, 0, "%s", err);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        lint_file(paths[i], d, s, files);
        free(paths[i]);
    }
    free(paths);
    return 0;
}

int cmd_lint(cli *c, int argc, char **argv)
{
    static kb_diags d;
    static seen s;
    int files = 0;
    char *def[] = {(char *)kbfiles_dir(c->kbdata)};
    char **paths = argc > 1 ? argv + 1 : def;
    int n = argc > 1 ? argc - 1 : 1;
    for (int i = 0; i < n; i++)
        if (paths[i][0] == '-')
            return usage_error("lint: unknown option %s", paths[i]);
    kbfiles_strict(true);
    for (int i = 0; i < n; i++)
        lint_path(paths[i], &d, &s, &files);
    cli_print_diags(&d);
    for (int i = 0; i < s.n; i++) {
        free(s.id[i]);
        free(s.file[i]);
    }
    int errors = d.n + d.dropped, io = 0;
    for (int i = 0; i < d.n; i++)
        io += d.v[i].line == 0;
    fprintf(errors ? stderr : stdout, "%d file(s), %d error(s)\n", files, errors);
    return io ? EXIT_USAGE : errors ? EXIT_CHECK : EXIT_OKAY;
}
