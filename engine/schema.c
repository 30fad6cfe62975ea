/*
 * schema.c - the kbdata schema tables and the document made from them.
 */
#include "config.h"

#include "schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cond.h"
#include "world.h"

#define END {NULL, 0, false, 0, 0, NULL, NULL}
#define LEN_ID 1, 63
#define LEN_STR 1, 200
#define LEN_TEXT 1, 4000
#define LEN_COND 1, 1000

static const field_def article_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "the article number, e.g. \"889528\"; unique in the library"},
    {"title", FT_STRING, true, LEN_STR, NULL, "the article's title"},
    {"applies_to", FT_STRINGS, true, 1, 16, NULL, "products and versions the article applies to"},
    {"symptoms", FT_TEXT, true, LEN_TEXT, NULL, "what the operator sees, in our words"},
    {"cause", FT_TEXT, true, LEN_TEXT, NULL, "why it happens, in our words"},
    {"source", FT_STRING, true, LEN_STR, NULL, "the article reference (number, and the seed file)"},
    {"roles", FT_LIST, false, 0, 8, "role", "the parts nodes play in the steps"},
    {"display", FT_STRINGS, false, 0, 24, NULL,
     "per-node lines drawn in each node box: svc:SVC, comp:COMP, proc:PROC or val:KEY"},
    {"display_global", FT_STRINGS, false, 0, 24, NULL, "global values drawn under the diagram: var:KEY"},
    {"tools", FT_LIST, false, 0, 24, "tool", "programs the operator runs (their behaviour is triggers on run)"},
    {"triggers", FT_LIST, false, 0, 256, "trigger", "article-specific behaviour on engine events"},
    {"scenarios", FT_LIST, true, 1, 8, "scenario", "initial worlds: the article's problem state"},
    {"methods", FT_LIST, true, 1, 16, "method", "the alternatives the article offers, in order"},
    END};

static const field_def role_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "used as {id} in step text, conditions and actions"},
    {"title", FT_STRING, true, LEN_STR, NULL, "what the role means, shown when binding it"},
    END};

static const field_def tool_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "the name used in `run NODE TOOL`"},
    {"name", FT_STRING, true, LEN_STR, NULL, "what it is called on screen"},
    END};

static const field_def trigger_f[] = {
    {"on", FT_ID, true, LEN_ID, NULL, "the engine event (see Events)"},
    {"match", FT_ID, false, LEN_ID, NULL, "the event's first argument must equal this"},
    {"when", FT_COND, false, LEN_COND, NULL, "a condition that must hold too"},
    {"do", FT_ACTIONS, false, 0, 32, NULL, "actions applied when it fires"},
    {"say", FT_TEXT, false, LEN_TEXT, NULL, "a message shown when it fires"},
    {"mistake", FT_TEXT, false, LEN_TEXT, NULL, "the trainee's mistake when it fires (lab score)"},
    {"penalty", FT_INT, false, 0, 100, NULL, "points taken from the lab score (default 0)"},
    END};

static const field_def scenario_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "named by methods"},
    {"title", FT_STRING, true, LEN_STR, NULL, "a one-line description"},
    {"cluster_service", FT_ID, false, LEN_ID, NULL,
     "the service that makes a node a cluster member; omitted for a stand-alone server"},
    {"bind", FT_PAIRS, false, 0, 8, NULL, "default node of each role: [ \"role\", \"NODE\" ]"},
    {"node_defaults", FT_GROUP, false, 0, 0, "nodedef", "components, services and values every node has"},
    {"nodes", FT_LIST, true, 1, 8, "node", "the servers"},
    {"groups", FT_LIST, false, 0, 16, "group", "resource groups"},
    {"values", FT_PAIRS, false, 0, 96, NULL, "global values: [ \"KEY\", \"VALUE\" ]"},
    END};

#define NODE_PARTS                                                                    \
    {"components", FT_LIST, false, 0, 24, "component", "installed components"},          \
    {"services", FT_LIST, false, 0, 24, "service", "services"},                          \
    {"values", FT_PAIRS, false, 0, 64, NULL, "per-node values: [ \"KEY\", \"VALUE\" ]"}

static const field_def nodedef_f[] = {NODE_PARTS, END};

static const field_def node_f[] = {
    {"name", FT_ID, true, LEN_ID, NULL, "the node's name in the scenario"},
    NODE_PARTS,
    END};

