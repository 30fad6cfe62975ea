/*
 * session.h - a session is its list of events (event sourcing): operator,
 * bindings, method, and per step done / do / act / attest / skip / override /
 * note / choose. The world at any point is the scenario with the events
 * replayed; the same article, events and seed always give the same state.
 */
#ifndef KB_SESSION_H
#define KB_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "kb.h"
#include "world.h"

typedef enum { MODE_GUIDED, MODE_LAB } kb_mode;

typedef enum {
    SS_PENDING, SS_DONE, SS_SKIPPED, SS_OVERRIDDEN, SS_NA
} step_status;

typedef enum {
    EV_OPERATOR, EV_BIND, EV_METHOD, EV_CHOOSE, EV_DONE, EV_DO, EV_ACT,
    EV_ATTEST, EV_SKIP, EV_OVERRIDE, EV_NOTE, EV_COUNT
} ev_kind;

typedef enum { SR_OK, SR_REFUSED, SR_FAILED, SR_ERROR } sess_result;

typedef struct sess_event {
    ev_kind kind;
    int step;                  /* the current step when it was applied */
    sess_result result;
    char *arg;
} sess_event;

typedef struct session {
    const kb_article *kb;
    const kb_method *m;
    int method;
    kb_mode mode;
    uint64_t seed;
    world w;
    int cur;                   /* current step, -1 when the method is finished */
    unsigned char status[KB_MAX_STEPS];
    char operator_name[KB_NAME_MAX];
    char attested[KB_VALUE_MAX];
    bool started, finished, goal_met;
    int refused, skipped, failed;
    int nevents, capevents;
    sess_event *events;
    world before;              /* scratch: the world before the last event */
} session;

const char *ev_name(ev_kind k);
int ev_parse(const char *word);
const char *step_status_name(step_status s);
const char *sess_result_name(sess_result r);

session *session_new(const kb_article *kb, kb_mode mode, int method, uint64_t seed);
void session_free(session *s);

/*
 * Applies one event. The world's log then holds what happened (messages,
 * trigger output, and the state changes as LOG_CHANGE lines); msg gets the
 * one-line outcome (a refused gate's warning, an error).
 */
sess_result session_apply(session *s, ev_kind k, const char *arg, char *msg, size_t msgsz);

const kb_step *session_step(const session *s);
/* Does the current step's gate hold in the (simulated or expected) world? */
bool session_gate_holds(session *s);
/* Text with {roles} replaced by the bound display names. */
void session_text(const session *s, const char *in, char *out, size_t outsz);
/* What the current step's own action would change, line by line. */
void session_predict(const session *s, diff_fn fn, void *ctx);
/* The event --auto takes next; false when there is none. */
bool session_auto(session *s, ev_kind *k, char *arg, size_t argsz);
/* Lab score out of 100. */
int session_score(const session *s);

#endif
