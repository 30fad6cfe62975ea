/*
 * export_md.c - the Markdown export, for change tickets: a header table,
 * the role bindings, every step with its status, attestations, notes, lab
 * actions, faults, sign-offs and the chain head on one line. Untrusted text
 * is sanitized in the model; here HTML specials become entities and
 * Markdown specials (pipes included) get a backslash.
 */
#include "config.h"

#include <string.h>

#include "export.h"

static void md(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (strchr("\\`*_[]#|~!", *s))
            fprintf(f, "\\%c", *s);
        else
            fputc(*s, f);
    }
}

static void row(FILE *f, int n, const char *const *cells)
{
    fputs("|", f);
    for (int i = 0; i < n; i++) {
        fputc(' ', f);
        md(f, cells[i] && *cells[i] ? cells[i] : "-");
        fputs(" |", f);
    }
    fputc('\n', f);
}

static void table_head(FILE *f, int n, const char *const *cells)
{
    row(f, n, cells);
    for (int i = 0; i < n; i++)
        fputs("|---", f);
    fputs("|\n", f);
}

static void pair(FILE *f, const char *label, const char *value)
{
    row(f, 2, (const char *[]){label, value});
}

static void header(FILE *f, const json_t *m)
{
    const json_t *a = json_object_get(m, "article");
    fputs("# Session record: KB ", f);
    md(f, export_str(a, "id"));
    fputs("\n\n", f);
    table_head(f, 2, (const char *[]){"Field", "Value"});
    export_header(f, m, pair);
}

/* A section: a heading and a table of the listed keys of each item. */
static void section(FILE *f, const json_t *m, const export_section *sec)
{
    const json_t *list = json_object_get(m, sec->key);
    fprintf(f, "\n## %s\n\n", sec->title);
    if (json_array_size(list) == 0) {
        fputs("None.\n", f);
        return;
    }
    table_head(f, sec->n, sec->labels);
    for (size_t i = 0; i < json_array_size(list); i++) {
        char num[6][24];
        const char *cells[6];
        for (int k = 0; k < sec->n; k++)
            cells[k] = export_cell(json_array_get(list, i), sec->keys[k], num[k], sizeof num[k]);
        row(f, sec->n, cells);
    }
}

static int write_md(FILE *f, const json_t *m)
{
    char head[200];
    header(f, m);
    for (int i = 0; i < export_nsections; i++)
        section(f, m, &export_sections[i]);
    export_head_line(m, head, sizeof head);
    fprintf(f, "\n## Record\n\n%s\n\nCheck with `kbwizard verify-signoff EXPORT.json "
            "--expect-head %s`.\n", head, export_str(json_object_get(m, "head"), "line"));
    return ferror(f) ? -1 : 0;
}

const export_format export_md = {.name = "md", .write = write_md};
