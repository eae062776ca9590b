#pragma once
// What resource_allocation.go's calculateResourceAllocatableRequest computes for one
// configured resource on one node, shared by NodeResourcesFit's scorers and
// BalancedAllocation. Inline: it sits inside their per-node loops.

#include <cstdint>
#include <optional>
#include <vector>

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

// One resource NodeResourcesFit's filter checks for a pod: the node fits if
// amount <= allocatable[n] - requested[n] (fitsRequest).
struct CheckedColumn {
  const std::int64_t* allocatable;
  const std::int64_t* requested;
  std::int64_t amount;
};

// A configured resource resolved against the columns for one pod: the per-node loop reads
// two arrays and adds a constant, with no branching on the resource's kind.
struct ScoredColumn {
  const std::int64_t* allocatable;
  const std::int64_t* requested;  // NonZeroRequested or Requested, as the scorer wants
  std::int64_t pod_request;
  std::int64_t weight;
  // NodeTable::allocatable_f64 / allocatable_inverse of the resource; null where the
  // table has none (values too large for the kernels' exactness argument).
  const double* allocatable_f64 = nullptr;
  const double* allocatable_inverse = nullptr;
};

// The columns calculateResourceAllocatableRequest would read for `resources`, leaving out
// those it reports as (0, 0) on every node: resources no node has and extended resources
// the pod does not request. Pointers stay valid: columns never reallocate after loading.
inline void resolve_columns(const state::NodeTable& nodes, const std::vector<ScoredResource>& resources,
                            bool use_requested, std::vector<ScoredColumn>& out) {
  out.clear();
  for (const ScoredResource& r : resources) {
    if (!r.id) continue;
    const state::ResourceId id = *r.id;
    if (id >= state::kFirstScalar && r.pod_request == 0) continue;
    const std::int64_t* requested = nodes.requested[id].data();
    if (!use_requested && id == state::kCpu) requested = nodes.nonzero_cpu.data();
    if (!use_requested && id == state::kMemory) requested = nodes.nonzero_memory.data();
    const bool derived = id < nodes.allocatable_f64.size() && !nodes.allocatable_f64[id].empty();
    out.push_back({nodes.allocatable[id].data(), requested, r.pod_request, r.weight,
                   derived ? nodes.allocatable_f64[id].data() : nullptr,
                   derived ? nodes.allocatable_inverse[id].data() : nullptr});
  }
}

}  // namespace podium::plugins::noderesources
