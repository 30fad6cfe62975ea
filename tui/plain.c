/*
 * plain.c - the plain line-by-line mode (serial consoles, screen readers,
 * TERM=dumb): the same guided or lab session as the wizard, one prompt per
 * line, the same engine events. Enter alone does the step (done / do);
 * gates ask for the name they name.
 */
#include "config.h"

#include "plain.h"

#include <stdio.h>
#include <string.h>

#include "diagram.h"
#include "report.h"
#include "text.h"

static bool ask(const char *prompt, char *buf, size_t n)
{
    fputs(prompt, stdout);
    fflush(stdout);
    if (!fgets(buf, (int)n, stdin))
        return false;
    buf[strcspn(buf, "\r\n")] = '\0';
    return true;
}

static void outcome(session *s, sess_result r, const char *msg)
{
    static const char *const what[] = {"  ok", "  REFUSED: ", "  FAILED: ", "  error: "};
    print_lines(what[r], r == SR_OK ? "" : msg);
    report_log(&s->w);
}

static journal *jr;

/* Every event goes to the journal first; nothing is shown done before. */
static void apply(session *s, ev_kind k, const char *arg)
{
    char msg[1024];
    sess_result r;
    if (journal_broken(jr)) {
        puts("  The journal is broken: nothing more can be recorded. Type q, check the disk.");
        return;
    }
    if (journal_apply(jr, s, k, arg, &r, msg, sizeof msg) != 0)
        print_lines("  ", msg);
    else
        outcome(s, r, msg);
}

/* Enter alone: guided done (asking for the attestation first), lab do. */
static void step_default(session *s)
{
    const kb_step *st = session_step(s);
    char typed[KB_NAME_MAX];
    if (s->mode == MODE_LAB) {
        apply(s, EV_DO, "");
    } else if (st->kind == SK_CHOICE) {
        puts("  This step is a choice: type choose OPTION.");
    } else if (st->gate && !s->attested[0]) {
        char prompt[300];
        attest_prompt(s, st, prompt, sizeof prompt);
        strcat(prompt, " ");
        if (ask(prompt, typed, sizeof typed))
            apply(s, EV_ATTEST, typed);
        if (s->attested[0])
            apply(s, EV_DONE, "");
    } else {
        apply(s, EV_DONE, "");
    }
}

static void show(const session *s)
{
    static diagram d;
    static char text[32768];
    diagram_build(&s->w, &d);
    diagram_text(&d, 78, text, sizeof text);
    fputs(text, stdout);
}

/* One command line; returns false to leave. */
static bool command(session *s, char *line)
{
    char *arg = line + strcspn(line, " ");
    if (*arg)
        *arg++ = '\0';
    int k = ev_parse(line);
    if (!*line)
        step_default(s);
    else if (strcmp(line, "q") == 0 || strcmp(line, "quit") == 0)
        return false;
    else if (strcmp(line, "show") == 0)
        show(s);
    else if (strcmp(line, "?") == 0 || strcmp(line, "help") == 0)
        puts("  Enter: done (guided) / do (lab); skip REASON; override REASON; note TEXT;\n"
             "  choose OPTION; act VERB ARGS (lab); show; q to leave.");
    else if (k >= 0)
        apply(s, (ev_kind)k, arg);
    else
        print_lines("  unknown command: ", line);
    return true;
}

/* Asks for the node playing each role (guided: the real names). */
static void bind_roles(session *s)
{
    char line[KB_NAME_MAX], prompt[512], arg[KB_NAME_MAX * 2 + 2];
    for (int r = 0; r < s->kb->nroles; r++) {
        if (s->w.bind[r] < 0)
            continue;
        char title[256];
        text_sanitize(s->kb->roles[r].title, title, sizeof title, false);
        snprintf(prompt, sizeof prompt, "%s [%s]: ", title, s->w.nodes[s->w.bind[r]].display);
        if (ask(prompt, line, sizeof line) && line[0]) {
            snprintf(arg, sizeof arg, "%s %s", s->kb->roles[r].id, line);
            apply(s, EV_BIND, arg);
        }
    }
}

int plain_run(session *s, journal *j)
{
    char line[1024];
    jr = j;
    int last = -2;
    printf("KB %s, method %s, %s session. Type ? for help.\n", s->kb->id, s->m->id,
           s->mode == MODE_LAB ? "lab" : "guided");
    print_lines("Recording to ", journal_path(j));
    if (ask("Operator name: ", line, sizeof line) && line[0])
        apply(s, EV_OPERATOR, line);
    bind_roles(s);
    while (!s->finished) {
        if (s->cur != last)
            report_step(s);
        last = s->cur;
        if (!ask("> ", line, sizeof line)) {
            puts("\nEnd of input: the session is left unfinished.");
            return 0;
        }
        if (!command(s, line))
            return 0;
    }
    printf("Method finished: goal %s.\n", s->goal_met ? "reached" : "NOT reached");
    if (s->mode == MODE_LAB)
        printf("Score: %d/100\n", session_score(s));
    return s->goal_met ? 0 : 1;
}
