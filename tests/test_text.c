/*
 * test_text.c - untrusted text: UTF-8 validation, the control-character
 * check lint uses, the escaping sanitizer, ids, version comparison.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "text.h"

static bool clean(const char *s)
{
    const char *why;
    return text_problem(s, strlen(s), false, &why) < 0;
}

Test(text, problems_are_found_at_their_offset)
{
    const char *why = NULL;
    cr_assert(clean("Stop the Cluster service on NODE2 — ✓"));
    cr_assert_eq(text_problem("ab\x1b]0;x\a", 8, false, &why), 2);
    cr_assert(strstr(why, "control"));
    cr_assert_eq(text_problem("ok\xff", 3, false, &why), 2);
    cr_assert(strstr(why, "UTF-8"));
    cr_assert(!clean("OK\rFAIL"));
    cr_assert(!clean("\xe2\x80\xae" "evil"), "U+202E right-to-left override");
    cr_assert(!clean("\xc2\x9b" "31m"), "C1 CSI");
    cr_assert(!clean("\xc0\xaf"), "overlong encoding");
    cr_assert(!clean("\xed\xa0\x80"), "surrogate");
    cr_assert(text_problem("a\tb\nc", 5, true, &why) < 0, "tabs and newlines in raw files");
}

Test(text, the_sanitizer_makes_everything_visible)
{
    char out[256];
    text_sanitize("a\x1b[31mb", out, sizeof out, false);
    cr_assert_str_eq(out, "a^[[31mb");
    text_sanitize("OK\rFAIL\x7f", out, sizeof out, false);
    cr_assert_str_eq(out, "OK^MFAIL^?");
    text_sanitize("\xe2\x80\xae" "x\xff", out, sizeof out, false);
    cr_assert_str_eq(out, "<U+202E>x\\xFF");
    text_sanitize("line\nnext", out, sizeof out, true);
    cr_assert_str_eq(out, "line\nnext");
    text_sanitize("line\nnext", out, sizeof out, false);
    cr_assert_str_eq(out, "line^Jnext");
    text_sanitize("\x1b\x1b\x1b\x1b", out, 6, false);
    cr_assert_str_eq(out, "^[^[", "truncation never splits an escape");
}

Test(text, ids_and_keys)
{
    cr_assert(text_is_id("889528") && text_is_id("store.exe") && text_is_id("NODE-2_a"));
    cr_assert(!text_is_id("") && !text_is_id("-x") && !text_is_id("a b") && !text_is_id("a:b"));
    cr_assert(text_is_key("reg/MSExchangeMSMI/ImagePath") && text_is_key("share/Maildat$"));
    cr_assert(!text_is_key("a b") && !text_is_key("a:b"));
}

Test(text, versions_compare_by_number)
{
    cr_assert_lt(text_vercmp("6.5.7226.0", "6.5.7232.54"), 0);
    cr_assert_gt(text_vercmp("6.5.7232.100", "6.5.7232.54"), 0);
    cr_assert_eq(text_vercmp("6.5.7232.54", "6.5.7232.54"), 0);
    cr_assert_lt(text_vercmp("2", "10"), 0);
    cr_assert_gt(text_vercmp("b", "a"), 0, "non-numbers compare as text");
}

Test(text, copy_never_splits_a_character)
{
    char out[4];
    text_copy(out, sizeof out, "a✓b");
    cr_assert_str_eq(out, "a");
}
