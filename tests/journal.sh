#!/bin/sh
# The journal's durability contract through the real binary (TAP): kill -9
# at random moments loses no acknowledged step and resume continues at the
# right step; a full disk (ulimit -f) and a failing sync (the test seam
# KBWIZARD_TEST_FAIL_SYNC) stop the run with "step NOT recorded" and harm
# nothing recorded; a second opener is refused naming the holder; a torn
# tail is set aside; a corrupt journal is refused and left untouched.
srcdir=${top_srcdir:-.}
kbw=${KBWIZARD:-./kbwizard}
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
XDG_STATE_HOME="$tmp/state" && export XDG_STATE_HOME
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; [ -f "$tmp/err" ] && sed 's/^/# /' "$tmp/err" | head -20; }
# Event records among the complete lines (a kill can tear the last write).
events() { if [ -f "$1" ]; then head -n "$(wc -l <"$1")" "$1" | grep -c '"type":"event"'; else echo 0; fi; }
acks() { grep -c '^> ' "$1" 2>/dev/null; }
# (Never put `run` in the background: $! would be the subshell, not kbwizard.)
run() { "$kbw" run 889528 --guided --method clustered "$@"; }

# The script: every step of the article (as --auto does them) and notes after each.
run --auto | sed -n 's/^> //p' | awk '{print; for (i = 1; i <= 12; i++) print "note " i " after line " NR}' >"$tmp/script"
total=$(wc -l <"$tmp/script")
run --script "$tmp/script" >"$tmp/ref" 2>&1
ref_steps=$(grep '^Steps:' "$tmp/ref")
ref_result=$(grep '^Result:' "$tmp/ref")
[ -n "$ref_steps" ] && [ "$total" -gt 40 ] && ok "reference run: $total events, $ref_result" || notok "reference run"

# --- kill -9 at random moments ------------------------------------------------
# Delays spread over the length of one journaled run; a deadline bounds the loop.
# The journals live in /dev/shm when there is one: a process kill leaves the
# page cache intact, so this tests the order write, sync, acknowledge without
# waiting for a disk that other jobs may be using.
kdir="$tmp"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then kdir=$(mktemp -d /dev/shm/kbwizard-kill.XXXXXX) || kdir="$tmp"; fi
trap 'rm -rf "$tmp"; [ "$kdir" = "$tmp" ] || rm -rf "$kdir"' EXIT
start=$(date +%s)
: >"$tmp/empty"
t0=$(date +%s%N); run --script "$tmp/empty" --journal "$kdir/timing0.journal" >/dev/null 2>&1
t1=$(date +%s%N); run --script "$tmp/script" --journal "$kdir/timing.journal" >/dev/null 2>&1; t2=$(date +%s%N)
boot=$(( (t1 - t0) / 1000 )); span=$(( (t2 - t1) / 1000 - boot ))   # microseconds
[ "$span" -gt 0 ] || span=1000
awk -v boot="$boot" -v span="$span" 'BEGIN { srand(4242); for (i = 0; i < 400; i++) printf "%.6f\n", (boot * 0.9 + rand() * span * 1.2) / 1e6 }' >"$tmp/delays"
trials=0; lost=0; extra=0; badresume=0; mid=0; torn=0
while read -r d; do
    [ "$trials" -ge 200 ] && break
    [ $(( $(date +%s) - start )) -ge 75 ] && break
    j="$kdir/k.journal"; rm -f "$j" "$j".*
    "$kbw" run 889528 --guided --method clustered --script "$tmp/script" --journal "$j" >"$tmp/kout" 2>/dev/null &
    pid=$!
    sleep "$d"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    trials=$((trials + 1))
    a=$(acks "$tmp/kout"); e=$(events "$j")
    [ "$e" -lt "$a" ] && lost=$((lost + 1)) && echo "# trial $trials: $a acknowledged, $e recorded" >&2
    [ "$e" -gt $((a + 1)) ] && extra=$((extra + 1))
    [ "$e" -gt 0 ] && [ "$e" -lt "$total" ] && mid=$((mid + 1))
    [ -s "$j" ] && [ "$(tail -c 1 "$j" | od -An -c | tr -d ' ')" != '\n' ] && torn=$((torn + 1))
    # Resume where the kill landed mid-session (a finished run has nothing left to do).
    [ "$e" -lt "$total" ] && grep -q '"type":"start"' "$j" 2>/dev/null || continue
    tail -n +"$((e + 1))" "$tmp/script" >"$tmp/rest"
    "$kbw" run --resume "$j" --script "$tmp/rest" >"$tmp/rout" 2>"$tmp/rerr"
    if [ "$(grep '^Steps:' "$tmp/rout")" != "$ref_steps" ] || [ "$(events "$j")" != "$total" ]; then
        badresume=$((badresume + 1)); cp "$tmp/rout" "$tmp/err"
    fi
