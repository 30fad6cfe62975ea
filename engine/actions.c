/*
 * actions.c - the simulator's action table: what a step's `act`, a
 * trigger's `do` and the headless `act VERB ARGS...` can do. The table is
 * the single source for dispatch, argument checking (here and in the
 * loader) and the schema document.
 */
#include "config.h"

#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "text.h"

static const char *disp(const world *w, int node)
{
    return w->nodes[node].display;
}

static int stop_service(world *w, const char **a, const int *x, const wctx *c)
{
    if (strcmp(world_svc_state(w, x[0], x[1]), "Running") != 0) {
        world_log(w, LOG_INFO, "%s on %s is already %s", w->sc->nodes[x[0]].svcs[x[1]].name,
                  disp(w, x[0]), world_svc_state(w, x[0], x[1]));
        return 0;
    }
    rules_stop_service(w, x[0], x[1], false);
    return 0;
}

static int start_service(world *w, const char **a, const int *x, const wctx *c)
{
    const char *st = world_svc_state(w, x[0], x[1]);
    if (strcmp(st, "Absent") == 0 || w->nodes[x[0]].startup[x[1]] == ST_DISABLED) {
        world_log(w, LOG_ERROR, "%s cannot start on %s: it is %s",
                  w->sc->nodes[x[0]].svcs[x[1]].name, disp(w, x[0]),
                  strcmp(st, "Absent") == 0 ? "not installed" : "disabled");
        return -1;
    }
    if (strcmp(st, "Running") != 0)
        rules_start_service(w, x[0], x[1]);
    return 0;
}

static int set_startup(world *w, const char **a, const int *x, const wctx *c)
{
    w->nodes[x[0]].startup[x[1]] = (unsigned char)x[2];
    return 0;
}

static int restart_node(world *w, const char **a, const int *x, const wctx *c)
{
    rules_restart_node(w, x[0]);
    return 0;
}

static int pause_node(world *w, const char **a, const int *x, const wctx *c)
{
    if (world_node_state(w, x[0]) != NS_UP) {
        world_log(w, LOG_ERROR, "%s is not Up", disp(w, x[0]));
        return -1;
    }
    w->nodes[x[0]].paused = true;
    return 0;
}

static int resume_node(world *w, const char **a, const int *x, const wctx *c)
{
    w->nodes[x[0]].paused = false;
    return 0;
}

static int move_group(world *w, const char **a, const int *x, const wctx *c)
{
    return rules_move_group(w, x[0], x[1], false);
}

static int need_owner_up(world *w, int group)
{
    node_state s = world_node_state(w, w->owner[group]);
    if (s == NS_UP || s == NS_PAUSED)
        return 0;
    world_log(w, LOG_ERROR, "%s is on %s, which is %s", w->sc->groups[group].name,
              disp(w, w->owner[group]), node_state_name(s));
    return -1;
}

static int online_group(world *w, const char **a, const int *x, const wctx *c)
{
    if (need_owner_up(w, x[0]))
        return -1;
    rules_online_group(w, x[0]);
    return 0;
}

static int offline_group(world *w, const char **a, const int *x, const wctx *c)
{
    rules_offline_group(w, x[0]);
    return 0;
}

static int online_res(world *w, const char **a, const int *x, const wctx *c)
{
    if (w->res[x[0]].state == RS_DELETED) {
        world_log(w, LOG_ERROR, "%s has been deleted", w->sc->res[x[0]].name);
        return -1;
    }
    if (need_owner_up(w, w->sc->res[x[0]].group))
        return -1;
    if (w->res[x[0]].state == RS_FAILED)
        w->res[x[0]].state = RS_OFFLINE;
    rules_online_res(w, x[0]);
    return 0;
}

static int offline_res(world *w, const char **a, const int *x, const wctx *c)
{
    rules_offline_res(w, x[0]);
    return 0;
}

static int delete_res(world *w, const char **a, const int *x, const wctx *c)
{
    rules_offline_res(w, x[0]);
    w->res[x[0]].state = RS_DELETED;
    return 0;
}

static int create_res(world *w, const char **a, const int *x, const wctx *c)
{
    if (w->res[x[0]].state == RS_DELETED)
        w->res[x[0]].state = RS_OFFLINE;
    return 0;
}

