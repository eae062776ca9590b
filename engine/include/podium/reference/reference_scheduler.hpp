#pragma once
// The reference scheduler: a deliberately plain, single-threaded, array-of-structs
// rendition of kube-scheduler's default resource profile (NodeUnschedulable, NodeName,
// NodeResourcesFit filter + score, NodeResourcesBalancedAllocation), written straight from
// the upstream formulas with no batching, no selection vectors and no parallelism.
//
// It is the test oracle (the engine must place every pod exactly as this does) and the
// baseline the benchmarks report their ratios against. It shares only the pure scoring
// formulas (scorers.hpp, each pinned by its own unit tests) and the documented tie rule.

#include <cstdint>
#include <string>
#include <vector>

#include "podium/framework/tie_breaker.hpp"
#include "podium/plugins/noderesources/args.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::reference {

struct ReferenceOptions {
  std::uint64_t seed = 1;
  plugins::noderesources::FitArgs fit;
  plugins::noderesources::BalancedAllocationArgs balanced;
  std::int64_t fit_weight = 1;
  std::int64_t balanced_weight = 1;
};

struct ReferencePlacement {
  state::PodIndex pod;
  state::NodeIndex node;  // kNoNode when unschedulable
};

// One node, all of its data together (array of structs).
struct ReferenceNode {
  std::string name;
  std::vector<std::int64_t> allocatable;  // by ResourceId
  std::vector<std::int64_t> requested;
  std::int64_t nonzero_cpu = 0;
  std::int64_t nonzero_memory = 0;
  std::int32_t allowed_pods = 0;
  std::int32_t pods = 0;
  bool unschedulable = false;
};

class ReferenceScheduler {
 public:
  // Copies node usage out of `cluster` (which must outlive this object and is never written).
  ReferenceScheduler(const state::ClusterState& cluster, ReferenceOptions options);

  // The node for `pod`, the decision_index-th decision; kNoNode if none fits.
  state::NodeIndex decide(const state::PodRecord& pod, std::uint64_t decision_index) const;
  void bind(const state::PodRecord& pod, state::NodeIndex node);

 private:
  const state::ClusterState& cluster_;
  ReferenceOptions options_;
  std::vector<ReferenceNode> nodes_;
  framework::TieBreaker ties_;
};

// Schedules the pending pods of `cluster` (read only: the reference keeps its own copy of
// node usage) in queue order.
std::vector<ReferencePlacement> reference_schedule(const state::ClusterState& cluster, const ReferenceOptions& options);

}  // namespace podium::reference
