#!/bin/sh
# The engine must never talk to the terminal: no curses header under engine/,
# no printing and no exit() in its sources. TAP output.
srcdir=${top_srcdir:-.}
echo "1..2"
hits=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|panel|menu|form|term)\.?h?' \
    "$srcdir/engine" 2>/dev/null)
if [ -z "$hits" ]; then echo "ok 1 - engine/ includes no curses header"
else echo "not ok 1 - engine/ includes curses: $hits"; fi
hits=$(grep -rnE '\b(printf|puts|putchar|fputs|exit)[[:space:]]*\(|fprintf[[:space:]]*\([[:space:]]*std' \
    "$srcdir/engine" --include='*.c' | grep -vE 'snprintf|vsnprintf' )
if [ -z "$hits" ]; then echo "ok 2 - engine/ neither prints nor exits"
else echo "not ok 2 - engine/ prints or exits:"; echo "$hits" | sed 's/^/# /'; fi
