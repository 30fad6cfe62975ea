/*
 * lab.c - the lab's hands on the simulated cluster: focus in the diagram,
 * the action menu of a node, group or resource (as in Cluster
 * Administrator), the Add/Remove components dialog with check boxes, the
 * tools, and the `:` action prompt with completion. Every choice becomes
 * an `act` event, the same the headless script uses.
 */
#include "config.h"

#include "app.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "widgets.h"

#define MENU_MAX 48

typedef struct menu {
    int n;
    char label[MENU_MAX][96];
    char act[MENU_MAX][192];
} menu;

static void add(menu *m, const char *act, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add(menu *m, const char *act, const char *fmt, ...)
{
    if (m->n == MENU_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->label[m->n], sizeof m->label[0], fmt, ap);
    va_end(ap);
    text_copy(m->act[m->n++], sizeof m->act[0], act);
}

/* Runs the chosen entry of a menu; entries whose act starts with '@' are dialogs. */
static int run_menu(app *a, const char *title, menu *m)
{
    const char *items[MENU_MAX];
    for (int i = 0; i < m->n; i++)
        items[i] = m->label[i];
    int c = app_menu(a, title, items, m->n);
    if (c >= 0 && m->act[c][0] != '@')
        app_event(a, EV_ACT, m->act[c]);
    return c;
}

static void components_dialog(app *a, int node);
static void tools_menu(app *a, int node);

static void node_menu(app *a, int n)
{
    const world *w = &a->s->w;
    const kb_node *d = &w->sc->nodes[n];
    const char *id = d->name;
    char act[192];
    menu m = {0};
    for (int s = 0; s < d->nsvcs; s++) {
        bool run = strcmp(world_svc_state(w, n, s), "Running") == 0;
        snprintf(act, sizeof act, "%s-service %s %s", run ? "stop" : "start", id, d->svcs[s].id);
        add(&m, act, "%s %s", run ? "Stop" : "Start", d->svcs[s].name);
    }
    snprintf(act, sizeof act, "restart-node %s", id);
    add(&m, act, "Restart the node");
    snprintf(act, sizeof act, "%s-node %s", w->nodes[n].paused ? "resume" : "pause", id);
    add(&m, act, "%s the node", w->nodes[n].paused ? "Resume" : "Pause");
    for (int s = 0; s < d->nsvcs; s++) {
        bool man = w->nodes[n].startup[s] != ST_AUTOMATIC;
        snprintf(act, sizeof act, "set-startup %s %s %s", id, d->svcs[s].id, man ? "Automatic" : "Manual");
        add(&m, act, "%s: startup type %s", d->svcs[s].name, man ? "Automatic" : "Manual");
    }
    add(&m, "@components", "Add/Remove Windows Components...");
    add(&m, "@tools", "Run a tool...");
    int c = run_menu(a, w->nodes[n].display, &m);
    if (c >= 0 && strcmp(m.act[c], "@components") == 0)
        components_dialog(a, n);
    else if (c >= 0 && strcmp(m.act[c], "@tools") == 0)
        tools_menu(a, n);
}

static void group_menu(app *a, int g)
{
    const world *w = &a->s->w;
    const char *id = w->sc->groups[g].id;
    char act[192];
    menu m = {0};
    for (int n = 0; n < w->sc->nnodes; n++)
        if (n != w->owner[g]) {
            snprintf(act, sizeof act, "move-group %s %s", id, w->sc->nodes[n].name);
            add(&m, act, "Move Group to %s", w->nodes[n].display);
        }
    snprintf(act, sizeof act, "online-group %s", id);
    add(&m, act, "Bring Online");
    snprintf(act, sizeof act, "offline-group %s", id);
    add(&m, act, "Take Offline");
    run_menu(a, w->sc->groups[g].name, &m);
}

static void res_menu(app *a, int r)
{
    const world *w = &a->s->w;
    const kb_res *d = &w->sc->res[r];
    char act[192];
    menu m = {0};
    snprintf(act, sizeof act, "online-res %s", d->id);
    add(&m, act, "Bring Online");
    snprintf(act, sizeof act, "offline-res %s", d->id);
    add(&m, act, "Take Offline");
    bool restart = w->res[r].restart == RP_RESTART;
    snprintf(act, sizeof act, "set-restart %s %s", d->id, restart ? "DoNotRestart" : "Restart");
    add(&m, act, "Properties > Advanced: %s", restart ? "Do not restart" : "Restart");
    snprintf(act, sizeof act, "set-affect %s %s", d->id, w->res[r].affect ? "no" : "yes");
    add(&m, act, "Properties > Advanced: Affect the group %s", w->res[r].affect ? "off" : "on");
    snprintf(act, sizeof act, "delete-res %s", d->id);
    add(&m, act, "Delete");
    if (d->process && w->res[r].state == RS_ONLINE) {
        snprintf(act, sizeof act, "kill %s %s", w->sc->nodes[w->owner[d->group]].name, d->process);
        add(&m, act, "Kill its process (%s)", d->process);
    }
    run_menu(a, d->name, &m);
}

/* Check boxes for a node's components; Enter removes and installs the changes. */
static void components_dialog(app *a, int n)
{
    const kb_node *d = &a->s->w.sc->nodes[n];
    bool want[KB_MAX_COMPS];
    for (int c = 0; c < d->ncomps; c++)
        want[c] = a->s->w.nodes[n].comp[c];
    for (;;) {
        menu m = {0};
        for (int c = 0; c < d->ncomps; c++)
            add(&m, "@", "[%s] %s", want[c] ? "x" : " ", d->comps[c].name);
        add(&m, "@apply", "Apply: remove the cleared, install the checked");
        const char *items[MENU_MAX];
        for (int i = 0; i < m.n; i++)
            items[i] = m.label[i];
        int c = app_menu(a, "Add/Remove Windows Components (Enter toggles)", items, m.n);
        if (c < 0)
            return;
        if (c < d->ncomps) {
            want[c] = !want[c];
            continue;
        }
        char act[192];
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; k < d->ncomps; k++)
                if (want[k] != a->s->w.nodes[n].comp[k] && want[k] == (pass == 1)) {
                    snprintf(act, sizeof act, "%s-component %s %s", want[k] ? "install" : "remove",
                             d->name, d->comps[k].id);
                    app_event(a, EV_ACT, act);
                }
        return;
    }
}

