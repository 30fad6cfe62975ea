/*
 * load.c - kbdata loader. Four passes over untrusted text, each stopping
 * the load when it found errors (so later passes can trust earlier ones):
 *   1. raw text: size, NUL, UTF-8, control characters, @include;
 *   2. libconfig syntax (config_read_string: never the file API);
 *   3. the schema tables: fields, types, ranges, counts;
 *   4. meaning: references, duplicates, dependency cycles, reachability,
 *      conditions and actions against the scenario they run in.
 * Every problem is reported as FILE:LINE: message.
 */
#include "config.h"

#include "load.h"

#include <libconfig.h>
#include <ctype.h>
#include <errno.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "schema.h"
#include "text.h"
#include "world.h"

typedef struct L {
    const char *file, *text;
    kb_diags *d;
    kb_article *kb;
    int errs;
} L;

static bool allow_control;

void kb_load_test_allow_control(bool allow)
{
    allow_control = allow;
}

/* Control characters are refused unless the test seam allows them. */
static long problem(const char *s, size_t n, bool allow_nl, const char **why)
{
    long at = text_problem(s, n, allow_nl, why);
    if (at >= 0 && allow_control && strstr(*why, "control"))
        return -1;
    return at;
}

void kb_diag_add(kb_diags *d, const char *file, int line, const char *fmt, ...)
{
    if (d->n == KB_MAX_DIAGS) {
        d->dropped++;
        return;
    }
    kb_diag *g = &d->v[d->n++];
    va_list ap;
    text_copy(g->file, sizeof g->file, file);
    g->line = line;
    va_start(ap, fmt);
    vsnprintf(g->msg, sizeof g->msg, fmt, ap);
    va_end(ap);
}

static void err(L *l, int line, const char *fmt, ...) __attribute__((format(__printf__, 3, 4)));

static void err(L *l, int line, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kb_diag_add(l->d, l->file, line > 0 ? line : 1, "%s", msg);
    l->errs++;
}

static int line_of(const config_setting_t *s)
{
    int n = s ? (int)config_setting_source_line(s) : 0;
    return n > 0 ? n : 1;
}

/* ---- pass 1: raw text ------------------------------------------------ */

static bool is_include(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return end - p >= 8 && strncmp(p, "@include", 8) == 0;
}

static void check_raw(L *l, const char *text, size_t len)
{
    if (len > KB_MAX_FILE) {
        err(l, 1, "file is larger than %d bytes", KB_MAX_FILE);
        return;
    }
    int line = 1;
    for (const char *p = text, *end = text + len; p < end; line++) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
        const char *why;
        if (memchr(p, '\0', n))
            err(l, line, "NUL byte in the file");
        else if (problem(p, n, true, &why) >= 0)
            err(l, line, "%s", why);
        else if (is_include(p, p + n))
            err(l, line, "@include is not allowed: each article is one self-contained file");
        p += n + 1;
    }
}

/*
 * libconfig 1.5 truncates integer literals silently (9000000000 becomes
 * 410065408): find every integer literal outside strings and comments and
 * refuse those beyond 32 bits that are not marked 64-bit with L.
 */
static const char *skip_string(const char *p, const char *end, int *line)
{
    for (p++; p < end && *p != '"'; p++) {
        if (*p == '\\' && p + 1 < end)
            p++;
        if (*p == '\n')
            (*line)++;
    }
    return p;
}

static const char *skip_comment(const char *p, const char *end, int *line)
{
    if (*p == '#' || (p[1] == '/' && *p == '/')) {
        while (p < end && *p != '\n')
            p++;
        return p - 1;
    }
    for (p += 2; p + 1 < end && !(p[0] == '*' && p[1] == '/'); p++)
        if (*p == '\n')
            (*line)++;
    return p + 1 < end ? p + 1 : end - 1;
}

static const char *check_number(L *l, const char *p, const char *end, int line)
{
    const char *start = p;
    while (p < end && (isalnum((unsigned char)*p) || *p == '.' || *p == '+' || *p == '-'))
        p++;
    char tok[64];
    snprintf(tok, sizeof tok, "%.*s", (int)(p - start), start);
    bool is_float = strpbrk(tok, ".eE") && strncmp(tok, "0x", 2) != 0 && strncmp(tok, "0X", 2) != 0;
    size_t n = strlen(tok);
    if (!is_float && n && (tok[n - 1] == 'L' || tok[n - 1] == 'l'))
        return p;
    errno = 0;
    if (is_float) {
        double d = strtod(tok, NULL);
        if (errno == ERANGE || d != d || d > 1e300 || d < -1e300)
            err(l, line, "number %s is out of range", tok);
    } else {
        long long v = strtoll(tok, NULL, 0);
        if (errno == ERANGE || v > 2147483647LL || v < -2147483648LL)
            err(l, line, "integer %s is out of range (libconfig would silently truncate it)", tok);
    }
    return p;
}

static void check_numbers(L *l, const char *text, size_t len)
{
    const char *end = text + len;
    int line = 1;
    for (const char *p = text; p < end; p++) {
        if (*p == '\n')
            line++;
        else if (*p == '"')
            p = skip_string(p, end, &line);
        else if (*p == '#' || (*p == '/' && p + 1 < end && (p[1] == '/' || p[1] == '*')))
            p = skip_comment(p, end, &line);
        else if ((isdigit((unsigned char)*p) || ((*p == '-' || *p == '+') && p + 1 < end &&
                  isdigit((unsigned char)p[1]))) && (p == text || !isalnum((unsigned char)p[-1])))
            p = check_number(l, p, end, line) - 1;
    }
}

/* ---- pass 3: schema ---------------------------------------------------- */

static void check_object(L *l, const config_setting_t *s, const object_def *o);

static bool check_string(L *l, const config_setting_t *s, const char *what, field_type t,
                         int lo, int hi)
{
    const char *v = config_setting_get_string(s), *why;
    if (!v) {
        err(l, line_of(s), "%s: expected a string", what);
        return false;
    }
    size_t n = strlen(v);
    if (problem(v, n, false, &why) >= 0)
        err(l, line_of(s), "%s: %s in text", what, why);
    else if ((int)n < lo || (int)n > hi)
        err(l, line_of(s), "%s: length %zu is outside %d..%d", what, n, lo, hi);
    else if (t == FT_ID && !text_is_id(v))
        err(l, line_of(s), "%s: \"%s\" is not a valid id ([A-Za-z0-9][A-Za-z0-9._-]*)", what, v);
    else
        return true;
    return false;
}

