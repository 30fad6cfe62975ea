/*
 * diagram.h - the cluster diagram as a model: one box per node with its
 * name, its state in words, the red X when it is Down, the groups it owns
 * and the lines the article's display list names; global values below.
 * Renderers (curses in tui/, plain text here) draw the same model.
 */
#ifndef KB_DIAGRAM_H
#define KB_DIAGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "world.h"

#define DG_MAX_LINES 24

typedef struct dg_line {
    char label[48];
    char value[KB_VALUE_MAX];
} dg_line;

typedef struct dg_group {
    char name[64];
    const char *state;
} dg_group;

typedef struct dg_node {
    char name[KB_NAME_MAX];
    const char *state;         /* Up, Down, Joining, Paused */
    bool down, restarting;
    int ngroups, nlines;
    dg_group groups[KB_MAX_GROUPS];
    dg_line lines[DG_MAX_LINES];
} dg_node;

typedef struct diagram {
    bool clustered;
    int nnodes, nglobals;
    dg_node nodes[KB_MAX_NODES];
    dg_line globals[DG_MAX_LINES];
} diagram;

void diagram_build(const world *w, diagram *d);

/*
 * Plain-text rendering, boxes side by side within width columns (ASCII
 * only, untrusted text escaped). Returns the bytes written to out.
 */
size_t diagram_text(const diagram *d, int width, char *out, size_t outsz);

#endif
