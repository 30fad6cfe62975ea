/*
 * test_record.c - the record (engine/record.c) and the journal
 * (tui/journal.c): strict parsing, the chain, truncation at every byte
 * offset, seeded bit flips and byte overwrites (every one detected),
 * classification of torn tails and corruption, replay, the lock, the
 * failing-sync seam, recovery.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "record.h"
#include "support.h"

static kb_article *kb;
static char dir[] = "/tmp/kbw-record-XXXXXX";

static void setup(void)
{
    kb = t_article("889528");
    cr_assert(mkdtemp(dir));
    setenv("KBWIZARD_TEST_CLOCK", "1790000000", 1);
    setenv("KBWIZARD_TEST_HOST", "testhost", 1);
    unsetenv("KBWIZARD_TEST_FAIL_SYNC");
}

static void teardown(void)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(system(cmd) == 0);
    t_free(kb);
}

TestSuite(record, .init = setup, .fini = teardown);

/* A journal of a whole guided --auto session with notes; returns its path. */
static const char *auto_journal(const char *name)
{
    static char path[300];
    char err[300], msg[600], arg[KB_VALUE_MAX];
    sess_result res;
    ev_kind k;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    session *s = session_new(kb, MODE_GUIDED, kb_find_method(kb, "clustered"), 1);
    journal *j = journal_create(path, s, err, sizeof err);
    cr_assert(j, "%s", err);
    cr_assert_eq(journal_apply(j, s, EV_OPERATOR, "Ann", &res, msg, sizeof msg), 0);
    while (session_auto(s, &k, arg, sizeof arg)) {
        cr_assert_eq(journal_apply(j, s, k, arg, &res, msg, sizeof msg), 0, "%s", msg);
        cr_assert_eq(journal_apply(j, s, EV_NOTE, "checked", &res, msg, sizeof msg), 0);
    }
    cr_assert_eq(journal_sign(j, REC_SIGNOFF, "Ann", msg, sizeof msg), 0);
    cr_assert_eq(journal_close(j, s), 0);
    session_free(s);
    return path;
}

static char *frame_one(const char *body, rec_head *h)
{
    rec_head next;
    char *line = record_frame(h, "2026-11-05T12:00:00Z", 5, body, &next);
    *h = next;
    return line;
}

Test(record, a_framed_record_parses_back_and_checks_its_own_hash)
{
    rec_head h;
    rec r;
    char why[200];
    record_head_init(&h);
    char *line = frame_one("{\"name\":\"Ann\",\"type\":\"signoff\"}", &h);
    cr_assert(line);
    cr_assert_eq(record_parse(line, strlen(line) - 1, &r, why, sizeof why), 0, "%s", why);
    cr_assert_eq(r.seq, 1);
    cr_assert_str_eq(r.hash, h.hash);
    cr_assert_str_eq(record_str(&r, "name"), "Ann");
    record_free(&r);
    free(line);
}

Test(record, the_parser_is_strict)
{
    rec_head h;
    rec r;
    char why[200], buf[2000];
    record_head_init(&h);
    char *line = frame_one("{\"name\":\"Ann\",\"type\":\"signoff\"}", &h);
    size_t n = strlen(line) - 1;
    char *hash = strstr(line, "\"hash\":\"") + 8;
    /* Upper-case hex, a space, a field too many or too few, an unknown type. */
    const char *bad[] = {NULL, "space", "extra", "unknown"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(buf, line, n + 1);
        if (i == 0)
            buf[hash - line + strcspn(hash, "abcdef")] -= 32;
        else if (i == 1)
            memmove(buf + 2, buf + 1, n), buf[1] = ' ';
        char *p = i == 2 ? strstr(buf, "\"type\"") : i == 3 ? strstr(buf, "signoff") : NULL;
        if (i == 2)
            memmove(p + 8, p, strlen(p) + 1), memcpy(p, "\"x\":1,  ", 8);
        if (i == 3)
            memcpy(p, "signofX", 7);
        cr_assert_neq(record_parse(buf, strlen(buf) - (i == 1), &r, why, sizeof why), 0,
                      "mutation %zu accepted", i);
    }
    cr_assert_null(record_frame(&h, "2026-11-05T12:00:00Z", 1, "{\"type\":\"signoff\"}", &h),
                   "a body lacking a field is not framed");
    cr_assert_null(record_frame(&h, "2026-11-5T12:00:00Z", 1, "{\"name\":\"A\",\"type\":\"signoff\"}",
                                &h), "a loose time is not framed");
    free(line);
}

