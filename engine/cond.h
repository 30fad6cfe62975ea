/*
 * cond.h - the condition language of kbdata (gates, expectations, goals,
 * option guards, trigger guards, resource requirements):
 *
 *   expr := expr or expr | expr and expr | not expr | ( expr ) | cmp | true | false
 *   cmp  := term OP term        OP: == != < <= > >=
 *   term := PATH | WORD | 'quoted text'     (words may hold {placeholders})
 *
 * PATH is KIND:ARG[:ARG], KIND from the path table below. Parsing happens
 * once at load; evaluation asks a resolver (the world) for each term.
 */
#ifndef KB_COND_H
#define KB_COND_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef enum {
    PK_NODE, PK_POWER, PK_SVC, PK_STARTUP, PK_COMP, PK_PROC, PK_GROUP,
    PK_OWNER, PK_RES, PK_RESTART, PK_AFFECT, PK_VAL, PK_VAR, PK_EXIT,
    PK_COUNT
} path_kind;

/* Argument types shared by paths and actions. */
typedef enum {
    AT_NODE, AT_SVC, AT_COMP, AT_PROC, AT_GROUP, AT_RES, AT_KEY, AT_TOOL,
    AT_VALUE, AT_STARTUP, AT_POLICY, AT_YESNO, AT_INT, AT_WORD
} arg_type;

typedef struct path_def {
    const char *name;
    int nargs;
    arg_type args[2];
    const char *values;        /* space-separated enumeration, or NULL */
    const char *doc;
} path_def;

extern const path_def cond_paths[PK_COUNT];

const char *arg_type_name(arg_type t);

typedef struct cterm {
    bool path;
    path_kind kind;
    int nargs;
    const char *args[2];
    const char *text;          /* literal text (may hold placeholders) */
} cterm;

typedef enum { C_TRUE, C_FALSE, C_AND, C_OR, C_NOT, C_CMP } cond_op;
typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } cmp_op;

typedef struct cond {
    cond_op op;
    cmp_op cmp;
    struct cond *a, *b;
    cterm l, r;
    const char *src;
} cond;

/* Parses text; on error returns NULL and writes a message to err. */
cond *cond_parse(arena *a, const char *text, char *err, size_t errsz);

/* Resolves a term to its current value; NULL (with err set) on failure. */
typedef const char *(*cond_resolver)(void *ctx, const cterm *t, char *buf,
                                     size_t bufsz, char *err, size_t errsz);

/* Evaluates; on a resolution failure returns false and fills err. */
bool cond_eval(const cond *c, cond_resolver r, void *ctx, char *err,
               size_t errsz);

/* Calls fn for every comparison node (for validation). */
typedef void (*cond_cmp_fn)(void *ctx, const cond *cmp);
void cond_walk(const cond *c, cond_cmp_fn fn, void *ctx);

/* True when the space-separated list holds word. */
bool word_in_list(const char *list, const char *word);

#endif
