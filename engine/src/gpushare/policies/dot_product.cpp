// dot-product (Tetris' alignment, as the artifact runs it: plugin/dot_product_score.go with
// dimension method "merge" and normalisation "max"): node vector (CPU left, GPU left in
// total), pod vector (CPU, GPU requested in total), both divided by the largest machine
// (128 cores, 8 GPUs); score = (1 - dot / 2) * 100, truncated. The pod goes where the
// alignment is smallest. Devices: the tightest-fitting one (GPU selection "best").
#include "policies.hpp"

namespace podium::gpushare::policies {
namespace {

class DotProduct final : public GpuPolicy {
 public:
  std::string_view name() const override { return "dot-product"; }
  NodeScore score(const GpuCluster& cluster, NodeIndex node, const GpuPod& pod) override {
    const double node_cpu = static_cast<double>(cluster.cpu_free(node)) / kMaxSpecCpu;
    const double node_gpu = static_cast<double>(cluster.gpu_free_milli(node)) / kMaxSpecGpu;
    const double pod_cpu = static_cast<double>(pod.cpu_milli) / kMaxSpecCpu;
    const double pod_gpu = static_cast<double>(pod.total_gpu_milli()) / kMaxSpecGpu;
    double dot = 0;
    dot += node_cpu * pod_cpu;
    dot += node_gpu * pod_gpu;
    const double s = 1 - dot / 2;
    return NodeScore{static_cast<std::int64_t>(static_cast<double>(kMaxScore) * s),
                     best_fit_devices(cluster.devices(node), cluster.gpu_count(node), pod)};
  }
};

}  // namespace

std::unique_ptr<GpuPolicy> make_dot_product() { return std::make_unique<DotProduct>(); }

}  // namespace podium::gpushare::policies
