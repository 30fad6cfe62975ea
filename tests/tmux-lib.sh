# tmux-lib.sh - drive a terminal program through a real terminal (tmux) in
# tests, and report in TAP. POSIX sh; source it:
#
#     . "${top_srcdir:-.}/tests/tmux-lib.sh"
#     tm_start -x 100 -y 30 -- "$KBWIZARD"
#     tm_wait 'Articles' && tap_ok "picker shows" || tap_fail "picker shows"
#     tm_keys Enter; tm_type 'EXCH-B'
#     tm_signal TERM; tm_wait_exit
#     tap_is "$(tm_flags)" "0 1 1 143" "SIGTERM restores the terminal, exit 128+15"
#     tap_done
#
# Sourcing it without tmux installed prints "Bail out!" and exits 1.
# Each tm_start runs one program on its own tmux server (private socket
# kbw<shell pid>-<N> in a private temp dir, config written here: status line
# off, so the pane is the whole W x H window). The program gets a pinned
# environment (env -i): TERM, LANG, LC_ALL, HOME and XDG_STATE_HOME in a temp
# dir, PATH, the sanitizer option variables if set, and any -e NAME=VALUE.
# The program is exec'd, so #{pane_pid} is the program itself.
#
# Terminal state after the program ends. tmux 3.3 clears a pane's cursor
# flag the moment it marks the pane dead (measured: #{cursor_flag} reads 0
# after any exit; alternate_on and the keypad/mouse flags survive), and it
# marks it dead on SIGCHLD, possibly before it has read the program's last
# bytes. So every program runs with pipe-pane on from its first byte: with a
# pipe, tmux waits until it has read and forwarded all the output before it
# marks the pane dead, and the pipe records the raw output ($TM_DIR/raw.N).
# After the end, tm_flags replays that record into a fresh pane of the same
# server and reads the terminal state there, so the state reported is tmux's
# own, of exactly the bytes the program wrote. The program is held at a gate
# until the pipe is attached, then exec'd (#{pane_pid} is the program; a
# Ctrl-Z stop is continued by tmux, as for any pane).

