/*
 * export_json.c - the JSON export: the model with every record, sorted
 * keys, every non-ASCII character escaped (so no raw control or bidi
 * character can appear), one trailing newline. verify-signoff rebuilds
 * these exact bytes from the records.
 */
#include "config.h"

#include <stdlib.h>

#include "export.h"

static int write_json(FILE *f, const json_t *model)
{
    char *s = export_json_text(model);
    int rc = fputs(s, f) < 0 ? -1 : 0;
    free(s);
    return rc;
}

const export_format export_json = {.name = "json", .write = write_json};
