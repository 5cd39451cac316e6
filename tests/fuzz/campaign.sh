#!/usr/bin/env bash
# campaign.sh UNTIL [LANES] [SLICE] - a long fuzzing campaign, fair to every fuzzer, that can be
# stopped at a wall-clock time and reports what it did. CI's bounded run is .ci/fuzz; this is the
# long one (issue 14: >= 10^8 executions in all, per-fuzzer executions, coverage and crashes).
#
#   UNTIL  when to stop starting slices: "HH:MM" (today, UTC) or seconds from now
#   LANES  fuzzers run side by side (default 2), each at nice 19 so it only takes idle CPU
#   SLICE  seconds per fuzzer per round (default 300); rounds repeat with a new seed each
#
# Throughput build: build-campaign/fast (clang-14, -fsanitize=fuzzer only, Release): two to three
# times the executions of the ASan build. Its findings are checked where they count: every input it
# kept is replayed under the ASan build (build-fuzz, as .ci/fuzz makes it) at the end, and every
# crash it finds is kept under build-campaign/crashes/<fuzzer>/ for replay under ASan.
# At the end the corpus each fuzzer grew is merged into a minimized tests/fuzz/corpus/<fuzzer>/
# (-merge=1 keeps only inputs that add coverage), which CI's bounded runs start from.
# Output: build-campaign/summary.tsv (one line per slice) and a table per fuzzer on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
until_arg=${1:?usage: campaign.sh UNTIL [LANES] [SLICE]}
lanes=${2:-2}
slice=${3:-300}
if [[ $until_arg == *:* ]]; then
  stop=$(date -u -d "$until_arg" +%s)
  (( stop > $(date +%s) )) || stop=$(( stop + 86400 ))  # a time already past today means tomorrow's
else
  stop=$(( $(date +%s) + until_arg ))
fi
echo "campaign: until $(date -u -d "@$stop" '+%F %H:%M') UTC, $lanes lanes, slices of ${slice}s"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
out=build-campaign
mkdir -p "$out"/corpus "$out"/crashes "$out"/logs

# build - the throughput build and the ASan build (the one .ci/fuzz uses).
cmake -S . -B "$out"/fast -G Ninja -DSMTPSIM_FUZZ=ON -DSMTPSIM_FUZZ_SANITIZERS= -DSMTPSIM_VIZ=OFF \
  -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Release >/dev/null
nice -n 10 cmake --build "$out"/fast -j"$(nproc)" --target fuzzers >/dev/null
# The ASan build is only needed for the replay at the end: it builds beside the first slices.
cmake -S . -B build-fuzz -G Ninja -DSMTPSIM_FUZZ=ON -DSMTPSIM_VIZ=OFF \
  -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
nice -n 15 cmake --build build-fuzz -j1 --target fuzzers >"$out"/logs/asan-build.log 2>&1 &
asan_build=$!

fuzzers=()
for f in "$out"/fast/tests/fuzz/fuzz_*; do [ -f "$f" ] && [ -x "$f" ] && fuzzers+=("$(basename "$f")"); done
for name in "${fuzzers[@]}"; do mkdir -p "$out/corpus/$name" "$out/crashes/$name"; done
echo "campaign: ${fuzzers[*]}"
# Each campaign starts its seeds past the slices already on record, so a second campaign does not
# repeat the first one's seeds (rounds count from 0 in every campaign).
seed_base=$(( 1000 + $( [ -f "$out"/summary.tsv ] && wc -l <"$out"/summary.tsv || echo 0) * 7 ))
[ -f "$out"/summary.tsv ] || printf 'fuzzer\tround\tseed\tseconds\texecutions\tcov\tft\tcorpus\tcrash\n' >"$out"/summary.tsv

