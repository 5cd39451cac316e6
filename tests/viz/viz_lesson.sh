#!/usr/bin/env bash
# viz_lesson.sh VIZ SMTPSIM LESSON OUTDIR - one lesson in the real window under Xvfb:
#  1. --play-to-end prints frames, exits like `smtpsim run` with the same trace hash and summary;
#  2. screenshots at a quarter and three quarters of the run are not blank and differ;
#  3. the scene JSON written beside a screenshot is at that time (story: the deferred message at 10m).
set -u
viz=$1 sim=$2 lesson=$3 out=$4
name=$(basename "$lesson" .yaml)
mkdir -p "$out"
fail() { echo "FAIL [$name]: $*"; exit 1; }
xrun() { xvfb-run -a -s '-screen 0 1280x800x24' "$@"; }

want=$("$sim" run "$lesson" 2>/dev/null); want_rc=$?
got=$(xrun "$viz" "$lesson" --play-to-end 2>"$out/$name.err"); rc=$?
echo "$got" | head -3
want_hash=$(grep -o 'trace hash [0-9a-f]\{16\}' <<<"$want")
got_hash=$(grep -o 'trace hash [0-9a-f]\{16\}' <<<"$got")
[ -n "$want_hash" ] || fail "smtpsim run printed no trace hash"
[ "$want_hash" = "$got_hash" ] || fail "smtpsim-viz: '$got_hash', smtpsim run: '$want_hash' ($(cat "$out/$name.err"))"
[ "$rc" = "$want_rc" ] || fail "exit status $rc, smtpsim run's $want_rc"
grep -q '^frames: [1-9][0-9]*$' <<<"$got" || fail "no 'frames: N' line"
[ "$(tail -1 <<<"$got")" = "$(tail -1 <<<"$want")" ] || fail "summary differs: $(tail -1 <<<"$got")"

# Two moments: a quarter and three quarters of the run.
end=$(grep -o 'ran to [0-9:.]*' <<<"$want" | head -1 | cut -d' ' -f3)
IFS=: read -r h m s <<<"$end"
total=$(( 10#$h * 3600 + 10#$m * 60 + 10#${s%.*} ))
t1=$(( total / 4 ))s t2=$(( total * 3 / 4 ))s
for t in "$t1" "$t2"; do
  xrun "$viz" "$lesson" --at "$t" --screenshot "$out/$name-$t.png" --scene "$out/$name-$t.json" >/dev/null 2>&1 \
    || fail "screenshot at $t failed"
  colours=$(identify -format '%k' "$out/$name-$t.png" 2>/dev/null || echo 0)
  [ "$colours" -ge 16 ] || fail "screenshot at $t is blank ($colours colours)"
  want_t=$(( ${t%s} * 1000000 ))
  grep -q "\"t_us\":$want_t," "$out/$name-$t.json" || fail "scene JSON at $t is not at t_us $want_t"
done
cmp -s "$out/$name-$t1.png" "$out/$name-$t2.png" && fail "the pictures at $t1 and $t2 are identical"

if [ "$name" = story ]; then
  "$viz" "$lesson" --at 10m --scene "$out/story-10m.json" || fail "--scene at 10m failed"
  python3 - "$out/story-10m.json" <<'PY' || fail "story at 10m: the scene does not show the deferred message"
import json, sys
s = json.load(open(sys.argv[1]))
rows = [q for q in s["queues"] if q["state"] == "deferred"]
assert len(rows) == 1, rows
assert rows[0]["host"].startswith("out") and rows[0]["next_attempt_us"] == 960421755, rows[0]
assert any(h["name"] == "internet" for h in s["hosts"]) and any(h["name"] == "out3.fra" for h in s["hosts"])
assert s["card"]["title"] == "Deferred", s["card"]
PY
fi
echo "PASS [$name]"
