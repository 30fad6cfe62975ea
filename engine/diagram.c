/*
 * diagram.c - the diagram model of a world and its plain-text renderer.
 */
#include "config.h"

#include "diagram.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

/* One display-list entry on one node; false when it does not apply there. */
static bool node_line(const world *w, int n, const char *spec, dg_line *out)
{
    const kb_node *d = &w->sc->nodes[n];
    const char *name = strchr(spec, ':') + 1;
    int i;
    if (strncmp(spec, "svc:", 4) == 0 && (i = kb_node_svc(d, name)) >= 0) {
        static const char *const st[] = {"", " (Manual)", " (Disabled)"};
        text_copy(out->label, sizeof out->label, d->svcs[i].name);
        snprintf(out->value, sizeof out->value, "%s%s", world_svc_state(w, n, i),
                 st[w->nodes[n].startup[i]]);
    } else if (strncmp(spec, "comp:", 5) == 0 && (i = kb_node_comp(d, name)) >= 0) {
        text_copy(out->label, sizeof out->label, d->comps[i].name);
        text_copy(out->value, sizeof out->value, w->nodes[n].comp[i] ? "Installed" : "Absent");
    } else if (strncmp(spec, "proc:", 5) == 0) {
        text_copy(out->label, sizeof out->label, name);
        text_copy(out->value, sizeof out->value,
                  world_proc_running(w, n, name) ? "Running" : "Stopped");
    } else if (strncmp(spec, "val:", 4) == 0 && (i = kb_node_val(d, name)) >= 0) {
        text_copy(out->label, sizeof out->label, name);
        text_copy(out->value, sizeof out->value, w->nodes[n].val[i]);
    } else {
        return false;
    }
    return true;
}

static void build_node(const world *w, int n, dg_node *o)
{
    node_state s = world_node_state(w, n);
    text_copy(o->name, sizeof o->name, w->nodes[n].display);
    o->state = node_state_name(s);
    o->down = s == NS_DOWN;
    o->restarting = w->nodes[n].restarting;
    for (int g = 0; g < w->sc->ngroups; g++)
        if (w->owner[g] == n) {
            dg_group *x = &o->groups[o->ngroups++];
            text_copy(x->name, sizeof x->name, w->sc->groups[g].name);
            x->state = group_state_name(world_group_state(w, g));
        }
    for (int i = 0; i < w->kb->ndisplay && o->nlines < DG_MAX_LINES; i++)
        if (node_line(w, n, w->kb->display[i], &o->lines[o->nlines]))
            o->nlines++;
}

void diagram_build(const world *w, diagram *d)
{
    memset(d, 0, sizeof *d);
    d->clustered = w->sc->cluster_service != NULL;
    d->nnodes = w->sc->nnodes;
    for (int n = 0; n < d->nnodes; n++)
        build_node(w, n, &d->nodes[n]);
    for (int i = 0; i < w->kb->ndisplay_global && d->nglobals < DG_MAX_LINES; i++) {
        const char *key = strchr(w->kb->display_global[i], ':') + 1;
        int v = kb_scen_val(w->sc, key);
        if (v < 0)
            continue;
        dg_line *l = &d->globals[d->nglobals++];
        text_copy(l->label, sizeof l->label, key);
        text_copy(l->value, sizeof l->value, w->gval[v]);
    }
}

/* A grid of single-byte cells (the text renderer is ASCII after escaping). */
#define GRID_ROWS 64
#define GRID_COLS 240

typedef struct grid {
    int rows, cols;
    char c[GRID_ROWS][GRID_COLS];
} grid;

/* Writes s at (r, c), at most n cells; non-ASCII becomes '?'. */
static void put(grid *g, int r, int c, const char *s, int n)
{
    char clean[512];
    text_sanitize(s, clean, sizeof clean, false);
    for (const char *p = clean; *p && n > 0 && c < g->cols && r < GRID_ROWS; n--) {
        unsigned char ch = (unsigned char)*p;
        g->c[r][c++] = ch < 0x80 ? (char)ch : '?';
        p++;
        while (ch >= 0x80 && ((unsigned char)*p & 0xC0) == 0x80)
            p++;
    }
}