static void check_count(L *l, const config_setting_t *s, const field_def *f)
{
    int n = config_setting_length(s);
    if (n < f->lo || n > f->hi)
        err(l, line_of(s), "%s: %d item(s), expected %d..%d", f->name, n, f->lo, f->hi);
}

static bool is_seq(const config_setting_t *s)
{
    return config_setting_is_array(s) || config_setting_is_list(s);
}

static void check_strings(L *l, const config_setting_t *s, const field_def *f)
{
    if (!is_seq(s)) {
        err(l, line_of(s), "%s: expected a list of strings [ \"...\" ]", f->name);
        return;
    }
    check_count(l, s, f);
    for (int i = 0; i < config_setting_length(s); i++)
        check_string(l, config_setting_get_elem(s, (unsigned)i), f->name,
                     FT_STRING, 1, f->type == FT_ACTIONS ? 300 : 1000);
}

static void check_pairs(L *l, const config_setting_t *s, const field_def *f)
{
    if (!config_setting_is_list(s)) {
        err(l, line_of(s), "%s: expected a list of pairs ( [\"KEY\", \"VALUE\"], ... )", f->name);
        return;
    }
    check_count(l, s, f);
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *p = config_setting_get_elem(s, (unsigned)i);
        if (!is_seq(p) || config_setting_length(p) != 2) {
            err(l, line_of(p), "%s: each item must be a pair [\"KEY\", \"VALUE\"]", f->name);
            continue;
        }
        check_string(l, config_setting_get_elem(p, 0), f->name, FT_STRING, 1, 120);
        check_string(l, config_setting_get_elem(p, 1), f->name, FT_STRING, 0, KB_VALUE_MAX - 1);
    }
}

static void check_int(L *l, const config_setting_t *s, const field_def *f)
{
    int t = config_setting_type(s);
    long long v;
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
        err(l, line_of(s), "%s: expected an integer", f->name);
        return;
    }
    v = config_setting_get_int64(s);
    if (v < f->lo || v > f->hi)
        err(l, line_of(s), "%s: %lld is outside %d..%d", f->name, v, f->lo, f->hi);
}

static void check_field(L *l, const config_setting_t *s, const field_def *f)
{
    switch (f->type) {
    case FT_STRING: case FT_TEXT: case FT_ID: case FT_COND:
        check_string(l, s, f->name, f->type, f->lo, f->hi);
        break;
    case FT_ENUM:
        if (check_string(l, s, f->name, FT_STRING, 1, 64) &&
            !word_in_list(f->extra, config_setting_get_string(s)))
            err(l, line_of(s), "%s: \"%s\" is not one of: %s", f->name,
                config_setting_get_string(s), f->extra);
        break;
    case FT_BOOL:
        if (config_setting_type(s) != CONFIG_TYPE_BOOL)
            err(l, line_of(s), "%s: expected true or false", f->name);
        break;
    case FT_INT: check_int(l, s, f); break;
    case FT_STRINGS: case FT_ACTIONS: check_strings(l, s, f); break;
    case FT_PAIRS: check_pairs(l, s, f); break;
    case FT_GROUP:
        if (!config_setting_is_group(s))
            err(l, line_of(s), "%s: expected a group { ... }", f->name);
        else
            check_object(l, s, schema_object(f->extra));
        break;
    case FT_LIST:
        if (!config_setting_is_list(s)) {
            err(l, line_of(s), "%s: expected a list ( { ... }, ... )", f->name);
            break;
        }
        check_count(l, s, f);
        for (int i = 0; i < config_setting_length(s); i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (!config_setting_is_group(e))
                err(l, line_of(e), "%s: each item must be a group { ... }", f->name);
            else
                check_object(l, e, schema_object(f->extra));
        }
        break;
    }
}

static void check_object(L *l, const config_setting_t *s, const object_def *o)
{
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *c = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(c);
        const field_def *f = name ? schema_field(o, name) : NULL;
        if (!f)
            err(l, line_of(c), "unknown field \"%s\" in %s", name ? name : "?", o->name);
        else
            check_field(l, c, f);
    }
    for (const field_def *f = o->fields; f->name; f++)
        if (f->required && !config_setting_get_member(s, f->name))
            err(l, line_of(s), "%s: missing required field \"%s\"", o->name, f->name);
}

/* ---- pass 4 helpers ----------------------------------------------------- */

static const char *str(L *l, const config_setting_t *s, const char *name)
{
    const char *v = NULL;
    if (!config_setting_lookup_string(s, name, &v))
        return NULL;
    return arena_strdup(&l->kb->mem, v);
}

static bool boolean(const config_setting_t *s, const char *name, bool def)
{
    int v;
    return config_setting_lookup_bool(s, name, &v) ? v != 0 : def;
}

static int member_line(const config_setting_t *s, const char *name)
{
    const config_setting_t *m = config_setting_get_member(s, name);
    return line_of(m ? m : s);
}

/* Strings of an array/list member, copied into the arena. */
static const char **strings(L *l, const config_setting_t *s, const char *name, int *n)
{
    const config_setting_t *a = config_setting_get_member(s, name);
    *n = a ? config_setting_length(a) : 0;
    const char **v = arena_alloc(&l->kb->mem, sizeof *v * (size_t)(*n + 1));
    for (int i = 0; i < *n; i++)
        v[i] = arena_strdup(&l->kb->mem, config_setting_get_string_elem(a, (unsigned)i));
    return v;
}

/* What placeholders, nodes and entities a condition or action may name. */
typedef struct scope {
    const kb_scenario *scs[8];
    int nscs;
    const char *ctx;           /* space-separated context placeholders */
    bool trigger_run;          /* `exit` allowed */
} scope;