static const field_def component_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "unique on the node"},
    {"name", FT_STRING, false, LEN_STR, NULL, "display name (default: id)"},
    {"requires", FT_STRINGS, false, 0, 8, NULL, "components it needs: removing one removes this"},
    {"installed", FT_BOOL, false, 0, 0, NULL, "installed at the start (default true)"},
    {"installable", FT_BOOL, false, 0, 0, NULL, "can be (re)installed (default true)"},
    END};

static const field_def service_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "unique on the node"},
    {"name", FT_STRING, false, LEN_STR, NULL, "display name (default: id)"},
    {"component", FT_ID, false, LEN_ID, NULL, "the component it belongs to (Absent without it)"},
    {"process", FT_ID, false, LEN_ID, NULL, "the process that runs while it runs"},
    {"startup", FT_ENUM, false, 0, 0, "Automatic Manual Disabled", "startup type (default Automatic)"},
    {"state", FT_ENUM, false, 0, 0, "Running Stopped", "at the start (default Running)"},
    END};

static const field_def group_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "unique in the scenario"},
    {"name", FT_STRING, false, LEN_STR, NULL, "display name (default: id)"},
    {"owner", FT_ID, true, LEN_ID, NULL, "the node that owns it at the start"},
    {"resources", FT_LIST, false, 0, 32, "resource", "its resources"},
    END};

static const field_def resource_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "unique in the scenario"},
    {"name", FT_STRING, false, LEN_STR, NULL, "display name (default: id)"},
    {"restart", FT_ENUM, false, 0, 0, "Restart DoNotRestart", "restart policy (default Restart)"},
    {"affect", FT_BOOL, false, 0, 0, NULL, "Affect the group (default true)"},
    {"depends", FT_STRINGS, false, 0, 16, NULL, "resources of the same group it depends on"},
    {"process", FT_ID, false, LEN_ID, NULL, "the process behind it, running on the owner"},
    {"requires", FT_COND, false, LEN_COND, NULL,
     "what must hold to come online ({node}: the node it comes online on)"},
    {"state", FT_ENUM, false, 0, 0, "Online Offline Failed Deleted",
     "at the start (default Online when the owner is Up)"},
    END};

static const field_def method_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "for --method"},
    {"title", FT_STRING, true, LEN_STR, NULL, "as the article names it"},
    {"scenario", FT_ID, false, LEN_ID, NULL, "the scenario it starts from (default: the first)"},
    {"applies", FT_TEXT, true, LEN_TEXT, NULL, "when to use this method (the article's conditions)"},
    {"goal", FT_COND, true, LEN_COND, NULL, "what holds when the method has succeeded"},
    {"goal_text", FT_TEXT, true, LEN_TEXT, NULL, "the goal in words"},
    {"steps", FT_LIST, true, 1, 96, "step", "the steps, in order"},
    END};

static const field_def step_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "unique in the method"},
    {"kind", FT_ENUM, true, 0, 0, "action check choice wait note", "what sort of step"},
    {"title", FT_STRING, true, 1, 120, NULL, "short, for the checklist"},
    {"text", FT_TEXT, true, LEN_TEXT, NULL, "the instruction; {role} is replaced by the bound node"},
    {"ref", FT_STRING, true, LEN_STR, NULL, "the article section this step comes from"},
    {"act", FT_ACTIONS, false, 0, 16, NULL, "the step's own action (required for kind action)"},
    {"expect", FT_COND, false, LEN_COND, NULL,
     "what holds after the step; sensed in the lab (required for check and wait)"},
    {"gate", FT_GROUP, false, 0, 0, "gate", "a hard gate"},
    {"warning", FT_TEXT, false, LEN_TEXT, NULL, "a caution shown with the step"},
    {"options", FT_LIST, false, 0, 8, "option", "the branches of a choice step (required for choice)"},
    {"next", FT_ID, false, LEN_ID, NULL, "the step that follows (default: the next one; end: finish)"},
    END};

static const field_def gate_f[] = {
    {"when", FT_COND, true, LEN_COND, NULL, "must hold before the step's action and when it completes"},
    {"warning", FT_TEXT, true, LEN_TEXT, NULL, "the article's warning, in our words"},
    {"attest", FT_STRING, true, 1, 120, NULL,
     "what a guided operator types to attest it (a name, e.g. {passive}; never \"y\")"},
    {"critical", FT_BOOL, false, 0, 0, NULL, "the lab still asks for an acknowledgement"},
    END};

