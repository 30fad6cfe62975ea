/*
 * term.c - terminal lifecycle; see term.h.
 */
#include "config.h"

#include "term.h"

#include <curses.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

glyphs G;

static SCREEN *screen;
static bool colour;
static volatile sig_atomic_t stop_sig;
static struct termios saved_tio;
static bool have_tio;
static char reset_seq[128];
static size_t reset_len;

static const glyphs utf8_glyphs = {"✓", "▶", "○", "↷", "‼", "–", "→", "╲", "╱", true};
static const glyphs ascii_glyphs = {"x", ">", " ", "s", "!", "-", "->", "\\", "/", false};

long term_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

const char *term_unusable(void)
{
    const char *t = getenv("TERM");
    int e;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return "standard input and output must be a terminal";
    if (!t || !*t)
        return "TERM is not set";
    if (setupterm(t, STDOUT_FILENO, &e) != OK)
        return "the terminal type in TERM is unknown";
    const char *cup = tigetstr("cup"), *clr = tigetstr("clear");
    bool ok = cup && cup != (char *)-1 && clr && clr != (char *)-1;
    del_curterm(cur_term);
    return ok ? NULL : "the terminal cannot address the cursor (TERM=dumb?)";
}

static void on_stop(int sig)
{
    stop_sig = sig;
}

/* Crash: write the precomputed reset, restore termios, re-raise. */
static void on_crash(int sig)
{
    if (reset_len) {
        ssize_t r = write(STDOUT_FILENO, reset_seq, reset_len);
        (void)r;
    }
    if (have_tio)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
    signal(sig, SIG_DFL);
    raise(sig);
}

int term_stop_signal(void)
{
    return stop_sig;
}

static void add_reset(const char *cap)
{
    const char *s = tigetstr((char *)cap);
    if (s && s != (char *)-1 && reset_len + strlen(s) < sizeof reset_seq) {
        memcpy(reset_seq + reset_len, s, strlen(s));
        reset_len += strlen(s);
    }
}

static void init_colours(void)
{
    static const short fg[] = {[C_NORMAL] = -1, [C_DONE] = COLOR_GREEN, [C_NA] = COLOR_CYAN,
                               [C_WARN] = COLOR_YELLOW, [C_GATE] = COLOR_RED,
                               [C_TITLE] = COLOR_CYAN, [C_SEL] = COLOR_BLACK,
                               [C_DOWN] = COLOR_RED, [C_DIM] = -1, [C_OVERRIDE] = COLOR_MAGENTA};
    start_color();
    use_default_colors();
    for (int p = C_NORMAL; p <= C_OVERRIDE; p++)
        init_pair((short)p, fg[p], p == C_SEL ? COLOR_CYAN : -1);
}

int term_attr(int pair)
{
    if (colour)
        return COLOR_PAIR(pair) | (pair == C_TITLE || pair == C_GATE || pair == C_DOWN ? A_BOLD : 0);
    switch (pair) {
    case C_SEL: return A_REVERSE;
    case C_GATE: case C_DOWN: case C_TITLE: return A_BOLD;
    case C_DIM: case C_NA: return A_DIM;
    case C_OVERRIDE: case C_WARN: return A_UNDERLINE;
    default: return A_NORMAL;
    }
}

bool term_open(const term_opts *o, char *err, size_t errsz)
{
    const char *why = term_unusable();
    if (why) {
        snprintf(err, errsz, "%s", why);
        return false;
    }
    have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
    const char *cs = nl_langinfo(CODESET);
    bool utf8 = !o->ascii && cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
    G = utf8 ? utf8_glyphs : ascii_glyphs;
    screen = newterm(NULL, stdout, stdin);
    if (!screen) {
        snprintf(err, errsz, "cannot initialise the terminal");
        return false;
    }
    set_term(screen);
    reset_len = 0;
    add_reset("rmcup");
    add_reset("cnorm");
    add_reset("sgr0");
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    colour = has_colors() && !o->no_color && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
    if (colour)
        init_colours();
    struct sigaction sa = {0};
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    for (int s = 0, sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT}; s < 4; s++)
        sigaction(sigs[s], &sa, NULL);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;
    for (int s = 0, sigs[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE}; s < 4; s++)
        sigaction(sigs[s], &sa, NULL);
    return true;
}

void term_close(void)
{
    if (!screen)
        return;
    curs_set(1);
    endwin();
    delscreen(screen);
    screen = NULL;
    fflush(stdout);
}