static bool role_ok(L *l, const scope *sc, const char *name, size_t n)
{
    char id[64];
    if (n >= sizeof id)
        return false;
    memcpy(id, name, n);
    id[n] = '\0';
    if (sc->ctx && word_in_list(sc->ctx, id))
        return true;
    int r = kb_find_role(l->kb, id);
    if (r < 0)
        return false;
    for (int i = 0; i < sc->nscs; i++)
        if (sc->scs[i]->bind[r] >= 0)
            return true;
    return sc->nscs == 0;
}

/* Checks every {placeholder} in text. */
static void check_placeholders(L *l, int line, const scope *sc, const char *what, const char *t)
{
    for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e) {
            err(l, line, "%s: unclosed placeholder {", what);
            return;
        }
        if (!role_ok(l, sc, p + 1, (size_t)(e - p - 1)))
            err(l, line, "%s: {%.*s} is not a role bound in the scenario%s", what,
                (int)(e - p - 1), p + 1, sc->ctx ? " nor a placeholder of the event" : "");
    }
}

/* Does an entity of type t named name exist (on node, when given) in scope? */
static bool entity_exists(const scope *sc, arg_type t, const char *node, const char *name)
{
    for (int i = 0; i < sc->nscs; i++) {
        const kb_scenario *s = sc->scs[i];
        if (t == AT_GROUP && kb_find_group(s, name) >= 0)
            return true;
        if (t == AT_RES && kb_find_res(s, name) >= 0)
            return true;
        if (t == AT_NODE && kb_find_node(s, name) >= 0)
            return true;
        if (t == AT_KEY && !node && kb_scen_val(s, name) >= 0)
            return true;
        for (int n = 0; n < s->nnodes; n++) {
            const kb_node *d = &s->nodes[n];
            if (node && !strchr(node, '{') && strcmp(node, d->name) != 0)
                continue;
            if ((t == AT_SVC && kb_node_svc(d, name) >= 0) ||
                (t == AT_COMP && kb_node_comp(d, name) >= 0) ||
                (t == AT_KEY && node && kb_node_val(d, name) >= 0) ||
                (t == AT_PROC && kb_node_svc_by_proc(d, name) >= 0))
                return true;
        }
        for (int r = 0; t == AT_PROC && r < s->nres; r++)
            if (s->res[r].process && strcmp(s->res[r].process, name) == 0)
                return true;
    }
    return false;
}

static const char *type_word(arg_type t)
{
    static const char *const w[] = {"node", "service", "component", "process", "group",
                                    "resource", "value", "tool"};
    return t <= AT_TOOL ? w[t] : "argument";
}

/* Checks one typed argument; node is the node argument before it, if any. */
static void check_arg(L *l, int line, const scope *sc, const char *what, arg_type t,
                      const char *node, const char *a)
{
    static const char *const enums[] = {[AT_STARTUP] = "Automatic Manual Disabled",
                                        [AT_POLICY] = "Restart DoNotRestart",
                                        [AT_YESNO] = "yes no"};
    if (strchr(a, '{')) {
        check_placeholders(l, line, sc, what, a);
        return;
    }
    switch (t) {
    case AT_STARTUP: case AT_POLICY: case AT_YESNO:
        if (!word_in_list(enums[t], a))
            err(l, line, "%s: \"%s\" is not one of: %s", what, a, enums[t]);
        return;
    case AT_INT: {
        char *end;
        long v = strtol(a, &end, 10);
        if (!*a || *end || v < 0 || v > 100000)
            err(l, line, "%s: \"%s\" is not a number in 0..100000", what, a);
        return;
    }
    case AT_TOOL:
        if (kb_find_tool(l->kb, a) < 0)
            err(l, line, "%s: unknown tool \"%s\"", what, a);
        return;
    case AT_VALUE: case AT_WORD: return;
    default: break;
    }
    if (t == AT_KEY && !text_is_key(a))
        err(l, line, "%s: \"%s\" is not a valid value key", what, a);
    else if (sc->nscs && !entity_exists(sc, t, node, a))
        err(l, line, "%s: unknown %s \"%s\"%s%s", what, type_word(t), a,
            node && !strchr(node, '{') ? " on " : "", node && !strchr(node, '{') ? node : "");
}

typedef struct cond_check {
    L *l;
    int line;
    const scope *sc;
} cond_check;

static void check_term(cond_check *cc, const cterm *t, const cterm *other)
{
    if (!t->path) {
        check_placeholders(cc->l, cc->line, cc->sc, "condition", t->text);
        return;
    }
    const path_def *p = &cond_paths[t->kind];
    arg_type a1 = p->nargs > 1 ? p->args[1] : AT_WORD;
    check_arg(cc->l, cc->line, cc->sc, "condition", p->args[0], NULL, t->args[0]);
    if (p->nargs > 1)
        check_arg(cc->l, cc->line, cc->sc, "condition", a1, t->args[0], t->args[1]);
    if (t->kind == PK_OWNER && !other->path && !strchr(other->text, '{') &&
        cc->sc->nscs && !entity_exists(cc->sc, AT_NODE, NULL, other->text))
        err(cc->l, cc->line, "condition: \"%s\" is not a node (owner:%s is one)", other->text,
            t->args[0]);
    if (p->values && !other->path && !strchr(other->text, '{') &&
        !word_in_list(p->values, other->text))
        err(cc->l, cc->line, "condition: \"%s\" is never a value of %s: (%s)", other->text,
            p->name, p->values);
}

static void check_cmp(void *ctx, const cond *c)
{
    check_term(ctx, &c->l, &c->r);
    check_term(ctx, &c->r, &c->l);
}

static cond *parse_cond(L *l, const config_setting_t *s, const char *name, const scope *sc)
{
    const char *text;
    if (!config_setting_lookup_string(s, name, &text))
        return NULL;
    char msg[256];
    int line = member_line(s, name);
    cond *c = cond_parse(&l->kb->mem, text, msg, sizeof msg);
    if (!c) {
        err(l, line, "%s: %s", name, msg);
        return NULL;
    }
    cond_check cc = {l, line, sc};
    cond_walk(c, check_cmp, &cc);
    return c;
}

