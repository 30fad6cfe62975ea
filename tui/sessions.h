/*
 * sessions.h - the sessions in the sessions directory, summarised for
 * `kbwizard sessions` and the wizard's picker (unfinished ones first).
 */
#ifndef KB_SESSIONS_H
#define KB_SESSIONS_H

#include <limits.h>
#include <stdbool.h>

#include "kb.h"
#include "record.h"

typedef struct session_row {
    char id[256], path[PATH_MAX];
    char article[64], mode[16], operator_name[KB_NAME_MAX * 2];
    char progress[32];          /* "DONE/STEPS": steps no longer pending */
    char state[512];            /* open (who), finished, signed off, interrupted, torn, CORRUPT... */
    char last[REC_UTC];         /* time of the last record */
    bool unfinished;            /* can be resumed */
} session_row;

/*
 * Reads every *.journal of the sessions directory (read-only, no locks
 * taken): *rows sorted with unfinished sessions first, then the most
 * recent activity first. Returns the count, or -1 with err.
 */
int sessions_scan(session_row **rows, char *err, size_t errsz);

/* One journal's row (path need not be in the sessions directory). */
void sessions_row(const char *path, session_row *row);

#endif
