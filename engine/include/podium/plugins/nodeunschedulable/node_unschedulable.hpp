#pragma once
// NodeUnschedulable (plugins/nodeunschedulable): a node with spec.unschedulable rejects
// pods unless they tolerate the node.kubernetes.io/unschedulable:NoSchedule taint.

#include "podium/framework/plugin.hpp"

namespace podium::plugins {

class NodeUnschedulable final : public framework::FilterPlugin {
 public:
  static constexpr std::string_view kName = "NodeUnschedulable";
  static constexpr std::string_view kReason = "node(s) were unschedulable";  // ErrReasonUnschedulable
  explicit NodeUnschedulable(const framework::ClusterState& cluster);

  std::string_view name() const override { return kName; }
  bool depends_only_on_its_node() const override { return true; }
  // Its Filter reads the node's spec and labels and the pod, never the node's pods.
  bool verdict_ignores_bound_pods() const override { return true; }
  bool sign(const state::PodRecord& pod, std::string& signature) const override;
  framework::Status pre_filter(framework::CycleState&, const framework::PodContext&,
                               const framework::ClusterState&) override;
  std::size_t filter(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                     std::span<const framework::NodeIndex> candidates,
                     framework::NodeIndex* survivors) const override;
  bool filter_range(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                    framework::NodeIndex first, std::size_t count, std::uint8_t* ok) const override;
  framework::Status filter_node(const framework::CycleState&, const framework::PodContext&,
                                const framework::ClusterState&, framework::NodeIndex node) const override;
  void count_rejections(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                        std::span<const framework::NodeIndex> nodes, framework::ReasonCounts& counts) const override;

 private:
  struct State;
  std::optional<StringId> taint_key_;
  std::optional<StringId> effect_no_schedule_;
  std::optional<StringId> empty_;
};

}  // namespace podium::plugins
