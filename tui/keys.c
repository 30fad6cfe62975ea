/*
 * keys.c - the key table; see keys.h.
 */
#include "config.h"

#include "keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define ALL_WIZ (CTX_GUIDED | CTX_LAB)
#define LISTS (CTX_PICKER | CTX_ARTICLE | CTX_SETUP | CTX_MENU | CTX_CHOICE | CTX_REVIEW | ALL_WIZ | CTX_DIAGRAM)

const key_def key_table[] = {
    {KEY_UP, LISTS, A_UP, "Up", NULL, "move up"},
    {KEY_DOWN, LISTS, A_DOWN, "Down", NULL, "move down"},
    {KEY_LEFT, CTX_DIAGRAM, A_LEFT, "Left", NULL, "previous node"},
    {KEY_RIGHT, CTX_DIAGRAM, A_RIGHT, "Right", NULL, "next node"},
    {KEY_PPAGE, CTX_ARTICLE | ALL_WIZ, A_PAGEUP, "PgUp", NULL, "scroll the text up"},
    {KEY_NPAGE, CTX_ARTICLE | ALL_WIZ, A_PAGEDOWN, "PgDn", NULL, "scroll the text down"},
    {'\r', CTX_PICKER | CTX_MENU | CTX_RESULT | CTX_DIAGRAM | CTX_CHOICE, A_OPEN, "Enter", "open",
     "open the selected article, menu entry or object"},
    {'\r', CTX_GUIDED, A_DONE, "Enter", "done", "guided: mark the current step done"},
    {'\r', CTX_SETUP, A_NEXTFIELD, "Enter", "next", "next field (start on the last)"},
    {'\t', CTX_SETUP, A_NEXTFIELD, "Tab", "next field", "next field"},
    {KEY_F(10), CTX_SETUP, A_START, "F10", "start", "start the session"},
    {'g', CTX_ARTICLE, A_GUIDED, "g", "guided", "start a guided session with the selected method"},
    {'l', CTX_ARTICLE, A_LAB, "l", "lab", "start a lab session with the selected method"},
    {'p', CTX_ARTICLE, A_CHECKLIST, "p", "checklist", "write the printable checklist of the method"},
    {'d', CTX_LAB, A_DO, "d", "do", "lab: perform the step's own action / acknowledge"},
    {'c', CTX_CHOICE, A_CHOOSE, "c", "choose", "choose the selected option"},
    {'s', ALL_WIZ, A_SKIP, "s", "skip", "skip the step (a reason is required)"},
    {'o', CTX_GUIDED, A_OVERRIDE, "o", "override", "override the gate (a reason is required)"},
    {'n', ALL_WIZ, A_NOTE, "n", "note", "add a note to the current step"},
    {'r', ALL_WIZ, A_REVIEW, "r", "review", "review earlier steps (read-only)"},
    {'\t', CTX_LAB | CTX_DIAGRAM, A_FOCUS, "Tab", "diagram", "lab: move focus into or out of the diagram"},
    {':', CTX_LAB | CTX_DIAGRAM, A_PROMPT, ":", "action", "lab: type an action (Tab completes)"},
    {'h', CTX_LAB | CTX_DIAGRAM, A_HINT, "h", "hint", "lab: what the article says for this step"},
    {'a', CTX_DIAGRAM, A_COMPONENTS, "a", "add/remove", "lab: Add/Remove components of the node"},
    {'t', CTX_DIAGRAM, A_TOOLS, "t", "tools", "lab: run a tool on the node"},
    {'S', ALL_WIZ | CTX_RESULT, A_SIGNOFF, "S", "sign off", "sign off the record with your name"},
    {'C', CTX_RESULT, A_COUNTERSIGN, "C", "countersign", "a second person countersigns"},
    {'e', ALL_WIZ | CTX_RESULT, A_EXPORT, "e", "export", "export the record (md, html, json, csv)"},
    {' ', CTX_MENU, A_TOGGLE, "Space", "toggle", "toggle a check box"},
    {27, CTX_ARTICLE | CTX_SETUP | CTX_MENU | CTX_DIAGRAM | CTX_REVIEW | CTX_CHOICE, A_BACK, "Esc",
     "back", "go back / close"},
    {'?', ~0u, A_HELP, "?", "help", "this help"},
    {'q', CTX_PICKER | CTX_ARTICLE | ALL_WIZ | CTX_RESULT | CTX_DIAGRAM, A_QUIT, "q", "quit",
     "quit (asks first while a session is open)"},
    {0, 0, A_NONE, NULL, NULL, NULL}};

key_action key_lookup(int key, unsigned ctx)
{
    if (key == '\n' || key == KEY_ENTER)
        key = '\r';
    for (const key_def *k = key_table; k->name; k++)
        if (k->key == key && (k->ctx & ctx))
            return k->action;
    return A_NONE;
}

void key_footer(unsigned ctx, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    for (const key_def *k = key_table; k->name && o + 1 < outsz; k++) {
        if (!(k->ctx & ctx) || !k->label)
            continue;
        bool dup = false;
        for (const key_def *p = key_table; p < k; p++)
            dup |= (p->ctx & ctx) && p->label && strcmp(p->label, k->label) == 0;
        if (!dup)
            o += (size_t)snprintf(out + o, outsz - o, "%s%s %s", o ? "  " : "", k->name, k->label);
    }
}
