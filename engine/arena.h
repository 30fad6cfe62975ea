/*
 * arena.h - a bump allocator: everything an article needs is freed at once.
 * Allocation failure aborts (there is no sensible recovery from it here).
 */
#ifndef KB_ARENA_H
#define KB_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head;
} arena;

void *arena_alloc(arena *a, size_t size);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_free(arena *a);

/* Aborting wrappers for ordinary heap memory. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

#endif
