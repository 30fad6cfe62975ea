/*
 * wizard.c - the wizard screen: the checklist of steps with status marks,
 * the current step (instruction, warning, gate, reference, predicted
 * state), the live cluster diagram, the outcome of the last event, and the
 * keys of guided and lab sessions. Every key becomes an engine event, the
 * same events the headless script uses.
 */
#include "config.h"

#include "app.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "text.h"
#include "widgets.h"

#define ANIM_MS 700

/* ---- events ------------------------------------------------------------- */

/*
 * The animation frame: the world before the event, with what is changing
 * marked as it happens in Cluster Administrator: a group on its way shows
 * Pending and where it goes, a node coming back shows Joining.
 */
static int group_named(const kb_scenario *sc, const char *name)
{
    for (int g = 0; g < sc->ngroups; g++)
        if (strcmp(sc->groups[g].name, name) == 0)
            return g;
    return -1;
}

static bool mark_pending(app *a)
{
    static char moving[KB_MAX_GROUPS][80];
    const world *w = &a->s->w, *b = &a->s->before;
    bool changed = memcmp(w->owner, b->owner, sizeof w->owner) != 0;
    for (int n = 0; n < w->sc->nnodes; n++) {
        node_state was = world_node_state(b, n), now = world_node_state(w, n);
        if (was != now && now == NS_UP)
            a->anim.nodes[n].state = "Joining";
        changed |= was != now;
    }
    for (int n = 0; n < a->anim.nnodes; n++)
        for (int i = 0; i < a->anim.nodes[n].ngroups; i++) {
            int g = group_named(w->sc, a->anim.nodes[n].groups[i].name);
            if (g < 0 || w->owner[g] == b->owner[g])
                continue;
            snprintf(moving[g], sizeof moving[g], "Pending %s %s", G.arrow,
                     w->nodes[w->owner[g]].display);
            a->anim.nodes[n].groups[i].state = moving[g];
        }
    return changed || w->nlog > 0;
}

/* At a choice, preselect the option the world says fits (as --auto would). */
static int sensed_option(session *s)
{
    const kb_step *st = session_step(s);
    char id[KB_VALUE_MAX];
    ev_kind k;
    if (!st || st->kind != SK_CHOICE || !session_auto(s, &k, id, sizeof id))
        return 0;
    for (int i = 0; i < st->noptions; i++)
        if (strcmp(st->options[i].id, id) == 0)
            return i;
    return 0;
}

sess_result app_event(app *a, ev_kind k, const char *arg)
{
    char msg[512];
    sess_result r;
    if (a->j && journal_broken(a->j)) {
        snprintf(a->msg, sizeof a->msg, "The journal is broken: nothing more can be recorded. "
                 "Quit, check the disk, and resume the session.");
        a->msg_attr = term_attr(C_GATE);
        return SR_ERROR;
    }
    diagram_build(&a->s->w, &a->anim);
    if (a->j && journal_apply(a->j, a->s, k, arg, &r, msg, sizeof msg) != 0) {
        snprintf(a->msg, sizeof a->msg, "%s", msg);
        a->msg_attr = term_attr(C_GATE);
        a->nlog = 0;
        return SR_ERROR;
    }
    if (!a->j)
        r = session_apply(a->s, k, arg, msg, sizeof msg);
    const world *w = &a->s->w;
    a->nlog = 0;
    for (int i = 0; i < w->nlog && a->nlog < APP_LOG; i++)
        if (w->log[i].kind != LOG_CHANGE || a->nlog < APP_LOG - 1)
            text_copy(a->log[a->nlog++], sizeof a->log[0], w->log[i].text);
    static const char *const what[] = {"", "REFUSED: ", "FAILED: ", "Not possible: "};
    snprintf(a->msg, sizeof a->msg, "%s%s", what[r],
             r == SR_OK ? "" : msg);
    a->msg_attr = r == SR_OK ? term_attr(C_DONE) : r == SR_REFUSED ? term_attr(C_GATE)
                                                                    : term_attr(C_WARN);
    if (r == SR_OK)
        snprintf(a->msg, sizeof a->msg, "%s: ok", ev_name(k));
    bool moved = mark_pending(a);
    a->anim_until = moved && !a->opts.no_animation ? term_ms() + ANIM_MS : 0;
    a->choice = sensed_option(a->s);
    a->scroll = 0;
    return r;
}

