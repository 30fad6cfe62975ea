#!/bin/sh
# Sign-off exports and verify-signoff (TAP): golden exports in four formats
# from a fixed clock and seed (GENERATE=1 rewrites tests/golden/); the JSON
# parses, the HTML passes a strict parser, the CSV round-trips; hostile text
# is escaped in every format; every mutation of an export is detected or
# not exactly as documented, with and without --expect-head; atomic, no
# overwrite without --force; sign-off rules; the sessions list.
srcdir=${top_srcdir:-.}
kbw=${KBWIZARD:-./kbwizard}
tool="python3 $srcdir/tests/record_tool.py"
golden="$srcdir/tests/golden"
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
XDG_STATE_HOME="$tmp/state" && export XDG_STATE_HOME
KBWIZARD_TEST_CLOCK=1790000000 KBWIZARD_TEST_HOST=golden-host && export KBWIZARD_TEST_CLOCK KBWIZARD_TEST_HOST
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; [ -f "$tmp/err" ] && sed 's/^/# /' "$tmp/err" | head -20; }
verify() { "$kbw" verify-signoff "$@" >"$tmp/vout" 2>&1; echo $?; }

cat >"$tmp/script" <<'S'
operator Ann Operator
bind active EXCH-A
bind passive EXCH-B
attest SP1
note SP1 confirmed in ESM on both nodes
done
override EXCH-B owns no group: checked in Cluster Administrator, change 4711
attest EXCH-B
done
attest EXCH-B
done
done
skip the node rejoined during the restart; seen in Cluster Administrator
signoff Ann Operator
countersign Bob Reviewer
S
"$kbw" run 889528 --guided --method clustered --seed 7 --script "$tmp/script" --journal "$tmp/golden.journal" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && ok "a guided session with every kind of event, signed and countersigned" || notok "golden session"

# --- golden exports ------------------------------------------------------------------
bad=""
for f in md html json csv; do
    "$kbw" export "$tmp/golden.journal" --format "$f" -o "$tmp/golden.$f" 2>"$tmp/err" || bad="$bad $f(exit)"
    if [ -n "$GENERATE" ]; then cp "$tmp/golden.$f" "$golden/guided.$f"
    else cmp -s "$tmp/golden.$f" "$golden/guided.$f" || { diff "$golden/guided.$f" "$tmp/golden.$f" | head -20 >"$tmp/err"; bad="$bad $f"; }; fi
done
[ -z "$bad" ] && ok "exports equal tests/golden/guided.{md,html,json,csv} (fixed clock and seed)" || notok "golden:$bad"
head=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["head"]["line"])' "$tmp/golden.json" 2>"$tmp/err")
[ -n "$head" ] && grep -qF "Chain head: $head" "$tmp/golden.md" && grep -qF "Chain head: $head" "$tmp/golden.html" \
    && grep -qF "$head" "$tmp/golden.csv" && ok "the chain head $head is on one line in every format" || notok "head line"

# --- each format passes its own reader ----------------------------------------------------
cat >"$tmp/check.py" <<'PY'
import csv, html.parser, io, json, sys, unicodedata
VOID = {"meta", "br", "hr", "img", "input", "link"}
class Strict(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True); self.stack = []; self.errors = []; self.csp = ""
    def handle_starttag(self, tag, attrs):
        if tag == "script" or any(a.startswith("on") for a, _ in attrs):
            self.errors.append("script or handler: %s" % tag)
        if any(v is None for _, v in attrs):
            self.errors.append("attribute without a value in %s" % tag)
        if tag == "meta" and dict(attrs).get("http-equiv") == "Content-Security-Policy":
            self.csp = dict(attrs)["content"]
        if tag not in VOID:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append("misnested </%s>" % tag)
def bad_chars(text, allow):
    for ch in text:
        cp = ord(ch)
        if (cp < 0x20 and ch not in allow) or 0x7f <= cp <= 0x9f or unicodedata.category(ch) == "Cf":
            return "U+%04X" % cp
    return None
kind, path = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read()
text = raw.decode("utf-8")          # raises on invalid UTF-8
allow = "\n\r" if kind == "csv" else "\n"
assert bad_chars(text, allow) is None, "raw control or format character %s" % bad_chars(text, allow)
if kind == "csv":
    assert b"\r" not in raw.replace(b"\r\n", b""), "a bare CR"
