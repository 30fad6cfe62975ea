/*
 * cmd_run.c - `kbwizard run`: a headless session driven by a script (one
 * action per line) or by --auto, printing each step, each outcome, the
 * state changes and, on `show`, the plain-text diagram; or with --json one
 * JSON object per event. The same engine events the wizard uses. With
 * --journal FILE, --new-session or --resume, every event is journaled
 * (tui/journal.h) before it is printed, as the wizard does.
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
#include "journal.h"
#include "session.h"
#include "report.h"
#include "text.h"

typedef struct run {
    session *s;
    bool json;
    const char *script;
    int line, last_step, rc;
    long seq;
    journal *j;                /* issue 4: NULL when not journaling */
    bool stopped;              /* the journal failed: nothing more is done */
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

/* ---- journal (issue 4) --------------------------------------------------- */

/* A journal failure ends the run: the event is not shown as done. */
static void journal_failed(run *r, const char *msg)
{
    print_to(stderr, "kbwizard: ", msg);
    r->stopped = true;
    r->rc = EXIT_USAGE;
}

/* Applies an event, journaled first when there is a journal; false when it failed. */
static bool apply_recorded(run *r, ev_kind k, const char *arg, sess_result *res, char *msg,
                           size_t msgsz)
{
    if (!r->j) {
        *res = session_apply(r->s, k, arg, msg, msgsz);
        return true;
    }
    if (journal_apply(r->j, r->s, k, arg, res, msg, msgsz) == 0)
        return true;
    journal_failed(r, msg);
    return false;
}

/* Script lines `signoff NAME` and `countersign NAME`. */
static void sign(run *r, rec_type t, const char *name)
{
    char msg[600];
    if (!r->j) {
        fprintf(stderr, "%s:%d: %s needs a journal (--journal FILE)\n", r->script, r->line,
                rec_type_name(t));
        raise_rc(r, EXIT_USAGE);
    } else if (journal_sign(r->j, t, name, msg, sizeof msg) != 0) {
        if (journal_broken(r->j))
            return journal_failed(r, msg);
        fprintf(stderr, "%s:%d: ", r->script, r->line);
        print_to(stderr, "", msg);
        raise_rc(r, EXIT_CHECK);
    } else if (!r->json) {
        printf("> %s ", rec_type_name(t));
        print_lines("", name);
    }
}

/* ---- end of journal (issue 4) ----------------------------------------------- */

static void apply(run *r, ev_kind k, const char *arg)
{
    char msg[1024];
    const kb_step *st = session_step(r->s);
    const char *stepid = st ? st->id : NULL;
    sess_result res;
    if (!apply_recorded(r, k, arg, &res, msg, sizeof msg))
        return;
    if (k == EV_METHOD && res == SR_OK)
        r->last_step = -1;
    report(r, k, arg, stepid, res, msg);
    step_header(r);
    if (r->j)
        fflush(stdout);        /* what is printed was acknowledged */
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
    else if (strcmp(verb, "signoff") == 0 || strcmp(verb, "countersign") == 0)
        sign(r, verb[0] == 's' ? REC_SIGNOFF : REC_COUNTERSIGN, p);
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
    while (!r->stopped && fgets(line, sizeof line, f)) {
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
    for (int i = 0; i < 1000 && !r->stopped && session_auto(r->s, &k, arg, sizeof arg); i++) {
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
    const char *journal, *resume;  /* issue 4 */
    bool new_session, seed_set;
} run_opts;

static int parse_opts(int argc, char **argv, run_opts *o)
{
    *o = (run_opts){NULL, NULL, NULL, -1, false, false, 1, NULL, NULL, false, false};
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
            o->seed_set = true;
        } else if (strcmp(a, "--script") == 0 && i + 1 < argc) {
            o->script = argv[++i];
        } else if (strcmp(a, "--auto") == 0) {
            o->autorun = true;
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--journal") == 0 && i + 1 < argc) {
            o->journal = argv[++i];
        } else if (strcmp(a, "--resume") == 0 && i + 1 < argc) {
            o->resume = argv[++i];
        } else if (strcmp(a, "--new-session") == 0) {
            o->new_session = true;
        } else if (a[0] != '-' && !o->id) {
            o->id = a;
        } else {
            return usage_error("run: unexpected argument %s (try --help)", a);
        }
    }
    if ((o->journal != NULL) + (o->resume != NULL) + o->new_session > 1)
        return usage_error("run: give one of --journal, --new-session and --resume");
    if (o->resume && (o->mode >= 0 || o->method || o->seed_set))
        return usage_error("run: --resume takes the mode, method and seed from the journal");
    if (!o->id && !o->resume)
        return usage_error("run: which article? (kbwizard run ID --lab --auto)");
    if (o->mode < 0 && !o->resume)
        return usage_error("run: give --guided or --lab");
    if (!o->script == !o->autorun)
        return usage_error("run: give exactly one of --script FILE|- and --auto");
    return EXIT_OKAY;
}

