/*
 * test_articles.c - the five articles as data: each loads, and every
 * method of every article reaches its goal from the problem state with
 * --auto, in the lab and guided; plus checks of the goal state written
 * here independently of the article's own goal condition.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "support.h"

static const char *const ids[] = {"312395", "885440", "889528", "241573", "240208"};

Test(articles, all_five_load_with_their_ids)
{
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        kb_article *kb = t_article(ids[i]);
        cr_assert_str_eq(kb->id, ids[i]);
        cr_assert_geq(kb->nmethods, 1);
        t_free(kb);
    }
}

/* Runs every method of an article in one mode; asserts the goal each time. */
static void every_method(const char *id, kb_mode mode)
{
    kb_article *kb = t_article(id);
    for (int m = 0; m < kb->nmethods; m++) {
        session *s = session_new(kb, mode, m, 1);
        sess_result r = t_auto(s);
        cr_expect_eq(r, SR_OK, "%s %s: --auto stopped at step %d", id, kb->methods[m].id, s->cur);
        cr_expect(s->finished && s->goal_met, "%s %s (%s): goal not reached", id,
                  kb->methods[m].id, mode == MODE_LAB ? "lab" : "guided");
        session_free(s);
    }
    t_free(kb);
}

Test(articles, every_method_reaches_its_goal_in_the_lab)
{
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        every_method(ids[i], MODE_LAB);
}

Test(articles, every_method_reaches_its_goal_guided)
{
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        every_method(ids[i], MODE_GUIDED);
}

/* Runs one method with --auto in the lab and returns the session. */
static session *lab_auto(kb_article *kb, const char *method)
{
    int m = kb_find_method(kb, method);
    cr_assert_geq(m, 0, "no method %s", method);
    session *s = session_new(kb, MODE_LAB, m, 1);
    cr_assert_eq(t_auto(s), SR_OK);
    cr_assert(s->finished);
    return s;
}

Test(articles, ese_hotfix_on_a_cluster_ends_patched_online_and_on_restart)
{
    kb_article *kb = t_article("889528");
    session *s = lab_auto(kb, "clustered");
    cr_assert(t_holds(&s->w, "val:NODE1:file/Ese.dll == 6.5.7232.54"));
    cr_assert(t_holds(&s->w, "val:NODE2:file/Ese.dll == 6.5.7232.54"));
    cr_assert(t_holds(&s->w, "group:exchange == Online and group:cluster == Online"));
    cr_assert(t_holds(&s->w, "restart:is == Restart"));
    cr_assert(t_holds(&s->w, "node:NODE1 == Up and node:NODE2 == Up"));
    session_free(s);
    t_free(kb);
}

Test(articles, the_passive_node_shows_the_red_x_then_rejoins)
{
    kb_article *kb = t_article("889528");
    session *s = session_new(kb, MODE_LAB, kb_find_method(kb, "clustered"), 1);
    cr_assert_eq(t_ev(s, "act stop-service NODE2 ClusSvc"), SR_OK);
    cr_assert(t_holds(&s->w, "node:NODE2 == Down"));
    cr_assert_eq(t_ev(s, "act restart-node NODE2"), SR_OK);
    cr_assert(t_holds(&s->w, "node:NODE2 == Up"));
    session_free(s);
    t_free(kb);
}

Test(articles, smtp_repair_on_a_cluster_keeps_common_files_and_both_nodes_up)
{
    kb_article *kb = t_article("312395");
    session *s = lab_auto(kb, "method2-repair");
    cr_assert(t_holds(&s->w, "comp:{repair}:CommonFiles == Installed"));
    cr_assert(t_holds(&s->w, "svc:{repair}:ClusSvc == Running and node:{repair} == Up"));
    cr_assert(t_holds(&s->w, "comp:{repair}:SMTP == Installed and comp:{repair}:NNTP == Installed"));
    session_free(s);
    t_free(kb);
}

Test(articles, removing_common_files_is_simulated_and_gated)
{
    kb_article *kb = t_article("312395");
    session *s = session_new(kb, MODE_LAB, kb_find_method(kb, "method2-repair"), 1);
    cr_assert_eq(t_ev(s, "do"), SR_OK, "the virtual servers move off the repair node");
    cr_assert_eq(t_ev(s, "act remove-component NODE2 CommonFiles"), SR_OK);
    cr_assert(t_holds(&s->w, "svc:NODE2:ClusSvc == Absent and node:NODE2 == Down"));
    cr_assert_eq(t_ev(s, "do"), SR_REFUSED);
    cr_assert_eq(t_ev(s, "act restart-node NODE2"), SR_OK);
    cr_assert(t_holds(&s->w, "node:NODE2 == Down"), "the red X stays");
    session_free(s);
    t_free(kb);
}
