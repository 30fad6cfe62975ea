/*
 * world.c - state of the simulated cluster and the queries over it:
 * initial world from a scenario, derived states (node membership, group
 * state, service and process state), placeholder substitution, condition
 * evaluation and the difference between two worlds. The rules that change
 * the world are in rules.c, the action table in actions.c.
 */
#include "config.h"

#include "world.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "text.h"

const char *node_state_name(node_state s)
{
    static const char *const n[] = {"Up", "Down", "Joining", "Paused"};
    return n[s];
}

const char *group_state_name(group_state s)
{
    static const char *const n[] = {"Online", "Offline", "Failed", "PartialOnline", "Pending"};
    return n[s];
}

const char *res_state_name(res_state s)
{
    static const char *const n[] = {"Online", "Offline", "Failed", "OnlinePending",
                                    "OfflinePending", "Deleted"};
    return n[s];
}

void wctx_set(wctx *c, const char *name, const char *value)
{
    int i;
    for (i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0)
            break;
    if (i == c->n) {
        if (c->n == CTX_MAX)
            return;
        c->n++;
    }
    c->name[i] = name;
    text_copy(c->value[i], KB_VALUE_MAX, value ? value : "");
}

void world_log(world *w, log_kind kind, const char *fmt, ...)
{
    if (w->nlog == WLOG_MAX)
        return;
    wlog_entry *e = &w->log[w->nlog++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
    e->kind = kind;
    e->time = w->now;
}

/* Initial resource state: as declared, else Online when the owner is Up. */
static void init_resources(world *w)
{
    const kb_scenario *sc = w->sc;
    for (int r = 0; r < sc->nres; r++) {
        const kb_res *d = &sc->res[r];
        w->res[r].restart = (unsigned char)d->restart;
        w->res[r].affect = d->affect;
        if (d->state >= 0)
            w->res[r].state = (unsigned char)d->state;
        else
            w->res[r].state = world_node_state(w, w->owner[d->group]) == NS_UP
                                  ? RS_ONLINE : RS_OFFLINE;
    }
}

void world_init(world *w, const kb_article *kb, int scenario, uint64_t seed)
{
    memset(w, 0, sizeof *w);
    w->kb = kb;
    w->sc = &kb->scenarios[scenario];
    w->rng = seed ? seed : 0x9E3779B97F4A7C15ull;
    const kb_scenario *sc = w->sc;
    memcpy(w->bind, sc->bind, sizeof w->bind);
    for (int i = 0; i < sc->nnodes; i++) {
        const kb_node *d = &sc->nodes[i];
        wnode *n = &w->nodes[i];
        text_copy(n->display, sizeof n->display, d->name);
        for (int c = 0; c < d->ncomps; c++)
            n->comp[c] = d->comps[c].installed;
        for (int s = 0; s < d->nsvcs; s++) {
            n->svc_run[s] = d->svcs[s].running;
            n->startup[s] = (unsigned char)d->svcs[s].startup;
        }
        for (int v = 0; v < d->nvals; v++)
            text_copy(n->val[v], KB_VALUE_MAX, d->vals[v].value);
        for (int t = 0; t < KB_MAX_TOOLS; t++)
            n->exitcode[t] = -1;
    }
    for (int g = 0; g < sc->ngroups; g++)
        w->owner[g] = sc->groups[g].owner;
    for (int v = 0; v < sc->nvals; v++)
        text_copy(w->gval[v], KB_VALUE_MAX, sc->vals[v].value);
    init_resources(w);
}

/* Index of the cluster service on a node, or -1 (stand-alone). */
static int cluster_svc(const world *w, int node)
{
    if (!w->sc->cluster_service)
        return -1;
    return kb_node_svc(&w->sc->nodes[node], w->sc->cluster_service);
}

const char *world_svc_state(const world *w, int node, int svc)
{
    const kb_svc *d = &w->sc->nodes[node].svcs[svc];
    if (d->component) {
        int c = kb_node_comp(&w->sc->nodes[node], d->component);
        if (c >= 0 && !w->nodes[node].comp[c])
            return "Absent";
    }
    return w->nodes[node].svc_run[svc] ? "Running" : "Stopped";
}

node_state world_node_state(const world *w, int node)
{
    const wnode *n = &w->nodes[node];
    if (n->restarting)
        return NS_DOWN;
    if (w->sc->cluster_service) {
        int s = cluster_svc(w, node);
        if (s < 0 || strcmp(world_svc_state(w, node, s), "Running") != 0)
            return NS_DOWN;
    }
    return n->paused ? NS_PAUSED : NS_UP;
}

group_state world_group_state(const world *w, int group)
{
    const kb_scenario *sc = w->sc;
    int total = 0, online = 0, failed_affect = 0, pending = 0;
    for (int r = 0; r < sc->nres; r++) {
        if (sc->res[r].group != group || w->res[r].state == RS_DELETED)
            continue;
        total++;
        switch (w->res[r].state) {
        case RS_ONLINE: online++; break;
        case RS_FAILED:
            /* Affect the group applies only under the Restart policy. */
            failed_affect += w->res[r].affect && w->res[r].restart == RP_RESTART;
            break;
        case RS_ONLINEPENDING:
        case RS_OFFLINEPENDING: pending++; break;
        default: break;
        }
    }
    if (failed_affect)
        return GS_FAILED;
    if (pending)
        return GS_PENDING;
    if (total == 0)
        return world_node_state(w, w->owner[group]) == NS_DOWN ? GS_OFFLINE : GS_ONLINE;
    if (online == total)
        return GS_ONLINE;
    return online == 0 ? GS_OFFLINE : GS_PARTIAL;
}

bool world_proc_running(const world *w, int node, const char *proc)
{
    const kb_scenario *sc = w->sc;
    const kb_node *d = &sc->nodes[node];
    if (w->nodes[node].restarting)
        return false;
    for (int s = 0; s < d->nsvcs; s++)
        if (d->svcs[s].process && strcmp(d->svcs[s].process, proc) == 0 &&
            strcmp(world_svc_state(w, node, s), "Running") == 0)
            return true;
    for (int r = 0; r < sc->nres; r++)
        if (sc->res[r].process && strcmp(sc->res[r].process, proc) == 0 &&
            w->owner[sc->res[r].group] == node && w->res[r].state == RS_ONLINE)
            return true;
    return false;
}

int world_find_node(const world *w, const char *name)
{
    for (int i = 0; i < w->sc->nnodes; i++)
        if (strcasecmp(w->sc->nodes[i].name, name) == 0 ||
            strcasecmp(w->nodes[i].display, name) == 0)
            return i;
    return -1;
}

/* Looks a placeholder up: context first, then roles (ids or display names). */
static const char *placeholder(const world *w, const char *name, size_t len,
                               const wctx *ctx, bool display)
{
    for (int i = 0; ctx && i < ctx->n; i++)
        if (strlen(ctx->name[i]) == len && strncmp(ctx->name[i], name, len) == 0) {
            int node = display ? world_find_node(w, ctx->value[i]) : -1;
            return node >= 0 ? w->nodes[node].display : ctx->value[i];
        }
    for (int r = 0; r < w->kb->nroles; r++) {
        const char *id = w->kb->roles[r].id;
        if (strlen(id) == len && strncmp(id, name, len) == 0 && w->bind[r] >= 0)
            return display ? w->nodes[w->bind[r]].display
                           : w->sc->nodes[w->bind[r]].name;
    }
    return NULL;
}

static void subst(const world *w, const char *in, const wctx *ctx, char *out,
                  size_t outsz, bool display)
{
    size_t o = 0;
    while (*in && o + 1 < outsz) {
        const char *e = *in == '{' ? strchr(in, '}') : NULL;
        const char *v = e ? placeholder(w, in + 1, (size_t)(e - in - 1), ctx, display) : NULL;
        if (v) {
            size_t n = strlen(v);
            if (o + n >= outsz)
                n = outsz - o - 1;
            memcpy(out + o, v, n);
            o += n;
            in = e + 1;
        } else {
            out[o++] = *in++;
        }
    }
    out[o] = '\0';
}

void world_subst(const world *w, const char *in, const wctx *ctx, char *out,
                 size_t outsz)
{
    subst(w, in, ctx, out, outsz, true);
}

void world_subst_id(const world *w, const char *in, const wctx *ctx, char *out,
                    size_t outsz)
{
    subst(w, in, ctx, out, outsz, false);
}

typedef struct eval_ctx {
    world *w;
    const wctx *ctx;
} eval_ctx;

static const char *missing(char *err, size_t errsz, const char *what, const char *name)
{
    snprintf(err, errsz, "unknown %s \"%s\"", what, name);
    return NULL;
}

/* Value of a path over a node argument. */
static const char *node_path(world *w, const cterm *t, int n, char *buf,
                             size_t bufsz, char *err, size_t errsz)
{
    const kb_node *d = &w->sc->nodes[n];
    char arg[KB_VALUE_MAX];
    if (t->nargs > 1)
        world_subst_id(w, t->args[1], NULL, arg, sizeof arg);
    switch (t->kind) {
    case PK_NODE: return node_state_name(world_node_state(w, n));
    case PK_POWER: return w->nodes[n].restarting ? "Restarting" : "On";
    case PK_SVC:
    case PK_STARTUP: {
        int s = kb_node_svc(d, arg);
        if (s < 0)
            return missing(err, errsz, "service", arg);
        if (t->kind == PK_SVC)
            return world_svc_state(w, n, s);
        static const char *const st[] = {"Automatic", "Manual", "Disabled"};
        return st[w->nodes[n].startup[s]];
    }
    case PK_COMP: {
        int c = kb_node_comp(d, arg);
        if (c < 0)
            return missing(err, errsz, "component", arg);
        return w->nodes[n].comp[c] ? "Installed" : "Absent";
    }
    case PK_PROC: return world_proc_running(w, n, arg) ? "Running" : "Stopped";
    case PK_VAL: {
        int v = kb_node_val(d, arg);
        return v < 0 ? missing(err, errsz, "value", arg) : w->nodes[n].val[v];
    }
    case PK_EXIT: {
        int tool = kb_find_tool(w->kb, arg);
        if (tool < 0)
            return missing(err, errsz, "tool", arg);
        if (w->nodes[n].exitcode[tool] < 0)
            return "none";
        snprintf(buf, bufsz, "%d", w->nodes[n].exitcode[tool]);
        return buf;
    }
    default: return NULL;
    }
}

static const char *resolve(void *vctx, const cterm *t, char *buf, size_t bufsz,
                           char *err, size_t errsz)
{
    eval_ctx *ec = vctx;
    world *w = ec->w;
    char a0[KB_VALUE_MAX];
    if (!t->path) {
        world_subst_id(w, t->text, ec->ctx, buf, bufsz);
        return buf;
    }
    world_subst_id(w, t->args[0], ec->ctx, a0, sizeof a0);
    const path_def *pd = &cond_paths[t->kind];
    if (pd->args[0] == AT_NODE) {
        int n = world_find_node(w, a0);
        return n < 0 ? missing(err, errsz, "node", a0)
                     : node_path(w, t, n, buf, bufsz, err, errsz);
    }
    if (t->kind == PK_VAR) {
        int v = kb_scen_val(w->sc, a0);
        return v < 0 ? missing(err, errsz, "value", a0) : w->gval[v];
    }
    if (t->kind == PK_GROUP || t->kind == PK_OWNER) {
        int g = kb_find_group(w->sc, a0);
        if (g < 0)
            return missing(err, errsz, "group", a0);
        return t->kind == PK_GROUP ? group_state_name(world_group_state(w, g))
                                   : w->sc->nodes[w->owner[g]].name;
    }
    int r = kb_find_res(w->sc, a0);
    if (r < 0)
        return missing(err, errsz, "resource", a0);
    if (t->kind == PK_RES)
        return res_state_name(w->res[r].state);
    if (t->kind == PK_RESTART)
        return w->res[r].restart == RP_RESTART ? "Restart" : "DoNotRestart";
    return w->res[r].affect ? "yes" : "no";
}

bool world_eval(world *w, const cond *c, const wctx *ctx, char *err, size_t errsz)
{
    eval_ctx ec = {w, ctx};
    err[0] = '\0';
    bool ok = cond_eval(c, resolve, &ec, err, errsz);
    /* A term that cannot be resolved makes the whole condition false,
       whatever `not` or `or` around it would say. */
    return ok && !err[0];
}

static void diffline(diff_fn fn, void *ctx, const char *fmt, ...)
    __attribute__((format(__printf__, 3, 4)));

static void diffline(diff_fn fn, void *ctx, const char *fmt, ...)
{
    char line[WLOG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fn(ctx, line);
}

static void diff_node(const world *a, const world *b, int i, diff_fn fn, void *ctx)
{
    const kb_node *d = &a->sc->nodes[i];
    const char *nm = b->nodes[i].display;
    node_state sa = world_node_state(a, i), sb = world_node_state(b, i);
    if (sa != sb)
        diffline(fn, ctx, "%s: %s -> %s%s", nm, node_state_name(sa), node_state_name(sb),
                 sb == NS_DOWN ? " (red X)" : "");
    for (int c = 0; c < d->ncomps; c++)
        if (a->nodes[i].comp[c] != b->nodes[i].comp[c])
            diffline(fn, ctx, "%s: component %s %s", nm, d->comps[c].name,
                     b->nodes[i].comp[c] ? "installed" : "removed");
    for (int s = 0; s < d->nsvcs; s++) {
        const char *x = world_svc_state(a, i, s), *y = world_svc_state(b, i, s);
        if (strcmp(x, y) != 0)
            diffline(fn, ctx, "%s: %s %s -> %s", nm, d->svcs[s].name, x, y);
        if (a->nodes[i].startup[s] != b->nodes[i].startup[s]) {
            static const char *const st[] = {"Automatic", "Manual", "Disabled"};
            diffline(fn, ctx, "%s: %s startup %s -> %s", nm, d->svcs[s].name,
                     st[a->nodes[i].startup[s]], st[b->nodes[i].startup[s]]);
        }
    }
    for (int v = 0; v < d->nvals; v++)
        if (strcmp(a->nodes[i].val[v], b->nodes[i].val[v]) != 0)
            diffline(fn, ctx, "%s: %s %s -> %s", nm, d->vals[v].key, a->nodes[i].val[v],
                     b->nodes[i].val[v]);
}

void world_diff(const world *a, const world *b, diff_fn fn, void *ctx)
{
    const kb_scenario *sc = a->sc;
    for (int i = 0; i < sc->nnodes; i++)
        diff_node(a, b, i, fn, ctx);
    for (int g = 0; g < sc->ngroups; g++) {
        group_state x = world_group_state(a, g), y = world_group_state(b, g);
        if (a->owner[g] != b->owner[g])
            diffline(fn, ctx, "%s: %s -> %s (%s)", sc->groups[g].name,
                     b->nodes[a->owner[g]].display, b->nodes[b->owner[g]].display,
                     group_state_name(y));
        else if (x != y)
            diffline(fn, ctx, "%s: %s -> %s", sc->groups[g].name, group_state_name(x),
                     group_state_name(y));
    }
    for (int r = 0; r < sc->nres; r++) {
        const wres *x = &a->res[r], *y = &b->res[r];
        if (x->state != y->state)
            diffline(fn, ctx, "%s: %s -> %s", sc->res[r].name, res_state_name(x->state),
                     res_state_name(y->state));
        if (x->restart != y->restart)
            diffline(fn, ctx, "%s: restart policy %s", sc->res[r].name,
                     y->restart == RP_RESTART ? "Restart" : "Do not restart");
        if (x->affect != y->affect)
            diffline(fn, ctx, "%s: Affect the group %s", sc->res[r].name,
                     y->affect ? "on" : "off");
    }
    for (int v = 0; v < sc->nvals; v++)
        if (strcmp(a->gval[v], b->gval[v]) != 0)
            diffline(fn, ctx, "%s: %s -> %s", sc->vals[v].key, a->gval[v], b->gval[v]);
}
