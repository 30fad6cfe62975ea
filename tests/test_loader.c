/*
 * test_loader.c - the loader against the corpus in tests/bad/.
 *
 * ok-minimal.cfg is a small valid article; every other file there is a copy
 * of it with exactly one problem, and its first line says which diagnostic
 * the loader must give:
 *
 *     # expect: LINE: SUBSTRING
 *
 * One Test per file (generated from BAD_FILES), a test that no file in the
 * directory lacks one, a mutation test (the loader never crashes and never
 * fails without a located diagnostic) and the file size limit.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb.h"
#include "load.h"

#define BAD_DIR TESTDATA_DIR "/bad"
#define OK_FILE "ok-minimal.cfg"

/* Every broken file in tests/bad/: X(test name, file name without .cfg). */
#define BAD_FILES(X)                                                  \
    X(action_arg_count, "action-arg-count")                           \
    X(action_trigger_only, "action-trigger-only")                     \
    X(action_without_act, "action-without-act")                       \
    X(bad_enum, "bad-enum")                                           \
    X(bad_id, "bad-id")                                               \
    X(bidi_escaped, "bidi-escaped")                                   \
    X(bidi_override, "bidi-override")                                 \
    X(check_without_expect, "check-without-expect")                   \
    X(choice_without_options, "choice-without-options")               \
    X(cond_syntax, "cond-syntax")                                     \
    X(cond_unbalanced, "cond-unbalanced")                             \
    X(ctrl_escaped_esc_in_list, "ctrl-escaped-esc-in-list")           \
    X(ctrl_escaped_esc, "ctrl-escaped-esc")                           \
    X(ctrl_escaped_newline_in_title, "ctrl-escaped-newline-in-title") \
    X(ctrl_raw_esc, "ctrl-raw-esc")                                   \
    X(dep_cycle, "dep-cycle")                                         \
    X(dep_other_group, "dep-other-group")                             \
    X(dup_component, "dup-component")                                 \
    X(dup_group, "dup-group")                                         \
    X(dup_method, "dup-method")                                       \
    X(dup_node, "dup-node")                                           \
    X(dup_option, "dup-option")                                       \
    X(dup_resource, "dup-resource")                                   \
    X(dup_role, "dup-role")                                           \
    X(dup_scenario, "dup-scenario")                                   \
    X(dup_setting, "dup-setting")                                     \
    X(dup_step, "dup-step")                                           \
    X(dup_tool, "dup-tool")                                           \
    X(impossible_value, "impossible-value")                           \
    X(include_indented, "include-indented")                           \
    X(include, "include")                                             \
    X(int_after_comment, "int-after-comment")                         \
    X(int_after_penalty_in_string, "int-after-penalty-in-string")     \
    X(int_float, "int-float")                                         \
    X(int_huge, "int-huge")                                           \
    X(int_negative, "int-negative")                                   \
    X(int_out_of_range, "int-out-of-range")                           \
    X(int_second_on_line, "int-second-on-line")                       \
    X(int_string, "int-string")                                       \
    X(int_wraps_into_range, "int-wraps-into-range")                   \
    X(missing_owner, "missing-owner")                                 \
    X(missing_ref, "missing-ref")                                     \
    X(missing_title, "missing-title")                                 \
    X(nul_byte, "nul-byte")                                           \
    X(options_on_note, "options-on-note")                             \
    X(raw_del, "raw-del")                                             \
    X(syntax_missing_comma, "syntax-missing-comma")                   \
    X(syntax_missing_value, "syntax-missing-value")                   \
    X(syntax_unbalanced_brace, "syntax-unbalanced-brace")             \
    X(syntax_unterminated_string, "syntax-unterminated-string")       \
    X(unknown_action_verb, "unknown-action-verb")                     \
    X(unknown_bind_node, "unknown-bind-node")                         \
    X(unknown_component_cond, "unknown-component-cond")               \
    X(unknown_component_svc, "unknown-component-svc")                 \
    X(unknown_field_top, "unknown-field-top")                         \
    X(unknown_field, "unknown-field")                                 \
    X(unknown_group_action, "unknown-group-action")                   \
    X(unknown_group_cond, "unknown-group-cond")                       \
    X(unknown_node_cond, "unknown-node-cond")                         \
    X(unknown_owner, "unknown-owner")                                 \
    X(unknown_resource_cond, "unknown-resource-cond")                 \
    X(unknown_role_attest, "unknown-role-attest")                     \
    X(unknown_role_placeholder, "unknown-role-placeholder")           \
    X(unknown_scenario, "unknown-scenario")                           \
    X(unknown_service_cond, "unknown-service-cond")                   \
    X(unknown_step_next, "unknown-step-next")                         \
    X(unknown_tool_action, "unknown-tool-action")                     \
    X(unknown_value_cond, "unknown-value-cond")                       \
    X(unreachable_step, "unreachable-step")                           \
    X(utf8_escaped_invalid, "utf8-escaped-invalid")                   \
    X(utf8_invalid, "utf8-invalid")                                   \
    X(utf8_overlong, "utf8-overlong")                                 \
    X(wrong_type_actions, "wrong-type-actions")                       \
    X(wrong_type_bool, "wrong-type-bool")                             \
    X(wrong_type_list, "wrong-type-list")

