/*
 * cmd_export.c - `kbwizard export SESSION|JOURNAL [--format md|html|json|csv]
 * [-o FILE] [--force]`: the sign-off record of a session (or of a JSON
 * export, to render it in another format). The journal is only read. A
 * journal with a torn last record is exported up to it, with a warning; a
 * corrupt one is refused (exit 1).
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "export.h"
#include "journal.h"

typedef struct export_opts {
    const char *source, *format, *out;
    bool force;
} export_opts;

static int parse(int argc, char **argv, export_opts *o)
{
    *o = (export_opts){NULL, "md", NULL, false};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            o->format = argv[++i];
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            o->out = argv[++i];
        else if (strcmp(argv[i], "--force") == 0)
            o->force = true;
        else if (argv[i][0] != '-' && !o->source)
            o->source = argv[i];
        else
            return usage_error("export: unexpected argument %s (try --help)", argv[i]);
    }
    if (!o->source)
        return usage_error("export: which session? (kbwizard sessions lists them)");
    if (!export_find(o->format))
        return usage_error("export: unknown format %s (md, html, json or csv)", o->format);
    return EXIT_OKAY;
}

static bool same_file(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Refuses what cannot be exported; warns about a torn tail. */
static int check(const char *path, const rec_log *log, const export_source *src)
{
    if (log->state == RV_CORRUPT || (src->is_export && log->state != RV_INTACT))
        return fprintf(stderr, "kbwizard: %s: record %ld does not match (%s); not exported "
                       "(kbwizard verify-signoff says more)\n", path, log->bad, log->why),
               EXIT_CHECK;
    if (src->is_export && !src->rest_ok)
        return fprintf(stderr, "kbwizard: %s: the export does not match its records (line "
                       "%ld); not exported\n", path, src->diff_line), EXIT_CHECK;
    if (log->n == 0)
        return usage_error("export: %s holds no record", path);
    if (log->state == RV_TORN)
        fprintf(stderr, "kbwizard: warning: %s: record %ld is incomplete (%s); exporting the "
                "%ld complete records before it\n", path, log->bad, log->why, log->n);
    return EXIT_OKAY;
}

int cmd_export(cli *c, int argc, char **argv)
{
    export_opts o;
    char path[4096], err[600];
    rec_log log;
    export_source src;
    int rc = parse(argc, argv, &o);
    if (rc != EXIT_OKAY)
        return rc;
    journal_resolve(o.source, path, sizeof path);
    if (o.out && same_file(o.out, path))
        return usage_error("export: -o %s would overwrite the record itself", o.out);
    if (export_load(path, &log, &src, err, sizeof err) != 0)
        return usage_error("export: %s", err);
    rc = check(path, &log, &src);
    if (rc == EXIT_OKAY) {
        const export_format *fmt = export_find(o.format);
        json_t *m = export_model(&log, src.session, strcmp(o.format, "json") == 0);
        if (!o.out)
            rc = fmt->write(stdout, m) == 0 && fflush(stdout) == 0 ? EXIT_OKAY
                 : usage_error("export: cannot write to standard output");
        else if (export_write_file(fmt, m, o.out, o.force, err, sizeof err) != 0)
            rc = usage_error("export: %s", err);
        json_decref(m);
    }
    record_log_free(&log);
    return rc;
}
