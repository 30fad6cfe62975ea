/*
 * cmd_run.c - `kbwizard run`: a headless session driven by a script (one
 * action per line) or by --auto, printing each step, each outcome, the
 * state changes and, on `show`, the plain-text diagram; or with --json one
 * JSON object per event. The same engine events the wizard uses.
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cond.h"
#include "diagram.h"
#include "session.h"
#include "report.h"
#include "text.h"

typedef struct run {
    session *s;
    bool json;
    const char *script;
    int line, last_step, rc;
    long seq;
} run;

static void raise_rc(run *r, int rc)
{
    if (rc == EXIT_USAGE || (rc == EXIT_CHECK && r->rc == EXIT_OKAY))
        r->rc = rc;
}

static json_t *jstr(const char *s)
{
    char clean[4096];
    text_sanitize(s, clean, sizeof clean, true);
    return json_string(clean);
}

static json_t *state_json(run *r, json_t *o)
{
    const world *w = &r->s->w;
    json_t *nodes = json_array(), *groups = json_array();
    for (int n = 0; n < w->sc->nnodes; n++)
        json_array_append_new(nodes, json_pack("{s:o, s:s}", "name", jstr(w->nodes[n].display),
                                               "state", node_state_name(world_node_state(w, n))));
    for (int g = 0; g < w->sc->ngroups; g++)
        json_array_append_new(groups, json_pack("{s:s, s:o, s:o, s:s}", "id", w->sc->groups[g].id,
                                                "name", jstr(w->sc->groups[g].name), "owner",
                                                jstr(w->nodes[w->owner[g]].display), "state",
                                                group_state_name(world_group_state(w, g))));
    const kb_step *st = session_step(r->s);
    json_object_set_new(o, "current", st ? json_string(st->id) : json_null());
    json_object_set_new(o, "finished", json_boolean(r->s->finished));
    json_object_set_new(o, "nodes", nodes);
    json_object_set_new(o, "groups", groups);
    return o;
}

static void emit_json(run *r, json_t *o)
{
    const kb_step *st = session_step(r->s);
    json_object_set_new(o, "seq", json_integer(++r->seq));
    if (!json_object_get(o, "step"))
        json_object_set_new(o, "step", st ? json_string(st->id) : json_null());
    if (!json_object_get(o, "status"))
        json_object_set_new(o, "status", json_string("ok"));
    state_json(r, o);
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    puts(s);
    free(s);
    json_decref(o);
}

/* Prints the current step when it changed since the last event. */
static void step_header(run *r)
{
    if (r->json || !session_step(r->s) || r->s->cur == r->last_step)
        return;
    r->last_step = r->s->cur;
    report_step(r->s);
}

static json_t *log_json(const world *w)
{
    static const char *const kind[] = {"change", "say", "mistake", "error", "info"};
    json_t *a = json_array();
    for (int i = 0; i < w->nlog; i++)
        json_array_append_new(a, json_pack("{s:s, s:o}", "kind", kind[w->log[i].kind], "text",
                                           jstr(w->log[i].text)));
    return a;
}

static void report(run *r, ev_kind k, const char *arg, const char *stepid, sess_result res,
                   const char *msg)
{
    if (res == SR_REFUSED || res == SR_FAILED)
        raise_rc(r, EXIT_CHECK);
    else if (res == SR_ERROR)
        raise_rc(r, EXIT_USAGE);
    if (r->json) {
        json_t *o = json_pack("{s:s, s:o, s:s, s:o, s:o}", "event", ev_name(k), "arg", jstr(arg),
                              "status", sess_result_name(res), "message", jstr(msg), "log",
                              log_json(&r->s->w));
        json_object_set_new(o, "step", stepid ? json_string(stepid) : json_null());
        emit_json(r, o);
        return;
    }
    printf("> %s%s", ev_name(k), *arg ? " " : "");
    print_lines("", arg);
    if (res == SR_REFUSED)
        print_lines("  REFUSED: ", msg);
    else if (res == SR_FAILED)
        print_lines("  FAILED: ", msg);
    else if (res == SR_ERROR)
        print_lines("  error: ", msg);
    report_log(&r->s->w);
    if (res == SR_ERROR && r->script) {
        fprintf(stderr, "%s:%d: ", r->script, r->line);
        print_to(stderr, "", msg);
    }
}

