#pragma once
// The scheduling loop: pops pending pods in queue order (PrioritySort), asks the framework
// for a node, and binds the pod before the next decision, so every decision sees all the
// earlier ones — kube-scheduler's one-pod-at-a-time semantics.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "podium/framework/profile.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::scheduler {

struct SchedulerOptions {
  std::uint64_t seed = 1;
  int threads = 1;  // oneTBB arena size for one decision's node batches
  // Reuse per-node totals across pods of one equivalence class (scheduler/class_cache.hpp)
  // when the profile allows it. Placements are identical either way.
  bool equivalence_cache = true;
};

struct Placement {
  state::PodIndex pod = 0;
  state::NodeIndex node = state::kNoNode;  // kNoNode: not placed, see reason
  std::string reason;
  std::uint64_t latency_ns = 0;  // this pod's whole decision, bind included
};

struct ScheduleResult {
  std::vector<Placement> placements;  // decision (queue) order
  double schedule_seconds = 0;        // the scheduling phase only
  std::uint64_t cache_hits = 0;       // decisions that reused a class's cached totals
  std::uint64_t cache_misses = 0;     // decisions that computed every node
};

// Places every pending pod of `cluster` (mutated: bound pods are accounted on their nodes)
// with the profile whose scheduler_name matches the pod's schedulerName. Pods naming no
// profile are reported unplaced, as kube-scheduler ignores them.
ScheduleResult schedule_pending(state::ClusterState& cluster, std::span<const framework::Profile> profiles,
                                const SchedulerOptions& options);

}  // namespace podium::scheduler