static const field_def option_f[] = {
    {"id", FT_ID, true, LEN_ID, NULL, "for `choose ID`"},
    {"title", FT_STRING, true, LEN_STR, NULL, "what the choice means"},
    {"when", FT_COND, false, LEN_COND, NULL, "the option --auto takes when this holds"},
    {"next", FT_ID, false, LEN_ID, NULL, "where it leads (default: the following step; end: finish)"},
    END};

static const object_def objects[] = {
    {"article", article_f, "The top level of a kbdata file."},
    {"role", role_f, "A part a node plays; bound to a node when a session starts."},
    {"tool", tool_f, "A program the operator runs on a node."},
    {"trigger", trigger_f, "Article-specific behaviour: when an engine event happens and the condition holds, "
                           "the actions apply, after the engine's own rule."},
    {"scenario", scenario_f, "An initial world."},
    {"nodedef", nodedef_f, "`node_defaults`: copied into every node before its own settings."},
    {"node", node_f, "A server."},
    {"component", component_f, "An installed component."},
    {"service", service_f, "A service."},
    {"group", group_f, "A resource group."},
    {"resource", resource_f, "A cluster resource; resources come online in dependency order."},
    {"method", method_f, "One of the article's alternatives."},
    {"step", step_f, "One step of a method."},
    {"gate", gate_f, "A hard gate: lab sensed, guided attested (or overridden with a reason)."},
    {"option", option_f, "One branch of a choice step."},
};

const event_def schema_events[] = {
    {"move", "GROUP", "{node} {group} {from} {to}", "a group moved (by the operator or by a failover)"},
    {"failover", "GROUP", "{node} {group} {from} {to}", "a group failed over because its node left"},
    {"kill", "PROC", "{node} {proc} {res}", "a process was killed ({res} when a resource is behind it)"},
    {"restart-res", "RES", "{node} {proc} {res}", "the cluster restarted a resource after a kill"},
    {"fail", "RES", "{node} {res}", "a resource failed to come online"},
    {"run", "TOOL", "{node} {tool} {arg1}..{arg9}", "a tool ran; `exit N` sets its exit status"},
    {"boot", "NODE", "{node}", "a restarted node booted (before its services start)"},
    {"stop-service", "SVC", "{node} {svc}", "a service stopped"},
    {"start-service", "SVC", "{node} {svc}", "a service started"},
    {"remove-component", "COMP", "{node} {comp}", "a component was removed (once per cascaded one)"},
    {"install-component", "COMP", "{node} {comp}", "a component was installed"},
    {NULL, NULL, NULL, NULL}};

const event_def *schema_event(const char *name)
{
    for (const event_def *e = schema_events; e->name; e++)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

const object_def *schema_object(const char *name)
{
    for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++)
        if (strcmp(objects[i].name, name) == 0)
            return &objects[i];
    return NULL;
}