# one_slice NAME ROUND - run NAME for one slice; append its line to summary.tsv.
one_slice() {
  local name=$1 round=$2 seed=$(( seed_base + $2 * 7 ))
  local bin=$out/fast/tests/fuzz/$name log=$out/logs/$name-$round.log
  local dirs=("$out/corpus/$name")
  mkdir -p "$out/corpus/$name" "$out/crashes/$name"
  [ -d tests/fuzz/corpus/"$name" ] && dirs+=(tests/fuzz/corpus/"$name")
  [ -d tests/fuzz/regressions/"$name" ] && dirs+=(tests/fuzz/regressions/"$name")
  local opts=(-seed="$seed" -max_total_time="$slice" -print_final_stats=1 -rss_limit_mb=2048
              -artifact_prefix="$out/crashes/$name/")
  [ -f tests/fuzz/"$name".dict ] && opts+=(-dict=tests/fuzz/"$name".dict)
  local t0=$(date +%s) crash=0
  nice -n 19 "$bin" "${opts[@]}" "${dirs[@]}" >"$log" 2>&1 || crash=1
  local execs cov ft corp
  execs=$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  read -r cov ft corp < <(grep -E '^#[0-9]+' "$log" | tail -1 |
    sed -nE 's/.*cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/\1 \2 \3/p'; echo)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "$seed" "$(( $(date +%s) - t0 ))" \
    "${execs:-0}" "${cov:-0}" "${ft:-0}" "${corp:-0}" "$crash" >>"$out"/summary.tsv
}

# lane K - the fuzzers K, K+lanes, ... round after round until the stop time.
lane() {
  local k=$1 round=0
  while :; do
    for (( i = k; i < ${#fuzzers[@]}; i += lanes )); do
      [ "$(date +%s)" -lt "$stop" ] || return 0
      one_slice "${fuzzers[$i]}" "$round"
    done
    round=$(( round + 1 ))
  done
}

lane_pids=()
for (( k = 0; k < lanes; ++k )); do lane "$k" & lane_pids+=($!); done
wait "${lane_pids[@]}"
wait "$asan_build" || { echo "the ASan build failed: $out/logs/asan-build.log"; exit 1; }

# Minimize into the kept corpus; replay it and every crash under ASan.
status=0
for name in "${fuzzers[@]}"; do
  mkdir -p "$out/merged/$name"
  rm -f "$out/merged/$name"/*
  src=("$out/corpus/$name")
  [ -d tests/fuzz/corpus/"$name" ] && src+=(tests/fuzz/corpus/"$name")
  "$out"/fast/tests/fuzz/"$name" -merge=1 "$out/merged/$name" "${src[@]}" >"$out/logs/$name-merge.log" 2>&1
  rm -rf tests/fuzz/corpus/"$name"
  mkdir -p tests/fuzz/corpus/"$name"
  cp "$out/merged/$name"/* tests/fuzz/corpus/"$name"/ 2>/dev/null || true
  if ! build-fuzz/tests/fuzz/"$name" -runs=0 tests/fuzz/corpus/"$name" >"$out/logs/$name-asan.log" 2>&1; then
    echo "ASAN REPLAY OF $name's CORPUS FAILED: $out/logs/$name-asan.log"; status=1
  fi
  for c in "$out/crashes/$name"/*; do
    [ -f "$c" ] || continue
    build-fuzz/tests/fuzz/"$name" "$c" >>"$out/logs/$name-asan-crashes.log" 2>&1 \
      && echo "$name: $c does not crash under ASan" || { echo "$name: CRASH $c (ASan log: $out/logs/$name-asan-crashes.log)"; status=1; }
  done
done

# The table: per fuzzer, slices, seconds, executions, the last coverage, the kept corpus, crashes.
awk -F'\t' 'NR > 1 { s[$1]++; t[$1] += $4; e[$1] += $5; c[$1] = $6; f[$1] = $7; x[$1] += $9; E += $5 }
  END { printf "%-20s %6s %8s %14s %6s %7s %7s\n", "fuzzer", "slices", "seconds", "executions", "cov", "ft", "crashes";
        for (n in s) printf "%-20s %6d %8d %14d %6d %7d %7d\n", n, s[n], t[n], e[n], c[n], f[n], x[n];
        printf "%-20s %6s %8s %14d\n", "all", "", "", E }' "$out"/summary.tsv
for name in "${fuzzers[@]}"; do echo "$name: kept corpus $(ls tests/fuzz/corpus/"$name" | wc -l) inputs"; done
exit "$status"