# Tunables (set before calling tm_start):
#   TM_TIMEOUT   default deadline of the waits, seconds (10)
#   TM_W, TM_H   default size (100 x 30)
#   TM_TERM      TERM for the program (xterm-256color)
#   TM_LANG      LANG for the program (C.UTF-8)
#   TM_LC_ALL    LC_ALL for the program (defaults to TM_LANG; set it empty to
#                leave LC_ALL unset)
#   TM_NO_BCE    1 (default): the program sees TERM's terminfo entry without
#                "bce" (a private copy, TERMINFO=$TM_DIR/terminfo). tmux 3.3's
#                capture-pane -e leaves out cells cleared with a background
#                colour (what curses does on a bce terminal), so colour
#                captures and screenshots would lose coloured areas; without
#                bce, curses writes those blanks as cells. 0: the system entry.
#   TM_PASS_ENV  variables passed through when set (ASAN_OPTIONS UBSAN_OPTIONS
#                LSAN_OPTIONS MSAN_OPTIONS)
#   TM_TOOLS     directory of ansi2svg.py and screenshot.sh
#                (${top_srcdir:-.}/tools)
#   TM_PYTHON    python3 (the output recorder, and the screenshot tools)
#
# Functions (all return non-zero on failure; diagnostics go to stderr as
# "# ..." lines, so they never break the TAP stream on stdout):
#   tm_start [-x W] [-y H] [-e NAME=VALUE]... [--] CMD [ARG...]
#   tm_wait TEXT [SECONDS]       until a line of the screen contains TEXT
#   tm_wait_re ERE [SECONDS]     the same with an extended regular expression
#   tm_wait_gone TEXT [SECONDS]  until no line contains TEXT
#   tm_wait_exit [SECONDS]       until the program has ended and tmux has
#                                processed all its output
#   tm_keys KEY...               tmux send-keys (key names: Enter Escape Up C-c)
#   tm_type TEXT                 send TEXT literally (send-keys -l)
#   tm_screen                    the screen as text (capture-pane -p)
#   tm_screen_all                scrolled-off lines too (plain line mode)
#   tm_screen_colour             with SGR escapes (capture-pane -p -e -N)
#   tm_resize W H                resize the window (the program gets SIGWINCH)
#   tm_flags                     "ALT CURSOR DEAD STATUS": #{alternate_on},
#                                #{cursor_flag}, #{pane_dead}, the exit status
#                                (#{pane_dead_status}) or sigN for a death by
#                                signal N, "-" while running; after the end
#                                ALT and CURSOR are those the program left
#   tm_fmt FORMAT                a tmux format of the program's pane
#   tm_term_fmt FORMAT           a format of its terminal state: the live pane,
#                                or after the end the replay (e.g.
#                                '#{keypad_cursor_flag} #{mouse_any_flag}')
#   tm_raw                       path of the raw output record (complete after
#                                tm_wait_exit; while running it may lag)
#   tm_pid                       the program's pid
#   tm_signal SIG                kill -s SIG the program (TERM, HUP, QUIT, INT)
#   tm_shot NAME [DIR]           tools/screenshot.sh of the current screen
#   tm_kill                      end the tmux server (and a program that
#                                survives its SIGHUP)
#   tm_cleanup                   tm_kill and remove the temp dir (EXIT trap)
#   tm_atexit 'COMMAND'          also run COMMAND in the cleanup
# TAP:
#   tap_ok NAME, tap_fail NAME, tap_check NAME CMD [ARG...],
#   tap_is GOT WANT NAME, tap_skip NAME REASON, tap_diag TEXT,
#   tap_bail REASON, tap_done (prints the plan "1..N" at the end; failures
#   are carried by the "not ok" lines, as in the repository's other tests)

# shellcheck shell=sh disable=SC2016,SC2119,SC2120
# (SC2016: the launcher and replay scripts are single-quoted on purpose.)
TM_TIMEOUT=${TM_TIMEOUT:-10}
TM_W=${TM_W:-100}
TM_H=${TM_H:-30}
TM_TERM=${TM_TERM:-xterm-256color}
TM_LANG=${TM_LANG:-C.UTF-8}
TM_PASS_ENV=${TM_PASS_ENV-ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS MSAN_OPTIONS}
TM_TOOLS=${TM_TOOLS:-${top_srcdir:-.}/tools}
TM_N=0          # servers started so far
TM_SOCK=        # socket name of the current server
TM_PANE=        # its pane id (%0)
TM_PID=         # the program's pid
TM_ATEXIT=
TAP_N=0
TAP_FAILED=0

# ---- TAP -------------------------------------------------------------------
tap_diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
tap_ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }
tap_fail() {
    TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1))
    echo "not ok $TAP_N - $1"
}
tap_skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }
tap_check() {
    _tap_name=$1; shift
    if "$@"; then tap_ok "$_tap_name"; else tap_fail "$_tap_name"; fi
}
tap_is() {
    if [ "$1" = "$2" ]; then tap_ok "$3"; else
        tap_fail "$3"; tap_diag "got:  '$1'" "want: '$2'"; fi
}
tap_bail() { echo "Bail out! $*"; exit 1; }
tap_done() {
    echo "1..$TAP_N"
    [ "$TAP_FAILED" -eq 0 ] || tap_diag "$TAP_FAILED of $TAP_N failed"
    return 0
}

# ---- set-up and clean-up ---------------------------------------------------
command -v tmux >/dev/null 2>&1 || tap_bail "tmux is not installed (./bootstrap installs it)"
# Any python3 will do; the system one starts fastest (a pyenv shim adds 0.3 s).
if [ -z "${TM_PYTHON:-}" ]; then
    if [ -x /usr/bin/python3 ]; then TM_PYTHON=/usr/bin/python3; else TM_PYTHON=python3; fi
