/*
 * plain.h - the plain line-by-line mode.
 */
#ifndef KB_PLAIN_H
#define KB_PLAIN_H

#include "session.h"

/* Runs the session on standard input/output; returns the exit status. */
int plain_run(session *s);

#endif
