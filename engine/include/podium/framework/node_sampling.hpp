#pragma once
// kube-scheduler's node sampling (percentageOfNodesToScore), emulated on demand.
//
// Upstream does not always filter and score every node. Per scheduling cycle it walks the
// snapshot's node list from `nextStartNodeIndex`, wrapping around, and stops once it has
// found numFeasibleNodesToFind feasible nodes; only those are scored and normalized, and
// the start index then advances by the number of nodes examined
// (pkg/scheduler/schedule_one.go: numFeasibleNodesToFind, findNodesThatPassFilters,
// findNodesThatFitPod). The snapshot's node list is not the input order: the cache's node
// tree lists nodes round-robin over zones (pkg/scheduler/backend/cache/node_tree.go,
// nodeTree.list). Podium's default stays "score every node" (no percentage set).

#include <cstdint>
#include <vector>

#include "podium/state/cluster_state.hpp"

namespace podium::framework {

class Profile;

// Upstream's constants (schedule_one.go).
inline constexpr std::int32_t kMinFeasibleNodesToFind = 100;
inline constexpr std::int32_t kMinFeasibleNodesPercentageToFind = 5;

// numFeasibleNodesToFind with the percentage already resolved (the profile's value, else
// the global one — the config loader folds that in): 0 means upstream's adaptive
// percentage, 50 - numAllNodes/125 floored at 5. Fewer than 100 nodes: all of them.
std::int32_t num_feasible_nodes_to_find(std::int32_t percentage, std::int32_t num_all_nodes);

// How many feasible nodes a decision of `profile` looks for on a cluster of `node_count`
// nodes. No percentage configured: every node (Podium's default, not upstream's). A
// profile without score plugins looks for one node, as findNodesThatPassFilters does
// when there is no scoring (no extenders in Podium).
std::size_t nodes_to_find(const Profile& profile, std::size_t node_count);

// The order upstream's sampling walks the nodes, and each node's place in it.
struct NodeWalk {
  std::vector<state::NodeIndex> order;      // the snapshot's node list
  std::vector<std::uint32_t> position;      // position[node] = its index in `order`
};

// nodeTree.list() over the nodes inserted in input order: zones in order of first
// appearance, then round-robin — the first node of every zone, the second of every zone,
// and so on, skipping exhausted zones. A node's zone is utilnode.GetZoneKey: region and
// zone labels (topology.kubernetes.io/*, else the deprecated failure-domain.beta ones);
// nodes with neither share the zone "".
NodeWalk zone_interleaved_walk(const state::ClusterState& cluster);

// Where the next cycle starts: upstream's (nextStartNodeIndex + processedNodes) % numNodes.
inline std::size_t advance_start(std::size_t start, std::size_t examined, std::size_t node_count) {
  return node_count == 0 ? 0 : (start + examined) % node_count;
}

}  // namespace podium::framework
