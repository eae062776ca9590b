#include "podium/plugins/nodename/node_name.hpp"

namespace podium::plugins {

using framework::Status;

struct NodeName::State : framework::StateData {
  framework::NodeIndex only = state::kNoNode;  // the one node that fits; kNoNode: none does
};

bool NodeName::sign(const state::PodRecord& pod, std::string& sig) const {
  sig += pod.requested_node_name;
  sig.push_back('\0');
  return true;
}

Status NodeName::pre_filter(framework::CycleState& cycle, const framework::PodContext& ctx,
                            const framework::ClusterState& cluster) {
  if (ctx.pod.requested_node_name.empty()) return Status(framework::Code::kSkip);
  cycle.get_or_create<State>(slot()).only = cluster.find_node(ctx.pod.requested_node_name).value_or(state::kNoNode);
  return {};
}

std::size_t NodeName::filter(const framework::CycleState& cycle, const framework::PodContext&,
                             const framework::ClusterState&, std::span<const framework::NodeIndex> candidates,
                             framework::NodeIndex* survivors) const {
  const auto only = cycle.get<State>(slot()).only;
  std::size_t kept = 0;
  for (const auto n : candidates) {
    survivors[kept] = n;
    kept += n == only ? 1 : 0;
  }
  return kept;
}

Status NodeName::filter_node(const framework::CycleState& cycle, const framework::PodContext&,
                             const framework::ClusterState&, framework::NodeIndex node) const {
  if (node == cycle.get<State>(slot()).only) return {};
  return Status::unresolvable(std::string(kReason));
}

}  // namespace podium::plugins