Test(record, a_whole_session_journal_is_intact_and_replays_to_the_same_state)
{
    size_t len;
    char *buf = t_slurp(auto_journal("a.journal"), &len);
    rec_log log;
    char why[300];
    int last;
    cr_assert_eq(record_load(buf, len, &log), 0, "%s", log.why);
    cr_assert_eq(log.state, RV_INTACT);
    session *s = record_session(&log, kb, &last, why, sizeof why);
    cr_assert(s, "%s", why);
    cr_assert(s->finished && s->goal_met);
    cr_assert_str_eq(s->operator_name, "Ann");
    cr_assert_eq(last, s->m->nsteps - 1);
    session_free(s);
    record_log_free(&log);
    free(buf);
}

Test(record, replay_refuses_a_changed_procedure_file)
{
    size_t len;
    char *buf = t_slurp(auto_journal("b.journal"), &len);
    rec_log log;
    char why[300];
    int last;
    record_load(buf, len, &log);
    kb->sha256[0] ^= 1;
    cr_assert_null(record_session(&log, kb, &last, why, sizeof why));
    cr_assert(strstr(why, "changed since the session started"), "%s", why);
    record_log_free(&log);
    free(buf);
}

Test(record, truncation_at_every_byte_offset_keeps_exactly_the_complete_records)
{
    size_t len;
    char *buf = t_slurp(auto_journal("c.journal"), &len);
    long complete = 0;
    for (size_t cut = 0; cut <= len; cut++) {
        rec_log log;
        int rc = record_load(buf, cut, &log);
        cr_assert_eq(log.n, complete, "cut at %zu: %ld records, %ld complete", cut, log.n, complete);
        cr_assert_eq(rc == 0, cut == 0 || buf[cut - 1] == '\n', "cut at %zu", cut);
        cr_assert(rc == 0 || log.state == RV_TORN, "cut at %zu is a torn tail", cut);
        record_log_free(&log);
        if (cut < len && buf[cut] == '\n')
            complete++;
    }
    free(buf);
}

Test(record, ten_thousand_seeded_bit_flips_and_overwrites_are_all_detected)
{
    size_t len;
    char *buf = t_slurp(auto_journal("d.journal"), &len);
    char *copy = malloc(len);
    unsigned long long x = 0x9E3779B97F4A7C15ull;
    long tried = 0, detected = 0;
    for (int i = 0; i < 12000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        memcpy(copy, buf, len);
        size_t at = (size_t)(x % len);
        unsigned char was = (unsigned char)copy[at];
        copy[at] = i % 2 ? (char)(was ^ (1u << ((x >> 32) % 8))) : (char)(x >> 40);
        if ((unsigned char)copy[at] == was)
            continue;
        rec_log log;
        tried++;
        detected += record_load(copy, len, &log) != 0;
        record_log_free(&log);
    }
    cr_log_info("bit flips and overwrites: %ld tried, %ld detected", tried, detected);
    cr_assert_geq(tried, 10000);
    cr_assert_eq(detected, tried, "%ld of %ld mutations went undetected", tried - detected, tried);
    free(copy);
    free(buf);
}

Test(record, a_bad_record_followed_by_valid_ones_is_corrupt_and_a_bad_last_one_torn)
{
    size_t len;
    char *buf = t_slurp(auto_journal("e.journal"), &len);
    rec_log log;
    char *third = strchr(strchr(buf, '\n') + 1, '\n') + 1;
    third[10] ^= 1;
    cr_assert_eq(record_load(buf, len, &log), 1);
    cr_assert_eq(log.state, RV_CORRUPT);
    cr_assert_eq(log.bad, 3);
    cr_assert_eq(log.next_valid, 4);
    record_log_free(&log);
    third[10] ^= 1;
    buf[len - 5] ^= 1;
    cr_assert_eq(record_load(buf, len, &log), 1);
    cr_assert_eq(log.state, RV_TORN);
    record_log_free(&log);
    free(buf);
}

