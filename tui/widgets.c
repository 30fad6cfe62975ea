/*
 * widgets.c - drawing helpers; see widgets.h.
 */
#include "config.h"

#include "widgets.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "term.h"
#include "text.h"

int w_width(const char *s)
{
    mbstate_t st = {0};
    int w = 0;
    for (size_t n; *s; s += n) {
        wchar_t wc;
        n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
        if (n == (size_t)-1 || n == (size_t)-2) {
            n = 1;
            w++;
            memset(&st, 0, sizeof st);
            continue;
        }
        int cw = wcwidth(wc);
        w += cw > 0 ? cw : 0;
    }
    return w;
}

int w_put(int y, int x, int maxw, const char *text, int attr)
{
    char clean[4096];
    mbstate_t st = {0};
    int used = 0;
    if (maxw <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    text_sanitize(text, clean, sizeof clean, false);
    attron(attr);
    move(y, x);
    for (const char *p = clean; *p;) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, p, MB_CUR_MAX, &st);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
            break;
        int cw = wcwidth(wc);
        if (cw < 0)
            cw = 1;
        if (used + cw > maxw || x + used + cw > COLS)
            break;
        addnstr(p, (int)n);
        used += cw;
        p += n;
    }
    attroff(attr);
    return used;
}

/* Length in bytes of the next word (up to a space) and its columns. */
static size_t word_len(const char *s, int *cols)
{
    size_t n = strcspn(s, " ");
    char tmp[512];
    size_t k = n < sizeof tmp - 1 ? n : sizeof tmp - 1;
    memcpy(tmp, s, k);
    tmp[k] = '\0';
    *cols = w_width(tmp);
    return n;
}

int w_lines(const char *text, int w, char (*lines)[W_LINE], int max)
{
    int rows = 0;
    if (w < 1)
        return 0;
    const char *p = text;
    while (*p && rows < max) {
        char *line = lines[rows++];
        size_t o = 0;
        int cols = 0;
        while (*p == ' ')
            p++;
        while (*p) {
            int wc;
            size_t n = word_len(p, &wc);
            if (cols && cols + 1 + wc > w)
                break;
            if (wc > w && !cols)
                n = (size_t)w, wc = w;
            if (o + n + 2 >= W_LINE)
                break;
            if (cols)
                line[o++] = ' ', cols++;
            memcpy(line + o, p, n);
            o += n;
            cols += wc;
            p += n;
            while (*p == ' ')
                p++;
        }
        line[o] = '\0';
    }
    return rows;
}

int w_wrap(int y, int x, int w, int maxlines, const char *text, int attr)
{
    char lines[64][W_LINE];
    int n = w_lines(text, w, lines, maxlines < 64 ? maxlines : 64);
    for (int i = 0; i < n; i++)
        w_put(y + i, x, w, lines[i], attr);
    return n;
}

void w_clear(int y, int x, int h, int w)
{
    for (int r = 0; r < h; r++)
        mvhline(y + r, x, ' ', w);
}

void w_box(int y, int x, int h, int w, int attr, const char *title)
{
    if (h < 2 || w < 2)
        return;
    attron(attr);
    if (G.utf8) {
        mvhline_set(y, x + 1, WACS_HLINE, w - 2);
        mvhline_set(y + h - 1, x + 1, WACS_HLINE, w - 2);
        mvvline_set(y + 1, x, WACS_VLINE, h - 2);
        mvvline_set(y + 1, x + w - 1, WACS_VLINE, h - 2);
        mvadd_wch(y, x, WACS_ULCORNER);
        mvadd_wch(y, x + w - 1, WACS_URCORNER);
        mvadd_wch(y + h - 1, x, WACS_LLCORNER);
        mvadd_wch(y + h - 1, x + w - 1, WACS_LRCORNER);
    } else {
        mvhline(y, x + 1, '-', w - 2);
        mvhline(y + h - 1, x + 1, '-', w - 2);
        mvvline(y + 1, x, '|', h - 2);
        mvvline(y + 1, x + w - 1, '|', h - 2);
        mvaddch(y, x, '+');
        mvaddch(y, x + w - 1, '+');
        mvaddch(y + h - 1, x, '+');
        mvaddch(y + h - 1, x + w - 1, '+');
    }
    attroff(attr);
    if (title) {
        w_put(y, x + 2, w - 4, " ", attr);
        int n = w_put(y, x + 3, w - 6, title, attr | (int)A_BOLD);
        w_put(y, x + 3 + n, 1, " ", attr);
    }
}