if kind == "json":
    doc = json.loads(text)
    assert doc["format"] == "kbwizard-export/1" and len(doc["records"]) == doc["head"]["count"]
if kind == "html":
    p = Strict(); p.feed(text); p.close()
    assert not p.errors and not p.stack, (p.errors, p.stack)
    assert "default-src 'none'" in p.csp and "style-src 'sha256-" in p.csp, p.csp
if kind == "csv":
    rows = list(csv.reader(io.StringIO(text, newline="")))
    steps = json.load(open(sys.argv[3]))["steps"]
    assert rows[0][:4] == ["article", "session", "n", "step"], rows[0]
    assert len(rows) == len(steps) + 1
    for r, s in zip(rows[1:], steps):
        assert r[3] == s["id"] and r[5] == s["status"] and r[6] == (s["reason"] or ""), (r, s)
    out = io.StringIO(newline="")
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    assert out.getvalue() == text, "CSV does not round-trip"
PY
bad=""
for f in json html csv md; do python3 "$tmp/check.py" "$f" "$tmp/golden.$f" "$tmp/golden.json" 2>"$tmp/err.$f" || bad="$bad $f"; done
[ -z "$bad" ] && ok "the JSON parses, the HTML passes a strict parser (no script, CSP), the CSV round-trips" \
    || { cat "$tmp"/err.* >"$tmp/err"; notok "format checks:$bad"; }
if command -v xmllint >/dev/null 2>&1; then
    [ -z "$(xmllint --html --noout "$tmp/golden.html" 2>&1)" ] && ok "xmllint --html reports nothing" || notok "xmllint"
else
    ok "# SKIP xmllint not installed"
fi
[ "$(verify "$tmp/golden.json")" = 0 ] && grep -q "^Chain head: $head\$" "$tmp/vout" \
    && [ "$(verify "$tmp/golden.json" --expect-head "$head")" = 0 ] && [ "$(verify "$tmp/golden.journal" --expect-head "$head")" = 0 ] \
    && ok "verify-signoff accepts the export and the journal, with and without --expect-head" || notok "verify intact"

# --- hostile text in every format ----------------------------------------------------------
$tool hostile "$tmp/golden.journal" "$tmp/hostile.journal"
"$kbw" signoff "$tmp/hostile.journal" --countersign "$(printf 'Eve\377\376 \033[5m')" >/dev/null 2>"$tmp/err"
bad=""
for f in json html csv md; do
    "$kbw" export "$tmp/hostile.journal" --format "$f" -o "$tmp/h.$f" 2>>"$tmp/err" || bad="$bad $f(exit)"
    python3 "$tmp/check.py" "$f" "$tmp/h.$f" "$tmp/h.json" 2>>"$tmp/err" || bad="$bad $f"
    [ "$f" = csv ] || grep -q 'PWNED' "$tmp/h.$f" || bad="$bad $f(lost)"
done
grep -qF "alert(1)</script> | pipe & \"\"quote\"\" 'apos' <U+2066>iso<U+2069>" "$tmp/h.csv" && grep -qF 'OK^MFAIL &lt;U+202E&gt;evil' "$tmp/h.html" \
    && grep -qF 'Ann^\[\]0;PWNED^G' "$tmp/h.md" && grep -qF '\| pipe' "$tmp/h.md" && grep -qF '&lt;script&gt;' "$tmp/h.md" \
    && grep -qF '&lt;script&gt;alert(1)&lt;/script&gt; | pipe &amp; &quot;quote&quot; &#39;apos&#39;' "$tmp/h.html" \
    && grep -qF 'Eve\xFF\xFE ^[[5m' "$tmp/h.html" && grep -qF 'Eve\\xFF\\xFE' "$tmp/h.md" || bad="$bad escapes"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d["operator"] == "Ann^[]0;PWNED^G ^[[31mRED^[[0m", d["operator"]
assert d["signoff"]["name"] == "Mallory^[[2J<U+200F>"' "$tmp/h.json" 2>>"$tmp/err" || bad="$bad json-summary"
[ -z "$bad" ] && ok "hostile text (escape sequences, OK-CR-FAIL, bidi, invalid UTF-8) is escaped in every format" \
    || notok "hostile text:$bad"

# --- mutations of an export -------------------------------------------------------------------
bad=""
for kind in edit delete swap insert summary; do
    $tool mutate "$kind" "$tmp/golden.json" "$tmp/m.json"
    [ "$(verify "$tmp/m.json")" = 1 ] || bad="$bad $kind"
    [ "$(verify "$tmp/m.json" --expect-head "$head")" = 1 ] || bad="$bad $kind(anchored)"
