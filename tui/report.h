/*
 * report.h - line-oriented output of a session, shared by the headless
 * runner and the plain (serial console / screen reader) mode: the current
 * step with its gate and predicted state, and what an event changed. All
 * text goes through the sanitizer.
 */
#ifndef KB_REPORT_H
#define KB_REPORT_H

#include <stdio.h>

#include "session.h"

void print_to(FILE *f, const char *prefix, const char *text);
void print_lines(const char *prefix, const char *text);
void report_step(const session *s);
void report_log(const world *w);
/* The prompt for a gate's typed attestation: what to type, never "y". */
void attest_prompt(const session *s, const kb_step *st, char *out, size_t outsz);

#endif