static int set_restart(world *w, const char **a, const int *x, const wctx *c)
{
    w->res[x[0]].restart = (unsigned char)x[1];
    return 0;
}

static int set_affect(world *w, const char **a, const int *x, const wctx *c)
{
    w->res[x[0]].affect = x[1] != 0;
    return 0;
}

static int remove_component(world *w, const char **a, const int *x, const wctx *c)
{
    if (!w->nodes[x[0]].comp[x[1]]) {
        world_log(w, LOG_INFO, "%s is not installed on %s",
                  w->sc->nodes[x[0]].comps[x[1]].name, disp(w, x[0]));
        return 0;
    }
    rules_remove_component(w, x[0], x[1]);
    return 0;
}

static int install_component(world *w, const char **a, const int *x, const wctx *c)
{
    const kb_node *d = &w->sc->nodes[x[0]];
    const kb_comp *k = &d->comps[x[1]];
    if (w->nodes[x[0]].comp[x[1]])
        return 0;
    if (!k->installable) {
        world_log(w, LOG_ERROR, "%s cannot be reinstalled on %s from here", k->name,
                  disp(w, x[0]));
        return -1;
    }
    for (int i = 0; i < k->nrequires; i++) {
        int q = kb_node_comp(d, k->requires[i]);
        if (q >= 0 && !w->nodes[x[0]].comp[q]) {
            world_log(w, LOG_ERROR, "%s needs %s, which is not installed on %s", k->name,
                      d->comps[q].name, disp(w, x[0]));
            return -1;
        }
    }
    w->nodes[x[0]].comp[x[1]] = true;
    wctx ctx = {0};
    wctx_set(&ctx, "node", d->name);
    wctx_set(&ctx, "comp", k->id);
    rules_emit(w, "install-component", k->id, &ctx);
    return 0;
}

/* The resource whose process runs on node, or -1. */
static int res_of_proc(const world *w, int node, const char *proc)
{
    for (int r = 0; r < w->sc->nres; r++)
        if (w->sc->res[r].process && strcmp(w->sc->res[r].process, proc) == 0 &&
            w->owner[w->sc->res[r].group] == node && w->res[r].state == RS_ONLINE)
            return r;
    return -1;
}

static int kill_proc(world *w, const char **a, const int *x, const wctx *c)
{
    const char *proc = a[1];
    if (!world_proc_running(w, x[0], proc)) {
        world_log(w, LOG_ERROR, "no process %s is running on %s", proc, disp(w, x[0]));
        return -1;
    }
    wctx ctx = {0};
    wctx_set(&ctx, "node", w->sc->nodes[x[0]].name);
    wctx_set(&ctx, "proc", proc);
    int r = res_of_proc(w, x[0], proc);
    const kb_node *d = &w->sc->nodes[x[0]];
    for (int s = 0; s < d->nsvcs; s++)
        if (d->svcs[s].process && strcmp(d->svcs[s].process, proc) == 0)
            rules_stop_service(w, x[0], s, true);
    if (r >= 0) {
        w->res[r].state = RS_FAILED;
        wctx_set(&ctx, "res", w->sc->res[r].id);
    }
    rules_emit(w, "kill", proc, &ctx);
    if (r >= 0 && w->res[r].restart == RP_RESTART && w->res[r].state == RS_FAILED) {
        w->res[r].state = RS_OFFLINE;
        rules_online_res(w, r);
        world_log(w, LOG_INFO, "the cluster restarted %s (restart policy: Restart)",
                  w->sc->res[r].name);
        rules_emit(w, "restart-res", w->sc->res[r].id, &ctx);
    }
    return 0;
}

static int run_tool(world *w, const char **a, const int *x, const wctx *c)
{
    if (w->nodes[x[0]].restarting) {
        world_log(w, LOG_ERROR, "%s is restarting", disp(w, x[0]));
        return -1;
    }
    wctx ctx = {0};
    wctx_set(&ctx, "node", w->sc->nodes[x[0]].name);
    wctx_set(&ctx, "tool", a[1]);
    for (int i = 2; a[i] && i < 2 + 9; i++) {
        static const char *const argn[] = {"arg1", "arg2", "arg3", "arg4", "arg5",
                                           "arg6", "arg7", "arg8", "arg9"};
        wctx_set(&ctx, argn[i - 2], a[i]);
    }
    short *saved = w->tool_exit;
    short *code = &w->nodes[x[0]].exitcode[x[1]];
    *code = 0;
    w->tool_exit = code;
    rules_emit(w, "run", a[1], &ctx);
    w->tool_exit = saved;
    world_log(w, *code ? LOG_ERROR : LOG_INFO, "%s on %s exited with status %d",
              w->kb->tools[x[1]].name, disp(w, x[0]), *code);
    return 0;
}

