/*
 * keys.h - the key table: every key the wizard knows, the screens where it
 * works, its footer label and its help text. Dispatch, the footer and the
 * help screen all read this one table.
 */
#ifndef KB_KEYS_H
#define KB_KEYS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    CTX_PICKER = 1 << 0, CTX_ARTICLE = 1 << 1, CTX_SETUP = 1 << 2, CTX_GUIDED = 1 << 3,
    CTX_LAB = 1 << 4, CTX_DIAGRAM = 1 << 5, CTX_MENU = 1 << 6, CTX_RESULT = 1 << 7,
    CTX_CHOICE = 1 << 8, CTX_REVIEW = 1 << 9
} key_ctx;

typedef enum {
    A_NONE, A_UP, A_DOWN, A_OPEN, A_BACK, A_QUIT, A_HELP, A_GUIDED, A_LAB, A_CHECKLIST,
    A_NEXTFIELD, A_START, A_DONE, A_DO, A_SKIP, A_OVERRIDE, A_NOTE, A_REVIEW, A_FOCUS,
    A_PROMPT, A_HINT, A_COMPONENTS, A_TOOLS, A_CHOOSE, A_TOGGLE, A_LEFT, A_RIGHT, A_PAGEUP,
    A_PAGEDOWN, A_SIGNOFF, A_COUNTERSIGN, A_EXPORT
} key_action;

typedef struct key_def {
    int key;                   /* curses key code or character */
    unsigned ctx;              /* screens where it works */
    key_action action;
    const char *name, *label, *help;
} key_def;

extern const key_def key_table[];

/* The action for a key in a context, or A_NONE. */
key_action key_lookup(int key, unsigned ctx);

/* Writes "KEY label  KEY label ..." for a context into out. */
void key_footer(unsigned ctx, char *out, size_t outsz);

#endif
