#pragma once
// Node-choice policies for GPU-sharing workloads: FGD and the baselines of the FGD paper
// (Weng et al., ATC'23), each mirroring one score plugin of its artifact
// (hkust-adsl/kubernetes-scheduler-simulator, pkg/simulator/plugin/*_score.go), plus kube's
// default profile with GPUs as whole `nvidia.com/gpu` devices.
//
// The replay driver filters (GpuCluster::fits), asks the policy for every feasible node's
// score (an integer 0..100, higher is better, as the artifact's plugins return) and the
// devices the pod would take there, then picks the best total with Podium's seeded tie rule
// (framework::TieBreaker). A score may depend only on the node's own row and the pod: the
// driver caches scores per pod shape and re-asks only for nodes whose version changed.
// Policies are not thread-safe (FGD's memo); one replay uses one policy object.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "podium/gpushare/fragmentation.hpp"
#include "podium/gpushare/gpu_cluster.hpp"

namespace podium::gpushare {

struct NodeScore {
  std::int64_t score = 0;
  DeviceSet devices = 0;  // the devices the pod would take on this node
};

class GpuPolicy {
 public:
  virtual ~GpuPolicy() = default;
  virtual std::string_view name() const = 0;
  // Score of a node that fits the pod (the driver filtered it).
  virtual NodeScore score(const GpuCluster& cluster, NodeIndex node, const GpuPod& pod) = 0;
  // The artifact's NormalizeScore (min-max to 0..100 over the feasible nodes), which only
  // best-fit applies.
  virtual bool min_max_normalized() const { return false; }
  // Random: a uniformly drawn feasible node and device (artifact random_score.go); the
  // driver calls random_devices() instead of score().
  virtual bool uniform_random() const { return false; }
  virtual DeviceSet random_devices(const GpuCluster& cluster, NodeIndex node, const GpuPod& pod,
                                   std::uint64_t random) const;
  // Called after the driver binds (or, in event-driven replay, unbinds) a pod.
  virtual void bound(NodeIndex /*node*/, const GpuPod& /*pod*/, int /*delta*/) {}
  // The pod as the cluster sees it under this policy (kube default rounds shares up to whole
  // devices); the driver binds this request.
  virtual GpuPod effective(const GpuPod& pod) const { return pod; }
};

// What a policy may need beyond the cluster: the workload's typical pods (FGD).
struct PolicyContext {
  const std::vector<TypicalPod>* typical = nullptr;
  std::size_t node_count = 0;
};

// Known names: fgd, best-fit, dot-product, gpu-packing, gpu-clustering, random, default.
std::unique_ptr<GpuPolicy> make_policy(std::string_view name, const PolicyContext& context);
const std::vector<std::string>& policy_names();

}  // namespace podium::gpushare
