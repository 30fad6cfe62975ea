/*
 * cond.c - parser and evaluator of the condition language; see cond.h.
 * The path table here is also the source of the schema document.
 */
#include "config.h"

#include "cond.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

const path_def cond_paths[PK_COUNT] = {
    [PK_NODE] = {"node", 1, {AT_NODE}, "Up Down Joining Paused",
                 "the node's membership state (Down carries the red X)"},
    [PK_POWER] = {"power", 1, {AT_NODE}, "On Restarting", "the node's power"},
    [PK_SVC] = {"svc", 2, {AT_NODE, AT_SVC}, "Running Stopped Absent",
                "a service; Absent when its component is not installed"},
    [PK_STARTUP] = {"startup", 2, {AT_NODE, AT_SVC}, "Automatic Manual Disabled",
                    "a service's startup type"},
    [PK_COMP] = {"comp", 2, {AT_NODE, AT_COMP}, "Installed Absent",
                 "an installed component"},
    [PK_PROC] = {"proc", 2, {AT_NODE, AT_PROC}, "Running Stopped",
                 "a process (behind a running service or an online resource)"},
    [PK_GROUP] = {"group", 1, {AT_GROUP}, "Online Offline Failed PartialOnline Pending",
                  "a resource group's state"},
    [PK_OWNER] = {"owner", 1, {AT_GROUP}, NULL,
                  "the node that owns a group (compare with {role} or a node name)"},
    [PK_RES] = {"res", 1, {AT_RES},
                "Online Offline Failed OnlinePending OfflinePending Deleted",
                "a resource's state"},
    [PK_RESTART] = {"restart", 1, {AT_RES}, "Restart DoNotRestart",
                    "a resource's restart policy"},
    [PK_AFFECT] = {"affect", 1, {AT_RES}, "yes no",
                   "a resource's Affect-the-group flag"},
    [PK_VAL] = {"val", 2, {AT_NODE, AT_KEY}, NULL,
                "a per-node value declared in the scenario (file version, registry value, ...)"},
    [PK_VAR] = {"var", 1, {AT_KEY}, NULL, "a global value declared in the scenario"},
    [PK_EXIT] = {"exit", 2, {AT_NODE, AT_TOOL}, NULL,
                 "the last exit code of a tool run on a node, or none"},
};

const char *arg_type_name(arg_type t)
{
    static const char *const names[] = {
        "NODE", "SVC", "COMP", "PROC", "GROUP", "RES", "KEY", "TOOL",
        "VALUE", "STARTUP", "POLICY", "yes|no", "N", "WORD"};
    return names[t];
}

bool word_in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0)
            return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

typedef struct parser {
    arena *a;
    const char *src, *p;
    char *err;
    size_t errsz;
    int depth;
} parser;

static void skip_ws(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
        ps->p++;
}

static bool fail(parser *ps, const char *msg)
{
    if (!*ps->err)
        snprintf(ps->err, ps->errsz, "condition \"%s\": %s at column %d",
                 ps->src, msg, (int)(ps->p - ps->src) + 1);
    return false;
}

static bool is_word_char(char c)
{
    switch (c) {
    case '\0': case ' ': case '\t': case '\n': case '(': case ')': case '\'':
    case '=': case '!': case '<': case '>':
        return false;
    default:
        return true;
    }
}

/* Reads a word or quoted text; returns its arena copy or NULL. */
static const char *read_word(parser *ps, bool *quoted)
{
    const char *start = ps->p;
    *quoted = false;
    if (*ps->p == '\'') {
        const char *e = strchr(ps->p + 1, '\'');
        if (!e)
            return fail(ps, "unterminated quote"), NULL;
        *quoted = true;
        ps->p = e + 1;
        return arena_strndup(ps->a, start + 1, (size_t)(e - start - 1));
    }
    while (is_word_char(*ps->p))
        ps->p++;
    if (ps->p == start)
        return fail(ps, "expected a value"), NULL;
    return arena_strndup(ps->a, start, (size_t)(ps->p - start));
}

/* Splits KIND:ARG[:ARG] into a path term when KIND is a path kind. */
static bool make_term(parser *ps, const char *w, bool quoted, cterm *t)
{
    memset(t, 0, sizeof *t);
    t->text = w;
    const char *colon = quoted ? NULL : strchr(w, ':');
    if (!colon)
        return true;
    for (int k = 0; k < PK_COUNT; k++) {
        size_t n = strlen(cond_paths[k].name);
        if ((size_t)(colon - w) != n || strncmp(w, cond_paths[k].name, n) != 0)
            continue;
        t->path = true;
        t->kind = (path_kind)k;
        const char *p = colon + 1;
        while (t->nargs < 2) {
            const char *e = strchr(p, ':');
            size_t len = e && t->nargs + 1 < cond_paths[k].nargs ? (size_t)(e - p) : strlen(p);
            if (len == 0)
                return fail(ps, "empty path argument");
            t->args[t->nargs++] = arena_strndup(ps->a, p, len);
            p += len;
            if (*p != ':')
                break;
            p++;
        }
        if (t->nargs != cond_paths[k].nargs) {
            char msg[96];
            snprintf(msg, sizeof msg, "path %s: needs %d argument(s)",
                     cond_paths[k].name, cond_paths[k].nargs);
            return fail(ps, msg);
        }
        return true;
    }
    /* lower-case word before a colon: a misspelt path kind, not text */
    bool kindlike = colon - w >= 2;
    for (const char *p = w; p < colon; p++)
        kindlike &= *p >= 'a' && *p <= 'z';
    if (kindlike) {
        char msg[96];
        snprintf(msg, sizeof msg, "unknown path kind \"%.*s\" (quote text with ')",
                 (int)(colon - w), w);
        return fail(ps, msg);
    }
    return true;
}

