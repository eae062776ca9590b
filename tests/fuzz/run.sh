#!/usr/bin/env bash
# Runs every fuzz target built by the fuzz preset (cmake --preset fuzz && cmake --build --preset fuzz):
#   1. each input kept in tests/fuzz/regressions/<target>/ once, as a plain run, so a fixed
#      finding cannot come back;
#   2. the fuzzer for SECONDS (default 20) from the checked-in seeds, corpus/<target>/, with
#      <target>.dict when there is one. What it discovers goes to a scratch folder, never into
#      the checked-in corpus; a crashing input is left in build/fuzz/findings/ and fails the run.
# A target is a folder under corpus/: adding one means adding <target>.cpp, its
# podium_add_fuzzer() line and its corpus folder. Long runs and corpus merging: docs/RELIABILITY.md.
#
# usage: bash tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
shift || true
bin=build/fuzz/tests/fuzz
fuzz=tests/fuzz
findings=build/fuzz/findings
mkdir -p "$findings"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in "$fuzz"/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

for target in "${targets[@]}"; do
  [ -x "$bin/$target" ] || { echo "fuzz: $bin/$target is not built (cmake --build --preset fuzz)" >&2; exit 2; }
done

# One target: its regression inputs, then SECONDS of fuzzing. Output to stdout; non-zero on a finding.
fuzz_target() {
  local target=$1 log="$scratch/$1.log"
  shopt -s nullglob
  local regressions=("$fuzz/regressions/$target"/*)
  shopt -u nullglob
  if [ ${#regressions[@]} -gt 0 ]; then
    echo "== $target: ${#regressions[@]} regression input(s)"
    "$bin/$target" -rss_limit_mb=2048 -timeout=10 "${regressions[@]}" 2>"$log" || { cat "$log"; return 1; }
  fi
  local dict=()
  [ -f "$fuzz/$target.dict" ] && dict=(-dict="$fuzz/$target.dict")
  echo "== $target: fuzzing for ${seconds}s"
  mkdir -p "$scratch/$target"
  "$bin/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$findings/$target-" "$scratch/$target" "$fuzz/corpus/$target" \
    2>"$log" || { tail -n 60 "$log"; echo "fuzz: $target found a problem: $findings/"; return 1; }
  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
}

# A libFuzzer process fuzzes on one core, so PODIUM_FUZZ_JOBS targets (default: one per core) run
# side by side: each still gets SECONDS of its own, and the stage's wall time shrinks by that
# factor. Each target's output is printed whole, in order, when it ends.
jobs="${PODIUM_FUZZ_JOBS:-$(nproc)}"
failed=0
pids=()
names=()
finish_oldest() {
  local status=0
  wait "${pids[0]}" || status=$?
  cat "$scratch/${names[0]}.out"
  [ "$status" -eq 0 ] || { echo "fuzz: ${names[0]} failed" >&2; failed=1; }
  pids=("${pids[@]:1}")
  names=("${names[@]:1}")
}
for target in "${targets[@]}"; do
  fuzz_target "$target" >"$scratch/$target.out" 2>&1 &
  pids+=($!)
  names+=("$target")
  [ ${#pids[@]} -lt "$jobs" ] || finish_oldest
done
while [ ${#pids[@]} -gt 0 ]; do finish_oldest; done
exit "$failed"
