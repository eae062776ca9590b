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
  shopt -s nullglob
  regressions=("$fuzz/regressions/$target"/*)
  shopt -u nullglob
  if [ ${#regressions[@]} -gt 0 ]; then
    echo "== $target: ${#regressions[@]} regression input(s)"
    "$bin/$target" -rss_limit_mb=2048 -timeout=10 "${regressions[@]}" 2>"$scratch/log" ||
      { cat "$scratch/log" >&2; exit 1; }
  fi
  dict=()
  [ -f "$fuzz/$target.dict" ] && dict=(-dict="$fuzz/$target.dict")
  echo "== $target: fuzzing for ${seconds}s"
  mkdir -p "$scratch/$target"
  "$bin/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$findings/$target-" "$scratch/$target" "$fuzz/corpus/$target" \
    2>"$scratch/log" || { tail -n 60 "$scratch/log" >&2; echo "fuzz: $target found a problem: $findings/" >&2; exit 1; }
  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$scratch/log" || true
done
