#!/usr/bin/env bash
# viz_predict.sh VIZ SMTPSIM LESSON OUTDIR - predict mode from the command line:
#  1. --predict --scene: the scene JSON holds the first question (who answers whom, four
#     choices, the score) and not the hidden reply;
#  2. --predict --play-to-end under Xvfb (nobody answers): every question times out into "no
#     answer" (counted), the run finishes, and its trace hash is `smtpsim run`'s.
set -u
viz=$1 smtpsim=$2 lesson=$3 out=$4
mkdir -p "$out"
fail() { echo "FAIL [predict]: $*"; exit 1; }

"$viz" "$lesson" --predict --scene "$out/predict-scene.json" >/dev/null 2>&1 || fail "--predict --scene failed"
python3 - "$out/predict-scene.json" <<'PY' || fail "scene JSON, see above"
import json, sys
s = json.load(open(sys.argv[1]))
p = s["predict"]
assert p is not None, "no predict object"
assert p["waiting"] is True, p
assert p["server"] and p["client"], p
assert len(p["choices"]) == 4, p["choices"]
assert all(c["label"] for c in p["choices"]), p["choices"]
assert (p["asked"], p["right"], p["unanswered"]) == (0, 0, 0), p
replies = [t for t in s["tokens"] if t["kind"] == "reply" and t["from"] == p["server"] and t["to"] == p["client"]]
assert not replies, ("the hidden reply is on the canvas", replies)
print("scene: waiting for", p["server"], "->", p["client"], [c["label"] for c in p["choices"]])
PY

want=$("$smtpsim" run "$lesson" | grep -o 'trace hash [0-9a-f]*') || fail "smtpsim run failed"
got=$(timeout 280 xvfb-run -a -s '-screen 0 1280x800x24' "$viz" "$lesson" --predict --play-to-end 2>&1)
grep -q "$want" <<<"$got" || fail "--predict --play-to-end: not '$want': $got"
line=$(grep '^predict: ' <<<"$got") || fail "no 'predict:' line: $got"
echo "$line"
read -r n right none <<<"$(sed -E 's/^predict: ([0-9]+) questions, ([0-9]+) right, ([0-9]+) not answered.*/\1 \2 \3/' <<<"$line")"
[ "$n" -ge 10 ] || fail "only $n questions asked"
[ "$right" -eq 0 ] && [ "$none" -eq "$n" ] || fail "nobody answered, yet: $line"
echo "PASS [predict]"
