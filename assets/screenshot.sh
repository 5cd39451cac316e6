#!/usr/bin/env bash
# assets/screenshot.sh - regenerates assets/story.png, the README's picture of the story lesson,
# rendered by smtpsim-viz itself under a virtual display (xvfb-run), at 10 minutes: the message
# deferred on the outbound cluster with its retry countdown running. Also the hands-on pictures:
# assets/link-menu.png (the cut link's right-click menu at 2m, from link-menu.actions.yaml) and
# assets/inspector.png (the story message in the inspector at its last hop, at 1h5m).
#   usage: assets/screenshot.sh [BUILD_DIR] [TIME]     (defaults: build, 10m)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
at=${2:-10m}
viz="$build/viz/smtpsim-viz"
if [ ! -x "$viz" ]; then
  echo "assets/screenshot.sh: $viz is not built (cmake --build $build --target smtpsim-viz)" >&2
  exit 2
fi
command -v xvfb-run >/dev/null || { echo "assets/screenshot.sh: needs xvfb-run (apt-get install xvfb xauth)" >&2; exit 2; }
xvfb-run -a -s '-screen 0 1280x800x24' "$viz" scenarios/lessons/story.yaml --at "$at" --size 1280x800 \
  --screenshot assets/story.png
echo "wrote assets/story.png (story at $at)"
xvfb-run -a -s '-screen 0 1280x800x24' "$viz" scenarios/lessons/story.yaml --actions assets/link-menu.actions.yaml \
  --play-to-end >/dev/null
echo "wrote assets/link-menu.png"
xvfb-run -a -s '-screen 0 1280x800x24' "$viz" scenarios/lessons/story.yaml --at 1h5m --tab message --inspect first \
  --screenshot assets/inspector.png
echo "wrote assets/inspector.png"
