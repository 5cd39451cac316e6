#!/usr/bin/env bash
# figures.sh [BUILD_DIR] - runs the benchmarks and two lessons, and prints README's performance table
# (markdown) with the conditions the figures were measured under: the machine, its load, the build.
# Paste its output over the table in README.md ("## Performance"); nothing else writes figures there.
set -euo pipefail
build=${1:-build}
bench=$build/tests/bench
for b in bench_core bench_smtp bench_pop3 bench_scale; do
  [ -x "$bench/$b" ] || { echo "figures.sh: $bench/$b is not built (cmake --build $build --target $b)" >&2; exit 2; }
done
[ -x "$build/smtpsim" ] || { echo "figures.sh: $build/smtpsim is not built" >&2; exit 2; }
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //; s/  */ /g' || echo unknown)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
build_type=$(grep -m1 '^CMAKE_BUILD_TYPE:' "$build/CMakeCache.txt" | cut -d= -f2 || echo unknown)
compiler=$(grep -m1 '^CMAKE_CXX_COMPILER:' "$build/CMakeCache.txt" | cut -d= -f2 || echo c++)
compiler_version=$("$compiler" --version 2>/dev/null | head -n1 || echo unknown)

for b in bench_core bench_smtp bench_pop3 bench_scale; do "$bench/$b" >"$tmp/$b.txt" 2>&1; done
# The visualizer's and the live bridge's benchmarks, when they are built (bench_live needs Postfix's
# smtp-source and smtp-sink).
optional=()
for b in bench_viz bench_live; do
  if [ -x "$bench/$b" ] && "$bench/$b" >"$tmp/$b.txt" 2>&1; then optional+=("$b"); fi
done
# wall - the wall_seconds of one lesson's `run --summary-json`, in ms; and its events.
lesson() {
  "$build/smtpsim" run "$src/scenarios/lessons/$1.yaml" --summary-json "$tmp/$1.json" >/dev/null
  python3 - "$tmp/$1.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
print("%d ms wall for %s virtual, %d events" % (round(r["wall_seconds"] * 1000), r["end"], r["events"]))
PY
}
story=$(lesson story)
bounce=$(lesson bounce-after-4h)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
last() { tail -n 1 "$tmp/$1.txt" | sed "s/^$1: //"; }
line() { grep -m1 "^$2" "$tmp/$1.txt" | sed "s/^$2 *//"; }

echo "Measured $(date -u +%Y-%m-%d) on $cpu ($(nproc) cores), load average $load_before before and"
echo "$load_after after; $build_type build, $compiler_version. Ratios are taken side by side in one"
echo "process, so a busy machine moves them less than the absolute rates. Regenerate with"
echo "\`tests/bench/figures.sh build\`."
echo
echo "| benchmark | what it measures | result |"
echo "|---|---|---|"
echo "| \`bench_core\` | scheduler vs a plain \`std::priority_queue\` at 1e3/1e5/1e6 pending events (CPU time) | $(last bench_core) |"
echo "| \`bench_smtp\` | in-memory SMTP transactions per CPU second; DATA parser vs \`memchr\` | $(last bench_smtp) |"
echo "| \`bench_pop3\` | RETR of 10 KB messages vs \`memcpy\` | $(last bench_pop3) |"
echo "| \`bench_scale\` plain | 100 MTAs, 1,000 domains, 1 KB messages, 10% failing 1 h, real SMTP engines: no TLS, trace recording off | $(line bench_scale plain:) |"
echo "| \`bench_scale\` TLS | the same with STARTTLS on every hop and trace recording on | $(line bench_scale TLS:) |"
echo "| \`bench_scale\` memory | one queue of deferred 1 KB messages | $(line bench_scale 'phase 2:') |"
echo "| story lesson | \`smtpsim run scenarios/lessons/story.yaml\`, \`wall_seconds\` of \`--summary-json\` | $story |"
echo "| bounce-after-4h | the same for the 4-hour retry lesson | $bounce |"
for b in "${optional[@]}"; do
  case $b in
    bench_viz) echo "| \`bench_viz\` | CPU time to build one frame (ImGui NewFrame..Render, no GL) of 200 hosts and 5,000 tokens in flight, median of 300; step back one event on the story (re-simulate + redraw) | $(last bench_viz) |" ;;
    bench_live) echo "| \`bench_live\` | Postfix \`smtp-source\` (20,000 x 1 KB, 10 sessions) against \`smtpsim live\` (full engine, spool, trace) and against \`smtp-sink\`, same run: msg/s ratio | $(last bench_live) |" ;;
  esac
done
