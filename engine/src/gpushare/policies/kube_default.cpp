// default: a stock kube-scheduler (v1.35 default profile) on a cluster without GPU sharing.
// GPUs are the whole-device extended resource `nvidia.com/gpu`, so a pod asking for a
// fraction of a GPU gets a whole one (ceil(num_gpu * gpu_milli / 1000) devices). The
// default scores that differ between these nodes are NodeResourcesFit's LeastAllocated
// (cpu and memory, weight 1 each; noderesources/least_allocated.go) and
// NodeResourcesBalancedAllocation (cpu and memory; balanced_allocation.go), both plugin
// weight 1; extended resources are not in either's default resource list. Devices: the
// lowest-indexed idle ones.
#include <array>

#include "podium/plugins/noderesources/scorers.hpp"
#include "policies.hpp"

namespace podium::gpushare::policies {
namespace {

namespace nr = plugins::noderesources;

class KubeDefault final : public GpuPolicy {
 public:
  std::string_view name() const override { return "default"; }

  GpuPod effective(const GpuPod& pod) const override {
    GpuPod whole = pod;
    if (pod.num_gpu > 0) {
      whole.num_gpu = static_cast<std::int32_t>((pod.total_gpu_milli() + kMilliPerGpu - 1) / kMilliPerGpu);
      whole.gpu_milli = kMilliPerGpu;
    }
    return whole;
  }

  NodeScore score(const GpuCluster& cluster, NodeIndex node, const GpuPod& pod) override {
    // Scoring uses non-zero requests (util.GetNonzeroRequests: 100m CPU, 200Mi memory).
    const std::int64_t cpu = pod.cpu_milli != 0 ? pod.cpu_milli : 100;
    const std::int64_t memory = pod.memory_mib != 0 ? pod.memory_mib : 200;
    const std::int64_t cpu_cap = cluster.cpu_capacity(node), memory_cap = cluster.memory_capacity(node);
    const std::int64_t cpu_req = cpu_cap - cluster.cpu_free(node) + cpu;
    const std::int64_t memory_req = memory_cap - cluster.memory_free(node) + memory;
    const std::int64_t least =
        (nr::least_requested_score(cpu_req, cpu_cap) + nr::least_requested_score(memory_req, memory_cap)) / 2;
    const std::array<double, 2> fractions{
        std::min(1.0, static_cast<double>(cpu_req) / static_cast<double>(cpu_cap)),
        std::min(1.0, static_cast<double>(memory_req) / static_cast<double>(memory_cap))};
    const std::int64_t balanced = nr::balanced_resource_score(fractions);
    return NodeScore{least + balanced, exclusive_devices(cluster.devices(node), cluster.gpu_count(node), pod)};
  }
};

}  // namespace

std::unique_ptr<GpuPolicy> make_kube_default() { return std::make_unique<KubeDefault>(); }

}  // namespace podium::gpushare::policies