/* Splits an action into words; quotes ('...' or "...") group words. */
static int split_words(L *l, int line, const char *s, kb_action *a)
{
    a->argc = 0;
    a->line = line;
    for (const char *p = s;;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (a->argc == KB_MAX_ARGS) {
            err(l, line, "action \"%s\": more than %d words", s, KB_MAX_ARGS);
            return -1;
        }
        const char *start = p, *end;
        if (*p == '\'' || *p == '"') {
            end = strchr(p + 1, *p);
            if (!end) {
                err(l, line, "action \"%s\": unterminated quote", s);
                return -1;
            }
            start = p + 1;
            p = end + 1;
        } else {
            end = p + strcspn(p, " ");
            p = end;
        }
        a->argv[a->argc++] = arena_strndup(&l->kb->mem, start, (size_t)(end - start));
    }
    return a->argc ? 0 : (err(l, line, "empty action"), -1);
}

static void check_action(L *l, const scope *sc, const kb_action *a)
{
    const action_def *d = world_action(a->argv[0]);
    if (!d || (d->trigger_only && !sc->trigger_run)) {
        err(l, a->line, "unknown action \"%s\"%s", a->argv[0],
            d ? " (only in a trigger on run)" : "");
        return;
    }
    int n = a->argc - 1;
    if (n < d->min || n > d->max) {
        err(l, a->line, "action %s takes %d argument(s), got %d", d->verb, d->min, n);
        return;
    }
    const char *node = NULL;
    for (int i = 0; i < n && i < d->min && i < 4; i++) {
        check_arg(l, a->line, sc, d->verb, d->args[i], node, a->argv[i + 1]);
        if (d->args[i] == AT_NODE)
            node = a->argv[i + 1];
    }
}

static kb_actions parse_actions(L *l, const config_setting_t *s, const char *name,
                                const scope *sc)
{
    kb_actions r = {0, NULL};
    const config_setting_t *a = config_setting_get_member(s, name);
    if (!a)
        return r;
    r.v = arena_alloc(&l->kb->mem, sizeof *r.v * (size_t)(config_setting_length(a) + 1));
    for (int i = 0; i < config_setting_length(a); i++) {
        const config_setting_t *e = config_setting_get_elem(a, (unsigned)i);
        if (split_words(l, line_of(e), config_setting_get_string(e), &r.v[r.n]) == 0)
            check_action(l, sc, &r.v[r.n++]);
    }
    return r;
}

/* Reports a duplicate id among the first n items (ids at stride). */
static void dup_check(L *l, int line, const char *what, const char *id, const char *const *seen,
                      int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(seen[i], id) == 0) {
            err(l, line, "duplicate %s id \"%s\"", what, id);
            return;
        }
}

/* ---- pass 4: scenarios -------------------------------------------------- */

/* The slot for an id: the existing one (node_defaults overridden), else a new one, or -1. */
static int slot(L *l, const kb_node *n, int found, int *count, int max, int line, const char *what)
{
    if (found >= 0)
        return found;
    if (*count == max) {
        err(l, line, "node %s: more than %d %s", n->name, max, what);
        return -1;
    }
    return (*count)++;
}

static void add_comp(L *l, kb_node *n, const config_setting_t *c, bool shared)
{
    const char *id = str(l, c, "id");
    int i = slot(l, n, kb_node_comp(n, id), &n->ncomps, KB_MAX_COMPS, line_of(c), "components");
    if (i < 0)
        return;
    kb_comp *k = &n->comps[i];
    k->id = id;
    k->name = str(l, c, "name");
    if (!k->name)
        k->name = id;
    k->requires = strings(l, c, "requires", &k->nrequires);
    k->installed = boolean(c, "installed", true);
    k->installable = boolean(c, "installable", true);
    k->shared = shared;
    k->line = line_of(c);
}

static void add_svc(L *l, kb_node *n, const config_setting_t *c, bool shared)
{
    const char *id = str(l, c, "id"), *v;
    int i = slot(l, n, kb_node_svc(n, id), &n->nsvcs, KB_MAX_SVCS, line_of(c), "services");
    if (i < 0)
        return;
    kb_svc *k = &n->svcs[i];
    k->id = id;
    k->name = str(l, c, "name");
    if (!k->name)
        k->name = id;
    k->component = str(l, c, "component");
    k->process = str(l, c, "process");
    k->startup = ST_AUTOMATIC;
    if (config_setting_lookup_string(c, "startup", &v))
        k->startup = strcmp(v, "Manual") == 0 ? ST_MANUAL
                     : strcmp(v, "Disabled") == 0 ? ST_DISABLED : ST_AUTOMATIC;
    k->running = !config_setting_lookup_string(c, "state", &v) || strcmp(v, "Running") == 0;
    k->shared = shared;
    k->line = line_of(c);
}

/* Adds or replaces pairs into a value table. */
static void add_values(L *l, kb_value *vals, int *n, int max, const config_setting_t *s,
                       const char *where)
{
    const config_setting_t *a = config_setting_get_member(s, "values");
    for (int i = 0; a && i < config_setting_length(a); i++) {
        const config_setting_t *p = config_setting_get_elem(a, (unsigned)i);
        const char *key = config_setting_get_string_elem(p, 0);
        if (!text_is_key(key)) {
            err(l, line_of(p), "value key \"%s\" is not valid ([A-Za-z0-9._/$-]+)", key);
            continue;
        }
        int k;
        for (k = 0; k < *n && strcmp(vals[k].key, key) != 0; k++)
            ;
        if (k == *n) {
            if (*n == max) {
                err(l, line_of(p), "%s: more than %d values", where, max);
                return;
            }
            (*n)++;
        }
        vals[k].key = arena_strdup(&l->kb->mem, key);
        vals[k].value = arena_strdup(&l->kb->mem, config_setting_get_string_elem(p, 1));
    }
}