static int set_value(world *w, const char **a, const int *x, const wctx *c)
{
    text_copy(w->nodes[x[0]].val[x[1]], KB_VALUE_MAX, a[2]);
    return 0;
}

static int set_var(world *w, const char **a, const int *x, const wctx *c)
{
    text_copy(w->gval[x[0]], KB_VALUE_MAX, a[1]);
    return 0;
}

static int exit_code(world *w, const char **a, const int *x, const wctx *c)
{
    if (!w->tool_exit) {
        world_log(w, LOG_ERROR, "exit outside a tool run");
        return -1;
    }
    *w->tool_exit = (short)x[0];
    return 0;
}

static int wait_secs(world *w, const char **a, const int *x, const wctx *c)
{
    w->now += x[0];
    return 0;
}

const action_def world_actions[] = {
    {"stop-service", 2, 2, {AT_NODE, AT_SVC}, stop_service, false,
     "stops the service; the cluster service's node goes Down (red X) and its groups fail over"},
    {"start-service", 2, 2, {AT_NODE, AT_SVC}, start_service, false,
     "starts the service (refused when its component is absent); a cluster service rejoins the node"},
    {"set-startup", 3, 3, {AT_NODE, AT_SVC, AT_STARTUP}, set_startup, false,
     "sets the startup type: Automatic, Manual or Disabled"},
    {"restart-node", 1, 1, {AT_NODE}, restart_node, false,
     "the node goes Down (groups fail over), boots and starts its Automatic services; "
     "with a Manual cluster service it stays Down"},
    {"pause-node", 1, 1, {AT_NODE}, pause_node, false, "pauses the node (Paused)"},
    {"resume-node", 1, 1, {AT_NODE}, resume_node, false, "resumes a paused node"},
    {"move-group", 2, 2, {AT_GROUP, AT_NODE}, move_group, false,
     "takes the group's resources offline, then online on NODE in dependency order; "
     "a resource that cannot come online fails (the group with it when it affects the group)"},
    {"online-group", 1, 1, {AT_GROUP}, online_group, false, "brings the group online on its owner"},
    {"offline-group", 1, 1, {AT_GROUP}, offline_group, false, "takes the group offline"},
    {"online-res", 1, 1, {AT_RES}, online_res, false,
     "brings the resource (and what it depends on) online"},
    {"offline-res", 1, 1, {AT_RES}, offline_res, false,
     "takes the resource and its dependants offline"},
    {"delete-res", 1, 1, {AT_RES}, delete_res, false, "deletes the resource from its group"},
    {"create-res", 1, 1, {AT_RES}, create_res, false, "creates a deleted resource again (Offline)"},
    {"set-restart", 2, 2, {AT_RES, AT_POLICY}, set_restart, false,
     "sets the restart policy: Restart or DoNotRestart"},
    {"set-affect", 2, 2, {AT_RES, AT_YESNO}, set_affect, false,
     "sets Affect the group: yes or no"},
    {"remove-component", 2, 2, {AT_NODE, AT_COMP}, remove_component, false,
     "removes the component and, recursively, every component that requires it; "
     "their services become Absent"},
    {"install-component", 2, 2, {AT_NODE, AT_COMP}, install_component, false,
     "installs the component (refused when a required one is absent or it is not installable)"},
    {"kill", 2, 2, {AT_NODE, AT_PROC}, kill_proc, false,
     "kills the process: its service stops or its resource fails; with policy Restart "
     "the cluster restarts the resource at once"},
    {"run", 2, KB_MAX_ARGS - 1, {AT_NODE, AT_TOOL}, run_tool, false,
     "runs a declared tool on the node; its behaviour is the triggers on \"run\""},
    {"set", 3, 3, {AT_NODE, AT_KEY, AT_VALUE}, set_value, false, "sets a per-node value"},
    {"setvar", 2, 2, {AT_KEY, AT_VALUE}, set_var, false, "sets a global value"},
    {"wait", 1, 1, {AT_INT}, wait_secs, false, "lets simulated time pass (seconds)"},
    {"exit", 1, 1, {AT_INT}, exit_code, true, "in a trigger on \"run\": the tool's exit status"},
};
const int world_nactions = (int)(sizeof world_actions / sizeof world_actions[0]);

