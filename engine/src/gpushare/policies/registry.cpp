// The GPU-sharing policies by name.
#include <stdexcept>

#include "podium/framework/tie_breaker.hpp"
#include "policies.hpp"

namespace podium::gpushare {

DeviceSet GpuPolicy::random_devices(const GpuCluster& cluster, NodeIndex node, const GpuPod& pod,
                                    std::uint64_t random) const {
  // allocateGpuIdBasedOnRandomFit: a sharing pod goes to a uniformly drawn device with
  // room; whole GPUs are the lowest-indexed idle ones.
  if (!pod.shares_gpu()) return best_fit_devices(cluster.devices(node), cluster.gpu_count(node), pod);
  int fitting[kMaxGpusPerNode];
  int count = 0;
  for (int d = 0; d < cluster.gpu_count(node); ++d)
    if (cluster.devices(node)[static_cast<std::size_t>(d)] >= pod.gpu_milli) fitting[count++] = d;
  if (count == 0) return 0;
  const auto pick = framework::bounded(random, static_cast<std::uint32_t>(count));
  return static_cast<DeviceSet>(1U << fitting[pick]);
}

const std::vector<std::string>& policy_names() {
  static const std::vector<std::string> names{"fgd",    "best-fit", "dot-product", "gpu-packing",
                                              "gpu-clustering", "random", "default"};
  return names;
}

std::unique_ptr<GpuPolicy> make_policy(std::string_view name, const PolicyContext& context) {
  using namespace policies;
  if (name == "fgd") return make_fgd(context);
  if (name == "best-fit") return make_best_fit();
  if (name == "dot-product") return make_dot_product();
  if (name == "gpu-packing") return make_gpu_packing();
  if (name == "gpu-clustering") return make_gpu_clustering(context);
  if (name == "random") return make_random();
  if (name == "default") return make_kube_default();
  std::string known;
  for (const auto& n : policy_names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown GPU policy '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace podium::gpushare
