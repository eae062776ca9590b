#pragma once
// InterPodAffinity for the reference scheduler: upstream's PreFilter/Filter and
// PreScore/Score/NormalizeScore (pkg/scheduler/framework/plugins/interpodaffinity, v1.35)
// written as plainly as upstream's own maps — every decision walks every node's bound pods
// and keys topology pairs by label *strings* — with none of the engine plugin's columns,
// counters or term indexes. Shares with the engine only the compiled pod records (label
// selectors over interned labels, whose matching the state tests pin).

#include <cstdint>
#include <optional>
#include <vector>

#include "podium/plugins/interpodaffinity/args.hpp"
#include "podium/reference/reference_scheduler.hpp"
#include "podium/state/cluster_state.hpp"

namespace podium::reference {

// PreFilter + Filter on every node: kFits where `pod` may go, else the status code.
std::vector<FilterCode> inter_pod_affinity_filter(const state::ClusterState& cluster, const state::PodRecord& pod,
                                            const std::vector<ReferenceNode>& nodes);

// PreScore + Score + NormalizeScore over the feasible nodes (scores in `feasible` order);
// nullopt when PreScore returns Skip (the plugin then adds nothing).
std::optional<std::vector<std::int64_t>> inter_pod_affinity_scores(
    const state::ClusterState& cluster, const plugins::interpodaffinity::InterPodAffinityArgs& args,
    const state::PodRecord& pod, const std::vector<ReferenceNode>& nodes, const std::vector<state::NodeIndex>& feasible);

}  // namespace podium::reference
