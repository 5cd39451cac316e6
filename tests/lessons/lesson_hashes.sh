#!/usr/bin/env bash
# lesson_hashes.sh SMTPSIM [--update] - every lesson's trace hash at its file seed, compared with
# the pinned list in tests/lessons/lesson_hashes.txt (or rewritten with --update). A change that
# moves a hash updates the list in the same commit, and its message says why the trace changed.
set -euo pipefail
smtpsim=$1; mode=${2:-check}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
pinned=$here/lesson_hashes.txt
now=$(mktemp); trap 'rm -f "$now"' EXIT
for f in "$root"/scenarios/lessons/*.yaml; do
  h=$("$smtpsim" run "$f" 2>&1 | sed -n 's/.*trace hash \([0-9a-f]\{16\}\).*/\1/p' | head -n 1)
  echo "$(basename "$f") ${h:-MISSING}" >>"$now"
done
if [ "$mode" = --update ]; then cp "$now" "$pinned"; echo "updated $pinned"; cat "$pinned"; exit 0; fi
if diff -u "$pinned" "$now"; then echo "all $(wc -l <"$now") lesson hashes match the pinned list"; exit 0; fi
echo "lesson trace hashes moved (- pinned, + now): if the change is meant, run"
echo "  tests/lessons/lesson_hashes.sh build/smtpsim --update   and say why in the commit message"
exit 1