fi

TM_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kbwtm.XXXXXX") || tap_bail "mktemp failed"
mkdir "$TM_DIR/home" "$TM_DIR/state" || tap_bail "cannot create $TM_DIR/home"
# tmux puts its socket at $TMUX_TMPDIR/tmux-UID/NAME; keep it in our temp dir
# unless that path would be too long for a Unix socket.
if [ "${#TM_DIR}" -lt 70 ]; then TM_SOCKDIR=$TM_DIR; else TM_SOCKDIR=${TMUX_TMPDIR:-/tmp}; fi
# remain-on-exit keeps a dead pane's screen; an empty format keeps tmux from
# scrolling it to write "Pane is dead" on the last line.
cat >"$TM_DIR/tmux.conf" <<'EOF'
set -g status off
set -g remain-on-exit on
set -g remain-on-exit-format ""
set -g allow-rename off
set -s escape-time 0
EOF
# The output recorder, run by pipe-pane: copies the pane's output to RAW;
# once STOP exists (created after the pane is dead, when tmux has forwarded
# everything) it empties the pipe without blocking and creates DONE.
cat >"$TM_DIR/recorder.py" <<'EOF'
import os, select, sys
raw, stop, done = sys.argv[1:4]
with open(raw, "ab", buffering=0) as out:
    while True:
        if select.select([0], [], [], 0.02)[0]:
            data = os.read(0, 65536)
            if not data:
                break
            out.write(data)
        elif os.path.exists(stop):
            os.set_blocking(0, False)
            try:
                while True:
                    data = os.read(0, 65536)
                    if not data:
                        break
                    out.write(data)
            except BlockingIOError:
                pass
            break
open(done, "w").close()
EOF

