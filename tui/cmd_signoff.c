/*
 * cmd_signoff.c - `kbwizard signoff SESSION|JOURNAL [--name NAME]
 * [--countersign NAME]`: records the operator's sign-off and, under the
 * two-person rule, a second person's countersign (now, or later on its own)
 * in the journal, then prints the new chain head for the change ticket.
 */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "journal.h"

static int sign(journal *j, rec_type t, const char *name)
{
    char msg[600];
    if (!name || journal_sign(j, t, name, msg, sizeof msg) == 0)
        return EXIT_OKAY;
    usage_error("signoff: %s", msg);
    return journal_broken(j) ? EXIT_USAGE : EXIT_CHECK;
}

int cmd_signoff(cli *c, int argc, char **argv)
{
    const char *source = NULL, *name = NULL, *counter = NULL;
    char path[4096], err[600], head[100];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
            name = argv[++i];
        else if (strcmp(argv[i], "--countersign") == 0 && i + 1 < argc)
            counter = argv[++i];
        else if (argv[i][0] != '-' && !source)
            source = argv[i];
        else
            return usage_error("signoff: unexpected argument %s", argv[i]);
    }
    if (!source || (!name && !counter))
        return usage_error("signoff: give SESSION and --name NAME (and/or --countersign NAME)");
    journal_resolve(source, path, sizeof path);
    journal_info info;
    journal *j = journal_open(path, &info, err, sizeof err);
    if (!j)
        return usage_error("signoff: %s", err);
    if (info.torn_bytes)
        fprintf(stderr, "kbwizard: warning: %s\n", info.why);
    int rc = sign(j, REC_SIGNOFF, name);
    if (rc == EXIT_OKAY)
        rc = sign(j, REC_COUNTERSIGN, counter);
    rec_head h = journal_head(j);
    journal_free(j);
    record_head_text(&h, head, sizeof head);
    if (rc == EXIT_OKAY)
        printf("Chain head: %s\n", head);
    return rc;
}
