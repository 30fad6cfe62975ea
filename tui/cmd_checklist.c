/*
 * cmd_checklist.c - `kbwizard checklist ID [--method M] [--format md|json]`:
 * a blank printable checklist of one method, with boxes, gates to attest,
 * and sign-off lines. Role names stay as placeholders for the operator to
 * fill in.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "text.h"

static FILE *out;

static void fputc_out(int c)
{
    fputc(c, out);
}

/* Markdown-escapes untrusted text (HTML specials, pipes, emphasis). */
static void md(const char *s)
{
    char clean[8192];
    text_sanitize(s, clean, sizeof clean, false);
    for (const char *p = clean; *p; p++) {
        switch (*p) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '|': case '*': case '_': case '`': case '[': case ']': case '#':
            fputc_out('\\');
            fputc_out(*p);
            break;
        default: fputc_out(*p);
        }
    }
}

static void md_step(const kb_method *m, int i)
{
    const kb_step *st = &m->steps[i];
    fprintf(out, "\n- [ ] **%d. ", i + 1);
    md(st->title);
    fprintf(out, "** (%s; ", kb_step_kind_name(st->kind));
    md(st->ref);
    fprintf(out, ")\n\n  ");
    md(st->text);
    fputc_out('\n');
    if (st->warning) {
        fprintf(out, "\n  > Caution: ");
        md(st->warning);
        fputc_out('\n');
    }
    if (st->gate) {
        fprintf(out, "\n  > **GATE:** ");
        md(st->gate->warning);
        fprintf(out, "\n  >\n  > Attest by writing ");
        md(st->gate->attest);
        fprintf(out, ": ______________  Initials: ______\n");
    }
    for (int k = 0; k < st->noptions; k++) {
        fprintf(out, "\n  - [ ] ");
        md(st->options[k].title);
        if (st->options[k].next >= 0)
            fprintf(out, " → go to step %d", st->options[k].next + 1);
        else if (st->options[k].next == KB_END)
            fprintf(out, " → finished");
        fputc_out('\n');
    }
    if (st->next >= 0)
        fprintf(out, "\n  Then go to step %d.\n", st->next + 1);
    fprintf(out, "\n  Time: ________  Notes: ______________________________\n");
}

static void checklist_md(const kb_article *kb, const kb_method *m)
{
    fprintf(out, "# KB %s: ", kb->id);
    md(kb->title);
    fprintf(out, "\n\n**Method:** ");
    md(m->title);
    fprintf(out, "  \n**When it applies:** ");
    md(m->applies);
    fprintf(out, "  \n**Source:** ");
    md(kb->source);
    fprintf(out, "\n\n| | |\n|---|---|\n| Operator | |\n| Change ticket | |\n| Date | |\n");
    const kb_scenario *sc = &kb->scenarios[m->scenario];
    for (int r = 0; r < kb->nroles; r++)
        if (sc->bind[r] >= 0) {
            fprintf(out, "| Node for {");
            md(kb->roles[r].id);
            fprintf(out, "}: ");
            md(kb->roles[r].title);
            fprintf(out, " | |\n");
        }
    fprintf(out, "\n## Steps\n");
    for (int i = 0; i < m->nsteps; i++)
        md_step(m, i);
    fprintf(out, "\n## Goal\n\n");
    md(m->goal_text);
    fprintf(out, "\n\n## Sign-off\n\nOperator: ______________________  Signature: __________  "
           "Date/time: __________\n\nCountersigned: __________________  Signature: __________  "
           "Date/time: __________\n");
}

static json_t *checklist_json(const kb_article *kb, const kb_method *m)
{
    json_t *steps = json_array();
    for (int i = 0; i < m->nsteps; i++) {
        const kb_step *st = &m->steps[i];
        json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "n", i + 1, "id", st->id,
                              "kind", kb_step_kind_name(st->kind), "title", st->title,
                              "text", st->text, "ref", st->ref);
        if (st->gate)
            json_object_set_new(o, "gate", json_pack("{s:s, s:s}", "warning", st->gate->warning,
                                                     "attest", st->gate->attest));
        json_array_append_new(steps, o);
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "article", kb->id, "title", kb->title,
                     "method", m->id, "method_title", m->title, "goal", m->goal_text,
                     "steps", steps);
}

int checklist_write(FILE *f, const kb_article *kb, const kb_method *m, const char *format)
{
    out = f;
    if (strcmp(format, "json") == 0) {
        json_t *j = checklist_json(kb, m);
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fprintf(f, "%s\n", s);
        free(s);
        json_decref(j);
    } else {
        checklist_md(kb, m);
    }
    return ferror(f) ? -1 : 0;
}

int cmd_checklist(cli *c, int argc, char **argv)
{
    const char *id = NULL, *method = NULL, *format = "md";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--method") == 0 && i + 1 < argc)
            method = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (argv[i][0] != '-' && !id)
            id = argv[i];
        else
            return usage_error("checklist: unexpected argument %s", argv[i]);
    }
    if (!id)
        return usage_error("checklist: which article? (kbwizard checklist ID)");
    if (strcmp(format, "md") != 0 && strcmp(format, "json") != 0)
        return usage_error("checklist: --format must be md or json");
    kb_library *lib = cli_library(c);
    if (!lib)
        return EXIT_USAGE;
    const kb_article *kb = cli_article(lib, id);
    int m = kb && method ? kb_find_method(kb, method) : 0;
    int rc = EXIT_OKAY;
    if (!kb) {
        rc = EXIT_USAGE;
    } else if (m < 0) {
        rc = usage_error("checklist: article %s has no method \"%s\"", id, method);
    } else {
        checklist_write(stdout, kb, &kb->methods[m], format);
    }
    kbfiles_library_free(lib);
    return rc;
}