static int box_rows(const dg_node *n)
{
    return 2 + n->ngroups + (n->ngroups ? 1 : 0) + n->nlines + (n->nlines ? 1 : 0);
}

/* Draws the red X as diagonals through the blank cells of the interior. */
static void cross(grid *g, int top, int left, int h, int w)
{
    for (int r = 0; r < h; r++) {
        int c1 = h > 1 ? r * (w - 1) / (h - 1) : w / 2, c2 = w - 1 - c1;
        if (g->c[top + r][left + c1] == ' ')
            g->c[top + r][left + c1] = '\\';
        if (g->c[top + r][left + c2] == ' ')
            g->c[top + r][left + c2] = '/';
    }
}

static void draw_node(grid *g, const dg_node *n, int left, int width, int height)
{
    char buf[256];
    int in = width - 4, r = 1;
    memset(&g->c[0][left], '-', (size_t)width);
    memset(&g->c[height - 1][left], '-', (size_t)width);
    g->c[0][left] = g->c[0][left + width - 1] = '+';
    g->c[height - 1][left] = g->c[height - 1][left + width - 1] = '+';
    for (int i = 1; i < height - 1; i++)
        g->c[i][left] = g->c[i][left + width - 1] = '|';
    const char *tag = n->down ? "DOWN" : n->state;
    put(g, r, left + 2, n->name, in - (int)strlen(tag) - 1);
    put(g, r++, left + width - 2 - (int)strlen(tag), tag, (int)strlen(tag));
    snprintf(buf, sizeof buf, "state: %s%s", n->state,
             n->restarting ? " (restarting)" : n->down ? " (red X)" : "");
    put(g, r++, left + 2, buf, in);
    if (n->ngroups)
        r++;
    for (int i = 0; i < n->ngroups; i++) {
        snprintf(buf, sizeof buf, "[%s] %s", n->groups[i].name, n->groups[i].state);
        put(g, r++, left + 2, buf, in);
    }
    if (n->nlines)
        r++;
    for (int i = 0; i < n->nlines; i++) {
        snprintf(buf, sizeof buf, "%s: %s", n->lines[i].label, n->lines[i].value);
        put(g, r++, left + 2, buf, in);
    }
    if (n->down)
        cross(g, 1, left + 1, height - 2, width - 2);
}

size_t diagram_text(const diagram *d, int width, char *out, size_t outsz)
{
    grid g;
    int n = d->nnodes > 0 ? d->nnodes : 1, height = 0;
    if (width > GRID_COLS)
        width = GRID_COLS;
    int bw = (width - 2 * (n - 1)) / n;
    if (bw > 44)
        bw = 44;
    if (bw < 20)
        bw = 20;
    for (int i = 0; i < d->nnodes; i++)
        if (box_rows(&d->nodes[i]) + 2 > height)
            height = box_rows(&d->nodes[i]) + 2;
    if (height > GRID_ROWS - 1)
        height = GRID_ROWS - 1;
    g.cols = (bw + 2) * n - 2;
    if (g.cols > GRID_COLS)
        g.cols = GRID_COLS;
    memset(&g.c, ' ', sizeof g.c);
    for (int i = 0; i < d->nnodes && (bw + 2) * i + bw <= GRID_COLS; i++)
        draw_node(&g, &d->nodes[i], (bw + 2) * i, bw, height);
    size_t o = 0;
    for (int r = 0; r < height && o + (size_t)g.cols + 2 < outsz; r++) {
        int len = g.cols;
        while (len > 0 && g.c[r][len - 1] == ' ')
            len--;
        memcpy(out + o, g.c[r], (size_t)len);
        o += (size_t)len;
        out[o++] = '\n';
    }
    for (int i = 0; i < d->nglobals && o + 200 < outsz; i++) {
        char l[96], v[KB_VALUE_MAX * 2];
        text_sanitize(d->globals[i].label, l, sizeof l, false);
        text_sanitize(d->globals[i].value, v, sizeof v, false);
        o += (size_t)snprintf(out + o, outsz - o, "  %s: %s\n", l, v);
    }
    if (outsz)
        out[o < outsz ? o : outsz - 1] = '\0';
    return o;
}
