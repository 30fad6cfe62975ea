/*
 * term.h - the terminal's lifecycle for the curses front end: newterm
 * (never initscr), colours that honour NO_COLOR, UTF-8 or ASCII glyphs,
 * our own handlers for SIGINT/SIGTERM/SIGHUP/SIGQUIT (flag + self-pipe,
 * the main loop restores the terminal), and a last-resort handler for
 * crashes that only writes the reset sequences.
 */
#ifndef KB_TERM_H
#define KB_TERM_H

#include <stdbool.h>
#include <stddef.h>

typedef struct term_opts {
    bool no_color, ascii, no_animation;
} term_opts;

/* Colour pairs (also the attributes used without colour). */
enum {
    C_NORMAL = 1, C_DONE, C_NA, C_WARN, C_GATE, C_TITLE, C_SEL, C_DOWN, C_DIM, C_OVERRIDE
};

typedef struct glyphs {
    const char *done, *current, *pending, *skipped, *overridden, *na, *arrow, *xl, *xr;
    bool utf8;
} glyphs;

extern glyphs G;

/* Why the terminal cannot host the wizard (NULL when it can). */
const char *term_unusable(void);

/* Opens the screen; returns false with a message in err. */
bool term_open(const term_opts *o, char *err, size_t errsz);
void term_close(void);

/* The attribute for a colour pair (bold/reverse/dim when there is no colour). */
int term_attr(int pair);

/* The signal that asked us to stop, or 0. */
int term_stop_signal(void);

/* Milliseconds on a monotonic clock. */
long term_ms(void);

#endif
