/*
 * export_csv.c - the CSV export: one row per step (RFC 4180: every field
 * quoted, quotes doubled, CRLF line ends), with the article, session and
 * chain head on every row so a row taken alone still says where it is from.
 * Untrusted text is sanitized in the model, so no field holds a line break
 * or a control character.
 */
#include "config.h"

#include "export.h"

static void field(FILE *f, const char *s, bool last)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputs(last ? "\"\r\n" : "\",", f);
}

static int write_csv(FILE *f, const json_t *m)
{
    static const char *const cols[] = {"n", "id", "title", "status", "reason", "attested", "utc"};
    const char *article = export_str(json_object_get(m, "article"), "id");
    const char *head = export_str(json_object_get(m, "head"), "line");
    const json_t *steps = json_object_get(m, "steps");
    fputs("\"article\",\"session\",\"n\",\"step\",\"title\",\"status\",\"reason\",\"attested\","
          "\"time_utc\",\"chain_head\"\r\n", f);
    for (size_t i = 0; i < json_array_size(steps); i++) {
        const json_t *o = json_array_get(steps, i);
        char num[24];
        field(f, article, false);
        field(f, export_str(m, "session"), false);
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            field(f, export_cell(o, cols[k], num, sizeof num), false);
        field(f, head, true);
    }
    return ferror(f) ? -1 : 0;
}

const export_format export_csv = {.name = "csv", .write = write_csv};