/* Adds components, services and values; dups: report duplicates here. */
static void add_node_parts(L *l, kb_node *n, const config_setting_t *s, bool dups, bool shared)
{
    const config_setting_t *c = config_setting_get_member(s, "components");
    const char *seen[KB_MAX_COMPS + 32];
    int ns = 0;
    for (int i = 0; c && i < config_setting_length(c); i++) {
        const config_setting_t *e = config_setting_get_elem(c, (unsigned)i);
        const char *id = config_setting_get_string(config_setting_get_member(e, "id"));
        if (dups)
            dup_check(l, line_of(e), "component", id, seen, ns);
        if (ns < (int)(sizeof seen / sizeof seen[0]))
            seen[ns++] = id;
        add_comp(l, n, e, shared);
    }
    c = config_setting_get_member(s, "services");
    ns = 0;
    for (int i = 0; c && i < config_setting_length(c); i++) {
        const config_setting_t *e = config_setting_get_elem(c, (unsigned)i);
        const char *id = config_setting_get_string(config_setting_get_member(e, "id"));
        if (dups)
            dup_check(l, line_of(e), "service", id, seen, ns);
        if (ns < (int)(sizeof seen / sizeof seen[0]))
            seen[ns++] = id;
        add_svc(l, n, e, shared);
    }
    add_values(l, n->vals, &n->nvals, KB_MAX_NVALS, s, n->name);
}

/* Checks references inside a node; shared parts are reported once. */
static void check_node_refs(L *l, const kb_node *n, const kb_scenario *sc, bool first)
{
    for (int c = 0; c < n->ncomps; c++)
        for (int k = 0; k < n->comps[c].nrequires && (first || !n->comps[c].shared); k++)
            if (kb_node_comp(n, n->comps[c].requires[k]) < 0)
                err(l, n->comps[c].line, "component %s requires unknown component \"%s\"",
                    n->comps[c].id, n->comps[c].requires[k]);
    for (int s = 0; s < n->nsvcs; s++)
        if (n->svcs[s].component && kb_node_comp(n, n->svcs[s].component) < 0 &&
            (first || !n->svcs[s].shared))
            err(l, n->svcs[s].line, "service %s names unknown component \"%s\"", n->svcs[s].id,
                n->svcs[s].component);
    if (sc->cluster_service && kb_node_svc(n, sc->cluster_service) < 0)
        err(l, n->line, "node %s has no service \"%s\" (the scenario's cluster_service)",
            n->name, sc->cluster_service);
}

static void build_nodes(L *l, kb_scenario *sc, const config_setting_t *s)
{
    const config_setting_t *defs = config_setting_get_member(s, "node_defaults");
    const config_setting_t *nodes = config_setting_get_member(s, "nodes");
    const char *seen[KB_MAX_NODES];
    for (int i = 0; i < config_setting_length(nodes); i++) {
        const config_setting_t *e = config_setting_get_elem(nodes, (unsigned)i);
        kb_node *n = &sc->nodes[sc->nnodes];
        n->name = str(l, e, "name");
        n->line = line_of(e);
        dup_check(l, n->line, "node", n->name, seen, sc->nnodes);
        seen[sc->nnodes++] = n->name;
        if (defs)
            add_node_parts(l, n, defs, sc->nnodes == 1, true);
        add_node_parts(l, n, e, true, false);
        check_node_refs(l, n, sc, sc->nnodes == 1);
    }
}

/* Orders resources so dependencies come first; reports cycles. */
static void order_resources(L *l, kb_scenario *sc)
{
    int mark[KB_MAX_RES] = {0}, n = 0;
    for (int pass = 0; pass < sc->nres + 1 && n < sc->nres; pass++)
        for (int r = 0; r < sc->nres; r++) {
            bool ready = !mark[r];
            for (int k = 0; ready && k < sc->res[r].ndepends; k++)
                ready = sc->res[r].depidx[k] < 0 || mark[sc->res[r].depidx[k]];
            if (ready) {
                mark[r] = 1;
                sc->resorder[n++] = r;
            }
        }
    for (int r = 0; r < sc->nres && n < sc->nres; r++)
        if (!mark[r]) {
            err(l, sc->res[r].line, "resource %s: dependency cycle", sc->res[r].id);
            return;
        }
}

static void build_res(L *l, kb_scenario *sc, int g, const config_setting_t *e)
{
    const char *v;
    kb_res *r = &sc->res[sc->nres];
    r->id = str(l, e, "id");
    r->line = line_of(e);
    for (int i = 0; i < sc->nres; i++)
        if (strcmp(sc->res[i].id, r->id) == 0)
            err(l, r->line, "duplicate resource id \"%s\"", r->id);
    r->name = str(l, e, "name");
    if (!r->name)
        r->name = r->id;
    r->group = g;
    r->process = str(l, e, "process");
    r->restart = config_setting_lookup_string(e, "restart", &v) && strcmp(v, "DoNotRestart") == 0
                     ? RP_DONOTRESTART : RP_RESTART;
    r->affect = boolean(e, "affect", true);
    r->state = -1;
    if (config_setting_lookup_string(e, "state", &v))
        r->state = strcmp(v, "Online") == 0 ? RS_ONLINE : strcmp(v, "Offline") == 0 ? RS_OFFLINE
                   : strcmp(v, "Failed") == 0 ? RS_FAILED : RS_DELETED;
    r->depends = strings(l, e, "depends", &r->ndepends);
    sc->nres++;
}

static void build_groups(L *l, kb_scenario *sc, const config_setting_t *s)
{
    const config_setting_t *gs = config_setting_get_member(s, "groups");
    for (int i = 0; gs && i < config_setting_length(gs); i++) {
        const config_setting_t *e = config_setting_get_elem(gs, (unsigned)i);
        kb_group *g = &sc->groups[sc->ngroups];
        g->id = str(l, e, "id");
        g->line = line_of(e);
        if (kb_find_group(sc, g->id) >= 0)
            err(l, g->line, "duplicate group id \"%s\"", g->id);
        g->name = str(l, e, "name");
        if (!g->name)
            g->name = g->id;
        const char *owner = str(l, e, "owner");
        g->owner = kb_find_node(sc, owner);
        if (g->owner < 0) {
            err(l, member_line(e, "owner"), "group %s: unknown owner node \"%s\"", g->id, owner);
            g->owner = 0;
        }
        sc->ngroups++;
        const config_setting_t *rs = config_setting_get_member(e, "resources");
        for (int k = 0; rs && k < config_setting_length(rs); k++) {
            if (sc->nres == KB_MAX_RES) {
                err(l, g->line, "more than %d resources in the scenario", KB_MAX_RES);
                return;
            }
            build_res(l, sc, sc->ngroups - 1, config_setting_get_elem(rs, (unsigned)k));
        }
    }
}

