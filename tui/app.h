/*
 * app.h - the curses wizard's state: which screen is showing, the picker's
 * filter, the article page, the session setup form, and the open session
 * (engine session, review cursor, diagram focus, last outcome, animation).
 * Screens draw from this state and turn keys into engine events.
 */
#ifndef KB_APP_H
#define KB_APP_H

#include <stdbool.h>

#include "cli.h"
#include "diagram.h"
#include "dgcurses.h"
#include "journal.h"
#include "keys.h"
#include "session.h"
#include "sessions.h"
#include "term.h"

typedef enum { SCR_PICKER, SCR_ARTICLE, SCR_SETUP, SCR_WIZARD } scr_id;

#define APP_LOG 6

typedef struct app {
    term_opts opts;
    kb_library *lib;
    scr_id scr;
    bool quit;
    const char *resume;        /* a session to resume at start, or NULL */
    /* picker */
    char filter[64];
    int pick;
    /* article page and setup */
    const kb_article *kb;
    int method, scroll;
    kb_mode mode;
    uint64_t seed;
    char operator_name[KB_NAME_MAX];
    char bind[KB_MAX_ROLES][KB_NAME_MAX];
    int field;
    /* the record: the open session's journal, and unfinished sessions */
    journal *j;
    session_row *rows;
    int nrows;
    /* wizard */
    session *s;
    int review;                /* step under review, -1 when not reviewing */
    int choice;                /* selected option of a choice step */
    dg_sel sel;
    char msg[512];
    int msg_attr;
    char log[APP_LOG][240];
    int nlog;
    long anim_until;
    diagram anim;              /* the world before the last event, while animating */
    char status[512];          /* one-line notice on any screen */
} app;

/* Runs the wizard until the user quits or a signal asks it to stop. */
int app_run(app *a);

/* Screens (scr_*.c). */
void picker_draw(app *a);
void picker_key(app *a, int ch, key_action act);
void article_draw(app *a);
void article_key(app *a, key_action act);
void setup_draw(app *a);
void setup_key(app *a, int ch, key_action act);
void wizard_draw(app *a);
void wizard_key(app *a, key_action act);
unsigned wizard_ctx(const app *a);

/* Starts a session from the setup form (and its journal). */
void app_start_session(app *a);
/* Resumes a journaled session; false with a status message on failure. */
bool app_resume(app *a, const char *id_or_path);
/* Closes the open session's journal and frees the session. */
void app_end_session(app *a);
/* Sign-off, countersign and export from the wizard (record_ui.c). */
void app_signoff(app *a, bool counter);
void app_export(app *a);
/* Reloads the list of unfinished sessions. */
void app_scan_sessions(app *a);
/* Applies one event and keeps its outcome for the message line. */
sess_result app_event(app *a, ev_kind k, const char *arg);
/* Draws everything for the current screen (used by modal dialogs too). */
void app_draw(app *a);
/* The articles matching the picker's filter. */
int app_filtered(const app *a, const kb_article **out, int max);
/* A modal menu over the current screen: returns the chosen index or -1. */
int app_menu(app *a, const char *title, const char *const *items, int n);
/* Confirmation by a typed word: true when the user typed it. */
bool app_confirm(app *a, const char *question, const char *word);

/* The printable checklist (cmd_checklist.c). */
int checklist_write(FILE *f, const kb_article *kb, const kb_method *m, const char *format);

#endif