done
[ "$(verify "$tmp/m.json")" = 1 ] && grep -q 'differs from what they make at line' "$tmp/vout" || bad="$bad summary-message"
$tool mutate delete "$tmp/golden.json" "$tmp/m.json"; verify "$tmp/m.json" >/dev/null
grep -q 'NOT intact: record 9 does not match' "$tmp/vout" || bad="$bad delete-names-record"
[ -z "$bad" ] && ok "an edited, deleted, swapped or inserted record, or an edited summary: detected with and without --expect-head" \
    || notok "mutations:$bad"
sed 's/golden-host/golden-hosT/' "$tmp/golden.json" >"$tmp/m.json"
[ "$(verify "$tmp/m.json")" = 1 ] && ok "a copy with one character changed is rejected" || notok "one character"
$tool edit-note "$tmp/golden.journal" "$tmp/rewritten.journal" "a different note"
"$kbw" export "$tmp/rewritten.journal" --format json -o "$tmp/rewritten.json"
[ "$(verify "$tmp/rewritten.json")" = 0 ] && [ "$(verify "$tmp/rewritten.json" --expect-head "$head")" = 1 ] \
    && grep -q 'does not match the anchored head' "$tmp/vout" \
    && ok "a rewritten chain passes alone (as documented) and fails against the anchored head" || notok "rewritten chain"
head -n 10 "$tmp/golden.journal" >"$tmp/cut.journal"
"$kbw" export "$tmp/cut.journal" --format json -o "$tmp/cut.json"
[ "$(verify "$tmp/cut.json")" = 0 ] && [ "$(verify "$tmp/cut.json" --expect-head "$head")" = 1 ] \
    && grep -q 'before the anchored head' "$tmp/vout" && [ "$(verify "$tmp/cut.journal" --expect-head "$head")" = 1 ] \
    && ok "a cut tail passes alone (as documented) and fails against the anchored head" || notok "cut tail"

# --- files, sign-off rules, sessions -------------------------------------------------------------
"$kbw" export "$tmp/golden.journal" -o "$tmp/golden.md" 2>"$tmp/err"; rc=$?
[ "$rc" = 2 ] && grep -q 'exists (use --force' "$tmp/err" && "$kbw" export "$tmp/golden.journal" -o "$tmp/golden.md" --force \
    && [ -z "$(find "$tmp" -maxdepth 1 -name '.*.??????')" ] && ok "no overwrite without --force; no temporary file left" \
    || notok "overwrite ($rc)"
"$kbw" export "$tmp/golden.journal" -o "$tmp/golden.journal" --force 2>"$tmp/err"
[ $? = 2 ] && "$kbw" verify-signoff "$tmp/golden.journal" >/dev/null && ok "an export never overwrites its own journal" || notok "self-overwrite"
"$kbw" run 889528 --lab --method clustered --script - --new-session >"$tmp/out" 2>"$tmp/err" <<'S'
operator Trainee Tom
act stop-service NODE2 ClusSvc
act kill NODE1 store.exe
countersign Tom
S
[ $? = 1 ] && grep -q 'nobody has signed off yet' "$tmp/err" && ok "a countersign needs an earlier sign-off" || notok "countersign first"
id=$("$kbw" sessions | cut -f1)
"$kbw" signoff "$id" --name Tom >/dev/null && "$kbw" signoff "$id" --countersign tom >"$tmp/out" 2>"$tmp/err"
[ $? = 1 ] && grep -q 'must not be the one who signed off' "$tmp/err" && ok "two-person rule: the countersigner is someone else" \
    || notok "two-person rule"
"$kbw" sessions >"$tmp/out"
[ "$(wc -l <"$tmp/out")" = 1 ] && grep -q "^$id	889528	lab	Trainee Tom	[0-9]*/22	signed off	20" "$tmp/out" \
    && ok "sessions: id, article, mode, operator, progress, state, last activity" || { cp "$tmp/out" "$tmp/err"; notok "sessions"; }
"$kbw" export "$id" --format json >"$tmp/lab.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert len(d["lab_actions"]) == 2 and d["faults"], (d["lab_actions"], d["faults"])' "$tmp/lab.json" 2>"$tmp/err" \
    && ok "a lab export lists lab actions and the faults they caused" || notok "lab export"
echo "1..$n"
