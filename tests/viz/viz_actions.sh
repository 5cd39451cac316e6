#!/usr/bin/env bash
# viz_actions.sh VIZ SMTPSIM OUTDIR - issue 12's --actions in the real window under Xvfb. For each
# action file in tests/viz/actions/ (each is done by hand to the story):
#  1. `--actions F --play-to-end --save-lesson X` prints the trace hash `smtpsim run X` prints,
#     with the same exit status and summary;
#  2. X holds the branch taken and nothing of a branch left behind (grep);
#  3. the effect shows in the scene JSON (--actions F --at T --scene) and in the run's transcript.
set -u
viz=$1 sim=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
story=$src/scenarios/lessons/story.yaml
mkdir -p "$out"
cd "$out" || exit 1
fail() { echo "FAIL [$name]: $*"; exit 1; }
xrun() { xvfb-run -a -s '-screen 0 1280x800x24' "$@"; }
# xrun_rc RCFILE CMD... - CMD under Xvfb, its own exit status written to RCFILE (xvfb-run itself
# may exit 5 after the program ended, when cleaning up its temporary directory fails).
xrun_rc() { local f=$1; shift; xvfb-run -a -s '-screen 0 1280x800x24' bash -c '"$@"; echo $? >"$0"' "$f" "$@"; }

# same_run NAME - play the story with actions/NAME.yaml, save the branch, replay the saved lesson.
same_run() {
  name=$1
  got=$(xrun_rc "$name.rc" "$viz" "$story" --actions "$here/actions/$name.yaml" --play-to-end --save-lesson "$name.saved.yaml" 2>"$name.err")
  rc=$(cat "$name.rc" 2>/dev/null || echo "none")
  [ -s "$name.saved.yaml" ] || fail "no saved lesson ($(cat "$name.err"))"
  want=$("$sim" run "$name.saved.yaml" 2>&1); want_rc=$?
  got_hash=$(grep -o 'trace hash [0-9a-f]\{16\}' <<<"$got")
  want_hash=$(grep -o 'trace hash [0-9a-f]\{16\}' <<<"$want")
  [ -n "$want_hash" ] || fail "smtpsim run printed no trace hash: $want"
  [ "$got_hash" = "$want_hash" ] || fail "smtpsim-viz: '$got_hash', smtpsim run on the saved lesson: '$want_hash' ($(cat "$name.err"))"
  [ "$rc" = "$want_rc" ] || fail "exit status $rc, smtpsim run's $want_rc"
  [ "$(tail -1 <<<"$got")" = "$(tail -1 <<<"$want")" ] || fail "summary differs: $(tail -1 <<<"$got")"
  lesson_hash=$("$sim" run "$story" 2>/dev/null | grep -o 'trace hash [0-9a-f]\{16\}')
  [ "$got_hash" != "$lesson_hash" ] || fail "the actions changed nothing (the lesson's own hash)"
  "$sim" run "$name.saved.yaml" --transcript >"$name.transcript" 2>&1
}

# delivered_at FILE - the time of the first 'delivered' line of a transcript (HH:MM:SS).
delivered_at() { grep -m1 '\*\* DELIVERED' "$1" | grep -o '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]' | head -1; }

# --- (a) a cut link restored early: delivered at the 00:31 retry, not after 1h ---------------
same_run restore-early
[ "$(grep -c 'after_event: [0-9]*, link: \[internet, mx1.b.example\], state: up' restore-early.saved.yaml)" = 1 ] \
  || fail "the saved lesson does not hold the restore as an after_event entry"
"$sim" run "$story" --transcript >story.transcript 2>&1
t_lesson=$(delivered_at story.transcript) t_hand=$(delivered_at restore-early.transcript)
[ -n "$t_hand" ] && [ -n "$t_lesson" ] || fail "no delivery in the transcripts ('$t_hand', '$t_lesson')"
[[ "$t_hand" < "00:35:00" && "$t_lesson" > "01:00:00" ]] || fail "delivered at $t_hand (lesson: $t_lesson)"
"$viz" "$story" --actions "$here/actions/restore-early.yaml" --at 33m --scene restore-33m.json >/dev/null 2>&1 || fail "--actions --at 33m --scene failed"  # headless: no window needed
"$viz" "$story" --at 33m --scene story-33m.json >/dev/null 2>&1 || fail "--at 33m --scene failed"
python3 - restore-33m.json story-33m.json <<'PY' || fail "the scene at 33m does not show the early delivery"
import json, sys
hand, lesson = (json.load(open(p)) for p in sys.argv[1:3])
box = lambda s: next(h for h in s["hosts"] if h["name"] == "mda.b.example")["mailbox_count"]
assert box(hand) == 1 and box(lesson) == 0, (box(hand), box(lesson))  # B fetches (and deletes) at 35m
assert hand["queues"] == [] and [q["state"] for q in lesson["queues"]] == ["deferred"], (hand["queues"], lesson["queues"])
link = next(l for l in hand["links"] if "mx1.b.example" in (l["a"], l["b"]))
assert link["state"] == "up", link
acts = [m for m in hand["markers"] if m["kind"] == "action"]
assert len(acts) == 1 and acts[0]["t_us"] == 20 * 60 * 10**6, acts
assert acts[0]["text"].startswith("link internet - mx1.b.example restored"), acts
assert [b["current"] for b in hand["branches"]] == [False, True], hand["branches"]
PY
echo "PASS [restore-early] delivered $t_hand instead of $t_lesson"

