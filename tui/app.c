/*
 * app.c - the curses wizard's main loop and its simple screens: the article
 * picker (type to filter), the article page (symptoms, cause, methods, the
 * choice of mode), the session setup form, and the modal helpers (menus,
 * typed confirmations, the too-small screen, help). The wizard itself is in
 * wizard.c.
 */
#include "config.h"

#include "app.h"

#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "text.h"
#include "widgets.h"

#define MIN_COLS 80
#define MIN_LINES 24

static bool too_small(void)
{
    return COLS < MIN_COLS || LINES < MIN_LINES;
}

static void draw_too_small(void)
{
    char buf[128];
    erase();
    snprintf(buf, sizeof buf, "Terminal too small: %dx%d, kbwizard needs %dx%d.", COLS, LINES,
             MIN_COLS, MIN_LINES);
    int y = LINES / 2 - 1;
    w_wrap(y < 0 ? 0 : y, 1, COLS - 2, LINES, buf, term_attr(C_WARN));
    if (LINES > 3)
        w_wrap(y + 2, 1, COLS - 2, 2, "Enlarge the window, or press q to quit.", 0);
}

static unsigned ctx_of(const app *a)
{
    static const unsigned ctx[] = {CTX_PICKER, CTX_ARTICLE, CTX_SETUP, 0};
    return a->scr == SCR_WIZARD ? wizard_ctx(a) : ctx[a->scr];
}

static void draw_footer(const app *a)
{
    char keys[1024];
    key_footer(ctx_of(a), keys, sizeof keys);
    move(LINES - 1, 0);
    clrtoeol();
    w_put(LINES - 1, 0, COLS, keys, term_attr(C_DIM));
    if (a->status[0]) {
        move(LINES - 2, 0);
        clrtoeol();
        w_put(LINES - 2, 0, COLS, a->status, term_attr(C_WARN));
    }
}

void app_draw(app *a)
{
    static void (*const draw[])(app *) = {picker_draw, article_draw, setup_draw, wizard_draw};
    if (too_small()) {
        draw_too_small();
        return;
    }
    erase();
    draw[a->scr](a);
    draw_footer(a);
}

/* The help screen: every key of the table, those working here first. */
static void help(app *a)
{
    unsigned ctx = ctx_of(a);
    erase();
    w_put(0, 0, COLS, "kbwizard help: keys that work here (press any key to return)",
          term_attr(C_TITLE));
    int row = 2;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            w_put(row++, 0, COLS, "Elsewhere:", term_attr(C_TITLE));
        for (const key_def *k = key_table; k->name && row < LINES - 2; k++) {
            if (((k->ctx & ctx) != 0) == (pass == 1))
                continue;
            w_put(row, 2, 8, k->name, (int)A_BOLD);
            w_put(row++, 10, COLS - 11, k->help, 0);
        }
        row++;
    }
    w_put(LINES - 1, 0, COLS, "Gates: type the name they name to attest; skip and override "
          "need a written reason.", term_attr(C_DIM));
    refresh();
    while (getch() == ERR && !term_stop_signal())
        ;
}

/* ---- picker ------------------------------------------------------------ */

int app_filtered(const app *a, const kb_article **out, int max)
{
    int n = 0;
    for (int i = 0; i < a->lib->n && n < max; i++) {
        const kb_article *kb = a->lib->v[i];
        char hay[1024];
        snprintf(hay, sizeof hay, "%s %s %s", kb->id, kb->title,
                 kb->napplies ? kb->applies_to[0] : "");
        if (!a->filter[0] || strcasestr(hay, a->filter))
            out[n++] = kb;
    }
    return n;
}

/* Unfinished sessions come first in the picker, then the articles. */
static int draw_sessions(app *a, int row)
{
    char buf[1024];
    if (!a->nrows)
        return row;
    w_put(row++, 2, COLS - 4, "Unfinished sessions (Enter resumes)", (int)A_BOLD);
    for (int i = 0; i < a->nrows && row < LINES - 6; i++, row++) {
        session_row *r = &a->rows[i];
        snprintf(buf, sizeof buf, "%s %-7s %-6s %-12s %-7s %s  %s", G.current, r->article, r->mode,
                 r->operator_name, r->progress, r->last, r->id);
        if (i == a->pick)
            mvhline(row, 1, ' ', COLS - 2);
        w_put(row, 2, COLS - 4, buf, i == a->pick ? term_attr(C_SEL) : term_attr(C_WARN));
    }
    return row + 1;
}