static void resolve_res(L *l, kb_scenario *sc, const config_setting_t *s)
{
    for (int i = 0; i < sc->nres; i++) {
        kb_res *r = &sc->res[i];
        r->depidx = arena_alloc(&l->kb->mem, sizeof(int) * (size_t)(r->ndepends + 1));
        for (int k = 0; k < r->ndepends; k++) {
            int d = kb_find_res(sc, r->depends[k]);
            if (d < 0 || sc->res[d].group != r->group)
                err(l, r->line, "resource %s depends on \"%s\", which is not in its group",
                    r->id, r->depends[k]);
            r->depidx[k] = d < 0 || sc->res[d].group != r->group ? -1 : d;
        }
    }
    order_resources(l, sc);
}

static void build_bind(L *l, kb_scenario *sc, const config_setting_t *s)
{
    const config_setting_t *b = config_setting_get_member(s, "bind");
    for (int i = 0; i < KB_MAX_ROLES; i++)
        sc->bind[i] = -1;
    for (int i = 0; b && i < config_setting_length(b); i++) {
        const config_setting_t *p = config_setting_get_elem(b, (unsigned)i);
        const char *role = config_setting_get_string_elem(p, 0);
        const char *node = config_setting_get_string_elem(p, 1);
        int r = kb_find_role(l->kb, role), n = kb_find_node(sc, node);
        if (r < 0)
            err(l, line_of(p), "bind: unknown role \"%s\"", role);
        else if (n < 0)
            err(l, line_of(p), "bind: unknown node \"%s\"", node);
        else if (sc->bind[r] >= 0)
            err(l, line_of(p), "bind: role \"%s\" bound twice", role);
        else
            sc->bind[r] = n;
    }
}

static void build_scenario(L *l, kb_scenario *sc, const config_setting_t *s)
{
    sc->id = str(l, s, "id");
    sc->title = str(l, s, "title");
    sc->cluster_service = str(l, s, "cluster_service");
    sc->line = line_of(s);
    build_nodes(l, sc, s);
    build_bind(l, sc, s);
    add_values(l, sc->vals, &sc->nvals, KB_MAX_GVALS, s, "scenario");
    scope sp = {{sc}, 1, "node", false};
    build_groups(l, sc, s);
    resolve_res(l, sc, s);
    const config_setting_t *gs = config_setting_get_member(s, "groups");
    for (int g = 0, r = 0; gs && g < config_setting_length(gs); g++) {
        const config_setting_t *rs =
            config_setting_get_member(config_setting_get_elem(gs, (unsigned)g), "resources");
        for (int k = 0; rs && k < config_setting_length(rs) && r < sc->nres; k++, r++)
            sc->res[r].requires =
                parse_cond(l, config_setting_get_elem(rs, (unsigned)k), "requires", &sp);
    }
}

/* ---- pass 4: article, triggers, methods ---------------------------------- */

static void build_roles_tools(L *l, const config_setting_t *root)
{
    kb_article *kb = l->kb;
    const config_setting_t *rs = config_setting_get_member(root, "roles");
    for (int i = 0; rs && i < config_setting_length(rs); i++) {
        const config_setting_t *e = config_setting_get_elem(rs, (unsigned)i);
        kb->roles[i].id = str(l, e, "id");
        kb->roles[i].title = str(l, e, "title");
        if (kb_find_role(kb, kb->roles[i].id) >= 0)
            err(l, line_of(e), "duplicate role id \"%s\"", kb->roles[i].id);
        kb->nroles++;
    }
    const config_setting_t *ts = config_setting_get_member(root, "tools");
    int nt = ts ? config_setting_length(ts) : 0;
    kb->tools = arena_alloc(&kb->mem, sizeof *kb->tools * (size_t)(nt + 1));
    for (int i = 0; i < nt; i++) {
        const config_setting_t *e = config_setting_get_elem(ts, (unsigned)i);
        kb->tools[i].id = str(l, e, "id");
        kb->tools[i].name = str(l, e, "name");
        if (kb_find_tool(kb, kb->tools[i].id) >= 0)
            err(l, line_of(e), "duplicate tool id \"%s\"", kb->tools[i].id);
        kb->ntools++;
    }
}

static void all_scenarios(const kb_article *kb, scope *sp)
{
    sp->nscs = kb->nscenarios < 8 ? kb->nscenarios : 8;
    for (int i = 0; i < sp->nscs; i++)
        sp->scs[i] = &kb->scenarios[i];
}

/* A trigger's match names something of the kind its event carries. */
static void check_match(L *l, const config_setting_t *e, const kb_trigger *t, const event_def *ev)
{
    static const struct { const char *word; arg_type t; } kinds[] = {
        {"GROUP", AT_GROUP}, {"PROC", AT_PROC}, {"RES", AT_RES}, {"TOOL", AT_TOOL},
        {"SVC", AT_SVC}, {"COMP", AT_COMP}, {"NODE", AT_NODE}};
    scope sp = {{0}, 0, NULL, false};
    all_scenarios(l->kb, &sp);
    for (size_t i = 0; t->match && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].word, ev->arg) == 0)
            check_arg(l, member_line(e, "match"), &sp, "match", kinds[i].t, "{any}", t->match);
}

