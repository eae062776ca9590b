// gpu-packing (artifact plugin/gpu_packing_score.go getPackingScore), from best to worst:
//   1. the pod fits on partly used devices: 100 - (their free share in percent) / 10, >= 50
//   2. it needs idle devices on a node already in use: 50 - idle devices taken, >= 33
//   3. every device of the node is idle: 33 - idle devices, at least the idle count
// CPU-only pods score 0 everywhere (a uniform tie). Devices walk the free list tightest
// first (the artifact's sorted walk); the pod then takes the tightest fitting ones.
#include <algorithm>
#include <array>

#include "policies.hpp"

namespace podium::gpushare::policies {
namespace {

class GpuPacking final : public GpuPolicy {
 public:
  std::string_view name() const override { return "gpu-packing"; }
  NodeScore score(const GpuCluster& cluster, NodeIndex node, const GpuPod& pod) override {
    const DeviceSet devices = best_fit_devices(cluster.devices(node), cluster.gpu_count(node), pod);
    if (pod.gpu_milli <= 0) return NodeScore{0, devices};
    const auto free = cluster.devices(node);
    const int count = cluster.gpu_count(node);
    int idle = 0;
    for (int d = 0; d < count; ++d) idle += free[static_cast<std::size_t>(d)] == kMilliPerGpu ? 1 : 0;
    if (idle == count) return NodeScore{std::max<std::int64_t>(kMaxScore / 3 - idle, idle), devices};
    // SortedMilliGpuLeftIndexList(ascending): a stable sort of device indices by free.
    std::array<int, kMaxGpusPerNode> order{};
    for (int d = 0; d < count; ++d) order[static_cast<std::size_t>(d)] = d;
    std::stable_sort(order.begin(), order.begin() + count,
                     [&](int a, int b) { return free[static_cast<std::size_t>(a)] < free[static_cast<std::size_t>(b)]; });
    int needed = pod.num_gpu;
    int idle_used = 0;
    std::int64_t free_percent = 0;
    for (int i = 0; i < count && needed > 0; ++i) {
      const std::int32_t left = free[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])];
      if (pod.gpu_milli > left) continue;
      --needed;
      idle_used += left == kMilliPerGpu ? 1 : 0;
      free_percent += std::int64_t{left} * 100 / kMilliPerGpu;
    }
    if (idle_used > 0) return NodeScore{std::max<std::int64_t>(kMaxScore / 2 - idle_used, kMaxScore / 3), devices};
    return NodeScore{std::max<std::int64_t>(kMaxScore - free_percent / 10, kMaxScore / 2), devices};
  }
};

}  // namespace

std::unique_ptr<GpuPolicy> make_gpu_packing() { return std::make_unique<GpuPacking>(); }

}  // namespace podium::gpushare::policies
