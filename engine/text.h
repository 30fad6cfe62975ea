/*
 * text.h - checks and transformations of untrusted text: UTF-8 validity,
 * control characters, the escaping sanitizer every non-curses output path
 * uses, identifiers, and version-aware comparison.
 */
#ifndef KB_TEXT_H
#define KB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
int utf8_seq(const unsigned char *s, size_t avail, unsigned *cp);

/*
 * First problem in text of n bytes: returns its byte offset and sets *why,
 * or returns -1 if the text is clean. Newlines are allowed when allow_nl;
 * tabs never inside strings of procedure text.
 */
long text_problem(const char *s, size_t n, bool allow_nl, const char **why);

/* A code point that must be made visible: bidi overrides, invisibles, C1. */
bool text_cp_dangerous(unsigned cp);

/*
 * Escapes s into out (at most outsz bytes with the NUL): C0 and DEL as ^X/^?,
 * C1 and dangerous format characters as <U+XXXX>, invalid bytes as \xNN.
 * Newlines are kept when keep_nl. Returns the length written.
 */
size_t text_sanitize(const char *s, char *out, size_t outsz, bool keep_nl);

bool text_is_id(const char *s);
bool text_is_key(const char *s);

/* Compares as dotted numbers when both are, else as strings (<0, 0, >0). */
int text_vercmp(const char *a, const char *b);

/* Display columns of a UTF-8 string (approximation: 1 per code point). */
size_t text_width(const char *s);

/* Copy at most n-1 bytes, NUL-terminated, never splitting a UTF-8 sequence. */
void text_copy(char *dst, size_t n, const char *src);

#endif
