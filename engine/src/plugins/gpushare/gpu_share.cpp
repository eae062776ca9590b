#include "podium/plugins/gpushare/gpu_share.hpp"

namespace podium::plugins {

using framework::Status;

bool GpuShare::sign(const state::PodRecord& pod, std::string& sig) const {
  const gpushare::GpuPod& g = pod.gpu;
  const std::uint64_t fields[] = {static_cast<std::uint64_t>(g.num_gpu), static_cast<std::uint64_t>(g.gpu_milli),
                                  g.model_constrained ? g.allowed_models : ~std::uint64_t{0}};
  sig.append(reinterpret_cast<const char*>(fields), sizeof fields);
  sig.push_back(';');
  return true;
}

Status GpuShare::pre_filter(framework::CycleState&, const framework::PodContext& ctx, const framework::ClusterState& cluster) {
  if (!ctx.pod.uses_gpu_sharing() || !cluster.gpu) return Status(framework::Code::kSkip);
  return {};
}

std::size_t GpuShare::filter(const framework::CycleState&, const framework::PodContext& ctx,
                             const framework::ClusterState& cluster, std::span<const framework::NodeIndex> candidates,
                             framework::NodeIndex* survivors) const {
  const gpushare::GpuCluster& gpu = *cluster.gpu;
  std::size_t kept = 0;
  for (const auto n : candidates) {
    survivors[kept] = n;
    kept += gpu.devices_fit(n, ctx.pod.gpu) ? 1 : 0;
  }
  return kept;
}

Status GpuShare::filter_node(const framework::CycleState&, const framework::PodContext& ctx,
                             const framework::ClusterState& cluster, framework::NodeIndex node) const {
  if (!ctx.pod.uses_gpu_sharing() || !cluster.gpu) return {};
  const gpushare::GpuCluster& gpu = *cluster.gpu;
  if (gpu.gpu_count(node) == 0 || !gpushare::GpuCluster::model_allowed(gpu.model(node), ctx.pod.gpu))
    return Status::unresolvable(std::string(kReasonModel));
  if (!gpu.devices_fit(node, ctx.pod.gpu)) return Status::unschedulable(std::string(kReasonDevices));
  return {};
}

}  // namespace podium::plugins
