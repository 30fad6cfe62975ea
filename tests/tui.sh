#!/bin/sh
# End-to-end tests of the curses wizard through a real terminal (tmux):
# what is on the screen after real keys, terminal state after signals,
# resize, NO_COLOR and LANG=C, escaped untrusted text, and golden screens
# (tests/golden/*.txt; GENERATE=1 rewrites them). With SHOTS=DIR the same
# run writes screenshots (text, SVG, PNG) into DIR: `make screenshots`.
srcdir=${top_srcdir:-.}
KBW=${KBWIZARD:-$PWD/kbwizard}
KBDATA=$(cd "${KBWIZARD_KBDATA:-$srcdir/kbdata}" && pwd)
GOLDEN=$srcdir/tests/golden/screens
. "$srcdir/tests/tmux-lib.sh"

command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed"; exit 0; }

start() { mkdir -p "$TM_DIR/work" && cd "$TM_DIR/work" && tm_start -e "KBWIZARD_KBDATA=$KBDATA" "$@"; cd - >/dev/null; }

# Compares the screen with a golden copy (or writes it with GENERATE=1).
golden() {
    tm_screen >"$TM_DIR/screen.txt"
    if [ -n "${GENERATE:-}" ]; then
        mkdir -p "$GOLDEN" && cp "$TM_DIR/screen.txt" "$GOLDEN/$1.txt"
        tap_ok "golden $1 written"
    elif cmp -s "$TM_DIR/screen.txt" "$GOLDEN/$1.txt"; then
        tap_ok "screen $1 matches its golden copy"
    else
        tap_fail "screen $1 differs from tests/golden/$1.txt"
        diff "$GOLDEN/$1.txt" "$TM_DIR/screen.txt" | head -30 | sed 's/^/# /' >&2
    fi
    [ -n "${SHOTS:-}" ] && tm_shot "$1" "$SHOTS" >/dev/null 2>&1
    return 0
}

check() { if "$@"; then tap_ok "$DESC"; else tap_fail "$DESC"; fi; }

# The box of NODE2 is the right half of the diagram: does it hold the X?
x_on_screen() { tm_screen | grep -q '╲'; }
no_x() { ! x_on_screen; }

# ---- 889528 lab, clustered method, through the picker ---------------------------
TM_W=100 TM_H=30
start -- "$KBW" --no-animation
DESC="picker lists the five articles"; check tm_wait '889528'
golden picker
tm_type 889528; tm_keys Enter
DESC="Enter opens the article page"; check tm_wait 'Methods (choose one'
golden article-889528
tm_keys Down; tm_type l
DESC="l opens the lab setup"; check tm_wait 'lab session'
tm_type Trainee
golden setup-lab
tm_keys F10
DESC="F10 starts the wizard"; check tm_wait 'Step 1/22'
tm_type d; tm_wait 'Step 2/22' >/dev/null; tm_type d
DESC="the first checks complete with d"; check tm_wait 'Step 3/22'
tm_type d
DESC="the stopped passive node is marked DOWN"; check tm_wait 'DOWN'
DESC="and crossed by the X"; check x_on_screen
golden wizard-889528-passive-down
tm_type ':'; tm_wait 'Action:' >/dev/null; tm_type 'start-service NODE2 ClusSvc'; tm_keys Enter
tm_wait_gone 'DOWN' >/dev/null
tm_type d
DESC="the hotfix gate holds while the Cluster service runs"; check tm_wait 'REFUSED'
golden wizard-889528-gate-refused
tm_keys Tab Right Enter
DESC="Enter on a node opens its action menu"; check tm_wait 'Stop Cluster service'
golden lab-action-menu
tm_keys Enter
DESC="the menu stops the Cluster service: DOWN again"; check tm_wait 'DOWN'
tm_keys Escape; tm_type d
DESC="with the Cluster service stopped the hotfix goes in"; check tm_wait 'Step 5/22'
tm_type d
DESC="after the restart the node rejoins"; check tm_wait_gone 'DOWN'
DESC="and the X is gone"; check no_x
i=0
while [ $i -lt 40 ] && ! tm_screen | grep -q 'Method finished'; do
    if tm_screen | grep -q 'choice ─'; then tm_keys Enter; else tm_type d; fi
    i=$((i + 1)); sleep 0.05
done
DESC="the whole clustered method is walked through the keys to success"; check tm_wait 'Success: the goal is reached'
golden wizard-889528-finished
tm_type S; tm_wait 'Sign off: your name' >/dev/null; tm_type 'Trainer One'; tm_keys Enter
DESC="S signs the record off"; check tm_wait 'Sign-off recorded: Trainer One'
tm_type e; tm_wait 'Export the record' >/dev/null; tm_keys Enter
DESC="e exports the record and says where, with the chain head"; check tm_wait_re 'Exported to kbwizard-.*\.md +Chain head: [0-9]+:'
exported=$(ls "$TM_DIR"/work/kbwizard-*.md 2>/dev/null | head -1)
if [ -n "$exported" ] && grep -q 'Trainer One' "$exported" && "$KBW" verify-signoff "$(ls "$TM_DIR"/state/kbwizard/sessions/*.journal | head -1)" >/dev/null 2>&1; then
    tap_ok "the export holds the sign-off and the journal verifies"