void app_start_session(app *a)
{
    char arg[KB_NAME_MAX * 2 + 2], err[600];
    bool bad = false;
    if (a->s)
        app_end_session(a);
    a->s = session_new(a->kb, a->mode, a->method, a->seed ? a->seed : 1);
    a->j = journal_create(NULL, a->s, err, sizeof err);
    if (!a->j) {
        snprintf(a->status, sizeof a->status, "Cannot record the session, so it does not start: %.400s", err);
        session_free(a->s);
        a->s = NULL;
        return;
    }
    a->review = -1;
    a->sel = (dg_sel){false, 0, 0};
    a->msg[0] = '\0';
    a->nlog = 0;
    if (a->operator_name[0])
        app_event(a, EV_OPERATOR, a->operator_name);
    const kb_scenario *sc = &a->kb->scenarios[a->kb->methods[a->method].scenario];
    for (int r = 0; r < a->kb->nroles; r++) {
        if (sc->bind[r] < 0 || strcmp(a->bind[r], sc->nodes[sc->bind[r]].name) == 0)
            continue;
        snprintf(arg, sizeof arg, "%s %s", a->kb->roles[r].id, a->bind[r]);
        if (app_event(a, EV_BIND, arg) != SR_OK)
            bad = true;
    }
    a->anim_until = 0;
    a->choice = sensed_option(a->s);
    if (!bad) {
        a->msg[0] = '\0';
        a->nlog = 0;
    }
    a->scr = SCR_WIZARD;
}

unsigned wizard_ctx(const app *a)
{
    const kb_step *st = session_step(a->s);
    if (a->review >= 0)
        return CTX_REVIEW;
    if (a->s->finished)
        return CTX_RESULT;
    if (a->sel.focus)
        return CTX_DIAGRAM;
    unsigned c = a->mode == MODE_LAB ? CTX_LAB : CTX_GUIDED;
    return st && st->kind == SK_CHOICE ? c | CTX_CHOICE : c;
}

/* ---- drawing ------------------------------------------------------------- */

static const char *mark(const session *s, int i, int *attr)
{
    if (i == s->cur) {
        *attr = (int)A_BOLD;
        return G.current;
    }
    switch (s->status[i]) {
    case SS_DONE: *attr = term_attr(C_DONE); return G.done;
    case SS_SKIPPED: *attr = term_attr(C_WARN); return G.skipped;
    case SS_OVERRIDDEN: *attr = term_attr(C_OVERRIDE); return G.overridden;
    case SS_NA: *attr = term_attr(C_NA); return G.na;
    default: *attr = 0; return G.pending;
    }
}

static void draw_steps(app *a, int y, int x, int h, int w)
{
    const session *s = a->s;
    int focus = a->review >= 0 ? a->review : s->cur >= 0 ? s->cur : s->m->nsteps - 1;
    int top = focus - (h - 2) / 2;
    if (top > s->m->nsteps - (h - 2))
        top = s->m->nsteps - (h - 2);
    if (top < 0)
        top = 0;
    w_box(y, x, h, w, 0, "Steps");
    for (int i = top, row = y + 1; i < s->m->nsteps && row < y + h - 1; i++, row++) {
        int attr;
        char buf[512], title[400];
        const char *m = mark(s, i, &attr);
        session_text(s, s->m->steps[i].title, title, sizeof title);
        snprintf(buf, sizeof buf, "%s%s %2d %s", G.utf8 ? "" : "[", m, i + 1, title);
        if (!G.utf8)
            memmove(buf + 2, buf + 1, strlen(buf + 1) + 1), buf[2] = ']';
        if (i == a->review)
            attr = term_attr(C_SEL);
        w_put(row, x + 1, w - 2, buf, attr);
    }
}

/* The step panel: wrapped lines, scrolled by `skip` rows. */
typedef struct panel {
    int row, last, x, w, skip, total;
} panel;

static void panel_line(panel *p, const char *label, const char *text, int attr)
{
    char buf[4200], lines[64][W_LINE];
    snprintf(buf, sizeof buf, "%s%s", label, text);
    int n = w_lines(buf, p->w, lines, 64);
    for (int i = 0; i < n; i++, p->total++)
        if (p->total >= p->skip && p->row < p->last)
            w_put(p->row++, p->x, p->w, lines[i], attr);
}

typedef struct pred_ctx {
    char lines[6][160];
    int n;
} pred_ctx;

static void collect(void *ctx, const char *line)
{
    pred_ctx *p = ctx;
    if (p->n < 6)
        text_copy(p->lines[p->n++], sizeof p->lines[0], line);
}

static void draw_gate(app *a, const kb_step *st, panel *p)
{
    char buf[2048];
    session_text(a->s, st->gate->warning, buf, sizeof buf);
    panel_line(p, "GATE: ", buf, term_attr(C_GATE));
    if (a->mode == MODE_LAB && a->review < 0) {
        bool holds = session_gate_holds(a->s);
        panel_line(p, "  sensed: ", holds ? "holds" : "does NOT hold yet",
                   holds ? term_attr(C_DONE) : term_attr(C_GATE));
    } else if (a->review < 0) {
        panel_line(p, "  ", a->s->attested[0] ? "attested" :
                   "Enter asks you to type what it names", term_attr(C_WARN));
    }
}