static void tools_menu(app *a, int n)
{
    const kb_article *kb = a->s->kb;
    menu m = {0};
    for (int t = 0; t < kb->ntools; t++)
        add(&m, "@", "%s", kb->tools[t].name);
    const char *items[MENU_MAX];
    for (int i = 0; i < m.n; i++)
        items[i] = m.label[i];
    int c = app_menu(a, "Run a tool on this node", items, m.n);
    if (c < 0)
        return;
    char args[160] = "", act[320];
    app_draw(a);
    if (!w_prompt("Arguments (Enter for none):", args, sizeof args, NULL, NULL))
        return;
    snprintf(act, sizeof act, "run %s %s %s", a->s->w.sc->nodes[n].name, kb->tools[c].id, args);
    app_event(a, EV_ACT, act);
}

/* Completion for the action prompt: verbs, then names that fit each argument. */
static void complete_action(void *ctx, const char *typed, char *out, size_t outsz)
{
    app *a = ctx;
    const world *w = &a->s->w;
    size_t o = 0;
    out[0] = '\0';
    int words = 0;
    for (const char *p = typed; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        words++;
        p += strcspn(p, " ");
    }
    bool fresh = !*typed || typed[strlen(typed) - 1] == ' ';
    int argi = fresh ? words : words - 1;
#define PUT(s) (o += (size_t)snprintf(out + o, o < outsz ? outsz - o : 0, "%s ", (s)))
    if (argi == 0) {
        for (int i = 0; i < world_nactions; i++)
            if (!world_actions[i].trigger_only)
                PUT(world_actions[i].verb);
        return;
    }
    char verb[32];
    sscanf(typed, "%31s", verb);
    const action_def *d = world_action(verb);
    if (!d || argi > 4 || argi > d->max)
        return;
    switch (d->args[argi - 1]) {
    case AT_NODE: for (int i = 0; i < w->sc->nnodes; i++) PUT(w->sc->nodes[i].name); break;
    case AT_GROUP: for (int i = 0; i < w->sc->ngroups; i++) PUT(w->sc->groups[i].id); break;
    case AT_RES: for (int i = 0; i < w->sc->nres; i++) PUT(w->sc->res[i].id); break;
    case AT_TOOL: for (int i = 0; i < w->kb->ntools; i++) PUT(w->kb->tools[i].id); break;
    case AT_SVC: for (int i = 0; i < w->sc->nodes[0].nsvcs; i++) PUT(w->sc->nodes[0].svcs[i].id); break;
    case AT_COMP: for (int i = 0; i < w->sc->nodes[0].ncomps; i++) PUT(w->sc->nodes[0].comps[i].id); break;
    case AT_STARTUP: PUT("Automatic"); PUT("Manual"); PUT("Disabled"); break;
    case AT_POLICY: PUT("Restart"); PUT("DoNotRestart"); break;
    case AT_YESNO: PUT("yes"); PUT("no"); break;
    case AT_KEY: for (int i = 0; i < w->sc->nodes[0].nvals; i++) PUT(w->sc->nodes[0].vals[i].key); break;
    default: break;
    }
#undef PUT
}

static void hint(app *a)
{
    const kb_step *st = session_step(a->s);
    char buf[4096], text[2048];
    if (!st)
        return;
    session_text(a->s, st->text, text, sizeof text);
    snprintf(buf, sizeof buf, "%s (%s)", text, st->ref);
    app_draw(a);
    w_message("What the article says", buf);
}

static void diagram_key(app *a, key_action act)
{
    dg_item items[64];
    int n = dg_items(&a->s->w, a->sel.node, items, 64), nodes = a->s->w.sc->nnodes;
    if (act == A_LEFT || act == A_RIGHT) {
        a->sel.node = (a->sel.node + (act == A_LEFT ? nodes - 1 : 1)) % nodes;
        a->sel.item = 0;
    } else if (act == A_UP && a->sel.item > 0) {
        a->sel.item--;
    } else if (act == A_DOWN && a->sel.item + 1 < n) {
        a->sel.item++;
    } else if (act == A_FOCUS || act == A_BACK) {
        a->sel.focus = false;
    } else if (act == A_OPEN && a->sel.item < n) {
        dg_item it = items[a->sel.item];
        if (it.kind == 0)
            node_menu(a, a->sel.node);
        else if (it.kind == 1)
            group_menu(a, it.index);
        else
            res_menu(a, it.index);
    } else if (act == A_COMPONENTS) {
        components_dialog(a, a->sel.node);
    } else if (act == A_TOOLS) {
        tools_menu(a, a->sel.node);
    }
}

void lab_key(app *a, key_action act);
void lab_key(app *a, key_action act)
{
    char line[320] = "";
    if (act == A_PROMPT) {
        app_draw(a);
        if (w_prompt("Action:", line, sizeof line, complete_action, a) && line[0])
            app_event(a, EV_ACT, line);
    } else if (act == A_HINT) {
        hint(a);
    } else if (a->sel.focus) {
        diagram_key(a, act);
    } else if (act == A_FOCUS) {
        a->sel.focus = true;
    } else if (act == A_DO) {
        app_event(a, EV_DO, "");
    }
}
