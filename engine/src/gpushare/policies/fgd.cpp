// fgd: Fragmentation Gradient Descent (Weng et al., ATC'23, Algorithm 1; artifact
// plugin/fgd_score.go calculateGpuShareFragExtendScore). Place the pod where the node's
// fragmentation F (fragmentation.hpp) grows least: score = sigmoid((F_before - F_after) /
// 1000) * 100, truncated to an integer as the artifact's int64 conversion does. A sharing
// pod tries every device with room and keeps the first best one; whole GPUs take the
// lowest-indexed idle devices (NodeResource.Sub and AllocateExclusiveGpuId agree on them).
#include <array>
#include <cmath>

#include "policies.hpp"

namespace podium::gpushare::policies {
namespace {

class Fgd final : public GpuPolicy {
 public:
  explicit Fgd(const std::vector<TypicalPod>& typical) : memo_(typical) {}
  std::string_view name() const override { return "fgd"; }

  NodeScore score(const GpuCluster& cluster, NodeIndex node, const GpuPod& pod) override {
    const double before = memo_.of(cluster, node);
    const std::int64_t cpu_after = cluster.cpu_free(node) - pod.cpu_milli;
    std::array<std::int32_t, kMaxGpusPerNode> devices{};
    const auto current = cluster.devices(node);
    std::copy(current.begin(), current.end(), devices.begin());
    if (pod.shares_gpu()) {
      NodeScore best{-1, 0};
      for (int d = 0; d < cluster.gpu_count(node); ++d) {
        auto& free = devices[static_cast<std::size_t>(d)];
        if (free < pod.gpu_milli || seen_before(current, d)) continue;
        free -= pod.gpu_milli;
        const std::int64_t s = to_score(before, memo_.of(cluster.model(node), cpu_after, devices));
        free += pod.gpu_milli;
        if (best.devices == 0 || s > best.score) best = NodeScore{s, static_cast<DeviceSet>(1U << d)};
      }
      return best;
    }
    const DeviceSet taken = exclusive_devices(current, cluster.gpu_count(node), pod);
    for (int d = 0; d < kMaxGpusPerNode; ++d)
      if (((taken >> d) & 1U) != 0) devices[static_cast<std::size_t>(d)] -= pod.gpu_milli;
    return NodeScore{to_score(before, memo_.of(cluster.model(node), cpu_after, devices)), taken};
  }

 private:
  // A device with the same free amount as a lower-indexed one gives the same state, hence
  // the same score, and the artifact keeps the first of equal scores: skip it.
  static bool seen_before(std::span<const std::int32_t, kMaxGpusPerNode> devices, int d) {
    for (int e = 0; e < d; ++e)
      if (devices[static_cast<std::size_t>(e)] == devices[static_cast<std::size_t>(d)]) return true;
    return false;
  }
  static std::int64_t to_score(double before, double after) {
    const double sigmoid = 1.0 / (1.0 + std::exp(-((before - after) / 1000)));
    return static_cast<std::int64_t>(sigmoid * static_cast<double>(kMaxScore));
  }
  FragmentationMemo memo_;
};

}  // namespace

std::unique_ptr<GpuPolicy> make_fgd(const PolicyContext& context) {
  return std::make_unique<Fgd>(context.typical != nullptr ? *context.typical : std::vector<TypicalPod>{});
}

}  // namespace podium::gpushare::policies