const field_def *schema_field(const object_def *o, const char *name)
{
    for (const field_def *f = o->fields; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

const char *schema_type_name(field_type t)
{
    static const char *const n[] = {"string", "text", "id", "bool", "int", "enum", "string array",
                                    "list", "group", "condition", "actions", "pairs"};
    return n[t];
}

static void putf(schema_put put, void *ctx, const char *fmt, ...)
    __attribute__((format(__printf__, 3, 4)));

static void putf(schema_put put, void *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    put(ctx, buf);
}

static void field_range(const field_def *f, char *buf, size_t n)
{
    switch (f->type) {
    case FT_ENUM: snprintf(buf, n, "%s", f->extra); break;
    case FT_LIST: snprintf(buf, n, "%d..%d of `%s`", f->lo, f->hi, f->extra); break;
    case FT_GROUP: snprintf(buf, n, "a `%s`", f->extra); break;
    case FT_BOOL: snprintf(buf, n, "true, false"); break;
    case FT_INT: snprintf(buf, n, "%d..%d", f->lo, f->hi); break;
    case FT_STRINGS: case FT_ACTIONS: case FT_PAIRS:
        snprintf(buf, n, "%d..%d items", f->lo, f->hi); break;
    default: snprintf(buf, n, "%d..%d bytes", f->lo, f->hi); break;
    }
}

static void objects_md(schema_put put, void *ctx)
{
    for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++) {
        putf(put, ctx, "\n### `%s`\n\n%s\n\n| field | type | required | range | meaning |\n"
                       "|---|---|---|---|---|\n", objects[i].name, objects[i].doc);
        for (const field_def *f = objects[i].fields; f->name; f++) {
            char range[128];
            field_range(f, range, sizeof range);
            putf(put, ctx, "| `%s` | %s | %s | %s | %s |\n", f->name, schema_type_name(f->type),
                 f->required ? "yes" : "no", range, f->doc);
        }
    }
}

static void paths_md(schema_put put, void *ctx)
{
    put(ctx, "\n## Conditions\n\n"
             "    expr := expr or expr | expr and expr | not expr | ( expr ) | cmp | true | false\n"
             "    cmp  := term OP term        OP: == != < <= > >=\n"
             "    term := PATH | WORD | 'quoted text'\n\n"
             "Values compare as dotted numbers when both sides are (`6.5.7232.54`), else as text. "
             "Words and path arguments may hold placeholders: `{role}` is the bound node; "
             "in triggers the event's context (`{node}`, `{group}`, ...); in `requires`, `{node}`.\n\n"
             "| path | value |\n|---|---|\n");
    for (int k = 0; k < PK_COUNT; k++) {
        const path_def *p = &cond_paths[k];
        char path[64];
        snprintf(path, sizeof path, "%s:%s%s%s", p->name, arg_type_name(p->args[0]),
                 p->nargs > 1 ? ":" : "", p->nargs > 1 ? arg_type_name(p->args[1]) : "");
        putf(put, ctx, "| `%s` | %s%s%s |\n", path, p->doc, p->values ? ": " : "",
             p->values ? p->values : "");
    }
}

static void actions_md(schema_put put, void *ctx)
{
    put(ctx, "\n## Actions\n\nA step's `act`, a trigger's `do` and the headless `act VERB ARGS...` "
             "share one vocabulary. Quote an argument holding spaces with '...'.\n\n"
             "| action | what the simulator does |\n|---|---|\n");
    for (int i = 0; i < world_nactions; i++) {
        const action_def *a = &world_actions[i];
        char sig[160];
        int n = snprintf(sig, sizeof sig, "%s", a->verb);
        for (int k = 0; k < a->min && k < 4; k++)
            n += snprintf(sig + n, sizeof sig - (size_t)n, " %s", arg_type_name(a->args[k]));
        if (a->max > a->min)
            snprintf(sig + n, sizeof sig - (size_t)n, " [ARG...]");
        putf(put, ctx, "| `%s` | %s%s |\n", sig, a->doc, a->trigger_only ? " (triggers only)" : "");
    }
    put(ctx, "\n## Events\n\n| event | first argument (`match`) | placeholders | when |\n"
             "|---|---|---|---|\n");
    for (const event_def *e = schema_events; e->name; e++)
        putf(put, ctx, "| `%s` | %s | %s | %s |\n", e->name, e->arg, e->ctx, e->doc);
}

void schema_markdown(schema_put put, void *ctx)
{
    put(ctx, "# kbdata schema\n\n"
             "<!-- Generated by `kbwizard schema` from the loader's tables; "
             "`make check` fails when this file differs. -->\n\n"
             "One libconfig file per article in `kbdata/`. The loader reads the file itself: "
             "`@include` is refused, the file must be valid UTF-8 without control characters "
             "(tabs and line ends aside), at most 1 MiB. Numbers are range-checked. "
             "Ids match `[A-Za-z0-9][A-Za-z0-9._-]*`; value keys `[A-Za-z0-9._/$-]+`. "
             "Every error is reported as `FILE:LINE: message`.\n\n"
             "Semantics the loader checks beyond the tables: references (roles, nodes, groups, "
             "resources, services, components, values, tools, steps, scenarios) exist; ids are "
             "unique; resource dependencies stay in their group and have no cycle; every step is "
             "reachable from the first; action steps have `act`, check and wait steps `expect`, "
             "choice steps `options`; conditions compare enumerated paths with allowed values.\n\n"
             "## Objects\n");
    objects_md(put, ctx);
    paths_md(put, ctx);
    actions_md(put, ctx);
    put(ctx, "\n## Flow\n\nSteps run in order; `next` jumps (`end` finishes the method); a choice "
             "step continues at its chosen option's `next`, or the following step. Steps a run does "
             "not reach are *not applicable*. A gate is checked before the step's own action and "
             "again when the step completes. In the lab a step with `expect` completes as soon as "
             "its expectation and gate hold after any action (a critical gate waits for `do`, the "
             "acknowledgement); `--auto` performs each step's own action and at a choice takes the "
             "first option whose `when` holds.\n");
}
