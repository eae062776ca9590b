#!/usr/bin/env bash
# The README's two commands:
#   bash tools/setup/run.sh bench   install everything, build, run the headline benchmark
#   bash tools/setup/run.sh test    install everything, build, run every test (release, ASan/UBSan,
#                                   TSan over the parallel scheduler, and a short fuzz of every parser)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:-}"
bash tools/setup/install-deps.sh "$mode"

case "$mode" in
  test)
    cmake --preset release
    cmake --build --preset release
    # The sweep's Slurm test (label slurm) starts its own munged/slurmctld/slurmd; here a Slurm
    # that cannot start is a failure, not a skip.
    PODIUM_REQUIRE_SLURM=1 ctest --preset release
    cmake --preset asan
    cmake --build --preset asan
    ctest --preset asan
    # ThreadSanitizer over the parallel scheduling paths (batches, class cache, thread sweeps).
    cmake --preset tsan
    cmake --build --preset tsan --target podium_scheduler_tests
    ctest --preset tsan -R '^(Scheduler|RingMaxTree|Sampled[A-Za-z]*|SequentialEquivalent|Optimistic|UsageReservations|Gang|SpinPartner|FusedRefresh|PartnerRefresh|ClassCache)\.|/SampledParity\.'
    # libFuzzer over every parser (clang, ASan + UBSan): each kept regression input once, then
    # 20 s of fuzzing per target from the checked-in seeds (tests/fuzz, docs/RELIABILITY.md).
    cmake --preset fuzz
    cmake --build --preset fuzz
    bash tests/fuzz/run.sh 20
    ;;
  bench)
    cmake --preset release
    cmake --build --preset release --target podium
    # scheduler_perf's SchedulingBasic at Kubernetes' documented limit: 5,000 nodes, 150,000
    # pods, default profile, every node scored; the run checks its own answer (all placed).
    ./build/release/tools/podium/podium bench bench/workloads/scheduling_basic.yaml \
      --workload 5000Nodes_150000Pods --out build/bench-scheduling-basic.json --format json
    ./build/release/tools/podium/podium bench bench/workloads/scheduling_basic.yaml --workload 5000Nodes_150000Pods
    ;;
  *)
    echo "usage: $0 bench|test" >&2
    exit 2
    ;;
esac
