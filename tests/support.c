/*
 * support.c - test helpers; see support.h.
 */
#include "config.h"

#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"

char *t_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert(fread(buf, 1, (size_t)n, f) == (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

static kb_article *load_path(const char *path)
{
    static kb_diags d;
    size_t len;
    char *text = t_slurp(path, &len);
    d.n = 0;
    kb_article *kb = kb_load(path, text, len, &d);
    free(text);
    cr_assert(kb, "%s does not load: %s:%d: %s", path, d.n ? d.v[0].file : "",
              d.n ? d.v[0].line : 0, d.n ? d.v[0].msg : "");
    return kb;
}

kb_article *t_article(const char *id)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.cfg", KBDATA_DIR, id);
    return load_path(path);
}

kb_article *t_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/fixtures/%s.cfg", TESTDATA_DIR, name);
    return load_path(path);
}

void t_free(kb_article *kb)
{
    kb_free(kb);
    free(kb);
}

int t_act(world *w, const char *line)
{
    char buf[512];
    const char *argv[KB_MAX_ARGS];
    int argc = 0;
    snprintf(buf, sizeof buf, "%s", line);
    for (char *p = strtok(buf, " "); p && argc < KB_MAX_ARGS; p = strtok(NULL, " "))
        argv[argc++] = p;
    return world_act(w, argc, argv, NULL);
}

bool t_holds(world *w, const char *text)
{
    arena a = {0};
    char err[256];
    cond *c = cond_parse(&a, text, err, sizeof err);
    cr_assert(c, "bad condition in test: %s", err);
    bool ok = world_eval(w, c, NULL, err, sizeof err);
    cr_assert(err[0] == '\0', "condition %s: %s", text, err);
    arena_free(&a);
    return ok;
}

sess_result t_ev(session *s, const char *line)
{
    char verb[32] = "", msg[512];
    const char *arg = "";
    size_t n = strcspn(line, " ");
    snprintf(verb, sizeof verb, "%.*s", (int)n, line);
    if (line[n])
        arg = line + n + 1;
    int k = ev_parse(verb);
    cr_assert(k >= 0, "unknown event %s", verb);
    return session_apply(s, (ev_kind)k, arg, msg, sizeof msg);
}

sess_result t_auto(session *s)
{
    char arg[KB_VALUE_MAX], msg[512];
    ev_kind k;
    sess_result r = SR_OK;
    for (int i = 0; i < 500 && r == SR_OK && session_auto(s, &k, arg, sizeof arg); i++)
        r = session_apply(s, k, arg, msg, sizeof msg);
    return r;
}
