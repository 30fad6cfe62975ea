/*
 * bench.c - engine benchmarks (not a test; `make bench`): the time to load
 * and validate each article, and to run each method to its goal with the
 * --auto automaton, in process, as the median of many repetitions.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load.h"
#include "session.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define REPS 201

static double median(double *v)
{
    qsort(v, REPS, sizeof *v, cmp_double);
    return v[REPS / 2];
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(*len + 1);
    if (fread(buf, 1, *len, f) != *len)
        *len = 0;
    fclose(f);
    return buf;
}

/* Runs one method with --auto; returns true when the goal was reached. */
static bool run_auto(const kb_article *kb, int m)
{
    session *s = session_new(kb, MODE_LAB, m, 1);
    char arg[KB_VALUE_MAX], msg[512];
    ev_kind k;
    while (session_auto(s, &k, arg, sizeof arg) &&
           session_apply(s, k, arg, msg, sizeof msg) == SR_OK)
        ;
    bool ok = s->finished && s->goal_met;
    session_free(s);
    return ok;
}

static void bench_article(const char *dir, const char *id)
{
    static kb_diags d;
    static double t[REPS];
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/%s.cfg", dir, id);
    char *text = slurp(path, &len);
    if (!text) {
        printf("%s: cannot read %s\n", id, path);
        return;
    }
    kb_article *kb = NULL;
    for (int i = 0; i < REPS; i++) {
        double t0 = now_us();
        kb = kb_load(path, text, len, &d);
        t[i] = now_us() - t0;
        if (i + 1 < REPS && kb) {
            kb_free(kb);
            free(kb);
        }
    }
    printf("%s: load+validate %.0f us (%zu bytes)\n", id, median(t), len);
    for (int m = 0; kb && m < kb->nmethods; m++) {
        bool ok = true;
        for (int i = 0; i < REPS; i++) {
            double t0 = now_us();
            ok &= run_auto(kb, m);
            t[i] = now_us() - t0;
        }
        printf("  %-28s --auto to the goal %.0f us%s\n", kb->methods[m].id, median(t),
               ok ? "" : " (goal NOT reached)");
    }
    if (kb) {
        kb_free(kb);
        free(kb);
    }
    free(text);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "kbdata";
    const char *ids[] = {"312395", "885440", "889528", "241573", "240208"};
    printf("median of %d runs, in process\n", REPS);
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        bench_article(dir, ids[i]);
    return 0;
}
