#!/bin/sh
# screenshot.sh - save a terminal screen as NAME.txt (plain text, as
# `capture-pane -p` prints it), NAME.svg and NAME.png.
#
#   screenshot.sh [-S SOCKET_PATH | -L SOCKET_NAME] [-t PANE] [-o DIR] [--no-png] NAME
#       capture a pane of a running tmux server (default: the current one)
#   screenshot.sh --from CAPTURE [--cols N --rows N] [-o DIR] [--no-png] NAME
#       convert a saved `capture-pane -p -e -N` file (no NAME.txt written)
#
# From tests/tmux-lib.sh: tm_shot NAME [DIR] calls it for the current program.
# The PNG needs rsvg-convert (Debian: librsvg2-bin) and the font
# (fonts-dejavu-core); without rsvg-convert it stops with status 3 after
# writing the .txt and .svg, unless --no-png. Each file is written to a
# temporary name and renamed, so a failed run leaves no half file.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
python=${TM_PYTHON:-}
if [ -z "$python" ]; then
    if [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; else python=python3; fi
fi
sock='' from='' cols='' rows='' target='' outdir=. png=1
usage() { echo "usage: $0 [-S SOCKET_PATH | -L NAME] [-t PANE] [-o DIR] [--no-png] NAME" >&2
          echo "       $0 --from CAPTURE [--cols N --rows N] [-o DIR] [--no-png] NAME" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
    -S) sock="-S $2"; shift 2 ;;
    -L) sock="-L $2"; shift 2 ;;
    -t) target=$2; shift 2 ;;
    -o) outdir=$2; shift 2 ;;
    --from) from=$2; shift 2 ;;
    --cols) cols=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --no-png) png=0; shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
    esac
done
[ $# -eq 1 ] || usage
name=$1
mkdir -p "$outdir"
base=$outdir/$name
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbwshot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

tmx() {
    # shellcheck disable=SC2086 # $sock is "-S PATH" or "-L NAME" (no spaces in them)
    LC_ALL=C.UTF-8 tmux $sock "$@"
}

cursor=
if [ -n "$from" ]; then
    cp "$from" "$tmp/screen.ansi"
else
    t=${target:+-t $target}
    # shellcheck disable=SC2086,SC2046
    set -- $(tmx display-message -p $t '#{pane_width} #{pane_height} #{cursor_flag} #{cursor_x} #{cursor_y}')
    cols=$1 rows=$2
    [ "$3" = 1 ] && cursor="$4,$5"
    # shellcheck disable=SC2086
    tmx capture-pane -p $t >"$tmp/screen.txt"
    # shellcheck disable=SC2086
    tmx capture-pane -p -e -N $t >"$tmp/screen.ansi"
fi

"$python" "$here/ansi2svg.py" ${cols:+--cols "$cols"} ${rows:+--rows "$rows"} \
    ${cursor:+--cursor "$cursor"} --title "$name" -o "$tmp/screen.svg" "$tmp/screen.ansi"

if [ -z "$from" ]; then mv "$tmp/screen.txt" "$base.txt"; fi
mv "$tmp/screen.svg" "$base.svg"
if [ "$png" = 1 ]; then
    if ! command -v rsvg-convert >/dev/null 2>&1; then
        echo "$0: rsvg-convert not found (Debian: librsvg2-bin fonts-dejavu-core); wrote $base.svg only" >&2
        exit 3
    fi
    rsvg-convert --format=png -o "$tmp/screen.png" "$base.svg"
    mv "$tmp/screen.png" "$base.png"
fi