/* ---- helpers ----------------------------------------------------------- */

/* Reads BAD_DIR/name whole (it may hold NUL bytes); *len gets its size. */
static char *read_bad(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", BAD_DIR, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    cr_assert_geq(n, 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "short read on %s", path);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The expectation on a broken file's first line. */
typedef struct expect {
    int line;
    char sub[200];
} expect;

static expect parse_expect(const char *name, const char *text)
{
    expect e = {0, ""};
    int at = 0;
    cr_assert_eq(sscanf(text, "# expect: %d: %n", &e.line, &at), 1,
                 "%s: the first line must be \"# expect: LINE: SUBSTRING\"", name);
    size_t n = strcspn(text + at, "\n");
    cr_assert(n > 0 && n < sizeof e.sub, "%s: bad expected substring", name);
    memcpy(e.sub, text + at, n);
    e.sub[n] = '\0';
    cr_assert_gt(e.line, 0, "%s: expected line must be >= 1", name);
    return e;
}

/* kb_load with fresh diagnostics (the struct is large: on the heap). */
static kb_article *load(const char *name, const char *text, size_t len, kb_diags **d)
{
    *d = calloc(1, sizeof **d);
    cr_assert_not_null(*d);
    return kb_load(name, text, len, *d);
}

static void drop(kb_article *kb, kb_diags *d)
{
    if (kb) {
        kb_free(kb);
        free(kb);
    }
    free(d);
}

/* All diagnostics, one per line, for failure messages. */
static const char *diag_list(const kb_diags *d)
{
    static char out[4096];
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < d->n && o < sizeof out; i++) {
        int w = snprintf(out + o, sizeof out - o, "\n  %s:%d: %s", d->v[i].file, d->v[i].line,
                         d->v[i].msg);
        o += w > 0 ? (size_t)w : 0;
    }
    return d->n ? out : " (none)";
}

static bool has_diag(const kb_diags *d, const expect *e)
{
    for (int i = 0; i < d->n; i++)
        if (d->v[i].line == e->line && strstr(d->v[i].msg, e->sub))
            return true;
    return false;
}

/* ---- the corpus -------------------------------------------------------- */

/*
 * Proves a broken file is refused with its announced diagnostic, at the
 * exact line, and that every diagnostic names the file passed to kb_load.
 */
static void check_bad(const char *name)
{
    size_t len;
    kb_diags *d;
    char *text = read_bad(name, &len);
    expect e = parse_expect(name, text);
    kb_article *kb = load(name, text, len, &d);
    cr_expect_null(kb, "%s: loaded, but it is broken", name);
    cr_expect(has_diag(d, &e), "%s: no diagnostic at line %d containing \"%s\"; got:%s", name,
              e.line, e.sub, diag_list(d));
    for (int i = 0; i < d->n; i++)
        cr_expect_str_eq(d->v[i].file, name, "%s: diagnostic %d names file \"%s\"", name, i,
                         d->v[i].file);
    drop(kb, d);
    free(text);
}

#define BAD_TEST(ident, file) \
    Test(loader, bad_##ident) { check_bad(file ".cfg"); }
BAD_FILES(BAD_TEST)

#define BAD_NAME(ident, file) file ".cfg",
static const char *const bad_names[] = {BAD_FILES(BAD_NAME)};

/* The base of the corpus is valid: it loads with no diagnostic at all. */
Test(loader, ok_minimal_loads)
{
    size_t len;
    kb_diags *d;
    char *text = read_bad(OK_FILE, &len);
    kb_article *kb = load(OK_FILE, text, len, &d);
    cr_assert_not_null(kb, "ok-minimal.cfg does not load:%s", diag_list(d));
    cr_expect_eq(d->n, 0, "ok-minimal.cfg has diagnostics:%s", diag_list(d));
    cr_expect_eq(kb->nscenarios, 1);
    cr_expect_eq(kb->nmethods, 1);
    cr_expect_eq(kb->methods[0].nsteps, 4);
    drop(kb, d);
    free(text);
}

static bool is_listed(const char *file)
{
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++)
        if (strcmp(bad_names[i], file) == 0)
            return true;
    return false;
}

/* Proves no .cfg file in tests/bad/ is left without its Test above. */
Test(loader, every_bad_file_has_a_test)
{
    DIR *dir = opendir(BAD_DIR);
    cr_assert_not_null(dir, "cannot open %s", BAD_DIR);
    int seen = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".cfg") != 0 || strcmp(e->d_name, OK_FILE) == 0)
            continue;
        cr_expect(is_listed(e->d_name), "%s/%s has no Test: add it to BAD_FILES", BAD_DIR,
                  e->d_name);
        seen++;
    }
    closedir(dir);
    cr_expect_eq(seen, (int)(sizeof bad_names / sizeof bad_names[0]),
                 "%d broken files in %s, %d in BAD_FILES", seen, BAD_DIR,
                 (int)(sizeof bad_names / sizeof bad_names[0]));
}