tm_atexit() { TM_ATEXIT="$TM_ATEXIT
$1"; }
tm_cleanup() {
    tm_kill
    [ -n "$TM_ATEXIT" ] && eval "$TM_ATEXIT"
    rm -rf "$TM_DIR"
}
trap 'tm_cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# tmux itself always runs in a UTF-8 locale (it decodes the program's output
# and measures character widths with it), whatever the program is given.
_tm() {
    [ -n "$TM_SOCK" ] || { tap_diag "tm: no program started"; return 1; }
    TMUX='' TMUX_TMPDIR=$TM_SOCKDIR LC_ALL=C.UTF-8 tmux -L "$TM_SOCK" "$@"
}

# The clock: _tm_clock sets _tm_t to centiseconds since boot (/proc/uptime),
# or from date. (No command substitutions in the polling loops: a fork costs
# milliseconds on a loaded machine.)
_tm_clock() {
    if [ -r /proc/uptime ]; then
        read -r _tm_up _tm_rest </proc/uptime
        _tm_s=${_tm_up%.*}; _tm_f=${_tm_up#*.}
        case $_tm_f in ?) _tm_f=${_tm_f}0 ;; esac
        _tm_t=$((_tm_s * 100 + ${_tm_f#0}))
    else
        _tm_t=$(($(date +%s) * 100))
    fi
}
_tm_now() { _tm_clock; echo "$_tm_t"; }
_tm_nap() { sleep 0.02 2>/dev/null || sleep 1; }
# _tm_deadline [SECONDS] sets _tm_dl; _tm_late is true past it.
_tm_deadline() { _tm_clock; _tm_dl=$((_tm_t + ${1:-$TM_TIMEOUT} * 100)); }
_tm_late() { _tm_clock; [ "$_tm_t" -gt "$_tm_dl" ]; }

# _tm_q WORD sets _tm_qr to WORD quoted for eval.
_tm_q() {
    _tm_qs=$1 _tm_qr=
    while :; do
        case $_tm_qs in
        *\'*) _tm_qr="$_tm_qr${_tm_qs%%\'*}'\\''"; _tm_qs=${_tm_qs#*\'} ;;
        *) _tm_qr="'$_tm_qr$_tm_qs'"; break ;;
        esac
    done
}

# ---- start and stop ----------------------------------------------------------
# True when $TM_DIR/terminfo holds a copy of terminal $1 without bce (made
# here on first use, if the entry has bce and TM_NO_BCE is 1).
_tm_no_bce() {
    [ "${TM_NO_BCE:-1}" = 1 ] || return 1
    case $1 in ''|*/*|.*) return 1 ;; esac
    [ -e "$TM_DIR/terminfo/.nobce-$1" ] && return 0
    [ -e "$TM_DIR/terminfo/.asis-$1" ] && return 1
    mkdir -p "$TM_DIR/terminfo"
    if infocmp -x "$1" >"$TM_DIR/terminfo/src" 2>/dev/null &&
        grep -q '[[:space:]]bce,' "$TM_DIR/terminfo/src"; then
        sed 's/\([[:space:]]\)bce,/\1/' "$TM_DIR/terminfo/src" >"$TM_DIR/terminfo/src.nobce" &&
            tic -x -o "$TM_DIR/terminfo" "$TM_DIR/terminfo/src.nobce" 2>/dev/null &&
            : >"$TM_DIR/terminfo/.nobce-$1" && return 0
    fi
    : >"$TM_DIR/terminfo/.asis-$1"
    return 1
}

tm_kill() {
    if [ -n "$TM_SOCK" ]; then
        _tm kill-server 2>/dev/null
    fi
    # kill-server sends SIGHUP; a program that ignores it would linger.
    if [ -n "$TM_PID" ] && kill -0 "$TM_PID" 2>/dev/null; then
        _tm_i=0
        while kill -0 "$TM_PID" 2>/dev/null && [ $_tm_i -lt 50 ]; do
            _tm_nap; _tm_i=$((_tm_i + 1))
        done
        kill -9 "$TM_PID" 2>/dev/null
    fi
    TM_SOCK='' TM_PANE='' TM_PID='' TM_REPLAY=''
    return 0
}

# The launcher, run by /bin/sh in the pane: wait (at most ~20 s) for the
# gate file $1, then exec the rest (env -i NAME=VALUE... CMD ARG...).
_TM_LAUNCH='i=0; while [ ! -e "$1" ]; do
    i=$((i + 1)); [ $i -gt 1000 ] && exit 125
    sleep 0.02 2>/dev/null || sleep 1
done; shift; exec "$@"'

tm_start() {
    _tm_w=$TM_W; _tm_h=$TM_H; _tm_env=
    while [ $# -gt 0 ]; do
        case $1 in
        -x) _tm_w=$2; shift 2 ;;
        -y) _tm_h=$2; shift 2 ;;
        -e) case $2 in *=*) ;; *) tap_diag "tm_start: -e wants NAME=VALUE"; return 2 ;; esac
            _tm_q "$2"; _tm_env="$_tm_env $_tm_qr"; shift 2 ;;
        --) shift; break ;;
        *) break ;;
        esac
    done
    [ $# -gt 0 ] || { tap_diag "tm_start: no command"; return 2; }
    tm_kill
    TM_N=$((TM_N + 1))
    TM_SOCK="kbw$$-$TM_N"
    _tm_lcall=${TM_LC_ALL-$TM_LANG}
    set -- TERM="$TM_TERM" LANG="$TM_LANG" ${_tm_lcall:+LC_ALL="$_tm_lcall"} \
        HOME="$TM_DIR/home" XDG_STATE_HOME="$TM_DIR/state" PATH="$PATH" "$@"
    _tm_no_bce "$TM_TERM" && set -- TERMINFO="$TM_DIR/terminfo" "$@"
    for _tm_v in $TM_PASS_ENV; do
        _tm_val=''
        eval "_tm_set=\${$_tm_v+x} _tm_val=\${$_tm_v-}"
        [ -n "$_tm_set" ] && set -- "$_tm_v=$_tm_val" "$@"
    done
    # the variables, then -e NAME=VALUE (later ones win), then the command
    _tm_args=
    _tm_i=0
    for _tm_a in "$@"; do
        _tm_q "$_tm_a"
        case $_tm_a in
        *=*) ;;
        *) [ $_tm_i = 0 ] && _tm_args="$_tm_args $_tm_env" && _tm_i=1 ;;
        esac
        _tm_args="$_tm_args $_tm_qr"
    done
    _tm_go=$TM_DIR/go.$TM_N
    # new-session with several arguments execs them without a shell.
    eval "set -- sh -c \"\$_TM_LAUNCH\" kbw-launch \"\$_tm_go\" env -i $_tm_args"
    _tm_out=$(_tm -f "$TM_DIR/tmux.conf" new-session -d -x "$_tm_w" -y "$_tm_h" \
        -s kbw -P -F '#{pane_id} #{pane_pid}' -- "$@" 2>&1) || {
        tap_diag "tm_start: tmux new-session failed: $_tm_out"; TM_SOCK=; return 1; }
    TM_PANE=${_tm_out% *}; TM_PID=${_tm_out#* }
    _tm_cmd='exec'
    for _tm_a in "$TM_PYTHON" "$TM_DIR/recorder.py" "$TM_DIR/raw.$TM_N" \
        "$TM_DIR/stop.$TM_N" "$TM_DIR/done.$TM_N"; do
        _tm_q "$_tm_a"; _tm_cmd="$_tm_cmd $_tm_qr"
    done
    _tm pipe-pane -t "$TM_PANE" "$_tm_cmd" || {
        tap_diag "tm_start: pipe-pane failed"; tm_kill; return 1; }
    : >"$_tm_go"
    return 0
}

# ---- looking at the screen ---------------------------------------------------
tm_screen() { _tm capture-pane -p -t "$TM_PANE"; }
tm_screen_all() { _tm capture-pane -p -S - -E - -t "$TM_PANE"; }
tm_screen_colour() { _tm capture-pane -p -e -N -t "$TM_PANE"; }
tm_fmt() { _tm display-message -p -t "$TM_PANE" "$1"; }
tm_pid() { echo "$TM_PID"; }
tm_raw() { echo "$TM_DIR/raw.$TM_N"; }

# True once the program has ended (or the server is gone). With the pipe
# attached, a dead pane's screen is final.
_tm_dead() {
    case $(tm_fmt '#{pane_dead}' 2>/dev/null) in
    0) return 1 ;;
    *) return 0 ;;
    esac
}

_tm_show_screen() {
    tap_diag "$1" "screen $(tm_fmt '#{pane_width}x#{pane_height}' 2>/dev/null), flags $(tm_flags 2>/dev/null):"
    tm_screen 2>&1 | sed 's/^/# |/' >&2
}

# _tm_poll MODE PATTERN SECONDS: MODE F (fixed text on a line), E (extended
# regular expression on a line) or G (fixed text gone). Whether the program
# has ended is checked before the screen is read: a screen read after the end
# is final, so an unmet condition then fails at once.
_tm_poll() {
    _tm_mode=$1 _tm_pat=$2
    _tm_deadline "${3:-}"
    while :; do
        _tm_final=0; _tm_dead && _tm_final=1
        _tm_scr=$(tm_screen 2>/dev/null)
        case $_tm_mode in
        F) printf '%s\n' "$_tm_scr" | grep -F -q -e "$_tm_pat" && return 0 ;;
        E) printf '%s\n' "$_tm_scr" | grep -E -q -e "$_tm_pat" && return 0 ;;
        G) printf '%s\n' "$_tm_scr" | grep -F -q -e "$_tm_pat" || return 0 ;;
        esac
        case $_tm_mode in G) _tm_what="still there: '$_tm_pat'" ;; *) _tm_what="never saw '$_tm_pat'" ;; esac
        if [ $_tm_final = 1 ]; then
            _tm_show_screen "tm_wait: the program has ended; $_tm_what"
            return 1
        fi
        if _tm_late "$_tm_dl"; then
            _tm_show_screen "tm_wait: timeout (${3:-$TM_TIMEOUT} s); $_tm_what"
            return 1
        fi
        _tm_nap
    done
}
tm_wait() { _tm_poll F "$1" "${2:-}"; }
tm_wait_re() { _tm_poll E "$1" "${2:-}"; }
tm_wait_gone() { _tm_poll G "$1" "${2:-}"; }

# Wait for the end, then for the recorder to have the whole output.
tm_wait_exit() {
    _tm_deadline "${1:-}"
    until _tm_dead; do
        if _tm_late "$_tm_dl"; then
            _tm_show_screen "tm_wait_exit: still running after ${1:-$TM_TIMEOUT} s"
            return 1
        fi
        _tm_nap
    done
    : >"$TM_DIR/stop.$TM_N"
    until [ -e "$TM_DIR/done.$TM_N" ]; do
        if _tm_late "$_tm_dl"; then
            tap_diag "tm_wait_exit: the output recorder did not finish"
            return 1
        fi
        _tm_nap
    done
    return 0
}

# Replay the record into a new window (once per program) and wait for the
# marker written after it: then tmux has processed every byte.
_tm_replay() {
    [ -n "$TM_REPLAY" ] && return 0
    tm_wait_exit || return 1
    TM_REPLAY=$(_tm new-window -d -P -F '#{pane_id}' -- sh -c \
        'stty -opost 2>/dev/null; cat "$1"; printf "\033]2;%s\007" kbw-replayed; exec sleep 3600' \
        kbw-replay "$TM_DIR/raw.$TM_N") || { TM_REPLAY=; return 1; }
    _tm_deadline
    until [ "$(_tm display-message -p -t "$TM_REPLAY" '#{pane_title}')" = kbw-replayed ]; do
        if _tm_late "$_tm_dl"; then
            tap_diag "tm: the replay of the output did not finish"
            return 1
        fi
        _tm_nap
    done
}

tm_term_fmt() {
    if _tm_dead; then
        _tm_replay || return 1
        _tm display-message -p -t "$TM_REPLAY" "$1"
    else
        tm_fmt "$1"
    fi
}

tm_flags() {
    _tm_f=$(tm_fmt '#{pane_dead} #{pane_dead_status}|#{pane_dead_signal}') || return 1
    _tm_d=${_tm_f%% *}; _tm_st=${_tm_f#* }; _tm_sig=${_tm_st#*|}; _tm_st=${_tm_st%%|*}
    if [ -n "$_tm_sig" ]; then _tm_st=sig$_tm_sig
    elif [ -z "$_tm_st" ]; then _tm_st=-; fi
    _tm_ac=$(tm_term_fmt '#{alternate_on} #{cursor_flag}') || return 1
    echo "$_tm_ac $_tm_d $_tm_st"
}

# ---- acting on the program --------------------------------------------------
tm_keys() { _tm send-keys -t "$TM_PANE" "$@"; }
tm_type() { _tm send-keys -t "$TM_PANE" -l -- "$1"; }
tm_resize() { _tm resize-window -t "$TM_PANE" -x "$1" -y "$2"; }
tm_signal() {
    [ -n "$TM_PID" ] || { tap_diag "tm_signal: no program"; return 1; }
    kill -s "${1#SIG}" "$TM_PID"
}

# ---- screenshots -------------------------------------------------------------
tm_shot() {
    "$TM_TOOLS/screenshot.sh" -S "$TM_SOCKDIR/tmux-$(id -u)/$TM_SOCK" \
        -t "$TM_PANE" -o "${2:-.}" "$1"
}
