// gpu-clustering (artifact plugin/gpu_clustering_score.go): keep pods of one GPU kind
// together. A GPU pod's kind is "share" (a fraction of one GPU) or "N-gpu"; a node's
// kinds are those of the GPU pods it holds. With g = 25 * (8000 - node's free milli-GPU) / 8000
// (Go integer arithmetic):
//   node holds only the pod's kind: 75 + g;   the pod's kind among others: 50 + g;
//   node holds no GPU pod: 25 + g;            only other kinds: g.
// CPU-only pods score 0 everywhere. Devices: the tightest-fitting one (GPU selection "best").
#include <array>

#include "policies.hpp"

namespace podium::gpushare::policies {
namespace {

class GpuClustering final : public GpuPolicy {
 public:
  explicit GpuClustering(std::size_t nodes) : kinds_(nodes) {}
  std::string_view name() const override { return "gpu-clustering"; }

  NodeScore score(const GpuCluster& cluster, NodeIndex node, const GpuPod& pod) override {
    const DeviceSet devices = best_fit_devices(cluster.devices(node), cluster.gpu_count(node), pod);
    if (pod.num_gpu == 0) return NodeScore{0, devices};
    const Kinds& kinds = kinds_[node];
    int present = 0;
    for (const auto count : kinds) present += count > 0 ? 1 : 0;
    const std::int64_t g = kMaxScore / 4 * (static_cast<std::int64_t>(kMaxSpecGpu) - cluster.gpu_free_milli(node)) /
                           static_cast<std::int64_t>(kMaxSpecGpu);
    std::int64_t base = 0;
    if (kinds[kind(pod)] > 0)
      base = present == 1 ? kMaxScore * 3 / 4 : kMaxScore * 2 / 4;
    else
      base = present == 0 ? kMaxScore / 4 : 0;
    return NodeScore{g + base, devices};
  }

  void bound(NodeIndex node, const GpuPod& pod, int delta) override {
    if (pod.num_gpu > 0) kinds_[node][kind(pod)] = static_cast<std::uint16_t>(kinds_[node][kind(pod)] + delta);
  }

 private:
  // GetGpuAffinityFromPodAnnotation: slot 0 = "share", slot N = "N-gpu".
  static std::size_t kind(const GpuPod& pod) { return pod.shares_gpu() ? 0 : static_cast<std::size_t>(pod.num_gpu); }
  using Kinds = std::array<std::uint16_t, kMaxGpusPerNode + 1>;
  std::vector<Kinds> kinds_;
};

}  // namespace

std::unique_ptr<GpuPolicy> make_gpu_clustering(const PolicyContext& context) {
  return std::make_unique<GpuClustering>(context.node_count);
}

}  // namespace podium::gpushare::policies
