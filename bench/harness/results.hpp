#pragma once
// What one run of one workload with one algorithm measured. The report writers
// (report.hpp) print it; docs/FORMATS.md ("podium bench") documents every field.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/histogram.hpp"

namespace podium::bench {

struct ThroughputSummary {
  double average = 0;  // scheduled measured pods / measured scheduling seconds
  double p50 = 0, p90 = 0, p95 = 0, p99 = 0;  // over the windows' rates
  double window_seconds = 0;
  std::vector<double> windows;  // pods/s of each window, in time order
};

// Time spent in one plugin at one extension point, from the sampled re-runs.
struct PluginTiming {
  std::string extension_point;  // PreFilter, Filter, PreScore, Score, NormalizeScore
  std::string plugin;
  double mean_us = 0;  // per sampled pod (pods the plugin skipped count as 0)
  std::uint64_t calls = 0;
};

struct Quality {
  double cpu_util_mean = 0, cpu_util_stddev = 0;        // requested / allocatable, 0..1, over all nodes
  double memory_util_mean = 0, memory_util_stddev = 0;
  bool has_gpu = false;
  double gpu_util_mean = 0, gpu_util_stddev = 0;        // over nodes with nvidia.com/gpu
  std::uint64_t nodes_used = 0;                         // nodes with at least one pod
  double fragmentation = 0;                             // see quality.hpp
  std::vector<double> cpu_util_by_node;                 // for plots (CSV/JSON histogram)
};

struct Phases {
  double load_seconds = 0;      // generating the workload's objects
  double build_seconds = 0;     // cluster state and profiles
  double schedule_seconds = 0;  // every operation, churn and deletions included (wall)
  double timing_seconds = 0;    // the per-plugin sampling pass
  std::uint64_t peak_rss_bytes = 0;  // process high-water mark after the run
};

// One thing that happened during a run, in order: a scheduling attempt (placed on `node`,
// or kNoNode when it failed), a deletion (deletePods, churn, a preemption victim's
// eviction) of a bound pod, or a node's creation by a createNodes op after pod steps
// (nodes created before any pod step exist from the start and have no event).
struct RunEvent {
  enum class Kind : std::uint8_t { kAttempt, kDelete, kCreateNode };
  Kind kind = Kind::kAttempt;
  std::uint32_t pod = 0;   // index into the scenario's pods (build_scenario order); 0 for kCreateNode
  std::int32_t node = -1;  // the node index of an attempt's placement or a created node; -1: unplaced (or a deletion)
  bool operator==(const RunEvent&) const = default;
};

struct RunResult {
  std::string file;
  std::string test_case;
  std::string workload;
  std::string algorithm;
  std::vector<std::string> labels;
  std::uint64_t seed = 0;
  int threads = 0;
  int repetition = 0;  // 0-based, of --repetitions
  std::uint64_t nodes = 0;

  bool skipped = false;
  std::string skip_reason;

  std::uint64_t measured_pods = 0;
  std::uint64_t scheduled = 0;
  std::uint64_t unschedulable = 0;
  std::uint64_t init_unschedulable = 0;    // non-measured createPods pods left unplaced
  std::uint64_t churn_unschedulable = 0;
  std::uint64_t deleted = 0;
  // The living queue: attempts after a pod's first, and pods (any step's) placed on one.
  std::uint64_t retries = 0;
  std::uint64_t placed_on_retry = 0;
  // Preemption (DefaultPreemption's PostFilter), over every step's pods: PostFilter runs,
  // those that nominated a node (the preemptor was bound there), the pods they evicted, and
  // (RunOptions::requeue_victims) the victims that came back as fresh pods and, of those,
  // the ones placed again.
  std::uint64_t preemption_attempts = 0;
  std::uint64_t preemptions = 0;
  std::uint64_t victims = 0;
  std::uint64_t requeued = 0;
  std::uint64_t requeued_placed = 0;
  std::map<std::string, std::uint64_t> unschedulable_reasons;  // reason -> measured pods citing it
  double measured_seconds = 0;
  // Optimistic mode: commit attempts and compare-and-swap conflicts (scheduler.hpp).
  std::uint64_t commit_attempts = 0;
  std::uint64_t conflicts = 0;

  ThroughputSummary throughput;
  LogHistogram latency_scheduled;      // ns per attempt, measured pods placed
  LogHistogram latency_unschedulable;  // ns per attempt, measured pods not placed
  // Measured attempts that ran PostFilter are kept out of the two above: the whole attempt
  // (filters, PostFilter's dry runs, evictions, bind) and PostFilter alone (upstream's
  // scheduler_scheduling_algorithm_preemption_evaluation_seconds).
  LogHistogram latency_preemption;
  LogHistogram preemption_evaluation;
  std::vector<PluginTiming> plugin_timings;
  std::uint64_t timing_samples = 0;
  Quality quality;
  Phases phases;

  std::int64_t expected_unschedulable = 0;
  std::optional<std::int64_t> expected_placed_on_retry;  // expect.placedOnRetry, when given
  std::optional<std::int64_t> expected_preemptions;      // expect.preemptions, when given
  std::optional<std::int64_t> expected_victims;          // expect.victims, when given
  double threshold = 0;           // 0: none
  std::vector<std::string> failures;  // empty: the run gave its expected answer
  std::vector<RunEvent> events;       // only with RunOptions::record_events
  bool passed() const { return !skipped && failures.empty(); }
};

}  // namespace podium::bench