Test(record, a_second_opener_is_refused_naming_the_holder)
{
    char err[600], msg[600];
    journal_info info;
    sess_result res;
    char path[300];
    snprintf(path, sizeof path, "%s/lock.journal", dir);
    session *s = session_new(kb, MODE_GUIDED, 0, 1);
    journal *j = journal_create(path, s, err, sizeof err);
    cr_assert(j);
    journal_apply(j, s, EV_OPERATOR, "Ann", &res, msg, sizeof msg);
    cr_assert_null(journal_open(path, &info, err, sizeof err));
    cr_assert(strstr(err, "open in another wizard") && strstr(err, "operator Ann"), "%s", err);
    journal_close(j, s);
    j = journal_open(path, &info, err, sizeof err);
    cr_assert(j, "%s", err);
    journal_free(j);
    session_free(s);
}

Test(record, a_failing_sync_breaks_the_journal_for_good)
{
    char err[600], msg[600], path[300];
    sess_result res;
    snprintf(path, sizeof path, "%s/sync.journal", dir);
    setenv("KBWIZARD_TEST_FAIL_SYNC", "3", 1);
    session *s = session_new(kb, MODE_GUIDED, 0, 1);
    journal *j = journal_create(path, s, err, sizeof err);
    cr_assert_eq(journal_apply(j, s, EV_OPERATOR, "Ann", &res, msg, sizeof msg), 0);
    cr_assert_eq(journal_apply(j, s, EV_NOTE, "two", &res, msg, sizeof msg), -1);
    cr_assert(strncmp(msg, "step NOT recorded", 17) == 0, "%s", msg);
    cr_assert(journal_broken(j));
    unsetenv("KBWIZARD_TEST_FAIL_SYNC");
    cr_assert_eq(journal_apply(j, s, EV_NOTE, "three", &res, msg, sizeof msg), -1,
                 "no retry on a descriptor whose sync failed");
    journal_free(j);
    session_free(s);
}

Test(record, hostile_text_is_made_safe_before_it_is_recorded)
{
    char err[600], msg[600], path[300];
    sess_result res;
    snprintf(path, sizeof path, "%s/hostile.journal", dir);
    session *s = session_new(kb, MODE_GUIDED, 0, 1);
    journal *j = journal_create(path, s, err, sizeof err);
    journal_apply(j, s, EV_OPERATOR, "Ann\x1b]0;PWNED\x07\xff", &res, msg, sizeof msg);
    cr_assert_str_eq(s->operator_name, "Ann^[]0;PWNED^G\\xFF");
    journal_close(j, s);
    session_free(s);
}

Test(record, recovery_sets_a_torn_tail_aside_and_records_it)
{
    char err[600];
    journal_info info;
    size_t len;
    const char *path = auto_journal("torn.journal");
    char *buf = t_slurp(path, &len);
    cr_assert_eq(truncate(path, (off_t)len - 7), 0);
    journal *j = journal_open(path, &info, err, sizeof err);
    cr_assert(j, "%s", err);
    cr_assert_eq(info.state, RV_TORN);
    size_t keep = len - 7;
    while (keep > 0 && buf[keep - 1] != '\n')
        keep--;
    cr_assert_eq(info.torn_bytes, (long long)(len - 7 - keep), "exactly the partial record");
    rec_head h = journal_head(j);
    journal_free(j);
    size_t tl;
    char *torn = t_slurp(info.torn_path, &tl);
    cr_assert_eq((long long)tl, info.torn_bytes);
    free(torn);
    free(buf);
    buf = t_slurp(path, &len);
    rec_log log;
    cr_assert_eq(record_load(buf, len, &log), 0);
    cr_assert_eq(log.v[log.n - 1].type, REC_RECOVERED);
    cr_assert_eq(log.head.count, h.count);
    record_log_free(&log);
    free(buf);
}
