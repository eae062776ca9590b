#pragma once
// Normalised remaining capacity, the measure best-fit and worst-fit rank nodes by.
//
//   remaining(n) = sum over r in R(pod) of (allocatable[r][n] - requested[r][n] - request[r]) / allocatable[r][n]
//
// R(pod) is cpu, memory and every other resource the pod requests (ephemeral storage,
// extended resources such as nvidia.com/gpu); resources a node does not offer (allocatable
// 0) count nothing. Resources the pod does not ask for are left out so that, say, a GPU
// node's idle GPUs do not make it look empty to a CPU-only pod.

#include <span>
#include <vector>

#include "podium/state/cluster_state.hpp"

namespace podium::algorithms {

// The resources R(pod) above, ascending ResourceId, into `out` (a chooser's reused buffer:
// no allocation per decision once it has grown).
void ranked_resources(const state::PodRecord& pod, std::vector<state::ResourceId>& out);

// remaining(n) after placing `pod` on n, for each feasible node.
void remaining_after_placement(const state::ClusterState& cluster, const state::PodRecord& pod,
                               std::span<const state::ResourceId> resources, std::span<const state::NodeIndex> nodes,
                               std::vector<double>& out);

}  // namespace podium::algorithms
