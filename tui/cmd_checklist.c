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

#include "cli.h"
#include "text.h"

/* Markdown-escapes untrusted text (HTML specials, pipes, emphasis). */
static void md(const char *s)
{
    char clean[8192];
    text_sanitize(s, clean, sizeof clean, false);
    for (const char *p = clean; *p; p++) {
        switch (*p) {
        case '<': fputs("&lt;", stdout); break;
        case '>': fputs("&gt;", stdout); break;
        case '&': fputs("&amp;", stdout); break;
        case '|': case '*': case '_': case '`': case '[': case ']': case '#':
            putchar('\\');
            putchar(*p);
            break;
        default: putchar(*p);
        }
    }
}

static void md_step(const kb_method *m, int i)
{
    const kb_step *st = &m->steps[i];
    printf("\n- [ ] **%d. ", i + 1);
    md(st->title);
    printf("** (%s; ", kb_step_kind_name(st->kind));
    md(st->ref);
    printf(")\n\n  ");
    md(st->text);
    putchar('\n');
    if (st->warning) {
        printf("\n  > Caution: ");
        md(st->warning);
        putchar('\n');
    }
    if (st->gate) {
        printf("\n  > **GATE:** ");
        md(st->gate->warning);
        printf("\n  >\n  > Attest by writing ");
        md(st->gate->attest);
        printf(": ______________  Initials: ______\n");
    }
    for (int k = 0; k < st->noptions; k++) {
        printf("\n  - [ ] ");
        md(st->options[k].title);
        if (st->options[k].next >= 0)
            printf(" → go to step %d", st->options[k].next + 1);
        else if (st->options[k].next == KB_END)
            printf(" → finished");
        putchar('\n');
    }
    if (st->next >= 0)
        printf("\n  Then go to step %d.\n", st->next + 1);
    printf("\n  Time: ________  Notes: ______________________________\n");
}

static void checklist_md(const kb_article *kb, const kb_method *m)
{
    printf("# KB %s: ", kb->id);
    md(kb->title);
    printf("\n\n**Method:** ");
    md(m->title);
    printf("  \n**When it applies:** ");
    md(m->applies);
    printf("  \n**Source:** ");
    md(kb->source);
    printf("\n\n| | |\n|---|---|\n| Operator | |\n| Change ticket | |\n| Date | |\n");
    const kb_scenario *sc = &kb->scenarios[m->scenario];
    for (int r = 0; r < kb->nroles; r++)
        if (sc->bind[r] >= 0) {
            printf("| Node for {");
            md(kb->roles[r].id);
            printf("}: ");
            md(kb->roles[r].title);
            printf(" | |\n");
        }
    printf("\n## Steps\n");
    for (int i = 0; i < m->nsteps; i++)
        md_step(m, i);
    printf("\n## Goal\n\n");
    md(m->goal_text);
    printf("\n\n## Sign-off\n\nOperator: ______________________  Signature: __________  "
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
    } else if (strcmp(format, "json") == 0) {
        json_t *j = checklist_json(kb, &kb->methods[m]);
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
        json_decref(j);
    } else {
        checklist_md(kb, &kb->methods[m]);
    }
    kbfiles_library_free(lib);
    return rc;
}
