/*
 * support.h - helpers shared by the criterion tests: loading articles
 * (from kbdata/ or tests/fixtures/), acting on a world with one string,
 * and driving a session with --auto.
 */
#ifndef KB_TEST_SUPPORT_H
#define KB_TEST_SUPPORT_H

#include "kb.h"
#include "load.h"
#include "session.h"
#include "world.h"

/* Loads KBDATA_DIR/ID.cfg or TESTDATA_DIR/fixtures/NAME.cfg; aborts the test on error. */
kb_article *t_article(const char *id);
kb_article *t_fixture(const char *name);
void t_free(kb_article *kb);

/* Performs "verb arg arg..." on the world; returns world_act's result. */
int t_act(world *w, const char *line);

/* Evaluates a condition text against the world. */
bool t_holds(world *w, const char *cond_text);

/* Applies "event arg" to a session; returns the result. */
sess_result t_ev(session *s, const char *line);

/* Runs --auto to the end (or the first refusal); returns the last result. */
sess_result t_auto(session *s);

/* Reads a whole file into a malloc'd string. */
char *t_slurp(const char *path, size_t *len);

#endif
