/*
 * test_rules.c - the cluster rules on a synthetic fixture
 * (tests/fixtures/rules.cfg): failover, restart and startup types,
 * dependency order, Affect the group, component cascade, restart policy,
 * triggers, tool exit codes, the red X in the diagram, determinism.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "diagram.h"
#include "support.h"

static kb_article *kb;
static world w;

static void setup(void)
{
    kb = t_fixture("rules");
    world_init(&w, kb, 0, 42);
}

static void teardown(void)
{
    t_free(kb);
}

TestSuite(rules, .init = setup, .fini = teardown);

Test(rules, stopping_the_cluster_service_fails_groups_over)
{
    cr_assert(t_holds(&w, "owner:g2 == N2 and group:g2 == Online"));
    cr_assert_eq(t_act(&w, "stop-service N2 ClusSvc"), 0);
    cr_assert(t_holds(&w, "node:N2 == Down"));
    cr_assert(t_holds(&w, "owner:g2 == N1 and group:g2 == Online"));
}

Test(rules, groups_go_offline_when_no_node_is_up)
{
    t_act(&w, "stop-service N3 ClusSvc");
    t_act(&w, "stop-service N2 ClusSvc");
    t_act(&w, "stop-service N1 ClusSvc");
    cr_assert(t_holds(&w, "group:g1 == Offline and group:g2 == Offline"));
    t_act(&w, "start-service N1 ClusSvc");
    cr_assert(t_holds(&w, "node:N1 == Up and group:g1 == Online"), "groups return with a node");
}

Test(rules, a_paused_node_takes_no_failover)
{
    t_act(&w, "pause-node N1");
    cr_assert(t_holds(&w, "node:N1 == Paused"));
    t_act(&w, "stop-service N2 ClusSvc");
    cr_assert(t_holds(&w, "owner:g2 == N3"));
}

Test(rules, restart_honours_startup_types)
{
    t_act(&w, "restart-node N2");
    cr_assert(t_holds(&w, "node:N2 == Up and svc:N2:ClusSvc == Running"));
    t_act(&w, "restart-node N3");
    cr_assert(t_holds(&w, "node:N3 == Down and svc:N3:ClusSvc == Stopped"),
              "a Manual Cluster service leaves the node Down");
    t_act(&w, "set-startup N3 ClusSvc Automatic");
    t_act(&w, "restart-node N3");
    cr_assert(t_holds(&w, "node:N3 == Up"));
}

Test(rules, a_restart_takes_time_and_moves_groups_away)
{
    long before = w.now;
    t_act(&w, "restart-node N1");
    cr_assert_geq(w.now - before, 60);
    cr_assert(t_holds(&w, "node:N1 == Up and owner:g1 != N1"), "g1 failed over during the restart");
}

Test(rules, resources_follow_dependency_order)
{
    const kb_scenario *sc = w.sc;
    int pos[3];
    for (int i = 0; i < sc->nres; i++)
        for (int k = 0; k < 3; k++)
            if (sc->resorder[i] == kb_find_res(sc, (const char *[]){"ip", "disk", "app"}[k]))
                pos[k] = i;
    cr_assert(pos[0] < pos[1] && pos[1] < pos[2]);
    t_act(&w, "offline-res ip");
    cr_assert(t_holds(&w, "res:disk == Offline and res:app == Offline"), "dependants go first");
    t_act(&w, "online-res app");
    cr_assert(t_holds(&w, "res:ip == Online and res:disk == Online and res:app == Online"));
}

Test(rules, a_missing_dependency_fails_its_dependant)
{
    t_act(&w, "delete-res disk");
    t_act(&w, "move-group g1 N3");
    cr_assert(t_holds(&w, "res:ip == Online and res:app == Failed"));
}

Test(rules, affect_the_group_fails_the_group)
{
    t_act(&w, "move-group g1 N2");
    cr_assert(t_holds(&w, "res:app == Failed and group:g1 == Failed"),
              "app.dll 1.9 on N2 cannot run app, which affects the group");
    t_act(&w, "set-affect app no");
    t_act(&w, "move-group g1 N3");
    t_act(&w, "move-group g1 N2");
    cr_assert(t_holds(&w, "res:app == Failed and group:g1 == PartialOnline"));
}

Test(rules, removing_common_files_removes_the_cluster_service)
{
    t_act(&w, "remove-component N1 CommonFiles");
    cr_assert(t_holds(&w, "comp:N1:ClusterService == Absent and comp:N1:WWW == Absent"));
    cr_assert(t_holds(&w, "svc:N1:ClusSvc == Absent and node:N1 == Down"));
    cr_assert(t_holds(&w, "owner:g1 != N1"), "its group failed over");
    cr_assert_neq(t_act(&w, "start-service N1 ClusSvc"), 0);
    cr_assert_neq(t_act(&w, "install-component N1 ClusterService"), 0, "not installable");
    t_act(&w, "install-component N1 CommonFiles");
    t_act(&w, "restart-node N1");
    cr_assert(t_holds(&w, "node:N1 == Down"), "the red X never clears");
}

Test(rules, kill_with_restart_policy_restarts_the_resource)
{
    cr_assert(t_holds(&w, "proc:N1:app.exe == Running"));
    t_act(&w, "kill N1 app.exe");
    cr_assert(t_holds(&w, "res:app == Online and proc:N1:app.exe == Running"));
    cr_assert_eq(w.mistakes, 1);
    cr_assert_eq(w.penalty, 7);
}

Test(rules, kill_with_do_not_restart_leaves_it_failed)
{
    t_act(&w, "set-restart app DoNotRestart");
    t_act(&w, "kill N1 app.exe");
    cr_assert(t_holds(&w, "res:app == Failed and proc:N1:app.exe == Stopped"));
    cr_assert(t_holds(&w, "group:g1 == PartialOnline"), "Do not restart does not affect the group");
    cr_assert_eq(w.mistakes, 0);
}

Test(rules, a_kill_stops_the_service_behind_a_process)
{
    t_act(&w, "kill N2 inetinfo.exe");
    cr_assert(t_holds(&w, "svc:N2:W3SVC == Stopped"));
    cr_assert_neq(t_act(&w, "kill N2 inetinfo.exe"), 0, "nothing left to kill");
}

Test(rules, triggers_fire_on_their_event_and_condition)
{
    t_act(&w, "move-group g1 N3");
    cr_assert(t_holds(&w, "var:moves == none"), "N3 has app.dll 2.1");
    t_act(&w, "move-group g1 N2");
    cr_assert(t_holds(&w, "var:moves == old"));
    bool said = false;
    for (int i = 0; i < w.nlog; i++)
        said |= w.log[i].kind == LOG_SAY && strstr(w.log[i].text, "moved to N2");
    cr_assert(said);
}

Test(rules, tools_return_exit_codes)
{
    cr_assert(t_holds(&w, "exit:N1:probe == none"));
    t_act(&w, "run N1 probe fail");
    cr_assert(t_holds(&w, "exit:N1:probe == 3"));
    t_act(&w, "run N1 probe fine");
    cr_assert(t_holds(&w, "exit:N1:probe == 0"));
}

Test(rules, unknown_things_are_refused_without_change)
{
    world before;
    memcpy(&before, &w, sizeof before);
    cr_assert_neq(t_act(&w, "move-group nosuch N1"), 0);
    cr_assert_neq(t_act(&w, "stop-service N9 ClusSvc"), 0);
    cr_assert_neq(t_act(&w, "explode N1"), 0);
    cr_assert_neq(t_act(&w, "exit 3"), 0, "exit only inside a tool run");
    cr_assert_eq(memcmp(before.owner, w.owner, sizeof w.owner), 0);
    cr_assert_eq(memcmp(before.nodes, w.nodes, sizeof w.nodes), 0);
}

Test(rules, the_diagram_crosses_a_down_node)
{
    static diagram d;
    static char text[16384];
    t_act(&w, "stop-service N2 ClusSvc");
    diagram_build(&w, &d);
    cr_assert(d.nodes[1].down && !d.nodes[0].down);
    diagram_text(&d, 100, text, sizeof text);
    cr_assert(strstr(text, "DOWN"), "%s", text);
    cr_assert(strstr(text, "state: Down (red X)"), "%s", text);
    /* The second box (columns 34..65 at width 100) holds the diagonals. */
    int back = 0, fwd = 0;
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        const char *nl = strchr(line, '\n');
        int len = nl ? (int)(nl - line) : (int)strlen(line);
        for (int c = 34; c < 66 && c < len; c++) {
            back += line[c] == '\\';
            fwd += line[c] == '/';
        }
    }
    cr_assert(back >= 3 && fwd >= 3, "an X is drawn across the box:\n%s", text);
    t_act(&w, "start-service N2 ClusSvc");
    diagram_build(&w, &d);
    diagram_text(&d, 100, text, sizeof text);
    cr_assert(!strstr(text, "DOWN") && !strchr(text, '\\'), "the X goes when it rejoins:\n%s", text);
}

Test(rules, the_same_seed_and_actions_give_the_same_world)
{
    static world a, b;
    const char *script[] = {"restart-node N1", "move-group g1 N2", "kill N2 inetinfo.exe",
                            "restart-node N2", "remove-component N3 WWW"};
    world_init(&a, kb, 0, 7);
    world_init(&b, kb, 0, 7);
    for (size_t i = 0; i < sizeof script / sizeof *script; i++) {
        t_act(&a, script[i]);
        t_act(&b, script[i]);
    }
    cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
    world_init(&b, kb, 0, 8);
    t_act(&b, "restart-node N1");
    world_init(&a, kb, 0, 7);
    t_act(&a, "restart-node N1");
    cr_assert_neq(a.now, b.now, "the seed drives the simulated durations");
}