void picker_draw(app *a)
{
    const kb_article *v[64];
    int n = app_filtered(a, v, 64);
    w_put(0, 0, COLS, "kbwizard: pick an article (type to filter)", term_attr(C_TITLE));
    char buf[256];
    snprintf(buf, sizeof buf, "Filter: %s", a->filter);
    w_put(2, 2, COLS - 4, buf, a->filter[0] ? (int)A_BOLD : term_attr(C_DIM));
    if (a->pick >= n + a->nrows)
        a->pick = n + a->nrows ? n + a->nrows - 1 : 0;
    int first = draw_sessions(a, 4);
    for (int i = 0, row = first; i < n && row < LINES - 3; i++, row += 2) {
        int sel = i + a->nrows == a->pick, attr = sel ? term_attr(C_SEL) : 0;
        if (sel) {
            mvhline(row, 1, ' ', COLS - 2);
            mvhline(row + 1, 1, ' ', COLS - 2);
        }
        snprintf(buf, sizeof buf, "%-7s %s", v[i]->id, v[i]->title);
        w_put(row, 2, COLS - 4, buf, attr | (int)A_BOLD);
        snprintf(buf, sizeof buf, "        applies to: %s%s", v[i]->napplies ? v[i]->applies_to[0] : "",
                 v[i]->napplies > 1 ? ", ..." : "");
        w_put(row + 1, 2, COLS - 4, buf, sel ? attr : term_attr(C_DIM));
    }
    if (!n)
        w_put(4, 2, COLS - 4, "No article matches the filter.", term_attr(C_WARN));
}

void picker_key(app *a, int ch, key_action act)
{
    const kb_article *v[64];
    int n = app_filtered(a, v, 64);
    size_t fl = strlen(a->filter);
    if (act == A_UP && a->pick > 0)
        a->pick--;
    else if (act == A_DOWN && a->pick + 1 < n + a->nrows)
        a->pick++;
    else if (act == A_OPEN && a->pick < a->nrows) {
        app_resume(a, a->rows[a->pick].path);
    } else if (act == A_OPEN && n) {
        a->kb = v[a->pick - a->nrows];
        a->method = 0;
        a->scroll = 0;
        a->scr = SCR_ARTICLE;
    } else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && fl)
        a->filter[fl - 1] = '\0';
    else if (act == A_NONE && ch < 128 && isprint(ch) && fl + 1 < sizeof a->filter) {
        a->filter[fl] = (char)ch;
        a->filter[fl + 1] = '\0';
        a->pick = a->nrows;        /* typing picks among the articles */
    }
}

/* ---- article page -------------------------------------------------------- */

void article_draw(app *a)
{
    const kb_article *kb = a->kb;
    char buf[1024];
    snprintf(buf, sizeof buf, "KB %s: %s", kb->id, kb->title);
    w_put(0, 0, COLS, buf, term_attr(C_TITLE));
    int row = 2 - a->scroll, w = COLS - 4;
    for (int i = 0; i < kb->napplies; i++) {
        snprintf(buf, sizeof buf, "%s %s", i ? "           " : "Applies to:", kb->applies_to[i]);
        if (row >= 1)
            w_put(row, 2, w, buf, 0);
        row++;
    }
    row++;
    if (row >= 1)
        w_put(row, 2, w, "Symptoms", (int)A_BOLD);
    row++;
    row += w_wrap(row, 2, w, row >= 1 ? 6 : 0, kb->symptoms, 0) + 1;
    if (row >= 1)
        w_put(row, 2, w, "Cause", (int)A_BOLD);
    row++;
    row += w_wrap(row, 2, w, row >= 1 ? 5 : 0, kb->cause, 0) + 1;
    w_put(row++, 2, w, "Methods (choose one, then g guided, l lab, p printable checklist)", (int)A_BOLD);
    for (int m = 0; m < kb->nmethods && row < LINES - 3; m++) {
        int attr = m == a->method ? term_attr(C_SEL) : 0;
        if (m == a->method)
            mvhline(row, 1, ' ', COLS - 2);
        snprintf(buf, sizeof buf, "%s %s", m == a->method ? G.current : " ", kb->methods[m].title);
        w_put(row++, 2, w, buf, attr | (int)A_BOLD);
        row += w_wrap(row, 6, w - 4, LINES - 3 - row, kb->methods[m].applies, term_attr(C_DIM));
    }
}