static void banner(run *r)
{
    const session *s = r->s;
    if (r->json)
        return;
    printf("KB %s: ", s->kb->id);
    print_lines("", s->kb->title);
    printf("Method %s: ", s->m->id);
    print_lines("", s->m->title);
    printf("Mode: %s, seed %llu; scenario: ", s->mode == MODE_LAB ? "lab" : "guided",
           (unsigned long long)s->seed);
    print_lines("", s->kb->scenarios[s->m->scenario].title);
    if (r->j)
        print_lines("Journal: ", journal_path(r->j));
}

/* ---- journal (issue 4): opening, resuming --------------------------------- */

static int open_journal(run *r, const run_opts *o)
{
    char err[600];
    if (!o->journal && !o->new_session)
        return EXIT_OKAY;
    r->j = journal_create(o->journal, r->s, err, sizeof err);
    return r->j ? EXIT_OKAY : usage_error("run: %s", err);
}

static void resumed(run *r, int last_step)
{
    const kb_method *m = r->s->m;
    const kb_step *now = session_step(r->s);
    if (r->json)
        return;
    printf("Resumed: %lld records; last recorded step: ", (long long)journal_head(r->j).count);
    if (last_step >= 0)
        printf("%d/%d %s; ", last_step + 1, m->nsteps, m->steps[last_step].id);
    else
        printf("none; ");
    if (now)
        printf("now at %d/%d %s\n", r->s->cur + 1, m->nsteps, now->id);
    else
        printf("the method is finished\n");
}

static int resume_session(run *r, const run_opts *o, kb_library *lib)
{
    char path[4096], err[600];
    journal_info info;
    int last;
    journal_resolve(o->resume, path, sizeof path);
    r->j = journal_open(path, &info, err, sizeof err);
    if (!r->j)
        return usage_error("run: %s", err);
    if (info.torn_bytes)
        usage_error("warning: %s; its %lld byte(s) were set aside in %s", info.why,
                    info.torn_bytes, info.torn_path);
    const char *id = record_article(journal_log(r->j));
    const kb_article *kb = o->id && strcmp(o->id, id) != 0 ? NULL : cli_article(lib, id);
    if (o->id && !kb)
        usage_error("run: %s records article %s, not %s", path, id, o->id);
    r->s = kb ? journal_resume(r->j, kb, &last, err, sizeof err) : NULL;
    if (!r->s) {
        if (kb)
            usage_error("run: cannot resume %s: %s", path, err);
        journal_free(r->j);
        r->j = NULL;
        return EXIT_USAGE;
    }
    banner(r);
    resumed(r, last);
    return EXIT_OKAY;
}

static int new_session(run *r, const run_opts *o, kb_library *lib)
{
    const kb_article *kb = cli_article(lib, o->id);
    int m = kb && o->method ? kb_find_method(kb, o->method) : 0;
    if (!kb || m < 0) {
        if (kb)
            usage_error("run: article %s has no method \"%s\"", o->id, o->method);
        return EXIT_USAGE;
    }
    r->s = session_new(kb, (kb_mode)o->mode, m, o->seed);
    int rc = open_journal(r, o);
    if (rc == EXIT_OKAY)
        banner(r);
    return rc;
}

/* Closes the journal: a close record unless it already failed. */
static void close_journal(run *r)
{
    if (r->j && journal_close(r->j, r->stopped ? NULL : r->s) != 0) {
        fputs("kbwizard: the journal could not record the end of the session\n", stderr);
        r->rc = EXIT_USAGE;
    }
    r->j = NULL;
}

/* ---- end of journal (issue 4) ---------------------------------------------------- */

int cmd_run(cli *c, int argc, char **argv)
{
    run_opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc != EXIT_OKAY)
        return rc;
    kb_library *lib = cli_library(c);
    if (!lib)
        return EXIT_USAGE;
    run r = {NULL, o.json, NULL, 0, -1, EXIT_OKAY, 0, NULL, false};
    rc = o.resume ? resume_session(&r, &o, lib) : new_session(&r, &o, lib);
    if (rc == EXIT_OKAY) {
        step_header(&r);
        rc = o.autorun ? (run_auto(&r), 0) : run_script(&r, o.script);
    }
    if (rc == 0) {
        if (!r.stopped)
            summary(&r);
        close_journal(&r);
        rc = r.rc;
    }
    if (r.j)
        journal_free(r.j);
    session_free(r.s);
    kbfiles_library_free(lib);
    return rc;
}