/* Replaces the last word of buf with the completion of it, if unique. */
static void complete(char *buf, size_t bufsz, const char *cands, char *shown, size_t shownsz)
{
    char *last = strrchr(buf, ' ');
    last = last ? last + 1 : buf;
    size_t typed = strlen(last), common = 0;
    const char *first = NULL;
    shown[0] = '\0';
    for (const char *c = cands; *c;) {
        size_t n = strcspn(c, " ");
        if (n >= typed && strncmp(c, last, typed) == 0) {
            if (!first)
                first = c, common = n;
            else
                for (size_t i = 0; i < common; i++)
                    if (i >= n || c[i] != first[i]) {
                        common = i;
                        break;
                    }
            if (strlen(shown) + n + 2 < shownsz)
                strncat(strcat(shown, *shown ? " " : ""), c, n);
        }
        c += n;
        while (*c == ' ')
            c++;
    }
    if (first && common > typed && (size_t)(last - buf) + common + 2 < bufsz) {
        memcpy(last, first, common);
        last[common] = '\0';
        if (!strchr(shown, ' '))
            strcat(buf, " ");
    }
}

static void draw_prompt(const char *label, const char *buf, const char *hint)
{
    int y = LINES - 2;
    w_clear(y - 1, 0, 2, COLS);
    w_put(y - 1, 0, COLS, hint, term_attr(C_DIM));
    int n = w_put(y, 0, COLS, label, term_attr(C_TITLE));
    int bw = w_width(buf), room = COLS - n - 2;
    const char *shown = buf;
    while (bw > room && *shown) {
        shown++;
        bw = w_width(shown);
    }
    w_put(y, n + 1, room, shown, 0);
    move(y, n + 1 + bw);
}

bool w_prompt(const char *label, char *buf, size_t bufsz, w_completer fn, void *ctx)
{
    char hint[1024] = "Enter: accept   Esc: cancel", cands[4096];
    curs_set(1);
    for (;;) {
        draw_prompt(label, buf, hint);
        refresh();
        int ch = getch();
        if (term_stop_signal() || ch == 27) {
            curs_set(0);
            return false;
        }
        size_t n = strlen(buf);
        if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
            curs_set(0);
            return true;
        } else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && n) {
            do
                n--;
            while (n && ((unsigned char)buf[n] & 0xC0) == 0x80);
            buf[n] = '\0';
        } else if (ch == '\t' && fn) {
            fn(ctx, buf, cands, sizeof cands);
            complete(buf, bufsz, cands, hint, sizeof hint);
        } else if (ch >= 32 && ch < 256 && ch != 127 && n + 1 < bufsz) {
            buf[n] = (char)ch;
            buf[n + 1] = '\0';
        }
    }
}

int w_message(const char *title, const char *text)
{
    int w = COLS - 8 < 70 ? COLS - 8 : 70, h = LINES - 6 < 12 ? LINES - 6 : 12;
    int y = (LINES - h) / 2, x = (COLS - w) / 2;
    if (w < 10 || h < 4)
        return 0;
    w_clear(y, x, h, w);
    w_box(y, x, h, w, term_attr(C_TITLE), title);
    w_wrap(y + 1, x + 2, w - 4, h - 3, text, 0);
    w_put(y + h - 2, x + 2, w - 4, "Press a key", term_attr(C_DIM));
    refresh();
    int ch;
    while ((ch = getch()) == ERR && !term_stop_signal())
        ;
    return ch;
}
