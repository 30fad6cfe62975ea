/*
 * test_session.c - the step machine on the fixture: lab gates are sensed
 * and cannot be typed past; guided gates need the named attestation (or an
 * override with a reason); skips need reasons; choices branch and leave
 * steps not applicable; replaying the events gives the same state.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "support.h"

static kb_article *kb;

static void setup(void)
{
    kb = t_fixture("rules");
}

static void teardown(void)
{
    t_free(kb);
}

TestSuite(session, .init = setup, .fini = teardown);

Test(session, lab_gate_refuses_until_it_holds)
{
    session *s = session_new(kb, MODE_LAB, 0, 1);
    cr_assert_eq(t_ev(s, "do"), SR_REFUSED, "N2 owns g2: the gate holds the trainee");
    cr_assert(t_holds(&s->w, "node:N2 == Up"), "a refused step changes nothing");
    cr_assert_eq(t_ev(s, "override I know better"), SR_REFUSED, "no override in the lab");
    cr_assert_eq(t_ev(s, "skip in a hurry"), SR_REFUSED, "a gated step cannot be skipped");
    cr_assert_eq(t_ev(s, "act move-group g2 N1"), SR_OK);
    cr_assert_eq(s->cur, 0);
    cr_assert_eq(t_ev(s, "do"), SR_OK);
    cr_assert(t_holds(&s->w, "node:N2 == Down"));
    cr_assert_eq(s->cur, 1);
    cr_assert_eq(s->refused, 1);
    session_free(s);
}

Test(session, lab_senses_an_expectation_reached_by_acting)
{
    session *s = session_new(kb, MODE_LAB, 0, 1);
    t_ev(s, "act move-group g2 N3");
    cr_assert_eq(t_ev(s, "act stop-service N2 ClusSvc"), SR_OK);
    cr_assert_eq(s->status[0], SS_DONE, "the step completed when its expectation held");
    cr_assert_eq(s->cur, 1);
    session_free(s);
}

Test(session, guided_gate_needs_the_named_attestation)
{
    session *s = session_new(kb, MODE_GUIDED, 0, 1);
    cr_assert_eq(t_ev(s, "bind b EXCH-B"), SR_OK);
    cr_assert_eq(t_ev(s, "done"), SR_REFUSED, "no attestation yet");
    cr_assert_eq(t_ev(s, "attest y"), SR_REFUSED, "\"y\" names nothing");
    cr_assert_eq(t_ev(s, "attest N2"), SR_REFUSED, "the bound name is EXCH-B");
    cr_assert_eq(t_ev(s, "attest exch-b"), SR_OK);
    cr_assert_eq(t_ev(s, "done"), SR_OK);
    cr_assert(t_holds(&s->w, "node:N2 == Down"), "the expected world follows the step");
    cr_assert_str_eq(s->w.nodes[1].display, "EXCH-B");
    session_free(s);
}

Test(session, override_and_skip_need_reasons)
{
    session *s = session_new(kb, MODE_GUIDED, 0, 1);
    cr_assert_eq(t_ev(s, "override"), SR_ERROR);
    cr_assert_eq(t_ev(s, "override change 123 approved by CAB"), SR_OK);
    cr_assert_eq(s->status[0], SS_OVERRIDDEN);
    t_ev(s, "choose y");
    cr_assert_eq(t_ev(s, "skip"), SR_ERROR, "a skip without a reason");
    cr_assert_eq(t_ev(s, "skip not needed here"), SR_OK);
    cr_assert_eq(s->status[2], SS_SKIPPED);
    session_free(s);
}

Test(session, choices_branch_and_leave_steps_not_applicable)
{
    session *s = session_new(kb, MODE_GUIDED, 0, 1);
    t_ev(s, "attest N2");
    t_ev(s, "done");
    cr_assert_eq(t_ev(s, "done"), SR_ERROR, "a choice needs choose");
    cr_assert_eq(t_ev(s, "choose z"), SR_ERROR);
    cr_assert_eq(t_ev(s, "choose x"), SR_OK);
    cr_assert_eq(s->cur, 3, "option x jumps to the last step");
    cr_assert_eq(t_ev(s, "done"), SR_OK);
    cr_assert(s->finished && s->goal_met);
    cr_assert_eq(s->status[2], SS_NA);
    session_free(s);
}

Test(session, setup_events_only_before_the_first_step)
{
    session *s = session_new(kb, MODE_LAB, 0, 1);
    cr_assert_eq(t_ev(s, "bind a N3"), SR_OK, "lab: rebinding a role to another scenario node");
    cr_assert_eq(t_ev(s, "bind a N9"), SR_ERROR);
    cr_assert_eq(t_ev(s, "done"), SR_ERROR, "done is the guided verb");
    t_ev(s, "act move-group g2 N1");
    cr_assert_eq(t_ev(s, "bind b N3"), SR_ERROR, "bindings are fixed once the session started");
    cr_assert_eq(t_ev(s, "method m"), SR_ERROR);
    session_free(s);
}

Test(session, auto_walks_the_method_in_both_modes)
{
    for (int mode = 0; mode < 2; mode++) {
        session *s = session_new(kb, (kb_mode)mode, 0, 1);
        if (mode == MODE_LAB)
            t_ev(s, "act move-group g2 N1");
        cr_assert_eq(t_auto(s), SR_OK);
        cr_assert(s->finished && s->goal_met, "mode %d", mode);
        session_free(s);
    }
}

Test(session, replaying_the_events_rebuilds_the_same_state)
{
    session *a = session_new(kb, MODE_LAB, 0, 9);
    const char *evs[] = {"operator Ann", "act restart-node N1", "act move-group g2 N3", "do",
                         "note checked the event log", "choose y", "do"};
    for (size_t i = 0; i < sizeof evs / sizeof *evs; i++)
        t_ev(a, evs[i]);
    session *b = session_new(kb, MODE_LAB, 0, 9);
    char msg[256];
    for (int i = 0; i < a->nevents; i++)
        session_apply(b, a->events[i].kind, a->events[i].arg, msg, sizeof msg);
    cr_assert_eq(memcmp(&a->w, &b->w, sizeof a->w), 0);
    cr_assert_eq(memcmp(a->status, b->status, sizeof a->status), 0);
    cr_assert_eq(a->cur, b->cur);
    session_free(a);
    session_free(b);
}

static void collect(void *ctx, const char *line)
{
    strcat(ctx, line);
    strcat(ctx, "\n");
}

Test(session, prediction_shows_the_change_without_making_it)
{
    session *s = session_new(kb, MODE_GUIDED, 0, 1);
    static world before;
    static char lines[8192];
    memcpy(&before, &s->w, sizeof before);
    session_predict(s, collect, lines);
    cr_assert(strstr(lines, "N2: Up -> Down (red X)"), "%s", lines);
    cr_assert(strstr(lines, "Group Two: N2 -> N1"), "%s", lines);
    cr_assert_eq(memcmp(&before, &s->w, sizeof before), 0);
    session_free(s);
}