static void build_triggers(L *l, const config_setting_t *root)
{
    kb_article *kb = l->kb;
    const config_setting_t *ts = config_setting_get_member(root, "triggers");
    int n = ts ? config_setting_length(ts) : 0;
    kb->triggers = arena_alloc(&kb->mem, sizeof *kb->triggers * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(ts, (unsigned)i);
        kb_trigger *t = &kb->triggers[kb->ntriggers++];
        int pen = 0;
        t->on = str(l, e, "on");
        t->match = str(l, e, "match");
        t->say = str(l, e, "say");
        t->mistake = str(l, e, "mistake");
        t->line = line_of(e);
        if (config_setting_lookup_int(e, "penalty", &pen))
            t->penalty = pen;
        const event_def *ev = schema_event(t->on);
        if (!ev) {
            err(l, member_line(e, "on"), "trigger: unknown event \"%s\"", t->on);
            continue;
        }
        check_match(l, e, t, ev);
        char ctx[160];
        snprintf(ctx, sizeof ctx, "%s", ev->ctx);
        for (char *p = ctx; *p; p++)
            if (*p == '{' || *p == '}' || *p == '.')
                *p = ' ';
        if (strcmp(t->on, "run") == 0)
            strcat(ctx, " arg1 arg2 arg3 arg4 arg5 arg6 arg7 arg8 arg9");
        scope sp = {{0}, 0, ctx, strcmp(t->on, "run") == 0};
        all_scenarios(kb, &sp);
        t->when = parse_cond(l, e, "when", &sp);
        t->acts = parse_actions(l, e, "do", &sp);
        if (t->say)
            check_placeholders(l, member_line(e, "say"), &sp, "say", t->say);
        if (t->mistake)
            check_placeholders(l, member_line(e, "mistake"), &sp, "mistake", t->mistake);
    }
}

/* Resolves a `next` name to a step index. */
static int next_of(L *l, const kb_method *m, const config_setting_t *s)
{
    const char *n;
    if (!config_setting_lookup_string(s, "next", &n))
        return -1;
    if (strcmp(n, "end") == 0)
        return KB_END;
    int i = kb_find_step(m, n);
    if (i < 0)
        err(l, member_line(s, "next"), "next: unknown step \"%s\"", n);
    return i;
}

static void build_gate(L *l, kb_step *st, const config_setting_t *s, const scope *sp)
{
    const config_setting_t *g = config_setting_get_member(s, "gate");
    if (!g)
        return;
    st->gate = arena_alloc(&l->kb->mem, sizeof *st->gate);
    st->gate->when = parse_cond(l, g, "when", sp);
    st->gate->cond_text = str(l, g, "when");
    st->gate->warning = str(l, g, "warning");
    st->gate->attest = str(l, g, "attest");
    st->gate->critical = boolean(g, "critical", false);
    check_placeholders(l, member_line(g, "warning"), sp, "gate", st->gate->warning);
    check_placeholders(l, member_line(g, "attest"), sp, "attest", st->gate->attest);
}

static void build_step(L *l, kb_step *st, const config_setting_t *s, const scope *sp)
{
    const char *kind = NULL;
    config_setting_lookup_string(s, "kind", &kind);
    static const char *const kinds[] = {"action", "check", "choice", "wait", "note"};
    for (int k = 0; k < 5; k++)
        if (strcmp(kind, kinds[k]) == 0)
            st->kind = (kb_step_kind)k;
    st->id = str(l, s, "id");
    st->title = str(l, s, "title");
    st->text = str(l, s, "text");
    st->ref = str(l, s, "ref");
    st->warning = str(l, s, "warning");
    st->line = line_of(s);
    st->acts = parse_actions(l, s, "act", sp);
    st->expect = parse_cond(l, s, "expect", sp);
    st->expect_text = str(l, s, "expect");
    build_gate(l, st, s, sp);
    check_placeholders(l, member_line(s, "text"), sp, "text", st->text);
    check_placeholders(l, member_line(s, "title"), sp, "title", st->title);
    if (st->warning)
        check_placeholders(l, member_line(s, "warning"), sp, "warning", st->warning);
    const config_setting_t *os = config_setting_get_member(s, "options");
    if (st->kind == SK_ACTION && st->acts.n == 0)
        err(l, st->line, "step %s: an action step needs act", st->id);
    if ((st->kind == SK_CHECK || st->kind == SK_WAIT) && !config_setting_get_member(s, "expect"))
        err(l, st->line, "step %s: a %s step needs expect", st->id, kind);
    if ((st->kind == SK_CHOICE) != (os && config_setting_length(os) > 0))
        err(l, st->line, "step %s: %s", st->id,
            st->kind == SK_CHOICE ? "a choice step needs options" : "only choice steps have options");
    for (int i = 0; os && i < config_setting_length(os) && i < KB_MAX_OPTIONS; i++) {
        const config_setting_t *o = config_setting_get_elem(os, (unsigned)i);
        kb_option *op = &st->options[st->noptions++];
        op->id = str(l, o, "id");
        op->title = str(l, o, "title");
        op->when = parse_cond(l, o, "when", sp);
        for (int k = 0; k < i; k++)
            if (strcmp(st->options[k].id, op->id) == 0)
                err(l, line_of(o), "duplicate option id \"%s\"", op->id);
    }
}

/* Marks every step reachable from the first; reports the others. */
static void check_reachable(L *l, const kb_method *m)
{
    bool seen[KB_MAX_STEPS] = {false};
    int stack[KB_MAX_STEPS * (KB_MAX_OPTIONS + 1)], sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
        int i = stack[--sp];
        if (i < 0 || i >= m->nsteps || seen[i])
            continue;
        seen[i] = true;
        const kb_step *st = &m->steps[i];
        if (st->kind == SK_CHOICE) {
            for (int k = 0; k < st->noptions; k++)
                stack[sp++] = st->options[k].next == -1 ? i + 1 : st->options[k].next;
        } else {
            stack[sp++] = st->next == -1 ? i + 1 : st->next;
        }
    }
    for (int i = 0; i < m->nsteps; i++)
        if (!seen[i])
            err(l, m->steps[i].line, "step %s cannot be reached from the method's first step",
                m->steps[i].id);
}

