/*
 * kbfiles.h - finding, reading and loading kbdata files (the I/O policy
 * the engine leaves to its caller): where the library is, safe reads with
 * a size limit, and a library of loaded articles sorted by id.
 */
#ifndef KB_KBFILES_H
#define KB_KBFILES_H

#include "kb.h"
#include "load.h"

typedef struct kb_library {
    int n;
    kb_article **v;
} kb_library;

/* The kbdata directory: opt, $KBWIZARD_KBDATA, the build tree, pkgdatadir. */
const char *kbfiles_dir(const char *opt);

/*
 * Reads a regular file of at most KB_MAX_FILE bytes (no symlink following
 * at the last component, no blocking on FIFOs). Returns 0, or -1 with a
 * message in err.
 */
int kbfiles_read(const char *path, char **text, size_t *len, char *err, size_t errsz);

/* Lint is strict: the KBWIZARD_TEST_UNSAFE_TEXT test seam never applies. */
void kbfiles_strict(bool on);

/* Loads one file; diagnostics (I/O or data) go to d. */
kb_article *kbfiles_load(const char *path, kb_diags *d);

/* Lists the *.cfg files of a directory, sorted; returns the count or -1. */
int kbfiles_list(const char *dir, char ***paths, char *err, size_t errsz);

/* Loads every article of a directory; returns 0 when all loaded. */
int kbfiles_library(const char *dir, kb_library *lib, kb_diags *d);
void kbfiles_library_free(kb_library *lib);

#endif
