#!/usr/bin/env bash
# The README's two commands:
#   bash tools/setup/run.sh bench   install everything, build, run the headline benchmark
#   bash tools/setup/run.sh test    install everything, build, run every test (release, ASan/UBSan,
#                                   and TSan over the parallel scheduler)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:-}"
bash tools/setup/install-deps.sh

case "$mode" in
  test)
    cmake --preset release
    cmake --build --preset release
    ctest --preset release
    cmake --preset asan
    cmake --build --preset asan
    ctest --preset asan
    # ThreadSanitizer over the parallel scheduling paths (batches, class cache, thread sweeps).
    cmake --preset tsan
    cmake --build --preset tsan --target podium_scheduler_tests
    ctest --preset tsan -R '^(Scheduler|RingMaxTree)\.'
    ;;
  bench)
    cmake --preset release
    cmake --build --preset release --target podium
    podium=./build/release/tools/podium/podium
    cluster=build/cluster-5000x150000.json
    [ -f "$cluster" ] || "$podium" generate --nodes 5000 --pods 150000 --seed 1 --output "$cluster"
    "$podium" schedule --cluster "$cluster" --output build/placements.json
    echo "placements: build/placements.json"
    python3 - <<'PY'
import json
m = json.load(open("build/placements.json"))["metrics"]
print("5,000 nodes / 150,000 pods, default profile, scoring every node")
for k in ("scheduled", "unschedulable", "threads", "load_seconds", "schedule_seconds", "pods_per_second"):
    print(f"  {k:18} {m[k]}")
print("  latency_us        " + ", ".join(f"{k} {v}" for k, v in m["latency_us"].items()))
PY
    ;;
  *)
    echo "usage: $0 bench|test" >&2
    exit 2
    ;;
esac
