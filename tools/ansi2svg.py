#!/usr/bin/env python3
"""ansi2svg - draw a terminal screen captured with `tmux capture-pane -p -e`
as an SVG image.

Input: one line of text per terminal row, with SGR escape sequences
(ESC [ ... m) for colours and attributes, as tmux writes them: 16, 256 and
24-bit colours for foreground and background, bold, dim, italic, underline,
strike-through, reverse, hidden, and resets; SO/SI around line-drawing
(ACS) cells. tmux writes only changes from the previous cell, so the state
carries over from line to line. Other escape sequences are skipped.

Output: an SVG whose canvas is the terminal (cols x rows cells of a fixed
size), a background rectangle for each run of cells with a non-default
background, and one <text> element per run of cells with the same attributes,
placed at its cell column. A character is 2 cells wide when its Unicode East
Asian Width is W or F (as tmux counts it), 0 when it is a combining mark.
Runs hold only characters DejaVu Sans Mono draws at exactly one cell (ASCII,
Latin-1, Latin Extended-A, box drawing, block elements); any other character
gets its own <text> at its own cell, so a glyph from a fallback font cannot
shift the rest of the line. The cell is sized from DejaVu Sans Mono's metrics
(advance 1233/2048 em, line 2384/2048 em), which makes box-drawing lines join
across rows.

    ansi2svg.py [--cols N] [--rows N] [--font-size PX] [--cursor X,Y]
                [--title TEXT] [-o OUT.svg] [INPUT]

Written for kbwizard's test and screenshot tools; standard library only.
"""

import argparse
import re
import sys
import unicodedata

FONT_FAMILY = "DejaVu Sans Mono, monospace"
# DejaVu Sans Mono: units per em, advance width, ascender, descender.
UPM, ADVANCE, ASCENT, DESCENT = 2048, 1233, 1901, 483

DEFAULT_FG = (0xD3, 0xD7, 0xCF)
DEFAULT_BG = (0x1C, 0x1C, 0x1C)
# The 16 ANSI colours (the Tango palette of several desktop terminals).
PALETTE16 = [
    (0x2E, 0x34, 0x36), (0xCC, 0x00, 0x00), (0x4E, 0x9A, 0x06), (0xC4, 0xA0, 0x00),
    (0x34, 0x65, 0xA4), (0x75, 0x50, 0x7B), (0x06, 0x98, 0x9A), (0xD3, 0xD7, 0xCF),
    (0x55, 0x57, 0x53), (0xEF, 0x29, 0x29), (0x8A, 0xE2, 0x34), (0xFC, 0xE9, 0x4F),
    (0x72, 0x9F, 0xCF), (0xAD, 0x7F, 0xA8), (0x34, 0xE2, 0xE2), (0xEE, 0xEE, 0xEC),
]
CUBE_LEVELS = (0, 95, 135, 175, 215, 255)


