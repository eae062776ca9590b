#!/usr/bin/env bash
# Instruction counts with callgrind: repeatable on a noisy shared machine (the same binary,
# input and arguments give the same totals whatever else runs), so use it to compare two
# versions of a hot loop. Runs a small cluster: callgrind is ~50x slower than native.
#
# usage: tools/perf/callgrind.sh [--nodes N] [--pods P] [-- extra `podium schedule` args]
# then:  callgrind_annotate build/perf/callgrind.out | head -40
set -euo pipefail
cd "$(dirname "$0")/../.."
nodes=5000 pods=5000
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --pods) pods="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v valgrind >/dev/null || { echo "valgrind not found: apt-get install valgrind" >&2; exit 2; }
cmake --preset perf >/dev/null
cmake --build --preset perf --target podium
podium=build/perf/tools/podium/podium
cluster="build/perf/cluster-${nodes}x${pods}-s1.json"
[ -f "$cluster" ] || "$podium" generate --nodes "$nodes" --pods "$pods" --seed 1 --output "$cluster"
valgrind --tool=callgrind --callgrind-out-file=build/perf/callgrind.out \
  "$podium" schedule --cluster "$cluster" --threads 1 --output build/perf/placements.json "$@"
callgrind_annotate build/perf/callgrind.out 2>/dev/null | head -30
