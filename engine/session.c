/*
 * session.c - applying events to a session: the step machine of guided and
 * lab modes, gates (sensed or attested), skips and overrides with reasons,
 * choices, lab sensing of expectations, and the --auto automaton.
 */
#include "config.h"

#include "session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

static const char *const ev_names[EV_COUNT] = {
    "operator", "bind", "method", "choose", "done", "do", "act",
    "attest", "skip", "override", "note"};

const char *ev_name(ev_kind k)
{
    return ev_names[k];
}

int ev_parse(const char *word)
{
    for (int i = 0; i < EV_COUNT; i++)
        if (strcmp(ev_names[i], word) == 0)
            return i;
    return -1;
}

const char *step_status_name(step_status s)
{
    static const char *const n[] = {"pending", "done", "skipped", "overridden", "n/a"};
    return n[s];
}

const char *sess_result_name(sess_result r)
{
    static const char *const n[] = {"ok", "refused", "failed", "error"};
    return n[r];
}

static void reset_world(session *s)
{
    world_init(&s->w, s->kb, s->m->scenario, s->seed);
}

session *session_new(const kb_article *kb, kb_mode mode, int method, uint64_t seed)
{
    session *s = xcalloc(1, sizeof *s);
    s->kb = kb;
    s->mode = mode;
    s->method = method;
    s->m = &kb->methods[method];
    s->seed = seed;
    reset_world(s);
    return s;
}

void session_free(session *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nevents; i++)
        free(s->events[i].arg);
    free(s->events);
    free(s);
}

const kb_step *session_step(const session *s)
{
    return s->cur >= 0 && s->cur < s->m->nsteps ? &s->m->steps[s->cur] : NULL;
}

void session_text(const session *s, const char *in, char *out, size_t outsz)
{
    world_subst(&s->w, in, NULL, out, outsz);
}

static bool eval(session *s, const cond *c, char *err, size_t errsz)
{
    return !c || world_eval(&s->w, c, NULL, err, errsz);
}

bool session_gate_holds(session *s)
{
    char err[160];
    const kb_step *st = session_step(s);
    return !st || !st->gate || eval(s, st->gate->when, err, sizeof err);
}

/* Marks the method finished: untouched steps are not applicable. */
static void finish(session *s)
{
    char err[160];
    s->cur = -1;
    s->finished = true;
    for (int i = 0; i < s->m->nsteps; i++)
        if (s->status[i] == SS_PENDING)
            s->status[i] = SS_NA;
    s->goal_met = eval(s, s->m->goal, err, sizeof err);
    world_log(&s->w, s->goal_met ? LOG_INFO : LOG_ERROR, "method finished: goal %s",
              s->goal_met ? "reached" : "NOT reached");
}

/* Moves to step `to` (-1 = the one after the current, KB_END = finish). */
static void go(session *s, int to)
{
    if (to == -1)
        to = s->cur + 1;
    s->attested[0] = '\0';
    if (to == KB_END || to >= s->m->nsteps) {
        finish(s);
        return;
    }
    s->cur = to;
    s->status[to] = SS_PENDING;
}

static void complete(session *s, step_status st)
{
    s->status[s->cur] = (unsigned char)st;
    go(s, s->m->steps[s->cur].next);
}

/* Lab: completes steps whose expectation (and gate) already hold. */
static void sense(session *s)
{
    char err[160];
    for (const kb_step *st; (st = session_step(s));) {
        bool sensible = (st->kind == SK_ACTION || st->kind == SK_CHECK || st->kind == SK_WAIT) &&
                        st->expect && !(st->gate && st->gate->critical);
        if (!sensible || !eval(s, st->expect, err, sizeof err) || !session_gate_holds(s))
            break;
        world_log(&s->w, LOG_INFO, "step %s completed: its expectation holds", st->id);
        complete(s, SS_DONE);
    }
}

static sess_result fail(char *msg, size_t msgsz, sess_result r, const char *fmt, ...)
    __attribute__((format(__printf__, 4, 5)));

