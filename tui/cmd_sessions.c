/*
 * cmd_sessions.c - `kbwizard sessions`: one line per journal in the
 * sessions directory, unfinished sessions first: ID, article, mode,
 * operator, progress, state and last activity, tab-separated.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sessions.h"

int cmd_sessions(cli *c, int argc, char **argv)
{
    char err[600];
    session_row *rows;
    if (argc > 1)
        return usage_error("sessions: unexpected argument %s", argv[1]);
    int n = sessions_scan(&rows, err, sizeof err);
    if (n < 0)
        return usage_error("sessions: %s", err);
    for (int i = 0; i < n; i++) {
        const char *cols[] = {rows[i].id, rows[i].article, rows[i].mode,
                              rows[i].operator_name[0] ? rows[i].operator_name : "-",
                              rows[i].progress, rows[i].state, rows[i].last};
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
            out_clean(stdout, cols[k][0] ? cols[k] : "-");
            putchar(k + 1 < sizeof cols / sizeof cols[0] ? '\t' : '\n');
        }
    }
    free(rows);
    return EXIT_OKAY;
}
