#include "node_inclusion.hpp"

#include "podium/state/node_selector_match.hpp"

namespace podium::plugins::podtopologyspread {

using state::NodeTable;

NodeInclusion::NodeInclusion(const state::ClusterState& cluster)
    : no_schedule_(cluster.strings.find("NoSchedule").value_or(state::kUnseenString)),
      no_execute_(cluster.strings.find("NoExecute").value_or(state::kUnseenString)) {}

bool NodeInclusion::affinity_matches(const state::PodRecord& pod, const NodeTable& nodes, state::NodeIndex n) const {
  return !pod.node_affinity || state::required_node_affinity_matches(*pod.node_affinity, nodes, n);
}

bool NodeInclusion::taints_tolerated(const state::PodRecord& pod, const NodeTable& nodes, state::NodeIndex n) const {
  for (std::uint32_t i = nodes.taint_offsets[n]; i < nodes.taint_offsets[n + 1]; ++i) {
    const state::TaintRecord& t = nodes.taints[i];
    if (t.effect != no_schedule_ && t.effect != no_execute_) continue;
    if (!state::tolerates_any(pod.tolerations, t.key, t.value, t.effect)) return false;
  }
  return true;
}

}  // namespace podium::plugins::podtopologyspread
