/*
 * dgcurses.c - drawing the diagram model with curses; see dgcurses.h.
 */
#include "config.h"

#include "dgcurses.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "term.h"
#include "widgets.h"

int dg_items(const world *w, int node, dg_item *out, int max)
{
    int n = 0;
    out[n++] = (dg_item){0, node};
    for (int g = 0; g < w->sc->ngroups && n < max; g++) {
        if (w->owner[g] != node)
            continue;
        out[n++] = (dg_item){1, g};
        for (int r = 0; r < w->sc->nres && n < max; r++)
            if (w->sc->res[r].group == g && w->res[r].state != RS_DELETED)
                out[n++] = (dg_item){2, r};
    }
    return n;
}

/* The large X: diagonals across the box interior, drawn before the text. */
static void draw_x(int y, int x, int h, int w)
{
    int attr = term_attr(C_DOWN);
    for (int r = 0; r < h; r++) {
        int c1 = h > 1 ? r * (w - 1) / (h - 1) : w / 2;
        w_put(y + r, x + c1, 1, G.xl, attr);
        w_put(y + r, x + w - 1 - c1, 1, G.xr, attr);
    }
}

static int res_attr(res_state s)
{
    return s == RS_FAILED ? term_attr(C_GATE) : s == RS_ONLINE ? 0 : term_attr(C_WARN);
}

static int group_attr(const char *state)
{
    return strcmp(state, "Online") == 0 ? term_attr(C_DONE)
           : strcmp(state, "Failed") == 0 ? term_attr(C_GATE) : term_attr(C_WARN);
}

/* Draws one selectable line; returns the next row. */
static int item_line(int y, int x, int w, const char *text, const char *state, int attr,
                     bool selected)
{
    int a = selected ? term_attr(C_SEL) : 0;
    if (selected)
        mvhline(y, x, ' ', w);
    int n = w_put(y, x, w - (int)strlen(state) - 1, text, a);
    (void)n;
    w_put(y, x + w - (int)strlen(state), (int)strlen(state), state, selected ? a : attr);
    return y + 1;
}

/* The selectable lines of the focused node: its groups and their resources. */
static int focus_items(const world *wo, int ni, int row, int last, int x, int in, int selected,
                       int h)
{
    dg_item items[64];
    char buf[256];
    int nitems = dg_items(wo, ni, items, 64);
    for (int i = 1; i < nitems && row < last; i++) {
        bool s = selected == i;
        if (items[i].kind == 1) {
            const char *st = group_state_name(world_group_state(wo, items[i].index));
            snprintf(buf, sizeof buf, "[%s]", wo->sc->groups[items[i].index].name);
            row = item_line(row, x, in, buf, st, group_attr(st), s);
        } else if (h > 14 || s || selected > 0) {
            res_state rs = (res_state)wo->res[items[i].index].state;
            snprintf(buf, sizeof buf, "  %s", wo->sc->res[items[i].index].name);
            row = item_line(row, x, in, buf, res_state_name(rs), res_attr(rs), s);
        }
    }
    return row;
}

static void draw_node(const world *wo, const dg_node *n, int ni, int y, int x, int h, int w,
                      const dg_sel *sel)
{
    int in = w - 4, row = y + 1, last = y + h - 1;
    bool focus = sel && sel->focus && sel->node == ni;
    w_box(y, x, h, w, n->down ? term_attr(C_DOWN) : focus ? term_attr(C_TITLE) : 0, NULL);
    if (n->down)
        draw_x(y + 1, x + 1, h - 2, w - 2);
    const char *tag = n->down ? "DOWN" : n->state;
    char buf[256];
    item_line(row++, x + 2, in, n->name, tag, n->down ? term_attr(C_DOWN) : term_attr(C_DONE),
              focus && sel->item == 0);
    snprintf(buf, sizeof buf, "%s%s", n->restarting ? "restarting" : "",
             n->down && !n->restarting ? "red X: not a member" : "");
    if (buf[0] && row < last)
        w_put(row++, x + 2, in, buf, term_attr(C_DOWN));
    if (focus) {
        row = focus_items(wo, ni, row, last, x + 2, in, sel->item, h);
    } else {
        for (int i = 0; i < n->ngroups && row < last; i++) {
            snprintf(buf, sizeof buf, "[%s]", n->groups[i].name);
            row = item_line(row, x + 2, in, buf, n->groups[i].state,
                            group_attr(n->groups[i].state), false);
        }
    }
    for (int i = 0; i < n->nlines && row < last; i++) {
        snprintf(buf, sizeof buf, "%s: %s", n->lines[i].label, n->lines[i].value);
        w_put(row++, x + 2, in, buf, term_attr(C_DIM));
    }
}

void dg_draw(const world *w, const diagram *d, int y, int x, int h, int wd, const dg_sel *sel)
{
    int n = d->nnodes > 0 ? d->nnodes : 1;
    int globals = d->nglobals > 3 ? 3 : d->nglobals;
    int bh = h - (h > 10 + globals ? globals : 0);
    int bw = (wd - (n - 1)) / n;
    if (bw > 48)
        bw = 48;
    for (int i = 0; i < d->nnodes && bw >= 12 && bh >= 4; i++)
        draw_node(w, &d->nodes[i], i, y, x + i * (bw + 1), bh, bw, sel);
    for (int i = 0; i < globals && bh < h; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s: %s", d->globals[i].label, d->globals[i].value);
        w_put(y + bh + i, x + 1, wd - 2, buf, term_attr(C_DIM));
    }
}
