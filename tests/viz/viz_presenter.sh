#!/usr/bin/env bash
# viz_presenter.sh VIZ LESSON OUTDIR - presenter mode in the real window under Xvfb: the same
# moment in normal and presenter mode; the lesson title's text (drawn in one known colour at the
# top left in both) is measured in the PNGs:
#  1. its glyphs are at least 2x as tall in presenter mode;
#  2. they are crisp (a re-built atlas): the share of fully inked pixels among the pixels the text
#     touches stays high. A small atlas only scaled up (--presenter-scale-only, test only) passes
#     1 but fails 2, and the script checks that it does, so the check cannot pass by scaling.
set -u
viz=$1 lesson=$2 out=$3
mkdir -p "$out"
fail() { echo "FAIL [presenter]: $*"; exit 1; }
xrun() { xvfb-run -a -s '-screen 0 1280x800x24' "$@"; }

for mode in normal presenter scaled; do
  case $mode in
    normal) flags=() ;;
    presenter) flags=(--presenter) ;;
    scaled) flags=(--presenter-scale-only) ;;
  esac
  xrun "$viz" "$lesson" --at 10m "${flags[@]}" --screenshot "$out/presenter-$mode.png" >/dev/null 2>&1 \
    || fail "screenshot ($mode) failed"
  convert "$out/presenter-$mode.png" -depth 8 "rgb:$out/presenter-$mode.rgb" || fail "cannot read $mode PNG"
done

python3 - "$out" <<'PY' || fail "see above"
import sys
W, H = 1280, 800
TITLE = (235, 235, 240)  # the title's colour (view_main.cpp top_bar)

def measure(path):
    px = open(path, "rb").read()
    assert len(px) == W * H * 3, (path, len(px))
    def at(x, y):
        i = (y * W + x) * 3
        return px[i], px[i + 1], px[i + 2]
    def ink(c):  # fully inked: the title colour itself
        return sum(abs(a - b) for a, b in zip(c, TITLE)) <= 45
    def touched(c):  # any text pixel: clearly brighter than the dark backgrounds
        return sum(c) / 3 >= 70
    xs = range(0, W // 3)  # the start of the title, left of any button
    rows = [y for y in range(0, 300) if any(ink(at(x, y)) for x in xs)]
    assert rows, path + ": no title text found"
    top = rows[0]
    bottom = top
    while bottom + 1 < 300 and any(ink(at(x, bottom + 1)) for x in xs):
        bottom += 1
    cols = [x for x in xs if any(ink(at(x, y)) for y in range(top, bottom + 1))]
    # the glyphs' full height: out to the faint edge rows of the anti-aliased text
    span = range(cols[0], cols[-1] + 1)
    while top > 0 and any(touched(at(x, top - 1)) for x in span):
        top -= 1
    while bottom + 1 < 300 and any(touched(at(x, bottom + 1)) for x in span):
        bottom += 1
    height = bottom - top + 1
    full = sum(1 for y in range(top, bottom + 1) for x in range(cols[0], cols[-1] + 1) if ink(at(x, y)))
    seen = sum(1 for y in range(top, bottom + 1) for x in range(cols[0], cols[-1] + 1) if touched(at(x, y)))
    return height, full / max(seen, 1)

out = sys.argv[1]
n_h, n_c = measure(out + "/presenter-normal.rgb")
p_h, p_c = measure(out + "/presenter-presenter.rgb")
s_h, s_c = measure(out + "/presenter-scaled.rgb")
print(f"title text height: normal {n_h}px, presenter {p_h}px ({p_h / n_h:.2f}x), scaled-only {s_h}px")
print(f"inked share of text pixels: normal {n_c:.2f}, presenter {p_c:.2f}, scaled-only {s_c:.2f}")
CRISP = 0.40
ok = True
if p_h < 2 * n_h:
    print(f"presenter text is {p_h}px, less than 2x the normal {n_h}px"); ok = False
if p_c < CRISP:
    print(f"presenter text is blurry (inked share {p_c:.2f} < {CRISP})"); ok = False
# The check must tell a scaled small atlas apart: it has to fail that one.
if s_h >= 2 * n_h and s_c >= CRISP:
    print(f"the check does not catch a scaled atlas (scaled-only: {s_h}px, inked share {s_c:.2f})"); ok = False
sys.exit(0 if ok else 1)
PY
echo "PASS [presenter]"
