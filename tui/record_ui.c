/*
 * record_ui.c - the record in the wizard: every event goes through the
 * journal (write, sync, then show), a session that cannot be recorded stops
 * with "step NOT recorded", unfinished sessions are offered first and
 * resumed by replay, and the record is signed off, countersigned and
 * exported from the wizard.
 */
#include "config.h"

#include "app.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "text.h"
#include "widgets.h"

void app_scan_sessions(app *a)
{
    char err[256];
    free(a->rows);
    a->rows = NULL;
    a->nrows = 0;
    session_row *rows = NULL;
    int n = sessions_scan(&rows, err, sizeof err);
    for (int i = 0; i < n; i++)
        if (rows[i].unfinished) {
            a->rows = realloc(a->rows, sizeof *a->rows * (size_t)(a->nrows + 1));
            a->rows[a->nrows++] = rows[i];
        }
    free(rows);
}

void app_end_session(app *a)
{
    if (a->j && journal_close(a->j, a->s) != 0)
        snprintf(a->status, sizeof a->status, "The close of the record could not be written.");
    a->j = NULL;
    session_free(a->s);
    a->s = NULL;
    app_scan_sessions(a);
}

static const kb_article *article_of(app *a, const char *id)
{
    for (int i = 0; i < a->lib->n; i++)
        if (strcmp(a->lib->v[i]->id, id) == 0)
            return a->lib->v[i];
    return NULL;
}

bool app_resume(app *a, const char *id_or_path)
{
    char path[4200], err[600], msg[6000];
    journal_info info;
    int last = -1;
    journal_resolve(id_or_path, path, sizeof path);
    journal *j = journal_open(path, &info, err, sizeof err);
    const kb_article *kb = j ? article_of(a, record_article(journal_log(j))) : NULL;
    session *s = kb ? journal_resume(j, kb, &last, err, sizeof err) : NULL;
    if (!s) {
        if (j && !kb)
            snprintf(err, sizeof err, "its article is not in the procedure library");
        if (j)
            journal_free(j);
        snprintf(a->status, sizeof a->status, "Cannot resume %.200s: %.280s", id_or_path, err);
        return false;
    }
    a->j = j;
    a->s = s;
    a->kb = kb;
    a->mode = s->mode;
    a->method = s->method;
    a->review = -1;
    a->sel = (dg_sel){false, 0, 0};
    a->scr = SCR_WIZARD;
    snprintf(msg, sizeof msg, "%s%sThe last step the journal recorded is %d: %s. The screen may "
             "have confirmed one step less before the interruption: check the cluster and "
             "where you are before you go on.", info.torn_bytes ? info.why : "",
             info.torn_bytes ? " " : "", last + 1, last >= 0 ? s->m->steps[last].title : "none");
    app_draw(a);
    w_message("Resumed from the journal", msg);
    return true;
}

void app_signoff(app *a, bool counter)
{
    char name[KB_NAME_MAX] = "", msg[512];
    if (!a->j) {
        snprintf(a->msg, sizeof a->msg, "This session has no journal to sign.");
        return;
    }
    app_draw(a);
    if (!w_prompt(counter ? "Countersign: your name:" : "Sign off: your name:", name, sizeof name,
                  NULL, NULL) || !name[0])
        return;
    if (journal_sign(a->j, counter ? REC_COUNTERSIGN : REC_SIGNOFF, name, msg, sizeof msg) != 0)
        snprintf(a->msg, sizeof a->msg, "%s", msg);
    else
        snprintf(a->msg, sizeof a->msg, "%s recorded: %s", counter ? "Countersign" : "Sign-off", name);
    a->msg_attr = term_attr(C_DONE);
}

void app_export(app *a)
{
    static const char *const formats[] = {"md", "html", "json", "csv"};
    static const char *const labels[] = {"Markdown (change ticket)", "HTML (print)",
                                         "JSON (machines)", "CSV (one row per step)"};
    char id[300], path[700], err[600], head[300];
    rec_log log;
    if (!a->j)
        return;
    int f = app_menu(a, "Export the record", labels, 4);
    if (f < 0)
        return;
    journal_id_of(journal_path(a->j), id, sizeof id);
    if (journal_read(journal_path(a->j), &log, err, sizeof err) != 0) {
        snprintf(a->msg, sizeof a->msg, "Export failed: %.400s", err);
        return;
    }
    json_t *model = export_model(&log, id, strcmp(formats[f], "json") == 0);
    snprintf(path, sizeof path, "kbwizard-%.250s.%s", id, formats[f]);
    if (export_write_file(export_find(formats[f]), model, path, false, err, sizeof err) != 0) {
        snprintf(a->msg, sizeof a->msg, "Export failed: %.400s", err);
    } else {
        export_head_line(model, head, sizeof head);
        snprintf(a->msg, sizeof a->msg, "Exported to %.300s  %.150s", path, head);
    }
    a->msg_attr = term_attr(C_DONE);
    json_decref(model);
    record_log_free(&log);
}
