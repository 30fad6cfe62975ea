/*
 * rules.h - the cluster's dynamics, used by the actions (internal to the
 * engine): membership changes, group moves in dependency order, component
 * cascades, restart policy, and triggers declared in kbdata.
 */
#ifndef KB_RULES_H
#define KB_RULES_H

#include "world.h"

/* The node left the cluster (service stopped, restarting): fail over. */
void rules_node_left(world *w, int node);
/* A node became Up: groups with no Up owner come online on it. */
void rules_node_joined(world *w, int node);
/* Moves a group; returns -1 (logged) when the target cannot take it. */
int rules_move_group(world *w, int group, int target, bool failover);
void rules_online_group(world *w, int group);
void rules_offline_group(world *w, int group);
/* Brings one resource online on its owner; false when it failed. */
bool rules_online_res(world *w, int res);
void rules_offline_res(world *w, int res);
/* Removes a component and everything that needs it. */
void rules_remove_component(world *w, int node, int comp);
void rules_stop_service(world *w, int node, int svc, bool quiet);
void rules_start_service(world *w, int node, int svc);
void rules_restart_node(world *w, int node);
/* Fires the triggers of an event (name plus first argument). */
void rules_emit(world *w, const char *event, const char *arg, wctx *ctx);
/* Deterministic pseudo-random number in [0, n). */
unsigned rules_rand(world *w, unsigned n);

#endif
