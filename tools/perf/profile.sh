#!/usr/bin/env bash
# Profile `podium schedule` with perf's cpu-clock sampler (works where hardware counters
# do not) on the frame-pointer build, and leave behind:
#   build/perf/report.txt    flat and caller-annotated hot spots (perf report --stdio)
#   build/perf/perf.script   the raw samples; open as a flame graph with speedscope:
#                            npx speedscope build/perf/perf.script   (npm package "speedscope")
#
# usage: tools/perf/profile.sh [--nodes N] [--pods P] [--seed S] [-- extra `podium schedule` args]
set -euo pipefail
cd "$(dirname "$0")/../.."
nodes=5000 pods=150000 seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --pods) pods="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v perf >/dev/null || { echo "perf not found: apt-get install linux-perf" >&2; exit 2; }

cmake --preset perf >/dev/null
cmake --build --preset perf --target podium
podium=build/perf/tools/podium/podium
out=build/perf
cluster="$out/cluster-${nodes}x${pods}-s${seed}.json"
[ -f "$cluster" ] || "$podium" generate --nodes "$nodes" --pods "$pods" --seed "$seed" --output "$cluster"

perf record -e cpu-clock -F 4000 --call-graph fp -o "$out/perf.data" -- \
  "$podium" schedule --cluster "$cluster" --output "$out/placements.json" "$@"
perf report -i "$out/perf.data" --stdio --no-children --percent-limit 0.5 > "$out/report.txt" 2>/dev/null
perf script -i "$out/perf.data" > "$out/perf.script" 2>/dev/null
echo "hot spots:   $out/report.txt"
echo "flame graph: npx speedscope $out/perf.script"
grep -E '^ +[0-9.]+%' "$out/report.txt" | head -15
