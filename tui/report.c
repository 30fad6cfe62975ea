/*
 * report.c - line-oriented session output; see report.h.
 */
#include "config.h"

#include "report.h"

#include <string.h>

#include "text.h"

void print_to(FILE *f, const char *prefix, const char *text)
{
    char clean[8192];
    text_sanitize(text, clean, sizeof clean, false);
    fprintf(f, "%s%s\n", prefix, clean);
}

void print_lines(const char *prefix, const char *text)
{
    print_to(stdout, prefix, text);
}

static void predicted(void *ctx, const char *line)
{
    int *n = ctx;
    print_lines((*n)++ ? "               " : "    Predicted: ", line);
}

/* Prints the current step: title, text, caution, gate, options, reference, prediction. */
void report_step(const session *s)
{
    const kb_step *st = session_step(s);
    char buf[4096];
    if (!st)
        return;
    printf("\n[%d/%d] %s (%s): ", s->cur + 1, s->m->nsteps, st->id, kb_step_kind_name(st->kind));
    session_text(s, st->title, buf, sizeof buf);
    print_lines("", buf);
    session_text(s, st->text, buf, sizeof buf);
    print_lines("    ", buf);
    if (st->warning) {
        session_text(s, st->warning, buf, sizeof buf);
        print_lines("    Caution: ", buf);
    }
    if (st->gate) {
        session_text(s, st->gate->warning, buf, sizeof buf);
        print_lines("    Gate: ", buf);
    }
    for (int i = 0; i < st->noptions; i++) {
        printf("    Option %s: ", st->options[i].id);
        session_text(s, st->options[i].title, buf, sizeof buf);
        print_lines("", buf);
    }
    print_lines("    Reference: ", st->ref);
    int n = 0;
    session_predict(s, predicted, &n);
}

void report_log(const world *w)
{
    static const char *const prefix[] = {
        [LOG_CHANGE] = "  * ", [LOG_SAY] = "  says: ", [LOG_MISTAKE] = "  MISTAKE: ",
        [LOG_ERROR] = "  ! ", [LOG_INFO] = "  - "};
    for (int i = 0; i < w->nlog; i++)
        print_lines(prefix[w->log[i].kind], w->log[i].text);
}


void attest_prompt(const session *s, const kb_step *st, char *out, size_t outsz)
{
    const char *a = st->gate->attest;
    size_t n = strlen(a);
    char words[256];
    if (n > 2 && a[0] == '{' && a[n - 1] == '}' && !strchr(a + 1, '{')) {
        snprintf(out, outsz, "GATE: type the name of the %.*s node to attest:", (int)(n - 2), a + 1);
        return;
    }
    session_text(s, a, words, sizeof words);
    snprintf(out, outsz, "GATE: type %s to attest:", words);
}