done <"$tmp/delays"
echo "# kill -9: $trials trials in $(( $(date +%s) - start )) s, $mid killed mid-session, $torn torn last records"
[ "$trials" -ge 200 ] && [ "$lost" = 0 ] && [ "$extra" = 0 ] \
    && ok "kill -9 x$trials: no acknowledged step lost, at most one unacknowledged record" \
    || notok "kill -9: $trials trials, $lost lost acknowledged steps, $extra with more than one extra"
[ "$badresume" = 0 ] && [ "$mid" -ge 20 ] && ok "resume after kill -9 continues at the right step ($mid mid-session kills)" \
    || notok "resume after kill -9: $badresume bad, $mid mid-session"

# --- a failing sync (test seam) ---------------------------------------------------
j="$tmp/sync.journal"
KBWIZARD_TEST_FAIL_SYNC=5 run --script "$tmp/script" --journal "$j" >"$tmp/out" 2>"$tmp/err"
rc=$?
a=$(acks "$tmp/out"); e=$(events "$j")
fourth=$(sed -n 4p "$tmp/script")
[ "$rc" = 2 ] && grep -q 'step NOT recorded' "$tmp/err" && [ "$a" = 3 ] && [ "$e" = 4 ] \
    && ! grep -q '^Result' "$tmp/out" && [ "$(grep -c "^> $fourth\$" "$tmp/out")" = 0 ] \
    && "$kbw" verify-signoff "$j" >/dev/null \
    && ok "failing sync: exit 2, \"step NOT recorded\", the step not shown, records intact" \
    || notok "failing sync (rc $rc, $a acknowledged, $e recorded)"
tail -n +5 "$tmp/script" >"$tmp/rest"
"$kbw" run --resume "$j" --script "$tmp/rest" >"$tmp/out" 2>"$tmp/err" \
    && [ "$(grep '^Steps:' "$tmp/out")" = "$ref_steps" ] && ok "a session whose sync failed resumes and finishes" \
    || notok "resume after a failed sync"

# --- disk full: ulimit -f with SIGXFSZ ignored ---------------------------------------
j="$tmp/full.journal"
( trap '' XFSZ; ulimit -f 16; exec "$kbw" run 889528 --guided --method clustered --script "$tmp/script" --journal "$j" ) \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
a=$(acks "$tmp/out"); e=$(events "$j")
[ "$rc" = 2 ] && grep -q 'step NOT recorded' "$tmp/err" && [ "$e" = "$a" ] && [ "$a" -gt 0 ] \
    && [ "$a" -lt "$total" ] && "$kbw" verify-signoff "$j" >/dev/null \
    && ok "disk full: exit 2, \"step NOT recorded\", $a acknowledged = $e recorded, the journal intact" \
    || notok "disk full (rc $rc, $a acknowledged, $e recorded)"

