#pragma once
// Runs one workload with one algorithm: lays out its objects (scenario.hpp), builds the
// cluster state and profiles, executes the operations in order, then measures latency,
// throughput windows, per-plugin time and placement quality, and checks the answer.
//
// Operations (all synchronous: an op ends when all its pods have been attempted and every
// retry its events woke has run, so `barrier` has nothing to wait for):
//   createPods  its pods, in PrioritySort order, through scheduler::schedule_queue;
//   deletePods  unbinds pods of a namespace (oldest first) and tells every plugin;
//   churn       one step now, then one every intervalPods decisions of later createPods.
// Pods that fail wait in the living queue's unschedulable pool (scheduler/scheduling_queue.hpp)
// and are retried after a deletion or a bind that could make them fit, with upstream's
// backoff on a simulated clock; RunOptions::max_attempts bounds the attempts. Preemption
// (DefaultPreemption, with the algorithm's DefaultPreemptionArgs) evicts within an attempt;
// with requeueVictims the victims are pending again after the call that evicted them.

#include <cstdint>
#include <functional>

#include "harness/algorithms.hpp"
#include "harness/results.hpp"
#include "harness/workload.hpp"
#include "podium/scheduler/scheduler.hpp"

namespace podium::bench {

struct RunOptions {
  std::uint64_t seed = 1;
  int threads = 1;
  double window_seconds = 0.1;     // throughput window
  std::uint32_t timing_samples = 64;  // pods replayed per plugin for the timing table; 0: none
  bool equivalence_cache = true;
  // With threads > 1 (scheduler.hpp): sequential-equivalent, or optimistic (not deterministic).
  scheduler::ParallelMode parallel_mode = scheduler::ParallelMode::kSequentialEquivalent;
  // Called now and then with (pods attempted, pods to attempt); for a progress bar.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  // Keep every decision and deletion, in order, in RunResult::events (for determinism
  // checks and `podium verify`; off in timed runs: it costs a vector push per pod).
  bool record_events = false;
  // Attempts per pod (the living queue); 0: unlimited. Retries end anyway when no event
  // can help the pods left (every retry follows a deletion or a bind).
  std::uint32_t max_attempts = 0;
  // Preemption victims come back as fresh pending pods (SchedulingQueue::requeue_victims),
  // also when the workload does not ask for it (Workload::requeue_victims).
  bool requeue_victims = false;
  bool preemption = true;  // false: DefaultPreemption off (`podium bench --no-preemption`)
};

// Throws InputError for a workload that cannot be laid out or a config whose profiles
// cannot be built; otherwise returns a result whose `failures` say what went wrong.
RunResult run_workload(const Workload& workload, const Algorithm& algorithm, const RunOptions& options);

// Builds a miniature of the workload (each createNodes / createPods / churn count cut to
// at most 1) with the algorithm's profiles, so that what only the cluster builder or a
// plugin rejects (an empty topologyKey, bad plugin args) is an InputError before the
// first run rather than after earlier workloads ran and printed PASS.
void check_workload(const Workload& workload, const Algorithm& algorithm, const RunOptions& options);

// Reason phrases of a FitError message, counts stripped: "0/5 nodes are available: 3
// Insufficient cpu, 2 node(s) were unschedulable." -> {"Insufficient cpu", "node(s) were
// unschedulable"}. Other messages come back whole.
std::vector<std::string> reason_phrases(const std::string& message);

// Rates of consecutive windows of `window_ns` over a timeline of (attempt duration,
// scheduled?) in decision order. The last, partial window counts only if it spans at least
// half a window, or if it is the only one.
std::vector<double> window_rates(std::span<const std::pair<std::uint64_t, bool>> attempts, std::uint64_t window_ns);

}  // namespace podium::bench
