/*
 * kb.c - look-ups over a loaded article; see kb.h.
 */
#include "config.h"

#include "kb.h"

#include <string.h>

void kb_free(kb_article *kb)
{
    if (kb)
        arena_free(&kb->mem);
}

#define FIND(arr, n, field, key)                  \
    for (int i_ = 0; i_ < (n); i_++)              \
        if (strcmp((arr)[i_].field, (key)) == 0)  \
            return i_;                            \
    return -1

int kb_find_method(const kb_article *kb, const char *id) { FIND(kb->methods, kb->nmethods, id, id); }
int kb_find_role(const kb_article *kb, const char *id) { FIND(kb->roles, kb->nroles, id, id); }
int kb_find_step(const kb_method *m, const char *id) { FIND(m->steps, m->nsteps, id, id); }
int kb_find_tool(const kb_article *kb, const char *id) { FIND(kb->tools, kb->ntools, id, id); }
int kb_find_node(const kb_scenario *sc, const char *name) { FIND(sc->nodes, sc->nnodes, name, name); }
int kb_find_group(const kb_scenario *sc, const char *id) { FIND(sc->groups, sc->ngroups, id, id); }
int kb_find_res(const kb_scenario *sc, const char *id) { FIND(sc->res, sc->nres, id, id); }
int kb_node_comp(const kb_node *n, const char *id) { FIND(n->comps, n->ncomps, id, id); }
int kb_node_svc(const kb_node *n, const char *id) { FIND(n->svcs, n->nsvcs, id, id); }
int kb_node_val(const kb_node *n, const char *key) { FIND(n->vals, n->nvals, key, key); }
int kb_scen_val(const kb_scenario *sc, const char *key) { FIND(sc->vals, sc->nvals, key, key); }

int kb_node_svc_by_proc(const kb_node *n, const char *proc)
{
    for (int i = 0; i < n->nsvcs; i++)
        if (n->svcs[i].process && strcmp(n->svcs[i].process, proc) == 0)
            return i;
    return -1;
}

const char *kb_step_kind_name(kb_step_kind k)
{
    static const char *const names[] = {"action", "check", "choice", "wait", "note"};
    return names[k];
}