def colour256(n):
    """RGB of xterm colour number n (0-255)."""
    if n < 16:
        return PALETTE16[n]
    if n < 232:
        n -= 16
        return (CUBE_LEVELS[n // 36], CUBE_LEVELS[n // 6 % 6], CUBE_LEVELS[n % 6])
    level = 8 + 10 * (n - 232)
    return (level, level, level)


class Style:
    """SGR state. fg/bg: None (default), a palette number 0-255, or an
    (r, g, b) tuple."""

    __slots__ = ("fg", "bg", "bold", "dim", "italic", "underline", "strike",
                 "reverse", "hidden")

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = self.bg = None
        self.bold = self.dim = self.italic = self.underline = False
        self.strike = self.reverse = self.hidden = False

    def key(self):
        return tuple(getattr(self, name) for name in self.__slots__)


def parse_extended_colour(params, i):
    """Colour after a 38/48/58 parameter at params[i]. Returns (colour or
    None, index of the next parameter). Handles both 38;5;N / 38;2;R;G;B and
    the colon forms 38:5:N / 38:2:[ID]:R:G:B (passed as one item with subs)."""
    head, subs = params[i]
    if subs:  # colon form: everything is in this one parameter
        if subs and subs[0] == 5 and len(subs) >= 2:
            return subs[1] & 255, i + 1
        if subs and subs[0] == 2:
            rgb = subs[1:]
            if len(rgb) >= 4:  # a colour-space id first
                rgb = rgb[1:]
            if len(rgb) >= 3:
                return tuple(min(v, 255) for v in rgb[:3]), i + 1
        return None, i + 1
    nxt = [p[0] for p in params[i + 1:i + 5]]
    if nxt and nxt[0] == 5 and len(nxt) >= 2:
        return nxt[1] & 255, i + 3
    if nxt and nxt[0] == 2 and len(nxt) >= 4:
        return tuple(min(v, 255) for v in nxt[1:4]), i + 5
    return None, i + 1 + len(nxt[:1])


# SGR codes that set or clear flags: code -> (attributes, value).
SGR_FLAGS = {
    1: (("bold",), True), 2: (("dim",), True), 3: (("italic",), True),
    7: (("reverse",), True), 8: (("hidden",), True), 9: (("strike",), True),
    21: (("underline",), True), 22: (("bold", "dim"), False), 23: (("italic",), False),
    24: (("underline",), False), 27: (("reverse",), False), 28: (("hidden",), False),
    29: (("strike",), False),
}


def apply_sgr(style, text):
    """Apply the parameters of one SGR sequence (the part between ESC[ and m)."""
    params = []
    for item in (text.split(";") if text else [""]):
        parts = item.split(":")
        nums = [int(p) if p.isdigit() else 0 for p in parts]
        params.append((nums[0], nums[1:]))
    i = 0
    while i < len(params):
        code, subs = params[i]
        if code == 0:
            style.reset()
        elif code == 4:
            style.underline = not (subs and subs[0] == 0)
        elif code in SGR_FLAGS:
            for attr in SGR_FLAGS[code][0]:
                setattr(style, attr, SGR_FLAGS[code][1])
        elif 30 <= code <= 37:
            style.fg = code - 30
        elif code == 39:
            style.fg = None
        elif 40 <= code <= 47:
            style.bg = code - 40
        elif code == 49:
            style.bg = None
        elif 90 <= code <= 97:
            style.fg = code - 90 + 8
        elif 100 <= code <= 107:
            style.bg = code - 100 + 8
        elif code in (38, 48, 58):
            colour, i = parse_extended_colour(params, i)
            if code == 38:
                style.fg = colour
            elif code == 48:
                style.bg = colour
            continue  # 58 (underline colour) is parsed and not drawn
        # 5/6 blink, 53 overline, 59 and anything else: not drawn
        i += 1


ESCAPE = re.compile(
    r"\x1b(?:\[([0-?]*)([ -/]*)([@-~])"         # CSI
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"          # OSC
    r"|[PX^_][^\x1b]*(?:\x1b\\)?"               # DCS, SOS, PM, APC
    r"|[ -/]*[0-~]?)")                          # other ESC sequences


def char_width(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def runs_with_font(ch):
    """True when DejaVu Sans Mono draws ch in exactly one cell."""
    o = ord(ch)
    return (0x20 <= o < 0x7F or 0xA0 <= o <= 0x17F or 0x2500 <= o <= 0x259F)


def xml_safe(ch):
    o = ord(ch)
    return (o >= 0x20 and not 0x7F <= o <= 0x9F and not 0xD800 <= o <= 0xDFFF
            and o not in (0xFFFE, 0xFFFF))


# DEC special graphics: what the characters 0x5f-0x7e draw after SO (tmux
# writes SO/SI around cells drawn with the line-drawing charset, e.g. the
# ACS_* lines of curses' box()).
DEC_GRAPHICS = dict(zip("_`abcdefghijklmnopqrstuvwxyz{|}~",
                        "\u00a0\u25c6\u2592\u2409\u240c\u240d\u240a\u00b0\u00b1\u2424\u240b"
                        "\u2518\u2510\u250c\u2514\u253c\u23ba\u23bb\u2500\u23bc\u23bd"
                        "\u251c\u2524\u2534\u252c\u2502\u2264\u2265\u03c0\u2260\u00a3\u00b7"))


def parse_screen(lines, cols):
    """Cells per row: a list of [text, width, style key] (None for the
    second half of a wide character and for never-written cells). The SGR
    state and the charset carry over from one line to the next, as tmux
    writes only the changes from the previous cell."""
    grid = []
    style = Style()
    graphics = False
    for line in lines:
        row = [None] * cols
        col = 0
        last = None
        pos = 0
        while pos < len(line):
            ch = line[pos]
            if ch == "\x1b":
                m = ESCAPE.match(line, pos)
                if (m.group(3) == "m" and not m.group(2)
                        and (m.group(1) or "")[:1] not in ("<", "=", ">", "?")):
                    apply_sgr(style, m.group(1))
                pos = m.end() if m.end() > pos else pos + 1
                continue
            pos += 1
            if ch in "\x0e\x0f":
                graphics = ch == "\x0e"
                continue
            if graphics:
                ch = DEC_GRAPHICS.get(ch, ch)
            if not xml_safe(ch):
                continue
            w = char_width(ch)
            if w == 0:
                if last is not None:
                    last[0] += ch
                continue
            if col + w > cols:
                break
            last = [ch, w, style.key()]
            row[col] = last
            if w == 2:
                row[col + 1] = None
            col += w
        grid.append(row)
    return grid


def hexrgb(rgb):
    return "#%02x%02x%02x" % rgb


def resolve(key):
    """(fg hex, bg hex or None, bold, italic, underline, strike, hidden).
    Bold shows colours 0-7 in their bright variants, as xterm does (curses
    programs such as dialog draw bright white as bold white)."""
    fg, bg, bold, dim, italic, underline, strike, reverse, hidden = key
    if isinstance(fg, int):
        fg = colour256(fg + 8 if bold and fg < 8 else fg)
    if isinstance(bg, int):
        bg = colour256(bg)
    fg = fg or DEFAULT_FG
    if reverse:
        fg, bg = (bg or DEFAULT_BG), fg
    if dim:
        base = bg or DEFAULT_BG
        fg = tuple((a + b) // 2 for a, b in zip(fg, base))
    return (hexrgb(fg), hexrgb(bg) if bg is not None and bg != DEFAULT_BG else None,
            bold, italic, underline, strike, hidden)


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def num(v):
    s = "%.2f" % v
    return s.rstrip("0").rstrip(".") if "." in s else s


def render(grid, cols, rows, font_size, cursor=None, title=None):
    cw = font_size * ADVANCE / UPM
    ch = font_size * (ASCENT + DESCENT) / UPM
    asc = font_size * ASCENT / UPM
    width, height = cols * cw, rows * ch
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" '
        'viewBox="0 0 %s %s" xml:space="preserve">' % (num(width), num(height), num(width), num(height)),
    ]
    if title:
        out.append("<title>%s</title>" % escape("".join(c for c in title if xml_safe(c))))
    out.append('<rect width="100%%" height="100%%" fill="%s"/>' % hexrgb(DEFAULT_BG))
    texts = []
    rects = []
    for y, row in enumerate(grid):
        cells = []  # (col, text, width, resolved)
        for x, cell in enumerate(row):
            if cell is not None:
                cells.append((x, cell[0], cell[1], resolve(cell[2])))
        # Backgrounds: merge neighbouring cells of one colour.
        bg_runs = []
        for x, _, w, r in cells:
            if r[1] is None:
                continue
            if bg_runs and bg_runs[-1][2] == r[1] and bg_runs[-1][0] + bg_runs[-1][1] == x:
                bg_runs[-1][1] += w
            else:
                bg_runs.append([x, w, r[1]])
        for x, w, colour in bg_runs:
            rects.append('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>'
                       % (num(x * cw), num(y * ch), num(w * cw), num(ch), colour))
        # Text: runs of one style and of characters drawn one cell each.
        run = None  # [start col, text, resolved, next col]
        runs = []
        for x, text, w, r in cells:
            simple = w == 1 and len(text) == 1 and runs_with_font(text)
            if run is not None and simple and run[4] and run[2] == r and run[3] == x:
                run[1] += text
                run[3] = x + w
            else:
                run = [x, text, r, x + w, simple]
                runs.append(run)
        for x, text, r, _, _ in runs:
            fg, _, bold, italic, underline, strike, hidden = r
            if hidden:
                continue
            if not (underline or strike):
                stripped = text.lstrip(" ")
                x += len(text) - len(stripped)
                text = stripped.rstrip(" ")
                if not text:
                    continue
            attrs = ['x="%s"' % num(x * cw), 'y="%s"' % num(y * ch + asc)]
            if fg != hexrgb(DEFAULT_FG):
                attrs.append('fill="%s"' % fg)
            if bold:
                attrs.append('font-weight="bold"')
            if italic:
                attrs.append('font-style="italic"')
            deco = [d for d, on in (("underline", underline), ("line-through", strike)) if on]
            if deco:
                attrs.append('text-decoration="%s"' % " ".join(deco))
            texts.append("<text %s>%s</text>" % (" ".join(attrs), escape(text)))
    # crispEdges: no hairline seams between the rows of a coloured area.
    out.append('<g shape-rendering="crispEdges">')
    out.extend(rects)
    out.append("</g>")
    out.append('<g font-family="%s" font-size="%s" fill="%s">'
               % (FONT_FAMILY, num(font_size), hexrgb(DEFAULT_FG)))
    out.extend(texts)
    out.append("</g>")
    if cursor is not None:
        cx, cy = cursor
        out.append('<rect x="%s" y="%s" width="%s" height="%s" fill="none" '
                   'stroke="%s" stroke-width="1"/>'
                   % (num(cx * cw + 0.5), num(cy * ch + 0.5), num(cw - 1), num(ch - 1),
                      hexrgb(DEFAULT_FG)))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", nargs="?", help="capture-pane -p -e output (default stdin)")
    ap.add_argument("-o", "--output", help="SVG file to write (default stdout)")
    ap.add_argument("--cols", type=int, help="terminal width (default: widest line)")
    ap.add_argument("--rows", type=int, help="terminal height (default: number of lines)")
    ap.add_argument("--font-size", type=float, default=16.0, help="pixels (default 16)")
    ap.add_argument("--cursor", help="X,Y: outline the cell of a visible cursor")
    ap.add_argument("--title", help="a <title> for the image")
    args = ap.parse_args(argv)

    if args.input and args.input != "-":
        with open(args.input, "rb") as f:
            data = f.read()
    else:
        data = sys.stdin.buffer.read()
    lines = data.decode("utf-8", errors="replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.rstrip("\r") for line in lines]
    rows = args.rows if args.rows else max(len(lines), 1)
    lines = (lines + [""] * rows)[:rows]
    if args.cols:
        cols = args.cols
    else:
        plain = [ESCAPE.sub("", line) for line in lines]
        cols = max([sum(char_width(c) for c in p) for p in plain] + [1])
    cursor = None
    if args.cursor:
        try:
            cx, cy = (int(v) for v in args.cursor.split(","))
        except ValueError:
            ap.error("--cursor wants X,Y")
        if 0 <= cx < cols and 0 <= cy < rows:
            cursor = (cx, cy)
    svg = render(parse_screen(lines, cols), cols, rows, args.font_size, cursor, args.title)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(svg)
    else:
        sys.stdout.write(svg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
