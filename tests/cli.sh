#!/bin/sh
# The command-line contract (DESIGN.md section 7), through the real binary:
# exit statuses, error forms, list/lint/checklist/run/schema output,
# determinism of headless runs, and untrusted text. TAP output.
srcdir=${top_srcdir:-.}
kbw=${KBWIZARD:-./kbwizard}
kbdata="$srcdir/kbdata"
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; [ -f "$tmp/err" ] && sed 's/^/# /' "$tmp/err" | head -20; }
check() { name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else notok "$name"; fi; }
status() { "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }
is_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"; }
json_lines() {
    python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    for k in ("step", "status", "nodes", "groups"):
        assert k in o, (k, o)
    for x in o["nodes"]:
        assert set(x) >= {"name", "state"}
    for g in o["groups"]:
        assert set(g) >= {"name", "owner", "state"}
PY
}
methods() { python3 -c 'import json,sys
for a in json.load(sys.stdin):
    for m in a["methods"]: print(a["id"], m["id"])'; }

# --- generic --------------------------------------------------------------
[ "$(status "$kbw" --version)" = 0 ] && grep -q '^kbwizard [0-9]' "$tmp/out" && ok "--version" || notok "--version"
[ "$(status "$kbw" --help)" = 0 ] && grep -q 'lint \[PATH' "$tmp/out" && grep -q 'Exit status' "$tmp/out" \
    && ok "--help lists the commands and exit statuses" || notok "--help"
[ "$(status "$kbw" frobnicate)" = 2 ] && grep -q '^kbwizard: unknown command' "$tmp/err" \
    && ok "unknown command: exit 2, kbwizard: message" || notok "unknown command"
[ "$(status "$kbw")" = 0 ] && grep -q '^889528	' "$tmp/out" && grep -q 'kbwizard run' "$tmp/out" \
    && ok "no command: the list and how to run one headless" || notok "no command"

# --- list -----------------------------------------------------------------
[ "$(status "$kbw" list)" = 0 ] && [ "$(cut -f1 "$tmp/out" | tr '\n' ' ')" = "240208 241573 312395 885440 889528 " ] \
    && ok "list: the five articles, ID<TAB>TITLE" || notok "list"
[ "$(status "$kbw" list --json)" = 0 ] && is_json "$tmp/out" && python3 -c '
import json,sys; a=json.load(open(sys.argv[1])); assert len(a)==5
assert all(set(x)=={"id","title","methods"} and all(set(m)=={"id","title"} for m in x["methods"]) for x in a)' "$tmp/out" \
    && ok "list --json: articles with id, title, methods" || notok "list --json"
cp "$tmp/out" "$tmp/list.json"

# --- lint -----------------------------------------------------------------
[ "$(status "$kbw" lint "$kbdata")" = 0 ] && grep -q '5 file(s), 0 error(s)' "$tmp/out" \
    && ok "lint: kbdata is clean" || notok "lint kbdata"
mkdir "$tmp/broken"
cp "$kbdata"/*.cfg "$tmp/broken/"
line=$(grep -n 'owner = "NODE1"' "$tmp/broken/889528.cfg" | head -1 | cut -d: -f1)
sed -i "${line}s/owner = \"NODE1\"/owner = \"NODE7\"/" "$tmp/broken/889528.cfg"
[ "$(status "$kbw" lint "$tmp/broken")" = 1 ] && grep -q "^$tmp/broken/889528.cfg:$line: .*unknown owner node \"NODE7\"" "$tmp/err" \
    && ok "lint: a broken copy is reported as FILE:LINE: with exit 1" || notok "lint broken copy"
[ "$(status env KBWIZARD_KBDATA="$tmp/broken" "$kbw" list)" = 2 ] && grep -q "889528.cfg:$line:" "$tmp/err" \
    && ok "list refuses a broken library with exit 2 and FILE:LINE" || notok "list on a broken library"
[ "$(status "$kbw" lint "$tmp/nosuch.cfg")" = 2 ] && ok "lint: a missing file is an I/O error (exit 2)" || notok "lint missing file"
cp "$kbdata/889528.cfg" "$tmp/esc.cfg"
line=$(grep -n 'title = ' "$tmp/esc.cfg" | sed -n 5p | cut -d: -f1)
sed -i "${line}s/title = \"/title = \"\\\\x1b]0;PWNED\\\\x07/" "$tmp/esc.cfg"
[ "$(status "$kbw" lint "$tmp/esc.cfg")" = 1 ] && grep -q "esc.cfg:$line: .*control character" "$tmp/err" \
    && ! grep -q "$(printf '\033')" "$tmp/err" \
    && ok "lint: an escape sequence in step text is refused at its line" || notok "lint escape injection"

# --- run ------------------------------------------------------------------
bad=""
methods <"$tmp/list.json" >"$tmp/methods"
while read -r id m; do
    for mode in --lab --guided; do
        "$kbw" run "$id" $mode --method "$m" --auto >"$tmp/run" 2>&1 && grep -q '^Result: goal reached' "$tmp/run" \
            || bad="$bad $id/$m$mode"
    done
done <"$tmp/methods"
[ -z "$bad" ] && ok "run --auto reaches the goal for every method, lab and guided ($(wc -l <"$tmp/methods") methods)" \
    || { echo "$bad" >"$tmp/err"; notok "run --auto:$bad"; }
printf 'operator Ann\nact stop-service NODE2 ClusSvc\nshow\ndo\ndo\nnote all good\nshow\n' >"$tmp/s1"
"$kbw" run 889528 --lab --method clustered --seed 5 --script "$tmp/s1" >"$tmp/a" 2>&1
"$kbw" run 889528 --lab --method clustered --seed 5 --script - <"$tmp/s1" >"$tmp/b" 2>&1
cmp -s "$tmp/a" "$tmp/b" && ok "the same script twice gives byte-identical output" || notok "determinism (text)"
"$kbw" run 889528 --lab --method clustered --json --auto >"$tmp/a" 2>&1
"$kbw" run 889528 --lab --method clustered --json --auto >"$tmp/b" 2>&1
cmp -s "$tmp/a" "$tmp/b" && json_lines "$tmp/a" 2>"$tmp/err" \
    && ok "--json: one object per event with step, status, nodes, groups; deterministic" || notok "--json"
"$kbw" run 889528 --lab --method clustered --script "$tmp/s1" >"$tmp/out" 2>&1
awk '/^> show/{c++} c==1' "$tmp/out" | grep -q 'NODE2 *DOWN' && awk '/^> show/{c++} c==1' "$tmp/out" | grep -q 'state: Down (red X)' \
    && ok "show: the stopped passive node is drawn DOWN" || notok "show DOWN"
for args in "889528" "889528 --lab" "889528 --lab --auto --script x" "nosuch --lab --auto" \
            "889528 --lab --method nosuch --auto" "889528 --lab --seed -1 --auto" "889528 --lab --seed x --auto"; do
    # shellcheck disable=SC2086
    [ "$(status "$kbw" run $args)" = 2 ] && grep -q '^kbwizard: ' "$tmp/err" || bad="$bad [$args]"
done
[ -z "$bad" ] && ok "run: usage errors exit 2 with a kbwizard: message" || notok "run usage errors:$bad"
printf 'operator Ann\nfly away\n' >"$tmp/s2"
[ "$(status "$kbw" run 889528 --lab --script "$tmp/s2")" = 2 ] && grep -q "^$tmp/s2:2: unknown script command" "$tmp/err" \
    && ok "run: an unknown script line is reported as FILE:LINE, exit 2" || notok "script error"
printf 'act stop-service NODE1 ClusSvc\ndo\ndo\n' >"$tmp/s3"
[ "$(status "$kbw" run 889528 --lab --method clustered --script "$tmp/s3")" = 1 ] && grep -q 'REFUSED' "$tmp/out" \
    && ok "run: a refused gate prints the warning and exits 1" || notok "refused gate exit"

# --- checklist, schema --------------------------------------------------------
[ "$(status "$kbw" checklist 889528 --method clustered)" = 0 ] && grep -q '^- \[ \] \*\*3\. ' "$tmp/out" \
    && grep -q 'GATE' "$tmp/out" && grep -q 'Sign-off' "$tmp/out" && ok "checklist: boxes, gates and sign-off in Markdown" \
    || notok "checklist md"
[ "$(status "$kbw" checklist 241573 --format json)" = 0 ] && is_json "$tmp/out" && ok "checklist --format json parses" \
    || notok "checklist json"
[ "$(status "$kbw" checklist 241573 --format pdf)" = 2 ] && ok "checklist: an unknown format is a usage error" || notok "checklist format"
"$kbw" schema >"$tmp/schema.md" && cmp -s "$tmp/schema.md" "$kbdata/SCHEMA.md" \
    && ok "kbdata/SCHEMA.md is what the loader's tables generate" || { diff "$tmp/schema.md" "$kbdata/SCHEMA.md" >"$tmp/err"; notok "SCHEMA.md drifted (make schema)"; }
echo "1..$n"
