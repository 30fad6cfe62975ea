/*
 * rules.c - the dynamics of the simulated cluster, written once for every
 * article: a node whose Cluster service stops leaves the cluster and its
 * groups fail over; groups move in dependency order; a resource that cannot
 * come online fails (and fails its group when it affects the group); removing
 * a component removes what needs it; a restart starts Automatic services
 * only; triggers declared in kbdata add article-specific behaviour.
 */
#include "config.h"

#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

#define TRIGGER_DEPTH 8

unsigned rules_rand(world *w, unsigned n)
{
    /* xorshift64*: deterministic for a given seed and history. */
    w->rng ^= w->rng >> 12;
    w->rng ^= w->rng << 25;
    w->rng ^= w->rng >> 27;
    return n ? (unsigned)((w->rng * 0x2545F4914F6CDD1Dull) >> 33) % n : 0;
}

static bool is_cluster_svc(const world *w, int node, int svc)
{
    return w->sc->cluster_service &&
           strcmp(w->sc->nodes[node].svcs[svc].id, w->sc->cluster_service) == 0;
}

static const char *nname(const world *w, int node)
{
    return w->sc->nodes[node].name;
}

/* First Up node other than `not`, in scenario order; -1 if none. */
static int failover_target(const world *w, int not)
{
    for (int i = 0; i < w->sc->nnodes; i++)
        if (i != not && world_node_state(w, i) == NS_UP)
            return i;
    return -1;
}

bool rules_online_res(world *w, int r)
{
    const kb_res *d = &w->sc->res[r];
    wres *s = &w->res[r];
    int owner = w->owner[d->group];
    if (s->state == RS_DELETED || s->state == RS_ONLINE)
        return s->state == RS_ONLINE;
    node_state ns = world_node_state(w, owner);
    if (ns != NS_UP && ns != NS_PAUSED)
        return false;
    bool ok = true;
    for (int i = 0; i < d->ndepends; i++)
        ok = rules_online_res(w, d->depidx[i]) && ok;
    char err[160] = "";
    if (ok && d->requires) {
        wctx ctx = {0};
        wctx_set(&ctx, "node", nname(w, owner));
        ok = world_eval(w, d->requires, &ctx, err, sizeof err);
    }
    s->state = ok ? RS_ONLINE : RS_FAILED;
    if (!ok) {
        world_log(w, err[0] ? LOG_ERROR : LOG_INFO, "%s failed to come online on %s%s%s%s",
                  d->name, w->nodes[owner].display,
                  s->affect && s->restart == RP_RESTART ? " (it affects the group)" : "", err[0] ? ": " : "", err);
        wctx ctx = {0};
        wctx_set(&ctx, "node", nname(w, owner));
        wctx_set(&ctx, "res", d->id);
        rules_emit(w, "fail", d->id, &ctx);
    }
    return ok;
}

void rules_offline_res(world *w, int r)
{
    const kb_scenario *sc = w->sc;
    /* Dependants go offline first. */
    for (int i = sc->nres - 1; i >= 0; i--) {
        int x = sc->resorder[i];
        for (int k = 0; k < sc->res[x].ndepends; k++)
            if (sc->res[x].depidx[k] == r)
                rules_offline_res(w, x);
    }
    if (w->res[r].state != RS_DELETED)
        w->res[r].state = RS_OFFLINE;
}

void rules_online_group(world *w, int g)
{
    for (int i = 0; i < w->sc->nres; i++) {
        int r = w->sc->resorder[i];
        if (w->sc->res[r].group == g)
            rules_online_res(w, r);
    }
}

void rules_offline_group(world *w, int g)
{
    for (int i = w->sc->nres - 1; i >= 0; i--) {
        int r = w->sc->resorder[i];
        if (w->sc->res[r].group == g && w->res[r].state != RS_DELETED)
            w->res[r].state = RS_OFFLINE;
    }
}

int rules_move_group(world *w, int g, int target, bool failover)
{
    int from = w->owner[g];
    node_state ts = world_node_state(w, target);
    if (ts != NS_UP) {
        world_log(w, LOG_ERROR, "%s cannot take %s: it is %s", w->nodes[target].display,
                  w->sc->groups[g].name, node_state_name(ts));
        return -1;
    }
    rules_offline_group(w, g);
    w->owner[g] = target;
    rules_online_group(w, g);
    wctx ctx = {0};
    wctx_set(&ctx, "node", nname(w, target));
    wctx_set(&ctx, "to", nname(w, target));
    wctx_set(&ctx, "from", nname(w, from));
    wctx_set(&ctx, "group", w->sc->groups[g].id);
    if (failover)
        world_log(w, LOG_INFO, "%s failed over from %s to %s", w->sc->groups[g].name,
                  w->nodes[from].display, w->nodes[target].display);
    rules_emit(w, "move", w->sc->groups[g].id, &ctx);
    if (failover)
        rules_emit(w, "failover", w->sc->groups[g].id, &ctx);
    return 0;
}

void rules_node_left(world *w, int node)
{
    for (int g = 0; g < w->sc->ngroups; g++) {
        if (w->owner[g] != node)
            continue;
        int t = failover_target(w, node);
        if (t >= 0) {
            rules_move_group(w, g, t, true);
        } else {
            rules_offline_group(w, g);
            world_log(w, LOG_INFO, "%s is offline: no node is up to take it",
                      w->sc->groups[g].name);
        }
    }
}

void rules_node_joined(world *w, int node)
{
    for (int g = 0; g < w->sc->ngroups; g++) {
        int owner = w->owner[g];
        if (owner == node && world_group_state(w, g) == GS_OFFLINE)
            rules_online_group(w, g);
        else if (owner != node && world_node_state(w, owner) == NS_DOWN)
            rules_move_group(w, g, node, true);
    }
}

