// Whole scheduling runs as Google Benchmark cases, in pods per second (Counter::kIsRate,
// real time), swept over threads: the all-distinct-requests workload (every pod its own
// class, so no equivalence-class reuse: each decision scans every node), the 32-shape
// workload (classes reused), and the single-threaded reference loop as the baseline.
// Arguments: threads (1, 2, 4, ... up to the machine's hardware threads) and the parallel
// mode (0: sequential-equivalent, placements identical to one thread; 1: optimistic).
// 5,000 generated nodes; each iteration schedules the same pending pods on a fresh copy of
// the cluster (the copy is outside the timed region).

#include <benchmark/benchmark.h>

#include <map>
#include <thread>
#include <utility>

#include "generator/synthetic_cluster.hpp"
#include "podium/framework/profile.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/scheduler/scheduler.hpp"
#include "podium/state/cluster_builder.hpp"

namespace {

using namespace podium;

const state::ClusterState& cluster_of(std::uint32_t pods, bool distinct) {
  static std::map<std::pair<std::uint32_t, bool>, state::ClusterState> built;
  auto it = built.find({pods, distinct});
  if (it == built.end()) {
    datasets::GeneratorOptions options;
    options.nodes = 5000;
    options.pods = pods;
    options.distinct_requests = distinct;
    it = built.emplace(std::pair{pods, distinct}, state::build_cluster_state(datasets::generate_cluster(options))).first;
  }
  return it->second;
}

void run_engine(benchmark::State& st, std::uint32_t pods, bool distinct) {
  const state::ClusterState& base = cluster_of(pods, distinct);
  scheduler::SchedulerOptions options;
  options.threads = static_cast<int>(st.range(0));
  options.mode = st.range(1) == 0 ? scheduler::ParallelMode::kSequentialEquivalent : scheduler::ParallelMode::kOptimistic;
  std::uint64_t attempts = 0;
  std::uint64_t conflicts = 0;
  for (auto _ : st) {
    st.PauseTiming();
    state::ClusterState cluster = base;
    const auto profile = framework::build_profile(framework::default_profile_spec(), cluster);
    st.ResumeTiming();
    const auto result = scheduler::schedule_pending(cluster, {&profile, 1}, options);
    benchmark::DoNotOptimize(result.placements.data());
    attempts += result.commit_attempts;
    conflicts += result.conflicts;
  }
  st.counters["pods_per_second"] =
      benchmark::Counter(static_cast<double>(pods), benchmark::Counter::kIsIterationInvariantRate);
  if (attempts > 0) st.counters["conflict_rate"] = static_cast<double>(conflicts) / static_cast<double>(attempts);
}

// threads 1, 2, 4, ... up to the hardware threads, each in both modes (one thread: one mode).
void thread_sweep(benchmark::internal::Benchmark* b) {
  const int hardware = static_cast<int>(std::max(2U, std::thread::hardware_concurrency()));
  b->Args({1, 0});
  for (int threads = 2; threads <= hardware; threads *= 2) {
    b->Args({threads, 0});
    b->Args({threads, 1});
  }
  b->ArgNames({"threads", "optimistic"});
}

void BM_ScheduleAllDistinct(benchmark::State& st) { run_engine(st, 2000, true); }
BENCHMARK(BM_ScheduleAllDistinct)->Apply(thread_sweep)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Schedule32Shapes(benchmark::State& st) { run_engine(st, 20000, false); }
BENCHMARK(BM_Schedule32Shapes)->Apply(thread_sweep)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ReferenceAllDistinct(benchmark::State& st) {
  const state::ClusterState& base = cluster_of(2000, true);
  for (auto _ : st) benchmark::DoNotOptimize(reference::reference_schedule(base, {}).data());
  st.counters["pods_per_second"] = benchmark::Counter(2000, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ReferenceAllDistinct)->UseRealTime()->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
