/*
 * widgets.h - drawing helpers on stdscr: escaped text clipped to display
 * columns, word wrapping, boxes in line-drawing or ASCII characters, and a
 * modal one-line prompt with completion.
 */
#ifndef KB_WIDGETS_H
#define KB_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>

/* Draws untrusted text at (y, x), at most maxw columns; returns columns used. */
int w_put(int y, int x, int maxw, const char *text, int attr);

#define W_LINE 1024

/* Word-wraps text into lines of at most w columns; returns the count. */
int w_lines(const char *text, int w, char (*lines)[W_LINE], int max);

/* Word-wraps text into width w from row y, at most maxlines; returns rows used. */
int w_wrap(int y, int x, int w, int maxlines, const char *text, int attr);

/* A box; title (may be NULL) is drawn in its top edge. */
void w_box(int y, int x, int h, int w, int attr, const char *title);

/* Blanks a rectangle. */
void w_clear(int y, int x, int h, int w);

/* Candidates for completing the text typed so far (space-separated). */
typedef void (*w_completer)(void *ctx, const char *typed, char *out, size_t outsz);

/*
 * A modal prompt on the last-but-one row: returns true with the text in buf
 * on Enter, false on Esc or a stop signal. Tab completes when fn is given.
 */
bool w_prompt(const char *label, char *buf, size_t bufsz, w_completer fn, void *ctx);

/* A modal message box; waits for a key and returns it. */
int w_message(const char *title, const char *text);

/* Display columns of a UTF-8 string. */
int w_width(const char *s);

#endif