# --- (b) a Frankfurt cluster member crashes during the MSA's session with it ------------------
same_run crash-outbound
[ "$(grep -c 'after_event: [0-9]*, crash: out1.fra' crash-outbound.saved.yaml)" = 1 ] || fail "the crash is not saved"
[ "$(grep -c 'after_event: [0-9]*, restart: out1.fra' crash-outbound.saved.yaml)" = 1 ] || fail "the restart is not saved"
grep -q 'msa.a.example .*deferred: 4.4.2 lost connection with host cluster-fra' crash-outbound.transcript \
  || fail "the MSA did not keep the message after the crash"
grep -q 'out2.fra .*queued from cluster-fra' crash-outbound.transcript || fail "no other cluster member took the message"
grep -q 'out1.fra .*queued from cluster-fra' crash-outbound.transcript && fail "out1.fra still took the message"
"$viz" "$story" --actions "$here/actions/crash-outbound.yaml" --at 20m --scene crash-20m.json >/dev/null 2>&1 || fail "--actions --at 20m --scene failed"  # headless: no window needed
python3 - crash-20m.json <<'PY' || fail "the scene at 20m does not show the crashed member and the MSA's queue"
import json, sys
s = json.load(open(sys.argv[1]))
assert not next(h for h in s["hosts"] if h["name"] == "out1.fra")["up"]
rows = [(q["host"], q["state"]) for q in s["queues"]]
assert rows == [("msa.a.example", "deferred")], rows
acts = [m["text"] for m in s["markers"] if m["kind"] == "action"]
assert acts == ["out1.fra crashes - out1.fra crashes mid-session"], acts
PY
echo "PASS [crash-outbound] the MSA kept the message; out2.fra delivered it"

# --- (c) an action, a rewind to before it, a different fault: only the new branch is saved ----
same_run rewind-other-fault
grep -q 'host: mx2.b.example, behaviour: { rcpt: normal }' rewind-other-fault.saved.yaml || fail "the new branch's fault is not saved"
grep -q 'after_event: [0-9]*, link: \[internet, mx1.b.example\], state: up' rewind-other-fault.saved.yaml \
  && fail "the saved lesson holds the old branch's restore"
[ -s rewind-before.png ] || fail "the screenshot: entry wrote no picture"
t_hand=$(grep -m1 'mx2.b.example .*queued from out1.fra' rewind-other-fault.transcript | grep -o '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]' | head -1)
[[ -n "$t_hand" && "$t_hand" < "00:20:00" ]] || fail "the backup MX did not take the message at the 00:16 retry ($t_hand)"
"$viz" "$story" --actions "$here/actions/rewind-other-fault.yaml" --at 30m --scene rewind-30m.json >/dev/null 2>&1 || fail "--actions --at 30m --scene failed"  # headless: no window needed
python3 - rewind-30m.json <<'PY' || fail "the scene does not show the branches"
import json, sys
s = json.load(open(sys.argv[1]))
b = s["branches"]
assert [x["id"] for x in b] == [0, 1, 2] and b[2]["current"] and b[2]["parent"] == 1, b
assert b[2]["fork_us"] == 10 * 60 * 10**6 and b[1]["actions"] == 1 and b[2]["actions"] == 1, b
acts = [m for m in s["markers"] if m["kind"] == "action"]
assert len(acts) == 1 and acts[0]["text"].startswith("mx2.b.example: RCPT normal"), acts
rows = [(q["host"], q["state"]) for q in s["queues"]]
assert rows == [("mx2.b.example", "deferred")], rows  # the backup MX holds it now, waiting for mx1
PY
echo "PASS [rewind-other-fault] the backup MX took the message at $t_hand on branch 2"
