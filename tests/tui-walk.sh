#!/bin/sh
# Every method of every article, in the lab and guided, walked to its goal
# through the wizard's keys alone, as a person at a 100x30 terminal would:
# d (lab) or Enter (guided) for a step, Enter at a choice (the option the
# cluster's state fits is preselected), and at a gate the name it asks for,
# read off the screen (the setup form shows which node plays each role).
srcdir=${top_srcdir:-.}
KBW=${KBWIZARD:-$PWD/kbwizard}
KBDATA=$(cd "${KBWIZARD_KBDATA:-$srcdir/kbdata}" && pwd)
. "$srcdir/tests/tmux-lib.sh"

TM_W=100 TM_H=30

# Waits until the screen differs from $1 and then holds still (at most 5 s).
changed() {
    i=0 last=$1
    while [ $i -lt 250 ]; do
        now=$(tm_screen)
        [ "$now" != "$1" ] && [ "$now" = "$last" ] && return 0
        last=$now
        sleep 0.03; i=$((i + 1))
    done
    return 1
}

# The setup form lists "ROLE node: ..." then "[ NODE ]": print "ROLE NODE" lines.
roles() {
    tm_screen | awk '/ node: /{sub(/^ */, ""); split($0, w, " "); role = w[1]; next}
        role && /\[ /{gsub(/[][ ]/, ""); print role, $0; role = ""}'
}

# What a gate prompt asks to type.
answer() {
    prompt=$(tm_screen | grep 'to attest:' | tail -1)
    case $prompt in
    *"type the name of the "*)
        role=$(echo "$prompt" | sed 's/.*type the name of the \([^ ]*\) node.*/\1/')
        echo "$ROLES" | awk -v r="$role" '$1 == r {print $2}' ;;
    *) echo "$prompt" | sed 's/.*GATE: type \(.*\) to attest:.*/\1/' ;;
    esac
}

walk() { # ID METHOD MODE
    mkdir -p "$TM_DIR/work" && cd "$TM_DIR/work" || return 1
    tm_start -e "KBWIZARD_KBDATA=$KBDATA" -- "$KBW" "$3" "$1" --method "$2" --no-animation
    cd - >/dev/null
    tm_wait 'session' >/dev/null || return 1
    ROLES=$(roles)
    tm_type Walker; tm_keys F10
    tm_wait_re 'Step [0-9]+/' >/dev/null || return 1
    n=0
    while [ $n -lt 200 ]; do
        screen=$(tm_screen)
        case $screen in *'Method finished'*) break ;; esac
        if echo "$screen" | grep -q 'to attest:'; then
            tm_type "$(answer)"; tm_keys Enter
        elif echo "$screen" | grep -q '─ Step [0-9]*/[0-9]* choice'; then
            tm_keys Enter
        elif [ "$3" = lab ]; then
            tm_type d
        else
            tm_keys Enter
        fi
        changed "$screen" || { tap_diag "$1 $2 $3: the screen did not change"; tm_screen | sed 's/^/# |/' >&2; return 1; }
        n=$((n + 1))
    done
    tm_wait 'Success: the goal is reached' 2 >/dev/null
}

"$KBW" list --json | python3 -c 'import json,sys
for a in json.load(sys.stdin):
    for m in a["methods"]: print(a["id"], m["id"])' >"$TM_DIR/methods"
while read -r id m; do
    for mode in lab guided; do
        if walk "$id" "$m" "$mode"; then tap_ok "$id $m, $mode: walked to the goal through the keys"
        else tap_fail "$id $m, $mode: walked to the goal through the keys"; fi
        tm_kill
    done
done <"$TM_DIR/methods"
tap_done
