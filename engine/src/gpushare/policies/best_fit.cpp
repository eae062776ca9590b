// best-fit (artifact plugin/best_fit_score.go getBestFitScore): the node with the least
// CPU and GPU left after the pod, each normalised by the largest machine (128 cores, 8
// GPUs) and weighted 0.5: score = (1 - sum_r 0.5 * (free_r - req_r) / maxSpec_r) * 100,
// truncated, then min-max normalised over the feasible nodes (plugin_utils.go
// NormalizeScore). Devices: the tightest-fitting one for a sharing pod (GPU selection
// "best", the artifact's default).
#include "policies.hpp"

namespace podium::gpushare::policies {
namespace {

class BestFit final : public GpuPolicy {
 public:
  std::string_view name() const override { return "best-fit"; }
  bool min_max_normalized() const override { return true; }
  NodeScore score(const GpuCluster& cluster, NodeIndex node, const GpuPod& pod) override {
    const double cpu_left = static_cast<double>(cluster.cpu_free(node) - pod.cpu_milli);
    const double gpu_left = static_cast<double>(cluster.gpu_free_milli(node) - pod.total_gpu_milli());
    double waste = 0;
    waste += cpu_left / kMaxSpecCpu * 0.5;
    waste += gpu_left / kMaxSpecGpu * 0.5;
    const auto s = static_cast<std::int64_t>((1.0 - waste) * static_cast<double>(kMaxScore));
    return NodeScore{s, best_fit_devices(cluster.devices(node), cluster.gpu_count(node), pod)};
  }
};

}  // namespace

std::unique_ptr<GpuPolicy> make_best_fit() { return std::make_unique<BestFit>(); }

}  // namespace podium::gpushare::policies