static void write_checklist(app *a)
{
    char path[512];
    const kb_method *m = &a->kb->methods[a->method];
    for (int i = 1; i < 100; i++) {
        snprintf(path, sizeof path, i == 1 ? "kbwizard-checklist-%s-%s.md" : "kbwizard-checklist-%s-%s-%d.md",
                 a->kb->id, m->id, i);
        if (access(path, F_OK) != 0)
            break;
    }
    FILE *f = fopen(path, "wx");
    if (!f || checklist_write(f, a->kb, m, "md") != 0 || fclose(f) != 0) {
        snprintf(a->status, sizeof a->status, "Could not write %.300s: %.150s", path, strerror(errno));
        return;
    }
    char cwd[400];
    snprintf(a->status, sizeof a->status, "Printable checklist written to %.200s/%.200s",
             getcwd(cwd, sizeof cwd) ? cwd : ".", path);
}

static void to_setup(app *a, kb_mode mode)
{
    const kb_scenario *sc = &a->kb->scenarios[a->kb->methods[a->method].scenario];
    a->mode = mode;
    a->field = 0;
    for (int r = 0; r < a->kb->nroles; r++)
        if (sc->bind[r] >= 0)
            text_copy(a->bind[r], sizeof a->bind[r], sc->nodes[sc->bind[r]].name);
    a->scr = SCR_SETUP;
}

void article_key(app *a, key_action act)
{
    if (act == A_UP && a->method > 0)
        a->method--;
    else if (act == A_DOWN && a->method + 1 < a->kb->nmethods)
        a->method++;
    else if (act == A_PAGEDOWN)
        a->scroll += 5;
    else if (act == A_PAGEUP)
        a->scroll = a->scroll > 5 ? a->scroll - 5 : 0;
    else if (act == A_BACK)
        a->scr = SCR_PICKER;
    else if (act == A_GUIDED || act == A_LAB)
        to_setup(a, act == A_LAB ? MODE_LAB : MODE_GUIDED);
    else if (act == A_CHECKLIST)
        write_checklist(a);
}

/* ---- setup form ------------------------------------------------------------ */

/* Fields: 0 operator, then one per role bound in the method's scenario. */
static int setup_fields(const app *a, int *roles)
{
    const kb_scenario *sc = &a->kb->scenarios[a->kb->methods[a->method].scenario];
    int n = 0;
    for (int r = 0; r < a->kb->nroles; r++)
        if (sc->bind[r] >= 0)
            roles[n++] = r;
    return n + 1;
}

void setup_draw(app *a)
{
    const kb_method *m = &a->kb->methods[a->method];
    int roles[KB_MAX_ROLES], n = setup_fields(a, roles), row = 2;
    char buf[512];
    snprintf(buf, sizeof buf, "KB %s: %s session", a->kb->id, a->mode == MODE_LAB ? "lab" : "guided");
    w_put(0, 0, COLS, buf, term_attr(C_TITLE));
    snprintf(buf, sizeof buf, "Method: %s", m->title);
    w_put(row++, 2, COLS - 4, buf, (int)A_BOLD);
    row += w_wrap(row, 4, COLS - 6, 4, m->applies, term_attr(C_DIM)) + 1;
    for (int f = 0; f < n; f++, row += 2) {
        const char *val = f == 0 ? a->operator_name : a->bind[roles[f - 1]];
        if (f == 0)
            snprintf(buf, sizeof buf, "Operator name");
        else
            snprintf(buf, sizeof buf, "%s node: %s", a->kb->roles[roles[f - 1]].id,
                     a->kb->roles[roles[f - 1]].title);
        w_put(row, 2, COLS - 4, buf, f == a->field ? (int)A_BOLD : 0);
        snprintf(buf, sizeof buf, "[ %-30s ]", val);
        w_put(row + 1, 4, COLS - 6, buf, f == a->field ? term_attr(C_SEL) : 0);
    }
    w_wrap(row + 1, 2, COLS - 4, 3, a->mode == MODE_LAB
           ? "Lab: the roles name the simulated nodes; type another node's name to swap them."
           : "Guided: type the real names of your nodes; every step, gate and record uses them.",
           term_attr(C_DIM));
    w_put(row + 4, 2, COLS - 4, "Tab/Enter: next field; Enter on the last field starts.", 0);
}