static void apply(run *r, ev_kind k, const char *arg)
{
    char msg[1024];
    const kb_step *st = session_step(r->s);
    const char *stepid = st ? st->id : NULL;
    sess_result res = session_apply(r->s, k, arg, msg, sizeof msg);
    if (k == EV_METHOD && res == SR_OK)
        r->last_step = -1;
    report(r, k, arg, stepid, res, msg);
    step_header(r);
}

static void show(run *r)
{
    static diagram d;
    static char text[32768];
    diagram_build(&r->s->w, &d);
    diagram_text(&d, 100, text, sizeof text);
    if (r->json) {
        emit_json(r, json_pack("{s:s, s:s}", "event", "show", "diagram", text));
        return;
    }
    printf("> show\n%s", text);
}

static void do_assert(run *r, const char *expr)
{
    arena a = {0};
    char err[320] = "";
    cond *c = cond_parse(&a, expr, err, sizeof err);
    bool ok = c && world_eval(&r->s->w, c, NULL, err, sizeof err);
    if (!ok)
        raise_rc(r, EXIT_CHECK);
    if (r->json) {
        emit_json(r, json_pack("{s:s, s:o, s:s, s:o}", "event", "assert", "arg", jstr(expr),
                               "status", ok ? "ok" : "failed", "message", jstr(err)));
    } else {
        printf("> assert ");
        print_lines("", expr);
        print_lines(ok ? "  assert ok" : "  assert failed: ", ok ? "" : expr);
        if (err[0])
            print_lines("  ! ", err);
    }
    arena_free(&a);
}

/* One script line; returns false on a usage error in the line itself. */
static void script_line(run *r, char *line)
{
    line[strcspn(line, "\r\n")] = '\0';
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p || *p == '#')
        return;
    char *verb = p;
    p += strcspn(p, " \t");
    if (*p)
        *p++ = '\0';
    while (*p == ' ' || *p == '\t')
        p++;
    int k = ev_parse(verb);
    if (k >= 0)
        apply(r, (ev_kind)k, p);
    else if (strcmp(verb, "show") == 0)
        show(r);
    else if (strcmp(verb, "assert") == 0)
        do_assert(r, p);
    else {
        fprintf(stderr, "%s:%d: ", r->script, r->line);
        print_to(stderr, "unknown script command: ", verb);
        raise_rc(r, EXIT_USAGE);
    }
}

static int run_script(run *r, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f)
        return usage_error("run: cannot open script %s: %s", path, strerror(errno));
    r->script = f == stdin ? "<stdin>" : path;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        r->line++;
        const char *why;
        if (text_problem(line, strcspn(line, "\r\n"), false, &why) >= 0) {
            fprintf(stderr, "%s:%d: %s\n", r->script, r->line, why);
            raise_rc(r, EXIT_USAGE);
            continue;
        }
        script_line(r, line);
    }
    if (f != stdin)
        fclose(f);
    return 0;
}

static void run_auto(run *r)
{
    char arg[KB_VALUE_MAX];
    ev_kind k;
    for (int i = 0; i < 1000 && session_auto(r->s, &k, arg, sizeof arg); i++) {
        int refused = r->s->refused, failed = r->s->failed;
        apply(r, k, arg);
        if (r->s->refused != refused || r->s->failed != failed)
            break;
    }
}

