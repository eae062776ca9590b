#include "podium/plugins/nodeunschedulable/node_unschedulable.hpp"

namespace podium::plugins {

using framework::Status;

struct NodeUnschedulable::State : framework::StateData {
  bool tolerates = false;
};

NodeUnschedulable::NodeUnschedulable(const framework::ClusterState& cluster)
    : taint_key_(cluster.strings.find("node.kubernetes.io/unschedulable")),
      effect_no_schedule_(cluster.strings.find("NoSchedule")),
      empty_(cluster.strings.find("")) {}

bool NodeUnschedulable::sign(const state::PodRecord& pod, std::string& sig) const {
  for (const auto& t : pod.tolerations) {
    const StringId fields[] = {t.key.value_or(~StringId{0}), t.op_exists ? 1U : 0U, t.value, t.effect.value_or(~StringId{0})};
    sig.append(reinterpret_cast<const char*>(fields), sizeof fields);
  }
  sig.push_back(';');
  return true;
}

Status NodeUnschedulable::pre_filter(framework::CycleState& cycle, const framework::PodContext& ctx,
                                     const framework::ClusterState&) {
  auto& st = cycle.get_or_create<State>(slot());
  // The taint upstream checks has an empty value. Tolerations are interned at load, so if
  // one of these strings was never seen no toleration can name it; the sentinel id below
  // then matches only wildcard tolerations (empty key / empty effect / Exists).
  constexpr StringId kUnseen = ~StringId{0};
  st.tolerates = state::tolerates_any(ctx.pod.tolerations, taint_key_.value_or(kUnseen), empty_.value_or(kUnseen),
                                      effect_no_schedule_.value_or(kUnseen));
  return {};
}

std::size_t NodeUnschedulable::filter(const framework::CycleState& cycle, const framework::PodContext&,
                                      const framework::ClusterState& cluster,
                                      std::span<const framework::NodeIndex> candidates,
                                      framework::NodeIndex* survivors) const {
  const auto& st = cycle.get<State>(slot());
  if (st.tolerates) {
    std::copy(candidates.begin(), candidates.end(), survivors);
    return candidates.size();
  }
  const std::uint8_t* unschedulable = cluster.nodes.unschedulable.data();
  std::size_t kept = 0;
  for (const auto n : candidates) {
    survivors[kept] = n;
    kept += unschedulable[n] ? 0 : 1;
  }
  return kept;
}

Status NodeUnschedulable::filter_node(const framework::CycleState& cycle, const framework::PodContext&,
                                      const framework::ClusterState& cluster, framework::NodeIndex node) const {
  if (!cluster.nodes.unschedulable[node] || cycle.get<State>(slot()).tolerates) return {};
  return Status::unresolvable(std::string(kReason));
}

void NodeUnschedulable::count_rejections(const framework::CycleState& cycle, const framework::PodContext&,
                                         const framework::ClusterState& cluster,
                                         std::span<const framework::NodeIndex> nodes,
                                         framework::ReasonCounts& counts) const {
  if (cycle.get<State>(slot()).tolerates) return;
  std::size_t rejected = 0;
  for (const auto n : nodes) rejected += cluster.nodes.unschedulable[n] ? 1 : 0;
  counts.add(kReason, rejected);
}

}  // namespace podium::plugins

namespace podium::plugins {

bool NodeUnschedulable::filter_range(const framework::CycleState& cycle, const framework::PodContext&,
                                     const framework::ClusterState& cluster, framework::NodeIndex first,
                                     std::size_t count, std::uint8_t* ok) const {
  if (cycle.get<State>(slot()).tolerates) return true;
  const std::uint8_t* unschedulable = cluster.nodes.unschedulable.data() + first;
  for (std::size_t i = 0; i < count; ++i) ok[i] &= unschedulable[i] ? 0 : 1;
  return true;
}

}  // namespace podium::plugins
