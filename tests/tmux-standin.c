/* tmux-standin.c - a small ncursesw program standing in for the real front end
 * in tests/tmux-selftest.sh, which compiles it with the system cc. Alternate
 * screen, hidden cursor, colours (16 and 256), a WACS box, wide characters,
 * XML-special text, a reverse footer, resize handling with a "too small"
 * screen, typed text.
 * Keys: text is appended to "typed:"; Enter shows it on "entered:"; C-d quits
 * cleanly (exit 0); C-e exits without endwin (exit 3, the terminal is left
 * in the alternate screen).
 * -s: catch SIGINT/SIGTERM/SIGHUP/SIGQUIT, end curses, exit 128+N (what the
 * real front end must do); without it ncurses' default handling applies. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static volatile sig_atomic_t got_signal;
static void on_signal(int sig) { got_signal = sig; }

static void draw(const wchar_t *typed, const wchar_t *entered)
{
    erase();
    if (COLS < 40 || LINES < 10) {
        mvprintw(0, 0, "too small: %dx%d", COLS, LINES);
        refresh();
        return;
    }
    box_set(stdscr, WACS_VLINE, WACS_HLINE);
    attron(COLOR_PAIR(1) | A_BOLD);
    mvaddstr(0, 2, " kbw stand-in ");
    attroff(COLOR_PAIR(1) | A_BOLD);
    mvprintw(2, 2, "size %dx%d", COLS, LINES);
    mvprintw(3, 2, "typed: %ls", typed);
    mvprintw(4, 2, "entered: %ls", entered);
    move(5, 2);
    attron(COLOR_PAIR(2)); addstr("red"); attroff(COLOR_PAIR(2));
    addstr(" ");
    attron(COLOR_PAIR(3) | A_UNDERLINE); addstr("green"); attroff(COLOR_PAIR(3) | A_UNDERLINE);
    addstr(" ");
    attron(COLOR_PAIR(4)); addstr(" 256 "); attroff(COLOR_PAIR(4));
    addstr(" ");
    attron(A_DIM); addstr("dim"); attroff(A_DIM);
    mvaddstr(6, 2, "wide: \u6f22\u5b57| check \u2713 arrow \u2192 <a & b>");
    mvhline_set(7, 1, WACS_HLINE, COLS - 2);
    attron(A_REVERSE);
    mvprintw(LINES - 2, 1, " C-d quit  C-e crash %*s", COLS - 23, "");
    attroff(A_REVERSE);
    refresh();
}

int main(int argc, char **argv)
{
    wchar_t typed[64] = L"", entered[64] = L"";
    int catch = argc > 1 && strcmp(argv[1], "-s") == 0;

    setlocale(LC_CTYPE, "");
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (scr == NULL) {
        fprintf(stderr, "standin: cannot initialise the terminal\n");
        return 2;
    }
    if (catch) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal; /* no SA_RESTART: get_wch returns */
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        sigaction(SIGQUIT, &sa, NULL);
    }
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    start_color();
    use_default_colors();
    init_pair(1, COLOR_YELLOW, COLOR_BLUE);
    init_pair(2, COLOR_RED, -1);
    init_pair(3, COLOR_GREEN, -1);
    init_pair(4, COLOR_BLACK, COLORS >= 256 ? 208 : COLOR_YELLOW);
    timeout(50);
    draw(typed, entered);
    for (;;) {
        wint_t c;
        int r = get_wch(&c);
        if (got_signal) {
            endwin();
            delscreen(scr);
            return 128 + got_signal;
        }
        if (r == ERR)
            continue;
        if (r == KEY_CODE_YES && c == KEY_RESIZE) {
        } else if (r == OK && c == 4) {
            endwin();
            delscreen(scr);
            return 0;
        } else if (r == OK && c == 5) {
            return 3; /* no endwin: a crash-like exit */
        } else if (r == OK && (c == '\n' || c == '\r')) {
            wcscpy(entered, typed);
            typed[0] = L'\0';
        } else if (r == OK && c >= ' ') {
            size_t n = wcslen(typed);
            if (n + 1 < sizeof typed / sizeof *typed) {
                typed[n] = (wchar_t)c;
                typed[n + 1] = L'\0';
            }
        }
        draw(typed, entered);
    }
}
