/*
 * plain.h - the plain line-by-line mode.
 */
#ifndef KB_PLAIN_H
#define KB_PLAIN_H

#include "journal.h"
#include "session.h"

/* Runs the session on standard input/output, recording every event in j;
   returns the exit status. */
int plain_run(session *s, journal *j);

#endif