const action_def *world_action(const char *verb)
{
    for (int i = 0; i < world_nactions; i++)
        if (strcmp(world_actions[i].verb, verb) == 0)
            return &world_actions[i];
    return NULL;
}

static int enum_index(const char *list, const char *word)
{
    int i = 0;
    for (const char *p = list; *p; i++) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (strlen(word) == n && strncmp(p, word, n) == 0)
            return i;
        if (!e)
            break;
        p = e + 1;
    }
    return -1;
}

/* Resolves one typed argument to an index; -1 with *what set when unknown. */
static int resolve_arg(const world *w, arg_type t, const char *s, int node,
                       const char **what)
{
    const kb_scenario *sc = w->sc;
    char *end;
    switch (t) {
    case AT_NODE: *what = "node"; return world_find_node(w, s);
    case AT_SVC: *what = "service"; return node < 0 ? -1 : kb_node_svc(&sc->nodes[node], s);
    case AT_COMP: *what = "component"; return node < 0 ? -1 : kb_node_comp(&sc->nodes[node], s);
    case AT_GROUP: *what = "group"; return kb_find_group(sc, s);
    case AT_RES: *what = "resource"; return kb_find_res(sc, s);
    case AT_TOOL: *what = "tool"; return kb_find_tool(w->kb, s);
    case AT_KEY:
        *what = "value";
        return node >= 0 ? kb_node_val(&sc->nodes[node], s) : kb_scen_val(sc, s);
    case AT_STARTUP: *what = "startup type"; return enum_index("Automatic Manual Disabled", s);
    case AT_POLICY: *what = "restart policy"; return enum_index("Restart DoNotRestart", s);
    case AT_YESNO: *what = "yes/no"; return enum_index("no yes", s);
    case AT_INT: {
        *what = "number";
        long v = strtol(s, &end, 10);
        return (*s && !*end && v >= 0 && v <= 100000) ? (int)v : -1;
    }
    default: return 0;
    }
}

int world_act(world *w, int argc, const char *const *argv, const wctx *ctx)
{
    char words[KB_MAX_ARGS][KB_VALUE_MAX];
    const char *a[KB_MAX_ARGS + 1] = {0};
    int idx[4] = {0}, node = -1;
    if (argc < 1 || argc > KB_MAX_ARGS) {
        world_log(w, LOG_ERROR, "an action needs a verb and at most %d words", KB_MAX_ARGS - 1);
        return -1;
    }
    for (int i = 0; i < argc; i++) {
        world_subst_id(w, argv[i], ctx, words[i], sizeof words[i]);
        a[i] = words[i];
    }
    const action_def *d = world_action(a[0]);
    if (!d || (d->trigger_only && !w->tool_exit)) {
        world_log(w, LOG_ERROR, "unknown action \"%s\"", a[0]);
        return -1;
    }
    if (argc - 1 < d->min || argc - 1 > d->max) {
        world_log(w, LOG_ERROR, "%s takes %d argument(s)", d->verb, d->min);
        return -1;
    }
    for (int i = 0; i < 4 && i < argc - 1 && i < d->min; i++) {
        const char *what = "";
        if (d->args[i] == AT_VALUE || d->args[i] == AT_PROC || d->args[i] == AT_WORD)
            continue;
        idx[i] = resolve_arg(w, d->args[i], a[i + 1], node, &what);
        if (idx[i] < 0) {
            world_log(w, LOG_ERROR, "%s: unknown %s \"%s\"", d->verb, what, a[i + 1]);
            return -1;
        }
        if (d->args[i] == AT_NODE)
            node = idx[i];
    }
    return d->fn(w, a + 1, idx, ctx);
}
