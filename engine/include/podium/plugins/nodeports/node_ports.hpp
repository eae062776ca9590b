#pragma once
// NodePorts (pkg/scheduler/framework/plugins/nodeports, v1.35).
//
// PreFilter: Skip for a pod without host ports (util.GetHostPorts: hostPort > 0 on the
// containers and on restartable init containers). Filter (Unschedulable, "node(s) didn't
// have free ports for the requested pod ports"): every wanted (hostIP, protocol, port) must
// be free on the node by HostPortInfo.CheckConflict — a wanted 0.0.0.0 (or empty) hostIP
// conflicts with the same protocol and port on any IP of the node; a specific IP conflicts
// with that IP and with 0.0.0.0. The node's ports are those of its bound pods, kept by
// ClusterState::bind (NodeTable::used_ports).

#include "podium/framework/plugin.hpp"

namespace podium::plugins {

class NodePorts final : public framework::FilterPlugin {
 public:
  static constexpr std::string_view kName = "NodePorts";
  static constexpr std::string_view kReason = "node(s) didn't have free ports for the requested pod ports";  // ErrReason

  std::string_view name() const override { return kName; }
  bool depends_only_on_its_node() const override { return true; }
  bool sign(const state::PodRecord& pod, std::string& signature) const override;
  framework::Status pre_filter(framework::CycleState&, const framework::PodContext&,
                               const framework::ClusterState&) override;
  std::size_t filter(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                     std::span<const framework::NodeIndex> candidates,
                     framework::NodeIndex* survivors) const override;
  framework::Status filter_node(const framework::CycleState&, const framework::PodContext&,
                                const framework::ClusterState&, framework::NodeIndex node) const override;
  void count_rejections(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                        std::span<const framework::NodeIndex> nodes, framework::ReasonCounts& counts) const override;
};

}  // namespace podium::plugins
