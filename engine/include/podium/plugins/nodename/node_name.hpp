#pragma once
// NodeName (plugins/nodename): a pod that names a node in spec.nodeName fits only there.
// Pending pods normally have no spec.nodeName (a pod that has one bypasses the
// scheduler), so this matters for `podium score` on a hand-written pod.

#include "podium/framework/plugin.hpp"

namespace podium::plugins {

class NodeName final : public framework::FilterPlugin {
 public:
  static constexpr std::string_view kName = "NodeName";
  static constexpr std::string_view kReason = "node(s) didn't match the requested node name";  // ErrReason

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
  framework::Status filter_node(const framework::CycleState&, const framework::PodContext&,
                                const framework::ClusterState&, framework::NodeIndex node) const override;

 private:
  struct State;
};

}  // namespace podium::plugins
