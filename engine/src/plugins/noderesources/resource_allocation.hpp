#pragma once
// What resource_allocation.go's calculateResourceAllocatableRequest computes for one
// configured resource on one node, shared by NodeResourcesFit's scorers and
// BalancedAllocation. Inline: it sits inside their per-node loops.

#include <cstdint>
#include <optional>

#include "podium/state/cluster_state.hpp"

namespace podium::plugins::noderesources {

struct ScoredResource {
  std::optional<state::ResourceId> id;  // nullopt: no node or pod mentions the resource
  std::int64_t weight = 1;
  std::int64_t pod_request = 0;  // the incoming pod's request, as the scorer sees it
};

// Returns the node's allocatable (0 means "leave this resource out of the score", as
// upstream does for resources a node lacks or an extended resource the pod does not ask
// for) and writes requested = node's requested + the pod's request.
// `use_requested` picks NodeInfo.Requested (BalancedAllocation) over NonZeroRequested
// (LeastAllocated / MostAllocated / RTCR) for cpu and memory.
inline std::int64_t allocatable_and_requested(const state::NodeTable& nodes, const ScoredResource& r,
                                              bool use_requested, state::NodeIndex n, std::int64_t& requested) {
  requested = 0;
  if (!r.id) return 0;
  const state::ResourceId id = *r.id;
  if (id >= state::kFirstScalar && r.pod_request == 0) return 0;
  std::int64_t node_requested;
  if (id == state::kCpu && !use_requested) {
    node_requested = nodes.nonzero_cpu[n];
  } else if (id == state::kMemory && !use_requested) {
    node_requested = nodes.nonzero_memory[n];
  } else {
    node_requested = nodes.requested[id][n];
  }
  requested = node_requested + r.pod_request;
  return nodes.allocatable[id][n];
}

}  // namespace podium::plugins::noderesources
