#include "podium/framework/node_sampling.hpp"

#include <string>
#include <initializer_list>
#include <string_view>
#include <unordered_map>

#include "podium/framework/profile.hpp"

namespace podium::framework {

std::int32_t num_feasible_nodes_to_find(std::int32_t percentage, std::int32_t num_all_nodes) {
  if (num_all_nodes < kMinFeasibleNodesToFind) return num_all_nodes;
  if (percentage == 0) {
    // Adaptive: 50% at 0 nodes, one point less per 125 nodes, never below 5%.
    percentage = 50 - num_all_nodes / 125;
    if (percentage < kMinFeasibleNodesPercentageToFind) percentage = kMinFeasibleNodesPercentageToFind;
  }
  // int32 arithmetic as upstream (the loader caps the percentage at 100, and clusters stay
  // far below the 21 million nodes that would overflow it).
  const std::int32_t num_nodes = num_all_nodes * percentage / 100;
  return num_nodes < kMinFeasibleNodesToFind ? kMinFeasibleNodesToFind : num_nodes;
}

std::size_t nodes_to_find(const Profile& profile, std::size_t node_count) {
  if (!profile.percentage_of_nodes_to_score) return node_count;
  // findNodesThatPassFilters: without scoring any feasible node will do.
  if (profile.scores.empty()) return node_count == 0 ? 0 : 1;
  const auto n = num_feasible_nodes_to_find(*profile.percentage_of_nodes_to_score, static_cast<std::int32_t>(node_count));
  return static_cast<std::size_t>(n);
}

namespace {

// utilnode.GetZoneKey: "" without region and zone, else region + ":\x00:" + zone.
std::string zone_key(const state::ClusterState& cluster, state::NodeIndex n) {
  // The value of the first of `keys` the node carries (present, even if empty).
  auto label = [&](std::initializer_list<std::string_view> keys) -> std::string {
    for (const auto key : keys) {
      const auto id = cluster.strings.find(key);
      if (!id) continue;
      const std::size_t at = cluster.nodes.find_label(n, *id);
      if (at != state::NodeTable::npos) return std::string(cluster.strings.text(cluster.nodes.label_pairs[at].value));
    }
    return {};
  };
  const std::string zone = label({"topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"});
  const std::string region = label({"topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region"});
  if (region.empty() && zone.empty()) return {};
  return region + std::string(":\0:", 3) + zone;
}

}  // namespace

NodeWalk zone_interleaved_walk(const state::ClusterState& cluster) {
  const std::size_t count = cluster.nodes.size;
  // nodeTree.addNode in input order: zones in order of first appearance.
  std::unordered_map<std::string, std::size_t> zone_of_key;
  std::vector<std::vector<state::NodeIndex>> zones;
  for (state::NodeIndex n = 0; n < count; ++n) {
    const auto [it, added] = zone_of_key.try_emplace(zone_key(cluster, n), zones.size());
    if (added) zones.emplace_back();
    zones[it->second].push_back(n);
  }
  // nodeTree.list: the i-th node of every zone that has one, for i = 0, 1, ...
  NodeWalk walk;
  walk.order.reserve(count);
  for (std::size_t i = 0; walk.order.size() < count; ++i)
    for (const auto& zone : zones)
      if (i < zone.size()) walk.order.push_back(zone[i]);
  walk.position.resize(count);
  for (std::size_t p = 0; p < count; ++p) walk.position[walk.order[p]] = static_cast<std::uint32_t>(p);
  return walk;
}

}  // namespace podium::framework