static sess_result fail(char *msg, size_t msgsz, sess_result r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msgsz, fmt, ap);
    va_end(ap);
    return r;
}

static void apply_acts(session *s, const kb_actions *a)
{
    for (int i = 0; i < a->n; i++)
        world_act(&s->w, a->v[i].argc, a->v[i].argv, NULL);
}

static sess_result refuse_gate(session *s, const kb_step *st, char *msg, size_t msgsz)
{
    char text[600];
    session_text(s, st->gate->warning, text, sizeof text);
    s->refused++;
    return fail(msg, msgsz, SR_REFUSED, "gate: %s", text);
}

/* Lab `do`: perform (or acknowledge) the current step. */
static sess_result lab_do(session *s, const kb_step *st, char *msg, size_t msgsz)
{
    char err[160] = "";
    if (st->gate && !session_gate_holds(s))
        return refuse_gate(s, st, msg, msgsz);
    if (st->kind == SK_ACTION)
        apply_acts(s, &st->acts);
    if (st->gate && !session_gate_holds(s))
        return refuse_gate(s, st, msg, msgsz);
    if (!eval(s, st->expect, err, sizeof err)) {
        s->failed++;
        return fail(msg, msgsz, SR_FAILED, "%s %s: expected %s%s%s",
                    st->kind == SK_WAIT ? "still waiting at" : "not done:", st->id,
                    st->expect_text, err[0] ? ": " : "", err);
    }
    complete(s, SS_DONE);
    return SR_OK;
}

static bool attest_matches(session *s, const kb_step *st, const char *typed)
{
    char want[KB_VALUE_MAX];
    session_text(s, st->gate->attest, want, sizeof want);
    return strcasecmp(want, typed) == 0;
}

static sess_result guided_done(session *s, const kb_step *st, char *msg, size_t msgsz)
{
    if (st->gate && !s->attested[0]) {
        s->refused++;
        char text[600];
        session_text(s, st->gate->warning, text, sizeof text);
        return fail(msg, msgsz, SR_REFUSED, "gate: %s (attest by typing the name it asks for, "
                    "or override with a reason)", text);
    }
    apply_acts(s, &st->acts);
    complete(s, SS_DONE);
    return SR_OK;
}

static sess_result on_step(session *s, ev_kind k, const char *arg, char *msg, size_t msgsz)
{
    const kb_step *st = session_step(s);
    if (!st)
        return fail(msg, msgsz, SR_ERROR, "the method is finished");
    s->started = true;
    if (st->kind == SK_CHOICE && k != EV_CHOOSE && k != EV_NOTE && k != EV_ACT)
        return fail(msg, msgsz, SR_ERROR, "step %s is a choice: choose one of its options", st->id);
    switch (k) {
    case EV_DONE:
        if (s->mode != MODE_GUIDED)
            return fail(msg, msgsz, SR_ERROR, "lab: act on the cluster, or do the step");
        return guided_done(s, st, msg, msgsz);
    case EV_DO:
        if (s->mode != MODE_LAB)
            return fail(msg, msgsz, SR_ERROR, "guided: the operator does the step, then done");
        return lab_do(s, st, msg, msgsz);
    case EV_ATTEST:
        if (s->mode != MODE_GUIDED || !st->gate)
            return fail(msg, msgsz, SR_ERROR, "step %s has no gate to attest%s", st->id,
                        s->mode == MODE_LAB ? " (lab gates are sensed)" : "");
        if (!attest_matches(s, st, arg)) {
            s->refused++;
            return fail(msg, msgsz, SR_REFUSED, "attestation \"%s\" does not match what the "
                        "gate names; nothing was confirmed", arg);
        }
        text_copy(s->attested, sizeof s->attested, arg);
        return SR_OK;
    case EV_SKIP:
        if (st->gate)
            return fail(msg, msgsz, SR_REFUSED, "step %s has a gate and cannot be skipped%s",
                        st->id, s->mode == MODE_GUIDED ? "; override it with a reason" : "");
        s->skipped++;
        complete(s, SS_SKIPPED);
        return SR_OK;
    case EV_OVERRIDE:
        if (s->mode != MODE_GUIDED || !st->gate)
            return fail(msg, msgsz, SR_REFUSED, "%s", s->mode == MODE_LAB
                        ? "lab gates cannot be overridden: make the condition hold"
                        : "this step has no gate to override");
        apply_acts(s, &st->acts);
        complete(s, SS_OVERRIDDEN);
        return SR_OK;
    case EV_CHOOSE:
        if (st->kind != SK_CHOICE)
            return fail(msg, msgsz, SR_ERROR, "step %s is not a choice", st->id);
        for (int i = 0; i < st->noptions; i++)
            if (strcmp(st->options[i].id, arg) == 0) {
                s->status[s->cur] = SS_DONE;
                go(s, st->options[i].next);
                return SR_OK;
            }
        return fail(msg, msgsz, SR_ERROR, "step %s has no option \"%s\"", st->id, arg);
    default:
        return SR_OK;
    }
}