# --- the lock: a second opener is refused, naming the holder ---------------------------
j="$tmp/lock.journal"
mkfifo "$tmp/fifo"
"$kbw" run 889528 --guided --method clustered --script - --journal "$j" <"$tmp/fifo" >"$tmp/hold" 2>&1 &
holder=$!
exec 9>"$tmp/fifo"
echo "operator Ann" >&9
i=0; until grep -q '^> operator' "$tmp/hold" || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
"$kbw" run --resume "$j" --auto >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q "open in another wizard (pid $holder on .*operator Ann)" "$tmp/err" \
    && ok "a second opener is refused, naming pid, host and operator" || notok "second opener (rc $rc)"
"$kbw" sessions >/dev/null; "$kbw" signoff "$j" --name Zed >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] && grep -q 'open in another wizard' "$tmp/err" && ok "signoff is refused on an open session too" \
    || notok "signoff on an open session"
kill -9 "$holder"; wait "$holder" 2>/dev/null; exec 9>&-
"$kbw" run --resume "$j" --auto >"$tmp/out" 2>"$tmp/err" && grep -q '^Resumed: ' "$tmp/out" \
    && grep -q '^Result: goal reached' "$tmp/out" && ok "after kill -9 the kernel released the lock: resume works" \
    || notok "resume after killing the holder"

# --- torn tail and corruption through the command line --------------------------------
j="$tmp/t.journal"
run --script "$tmp/script" --journal "$j" >/dev/null 2>&1
size=$(wc -c <"$j")
head -c $((size - 30)) "$j" >"$tmp/torn.journal"
"$kbw" verify-signoff "$tmp/torn.journal" >"$tmp/out"; rc=$?
[ "$rc" = 1 ] && grep -q "record $(wc -l <"$j" | tr -d ' ') does not match: incomplete" "$tmp/out" \
    && ok "verify-signoff names a torn last record" || notok "verify torn ($rc)"
"$kbw" run --resume "$tmp/torn.journal" --auto >"$tmp/out" 2>"$tmp/err"
[ "$(head -c 30 "$tmp/torn.journal.torn" | wc -c)" -gt 0 ] && grep -q 'set aside in .*torn.journal.torn' "$tmp/err" \
    && "$kbw" verify-signoff "$tmp/torn.journal" >/dev/null && grep -q '"type":"recovered"' "$tmp/torn.journal" \
    && ok "resume sets a torn tail aside in .torn, reports it and records the recovery" || notok "torn tail recovery"
sed '5s/"note"/"nOte"/' "$j" >"$tmp/bad.journal"
cp "$tmp/bad.journal" "$tmp/bad.copy"
"$kbw" run --resume "$tmp/bad.journal" --auto >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" = 2 ] && grep -q 'record 5 does not match.*corrupted or tampered' "$tmp/err" && cmp -s "$tmp/bad.journal" "$tmp/bad.copy" \
    && [ ! -e "$tmp/bad.journal.torn" ] && ok "a bad record followed by valid ones: refused, flagged, never truncated" \
    || notok "corrupt journal (rc $rc)"
"$kbw" verify-signoff "$tmp/bad.journal" >"$tmp/out"
[ $? = 1 ] && grep -q 'record 5 does not match' "$tmp/out" && ok "verify-signoff names the first bad record" || notok "verify corrupt"

# --- truncation at byte offsets through the command line (every offset is in the unit tests) ---
bad=""
for off in 0 1 100 $((size / 3)) $((size / 2)) $((size - 1)) "$size"; do
    head -c "$off" "$j" >"$tmp/cut"
    want=$(head -c "$off" "$j" | tr -cd '\n' | wc -c)
    "$kbw" verify-signoff "$tmp/cut" >"$tmp/out" 2>&1
    if [ "$off" = "$size" ]; then grep -q "intact, $want records" "$tmp/out" || bad="$bad $off"
    elif [ "$off" = 0 ]; then grep -q 'no record' "$tmp/out" || bad="$bad $off"
    else grep -q "record $((want + 1)) does not match" "$tmp/out" || bad="$bad $off"; fi
done
[ -z "$bad" ] && ok "truncated copies: verify-signoff accepts exactly the complete records" || notok "truncation:$bad"
echo "1..$n"
