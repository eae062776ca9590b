#pragma once
// Placement quality of a finished run, read from the final cluster state:
//   * utilisation (requested / allocatable) of cpu, memory and nvidia.com/gpu: mean and
//     standard deviation across nodes — the stddev is the imbalance;
//   * nodes used (at least one pod bound);
//   * fragmentation: the share of the cluster's free CPU that sits on nodes where a
//     "typical" measured pod (median cpu and median memory request of the measured pods)
//     no longer fits, for lack of memory, cpu or a pod slot — capacity that exists but
//     that the workload's own pods could not use. 0 = every free core is usable.

#include <span>

#include "harness/results.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::bench {

Quality measure_quality(const state::ClusterState& cluster, std::span<const state::PodIndex> measured);

}  // namespace podium::bench
