/*
 * dgcurses.h - the curses renderer of the engine's diagram model: node
 * boxes side by side, name and state in words, groups and display lines,
 * a Down node crossed by a large X (red where colour exists) and marked
 * DOWN; an optional selection for the lab's diagram focus.
 */
#ifndef KB_DGCURSES_H
#define KB_DGCURSES_H

#include <stdbool.h>

#include "diagram.h"

typedef struct dg_sel {
    bool focus;
    int node, item;            /* item 0: the node; 1..: its groups then resources */
} dg_sel;

/* Items of a node box that can be selected (node, groups, resources). */
typedef struct dg_item {
    int kind;                  /* 0 node, 1 group, 2 resource */
    int index;                 /* group or resource index in the scenario */
} dg_item;

int dg_items(const world *w, int node, dg_item *out, int max);

void dg_draw(const world *w, const diagram *d, int y, int x, int h, int wd, const dg_sel *sel);

#endif