else
    tap_fail "the export holds the sign-off and the journal verifies"
fi
tm_type q
DESC="q after the end quits at once"; check tm_wait_exit
tap_is "$(tm_flags)" "0 1 1 0" "the terminal is restored on quit"

# ---- 312395 lab: Common Files removed ----------------------------------------------
start -- "$KBW" lab 312395 --method method2-repair --no-animation
tm_wait 'lab session' >/dev/null; tm_keys F10; tm_wait 'Step 1/' >/dev/null
tm_type d; tm_wait 'Step 2/' >/dev/null
tm_keys Tab Right; tm_type a
DESC="a opens Add/Remove components with check boxes"; check tm_wait 'Common Files'
golden lab-components
tm_keys Enter
DESC="Enter clears the Common Files box"; check tm_wait_re '\[ \] [A-Za-z ]*Common Files'
n=0; while [ $n -lt 12 ]; do tm_keys Down; n=$((n + 1)); done; tm_keys Enter
DESC="removing Common Files takes the Cluster service: NODE2 DOWN"; check tm_wait 'DOWN'
tm_keys Escape; tm_type d
DESC="the next gate refuses"; check tm_wait 'REFUSED'
tm_type q; tm_wait 'Type quit' >/dev/null
tm_type quit; tm_keys Enter
DESC="quit asks for confirmation while a session is open"; check tm_wait_exit

# ---- 241573 guided: gate attestation and reasons --------------------------------
start -- "$KBW" guided 241573 --method corrupted --no-animation
tm_wait 'guided session' >/dev/null
tm_type Operator; tm_keys Tab; tm_type -BIS
tm_keys F10; tm_wait 'Step 1/' >/dev/null
tm_keys Enter; tm_wait 'Step 2/' >/dev/null
tm_keys Enter
DESC="a gated step asks for the name"; check tm_wait 'to attest:'
tm_type WRONGNODE; tm_keys Enter
DESC="a wrong name is refused"; check tm_wait 'does not match'
golden guided-gate-refused
node=$(tm_screen | sed -n 's/.*Remove the Option Pack from \([A-Za-z0-9_-]*\).*/\1/p' | head -1)
tm_keys Enter; tm_wait 'to attest:' >/dev/null; tm_type "$node"; tm_keys Enter
DESC="the bound name is accepted ($node)"; check tm_wait 'Step 3/'
tm_type s
DESC="skip asks for a reason"; check tm_wait 'Reason for skipping'
tm_keys Enter
DESC="an empty reason records nothing"; check tm_wait 'needs a written reason'
tm_type q; tm_wait 'Type quit' >/dev/null; tm_type quit; tm_keys Enter; tm_wait_exit >/dev/null

# ---- the record: kill -9, resume from the picker, one wizard per session ---------
rm -rf "$TM_DIR/state"
start -- "$KBW" guided 889528 --method clustered --no-animation
tm_wait 'guided session' >/dev/null; tm_type Ann; tm_keys F10; tm_wait 'Step 1/22' >/dev/null
tm_keys Enter; tm_wait 'to attest:' >/dev/null; tm_type SP1; tm_keys Enter
tm_wait 'Step 2/22' >/dev/null
kill -9 "$(tm_pid)"; tm_wait_exit >/dev/null
start -- "$KBW"
DESC="the picker offers the unfinished session first"; check tm_wait 'Unfinished sessions'
tm_keys Enter
DESC="resuming shows the last recorded step and asks to check"; check tm_wait 'The last step the journal recorded is 1'
tm_keys Enter
DESC="the wizard resumes at the right step"; check tm_wait 'Step 2/22'
id=$(ls "$TM_DIR/state/kbwizard/sessions/" | sed -n 's/\.journal$//p' | head -1)
XDG_STATE_HOME="$TM_DIR/state" KBWIZARD_KBDATA="$KBDATA" "$KBW" run --resume "$id" --auto >"$TM_DIR/second.txt" 2>&1
if grep -q 'pid [0-9]* on' "$TM_DIR/second.txt"; then tap_ok "a second opener of the session is refused, naming the holder"
else tap_fail "second opener refused"; sed 's/^/# /' "$TM_DIR/second.txt" >&2; fi
tm_type q; tm_wait 'Type quit' >/dev/null; tm_type quit; tm_keys Enter; tm_wait_exit >/dev/null

