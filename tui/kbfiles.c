/*
 * kbfiles.c - locating and reading kbdata; see kbfiles.h.
 */
#include "config.h"

#include "kbfiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

#ifndef KBWIZARD_PKGDATADIR
#define KBWIZARD_PKGDATADIR "/usr/local/share/kbwizard"
#endif

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *kbfiles_dir(const char *opt)
{
    static char buf[PATH_MAX];
    const char *env = getenv("KBWIZARD_KBDATA");
    if (opt)
        return opt;
    if (env && *env)
        return env;
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 16);
    if (n > 0) {
        buf[n] = '\0';
        char *slash = strrchr(buf, '/');
        if (slash) {
            strcpy(slash, "/kbdata");
            if (is_dir(buf))
                return buf;
#ifdef KBWIZARD_SRCDIR
            *slash = '\0';
            if (strcmp(buf, KBWIZARD_BUILDDIR) == 0 && is_dir(KBWIZARD_SRCDIR "/kbdata"))
                return KBWIZARD_SRCDIR "/kbdata";
#endif
        }
    }
    return KBWIZARD_PKGDATADIR;
}

int kbfiles_read(const char *path, char **text, size_t *len, char *err, size_t errsz)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        snprintf(err, errsz, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errsz, "not a regular file");
        close(fd);
        return -1;
    }
    if (st.st_size > KB_MAX_FILE) {
        snprintf(err, errsz, "larger than %d bytes", KB_MAX_FILE);
        close(fd);
        return -1;
    }
    char *buf = xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    *text = buf;
    *len = got;
    return 0;
}

static bool strict;

void kbfiles_strict(bool on)
{
    strict = on;
}

kb_article *kbfiles_load(const char *path, kb_diags *d)
{
    /* Test seam (see README): let tests load text with escape sequences. */
    const char *seam = getenv("KBWIZARD_TEST_UNSAFE_TEXT");
    kb_load_test_allow_control(!strict && seam && strcmp(seam, "1") == 0);
    char *text, err[256];
    size_t len;
    if (kbfiles_read(path, &text, &len, err, sizeof err) != 0) {
        kb_diag_add(d, path, 0, "%s", err);
        return NULL;
    }
    kb_article *kb = kb_load(path, text, len, d);
    free(text);
    return kb;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int kbfiles_list(const char *dir, char ***paths, char *err, size_t errsz)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        snprintf(err, errsz, "%s: %s", dir, strerror(errno));
        return -1;
    }
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    int n = 0, cap = 16;
    char **v = xmalloc(sizeof *v * (size_t)cap);
    for (struct dirent *e; (e = readdir(dp));) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".cfg") != 0 || e->d_name[0] == '.')
            continue;
        if (n == cap)
            v = xrealloc(v, sizeof *v * (size_t)(cap *= 2));
        v[n] = xmalloc(dl + l + 2);
        sprintf(v[n++], "%.*s/%s", (int)dl, dir, e->d_name);
    }
    closedir(dp);
    qsort(v, (size_t)n, sizeof *v, cmp_str);
    *paths = v;
    return n;
}

static int cmp_article(const void *a, const void *b)
{
    const kb_article *x = *(kb_article *const *)a, *y = *(kb_article *const *)b;
    return strcmp(x->id, y->id);
}

int kbfiles_library(const char *dir, kb_library *lib, kb_diags *d)
{
    char **paths, err[512];
    int n = kbfiles_list(dir, &paths, err, sizeof err);
    lib->n = 0;
    lib->v = NULL;
    if (n < 0) {
        kb_diag_add(d, dir, 0, "cannot read the kbdata directory: %s", err);
        return -1;
    }
    lib->v = xcalloc((size_t)n + 1, sizeof *lib->v);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        kb_article *kb = kbfiles_load(paths[i], d);
        if (!kb)
            bad++;
        for (int k = 0; kb && k < lib->n; k++)
            if (strcmp(lib->v[k]->id, kb->id) == 0) {
                kb_diag_add(d, paths[i], 1, "article id \"%s\" is also used by %s", kb->id,
                            lib->v[k]->file);
                bad++;
            }
        if (kb)
            lib->v[lib->n++] = kb;
        free(paths[i]);
    }
    free(paths);
    qsort(lib->v, (size_t)lib->n, sizeof *lib->v, cmp_article);
    if (n == 0 && !bad) {
        kb_diag_add(d, dir, 0, "no *.cfg article files in the kbdata directory");
        bad++;
    }
    return bad ? -1 : 0;
}

void kbfiles_library_free(kb_library *lib)
{
    for (int i = 0; i < lib->n; i++) {
        kb_free(lib->v[i]);
        free(lib->v[i]);
    }
    free(lib->v);
    lib->v = NULL;
    lib->n = 0;
}
