#!/bin/sh
# Runs every tests/cases/*.case: a headless script whose header comments say
# the arguments (# args:), the expected exit status (# exit:, default 0) and
# substrings standard output must contain (# stdout:). A failed `assert` line
# fails the case whatever exit status it expects. TAP output.
srcdir=${top_srcdir:-.}
kbw=${KBWIZARD:-./kbwizard}
out=$(mktemp) && trap 'rm -f "$out"' EXIT
set -- "$srcdir"/tests/cases/*.case
echo "1..$#"
n=0
for case in "$@"; do
    n=$((n + 1))
    name=$(basename "$case" .case)
    args=$(sed -n 's/^# args: *//p' "$case" | head -1)
    want=$(sed -n 's/^# exit: *//p' "$case" | head -1)
    want=${want:-0}
    # shellcheck disable=SC2086
    "$kbw" run $args --script "$case" >"$out" 2>&1
    got=$?
    problem=""
    [ "$got" = "$want" ] || problem="exit status $got, expected $want"
    if [ -z "$problem" ]; then
        problem=$(sed -n 's/^# stdout: *//p' "$case" | while IFS= read -r s; do
            grep -qF -- "$s" "$out" || echo "missing in output: $s"; done | head -1)
    fi
    if [ -z "$problem" ] && grep -q 'assert failed' "$out"; then
        problem="an assertion failed"
    fi
    if [ -z "$problem" ]; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name: $problem"
        sed 's/^/# /' "$out" | tail -n 40
    fi
done