static void draw_step(app *a, int y, int x, int h, int w)
{
    const session *s = a->s;
    int i = a->review >= 0 ? a->review : s->cur;
    char buf[2048], title[128];
    if (i < 0) {
        w_box(y, x, h, w, 0, "Finished");
        return;
    }
    const kb_step *st = &s->m->steps[i];
    snprintf(title, sizeof title, "Step %d/%d %s%s", i + 1, s->m->nsteps,
             kb_step_kind_name(st->kind), a->review >= 0 ? " (review, read-only)" : "");
    w_box(y, x, h, w, a->review >= 0 ? term_attr(C_DIM) : 0, title);
    panel p = {y + 1, y + h - 1, x + 2, w - 4, a->scroll, 0};
    session_text(s, st->title, buf, sizeof buf);
    panel_line(&p, "", buf, (int)A_BOLD);
    if (st->gate)
        draw_gate(a, st, &p);
    session_text(s, st->text, buf, sizeof buf);
    panel_line(&p, "", buf, 0);
    if (st->warning) {
        session_text(s, st->warning, buf, sizeof buf);
        panel_line(&p, "Caution: ", buf, term_attr(C_WARN));
    }
    for (int k = 0; k < st->noptions; k++) {
        session_text(s, st->options[k].title, buf, sizeof buf);
        bool sel = a->review < 0 && k == a->choice;
        char line[2100];
        snprintf(line, sizeof line, "%s %s", sel ? G.current : " ", buf);
        panel_line(&p, "", line, sel ? term_attr(C_SEL) : 0);
    }
    panel_line(&p, "Reference: ", st->ref, term_attr(C_DIM));
    if (a->review >= 0) {
        panel_line(&p, "Status: ", step_status_name(s->status[i]), (int)A_BOLD);
        for (int e = 0; e < s->nevents; e++)
            if (s->events[e].step == i && s->events[e].result == SR_OK &&
                (s->events[e].kind == EV_NOTE || s->events[e].kind == EV_SKIP ||
                 s->events[e].kind == EV_OVERRIDE || s->events[e].kind == EV_ATTEST)) {
                snprintf(buf, sizeof buf, "%s: ", ev_name(s->events[e].kind));
                panel_line(&p, buf, s->events[e].arg, term_attr(C_NA));
            }
    } else {
        pred_ctx pc = {.n = 0};
        session_predict(s, collect, &pc);
        for (int k = 0; k < pc.n; k++)
            panel_line(&p, k ? "           " : "Predicted: ", pc.lines[k], term_attr(C_NA));
    }
    if (p.total > p.skip + (h - 2))
        w_put(y + h - 1, x + w - 14, 12, " PgDn: more ", term_attr(C_WARN));
}

static void draw_result(app *a, int y, int x, int h, int w)
{
    char buf[1024];
    const session *s = a->s;
    w_clear(y, x, h, w);
    w_box(y, x, h, w, s->goal_met ? term_attr(C_DONE) : term_attr(C_GATE), "Method finished");
    snprintf(buf, sizeof buf, "%s", s->goal_met ? "Success: the goal is reached." :
             "The goal is NOT reached.");
    w_put(y + 1, x + 2, w - 4, buf, s->goal_met ? term_attr(C_DONE) : term_attr(C_GATE));
    session_text(s, s->m->goal_text, buf, sizeof buf);
    int row = y + 2 + w_wrap(y + 2, x + 2, w - 4, h - 5, buf, 0);
    if (a->mode == MODE_LAB) {
        snprintf(buf, sizeof buf, "Score: %d/100 (%d refused gate(s), %d mistake(s))",
                 session_score(s), s->refused, s->w.mistakes);
        w_put(row, x + 2, w - 4, buf, (int)A_BOLD);
    }
    w_put(y + h - 2, x + 2, w - 4, "S sign off  C countersign  e export  Enter: articles",
          term_attr(C_DIM));
}

