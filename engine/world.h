/*
 * world.h - the simulated cluster: the mutable state of one scenario and
 * the rules that move it (failover, restart, dependency order, component
 * cascades, restart policies, triggers declared in kbdata).
 *
 * A world is a plain value: copying it (for a prediction) is a memcpy.
 * Nothing here prints; what happened is appended to the world's log.
 */
#ifndef KB_WORLD_H
#define KB_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "cond.h"
#include "kb.h"

typedef enum { NS_UP, NS_DOWN, NS_JOINING, NS_PAUSED } node_state;
typedef enum { GS_ONLINE, GS_OFFLINE, GS_FAILED, GS_PARTIAL, GS_PENDING } group_state;
typedef enum {
    RS_ONLINE, RS_OFFLINE, RS_FAILED, RS_ONLINEPENDING, RS_OFFLINEPENDING, RS_DELETED
} res_state;

const char *node_state_name(node_state s);
const char *group_state_name(group_state s);
const char *res_state_name(res_state s);

#define KB_MAX_TOOLS 24
#define WLOG_MAX 64
#define WLOG_LEN 240

typedef enum { LOG_CHANGE, LOG_SAY, LOG_MISTAKE, LOG_ERROR, LOG_INFO } log_kind;

typedef struct wlog_entry {
    log_kind kind;
    long time;                 /* simulated seconds since the scenario began */
    char text[WLOG_LEN];
} wlog_entry;

typedef struct wnode {
    char display[KB_NAME_MAX];
    bool restarting, paused;
    bool comp[KB_MAX_COMPS];
    bool svc_run[KB_MAX_SVCS];
    unsigned char startup[KB_MAX_SVCS];
    short exitcode[KB_MAX_TOOLS];  /* -1: never run */
    char val[KB_MAX_NVALS][KB_VALUE_MAX];
} wnode;

typedef struct wres {
    unsigned char state, restart;
    bool affect;
} wres;

typedef struct world {
    const kb_article *kb;
    const kb_scenario *sc;
    int bind[KB_MAX_ROLES];
    long now;
    uint64_t rng;
    wnode nodes[KB_MAX_NODES];
    int owner[KB_MAX_GROUPS];
    wres res[KB_MAX_RES];
    char gval[KB_MAX_GVALS][KB_VALUE_MAX];
    int penalty, mistakes, depth, nlog;
    short *tool_exit;          /* where `exit` writes during a `run` */
    wlog_entry log[WLOG_MAX];
} world;

/* Context placeholders of an event ({node}, {group}, {arg1}, ...). */
#define CTX_MAX 14
typedef struct wctx {
    int n;
    const char *name[CTX_MAX];
    char value[CTX_MAX][KB_VALUE_MAX];
} wctx;

void wctx_set(wctx *c, const char *name, const char *value);

/* Builds the scenario's initial world; seed drives durations. */
void world_init(world *w, const kb_article *kb, int scenario, uint64_t seed);

node_state world_node_state(const world *w, int node);
group_state world_group_state(const world *w, int group);
const char *world_svc_state(const world *w, int node, int svc);
bool world_proc_running(const world *w, int node, const char *proc);

/* Resolves a node by scenario name, display name (case-insensitive). */
int world_find_node(const world *w, const char *name);

/* The action table: shared by steps, triggers and the headless `act`. */
typedef int (*action_fn)(world *w, const char **argv, const int *idx,
                         const wctx *ctx);
typedef struct action_def {
    const char *verb;
    int min, max;              /* number of arguments */
    arg_type args[4];          /* types of the first arguments; rest AT_WORD */
    action_fn fn;
    bool trigger_only;
    const char *doc;
} action_def;

extern const action_def world_actions[];
extern const int world_nactions;
const action_def *world_action(const char *verb);

/*
 * Performs one action (argv[0] is the verb); placeholders in the words are
 * substituted from ctx and the role bindings. Returns 0, or -1 with a
 * LOG_ERROR entry saying why nothing happened.
 */
int world_act(world *w, int argc, const char *const *argv, const wctx *ctx);

/* Evaluates a condition against the world (ctx may be NULL). */
bool world_eval(world *w, const cond *c, const wctx *ctx, char *err, size_t errsz);

/* Substitutes {placeholders} from ctx and role bindings (display names). */
void world_subst(const world *w, const char *in, const wctx *ctx, char *out,
                 size_t outsz);
/* The same into node ids (scenario names), for actions and conditions. */
void world_subst_id(const world *w, const char *in, const wctx *ctx, char *out,
                    size_t outsz);

void world_log(world *w, log_kind kind, const char *fmt, ...)
    __attribute__((format(__printf__, 3, 4)));

/* Appends a line per difference between a and b (what a step changed). */
typedef void (*diff_fn)(void *ctx, const char *line);
void world_diff(const world *a, const world *b, diff_fn fn, void *ctx);

#endif