# ---- resize, signals, NO_COLOR, LANG=C -------------------------------------------
start -- "$KBW"
tm_wait '889528' >/dev/null
tm_resize 60 20
DESC="60x20 shows the too-small screen"; check tm_wait 'Terminal too small'
golden too-small
tm_resize 100 30
DESC="100x30 restores the picker"; check tm_wait 'pick an article'
tm_type 889528; tm_keys Enter; tm_type l; tm_keys F10; tm_wait 'Step 1/' >/dev/null
for size in "1 1" "2 1" "1 3" "5 2" "80 24" "79 24" "3 3" "40 10"; do tm_resize $size; sleep 0.02; done
tm_resize 1 1; sleep 0.2; tm_resize 100 30
DESC="a storm of resizes down to 1x1 and back: the wizard is still there"; check tm_wait 'Step 1/'
for sig in TERM HUP QUIT; do
    start -- "$KBW"
    tm_wait '889528' >/dev/null
    tm_signal $sig; tm_wait_exit >/dev/null
    flags=$(tm_flags)
    case $flags in "0 1 1 "*) tap_ok "SIG$sig leaves the terminal restored ($flags)" ;;
    *) tap_fail "SIG$sig leaves the terminal restored: $flags" ;; esac
done
if command -v bash >/dev/null; then
    start -- bash --norc --noprofile -i
    tm_type "PS1='sh> '; \"$KBW\" lab 889528 --method clustered"; tm_keys Enter
    tm_wait 'lab session' >/dev/null; tm_keys F10; tm_wait 'Step 1/22' >/dev/null
    tm_keys C-z
    DESC="Ctrl-Z suspends to a sane shell"; check tm_wait 'Stopped'
    case $(tm_fmt '#{alternate_on} #{cursor_flag}') in "0 1") tap_ok "suspended: main screen, cursor visible" ;;
    *) tap_fail "suspended: main screen, cursor visible" ;; esac
    tm_type fg; tm_keys Enter
    DESC="fg repaints the wizard in full"; check tm_wait 'Step 1/22'
fi
start -e NO_COLOR=1 -- "$KBW" lab 889528 --method clustered --no-animation
tm_wait 'lab session' >/dev/null; tm_keys F10
DESC="NO_COLOR: the wizard is readable"; check tm_wait 'Step 1/22'
esc=$(printf '\033')
case $(tm_screen_colour | grep -c "$esc\[3[1-7]m") in 0) tap_ok "NO_COLOR: no colour escapes" ;; *) tap_fail "NO_COLOR: colour escapes on screen" ;; esac
TM_LANG=C start -- "$KBW" lab 889528 --method clustered --no-animation
tm_wait 'lab session' >/dev/null; tm_keys F10; tm_wait 'Step 1/22' >/dev/null
DESC="LANG=C: ASCII boxes and marks"; check tm_wait '+- Steps'
golden wizard-ascii

# ---- untrusted text ------------------------------------------------------------------
bad=$TM_DIR/badkb; mkdir -p "$bad"; cp "$KBDATA"/*.cfg "$bad/"
sed -i '0,/title = "Confirm Exchange 2003 SP1 on both nodes"/s//title = "Confirm \\x1b]0;PWNED\\x07SP1"/' "$bad/889528.cfg"
"$KBW" lint "$bad/889528.cfg" >/dev/null 2>&1; rc=$?
tap_is "$rc" 1 "lint refuses a step title holding an escape sequence"
start -e "KBWIZARD_TEST_UNSAFE_TEXT=1" -e "KBWIZARD_KBDATA=$bad" -- "$KBW" lab 889528 --method clustered
tm_wait 'lab session' >/dev/null; tm_keys F10
DESC="through the test seam the escape is drawn escaped"; check tm_wait '^[]0;PWNED^G'
case $(tm_fmt '#{pane_title}') in *PWNED*) tap_fail "the title was not changed" ;; *) tap_ok "the terminal title was not changed" ;; esac
tm_kill

# ---- plain mode: no terminal, or TERM=dumb -------------------------------------------
printf 'Ann\n\nEXCH-B\n\nSP1\nq\n' | TERM=dumb XDG_STATE_HOME="$TM_DIR/state" KBWIZARD_KBDATA="$KBDATA" "$KBW" guided 889528 --method clustered \
    >"$TM_DIR/plain.txt" 2>&1
if grep -q 'GATE: type SP1 to attest' "$TM_DIR/plain.txt" && grep -q 'EXCH-B owns neither' "$TM_DIR/plain.txt" \
    && ! grep -q "$(printf '\033')" "$TM_DIR/plain.txt"; then
    tap_ok "TERM=dumb: the guided session runs in the plain line mode with the bound names"
else
    tap_fail "plain mode"; sed 's/^/# /' "$TM_DIR/plain.txt" >&2
fi
tap_done