static void svc_event(world *w, const char *event, int node, int svc)
{
    wctx ctx = {0};
    wctx_set(&ctx, "node", nname(w, node));
    wctx_set(&ctx, "svc", w->sc->nodes[node].svcs[svc].id);
    rules_emit(w, event, w->sc->nodes[node].svcs[svc].id, &ctx);
}

void rules_stop_service(world *w, int node, int svc, bool quiet)
{
    bool member = world_node_state(w, node) != NS_DOWN;
    w->nodes[node].svc_run[svc] = false;
    if (is_cluster_svc(w, node, svc) && member)
        rules_node_left(w, node);
    if (!quiet)
        svc_event(w, "stop-service", node, svc);
}

void rules_start_service(world *w, int node, int svc)
{
    w->nodes[node].svc_run[svc] = true;
    if (is_cluster_svc(w, node, svc) && world_node_state(w, node) == NS_UP) {
        world_log(w, LOG_INFO, "%s is joining the cluster", w->nodes[node].display);
        rules_node_joined(w, node);
    }
    svc_event(w, "start-service", node, svc);
}

void rules_restart_node(world *w, int node)
{
    const kb_node *d = &w->sc->nodes[node];
    wnode *n = &w->nodes[node];
    long took = 60 + (long)rules_rand(w, 60);
    world_log(w, LOG_INFO, "%s restarts: down for %ld s while it boots", n->display, took);
    bool member = world_node_state(w, node) != NS_DOWN;
    n->restarting = true;
    for (int s = 0; s < d->nsvcs; s++)
        if (n->svc_run[s])
            rules_stop_service(w, node, s, false);
    if (member)
        rules_node_left(w, node);
    w->now += took;
    n->restarting = false;
    n->paused = false;
    for (int s = 0; s < d->nsvcs; s++)
        n->svc_run[s] = false;
    wctx ctx = {0};
    wctx_set(&ctx, "node", nname(w, node));
    rules_emit(w, "boot", nname(w, node), &ctx);
    for (int s = 0; s < d->nsvcs; s++)
        if (n->startup[s] == ST_AUTOMATIC && strcmp(world_svc_state(w, node, s), "Absent") != 0)
            rules_start_service(w, node, s);
    if (w->sc->cluster_service && world_node_state(w, node) == NS_DOWN)
        world_log(w, LOG_INFO, "%s stays Down: its Cluster service is not running",
                  n->display);
}

void rules_remove_component(world *w, int node, int comp)
{
    const kb_node *d = &w->sc->nodes[node];
    wnode *n = &w->nodes[node];
    bool member = world_node_state(w, node) != NS_DOWN;
    bool before[KB_MAX_COMPS];
    memcpy(before, n->comp, sizeof before);
    n->comp[comp] = false;
    for (bool changed = true; changed;) {
        changed = false;
        for (int c = 0; c < d->ncomps; c++) {
            for (int k = 0; n->comp[c] && k < d->comps[c].nrequires; k++) {
                int q = kb_node_comp(d, d->comps[c].requires[k]);
                if (q >= 0 && !n->comp[q]) {
                    n->comp[c] = false;
                    changed = true;
                    world_log(w, LOG_INFO, "%s: %s removed too (it requires %s)",
                              n->display, d->comps[c].name, d->comps[q].name);
                }
            }
        }
    }
    /* Services of removed components are gone: stopped, cannot start. */
    for (int s = 0; s < d->nsvcs; s++)
        if (strcmp(world_svc_state(w, node, s), "Absent") == 0)
            n->svc_run[s] = false;
    if (member && world_node_state(w, node) == NS_DOWN)
        rules_node_left(w, node);
    for (int c = 0; c < d->ncomps; c++)
        if (before[c] && !n->comp[c]) {
            wctx ctx = {0};
            wctx_set(&ctx, "node", nname(w, node));
            wctx_set(&ctx, "comp", d->comps[c].id);
            rules_emit(w, "remove-component", d->comps[c].id, &ctx);
        }
}

/* Applies one trigger's effects with the event's context. */
static void fire(world *w, const kb_trigger *t, wctx *ctx)
{
    char text[WLOG_LEN];
    if (t->say) {
        world_subst(w, t->say, ctx, text, sizeof text);
        world_log(w, LOG_SAY, "%s", text);
    }
    if (t->mistake) {
        world_subst(w, t->mistake, ctx, text, sizeof text);
        world_log(w, LOG_MISTAKE, "%s", text);
        w->mistakes++;
        w->penalty += t->penalty;
    }
    for (int i = 0; i < t->acts.n; i++)
        world_act(w, t->acts.v[i].argc, t->acts.v[i].argv, ctx);
}

void rules_emit(world *w, const char *event, const char *arg, wctx *ctx)
{
    if (w->depth >= TRIGGER_DEPTH) {
        world_log(w, LOG_ERROR, "triggers nested deeper than %d at %s", TRIGGER_DEPTH, event);
        return;
    }
    w->depth++;
    for (int i = 0; i < w->kb->ntriggers; i++) {
        const kb_trigger *t = &w->kb->triggers[i];
        char err[160];
        if (strcmp(t->on, event) != 0 || (t->match && (!arg || strcmp(t->match, arg) != 0)))
            continue;
        if (t->when && !world_eval(w, t->when, ctx, err, sizeof err)) {
            if (err[0])
                world_log(w, LOG_ERROR, "trigger at line %d: %s", t->line, err);
            continue;
        }
        fire(w, t, ctx);
    }
    w->depth--;
}
