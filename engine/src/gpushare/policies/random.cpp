// random (artifact plugin/random_score.go): a uniformly drawn feasible node, and for a
// sharing pod a uniformly drawn device with room (allocateGpuIdBasedOnRandomFit). The draws
// come from the replay's seed (GpuPolicy::random_devices, the driver's node draw).
#include "policies.hpp"

namespace podium::gpushare::policies {
namespace {

class Random final : public GpuPolicy {
 public:
  std::string_view name() const override { return "random"; }
  bool uniform_random() const override { return true; }
  NodeScore score(const GpuCluster& cluster, NodeIndex node, const GpuPod& pod) override {
    return NodeScore{0, best_fit_devices(cluster.devices(node), cluster.gpu_count(node), pod)};
  }
};

}  // namespace

std::unique_ptr<GpuPolicy> make_random() { return std::make_unique<Random>(); }

}  // namespace podium::gpushare::policies
