#!/bin/sh
# Self-test of the terminal test tools (tests/tmux-lib.sh, tools/ansi2svg.py,
# tools/screenshot.sh) against a stand-in ncurses program compiled here from
# tests/tmux-standin.c with the system cc. TAP output.
# shellcheck disable=SC2015,SC2119 # tap_ok cannot fail; tm_wait_exit takes an optional argument
srcdir=${top_srcdir:-.}
TM_TOOLS=$srcdir/tools
. "$srcdir/tests/tmux-lib.sh"

py=$TM_PYTHON
PYTHONDONTWRITEBYTECODE=1; export PYTHONDONTWRITEBYTECODE  # no tools/__pycache__ in the source tree
standin=$TM_DIR/standin
# shellcheck disable=SC2046
if ${CC:-cc} -o "$standin" "$srcdir/tests/tmux-standin.c" \
    $(pkg-config --cflags --libs ncursesw 2>/dev/null || echo -lncursesw) 2>"$TM_DIR/cc.err"; then
    tap_ok "the stand-in compiles"
else
    sed 's/^/# /' "$TM_DIR/cc.err" >&2
    tap_bail "cannot compile tests/tmux-standin.c (needs cc and libncurses-dev)"
fi

# --- the pinned environment -----------------------------------------------
tm_start -x 100 -y 12 -e NO_COLOR=1 -e LANG=C -- env
tm_wait_exit
got=$(tm_screen | grep -E '^(TERM|LANG|LC_ALL|HOME|XDG_STATE_HOME|TMUX|TERMINFO|NO_COLOR)=' | sort | tr '\n' ' ')
want="HOME=$TM_DIR/home LANG=C LC_ALL=C.UTF-8 NO_COLOR=1 TERM=xterm-256color TERMINFO=$TM_DIR/terminfo XDG_STATE_HOME=$TM_DIR/state "
tap_is "$got" "$want" "env -i: only the pinned variables and -e ones (no TMUX)"
tap_is "$(tm_flags)" "0 1 1 0" "a plain program: no alternate screen, cursor visible, exit 0"

# --- a curses program: drawing, keys, resize ---------------------------------
tm_start -x 80 -y 24 -- "$standin"
tm_wait 'kbw stand-in' && tap_ok "tm_wait sees the first frame" || tap_fail "first frame"
tap_is "$(ps -o comm= -p "$(tm_pid)" 2>/dev/null)" "standin" "#{pane_pid} is the program itself"
tap_is "$(tm_flags)" "1 0 0 -" "running: alternate screen on, cursor hidden"
tap_is "$(tm_screen | sed -n '1s/^\(..\).*/\1/p')" "┌─" "UTF-8 box lines read back as box lines"
tm_type 'héllo -x <&>'
tm_keys Enter
tm_wait 'entered: héllo -x <&>' && tap_ok "tm_type (literal, leading '-') and tm_keys Enter" \
    || tap_fail "typing"
tm_resize 60 20 && tm_wait 'size 60x20' && tap_ok "resize to 60x20 redraws" || tap_fail "resize 60x20"
tm_resize 30 8 && tm_wait 'too small: 30x8' && tap_ok "resize to 30x8: too small" || tap_fail "too small"
tm_resize 80 24 && tm_wait 'size 80x24' && tm_wait_gone 'too small' \
    && tap_ok "back to 80x24: too small gone" || tap_fail "resize back"
tm_keys C-z
tm_type 'z'
tm_wait 'typed: z' && tap_ok "Ctrl-Z: tmux continues the stopped program, input still read" \
    || tap_fail "Ctrl-Z"
t0=$(_tm_now)
tm_wait 'never on the screen' 1 2>"$TM_DIR/wait.err"; rc=$?
t1=$(_tm_now)
[ $rc -ne 0 ] && [ $((t1 - t0)) -ge 100 ] && [ $((t1 - t0)) -lt 500 ] \
    && grep -q '^# |.*kbw stand-in' "$TM_DIR/wait.err" \
    && tap_ok "tm_wait times out at its deadline and prints the screen" \
    || tap_fail "tm_wait timeout ($rc, $((t1 - t0)) cs)"

# --- colour capture and screenshots ----------------------------------------
esc=$(printf '\033')
tm_screen_colour >"$TM_DIR/colour.ansi"
grep -q "${esc}\[31mred" "$TM_DIR/colour.ansi" && grep -q "${esc}\[48;5;208m" "$TM_DIR/colour.ansi" \
    && tap_ok "tm_screen_colour has the SGR escapes" || tap_fail "colour capture"