static void build_method(L *l, kb_method *m, const config_setting_t *s)
{
    kb_article *kb = l->kb;
    int errs_before = l->errs;
    const char *scen;
    m->id = str(l, s, "id");
    m->title = str(l, s, "title");
    m->applies = str(l, s, "applies");
    m->goal_text = str(l, s, "goal_text");
    m->line = line_of(s);
    if (config_setting_lookup_string(s, "scenario", &scen)) {
        for (m->scenario = 0; m->scenario < kb->nscenarios; m->scenario++)
            if (strcmp(kb->scenarios[m->scenario].id, scen) == 0)
                break;
        if (m->scenario == kb->nscenarios) {
            err(l, member_line(s, "scenario"), "method %s: unknown scenario \"%s\"", m->id, scen);
            return;
        }
    }
    scope sp = {{&kb->scenarios[m->scenario]}, 1, NULL, false};
    m->goal = parse_cond(l, s, "goal", &sp);
    const config_setting_t *ss = config_setting_get_member(s, "steps");
    m->nsteps = config_setting_length(ss);
    m->steps = arena_alloc(&kb->mem, sizeof *m->steps * (size_t)m->nsteps);
    for (int i = 0; i < m->nsteps; i++) {
        build_step(l, &m->steps[i], config_setting_get_elem(ss, (unsigned)i), &sp);
        if (kb_find_step(m, m->steps[i].id) < i)
            err(l, m->steps[i].line, "duplicate step id \"%s\"", m->steps[i].id);
    }
    for (int i = 0; i < m->nsteps; i++) {
        const config_setting_t *e = config_setting_get_elem(ss, (unsigned)i);
        m->steps[i].next = next_of(l, m, e);
        const config_setting_t *os = config_setting_get_member(e, "options");
        for (int k = 0; k < m->steps[i].noptions; k++)
            m->steps[i].options[k].next = next_of(l, m, config_setting_get_elem(os, (unsigned)k));
    }
    if (l->errs == errs_before)
        check_reachable(l, m);
}

static void check_display(L *l, const config_setting_t *root, const char *name,
                          const char *kinds)
{
    const config_setting_t *a = config_setting_get_member(root, name);
    scope sp = {{0}, 0, NULL, false};
    all_scenarios(l->kb, &sp);
    for (int i = 0; a && i < config_setting_length(a); i++) {
        const config_setting_t *e = config_setting_get_elem(a, (unsigned)i);
        const char *v = config_setting_get_string(e), *c = strchr(v, ':');
        char kind[16] = "";
        if (c && c - v < (long)sizeof kind)
            snprintf(kind, sizeof kind, "%.*s", (int)(c - v), v);
        if (!c || !word_in_list(kinds, kind)) {
            err(l, line_of(e), "%s: \"%s\" must be one of %s followed by :NAME", name, v, kinds);
            continue;
        }
        static const struct { const char *k; arg_type t; } map[] = {
            {"svc", AT_SVC}, {"comp", AT_COMP}, {"proc", AT_PROC}, {"val", AT_KEY}, {"var", AT_KEY}};
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
            if (strcmp(map[k].k, kind) == 0)
                check_arg(l, line_of(e), &sp, name, map[k].t,
                          strcmp(kind, "var") == 0 ? NULL : "{any}", c + 1);
    }
}

static void build_article(L *l, const config_setting_t *root)
{
    kb_article *kb = l->kb;
    kb->id = str(l, root, "id");
    kb->title = str(l, root, "title");
    kb->symptoms = str(l, root, "symptoms");
    kb->cause = str(l, root, "cause");
    kb->source = str(l, root, "source");
    kb->applies_to = strings(l, root, "applies_to", &kb->napplies);
    kb->display = strings(l, root, "display", &kb->ndisplay);
    kb->display_global = strings(l, root, "display_global", &kb->ndisplay_global);
    build_roles_tools(l, root);
    const config_setting_t *ss = config_setting_get_member(root, "scenarios");
    kb->scenarios = arena_alloc(&kb->mem, sizeof *kb->scenarios * (size_t)config_setting_length(ss));
    for (int i = 0; i < config_setting_length(ss); i++) {
        const config_setting_t *e = config_setting_get_elem(ss, (unsigned)i);
        build_scenario(l, &kb->scenarios[i], e);
        for (int k = 0; k < i; k++)
            if (strcmp(kb->scenarios[k].id, kb->scenarios[i].id) == 0)
                err(l, line_of(e), "duplicate scenario id \"%s\"", kb->scenarios[i].id);
        kb->nscenarios++;
    }
    build_triggers(l, root);
    const config_setting_t *ms = config_setting_get_member(root, "methods");
    kb->methods = arena_alloc(&kb->mem, sizeof *kb->methods * (size_t)config_setting_length(ms));
    for (int i = 0; i < config_setting_length(ms); i++) {
        const config_setting_t *e = config_setting_get_elem(ms, (unsigned)i);
        build_method(l, &kb->methods[i], e);
        if (kb_find_method(kb, kb->methods[i].id) >= 0)
            err(l, line_of(e), "duplicate method id \"%s\"", kb->methods[i].id);
        kb->nmethods++;
    }
    check_display(l, root, "display", "svc comp proc val");
    check_display(l, root, "display_global", "var");
}

/* ---- entry point -------------------------------------------------------- */

kb_article *kb_load(const char *file, const char *text, size_t len, kb_diags *d)
{
    L l = {file, NULL, d, NULL, 0};
    check_raw(&l, text, len);
    if (!l.errs)
        check_numbers(&l, text, len);
    if (l.errs)
        return NULL;
    /* libconfig refuses a last comment line without its newline. */
    char *copy = xmalloc(len + 2);
    memcpy(copy, text, len);
    copy[len] = '\n';
    copy[len + 1] = '\0';
    l.text = copy;
    config_t cfg;
    config_init(&cfg);
    if (!config_read_string(&cfg, copy)) {
        /* An error at the end of the text is reported on its last line. */
        int lines = 0;
        for (size_t i = 0; i < len; i++)
            lines += text[i] == '\n';
        lines += len > 0 && text[len - 1] != '\n';
        int line = config_error_line(&cfg);
        err(&l, line > lines && lines > 0 ? lines : line, "syntax error: %s",
            config_error_text(&cfg));
    } else {
        const config_setting_t *root = config_root_setting(&cfg);
        check_object(&l, root, schema_object("article"));
        if (!l.errs) {
            l.kb = xcalloc(1, sizeof *l.kb);
            l.kb->file = arena_strdup(&l.kb->mem, file);
            build_article(&l, root);
            struct sha256_ctx h;
            sha256_init(&h);
            sha256_update(&h, len, (const uint8_t *)text);
            sha256_digest(&h, sizeof l.kb->sha256, l.kb->sha256);
        }
    }
    config_destroy(&cfg);
    free(copy);
    if (l.errs && l.kb) {
        kb_free(l.kb);
        free(l.kb);
        l.kb = NULL;
    }
    return l.kb;
}
