#pragma once
// GpuShare: per-device GPU fit for pods that share GPUs (io/gpu_share.hpp). Not an upstream
// plugin: it stands for the FGD paper's Open-Gpu-Share Filter (artifact
// pkg/simulator/plugin/open_gpu_share.go), which accepts a node when its GPU model is one the
// pod allows and enough of its devices each have the milli-GPU the pod asks per GPU
// (gpushare::GpuCluster::devices_fit). build_profile adds it to every profile of a cluster
// that carries GPU sharing (ClusterState::gpu engaged), after the profile's own filters;
// other clusters never see it, so kube parity is untouched there.

#include "podium/framework/plugin.hpp"

namespace podium::plugins {

class GpuShare final : public framework::FilterPlugin {
 public:
  static constexpr std::string_view kName = "GpuShare";
  static constexpr std::string_view kReasonModel = "node(s) didn't have an allowed GPU model";
  static constexpr std::string_view kReasonDevices = "node(s) didn't have enough free GPU devices";

  std::string_view name() const override { return kName; }
  bool depends_only_on_its_node() const override { return true; }
  bool sign(const state::PodRecord& pod, std::string& signature) const override;
  // Skip for a pod without a GPU-sharing request: it fits every node as far as GPUs go.
  framework::Status pre_filter(framework::CycleState&, const framework::PodContext&,
                               const framework::ClusterState&) override;
  bool pre_filter_always_skips(const framework::PodContext& pod, const framework::ClusterState&) const override {
    return !pod.pod.uses_gpu_sharing();
  }
  std::size_t filter(const framework::CycleState&, const framework::PodContext&, const framework::ClusterState&,
                     std::span<const framework::NodeIndex> candidates,
                     framework::NodeIndex* survivors) const override;
  framework::Status filter_node(const framework::CycleState&, const framework::PodContext&,
                                const framework::ClusterState&, framework::NodeIndex node) const override;
};

}  // namespace podium::plugins