if command -v rsvg-convert >/dev/null 2>&1; then png=; else png=--no-png; fi
if [ -z "$png" ]; then
    tm_shot standin "$TM_DIR/shots"
else
    "$TM_TOOLS/screenshot.sh" -S "$TM_SOCKDIR/tmux-$(id -u)/$TM_SOCK" -t "$TM_PANE" \
        -o "$TM_DIR/shots" --no-png standin
fi
tm_screen >"$TM_DIR/plain.txt"
cmp -s "$TM_DIR/shots/standin.txt" "$TM_DIR/plain.txt" \
    && tap_ok "screenshot .txt is the plain capture" || tap_fail "screenshot .txt"
if "$py" - "$TM_DIR/shots/standin.svg" "$TM_TOOLS" >"$TM_DIR/svg.err" 2>&1 <<'EOF'
import sys, xml.etree.ElementTree as ET
sys.path.insert(0, sys.argv[2])
import ansi2svg as a
cw = 16 * a.ADVANCE / a.UPM
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
texts = [(float(t.get("x")), float(t.get("y")), t.get("fill"), t.text) for t in root.iter(ns + "text")]
rects = [(r.get("x"), r.get("fill")) for r in root.iter(ns + "rect")]
def col(x): return round(x / cw, 3)
def find(s): return [t for t in texts if t[3] == s]
assert root.get("width") == a.num(80 * cw), root.get("width")
assert any(col(t[0]) == 3 and t[2] == "#fce94f" for t in find("kbw stand-in")), "title: col 3, bold yellow -> bright"
assert any(col(t[0]) == 8 for t in find("\u6f22")) and any(col(t[0]) == 10 for t in find("\u5b57")), "wide chars at 8 and 10"
assert any(col(t[0]) == 12 and t[3].startswith("| check") for t in texts), "text after wide chars at col 12"
assert any("<a & b>" in t[3] for t in texts), "XML text round-trips"
assert any(f == "#ff8700" for _, f in rects), "256-colour background"
assert any(f == "#d3d7cf" for _, f in rects), "reverse footer: default fg as background"
assert any(t[3].startswith("C-d quit") and t[2] == "#1c1c1c" for t in texts), "reverse footer text in bg colour"
print("ok")
EOF
then tap_ok "SVG: valid XML, runs at their cells (wide chars), colours, reverse, escaping"
else sed 's/^/# /' "$TM_DIR/svg.err" >&2; tap_fail "SVG content"; fi
if [ -z "$png" ]; then
    if "$py" - "$TM_DIR/shots/standin.png" "$TM_TOOLS" >"$TM_DIR/png.err" 2>&1 <<'EOF'
import struct, sys, zlib
sys.path.insert(0, sys.argv[2])
import ansi2svg as a
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
pos, idat = 8, b""
while pos < len(data):
    n, typ = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    pos += 12 + n
    if typ == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif typ == b"IDAT":
        idat += body
