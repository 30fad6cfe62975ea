/*
 * cmd_verify.c - `kbwizard verify-signoff FILE [--expect-head N:HASH]`:
 * recomputes the hash chain of a journal or a JSON export. Exit 0 and the
 * head when intact; exit 1 naming the first record that does not match.
 *
 * What it detects (README "The record" says the same): an edit of any
 * record, a deleted, reordered or inserted record, and (for an export) any
 * change to the rest of the file, always; a whole chain rewritten with new
 * hashes, or records cut from the end, only against an anchored head
 * (--expect-head), since nothing inside the file can tell.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "export.h"

static void say(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One verdict line on standard output: "FILE: ...", sanitized. */
static void say(const char *path, const char *fmt, ...)
{
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    out_clean(stdout, path);
    fputs(": ", stdout);
    out_clean(stdout, line);
    putchar('\n');
}

/* The chain itself: intact, or the first record that does not match. */
static int chain(const char *path, const rec_log *log, const export_source *src)
{
    char why[400];
    if (log->state == RV_INTACT && log->n == 0)
        return say(path, "NOT intact: no record at all"), EXIT_CHECK;
    if (log->state == RV_INTACT)
        return EXIT_OKAY;
    snprintf(why, sizeof why, "%s%s", log->why, log->state == RV_CORRUPT
             ? "; valid records follow it: corrupted or tampered with"
             : src->is_export ? "" : "; nothing valid follows (a torn or cut last record)");
    say(path, "NOT intact: record %ld does not match: %s", log->bad, why);
    return EXIT_CHECK;
}

static int anchored(const char *path, const rec_log *log, const rec_head *want)
{
    char line[100], got[100];
    record_head_text(want, line, sizeof line);
    record_head_text(&log->head, got, sizeof got);
    if (log->head.count == want->count && strcmp(log->head.hash, want->hash) == 0)
        return EXIT_OKAY;
    if (want->count > log->n)
        say(path, "NOT intact: the record ends at record %ld, before the anchored head %s "
            "(its tail was cut, or the chain rewritten)", log->n, line);
    else if (strcmp(log->v[want->count - 1].hash, want->hash) != 0)
        say(path, "NOT intact: record %ld does not match the anchored head %s (the chain was "
            "rewritten)", (long)want->count, line);
    else
        say(path, "NOT intact: records were added after the anchored head (%ld in all, now "
            "ending at %s)", log->n, got);
    return EXIT_CHECK;
}

int cmd_verify(cli *c, int argc, char **argv)
{
    const char *path = NULL;
    rec_head want = {0};
    bool expect = false;
    char err[600], head[100];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--expect-head") == 0 && i + 1 < argc) {
            if (!record_head_parse(argv[++i], &want) || want.count < 1)
                return usage_error("verify-signoff: --expect-head needs N:HASH (64 lowercase hex)");
            expect = true;
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            return usage_error("verify-signoff: unexpected argument %s", argv[i]);
        }
    }
    if (!path)
        return usage_error("verify-signoff: which file? (a journal or a JSON export)");
    rec_log log;
    export_source src;
    if (export_load(path, &log, &src, err, sizeof err) != 0)
        return usage_error("verify-signoff: %s", err);
    int rc = chain(path, &log, &src);
    if (rc == EXIT_OKAY && src.is_export && !src.rest_ok) {
        say(path, "NOT intact: the records hold, but the export differs from what they make "
            "at line %ld", src.diff_line);
        rc = EXIT_CHECK;
    }
    if (rc == EXIT_OKAY && expect)
        rc = anchored(path, &log, &want);
    if (rc == EXIT_OKAY) {
        record_head_text(&log.head, head, sizeof head);
        say(path, "intact, %ld records%s", log.n, expect ? ", ending at the anchored head" : "");
        printf("Chain head: %s\n", head);
    }
    record_log_free(&log);
    return rc;
}