/* ---- mutations --------------------------------------------------------- */

/* xorshift32: the same mutations on every run and every libc. */
static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Inserts c at pos (buf has room for one more byte). */
static void insert_byte(char *buf, size_t *len, size_t pos, char c)
{
    memmove(buf + pos + 1, buf + pos, *len - pos);
    buf[pos] = c;
    (*len)++;
}

/* One random edit: a bit flip, a random byte, a truncation or an inserted
 * quote, brace, parenthesis, bracket, semicolon or newline. */
static void mutate_once(char *buf, size_t *len, size_t cap, uint32_t *rng)
{
    static const char punct[] = "\"\"{}()[];=\n";
    size_t pos = *len ? next_rand(rng) % *len : 0;
    switch (next_rand(rng) % 4) {
    case 0:
        if (*len)
            buf[pos] ^= (char)(1u << (next_rand(rng) % 8));
        break;
    case 1:
        if (*len)
            buf[pos] = (char)(next_rand(rng) & 0xff);
        break;
    case 2:
        *len = pos;
        break;
    default:
        if (*len < cap)
            insert_byte(buf, len, pos, punct[next_rand(rng) % (sizeof punct - 1)]);
        break;
    }
}

static int count_lines(const char *buf, size_t len)
{
    int n = 1;
    for (size_t i = 0; i < len; i++)
        n += buf[i] == '\n';
    return n;
}

/* Proves one mutated text either loads cleanly or fails with at least one
 * diagnostic, every one of them on a line that exists in the text. */
static void check_mutant(const char *buf, size_t len, int iter)
{
    kb_diags *d;
    kb_article *kb = load("mutant.cfg", buf, len, &d);
    if (kb) {
        cr_assert_eq(d->n, 0, "mutation %d loaded with diagnostics:%s", iter, diag_list(d));
    } else {
        cr_assert_gt(d->n, 0, "mutation %d refused without a diagnostic", iter);
        int lines = count_lines(buf, len);
        for (int i = 0; i < d->n; i++)
            cr_assert(d->v[i].line >= 1 && d->v[i].line <= lines,
                      "mutation %d: diagnostic on line %d of %d:%s", iter, d->v[i].line,
                      lines, diag_list(d));
    }
    drop(kb, d);
}

/* 2000 seeded mutations of ok-minimal.cfg (1-3 edits each): no crash, no
 * hang, never a refusal without a located diagnostic. A crash fails the
 * test (criterion runs it in its own process). */
Test(loader, mutations_never_crash, .timeout = 60)
{
    enum { N = 2000, SLACK = 8 };
    size_t base_len;
    char *base = read_bad(OK_FILE, &base_len);
    char *buf = malloc(base_len + SLACK);
    cr_assert_not_null(buf);
    uint32_t rng = 0x6b627769; /* "kbwi" */
    for (int iter = 0; iter < N; iter++) {
        size_t len = base_len;
        memcpy(buf, base, base_len);
        int edits = 1 + (int)(next_rand(&rng) % 3);
        for (int k = 0; k < edits; k++)
            mutate_once(buf, &len, base_len + SLACK, &rng);
        check_mutant(buf, len, iter);
    }
    free(buf);
    free(base);
}

/* ---- size limit -------------------------------------------------------- */

/* ok-minimal.cfg followed by comment lines up to exactly size bytes; the
 * last byte is a newline (libconfig 1.5 refuses a comment at EOF without). */
static char *padded_article(size_t size)
{
    size_t len;
    char *base = read_bad(OK_FILE, &len);
    cr_assert_lt(len + 2, size);
    char *buf = malloc(size);
    cr_assert_not_null(buf);
    memcpy(buf, base, len);
    free(base);
    for (size_t i = len; i < size; i++)
        buf[i] = (i - len) % 80 == 0 ? '\n' : (i - len) % 80 == 1 ? '#' : 'x';
    buf[size - 1] = '\n';
    return buf;
}

/* Loads ok-minimal.cfg padded to size bytes; returns the article or NULL. */
static kb_article *load_padded(size_t size, kb_diags **d)
{
    char *buf = padded_article(size);
    kb_article *kb = load("big.cfg", buf, size, d);
    free(buf);
    return kb;
}

/* Proves the limit is exactly KB_MAX_FILE: one byte more is refused at line
 * 1 (before any parsing), the same article at the limit loads. */
Test(loader, file_over_one_mib_is_refused)
{
    kb_diags *d;
    kb_article *kb = load_padded(KB_MAX_FILE + 1, &d);
    cr_expect_null(kb);
    cr_expect_eq(d->n, 1, "got:%s", diag_list(d));
    cr_expect(d->n >= 1 && d->v[0].line == 1 && strstr(d->v[0].msg, "larger than"),
              "got:%s", diag_list(d));
    drop(kb, d);

    kb = load_padded(KB_MAX_FILE, &d);
    cr_expect_not_null(kb, "an article of exactly %d bytes is refused:%s", KB_MAX_FILE,
                       diag_list(d));
    drop(kb, d);
}