assert depth == 8 and ctype in (2, 6), (depth, ctype)
bpp = 4 if ctype == 6 else 3
raw, stride, rows, prev, i = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp), 0
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        l = line[x - bpp] if x >= bpp else 0
        u, ul = prev[x], (prev[x - bpp] if x >= bpp else 0)
        if f == 1: line[x] = (line[x] + l) & 255
        elif f == 2: line[x] = (line[x] + u) & 255
        elif f == 3: line[x] = (line[x] + (l + u) // 2) & 255
        elif f == 4:
            p = l + u - ul
            pa, pb, pc = abs(p - l), abs(p - u), abs(p - ul)
            line[x] = (line[x] + (l if pa <= pb and pa <= pc else u if pb <= pc else ul)) & 255
    rows.append(line)
    prev = line
cw, ch = 16 * a.ADVANCE / a.UPM, 16 * (a.ASCENT + a.DESCENT) / a.UPM
assert (w, h) == (round(80 * cw + 0.49), round(24 * ch + 0.49)), (w, h)
def px(x, y): r = rows[int(y)]; return "#%02x%02x%02x" % tuple(r[int(x) * bpp:int(x) * bpp + 3])
def cell(c, r, fx=0.5, fy=0.1): return px((c + fx) * cw, (r + fy) * ch)
assert cell(0, 5, 0.9) == "#1c1c1c", "canvas background"
assert cell(13, 5) == "#ff8700", ("256-colour cell", cell(13, 5))
assert cell(5, 0) == "#3465a4", ("title background", cell(5, 0))
assert cell(40, 22) == "#d3d7cf", ("reverse footer", cell(40, 22))
# the box's vertical line runs through the whole height of a cell
assert all(sum(bytes.fromhex(px(0.5 * cw, (3 + f) * ch)[1:])) > 300 for f in (0.02, 0.5, 0.98)), "box line joins"
print("ok")
EOF
    then tap_ok "PNG: size, colours at their cells, box lines join across rows"
    else sed 's/^/# /' "$TM_DIR/png.err" >&2; tap_fail "PNG content"; fi
else
    tap_skip "PNG" "rsvg-convert not installed (Debian librsvg2-bin, fonts-dejavu-core)"
fi

# --- the converter on a synthetic capture -----------------------------------
printf '\033[7m rev \033[0m \033[1;31mbold\033[0m \033[38;2;1;2;3mrgb\033[0m \016lqk\017 e\314\201x <&>\n\033[44mblue' \
    >"$TM_DIR/synthetic.ansi"
"$py" "$TM_TOOLS/ansi2svg.py" --cols 40 --rows 3 -o "$TM_DIR/synthetic.svg" "$TM_DIR/synthetic.ansi"
if "$py" - "$TM_DIR/synthetic.svg" "$TM_TOOLS" >"$TM_DIR/syn.err" 2>&1 <<'EOF'
import sys, xml.etree.ElementTree as ET
sys.path.insert(0, sys.argv[2])
import ansi2svg as a
cw = 16 * a.ADVANCE / a.UPM
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
t = {e.text: (round(float(e.get("x")) / cw, 3), e.get("fill")) for e in root.iter(ns + "text")}
r = [(round(float(e.get("x", 0)) / cw, 3), e.get("fill")) for e in root.iter(ns + "rect")]
assert t["rev"] == (1, "#1c1c1c") and (0, "#d3d7cf") in r, ("reverse", t, r)
assert t["bold"] == (6, "#ef2929"), ("bold red shows bright", t["bold"])
assert t["rgb"] == (11, "#010203"), ("truecolour", t["rgb"])
assert t["\u250c\u2500\u2510"] == (15, None), ("SO/SI line drawing", t)
assert t["e\u0301"] == (19, None) and t["x <&>"] == (20, None), ("combining mark takes no cell", t)
assert (0, "#3465a4") in r and t["blue"] == (0, None), ("state carries to the next line", r)
print("ok")
EOF
then tap_ok "ansi2svg: reverse, bold bright, truecolour, SO/SI lines, combining marks, escaping"
else sed 's/^/# /' "$TM_DIR/syn.err" >&2; tap_fail "ansi2svg synthetic"; fi

# --- how the program leaves the terminal --------------------------------------
tm_keys C-d
tm_wait_exit && tap_is "$(tm_flags)" "0 1 1 0" "clean quit: alternate screen off, cursor visible, exit 0" \
    || tap_fail "clean quit"

# ncurses' own handlers (RELIABILITY.md: it restores on SIGTERM and exits 1,
# and does nothing on SIGHUP): the flags tell the two apart.
tm_start -- "$standin"
tm_wait 'kbw stand-in' && tm_signal TERM && tm_wait_exit
tap_is "$(tm_flags)" "0 1 1 1" "default handling, SIGTERM: terminal restored, exit 1"
tm_start -- "$standin"
tm_wait 'kbw stand-in' && tm_signal HUP && tm_wait_exit
tap_is "$(tm_flags)" "1 0 1 sig1" "default handling, SIGHUP: left in the alternate screen, cursor hidden"

for sig in TERM:143 HUP:129 QUIT:131 INT:130; do
    tm_start -- "$standin" -s
    tm_wait 'kbw stand-in' && tm_signal "${sig%:*}" && tm_wait_exit
    tap_is "$(tm_flags)" "0 1 1 ${sig#*:}" "own handler, SIG${sig%:*}: terminal restored, exit ${sig#*:}"
done

tm_start -- "$standin"
tm_wait 'kbw stand-in' && tm_keys C-e && tm_wait_exit
tap_is "$(tm_flags)" "1 0 1 3" "exit without endwin: the flags show it"
t0=$(_tm_now)
tm_wait 'never on the screen' 2>/dev/null; rc=$?
t1=$(_tm_now)
[ $rc -ne 0 ] && [ $((t1 - t0)) -lt 300 ] && tap_ok "tm_wait on an ended program fails at once" \
    || tap_fail "tm_wait after the end ($rc, $((t1 - t0)) cs)"

tap_done