/* Splits an `act` line into words; '...' or "..." quote. */
static int split(char *line, const char **argv, int max)
{
    int n = 0;
    for (char *p = line; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (n == max)
            return -1;
        char q = (*p == '\'' || *p == '"') ? *p++ : 0;
        argv[n++] = p;
        p += q ? strcspn(p, (char[]){q, 0}) : strcspn(p, " \t");
        if (q && !*p)
            return -1;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

static sess_result on_act(session *s, const char *arg, char *msg, size_t msgsz)
{
    char line[1024];
    const char *argv[KB_MAX_ARGS];
    if (s->mode != MODE_LAB)
        return fail(msg, msgsz, SR_ERROR, "act is for the lab; guided sessions record done");
    if (s->finished)
        return fail(msg, msgsz, SR_ERROR, "the method is finished");
    text_copy(line, sizeof line, arg);
    int argc = split(line, argv, KB_MAX_ARGS);
    if (argc <= 0)
        return fail(msg, msgsz, SR_ERROR, "act: expected VERB ARGS... (unbalanced quote?)");
    s->started = true;
    if (world_act(&s->w, argc, argv, NULL) != 0)
        return fail(msg, msgsz, SR_ERROR, "act %s: %s", argv[0], s->w.log[s->w.nlog - 1].text);
    return SR_OK;
}

static sess_result on_bind(session *s, const char *arg, char *msg, size_t msgsz)
{
    char role[64] = "", node[KB_NAME_MAX] = "";
    if (sscanf(arg, "%63s %63s", role, node) != 2)
        return fail(msg, msgsz, SR_ERROR, "bind: expected ROLE NODE");
    int r = kb_find_role(s->kb, role);
    if (r < 0 || s->w.bind[r] < 0)
        return fail(msg, msgsz, SR_ERROR, "bind: no role \"%s\" in this method", role);
    int n = world_find_node(&s->w, node);
    if (s->mode == MODE_LAB) {
        if (n < 0)
            return fail(msg, msgsz, SR_ERROR, "bind: the lab has no node \"%s\"", node);
        s->w.bind[r] = n;
        return SR_OK;
    }
    if (n >= 0 && n != s->w.bind[r])
        return fail(msg, msgsz, SR_ERROR, "bind: \"%s\" already names another node", node);
    if (!text_is_id(node))
        return fail(msg, msgsz, SR_ERROR, "bind: \"%s\" is not a valid node name", node);
    text_copy(s->w.nodes[s->w.bind[r]].display, KB_NAME_MAX, node);
    return SR_OK;
}

static sess_result on_setup(session *s, ev_kind k, const char *arg, char *msg, size_t msgsz)
{
    if (k == EV_OPERATOR) {
        if (!*arg)
            return fail(msg, msgsz, SR_ERROR, "operator: a name is needed");
        text_copy(s->operator_name, sizeof s->operator_name, arg);
        return SR_OK;
    }
    if (s->started)
        return fail(msg, msgsz, SR_ERROR, "%s: only before the first step", ev_name(k));
    if (k == EV_BIND)
        return on_bind(s, arg, msg, msgsz);
    int m = kb_find_method(s->kb, arg);
    if (m < 0)
        return fail(msg, msgsz, SR_ERROR, "method: no method \"%s\"", arg);
    s->method = m;
    s->m = &s->kb->methods[m];
    reset_world(s);
    return SR_OK;
}

static void record(session *s, ev_kind k, const char *arg, sess_result r, int step)
{
    if (s->nevents == s->capevents) {
        s->capevents = s->capevents ? s->capevents * 2 : 32;
        s->events = xrealloc(s->events, sizeof *s->events * (size_t)s->capevents);
    }
    s->events[s->nevents++] = (sess_event){k, step, r, xstrdup(arg ? arg : "")};
}

static void log_change(void *ctx, const char *line)
{
    world_log(ctx, LOG_CHANGE, "%s", line);
}

sess_result session_apply(session *s, ev_kind k, const char *arg, char *msg, size_t msgsz)
{
    int step = s->cur;
    msg[0] = '\0';
    arg = arg ? arg : "";
    s->w.nlog = 0;
    memcpy(&s->before, &s->w, sizeof s->before);
    sess_result r;
    if (k == EV_NOTE)
        r = *arg ? SR_OK : fail(msg, msgsz, SR_ERROR, "note: the note is empty");
    else if ((k == EV_SKIP || k == EV_OVERRIDE) && !*arg)
        r = fail(msg, msgsz, SR_ERROR, "%s needs a written reason", ev_name(k));
    else if (k == EV_OPERATOR || k == EV_BIND || k == EV_METHOD)
        r = on_setup(s, k, arg, msg, msgsz);
    else if (k == EV_ACT)
        r = on_act(s, arg, msg, msgsz);
    else
        r = on_step(s, k, arg, msg, msgsz);
    /* The lab senses the world after every event: a step whose expectation
       already holds completes, whoever made it hold. */
    if (s->mode == MODE_LAB && r != SR_ERROR)
        sense(s);
    if (k != EV_METHOD)
        world_diff(&s->before, &s->w, log_change, &s->w);
    record(s, k, arg, r, step);
    return r;
}

void session_predict(const session *s, diff_fn fn, void *ctx)
{
    const kb_step *st = session_step(s);
    if (!st || st->acts.n == 0)
        return;
    world *copy = xmalloc(sizeof *copy);
    memcpy(copy, &s->w, sizeof *copy);
    for (int i = 0; i < st->acts.n; i++)
        world_act(copy, st->acts.v[i].argc, st->acts.v[i].argv, NULL);
    world_diff(&s->w, copy, fn, ctx);
    free(copy);
}

bool session_auto(session *s, ev_kind *k, char *arg, size_t argsz)
{
    const kb_step *st = session_step(s);
    char err[160];
    arg[0] = '\0';
    if (!st)
        return false;
    if (st->kind == SK_CHOICE) {
        int pick = 0;
        for (int i = 0; i < st->noptions; i++)
            if (st->options[i].when && eval(s, st->options[i].when, err, sizeof err)) {
                pick = i;
                break;
            }
        *k = EV_CHOOSE;
        text_copy(arg, argsz, st->options[pick].id);
    } else if (s->mode == MODE_LAB) {
        *k = EV_DO;
    } else if (st->gate && !s->attested[0]) {
        *k = EV_ATTEST;
        session_text(s, st->gate->attest, arg, argsz);
    } else {
        *k = EV_DONE;
    }
    return true;
}

int session_score(const session *s)
{
    int score = 100 - s->w.penalty - 10 * s->refused - 5 * s->skipped - 5 * s->failed;
    return score < 0 ? 0 : score;
}