static void summary(run *r)
{
    session *s = r->s;
    int count[SS_NA + 1] = {0};
    for (int i = 0; i < s->m->nsteps; i++)
        count[s->status[i]]++;
    if (s->finished && !s->goal_met)
        raise_rc(r, EXIT_CHECK);
    const char *result = !s->finished ? "not finished" : s->goal_met ? "goal reached"
                                                                      : "goal NOT reached";
    if (r->json) {
        emit_json(r, json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "event", "summary",
                               "status", result, "done", count[SS_DONE], "skipped",
                               count[SS_SKIPPED], "overridden", count[SS_OVERRIDDEN],
                               "not_applicable", count[SS_NA], "refused", s->refused, "score",
                               s->mode == MODE_LAB ? session_score(s) : -1, "exit", r->rc));
        return;
    }
    char goal[4096];
    session_text(s, s->m->goal_text, goal, sizeof goal);
    printf("\nResult: %s\n", result);
    print_lines("Goal: ", goal);
    printf("Steps: %d done, %d skipped, %d overridden, %d not applicable, %d pending\n",
           count[SS_DONE], count[SS_SKIPPED], count[SS_OVERRIDDEN], count[SS_NA],
           count[SS_PENDING]);
    if (s->mode == MODE_LAB)
        printf("Score: %d/100 (%d refused gate(s), %d mistake(s))\n", session_score(s),
               s->refused, s->w.mistakes);
}

typedef struct run_opts {
    const char *id, *method, *script;
    int mode;                  /* -1 unset */
    bool json, autorun;
    unsigned long long seed;
} run_opts;

static int parse_opts(int argc, char **argv, run_opts *o)
{
    *o = (run_opts){NULL, NULL, NULL, -1, false, false, 1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char *end;
        if (strcmp(a, "--guided") == 0 || strcmp(a, "--lab") == 0) {
            if (o->mode >= 0)
                return usage_error("run: give one of --guided or --lab");
            o->mode = strcmp(a, "--lab") == 0 ? MODE_LAB : MODE_GUIDED;
        } else if (strcmp(a, "--method") == 0 && i + 1 < argc) {
            o->method = argv[++i];
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            errno = 0;
            o->seed = strtoull(argv[++i], &end, 10);
            if (errno || !*argv[i] || *end || argv[i][0] == '-')
                return usage_error("run: --seed needs a non-negative integer, not %s", argv[i]);
        } else if (strcmp(a, "--script") == 0 && i + 1 < argc) {
            o->script = argv[++i];
        } else if (strcmp(a, "--auto") == 0) {
            o->autorun = true;
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (a[0] != '-' && !o->id) {
            o->id = a;
        } else {
            return usage_error("run: unexpected argument %s (try --help)", a);
        }
    }
    if (!o->id)
        return usage_error("run: which article? (kbwizard run ID --lab --auto)");
    if (o->mode < 0)
        return usage_error("run: give --guided or --lab");
    if (!o->script == !o->autorun)
        return usage_error("run: give exactly one of --script FILE|- and --auto");
    return EXIT_OKAY;
}

static void banner(run *r, const run_opts *o)
{
    const session *s = r->s;
    if (r->json)
        return;
    printf("KB %s: ", s->kb->id);
    print_lines("", s->kb->title);
    printf("Method %s: ", s->m->id);
    print_lines("", s->m->title);
    printf("Mode: %s, seed %llu; scenario: ", o->mode == MODE_LAB ? "lab" : "guided", o->seed);
    print_lines("", s->kb->scenarios[s->m->scenario].title);
}

int cmd_run(cli *c, int argc, char **argv)
{
    run_opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc != EXIT_OKAY)
        return rc;
    kb_library *lib = cli_library(c);
    if (!lib)
        return EXIT_USAGE;
    const kb_article *kb = cli_article(lib, o.id);
    int m = kb && o.method ? kb_find_method(kb, o.method) : 0;
    if (!kb || m < 0) {
        if (kb)
            usage_error("run: article %s has no method \"%s\"", o.id, o.method);
        kbfiles_library_free(lib);
        return EXIT_USAGE;
    }
    run r = {session_new(kb, (kb_mode)o.mode, m, o.seed), o.json, NULL, 0, -1, EXIT_OKAY, 0};
    banner(&r, &o);
    step_header(&r);
    rc = o.autorun ? (run_auto(&r), 0) : run_script(&r, o.script);
    if (rc == 0) {
        summary(&r);
        rc = r.rc;
    }
    session_free(r.s);
    kbfiles_library_free(lib);
    return rc;
}
