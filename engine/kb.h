/*
 * kb.h - an article as loaded from kbdata: metadata, roles, tools,
 * triggers, scenarios (the initial world) and methods (ordered steps).
 *
 * Everything here is immutable after loading and lives in the article's
 * arena; the simulation keeps its mutable state in struct world (world.h),
 * which refers back to these definitions by index.
 */
#ifndef KB_KB_H
#define KB_KB_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* Limits: the loader refuses files beyond them (with FILE:LINE). */
#define KB_MAX_NODES 8
#define KB_MAX_COMPS 24     /* per node */
#define KB_MAX_SVCS 24      /* per node */
#define KB_MAX_NVALS 64     /* per node */
#define KB_MAX_GVALS 96     /* global */
#define KB_MAX_GROUPS 16
#define KB_MAX_RES 64       /* all groups together */
#define KB_MAX_ROLES 8
#define KB_MAX_STEPS 96     /* per method */
#define KB_MAX_OPTIONS 8
#define KB_MAX_ARGS 12      /* words in one action */
#define KB_VALUE_MAX 128    /* bytes of one value, with its NUL */
#define KB_NAME_MAX 64      /* bytes of a node's display name, with its NUL */

struct cond;

/* One word of an action: literal text, or text holding {placeholders}. */
typedef struct kb_action {
    int argc;
    const char *argv[KB_MAX_ARGS];
    int line;
} kb_action;

typedef struct kb_actions {
    int n;
    kb_action *v;
} kb_actions;

typedef struct kb_comp {
    const char *id, *name;
    const char **requires;
    int nrequires;
    bool installed, installable;
    bool shared;               /* from node_defaults */
    int line;
} kb_comp;

typedef enum { ST_AUTOMATIC, ST_MANUAL, ST_DISABLED } kb_startup;

typedef struct kb_svc {
    const char *id, *name, *component, *process;
    kb_startup startup;
    bool running;
    bool shared;               /* from node_defaults */
    int line;
} kb_svc;

typedef struct kb_value {
    const char *key, *value;
} kb_value;

typedef struct kb_node {
    const char *name;
    int ncomps, nsvcs, nvals;
    kb_comp comps[KB_MAX_COMPS];
    kb_svc svcs[KB_MAX_SVCS];
    kb_value vals[KB_MAX_NVALS];
    int line;
} kb_node;

typedef enum { RP_RESTART, RP_DONOTRESTART } kb_policy;

typedef struct kb_res {
    const char *id, *name, *process;
    int group;                 /* index of its group */
    kb_policy restart;
    bool affect;
    const char **depends;
    int ndepends;
    int *depidx;               /* resolved dependency indexes */
    struct cond *requires;     /* may be NULL */
    int state;                 /* initial: -1 default, else res_state */
    int line;
} kb_res;

typedef struct kb_group {
    const char *id, *name;
    int owner;                 /* node index */
    int line;
} kb_group;

typedef struct kb_scenario {
    const char *id, *title, *cluster_service;
    int nnodes, ngroups, nres, nvals;
    kb_node nodes[KB_MAX_NODES];
    kb_group groups[KB_MAX_GROUPS];
    kb_res res[KB_MAX_RES];
    kb_value vals[KB_MAX_GVALS];
    int bind[KB_MAX_ROLES];    /* role index -> node index, -1 unbound */
    int resorder[KB_MAX_RES];  /* all resources, dependencies first */
    int line;
} kb_scenario;

typedef struct kb_role {
    const char *id, *title;
} kb_role;

typedef struct kb_tool {
    const char *id, *name;
} kb_tool;

typedef struct kb_trigger {
    const char *on, *match, *say, *mistake;
    struct cond *when;
    kb_actions acts;
    int penalty;
    int line;
} kb_trigger;

typedef enum { SK_ACTION, SK_CHECK, SK_CHOICE, SK_WAIT, SK_NOTE } kb_step_kind;

typedef struct kb_option {
    const char *id, *title;
    struct cond *when;
    int next;                  /* step index, -1 = fall through, KB_END = end */
} kb_option;

#define KB_END (-2)

typedef struct kb_gate {
    struct cond *when;
    const char *cond_text, *warning, *attest;
    bool critical;
} kb_gate;

typedef struct kb_step {
    const char *id, *title, *text, *ref, *warning;
    kb_step_kind kind;
    kb_actions acts;
    struct cond *expect;
    const char *expect_text;
    kb_gate *gate;             /* NULL when the step has none */
    int noptions;
    kb_option options[KB_MAX_OPTIONS];
    int next;                  /* -1 = the following step, KB_END, or index */
    int line;
} kb_step;

typedef struct kb_method {
    const char *id, *title, *applies, *goal_text;
    int scenario;
    struct cond *goal;
    int nsteps;
    kb_step *steps;
    int line;
} kb_method;

typedef struct kb_article {
    arena mem;
    const char *file;          /* as given to the loader */
    unsigned char sha256[32];  /* of the exact file bytes */
    const char *id, *title, *symptoms, *cause, *source;
    const char **applies_to;
    int napplies;
    int nroles, ntools, ntriggers, nscenarios, nmethods;
    kb_role roles[KB_MAX_ROLES];
    kb_tool *tools;
    kb_trigger *triggers;
    kb_scenario *scenarios;
    kb_method *methods;
    const char **display, **display_global;
    int ndisplay, ndisplay_global;
} kb_article;

void kb_free(kb_article *kb);

int kb_find_method(const kb_article *kb, const char *id);
int kb_find_role(const kb_article *kb, const char *id);
int kb_find_step(const kb_method *m, const char *id);
int kb_find_tool(const kb_article *kb, const char *id);
int kb_find_node(const kb_scenario *sc, const char *name);
int kb_find_group(const kb_scenario *sc, const char *id);
int kb_find_res(const kb_scenario *sc, const char *id);
int kb_node_comp(const kb_node *n, const char *id);
int kb_node_svc(const kb_node *n, const char *id);
int kb_node_svc_by_proc(const kb_node *n, const char *proc);
int kb_node_val(const kb_node *n, const char *key);
int kb_scen_val(const kb_scenario *sc, const char *key);

const char *kb_step_kind_name(kb_step_kind k);

#endif
