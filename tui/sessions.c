/*
 * sessions.c - summaries of the journals in the sessions directory; see
 * sessions.h. The summary comes from the same export model as `export`.
 */
#include "config.h"

#include "sessions.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "export.h"
#include "journal.h"

static void progress(const json_t *m, char *out, size_t outsz)
{
    const json_t *steps = json_object_get(m, "steps");
    size_t done = 0;
    for (size_t i = 0; i < json_array_size(steps); i++)
        done += strcmp(export_str(json_array_get(steps, i), "status"), "deferred") != 0;
    snprintf(out, outsz, "%zu/%zu", done, json_array_size(steps));
}

/* The state word of a readable journal. */
static const char *state_of(const rec_log *log, const json_t *m, bool *unfinished)
{
    bool finished = strcmp(export_str(m, "result"), "not finished") != 0;
    bool closed = log->n > 0 && log->v[log->n - 1].type == REC_CLOSE;
    *unfinished = !finished;
    if (log->state == RV_CORRUPT)
        return *unfinished = false, "CORRUPT (tampered or damaged; see verify-signoff)";
    if (log->state == RV_TORN)
        return "interrupted (torn last record; resume sets it aside)";
    if (json_is_object(json_object_get(m, "countersign")))
        return "countersigned";
    if (json_is_object(json_object_get(m, "signoff")))
        return "signed off";
    if (finished)
        return "finished";
    return closed ? "paused" : "interrupted";
}

void sessions_row(const char *path, session_row *row)
{
    rec_log log;
    char err[300], who[400];
    memset(row, 0, sizeof *row);
    snprintf(row->path, sizeof row->path, "%s", path);
    journal_id_of(path, row->id, sizeof row->id);
    if (journal_read(path, &log, err, sizeof err) != 0) {
        snprintf(row->state, sizeof row->state, "unreadable");
        return;
    }
    json_t *m = export_model(&log, row->id, false);
    snprintf(row->article, sizeof row->article, "%s", export_str(json_object_get(m, "article"), "id"));
    snprintf(row->mode, sizeof row->mode, "%s", export_str(m, "mode"));
    snprintf(row->operator_name, sizeof row->operator_name, "%s", export_str(m, "operator"));
    snprintf(row->last, sizeof row->last, "%s", export_str(m, "ended"));
    progress(m, row->progress, sizeof row->progress);
    const char *st = state_of(&log, m, &row->unfinished);
    if (journal_locked_by(path, who, sizeof who))
        snprintf(row->state, sizeof row->state, "open (%s)", who);
    else
        snprintf(row->state, sizeof row->state, "%s", st);
    row->unfinished &= log.n > 0;
    json_decref(m);
    record_log_free(&log);
}

static int by_picker_order(const void *a, const void *b)
{
    const session_row *x = a, *y = b;
    if (x->unfinished != y->unfinished)
        return x->unfinished ? -1 : 1;
    int c = strcmp(y->last, x->last);
    return c ? c : strcmp(x->id, y->id);
}

int sessions_scan(session_row **rows, char *err, size_t errsz)
{
    char dir[PATH_MAX], path[PATH_MAX + 300];
    int n = 0;
    *rows = NULL;
    if (journal_dir(dir, sizeof dir, false, err, errsz) != 0)
        return -1;
    DIR *d = opendir(dir);
    if (!d)
        return 0;               /* no sessions yet */
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len <= 8 || strcmp(e->d_name + len - 8, ".journal") != 0 || e->d_name[0] == '.')
            continue;
        *rows = xrealloc(*rows, sizeof **rows * (size_t)(n + 1));
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        sessions_row(path, &(*rows)[n++]);
    }
    closedir(d);
    qsort(*rows, (size_t)n, sizeof **rows, by_picker_order);
    return n;
}
