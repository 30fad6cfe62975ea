/*
 * load.h - the kbdata loader: text in, a validated article out, or every
 * problem as FILE:LINE: message. It never reads files itself (the caller
 * does, with its own limits) and never aborts on bad input.
 */
#ifndef KB_LOAD_H
#define KB_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "kb.h"

#define KB_MAX_FILE (1024 * 1024)
#define KB_MAX_DIAGS 200

typedef struct kb_diag {
    char file[256];
    int line;
    char msg[320];
} kb_diag;

typedef struct kb_diags {
    int n, dropped;
    kb_diag v[KB_MAX_DIAGS];
} kb_diags;

void kb_diag_add(kb_diags *d, const char *file, int line, const char *fmt, ...)
    __attribute__((format(__printf__, 4, 5)));

/*
 * Parses and validates an article. Returns NULL and appends to d on any
 * error; otherwise the article (free with kb_free then free()).
 */
kb_article *kb_load(const char *file, const char *text, size_t len, kb_diags *d);

/*
 * Test seam: accept control characters in text (never set in normal use),
 * so tests can prove the front ends draw such text escaped.
 */
void kb_load_test_allow_control(bool allow);

#endif