void setup_key(app *a, int ch, key_action act)
{
    int roles[KB_MAX_ROLES], n = setup_fields(a, roles);
    char *val = a->field == 0 ? a->operator_name : a->bind[roles[a->field - 1]];
    size_t len = strlen(val), cap = KB_NAME_MAX;
    if (act == A_BACK)
        a->scr = SCR_ARTICLE;
    else if (act == A_UP && a->field > 0)
        a->field--;
    else if (act == A_DOWN && a->field + 1 < n)
        a->field++;
    else if (act == A_START || (act == A_NEXTFIELD && a->field + 1 == n && ch == '\r'))
        app_start_session(a);
    else if (act == A_NEXTFIELD)
        a->field = (a->field + 1) % n;
    else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len)
        val[len - 1] = '\0';
    else if (ch < 128 && isprint(ch) && ch != ' ' && len + 1 < cap) {
        val[len] = (char)ch;
        val[len + 1] = '\0';
    }
}

/* ---- modal helpers ----------------------------------------------------- */

int app_menu(app *a, const char *title, const char *const *items, int n)
{
    int sel = 0;
    for (;;) {
        app_draw(a);
        if (!too_small()) {
            int w = 20, h = n + 2;
            for (int i = 0; i < n; i++)
                if (w_width(items[i]) + 6 > w)
                    w = w_width(items[i]) + 6;
            w = w > COLS - 4 ? COLS - 4 : w;
            h = h > LINES - 4 ? LINES - 4 : h;
            int y = (LINES - h) / 2, x = (COLS - w) / 2;
            w_clear(y, x, h, w);
            w_box(y, x, h, w, term_attr(C_TITLE), title);
            for (int i = 0; i < n && i < h - 2; i++) {
                if (i == sel)
                    mvhline(y + 1 + i, x + 1, ' ', w - 2);
                w_put(y + 1 + i, x + 2, w - 4, items[i], i == sel ? term_attr(C_SEL) : 0);
            }
            char keys[256];
            key_footer(CTX_MENU, keys, sizeof keys);
            move(LINES - 1, 0);
            clrtoeol();
            w_put(LINES - 1, 0, COLS, keys, term_attr(C_DIM));
        }
        refresh();
        int ch = getch();
        key_action act = key_lookup(ch, CTX_MENU);
        if (term_stop_signal() || act == A_BACK)
            return -1;
        if (act == A_UP && sel > 0)
            sel--;
        else if (act == A_DOWN && sel + 1 < n)
            sel++;
        else if (act == A_OPEN)
            return sel;
    }
}

bool app_confirm(app *a, const char *question, const char *word)
{
    char buf[64] = "";
    app_draw(a);
    return w_prompt(question, buf, sizeof buf, NULL, NULL) && strcasecmp(buf, word) == 0;
}

static void on_key(app *a, int ch)
{
    unsigned ctx = ctx_of(a);
    key_action act = key_lookup(ch, ctx);
    a->status[0] = '\0';
    if (too_small()) {
        if (ch == 'q')
            a->quit = true;
        return;
    }
    if (act == A_HELP && !(a->scr == SCR_PICKER && a->filter[0] && ch != '?')) {
        help(a);
        return;
    }
    if (act == A_QUIT && !(a->scr == SCR_PICKER && a->filter[0])) {
        bool open = a->s && !a->s->finished;
        a->quit = !open || app_confirm(a, "The session is not finished. Type quit to leave:", "quit");
        return;
    }
    switch (a->scr) {
    case SCR_PICKER: picker_key(a, ch, act); break;
    case SCR_ARTICLE: article_key(a, act); break;
    case SCR_SETUP: setup_key(a, ch, act); break;
    case SCR_WIZARD: wizard_key(a, act); break;
    }
}

int app_run(app *a)
{
    char err[256];
    if (!term_open(&a->opts, err, sizeof err)) {
        fprintf(stderr, "kbwizard: %s (try --plain)\n", err);
        return EXIT_USAGE;
    }
    timeout(100);
    app_scan_sessions(a);
    if (a->resume && !app_resume(a, a->resume))
        a->scr = SCR_PICKER;
    bool dirty = true;
    while (!a->quit && !term_stop_signal()) {
        bool animating = a->anim_until && term_ms() < a->anim_until;
        if (dirty || animating || a->anim_until) {
            if (!animating)
                a->anim_until = 0;
            app_draw(a);
            refresh();
            dirty = false;
        }
        int ch = getch();
        if (ch == ERR)
            continue;
        dirty = true;
        if (ch != KEY_RESIZE)
            on_key(a, ch);
    }
    int sig = term_stop_signal();
    term_close();
    if (a->s)
        app_end_session(a);
    free(a->rows);
    return sig ? 128 + sig : EXIT_OKAY;
}