void wizard_draw(app *a)
{
    const session *s = a->s;
    char buf[512];
    snprintf(buf, sizeof buf, "KB %s  %s  %s  operator: %s", s->kb->id, s->m->title,
             a->mode == MODE_LAB ? "LAB" : "GUIDED",
             s->operator_name[0] ? s->operator_name : "(none)");
    w_put(0, 0, COLS, buf, term_attr(C_TITLE));
    int body = LINES - 3 - 1, lw = COLS / 4 < 26 ? 26 : COLS / 4 > 40 ? 40 : COLS / 4;
    int rx = lw, rw = COLS - lw, sh = body * 2 / 5 < 11 ? 11 : body * 2 / 5;
    draw_steps(a, 1, 0, body, lw);
    draw_step(a, 1, rx, sh, rw);
    static diagram d;
    bool animating = a->anim_until && term_ms() < a->anim_until;
    if (animating)
        d = a->anim;
    else
        diagram_build(&s->w, &d);
    w_box(1 + sh, rx, body - sh, rw, a->sel.focus ? term_attr(C_TITLE) : 0,
          animating ? "Cluster (changing...)" : s->w.sc->cluster_service ? "Cluster" : "Server");
    dg_draw(&s->w, &d, 2 + sh, rx + 1, body - sh - 2, rw - 2, &a->sel);
    int ly = LINES - 3;
    w_put(ly, 0, COLS, a->msg, a->msg_attr);
    char logline[1024] = "";
    for (int i = 0; i < a->nlog; i++)
        snprintf(logline + strlen(logline), sizeof logline - strlen(logline), "%s%s",
                 i ? "; " : "", a->log[i]);
    w_put(ly + 1, 0, COLS, logline, term_attr(C_DIM));
    if (s->finished && a->review < 0)
        draw_result(a, LINES / 2 - 5, COLS / 2 - 30, 10, 60);
}

/* ---- guided and common keys ------------------------------------------------ */

static void with_reason(app *a, ev_kind k, const char *label)
{
    char reason[400] = "";
    app_draw(a);
    if (w_prompt(label, reason, sizeof reason, NULL, NULL)) {
        if (!reason[0])
            snprintf(a->msg, sizeof a->msg, "%s needs a written reason: nothing recorded", ev_name(k));
        else
            app_event(a, k, reason);
    }
}

static void guided_done(app *a, const kb_step *st)
{
    char typed[KB_NAME_MAX] = "", prompt[300];
    if (st->gate && !a->s->attested[0]) {
        app_draw(a);
        attest_prompt(a->s, st, prompt, sizeof prompt);
        if (!w_prompt(prompt, typed, sizeof typed, NULL, NULL))
            return;
        if (app_event(a, EV_ATTEST, typed) != SR_OK)
            return;
    }
    app_event(a, EV_DONE, "");
}

static void review_key(app *a, key_action act)
{
    int last = a->s->cur >= 0 ? a->s->cur : a->s->m->nsteps - 1;
    a->scroll = 0;
    if (act == A_UP && a->review > 0)
        a->review--;
    else if (act == A_DOWN && a->review < last)
        a->review++;
    else if (act == A_BACK || act == A_REVIEW)
        a->review = -1;
}

static void choice_key(app *a, key_action act, const kb_step *st)
{
    if (act == A_UP && a->choice > 0)
        a->choice--;
    else if (act == A_DOWN && a->choice + 1 < st->noptions)
        a->choice++;
    else if (act == A_OPEN || act == A_CHOOSE || act == A_DONE)
        app_event(a, EV_CHOOSE, st->options[a->choice].id);
}

void lab_key(app *a, key_action act);

void wizard_key(app *a, key_action act)
{
    const kb_step *st = session_step(a->s);
    if (a->review >= 0) {
        review_key(a, act);
        return;
    }
    if (a->sel.focus && !a->s->finished) {
        lab_key(a, act);
        return;
    }
    if (act == A_SIGNOFF || act == A_COUNTERSIGN) {
        app_signoff(a, act == A_COUNTERSIGN);
        return;
    }
    if (act == A_EXPORT) {
        app_export(a);
        return;
    }
    if (a->s->finished) {
        if (act == A_OPEN) {
            app_end_session(a);
            a->scr = SCR_PICKER;
        }
        return;
    }
    if (act == A_PAGEDOWN || act == A_PAGEUP) {
        a->scroll = act == A_PAGEUP ? (a->scroll > 3 ? a->scroll - 3 : 0) : a->scroll + 3;
    } else if (act == A_REVIEW) {
        a->review = a->s->cur > 0 ? a->s->cur - 1 : 0;
    } else if (act == A_NOTE) {
        with_reason(a, EV_NOTE, "Note:");
    } else if (act == A_SKIP) {
        with_reason(a, EV_SKIP, "Reason for skipping:");
    } else if (st && st->kind == SK_CHOICE && (act == A_UP || act == A_DOWN || act == A_OPEN ||
                                               act == A_CHOOSE || act == A_DONE)) {
        choice_key(a, act, st);
    } else if (a->mode == MODE_GUIDED) {
        if (act == A_DONE && st)
            guided_done(a, st);
        else if (act == A_OVERRIDE)
            with_reason(a, EV_OVERRIDE, "Reason for overriding the gate:");
    } else {
        lab_key(a, act);
    }
}