static cond *parse_or(parser *ps);

static cond *new_node(parser *ps, cond_op op)
{
    cond *c = arena_alloc(ps->a, sizeof *c);
    c->op = op;
    return c;
}

static bool read_op(parser *ps, cmp_op *op)
{
    static const struct { const char *s; cmp_op op; } ops[] = {
        {"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE},
        {"<", OP_LT}, {">", OP_GT}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].s);
        if (strncmp(ps->p, ops[i].s, n) == 0) {
            ps->p += n;
            *op = ops[i].op;
            return true;
        }
    }
    return false;
}

static bool keyword(parser *ps, const char *kw)
{
    size_t n = strlen(kw);
    if (strncmp(ps->p, kw, n) == 0 && !is_word_char(ps->p[n])) {
        ps->p += n;
        return true;
    }
    return false;
}

static cond *parse_unary(parser *ps)
{
    skip_ws(ps);
    if (++ps->depth > 64)
        return fail(ps, "nested too deeply"), NULL;
    cond *c = NULL;
    if (keyword(ps, "not")) {
        c = new_node(ps, C_NOT);
        if (!(c->a = parse_unary(ps)))
            return NULL;
    } else if (*ps->p == '(') {
        ps->p++;
        if (!(c = parse_or(ps)))
            return NULL;
        skip_ws(ps);
        if (*ps->p != ')')
            return fail(ps, "expected )"), NULL;
        ps->p++;
    } else if (keyword(ps, "true")) {
        c = new_node(ps, C_TRUE);
    } else if (keyword(ps, "false")) {
        c = new_node(ps, C_FALSE);
    } else {
        bool q1, q2;
        const char *l = read_word(ps, &q1);
        if (!l)
            return NULL;
        c = new_node(ps, C_CMP);
        skip_ws(ps);
        if (!read_op(ps, &c->cmp))
            return fail(ps, "expected a comparison (== != < <= > >=)"), NULL;
        skip_ws(ps);
        const char *r = read_word(ps, &q2);
        if (!r || !make_term(ps, l, q1, &c->l) || !make_term(ps, r, q2, &c->r))
            return NULL;
    }
    ps->depth--;
    return c;
}

static cond *parse_and(parser *ps)
{
    cond *l = parse_unary(ps);
    while (l) {
        skip_ws(ps);
        if (!keyword(ps, "and"))
            break;
        cond *c = new_node(ps, C_AND);
        c->a = l;
        if (!(c->b = parse_unary(ps)))
            return NULL;
        l = c;
    }
    return l;
}

static cond *parse_or(parser *ps)
{
    cond *l = parse_and(ps);
    while (l) {
        skip_ws(ps);
        if (!keyword(ps, "or"))
            break;
        cond *c = new_node(ps, C_OR);
        c->a = l;
        if (!(c->b = parse_and(ps)))
            return NULL;
        l = c;
    }
    return l;
}

cond *cond_parse(arena *a, const char *text, char *err, size_t errsz)
{
    parser ps = {a, text, text, err, errsz, 0};
    err[0] = '\0';
    cond *c = parse_or(&ps);
    if (!c)
        return NULL;
    skip_ws(&ps);
    if (*ps.p) {
        fail(&ps, "unexpected text (use and / or / not)");
        return NULL;
    }
    c->src = arena_strdup(a, text);
    return c;
}

static bool compare(const char *l, cmp_op op, const char *r)
{
    int d = text_vercmp(l, r);
    switch (op) {
    case OP_EQ: return d == 0;
    case OP_NE: return d != 0;
    case OP_LT: return d < 0;
    case OP_LE: return d <= 0;
    case OP_GT: return d > 0;
    case OP_GE: return d >= 0;
    }
    return false;
}

bool cond_eval(const cond *c, cond_resolver r, void *ctx, char *err,
               size_t errsz)
{
    char lb[256], rb[256];
    switch (c->op) {
    case C_TRUE: return true;
    case C_FALSE: return false;
    case C_NOT: return !cond_eval(c->a, r, ctx, err, errsz);
    case C_AND:
        return cond_eval(c->a, r, ctx, err, errsz) && cond_eval(c->b, r, ctx, err, errsz);
    case C_OR:
        return cond_eval(c->a, r, ctx, err, errsz) || cond_eval(c->b, r, ctx, err, errsz);
    case C_CMP: {
        const char *l = r(ctx, &c->l, lb, sizeof lb, err, errsz);
        const char *v = l ? r(ctx, &c->r, rb, sizeof rb, err, errsz) : NULL;
        return l && v && compare(l, c->cmp, v);
    }
    }
    return false;
}

void cond_walk(const cond *c, cond_cmp_fn fn, void *ctx)
{
    if (!c)
        return;
    if (c->op == C_CMP)
        fn(ctx, c);
    cond_walk(c->a, fn, ctx);
    cond_walk(c->b, fn, ctx);
}
